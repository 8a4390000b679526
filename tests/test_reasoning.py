"""Reasoning: OWL 2 RL materialisation, HermiT consistency and classification, quality checks, docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import ctkg
from ctkg.check import run_checks
from ctkg.docs import GENERATED, ontology_html
from ctkg.reason import INFERRED_GRAPH, hermit, materialise

ID = "https://w3id.org/ctkg/id/"
CTKG = "https://w3id.org/ctkg/ontology#"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (CI installs a JRE)")


@pytest.fixture()
def store():
    return ctkg.build(corpus="demo", store="memory:").store_handle


def _inferred(store, prop: str) -> set[tuple[str, str]]:
    q = f"SELECT ?a ?b WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?a <{prop}> ?b }} }}"
    return {(r[0].value.rsplit("/", 1)[1], r[1].value.rsplit("/", 1)[1]) for r in store.query(q)}


def test_materialise_reporting_chains(store) -> None:
    first = materialise(store)
    chain = _inferred(store, CTKG + "reportingChain")
    # CTED reports to the CTC (2322 para 21), the CTC updates the Council (para 22): a chain CTED -> Council
    assert ("CTED", "SECURITY_COUNCIL") in chain
    assert ("CTED", "CTC") in chain
    assert ("CTC", "CTED") not in chain
    assert ("CTED", "CTC") in _inferred(store, "http://www.w3.org/ns/org#reportsTo")
    # sub-organizations: CTED within the CTC within the Council, and the inverse
    assert ("CTED", "SECURITY_COUNCIL") in _inferred(store, "http://www.w3.org/ns/org#transitiveSubOrganizationOf")
    assert ("CTC", "CTED") in _inferred(store, "http://www.w3.org/ns/org#hasSubOrganization")
    again = materialise(store)
    assert again.inferred == first.inferred  # replaces the inferred graph, idempotent
    assert len(list(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH))))) == first.inferred


@needs_java
def test_hermit_classifies_and_finds_the_demo_consistent(store) -> None:
    result = hermit(store, classify=True)
    assert result.consistent, result.message
    m = result.members
    clause_1a = ID + "res/1373-2001/para_1__subpara_a__clause_1"
    clause_21 = ID + "res/2322-2016/para_21__clause_1"
    assert clause_1a in m["BindingObligation"] and clause_1a in m["ObligationOnStates"]
    assert clause_21 in m["ReportingObligation"] and clause_21 in m["ObligationOnUNBody"]
    assert clause_21 not in m["BindingObligation"]  # "Requests" is not binding


@needs_java
def test_hermit_finds_a_contradiction(store) -> None:
    g = ox.NamedNode("https://w3id.org/ctkg/graph/res/1373-2001")
    clause = ox.NamedNode(ID + "res/1373-2001/para_1__subpara_a__clause_1")
    # an obligation that is also a permission: the ontology makes the two disjoint
    store.raw.add(ox.Quad(clause, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode(CTKG + "Permission"), g))
    assert hermit(store).consistent is False


def test_quality_checks_pass(store) -> None:
    materialise(store)
    report = run_checks(store)
    assert {"term-without-label-or-definition", "undeclared-term", "unused-term"} <= set(report.checks)
    assert report.ok, {k: [tuple(c.value for c in row if c) for row in v.rows] for k, v in report.failures.items()}


def test_quality_checks_catch_problems(store) -> None:
    onto = ox.NamedNode("https://w3id.org/ctkg/graph/ontology")
    term = ox.NamedNode(CTKG + "Orphan")
    store.raw.add(ox.Quad(term, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#isDefinedBy"),
                          ox.NamedNode("https://w3id.org/ctkg/ontology"), onto))
    data = ox.NamedNode("https://w3id.org/ctkg/graph/res/731-1992")
    store.raw.add(ox.Quad(ox.NamedNode(ID + "x"), ox.NamedNode(CTKG + "madeUpProperty"), ox.Literal("1"), data))
    report = run_checks(store)
    rows = {k: {r[0].value for r in v.rows if r[0]} for k, v in report.failures.items()}
    assert CTKG + "Orphan" in rows["term-without-label-or-definition"]
    assert CTKG + "Orphan" in rows["unused-term"]
    assert CTKG + "madeUpProperty" in rows["undeclared-term"]


def test_docs_are_current() -> None:
    committed = Path(__file__).resolve().parent.parent / "docs" / "ontology.html"
    assert committed.read_text("utf-8") == ontology_html(), "docs/ontology.html is stale: run `ctkg docs`"
    assert GENERATED in committed.read_text("utf-8")
    assert "http://" not in committed.read_text("utf-8").split("<style>")[1].split("</style>")[0]


@needs_java
def test_hermit_finds_the_counter_terrorism_set_consistent() -> None:
    """The ontology plus all 100 counter-terrorism resolutions as individuals."""
    ct = ctkg.build(store="memory:").store_handle
    result = hermit(ct)
    assert result.consistent, result.message
    assert result.individuals > 10_000
