"""Performance benchmark suite for issue #9: every figure printed beside its target.

Five parts, each measured side by side in one run on the same input (the machine is shared, so
compare within a run and read the ratios):

1. Whole-corpus build (1,212 texts, ``allow_partial=True`` as ``ctkg build --all``), stage by stage
   (read, extract serial and parallel, graph, load into a disk store, lineage, index graph, SPARQL
   validation): wall time, CPU time (this process and its worker processes) and peak memory; then
   the end-to-end ``ctkg.build(corpus="all", store=DIR)`` + ``ctkg.validate(DIR)`` in a subprocess
   under ``/usr/bin/time -v``; then the plain reference (rdflib Graph + pySHACL on the whole graph)
   against the ctkg path on the same evenly spaced sample of documents, scaled to the whole corpus.
   Targets: build with validation < 20 s, peak memory < 1 GB, >= 10x faster than the reference.
2. Extraction alone (text -> model): serial and parallel (target < 5 s), a cProfile of the serial
   run (top 15 by cumulative and by own time), and growth with 1x, 4x, 16x concatenated inputs.
3. Every catalogue query (header example parameters, as tests/test_catalogue.py binds them) on the
   whole-corpus store: median and p95 over ``--repeat`` runs in-process (target median < 50 ms);
   the same query on rdflib's in-memory Dataset (default graph = union) of the counter-terrorism
   subset, once each in a worker subprocess with a timeout, against Oxigraph on the same subset
   (target >= 10x faster).
4. Scale: the corpus multiplied k times with fresh IRIs (``res/1373-2001`` -> ``res/k3x1373-2001``,
   symbols ``S/RES/k3x1373 (2001)``), bulk-loaded into a disk store in a subprocess: load time, store
   size, peak memory, latency of core queries; at the largest size an Oxigraph server
   (``oxigraph serve-read-only``) queried over HTTP.
5. Incremental build: one new resolution added to the whole-corpus store with
   ``ctkg.build([path], store=DIR)``: the total and its parts (target < 1 s).

    python bench/perf_bench.py                       # the default run (~15-20 minutes on 2 cores)
    python bench/perf_bench.py --quick --skip-scale  # a shorter run
    python bench/perf_bench.py --parts 3 --store DIR # only the queries, on an existing whole-corpus store
    python bench/perf_bench.py --profile-build       # also: cProfile of a whole serial build + validation
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import json
import math
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE")
CORES = os.cpu_count() or 1

TARGET_BUILD_S = 20.0
TARGET_MEMORY = 1e9
TARGET_SPEEDUP = 10.0
TARGET_EXTRACT_S = 5.0
TARGET_QUERY_MS = 50.0
TARGET_INCREMENTAL_S = 1.0

CORE_QUERIES: dict[str, dict[str, object]] = {
    "obligations": {"actor": "CTED"},
    "citations": {"resolution": "S/RES/1373 (2001)"},
    "reporting-lines": {"recipient": "CTC"},
    "most-cited": {"minimum": 20},
}
"""Part 4's core queries with their parameters (the README's examples)."""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def out(msg: str = "") -> None:
    print(msg, flush=True)


# --- measuring: wall, CPU (this process + reaped children), peak memory sampled from /proc -----------

def rss_of(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_of(pid: int) -> int:
    """Proportional set size (shared pages split among the processes sharing them), bytes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                s = f.read()
            children[int(s[s.rindex(b")") + 2:].split()[1])].append(int(d))
        except (OSError, ValueError, IndexError):
            continue
    found: list[int] = []
    todo = [root]
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    return found


class Sampler:
    """Samples, in a thread, the RSS of this process (every ``interval`` s, from statm) and the PSS
    summed over a process tree (every ``tree_interval`` s: this process and its descendants, or the
    tree under ``root``).  Its own CPU time is kept so it can be subtracted from the stage's."""

    def __init__(self, root: int | None = None, interval: float = 0.01, tree_interval: float = 0.2) -> None:
        self.root = root
        self.interval = interval
        self.tree_interval = tree_interval
        self.peak_rss = rss_of() if root is None else 0
        self.peak_tree = 0
        self.peak_single = 0  # the largest single process of the tree (RSS)
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> None:
        root = self.root if self.root is not None else os.getpid()
        pids = [root, *descendants(root)]
        self.peak_tree = max(self.peak_tree, sum(pss_of(p) for p in pids))
        self.peak_single = max([self.peak_single, *(rss_of(p) for p in pids)])

    def _run(self) -> None:
        next_tree = 0.0
        while not self._stop.is_set():
            if self.root is None:
                self.peak_rss = max(self.peak_rss, rss_of())
            now = time.monotonic()
            if now >= next_tree:
                self._tree()
                next_tree = now + self.tree_interval
            self._stop.wait(self.interval)
        self._tree()
        self.cpu = time.thread_time()

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self.root is None:
            self.peak_rss = max(self.peak_rss, rss_of())


def children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@dataclass
class Stage:
    name: str
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss: int = 0
    peak_tree: int = 0
    note: str = ""


@contextlib.contextmanager
def measure(stage: Stage) -> Iterator[Stage]:
    with Sampler() as s:
        w0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
        try:
            yield stage
        finally:
            stage.wall = time.perf_counter() - w0
            c1, k1 = time.process_time(), children_cpu()
    stage.cpu = (c1 - c0 - s.cpu) + (k1 - k0)
    stage.peak_rss, stage.peak_tree = s.peak_rss, s.peak_tree


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def secs(x: float) -> str:
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def ms(x: float) -> str:
    x *= 1000
    return f"{x:.1f}" if x < 100 else f"{x:,.0f}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def du(path: str | Path) -> int:
    return sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(path) for f in fs
               if not os.path.islink(os.path.join(dp, f)))


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> None:
    align = align or "l" + "r" * (len(header) - 1)
    out("| " + " | ".join(header) + " |")
    out("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    for r in rows:
        out("| " + " | ".join(r) + " |")
    out()


def timed_subprocess(cmd: list[str], timeout: float | None = None, env: dict[str, str] | None = None
                     ) -> tuple[subprocess.CompletedProcess[str], float, Sampler, dict[str, float]]:
    """Run ``cmd`` under ``/usr/bin/time -v`` (when installed): the result, wall seconds, a sampler of the
    process tree (PSS) and GNU time's figures (max_rss bytes of the largest process, user, sys)."""
    gnu_time = Path("/usr/bin/time").exists()
    full = ["/usr/bin/time", "-v", *cmd] if gnu_time else cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with Sampler(root=proc.pid, interval=0.05, tree_interval=0.2) as sampler:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    figures: dict[str, float] = {}
    if gnu_time:
        for key, pat in (("max_rss", r"Maximum resident set size \(kbytes\): (\d+)"),
                         ("user", r"User time \(seconds\): ([\d.]+)"), ("sys", r"System time \(seconds\): ([\d.]+)")):
            m = re.search(pat, stderr)
            if m:
                figures[key] = float(m.group(1)) * (1024 if key == "max_rss" else 1)
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr), wall, sampler, figures


# --- the run's shared state -------------------------------------------------------------------------

@dataclass
class Summary:
    figure: str
    measured: str
    target: str
    ok: bool | None  # None: no target (information)


