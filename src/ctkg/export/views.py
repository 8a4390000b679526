"""Three views of the store, each cut by SPARQL into a ``networkx.MultiDiGraph``.

* ``actor-network``: actors only.  Who must do what (the Council, as the body that
  passed the resolution, *directs* each addressee of a directive clause: one edge per
  clause and addressee), who reports to whom (one edge per reporting line), who
  assists whom (supporting actor to addressee, one edge per supporting role and
  addressee) and the organisational tree among those actors (``sub-organization-of``).
* ``citation-network``: resolutions and paragraphs.  Resolution to resolution (one
  edge per citation of another resolution), paragraph to paragraph (one edge per
  citation of a paragraph), and each paragraph ``part-of`` its resolution.
* ``obligations``: the obligation graph of one resolution: the resolution, its
  paragraphs that hold directives, the directive clauses, their addressees,
  supporting actors, deadlines, the reporting lines and chapeau inheritance.

Node ids are IRIs.  Every node has ``kind``, ``label`` (readable: "S/RES/1373 (2001)",
"Counter-Terrorism Committee", "¶6 calls upon") and ``iri``; every edge has ``kind``,
``label``, ``statement`` (the IRI of the statement it comes from) and, where it comes
from the text, ``resolution``, ``year``, ``paragraph``, ``paragraph_text`` and
``text``.  All attribute values are scalars (str, int or bool), one type per name;
lists are joined with ``"; "``.

>>> import ctkg
>>> store = ctkg.build(corpus="demo", store="memory:").store_handle
>>> g = build_view(store, "obligations", resolution="S/RES/1373 (2001)")
>>> g.graph["view"], g.nodes["https://w3id.org/ctkg/id/res/1373-2001"]["label"]
('obligations', 'S/RES/1373 (2001)')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ctkg.errors import QueryError
from ctkg.graph.namespaces import PREFIXES
from ctkg.store.local import OxigraphStore

Scalar = str | int | bool
Row = dict[str, Scalar]
Attrs = dict[str, Scalar]

VIEWS: tuple[str, ...] = ("actor-network", "citation-network", "obligations")
"""The names of the property-graph views."""

_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))
_XSD = PREFIXES["xsd"]


def _py(term: Any) -> Scalar:
    """A pyoxigraph term as a Python scalar (IRIs as strings)."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in (_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "nonNegativeInteger"):
            return int(term.value)
        if dt == _XSD + "boolean":
            return term.value in ("true", "1")
        return str(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term.value)


def select(store: OxigraphStore, sparql: str) -> list[Row]:
    """Run a SELECT (the ctkg prefixes are declared) and return rows of scalars.

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> select(store, "SELECT ?n WHERE { <https://w3id.org/ctkg/id/res/1373-2001> ctkg:number ?n } LIMIT 1")
    [{'n': 1373}]
    """
    try:
        results = store.query(_PROLOGUE + sparql)
    except (SyntaxError, OSError, ValueError) as exc:  # pragma: no cover - the view queries are fixed
        raise QueryError(f"view query failed: {exc}") from None
    names = [v.value for v in results.variables]
    rows: list[Row] = []
    for solution in results:
        row: Row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = _py(term)
        rows.append(row)
    return rows


def _values(var: str, iris: Iterable[str]) -> str:
    items = " ".join(f"<{i}>" for i in sorted(set(iris)))
    return f"VALUES ?{var} {{ {items} }}"


def _str(row: Row, key: str, default: str = "") -> str:
    value = row.get(key, default)
    return value if isinstance(value, str) else str(value)


def _int(row: Row, key: str, default: int = 0) -> int:
    value = row.get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# --------------------------------------------------------------------------- shared facts


