"""Finding lineage links across a set of resolutions.

Implicit links (near-identical wording):

1. every clause that is not a chapeau and has at least :data:`MIN_CONTENT` characters of content
   (the text after its verb and lead-in, :func:`ctkg.lineage.text.content_start`) is a unit;
2. candidates: TF-IDF vectors of the contents (scikit-learn, word 1-2-grams, English stop words
   removed, sublinear term frequency), cosine similarity by sparse products in row blocks; a pair
   is a candidate when its cosine is at least :data:`CANDIDATE_COSINE` and the other clause is
   in an *earlier* resolution (a lower number);
3. score: rapidfuzz's normalised Indel similarity (``fuzz.ratio``, 0-100) of the two normalised
   contents; a link needs at least :data:`THRESHOLD` (calibrated on ``tests/lineage/sample.csv``);
4. filters: at least one of the two clauses directs someone (obligation lineage: two declaratory
   statements are not linked); a shared context: the same agenda item or the later resolution
   cites the earlier (a sure context), or a weaker one (a shared topic tag or cited resolution, or
   a name both clauses mention); with only
   a weaker context, no *substituted name* (each side naming a country, body or mission the other
   does not: the same template applied to another situation, "increase the number of women in
   MONUSCO" / "in MINURSO") and no *local reference* ("this resolution", "paragraph 6 above", "the
   Committee": which one depends on the resolution);
5. for each later clause, the best earlier clause of each earlier resolution.

Explicit links: a paragraph-level citation inside an operative clause ("paragraph 2 (f) of
resolution 1373 (2001)", "as set out in paragraph 1 of resolution 2253 (2015)") links the clause
to the best-matching clause of the cited paragraph (or its sub-paragraphs), whatever the score.

Everything is deterministic: units are sorted, ties are broken by document order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from ctkg.lineage.classify import link_type
from ctkg.lineage.model import Context, LineageInput, Link, Reference, ResKey, Unit
from ctkg.lineage.text import content_start, names, normalise, sub_span, words
from ctkg.model import Span

MIN_CONTENT = 40
"""Characters of content a clause needs to take part in implicit matching."""
CANDIDATE_COSINE = 0.3
"""TF-IDF cosine a pair needs to be scored (well below any pair that reaches the threshold)."""
THRESHOLD = 80.0
"""Similarity (rapidfuzz ratio, 0-100) an implicit link needs: calibrated on tests/lineage/sample.csv."""
WIDER_SCOPE = 1.25
"""A later content at least this much longer that contains the whole earlier one has a wider scope."""
LOCAL_REFERENCE = re.compile(
    r"(?<!adoption\sof\s)\b(?:this|the\s+present)\s+resolution\b|\bparagraphs?\s+[\d(][^.;]{0,30}?\b(?:above|below)\b"
    r"|\bthe\s+(?:Committee|Panel|Group|Team|Mission|Force|Commission|Operation)\b"
    r"(?!\s+(?:established\s+)?(?:pursuant\s+to|by|under)\s+resolution\s+\d)"
)
"""What a clause says of its own resolution ("this resolution", "paragraph 6 above", "the
Committee"): two such clauses mean the same thing only in the same context."""
_BLOCK = 1024
_MIN_EQUAL = 4


class Prepared:
    """A unit with its content, normalised for comparison."""

    __slots__ = ("content", "local", "names", "norm", "start", "unit", "words")

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.start = content_start(unit.text)
        self.content = unit.text[self.start :]
        self.norm = normalise(self.content)
        self.names = names(self.content)
        self.words = words(self.content)
        self.local = bool(LOCAL_REFERENCE.search(unit.text))


def score(a: str, b: str) -> float:
    """Similarity of two normalised contents, 0-100, rounded to one decimal (symmetric)."""
    return round(float(fuzz.ratio(a, b)), 1)


def _unmatched(names: set[str], other: set[str]) -> bool:
    """Is one of ``names`` neither a word of ``other`` nor a spelling variant of one ("Revitalised")?"""
    return any(n not in other and not process.extractOne(n, other, scorer=fuzz.ratio, score_cutoff=85)
               for n in sorted(names))


def substituted_name(a: Prepared, b: Prepared) -> bool:
    """Does each side name something (a country, body, mission) the other does not mention?"""
    return _unmatched(a.names, b.words) and _unmatched(b.names, a.words)


def shared_context(later: Prepared, earlier: Prepared, contexts: dict[ResKey, Context]) -> int:
    """How surely the two resolutions are about the same thing: 2 when they share their agenda item
    or the later cites the earlier; 1 when they share a topic tag or a cited resolution, or the
    clauses a name; else 0."""
    lc, ec = contexts.get(later.unit.resolution), contexts.get(earlier.unit.resolution)
    if lc is None or ec is None:
        return 1
    if (lc.agenda_item and lc.agenda_item == ec.agenda_item) or ec.key in lc.cites:
        return 2
    if (lc.topics & ec.topics) or (lc.cites & ec.cites) or (later.names & earlier.names):
        return 1
    return 0


def _matched(later: Prepared, earlier: Prepared) -> tuple[Span, Span]:
    """The matched parts of the two clauses (from the first to the last common run of characters
    of the aligned contents), as source spans."""
    blocks = [b for b in Indel.opcodes(later.norm, earlier.norm).as_matching_blocks() if b.size >= _MIN_EQUAL]
    lu, eu = later.unit, earlier.unit
    if not blocks:
        return lu.span, eu.span
    ls, le = blocks[0].a, blocks[-1].a + blocks[-1].size
    es, ee = blocks[0].b, blocks[-1].b + blocks[-1].size
    return (
        sub_span(lu.span, lu.text, lu.exact, later.start + ls, later.start + le),
        sub_span(eu.span, eu.text, eu.exact, earlier.start + es, earlier.start + ee),
    )


def _wider(later: Prepared, earlier: Prepared) -> bool:
    if len(later.norm) < WIDER_SCOPE * len(earlier.norm):
        return False
    return fuzz.partial_ratio(earlier.norm, later.norm) >= 95


def make_link(later: Prepared, earlier: Prepared, s: float, basis: str, citation: str | None = None) -> Link:
    lm, em = _matched(later, earlier)
    kind = link_type(later.unit, earlier.unit, wider_scope=_wider(later, earlier))
    return Link(later.unit, earlier.unit, kind, s, basis, lm, em, citation)  # type: ignore[arg-type]


def candidates(prepared: list[Prepared], cosine: float = CANDIDATE_COSINE) -> Iterable[tuple[int, int]]:
    """Index pairs (later, earlier) of ``prepared`` (sorted by resolution) whose TF-IDF cosine
    reaches ``cosine``, the earlier in an earlier resolution."""
    if len(prepared) < 2:
        return
    import numpy as np  # imported here: scikit-learn takes a second to load, and only a build needs it
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", dtype=np.float32,
                          token_pattern=r"(?u)\b[0-9a-z]{2,}\b")
    try:
        x = vec.fit_transform([p.norm for p in prepared])
    except ValueError:  # nothing but stop words
        return
    keys = [p.unit.resolution[0] for p in prepared]
    numbers = np.array(keys)
    first = np.searchsorted(numbers, numbers, side="left")  # first unit of each unit's resolution
    for a in range(0, len(prepared), _BLOCK):
        b = min(len(prepared), a + _BLOCK)
        limit = int(first[b - 1])
        if limit == 0:
            continue
        sims = (x[a:b] @ x[:limit].T).tocoo()
        keep = sims.data >= cosine
        rows, cols = sims.row[keep] + a, sims.col[keep]
        order = np.lexsort((cols, rows))
        for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
            if j < first[i]:
                yield i, j


