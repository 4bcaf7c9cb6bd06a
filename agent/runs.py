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


def _instruct(rt: Any, lines: list[str], *, now: Any, tz: str) -> list[str]:
    """Read the instructions as ``housemind instruct`` does and give them to the runtime.

    The file is one paragraph (a line per sentence or several sentences a line): the same
    paragraph parser (routines become facts, never chores; check-ins are placed when the
    person is home), each instruction checked by the runtime's safety monitor, facts told
    to memory. Returns the read-back sentences.

    Raises:
        RunError: a sentence was not understood (its question says what to say instead),
            or the safety monitor refused one.
    """
    from housemind.agent.runtime import InstructionDenied
    from housemind.scheduler import parse_paragraph, read_back, remember_facts
    from housemind.scheduler.readback import read_back_fact

    if not lines:
        return []
    known = rt.memory.symbolic.facts()
    result = parse_paragraph("\n".join(lines), now=now, tz=tz, speaker="owner",
                             routine_facts=known)  # fmt: skip
    if result.questions:
        raise RunError(
            "some instructions were not understood; rephrase them and run again:\n  "
            + "\n  ".join(result.questions)
        )
    try:
        for instr in result.instructions:
            rt.instruct(instr, actor="owner")
    except InstructionDenied as e:
        raise RunError(str(e)) from e
    remember_facts(rt.memory.symbolic, result.facts, told_by="owner")
    rt.scheduler.invalidate()  # the routine and constraints just told place the runs
    return [read_back(i) for i in result.instructions] + [read_back_fact(f) for f in result.facts]


def run_simulated(
    db: Path,
    *,
    days: float = 7.0,
    seed: int = 0,
    instructions: list[str] | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run the home in simulation for ``days``, or resume the run stored in ``db``.

    Args:
        db: The project database file (created if new).
        days: Simulated days from the start of a new run.
        seed: HomeSim seed of a new run (a stored run must be resumed with its own).
        instructions: Standing instructions to add before running (lines of one paragraph,
            read like ``housemind instruct``).
        on_event: Live-view callback.

    Returns:
        The run summary (``RunSummary.as_dict()`` plus ``read_back`` (how the instructions
        were read), ``seed``, ``resumed`` and ``until``).

    Raises:
        RunError: bad options, a run of another seed, or no instructions at all.
    """
    from housemind.agent.runtime import HomeRuntime
    from housemind.memory import MemoryStoreError
    from housemind.sim.home import HomeSimEnv
    from housemind.sim.home.conversation import SimulatedResident

    if not (math.isfinite(days) and days > 0):
        raise RunError(f"--days must be a finite number of days, more than 0; got {days}")
    if not db.parent.is_dir():
        raise RunError(f"cannot create {db}: the folder {db.parent} does not exist")
    env = HomeSimEnv(seed=seed)
    env.reset(seed=seed)
    try:
        rt = HomeRuntime(
            env,
            env.clock,
            db_url=f"sqlite:///{db}",
            answerer=SimulatedResident(env, seed),
            on_event=on_event,
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
        said = _instruct(rt, instructions or [], now=env.clock.now(), tz=str(env.clock.tz))
        if not rt.instructions.list():
            raise RunError(f"{db} has no standing instructions; add them with --instructions FILE")
        done = status == "finished"
        summary = rt.summarize() if done else rt.run_until(until, run_id="main")
    out = summary.as_dict()
    out["read_back"] = said
    out["seed"] = seed
    out["resumed"] = status == "running"
    out["until"] = until.isoformat() if until is not None else None
    return out
