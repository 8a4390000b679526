"""A remote store: any SPARQL 1.1 server, spoken to over HTTP (stdlib ``urllib`` only).

``RemoteStore("http://127.0.0.1:7878")`` answers ``query(sparql)`` with the same
``pyoxigraph.QuerySolutions`` the embedded :class:`~ctkg.store.local.OxigraphStore`
returns (the server's W3C SPARQL 1.1 Query Results JSON is parsed by pyoxigraph),
so :func:`ctkg.query.run.run_sparql` and the catalogue run on it unchanged.

Endpoints are derived from the URL (see :func:`endpoints`):

* **Oxigraph server** (``oxigraph serve``): a bare ``http://host:port`` or one
  ending in ``/query``, ``/update`` or ``/store``.  Queries go to ``/query`` with
  the ``union-default-graph`` parameter, so the default graph is the union of
  all named graphs, exactly as in the embedded store; updates go to ``/update``
  and Graph Store Protocol requests to ``/store``.
* **Any other SPARQL 1.1 server**: the URL is the query (and update) endpoint
  and no parameter is added, so the server itself must answer queries over the
  union of its named graphs.  Virtuoso does by default (a query without
  ``FROM`` sees every graph); Apache Jena Fuseki/TDB2 needs
  ``tdb2:unionDefaultGraph true`` on the dataset; GraphDB does by default;
  Blazegraph needs a quads namespace (its default graph is then the union);
  Stardog needs ``query.all.graphs=true``.  The Graph Store Protocol URL
  (Virtuoso ``/sparql-graph-crud``, Fuseki ``/ds/data``) can be given as
  ``store_url``.

All of ctkg's own traffic is to the URL it is given; nothing is contacted otherwise.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ctkg.errors import CtkgError, QueryError, StoreError

RESULTS_JSON = "application/sparql-results+json"
OXIGRAPH_PATHS = ("", "/", "/query", "/update", "/store")
UNION_PARAM = "union-default-graph"
DEFAULT_TIMEOUT = 120.0


def is_remote(location: object) -> bool:
    """Does a ``--store`` value name a SPARQL endpoint (``http://`` or ``https://``)?"""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one server: SPARQL query, SPARQL update, Graph Store Protocol (if any)."""

    query: str
    update: str
    store: str | None
    union_param: str | None  # query-string flag that makes the default graph the union of named graphs


def endpoints(url: str, *, update_url: str | None = None, store_url: str | None = None) -> Endpoints:
    """Derive the endpoints of a server from one URL (Oxigraph layout, else a generic endpoint)."""
    if not is_remote(url):
        raise StoreError("a SPARQL endpoint must be an http:// or https:// URL", path=url)
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if parts.path in OXIGRAPH_PATHS or path in OXIGRAPH_PATHS:
        base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        return Endpoints(base + "/query", update_url or base + "/update", store_url or base + "/store", UNION_PARAM)
    return Endpoints(url, update_url or url, store_url, None)


def http(method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None,
         bad_request: type[CtkgError] = StoreError) -> tuple[int, str, bytes]:
    """One HTTP request; returns (status, content type, body).

    Failures raise :class:`StoreError` naming the endpoint; an HTTP 400 raises ``bad_request``
    (:class:`QueryError` for a query the server refuses).
    """
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # http(s) only: endpoints() checks
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:500]
        cls = bad_request if exc.code == 400 else StoreError
        raise cls(f"{method} {url} failed: HTTP {exc.code} {exc.reason}: {detail}", path=endpoint or url) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach the SPARQL server ({method} {url}): {reason}", path=endpoint or url) from None


class RemoteStore:
    """A SPARQL 1.1 server used like the embedded store (read side: ``query``, ``graphs``, ``len``)."""

    read_only = True

    def __init__(self, url: str, *, update_url: str | None = None, store_url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.location = url
        self.endpoints = endpoints(url, update_url=update_url, store_url=store_url)
        self.timeout = timeout

    def _select(self, sparql: str, *, union: bool = True) -> bytes:
        ep = self.endpoints
        url = ep.query
        if union and ep.union_param:
            url += ("&" if "?" in url else "?") + ep.union_param
        _, _, body = http("POST", url, data=sparql.encode("utf-8"), timeout=self.timeout, endpoint=self.location,
                          bad_request=QueryError,
                          headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                   "Accept": RESULTS_JSON})
        return body

    def query(self, sparql: str) -> Any:
        """Run a SELECT or ASK query over the union of the server's named graphs.

        Returns ``pyoxigraph.QuerySolutions`` (SELECT) or ``QueryBoolean`` (ASK);
        a response that is not SPARQL JSON results raises ``ValueError``/``SyntaxError``,
        as a failing query on the embedded store does.
        """
        body = self._select(sparql)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def _column(self, sparql: str) -> list[Any]:
        result = ox.parse_query_results(self._select(sparql, union=False), format=ox.QueryResultsFormat.JSON)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("the server did not return SELECT results", path=self.location)
        return [sol[0] for sol in result]

    def graphs(self) -> list[str]:
        """The IRIs of the server's named graphs, sorted."""
        terms = self._column("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(t.value for t in terms if isinstance(t, ox.NamedNode))

    def triples(self, graph: str | None = None) -> int:
        """The number of triples in one named graph, or in all named graphs together."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        terms = self._column(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(terms[0].value) if terms and isinstance(terms[0], ox.Literal) else 0

    def __len__(self) -> int:
        """Triples in all named graphs (quads, as ``len`` of the embedded store when nothing is in the default graph)."""
        return self.triples()

    def flush(self) -> None:
        """Nothing to do: every request is complete when it returns."""

    def close(self) -> None:
        """Nothing to release (no connection is kept open)."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Endpoints", "RemoteStore", "endpoints", "http", "is_remote"]
