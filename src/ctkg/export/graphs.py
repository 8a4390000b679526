"""Property-graph formats for graph visualisers: GraphML, GEXF, Cytoscape.js JSON, Graphviz DOT and SVG.

Each writer takes a view (a ``networkx.MultiDiGraph`` from :mod:`ctkg.export.views`)
whose attributes are already scalars, so nothing is lost in GraphML or GEXF.

>>> import networkx as nx
>>> g = nx.MultiDiGraph(name="demo")
>>> g.add_node("a", label="A \\"quoted\\"", kind="actor")
>>> _ = g.add_edge("a", "a", key="k", label="self", kind="directs")
>>> print(to_dot(g).splitlines()[0])
digraph "demo" {
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx

from ctkg.errors import CtkgError


def write_graphml(g: nx.MultiDiGraph, dest: Path) -> None:
    """GraphML (yEd, Gephi, Cytoscape desktop); every attribute becomes a typed ``<key>``."""
    nx.write_graphml(g, str(dest), encoding="utf-8", prettyprint=True, named_key_ids=True)


def write_gexf(g: nx.MultiDiGraph, dest: Path) -> None:
    """GEXF 1.2 (Gephi); the ``label`` attribute becomes the GEXF label."""
    h = nx.MultiDiGraph()
    h.graph.update({k: v for k, v in g.graph.items() if k != "name"})
    for n, d in g.nodes(data=True):
        h.add_node(n, **d)
    for u, v, k, d in g.edges(keys=True, data=True):
        # GEXF edge ids must be unique in the file: the edge key is
        h.add_edge(u, v, key=k, id=k, **d)
    nx.write_gexf(h, str(dest), encoding="utf-8", prettyprint=True)


def cytoscape_elements(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The Cytoscape.js ``elements`` JSON: ``{"data": ..., "elements": {"nodes": [...], "edges": [...]}}``."""
    nodes = [{"data": {**d, "id": n}} for n, d in g.nodes(data=True)]
    edges = [{"data": {**d, "id": k, "source": u, "target": v}} for u, v, k, d in g.edges(keys=True, data=True)]
    return {"data": dict(g.graph), "directed": True, "multigraph": True,
            "elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape(g: nx.MultiDiGraph, dest: Path) -> None:
    """Cytoscape.js JSON (``cy.add(json.elements)``; also opens in Cytoscape desktop)."""
    dest.write_text(json.dumps(cytoscape_elements(g), ensure_ascii=False, indent=1) + "\n", "utf-8")


_NODE_STYLE = {
    "actor": 'shape=box, style="rounded,filled", fillcolor="#dbe9f6"',
    "resolution": 'shape=note, style=filled, fillcolor="#fdf1d6"',
    "paragraph": 'shape=box, style=filled, fillcolor="#f2f2f2", fontsize=10',
    "clause": 'shape=ellipse, style=filled, fillcolor="#e5f3e0", fontsize=10',
    "deadline": 'shape=octagon, style=filled, fillcolor="#f9dcdc", fontsize=10',
}
_EDGE_STYLE = {
    "directs": 'color="#4a6fa5"',
    "addressee": 'color="#4a6fa5"',
    "reports-to": 'color="#c0392b", penwidth=1.6',
    "supports": 'color="#27ae60", style=dashed',
    "sub-organization-of": 'color="#7f8c8d", style=dotted, arrowhead=empty',
    "cites": 'color="#8e44ad"',
    "cites-paragraph": 'color="#8e44ad", style=dashed',
    "part-of": 'color="#bdc3c7", arrowhead=none',
    "inherits-from": 'color="#95a5a6", style=dotted',
}


def _q(value: object, limit: int | None = None) -> str:
    """A DOT double-quoted string."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", "\\n")
    return f'"{text}"'


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def merge_parallel(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Parallel edges of one kind merged into one edge with a ``count`` (and "label ×n"), for drawing.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="1", kind="directs", label="decides")
    >>> _ = g.add_edge("a", "b", key="2", kind="directs", label="urges")
    >>> [(d["label"], d["count"]) for _, _, d in merge_parallel(g).edges(data=True)]
    [('decides ×2', 2)]
    """
    h = nx.MultiDiGraph()
    h.graph.update(g.graph)
    h.add_nodes_from(g.nodes(data=True))
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, v, d in g.edges(data=True):
        groups.setdefault((u, v, str(d.get("kind", ""))), []).append(d)
    for (u, v, kind), items in groups.items():
        label = str(items[0].get("label", kind))
        n = len(items)
        h.add_edge(u, v, key=f"{u}|{kind}|{v}", kind=kind, count=n, label=f"{label} ×{n}" if n > 1 else label,
                   penwidth=round(1 + math.log2(n), 2))
    return h


def to_dot(g: nx.MultiDiGraph) -> str:
    """Graphviz DOT text: one statement per node and per edge (parallel edges kept), with readable labels,
    a tooltip holding the source text, and every scalar attribute as a DOT attribute."""
    rankdir = "LR" if g.graph.get("view") == "obligations" else "TB"
    out = [f"digraph {_q(g.graph.get('name', 'ctkg'))} {{",
           f'  graph [rankdir={rankdir}, fontname="Helvetica", overlap=false, splines=true];',
           '  node [fontname="Helvetica", fontsize=11];',
           '  edge [fontname="Helvetica", fontsize=9];']
    reserved = {"label", "tooltip", "id", "key"}
    for n, d in g.nodes(data=True):
        attrs = [f"label={_q(_wrap(str(d.get('label', n))))}", _NODE_STYLE.get(str(d.get("kind")), "")]
        tooltip = d.get("text") or d.get("label", n)
        attrs.append(f"tooltip={_q(tooltip, 1000)}")
        attrs += [f"{k}={_q(v, 1000)}" for k, v in d.items() if k not in reserved and k != "text"]
        out.append(f"  {_q(n)} [{', '.join(a for a in attrs if a)}];")
    for u, v, k, d in g.edges(keys=True, data=True):
        attrs = [f"id={_q(k)}", f"label={_q(d.get('label', ''))}", _EDGE_STYLE.get(str(d.get("kind")), "")]
        tooltip = d.get("paragraph_text") or d.get("text") or d.get("label", "")
        attrs.append(f"tooltip={_q(tooltip, 1000)}")
        attrs += [f"{a}={_q(b, 1000)}" for a, b in d.items()
                  if a not in reserved and a not in ("paragraph_text", "text")]
        out.append(f"  {_q(u)} -> {_q(v)} [{', '.join(a for a in attrs if a)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def write_dot(g: nx.MultiDiGraph, dest: Path) -> None:
    """Graphviz DOT."""
    dest.write_text(to_dot(g), "utf-8")


def dot_program() -> str:
    """The path of Graphviz's ``dot``, or a clear error."""
    path = shutil.which("dot")
    if path is None:
        raise CtkgError("the 'dot' program of Graphviz is needed for this (install the graphviz package)")
    return path


SFDP_ABOVE = 300
"""Node count above which SVG uses the sfdp layout engine."""


def write_svg(g: nx.MultiDiGraph, dest: Path, *, timeout: float = 300) -> None:
    """SVG rendered by Graphviz ``dot`` from :func:`to_dot`, parallel edges merged (:func:`merge_parallel`)
    so that a large view stays legible.  Views of more than :data:`SFDP_ABOVE` nodes are laid out by
    the ``sfdp`` engine (force-directed, scales to thousands of nodes) instead of the layered ``dot``."""
    large = ["-Ksfdp", "-Gsplines=line", "-Goverlap=scale"] if g.number_of_nodes() > SFDP_ABOVE else []
    try:
        proc = subprocess.run([dot_program(), *large, "-Tsvg"], input=to_dot(merge_parallel(g)).encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CtkgError(f"dot took longer than {timeout:.0f} s; try a smaller view") from None
    if proc.returncode != 0:
        raise CtkgError(f"dot failed: {proc.stderr.decode('utf-8', 'replace').strip()[:500]}")
    dest.write_bytes(proc.stdout)


__all__ = [
    "SFDP_ABOVE",
    "cytoscape_elements",
    "dot_program",
    "merge_parallel",
    "to_dot",
    "write_cytoscape",
    "write_dot",
    "write_gexf",
    "write_graphml",
    "write_svg",
]
