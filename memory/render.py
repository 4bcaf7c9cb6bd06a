"""A top-down picture of what the robot believes: rooms, fixtures, objects and how sure it is.

Rooms are drawn from their registered rectangles (:meth:`SpatialMemory.register_room`) or,
failing that, from the bounding box of what was seen in them. Fixtures are grey squares;
each object is a dot whose opacity is the probability it is still where it was last
seen; an object found missing is a red cross at its last place.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from housemind.memory.spatial import p_still_there

if TYPE_CHECKING:
    from housemind.memory.spatial import SpatialMemory

__all__ = ["render_belief_map"]

_MARGIN_M = 0.6
_COLOURS = [
    (231, 240, 250),
    (236, 247, 232),
    (251, 240, 226),
    (243, 233, 247),
    (250, 246, 220),
    (229, 245, 245),
]


def render_belief_map(
    spatial: SpatialMemory,
    path: str | Path,
    now: datetime | None = None,
    *,
    rooms: dict[str, list[float]] | None = None,
    px_per_m: int = 80,
) -> Path:
    """Draw the belief map as a PNG.

    Args:
        spatial: The spatial memory to draw.
        path: Output file (``.png``).
        now: Time for the "still there" probabilities (default: the newest sighting).
        rooms: Room rectangles ``{name: [x0, y0, x1, y1]}`` in metres, overriding memory.
        px_per_m: Scale.

    Returns:
        The path written.

    Raises:
        ValueError: if memory knows no positions to draw.
    """
    from PIL import Image, ImageDraw

    objects = spatial.known_objects()
    fixtures = spatial.fixture_positions()
    rects = {**spatial.room_rects(), **(rooms or {})}
    if now is None:
        times = [o.time for o in objects if o.time is not None]
        now = max(times) if times else None
    # Rooms without a rectangle: the box around what was seen in them.
    pts: dict[str, list[tuple[float, float]]] = {}
    for f in fixtures.values():
        if f["x"] is not None and f["room"]:
            pts.setdefault(f["room"], []).append((f["x"], f["y"]))
    for o in objects:
        if o.x is not None and o.y is not None and o.room:
            pts.setdefault(o.room, []).append((o.x, o.y))
    for room, ps in pts.items():
        if room not in rects:
            xs, ys = [p[0] for p in ps], [p[1] for p in ps]
            rects[room] = [
                min(xs) - _MARGIN_M,
                min(ys) - _MARGIN_M,
                max(xs) + _MARGIN_M,
                max(ys) + _MARGIN_M,
            ]
    if not rects:
        raise ValueError("memory knows no rooms or positions yet: nothing to draw")
    x0 = min(r[0] for r in rects.values()) - _MARGIN_M
    y0 = min(r[1] for r in rects.values()) - _MARGIN_M
    x1 = max(r[2] for r in rects.values()) + _MARGIN_M
    y1 = max(r[3] for r in rects.values()) + _MARGIN_M
    w, h = int((x1 - x0) * px_per_m), int((y1 - y0) * px_per_m)

    def px(x: float, y: float) -> tuple[int, int]:
        # World y points up; image rows go down.
        return int((x - x0) * px_per_m), int((y1 - y) * px_per_m)

    img = Image.new("RGBA", (max(w, 1), max(h, 1)), (255, 255, 255, 255))
    draw = ImageDraw.Draw(img, "RGBA")
    for i, (name, r) in enumerate(sorted(rects.items())):
        a, b = px(r[0], r[3]), px(r[2], r[1])
        draw.rectangle([a, b], fill=_COLOURS[i % len(_COLOURS)], outline=(90, 90, 90), width=2)
        draw.text((a[0] + 4, a[1] + 4), name.replace("_", " "), fill=(40, 40, 40))
    half = int(0.25 * px_per_m)
    for name, f in fixtures.items():
        if f["x"] is None:
            continue
        cx, cy = px(f["x"], f["y"])
        draw.rectangle([cx - half, cy - half, cx + half, cy + half], fill=(170, 170, 170, 200))
        draw.text((cx - half, cy + half + 1), name.replace("_", " "), fill=(70, 70, 70))
    dot = max(3, int(0.08 * px_per_m))
    for o in objects:
        if o.x is None or o.y is None:
            continue
        cx, cy = px(o.x, o.y)
        if o.missing:
            draw.line([cx - dot, cy - dot, cx + dot, cy + dot], fill=(200, 30, 30), width=3)
            draw.line([cx - dot, cy + dot, cx + dot, cy - dot], fill=(200, 30, 30), width=3)
        else:
            p = p_still_there(o, now) if now is not None else 1.0
            alpha = int(60 + 195 * p)
            draw.ellipse([cx - dot, cy - dot, cx + dot, cy + dot], fill=(20, 90, 200, alpha))
        draw.text((cx + dot + 2, cy - dot), o.name.replace("_", " "), fill=(20, 40, 90))
    out = Path(path)
    img.convert("RGB").save(out, format="PNG")
    return out
