"""Runner for the SHACL test cases in tests/shacl/ (W3C data-shapes test-suite style).

Each case is one Turtle file that holds the data triples and a manifest with one entry::

    <> a mf:Manifest ; mf:entries ( <neg-directive-without-addressee> ) .
    <neg-directive-without-addressee> a sht:Validate ;
        mf:action [ sht:dataGraph <> ; sht:shapesGraph <../../shapes/ctkg.shapes.ttl> ] ;
        mf:result [ a sh:ValidationReport ; sh:conforms false ;
                    sh:result [ a sh:ValidationResult ; sh:focusNode … ; sh:resultSeverity sh:Violation ;
                                sh:sourceConstraintComponent sh:MinCountConstraintComponent ;
                                sh:resultPath ctkg:addressee ] ] .

``<>`` is the case file itself (so the data graph also holds the manifest, as in the W3C suite);
it is parsed with rdflib's literal normalisation switched off, so that every engine sees the
lexical forms written in the file (rdflib would otherwise rewrite "1"^^xsd:boolean or
"True"^^xsd:boolean as "true", and Jena, which gets the graph as N-Triples, would never see them);
relative IRIs resolve against the file, so the shapes graph is found next to the repository's
``shapes/``.  The data given to every engine is the case file's graph plus the ontology modules
(``ctkg.resources.ontology_files()``), merged: ``sh:class`` and ``sh:targetClass`` follow
``rdfs:subClassOf``, and an engine cannot be told about the ontology in a portable way otherwise.

Engines are pluggable: ``ENGINES`` maps a name to a function ``(data: rdflib.Graph, shapes: Path)
-> rdflib.Graph`` that returns the engine's ``sh:ValidationReport`` as RDF (the data already holds
the ontology; the function must not change it).  A new engine, say shapes compiled to SPARQL, only
has to produce such a report graph::

    ENGINES["sparql"] = my_engine          # then run_case("sparql", case), run_batch("sparql", cases)

:func:`normalise` turns every report into the same comparable :class:`Outcome`, :func:`run_case`
runs one engine on one case, :func:`run_batch` on many cases at once (one call of the engine).
``sh:conforms`` is compared with its W3C meaning: false as soon as there is any result, a Warning
included (ctkg's own validation runs pySHACL with ``allow_warnings=True``; the suite does not).

Normalised results are :class:`Result` tuples ``(focus, component, path, severity, value)``:

* ``focus``, ``path``: IRIs written with the prefixes of :data:`PREFIXES` (``id:res/1373-2001``,
  ``ctkg:addressee``), a path in SPARQL property-path syntax (``^ctkg:hasParagraph``), ``None``
  for results without ``sh:resultPath``;
* ``component``, ``severity``: local names (``MinCountConstraintComponent``, ``Violation``);
* ``value``: only for SPARQL-based constraints (``None`` otherwise).  Their component,
  ``SPARQLConstraintComponent``, does not say which of a shape's SPARQL constraints fired; the
  ``sh:value`` (the clause, deadline or cited resolution the query reports) does.

Results are compared as multisets (:class:`collections.Counter`): two shapes that report the same
tuple (e.g. ``sh:maxCount`` on ``ctkg:modality`` in both the clause and the directive shape) count
twice.  Blank-node focus nodes are not supported (the cases avoid them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlparse

import rdflib
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ctkg.resources import ontology_files

SH = Namespace("http://www.w3.org/ns/shacl#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")

CASES_DIR = Path(__file__).parent / "shacl"

PREFIXES: dict[str, str] = {
    "id": "https://w3id.org/ctkg/id/",
    "ctkg": "https://w3id.org/ctkg/ontology#",
    "modality": "https://w3id.org/ctkg/modality/",
    "relation": "https://w3id.org/ctkg/relation/",
    "role": "https://w3id.org/ctkg/role/",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
}

Engine = Callable[[Graph, Path], Graph]
"""An engine: (data graph, shapes file) -> validation report graph (one sh:ValidationReport)."""


class Result(NamedTuple):
    """One validation result in a form that does not depend on the engine."""

    focus: str
    component: str
    path: str | None
    severity: str
    value: str | None = None

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value else ""
        return f"{self.severity} {self.component} {self.focus}{path}{value}"


@dataclass(frozen=True)
class Outcome:
    """What an engine (or a case's expected report) says: conforms, and the results."""

    conforms: bool
    results: Counter[Result]

    def lines(self) -> list[str]:
        """Sorted, readable lines (for assertion messages)."""
        return [f"conforms {self.conforms}"] + sorted(
            f"{n} x {r}" if n > 1 else str(r) for r, n in self.results.items()
        )


@dataclass(frozen=True)
class Case:
    """One test case: its file, label, data graph, shapes file and expected outcome."""

    name: str
    path: Path
    label: str
    data: Graph
    shapes: Path
    expected: Outcome


# ---------------------------------------------------------------------------- terms and paths


def _short(node: Node) -> str:
    if isinstance(node, URIRef):
        iri = str(node)
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"blank node {node!r} where an IRI or literal is needed (cases avoid them)")


