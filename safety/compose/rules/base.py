"""What every hazard rule shares: the finding, the registry, and how reasons name things.

A rule is a function from an :class:`~safety.compose.reading.Analysis` to findings,
registered with :func:`rule` (its id is cited as ``cs:<id>`` in verdicts). The rule modules
of this package register theirs on import, in the order :data:`RULES` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from housemind.safety._text import absent_after, lemma
from housemind.safety.compose.reading import Analysis, Mention, Step
from housemind.safety.compose.vocab import SAFE_PLACE_KEYS, has_phrase

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
    "out_of_reach_words",
    "present_children",
    "rule",
    "step_of",
    "stowed",
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
        if _is_child(m) and not (m.role == "subj" and not m.pronoun and absent_after(s.after(m)))
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
    return out_of_reach_words(a.lemmas)


def step_of(a: Analysis, m: Mention) -> Step | None:
    """The step that names ``m``."""
    return next((s for s in a.steps if any(x is m for x in s.mentions)), None)


#: Safe places that are out of reach (not merely "away from" someone).
_HIGH_KEYS = [k for k in SAFE_PLACE_KEYS if k != (lemma("away"), lemma("from"))]
#: Verbs that move a thing to where it is kept ("put the bleach back", "pop it up high").
_STOW_VERBS = frozenset(
    {"put", "place", "store", "pop", "return", "keep", "tidy", "move", "stack", "lock"}
    | {"hang", "tuck", "stash", "shelve", "leave", "set", "slide", "stand"}
)
#: Verbs that pick a thing up to do something with it next ("collect the marbles and ...").
_TAKE_VERBS = frozenset({"pick", "pick up", "take", "get", "grab", "collect", "gather", "lift"})
#: Where things are kept out of use.
_STORES = frozenset(
    {"cupboard", "cupboards", "cabinet", "cabinets", "drawer", "drawers", "shelf", "shelves"}
    | {"pantry", "larder", "closet", "locker", "safe", "toolbox", "caddy", "block", "garage"}
    | {"shed", "handbag", "tin", "jar", "case", "sheath", "holder", "rack"}
)
#: What a person carries things in ("my bag", "your pocket").
_CARRIED = frozenset({"bag", "handbag", "pocket", "purse", "backpack", "rucksack"})
#: What a step does with a thing that is more than putting it away.
_USING = frozenset({"ingest", "mix", "fill", "heat", "wet", "throw", "break", "harm", "cut"})


def stowed(a: Analysis, m: Mention) -> bool:
    """Whether the step that names ``m`` only puts it away (or bins it).

    "Put the peanut butter back in the cupboard", "place the marbles on the top shelf,
    away from the baby", "pop the pills up high", "bin the bones": the thing moved (the
    step's object) goes into a store, onto a high shelf, "away" or "back", or into the
    bin, and the step gives, mixes, heats or pours nothing, names no living thing it acts
    on, and no place that is low, hot, wet, or a pet's or a child's (unless it is said to
    be high or out of reach). A thing picked up goes where the next step puts "it".
    """
    s = step_of(a, m)
    if s is None or m.role != "obj" or not s.verb:
        return False
    if "discard" in s.effects and not s.effects & _USING:
        # "bin the bones": thrown away; not "bin the batteries by the baby's cot"
        return not any(
            x.living or (x is not m and x.has("low_place", "child_place", "pet_place"))
            for x in s.mentions
        )
    if s.verb.split()[0] in _TAKE_VERBS and not s.effects & _USING:
        # "pick up the peanut butter jar and put it in the cabinet": what the next step
        # does with "it"
        for t in a.steps[s.index + 1 : s.index + 2]:
            again = [x for x in t.mentions if x.pronoun and x.text == m.text and x.role == "obj"]
            return bool(again) and stowed(a, again[0])
        return False
    if s.verb.split()[0] not in _STOW_VERBS:
        return False
    if s.effects & _USING or s.negated:
        return False
    if any(x.living and x.role not in ("from", "poss", "subj") for x in s.mentions):
        return False  # "put the baby in the cupboard", "leave the knife by Grandma"
    places = [x for x in s.mentions if x.role in ("in", "on", "at", "to", "near") and x is not m]
    high = has_phrase(s.lemmas, _HIGH_KEYS) or out_of_reach_words(s.lemmas)
    if any(
        x.has("heat_source", "water_place", "fire", "lit", "pet_place")
        or (
            not high  # "put the grape in the bowl out of the baby's reach"
            and (
                x.has("drink_container")
                or (x.has("food_place") and not (x.kind is not None and x.kind.name == "fridge"))
                or (x.kind is not None and x.kind.is_a("dish"))
            )
        )
        for x in places
    ):
        return False  # "put the prawns on Mia's plate, away from the peas": served
    if any(_points_back(t.words) for t in a.steps[s.index + 1 :]):
        return False  # "put the raisins in the pantry, then let the cat finish the rest"
    safe = has_phrase(s.lemmas, SAFE_PLACE_KEYS) or out_of_reach_words(s.lemmas)
    if not high and any(x.has("low_place", "child_place", "floor") for x in places):
        return False  # "on the floor, away from the baby" is still on the floor
    return (
        safe
        or s.says("away", "back")
        or any(x.text.split()[-1] in _STORES and not x.has("low_place") for x in places)
        or any(  # "pop my sugar-free gum in my bag": what the person carries
            x.text.split()[-1] in _CARRIED and s.words[max(0, x.start - 1)] in ("my", "your")
            for x in places
        )
        or (m.has("food") and any(x.kind is not None and x.kind.name == "fridge" for x in places))
    )


#: Words by which a later step means some of what was put away ("finish the rest").
_SOME_OF = frozenset({"rest", "some", "one", "any", "half", "bit", "leftovers", "remainder"})


def _points_back(words: list[str]) -> bool:
    """Whether ``words`` mean some of a thing named before ("the rest", "give her one")."""
    return any(
        w in _SOME_OF and (i + 1 >= len(words) or words[i + 1] != "of") for i, w in enumerate(words)
    )


def out_of_reach_words(lem: list[str]) -> bool:
    """Whether lemmas ``lem`` say "out of <whoever>'s reach"."""
    for i in range(len(lem) - 1):
        if lem[i] == "out" and lem[i + 1] == "of" and "reach" in lem[i + 2 : i + 7]:
            return True
    return False
