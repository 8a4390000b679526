"""A self-contained interactive HTML explorer: one file, works offline, no CDN.

The graph library is vis-network, read at export time from the ``pyvis`` wheel (which
ships vis-network's minified JavaScript and CSS under ``pyvis/lib/vis-<version>/``)
and inlined with the view's data.  The page has filters (resolution, actor,
modality, binding, topic, year range), a search box, and a side panel that shows
the source paragraph text of a clicked node or edge.  Parallel edges of one kind
are drawn as one edge whose width grows with their number; the panel lists them all.

>>> lib = vis_network_assets()
>>> lib.version >= "9", len(lib.js) > 100_000
(True, True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ctkg.errors import CtkgError


@dataclass(frozen=True)
class VisNetwork:
    """The vis-network library as shipped by pyvis."""

    version: str
    js: str
    css: str


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", name))


def vis_network_assets() -> VisNetwork:
    """vis-network's JavaScript and CSS from the installed ``pyvis`` package (the newest version it ships)."""
    try:
        lib = resources.files("pyvis").joinpath("lib")
    except ModuleNotFoundError:
        raise CtkgError("the HTML explorer needs the pyvis package (pip install pyvis), which ships vis-network") from None
    dirs = sorted((d for d in lib.iterdir() if d.is_dir() and d.name.startswith("vis-")),
                  key=lambda d: _version_key(d.name))
    for d in reversed(dirs):
        js, css = d.joinpath("vis-network.min.js"), d.joinpath("vis-network.css")
        if js.is_file() and css.is_file():
            return VisNetwork(d.name[len("vis-"):], js.read_text("utf-8"), css.read_text("utf-8"))
    raise CtkgError("the installed pyvis package ships no vis-network library")