@dataclass
class Context:
    args: argparse.Namespace
    work: Path
    paths: list[Path] = field(default_factory=list)
    sources: list[Any] = field(default_factory=list)
    docs: list[Any] = field(default_factory=list)
    extract_serial: float | None = None
    extract_parallel: float | None = None
    e2e_store: str | None = None
    e2e_wall: float | None = None
    whole_quads: int = 0
    summary: list[Summary] = field(default_factory=list)

    def add(self, figure: str, measured: str, target: str, ok: bool | None) -> None:
        self.summary.append(Summary(figure, measured, target, ok))


def evenly_spaced(items: list[Any], n: int) -> list[Any]:
    if n <= 0 or n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def ensure_sources(ctx: Context) -> None:
    from ctkg.corpus import corpus_paths
    from ctkg.ingest import read_source

    if not ctx.paths:
        ctx.paths = corpus_paths()
    if not ctx.sources:
        ctx.sources = [read_source(p) for p in ctx.paths]


def ensure_docs(ctx: Context) -> None:
    from ctkg.extract import extract_document

    ensure_sources(ctx)
    if not ctx.docs:
        t = time.perf_counter()
        ctx.docs = [extract_document(s, allow_partial=True) for s in ctx.sources]
        ctx.extract_serial = ctx.extract_serial or time.perf_counter() - t


