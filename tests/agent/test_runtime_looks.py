"""The runtime writes each look into memory once: not again at the same robot instant."""

from datetime import timedelta

import pytest

from housemind.agent.planners.base import Subtask
from housemind.agent.runtime import HomeRuntime
from housemind.sim.home import HomeSimEnv


def test_a_look_at_an_instant_memory_already_took_is_not_written_again(tmp_path):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    with HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'h.db'}") as rt:
        count = rt.memory.spatial.observation_count  # object sightings logged
        out = rt.execute(Subtask(skill="navigate", args={"target": "kitchen"}), "t1")
        assert out["status"] == "success"
        after_subtask = count()
        assert after_subtask > 0  # what the subtask saw was folded in
        rt.perceive("t1")  # the look right after the subtask: the same instant
        assert count() == after_subtask
        rt.perceive("t1")  # and again: nothing moved, no time passed
        assert count() == after_subtask
        env.idle_until(env.clock.now() + timedelta(seconds=30))
        rt.perceive("t1")  # time passed: a new look is memory's
        assert count() > after_subtask
        # A restored world is a new situation: its first look is always written.
        rt.restore(rt.snapshot())
        before = count()
        rt.perceive("t1")
        assert count() > before


class _RefusesAtFirst:
    """The runtime's own monitor, except that the first ``times`` checks are refused."""

    def __init__(self, monitor, times: int, rule: str) -> None:
        self.monitor, self.times, self.rule, self.calls = monitor, times, rule, 0

    def __getattr__(self, name):
        return getattr(self.monitor, name)

    def check_subtask(self, ctx, task_id=None):
        from housemind.safety.verdict import SafetyVerdict, Verdict

        self.calls += 1
        if self.calls <= self.times:
            return SafetyVerdict(
                verdict=Verdict.DENY, reasons=["someone is near"], rules=[self.rule]
            )
        return self.monitor.check_subtask(ctx, task_id=task_id)


def _runtime(tmp_path):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    return env, HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'h.db'}")


def test_a_refusal_the_situation_lifts_is_waited_out(tmp_path):
    env, rt = _runtime(tmp_path)
    with rt:
        assert rt.safety.rulebook.rule("no-sharp-near-people").wait_s == 20
        rt.safety = _RefusesAtFirst(rt.safety, 2, "no-sharp-near-people")
        t0 = env.clock.now()
        v = rt.check_subtask(Subtask(skill="navigate", args={"target": "kitchen"}), "t1")
        assert v.verdict.value == "allow" and rt.safety.calls == 3
        assert (env.clock.now() - t0).total_seconds() == pytest.approx(40, abs=1)


def test_a_refusal_that_stays_ends_after_the_longest_wait_and_says_so(tmp_path):
    env, rt = _runtime(tmp_path)
    with rt:
        rt.safety = _RefusesAtFirst(rt.safety, 1000, "no-sharp-near-people")
        t0 = env.clock.now()
        v = rt.check_subtask(Subtask(skill="navigate", args={"target": "kitchen"}), "t1")
        assert v.verdict.value == "deny" and "(waited 300 s)" in v.reasons
        assert v.passing  # still only "not now": a step may leave the thing for later
        assert (env.clock.now() - t0).total_seconds() == pytest.approx(300, abs=1)


def test_a_refusal_of_a_rule_without_a_wait_is_not_waited_for(tmp_path):
    env, rt = _runtime(tmp_path)
    with rt:
        rt.safety = _RefusesAtFirst(rt.safety, 1000, "no-placing-metal-in-microwave")
        t0 = env.clock.now()
        v = rt.check_subtask(Subtask(skill="navigate", args={"target": "kitchen"}), "t1")
        assert v.verdict.value == "deny" and rt.safety.calls == 1 and not v.passing
        assert env.clock.now() == t0
