"""Large and pathological inputs: extraction ends (no catastrophic backtracking) and raises
nothing but the documented errors.  Each case runs in a subprocess with a time limit as a
hang guard (a limit for hangs, not a speed target)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ctkg.corpus import corpus_dir

HANG_GUARD = 120  # seconds

RUNNER = """
import sys
from ctkg.errors import CtkgError
from ctkg.extract import extract_document
from ctkg.ingest.readers import read_source
path = sys.argv[1]
try:
    doc = extract_document(read_source(path), allow_partial=True)
    print("ok", len(doc.resolution.all_paragraphs()))
except CtkgError as exc:
    print("error", type(exc).__name__)
"""


def _big_texts() -> dict[str, str]:
    base = (corpus_dir() / "unsc" / "1373_2001.txt").read_text("utf-8")
    old = (corpus_dir() / "unsc" / "748_1992.txt").read_text("utf-8")
    body = base[base.index("1. Decides") :]
    return {
        # a 1 MB resolution: the operative part of 1373 repeated
        "one-megabyte": base + ("\n\n" + body) * (1_000_000 // len(body)),
        # hard-wrapped old layout, repeated to 1 MB, with stray Unicode and doubled letters
        "wrapped-noisy": (old.replace("e", "ee").replace("a", "a\u200b") + "\n") * (1_000_000 // (len(old) * 2)),
        "parentheses": "Resolution 1 (1999)\nThe Security Council,\n1. Decides " + "(" * 200_000 + "\n",
        "citation-list": "Resolution 1 (1999)\nThe Security Council,\nRecalling its resolutions "
        + "1267 (1999), " * 40_000 + "\n1. Decides to remain seized.\n",
        "footnote-digits": "Resolution 1 (1999)\nThe Security Council,\n1. Decides that France, "
        + "162 " * 100_000 + "the United Kingdom shall act;\n",
        "numbers": "Resolution 1 (1999)\nThe Security Council,\n"
        + "".join(f"{n}. Decides within {n} days that all States shall report;\n" for n in range(1, 20_000)),
        "one-line": "Resolution 1 (1999) The Security Council, " + "calls upon all States to act, and " * 30_000,
    }


@pytest.mark.parametrize("name", sorted(_big_texts()))
def test_large_and_pathological_inputs_end(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_text(_big_texts()[name], "utf-8")
    done = subprocess.run([sys.executable, "-c", RUNNER, str(path)], capture_output=True, text=True,
                          timeout=HANG_GUARD)
    assert done.returncode == 0, done.stderr[-2000:]
    status = done.stdout.split()[0]
    assert status in ("ok", "error"), done.stdout


def test_oversized_input_is_refused(tmp_path: Path) -> None:
    from ctkg.errors import EncodingError
    from ctkg.ingest.readers import MAX_BYTES, read_source

    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * (MAX_BYTES + 1))
    with pytest.raises(EncodingError, match="larger than"):
        read_source(path)
