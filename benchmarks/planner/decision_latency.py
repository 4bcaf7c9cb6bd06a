"""Planning decisions of the demo's week: latency per decision, by planner path.

Runs the demo's week (seed 0, the demo's three standing instructions, 7 days) with

- ``symbolic``: the offline planner alone;
- ``litellm-fake``: ``litellm:openai/replay,symbolic`` against the fake OpenAI server on
  127.0.0.1 replaying ``tests/fakes/week_replies.jsonl`` (the whole litellm HTTP path:
  prompt, one camera image, JSON schema, HTTP, parsing, the plan check with the safety
  monitor's plan rules);
- ``litellm-killed``: the same with the server killed after half the decisions;

and prints, per path, the decisions' latency (mean, median, p95, max, seconds), the
fallbacks and the week's wall time, as one JSON line. The first litellm decision pays
litellm's import (seconds); it is reported apart. Token counts through the fake server
are its estimates (4 characters a token). Run::

    .venv/bin/python benchmarks/planner/decision_latency.py
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from housemind.agent.demo import DEMO_INSTRUCTIONS  # noqa: E402
from housemind.agent.planners import PlannerSettings, make_planner  # noqa: E402
from housemind.agent.planners.testing import FakeOpenAIServer, load_replies  # noqa: E402
from housemind.agent.runtime import HomeRuntime  # noqa: E402
from housemind.scheduler import parse_instruction  # noqa: E402
from housemind.sim.home import HomeSimEnv  # noqa: E402

REPLIES = Path(__file__).resolve().parents[2] / "tests" / "fakes" / "week_replies.jsonl"


def week(planner: Any) -> dict[str, Any]:
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    start = env.clock.now()
    with (
        tempfile.TemporaryDirectory() as tmp,
        HomeRuntime(
            env, env.clock, db_url=f"sqlite:///{Path(tmp) / 'h.db'}", planner=planner
        ) as rt,
    ):
        for text in DEMO_INSTRUCTIONS:
            rt.instruct(parse_instruction(text, now=start, tz=str(env.clock.tz)))
        t0 = time.perf_counter()
        summary = rt.run_until(start + timedelta(days=7))
        wall = time.perf_counter() - t0
        decisions = []
        for task in sorted(rt.tasks.list(), key=lambda t: t.due_at):
            state = rt.graph.get_state({"configurable": {"thread_id": task.id}})
            decisions += state.values.get("decisions", [])
    lat = [d["latency_s"] for d in decisions]
    first, rest = lat[0], lat[1:]
    return {
        "chores_done": summary.chores_done,
        "chores_due": summary.chores_due,
        "decisions": len(decisions),
        "planner_fallbacks": summary.planner_fallbacks,
        "first_decision_s": round(first, 4),
        "mean_s": round(statistics.mean(rest), 4),
        "median_s": round(statistics.median(rest), 4),
        "p95_s": round(sorted(rest)[int(0.95 * (len(rest) - 1))], 4),
        "max_s": round(max(rest), 4),
        "prompt_tokens_est_mean": round(
            statistics.mean([d.get("prompt_tokens", 0) for d in decisions]), 1
        ),
        "week_wall_s": round(wall, 2),
    }


def main() -> dict[str, Any]:
    recorded = load_replies(REPLIES)
    settings = PlannerSettings(retries=0, timeout_s=10, response_format="json_schema")
    out: dict[str, Any] = {"load_avg": os.getloadavg()[0]}
    out["symbolic"] = week("symbolic")
    with FakeOpenAIServer(recorded=recorded) as srv:
        chain = make_planner(
            "litellm:openai/replay,symbolic", api_base=srv.api_base, settings=settings
        )
        out["litellm-fake"] = week(chain)
    with FakeOpenAIServer(recorded=recorded, die_after=len(recorded) // 2) as srv:
        chain = make_planner(
            "litellm:openai/replay,symbolic", api_base=srv.api_base, settings=settings
        )
        out["litellm-killed"] = week(chain)
    out["load_avg_end"] = os.getloadavg()[0]
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
