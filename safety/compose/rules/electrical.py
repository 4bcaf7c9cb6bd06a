"""Liquid and electrics; what must not go in a running microwave."""

from __future__ import annotations

import re
from collections.abc import Iterable

from housemind.safety._text import lemma
from housemind.safety.compose.reading import Analysis, Mention, Step, head, kind_of_unknown
from housemind.safety.compose.rules.base import Finding, be, finding, ing_form, named, rule
from housemind.safety.compose.vocab import says_any

__all__: list[str] = []


def _empties(s: Step) -> bool:
    """Whether a step empties its object ("empty the Dyson's bin"): what it holds goes out."""
    return bool(s.verb) and s.verb.split()[0] in ("empty", "drain")


@rule("liquid-on-electrical", "electrical_water")
def _liquid_on_electrical(a: Analysis) -> Iterable[Finding]:
    for s in a.steps:
        if "throw" in s.effects and s.having("liquid", roles=("obj",)):
            s.effects = s.effects | {"wet"}
        watery = [m for m in s.having("liquid", "water_place", "water_source") if not m.has("oil")]
        if "fill" in _main_effects(a, s) and (watery or s.says("water")):
            # "fill the toaster at the sink": only things made to hold water may be filled.
            for t in s.having("electrical", roles=("obj",)):
                if not t.has("takes_liquid", "container"):
                    yield finding(
                        "liquid-on-electrical",
                        "electrical_water",
                        "deny",
                        f"{named(t)} {be(t)} electrical and not made to hold water; filling it "
                        "can cause a shock or a fire",
                    )
        if "wet" in s.effects:
            stuff = s.having("liquid", "wet", roles=("obj", "with")) or s.having("liquid")
            outdoors = s.says("outside", "garden", "lawn", "patio", "drain")
            for u in [m for m in s.role("on") if m.kind is None and not outdoors]:
                kind_of_unknown(a, u)
                if u.kind is None:
                    yield finding(
                        "unknown-wetted",
                        "electrical_water",
                        "confirm",
                        f"I don't know what {u.text} is (nothing I know is close enough); "
                        "liquid on it could be dangerous if it is electrical",
                    )
            targets = s.having("electrical", roles=("on", "at", "in"))
            objs = s.having("electrical", roles=("obj",))
            if not s.having("liquid", roles=("obj",)) and not _empties(s):
                targets += [m for m in objs if not m.has("container", "takes_liquid")]
            held = [m for m in s.role("in") if m.has("container") and not m.has("electrical")]
            for t in targets:
                if t.role == "in" and t.has("takes_liquid"):
                    continue
                if t.role == "on" and any(h.start < t.start for h in held):
                    continue  # "into the pot of pasta on the stove": into the pot
                what = stuff[0].text if stuff else "liquid"
                yield finding(
                    "liquid-on-electrical",
                    "electrical_water",
                    "deny",
                    f"{named(t)} {be(t)} electrical; {ing_form(s.verb)} {what} on it can cause a "
                    "shock or a fire",
                )
            if (
                not targets
                and s.having("floor", "low_place", roles=("on", "at", "obj"))
                and (s.having("electrical", roles=("near",)))
            ):
                yield finding(
                    "liquid-on-electrical",
                    "electrical_water",
                    "confirm",
                    "water on the floor next to something electrical can cause a shock",
                )
        if "wipe" in s.effects:
            wet_tool = s.having("wet", roles=("with",)) or (
                s.says("soaking", "dripping", "drenched", "wet") and s.role("with")
            )
            for t in s.having("electrical", roles=("obj", "on")):
                powered = t.has("powered") or s.says("while it is on", "while on", "plugged in")
                very = s.says("soaking", "dripping", "drenched", "sopping", "wet")
                if wet_tool and (powered or very):
                    yield finding(
                        "wet-wipe-electrical",
                        "electrical_water",
                        "confirm",
                        f"{named(t)} {be(t)} electrical and switched on; wiping it with "
                        "something wet "
                        "can give a shock",
                    )


