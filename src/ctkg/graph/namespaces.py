"""Namespaces and the terms the graph layer writes.

This is the only module that spells IRIs.  Every ``CTKG`` term used here must be
declared in ``ontology/ctkg.ttl`` (a test checks it).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://w3id.org/ctkg/"
CTKG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
MODALITY = Namespace(BASE + "modality/")
RELATION = Namespace(BASE + "relation/")
ROLE = Namespace(BASE + "role/")
TOPIC = Namespace(BASE + "topic/")
ID = Namespace(BASE + "id/")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")

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
