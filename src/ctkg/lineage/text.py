"""Clause text as lineage compares it: the content after the operative verb and its lead-in,
normalised one character for one (so offsets stay valid), the names it mentions, and the map
from clause-text offsets back to the source file.

>>> content_start("Calls upon all States to ensure, in conformity with international law, that ...")
25
>>> content_start("Recalls that all States shall afford one another the greatest measure of assistance")
30
>>> content_start("Refrain from providing any form of support")  # a sub-paragraph: all of it is content
0
>>> normalise("Da’esh, ISIL-related")
'da esh  isil related'
>>> sorted(names("the Monitoring Team and ISIL (Da’esh) under resolution 1267 (1999)"))
['da', 'esh', 'isil']
"""

from __future__ import annotations

import re

from ctkg.extract.clauses import verb_at
from ctkg.model import Span

_LEAD = re.compile(
    r"\b(?:shall|should|must|will|to)\s+(?:also\s+|further\s+|continue\s+to\s+)?"
    r"(?!(?:the|a|an|this|that|these|those|its|their|all|any|his|her|be|which)\b)(?=[a-z])"
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
_NAME = re.compile(r"(?<![\w’'-])[A-Z][A-Za-z’'-]*")
GENERIC = frozenset(
    "government governments authorities council security committee committees states state member members "
    "secretary general united nations agreement agreements declaration resolution resolutions office mission "
    "chapter charter article force forces special representative president chairman chair panel experts group "
    "team monitoring commission organization organizations party parties republic international national "
    "january february march april may june july august september october november december the this "
    "executive directorate strategy programme plan report reports annex list sanctions".split()
)
_WORD = re.compile(r"[0-9a-z]+")
LEAD_WINDOW = 160


def content_start(text: str) -> int:
    """Where the content of a clause begins: after "Calls upon all States to", "Recalls that all
    States shall", "Reiterates the obligation of Member States to"; 0 when the clause does not open
    with an operative verb (a sub-paragraph completing its chapeau)."""
    verb = verb_at(text, 0)
    if verb is None:
        return 0
    end = verb[1]
    m = _LEAD.search(text, end, min(len(text), end + LEAD_WINDOW))
    return m.end() if m else len(text) - len(text[end:].lstrip(" ,"))


def normalise(text: str) -> str:
    """Lower case, anything but ASCII letters and digits as a space: one character for one."""
    return _NOT_ALNUM.sub(" ", text.lower())


def names(text: str) -> set[str]:
    """Names the text mentions (capitalised words and acronyms after the first word, other than
    the generic ones such as "Council" or "Government"), as lower-case words: what tells one
    country, mission or regime from another.  Numbers and dates are not names (a renewal "until
    31 May 1994" renews the same mandate as one "until 31 May 1986")."""
    out: set[str] = set()
    for m in _NAME.finditer(text):
        if m.start() == 0:
            continue
        out.update(w for w in _WORD.findall(m.group(0).lower()) if w not in GENERIC and not w.isdigit())
    return out


def words(text: str) -> set[str]:
    """The lower-case words of a text."""
    return set(_WORD.findall(text.lower()))


def source_offsets(text: str, exact: str) -> list[int]:
    """For each character of the normalised clause ``text``, its offset in ``exact``, the source
    text of the clause's span (line wraps, quote marks and footnote markers are in ``exact``
    only).  The normalised text is a subsequence of the source, up to white space, so a greedy
    walk finds each character; a character it cannot place keeps the last offset found.

    >>> source_offsets("ab cd", "ab\\n   cd")
    [0, 1, 2, 6, 7]
    """
    out: list[int] = []
    pos = 0
    n = len(exact)
    for ch in text:
        if ch == " ":
            if pos < n and exact[pos].isspace():
                out.append(pos)
                while pos < n and exact[pos].isspace():
                    pos += 1
            else:  # a space the normaliser inserted between joined pieces
                out.append(min(pos, max(n - 1, 0)))
            continue
        k = exact.find(ch, pos)
        if k < 0:
            out.append(min(pos, max(n - 1, 0)))
            continue
        out.append(k)
        pos = k + 1
    return out


def sub_span(span: Span, text: str, exact: str, start: int, end: int) -> Span:
    """The source span of ``text[start:end]`` for a clause whose source span is ``span``."""
    if not text or end <= start:
        return span
    offs = source_offsets(text, exact)
    start = max(0, min(start, len(offs) - 1))
    end = max(start + 1, min(end, len(offs)))
    return Span(span.start + offs[start], span.start + offs[end - 1] + 1)


__all__ = ["content_start", "names", "normalise", "source_offsets", "sub_span", "words"]
