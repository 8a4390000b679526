"""Precision and recall of the implicit matcher on a hand-checked sample of candidate links.

The sample (``tests/lineage/sample.csv``) holds candidate pairs drawn around the threshold
from the whole corpus, each labelled ``link`` or ``no-link`` by reading both texts (the same
duty or statement, asked of the same kind of actor about the same situation or regime: a
template re-applied to another mission, committee or country is ``no-link``).  The matcher's
decision for each pair is recomputed on the real texts.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ctkg.corpus import corpus_dir
from ctkg.extract import extract_document
from ctkg.ingest import read_source
from ctkg.lineage import units_from_documents
from ctkg.lineage.match import THRESHOLD, Prepared, assess


@dataclass
class Calibration:
    """The confusion counts of the matcher on the sample, at one threshold."""

    threshold: float
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    disagreements: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def summary(self) -> str:
        return (f"threshold {self.threshold:g}: {self.size} hand-checked pairs, precision {self.precision:.3f}, "
                f"recall {self.recall:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})")


def _path(key: str) -> Path:
    """The bundled source of resolution ``"2322-2016"``."""
    from ctkg.corpus import PREFERRED

    n, y = key.split("-")
    stem = f"{n}_{y}"
    return corpus_dir() / PREFERRED.get(stem, f"unsc/{stem}.txt")


def evaluate(sample: str | Path, thresholds: tuple[float, ...] = (THRESHOLD,)) -> list[Calibration]:
    """The matcher's precision and recall on ``sample`` at each threshold."""
    with open(sample, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keys = sorted({r[c].split("/")[0] for r in rows for c in ("later", "earlier")})
    docs = [extract_document(read_source(_path(k)), allow_partial=True) for k in keys]
    data = units_from_documents(docs)
    units = {f"{u.resolution[0]}-{u.resolution[1]}/{u.clause}": Prepared(u) for u in data.units}
    out = []
    for t in thresholds:
        cal = Calibration(t)
        for r in rows:
            later, earlier = units[r["later"]], units[r["earlier"]]
            s, why = assess(later, earlier, data.contexts, t)
            predicted, actual = why is None, r["label"] == "link"
            if predicted and actual:
                cal.tp += 1
            elif predicted:
                cal.fp += 1
            elif actual:
                cal.fn += 1
            else:
                cal.tn += 1
            if predicted != actual:
                cal.disagreements.append(f"{r['later']} <- {r['earlier']}: score {s}, {why or 'linked'}; "
                                         f"labelled {r['label']} ({r['note']})")
        out.append(cal)
    return out


__all__ = ["Calibration", "evaluate"]
