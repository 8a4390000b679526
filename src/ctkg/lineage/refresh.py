"""The corpus-level build step: lineage and mandate history, written to their named graphs.

Called by the pipeline once per build, after every document's graph is written.  Lineage links
go to one graph per later resolution (``…/graph/lineage/N-YYYY``) and mandate events to one graph
per deciding resolution (``…/graph/mandates/N-YYYY``), so that a build can rewrite just the graphs
that change.  Two ways, with the same result (tested: a build of N resolutions gives the same
quads as a build of N - 1 followed by a build of the last one):

* **adding** (:func:`add_lineage`): when every resolution of the build comes after (by number)
  every other resolution in a store on disk, no link or mandate event of those others can change
  (a link goes from a later clause to an earlier one, and candidate vectors do not depend on the
  corpus).  Only the new resolutions' links are computed: the clause texts of the store are read
  in one light query to find the earlier clauses a new clause can be linked to by its wording
  (:func:`ctkg.lineage.match.similar_clauses`: they must score at least the threshold with it);
  only those and the clauses of the paragraphs the new clauses cite are read back in full, with
  the context of their resolutions; and only the new resolutions' graphs are written.  Their
  mandate events need the bodies and reporting lines of the earlier resolutions (three light
  queries); a new resolution that establishes or renews a body no earlier event names would
  change earlier events, and then the build recomputes all;
* **recomputing** (:func:`recompute_lineage`), in every other case (a resolution older than one
  already in the store, an in-memory store, a store written before there was a graph per
  resolution): the documents of the build plus every other resolution already in the store (read
  back from its graph); every lineage and mandate graph is rewritten and stale ones are removed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ctkg.graph.build import Triples, paragraph_eid, to_nquads
from ctkg.graph.iris import (
    LINEAGE_GRAPH,
    MANDATES_GRAPH,
    lineage_graph_iri,
    mandates_graph_iri,
    resolution_of_graph,
    resolution_of_item,
)
from ctkg.graph.lineage import (
    lineage_graphs,
    mandate_graphs,
    read_cited_clauses,
    read_clause_texts,
    read_earlier_mandates,
    read_input,
    read_mandate_facts,
)
from ctkg.lineage import link_counts, units_from_documents
from ctkg.lineage.mandates import bodies, mandate_events, mandate_facts
from ctkg.lineage.match import Prepared, find_links, similar_clauses
from ctkg.lineage.model import ResKey
from ctkg.model import Document
from ctkg.store.local import OxigraphStore

_DERIVED = re.compile(rf"^(?:{re.escape(str(LINEAGE_GRAPH))}|{re.escape(str(MANDATES_GRAPH))})(?:/\d+-\d{{4}})?$")
"""A lineage or mandates graph: one per resolution, or the single graph of before."""


@dataclass(frozen=True)
class LineageSummary:
    """What the lineage step found, and how long it took.  ``mode``: ``"added"`` (only the new
    resolutions' links and events were computed and written) or ``"recomputed"`` (all of them)."""

    links: int
    by_type: dict[str, int] = field(default_factory=dict)
    mandate_events: int = 0
    triples: int = 0
    seconds: float = 0.0
    mode: str = "recomputed"


def _graphs(links: dict[ResKey, Triples], events: dict[ResKey, Triples],
            keys: Sequence[ResKey]) -> list[tuple[str, str]]:
    """(graph, N-Quads) of the lineage and mandates graphs of ``keys`` (empty: the graph goes)."""
    out = []
    for key in keys:
        for iri, triples in ((lineage_graph_iri(*key), links.get(key)), (mandates_graph_iri(*key), events.get(key))):
            out.append((str(iri), to_nquads(triples, iri) if triples else ""))
    return out


def _write(store: OxigraphStore, graphs: list[tuple[str, str]], ready: Callable[[], None] | None) -> None:
    if ready is not None:
        ready()
    store.replace_graphs(graphs)


def refresh_lineage(store: OxigraphStore, docs: Sequence[Document],
                    ready: Callable[[], None] | None = None) -> LineageSummary:
    """Bring the lineage and mandate graphs of ``store`` up to date after ``docs`` were written to
    it: :func:`add_lineage` when the documents come after everything else in the store, else
    :func:`recompute_lineage`.  ``ready`` is called before the first write: the pipeline waits
    there for its graph writer, so that the links are found while the documents' graphs are still
    being written (the graphs read back are never ones the build writes)."""
    started = time.perf_counter()
    built = {(d.resolution.number, d.resolution.year) for d in docs}
    names = store.graphs()
    others: dict[ResKey, str] = {}
    for g in names:
        if (key := resolution_of_graph(g)) and key not in built:
            others[key] = g
    summary = None
    if (store.location != "memory:" and docs and others and min(built)[0] > max(others)[0]
            and str(LINEAGE_GRAPH) not in names and str(MANDATES_GRAPH) not in names
            and any(_DERIVED.match(g) for g in names)):
        summary = add_lineage(store, docs, others, ready)
    if summary is None:
        summary = recompute_lineage(store, docs, others, [g for g in names if _DERIVED.match(g)], ready)
    return LineageSummary(summary.links, summary.by_type, summary.mandate_events, summary.triples,
                          round(time.perf_counter() - started, 3), summary.mode)


def add_lineage(store: OxigraphStore, docs: Sequence[Document], others: dict[ResKey, str],
                ready: Callable[[], None] | None = None) -> LineageSummary | None:
    """Compute and write the lineage and mandate graphs of ``docs`` only, which all come after the
    resolutions ``others`` (resolution -> its graph) already in ``store``; None when the new
    mandate events would change earlier ones (a body no earlier event names)."""
    data = units_from_documents(docs)
    new = {(d.resolution.number, d.resolution.year) for d in docs}
    earlier = read_earlier_mandates(store, list(others.values()))
    events = mandate_events([mandate_facts(d) for d in docs], earlier)
    if bodies(events) - earlier.bodies:
        return None
    # only the earlier clauses a new clause can be linked to: by its wording, or by a paragraph-level citation
    texts = read_clause_texts(store, others)
    near = [texts[k][0] for k in similar_clauses([Prepared(u) for u in data.units], [(key, t) for _, key, t in texts])]
    cited = read_cited_clauses(store, {(r.cited, paragraph_eid(r.cited_label)) for r in data.references
                                       if r.cited in others and r.resolution in new})
    clauses = sorted(set(near) | set(cited))
    keys = sorted({resolution_of_item(c) for c in clauses})
    data.extend(read_input(store, [others[k] for k in keys], clauses))
    links = find_links(data, later=new)
    lt, mt = lineage_graphs(links), mandate_graphs(events)
    _write(store, _graphs(lt, mt, sorted(new)), ready)
    return LineageSummary(len(links), link_counts(links), len(events),
                          sum(map(len, lt.values())) + sum(map(len, mt.values())), mode="added")


def recompute_lineage(store: OxigraphStore, docs: Sequence[Document], others: dict[ResKey, str],
                      old: Sequence[str] = (), ready: Callable[[], None] | None = None) -> LineageSummary:
    """Compute the lineage and mandate history of ``docs`` and the resolutions ``others``
    (resolution -> its graph) already in ``store``, write every graph, and remove the graphs of
    ``old`` (lineage or mandates graphs already there) that no longer have content."""
    data = units_from_documents(docs)
    data.extend(read_input(store, list(others.values())))
    links = find_links(data)
    facts = [mandate_facts(d) for d in docs] + read_mandate_facts(store, list(others.values()))
    events = mandate_events(facts)
    lt, mt = lineage_graphs(links), mandate_graphs(events)
    written = _graphs(lt, mt, sorted(set(lt) | set(mt)))
    written = [(g, nq) for g, nq in written if nq]
    fresh = {g for g, _ in written}
    written += [(g, "") for g in old if g not in fresh]
    _write(store, written, ready)
    return LineageSummary(len(links), link_counts(links), len(events),
                          sum(map(len, lt.values())) + sum(map(len, mt.values())))


__all__ = ["LineageSummary", "add_lineage", "recompute_lineage", "refresh_lineage"]
