"""A read-only SPARQL 1.1 Protocol endpoint over a ctkg store.

Only the standard library (``http.server.ThreadingHTTPServer``) and pyoxigraph.

Protocol
    ``GET /sparql?query=...``, ``POST`` with ``application/x-www-form-urlencoded``
    (``query=...``) or ``application/sparql-query`` (the query as the body);
    ``default-graph-uri`` and ``named-graph-uri`` select the dataset (without them
    the default graph is the union of all named graphs, as for ``ctkg query``).
    ``GET /`` or ``/sparql`` without a query returns a short plain-text description.

Content negotiation
    From the ``format`` parameter (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``,
    ``ntriples``, ``rdfxml`` or a media type), else the ``Accept`` header (with
    q-values; ``*/*`` or none gives SPARQL JSON for SELECT/ASK and Turtle for
    CONSTRUCT/DESCRIBE).  A type the query form cannot produce gives 406.

Limits
    *Rows*: at most ``max_rows`` solutions (SELECT) or triples (CONSTRUCT/DESCRIBE)
    are returned; a longer result is **truncated**, with the response headers
    ``X-CTKG-Truncated: true`` and ``X-CTKG-Max-Rows: N`` (status stays 200).
    *Time*: each query runs in a worker thread; when it has not finished within
    ``timeout`` seconds the client gets **503** at once.  pyoxigraph cannot
    interrupt a running query, so the worker keeps running until the query ends
    and its result is dropped; at most ``max_concurrent`` queries run at a time
    (a request that cannot get a slot within the timeout also gets 503), so
    runaway queries cannot pile up without bound.
    *Body*: a request body larger than ``max_body`` bytes gives 413.

Safety
    The store is opened read-only by ``ctkg serve``.  SPARQL Update (``update=``,
    ``application/sparql-update``, or an update sent as ``query``) gives 403
    unless ``allow_update`` is set (which needs a writable store).  The server
    binds 127.0.0.1 by default and refuses a non-loopback address unless
    ``public`` is set.  CORS: every response carries
    ``Access-Control-Allow-Origin`` (``cors_origin``; empty disables CORS) and
    ``OPTIONS`` answers preflight requests, so browser clients such as YASGUI work.

Status codes: 200, 204 (preflight), 400 (malformed query, with the parser's
message; bad parameters), 403 (update refused), 404, 405, 406, 413, 415, 503.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from ctkg.errors import ServeError
from ctkg.store.local import OxigraphStore

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class ServerConfig:
    """How the endpoint listens and what it allows."""

    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_rows: int = 10_000
    cors_origin: str = "*"
    allow_update: bool = False
    public: bool = False
    max_body: int = 1_000_000
    max_concurrent: int = 4
    quiet: bool = False


@dataclass(frozen=True)
class Format:
    """One negotiable output format."""

    name: str
    media_type: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", results=ox.QueryResultsFormat.JSON),
    Format("xml", "application/sparql-results+xml", results=ox.QueryResultsFormat.XML),
    Format("csv", "text/csv", results=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", results=ox.QueryResultsFormat.TSV),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", rdf=ox.RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", rdf=ox.RdfFormat.N_TRIPLES),
    Format("rdfxml", "application/rdf+xml", rdf=ox.RdfFormat.RDF_XML),
)
_NAME_ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "rdf": "rdfxml", "rdf/xml": "rdfxml"}
_MEDIA_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
}

_UPDATE_START = re.compile(
    r"^(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def looks_like_update(text: str) -> bool:
    """Does the request text start (after its prologue and comments) like a SPARQL Update?

    >>> looks_like_update("PREFIX x: <urn:x#> # c\\n INSERT DATA { <a:b> <a:b> <a:b> }")
    True
    >>> looks_like_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    return bool(_UPDATE_START.match(text))


def is_loopback(host: str) -> bool:
    """Is ``host`` a loopback address (or a name that resolves only to loopback addresses)?

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    if host == "localhost":
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def _accept_items(accept: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal q)."""
    items: list[tuple[str, float, int]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        items.append((media, q, i))
    items.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in items]


