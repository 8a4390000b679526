"""The engines the query catalogue is checked on, and how their answers are compared.

* :func:`oxigraph_server` runs ``oxigraph serve`` (PyPI package ``oxigraph``, a dev dependency);
* :func:`virtuoso_server` runs Virtuoso Open Source (``virtuoso-t``, Debian ``virtuoso-opensource``)
  with an ini file of its own: database files in the folder, SQL and HTTP ports on loopback, full result
  sets (``ResultSetMaxRows`` raised from 10,000), generous time limits, no service, one thread per query
  (``ThreadsPerQuery = 1``) and a plan search bounded by the number of plans tried (``MaxOptimizeLayouts``),
  not by the time spent (``StopCompilerWhenXOverRunTime = 0``), so that the machine's load is not one more
  input to Virtuoso's plan.  Virtuoso 7.2 still loses rows of deep lineage chains under some plans, in 6 of
  25 test sessions here (see tests/test_virtuoso.py);
* :class:`RdflibStore` is rdflib's in-memory ``Dataset`` behind the same ``query`` interface.

The servers are context managers that always stop their process by PID (SIGTERM, then SIGKILL), and on
Linux the server also gets SIGKILL from the kernel if the test process dies first (``PR_SET_PDEATHSIG``),
so no server is left behind.  Both skip the calling test when the program is not installed.

:func:`comparable` is the one normalisation of answers before they are compared (see there).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

import ctkg
from ctkg.errors import StoreError
from ctkg.query.catalog import QuerySpec
from ctkg.query.run import Cell, Queryable, Results, run_query
from ctkg.store.local import OxigraphStore
from ctkg.store.remote import Credentials, RemoteStore

VIRTUOSO_DBA = Credentials("dba", "dba")  # the account of a fresh Virtuoso database
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@cache
def demo_store() -> OxigraphStore:
    """The demo set (2322, 1373, 731, 748) in an in-memory store, built once per session."""
    handle = ctkg.build(corpus="demo", store="memory:").store_handle
    assert handle is not None
    return handle


@cache
def ct_store() -> OxigraphStore:
    """The counter-terrorism set (the default corpus, what tests/test_catalogue.py checks), built once."""
    handle = ctkg.build(store="memory:").store_handle
    assert handle is not None
    return handle


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGKILL this process when the test process ends, however it ends."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server by its PID: SIGTERM, then SIGKILL after 15 s."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def running(argv: list[str], log: Path, ready: Callable[[], bool], what: str, cwd: Path | None = None,
            ) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``argv`` (output to ``log``), wait until ``ready()`` and stop it by PID on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not ready():
                if proc.poll() is not None:
                    pytest.fail(f"{what} exited with {proc.returncode} before answering; see {log}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{what} did not answer within {START_TIMEOUT:.0f} s; see {log}")
                time.sleep(0.1)
            yield proc
        finally:
            stop(proc)


def _answers(url: str, credentials: Credentials | None = None) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            RemoteStore(url, timeout=2, credentials=credentials).graphs()
        except StoreError:
            return False
        return True
    return ready


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server CLI next to this interpreter, else on PATH."""
    here = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if here.exists():
        return str(here)
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1:<free port> with its data in ``folder``; yields its URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server CLI is not installed (pip install 'oxigraph>=0.5,<0.6')")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    with running(argv, folder / "oxigraph.log", _answers(url), "oxigraph serve"):
        yield url


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL (``/sparql``, ``/sparql-auth`` …) and SQL port."""

    base: str
    sql_port: int
    folder: Path

    @property
    def sparql(self) -> str:
        """The public SPARQL endpoint (queries; updates only with the SPARQL_UPDATE role)."""
        return self.base + "/sparql"

    @property
    def sparql_auth(self) -> str:
        """The digest-authenticated SPARQL endpoint (queries and updates as dba)."""
        return self.base + "/sparql-auth"


VIRTUOSO_INI = """\
; written by tests/servers.py: a throw-away database on loopback ports
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
DirsAllowed          = ., {db}
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
ThreadsPerQuery      = 1
AsyncQueueMaxThreads = 4
StopCompilerWhenXOverRunTime = 0
MaxOptimizeLayouts   = 100

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}
MaxClientConnections = 8
ServerThreads        = 8
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8
MaxKeepAlives        = 8
KeepAliveTimeout     = 10

[SPARQL]
ResultSetMaxRows           = 10000000
MaxQueryCostEstimationTime = 3600
MaxQueryExecutionTime      = 3600
"""


def virtuoso_binary() -> str | None:
    """``virtuoso-t`` on PATH (Debian: /usr/bin/virtuoso-t from virtuoso-opensource-7-bin)."""
    return shutil.which("virtuoso-t")


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Virtuoso]:
    """A fresh Virtuoso database in ``folder`` served on two free loopback ports."""
    binary = virtuoso_binary()
    if binary is None:
        pytest.skip("Virtuoso Open Source is not installed (virtuoso-t not on PATH; Debian package "
                    "virtuoso-opensource, which .ci/run installs)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=folder, sql_port=sql_port, http_port=http_port), "utf-8")
    base = f"http://127.0.0.1:{http_port}"
    argv = [binary, "+foreground", "+configfile", str(ini)]
    with running(argv, folder / "virtuoso-t.out", _answers(base + "/sparql"), "virtuoso-t", cwd=folder):
        yield Virtuoso(base, sql_port, folder)


class RdflibStore(RemoteStore):
    """rdflib's in-memory ``Dataset`` (default graph = union of the named graphs) behind the interface
    ``ctkg.query`` and ``run_query`` use for a server: ``query(sparql)`` returns pyoxigraph query solutions,
    here parsed from rdflib's own SPARQL JSON results, so all four engines are read by the same code."""

    def __init__(self, store: OxigraphStore) -> None:  # no endpoint: nothing to call super() for
        self.location = "rdflib:"
        self.dataset = Dataset(default_union=True)
        self.dataset.parse(data=store.dump_nquads().decode("utf-8"), format="nquads")

    def query(self, sparql: str) -> Any:
        result = self.dataset.query(sparql)
        return ox.parse_query_results(result.serialize(format="json"), format=ox.QueryResultsFormat.JSON)

    def graphs(self) -> list[str]:
        return sorted(str(g.identifier) for g in self.dataset.contexts() if g.identifier != DATASET_DEFAULT_GRAPH_ID)


