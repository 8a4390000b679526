"""The ``ctkg`` command: parses arguments, calls the API, formats, exits.

Exit codes (see also :mod:`ctkg.errors`)::

    0  success
    1  ``validate``: the graph does not conform (violations found)
    2  usage error, or an unexpected ctkg error; ``validate`` exits 2 on any error
       (store, shapes, engine), so that it has exactly three outcomes: 0, 1, 2
    3  input error: empty, non-UTF-8, no resolution, truncated resolution
    4  store error
    5  query error: unknown query, bad parameter, failing SPARQL
    6  validation error: the shapes cannot be loaded or run
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from ctkg import api
from ctkg.errors import CtkgError, QueryError
from ctkg.export.cli import add_parsers as add_export_parsers
from ctkg.lineage.cli import add_parsers as add_lineage_parsers
from ctkg.serve.cli import add_parsers as add_serve_parsers
from ctkg.store.local import default_store_path
from ctkg.store.remote_cli import add_parsers as add_push_parsers

EXIT_OK, EXIT_NONCONFORMANT, EXIT_USAGE = 0, 1, 2


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store", metavar="DIR|URL",
        help=f"store folder, memory:, or http://host:port of a SPARQL server (query only) "
        f"(default: $CTKG_STORE or {default_store_path()})",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctkg",
        description="A knowledge graph of counter-terrorism obligations in UN Security Council resolutions.",
        epilog="Exit codes: 0 ok, 1 not conformant, 2 usage, 3 bad input, 4 store, 5 query, 6 validation error.",
    )
    parser.add_argument("--version", action="version", version=f"ctkg {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build", help="extract texts into the store (default: the bundled counter-terrorism set)"
    )
    b.add_argument("paths", nargs="*", metavar="PATH", help="resolution texts or press releases")
    which = b.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_const", const="all", dest="corpus",
                       help="build all 1,212 bundled resolution texts")
    which.add_argument("--demo", action="store_const", const="demo", dest="corpus",
                       help="build the four foundation documents (2322, 1373, 731, 748)")
    b.set_defaults(corpus="ct")
    _store_arg(b)
    b.add_argument("--quiet", action="store_true", help="print only errors")

    e = sub.add_parser("extract", help="print one document's extracted model (no store)")
    e.add_argument("path", metavar="PATH")
    e.add_argument("--format", choices=["json", "summary"], default="json")
    e.add_argument("--no-index", action="store_true", help="adoption facts from the text only")

    q = sub.add_parser("query", help="run a named query (or --file), or --list the catalogue")
    q.add_argument("name", nargs="?", metavar="NAME")
    q.add_argument("--file", metavar="FILE.rq", help="run the SPARQL query in this file")
    q.add_argument("--list", action="store_true", help="list the catalogue: name, question, parameters")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _store_arg(q)

    r = sub.add_parser("report", help="write the corpus quality report (Markdown and CSV)")
    r.add_argument("-o", "--out", metavar="DIR", default=".", help="folder for quality-report.md and .csv")
    r.add_argument("paths", nargs="*", metavar="PATH", help="texts to assess (default: the bundled corpus)")

    rs = sub.add_parser("reason", help="materialise inverse/transitive consequences (OWL 2 RL); --hermit checks")
    _store_arg(rs)
    rs.add_argument("--hermit", action="store_true", help="also check consistency with HermiT (needs Java)")
    rs.add_argument("--classify", action="store_true",
                    help="with HermiT, also realise every individual into the defined classes (slow on large stores)")

    c = sub.add_parser("check", help="run the ontology quality checks (exit 1 if any returns rows)")
    _store_arg(c)

    d = sub.add_parser("docs", help="generate the ontology documentation (docs/ontology.html)")
    d.add_argument("-o", "--out", metavar="DIR", default="docs")

    v = sub.add_parser("validate", help="SHACL-validate the store (exit 1 on violations)")
    _store_arg(v)
    v.add_argument("--report", metavar="FILE.ttl",
                   help="also write the standard sh:ValidationReport as Turtle ('-' for standard output)")
    v.add_argument("--engine", choices=("sparql", "pyshacl"), default="sparql",
                   help="sparql: the shapes compiled to SPARQL on the whole store (fast, default); "
                        "pyshacl: the reference validator, resolution graph by resolution graph")
    COMMANDS.update(add_serve_parsers(sub))
    COMMANDS.update(add_export_parsers(sub))
    COMMANDS.update(add_push_parsers(sub))
    COMMANDS.update(add_lineage_parsers(sub))
    return parser


def _version() -> str:
    from ctkg import __version__

    return __version__


def _params(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE, not {pair!r}")
        out[name.strip()] = value
    return out


def cmd_build(args: argparse.Namespace) -> int:
    if args.paths and args.corpus != "ct":
        raise CtkgError("give PATHs or --all/--demo, not both")
    bar = None if args.quiet else tqdm(unit="text", desc="building", file=sys.stderr, disable=None)

    def progress(path: str) -> None:
        if bar is not None:
            bar.update(1)

    try:
        result = api.build(args.paths or None, args.store, corpus=args.corpus, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    for f in result.failures:
        print(f"error: {f.message}", file=sys.stderr)
    if not args.quiet:
        if len(result.built) <= 10:
            for b in result.built:
                print(f"{b.symbol}: {b.paragraphs} paragraphs, {b.directives} obligations, "
                      f"{b.reporting_lines} reporting lines, {b.citations} citations, {b.triples} triples")
        t = result.totals()
        print(
            f"built {t['documents']} document(s) into {result.store}"
            + (f"; {t['failed']} failed" if t["failed"] else "")
            + f": {t['paragraphs']} paragraphs, {t['clauses']} clauses, {t['obligations']} obligations, "
            f"{t['reporting_lines']} reporting lines, {t['citations']} citations, {t['warnings']} warnings, "
            f"{t['triples']} triples"
        )
    if result.failures:
        return max(f.error.exit_code for f in result.failures)
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    doc = api.extract(args.path, use_index=not args.no_index)
    if args.format == "json":
        print(json.dumps(doc.to_dict(), indent=1, ensure_ascii=False))
    else:
        res = doc.resolution
        print(f"{res.symbol}: {len(res.all_paragraphs())} paragraphs, {len(res.clauses)} clauses, "
              f"{len(res.reporting_lines)} reporting lines, {len(res.citations)} citations")
        for w in res.warnings:
            print(f"warning: {w}")
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    if args.list:
        for spec in api.queries():
            params = ", ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in spec.params)
            print(f"{spec.name}\n    {spec.summary}\n    parameters: {params or 'none'}\n"
                  f"    columns: {', '.join(spec.returns)}")
        return EXIT_OK
    target: str | Path
    if args.file:
        target = Path(args.file)
    elif args.name:
        target = args.name
    else:
        raise QueryError("name a query (see `ctkg query --list`) or give --file FILE.rq")
    results = api.query_results(args.store, target, _params(args.param))
    if args.format == "json":
        print(results.to_json())
    elif args.format == "csv":
        sys.stdout.write(results.to_csv())
    else:
        print(results.to_table())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        report = api.validate(args.store, engine=args.engine)
    except CtkgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # with the Turtle report on standard output, the readable lines go to standard error
    out = sys.stderr if args.report == "-" else sys.stdout
    for r in report.results:
        print(r.line(), file=out)
    if args.report == "-":
        sys.stdout.write(report.report_graph.serialize(format="turtle"))
    elif args.report:
        report.report_graph.serialize(destination=args.report, format="turtle")
    n_v, n_w = len(report.violations), len(report.warnings)
    print(f"{'conforms' if report.conforms else 'does not conform'}: {report.graphs} resolution graph(s), "
          f"{n_v} violation(s), {n_w} warning(s)", file=out)
    return EXIT_OK if report.conforms else EXIT_NONCONFORMANT


def cmd_report(args: argparse.Namespace) -> int:
    bar = tqdm(unit="text", desc="assessing", file=sys.stderr, disable=None)
    try:
        result = api.report(args.out, args.paths or None, progress=lambda _p: bar.update(1))
    finally:
        bar.close()
    for key, value in result.figures().items():
        print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    print(f"wrote {Path(args.out) / 'quality-report.md'} and {Path(args.out) / 'quality-report.csv'}")
    return EXIT_OK


def cmd_reason(args: argparse.Namespace) -> int:
    done, checked = api.reason(args.store, hermit=args.hermit, classify=args.classify)
    by = ", ".join(f"{k} {v}" for k, v in done.by_property.items())
    print(f"materialised {done.inferred} triple(s) into the inferred graph in {done.seconds:.1f} s"
          f" ({done.derived_reports_to} org:reportsTo derived from reporting lines; {by or 'nothing new'})")
    if checked is None:
        return EXIT_OK
    if not checked.consistent:
        print(f"HermiT: INCONSISTENT ({checked.individuals} individuals): {checked.message}")
        return EXIT_NONCONFORMANT
    classes = ", ".join(f"{k} {v}" for k, v in checked.classified.items())
    print(f"HermiT: consistent: {checked.individuals} individuals, {checked.triples} triples, "
          f"{checked.seconds:.1f} s" + (f"; inferred members of the defined classes: {classes}" if classes else ""))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    report = api.check(args.store)
    for name in report.checks:
        rows = report.failures[name].rows
        print(f"{'FAIL' if rows else 'ok  '} {name}: {len(rows)} row(s)")
        for row in rows[:20]:
            print("     " + "  ".join("" if c is None else c.value for c in row))
    return EXIT_OK if report.ok else EXIT_NONCONFORMANT


def cmd_docs(args: argparse.Namespace) -> int:
    print(f"wrote {api.docs(args.out)}")
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "check": cmd_check,
    "docs": cmd_docs,
    "reason": cmd_reason,
    "extract": cmd_extract,
    "query": cmd_query,
    "report": cmd_report,
    "validate": cmd_validate,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CtkgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK


__all__ = ["main"]
