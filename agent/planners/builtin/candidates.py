"""Candidate next subtasks and their affordance.

The built-in planner chooses among *candidates*: every registered skill bound to things the
robot knows (objects it has seen, the home's fixtures, the object in its gripper), plus
``explore`` (drive to a room not visited in this task, to look around: on the way and
in the room the robot sees everything not shut away, so rooms, not single pieces of
furniture, are what it searches) and ``done``. Each candidate carries its
**affordance**, SayCan-style: how feasible it is now, from the skill registry's
preconditions over the believed facts (the same facts and reach rule as
``validate_plan``):

- the preconditions hold: affordance 1;
- they can be made to hold by driving there (the only missing fact is ``near(x)`` and
  ``x`` is reachable): the candidate's steps start with ``navigate(x)``, affordance
  ``navigate_affordance``;
- anything else (an empty hand needed while holding something, a closed door in the way,
  an object believed inside a closed cupboard) or a step whose effects all hold already:
  affordance 0, and the candidate is dropped.

A step that failed earlier in the task keeps a reduced affordance, so the planner tries
something else before repeating it; so does a step already done in this task (switching
the stove on again after switching it off): the experts never repeat a step, and the
factor keeps an uncertain planner from going round in circles. ``done`` while the robot
holds something keeps a small affordance: a chore does not end with a thing in the hand.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from housemind.agent.planners.base import Subtask
from housemind.agent.planners.builtin.belief import Belief, step_key
from housemind.skills.spec import SkillRegistry, SkillSpec
from housemind.skills.types import parse_atom

__all__ = [
    "ARG_DOMAINS",
    "Candidate",
    "CandidateKind",
    "EMPTY_HOB_FACTOR",
    "NEGATED_PLACE_FACTOR",
    "SAY_FROM_GOAL",
    "affordance",
    "away_from_home",
    "enumerate_candidates",
    "hob_kinds",
    "negated_places",
    "puts_into",
    "puts_straight_back",
    "message_from_goal",
    "unnamed_siblings",
    "spoken",
    "stows_unpoured",
]

CandidateKind = Literal["act", "explore", "done"]


@dataclass(frozen=True)
class Candidate:
    """One possible next subtask.

    Attributes:
        kind: ``act`` (a skill), ``explore`` (drive somewhere to look) or ``done``.
        skill: The skill of the step (``navigate`` for explore, empty for done).
        args: The step's arguments.
        obj: The movable object the step handles, if any (for features).
        target: The place or thing the step acts on or goes to, if any.
        value: An option of the step (``on``/``off`` of a switch), if any.
        steps: What to dispatch: the navigation that makes it feasible, then the step.
        affordance: Feasibility now, 0-1 (see the module docstring).
        needs_navigation: Whether ``steps`` starts with driving there.
    """

    kind: CandidateKind
    skill: str = ""
    args: tuple[tuple[str, str], ...] = ()
    obj: str | None = None
    target: str | None = None
    value: str | None = None
    steps: tuple[Subtask, ...] = field(default=(), compare=False)
    affordance: float = field(default=1.0, compare=False)
    needs_navigation: bool = field(default=False, compare=False)

    @property
    def key(self) -> str:
        """Canonical form (``pick(object=mug)``, ``explore(target=kitchen)``, ``done``)."""
        if self.kind == "done":
            return "done"
        name = "explore" if self.kind == "explore" else self.skill
        return step_key(name, dict(self.args))

    @property
    def label(self) -> str:
        """The name the model scores this candidate under (a skill, explore or done)."""
        return self.skill if self.kind == "act" else self.kind


#: What each built-in skill's arguments range over. ``held``: the object in the gripper;
#: ``objects``: known objects not held; ``contents``: known objects believed in the
#: ``target`` fixture; fixture domains by their flags (``openable``, ``switchable``,
#: ``faucet`` = switchable container, ``surface``, ``placeable`` = surface or container,
#: ``appliance`` = openable container); ``pour_target``: known objects and container
#: fixtures; ``relation``: ``in`` for a container fixture, else ``on``; ``atop``: known
#: objects believed at the ``target`` fixture (a pot on the stove); ``rooms``: the
#: home's rooms; ``people``: the people at home; ``said``: what to say comes from the goal's
#: words when the step is dispatched (:func:`message_from_goal`), so a candidate only
#: chooses whom to speak to. A third-party
#: skill gets ``objects`` for parameters named like objects and ``things`` (fixtures and
#: objects) for the rest; its preconditions still decide affordance.
ARG_DOMAINS: dict[str, dict[str, str]] = {
    "pick": {"object": "objects"},
    "place": {"object": "held", "target": "placeable", "relation": "relation"},
    "open": {"target": "openable"},
    "close": {"target": "openable"},
    "toggle": {"target": "switchable"},
    "fill": {"object": "held", "target": "faucet"},
    "wash": {"object": "held", "target": "faucet"},
    "pour": {"object": "held", "target": "pour_target"},
    "wipe": {"tool": "held", "target": "surface"},
    "load": {"object": "held", "target": "appliance"},
    "unload": {"target": "appliance", "object": "contents"},
    "fold": {"object": "held", "target": "surface"},
    "vacuum": {"target": "rooms"},
    "cook": {"target": "switchable", "object": "atop"},
    "say": {"person": "people", "message": "said"},
}

#: The ``message`` of a ``say`` candidate: filled from the goal when dispatched.
SAY_FROM_GOAL = ""

_MESSAGE_START = re.compile(r"\b(?:to|that|about|of)\s+", re.IGNORECASE)
_FORGET = re.compile(r"^(?:not\s+)?forget\s+(?:to\s+)?", re.IGNORECASE)


def message_from_goal(goal: str, person: str) -> str:
    """What to tell ``person``: the goal's words after their name ("remind alex to X" -> X).

    The words after the first "to", "that", "about" or "of" that follows the name (the
    whole rest when there is none; a leading "forget to" dropped); the whole goal when
    the name is not in it.
    """
    text = " ".join(goal.split())
    name = person.replace("_", " ")
    m = re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)
    if m is None:
        return text
    rest = text[m.end() :].strip(" ,.:;")
    start = _MESSAGE_START.search(rest)
    said = rest[start.end() :] if start else rest
    said = _FORGET.sub("", said)  # "not to forget to call" -> "call"
    return said.strip(" ,.:;") or text


def spoken(step: Subtask, goal: str) -> Subtask:
    """``step`` ready to dispatch: a ``say`` candidate gets its words from the goal."""
    if step.skill != "say" or step.args.get("message") != SAY_FROM_GOAL:
        return step
    person = str(step.args.get("person", ""))
    message = f"reminder: {message_from_goal(goal, person)}"
    return Subtask(skill="say", args={**step.args, "message": message})


_OBJECT_PARAMS = ("object", "obj", "item", "thing", "tool")
_SKIP_SKILLS = ("navigate",)  # navigation is how candidates are reached, or explore


def _fixtures(b: Belief, domain: str) -> list[str]:
    out = []
    for name, fx in b.fixtures.items():
        ok = {
            "openable": fx.openable,
            "switchable": fx.switchable,
            "faucet": fx.switchable and fx.container,
            "surface": fx.surface,
            "placeable": fx.surface or fx.container,
            "appliance": fx.openable and fx.container,
            "pour_target": fx.container,
        }.get(domain, True)
        if ok:
            out.append(name)
    return sorted(out)


def _domain(b: Belief, domain: str, bound: dict[str, str]) -> list[str]:
    if domain == "held":
        return [b.held] if b.held else []
    if domain == "objects":
        return sorted(b.places)
    if domain == "contents":
        target = bound.get("target")
        return [o for o in b.objects_at(target) if b.relation(o) == "in"] if target else []
    if domain == "relation":
        fx = b.fixtures.get(bound.get("target", ""))
        if fx is None:
            return []
        return ["in" if fx.container and not fx.surface else "on"]
    if domain == "pour_target":
        return sorted(b.places) + _fixtures(b, domain)
    if domain == "things":
        return sorted(b.places) + sorted(b.fixtures)
    if domain == "atop":
        target = bound.get("target")
        return b.objects_at(target) if target else []
    if domain == "rooms":
        return sorted(b.rooms)
    if domain == "people":
        return sorted(b.people)
    if domain == "said":
        return [SAY_FROM_GOAL]
    return _fixtures(b, domain)


def _literal_values(spec: SkillSpec, param: str) -> list[str] | None:
    info = spec.params.model_fields.get(param)
    if info is None:
        return None
    ann = info.annotation
    if typing.get_origin(ann) is Literal:
        return [str(v) for v in typing.get_args(ann)]
    return None


def _domains_for(spec: SkillSpec) -> dict[str, str]:
    if spec.name in ARG_DOMAINS:
        return ARG_DOMAINS[spec.name]
    out = {}
    holding = {
        parse_atom(p)[1][0].strip("{}")
        for p in spec.preconditions
        if p.startswith("holding(") and parse_atom(p)[1]
    }
    for param in spec.params.model_fields:
        if param in holding:
            out[param] = "held"
        elif _literal_values(spec, param) is not None:
            out[param] = "literal"
        elif param in _OBJECT_PARAMS:
            out[param] = "objects"
        else:
            out[param] = "things"
    return out


def _bindings(b: Belief, spec: SkillSpec) -> list[dict[str, str]]:
    """Every assignment of the skill's arguments from their domains."""
    combos: list[dict[str, str]] = [{}]
    domains = _domains_for(spec)
    params = list(domains)
    # Literal-typed parameters without a domain (toggle's state) are enumerated too.
    for p in spec.params.model_fields:
        if p not in domains and _literal_values(spec, p) is not None:
            params.append(p)
    for p in params:
        dom = domains.get(p, "literal")
        nxt = []
        for c in combos:
            values = _literal_values(spec, p) or [] if dom == "literal" else _domain(b, dom, c)
            nxt.extend({**c, p: v} for v in values)
        combos = nxt
        if not combos:
            break
    return combos


