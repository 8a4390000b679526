"""The bundled corpus: every text extracts, the counter-terrorism set is found by content,
topic tags carry evidence, the UN index fills gaps, and the quality report holds its figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import ctkg
from ctkg.api import is_counter_terrorism
from ctkg.corpus import MISFILED, corpus_paths, resolution_paths
from ctkg.extract import extract_document
from ctkg.ingest import read_source
from ctkg.report import QualityReport

CT_REQUIRED = [1267, 1373, 1540, 1624, 2133, 2161, 2253, 2322, 2331, 2341, 2368, 2370, 2379, 2388, 2395, 2396,
               2462, 2482, 2617, 2734, 579, 635, 638, 687, 731, 748, 883]


@pytest.fixture(scope="module")
def quality() -> QualityReport:
    return ctkg.report()


def test_corpus_is_bundled() -> None:
    paths = corpus_paths()
    assert len(resolution_paths()) == 1212
    assert len(paths) == 1210  # less the two misfiled texts
    assert any(p.name == "SC-12620.txt" for p in paths)  # 2322 (2016) read from its press release


def test_every_text_extracts(quality: QualityReport) -> None:
    f = quality.figures()
    assert f["texts"] == 1210
    assert f["failed"] == 0
    assert f["partial"] == 1  # 565 (1985): the source text stops in the preamble
    assert [t.symbol for t in quality.texts if not t.complete] == ["S/RES/565 (1985)"]


def test_quality_figures(quality: QualityReport) -> None:
    f = quality.figures()
    assert f["gap_free_share"] >= 0.98
    assert f["date_agreement_share"] >= 0.99
    assert f["letters_repaired"] > 0 and f["footnotes_removed"] > 0
    md = quality.to_markdown()
    for t in quality.texts:
        if t.date_note:
            assert t.symbol in md and t.date_note in md
        if t.numbered and not t.gap_free:
            assert f"| {t.symbol} |" in md
    rows = list(csv.DictReader(io.StringIO(quality.to_csv())))
    assert len(rows) == 1210


def test_counter_terrorism_set_is_found_by_content(quality: QualityReport) -> None:
    ct = {int(t.symbol.split("/")[2].split()[0]) for t in quality.texts if t.symbol and "terrorism" in t.topics}
    assert set(CT_REQUIRED) <= ct
    assert 1244 not in ct  # Kosovo: one preambular mention of "terrorist acts" is not enough
    assert 50 <= len(ct) <= 200


def test_topic_tags_carry_evidence(corpus_dir: Path) -> None:
    doc = extract_document(read_source(corpus_dir / "unsc" / "638_1989.txt"))
    assert is_counter_terrorism(doc)
    tags = {t.topic: t for t in doc.resolution.topics}
    assert {"terrorism", "hostage-taking"} <= set(tags)
    for tag in tags.values():
        assert tag.weight >= 3 and tag.evidence
        for ev in tag.evidence:
            assert doc.text[ev.span.start : ev.span.end] == ev.text
    doc = extract_document(read_source(corpus_dir / "unsc" / "2396_2017.txt"))
    assert {"terrorism", "foreign-terrorist-fighters"} <= {t.topic for t in doc.resolution.topics}


def test_cited_resolutions_get_index_facts() -> None:
    store = ctkg.build(corpus="demo", store="memory:").store_handle
    rows = ctkg.query_results(store, Path(__file__).parent / "conformance" / "cited-index-facts.rq").dicts()
    facts = {r["symbol"]: r for r in rows}
    # 1566 (2004) is cited by 2322 (2016) but its text is not in the corpus
    assert facts["S/RES/1566 (2004)"]["date"] == "2004-10-08"
    assert facts["S/RES/1566 (2004)"]["record"] == "S/PV.5053"
    assert facts["S/RES/1566 (2004)"]["available"] is False


def test_build_all(tmp_path: Path) -> None:
    result = ctkg.build(corpus="all", store="memory:")
    assert len(result.built) == 1210 and not result.failures
    symbols = {b.symbol for b in result.built}
    assert "S/RES/434 (1978)" in symbols and "S/RES/434 (1973)" not in symbols  # misprinted title year
    assert sum(b.triples for b in result.built) > 900_000


def test_mandate_renewals(corpus_dir: Path) -> None:
    """CTED's mandate (2617 (2021) paragraph 2) and the 1540 Committee's (1977 (2011) paragraph 2)."""
    doc = extract_document(read_source(corpus_dir / "unsc" / "2617_2021.txt"))
    [cted] = [r for r in doc.resolution.mandate_renewals if r.actor == "CTED"]
    assert cted.end is not None and cted.end.isoformat() == "2025-12-31"
    assert "continue to operate" in doc.text[cted.span.start : cted.span.end]
    doc = extract_document(read_source(corpus_dir / "unsc" / "1977_2011.txt"))
    assert [(r.actor, str(r.end)) for r in doc.resolution.mandate_renewals] == [("COMMITTEE_1540", "2021-04-25")]


def test_annex_items_are_not_sub_paragraphs_of_the_last_operative_paragraph(corpus_dir: Path) -> None:
    """1904 (2009): Annex I lists the Monitoring Team's tasks after "49. Decides to remain seized"."""
    doc = extract_document(read_source(corpus_dir / "unsc" / "1904_2009.txt"))
    labels = [p.label for p in doc.resolution.all_paragraphs()]
    assert "49(y)" not in labels and "Annex I (y)" in labels
    # no reporting line of the Council to Member States is invented from "To report to the Committee"
    assert not [r for r in doc.resolution.reporting_lines if r.reporter == "SECURITY_COUNCIL"]


def test_report_provided_to_a_body(corpus_dir: Path) -> None:
    """2395 (2017) para 17: "directs CTED to provide to the CTC prior to 30 June 2018 a report"."""
    doc = extract_document(read_source(corpus_dir / "unsc" / "2395_2017.txt"))
    assert [(r.reporter, r.recipient) for r in doc.resolution.reporting_lines if r.paragraph_label == "17"] == [
        ("CTED", "CTC")
    ]


def test_a_second_text_of_a_resolution_is_refused(corpus_dir: Path) -> None:
    """542_1983.txt of the source corpus holds the text of 538 (1983): built after 538_1983.txt it
    is reported (exit code 3 on the command line), not mixed into 538's graph."""
    unsc = corpus_dir / "unsc"
    result = ctkg.build([unsc / "538_1983.txt", unsc / "542_1983.txt"], store="memory:")
    assert [b.symbol for b in result.built] == ["S/RES/538 (1983)"]
    [failure] = result.failures
    assert type(failure.error).__name__ == "DuplicateResolutionError" and failure.error.exit_code == 3
    assert str(failure.error).endswith("holds the text of S/RES/538 (1983), already built from " + str(unsc / "538_1983.txt"))
    assert MISFILED["542_1983"] == "S/RES/538 (1983)"
