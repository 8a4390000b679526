"""The ``ctkg lineage`` command (wired into :mod:`ctkg.cli` by :func:`add_parsers`).

    ctkg lineage 2322 10 [--store DIR]
    ctkg lineage "S/RES/2322 (2016)" 8

prints the chain of the paragraph's clauses back to their first appearance, link by link, with
the evidence: type, similarity, basis (citation or wording) and the matched passages.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="ctkg")
>>> sorted(add_parsers(parser.add_subparsers(dest="command")))
['lineage']
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ctkg.store.local import default_store_path

EXIT_OK = 0


def format_chain(rows: list[dict[str, object]], width: int = 100) -> str:
    """The lineage rows as an indented chain: each later paragraph, then the links back from it."""
    def short(s: object) -> str:
        text = " ".join(str(s or "").split())
        return text if len(text) <= width else text[: width - 1] + "…"

    out: list[str] = []
    last = None
    for r in rows:
        head = (r["laterResolution"], r["laterParagraph"])
        if head != last:
            out.append(f"{r['laterResolution']} paragraph {r['laterParagraph']}")
            last = head
        first = " (first appearance)" if r.get("firstAppearance") is True else ""
        out.append(f"  {r['type']:<11} {r['earlierResolution']} paragraph {r['earlierParagraph']}"
                   f" ({r.get('earlierDate') or 'undated'}){first}")
        out.append(f"      similarity {r['similarity']}, basis {r['basis']}")
        out.append(f"      later:   “{short(r['laterMatch'])}”")
        out.append(f"      earlier: “{short(r['earlierMatch'])}”")
    return "\n".join(out)


def cmd_lineage(args: argparse.Namespace) -> int:
    """``ctkg lineage``: print the lineage chain of one paragraph."""
    from ctkg import api

    rows = api.lineage(args.resolution, args.paragraph, store=args.store)
    if not rows:
        print(f"no lineage links for paragraph {args.paragraph} of {api.resolution_symbol(args.resolution)} in the store")
        return EXIT_OK
    print(format_chain(rows))
    print(f"({len(rows)} link{'s' if len(rows) != 1 else ''})")
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    """Add the ``lineage`` sub-command to ``sub``; return its command table."""
    p = sub.add_parser("lineage", help="where a paragraph's obligations come from: its lineage chain with evidence")
    p.add_argument("resolution", metavar="RESOLUTION", help="e.g. 2322 or 'S/RES/2322 (2016)'")
    p.add_argument("paragraph", metavar="PARAGRAPH", help="paragraph label, e.g. 10 or 2(f)")
    p.add_argument("--store", metavar="DIR", help=f"store folder (default: $CTKG_STORE or {default_store_path()})")
    return {"lineage": cmd_lineage}


__all__ = ["add_parsers", "cmd_lineage", "format_chain"]
