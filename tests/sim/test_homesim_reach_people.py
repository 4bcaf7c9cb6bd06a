"""A manipulation whose only spots within reach are taken by a person or pet waits, then
says who is in the way.

``two_bedroom`` seed 0, task ``put_folded_laundry_away``: the folded pants lie on the sofa
and rex the dog sleeps on the floor right in front of it, so no spot within reach of the
pants is free. The pick used to fail at once with "no free spot within reach ... navigate
closer first", and the chore ended telling the person it "could not get within reach".
"""

from __future__ import annotations

import pytest

from housemind.agent.help import in_the_way, unreachable
from housemind.sim.home.experts import WAIT_TO_REACH_S
from housemind.sim.home.tasks import new_episode
from housemind.skills import REGISTRY, Executor
from housemind.skills.policies.base import PolicyError


def _at_the_sofa():
    env, inst = new_episode("put_folded_laundry_away", 0, home="two_bedroom")
    rex = env.world.residents["rex"]
    assert rex.kind == "dog" and rex.home and rex.activity == "asleep"
    with Executor(env, rate_hz=env.control_hz) as ex:
        assert ex.run(REGISTRY.bind("navigate", {"target": "pants"}), timeout=120).ok
    return env, inst


def test_the_pick_holds_still_for_the_dog_then_names_it():
    env, _ = _at_the_sofa()
    pol = env.expert("pick", {"object": "pants"})
    holds = 0
    with pytest.raises(PolicyError) as err:
        for _ in range(1000):
            chunk = pol.predict_chunk(env.observe(), "")
            holds += not chunk.any()
            for a in chunk:
                env.step(a)
    msg = str(err.value)
    assert f"(waited {WAIT_TO_REACH_S:g} s)" in msg
    assert "rex (dog, asleep)" in msg and "come back when rex has moved" in msg
    assert holds * pol.chunk_len / env.control_hz == pytest.approx(WAIT_TO_REACH_S, abs=0.5)
    assert env.world.objects["pants"].relation != "held"


def test_the_pick_goes_ahead_once_the_dog_has_moved():
    env, _ = _at_the_sofa()
    pol = env.expert("pick", {"object": "pants"})
    holds = 0
    for _ in range(300):
        chunk = pol.predict_chunk(env.observe(), "")
        if not chunk.any():
            holds += 1
            if holds == 10:  # 2 s into the wait the dog gets up and leaves the room
                rex = env.world.residents["rex"]
                rex.x, rex.y = 6.0, 4.0
        for a in chunk:
            env.step(a)
        if env.world.objects["pants"].relation == "held":
            break
    assert env.world.objects["pants"].relation == "held"
    assert 2.0 <= pol._reach_waited_s < WAIT_TO_REACH_S


def test_the_chore_tells_the_person_who_was_in_the_way():
    from housemind.agent.episodes import run_episode
    from housemind.agent.planners import get_planner

    _, inst = new_episode("put_folded_laundry_away", 0, home="two_bedroom")
    res = run_episode(
        inst.goal,
        task="put_folded_laundry_away",
        home="two_bedroom",
        seed=0,
        planner=get_planner("symbolic"),
    )
    assert res.status == "done" and not res.success
    assert "leaving the pants where it is: rex (dog, asleep)" in res.reason
    assert "come back when rex has moved" in res.reason


def test_in_the_way_reads_who_from_the_reach_failures():
    why = (
        "no free spot within reach from which to pick the pants (waited 8 s): rex (dog, "
        "asleep) is in the living_room at (8.29, 6.70), where the robot would stand; come "
        "back when rex has moved"
    )
    outcomes = [
        {"skill": "pick", "args": {"object": "pants"}, "status": "failure", "reason": why},
        {"skill": "pick", "args": {"object": "pants"}, "status": "failure", "reason": why},
        {
            "skill": "pick",
            "args": {"object": "mug"},
            "status": "failure",
            "reason": "no free spot within reach from which to pick the mug; navigate closer first",
        },
    ]
    assert unreachable(outcomes) == ["pants"]  # still out of reach for this chore
    assert in_the_way(outcomes) == {"pants": why.split("(waited 8 s): ")[1]}
    assert in_the_way([{**outcomes[0], "status": "success"}]) == {}


def test_a_person_on_the_spot_is_asked_by_name_to_make_room():
    """A person (not a pet) standing where the robot must stand is asked, as in a doorway."""
    from datetime import timedelta

    from housemind.agent.help import need_help
    from housemind.sim.home import HomeSimEnv
    from housemind.sim.home.conversation import SimulatedResident

    env, _ = _at_the_sofa()
    rex = env.world.residents["rex"]
    spot = (rex.x, rex.y)
    rex.x, rex.y = 6.0, 4.0  # the dog has gone; a visitor stands where it lay
    env.place_person("jo", *spot, kind="adult")
    pol = env.expert("pick", {"object": "pants"})
    with pytest.raises(PolicyError) as err:
        for _ in range(1000):
            for a in pol.predict_chunk(env.observe(), ""):
                env.step(a)
    assert "jo (adult" in str(err.value) and "ask jo to make way" in str(err.value)
    failed = {"skill": "pick", "args": {"object": "pants"}, "status": "failure"}
    need = need_help("tidy up", "", [{**failed, "reason": str(err.value)}])
    assert need is not None and need["kind"] == "make_way"
    assert need["question"] == "jo, could you make room for me to pick the pants, please?"
    # a pet is not asked: the chore leaves the thing and says why (see above)
    dog = str(err.value).replace("jo (adult", "rex (dog")
    assert need_help("tidy up", "", [{**failed, "reason": dog}]) is None

    # The household's own people step aside when asked so (the same as "let me past").
    house = HomeSimEnv(home="house", seed=0)
    house.reset(seed=0)
    house.idle_until(house.clock.now().replace(hour=19))
    ask = SimulatedResident(house, seed=0)
    who = [n for n in house.presence() if not house.world.residents[n].path][-1]
    assert ask(f"{who}, could you make room for me to pick the mug, please?") == "sure"
    assert ask.name == who and house.world.residents[who].path
    house.idle_until(house.clock.now() + timedelta(seconds=30))
    assert not house.world.residents[who].path
