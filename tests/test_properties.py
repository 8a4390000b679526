"""Property-based tests (hypothesis) of extraction robustness and of small helpers."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.util import from_n3

import ctkg
from ctkg.corpus import corpus_dir
from ctkg.errors import CtkgError
from ctkg.graph.iris import slug
from ctkg.query.bind import term

BASES = {
    "1373_2001.txt": (corpus_dir() / "unsc" / "1373_2001.txt").read_text("utf-8"),
    "748_1992.txt": (corpus_dir() / "unsc" / "748_1992.txt").read_text("utf-8"),
}

_UNICODE = st.sampled_from(
    ["\u00a0", "\u200b", "\u2028", "\ufeff", "\u201c", "\u201d", "\u2013", "\f", "\t", "\r", "\u00e9", "\u4e2d",
     "\U0001f600", "(", ")", ".", ",", ";", ":", "\u0301", "1.", "(a)", "\n\n", "\u0000"]
)  # fmt: skip

_OPS = st.lists(
    st.tuples(
        st.sampled_from(["drop-line", "swap-digit", "double-letter", "insert"]),
        st.integers(0, 10**6),
        st.integers(0, 9),
        _UNICODE,
    ),
    min_size=1,
    max_size=12,
)


def mutate(text: str, ops: list[tuple[str, int, int, str]]) -> str:
    """Apply line drops, digit swaps, doubled letters and Unicode insertions."""
    for kind, where, digit, char in ops:
        if not text:
            break
        if kind == "drop-line":
            lines = text.split("\n")
            del lines[where % len(lines)]
            text = "\n".join(lines)
            continue
        if kind == "swap-digit":
            digits = [m.start() for m in re.finditer(r"\d", text)]
            if digits:
                i = digits[where % len(digits)]
                text = text[:i] + str(digit) + text[i + 1 :]
            continue
        if kind == "double-letter":
            letters = [m.start() for m in re.finditer(r"[A-Za-z]", text)]
            if letters:
                i = letters[where % len(letters)]
                text = text[: i + 1] + text[i] + text[i + 1 :]
            continue
        i = where % (len(text) + 1)
        text = text[:i] + char + text[i:]
    return text


def test_mutate_helper_changes_text() -> None:
    base = "ab 12\ncd\nef"
    assert mutate(base, [("drop-line", 1, 0, "")]) == "ab 12\nef"
    assert mutate(base, [("swap-digit", 1, 7, "")]) == "ab 17\ncd\nef"
    assert mutate(base, [("double-letter", 0, 0, "")]) == "aab 12\ncd\nef"
    assert mutate(base, [("insert", 2, 0, "\u00a0")]) == "ab\u00a0 12\ncd\nef"


# derandomize: the same examples every run, so a green run stays green (see the xfail below for
# the one crash random search found)
@settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(BASES)), ops=_OPS)
def test_mutated_texts_raise_only_ctkg_errors(tmp_path_factory, name: str, ops) -> None:
    data = mutate(BASES[name], ops).encode("utf-8", "surrogatepass")
    path = tmp_path_factory.mktemp("mut") / name
    path.write_bytes(data)
    try:
        doc = ctkg.extract(path)
    except CtkgError as exc:
        assert str(exc).startswith(str(path))  # every error names the file
        return
    # if it extracted, the result is coherent
    res = doc.resolution
    assert res.paragraphs
    assert any(p.kind == "operative" for p in res.paragraphs)
    for p in res.all_paragraphs():
        assert 0 <= p.span.start <= p.span.end <= len(doc.text)
    for c in res.clauses:
        assert 0 <= c.span.start <= c.span.end <= len(doc.text)


def test_zero_width_space_line_without_formula(tmp_path) -> None:
    path = tmp_path / "5_1946.txt"
    path.write_bytes(
        "Resolution 5 (1946)\n\nRecalling its resolution 1 (1946),\n\n1. Decides to act.\n\n"
        "\u200b\n\n2. Decides to remain seized.\n".encode()
    )
    try:
        doc = ctkg.extract(path)
    except CtkgError:
        return
    assert [p.label for p in doc.resolution.all_paragraphs()] == ["PP1", "1", "2"]


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(BASES)), ops=st.lists(_OPS, max_size=1))
def test_extraction_is_deterministic(tmp_path_factory, name: str, ops) -> None:
    text = mutate(BASES[name], ops[0]) if ops else BASES[name]
    path = tmp_path_factory.mktemp("det") / name
    path.write_bytes(text.encode("utf-8"))
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(("ok", ctkg.extract(path).to_dict()))
        except CtkgError as exc:
            outcomes.append(("error", (type(exc).__name__, str(exc))))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("rel", ["press/SC-12620.txt", "unsc/1373_2001.txt", "unsc/731_1992.txt", "unsc/748_1992.txt"])
def test_demo_extraction_is_deterministic(rel: str) -> None:
    path = corpus_dir() / rel
    first = ctkg.extract(path).to_dict()
    second = ctkg.extract(path).to_dict()
    assert first == second
    assert first["resolution"]["paragraphs"]


def _parse_term(s: str) -> str:
    g = Graph()
    g.parse(data=f"<urn:s> <urn:p> {term(s)} .\n", format="nt")
    (triple,) = list(g)
    obj = triple[2]
    assert isinstance(obj, Literal)
    return str(obj)


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=60))
@example('C" } ; DROP ALL #')
@example("back\\slash \\n \\u0041 \\")
@example('line\nbreak\r\ttab "quoted" {braces} # hash')
@example('"""')
@example("")
@example("\\x")  # rdflib's from_n3 cannot read "\\x" back (its unicode-escape hack); the parsers can
def test_term_round_trips_through_rdflib(s: str) -> None:
    t = term(s)
    assert t.startswith('"') and t.endswith('"')
    assert "\n" not in t and "\r" not in t
    assert _parse_term(s) == s  # rdflib's N-Triples parser
    (quad,) = ox.parse(f"<urn:s> <urn:p> {t} .".encode(), format=ox.RdfFormat.N_TRIPLES)  # and Oxigraph's
    assert quad.object.value == s


