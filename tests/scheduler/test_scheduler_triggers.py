from __future__ import annotations

import pickle
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.base import BaseTrigger

from housemind.scheduler import RRuleTrigger, StandingInstruction, next_runs, trigger_for

BERLIN = ZoneInfo("Europe/Berlin")


def _instr(rrule: str, **kw) -> StandingInstruction:
    return StandingInstruction(
        text=kw.pop("text", f"chore {rrule}"),
        goal="chore",
        rrule=rrule,
        timezone="Europe/Berlin",
        **kw,
    )


def test_daily_keeps_wall_time_across_october_dst_change():
    # Berlin leaves summer time on Sun 26 Oct 2025 at 03:00 CEST -> 02:00 CET.
    instr = _instr("RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0")
    runs = next_runs(instr, datetime(2025, 10, 24, 12, tzinfo=BERLIN), n=4)
    assert [t.strftime("%d %H:%M") for t in runs] == [
        "25 09:00",
        "26 09:00",
        "27 09:00",
        "28 09:00",
    ]
    assert [t.astimezone(UTC).hour for t in runs] == [7, 8, 8, 8]  # UTC offset changed


def test_ambiguous_wall_time_fires_once_on_fall_back_day():
    instr = _instr("RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30")
    runs = next_runs(instr, datetime(2025, 10, 25, 12, tzinfo=BERLIN), n=2)
    assert [t.astimezone(UTC) for t in runs] == [
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # first 02:30 (CEST)
        datetime(2025, 10, 27, 1, 30, tzinfo=UTC),
    ]


def test_missing_wall_time_fires_an_hour_later_on_spring_forward_day():
    instr = _instr("RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30")
    runs = next_runs(instr, datetime(2026, 3, 28, 12, tzinfo=BERLIN), n=3)
    assert [t.astimezone(BERLIN).strftime("%d %H:%M") for t in runs] == [
        "29 03:30",
        "30 02:30",
        "31 02:30",
    ]


def test_hourly_rule_over_fall_back_is_strictly_increasing():
    instr = _instr("RRULE:FREQ=HOURLY;BYMINUTE=0")
    runs = next_runs(instr, datetime(2025, 10, 26, 0, 30, tzinfo=BERLIN), n=5)
    assert runs == sorted(set(runs))


def test_trigger_is_an_apscheduler_trigger_and_pickles():
    trig = trigger_for(_instr("RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=0"))
    assert isinstance(trig, BaseTrigger)
    now = datetime(2025, 10, 20, 8, tzinfo=BERLIN)
    first = trig.get_next_fire_time(None, now)
    assert first == datetime(2025, 10, 25, 10, tzinfo=BERLIN)
    # After a fire: the next occurrence after it, even if `now` is long past (misfires).
    assert trig.get_next_fire_time(first, first + timedelta(days=30)) == first + timedelta(days=7)
    # An occurrence exactly at `now` is returned when nothing fired yet.
    assert trig.get_next_fire_time(None, first) == first
    clone = pickle.loads(pickle.dumps(trig))
    assert clone.get_next_fire_time(first, first) == first + timedelta(days=7)
    assert str(clone) == "rrule[RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=0 in Europe/Berlin]"
    assert clone.previous_fire_time(first + timedelta(days=3)) == first


def test_deadline_trigger_fires_duration_early():
    instr = _instr("RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0", time_is_deadline=True, duration_s=1800)
    trig = trigger_for(instr)
    assert "offset -1800 s" in str(trig)
    nxt = trig.get_next_fire_time(None, datetime(2025, 10, 20, 8, tzinfo=BERLIN))
    assert nxt == datetime(2025, 10, 20, 17, 30, tzinfo=BERLIN)


def test_count_rule_ends():
    instr = _instr("DTSTART:20251021T090000\nRRULE:FREQ=DAILY;COUNT=1", kind="one_off")
    assert len(next_runs(instr, datetime(2025, 10, 20, tzinfo=BERLIN), n=5)) == 1
    trig = trigger_for(instr)
    assert trig.get_next_fire_time(None, datetime(2025, 10, 22, tzinfo=BERLIN)) is None


def test_unscheduled_instruction_has_no_trigger():
    pref = StandingInstruction(text="I like tea", goal="tea", kind="preference")
    with pytest.raises(ValueError, match="has no schedule"):
        trigger_for(pref)


def test_trigger_far_from_anchor_is_cheap_and_right():
    trig = RRuleTrigger("RRULE:FREQ=MINUTELY;INTERVAL=7", "Europe/Berlin")
    now = datetime(2040, 6, 1, 12, 0, tzinfo=UTC)
    t0 = time.perf_counter()
    nxt = trig.get_next_fire_time(None, now)
    assert time.perf_counter() - t0 < 0.05
    # Anchor is 2000-01-03 00:00 Berlin (CET); every 7 min of *wall* time since then.
    anchor = datetime(2000, 1, 3)
    minutes = (nxt.astimezone(BERLIN).replace(tzinfo=None) - anchor).total_seconds() / 60
    assert minutes % 7 == 0 and timedelta(0) < nxt - now <= timedelta(minutes=7)


def test_next_runs_for_a_thousand_instructions_is_fast():
    rules = [
        "RRULE:FREQ=DAILY;BYHOUR={h};BYMINUTE={m}",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR={h};BYMINUTE={m}",
        "DTSTART:20250101T000000\nRRULE:FREQ=DAILY;INTERVAL=3;BYHOUR={h};BYMINUTE={m}",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR={h};BYMINUTE={m}",
    ]
    instrs = [
        _instr(rules[i % 4].format(h=i % 24, m=i % 60), text=f"chore {i}") for i in range(1000)
    ]
    after = datetime(2025, 10, 20, 8, tzinfo=BERLIN)
    t0 = time.perf_counter()
    runs = [next_runs(i, after, n=5) for i in instrs]
    elapsed = time.perf_counter() - t0
    assert all(len(r) == 5 for r in runs)
    assert elapsed < 3.0, f"next_runs for 1000 instructions took {elapsed:.2f} s"
