"""The ontology is the single source of truth for terms, and it is well annotated."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ctkg.extract.clauses import _VERBS, DIRECTIVE_MODALITIES
from ctkg.graph.namespaces import CTKG, MODALITY, ONTOLOGY_IRI, RELATION, ROLE, TOPIC
from ctkg.resources import ontology_files, shapes_file

OWN = (str(CTKG), str(MODALITY), str(RELATION), str(ROLE), str(TOPIC))


def _onto() -> Graph:
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    return g


def test_header() -> None:
    g = _onto()
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in g
    assert g.value(o, OWL.versionIRI) is not None
    assert g.value(o, OWL.versionInfo) is not None


def test_every_own_term_is_annotated() -> None:
    g = _onto()
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(OWN)}
    assert len(terms) > 100
    problems = []
    for t in sorted(terms):
        labels = [x for x in g.objects(t, RDFS.label) if getattr(x, "language", None) == "en"]
        defs = [x for x in g.objects(t, SKOS.definition) if getattr(x, "language", None) == "en"]
        if len(labels) != 1 or len(defs) != 1 or (t, RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) not in g:
            problems.append(str(t))
    assert not problems, problems


def test_modality_scheme_matches_the_extractor() -> None:
    g = _onto()
    notations = {str(n) for c in g.subjects(SKOS.inScheme, CTKG.ModalityScheme) for n in g.objects(c, SKOS.notation)}
    used = {mod for _, _, mod in _VERBS}
    assert used <= notations
    assert notations >= DIRECTIVE_MODALITIES
    strength = {str(g.value(MODALITY[m], SKOS.notation)): int(g.value(MODALITY[m], CTKG.strength))  # type: ignore[arg-type]
                for m in used}
    assert strength["decides"] > strength["requests"] > strength["calls-upon"] > strength["encourages"]
    assert strength["declaratory"] == 0


def test_shapes_list_every_modality() -> None:
    shapes = shapes_file().read_text("utf-8")
    for _, _, mod in _VERBS:
        assert f"modality:{mod}" in shapes or f"modality/{mod}>" in shapes, mod
