"""Household chemicals mixed, put with food or drink, heated or poured down a drain."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis
from housemind.safety.compose.rules.base import Finding, finding, named, rule
from housemind.safety.compose.vocab import INCOMPATIBLE

__all__: list[str] = []


@rule("chemicals-mixed", "chemicals_mixing")
def _chemicals(a: Analysis) -> Iterable[Finding]:
    chems = [
        m
        for m in a.mentions()
        if m.kind is not None
        and m.kind.chem
        and m.kind.chem != "soap"
        and m.role not in ("without", "poss")
    ]
    mixing = a.effects() & {"mix", "wet", "fill"} or a.says("together", "same")
    separate = a.says(
        "separate", "seperate", "apart", "on its own", "on their own", "alone", "next to"
    )
    if mixing and not separate:
        classes = {m.kind.chem for m in chems if m.kind is not None}
        texts = {m.text for m in chems}
        pair = None
        if len(texts) >= 2:
            for x in chems:
                for y in chems:
                    if x.text != y.text and frozenset({x.kind.chem, y.kind.chem}) in INCOMPATIBLE:  # type: ignore[union-attr]
                        pair = (x, y)
                        break
                if pair:
                    break
        plural = [
            m for m in chems if m.text.endswith("s") or a.says("all", "every", "each", "whatever")
        ]
        if pair:
            yield finding(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                f"{named(pair[0])} and {named(pair[1])} are household chemicals that react "
                "when mixed and give off toxic gas",
            )
        elif plural and "mix" in a.effects() | (
            {"mix"} if a.says("combine", "together") else set()
        ):
            yield finding(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                "mixing different cleaning products can give off toxic gas",
            )
        elif (
            len(classes) == 1
            and len(texts) >= 2
            and "chlorine" in classes
            and ("mix" in a.effects())
        ):
            pass
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
        into = [m for m in into if not m.has("chemical")]
        if (
            into
            and s.effects & {"wet", "place", "fill", "mix"}
            and not s.says("next to", "away from")
        ):
            yield finding(
                "chemical-with-food",
                "chemicals_mixing",
                "deny",
                f"{named(cs[0])} is a household chemical; putting it in or on "
                f"{named(into[0])} means someone may eat or drink it",
            )
        elif "heat" in s.effects:
            yield finding(
                "chemical-heated",
                "chemicals_mixing",
                "deny",
                f"{named(cs[0])} is a household chemical; heating it gives off toxic fumes",
            )
        elif s.says("down the sink", "down the drain", "down the toilet", "down the loo"):
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
                    f"{named(chem[0])} is a household chemical; in {named(cont[0])} "
                    "someone may drink it",
                )