@rule("electrical-into-water", "electrical_water")
def _electrical_into_water(a: Analysis) -> Iterable[Finding]:
    for s in a.steps:
        if s.effects & {"place", "enclose"}:
            # A dishwasher or washing machine washes what is in it with water.
            for w in s.having("washer", roles=("in",)):
                for e in s.having("electrical", roles=("obj",)):
                    if e.has("washer", "takes_liquid"):
                        continue
                    runs = any(
                        "switch_on" in t.effects or t.says("wash", "cycle")
                        for t in a.steps[s.index :]
                    )
                    yield finding(
                        "electrical-into-water",
                        "electrical_water",
                        "deny" if runs else "confirm",
                        f"{named(e)} {be(e)} electrical; washed in {named(w)} it can cause a "
                        "shock or a fire",
                    )
        # Dunking, dipping or soaking puts the whole thing under: a kettle may hold water,
        # but its base and wiring must not go under it.
        under = "wet" in s.effects and s.says(*_SUBMERGE)
        if s.effects & {"place", "throw", "enclose", "heat", "wipe"} or s.verb is None or under:
            water = s.having("water_place", "liquid", roles=("in", "on"))
            water = [w for w in water if not w.has("electrical")]
            for e in s.having("electrical", roles=("obj",)):
                if water and (under or not e.has("takes_liquid")):
                    yield finding(
                        "electrical-into-water",
                        "electrical_water",
                        "deny",
                        f"{named(e)} {be(e)} electrical; putting it in the {water[0].text} can "
                        "cause a shock or ruin it",
                    )
        if "place" in s.effects:
            filled = [
                m
                for m in s.role("obj")
                if m.has("container")
                and not m.has("takes_liquid")
                and (_filled(a, m, s) or m.has("water_place"))
            ]
            for c in filled:
                for t in s.role("in"):
                    if (
                        t.kind is not None
                        and t.kind.name in ("cupboard", "box_enclosure", "bed")
                        and not t.has("food_place")
                    ):
                        yield finding(
                            "liquid-put-away",
                            "water_flooding",
                            "confirm",
                            f"the {c.text} holds liquid; put away in {named(t)} it can "
                            "spill and spoil what is there",
                        )
            for t in s.having("electrical", roles=("on",)):
                for c in filled:
                    if t.has("heat_source") and c.kind is not None and c.kind.is_a("cookware"):
                        continue  # a pan of soup on the hob is cooking, not a spill
                    yield finding(
                        "liquid-over-electrical",
                        "electrical_water",
                        "confirm",
                        f"the {c.text} holds liquid and {named(t)} {be(t)} electrical; a spill "
                        "can cause a shock",
                    )


def _main_effects(a: Analysis, s: Step) -> frozenset[str]:
    """The effects of a step's own verb (not of a clause: "charge it while the bath FILLS")."""
    if a.kb is None or not s.verb:
        return s.effects
    key = tuple(lemma(w) for w in s.verb.split())
    return a.kb.verbs.get(key, s.effects)


#: Verbs that put a thing under water.
_SUBMERGE = ("dunk", "dip", "submerge", "immerse", "plunge", "soak")

#: Electrical things that run on their own battery: off the charger, they cannot give a
#: mains shock (a phone by the bath is at risk, not the bather).
_BATTERY_KINDS = ("phone", "camera", "remote", "torch", "computer", "portable_speaker")


#: Words before a bath that make it a time ("after my bath").
_WHEN = frozenset({"after", "before", "during", "till", "until"})


@rule("mains-by-bath", "electrical_water")
def _mains_by_bath(a: Analysis) -> Iterable[Finding]:
    """A mains appliance (or a charging one) put on the edge of or next to a bath or pool."""
    for s in a.steps:
        if not s.effects & {"place", "switch_on"}:
            continue
        baths = [
            m
            for m in s.having("bathing", roles=("on", "near", "at", "in"))
            # "after my bath", "before her swim": when, not where
            if not set(s.words[max(0, m.start - 2) : m.start]) & _WHEN
        ]
        if not baths or s.says("away from", "not near", "out of"):
            continue
        for e in s.having("electrical", roles=("obj",)):
            battery = e.kind is not None and any(e.kind.is_a(k) for k in _BATTERY_KINDS)
            charging = s.says("charge", "plugged in", "plug in", "on charge")
            if battery and not charging and not e.has("powered"):
                continue
            yield finding(
                "mains-by-bath",
                "electrical_water",
                "deny",
                f"{named(e)} {be(e)} electrical and {'charging' if charging else 'on the mains'}; "
                f"next to {named(baths[0])} it can fall in and electrocute someone",
            )
            return


def _filled(a: Analysis, m: Mention, upto: Step) -> bool:
    for s in a.steps[: upto.index + 1]:
        if "fill" in s.effects and any(x.text == m.text for x in s.role("obj")):
            return True
        for x in s.mentions:
            if x.text == m.text and x.role == "obj":
                nxt = [y for y in s.mentions if y.start > x.start]
                if nxt and nxt[0].role == "obj" and nxt[0].has("liquid") and s.says("of"):
                    return True
    return False


#: Verbs that take an egg out of its shell.
_CRACK = frozenset(lemma(w) for w in ("crack", "beat", "whisk", "scramble", "break", "separate"))


