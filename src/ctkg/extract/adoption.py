"""Adoption facts: date, meeting, vote, Chapter VII; from the text, else the UN index.

>>> f = parse_adoption_line("Adopted at the 3063rd meeting by 10 votes to none, with 5 abstentions "
...                         "(Cape Verde, China, India, Morocco, Zimbabwe).")
>>> f.meeting, f.in_favour, f.against, f.abstentions, f.abstaining
(3063, 10, 0, 5, ('CPV', 'CHN', 'IND', 'MAR', 'ZWE'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ctkg.extract.actors import registry
from ctkg.extract.deadlines import DATE, parse_date, words_to_int
from ctkg.ingest.index import IndexEntry
from ctkg.model import Adoption, Vote

# "2731st", and "273 1st" where a hard wrap or OCR split the number (585 (1986), 885 (1993))
_ORDINAL = r"([0-9IlOoS]{1,5}(?: [0-9]{1,3}(?=\s*(?:st|nd|rd|th)\b))?)\s*(?:st|nd|rd|th|ist|Ist)"
_MEETING = re.compile(rf"\b(?:at\s+(?:its|the)\s+)?{_ORDINAL}\s+meeting", re.IGNORECASE)
_HEADER_DATE = re.compile(rf"(?:^|\bof\s+|\bon\s+){DATE}")
_VOTE = re.compile(
    r"\bby\s+(\w+)\s+votes?\s+to\s+(none|\w+)"
    r"(?:\s*\(([^)]*)\))?"
    r"(?:\s*,?\s*with\s+(\w+)\s+abstentions?(?:\s*\(([^)]*)\))?)?",
    re.IGNORECASE,
)
_UNANIMOUS = re.compile(r"\b(?:(?:adopted|approved)\s+unanimously|unanimously\s+(?:adopted|approved))\b", re.IGNORECASE)
_CHAPTER_VII = re.compile(
    r"\bActing\s+(?:also\s+|further\s+)?under\s+(?:Chapter\s+VII\b|Articles?\s+(?:39|40|41|42)\b)"
    r"|\bunder\s+Chapter\s+VII\s+of\s+the\s+Charter",
)


@dataclass
class AdoptionFacts:
    """What the text itself says about the adoption (None where it is silent)."""

    date: date | None = None
    meeting: int | None = None
    in_favour: int | None = None
    against: int | None = None
    abstentions: int | None = None
    abstaining: tuple[str, ...] = ()
    unanimous: bool = False
    warnings: list[str] = field(default_factory=list)


def _ocr_int(text: str) -> int | None:
    fixed = text.translate(str.maketrans("IlOoS", "11005"))
    return int(fixed) if fixed.isdigit() else None


def _count(word: str) -> int | None:
    return 0 if word.lower() in ("none", "no") else words_to_int(word)


def parse_adoption_line(text: str, facts: AdoptionFacts | None = None) -> AdoptionFacts:
    """Read meeting, date and vote from "Adopted ..." lines (either layout)."""
    facts = facts or AdoptionFacts()
    m = _MEETING.search(text)
    if m and facts.meeting is None:
        facts.meeting = _ocr_int(m.group(1).replace(" ", ""))
        if facts.meeting is not None and not m.group(1).isdigit():
            facts.warnings.append(f"meeting number {m.group(1)!r} read as {facts.meeting} (OCR repair)")
    d = re.search(rf"\bon\s+{DATE}", text)
    if d and facts.date is None:
        facts.date = parse_date(d.group(1), d.group(2), d.group(3))
    if _UNANIMOUS.search(text):
        facts.unanimous = True
    v = _VOTE.search(text)
    if v:
        facts.in_favour = _count(v.group(1))
        facts.against = _count(v.group(2))
        facts.abstentions = _count(v.group(4)) if v.group(4) else 0
        if v.group(5):
            reg = registry()
            names = [n.strip() for n in re.split(r",|\band\b", v.group(5)) if n.strip()]
            codes = []
            for name in names:
                code = reg.country(name)
                if code:
                    codes.append(code)
                else:
                    facts.warnings.append(f"abstaining State {name!r} not recognised")
            facts.abstaining = tuple(codes)
    return facts


def parse_header(lines: list[str], facts: AdoptionFacts) -> AdoptionFacts:
    """Read the date (and meeting) from the header lines above "The Security Council,".

    The "Adopted by the Security Council at its Nth meeting, on <date>" line wins
    over other dates ("of <date>" in the older title line); notes such as
    "* Reissued for technical reasons on 27 July 2017" are skipped.
    """
    lines = [line for line in lines if not line.lstrip().startswith("*")]
    for line in lines:
        if line.startswith("Adopted"):
            parse_adoption_line(line, facts)
    for line in lines:
        m = _HEADER_DATE.search(line)
        if m and facts.date is None and not line.startswith("Adopted"):
            facts.date = parse_date(m.group(1), m.group(2), m.group(3))
    return facts


def under_chapter_vii(text: str) -> bool:
    """Does the resolution act under Chapter VII (or its Articles 39-42)?"""
    return bool(_CHAPTER_VII.search(text))


def _damaged(text_number: int, index_number: int, same_day: bool) -> bool:
    """Is the text's meeting number a damaged form of the index's?

    Digits lost at the start: "838th" for the 1838th meeting (372 (1975)).  One digit misread,
    when the text and the index agree on the day (so the index's meeting is this resolution's):
    "1338th" for the 1838th (373 (1975)), "1387th" for the 1397th (246 (1968)).  Otherwise a
    different number is a real disagreement of the sources and the text's is kept: 663 (1990)
    was adopted at the 2936th meeting on 14 August 1990, while the index lists the 2939th of
    13 September.
    """
    a, b = str(text_number), str(index_number)
    if a == b:
        return False
    if len(a) < len(b) and b.endswith(a):
        return True
    return same_day and len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def merge(facts: AdoptionFacts, entry: IndexEntry | None, year: int, chapter_vii: bool) -> Adoption:
    """Combine the text's facts with the index, recording where each came from."""
    from_text = from_index = False
    adopted = facts.date
    if adopted is not None:
        from_text = True
    elif entry and entry.date:
        adopted, from_index = entry.date, True
    meeting = facts.meeting
    meeting_date = adopted
    if entry and entry.meeting and meeting is not None and _damaged(meeting, entry.meeting, adopted == entry.date):
        facts.warnings.append(f"meeting number {meeting} in the text looks damaged; the UN index's "
                              f"{entry.meeting} is used")
        meeting = None
    if meeting is not None:
        from_text = True
    elif entry and entry.meeting:
        meeting, from_index = entry.meeting, True
        meeting_date = entry.date or adopted  # the meeting's date from the same record as its number
    members = 15 if year >= 1966 else 11
    if facts.in_favour is not None and facts.in_favour > members and entry and entry.vote:
        facts.warnings.append(f"{facts.in_favour} votes in favour cannot be ({members} members); the UN "
                              "index's vote is used")
        facts.in_favour = None
    vote: Vote | None = None
    if facts.in_favour is not None:
        vote = Vote(facts.in_favour, facts.against, facts.abstentions, facts.abstaining, facts.unanimous)
        from_text = True
    elif facts.unanimous:
        vote = Vote(members, 0, 0, (), True)
        from_text = True
    elif entry and entry.vote:
        f, a, s = entry.vote
        vote = Vote(f, a, s, (), a == 0 and s == 0)
        from_index = True
    source = "text+index" if from_text and from_index else "index" if from_index else "text"
    return Adoption(
        date=adopted,
        meeting=meeting,
        vote=vote,
        chapter_vii=chapter_vii,
        source=source,
        meeting_record=f"S/PV.{meeting}" if meeting else (entry.meeting_record if entry else None),
        press_release=entry.press_release if entry else None,
        meeting_date=meeting_date if meeting else None,
        date_in_text=facts.date,
        date_in_index=entry.date if entry else None,
    )


__all__ = ["AdoptionFacts", "merge", "parse_adoption_line", "parse_header", "under_chapter_vii"]
