"""Where the ontology, shapes and queries live.

In a wheel they are packaged under ``ctkg/_resources``; in a source checkout
(editable install, tests) they are the top-level ``ontology/``, ``shapes/`` and
``queries/`` folders, which stay the single hand-edited source.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``ontology``, ``shapes`` or ``queries``."""
    packaged = _PKG / "_resources" / name
    if packaged.is_dir():
        return packaged
    checkout = _PKG.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"ctkg resource folder {name!r} not found (looked in {packaged} and {checkout})")


def ontology_files() -> list[Path]:
    """The ontology modules: the core ontology and its alignments."""
    d = resource_dir("ontology")
    return [p for p in (d / "ctkg.ttl", d / "alignments.ttl") if p.exists()]


def shapes_file() -> Path:
    return resource_dir("shapes") / "ctkg.shapes.ttl"


def queries_dir() -> Path:
    return resource_dir("queries")


__all__ = ["ontology_files", "queries_dir", "resource_dir", "shapes_file"]