def resolution_iri(store: OxigraphStore, ref: str) -> str:
    """Resolve "S/RES/1373 (2001)", "1373 (2001)", "1373-2001" or "1373" to a built resolution's IRI.

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> resolution_iri(store, "1373")
    'https://w3id.org/ctkg/id/res/1373-2001'
    """
    m = re.fullmatch(r"\s*(?:S/RES/)?(\d+)\s*(?:\(\s*(\d{4})\s*\)|-(\d{4}))?\s*", ref, re.IGNORECASE)
    if not m:
        raise QueryError(f"not a resolution reference: {ref!r} (use e.g. 'S/RES/1373 (2001)' or '1373')")
    number, year = int(m.group(1)), m.group(2) or m.group(3)
    year_filter = f"FILTER(?y = {int(year)})" if year else ""
    rows = select(store, f"""
        SELECT DISTINCT ?r WHERE {{
          ?r a ctkg:Resolution ; ctkg:number {number} ; ctkg:year ?y ; ctkg:textAvailable true .
          {year_filter}
        }} ORDER BY ?r""")
    if not rows:
        raise QueryError(f"no resolution {ref!r} with its text in the store (build it first)")
    if len(rows) > 1:
        raise QueryError(f"{ref!r} is ambiguous; give the year, e.g. '{number} (yyyy)'")
    return _str(rows[0], "r")


def _property(store: OxigraphStore, predicate: str, pattern: str = "") -> dict[str, Scalar]:
    """Subject to value of one property (the smallest value where there are several).

    Attributes are fetched one property at a time and joined in Python: the union
    default graph keeps a triple once per named graph that holds it, so a SPARQL join
    of several properties of a resolution cited by many graphs multiplies rows.
    """
    out: dict[str, Scalar] = {}
    for row in select(store, f"SELECT DISTINCT ?s ?v WHERE {{ {pattern} ?s {predicate} ?v }} ORDER BY ?s ?v"):
        out.setdefault(_str(row, "s"), row["v"])
    return out


def _concepts(store: OxigraphStore) -> dict[str, Attrs]:
    """Notation (code), preferred label and strength of every SKOS concept (modalities, relations, roles)."""
    codes = _property(store, "skos:notation", "?s a skos:Concept .")
    labels = _property(store, "skos:prefLabel", "?s a skos:Concept .")
    strengths = _property(store, "ctkg:strength")
    return {c: {"code": str(code), "label": str(labels.get(c, code)), "strength": _int(strengths, c)}
            for c, code in codes.items()}


def _resolutions(store: OxigraphStore) -> dict[str, Attrs]:
    """Symbol, year, number, text availability and topics of every resolution known to the store."""
    known = {_str(row, "s") for row in select(store, "SELECT DISTINCT ?s WHERE { ?s a ctkg:Resolution }")}
    symbols = {s: v for s, v in _property(store, "dcterms:identifier").items() if s in known}
    years = _property(store, "ctkg:year")
    numbers = _property(store, "ctkg:number")
    texts = {_str(row, "s") for row in select(store, "SELECT DISTINCT ?s WHERE { ?s ctkg:textAvailable true }")}
    topics: dict[str, set[str]] = defaultdict(set)
    for row in select(store, "SELECT DISTINCT ?s ?code WHERE { ?s dcterms:subject ?t . ?t skos:notation ?code }"):
        topics[_str(row, "s")].add(_str(row, "code"))
    return {
        r: {"symbol": str(symbol), "year": _int(years, r), "number": _int(numbers, r), "text_available": r in texts,
            "topics": "; ".join(sorted(topics.get(r, ())))}
        for r, symbol in symbols.items()
    }


