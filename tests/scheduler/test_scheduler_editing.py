from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from housemind.scheduler import (
    ChoreScheduler,
    InstructionStore,
    SimClock,
    TaskQueue,
    UnknownInstructionError,
    parse_paragraph,
    read_back,
)


def _add(chores: ChoreScheduler, text: str):
    [instr] = parse_paragraph(text, now=chores.clock.now(), tz="Europe/Berlin").instructions
    return chores.store.add(instr)


def test_list_pause_resume_change_delete(chores: ChoreScheduler, clock: SimClock):
    store = chores.store
    water = _add(chores, "water the plants every day at 9am")
    dinner = _add(chores, "have dinner ready by 6pm every day")
    assert {i.id for i in store.list()} == {water.id, dinner.id}

    changed = store.change(dinner.id, rrule="RRULE:FREQ=DAILY;BYHOUR=19;BYMINUTE=0", priority=2)
    assert changed.id == dinner.id and changed.priority == 2
    assert store.get(dinner.id) == changed
    assert read_back(changed) == "I'll have dinner ready every day by 19:00, starting around 18:15."
    assert store.change(dinner.id, duration_s=3600).duration_s == 3600
    assert store.change(dinner.id, answers_to="shopping").answers_to == "shopping"
    assert store.get(dinner.id).answers_to == "shopping"

    with pytest.raises(ValueError, match="RRULE"):
        store.change(dinner.id, rrule="RRULE:FREQ=SOMETIMES")
    with pytest.raises(ValueError, match="cannot change 'id'"):
        store.change(dinner.id, id="other")
    with pytest.raises(UnknownInstructionError):
        store.change("instr-nope", priority=1)
    assert store.get(dinner.id).rrule == "RRULE:FREQ=DAILY;BYHOUR=19;BYMINUTE=0"  # unchanged

    assert store.pause(water.id).enabled is False
    assert "(paused)" in read_back(store.get(water.id))
    assert store.resume(water.id).enabled is True
    assert store.delete(water.id) is True
    assert [i.id for i in store.list()] == [dinner.id]


def test_a_changed_schedule_applies_from_now_on(chores: ChoreScheduler, clock: SimClock):
    instr = _add(chores, "water the plants every day at 9am")
    clock.advance(timedelta(hours=1, minutes=1).total_seconds())  # Mon 09:01
    assert [t.due_at.hour for t in chores.fire_due()] == [7]  # 09:00 Berlin is 07:00 UTC
    chores.store.change(instr.id, rrule="RRULE:FREQ=DAILY;BYHOUR=8;BYMINUTE=0")
    clock.advance(timedelta(days=1).total_seconds())  # Tue 09:01
    fired = chores.fire_due()
    assert [t.due_at.astimezone(clock.tz).strftime("%a %H:%M") for t in fired] == ["Tue 08:00"]


def test_scheduler_cache_sees_changes_through_its_store(chores: ChoreScheduler, clock: SimClock):
    a = _add(chores, "water the plants every day at 9am")
    assert chores.next_due().astimezone(clock.tz).hour == 9
    chores.store.change(a.id, rrule="RRULE:FREQ=DAILY;BYHOUR=8;BYMINUTE=30")
    assert chores.next_due().astimezone(clock.tz).strftime("%H:%M") == "08:30"
    chores.store.pause(a.id)
    assert chores.next_due() is None


def test_changes_from_another_process_need_invalidate(db_url, chores: ChoreScheduler, clock):
    _add(chores, "water the plants every day at 9am")
    assert chores.next_due() is not None
    engine = create_engine(db_url)
    other = InstructionStore(sessionmaker(bind=engine), clock)  # e.g. `housemind instruct`
    [instr] = other.list()
    other.pause(instr.id)
    assert chores.next_due() is not None  # still the cached view
    chores.invalidate()
    assert chores.next_due() is None
    engine.dispose()


def test_steps_with_nothing_due_write_nothing(chores: ChoreScheduler, clock: SimClock):
    _add(chores, "water the plants every day at 9am")
    chores.fire_due()  # first sight: records last_checked
    version = chores.store.version
    for _ in range(5):
        clock.advance(60)
        assert chores.fire_due() == []
    assert chores.store.version == version  # no instruction row was written
    clock.advance_to(chores.next_due())
    assert len(chores.fire_due()) == 1


def test_month_of_steps_matches_a_fresh_scheduler_each_step(session_factory, clock: SimClock):
    """The cached scheduler fires exactly what an uncached one (new each step) fires."""
    texts = (
        "water the plants every day at 9am. Have dinner ready by 6pm every day. "
        "Vacuum every other day at 4pm. Clean the oven on the first Monday of the month. "
        "Take out the trash on Mondays and Thursdays at 7pm."
    )
    store = InstructionStore(session_factory, clock)
    queue = TaskQueue(session_factory)
    for instr in parse_paragraph(texts, now=clock.now(), tz="Europe/Berlin").instructions:
        store.add(instr)
    cached = ChoreScheduler(store, queue, clock)
    end = clock.now() + timedelta(days=35)
    fired = []
    while (nxt := cached.next_due()) is not None and nxt <= end:
        assert nxt == ChoreScheduler(store, queue, clock).next_due()
        clock.advance_to(nxt)
        fired += cached.fire_due()
    assert len(fired) == 35 + 35 + 18 + 1 + 10
    assert len({t.id for t in fired}) == len(fired) == len(queue.list())
