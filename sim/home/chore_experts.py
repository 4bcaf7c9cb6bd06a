"""Privileged experts for the housework skills.

Run, boil, cook, water, vacuum, serve, add, brew and say (the movement and handling
experts are in :mod:`sim.home.experts`).

Like the others they read the true state and act through the ordinary action vector.
Three of them wait for something that takes minutes (an appliance's programme, the
kettle, food on the stove): after switching on what needs switching on they hold still
and, in simulation, let time pass in steps (:data:`WAIT_STEP_S`, shorter when food could
burn) with :meth:`HomeSimEnv.idle_until <sim.home.env.HomeSimEnv.idle_until>`, which is
what holding still for that long does in HomeSim, only without stepping every tick; they
report ``done`` when the effect holds. ``say`` speaks through the robot's loudspeaker
(:meth:`HomeSimEnv.speak <sim.home.env.HomeSimEnv.speak>`), not the action vector: speech
is not motion.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np

from housemind.sim.home import housework
from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.experts import (
    USE,
    HomeSimExpert,
    PourExpert,
    ToggleExpert,
    _facing,
    _fixture_points,
    _HeldExpert,
    _point_view,
)
from housemind.sim.home.occupancy import PLAN_CLEARANCE
from housemind.sim.home.world import BURNT_AT
from housemind.skills.policies.base import PolicyError
from housemind.skills.types import BOILED_AT, FILLED_AT, REACH_M, WIPED_BELOW

if TYPE_CHECKING:
    pass

__all__ = [
    "CHORE_EXPERTS",
    "WAIT_STEP_S",
    "AddExpert",
    "BoilExpert",
    "BrewExpert",
    "CookExpert",
    "RunExpert",
    "SayExpert",
    "ServeExpert",
    "VacuumExpert",
    "WaterExpert",
]

#: Simulated seconds an expert lets pass per chunk while it waits for a programme or the
#: kettle (food on the stove: :data:`COOK_STEP_S`, so it is not burnt waiting).
WAIT_STEP_S = 30.0
COOK_STEP_S = 5.0


class _WaitingExpert(HomeSimExpert):
    """Switch something on (through a toggle expert), then wait for ``_finished()``."""

    required = ("target",)

    def reset(self) -> None:
        """Forget progress."""
        super().reset()
        self._toggle: ToggleExpert | None = None

    @property
    def done(self) -> bool:
        """True once the effect holds."""
        return self._finished()

    def _finished(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _running(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _switch_on(self) -> np.ndarray:
        if self._toggle is None:
            self._toggle = ToggleExpert(self.env, {"target": self.args["target"], "state": "on"})
        chunk = self._toggle.predict_chunk(None, "")  # type: ignore[arg-type]
        return chunk

    def _wait(self, step_s: float) -> np.ndarray:
        env = self.env
        env.idle_until(env.clock.now() + timedelta(seconds=step_s))
        return self._hold()

    def _see_target(self) -> np.ndarray:
        spec = self.env.layout.fixtures[self.args["target"]]
        return self._look_at(_fixture_points(spec.rect, self._pose()))


class RunExpert(_WaitingExpert):
    """Start an appliance's programme and wait until it has ended (``cycle == "done"``)."""

    skill = "run"

    def _spec(self):
        env, t = self.env, self.args["target"]
        spec = env.layout.fixtures.get(t)
        kind = FIXTURE_KINDS.get(spec.kind) if spec is not None else None
        if spec is None or kind is None or kind.cycle_s <= 0 or not spec.switchable:
            raise PolicyError(f"the {t} has no programme to run (a dishwasher, washer, dryer)")
        return spec, kind

    def _finished(self) -> bool:
        fs = self.env.world.fixtures.get(self.args["target"])
        return fs is not None and fs.cycle == "done" and not fs.on

    def _chunk(self) -> np.ndarray:
        spec, kind = self._spec()
        self.env._sync()
        fs = self.env.world.fixtures[self.args["target"]]
        if self._finished():
            return self._see_target()
        if fs.on:
            left = self.env.world.timers.get(f"{self.args['target']}_done")
            step = (
                WAIT_STEP_S
                if left is None
                else max(1.0, min(WAIT_STEP_S, left - self.env.clock.elapsed + 0.5))
            )
            return self._wait(step)
        if kind.needs_closed and fs.open:
            raise PolicyError(f"the {self.args['target']} is open; close it before running it")
        return self._switch_on()


