"""SHACL validation: the demo graph conforms, and realistic extraction mistakes are caught."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

import ctkg
from ctkg.graph.build import actor_triples, document_triples
from ctkg.graph.namespaces import CTKG, ID, MODALITY
from ctkg.model import Document
from ctkg.validate import (
    ShapeCompileError,
    _describe,
    compiled_shapes,
    validate_graph,
    validate_graph_sparql,
    validate_store,
)
from ctkg.validate.compile import compile_shapes

RES = "https://w3id.org/ctkg/id/res/2322-2016/"


@pytest.fixture(scope="module")
def base(extracted: dict[str, Document]) -> Graph:
    g = document_triples(extracted["2322_2016"]).graph()
    g += actor_triples().graph()
    return g


def test_demo_store_conforms() -> None:
    report = ctkg.validate(ctkg.build(corpus="demo", store="memory:").store_handle)
    assert report.graphs == 4
    assert report.violations == [], [r.line() for r in report.violations[:5]]
    assert report.conforms


def test_base_graph_conforms(base: Graph) -> None:
    conforms, _ = validate_graph(base)
    assert conforms


def _mutate_subparagraph_modality(g: Graph) -> None:
    # a sub-paragraph of "Calls upon all States to:" labelled "decides"
    c = URIRef(RES + "para_13__subpara_b__clause_1")
    g.remove((c, CTKG.modality, None))
    g.add((c, CTKG.modality, MODALITY["decides"]))


def _drop_addressee(g: Graph) -> None:
    g.remove((URIRef(RES + "para_21__clause_1"), CTKG.addressee, None))


def _self_report(g: Graph) -> None:
    line = URIRef(RES + "para_21__clause_1__report_1")
    g.remove((line, CTKG.reportRecipient, None))
    g.add((line, CTKG.reportRecipient, ID["actor/CTED"]))


def _due_before_adoption(g: Graph) -> None:
    d = URIRef(RES + "para_21__clause_1/deadline_1")
    g.remove((d, CTKG.dueDate, None))
    g.add((d, CTKG.dueDate, Literal("2015-01-01", datatype=XSD.date)))


def _binding_without_chapter_vii(g: Graph) -> None:
    c = URIRef(RES + "para_3__clause_1")
    g.remove((c, CTKG.binding, None))
    g.add((c, CTKG.binding, Literal(True)))
    g.remove((c, CTKG.modality, None))
    g.add((c, CTKG.modality, MODALITY["decides"]))


def _bad_symbol(g: Graph) -> None:
    from rdflib.namespace import DCTERMS

    r = URIRef("https://w3id.org/ctkg/id/res/2322-2016")
    g.remove((r, DCTERMS.identifier, None))
    g.add((r, DCTERMS.identifier, Literal("S/RES/2322(2016)")))


@pytest.mark.parametrize(
    ("mutate", "severity", "needle"),
    [
        (_mutate_subparagraph_modality, "Violation", "inherits from chapeau"),
        (_drop_addressee, "Violation", "at least one ctkg:addressee"),
        (_self_report, "Violation", "not also its recipient"),
        (_due_before_adoption, "Violation", "falls due on 2015-01-01"),
        (_binding_without_chapter_vii, "Warning", "not adopted under Chapter VII"),
        (_bad_symbol, "Violation", "S/RES/"),
    ],
    ids=["subparagraph-decides", "no-addressee", "self-report", "due-before-adoption", "binding-hortatory",
         "symbol-pattern"],
)
@pytest.mark.parametrize("engine", [validate_graph, validate_graph_sparql], ids=["pyshacl", "sparql"])
def test_mistakes_are_caught(
    base: Graph, mutate: Callable[[Graph], None], severity: str, needle: str, engine: Callable[[Graph], tuple[bool, Graph]]
) -> None:
    g = Graph()
    g += base
    mutate(g)
    conforms, report = engine(g)
    results = _describe(g, report)
    hits = [r for r in results if needle in r.message and r.severity == severity]
    assert hits, [r.line() for r in results]
    assert conforms is (severity != "Violation")
    assert all(r.resolution == "S/RES/2322 (2016)" for r in hits)


def _key(g: Graph, report: Graph) -> set[tuple[str, str, str | None, str, str | None]]:
    return {(r.focus, r.component, r.path, r.severity, r.value) for r in _describe(g, report)}


@pytest.mark.parametrize(
    "mutations",
    [[], [_mutate_subparagraph_modality, _drop_addressee, _self_report, _due_before_adoption,
          _binding_without_chapter_vii, _bad_symbol]],
    ids=["as-built", "all-mistakes"],
)
def test_engines_agree(base: Graph, mutations: list[Callable[[Graph], None]]) -> None:
    """The shapes compiled to SPARQL report exactly what pySHACL reports (focus, component, path,
    severity, value), on the real 2322 (2016) graph and with six realistic mistakes at once."""
    g = Graph()
    g += base
    for mutate in mutations:
        mutate(g)
    reference = _key(g, validate_graph(g)[1])
    fast = _key(g, validate_graph_sparql(g)[1])
    assert fast == reference
    assert bool(reference) is bool(mutations)


def test_engines_agree_on_a_store() -> None:
    """On a store (resolution graphs, actors, index, ontology), with a mistake in two graphs."""
    store = ctkg.build(corpus="demo", store="memory:").store_handle
    bad = [
        f"<{RES}para_21__clause_1__report_1> <{CTKG.reportRecipient}> <{ID['actor/CTED']}> "
        "<https://w3id.org/ctkg/graph/res/2322-2016> .",
        "<https://w3id.org/ctkg/id/res/1373-2001> <http://purl.org/dc/terms/identifier> \"S/RES/1373\" "
        "<https://w3id.org/ctkg/graph/res/1373-2001> .",
    ]
    import pyoxigraph as ox

    store.raw.load("\n".join(bad).encode(), format=ox.RdfFormat.N_QUADS)
    fast, reference = validate_store(store, "sparql"), validate_store(store, "pyshacl")

    def key(rs: list) -> set[tuple[str, str, str | None, str]]:
        return {(r.focus, r.component, r.path, r.severity) for r in rs}

    assert key(fast.results) == key(reference.results)
    assert {r.component for r in fast.violations} >= {"DisjointConstraintComponent", "PatternConstraintComponent"}
    assert not fast.conforms and not reference.conforms
    assert any(r.paragraph == "21" and r.excerpt for r in fast.violations)


def test_every_shape_compiles() -> None:
    compiled = compiled_shapes()
    assert len(compiled) > 250
    assert {c.component for c in compiled} >= {
        "MinCountConstraintComponent", "MaxCountConstraintComponent", "DatatypeConstraintComponent",
        "ClassConstraintComponent", "PatternConstraintComponent", "InConstraintComponent",
        "SPARQLConstraintComponent", "OrConstraintComponent", "LessThanConstraintComponent",
        "DisjointConstraintComponent", "UniqueLangConstraintComponent",
    }
    assert all("SELECT" in c.query for c in compiled)


def test_unsupported_shape_feature_is_an_error() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype ex:T ] ; sh:qualifiedMinCount 1 ] .
        """, format="turtle")
    with pytest.raises(ShapeCompileError, match="qualified"):
        compile_shapes(shapes)


