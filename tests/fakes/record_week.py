"""Record the model replies the fake OpenAI server replays in tests (week_replies.jsonl).

The replies are what a model would have to answer for the demo's week (seed 0, the demo's
standing instructions, 7 days): at every planning decision the symbolic planner makes the
plan, and the plan is written down as the JSON reply a model planner gives
(``PlanReply``), keyed by the decision it answers (goal, time, steps done, last failure).
Nothing in them comes from a language model; they exercise the litellm HTTP path, the
reply parsing and the plan checks, not a model's judgement.

Re-record after a change to HomeSim, the symbolic planner or the prompt's situation
block (the replay test then reports keys with no recorded reply)::

    .venv/bin/python tests/fakes/record_week.py
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from housemind.agent.demo import run_demo
from housemind.agent.planners import Plan, PlanContext, Subtask, get_planner
from housemind.agent.planners.prompt import build_messages, plan_to_reply, situation_key
from housemind.agent.planners.testing import save_replies
from housemind.skills import REGISTRY

HERE = Path(__file__).resolve().parent
OUT = HERE / "week_replies.jsonl"


class RecordingPlanner:
    """The symbolic planner, writing each of its plans down as a model's reply."""

    name = "symbolic"

    def __init__(self) -> None:
        self.inner = get_planner("symbolic")
        self.rows: list[dict[str, Any]] = []

    def plan(self, goal: str, context: PlanContext) -> Plan:
        return self.replan(goal, context, done=[], failed=None, reason="")

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        plan = self.inner.replan(goal, context, done=done, failed=failed, reason=reason)
        messages = build_messages(goal, context, REGISTRY, done=done, failed=failed, reason=reason)
        shown = plan.model_copy(deep=True)
        shown.step_rationales = [
            f"{REGISTRY.bind(s.skill, s.args).text} (recorded from the symbolic planner)"
            for s in shown.subtasks
        ]
        self.rows.append(
            {
                "key": situation_key(messages),
                "goal": goal,
                "time": context.now,
                "done": len(done),
                "reply": plan_to_reply(shown).model_dump_json(),
            }
        )
        return plan


def record(out: Path = OUT, *, seed: int = 0, days: float = 7.0) -> dict[str, Any]:
    """Run the week with the recording planner and write the replies to ``out``."""
    rec = RecordingPlanner()
    summary = run_demo(seed=seed, days=days, planner=rec)
    save_replies(
        out,
        rec.rows,
        meta={
            "what": "replies for the fake OpenAI server: the symbolic planner's plans for the "
            "demo's week, written as PlanReply JSON (no language model involved)",
            "seed": seed,
            "days": days,
            "recorded": dt.date.today().isoformat(),
            "command": "python tests/fakes/record_week.py",
            "chores_done": summary["chores_done"],
            "chores_due": summary["chores_due"],
        },
    )
    return {"rows": len(rec.rows), **{k: summary[k] for k in ("chores_due", "chores_done")}}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--days", type=float, default=7.0)
    a = ap.parse_args()
    print(record(a.out, seed=a.seed, days=a.days))
