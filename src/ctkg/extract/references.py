"""Cross-references: Council resolutions, their paragraphs, paragraphs of the same
resolution, conventions, Charter provisions and General Assembly resolutions.

>>> refs = find_references("Recalling its resolutions 1267 (1999), 2129(2013) 2133 (2014) and 2253 (2015),")
>>> [(r.resolution, r.relation) for r in refs]
[((1267, 1999), 'recalls'), ((2129, 2013), 'recalls'), ((2133, 2014), 'recalls'), ((2253, 2015), 'recalls')]
>>> find_references("the obligation in paragraph 1(d) of resolution 1373 (2001)")[0].cited_paragraph
'1(d)'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ctkg.extract.clauses import verb_at
from ctkg.ingest.layout import PREAMBLE_OPENERS
from ctkg.ingest.text import NormText, has_any
from ctkg.model import Span

_ITEM = re.compile(r"\s*(\d{1,4})\s?\((\d{4})\)(?:\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?")
_GA_ITEM = re.compile(r"\s*(\d{1,4})\s?\(([IVXLC]+|S-[IVXLC]+|ES-[IVXLC]+)\)|\s*(\d{1,2}/\d{1,3})")
_SEP = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+(?=\d))")
_RES_WORD = re.compile(r"\b[Rr]esolutions?\b")
_GA_BEFORE = re.compile(r"General Assembly(?:\s+in\s+its)?\s*$|A/RES/\s*$")
_PARA_LABEL = r"\d{1,3}(?:\s?\([a-z]{1,4}\))*(?:\s?\([ivx]{1,5}\))?"
_PARA_OF = re.compile(
    rf"\b(?:sub-?)?paragraphs?\s+((?:{_PARA_LABEL})(?:\s*(?:,|and|to|,\s*and)\s*(?:{_PARA_LABEL}))*)"
    r",?\s+of\s+(?:its\s+|Security\s+Council\s+|the\s+)?resolution\s+(\d{1,4})\s?\((\d{4})\)"
)
_INTERNAL = re.compile(
    rf"\b(sub-?)?paragraphs?\s+((?:{_PARA_LABEL}|\([a-z]{{1,4}}\))"
    rf"(?:\s*(?:,|and|to|,\s*and)\s*(?:{_PARA_LABEL}|\([a-z]{{1,4}}\)))*)\s+(above|below)\b"
)
_CHARTER = re.compile(
    r"\b(?:(Chapter)\s+([IVX]+)|(Articles?)\s+(\d{1,3})(?:\s*,?\s*paragraphs?\s+(\d{1,2}))?"
    r"(?:\s+and\s+(\d{1,3}))?)\s*,?\s+of\s+the\s+(?:United\s+Nations\s+)?Charter\b"
)
_ACTING_UNDER = re.compile(r"\bActing\s+(?:also\s+)?under\s+(Chapter)\s+([IVX]+)\b")
_CONVENTION = re.compile(r"\b(Convention|Protocol|Covenant)\b")
_CONVENTION_WORDS = ("Convention", "Protocol", "Covenant")
_CONNECT = {"of", "for", "the", "on", "against", "and", "to", "in", "concerning", "relating", "de"}
_ARTICLE_OF = re.compile(r"\b[Aa]rticles?\s+(\d{1,3})\s+of\s+(?:the\s+)?$")
_CUES = re.compile(
    r"\b(?:(recall\w*)|(reaffirm\w*)|(reiterat\w*)|(not(?:e|es|ing)\b|takes?\s+note|taking\s+note)"
    r"|(welcom\w*)|(acting\s+(?:also\s+)?under)|(extend\w*|renew\w*|prolong\w*)|(appl(?:y|ies|ied|ying)))",
    re.IGNORECASE,
)
_CUE_NAMES = ("recalls", "reaffirms", "reiterates", "notes", "welcomes", "acts-under", "extends-mandate", "applies")


@dataclass(frozen=True)
class Reference:
    """One cross-reference found in a paragraph (before it is tied to the paragraph)."""

    relation: str
    text: str
    span: Span
    start: int  # offset in the normalised text
    resolution: tuple[int, int] | None = None
    cited_paragraph: str | None = None
    instrument_kind: str | None = None
    instrument: str | None = None
    provision: str | None = None
    internal_labels: tuple[str, ...] = ()


def relation_before(text: str, pos: int, clause_start: int = 0) -> str:
    """The citation relation the nearest preceding cue word gives, else "cites"."""
    last = None
    for m in _CUES.finditer(text, clause_start, pos):
        last = m
    if last is None:
        return "cites"
    return _cue_name(last)


def _cue_name(m: re.Match[str]) -> str:
    """The relation a cue match names (the index of its matching group)."""
    return _CUE_NAMES[next(i for i, g in enumerate(m.groups()) if g)]


def _labels(raw: str) -> list[str]:
    """Expand "3 to 7", "1 and 2", "1(d)" into paragraph labels."""
    raw = re.sub(r"\s+(?=\()", "", raw)
    parts = re.split(r"\s*(,\s*and|,|and|to)\s*", raw)
    labels: list[str] = []
    i = 0
    while i < len(parts):
        tok = parts[i].strip()
        if tok == "to" and labels and i + 1 < len(parts):
            a, b = labels[-1], parts[i + 1].strip()
            if a.isdigit() and b.isdigit() and 0 < int(b) - int(a) <= 50:
                labels.extend(str(n) for n in range(int(a) + 1, int(b) + 1))
                i += 2
                continue
        if tok and tok not in (",", "and", ", and", "to"):
            labels.append(tok)
        i += 1
    return labels


def find_references(
    text: str | NormText, clause_starts: list[int] | None = None, own_label: str | None = None
) -> list[Reference]:
    """All references in a paragraph's normalised text.

    ``clause_starts`` (offsets where clauses begin) limits how far back a
    relation cue is looked for; ``own_label`` resolves "subparagraph (a) above"
    inside paragraph 5 to "5(a)".
    """
    nt = text if isinstance(text, NormText) else NormText(text, list(range(len(text))))
    s = nt.text
    starts = sorted(clause_starts or [0])

    cues: list[tuple[int, str]] | None = None  # found at the first reference (most paragraphs have none)
    cue_starts: list[int] = []

    def rel(pos: int) -> str:
        """The nearest cue before ``pos`` within its clause (binary searches: linear overall)."""
        nonlocal cues
        if cues is None:
            cues = [(m.start(), _cue_name(m)) for m in _CUES.finditer(s)]
            cue_starts.extend(c for c, _ in cues)
        begin = starts[max(0, bisect_right(starts, pos) - 1)] if starts else 0
        i = bisect_left(cue_starts, pos) - 1
        return cues[i][1] if i >= 0 and cue_starts[i] >= begin else "cites"

    refs: list[Reference] = []
    para_level: set[int] = set()
    has_paragraph = "paragraph" in s  # _PARA_OF and _INTERNAL need the word (cheap test first)
    for m in (_PARA_OF.finditer(s) if has_paragraph else ()):
        res = (int(m.group(2)), int(m.group(3)))
        for label in _labels(m.group(1)):
            ref = Reference(
                rel(m.start()), m.group(0), nt.source_span(m.start(), m.end()), m.start(),
                resolution=res, cited_paragraph=label.replace(" ", ""),
            )
            refs.append(ref)
        para_level.add(m.start(2))
    for m in (_RES_WORD.finditer(s) if "esolution" in s else ()):
        before = s[max(0, m.start() - 40) : m.start()]
        is_ga = bool(_GA_BEFORE.search(before))
        pos = m.end()
        while True:
            item = _ITEM.match(s, pos)
            if item and not is_ga:
                end = item.end()
                if item.start(1) in para_level:
                    pos = end
                else:
                    a = item.start(1)
                    refs.append(
                        Reference(
                            rel(a), item.group(0).strip(), nt.source_span(a, end), a,
                            resolution=(int(item.group(1)), int(item.group(2))),
                        )
                    )
                    pos = end
            else:
                ga = _GA_ITEM.match(s, pos)
                if ga and (is_ga or ga.group(2) or ga.group(3)):
                    a = ga.start(1) if ga.group(1) else ga.start(3)
                    symbol = (
                        f"A/RES/{ga.group(1)} ({ga.group(2)})" if ga.group(1) else f"A/RES/{ga.group(3)}"
                    )
                    refs.append(
                        Reference(
                            rel(a), ga.group(0).strip(), nt.source_span(a, ga.end()), a,
                            instrument_kind="ga-resolution", instrument=symbol,
                        )
                    )
                    pos = ga.end()
                else:
                    break
            sep = _SEP.match(s, pos)
            if not sep or not (_ITEM.match(s, sep.end()) or _GA_ITEM.match(s, sep.end())):
                break
            pos = sep.end()
    for m in (_INTERNAL.finditer(s) if has_paragraph else ()):
        labels = []
        for label in _labels(m.group(2)):
            label = label.replace(" ", "")
            if label.startswith("(") and own_label:
                label = own_label.split("(")[0] + label
            labels.append(label)
        refs.append(
            Reference(
                "refers-to", m.group(0), nt.source_span(m.start(), m.end()), m.start(),
                internal_labels=tuple(labels),
            )
        )
    charter_seen: set[tuple[int, int]] = set()
    for m in (_CHARTER.finditer(s) if "Charter" in s else ()):
        if m.group(1):
            provisions = [f"Chapter {m.group(2)}"]
        else:
            first = m.group(4) + (f"({m.group(5)})" if m.group(5) else "")
            provisions = [f"Article {first}"] + ([f"Article {m.group(6)}"] if m.group(6) else [])
        for prov in provisions:
            refs.append(
                Reference(
                    rel(m.start()), m.group(0), nt.source_span(m.start(), m.end()), m.start(),
                    instrument_kind="charter", instrument="Charter of the United Nations", provision=prov,
                )
            )
        charter_seen.add((m.start(), m.end()))
    for m in (_ACTING_UNDER.finditer(s) if "Acting" in s else ()):
        if any(a <= m.start(1) < b for a, b in charter_seen):
            continue
        refs.append(
            Reference(
                "acts-under", m.group(0), nt.source_span(m.start(), m.end()), m.start(),
                instrument_kind="charter", instrument="Charter of the United Nations",
                provision=f"Chapter {m.group(2)}",
            )
        )
    if has_any(s, _CONVENTION_WORDS):
        refs.extend(_conventions(nt, rel))
    refs.sort(key=lambda r: r.start)
    return refs


def _conventions(nt: NormText, rel: object) -> list[Reference]:
    s = nt.text
    out: list[Reference] = []
    last_end = -1
    for m in _CONVENTION.finditer(s):
        if m.start() < last_end:
            continue
        # walk back over capitalised words and connectors
        words = list(re.finditer(r"[\w'\u2019-]+", s[: m.start()]))
        start = m.start()
        j = len(words) - 1
        while j >= 0:
            w = words[j].group(0)
            gap = s[words[j].end() : start]
            if gap.strip():
                break
            if w in PREAMBLE_OPENERS or (w[0].isupper() and w.endswith("ing")) or verb_at(w.lower(), 0):
                break
            if w[0].isupper() or w in ("of", "on", "the", "to", "for", "against"):
                start = words[j].start()
                j -= 1
                continue
            break
        # walk forward over connectors and capitalised words
        end = m.end()
        for nxt in re.finditer(r"\s+([\w'\u2019-]+)", s[m.end() :]):
            word = nxt.group(1)
            if nxt.start() != end - m.end():
                break
            if word[0].isupper() or word in _CONNECT:
                end = m.end() + nxt.end()
                continue
            break
        title = s[start:end]
        tokens = title.split()
        while tokens and tokens[0] in ("the", "of", "on", "to", "for", "against", "The"):
            tokens.pop(0)
        while tokens and tokens[-1] in _CONNECT:
            tokens.pop()
        title = " ".join(tokens)
        if title in ("Convention", "Protocol", "Covenant", "Protocols", "Conventions") or len(tokens) < 2:
            continue
        if tokens[0] in ("Convention", "Protocol") and len(tokens) < 3:
            continue
        title = re.sub(r"^UN\b", "United Nations", title)
        tstart = start + s[start:].find(tokens[0])
        tend = tstart + len(" ".join(tokens)) if s[tstart:].startswith(" ".join(tokens)) else end
        art = _ARTICLE_OF.search(s[max(0, tstart - 30) : tstart])
        a = tstart - (len(s[max(0, tstart - 30) : tstart]) - art.start()) if art else tstart
        out.append(
            Reference(
                rel(a),  # type: ignore[operator]
                s[a:tend], nt.source_span(a, tend), a,
                instrument_kind="protocol" if tokens[0] in ("Protocol", "Additional", "Optional") and "Protocol" in tokens[:3] else "convention",
                instrument=title,
                provision=f"Article {art.group(1)}" if art else None,
            )
        )
        last_end = end
    return out


__all__ = ["Reference", "find_references", "relation_before"]
