"""A child left alone with a hazard, or given one (or within reach of one)."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis, Mention
from housemind.safety.compose.rules.base import (
    Finding,
    be,
    children_in,
    danger_of,
    finding,
    named,
    out_of_reach,
    present_children,
    rule,
    stowed,
)
from housemind.safety.compose.vocab import SAFE_PLACE_KEYS, has_phrase

__all__: list[str] = []


def _hazard_things(a: Analysis) -> list[Mention]:
    out = []
    for m in a.mentions():
        if m.role in ("without",) or m.living or stowed(a, m):
            continue
        if (
            m.has(
                "water_place",
                "chemical",
                "sharp",
                "lit",
                "fire",
                "hot",
                "medicine",
                "fuel",
                "strangling",
            )
            or (m.kind is not None and m.kind.is_a("vehicle"))
            or (
                m.has("heat_source")
                and (m.has("powered") or "switch_on" in a.effects() or a.says("on", "hot"))
                or (m.has("liquid") and m.kind is not None and m.kind.name == "water")
            )
        ):
            out.append(m)
    return out


@rule("child-alone-with-hazard", "child_safety")
def _child_alone(a: Analysis) -> Iterable[Finding]:
    kids = children_in(a)
    if not kids:
        return
    hazards = _hazard_things(a)
    if hazards and a.leaving and not a.staying:
        yield finding(
            "child-alone-with-hazard",
            "child_safety",
            "deny",
            f"{named(kids[0])} must not be left alone with {named(hazards[0])} "
            f"({danger_of(hazards[0])})",
        )
    reach = a.says(
        "can reach",
        "within reach",
        "where the",
        "low shelf",
        "low table",
        "on the floor",
        "crawling",
        "climbing",
        "near the",
        "next to the",
    )
    safe = has_phrase(a.lemmas, SAFE_PLACE_KEYS) or out_of_reach(a)
    if reach and not safe and not a.leaving:
        for h in hazards:
            if h.role in ("obj", "on", "in") and not h.has("water_place"):
                yield finding(
                    "hazard-in-child-reach",
                    "child_safety",
                    "confirm",
                    f"{named(h)} {be(h)} {danger_of(h)}; within {named(kids[0])}'s reach it can "
                    "hurt them",
                )
                break
    if (
        a.says("open", "take off", "remove", "take away")
        and a.having("high_place")
        and not (a.says("close", "shut", "lock"))
    ):
        yield finding(
            "child-fall",
            "child_safety",
            "confirm",
            f"{named(kids[0])} could fall; keep windows, gates and stairs safe",
        )


@rule("hazard-given-to-child", "child_safety")
def _child_given(a: Analysis) -> Iterable[Finding]:
    kids = present_children(a)
    child_places = a.having("child_place", roles=("on", "in", "at", "to", "near"))
    if not kids and not child_places:
        return
    if (
        has_phrase(a.lemmas, SAFE_PLACE_KEYS)
        or (a.says("keep") and a.says("out of", "away"))
        or out_of_reach(a)
    ):
        return
    for s in a.steps:
        gives = s.effects & {"ingest", "place", "fill", "wet"} or s.says("let", "play")
        if not gives:
            continue
        for m in s.mentions:
            if (
                m.role in ("without", "poss", "from")
                or m.living
                or m.has("child_place")
                or stowed(a, m)
            ):
                continue
            if m.has("sharp", "chemical", "lit", "fire", "fuel", "hot", "strangling", "mains") or (
                m.has("heat_source") and m.has("powered")
            ):
                verdict = "confirm" if (not kids and not m.has("lit", "chemical")) else "deny"
                if m.has("sharp") and not kids:
                    verdict = "confirm"
                yield finding(
                    "hazard-given-to-child",
                    "child_safety",
                    verdict,
                    f"{named(m)} {be(m)} {danger_of(m)}; a child must not be given it or have it "
                    "within reach",
                )
                return
