"""Exports of the graph to RDF files, graph visualisers, an offline HTML explorer and plots.

Formats (:data:`EXPORTERS`): ``turtle``, ``ntriples``, ``jsonld`` (RDF: the whole store,
or the triples of a view), ``graphml``, ``gexf``, ``cytoscape``, ``dot``, ``svg``,
``neo4j`` (a folder with ``nodes.csv`` and ``relationships.csv``) and ``html`` (the
interactive explorer).  Views (:data:`VIEWS`): ``actor-network``, ``citation-network``
and ``obligations`` (one resolution).

>>> import ctkg, tempfile, pathlib
>>> from ctkg.export import export, to_networkx
>>> store = ctkg.build(corpus="demo", store="memory:").store_handle
>>> g = to_networkx(store, "obligations", resolution="S/RES/2322 (2016)")
>>> g.graph["resolution"]
'S/RES/2322 (2016)'
>>> out = pathlib.Path(tempfile.mkdtemp()) / "actors.graphml"
>>> result = export(store, "graphml", out, view="actor-network")
>>> result.nodes == to_networkx(store, "actor-network").number_of_nodes()
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ctkg.errors import CtkgError
from ctkg.store.local import OxigraphStore

from . import graphs, neo4j, rdf
from .views import VIEWS, build_view


@dataclass(frozen=True)
class Exporter:
    """One export format."""

    name: str
    suffix: str
    family: str
    """``rdf`` (triples), ``graph`` (a property-graph view), or ``html`` (the explorer)."""
    description: str
    write: Callable[..., object] = field(repr=False)


@dataclass
class ExportResult:
    """What an export wrote."""

    format: str
    view: str
    paths: list[Path]
    nodes: int = 0
    edges: int = 0
    triples: int = 0

    def summary(self) -> str:
        """One line for the CLI."""
        what = (f"{self.triples} triples" if self.triples or self.format in RDF_FORMATS
                else f"{self.nodes} nodes, {self.edges} edges")
        where = ", ".join(str(p) for p in self.paths)
        return f"wrote {self.format} ({self.view}: {what}) to {where}"


def _html_writer(g: nx.MultiDiGraph, dest: Path) -> None:
    from .html import write_explorer

    write_explorer(g, dest)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", ".ttl", "rdf", "RDF 1.1 Turtle with the ctkg prefixes", rdf.write_turtle),
        Exporter("ntriples", ".nt", "rdf", "RDF 1.1 N-Triples, sorted", rdf.write_ntriples),
        Exporter("jsonld", ".jsonld", "rdf", "JSON-LD 1.1 with the ctkg @context embedded", rdf.write_jsonld),
        Exporter("graphml", ".graphml", "graph", "GraphML (yEd, Gephi, Cytoscape)", graphs.write_graphml),
        Exporter("gexf", ".gexf", "graph", "GEXF 1.2 (Gephi)", graphs.write_gexf),
        Exporter("cytoscape", ".cyjs", "graph", "Cytoscape.js elements JSON", graphs.write_cytoscape),
        Exporter("dot", ".dot", "graph", "Graphviz DOT", graphs.write_dot),
        Exporter("svg", ".svg", "graph", "SVG drawn by Graphviz dot", graphs.write_svg),
        Exporter("neo4j", "", "graph", "neo4j-admin import CSV: a folder with nodes.csv and relationships.csv",
                 neo4j.write_neo4j),
        Exporter("html", ".html", "html", "self-contained interactive explorer (works offline)", _html_writer),
    )
}
"""The export formats, by name."""

RDF_FORMATS = frozenset(name for name, e in EXPORTERS.items() if e.family == "rdf")
ALL_VIEW = "all"
"""For RDF formats: every triple of the store (the default for them)."""


def to_networkx(store: OxigraphStore, view: str = "actor-network", *, resolution: str | None = None) -> nx.MultiDiGraph:
    """One view of the store as a ``networkx.MultiDiGraph`` (sorted nodes and edges, scalar attributes)."""
    return build_view(store, view, resolution=resolution)


def default_view(fmt: str) -> str:
    """``all`` for RDF formats, ``actor-network`` for the others."""
    return ALL_VIEW if fmt in RDF_FORMATS else "actor-network"


def export(
    store: OxigraphStore,
    fmt: str,
    dest: str | Path,
    view: str | None = None,
    resolution: str | None = None,
) -> ExportResult:
    """Write ``view`` of ``store`` to ``dest`` in format ``fmt`` (see :data:`EXPORTERS`).

    ``view`` defaults to ``all`` (every triple) for RDF formats and ``actor-network``
    otherwise; ``obligations`` needs ``resolution`` ("S/RES/1373 (2001)", "1373").
    For ``neo4j``, ``dest`` is a folder.
    """
    try:
        exporter = EXPORTERS[fmt]
    except KeyError:
        raise CtkgError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}") from None
    view = view or default_view(fmt)
    if view == ALL_VIEW and exporter.family != "rdf":
        raise CtkgError(f"the view 'all' is for RDF formats only; for {fmt} choose one of {', '.join(VIEWS)}")
    if view != ALL_VIEW and view not in VIEWS:
        raise CtkgError(f"unknown view {view!r}; choose one of {', '.join((*VIEWS, ALL_VIEW))}")
    path = Path(dest)
    target = path if fmt == "neo4j" else path.parent
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CtkgError(f"cannot create the output folder: {exc}", path=str(target)) from None
    try:
        if exporter.family == "rdf":
            triples = (rdf.store_triples(store) if view == ALL_VIEW
                       else rdf.view_triples(store, view, resolution))
            exporter.write(triples, path)
            return ExportResult(fmt, view, [path], triples=len(triples))
        g = build_view(store, view, resolution=resolution)
        written = exporter.write(g, path)
        paths = list(written) if isinstance(written, list) else [path]
        return ExportResult(fmt, view, paths, nodes=g.number_of_nodes(), edges=g.number_of_edges())
    except OSError as exc:
        raise CtkgError(f"cannot write the export: {exc}", path=str(path)) from None


def plot(store: OxigraphStore, name: str, dest: str | Path) -> Path:
    """Draw plot ``name`` (see :data:`ctkg.export.plots.PLOTS`) to ``dest`` (.png, .svg or .pdf)."""
    from .plots import plot as _plot

    return _plot(store, name, dest)


def explorer(store: OxigraphStore, dest: str | Path, view: str = "actor-network",
             resolution: str | None = None) -> ExportResult:
    """Write the interactive HTML explorer of ``view`` (the same as ``export(store, "html", ...)``)."""
    return export(store, "html", dest, view=view, resolution=resolution)


__all__ = [
    "ALL_VIEW",
    "EXPORTERS",
    "RDF_FORMATS",
    "VIEWS",
    "ExportResult",
    "Exporter",
    "default_view",
    "explorer",
    "export",
    "plot",
    "to_networkx",
]
