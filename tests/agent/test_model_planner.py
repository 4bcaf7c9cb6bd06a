"""Model planners: the prompt, structured replies, plan checks with feedback, the chain.

A scripted model (``FakeModelClient``) stands in for the model; the home, memory, the
plan checks and the safety monitor are real (HomeSim apartment, seed 0).
"""

from __future__ import annotations

import base64
import io
import json
from datetime import timedelta

import numpy as np
import pytest
from PIL import Image

from housemind.agent.llm import FakeModelClient
from housemind.agent.planners import (
    ModelPlanner,
    Plan,
    PlannerChain,
    PlanningError,
    PlanValidationError,
    Subtask,
    get_planner,
)
from housemind.agent.planners.prompt import (
    PlanReply,
    build_messages,
    describe_skills,
    plan_to_reply,
    reply_to_plan,
    situation_key,
)
from housemind.agent.runtime import HomeRuntime
from housemind.sim.home import HomeSimEnv
from housemind.skills import REGISTRY


def reply(*steps, complete=True, goal_facts=(), rationale="") -> str:
    return json.dumps(
        {
            "rationale": rationale,
            "steps": [{"skill": s, "args": a, "rationale": f"because {s}"} for s, a in steps],
            "complete": complete,
            "goal_facts": list(goal_facts),
        }
    )


OPEN_FRIDGE = reply(
    ("navigate", {"target": "fridge"}),
    ("open", {"target": "fridge"}),
    goal_facts=["open(fridge)"],
    rationale="walk to the fridge and open it",
)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    db = tmp_path_factory.mktemp("home") / "home.db"
    with HomeRuntime(env, env.clock, db_url=f"sqlite:///{db}") as rt:
        rt.perceive("setup")
        yield rt


@pytest.fixture
def check(home):
    return home.planner.check  # the runtime's: names, domain, goal facts, safety


def chain_of(*backends, check=None, **kw) -> PlannerChain:
    return PlannerChain(list(backends), check=check, **kw)


# --- the prompt ---------------------------------------------------------------------------


def test_the_prompt_carries_goal_memory_skills_outcomes_and_rejections(home):
    earlier = home.clock.now() - timedelta(minutes=5)
    home.memory.episodic.record("note", "the resident left the mug on the counter", earlier)
    ctx = home.plan_context("take the mug to the sink")
    assert ctx.memories, "the context builder found nothing to remember"
    done = [Subtask(skill="navigate", args={"target": "kitchen"}, text="go to the kitchen")]
    failed = Subtask(skill="pick", args={"object": "mug"}, text="pick up the mug")
    rejected = reply_to_plan(PlanReply.model_validate_json(OPEN_FRIDGE), "g", "fake")
    msgs = build_messages(
        "take the mug to the sink",
        ctx,
        REGISTRY,
        done=done,
        failed=failed,
        reason="the mug was not there",
        feedback=[(rejected, "step 2 needs near(fridge)")],
        n_images=2,
    )
    system, situation = msgs[0]["content"], msgs[1]["content"]
    assert msgs[0]["role"] == "system" and "preconditions" in system
    assert situation.startswith("Goal: take the mug to the sink")
    assert "Robot: in the hallway, holding nothing." in situation
    assert "- fridge (fridge, kitchen): container, openable" in situation
    assert any(m in situation for m in ctx.memories)  # memories from the context builder
    assert (
        '- pick(object): "pick up the {object}". Needs: movable({object}), near({object}), '
        "hand_empty."
    ) in situation
    assert "1. go to the kitchen (navigate target=kitchen): success" in situation
    assert "Last failure: pick up the mug (pick object=mug): the mug was not there" in situation
    assert "Camera: 2 image(s)" in situation
    # the rejected plan goes back as the model's own turn, then the reason
    assert msgs[2]["role"] == "assistant" and '"skill":"open"' in msgs[2]["content"]
    assert msgs[3]["role"] == "user" and "step 2 needs near(fridge)" in msgs[3]["content"]


def test_every_registered_skill_is_in_the_catalogue():
    lines = describe_skills(REGISTRY)
    assert len(lines) == len(REGISTRY.names())
    place = next(ln for ln in lines if ln.startswith("- place("))
    assert "relation:on|in=on" in place and "Then: {relation}({object},{target})" in place


