"""The query catalogue on the counter-terrorism store: every query runs, returns its declared
columns in order, and answers at least one question checked by hand against the source texts
(src/ctkg/data/corpus/: press/SC-12620.txt for 2322 (2016), unsc/*.txt for the others)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import ctkg
from ctkg.query.catalog import QuerySpec, catalog
from ctkg.store.local import OxigraphStore

Rows = list[dict[str, object]]
ORIGINAL = {"obligations", "reporting-lines", "citations"}


@pytest.fixture(scope="module")
def ct_store() -> OxigraphStore:
    """The counter-terrorism set (the default corpus), built once for the module."""
    handle = ctkg.build(store="memory:").store_handle
    assert handle is not None
    return handle


def q(store: OxigraphStore, name: str, **params: object) -> Rows:
    return ctkg.query(store, name, **params)


def test_the_catalogue_has_at_least_twenty_questions() -> None:
    cat = catalog()
    assert len(cat) >= 20
    assert len(set(cat) - ORIGINAL) >= 17
    for spec in cat.values():
        assert spec.path.stem == spec.name, "file name and #+ name agree"
        assert len(set(spec.returns)) == len(spec.returns)


@pytest.mark.parametrize("spec", list(catalog().values()), ids=lambda s: s.name)
def test_every_example_runs_and_returns_the_declared_columns(spec: QuerySpec, ct_store: OxigraphStore) -> None:
    res = ctkg.query_results(ct_store, spec.name, {p.name: p.example for p in spec.params})
    assert list(res.vars) == list(spec.returns)
    if spec.name != "obligations":  # its examples (CTC, binding, calls-upon) exclude each other by design
        assert res.rows, f"{spec.name}: the header's example parameters find nothing"


def _one(rows: Rows, **match: object) -> dict[str, object]:
    hits = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(hits) == 1, (match, hits[:3])
    return hits[0]


# Hand-checked expectations, one function per query.  Each cites the text it was checked against.

def _actor_obligations(s: OxigraphStore) -> None:
    rows = q(s, "actor-obligations", actor="CTED")
    # 2322 (2016) para 21: "Requests the Counter Terrorism Executive Directorate ... within ten months"
    _one(rows, resolution="S/RES/2322 (2016)", paragraph="21", role="addressee", modality="requests", binding=False)
    # 2395 (2017) para 9: "Directs CTED to report to the CTC by 30 March 2018"
    _one(rows, resolution="S/RES/2395 (2017)", paragraph="9", role="reporter", modality="directs")
    # nothing asks CTED to do anything bindingly (no "decides that CTED shall")
    assert q(s, "actor-obligations", actor="CTED", binding=True) == []


def _state_binding(s: OxigraphStore) -> None:
    rows = q(s, "state-binding-obligations", resolution="S/RES/1373 (2001)", topic="terrorist-financing")
    # 1373 (2001) para 1 (a): "Decides that all States shall: (a) Prevent and suppress the financing of terrorist acts"
    row = _one(rows, paragraph="1(a)")
    assert row["verb"] == "decides" and row["addressee"] == "STATES" and row["date"] == "2001-09-28"
    assert "terrorist-financing" in str(row["topics"])
    # 731 (1992) is not under Chapter VII: nothing of it binds
    assert all(r["resolution"] != "S/RES/731 (1992)" for r in q(s, "state-binding-obligations"))


def _reporting_chains(s: OxigraphStore) -> None:
    rows = q(s, "reporting-chains", reporter="CTED", recipient="SECURITY_COUNCIL")
    # CTED reports to the CTC (2322 para 21); the CTC reports to the Council (e.g. 2395 (2017))
    _one(rows, via="CTC", steps=2)
    assert all(r["steps"] in (1, 2, 3) for r in rows)


def _reporting_reach(s: OxigraphStore) -> None:
    rows = q(s, "reporting-reach", reporter="CTED")
    assert _one(rows, recipient="CTC")["direct"] is True
    assert _one(rows, recipient="SECURITY_COUNCIL")["direct"] is False  # only through the CTC


def _deadlines(s: OxigraphStore) -> None:
    rows = q(s, "deadlines-in-range", **{"from": "2017-10-01", "to": "2018-03-31", "actor": "CTED"})
    # 2322 (2016) para 21 "within ten months" of 12 December 2016; 2395 (2017) para 9 "Directs CTED to report to
    # the CTC by 30 March 2018" and para 18 "directs UNOCT and CTED to draft a joint report by 30 March 2018"
    assert [(r["due"], r["resolution"], r["paragraph"]) for r in rows] == [
        ("2017-10-12", "S/RES/2322 (2016)", "21"), ("2018-03-30", "S/RES/2395 (2017)", "9"),
        ("2018-03-30", "S/RES/2395 (2017)", "18")]
    assert set(str(_one(rows, paragraph="18")["addressees"]).split(", ")) == {"CTED", "UNOCT"}
    assert _one(rows, paragraph="21")["deadline"] == "within ten months"


def _cited_by(s: OxigraphStore) -> None:
    rows = q(s, "cited-by", cited="S/RES/1373 (2001)", para="1")
    # 2253 (2015) para 19 "Clarifies that the obligation in paragraph 1 (d) of resolution 1373 (2001)"
    # and para 20 "... the prohibition described in paragraph 1 (d) of resolution 1373 (2001)"
    assert {(r["paragraph"], r["citedParagraph"]) for r in rows if r["resolution"] == "S/RES/2253 (2015)"} == {
        ("19", "1(d)"), ("20", "1(d)")}
    _one(rows, resolution="S/RES/2322 (2016)", paragraph="PP20", relation="recalls")
    assert all(str(r["citedParagraph"]).startswith("1(") for r in rows)


def _most_cited(s: OxigraphStore) -> None:
    rows = q(s, "most-cited", minimum=20)
    assert {"S/RES/1267 (1999)", "S/RES/1373 (2001)"} <= {r["cited"] for r in rows}
    assert all(isinstance(r["citingResolutions"], int) and r["citingResolutions"] >= 20 for r in rows)
    counts = [r["citingResolutions"] for r in rows]
    assert counts == sorted(counts, reverse=True)  # type: ignore[type-var]


def _most_cited_paragraphs(s: OxigraphStore) -> None:
    rows = q(s, "most-cited-paragraphs", cited="S/RES/1373 (2001)")
    # 2253, 2322, 2368, 2610, 2734 each cite paragraph 1 (d) of 1373 (2001)
    assert _one(rows, citedParagraph="1(d)")["citingResolutions"] == 5


def _reiterated(s: OxigraphStore) -> None:
    rows = q(s, "reiterated-obligations", resolution="S/RES/1373 (2001)")
    # 2322 (2016) PP20: "Recalling ... paragraph 1 (d) of resolution 1373 (2001)" -- a binding decision on States
    _one(rows, paragraph="1(d)", modality="decides", addressee="STATES", laterResolution="S/RES/2322 (2016)",
         laterParagraph="PP20", basis="recalls")
    # 1989 (2011) para 1 decides the measures on all States; 2083 (2012) para 1 "Decides that all States shall
    # take the measures as previously imposed by paragraph ... 1 of resolution 1989 (2011)"
    later = q(s, "reiterated-obligations", resolution="S/RES/1989 (2011)")
    _one(later, paragraph="1", addressee="STATES", laterResolution="S/RES/2083 (2012)", laterParagraph="1",
         basis="same-modality-and-addressee")


def _supporting(s: OxigraphStore) -> None:
    rows = q(s, "supporting-roles", actor="UNODC", role="assistance")
    # 2322 (2016) para 12 "with the assistance of UNODC" (States), para 21 "with the assistance of UNODC" (CTED)
    assert {(r["resolution"], r["paragraph"], r["addressees"]) for r in rows} >= {
        ("S/RES/2322 (2016)", "12", "STATES"), ("S/RES/2322 (2016)", "21", "CTED")}
    # para 12 also: "in close cooperation with UNESCO and INTERPOL"
    coop = q(s, "supporting-roles", role="cooperation")
    assert {"UNESCO", "INTERPOL"} <= {r["actor"] for r in coop if r["resolution"] == "S/RES/2322 (2016)"
                                       and r["paragraph"] == "12"}


def _mandate(s: OxigraphStore) -> None:
    rows = q(s, "actor-mandate-timeline", actor="CTED")
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates)
    row = _one(rows, resolution="S/RES/2322 (2016)", paragraph="21")
    assert row["date"] == "2016-12-12" and "addressee:requests" in str(row["involvement"])
    # 2395 (2017) para 9 "Directs CTED to report to the CTC"
    assert "reporter" in str(_one(rows, resolution="S/RES/2395 (2017)", paragraph="9")["involvement"])
    # 1904 (2009) annex I, (g): "To work closely and share information with CTED ..." -- named only
    assert _one(rows, resolution="S/RES/1904 (2009)", paragraph="Annex I (g)")["involvement"] == "mentioned"


def _chapter_vii(s: OxigraphStore) -> None:
    rows = q(s, "chapter-vii-resolutions", topic="terrorist-financing")
    # 1373 (2001): "Acting under Chapter VII of the Charter of the United Nations", S/PV.4385, unanimous
    row = _one(rows, resolution="S/RES/1373 (2001)")
    assert row["meeting"] == "S/PV.4385" and row["unanimous"] is True and int(str(row["bindingClauses"])) >= 10
    every = q(s, "chapter-vii-resolutions")
    assert "S/RES/731 (1992)" not in {r["resolution"] for r in every}  # no Chapter VII in 731
    # 748 (1992), Chapter VII, adopted 10-0-5
    assert _one(every, resolution="S/RES/748 (1992)")["unanimous"] is False


def _chapter_vii_binding(s: OxigraphStore) -> None:
    rows = q(s, "chapter-vii-binding-obligations", resolution="S/RES/1373 (2001)", actor="STATES")
    # 1373 para 1 (c) "Freeze without delay funds ..." and 2 (e) "Ensure that any person who participates ..."
    assert {"1(a)", "1(b)", "1(c)", "1(d)", "2(e)"} <= {r["paragraph"] for r in rows}
    assert all(r["verb"] == "decides" for r in rows)


def _by_topic(s: OxigraphStore) -> None:
    rows = q(s, "obligations-by-topic", topic="terrorist-financing", actor="STATES")
    row = _one(rows, resolution="S/RES/1373 (2001)", paragraph="1(a)")  # "the financing of terrorist acts"
    assert row["binding"] is True and "financing of terrorist" in str(row["evidence"])


def _financing(s: OxigraphStore) -> None:
    rows = q(s, "terrorist-financing-obligations", resolution="S/RES/1373 (2001)")
    assert {"1(a)", "1(c)", "1(d)"} <= {r["paragraph"] for r in rows}  # financing; freeze funds; prohibit funds


def _ftf(s: OxigraphStore) -> None:
    rows = q(s, "foreign-terrorist-fighter-obligations", resolution="S/RES/2322 (2016)")
    # 2322 para 3 "to share ... information about foreign terrorist fighters"
    assert "3" in {r["paragraph"] for r in rows}
    assert all("FTF" in str(r["text"]) or "foreign terrorist fighter" in str(r["text"]).lower() for r in rows)


def _extradition(s: OxigraphStore) -> None:
    rows = q(s, "extradition-mla-obligations", resolution="S/RES/2322 (2016)", actor="STATES")
    # para 10: "Calls upon all States to ensure, in conformity with ... extradition"
    assert _one(rows, paragraph="10")["modality"] == "calls-upon"
    # 1373 para 3 (g): "Ensure ... that claims of political motivation are not recognized as grounds for refusing
    # requests for the extradition of alleged terrorists"
    assert "3(g)" in {r["paragraph"] for r in q(s, "extradition-mla-obligations", resolution="S/RES/1373 (2001)")}


def _cultural(s: OxigraphStore) -> None:
    rows = q(s, "cultural-property-obligations", resolution="S/RES/2322 (2016)")
    # para 12 "Urges States to develop ... trafficking in cultural property"
    assert _one(rows, paragraph="12")["modality"] == "urges"


def _ict(s: OxigraphStore) -> None:
    rows = q(s, "ict-obligations", resolution="S/RES/2322 (2016)")
    # para 14 "Encourages Member States ... on the Internet and social media"
    row = _one(rows, paragraph="14")
    assert row["modality"] == "encourages" and row["addressees"] == "MEMBER_STATES"


def _aviation(s: OxigraphStore) -> None:
    rows = q(s, "aviation-security-obligations", resolution="S/RES/2322 (2016)")
    # para 17 "... at strategic locations such as remote border crossings, airports ..."
    assert _one(rows, paragraph="17")["modality"] == "encourages"
    # 748 (1992) para 4: States shall "(a) Deny permission to any aircraft to take off from, land in or overfly"
    assert "4(a)" in {r["paragraph"] for r in q(s, "aviation-security-obligations", resolution="S/RES/748 (1992)")}


def _speakers(s: OxigraphStore) -> None:
    rows = q(s, "meeting-speakers", resolution="S/RES/2322 (2016)")
    # SC/12620: meeting 7831, 12 December 2016, 18 speakers, Jean-Paul Laborde first, Koro Bessho (Japan) last
    assert len(rows) == 18 and [r["ordinal"] for r in rows] == list(range(1, 19))
    assert rows[0]["speaker"] == "Jean-Paul Laborde" and rows[0]["kind"] == "briefing" and rows[0]["delegation"] is None
    assert (rows[-1]["speaker"], rows[-1]["delegation"]) == ("Koro Bessho", "JPN")
    spain = _one(rows, speaker="Rafael Catalá")
    assert spain["delegation"] == "ESP" and spain["office"] == "Minister of Justice of Spain"
    assert {r["meeting"] for r in rows} == {"S/PV.7831"} and {r["date"] for r in rows} == {"2016-12-12"}


def _bodies(s: OxigraphStore) -> None:
    rows = q(s, "established-bodies")
    # 1373 (2001) para 6 "Decides to establish ... a Committee of the Security Council"
    assert _one(rows, body="CTC")["resolution"] == "S/RES/1373 (2001)"
    assert _one(rows, body="COMMITTEE_748")["resolution"] == "S/RES/748 (1992)"  # 748 para 9


def _instruments(s: OxigraphStore) -> None:
    rows = q(s, "cited-instruments", **{"class": "Convention"})
    # 1373 (2001) para 3 (d): "the International Convention for the Suppression of the Financing of Terrorism"
    row = _one(rows, instrument="International Convention for the Suppression of the Financing of Terrorism")
    assert row["firstCited"] == "2001-09-28"
    assert all(r["kind"] == "Convention" for r in rows)


def _obligations(s: OxigraphStore) -> None:
    rows = q(s, "obligations", actor="CTED", resolution="S/RES/2322 (2016)")
    assert _one(rows, paragraph="21")["deadline"] == "2017-10-12"


def _reporting_lines(s: OxigraphStore) -> None:
    rows = q(s, "reporting-lines", reporter="CTED", resolution="S/RES/2322 (2016)")
    assert [(r["recipient"], r["paragraph"], r["deadline"]) for r in rows] == [("CTC", "21", "2017-10-12")]


def _citations(s: OxigraphStore) -> None:
    rows = q(s, "citations", resolution="S/RES/2322 (2016)", cited="S/RES/1373 (2001)", relation="recalls")
    assert {(r["paragraph"], r["citedParagraph"]) for r in rows} == {("PP1", None), ("PP20", "1(d)")}


def _clause_lineage(s: OxigraphStore) -> None:
    rows = q(s, "clause-lineage", resolution="S/RES/2617 (2021)", paragraph="28")
    # 2617 (2021) para 28 "Reiterates the obligation of Member States to refrain from providing any form of support,
    # active or passive, to entities or persons involved in terrorist acts ..." = 1373 (2001) para 2 (a), word for word
    row = _one(rows, laterResolution="S/RES/2617 (2021)", earlierResolution="S/RES/1373 (2001)", earlierParagraph="2(a)")
    assert row["type"] == "reiterates" and row["basis"] == "wording" and row["firstAppearance"] is True
    assert str(row["laterMatch"]).startswith("refrain from providing any form of support")
    # 2322 (2016) para 8 "Recalls that all States shall afford one another ..." = 1373 (2001) para 2 (f)
    rows = q(s, "clause-lineage", resolution="S/RES/2322 (2016)", paragraph="8")
    assert _one(rows, earlierResolution="S/RES/1373 (2001)", earlierParagraph="2(f)")["type"] == "recalls"


def _strengthened(s: OxigraphStore) -> None:
    rows = q(s, "strengthened-obligations", resolution="S/RES/748 (1992)", bindingOnly=True)
    # 748 (1992) para 1 "Decides that the Libyan Government must now comply without any further delay with
    # paragraph 3 of resolution 731 (1992)"; 731 para 3 "Urges the Libyan Government immediately to provide ..."
    row = _one(rows, paragraph="1", earlierResolution="S/RES/731 (1992)", earlierParagraph="3")
    assert (row["modality"], row["earlierModality"], row["becameBinding"], row["basis"]) == (
        "decides", "urges", True, "citation")
    assert all(r["becameBinding"] is True for r in rows)


def _mandate_history(s: OxigraphStore) -> None:
    rows = q(s, "mandate-history", body="CTED")
    # established by 1535 (2004) (not in the corpus: registry and UN index); 2395 (2017) para 2 "Decides that CTED
    # will continue to operate as a special political mission ... for the period ending 31 December 2021";
    # 2617 (2021) para 2 "... ending 31 December 2025"
    events = [(r["resolution"], r["event"], r["mandateEnd"]) for r in rows if r["event"] != "reporting-line"]
    assert events == [("S/RES/1535 (2004)", "establishment", None), ("S/RES/2395 (2017)", "renewal", "2021-12-31"),
                      ("S/RES/2617 (2021)", "renewal", "2025-12-31")]
    assert _one(rows, event="reporting-line", reportsTo="CTC")["resolution"] == "S/RES/2220 (2015)"  # para 31
    ctc = q(s, "mandate-history", body="CTC")
    assert (ctc[0]["resolution"], ctc[0]["paragraph"], ctc[0]["event"]) == ("S/RES/1373 (2001)", "6", "establishment")


CHECKS: dict[str, Callable[[OxigraphStore], None]] = {
    "actor-obligations": _actor_obligations,
    "state-binding-obligations": _state_binding,
    "reporting-chains": _reporting_chains,
    "reporting-reach": _reporting_reach,
    "deadlines-in-range": _deadlines,
    "cited-by": _cited_by,
    "most-cited": _most_cited,
    "most-cited-paragraphs": _most_cited_paragraphs,
    "reiterated-obligations": _reiterated,
    "supporting-roles": _supporting,
    "actor-mandate-timeline": _mandate,
    "chapter-vii-resolutions": _chapter_vii,
    "chapter-vii-binding-obligations": _chapter_vii_binding,
    "obligations-by-topic": _by_topic,
    "terrorist-financing-obligations": _financing,
    "foreign-terrorist-fighter-obligations": _ftf,
    "extradition-mla-obligations": _extradition,
    "cultural-property-obligations": _cultural,
    "ict-obligations": _ict,
    "aviation-security-obligations": _aviation,
    "meeting-speakers": _speakers,
    "established-bodies": _bodies,
    "cited-instruments": _instruments,
    "obligations": _obligations,
    "reporting-lines": _reporting_lines,
    "citations": _citations,
    "clause-lineage": _clause_lineage,
    "strengthened-obligations": _strengthened,
    "mandate-history": _mandate_history,
}


def test_every_query_has_a_hand_checked_expectation() -> None:
    assert set(catalog()) <= set(CHECKS), set(catalog()) - set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_expected_answers(name: str, ct_store: OxigraphStore) -> None:
    if name not in catalog():
        pytest.skip(f"{name} is not in the catalogue")
    CHECKS[name](ct_store)
