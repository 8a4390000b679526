"""The plain data lineage works on: clauses as units, explicit references, resolution context,
and the links found between clauses.  No RDF here (the graph layer maps these to triples).

A :class:`Unit` is one clause as lineage sees it; it is made from a :class:`ctkg.model.Document`
(:func:`ctkg.lineage.units_from_documents`) or, for a resolution already in a store, read back
from its graph (:func:`ctkg.graph.lineage.read_input`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ctkg.model import Span

LinkType = Literal["reiterates", "strengthens", "weakens", "extends", "recalls"]
LINK_TYPES: tuple[LinkType, ...] = ("reiterates", "strengthens", "weakens", "extends", "recalls")
Basis = Literal["citation", "wording"]
ResKey = tuple[int, int]  # (number, year)


@dataclass(frozen=True)
class Unit:
    """One operative clause (or sub-paragraph clause) of a resolution."""

    resolution: ResKey
    clause: str  # clause id within the resolution, e.g. "para_2__subpara_f__clause_1"
    paragraph: str  # paragraph eid
    label: str  # paragraph label, e.g. "2(f)"
    ordinal: int  # position of the clause in the resolution (document order)
    verb: str
    modality: str
    binding: bool
    directive: bool
    chapeau: bool
    addressees: tuple[str, ...]
    text: str  # the clause text (normalised: line wraps joined)
    span: Span  # the clause's span in its source file
    exact: str  # the source text of that span (same length as the span)
    source: str  # sha256 of the source file

    @property
    def symbol(self) -> str:
        return f"S/RES/{self.resolution[0]} ({self.resolution[1]})"


@dataclass(frozen=True)
class Reference:
    """A paragraph-level citation of an earlier resolution made inside an operative clause."""

    id: str  # citation id within the citing resolution
    resolution: ResKey  # the citing resolution
    paragraph: str  # citing paragraph eid
    span: Span  # the citation's span in the citing source
    cited: ResKey
    cited_label: str  # e.g. "2(f)"
    relation: str  # recalls, reaffirms, reiterates, cites ...


@dataclass(frozen=True)
class Context:
    """What lineage needs to know about a resolution as a whole."""

    key: ResKey
    date: date | None = None
    agenda_item: str | None = None
    topics: frozenset[str] = frozenset()
    cites: frozenset[ResKey] = frozenset()  # resolutions it cites (any level)


@dataclass
class LineageInput:
    """Everything lineage is computed from: the units, references and contexts of a set of resolutions."""

    units: list[Unit] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    contexts: dict[ResKey, Context] = field(default_factory=dict)

    def extend(self, other: LineageInput) -> None:
        self.units.extend(other.units)
        self.references.extend(other.references)
        self.contexts.update(other.contexts)


@dataclass(frozen=True)
class Link:
    """A later clause that repeats, recalls or builds on an earlier one, with its evidence."""

    later: Unit
    earlier: Unit
    type: LinkType
    score: float  # text similarity of the two clauses' contents, 0-100 (rapidfuzz ratio)
    basis: Basis  # "citation": the later clause cites the earlier paragraph; "wording": near-identical text
    later_match: Span  # the matched part of the later clause, in its source
    earlier_match: Span  # the matched part of the earlier clause, in its source
    citation: str | None = None  # the id of the citation, for basis "citation"

    @property
    def id(self) -> str:
        """A deterministic id within the later resolution."""
        n, y = self.earlier.resolution
        return f"{self.later.clause}__lineage_{n}-{y}_{self.earlier.clause}"


__all__ = ["LINK_TYPES", "Basis", "Context", "LineageInput", "Link", "LinkType", "Reference", "ResKey", "Unit"]
