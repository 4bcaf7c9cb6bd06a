"""Plain-float 2D geometry used by the floor plan, physics and perception.

Everything here works on Python floats (no numpy) because it runs inside ``step``, where a
numpy call costs more than the arithmetic it wraps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Rect", "angle_diff", "segment_blocked", "wrap_angle"]


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned rectangle ``[x0, x1] × [y0, y1]`` in metres."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        """Centre x."""
        return 0.5 * (self.x0 + self.x1)

    @property
    def cy(self) -> float:
        """Centre y."""
        return 0.5 * (self.y0 + self.y1)

    @property
    def width(self) -> float:
        """Extent along x."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Extent along y."""
        return self.y1 - self.y0

    def contains(self, x: float, y: float) -> bool:
        """True if ``(x, y)`` lies inside or on the border."""
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def nearest_point(self, x: float, y: float) -> tuple[float, float]:
        """The point of the rectangle closest to ``(x, y)``."""
        return (min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1))

    def distance(self, x: float, y: float) -> float:
        """Euclidean distance from ``(x, y)`` to the rectangle (0 inside)."""
        dx = max(self.x0 - x, 0.0, x - self.x1)
        dy = max(self.y0 - y, 0.0, y - self.y1)
        return math.hypot(dx, dy)

    def as_list(self) -> list[float]:
        """``[x0, y0, x1, y1]``."""
        return [self.x0, self.y0, self.x1, self.y1]


def wrap_angle(a: float) -> float:
    """Wrap an angle to ``(-pi, pi]``."""
    a = math.fmod(a + math.pi, 2.0 * math.pi)
    if a <= 0.0:
        a += 2.0 * math.pi
    return a - math.pi


def angle_diff(a: float, b: float) -> float:
    """Signed smallest rotation from ``b`` to ``a``."""
    return wrap_angle(a - b)


def segment_blocked(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    vwalls: tuple[tuple[float, float, float], ...],
    hwalls: tuple[tuple[float, float, float], ...],
) -> bool:
    """True if the segment crosses a wall line.

    Args:
        x0: Segment start x.
        y0: Segment start y.
        x1: Segment end x.
        y1: Segment end y.
        vwalls: Vertical wall pieces ``(x, y_low, y_high)``.
        hwalls: Horizontal wall pieces ``(y, x_low, x_high)``.
    """
    dx = x1 - x0
    dy = y1 - y0
    for c, lo, hi in vwalls:
        if (x0 - c) * (x1 - c) < 0.0:
            y = y0 + (c - x0) / dx * dy
            if lo <= y <= hi:
                return True
    for c, lo, hi in hwalls:
        if (y0 - c) * (y1 - c) < 0.0:
            x = x0 + (c - y0) / dy * dx
            if lo <= x <= hi:
                return True
    return False
