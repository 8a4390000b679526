"""SHACL validation of the graph, by two engines that must agree.

- ``sparql`` (the default): the shapes compiled to SPARQL (:mod:`ctkg.validate.compile`) and
  run by Oxigraph on the whole store at once, one query per constraint.  The data graph is
  the union of the store's graphs (resolutions, actors, the UN index, the ontology), so a
  node described in two graphs is checked on everything said about it.
- ``pyshacl``: the reference semantics.  Each resolution's named graph is validated on its own
  (with the actor registry and the ontology mixed in), which keeps pySHACL fast enough and
  lets a report name the resolution and paragraph of each result.

Tests run both engines on every case of tests/shacl and on real stores and require the same
results (focus node, constraint component, path, severity).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ctkg.errors import ValidationError
from ctkg.graph.iris import ACTORS_GRAPH, resolution_of_graph
from ctkg.graph.namespaces import CTKG, ID, OA
from ctkg.resources import ontology_files, shapes_file
from ctkg.store.local import OxigraphStore
from ctkg.validate.compile import CompiledConstraint, ShapeCompileError, compile_shapes

SH = Namespace("http://www.w3.org/ns/shacl#")
ENGINES = ("sparql", "pyshacl")


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
        val = f" [value: {self.value}]" if self.value and self.value != self.focus and not self.excerpt else ""
        return f"{self.severity}: {where or self.focus}: {self.message}{val}{ex}"


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
    """pySHACL's report graph as readable results."""
    out: list[Result] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        sev = report.value(r, SH.resultSeverity)
        msg = report.value(r, SH.resultMessage)
        path = report.value(r, SH.resultPath)
        comp = report.value(r, SH.sourceConstraintComponent)
        value = report.value(r, SH.value)
        out.append(
            _result(
                Lookup(data), focus, value,
                severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
                message=str(msg) if msg else "constraint not met",
                path=str(path) if path else None,
                component=str(comp).rsplit("#", 1)[-1] if comp else "",
            )
        )
    out.sort(key=_order)
    return out


def _order(r: Result) -> tuple[str, str, str, str, str]:
    return (r.resolution or "", r.focus, r.component, r.path or "", r.value or "")


class Lookup:
    """Single-valued property look-ups, on an rdflib graph or on a store."""

    def __init__(self, data: Graph | OxigraphStore | ox.Store) -> None:
        self.data = data

    def value(self, s: Node, p: URIRef) -> Node | None:
        if isinstance(self.data, Graph):
            return self.data.value(s, p)
        raw = self.data.raw if isinstance(self.data, OxigraphStore) else self.data
        if not isinstance(s, URIRef):
            return None
        for q in raw.quads_for_pattern(ox.NamedNode(str(s)), ox.NamedNode(str(p)), None, None):
            return to_rdflib(q.object)
        return None


def _result(look: Lookup, focus: Node | None, value: Node | None, **fields: str | None) -> Result:
    """A readable result.  Where the focus is a whole resolution (the cross-node checks) and the
    value is a node of it, the paragraph and excerpt are the value's."""
    resolution, paragraph, excerpt = _locate(look, focus)
    if paragraph is None and value is not None:
        at_value = _locate(look, value)
        if at_value[0] == resolution and at_value[1]:
            resolution, paragraph, excerpt = at_value
    return Result(focus=str(focus), resolution=resolution, paragraph=paragraph, excerpt=excerpt,
                  value=str(value) if value is not None else None, **fields)  # type: ignore[arg-type]


def _locate(look: Lookup, focus: Node | None) -> tuple[str | None, str | None, str | None]:
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
        label = look.value(p, CTKG.label)
        paragraph = str(label) if label else None
        span = look.value(focus, CTKG.sourceSpan) or look.value(p, CTKG.sourceSpan)
        exact = look.value(span, OA.exact) if span is not None else None
        if exact:
            text = " ".join(str(exact).split())
            excerpt = text if len(text) <= 90 else text[:89] + "…"
    return symbol, paragraph, excerpt


# --- the SPARQL engine ---------------------------------------------------------------------------

