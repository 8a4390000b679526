"""Does extraction time grow linearly with the input?  1x, 4x and 16x inputs, side by side.

Two input families, each measured at three sizes in one run (medians of ``--repeat`` runs):
one long resolution (the operative part of 1373 (2001) repeated) and the whole corpus read
1, 4 and 16 times over.  Prints seconds, characters per second and the ratio to 1x; linear
growth shows as ratios near 4 and 16.

    python bench/extract_scaling.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from ctkg.corpus import corpus_dir, corpus_paths
from ctkg.extract import extract_document
from ctkg.ingest.readers import read_source


def timed(fn: object, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-corpus", action="store_true", help="only the long-resolution family")
    args = parser.parse_args()

    base = (corpus_dir() / "unsc" / "1373_2001.txt").read_text("utf-8")
    body = base[base.index("1. Decides") :]
    print("| input | size | characters | seconds | chars/s | ratio to 1x |")
    print("|---|---:|---:|---:|---:|---:|")
    first = 0.0
    for k in (1, 4, 16):
        text = base + ("\n\n" + body) * (40 * k)
        data = text.encode("utf-8")

        def one(data: bytes = data) -> None:
            extract_document(read_source("long.txt", data=data), use_index=False)

        sec = timed(one, args.repeat)
        first = first or sec
        print(f"| one long resolution | {k}x | {len(text):,} | {sec:.2f} | {len(text) / sec:,.0f} | {sec / first:.1f} |")

    if args.no_corpus:
        return 0
    sources = [read_source(p) for p in corpus_paths()]
    chars = sum(s.end - s.start for s in sources)
    first = 0.0
    for k in (1, 4, 16):
        def corpus(k: int = k) -> None:
            for _ in range(k):
                for s in sources:
                    extract_document(s, allow_partial=True)

        sec = timed(corpus, 1 if k > 1 else args.repeat)
        first = first or sec
        print(f"| whole corpus read k times | {k}x | {chars * k:,} | {sec:.2f} | {chars * k / sec:,.0f} | "
              f"{sec / first:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
