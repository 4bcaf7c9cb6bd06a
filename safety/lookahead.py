"""Looking ahead at plan level: the state a step would leave the home in, judged by kind.

Before a step is dispatched, :class:`LookAhead` takes what the robot believes about the
home (the facts of the :class:`~safety.context.SafetyContext`: what it has seen and
remembers, who is home, who is near; never the simulator's own state), applies the
step's effect (a place puts a thing on or in another, a toggle switches, a pour wets, a
navigate takes the robot away) and asks whether the *predicted* state is a hazard. Things
are judged through their kinds (``safety/kinds.yaml``), so an object the rule book never
lists (keys in a microwave, a phone in a running sink, bleach on a coffee table with a child
at home) is still caught. HomeSim's own hazard checks (``sim/home/hazards.py``) are the test:
``tests/safety/test_safety_lookahead.py`` puts the home in the predicted state and asserts
that HomeSim sees the hazard the look-ahead refused, and none for the steps it allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from housemind.safety.context import SafetyContext
from housemind.safety.kinds import Kind, KindBase, load_kinds
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.skills.types import parse_atom

__all__ = ["BelievedHome", "LookAhead"]

#: Places low enough for a small child (or a pet) to reach what is left there.
_LOW_PROPS = ("low_place", "child_place", "soft_furnishing")


@dataclass
class BelievedHome:
    """What the robot believes about the home, as facts and kinds.

    Attributes:
        facts: Ground atoms (``on(pot,stove)``, ``switched_on(stove)``, ``filled(mug)``).
        people_home: Names of people at home.
        children: Names of children the robot knows are around.
        pets: Whether a pet is believed to be home.
        held: What the robot holds.
    """

    facts: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    people_home: list[str] = field(default_factory=list)
    children: set[str] = field(default_factory=set)
    pets: bool = False
    held: str | None = None

    def holds(self, pred: str, *args: str) -> bool:
        """Whether ``pred(args...)`` is believed (``*`` matches anything)."""
        return any(
            p == pred
            and len(a) == len(args)
            and all(x in ("*", y) for x, y in zip(args, a, strict=True))
            for p, a in self.facts
        )

    def where(self, thing: str) -> list[tuple[str, str]]:
        """``(relation, place)`` of ``thing`` (``("in", "microwave")``)."""
        return [(p, a[1]) for p, a in self.facts if p in ("on", "in") and a and a[0] == thing]

    def inside(self, place: str) -> list[str]:
        """Things on or in ``place``."""
        return [a[0] for p, a in self.facts if p in ("on", "in") and len(a) == 2 and a[1] == place]

    @classmethod
    def from_context(cls, ctx: SafetyContext) -> BelievedHome:
        """The believed home of a step's context (observation, memory, presence)."""
        facts = set()
        for f in ctx.facts:
            try:
                facts.add(parse_atom(f))
            except ValueError:
                continue
        kids = ctx.children()
        return cls(
            facts=facts,
            people_home=list(ctx.people_home),
            children=set(kids),
            pets=bool(ctx.pets_near_robot) or bool(ctx.extra.get("pets_home")),
            held=ctx.held,
        )


@dataclass(frozen=True)
class _Found:
    rule: str
    verdict: str
    reason: str


