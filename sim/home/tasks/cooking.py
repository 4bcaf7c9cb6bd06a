"""Cooking: getting the cookware ready (heating and cooking come with the processes)."""

from __future__ import annotations

from sim.home.tasks._common import MoveTask
from sim.home.tasks.base import register_task

__all__ = ["PotOnStove"]


@register_task
class PotOnStove(MoveTask):
    """The pot (or pan) is taken from the cupboard and put on the stove."""

    name = "pot_on_stove"
    category = "cooking"
    goal = "put the {objects} on the {dest}"
    kinds = ("pot", "pan")
    start = ("cabinet", "counter", "table")
    dest = ("stove",)
    state = {"dirty": False}
