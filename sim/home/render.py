"""A labelled top-down picture of the whole home, for people (demo, logs, recordings).

The left part is the floor plan drawn to scale: rooms, walls, fixtures with their state
(a red rim while switched on, a flame glyph while heating, a green rim while open), the
objects that can be seen (a brown rim when dirty, a red one when hot, a cross when
broken), spills and other hazards, people and the robot with its gripper. Labels are
placed greedily so that they never overlap: whatever does not fit on the map is still in
the legend on the right, which lists every fixture room by room with its state and what
is on or in it (the contents of closed containers too, in brackets), who is where, and
the hazards. For a given floor plan and household the picture has a fixed size, so the
frames of an episode make a video.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from datetime import datetime

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from housemind.sim.home.layout import GRIPPER_OFFSET, RESIDENT_RADIUS, ROBOT_RADIUS, HomeLayout
from housemind.sim.home.perception import PERSON_COLOUR, ROBOT_COLOUR, WALL_COLOUR, kind_colour
from housemind.sim.home.world import BURNT_AT, DRY_BELOW, ROOM_TEMP_C, ObjectState, WorldState

__all__ = ["MapHazard", "object_label", "render_home"]

_PX = 60  # pixels per metre
_MARGIN = 16
_HEADER = 26
_PANEL_W = 380
_LINE = 13
_HOT_C = 50.0  # warmer than this is shown as hot
_SPILL_FILL = (150, 195, 250)
_HAZARD_RED = (220, 30, 30)

#: A hazard to mark on the map: ``(label, x, y)`` in world metres.
MapHazard = tuple[str, float, float]


@functools.cache
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=4096)
def _text_image(text: str, size: int, fill: tuple[int, int, int], halo: bool) -> Image.Image:
    """``text`` drawn once on a transparent tile (glyph rendering is most of a frame)."""
    font = _font(size)
    pad = 2 if halo else 0
    b = font.getbbox(text)
    tile = Image.new("RGBA", (b[2] - b[0] + 2 * pad + 1, b[3] - b[1] + 2 * pad + 1))
    ImageDraw.Draw(tile).text(
        (pad - b[0], pad - b[1]),
        text,
        font=font,
        fill=(*fill, 255),
        stroke_width=pad,
        stroke_fill=(255, 255, 255, 255),
    )
    return tile


def _text(
    img: Image.Image,
    xy: tuple[float, float],
    text: str,
    size: int,
    fill: tuple[int, int, int],
    anchor: str = "la",
    halo: bool = False,
) -> tuple[float, float, float, float]:
    """Paste ``text`` anchored like Pillow's ``anchor`` (``l|m|r`` + ``a|m|d``); its box."""
    tile = _text_image(text, size, fill, halo)
    w, h = tile.size
    x = xy[0] - {"l": 0, "m": w / 2, "r": w}[anchor[0]]
    y = xy[1] - {"a": 0, "m": h / 2, "d": h}[anchor[1]]
    img.paste(tile, (int(x), int(y)), tile)
    return (int(x), int(y), int(x) + w, int(y) + h)


def _text_box(
    xy: tuple[float, float], text: str, size: int, anchor: str
) -> tuple[float, float, float, float]:
    tile = _text_image(text, size, (0, 0, 0), True)
    w, h = tile.size
    x = int(xy[0] - {"l": 0, "m": w / 2, "r": w}[anchor[0]])
    y = int(xy[1] - {"a": 0, "m": h / 2, "d": h}[anchor[1]])
    return (x, y, x + w, y + h)


def _xy(layout: HomeLayout, x: float, y: float) -> tuple[float, float]:
    # Image y grows downwards; world y grows upwards (north is up).
    return (_MARGIN + x * _PX, _HEADER + _MARGIN + (layout.height - y) * _PX)


def _box(layout: HomeLayout, r) -> tuple[float, float, float, float]:
    x0, y1 = _xy(layout, r.x0, r.y0)
    x1, y0 = _xy(layout, r.x1, r.y1)
    return (x0, y0, x1, y1)


def _map_size(layout: HomeLayout) -> tuple[int, int]:
    return (
        int(math.ceil(layout.width * _PX)) + 2 * _MARGIN,
        int(math.ceil(layout.height * _PX)) + 2 * _MARGIN + _HEADER,
    )