def _local(node: Node | None) -> str:
    return str(node).rsplit("#", 1)[-1] if node is not None else ""


def path_string(g: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax: ``ctkg:p``, ``^ctkg:p``, ``(a/b)``, ``(a|b)``, ``p*``."""
    if isinstance(path, URIRef):
        return _short(path)
    if isinstance(path, BNode):
        if (path, RDF.first, None) in g:
            return "(" + "/".join(path_string(g, p) for p in Collection(g, path)) + ")"
        for prop, fmt in (
            (SH.inversePath, "^{}"),
            (SH.zeroOrMorePath, "{}*"),
            (SH.oneOrMorePath, "{}+"),
            (SH.zeroOrOnePath, "{}?"),
        ):
            inner = g.value(path, prop)
            if inner is not None:
                return fmt.format(path_string(g, inner))
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(path_string(g, p) for p in Collection(g, alternatives)) + ")"
    raise ValueError(f"not a SHACL property path: {path!r}")


# ---------------------------------------------------------------------------- reports


def normalise_results(g: Graph, report: Node) -> Outcome:
    """The outcome stated by one sh:ValidationReport node of graph ``g``."""
    conforms = g.value(report, SH.conforms)
    if not isinstance(conforms, Literal) or not isinstance(conforms.toPython(), bool):
        raise ValueError(f"report {report!r} has no boolean sh:conforms")
    results: Counter[Result] = Counter()
    for r in g.objects(report, SH.result):
        focus = g.value(r, SH.focusNode)
        component = g.value(r, SH.sourceConstraintComponent)
        severity = g.value(r, SH.resultSeverity)
        if focus is None or component is None or severity is None:
            raise ValueError(f"result {r!r} lacks sh:focusNode, sh:sourceConstraintComponent or sh:resultSeverity")
        path = g.value(r, SH.resultPath)
        value = g.value(r, SH.value) if component == SH.SPARQLConstraintComponent else None
        results[
            Result(
                focus=_short(focus),
                component=_local(component),
                path=path_string(g, path) if path is not None else None,
                severity=_local(severity),
                value=_short(value) if value is not None else None,
            )
        ] += 1
    return Outcome(conforms=bool(conforms.toPython()), results=results)


def normalise(report: Graph) -> Outcome:
    """The outcome of an engine's report graph (exactly one sh:ValidationReport)."""
    reports = list(report.subjects(RDF.type, SH.ValidationReport))
    if len(reports) != 1:
        raise ValueError(f"expected one sh:ValidationReport, found {len(reports)}")
    return normalise_results(report, reports[0])


# ---------------------------------------------------------------------------- cases


def _file_path(iri: Node) -> Path:
    parsed = urlparse(str(iri))
    if parsed.scheme != "file":
        raise ValueError(f"not a file IRI: {iri}")
    return Path(unquote(parsed.path))


@contextmanager
def exact_literals() -> Iterator[None]:
    """Parse without rdflib's literal normalisation: keep lexical forms as written."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def case_files(directory: Path = CASES_DIR) -> list[Path]:
    return sorted(directory.glob("*.ttl"))


def load_case(path: Path) -> Case:
    """Parse a case file and find its data graph, shapes graph and expected report."""
    path = path.resolve()
    with exact_literals():
        g = Graph().parse(path, format="turtle")
    entries = [e for m in g.subjects(RDF.type, MF.Manifest) for lst in g.objects(m, MF.entries)
               for e in Collection(g, lst)]
    if len(entries) != 1:
        raise ValueError(f"{path.name}: a case file has one manifest entry, found {len(entries)}")
    entry = entries[0]
    if (entry, RDF.type, SHT.Validate) not in g:
        raise ValueError(f"{path.name}: the entry is not a sht:Validate")
    action = g.value(entry, MF.action)
    data_iri, shapes_iri = g.value(action, SHT.dataGraph), g.value(action, SHT.shapesGraph)
    if data_iri is None or shapes_iri is None:
        raise ValueError(f"{path.name}: mf:action needs sht:dataGraph and sht:shapesGraph")
    if _file_path(data_iri) != path:
        raise ValueError(f"{path.name}: sht:dataGraph must be <> (the case file itself)")
    shapes = _file_path(shapes_iri)
    if not shapes.is_file():
        raise ValueError(f"{path.name}: shapes graph {shapes} not found")
    result = g.value(entry, MF.result)
    if result is None or (result, RDF.type, SH.ValidationReport) not in g:
        raise ValueError(f"{path.name}: mf:result must be a sh:ValidationReport")
    label = g.value(entry, RDFS.label)
    return Case(
        name=path.stem,
        path=path,
        label=str(label) if label else path.stem,
        data=g,
        shapes=shapes,
        expected=normalise_results(g, result),
    )


@cache
def ontology() -> Graph:
    """The ontology modules, parsed once."""
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    return g


def with_ontology(data: Graph) -> Graph:
    """A new graph: ``data`` plus the ontology (what every engine is given)."""
    g = Graph()
    g += data
    g += ontology()
    return g


# ---------------------------------------------------------------------------- engines


@cache
def _shapes_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def pyshacl_engine(data: Graph, shapes: Path) -> Graph:
    """pySHACL as ctkg runs it (no inference, SHACL-AF on), but with W3C conformance: a warning
    makes ``sh:conforms false`` (ctkg's own validation passes ``allow_warnings=True``)."""
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=_shapes_graph(shapes), inference="none", advanced=True)
    assert isinstance(report, Graph)
    return report


def jena_engine(data: Graph, shapes: Path) -> Graph:
    """Apache Jena's ``shacl validate`` (see tests/jena.py); raises JenaError when Jena cannot run."""
    from tests.jena import jena

    return jena().validate_graph(data, shapes)


def sparql_engine(data: Graph, shapes: Path) -> Graph:
    """ctkg's fast path: the shapes compiled to SPARQL (ctkg.validate.compile) and run by Oxigraph;
    ``sh:conforms`` set the W3C way (any result makes it false), as for the other engines."""
    import pyoxigraph as ox

    from ctkg.validate import report_graph, run_compiled
    from ctkg.validate.compile import compile_shapes

    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    raw = run_compiled(store, compile_shapes(_shapes_graph(shapes)))
    report = report_graph(raw, _shapes_graph(shapes))
    for node in list(report.subjects(SH.conforms, None)):
        report.set((node, SH.conforms, Literal(not raw)))
    return report


ENGINES: dict[str, Engine] = {"pyshacl": pyshacl_engine, "jena": jena_engine, "sparql": sparql_engine}


def run(engine: str | Engine, data: Graph, shapes: Path) -> Outcome:
    """Run an engine (by name or function) on data that already includes the ontology."""
    fn = ENGINES[engine] if isinstance(engine, str) else engine
    return normalise(fn(data, shapes))


def run_case(engine: str | Engine, case: Case) -> Outcome:
    """Run an engine on a case: the case file's graph plus the ontology, against its shapes."""
    return run(engine, with_ontology(case.data), case.shapes)


# ---------------------------------------------------------------------------- batches

ID_NS = PREFIXES["id"]


def _moved(node: Node, tag: str) -> Node:
    if isinstance(node, URIRef) and str(node).startswith(ID_NS):
        return URIRef(f"{ID_NS}{tag}/{str(node)[len(ID_NS):]}")
    return node


def run_batch(engine: str | Engine, cases: list[Case]) -> dict[str, Outcome]:
    """Run an engine once on several cases (for engines that are slow to start, such as Jena).

    Each case's ctkg ids (``https://w3id.org/ctkg/id/…``) are moved to a namespace of its own
    (``…/id/~3/res/…``), so that the cases share no node but the ontology's; their union plus the
    ontology is validated in one call; each result goes back to its case by its focus node, with
    the ids restored.  No shape looks at the text of an IRI, so the moved graphs validate as the
    originals do.  A case's ``conforms`` is then "no result", the W3C definition both engines follow.
    """
    shapes = {c.shapes for c in cases}
    if len(shapes) != 1:
        raise ValueError("a batch needs one shapes graph")
    union = Graph()
    tags = {}
    for i, c in enumerate(cases):
        tag = f"~{i}"
        tags[f"id:{tag}/"] = c.name
        for s, p, o in c.data:
            union.add((_moved(s, tag), p, _moved(o, tag)))
    union += ontology()
    outcome = run(engine, union, shapes.pop())
    per_case: dict[str, Counter[Result]] = {c.name: Counter() for c in cases}
    for r, n in outcome.results.items():
        prefix = next((t for t in tags if r.focus.startswith(t)), None)
        if prefix is None:
            raise ValueError(f"a result that belongs to no case of the batch: {r}")
        back = r._replace(
            focus="id:" + r.focus[len(prefix):],
            value=r.value.replace(prefix, "id:") if r.value else r.value,
        )
        per_case[tags[prefix]][back] += n
    return {name: Outcome(conforms=not results, results=results) for name, results in per_case.items()}


__all__ = [
    "CASES_DIR",
    "ENGINES",
    "MF",
    "PREFIXES",
    "SH",
    "SHT",
    "Case",
    "Engine",
    "Outcome",
    "Result",
    "case_files",
    "exact_literals",
    "jena_engine",
    "load_case",
    "normalise",
    "normalise_results",
    "ontology",
    "path_string",
    "pyshacl_engine",
    "run",
    "run_batch",
    "run_case",
    "with_ontology",
]
