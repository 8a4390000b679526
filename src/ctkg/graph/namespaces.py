"""Namespaces and the terms the graph layer writes.

This is the only module that spells IRIs.  Every ``CTKG`` term used here must be
declared in ``ontology/ctkg.ttl`` (a test checks it).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD


class _Namespace(Namespace):
    """rdflib's ``Namespace`` that keeps each term it makes: building the graph of the corpus asks
    for ``CTKG.text`` and its like a million times, and a new ``URIRef`` each time cost a tenth of
    the build (the term is the same value either way)."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and the like probe dunder names
            raise AttributeError(name)
        term = self.term(name)
        self.__dict__[name] = term  # found as a plain attribute from now on
        return term


BASE = "https://w3id.org/ctkg/"
CTKG = _Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
MODALITY = _Namespace(BASE + "modality/")
RELATION = _Namespace(BASE + "relation/")
ROLE = _Namespace(BASE + "role/")
TOPIC = _Namespace(BASE + "topic/")
ID = _Namespace(BASE + "id/")

ELI = _Namespace("http://data.europa.eu/eli/ontology#")
ORG = _Namespace("http://www.w3.org/ns/org#")
OA = _Namespace("http://www.w3.org/ns/oa#")

PREFIXES: dict[str, str] = {
    "ctkg": str(CTKG),
    "modality": str(MODALITY),
    "relation": str(RELATION),
    "role": str(ROLE),
    "topic": str(TOPIC),
    "id": str(ID),
    "eli": str(ELI),
    "org": str(ORG),
    "oa": str(OA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

__all__ = [
    "BASE",
    "CTKG",
    "DCTERMS",
    "ELI",
    "ID",
    "MODALITY",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RELATION",
    "ROLE",
    "SKOS",
    "TIME",
    "TOPIC",
    "XSD",
]