def _payload(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes, edges (source paragraph texts de-duplicated into ``texts``) and the filter facets."""
    texts: dict[str, dict[str, str]] = {}
    nodes = [{**d, "id": n} for n, d in g.nodes(data=True)]
    edges = []
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        e: dict[str, Any] = {a: b for a, b in d.items() if a != "paragraph_text"}
        e.update({"id": f"e{i}", "key": k, "from": u, "to": v})
        if d.get("paragraph_text"):
            pid = str(d.get("paragraph_iri", k))
            texts.setdefault(pid, {"label": f"{d.get('resolution', '')} ¶{d.get('paragraph', '')}".strip(),
                                   "text": str(d["paragraph_text"])})
            e["p"] = pid
        edges.append(e)
    labels = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    actors = sorted({n for n, d in g.nodes(data=True) if d.get("kind") == "actor"}, key=lambda n: labels[n].lower())
    years = sorted({int(d["year"]) for _, _, d in g.edges(data=True) if isinstance(d.get("year"), int) and d["year"]})
    modalities = sorted({(int(d.get("strength", 0)), str(d["modality"])) for _, _, d in g.edges(data=True)
                         if d.get("modality")}, reverse=True)
    facets = {
        "resolution": sorted({str(d["resolution"]) for _, _, d in g.edges(data=True) if d.get("resolution")},
                             key=lambda s: [int(x) for x in re.findall(r"\d+", s)] or [0]),
        "actor": [[a, labels[a]] for a in actors],
        "modality": [m for _, m in modalities],
        "topic": sorted({t.strip() for _, _, d in g.edges(data=True) for t in str(d.get("topics", "")).split(";")
                         if t.strip()}),
        "year": [years[0], years[-1]] if years else [],
    }
    return {"name": str(g.graph.get("name", "ctkg")), "view": str(g.graph.get("view", "")),
            "nodes": nodes, "edges": edges, "texts": texts, "facets": facets}


def _json_for_script(data: object) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script_safe(code: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _style_safe(code: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", code, flags=re.IGNORECASE)


def render_explorer(g: nx.MultiDiGraph) -> str:
    """The explorer page for one view, as a string."""
    lib = vis_network_assets()
    title = str(g.graph.get("name", "ctkg explorer"))
    page = _TEMPLATE
    for slot, value in (
        ("/*VIS_CSS*/", _style_safe(lib.css)),
        ("/*VIS_JS*/", _script_safe(lib.js)),
        ("/*DATA*/", _json_for_script(_payload(g))),
        ("<!--TITLE-->", title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")),
        ("<!--VIS_VERSION-->", lib.version),
    ):
        page = page.replace(slot, value, -1 if slot == "<!--TITLE-->" else 1)
    return page


def write_explorer(g: nx.MultiDiGraph, dest: Path) -> None:
    """Write the explorer to ``dest`` (one HTML file)."""
    dest.write_text(render_explorer(g), "utf-8")


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ctkg (vis-network <!--VIS_VERSION--> from the pyvis package)">
<title><!--TITLE--></title>
<style>/*VIS_CSS*/</style>
<style>
  html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; }
  #app { display: grid; grid-template-columns: 250px 1fr 380px; height: 100vh; }
  #filters, #panel { overflow: auto; padding: 10px 12px; background: #f7f7f9; }
  #filters { border-right: 1px solid #ddd; }
  #panel { border-left: 1px solid #ddd; background: #fcfcfd; }
  #graph { position: relative; }
  #network { position: absolute; inset: 0; }
  h1 { font-size: 15px; margin: 0 0 8px; }
  h2 { font-size: 14px; margin: 12px 0 6px; }
  label { display: block; font-size: 12px; color: #555; margin-top: 8px; }
  select, input { width: 100%; box-sizing: border-box; font: inherit; padding: 3px; }
  .row { display: flex; gap: 6px; } .row input { width: 50%; }
  #status { font-size: 12px; color: #555; margin-top: 10px; }
  .stmt { border-top: 1px solid #e3e3e8; padding: 6px 0; }
  .meta { font-size: 12px; color: #555; }
  blockquote { margin: 4px 0; padding: 4px 8px; background: #fff; border-left: 3px solid #8aa4c8; white-space: pre-wrap; }
  .clause { background: #fff6d6; }
  table { border-collapse: collapse; font-size: 12px; } td { padding: 1px 6px 1px 0; vertical-align: top; }
  .legend span { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
  button { font: inherit; margin-top: 8px; }
</style>
</head>
<body>
<div id="app">
  <div id="filters">
    <h1><!--TITLE--></h1>
    <label for="search">Search nodes</label>
    <input id="search" type="search" placeholder="e.g. CTED, 1373, Secretary-General">
    <label for="f-resolution">Resolution</label><select id="f-resolution"><option value="">all</option></select>
    <label for="f-actor">Actor</label><select id="f-actor"><option value="">all</option></select>
    <label for="f-modality">Modality</label><select id="f-modality"><option value="">all</option></select>
    <label for="f-binding">Binding</label>
    <select id="f-binding"><option value="">all</option><option value="true">binding only</option><option value="false">not binding</option></select>
    <label for="f-topic">Topic</label><select id="f-topic"><option value="">all</option></select>
    <label>Year</label>
    <div class="row"><input id="f-year-from" type="number" aria-label="from year"><input id="f-year-to" type="number" aria-label="to year"></div>
    <button id="reset" type="button">Reset filters</button>
    <div id="status"></div>
    <h2>Legend</h2><div id="legend" class="legend"></div>
  </div>
  <div id="graph"><div id="network"></div></div>
  <div id="panel"><h2>Details</h2><p class="meta">Click a node or an edge to see its source text.</p></div>
</div>
<script>/*VIS_JS*/</script>
<script>
"use strict";
const DATA = /*DATA*/;
const KIND_COLOURS = {actor: "#9dc3e6", resolution: "#f9d58b", paragraph: "#dcdcdc", clause: "#b9e0a5", deadline: "#f4b6b6"};
const EDGE_COLOURS = {"directs": "#4a6fa5", "addressee": "#4a6fa5", "reports-to": "#c0392b", "supports": "#27ae60",
  "sub-organization-of": "#7f8c8d", "cites": "#8e44ad", "cites-paragraph": "#b07cc6", "part-of": "#c8ccd0",
  "has-paragraph": "#c8ccd0", "has-clause": "#c8ccd0", "deadline": "#d35400", "inherits-from": "#a0a8b0"};
const $ = (id) => document.getElementById(id);
const nodeById = new Map(DATA.nodes.map((n) => [n.id, n]));
const F = {resolution: $("f-resolution"), actor: $("f-actor"), modality: $("f-modality"), binding: $("f-binding"),
  topic: $("f-topic"), yearFrom: $("f-year-from"), yearTo: $("f-year-to")};

function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
function option(select, value, label) { const o = el("option", label); o.value = value; select.appendChild(o); }
DATA.facets.resolution.forEach((r) => option(F.resolution, r, r));
DATA.facets.actor.forEach(([id, label]) => option(F.actor, id, label));
DATA.facets.modality.forEach((m) => option(F.modality, m, m));
DATA.facets.topic.forEach((t) => option(F.topic, t, t));
if (DATA.facets.year.length) { F.yearFrom.placeholder = DATA.facets.year[0]; F.yearTo.placeholder = DATA.facets.year[1]; }
Object.entries(KIND_COLOURS).forEach(([k, c]) => { if (DATA.nodes.some((n) => n.kind === k)) { const d = el("div"); const s = el("span"); s.style.background = c; d.append(s, k); $("legend").appendChild(d); } });
Object.entries(EDGE_COLOURS).forEach(([k, c]) => { if (DATA.edges.some((e) => e.kind === k)) { const d = el("div"); const s = el("span"); s.style.background = c; s.style.height = "3px"; d.append(s, "→ " + k); $("legend").appendChild(d); } });

function edgeMatches(e) {
  const f = {resolution: F.resolution.value, actor: F.actor.value, modality: F.modality.value, binding: F.binding.value,
    topic: F.topic.value, from: parseInt(F.yearFrom.value, 10), to: parseInt(F.yearTo.value, 10)};
  const structural = e.resolution === undefined;
  if (structural) return null;  // shown when both ends are shown
  if (f.resolution && e.resolution !== f.resolution) return false;
  if (f.actor && e.from !== f.actor && e.to !== f.actor) return false;
  if (f.modality && e.modality !== f.modality) return false;
  if (f.binding && String(e.binding === true) !== f.binding) return false;
  if (f.topic && !String(e.topics || "").split(";").map((t) => t.trim()).includes(f.topic)) return false;
  if (!isNaN(f.from) && !(e.year >= f.from)) return false;
  if (!isNaN(f.to) && !(e.year <= f.to)) return false;
  return true;
}

let groups = new Map();  // display edge id -> list of data edges
function visibleGraph() {
  const shownNodes = new Set(); const kept = []; const structural = [];
  for (const e of DATA.edges) {
    const m = edgeMatches(e);
    if (m === null) structural.push(e); else if (m) { kept.push(e); shownNodes.add(e.from); shownNodes.add(e.to); }
  }
  const anyFilter = Object.values(F).some((x) => x.value !== "");
  if (!anyFilter) DATA.nodes.forEach((n) => shownNodes.add(n.id));
  for (const e of structural) if (shownNodes.has(e.from) && shownNodes.has(e.to)) kept.push(e);
  groups = new Map();
  for (const e of kept) { const id = e.from + "\u0000" + e.to + "\u0000" + e.kind; if (!groups.has(id)) groups.set(id, []); groups.get(id).push(e); }
  const degree = new Map();
  const edges = [...groups.entries()].map(([id, list]) => {
    const e = list[0]; const n = list.length;
    degree.set(e.from, (degree.get(e.from) || 0) + n); degree.set(e.to, (degree.get(e.to) || 0) + n);
    const binding = list.some((x) => x.binding === true);
    return {id, from: e.from, to: e.to, arrows: e.kind === "part-of" ? "" : "to",
      label: n > 1 ? (list.every((x) => x.label === e.label) ? e.label : e.kind) + " ×" + n : e.label, width: 1 + Math.log2(n) * 1.5,
      color: {color: binding ? "#b03a2e" : (EDGE_COLOURS[e.kind] || "#888"), opacity: 0.8},
      dashes: e.kind === "supports" || e.kind === "sub-organization-of" || e.kind === "cites-paragraph",
      font: {size: 10, color: "#555", strokeWidth: 2}, smooth: {type: "continuous"}};
  });
  const nodes = DATA.nodes.filter((n) => shownNodes.has(n.id)).map((n) => ({id: n.id,
    label: n.label.length > 28 && n.code ? n.code : (n.label.length > 40 ? n.label.slice(0, 38) + "…" : n.label), title: n.label,
    shape: n.kind === "actor" ? "box" : (n.kind === "resolution" ? "ellipse" : "dot"),
    size: 8 + Math.min(22, Math.sqrt(degree.get(n.id) || 0) * 2),
    color: {background: KIND_COLOURS[n.kind] || "#ddd", border: "#6b7b8c"}, font: {size: 13}}));
  return {nodes, edges};
}

const container = $("network");
const network = new vis.Network(container, {nodes: [], edges: []}, {
  physics: {solver: "forceAtlas2Based", forceAtlas2Based: {gravitationalConstant: -90, springLength: 180, avoidOverlap: 0.5},
    stabilization: {iterations: 250, fit: true}},
  interaction: {hover: true, tooltipDelay: 150, multiselect: false}, layout: {improvedLayout: false}});
window.ctkgExplorer = {network, data: DATA, ready: false, groups: () => groups, select: showNode};

function refresh() {
  window.ctkgExplorer.ready = false;
  network.setOptions({physics: {enabled: true}});
  const g = visibleGraph();
  network.setData(g);
  $("status").textContent = g.nodes.length + " nodes, " + g.edges.length + " edges shown (" +
    [...groups.values()].reduce((a, l) => a + l.length, 0) + " statements)";
}
network.on("stabilizationIterationsDone", () => { network.setOptions({physics: {enabled: false}}); network.fit(); window.ctkgExplorer.ready = true; });

function table(obj, skip) {
  const t = el("table");
  Object.keys(obj).sort().forEach((k) => { if (skip.includes(k) || obj[k] === "" || obj[k] === undefined) return;
    const tr = el("tr"); tr.append(el("td", k), el("td", obj[k])); t.appendChild(tr); });
  return t;
}
function statement(e) {
  const d = el("div", undefined, "stmt");
  const bits = [e.resolution, e.paragraph ? "¶" + e.paragraph : "", e.kind, e.modality, e.binding === true ? "binding" : "",
    e.role, e.relation, e.deadline ? "by " + e.deadline : "", e.frequency ? "every " + e.frequency : ""].filter(Boolean);
  d.appendChild(el("div", bits.join(" · "), "meta"));
  if (e.p && DATA.texts[e.p]) { const q = el("blockquote", DATA.texts[e.p].text, "source"); q.title = DATA.texts[e.p].label; d.appendChild(q); }
  if (e.text) d.appendChild(el("blockquote", e.text, "clause"));
  return d;
}
function panel(title, parts) {
  const p = $("panel"); p.replaceChildren(el("h2", title)); parts.forEach((x) => p.appendChild(x));
}
function showNode(id) {
  const n = nodeById.get(id); if (!n) return;
  const parts = [el("div", n.kind + (n.actor_type ? " · " + n.actor_type : ""), "meta"), table(n, ["id", "label", "text", "paragraph_text"])];
  if (n.text) parts.push(el("h2", "Source text"), el("blockquote", n.text, "source"));
  if (n.paragraph_text && n.paragraph_text !== n.text) parts.push(el("h2", "Source paragraph"), el("blockquote", n.paragraph_text, "source"));
  const incident = [...groups.values()].flat().filter((e) => (e.from === id || e.to === id) && (e.p || e.text));
  if (incident.length) {
    parts.push(el("h2", "Source paragraphs (" + incident.length + ")"));
    incident.slice(0, 50).forEach((e) => parts.push(statement(e)));
    if (incident.length > 50) parts.push(el("p", "… and " + (incident.length - 50) + " more; narrow the filters.", "meta"));
  }
  panel(n.label, parts);
}
function showEdge(id) {
  const list = groups.get(id); if (!list) return;
  const e = list[0];
  const title = (nodeById.get(e.from) || {label: e.from}).label + " → " + (nodeById.get(e.to) || {label: e.to}).label;
  const parts = [el("div", e.kind + " · " + list.length + " statement(s)", "meta")];
  list.slice(0, 100).forEach((x) => parts.push(statement(x)));
  panel(title, parts);
}
network.on("click", (params) => {
  if (params.nodes.length) showNode(params.nodes[0]); else if (params.edges.length) showEdge(params.edges[0]);
});
$("search").addEventListener("input", () => {
  const q = $("search").value.trim().toLowerCase(); if (!q) { network.unselectAll(); return; }
  const shown = new Set(network.body.data.nodes.getIds());
  const hits = DATA.nodes.filter((n) => shown.has(n.id) && [n.label, n.code, n.symbol, n.id].some((v) => v && String(v).toLowerCase().includes(q)));
  network.selectNodes(hits.map((n) => n.id));
  if (hits.length) { network.focus(hits[0].id, {scale: 1.2, animation: false}); showNode(hits[0].id); }
  $("status").textContent = hits.length + " node(s) match “" + q + "”";
});
Object.values(F).forEach((x) => x.addEventListener("change", refresh));
$("reset").addEventListener("click", () => { Object.values(F).forEach((x) => { x.value = ""; }); refresh(); });
refresh();
</script>
</body>
</html>
"""


__all__ = ["VisNetwork", "render_explorer", "vis_network_assets", "write_explorer"]