def _legend_lines_needed(layout: HomeLayout, people: int) -> int:
    # A header and a "floor:" line per room, a line per fixture, the people, the robot
    # and room for a few hazards: fixed per plan, so every frame has the same size.
    return 2 * len(layout.rooms) + len(layout.fixtures) + people + 10


_BACKGROUNDS: dict[tuple[int, int], tuple[HomeLayout, Image.Image]] = {}


def _background(layout: HomeLayout, people: int) -> Image.Image:
    key = (id(layout), people)
    hit = _BACKGROUNDS.get(key)
    if hit is not None and hit[0] is layout:
        return hit[1]
    mw, mh = _map_size(layout)
    h = max(mh, _HEADER + _MARGIN + _LINE * _legend_lines_needed(layout, people))
    img = Image.new("RGB", (mw + _PANEL_W, h), (250, 250, 250))
    d = ImageDraw.Draw(img)
    d.rectangle((mw, 0, mw + _PANEL_W, h), fill=(244, 244, 240))
    d.line((mw, 0, mw, h), fill=(200, 200, 200))
    for room in layout.rooms.values():
        d.rectangle(_box(layout, room.rect), fill=room.colour)
    for wall in layout.walls:
        d.rectangle(_box(layout, wall), fill=WALL_COLOUR)
    for f in layout.fixtures.values():
        d.rectangle(_box(layout, f.rect), fill=kind_colour(f.kind), outline=(40, 40, 40))
    _BACKGROUNDS[key] = (layout, img)
    if len(_BACKGROUNDS) > 32:  # furniture seeds make many layouts of one plan
        del _BACKGROUNDS[next(iter(_BACKGROUNDS))]
    return img


class _Labeller:
    """Greedy label placement: the first candidate position that overlaps nothing wins."""

    def __init__(self, img: Image.Image, width: int, height: int) -> None:
        self.img = img
        self.w, self.h = width, height
        self.taken: list[tuple[float, float, float, float]] = []

    def block(self, box: tuple[float, float, float, float]) -> None:
        self.taken.append(box)

    def _free(self, b: tuple[float, float, float, float]) -> bool:
        if b[0] < 1 or b[1] < _HEADER or b[2] > self.w - 1 or b[3] > self.h - 1:
            return False
        return all(b[2] <= t[0] or b[0] >= t[2] or b[3] <= t[1] or b[1] >= t[3] for t in self.taken)

    def place(
        self,
        text: str,
        anchors: Iterable[tuple[float, float, str]],
        fill: tuple[int, int, int],
        size: int = 11,
    ) -> bool:
        """Draw ``text`` at the first free anchor; ``(x, y, pillow-anchor)`` candidates."""
        for x, y, anchor in anchors:
            b = _text_box((x, y), text, size, anchor)
            if self._free(b):
                _text(self.img, (x, y), text, size, fill, anchor, halo=True)
                self.taken.append(b)
                return True
        return False


def _around(x: float, y: float, r: float) -> list[tuple[float, float, str]]:
    return [
        (x + r + 2, y, "lm"),
        (x - r - 2, y, "rm"),
        (x, y - r - 1, "md"),
        (x, y + r + 1, "ma"),
        (x + r, y - r, "ld"),
        (x + r, y + r, "la"),
        (x - r, y - r, "rd"),
        (x - r, y + r, "ra"),
    ]


def object_label(name: str, o: ObjectState) -> str:
    """``name`` with the state a person would want to know (dirty, hot, cooked...)."""
    flags = []
    if o.dirty:
        flags.append("dirty")
    if o.broken:
        flags.append("broken")
    if o.temp >= _HOT_C:
        flags.append(f"{o.temp:.0f}°C")
    if o.cooked >= BURNT_AT:
        flags.append("BURNT")
    elif o.cooked >= 1.0:
        flags.append("cooked")
    elif o.cooked > 0.0:
        flags.append(f"cooking {o.cooked:.0%}")
    if o.liquid:
        flags.append(f"{o.liquid} {o.fill:.0%}")
    if o.food:
        flags.insert(0, o.food)
    if o.quantity < 1.0:
        flags.append(f"{o.quantity:.0%} left")
    if o.wet:
        flags.append("wet")
    if o.folded:
        flags.append("folded")
    if o.kind == "plant" or o.moisture < 1.0:
        flags.append(f"{'DRY ' if o.moisture < DRY_BELOW else ''}soil {o.moisture:.0%}")
    return name + (f" ({', '.join(flags)})" if flags else "")


