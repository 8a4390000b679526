"""SHACL shapes compiled to SPARQL SELECT queries: the fast validation path.

pySHACL walks the data graph triple by triple from Python; the same constraints written as
SPARQL run inside Oxigraph's engine, one query per constraint over the whole store, which is
what makes whole-corpus validation take seconds (see bench/validate_bench.py).  pySHACL stays
the reference semantics: tests run both on every case of tests/shacl and on real stores and
require the same results.

Each query selects ``?this`` (the focus node), ``?value`` (the value node, when the component
has one) and, for SHACL-SPARQL constraints, whatever else the constraint's own SELECT projects
(used to fill its message template).

Supported, which is what a mature shapes file of ours uses and a little more:

- targets: ``sh:targetClass`` (instances of subclasses too, through ``rdfs:subClassOf*`` in
  the data), ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``, implicit
  class targets (a shape that is an ``rdfs:Class``);
- paths: predicate, ``sh:inversePath``, sequence lists, ``sh:alternativePath``,
  ``sh:zeroOrMorePath``, ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- components: class, datatype, nodeKind, minCount, maxCount, minInclusive, maxInclusive,
  minExclusive, maxExclusive, minLength, maxLength, pattern (with flags), languageIn,
  uniqueLang, in, hasValue, equals, disjoint, lessThan, lessThanOrEquals, node, not, and,
  or, xone, and SPARQL-based constraints (``sh:sparql`` with ``sh:select`` and
  ``sh:prefixes``);
- ``sh:deactivated``, ``sh:severity``, ``sh:message``.

Anything else raises :class:`ShapeCompileError` naming the shape: skipping a constraint
silently would report as conforming data that was never checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ctkg.errors import ValidationError

# Datatypes Oxigraph can cast to: a literal of one of these is well formed when the cast of
# its lexical form succeeds (pySHACL's sh:datatype also rejects ill-typed literals).
_CASTABLE = frozenset(
    XSD[t]
    for t in (
        "string", "boolean", "integer", "decimal", "float", "double", "dateTime", "date", "time",
        "duration", "yearMonthDuration", "dayTimeDuration",
    )
)
_NODE_KIND = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}
_RANGE = {
    SH.minInclusive: (">=", "MinInclusiveConstraintComponent"),
    SH.minExclusive: (">", "MinExclusiveConstraintComponent"),
    SH.maxInclusive: ("<=", "MaxInclusiveConstraintComponent"),
    SH.maxExclusive: ("<", "MaxExclusiveConstraintComponent"),
}
_PAIR = {
    SH.equals: "EqualsConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
}
_LOGICAL = {SH["and"]: "AndConstraintComponent", SH["or"]: "OrConstraintComponent",
            SH["not"]: "NotConstraintComponent", SH.xone: "XoneConstraintComponent",
            SH.node: "NodeConstraintComponent"}
# Parameters that are not constraints of their own (or are read together with one).
_NOT_CONSTRAINTS = frozenset({
    RDF.type, RDFS.label, RDFS.comment, SH.path, SH.property, SH.severity, SH.message, SH.name,
    SH.description, SH.order, SH.group, SH.deactivated, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.flags, SH.sparql, SH.defaultValue,
})


class ShapeCompileError(ValidationError):
    """A shape uses a SHACL feature the SPARQL compiler does not support."""


@dataclass(frozen=True)
class CompiledConstraint:
    """One constraint of one shape, as a SPARQL SELECT that returns its validation results."""

    shape: Node
    component: str  # local name in the sh: namespace, e.g. "MinCountConstraintComponent"
    severity: URIRef
    message: str | None
    path: Node | None  # the sh:path node in the shapes graph (None for node-level constraints)
    query: str
    value_is_focus: bool = False  # node-level value constraints report the focus node as value


@dataclass
class _Ctx:
    shapes: Graph
    fresh: Iterator[int] = field(default_factory=count)

    def var(self, stem: str) -> str:
        return f"?_{stem}{next(self.fresh)}"


def term(node: Node) -> str:
    """A term written as SPARQL."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ShapeCompileError(f"a blank node cannot be written as a SPARQL constant: {node!r}")