class BoilExpert(_WaitingExpert):
    """Switch the kettle on and wait until its water boils (it switches itself off)."""

    skill = "boil"

    def _finished(self) -> bool:
        fs = self.env.world.fixtures.get(self.args["target"])
        return fs is not None and fs.liquid == "water" and fs.fill > 0 and fs.temp >= BOILED_AT

    def _chunk(self) -> np.ndarray:
        env, t = self.env, self.args["target"]
        spec = env.layout.fixtures.get(t)
        if spec is None or spec.kind != "kettle":
            raise PolicyError(f"the {t} is not a kettle")
        env._sync()
        fs = env.world.fixtures[t]
        if self._finished():
            return self._see_target()
        if fs.liquid != "water" or fs.fill <= 0.02:
            raise PolicyError(f"the {t} is empty; pour water into it first")
        if fs.on:
            return self._wait(10.0)
        return self._switch_on()


class CookExpert(HomeSimExpert):
    """Stay by the lit stove until the food in the pot or pan is cooked (never burnt)."""

    skill = "cook"
    required = ("object", "target")

    @property
    def done(self) -> bool:
        """True once the food is cooked."""
        o = self.env.world.objects.get(self.args["object"])
        return o is not None and 1.0 <= o.cooked < BURNT_AT

    def _chunk(self) -> np.ndarray:
        env = self.env
        name, target = self.args["object"], self.args["target"]
        o = env.world.objects.get(name)
        if o is None:
            raise PolicyError(f"there is no {name!r} to cook in")
        env._sync()
        if not o.food and not (OBJECT_KINDS.get(o.kind) and OBJECT_KINDS[o.kind].cookable):
            raise PolicyError(f"there is nothing in the {name} to cook; add the food first")
        if (o.relation, o.place) != ("on", target) and (o.relation, o.place) != ("in", target):
            raise PolicyError(f"the {name} is not on the {target}; put it there first")
        if o.cooked >= BURNT_AT:
            raise PolicyError(f"the food in the {name} is burnt")
        if self.done:
            return self._look_at([(o.x, o.y)])
        if not env.world.fixtures[target].on:
            raise PolicyError(f"the {target} is off; switch it on first")
        return self._wait_cook()

    def _wait_cook(self) -> np.ndarray:
        env = self.env
        env.idle_until(env.clock.now() + timedelta(seconds=COOK_STEP_S))
        o = env.world.objects[self.args["object"]]
        # The robot watches the pot (the executor succeeds on what it sees).
        return self._look_at([(o.x, o.y)])


class WaterExpert(PourExpert):
    """Pour the held watering can over a plant until it is watered (or the can is empty)."""

    skill = "water"
    required = ("object", "target")

    def _chunk(self) -> np.ndarray:
        t = self.env.world.objects.get(self.args["target"])
        if t is None or t.kind != "plant":
            raise PolicyError(f"the {self.args['target']} is not a plant to water")
        return super()._chunk()


