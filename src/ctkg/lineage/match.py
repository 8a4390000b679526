"""Finding lineage links across a set of resolutions.

Implicit links (near-identical wording):

1. every clause that is not a chapeau and has at least :data:`MIN_CONTENT` characters of content
   (the text after its verb and lead-in, :func:`ctkg.lineage.text.content_start`) is a unit;
2. candidates: stateless vectors of the contents (:func:`vectorise`: word 1-2-grams without
   English stop words, hashed into a fixed number of columns, sublinear term frequency, unit
   length; no IDF, so a clause's vector does not depend on the rest of the corpus and adding a
   resolution changes no other pair), cosine similarity by sparse products in row blocks; a pair
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

Everything is deterministic: units are sorted, ties are broken by document order.  The links of
a later clause depend only on that clause, the earlier resolutions and their contexts, so they can
be computed for a few later resolutions alone (``find_links(data, later=...)``): the same links as
over the whole corpus.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from ctkg.lineage.classify import link_type
from ctkg.lineage.model import Context, LineageInput, Link, Reference, ResKey, Unit
from ctkg.lineage.text import STOP_WORDS, content_start, names, normalise, sub_span, words
from ctkg.model import Span

if TYPE_CHECKING:
    import numpy as np

MIN_CONTENT = 40
"""Characters of content a clause needs to take part in implicit matching."""
CANDIDATE_COSINE = 0.3
"""Cosine (of :func:`vectorise`'s vectors) a pair needs to be scored.  On the whole corpus every
link has a cosine of at least 0.33 but four (0.23: "Monitoring the implementation of the arms
embargo" / "monitor the implementation of Council-mandated arms embargoes"), which 0.2 would find
with four times the candidates."""
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


FEATURES = 1 << 20
"""Columns of the candidate vectors (hashed features)."""
_CODES: dict[str, int] = {"|": -2}
"""Token -> its CRC-32 (-1 for a stop word or a one-letter word, -2 for the text separator)."""
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


def _code(word: str) -> int:
    code = -1 if len(word) < 2 or word in STOP_WORDS else zlib.crc32(word.encode("ascii"))
    _CODES[word] = code
    return code


@dataclass(frozen=True)
class Vectors:
    """Rows of sparse vectors (compressed sparse rows): row ``i`` has the weights
    ``data[indptr[i]:indptr[i + 1]]`` in the columns ``indices[...]`` (sorted)."""

    indptr: np.ndarray[Any, Any]
    indices: np.ndarray[Any, Any]
    data: np.ndarray[Any, Any]

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> dict[int, float]:
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        return dict(zip(self.indices[a:b].tolist(), self.data[a:b].tolist(), strict=True))


def vectorise(norms: Sequence[str]) -> Vectors:
    """The candidate vectors of normalised texts (:func:`ctkg.lineage.text.normalise`), one row each:
    the :func:`ctkg.lineage.text.terms` of the text (word 1-2-grams without stop words), each
    hashed to one of :data:`FEATURES` columns (CRC-32 of a word; a fixed mix of the two words' for
    a pair), weighted 1 + ln(count), the row scaled to unit length.  Stateless: a row depends on
    its own text only (no vocabulary, no IDF)."""
    import numpy as np

    flat = " | ".join(norms).split()  # normalised texts hold [0-9a-z ] only: "|" separates them
    for word in set(flat).difference(_CODES):
        _code(word)
    codes = np.fromiter(map(_CODES.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.cumsum(codes == -2)
    keep = codes >= 0
    hashes, rows = codes[keep].astype(np.uint64), rows[keep]
    pair = rows[:-1] == rows[1:]
    with np.errstate(over="ignore"):
        mixed = ((hashes[:-1] * np.uint64(_MIX[0])) ^ (hashes[1:] * np.uint64(_MIX[1]))) >> np.uint64(32)
    mask = np.uint64(FEATURES - 1)
    cols = np.concatenate([hashes & mask, mixed[pair] & mask]).astype(np.int64)
    rows = np.concatenate([rows, rows[:-1][pair]])
    keys, counts = np.unique(rows * FEATURES + cols, return_counts=True)
    rows, cols = keys // FEATURES, keys % FEATURES
    # 1 + ln(count) from a table of math.log: the same value for the same count on every path
    table = np.array([0.0] + [1.0 + math.log(k) for k in range(1, int(counts.max(initial=1)) + 1)])
    weights = table[counts]
    length = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(norms)))
    weights /= length[rows]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(norms)))])
    return Vectors(indptr, cols, weights)


def cosine_of(v: Vectors, i: int, j: int) -> float:
    """The cosine of rows ``i`` and ``j``, exactly: the correctly rounded sum (``math.fsum``) of the
    products of their shared weights, the same whatever order they are added in."""
    a, b = v.row(i), v.row(j)
    return math.fsum(w * b[c] for c, w in a.items() if c in b)


_EPS = 1e-9
"""Far above the rounding error of a cosine summed in any order, far below any difference that matters."""
_SMALL = 200_000
"""Pairs up to which the cosines are computed without scipy (loaded in 0.1 s)."""


def _similar(v: Vectors, rows: Sequence[int], limit: int, cosine: float) -> list[tuple[int, int]]:
    """Pairs (row of ``rows``, row < ``limit``) of ``v`` whose cosine reaches ``cosine``, sorted: a
    sparse product (scipy) or, for few pairs, sums over an index find the pairs within a hair of
    it, and :func:`cosine_of` decides those near it, so the pairs are the same either way."""
    near: list[tuple[int, int, float]] = []
    if len(rows) * limit <= _SMALL:
        index: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for j in range(limit):
            for c, w in v.row(j).items():
                index[c].append((j, w))
        for i in rows:
            sums: dict[int, float] = defaultdict(float)
            for c, w in v.row(i).items():
                for j, x in index.get(c, ()):
                    sums[j] += w * x
            near.extend((i, j, s) for j, s in sums.items() if s >= cosine - _EPS)
    else:
        import numpy as np
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

        x = csr_matrix((v.data, v.indices, v.indptr), shape=(len(v), FEATURES))
        picked = np.asarray(rows)
        sims = (x[picked] @ x[:limit].T).tocoo()
        keep = sims.data >= cosine - _EPS
        near.extend(zip(picked[sims.row[keep]].tolist(), sims.col[keep].tolist(), sims.data[keep].tolist(),
                        strict=True))
    return sorted((i, j) for i, j, s in near if s >= cosine + _EPS or cosine_of(v, i, j) >= cosine)


def candidates(prepared: list[Prepared], cosine: float = CANDIDATE_COSINE,
               later: Collection[ResKey] | None = None) -> Iterable[tuple[int, int]]:
    """Index pairs (later, earlier) of ``prepared`` (sorted by resolution) whose cosine
    (:func:`vectorise`, :func:`cosine_of`) reaches ``cosine``, the earlier in an earlier
    resolution; with ``later``, only the pairs whose later clause is in one of those resolutions."""
    if len(prepared) < 2:
        return
    import numpy as np  # imported here: only a build needs it

    v = vectorise([p.norm for p in prepared])
    numbers = np.array([p.unit.resolution[0] for p in prepared])
    first = np.searchsorted(numbers, numbers, side="left").tolist()  # first unit of each unit's resolution
    if later is None:
        rows = list(range(len(prepared)))
    else:
        rows = [i for i, p in enumerate(prepared) if p.unit.resolution in later]
    for a in range(0, len(rows), _BLOCK):
        block = rows[a : a + _BLOCK]
        limit = first[block[-1]]
        if limit == 0:
            continue
        for i, j in _similar(v, block, limit, cosine):
            if j < first[i]:
                yield i, j


def content_norm(text: str) -> str:
    """The normalised content of a clause text (what :class:`Prepared` compares)."""
    return normalise(text[content_start(text) :])


_CDIST = 2_000_000
"""Pairs up to which :func:`similar_clauses` scores every pair (3 ms a new clause against the
corpus); beyond, only the candidates (a fixed 0.3 s to vectorise the corpus)."""


def similar_clauses(new: list[Prepared], earlier: Sequence[tuple[ResKey, str]], threshold: float = THRESHOLD,
                    cosine: float = CANDIDATE_COSINE) -> list[int]:
    """The positions in ``earlier`` ((resolution, text) of clauses that are no chapeau) of the
    clauses an implicit link of one of the ``new`` clauses can reach: taking part in matching, in
    an earlier resolution, and scoring at least ``threshold`` with the new clause (with a margin
    for rounding): either rapidfuzz's ``cdist`` (C++) over every pair, or, for many new clauses,
    only over the candidate pairs (:func:`candidates`).  No other pair can make a link."""
    import numpy as np

    kept = [(k, key, norm) for k, (key, text) in enumerate(earlier)
            if len((norm := content_norm(text)).strip()) >= MIN_CONTENT]
    news = eligible(new)
    if not news or not kept:
        return []
    pairs: Iterable[tuple[int, int]]
    if len(news) * len(kept) <= _CDIST:
        scores = process.cdist([p.norm for p in news], [norm for _, _, norm in kept], scorer=fuzz.ratio,
                               score_cutoff=threshold - 0.1)
        pairs = zip(*(x.tolist() for x in np.nonzero(scores)), strict=True)
    else:  # the earlier clauses first, the new ones after them: the same cosines as candidates()
        v = vectorise([norm for _, _, norm in kept] + [p.norm for p in news])
        pairs = ((i - len(kept), j) for i, j in _similar(v, range(len(kept), len(kept) + len(news)), len(kept), cosine)
                 if fuzz.ratio(news[i - len(kept)].norm, kept[j][2], score_cutoff=threshold - 0.1))
    found = set()
    for i, j in pairs:
        k, key, _ = kept[j]
        if key[0] < news[i].unit.resolution[0]:
            found.add(k)
    return sorted(found)


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


def implicit_links(prepared: list[Prepared], contexts: dict[ResKey, Context], threshold: float = THRESHOLD,
                   only: Collection[ResKey] | None = None) -> dict[tuple[str, ResKey, ResKey], Link]:
    """The best implicit link of each later clause (of a resolution of ``only``, or any) to each
    earlier resolution."""
    best: dict[tuple[str, ResKey, ResKey], tuple[float, int, int]] = {}
    for i, j in candidates(prepared, later=only):
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


def explicit_links(all_units: list[Prepared], references: list[Reference],
                   only: Collection[ResKey] | None = None) -> dict[tuple[str, ResKey, ResKey], Link]:
    """Links that paragraph-level citations in operative clauses (of a resolution of ``only``, or any) make."""
    by_res: dict[ResKey, list[Prepared]] = defaultdict(list)
    for p in all_units:
        by_res[p.unit.resolution].append(p)
    out: dict[tuple[str, ResKey, ResKey], Link] = {}
    for ref in sorted(references, key=lambda r: (r.resolution, r.span.start, r.id)):
        if ref.cited[0] >= ref.resolution[0] or (only is not None and ref.resolution not in only):
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


def find_links(data: LineageInput, threshold: float = THRESHOLD, later: Collection[ResKey] | None = None) -> list[Link]:
    """Every lineage link among the units of ``data``, sorted (later resolution, clause, earlier);
    with ``later``, only the links whose later clause is in one of those resolutions: the same
    links as with all of ``data``, for which ``data`` need hold only those resolutions, the earlier
    clauses their clauses can be linked to by wording (:func:`similar_clauses`) and the resolutions
    they cite by paragraph."""
    units = sorted(data.units, key=lambda u: (u.resolution, u.ordinal, u.clause))
    everything = [Prepared(u) for u in units]
    links: dict[tuple[ResKey, str, ResKey, str], Link] = {}
    for link in implicit_links(eligible(everything), data.contexts, threshold, only=later).values():
        links[_key(link)] = link
    for link in explicit_links(everything, data.references, only=later).values():
        links[_key(link)] = link  # the text says so: the citation is the better evidence
    return sorted(links.values(), key=lambda k: (k.later.resolution, k.later.ordinal, k.later.clause,
                                                 k.earlier.resolution, k.earlier.ordinal))


def _key(link: Link) -> tuple[ResKey, str, ResKey, str]:
    return (link.later.resolution, link.later.clause, link.earlier.resolution, link.earlier.clause)


__all__ = [
    "CANDIDATE_COSINE",
    "FEATURES",
    "MIN_CONTENT",
    "THRESHOLD",
    "Prepared",
    "Vectors",
    "assess",
    "candidates",
    "content_norm",
    "cosine_of",
    "eligible",
    "explicit_links",
    "find_links",
    "implicit_links",
    "make_link",
    "score",
    "shared_context",
    "similar_clauses",
    "substituted_name",
    "vectorise",
]