def _actors(store: OxigraphStore, iris: Iterable[str]) -> dict[str, Attrs]:
    """Code, label and most specific actor class label of the given actors."""
    wanted = sorted(set(iris))
    out: dict[str, Attrs] = {a: {"code": a.rsplit("/", 1)[-1], "label": a.rsplit("/", 1)[-1],
                                 "actor_type": "Actor"} for a in wanted}
    if not wanted:
        return out
    for row in select(store, f"""
        SELECT ?a (SAMPLE(?c) AS ?code) (SAMPLE(?l) AS ?label) WHERE {{
          {_values("a", wanted)}
          OPTIONAL {{ ?a skos:notation ?c }}
          OPTIONAL {{ ?a skos:prefLabel ?l }}
        }} GROUP BY ?a"""):
        attrs = out[_str(row, "a")]
        if "code" in row:
            attrs["code"] = _str(row, "code")
        attrs["label"] = _str(row, "label", _str(attrs, "code"))
    for row in select(store, f"""
        SELECT DISTINCT ?a ?typeLabel WHERE {{
          {_values("a", wanted)}
          ?a a ?t . ?t rdfs:subClassOf+ ctkg:Actor ; rdfs:label ?typeLabel .
          FILTER NOT EXISTS {{ ?a a ?t2 . ?t2 rdfs:subClassOf+ ?t . FILTER(?t2 != ?t) }}
        }} ORDER BY ?a ?typeLabel"""):
        out[_str(row, "a")]["actor_type"] = _str(row, "typeLabel")
    return out


def _deadlines(store: OxigraphStore, owner_var: str, pattern: str) -> dict[str, tuple[str, str]]:
    """Deadline and frequency text per owner (clause or reporting line)."""
    due: dict[str, set[str]] = defaultdict(set)
    freq: dict[str, set[str]] = defaultdict(set)
    for row in select(store, f"""
        SELECT DISTINCT ?{owner_var} ?text ?due ?periodic WHERE {{
          {pattern}
          ?{owner_var} ctkg:hasDeadline ?d . ?d ctkg:text ?text .
          OPTIONAL {{ ?d ctkg:dueDate ?due }}
          BIND(EXISTS {{ ?d a ctkg:PeriodicSchedule }} AS ?periodic)
        }}"""):
        text = _str(row, "text") + (f" ({_str(row, 'due')})" if "due" in row else "")
        (freq if row.get("periodic") is True else due)[_str(row, owner_var)].add(text)
    keys = set(due) | set(freq)
    return {k: ("; ".join(sorted(due.get(k, ()))), "; ".join(sorted(freq.get(k, ())))) for k in keys}


def _paragraph_label(symbol: str, label: str) -> str:
    return f"{symbol} ¶{label}"


def _add_node(g: nx.MultiDiGraph, node: str, kind: str, label: str, **attrs: Scalar) -> None:
    if node not in g:
        g.add_node(node, kind=kind, label=label, iri=node, **attrs)


def _sorted_copy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with nodes, edges and attribute names in a stable sorted order."""
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    for n in sorted(g.nodes):
        out.add_node(n, **dict(sorted(g.nodes[n].items())))
    for u, v, k in sorted(g.edges(keys=True)):
        out.add_edge(u, v, key=k, **dict(sorted(g.edges[u, v, k].items())))
    return out


# --------------------------------------------------------------------------- directive clauses


def _decorate(rows: list[Row], concepts: dict[str, Attrs], var: str, code: str, label: str) -> list[Row]:
    """Add the code and label (and strength) of the concept in ``var`` to each row."""
    for row in rows:
        concept = concepts.get(_str(row, var))
        if concept is not None:
            row[code], row[label], row["strength"] = concept["code"], concept["label"], concept["strength"]
    return rows


def _directives(store: OxigraphStore, concepts: dict[str, Attrs], restrict: str = "") -> list[Row]:
    """One row per (directive clause, addressee), with the clause's modality and source paragraph."""
    return _decorate(select(store, f"""
        SELECT DISTINCT ?c ?a ?r ?passer ?p ?plabel ?ptext ?verb ?m ?binding ?ctext
                        ?deontic ?ord ?pos WHERE {{
          {restrict}
          ?c a ctkg:Directive ; ctkg:addressee ?a ; ctkg:inResolution ?r ; ctkg:inParagraph ?p ;
             ctkg:verb ?verb ; ctkg:modality ?m ; ctkg:binding ?binding ; ctkg:text ?ctext ; ctkg:ordinal ?ord .
          ?r eli:passed_by ?passer .
          ?p ctkg:label ?plabel ; ctkg:text ?ptext ; ctkg:sourceSpan/oa:start ?pos .
          OPTIONAL {{ ?c a ?dk . VALUES ?dk {{ ctkg:Obligation ctkg:Prohibition ctkg:Permission }}
                     BIND(LCASE(STRAFTER(STR(?dk), "#")) AS ?deontic) }}
        }}"""), concepts, "m", "modality", "mlabel")


