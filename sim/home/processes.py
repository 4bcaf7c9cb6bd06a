"""Processes with state: heat, boiling, cooking and burning, appliance programmes, plants.

HomeSim advances these *lazily*. ``WorldState.process_s`` is the clock time up to which
they have been applied; :meth:`Processes.advance` brings them up to any later time in
closed form (exponential heating and cooling, linear boil-off, cooking as the integral of
the temperature over 70 °C), splitting the interval only where something changes phase
(water starts to boil or boils dry, a kettle switches itself off). One call of an hour
and 1,800 calls of two seconds give the same state within float rounding, so
``idle_until`` a week later costs a few hundred calls, and a control step with nothing
hot or running costs nothing here. While something is changing, the env asks for an
update every :data:`TICK_S` seconds of simulated time (:meth:`Processes.next_change`),
so ``env.world`` is never more than that stale during stepping; the env brings
processes up to date before every observation and state read.

Timed, discrete things are timers in ``WorldState.timers`` (name -> clock seconds):

* ``<fixture>_done``: an appliance programme ends (dishwasher, washer, dryer,
  microwave): what is inside is clean (dishwasher, washer: every object in it, as the v1
  washer did; the dishwasher also washes out what was left in a cup or a pot), laundry
  from the washer is ``wet``, the dryer dries it; the appliance
  switches off with ``cycle == "done"``.
* ``<fixture>_wash``: a running faucet cleans what lies in its basin after
  :data:`SINK_WASH_S` (v1 behaviour: armed when the faucet is switched on and when
  something is put into the running sink).
* ``<fixture>_flood``: a faucet left running for :data:`FLOOD_AFTER_S` overflows: a
  ``water`` spill appears on the floor in front of it (the basin's plug is assumed in,
  as when people fill a sink to wash up; nothing drains fast enough).

Behaviour by fixture kind (from :mod:`sim.home.catalogue`):

* **stove** (surface) and **oven** (container): while on, what is on/in them heats
  towards the kind's ``heat_c``. A vessel with liquid (``ObjectState.liquid``/``fill``)
  stops at 100 °C while the liquid boils off (:data:`BOIL_L_PER_S`), then heats on. Food
  cooks while it is at 70 °C or more (a vessel's ``food``, or a cookable object itself):
  ``cooked`` rises by 1 per :data:`COOK_S` seconds at 100 °C, proportionally to the
  excess over 70 °C, and never past :data:`OVERCOOK_WET` while liquid remains (food in
  water goes soft, it does not burn), nor off the heat (a pan's residual warmth after the
  hob is switched off overcooks eggs to at most :data:`OVERCOOK_WET`: burning needs a
  lit heat). At :data:`~sim.home.world.BURNT_AT` it is burnt,
  and smokes while hotter than :data:`SMOKE_C`; at :data:`FIRE_AT` (or
  :data:`FIRE_AT_FLAMMABLE` with something flammable within :data:`FLAMMABLE_NEAR_M`)
  on a burner or in an oven that is still on, it catches fire (so does anything
  flammable left on a lit hob once it reaches :data:`IGNITE_C`): a ``fire`` spill named
  ``fire_<fixture>`` covers the fixture. Switching the heat off puts the fire out (the
  model's stand-in for smothering it). An empty vessel on a hot burner keeps heating to
  the burner's temperature (a hazard; see :mod:`sim.home.hazards`). Off, things cool
  towards :data:`~sim.home.world.ROOM_TEMP_C`.
* **microwave**: switching on with the door open does nothing; closed, it runs its
  ``cycle_s`` programme and heats food, drink and liquids inside towards 100 °C. Opening
  the door pauses it (``cycle == "paused"``, ``remaining_s`` kept); switching it on
  again with the door closed resumes. Eggs inside burst (``broken``) at 70 °C; metal
  sparks (a hazard while it runs).
* **dishwasher**, **dryer** (``needs_closed``): the same pause rule. The **washer** runs
  with its door open, as the v1 washer did.
* **kettle** (a fixture with its own ``liquid``/``fill`` of ``capacity_l``): heats its
  water at :data:`KETTLE_W` and switches itself off at 100 °C. Switched on empty, its
  element overheats and the dry-boil cut-out switches it off at :data:`KETTLE_CUTOUT_C`
  (hazardous until it cools).
* **fridge** / **freezer**: things inside a closed one are held at :data:`FRIDGE_C` /
  :data:`FREEZER_C` (relaxing there over half an hour); an open door lets them warm
  slowly.
* **perishables** (milk, cheese: ``perishable`` in the catalogue) count the time they
  spend warmer than :data:`SPOIL_ABOVE_C` (``warm_s``); after :data:`SPOIL_AFTER_S` in
  all they are ``spoiled`` (the two-hour rule of food safety).
* **plants**: soil moisture falls by about :data:`PLANT_DRY_PER_DAY` a day (each plant
  ±20%, fixed by the episode seed and its name); below :data:`~sim.home.world.DRY_BELOW`
  the plant is dry. :func:`water_plant` raises it.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS, FixtureKind
from housemind.sim.home.layout import HomeLayout
from housemind.sim.home.world import (
    BURNT_AT,
    DRY_BELOW,
    ROOM_TEMP_C,
    FixtureState,
    ObjectState,
    SpillState,
    WorldState,
)

__all__ = [
    "BOIL_C",
    "BOIL_L_PER_S",
    "COOK_FROM_C",
    "COOK_S",
    "FIRE_AT",
    "FIRE_AT_FLAMMABLE",
    "FLAMMABLE_NEAR_M",
    "FLOOD_AFTER_S",
    "FREEZER_C",
    "IGNITE_C",
    "FRIDGE_C",
    "KETTLE_CUTOUT_C",
    "KETTLE_W",
    "OVERCOOK_WET",
    "PLANT_DRY_PER_DAY",
    "SINK_WASH_S",
    "SMOKE_C",
    "SPOIL_ABOVE_C",
    "SPOIL_AFTER_S",
    "TICK_S",
    "Processes",
    "add_food",
    "burning",
    "is_burnt",
    "plant_dry_rate",
    "water_plant",
]

BOIL_C = 100.0
#: Food cooks at or above this temperature (°C).
COOK_FROM_C = 70.0
#: Seconds at 100 °C that take food from raw (0) to cooked (1).
COOK_S = 600.0
#: Doneness food in liquid never passes (it goes soft; it burns only once dry).
OVERCOOK_WET = 1.5
#: Doneness at which burnt food on a heat that is still on catches fire.
FIRE_AT = 4.0
#: The same with something flammable (a towel, a cereal box) within reach of the flames.
FIRE_AT_FLAMMABLE = 3.0
FLAMMABLE_NEAR_M = 0.6
#: Something flammable (a towel, paper, a cereal box) this hot on a heat catches fire (°C).
IGNITE_C = 200.0
#: Burnt food hotter than this smokes (°C).
SMOKE_C = 150.0
#: Litres per second boiled off on a burner (about 2 kW of a hob into latent heat).
BOIL_L_PER_S = 0.0008
#: A kettle's element (W); 1 L of water boils from 20 °C in under three minutes.
KETTLE_W = 2000.0
#: A dry kettle's element trips its cut-out at this temperature (°C).
KETTLE_CUTOUT_C = 130.0
FRIDGE_C = 4.0
#: Perishables warmer than this (°C) are out of the cold chain.
SPOIL_ABOVE_C = 8.0
#: Time out of the cold chain after which a perishable is spoiled (s).
SPOIL_AFTER_S = 2 * 3600.0
FREEZER_C = -18.0
#: Seconds under a running faucet that clean what lies in the basin (v1).
SINK_WASH_S = 5.0
#: A faucet left running this long floods the floor (s).
FLOOD_AFTER_S = 30 * 60.0
#: Mean loss of a plant's soil moisture per day (each plant ±20%).
PLANT_DRY_PER_DAY = 0.15
#: While something heats, cools, boils or cooks, the env updates processes this often (s).
TICK_S = 2.0
#: Temperatures this close (°C) to where they are heading count as there.
EPS_C = 0.05
_WATER_J_PER_L_K = 4186.0
_DAY_S = 86400.0
_FLOOD_RADIUS_M = 0.6
_FIRE_RADIUS_M = 0.5


@dataclass(frozen=True, slots=True)
class _Heat:
    """How a place drives the temperature of what is on/in it."""

    target_c: float
    tau_s: float  # time constant of an empty vessel / small object
    tau_per_l: float  # added per litre of liquid it holds
    boil_l_per_s: float = 0.0
    food_only: bool = False  # a microwave heats food, drink and liquids only


_AMBIENT = _Heat(ROOM_TEMP_C, 900.0, 1800.0)
_HEATERS = {
    "stove": _Heat(250.0, 90.0, 600.0, BOIL_L_PER_S),
    "oven": _Heat(200.0, 600.0, 900.0, 0.0003),
    "microwave": _Heat(100.0, 30.0, 300.0, food_only=True),
}
_COLD = {
    "fridge": _Heat(FRIDGE_C, 1800.0, 1800.0),
    "freezer": _Heat(FREEZER_C, 2400.0, 2400.0),
}
_COLD_OPEN_TAU = 3600.0
# A fixture's own heating element or chamber: (tau on, tau off).
_FIXTURE_TAU = {"stove": (60.0, 600.0), "oven": (400.0, 1800.0)}


def plant_dry_rate(seed: int, name: str) -> float:
    """Moisture a plant loses per second: :data:`PLANT_DRY_PER_DAY` ±20%, fixed per seed."""
    u = zlib.crc32(f"{seed}:{name}".encode()) / 0xFFFFFFFF
    return PLANT_DRY_PER_DAY * (0.8 + 0.4 * u) / _DAY_S


def water_plant(world: WorldState, name: str, litres: float) -> float:
    """Water plant ``name`` with ``litres``; each litre raises its moisture by 1 (to 1).

    Bring processes up to date first (the env does before every interaction it syncs).

    Returns:
        The new moisture.

    Raises:
        KeyError: for an unknown object; ValueError if it is not a plant.
    """
    o = world.objects[name]
    if o.kind != "plant":
        raise ValueError(f"{name!r} is a {o.kind}, not a plant; water only plants")
    o.moisture = min(1.0, o.moisture + max(0.0, litres))
    return o.moisture


def add_food(world: WorldState, vessel: str, food: str) -> None:
    """Put ``food`` (a cookable kind such as ``"pasta"``) raw into object ``vessel``.

    Raises:
        ValueError: if ``vessel`` holds no liquid by kind (a plate) or ``food`` is not a
            cookable kind.
    """
    o = world.objects[vessel]
    vk, fk = OBJECT_KINDS.get(o.kind), OBJECT_KINDS.get(food)
    if vk is None or (vk.capacity_l <= 0 and vk.category != "cookware"):
        raise ValueError(f"{vessel!r} ({o.kind}) cannot hold food to cook; use a pot or pan")
    if fk is None or not fk.cookable:
        raise ValueError(f"{food!r} is not a cookable kind (see sim/home/catalogue.py)")
    o.food, o.cooked = food, 0.0


def is_burnt(o: ObjectState) -> bool:
    """Food (or a vessel's food) done to :data:`~sim.home.world.BURNT_AT` or more."""
    return o.cooked >= BURNT_AT and (bool(o.food) or _cookable(o.kind))


def burning(o: ObjectState) -> bool:
    """Burnt food that is still hot enough to smoke."""
    return o.temp >= SMOKE_C and is_burnt(o)


def _cookable(kind: str) -> bool:
    k = OBJECT_KINDS.get(kind)
    return k is not None and k.cookable


def _cook(t0: float, th: float, tau: float, d: float) -> float:
    """Doneness gained in ``d`` s while the temperature goes ``t0`` -> ``th`` with ``tau``."""
    if d <= 0.0:
        return 0.0
    k = 1.0 / ((BOIL_C - COOK_FROM_C) * COOK_S)
    if abs(t0 - th) < 1e-12:
        return k * max(0.0, th - COOK_FROM_C) * d
    lo, hi = (t0, th) if t0 < th else (th, t0)
    if hi <= COOK_FROM_C:
        return 0.0

    def full(start_t: float, span: float) -> float:
        return (th - COOK_FROM_C) * span + (start_t - th) * tau * (1.0 - math.exp(-span / tau))

    if lo >= COOK_FROM_C:
        return k * full(t0, d)
    s = tau * math.log((t0 - th) / (COOK_FROM_C - th))  # when it passes 70 °C
    if t0 < th:  # heating through 70 °C
        return k * full(COOK_FROM_C, d - s) if s < d else 0.0
    return k * full(t0, min(d, s))  # cooling through 70 °C


class Processes:
    """The processes of one floor plan (what heats, what runs a programme, what cools).

    Args:
        layout: The floor plan.
    """

    def __init__(self, layout: HomeLayout) -> None:
        self.layout = layout
        kinds: dict[str, FixtureKind | None] = {
            n: FIXTURE_KINDS.get(f.kind) for n, f in layout.fixtures.items()
        }
        self.kinds = kinds
        self.heaters = {
            n: _HEATERS[f.kind] for n, f in layout.fixtures.items() if f.kind in _HEATERS
        }
        self.cold = {n: _COLD[f.kind] for n, f in layout.fixtures.items() if f.kind in _COLD}
        self.kettles = {
            n: (k.capacity_l or 1.7)
            for n, k in kinds.items()
            if k is not None and k.name == "kettle"
        }
        # v1 layouts flag a faucet by being switchable and named "sink".
        self.faucets = {
            n
            for n, f in layout.fixtures.items()
            if (kinds[n] is not None and kinds[n].water) or (f.kind == "sink" and f.switchable)
        }
        self.programmes = {
            n: k.cycle_s
            for n, k in kinds.items()
            if k is not None and k.cycle_s > 0 and layout.fixtures[n].switchable
        }
        #: Clock seconds of the next state change worth an update (inf: none pending).
        self.next_s = math.inf
        #: The episode seed (plants' drying rates depend on it).
        self.seed = 0

    # -- set-up -------------------------------------------------------------------------

    def settle(self, world: WorldState, now: float, seed: int) -> None:
        """A new world at ``now``: things in closed fridges are cold, processes start."""
        self.seed = seed
        for name, heat in self.cold.items():
            world.fixtures[name].temp = heat.target_c
        for o in world.objects.values():
            if o.relation == "in" and o.place in self.cold and not world.fixtures[o.place].open:
                o.temp = self.cold[o.place].target_c
        world.process_s = now
        self._plan_next(world)

    # -- the robot's (and anyone's) acts ----------------------------------------------

    def switch(self, world: WorldState, name: str, on: bool, now: float) -> None:
        """Switch fixture ``name`` on or off at ``now`` (processes already at ``now``)."""
        fs = world.fixtures[name]
        if fs.on == on:
            return
        kind = self.kinds.get(name)
        timers = world.timers
        if name in self.programmes:
            if on:
                if kind is not None and kind.needs_closed and fs.open:
                    return  # a door-interlocked appliance does not start while open
                left = fs.remaining_s if fs.cycle == "paused" and fs.remaining_s > 0 else None
                fs.on, fs.cycle, fs.remaining_s = True, "running", 0.0
                timers[f"{name}_done"] = now + (self.programmes[name] if left is None else left)
            else:
                fs.on, fs.cycle, fs.remaining_s = False, "", 0.0
                timers.pop(f"{name}_done", None)
            return
        fs.on = on
        if name in self.faucets:
            if on:
                timers[f"{name}_wash"] = now + SINK_WASH_S
                timers[f"{name}_flood"] = now + FLOOD_AFTER_S
            else:
                timers.pop(f"{name}_wash", None)
                timers.pop(f"{name}_flood", None)
        if name in self.heaters or name in self.kettles:
            self._fires(world)
            self._plan_next(world)

    def set_open(self, world: WorldState, name: str, opening: bool, now: float) -> None:
        """Open or close fixture ``name`` at ``now``.

        Opening pauses a door-interlocked programme (switch it on again to resume).
        """
        fs = world.fixtures[name]
        fs.open = opening
        kind = self.kinds.get(name)
        if opening and fs.on and name in self.programmes and kind is not None and kind.needs_closed:
            due = world.timers.pop(f"{name}_done", now)
            fs.on, fs.cycle, fs.remaining_s = False, "paused", max(0.0, due - now)
        if name in self.cold or name in self.programmes:
            self._plan_next(world)

    def replan(self, world: WorldState) -> None:
        """Recompute :attr:`next_s` after the world was replaced or edited directly."""
        self._plan_next(world)

    def placed(self, world: WorldState, obj: str, fixture: str, now: float) -> None:
        """Object ``obj`` was just put on/in ``fixture``.

        A dish put into the running sink is washed after :data:`SINK_WASH_S`, as in v1; an
        appliance whose programme had ended starts a new load (``cycle`` back to idle).
        """
        if fixture in self.faucets and world.fixtures[fixture].on:
            world.timers[f"{fixture}_wash"] = now + SINK_WASH_S
        fs = world.fixtures[fixture]
        if fixture in self.programmes and fs.cycle == "done":
            fs.cycle = ""  # a new load: the programme that ended is not this load's
        self._plan_next(world)

    def fire_timer(self, world: WorldState, name: str) -> None:
        """Apply the effect of timer ``name`` (see the module docstring).

        Raises:
            ValueError: for a timer name this module does not know.
        """
        fixture, _, what = name.rpartition("_")
        if fixture not in world.fixtures or what not in ("done", "wash", "flood"):
            raise ValueError(f"unknown HomeSim timer {name!r}")
        inside = [o for o in world.objects.values() if o.relation == "in" and o.place == fixture]
        if what == "wash":
            for o in inside:
                o.dirty = False
            return
        if what == "flood":
            if world.fixtures[fixture].on:
                x, y, _ = self.layout.approach[fixture]
                world.spills[f"flood_{fixture}"] = SpillState(x, y, _FLOOD_RADIUS_M, "water")
            return
        kind = self.layout.fixtures[fixture].kind
        for o in inside:
            ok = OBJECT_KINDS.get(o.kind)
            if kind in ("washer", "dishwasher"):
                o.dirty = False
                if kind == "dishwasher":
                    # What was left in a cup or a pot is washed out with the dirt: a mug
                    # put in with coffee in it comes out empty (not yesterday's coffee).
                    o.fill, o.liquid, o.food, o.cooked, o.dose = 0.0, "", "", 0.0, ""
                if kind == "washer" and ok is not None and "washer" in ok.washable_in:
                    o.wet = True
            elif kind == "dryer":
                o.wet = False
        fs = world.fixtures[fixture]
        fs.on, fs.cycle, fs.remaining_s = False, "done", 0.0
        self._plan_next(world)

    # -- continuous processes ---------------------------------------------------------

    def advance(self, world: WorldState, t: float) -> None:
        """Apply everything continuous from ``world.process_s`` up to clock time ``t``.

        Nothing but these processes may have changed the world meanwhile (the env calls
        this before it applies any act or event).
        """
        dt = t - world.process_s
        if dt <= 0.0:
            return
        seed = self.seed
        fixtures = world.fixtures
        for name, heat in self.heaters.items():
            fs = fixtures[name]
            taus = _FIXTURE_TAU.get(self.layout.fixtures[name].kind)
            if taus is None:
                continue
            target = heat.target_c if fs.on else ROOM_TEMP_C
            fs.temp = _relax(fs.temp, target, taus[0] if fs.on else taus[1], dt)
        for name, cap in self.kettles.items():
            _kettle(fixtures[name], cap, dt)
        for name, o in world.objects.items():
            if o.kind == "plant":
                o.moisture = max(0.0, o.moisture - plant_dry_rate(seed, name) * dt)
            heat = self._heat_of(o, fixtures)
            ok = OBJECT_KINDS.get(o.kind)
            cap = ok.capacity_l if ok is not None else 0.0
            cooks = bool(o.food) or (ok is not None and ok.cookable)
            if heat.food_only and not (cooks or o.fill > 0 or (ok is not None and ok.edible)):
                heat = _AMBIENT
            if ok is not None and ok.perishable and not o.spoiled:
                warm = _time_above(o.temp, heat.target_c, heat.tau_s, dt, SPOIL_ABOVE_C)
                o.warm_s = min(SPOIL_AFTER_S, o.warm_s + warm)
                o.spoiled = o.warm_s >= SPOIL_AFTER_S
            _evolve(o, heat, cap, cooks, dt)
            if heat is _HEATERS["microwave"] and o.kind == "eggs" and o.temp >= COOK_FROM_C:
                o.broken = True
        world.process_s = t
        self._fires(world)
        self._plan_next(world)

    def _heat_of(self, o: ObjectState, fixtures: dict[str, FixtureState]) -> _Heat:
        if o.relation != "on" and o.relation != "in":
            return _AMBIENT
        place = o.place
        heat = self.heaters.get(place)
        if heat is not None:
            return heat if fixtures[place].on else _AMBIENT
        cold = self.cold.get(place)
        if cold is not None:
            if not fixtures[place].open:
                return cold
            return _Heat(ROOM_TEMP_C, _COLD_OPEN_TAU, cold.tau_per_l)
        return _AMBIENT

    def _fires(self, world: WorldState) -> None:
        """Light fires where burnt food or a flammable thing is on a lit heat; put out others."""
        spills = world.spills
        for name in self.heaters:
            key = f"fire_{name}"
            fs = world.fixtures[name]
            if not fs.on:
                if key in spills:
                    del spills[key]
                continue
            if key in spills:
                continue
            for oname, o in world.objects.items():
                if o.place != name or (o.relation != "on" and o.relation != "in"):
                    continue
                ok = OBJECT_KINDS.get(o.kind)
                if ok is not None and ok.flammable and o.temp >= IGNITE_C:
                    lit = True  # a tea towel or a cereal box left on the hob
                elif o.cooked < FIRE_AT_FLAMMABLE or not is_burnt(o):
                    continue
                else:
                    near = self._flammable_near(world, oname)
                    lit = o.cooked >= (FIRE_AT_FLAMMABLE if near else FIRE_AT)
                if lit:
                    r = self.layout.fixtures[name].rect
                    spills[key] = SpillState(r.cx, r.cy, _FIRE_RADIUS_M, "fire")
                    break

    def _flammable_near(self, world: WorldState, name: str) -> bool:
        o = world.objects[name]
        lim = FLAMMABLE_NEAR_M * FLAMMABLE_NEAR_M
        for n, p in world.objects.items():
            if n == name or p.relation == "with":
                continue
            k = OBJECT_KINDS.get(p.kind)
            if k is None or not k.flammable:
                continue
            if (
                p.relation == "in"
                and self.layout.fixtures[p.place].openable
                and not world.fixtures[p.place].open
            ):
                continue
            if (p.x - o.x) ** 2 + (p.y - o.y) ** 2 <= lim:
                return True
        return False

    def _plan_next(self, world: WorldState) -> None:
        """Set :attr:`next_s`: a tick if anything is changing, else the next plant to dry."""
        now = world.process_s
        fixtures = world.fixtures
        for name, heat in self.heaters.items():
            fs = fixtures[name]
            taus = _FIXTURE_TAU.get(self.layout.fixtures[name].kind)
            if taus is not None and fs.temp != (heat.target_c if fs.on else ROOM_TEMP_C):
                self.next_s = now + TICK_S
                return
        for name in self.kettles:
            fs = fixtures[name]
            if fs.on or fs.temp != ROOM_TEMP_C:
                self.next_s = now + TICK_S
                return
        nxt = math.inf
        for name, o in world.objects.items():
            heat = self._heat_of(o, fixtures)
            ok = OBJECT_KINDS.get(o.kind)
            cooks = bool(o.food) or (ok is not None and ok.cookable)
            if heat.food_only and not (cooks or o.fill > 0 or (ok is not None and ok.edible)):
                heat = _AMBIENT
            perishing = (
                ok is not None
                and ok.perishable
                and not o.spoiled
                and (o.temp > SPOIL_ABOVE_C or heat.target_c > SPOIL_ABOVE_C)
            )
            if (
                o.temp != heat.target_c
                or perishing
                or (cooks and o.temp >= COOK_FROM_C)
                or (heat.boil_l_per_s > 0 and o.fill > 0 and o.liquid)
            ):
                self.next_s = now + TICK_S
                return
            if o.kind == "plant" and o.moisture >= DRY_BELOW:
                nxt = min(nxt, now + (o.moisture - DRY_BELOW) / plant_dry_rate(self.seed, name))
        self.next_s = nxt


def _time_above(t0: float, th: float, tau: float, d: float, limit: float) -> float:
    """Seconds of ``d`` that a temperature relaxing ``t0`` -> ``th`` spends above ``limit``."""
    if t0 > limit and th >= limit:
        return d
    if t0 <= limit and th <= limit:
        return 0.0
    s = tau * math.log((t0 - th) / (limit - th))  # when it crosses the limit
    return max(0.0, d - s) if t0 <= limit else min(d, s)


def _relax(temp: float, target: float, tau: float, dt: float) -> float:
    gap = temp - target
    if gap == 0.0:
        return temp
    if abs(gap) <= EPS_C or dt >= tau * math.log(abs(gap) / EPS_C):
        return target
    return target + gap * math.exp(-dt / tau)


def _kettle(fs: FixtureState, cap_l: float, dt: float) -> None:
    """A kettle's water (or dry element) over ``dt`` seconds, switching itself off."""
    while dt > 0.0:
        litres = fs.fill * cap_l if fs.liquid else 0.0
        if not fs.on:
            fs.temp = _relax(fs.temp, ROOM_TEMP_C, 300.0 + 1800.0 * litres, dt)
            return
        if litres > 0.0:
            rate = KETTLE_W / (litres * _WATER_J_PER_L_K)
            d = max(0.0, (BOIL_C - fs.temp) / rate)
            if d > dt:
                fs.temp += rate * dt
                return
            fs.temp, fs.on = BOIL_C, False
            dt -= d
            continue
        # Dry: the element races towards 250 °C until the cut-out trips.
        tau, top = 15.0, 250.0
        if fs.temp >= KETTLE_CUTOUT_C:
            fs.on = False
            continue
        d = tau * math.log((top - fs.temp) / (top - KETTLE_CUTOUT_C))
        if d > dt:
            fs.temp = top + (fs.temp - top) * math.exp(-dt / tau)
            return
        fs.temp, fs.on = KETTLE_CUTOUT_C, False
        dt -= d


def _evolve(o: ObjectState, heat: _Heat, cap_l: float, cooks: bool, dt: float) -> None:
    """Temperature, boil-off and doneness of one object over ``dt`` s in a fixed place."""
    th = heat.target_c
    temp = o.temp
    lit = th > ROOM_TEMP_C  # on a hob, in an oven or microwave that is on
    while dt > 0.0:
        litres = o.fill * cap_l if (o.liquid and cap_l > 0.0) else 0.0
        wet = litres > 0.0
        soft = wet or not lit  # in water, or off the heat: it overcooks, it never burns
        if wet and th > BOIL_C and temp >= BOIL_C - 1e-9 and heat.boil_l_per_s > 0.0:
            temp = BOIL_C
            d = min(dt, litres / heat.boil_l_per_s)
            if cooks:
                o.cooked = _capped(o.cooked, _cook(BOIL_C, BOIL_C, 1.0, d), True)
            if d >= litres / heat.boil_l_per_s:
                o.fill, o.liquid = 0.0, ""
            else:
                o.fill = (litres - heat.boil_l_per_s * d) / cap_l
            dt -= d
            continue
        tau = heat.tau_s + heat.tau_per_l * litres
        gap = temp - th
        if abs(gap) <= EPS_C:
            if cooks:
                o.cooked = _capped(o.cooked, _cook(th, th, tau, dt), soft)
            temp = th
            break
        d_snap = tau * math.log(abs(gap) / EPS_C)
        d_boil = math.inf
        if wet and th > BOIL_C and temp < BOIL_C and heat.boil_l_per_s > 0.0:
            d_boil = tau * math.log((th - temp) / (th - BOIL_C))
        d = min(dt, d_snap, d_boil)
        if cooks:
            o.cooked = _capped(o.cooked, _cook(temp, th, tau, d), soft)
        if d == d_boil:
            temp = BOIL_C
        elif d == d_snap:
            temp = th
        else:
            temp = th + gap * math.exp(-d / tau)
        dt -= d
    o.temp = temp


def _capped(cooked: float, gain: float, wet: bool) -> float:
    if not wet:
        return cooked + gain
    return max(cooked, min(cooked + gain, OVERCOOK_WET))
