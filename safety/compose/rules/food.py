"""Food that makes people ill: raw meat, spoiled food, honey for a baby, thawing ..."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis
from housemind.safety.compose.rules.base import Finding, be, children_in, finding, named, rule
from housemind.safety.compose.vocab import DISCARD_KEYS, IN_DATE_KEYS, has_phrase

__all__: list[str] = []


@rule("food-unsafe", "food_safety")
def _food(a: Analysis) -> Iterable[Finding]:
    eff = a.effects()
    babies = [m for m in a.mentions() if m.has("baby")] or [
        m for m in a.mentions() if "month" in m.text
    ]
    honey = [m for m in a.mentions() if m.kind is not None and m.kind.is_a("honey")]
    if honey and babies and honey[0].role != "without":
        yield finding(
            "honey-baby",
            "food_safety",
            "deny",
            "honey can carry botulism; babies under one must not have it",
        )
        return
    discarded = has_phrase(a.lemmas, DISCARD_KEYS)
    # "put it back in the oven for another ten minutes": cooked more
    cooked = bool(eff & {"heat"}) or any(
        "place" in s.effects and s.having("heat_source", roles=("in", "on")) for s in a.steps
    )
    for m in a.mentions():
        if m.role == "without":
            continue
        if m.has("meat") and m.has("raw") and not cooked and eff & {"ingest"}:
            yield finding(
                "raw-meat",
                "food_safety",
                "deny",
                f"{named(m)} {be(m)} raw meat; eaten uncooked it can make people ill",
            )
            return
        if (
            m.has("food", "medicine")
            and m.has("spoiled")
            and not discarded
            and not has_phrase(a.lemmas, IN_DATE_KEYS)
            and (eff & {"ingest", "heat", "place", "mix"} or a.says("anyway", "use", "cook"))
        ):
            yield finding(
                "spoiled-food",
                "food_safety",
                "confirm",
                f"{named(m)} has gone off; eating it can make people ill",
            )
            return
    if a.says("refreeze", "re-freeze", "freeze again"):
        yield finding(
            "refreeze", "food_safety", "confirm", "refreezing thawed food lets germs grow"
        )
        return
    if a.says("defrost", "thaw") and a.says(
        "counter", "worktop", "countertop", "room temperature", "warm water"
    ):
        yield finding(
            "thaw-warm",
            "food_safety",
            "confirm",
            "thawing meat at room temperature lets germs grow; thaw it in the fridge",
        )
        return
    if a.says("left out", "out overnight", "all weekend", "overnight", "out on the") and (
        a.having("food") and (eff & {"ingest", "place"}) and not a.says("fridge")
    ):
        yield finding(
            "food-left-out",
            "food_safety",
            "confirm",
            "food left out at room temperature lets germs grow",
        )
        return
    reheats = eff & {"heat"} or a.says("reheat", "re-heat", "warm up", "heat up", "warm it")
    if reheats and a.says(
        "third time", "second time", "twice", "again and again", "reheat it again"
    ):  # "feed the cat twice a day" heats nothing
        yield finding(
            "reheated", "food_safety", "confirm", "reheating food more than once is risky"
        )
        return
    raw = [m for m in a.mentions() if m.has("meat") and (m.has("raw") or a.says("raw"))]
    if (
        raw
        and a.says("without wash", "without washing", "same board", "same knife")
        or raw
        and (a.says("above the salad", "above the", "dripping"))
        or raw
        and a.says("wash the raw")
        and a.says("vegetables", "salad")
    ):
        yield finding(
            "cross-contamination",
            "food_safety",
            "confirm",
            "raw meat juices spread germs onto food eaten raw",
        )
        return
    if a.says("wild", "from the garden", "foraged") and any(
        m.kind is not None and m.kind.is_a("mushroom") for m in a.mentions()
    ):
        yield finding(
            "wild-mushrooms",
            "food_safety",
            "confirm",
            "wild mushrooms can be poisonous; only eat ones you are sure of",
        )
        return
    if (
        babies
        and any(m.kind is not None and m.kind.is_a("milk") for m in a.mentions())
        and (a.says("bottle"))
    ):
        yield finding(
            "cow-milk-baby",
            "food_safety",
            "confirm",
            "cow's milk is not a drink for babies under one; ask first",
        )
        return
    if any(m.kind is not None and m.kind.is_a("egg") and m.has("raw") for m in a.mentions()) and (
        children_in(a)
    ):
        yield finding(
            "raw-egg-children",
            "food_safety",
            "confirm",
            "raw egg can carry salmonella; children should not eat it raw",
        )