def parallel_extract(paths: list[Path], workers: int) -> list[Any]:
    """Extraction alone (no graph) in a pool like the pipeline's (fork, one worker per core)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_extract_path, [str(p) for p in paths], chunksize=8)


def _extract_path(path: str) -> Any:
    from ctkg.extract import extract_document
    from ctkg.ingest import read_source

    return extract_document(read_source(path), allow_partial=True)


def ensure_e2e_store(ctx: Context) -> str:
    """A whole-corpus store built by ``ctkg.build(corpus="all")`` (part 1's, ``--store``, or built now)."""
    if ctx.e2e_store:
        return ctx.e2e_store
    if ctx.args.store:
        ctx.e2e_store = ctx.args.store
        return ctx.e2e_store
    location = str(ctx.work / "e2e-store")
    log("building a whole-corpus store for the later parts (ctkg.build(corpus='all'))")
    subprocess.run([sys.executable, "-c", "import ctkg, sys; ctkg.build(corpus='all', store=sys.argv[1])", location],
                   check=True)
    ctx.e2e_store = location
    return location


# --- part 1: whole-corpus build ---------------------------------------------------------------------

E2E_CODE = r"""
import json, sys, time
t0 = time.perf_counter()
import ctkg
t1 = time.perf_counter()
b = ctkg.build(corpus="all", store=sys.argv[1])
t2 = time.perf_counter()
r = ctkg.validate(sys.argv[1])
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "validate": t3 - t2, "documents": len(b.built),
                  "failures": len(b.failures), "triples": b.totals()["triples"],
                  "lineage": b.lineage.seconds if b.lineage else None,
                  "violations": len(r.violations), "warnings": len(r.warnings)}))
"""


def part1_end_to_end(ctx: Context) -> None:
    location = str(ctx.work / "e2e-store")
    log("part 1: end to end: ctkg.build(corpus='all') + ctkg.validate in a subprocess")
    proc, wall, sampler, gnu = timed_subprocess([sys.executable, "-c", E2E_CODE, location])
    if proc.returncode != 0:
        raise RuntimeError(f"the end-to-end build failed:\n{proc.stderr[-3000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    ctx.e2e_store, ctx.e2e_wall = location, wall
    size = du(location)
    largest = gnu.get("max_rss", sampler.peak_single)
    peak = max(largest, sampler.peak_tree)
    cpu = gnu.get("user", 0) + gnu.get("sys", 0)
    out("### 1b. End to end: `ctkg.build(corpus=\"all\", store=DIR)` then `ctkg.validate(DIR)`, one subprocess")
    out()
    table(["figure", "measured", "target"], [
        ["wall time (process start to exit)", f"{wall:.1f} s", f"< {TARGET_BUILD_S:.0f} s: **{met(wall < TARGET_BUILD_S)}**"],
        ["  of which: interpreter + `import ctkg`", f"{info['import']:.1f} s", ""],
        ["  of which: `ctkg.build(corpus=\"all\")`", f"{info['build']:.1f} s (lineage {info['lineage']} s)", ""],
        ["  of which: `ctkg.validate` (SPARQL engine)", f"{info['validate']:.1f} s", ""],
        ["CPU time (user + sys, all processes)", f"{cpu:.1f} s", ""],
        ["peak RSS of the largest process (GNU time)", mb(largest), ""],
        ["peak PSS of the process tree (sampled, workers included)", mb(sampler.peak_tree), ""],
        ["peak memory (the larger of the two)", mb(peak), f"< 1 GB: **{met(peak < TARGET_MEMORY)}**"],
        ["result", f"{info['documents']} documents, {info['failures']} failures, {info['triples']:,} triples; "
                   f"{info['violations']} violations, {info['warnings']} warnings", ""],
        ["store on disk", mb(size), ""],
    ], "lrl")
    ctx.add("1. full build + validation, end to end", f"{wall:.1f} s", f"< {TARGET_BUILD_S:.0f} s", wall < TARGET_BUILD_S)
    ctx.add("1. peak memory of the full build + validation", mb(peak), "< 1 GB", peak < TARGET_MEMORY)


def part1_stages(ctx: Context) -> None:
    from ctkg.corpus import corpus_paths
    from ctkg.extract import extract_document
    from ctkg.graph.build import document_triples, to_nquads
    from ctkg.graph.iris import graph_iri
    from ctkg.ingest import read_source
    from ctkg.lineage.refresh import refresh_lineage
    from ctkg.pipeline import load_vocabularies, refresh_index_graph
    from ctkg.store.local import open_store
    from ctkg.validate import validate_store

    ctx.paths = corpus_paths()
    stages: list[Stage] = []

    def run(name: str, fn: Callable[[], str]) -> Stage:
        log(f"part 1: stage {name}")
        st = Stage(name)
        with measure(st):
            st.note = fn()
        stages.append(st)
        return st

    def read() -> str:
        ctx.sources = [read_source(p) for p in ctx.paths]
        chars = sum(s.end - s.start for s in ctx.sources)
        return f"{len(ctx.sources):,} texts, {chars / 1e6:.1f} M characters"

    def extract() -> str:
        ctx.docs = [extract_document(s, allow_partial=True) for s in ctx.sources]
        paras = sum(len(d.resolution.all_paragraphs()) for d in ctx.docs)
        clauses = sum(len(d.resolution.clauses) for d in ctx.docs)
        return f"{paras:,} paragraphs, {clauses:,} clauses"

    def extract_parallel() -> str:
        docs = parallel_extract(ctx.paths, CORES)
        same = len(docs) == len(ctx.docs) and all(
            a.resolution.symbol == b.resolution.symbol for a, b in zip(docs, ctx.docs, strict=False))
        return f"{len(docs):,} documents, {CORES} worker processes (includes reading); same documents: {same}"

    written: list[tuple[str, str]] = []

    def graph() -> str:
        n = 0
        for d in ctx.docs:
            g = graph_iri(d.resolution.number, d.resolution.year)
            t = document_triples(d)
            n += len(t)
            written.append((str(g), to_nquads(t, g)))
        return f"{n:,} triples, {sum(len(nq) for _, nq in written) / 1e6:,.0f} MB of N-Quads"

    location = ctx.work / "stage-store"
    store = open_store(str(location))

    def load() -> str:
        load_vocabularies(store)
        store.replace_graphs(written)
        store.flush()
        return f"{len(store):,} quads (bulk path: replace_graphs)"

    def lineage() -> str:
        s = refresh_lineage(store, ctx.docs)
        return f"{s.links:,} links, {s.mandate_events} mandate events, {s.triples:,} triples"

    def index() -> str:
        n = refresh_index_graph(store)
        store.flush()
        return f"{n:,} index-only resolutions"

    def validate() -> str:
        r = validate_store(store, "sparql", workers=CORES)
        return f"{r.graphs} graphs, {len(r.violations)} violations, {len(r.warnings)} warnings; {CORES} workers"

    run("read (decode, locate)", read)
    ser = run("extract, serial (text -> model)", extract)
    par = run("extract, parallel (pipeline worker pool)", extract_parallel)
    ctx.extract_serial, ctx.extract_parallel = ser.wall, par.wall
    run("graph (document_triples + to_nquads)", graph)
    run("load into a disk store (bulk)", load)
    del written[:]
    run("lineage (refresh_lineage)", lineage)
    run("index graph (refresh_index_graph)", index)
    ctx.whole_quads = len(store)
    run("validate (SPARQL engine)", validate)
    store.close()
    size = du(location)
    shutil.rmtree(location, ignore_errors=True)

    out("### 1a. Whole-corpus build, stage by stage (in this process; CPU includes worker processes)")
    out()
    table(["stage", "wall s", "CPU s", "peak RSS (this process)", "peak PSS (process tree)", "note"],
          [[s.name, secs(s.wall), secs(s.cpu), mb(s.peak_rss), mb(s.peak_tree), s.note] for s in stages],
          "lrrrrl")
    pipeline_stages = [s for s in stages if s.name not in ("read (decode, locate)", "extract, serial (text -> model)")]
    total = sum(s.wall for s in pipeline_stages)
    out(f"Sum of the pipeline's stages (parallel extraction, which reads too; graph; load; lineage; index; validate): "
        f"**{total:.1f} s** (target for the whole build with validation < {TARGET_BUILD_S:.0f} s); store on disk "
        f"{mb(size)}, {ctx.whole_quads:,} quads.")
    out()
    for s in sorted(pipeline_stages, key=lambda s: -s.wall):
        out(f"- {s.name}: {s.wall / total:.0%} of the sum")
    out()


def part1_reference(ctx: Context) -> None:
    """ctkg against the plain way (rdflib Graph + pySHACL over the whole graph), on the same sample."""
    import warnings

    from ctkg.extract import extract_document
    from ctkg.graph.build import document_triples, to_nquads
    from ctkg.graph.iris import graph_iri
    from ctkg.ingest import read_source
    from ctkg.pipeline import build_documents
    from ctkg.resources import ontology_files, shapes_file
    from ctkg.store.local import open_store, updating
    from ctkg.validate import validate_store

    ensure_sources(ctx)
    n = ctx.args.reference_docs
    sample = evenly_spaced(ctx.paths, n)
    n = len(sample)
    location = ctx.work / "sample-store"
    log(f"part 1: reference: ctkg on {n} documents")
    st_build, st_val = Stage("ctkg: build (pipeline, atomic store)"), Stage("ctkg: validate (SPARQL engine)")
    with measure(st_build), updating(location) as handle:
        res = build_documents(sample, handle, allow_partial=True)
    with open_store(location, create=False) as store:
        with measure(st_val):
            rep = validate_store(store, "sparql", workers=CORES)
        quads = len(store)
        nq = store.dump_nquads().decode("utf-8")
    st_build.note = f"{len(res.built)} documents, {res.totals()['triples']:,} triples; {quads:,} quads in the store"
    st_val.note = f"{len(rep.violations)} violations, {len(rep.warnings)} warnings"

    # the plain way: the same extraction (serial), then the same quads in one rdflib Graph, then pySHACL
    log(f"part 1: reference: rdflib + pySHACL on the same {n} documents")
    st_ex = Stage("plain: extract + graph, serial")
    with measure(st_ex):
        for p in sample:
            d = extract_document(read_source(p), allow_partial=True)
            to_nquads(document_triples(d), graph_iri(d.resolution.number, d.resolution.year))
    nt = "".join(line.rsplit(" <", 1)[0] + " .\n" for line in nq.splitlines() if line)  # the union: drop graph names
    del nq
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    st_load, st_shacl = Stage("plain: parse into an rdflib Graph"), Stage("plain: pySHACL on the whole graph")
    with measure(st_load):
        data = Graph()
        data.parse(data=nt, format="nt")
        shapes = Graph().parse(shapes_file(), format="turtle")
        ontology = Graph()
        for f in ontology_files():
            ontology.parse(f, format="turtle")
    st_load.note = f"{len(data):,} triples (union of the graphs)"
    del nt
    with measure(st_shacl), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        conforms, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                             advanced=True)
    from rdflib.namespace import RDF, SH

    results = list(report.subjects(RDF.type, SH.ValidationResult))
    st_shacl.note = f"conforms={conforms}, {len(results)} results"
    del data, report

    ctkg_total = st_build.wall + st_val.wall
    ref_total = st_ex.wall + st_load.wall + st_shacl.wall
    ratio = ref_total / ctkg_total
    lv_ratio = (st_load.wall + st_shacl.wall) / st_val.wall
    # scaled to the whole corpus: extraction by documents, loading and validation by quads
    whole_quads = ctx.whole_quads or quads * len(ctx.paths) / n
    factor_docs, factor_quads = len(ctx.paths) / n, whole_quads / quads
    est_ref = st_ex.wall * factor_docs + (st_load.wall + st_shacl.wall) * factor_quads
    est_ctkg = ctx.e2e_wall or ctkg_total * factor_quads
    out(f"### 1c. Against the plain reference, on the same {n} evenly spaced documents")
    out()
    rows = [[s.name, secs(s.wall), secs(s.cpu), mb(s.peak_rss), s.note]
            for s in (st_build, st_val, st_ex, st_load, st_shacl)]
    table(["step", "wall s", "CPU s", "peak RSS", "note"], rows, "lrrrl")
    table(["figure", "ctkg", "plain (rdflib + pySHACL)", "ratio", "target"], [
        [f"build + validate, {n} documents", f"{ctkg_total:.1f} s", f"{ref_total:.1f} s", f"{ratio:.1f}x",
         f">= {TARGET_SPEEDUP:.0f}x: **{met(ratio >= TARGET_SPEEDUP)}**"],
        [f"load + validate only, {n} documents", f"{st_val.wall:.1f} s (validate; load is in the build)",
         f"{st_load.wall + st_shacl.wall:.1f} s", f"{lv_ratio:.1f}x", ""],
        [f"whole corpus (scaled from {n} documents)",
         f"{est_ctkg:.1f} s" + (" (measured, 1b)" if ctx.e2e_wall else " (scaled)"),
         f"{est_ref:.0f} s (scaled from {n} documents)", f"{est_ref / est_ctkg:.1f}x",
         f">= {TARGET_SPEEDUP:.0f}x: **{met(est_ref / est_ctkg >= TARGET_SPEEDUP)}**"],
    ], "lrrrl")
    out(f"The plain estimate scales extraction by documents (x{factor_docs:.1f}) and loading + pySHACL linearly by "
        f"quads (x{factor_quads:.1f}); pySHACL over one graph grows faster than linearly, so it is a lower bound.")
    out()
    ctx.add(f"1. speed-up over rdflib + pySHACL ({n} documents)", f"{ratio:.1f}x", f">= {TARGET_SPEEDUP:.0f}x",
            ratio >= TARGET_SPEEDUP)
    ctx.add(f"1. speed-up, whole corpus (scaled from {n} documents)", f"{est_ref / est_ctkg:.1f}x",
            f">= {TARGET_SPEEDUP:.0f}x", est_ref / est_ctkg >= TARGET_SPEEDUP)
    shutil.rmtree(location, ignore_errors=True)


# --- part 2: extraction alone -----------------------------------------------------------------------

def part2_extraction(ctx: Context) -> None:
    from ctkg.corpus import corpus_dir
    from ctkg.extract import extract_document
    from ctkg.ingest import read_source

    ensure_sources(ctx)
    if ctx.extract_serial is None:
        log("part 2: serial extraction")
        ensure_docs(ctx)
    if ctx.extract_parallel is None:
        log("part 2: parallel extraction")
        t = time.perf_counter()
        parallel_extract(ctx.paths, CORES)
        ctx.extract_parallel = time.perf_counter() - t
    assert ctx.extract_serial is not None and ctx.extract_parallel is not None
    chars = sum(s.end - s.start for s in ctx.sources)
    out("### 2a. Extraction alone (text -> model, no RDF), whole corpus")
    out()
    table(["run", "wall s", "chars/s", "target"], [
        ["serial (this process)", secs(ctx.extract_serial), f"{chars / ctx.extract_serial:,.0f}",
         f"< {TARGET_EXTRACT_S:.0f} s: **{met(ctx.extract_serial < TARGET_EXTRACT_S)}**"],
        [f"parallel ({CORES} workers, reading included)", secs(ctx.extract_parallel),
         f"{chars / ctx.extract_parallel:,.0f}",
         f"< {TARGET_EXTRACT_S:.0f} s: **{met(ctx.extract_parallel < TARGET_EXTRACT_S)}**"],
    ], "lrrl")
    out(f"Parallel speed-up {ctx.extract_serial / ctx.extract_parallel:.2f}x on {CORES} cores.")
    out()
    ctx.add("2. extraction, whole corpus (parallel)", f"{ctx.extract_parallel:.1f} s", f"< {TARGET_EXTRACT_S:.0f} s",
            ctx.extract_parallel < TARGET_EXTRACT_S)
    ctx.add("2. extraction, whole corpus (serial)", f"{ctx.extract_serial:.1f} s", f"< {TARGET_EXTRACT_S:.0f} s",
            ctx.extract_serial < TARGET_EXTRACT_S)

    sample = evenly_spaced(ctx.sources, ctx.args.profile_docs)
    log(f"part 2: cProfile of the serial extraction of {len(sample)} texts")
    prof, under = profile_extraction(sample)
    prof.dump_stats(str(ctx.work / "extract.prof"))
    out(f"### 2b. cProfile of the serial extraction: {len(sample)} evenly spaced texts of {len(ctx.sources)} "
        f"({under:.1f} s under the profiler)")
    out()
    print_profile(prof, 15, ("cumulative", "tottime"))

    log("part 2: scaling with concatenated input")
    base = (corpus_dir() / "unsc" / "1373_2001.txt").read_text("utf-8")
    body = base[base.index("1. Decides"):]
    factors = (1, 4) if ctx.args.quick else (1, 4, 16)
    rows = []
    first = 0.0
    for k in factors:
        text = base + ("\n\n" + body) * (40 * k)
        data = text.encode("utf-8")
        runs = []
        for _ in range(3 if k < 16 else 1):
            t = time.perf_counter()
            extract_document(read_source("long.txt", data=data), use_index=False)
            runs.append(time.perf_counter() - t)
        sec = statistics.median(runs)
        first = first or sec
        rows.append([f"{k}x", f"{len(text):,}", secs(sec), f"{len(text) / sec:,.0f}", f"{sec / first:.1f}",
                     f"{k}"])
    out("### 2d. Growth with the input: one long resolution (1373 (2001)'s operative part concatenated 40k times)")
    out()
    table(["input", "characters", "seconds", "chars/s", "ratio to 1x", "linear ratio"], rows)
    last = float(rows[-1][4])
    k = factors[-1]
    linear = last <= k * 1.25
    out(f"{k}x the input took {last:.1f}x the time (linear: {k}x; within 25%: {met(linear)}).")
    out()
    ctx.add(f"2. extraction grows linearly ({k}x input)", f"{last:.1f}x time", f"<= {k * 1.25:.0f}x", linear)


def profile_extraction(sources: list[Any]) -> tuple[cProfile.Profile, float]:
    from ctkg.extract import extract_document

    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for s in sources:
        extract_document(s, allow_partial=True)
    prof.disable()
    return prof, time.perf_counter() - t


def print_profile(prof: cProfile.Profile, n: int, keys: tuple[str, ...]) -> None:
    labels = {"cumulative": "cumulative time", "tottime": "own time (tottime)"}
    for key in keys:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(n)
        text = buf.getvalue()
        out(f"Top {n} by {labels[key]}:")
        out()
        out("```text")
        out(text[text.index("   ncalls"):].rstrip() if "   ncalls" in text else text.rstrip())
        out("```")
        out()


# --- part 3: the query catalogue --------------------------------------------------------------------

def run_timed(store: Any, spec: Any, params: dict[str, object], repeat: int, budget: float
              ) -> tuple[list[float], int]:
    """A first run (kept only when it alone used half the budget), then up to ``repeat`` runs within
    ``budget`` seconds.  Returns the timings and the row count."""
    from ctkg.query.run import run_query

    t = time.perf_counter()
    res = run_query(store, spec, params)
    first = time.perf_counter() - t
    if first > budget / 2:
        return [first], len(res.rows)
    times: list[float] = []
    while len(times) < repeat and sum(times) < budget:
        t = time.perf_counter()
        run_query(store, spec, params)
        times.append(time.perf_counter() - t)
    return times, len(res.rows)


RDFLIB_WORKER = "--rdflib-worker"


def rdflib_worker(nq_path: str, queries_path: str, timeout: float) -> int:
    """In a subprocess: load the N-Quads into rdflib's Dataset (default graph = union), then run each
    query once with a timeout (SIGALRM: rdflib is pure Python, so it is interrupted between bytecodes).
    Prints one JSON line per query."""
    import resource
    import warnings

    warnings.simplefilter("ignore")
    from rdflib import Dataset

    class Timeout(Exception):
        pass

    def alarm(signum: int, frame: object) -> None:
        raise Timeout

    signal.signal(signal.SIGALRM, alarm)
    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(nq_path, format="nquads")
    print(json.dumps({"load": time.perf_counter() - t, "quads": len(ds),
                      "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}), flush=True)
    for name, sparql in json.loads(Path(queries_path).read_text("utf-8")):
        entry: dict[str, object] = {"name": name}
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            entry["rows"] = len(list(ds.query(sparql)))
            entry["seconds"] = time.perf_counter() - t
        except Timeout:
            entry["timeout"] = True
        except Exception as exc:  # rdflib's own errors (e.g. NotBoundError): reported, not fatal
            entry["error"] = f"{type(exc).__name__}: {exc}"[:200]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps(entry), flush=True)
    return 0


def part3_queries(ctx: Context) -> None:
    from ctkg.api import is_counter_terrorism
    from ctkg.pipeline import build_documents
    from ctkg.query.bind import bind_values
    from ctkg.query.catalog import catalog
    from ctkg.store.local import open_store, updating

    args = ctx.args
    specs = sorted(catalog().items())
    location = ensure_e2e_store(ctx)
    whole: dict[str, tuple[list[float], int]] = {}
    with open_store(location, create=False) as store:
        quads = len(store)
        log(f"part 3: {len(specs)} catalogue queries on the whole-corpus store ({quads:,} quads)")
        for name, spec in specs:
            whole[name] = run_timed(store, spec, {p.name: p.example for p in spec.params}, args.repeat,
                                    args.query_budget)
            log(f"  {name}: median {ms(statistics.median(whole[name][0]))} ms")

    # the counter-terrorism subset: the same store `ctkg build` makes, on disk, and its N-Quads for rdflib
    ensure_sources(ctx)
    if not ctx.docs:
        ctx.docs = parallel_extract(ctx.paths, CORES)
    ct_paths = [p for p, d in zip(ctx.paths, ctx.docs, strict=True) if is_counter_terrorism(d)]
    sub_location = ctx.work / "ct-store"
    log(f"part 3: building the counter-terrorism subset ({len(ct_paths)} texts)")
    with updating(sub_location) as handle:
        build_documents(ct_paths, handle, allow_partial=True)
    nq_path = ctx.work / "ct.nq"
    sub: dict[str, tuple[list[float], int]] = {}
    with open_store(sub_location, create=False) as store:
        sub_quads = len(store)
        nq_path.write_bytes(store.dump_nquads())
        log(f"part 3: the queries on the subset store ({sub_quads:,} quads)")
        for name, spec in specs:
            sub[name] = run_timed(store, spec, {p.name: p.example for p in spec.params}, args.repeat,
                                  args.query_budget)

    rdf: dict[str, dict[str, Any]] = {}
    rdflib_load = ""
    if not args.skip_rdflib:
        queries = [(name, bind_values(spec.sparql, {p.name: p.example for p in spec.params},
                                      {p.name: p.type for p in spec.params})) for name, spec in specs]
        qpath = ctx.work / "queries.json"
        qpath.write_text(json.dumps(queries), "utf-8")
        log(f"part 3: rdflib on the subset, each query once, timeout {args.rdflib_timeout:.0f} s")
        limit = 300 + len(queries) * (args.rdflib_timeout + 10)
        proc, _, _, gnu = timed_subprocess(
            [sys.executable, __file__, RDFLIB_WORKER, str(nq_path), str(qpath), str(args.rdflib_timeout)],
            timeout=limit)
        lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
        if lines and "load" in lines[0]:
            head = lines.pop(0)
            rdflib_load = (f"rdflib Dataset: {head['quads']:,} quads loaded in {head['load']:.1f} s, "
                           f"peak RSS {mb(gnu.get('max_rss', head['rss']))}")
        rdf = {x["name"]: x for x in lines}
        if proc.returncode != 0:
            log(f"rdflib worker exited with {proc.returncode}: {proc.stderr[-500:]}")

    rows = []
    fast = faster = compared = 0
    slow_names = []
    for name, _ in specs:
        times, nrows = whole[name]
        med = statistics.median(times)
        sub_times, sub_rows = sub[name]
        sub_med = statistics.median(sub_times)
        fast += med * 1000 < TARGET_QUERY_MS
        if med * 1000 >= TARGET_QUERY_MS:
            slow_names.append(name)
        r = rdf.get(name)
        if r is None:
            rd, ratio, ok = "not run", "", None
        elif r.get("timeout"):
            lower = args.rdflib_timeout / sub_med
            rd, ratio, ok = f"> {args.rdflib_timeout:.0f} s", f"> {lower:,.0f}x", lower >= TARGET_SPEEDUP or None
        elif "error" in r:
            rd, ratio, ok = f"error: {r['error'][:60]}", "", None
        else:
            x = r["seconds"] / sub_med
            same = "" if r["rows"] == sub_rows else f" ({r['rows']} rows vs {sub_rows})"
            rd, ratio, ok = f"{ms(r['seconds'])}{same}", f"{x:,.0f}x" if x >= 10 else f"{x:.1f}x", x >= TARGET_SPEEDUP
        if ok is not None:
            compared += 1
            faster += ok
        rows.append([name, f"{nrows}", ms(med), ms(p95(times)), f"{len(times)}",
                     "yes" if med * 1000 < TARGET_QUERY_MS else "**no**", ms(sub_med), rd, ratio])
    out(f"### 3. The query catalogue ({len(specs)} queries, the header's example parameters)")
    out()
    out(f"Oxigraph in-process (`run_query`, pyoxigraph) on the whole-corpus store ({quads:,} quads): median and p95 "
        f"(nearest rank) over n runs (up to {args.repeat}, within {args.query_budget:.0f} s per query; a first run "
        f"is a warm-up unless it alone took half of that). Subset: the counter-terrorism store `ctkg build` makes "
        f"({len(ct_paths)} texts, {sub_quads:,} quads), the same N-Quads in rdflib's Dataset. Times in ms.")
    if rdflib_load:
        out(f"{rdflib_load}.")
    out()
    table(["query", "rows", "median (whole)", "p95 (whole)", "n", f"< {TARGET_QUERY_MS:.0f} ms",
           "median (subset)", "rdflib (subset)", "rdflib / Oxigraph"], rows, "lrrrrlrrr")
    out(f"Median < {TARGET_QUERY_MS:.0f} ms on the whole corpus: {fast} of {len(specs)} queries "
        f"(not: {', '.join(slow_names) or 'none'}). At least {TARGET_SPEEDUP:.0f}x faster than rdflib on the subset: "
        f"{faster} of {compared} compared queries (a timeout counts when the lower bound reaches the target).")
    out()
    ctx.add("3. catalogue queries with median < 50 ms (whole corpus)", f"{fast} of {len(specs)}",
            f"all {len(specs)}", fast == len(specs))
    if compared:
        ctx.add("3. queries >= 10x faster than rdflib (CT subset)", f"{faster} of {compared}", f"all {compared}",
                faster == compared)
    shutil.rmtree(sub_location, ignore_errors=True)
    with contextlib.suppress(OSError):
        nq_path.unlink()


# --- part 4: scale ----------------------------------------------------------------------------------

SHARED_GRAPHS = (b"/graph/ontology> .", b"/graph/actors> .")
REWRITE = (b"/id/res/", b"/graph/res/", b"/id/meeting/", b"/id/source/", b"/id/press-release/", b"S/RES/")


def copy_of(data: bytes, j: int) -> bytes:
    """Copy ``j`` of the corpus: every resolution, paragraph, clause, meeting and source IRI and every
    symbol gets a ``k{j}x`` prefix; actors, instruments and the vocabularies stay shared."""
    tag = f"k{j}x".encode()
    for old in REWRITE:
        data = data.replace(old, old + tag)
    return data


LOAD_CODE = r"""
import sys, time, pyoxigraph as ox
t = time.perf_counter()
st = ox.Store(sys.argv[1])
st.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
st.flush()
print(time.perf_counter() - t)
"""


def http_query(url: str, sparql: str, timeout: float = 120) -> tuple[float, int]:
    req = urllib.request.Request(url, data=sparql.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "application/sparql-results+json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        body = resp.read()
    return time.perf_counter() - t, len(json.loads(body)["results"]["bindings"])


def part4_scale(ctx: Context) -> None:
    import pyoxigraph as ox

    from ctkg.query.bind import bind_values
    from ctkg.query.catalog import catalog
    from ctkg.store.local import OxigraphStore, open_store

    args = ctx.args
    factors = sorted({int(x) for x in args.scale.split(",") if x.strip()})
    location = ensure_e2e_store(ctx)
    log("part 4: dumping the whole-corpus store")
    with open_store(location, create=False) as store:
        data = store.raw.dump(format=ox.RdfFormat.N_QUADS) or b""
    lines = data.split(b"\n")
    del data
    shared = b"".join(line + b"\n" for line in lines if line and line.endswith(SHARED_GRAPHS))
    per_copy = b"".join(line + b"\n" for line in lines if line and not line.endswith(SHARED_GRAPHS))
    base_lines = sum(1 for line in lines if line)
    del lines
    copy_lines = per_copy.count(b"\n")
    free = shutil.disk_usage(ctx.work).free
    cat = catalog()
    rows: list[list[str]] = []
    summary_rows: list[tuple[int, float]] = []
    last_store: str | None = None
    last_lat: dict[str, float] = {}
    cli_row: list[str] | None = None
    for k in factors:
        need = (len(shared) + len(per_copy) * k) * 2.2
        if need > free * 0.8:
            out(f"{k}x skipped: needs about {mb(need)} on disk, {mb(free)} free")
            continue
        nq = ctx.work / f"scale-{k}.nq"
        log(f"part 4: writing {k}x N-Quads")
        t = time.perf_counter()
        with open(nq, "wb") as f:
            f.write(shared)
            f.write(per_copy)
            for j in range(1, k):
                f.write(copy_of(per_copy, j))
        gen = time.perf_counter() - t
        nq_size = nq.stat().st_size
        quads = len(shared.splitlines()) + copy_lines * k
        db = ctx.work / f"scale-{k}-db"
        log(f"part 4: bulk-loading {k}x ({quads:,} quads, {mb(nq_size)}) in a subprocess")
        proc, _, sampler, gnu = timed_subprocess([sys.executable, "-c", LOAD_CODE, str(db), str(nq)])
        if proc.returncode != 0:
            out(f"{k}x: the load failed: {proc.stderr[-500:]}")
            continue
        load_s = float(proc.stdout.strip().splitlines()[-1])
        size = du(db)
        peak = max(gnu.get("max_rss", 0), sampler.peak_tree)
        if k == factors[0] and not args.quick and shutil.which("oxigraph"):
            cli_db = ctx.work / f"scale-{k}-cli"
            log(f"part 4: the same {k}x file with the `oxigraph load` CLI, for comparison")
            cproc, cwall, csampler, cgnu = timed_subprocess(
                ["oxigraph", "load", "--location", str(cli_db), "--file", str(nq)])
            if cproc.returncode == 0:
                cli_row = [f"{k}x", f"{quads:,}", f"pyoxigraph bulk_load {load_s:.1f} s, {mb(peak)}",
                           f"`oxigraph load` {cwall:.1f} s, {mb(max(cgnu.get('max_rss', 0), csampler.peak_tree))}",
                           f"{mb(du(cli_db))} on disk"]
            shutil.rmtree(cli_db, ignore_errors=True)
        nq.unlink()
        handle = OxigraphStore(ox.Store.read_only(str(db)), str(db), read_only=True)
        lat: dict[str, float] = {}
        cells = []
        for name, params in CORE_QUERIES.items():
            times, nrows = run_timed(handle, cat[name], params, 5, args.query_budget)
            lat[name] = statistics.median(times)
            cells.append(f"{ms(lat[name])} ({nrows})")
        del handle
        rows.append([f"{k}x", f"{quads:,}", f"{gen:.1f}", f"{load_s:.1f}", f"{quads / load_s / 1e3:,.0f}",
                     mb(size), mb(peak), *cells])
        summary_rows.append((k, load_s))
        if last_store:
            shutil.rmtree(last_store, ignore_errors=True)
        last_store, last_lat = str(db), lat
    del shared, per_copy

    out(f"### 4. Scale: the corpus {', '.join(f'{k}x' for k in factors)} with fresh IRIs "
        f"(base: {base_lines:,} quads, of which {copy_lines:,} per copy)")
    out()
    out("Load: pyoxigraph `Store.bulk_load` of the N-Quads file into a new disk store, in a subprocess "
        "(peak memory: the larger of its max RSS and the sampled PSS). Query medians in ms in this process "
        "(read-only store), rows in parentheses: " + "; ".join(f"{n} {p}" for n, p in CORE_QUERIES.items()) + ".")
    out()
    table(["size", "quads", "write N-Quads s", "load s", "k quads/s", "store on disk", "peak memory",
           *CORE_QUERIES], rows)
    if cli_row:
        out("Loader comparison on the same file:")
        out()
        table(["size", "quads", "pyoxigraph (ctkg's path)", "Oxigraph CLI", "CLI store"], [cli_row], "lrlll")
    if len(summary_rows) > 1:
        (k0, t0), (k1, t1) = summary_rows[0], summary_rows[-1]
        out(f"Load time {k1}x / {k0}x: {t1 / t0:.1f} (linear: {k1 / k0:.0f}).")
        out()
        ctx.add(f"4. bulk load at {k1}x ({k1 / k0:.0f}x the data)", f"{t1:.0f} s ({t1 / t0:.1f}x the {k0}x time)",
                "—", None)
    if last_store and not args.skip_server and shutil.which("oxigraph"):
        part4_server(ctx, last_store, factors[-1], last_lat, bind_values, cat)
    if last_store:
        shutil.rmtree(last_store, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def part4_server(ctx: Context, db: str, k: int, inproc: dict[str, float], bind_values: Any, cat: Any) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    log(f"part 4: oxigraph serve-read-only on the {k}x store, port {port}")
    t = time.perf_counter()
    limit = ctx.args.server_timeout
    server = subprocess.Popen(["oxigraph", "serve-read-only", "--location", db, "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph", "--timeout-s", f"{limit:g}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready = None
        while time.perf_counter() - t < 120 and server.poll() is None:
            try:
                http_query(url, "SELECT * WHERE { } LIMIT 1", timeout=2)
                ready = time.perf_counter() - t
                break
            except (urllib.error.URLError, OSError, KeyError, ValueError):
                time.sleep(0.1)
        if ready is None:
            out(f"The Oxigraph server did not answer: {server.stderr.read().decode()[-300:] if server.stderr else ''}")
            return
        rows = []
        for name, params in CORE_QUERIES.items():
            spec = cat[name]
            sparql = bind_values(spec.sparql, {p.name: params.get(p.name) for p in spec.params},
                                 {p.name: p.type for p in spec.params})
            times, n = [], 0
            try:
                for _ in range(5):
                    sec, n = http_query(url, sparql, timeout=limit + 30)
                    times.append(sec)
                    if sum(times) > ctx.args.query_budget:
                        break
            except (urllib.error.HTTPError, ValueError) as exc:
                # the server streams results: past its timeout it either answers an error status or cuts the
                # JSON body short
                why = f"HTTP {exc.code}" if isinstance(exc, urllib.error.HTTPError) else "response cut short"
                rows.append([name, "-", f"> {limit:g} s ({why}: the server's timeout)",
                             ms(inproc.get(name, float("nan"))), ""])
                continue
            med = statistics.median(times)
            rows.append([name, f"{n}", ms(med), ms(inproc.get(name, float("nan"))),
                         f"{med / inproc[name]:.2f}" if name in inproc else ""])
        # concurrency: 4 clients on the citations query for up to 5 s
        spec = cat["citations"]
        sparql = bind_values(spec.sparql, {p.name: CORE_QUERIES["citations"].get(p.name) for p in spec.params},
                             {p.name: p.type for p in spec.params})
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        stop_at = time.perf_counter() + 5

        def client() -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                try:
                    sec, _ = http_query(url, sparql, timeout=30)
                    with lock:
                        latencies.append(sec)
                except (urllib.error.URLError, OSError):
                    with lock:
                        errors += 1

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        span = time.perf_counter() - t0
        hwm = 0
        with contextlib.suppress(OSError), open(f"/proc/{server.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
        out(f"#### Oxigraph server at {k}x (`oxigraph serve-read-only --union-default-graph --timeout-s {limit:g}` "
            "on the store loaded above, queried over HTTP with urllib)")
        out()
        table(["query", "rows", "HTTP median ms", "in-process median ms", "HTTP / in-process"], rows)
        out(f"Ready to answer {ready:.1f} s after start; peak RSS of the server {mb(hwm)}. Four concurrent clients on "
            f"`citations` for {span:.1f} s: {len(latencies)} requests ({len(latencies) / span:.1f} req/s), "
            f"p50 {ms(statistics.median(latencies)) if latencies else '-'} ms, "
            f"p99 {ms(sorted(latencies)[max(0, math.ceil(0.99 * len(latencies)) - 1)]) if latencies else '-'} ms, "
            f"{errors} errors.")
        out()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- part 5: incremental build ----------------------------------------------------------------------

class Parts:
    """Hierarchical wall-time accounting of wrapped functions (a call's time goes to its path of names)."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.totals: dict[tuple[str, ...], float] = defaultdict(float)
        self.order: list[tuple[str, ...]] = []

    def add(self, key: tuple[str, ...], seconds: float) -> None:
        if key not in self.totals:
            self.order.append(key)
        self.totals[key] += seconds

    @contextlib.contextmanager
    def span(self, name: str) -> Iterator[None]:
        self.stack.append(name)
        key = tuple(self.stack)
        t = time.perf_counter()
        try:
            yield
        finally:
            self.add(key, time.perf_counter() - t)
            self.stack.pop()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(*a: Any, **kw: Any) -> Any:
            if self.stack and self.stack[-1] == name:
                return fn(*a, **kw)
            self.stack.append(name)
            key = tuple(self.stack)
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.add(key, time.perf_counter() - t)
                self.stack.pop()
        return inner


@contextlib.contextmanager
def patched(targets: list[tuple[Any, str, str]], parts: Parts) -> Iterator[None]:
    saved = []
    for obj, attr, name in targets:
        if hasattr(obj, attr):
            orig = getattr(obj, attr)
            saved.append((obj, attr, orig))
            setattr(obj, attr, parts.wrap(name, orig))
    try:
        yield
    finally:
        for obj, attr, orig in reversed(saved):
            setattr(obj, attr, orig)


def part5_incremental(ctx: Context) -> None:
    import pyoxigraph as ox

    import ctkg
    from ctkg import api, pipeline
    from ctkg.corpus import corpus_paths
    from ctkg.graph.iris import MANDATES_GRAPH, graph_iri, lineage_graph_iri, mandates_graph_iri
    from ctkg.lineage import refresh as lineage_refresh
    from ctkg.store.local import OxigraphStore, open_store, updating

    location = ensure_e2e_store(ctx)
    path = corpus_paths()[-1]  # the newest resolution
    number, year = (int(x) for x in path.stem.split("_"))
    graph = str(graph_iri(number, year))
    out(f"### 5. Incremental build: adding {path.name} (the newest text) to the whole-corpus store")
    out()
    rows_all = []
    totals = []
    for run in range(ctx.args.incremental_runs):
        log(f"part 5: removing {graph} from the store (run {run + 1})")
        with updating(location) as handle:
            for g in (graph, lineage_graph_iri(number, year), mandates_graph_iri(number, year)):
                if handle.raw.contains_named_graph(ox.NamedNode(str(g))):
                    handle.raw.remove_graph(ox.NamedNode(str(g)))
            pipeline.refresh_index_graph(handle)

        def mandate_quads(store: OxigraphStore) -> int:
            prefix = str(MANDATES_GRAPH)
            return sum(sum(1 for _ in store.raw.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                       for g in store.graphs() if g.startswith(prefix))

        with open_store(location, create=False) as store:
            before = len(store)
            mandates_before = mandate_quads(store)
        parts = Parts()
        orig_updating = api.updating

        @contextlib.contextmanager
        def timed_updating(loc: Any = None, parts: Parts = parts, orig: Any = orig_updating) -> Iterator[Any]:
            cm = orig(loc)
            with parts.span("version checkpoint (hard-link backup, open)"):
                handle = cm.__enter__()
            try:
                yield handle
            except BaseException:
                if not cm.__exit__(*sys.exc_info()):
                    raise
                return
            with parts.span("version switch (close + flush, rename, remove the old version)"):
                cm.__exit__(None, None, None)

        targets = [
            (pipeline, "read_source", "extract (read + extract_document)"),
            (pipeline, "extract_document", "extract (read + extract_document)"),
            (pipeline, "load_vocabularies", "vocabularies (ontology + actors graphs)"),
            (pipeline, "ontology_nquads", "ontology_nquads (rdflib parse + canonical labels)"),
            (pipeline, "actor_triples", "actor_triples"),
            (pipeline, "document_triples", "its graph: document_triples"),
            (pipeline, "to_nquads", "to_nquads (serialise)"),
            (OxigraphStore, "replace_graphs", "write graph(s) into the store"),
            (OxigraphStore, "replace_graph", "write graph(s) into the store"),
            (pipeline, "refresh_lineage", "lineage refresh"),
            (lineage_refresh, "units_from_documents", "units of the new document"),
            (lineage_refresh, "read_input", "read every other resolution back from the store"),
            (lineage_refresh, "find_links", "find_links (candidate vectors + rapidfuzz)"),
            (lineage_refresh, "lineage_triples", "lineage_triples"),
            (lineage_refresh, "mandate_history", "mandate history"),
            (lineage_refresh, "mandate_triples", "mandate history"),
            (lineage_refresh, "to_nquads", "to_nquads"),
            (pipeline, "refresh_index_graph", "index refresh"),
            (OxigraphStore, "flush", "flush"),
        ]
        log("part 5: ctkg.build([path], store=DIR)")
        with patched(targets, parts):
            api.updating = timed_updating  # type: ignore[assignment]
            try:
                t = time.perf_counter()
                result = ctkg.build([path], store=location)
                total = time.perf_counter() - t
            finally:
                api.updating = orig_updating  # type: ignore[assignment]
        with open_store(location, create=False) as store:
            after = len(store)
            present = store.raw.contains_named_graph(ox.NamedNode(graph))
            mandates_after = mandate_quads(store)
        totals.append(total)
        top = [(k, v) for k, v in ((k, parts.totals[k]) for k in parts.order) if len(k) == 1]
        rows = []
        for key, sec in sorted(top, key=lambda kv: -kv[1]):
            rows.append([key[0], f"{sec:.3f}", f"{sec / total:.0%}"])
            subs = [(k, parts.totals[k]) for k in parts.order if len(k) == 2 and k[0] == key[0]]
            for sk, ssec in sorted(subs, key=lambda kv: -kv[1]):
                rows.append([f"  - {sk[1]}", f"{ssec:.3f}", f"{ssec / total:.0%}"])
        other = total - sum(v for _, v in top)
        rows.append(["other (summaries, pipeline glue)", f"{other:.3f}", f"{other / total:.0%}"])
        rows.append([f"**total** `ctkg.build([{path.name}], store=DIR)`", f"**{total:.2f}**",
                     f"target < {TARGET_INCREMENTAL_S:.0f} s: **{met(total < TARGET_INCREMENTAL_S)}**"])
        rows_all = rows
        lin = result.lineage
        out(f"Run {run + 1}: {before:,} quads before, {after:,} after; graph present: {present}; "
            f"{len(result.built)} built, {len(result.failures)} failed; lineage {lin.links if lin else '-'} links; "
            f"{lin.mode if lin else '-'}; mandate graphs {mandates_before:,} quads before, {mandates_after:,} after.")
        out()
        if mandates_after < mandates_before / 2:
            out("**Correctness warning:** the incremental build shrank the mandate-history graphs.")
            out()
    table(["part", "seconds", "share"], rows_all, "lrr")
    best = min(totals)
    ctx.add("5. incremental build (one new resolution)", f"{best:.2f} s", f"< {TARGET_INCREMENTAL_S:.0f} s",
            best < TARGET_INCREMENTAL_S)


# --- an optional profile of a whole build -----------------------------------------------------------

def profile_build(ctx: Context) -> None:
    from ctkg.corpus import corpus_paths
    from ctkg.pipeline import build_documents
    from ctkg.store.local import open_store
    from ctkg.validate import validate_store

    location = ctx.work / "profile-store"
    log("profile: cProfile of build_documents(workers=1) + validate_store(workers=1), whole corpus")
    prof = cProfile.Profile()
    t = time.perf_counter()
    with open_store(str(location)) as store:
        prof.enable()
        build_documents(corpus_paths(), store, allow_partial=True, workers=1)
        validate_store(store, "sparql", workers=1)
        prof.disable()
    wall = time.perf_counter() - t
    prof.dump_stats(str(ctx.work / "build.prof"))
    shutil.rmtree(location, ignore_errors=True)
    out(f"### Profile: whole serial build + validation under cProfile ({wall:.0f} s under the profiler)")
    out()
    print_profile(prof, 40, ("cumulative", "tottime"))


# --- the run ----------------------------------------------------------------------------------------

def environment() -> list[str]:
    import importlib.metadata as md

    def version(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "-"

    mem = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pkgs = ", ".join(f"{p} {version(p)}" for p in ("ctkg", "pyoxigraph", "oxigraph", "rdflib", "pyshacl",
                                                     "numpy", "scipy", "rapidfuzz"))
    return [
        f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        f"machine: nproc {CORES}, {cpu}, memory {mem}, {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}; {pkgs}",
        f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine is shared)",
    ]


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == RDFLIB_WORKER:
        return rdflib_worker(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="1,2,3,4,5", help="which parts to run (default: all)")
    parser.add_argument("--reference-docs", type=int, default=60, help="documents for the rdflib + pySHACL reference")
    parser.add_argument("--skip-reference", action="store_true", help="part 1 without the plain reference")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (median, p95)")
    parser.add_argument("--query-budget", type=float, default=3.0, help="seconds of timed runs per query at most")
    parser.add_argument("--server-timeout", type=float, default=15.0,
                        help="the Oxigraph server's query timeout in part 4 (seconds)")
    parser.add_argument("--rdflib-timeout", type=float, default=20.0, help="seconds per rdflib query")
    parser.add_argument("--skip-rdflib", action="store_true", help="part 3 without rdflib")
    parser.add_argument("--scale", default="1,5,10", help="corpus multiples for part 4 (e.g. 1,5,10,50)")
    parser.add_argument("--skip-scale", action="store_true", help="skip part 4")
    parser.add_argument("--skip-server", action="store_true", help="part 4 without the Oxigraph server")
    parser.add_argument("--incremental-runs", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="shorter: no 16x extraction input, scale 1,5 at most, no CLI loader comparison")
    parser.add_argument("--profile-build", action="store_true",
                        help="also profile a whole serial build + validation (a few minutes)")
    parser.add_argument("--profile-docs", type=int, default=200,
                        help="texts in part 2's extraction profile (evenly spaced; 0 = all)")
    parser.add_argument("--store", help="an existing whole-corpus store (ctkg build --all) for parts 3-5")
    parser.add_argument("--workdir", help="scratch folder (default: a temporary folder under /tmp, removed)")
    args = parser.parse_args()
    if args.quick:
        args.scale = ",".join(x for x in args.scale.split(",") if x.strip() and int(x) <= 5) or "1"
    parts = {int(x) for x in args.parts.split(",") if x.strip()}
    if args.skip_scale:
        parts.discard(4)

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="ctkg-perf-", dir="/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    ctx = Context(args=args, work=work)
    started = time.perf_counter()
    out("## ctkg performance benchmark (issue #9)")
    out()
    for line in environment():
        out(f"- {line}")
    out(f"- command: `python bench/perf_bench.py {' '.join(sys.argv[1:])}`")
    out()
    steps: list[tuple[int, Callable[[Context], None]]] = [(1, part1_end_to_end), (1, part1_stages)]
    if not args.skip_reference:
        steps.append((1, part1_reference))
    steps += [(2, part2_extraction), (3, part3_queries), (4, part4_scale), (5, part5_incremental)]
    if args.profile_build:
        steps.append((0, profile_build))
    try:
        for part, step in steps:
            if part and part not in parts:
                continue
            try:
                step(ctx)
            except Exception:  # one failing step must not lose the figures of the others
                import traceback

                out(f"**{step.__name__} failed:**")
                out()
                out("```text")
                out(traceback.format_exc().rstrip())
                out("```")
                out()
                ctx.add(f"{step.__name__}", "failed (see above)", "", False)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    out("## Summary")
    out()
    table(["figure", "measured", "target", "met?"],
          [[s.figure, s.measured, s.target, "—" if s.ok is None else ("met" if s.ok else "**NOT met**")]
           for s in ctx.summary], "lrll")
    out(f"Whole benchmark run: {(time.perf_counter() - started) / 60:.1f} minutes; load average at the end: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
