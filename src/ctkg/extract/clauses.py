"""Operative clauses: verb, modality, binding force, addressees, supporting roles.

A paragraph may hold several clauses ("Recognizes ..., and calls upon Member
States to ..."); a sub-paragraph inherits verb, modality and addressees from
its chapeau ("Decides that all States shall: (a) ...").

>>> verb_at("Further encourages States to cooperate", 0)
('encourages', 18, 'encourages')
>>> [c[1:3] for c in split_clauses("Recognizes the role of law, and calls upon Member States to act")]
[('declaratory', 'recognizes'), ('calls-upon', 'calls upon')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ctkg.extract.actors import Mention, Registry
from ctkg.model import SupportingRole

# (pattern, base verb, modality code)
_VERBS: list[tuple[str, str, str]] = [
    (r"(?:reiterates|renews|repeats|reaffirms|reissues)\s+its\s+(?:strong\s+)?(?:calls?|appeal)\s+(?:up)?on", "calls upon", "calls-upon"),
    (r"(?:reiterates|renews|repeats)\s+its\s+(?:strong\s+)?requests?", "requests", "requests"),
    (r"(?:reiterates|renews|repeats|reaffirms)\s+its\s+(?:strong\s+)?demands?", "demands", "demands"),
    (r"(?:reiterates|renews|repeats|reaffirms)\s+its\s+decision", "decides", "decides"),
    (r"calls\s+(?:up)?on", "calls upon", "calls-upon"),
    (r"appeals\s+to", "appeals to", "calls-upon"),
    (r"appeals", "appeals", "calls-upon"),
    (r"decides", "decides", "decides"),
    (r"demands", "demands", "demands"),
    (r"directs", "directs", "directs"),
    (r"requests", "requests", "requests"),
    (r"authori[sz]es", "authorizes", "authorizes"),
    (r"urges", "urges", "urges"),
    (r"encourages", "encourages", "encourages"),
    (r"invites", "invites", "invites"),
    (r"recommends", "recommends", "recommends"),
    (r"it\s+is\s+resolved", "resolves", "decides"),
    (r"calls\s+for", "calls for", "calls-upon"),
    (r"takes\s+note", "takes note", "declaratory"),
    (r"notes\s+with\s+(?:deep\s+|grave\s+|great\s+|serious\s+)?(?:concern|satisfaction|appreciation|regret|alarm|interest)", "notes", "declaratory"),
    (r"expresses", "expresses", "declaratory"),
    (r"looks\s+forward", "looks forward", "declaratory"),
    (r"pays\s+tribute", "pays tribute", "declaratory"),
]
_DECLARATORY = (
    "reaffirms recalls recognizes recognises stresses emphasizes emphasises underlines underscores "
    "notes condemns deplores declares welcomes reiterates affirms acknowledges commends endorses "
    "approves considers determines regrets insists confirms supports highlights reminds agrees "
    "observes deems believes salutes appreciates praises decries rejects warns affirms "
    "requires resolves accepts censures reprimands entrusts appoints finds addresses transmits dissolves "
    "establishes records designates elects admits extends renews terminates adopts instructs mandates "
    "reiterates concurs declines deems expresses affirms condemns demands"
).split()
_VERBS += [(v, v, "declaratory") for v in dict.fromkeys(_DECLARATORY)]
DIRECTIVE_MODALITIES = frozenset(
    {"decides", "demands", "directs", "requests", "authorizes", "calls-upon", "urges", "encourages",
     "invites", "recommends"}
)  # fmt: skip
CAN_BIND = frozenset({"decides", "demands"})
_ADV_BEFORE = (
    r"(?:(?:further|also|strongly|again|once\s+again|firmly|urgently|emphatically|unequivocally|most|therefore"
    r"|accordingly|hereby|deeply|gravely|solemnly|formally|vigorously|categorically|earnestly|fully|warmly"
    r"|resolutely|seriously|profoundly)\s+)*"
)
_ADV_AFTER = r"(?:\s+(?:also|further|again|moreover|furthermore))?"
_VERB_RE = re.compile(
    _ADV_BEFORE + r"(" + "|".join(f"(?:{p})" for p, _, _ in _VERBS) + r")\b" + _ADV_AFTER,
    re.IGNORECASE,
)
_VERB_TABLE = [(re.compile(p + r"$", re.IGNORECASE), base, mod) for p, base, mod in _VERBS]
_BOUNDARY = re.compile(
    r"(?:[,;]\s+(?:and\s+)?|\s+and\s+|\s+while\s+)"
    r"(?:(?:also|further|in\s+this\s+(?:regard|context|respect|connection)|in\s+that\s+regard)\s*,?\s+)*"
    r"(?=[a-z])"
)
_NOUN_LIKE = frozenset(
    "requests demands notes records addresses finds supports calls appeals decides resolves "
    "recommends invites expresses".split()
)
_NOT_VERB_AFTER = re.compile(r"\s*(?:for|of|from|by|and|or|which|were|was|made|received|submitted)\b")
_ROLE_CUE = re.compile(
    r"\b(with\s+the\s+(?:assistance|support|help|participation)\s+of|in\s+(?:close\s+|full\s+)?"
    r"(?:consultation|cooperation|coordination|collaboration)\s+with|together\s+with)\s+",
    re.IGNORECASE,
)
_ROLE_END = re.compile(r"[,;:]|\s+to\s+[a-z]|\s+(?:in|with)\s+(?:close\s+)?(?:consultation|cooperation|the)\b")
_MODAL = re.compile(r"\b(?:shall|must|should|will|may|is|are|to|be)\b")
_COMMITTEE_REF = re.compile(
    r"\b(?:the|this|that|its)\s+(?:Security\s+Council\s+)?Committee"
    r"(?:\s+established\s+(?:by|under|in)\s+paragraph\s+\d+(?:\s+(?:above|below))?)?(?![\w-])"
)
_ESTABLISHED_PURSUANT = re.compile(
    r"\bCommittee\s+established\s+(?:pursuant\s+to|by|under)\s+resolution\s+(\d{1,4})\s?\((\d{4})\)"
)
ESTABLISH = re.compile(
    r"\b(?:establish(?:es)?|creat(?:e|es))\b[^;]{0,250}?\b(?:a|an)\s+(?:\w+\s+){0,3}?Committee\b"
)
_PROHIBITION = re.compile(
    r"\b(?:shall|must|should|will)\s+(?:not\b|refrain\b)|^\s*(?:to\s+)?refrain\s+from\b|\brefrain\s+from\b",
    re.IGNORECASE,
)
_SHALL = re.compile(r"\b(?:shall|must)\b")


@lru_cache(maxsize=4096)
def _verb_entry(word: str) -> tuple[str, str] | None:
    """(modality, base verb) of a verb as written, from the first pattern of the table it matches
    (remembered: the same few hundred verb forms are looked up a hundred thousand times)."""
    for rx, base, mod in _VERB_TABLE:
        if rx.match(word):
            return mod, base
    return None  # pragma: no cover - every alternative is in the table


def verb_at(text: str, pos: int) -> tuple[str, int, str] | None:
    """If a clause verb starts at ``pos``: (modality, end offset, base verb)."""
    m = _VERB_RE.match(text, pos)
    if not m:
        return None
    word = m.group(1)
    if word.lower() in _NOUN_LIKE and _NOT_VERB_AFTER.match(text, m.end()):
        return None
    entry = _verb_entry(word)
    return None if entry is None else (entry[0], m.end(), entry[1])


def split_clauses(text: str) -> list[tuple[int, str, str, int]]:
    """Cut a paragraph into clauses: (start, modality, base verb, verb end)."""
    out: list[tuple[int, str, str, int]] = []
    first = verb_at(text, 0)
    if first:
        out.append((0, first[0], first[2], first[1]))
    for m in _BOUNDARY.finditer(text):
        hit = verb_at(text, m.end())
        if hit is None:
            continue
        if out and m.end() < out[-1][3]:
            continue
        out.append((m.end(), hit[0], hit[2], hit[1]))
    return out


@dataclass
class ActorContext:
    """What the actors of one resolution are: the registry plus bodies it establishes."""

    registry: Registry
    number: int
    year: int
    committee: str | None = None  # code of the committee this resolution establishes
    extra: dict[str, str] = field(default_factory=dict)

    def find(self, text: str) -> list[Mention]:
        """Actor mentions in ``text`` ("the Committee" is the one this resolution establishes)."""
        local: list[Mention] = []
        for m in _ESTABLISHED_PURSUANT.finditer(text):
            actor = self.registry.committee_for(int(m.group(1)), int(m.group(2)))
            self.extra[actor.code] = actor.label
            local.append(Mention(m.start(), m.end(), m.group(0), (actor.code,)))
        if self.committee:
            for m in _COMMITTEE_REF.finditer(text):
                if not any(a.start <= m.start() < a.end for a in local):
                    local.append(Mention(m.start(), m.end(), m.group(0), (self.committee,)))
        found = list(local)
        for men in self.registry.find(text):
            if not any(a.start < men.end and men.start < a.end for a in local):
                found.append(men)
        return sorted(found, key=lambda x: x.start)


def supporting_roles(text: str, ctx: ActorContext, span_of: object) -> tuple[list[SupportingRole], list[tuple[int, int]]]:
    """Supporting roles in a clause and the text ranges they cover."""
    roles: list[SupportingRole] = []
    covered: list[tuple[int, int]] = []
    for m in _ROLE_CUE.finditer(text):
        cue = m.group(1).lower()
        kind = (
            "assistance" if "assistance" in cue or "help" in cue
            else "support" if "support" in cue
            else "consultation" if "consultation" in cue
            else "cooperation"
        )
        end_m = _ROLE_END.search(text, m.end())
        end = end_m.start() if end_m else len(text)
        seg = text[m.end() : end]
        mentions = ctx.find(seg)
        if not mentions:
            continue
        covered.append((m.start(), end))
        for men in mentions:
            for code in men.codes:
                if code in ("STATES",) and "Member" in seg:
                    continue
                span = span_of(m.start(), m.end() + men.end)  # type: ignore[operator]
                roles.append(SupportingRole(kind, code, span))  # type: ignore[arg-type]
    return roles, covered


def addressees(
    text: str, verb_end: int, modality: str, ctx: ActorContext, covered: list[tuple[int, int]]
) -> tuple[str, ...]:
    """The actors a directive clause addresses."""
    rest = text[verb_end:]
    lead = re.match(r"\s*,?\s*(?:(?:also|further|again|,)\s*)*", rest)
    body_start = verb_end + (lead.end() if lead else 0)
    if modality in CAN_BIND and re.match(r"to\s+\w", text[body_start:]):
        return ("SECURITY_COUNCIL",)
    window_end = min(len(text), body_start + 300)
    that = re.search(r"\bthat\b", text[body_start:window_end])
    if modality in CAN_BIND or (that and that.start() < 120 and not re.search(
        r"\bto\s+[a-z]", text[body_start : body_start + that.start()]
    )):
        if that:
            start = body_start + that.end()
            modal = _MODAL.search(text, start)
            stop = modal.start() if modal else window_end
            return _codes(ctx.find(text[start:stop]), start, covered, first_only=False) or _codes(
                ctx.find(text[start:window_end]), start, covered, first_only=True
            )
        return ()
    stop_m = re.search(r"\bto\s+(?!the\b)[a-z]|[:;]", text[body_start:window_end])
    stop = body_start + stop_m.start() if stop_m else window_end
    return _codes(ctx.find(text[body_start:stop]), body_start, covered, first_only=False)


def _codes(mentions: list[Mention], offset: int, covered: list[tuple[int, int]], *, first_only: bool) -> tuple[str, ...]:
    out: list[str] = []
    for m in mentions:
        if any(a <= offset + m.start < b for a, b in covered):
            continue
        for code in m.codes:
            if code not in out:
                out.append(code)
        if first_only and out:
            break
    return tuple(out)


def deontic_kind(text: str, modality: str) -> Literal["obligation", "prohibition", "permission"]:
    """obligation, prohibition ("shall refrain from") or permission (authorizes)."""
    if modality == "authorizes":
        return "permission"
    if _PROHIBITION.search(text):
        return "prohibition"
    return "obligation"


def is_binding(modality: str, chapter_vii: bool, text: str) -> bool:
    """Binding only where the Council decides/demands under Chapter VII or says shall/must."""
    return modality in CAN_BIND and (chapter_vii or bool(_SHALL.search(text)))


__all__ = [
    "CAN_BIND",
    "DIRECTIVE_MODALITIES",
    "ESTABLISH",
    "ActorContext",
    "addressees",
    "deontic_kind",
    "is_binding",
    "split_clauses",
    "supporting_roles",
    "verb_at",
]