def test_situation_key_names_the_decision_not_the_wording(home):
    ctx = home.plan_context("open the fridge")
    a = build_messages("open the fridge", ctx, REGISTRY)
    b = build_messages("open the fridge", ctx.model_copy(update={"memories": ["x"]}), REGISTRY)
    later = build_messages("open the fridge", ctx.model_copy(update={"now": "tomorrow"}), REGISTRY)
    step = [Subtask(skill="navigate", args={"target": "fridge"}, text="go to the fridge")]
    after = build_messages("open the fridge", ctx, REGISTRY, done=step)
    keys = {situation_key(m) for m in (a, later, after)}
    assert situation_key(a) == situation_key(b) and len(keys) == 3
    with pytest.raises(ValueError, match="no situation"):
        situation_key([{"role": "user", "content": "hello"}])


def test_reply_and_plan_convert_both_ways():
    r = PlanReply.model_validate_json(OPEN_FRIDGE)
    p = reply_to_plan(r, "open the fridge", "fake")
    assert [s.skill for s in p.subtasks] == ["navigate", "open"]
    assert p.step_rationales == ["because navigate", "because open"] and p.backend == "fake"
    assert plan_to_reply(p) == r


# --- checks and feedback ------------------------------------------------------------------


def test_a_valid_reply_becomes_a_checked_plan(home, check):
    fake = FakeModelClient([OPEN_FRIDGE])
    planner = ModelPlanner(fake, name="fake", images=0)
    plan = chain_of(planner, check=check).plan(
        "open the fridge", home.plan_context("open the fridge")
    )
    assert plan.backend == "fake" and plan.fallbacks == []
    assert [s.text for s in plan.subtasks] == ["go to the fridge", "open the fridge"]
    assert plan.rationale == "walk to the fridge and open it" and plan.usage["calls"] == 1
    # the schema went to the client, so a server can constrain the reply to it
    assert fake.calls[0]["schema"] is PlanReply and fake.calls[0]["json_mode"]


def test_an_invalid_plan_goes_back_to_the_model_with_the_reason(home, check):
    skipped_navigate = reply(("open", {"target": "fridge"}), goal_facts=["open(fridge)"])
    fake = FakeModelClient([skipped_navigate, OPEN_FRIDGE])
    chain = chain_of(ModelPlanner(fake, name="fake", images=0), check=check)
    plan = chain.plan("open the fridge", home.plan_context("open the fridge"))
    assert plan.backend == "fake" and len(plan.subtasks) == 2 and plan.fallbacks == []
    second = fake.calls[1]["messages"]
    assert second[-2]["role"] == "assistant" and '"open"' in second[-2]["content"]
    assert "rejected" in second[-1]["content"] and "near(fridge)" in second[-1]["content"]


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (reply(("open", {"target": "fridge"})), "needs near(fridge)"),
        (reply(("navigate", {"target": "garage"})), "no room, fixture or object named 'garage'"),
        (reply(("pick", {"object": "unicorn"})), "'unicorn'"),
        (reply(("fly", {"to": "moon"})), "fly"),
        (
            reply(("navigate", {"target": "fridge"}), goal_facts=["open(fridge)"]),
            "goal facts open(fridge) would not hold",
        ),
        (reply(("toggle", {"target": "stove", "state": "warm"})), "state"),
    ],
)
def test_plans_that_would_not_work_fall_back_with_the_reason(home, check, bad, why):
    fake = FakeModelClient([bad] * 3)
    chain = chain_of(
        ModelPlanner(fake, name="fake", images=0), get_planner("symbolic"), check=check
    )
    plan = chain.plan("open the fridge", home.plan_context("open the fridge"))
    assert len(fake.calls) == 3  # the first try and two with feedback (feedback_retries=2)
    assert plan.backend == "symbolic" and len(plan.fallbacks) == 1
    assert plan.fallbacks[0].startswith("fake: invalid plan:") and why in plan.fallbacks[0]


def test_an_unsafe_plan_is_refused_before_it_runs_and_the_model_is_told_why(home, check):
    towel_on_stove = reply(
        ("navigate", {"target": "stove"}),
        ("place", {"object": "towel", "target": "stove"}),
    )
    towel_in_basket = reply(
        ("navigate", {"target": "laundry_basket"}),
        ("place", {"object": "towel", "target": "laundry_basket", "relation": "in"}),
    )
    ctx = home.plan_context("put the towel away").model_copy(update={"held": "towel"})
    fake = FakeModelClient([towel_on_stove, towel_in_basket])
    plan = chain_of(ModelPlanner(fake, name="fake", images=0), check=check).plan("put away", ctx)
    assert plan.subtasks[-1].args["target"] == "laundry_basket"
    told = fake.calls[1]["messages"][-1]["content"]
    assert "step 2 'put the towel on the stove'" in told and "no-flammables-on-heat" in told


