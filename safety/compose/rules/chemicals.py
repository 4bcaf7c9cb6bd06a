"""Household chemicals mixed, put with food or drink, heated or poured down a drain."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis, Mention, Step
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule
from housemind.safety.compose.vocab import INCOMPATIBLE

__all__: list[str] = []


def _applies(s: Step) -> frozenset[str]:
    """A step's effects, "use X on Y" counting as putting X on Y."""
    if s.verb and s.verb.split()[0] in ("use", "apply"):
        return s.effects | {"wet"}
    return s.effects


def _target(s: Step) -> str | None:
    """Where a step puts what it pours or adds (its first "in"/"on" thing), if it says."""
    t = s.role("in", "on")
    return t[0].text if t else None


def _own(s: Step, m: Mention) -> bool:
    """Whether ``m`` is the chemical's own container ("in its brown bottle")."""
    return bool(set(s.words[max(0, m.start - 3) : m.start]) & {"its", "own", "original"})


#: Words of a chemical's name that say what holds it or how much, not what it is.
_HOLDERS = frozenset(
    {"bottle", "jug", "can", "tub", "tin", "jar", "spray", "sprayer", "refill", "pack", "box"}
    | {"big", "small", "white", "old", "new", "spare", "large", "little", "half", "full"}
)


def _product(m: Mention) -> tuple[str, ...]:
    """The words of a chemical's name less its container ("the white vinegar bottle")."""
    return tuple(w for w in m.text.split() if w not in _HOLDERS)


#: Kinds whose name in the plural means several different products.
_GENERIC = frozenset({"cleaning_product", "chemical"})


def _stored(s: Step) -> bool:
    """Whether a step only puts things into a cupboard, a cabinet or a shelf."""
    places = s.role("in", "on")
    return (
        bool(places)
        and not s.effects & {"mix", "wet", "fill", "heat"}
        and all(
            m.kind is not None and (m.kind.name == "cupboard" or m.text.split()[-1] in _SHELVES)
            for m in places
        )
    )


_SHELVES = frozenset({"shelf", "shelves"})


def _together(a: Analysis, x: Mention, y: Mention) -> bool:
    """Whether two chemicals end up in the same place.

    In one step that mixes, pours, adds or fills ("mix the bleach with the ammonia",
    "pour the vinegar into the bleach"), or in two steps that pour or add into the same
    place, a later step naming no other place ("pour the bleach down the toilet, then add
    the toilet cleaner"). Two products used on two different things are not mixed.
    """
    sx = next(s for s in a.steps if any(m is x for m in s.mentions))
    sy = next(s for s in a.steps if any(m is y for m in s.mentions))
    acts = {"mix", "wet", "fill", "place", "wipe"}
    if sx is sy:
        return bool(sx.effects & {"mix", "wet", "fill"}) or (
            "place" in sx.effects and x.role != y.role
        )
    if not (_applies(sx) & acts and _applies(sy) & acts):
        return False
    if _stored(sx) or _stored(sy):
        return False  # "... and leave the Harpic in the cupboard": kept, not used
    tx, ty = _target(sx), _target(sy)
    return ty is None or tx is None or tx == ty


@rule("chemicals-mixed", "chemicals_mixing")
def _chemicals(a: Analysis) -> Iterable[Finding]:
    chems = [
        m
        for m in a.mentions()
        if m.kind is not None
        and m.kind.chem
        and m.kind.chem != "soap"
        and m.role not in ("without", "poss")
        and not m.pronoun
    ]
    said_together = a.says("together", "same", "combine")
    separate = a.says(
        "separate", "seperate", "apart", "on its own", "on their own", "alone", "next to"
    )
    if not separate:
        pair = None
        known = False
        for i, x in enumerate(chems):
            for y in chems[i + 1 :]:
                if x.text == y.text or x.kind is None or y.kind is None:
                    continue
                if x.kind is y.kind and _product(x) == _product(y):
                    continue  # "top up the vinegar bottle from the vinegar jug": one product
                if not (said_together or _together(a, x, y)):
                    continue
                # Never mix two different products: some pairs are known to give off
                # toxic gas, and nobody knows what the others do.
                reacts = frozenset({x.kind.chem, y.kind.chem}) in INCOMPATIBLE
                if pair is None or (reacts and not known):
                    pair, known = (x, y), reacts
        plural = [
            m
            for m in chems
            # "the cleaners", "the sprays": several products; "Domestos" is one
            if (m.text.endswith("s") and m.kind.name in _GENERIC)
            or a.says("all", "every", "each", "whatever")
        ]
        if pair and known:
            yield finding(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                f"{named(pair[0])} and {named(pair[1])} are household chemicals that react "
                "when mixed and give off toxic gas",
            )
        elif pair:
            yield finding(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                f"{named(pair[0])} and {named(pair[1])} are different household chemicals; "
                "mixing them can give off toxic gas or heat",
            )
        elif plural and "mix" in a.effects() | ({"mix"} if said_together else set()):
            yield finding(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                "mixing different cleaning products can give off toxic gas",
            )
    for s in a.steps:
        cs = [
            m
            for m in s.mentions
            if m.has("chemical")
            and m.role not in ("without", "poss")
            and not (m.kind is not None and m.kind.chem == "soap")
        ]
        if not cs:
            continue
        into = s.having("drink_container", "food_place", "food", roles=("in", "on", "obj"))
        # A bowl or a plate is where food is served: a chemical decanted into one is drunk
        # or eaten by someone (or a pet) who takes it for food.
        into += [m for m in s.role("in") if m.kind is not None and m.kind.is_a("dish")]
        into = [m for m in into if not m.has("chemical") and not _own(s, m)]
        if (
            into
            and s.effects & {"wet", "place", "fill", "mix"}
            and not s.says("next to", "away from")
        ):
            yield finding(
                "chemical-with-food",
                "chemicals_mixing",
                "deny",
                f"{named(cs[0])} {be(cs[0])} a household chemical; putting it in or on "
                f"{named(into[0])} means someone may eat or drink it",
            )
        elif "heat" in s.effects:
            yield finding(
                "chemical-heated",
                "chemicals_mixing",
                "deny",
                f"{named(cs[0])} {be(cs[0])} a household chemical; heating it gives off toxic "
                "fumes",
            )
        elif s.says(
            "down the sink", "down the drain", "down the toilet", "down the loo"
        ) and not all(m.has("cleaning") for m in cs):
            # Bleach or toilet cleaner down the loo is what they are for; paint, solvents,
            # antifreeze and poisons must not go down a drain.
            yield finding(
                "chemical-down-drain",
                "chemicals_mixing",
                "confirm",
                f"{named(cs[0])} should not go down the drain",
            )
    for s in a.steps:
        if "fill" in s.effects or s.says("refill", "top up"):
            cont = s.having("drink_container", roles=("obj",))
            chem = s.having("chemical", roles=("with",))
            if cont and chem:
                yield finding(
                    "chemical-with-food",
                    "chemicals_mixing",
                    "deny",
                    f"{named(chem[0])} {be(chem[0])} a household chemical; in {named(cont[0])} "
                    "someone may drink it",
                )
