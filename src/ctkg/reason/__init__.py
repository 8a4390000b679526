"""Reasoning over the graph: an OWL 2 RL materialisation, and HermiT for consistency.

* :func:`materialise` adds, on request only, the inverse and transitive
  consequences that analysts query: ``org:reportsTo`` derived from reporting
  lines, the reporting chains (``ctkg:reportingChain``, transitive),
  sub-organizations (``org:transitiveSubOrganizationOf``, ``org:hasSubOrganization``)
  and inverse links (``ctkg:establishedBy``, ``ctkg:hasCitation`` ...).  The
  OWL 2 RL rules run with owlrl over the ontology and the triples those rules
  can touch; the new triples go to their own named graph
  (``https://w3id.org/ctkg/graph/inferred``), so dropping that graph undoes it.
* :func:`hermit` loads the ontology and the resolution graphs as OWL
  individuals into owlready2 and runs the HermiT reasoner (Java): it reports
  consistency and the individuals classified into the defined classes
  (binding obligation, reporting obligation, obligation on a UN body, on States).
  Literals of datatypes outside the OWL 2 datatype map (``xsd:date``,
  ``xsd:duration``, ``xsd:time``) and the text-span annotations are left out of
  the view HermiT sees; they carry no class axioms.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from ctkg.errors import ReasoningError
from ctkg.graph.build import Triples, to_nquads
from ctkg.graph.iris import ACTORS_GRAPH, INFERRED_GRAPH
from ctkg.graph.namespaces import CTKG, ID, OA, ORG
from ctkg.resources import ontology_files
from ctkg.store.local import OxigraphStore

# properties whose inverse/transitive/sub-property consequences are materialised
RULE_PROPERTIES = (
    ORG.reportsTo, CTKG.reportingChain, ORG.subOrganizationOf, ORG.transitiveSubOrganizationOf,
    ORG.hasSubOrganization, CTKG.establishes, CTKG.establishedBy, CTKG.hasCitation, CTKG.citingParagraph,
)
DEFINED_CLASSES = ("BindingObligation", "ReportingObligation", "ObligationOnUNBody", "ObligationOnStates")
_NON_OWL_DATATYPES = {XSD.date, XSD.duration, XSD.time, XSD.gYear, XSD.dayTimeDuration, XSD.yearMonthDuration}


@dataclass
class Materialised:
    """What :func:`materialise` added."""

    derived_reports_to: int
    inferred: int
    seconds: float
    by_property: dict[str, int] = field(default_factory=dict)


def _select_pairs(store: OxigraphStore, sparql: str) -> list[tuple[str, str]]:
    return [(r[0].value, r[1].value) for r in store.query(sparql)]


def materialise(store: OxigraphStore) -> Materialised:
    """Add the OWL 2 RL consequences of the rule properties to the inferred graph (replacing it)."""
    from owlrl import DeductiveClosure, OWLRL_Semantics

    t0 = time.perf_counter()
    store.replace_graph(str(INFERRED_GRAPH), "")  # start from the asserted graph only
    data = Graph()
    for f in ontology_files():
        data.parse(f, format="turtle")
    reports = _select_pairs(
        store,
        f"""SELECT DISTINCT ?a ?b WHERE {{ ?l a <{CTKG.ReportingLine}> ; <{CTKG.reporter}> ?a ;
        <{CTKG.reportRecipient}> ?b . FILTER (?a != ?b) }}""",
    )
    asserted: set[tuple[URIRef, URIRef, URIRef]] = set()
    for a, b in reports:
        data.add((URIRef(a), ORG.reportsTo, URIRef(b)))
    for prop in RULE_PROPERTIES:
        for a, b in _select_pairs(store, f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{prop}> ?b }}"):
            triple = (URIRef(a), prop, URIRef(b))
            asserted.add(triple)
            data.add(triple)
    before = set(data)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(data)
    keep = set(RULE_PROPERTIES)
    out = Triples()
    by_property: dict[str, int] = {}
    for s, p, o in data:
        if p not in keep or not str(s).startswith(str(ID)) or not isinstance(o, URIRef):
            continue
        if (s, p, o) in asserted or (s == o and p in (CTKG.reportingChain, ORG.transitiveSubOrganizationOf)):
            continue
        if (s, p, o) in before and p != ORG.reportsTo:
            continue
        out.add(s, p, o)  # type: ignore[arg-type]
        key = str(p).rsplit("#", 1)[-1]
        by_property[key] = by_property.get(key, 0) + 1
    store.replace_graph(str(INFERRED_GRAPH), to_nquads(out, INFERRED_GRAPH))
    return Materialised(len(reports), len(out), time.perf_counter() - t0, dict(sorted(by_property.items())))


@dataclass
class HermitResult:
    """What HermiT said about the ontology plus the data."""

    consistent: bool
    individuals: int
    triples: int
    seconds: float
    members: dict[str, set[str]] = field(default_factory=dict)  # defined class -> individuals (IRIs)
    message: str = ""

    @property
    def classified(self) -> dict[str, int]:
        """How many individuals HermiT put into each defined class."""
        return {k: len(v) for k, v in self.members.items()}


def owl_view(store: OxigraphStore, graphs: list[str] | None = None) -> Graph:
    """The ontology plus the data graphs as HermiT should see them (see the module docstring)."""
    view = Graph()
    for f in ontology_files():
        view.parse(f, format="turtle")
    names = graphs if graphs is not None else [g for g in store.graphs() if "/graph/res/" in g]
    names = [*names, str(ACTORS_GRAPH)]
    for name in names:
        data = store.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)) or b""
        part = Graph()
        part.parse(data=data.decode("utf-8"), format="nt")
        for s, p, o in part:
            if p in (CTKG.sourceSpan, OA.exact, OA.start, OA.end, CTKG.inSource, CTKG.text):
                continue
            if p == RDF.type and o in (OA.TextPositionSelector, OA.TextQuoteSelector):
                continue
            if isinstance(o, Literal) and o.datatype in _NON_OWL_DATATYPES:
                continue
            view.add((s, p, o))
    # every individual is declared, so that OWL tools read the view as OWL 2 DL
    for s in set(view.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(str(ID)):
            view.add((s, RDF.type, OWL.NamedIndividual))
    return view


def hermit(store: OxigraphStore, graphs: list[str] | None = None, *, classify: bool = False) -> HermitResult:
    """Run HermiT on the ontology plus the resolution graphs (all of them by default).

    The consistency check runs HermiT's own command line (one tableau: seconds for the
    whole counter-terrorism set).  ``classify`` also realises every individual through
    owlready2 to list the members of the defined classes; that costs one test per
    individual and class, so keep it to a few resolutions.
    """
    if shutil.which("java") is None:
        raise ReasoningError("HermiT needs Java: install a JRE (e.g. Debian's default-jre-headless)")
    import owlready2
    from owlready2 import reasoning as owl_reasoning

    view = owl_view(store, graphs)
    individuals = len(set(view.subjects(RDF.type, OWL.NamedIndividual)))
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "view.nt"
        view.serialize(destination=str(path), format="nt", encoding="utf-8")
        command = [
            owlready2.JAVA_EXE, f"-Xmx{owl_reasoning.JAVA_MEMORY}M", "-cp", owl_reasoning._HERMIT_CLASSPATH,
            "org.semanticweb.HermiT.cli.CommandLine", "-k", "--ignoreUnsupportedDatatypes", path.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ReasoningError(f"HermiT failed: {exc}") from None
        if "InconsistentOntologyException" in done.stderr:
            return HermitResult(False, individuals, len(view), time.perf_counter() - t0,
                                message="HermiT: inconsistent ontology")
        if done.returncode != 0 or "is satisfiable" not in done.stdout:
            raise ReasoningError(f"HermiT failed: {(done.stderr or done.stdout).strip()[:500]}")
        members: dict[str, set[str]] = {}
        if classify:
            world = owlready2.World()
            onto = world.get_ontology(path.as_uri()).load(format="ntriples")
            try:
                with onto:
                    owlready2.sync_reasoner_hermit(
                        world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                    )
            except owlready2.OwlReadyInconsistentOntologyError as exc:  # pragma: no cover - checked above
                return HermitResult(False, individuals, len(view), time.perf_counter() - t0, message=str(exc))
            except owlready2.OwlReadyJavaError as exc:
                raise ReasoningError(f"HermiT failed: {exc}") from None
            for name in DEFINED_CLASSES:
                cls = world[str(CTKG[name])]
                members[name] = {i.iri for i in cls.instances(world=world)} if cls is not None else set()
    return HermitResult(True, individuals, len(view), time.perf_counter() - t0, members)


__all__ = [
    "DEFINED_CLASSES",
    "INFERRED_GRAPH",
    "HermitResult",
    "Materialised",
    "ReasoningError",
    "hermit",
    "materialise",
    "owl_view",
]