#: Affordance factor of switching a hob on with nothing believed on it.
EMPTY_HOB_FACTOR = 0.05


#: Affordance kept by putting something where the goal says not to ("don't put it back
#: in the fridge; it goes in the recycling bin").
NEGATED_PLACE_FACTOR = 0.001
#: Skills that put a thing somewhere (their ``target`` is where).
_PUTTING = frozenset({"place", "load", "add", "pour"})
_NEGATED = re.compile(
    r"(?:\b(?:don'?t|do not|never)\s+(?:\w+\s+){0,5}?|(?:,|\bbut)\s*not\s+(?:back\s+)?)"
    r"(?:in|into|inside|on|onto)\s+(?:the\s+|my\s+|a\s+)?"
    r"(?P<place>[a-z][a-z _]*?)(?=\s*(?:[,;.!?]|\bbut\b|\band\b|\bit\b|$))",
    re.IGNORECASE,
)
_NOT_A_BAN = re.compile(r"\b(?:don'?t|do not|never)\s+(?:forget|worry|mind|let)\b", re.I)


def puts_into(c: Candidate) -> str | None:
    """Where a candidate puts a thing (``place``, ``load``, ``add``, ``pour``), if it does."""
    return c.target if c.kind == "act" and c.skill in _PUTTING else None


