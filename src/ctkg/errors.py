"""Typed errors of ctkg and the exit codes the CLI maps them to.

Exception tree::

    CtkgError                      exit 2  (any ctkg failure)
    ├── InputError                 exit 3  (a source file cannot be used)
    │   ├── EmptyInputError        exit 3  the file is empty or only white space
    │   ├── EncodingError          exit 3  the file is not UTF-8 text
    │   ├── NoResolutionError      exit 3  no Security Council resolution in the text
    │   ├── TruncatedResolutionError exit 3 the resolution breaks off (no operative part)
    │   └── DuplicateResolutionError exit 3 a build gets two texts of the same resolution
    ├── StoreError                 exit 4  the store cannot be opened or written
    ├── QueryError                 exit 5  unknown query, bad parameter or failing SPARQL
    ├── ServeError                 exit 2  the endpoint cannot start as configured
    ├── ValidationError            exit 6  shapes cannot be loaded or run
    └── ReasoningError             exit 7  the reasoner cannot run (e.g. no Java for HermiT)

``ctkg validate`` exits 1 when the graph does not conform (that is a result,
not an error), and 2 on any error, so that it has exactly three outcomes.  Every error carries the file and, where known, the line.
"""

from __future__ import annotations


class CtkgError(Exception):
    """Base class of every error ctkg raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class InputError(CtkgError):
    """A source document cannot be turned into a resolution."""

    exit_code = 3


class EmptyInputError(InputError):
    """The file is empty or holds only white space."""


class EncodingError(InputError):
    """The file is not valid UTF-8."""


class NoResolutionError(InputError):
    """The text holds no Security Council resolution."""


class TruncatedResolutionError(InputError):
    """The resolution text breaks off before its operative part."""


class DuplicateResolutionError(InputError):
    """A build was given two texts of the same resolution (the later one is not built)."""


class StoreError(CtkgError):
    """The store cannot be opened, read or written."""

    exit_code = 4


class QueryError(CtkgError):
    """A named query is unknown, a parameter is bad, or SPARQL fails."""

    exit_code = 5


class ServeError(CtkgError):
    """The endpoint cannot be started as configured (e.g. a public address without ``--public``)."""


class ValidationError(CtkgError):
    """The SHACL shapes cannot be loaded or run."""

    exit_code = 6


class ReasoningError(CtkgError):
    """The reasoner cannot run (e.g. HermiT without Java)."""

    exit_code = 7


__all__ = [
    "CtkgError",
    "EmptyInputError",
    "EncodingError",
    "InputError",
    "NoResolutionError",
    "QueryError",
    "ReasoningError",
    "ServeError",
    "StoreError",
    "TruncatedResolutionError",
    "ValidationError",
]
