"""A third-party skill package used from a standing instruction.

The package ``housemind_dusting`` (next to this file) adds a skill, ``dust``, with its
preconditions and effects, its controller (the ``duster`` policy backend) and a chore
method for the words "dust the ...". It is found through the ``housemind.skills`` entry
point of its ``pyproject.toml`` (``pip install examples/skill_package``; the test of this
example makes the entry point visible without installing). Then a person says "dust the
shelf every day at 9:00", and the symbolic planner plans with the new skill: it declared
its facts, so the generated planning domain has it. Run::

    pip install ./examples/skill_package
    python examples/skill_package/demo.py --json
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from housemind.agent.runtime import HomeRuntime
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv
from housemind.skills import REGISTRY


def main(seed: int = 0) -> dict[str, Any]:
    """One simulated morning: the shelf is dusty, the standing instruction runs at 9:00."""
    env = HomeSimEnv(seed=seed)
    env.world.fixtures["shelf"].dirt = 0.7  # a week of dust
    start = env.clock.now()
    with (
        tempfile.TemporaryDirectory() as tmp,
        HomeRuntime(env, env.clock, db_url=f"sqlite:///{Path(tmp) / 'home.db'}") as rt,
    ):
        plugins = REGISTRY.load_entry_points()
        rt.instruct(
            parse_instruction("dust the shelf every day at 9:00", now=start, tz=str(env.clock.tz)),
            actor="owner",
        )
        summary = rt.run_until(start + timedelta(hours=4)).as_dict()
        steps = [
            (e.data or {}).get("skill")
            for e in rt.memory.episodic.between(start, rt.clock.now(), kind="subtask")
        ]
    summary["plugins"] = plugins
    summary["skills_used"] = sorted({s for s in steps if s})
    summary["shelf_dirt"] = round(env.world.fixtures["shelf"].dirt, 3)
    return summary


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = main(seed=a.seed)
    print(
        json.dumps(out)
        if a.json
        else f"{out['chores_done']} chore(s) done with {out['skills_used']}"
    )
