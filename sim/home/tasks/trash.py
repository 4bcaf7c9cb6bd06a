"""Trash: rubbish in the bin, recyclables in the recycling."""

from __future__ import annotations

from housemind.sim.home.tasks._common import FLOOR, MoveTask
from housemind.sim.home.tasks.base import register_task

__all__ = ["ClearSnackLeftovers", "RecycleEmpties", "RecycleEmptyCarton", "ThrowAwayTrash"]

_TRASH = ("banana_peel", "food_scraps", "tissue")
_RECYCLABLE = ("empty_can", "empty_bottle", "newspaper", "cardboard_box")


@register_task
class ThrowAwayTrash(MoveTask):
    """Rubbish left about (peels, scraps, tissues) goes in the trash bin."""

    name = "throw_away_trash"
    category = "trash"
    goal = "throw the {objects} in the {dest}"
    kinds = _TRASH
    count = (1, 2)
    start = (FLOOR, "counter", "nightstand", "desk")
    dest = ("trash_bin",)


@register_task
class ClearSnackLeftovers(MoveTask):
    """The leftovers of a snack on the table go in the trash bin."""

    name = "clear_snack_leftovers"
    category = "trash"
    goal = "clear the {objects} off the table into the {dest}"
    kinds = _TRASH
    start = ("table", "coffee_table")
    dest = ("trash_bin",)


@register_task
class RecycleEmpties(MoveTask):
    """Empty cans and bottles left about go in the recycling bin."""

    name = "recycle_empties"
    category = "trash"
    goal = "put the {objects} in the {dest}"
    kinds = _RECYCLABLE
    count = (1, 2)
    start = (FLOOR, "table", "coffee_table", "counter")
    dest = ("recycling_bin",)


@register_task
class RecycleEmptyCarton(MoveTask):
    """A used-up milk or juice carton goes in the recycling, not back in the fridge."""

    name = "recycle_empty_carton"
    category = "trash"
    goal = "the {objects} is empty: put it in the {dest}"
    kinds = ("milk", "juice")
    start = ("counter", "table", "fridge")
    dest = ("recycling_bin",)
    state = {"quantity": 0.0}