def _statement_attrs(res: Attrs, row: Row) -> Attrs:
    return {
        "resolution": _str(res, "symbol"),
        "year": _int(res, "year"),
        "topics": _str(res, "topics"),
        "paragraph": _str(row, "plabel"),
        "paragraph_iri": _str(row, "p"),
        "paragraph_text": _str(row, "ptext"),
    }


def _clause_attrs(row: Row, deadlines: dict[str, tuple[str, str]]) -> Attrs:
    due, freq = deadlines.get(_str(row, "c"), ("", ""))
    return {
        "verb": _str(row, "verb"),
        "modality": _str(row, "modality"),
        "strength": _int(row, "strength"),
        "binding": row.get("binding") is True,
        "deontic": _str(row, "deontic", "obligation"),
        "deadline": due,
        "frequency": freq,
        "text": _str(row, "ctext"),
    }


# --------------------------------------------------------------------------- actor network


def actor_network(store: OxigraphStore) -> nx.MultiDiGraph:
    """Who must do what, who reports to whom, who assists whom (actors only).

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> g = actor_network(store)
    >>> sorted({d["kind"] for _, _, d in g.edges(data=True)})
    ['directs', 'reports-to', 'sub-organization-of', 'supports']
    """
    g = nx.MultiDiGraph(name="ctkg actor network", view="actor-network")
    res = _resolutions(store)
    deadlines = _deadlines(store, "c", "?c a ctkg:Directive .")
    edges: list[tuple[str, str, str, Attrs]] = []
    concepts = _concepts(store)
    for row in _directives(store, concepts):
        c, a, passer = _str(row, "c"), _str(row, "a"), _str(row, "passer")
        attrs = _statement_attrs(res[_str(row, "r")], row) | _clause_attrs(row, deadlines)
        attrs |= {"kind": "directs", "label": _str(row, "mlabel", _str(row, "modality")), "statement": c}
        edges.append((passer, a, f"{c}|directs|{a}", attrs))
    line_deadlines = _deadlines(store, "l", "?l a ctkg:ReportingLine .")
    for row in select(store, """
        SELECT DISTINCT ?l ?from ?to ?r ?p ?plabel ?ptext ?ctext WHERE {
          ?l a ctkg:ReportingLine ; ctkg:reporter ?from ; ctkg:reportRecipient ?to ;
             ctkg:inResolution ?r ; ctkg:inParagraph ?p .
          ?p ctkg:label ?plabel ; ctkg:text ?ptext .
          OPTIONAL { ?l prov:wasDerivedFrom ?c . ?c ctkg:text ?ctext }
        }"""):
        line = _str(row, "l")
        due, freq = line_deadlines.get(line, ("", ""))
        attrs = _statement_attrs(res[_str(row, "r")], row)
        attrs |= {"kind": "reports-to", "label": "reports to", "statement": line, "text": _str(row, "ctext"),
                  "deadline": due, "frequency": freq}
        edges.append((_str(row, "from"), _str(row, "to"), f"{line}|reports-to", attrs))
    for row in _decorate(select(store, """
        SELECT DISTINCT ?role ?c ?helper ?a ?rk ?r ?p ?plabel ?ptext ?ctext WHERE {
          ?c ctkg:hasSupportingRole ?role ; ctkg:addressee ?a ; ctkg:inResolution ?r ; ctkg:inParagraph ?p ;
             ctkg:text ?ctext .
          ?role ctkg:actor ?helper ; ctkg:roleKind ?rk .
          ?p ctkg:label ?plabel ; ctkg:text ?ptext .
        }"""), concepts, "rk", "kind", "kindLabel"):
        role, a = _str(row, "role"), _str(row, "a")
        attrs = _statement_attrs(res[_str(row, "r")], row)
        attrs |= {"kind": "supports", "label": _str(row, "kindLabel", _str(row, "kind")), "role": _str(row, "kind"),
                  "statement": role, "text": _str(row, "ctext")}
        edges.append((_str(row, "helper"), a, f"{role}|supports|{a}", attrs))
    actors = {n for u, v, _, _ in edges for n in (u, v)}
    for row in select(store, f"""
        SELECT DISTINCT ?a ?parent WHERE {{ {_values("a", actors)} ?a org:subOrganizationOf ?parent }}"""):
        a, parent = _str(row, "a"), _str(row, "parent")
        if parent in actors:
            edges.append((a, parent, f"{a}|sub-organization-of|{parent}",
                          {"kind": "sub-organization-of", "label": "part of", "statement": a}))
    for node, attrs in sorted(_actors(store, actors).items()):
        _add_node(g, node, "actor", _str(attrs, "label"), code=_str(attrs, "code"),
                  actor_type=_str(attrs, "actor_type"))
    for u, v, key, attrs in edges:
        g.add_edge(u, v, key=key, **attrs)
    return _sorted_copy(g)


