"""The actor registry: canonical actors, their aliases, and matching in text.

Canonical actors come from ``data/actors.json`` (UN organs and entities,
external bodies, groups of States); governments come from ISO 3166 (pycountry)
plus ``data/countries.json`` (short and historic names, adjectives such as
"Libyan" for "the Libyan Government").  Committees that a resolution
establishes are added per resolution (see :meth:`Registry.committee_for`).

>>> reg = registry()
>>> [m.codes for m in reg.find("Requests the Secretary-General and UNODC")]
[('SECRETARY_GENERAL',), ('UNODC',)]
>>> reg.country("United Kingdom")
'GBR'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pycountry


@dataclass(frozen=True)
class Actor:
    """A canonical actor."""

    code: str
    label: str
    kind: str  # UNOrgan, UNEntity, Committee, ExternalOrganization, Government, ActorGroup
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    established_by: int | None = None
    wikidata: str | None = None
    iso3: str | None = None


@dataclass(frozen=True)
class Mention:
    """An actor mention found in text."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]


@dataclass
class Registry:
    """All canonical actors and a matcher over their aliases."""

    actors: dict[str, Actor]
    _alias_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _ci_alias_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _countries: dict[str, str] = field(default_factory=dict)

    def add_alias(self, alias: str, code: str, *, ci: bool = False) -> None:
        table = self._ci_alias_codes if ci else self._alias_codes
        key = alias.lower() if ci else alias
        codes = table.get(key, ())
        if code not in codes:
            table[key] = codes + (code,)
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            alts = [(a, False) for a in self._alias_codes] + [(a, True) for a in self._ci_alias_codes]
            alts.sort(key=lambda x: -len(x[0]))
            parts = [
                ("(?i:" + _alias_regex(a) + ")") if ci else _alias_regex(a) for a, ci in alts
            ]
            # the characters an alias can begin with, tested before the alternation of some thousand
            # aliases: Python's re tries every alternative at every position otherwise (a third slower)
            firsts = _first_chars(a for a, ci in alts if not ci), _first_chars(a for a, ci in alts if ci)
            self._pattern = re.compile(
                rf"(?=[{firsts[0]}]|(?i:[{firsts[1]}]))(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])(?! of Europe)"
            )
        return self._pattern

    def find(self, text: str) -> list[Mention]:
        """Every actor mention in ``text``, left to right, longest alias first."""
        out = []
        for m in self.pattern.finditer(text):
            found = m.group(0)
            codes = self._alias_codes.get(found) or self._ci_alias_codes.get(found.lower())
            if codes is None:
                codes = self._ci_alias_codes.get(_squash(found.lower()), ())
            if codes:
                out.append(Mention(m.start(), m.end(), found, codes))
        return out

    def country(self, name: str) -> str | None:
        """ISO 3166 alpha-3 code for a State's name, or None."""
        return self._countries.get(_squash(name.strip().lower()))

    def committee_for(self, number: int, year: int) -> Actor:
        """The committee a resolution establishes: a known body, or a new one."""
        for actor in self.actors.values():
            if actor.established_by == number and actor.kind == "Committee":
                return actor
        code = f"COMMITTEE_{number}"
        return self.actors.get(code) or Actor(
            code=code,
            label=f"Security Council Committee established by resolution {number} ({year})",
            kind="Committee",
            parent="SECURITY_COUNCIL",
            established_by=number,
        )


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2019", "'"))


def _first_chars(aliases: Iterable[str]) -> str:
    """The body of a character class matching the first character of each alias (as _alias_regex spells it)."""
    chars = {a.split()[0][0] for a in aliases if a.split()}
    if chars & {"'", "\u2019"}:
        chars |= {"'", "\u2019"}
    return "".join(re.escape(c) for c in sorted(chars)) or "^\\s\\S"  # empty: a class that matches nothing


def _alias_regex(alias: str) -> str:
    return r"\s+".join(re.escape(w) for w in alias.split()).replace("'", "['\u2019]")


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The shared registry (loaded once)."""
    data = json.loads(resources.files("ctkg.data").joinpath("actors.json").read_text("utf-8"))
    reg = Registry(actors={})
    for a in data["actors"]:
        actor = Actor(
            code=a["code"],
            label=a["label"],
            kind=a["kind"],
            aliases=tuple(a.get("aliases", []) + a.get("aliases_ci", [])),
            parent=a.get("parent"),
            established_by=a.get("established_by"),
            wikidata=a.get("wikidata"),
        )
        reg.actors[actor.code] = actor
        for alias in a.get("aliases", []):
            reg.add_alias(alias, actor.code)
        for alias in a.get("aliases_ci", []):
            reg.add_alias(alias, actor.code, ci=True)
    _add_governments(reg)
    return reg


def _add_governments(reg: Registry) -> None:
    extra = json.loads(resources.files("ctkg.data").joinpath("countries.json").read_text("utf-8"))
    names: dict[str, list[str]] = {}
    for c in pycountry.countries:
        lst = names.setdefault(c.alpha_3, [])
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," in value:
                head, _, tail = value.partition(",")
                value = f"{tail.strip()} {head.strip()}"
                value = value[4:] if value.startswith("The ") else value
            if value:
                lst.append(value)
    for code, more in extra["names"].items():
        names.setdefault(code, []).extend(more)
    for code, lst in names.items():
        label = extra["names"].get(code, lst)[0]
        adjective = extra["adjectives"].get(code)
        aliases: list[str] = []
        for name in dict.fromkeys(lst):
            reg._countries[_squash(name.lower())] = code
            aliases += [name, f"Government of {name}", f"Government of the {name}", f"{name}'s"]
        if adjective:
            aliases += [f"{adjective} Government", f"{adjective} authorities", f"Government of {adjective}"]
        actor = Actor(code=code, label=label, kind="Government", aliases=tuple(aliases), iso3=code)
        reg.actors[code] = actor
        for alias in aliases:
            if alias.endswith("'s"):
                continue
            reg.add_alias(alias, code)


__all__ = ["Actor", "Mention", "Registry", "registry"]