def to_rdflib(t: object) -> Node:
    """An Oxigraph term as an rdflib term."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise ValidationError(f"unexpected term in a validation result: {t!r}")


@lru_cache(maxsize=1)
def compiled_shapes() -> tuple[CompiledConstraint, ...]:
    """Our shapes compiled to SPARQL (once per process)."""
    return tuple(compile_shapes(_shapes()))


_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class RawResult:
    """One result of a compiled constraint, in rdflib terms (before it is made readable)."""

    focus: Node
    component: str
    severity: URIRef
    path: Node | None
    value: Node | None
    message: str | None
    shape: Node


def run_compiled(store: ox.Store, constraints: tuple[CompiledConstraint, ...] | list[CompiledConstraint],
                 **dataset: Any) -> list[RawResult]:
    """Run compiled constraints on an Oxigraph store; ``dataset`` picks the default graph
    (``use_default_graph_as_union=True`` or ``default_graph=[...]``)."""
    out: set[RawResult] = set()
    for c in constraints:
        try:
            solutions = store.query(c.query, **dataset)
        except (SyntaxError, OSError, ValueError) as exc:
            raise ShapeCompileError(f"compiled query of {c.shape} ({c.component}) failed: {exc}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise ShapeCompileError(f"compiled query of {c.shape} ({c.component}) is not a SELECT")
        names = [v.value for v in solutions.variables]
        for row in solutions:
            binding: dict[str, Any] = {n: row[n] for n in names if row[n] is not None}
            focus = to_rdflib(binding["this"])
            if c.value_is_focus or (c.component == "SPARQLConstraintComponent" and "value" not in binding):
                value: Node | None = focus  # SHACL-SPARQL: sh:value is $this when ?value is unbound
            else:
                value = to_rdflib(binding["value"]) if "value" in binding else None
            message = c.message
            if message and c.component == "SPARQLConstraintComponent":
                message = _fill(message, binding)
            path = to_rdflib(binding["path"]) if "path" in binding else c.path
            out.add(RawResult(focus, c.component, c.severity, path, value, message, c.shape))
    return sorted(out, key=lambda r: (str(r.focus), r.component, str(r.path), str(r.value), str(r.message)))


def _fill(template: str, binding: dict[str, Any]) -> str:
    """A SHACL-SPARQL message template with {?var} / {$var} filled from a result row."""
    def show(m: re.Match[str]) -> str:
        t = binding.get(m.group(1))
        return "" if t is None else str(to_rdflib(t))

    return _TEMPLATE.sub(show, template)


def report_graph(raw: list[RawResult], shapes: Graph | None = None) -> Graph:
    """Results as a standard ``sh:ValidationReport`` graph."""
    shapes = _shapes() if shapes is None else shapes
    g = Graph()
    g.bind("sh", SH)
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not any(r.severity == SH.Violation for r in raw))))
    for r in raw:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.sourceConstraintComponent, SH[r.component]))
        if r.path is not None:
            _copy_path(shapes, r.path, g, node)
        if r.value is not None:
            g.add((node, SH.value, r.value))
        if r.message:
            g.add((node, SH.resultMessage, Literal(r.message)))
        if isinstance(r.shape, URIRef):
            g.add((node, SH.sourceShape, r.shape))
    return g


def _copy_path(shapes: Graph, path: Node, g: Graph, node: Node) -> None:
    """``sh:resultPath``: an IRI as is, a complex path with its (blank-node) structure."""
    if not isinstance(path, BNode):
        g.add((node, SH.resultPath, path))
        return
    copies: dict[Node, BNode] = {}

    def copy(n: Node) -> Node:
        if not isinstance(n, BNode):
            return n
        if n not in copies:
            copies[n] = BNode()
            for p, o in shapes.predicate_objects(n):
                g.add((copies[n], p, copy(o)))
        return copies[n]

    g.add((node, SH.resultPath, copy(path)))


def validate_graph_sparql(data: Graph) -> tuple[bool, Graph]:
    """The SPARQL engine on one rdflib graph (ontology mixed in, as pySHACL gets it)."""
    store = ox.Store()
    nt = (data + _ontology()).serialize(format="nt", encoding="utf-8")
    store.load(nt, format=ox.RdfFormat.N_TRIPLES)
    raw = run_compiled(store, compiled_shapes())
    return not any(r.severity == SH.Violation for r in raw), report_graph(raw)


# In a worker process of a parallel run: the store (opened read-only) and the graphs to use.
_WORKER: dict[str, Any] = {}


def _worker_open(location: str) -> None:
    _WORKER["store"] = ox.Store.read_only(location)


def _worker_run(index: int) -> list[RawResult]:
    return run_compiled(_WORKER["store"], [compiled_shapes()[index]], use_default_graph_as_union=True)


def _run_parallel(store: ox.Store, workers: int) -> list[RawResult]:
    """The compiled constraints shared out to worker processes (Oxigraph holds the GIL while it
    evaluates, so threads do not help).  The workers read a checkpoint of the database (hard
    links, taken in milliseconds): a read-only handle on a database that another handle may be
    compacting can find its files gone."""
    compiled_shapes()  # compiled once, before the workers fork
    context = multiprocessing.get_context("fork")
    out: set[RawResult] = set()
    with tempfile.TemporaryDirectory(prefix="ctkg-validate-") as tmp:
        checkpoint = str(Path(tmp) / "db")
        store.backup(checkpoint)
        with context.Pool(workers, initializer=_worker_open, initargs=(checkpoint,)) as pool:
            for part in pool.imap_unordered(_worker_run, range(len(compiled_shapes()))):
                out.update(part)
    return sorted(out, key=lambda r: (str(r.focus), r.component, str(r.path), str(r.value), str(r.message)))


def _validate_store_sparql(store: OxigraphStore, workers: int | None = None) -> ValidationReport:
    # The data graph is the union of all graphs (a default graph made of an explicit list of
    # 1,200 graphs is far slower in Oxigraph than its union default graph).
    report = ValidationReport(graphs=sum(1 for g in store.graphs() if resolution_of_graph(g)))
    workers = min(os.cpu_count() or 1, 4) if workers is None else workers
    if workers > 1 and store.location != "memory:":
        raw = _run_parallel(store.raw, workers)
    else:
        raw = run_compiled(store.raw, compiled_shapes(), use_default_graph_as_union=True)
    look = Lookup(store)
    report.results = sorted(
        (_result(look, r.focus, r.value, severity=str(r.severity).rsplit("#", 1)[-1],
                 message=r.message or "constraint not met", path=str(r.path) if r.path is not None else None,
                 component=r.component)
         for r in raw),
        key=_order,
    )
    report.conforms = not report.violations
    report.report_graph = report_graph(raw)
    return report


def _validate_store_pyshacl(store: OxigraphStore) -> ValidationReport:
    report = ValidationReport()
    actors = _graph_of(store, str(ACTORS_GRAPH))
    for g in store.graphs():
        if not resolution_of_graph(g):
            continue
        data = _graph_of(store, g)
        data += actors
        conforms, rg = validate_graph(data)
        report.graphs += 1
        report.conforms = report.conforms and conforms
        report.results.extend(_describe(data, rg))
        report.report_graph += rg
    report.results.sort(key=_order)
    return report


def validate_store(store: OxigraphStore, engine: str = "sparql", *, workers: int | None = None) -> ValidationReport:
    """Validate the store with one of :data:`ENGINES`; the SPARQL engine runs its queries in
    ``workers`` processes on a store on disk (default: one per core, at most 4)."""
    if engine == "sparql":
        return _validate_store_sparql(store, workers)
    if engine == "pyshacl":
        return _validate_store_pyshacl(store)
    raise ValidationError(f"unknown validation engine {engine!r} (expected one of {', '.join(ENGINES)})")


__all__ = [
    "ENGINES",
    "RawResult",
    "Result",
    "ShapeCompileError",
    "ValidationReport",
    "compiled_shapes",
    "report_graph",
    "run_compiled",
    "to_rdflib",
    "validate_graph",
    "validate_graph_sparql",
    "validate_store",
]