# --------------------------------------------------------------------------- citation network


def citation_network(store: OxigraphStore) -> nx.MultiDiGraph:
    """Resolution-to-resolution and paragraph-to-paragraph citations.

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> g = citation_network(store)
    >>> g.has_edge("https://w3id.org/ctkg/id/res/2322-2016", "https://w3id.org/ctkg/id/res/1373-2001")
    True
    """
    g = nx.MultiDiGraph(name="ctkg citation network", view="citation-network")
    res = _resolutions(store)
    rows = _decorate(select(store, """
        SELECT DISTINCT ?x ?r ?cr ?p ?plabel ?ptext ?cp ?cpl ?rel ?text WHERE {
          ?x a ctkg:Citation ; ctkg:inResolution ?r ; ctkg:citingParagraph ?p ; ctkg:citedResolution ?cr ;
             ctkg:relation ?rel ; ctkg:text ?text .
          ?p ctkg:label ?plabel ; ctkg:text ?ptext .
          OPTIONAL { ?x ctkg:citedParagraph ?cp . OPTIONAL { ?x ctkg:citedParagraphLabel ?cpl } }
        }"""), _concepts(store), "rel", "relation", "rlabel")
    cited_paragraphs = {_str(row, "cp") for row in rows if "cp" in row}
    known: dict[str, Row] = {}
    if cited_paragraphs:
        for row in select(store, f"""
            SELECT DISTINCT ?p ?label ?text WHERE {{
              {_values("p", cited_paragraphs)} ?p ctkg:label ?label . OPTIONAL {{ ?p ctkg:text ?text }} }}"""):
            known[_str(row, "p")] = row

    def resolution_node(r: str) -> None:
        attrs = res.get(r, {"symbol": r.rsplit("/", 1)[-1], "year": 0, "number": 0, "topics": "",
                            "text_available": False})
        _add_node(g, r, "resolution", _str(attrs, "symbol"), symbol=_str(attrs, "symbol"), year=_int(attrs, "year"),
                  topics=_str(attrs, "topics"), text_available=attrs.get("text_available") is True)

    def paragraph_node(p: str, r: str, label: str, text: str) -> None:
        resolution_node(r)
        symbol = g.nodes[r]["symbol"]
        _add_node(g, p, "paragraph", _paragraph_label(symbol, label), paragraph=label, resolution=symbol,
                  year=g.nodes[r]["year"], text=text)
        key = f"{p}|part-of"
        if not g.has_edge(p, r, key):
            g.add_edge(p, r, key=key, kind="part-of", label="part of", statement=p)

    for row in rows:
        x, r, cr = _str(row, "x"), _str(row, "r"), _str(row, "cr")
        resolution_node(r)
        resolution_node(cr)
        attrs = _statement_attrs(res[r], row) | {
            "relation": _str(row, "relation"), "label": _str(row, "rlabel", _str(row, "relation")),
            "text": _str(row, "text"), "statement": x}
        if cr != r:
            g.add_edge(r, cr, key=f"{x}|cites", kind="cites", **attrs)
        if "cp" in row:
            cp = _str(row, "cp")
            cited_label = _str(known.get(cp, {}), "label", _str(row, "cpl", cp.rsplit("/", 1)[-1]))
            paragraph_node(_str(row, "p"), r, _str(row, "plabel"), _str(row, "ptext"))
            paragraph_node(cp, cr, cited_label, _str(known.get(cp, {}), "text"))
            g.add_edge(_str(row, "p"), cp, key=f"{x}|cites-paragraph", kind="cites-paragraph", **attrs)
    return _sorted_copy(g)


