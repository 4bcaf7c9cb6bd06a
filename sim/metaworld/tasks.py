"""The Meta-World v3 task list: instructions, MT10/MT50 and the difficulty splits.

Pure data (``tasks.yaml`` beside this module, where the sources are cited); importing this
module needs neither MuJoCo nor metaworld.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

__all__ = [
    "DIFFICULTIES",
    "MT10",
    "MT50",
    "SUITES",
    "Difficulty",
    "MetaWorldTask",
    "UnknownTaskError",
    "get_task",
    "slug",
    "suite",
    "tasks",
]

Difficulty = Literal["easy", "medium", "hard", "very_hard"]
#: The splits in report order (Seo et al. 2022; see ``tasks.yaml``).
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard", "very_hard")


class UnknownTaskError(KeyError):
    """A Meta-World task or suite name that does not exist."""

    def __str__(self) -> str:
        return str(self.args[0])


class MetaWorldTask(BaseModel):
    """One Meta-World task.

    Attributes:
        name: Meta-World's environment name, e.g. ``"drawer-open-v3"``.
        description: The language instruction (LeRobot's text, see ``tasks.yaml``).
        difficulty: ``easy``, ``medium``, ``hard`` or ``very_hard``.
        mt10: Whether it is one of the ten MT10 tasks.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    difficulty: Difficulty
    mt10: bool = False

    @property
    def slug(self) -> str:
        """The name as an identifier for facts: ``drawer-open-v3`` -> ``drawer_open``."""
        return slug(self.name)


def slug(name: str) -> str:
    """``"drawer-open-v3"`` -> ``"drawer_open"`` (facts and file names want identifiers)."""
    base = name.removesuffix("-v3")
    return base.replace("-", "_")


@cache
def tasks() -> dict[str, MetaWorldTask]:
    """All 50 tasks by Meta-World name, in alphabetical order."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("tasks.yaml").read_text("utf-8"))
    out = {name: MetaWorldTask(name=name, **spec) for name, spec in raw["tasks"].items()}
    return dict(sorted(out.items()))


def get_task(name: str) -> MetaWorldTask:
    """Look up a task by Meta-World name (``drawer-open-v3``) or slug (``drawer_open``).

    Raises:
        UnknownTaskError: with the closest name, if there is no such task.
    """
    all_tasks = tasks()
    if name in all_tasks:
        return all_tasks[name]
    by_slug = {t.slug: t for t in all_tasks.values()}
    if name in by_slug:
        return by_slug[name]
    close = difflib.get_close_matches(name, list(all_tasks), n=1)
    hint = f" — did you mean {close[0]!r}?" if close else ""
    raise UnknownTaskError(
        f"unknown Meta-World task {name!r}{hint} (50 tasks such as 'drawer-open-v3'; "
        "see housemind.sim.metaworld.tasks())"
    )


#: The 50 task names (alphabetical).
MT50: tuple[str, ...] = tuple(tasks())
#: Meta-World's MT10 (``metaworld.env_dict.MT10_V3``), alphabetical.
MT10: tuple[str, ...] = tuple(n for n, t in tasks().items() if t.mt10)
#: Names :func:`suite` accepts.
SUITES: tuple[str, ...] = ("mt10", "mt50", *DIFFICULTIES)


def suite(name: str) -> tuple[str, ...]:
    """Task names of a suite: ``mt10``, ``mt50``, or a split (``easy`` ... ``very_hard``).

    A comma-separated list of suites and task names gives their union in MT50 order.

    Raises:
        UnknownTaskError: naming the bad part and what is accepted.
    """
    chosen: set[str] = set()
    for part in (p.strip() for p in name.split(",")):
        if not part:
            continue
        key = part.lower().replace("-", "_").replace(" ", "_")
        if key == "mt10":
            chosen.update(MT10)
        elif key == "mt50":
            chosen.update(MT50)
        elif key in DIFFICULTIES:
            chosen.update(n for n, t in tasks().items() if t.difficulty == key)
        else:
            try:
                chosen.add(get_task(part).name)
            except UnknownTaskError:
                raise UnknownTaskError(
                    f"unknown Meta-World suite or task {part!r}; use one of "
                    f"{', '.join(SUITES)} or a task name such as 'drawer-open-v3'"
                ) from None
    if not chosen:
        raise UnknownTaskError(f"no Meta-World tasks in {name!r}; use one of {', '.join(SUITES)}")
    return tuple(n for n in MT50 if n in chosen)