def _fixture_flags(layout: HomeLayout, name: str, world: WorldState) -> list[str]:
    f = layout.fixtures[name]
    fs = world.fixtures[name]
    flags = []
    if f.openable:
        flags.append("open" if fs.open else "closed")
    if f.switchable:
        flags.append("ON" if fs.on else "off")
    if fs.cycle:
        flags.append(fs.cycle)
    if fs.temp >= _HOT_C or fs.temp < ROOM_TEMP_C - 5:
        flags.append(f"{fs.temp:.0f}°C")
    if fs.liquid:
        flags.append(f"{fs.liquid} {fs.fill:.0%}")
    if fs.dirt > 0.0:
        flags.append(f"dirt {fs.dirt:.0%}")
    return flags


def _state_hazards(layout: HomeLayout, world: WorldState) -> list[MapHazard]:
    from housemind.sim.home.hazards import hazards

    return [(h.text or h.kind.replace("_", " "), h.x, h.y) for h in hazards(world, layout)]


def _people_radius(kind: str) -> float:
    from housemind.sim.home.hazards import CHILD_KINDS, PET_KINDS

    return 0.16 if kind in PET_KINDS else 0.22 if kind in CHILD_KINDS else RESIDENT_RADIUS


def _people_colour(kind: str) -> tuple[int, int, int]:
    from housemind.sim.home.hazards import CHILD_KINDS, PET_KINDS

    if kind in PET_KINDS:
        return (150, 100, 60)
    return (255, 150, 90) if kind in CHILD_KINDS else PERSON_COLOUR