# --------------------------------------------------------------------------- obligation graph


def obligation_graph(store: OxigraphStore, resolution: str) -> nx.MultiDiGraph:
    """The obligations of one resolution: paragraphs, directive clauses, actors, deadlines, reporting lines.

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> g = obligation_graph(store, "1373")
    >>> g.nodes["https://w3id.org/ctkg/id/res/1373-2001/para_6__clause_2"]["label"]
    '¶6 calls upon'
    """
    r = resolution_iri(store, resolution)
    info = _resolutions(store)[r]
    symbol = _str(info, "symbol")
    g = nx.MultiDiGraph(name=f"ctkg obligations of {symbol}", view="obligations", resolution=symbol)
    _add_node(g, r, "resolution", symbol, symbol=symbol, year=_int(info, "year"), topics=_str(info, "topics"))
    restrict = f"VALUES ?r {{ <{r}> }}"
    deadline_rows = select(store, f"""
        SELECT DISTINCT ?c ?d ?text ?due ?periodic WHERE {{
          {restrict} ?c a ctkg:Directive ; ctkg:inResolution ?r ; ctkg:hasDeadline ?d . ?d ctkg:text ?text .
          OPTIONAL {{ ?d ctkg:dueDate ?due }}
          BIND(EXISTS {{ ?d a ctkg:PeriodicSchedule }} AS ?periodic)
        }}""")
    deadlines = _deadlines(store, "c", f"{restrict} ?c a ctkg:Directive ; ctkg:inResolution ?r .")
    concepts = _concepts(store)
    rows = _directives(store, concepts, restrict)
    actors = {_str(row, "a") for row in rows}
    roles = _decorate(select(store, f"""
        SELECT DISTINCT ?role ?c ?helper ?rk WHERE {{
          {restrict} ?c a ctkg:Directive ; ctkg:inResolution ?r ; ctkg:hasSupportingRole ?role .
          ?role ctkg:actor ?helper ; ctkg:roleKind ?rk .
        }}"""), concepts, "rk", "kind", "kindLabel")
    lines = select(store, f"""
        SELECT DISTINCT ?l ?from ?to ?c ?p ?plabel ?ptext WHERE {{
          {restrict} ?l a ctkg:ReportingLine ; ctkg:inResolution ?r ; ctkg:reporter ?from ; ctkg:reportRecipient ?to ;
             ctkg:inParagraph ?p .
          ?p ctkg:label ?plabel ; ctkg:text ?ptext .
          OPTIONAL {{ ?l prov:wasDerivedFrom ?c }}
        }}""")
    inherits = select(store, f"""
        SELECT DISTINCT ?c ?parent WHERE {{
          {restrict} ?c a ctkg:Directive ; ctkg:inResolution ?r ; ctkg:inheritsFrom ?parent .
          ?parent a ctkg:Directive }}""")
    actors |= {_str(row, "helper") for row in roles}
    actors |= {_str(row, k) for row in lines for k in ("from", "to")}
    for node, attrs in sorted(_actors(store, actors).items()):
        _add_node(g, node, "actor", _str(attrs, "label"), code=_str(attrs, "code"),
                  actor_type=_str(attrs, "actor_type"))
    for row in rows:
        c, p, a = _str(row, "c"), _str(row, "p"), _str(row, "a")
        stmt = _statement_attrs(info, row)
        clause = _clause_attrs(row, deadlines)
        _add_node(g, p, "paragraph", f"¶{_str(row, 'plabel')}", paragraph=_str(row, "plabel"),
                  resolution=symbol, year=_int(info, "year"), text=_str(row, "ptext"),
                  position=_int(row, "pos"))
        label = f"¶{_str(row, 'plabel')} {_str(row, 'verb')}"
        _add_node(g, c, "clause", label, resolution=symbol, year=_int(info, "year"), paragraph=_str(row, "plabel"),
                  paragraph_text=_str(row, "ptext"), ordinal=_int(row, "ord"),
                  **{k: v for k, v in clause.items()})
        if not g.has_edge(r, p, f"{p}|has-paragraph"):
            g.add_edge(r, p, key=f"{p}|has-paragraph", kind="has-paragraph", label="has paragraph", statement=p)
        if not g.has_edge(p, c, f"{c}|has-clause"):
            g.add_edge(p, c, key=f"{c}|has-clause", kind="has-clause", label="has clause", statement=c)
        g.add_edge(c, a, key=f"{c}|addressee|{a}", kind="addressee", label=_str(row, "mlabel", _str(row, "modality")),
                   statement=c, **stmt, **clause)
    for row in roles:
        role, c = _str(row, "role"), _str(row, "c")
        if c not in g:  # a directive without an addressee is not in this graph
            continue
        g.add_edge(_str(row, "helper"), c, key=f"{role}|supports", kind="supports",
                   label=_str(row, "kindLabel", _str(row, "kind")), role=_str(row, "kind"), statement=role)
    for row in deadline_rows:
        d, c = _str(row, "d"), _str(row, "c")
        if c not in g:
            continue
        _add_node(g, d, "deadline", _str(row, "text"), due_date=_str(row, "due"),
                  periodic=row.get("periodic") is True, text=_str(row, "text"))
        g.add_edge(c, d, key=f"{d}|deadline", kind="deadline", label="by" if row.get("periodic") is not True else "every",
                   statement=d)
    for row in lines:
        line = _str(row, "l")
        g.add_edge(_str(row, "from"), _str(row, "to"), key=f"{line}|reports-to", kind="reports-to",
                   label="reports to", statement=line, clause=_str(row, "c"), **_statement_attrs(info, row))
    for row in inherits:
        c, parent = _str(row, "c"), _str(row, "parent")
        if c in g and parent in g:
            g.add_edge(c, parent, key=f"{c}|inherits-from", kind="inherits-from", label="inherits from", statement=c)
    return _sorted_copy(g)


_BUILDERS: dict[str, Callable[[OxigraphStore, str | None], nx.MultiDiGraph]] = {
    "actor-network": lambda store, _res: actor_network(store),
    "citation-network": lambda store, _res: citation_network(store),
    "obligations": lambda store, res: obligation_graph(store, _require(res)),
}


def _require(resolution: str | None) -> str:
    if not resolution:
        raise QueryError("the obligations view needs a resolution (e.g. --resolution 'S/RES/1373 (2001)')")
    return resolution


def build_view(store: OxigraphStore, view: str, *, resolution: str | None = None) -> nx.MultiDiGraph:
    """Cut one view out of the store as a sorted ``networkx.MultiDiGraph``."""
    try:
        builder = _BUILDERS[view]
    except KeyError:
        raise QueryError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}") from None
    return builder(store, resolution)


__all__ = [
    "VIEWS",
    "Scalar",
    "actor_network",
    "build_view",
    "citation_network",
    "obligation_graph",
    "resolution_iri",
    "select",
]