def negated_places(goal: str, places: Iterable[str]) -> frozenset[str]:
    """Places the goal says a thing must not go: "don't put it back in the fridge".

    Only what a negation says directly ("don't put it in the X", "never leave it on the
    X", "..., not on the X"); "don't forget to put it in the fridge" and "the milk's not in
    the fridge" ban nothing.

    Args:
        goal: The goal as said.
        places: The home's fixture names (``kitchen_sink``).
    """
    text = _NOT_A_BAN.sub(" ", goal.lower().replace("\u2019", "'"))
    said = {m.group("place").strip() for m in _NEGATED.finditer(text)}
    if not said:
        return frozenset()
    out = set()
    for p in places:
        name = p.replace("_", " ").lower()
        if any(s == name or s.endswith(" " + name) or s.startswith(name) for s in said):
            out.add(p)
    return frozenset(out)


def unnamed_siblings(named: Iterable[str], b: Belief) -> frozenset[str]:
    """Fixtures the goal passes over by naming another of their kind.

    "Put the toys in the toy box" in a home with ``toy_box`` and ``toy_box_2`` means the
    one it names, even where the household keeps some of the toys in the other: a fixture
    of a kind the goal names by another fixture's exact name is not a place to put things,
    unless the goal names it too or names its room ("the toy box in the kids' room").

    Args:
        named: The names the goal says exactly (fixtures, rooms, objects).
        b: The belief (fixtures, their kinds and rooms).
    """
    named = set(named)
    kinds = {b.fixtures[n].kind for n in named if n in b.fixtures}
    if not kinds:
        return frozenset()
    return frozenset(
        name
        for name, fx in b.fixtures.items()
        if fx.kind in kinds and name not in named and fx.room not in named
    )


