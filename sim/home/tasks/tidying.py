"""Tidying: things left about the home go back where they belong."""

from __future__ import annotations

from sim.home.tasks._common import FLOOR, MoveTask
from sim.home.tasks.base import register_task

__all__ = [
    "BooksToShelf",
    "ClearCoffeeTable",
    "ClothesOffTheFloor",
    "PutShoesAndKeysAway",
    "RemoteToCoffeeTable",
    "TidyBedroom",
    "TidyLivingRoom",
    "ToysInToyBox",
]

_PERSONAL = ("keys", "wallet", "phone", "glasses", "remote", "book", "toy", "toy_car", "ball")


@register_task
class TidyLivingRoom(MoveTask):
    """Things on the living-room floor and sofa go back home."""

    name = "tidy_living_room"
    category = "tidying"
    goal = "tidy the living room: put the {objects} back where they belong"
    kinds = _PERSONAL + ("teddy_bear", "blocks", "newspaper")
    categories = ("clothes",)
    count = (2, 3)
    start = (FLOOR, "sofa", "armchair")
    rooms = ("living_room",)


@register_task
class TidyBedroom(MoveTask):
    """Things on the bedroom floor go back home."""

    name = "tidy_bedroom"
    category = "tidying"
    goal = "tidy the bedroom: put the {objects} back where they belong"
    kinds = _PERSONAL
    categories = ("clothes",)
    count = (2, 3)
    start = (FLOOR,)
    rooms = ("bedroom", "main_bedroom", "master_bedroom")


@register_task
class ToysInToyBox(MoveTask):
    """Toys on the floor go in the toy box."""

    name = "toys_in_toy_box"
    category = "tidying"
    goal = "put the {objects} in the {dest}"
    categories = ("toy",)
    count = (1, 3)
    start = (FLOOR, "sofa", "bed")
    dest = ("toy_box",)


@register_task
class BooksToShelf(MoveTask):
    """A book left on the sofa, the bed or the floor goes back on the shelf."""

    name = "books_to_shelf"
    category = "tidying"
    goal = "put the {objects} back on the {dest}"
    kinds = ("book",)
    start = (FLOOR, "sofa", "bed", "table", "coffee_table")
    dest = ("shelf", "bookshelf")


@register_task
class RemoteToCoffeeTable(MoveTask):
    """The remote control goes on the coffee table."""

    name = "remote_to_coffee_table"
    category = "tidying"
    goal = "put the {objects} on the {dest}"
    kinds = ("remote",)
    start = (FLOOR, "sofa", "bed", "table", "nightstand")
    dest = ("coffee_table",)


@register_task
class ClearCoffeeTable(MoveTask):
    """Everything piled on the coffee table goes back home."""

    name = "clear_coffee_table"
    category = "tidying"
    goal = "clear the coffee table: put the {objects} back where they belong"
    kinds = ("book", "keys", "toy", "mug", "wallet", "phone", "glasses", "remote")
    count = (1, 3)
    start = ("coffee_table",)


@register_task
class ClothesOffTheFloor(MoveTask):
    """Clothes dropped on the floor go in the laundry basket."""

    name = "clothes_off_the_floor"
    category = "tidying"
    goal = "pick the {objects} up off the floor and put them in the {dest}"
    categories = ("clothes",)
    count = (1, 2)
    start = (FLOOR,)
    dest = ("laundry_basket",)
    state = {"dirty": True}


@register_task
class PutShoesAndKeysAway(MoveTask):
    """Keys and wallet dropped anywhere go back to their places."""

    name = "put_keys_away"
    category = "tidying"
    goal = "put the {objects} back where they belong"
    kinds = ("keys", "wallet")
    count = (1, 2)
    start = (FLOOR, "sofa", "table", "counter", "bed")
