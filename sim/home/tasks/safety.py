"""Safety: switch off what should not run unattended, close doors, put dangers away."""

from __future__ import annotations

from housemind.sim.home.tasks._common import FLOOR, FixtureStateTask, MoveTask
from housemind.sim.home.tasks.base import register_task

__all__ = [
    "ChemicalsAway",
    "CloseFrontDoor",
    "CloseOpenDoors",
    "CloseTheFridge",
    "KnifeAway",
    "MedicineAway",
    "MetalOutOfMicrowave",
    "TurnOffFaucet",
    "TurnOffStove",
]


@register_task
class TurnOffStove(FixtureStateTask):
    """A burner left on (with a pot on it) is switched off."""

    name = "turn_off_stove"
    category = "safety"
    goal = "turn off the {fixtures}"
    fixture_kinds = ("stove",)
    attr = "on"
    goal_value = False
    with_objects = ("pot", "pan")


@register_task
class TurnOffFaucet(FixtureStateTask):
    """A faucet left running is shut off."""

    name = "turn_off_faucet"
    category = "safety"
    goal = "turn off the water at the {fixtures}"
    fixture_kinds = ("sink", "bathroom_sink")
    attr = "on"
    goal_value = False


@register_task
class CloseTheFridge(FixtureStateTask):
    """The fridge door left open is closed."""

    name = "close_the_fridge"
    category = "safety"
    goal = "close the {fixtures}"
    fixture_kinds = ("fridge", "freezer")
    attr = "open"
    goal_value = False


@register_task
class CloseOpenDoors(FixtureStateTask):
    """Cupboard, appliance and fridge doors left open are all closed."""

    name = "close_open_doors"
    category = "safety"
    goal = "close the {fixtures}"
    fixture_kinds = (
        "cabinet",
        "fridge",
        "washer",
        "dryer",
        "dishwasher",
        "wardrobe",
        "drawer",
        "pantry",
        "medicine_cabinet",
        "cleaning_cupboard",
        "microwave",
        "oven",
    )
    attr = "open"
    goal_value = False
    count = (2, 3)


@register_task
class KnifeAway(MoveTask):
    """A knife (or scissors) left out is put away in its closed drawer or cupboard."""

    name = "knife_away"
    category = "safety"
    goal = "put the {objects} away safely"
    kinds = ("knife", "scissors")
    start = ("table", "counter", "coffee_table", "sofa", "desk", FLOOR)


@register_task
class MedicineAway(MoveTask):
    """Medicine left out is put back in its closed cabinet."""

    name = "medicine_away"
    category = "safety"
    goal = "put the {objects} away out of reach"
    kinds = ("medicine", "vitamins")
    start = ("table", "nightstand", "counter", "coffee_table")


@register_task
class ChemicalsAway(MoveTask):
    """Cleaning chemicals left about are put back in their closed cupboard."""

    name = "chemicals_away"
    category = "safety"
    goal = "put the {objects} away in the {dest}, out of children's reach"
    kinds = ("bleach", "detergent", "glass_cleaner")
    count = (1, 2)
    start = (FLOOR, "table", "counter", "coffee_table")
    dest = ("cleaning_cupboard",)


@register_task
class MetalOutOfMicrowave(MoveTask):
    """A fork or spoon left in the microwave is taken out (it would spark) and put away."""

    name = "metal_out_of_microwave"
    category = "safety"
    goal = "take the {objects} out of the microwave and put it away"
    kinds = ("fork", "spoon", "knife")
    start = ("microwave",)


@register_task
class CloseFrontDoor(FixtureStateTask):
    """The front door left open (a pet could get out) is closed."""

    name = "close_front_door"
    category = "safety"
    goal = "close the {fixtures}"
    fixture_kinds = ("front_door",)
    attr = "open"
    goal_value = False