def test_logical_components_agree_with_pyshacl() -> None:
    """Nested shapes (or, and, not, xone, node; node-level hasValue, counts inside a logical
    component) compiled to SPARQL give pySHACL's results on a small graph made for them."""
    import pyoxigraph as ox
    from pyshacl import validate as shacl_validate
    from rdflib.namespace import SH

    from ctkg.validate import run_compiled

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:or ( [ sh:hasValue ex:a ] [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ] ) ;
            sh:property [ sh:path ex:q ; sh:not [ sh:datatype xsd:string ] ] ,
                        [ sh:path ex:r ; sh:xone ( [ sh:datatype xsd:integer ] [ sh:minInclusive 10 ] ) ] ,
                        [ sh:path ex:s ; sh:node ex:T ] ,
                        [ sh:path ex:t ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:class ex:D ] ) ] .
        ex:T a sh:NodeShape ; sh:property [ sh:path ex:u ; sh:minCount 1 ; sh:pattern "^ok" ] .
        """, format="turtle")
    data = Graph().parse(data="""
        @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:a a ex:C .                                   # conforms through hasValue
        ex:b a ex:C .                                   # neither branch of the or
        ex:c a ex:C ; ex:p 1, 2 .                       # two values: the second branch fails too
        ex:d a ex:C ; ex:p 1 ; ex:q "text" , 3 ;        # q "text" violates the not
             ex:r 5 , 20 , 12.5 , "x" ;                 # xone: 5 ok, 20 both, 12.5 ok, "x" neither
             ex:s ex:n1 , ex:n2 ;                       # n1 conforms to T, n2 does not
             ex:t ex:d1 , ex:d2 , "lit" .               # d1 is a D; d2 is not; a literal is not an IRI
        ex:n1 ex:u "ok fine" .  ex:n2 ex:u "bad" .
        ex:d1 a ex:D .
        """, format="turtle")

    _, reference, _ = shacl_validate(data, shacl_graph=shapes, inference="none")
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    fast = run_compiled(store, compile_shapes(shapes))

    def key(report: Graph) -> set[tuple[str, str, str]]:
        out = set()
        for r in report.objects(None, SH.result):  # not the nested sh:detail results
            out.add((str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceConstraintComponent)),
                     str(report.value(r, SH.value))))
        return out

    from ctkg.validate import report_graph

    expected = key(reference)
    assert key(report_graph(fast, shapes)) == expected
    assert len(expected) == 8, sorted(expected)
