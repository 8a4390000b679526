"""ctkg: a knowledge graph of counter-terrorism obligations in UN Security Council resolutions.

The Python API (the ``ctkg`` command calls the same functions):

* :func:`extract` - one source file to a :class:`~ctkg.model.Document` (no store);
* :func:`build` - source files (default: the bundled demo set) into a store;
* :func:`query` / :func:`query_results` - run a named catalogue query with typed parameters;
* :func:`queries` - the catalogue;
* :func:`validate` - SHACL validation of the store;
* :func:`report` - the corpus quality report.
"""

from ctkg import corpus
from ctkg.api import Build, build, extract, queries, query, query_results, report, validate
from ctkg.errors import CtkgError
from ctkg.store import open_store

__version__ = "0.1.0"

__all__ = [
    "Build",
    "CtkgError",
    "__version__",
    "build",
    "corpus",
    "extract",
    "open_store",
    "queries",
    "query",
    "query_results",
    "report",
    "validate",
]