class VacuumExpert(HomeSimExpert):
    """Vacuum a room: drive a back-and-forth path over its free floor with the brush on."""

    skill = "vacuum"
    required = ("target",)

    def reset(self) -> None:
        """Forget the coverage path."""
        super().reset()
        self._route: list[tuple[float, float]] | None = None
        self._passes = 0

    @property
    def done(self) -> bool:
        """True once the floor is clean."""
        return self.env.world.floor_dirt.get(self.args["target"], 0.0) < WIPED_BELOW / 2

    def _route_points(self) -> list[tuple[float, float]]:
        env, room = self.env, self.args["target"]
        r = env.layout.rooms[room].rect
        step = housework.BRUSH_M
        rows = []
        ny = max(1, int(r.height / step))
        nx = max(1, int(r.width / step))
        for j in range(ny):
            y = r.y0 + (j + 0.5) * r.height / ny
            row = []
            for i in range(nx):
                x = r.x0 + (i + 0.5) * r.width / nx
                if env.layout.room_at(x, y) == room and self._standable(
                    x, y, PLAN_CLEARANCE + 0.02
                ):
                    row.append((x, y))
            rows.append(row if j % 2 == 0 else row[::-1])
        pts = [p for row in rows for p in row]
        if not pts:
            raise PolicyError(f"no free floor to vacuum in the {room}")
        # Start at the end nearest the robot.
        x0, y0, _ = self._pose()
        if math.hypot(pts[-1][0] - x0, pts[-1][1] - y0) < math.hypot(
            pts[0][0] - x0, pts[0][1] - y0
        ):
            pts.reverse()
        return pts

    def _plan_route(self) -> list[tuple[float, float]]:
        occ = self.env.occupancy
        blockers = self._blockers(who="standing")
        path = [self._pose()[:2]]
        for p in self._route_points():
            leg = occ.plan(path[-1], p, blockers)
            if leg is None:
                continue  # a spot walled off by people or furniture: skip it
            path += [q for q in leg[1:]]
        return path

    def _chunk(self) -> np.ndarray:
        env, room = self.env, self.args["target"]
        if room not in env.layout.rooms:
            raise PolicyError(
                f"there is no room {room!r} to vacuum; rooms: {', '.join(env.layout.rooms)}"
            )
        if env.world.robot.held is not None:
            raise PolicyError(f"the gripper holds the {env.world.robot.held}; put it down first")
        if env.layout.room_at(*self._pose()[:2]) != room and self._route is None:
            raise PolicyError(f"the robot is not in the {room}; go there first")
        if self.done:
            return self._hold()
        if self._route is None:
            self._route = self._plan_route()
            self._passes += 1
        chunk, arrived = self._follow(self._route, self._pose()[2], face_travel=True)
        if arrived or len(self._route) < 2:
            if self._passes >= 3:
                raise PolicyError(f"the {room} floor is still dirty after three passes")
            self._route = None
            return self._hold()
        chunk[:, USE] = 1.0
        return chunk


class ServeExpert(_HeldExpert):
    """Hold the bag of pet food over the pet's bowl and tip it until the bowl is full."""

    skill = "serve"
    required = ("object", "target")

    @property
    def done(self) -> bool:
        """True once the bowl is full."""
        fs = self.env.world.fixtures.get(self.args["target"])
        return fs is not None and fs.fill >= min(1.0, FILLED_AT + 0.15)

    def _chunk(self) -> np.ndarray:
        target = self.args["target"]
        o = self._held(self.args["object"])
        if o.kind != "pet_food":
            raise PolicyError(f"the {self.args['object']} is not pet food")
        if o.quantity <= 0.0:
            raise PolicyError("the bag of pet food is empty; add pet food to the shopping list")
        spec = self._fixture(target)
        if spec.kind != "pet_bowl_mat":
            raise PolicyError(f"the {target} is not a pet's bowl")
        if self.done:
            return self._look_at(_fixture_points(spec.rect, self._pose()))
        self._reach(target, spec.rect)
        ok, score = self._over(spec.rect, 0.05)
        return self._align_then(
            lambda: ok(self._pose(), False),
            score,
            _facing(spec.rect),
            self._act(grip=1.0, use=1.0),
            f"tip the pet food into the {target}",
        )


class AddExpert(_HeldExpert):
    """Tip a portion of the held food into the pot or pan."""

    skill = "add"
    required = ("object", "target")

    @property
    def done(self) -> bool:
        """True once the food is in."""
        t = self.env.world.objects.get(self.args["target"])
        o = self.env.world.objects.get(self.args["object"])
        return t is not None and o is not None and t.food == o.kind

    def _chunk(self) -> np.ndarray:
        env = self.env
        name, target = self.args["object"], self.args["target"]
        o = self._held(name)
        k = OBJECT_KINDS.get(o.kind)
        if k is None or not k.cookable:
            raise PolicyError(f"the {name} is not food to cook")
        if o.quantity <= 0.0:
            raise PolicyError(f"there is no {name} left; add it to the shopping list")
        t = env.world.objects.get(target)
        tk = OBJECT_KINDS.get(t.kind) if t is not None else None
        if t is None or tk is None or tk.category != "cookware":
            raise PolicyError(f"the {target} is not a pot or pan")
        if self.done:
            return self._look_at([(t.x, t.y)])
        if t.relation in ("held", "with") or env._hidden(t):
            raise PolicyError(f"the {target} is out of reach")
        d = math.hypot(t.x - self._robot.x, t.y - self._robot.y)
        if d > REACH_M and self._goal is None:
            raise PolicyError(f"the {target} is {d:.2f} m away, beyond reach; navigate to it first")
        tx, ty = t.x, t.y

        def score(p):
            gx, gy = env._gripper_point(p)
            dd = math.hypot(gx - tx, gy - ty)
            if dd > 0.11 or not env._los(p[0], p[1], gx, gy):
                return None
            # the pot or pan the food would go into is this one, not its neighbour
            if housework.portion_receiver(env, gx, gy, exclude=name) != target:
                return None
            return dd

        def ready() -> bool:
            gx, gy = env._gripper_point()
            return housework.portion_receiver(env, gx, gy, exclude=name) == target

        return self._align_then(
            ready,
            score,
            lambda x, y: [math.atan2(ty - y, tx - x)],
            self._act(grip=1.0, use=1.0),
            f"tip the {name} into the {target}",
            _point_view(env, tx, ty),
        )


