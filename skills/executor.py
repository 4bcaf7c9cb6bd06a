"""System 1's executor: a fixed-rate control loop on its own thread.

The planner submits a bound :class:`~skills.spec.Skill` through a queue (it never waits
for the loop); the executor builds the skill's policy and, every control tick, pops one
action from its action queue, passes it through the safety guard (and the emergency stop),
steps the robot and tells its observers (e.g. a dataset recorder). When the queue runs low
(:class:`~skills.chunking.ChunkingConfig`) it looks (``env.observe()``), ends the subtask
if its success facts hold, and asks the policy for the next chunk, which is merged into
what is still queued (blended, optionally guided by it: real-time chunking). It reports an
:class:`Outcome`: success when the skill's success facts hold in an observation, failure
when the policy gives up, timeout, or stopped by the emergency stop.

The loop runs at ``rate_hz`` (200 Hz by default) and the robot or simulator follows that
rate (``env.set_control_hz``). Two timing modes, same loop:

* ``realtime=True`` (a real robot, or ``--realtime``): ticks are paced by the wall clock,
  and chunks are computed on a worker thread while the queue drains; if none is ready
  when the queue runs dry the robot holds still (zero action) rather than act blindly,
  and the loop never waits for the policy. :attr:`Executor.timing` measures the achieved
  rate, the jitter of tick starts and missed ticks.
* lockstep (simulation): no sleeping, each ``env.step`` advances the simulator's clock by
  one tick and chunks are computed in place, so runs are as fast as the CPU allows and
  deterministic for a seed.
"""

from __future__ import annotations

import gc
import inspect
import logging
import math
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

from housemind.skills.chunking import ChunkingConfig, merge_chunk
from housemind.skills.policies.base import Policy, PolicyError, get_policy_factory
from housemind.skills.spec import Skill
from housemind.skills.types import Detection, Observation, Proprio, RobotEnv

__all__ = [
    "DEFAULT_RATE_HZ",
    "observe_without_image",
    "ActionFilter",
    "Executor",
    "ExecutorObserver",
    "Outcome",
    "OutcomeStatus",
    "TickTiming",
]

logger = logging.getLogger(__name__)

OutcomeStatus = Literal["success", "failure", "timeout", "stopped"]
#: The control rate when none is given (ticks per second).
DEFAULT_RATE_HZ = 200.0
#: In realtime mode the next chunk is asked for at least this many ticks before the queue
#: runs dry, whatever the chunking config says.
REALTIME_MIN_REFILL = 3
#: In realtime mode the GIL switch interval is lowered to this (s) while the loop runs, so
#: a busy planner thread hands the interpreter over within it (CPython's default is 5 ms).
REALTIME_SWITCH_INTERVAL_S = 0.0002


