"""The corpus-level build step: recompute lineage and mandate history, write their named graphs.

Called by the pipeline once per build, after every document's graph is written.  The lineage
input is the documents of the build plus every other resolution already in the store (read back
from its graph), so that a build of a few files still links them to the rest; the result is
deterministic (same resolutions, same triples).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ctkg.graph.build import to_nquads
from ctkg.graph.iris import LINEAGE_GRAPH, MANDATES_GRAPH, graph_iri
from ctkg.graph.lineage import lineage_triples, mandate_triples, read_input
from ctkg.lineage import link_counts, units_from_documents
from ctkg.lineage.mandates import mandate_history
from ctkg.lineage.match import find_links
from ctkg.model import Document
from ctkg.store.local import OxigraphStore

_RES_GRAPH = re.compile(r"/graph/res/\d+-\d{4}$")


@dataclass(frozen=True)
class LineageSummary:
    """What the lineage step found, and how long it took."""

    links: int
    by_type: dict[str, int] = field(default_factory=dict)
    mandate_events: int = 0
    triples: int = 0
    seconds: float = 0.0


def refresh_lineage(store: OxigraphStore, docs: Sequence[Document]) -> LineageSummary:
    """Recompute the lineage and mandate graphs of ``store`` after ``docs`` were written to it."""
    started = time.perf_counter()
    data = units_from_documents(docs)
    built = {str(graph_iri(d.resolution.number, d.resolution.year)) for d in docs}
    others = [g for g in store.graphs() if _RES_GRAPH.search(g) and g not in built]
    data.extend(read_input(store, others))
    links = find_links(data)
    lt = lineage_triples(links)
    mt = mandate_triples(mandate_history(docs))
    store.replace_graph(str(LINEAGE_GRAPH), to_nquads(lt, LINEAGE_GRAPH))
    store.replace_graph(str(MANDATES_GRAPH), to_nquads(mt, MANDATES_GRAPH))
    return LineageSummary(len(links), link_counts(links), len(mt), len(lt) + len(mt),
                          round(time.perf_counter() - started, 2))


__all__ = ["LineageSummary", "refresh_lineage"]
