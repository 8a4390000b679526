"""Benchmark: SHACL validation of the whole corpus, the fast path against the reference.

Runs in one process, one after the other on the same store, so the figures compare:

* the SPARQL engine (the shapes compiled to SPARQL, run by Oxigraph over the whole store), in one
  process and shared out to worker processes;
* pySHACL (the reference semantics), resolution graph by resolution graph, on an evenly spaced
  sample of the resolution graphs (all of them with ``--sample 0``), scaled up to the whole corpus.

    python bench/validate_bench.py                      # builds the whole corpus into a temporary store
    python bench/validate_bench.py --store DIR          # a store built by `ctkg build --all --store DIR`
    python bench/validate_bench.py --store DIR --sample 0   # pySHACL on every graph (about 15 minutes)

Target (issue #5): whole-corpus validation under 10 s on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="an existing whole-corpus store (else one is built)")
    parser.add_argument("--sample", type=int, default=60, help="resolution graphs for pySHACL (0 = all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the SPARQL engine (the median is shown)")
    args = parser.parse_args()

    import ctkg
    from ctkg.store.local import open_store
    from ctkg.validate import validate_graph, validate_store

    with tempfile.TemporaryDirectory() as tmp:
        location = args.store
        if location is None:
            location = str(Path(tmp) / "store")
            t = time.perf_counter()
            ctkg.build(corpus="all", store=location)
            print(f"built the whole corpus in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        store = open_store(location, create=False)
        triples = len(store)
        cpus = os.cpu_count() or 1
        print(f"store: {triples} quads; {cpus} CPUs", file=sys.stderr)

        rows: list[tuple[str, float, str]] = []
        for workers in sorted({1, min(cpus, 4)}):
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                report = validate_store(store, "sparql", workers=workers)
                times.append(time.perf_counter() - t)
            times.sort()
            median = times[len(times) // 2]
            note = (f"{report.graphs} resolution graphs, {len(report.violations)} violations, "
                    f"{len(report.warnings)} warnings; runs {', '.join(f'{x:.2f}' for x in times)} s")
            rows.append((f"SPARQL engine, {workers} process(es)", median, note))
            print(f"  {rows[-1][0]}: {median:.2f} s ({note})", file=sys.stderr)

        # the reference, on a sample of the resolution graphs
        from ctkg.graph.iris import ACTORS_GRAPH
        from ctkg.validate import _graph_of

        graphs = [g for g in store.graphs() if "/graph/res/" in g]
        step = max(1, len(graphs) // args.sample) if args.sample else 1
        sample = graphs[::step]
        actors = _graph_of(store, str(ACTORS_GRAPH))
        t = time.perf_counter()
        for g in sample:
            data = _graph_of(store, g)
            data += actors
            validate_graph(data)
        spent = time.perf_counter() - t
        scaled = spent * len(graphs) / len(sample)
        rows.append((f"pySHACL, per resolution graph ({len(sample)} of {len(graphs)} graphs, scaled)", scaled,
                     f"{spent:.1f} s for the sample"))
        print(f"  {rows[-1][0]}: {scaled:.1f} s", file=sys.stderr)
        store.close()

    best = min(r[1] for r in rows[:-1])
    print()
    print(f"Whole-corpus SHACL validation: {triples} quads, {len(graphs)} resolution graphs")
    print()
    print("| engine | wall s | note |")
    print("|---|---:|---|")
    for name, secs, note in rows:
        print(f"| {name} | {secs:.2f} | {note} |")
    print()
    print(f"fastest SPARQL run {best:.2f} s (target < {TARGET_S:.0f} s: {'met' if best < TARGET_S else 'NOT met'}); "
          f"{rows[-1][1] / best:.0f}x faster than pySHACL")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
