"""The pipeline: source files to a populated store.

Every document is read and extracted first; only documents that succeed are
written, each into its own named graph (replacing that graph, so rebuilding is
idempotent).  A bad file is reported with its reason and never touches the
store.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from ctkg.errors import CtkgError, DuplicateResolutionError, InputError
from ctkg.extract import extract_document
from ctkg.graph.build import actor_triples, document_triples, index_triples, to_nquads
from ctkg.graph.iris import ACTORS_GRAPH, INDEX_GRAPH, ONTOLOGY_GRAPH, graph_iri, resolution_of_graph
from ctkg.ingest import read_source
from ctkg.ingest.index import load_index
from ctkg.lineage.refresh import LineageSummary, refresh_lineage
from ctkg.model import Document
from ctkg.resources import ontology_files
from ctkg.store.local import GraphWriter, OxigraphStore


@dataclass(frozen=True)
class Built:
    """One document written to the store."""

    path: str
    symbol: str
    graph: str
    triples: int
    paragraphs: int
    clauses: int
    directives: int
    reporting_lines: int
    citations: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Failure:
    """One document that could not be built, and why."""

    path: str
    error: CtkgError

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass
class BuildResult:
    """What a build did."""

    store: str
    built: list[Built] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    lineage: LineageSummary | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def totals(self) -> dict[str, int]:
        """Figures for the closing summary."""
        return {
            "documents": len(self.built),
            "failed": len(self.failures),
            "paragraphs": sum(b.paragraphs for b in self.built),
            "clauses": sum(b.clauses for b in self.built),
            "obligations": sum(b.directives for b in self.built),
            "reporting_lines": sum(b.reporting_lines for b in self.built),
            "citations": sum(b.citations for b in self.built),
            "warnings": sum(len(b.warnings) for b in self.built),
            "triples": sum(b.triples for b in self.built),
        }


def ontology_nquads() -> str:
    """The ontology modules as N-Quads in the ontology graph, blank nodes skolemised
    to stable IRIs (canonical labelling), so that every load gives the same quads."""
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    canon = to_canonical_graph(g).skolemize(authority="https://w3id.org", basepath="/ctkg/.well-known/genid/")
    return to_nquads(canon, ONTOLOGY_GRAPH)  # type: ignore[arg-type]


def load_vocabularies(store: OxigraphStore) -> None:
    """(Re)load the ontology and the actor registry into their named graphs."""
    store.replace_graph(str(ONTOLOGY_GRAPH), ontology_nquads())
    store.replace_graph(str(ACTORS_GRAPH), to_nquads(actor_triples(), ACTORS_GRAPH))


def summarize(path: str, doc: Document, triples: int) -> Built:
    res = doc.resolution
    return Built(
        path=path,
        symbol=res.symbol,
        graph=str(graph_iri(res.number, res.year)),
        triples=triples,
        paragraphs=len(res.all_paragraphs()),
        clauses=len(res.clauses),
        directives=sum(1 for c in res.clauses if c.directive),
        reporting_lines=len(res.reporting_lines),
        citations=len(res.citations),
        warnings=tuple(res.warnings),
    )


@dataclass(frozen=True)
class _Outcome:
    """What a worker returns for one file: the document (or the input error) and, when the
    document is selected, its graph as N-Quads (built in the worker, so it runs in parallel)."""

    path: str
    document: Document | InputError
    nquads: str | None = None
    triples: int = 0


_SELECT: Callable[[Document], bool] | None = None
"""The build's selection, in a worker process (set by :func:`_start_worker`)."""


def _start_worker(select: Callable[[Document], bool] | None) -> None:
    global _SELECT
    _SELECT = select


def _build_one(job: tuple[str, bool], select: Callable[[Document], bool] | None) -> _Outcome:
    path, allow_partial = job
    try:
        doc = extract_document(read_source(path), allow_partial=allow_partial)
    except InputError as exc:
        # drop the traceback: it would keep this frame (and the open store) alive
        return _Outcome(path, exc.with_traceback(None))
    if select is not None and not select(doc):
        return _Outcome(path, doc)
    res = doc.resolution
    triples = document_triples(doc)
    return _Outcome(path, doc, to_nquads(triples, graph_iri(res.number, res.year)), len(triples))


def _build_in_worker(job: tuple[str, bool]) -> _Outcome:
    return _build_one(job, _SELECT)


