"""Lineage and mandate history to RDF, and lineage input read back from a store.

Two corpus-level named graphs, rebuilt on every build:

* ``…/graph/lineage``: for each link, the direct triple ``later ctkg:<type> earlier`` (a
  sub-property of ``ctkg:derivesFrom``) and a ``ctkg:LineageLink`` node with its evidence: the
  type, the similarity score, the basis (citation or wording), the citation where there is one,
  and the matched spans of both clauses (``oa:TextPositionSelector`` + ``oa:TextQuoteSelector``);
* ``…/graph/mandates``: the mandate events of each body as W3C ORG change events
  (``ctkg:Establishment``, ``ctkg:MandateRenewal``, ``ctkg:ReportingLineChange``), with
  ``org:resultedFrom`` / ``org:changedBy``, ``org:originalOrganization`` /
  ``org:resultingOrganization``, and the mandate period as an OWL-Time ``time:Interval``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from rdflib import Literal, URIRef

from ctkg.graph import iris
from ctkg.graph.build import _CONTROL, Triples
from ctkg.graph.namespaces import CTKG, OA, ORG, PROV, RDF, TIME, XSD
from ctkg.lineage.mandates import MandateEvent
from ctkg.lineage.model import Context, LineageInput, Link, Reference, Unit
from ctkg.model import Span
from ctkg.store.local import OxigraphStore

_PROPERTY = {"reiterates": CTKG.reiterates, "strengthens": CTKG.strengthens, "weakens": CTKG.weakens,
             "extends": CTKG.extends, "recalls": CTKG.recalls}
_EVENT_CLASS = {"establishment": CTKG.Establishment, "renewal": CTKG.MandateRenewal,
                "reporting-line": CTKG.ReportingLineChange}


def _date(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _clause_iri(u: Unit) -> URIRef:
    return iris.item_iri(u.resolution[0], u.resolution[1], u.clause)


def _span(t: Triples, owner: URIRef, prop: URIRef, name: str, unit: Unit, span: Span) -> None:
    node = iris.sub_iri(owner, name)
    t.add(owner, prop, node)
    t.add(node, RDF.type, OA.TextPositionSelector)
    t.add(node, RDF.type, OA.TextQuoteSelector)
    t.add(node, OA.start, Literal(span.start, datatype=XSD.integer))
    t.add(node, OA.end, Literal(span.end, datatype=XSD.integer))
    lo, hi = span.start - unit.span.start, span.end - unit.span.start
    t.add(node, OA.exact, Literal(unit.exact[lo:hi].translate(_CONTROL)))
    t.add(node, CTKG.inSource, iris.source_iri(unit.source))


def lineage_triples(links: Iterable[Link]) -> Triples:
    """The lineage graph."""
    t = Triples()
    for k in links:
        later, earlier = _clause_iri(k.later), _clause_iri(k.earlier)
        n, y = k.later.resolution
        li = iris.item_iri(n, y, k.id)
        t.add(later, _PROPERTY[k.type], earlier)
        t.add(li, RDF.type, CTKG.LineageLink)
        t.add(li, CTKG.laterClause, later)
        t.add(li, CTKG.earlierClause, earlier)
        t.add(li, CTKG.lineageType, Literal(k.type))
        t.add(li, CTKG.similarity, Literal(Decimal(f"{k.score:.1f}"), datatype=XSD.decimal))
        t.add(li, CTKG.lineageBasis, Literal(k.basis))
        if k.citation:
            t.add(li, CTKG.viaCitation, iris.item_iri(n, y, k.citation))
        _span(t, li, CTKG.laterEvidence, "later", k.later, k.later_match)
        _span(t, li, CTKG.earlierEvidence, "earlier", k.earlier, k.earlier_match)
    return t


def mandate_triples(events: Iterable[MandateEvent]) -> Triples:
    """The mandate-history graph."""
    t = Triples()
    for e in events:
        n, y = e.resolution
        ev = iris.item_iri(n, y, e.id)
        body = iris.actor_iri(e.body)
        t.add(ev, RDF.type, _EVENT_CLASS[e.kind])
        t.add(ev, RDF.type, ORG.ChangeEvent)
        t.add(ev, CTKG.decidedIn, iris.resolution_iri(n, y))
        if e.clause:
            t.add(ev, CTKG.decidedBy, iris.item_iri(n, y, e.clause))
        t.add(ev, ORG.resultingOrganization, body)
        if e.kind == "establishment":
            t.add(body, ORG.resultedFrom, ev)
        else:
            t.add(body, ORG.changedBy, ev)
            t.add(ev, ORG.originalOrganization, body)
        if e.kind == "reporting-line":
            if e.recipient:
                t.add(ev, CTKG.newReportRecipient, iris.actor_iri(e.recipient))
            if e.reporting_line:
                t.add(ev, PROV.wasDerivedFrom, iris.item_iri(n, y, e.reporting_line))
            continue
        period = iris.sub_iri(ev, "period")
        t.add(ev, CTKG.mandatePeriod, period)
        t.add(period, RDF.type, TIME.Interval)
        if e.date:
            begin = iris.sub_iri(period, "beginning")
            t.add(period, TIME.hasBeginning, begin)
            t.add(begin, RDF.type, TIME.Instant)
            t.add(begin, TIME.inXSDDate, _date(e.date))
        if e.end:
            end = iris.sub_iri(period, "end")
            t.add(period, TIME.hasEnd, end)
            t.add(end, RDF.type, TIME.Instant)
            t.add(end, TIME.inXSDDate, _date(e.end))
    return t


_PREFIXES = """PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _values(graphs: list[str]) -> str:
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def _local(iri: str, n: int, y: int) -> str:
    return iri.rsplit(f"/res/{n}-{y}/", 1)[-1]


