"""Unit tests of the ingest stage: readers (bytes to located text), layout, NormText."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ctkg
from ctkg.corpus import corpus_dir
from ctkg.errors import (
    CtkgError,
    EmptyInputError,
    EncodingError,
    InputError,
    NoResolutionError,
    TruncatedResolutionError,
)
from ctkg.ingest.layout import split_units
from ctkg.ingest.readers import MAX_BYTES, decode, read_source
from ctkg.ingest.text import NormText
from ctkg.model import Span

PATH = "some/dir/doc_file.txt"

MINIMAL = (
    "Resolution 5 (1946)\n\n"
    "The Security Council,\n\n"
    "Recalling its resolution 1 (1946),\n\n"
    "1. Decides to remain seized of the matter.\n"
)


def units_text(text: str) -> list[str]:
    return [u.norm(text).text for u in split_units(text)]


# --------------------------------------------------------------------------- readers: typed errors


@pytest.mark.parametrize("data", [b"", b" ", b"\n\n\n", b"  \t\r\n \f\n", b"\r\r"])
def test_empty_or_whitespace_input_raises_empty_input_error(data: bytes) -> None:
    with pytest.raises(EmptyInputError) as info:
        read_source(PATH, data=data)
    err = info.value
    assert isinstance(err, InputError) and isinstance(err, CtkgError)
    assert err.exit_code == 3
    assert err.path == PATH
    assert str(err).startswith(PATH + ": ")
    assert "empty" in str(err)


def test_decode_empty_raises_directly() -> None:
    with pytest.raises(EmptyInputError, match=r"x\.txt"):
        decode(b"   \n", "x.txt")


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n\t\n"])
def test_bom_only_file_is_empty(data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        read_source(PATH, data=data)


def test_non_utf8_raises_encoding_error_with_line_number() -> None:
    data = b"Resolution 5 (1946)\n\nThe Security Council,\nCaf\xe9 au lait\n"
    with pytest.raises(EncodingError) as info:
        read_source(PATH, data=data)
    err = info.value
    assert err.line == 4
    assert err.path == PATH
    assert str(err).startswith(f"{PATH}:4: ")
    assert "0xe9" in str(err)
    assert err.exit_code == 3


def test_non_utf8_on_first_line_reports_line_1() -> None:
    with pytest.raises(EncodingError) as info:
        decode(b"\xff\xfeR\x00e\x00", "utf16.txt")
    # NUL bytes are checked before decoding: a UTF-16 file is "binary"
    assert "NUL" in str(info.value)
    with pytest.raises(EncodingError) as info2:
        decode(b"\x80abc\n", "latin.txt")
    assert info2.value.line == 1
    assert str(info2.value).startswith("latin.txt:1: ")


def test_nul_bytes_raise_encoding_error() -> None:
    with pytest.raises(EncodingError) as info:
        read_source(PATH, data=MINIMAL.encode() + b"\x00\x01\x02")
    assert str(info.value).startswith(PATH + ": ")
    assert "binary" in str(info.value)


def test_oversized_input_raises_encoding_error() -> None:
    data = MINIMAL.encode() + b"x" * (MAX_BYTES + 1)
    with pytest.raises(EncodingError, match="larger than"):
        read_source(PATH, data=data)


def test_text_without_resolution_raises_no_resolution_error() -> None:
    data = b"Minutes of the 12th meeting of the Gardening Club.\n\nWe discussed tomatoes.\n"
    with pytest.raises(NoResolutionError) as info:
        read_source(PATH, data=data)
    assert str(info.value).startswith(PATH + ": ")
    assert isinstance(info.value, InputError)


def test_missing_file_raises_input_error_naming_it(tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        read_source(missing)
    assert str(missing) in str(info.value)


def test_truncated_resolution_raises_typed_error_naming_file_and_line(tmp_path) -> None:
    path = tmp_path / "9999_1999.txt"
    path.write_bytes(
        b"Resolution 9999 (1999)\nof 1 January 1999\n\n"
        b"The Security Council,\n\n"
        b"Recalling its resolution 1373 (2001),\n\n"
        b"Deeply concerned by the continued threat to\ninternational peace and"
    )
    with pytest.raises(TruncatedResolutionError) as info:
        ctkg.extract(path)
    err = info.value
    assert isinstance(err, InputError)
    assert err.path == str(path)
    assert err.line == 8  # the last (preambular) paragraph starts on line 8
    assert str(err).startswith(f"{path}:8: ")
    assert "operative" in str(err)


def test_formula_without_number_raises_no_resolution_error_at_extraction() -> None:
    from ctkg.extract import extract_document

    src = read_source("notes.txt", data=b"The Security Council,\n\n1. Decides to act.\n")
    assert src.number is None and src.year is None
    with pytest.raises(NoResolutionError, match=r"notes\.txt"):
        extract_document(src, use_index=False)


def test_number_and_year_taken_from_file_name_when_title_missing() -> None:
    src = read_source("corpus/123_1956.txt", data=b"The Security Council,\n\n1. Decides to act.\n")
    assert (src.number, src.year) == (123, 1956)
    assert src.info.kind == "resolution"


# --------------------------------------------------------------------------- readers: accepted input


def test_bom_and_crlf_are_accepted_and_normalised() -> None:
    plain = read_source("a.txt", data=MINIMAL.encode())
    crlf = read_source("a.txt", data=b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert crlf.text == plain.text
    assert "\r" not in crlf.text and "\ufeff" not in crlf.text
    assert (crlf.number, crlf.year) == (5, 1946)
    assert crlf.info.chars == len(plain.text)
    assert crlf.info.sha256 != plain.info.sha256  # the hash is of the bytes on disk
    from ctkg.extract import extract_document

    a = extract_document(plain, use_index=False).to_dict()["resolution"]
    b = extract_document(crlf, use_index=False).to_dict()["resolution"]
    assert a == b
    assert [p["label"] for p in a["paragraphs"]] == ["PP1", "1"]


def test_old_mac_line_ends_are_normalised() -> None:
    assert decode(b"a\rb\r\nc\n", "m.txt") == "a\nb\nc\n"


def test_press_release_is_detected() -> None:
    src = read_source(corpus_dir() / "press" / "SC-12620.txt")
    assert src.info.kind == "press-release"
    assert (src.number, src.year) == (2322, 2016)
    assert src.text[: src.start].rstrip().endswith("reads as follows:")
    assert src.text[src.start :].startswith("\u201cThe Security Council,")
    assert src.end == len(src.text) == src.info.chars


def test_resolution_file_is_identified_from_its_title() -> None:
    src = read_source(corpus_dir() / "unsc" / "1373_2001.txt")
    assert src.info.kind == "resolution"
    assert (src.number, src.year) == (1373, 2001)
    assert (src.start, src.end) == (0, len(src.text))
    assert len(src.info.sha256) == 64


def test_title_wins_over_file_name() -> None:
    src = read_source("corpus/1_1946.txt", data=MINIMAL.encode())
    assert (src.number, src.year) == (5, 1946)


def test_masthead_symbol_identifies_resolution() -> None:
    data = b"United Nations S/RES/2178 (2014)\n\nThe Security Council,\n\n1. Decides to act.\n"
    src = read_source("x.txt", data=data)
    assert (src.number, src.year) == (2178, 2014)


# --------------------------------------------------------------------------- layout.split_units


def test_numbered_paragraph_after_semicolon_line_starts_new_unit() -> None:
    text = (
        "11. Requests the Secretary-General to provide all necessary\n"
        "assistance to the Committee and to make the necessary arrangements for this purpose;\n"
        "12. Invites the Secretary-General to continue his role as set out in\n"
        "paragraph 4 of resolution 731 (1992);\n"
    )
    out = units_text(text)
    assert len(out) == 2
    assert out[0].startswith("11. Requests") and out[0].endswith("for this purpose;")
    assert (
        out[1]
        == "12. Invites the Secretary-General to continue his role as set out in paragraph 4 of resolution 731 (1992);"
    )


def test_wrapped_subparagraph_reference_does_not_start_unit() -> None:
    text = (
        "5. Decides that the measures imposed in subparagraph\n"
        "(a) above shall not apply to flights approved by the Committee;\n"
    )
    out = units_text(text)
    assert out == [
        "5. Decides that the measures imposed in subparagraph (a) above shall not apply to flights approved by the Committee;"
    ]


def test_subparagraph_after_colon_starts_unit() -> None:
    text = "1. Decides that all States shall:\n(a) Prevent the financing of terrorist acts;\n(b) Criminalize it;\n"
    assert units_text(text) == [
        "1. Decides that all States shall:",
        "(a) Prevent the financing of terrorist acts;",
        "(b) Criminalize it;",
    ]


def test_long_wrapped_line_then_number_is_a_continuation() -> None:
    prev = "Decides that the measures shall remain in force until the Council decides on paragraphs"
    assert len(prev) >= 60
    text = f"3. {prev}\n12 and 13 of the annex;\n"
    assert units_text(text) == [f"3. {prev} 12 and 13 of the annex;"]


def test_enacting_formula_and_preamble_openers_split_units() -> None:
    text = (
        "The Security Council,\n"
        "Reaffirming its resolution 731 (1992) of 21 January 1992,\n"
        "Deeply concerned that the Libyan Government has still not\n"
        "provided a full and effective response,\n"
        "Convinced that the suppression of acts of international\n"
        "terrorism is essential,\n"
    )
    assert units_text(text) == [
        "The Security Council,",
        "Reaffirming its resolution 731 (1992) of 21 January 1992,",
        "Deeply concerned that the Libyan Government has still not provided a full and effective response,",
        "Convinced that the suppression of acts of international terrorism is essential,",
    ]


def test_blank_lines_separate_units() -> None:
    text = "First paragraph line one\nline two\n\n\nSecond paragraph\n"
    assert units_text(text) == ["First paragraph line one line two", "Second paragraph"]


def test_press_release_quoted_lines_are_units() -> None:
    text = (
        "The full text reads:\n"
        "\u201cThe Security Council,\n"
        "\u201cRecalling its resolutions 1267 (1999) and 1373 (2001)\n"
        "\u201cReaffirming its commitment to sovereignty\n"
        "\u201c1.  Strongly condemns all acts of terrorism\n"
        "\u201c2.  Decides to remain actively seized of the matter.\u201d\n"
    )
    units = split_units(text, text.index("\u201c"))
    assert [u.first for u in units] == [
        "The Security Council,",
        "Recalling its resolutions 1267 (1999) and 1373 (2001)",
        "Reaffirming its commitment to sovereignty",
        "1.  Strongly condemns all acts of terrorism",
        "2.  Decides to remain actively seized of the matter.\u201d",
    ]
    norms = [u.norm(text).text for u in units]
    assert norms[3] == "1. Strongly condemns all acts of terrorism"
    assert norms[4] == "2. Decides to remain actively seized of the matter."  # closing quote stripped
    for u in units:
        assert text[u.start] not in "\u201c\n"  # spans start after the opening quote


def test_page_furniture_lines_are_dropped() -> None:
    text = (
        "S/RES/1445 (2002)\n"
        "02-72318 (E)\n"
        "02-72318 (E) 181102\n"
        "*0272318*\n"
        "\f\n"
        "The Security Council,\n"
        "\n"
        "1. Decides that all States shall act to prevent\n"
        "S/RES/1445 (2002)\n"
        "3\n"
        "Page 4\n"
        "the financing of terrorism;\n"
        "\f2. Decides to remain seized of the matter.\n"
    )
    out = units_text(text)
    assert out == [
        "The Security Council,",
        "1. Decides that all States shall act to prevent the financing of terrorism;",
        "2. Decides to remain seized of the matter.",
    ]
    assert not any("S/RES" in t or "72318" in t for t in out)


def test_split_units_respects_start_and_end() -> None:
    text = "ignored header\n\nA first unit\n\nA second unit\n\ntrailer"
    start = text.index("A first")
    end = text.index("\n\ntrailer")
    units = split_units(text, start, end)
    assert [u.first for u in units] == ["A first unit", "A second unit"]
    assert units[0].start == start and units[-1].end == end


def test_unit_lines_are_exact_source_ranges() -> None:
    text = "  1. Decides   that all\n   States shall act;  \n"
    (unit,) = split_units(text)
    assert [text[s:e] for s, e in unit.lines] == ["1. Decides   that all", "States shall act;"]
    assert unit.norm(text).text == "1. Decides that all States shall act;"


def test_hyphenated_line_break_is_glued() -> None:
    text = "to combat counter-\nterrorism financing and Non-\nState actors\n"
    (unit,) = split_units(text)
    assert unit.norm(text).text == "to combat counter-terrorism financing and Non- State actors"


# --------------------------------------------------------------------------- NormText


def test_normtext_join_and_source_span() -> None:
    source = "abc \t def\nghi\f\n"
    nt = NormText.join(source, [(0, 9), (10, 13)])
    assert nt.text == "abc def ghi"
    assert nt.source_span(4, 7) == Span(6, 9)
    assert nt.source_span(4, 7).slice(source) == "def"
    assert nt.whole_span() == Span(0, 13)
    assert NormText("", []).source_span(0, 3) == Span(0, 0)


def test_normtext_delete_tidies_spaces_and_keeps_offsets() -> None:
    source = "France 162 , the United Kingdom"
    nt = NormText(source, list(range(len(source))))
    out = nt.delete([(6, 10)])
    assert out.text == "France, the United Kingdom"
    for ch, off in zip(out.text, out.offsets, strict=True):
        assert source[off] == ch


_WS_CHARS = " \t\f\v\u00a0\u2003\u202f\u3000"
_line = st.text(
    alphabet=st.one_of(st.sampled_from("abcXYZ019-,;.()\u201c\u00e9\u4e2d"), st.sampled_from(_WS_CHARS)),
    max_size=25,
)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, min_size=1, max_size=8))
def test_normtext_join_offsets_map_back_to_source(lines: list[str]) -> None:
    source = "\n".join(lines)
    pieces: list[tuple[int, int]] = []
    pos = 0
    for line in lines:
        pieces.append((pos, pos + len(line)))
        pos += len(line) + 1
    nt = NormText.join(source, pieces)
    assert len(nt.text) == len(nt.offsets)
    for i, ch in enumerate(nt.text):
        off = nt.offsets[i]
        assert 0 <= off < len(source)
        if ch != " ":  # a space may be inserted (line join) or collapse a run of white space
            assert source[off] == ch
    # offsets never go backwards; real characters strictly advance
    assert nt.offsets == sorted(nt.offsets)
    real = [o for ch, o in zip(nt.text, nt.offsets, strict=True) if ch != " "]
    assert len(real) == len(set(real))
    # no leading/trailing or doubled spaces; nothing but white space is lost
    assert not nt.text.startswith(" ") and not nt.text.endswith(" ") and "  " not in nt.text
    strip_ws = lambda s: re.sub(r"[\s\u00a0\u2000-\u200b\u202f\u3000]", "", s)  # noqa: E731
    assert strip_ws(nt.text) == strip_ws(source)
    # every span of a non-space run maps back to the same text
    for m in re.finditer(r"[^ ]+", nt.text):
        if "-" not in m.group(0):  # a glued hyphen skips the line break
            assert nt.source_span(m.start(), m.end()).slice(source) == m.group(0)