def test_term_typed_values() -> None:
    assert str(from_n3(term(42, "integer"), nsm=None)) == "42"
    assert from_n3(term("2016-12-12", "date")).toPython().isoformat() == "2016-12-12"
    assert term(None) == "UNDEF"
    with pytest.raises(CtkgError):
        term("not a number", "integer")
    with pytest.raises(CtkgError):
        term("bad iri>", "iri")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=60))
@example("")
@example("---")
@example("International Convention for the Suppression of the Financing of Terrorism")
@example("Côte d'Ivoire ＦＵＬＬＷＩＤＴＨ ½ ß İ")
def test_slug_idempotent_and_safe(s: str) -> None:
    out = slug(s)
    assert _SLUG.fullmatch(out), out
    assert slug(out) == out


def test_slug_examples() -> None:
    assert slug("Article 2(4)") == "article-2-4"
    assert slug("Côte d'Ivoire") == "cote-d-ivoire"
    assert slug("!!!") == "x"


_REF_WS = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u3000]+")


def _join_char_by_char(source: str, pieces: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """NormText.join as first written, a character at a time: the reference for the fast version."""
    chars: list[str] = []
    offs: list[int] = []
    for start, end in pieces:
        segment = source[start:end]
        if chars:
            glue = chars[-1] == "-" and len(chars) > 1 and chars[-2].isalpha() and segment[:1].islower()
            if not glue and chars[-1] != " ":
                chars.append(" ")
                offs.append(start)
        for i, ch in enumerate(segment):
            if _REF_WS.fullmatch(ch) or ch in "\r\n":
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offs.append(start + i)
                continue
            chars.append(ch)
            offs.append(start + i)
    while chars and chars[-1] == " ":
        chars.pop()
        offs.pop()
    return "".join(chars), offs


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab-A \n\r\t\f\u00a0\u2003x", max_size=30),
       st.lists(st.integers(min_value=0, max_value=30), max_size=8))
@example("counter-\nterrorism", [0, 8, 9, 19])
def test_normtext_join_matches_the_reference(source: str, cuts: list[int]) -> None:
    from ctkg.ingest.text import NormText

    cuts = sorted(min(c, len(source)) for c in cuts)
    pieces = list(zip(cuts[::2], cuts[1::2], strict=False))
    joined = NormText.join(source, pieces)
    assert (joined.text, joined.offsets) == _join_char_by_char(source, pieces)
