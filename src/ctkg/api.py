"""The Python API.  The CLI is a thin face over exactly these functions.

>>> import ctkg
>>> doc = ctkg.extract(ctkg.corpus.corpus_dir() / "unsc" / "1373_2001.txt")
>>> doc.resolution.symbol, len(doc.resolution.paragraphs)
('S/RES/1373 (2001)', 19)
>>> result = ctkg.build(corpus="demo", store="memory:")
>>> rows = ctkg.query(result.store_handle, "reporting-lines", reporter="CTED")
>>> [(r["reporter"], r["recipient"], r["deadline"]) for r in rows]
[('CTED', 'CTC', '2017-10-12')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ctkg.check import CheckReport
from ctkg.corpus import corpus_paths, demo_paths
from ctkg.errors import CtkgError
from ctkg.extract import extract_document
from ctkg.ingest import read_source
from ctkg.model import Document
from ctkg.pipeline import BuildResult, build_documents
from ctkg.query.catalog import QuerySpec, catalog, get_query, parse_query_file
from ctkg.query.run import Results, run_query
from ctkg.reason import HermitResult, Materialised
from ctkg.report import QualityReport, corpus_report
from ctkg.store.local import OxigraphStore, open_store, updating
from ctkg.store.remote import RemoteStore, is_remote
from ctkg.validate import ValidationReport, validate_store

StoreLike = OxigraphStore | RemoteStore | str | Path | None


@dataclass
class Build(BuildResult):
    """A build result that keeps the store it wrote (useful for ``memory:`` stores)."""

    store_handle: OxigraphStore | None = None


def _store(store: StoreLike, *, create: bool = False) -> OxigraphStore:
    if isinstance(store, OxigraphStore):
        return store
    if isinstance(store, RemoteStore) or is_remote(store):
        raise CtkgError(f"{store}: a SPARQL server can be queried and pushed to, nothing else")
    return open_store(store, create=create)


@contextmanager
def _using(store: StoreLike, *, create: bool = False) -> Iterator[OxigraphStore]:
    """Open ``store`` for one call; a store the caller passed in stays open."""
    handle = _store(store, create=create)
    try:
        yield handle
    finally:
        if handle is not store and handle.location != "memory:":
            handle.close()


def extract(path: str | Path, *, use_index: bool = True) -> Document:
    """Read one source file and extract its resolution (no store involved)."""
    return extract_document(read_source(path), use_index=use_index)


def build(
    paths: Iterable[str | Path] | None = None,
    store: StoreLike = None,
    *,
    corpus: str = "ct",
    progress: Callable[[str], None] | None = None,
) -> Build:
    """Extract texts into ``store`` (the default store if None).

    With ``paths``, exactly those files (a text that breaks off is refused).
    Without, a set from the bundled corpus: ``corpus="ct"`` (default) the
    counter-terrorism resolutions, found by content (topic tag ``terrorism``);
    ``"all"`` all 1,212 texts; ``"demo"`` the four foundation documents.
    """
    files: Sequence[str | Path]
    if paths is not None:
        files, select, partial = list(paths), None, False
    elif corpus in CORPORA:
        files, select, partial = CORPORA[corpus]()
    else:
        raise CtkgError(f"unknown corpus {corpus!r}; choose one of {', '.join(CORPORA)}")
    if isinstance(store, OxigraphStore) or str(store) == "memory:":
        with _using(store, create=True) as handle:
            result = build_documents(files, handle, progress=progress, select=select, allow_partial=partial)
            return Build(store=result.store, built=result.built, failures=result.failures, store_handle=handle,
                         lineage=result.lineage)
    if isinstance(store, RemoteStore) or is_remote(store):
        raise CtkgError(f"{store}: build into a local store, then `ctkg push` it to the server")
    with updating(store) as handle:  # atomic: a killed build leaves the previous store in use
        result = build_documents(files, handle, progress=progress, select=select, allow_partial=partial)
    return Build(store=result.store, built=result.built, failures=result.failures, store_handle=None,
                 lineage=result.lineage)


Selection = tuple[Sequence[str | Path], Callable[[Document], bool] | None, bool]
CORPORA: dict[str, Callable[[], Selection]] = {
    "ct": lambda: (corpus_paths(), is_counter_terrorism, True),
    "all": lambda: (corpus_paths(), None, True),
    "demo": lambda: (demo_paths(), None, False),
}


def is_counter_terrorism(doc: Document) -> bool:
    """Is the resolution tagged ``terrorism`` by its content?"""
    return any(t.topic == "terrorism" for t in doc.resolution.topics)


def query(store: StoreLike, name: str | QuerySpec | Path, /, **params: object) -> list[dict[str, object]]:
    """Run a named catalogue query (or a .rq file) and return rows as dictionaries."""
    return query_results(store, name, params).dicts()


def query_results(store: StoreLike, name: str | QuerySpec | Path, params: dict[str, object] | None = None) -> Results:
    """Like :func:`query`, but return the full :class:`Results` (for JSON/CSV output)."""
    if isinstance(name, QuerySpec):
        spec = name
    elif isinstance(name, Path) or str(name).endswith(".rq"):
        spec = parse_query_file(Path(name), strict=False)
    else:
        spec = get_query(str(name))
    if isinstance(store, RemoteStore) or is_remote(store):
        remote = store if isinstance(store, RemoteStore) else RemoteStore(str(store))
        return run_query(remote, spec, params or {})
    with _using(store) as handle:
        return run_query(handle, spec, params or {})


def queries() -> list[QuerySpec]:
    """The query catalogue, sorted by name."""
    return [spec for _, spec in sorted(catalog().items())]


def report(
    out_dir: str | Path | None = None,
    paths: Iterable[str | Path] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> QualityReport:
    """Assess every text (default: the whole bundled corpus); with ``out_dir``, write
    ``quality-report.md`` and ``quality-report.csv`` there."""
    result = corpus_report(list(paths) if paths is not None else corpus_paths(), progress)
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "quality-report.md").write_text(result.to_markdown(), "utf-8")
        (out / "quality-report.csv").write_text(result.to_csv(), "utf-8")
    return result


def reason(
    store: StoreLike = None, *, hermit: bool = False, classify: bool = False
) -> tuple[Materialised, HermitResult | None]:
    """Materialise inverse and transitive consequences into the inferred graph (OWL 2 RL);
    with ``hermit``, also check the ontology plus the resolution graphs with HermiT
    (``classify``: and list the members of the defined classes; slow on large stores)."""
    from ctkg.reason import hermit as run_hermit
    from ctkg.reason import materialise

    with _using(store) as handle:
        done = materialise(handle)
        return done, (run_hermit(handle, classify=classify) if hermit or classify else None)


def check(store: StoreLike = None) -> CheckReport:
    """Run the ontology quality checks (``queries/qc/*-violation.rq``) against the store."""
    from ctkg.check import run_checks

    with _using(store) as handle:
        return run_checks(handle)


def docs(out_dir: str | Path) -> Path:
    """Generate the ontology documentation page into ``out_dir``."""
    from ctkg.docs import write_docs

    return write_docs(out_dir)


def resolution_symbol(resolution: str | int) -> str:
    """ "2322" or 2322 -> "S/RES/2322 (2016)" (the year from the UN index, else from the bundled
    corpus, whose texts run past the index, e.g. 2617 (2021)); a symbol stays as it is."""
    text = str(resolution).strip()
    if text.isdigit():
        from ctkg.corpus import resolution_paths
        from ctkg.ingest.index import load_index

        entry = load_index().get(int(text))
        if entry is not None:
            return entry.symbol
        years = [p.stem.split("_")[1] for p in resolution_paths() if p.stem.split("_")[0] == text]
        if len(years) == 1:
            return f"S/RES/{text} ({years[0]})"
        raise CtkgError(f"resolution {text} is neither in the UN index nor in the bundled corpus; "
                        f"give its symbol, e.g. 'S/RES/{text} (YYYY)'")
    return text


def lineage(resolution: str | int, paragraph: str, store: StoreLike = None) -> list[dict[str, object]]:
    """The lineage of a paragraph's clauses back to their first appearance (catalogue query
    ``clause-lineage``): one dict per link with its type, similarity, basis and matched passages."""
    return query(store, "clause-lineage", resolution=resolution_symbol(resolution), paragraph=str(paragraph))


def validate(store: StoreLike = None, engine: str = "sparql") -> ValidationReport:
    """SHACL-validate the store: ``engine`` "sparql" (shapes compiled to SPARQL, whole store at
    once) or "pyshacl" (the reference validator, resolution graph by resolution graph)."""
    with _using(store) as handle:
        return validate_store(handle, engine)


__all__ = [
    "CORPORA",
    "Build",
    "build",
    "check",
    "docs",
    "extract",
    "is_counter_terrorism",
    "lineage",
    "queries",
    "query",
    "query_results",
    "reason",
    "report",
    "resolution_symbol",
    "validate",
]