def away_from_home(c: Candidate, b: Belief, named: Collection[str]) -> bool:
    """Whether a candidate stows a thing in a closed store other than the one it belongs in.

    "The knife goes in the drawer": with a cabinet left open beside it, putting the knife
    away still means the drawer. A ``place`` into an openable fixture where the household
    keeps other things (some thing's told home, so a store, not a bin or an appliance) is
    passed over when the thing has a told home elsewhere, unless the goal names that
    fixture or its room ("put the knife in the cabinet" is a person's word).

    Args:
        c: The candidate.
        b: The belief (told homes, fixtures).
        named: Fixtures and rooms the goal names, exactly or by meaning.
    """
    if c.kind != "act" or c.skill != "place" or c.obj is None or c.target is None:
        return False
    home = b.told_home(c.obj)
    fx = b.fixtures.get(c.target)
    if home is None or home == c.target or fx is None or not fx.openable:
        return False
    if c.target in named or fx.room in named:
        return False
    return c.target in b.homes.values()


def puts_straight_back(c: Candidate, b: Belief, named: Collection[str]) -> bool:
    """Whether a candidate puts a thing the goal names straight back where it was taken from.

    "The milk is all gone, recycle it in the recycling bin": taken out of the fridge, the
    milk does not go back in. A thing the goal names, picked up by the last step that was
    not driving, is not put back on or in the place it came from (``Belief.held_from``);
    nothing was done with it. A thing the goal does not name (picked up by mistake) may
    go back.

    Args:
        c: The candidate.
        b: The belief (what is held, where it came from, the steps done).
        named: What the goal names exactly.
    """
    if c.kind != "act" or c.skill not in ("place", "load") or c.obj is None:
        return False
    if c.obj != b.held or b.held_from is None or c.target != b.held_from:
        return False
    if c.obj not in named:
        return False
    last = next((s for s in reversed(b.done) if s.skill != "navigate"), None)
    return (
        last is not None and last.skill in ("pick", "unload") and last.args.get("object") == c.obj
    )


def stows_unpoured(c: Candidate, b: Belief) -> bool:
    """Whether a candidate shuts away a container this task filled and has not emptied.

    "Give the plant 2 a drink and put the watering can away after": with the can filled
    and the plant not found yet, the can does not go back in the cupboard full; water
    drawn in a chore is for the chore. A ``place`` into an openable fixture of a thing
    this task filled (a ``fill`` step) and still believed ``filled`` (not yet watered
    from or poured out) is passed over.
    """
    if c.kind != "act" or c.skill != "place" or c.obj is None or c.obj != b.held:
        return False
    fx = b.fixtures.get(c.target or "")
    if fx is None or not fx.openable or f"filled({c.obj})" not in b.derived():
        return False
    return any(s.skill == "fill" and s.args.get("object") == c.obj for s in b.done)


@lru_cache(maxsize=1)
def hob_kinds() -> frozenset[str]:
    """Heaters switched on only with something on them: the safety rule book's ``hobs``.

    Read from the rule book, so the planner avoids what the monitor's ``hob-on-empty``
    rule asks about, with one list of kinds for both.
    """
    from housemind.safety.rulebook import load_rulebook

    return frozenset(load_rulebook().groups.get("hobs", ()))