class ActionFilter(Protocol):
    """The action-level safety check run every tick (see ``safety.ActionGuard``).

    A filter may also define ``update(obs: Observation) -> None``; the executor then calls
    it with every full observation (when it looks, before asking for a chunk), so the
    filter can track hazards such as people or a wet floor between ticks.
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


def observe_without_image(env: RobotEnv) -> Callable[[], Observation] | None:
    """``env.observe(image=False)`` if the env can skip its camera, else None."""
    observe = getattr(env, "observe", None)
    try:
        params = inspect.signature(observe).parameters if observe is not None else {}
    except (TypeError, ValueError):
        return None
    if "image" not in params:
        return None
    return lambda: observe(image=False)


class ExecutorObserver(Protocol):
    """Something that watches the executor work (a dataset recorder, a benchmark).

    Every method is optional; the executor calls the ones an observer defines, on the
    control thread, so they must be quick (or the loop misses ticks in realtime mode).
    """

    def on_start(self, skill: Skill, obs: Observation) -> None:
        """A subtask starts; ``obs`` is the first observation."""
        ...

    def on_chunk(self, tick: int, queue: np.ndarray) -> None:
        """A chunk was merged at ``tick``; ``queue`` holds the actions now queued."""
        ...

    def on_action(self, tick: int, action: np.ndarray) -> None:
        """``action`` (after the safety guard) is applied now, before the robot steps."""
        ...

    def on_end(self, outcome: Outcome) -> None:
        """The subtask ended."""
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
        chunks: Chunks the policy produced.
        starved_ticks: Realtime ticks with no action queued (the robot held still).
        last_observation: The last observation.
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
    chunks: int = 0
    starved_ticks: int = 0
    last_observation: Observation | None = None

    @property
    def ok(self) -> bool:
        """True on success."""
        return self.status == "success"


@dataclass
class TickTiming:
    """When realtime ticks started, against their schedule (for the benchmark).

    Attributes:
        period_s: The tick period.
        lateness_s: For every tick, how late it started (s) after its scheduled time.
        missed: Ticks that started a whole period or more late (the schedule then
            restarts from that tick instead of catching up).
        elapsed_s: Wall seconds from the first tick's start to the last tick's end.
    """

    period_s: float
    lateness_s: list[float] = field(default_factory=list)
    missed: int = 0
    elapsed_s: float = 0.0

    @property
    def ticks(self) -> int:
        """Ticks measured."""
        return len(self.lateness_s)

    def summary(self) -> dict[str, float]:
        """``ticks``, ``rate_hz``, ``jitter_p50/p99/max_ms`` and ``missed_ticks``."""
        lat = np.asarray(self.lateness_s) * 1000.0
        return {
            "ticks": self.ticks,
            "rate_hz": round(self.ticks / self.elapsed_s, 2) if self.elapsed_s > 0 else 0.0,
            "jitter_p50_ms": round(float(np.percentile(lat, 50)), 4) if lat.size else 0.0,
            "jitter_p99_ms": round(float(np.percentile(lat, 99)), 4) if lat.size else 0.0,
            "jitter_max_ms": round(float(lat.max()), 4) if lat.size else 0.0,
            "missed_ticks": self.missed,
        }


class _MalformedChunk(PolicyError):
    """A policy returned something that is not an ``[H, A]`` chunk (a bug, not a failure)."""


def _proprio_from_array(p: np.ndarray, prev: Proprio) -> Proprio:
    # gym obs layout: [x, y, cos θ, sin θ, vx, vy, wz, gripper] (Proprio.as_array);
    # tolist(): one conversion to Python floats instead of eight
    x, y, c, s, vx, vy, wz, gripper = p[:8].tolist()
    return Proprio(
        x=x,
        y=y,
        theta=math.atan2(s, c),
        vx=vx,
        vy=vy,
        wz=wz,
        gripper=gripper,
        held=prev.held,
        room=prev.room,
        held_state=prev.held_state,
    )


class Executor:
    """Runs skills on a robot at a fixed control rate, on its own thread.

    Args:
        env: The robot or simulator; it must run at ``rate_hz`` (it is asked to with
            ``env.set_control_hz`` if it runs at another rate).
        rate_hz: Control rate (ticks per second). None: :data:`DEFAULT_RATE_HZ` for an env
            that can follow the executor's rate (``set_control_hz``), else the env's own
            fixed ``control_hz`` (a MuJoCo scene, a real robot).
        realtime: Pace ticks by the wall clock (see the module docstring).
        guard: Action-level safety filter applied to every action.
        policy_for: Builds the policy for a skill; defaults to the skill's registered
            backend (``SkillSpec.policy``).
        chunking: How chunks are requested and merged; default: the policy's own
            ``chunking`` attribute if it has one, else ask when the queue is empty.
        observers: Watchers called every tick (:class:`ExecutorObserver`).
        rt_priority: In realtime mode, run the control thread under the real-time FIFO
            scheduler at this priority (1-99) where the OS allows it (Linux, with the
            right to: root or CAP_SYS_NICE), so other processes cannot delay its ticks;
            None keeps the normal scheduler.
    """

    def __init__(
        self,
        env: RobotEnv,
        *,
        rate_hz: float | None = None,
        realtime: bool = False,
        guard: ActionFilter | None = None,
        policy_for: Callable[[Skill, RobotEnv], Policy] | None = None,
        chunking: ChunkingConfig | None = None,
        observers: Sequence[Any] = (),
        rt_priority: int | None = 50,
    ) -> None:
        if rate_hz is None:
            fixed = getattr(env, "control_hz", None)
            follows = getattr(env, "set_control_hz", None) is not None
            rate_hz = DEFAULT_RATE_HZ if follows or fixed is None else float(fixed)
        if not (rate_hz > 0 and math.isfinite(rate_hz)):
            raise ValueError(f"rate_hz must be a positive number, got {rate_hz}")
        self.env = env
        self.rate_hz = float(rate_hz)
        self._follow_rate()
        self.realtime = realtime
        self.guard = guard
        self.chunking = chunking
        self.observers: list[Any] = list(observers)
        self.rt_priority = rt_priority
        #: Whether the control thread runs under the real-time scheduler.
        self.realtime_scheduled = False
        self._policy_for = policy_for or (
            lambda sk, e: get_policy_factory(sk.spec.policy)(sk.spec, sk.args, e)
        )
        self._commands: queue.Queue[tuple[Skill, Future[Outcome]] | None] = queue.Queue()
        self._stop = threading.Event()
        self._estop = threading.Event()
        self._estop_reason = ""
        self._thread: threading.Thread | None = None
        self._busy = threading.Event()
        self.timing = TickTiming(1.0 / self.rate_hz)

    def _follow_rate(self) -> None:
        hz = getattr(self.env, "control_hz", None)
        if hz is not None and abs(float(hz) - self.rate_hz) < 1e-9:
            return
        setter = getattr(self.env, "set_control_hz", None)
        if setter is None:
            raise ValueError(
                f"{type(self.env).__name__} runs at {hz} Hz and cannot change its rate; "
                f"build the executor with rate_hz={hz}"
            )
        setter(self.rate_hz)

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
        """Stop the control thread after the current subtask's tick."""
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

    def reset_timing(self) -> None:
        """Forget the realtime tick measurements."""
        self.timing = TickTiming(1.0 / self.rate_hz)

    # -- the control loop --------------------------------------------------------------

    def _loop(self) -> None:
        before = sys.getswitchinterval()
        if self.realtime:
            sys.setswitchinterval(min(before, REALTIME_SWITCH_INTERVAL_S))
            self.realtime_scheduled = self._realtime_priority()
            # What exists when the loop starts (the robot's world, loaded models) lives as
            # long as the process: keep it out of the collector's full passes, which
            # would otherwise stall ticks. Objects made later are collected as usual.
            gc.freeze()
        try:
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
        finally:
            if self.realtime:
                sys.setswitchinterval(before)

    def _realtime_priority(self) -> bool:
        """Put the calling (control) thread under SCHED_FIFO if allowed."""
        if self.rt_priority is None or not hasattr(os, "sched_setscheduler"):
            return False
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(self.rt_priority))
        except (OSError, ValueError) as e:
            logger.info("control thread keeps the normal scheduler (%s)", e)
            return False
        return True

    def _worker_priority(self) -> None:
        """The policy worker runs just below the control thread when that one is real-time.

        Otherwise the worker, holding the interpreter lock, could wait behind other
        processes for a core while the control thread waits for the lock.
        """
        if self.realtime_scheduled and self.rt_priority is not None:
            try:
                prio = max(1, self.rt_priority - 10)
                os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(prio))
            except (OSError, ValueError):  # pragma: no cover - allowed a moment ago
                pass

    def _stopped(self) -> bool:
        return self._estop.is_set() or (self.guard is not None and self.guard.stopped)

    def _notify(self, method: str, *args: Any) -> None:
        for o in self.observers:
            fn = getattr(o, method, None)
            if fn is not None:
                fn(*args)

    def _execute(self, skill: Skill) -> Outcome:
        out = self._run_skill(skill)
        self._notify("on_end", out)
        return out

    def _run_skill(self, skill: Skill) -> Outcome:
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

        # A controller that never reads the camera (a privileged expert) spares the
        # renderer: between chunks the env is asked for detections and body state only.
        # The first and the last observation of a subtask always carry the image.
        blind = None

        def look(image: bool = True) -> Observation:
            o = env.observe() if image or blind is None else blind()
            for d in o.detections:
                seen[d.name] = d
            if guard_sees is not None:
                guard_sees(o)  # e.g. a spill seen on the floor becomes a keep-out zone
            return o

        obs = look()
        self._notify("on_start", skill, obs)
        try:
            policy = self._policy_for(skill, env)
            policy.reset()
        except PolicyError as e:
            return self._finish(out, "failure", str(e), obs, seen)
        if not getattr(policy, "uses_image", True):
            blind = observe_without_image(env)
        cfg = self.chunking or getattr(policy, "chunking", None) or ChunkingConfig()
        guided = cfg.guide and bool(getattr(policy, "accepts_prefix", False))
        # In realtime mode a chunk takes wall time to compute: ask before the queue is dry.
        refill = max(cfg.refill_below, REALTIME_MIN_REFILL) if self.realtime else cfg.refill_below
        action_dim = int(getattr(env, "action_dim", 0)) or 1
        zero = np.zeros(action_dim, dtype=np.float32)
        pool = (
            ThreadPoolExecutor(1, thread_name_prefix="policy", initializer=self._worker_priority)
            if self.realtime
            else None
        )
        pending: Future[np.ndarray] | None = None
        asked_at = 0
        queued = np.zeros((0, action_dim), np.float32)
        proprio = obs.proprio
        people = [d.position for d in obs.people()]
        timing = self.timing
        t_next = time.perf_counter()
        t_first = t_next

        def ask(o: Observation) -> np.ndarray:
            if guided and len(queued):
                return policy.predict_chunk(o, text, prefix=queued.copy())  # type: ignore[call-arg]
            return policy.predict_chunk(o, text)

        def checked(chunk: Any) -> np.ndarray:
            c = np.asarray(chunk, np.float32)
            if c.ndim != 2 or len(c) == 0:
                raise _MalformedChunk(
                    f"policy returned a chunk of shape {c.shape}; expected [H, A] with H >= 1"
                )
            return c

        try:
            for tick in range(max_ticks):
                if self.realtime:
                    now = time.perf_counter()
                    late = now - t_next
                    timing.lateness_s.append(max(0.0, late))
                    if late >= dt:
                        timing.missed += 1
                        t_next = now  # overran: do not try to catch up
                if self._stopped():
                    env.step(zero)  # one holding tick, so the base stops now
                    out.ticks = tick + 1
                    reason = self._estop_reason or "emergency stop by the safety guard"
                    return self._finish(out, "stopped", reason, look(), seen)
                if pending is not None and pending.done():
                    try:
                        chunk = checked(pending.result())
                    except _MalformedChunk:
                        raise
                    except PolicyError as e:
                        out.ticks = tick
                        return self._finish(out, "failure", str(e), obs, seen)
                    pending = None
                    queued = merge_chunk(queued, chunk, tick - asked_at, cfg)
                    out.chunks += 1
                    self._notify("on_chunk", tick, queued)
                if pending is None and len(queued) <= refill:
                    obs = look(image=False)
                    proprio, people = obs.proprio, [d.position for d in obs.people()]
                    if (
                        want
                        and all(f in obs.facts() for f in want)
                        and getattr(policy, "done", True)
                    ):
                        out.ticks = tick
                        return self._finish(out, "success", "", obs, seen)
                    if pool is not None:
                        pending, asked_at = pool.submit(ask, obs), tick
                    else:
                        try:
                            chunk = checked(ask(obs))
                        except _MalformedChunk:
                            raise
                        except PolicyError as e:
                            out.ticks = tick
                            return self._finish(out, "failure", str(e), obs, seen)
                        queued = merge_chunk(queued, chunk, 0, cfg)
                        out.chunks += 1
                        self._notify("on_chunk", tick, queued)
                if len(queued):
                    action, queued = queued[0], queued[1:]
                else:
                    action = zero  # the next chunk is late: hold still
                    out.starved_ticks += 1
                if self.guard is not None:
                    safe = self.guard.filter(action, proprio, people)
                    # tolist(): equal as numbers, like np.array_equal, at a tenth of the cost
                    if safe is not action and safe.tolist() != action.tolist():
                        out.clamped_ticks += 1
                    action = safe
                self._notify("on_action", tick, action)
                gym_obs, *_ = env.step(action)
                p = gym_obs.get("proprio") if isinstance(gym_obs, dict) else None
                if p is not None:
                    proprio = _proprio_from_array(p, proprio)
                if self.realtime:
                    t_next += dt
                    delay = t_next - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
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
            if self.realtime:
                timing.elapsed_s += time.perf_counter() - t_first
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)

    def _finish(
        self,
        out: Outcome,
        status: OutcomeStatus,
        reason: str,
        obs: Observation,
        seen: dict[str, Detection],
    ) -> Outcome:
        if obs.image.size == 0:  # seen without the camera mid-subtask: the last one has it
            obs = self.env.observe()
        out.status = status
        out.reason = reason
        out.seconds = out.ticks / self.rate_hz
        out.seen = list(seen.values())
        out.facts = sorted(obs.facts())
        out.last_observation = obs
        return out
