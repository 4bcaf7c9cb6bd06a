"""Skills that run in Meta-World scenes: any benchmark task, and the kitchen station's.

Pure specifications (no MuJoCo here): they are registered on demand with
:func:`register_metaworld_skills` or :func:`register_station_skills` (a :class:`StationHome`
does it when it is built), so plain housemind and its planner never see them.

- ``metaworld_task``: carry out one Meta-World task; its instruction is the task's
  description and it succeeds when the scene reports ``solved(<task slug>)``. This is
  what the benchmark's episodes run through the executor.
- The kitchen station's skills (:data:`STATION_SKILLS`): household-worded Meta-World tasks
  at a kitchen worktop ("press the coffee machine button" is ``coffee-button-v3``). Each
  needs the robot near the station's fixture (``near({station})``) and changes one thing
  at the station, which the station's observation reports (``switched_on(coffee_machine)``,
  ``open(station_drawer)``, ``in(station_plate,station_cabinet)``...).

Names do not clash with the built-in skills: every station skill starts with ``station_``
and the things at the station are named apart from HomeSim's (``station_drawer``, not
``drawer``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import computed_field, field_validator

from housemind.sim.metaworld.tasks import get_task
from housemind.skills.spec import REGISTRY, SkillParams, SkillRegistry, SkillSpec

__all__ = [
    "EPISODE_S",
    "METAWORLD_TASK_SKILL",
    "METAWORLD_TASK_SPEC",
    "STATION_SKILLS",
    "MetaWorldTaskParams",
    "StationSkill",
    "StationSkillParams",
    "register_metaworld_skills",
    "register_station_skills",
    "station_skill",
]

#: Name of the generic skill that runs one Meta-World task.
METAWORLD_TASK_SKILL = "metaworld_task"
#: A Meta-World episode's length in seconds: 500 steps at 80 Hz. Skill timeouts equal it,
#: so the executor never steps a scene past its horizon.
EPISODE_S = 500 / 80.0


class MetaWorldTaskParams(SkillParams):
    """Which Meta-World task to carry out (``task``: a name such as ``drawer-open-v3``)."""

    task: str

    @field_validator("task")
    @classmethod
    def _known(cls, v: str) -> str:
        try:
            return get_task(v).name
        except KeyError as e:
            raise ValueError(str(e)) from None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def instruction(self) -> str:
        """The task's language instruction (its description)."""
        return get_task(self.task).description

    @computed_field  # type: ignore[prop-decorator]
    @property
    def task_slug(self) -> str:
        """The task as an identifier for facts (``drawer_open``)."""
        return get_task(self.task).slug


METAWORLD_TASK_SPEC = SkillSpec(
    name=METAWORLD_TASK_SKILL,
    template="{instruction}",
    params=MetaWorldTaskParams,
    effects=("solved({task_slug})",),
    risk="low",
    timeout_s=EPISODE_S,
    description="Carry out one Meta-World benchmark task at the arm's table.",
)


class StationSkillParams(SkillParams):
    """Where the station is: the home fixture the robot must be near (``station``)."""

    station: str = "counter"


@dataclass(frozen=True)
class StationSkill:
    """A kitchen-station skill: a Meta-World task in household words.

    Attributes:
        name: Skill name (``station_press_coffee_button``).
        task: The Meta-World task that carries it out.
        template: Its instruction ("press the coffee machine button").
        thing: The thing at the station it changes (``coffee_machine``).
        kind: That thing's kind (``coffee_machine``, ``drawer``, ...).
        category: ``fixture`` or ``object``.
        before: Its observable state before success (``{"on": False}``), as in a
            :class:`~skills.types.Detection` state.
        after: Its state once the task is achieved.
        relation_before: Its ``(relation, parent)`` before success, if it rests somewhere.
        relation_after: Its ``(relation, parent)`` once achieved.
        effects: Fact templates for the planner (``{station}`` is the station fixture).
        description: One line for people and model planners.
    """

    name: str
    task: str
    template: str
    thing: str
    kind: str
    effects: tuple[str, ...]
    description: str
    category: str = "fixture"
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    relation_before: tuple[str, str] | None = None
    relation_after: tuple[str, str] | None = None

    def spec(self) -> SkillSpec:
        """The skill's :class:`SkillSpec` (built fresh: equal specs register idempotently)."""
        return SkillSpec(
            name=self.name,
            template=self.template,
            params=StationSkillParams,
            preconditions=("near({station})",),
            effects=self.effects,
            risk="low",
            timeout_s=EPISODE_S,
            description=self.description,
        )

    def state(self, solved: bool) -> tuple[dict[str, Any], tuple[str, str] | None]:
        """The thing's observable state and relation, before or after success."""
        if solved:
            return dict(self.after), self.relation_after
        return dict(self.before), self.relation_before


