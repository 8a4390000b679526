"""``ctkg check``: the ontology quality checks (``queries/qc/*-violation.rq``).

Each check is a SELECT query; any row it returns is a failure.  The checks run
on an in-memory copy of the store (the user's store is not touched) to which
the references the code makes to ontology terms are added as a graph of its
own: ``CTKG.<name>`` in the Python source, prefixed names in the
queries and shapes, and the modality, relation, role and topic codes the
extractor emits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ctkg.extract.clauses import _VERBS
from ctkg.extract.references import _CUE_NAMES
from ctkg.extract.topics import TOPICS
from ctkg.graph.namespaces import CTKG, MODALITY, RELATION, ROLE, TOPIC
from ctkg.query.run import Results, run_sparql
from ctkg.reason import DEFINED_CLASSES
from ctkg.resources import queries_dir, shapes_file
from ctkg.store.local import OxigraphStore, open_store

CODE_GRAPH = "urn:ctkg:qc:code"
_PREFIXED = re.compile(r"(?<![\w:/])(ctkg|modality|relation|role|topic):([A-Za-z][\w-]*)")
_NS = {"ctkg": str(CTKG), "modality": str(MODALITY), "relation": str(RELATION), "role": str(ROLE),
       "topic": str(TOPIC)}


@dataclass
class CheckReport:
    """The rows each quality check returned."""

    failures: dict[str, Results] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(r.rows for r in self.failures.values())


def code_terms() -> set[str]:
    """IRIs of ontology terms that the code, the queries and the shapes refer to."""
    pkg = Path(__file__).parent
    terms: set[str] = set()
    for py in pkg.rglob("*.py"):
        terms |= {str(CTKG[m]) for m in re.findall(r"\bCTKG\.([A-Za-z_]\w*)", py.read_text("utf-8"))}
    texts = [p.read_text("utf-8") for p in queries_dir().rglob("*.rq")] + [shapes_file().read_text("utf-8")]
    for text in texts:
        terms |= {_NS[p] + local for p, local in _PREFIXED.findall(text)}
    terms |= {str(MODALITY[m]) for _, _, m in _VERBS}
    terms |= {str(RELATION[r]) for r in (*_CUE_NAMES, "cites", "refers-to")}
    terms |= {str(ROLE[r]) for r in ("assistance", "consultation", "cooperation", "support")}
    terms |= {str(TOPIC[t]) for t, _ in TOPICS}
    terms |= {str(CTKG[c]) for c in DEFINED_CLASSES}  # classified into by HermiT (`ctkg reason --hermit`)
    return terms


def run_checks(store: OxigraphStore) -> CheckReport:
    """Run every ``queries/qc/*-violation.rq`` on a copy of ``store`` plus the code's references."""
    copy = open_store("memory:")
    data = store.raw.dump(format=ox.RdfFormat.N_QUADS) or b""
    copy.raw.load(data, format=ox.RdfFormat.N_QUADS)
    code = ox.NamedNode("urn:ctkg:qc:code-references")
    refers = ox.NamedNode("urn:ctkg:qc:refers-to")
    graph = ox.NamedNode(CODE_GRAPH)
    copy.raw.extend(ox.Quad(code, refers, ox.NamedNode(t), graph) for t in sorted(code_terms()))
    report = CheckReport()
    for path in sorted((queries_dir() / "qc").glob("*-violation.rq")):
        name = path.name.removesuffix("-violation.rq")
        report.checks.append(name)
        report.failures[name] = run_sparql(copy, path.read_text("utf-8"))
    return report


__all__ = ["CODE_GRAPH", "CheckReport", "code_terms", "run_checks"]
