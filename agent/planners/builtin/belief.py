"""What the robot believes while the built-in planner thinks a few steps ahead.

:class:`Belief` is built from a :class:`~agent.planners.base.PlanContext` (memory and the
latest observation) plus the task's history (steps done, steps that failed). The planner
scores candidate subtasks against it, and after choosing one it *imagines* the step's
effects (the skill registry's add/delete effects) to score the next, so one call can plan a
few steps without pretending to see anything new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from housemind.agent.planners.base import FixtureInfo, PlanContext, Subtask
from housemind.agent.planners.validate import _derived, believed_facts
from housemind.skills.spec import SkillRegistry
from housemind.skills.types import parse_atom

__all__ = ["Belief", "step_key"]


def step_key(skill: str, args: dict[str, object]) -> str:
    """A canonical string for a step (``pick(object=mug)``), to count repeats."""
    return f"{skill}(" + ",".join(f"{k}={args[k]}" for k in sorted(args)) + ")"


@dataclass
class Belief:
    """The planner's working copy of the world as the robot believes it.

    Attributes:
        facts: Believed facts (observation facts, remembered placements, hand state).
        held: The object in the gripper, if any.
        places: Believed place (fixture or room) of each known object not in the gripper.
        kinds: Kind of each known object.
        fixtures: The home's fixtures.
        rooms: The home's rooms.
        robot_room: Room the robot was in when the context was built.
        search: Search candidates from memory (word or object -> places, best first).
        done: Steps done in this task so far (real ones, then imagined ones).
        failed: Keys (:func:`step_key`) of steps that failed in this task, with counts.
        visited: Places the robot drove to in this task.
        people: The people at home (the presence sensor), whom it can go and speak to.
        homes: Where the household said things belong (object name or kind -> fixture;
            memory's ``belongs_on`` preferences, :attr:`PlanContext.home_places`).
        pets: The household's pets, name -> kind (:attr:`PlanContext.pets`).
        held_from: Where the held object was before it was picked up, if known
            (:attr:`PlanContext.held_from`; an imagined pick sets it too).
    """

    facts: set[str]
    held: str | None
    places: dict[str, str]
    kinds: dict[str, str]
    fixtures: dict[str, FixtureInfo]
    rooms: list[str]
    robot_room: str = ""
    search: dict[str, list[str]] = field(default_factory=dict)
    done: list[Subtask] = field(default_factory=list)
    failed: Counter[str] = field(default_factory=Counter)
    visited: set[str] = field(default_factory=set)
    people: list[str] = field(default_factory=list)
    homes: dict[str, str] = field(default_factory=dict)
    pets: dict[str, str] = field(default_factory=dict)
    held_from: str | None = None
    _derived_cache: set[str] | None = field(default=None, repr=False)

    @classmethod
    def from_context(
        cls,
        context: PlanContext,
        *,
        done: list[Subtask] | None = None,
        failed: list[Subtask] | None = None,
    ) -> Belief:
        """Build the belief from a plan context and the task's history."""
        facts = believed_facts(context)
        kinds = dict(context.object_kinds)
        if context.held and context.held not in kinds:
            kinds[context.held] = context.held.rstrip("_0123456789") or context.held
        places = {o: p for o, p in context.object_places.items() if o != context.held}
        done = list(done or [])
        return cls(
            facts=facts,
            held=context.held,
            places=places,
            kinds=kinds,
            fixtures=dict(context.fixtures),
            rooms=list(context.rooms),
            robot_room=context.robot_room,
            search=dict(context.search_candidates),
            done=done,
            failed=Counter(step_key(s.skill, s.args) for s in failed or []),
            visited={str(s.args.get("target")) for s in done if s.skill == "navigate"},
            people=list(context.people_home),
            homes=dict(context.home_places),
            pets=dict(context.pets),
            held_from=context.held_from if context.held else None,
        )

    # -- questions ----------------------------------------------------------------------

    def derived(self) -> set[str]:
        """Believed facts plus reach through fixtures (see ``validate``), cached."""
        if self._derived_cache is None:
            self._derived_cache = _derived(self.facts)
        return self._derived_cache

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a fixture, a room, a person at home or a known object."""
        return (
            name in self.fixtures
            or name in self.rooms
            or name in self.people
            or name == self.held
            or name in self.places
        )

    def is_object(self, name: str) -> bool:
        """Whether ``name`` is a known movable object (located or held)."""
        return name == self.held or name in self.places

    def relation(self, obj: str) -> str | None:
        """``in`` or ``on``: how ``obj`` rests at its believed place (None on a floor)."""
        place = self.places.get(obj)
        if place is None:
            return None
        if f"in({obj},{place})" in self.facts:
            return "in"
        if f"on({obj},{place})" in self.facts:
            return "on"
        fx = self.fixtures.get(place)
        if fx is None:
            return None
        return "in" if fx.container and not fx.surface else "on"

    def room_of(self, name: str) -> str | None:
        """The room a fixture, object or room is in (None if unknown)."""
        if name in self.rooms:
            return name
        if name in self.fixtures:
            return self.fixtures[name].room
        place = self.places.get(name)
        if place is None:
            return None
        return self.room_of(place) if place != name else None

    def kind_of(self, name: str) -> str:
        """The kind of a known object or fixture (the name itself for a room)."""
        if name in self.fixtures:
            return self.fixtures[name].kind
        return self.kinds.get(name, name)

    def told_home(self, obj: str) -> str | None:
        """The fixture the household said ``obj`` (or its kind) belongs on or in, if any."""
        home = self.homes.get(obj) or self.homes.get(self.kind_of(obj))
        return home if home in self.fixtures else None

    def is_open(self, fixture: str) -> bool | None:
        """True/False when the fixture's door state is believed, None when unknown."""
        if f"open({fixture})" in self.facts:
            return True
        if f"closed({fixture})" in self.facts:
            return False
        return None

    def enclosed(self, obj: str) -> bool:
        """Whether ``obj`` is believed inside a closed fixture (out of reach until opened)."""
        place = self.places.get(obj)
        if place is None or place not in self.fixtures:
            return False
        return self.relation(obj) == "in" and self.is_open(place) is False

    def reachable(self, name: str) -> bool:
        """Whether driving to ``name`` would put it within reach."""
        if name in self.fixtures or name in self.rooms or name in self.people:
            return True
        return name in self.places and not self.enclosed(name)

    def objects_at(self, place: str) -> list[str]:
        """Known objects believed at ``place`` (a fixture or a room's floor)."""
        return sorted(o for o, p in self.places.items() if p == place)

    # -- imagining ----------------------------------------------------------------------

    def apply(self, step: Subtask, registry: SkillRegistry) -> None:
        """Imagine ``step`` succeeded: apply its effects and remember it as done."""
        sk = registry.bind(step.skill, step.args)
        for d in sk.del_effects():
            if "*" in d:
                self.facts.difference_update({f for f in self.facts if fnmatchcase(f, d)})
            else:
                self.facts.discard(d)
        adds = sk.add_effects()
        self.facts.update(adds)
        for f in adds:
            pred, args = parse_atom(f)
            if pred == "holding" and args:
                self.held = args[0]
                self.held_from = self.places.pop(args[0], None)
            elif pred in ("in", "on") and len(args) == 2:
                self.places[args[0]] = args[1]
                if self.held == args[0]:
                    self.held = self.held_from = None
            elif pred == "hand_empty":
                self.held = self.held_from = None
        if self.held is not None:
            self.facts.discard("hand_empty")
        if step.skill == "navigate":
            self.visited.add(str(step.args.get("target")))
        self.done.append(step)
        self._derived_cache = None

    def copy(self) -> Belief:
        """A copy to imagine on without touching this one."""
        return Belief(
            facts=set(self.facts),
            held=self.held,
            places=dict(self.places),
            kinds=dict(self.kinds),
            fixtures=self.fixtures,
            rooms=self.rooms,
            robot_room=self.robot_room,
            search=self.search,
            done=list(self.done),
            failed=Counter(self.failed),
            visited=set(self.visited),
            people=self.people,
            homes=self.homes,
            pets=self.pets,
            held_from=self.held_from,
        )
