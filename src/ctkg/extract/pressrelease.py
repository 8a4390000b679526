"""Facts a UN meetings-coverage press release states about its meeting.

The meeting's start and end ("The meeting began at 3:07 p.m. and ended at
5:24 p.m."), and each speaker of the "Briefings" and "Statements" sections with
the country they represent or the office they hold.

>>> to_24h("3", "07", "p.m.")
'15:07'
"""

from __future__ import annotations

import re

from ctkg.extract.actors import registry
from ctkg.model import Intervention, Meeting, Span

_TIMES = re.compile(
    r"The meeting (?:began|started|opened) at (\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.m\.)"
    r"(?: and (?:ended|closed|adjourned) at (\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.m\.))?"
)
_UPPER = r"[A-ZÀ-ÖØ-Þ]"
_NAME = re.compile(
    rf"^(?P<name>{_UPPER}[A-ZÀ-ÖØ-Þ.'’\-]*(?:\s+(?:{_UPPER}[A-ZÀ-ÖØ-Þ.'’\-]*|van|de|da|del|von|al|el|bin))+)"
    r"(?:\s*\((?P<country>[^)]+)\)|,\s*(?P<office>.+?),?\s+(?=(?:said|spoke|stressed|noted|"
    r"underscored|emphasized|called|urged|welcomed|recalled|pointed|expressed|condemned|thanked|"
    r"began|speaking)\b))"
)
_SECTION = re.compile(r"^(Briefings?|Statements?|Resolution|Speakers?)\s*$")


def to_24h(hour: str, minute: str | None, half: str) -> str:
    """"3", "07", "p.m." -> "15:07"."""
    h = int(hour) % 12 + (12 if half.startswith("p") else 0)
    return f"{h:02d}:{int(minute or 0):02d}"


def parse_meeting(text: str, start: int, end: int) -> Meeting:
    """Read the meeting facts in ``text[start:end]`` (the part before the quoted resolution)."""
    region = text[start:end]
    title = region.strip().split("\n", 1)[0].strip() or None
    t = _TIMES.search(region)
    start_time = to_24h(t.group(1), t.group(2), t.group(3)) if t else None
    end_time = to_24h(t.group(4), t.group(5), t.group(6)) if t and t.group(4) else None
    meeting = Meeting(
        number=None, record=None, date=None, start_time=start_time, end_time=end_time,
        press_release=None, title=title,
    )
    reg = registry()
    section: str | None = None
    pos = start
    for line in region.split("\n"):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip()
        sec = _SECTION.match(stripped)
        if sec:
            word = sec.group(1).lower()
            section = "briefing" if word.startswith("briefing") else "statement" if word.startswith(
                ("statement", "speaker")
            ) else None
            continue
        if section is None:
            continue
        m = _NAME.match(stripped)
        if not m:
            continue
        name = m.group("name").strip()
        country = None
        office = None
        if m.group("country"):
            country = reg.country(m.group("country"))
        else:
            office = re.split(r"\s+(?:which|who)\s+", m.group("office"))[0].strip().rstrip(",")
            tail = re.search(r".*(?:,|\bof)\s+(?:the\s+)?([A-Z][\w' -]+?)\s*$", office)
            if tail:
                country = reg.country(tail.group(1))
        offset = line_start + (len(line) - len(line.lstrip()))
        meeting.interventions.append(
            Intervention(
                ordinal=len(meeting.interventions) + 1,
                name=name.title() if name.isupper() else name,
                kind=section,  # type: ignore[arg-type]
                span=Span(offset, offset + m.end()),
                country=country,
                office=office,
            )
        )
    return meeting


__all__ = ["parse_meeting", "to_24h"]
