"""A labelled top-down picture of the whole home, for people (demo, logs, debugging)."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
from PIL import Image, ImageDraw

from sim.home.layout import GRIPPER_OFFSET, RESIDENT_RADIUS, ROBOT_RADIUS, HomeLayout
from sim.home.perception import PERSON_COLOUR, ROBOT_COLOUR, WALL_COLOUR, kind_colour
from sim.home.world import WorldState

__all__ = ["render_home"]

_PX = 60  # pixels per metre
_MARGIN = 20
_HEADER = 24
_BACKGROUNDS: dict[int, tuple[HomeLayout, Image.Image]] = {}


def _xy(layout: HomeLayout, x: float, y: float) -> tuple[float, float]:
    # Image y grows downwards; world y grows upwards (north is up).
    return (_MARGIN + x * _PX, _HEADER + _MARGIN + (layout.height - y) * _PX)


def _box(layout: HomeLayout, r) -> tuple[float, float, float, float]:
    x0, y1 = _xy(layout, r.x0, r.y0)
    x1, y0 = _xy(layout, r.x1, r.y1)
    return (x0, y0, x1, y1)


def _background(layout: HomeLayout) -> Image.Image:
    hit = _BACKGROUNDS.get(id(layout))
    if hit is not None and hit[0] is layout:
        return hit[1]
    w = int(layout.width * _PX) + 2 * _MARGIN
    h = int(layout.height * _PX) + 2 * _MARGIN + _HEADER
    img = Image.new("RGB", (w, h), (250, 250, 250))
    d = ImageDraw.Draw(img)
    for room in layout.rooms.values():
        d.rectangle(_box(layout, room.rect), fill=room.colour)
    for wall in layout.walls:
        d.rectangle(_box(layout, wall), fill=WALL_COLOUR)
    for room in layout.rooms.values():
        x, y = _xy(layout, room.rect.x0, room.rect.y1)
        d.text((x + 6, y + 6), room.name.replace("_", " ").upper(), fill=(90, 90, 90))
    for f in layout.fixtures.values():
        d.rectangle(_box(layout, f.rect), fill=kind_colour(f.kind), outline=(40, 40, 40))
    _BACKGROUNDS[id(layout)] = (layout, img)
    return img


def render_home(layout: HomeLayout, world: WorldState, now: datetime) -> np.ndarray:
    """Draw rooms, fixtures (with state), objects, residents and the robot.

    Args:
        layout: The floor plan.
        world: Current state.
        now: Current time, shown in the header.

    Returns:
        ``uint8[H, W, 3]``.
    """
    img = _background(layout).copy()
    d = ImageDraw.Draw(img)
    for name, f in layout.fixtures.items():
        fs = world.fixtures[name]
        flags = []
        if f.openable:
            flags.append("open" if fs.open else "closed")
        if f.switchable:
            flags.append("ON" if fs.on else "off")
        x0, y0, x1, y1 = _box(layout, f.rect)
        label = name + (f" ({', '.join(flags)})" if flags else "")
        d.text((x0 + 2, y0 + 1), label, fill=(255, 40, 0) if fs.on else (0, 0, 0))
        if fs.open:
            d.rectangle((x0, y0, x1, y1), outline=(40, 200, 40), width=3)
    for name, o in world.objects.items():
        if o.relation in ("held", "with"):
            continue
        x, y = _xy(layout, o.x, o.y)
        d.ellipse(
            (x - 5, y - 5, x + 5, y + 5),
            fill=kind_colour(o.kind),
            outline=(120, 80, 0) if o.dirty else (0, 0, 0),
            width=2 if o.dirty else 1,
        )
        d.text((x + 6, y - 5), name + ("*" if o.dirty else ""), fill=(20, 20, 20))
    for name, p in world.residents.items():
        if not p.home:
            continue
        x, y = _xy(layout, p.x, p.y)
        r = RESIDENT_RADIUS * _PX
        d.ellipse((x - r, y - r, x + r, y + r), fill=PERSON_COLOUR, outline=(0, 0, 0))
        carried = [n for n, o in world.objects.items() if o.relation == "with" and o.place == name]
        extra = f" with {', '.join(carried)}" if carried else ""
        d.text((x - r, y + r + 1), f"{name} ({p.activity}){extra}", fill=(0, 0, 0))
    rb = world.robot
    x, y = _xy(layout, rb.x, rb.y)
    r = ROBOT_RADIUS * _PX
    d.ellipse((x - r, y - r, x + r, y + r), fill=ROBOT_COLOUR, outline=(0, 0, 0))
    gx, gy = _xy(
        layout,
        rb.x + GRIPPER_OFFSET * math.cos(rb.theta),
        rb.y + GRIPPER_OFFSET * math.sin(rb.theta),
    )
    d.line((x, y, gx, gy), fill=(0, 0, 0), width=3)
    d.text(
        (x - r, y + r + 1), "robot" + (f" holding {rb.held}" if rb.held else ""), fill=(0, 0, 120)
    )
    home = [n for n, p in world.residents.items() if p.home] or ["nobody"]
    d.text(
        (_MARGIN, 6),
        f"{now:%a %Y-%m-%d %H:%M:%S}   home: {', '.join(home)}   (* = dirty)",
        fill=(0, 0, 0),
    )
    return np.asarray(img, dtype=np.uint8).copy()
