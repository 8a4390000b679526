"""The ``ctkg serve`` sub-command: argument parsing and the command function.

``ctkg/cli.py`` wires it in with::

    from ctkg.serve.cli import add_parsers as add_serve_parsers
    COMMANDS.update(add_serve_parsers(sub))
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ctkg.serve.server import ServerConfig, SparqlServer
from ctkg.store.local import default_store_path, open_store


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text}")
    return value


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``serve`` sub-command to ``sub``; return ``{"serve": cmd_serve}``."""
    p = sub.add_parser(
        "serve",
        help="serve the store as a read-only SPARQL 1.1 endpoint (http://127.0.0.1:7878/sparql)",
        description="A read-only SPARQL 1.1 Protocol endpoint over the store: GET and POST, results as "
                    "SPARQL JSON, XML, CSV, TSV or Turtle, with a query timeout, a row limit and CORS.",
    )
    p.add_argument("--store", metavar="DIR",
                   help=f"store folder (default: $CTKG_STORE or {default_store_path()}); opened read-only")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others need --public)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=_positive_float, default=30.0, metavar="SECONDS",
                   help="answer 503 when a query runs longer (default 30)")
    p.add_argument("--max-rows", type=_non_negative_int, default=10_000, metavar="N",
                   help="truncate results after N rows or triples, flagged by X-CTKG-Truncated (default 10000)")
    p.add_argument("--cors-origin", default="*", metavar="ORIGIN",
                   help="Access-Control-Allow-Origin value (default '*'; '' disables CORS)")
    p.add_argument("--public", action="store_true", help="allow a non-loopback --host")
    p.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL Update (opens the store writable; off by default)")
    p.add_argument("--quiet", action="store_true", help="do not log requests")
    return {"serve": cmd_serve}


def cmd_serve(args: argparse.Namespace) -> int:
    """Open the store and serve it until interrupted (Ctrl-C); exit code 0."""
    config = ServerConfig(
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        cors_origin=args.cors_origin,
        allow_update=args.allow_update,
        public=args.public,
        quiet=args.quiet,
    )
    store = open_store(args.store, create=False, read_only=not args.allow_update)
    try:
        server = SparqlServer(store, config)
        print(f"serving {store.location} at {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.httpd.server_close()
    finally:
        if args.allow_update:
            store.close()  # flush; OxigraphStore.close() raises on a read-only store, which needs no flush
    return 0


__all__ = ["add_parsers", "cmd_serve"]
