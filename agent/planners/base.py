"""The planner contract (System 2): goal + context -> a plan of language subtasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

__all__ = [
    "CorrectionNote",
    "FixtureInfo",
    "Plan",
    "PlanContext",
    "Planner",
    "PlanningError",
    "Subtask",
    "get_planner",
    "planner_backends",
    "register_planner",
]


class PlanningError(RuntimeError):
    """The planner cannot make a plan for this goal; the message says why and what to do.

    Attributes:
        fallbacks: Hand-overs between the backends of a chain before it gave up.
    """

    def __init__(self, message: str, *, fallbacks: list[str] | None = None) -> None:
        super().__init__(message)
        self.fallbacks = list(fallbacks or [])


class Subtask(BaseModel):
    """One step for System 1: a registered skill, its arguments, and its language form."""

    skill: str
    args: dict[str, Any] = Field(default_factory=dict)
    text: str = ""


class FixtureInfo(BaseModel):
    """What the planner knows about a piece of furniture or an appliance."""

    name: str
    kind: str
    room: str
    openable: bool = False
    switchable: bool = False
    container: bool = False  # things go "in" it
    surface: bool = False  # things go "on" it


class CorrectionNote(BaseModel):
    """A person's correction of a chore, as a planner sees it.

    Attributes:
        text: The person's words ("no, put it in the top drawer").
        by: Who said it.
        at: When (ISO time, the robot's clock).
        about: The thing it is about, when the runtime knows (what the robot held or had
            just handled when it was said); None for one remembered from an earlier time.
        live: Said during this task (the plan in progress is changed); False for one
            remembered from an earlier time the chore was done.
    """

    text: str
    by: str = ""
    at: str = ""
    about: str | None = None
    live: bool = False


class PlanContext(BaseModel):
    """What a planner may use: memory and the latest perception, never simulator state.

    Attributes:
        now: ISO time of planning.
        robot_room: Room the robot is in.
        held: Object in the gripper, if any.
        held_from: Where memory last saw the held object before it was picked up (the
            fixture or room it was taken from), if known.
        facts: Facts believed true now (observation facts plus remembered ones).
        rooms: Rooms of the home.
        fixtures: Known fixtures by name.
        object_places: Believed place of each known object (fixture or room name).
        object_rooms: Believed room of each known object.
        search_candidates: For an object of unknown or stale location, places to look,
            most likely first.
        home_places: Where each object kind belongs when the home is tidy.
        skills: Names of available skills.
        shopping_list: What the shopping list holds (a shopping chore orders it).
        memories: Short relevant memories (text) for model-based planners.
        images: Camera images (PNG bytes, base64) for vision-language planners.
        corrections: What people said to correct this chore (now, or an earlier time it
            was done), oldest first; every planner follows them (see
            ``agent.planners.corrections``).
        not_trash: Objects (names or kinds) people said are not trash, with who said it
            and when; no plan puts them in a bin.
        told_places: Where people said things are (answers to the robot's questions),
            newest first; a search looks there first.
        people_home: Names of the people at home now (the presence sensor), whom the
            robot can go to and speak to (``navigate`` may take a person as its target).
        pets: The household's pets, name -> kind (``{"rex": "dog"}``), so that "feed rex"
            reads as feeding the pet (see :func:`agent.planners.language.pets_as_pet`).
        unreachable: Things this task tried and failed to pick up, more than once, because
            no spot within reach could be found (see :func:`agent.help.unreachable`); a
            planner leaves them out and does the rest of the chore.
        in_the_way: Of those, the ones a person or pet kept the robot from (the spots
            within reach were taken), each with who and what to do (see
            :func:`agent.help.in_the_way`), for what the person is told.
        in_use: Things this task found in a person's hands (a toy a child is playing
            with, a mug someone is drinking from), each with who has it (see
            :func:`agent.help.in_use`); a planner leaves them out of this chore and does the
            rest, rather than going back for them until its retries run out.
    """

    now: str = ""
    robot_room: str = ""
    held: str | None = None
    held_from: str | None = None
    facts: list[str] = Field(default_factory=list)
    rooms: list[str] = Field(default_factory=list)
    fixtures: dict[str, FixtureInfo] = Field(default_factory=dict)
    object_places: dict[str, str] = Field(default_factory=dict)
    object_rooms: dict[str, str] = Field(default_factory=dict)
    object_kinds: dict[str, str] = Field(default_factory=dict)
    search_candidates: dict[str, list[str]] = Field(default_factory=dict)
    home_places: dict[str, str] = Field(default_factory=dict)
    skills: list[str] = Field(default_factory=list)
    shopping_list: list[str] = Field(default_factory=list)
    memories: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    corrections: list[CorrectionNote] = Field(default_factory=list)
    not_trash: dict[str, str] = Field(default_factory=dict)
    told_places: dict[str, list[str]] = Field(default_factory=dict)

    people_home: list[str] = Field(default_factory=list)
    pets: dict[str, str] = Field(default_factory=dict)
    unreachable: list[str] = Field(default_factory=list)
    in_the_way: dict[str, str] = Field(default_factory=dict)
    in_use: dict[str, str] = Field(default_factory=dict)


class Plan(BaseModel):
    """An ordered list of subtasks for one goal.

    Attributes:
        goal: The goal in words.
        subtasks: Steps to dispatch, in order.
        goal_facts: Facts that hold when the goal is achieved (checked after the plan).
        complete: False when the plan only gets closer (e.g. a search step) and the
            planner must be asked again after it runs.
        checks: Things to look for while carrying out the plan, as ``(object, place)``;
            a missing one is reported (e.g. it goes on the shopping list).
        orders: Items to order from the grocery service once the plan is done (a
            shopping chore; see ``housemind.skills.grocery``).
        estimated_s: Typical robot-clock seconds the subtasks take (0: no estimate; see
            ``housemind.agent.planners.estimate``).
        rationale: Why this plan, for people and logs.
        left_out: What the chore leaves undone or did differently from what was said,
            and why, one sentence each ("leaving the ball: sam is using it", "I can't tell
            the gym clothes from the other clothes: washing all of them"); the task's
            result says them to the person when the chore is done.
        missing: What the chore needs and the home does not have, so nothing was made
            ("make tea" with no tea in the home); the items are among ``checks`` and go on
            the shopping list. The chore ends done, but its run summary does not count it
            on time.
        backend: Which planner made it.
        step_rationales: A short reason per subtask, where the backend gives one (model
            backends do).
        fallbacks: Why earlier backends of a chain did not make this plan, one line per
            hand-over (see :class:`~agent.planners.chain.PlannerChain`).
        usage: What the decision cost: ``latency_s`` and, for model backends, ``calls``,
            ``prompt_tokens``, ``completion_tokens``.
    """

    goal: str
    subtasks: list[Subtask] = Field(default_factory=list)
    goal_facts: list[str] = Field(default_factory=list)
    complete: bool = True
    checks: list[tuple[str, str]] = Field(default_factory=list)
    orders: list[str] = Field(default_factory=list)
    estimated_s: float = 0.0
    rationale: str = ""
    left_out: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    backend: str = ""
    step_rationales: list[str] = Field(default_factory=list)
    fallbacks: list[str] = Field(default_factory=list)
    usage: dict[str, float] = Field(default_factory=dict)


@runtime_checkable
class Planner(Protocol):
    """A System 2 backend."""

    name: str

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """Break ``goal`` into subtasks.

        Raises:
            PlanningError: if the goal cannot be planned (unknown object, unsupported goal).
        """
        ...

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        """Plan again after a failure or a search step, knowing what was done."""
        ...


_PLANNERS: dict[str, Callable[..., Planner]] = {}
# Backends whose module is imported only when first asked for (they import heavy libraries).
_LAZY_BACKENDS = {
    "litellm": "housemind.agent.planners.litellm_planner",
    "transformers": "housemind.agent.planners.transformers_planner",
}


def register_planner(name: str) -> Callable[[Callable[..., Planner]], Callable[..., Planner]]:
    """Register a planner backend factory under ``name`` (decorator)."""

    def deco(factory: Callable[..., Planner]) -> Callable[..., Planner]:
        _PLANNERS[name] = factory
        return factory

    return deco


def planner_backends() -> list[str]:
    """Names of the registered planner backends (and those registered when first used)."""
    return sorted({*_PLANNERS, *_LAZY_BACKENDS})


def get_planner(name: str, *args: Any, **kwargs: Any) -> Planner:
    """Build the planner backend ``name`` (arguments go to its factory).

    Raises:
        KeyError: with the known names, if ``name`` is not registered.
    """
    if name not in _PLANNERS and name in _LAZY_BACKENDS:
        import importlib

        importlib.import_module(_LAZY_BACKENDS[name])
    try:
        factory = _PLANNERS[name]
    except KeyError:
        raise KeyError(
            f"unknown planner {name!r}; registered: {', '.join(planner_backends())}"
        ) from None
    return factory(*args, **kwargs)