def negotiate(accept: str | None, fmt: str | None, formats: tuple[Format, ...]) -> Format | None:
    """The output format for a query form, or None when nothing acceptable can be produced.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, RESULT_FORMATS).name
    'xml'
    >>> negotiate(None, "tsv", RESULT_FORMATS).name
    'tsv'
    >>> negotiate("text/turtle", None, RESULT_FORMATS) is None
    True
    """
    by_name = {f.name: f for f in formats}
    by_media = {f.media_type: f for f in formats}
    if fmt:
        key = fmt.strip().lower()
        key = _NAME_ALIASES.get(key, _MEDIA_ALIASES.get(key, key))
        return by_name.get(key) or by_media.get(key)
    if not accept or not accept.strip():
        return formats[0]
    for media, q in _accept_items(accept):
        if q <= 0:
            continue
        if media in by_media:
            return by_media[media]
        alias = _MEDIA_ALIASES.get(media)
        if alias in by_name:
            return by_name[alias]
        if media == "*/*":
            return formats[0]
        if media.endswith("/*"):
            major = media[:-2]
            for f in formats:
                if f.media_type.startswith(major + "/"):
                    return f
    return None


def _term_json(term: Any) -> dict[str, Any]:
    """One RDF term in the W3C SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                             "predicate": _term_json(term.predicate),
                                             "object": _term_json(term.object)}}
    return {"type": "literal", "value": str(term)}  # pragma: no cover - no other term kinds


@dataclass
class Reply:
    """An HTTP response: status, content type, body and extra headers."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str, **headers: str) -> Reply:
        return cls(status, (message.rstrip() + "\n").encode("utf-8"), headers=dict(headers))


def _content_type(media_type: str) -> str:
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") or "json" in media_type
                         or "xml" in media_type else "")


