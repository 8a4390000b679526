"""Deadlines: relative ("within ten months"), absolute ("by 15 May 1992"), periodic.

>>> [(d.kind, d.duration) for d in find_deadlines("report within ten months", None)]
[('relative', 'P10M')]
>>> find_deadlines("every one hundred and twenty days", None)[0].duration
'P120D'
>>> words_to_int("one hundred and twenty")
120
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ctkg.ingest.text import NormText, may_match
from ctkg.model import Deadline

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUM_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
NUMBER = (
    rf"(?:\d{{1,4}}|(?:(?:{_NUM_WORD})(?:[\s-]+(?:hundred|thousand|and|{_NUM_WORD}))*)|a|an|one)"
)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH = "|".join(m for m in calendar.month_name if m)
DATE = rf"(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})"

_UNIT = r"(day|week|month|year)s?"
_RELATIVE = re.compile(
    rf"\b(?:within|in|no later than|not later than|before the end of)\s+(?:the next\s+|a period of\s+)?"
    rf"({NUMBER})\s+(?:calendar\s+)?{_UNIT}\b"
    r"(?:\s+(?:of|from|after|following)\s+(?:the\s+)?(?:date\s+of\s+)?(?:the\s+)?adoption"
    r"(?:\s+of\s+(?:this|the present)\s+resolution)?)?",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(
    rf"\b(?:by|no later than|not later than|on or before|before)\s+(?:the\s+)?{DATE}",
)
# a date that names something: "by the 27 September 2012 Agreement on Security Arrangements"
_NAMING = re.compile(r"\s+(?:Agreement|Accord|Accords|Declaration|Resolution|Ceasefire|Cease-fire|Memorandum|Protocol)\b")
_PERIODIC = re.compile(
    rf"\bevery\s+({NUMBER})\s+{_UNIT}\b"
    r"|\b(?:at least\s+)?(once|twice)\s+(?:a|per|every|each)\s+(year|month)\b"
    r"|\b(annually|yearly|every year|each year|on an annual basis|biannually|semi-annually"
    r"|every six months|quarterly|monthly|on a monthly basis|on a quarterly basis)\b",
    re.IGNORECASE,
)
# words (in lower case) every match of a pattern contains, tested first: most clauses have no deadline
_PERIODIC_WORDS = ("every", "year", "month", "annual", "quarter")
_UNIT_WORDS = ("day", "week", "month", "year")
_MONTH_NAME = re.compile(_MONTH)
_FIXED_PERIODS = {
    "annually": "P1Y", "yearly": "P1Y", "every year": "P1Y", "each year": "P1Y",
    "on an annual basis": "P1Y", "biannually": "P6M", "semi-annually": "P6M",
    "every six months": "P6M", "quarterly": "P3M", "on a quarterly basis": "P3M",
    "monthly": "P1M", "on a monthly basis": "P1M",
}  # fmt: skip


def words_to_int(text: str) -> int | None:
    """Parse "90", "ten", "one hundred and twenty" (None if it is not a number)."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in ("a", "an"):
        return 1
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", text):
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current if seen else None


def _duration(n: int, unit: str) -> str:
    return f"P{n}{unit[0].upper()}"


def add_duration(start: date, duration: str) -> date:
    """Add an ISO 8601 duration of one unit (P10M, P90D, P2W, P1Y) to a date."""
    m = re.fullmatch(r"P(\d+)([DWMY])", duration)
    if not m:
        raise ValueError(duration)
    n, unit = int(m.group(1)), m.group(2)
    if unit == "D":
        return start + timedelta(days=n)
    if unit == "W":
        return start + timedelta(weeks=n)
    months = n if unit == "M" else 12 * n
    y, mo = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, mo + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def parse_date(day: str, month: str, year: str) -> date | None:
    """A date from its printed parts, or None if they do not make a date."""
    try:
        return date(int(year), MONTHS[month.lower()], int(day))
    except (KeyError, ValueError):
        return None


def find_deadlines(text: str | NormText, adopted: date | None) -> list[Deadline]:
    """Every deadline in ``text``; relative ones get a due date when ``adopted`` is known.

    >>> [d.text for d in find_deadlines("withdraw to the positions held before 5 August 1965 and "
    ...                                  "report by 1 March 1966", date(1965, 9, 6))]
    ['by 1 March 1966']
    """
    nt = text if isinstance(text, NormText) else NormText(text, list(range(len(text))))
    s = nt.text
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    # each pattern needs a word of its own: a clause without it is not searched
    for m in (_PERIODIC.finditer(s) if may_match(s, _PERIODIC_WORDS) else ()):
        if m.group(1):
            n = words_to_int(m.group(1))
            if n is None:
                continue
            duration = _duration(n, m.group(2))
        elif m.group(3):
            per = "P1Y" if m.group(4).lower() == "year" else "P1M"
            duration = per if m.group(3).lower() == "once" else ("P6M" if per == "P1Y" else "P15D")
        else:
            duration = _FIXED_PERIODS[m.group(5).lower()]
        span = nt.source_span(m.start(), m.end())
        found.append((m.start(), Deadline("periodic", m.group(0), span, duration=duration)))
        taken.append((m.start(), m.end()))
    for m in (_RELATIVE.finditer(s) if may_match(s, _UNIT_WORDS) else ()):
        if any(a <= m.start() < b for a, b in taken):
            continue
        n = words_to_int(m.group(1))
        if n is None or n == 0:
            continue
        duration = _duration(n, m.group(2))
        due = add_duration(adopted, duration) if adopted else None
        span = nt.source_span(m.start(), m.end())
        found.append(
            (m.start(), Deadline("relative", m.group(0), span, duration=duration, due_date=due, anchor="adoption"))
        )
    for m in (_ABSOLUTE.finditer(s) if _MONTH_NAME.search(s) else ()):
        due = parse_date(m.group(1), m.group(2), m.group(3))
        if due is None or _NAMING.match(s, m.end()):
            continue
        if adopted is not None and due < adopted:
            # a date before the adoption is a reference point, not a time limit: "the positions
            # held by them before 5 August 1965" (210 (1965)), "closure ... by the 31 December 2019"
            continue
        span = nt.source_span(m.start(), m.end())
        found.append((m.start(), Deadline("absolute", m.group(0), span, due_date=due)))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


__all__ = ["DATE", "MONTHS", "NUMBER", "add_duration", "find_deadlines", "parse_date", "words_to_int"]
