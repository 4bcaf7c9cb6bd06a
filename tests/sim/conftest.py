"""Shared fixtures for the HomeSim tests."""

from __future__ import annotations

import dataclasses
import functools

import pytest

from housemind.sim.home.catalogue import fixture_kind
from housemind.sim.home.geometry import Rect
from housemind.sim.home.layout import FixtureSpec, HomeLayout, ObjectSpec, default_layout


def _fx(name: str, room: str, rect: tuple[float, float, float, float], approach: str):
    k = fixture_kind(name)
    return FixtureSpec(
        name=name,
        kind=name,
        room=room,
        rect=Rect(*rect),
        approach=approach,
        openable=k.openable,
        switchable=k.switchable,
        container=k.container,
        surface=k.surface,
    )


@functools.cache
def appliance_layout() -> HomeLayout:
    """The v1 apartment plus an oven, microwave, kettle, dishwasher, dryer, plant stand
    and front door, and a pan, eggs, a fork, a plant, bleach and a phone (process and
    hazard tests that do not depend on any one floor plan)."""
    base = default_layout()
    fixtures = dict(base.fixtures)
    for f in (
        _fx("oven", "living_room", (7.0, 3.05, 7.6, 3.65), "n"),
        _fx("microwave", "living_room", (7.8, 3.05, 8.3, 3.5), "n"),
        _fx("kettle", "living_room", (8.5, 3.05, 8.8, 3.35), "n"),
        _fx("dishwasher", "living_room", (9.0, 3.05, 9.6, 3.65), "n"),
        _fx("dryer", "bathroom", (10.1, 0.05, 10.8, 0.75), "n"),
        _fx("plant_stand", "living_room", (10.5, 6.2, 10.95, 6.8), "w"),
        _fx("front_door", "hallway", (4.1, 7.9, 5.4, 7.98), "s"),
    ):
        fixtures[f.name] = f
    objects = dict(base.objects)
    for o in (
        ObjectSpec("pan", "pan", (("cabinet", 1.0),), ("in", "cabinet")),
        ObjectSpec("eggs", "eggs", (("fridge", 1.0),), ("in", "fridge")),
        ObjectSpec("fork", "fork", (("cabinet", 1.0),), ("in", "cabinet")),
        ObjectSpec("plant", "plant", (("plant_stand", 1.0),), ("on", "plant_stand")),
        ObjectSpec("bleach", "bleach", (("cabinet", 1.0),), ("in", "cabinet")),
        ObjectSpec("phone", "phone", (("coffee_table", 1.0),), ("on", "coffee_table")),
    ):
        objects[o.name] = o
    return dataclasses.replace(base, fixtures=fixtures, objects=objects, name="appliances")


@pytest.fixture
def appliances() -> HomeLayout:
    """See :func:`appliance_layout`."""
    return appliance_layout()
