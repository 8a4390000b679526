"""Graph building and the embedded store: determinism, idempotency, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

import ctkg
from ctkg.graph.build import document_triples, paragraph_eid, to_nquads
from ctkg.graph.iris import graph_iri
from ctkg.graph.namespaces import CTKG
from ctkg.model import Document
from ctkg.resources import ontology_files
from tests.conftest import DOCS


def test_same_input_same_triples(extracted: dict[str, Document]) -> None:
    again = ctkg.extract(DOCS["2322_2016"])
    a = to_nquads(document_triples(extracted["2322_2016"]), graph_iri(2322, 2016))
    b = to_nquads(document_triples(again), graph_iri(2322, 2016))
    assert a == b
    assert "<https://w3id.org/ctkg/id/res/2322-2016/para_13__subpara_g>" in a


def test_nquads_parse_with_rdflib(extracted: dict[str, Document]) -> None:
    triples = document_triples(extracted["748_1992"])
    g = Graph().parse(data=to_nquads(triples, None), format="nt")
    assert len(g) == len(triples)


def test_every_statement_traces_to_a_span(extracted: dict[str, Document]) -> None:
    doc = extracted["2322_2016"]
    g = document_triples(doc).graph()
    from ctkg.graph.namespaces import OA

    for cls in (CTKG.Clause, CTKG.Paragraph, CTKG.Citation, CTKG.ReportingLine, CTKG.Deadline, CTKG.Intervention):
        subjects = set(g.subjects(predicate=None, object=cls))
        assert subjects, cls
        for s in subjects:
            span = g.value(s, CTKG.sourceSpan)
            assert span is not None, s
            start, end = int(g.value(span, OA.start)), int(g.value(span, OA.end))  # type: ignore[arg-type]
            assert doc.text[start:end] == str(g.value(span, OA.exact))


def test_paragraph_eid() -> None:
    assert paragraph_eid("1(d)") == "para_1__subpara_d"
    assert paragraph_eid("13") == "para_13"
    assert paragraph_eid("1(a)(ii)") == "para_1__subpara_a__subpara_ii"


def test_terms_used_are_declared_in_the_ontology(extracted: dict[str, Document]) -> None:
    onto = Graph()
    for f in ontology_files():
        onto.parse(f, format="turtle")
    declared = {str(s) for s in onto.subjects() if str(s).startswith(str(CTKG))}
    used: set[str] = set()
    for doc in extracted.values():
        for s, p, o in document_triples(doc):
            for term in (s, p, o):
                if str(term).startswith(str(CTKG)):
                    used.add(str(term))
    src = "\n".join(p.read_text("utf-8") for p in Path(ctkg.__file__).parent.rglob("*.py"))
    used |= {str(CTKG) + m for m in re.findall(r"\bCTKG\.([A-Za-z_]\w*)", src)}
    missing = sorted(used - declared)
    assert not missing, f"terms used but not declared in ontology/ctkg.ttl: {missing}"


def test_rebuild_is_idempotent(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ctkg.build(corpus="demo", store=store)
    with ctkg.open_store(store) as s:
        first = s.dump_nquads()
    ctkg.build(corpus="demo", store=store)
    with ctkg.open_store(store) as s:
        second = s.dump_nquads()
    assert first == second
    assert len(first) > 100_000


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", 3),
        ("latin1.txt", "Résolution".encode("latin-1"), 3),
        ("nothing.txt", b"Minutes of a meeting about the weather.\n", 3),
    ],
)
def test_bad_input_leaves_store_unchanged(tmp_path: Path, name: str, data: bytes, code: int) -> None:
    from ctkg.cli import main

    store = tmp_path / "store"
    ctkg.build(corpus="demo", store=store)
    with ctkg.open_store(store) as s:
        before = s.dump_nquads()
    bad = tmp_path / name
    bad.write_bytes(data)
    assert main(["build", str(bad), "--store", str(store), "--quiet"]) == code
    with ctkg.open_store(store) as s:
        assert s.dump_nquads() == before


def test_truncated_resolution_is_refused(tmp_path: Path, corpus_dir: Path) -> None:
    from ctkg.cli import main

    text = (corpus_dir / "unsc" / "1373_2001.txt").read_text("utf-8")
    cut = tmp_path / "1373_2001.txt"
    cut.write_text(text[: text.index("1. Decides")], "utf-8")
    store = tmp_path / "store"
    assert main(["build", str(cut), "--store", str(store), "--quiet"]) == 3


def test_parallel_build_gives_the_same_graph(corpus_dir: Path, tmp_path: Path) -> None:
    """Extraction in worker processes gives byte-identical N-Quads to extraction in this process,
    and a bad file among many is still isolated and named."""
    from ctkg.pipeline import PARALLEL_FROM, build_documents
    from ctkg.store.local import open_store

    paths: list[str | Path] = sorted((corpus_dir / "unsc").glob("13*_*.txt"))[:PARALLEL_FROM + 6]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not a resolution")
    paths.insert(5, bad)
    dumps = []
    for workers in (1, 2):
        with open_store("memory:") as store:
            result = build_documents(paths, store, workers=workers)
            assert [f.path for f in result.failures] == [str(bad)]
            assert len(result.built) == len(paths) - 1
            dumps.append(store.dump_nquads())
    assert dumps[0] == dumps[1]


def test_graph_writer_batches_replaces_and_reports_errors(tmp_path: Path) -> None:
    """The background bulk writer: many small batches give the same store as one write, an old
    version of a graph is replaced, and a bad graph surfaces as a StoreError when it closes."""
    from ctkg.errors import StoreError
    from ctkg.store.local import open_store

    def nq(g: int, n: int, tag: str = "") -> str:
        return "".join(f'<urn:s{i}> <urn:p> "{tag}{i}" <urn:g{g}> .\n' for i in range(n))

    with open_store(tmp_path / "a") as store:
        store.replace_graph("urn:g1", nq(1, 5, "old"))
        with store.writer(batch=7) as writer:  # several bulk loads
            for g in range(1, 6):
                writer.add(f"urn:g{g}", nq(g, 4))
        assert writer.graphs == 5 and writer.quads == 20
        assert len(store) == 20 and "old" not in store.dump_nquads().decode()
        once = store.dump_nquads()
    with open_store("memory:") as store:
        store.replace_graphs([(f"urn:g{g}", nq(g, 4)) for g in range(1, 6)])
        assert store.dump_nquads() == once
    with open_store(tmp_path / "b") as store:
        writer = store.writer(batch=1)
        writer.add("urn:g1", nq(1, 2))
        writer.add("urn:g2", "<urn:s> <urn:p> this is not N-Quads <urn:g2> .\n")
        with pytest.raises(StoreError, match="cannot write graphs"):
            writer.close()
        assert len(store) == 2  # the batch before the bad one is in


def test_an_appending_build_leaves_the_vocabularies_and_any_other_build_reloads_them(tmp_path: Path) -> None:
    """A build that only adds newer resolutions writes only their graphs (the ontology, actor and
    index graphs stay as they are); any other build reloads the vocabularies."""
    from ctkg.corpus import demo_paths
    from ctkg.graph.iris import ONTOLOGY_GRAPH
    from ctkg.store.local import open_store

    demo = {p.stem: p for p in demo_paths()}  # SC-12620 (2322), 1373_2001, 731_1992, 748_1992
    store_dir = tmp_path / "store"
    ctkg.build([demo["731_1992"], demo["1373_2001"]], store=str(store_dir))
    marker = f"<{ONTOLOGY_GRAPH}> <urn:ctkg:test> <urn:ctkg:marker> <{ONTOLOGY_GRAPH}> .\n"

    def mark() -> None:
        with open_store(store_dir, create=False) as store:
            store.replace_graph(str(ONTOLOGY_GRAPH), marker)

    def marked() -> bool:
        with open_store(store_dir, create=False, read_only=True) as store:
            return b"urn:ctkg:marker" in store.dump_nquads()

    mark()
    ctkg.build([demo["SC-12620"]], store=str(store_dir))  # 2322 (2016): newer than everything
    assert marked()
    ctkg.build([demo["748_1992"]], store=str(store_dir))  # older than 2322: a full refresh
    assert not marked()
