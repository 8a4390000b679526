"""The UN Dag Hammarskjöld Library index of adopted resolutions (bundled data).

One row per resolution 1-2640 (2,614 rows): adoption date, meeting record,
press release, agenda topic, vote.

>>> entry = load_index()[1373]
>>> entry.date.isoformat(), entry.meeting_record, entry.vote
('2001-09-28', 'S/PV.4385', (15, 0, 0))
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class IndexEntry:
    """Facts the UN library index holds for one resolution."""

    number: int
    year: int
    symbol: str
    date: date | None
    meeting_record: str | None
    press_release: str | None
    topic: str | None
    vote: tuple[int, int, int] | None

    @property
    def meeting(self) -> int | None:
        """The meeting number from the record symbol (S/PV.4385 -> 4385)."""
        m = re.search(r"S/PV\.(\d+)", self.meeting_record or "")
        return int(m.group(1)) if m else None


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%d %B %Y").date()
    except ValueError:
        return None


def _vote(text: str) -> tuple[int, int, int] | None:
    m = re.fullmatch(r"\s*(\d+)-(\d+)-(\d+)\s*", text or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _press_release(cell: str) -> str | None:
    """The press release symbol, or None when the library records "None issued" (or nothing)."""
    cell = cell.strip()
    return None if not cell or cell.lower() == "none issued" else cell


@lru_cache(maxsize=1)
def load_index() -> dict[int, IndexEntry]:
    """The bundled index, keyed by resolution number (read once per process; do not mutate)."""
    raw = resources.files("ctkg.data").joinpath("corpus/sc_resolutions_index.csv").read_text("utf-8")
    out: dict[int, IndexEntry] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        number = int(row["resolution"])
        out[number] = IndexEntry(
            number=number,
            year=int(row["year"]),
            symbol=row["symbol"],
            date=_date(row["date"]),
            meeting_record=row["meeting_record"] or None,
            press_release=_press_release(row["press_release"]),
            topic=row["topic"] or None,
            vote=_vote(row["vote"]),
        )
    return out


__all__ = ["IndexEntry", "load_index"]
