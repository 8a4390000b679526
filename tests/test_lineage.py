"""Lineage: the matcher and its typing on the real texts, the calibration sample, determinism,
the graph it writes, mandate history, and the ``ctkg lineage`` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ctkg
from ctkg.cli import main
from ctkg.corpus import corpus_dir, demo_paths
from ctkg.graph.iris import LINEAGE_GRAPH, MANDATES_GRAPH, lineage_graph_iri, mandates_graph_iri
from ctkg.graph.lineage import lineage_triples
from ctkg.lineage import find_links, link_type, units_from_documents
from ctkg.lineage.calibrate import evaluate
from ctkg.lineage.classify import force
from ctkg.lineage.mandates import mandate_history
from ctkg.lineage.match import THRESHOLD, Prepared, candidates, cosine_of, vectorise
from ctkg.lineage.model import Link, Unit
from ctkg.lineage.refresh import add_lineage
from ctkg.lineage.text import normalise, source_offsets, terms
from ctkg.model import Document, Span
from ctkg.store.local import open_store

SAMPLE = Path(__file__).parent / "lineage" / "sample.csv"


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    paths = [corpus_dir() / "press" / "SC-12620.txt"] + [
        corpus_dir() / "unsc" / f"{n}.txt" for n in ("1373_2001", "2617_2021", "1624_2005", "2395_2017")]
    return [ctkg.extract(p) for p in paths]


@pytest.fixture(scope="module")
def links(docs: list[Document]) -> list[Link]:
    return find_links(units_from_documents(docs))


def _find(links: list[Link], later: tuple[int, str], earlier: tuple[int, str]) -> list[Link]:
    return [k for k in links if (k.later.resolution[0], k.later.label) == later
            and (k.earlier.resolution[0], k.earlier.label) == earlier]


@pytest.mark.parametrize(("later", "earlier", "kind"), [
    # "Recalls that all States shall afford one another the greatest measure of assistance ..."
    ((2322, "8"), (1373, "2(f)"), "recalls"),
    # "Calls upon all States to ensure, in conformity with international law, that refugee status ..."
    ((2322, "10"), (1373, "3(g)"), "reiterates"),
    # "Reiterates the obligation of Member States to refrain from providing any form of support ..."
    ((2617, "28"), (1373, "2(a)"), "reiterates"),
])
def test_the_required_examples(links: list[Link], later: tuple[int, str], earlier: tuple[int, str], kind: str) -> None:
    found = _find(links, later, earlier)
    assert [k.type for k in found] == [kind], found
    assert found[0].score >= THRESHOLD and found[0].basis == "wording"


def test_evidence_spans_point_at_the_matched_words(links: list[Link], docs: list[Document]) -> None:
    texts = {(d.resolution.number, d.resolution.year): d.text for d in docs}
    (k,) = _find(links, (2322, "10"), (1373, "3(g)"))
    later = k.later_match.slice(texts[k.later.resolution])
    earlier = k.earlier_match.slice(texts[k.earlier.resolution])
    assert later.startswith("ensure, in conformity with international law")
    assert earlier.startswith("Ensure, in conformity with international law")
    assert " ".join(later.split()).endswith("extradition of alleged terrorists")
    assert k.later.span.start <= k.later_match.start < k.later_match.end <= k.later.span.end


def test_only_earlier_resolutions_and_no_two_declaratory_clauses(links: list[Link]) -> None:
    assert links
    for k in links:
        assert k.earlier.resolution[0] < k.later.resolution[0]
        assert k.later.directive or k.earlier.directive or k.basis == "citation"


def test_links_and_triples_are_deterministic(docs: list[Document], links: list[Link]) -> None:
    again = find_links(units_from_documents(list(reversed(docs))))
    assert again == links
    assert list(lineage_triples(again)) == list(lineage_triples(links))


def test_explicit_citations_link_the_cited_paragraph() -> None:
    # 748 (1992) para 1: "Decides that the Libyan Government must now comply without any further delay with
    # paragraph 3 of resolution 731 (1992)": a citation, and a strengthening (urges -> binding decision)
    found = find_links(units_from_documents([ctkg.extract(p) for p in demo_paths()]))
    (k,) = [k for k in found if (k.later.resolution[0], k.later.label) == (748, "1")]
    assert (k.earlier.resolution[0], k.earlier.label, k.basis, k.type) == (731, "3", "citation", "strengthens")
    assert k.citation is not None


def test_the_calibration_sample_precision() -> None:
    (cal,) = evaluate(SAMPLE)
    assert cal.size >= 50
    assert cal.tp + cal.fn >= 20 and cal.tn + cal.fp >= 20  # positives and negatives near the threshold
    assert cal.precision >= 0.9, cal.disagreements
    assert cal.recall >= 0.75, cal.disagreements


_MODALITIES = ["decides", "demands", "directs", "requests", "authorizes", "calls-upon", "urges", "encourages",
               "invites", "recommends"]
_ACTORS = ["STATES", "MEMBER_STATES", "CTED", "CTC", "UNODC", "SECRETARY_GENERAL"]


@st.composite
def units(draw: st.DrawFn) -> Unit:
    modality = draw(st.sampled_from(_MODALITIES))
    binding = draw(st.booleans()) and modality in ("decides", "demands")
    addressees = tuple(draw(st.lists(st.sampled_from(_ACTORS), min_size=1, max_size=3, unique=True)))
    return Unit((1, 2000), "c", "p", "1", 1, modality, modality, binding, True, False, addressees, "x",
                Span(0, 1), "x", "")


@settings(max_examples=300, deadline=None)
@given(units(), units())
def test_typing_is_antisymmetric_and_deterministic(a: Unit, b: Unit) -> None:
    ab, ba = link_type(a, b), link_type(b, a)
    assert link_type(a, b) == ab
    if force(a) > force(b):
        assert (ab, ba) == ("strengthens", "weakens")
    elif force(a) < force(b):
        assert (ab, ba) == ("weakens", "strengthens")
    else:
        assert ab in ("reiterates", "extends") and ba in ("reiterates", "extends")
        if set(a.addressees) == set(b.addressees):
            assert ab == ba == "reiterates"


def test_declaratory_restatements() -> None:
    decided = Unit((1, 2000), "c", "p", "1", 1, "decides", "decides", True, True, False, ("STATES",), "x",
                   Span(0, 1), "x", "")
    def said(verb: str) -> Unit:
        return Unit((2, 2001), "c", "p", "1", 1, verb, "declaratory", False, False, False, (), "x", Span(0, 1), "x", "")
    assert link_type(said("recalls"), decided) == "recalls"
    assert link_type(said("reiterates"), decided) == "reiterates"
    assert link_type(said("reaffirms"), decided) == "reiterates"
    assert link_type(said("stresses"), decided) == "recalls"


def test_mandate_history_of_cted_and_the_1540_committee() -> None:
    names = ("1373_2001", "1540_2004", "1673_2006", "1810_2008", "1977_2011", "2395_2017", "2617_2021", "2663_2022")
    events = mandate_history([ctkg.extract(corpus_dir() / "unsc" / f"{n}.txt") for n in names])
    cted = [(e.kind, e.resolution[0], str(e.end)) for e in events if e.body == "CTED" and e.kind != "reporting-line"]
    # CTED established by 1535 (2004) (registry and UN index); "Decides that CTED will continue to operate as a
    # special political mission ... for the period ending 31 December 2021" (2395 para 2), "... 2025" (2617 para 2)
    assert cted == [("establishment", 1535, "None"), ("renewal", 2395, "2021-12-31"), ("renewal", 2617, "2025-12-31")]
    ctc = [(e.kind, e.resolution[0], e.clause) for e in events if e.body == "CTC" and e.kind == "establishment"]
    assert ctc == [("establishment", 1373, "para_6__clause_1")]  # "Decides to establish ... a Committee"
    c1540 = [(e.resolution[0], str(e.end)) for e in events if e.body == "COMMITTEE_1540" and e.kind == "renewal"]
    assert c1540 == [(1673, "2008-04-27"), (1810, "2011-04-25"), (1977, "2021-04-25"), (2663, "2032-11-30")]


def test_the_lineage_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    built = ctkg.build(corpus="demo", store=str(store))
    assert built.lineage is not None and built.lineage.links >= 3
    assert main(["lineage", "2322", "10", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "S/RES/2322 (2016) paragraph 10" in out and "reiterates  S/RES/1373 (2001) paragraph 3(g)" in out
    assert "(first appearance)" in out and "later:   “ensure, in conformity with international law" in out
    assert main(["lineage", "S/RES/2322 (2016)", "8", "--store", str(store)]) == 0
    assert "recalls     S/RES/1373 (2001) paragraph 2(f)" in capsys.readouterr().out
    rows = ctkg.api.lineage("2322", "8", store=str(store))
    assert [(r["type"], r["earlierParagraph"], r["basis"]) for r in rows] == [("recalls", "2(f)", "wording")]


def test_lineage_over_a_store_and_new_files(tmp_path: Path) -> None:
    """A build of one file links it to the resolutions already in the store."""
    store = tmp_path / "store"
    ctkg.build([corpus_dir() / "unsc" / "1373_2001.txt"], store=str(store))
    ctkg.build([corpus_dir() / "press" / "SC-12620.txt"], store=str(store))
    rows = ctkg.api.lineage("2322", "10", store=str(store))
    assert [(r["type"], r["earlierResolution"], r["earlierParagraph"]) for r in rows] == [
        ("reiterates", "S/RES/1373 (2001)", "3(g)")]


def test_resolution_numbers_past_the_index_are_found_in_the_corpus() -> None:
    from ctkg import api
    from ctkg.errors import CtkgError

    assert api.resolution_symbol("1373") == "S/RES/1373 (2001)"  # the UN index
    assert api.resolution_symbol(2617) == "S/RES/2617 (2021)"  # after the index ends: the bundled text
    assert api.resolution_symbol("S/RES/2322 (2016)") == "S/RES/2322 (2016)"
    with pytest.raises(CtkgError, match="neither in the UN index nor in the bundled corpus"):
        api.resolution_symbol("99999")


def test_candidate_vectors_do_not_depend_on_the_corpus(docs: list[Document]) -> None:
    """A clause's vector is the same whatever else is vectorised (no vocabulary, no IDF): adding a
    resolution changes no candidate pair of the others."""
    norms = [Prepared(u).norm for u in units_from_documents(docs).units]
    alone = vectorise(norms[:40])
    among = vectorise(norms[::-1])
    for i in range(40):
        j = len(norms) - 1 - i
        assert alone.row(i) == among.row(j)
        assert len(alone.row(i)) == len(set(terms(norms[i])))  # no collision in these few
    assert cosine_of(alone, 3, 7) == cosine_of(among, len(norms) - 4, len(norms) - 8)
    text = normalise("Calls upon all States to prevent and suppress the financing of terrorist acts")
    row = vectorise([text]).row(0)
    assert len(row) == len(terms(text)) == 13 and abs(sum(w * w for w in row.values()) - 1) < 1e-12


def test_the_links_of_some_later_resolutions_alone(docs: list[Document], links: list[Link]) -> None:
    data = units_from_documents(docs)
    prepared = [Prepared(u) for u in sorted(data.units, key=lambda u: (u.resolution, u.ordinal, u.clause))]
    assert set(candidates(prepared, later={(2322, 2016)})) == {
        (i, j) for i, j in candidates(prepared) if prepared[i].unit.resolution == (2322, 2016)}
    for key in {k.later.resolution for k in links}:
        assert find_links(data, later={key}) == [k for k in links if k.later.resolution == key]


CT = ("1373_2001", "1624_2005", "2253_2015", "2322_2016", "2395_2017", "2396_2017", "2462_2019", "2482_2019",
      "2617_2021")
"""Counter-terrorism resolutions with lineage among them and mandate events (CTED renewed by 2395 and 2617)."""


def _quads(location: Path) -> bytes:
    with open_store(location, create=False, read_only=True) as store:
        return store.dump_nquads()


def test_adding_a_resolution_writes_only_its_graphs_and_the_same_quads_as_a_full_build(tmp_path: Path) -> None:
    paths = [corpus_dir() / "unsc" / f"{n}.txt" for n in CT]
    full = ctkg.build(paths, store=str(tmp_path / "full"))
    ctkg.build(paths[:-1], store=str(tmp_path / "inc"))
    before = _quads(tmp_path / "inc")
    added = ctkg.build(paths[-1:], store=str(tmp_path / "inc"))
    assert added.lineage is not None and full.lineage is not None
    assert added.lineage.mode == "added" and full.lineage.mode == "recomputed"
    assert added.lineage.links > 20 and added.lineage.mandate_events == 1  # 2617 para 2 renews CTED
    assert _quads(tmp_path / "inc") == _quads(tmp_path / "full")
    # only 2617's graphs changed (the UN index ends before 2617: its graph stays as it was)
    graphs = {str(lineage_graph_iri(2617, 2021)), str(mandates_graph_iri(2617, 2021)), "https://w3id.org/ctkg/graph/res/2617-2021"}
    after = _quads(tmp_path / "inc")
    changed = {line.rsplit(b" ", 2)[-2].decode().strip("<>") for line in set(before.splitlines()) ^ set(after.splitlines())}
    assert changed <= graphs, changed - graphs
    with open_store(tmp_path / "full", create=False, read_only=True) as store:
        names = store.graphs()
    assert str(LINEAGE_GRAPH) not in names and str(MANDATES_GRAPH) not in names
    assert str(mandates_graph_iri(1535, 2004)) in names  # CTED's establishment, known from the UN index


def test_other_builds_recompute_everything_to_the_same_quads(tmp_path: Path) -> None:
    """A back-filled older resolution and a store from before the graph per resolution: all is
    recomputed, the single graphs of before go, and the quads are those of a build of the whole set."""
    demo = {p.stem: p for p in demo_paths()}  # SC-12620 (2322), 1373_2001, 731_1992, 748_1992
    newer, older = [demo["1373_2001"], demo["SC-12620"]], [demo["731_1992"], demo["748_1992"]]
    ctkg.build(newer + older, store=str(tmp_path / "full"))
    ctkg.build(newer, store=str(tmp_path / "inc"))
    with open_store(tmp_path / "inc", create=False) as store:
        for g in (LINEAGE_GRAPH, MANDATES_GRAPH):
            store.replace_graph(str(g), f"<{g}> <{g}> <{g}> <{g}> .\n")
    again = ctkg.build(older, store=str(tmp_path / "inc"))
    assert again.lineage is not None and again.lineage.mode == "recomputed"
    assert _quads(tmp_path / "inc") == _quads(tmp_path / "full")


def test_a_new_body_makes_the_mandate_history_recomputed(tmp_path: Path) -> None:
    """748 (1992) establishes a committee no earlier event names: the reporting lines of earlier
    resolutions could become changes of its mandate, so adding it alone is refused."""
    demo = {p.stem: p for p in demo_paths()}
    ctkg.build([demo["731_1992"]], store=str(tmp_path / "store"))
    with open_store(tmp_path / "store", create=False) as store:
        assert add_lineage(store, [ctkg.extract(demo["748_1992"])], {(731, 1992): "https://w3id.org/ctkg/graph/res/731-1992"}) is None


def _walk(text: str, exact: str) -> list[int]:
    """source_offsets as first written: the greedy walk, one character at a time (the reference)."""
    out: list[int] = []
    pos, n = 0, len(exact)
    for ch in text:
        if ch == " ":
            if pos < n and exact[pos].isspace():
                out.append(pos)
                while pos < n and exact[pos].isspace():
                    pos += 1
            else:
                out.append(min(pos, max(n - 1, 0)))
            continue
        k = exact.find(ch, pos)
        if k < 0:
            out.append(min(pos, max(n - 1, 0)))
            continue
        out.append(k)
        pos = k + 1
    return out


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(alphabet="ab c\n-1\u201c", max_size=30), st.text(alphabet="ab c\n-1\u201c", max_size=30))
def test_source_offsets_word_by_word_match_the_character_walk(text: str, exact: str) -> None:
    # source_offsets places a whole word at once where it stands at the walk's position
    assert source_offsets(text, exact) == _walk(text, exact)
    assert source_offsets(text, text.replace(" ", "\n  ")) == _walk(text, text.replace(" ", "\n  "))
