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
from collections.abc import Iterable
from dataclasses import dataclass
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


def _is_body(code: str) -> bool:
    actor = registry().actors.get(code)
    if actor is None:
        return code.startswith("COMMITTEE_")
    return actor.kind in ("Committee", "UNEntity")


def mandate_history(docs: Iterable[Document]) -> list[MandateEvent]:
    """Every mandate event of the documents' resolutions, sorted by body, date and resolution."""
    docs = sorted(docs, key=lambda d: (d.resolution.number, d.resolution.year))
    events: list[MandateEvent] = []
    established: set[str] = set()
    reg = registry()
    for doc in docs:
        res = doc.resolution
        key, adopted = (res.number, res.year), res.adoption.date
        bodies = list(res.establishes) + [a.code for a in reg.actors.values()
                                          if a.established_by == res.number and a.code not in res.establishes]
        for code in bodies:
            if code in res.establishes:  # a committee: "Decides to establish ... a Committee"
                clause = next((c.id for c in res.clauses if ESTABLISH.search(c.text)), None)
            else:
                clause = next((c.id for c in res.clauses if _ESTABLISH.search(c.text)
                               and any(code in m.codes for m in reg.find(c.text))), None)
            events.append(MandateEvent(code, "establishment", key, adopted, clause))
            established.add(code)
        for mr in res.mandate_renewals:
            if _is_body(mr.actor):
                events.append(MandateEvent(mr.actor, "renewal", key, adopted, mr.clause, mr.id, mr.end))
    index = load_index()
    for actor in sorted(reg.actors.values(), key=lambda a: a.code):
        if actor.established_by and actor.code not in established:
            entry = index.get(actor.established_by)
            if entry is not None:
                events.append(MandateEvent(actor.code, "establishment", (entry.number, entry.year), entry.date))
    bodies_known = {e.body for e in events}
    seen: set[tuple[str, str]] = set()
    for doc in docs:
        res = doc.resolution
        for rl in res.reporting_lines:
            if rl.reporter in bodies_known and (rl.reporter, rl.recipient) not in seen:
                seen.add((rl.reporter, rl.recipient))
                events.append(MandateEvent(rl.reporter, "reporting-line", (res.number, res.year), res.adoption.date,
                                           rl.clause, recipient=rl.recipient, reporting_line=rl.id))
    order = {"establishment": 0, "renewal": 1, "reporting-line": 2}
    return sorted(events, key=lambda e: (e.body, e.date or dt.date.min, e.resolution, order[e.kind], e.id))


__all__ = ["EventKind", "MandateEvent", "mandate_history"]
