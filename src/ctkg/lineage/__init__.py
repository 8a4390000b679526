"""Lineage: where each obligation comes from, and how mandates evolve over time.

A corpus-level step after extraction.  It finds for each operative clause the earlier clauses it
repeats, recalls or builds on (:func:`find_links`), types each link from the deontic force and
addressees of the two clauses (:mod:`ctkg.lineage.classify`), and derives the mandate history of
the bodies the corpus establishes or renews (:mod:`ctkg.lineage.mandates`).  The links of a clause
depend only on it and the earlier resolutions, so a build that adds resolutions after all the
others computes only theirs (:mod:`ctkg.lineage.refresh`).  Plain Python over the model; the graph
layer (:mod:`ctkg.graph.lineage`) writes the triples to named graphs, one per resolution.

>>> import ctkg
>>> from ctkg.corpus import demo_paths
>>> docs = [ctkg.extract(p) for p in demo_paths()]
>>> links = find_links(units_from_documents(docs))
>>> [(k.later.label, k.type, k.earlier.symbol, k.earlier.label) for k in links if k.later.label in ("8", "10")]
[('8', 'recalls', 'S/RES/1373 (2001)', '2(f)'), ('10', 'reiterates', 'S/RES/1373 (2001)', '3(g)')]
"""

from __future__ import annotations

from collections.abc import Iterable

from ctkg.lineage.classify import force, link_type
from ctkg.lineage.match import THRESHOLD, find_links
from ctkg.lineage.model import LINK_TYPES, Context, LineageInput, Link, LinkType, Reference, ResKey, Unit
from ctkg.model import Document

_CONTROL = {c: " " for c in (*range(0, 9), 11, 12, *range(14, 32), 127)}


def units_from_documents(docs: Iterable[Document]) -> LineageInput:
    """The lineage input of extracted documents: their clauses, paragraph-level citations and context."""
    out = LineageInput()
    for doc in docs:
        res = doc.resolution
        key = (res.number, res.year)
        for ordinal, c in enumerate(res.clauses, start=1):
            out.units.append(Unit(
                resolution=key, clause=c.id, paragraph=c.paragraph, label=c.paragraph_label, ordinal=ordinal,
                verb=c.verb, modality=c.modality, binding=c.binding, directive=c.directive, chapeau=c.chapeau,
                addressees=c.addressees, text=c.text, span=c.span,
                exact=c.span.slice(doc.text).translate(_CONTROL), source=doc.source.sha256,
            ))
        for cit in res.citations:
            if cit.resolution and cit.cited_paragraph and not cit.internal:
                out.references.append(Reference(cit.id, key, cit.paragraph, cit.span, cit.resolution,
                                                cit.cited_paragraph, cit.relation))
        out.contexts[key] = Context(
            key=key, date=res.adoption.date, agenda_item=res.agenda_item,
            topics=frozenset(t.topic for t in res.topics),
            cites=frozenset(c.resolution for c in res.citations if c.resolution and not c.internal),
        )
    return out


def link_counts(links: Iterable[Link]) -> dict[str, int]:
    """How many links of each type (all types listed, in :data:`LINK_TYPES` order)."""
    counts: dict[str, int] = dict.fromkeys(LINK_TYPES, 0)
    for k in links:
        counts[k.type] += 1
    return counts


__all__ = [
    "LINK_TYPES",
    "THRESHOLD",
    "Context",
    "LineageInput",
    "Link",
    "LinkType",
    "Reference",
    "ResKey",
    "Unit",
    "find_links",
    "force",
    "link_counts",
    "link_type",
    "units_from_documents",
]
