"""The ``ctkg push`` sub-command: upload the store to a SPARQL 1.1 server.

``ctkg/cli.py`` wires it in with::

    from ctkg.store.remote_cli import add_parsers as add_push_parsers
    COMMANDS.update(add_push_parsers(sub))
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from ctkg.errors import StoreError
from ctkg.store.local import default_store_path, open_store
from ctkg.store.push import CHUNK, push
from ctkg.store.remote import PASSWORD_ENV, USER_ENV, Credentials


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
    return value


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the ``push`` sub-command to ``sub``; return ``{"push": cmd_push}``."""
    p = sub.add_parser(
        "push",
        help="upload the store's named graphs to a SPARQL 1.1 server (replacing them: idempotent)",
        description="Replace each named graph of the store (or only --graph) on a SPARQL 1.1 server, with the "
                    "Graph Store Protocol (PUT ?graph=IRI) where the server has one (Oxigraph: /store; Virtuoso: "
                    "/sparql-graph-crud-auth), else with SPARQL Update (DROP SILENT GRAPH + INSERT DATA in chunks).",
        epilog=f"A server that wants a login: --user NAME (or ${USER_ENV}) with the password in ${PASSWORD_ENV} "
               "(asked for on a terminal if unset); HTTP digest or basic, as the server asks.",
    )
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the server: http://host:port for Oxigraph server; http://host:8890/sparql-auth for "
                        "Virtuoso (with --user; Graph Store Protocol), or any SPARQL endpoint URL (SPARQL Update)")
    p.add_argument("--user", metavar="NAME",
                   help=f"log in as NAME (default ${USER_ENV}); the password is read from ${PASSWORD_ENV}, "
                        "never from the command line")
    p.add_argument("--graph", metavar="IRI", help="push only this named graph")
    p.add_argument("--store", metavar="DIR",
                   help=f"store folder (default: $CTKG_STORE or {default_store_path()}); opened read-only")
    p.add_argument("--update", action="store_true", help="use SPARQL Update even where the Graph Store Protocol exists")
    p.add_argument("--store-url", metavar="URL", help="the Graph Store Protocol URL, if not derived from --endpoint")
    p.add_argument("--update-url", metavar="URL", help="the SPARQL Update URL, if not derived from --endpoint")
    p.add_argument("--chunk", type=_positive_int, default=CHUNK, metavar="N",
                   help=f"triples per INSERT DATA request with SPARQL Update (default {CHUNK})")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    return {"push": cmd_push}


def credentials(user: str | None) -> Credentials | None:
    """The login for ``--user`` (or ``$CTKG_ENDPOINT_USER``): the password from ``$CTKG_ENDPOINT_PASSWORD``,
    else asked for on a terminal; None without a user."""
    try:
        return Credentials.from_env(user)
    except StoreError:
        name = user or os.environ.get(USER_ENV)
        if name is None or not sys.stdin.isatty():
            raise
        return Credentials(name, getpass.getpass(f"password for {name}: "))


def cmd_push(args: argparse.Namespace) -> int:
    """Push the store; print one line per graph and a total; exit code 0."""
    login = credentials(args.user)
    with open_store(args.store, create=False, read_only=args.store != "memory:") as store:
        result = push(store, args.endpoint, args.graph, update=args.update, store_url=args.store_url,
                      update_url=args.update_url, chunk=args.chunk, credentials=login)
    if not args.quiet:
        for graph, count in result.graphs.items():
            print(f"{count:>9}  {graph}")
        print(f"pushed {len(result.graphs)} graph(s), {result.triples} triples to {result.endpoint} "
              f"({'Graph Store Protocol' if result.method == 'gsp' else 'SPARQL Update'})", file=sys.stderr)
    return 0


__all__ = ["add_parsers", "cmd_push"]
