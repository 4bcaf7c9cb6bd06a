"""Water left running, overflowing or blocked drains, wet floors."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis, Mention
from housemind.safety.compose.rules.base import Finding, finding, named, rule

__all__: list[str] = []


def _slippery(m: Mention) -> bool:
    """A liquid, something wet, or ice: what makes a floor slippery."""
    return m.has("liquid", "wet") or (m.kind is not None and m.kind.is_a("ice"))


@rule("water-left-running", "water_flooding")
def _water(a: Analysis) -> Iterable[Finding]:
    eff = a.effects()
    sources = [m for m in a.mentions() if m.has("water_source", "water_place")]
    on = (
        "switch_on" in eff
        or "fill" in eff
        or a.says("running", "on full", "run the bath", "on and")
    )
    off = "switch_off" in eff or a.says(
        "turn off", "turn it off", "off with", "tap off", "when it is half", "halfway"
    )
    if (
        sources
        and on
        and not off
        and (a.leaving or a.says("overnight", "all night"))
        and not (a.staying)
    ):
        yield finding(
            "water-left-running",
            "water_flooding",
            "confirm",
            f"{named(sources[0])} left running with nobody there can flood the home",
        )
        return
    if (
        a.says("overflow", "overfill", "to the brim")
        and not a.says("not overflow")
        # "the toilet is overflowing, turn off the valve": stopping it
        and not ("switch_off" in a.effects() or a.says("turn off", "shut off", "away from"))
    ):
        yield finding(
            "overflow",
            "water_flooding",
            "confirm",
            "water overflowing floods the floor and can reach electrics",
        )
        return
    if a.says("block the drain", "block drain", "plug the drain") and on and not off:
        yield finding(
            "drain-blocked",
            "water_flooding",
            "confirm",
            "water running with the drain blocked can flood the room",
        )
        return
    # A step that wets or leaves something on a floor or stair: the liquid named in that
    # step, or named before and referred to ("fill the mug with coffee and tip IT onto the
    # stairs"), on a floor named in that step or, where it names no place, in the steps
    # before. "Drinks" in "they are coming for drinks, get the keys off the coffee table"
    # wets nothing.
    slippy: list = []
    floor: list = []
    named_before: list = []
    floors_before: list = []
    for s in a.steps:
        own = [m for m in s.mentions if _slippery(m)]
        floors = s.having("high_place", "floor", "low_place")
        wet = own or (
            named_before if any(m.pronoun and m.role == "obj" for m in s.mentions) else []
        )
        under = floors
        if not under and not s.role("on", "in", "to", "at", "near"):
            under = floors_before  # "go to the stairs and pour the water (there)"
        if wet and under and s.effects & {"wet", "leave"}:
            slippy, floor = slippy + wet, floor + under
        floors_before = floors_before + floors
        named_before = named_before + own
    if slippy and not a.says("into the drain", "outside", "dry"):
        if (
            any(m.has("high_place") for m in floor)
            or a.having("elderly")
            or a.says("walk", "coming")
        ):
            yield finding(
                "slip", "water_flooding", "confirm", "a wet or icy floor or stair is a slip hazard"
            )
            return
    if a.says("down the loo", "down the toilet", "down the sink", "down the drain") and (
        a.having("oil") or a.says("nappy", "nappies", "wipes", "fat")
    ):
        yield finding(
            "drain-misuse",
            "water_flooding",
            "confirm",
            "that blocks the drain and can flood the home",
        )
        return
    if (
        a.says("door open")
        and any(m.kind is not None and m.kind.is_a("washing_machine") for m in a.mentions())
        and "switch_on" in eff
    ):
        yield finding(
            "washer-open",
            "water_flooding",
            "confirm",
            "a washing machine run with the door open floods the floor",
        )
        return
    if (
        a.says("unscrew", "disconnect", "undo")
        and a.says("pipe")
        and a.says("water on", "with the water")
        and not a.says("turn off the water", "turn the water off")
    ):
        yield finding(
            "pipe-open",
            "water_flooding",
            "confirm",
            "opening a pipe with the water on floods the room",
        )


@rule("washer-left-running", "unattended_appliance")
def _washer_running(a: Analysis) -> Iterable[Finding]:
    """A washing machine or dishwasher started and everyone goes out (not just to bed)."""
    if not a.away or a.staying:
        return
    for s in a.steps:
        started = "switch_on" in s.effects or s.says("running", "on a wash", "cycle")
        washers = s.having("washer", roles=("obj", "in", "on"))
        if started and washers and not any("switch_off" in t.effects for t in a.steps[s.index :]):
            yield finding(
                "washer-left-running",
                "unattended_appliance",
                "confirm",
                f"{named(washers[0])} left running with nobody home can leak and flood, "
                "or overheat, with no one to stop it",
            )
            return