Row = tuple[object, ...]
# GROUP_CONCAT joins values in an order SPARQL leaves to the engine: such a cell is compared as the sorted
# list of its parts
_CONCAT = re.compile(r'GROUP_CONCAT\((?:[^()"]|"[^"]*")*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', re.I)


def example(spec: QuerySpec) -> dict[str, object]:
    """The example parameters of a catalogue query's header."""
    return {p.name: p.example for p in spec.params}


def concat_columns(spec: QuerySpec) -> dict[int, str]:
    """Column index -> separator, for the columns a GROUP_CONCAT makes."""
    seps = {name: sep for sep, name in _CONCAT.findall(spec.sparql)}
    return {i: seps[v] for i, v in enumerate(spec.returns) if v in seps}


def comparable(results: Results, spec: QuerySpec) -> list[Row]:
    """The rows of an answer, normalised only where SPARQL leaves the engine a choice.

    * the rows are sorted: an ``ORDER BY`` key may be unprojected or tied, and engines break ties differently;
    * a ``GROUP_CONCAT`` cell is the sorted list of its parts (SPARQL fixes no order inside the group).

    Everything else is compared strictly: each cell as (kind, lexical form, datatype, language tag), unbound
    as None.  No literal is compared by value: the engines agree on every lexical form, once the remote
    store has put Virtuoso's ``"1"^^xsd:boolean`` in canonical form (``ctkg.store.remote.canonical_results``).
    """
    concat = concat_columns(spec)

    def cell(i: int, c: Cell | None) -> object:
        if c is None:
            return None
        value = concat[i].join(sorted(c.value.split(concat[i]))) if i in concat else c.value
        return (c.kind, value, c.datatype, c.lang)

    return sorted((tuple(cell(i, c) for i, c in enumerate(row)) for row in results.rows), key=repr)


CORE = ("obligations", "reporting-lines", "citations", "deadlines-in-range")
"""Queries also compared without parameters (the whole answer) on every backend."""


def _short(rows: list[Row], at_most: int = 3) -> str:
    """A few rows, each as its cells' values cut to 40 characters."""
    def cut(c: object) -> str:
        text = "-" if c is None else str(c[1]) if isinstance(c, tuple) else str(c)  # (kind, value, ...)
        return text if len(text) <= 40 else text[:39] + "…"
    shown = ["(" + ", ".join(cut(c) for c in row) + ")" for row in rows[:at_most]]
    return "; ".join(shown) + (f"; and {len(rows) - at_most} more" if len(rows) > at_most else "")


def assert_same_answer(there: Queryable, here: Queryable, spec: QuerySpec, params: dict[str, object], *,
                       known_loss: str | None = None) -> None:
    """``spec`` with ``params`` gives the same columns and rows on ``there`` as on ``here`` (the embedded store).

    A difference fails in one paragraph: the rows each side lacks, and what ``there`` answers when asked the
    same query again (a server whose answer changes from one call to the next has a bug of its own; one
    whose second answer repeats the first computes a different answer).

    ``known_loss`` names a known defect of the engine that loses rows: an answer that only lacks rows, the
    same when asked again, is then reported as an expected failure with that name (``pytest.xfail``); an
    answer with a row the embedded store does not have, or one that changes, still fails."""
    local = run_query(here, spec, params)
    other = run_query(there, spec, params)
    assert other.vars == local.vars
    want, got = comparable(local, spec), comparable(other, spec)
    if got != want:
        again = comparable(run_query(there, spec, params), spec)
        missing, extra = [r for r in want if r not in got], [r for r in got if r not in want]
        what = (f"{spec.name} {params} on {getattr(there, 'location', there)}: {len(got)} rows, the embedded store "
                f"{len(want)}; lacks {len(missing)}: {_short(missing)}; adds {len(extra)}: {_short(extra)}; asked again "
                + ("it answered the same" if again == got else f"it answered {len(again)} rows"
                   + (", the right ones" if again == want else "")))
        if known_loss and not extra and again == got:
            pytest.xfail(f"{known_loss}: {what}")
        pytest.fail(what, pytrace=False)


def assert_same_rows(there: Queryable, here: Queryable, spec: QuerySpec) -> None:
    """``spec`` gives the same columns and rows on ``there`` as on ``here`` (the embedded store), with the
    header's example parameters, and for the :data:`CORE` queries also without parameters."""
    assert_same_answer(there, here, spec, example(spec))
    if spec.name in CORE:
        assert_same_answer(there, here, spec, {})
