"""Lineage and mandate history to RDF, and lineage input read back from a store.

One named graph per resolution for each (so that adding a resolution writes only its own graphs):

* ``…/graph/lineage/N-YYYY`` (:func:`ctkg.graph.iris.lineage_graph_iri`): the links whose later
  clause is in resolution N (YYYY): for each link, the direct triple ``later ctkg:<type> earlier``
  (a sub-property of ``ctkg:derivesFrom``) and a ``ctkg:LineageLink`` node with its evidence: the
  type, the similarity score, the basis (citation or wording), the citation where there is one,
  and the matched spans of both clauses (``oa:TextPositionSelector`` + ``oa:TextQuoteSelector``);
* ``…/graph/mandates/N-YYYY`` (:func:`ctkg.graph.iris.mandates_graph_iri`): the mandate events
  resolution N decides, as W3C ORG change events (``ctkg:Establishment``,
  ``ctkg:MandateRenewal``, ``ctkg:ReportingLineChange``), with ``org:resultedFrom`` /
  ``org:changedBy``, ``org:originalOrganization`` / ``org:resultingOrganization``, and the
  mandate period as an OWL-Time ``time:Interval`` (an establishment known only from the UN index,
  CTED's by 1535 (2004), is in the graph of that resolution even when its text is not in the store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal

from rdflib import Literal, URIRef

from ctkg.graph import iris
from ctkg.graph.build import _CONTROL, Triples
from ctkg.graph.namespaces import CTKG, ID, OA, ORG, PROV, RDF, TIME, XSD
from ctkg.lineage.mandates import (
    Earlier,
    MandateEvent,
    MandateFacts,
    bodies,
    established_bodies,
    establishing_clause,
    mandate_events,
)
from ctkg.lineage.model import Context, LineageInput, Link, Reference, ResKey, Unit
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


# the terms _span writes twice per link, made once (rdflib makes a new term at each attribute lookup)
_TYPE, _POSITION, _QUOTE = RDF.type, OA.TextPositionSelector, OA.TextQuoteSelector
_START, _END, _EXACT, _IN_SOURCE, _INTEGER = OA.start, OA.end, OA.exact, CTKG.inSource, XSD.integer


def _span(t: Triples, owner: URIRef, prop: URIRef, name: str, unit: Unit, span: Span) -> None:
    node = iris.sub_iri(owner, name)
    t.add(owner, prop, node)
    t.add(node, _TYPE, _POSITION)
    t.add(node, _TYPE, _QUOTE)
    t.add(node, _START, Literal(str(span.start), datatype=_INTEGER))  # a lexical form: no Python-value cast
    t.add(node, _END, Literal(str(span.end), datatype=_INTEGER))
    lo, hi = span.start - unit.span.start, span.end - unit.span.start
    t.add(node, _EXACT, Literal(unit.exact[lo:hi].translate(_CONTROL)))
    t.add(node, _IN_SOURCE, iris.source_iri(unit.source))


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


def lineage_graphs(links: Iterable[Link]) -> dict[ResKey, Triples]:
    """The lineage graph of each later resolution (:func:`lineage_triples` of its links)."""
    per: dict[ResKey, list[Link]] = defaultdict(list)
    for k in links:
        per[k.later.resolution].append(k)
    return {key: lineage_triples(ks) for key, ks in sorted(per.items())}


def mandate_graphs(events: Iterable[MandateEvent]) -> dict[ResKey, Triples]:
    """The mandate-history graph of each deciding resolution (:func:`mandate_triples` of its events)."""
    per: dict[ResKey, list[MandateEvent]] = defaultdict(list)
    for e in events:
        per[e.resolution].append(e)
    return {key: mandate_triples(es) for key, es in sorted(per.items())}


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
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def _values(graphs: list[str]) -> str:
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def _local(iri: str, n: int, y: int) -> str:
    return iri.rsplit(f"/res/{n}-{y}/", 1)[-1]


def _graph_of(item: str) -> str:
    """The resolution graph of a clause (or other item) IRI ``…/id/res/N-YYYY/…``."""
    return str(iris.graph_iri(*iris.resolution_of_item(item)))


def read_input(store: OxigraphStore, graphs: list[str], clauses: Collection[str] | None = None) -> LineageInput:
    """The lineage input of resolutions already in ``store`` (their named graphs ``graphs``), for a
    build that does not re-extract them; with ``clauses`` (clause IRIs), only those of their clauses
    (the ordinal of a clause is then its rank among them: in the same order as in the text)."""
    out = LineageInput()
    if not graphs:
        return out
    where = _values(graphs)
    if clauses is not None:  # each clause in its resolution's graph
        where = "VALUES (?g ?c) { " + " ".join(f"(<{_graph_of(c)}> <{c}>)" for c in sorted(clauses)) + " }"
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
    where = _values(graphs)
    cites: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    if clauses is not None:  # no paragraph-level references: only the resolutions each one cites
        for row in store.query(_PREFIXES + f"""SELECT DISTINCT ?g ?cn ?cy WHERE {{ {where} GRAPH ?g {{
                ?x ctkg:citedResolution ?cr . ?cr ctkg:number ?cn ; ctkg:year ?cy }} }}"""):
            key, cited = _key(row["g"].value), (int(row["cn"].value), int(row["cy"].value))
            if cited != key:
                cites[key].add(cited)
    refs = [] if clauses is not None else store.query(_PREFIXES + f"""
        SELECT ?n ?y ?x ?eid ?cn ?cy ?lab ?rel ?start ?end WHERE {{ {where} GRAPH ?g {{
          ?x a ctkg:Citation ; ctkg:inResolution ?r ; ctkg:citingParagraph ?p ; ctkg:citedResolution ?cr ;
             ctkg:relation ?relation ; ctkg:sourceSpan [ oa:start ?start ; oa:end ?end ] .
          ?r ctkg:number ?n ; ctkg:year ?y . ?p ctkg:eId ?eid .
          OPTIONAL {{ ?x ctkg:citedParagraphLabel ?lab }}
          OPTIONAL {{ ?cr ctkg:number ?cn ; ctkg:year ?cy }}
        }} BIND(STRAFTER(STR(?relation), "/relation/") AS ?rel) }}""")
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


def _key(graph: str) -> ResKey:
    n, y = graph.rsplit("/", 1)[-1].split("-")
    return int(n), int(y)


def read_clause_texts(store: OxigraphStore, keys: Collection[ResKey]) -> list[tuple[str, ResKey, str]]:
    """(clause IRI, resolution, text) of every clause that is not a chapeau of the resolutions
    ``keys``, in no particular order: what the search for candidate earlier clauses needs
    (:func:`ctkg.lineage.match.similar_clauses`).  One query, which joins two scans by hash (a
    third faster than looking up the text of each clause); most of its time goes to reading the
    17,000 texts out of the store."""
    rows = store.query(_PREFIXES + """SELECT ?c ?text WHERE { { SELECT ?c WHERE { ?c ctkg:isChapeau false } }
                                                              { SELECT ?c ?text WHERE { ?c ctkg:text ?text } } }""")
    prefix = f"{ID}res/"
    wanted = {iris.resolution_key(*k): k for k in keys}
    out: list[tuple[str, ResKey, str]] = []
    for c, text in rows:
        iri = c.value
        if iri.startswith(prefix) and (key := wanted.get(iri[len(prefix) : iri.find("/", len(prefix))])):
            out.append((iri, key, text.value))
    return out


def read_cited_clauses(store: OxigraphStore, cited: Collection[tuple[ResKey, str]]) -> list[str]:
    """The IRIs of the clauses of cited paragraphs (resolution, paragraph eid), sub-paragraphs
    included: what a paragraph-level citation can link to."""
    if not cited:
        return []
    eids: dict[str, list[str]] = defaultdict(list)
    for key, eid in cited:
        eids[str(iris.graph_iri(*key))].append(eid)
    out = []
    for row in store.query(_PREFIXES + f"""SELECT ?g ?c ?eid WHERE {{ {_values(sorted(eids))} GRAPH ?g {{
            ?c a ctkg:Clause ; ctkg:inParagraph/ctkg:eId ?eid }} }}"""):
        eid = row["eid"].value
        if any(eid == e or eid.startswith(e + "__") for e in eids[row["g"].value]):
            out.append(row["c"].value)
    return out


def _establishes(store: OxigraphStore, wanted: set[str]) -> dict[ResKey, list[str]]:
    est: dict[ResKey, list[str]] = defaultdict(list)
    for row in store.query(_PREFIXES + """SELECT ?g ?a WHERE { GRAPH ?g { ?r ctkg:establishes ?a } }"""):
        if row["g"].value in wanted:
            est[_key(row["g"].value)].append(row["a"].value.rsplit("/actor/", 1)[-1])
    return est


def _code(iri: str) -> str:
    return iri.rsplit("/actor/", 1)[-1]


def read_mandate_facts(store: OxigraphStore, graphs: list[str]) -> list[MandateFacts]:
    """The mandate facts (:class:`ctkg.lineage.mandates.MandateFacts`) of the resolutions in the
    graphs ``graphs``: the same as their documents give."""
    if not graphs:
        return []
    wanted = set(graphs)
    est = _establishes(store, wanted)
    ren: dict[ResKey, list[tuple[str, str, str, date | None]]] = defaultdict(list)
    for row in store.query(_PREFIXES + """SELECT ?g ?m ?a ?c ?end WHERE { GRAPH ?g {
            ?m ctkg:renewsMandateOf ?a ; ctkg:decidedBy ?c . OPTIONAL { ?m ctkg:mandateEnd ?end } } }"""):
        if row["g"].value in wanted:
            key = _key(row["g"].value)
            end = date.fromisoformat(row["end"].value) if row["end"] is not None else None
            ren[key].append((_code(row["a"].value), _local(row["c"].value, *key), _local(row["m"].value, *key), end))
    lines: dict[ResKey, list[tuple[int, str, tuple[str, str, str, str]]]] = defaultdict(list)
    for row in store.query(_PREFIXES + """SELECT ?g ?rl ?a ?b ?c ?start WHERE { GRAPH ?g {
            ?rl a ctkg:ReportingLine ; ctkg:reporter ?a ; ctkg:reportRecipient ?b ; prov:wasDerivedFrom ?c ;
                ctkg:sourceSpan/oa:start ?start } }"""):
        if row["g"].value in wanted:
            key = _key(row["g"].value)
            rid = _local(row["rl"].value, *key)
            lines[key].append((int(row["start"].value), rid, (
                _code(row["a"].value), _code(row["b"].value), _local(row["c"].value, *key), rid)))
    dates: dict[ResKey, date | None] = {}
    for row in store.query(_PREFIXES + """SELECT ?g ?date WHERE { GRAPH ?g {
            ?r a ctkg:Resolution ; ctkg:textAvailable true . OPTIONAL { ?r eli:date_document ?date } } }"""):
        if row["g"].value in wanted:
            dates[_key(row["g"].value)] = date.fromisoformat(row["date"].value) if row["date"] is not None else None
    founding = {key: established_bodies(key, est.get(key, ())) for key in dates}
    chosen = [g for g in graphs if founding.get(_key(g))]
    per: dict[ResKey, list[tuple[int, str, str]]] = defaultdict(list)
    if chosen:  # the clauses of the few resolutions that establish a body: which one does
        for row in store.query(_PREFIXES + f"""SELECT ?g ?c ?text ?start WHERE {{ {_values(chosen)} GRAPH ?g {{
                ?c a ctkg:Clause ; ctkg:text ?text ; ctkg:sourceSpan/oa:start ?start }} }}"""):
            key = _key(row["g"].value)
            per[key].append((int(row["start"].value), _local(row["c"].value, *key), row["text"].value))
    out = []
    for key in sorted(dates):
        clauses = [(c, t) for _, c, t in sorted(per.get(key, []))]
        out.append(MandateFacts(
            key, dates[key],
            tuple((code, establishing_clause(code, code in est.get(key, ()), clauses)) for code in founding[key]),
            tuple(sorted(ren.get(key, []))),
            tuple(rl for _, _, rl in sorted(lines.get(key, []))),
        ))
    return out


def read_earlier_mandates(store: OxigraphStore, graphs: list[str]) -> Earlier:
    """What the mandate events of later resolutions need to know of the resolutions in ``graphs``
    (:class:`ctkg.lineage.mandates.Earlier`): the bodies with an event there (as
    :func:`ctkg.lineage.mandates.mandate_events` finds them), and every (reporter, recipient) pair
    of their reporting lines.  Three light queries."""
    wanted = set(graphs)
    est = _establishes(store, wanted)
    renewed: dict[ResKey, list[tuple[str, str, str, date | None]]] = defaultdict(list)
    for row in store.query(_PREFIXES + """SELECT DISTINCT ?g ?a WHERE { GRAPH ?g { ?m ctkg:renewsMandateOf ?a } }"""):
        if row["g"].value in wanted:
            renewed[_key(row["g"].value)].append((_code(row["a"].value), "", "", None))
    pairs = set()
    for row in store.query(_PREFIXES + """SELECT DISTINCT ?g ?a ?b WHERE { GRAPH ?g {
            ?rl a ctkg:ReportingLine ; ctkg:reporter ?a ; ctkg:reportRecipient ?b } }"""):
        if row["g"].value in wanted:
            pairs.add((_code(row["a"].value), _code(row["b"].value)))
    facts = [MandateFacts(key, None, tuple((code, None) for code in established_bodies(key, est.get(key, ()))),
                          tuple(renewed.get(key, ())))
             for key in sorted(_key(g) for g in wanted)]
    return Earlier(bodies(mandate_events(facts)), frozenset(pairs))


__all__ = [
    "lineage_graphs",
    "lineage_triples",
    "mandate_graphs",
    "mandate_triples",
    "read_cited_clauses",
    "read_clause_texts",
    "read_earlier_mandates",
    "read_input",
    "read_mandate_facts",
]
