"""System 1's executor: a fixed-rate control loop on its own thread.

The planner submits a bound :class:`~skills.spec.Skill`; the executor builds the skill's
policy, pops one action per control tick from the current action chunk, passes every
action through the safety guard, steps the robot, and reports an :class:`Outcome`
(success when the skill's success facts hold in an observation, failure when the policy
gives up, timeout, or stopped by the emergency stop).

Two timing modes, same loop:

* ``realtime=True`` (a real robot, or ``--realtime``): ticks are paced by the wall clock at
  ``rate_hz`` and the next chunk is requested on a worker thread before the current one
  runs out; if it is late the robot holds still (zero action) rather than act blindly.
* lockstep (simulation): no sleeping; each ``env.step`` advances the simulator's clock by
  one tick, so runs are as fast as the CPU allows and deterministic for a seed.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from housemind.skills.policies.base import Policy, PolicyError, get_policy_factory
from housemind.skills.spec import Skill
from housemind.skills.types import Detection, Observation, Proprio, RobotEnv

__all__ = ["ActionFilter", "Executor", "Outcome", "OutcomeStatus"]

logger = logging.getLogger(__name__)

OutcomeStatus = Literal["success", "failure", "timeout", "stopped"]


class ActionFilter(Protocol):
    """The action-level safety check run every tick (see ``safety.ActionGuard``).

    A filter may also define ``update(obs: Observation) -> None``; the executor then calls
    it with every full observation (at chunk boundaries), so the filter can track hazards
    such as people or a wet floor between ticks.
    It may define ``attach(env) -> None``: the executor calls it with the env before each
    subtask, so the filter can read what the env's action entries mean
    (``env.action_layout``: a base's velocity, an arm's hand velocity).
    """

    @property
    def stopped(self) -> bool:
        """True while the emergency stop is engaged."""
        ...

    def filter(
        self, action: np.ndarray, proprio: Proprio, people_xy: list[tuple[float, float]]
    ) -> np.ndarray:
        """Return a safe version of ``action`` (clamped, or zeros)."""
        ...


@dataclass
class Outcome:
    """How a subtask ended.

    Attributes:
        status: ``success``, ``failure``, ``timeout`` or ``stopped``.
        skill: Skill name.
        args: Skill arguments.
        text: The language instruction.
        reason: Why it ended (for people, logs and the planner's replanning).
        ticks: Control ticks executed.
        seconds: Robot-clock seconds the subtask took.
        seen: The latest detection of everything seen while executing (for memory).
        facts: Facts of the last observation.
        clamped_ticks: Ticks whose action the safety guard changed.
    """

    status: OutcomeStatus
    skill: str
    args: dict
    text: str
    reason: str = ""
    ticks: int = 0
    seconds: float = 0.0
    seen: list[Detection] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    clamped_ticks: int = 0
    last_observation: Observation | None = None

    @property
    def ok(self) -> bool:
        """True on success."""
        return self.status == "success"


def _proprio_from_array(p: np.ndarray, prev: Proprio) -> Proprio:
    # gym obs layout: [x, y, cos θ, sin θ, vx, vy, wz, gripper] (Proprio.as_array)
    return Proprio(
        x=float(p[0]),
        y=float(p[1]),
        theta=math.atan2(float(p[3]), float(p[2])),
        vx=float(p[4]),
        vy=float(p[5]),
        wz=float(p[6]),
        gripper=float(p[7]),
        held=prev.held,
        room=prev.room,
        held_state=prev.held_state,
    )


class Executor:
    """Runs skills on a robot at a fixed control rate, on its own thread.

    Args:
        env: The robot or simulator.
        rate_hz: Control rate; defaults to the env's ``control_hz`` (HomeSim: 50 Hz).
        realtime: Pace ticks by the wall clock (see the module docstring).
        guard: Action-level safety filter applied to every action.
        policy_for: Builds the policy for a skill; defaults to the skill's registered
            backend (``SkillSpec.policy``).
        prefetch_ticks: In realtime mode, ask for the next chunk when this many actions
            of the current one remain.
    """

    def __init__(
        self,
        env: RobotEnv,
        *,
        rate_hz: float | None = None,
        realtime: bool = False,
        guard: ActionFilter | None = None,
        policy_for: Callable[[Skill, RobotEnv], Policy] | None = None,
        prefetch_ticks: int = 3,
    ) -> None:
        self.env = env
        self.rate_hz = float(rate_hz or getattr(env, "control_hz", 50.0))
        self.realtime = realtime
        self.guard = guard
        self.prefetch_ticks = prefetch_ticks
        self._policy_for = policy_for or (
            lambda sk, e: get_policy_factory(sk.spec.policy)(sk.spec, sk.args, e)
        )
        self._commands: queue.Queue[tuple[Skill, Future[Outcome]] | None] = queue.Queue()
        self._stop = threading.Event()
        self._estop = threading.Event()
        self._estop_reason = ""
        self._thread: threading.Thread | None = None
        self._busy = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Executor:
        """Start the control thread (idempotent)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._loop, name="housemind-executor", daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop the control thread after the current tick."""
        self._stop.set()
        self._commands.put(None)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Executor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def busy(self) -> bool:
        """True while a subtask is executing."""
        return self._busy.is_set()

    # -- commands ----------------------------------------------------------------------

    def submit(self, skill: Skill) -> Future[Outcome]:
        """Queue ``skill`` for execution; the future resolves to its :class:`Outcome`."""
        self.start()
        fut: Future[Outcome] = Future()
        self._commands.put((skill, fut))
        return fut

    def run(self, skill: Skill, timeout: float | None = None) -> Outcome:
        """Execute ``skill`` and wait for its outcome."""
        return self.submit(skill).result(timeout=timeout)

    def estop(self, reason: str = "emergency stop") -> None:
        """Halt at the next tick: zero actions until :meth:`clear_estop`."""
        self._estop_reason = reason
        self._estop.set()

    def clear_estop(self) -> None:
        """Release the emergency stop."""
        self._estop.clear()

    # -- the control loop --------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            item = self._commands.get()
            if item is None:
                break
            skill, fut = item
            if not fut.set_running_or_notify_cancel():
                continue
            self._busy.set()
            try:
                fut.set_result(self._execute(skill))
            except BaseException as e:  # noqa: BLE001 - report, never kill the loop
                logger.exception("executor crashed on %s", skill.text)
                fut.set_exception(e)
            finally:
                self._busy.clear()

    def _stopped(self) -> bool:
        return self._estop.is_set() or (self.guard is not None and self.guard.stopped)

    def _execute(self, skill: Skill) -> Outcome:
        env = self.env
        text = skill.text
        want = skill.success_facts()
        out = Outcome(status="timeout", skill=skill.spec.name, args=skill.args, text=text)
        seen: dict[str, Detection] = {}
        dt = 1.0 / self.rate_hz
        max_ticks = max(1, int(skill.spec.timeout_s * self.rate_hz))

        guard_sees = getattr(self.guard, "update", None)
        attach = getattr(self.guard, "attach", None)
        if attach is not None:
            attach(env)  # the guard reads what the env's action entries mean (base, arm)

        def look() -> Observation:
            o = env.observe()
            for d in o.detections:
                seen[d.name] = d
            if guard_sees is not None:
                guard_sees(o)  # e.g. a spill seen on the floor becomes a keep-out zone
            return o

        obs = look()
        try:
            policy = self._policy_for(skill, env)
            policy.reset()
        except PolicyError as e:
            return self._finish(out, "failure", str(e), obs, seen)

        pool = ThreadPoolExecutor(1, thread_name_prefix="policy") if self.realtime else None
        pending: Future[np.ndarray] | None = None
        chunk: np.ndarray | None = None
        idx = 0
        proprio = obs.proprio
        people = [d.position for d in obs.people()]
        t_next = time.perf_counter()
        zero = np.zeros(int(getattr(env, "action_dim", 0)) or 1, dtype=np.float32)
        try:
            for tick in range(max_ticks):
                if self._stopped():
                    env.step(zero)  # one holding tick, so the base stops now
                    out.ticks = tick + 1
                    reason = self._estop_reason or "emergency stop by the safety guard"
                    return self._finish(out, "stopped", reason, look(), seen)
                if chunk is None or idx >= len(chunk):
                    obs = look()
                    proprio, people = obs.proprio, [d.position for d in obs.people()]
                    if (
                        want
                        and all(f in obs.facts() for f in want)
                        and getattr(policy, "done", True)
                    ):
                        out.ticks = tick
                        return self._finish(out, "success", "", obs, seen)
                    try:
                        if pending is not None:
                            chunk, pending = pending.result(timeout=self._late_s()), None
                        else:
                            chunk = np.asarray(policy.predict_chunk(obs, text), np.float32)
                    except TimeoutError:
                        chunk, pending = zero[None, :], pending  # late: hold still
                    except PolicyError as e:
                        out.ticks = tick
                        return self._finish(out, "failure", str(e), obs, seen)
                    if chunk.ndim != 2 or len(chunk) == 0:
                        raise PolicyError(
                            f"policy returned a chunk of shape {chunk.shape}; "
                            "expected [H, A] with H >= 1"
                        )
                    idx = 0
                action = chunk[idx]
                idx += 1
                if pool is not None and pending is None and len(chunk) - idx == self.prefetch_ticks:
                    pending = pool.submit(policy.predict_chunk, obs, text)
                if self.guard is not None:
                    safe = self.guard.filter(action, proprio, people)
                    if safe is not action and not np.array_equal(safe, action):
                        out.clamped_ticks += 1
                    action = safe
                gym_obs, *_ = env.step(action)
                p = gym_obs.get("proprio") if isinstance(gym_obs, dict) else None
                if p is not None:
                    proprio = _proprio_from_array(p, proprio)
                if self.realtime:
                    t_next += dt
                    delay = t_next - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                    else:
                        t_next = time.perf_counter()  # overran: do not try to catch up
            out.ticks = max_ticks
            obs = look()
            if want and all(f in obs.facts() for f in want):
                return self._finish(out, "success", "", obs, seen)
            return self._finish(
                out,
                "timeout",
                f"'{text}' did not finish within {skill.spec.timeout_s:g} s",
                obs,
                seen,
            )
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)

    def _late_s(self) -> float:
        return self.prefetch_ticks / self.rate_hz

    def _finish(
        self,
        out: Outcome,
        status: OutcomeStatus,
        reason: str,
        obs: Observation,
        seen: dict[str, Detection],
    ) -> Outcome:
        out.status = status
        out.reason = reason
        out.seconds = out.ticks / self.rate_hz
        out.seen = list(seen.values())
        out.facts = sorted(obs.facts())
        out.last_observation = obs
        return out
