"""Fetching: bring a thing to where someone wants it."""

from __future__ import annotations

from housemind.sim.home.tasks._common import FLOOR, MoveTask
from housemind.sim.home.tasks.base import register_task

__all__ = [
    "BringBookToNightstand",
    "BringKeysToTable",
    "BringMugToCoffeeTable",
    "BringPhoneToNightstand",
    "BringRemoteToSofa",
    "BringSnackToCoffeeTable",
    "BringTowelToBathroom",
]

_ANYWHERE = ("table", "counter", "shelf", "nightstand", "sofa", "coffee_table", "bed", FLOOR)


@register_task
class BringKeysToTable(MoveTask):
    """The keys, wherever they are, are brought to the table by the door."""

    name = "bring_keys_to_table"
    category = "fetching"
    goal = "find the {objects} and bring them to the {dest}"
    kinds = ("keys",)
    start = _ANYWHERE
    dest = ("table",)


@register_task
class BringBookToNightstand(MoveTask):
    """A book is brought to the nightstand for bedtime."""

    name = "bring_book_to_nightstand"
    category = "fetching"
    goal = "bring the {objects} to the {dest}"
    kinds = ("book",)
    start = ("shelf", "bookshelf", "sofa", "coffee_table", "table", FLOOR)
    dest = ("nightstand",)


@register_task
class BringRemoteToSofa(MoveTask):
    """The remote is brought to the sofa."""

    name = "bring_remote_to_sofa"
    category = "fetching"
    goal = "bring the {objects} to the {dest}"
    kinds = ("remote",)
    start = ("coffee_table", "table", "shelf", "nightstand", "bed", FLOOR)
    dest = ("sofa",)


@register_task
class BringMugToCoffeeTable(MoveTask):
    """A clean mug from the kitchen is brought to the coffee table."""

    name = "bring_mug_to_coffee_table"
    category = "fetching"
    goal = "bring a clean {objects} to the {dest}"
    kinds = ("mug", "glass")
    start = ("cabinet", "counter", "table")
    dest = ("coffee_table",)
    state = {"dirty": False}
    any_such = True


@register_task
class BringSnackToCoffeeTable(MoveTask):
    """A piece of fruit is brought to the coffee table."""

    name = "bring_snack_to_coffee_table"
    category = "fetching"
    goal = "bring the {objects} to the {dest} for a snack"
    kinds = ("apple", "banana")
    start = ("table", "counter", "fridge")
    dest = ("coffee_table",)


@register_task
class BringPhoneToNightstand(MoveTask):
    """The phone, wherever it was left, is brought to the nightstand."""

    name = "bring_phone_to_nightstand"
    category = "fetching"
    goal = "find the {objects} and put it on the {dest}"
    kinds = ("phone",)
    start = ("table", "counter", "sofa", "coffee_table", "shelf", "desk", FLOOR)
    dest = ("nightstand",)


@register_task
class BringTowelToBathroom(MoveTask):
    """A clean towel is brought to the bathroom's shelf or rail (the washer top in v1)."""

    name = "bring_clean_towel_to_bed"
    category = "fetching"
    goal = "bring a clean {objects} to the {dest}"
    kinds = ("towel",)
    start = ("laundry_basket", "washer", "dryer", "sofa", "shelf")
    dest = ("bed",)
    state = {"dirty": False}
    any_such = True