def assess(later: Prepared, earlier: Prepared, contexts: dict[ResKey, Context],
           threshold: float = THRESHOLD) -> tuple[float, str | None]:
    """The score of a candidate pair and why it is not a link (None: it is one)."""
    if not (later.unit.directive or earlier.unit.directive):
        return 0.0, "declaratory"
    s = score(later.norm, earlier.norm)
    if s < threshold:
        return s, "score"
    context = shared_context(later, earlier, contexts)
    if context == 0:
        return s, "no-shared-context"
    if context == 1 and substituted_name(later, earlier):
        return s, "substituted-name"
    if context == 1 and (later.local or earlier.local):
        return s, "local-reference"
    return s, None


def implicit_links(prepared: list[Prepared], contexts: dict[ResKey, Context],
                   threshold: float = THRESHOLD) -> dict[tuple[str, ResKey, ResKey], Link]:
    """The best implicit link of each later clause to each earlier resolution."""
    best: dict[tuple[str, ResKey, ResKey], tuple[float, int, int]] = {}
    for i, j in candidates(prepared):
        later, earlier = prepared[i], prepared[j]
        s, why = assess(later, earlier, contexts, threshold)
        if why is not None:
            continue
        key = (later.unit.clause, later.unit.resolution, earlier.unit.resolution)
        old = best.get(key)
        if old is None or (s, -earlier.unit.ordinal) > (old[0], -prepared[old[2]].unit.ordinal):
            best[key] = (s, i, j)
    return {k: make_link(prepared[i], prepared[j], s, "wording") for k, (s, i, j) in best.items()}


