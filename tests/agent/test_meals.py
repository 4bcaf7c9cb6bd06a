"""Meals in HomeSim through the whole stack: what a pan holds before and after cooking."""

import pytest

from housemind.agent.runtime import HomeRuntime
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv


@pytest.mark.slow
def test_breakfast_in_a_pan_holding_burnt_eggs_scrubs_it_out_and_cooks_fresh(tmp_path):
    """Burnt eggs in the pan: scrubbed out at the sink, then fresh ones cooked (not burnt)."""
    from housemind.sim.home.world import BURNT_AT

    env = HomeSimEnv(home="two_bedroom", seed=0)
    (pan,) = [n for n, o in env.world.objects.items() if o.kind == "pan"]
    p = env.world.objects[pan]
    p.food, p.cooked = "eggs", BURNT_AT + 3.0
    rt = HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'h.db'}", answerer=None)
    rt.instruct(
        parse_instruction("make breakfast every day at 6:40", now=env.clock.now(), tz="UTC"),
        actor="owner",
    )
    with rt:
        summary = rt.run_until(env.clock.now().replace(hour=7))
    (made,) = [c for c in summary.chores if c["goal"] == "make breakfast"]
    assert made["status"] == "done" and made["on_time"], (made["reason"], made["status"])
    # fresh eggs, cooked, and still not burnt a while after the hob went off
    assert p.food == "eggs" and 1.0 <= p.cooked < BURNT_AT and not p.dirty
