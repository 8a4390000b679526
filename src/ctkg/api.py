"""The Python API (the CLI calls exactly these functions)."""

from __future__ import annotations

from pathlib import Path

from ctkg.extract import extract_document
from ctkg.ingest import read_source
from ctkg.model import Document


def extract(path: str | Path, *, use_index: bool = True) -> Document:
    """Read one source file and extract its resolution (no store involved)."""
    return extract_document(read_source(path), use_index=use_index)
