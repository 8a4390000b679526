"""The type of a lineage link, from the deontic force of the two clauses (the strength of their
modality on the ontology's SKOS scale, and whether they bind) and their addressee sets.

For a later clause that directs (a directive), compared with the earlier clause:

* stronger force (binding where the earlier did not bind, or a higher strength): ``strengthens``;
* weaker force: ``weakens``;
* the same force, but an addressee the earlier clause did not have, or the whole earlier content
  taken up with more added (wider scope): ``extends``;
* otherwise ``reiterates``.

A later clause that directs no one (declaratory) restates or refers to the earlier one: with a
restating verb ("Reiterates the obligation of Member States to refrain from ...", "Reaffirms")
it ``reiterates``; with any other verb ("Recalls that all States shall afford ...", "Stresses")
it ``recalls``; and where the earlier clause is declaratory too and the verb does not recall,
it ``reiterates``.

>>> from ctkg.lineage.model import Unit
>>> from ctkg.model import Span
>>> def u(modality, binding=False, addressees=("STATES",), verb=None):
...     return Unit((1, 2000), "c", "p", "1", 1, verb or modality, modality, binding,
...                 modality != "declaratory", False, addressees, "x", Span(0, 1), "x", "")
>>> link_type(u("decides", True), u("calls-upon"))
'strengthens'
>>> link_type(u("calls-upon"), u("decides", True))
'weakens'
>>> link_type(u("calls-upon", addressees=("STATES", "UNODC")), u("calls-upon"))
'extends'
>>> link_type(u("declaratory", verb="recalls"), u("decides", True))
'recalls'
>>> link_type(u("declaratory", verb="reiterates"), u("decides", True))
'reiterates'
"""

from __future__ import annotations

from ctkg.graph.scales import modality_strengths
from ctkg.lineage.model import LinkType, Unit

RESTATING = frozenset({"reiterates", "reaffirms", "renews", "repeats", "reissues", "confirms", "affirms"})
"""Declaratory verbs that restate an earlier text as it stands."""
RECALLING = frozenset({"recalls", "reminds", "notes", "takes note", "recognizes", "recognises"})
"""Declaratory verbs that refer back to an earlier text."""
GROUPS = {"MEMBER_STATES": "STATES"}
"""Addressees that count as the same group for "new addressee": Member States are States."""
NO_ADDRESSEE = frozenset({"UNSPECIFIED"})


def force(unit: Unit) -> tuple[int, int]:
    """(binds, strength): the order in which one clause is stronger than another."""
    return (1 if unit.binding else 0, modality_strengths().get(unit.modality, 0))


def _group(codes: tuple[str, ...]) -> set[str]:
    return {GROUPS.get(c, c) for c in codes} - NO_ADDRESSEE


def new_addressees(later: Unit, earlier: Unit) -> set[str]:
    """Addressees of the later clause that the earlier one did not have (ignoring an unresolved one)."""
    before = _group(earlier.addressees)
    if not before:
        return set()
    return _group(later.addressees) - before


def link_type(later: Unit, earlier: Unit, *, wider_scope: bool = False) -> LinkType:
    """The type of the link from ``later`` back to ``earlier`` (see the module docstring).
    ``wider_scope``: the later clause takes up the whole earlier content and adds to it."""
    if not later.directive:
        verb = later.verb.lower()
        if verb in RESTATING:
            return "reiterates"
        if verb in RECALLING or earlier.directive:
            return "recalls"
        return "reiterates"
    lf, ef = force(later), force(earlier)
    if lf > ef:
        return "strengthens"
    if lf < ef:
        return "weakens"
    if new_addressees(later, earlier) or wider_scope:
        return "extends"
    return "reiterates"


__all__ = ["GROUPS", "RECALLING", "RESTATING", "force", "link_type", "new_addressees"]
