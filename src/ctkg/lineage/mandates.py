"""Mandate history: the bodies the corpus establishes or renews, as a time-ordered list of events.

* ``establishment``: a resolution establishes the body (a committee it creates, or a body of the
  actor registry whose ``established_by`` is that resolution; when that resolution's text is not
  in the set, the event still stands, dated from the UN index: CTED by 1535 (2004));
* ``renewal``: a clause renews, extends or continues the body's mandate (``MandateRenewal``), with
  the end of the new mandate period where the text sets one;
* ``reporting-line``: the first resolution in which the body is to report to a given recipient
  (a change of its reporting line).

Governments are not bodies ("extend the mandate of the United Nations Interim Force in
Lebanon" names Lebanon, not a body whose mandate is renewed).

>>> import ctkg
>>> from ctkg.corpus import demo_paths
>>> events = mandate_history([ctkg.extract(p) for p in demo_paths()])
>>> [(e.body, e.kind, e.resolution) for e in events if e.body in ("CTC", "CTED")][:3]
[('CTC', 'establishment', (1373, 2001)), ('CTC', 'reporting-line', (2322, 2016)), ('CTED', 'establishment', (1535, 2004))]
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ctkg.extract.actors import registry
from ctkg.extract.clauses import ESTABLISH
from ctkg.ingest.index import load_index
from ctkg.lineage.model import ResKey
from ctkg.model import Document

EventKind = Literal["establishment", "renewal", "reporting-line"]
_ESTABLISH = re.compile(r"\bestablish", re.IGNORECASE)


@dataclass(frozen=True)
class MandateEvent:
    """One event in the history of a body's mandate."""

    body: str  # actor code
    kind: EventKind
    resolution: ResKey
    date: dt.date | None
    clause: str | None = None  # the clause that decides it (None: the resolution's text is not in the set)
    renewal: str | None = None  # the MandateRenewal id, for a renewal
    end: dt.date | None = None  # end of the mandate period, where the text sets one
    recipient: str | None = None  # for a reporting-line event: the new report recipient
    reporting_line: str | None = None  # ... and the reporting line that sets it

    @property
    def id(self) -> str:
        """A deterministic id within the deciding resolution."""
        if self.kind == "renewal" and self.renewal:
            return self.renewal
        if self.kind == "reporting-line":
            return f"{self.reporting_line}__change"
        return f"establishes_{self.body}"


@dataclass(frozen=True)
class MandateFacts:
    """What mandate history needs to know of one resolution: made from its document
    (:func:`mandate_facts`) or read back from its graph (:func:`ctkg.graph.lineage.read_mandate_facts`)."""

    key: ResKey
    date: dt.date | None
    establishes: tuple[tuple[str, str | None], ...] = ()  # (body, the clause that establishes it)
    renewals: tuple[tuple[str, str, str, dt.date | None], ...] = ()  # (body, clause, MandateRenewal id, end)
    reporting_lines: tuple[tuple[str, str, str, str], ...] = ()  # (reporter, recipient, clause, id), in text order


@dataclass(frozen=True)
class Earlier:
    """The mandate history of resolutions outside a set, as far as the set's events depend on it:
    the bodies with an event there, and the (reporter, recipient) pairs of their reporting lines."""

    bodies: frozenset[str]
    lines: frozenset[tuple[str, str]]


def _is_body(code: str) -> bool:
    actor = registry().actors.get(code)
    if actor is None:
        return code.startswith("COMMITTEE_")
    return actor.kind in ("Committee", "UNEntity")


@lru_cache(maxsize=1)
def _founded() -> dict[int, list[str]]:
    """Resolution number -> the bodies of the actor registry it established."""
    out: dict[int, list[str]] = defaultdict(list)
    for a in registry().actors.values():
        if a.established_by:
            out[a.established_by].append(a.code)
    return dict(out)