def affordance(
    b: Belief,
    registry: SkillRegistry,
    skill: str,
    args: dict[str, Any],
    *,
    navigate_affordance: float = 0.9,
    failed_factor: float = 0.3,
    repeat_factor: float = 0.1,
) -> tuple[float, str | None]:
    """Feasibility of one step now, and where to drive first (see the module docstring).

    Returns:
        ``(affordance, navigate_to)``: ``navigate_to`` is None when no driving is needed.
    """
    try:
        sk = registry.bind(skill, args)
    except (KeyError, ValueError):
        return 0.0, None
    facts = b.derived()
    adds = sk.add_effects()
    if adds and all(f in facts for f in adds):
        return 0.0, None  # nothing would change
    pre = list(sk.preconditions())
    # Household physics the registry does not spell out: nothing goes into, or comes out
    # of, a closed container; a step that needs an open door waits for an open step.
    if skill in ("place", "load") and args.get("relation", "in") == "in":
        target = str(args.get("target", ""))
        fx = b.fixtures.get(target)
        if fx is not None and fx.openable and fx.container:
            pre.append(f"open({target})")
    # Reach through a fixture (near the table, so near the mug on it), or an object seen
    # within a metre, is what the validator accepts; but a long sofa, a crowded counter or
    # a bed in the way can leave the thing out of the arm's reach. Handling an object
    # needs the robot to have driven to the object itself, as HomeSim's experts do.
    last = b.done[-1] if b.done else None
    direct = {
        p
        for p in pre
        if p.startswith("near(")
        and b.is_object(parse_atom(p)[1][0])
        and not (
            last is not None
            and last.skill == "navigate"
            and last.args.get("target") == parse_atom(p)[1][0]
        )
    }
    # A negative precondition (``not closed(sink)``) holds when its fact is not believed.
    missing = [
        p
        for p in pre
        if (p[4:] in facts if p.startswith("not ") else p not in facts) or p in direct
    ]
    nav: str | None = None
    if missing:
        if len(missing) != 1 or not missing[0].startswith("near("):
            return 0.0, None
        place = parse_atom(missing[0])[1][0]
        if not b.reachable(place) or place == b.held:
            return 0.0, None
        nav = place
    value = navigate_affordance if nav else 1.0
    if skill == "toggle" and args.get("state") == "on":
        fx = b.fixtures.get(str(args.get("target", "")))
        if fx is not None and fx.kind in hob_kinds() and not b.objects_at(fx.name):
            # A hob switched on with nothing on it is a fire risk the safety monitor asks
            # about; the pot goes on first.
            value *= EMPTY_HOB_FACTOR
    key = step_key(skill, dict(sk.args))
    fails = b.failed.get(key, 0)
    repeats = sum(step_key(s.skill, s.args) == key for s in b.done)
    return value * (failed_factor**fails) * (repeat_factor**repeats), nav


def _role(spec_name: str, args: dict[str, str], b: Belief) -> tuple[str | None, str | None]:
    obj = args.get("object") or args.get("tool")
    target = args.get("target") or args.get("person")
    if spec_name not in ARG_DOMAINS:
        objs = [v for v in args.values() if b.is_object(v)]
        others = [v for v in args.values() if v in b.fixtures or v in b.rooms]
        obj = obj or (objs[0] if objs else None)
        target = target or (others[0] if others else None)
    return obj, target


def enumerate_candidates(
    b: Belief,
    registry: SkillRegistry,
    *,
    navigate_affordance: float = 0.9,
    failed_factor: float = 0.3,
    repeat_factor: float = 0.1,
    held_done_factor: float = 0.1,
    max_per_skill: int = 400,
) -> list[Candidate]:
    """All feasible candidates (affordance > 0) for the belief, ``done`` last.

    Args:
        b: The belief.
        registry: The skill registry (its preconditions and effects decide affordance).
        navigate_affordance: Affordance of a step that needs driving first.
        failed_factor: Factor on the affordance per earlier failure of the same step.
        repeat_factor: Factor per time the same step was done already in this task.
        held_done_factor: Affordance of ``done`` while the robot holds something: a chore
            does not end with a thing in the gripper (it goes somewhere first).
        max_per_skill: Bound on bindings per skill (a third-party skill over every pair of
            things could otherwise explode).
    """
    out: list[Candidate] = []
    for spec in registry:
        if spec.name in _SKIP_SKILLS:
            continue
        for args in _bindings(b, spec)[:max_per_skill]:
            aff, nav = affordance(
                b,
                registry,
                spec.name,
                args,
                navigate_affordance=navigate_affordance,
                failed_factor=failed_factor,
                repeat_factor=repeat_factor,
            )
            if aff <= 0:
                continue
            steps = []
            if nav is not None:
                steps.append(Subtask(skill="navigate", args={"target": nav}))
            steps.append(Subtask(skill=spec.name, args=dict(args)))
            obj, target = _role(spec.name, args, b)
            value = args.get("state")
            out.append(
                Candidate(
                    kind="act",
                    skill=spec.name,
                    args=tuple(sorted(args.items())),
                    obj=obj,
                    target=target,
                    value=value,
                    steps=tuple(steps),
                    affordance=aff,
                    needs_navigation=nav is not None,
                )
            )
    if "navigate" in registry:
        for room in sorted(b.rooms):
            if room in b.visited:
                continue  # looked there already in this task
            out.append(
                Candidate(
                    kind="explore",
                    skill="navigate",
                    args=(("target", room),),
                    target=room,
                    steps=(Subtask(skill="navigate", args={"target": room}),),
                    affordance=1.0,
                )
            )
    out.append(Candidate(kind="done", affordance=held_done_factor if b.held else 1.0))
    return out