def sparql_path(g: Graph, path: Node) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return term(path)
    if (path, RDF.first, None) in g:
        return "(" + "/".join(sparql_path(g, p) for p in Collection(g, path)) + ")"
    for pred, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                      (SH.zeroOrOnePath, "{}?")):
        inner = g.value(path, pred)
        if inner is not None:
            return "(" + fmt.format(sparql_path(g, inner)) + ")"
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(sparql_path(g, p) for p in Collection(g, alt)) + ")"
    raise ShapeCompileError(f"unsupported SHACL path {path!r}")


def _message(g: Graph, shape: Node) -> str | None:
    msgs = list(g.objects(shape, SH.message))
    if not msgs:
        return None
    english = [m for m in msgs if isinstance(m, Literal) and m.language in (None, "en")]
    return str((english or msgs)[0])


def _severity(g: Graph, shape: Node) -> URIRef:
    sev = g.value(shape, SH.severity)
    return sev if isinstance(sev, URIRef) else SH.Violation


def _int(value: Node, shape: Node) -> int:
    if isinstance(value, Literal) and isinstance(value.toPython(), int):
        return int(value.toPython())
    raise ShapeCompileError(f"shape {shape!r}: {value!r} is not an integer")


# --- value conditions: a SPARQL boolean expression that is true when {v} violates --------------

def _datatype_violation(dt: Node, v: str) -> str:
    if dt == RDF.langString:
        return f'!(isLiteral({v}) && LANG({v}) != "")'
    ok = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {term(dt)})"
    if dt in _CASTABLE and dt != XSD.string:  # every lexical form is a valid string
        ok += f" && COALESCE(isLiteral({term(dt)}(STR({v}))), false)"
    return f"!({ok})"


def _value_violation(ctx: _Ctx, pred: URIRef, obj: Node, shape: Node, v: str) -> str | None:
    """The violation condition of a value-type component on value ``v``, or None if ``pred`` is not one."""
    g = ctx.shapes
    if pred == SH["class"]:
        return f"NOT EXISTS {{ {v} {term(RDF.type)}/{term(RDFS.subClassOf)}* {term(obj)} }}"
    if pred == SH.datatype:
        return _datatype_violation(obj, v)
    if pred == SH.nodeKind:
        if not isinstance(obj, URIRef) or obj not in _NODE_KIND:
            raise ShapeCompileError(f"shape {shape!r}: unknown sh:nodeKind {obj!r}")
        return _NODE_KIND[obj].format(v=v)
    if pred in _RANGE:
        op = _RANGE[pred][0]
        return f"!COALESCE({v} {op} {term(obj)}, false)"
    if pred in (SH.minLength, SH.maxLength):
        op = "<" if pred == SH.minLength else ">"
        return f"(isBlank({v}) || STRLEN(STR({v})) {op} {_int(obj, shape)})"
    if pred == SH.pattern:
        flags = g.value(shape, SH.flags)
        args = f"STR({v}), {Literal(str(obj)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
        return f"(isBlank({v}) || !REGEX({args}))"
    if pred == SH.languageIn:
        tags = [str(t) for t in Collection(g, obj)]
        match = " || ".join(f'LANGMATCHES(LANG({v}), {Literal(t).n3()})' for t in tags) or "false"
        return f'!(isLiteral({v}) && LANG({v}) != "" && ({match}))'
    if pred == SH["in"]:
        members = [m for m in Collection(g, obj)]
        same = " || ".join(f"sameTerm({v}, {term(m)})" for m in members) or "false"
        return f"!({same})"
    if pred == SH.hasValue:  # node level only: on a path, "some value is it" is written by the callers
        return f"!sameTerm({v}, {term(obj)})"
    if pred == SH.node:
        return f"!({_conforms(ctx, obj, v)})"
    if pred == SH["not"]:
        return _conforms(ctx, obj, v)
    if pred in (SH["and"], SH["or"], SH.xone):
        parts = [_conforms(ctx, s, v) for s in Collection(g, obj)]
        if pred == SH["and"]:
            return "!(" + " && ".join(f"({p})" for p in parts) + ")" if parts else "false"
        if pred == SH["or"]:
            return "!(" + " || ".join(f"({p})" for p in parts) + ")" if parts else "true"
        return "(" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + " != 1)" if parts else "true"
    return None