def read_input(store: OxigraphStore, graphs: list[str]) -> LineageInput:
    """The lineage input of resolutions already in ``store`` (their named graphs ``graphs``), for a
    build that does not re-extract them."""
    out = LineageInput()
    if not graphs:
        return out
    where = _values(graphs)
    rows = store.query(_PREFIXES + f"""
        SELECT ?n ?y ?c ?eid ?label ?verb ?mod ?binding ?chapeau ?directive ?text ?start ?end ?exact ?sha
               (GROUP_CONCAT(?code; separator=" ") AS ?codes)
        WHERE {{ {where} GRAPH ?g {{
          ?c a ctkg:Clause ; ctkg:inResolution ?r ; ctkg:inParagraph ?p ; ctkg:verb ?verb ; ctkg:modality ?m ;
             ctkg:binding ?binding ; ctkg:isChapeau ?chapeau ; ctkg:text ?text ;
             ctkg:sourceSpan [ oa:start ?start ; oa:end ?end ; oa:exact ?exact ; ctkg:inSource ?src ] .
          ?r ctkg:number ?n ; ctkg:year ?y . ?p ctkg:eId ?eid ; ctkg:label ?label . ?src ctkg:sha256 ?sha .
          BIND(EXISTS {{ ?c a ctkg:Directive }} AS ?directive)
          OPTIONAL {{ ?c ctkg:addressee ?a }}
        }}
        BIND(STRAFTER(STR(?m), "/modality/") AS ?mod)
        BIND(STRAFTER(STR(?a), "/actor/") AS ?code) }}
        GROUP BY ?n ?y ?c ?eid ?label ?verb ?mod ?binding ?chapeau ?directive ?text ?start ?end ?exact ?sha""")
    per: dict[tuple[int, int], list[tuple[int, Unit]]] = defaultdict(list)
    for row in rows:
        n, y = int(row["n"].value), int(row["y"].value)
        start, end = int(row["start"].value), int(row["end"].value)
        codes = tuple(sorted(row["codes"].value.split())) if row["codes"] is not None else ()
        per[(n, y)].append((start, Unit(
            resolution=(n, y), clause=_local(row["c"].value, n, y), paragraph=row["eid"].value,
            label=row["label"].value, ordinal=0, verb=row["verb"].value, modality=row["mod"].value,
            binding=row["binding"].value == "true", directive=row["directive"].value == "true",
            chapeau=row["chapeau"].value == "true", addressees=codes, text=row["text"].value,
            span=Span(start, end), exact=row["exact"].value, source=row["sha"].value,
        )))
    for key, items in per.items():
        for k, (_, u) in enumerate(sorted(items, key=lambda x: (x[0], x[1].clause)), start=1):
            out.units.append(Unit(**{**u.__dict__, "ordinal": k}))
        out.contexts[key] = Context(key)
    refs = store.query(_PREFIXES + f"""
        SELECT ?n ?y ?x ?eid ?cn ?cy ?lab ?rel ?start ?end WHERE {{ {where} GRAPH ?g {{
          ?x a ctkg:Citation ; ctkg:inResolution ?r ; ctkg:citingParagraph ?p ; ctkg:citedResolution ?cr ;
             ctkg:relation ?relation ; ctkg:sourceSpan [ oa:start ?start ; oa:end ?end ] .
          ?r ctkg:number ?n ; ctkg:year ?y . ?p ctkg:eId ?eid .
          OPTIONAL {{ ?x ctkg:citedParagraphLabel ?lab }}
          OPTIONAL {{ ?cr ctkg:number ?cn ; ctkg:year ?cy }}
        }} BIND(STRAFTER(STR(?relation), "/relation/") AS ?rel) }}""")
    cites: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for row in refs:
        n, y = int(row["n"].value), int(row["y"].value)
        if row["cn"] is None:
            continue
        cited = (int(row["cn"].value), int(row["cy"].value))
        if cited == (n, y):
            continue
        cites[(n, y)].add(cited)
        if row["lab"] is not None:
            out.references.append(Reference(_local(row["x"].value, n, y), (n, y), row["eid"].value,
                                            Span(int(row["start"].value), int(row["end"].value)), cited,
                                            row["lab"].value, row["rel"].value))
    facts = store.query(_PREFIXES + f"""
        SELECT ?n ?y ?date ?agenda (GROUP_CONCAT(DISTINCT ?t; separator=" ") AS ?topics)
        WHERE {{ {where} GRAPH ?g {{ ?r a ctkg:Resolution ; ctkg:textAvailable true ; ctkg:number ?n ; ctkg:year ?y .
          OPTIONAL {{ ?r eli:date_document ?date }} OPTIONAL {{ ?r ctkg:agendaItem ?agenda }}
          OPTIONAL {{ ?r dcterms:subject ?s }} }} BIND(STRAFTER(STR(?s), "/topic/") AS ?t) }}
        GROUP BY ?n ?y ?date ?agenda""")
    for row in facts:
        key = (int(row["n"].value), int(row["y"].value))
        out.contexts[key] = Context(
            key, date.fromisoformat(row["date"].value) if row["date"] is not None else None,
            row["agenda"].value if row["agenda"] is not None else None,
            frozenset(row["topics"].value.split()) if row["topics"] is not None else frozenset(),
            frozenset(cites.get(key, ())),
        )
    return out


__all__ = ["lineage_triples", "mandate_triples", "read_input"]
