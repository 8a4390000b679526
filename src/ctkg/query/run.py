"""Run catalogue queries on a store and format their results.

Results keep the RDF term of each cell (for the W3C SPARQL 1.1 Query Results
JSON format) and offer plain Python values for tables and CSV.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from ctkg.errors import QueryError
from ctkg.query.bind import bind_values, term
from ctkg.query.catalog import QuerySpec

XSD = "http://www.w3.org/2001/XMLSchema#"


class Queryable(Protocol):
    """Anything that runs SPARQL over the union of its graphs: OxigraphStore, RemoteStore."""

    def query(self, sparql: str) -> Any: ...


@dataclass(frozen=True)
class Cell:
    """One bound value: its lexical form and RDF term kind."""

    value: str
    kind: str  # "uri", "literal" or "bnode"
    datatype: str | None = None
    lang: str | None = None

    def python(self) -> object:
        """The value as a Python scalar (booleans and integers converted)."""
        if self.datatype == XSD + "boolean":
            return self.value == "true"
        if self.datatype in (XSD + "integer", XSD + "int", XSD + "nonNegativeInteger"):
            return int(self.value)
        return self.value


@dataclass(frozen=True)
class Results:
    """A SELECT result: column names and rows (None for an unbound cell)."""

    vars: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]

    def dicts(self) -> list[dict[str, object]]:
        """Rows as dictionaries of Python values."""
        return [{v: (c.python() if c else None) for v, c in zip(self.vars, row, strict=True)} for row in self.rows]

    def to_json(self) -> str:
        """W3C SPARQL 1.1 Query Results JSON."""
        bindings = []
        for row in self.rows:
            b: dict[str, dict[str, str]] = {}
            for var, cell in zip(self.vars, row, strict=True):
                if cell is None:
                    continue
                entry = {"type": cell.kind, "value": cell.value}
                if cell.datatype and cell.datatype != XSD + "string":
                    entry["datatype"] = cell.datatype
                if cell.lang:
                    entry["xml:lang"] = cell.lang
                b[var] = entry
            bindings.append(b)
        return json.dumps({"head": {"vars": list(self.vars)}, "results": {"bindings": bindings}}, indent=1,
                          ensure_ascii=False)

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results (plain values)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.vars)
        for row in self.rows:
            w.writerow(["" if c is None else c.value for c in row])
        return buf.getvalue()

    def to_table(self, width: int = 60) -> str:
        """A text table for people; long cells are shortened."""
        def short(c: Cell | None) -> str:
            s = "" if c is None else c.value.replace("\n", " ")
            return s if len(s) <= width else s[: width - 1] + "…"

        cells = [[short(c) for c in row] for row in self.rows]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.vars)]
        line = "  ".join(v.ljust(widths[i]) for i, v in enumerate(self.vars))
        out = [line, "  ".join("-" * w for w in widths)]
        out += ["  ".join(r[i].ljust(widths[i]) for i in range(len(r))) for r in cells]
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(out)


def _cell(term: Any) -> Cell | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, "uri")
    if isinstance(term, ox.BlankNode):
        return Cell(term.value, "bnode")
    if isinstance(term, ox.Literal):
        return Cell(term.value, "literal", term.datatype.value if term.datatype else None, term.language)
    return Cell(str(term), "literal")  # pragma: no cover


def run_sparql(store: Queryable, sparql: str) -> Results:
    """Run a SELECT query over the union of the store's graphs."""
    try:
        result = store.query(sparql)
    except (SyntaxError, OSError, ValueError) as exc:
        raise QueryError(f"SPARQL failed: {exc}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries are supported here")
    names = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_cell(sol[v]) for v in names) for sol in result)
    return Results(names, rows)


def run_query(store: Queryable, spec: QuerySpec, params: dict[str, object] | None = None) -> Results:
    """Run a catalogue query with typed, safely bound parameters."""
    params = dict(params or {})
    known = {p.name: p for p in spec.params}
    for name in params:
        if name not in known:
            raise QueryError(
                f"query {spec.name!r} has no parameter {name!r} (it takes: {', '.join(known) or 'none'})"
            )
    for p in spec.params:
        if p.required and params.get(p.name) is None:
            raise QueryError(f"query {spec.name!r} needs parameter {p.name!r} (e.g. {p.example})")
    values = {p.name: params.get(p.name) for p in spec.params}
    types = {p.name: p.type for p in spec.params}
    sparql = bind_values(spec.sparql, values, types)
    return _pinned(run_sparql(store, sparql), {n: term(v, types[n]) for n, v in values.items() if v is not None})


def _pinned(results: Results, bound: dict[str, str]) -> Results:
    """The column of a bound parameter holds, in every row, the very term that was bound.

    SPARQL joins by term equality, so this is what every conforming engine answers; a server
    that renders the value in a form of its own is corrected: Virtuoso 7.2 answers
    ``"0"^^xsd:integer`` for a parameter bound to ``"false"^^xsd:boolean`` (it has no boolean
    type and folds the constant into the result).  On the embedded store this changes nothing.
    """
    columns = {i: bound[v] for i, v in enumerate(results.vars) if v in bound}
    if not columns or not results.rows:
        return results
    cells = {i: _cell(next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(),
                                         format=ox.RdfFormat.N_TRIPLES))).object)
             for i, text in columns.items()}
    rows = tuple(tuple(cells[i] if i in cells and c is not None else c for i, c in enumerate(row))
                 for row in results.rows)
    return Results(results.vars, rows)


__all__ = ["Cell", "Results", "run_query", "run_sparql"]
