"""Structure: header, preambular and operative paragraphs, sub-paragraphs, headings.

Paragraph ids follow the Akoma Ntoso naming convention: ``preamble__p_3``,
``para_13``, ``para_13__subpara_g``, ``para_1__subpara_a__subpara_ii``.
Labels are what a reader cites: ``PP3``, ``13``, ``13(g)``, ``1(a)(ii)``.
OCR slips in sub-paragraph letters ("(6)" for "(b)") are repaired from the
sequence, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ctkg.ingest.layout import PREAMBLE_OPENERS, Unit
from ctkg.ingest.text import NormText
from ctkg.model import Heading, Paragraph, Span

_NUMBERED = re.compile(r"^(\d{1,3})\s*(\.|,(?=\s+[A-Z]))\s+")
_SUBPARA = re.compile(r"^\(([a-z]{1,4}|\d{1,2})\)\s+")
_FORMULA = re.compile(r"^The Security Council\s*[,.;:]?\s*$", re.IGNORECASE)
_FORMULA_PREFIX = re.compile(r"^The Security Council\s*,\s*", re.IGNORECASE)
_TITLE = re.compile(r"^Resolution \d{1,4} ?\(\d{4}\)")
_ADOPTED = re.compile(r"^(?:Adopted|Approved)\b")  # "Approved" in admissions, e.g. 663 (1990)
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
          "xvi", "xvii", "xviii", "xix", "xx"]  # fmt: skip
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_FOOTNOTE = re.compile(  # (?=\s) first: the lookbehinds are tried only where a marker can begin (twice as fast)
    r"(?=\s)(?:(?<=[A-Za-z,;.)\]\u201d])|(?<=\b(?:19|20)\d\d))((?:\s+\d{2,3}){1,4})(?=[\s,;.:]|$)"
)
_NUMBER_WORDS = re.compile(
    r"(?:paragraphs?|resolutions?|articles?|rule|rules|chapter|of|to|by|than|and|or|the|some|all|on|at|in|"
    r"within|for|from|with|every|under|between|since|until|before|after|its|their|his|her|first|last|"
    r"next|past|least|only|approximately|almost|around|up|down|over|per|each|another|extra|"
    r"over|about|nearly|almost|least|most|annex|section|sections|page|pages|no|No|"
    r"Jan|Feb)$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:days?|weeks?|months?|years?|members?|votes?|per\s*cent|%|countries|States|persons?|"
    r"people|million|thousand|hundred|troops|military|civilian|observers|officers|police|personnel|"
    r"kilometres?|km|miles?|hours?|to\b|and\s+\d|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|\()",
)
PREAMBLE_PHRASES = (
    "Acting under Chapter VII", "Acting under Chapter VI", "Acting under Article", "Bearing in mind",
    "Taking note", "Taking into account", "Taking into consideration", "Expressing concern",
    "Expressing deep concern", "Expressing grave concern", "Expressing its", "Having considered",
    "Having heard", "Having examined", "Having received", "Calling upon", "Calling on", "Noting with concern",
    "Noting with appreciation", "Noting with satisfaction",
    "Looking forward", "Keeping in mind", "Paying tribute",
)
_ADVERBS_BEFORE = {"Deeply", "Gravely", "Seriously", "Strongly", "Profoundly", "Greatly", "Particularly",
                   "Further", "Also", "Fully", "Firmly", "Again", "Once", "Most"}  # fmt: skip
_ADVERBS_AFTER = {"also", "further", "again", "moreover", "furthermore"}


@dataclass
class Skeleton:
    """The structure of one resolution text before meaning is extracted."""

    header: list[NormText] = field(default_factory=list)
    adoption_lines: list[NormText] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    texts: dict[str, NormText] = field(default_factory=dict)  # eid -> normalised text (no number)
    warnings: list[str] = field(default_factory=list)
    formula_found: bool = False
    footnotes_removed: int = 0
    restarts: int = 0  # times the numbering restarted at 1 (a new section, annex or part each)
    # the eid prefixes ("annex_I__") of the paragraphs so far, kept up to date by _part_prefixes
    prefixes: set[str] = field(default_factory=set, repr=False)
    prefixes_of: int = 0  # how many of ``paragraphs`` ``prefixes`` has seen


def opening_phrase(text: str, operative: bool) -> str:
    """The opening word or phrase of a paragraph ("Deeply concerned", "Calls upon")."""
    words = text.split()
    if not words:
        return ""
    if not operative:
        for phrase in PREAMBLE_PHRASES:
            if text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalpha()):
                if phrase.startswith(("Acting under Chapter", "Acting under Article")):
                    m = re.match(r"Acting under (?:Chapter [IVX]+|Articles? \d+(?: and \d+)?)", text)
                    return m.group(0) if m else phrase
                return phrase
    n = 1
    if words[0].rstrip(",") in _ADVERBS_BEFORE and len(words) > 1:
        n = 2
    if len(words) > n and words[n].rstrip(",") in _ADVERBS_AFTER:
        n += 1
    out = " ".join(words[:n]).rstrip(",;:")
    if operative:
        from ctkg.extract.clauses import verb_at

        hit = verb_at(text, 0)
        if hit:
            return text[: hit[1]].strip().rstrip(",;:")
    return out


def _word_before(text: str, at: int, window: int = 80) -> str:
    """The last word before ``at``, past closing punctuation (read from a window, not a copy of the prefix)."""
    before = text[max(0, at - window) : at].rstrip(",;.)\u201d ")
    if " " not in before and at > window:  # the word may begin before the window
        before = text[:at].rstrip(",;.)\u201d ")
    return before.rsplit(" ", 1)[-1] if before else ""


def strip_footnotes(nt: NormText) -> tuple[NormText, int]:
    """Remove inline footnote markers ("France, 162 165, the United Kingdom")."""
    cuts: list[tuple[int, int]] = []
    for m in _FOOTNOTE.finditer(nt.text):
        prev_word = _word_before(nt.text, m.start())
        if _NUMBER_WORDS.match(prev_word) or re.fullmatch(r"\d{1,3}", prev_word):
            continue
        if _UNIT_AFTER.match(nt.text, m.end()):
            continue
        if prev_word.isdigit() and len(prev_word) != 4:
            continue
        end = m.end()
        if nt.text[m.start() - 1 : m.start()] == "," and nt.text[end : end + 1] == ",":
            end += 1
        cuts.append((m.start(), end))
    if not cuts:
        return nt, 0
    return nt.delete(cuts), len(cuts)


def build_skeleton(source: str, units: list[Unit], *, footnotes: bool, quoted_layout: bool = False) -> Skeleton:
    """Assign units to header, preamble, operative part, headings and adoption lines."""
    sk = Skeleton()
    body: list[tuple[Unit, NormText]] = []
    state = "header"
    for unit in units:
        nt = unit.norm(source)
        if not nt.text:
            continue
        if state == "header":
            if _FORMULA.match(nt.text):
                sk.formula_found = True
                state = "body"
                continue
            m = _FORMULA_PREFIX.match(nt.text)
            if m and len(nt.text) > m.end():
                sk.formula_found = True
                state = "body"
                body.append((unit, nt.sub(m.end(), len(nt.text))))
                continue
            sk.header.append(nt)
            continue
        if state == "adoption":
            continue  # trailing matter after the adoption line (footnote texts)
        if _ADOPTED.match(nt.text):
            state = "adoption"
            sk.adoption_lines.append(nt)
            continue
        body.append((unit, nt))
    if not sk.formula_found:
        # no enacting formula: everything after a title line is the body
        body = [(u, u.norm(source)) for u in units if not _TITLE.match(u.first)]
        body = [(u, nt) for u, nt in body if nt.text]
        sk.header = []
    _assemble(sk, body, footnotes=footnotes, quoted_layout=quoted_layout)
    return sk


def _continue_paragraph(sk: Skeleton, para: Paragraph, nt: NormText) -> None:
    """Append a block to the paragraph it continues."""
    joined = sk.texts[para.eid]
    sk.texts[para.eid] = NormText(joined.text + " " + nt.text, joined.offsets + [nt.offsets[0]] + nt.offsets)
    para.text = sk.texts[para.eid].text
    para.span = Span(para.span.start, max(para.span.end, nt.whole_span().end))


def _is_heading(text: str) -> bool:
    if len(text) > 90 or text[-1:] in ",;:." or _NUMBERED.match(text) or _SUBPARA.match(text):
        return False
    if re.fullmatch(r"[A-Z]|[IVX]{1,5}", text):
        return True
    first = text.split(" ", 1)[0]
    from ctkg.extract.clauses import verb_at

    if verb_at(text, 0) is not None:
        return False
    return first not in PREAMBLE_OPENERS and text[:1].isupper() and len(text.split()) <= 10


def _assemble(sk: Skeleton, body: list[tuple[Unit, NormText]], *, footnotes: bool, quoted_layout: bool) -> None:
    has_numbers = any(_NUMBERED.match(nt.text) for _, nt in body)
    from ctkg.extract.clauses import verb_at

    operative_started = False
    pp = op = 0
    heading: str | None = None
    current: Paragraph | None = None
    expected_number = 1
    part_prefix = part_tag = ""
    annex: str | None = None
    for index, (unit, nt) in enumerate(body):
        if footnotes:
            nt, n = strip_footnotes(nt)
            sk.footnotes_removed += n
        text = nt.text
        sub = _SUBPARA.match(text)
        hit = verb_at(text, 0)
        if unit.quoted and not quoted_layout and operative_started and current is not None:
            # quoted text inside a paragraph (e.g. an amended paragraph "shall be replaced by the following:")
            _continue_paragraph(sk, current, nt)
            continue
        numbered = _operative_number(text, expected_number, has_numbers)
        if numbered is None and hit and text[:1].isupper() and has_numbers and operative_started and current:
            # a paragraph whose number was lost in the source ("Calls upon Israel ..." between 1. and 3.)
            numbered = (str(expected_number), 0, "number missing in the text, inferred from the sequence")
        if numbered is not None and operative_started and int(numbered[0]) not in (1, expected_number):
            following = next((_NUMBERED.match(b.text) for _, b in body[index + 1:index + 2]), None)
            if following and int(following.group(1)) == expected_number + 1:
                # "8." between "4." and "6." is 5 misread (591 (1986))
                numbered = (str(expected_number), numbered[1],
                            f"number printed as {numbered[0]!r} between {expected_number - 1} and "
                            f"{expected_number + 1} (OCR repair)")
        if numbered is not None:
            number, end, repair = numbered
            operative_started = True
            op += 1
            if repair:
                sk.warnings.append(f"operative paragraph {number}: {repair}")
            if int(number) == 1 and expected_number > 1:
                part_prefix, part_tag = _new_part(heading, part_prefix, sk)
            elif int(number) != expected_number:
                sk.warnings.append(
                    f"operative paragraph {part_tag}{number} follows {expected_number - 1} (numbering gap or repeat)"
                )
            expected_number = int(number) + 1
            inner = nt.sub(end, len(text))
            current = Paragraph(
                eid=f"{part_prefix}para_{number}", kind="operative", label=f"{part_tag}{number}", number=number,
                ordinal=op, text=inner.text, span=nt.whole_span(), opening=opening_phrase(inner.text, True),
                heading=heading,
            )
            if current.eid in sk.texts:
                current.eid = f"{part_prefix}para_{number}_{op}"
            sk.paragraphs.append(current)
            sk.texts[current.eid] = inner
            continue
        if annex is not None and sub:
            marker = sub.group(1)
            nxt = _next_letter([q for q in sk.paragraphs if q.eid.startswith(part_prefix) and q.number
                                and q.number.isalpha()])
            if current is None or marker == nxt or (marker.isdigit() and not current.children):
                # a lettered item of an annex ("(y) To report to the Committee ...")
                op += 1
                inner = nt.sub(sub.end(), len(text))
                current = Paragraph(
                    eid=f"{part_prefix}para_{marker}", kind="operative", label=f"{part_tag}({marker})",
                    number=marker, ordinal=op, text=inner.text, span=nt.whole_span(),
                    opening=opening_phrase(inner.text, True), heading=heading,
                )
                if current.eid in sk.texts:
                    current.eid = f"{current.eid}_{op}"
                sk.paragraphs.append(current)
                sk.texts[current.eid] = inner
                continue
        if sub and (current is None or current.kind == "preambular") and verb_at(text, sub.end()):
            # lettered operative paragraphs with no numbers: "(a) Resolves that ..."
            operative_started = True
            op += 1
            marker = sub.group(1)
            inner = nt.sub(sub.end(), len(text))
            current = Paragraph(
                eid=f"para_{marker}", kind="operative", label=marker, number=marker, ordinal=op,
                text=inner.text, span=nt.whole_span(), opening=opening_phrase(inner.text, True), heading=heading,
            )
            sk.paragraphs.append(current)
            sk.texts[current.eid] = inner
            continue
        if sub and current is not None:
            _add_subparagraph(sk, current, sub.group(1), nt.sub(sub.end(), len(text)), nt)
            continue
        if _is_heading(text):
            sk.headings.append(
                Heading(text=text, ordinal=len(sk.headings) + 1,
                        kind="section" if len(text) <= 5 else "heading", span=nt.whole_span())
            )
            heading = text
            if operative_started and _ANNEX.match(text):
                # an annex: its items are not sub-paragraphs of the last operative paragraph
                annex = text
                part_prefix, part_tag = _new_part(text, part_prefix, sk)
                expected_number = 1
                current = None
            continue
        if annex is not None and current is None and not hit:
            # free text at the start of an annex (a chapeau or a list heading)
            op += 1
            current = Paragraph(
                eid=f"{part_prefix}para_0", kind="operative", label=f"{part_tag}(intro)", number=None, ordinal=op,
                text=text, span=nt.whole_span(), heading=heading,
            )
            if current.eid in sk.texts:
                current.eid = f"{current.eid}_{op}"
            sk.paragraphs.append(current)
            sk.texts[current.eid] = nt
            continue
        starts_operative = hit is not None
        if not has_numbers and (operative_started or starts_operative) and starts_operative:
            operative_started = True
            op += 1
            current = Paragraph(
                eid=f"para_{op}", kind="operative", label=str(op), number=None, ordinal=op,
                text=text, span=nt.whole_span(), opening=opening_phrase(text, True), heading=heading,
            )
            sk.paragraphs.append(current)
            sk.texts[current.eid] = nt
            continue
        if operative_started and current is not None:
            # an unnumbered continuation inside the operative part (e.g. a closing sentence)
            _continue_paragraph(sk, current, nt)
            continue
        pp += 1
        current = Paragraph(
            eid=f"preamble__p_{pp}", kind="preambular", label=f"PP{pp}", number=str(pp), ordinal=pp,
            text=text, span=nt.whole_span(), opening=opening_phrase(text, False), heading=heading,
        )
        sk.paragraphs.append(current)
        sk.texts[current.eid] = nt


_OCR_DIGITS = str.maketrans("ILliOoSsZzBG", "111100552286")
_ANNEX = re.compile(r"^(?:Annex|ANNEX|Appendix|APPENDIX)\b")
_BARE_NUMBER = re.compile(r"^(\d{1,3})\s+(?=[A-Z])")
_OCR_NUMBERED = re.compile(r"^([0-9ILliOoSsZzBG]{1,3})\s*[.,]\s+")
_GLUED = re.compile(r"^(\d{1,3})\.(?=[A-Z][a-z])")  # "6.Calls for" (871 (1993))


def _operative_number(text: str, expected: int, has_numbers: bool) -> tuple[str, int, str | None] | None:
    """(number, end of the number prefix, repair note) if ``text`` opens a numbered paragraph."""
    from ctkg.extract.clauses import verb_at

    m = _NUMBERED.match(text)
    if m:
        return m.group(1), m.end(), ("numbered with a comma (OCR repair)" if m.group(2) == "," else None)
    m = _BARE_NUMBER.match(text)
    if m and has_numbers and int(m.group(1)) == expected and verb_at(text, m.end()):
        return m.group(1), m.end(), "number printed without its period"
    m = _OCR_NUMBERED.match(text)
    if m and has_numbers and not m.group(1).isdigit() and (verb_at(text, m.end()) or text[m.end():m.end() + 1].isupper()):
        value = m.group(1).translate(_OCR_DIGITS)
        if value.isdigit() and int(value) == expected:
            return value, m.end(), f"number printed as {m.group(1)!r} (OCR repair)"
    m = _GLUED.match(text)
    if m and has_numbers and int(m.group(1)) == expected and verb_at(text, m.end()):
        return m.group(1), m.end(), "no space after the number's period"
    return None


def _new_part(heading: str | None, previous: str, sk: Skeleton) -> tuple[str, str]:
    """Numbering restarts at 1, or an annex begins: a new section, annex or part (id and label prefix)."""
    parts = sk.restarts + 2
    used = _part_prefixes(sk) | {previous}
    if heading and re.fullmatch(r"[A-Z]|[IVX]{1,5}", heading):
        prefix, tag = f"sec_{heading}__", f"{heading} "
    elif heading and _ANNEX.match(heading):
        token = re.search(r"\s([A-Z]|[IVX]+|\d+)\s*$", heading)
        prefix = f"annex_{token.group(1)}__" if token else "annex__"
        tag = f"{heading} "
    else:
        prefix, tag = f"part_{parts}__", f"Part {parts} "
    if prefix in used:
        prefix, tag = f"part_{parts}__", f"{tag}(part {parts}) " if not tag.startswith("Part") else tag
    sk.warnings.append(f"numbering restarts at 1: {tag.strip()}")
    sk.restarts += 1
    return prefix, tag


def _part_prefixes(sk: Skeleton) -> set[str]:
    """The eid prefixes in use, brought up to date with the paragraphs added since the last call (paragraphs
    are only appended, and an eid's prefix never changes): linear in all, where a fresh set per restart was
    quadratic in a text with thousands of restarts."""
    for p in sk.paragraphs[sk.prefixes_of:]:
        sk.prefixes.add(p.eid.rsplit("para_", 1)[0])
    sk.prefixes_of = len(sk.paragraphs)
    return sk.prefixes


def _next_letter(siblings: list[Paragraph]) -> str:
    letters = [c.number for c in siblings if c.number and c.number.isalpha()]
    if not letters:
        return "a"
    last = letters[-1]
    if len(last) == 1 and last != "z":
        return chr(ord(last) + 1)
    if len(last) == 2 and last[0] == last[1] and last[0] != "z":  # aa, bb ...
        nxt = chr(ord(last[0]) + 1)
        return nxt + nxt
    return "aa" if last == "z" else last


def _add_subparagraph(sk: Skeleton, para: Paragraph, marker: str, inner: NormText, whole: NormText) -> None:
    letter_parent = para.children[-1] if para.children else None
    in_roman = bool(letter_parent and letter_parent.children)
    expected_letter = _next_letter(para.children)
    expected_roman = _ROMAN[len(letter_parent.children)] if letter_parent and len(letter_parent.children) < 20 else None
    parent = para
    level_marker = marker
    if marker.isdigit():
        if in_roman and expected_roman:
            parent, level_marker = letter_parent, expected_roman  # type: ignore[assignment]
        elif marker == "1" and letter_parent is not None and letter_parent.number != "h":
            parent, level_marker = letter_parent, "i"
        else:
            level_marker = expected_letter
        sk.warnings.append(
            f"paragraph {para.label}: sub-paragraph marker ({marker}) read as ({level_marker}) (OCR repair)"
        )
    elif marker in _ROMAN and letter_parent is not None:
        if (marker == expected_roman and (in_roman or marker != expected_letter)) or (marker == "i" and expected_letter != "i"):
            parent = letter_parent
    elif marker in _ROMAN and not para.children and marker != "a":
        parent = para  # a paragraph whose only list is (i), (ii) ...
    if parent is para and level_marker.isalpha() and level_marker != expected_letter and para.children and not (
        level_marker in _ROMAN and all(c.number in _ROMAN for c in para.children)
    ):
        sk.warnings.append(
            f"paragraph {para.label}: sub-paragraph ({level_marker}) where ({expected_letter}) was expected"
        )
    ordinal = len(parent.children) + 1
    eid = f"{parent.eid}__subpara_{level_marker}"
    if any(c.eid == eid for c in parent.children):
        eid = f"{eid}_{ordinal}"
    child = Paragraph(
        eid=eid, kind="subparagraph", label=f"{parent.label}({level_marker})", number=level_marker,
        ordinal=ordinal, text=inner.text, span=whole.whole_span(), heading=parent.heading, parent=parent.eid,
    )
    parent.children.append(child)
    sk.texts[eid] = inner


__all__ = ["PREAMBLE_PHRASES", "Skeleton", "build_skeleton", "opening_phrase", "strip_footnotes"]
