"""``ctkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the store.

Standard library HTTP (``http.server.ThreadingHTTPServer``) plus pyoxigraph:
GET and POST queries, content negotiation (SPARQL JSON, XML, CSV, TSV; Turtle,
N-Triples, RDF/XML), a query timeout, a result-size limit, CORS, loopback by
default and SPARQL Update refused unless explicitly allowed.  See
:mod:`ctkg.serve.server`.
"""

from ctkg.serve.server import ServeError, ServerConfig, SparqlServer, is_loopback, make_server

__all__ = ["ServeError", "ServerConfig", "SparqlServer", "is_loopback", "make_server"]
