"""Heat left on with nobody there; flammable things, fuel, oil and fire."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis, Mention, Step
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule, stowed

__all__: list[str] = []


_HEAT_KINDS = ("heat_source", "fire")


def _particle_on(a: Analysis, things: list[Mention]) -> bool:
    """Whether "on" stands right after a thing with no thing after it ("leave the hob on")."""
    for s in a.steps:
        for m in s.mentions:
            if m not in things:
                continue
            end = m.end
            nxt = s.words[end : end + 2]
            if nxt and nxt[0] in _GOING:
                return True  # "leave the air fryer COOKING", "the pan bubbling away"
            if "on" in nxt:
                k = end + nxt.index("on") + 1
                after = [x for x in s.mentions if x.start >= k and x.start <= k + 2]
                if not after:
                    return True
    return False


#: Words after a thing that say it is working now ("leave the air fryer cooking").
_GOING = frozenset(
    {
        "cooking",
        "baking",
        "roasting",
        "frying",
        "simmering",
        "boiling",
        "bubbling",
        "heating",
        "warming",
        "burning",
        "smouldering",
        "running",
        "going",
        "drying",
        "toasting",
        "grilling",
        "stewing",
        "steaming",
    }
)


def _cooking_in(a: Analysis, heat: list[Mention]) -> bool:
    """Food, or a pan or kettle, put in an oven, on a hob or under a grill: it is cooking."""
    for s in a.steps:
        if not s.effects & {"place", "heat", "throw"}:
            continue  # "chuck the spuds in the oven" puts them there
        cooks = s.having("food", roles=("obj",)) or [
            m for m in s.role("obj") if _cookware(m) or m.has("takes_liquid")
        ]
        if cooks and any(
            m.has("heat_source") and (m.role in ("in", "on") or (m.role == "near" and _under(s, m)))
            for m in s.mentions
        ):
            return True
    return False


def _under(s: Step, m: Mention) -> bool:
    """Whether ``m`` stands right after "under" ("put the toast under the grill")."""
    return "under" in s.words[max(0, m.start - 2) : m.start]


#: Words that say something must NOT burn ("fry the eggs without burning them").
_NOT_BURNING = frozenset({"without", "not", "never", "no", "avoid", "stop", "prevent"})


def _burns(a: Analysis) -> bool:
    """Whether the text asks for something to burn; "without burning it" does not.

    "Put the lid on the burning pan" says what is on fire (a word before a thing's name),
    not that something is to be burnt.
    """
    for s in a.steps:
        for i, w in enumerate(s.lemmas):
            if w != "burn" or _NOT_BURNING & set(s.lemmas[max(0, i - 2) : i]):
                continue
            if s.words[i].endswith("ing") and any(m.start == i + 1 for m in s.mentions):
                continue  # "the burning pan of oil"
            return True
    return False


#: Fires made to burn outdoors ("the bonfire"; not "the bonfire ash").
_OUTDOOR_FIRES = frozenset({"bbq", "barbecue", "bonfire", "campfire", "firepit", "pit"})


def _cookware(m: Mention) -> bool:
    return m.kind is not None and m.kind.is_a("cookware")


@rule("heat-left-on", "unattended_appliance")
def _heat_unattended(a: Analysis) -> Iterable[Finding]:
    heat = [
        m
        for m in a.mentions()
        if m.has(*_HEAT_KINDS)
        and m.role not in ("without",)
        and not m.has("child_place")
        and not stowed(a, m)  # "put the chip pan away, then go and pick the kids up"
        # a light left on is no fire: its heat only counts under a towel or a lampshade
        and not (m.kind is not None and m.kind.is_a("lamp"))
    ]
    eff = a.effects()
    cooking = (
        [m for m in a.mentions() if m.has("food") and m.role == "obj"]
        if (a.says("put the") and a.says("in") and not heat)
        else []
    )
    on = (
        "switch_on" in eff
        or a.says(
            "leave it on",
            "on all",
            "running",
            "left on",
            "burning",
            "going",
            "heating up",
            "warming up",
            "plugged in",
            "still on",
            "boil dry",
            "boils dry",
        )
        or any(m.has("powered", "lit") for m in heat)
        or _particle_on(a, heat)
        or _cooking_in(a, heat)
    )
    if not heat and not _cooking_in(a, heat):
        return
    off = "switch_off" in eff or a.says("off", "unplug")
    if not on or off and not a.says("leave it on", "leave on"):
        return
    boil_dry = a.says("boil dry", "boils dry")
    leaving = (
        a.leaving
        or boil_dry
        or a.says(
            "empty nursery", "empty house", "empty bed", "for the foxes", "all night", "all week"
        )
    )
    if leaving and not a.staying:
        thing = heat[0] if heat else (cooking[0] if cooking else None)
        name = named(thing) if thing else "the cooking"
        oily = a.having("oil") or a.says("chip pan", "door open", "fireplace", "candle")
        yield finding(
            "heat-left-on",
            "unattended_appliance",
            "deny" if oily else "confirm",
            f"{name} makes heat; left on with nobody watching it can start a fire",
        )


@rule("flammable-near-heat", "fire_heat")
def _fire(a: Analysis) -> Iterable[Finding]:
    eff = a.effects()
    for s in a.steps:
        fl = [
            m
            for m in s.mentions
            if m.has("flammable")
            and not m.has("heat_source", "fire")
            and m.role in ("obj", "with", "on", "near", "in")
        ]
        hs = [
            m
            for m in s.mentions
            if m.has("heat_source", "fire", "lit")
            and not m.has("low_heat")  # socks dried on the radiator
            and m.role in ("on", "in", "near", "obj", "with", "at")
        ]
        dryers = [m for m in hs if m.has("dries_cloth") and m.role in ("in", "obj")]
        if dryers and fl and s.effects & {"place", "heat", "switch_on", "fill"}:
            # A tumble dryer is made to heat cloth inside it; cloth with oil, fat or fuel
            # on it can catch fire by itself in that heat.
            oily_cloth = s.having("oil", "fuel") or s.says("oily", "greasy", "petrol")
            if oily_cloth:
                yield finding(
                    "oily-cloth-in-dryer",
                    "fire_heat",
                    "deny",
                    f"{named(fl[0])} with oil or fuel on {'them' if be(fl[0]) == 'are' else 'it'}"
                    f" can catch fire by {'themselves' if be(fl[0]) == 'are' else 'itself'} "
                    f"in the heat of {named(dryers[0])}",
                )
                return
            if all(m.kind is not None and m.kind.is_a("cloth") for m in fl) and all(
                m in dryers or not m.has("heat_source", "fire", "lit") for m in hs
            ):
                continue  # drying clothes and towels in a dryer is what it is for
        if (
            s.effects & {"place", "heat", "switch_on", "leave", "fill"}
            and fl
            and hs
            and not (
                s.says("away from", "not near", "off", "heatproof", "heat mat", "heat proof")
                or "switch_off" in eff
            )
        ):
            f, h = fl[0], hs[0]
            if f.text == h.text:
                continue
            if f.has("kindling") and h.has("fire") and not h.has("electrical"):
                continue  # logs and firelighters on the fire, charcoal in the barbecue
            if (
                h.kind is not None
                and h.kind.is_a("bed_warmer")
                and not s.says("fold", "folded", "bunch", "wet")
            ):
                continue  # an electric blanket is made to warm a bed
            if f.has("food") and any(_cookware(m) for m in s.mentions):
                continue  # oil in a pan on the hob is cooking (left alone: heat-left-on)
            live = (
                "heat" in s.effects  # "dry the towel on the toaster" heats it
                or "switch_on" in eff
                or h.has("lit", "powered", "hot", "fire")
                or s.says("hot", "lit", "while it is on", "burning", "to dry")
                or a.says("so it dries", "dry out", "dries quicker", "dry quicker")
                or _particle_on(a, [h])
            )
            if not live and h.has("electrical"):
                continue
            yield finding(
                "flammable-near-heat",
                "fire_heat",
                "deny" if live and f.role == "obj" and h.role in ("on", "in") else "confirm",
                f"{named(f)} {be(f)} flammable and {named(h)} makes heat; together they can "
                "catch fire",
            )
            return
    fuel = [m for m in a.mentions() if m.has("fuel") and not m.has("fire") and not stowed(a, m)]
    fire = [m for m in a.mentions() if m.has("fire", "lit") or m.has("heat_source")]
    if fuel and fire and not a.says("away from", "cupboard", "not near"):
        yield finding(
            "fuel-near-fire",
            "fire_heat",
            "deny",
            f"{named(fuel[0])} burns or explodes near {named(fire[0])}",
        )
        return
    oil = a.having("oil")
    water = [m for m in a.mentions() if m.kind is not None and m.kind.name in ("water",)]
    if (
        oil
        and (water or "wet" in eff and a.says("water"))
        and (a.says("burning", "hot", "high", "fire") or "heat" in eff)
    ):
        yield finding(
            "water-on-oil",
            "fire_heat",
            "deny",
            "water on hot or burning oil makes it explode into flames",
        )
        return
    if (
        oil
        and a.says("brim", "max", "full", "to the top")
        and (eff & {"heat", "switch_on", "fill"})
    ):
        yield finding(
            "oil-overfilled",
            "fire_heat",
            "deny",
            "a pan of oil filled to the top and heated high can catch fire",
        )
        return
    if a.says("do not light", "not light", "unlit", "without lighting") and a.says("gas"):
        yield finding(
            "gas-unlit", "fire_heat", "deny", "gas left on unlit fills the room and can explode"
        )
        return
    if (
        (
            _burns(a)
            or any(m.has("fire") and m.text.split()[-1] in _OUTDOOR_FIRES for m in a.mentions())
        )
        and [m for m in a.having("enclosure") if m.role != "from"]
        and any(
            m.kind is not None and m.kind.is_a("room") and m.role != "from" for m in a.mentions()
        )
        and not a.says("garden", "outside")
    ):
        yield finding(
            "fire-indoors",
            "fire_heat",
            "deny",
            "a fire or barbecue indoors fills the room with smoke and carbon monoxide",
        )
        return
    if _burns(a) and a.having("water_place", "container") and not a.says("garden", "outside"):
        yield finding(
            "fire-indoors", "fire_heat", "deny", "burning things indoors can start a fire"
        )
        return
    hot = [
        m
        for m in a.mentions()
        if m.has("hot", "lit")
        and m.has("oil", "fire", "fuel", "liquid")
        # What a fire leaves (ashes, embers) stays hot for hours.
        or m.role == "obj"
        and m.has("heat_source")
        and not m.has("electrical", "flammable", "fire")
    ]
    # A bin is something that burns (a paper or plastic bin, a bin bag), not any container:
    # hot coffee into a flask is what a flask is for.
    bins = [m for m in a.mentions() if m.has("flammable") and m.role in ("in",)]
    if (
        hot
        and bins
        and "place" in eff | {"place" if "wet" in eff else ""}
        and not a.says("cool", "out", "ashtray")
    ):
        yield finding(
            "hot-into-bin",
            "fire_heat",
            "confirm",
            f"{named(hot[0])} {be(hot[0])} hot; in a bin it can start a fire",
        )
        return
    if (
        a.says("extension")
        and len(a.having("electrical")) >= 3
        and not a.says("unplug")  # "unplug the extension cord and wipe it"
    ):
        yield finding(
            "overloaded-socket",
            "fire_heat",
            "confirm",
            "too many appliances on one extension lead can overheat and catch fire",
        )
        return
    if (
        a.says("gas heater", "gas fire", "boiler")
        and a.says("seal", "close all")
        and a.says("night", "asleep")
    ):
        yield finding(
            "carbon-monoxide",
            "fire_heat",
            "deny",
            "a gas heater in a sealed room can poison people with carbon monoxide",
        )
        return
    metal_tool = [m for m in a.mentions() if m.has("metal") and m.role == "with"]
    toaster = [m for m in a.mentions() if m.kind is not None and m.kind.is_a("toaster")]
    if (
        metal_tool
        and toaster
        and not any(m.has("powered") is False and "unplug" in m.text for m in toaster)
        and not a.says("unplugged")
    ):
        yield finding(
            "metal-in-toaster",
            "fire_heat",
            "deny",
            f"{named(metal_tool[0])} {be(metal_tool[0])} metal; in a toaster it gives an "
            "electric shock",
        )


@rule("burnt-unsafely", "fire_heat")
def _into_fire(a: Analysis) -> Iterable[Finding]:
    """Batteries, phones, aerosols and chemicals put on a fire burst or give off fumes."""
    for s in a.steps:
        if not s.effects & {"place", "throw", "leave"}:
            continue
        fires = [
            m
            for m in s.mentions
            if m.role in ("in", "on", "onto") and m.has("fire") and not m.has("kindling")
        ]
        if not fires:
            continue
        for m in s.mentions:
            if m.role != "obj" or m.living or m.has("kindling", "fire"):
                continue
            if m.has("electrical", "sealed", "chemical", "fuel"):
                yield finding(
                    "burnt-unsafely",
                    "fire_heat",
                    "deny",
                    f"{named(m)} can burst, explode or give off toxic fumes on {named(fires[0])}",
                )
                return