class BrewExpert(_HeldExpert):
    """Hold the empty cup over the kettle of boiled water and fill it: coffee (or tea)."""

    skill = "brew"
    required = ("object", "target")

    @property
    def done(self) -> bool:
        """True once the cup is full of the drink."""
        o = self.env.world.objects.get(self.args["object"])
        return o is not None and o.liquid in ("coffee", "tea") and o.fill >= FILLED_AT + 0.1

    def _chunk(self) -> np.ndarray:
        env, target = self.env, self.args["target"]
        o = self._held(self.args["object"])
        if o.kind not in ("mug", "cup", "glass"):
            raise PolicyError(f"the {self.args['object']} is not a cup to drink from")
        drink = self.args.get("drink", "coffee")
        if self.done:
            return self._hold()
        if o.fill > 0.02 and o.liquid not in ("coffee", "tea"):
            raise PolicyError(f"the {self.args['object']} holds {o.liquid}; empty it first")
        if not housework.drink_available(env.world, drink):
            raise PolicyError(f"there is no {drink} left in the home; add it to the shopping list")
        spec = self._fixture(target)
        if spec.kind != "kettle":
            raise PolicyError(f"the {target} is not a kettle")
        env._sync()
        fs = env.world.fixtures[target]
        if fs.liquid != "water" or fs.fill <= 0.0:
            raise PolicyError(f"the {target} is empty; fill it with water and boil it first")
        if fs.temp < housework.BREW_MIN_C:
            raise PolicyError(f"the water in the {target} is not hot; boil it first")
        if o.fill <= 0.02 and o.dose != drink:
            housework.dose(env, self.args["object"], drink)  # a tea bag in the cup
        self._reach(target, spec.rect)
        ok, score = self._over(spec.rect, 0.04)
        return self._align_then(
            lambda: ok(self._pose(), False),
            score,
            _facing(spec.rect),
            self._act(grip=1.0, use=1.0),
            f"fill the {self.args['object']} from the {target}",
        )


class SayExpert(HomeSimExpert):
    """Say the message to the person (within earshot), then look at them."""

    skill = "say"
    required = ("person", "message")

    def reset(self) -> None:
        """Say it again on a new attempt."""
        super().reset()
        self._said = False

    def _chunk(self) -> np.ndarray:
        env, who = self.env, self.args["person"]
        p = env.world.residents.get(who)
        if p is None:
            raise PolicyError(
                f"{who} does not live here; residents: {', '.join(env.world.residents)}"
            )
        if not p.home:
            raise PolicyError(f"{who} is not at home; remind them when they are back")
        if p.activity == "asleep":
            raise PolicyError(f"{who} is asleep; the reminder can wait until they are up")
        rb = self._robot
        d = math.hypot(p.x - rb.x, p.y - rb.y)
        if d > housework.EARSHOT_M or env.layout.room_at(rb.x, rb.y) != p.room:
            raise PolicyError(f"{who} is too far away to hear ({d:.1f} m); go to them first")
        if not self._said:
            heard = env.speak(str(self.args["message"]))
            self._said = True
            if who not in heard:
                raise PolicyError(f"{who} did not hear it (a wall between, or too far)")
        return self._look_at([(p.x, p.y)])


#: Experts of this module by skill name (added to :data:`sim.home.experts.EXPERTS`).
CHORE_EXPERTS: dict[str, type[HomeSimExpert]] = {
    e.skill: e
    for e in (
        RunExpert,
        BoilExpert,
        CookExpert,
        WaterExpert,
        VacuumExpert,
        ServeExpert,
        AddExpert,
        BrewExpert,
        SayExpert,
    )
}
