"""Plots of the store, drawn with matplotlib to PNG, SVG or PDF (by the file's suffix).

* ``obligations-by-strength``: directive clauses per year of adoption, stacked by strength
  band (binding, then the modality scale: decides/demands/directs, requests/authorizes,
  calls upon/urges, encourages/invites/recommends).
* ``reporting-lines``: the reporting-line diagram of the architecture: who reports to whom
  (arrow width = number of reporting lines) and which body is part of which, with the
  Security Council on top and each actor placed by its distance from it.
* ``most-cited``: the resolutions cited by the most other resolutions.
* ``mandate-timeline``: the mandate history of each body (:mod:`ctkg.lineage.plots`).

>>> sorted(PLOTS)
['mandate-timeline', 'most-cited', 'obligations-by-strength', 'reporting-lines']
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ctkg.errors import CtkgError
from ctkg.lineage.plots import plot_mandate_timeline
from ctkg.store.local import OxigraphStore

from .views import _actors, select

FORMATS = (".png", ".svg", ".pdf")

_BANDS: list[tuple[str, str]] = [
    ("binding (Chapter VII decision or 'shall')", "#8e1b10"),
    ("decides / demands / directs (not binding)", "#d9552b"),
    ("requests / authorizes", "#f0a04b"),
    ("calls upon / urges", "#7fa7d4"),
    ("encourages / invites / recommends", "#c3d7ea"),
]


def _band(binding: bool, strength: int) -> int:
    if binding:
        return 0
    if strength >= 80:
        return 1
    if strength >= 70:
        return 2
    if strength >= 50:
        return 3
    return 4


def _pyplot() -> Any:
    try:
        import matplotlib
    except ModuleNotFoundError:
        raise CtkgError("plots need matplotlib (pip install matplotlib)") from None
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "ctkg"
    matplotlib.rcParams["font.size"] = 10
    import matplotlib.pyplot as plt

    return plt


def obligations_by_strength(store: OxigraphStore) -> dict[int, list[int]]:
    """Directive clauses per year, counted by strength band (the order of the legend).

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> sum(obligations_by_strength(store)[2001])
    25
    """
    rows = select(store, """
        SELECT DISTINCT ?c ?year ?binding ?strength WHERE {
          ?c a ctkg:Directive ; ctkg:inResolution ?r ; ctkg:binding ?binding ; ctkg:modality ?m .
          ?r ctkg:year ?year .
          OPTIONAL { ?m ctkg:strength ?strength }
        }""")
    per_year: dict[int, list[int]] = defaultdict(lambda: [0] * len(_BANDS))
    for row in rows:
        strength = row.get("strength", 0)
        year = row["year"]
        assert isinstance(year, int) and isinstance(strength, int)
        per_year[year][_band(row.get("binding") is True, strength)] += 1
    return dict(sorted(per_year.items()))


def _plot_strength(store: OxigraphStore, plt: Any) -> Any:
    data = obligations_by_strength(store)
    if not data:
        raise CtkgError("no directive clauses in the store (run `ctkg build` first)")
    years = list(data)
    fig, ax = plt.subplots(figsize=(11, 5.5))
    bottom = [0] * len(years)
    for i, (name, colour) in enumerate(_BANDS):
        values = [data[y][i] for y in years]
        ax.bar(years, values, bottom=bottom, color=colour, label=name, width=0.85, edgecolor="white", linewidth=0.3)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title("Security Council directives by strength, per year of adoption")
    ax.set_xlabel("year")
    ax.set_ylabel("directive clauses (decides, requests, calls upon …)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="upper left")
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    return fig


def reporting_structure(store: OxigraphStore) -> tuple[dict[tuple[str, str], int], set[tuple[str, str]], dict[str, str]]:
    """Reporting lines per (reporter, recipient), sub-organisation pairs among those actors, and actor codes."""
    lines: Counter[tuple[str, str]] = Counter()
    for row in select(store, """
        SELECT DISTINCT ?l ?from ?to WHERE { ?l a ctkg:ReportingLine ; ctkg:reporter ?from ; ctkg:reportRecipient ?to }"""):
        lines[(str(row["from"]), str(row["to"]))] += 1
    actors = {a for pair in lines for a in pair}
    parts: set[tuple[str, str]] = set()
    for row in select(store, "SELECT DISTINCT ?a ?b WHERE { ?a org:subOrganizationOf ?b }"):
        a, b = str(row["a"]), str(row["b"])
        if a in actors and b in actors:
            parts.add((a, b))
    codes = {a: str(attrs["code"]) for a, attrs in _actors(store, actors).items()}
    return dict(lines), parts, codes


def _layers(nodes: set[str], edges: set[tuple[str, str]], top: str | None) -> dict[str, int]:
    """Distance of each node from ``top`` against the direction of reporting (who reports to the top is 1)."""
    up: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        up[b].add(a)
    depth = {top: 0} if top in nodes and top is not None else {}
    frontier = list(depth)
    while frontier:
        nxt = []
        for n in frontier:
            for m in sorted(up[n]):
                if m not in depth:
                    depth[m] = depth[n] + 1
                    nxt.append(m)
        frontier = nxt
    bottom = max(depth.values(), default=0) + 1
    return {n: depth.get(n, bottom) for n in nodes}


def _plot_reporting(store: OxigraphStore, plt: Any) -> Any:
    lines, parts, codes = reporting_structure(store)
    if not lines:
        raise CtkgError("no reporting lines in the store (run `ctkg build` first)")
    nodes = {a for pair in lines for a in pair}
    passers = select(store, "SELECT ?p (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r eli:passed_by ?p } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1")
    top = str(passers[0]["p"]) if passers else None
    layer = _layers(nodes, set(lines) | parts, top)
    rows: dict[int, list[str]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: codes.get(n, n)):
        rows[layer[n]].append(n)
    pos: dict[str, tuple[float, float]] = {}

    def box(n: str) -> float:  # the width a label takes, in layout units
        return 0.35 + 0.085 * len(codes.get(n, n))

    width = max(sum(box(n) for n in members) for members in rows.values())
    for depth, members in rows.items():
        gap = (width - sum(box(n) for n in members)) / len(members)
        x = gap / 2
        for n in members:
            pos[n] = (x + box(n) / 2, -depth * 1.0)
            x += box(n) + gap
    fig, ax = plt.subplots(figsize=(max(9.0, width * 1.25), 2.2 + 1.6 * len(rows)))
    most = max(lines.values())
    for (a, b), count in sorted(lines.items()):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        rad = 0.25 if (b, a) in lines else 0.08
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops={"arrowstyle": "-|>", "color": "#c0392b", "alpha": 0.75, "shrinkA": 16, "shrinkB": 16,
                                "lw": 0.8 + 3.2 * math.sqrt(count / most), "connectionstyle": f"arc3,rad={rad}"})
        ax.text((x1 + x2) / 2 + rad * (y2 - y1) / 2, (y1 + y2) / 2 - rad * (x2 - x1) / 2, str(count), fontsize=8,
                color="#7b241c", ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    for a, b in sorted(parts):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops={"arrowstyle": "-", "color": "#7f8c8d", "linestyle": ":", "lw": 1.2,
                                "shrinkA": 14, "shrinkB": 14})
    for n, (x, y) in pos.items():
        ax.text(x, y, codes.get(n, n).replace("_", " "), ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round,pad=0.35", "fc": "#dbe9f6" if n != top else "#f9d58b", "ec": "#4a6fa5"})
    ax.set_xlim(-0.3, width + 0.3)
    ax.set_ylim(-max(rows) - 0.6, 0.6)
    ax.axis("off")
    ax.set_title("Who reports to whom: reporting lines set by the resolutions "
                 "(arrow width and number = reporting lines; dotted = part of)")
    return fig


def most_cited(store: OxigraphStore, top: int = 20) -> list[tuple[str, int, int]]:
    """(symbol, citing resolutions, citations) of the ``top`` resolutions cited by the most other resolutions.

    >>> import ctkg
    >>> store = ctkg.build(corpus="demo", store="memory:").store_handle
    >>> most_cited(store, 1)  # 748 (1992) cites 731 (1992) seven times
    [('S/RES/731 (1992)', 1, 7)]
    """
    rows = select(store, """
        SELECT DISTINCT ?x ?r ?cr WHERE {
          ?x a ctkg:Citation ; ctkg:inResolution ?r ; ctkg:citedResolution ?cr . FILTER(?r != ?cr) }""")
    citing: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    for row in rows:
        citing[str(row["cr"])].add(str(row["r"]))
        count[str(row["cr"])] += 1
    symbols = {str(r["s"]): str(r["v"]) for r in select(store, """
        SELECT DISTINCT ?s ?v WHERE { ?s a ctkg:Resolution ; dcterms:identifier ?v }""")}
    ranked = sorted(citing, key=lambda r: (-len(citing[r]), -count[r], symbols.get(r, r)))[:top]
    return [(symbols.get(r, r), len(citing[r]), count[r]) for r in ranked]


def _plot_most_cited(store: OxigraphStore, plt: Any) -> Any:
    data = most_cited(store)
    if not data:
        raise CtkgError("no citations between resolutions in the store (run `ctkg build` first)")
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.33 * len(data)))
    labels = [s.replace("S/RES/", "") for s, _, _ in reversed(data)]
    values = [n for _, n, _ in reversed(data)]
    bars = ax.barh(labels, values, color="#8e44ad", alpha=0.85)
    for bar, (_, n, total) in zip(bars, reversed(data), strict=True):
        ax.text(bar.get_width() + 0.3, bar.get_y() + bar.get_height() / 2, f"{n}  ({total} citations)",
                va="center", fontsize=8, color="#444")
    ax.set_xlabel("resolutions in the store that cite it")
    ax.set_title("Most cited Security Council resolutions")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max(values) * 1.25)
    return fig


PLOTS: dict[str, Callable[[OxigraphStore, Any], Any]] = {
    "obligations-by-strength": _plot_strength,
    "reporting-lines": _plot_reporting,
    "most-cited": _plot_most_cited,
    "mandate-timeline": plot_mandate_timeline,
}
"""The plots, by name."""


def plot(store: OxigraphStore, name: str, dest: str | Path) -> Path:
    """Draw plot ``name`` into ``dest``; the suffix (.png, .svg, .pdf) picks the format."""
    if name not in PLOTS:
        raise CtkgError(f"unknown plot {name!r}; choose one of {', '.join(PLOTS)}")
    path = Path(dest)
    if path.suffix.lower() not in FORMATS:
        raise CtkgError(f"plot files end in {', '.join(FORMATS)}, not {path.suffix or 'nothing'!r}", path=str(path))
    plt = _pyplot()
    fig = PLOTS[name](store, plt)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata: dict[str, Any] = {"Date": None} if path.suffix.lower() in (".svg", ".pdf") else {}
        fig.savefig(path, dpi=150, bbox_inches="tight", metadata=metadata)
    except OSError as exc:
        raise CtkgError(f"cannot write the plot: {exc}", path=str(path)) from None
    finally:
        plt.close(fig)
    return path


__all__ = ["FORMATS", "PLOTS", "most_cited", "obligations_by_strength", "plot", "reporting_structure"]
