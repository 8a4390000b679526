"""The query catalogue: ``queries/*.rq`` files with a ``#+`` header.

Header lines (before the SPARQL text)::

    #+ name: obligations
    #+ summary: Who must do what, how strongly and by when?
    #+ param: actor | actor | optional | CTC | skos:notation code of the addressee
    #+ returns: resolution, paragraph, verb, modality, binding, addressee, deadline, text

A ``param`` line gives: name | type (string, actor, symbol, integer, date,
boolean, iri) | required or optional | an example | a description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ctkg.errors import QueryError
from ctkg.resources import queries_dir

PARAM_TYPES = ("string", "actor", "symbol", "integer", "date", "boolean", "iri")


@dataclass(frozen=True)
class Param:
    """One query parameter."""

    name: str
    type: str
    required: bool
    example: str
    description: str


@dataclass(frozen=True)
class QuerySpec:
    """A named query from the catalogue."""

    name: str
    summary: str
    sparql: str
    path: Path
    params: tuple[Param, ...] = ()
    returns: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=())


def parse_query_file(path: Path, *, strict: bool = True) -> QuerySpec:
    """Read one ``.rq`` file and its header (``strict=False``: a header is optional)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the query file: {exc}", path=str(path)) from None
    header: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        m = re.match(r"#\+\s*(\w+)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 5 or parts[1] not in PARAM_TYPES or parts[2] not in ("required", "optional"):
                raise QueryError(f"bad param header {value!r}", path=str(path))
            params.append(Param(parts[0], parts[1], parts[2] == "required", parts[3], parts[4]))
        else:
            header[key] = value
    if not strict:
        header.setdefault("name", path.stem)
        header.setdefault("summary", f"ad hoc query {path.name}")
        header.setdefault("returns", "")
    for key in ("name", "summary", "returns"):
        if key not in header:
            raise QueryError(f"the query header lacks '#+ {key}:'", path=str(path))
    return QuerySpec(
        name=header["name"],
        summary=header["summary"],
        sparql=text,
        path=path,
        params=tuple(params),
        returns=tuple(c.strip() for c in header["returns"].split(",") if c.strip()),
        tags=tuple(t.strip() for t in header.get("tags", "").split(",") if t.strip()),
    )


def catalog(directory: Path | None = None) -> dict[str, QuerySpec]:
    """Every named query, by name (``*-violation.rq`` quality checks excluded)."""
    d = directory or queries_dir()
    out: dict[str, QuerySpec] = {}
    for path in sorted(d.rglob("*.rq")):
        if path.name.endswith("-violation.rq"):
            continue
        spec = parse_query_file(path)
        if spec.name in out:
            raise QueryError(f"duplicate query name {spec.name!r}", path=str(path))
        out[spec.name] = spec
    return out


def get_query(name: str) -> QuerySpec:
    """The named query, or a QueryError listing the known names."""
    cat = catalog()
    if name not in cat:
        raise QueryError(f"unknown query {name!r}; known: {', '.join(sorted(cat))}")
    return cat[name]


__all__ = ["PARAM_TYPES", "Param", "QuerySpec", "catalog", "get_query", "parse_query_file"]
