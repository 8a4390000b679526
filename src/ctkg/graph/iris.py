"""Deterministic IRI minting: the same input always gives the same IRIs.

>>> str(resolution_iri(2322, 2016))
'https://w3id.org/ctkg/id/res/2322-2016'
>>> str(paragraph_iri(1373, 2001, "para_1__subpara_d"))
'https://w3id.org/ctkg/id/res/1373-2001/para_1__subpara_d'
>>> str(instrument_iri("charter", "Charter of the United Nations", "Article 2(4)"))
'https://w3id.org/ctkg/id/instrument/charter/article-2-4'
>>> slug("International Convention for the Suppression of the Financing of Terrorism")
'international-convention-for-the-suppression-of-the-financing-of-terrorism'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from ctkg.graph.namespaces import BASE, ID, MODALITY, RELATION, ROLE, TOPIC


def slug(text: str) -> str:
    """A lower-case ASCII slug: letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def resolution_key(number: int, year: int) -> str:
    return f"{number}-{year}"


def resolution_iri(number: int, year: int) -> URIRef:
    return ID[f"res/{resolution_key(number, year)}"]


def graph_iri(number: int, year: int) -> URIRef:
    """The named graph that holds everything extracted from one resolution."""
    return URIRef(f"{BASE}graph/res/{resolution_key(number, year)}")


ACTORS_GRAPH = URIRef(f"{BASE}graph/actors")
ONTOLOGY_GRAPH = URIRef(f"{BASE}graph/ontology")
INDEX_GRAPH = URIRef(f"{BASE}graph/index")
LINEAGE_GRAPH = URIRef(f"{BASE}graph/lineage")
"""The prefix of the lineage graphs (:func:`lineage_graph_iri`); before there was one per
resolution, the single graph of all lineage links."""
MANDATES_GRAPH = URIRef(f"{BASE}graph/mandates")
"""The prefix of the mandate-history graphs (:func:`mandates_graph_iri`); before there was one per
resolution, the single graph of all mandate events."""
INFERRED_GRAPH = URIRef(f"{BASE}graph/inferred")
"""The named graph that holds materialised consequences (``ctkg reason``)."""


def lineage_graph_iri(number: int, year: int) -> URIRef:
    """The named graph of the lineage links whose later clause is in that resolution.

    >>> str(lineage_graph_iri(2322, 2016))
    'https://w3id.org/ctkg/graph/lineage/2322-2016'
    """
    return URIRef(f"{LINEAGE_GRAPH}/{resolution_key(number, year)}")


def mandates_graph_iri(number: int, year: int) -> URIRef:
    """The named graph of the mandate events that resolution decides (W3C ORG change events,
    OWL-Time intervals)."""
    return URIRef(f"{MANDATES_GRAPH}/{resolution_key(number, year)}")


_RESOLUTION_GRAPH = re.compile(r"/graph/res/(\d+)-(\d{4})$")


def resolution_of_graph(iri: str) -> tuple[int, int] | None:
    """(number, year) of a resolution's named graph (:func:`graph_iri`), None for any other graph.

    >>> resolution_of_graph(str(graph_iri(1373, 2001))), resolution_of_graph(str(ACTORS_GRAPH))
    ((1373, 2001), None)
    """
    m = _RESOLUTION_GRAPH.search(iri)
    return (int(m.group(1)), int(m.group(2))) if m else None


def resolution_of_item(iri: str) -> tuple[int, int]:
    """(number, year) of the resolution an item IRI ``…/id/res/N-YYYY/…`` belongs to.

    >>> resolution_of_item(str(paragraph_iri(1373, 2001, "para_1__subpara_d")))
    (1373, 2001)
    """
    n, y = iri.split("/res/", 1)[1].split("/", 1)[0].split("-")
    return int(n), int(y)


_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]")


def local_id(text: str) -> str:
    """A safe IRI path segment: anything but letters, digits, '_', '.', '-' becomes '_'."""
    return _UNSAFE.sub("_", text) or "_"


def paragraph_iri(number: int, year: int, eid: str) -> URIRef:
    return ID[f"res/{resolution_key(number, year)}/{local_id(eid)}"]


def item_iri(number: int, year: int, item_id: str) -> URIRef:
    """A clause, reporting line or citation, by its id within the resolution."""
    return ID[f"res/{resolution_key(number, year)}/{local_id(item_id)}"]


def sub_iri(parent: URIRef, local: str) -> URIRef:
    return URIRef(f"{parent}/{local_id(local)}")


def actor_iri(code: str) -> URIRef:
    return ID[f"actor/{local_id(code)}"]


def modality_iri(code: str) -> URIRef:
    return MODALITY[code]


def relation_iri(code: str) -> URIRef:
    return RELATION[code]


def role_iri(code: str) -> URIRef:
    return ROLE[code]


def topic_iri(code: str) -> URIRef:
    return TOPIC[code]


def meeting_iri(number: int) -> URIRef:
    return ID[f"meeting/S-PV-{number}"]


def press_release_iri(symbol: str | None, sha256: str) -> URIRef:
    return ID[f"press-release/{slug(symbol) if symbol else sha256[:16]}"]


def source_iri(sha256: str) -> URIRef:
    return ID[f"source/{sha256[:16]}"]


def instrument_iri(kind: str, title: str, provision: str | None = None) -> URIRef:
    """Conventions by title; Charter provisions by article or chapter; GA resolutions by symbol."""
    if kind == "charter":
        return ID[f"instrument/charter/{slug(provision or 'charter')}"]
    return ID[f"instrument/{slug(title)}"]


__all__ = [
    "ACTORS_GRAPH",
    "INDEX_GRAPH",
    "INFERRED_GRAPH",
    "LINEAGE_GRAPH",
    "MANDATES_GRAPH",
    "ONTOLOGY_GRAPH",
    "actor_iri",
    "graph_iri",
    "instrument_iri",
    "item_iri",
    "lineage_graph_iri",
    "local_id",
    "mandates_graph_iri",
    "meeting_iri",
    "modality_iri",
    "paragraph_iri",
    "press_release_iri",
    "relation_iri",
    "resolution_iri",
    "resolution_key",
    "resolution_of_graph",
    "resolution_of_item",
    "role_iri",
    "slug",
    "source_iri",
    "sub_iri",
    "topic_iri",
]
