"""RDF exports: Turtle, N-Triples and JSON-LD (with the ctkg ``@context``).

Without a view, the export holds every distinct triple of the store (the union of
its named graphs).  With a view, it holds the description of every node and every
statement of the view: ``CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { ... } ?s ?p ?o }``.
Triples are sorted, so the same store always gives the same bytes.

>>> import ctkg
>>> store = ctkg.build(corpus="demo", store="memory:").store_handle
>>> triples = view_triples(store, "actor-network")
>>> any(p.value.endswith("#addressee") for _, p, _ in triples)
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ctkg.graph.namespaces import PREFIXES
from ctkg.store.local import OxigraphStore

from .views import build_view

CONTEXT_URL = "https://w3id.org/ctkg/context.jsonld"
"""Where the ctkg JSON-LD context is published (its text is ``context.jsonld`` in this package)."""

_XSD = PREFIXES["xsd"]


def context() -> dict[str, Any]:
    """The ctkg JSON-LD ``@context``: the project's prefixes (read from ``context.jsonld``).

    >>> context()["ctkg"]
    'https://w3id.org/ctkg/ontology#'
    """
    text = resources.files("ctkg.export").joinpath("context.jsonld").read_text("utf-8")
    ctx: dict[str, Any] = json.loads(text)["@context"]
    return ctx


def _sort_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def store_triples(store: OxigraphStore) -> list[ox.Triple]:
    """Every distinct triple of the store's union graph, sorted."""
    triples = {q.triple for q in store.raw.quads_for_pattern(None, None, None, None)}
    return sorted(triples, key=_sort_key)


def view_triples(store: OxigraphStore, view: str, resolution: str | None = None) -> list[ox.Triple]:
    """The triples describing the nodes and statements of a view, sorted."""
    g = build_view(store, view, resolution=resolution)
    subjects = set(g.nodes)
    subjects |= {str(d["statement"]) for _, _, d in g.edges(data=True) if "statement" in d}
    if not subjects:
        return []
    values = " ".join(f"<{s}>" for s in sorted(subjects))
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
    return sorted(set(result), key=_sort_key)


def write_ntriples(triples: list[ox.Triple], dest: Path) -> None:
    """Sorted N-Triples."""
    dest.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def write_turtle(triples: list[ox.Triple], dest: Path) -> None:
    """Turtle with the ctkg prefixes."""
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(sorted(PREFIXES.items())))
    dest.write_bytes(data or b"")


def _compact(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for prefix, ns in prefixes:
        local = iri[len(ns):]
        if iri.startswith(ns) and local and not local.startswith("//"):
            return f"{prefix}:{local}"
    return iri


def _literal(term: ox.Literal, prefixes: list[tuple[str, str]]) -> Any:
    dt = term.datatype.value
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if dt == _XSD + "string":
        return term.value
    if dt == _XSD + "boolean" and term.value in ("true", "false"):
        return term.value == "true"
    if dt == _XSD + "integer" and term.value.lstrip("-").isdigit():
        return int(term.value)
    return {"@value": term.value, "@type": _compact(dt, prefixes)}


def jsonld_document(triples: list[ox.Triple], *, embed_context: bool = True) -> dict[str, Any]:
    """A compacted JSON-LD document: one node object per subject, in sorted order.

    With ``embed_context`` the ``@context`` is included inline (readers need no network);
    otherwise it refers to :data:`CONTEXT_URL`.
    """
    ctx = context()
    # longest namespace first, so that "id/res/" style overlaps pick the most specific prefix
    prefixes = sorted(((p, ns) for p, ns in ctx.items() if isinstance(ns, str)), key=lambda x: (-len(x[1]), x[0]))
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    rdf_type = PREFIXES["rdf"] + "type"
    for t in triples:
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else str(t.subject)
        p = t.predicate.value
        o = t.object
        if p == rdf_type and isinstance(o, ox.NamedNode):
            nodes[s]["@type"].append(_compact(o.value, prefixes))
        elif isinstance(o, ox.Literal):
            nodes[s][_compact(p, prefixes)].append(_literal(o, prefixes))
        elif isinstance(o, ox.NamedNode):
            nodes[s][_compact(p, prefixes)].append({"@id": _compact(o.value, prefixes)})
        else:
            nodes[s][_compact(p, prefixes)].append({"@id": str(o)})
    graph = []
    for s in sorted(nodes):
        obj: dict[str, Any] = {"@id": _compact(s, prefixes)}
        for key in sorted(nodes[s], key=lambda k: (k != "@type", k)):
            values = nodes[s][key]
            obj[key] = values[0] if len(values) == 1 else values
        graph.append(obj)
    return {"@context": ctx if embed_context else CONTEXT_URL, "@graph": graph}


def write_jsonld(triples: list[ox.Triple], dest: Path) -> None:
    """JSON-LD with the ctkg context embedded."""
    doc = jsonld_document(triples)
    dest.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")


__all__ = [
    "CONTEXT_URL",
    "context",
    "jsonld_document",
    "store_triples",
    "view_triples",
    "write_jsonld",
    "write_ntriples",
    "write_turtle",
]
