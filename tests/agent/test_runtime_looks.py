"""The runtime writes each look into memory once: not again at the same robot instant."""

from datetime import timedelta

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