def _built(paths: list[str], allow_partial: bool, workers: int | None,
           select: Callable[[Document], bool] | None) -> Iterator[_Outcome]:
    """Each path with its document (or the input error) and graph, in the order given.  Many
    files are shared out to worker processes (one per core): extraction and triple building are
    pure Python, so threads would not run them in parallel.  The result is the same either way
    (tested)."""
    jobs = [(p, allow_partial) for p in paths]
    workers = min(os.cpu_count() or 1, 8) if workers is None else workers
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield _build_one(job, select)
        return
    # fork: the workers inherit ``select`` (any callable) without pickling it
    with multiprocessing.get_context("fork").Pool(workers, _start_worker, (select,)) as pool:
        yield from pool.imap(_build_in_worker, jobs, chunksize=4)


PARALLEL_FROM = 24
"""Builds of fewer files extract in this process (starting workers would cost more)."""


def build_documents(
    paths: Iterable[str | Path],
    store: OxigraphStore,
    *,
    progress: Callable[[str], None] | None = None,
    select: Callable[[Document], bool] | None = None,
    allow_partial: bool = False,
    workers: int | None = None,
) -> BuildResult:
    """Extract each file and write the good ones to ``store``.

    ``select`` keeps only the documents it accepts (e.g. the counter-terrorism
    set, found by content); ``allow_partial`` keeps a text that breaks off before
    its operative part, with a warning, instead of refusing it; ``workers`` sets
    the number of extraction processes (default: one per core; 1 = this process).

    The graphs stream into the store while extraction goes on (a :class:`GraphWriter` bulk-loads
    them in a background thread); the corpus-level lineage starts once every document is in.
    """
    result = BuildResult(store=store.location)
    docs: list[Document] = []
    seen: dict[tuple[int, int], str] = {}
    writer: GraphWriter | None = None
    before = store.graphs()
    with contextlib.ExitStack() as stack:  # the writer stops (and its error surfaces) however this ends
        for out in _built([str(p) for p in paths], allow_partial, workers, select):
            if progress:
                progress(out.path)
            doc = out.document
            if isinstance(doc, InputError):
                result.failures.append(Failure(out.path, doc))
                continue
            key = (doc.resolution.number, doc.resolution.year)
            if key in seen:
                # two files of one resolution would mix in one graph: the first wins
                result.failures.append(Failure(out.path, DuplicateResolutionError(
                    f"holds the text of {doc.resolution.symbol}, already built from {seen[key]}", path=out.path)))
                continue
            seen[key] = out.path
            if out.nquads is None:  # not selected
                continue
            if writer is None:
                writer = stack.enter_context(store.writer())
            writer.add(str(graph_iri(*key)), out.nquads)
            docs.append(doc)
            result.built.append(summarize(out.path, doc, out.triples))
        if writer is None:
            return result
        writer.finish()
        appends = _appends(before, docs)

        def ready(writer: GraphWriter = writer) -> None:
            writer.close()
            if not appends:
                load_vocabularies(store)

        # corpus-level, needs every document; finds the links while the writer finishes
        result.lineage = refresh_lineage(store, docs, ready=ready)
    # resolutions appended that the UN index does not list change nobody's index-only status
    index = load_index()
    if not (appends and str(INDEX_GRAPH) in before and not any(d.resolution.number in index for d in docs)):
        refresh_index_graph(store)
    store.flush()
    return result


def _appends(graphs: list[str], docs: list[Document]) -> bool:
    """Whether the build only adds resolutions newer than every one in a store that has its
    vocabularies (``graphs``: the store's graphs before the build).  Such a build writes only the
    new resolutions' graphs; any other build (re)loads the ontology, actor and UN-index graphs, so
    that ``ctkg build --all`` after an upgrade brings them up to date."""
    if str(ONTOLOGY_GRAPH) not in graphs or str(ACTORS_GRAPH) not in graphs:
        return False
    numbers = [key[0] for g in graphs if (key := resolution_of_graph(g))]
    return bool(numbers) and min(d.resolution.number for d in docs) > max(numbers)


def refresh_index_graph(store: OxigraphStore) -> int:
    """Give every resolution of the UN index that has no text in the store a node with the
    index's facts (date, meeting, press release, agenda item, vote). Returns their number."""
    built = {key[0] for g in store.graphs() if (key := resolution_of_graph(g))}
    entries = [e for n, e in load_index().items() if n not in built]
    store.replace_graph(str(INDEX_GRAPH), to_nquads(index_triples(entries), INDEX_GRAPH))
    return len(entries)


__all__ = [
    "BuildResult",
    "Built",
    "Failure",
    "build_documents",
    "load_vocabularies",
    "refresh_index_graph",
    "summarize",
]
