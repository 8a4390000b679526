"""The bundled corpus: public UN texts shipped with the package.

* ``unsc/<number>_<year>.txt``: 1,212 Security Council resolution text files (two of them misfiled,
  see :data:`MISFILED`);
* ``press/SC-12620.txt``: UN press release SC/12620, which quotes resolution
  2322 (2016) in full;
* ``sc_resolutions_index.csv``: the UN library index of 2,614 resolutions.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO = ("press/SC-12620.txt", "unsc/1373_2001.txt", "unsc/731_1992.txt", "unsc/748_1992.txt")
"""The foundation set: 2322 (2016) from its press release, 1373 (2001), 731 and 748 (1992)."""


def corpus_dir() -> Path:
    """The folder of bundled texts."""
    return Path(str(resources.files("ctkg.data").joinpath("corpus")))


def demo_paths() -> list[Path]:
    """The demo documents, as paths into the bundled corpus."""
    return [corpus_dir() / rel for rel in DEMO]


def resolution_paths() -> list[Path]:
    """Every bundled resolution text, in resolution-number order."""
    files = (corpus_dir() / "unsc").glob("*_*.txt")
    return sorted(files, key=lambda p: int(p.stem.split("_")[0]))


PREFERRED = {"2322_2016": "press/SC-12620.txt"}
"""Texts read from a richer source: 2322 (2016) from the press release that quotes it in
full (same wording, plus the meeting's own facts)."""


MISFILED = {"542_1983": "S/RES/538 (1983)", "778_1992": "S/RES/773 (1992)"}
"""Files of the source corpus that hold another resolution's text (the file 542_1983.txt is the
text of 538 (1983), word for word).  A build refuses a second text of a resolution it already has
(DuplicateResolutionError), so they are left out of :func:`corpus_paths`; 542 and 778 keep the UN
index's facts, like every resolution without a text."""


def corpus_paths() -> list[Path]:
    """The corpus as built: one source per resolution (1,210: the 1,212 files less the two
    misfiled ones), richest source first."""
    return [corpus_dir() / PREFERRED[p.stem] if p.stem in PREFERRED else p
            for p in resolution_paths() if p.stem not in MISFILED]


__all__ = ["DEMO", "MISFILED", "PREFERRED", "corpus_dir", "corpus_paths", "demo_paths", "resolution_paths"]
