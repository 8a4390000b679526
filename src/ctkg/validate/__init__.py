"""SHACL validation of the graph, resolution by resolution, with pySHACL.

Each resolution's named graph is validated on its own (with the actor registry
and the ontology mixed in), which keeps pySHACL fast and lets a report name the
resolution and paragraph of each result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from ctkg.errors import ValidationError
from ctkg.graph.iris import ACTORS_GRAPH
from ctkg.graph.namespaces import CTKG, ID, OA
from ctkg.resources import ontology_files, shapes_file
from ctkg.store.local import OxigraphStore

SH = Namespace("http://www.w3.org/ns/shacl#")
_RES_GRAPH = re.compile(r"/graph/res/(\d+)-(\d{4})$")


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, made readable."""

    severity: str  # "Violation", "Warning" or "Info"
    message: str
    focus: str
    path: str | None
    component: str
    value: str | None
    resolution: str | None
    paragraph: str | None
    excerpt: str | None

    def line(self) -> str:
        """One line for people."""
        where = " ".join(x for x in (self.resolution, f"para {self.paragraph}" if self.paragraph else None) if x)
        ex = f' "{self.excerpt}"' if self.excerpt else ""
        return f"{self.severity}: {where or self.focus}: {self.message}{ex}"


@dataclass
class ValidationReport:
    """The outcome of validating a store."""

    conforms: bool = True
    results: list[Result] = field(default_factory=list)
    graphs: int = 0
    report_graph: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    try:
        return Graph().parse(shapes_file(), format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"cannot load the shapes: {exc}", path=str(shapes_file())) from None


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    return g


def _graph_of(store: OxigraphStore, graph: str) -> Graph:
    data = store.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
    g = Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    return g


def validate_graph(data: Graph) -> tuple[bool, Graph]:
    """Validate one data graph against the shapes (ontology mixed in). Returns (conforms, report)."""
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(
        data, shacl_graph=_shapes(), ont_graph=_ontology(), inference="none", advanced=True,
        allow_warnings=True,
    )
    return bool(conforms), report


def _describe(data: Graph, report: Graph) -> list[Result]:
    out: list[Result] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        sev = report.value(r, SH.resultSeverity)
        msg = report.value(r, SH.resultMessage)
        path = report.value(r, SH.resultPath)
        comp = report.value(r, SH.sourceConstraintComponent)
        value = report.value(r, SH.value)
        resolution, paragraph, excerpt = _locate(data, focus)
        out.append(
            Result(
                severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
                message=str(msg) if msg else "constraint not met",
                focus=str(focus),
                path=str(path) if path else None,
                component=str(comp).rsplit("#", 1)[-1] if comp else "",
                value=str(value) if value is not None else None,
                resolution=resolution,
                paragraph=paragraph,
                excerpt=excerpt,
            )
        )
    out.sort(key=lambda x: (x.resolution or "", x.focus, x.message))
    return out


def _locate(data: Graph, focus: object) -> tuple[str | None, str | None, str | None]:
    if not isinstance(focus, URIRef):
        return None, None, None
    m = re.match(re.escape(str(ID)) + r"res/(\d+)-(\d{4})(?:/([A-Za-z0-9_]+))?", str(focus))
    if not m:
        return None, None, None
    symbol = f"S/RES/{m.group(1)} ({m.group(2)})"
    paragraph = excerpt = None
    if m.group(3):
        eid = re.sub(r"__(?:clause|ref|report|heading)_.*$", "", m.group(3))
        p = ID[f"res/{m.group(1)}-{m.group(2)}/{eid}"]
        label = data.value(p, CTKG.label)
        paragraph = str(label) if label else None
        span = data.value(focus, CTKG.sourceSpan) or data.value(p, CTKG.sourceSpan)
        exact = data.value(span, OA.exact) if span is not None else None
        if exact:
            text = " ".join(str(exact).split())
            excerpt = text if len(text) <= 90 else text[:89] + "…"
    return symbol, paragraph, excerpt


def validate_store(store: OxigraphStore) -> ValidationReport:
    """Validate every resolution graph in the store."""
    report = ValidationReport()
    actors = _graph_of(store, str(ACTORS_GRAPH))
    for g in store.graphs():
        if not _RES_GRAPH.search(g):
            continue
        data = _graph_of(store, g)
        data += actors
        conforms, rg = validate_graph(data)
        report.graphs += 1
        report.conforms = report.conforms and conforms
        report.results.extend(_describe(data, rg))
        report.report_graph += rg
    return report


__all__ = ["Result", "ValidationReport", "validate_graph", "validate_store"]