def _rel(parent: str) -> tuple[str, str]:
    return ("on", parent)


#: The kitchen station's skills, by name. The Meta-World tasks picked are the ones a kitchen
#: worktop has: a coffee machine, a drawer, a faucet and a cabinet for plates.
STATION_SKILLS: dict[str, StationSkill] = {
    s.name: s
    for s in (
        StationSkill(
            name="station_press_coffee_button",
            task="coffee-button-v3",
            template="press the coffee machine button",
            thing="coffee_machine",
            kind="coffee_machine",
            before={"on": False},
            after={"on": True},
            effects=("switched_on(coffee_machine)", "not switched_off(coffee_machine)"),
            description="Press the button of the coffee machine on the worktop.",
        ),
        StationSkill(
            name="station_push_mug_under_coffee_machine",
            task="coffee-push-v3",
            template="push the mug under the coffee machine",
            thing="station_mug",
            kind="mug",
            category="object",
            relation_before=_rel("{station}"),
            relation_after=("under", "coffee_machine"),
            effects=("under(station_mug,coffee_machine)", "not on(station_mug,*)"),
            description="Slide the mug on the worktop under the coffee machine's spout.",
        ),
        StationSkill(
            name="station_open_drawer",
            task="drawer-open-v3",
            template="open the drawer",
            thing="station_drawer",
            kind="drawer",
            before={"open": False},
            after={"open": True},
            effects=("open(station_drawer)", "not closed(station_drawer)"),
            description="Pull the worktop drawer open.",
        ),
        StationSkill(
            name="station_close_drawer",
            task="drawer-close-v3",
            template="close the drawer",
            thing="station_drawer",
            kind="drawer",
            before={"open": True},
            after={"open": False},
            effects=("closed(station_drawer)", "not open(station_drawer)"),
            description="Push the worktop drawer shut.",
        ),
        StationSkill(
            name="station_turn_on_faucet",
            task="faucet-open-v3",
            template="turn on the faucet",
            thing="station_faucet",
            kind="faucet",
            before={"on": False},
            after={"on": True},
            effects=("switched_on(station_faucet)", "not switched_off(station_faucet)"),
            description="Turn the worktop faucet's handle to open it.",
        ),
        StationSkill(
            name="station_turn_off_faucet",
            task="faucet-close-v3",
            template="turn off the faucet",
            thing="station_faucet",
            kind="faucet",
            before={"on": True},
            after={"on": False},
            effects=("switched_off(station_faucet)", "not switched_on(station_faucet)"),
            description="Turn the worktop faucet's handle to close it.",
        ),
        StationSkill(
            name="station_slide_plate_into_cabinet",
            task="plate-slide-v3",
            template="slide the plate into the cabinet",
            thing="station_plate",
            kind="plate",
            category="object",
            relation_before=_rel("{station}"),
            relation_after=("in", "station_cabinet"),
            effects=("in(station_plate,station_cabinet)", "not on(station_plate,*)"),
            description="Slide the plate on the worktop into the low cabinet.",
        ),
    )
}


def station_skill(name: str) -> StationSkill:
    """Look up a station skill.

    Raises:
        KeyError: naming the station's skills, if ``name`` is not one.
    """
    try:
        return STATION_SKILLS[name]
    except KeyError:
        raise KeyError(
            f"the kitchen station has no skill {name!r}; it has {', '.join(STATION_SKILLS)}"
        ) from None


def register_metaworld_skills(registry: SkillRegistry | None = None) -> list[str]:
    """Register ``metaworld_task`` (idempotent); returns the names registered."""
    (registry if registry is not None else REGISTRY).register(METAWORLD_TASK_SPEC)
    return [METAWORLD_TASK_SKILL]


def register_station_skills(registry: SkillRegistry | None = None) -> list[str]:
    """Register the kitchen station's skills (idempotent); returns their names."""
    reg = registry if registry is not None else REGISTRY
    for s in STATION_SKILLS.values():
        reg.register(s.spec())
    return list(STATION_SKILLS)
