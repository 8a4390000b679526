"""Upload the store's named graphs to a SPARQL 1.1 server (``ctkg push``).

Each named graph is *replaced* on the server, so pushing twice leaves the
server as after one push (idempotent):

* **Graph Store Protocol** (default where the server has one, e.g. Oxigraph's
  ``/store``, Virtuoso's ``/sparql-graph-crud-auth``): ``PUT <store>?graph=IRI``
  with the graph as N-Triples.
* **SPARQL Update** (``update=True``, or a generic endpoint such as Virtuoso's
  ``/sparql`` without a ``store_url``): ``DROP SILENT GRAPH <IRI> ; INSERT DATA``
  with the first chunk, then further ``INSERT DATA`` requests of
  ``chunk`` triples each (Virtuoso loads this way about ten times slower than
  by the Graph Store Protocol).  Duration literals go as ``STRDT(...)`` values
  of an ``INSERT … WHERE``: Virtuoso 7.2 cannot parse ``"P30D"^^xsd:duration``
  in ``INSERT DATA``.

``credentials`` log in where the server asks (Virtuoso's ``-auth`` endpoints:
HTTP digest).

The embedded store holds no blank nodes (every node has an IRI), so chunking
cannot split a blank node; a graph that has one is refused for SPARQL Update.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox

from ctkg.errors import StoreError
from ctkg.store.local import OxigraphStore
from ctkg.store.remote import DEFAULT_TIMEOUT, Credentials, endpoints, http

# Triples per INSERT DATA request.  Virtuoso 7.2 refuses some 2,000 (SP031: "the length of generated SQL
# text has exceeded 10000 lines") and its parser runs out of memory near 5,000 (SP030); 500 is the
# fastest measured on both Virtuoso and Oxigraph server (51,814 triples: 10 s and 1.7 s).
CHUNK = 500
XSD = "http://www.w3.org/2001/XMLSchema#"
DURATIONS = {XSD + "duration", XSD + "dayTimeDuration", XSD + "yearMonthDuration"}


@dataclass
class PushResult:
    """What a push did: the endpoint, the method and the triples sent per graph."""

    endpoint: str
    method: str  # "gsp" or "update"
    graphs: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def _ntriples(store: OxigraphStore, graph: str) -> tuple[list[ox.Triple], bytes]:
    triples = [q.triple for q in store.graph_quads(graph)]
    return triples, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _put_graph(url: str, graph: str, data: bytes, endpoint: str, timeout: float,
               credentials: Credentials | None) -> None:
    target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph})
    http("PUT", target, data=data, headers={"Content-Type": "application/n-triples"}, timeout=timeout,
         endpoint=endpoint, credentials=credentials)


def _is_duration(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in DURATIONS


def _inserts(iri: ox.NamedNode, triples: list[ox.Triple]) -> list[str]:
    """``INSERT DATA`` for the triples; a duration literal as ``STRDT(...)`` in an ``INSERT … WHERE``.

    Virtuoso 7.2 cannot take a day or time duration in ``INSERT DATA`` (``"P30D"^^xsd:duration``
    fails with SQ200 "No column P30DD"); computed by ``STRDT`` it is stored like any other.
    """
    data = [t for t in triples if not _is_duration(t.object)]
    durations = [t for t in triples if _is_duration(t.object)]
    ops = []
    if data:
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in data)
        ops.append(f"INSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}")
    if durations:
        template = "\n".join(f"{t.subject} {t.predicate} ?v{i} ." for i, t in enumerate(durations))
        binds = "\n".join(f"BIND(STRDT({ox.Literal(t.object.value)}, {t.object.datatype}) AS ?v{i})"  # type: ignore[union-attr]
                          for i, t in enumerate(durations))
        ops.append(f"INSERT {{ GRAPH {iri} {{\n{template}\n}} }} WHERE {{\n{binds}\n}}")
    return ops


def _update_graph(url: str, graph: str, triples: list[ox.Triple], endpoint: str, timeout: float, chunk: int,
                  credentials: Credentials | None) -> None:
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        raise StoreError(f"graph {graph} has blank nodes; push it with the Graph Store Protocol", path=endpoint)
    iri = ox.NamedNode(graph)
    first = True
    for start in range(0, max(len(triples), 1), chunk):
        ops = [f"DROP SILENT GRAPH {iri}"] if first else []
        ops += _inserts(iri, triples[start:start + chunk])
        first = False
        http("POST", url, data=" ;\n".join(ops).encode("utf-8"), timeout=timeout, endpoint=endpoint,
             headers={"Content-Type": "application/sparql-update; charset=utf-8"}, credentials=credentials)


def push(
    store: OxigraphStore,
    endpoint: str,
    graph: str | None = None,
    *,
    update: bool = False,
    store_url: str | None = None,
    update_url: str | None = None,
    chunk: int = CHUNK,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials | None = None,
) -> PushResult:
    """Replace every named graph of ``store`` (or just ``graph``) on the server at ``endpoint``."""
    ep = endpoints(endpoint, update_url=update_url, store_url=store_url)
    names = store.graphs()
    if graph is not None:
        if graph not in names:
            raise StoreError(f"no graph {graph} in the store", path=store.location)
        names = [graph]
    use_gsp = ep.store is not None and not update
    result = PushResult(endpoint, "gsp" if use_gsp else "update")
    for name in names:
        triples, data = _ntriples(store, name)
        if use_gsp:
            assert ep.store is not None
            _put_graph(ep.store, name, data, endpoint, timeout, credentials)
        else:
            _update_graph(ep.update, name, triples, endpoint, timeout, max(chunk, 1), credentials)
        result.graphs[name] = len(triples)
    return result


__all__ = ["CHUNK", "PushResult", "push"]
