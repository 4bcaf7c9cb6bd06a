"""Simulated residents live the routine their people stated (issue #11, item 3)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from housemind.agent.runs import run_simulated, stated_routines
from housemind.scheduler import parse_paragraph
from housemind.scheduler.clock import SimClock
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.following import StatedDay, follow_routine
from housemind.sim.home.residents import make_household

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
WEEKDAYS = range(5)
#: "I wake up and go to work at 7": up at 7, out 07:00-17:00 (the scheduler's 10 hours).
WORKDAY = StatedDay(wake=7 * 60, away=(7 * 60, 17 * 60))


def _at(day: int, h: int, m: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=h, minutes=m)


def _house(**stated: dict[int, StatedDay]) -> HomeSimEnv:
    env = HomeSimEnv(SimClock(MONDAY.replace(hour=6), "UTC"), seed=0, home="house")
    if stated:
        assert env.follow_routines(stated) == []
    return env


def _home(env: HomeSimEnv, when: datetime) -> bool:
    env.idle_until(when)
    return "alex" in env.presence()


def _activity(env: HomeSimEnv, when: datetime) -> str:
    env.idle_until(when)
    return env.world.residents["alex"].activity


def test_a_workday_is_lived_as_said_and_the_weekend_as_before():
    adult = make_household(("adult", "child", "cat"))[0]
    new, notes = follow_routine(adult, dict.fromkeys(WEEKDAYS, WORKDAY))
    assert notes == []
    monday = [(s.start, s.activity) for s in new.routine if 0 in s.only]
    assert (time(6, 55), "leaving") in monday and (time(7, 0), "away") in monday
    after = [t for t, a in monday if t > time(7, 0)]
    assert after[0] == time(17, 0)  # back home at 17:00, nothing in between
    assert min(t for t, a in monday if t > time(0, 0)) >= time(6, 35)  # up in time
    assert "breakfast" in [a for _, a in monday]  # the morning is kept, shorter
    saturday = [s for s in new.weekend if 5 in s.only]
    own = sorted((s for s in adult.weekend if not s.only or 5 in s.only), key=lambda s: s.start)
    assert [(s.start, s.activity) for s in saturday] == [(s.start, s.activity) for s in own]


def test_the_resident_leaves_and_comes_back_when_the_person_said():
    own, told = _house(), _house(owner=dict.fromkeys(WEEKDAYS, WORKDAY))
    # Their own routine: home at 07:20 and from 15:15 (the child's school day).
    assert _home(own, _at(0, 7, 20)) and _home(own, _at(0, 16, 30))
    assert not _home(told, _at(0, 7, 20))
    assert not _home(told, _at(0, 16, 30))
    assert _home(told, _at(0, 17, 30))
    assert not _home(told, _at(1, 7, 20))  # every weekday


def test_lunch_at_home_keeps_them_home_and_bed_time_moves_the_night():
    stated = {d: StatedDay(meals=(("lunch", 12 * 60 + 30),), bed=23 * 60 + 30) for d in range(7)}
    own, told = _house(), _house(owner=stated)
    assert not _home(own, _at(0, 12, 45))  # their own Monday: out at work
    assert _home(told, _at(0, 12, 10))
    assert _activity(told, _at(0, 12, 45)) == "lunch"
    assert _activity(own, _at(0, 23, 10)) == "asleep"
    assert _activity(told, _at(0, 23, 10)) != "asleep"
    assert _activity(told, _at(0, 23, 50)) == "asleep"


def test_a_bed_time_after_midnight_keeps_them_up_into_the_next_day():
    stated = dict.fromkeys(range(7), StatedDay(bed=30))
    env = _house(owner=stated)
    assert _activity(env, _at(0, 23, 50)) != "asleep"
    assert _activity(env, _at(1, 0, 15)) != "asleep"
    assert _activity(env, _at(1, 0, 50)) == "asleep"


def test_getting_up_late_moves_their_own_leaving_later():
    env = _house(owner=dict.fromkeys(WEEKDAYS, StatedDay(wake=9 * 60)))
    assert _activity(env, _at(0, 8, 50)) == "asleep"
    assert _home(env, _at(0, 9, 30))  # their own routine had them out from 07:55
    assert not _home(env, _at(0, 11, 0))  # then they go out


def test_what_cannot_be_followed_is_said_and_the_rest_is_kept():
    env = HomeSimEnv(SimClock(MONDAY.replace(hour=6), "UTC"), seed=0, home="studio")
    notes = env.follow_routines(
        {
            "owner": {0: StatedDay(bed=9 * 60), 1: StatedDay(away=(20 * 60, 26 * 60))},
            "jamie": {0: StatedDay(wake=6 * 60)},
        }
    )
    assert any("going to bed at 09:00" in n for n in notes)
    assert any("past midnight" in n for n in notes)
    assert any(n.startswith("jamie:") and "nobody" in n for n in notes)


def test_pets_are_not_changed_and_an_empty_routine_gives_their_own_back():
    cat = make_household(("adult", "cat"))[1]
    assert follow_routine(cat, {0: WORKDAY}) == (cat, [])
    env = _house(owner=dict.fromkeys(WEEKDAYS, WORKDAY))
    assert env.follow_routines({}) == []
    assert _home(env, _at(0, 7, 20))  # their own routine again


def test_a_restored_home_that_follows_again_goes_on_identically():
    stated = {"owner": dict.fromkeys(WEEKDAYS, WORKDAY)}
    a = _house(**stated)
    a.idle_until(_at(0, 6, 50))
    state = a.get_state()
    b = HomeSimEnv(SimClock(MONDAY.replace(hour=6), "UTC"), seed=0, home="house")
    b.set_state(state)
    b.follow_routines(stated)
    for h in (7, 8, 12, 17, 18, 23):
        a.idle_until(_at(0, h, 5))
        b.idle_until(_at(0, h, 5))
        assert a.presence() == b.presence()
        assert a.world.residents["alex"].activity == b.world.residents["alex"].activity


def test_stated_routines_reads_the_paragraphs_facts():
    text = "I wake up and go to work at 7:00 a.m. I have lunch at 12:30. I go to bed at 11 pm."
    result = parse_paragraph(text, now=_at(0, 6), tz="UTC")
    said = stated_routines(result.facts, tz="UTC")
    monday, sunday = said["owner"][0], said["owner"][6]
    assert monday.wake == 7 * 60 and monday.away == (7 * 60, 17 * 60)
    assert monday.bed == 23 * 60 and monday.meals == (("lunch", 12 * 60 + 30),)
    assert sunday.away is None and sunday.meals == (("lunch", 12 * 60 + 30),)


@pytest.mark.slow
def test_lunch_the_person_comes_home_for_is_cooked_not_refused(tmp_path):
    # Before the residents followed the stated routine, the house's adult was out at work
    # at 12:00 on weekdays, so the safety monitor refused to cook for an empty house.
    out = run_simulated(
        tmp_path / "h.db",
        days=1,
        home="house",
        instructions=["I have lunch at 12:30, so have it ready by then."],
    )
    lunches = [c for c in out["chores"] if c["goal"] == "make lunch"]
    assert lunches and all(c["status"] == "done" for c in lunches)
    assert out["chores_denied"] == 0


def test_working_from_home_keeps_them_in_but_a_stated_outing_still_counts():
    said = dict.fromkeys(WEEKDAYS, StatedDay(home=True))
    said[0] = StatedDay(home=True, away=(18 * 60, 19 * 60 + 30))
    own, told = _house(), _house(owner=said)
    assert not _home(own, _at(0, 11))  # their own Monday: at work
    assert _home(told, _at(0, 11))
    assert not _home(told, _at(0, 18, 45))  # the gym
    assert _home(told, _at(0, 20))
    assert _home(told, _at(1, 11))


def test_stated_routines_carries_working_from_home():
    text = "I work from home but I go to the gym at 6pm on Mondays, back by 7:30."
    result = parse_paragraph(text, now=_at(0, 6), tz="UTC")
    said = stated_routines(result.facts, tz="UTC")["owner"]
    assert said[0].home and said[0].away == (18 * 60, 19 * 60 + 30)
    assert said[2].home and said[2].away is None
    assert 5 not in said