def test_the_last_backend_unsafe_plan_goes_on_to_the_gate(home, check):
    """With nobody to send it back to, the gate denies the step (audited) before it runs."""

    class Stubborn:
        name = "stubborn"

        def plan(self, goal, context):
            return Plan(
                goal=goal,
                subtasks=[
                    Subtask(skill="navigate", args={"target": "stove"}),
                    Subtask(skill="place", args={"object": "towel", "target": "stove"}),
                ],
            )

        def replan(self, goal, context, **kw):
            return self.plan(goal, context)

    ctx = home.plan_context("x").model_copy(update={"held": "towel"})
    plan = chain_of(Stubborn(), check=check).plan("x", ctx)
    assert plan.backend == "stubborn"
    with pytest.raises(PlanValidationError, match="no-flammables-on-heat"):
        check(plan, ctx)


def test_a_chain_of_one_behaves_as_its_backend(home, check):
    chain = chain_of(get_planner("symbolic"), check=check)
    with pytest.raises(PlanningError, match="does not understand") as err:
        chain.plan("juggle three oranges", home.plan_context("juggle three oranges"))
    assert err.value.fallbacks == []


def test_when_every_backend_fails_the_error_lists_each_reason(home, check):
    class Broken:
        name = "broken"

        def plan(self, goal, context):
            raise KeyError("a bug in a backend")

        replan = plan

    chain = chain_of(Broken(), get_planner("symbolic"), check=check)
    with pytest.raises(PlanningError) as err:
        chain.plan("juggle", home.plan_context("juggle"))
    assert "broken: crashed: KeyError" in str(err.value) and "does not understand" in str(err.value)
    assert err.value.fallbacks == ["broken: crashed: KeyError: 'a bug in a backend'"]


def test_an_unreachable_backend_is_skipped_until_its_cooldown_ends(home, check):
    now = [0.0]
    fake = FakeModelClient([ConnectionError("refused"), OPEN_FRIDGE])
    chain = chain_of(
        ModelPlanner(fake, name="fake", images=0),
        get_planner("symbolic"),
        check=check,
        cooldown_s=30,
        clock=lambda: now[0],
    )
    ctx = home.plan_context("open the fridge")
    first = chain.plan("open the fridge", ctx)
    assert (
        first.backend == "symbolic"
        and "fake: no reply (ConnectionError: refused)" in (first.fallbacks[0])
    )
    now[0] = 10.0
    second = chain.plan("open the fridge", ctx)
    assert (
        second.backend == "symbolic" and "skipped, no reply a moment ago" in (second.fallbacks[0])
    )
    assert len(fake.calls) == 1  # not asked while it was down
    now[0] = 31.0
    assert chain.plan("open the fridge", ctx).backend == "fake"


def test_an_unusable_reply_moves_on_without_marking_the_backend_down(home, check):
    fake = FakeModelClient(["no json here", "still none", OPEN_FRIDGE])
    chain = chain_of(
        ModelPlanner(fake, name="fake", images=0), get_planner("symbolic"), check=check
    )
    ctx = home.plan_context("open the fridge")
    plan = chain.plan("open the fridge", ctx)
    assert plan.backend == "symbolic" and plan.fallbacks[0].startswith("fake: unusable reply")
    assert chain.plan("open the fridge", ctx).backend == "fake"


# --- images -------------------------------------------------------------------------------


def test_the_runtime_sends_the_camera_images_a_planner_asks_for(tmp_path):
    fake = FakeModelClient([OPEN_FRIDGE])
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    with HomeRuntime(
        env,
        env.clock,
        db_url=f"sqlite:///{tmp_path / 'h.db'}",
        planner=ModelPlanner(fake, name="fake", images=2),
    ) as rt:
        assert rt.planner.wants_images == 2
        result = rt.run_task("t1", "open the fridge")
        ctx = rt.plan_context("open the fridge")
    assert result["status"] == "done" and result["decisions"][0]["backend"] == "fake"
    assert len(ctx.images) == 2  # the newest frames of the robot's own camera
    parts = fake.calls[0]["messages"][-1]["content"]
    urls = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
    assert len(urls) == 1  # at the first decision the robot has looked once
    img = np.asarray(Image.open(io.BytesIO(base64.b64decode(urls[0].split(",", 1)[1]))))
    assert img.shape == (env.image_size, env.image_size, 3) and img.std() > 0
    assert "Camera: 1 image(s)" in parts[0]["text"]


def test_a_symbolic_runtime_encodes_no_images(home):
    assert home.planner.wants_images == 0
    assert home.plan_context("open the fridge").images == []


def test_model_planner_rejects_more_images_than_it_can_send():
    with pytest.raises(ValueError, match="between 0 and 3"):
        ModelPlanner(FakeModelClient([]), images=4)
