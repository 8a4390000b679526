"""Reporting lines: who must report to whom ("report to the Committee",
"update the Council", "providing the Counter Terrorism Committee with
recommendations").

>>> from ctkg.extract.actors import registry
>>> from ctkg.extract.clauses import ActorContext
>>> ctx = ActorContext(registry(), 2322, 2016)
>>> [r for r, _ in find_recipients("to update the Council in twelve months", ctx)]
['SECURITY_COUNCIL']
"""

from __future__ import annotations

import re

from ctkg.extract.clauses import ActorContext
from ctkg.ingest.text import has_any, may_match

_TO_ACTOR = re.compile(r"\bto\s+")
_LEAD = re.compile(r"(?:the\s+|its\s+)?")
_TRIGGERS = re.compile(
    r"\b(?:report|reports|reporting|submit|submits|submitting|present|presenting|transmit|transmitting"
    r"|make\s+recommendations|making\s+recommendations|recommendations)\b",
    re.IGNORECASE,
)
# Words every match of a pattern holds (tests/unit/test_extract.py checks): a clause without one is not searched
_TRIGGER_WORDS = ("report", "submit", "present", "transmit", "recommendations")  # in lower case (IGNORECASE)
_PROVIDE_VERBS = ("provid", "submit", "transmit", "present")
_DIRECT_WORDS = ("updat", "brief", "inform", "keep")
_DIRECT = re.compile(r"\b(?:update|updating|brief|briefing|inform|informing|keep)\s+")
_PROVIDE_TO = re.compile(
    r"\b(?:provid|submit|transmit|present)\w*\s+to\s+(?P<who>(?:the\s+|its\s+)?[^,;]{2,60}?)\s+"
    r"(?:[^;]{0,60}?\b)?(?:a\s+report|reports|an\s+update|updates|a\s+briefing|briefings|recommendations)\b"
)
_INFORMED = re.compile(r"\s+(?:fully\s+|closely\s+|regularly\s+)?informed")
_PROVIDE = re.compile(
    r"\bprovid(?:e|es|ing)\s+(?P<who>[^,;]{2,80}?)\s+with\s+(?:\w+\s+){0,3}?"
    r"(?:recommendations|a\s+report|reports|an\s+update|updates|a\s+briefing|briefings)\b"
)


def find_recipients(text: str, ctx: ActorContext) -> list[tuple[str, int]]:
    """Recipients of reports in a clause: (actor code, offset of the phrase)."""
    out: list[tuple[str, int]] = []
    seen: set[str] = set()

    def add(code: str, pos: int) -> None:
        if code not in seen:
            seen.add(code)
            out.append((code, pos))

    # words the patterns need, tested first: most clauses report to no one
    provides = has_any(text, _PROVIDE_VERBS) and "to" in text
    for m in (*(_PROVIDE_TO.finditer(text) if provides else ()),
              *(_PROVIDE.finditer(text) if "provid" in text and "with" in text else ())):
        for code in _leading_actor(m.group("who"), ctx):
            add(code, m.start())
    for trig in (_TRIGGERS.finditer(text) if may_match(text, _TRIGGER_WORDS) else ()):
        window = text[trig.end() : trig.end() + 110]
        cut = re.search(r"[;:,(]", window)
        window = window[: cut.start()] if cut else window
        for to in _TO_ACTOR.finditer(window):
            mentions = ctx.find(window[to.end() : to.end() + 80])
            lead = _LEAD.match(window, to.end())
            if mentions and mentions[0].start <= (lead.end() - to.end() if lead else 0):
                for code in mentions[0].codes:
                    add(code, trig.start())
                break
    for m in (_DIRECT.finditer(text) if has_any(text, _DIRECT_WORDS) else ()):
        mentions = ctx.find(text[m.end() : m.end() + 80])
        lead = _LEAD.match(text, m.end())
        if not mentions or mentions[0].start > (lead.end() - m.end() if lead else 0):
            continue
        after = text[m.end() + mentions[0].end :]
        if m.group(0).lower().startswith("keep") and not _INFORMED.match(after):
            continue
        for code in mentions[0].codes:
            add(code, m.start())
    return sorted(out, key=lambda x: x[1])


def _leading_actor(text: str, ctx: ActorContext) -> tuple[str, ...]:
    """The actor that ``text`` opens with ("the CTC ...", "its Executive Directorate ..."), if any."""
    mentions = ctx.find(text)
    lead = _LEAD.match(text)
    if mentions and mentions[0].start <= (lead.end() if lead else 0):
        return mentions[0].codes
    return ()


__all__ = ["find_recipients"]
