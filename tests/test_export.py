"""Exports read back by independent readers, with node and edge counts computed from the store by SPARQL."""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

import ctkg
from ctkg.errors import CtkgError, QueryError
from ctkg.export import EXPORTERS, export, to_networkx
from ctkg.export.cli import add_parsers

P = """PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""
R1373 = "https://w3id.org/ctkg/id/res/1373-2001"
HAS_DOT = shutil.which("dot") is not None


@pytest.fixture(scope="module")
def store():
    return ctkg.build(corpus="demo", store="memory:").store_handle


def rows(store, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in sol) for sol in store.query(P + sparql)]


def count(store, sparql: str) -> int:
    return len(set(rows(store, sparql)))


# ---------------------------------------------------------------- expected counts, straight from the store


def expected_actor_network(store) -> tuple[int, int]:
    directs = set(rows(store, "SELECT DISTINCT ?p ?c ?a WHERE { ?c a ctkg:Directive ; ctkg:addressee ?a ; "
                              "ctkg:inResolution ?r . ?r eli:passed_by ?p }"))
    lines = set(rows(store, "SELECT DISTINCT ?l ?f ?t WHERE { ?l a ctkg:ReportingLine ; ctkg:reporter ?f ; "
                            "ctkg:reportRecipient ?t }"))
    helps = set(rows(store, "SELECT DISTINCT ?role ?h ?a WHERE { ?c ctkg:hasSupportingRole ?role ; "
                            "ctkg:addressee ?a . ?role ctkg:actor ?h }"))
    actors = {x for p, _, a in directs for x in (p, a)} | {x for _, f, t in lines for x in (f, t)}
    actors |= {x for _, h, a in helps for x in (h, a)}
    parts = {(a, b) for a, b in rows(store, "SELECT DISTINCT ?a ?b WHERE { ?a org:subOrganizationOf ?b }")
             if a in actors and b in actors}
    return len(actors), len(directs) + len(lines) + len(helps) + len(parts)


def expected_citation_network(store) -> tuple[int, int]:
    cites = set(rows(store, "SELECT DISTINCT ?x ?r ?cr WHERE { ?x a ctkg:Citation ; ctkg:inResolution ?r ; "
                            "ctkg:citingParagraph ?p ; ctkg:citedResolution ?cr }"))
    para = set(rows(store, "SELECT DISTINCT ?x ?p ?cp WHERE { ?x a ctkg:Citation ; ctkg:citingParagraph ?p ; "
                           "ctkg:citedResolution ?cr ; ctkg:citedParagraph ?cp }"))
    resolutions = {x for _, r, cr in cites for x in (r, cr)}
    paragraphs = {x for _, p, cp in para for x in (p, cp)}
    external = [c for c in cites if c[1] != c[2]]
    return len(resolutions) + len(paragraphs), len(external) + len(para) + len(paragraphs)


def expected_obligations(store, r: str) -> tuple[int, int]:
    base = f"VALUES ?r {{ <{r}> }} ?c a ctkg:Directive ; ctkg:inResolution ?r ; ctkg:addressee ?a0 . "
    clauses = set(rows(store, f"SELECT DISTINCT ?c ?p WHERE {{ {base} ?c ctkg:inParagraph ?p }}"))
    addressed = set(rows(store, f"SELECT DISTINCT ?c ?a WHERE {{ {base} ?c ctkg:addressee ?a }}"))
    roles = set(rows(store, f"SELECT DISTINCT ?role ?h WHERE {{ {base} ?c ctkg:hasSupportingRole ?role . "
                            "?role ctkg:actor ?h }"))
    deadlines = set(rows(store, f"SELECT DISTINCT ?c ?d WHERE {{ {base} ?c ctkg:hasDeadline ?d }}"))
    lines = set(rows(store, f"SELECT DISTINCT ?l ?f ?t WHERE {{ VALUES ?r {{ <{r}> }} ?l a ctkg:ReportingLine ; "
                            "ctkg:inResolution ?r ; ctkg:reporter ?f ; ctkg:reportRecipient ?t }"))
    inherits = count(store, f"SELECT DISTINCT ?c ?x WHERE {{ {base} ?c ctkg:inheritsFrom ?x . "
                            "?x a ctkg:Directive ; ctkg:addressee ?a1 }")
    actors = {a for _, a in addressed} | {h for _, h in roles} | {x for _, f, t in lines for x in (f, t)}
    paragraphs = {p for _, p in clauses}
    nodes = 1 + len(paragraphs) + len(clauses) + len(actors) + len({d for _, d in deadlines})
    edges = len(paragraphs) + len(clauses) + len(addressed) + len(roles) + len(deadlines) + len(lines) + inherits
    return nodes, edges


VIEWS = [("actor-network", None), ("citation-network", None), ("obligations", "S/RES/1373 (2001)")]


@pytest.fixture(scope="module")
def expected(store):
    return {
        "actor-network": expected_actor_network(store),
        "citation-network": expected_citation_network(store),
        "obligations": expected_obligations(store, R1373),
    }


@pytest.fixture(scope="module")
def graphs(store):
    return {view: to_networkx(store, view, resolution=res) for view, res in VIEWS}


# ---------------------------------------------------------------- the views


@pytest.mark.parametrize("view", [v for v, _ in VIEWS])
def test_view_counts_match_sparql(graphs, expected, view) -> None:
    g = graphs[view]
    assert (g.number_of_nodes(), g.number_of_edges()) == expected[view]
    assert g.number_of_edges() > 0


@pytest.mark.parametrize("view", [v for v, _ in VIEWS])
def test_view_attributes_are_scalar_and_labels_readable(graphs, view) -> None:
    g = graphs[view]
    types: dict[str, set[type]] = {}
    for _, d in g.nodes(data=True):
        assert d["label"] and not str(d["label"]).startswith("http"), d
        for k, v in d.items():
            types.setdefault("n:" + k, set()).add(type(v))
    for _, _, d in g.edges(data=True):
        assert d["kind"] and d["label"], d
        for k, v in d.items():
            types.setdefault("e:" + k, set()).add(type(v))
    assert all(len(t) == 1 and t <= {str, int, bool} for t in types.values()), types


def test_actor_network_content(graphs) -> None:
    g = graphs["actor-network"]
    council, ctc, cted = (f"https://w3id.org/ctkg/id/actor/{c}" for c in ("SECURITY_COUNCIL", "CTC", "CTED"))
    assert g.nodes[ctc]["label"] == "Counter-Terrorism Committee"
    reports = [d for _, _, d in g.edges(cted, data=True) if d["kind"] == "reports-to"]
    assert any(d["resolution"] == "S/RES/2322 (2016)" and d["deadline"].endswith("(2017-10-12)") for d in reports)
    directs = [d for _, v, d in g.edges(council, data=True) if d["kind"] == "directs" and v == ctc]
    assert directs and all("paragraph_text" in d and d["paragraph_text"] for d in directs)


def test_views_are_deterministic(store, graphs) -> None:
    again = to_networkx(store, "citation-network")
    assert list(again.edges(keys=True)) == list(graphs["citation-network"].edges(keys=True))
    assert list(again.nodes) == sorted(again.nodes)


def test_bad_view_arguments(store, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="needs a resolution"):
        to_networkx(store, "obligations")
    with pytest.raises(QueryError, match="no resolution"):
        to_networkx(store, "obligations", resolution="9999 (2030)")
    with pytest.raises(QueryError, match="unknown view"):
        to_networkx(store, "nonsense")
    with pytest.raises(CtkgError, match="RDF formats only"):
        export(store, "graphml", tmp_path / "x.graphml", view="all")
    with pytest.raises(CtkgError, match="unknown export format"):
        export(store, "xlsx", tmp_path / "x.xlsx")


# ---------------------------------------------------------------- property-graph formats


@pytest.mark.parametrize(("view", "resolution"), VIEWS)
def test_graphml_and_gexf_read_back_by_networkx(store, expected, tmp_path: Path, view, resolution) -> None:
    export(store, "graphml", tmp_path / "g.graphml", view=view, resolution=resolution)
    export(store, "gexf", tmp_path / "g.gexf", view=view, resolution=resolution)
    gm = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    gx = nx.read_gexf(tmp_path / "g.gexf")
    assert (gm.number_of_nodes(), gm.number_of_edges()) == expected[view]
    assert (gx.number_of_nodes(), gx.number_of_edges()) == expected[view]
    years = [d["year"] for _, _, d in gm.edges(data=True) if "year" in d]
    assert years and all(isinstance(y, int) for y in years)
    assert all(not str(d["label"]).startswith("http") for _, d in gx.nodes(data=True))


def test_exports_are_byte_stable(store, tmp_path: Path) -> None:
    for i in (1, 2):
        export(store, "graphml", tmp_path / f"{i}.graphml", view="citation-network")
        export(store, "cytoscape", tmp_path / f"{i}.cyjs")
    assert (tmp_path / "1.graphml").read_bytes() == (tmp_path / "2.graphml").read_bytes()
    assert (tmp_path / "1.cyjs").read_bytes() == (tmp_path / "2.cyjs").read_bytes()


@pytest.mark.parametrize(("view", "resolution"), VIEWS)
def test_cytoscape_json(store, expected, tmp_path: Path, view, resolution) -> None:
    export(store, "cytoscape", tmp_path / "g.cyjs", view=view, resolution=resolution)
    doc = json.loads((tmp_path / "g.cyjs").read_text("utf-8"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert (len(nodes), len(edges)) == expected[view]
    ids = [x["data"]["id"] for x in nodes + edges]
    assert len(ids) == len(set(ids))
    node_ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edges)


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed (Debian package graphviz)")
@pytest.mark.parametrize(("view", "resolution"), VIEWS)
def test_dot_read_by_graphviz(store, expected, tmp_path: Path, view, resolution) -> None:
    export(store, "dot", tmp_path / "g.dot", view=view, resolution=resolution)
    proc = subprocess.run(["dot", "-Tjson", str(tmp_path / "g.dot")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    layout = json.loads(proc.stdout)
    assert (len(layout["objects"]), len(layout["edges"])) == expected[view]


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed (Debian package graphviz)")
def test_svg_rendered_by_dot(store, expected, tmp_path: Path) -> None:
    result = export(store, "svg", tmp_path / "g.svg", view="obligations", resolution="1373")
    root = ET.parse(tmp_path / "g.svg").getroot()
    assert root.tag.endswith("svg")
    classes = [el.get("class") for el in root.iter()]
    assert classes.count("node") == expected["obligations"][0] == result.nodes
    # parallel edges of one kind are drawn once: as many edges as distinct (from, to, kind)
    assert 0 < classes.count("edge") <= expected["obligations"][1]
    assert "¶6 calls upon" in (tmp_path / "g.svg").read_text("utf-8")


@pytest.mark.parametrize(("view", "resolution"), VIEWS)
def test_neo4j_csv(store, expected, tmp_path: Path, view, resolution) -> None:
    result = export(store, "neo4j", tmp_path / "neo4j", view=view, resolution=resolution)
    assert [p.name for p in result.paths] == ["nodes.csv", "relationships.csv"]
    with (tmp_path / "neo4j" / "nodes.csv").open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with (tmp_path / "neo4j" / "relationships.csv").open(encoding="utf-8", newline="") as f:
        rels = list(csv.DictReader(f))
    assert (len(nodes), len(rels)) == expected[view]
    assert {"id:ID", ":LABEL"} <= set(nodes[0]) and {":START_ID", ":END_ID", ":TYPE"} <= set(rels[0])
    ids = {n["id:ID"] for n in nodes}
    assert len(ids) == len(nodes)
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in rels)
    assert all(re.fullmatch(r"[A-Z_]+", r[":TYPE"]) for r in rels)
    if view != "actor-network":
        assert "year:int" in nodes[0]
    else:
        assert "year:int" in rels[0] and "binding:boolean" in rels[0]
        assert {r["binding:boolean"] for r in rels} <= {"true", "false", ""}


# ---------------------------------------------------------------- RDF formats


def test_ntriples_of_the_whole_store(store, tmp_path: Path) -> None:
    result = export(store, "ntriples", tmp_path / "all.nt")
    g = rdflib.Graph().parse(tmp_path / "all.nt", format="nt")
    n = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")))
    assert len(g) == int(n[0].value) == result.triples


def test_turtle_and_jsonld_of_a_view(store, tmp_path: Path) -> None:
    export(store, "turtle", tmp_path / "o.ttl", view="obligations", resolution="1373")
    export(store, "jsonld", tmp_path / "o.jsonld", view="obligations", resolution="1373")
    ttl = rdflib.Graph().parse(tmp_path / "o.ttl", format="turtle")
    jld = rdflib.Graph().parse(tmp_path / "o.jsonld", format="json-ld")
    assert isomorphic(ttl, jld)
    doc = json.loads((tmp_path / "o.jsonld").read_text("utf-8"))
    assert doc["@context"]["ctkg"] == "https://w3id.org/ctkg/ontology#"
    ns = "https://w3id.org/ctkg/ontology#"
    directives = {str(s) for s in jld.subjects(rdflib.RDF.type, rdflib.URIRef(ns + "Directive"))
                  if (s, rdflib.URIRef(ns + "addressee"), None) in jld}
    want = {c for (c,) in rows(store, f"SELECT DISTINCT ?c WHERE {{ ?c a ctkg:Directive ; ctkg:addressee ?a ; "
                                      f"ctkg:inResolution <{R1373}> }}")}
    assert directives == want
    # typed literals survive: integers, booleans and language strings
    assert (rdflib.URIRef(R1373), rdflib.URIRef(ns + "year"), rdflib.Literal(2001)) in jld
    assert any(isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.boolean for o in jld.objects())


def test_jsonld_context_is_shipped() -> None:
    from ctkg.export.rdf import CONTEXT_URL, context

    assert CONTEXT_URL.startswith("https://w3id.org/ctkg/")
    assert context()["skos"] == "http://www.w3.org/2004/02/skos/core#"


# ---------------------------------------------------------------- HTML, plots, CLI


def test_html_explorer_is_self_contained(store, expected, tmp_path: Path) -> None:
    result = export(store, "html", tmp_path / "x.html", view="actor-network")
    page = (tmp_path / "x.html").read_text("utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", page, re.IGNORECASE)
    assert "vis.Network" in page and "ctkgExplorer" in page
    data = json.loads(re.search(r"const DATA = (\{.*?\});\n", page, re.DOTALL).group(1))
    assert (len(data["nodes"]), len(data["edges"])) == expected["actor-network"] == (result.nodes, result.edges)
    para = [t["text"] for t in data["texts"].values()]
    assert any(text.startswith("Decides that all States shall") for text in para)


@pytest.mark.parametrize("name", ["obligations-by-strength", "reporting-lines", "most-cited"])
def test_plots(store, tmp_path: Path, name) -> None:
    from ctkg.export import plot

    png = plot(store, name, tmp_path / f"{name}.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    svg1 = plot(store, name, tmp_path / "a.svg").read_bytes()
    svg2 = plot(store, name, tmp_path / "b.svg").read_bytes()
    assert ET.fromstring(svg1).tag.endswith("svg")
    assert svg1 == svg2


def test_plot_data_matches_sparql(store) -> None:
    from ctkg.export.plots import most_cited, obligations_by_strength

    per_year = obligations_by_strength(store)
    total = count(store, "SELECT DISTINCT ?c WHERE { ?c a ctkg:Directive }")
    assert sum(sum(v) for v in per_year.values()) == total
    binding = count(store, "SELECT DISTINCT ?c WHERE { ?c a ctkg:Directive ; ctkg:binding true }")
    assert sum(v[0] for v in per_year.values()) == binding
    top = most_cited(store, 50)
    cited = count(store, "SELECT DISTINCT ?cr WHERE { ?x a ctkg:Citation ; ctkg:inResolution ?r ; "
                         "ctkg:citedResolution ?cr . FILTER(?r != ?cr) }")
    assert len(top) == min(50, cited)


def test_plot_errors(store, tmp_path: Path) -> None:
    from ctkg.export import plot

    with pytest.raises(CtkgError, match="unknown plot"):
        plot(store, "pie", tmp_path / "x.png")
    with pytest.raises(CtkgError, match="end in"):
        plot(store, "most-cited", tmp_path / "x.gif")


def test_cli_export_and_plot(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "store"
    ctkg.build([Path(ctkg.corpus.corpus_dir()) / "unsc" / "1373_2001.txt"], store=folder)
    parser = argparse.ArgumentParser(prog="ctkg")
    table = add_parsers(parser.add_subparsers(dest="command", required=True))

    def run(*argv: str) -> int:
        args = parser.parse_args(list(argv))
        return table[args.command](args)

    assert run("export", "--format", "gexf", "-o", str(tmp_path / "a.gexf"), "--store", str(folder)) == 0
    assert "wrote gexf (actor-network:" in capsys.readouterr().out
    assert run("export", "-f", "neo4j", "--view", "obligations", "--resolution", "1373", "-o",
               str(tmp_path / "neo"), "--store", str(folder)) == 0
    assert "neo4j-admin database import full" in capsys.readouterr().out
    assert run("plot", "most-cited", "-o", str(tmp_path / "m.svg"), "--store", str(folder)) == 0
    assert (tmp_path / "m.svg").stat().st_size > 1000
    with pytest.raises(QueryError):
        run("export", "-f", "dot", "--view", "obligations", "-o", str(tmp_path / "x.dot"), "--store", str(folder))
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "-f", "xlsx", "-o", "x"])
    assert set(EXPORTERS) >= {"turtle", "ntriples", "jsonld", "graphml", "gexf", "cytoscape", "dot", "svg", "neo4j",
                              "html"}
