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
* **Virtuoso**: ``http://host:8890/sparql`` is its public endpoint (queries; SPARQL
  Update only once the ``SPARQL`` user has the ``SPARQL_UPDATE`` role), and
  ``http://host:8890/sparql-auth`` the authenticated one (HTTP digest), for which the
  Graph Store Protocol URL ``/sparql-graph-crud-auth`` is derived.  A query without
  ``FROM`` sees every graph, so the default graph is already the union (it also holds
  Virtuoso's own system graphs, which no catalogue query matches).
* **Any other SPARQL 1.1 server**: the URL is the query (and update) endpoint
  and no parameter is added, so the server itself must answer queries over the
  union of its named graphs.  Apache Jena Fuseki/TDB2 needs
  ``tdb2:unionDefaultGraph true`` on the dataset; GraphDB does by default;
  Blazegraph needs a quads namespace (its default graph is then the union);
  Stardog needs ``query.all.graphs=true``.  The Graph Store Protocol URL
  (Virtuoso ``/sparql-graph-crud``, Fuseki ``/ds/data``) can be given as
  ``store_url``.

Queries are sent as an HTML form (``POST``, ``application/x-www-form-urlencoded``,
``query=``), the one way of the SPARQL 1.1 Protocol every server takes: Virtuoso
7.2 never answers a query sent directly as an ``application/sparql-query`` body
(the request hangs).  Updates are sent directly (``application/sparql-update``).

Answers come back as the embedded store gives them.  Virtuoso 7.2 keeps booleans
as integers and durations as numbers of months or seconds, and answers
``"1"^^xsd:boolean`` or ``"2592000.0"^^xsd:duration``; :func:`canonical_results`
puts such literals back in canonical form (``"true"``, ``"P30D"``).  What cannot
be repaired here is handled in the queries: a boolean a query computes
(``EXISTS``, a comparison) comes back as ``xsd:integer``, so the catalogue casts
it with ``xsd:boolean(...)``; ``STR()`` of a duration gives Virtuoso's number, so
reporting-lines returns the period itself (a deadline given only as a duration,
without a due date, would still read as that number; the bundled corpus has
none).  The column of a bound parameter is pinned to the bound term by
:func:`ctkg.query.run.run_query`.  Virtuoso's SQL compiler can spend seconds on
a wide join; ``MaxOptimizeLayouts = 100`` in the ``[Parameters]`` of its ini cuts
that to milliseconds.  The tests also run it with ``ThreadsPerQuery = 1`` and
``StopCompilerWhenXOverRunTime = 0``, so that the machine's load does not choose
its plan; some of its plans still lose rows of deep lineage chains
(``clause-lineage`` over many links; tests/test_virtuoso.py).

A server that wants a login gets :class:`Credentials` (HTTP digest, as Virtuoso's
``-auth`` endpoints ask, or basic, as Fuseki's): ``ctkg push --user NAME`` with the
password in ``$CTKG_ENDPOINT_PASSWORD``, never on the command line.

All of ctkg's own traffic is to the URL it is given; nothing is contacted otherwise.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ctkg.errors import CtkgError, QueryError, StoreError

RESULTS_JSON = "application/sparql-results+json"
OXIGRAPH_PATHS = ("", "/", "/query", "/update", "/store")
UNION_PARAM = "union-default-graph"
DEFAULT_TIMEOUT = 120.0
VIRTUOSO_AUTH_PATHS = {"/sparql-auth": "/sparql-graph-crud-auth"}  # authenticated SPARQL -> Graph Store Protocol
PASSWORD_ENV = "CTKG_ENDPOINT_PASSWORD"
USER_ENV = "CTKG_ENDPOINT_USER"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
BOOLEAN_CANONICAL = {"1": "true", "0": "false"}
_WHOLE = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Credentials:
    """A login for a SPARQL server (HTTP digest or basic, whichever the server asks for)."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_env(cls, user: str | None = None) -> Credentials | None:
        """``user`` (else ``$CTKG_ENDPOINT_USER``) with the password in ``$CTKG_ENDPOINT_PASSWORD``; None if no user.

        A user without a password in the environment is a :class:`StoreError` (the password is never
        taken from the command line, where other users of the machine could read it).
        """
        name = user or os.environ.get(USER_ENV) or None
        if name is None:
            return None
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            raise StoreError(f"a login as {name!r} needs its password in ${PASSWORD_ENV}")
        return cls(name, password)


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
    """Derive the endpoints of a server from one URL (Oxigraph layout, Virtuoso's /sparql-auth, else generic)."""
    if not is_remote(url):
        raise StoreError("a SPARQL endpoint must be an http:// or https:// URL", path=url)
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    if parts.path in OXIGRAPH_PATHS or path in OXIGRAPH_PATHS:
        return Endpoints(base + "/query", update_url or base + "/update", store_url or base + "/store", UNION_PARAM)
    if path in VIRTUOSO_AUTH_PATHS and not parts.query:
        return Endpoints(url, update_url or url, store_url or base + VIRTUOSO_AUTH_PATHS[path], None)
    return Endpoints(url, update_url or url, store_url, None)


def _passwords(url: str, credentials: Credentials) -> urllib.request.HTTPPasswordMgrWithDefaultRealm:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    parts = urllib.parse.urlsplit(url)
    passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", credentials.user, credentials.password)
    return passwords


def _opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    if credentials is None:
        return urllib.request.build_opener()
    passwords = _passwords(url, credentials)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords),
                                       urllib.request.HTTPBasicAuthHandler(passwords))


def _log_in_first(req: urllib.request.Request, credentials: Credentials, timeout: float) -> None:
    """Answer the server's login challenge before a request with a body is sent.

    urllib sends the body, reads the 401 challenge and sends the body again with the
    login.  Virtuoso closes the connection as soon as it has sent its challenge, without
    reading the body, so a graph of a few hundred kilobytes fails with "connection reset"
    instead.  A ``HEAD`` request to the same URL fetches the challenge; the body then goes
    once, with its ``Authorization`` (digest or basic).  No challenge: nothing to add.
    """
    try:
        urllib.request.build_opener().open(urllib.request.Request(req.full_url, method="HEAD"), timeout=timeout).close()
        return
    except urllib.error.HTTPError as exc:
        challenges = (exc.headers.get_all("WWW-Authenticate") or []) if exc.code == 401 else []
    except (urllib.error.URLError, OSError):
        return  # the request itself will report it
    for challenge in challenges:
        scheme, _, params = challenge.strip().partition(" ")
        if scheme.lower() == "digest":
            chal = urllib.request.parse_keqv_list([p for p in urllib.request.parse_http_list(params) if p])
            handler = urllib.request.HTTPDigestAuthHandler(_passwords(req.full_url, credentials))
            value = handler.get_authorization(req, chal)
            if value:
                req.add_unredirected_header("Authorization", "Digest " + value)
                return
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode("ascii")
            req.add_unredirected_header("Authorization", "Basic " + token)
            return


def _hint(code: int, body: str, server: str, credentials: Credentials | None) -> str:
    """What to do about a refusal (the server's own message is kept as well)."""
    if code == 401:
        return (" (the server wants a login: ctkg push --user NAME with the password in "
                f"${PASSWORD_ENV})" if credentials is None else " (the login was refused)")
    if "SECURITY:" in body and "virtuoso" in server.lower():  # the anonymous SPARQL user may not write
        return (" (Virtuoso: use the authenticated endpoint http://HOST:8890/sparql-auth with --user, or grant "
                "the role in isql: GRANT SPARQL_UPDATE TO \"SPARQL\";)")
    return ""


def http(method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None,
         bad_request: type[CtkgError] = StoreError, credentials: Credentials | None = None) -> tuple[int, str, bytes]:
    """One HTTP request; returns (status, content type, body).

    With ``credentials``, a 401 challenge is answered (digest or basic).  Failures raise
    :class:`StoreError` naming the endpoint; an HTTP 400 raises ``bad_request``
    (:class:`QueryError` for a query the server refuses).
    """
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        if credentials is not None and data is not None:
            _log_in_first(req, credentials, timeout)
        with _opener(url, credentials).open(req, timeout=timeout) as resp:  # http(s) only: endpoints() checks
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        hint = _hint(exc.code, body, exc.headers.get("Server", ""), credentials)
        cls = bad_request if exc.code == 400 else StoreError
        detail = " ".join(body.split())[:500]  # one line, as every ctkg error
        raise cls(f"{method} {url} failed: HTTP {exc.code} {exc.reason}: {detail}{hint}", path=endpoint or url) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach the SPARQL server ({method} {url}): {reason}", path=endpoint or url) from None


def duration_from_number(value: str) -> str | None:
    """The XSD canonical form of a duration Virtuoso gives as a number, else None.

    Virtuoso 7.2 stores an ``xsd:duration`` as a number and answers with it: a whole number
    of months for a year-month duration (``"P1Y6M"`` comes back as ``"18"``), seconds as a
    double for a day-time one (``"P30D"`` as ``"2592000.0"``, ``"P365D"`` as ``"3.1536e+07"``).
    A number is never a valid duration, so this reverses the mapping without guessing; the
    result is the canonical form, which is the form ctkg writes.  (A duration with both
    months and days, ``"P1M1D"``, loses its days in Virtuoso itself.)

    >>> [duration_from_number(v) for v in ("18", "12", "0", "2592000.0", "1.296e+05", "-86400.0", "P1D")]
    ['P1Y6M', 'P1Y', 'P0M', 'P30D', 'P1DT12H', '-P1D', None]
    >>> [duration_from_number(v) for v in ("1800.0", "0.0", "90061.5", "3.1536e+07")]
    ['PT30M', 'PT0S', 'P1DT1H1M1.5S', 'P365D']
    """
    if not _NUMBER.fullmatch(value):
        return None
    if _WHOLE.fullmatch(value):  # months
        months = int(value)
        years, month = divmod(abs(months), 12)
        text = (f"{years}Y" if years else "") + (f"{month}M" if month or not years else "")
        return ("-" if months < 0 else "") + "P" + text
    seconds = Decimal(value)
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    clock = "".join((str(int(n)) if n == int(n) else f"{n.normalize():f}") + unit
                    for n, unit in ((hours, "H"), (minutes, "M"), (rest, "S")) if n)
    text = (f"{int(days)}D" if days else "") + (f"T{clock}" if clock else "")
    return ("-" if seconds < 0 else "") + "P" + (text or "T0S")


def canonical_results(body: bytes) -> bytes:
    """SPARQL JSON results with the literals a server rewrote put back in canonical form.

    * ``xsd:boolean``: ``"1"`` and ``"0"`` are valid lexical forms of the same two values, but
      readers compare the lexical form (ctkg's own ``Cell.python`` does): Virtuoso 7.2 stores
      booleans as integers and answers ``"1"^^xsd:boolean`` for ``"true"^^xsd:boolean``;
    * ``xsd:duration``: Virtuoso answers a number (see :func:`duration_from_number`).

    Anything that is not JSON results is passed on unchanged (the parser then reports it).
    """
    try:
        doc = json.loads(body)
        bindings = doc["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return body
    changed = False
    for row in bindings if isinstance(bindings, list) else []:
        for cell in row.values() if isinstance(row, dict) else []:
            if not isinstance(cell, dict) or not isinstance(cell.get("value"), str):
                continue
            value = cell["value"]
            if cell.get("datatype") == XSD_BOOLEAN and value in BOOLEAN_CANONICAL:
                cell["value"] = BOOLEAN_CANONICAL[value]
                changed = True
            elif cell.get("datatype") == XSD_DURATION and (duration := duration_from_number(value)) is not None:
                cell["value"] = duration
                changed = True
    return json.dumps(doc).encode("utf-8") if changed else body


class RemoteStore:
    """A SPARQL 1.1 server used like the embedded store (read side: ``query``, ``graphs``, ``len``)."""

    read_only = True

    def __init__(self, url: str, *, update_url: str | None = None, store_url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, credentials: Credentials | None = None) -> None:
        self.location = url
        self.endpoints = endpoints(url, update_url=update_url, store_url=store_url)
        self.timeout = timeout
        self.credentials = credentials

    def _select(self, sparql: str, *, union: bool = True) -> bytes:
        ep = self.endpoints
        url = ep.query
        if union and ep.union_param:
            url += ("&" if "?" in url else "?") + ep.union_param
        form = urllib.parse.urlencode({"query": sparql}).encode("ascii")
        _, _, body = http("POST", url, data=form, timeout=self.timeout, endpoint=self.location,
                          bad_request=QueryError, credentials=self.credentials,
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                                   "Accept": RESULTS_JSON})
        return body

    def query(self, sparql: str) -> Any:
        """Run a SELECT or ASK query over the union of the server's named graphs.

        Returns ``pyoxigraph.QuerySolutions`` (SELECT) or ``QueryBoolean`` (ASK);
        a response that is not SPARQL JSON results raises ``ValueError``/``SyntaxError``,
        as a failing query on the embedded store does.  Literals come back in canonical
        form (see :func:`canonical_results`).
        """
        body = self._select(sparql)
        return ox.parse_query_results(canonical_results(body), format=ox.QueryResultsFormat.JSON)

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


__all__ = ["PASSWORD_ENV", "USER_ENV", "Credentials", "Endpoints", "RemoteStore", "canonical_results", "duration_from_number", "endpoints", "http", "is_remote"]
