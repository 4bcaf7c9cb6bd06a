"""Residents and their daily routines, driven by the clock's local time.

v1 places a person at a fixed spot of the room for each slot of the routine (no walking).
Activities have side effects on the home: breakfast takes the mug and the plate, and
leaves them dirty on the kitchen table or counter when it ends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sim.home.layout import RESIDENT_RADIUS, ROBOT_RADIUS, HomeLayout
from sim.home.placement import put_in_fixture
from sim.home.world import ResidentState, WorldState

__all__ = ["ALEX_ROUTINE", "Resident", "RoutineSlot", "ResidentSim"]


@dataclass(frozen=True)
class RoutineSlot:
    """What a resident does from ``start`` (local time) until the next slot begins.

    Attributes:
        start: Local time the slot begins.
        activity: ``asleep``, ``breakfast``, ``away``, ...
        room: Room they are in, None when away.
        spots: Where they stand or sit; the first one not on top of the robot is used.
        takes: Objects they pick up at the start (unless the robot holds them).
        leaves_on: Fixtures where objects they carry are left, dirty, at the end.
    """

    start: time
    activity: str
    room: str | None
    spots: tuple[tuple[float, float], ...] = ()
    takes: tuple[str, ...] = ()
    leaves_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resident:
    """A person and their routine (slots sorted by start, the first at 00:00)."""

    name: str
    kind: str
    routine: tuple[RoutineSlot, ...]


_BED = ((1.0, 3.5), (1.0, 3.0))
_SOFA = ((7.5, 7.5), (8.7, 7.5))
_KITCHEN_SEAT = ((2.4, 4.85), (1.4, 4.85))

#: Alex's weekday-style routine (v1 uses it every day).
ALEX_ROUTINE: tuple[RoutineSlot, ...] = (
    RoutineSlot(time(0, 0), "asleep", "bedroom", _BED),
    RoutineSlot(
        time(7, 0),
        "breakfast",
        "kitchen",
        _KITCHEN_SEAT,
        takes=("mug", "plate"),
        leaves_on=("table", "counter"),
    ),
    RoutineSlot(time(7, 30), "getting_ready", "bathroom", ((7.0, 1.5), (7.0, 2.3))),
    RoutineSlot(time(7, 45), "leaving", "hallway", ((4.75, 0.5), (4.75, 7.4))),
    RoutineSlot(time(8, 0), "away", None),
    RoutineSlot(time(17, 30), "relaxing", "living_room", _SOFA),
    RoutineSlot(time(18, 0), "dinner", "kitchen", _KITCHEN_SEAT),
    RoutineSlot(time(18, 45), "relaxing", "living_room", _SOFA),
    RoutineSlot(time(22, 30), "asleep", "bedroom", _BED),
)


def slot_at(routine: tuple[RoutineSlot, ...], t: time) -> RoutineSlot:
    """The slot of ``routine`` in force at local time ``t``."""
    cur = routine[0]
    for s in routine:
        if s.start <= t:
            cur = s
        else:
            break
    return cur


class ResidentSim:
    """Moves residents through their routines and applies the routines' side effects.

    Args:
        layout: The floor plan.
        residents: The people who live here.
    """

    def __init__(self, layout: HomeLayout, residents: tuple[Resident, ...]) -> None:
        self.layout = layout
        self.residents = {r.name: r for r in residents}

    def next_boundary(self, local: datetime) -> datetime:
        """The first slot start of any resident strictly after ``local``."""
        best: datetime | None = None
        for day in (local.date(), local.date() + timedelta(days=1)):
            for r in self.residents.values():
                for s in r.routine:
                    t = datetime.combine(day, s.start, tzinfo=local.tzinfo)
                    if t > local and (best is None or t < best):
                        best = t
            if best is not None:
                return best
        raise AssertionError("a routine needs at least one slot")  # pragma: no cover

    def initial(self, world: WorldState, local: datetime, seed: int) -> None:
        """Place everyone for the time ``local`` (used at reset)."""
        world.residents.clear()
        for r in self.residents.values():
            world.residents[r.name] = ResidentState(
                kind=r.kind, home=False, room=None, x=0.0, y=0.0, activity=""
            )
        self.update(world, local, seed)

    def update(self, world: WorldState, local: datetime, seed: int) -> bool:
        """Bring everyone to the slot in force at ``local``; True if anything changed.

        Args:
            world: The state to change.
            local: The local time of the transition.
            seed: Episode seed; with the time it seeds the routine's random choices, so
                they do not depend on how often the robot looked around.
        """
        changed = False
        for r in self.residents.values():
            st = world.residents[r.name]
            slot = slot_at(r.routine, local.time())
            if st.activity == slot.activity and st.room == slot.room:
                continue
            changed = True
            prev = next((s for s in r.routine if s.activity == st.activity), None)
            if prev is not None and prev.leaves_on:
                rng = random.Random(f"{seed}:{r.name}:{prev.activity}:{local.isoformat()}")
                self._leave(world, r.name, prev.leaves_on, rng)
            st.activity, st.room, st.home = slot.activity, slot.room, slot.room is not None
            if slot.room is not None:
                st.x, st.y = self._spot(world, slot)
                for name in slot.takes:
                    obj = world.objects.get(name)
                    if obj is not None and obj.relation != "held":
                        obj.relation, obj.place = "with", r.name
                        obj.x, obj.y = st.x, st.y
            else:
                st.x = st.y = 0.0
                for obj in world.objects.values():  # carried out of the door
                    if obj.relation == "with" and obj.place == r.name:
                        obj.x = obj.y = 0.0
        return changed

    def _spot(self, world: WorldState, slot: RoutineSlot) -> tuple[float, float]:
        rb = world.robot
        lim = (RESIDENT_RADIUS + ROBOT_RADIUS + 0.05) ** 2
        for x, y in slot.spots:
            if (x - rb.x) ** 2 + (y - rb.y) ** 2 >= lim:
                return (x, y)
        return slot.spots[-1]

    def _leave(
        self, world: WorldState, person: str, fixtures: tuple[str, ...], rng: random.Random
    ) -> None:
        fixture = rng.choice(fixtures)
        for name, obj in world.objects.items():
            if obj.relation == "with" and obj.place == person:
                put_in_fixture(self.layout, world, name, fixture)
                obj.dirty = True


#: The v1 household: one adult.
DEFAULT_RESIDENTS = (Resident("alex", "adult", ALEX_ROUTINE),)
