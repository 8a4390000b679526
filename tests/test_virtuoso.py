"""Virtuoso Open Source, the fourth engine: the counter-terrorism set pushed with ``ctkg push`` (Graph Store
Protocol, logged in by HTTP digest) answers every catalogue query with the same rows as the embedded store,
every hand-checked expectation of tests/test_catalogue.py holds there, and pushing twice changes nothing.

Virtuoso (Debian ``virtuoso-opensource``, which .ci/run installs) is started here with an ini file of its
own (tests/servers.py): a fresh database in a temporary folder, SQL and HTTP ports on free loopback ports,
once per session, and stopped by its PID.  Without ``virtuoso-t`` the tests skip."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from ctkg.errors import StoreError
from ctkg.query.catalog import catalog
from ctkg.query.run import run_query
from ctkg.store.local import OxigraphStore
from ctkg.store.push import push
from ctkg.store.remote import PASSWORD_ENV, Credentials, RemoteStore
from ctkg.store.remote_cli import add_parsers
from tests import servers
from tests.servers import VIRTUOSO_DBA, Virtuoso
from tests.test_catalogue import CHECKS

ONE = "https://w3id.org/ctkg/graph/res/1373-2001"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with servers.virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def ct() -> OxigraphStore:
    return servers.ct_store()


@pytest.fixture(scope="module")
def loaded(ct: OxigraphStore, virtuoso: Virtuoso) -> RemoteStore:
    """The counter-terrorism set in Virtuoso, queried at its public endpoint /sparql."""
    result = push(ct, virtuoso.sparql_auth, credentials=VIRTUOSO_DBA)
    assert result.method == "gsp"  # /sparql-auth: the Graph Store Protocol at /sparql-graph-crud-auth
    assert result.triples == len(ct) and set(result.graphs) == set(ct.graphs())
    return RemoteStore(virtuoso.sparql, timeout=60)  # a minute on loopback is a failure, not a slow answer


def _ours(store: RemoteStore, ct: OxigraphStore) -> dict[str, int]:
    """Triples per named graph of ours (Virtuoso also keeps system graphs of its own)."""
    return {g: store.triples(g) for g in ct.graphs()}


@pytest.mark.parametrize("name", list(catalog()))
def test_every_catalogue_query_returns_the_same_rows_on_virtuoso(
        name: str, ct: OxigraphStore, loaded: RemoteStore) -> None:
    servers.assert_same_rows(loaded, ct, catalog()[name])


@pytest.mark.parametrize(("resolution", "paragraph"), [
    ("S/RES/2763 (2024)", "2"),  # eleven links deep; 2,048 paths from one clause
    ("S/RES/2734 (2024)", "1"),  # sub-paragraphs (a)-(c), 136 rows
    ("S/RES/2253 (2015)", "30"),  # reaches 2083 (2012) para 52 directly and through 2161 (2014)
])
def test_clause_lineage_of_long_and_branching_chains(
        resolution: str, paragraph: str, ct: OxigraphStore, loaded: RemoteStore) -> None:
    # Virtuoso 7.2 returns a `*` path once per path, and lost rows of BIND(NOT EXISTS ...) here (issue #6).
    # On these deep chains it still loses a row or a few under some of its plans, and which plan it takes
    # varies from one server to the next (6 of 25 test sessions here, never in 30 recompilations on
    # one server): a loss of rows, stable when asked again, is reported as an expected failure; a wrong
    # or changing row fails.  The catalogue's own example (test above) is compared strictly.
    spec = catalog()["clause-lineage"]
    params = {"resolution": resolution, "paragraph": paragraph}
    assert run_query(ct, spec, params).rows
    servers.assert_same_answer(loaded, ct, spec, params,
                               known_loss="Virtuoso 7.2 loses rows of deep `*` path chains under some plans")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_expected_answers_on_virtuoso(name: str, loaded: RemoteStore) -> None:
    if name not in catalog():
        pytest.skip(f"{name} is not in the catalogue")
    CHECKS[name](loaded)  # type: ignore[arg-type]  # the checks only call ctkg.query, which takes a server


def test_booleans_come_back_canonical(loaded: RemoteStore) -> None:
    # Virtuoso keeps xsd:boolean as an integer and answers "1"^^xsd:boolean; the remote store says "true"
    sol = list(loaded.query("SELECT DISTINCT ?b WHERE { ?c <https://w3id.org/ctkg/ontology#binding> ?b }"))
    assert sorted(s[0].value for s in sol) == ["false", "true"]
    assert {s[0].datatype.value for s in sol} == {"http://www.w3.org/2001/XMLSchema#boolean"}


def test_pushing_twice_changes_nothing(ct: OxigraphStore, loaded: RemoteStore, virtuoso: Virtuoso) -> None:
    expected = {g: sum(1 for _ in ct.graph_quads(g)) for g in ct.graphs()}
    before = len(loaded)  # with Virtuoso's own graphs
    assert _ours(loaded, ct) == expected
    push(ct, virtuoso.sparql_auth, credentials=VIRTUOSO_DBA)  # the Graph Store Protocol again
    assert len(loaded) == before and _ours(loaded, ct) == expected
    # SPARQL Update: DROP SILENT GRAPH + INSERT DATA in chunks (Virtuoso refuses an INSERT DATA of ~2,000)
    result = push(ct, virtuoso.sparql_auth, ONE, update=True, credentials=VIRTUOSO_DBA)
    assert result.method == "update" and result.graphs[ONE] == expected[ONE] > 1000
    assert len(loaded) == before and loaded.triples(ONE) == expected[ONE]


def test_a_push_without_the_right_login_is_refused_with_advice(ct: OxigraphStore, virtuoso: Virtuoso) -> None:
    with pytest.raises(StoreError, match=r"HTTP 401.*--user"):
        push(ct, virtuoso.sparql_auth, ONE)
    with pytest.raises(StoreError, match="login was refused"):
        push(ct, virtuoso.sparql_auth, ONE, credentials=Credentials("dba", "not-the-password"))
    # the public endpoint: the SPARQL user may not write unless granted SPARQL_UPDATE
    with pytest.raises(StoreError, match=r"(?s)SECURITY.*/sparql-auth.*SPARQL_UPDATE"):
        push(ct, virtuoso.sparql, ONE)


def test_the_push_command_logs_in(ct: OxigraphStore, loaded: RemoteStore, virtuoso: Virtuoso,
                                  monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    commands = add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["push", "--endpoint", virtuoso.sparql_auth, "--user", "dba", "--graph", ONE,
                              "--store", "memory:"])
    monkeypatch.setattr("ctkg.store.remote_cli.open_store", lambda *a, **k: _Borrowed(ct))
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(StoreError, match=PASSWORD_ENV):  # no password: refused before anything is sent
        commands["push"](args)
    monkeypatch.setenv(PASSWORD_ENV, "dba")
    before = len(loaded)
    assert commands["push"](args) == 0
    out, err = capsys.readouterr()
    assert ONE in out and "Graph Store Protocol" in err
    assert len(loaded) == before


class _Borrowed:
    """A store handed to the command as if it had opened it (closing it does nothing)."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store = store

    def __enter__(self) -> OxigraphStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        pass
