"""``housemind bench executor``: System 1's control rate while System 2 works beside it.

For each policy backend the executor runs HomeSim manipulation subtasks back to back in
realtime mode (wall-clock paced, 200 Hz by default, the safety guard on every tick) while,
in the same process, a System 2 thread plans chores with the symbolic planner over a
second home's memory and writes to memory (spatial sightings and episodic events, which
embeds their text), as the runtime does. Reported per backend: the achieved tick rate,
the p50/p99/max lateness of tick starts against the fixed schedule (jitter), missed ticks
(a tick a whole period late), ticks with no action ready (the policy was late), and how
busy System 2 was.
"""

from __future__ import annotations

import itertools
import os
import platform
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["JERK_VARIANTS", "TARGETS", "run_executor_bench", "run_jerk_bench"]

#: The issue's targets (with the VLA backend).
TARGETS = {"rate_hz": 200.0, "jitter_p99_ms": 1.0, "missed_ticks": 0}

_GOALS = (
    "take the mug to the sink",
    "tidy the living room",
    "check the fridge for milk",
    "put the book on the shelf",
)


class _System2:
    """A thread that plans and writes memory in a loop, like the runtime's main thread."""

    def __init__(self, db: Path, seed: int = 0) -> None:
        from housemind.agent.runtime import HomeRuntime
        from housemind.sim.home import HomeSimEnv

        self.env = HomeSimEnv(seed=seed)
        self.env.reset(seed=seed)
        self.rt = HomeRuntime(self.env, self.env.clock, db_url=f"sqlite:///{db}")
        self.plans = 0
        self.writes = 0
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="system2", daemon=True)

    def _loop(self) -> None:
        i = 0
        while not self._stop.is_set():
            goal = _GOALS[i % len(_GOALS)]
            i += 1
            try:
                self.rt.planner.plan(goal, self.rt.plan_context(goal))
                self.plans += 1
                obs = self.env.observe()
                self.rt.memory.spatial.observe(
                    obs.detections, obs.time, robot_room=obs.proprio.room
                )
                self.rt.memory.episodic.record(
                    "bench", f"planned '{goal}' ({i})", self.env.clock.now(), task_id=f"b{i}"
                )
                self.writes += 2
            except Exception:  # noqa: BLE001 - load only; counted, never fatal
                self.errors += 1

    def __enter__(self) -> _System2:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        self.rt.close()


def _bench_backend(
    backend: str, seconds: float, rate_hz: float, home: str, say: Callable[[str], None]
) -> dict[str, Any]:
    from housemind.safety import SafetyMonitor
    from housemind.sim.home.instances import (
        MANIPULATION_SKILLS,
        homes_with_arrangements,
        iter_instances,
    )
    from housemind.skills import Executor
    from housemind.skills.policies import backend_supports, policy_factory
    from housemind.skills.policies.vla import camera_size_for

    choice = None if backend == "scripted" else backend
    skills = [
        s for s in MANIPULATION_SKILLS if choice is None or backend_supports(choice, _spec(s))
    ]
    if not skills:
        raise ValueError(f"the {backend!r} backend supports no manipulation skill here")
    stream = iter_instances(
        skills,
        homes_with_arrangements([home], [None]),
        per_skill=10_000,
        seed=11,
        control_hz=rate_hz,
        image_size=camera_size_for(choice, 64),
    )
    guard = SafetyMonitor().guard
    ex: Executor | None = None
    subtasks = successes = starved = chunks = 0
    for env, inst in stream:
        if ex is None:
            ex = Executor(
                env, rate_hz=rate_hz, realtime=True, guard=guard, policy_for=policy_factory(choice)
            ).start()
        out = ex.run(inst.bound(), timeout=600)
        subtasks += 1
        successes += int(out.ok)
        starved += out.starved_ticks
        chunks += out.chunks
        if ex.timing.elapsed_s >= seconds:
            break
    assert ex is not None
    ex.close()
    res = ex.timing.summary()
    res.update(
        {
            "subtasks": subtasks,
            "successes": successes,
            "chunks": chunks,
            "starved_ticks": starved,
            "seconds": round(ex.timing.elapsed_s, 2),
        }
    )
    say(f"{backend}: {res['rate_hz']} Hz, p99 {res['jitter_p99_ms']} ms")
    return res