def _cited_units(by_res: dict[ResKey, list[Prepared]], ref: Reference) -> list[Prepared]:
    """The clauses of the cited paragraph and its sub-paragraphs."""
    from ctkg.graph.build import paragraph_eid

    eid = paragraph_eid(ref.cited_label)
    return [p for p in by_res.get(ref.cited, []) if p.unit.paragraph == eid or p.unit.paragraph.startswith(eid + "__")]


def explicit_links(all_units: list[Prepared], references: list[Reference]) -> dict[tuple[str, ResKey, ResKey], Link]:
    """Links that paragraph-level citations in operative clauses make."""
    by_res: dict[ResKey, list[Prepared]] = defaultdict(list)
    for p in all_units:
        by_res[p.unit.resolution].append(p)
    out: dict[tuple[str, ResKey, ResKey], Link] = {}
    for ref in sorted(references, key=lambda r: (r.resolution, r.span.start, r.id)):
        if ref.cited[0] >= ref.resolution[0]:
            continue
        citing = [p for p in by_res.get(ref.resolution, []) if p.unit.paragraph == ref.paragraph
                  and p.unit.span.start <= ref.span.start < max(p.unit.span.end, p.unit.span.start + 1)]
        targets = _cited_units(by_res, ref)
        if not citing or not targets:
            continue
        later = citing[0]
        earlier = max(targets, key=lambda t: (score(later.norm, t.norm), -t.unit.ordinal))
        key = (later.unit.clause, later.unit.resolution, ref.cited)
        if key not in out:
            out[key] = make_link(later, earlier, score(later.norm, earlier.norm), "citation", ref.id)
    return out


def eligible(prepared: list[Prepared]) -> list[Prepared]:
    """The units that take part in implicit matching: no chapeau, enough content."""
    return [p for p in prepared if not p.unit.chapeau and len(p.norm.strip()) >= MIN_CONTENT]


def find_links(data: LineageInput, threshold: float = THRESHOLD) -> list[Link]:
    """Every lineage link among the units of ``data``, sorted (later resolution, clause, earlier)."""
    units = sorted(data.units, key=lambda u: (u.resolution, u.ordinal, u.clause))
    everything = [Prepared(u) for u in units]
    links: dict[tuple[ResKey, str, ResKey, str], Link] = {}
    for link in implicit_links(eligible(everything), data.contexts, threshold).values():
        links[_key(link)] = link
    for link in explicit_links(everything, data.references).values():
        links[_key(link)] = link  # the text says so: the citation is the better evidence
    return sorted(links.values(), key=lambda k: (k.later.resolution, k.later.ordinal, k.later.clause,
                                                 k.earlier.resolution, k.earlier.ordinal))


def _key(link: Link) -> tuple[ResKey, str, ResKey, str]:
    return (link.later.resolution, link.later.clause, link.earlier.resolution, link.earlier.clause)


__all__ = ["CANDIDATE_COSINE", "MIN_CONTENT", "THRESHOLD", "Prepared", "assess", "candidates", "eligible", "explicit_links",
           "find_links", "implicit_links", "make_link", "score", "shared_context", "substituted_name"]
