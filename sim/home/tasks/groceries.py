"""Groceries: food and drink go where they keep."""

from __future__ import annotations

from housemind.sim.home.tasks._common import FLOOR, MoveTask
from housemind.sim.home.tasks.base import register_task

__all__ = ["FoodBackToPantry", "MilkToFridge", "PutAwayGroceries", "PutFruitInBowlPlace"]

_COLD = ("milk", "juice", "cheese", "eggs")


@register_task
class MilkToFridge(MoveTask):
    """Milk (or another chilled item) left out goes back in the fridge, door closed."""

    name = "milk_to_fridge"
    category = "groceries"
    goal = "put the {objects} back in the {dest}"
    kinds = _COLD
    count = (1, 2)
    start = ("counter", "table", "island", "coffee_table")
    dest = ("fridge",)


@register_task
class PutAwayGroceries(MoveTask):
    """Shopping unpacked on the counter goes where each thing keeps."""

    name = "put_away_groceries"
    category = "groceries"
    goal = "put the groceries away: {objects}"
    categories = ("food", "drink")
    count = (2, 3)
    start = ("counter", "table", "island", FLOOR)  # bags unpacked on the kitchen floor
    rooms = ("kitchen", "studio")
    state = {"quantity": 1.0}


@register_task
class FoodBackToPantry(MoveTask):
    """Dry food left on the table goes back in the cupboard or pantry."""

    name = "food_back_to_cupboard"
    category = "groceries"
    goal = "put the {objects} back in the cupboard"
    kinds = ("pasta", "rice", "cereal", "coffee", "bread")
    count = (1, 2)
    start = ("table", "counter", "coffee_table")


@register_task
class PutFruitInBowlPlace(MoveTask):
    """Fruit left elsewhere goes back to where it is kept (the table's fruit place)."""

    name = "fruit_back"
    category = "groceries"
    goal = "put the {objects} back where fruit is kept"
    kinds = ("apple", "banana")
    count = (1, 2)
    start = ("counter", "coffee_table", "nightstand", "shelf", "fridge")
