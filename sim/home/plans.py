"""Floor plans as data: one YAML file per home in ``sim/home/plans/``, loaded into layouts.

A plan gives the home's size, the robot's dock, rooms, wall centre lines with doorway
gaps, fixtures (by kind, with a footprint and an approach side) and objects (by kind, with
counts, weighted start places and where each belongs). What a kind *is* (openable, a
container, dirtyable...) comes from :mod:`sim.home.catalogue`, so a new home is data only::

    from housemind.sim.home.plans import load_plan, plan_names, validate_layout

    plan_names()                                   # ['apartment', 'studio', ...]
    layout = load_plan("two_bedroom")              # the plan as drawn (cached)
    moved = load_plan("two_bedroom", furniture_seed=7)  # movable furniture rearranged
    assert validate_layout(moved) == []

Movable furniture (tables, sofas, beds, shelves, baskets...) may list alternative
placements and a slide range along its wall; a furniture seed picks one placement per
piece and jitters it, keeping plumbing and appliances where they are, and only layouts
that pass :func:`validate_layout` (every approach pose free and reachable from the dock,
every slot in reach, nothing overlapping, every room reachable) are returned.

Run ``python -m housemind.sim.home.plans --pictures docs/floorplans --docs docs/homesim.md``
to redraw the floor-plan pictures and the plan list in the docs.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import logging
import math
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from housemind._yaml import load_yaml
from housemind.sim.home.catalogue import fixture_kind, object_kind
from housemind.sim.home.geometry import Rect, segment_blocked
from housemind.sim.home.layout import (
    ROBOT_RADIUS,
    FixtureSpec,
    HomeLayout,
    ObjectSpec,
    RoomSpec,
)
from housemind.sim.home.occupancy import _COARSE, PLAN_CLEARANCE, _clearance
from housemind.sim.home.world import WorldState
from housemind.skills.types import REACH_M

__all__ = [
    "MOVABLE_KINDS",
    "PLANS",
    "FurnitureSpec",
    "Placement",
    "Plan",
    "PlanError",
    "apply_start_state",
    "load_plan",
    "plan_names",
    "plan_summary",
    "read_plan",
    "validate_layout",
    "write_docs",
    "write_pictures",
]

log = logging.getLogger(__name__)

PLAN_DIR = Path(__file__).with_name("plans")
#: Plan name -> its YAML file.
PLANS: dict[str, Path] = {p.stem: p for p in sorted(PLAN_DIR.glob("*.yaml"))}

#: Fixture kinds a person can move (no plumbing, no mains appliances).
MOVABLE_KINDS = frozenset(
    {
        "table",
        "desk",
        "sofa",
        "armchair",
        "coffee_table",
        "tv_stand",
        "shelf",
        "bookshelf",
        "toy_box",
        "laundry_basket",
        "bed",
        "crib",
        "nightstand",
        "dresser",
        "plant_stand",
        "shoe_rack",
        "pet_bowl_mat",
        "trash_bin",
        "recycling_bin",
    }
)

_ROOM_COLOURS: dict[str, tuple[int, int, int]] = {
    "kitchen": (236, 222, 190),
    "bedroom": (200, 214, 236),
    "hallway": (214, 214, 206),
    "entry": (214, 214, 206),
    "living_room": (206, 232, 200),
    "bathroom": (196, 232, 236),
    "laundry": (222, 214, 238),
    "dining_room": (238, 226, 204),
    "studio": (226, 230, 212),
    "office": (224, 220, 206),
}
_SIDES = ("n", "s", "e", "w")
_BOOL_START = {"dirty", "wet", "folded", "broken"}
_NUM_START = {"quantity", "moisture", "fill", "temp", "cooked"}
#: The exact clearance an approach pose keeps from walls and other fixtures (m): the
#: planner's clearance plus the 2 cm by which the sampled clearance field may err.
_APPROACH_CLEARANCE = PLAN_CLEARANCE + 0.02
_FURNITURE_ATTEMPTS = 40


class PlanError(ValueError):
    """A floor-plan file that cannot be loaded; the message names the file and the key."""


@dataclass(frozen=True)
class Placement:
    """Where a movable piece of furniture may stand: footprint, approach side and room."""

    rect: Rect
    approach: str
    room: str


@dataclass(frozen=True)
class FurnitureSpec:
    """How a movable fixture may be placed.

    Attributes:
        options: Alternative placements; the first is the plan as drawn.
        slide: Range (m) it may be shifted along its approach side (along its wall).
    """

    options: tuple[Placement, ...]
    slide: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Plan:
    """A parsed floor-plan file (the layout before any furniture is moved)."""

    name: str
    description: str
    width: float
    height: float
    dock: tuple[float, float, float]
    rooms: dict[str, RoomSpec]
    wall_lines: tuple[tuple[float, float, float, float, tuple[tuple[float, float], ...]], ...]
    fixtures: dict[str, FixtureSpec]
    furniture: dict[str, FurnitureSpec]
    objects: dict[str, ObjectSpec]
    misplace_rooms: tuple[str, ...]
    misplace_surfaces: tuple[str, ...]
    misplace_count: tuple[int, int]
    household: tuple[str, ...]

    def layout(
        self, fixtures: dict[str, FixtureSpec] | None = None, seed: int | None = None
    ) -> HomeLayout:
        """A :class:`HomeLayout` of this plan.

        Args:
            fixtures: Fixtures replacing the drawn ones (a furniture arrangement).
            seed: The furniture seed that arranged them, recorded in the layout.
        """
        return HomeLayout(
            width=self.width,
            height=self.height,
            rooms=dict(self.rooms),
            fixtures=dict(fixtures if fixtures is not None else self.fixtures),
            objects=dict(self.objects),
            wall_lines=[(*w[:4], list(w[4])) for w in self.wall_lines],
            dock=self.dock,
            name=self.name,
            furniture_seed=seed,
            misplace_rooms=self.misplace_rooms,
            misplace_surfaces=self.misplace_surfaces,
            misplace_count=self.misplace_count,
            household=self.household,
            description=self.description,
        )


# -- names --------------------------------------------------------------------------------


def plan_names() -> list[str]:
    """Known plans: the v1 ``apartment`` first, then the others from smallest to largest."""
    return sorted(PLANS, key=lambda n: (n != "apartment", _area(n), n))


def _area(name: str) -> float:
    p = read_plan(name)
    return p.width * p.height


def _unknown_plan(name: str) -> PlanError:
    close = difflib.get_close_matches(str(name), list(PLANS), n=1)
    hint = f" — did you mean {close[0]!r}?" if close else ""
    return PlanError(
        f"unknown home plan {name!r}{hint} (known: {', '.join(plan_names())}; "
        f"plans are the YAML files in {PLAN_DIR})"
    )


# -- parsing ------------------------------------------------------------------------------


def _floats(v: Any, n: int, where: str) -> tuple[float, ...]:
    if not isinstance(v, (list, tuple)) or len(v) != n:
        raise PlanError(f"{where}: expected a list of {n} numbers, got {v!r}")
    try:
        return tuple(float(x) for x in v)
    except (TypeError, ValueError):
        raise PlanError(f"{where}: expected numbers, got {v!r}") from None


def _rect(v: Any, where: str) -> Rect:
    x0, y0, x1, y1 = _floats(v, 4, where)
    if x1 <= x0 or y1 <= y0:
        raise PlanError(f"{where}: rect [x0, y0, x1, y1] needs x0 < x1 and y0 < y1, got {v!r}")
    return Rect(x0, y0, x1, y1)


def _side(v: Any, where: str) -> str:
    if v not in _SIDES:
        raise PlanError(f"{where}: approach must be one of n, s, e, w, got {v!r}")
    return v


def _keys(d: Any, allowed: set[str], required: set[str], where: str) -> dict:
    if not isinstance(d, dict):
        raise PlanError(f"{where}: expected a mapping, got {d!r}")
    extra = set(d) - allowed
    if extra:
        bad = sorted(extra)[0]
        close = difflib.get_close_matches(bad, sorted(allowed), n=1)
        hint = f" — did you mean {close[0]!r}?" if close else ""
        raise PlanError(
            f"{where}: unknown key {bad!r}{hint} (allowed: {', '.join(sorted(allowed))})"
        )
    missing = required - set(d)
    if missing:
        raise PlanError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    return d


def _kind_of(getter: Callable[[str], Any], kind: str, where: str) -> Any:
    try:
        return getter(kind)
    except KeyError as e:
        raise PlanError(f"{where}: {e.args[0]}") from None


def _parse_start(d: Any, where: str) -> dict[str, tuple[float, float]]:
    if d is None:
        return {}
    if not isinstance(d, dict):
        raise PlanError(f"{where}: expected a mapping of state fields, got {d!r}")
    out = {}
    for k, v in d.items():
        if k in _BOOL_START:
            p = float(v)
            if not 0.0 <= p <= 1.0:
                raise PlanError(f"{where}.{k}: a probability in [0, 1], got {v!r}")
            out[k] = (p, p)
        elif k in _NUM_START:
            lo, hi = _floats(v, 2, f"{where}.{k}")
            if lo > hi:
                raise PlanError(f"{where}.{k}: range [lo, hi] needs lo <= hi, got {v!r}")
            out[k] = (lo, hi)
        else:
            allowed = ", ".join(sorted(_BOOL_START | _NUM_START))
            raise PlanError(f"{where}: unknown start field {k!r} (allowed: {allowed})")
    return out


def _parse(name: str, data: Any, path: Path) -> Plan:
    where = str(path)
    top = {
        "description",
        "size",
        "dock",
        "household",
        "rooms",
        "walls",
        "fixtures",
        "objects",
        "misplace",
        "start",
    }
    d = _keys(data, top, {"size", "dock", "rooms", "walls", "fixtures", "objects"}, where)
    width, height = _floats(d["size"], 2, f"{where}: size")
    dx, dy, dth = _floats(d["dock"], 3, f"{where}: dock [x, y, heading_deg]")
    dock = (dx, dy, math.radians(dth))

    rooms: dict[str, RoomSpec] = {}
    for rname, r in d["rooms"].items():
        w = f"{where}: rooms.{rname}"
        r = _keys(r, {"rect", "colour", "kind"}, {"rect"}, w)
        kind = r.get("kind", rname)
        colour = r.get("colour") or _ROOM_COLOURS.get(kind) or (220, 220, 220)
        rgb = tuple(int(c) for c in _floats(colour, 3, f"{w}.colour"))
        rooms[rname] = RoomSpec(rname, _rect(r["rect"], f"{w}.rect"), rgb, kind)

    walls = []
    for i, wl in enumerate(d["walls"]):
        w = f"{where}: walls[{i}]"
        if isinstance(wl, dict):
            wl = _keys(wl, {"line", "doors"}, {"line"}, w)
            line, doors = wl["line"], wl.get("doors") or []
        else:
            line, doors = wl, []
        x0, y0, x1, y1 = _floats(line, 4, f"{w}.line")
        if x0 != x1 and y0 != y1:
            raise PlanError(f"{w}: walls are horizontal or vertical, got {line!r}")
        gaps = tuple(tuple(_floats(g, 2, f"{w}.doors")) for g in doors)
        walls.append((x0, y0, x1, y1, gaps))

    fixtures: dict[str, FixtureSpec] = {}
    furniture: dict[str, FurnitureSpec] = {}
    for fname, f in d["fixtures"].items():
        w = f"{where}: fixtures.{fname}"
        f = _keys(
            f, {"kind", "room", "rect", "approach", "movable"}, {"room", "rect", "approach"}, w
        )
        kind = f.get("kind", fname)
        fk = _kind_of(fixture_kind, kind, w)
        if f["room"] not in rooms:
            raise PlanError(f"{w}: room {f['room']!r} is not one of {', '.join(rooms)}")
        spec = FixtureSpec(
            name=fname,
            kind=kind,
            room=f["room"],
            rect=_rect(f["rect"], f"{w}.rect"),
            approach=_side(f["approach"], f"{w}.approach"),
            openable=fk.openable,
            switchable=fk.switchable,
            container=fk.container,
            surface=fk.surface,
        )
        fixtures[fname] = spec
        mv = f.get("movable")
        if mv:
            if kind not in MOVABLE_KINDS:
                raise PlanError(
                    f"{w}: a {kind} stays where it is (plumbing or mains); movable kinds are "
                    f"{', '.join(sorted(MOVABLE_KINDS))}"
                )
            mv = {} if mv is True else _keys(mv, {"slide", "alternatives"}, set(), f"{w}.movable")
            opts = [Placement(spec.rect, spec.approach, spec.room)]
            for j, alt in enumerate(mv.get("alternatives") or []):
                wa = f"{w}.movable.alternatives[{j}]"
                alt = _keys(alt, {"rect", "approach", "room"}, {"rect"}, wa)
                room = alt.get("room", spec.room)
                if room not in rooms:
                    raise PlanError(f"{wa}: room {room!r} is not one of {', '.join(rooms)}")
                opts.append(
                    Placement(
                        _rect(alt["rect"], f"{wa}.rect"),
                        _side(alt.get("approach", spec.approach), f"{wa}.approach"),
                        room,
                    )
                )
            slide = _floats(mv.get("slide", [0.0, 0.0]), 2, f"{w}.movable.slide")
            furniture[fname] = FurnitureSpec(tuple(opts), (min(slide), max(slide)))

    start_defaults = _keys(
        d.get("start") or {}, {"consumable", "plant", "dirty"}, set(), f"{where}: start"
    )
    objects: dict[str, ObjectSpec] = {}
    counts: dict[str, int] = {}
    for i, o in enumerate(d["objects"]):
        w = f"{where}: objects[{i}]"
        o = _keys(
            o,
            {"kind", "name", "count", "places", "home", "dirty", "misplaceable", "start"},
            {"kind", "places", "home"},
            w,
        )
        kind = o["kind"]
        ok = _kind_of(object_kind, kind, w)
        w = f"{w} ({kind})"
        places = o["places"]
        if not isinstance(places, dict) or not places:
            raise PlanError(f"{w}: places is a mapping fixture -> weight, got {places!r}")
        for fx, wt in places.items():
            if fx not in fixtures:
                raise PlanError(f"{w}: place {fx!r} is not a fixture{_did_you_mean(fx, fixtures)}")
            if not (isinstance(wt, (int, float)) and wt > 0):
                raise PlanError(f"{w}: weight of {fx!r} must be > 0, got {wt!r}")
        home = str(o["home"]).split()
        if len(home) != 2 or home[0] not in ("on", "in"):
            raise PlanError(f"{w}: home is 'on <fixture>' or 'in <fixture>', got {o['home']!r}")
        if home[1] not in fixtures:
            raise PlanError(
                f"{w}: home {home[1]!r} is not a fixture{_did_you_mean(home[1], fixtures)}"
            )
        start: dict[str, tuple[float, float]] = {}
        if ok.consumable and "consumable" in start_defaults:
            start["quantity"] = _floats(
                start_defaults["consumable"], 2, f"{where}: start.consumable"
            )
        if ok.category == "plant" and "plant" in start_defaults:
            start["moisture"] = _floats(start_defaults["plant"], 2, f"{where}: start.plant")
        start.update(_parse_start(o.get("start"), f"{w}.start"))
        count = int(o.get("count", 1))
        if count < 1 or ("name" in o and count != 1):
            raise PlanError(f"{w}: count must be >= 1 (and 1 with a name), got {count}")
        for _ in range(count):
            n = counts.get(kind, 0) + 1
            counts[kind] = n
            oname = o.get("name") or (kind if n == 1 else f"{kind}_{n}")
            if oname in objects:
                raise PlanError(f"{w}: two objects are called {oname!r}; give one a name")
            objects[oname] = ObjectSpec(
                name=oname,
                kind=kind,
                places=tuple((fx, float(wt)) for fx, wt in places.items()),
                home=(home[0], home[1]),
                can_be_dirty=bool(o.get("dirty", ok.can_be_dirty)),
                misplaceable=bool(o.get("misplaceable", False)),
                start=tuple((k, float(lo), float(hi)) for k, (lo, hi) in start.items()),
            )

    mp = _keys(d.get("misplace") or {}, {"rooms", "surfaces", "count"}, set(), f"{where}: misplace")
    # Without a misplace section nothing starts misplaced (on the largest room's floor).
    largest = max(rooms.values(), key=lambda r: r.rect.width * r.rect.height).name
    m_rooms = tuple(mp.get("rooms", [largest]))
    m_surfaces = tuple(mp.get("surfaces", []))
    for r in m_rooms:
        if r not in rooms:
            raise PlanError(
                f"{where}: misplace.rooms: {r!r} is not a room{_did_you_mean(r, rooms)}"
            )
    for s in m_surfaces:
        if s not in fixtures:
            raise PlanError(
                f"{where}: misplace.surfaces: {s!r} is not a fixture{_did_you_mean(s, fixtures)}"
            )
    lo, hi = (int(x) for x in _floats(mp.get("count", [0, 0]), 2, f"{where}: misplace.count"))
    household = tuple(d.get("household") or ["adult"])
    return Plan(
        name=name,
        description=str(d.get("description", "")).strip(),
        width=width,
        height=height,
        dock=dock,
        rooms=rooms,
        wall_lines=tuple(walls),
        fixtures=fixtures,
        furniture=furniture,
        objects=objects,
        misplace_rooms=m_rooms,
        misplace_surfaces=m_surfaces,
        misplace_count=(lo, hi),
        household=household,
    )


def _did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f" — did you mean {close[0]!r}?" if close else ""


@functools.cache
def read_plan(name: str) -> Plan:
    """The parsed plan ``name`` (cached).

    Raises:
        PlanError: for an unknown name (with the closest known one) or a malformed file.
    """
    path = PLANS.get(name)
    if path is None:
        raise _unknown_plan(name)
    with open(path, encoding="utf-8") as fh:
        data = load_yaml(fh)  # a safe loader: plain data only
    return _parse(name, data, path)


# -- layouts ------------------------------------------------------------------------------


def load_plan(name: str, furniture_seed: int | None = None) -> HomeLayout:
    """The layout of plan ``name``, with its movable furniture placed by ``furniture_seed``.

    Layouts are cached per ``(name, furniture_seed)`` and shared: treat them as read-only.

    Args:
        name: A plan from :func:`plan_names`.
        furniture_seed: None for the plan as drawn; an int rearranges the movable
            furniture deterministically (the same seed gives the same home).

    Raises:
        PlanError: for an unknown plan (with a did-you-mean) or a malformed file.
    """
    return _load(name, None if furniture_seed is None else int(furniture_seed))


@functools.lru_cache(maxsize=256)
def _load(name: str, furniture_seed: int | None) -> HomeLayout:
    plan = read_plan(name)
    if furniture_seed is None:
        return plan.layout()
    return _arrange(plan, furniture_seed)


_BOOL_FIELDS = frozenset(_BOOL_START)


def apply_start_state(layout: HomeLayout, world: WorldState, seed: int) -> None:
    """Give objects their seeded starting state (:attr:`ObjectSpec.start`).

    Consumables start part-used, plants part-dry, some clothes dirty, as the plan says.
    Draws come from their own generator, so plans without start rules (the v1 apartment)
    get exactly the v1 world.
    """
    rng = random.Random(f"{layout.name}/start/{seed}")
    for name, spec in layout.objects.items():
        o = world.objects[name]
        for fld, lo, hi in spec.start:
            if fld in _BOOL_FIELDS:
                setattr(o, fld, rng.random() < hi)
            else:
                setattr(o, fld, round(rng.uniform(lo, hi), 3))


def _moved(spec: FixtureSpec, place: Placement, shift: float) -> FixtureSpec:
    r = place.rect
    if place.approach in ("n", "s"):
        r = Rect(r.x0 + shift, r.y0, r.x1 + shift, r.y1)
    else:
        r = Rect(r.x0, r.y0 + shift, r.x1, r.y1 + shift)
    return replace(spec, rect=r, approach=place.approach, room=place.room)


def _draw(plan: Plan, name: str, rng: random.Random) -> FixtureSpec:
    fur = plan.furniture[name]
    place = rng.choice(fur.options)
    lo, hi = fur.slide
    shift = round(rng.uniform(lo, hi) / 0.05) * 0.05 if hi > lo else 0.0
    moved = _moved(plan.fixtures[name], place, shift)
    room = plan.rooms[place.room].rect
    r = moved.rect
    if r.x0 < room.x0 or r.y0 < room.y0 or r.x1 > room.x1 or r.y1 > room.y1:
        moved = _moved(plan.fixtures[name], place, 0.0)
    return moved


def _arrange(plan: Plan, seed: int) -> HomeLayout:
    """Place every movable piece at a seeded option and shift; only valid layouts."""
    rng = random.Random(f"{plan.name}/furniture/{seed}")
    movable = list(plan.furniture)
    for _ in range(_FURNITURE_ATTEMPTS):
        fixtures = dict(plan.fixtures)
        for name in movable:
            fixtures[name] = _draw(plan, name, rng)
        layout = plan.layout(fixtures, seed)
        if not validate_layout(layout):
            return layout
    # Crowded plans: move one piece at a time and keep each move only if it is valid.
    fixtures = dict(plan.fixtures)
    for name in movable:
        for _ in range(8):
            trial = {**fixtures, name: _draw(plan, name, rng)}
            if not validate_layout(plan.layout(trial, seed)):
                fixtures = trial
                break
    return plan.layout(fixtures, seed)


# -- validation ---------------------------------------------------------------------------


def _overlap(a: Rect, b: Rect, eps: float = 1e-6) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > eps and min(a.y1, b.y1) - max(a.y0, b.y0) > eps


def _flood(free: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """Cells 4-connected to ``start`` (what the A* planner, which never cuts corners, reaches)."""
    reach = np.zeros_like(free)
    reach[start[1], start[0]] = True
    while True:
        new = reach.copy()
        new[1:] |= reach[:-1]
        new[:-1] |= reach[1:]
        new[:, 1:] |= reach[:, :-1]
        new[:, :-1] |= reach[:, 1:]
        new &= free
        if np.array_equal(new, reach):
            return reach
        reach = new


def validate_layout(layout: HomeLayout) -> list[str]:
    """Problems that would make ``layout`` unusable; an empty list if there are none.

    Checks that rooms and fixtures lie inside the home and do not overlap (each other or
    the walls; a ``front_door`` stands in a doorway of an outside wall), that every
    fixture's approach pose keeps the planner's clearance and is reachable from the dock
    on the planning grid, that every slot is within reach of its approach pose and not
    behind a wall, that every room can be entered, and that the objects' places, homes
    and misplacement rules name fixtures that can hold them.
    """
    p: list[str] = []
    W, H = layout.width, layout.height
    rooms = list(layout.rooms.values())
    for i, a in enumerate(rooms):
        r = a.rect
        if r.x0 < 0 or r.y0 < 0 or r.x1 > W or r.y1 > H:
            p.append(f"room {a.name} {r.as_list()} is outside the {W} x {H} m home")
        for b in rooms[i + 1 :]:
            if _overlap(r, b.rect):
                p.append(f"rooms {a.name} and {b.name} overlap")
    blockers = list(layout.walls)
    fixtures = list(layout.fixtures.values())
    for i, f in enumerate(fixtures):
        r = f.rect
        if r.x0 < 0 or r.y0 < 0 or r.x1 > W or r.y1 > H:
            p.append(f"fixture {f.name} {r.as_list()} is outside the home")
        if f.room not in layout.rooms:
            p.append(f"fixture {f.name} is in unknown room {f.room!r}")
        elif layout.room_at(r.cx, r.cy) != f.room:
            p.append(f"fixture {f.name} stands in {layout.room_at(r.cx, r.cy)}, not {f.room}")
        for g in fixtures[i + 1 :]:
            if _overlap(r, g.rect):
                p.append(f"fixtures {f.name} and {g.name} overlap")
        for wall in layout.walls:
            if _overlap(r, wall):
                p.append(f"fixture {f.name} overlaps a wall at {wall.as_list()}")
                break
        if f.kind == "front_door" and not (r.x0 <= 0.0 or r.y0 <= 0.0 or r.x1 >= W or r.y1 >= H):
            p.append(f"front door {f.name} is not in an outside wall")

    def clearance(x: float, y: float, skip: str | None = None) -> float:
        d = min((w.distance(x, y) for w in blockers), default=math.inf)
        for f in fixtures:
            if f.name != skip:
                d = min(d, f.rect.distance(x, y))
        return d

    # Planning grid: exactly the occupancy's coarse grid.
    gx, gy = int(round(W / _COARSE)), int(round(H / _COARSE))
    xs = (np.arange(gx) + 0.5) * _COARSE
    ys = (np.arange(gy) + 0.5) * _COARSE
    grid = _clearance(layout, xs, ys)
    free = grid >= PLAN_CLEARANCE

    def cell(x: float, y: float) -> tuple[int, int]:
        return (min(max(int(x / _COARSE), 0), gx - 1), min(max(int(y / _COARSE), 0), gy - 1))

    def near_cells(x: float, y: float, rad: int = 2) -> list[tuple[int, int]]:
        cx, cy = cell(x, y)
        out = [
            (cx + i, cy + j)
            for j in range(-rad, rad + 1)
            for i in range(-rad, rad + 1)
            if 0 <= cx + i < gx and 0 <= cy + j < gy and free[cy + j, cx + i]
        ]
        return sorted(
            out, key=lambda c: ((c[0] + 0.5) * _COARSE - x) ** 2 + ((c[1] + 0.5) * _COARSE - y) ** 2
        )

    def joins(x: float, y: float, reach: np.ndarray) -> bool:
        """A reached grid cell near ``(x, y)`` from which the robot drives straight there."""
        for c in near_cells(x, y):
            if not reach[c[1], c[0]]:
                continue
            cx, cy = (c[0] + 0.5) * _COARSE, (c[1] + 0.5) * _COARSE
            n = max(1, int(math.hypot(cx - x, cy - y) / 0.02))
            if all(
                clearance(x + (cx - x) * k / n, y + (cy - y) * k / n) >= ROBOT_RADIUS + 0.01
                for k in range(n + 1)
            ):
                return True
        return False

    dx, dy, _ = layout.dock
    if clearance(dx, dy) < _APPROACH_CLEARANCE:
        p.append(f"the dock ({dx}, {dy}) is {clearance(dx, dy):.2f} m from an obstacle")
    start = near_cells(dx, dy)
    reach = _flood(free, start[0]) if start else np.zeros_like(free)
    if not start:
        p.append("the dock is not on the planning grid's free space")
    for f in fixtures:
        ax, ay, _ = layout.approach[f.name]
        c = clearance(ax, ay)
        if c < _APPROACH_CLEARANCE:
            p.append(
                f"{f.name}'s approach pose ({ax:.2f}, {ay:.2f}) is {c:.2f} m from an obstacle "
                f"(needs {_APPROACH_CLEARANCE:.2f})"
            )
        elif not joins(ax, ay, reach):
            p.append(
                f"{f.name}'s approach pose ({ax:.2f}, {ay:.2f}) cannot be reached from the dock"
            )
        if layout.room_at(ax, ay) != f.room:
            p.append(f"{f.name} is approached from {layout.room_at(ax, ay)}, not from {f.room}")
        slots = layout.slots[f.name]
        if (f.surface or f.container) and not slots:
            p.append(f"{f.name} holds things but has no slot within reach")
        for sx, sy in slots:
            if math.hypot(sx - ax, sy - ay) > REACH_M or segment_blocked(
                ax, ay, sx, sy, layout.vwalls, layout.hwalls
            ):
                p.append(f"{f.name}'s slot ({sx}, {sy}) is out of reach")
    for room in rooms:
        r = room.rect
        i0, i1 = int(r.x0 / _COARSE), int(math.ceil(r.x1 / _COARSE))
        j0, j1 = int(r.y0 / _COARSE), int(math.ceil(r.y1 / _COARSE))
        if not reach[j0:j1, i0:i1].any():
            p.append(f"room {room.name} cannot be reached from the dock")

    capacity = sum(len(layout.slots[f.name]) for f in fixtures if f.surface or f.container)
    homes: dict[str, int] = {}
    for o in layout.objects.values():
        homes[o.home[1]] = homes.get(o.home[1], 0) + 1
    for fx, n in homes.items():
        if fx in layout.slots and n > len(layout.slots[fx]):
            p.append(f"{n} objects belong {fx}, which has {len(layout.slots[fx])} slots")
    if capacity < len(layout.objects):
        p.append(f"{len(layout.objects)} objects but only {capacity} slots in the home")
    for o in layout.objects.values():
        for fx, _w in (*o.places, (o.home[1], 1.0)):
            f = layout.fixtures.get(fx)
            if f is None:
                p.append(f"object {o.name} names unknown fixture {fx!r}")
            elif not (f.surface or f.container):
                p.append(f"object {o.name} starts at {fx}, which holds nothing")
        rel, fx = o.home
        f = layout.fixtures.get(fx)
        if f is not None and (rel == "in") != f.container:
            p.append(f"object {o.name}'s home is {rel} {fx}; use {'in' if f.container else 'on'}")
    lo, hi = layout.misplace_count
    nmis = sum(o.misplaceable for o in layout.objects.values())
    if not 0 <= lo <= hi or (hi > nmis):
        p.append(f"misplace count {lo}-{hi} but {nmis} misplaceable objects")
    for s in layout.misplace_surfaces:
        f = layout.fixtures.get(s)
        if f is None or not f.surface:
            p.append(f"misplace surface {s!r} is not a surface fixture")
    for rn in layout.misplace_rooms:
        if rn not in layout.rooms:
            p.append(f"misplace room {rn!r} is not a room")
            continue
        # Misplaced objects lie where the robot can stand next to them (env._misplace).
        r = layout.rooms[rn].rect
        i0, i1 = int(r.x0 / _COARSE), int(math.ceil(r.x1 / _COARSE))
        j0, j1 = int(r.y0 / _COARSE), int(math.ceil(r.y1 / _COARSE))
        roomy = int(((grid[j0:j1, i0:i1] >= 0.55) & reach[j0:j1, i0:i1]).sum())
        if roomy < 25 * (hi + 1):  # cells of 10 cm: a 0.5 m square per object and more
            p.append(f"misplace room {rn} has too little open floor for {hi} objects")
    return p


# -- summaries, pictures, docs ------------------------------------------------------------


def plan_summary(name: str) -> dict:
    """Rooms, fixture kinds, object kinds and counts of plan ``name`` (for docs and tables)."""
    lay = load_plan(name)
    plan = read_plan(name)
    return {
        "name": name,
        "description": plan.description,
        "size_m": [lay.width, lay.height],
        "rooms": list(lay.rooms),
        "fixtures": list(lay.fixtures),
        "fixture_kinds": sorted({f.kind for f in lay.fixtures.values()}),
        "movable": list(plan.furniture),
        "objects": len(lay.objects),
        "object_kinds": sorted({o.kind for o in lay.objects.values()}),
        "household": list(lay.household),
    }


def write_pictures(out_dir: str | Path, names: Sequence[str] | None = None) -> list[Path]:
    """Render each plan top-down (seed 0, as drawn) to ``<out_dir>/<plan>.png``."""
    from PIL import Image

    from housemind.sim.home.env import HomeSimEnv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or plan_names():
        env = HomeSimEnv(home=name, seed=0)
        path = out / f"{name}.png"
        Image.fromarray(env.render()).save(path, optimize=True)
        paths.append(path)
    return paths


_BEGIN = "<!-- plans:begin (generated by python -m housemind.sim.home.plans --docs) -->"
_END = "<!-- plans:end -->"


def write_docs(doc: str | Path, pictures: str | Path) -> Path:
    """Rewrite the plan list between the markers of ``doc`` (created if missing)."""
    doc = Path(doc)
    rel = Path(os.path.relpath(Path(pictures).resolve(), doc.parent.resolve()))
    lines = [_BEGIN, ""]
    kinds: set[str] = set()
    for name in plan_names():
        s = plan_summary(name)
        kinds.update(s["object_kinds"])
        w, h = s["size_m"]
        lines += [
            f"### `{name}` — {w:g} m × {h:g} m",
            "",
            s["description"],
            "",
            f"- household: {', '.join(s['household'])}",
            f"- rooms: {', '.join(s['rooms'])}",
            f"- fixtures ({len(s['fixtures'])}): {', '.join(s['fixtures'])}",
            f"- movable furniture: {', '.join(s['movable']) or 'none'}",
            f"- objects: {s['objects']} of {len(s['object_kinds'])} kinds "
            f"({', '.join(s['object_kinds'])})",
            "",
            f"![{name}]({(rel / f'{name}.png').as_posix()})",
            "",
        ]
    lines += [f"Across the plans: {len(kinds)} object kinds.", "", _END]
    block = "\n".join(lines)
    if doc.exists():
        text = doc.read_text(encoding="utf-8")
        if _BEGIN in text and _END in text:
            head, rest = text.split(_BEGIN, 1)
            text = head + block + rest.split(_END, 1)[1]
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    else:
        text = "# HomeSim\n\n## Floor plans\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
    return doc


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m housemind.sim.home.plans``: validate plans, draw pictures, update the docs."""
    ap = argparse.ArgumentParser(
        prog="python -m housemind.sim.home.plans", description=main.__doc__
    )
    ap.add_argument("--pictures", metavar="DIR", help="write <DIR>/<plan>.png for every plan")
    ap.add_argument("--docs", metavar="FILE", help="rewrite the plan list in this markdown file")
    ap.add_argument("--seeds", type=int, default=0, help="also validate furniture seeds 0..N-1")
    args = ap.parse_args(argv)
    bad = 0
    for name in plan_names():
        for seed in [None, *range(args.seeds)]:
            problems = validate_layout(load_plan(name, seed))
            for prob in problems:
                print(f"{name} (furniture seed {seed}): {prob}")
            bad += bool(problems)
        lay = load_plan(name)
        print(f"{name}: {len(lay.fixtures)} fixtures, {len(lay.objects)} objects")
    if args.pictures:
        for path in write_pictures(args.pictures):
            print(f"wrote {path}")
    if args.docs:
        print(f"wrote {write_docs(args.docs, args.pictures or 'docs/floorplans')}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
