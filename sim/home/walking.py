"""Where people stand and how they walk there: spots beside fixtures, paths through the home.

A *spot* is a point of free floor where a person (a disc of
:data:`~sim.home.layout.RESIDENT_RADIUS`) can stand or sit: beside a fixture ("at the
table", "in bed" is the bedside) or on open floor of a room ("playing in the living room").
Spots keep clear of the robot's approach poses where they can, so a person at the table
does not stand where the robot must stand to reach it.

Paths are planned on a 20 cm grid of the floor (people need no finer one, and a coarse grid
makes a flood cheap): one Dijkstra flood per destination, cached, serves every start, so a
household's week of walking costs a few dozen floods however often people come and go.
A path is then pulled straight wherever a person fits (:meth:`Occupancy.line_clear`).
Position along a path is a pure function of the time since setting off
(:func:`position_along`), which is what lets the simulator evaluate it lazily.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from housemind.sim.home.layout import RESIDENT_RADIUS, HomeLayout
from housemind.sim.home.occupancy import _COARSE, _FINE, PLAN_CLEARANCE, Occupancy, occupancy_for

__all__ = [
    "PERSON_CLEARANCE",
    "SPOT_CLEARANCE",
    "FloorPlanner",
    "floor_planner",
    "path_length",
    "position_along",
]

#: Clearance a walking person's centre keeps from walls and furniture (m). Less than the
#: body radius: people turn their shoulders in a doorway, and a 0.9 m door must admit them.
PERSON_CLEARANCE = 0.26
#: Clearance of a spot where a person stands or sits for a while (m).
SPOT_CLEARANCE = RESIDENT_RADIUS + 0.03
#: Open floor (playing, a pet wandering) keeps this much room around it (m).
OPEN_FLOOR_CLEARANCE = 0.45
_CELL = 0.2  # planning grid resolution (m)
_SPOT_OFFSET = RESIDENT_RADIUS + 0.1  # from a fixture's edge to the spot's centre (m)
#: A person keeps this far from the robot's approach poses where they can (m): the
#: planner keeps the robot's centre PLAN_CLEARANCE off a person's disc, plus a margin.
_KEEP_OFF = RESIDENT_RADIUS + PLAN_CLEARANCE + 0.15
_PASS_WINDOW = 1.6  # half-size (m) of the window in which a spot must not cut the floor
_STEPS = (
    (1, 0, 1.0),
    (-1, 0, 1.0),
    (0, 1, 1.0),
    (0, -1, 1.0),
    (1, 1, math.sqrt(2.0)),
    (1, -1, math.sqrt(2.0)),
    (-1, 1, math.sqrt(2.0)),
    (-1, -1, math.sqrt(2.0)),
)


def path_length(path: list[float]) -> float:
    """Length (m) of a flat ``[x0, y0, x1, y1, ...]`` path."""
    total = 0.0
    for i in range(0, len(path) - 2, 2):
        total += math.hypot(path[i + 2] - path[i], path[i + 3] - path[i + 1])
    return total


def position_along(path: list[float], dist: float) -> tuple[float, float, bool]:
    """Where one is after walking ``dist`` metres along a flat path.

    Returns:
        ``(x, y, arrived)``; ``arrived`` is True at or past the end.
    """
    if dist <= 0.0:
        return path[0], path[1], len(path) <= 2
    for i in range(0, len(path) - 2, 2):
        x0, y0, x1, y1 = path[i], path[i + 1], path[i + 2], path[i + 3]
        seg = math.hypot(x1 - x0, y1 - y0)
        if dist < seg:
            t = dist / seg
            return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, False
        dist -= seg
    return path[-2], path[-1], True


class FloorPlanner:
    """Spots and walking paths for one layout (build with :func:`floor_planner`).

    Args:
        layout: The floor plan.
    """

    def __init__(self, layout: HomeLayout) -> None:
        self.layout = layout
        self.occupancy: Occupancy = occupancy_for(layout)
        occ = self.occupancy
        self.nx = max(1, int(math.ceil(layout.width / _CELL)))
        self.ny = max(1, int(math.ceil(layout.height / _CELL)))
        free = [
            occ.clearance((i + 0.5) * _CELL, (j + 0.5) * _CELL) >= PERSON_CLEARANCE
            for j in range(self.ny)
            for i in range(self.nx)
        ]
        self._free = self._main_component(free)
        # Neighbours of every walkable cell, with step costs, for the floods.
        self._adj: list[tuple[tuple[int, float], ...]] = [
            tuple(self._neighbours(c, self._free)) if ok else () for c, ok in enumerate(self._free)
        ]
        self._field_m = occ.field  # clearance field (for vectorised straight-line checks)
        self._keep_off = [(x, y) for x, y, _ in layout.approach.values()]
        self._fields: dict[int, list[float]] = {}
        self._fixture_spots: dict[str, list[tuple[float, float]]] = {}
        self._in_the_way: dict[tuple[float, float], int] = {}
        self._floor_spots: dict[tuple[str, float], list[tuple[float, float]]] = {}
        self._paths: dict[tuple[float, float, float, float], list[float]] = {}

    # -- the grid -----------------------------------------------------------------------

    def _main_component(self, free: list[bool]) -> list[bool]:
        """Keep only the largest connected region of free cells (the walkable home)."""
        seen = [False] * len(free)
        best: list[int] = []
        for start, ok in enumerate(free):
            if not ok or seen[start]:
                continue
            comp, stack = [], [start]
            seen[start] = True
            while stack:
                c = stack.pop()
                comp.append(c)
                for n, _ in self._neighbours(c, free):
                    if not seen[n]:
                        seen[n] = True
                        stack.append(n)
            if len(comp) > len(best):
                best = comp
        out = [False] * len(free)
        for c in best:
            out[c] = True
        return out

    def _neighbours(self, c: int, free: list[bool]):
        nx, ny = self.nx, self.ny
        cx, cy = c % nx, c // nx
        for dx, dy, w in _STEPS:
            x, y = cx + dx, cy + dy
            if x < 0 or y < 0 or x >= nx or y >= ny:
                continue
            n = y * nx + x
            if not free[n]:
                continue
            if dx and dy and not (free[cy * nx + x] and free[y * nx + cx]):
                continue  # no cutting corners of furniture
            yield n, w

    def _cell(self, x: float, y: float) -> int | None:
        """The walkable cell nearest ``(x, y)`` (None if none within 1 m)."""
        cx = min(max(int(x / _CELL), 0), self.nx - 1)
        cy = min(max(int(y / _CELL), 0), self.ny - 1)
        best, bd = None, math.inf
        for r in range(0, 6):
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1):
                    if max(abs(dx), abs(dy)) != r:
                        continue
                    i, j = cx + dx, cy + dy
                    if 0 <= i < self.nx and 0 <= j < self.ny and self._free[j * self.nx + i]:
                        d = ((i + 0.5) * _CELL - x) ** 2 + ((j + 0.5) * _CELL - y) ** 2
                        if d < bd:
                            best, bd = j * self.nx + i, d
            if best is not None:
                return best
        return None

    def walkable(self, x: float, y: float) -> bool:
        """True if a person can stand at ``(x, y)`` and reach the rest of the home."""
        if self.occupancy.clearance(x, y) < SPOT_CLEARANCE:
            return False
        c = self._cell(x, y)
        return (
            c is not None
            and math.hypot((c % self.nx + 0.5) * _CELL - x, (c // self.nx + 0.5) * _CELL - y)
            <= 1.5 * _CELL
        )

    def _field(self, goal: int) -> list[float]:
        """Walking distance (in cells) from every cell to ``goal`` (cached flood)."""
        f = self._fields.get(goal)
        if f is not None:
            return f
        f = [math.inf] * len(self._free)
        f[goal] = 0.0
        heap = [(0.0, goal)]
        adj = self._adj
        pop, push = heapq.heappop, heapq.heappush
        while heap:
            d, c = pop(heap)
            if d > f[c]:
                continue
            for n, w in adj[c]:
                nd = d + w
                if nd < f[n]:
                    f[n] = nd
                    push(heap, (nd, n))
        self._fields[goal] = f
        return f

    # -- paths --------------------------------------------------------------------------

    def path(self, start: tuple[float, float], goal: tuple[float, float]) -> list[float] | None:
        """A walking path from ``start`` to ``goal`` as a flat ``[x0, y0, ...]`` list.

        Returns:
            The path (start and goal included, coordinates rounded to mm), or None if the
            goal cannot be reached from the start.
        """
        key = (round(start[0], 2), round(start[1], 2), round(goal[0], 2), round(goal[1], 2))
        hit = self._paths.get(key)
        if hit is None:
            hit = self._plan(start, goal)
            if hit is None:
                return None
            if len(self._paths) > 4096:
                self._paths.clear()
            self._paths[key] = hit
        inner = hit[2:-2]
        return [
            round(start[0], 3),
            round(start[1], 3),
            *inner,
            round(goal[0], 3),
            round(goal[1], 3),
        ]

    def line_clear(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """True if a person can walk straight from ``a`` to ``b`` (samples every 4 cm)."""
        n = max(1, int(math.hypot(b[0] - a[0], b[1] - a[1]) / 0.04))
        t = np.arange(n + 1) * (1.0 / n)
        ix = ((a[0] + (b[0] - a[0]) * t) / _FINE).astype(np.int64)
        iy = ((a[1] + (b[1] - a[1]) * t) / _FINE).astype(np.int64)
        fm = self._field_m
        if ix.min() < 0 or iy.min() < 0 or ix.max() >= fm.shape[1] or iy.max() >= fm.shape[0]:
            return False
        return bool(fm[iy, ix].min() >= PERSON_CLEARANCE)

    def _plan(self, start: tuple[float, float], goal: tuple[float, float]) -> list[float] | None:
        if self.line_clear(start, goal):
            return [*start, *goal]
        s, g = self._cell(*start), self._cell(*goal)
        if s is None or g is None:
            return None
        field = self._field(g)
        if field[s] == math.inf:
            return None
        cells = [s]
        adj = self._adj
        while cells[-1] != g:
            cells.append(min(adj[cells[-1]], key=lambda nw: field[nw[0]])[0])
        # Keep the corners of the staircase only: straight runs need no string pulling.
        nx = self.nx

        def centre(c: int) -> tuple[float, float]:
            return ((c % nx + 0.5) * _CELL, (c // nx + 0.5) * _CELL)

        pts = [start, centre(s)]
        for k in range(1, len(cells) - 1):
            a, b, c = cells[k - 1], cells[k], cells[k + 1]
            if b - a != c - b:
                pts.append(centre(b))
        if len(cells) > 1:
            pts.append(centre(g))
        pts.append(goal)
        # Pull the string: from each point, the farthest later one in a straight line.
        out = [pts[0]]
        i = 0
        while i < len(pts) - 1:
            j = len(pts) - 1
            while j > i + 1 and not self.line_clear(pts[i], pts[j]):
                j -= 1
            out.append(pts[j])
            i = j
        return [round(v, 3) for p in out for v in p]

    # -- spots --------------------------------------------------------------------------

    def fixture_spots(self, fixture: str) -> list[tuple[float, float]]:
        """Free floor spots beside ``fixture``, best first (clear of the robot's poses).

        Spots lie :data:`_SPOT_OFFSET` off each side of the footprint, in the fixture's
        room, with :data:`SPOT_CLEARANCE`; ones that would stand on a fixture's approach
        pose come last, then nearer the middle of a side before further.
        """
        hit = self._fixture_spots.get(fixture)
        if hit is not None:
            return hit
        spec = self.layout.fixtures[fixture]
        r = spec.rect
        cands: list[tuple[float, float]] = []
        for side in "nsew":
            if side in "ns":
                lo, hi = r.x0, r.x1
                fixed = r.y1 + _SPOT_OFFSET if side == "n" else r.y0 - _SPOT_OFFSET
            else:
                lo, hi = r.y0, r.y1
                fixed = r.x1 + _SPOT_OFFSET if side == "e" else r.x0 - _SPOT_OFFSET
            n = max(1, int((hi - lo) / 0.3))
            for k in range(n):
                along = lo + (k + 0.5) * (hi - lo) / n
                x, y = (along, fixed) if side in "ns" else (fixed, along)
                if self.layout.room_at(x, y) != spec.room or not self.walkable(x, y):
                    continue
                cands.append((round(x, 3), round(y, 3)))
        cands.sort(key=lambda p: (self.in_the_way(p), math.hypot(p[0] - r.cx, p[1] - r.cy)))
        self._fixture_spots[fixture] = cands
        return cands

    def floor_spots(
        self, room: str, clearance: float = OPEN_FLOOR_CLEARANCE
    ) -> list[tuple[float, float]]:
        """Open floor spots of ``room`` (a 0.4 m lattice), clear of the robot's poses first."""
        key = (room, clearance)
        hit = self._floor_spots.get(key)
        if hit is not None:
            return hit
        r = self.layout.rooms[room].rect
        cands = []
        y = r.y0 + 0.3
        while y < r.y1 - 0.3 + 1e-9:
            x = r.x0 + 0.3
            while x < r.x1 - 0.3 + 1e-9:
                if (
                    self.occupancy.clearance(x, y) >= clearance
                    and self.layout.room_at(x, y) == room
                    and self.walkable(x, y)
                ):
                    cands.append((round(x, 3), round(y, 3)))
                x += 0.4
            y += 0.4
        # Open floor where a person would stand in the robot's way is no place to play.
        cands = [p for p in cands if not self.in_the_way(p)] or cands
        self._floor_spots[key] = cands
        return cands

    def in_the_way(self, p: tuple[float, float]) -> int:
        """How much a person at ``p`` would stand in the robot's way (0: not at all).

        2: on or near one of the robot's approach poses (the robot could not reach that
        fixture); 1: where the robot could no longer get past (its free floor around
        ``p``, minus the person's disc inflated by the planning clearance, falls apart).
        """
        hit = self._in_the_way.get(p)
        if hit is None:
            lim = _KEEP_OFF * _KEEP_OFF
            if any((p[0] - x) ** 2 + (p[1] - y) ** 2 < lim for x, y in self._keep_off):
                hit = 2
            else:
                hit = 1 if self._cuts_floor(p) else 0
            self._in_the_way[p] = hit
        return hit

    def _cuts_floor(self, p: tuple[float, float]) -> bool:
        occ = self.occupancy
        x, y = p
        gx, gy = occ.gx, occ.gy
        i0, i1 = (
            max(0, int((x - _PASS_WINDOW) / _COARSE)),
            min(gx, int((x + _PASS_WINDOW) / _COARSE) + 1),
        )
        j0, j1 = (
            max(0, int((y - _PASS_WINDOW) / _COARSE)),
            min(gy, int((y + _PASS_WINDOW) / _COARSE) + 1),
        )
        xs = (np.arange(i0, i1) + 0.5) * _COARSE - x
        ys = (np.arange(j0, j1) + 0.5) * _COARSE - y
        d = np.hypot(xs[None, :], ys[:, None])
        rad = RESIDENT_RADIUS + PLAN_CLEARANCE
        free = (occ.grid_clearance[j0:j1, i0:i1] >= PLAN_CLEARANCE) & (d >= rad)
        ring = free & (d < rad + 0.25)
        if not ring.any():
            return False
        # Flood the free cells from one ring cell (4-connected, on a padded grid so
        # neighbours need no bounds checks); the floor is cut if a ring cell stays dry.
        padded = np.pad(free, 1)
        w = padded.shape[1]
        open_ = bytearray(padded.ravel().tobytes())
        ring_cells = np.flatnonzero(np.pad(ring, 1).ravel()).tolist()
        start = ring_cells[0]
        open_[start] = 0
        stack = [start]
        steps = (1, -1, w, -w)
        while stack:
            c = stack.pop()
            for d in steps:
                n = c + d
                if open_[n]:
                    open_[n] = 0
                    stack.append(n)
        return any(open_[k] for k in ring_cells)


_CACHE: dict[int, tuple[HomeLayout, FloorPlanner]] = {}


def floor_planner(layout: HomeLayout) -> FloorPlanner:
    """The :class:`FloorPlanner` of ``layout``, built on first use and cached."""
    hit = _CACHE.get(id(layout))
    if hit is None or hit[0] is not layout:
        hit = (layout, FloorPlanner(layout))
        _CACHE[id(layout)] = hit
        if len(_CACHE) > 32:  # furniture seeds make many layouts of one plan
            del _CACHE[next(iter(_CACHE))]
    return hit[1]
