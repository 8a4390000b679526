"""Mandate renewals: "Decides to extend the mandate of the 1540 Committee ... until 25 April 2011",
"Decides that CTED will continue to operate as a special political mission ... for the period
ending 31 December 2025".

Only bodies the actor registry resolves are recorded (the committees, CTED, UN entities); the end
of the new mandate period comes from an "until/ending/terminating on <date>" phrase or from a
period ("for a further period of 12 months") counted from the adoption date (not from "the date
of expiration of the current mandate", whose day the text does not give: then it stays open).

>>> from ctkg.extract.actors import registry
>>> from ctkg.extract.clauses import ActorContext
>>> ctx = ActorContext(registry(), 2617, 2021)
>>> [(r.actor, str(r.end)) for r in find_renewals(
...     "Decides that CTED will continue to operate as a special political mission for the period ending "
...     "31 December 2025", ctx, None)]
[('CTED', '2025-12-31')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ctkg.extract.clauses import ActorContext
from ctkg.extract.deadlines import DATE, NUMBER, add_duration, parse_date, words_to_int

_EXTEND = re.compile(
    r"\b(?:extend|renew|prolong)\w*\s+(?:(?:the|its)\s+)?(?:present\s+|current\s+)?mandate\s+of\s+"
    r"(?P<who>.{3,140}?)(?=\s+(?:until|for|ending|terminating|as|to|with)\b|[,;:]|$)",
    re.IGNORECASE,
)
_CONTINUE = re.compile(
    r"\bthat\s+(?P<who>.{2,160}?)\s+(?:will|shall|should)\s+continue\s+(?:to\s+operate|to\s+function|its\s+work"
    r"|to\s+support\s+the\s+Committee(?=[^.;]{0,40}\bfor\s+(?:a|an)\s+(?:further\s+|additional\s+)?period))",
    re.IGNORECASE,
)
_FROM_EXPIRY = re.compile(r"^[^.;]{0,40}?\bfrom\s+the\s+date\s+of\s+(?:the\s+)?expiration\b", re.IGNORECASE)
_END = re.compile(rf"\b(?:until|ending(?:\s+on)?|terminating\s+on|expiring\s+on)\s+{DATE}")
_PERIOD = re.compile(
    rf"\bfor\s+(?:an?\s+)?(?:(?:additional|further|new)\s+)?period\s+of\s+({NUMBER})\s+(month|year)s?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Renewal:
    """A body whose mandate a clause renews, and until when (offsets are within the clause text)."""

    actor: str
    end: date | None
    start: int
    stop: int


def find_renewals(text: str, ctx: ActorContext, adopted: date | None) -> list[Renewal]:
    """Mandate renewals decided in one clause's text."""
    out: list[Renewal] = []
    for rx in (_EXTEND, _CONTINUE):
        for m in rx.finditer(text):
            mentions = ctx.find(m.group("who"))
            if not mentions:
                continue
            end = None
            tail = text[m.end() : m.end() + 300]
            e = _END.search(tail)
            if e:
                end = parse_date(e.group(1), e.group(2), e.group(3))
            else:
                p = _PERIOD.search(tail)
                n = words_to_int(p.group(1)) if p else None
                # "for a period of 30 months from the date of expiration of the current mandate in June
                # 2015" counts from a day the text does not give: the end is left open
                if p and n and adopted and not _FROM_EXPIRY.match(tail[p.end() :]):
                    end = add_duration(adopted, f"P{n}{'M' if p.group(2).lower() == 'month' else 'Y'}")
            stop = m.end() + (e.end() if e else 0)
            for code in mentions[0].codes:
                if code not in {r.actor for r in out}:
                    out.append(Renewal(code, end, m.start(), stop))
    return out


__all__ = ["Renewal", "find_renewals"]
