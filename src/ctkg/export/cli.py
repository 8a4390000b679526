"""The ``ctkg export`` and ``ctkg plot`` sub-commands (wired into :mod:`ctkg.cli` by :func:`add_parsers`).

    ctkg export --format graphml [--view actor-network] -o actors.graphml [--store DIR]
    ctkg export --format html --view obligations --resolution "S/RES/2322 (2016)" -o 2322.html
    ctkg export --format neo4j --view citation-network -o neo4j-import/
    ctkg plot obligations-by-strength -o strength.svg

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="ctkg")
>>> table = add_parsers(parser.add_subparsers(dest="command"))
>>> sorted(table)
['export', 'plot']
>>> parser.parse_args(["export", "--format", "gexf", "-o", "x.gexf"]).view is None
True
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ctkg.errors import StoreError
from ctkg.store.local import OxigraphStore, default_store_path, open_store

from . import ALL_VIEW, EXPORTERS, VIEWS, export
from .neo4j import import_command
from .plots import PLOTS

EXIT_OK = 0


def _open(location: str | None) -> OxigraphStore:
    if location == "memory:":
        raise StoreError("an in-memory store is empty in a new process; give --store DIR of a built store")
    return open_store(location, create=False)


def cmd_export(args: argparse.Namespace) -> int:
    """``ctkg export``: write one view in one format; print one line."""
    store = _open(args.store)
    try:
        result = export(store, args.format, args.output, view=args.view, resolution=args.resolution)
    finally:
        store.close()
    line = result.summary()
    if args.format == "neo4j":
        line += f"; load with: {import_command(result.paths[0].parent)}"
    print(line)
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    """``ctkg plot``: draw one plot; print one line."""
    from .plots import plot

    store = _open(args.store)
    try:
        path = plot(store, args.name, args.output)
    finally:
        store.close()
    print(f"wrote plot {args.name} to {path}")
    return EXIT_OK


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="DIR",
                   help=f"store folder (default: $CTKG_STORE or {default_store_path()})")


def add_parsers(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    """Add the ``export`` and ``plot`` sub-commands to ``sub``; return their command table."""
    e = sub.add_parser(
        "export", help="export a view to Turtle, JSON-LD, GraphML, GEXF, Cytoscape, DOT, SVG, Neo4j CSV or HTML",
        description="Formats: " + "; ".join(f"{n}: {x.description}" for n, x in EXPORTERS.items()),
    )
    e.add_argument("--format", "-f", required=True, choices=list(EXPORTERS), metavar="FORMAT",
                   help=f"one of {', '.join(EXPORTERS)}")
    e.add_argument("--view", choices=[*VIEWS, ALL_VIEW], default=None,
                   help=f"{', '.join(VIEWS)}, or {ALL_VIEW} (RDF formats only; their default); "
                        "default for the others: actor-network")
    e.add_argument("--resolution", metavar="SYMBOL", help="for --view obligations: e.g. 'S/RES/1373 (2001)' or 1373")
    e.add_argument("-o", "--output", required=True, metavar="FILE", help="output file (a folder for neo4j)")
    _store_arg(e)

    p = sub.add_parser("plot", help="draw a plot (PNG, SVG or PDF by the file suffix)")
    p.add_argument("name", choices=list(PLOTS), metavar="NAME", help=f"one of {', '.join(PLOTS)}")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.pdf")
    _store_arg(p)
    return {"export": cmd_export, "plot": cmd_plot}


__all__ = ["add_parsers", "cmd_export", "cmd_plot"]
