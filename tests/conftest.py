"""Shared fixtures: the bundled corpus files used by the tests."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

CORPUS = Path(str(resources.files("ctkg.data").joinpath("corpus")))
GOLDEN = Path(__file__).parent / "golden"

DOCS = {
    "2322_2016": CORPUS / "press" / "SC-12620.txt",
    "1373_2001": CORPUS / "unsc" / "1373_2001.txt",
    "731_1992": CORPUS / "unsc" / "731_1992.txt",
    "748_1992": CORPUS / "unsc" / "748_1992.txt",
}


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def extracted():
    """The four golden documents, extracted once per session."""
    import ctkg

    return {name: ctkg.extract(path) for name, path in DOCS.items()}


@pytest.fixture(scope="session")
def extracted_text_only():
    """The same documents with adoption facts from the text alone (no UN index)."""
    import ctkg

    return {name: ctkg.extract(path, use_index=False) for name, path in DOCS.items()}