def render_home(
    layout: HomeLayout,
    world: WorldState,
    now: datetime,
    *,
    hazards: Iterable[MapHazard] | None = None,
) -> np.ndarray:
    """Draw rooms, fixtures (with state), objects, people, hazards, the robot and a legend.

    Args:
        layout: The floor plan.
        world: Current state.
        now: Current time, shown in the header.
        hazards: Hazards to mark on the map and list in the legend, ``(label, x, y)``;
            by default those :func:`sim.home.hazards.hazards` finds in ``world`` (floor
            hazards are drawn as the spills they are). Spills are always drawn.

    Returns:
        ``uint8[H, W, 3]``; the size depends only on the plan and the number of people.
    """
    img = _background(layout, len(world.residents)).copy()
    mw, mh = _map_size(layout)
    d = ImageDraw.Draw(img)
    lab = _Labeller(img, mw, mh)
    hidden_in = {
        n
        for n, f in layout.fixtures.items()
        if f.openable and f.container and not world.fixtures[n].open
    }

    # -- fixture state on the map ------------------------------------------------------
    for name, f in layout.fixtures.items():
        fs = world.fixtures[name]
        x0, y0, x1, y1 = _box(layout, f.rect)
        if fs.dirt > 0.0:
            step = max(4, int(12 - 8 * fs.dirt))
            for px in range(int(x0) + 2, int(x1) - 1, step):
                for py in range(int(y0) + 2, int(y1) - 1, step):
                    d.point((px, py), fill=(100, 70, 30))
        if fs.on:
            d.rectangle((x0, y0, x1, y1), outline=(235, 40, 0), width=3)
        if fs.open:
            inset = 3 if min(x1 - x0, y1 - y0) > 10 else -2  # thin doors: a rim around
            d.rectangle(
                (x0 + inset, y0 + inset, x1 - inset, y1 - inset), outline=(40, 190, 40), width=3
            )
        hot = fs.temp >= _HOT_C or (fs.on and f.kind in ("stove", "oven", "kettle"))
        if hot:
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            d.ellipse((cx - 7, cy - 7, cx + 7, cy + 7), fill=(255, 120, 0), outline=(200, 0, 0))
            d.ellipse((cx - 3, cy - 3, cx + 3, cy + 3), fill=(255, 230, 80))
        if fs.on and fs.liquid == "" and f.kind in ("sink", "bathroom_sink", "bathtub"):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            d.ellipse((cx - 5, cy - 5, cx + 5, cy + 5), fill=(40, 120, 255))

    # -- spills and hazards ------------------------------------------------------------
    for sp in world.spills.values():
        x, y = _xy(layout, sp.x, sp.y)
        r = sp.radius * _PX
        d.ellipse((x - r, y - r, x + r, y + r), fill=_SPILL_FILL, outline=(30, 90, 220), width=2)
    marks = list(hazards) if hazards is not None else _state_hazards(layout, world)
    for _label, hx, hy in marks:
        x, y = _xy(layout, hx, hy)
        d.polygon([(x, y - 9), (x - 8, y + 6), (x + 8, y + 6)], fill=(255, 220, 0))
        d.polygon([(x, y - 9), (x - 8, y + 6), (x + 8, y + 6)], outline=_HAZARD_RED, width=2)
        _text(img, (x, y + 1), "!", 10, (0, 0, 0), "mm")
        lab.block((x - 9, y - 10, x + 9, y + 7))

    # -- objects -------------------------------------------------------------------------
    visible: list[tuple[str, ObjectState, float, float]] = []
    for name, o in world.objects.items():
        if o.relation in ("held", "with") or (o.relation == "in" and o.place in hidden_in):
            continue
        x, y = _xy(layout, o.x, o.y)
        visible.append((name, o, x, y))
        rim, width = (0, 0, 0), 1
        if o.dirty:
            rim, width = (120, 75, 0), 3
        if o.temp >= _HOT_C or o.cooked >= BURNT_AT:
            rim, width = (230, 0, 0), 3
        fill = (30, 20, 20) if o.cooked >= BURNT_AT else kind_colour(o.kind)
        d.ellipse((x - 5, y - 5, x + 5, y + 5), fill=fill, outline=rim, width=width)
        if o.broken:
            d.line((x - 6, y - 6, x + 6, y + 6), fill=(200, 0, 0), width=2)
            d.line((x - 6, y + 6, x + 6, y - 6), fill=(200, 0, 0), width=2)
        if o.kind == "plant" and o.moisture < DRY_BELOW:
            d.arc((x - 8, y - 8, x + 8, y + 8), 0, 360, fill=(200, 140, 0), width=2)
        lab.block((x - 6, y - 6, x + 6, y + 6))

    # -- people and the robot ------------------------------------------------------------
    for p in world.residents.values():
        if not p.home:
            continue
        x, y = _xy(layout, p.x, p.y)
        r = _people_radius(p.kind) * _PX
        d.ellipse((x - r, y - r, x + r, y + r), fill=_people_colour(p.kind), outline=(0, 0, 0))
        lab.block((x - r, y - r, x + r, y + r))
    rb = world.robot
    x, y = _xy(layout, rb.x, rb.y)
    r = ROBOT_RADIUS * _PX
    d.ellipse((x - r, y - r, x + r, y + r), fill=ROBOT_COLOUR, outline=(0, 0, 0), width=2)
    gx, gy = _xy(
        layout,
        rb.x + GRIPPER_OFFSET * math.cos(rb.theta),
        rb.y + GRIPPER_OFFSET * math.sin(rb.theta),
    )
    d.line((x, y, gx, gy), fill=(0, 0, 0), width=3)
    if rb.held is not None:
        d.ellipse(
            (gx - 5, gy - 5, gx + 5, gy + 5),
            fill=kind_colour(world.objects[rb.held].kind),
            outline=(0, 0, 0),
        )
    lab.block((x - r, y - r, x + r, y + r))

    # -- labels, most important first ----------------------------------------------------
    for name, p in world.residents.items():
        if p.home:
            px, py = _xy(layout, p.x, p.y)
            pr = _people_radius(p.kind) * _PX
            lab.place(f"{name} ({p.activity})", _around(px, py, pr), (150, 0, 90), 12)
    lab.place("robot" + (f" + {rb.held}" if rb.held else ""), _around(x, y, r), (0, 40, 150), 12)
    for label, hx, hy in marks:
        hx_, hy_ = _xy(layout, hx, hy)
        lab.place(label, _around(hx_, hy_, 9), _HAZARD_RED, 11)
    for sp in world.spills.values():
        sx, sy = _xy(layout, sp.x, sp.y)
        lab.place(sp.kind.replace("_", " "), [(sx, sy, "mm")], (20, 60, 170), 10)
    for room in layout.rooms.values():
        rx, ry = _xy(layout, room.rect.x0, room.rect.y1)
        lab.place(
            room.name.replace("_", " ").upper(),
            [(rx + 6, ry + 5, "la"), (rx + 6, ry + 22, "la")],
            (95, 95, 95),
            12,
        )
    for name, f in layout.fixtures.items():
        x0, y0, x1, y1 = _box(layout, f.rect)
        colour = (200, 20, 0) if world.fixtures[name].on else (0, 0, 0)
        lab.place(
            name.replace("_", " "),
            [
                (x0 + 3, y0 + 2, "la"),
                ((x0 + x1) / 2, (y0 + y1) / 2, "mm"),
                (x0, y1 + 2, "la"),
                (x0, y0 - 2, "ld"),
                (x1 + 2, y0, "la"),
                (x0 - 2, y0, "ra"),
            ],
            colour,
            10,
        )
    for name, o, ox, oy in visible:
        tag = name + ("*" if o.dirty else "")
        colour = (110, 60, 0) if o.dirty else (25, 25, 25)
        if o.relation == "floor":
            lab.place(tag, _around(ox, oy, 6), colour, 11)
        else:
            lab.place(tag, _around(ox, oy, 6), colour, 10)

    # -- header and legend ------------------------------------------------------------
    home = [n for n, p in world.residents.items() if p.home] or ["nobody"]
    d.text(
        (_MARGIN, 7),
        f"{now:%a %Y-%m-%d %H:%M:%S}    home: {', '.join(home)}",
        font=_font(13),
        fill=(0, 0, 0),
    )
    _legend(img, d, layout, world, mw, marks)
    return np.asarray(img, dtype=np.uint8).copy()


