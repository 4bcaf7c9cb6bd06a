"""A simulated week at home from a person's own paragraph.

The paragraph is read (instructions, routines, questions back), read back, checked by the
safety monitor, stored, and then a simulated week runs in HomeSim through the planner,
the safety gate and the executor. Run it::

    python examples/week_at_home.py            # a table of what was done
    python examples/week_at_home.py --json     # the run summary as JSON
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from housemind.agent.runtime import HomeRuntime, InstructionDenied
from housemind.scheduler import parse_paragraph, read_back
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.conversation import SimulatedResident

PARAGRAPH = (
    "Please take the mug to the sink every morning at 8:30 and tidy the living room every "
    "day at 9am. Check the fridge for milk every day at 5pm. I go to work at 8:00 on "
    "weekdays. Also, leave the stove on while I'm at work every day."
)


def main(days: float = 7.0, seed: int = 0, db: Path | None = None) -> dict[str, Any]:
    """Run the paragraph for ``days`` simulated days; return the run summary."""
    tmp = tempfile.TemporaryDirectory(prefix="housemind-week-")
    db = db or Path(tmp.name) / "home.db"
    env = HomeSimEnv(seed=seed)
    env.reset(seed=seed)
    start = env.clock.now()
    parsed = parse_paragraph(PARAGRAPH, now=start, tz=str(env.clock.tz), speaker="owner")
    refused = []
    with HomeRuntime(
        env, env.clock, db_url=f"sqlite:///{db}", answerer=SimulatedResident(env, seed)
    ) as rt:
        for instr in parsed.instructions:
            try:
                rt.instruct(instr, actor="owner")
                print("heard:", read_back(instr))
            except InstructionDenied as e:  # the safety monitor refuses the stove
                refused.append(instr.text)
                print("refused:", e)
        summary = rt.run_until(start + timedelta(days=days)).as_dict()
    tmp.cleanup()
    summary["refused"] = refused
    summary["questions"] = parsed.questions
    return summary


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = main(days=a.days, seed=a.seed)
    if a.json:
        print(json.dumps(out))
    else:
        print(
            f"{out['chores_done']} of {out['chores_due']} chores done, "
            f"{out['chores_failed']} failed; refused: {out['refused']}"
        )