def established_bodies(key: ResKey, establishes: Iterable[str]) -> list[str]:
    """The bodies a resolution establishes: the committees its text establishes, then the bodies of
    the actor registry established by it."""
    codes = list(establishes)
    return codes + [code for code in _founded().get(key[0], ()) if code not in codes]


def establishing_clause(code: str, committee: bool, clauses: Iterable[tuple[str, str]]) -> str | None:
    """The first of ``clauses`` ((id, text), in text order) that establishes the body ``code``;
    ``committee``: the text establishes it ("Decides to establish ... a Committee")."""
    reg = registry()
    for cid, text in clauses:
        if committee:
            if ESTABLISH.search(text):
                return cid
        elif _ESTABLISH.search(text) and any(code in m.codes for m in reg.find(text)):
            return cid
    return None


def mandate_facts(doc: Document) -> MandateFacts:
    """The mandate facts of an extracted document."""
    res = doc.resolution
    key = (res.number, res.year)
    clauses = [(c.id, c.text) for c in res.clauses]
    return MandateFacts(
        key, res.adoption.date,
        tuple((code, establishing_clause(code, code in res.establishes, clauses))
              for code in established_bodies(key, res.establishes)),
        tuple((mr.actor, mr.clause, mr.id, mr.end) for mr in res.mandate_renewals),
        tuple((rl.reporter, rl.recipient, rl.clause, rl.id) for rl in res.reporting_lines),
    )


def mandate_events(facts: Iterable[MandateFacts], earlier: Earlier | None = None) -> list[MandateEvent]:
    """Every mandate event of the resolutions of ``facts``, sorted by body, date and resolution.

    Without ``earlier``, ``facts`` are the whole set: a body of the registry whose establishing
    resolution is not among them gets its establishment from the UN index.  With ``earlier``, the
    resolutions of ``facts`` come after those it describes, and only their own events are made
    (a reporting line is a change only if no earlier resolution had that pair)."""
    facts = sorted(facts, key=lambda f: f.key)
    events: list[MandateEvent] = []
    established: set[str] = set()
    for f in facts:
        for code, clause in f.establishes:
            events.append(MandateEvent(code, "establishment", f.key, f.date, clause))
            established.add(code)
        for body, clause, rid, end in f.renewals:
            if _is_body(body):
                events.append(MandateEvent(body, "renewal", f.key, f.date, clause, rid, end))
    if earlier is None:
        index = load_index()
        for actor in sorted(registry().actors.values(), key=lambda a: a.code):
            if actor.established_by and actor.code not in established:
                entry = index.get(actor.established_by)
                if entry is not None:
                    events.append(MandateEvent(actor.code, "establishment", (entry.number, entry.year), entry.date))
    bodies_known = {e.body for e in events} | (earlier.bodies if earlier else set())
    seen: set[tuple[str, str]] = {p for p in earlier.lines if p[0] in bodies_known} if earlier else set()
    for f in facts:
        for reporter, recipient, clause, rid in f.reporting_lines:
            if reporter in bodies_known and (reporter, recipient) not in seen:
                seen.add((reporter, recipient))
                events.append(MandateEvent(reporter, "reporting-line", f.key, f.date, clause,
                                           recipient=recipient, reporting_line=rid))
    order = {"establishment": 0, "renewal": 1, "reporting-line": 2}
    return sorted(events, key=lambda e: (e.body, e.date or dt.date.min, e.resolution, order[e.kind], e.id))


def mandate_history(docs: Iterable[Document]) -> list[MandateEvent]:
    """Every mandate event of the documents' resolutions, sorted by body, date and resolution."""
    return mandate_events(mandate_facts(d) for d in docs)


def bodies(events: Iterable[MandateEvent]) -> frozenset[str]:
    """The bodies with an event."""
    return frozenset(e.body for e in events)


__all__ = ["Earlier", "EventKind", "MandateEvent", "MandateFacts", "bodies", "established_bodies",
           "establishing_clause", "mandate_events", "mandate_facts", "mandate_history"]