class LookAhead:
    """Predicts a step's effect on the believed home and judges the result.

    Args:
        kinds: The common-sense knowledge base; the shipped one if None.
    """

    def __init__(self, kinds: KindBase | None = None) -> None:
        self.kinds = kinds or load_kinds()
        self._cache: dict[str, Kind | None] = {}

    def kind(self, name: str | None, given: str | None = None) -> Kind | None:
        """The kind of a thing by its kind word (``dish_towel``) or its name (``Pot_1``)."""
        for key in (given, name):
            if not key:
                continue
            if key not in self._cache:
                r = self.kinds.resolve(key, meaning=False)
                self._cache[key] = r.kind
            if self._cache[key] is not None:
                return self._cache[key]
        return None

    def _has(self, name: str | None, *props: str, given: str | None = None) -> bool:
        k = self.kind(name, given)
        return k is not None and any(p in k.props for p in props)

    def predict(self, ctx: SafetyContext) -> BelievedHome:
        """The believed home after ``ctx``'s step."""
        home = BelievedHome.from_context(ctx)
        a = ctx.args
        obj, target = a.get("object"), a.get("target")
        if ctx.skill in ("place", "load") and obj and target:
            rel = str(a.get("relation", "in" if ctx.skill == "load" else "on"))
            home.facts = {
                f for f in home.facts if not (f[0] in ("on", "in") and f[1][:1] == (obj,))
            }
            home.facts.add((rel if rel in ("on", "in") else "on", (str(obj), str(target))))
            home.held = None
        elif ctx.skill == "toggle" and target:
            state = str(a.get("state", "on"))
            home.facts = {
                f for f in home.facts if f[1] != (str(target),) or not f[0].startswith("switched_")
            }
            home.facts.add((f"switched_{state}", (str(target),)))
        elif ctx.skill == "pick" and obj:
            # Picked up: it leaves where it was (a fork taken out of a microwave).
            home.facts = {
                f for f in home.facts if not (f[0] in ("on", "in") and f[1][:1] == (str(obj),))
            }
            home.held = str(obj)
        elif ctx.skill == "open" and target:
            home.facts.add(("open", (str(target),)))
        elif ctx.skill == "fill" and obj:
            home.facts.add(("filled", (str(obj),)))
        elif ctx.skill == "navigate" and target:
            home.facts = {f for f in home.facts if f[0] != "near"}
            home.facts.add(("near", (str(target),)))
        return home

    def findings(self, ctx: SafetyContext) -> list[_Found]:
        """The hazards the step would leave (each once), strictest first."""
        after = self.predict(ctx)
        out = list(self._judge(ctx, after))
        seen: dict[str, _Found] = {}
        for f in out:
            if f.rule not in seen or f.verdict == "deny":
                seen[f.rule] = f
        return sorted(seen.values(), key=lambda f: f.verdict != "deny")

    def check(self, ctx: SafetyContext) -> SafetyVerdict:
        """Verdict for the step: the predicted hazards merged (deny beats confirm)."""
        v = SafetyVerdict()
        for f in self.findings(ctx):
            v = v.merge(
                SafetyVerdict(verdict=Verdict(f.verdict), reasons=[f.reason], rules=[f.rule])
            )
        return v

    # -- hazards of the predicted state ----------------------------------------------------

    def _judge(self, ctx: SafetyContext, after: BelievedHome) -> Iterable[_Found]:
        a = ctx.args
        obj = str(a.get("object")) if a.get("object") else None
        target = str(a.get("target")) if a.get("target") else None
        ok = ctx.object_kind
        tk = ctx.target_kind
        on = {x[0] for p, x in after.facts if p == "switched_on" and x}
        # A microwave that runs with something that must not be in it.
        for m in on:
            if self._is(m, "microwave"):
                for thing in after.inside(m):
                    given = ok if thing == obj else None
                    if self._has(thing, "metal", "microwave_unsafe", "sealed", "fuel", given=given):
                        yield _Found(
                            "la:microwave-unsafe",
                            "deny",
                            f"The {_w(thing)} must not be in the {_w(m)} while it runs: "
                            "it sparks, bursts or burns.",
                        )
        if (
            ctx.skill in ("place", "load")
            and target
            and obj
            and self._is(target, "microwave", given=tk)
        ) and self._has(obj, "metal", "microwave_unsafe", "sealed", given=ok):
            yield _Found(
                "la:microwave-unsafe",
                "deny" if target in on else "confirm",
                f"The {_w(obj)} must not go in the {_w(target)}: in a running "
                "microwave it sparks or bursts.",
            )
        # Liquid and electrics.
        running_water = {m for m in on if self._has(m, "water_place", "water_source")}
        if ctx.skill in ("place", "load") and obj and target:
            if self._has(obj, "electrical", given=ok) and not self._has(
                obj, "takes_liquid", given=ok
            ):
                if target in running_water or (
                    self._has(target, "water_place", given=tk) and after.holds("filled", target)
                ):
                    yield _Found(
                        "la:electrical-in-water",
                        "deny",
                        f"The {_w(obj)} is electrical; in the running {_w(target)} it "
                        "can cause a shock.",
                    )
                elif self._has(target, "water_place", given=tk):
                    yield _Found(
                        "la:electrical-in-water",
                        "confirm",
                        f"The {_w(obj)} is electrical; the {_w(target)} may have water in it.",
                    )
            if (
                (after.holds("filled", obj) or self._has(obj, "liquid", given=ok))
                and self._has(target, "electrical", given=tk)
                and not self._has(target, "takes_liquid", "heat_source", given=tk)
                # milk in the fridge: food and drink are kept in there (not on top)
                and not (
                    self._has(obj, "food", "drink_container", given=ok)
                    and self._has(target, "food_place", given=tk)
                    and str(a.get("relation", "in" if ctx.skill == "load" else "on")) == "in"
                )
            ):
                yield _Found(
                    "la:liquid-over-electrical",
                    "confirm",
                    f"The {_w(obj)} holds liquid and the {_w(target)} is electrical: "
                    "a spill can cause a shock.",
                )
        if (
            ctx.skill == "pour"
            and target
            and self._has(target, "electrical", given=tk)
            and not (self._has(target, "takes_liquid", given=tk))
        ):
            yield _Found(
                "la:liquid-on-electrical",
                "deny",
                f"The {_w(target)} is electrical; pouring liquid on it can cause a "
                "shock or a fire.",
            )
        if ctx.skill == "toggle" and target in running_water:
            for thing in after.inside(target):
                if self._has(thing, "electrical"):
                    yield _Found(
                        "la:electrical-in-water",
                        "deny",
                        f"The {_w(thing)} is electrical and in the {_w(target)}; running "
                        "water on it can cause a shock.",
                    )
        # Heat: flammables on it, empty cookware, a dry kettle, nobody home.
        hot = {m for m in on if self._has(m, "heat_source")}
        for h in hot:
            for thing in after.inside(h):
                given = ok if thing == obj else None
                if self._dried_in(thing, h, given):
                    continue  # clothes and towels in a tumble dryer: what it is for
                if self._has(thing, "flammable", given=given) and not self._has(
                    thing, "heat_source", given=given
                ):
                    yield _Found(
                        "la:flammable-on-heat",
                        "deny",
                        f"The {_w(thing)} is flammable and the {_w(h)} is on: it can catch fire.",
                    )
        if ctx.skill == "toggle" and target in hot:
            things = after.inside(target)
            if (
                self._is(target, "kettle", given=tk)
                and not after.holds("filled", target)
                and (not things)
            ):
                yield _Found(
                    "la:dry-kettle",
                    "confirm",
                    f"The {_w(target)} may be empty; boiled dry it can burn out.",
                )
            for thing in things:
                if self._is(thing, "cookware") and after.holds("empty", thing):
                    yield _Found(
                        "la:empty-pot-on-heat",
                        "confirm",
                        f"The {_w(thing)} is empty on the {_w(target)}; heated empty it overheats.",
                    )
        if hot and not after.people_home and ctx.skill == "navigate" and target not in hot:
            h = sorted(hot)[0]
            yield _Found(
                "la:heat-left-on",
                "confirm",
                f"The {_w(h)} would be left on with nobody home while I go to the "
                f"{_w(target)}; heat left alone can start a fire.",
            )
        # A child near what the step leaves out.
        kids = after.children | (set(ctx.children()) & set(ctx.people_near_robot))
        if kids and ctx.skill in ("place", "load") and obj and target:
            low = (
                self._has(target, *_LOW_PROPS, given=tk)
                or str(ctx.extra.get("target_height", "")) == "low"
            )
            if low and self._has(
                obj, "sharp", "chemical", "medicine", "choking", "hot", "strangling", given=ok
            ):
                kid = sorted(kids)[0]
                yield _Found(
                    "la:child-reach",
                    "confirm",
                    f"{kid} is around and the {_w(obj)} on the {_w(target)} would be "
                    "within a child's reach.",
                )
        if (
            kids
            and ctx.skill == "open"
            and target
            and self._has(target, "medicine", given=tk)
            or (kids and ctx.skill == "open" and target and "clean" in target)
        ):
            yield _Found(
                "la:child-reach",
                "confirm",
                f"A child is around; the open {_w(target)} puts what is inside within reach.",
            )
        # Pets and open outside doors.
        if (
            after.pets
            and ctx.skill == "open"
            and target
            and self._is(target, "door")
            and ("front" in target or "back" in target or "garden" in target)
        ):
            yield _Found(
                "la:pet-door",
                "confirm",
                f"A pet is home and could run out of the open {_w(target)}.",
            )

    def _dried_in(self, thing: str, place: str, given: str | None) -> bool:
        """Cloth in an appliance made to dry cloth, with no oil or fuel named on it."""
        k = self.kind(thing, given)
        return (
            self._has(place, "dries_cloth")
            and k is not None
            and k.is_a("cloth")
            and not any(w in thing.lower() for w in ("oil", "grease", "petrol", "fuel"))
        )

    def _is(self, name: str, kind: str, given: str | None = None) -> bool:
        k = self.kind(name, given)
        return k is not None and k.is_a(kind)


def _w(name: str) -> str:
    return name.replace("_", " ")
