"""Precomputed occupancy: a fine clearance field for collisions, a coarse grid for A*.

Both are built once per layout. ``step`` only indexes a ``bytes`` bitmap of the positions
where the robot's centre may be, so a collision check costs two multiplications and a
lookup. The bitmap's 2 cm cells are much finer than a tick's travel (≤ 2.3 cm at 50 Hz) and
walls are 0.6 m thick in configuration space, so the robot cannot tunnel.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict

import numpy as np

from housemind.sim.home.layout import ROBOT_RADIUS, HomeLayout

__all__ = ["Occupancy", "occupancy_for"]

_FINE = 0.02  # collision bitmap resolution (m)
_COARSE = 0.1  # planning grid resolution (m)
#: Clearance the planner keeps between the robot's centre and obstacles (m).
PLAN_CLEARANCE = ROBOT_RADIUS + 0.05
_CAP = 1.0  # clearance values are capped here (m)


def _clearance(layout: HomeLayout, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Distance from grid points to the nearest wall or fixture, ``float32[len(ys), len(xs)]``.

    Capped at :data:`_CAP`: nothing needs more clearance than that, and the cap lets each
    rectangle touch only a window of the grid, so building takes milliseconds.
    """
    out = np.full((len(ys), len(xs)), _CAP, dtype=np.float32)
    for r in [*layout.walls, *(f.rect for f in layout.fixtures.values())]:
        i0, i1 = np.searchsorted(xs, [r.x0 - _CAP, r.x1 + _CAP])
        j0, j1 = np.searchsorted(ys, [r.y0 - _CAP, r.y1 + _CAP])
        sx, sy = xs[i0:i1], ys[j0:j1]
        dx = np.maximum(np.maximum(r.x0 - sx, sx - r.x1), 0.0)
        dy = np.maximum(np.maximum(r.y0 - sy, sy - r.y1), 0.0)
        win = out[j0:j1, i0:i1]
        np.minimum(win, np.hypot(dx[None, :], dy[:, None]), out=win)
    return out