def _prepare(skill: str, seed: int, env: Any) -> tuple[str, dict[str, Any]] | None:
    """Set an instance up in the control process (module level: it is pickled)."""
    from housemind.sim.home.instances import SkipInstance, set_up

    try:
        inst = set_up(env, skill, seed)
    except SkipInstance:
        return None
    return inst.skill, inst.args


def _bench_backend_process(
    backend: str, seconds: float, rate_hz: float, home: str, say: Callable[[str], None]
) -> dict[str, Any]:
    import functools

    from housemind.sim.home.instances import MANIPULATION_SKILLS, make_env
    from housemind.skills.executor_process import ProcessExecutor
    from housemind.skills.policies import backend_supports
    from housemind.skills.policies.vla import camera_size_for

    choice = None if backend == "scripted" else backend
    skills = [
        s for s in MANIPULATION_SKILLS if choice is None or backend_supports(choice, _spec(s))
    ]
    factory = functools.partial(
        make_env, home, None, control_hz=rate_hz, image_size=camera_size_for(choice, 64)
    )
    subtasks = successes = starved = chunks = 0
    with ProcessExecutor(factory, rate_hz=rate_hz, policy=choice) as pe:
        elapsed = 0.0
        for i in itertools.count():
            prepared = pe.call(functools.partial(_prepare, skills[i % len(skills)], 11 + i))
            if prepared is None:
                continue
            out = pe.run(*prepared, timeout=600)
            subtasks += 1
            successes += int(out.ok)
            starved += out.starved_ticks
            chunks += out.chunks
            elapsed += out.ticks / rate_hz
            if elapsed >= seconds:
                break
        res = pe.timing()
        res["realtime_scheduler"] = pe.realtime_scheduled
    res.update(
        {"subtasks": subtasks, "successes": successes, "chunks": chunks, "starved_ticks": starved}
    )
    say(f"{backend} (own process): {res['rate_hz']} Hz, p99 {res['jitter_p99_ms']} ms")
    return res


def _spec(name: str) -> Any:
    from housemind.skills import REGISTRY

    return REGISTRY.get(name)


