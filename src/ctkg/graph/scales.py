"""Values the ontology holds and the code needs: the strength of each modality on the SKOS
modality scale (``ctkg:strength``, ``ctkg:canBind``).  Read from ``ontology/ctkg.ttl``, the single
source of truth, once per process.

>>> modality_strengths()["decides"], modality_strengths()["calls-upon"], modality_strengths()["declaratory"]
(100, 60, 0)
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal

from ctkg.graph.namespaces import CTKG, MODALITY, SKOS
from ctkg.resources import ontology_files


@lru_cache(maxsize=1)
def modality_strengths() -> dict[str, int]:
    """Modality code (``skos:notation``) -> strength (0-100) of every verb concept of the scale."""
    g = Graph()
    g.parse(ontology_files()[0], format="turtle")
    out: dict[str, int] = {}
    for concept, _, strength in g.triples((None, CTKG.strength, None)):
        if not str(concept).startswith(str(MODALITY)) or not isinstance(strength, Literal):
            continue
        notation = g.value(concept, SKOS.notation)
        out[str(notation) if notation is not None else str(concept)[len(str(MODALITY)):]] = int(strength)
    return dict(sorted(out.items()))


__all__ = ["modality_strengths"]
