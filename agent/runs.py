"""Durable simulated runs (``housemind run``): one home, one database, resumable.

The command line only parses options and prints; this module opens the home, adds the
instructions, resumes a killed run and runs the chores.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

__all__ = ["RunError", "read_instruction_lines", "run_simulated"]


class RunError(ValueError):
    """A run cannot start; the message says what to do."""


def read_instruction_lines(path: Path) -> list[str]:
    """The instructions of a file: one per line, blank lines and ``#`` comments skipped.

    Raises:
        RunError: if the file is missing or not text.
    """
    if not path.is_file():
        raise RunError(f"no such file: {path}")
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise RunError(f"cannot read {path}: {e}") from e
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def run_simulated(
    db: Path,
    *,
    days: float = 7.0,
    seed: int = 0,
    instructions: list[str] | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    policy: Any = None,
    home: str | None = None,
) -> dict[str, Any]:
    """Run the home in simulation for ``days``, or resume the run stored in ``db``.

    Args:
        db: The project database file (created if new).
        days: Simulated days from the start of a new run.
        seed: HomeSim seed of a new run (a stored run must be resumed with its own).
        instructions: Standing instructions to add before running.
        on_event: Live-view callback.
        policy: System 1 policy override (``"vla"``, or skill -> backend).
        home: Floor plan of a new run (the v1 apartment if None).

    Returns:
        The run summary (``RunSummary.as_dict()`` plus ``seed``, ``resumed`` and ``until``).

    Raises:
        RunError: bad options, a run of another seed, or no instructions at all.
    """
    from housemind.agent.runtime import HomeRuntime, InstructionDenied
    from housemind.memory import MemoryStoreError
    from housemind.scheduler import InstructionParseError, parse_instruction
    from housemind.sim.home import HomeSimEnv
    from housemind.sim.home.conversation import SimulatedResident
    from housemind.skills.policies.vla import camera_size_for

    if not (math.isfinite(days) and days > 0):
        raise RunError(f"--days must be a finite number of days, more than 0; got {days}")
    if not db.parent.is_dir():
        raise RunError(f"cannot create {db}: the folder {db.parent} does not exist")
    try:
        env = HomeSimEnv(seed=seed, home=home or "apartment", image_size=camera_size_for(policy))
    except KeyError as e:
        raise RunError(str(e).strip("'\"")) from None
    env.reset(seed=seed)
    try:
        rt = HomeRuntime(
            env,
            env.clock,
            db_url=f"sqlite:///{db}",
            answerer=SimulatedResident(env, seed),
            on_event=on_event,
            policy=policy,
        )
    except MemoryStoreError as e:
        raise RunError(str(e)) from e
    with rt:
        status = rt.run_status("main")
        if status is not None:
            until = rt.resume_run("main")  # the simulated home as the last process left it
            snap = rt.snapshot()
            env_seed = snap.get("seed") if snap else seed
            if env_seed != seed:
                raise RunError(
                    f"{db} holds a run of seed {env_seed}; pass --seed {env_seed} to resume "
                    "it, or use a new --db"
                )
        else:
            until = env.clock.now() + timedelta(days=days)
        for line in instructions or []:
            try:
                rt.instruct(
                    parse_instruction(line, now=env.clock.now(), tz=str(env.clock.tz)),
                    actor="owner",
                )
            except (InstructionParseError, InstructionDenied) as e:
                raise RunError(str(e)) from e
        if not rt.instructions.list():
            raise RunError(f"{db} has no standing instructions; add them with --instructions FILE")
        done = status == "finished"
        summary = rt.summarize() if done else rt.run_until(until, run_id="main")
    out = summary.as_dict()
    out["seed"] = seed
    out["resumed"] = status == "running"
    out["until"] = until.isoformat() if until is not None else None
    return out