def run_executor_bench(
    *,
    backends: tuple[str, ...] = ("scripted", "vla"),
    seconds: float = 20.0,
    rate_hz: float = 200.0,
    load: bool = True,
    home: str = "apartment",
    modes: tuple[str, ...] = ("thread", "process"),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the benchmark; see the module docstring.

    Args:
        backends: Policy backends to measure.
        seconds: Wall seconds of ticking per backend.
        rate_hz: The executor's rate.
        load: Run System 2 (planning, memory writes) beside it.
        home: Floor plan of the subtasks.
        modes: ``thread`` (the control loop on a thread of this process, as ``housemind
            run --realtime`` runs it) and/or ``process`` (in its own process,
            :class:`~skills.executor_process.ProcessExecutor`).
        progress: Told what is being done.

    Returns:
        ``{"backends": {"<backend>/<mode>": {"rate_hz", "jitter_p50_ms", "jitter_p99_ms",
        "jitter_max_ms", "missed_ticks", "starved_ticks", ...}}, "system2": {...},
        "load_avg_1m", "machine", "targets"}``.
    """
    import housemind.skills  # noqa: F401 - registers skills and backends

    say = progress or (lambda m: None)
    out: dict[str, Any] = {"backends": {}, "rate_target_hz": rate_hz}
    with tempfile.TemporaryDirectory(prefix="housemind-bench-") as tmp:
        sys2 = _System2(Path(tmp) / "home.db") if load else None
        t0 = time.perf_counter()
        if sys2 is not None:
            say("System 2 planning and writing memory")
            sys2.__enter__()
        try:
            for mode in modes:
                run = {"thread": _bench_backend, "process": _bench_backend_process}[mode]
                for backend in backends:
                    say(f"executor ({mode}) with {backend} for {seconds:g} s")
                    out["backends"][f"{backend}/{mode}"] = run(backend, seconds, rate_hz, home, say)
        finally:
            if sys2 is not None:
                sys2.__exit__()
        wall = time.perf_counter() - t0
        if sys2 is not None:
            out["system2"] = {
                "plans_per_s": round(sys2.plans / wall, 2),
                "memory_writes_per_s": round(sys2.writes / wall, 2),
                "errors": sys2.errors,
            }
    out["load_avg_1m"] = round(os.getloadavg()[0], 2)
    out["machine"] = (
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    out["targets"] = TARGETS
    return out


class _Trace:
    """Executor observer keeping the applied actions and the ticks chunks were merged at."""

    def __init__(self) -> None:
        self.actions: list[Any] = []
        self.merges: list[int] = []

    def on_action(self, tick: int, action: Any) -> None:
        self.actions.append(action.copy())

    def on_chunk(self, tick: int, queue: Any) -> None:
        self.merges.append(tick)


#: Chunking variants compared by :func:`run_jerk_bench` (name -> blend, guide).
JERK_VARIANTS = {
    "replace": ("replace", False),
    "blend": ("linear", False),
    "rtc": ("replace", True),
    "rtc+blend": ("linear", True),
}


def run_jerk_bench(
    *,
    episodes: int = 3,
    skills: tuple[str, ...] = ("pick", "place", "open", "toggle"),
    rate_hz: float = 200.0,
    seed: int = 3,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Jerk at chunk boundaries of the VLA with and without real-time chunking.

    The same instances (HomeSim, the tuning arrangements) run in lockstep with the VLA
    under each :data:`JERK_VARIANTS` chunking; the continuous actions (vx, vy, wz) the
    executor applied are taken at the model's rate and their squared third difference is
    averaged around every tick at which a chunk was merged, and over all ticks.

    Returns:
        Per variant: ``boundary_jerk``, ``overall_jerk``, ``boundaries``, ``successes``,
        ``runs``.
    """
    import numpy as np

    from housemind.sim.home.datasets import eval_cases
    from housemind.skills import ChunkingConfig, Executor
    from housemind.skills.chunking import boundary_jerk
    from housemind.skills.policies import get_policy_factory

    say = progress or (lambda m: None)
    make = get_policy_factory("vla")
    cases = list(
        eval_cases(
            skills=list(skills),
            homes=None,
            furniture_seeds=[501, 502, 503, 504, 505],
            seed=seed,
            episodes_per_skill=episodes,
            hz=rate_hz,
            image_size=128,
        )
    )
    out: dict[str, Any] = {}
    for name, (blend, guide) in JERK_VARIANTS.items():
        say(f"chunking {name}")
        b_vals, o_vals, n_b, wins = [], [], 0, 0
        for case in cases:
            env, skill, check = case.setup()
            probe = make(skill.spec, skill.args, env)
            # the policy's own refill point, with this variant's blend and guidance
            cfg = ChunkingConfig(
                refill_below=probe.chunking.refill_below,
                blend=blend,  # type: ignore[arg-type]
                guide=guide,
            )
            k = probe.processor.ticks_per_action(env.control_hz)
            trace = _Trace()
            with Executor(
                env,
                rate_hz=rate_hz,
                policy_for=lambda sk, e: make(sk.spec, sk.args, e),
                chunking=cfg,
                observers=[trace],
            ) as ex:
                res = ex.run(skill)
            acts, merges = trace.actions, trace.merges
            wins += int(res.ok and check(env))
            if len(acts) < 8 * k:
                continue
            a = np.stack(acts)[::k, :3]
            bounds = [m // k for m in merges if m > 0 and m % k == 0]
            n_b += len(bounds)
            b_vals.append(boundary_jerk(a, bounds))
            o_vals.append(float((np.diff(a, n=3, axis=0) ** 2).sum(axis=1).mean()))
        out[name] = {
            "boundary_jerk": round(float(np.mean(b_vals)), 5) if b_vals else None,
            "overall_jerk": round(float(np.mean(o_vals)), 5) if o_vals else None,
            "boundaries": n_b,
            "successes": wins,
            "runs": len(cases),
        }
    return out
