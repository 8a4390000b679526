"""The SPARQL endpoint (`ctkg serve`): protocol, formats, errors, CORS, limits, read-only.

Every server runs on 127.0.0.1 with an ephemeral port in a background thread;
all traffic stays on loopback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

import ctkg
from ctkg.serve import ServeError, ServerConfig, SparqlServer, is_loopback
from ctkg.serve.cli import add_parsers
from ctkg.store.local import OxigraphStore

SELECT_CTED = """PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?reporter ?recipient ?due WHERE {
  ?l a ctkg:ReportingLine ; ctkg:reporter/skos:notation ?reporter ; ctkg:reportRecipient/skos:notation ?recipient ;
     ctkg:hasDeadline/ctkg:dueDate ?due .
  FILTER(?reporter = "CTED")
}"""
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def demo_store() -> OxigraphStore:
    handle = ctkg.build(corpus="demo", store="memory:").store_handle
    assert handle is not None
    return handle


@pytest.fixture(scope="module")
def server(demo_store: OxigraphStore) -> Iterator[SparqlServer]:
    srv = SparqlServer(demo_store, ServerConfig(port=0, max_rows=50, timeout=10, quiet=True))
    srv.start()
    yield srv
    srv.shutdown()


def call(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def get(server: SparqlServer, query: str, accept: str | None = None, **params: str) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return call(f"{server.url}?{qs}", headers={"Accept": accept} if accept else {})


def test_get_json_answers_the_cted_reporting_deadline(server: SparqlServer) -> None:
    status, headers, body = get(server, SELECT_CTED, "application/sparql-results+json")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["reporter", "recipient", "due"]
    rows = [(b["reporter"]["value"], b["recipient"]["value"], b["due"]["value"]) for b in doc["results"]["bindings"]]
    assert rows == [("CTED", "CTC", "2017-10-12")]  # 2322 (2016), paragraph 21: within ten months
    assert doc["results"]["bindings"][0]["due"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert "X-CTKG-Truncated" not in headers


def test_post_form_and_post_sparql_query(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": SELECT_CTED}).encode()
    s1, _, b1 = call(server.url, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    s2, _, b2 = call(server.url, data=SELECT_CTED.encode(), headers={"Content-Type": "application/sparql-query"})
    assert s1 == s2 == 200
    assert json.loads(b1) == json.loads(b2)
    assert json.loads(b1)["results"]["bindings"][0]["recipient"]["value"] == "CTC"


@pytest.mark.parametrize(("accept", "fmt", "media"), [
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    (None, "csv", "text/csv"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", None, "application/sparql-results+json"),
])
def test_select_formats(server: SparqlServer, accept: str | None, fmt: str | None, media: str) -> None:
    params = {"format": fmt} if fmt else {}
    status, headers, body = get(server, SELECT_CTED, accept, **params)
    assert status == 200 and headers["Content-Type"].startswith(media)
    text = body.decode()
    if media == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        values = [e.text for e in ET.fromstring(body).iterfind(".//r:binding/r:literal", ns)]
        assert values == ["CTED", "CTC", "2017-10-12"]
    elif media == "text/csv":
        assert list(csv.reader(io.StringIO(text))) == [["reporter", "recipient", "due"], ["CTED", "CTC", "2017-10-12"]]
    elif media == "text/tab-separated-values":
        lines = text.strip().splitlines()
        assert lines[0] == "?reporter\t?recipient\t?due"
        assert lines[1].startswith('"CTED"\t"CTC"\t"2017-10-12"')
    else:
        assert json.loads(body)["head"]["vars"] == ["reporter", "recipient", "due"]


def test_construct_as_turtle_and_ntriples(server: SparqlServer) -> None:
    q = ("PREFIX ctkg: <https://w3id.org/ctkg/ontology#> CONSTRUCT { ?r ctkg:underChapterVII ?b } "
         "WHERE { ?r ctkg:underChapterVII ?b }")
    status, headers, body = get(server, q, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    chapter7 = {t.subject.value: t.object.value for t in triples}
    assert chapter7["https://w3id.org/ctkg/id/res/1373-2001"] == "true"  # "Acting under Chapter VII"
    assert chapter7["https://w3id.org/ctkg/id/res/731-1992"] == "false"
    status, headers, body = get(server, q, format="ntriples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == len(triples)


def test_ask(server: SparqlServer) -> None:
    q = 'ASK { ?s <http://www.w3.org/2004/02/skos/core#notation> "CTED" }'
    status, _, body = get(server, q)
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


def test_not_acceptable(server: SparqlServer) -> None:
    assert get(server, SELECT_CTED, "text/turtle")[0] == 406
    assert get(server, SELECT_CTED, format="nonsense")[0] == 406
    assert get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")[0] == 406


def test_malformed_query_gives_400_with_the_parser_message(server: SparqlServer) -> None:
    status, _, body = get(server, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400
    assert body.decode().startswith("malformed query:") and "error at" in body.decode()


@pytest.mark.parametrize("how", ["query", "update-param", "update-body", "get-update"])
def test_updates_are_refused(server: SparqlServer, demo_store: OxigraphStore, how: str) -> None:
    before = len(demo_store)
    upd = "PREFIX x: <urn:x#>\nINSERT DATA { x:a x:b x:c }"
    if how == "query":
        status = get(server, "DROP ALL")[0]
    elif how == "update-param":
        status = call(server.url, data=urllib.parse.urlencode({"update": upd}).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})[0]
    elif how == "update-body":
        status = call(server.url, data=upd.encode(), headers={"Content-Type": "application/sparql-update"})[0]
    else:
        status = call(f"{server.url}?{urllib.parse.urlencode({'update': upd})}")[0]
    assert status == 403
    assert len(demo_store) == before


def test_cors_headers_and_preflight(server: SparqlServer) -> None:
    _, headers, _ = get(server, SELECT_CTED)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = call(server.url, method="OPTIONS", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type"


def test_row_limit_truncates_and_flags(server: SparqlServer) -> None:
    status, headers, body = get(server, ALL_TRIPLES)
    assert status == 200
    assert headers["X-CTKG-Truncated"] == "true" and headers["X-CTKG-Max-Rows"] == "50"
    assert len(json.loads(body)["results"]["bindings"]) == 50
    status, headers, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert headers["X-CTKG-Truncated"] == "true"
    assert len(body.decode().strip().splitlines()) == 50
    status, headers, body = get(server, ALL_TRIPLES + " LIMIT 50")
    assert "X-CTKG-Truncated" not in headers and len(json.loads(body)["results"]["bindings"]) == 50


def test_other_errors(server: SparqlServer) -> None:
    assert call(server.url.replace("/sparql", "/nothing"))[0] == 404
    assert call(server.url, method="PUT", data=b"x")[0] == 405
    assert call(server.url, data=b"query=x", headers={"Content-Type": "text/plain"})[0] == 415
    big = b"query=" + b"x" * 1_000_001
    assert call(server.url, data=big, headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 413
    status, _, body = call(server.url)
    assert status == 200 and b"read-only" in body


def test_named_graph_selection(server: SparqlServer) -> None:
    q = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX ctkg: <https://w3id.org/ctkg/ontology#> "
         "SELECT DISTINCT ?id WHERE { ?r ctkg:textComplete ?c ; dcterms:identifier ?id }")
    status, _, body = get(server, q, **{"default-graph-uri": "https://w3id.org/ctkg/graph/res/731-1992"})
    assert status == 200
    assert [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["S/RES/731 (1992)"]


def test_timeout_gives_503_promptly() -> None:
    store = OxigraphStore(ox.Store(), "memory:")
    store.raw.extend([ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i), ox.NamedNode("urn:g"))
                      for i in range(2000)])
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c < ?f) }"
    with SparqlServer(store, ServerConfig(port=0, timeout=0.2, quiet=True)) as srv:
        srv.start()
        t0 = time.monotonic()
        status, headers, body = get(srv, slow)
        assert status == 503 and "time limit" in body.decode()
        assert time.monotonic() - t0 < 0.9
        assert headers["Access-Control-Allow-Origin"] == "*"


def test_allow_update_on_a_writable_store() -> None:
    store = OxigraphStore(ox.Store(), "memory:")
    with SparqlServer(store, ServerConfig(port=0, allow_update=True, quiet=True)) as srv:
        srv.start()
        status = call(srv.url, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                      headers={"Content-Type": "application/sparql-update"})[0]
        assert status == 204 and len(store) == 1


def test_public_address_needs_public_flag(demo_store: OxigraphStore) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and not is_loopback("0.0.0.0")
    with pytest.raises(ServeError):
        SparqlServer(demo_store, ServerConfig(host="0.0.0.0", port=0))


def test_cli_parser_defaults() -> None:
    parser = argparse.ArgumentParser()
    commands = add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", "--store", "/tmp/x"])
    assert set(commands) == {"serve"}
    assert (args.host, args.port, args.timeout, args.max_rows, args.cors_origin, args.public, args.allow_update) == (
        "127.0.0.1", 7878, 30.0, 10_000, "*", False, False)
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--timeout", "0"])
