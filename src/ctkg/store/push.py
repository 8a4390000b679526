"""Upload the store's named graphs to a SPARQL 1.1 server (``ctkg push``).

Each named graph is *replaced* on the server, so pushing twice leaves the
server as after one push (idempotent):

* **Graph Store Protocol** (default where the server has one, e.g. Oxigraph's
  ``/store``): ``PUT <store>?graph=IRI`` with the graph as N-Triples.
* **SPARQL Update** (``update=True``, or a generic endpoint such as Virtuoso's
  ``/sparql`` without a ``store_url``): ``DROP SILENT GRAPH <IRI> ; INSERT DATA``
  with the first chunk, then further ``INSERT DATA`` requests of
  ``chunk`` triples each.

The embedded store holds no blank nodes (every node has an IRI), so chunking
cannot split a blank node; a graph that has one is refused for SPARQL Update.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox

from ctkg.errors import StoreError
from ctkg.store.local import OxigraphStore
from ctkg.store.remote import DEFAULT_TIMEOUT, endpoints, http

CHUNK = 5000


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


def _put_graph(url: str, graph: str, data: bytes, endpoint: str, timeout: float) -> None:
    target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph})
    http("PUT", target, data=data, headers={"Content-Type": "application/n-triples"}, timeout=timeout,
         endpoint=endpoint)


def _update_graph(url: str, graph: str, triples: list[ox.Triple], endpoint: str, timeout: float, chunk: int) -> None:
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        raise StoreError(f"graph {graph} has blank nodes; push it with the Graph Store Protocol", path=endpoint)
    iri = ox.NamedNode(graph)
    first = True
    for start in range(0, max(len(triples), 1), chunk):
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples[start:start + chunk])
        ops = [f"DROP SILENT GRAPH {iri}"] if first else []
        if body:
            ops.append(f"INSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}")
        first = False
        http("POST", url, data=" ;\n".join(ops).encode("utf-8"), timeout=timeout, endpoint=endpoint,
             headers={"Content-Type": "application/sparql-update; charset=utf-8"})


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
            _put_graph(ep.store, name, data, endpoint, timeout)
        else:
            _update_graph(ep.update, name, triples, endpoint, timeout, max(chunk, 1))
        result.graphs[name] = len(triples)
    return result


__all__ = ["CHUNK", "PushResult", "push"]
