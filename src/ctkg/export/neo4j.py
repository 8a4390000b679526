"""Neo4j ``neo4j-admin database import`` CSV: one node file and one relationship file with typed headers.

``nodes.csv`` has ``id:ID``, ``:LABEL`` (e.g. ``Actor;Committee``) and one column per
node attribute, typed where not a string (``year:int``, ``text_available:boolean``);
``relationships.csv`` has ``:START_ID``, ``:END_ID``, ``:TYPE`` (``DIRECTS``,
``REPORTS_TO`` …), ``key`` and one column per edge attribute.  A missing value is an
empty cell, which the importer reads as "no property".

>>> typed_header("year", [2001, 2016]), typed_header("binding", [True]), typed_header("label", ["x"])
('year:int', 'binding:boolean', 'label')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"


def typed_header(name: str, values: Iterable[object]) -> str:
    """The header of one property column: ``name:boolean``, ``name:int`` or ``name`` (string)."""
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, bool) for v in present):
        return f"{name}:boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return f"{name}:int"
    return name


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(text: str) -> str:
    """A Neo4j label: words joined in CamelCase ("UN Organ" -> "UNOrgan", "actor" -> "Actor")."""
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", text) if w)


def _type(kind: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", kind).strip("_").upper() or "RELATED_TO"


def write_neo4j(g: nx.MultiDiGraph, dest: Path) -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` into the folder ``dest``; return their paths."""
    dest.mkdir(parents=True, exist_ok=True)
    node_keys = sorted({k for _, d in g.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in g.edges(data=True) for k in d} - {"kind"})
    nodes_path, rels_path = dest / NODES_FILE, dest / RELATIONSHIPS_FILE
    with nodes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["id:ID", ":LABEL"] + [typed_header(k, (d.get(k) for _, d in g.nodes(data=True)))
                                          for k in node_keys])
        for n, d in g.nodes(data=True):
            labels = [_label(str(d.get("kind", "node")))]
            if d.get("actor_type"):
                labels.append(_label(str(d["actor_type"])))
            labels = sorted(set(labels), key=labels.index)
            w.writerow([n, ";".join(labels)] + [_cell(d.get(k)) for k in node_keys])
    with rels_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow([":START_ID", ":END_ID", ":TYPE", "key"]
                   + [typed_header(k, (d.get(k) for _, _, d in g.edges(data=True))) for k in edge_keys])
        for u, v, k, d in g.edges(keys=True, data=True):
            w.writerow([u, v, _type(str(d.get("kind", ""))), k] + [_cell(d.get(a)) for a in edge_keys])
    return [nodes_path, rels_path]


def import_command(folder: Path) -> str:
    """The ``neo4j-admin`` command line that loads the files into a new database ``ctkg``."""
    return (f"neo4j-admin database import full --nodes={folder / NODES_FILE} "
            f"--relationships={folder / RELATIONSHIPS_FILE} --multiline-fields=true ctkg")


__all__ = ["NODES_FILE", "RELATIONSHIPS_FILE", "import_command", "typed_header", "write_neo4j"]
