"""A build is atomic: killed half-way, it leaves the previous store in use and queryable;
readers that opened the store keep getting answers while it is rebuilt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import ctkg
from ctkg.store.local import POINTER, database_dir


def _dump(store: Path) -> bytes:
    with ctkg.open_store(store, create=False) as s:
        return s.dump_nquads()


def test_killed_build_leaves_the_previous_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ctkg.build(corpus="demo", store=store)
    before = _dump(store)
    version = database_dir(store)
    proc = subprocess.Popen([sys.executable, "-m", "ctkg", "build", "--all", "--store", str(store), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # wait until the build is writing graphs into its new version (its write-ahead log grows,
        # after all 1,212 texts are extracted), then kill it mid-write
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            written = sum(f.stat().st_size for v in store.glob("v*") if v != version for f in v.glob("*.log"))
            if written > 2_000_000:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the build finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert database_dir(store) == version
    assert _dump(store) == before  # intact
    rows = ctkg.query(store, "reporting-lines", reporter="CTED")
    assert [(r["recipient"], r["resolution"]) for r in rows] == [("CTC", "S/RES/2322 (2016)")]
    # the next build completes and clears the unfinished version
    ctkg.build(corpus="demo", store=store)
    assert _dump(store) == before
    assert [p.name for p in store.glob("v*")] == [database_dir(store).name]
    assert (store / POINTER).is_symlink()


def test_readers_keep_answering_during_a_rebuild(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ctkg.build(corpus="demo", store=store)
    with ctkg.open_store(store, create=False, read_only=True) as reader:
        n = len(reader)
        ctkg.build([ctkg.corpus.corpus_dir() / "unsc" / "1267_1999.txt"], store=store)
        assert len(reader) == n  # the reader still sees the version it opened
        assert ctkg.query(reader, "reporting-lines", reporter="CTED")
    assert ctkg.query(store, "citations", resolution="S/RES/1267 (1999)")  # 1267 recalls earlier resolutions
    with ctkg.open_store(store, create=False) as s:
        assert len(s) > n  # the new version has 1267 (1999) as well
