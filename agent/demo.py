"""The offline demo: one simulated day at home with three standing instructions."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from housemind.agent.planners import Planner

__all__ = ["DEMO_INSTRUCTIONS", "DEMO_REFUSED", "run_demo"]

#: The demo's standing instructions (goal + schedule, as a person would say them).
DEMO_INSTRUCTIONS = [
    "take the mug to the sink every day at 8:30",
    "tidy the living room every day at 9:00",
    "check the fridge for milk every day at 17:00",
]

#: A hazardous instruction the demo also gives, to show the monitor refusing it.
DEMO_REFUSED = "leave the stove on while I'm at work every day at 8:00"


def run_demo(
    *,
    seed: int = 0,
    days: float = 1.0,
    db_path: str | Path | None = None,
    instructions: list[str] | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    planner: str | Planner = "symbolic",
    policy: Any = None,
) -> dict[str, Any]:
    """Run ``days`` simulated days in HomeSim and return the summary dict.

    Args:
        seed: HomeSim seed (object placement, the resident's habits).
        days: Simulated days to run, from 06:00 on Monday 2026-11-23.
        db_path: Database file or URL (``housemind.memory.database_url``); a temporary
            file when None.
        instructions: Standing instructions; :data:`DEMO_INSTRUCTIONS` when None.
        on_event: Live-view callback ``(kind, payload)``.
        planner: Planner instance or spec (``"litellm:openai/gpt-4o-mini,symbolic"``).
        policy: System 1 policy override (``"vla"``, or skill -> backend); None: each
            skill's own backend.
    """
    from housemind.agent.runtime import HomeRuntime, InstructionDenied
    from housemind.memory import database_url
    from housemind.scheduler import parse_instruction
    from housemind.sim.home import HomeSimEnv
    from housemind.skills.policies.vla import camera_size_for

    tmp = None
    if db_path is None:
        tmp = tempfile.TemporaryDirectory(prefix="housemind-demo-")
        db_path = Path(tmp.name) / "home.db"
    try:
        env = HomeSimEnv(seed=seed, image_size=camera_size_for(policy))
        env.reset(seed=seed)
        clock = env.clock
        start = clock.now()
        with HomeRuntime(
            env,
            clock,
            db_url=database_url(db_path),
            planner=planner,
            on_event=on_event,
            policy=policy,
        ) as rt:
            refused = []
            for text in instructions or [*DEMO_INSTRUCTIONS, DEMO_REFUSED]:
                try:
                    rt.instruct(parse_instruction(text, now=start, tz=str(clock.tz)), actor="owner")
                except InstructionDenied as e:
                    refused.append(
                        {
                            "instruction": text,
                            "reasons": e.verdict.reasons,
                            "rules": e.verdict.rules,
                        }
                    )
            summary = rt.run_until(start + timedelta(days=days))
        out = summary.as_dict()
        out["safety_events"] += len(refused)
        out["instructions_refused"] = refused
        out["seed"] = seed
        return out
    finally:
        if tmp is not None:
            tmp.cleanup()