def _legend(
    img: Image.Image,
    d: ImageDraw.ImageDraw,
    layout: HomeLayout,
    world: WorldState,
    x0: int,
    marks: list[MapHazard],
) -> None:
    font = _font(11)
    height = img.height
    x = x0 + 8
    right = x0 + _PANEL_W - 6
    lines: list[tuple[str, tuple[int, int, int], int]] = []  # text, colour, indent
    _text(img, (x, 7), "red rim: on · green: open · * dirty · (…) inside, closed", 11, (80, 80, 80))
    by_place: dict[str, list[str]] = {}
    floor: dict[str, list[str]] = {}
    for name, o in world.objects.items():
        if o.relation in ("on", "in"):
            by_place.setdefault(o.place, []).append(object_label(name, o))
        elif o.relation == "floor":
            floor.setdefault(o.place, []).append(object_label(name, o))
    rb = world.robot
    held = f" holding {object_label(rb.held, world.objects[rb.held])}" if rb.held else ""
    lines.append((f"ROBOT in {layout.room_at(rb.x, rb.y)}{held}", (0, 40, 150), 0))
    for name, p in world.residents.items():
        if p.home:
            carried = [
                n for n, o in world.objects.items() if o.relation == "with" and o.place == name
            ]
            extra = f", with {', '.join(carried)}" if carried else ""
            lines.append((f"{name} ({p.kind}): {p.activity} in {p.room}{extra}", (150, 0, 90), 0))
        else:
            lines.append((f"{name} ({p.kind}): away", (130, 130, 130), 0))
    if marks or world.spills:
        lines.append(("HAZARDS", _HAZARD_RED, 0))
        for label, _, _ in marks:
            lines.append((label, _HAZARD_RED, 8))
        for name, sp in world.spills.items():
            lines.append((f"{sp.kind} ({name}) in {layout.room_at(sp.x, sp.y)}", (20, 60, 170), 8))
    for room in layout.rooms:
        lines.append((room.replace("_", " ").upper(), (90, 90, 90), 0))
        for name, f in layout.fixtures.items():
            if f.room != room:
                continue
            flags = _fixture_flags(layout, name, world)
            text = name + (f" [{', '.join(flags)}]" if flags else "")
            things = by_place.get(name, [])
            if things:
                inner = ", ".join(things)
                closed = f.openable and f.container and not world.fixtures[name].open
                text += f": ({inner})" if closed else f": {inner}"
            colour = (190, 20, 0) if world.fixtures[name].on else (20, 20, 20)
            lines.append((text, colour, 8))
        if floor.get(room):
            lines.append(("floor: " + ", ".join(floor[room]), (110, 60, 0), 8))
    y = _HEADER
    for text, colour, indent in lines:
        if y + _LINE > height - 2:
            _text(img, (x, y), "…", 11, (0, 0, 0))
            break
        _text(img, (x + indent, y), _fit(d, text, right - x - indent, font), 11, colour)
        y += _LINE


def _fit(d: ImageDraw.ImageDraw, text: str, width: float, font) -> str:
    if d.textlength(text, font=font) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if d.textlength(text[:mid] + "…", font=font) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"
