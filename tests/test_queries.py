"""The query catalogue: headers, expected results on the demo graph, safe binding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

import ctkg
from ctkg.errors import QueryError
from ctkg.query.bind import bind_values
from ctkg.query.catalog import PARAM_TYPES, catalog

CASES = Path(__file__).parent / "conformance" / "queries"
REQUIRED = {
    "obligations": ["resolution", "paragraph", "verb", "modality", "binding", "addressee", "deadline", "text"],
    "reporting-lines": ["reporter", "recipient", "resolution", "paragraph", "deadline", "frequency"],
    "citations": ["resolution", "paragraph", "cited", "citedParagraph", "relation"],
}


@pytest.fixture(scope="module")
def demo_store():
    return ctkg.build(corpus="demo", store="memory:").store_handle


def test_catalogue_headers() -> None:
    cat = catalog()
    assert set(REQUIRED) <= set(cat)
    for name, spec in cat.items():
        assert spec.summary and spec.returns, name
        for p in spec.params:
            assert p.type in PARAM_TYPES and p.example and p.description, (name, p)
        prepareQuery(spec.sparql)  # valid SPARQL 1.1 for rdflib too
        ox.Store().query(bind_values(spec.sparql, {p.name: None for p in spec.params}))


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_result_columns(name: str, demo_store) -> None:
    res = ctkg.query_results(demo_store, name)
    assert list(res.vars) == REQUIRED[name]
    assert res.rows


def test_every_query_answers_its_example(demo_store) -> None:
    for name, spec in catalog().items():
        params = {p.name: p.example for p in spec.params if p.required}
        assert ctkg.query_results(demo_store, name, params).rows, name


def _case(file: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    lines = file.read_text("utf-8").splitlines()
    header = lines[0]
    params: dict[str, str] = {}
    if header.startswith("# params:"):
        spec = header[len("# params:") :].split(";")[0].strip()
        for part in spec.split(" "):
            if "=" in part:
                k, v = part.split("=", 1)
                params[k] = v
            elif params:  # a value with spaces, e.g. S/RES/2322 (2016)
                last = list(params)[-1]
                params[last] += " " + part
        lines = lines[1:]
    return params, list(csv.DictReader(io.StringIO("\n".join(lines))))


@pytest.mark.parametrize("file", sorted(CASES.glob("*.csv")), ids=lambda p: p.stem)
def test_expected_results(file: Path, demo_store) -> None:
    name = file.stem.split(".")[0]
    params, want = _case(file)
    got = ctkg.query(demo_store, name, **params)
    cols = list(want[0]) if want else []
    norm = [{c: ("" if r[c] is None else str(r[c]).lower() if isinstance(r[c], bool) else str(r[c])) for c in cols}
            for r in got]
    assert norm == want


@pytest.mark.parametrize("evil", ['" } ; DROP ALL #', "CTC\" } UNION { ?s ?p ?o", "x\\\" . } #", "<urn:x>"])
def test_parameter_values_are_never_executed(evil: str, demo_store) -> None:
    before = len(demo_store)
    assert ctkg.query(demo_store, "obligations", actor=evil) == []
    assert len(demo_store) == before


def test_typed_parameters(demo_store) -> None:
    rows = ctkg.query(demo_store, "obligations", binding="true", actor="STATES")
    assert rows and all(r["binding"] is True for r in rows)
    with pytest.raises(QueryError):
        ctkg.query(demo_store, "obligations", binding="maybe")
    with pytest.raises(QueryError):
        ctkg.query(demo_store, "obligations", nonsense="1")
    with pytest.raises(QueryError):
        ctkg.query(demo_store, "no-such-query")


def test_json_results_follow_the_w3c_format(demo_store) -> None:
    import json

    doc = json.loads(ctkg.query_results(demo_store, "reporting-lines").to_json())
    assert doc["head"]["vars"][:2] == ["reporter", "recipient"]
    first = doc["results"]["bindings"][0]
    assert first["reporter"] == {"type": "literal", "value": "STATES"}