def _conforms(ctx: _Ctx, shape: Node, v: str) -> str:
    """A boolean expression: node ``v`` conforms to ``shape`` (used inside logical components)."""
    g = ctx.shapes
    if (shape, SH.deactivated, Literal(True)) in g:
        return "true"
    if (shape, SH.sparql, None) in g:
        raise ShapeCompileError(f"shape {shape!r}: SPARQL constraints inside logical components are not supported")
    path = g.value(shape, SH.path)
    violated: list[str] = []
    for pred, obj in sorted(g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
        if not isinstance(pred, URIRef) or pred in _NOT_CONSTRAINTS:
            continue
        if path is None:
            cond = _value_violation(ctx, pred, obj, shape, v)
            if cond is None:
                raise ShapeCompileError(f"shape {shape!r}: unsupported node-level parameter {pred}")
            violated.append(cond)
            continue
        p = sparql_path(g, path)
        x = ctx.var("x")
        if pred == SH.minCount:
            if _int(obj, shape) > 1:
                raise ShapeCompileError(f"shape {shape!r}: sh:minCount > 1 inside a logical component")
            if _int(obj, shape) == 1:
                violated.append(f"NOT EXISTS {{ {v} {p} {x} }}")
            continue
        if pred == SH.maxCount:
            n = _int(obj, shape)
            if n == 0:
                violated.append(f"EXISTS {{ {v} {p} {x} }}")
            elif n == 1:
                y = ctx.var("y")
                violated.append(f"EXISTS {{ {v} {p} {x} . {v} {p} {y} FILTER(!sameTerm({x}, {y})) }}")
            else:
                raise ShapeCompileError(f"shape {shape!r}: sh:maxCount > 1 inside a logical component")
            continue
        if pred == SH.hasValue:
            violated.append(f"NOT EXISTS {{ {v} {p} {term(obj)} }}")
            continue
        if pred in _PAIR or pred == SH.uniqueLang:
            raise ShapeCompileError(f"shape {shape!r}: {pred} inside a logical component is not supported")
        cond = _value_violation(ctx, pred, obj, shape, x)
        if cond is None:
            raise ShapeCompileError(f"shape {shape!r}: unsupported parameter {pred}")
        violated.append(f"EXISTS {{ {v} {p} {x} FILTER({cond}) }}")
    for prop in g.objects(shape, SH.property):
        violated.append(f"!({_conforms(ctx, prop, v)})")
    return "!(" + " || ".join(f"({c})" for c in violated) + ")" if violated else "true"


# --- targets ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Focus:
    """A shape's focus nodes, written two ways.

    ``select`` enumerates them (a DISTINCT sub-select of ``?this``): needed where a violation is
    the absence of something (sh:minCount, sh:hasValue, node-level constraints).  ``check`` is a
    filter on an already bound ``?this``: the other constraints first find candidate violations
    with a selective pattern (usually none) and only then ask whether the node is a focus node,
    so a store of a million triples is not enumerated once per constraint.
    """

    select: str
    check: str

    def candidates(self, projection: str, where: str) -> str:
        """Rows of ``where`` (which binds ?this) that concern focus nodes."""
        return f"SELECT {projection} WHERE {{ {{ SELECT DISTINCT {projection} WHERE {{ {where} }} }} {self.check} }}"


def _focus(g: Graph, shape: Node) -> _Focus | None:
    """The focus nodes of a shape, or None if it has no target."""
    alts: list[str] = []
    classes = list(g.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
        classes.append(shape)
    for c in sorted(set(classes), key=str):
        alts.append(f"{{ ?_c {term(RDFS.subClassOf)}* {term(c)} . ?this {term(RDF.type)} ?_c }}")
    for p in sorted(g.objects(shape, SH.targetSubjectsOf), key=str):
        alts.append(f"{{ ?this {term(p)} ?_o }}")
    for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str):
        alts.append(f"{{ ?_s {term(p)} ?this }}")
    nodes = sorted(g.objects(shape, SH.targetNode), key=str)
    if nodes:
        alts.append("{ VALUES ?this { " + " ".join(term(n) for n in nodes) + " } }")
    if not alts:
        return None
    union = " UNION ".join(alts)
    return _Focus(select=f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", check=f"FILTER EXISTS {{ {union} }}")


# --- top-level constraints ------------------------------------------------------------------------

def _sparql_constraint(g: Graph, shape: Node, constraint: Node, focus: _Focus) -> CompiledConstraint | None:
    if (constraint, SH.deactivated, Literal(True)) in g:
        return None
    select = g.value(constraint, SH.select)
    if select is None:
        raise ShapeCompileError(f"shape {shape!r}: a SPARQL constraint without sh:select")
    text = str(select)
    for banned in ("$PATH", "$currentShape", "$shapesGraph"):
        if banned in text:
            raise ShapeCompileError(f"shape {shape!r}: {banned} in a SPARQL constraint is not supported")
    head = re.match(r"\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?(.*?)\bWHERE\b", text, re.S | re.I)
    if head is None or not re.search(r"(\$this\b|\*)", head.group(2)):
        raise ShapeCompileError(f"shape {shape!r}: a SPARQL constraint must project $this")
    prefixes = []
    for decl_holder in g.objects(constraint, SH.prefixes):
        for decl in g.objects(decl_holder, SH.declare):
            prefixes.append(f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>")
    inner = text.replace("$this", "?this")
    query = "\n".join(sorted(set(prefixes))) + f"\nSELECT * WHERE {{ {focus.select} {{ {inner} }} }}"
    message = _message(g, constraint) or _message(g, shape)
    return CompiledConstraint(shape, "SPARQLConstraintComponent", _severity(g, shape), message, None, query)


def _path_constraints(ctx: _Ctx, shape: Node, focus: _Focus) -> Iterator[CompiledConstraint]:
    g = ctx.shapes
    path = g.value(shape, SH.path)
    sev, msg = _severity(g, shape), _message(g, shape)
    node_level = path is None
    p = "" if path is None else sparql_path(g, path)

    def make(component: str, query: str, value_is_focus: bool = False) -> CompiledConstraint:
        return CompiledConstraint(shape, component, sev, msg, path, query, value_is_focus)

    for pred, obj in sorted(g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
        if not isinstance(pred, URIRef) or pred in _NOT_CONSTRAINTS or pred == SH.flags:
            continue
        if pred in (SH.minCount, SH.maxCount):
            if node_level:
                raise ShapeCompileError(f"shape {shape!r}: {pred} on a node shape")
            n = _int(obj, shape)
            if pred == SH.minCount:
                if n == 0:
                    continue
                if n == 1:  # an anti-join: much faster in Oxigraph than a correlated NOT EXISTS
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus.select} MINUS {{ ?this {p} ?_v }} }}"
                else:
                    q = (f"SELECT ?this WHERE {{ {focus.select} OPTIONAL {{ ?this {p} ?v }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
                yield make("MinCountConstraintComponent", q)
            else:
                q = (f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this "
                     f"HAVING (COUNT(DISTINCT ?v) > {n}) }} {focus.check} }}")
                yield make("MaxCountConstraintComponent", q)
            continue
        if pred == SH.hasValue:
            cond = (f"FILTER(!sameTerm(?this, {term(obj)}))" if node_level else f"MINUS {{ ?this {p} {term(obj)} }}")
            yield make("HasValueConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {focus.select} {cond} }}")
            continue
        if pred in _PAIR:
            if node_level:
                raise ShapeCompileError(f"shape {shape!r}: {pred} on a node shape is not supported")
            other = term(obj)
            if pred == SH.disjoint:
                where = f"?this {p} ?value . ?this {other} ?value ."
            elif pred == SH.equals:
                where = (f"{{ ?this {p} ?value . MINUS {{ ?this {other} ?value }} }} UNION "
                         f"{{ ?this {other} ?value . MINUS {{ ?this {p} ?value }} }}")
            else:
                op = "<" if pred == SH.lessThan else "<="
                where = f"?this {p} ?value . ?this {other} ?_other . FILTER(!COALESCE(?value {op} ?_other, false))"
            yield make(_PAIR[pred], focus.candidates("?this ?value", where))
            continue
        if pred == SH.uniqueLang:
            if node_level:
                raise ShapeCompileError(f"shape {shape!r}: sh:uniqueLang on a node shape")
            if obj != Literal(True):
                continue
            where = (f"?this {p} ?_a . ?this {p} ?_b . "
                     'FILTER(!sameTerm(?_a, ?_b) && LANG(?_a) != "" && LANG(?_a) = LANG(?_b))')
            yield make("UniqueLangConstraintComponent", focus.candidates("?this", where))
            continue
        component = _component(pred)
        if pred == SH["in"] and not node_level:
            # values outside the list, as an anti-join (MINUS compares terms, as sh:in does)
            members = " ".join(term(m) for m in Collection(g, obj))
            yield make(component, focus.candidates("?this ?value",
                                                   f"?this {p} ?value . MINUS {{ VALUES ?value {{ {members} }} }}"))
            continue
        if pred == SH["class"] and not node_level:
            # values not among the class's instances, as an anti-join (see above)
            instances = f"?_k {term(RDFS.subClassOf)}* {term(obj)} . ?value {term(RDF.type)} ?_k"
            yield make(component, focus.candidates("?this ?value", f"?this {p} ?value . MINUS {{ {instances} }}"))
            continue
        value_cond = _value_violation(ctx, pred, obj, shape, "?value")
        if value_cond is None:
            raise ShapeCompileError(f"shape {shape!r}: unsupported SHACL parameter {pred}")
        cond = value_cond
        if node_level:
            q = f"SELECT DISTINCT ?this WHERE {{ {focus.select} BIND(?this AS ?value) FILTER({cond}) }}"
            yield make(component, q, value_is_focus=True)
        else:
            yield make(component, focus.candidates("?this ?value", f"?this {p} ?value . FILTER({cond})"))


def _component(pred: URIRef) -> str:
    if pred in _RANGE:
        return _RANGE[pred][1]
    if pred in _LOGICAL:
        return _LOGICAL[pred]
    local = str(pred).rsplit("#", 1)[-1]
    special = {"in": "In", "class": "Class", "nodeKind": "NodeKind", "languageIn": "LanguageIn"}
    name = special.get(local, local[:1].upper() + local[1:])
    return f"{name}ConstraintComponent"


def compile_shapes(shapes: Graph) -> list[CompiledConstraint]:
    """Every active constraint of every targeted shape, as SPARQL; deterministic order."""
    targeted: set[Node] = set()
    for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        targeted.update(shapes.subjects(pred, None))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if (shape, RDF.type, RDFS.Class) in shapes:
            targeted.add(shape)
    out: list[CompiledConstraint] = []
    for shape in sorted(targeted, key=lambda s: (isinstance(s, BNode), str(s))):
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        focus = _focus(shapes, shape)
        if focus is None:
            continue
        ctx = _Ctx(shapes)
        out.extend(_path_constraints(ctx, shape, focus))
        for constraint in shapes.objects(shape, SH.sparql):
            compiled = _sparql_constraint(shapes, shape, constraint, focus)
            if compiled is not None:
                out.append(compiled)
        props = sorted(shapes.objects(shape, SH.property),
                       key=lambda ps: (str(shapes.value(ps, SH.path)), sorted(map(str, shapes.predicate_objects(ps)))))
        for prop in props:
            if (prop, SH.deactivated, Literal(True)) in shapes:
                continue
            if (prop, SH.property, None) in shapes or (prop, SH.sparql, None) in shapes:
                raise ShapeCompileError(
                    f"property shape {prop!r}: nested sh:property or sh:sparql on a property shape is not supported")
            out.extend(_path_constraints(ctx, prop, focus))
    return out


__all__ = ["CompiledConstraint", "ShapeCompileError", "compile_shapes", "sparql_path", "term"]
