"""Cut a resolution text into units: the lines that make up one paragraph.

Works on both layouts of the corpus and on press-release quotations:

* paragraphs separated by blank lines (born-digital texts);
* hard-wrapped lines, where a new paragraph may follow without a blank line
  ("...purpose;\\n12. Invites ...", "The Security Council,\\nReaffirming ...");
* one paragraph per line, each opening with a quotation mark (press releases).

Page furniture (form feeds, "S/RES/1445 (2002)" running heads, job numbers
such as "02-72318 (E)", bare page numbers) is dropped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ctkg.ingest.text import NormText

_NUMBERED = re.compile(r"(\d{1,3})\s*(?:\.|,(?=\s+[A-Z]))\s+\S")
_SUBPARA = re.compile(r"\(([a-z]{1,3}|\d{1,2})\)\s+\S")
_QUOTE_OPEN = "\u201c\"\u201e"
_FORMULA_LINE = re.compile(r"The Security Council\s*[,.;:]?\s*$", re.IGNORECASE)
_FOOTNOTE_END = re.compile(r"[,;:.)]\s*\d{1,3}$")
_FURNITURE = re.compile(
    r"(?:S/RES/\d{1,4}\s*\(\d{4}\)(?:\s*\[?\*?\]?)?"  # running head
    r"|\d{2}-\d{5}\s*(?:\([A-Z]\))?.*"  # job number, e.g. 02-72318 (E) 181102
    r"|(?:Page\s+)?\d{1,3}"  # bare page number
    r"|\*\d{6,}\*"  # bar code
    r")",
)
# Participles and adjectives that open preambular paragraphs (first word).
PREAMBLE_OPENERS = frozenset(
    """Acknowledging Acting Affirming Alarmed Appreciating Approving Aware Bearing
    Believing Calling Cognizant Commending Concerned Condemning Confirming Conscious
    Considering Convinced Deeply Deploring Desiring Desirous Determined Determining
    Emphasizing Emphasising Encouraging Endorsing Expressing Further Gravely Guided Having
    Highlighting Mindful Noting Observing Reaffirming Realizing Recalling Recognizing
    Recognising Regretting Reiterating Reminding Seriously Strongly Stressing Taking
    Underlining Underscoring Urging Welcoming Viewing Profoundly Anxious Shocked
    Distressed Disturbed Greatly Particularly Looking Keeping Reviewing Renewing
    Deploring Condemning Underlining Supporting Fully Paying Emphasizing""".split()
)


@dataclass
class Unit:
    """One paragraph-sized piece of text: its line ranges in the source."""

    lines: list[tuple[int, int]]
    first: str  # the first line, stripped of white space and an opening quote
    quoted: bool = False  # the first line opened with a quotation mark

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][1]

    def norm(self, source: str) -> NormText:
        """The unit's text on one line, with offsets into ``source``."""
        return NormText.join(source, self.lines).strip(" " + _QUOTE_OPEN + "\u201d\"")


def _content_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space (incl. form feeds) and a press-release opening quote."""
    while start < end and (text[start].isspace() or text[start] in _QUOTE_OPEN):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_units(text: str, start: int = 0, end: int | None = None) -> list[Unit]:
    """Cut ``text[start:end]`` into paragraph units (see the module docstring)."""
    end = len(text) if end is None else end
    units: list[Unit] = []
    current: list[tuple[int, int]] = []
    current_quoted = False
    prev_line = ""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        raw_start = pos
        pos = line_end + 1
        s, e = _content_range(text, raw_start, line_end)
        line = text[s:e]
        if not line or _FURNITURE.fullmatch(line):
            if not line and current:
                units.append(Unit(current, text[current[0][0] : current[0][1]], current_quoted))
                current = []
                prev_line = ""
            continue
        quoted = text[raw_start:s].strip(" \t\f").startswith(tuple(_QUOTE_OPEN))
        if current and _starts_unit(line, prev_line, quoted):
            units.append(Unit(current, text[current[0][0] : current[0][1]], current_quoted))
            current = []
        if not current:
            current_quoted = quoted
        current.append((s, e))
        prev_line = line
    if current:
        units.append(Unit(current, text[current[0][0] : current[0][1]], current_quoted))
    return units


def _starts_unit(line: str, prev: str, quoted: bool) -> bool:
    """Does ``line`` open a new paragraph although no blank line precedes it?"""
    if quoted:
        return True
    ends_clause = prev[-1:] in ",;:." or prev.endswith(("\u201d", ";\u201d")) or bool(_FOOTNOTE_END.search(prev))
    if _NUMBERED.match(line) and (ends_clause or len(prev) < 60):
        return True
    if _SUBPARA.match(line) and ends_clause:
        return True
    if prev.rstrip(",").lower().endswith("the security council"):
        return True
    if _FORMULA_LINE.match(line):
        return True
    if not ends_clause or prev[-1:] == ".":
        return False
    if line.split(" ", 1)[0].rstrip(",") in PREAMBLE_OPENERS:
        return True
    from ctkg.extract.clauses import verb_at

    return line[:1].isupper() and verb_at(line, 0) is not None


__all__ = ["PREAMBLE_OPENERS", "Unit", "split_units"]
