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
from itertools import pairwise

from ctkg.extract.clauses import verb_at
from ctkg.model import Span

_LEAD = re.compile(
    r"\b(?:shall|should|must|will|to)\s+(?:also\s+|further\s+|continue\s+to\s+)?"
    r"(?!(?:the|a|an|this|that|these|those|its|their|all|any|his|her|be|which)\b)(?=[a-z])"
)
_ALNUM = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
"""A byte table: ASCII digits and lower-case letters stay, every other byte becomes a space."""
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
    # every non-ASCII character becomes one "?" (then a space): the same as replacing [^0-9a-z], 5x faster
    return text.lower().encode("ascii", "replace").translate(_ALNUM).decode("ascii")


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


STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes becoming been before beforehand behind being
    below beside besides between beyond bill both bottom but by call can cannot cant co con could
    couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere
    empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find
    fire first five for former formerly forty found four from front full further get give go had has
    hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how
    however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly least
    less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
    myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she should
    show side since sincere six sixty so some somehow someone something sometime sometimes somewhere
    still such system take ten than that the their them themselves then thence there thereafter thereby
    therefore therein thereupon these they thick thin third this those though three through throughout
    thru thus to together too top toward towards twelve twenty two un under until up upon us very via
    was we well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whither who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves
    """.split()
)
"""English stop words left out of the candidate vectors: scikit-learn's list (``ENGLISH_STOP_WORDS``,
318 words, from the Glasgow Information Retrieval Group), copied so that a build need not import
scikit-learn (half a second)."""


def terms(norm: str) -> list[str]:
    """The features of a normalised text for candidate search: its words of two or more characters
    other than stop words, and each pair of consecutive such words (word 1- and 2-grams, as
    scikit-learn's ``HashingVectorizer(ngram_range=(1, 2), stop_words="english")`` would give).

    >>> terms(normalise("to prevent and suppress the financing of terrorist acts"))
    ['prevent', 'suppress', 'financing', 'terrorist', 'acts', 'prevent suppress', 'suppress financing', 'financing terrorist', 'terrorist acts']
    """
    words = [w for w in norm.split() if len(w) > 1 and w not in STOP_WORDS]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


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
    i, size = 0, len(text)
    while i < size:
        if text[i] == " ":
            if pos < n and exact[pos].isspace():
                out.append(pos)
                while pos < n and exact[pos].isspace():
                    pos += 1
            else:  # a space the normaliser inserted between joined pieces
                out.append(min(pos, max(n - 1, 0)))
            i += 1
            continue
        j = text.find(" ", i)
        j = size if j < 0 else j
        if exact.startswith(text[i:j], pos):  # the word stands where the walk is: each character in turn
            out.extend(range(pos, pos + j - i))
            pos += j - i
            i = j
            continue
        for ch in text[i:j]:  # the walk, character by character (a footnote marker or a wrap inside)
            k = exact.find(ch, pos)
            if k < 0:
                out.append(min(pos, max(n - 1, 0)))
                continue
            out.append(k)
            pos = k + 1
        i = j
    return out


def sub_span(span: Span, text: str, exact: str, start: int, end: int) -> Span:
    """The source span of ``text[start:end]`` for a clause whose source span is ``span``."""
    if not text or end <= start:
        return span
    offs = source_offsets(text, exact)
    start = max(0, min(start, len(offs) - 1))
    end = max(start + 1, min(end, len(offs)))
    return Span(span.start + offs[start], span.start + offs[end - 1] + 1)


__all__ = ["STOP_WORDS", "content_start", "names", "normalise", "source_offsets", "sub_span", "terms", "words"]
