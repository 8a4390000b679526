"""Benchmark: extracting and building the whole bundled corpus, stage by stage.

Prints, for each stage, wall time, CPU time and the peak resident memory of the
process during the stage (sampled every 5 ms from /proc), then the size of the
graph.  Stages run one after the other in this one process, on the same input,
so their figures can be compared with each other.

    python bench/corpus_bench.py            # the whole corpus (1,212 texts)
    python bench/corpus_bench.py --ct       # also: SHACL validation of the counter-terrorism set
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """Resident memory of this process in bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


@dataclass
class Stage:
    name: str
    wall: float = 0.0
    cpu: float = 0.0
    peak: int = 0
    start_rss: int = 0
    note: str = ""


@contextmanager
def measure(stage: Stage) -> Iterator[None]:
    stop = threading.Event()
    stage.start_rss = stage.peak = rss()

    def sample() -> None:
        while not stop.is_set():
            stage.peak = max(stage.peak, rss())
            time.sleep(0.005)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    w0, c0 = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        stage.wall = time.perf_counter() - w0
        stage.cpu = time.process_time() - c0
        stop.set()
        t.join()
        stage.peak = max(stage.peak, rss())


def mb(n: int) -> str:
    return f"{n / 1e6:8.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ct", action="store_true", help="also validate the counter-terrorism set with pySHACL")
    args = parser.parse_args()

    from ctkg.api import is_counter_terrorism
    from ctkg.corpus import corpus_paths
    from ctkg.extract import extract_document
    from ctkg.graph.build import document_triples, to_nquads
    from ctkg.graph.iris import graph_iri
    from ctkg.ingest import read_source
    from ctkg.pipeline import load_vocabularies, refresh_index_graph
    from ctkg.store import open_store

    paths = corpus_paths()
    stages: list[Stage] = []

    def run(name: str, fn: Callable[[], str]) -> None:
        st = Stage(name)
        with measure(st):
            st.note = fn()
        stages.append(st)
        print(f"  {name:<34} {st.wall:7.2f} s wall {st.cpu:7.2f} s CPU  peak {mb(st.peak)}  {st.note}",
              file=sys.stderr)

    sources = []
    docs = []
    graphs: list[tuple[str, str, int]] = []

    def read() -> str:
        chars = 0
        for p in paths:
            s = read_source(p)
            chars += s.end - s.start
            sources.append(s)
        return f"{len(sources)} texts, {chars / 1e6:.1f} M characters"

    def extract() -> str:
        for s in sources:
            docs.append(extract_document(s, allow_partial=True))
        paras = sum(len(d.resolution.all_paragraphs()) for d in docs)
        clauses = sum(len(d.resolution.clauses) for d in docs)
        return f"{paras} paragraphs, {clauses} clauses"

    def graph() -> str:
        n = 0
        for d in docs:
            g = graph_iri(d.resolution.number, d.resolution.year)
            t = document_triples(d)
            n += len(t)
            graphs.append((str(g), to_nquads(t, g), len(t)))
        return f"{n} triples"

    def load(location: str) -> Callable[[], str]:
        def go() -> str:
            with open_store(location) as store:
                load_vocabularies(store)
                for g, nq, _ in graphs:
                    store.replace_graph(g, nq)
                refresh_index_graph(store)
                store.flush()
                return f"{len(store)} quads in the store"
        return go

    print(f"ctkg corpus benchmark: {len(paths)} texts, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs",
          file=sys.stderr)
    run("read (decode, locate)", read)
    run("extract (text -> model)", extract)
    run("graph (model -> N-Quads)", graph)
    run("store: load into memory", load("memory:"))
    with tempfile.TemporaryDirectory() as tmp:
        run("store: load into a disk store", load(os.path.join(tmp, "store")))
        size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(tmp) for f in fs)
    if args.ct:
        from ctkg.validate import validate_store

        ct = [d for d in docs if is_counter_terrorism(d)]

        def validate() -> str:
            with open_store("memory:") as store:
                load_vocabularies(store)
                for d in ct:
                    g = graph_iri(d.resolution.number, d.resolution.year)
                    store.replace_graph(str(g), to_nquads(document_triples(d), g))
                report = validate_store(store)
                return f"{report.graphs} graphs, {len(report.violations)} violations, {len(report.warnings)} warnings"

        run("validate CT set (pySHACL)", validate)

    triples = sum(n for _, _, n in graphs)
    nq_bytes = sum(len(nq.encode()) for _, nq, _ in graphs)
    total_wall = sum(s.wall for s in stages if not s.name.startswith(("store: load into memory", "validate")))
    print()
    print("| stage | wall s | CPU s | peak RSS | note |")
    print("|---|---:|---:|---:|---|")
    for s in stages:
        print(f"| {s.name} | {s.wall:.2f} | {s.cpu:.2f} | {mb(s.peak).strip()} | {s.note} |")
    print()
    print(f"whole build (read + extract + graph + disk store): {total_wall:.1f} s; "
          f"process peak RSS {mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024).strip()}")
    print(f"graph: {triples} triples in {len(graphs)} resolution graphs; canonical N-Quads {nq_bytes / 1e6:.0f} MB; "
          f"disk store {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
