"""Graceful degradation through the real litellm HTTP path, against a fake server on 127.0.0.1.

Each way a model server can fail (down, HTTP 500, a rate limit, a hang past the timeout,
malformed or truncated JSON, an empty reply, a dropped connection, a plan naming things
that do not exist) hands the decision to the next backend with the reason, and the run
counts it. The week tests replay recorded replies (``tests/fakes/week_replies.jsonl``).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from housemind.agent.demo import run_demo
from housemind.agent.episodes import run_episode
from housemind.agent.planners import PlannerChain, PlannerSettings, make_planner
from housemind.agent.planners.testing import FakeOpenAIServer, load_replies
from housemind.agent.runtime import HomeRuntime
from housemind.sim.home import HomeSimEnv

FAKES = Path(__file__).resolve().parents[1] / "fakes"
OPEN_FRIDGE = json.dumps(
    {
        "rationale": "walk to the fridge and open it",
        "steps": [
            {"skill": "navigate", "args": {"target": "fridge"}, "rationale": "reach it"},
            {"skill": "open", "args": {"target": "fridge"}, "rationale": "as asked"},
        ],
        "goal_facts": ["open(fridge)"],
    }
)
FAST = PlannerSettings(retries=0, timeout_s=1.0, response_format="json_schema", cooldown_s=60)


def chain(api_base: str, settings: PlannerSettings = FAST) -> PlannerChain:
    planner = make_planner("litellm:openai/fake,symbolic", api_base=api_base, settings=settings)
    assert isinstance(planner, PlannerChain)
    return planner


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    db = tmp_path_factory.mktemp("home") / "home.db"
    with HomeRuntime(env, env.clock, db_url=f"sqlite:///{db}") as rt:
        rt.perceive("setup")
        yield rt


def decide(rt: HomeRuntime, planner: PlannerChain, goal: str = "open the fridge"):
    bound = planner.bind(rt.planner.check)
    return bound.plan(goal, rt.plan_context(goal))


def test_the_litellm_backend_plans_through_the_server(runtime):
    with FakeOpenAIServer([OPEN_FRIDGE]) as srv:
        plan = decide(runtime, chain(srv.api_base))
    assert plan.backend == "litellm:openai/fake" and plan.fallbacks == []
    assert [s.text for s in plan.subtasks] == ["go to the fridge", "open the fridge"]
    assert plan.usage["calls"] == 1 and plan.usage["prompt_tokens"] > 0
    body = srv.requests[0]
    assert body["model"] == "fake" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "PlanReply"
    assert body["messages"][1]["content"].startswith("Goal: open the fridge")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("http500", "no reply (InternalServerError"),
        ("rate_limit", "no reply (RateLimitError"),
        ("timeout", "no reply (Timeout"),
        ("drop", "no reply ("),
        ("malformed", "unusable reply"),
        ("truncated", "unusable reply"),
        ("empty", "no reply ("),
        ("unknown_things", "no room, fixture or object named 'garage'"),
    ],
)
def test_a_broken_server_hands_over_to_the_next_backend(runtime, fault, reason):
    with FakeOpenAIServer([OPEN_FRIDGE], hang_s=3.0) as srv:
        srv.fail_next(fault, times=10)
        plan = decide(runtime, chain(srv.api_base))
    assert plan.backend == "symbolic" and len(plan.fallbacks) == 1
    assert plan.fallbacks[0].startswith("litellm:openai/fake: ") and reason in plan.fallbacks[0]
    assert [s.skill for s in plan.subtasks] == ["navigate", "open"]


def test_a_server_that_is_not_there_costs_one_attempt_then_is_skipped(runtime):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    planner = chain(dead)
    first, second = decide(runtime, planner), decide(runtime, planner)
    assert "no reply (" in first.fallbacks[0] and "Connection" in first.fallbacks[0]
    assert "skipped, no reply a moment ago" in second.fallbacks[0]
    assert first.backend == second.backend == "symbolic"


def test_a_chore_continues_when_the_model_server_fails(tmp_path):
    with FakeOpenAIServer([OPEN_FRIDGE]) as srv:
        srv.fail_next("http500", times=10)
        r = run_episode("open the fridge", seed=0, planner=chain(srv.api_base))
    assert r.status == "done" and r.planner == "symbolic" and r.planner_fallbacks == 1
    assert "InternalServerError" in r.decisions[0]["fallbacks"][0]


# --- a week of chores, replayed -----------------------------------------------------------


@pytest.fixture(scope="module")
def recorded():
    return load_replies(FAKES / "week_replies.jsonl")


def _week(api_base: str) -> dict:
    settings = FAST.model_copy(update={"timeout_s": 10.0, "cooldown_s": 600.0})
    planner = make_planner("litellm:openai/replay,symbolic", api_base=api_base, settings=settings)
    return run_demo(seed=0, days=7, planner=planner)


@pytest.mark.slow
def test_the_litellm_path_plans_and_completes_a_week_of_chores(recorded):
    with FakeOpenAIServer(recorded=recorded) as srv:
        out = _week(srv.api_base)
    assert srv.misses == [], (
        "the fake server had no recorded reply for some decisions: HomeSim, the symbolic "
        "planner or the prompt changed; re-record with python tests/fakes/record_week.py"
    )
    assert out["chores_due"] == 21 and out["chores_done"] == 21 and out["chores_failed"] == 0
    assert out["planner_fallbacks"] == 0
    assert {c["planner"] for c in out["chores"]} == {"litellm:openai/replay"}
    assert len(srv.requests) == len(recorded)
    # every request carried the camera image and the plan's JSON schema
    for body in srv.requests:
        parts = body["messages"][1]["content"]
        assert [p["type"] for p in parts] == ["text", "image_url"]
        assert body["response_format"]["type"] == "json_schema"


@pytest.mark.slow
def test_the_same_week_completes_with_the_server_killed_halfway(recorded):
    half = len(recorded) // 2
    with FakeOpenAIServer(recorded=recorded, die_after=half) as srv:
        out = _week(srv.api_base)
    assert not srv.alive and len(srv.requests) == half
    assert out["chores_due"] == 21 and out["chores_done"] == 21 and out["chores_failed"] == 0
    # every decision after the server died fell back once to the symbolic planner
    assert out["planner_fallbacks"] == len(recorded) - half
    planners = [c["planner"] for c in out["chores"]]
    assert planners[0] == "litellm:openai/replay" and planners[-1] == "symbolic"
    assert sum(c["planner_fallbacks"] for c in out["chores"]) == out["planner_fallbacks"]