class Occupancy:
    """Collision bitmap, clearance field and A* planner for one layout."""

    def __init__(self, layout: HomeLayout) -> None:
        self.layout = layout
        self.nx = int(round(layout.width / _FINE))
        self.ny = int(round(layout.height / _FINE))
        xs = (np.arange(self.nx) + 0.5) * _FINE
        ys = (np.arange(self.ny) + 0.5) * _FINE
        self.field = _clearance(layout, xs, ys)
        # A cell is free only if every point in it is: the centre's clearance minus half
        # the cell diagonal. Conservative by 1.4 cm, never penetrating.
        self._free = (self.field >= ROBOT_RADIUS + _FINE * 0.7072).astype(np.uint8).tobytes()
        self.gx = int(round(layout.width / _COARSE))
        self.gy = int(round(layout.height / _COARSE))
        gxs = (np.arange(self.gx) + 0.5) * _COARSE
        gys = (np.arange(self.gy) + 0.5) * _COARSE
        self.grid_clearance = _clearance(layout, gxs, gys)
        self._grid_free = (self.grid_clearance >= PLAN_CLEARANCE).ravel().tolist()

    # -- collision ----------------------------------------------------------------------

    def is_free(self, x: float, y: float) -> bool:
        """True if the robot's centre may be at ``(x, y)`` (walls and fixtures only)."""
        ix = int(x * 50.0)  # 1 / _FINE
        iy = int(y * 50.0)
        if ix < 0 or iy < 0 or ix >= self.nx or iy >= self.ny:
            return False
        return self._free[iy * self.nx + ix] == 1

    def clearance(self, x: float, y: float) -> float:
        """Distance from ``(x, y)`` to the nearest wall or fixture (0 outside the home)."""
        ix = int(x / _FINE)
        iy = int(y / _FINE)
        if ix < 0 or iy < 0 or ix >= self.nx or iy >= self.ny:
            return 0.0
        return float(self.field[iy, ix])

    def escape_direction(self, x: float, y: float) -> tuple[float, float]:
        """Unit vector along which clearance grows fastest (to back off a wall)."""
        h = 0.04
        gx = self.clearance(x + h, y) - self.clearance(x - h, y)
        gy = self.clearance(x, y + h) - self.clearance(x, y - h)
        n = math.hypot(gx, gy)
        return (gx / n, gy / n) if n > 1e-9 else (0.0, 0.0)

    def line_clear(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        margin: float,
        blockers: list[tuple[float, float, float]] = (),
    ) -> bool:
        """True if a disc of radius ``margin`` can slide straight from one point to another.

        Args:
            x0: Start x.
            y0: Start y.
            x1: End x.
            y1: End y.
            margin: Required clearance along the way.
            blockers: Extra discs ``(x, y, r)`` to keep ``r`` away from (people).
        """
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / 0.04))
        for i in range(n + 1):
            t = i / n
            x = x0 + (x1 - x0) * t
            y = y0 + (y1 - y0) * t
            if self.clearance(x, y) < margin:
                return False
            for bx, by, br in blockers:
                if (x - bx) ** 2 + (y - by) ** 2 < br * br:
                    return False
        return True

    # -- planning -----------------------------------------------------------------------

    def _cell(self, x: float, y: float) -> tuple[int, int]:
        return (
            min(max(int(x / _COARSE), 0), self.gx - 1),
            min(max(int(y / _COARSE), 0), self.gy - 1),
        )

    def plan(
        self,
        start: tuple[float, float],
        goal: tuple[float, float],
        blockers: list[tuple[float, float, float]] = (),
    ) -> list[tuple[float, float]] | None:
        """A* from ``start`` to ``goal`` on the coarse grid, then shortcut.

        Args:
            start: Robot position.
            goal: Goal position (must have planning clearance).
            blockers: Discs ``(x, y, r)`` the path must avoid (people, inflated).

        Returns:
            Waypoints from ``start`` to ``goal`` inclusive, or None if there is no path.
        """
        gx = self.gx
        free = list(self._grid_free)
        for bx, by, br in blockers:
            cx0, cy0 = self._cell(bx - br, by - br)
            cx1, cy1 = self._cell(bx + br, by + br)
            for cy in range(cy0, cy1 + 1):
                for cx in range(cx0, cx1 + 1):
                    px, py = (cx + 0.5) * _COARSE, (cy + 0.5) * _COARSE
                    if (px - bx) ** 2 + (py - by) ** 2 < br * br:
                        free[cy * gx + cx] = False
        s = self._nearest_free(self._cell(*start), free)
        g = self._nearest_free(self._cell(*goal), free)
        if s is None or g is None:
            return None
        si, gi = s[1] * gx + s[0], g[1] * gx + g[0]
        came: dict[int, int] = {si: -1}
        cost = {si: 0.0}
        gxx, gyy = g
        heap = [(0.0, si)]
        steps = (
            (1, 0, 1.0),
            (-1, 0, 1.0),
            (0, 1, 1.0),
            (0, -1, 1.0),
            (1, 1, 1.4142),
            (1, -1, 1.4142),
            (-1, 1, 1.4142),
            (-1, -1, 1.4142),
        )
        found = False
        while heap:
            _, cur = heapq.heappop(heap)
            if cur == gi:
                found = True
                break
            cx, cy = cur % gx, cur // gx
            c0 = cost[cur]
            for ddx, ddy, w in steps:
                nx, ny = cx + ddx, cy + ddy
                if nx < 0 or ny < 0 or nx >= gx or ny >= self.gy:
                    continue
                ni = ny * gx + nx
                if not free[ni]:
                    continue
                if ddx and ddy and not (free[cy * gx + nx] and free[ny * gx + cx]):
                    continue  # no corner cutting
                nc = c0 + w
                if nc < cost.get(ni, math.inf):
                    cost[ni] = nc
                    came[ni] = cur
                    hx, hy = abs(nx - gxx), abs(ny - gyy)
                    heapq.heappush(heap, (nc + max(hx, hy) + 0.4142 * min(hx, hy), ni))
        if not found:
            return None
        cells = []
        cur = gi
        while cur != -1:
            cells.append(((cur % gx + 0.5) * _COARSE, (cur // gx + 0.5) * _COARSE))
            cur = came[cur]
        cells.reverse()
        pts = [start, *cells[1:-1], goal] if len(cells) > 1 else [start, goal]
        return self._shortcut(pts, blockers)

    def _nearest_free(self, cell: tuple[int, int], free: list[bool]) -> tuple[int, int] | None:
        cx, cy = cell
        if free[cy * self.gx + cx]:
            return cell
        for rad in range(1, 8):  # up to 0.7 m away
            best = None
            for dy in range(-rad, rad + 1):
                for dx in range(-rad, rad + 1):
                    if max(abs(dx), abs(dy)) != rad:
                        continue
                    nx, ny = cx + dx, cy + dy
                    if 0 <= nx < self.gx and 0 <= ny < self.gy and free[ny * self.gx + nx]:
                        d = dx * dx + dy * dy
                        if best is None or d < best[0]:
                            best = (d, (nx, ny))
            if best is not None:
                return best[1]
        return None

    def _shortcut(
        self, pts: list[tuple[float, float]], blockers: list[tuple[float, float, float]]
    ) -> list[tuple[float, float]]:
        # Shortcuts keep the full planning clearance: the follower strays a centimetre or
        # two from them in turns, and the collision bitmap is conservative by 1.4 cm.
        margin = PLAN_CLEARANCE
        out = [pts[0]]
        i = 0
        while i < len(pts) - 1:
            j = len(pts) - 1
            while j > i + 1 and not self.line_clear(*pts[i], *pts[j], margin, blockers):
                j -= 1
            out.append(pts[j])
            i = j
        return out


_CACHE: OrderedDict[int, tuple[HomeLayout, Occupancy]] = OrderedDict()
#: Occupancies kept (a house's is ~2 MB; furniture seeds make many layouts of one plan).
_CACHE_SIZE = 32


def occupancy_for(layout: HomeLayout) -> Occupancy:
    """The occupancy of ``layout``, built on first use and cached (layouts are read-only).

    The most recently used :data:`_CACHE_SIZE` are kept; an env holds on to its own.
    """
    key = id(layout)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not layout:
        hit = (layout, Occupancy(layout))
        _CACHE[key] = hit
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return hit[1]