def _fabric(m: Mention) -> bool:
    """Clothes, towels or shoes: they scorch and catch fire in a running microwave."""
    return m.kind is not None and (m.kind.is_a("cloth") or m.kind.is_a("footwear"))


def _cracked(a: Analysis, m: Mention) -> bool:
    """Whether ``m`` is an egg a step took out of its shell ("crack the egg into a bowl")."""
    if m.kind is None or not m.kind.is_a("egg"):
        return False
    return any(
        s.verb and lemma(s.verb.split()[0]) in _CRACK and any(x.text == m.text for x in s.mentions)
        for s in a.steps
    )


def _held_in(a: Analysis, contents: list[Mention], nuked: list[Step]) -> list[Mention]:
    """What an earlier step put the microwaved things in, and they are still in.

    "Put it in the foil tray and microwave it": the tray goes in with it. A thing taken
    out again, or moved on, is no longer held ("take the curry out of the tin, put it on
    a plate and microwave it").
    """
    if not nuked:
        return []
    names = {m.text for m in contents if not m.has("container")}
    held: dict[str, Mention] = {}
    last = nuked[-1].index
    for s in a.steps[: last + 1]:
        for m in s.mentions:
            if m.text not in names or m.role != "obj":
                continue
            after = [x for x in s.mentions if x.start > m.start]
            if "place" in s.effects and after and after[0].role == "in" and not after[0].living:
                held[m.text] = head(after)  # "the takeaway tray": the tray
            elif after and after[0].role in ("from", "on"):
                held.pop(m.text, None)
    return [h for h in held.values() if not (h.kind is not None and h.kind.is_a("microwave"))]


@rule("microwave", "microwave")
def _microwave(a: Analysis) -> Iterable[Finding]:
    mw = [m for m in a.mentions() if m.kind is not None and m.kind.is_a("microwave")]
    nuked = [
        s
        for s in a.steps
        if s.verb and lemma(s.verb.split()[0]) in {lemma(w) for w in ("microwave", "nuke", "zap")}
    ]
    if not mw and not nuked:
        return
    contents: list[Mention] = []
    running = bool(nuked)
    for s in a.steps:
        into_mw = any(
            m.kind is not None and m.kind.is_a("microwave") and m.role in ("in",)
            for m in s.mentions
        )
        if s in nuked or into_mw:
            contents += [
                m
                for m in s.mentions
                if m.role in ("obj", "with", "in", "of")
                and not (m.kind is not None and m.kind.is_a("microwave"))
                and not m.living
                or (m.role == "obj" and m.living)
            ]
            if "heat" in s.effects or says_any(
                s.lemmas, "min", "minute", "minutes", "second", "seconds"
            ):
                running = True
        if "switch_on" in s.effects and (
            any(m.kind is not None and m.kind.is_a("microwave") for m in s.mentions)
        ):
            running = True
            # "run it for three minutes with a bowl of water inside"
            contents += [m for m in s.mentions if m.role == "with" and not m.living]
    for s in a.steps:
        if s.verb and s.verb.split()[0] == "wrap":
            contents += s.having("metal", roles=("in", "with"))
    contents += _held_in(a, contents, nuked)
    for m in contents:
        kind_of_unknown(a, m)
    unknown = [m for m in contents if m.kind is None]
    if running and unknown:
        yield finding(
            "unknown-in-microwave",
            "microwave",
            "confirm",
            f"I don't know what {unknown[0].text} is; I'd rather ask before it goes in a "
            "running microwave",
        )
    bad = [
        m
        for m in contents
        if (
            m.has("metal", "microwave_unsafe", "sealed", "fuel")
            or m.living
            or (running and m.role != "with" and _fabric(m))  # not the cloth it is wiped with
        )
        and not _cracked(a, m)
    ]
    if running and a.says("empty", "nothing in", "nothing inside") and not contents:
        yield finding(
            "microwave-empty",
            "microwave",
            "confirm",
            "a microwave running empty can damage itself and start a fire",
        )
    for m in bad:
        why = (
            "is metal; a running microwave makes it spark and can start a fire"
            if m.has("metal")
            else "is alive; a microwave would kill it"
            if m.living
            else "is sealed; it bursts when heated"
            if m.has("sealed")
            else "can scorch and catch fire; a microwave is no dryer"
            if _fabric(m)
            else "must not go in a microwave (it can burst, spark or burn)"
        )
        yield finding(
            "microwave-unsafe", "microwave", "deny" if running else "confirm", f"{named(m)} {why}"
        )
    if running and re.search(r"\b(1[5-9]|[2-9]\d)\s*(min|minute)", a.text.lower()) and not bad:
        yield finding(
            "microwave-too-long",
            "microwave",
            "confirm",
            "that long in a microwave can overheat and start a fire",
        )
