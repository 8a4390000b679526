"""Named SPARQL queries: the catalogue, safe parameter binding, running and formatting."""

from ctkg.query.catalog import Param, QuerySpec, catalog, get_query
from ctkg.query.run import Results, run_query, run_sparql

__all__ = ["Param", "QuerySpec", "Results", "catalog", "get_query", "run_query", "run_sparql"]
