"""Safe parameter binding: values become RDF terms in leading VALUES blocks.

User input is never pasted into SPARQL text.  Each value is converted to an RDF
term of the parameter's type and written in N-Triples syntax with every quote
and backslash escaped, inside a ``VALUES`` block inserted at the start of the
query's outermost ``WHERE`` group, so a value can only ever be a value.

>>> bind_values("SELECT ?x WHERE { ?x ?p ?actor }", {"actor": 'C" } ; DROP ALL #'})
'SELECT ?x WHERE { VALUES ?actor { "C\\\\" } ; DROP ALL #" }\\n ?x ?p ?actor }'

Each bound parameter gets a one-variable block of its own, and a parameter without a
value (None) none at all: its variable stays unbound, exactly as ``UNDEF`` would leave
it.  The blocks are one-row tables, so joining them gives the same single row as one
block of several variables, but every engine runs them: Virtuoso 7.2 cannot compile a
query that has a several-variable ``VALUES`` block and an ``OPTIONAL`` (error SP031,
"ssg_print_rvr_fixed_val(): no SPART_VARR_FIXED").
"""

from __future__ import annotations

import re
from datetime import date

from ctkg.errors import QueryError

_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI_OK = re.compile(r"[^\s<>\"{}|^`\\]+")


def term(value: object, type_: str = "string") -> str:
    """An RDF term in SPARQL/N-Triples syntax for a typed parameter value."""
    if value is None:
        return "UNDEF"
    if type_ == "iri":
        s = str(value)
        if not _IRI_OK.fullmatch(s) or ":" not in s:
            raise QueryError(f"not an IRI: {s!r}")
        return f"<{s}>"
    if type_ == "integer":
        try:
            return f'"{int(str(value))}"^^<{XSD}integer>'
        except ValueError:
            raise QueryError(f"not an integer: {value!r}") from None
    if type_ == "boolean":
        s = str(value).lower()
        if s not in ("true", "false", "1", "0", "yes", "no"):
            raise QueryError(f"not a boolean: {value!r}")
        return f'"{str(s in ("true", "1", "yes")).lower()}"^^<{XSD}boolean>'
    if type_ == "date":
        try:
            d = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise QueryError(f"not a date (YYYY-MM-DD): {value!r}") from None
        return f'"{d.isoformat()}"^^<{XSD}date>'
    return '"' + str(value).translate(_ESC) + '"'


def _outer_where(sparql: str) -> int:
    """Offset just after the '{' that opens the outermost WHERE group."""
    code = _strip_comments_and_strings(sparql)
    m = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    if not m:
        m = re.search(r"\{", code)
        if not m:
            raise QueryError("the query has no WHERE group to bind parameters into")
    return m.end()


def _strip_comments_and_strings(text: str) -> str:
    """Blank out comments and string literals (same length) so braces in them are ignored."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            out[i : j + 1] = " " * (min(j + 1, n) - i)
            i = j + 1
        elif ch == "<" and re.match(r"<[^\s<>]*>", text[i:]):
            j = text.index(">", i)
            out[i : j + 1] = " " * (j + 1 - i)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def bind_values(sparql: str, values: dict[str, object], types: dict[str, str] | None = None) -> str:
    """Insert ``VALUES ?a { t1 } VALUES ?b { t2 }`` at the start of the outer WHERE group (None: left unbound)."""
    types = types or {}
    names = sorted(values)
    for name in names:
        if not _NAME.fullmatch(name):
            raise QueryError(f"bad parameter name {name!r}")
    bound = [n for n in names if values[n] is not None]
    if not bound:
        return sparql
    block = " " + " ".join(f"VALUES ?{n} {{ {term(values[n], types.get(n, 'string'))} }}" for n in bound) + "\n"
    at = _outer_where(sparql)
    return sparql[:at] + block + sparql[at:]


__all__ = ["bind_values", "term"]
