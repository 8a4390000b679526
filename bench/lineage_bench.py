"""Lineage bench: the corpus-level step on the counter-terrorism set and on the whole corpus.

    python bench/lineage_bench.py [--ct]

prints, for each set, the number of clauses, the time to find the links (hashed-vector candidates,
rapidfuzz scoring, typing) and to build their triples, the links by type and by basis, and the
precision and recall of the matcher on the hand-checked sample tests/lineage/sample.csv.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from ctkg.api import is_counter_terrorism
from ctkg.corpus import corpus_paths
from ctkg.extract import extract_document
from ctkg.graph.lineage import lineage_triples, mandate_triples
from ctkg.ingest import read_source
from ctkg.lineage import find_links, link_counts, units_from_documents
from ctkg.lineage.calibrate import evaluate
from ctkg.lineage.mandates import mandate_history

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "lineage" / "sample.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ct", action="store_true", help="the counter-terrorism set only")
    args = parser.parse_args()
    t = time.perf_counter()
    docs = [extract_document(read_source(p), allow_partial=True) for p in corpus_paths()]
    print(f"extracted {len(docs)} texts in {time.perf_counter() - t:.1f} s")
    sets = [("counter-terrorism set", [d for d in docs if is_counter_terrorism(d)])]
    if not args.ct:
        sets.append(("whole corpus", docs))
    for name, chosen in sets:
        t0 = time.perf_counter()
        data = units_from_documents(chosen)
        links = find_links(data)
        t1 = time.perf_counter()
        triples = len(lineage_triples(links))
        events = mandate_history(chosen)
        mt = len(mandate_triples(events))
        t2 = time.perf_counter()
        print(f"\n{name}: {len(chosen)} resolutions, {len(data.units)} clauses")
        print(f"  links: {len(links)} in {t1 - t0:.2f} s; triples: {triples} lineage + {mt} mandate "
              f"({len(events)} events) in {t2 - t1:.2f} s")
        print("  by type:  " + ", ".join(f"{k} {v}" for k, v in link_counts(links).items()))
        print("  by basis: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(k.basis for k in links).items())))
    print()
    for cal in evaluate(SAMPLE, (75.0, 80.0, 85.0, 90.0)):
        print(cal.summary())


if __name__ == "__main__":
    main()
