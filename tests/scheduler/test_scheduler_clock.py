from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from housemind.scheduler import Clock, SimClock, WallClock


def test_sim_clock_moves_only_when_advanced():
    clock = SimClock(datetime(2025, 10, 20, 8, 0), tz="Europe/Berlin")
    start = clock.now()
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=2)
    assert clock.now() == start
    clock.advance(90)
    clock.sleep(30)
    assert clock.now() - start == timedelta(minutes=2)
    clock.advance_to(start + timedelta(hours=1))
    assert clock.elapsed == 3600
    clock.advance_to(start)  # earlier: ignored
    assert clock.elapsed == 3600
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    clock.set_elapsed(10)
    assert clock.now() == start + timedelta(seconds=10)


def test_clocks_satisfy_protocol():
    assert isinstance(SimClock(datetime(2025, 1, 1)), Clock)
    wall = WallClock("Europe/Berlin")
    assert isinstance(wall, Clock)
    assert wall.now().tzinfo is wall.tz


def test_sim_clock_counts_real_seconds_across_dst():
    # 26 Oct 2025: Berlin falls back at 03:00 CEST; 24 h later the wall clock shows 23 h more.
    clock = SimClock(datetime(2025, 10, 25, 12, 0), tz="Europe/Berlin")
    clock.advance(24 * 3600)
    assert clock.now().strftime("%d %H:%M %Z") == "26 11:00 CET"
    assert (clock.now().astimezone(UTC) - clock.start.astimezone(UTC)).total_seconds() == 86400
    # advance_to a wall time in the same zone moves by real seconds, not wall-clock ones.
    clock.advance_to(datetime(2025, 10, 26, 12, 0, tzinfo=clock.tz))
    assert clock.elapsed == 25 * 3600
