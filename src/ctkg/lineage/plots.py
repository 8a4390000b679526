"""The ``mandate-timeline`` plot: one row per body, its mandate periods as bars (from the decision
to the end date the text sets; an open end is drawn to the last date known, hatched), with the
establishment, renewals and reporting-line changes marked.  Registered in
:data:`ctkg.export.plots.PLOTS`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ctkg.errors import CtkgError
from ctkg.store.local import OxigraphStore

_KINDS = {"establishment": ("#8e1b10", "o", "established"), "renewal": ("#2c6fbb", "s", "renewed"),
          "reporting-line": ("#f0a04b", "^", "new reporting line")}


def mandate_events(store: OxigraphStore) -> list[dict[str, Any]]:
    """Every mandate event in the store: body, kind, date, end (dates as ``datetime.date``)."""
    from ctkg.export.views import select

    rows = select(store, """
        SELECT DISTINCT ?body ?kind ?date ?end WHERE {
          ?e org:resultingOrganization ?b ; ctkg:decidedIn ?r . ?b skos:notation ?body .
          { ?e a ctkg:Establishment . BIND("establishment" AS ?kind) }
          UNION { ?e a ctkg:MandateRenewal . BIND("renewal" AS ?kind) }
          UNION { ?e a ctkg:ReportingLineChange . BIND("reporting-line" AS ?kind) }
          ?r eli:date_document ?date .
          OPTIONAL { ?e ctkg:mandatePeriod/time:hasEnd/time:inXSDDate ?end }
        } ORDER BY ?body ?date ?kind""")
    out = []
    for r in rows:
        out.append({"body": str(r["body"]), "kind": str(r["kind"]), "date": _day(r["date"]),
                    "end": _day(r["end"]) if r.get("end") is not None else None})
    return out


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def plot_mandate_timeline(store: OxigraphStore, plt: Any) -> Any:
    events = mandate_events(store)
    if not events:
        raise CtkgError("no mandate history in the store (run `ctkg build` first)")
    bodies = sorted({e["body"] for e in events}, key=lambda b: min(e["date"] for e in events if e["body"] == b))
    last = max([e["date"] for e in events] + [e["end"] for e in events if e["end"]])
    fig, ax = plt.subplots(figsize=(11, 1.2 + 0.45 * len(bodies)))
    for y, body in enumerate(bodies):
        mine = [e for e in events if e["body"] == body and e["kind"] != "reporting-line"]
        for k, e in enumerate(mine):
            nxt = mine[k + 1]["date"] if k + 1 < len(mine) else last
            end, open_end = (e["end"], False) if e["end"] else (nxt, True)
            ax.barh(y, (end - e["date"]).days, left=e["date"], height=0.5, color="#c3d7ea",
                    edgecolor="#2c6fbb", hatch="//" if open_end else None, linewidth=0.6)
        for kind, (color, marker, _) in _KINDS.items():
            xs = [e["date"] for e in events if e["body"] == body and e["kind"] == kind]
            ax.scatter(xs, [y] * len(xs), color=color, marker=marker, zorder=3, s=28)
    handles = [plt.Line2D([], [], color=c, marker=m, linestyle="", label=label) for c, m, label in _KINDS.values()]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    ax.set_yticks(range(len(bodies)), labels=bodies)
    ax.invert_yaxis()
    ax.set_title("Mandate history: establishment, renewals (bar: mandate period, hatched: open end), reporting lines")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


__all__ = ["mandate_events", "plot_mandate_timeline"]
