"""Read a source file and find the resolution text in it.

Two kinds of source are understood:

* a resolution text (both corpus layouts: the born-digital S/RES layout and the
  older "Resolution N (YYYY) of <date>" layout with hard-wrapped lines);
* a UN meetings-coverage press release that quotes a resolution in full after
  "The full text of resolution N (YYYY) reads as follows:".

This is the single point where bytes become text; every error names the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ctkg.errors import EmptyInputError, EncodingError, NoResolutionError
from ctkg.model import SourceInfo

MAX_BYTES = 5_000_000
"""Largest source file accepted (the largest real resolution is about 120 kB)."""

_FULL_TEXT = re.compile(
    r"The full text of (?:the )?resolution (\d{1,4}) ?\((\d{4})\) reads as follows:[ \t]*\n"
)
_TITLE = re.compile(r"^[ \t\f]*Resolution (\d{1,4}) ?\((\d{4})\)", re.MULTILINE)
_MASTHEAD = re.compile(r"S/RES/(\d{1,4}) ?\((\d{4})\)")
_FORMULA = re.compile(r"The Security Council\s*[,.;:]?", re.IGNORECASE)
_FILE_NAME = re.compile(r"(\d{1,4})_(\d{4})")


@dataclass(frozen=True)
class Source:
    """A decoded source file and where in it the resolution text lies."""

    info: SourceInfo
    text: str
    start: int  # offset where the resolution text begins
    end: int
    number: int | None
    year: int | None


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 bytes (a BOM is dropped); raise a typed error otherwise."""
    if not data.strip():
        raise EmptyInputError("the file is empty", path=path)
    if len(data) > MAX_BYTES:
        raise EncodingError(f"the file is larger than {MAX_BYTES} bytes", path=path)
    if b"\x00" in data:
        raise EncodingError("the file is binary, not text (it holds NUL bytes)", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
        ) from None
    if not text.strip():
        raise EmptyInputError("the file is empty (only a byte-order mark or white space)", path=path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: str | Path, data: bytes | None = None) -> Source:
    """Read ``path`` (or the given bytes, named ``path``) and locate the resolution."""
    name = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise EmptyInputError(f"cannot read the file: {exc.strerror}", path=name) from None
    text = decode(data, name)
    sha = hashlib.sha256(data).hexdigest()
    m = _FULL_TEXT.search(text)
    if m:
        info = SourceInfo(path=name, sha256=sha, chars=len(text), kind="press-release")
        return Source(info, text, m.end(), len(text), int(m.group(1)), int(m.group(2)))
    info = SourceInfo(path=name, sha256=sha, chars=len(text), kind="resolution")
    number, year = _identify(text, name)
    return Source(info, text, 0, len(text), number, year)


def _identify(text: str, path: str) -> tuple[int | None, int | None]:
    head = text[:3000]
    for pattern in (_TITLE, _MASTHEAD):
        m = pattern.search(head)
        if m:
            return int(m.group(1)), int(m.group(2))
    if not _FORMULA.search(text):
        raise NoResolutionError(
            'no Security Council resolution found (no "Resolution N (YYYY)" title '
            'and no "The Security Council," enacting formula)',
            path=path,
        )
    m = _FILE_NAME.search(Path(path).name)
    if m:
        return int(m.group(1)), int(m.group(2))
    return None, None


__all__ = ["MAX_BYTES", "Source", "decode", "read_source"]
