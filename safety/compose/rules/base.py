"""What every hazard rule shares: the finding, the registry, and how reasons name things.

A rule is a function from an :class:`~safety.compose.reading.Analysis` to findings,
registered with :func:`rule` (its id is cited as ``cs:<id>`` in verdicts). The rule modules
of this package register theirs on import, in the order :data:`RULES` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from housemind.safety._text import absent_after
from housemind.safety.compose.reading import Analysis, Mention

__all__ = [
    "RULES",
    "Finding",
    "RuleFn",
    "children_in",
    "danger_of",
    "finding",
    "ing_form",
    "be",
    "named",
    "out_of_reach",
    "present_children",
    "rule",
]


@dataclass(frozen=True)
class Finding:
    """One hazard found: the rule, its verdict, and the reason in words."""

    rule: str
    category: str
    verdict: str
    reason: str


def named(m: Mention) -> str:
    """How a reason names a thing: ``the <its words>``."""
    return f"the {m.text}"


_PLURALS = frozenset({"children", "people", "mice", "geese", "teeth", "feet", "men", "women"})


def be(m: Mention) -> str:
    """``is`` or ``are``, as the words that named ``m`` need ("the ashes ARE hot")."""
    last = m.text.split()[-1] if m.text else ""
    if last in _PLURALS or (
        last.endswith("s") and len(last) > 3 and not last.endswith(("ss", "us", "is", "gas"))
    ):
        return "are"
    return "is"


def ing_form(verb: str | None, default: str = "putting") -> str:
    """``pour juice`` -> ``pouring``: the verb of a step as an -ing word."""
    if not verb:
        return default
    v = verb.split()[0]
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith("ee"):
        return v[:-1] + "ing"
    if len(v) <= 4 and v[-1] not in "aeiouwy" and v[-2] in "aeiou" and v[-3] not in "aeiou":
        return v + v[-1] + "ing"
    return v + "ing"


RuleFn = Callable[[Analysis], Iterable[Finding]]
RULES: list[tuple[str, str, RuleFn]] = []


def rule(rule_id: str, category: str) -> Callable[[RuleFn], RuleFn]:
    """Register a hazard rule (the id is cited as ``cs:<id>``)."""

    def deco(fn: RuleFn) -> RuleFn:
        RULES.append((rule_id, category, fn))
        return fn

    return deco


def finding(rid: str, cat: str, verdict: str, reason: str) -> Finding:
    """A finding of rule ``rid`` (cited as ``cs:<rid>``)."""
    return Finding(f"cs:{rid}", cat, verdict, reason)


def _is_child(m: Mention) -> bool:
    return m.has("child", "baby") and m.kind is not None and m.kind.is_a("child")


def children_in(a: Analysis) -> list[Mention]:
    """The children and babies an instruction names."""
    return [m for m in a.mentions() if _is_child(m)]


def present_children(a: Analysis) -> list[Mention]:
    """The children named, less those said to be away or asleep ("the kids are at school").

    For hazards of giving a child something or leaving it in their reach; a child asleep
    or away is still a child left alone (:func:`children_in`).
    """
    return [
        m
        for s in a.steps
        for m in s.mentions
        if _is_child(m)
        and not (
            m.role == "subj"
            and not m.pronoun
            and absent_after(s.words[m.start + len(m.text.split()) :])
        )
    ]


def danger_of(m: Mention) -> str:
    """Why a thing is dangerous to a child, in a few words."""
    for p, w in (
        ("water_place", "a child can drown in water in moments"),
        ("chemical", "poisonous"),
        ("sharp", "sharp"),
        ("lit", "a flame"),
        ("fire", "a flame"),
        ("hot", "hot"),
        ("heat_source", "hot"),
        ("medicine", "medicine"),
        ("fuel", "flammable"),
        ("strangling", "a strangling risk"),
        ("mains", "live mains electricity"),
    ):
        if m.has(p):
            return w
    if m.kind is not None and m.kind.is_a("vehicle"):
        return "a car heats up or cools down fast"
    if m.kind is not None and m.kind.name == "water":
        return "a child can drown in water in moments"
    return "dangerous"


def out_of_reach(a: Analysis) -> bool:
    """Whether it says "out of <whoever>'s reach": "out of", then "reach" a few words on."""
    lem = a.lemmas
    for i in range(len(lem) - 1):
        if lem[i] == "out" and lem[i + 1] == "of" and "reach" in lem[i + 2 : i + 7]:
            return True
    return False