class SparqlEndpoint:
    """The protocol logic, independent of HTTP plumbing: request parameters in, :class:`Reply` out."""

    def __init__(self, store: OxigraphStore, config: ServerConfig) -> None:
        self.store = store
        self.config = config
        self._slots = threading.BoundedSemaphore(max(1, config.max_concurrent))

    # -- entry points ---------------------------------------------------
    def handle(self, method: str, query_string: str, content_type: str, body: bytes, accept: str | None) -> Reply:
        """Answer one GET or POST request to the endpoint."""
        try:
            params = parse_qs(query_string, keep_blank_values=True, strict_parsing=False)
        except ValueError as exc:
            return Reply.error(400, f"bad query string: {exc}")
        query: str | None = None
        update: str | None = None
        if method == "POST":
            media = content_type.split(";")[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                try:
                    form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
                except (UnicodeDecodeError, ValueError) as exc:
                    return Reply.error(400, f"bad form body: {exc}")
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                try:
                    query = body.decode("utf-8")
                except UnicodeDecodeError:
                    return Reply.error(400, "the query is not UTF-8")
            elif media == "application/sparql-update":
                update = body.decode("utf-8", errors="replace")
            else:
                return Reply.error(415, "POST needs Content-Type application/x-www-form-urlencoded, "
                                        "application/sparql-query or application/sparql-update")
        for key in ("query", "update", "format"):
            if len(params.get(key, [])) > 1:
                return Reply.error(400, f"give one '{key}' parameter, not {len(params[key])}")
        if "update" in params:
            update = params["update"][0]
        if query is None and "query" in params:
            query = params["query"][0]
        if update is not None:
            if query is not None:
                return Reply.error(400, "give either 'query' or 'update', not both")
            return self.run_update(update, method)
        if query is None:
            if method == "GET":
                return self.describe()
            return Reply.error(400, "no 'query' parameter")
        if looks_like_update(query):
            return Reply.error(403, "this endpoint is read-only: SPARQL Update is refused"
                               if not self.config.allow_update else "send an update as 'update=' or "
                               "application/sparql-update, not as a query")
        fmt = params["format"][0] if "format" in params else None
        try:
            default_graphs = [ox.NamedNode(u) for u in params.get("default-graph-uri", [])]
            named_graphs = [ox.NamedNode(u) for u in params.get("named-graph-uri", [])]
        except ValueError as exc:
            return Reply.error(400, f"bad graph IRI: {exc}")
        return self._in_worker(lambda: self.evaluate(query, default_graphs, named_graphs, accept, fmt))

    def describe(self) -> Reply:
        """A plain-text description of the endpoint (GET without a query)."""
        c = self.config
        text = (
            "ctkg SPARQL 1.1 endpoint (read-only{}).\n"
            "GET /sparql?query=..., or POST application/x-www-form-urlencoded (query=...) "
            "or application/sparql-query.\n"
            "Results: SPARQL JSON, XML, CSV, TSV (SELECT/ASK); Turtle, N-Triples, RDF/XML (CONSTRUCT/DESCRIBE), "
            "by Accept header or format=json|xml|csv|tsv|turtle|ntriples|rdfxml.\n"
            "Limits: {} s per query (503 when exceeded), {} rows (longer results are truncated, "
            "header X-CTKG-Truncated: true).\n"
            "The default graph is the union of all named graphs unless default-graph-uri is given.\n"
        ).format("" if not c.allow_update else ", updates allowed", c.timeout, c.max_rows)
        return Reply(200, text.encode("utf-8"))

    # -- evaluation -----------------------------------------------------
    def _in_worker(self, work: Callable[[], Reply]) -> Reply:
        """Run ``work`` in a daemon thread; 503 when it does not finish within the timeout."""
        timeout = self.config.timeout
        if not self._slots.acquire(timeout=timeout):
            return Reply.error(503, f"the server is busy ({self.config.max_concurrent} queries running); "
                                    "try again later", **{"Retry-After": str(max(1, int(timeout)))})
        box: list[Reply] = []
        done = threading.Event()

        def run() -> None:
            try:
                box.append(work())
            except Exception as exc:  # a failing query must not kill the worker silently
                box.append(Reply.error(500, f"query failed: {exc}"))
            finally:
                done.set()
                self._slots.release()

        threading.Thread(target=run, name="ctkg-sparql-query", daemon=True).start()
        if not done.wait(timeout):
            return Reply.error(503, f"the query did not finish within {timeout:g} s (the time limit); "
                                    "narrow it, e.g. with LIMIT or more specific patterns",
                               **{"Retry-After": str(max(1, int(timeout)))})
        return box[0]

    def evaluate(
        self,
        query: str,
        default_graphs: list[ox.NamedNode],
        named_graphs: list[ox.NamedNode],
        accept: str | None,
        fmt: str | None,
    ) -> Reply:
        """Parse and run one query, negotiate the format and serialize (at most ``max_rows``)."""
        kwargs: dict[str, Any] = {}
        if default_graphs:
            kwargs["default_graph"] = default_graphs
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = named_graphs
        try:
            result = self.store.raw.query(query, **kwargs)
        except SyntaxError as exc:
            return Reply.error(400, f"malformed query: {exc}")
        except (OSError, ValueError, RuntimeError) as exc:
            return Reply.error(400, f"query failed: {exc}")
        limit = self.config.max_rows
        if isinstance(result, ox.QueryBoolean):
            f = negotiate(accept, fmt, RESULT_FORMATS)
            if f is None or f.results is None:
                return self._not_acceptable(RESULT_FORMATS)
            return Reply(200, result.serialize(format=f.results) or b"", _content_type(f.media_type))
        if isinstance(result, ox.QuerySolutions):
            f = negotiate(accept, fmt, RESULT_FORMATS)
            if f is None or f.results is None:
                return self._not_acceptable(RESULT_FORMATS)
            names = [v.value for v in result.variables]
            rows = list(islice(result, limit + 1))
            truncated = len(rows) > limit
            doc = {
                "head": {"vars": names},
                "results": {"bindings": [
                    {n: _term_json(sol[n]) for n in names if sol[n] is not None} for sol in rows[:limit]
                ]},
            }
            data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
            if f.results != ox.QueryResultsFormat.JSON:
                reparsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
                data = reparsed.serialize(format=f.results) or b""
            return Reply(200, data, _content_type(f.media_type), self._limit_headers(truncated))
        f = negotiate(accept, fmt, GRAPH_FORMATS)
        if f is None or f.rdf is None:
            return self._not_acceptable(GRAPH_FORMATS)
        triples = list(islice(result, limit + 1))
        truncated = len(triples) > limit
        data = ox.serialize(triples[:limit], format=f.rdf) or b""
        return Reply(200, data, _content_type(f.media_type), self._limit_headers(truncated))

    def _limit_headers(self, truncated: bool) -> dict[str, str]:
        headers = {"X-CTKG-Max-Rows": str(self.config.max_rows)}
        if truncated:
            headers["X-CTKG-Truncated"] = "true"
        return headers

    @staticmethod
    def _not_acceptable(formats: Iterable[Format]) -> Reply:
        offered = ", ".join(f"{f.media_type} (format={f.name})" for f in formats)
        return Reply.error(406, f"no acceptable result format; this query can give: {offered}")

    def run_update(self, update: str, method: str) -> Reply:
        """Refuse an update (403) unless updates are allowed; then run it (POST only)."""
        if not self.config.allow_update:
            return Reply.error(403, "this endpoint is read-only: SPARQL Update is refused "
                                    "(start `ctkg serve --allow-update` on a writable store to allow it)")
        if method != "POST":
            return Reply.error(405, "send SPARQL Update with POST", Allow="POST")

        def work() -> Reply:
            try:
                self.store.raw.update(update)
            except SyntaxError as exc:
                return Reply.error(400, f"malformed update: {exc}")
            except (OSError, ValueError, RuntimeError) as exc:
                return Reply.error(400, f"update failed: {exc}")
            return Reply(204, b"")

        return self._in_worker(work)


class _Handler(BaseHTTPRequestHandler):
    """HTTP plumbing: paths, methods, body size, CORS, logging."""

    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "ctkg-sparql"

    def _endpoint_path(self) -> str | None:
        parts = urlsplit(self.path)
        return parts.query if parts.path in ("/", "/sparql") else None

    def _send(self, reply: Reply, *, head_only: bool = False) -> None:
        self.send_response(reply.status)
        origin = self.server.endpoint.config.cors_origin
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", "X-CTKG-Truncated, X-CTKG-Max-Rows")
        if reply.status != 204:
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Vary", "Accept" if origin in ("", "*") else "Accept, Origin")
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if reply.status != 204 and not head_only:
            self.wfile.write(reply.body)

    def _dispatch(self, method: str) -> None:
        qs = self._endpoint_path()
        if qs is None:
            self._send(Reply.error(404, "not found: the endpoint is /sparql"))
            return
        body = b""
        if method == "POST":
            try:
                length = int(self.headers.get("Content-Length") or "0")
            except ValueError:
                self._send(Reply.error(400, "bad Content-Length"))
                return
            limit = self.server.endpoint.config.max_body
            if length > limit:
                # read (and drop) a body of reasonable size first, so that the client, still
                # sending, gets the 413 rather than a broken pipe; a huge one just closes
                remaining = length if length <= 16 * limit else 0
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 65536))
                    if not chunk:
                        break
                    remaining -= len(chunk)
                self.close_connection = True
                self._send(Reply.error(413, f"request body over {limit} bytes"))
                return
            body = self.rfile.read(length)
        reply = self.server.endpoint.handle(
            method, qs, self.headers.get("Content-Type", ""), body, self.headers.get("Accept")
        )
        self._send(reply)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:
        if self._endpoint_path() is None:
            self._send(Reply.error(404, "not found: the endpoint is /sparql"))
            return
        requested = self.headers.get("Access-Control-Request-Headers")
        self._send(Reply(204, b"", headers={
            "Allow": "GET, POST, OPTIONS",
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": requested or "Content-Type, Accept",
            "Access-Control-Max-Age": "600",
        }))

    def _not_allowed(self) -> None:
        self._send(Reply.error(405, "method not allowed; use GET, POST or OPTIONS", Allow="GET, POST, OPTIONS"))

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.endpoint.config.quiet:
            super().log_message(format, *args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], endpoint: SparqlEndpoint) -> None:
        self.endpoint = endpoint
        super().__init__(address, _Handler)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class SparqlServer:
    """A running (or ready) endpoint: ``serve_forever()`` in the foreground, or ``start()``/``shutdown()``."""

    def __init__(self, store: OxigraphStore, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        if not self.config.public and not is_loopback(self.config.host):
            raise ServeError(f"{self.config.host} is not a loopback address; "
                             "give --public to serve on a network interface")
        if self.config.max_rows < 0 or self.config.timeout <= 0:
            raise ServeError("--max-rows must be >= 0 and --timeout > 0")
        self.endpoint = SparqlEndpoint(store, self.config)
        cls = _HTTPServer6 if ":" in self.config.host else _HTTPServer
        try:
            self.httpd = cls((self.config.host.strip("[]"), self.config.port), self.endpoint)
        except OSError as exc:
            raise ServeError(f"cannot listen on {self.config.host}:{self.config.port}: {exc}") from None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        """The endpoint's URL."""
        host = self.config.host
        host = f"[{host.strip('[]')}]" if ":" in host else host
        return f"http://{host}:{self.port}/sparql"

    def serve_forever(self) -> None:
        """Serve until interrupted or :meth:`shutdown` is called from another thread."""
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> threading.Thread:
        """Serve in a background daemon thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="ctkg-sparql-server", daemon=True)
        self._thread.start()
        return self._thread

    def shutdown(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def make_server(store: OxigraphStore, config: ServerConfig | None = None) -> SparqlServer:
    """An endpoint over ``store`` (validated: loopback unless ``public``), not yet serving."""
    return SparqlServer(store, config)


__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Format",
    "Reply",
    "ServeError",
    "ServerConfig",
    "SparqlEndpoint",
    "SparqlServer",
    "is_loopback",
    "looks_like_update",
    "make_server",
    "negotiate",
]
