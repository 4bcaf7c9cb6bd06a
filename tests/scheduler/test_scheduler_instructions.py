from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from housemind.memory.models import InstructionRecord
from housemind.scheduler import (
    InstructionKind,
    InstructionParseError,
    StandingInstruction,
    next_runs,
    parse_instruction,
)

BERLIN = ZoneInfo("Europe/Berlin")

NOW = datetime(2025, 10, 20, 8, 0, tzinfo=BERLIN)  # Monday 08:00; DST ends Sun 26 Oct

# text, goal, kind, canonical RRULE, next 5 fire times (local, "%a %d %H:%M")
CASES = [
    (
        "water the plants every day at 9:00",
        "water the plants",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        ["Mon 20 09:00", "Tue 21 09:00", "Wed 22 09:00", "Thu 23 09:00", "Fri 24 09:00"],
    ),
    (
        "make coffee every weekday at 7am",
        "make coffee",
        "recurring_chore",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0",
        ["Tue 21 07:00", "Wed 22 07:00", "Thu 23 07:00", "Fri 24 07:00", "Mon 27 07:00"],
    ),
    (
        "do the laundry on Saturdays at 10:00",
        "do the laundry",
        "recurring_chore",
        "RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=0",
        ["Sat 25 10:00", "Sat 01 10:00", "Sat 08 10:00", "Sat 15 10:00", "Sat 22 10:00"],
    ),
    (
        "take out the trash every Monday",
        "take out the trash",
        "recurring_chore",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
        ["Mon 20 09:00", "Mon 27 09:00", "Mon 03 09:00", "Mon 10 09:00", "Mon 17 09:00"],
    ),
    (
        "clean the fridge at 17:00 every day",
        "clean the fridge",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=17;BYMINUTE=0",
        ["Mon 20 17:00", "Tue 21 17:00", "Wed 22 17:00", "Thu 23 17:00", "Fri 24 17:00"],
    ),
    # Deadline: fires duration_s (600 s) before 18:00 so it can be done by then.
    (
        "dinner ready by 6 pm every day",
        "dinner ready",
        "deadline_chore",
        "RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0",
        ["Mon 20 17:50", "Tue 21 17:50", "Wed 22 17:50", "Thu 23 17:50", "Fri 24 17:50"],
    ),
    # "fridge" and "fr" must not be read as Friday.
    (
        "defrost the fridge every Sunday at 8pm",
        "defrost the fridge",
        "recurring_chore",
        "RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0",
        ["Sun 26 20:00", "Sun 02 20:00", "Sun 09 20:00", "Sun 16 20:00", "Sun 23 20:00"],
    ),
    (
        # Issue #11: a check-in's goal is said from the robot's side, and without a time it
        # is in the evening, when people are home.
        "Every Monday, ask me what to buy",
        "ask what to buy",
        "check_in",
        "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=30",
        ["Mon 20 18:30", "Mon 27 18:30", "Mon 03 18:30", "Mon 10 18:30", "Mon 17 18:30"],
    ),
    (
        "turn the lights on every evening",
        "turn the lights on",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0",
        ["Mon 20 18:00", "Tue 21 18:00", "Wed 22 18:00", "Thu 23 18:00", "Fri 24 18:00"],
    ),
    (
        "vacuum the hall every other day at 6pm",
        "vacuum the hall",
        "recurring_chore",
        "DTSTART:20251020T000000\nRRULE:FREQ=DAILY;INTERVAL=2;BYHOUR=18;BYMINUTE=0",
        ["Mon 20 18:00", "Wed 22 18:00", "Fri 24 18:00", "Sun 26 18:00", "Tue 28 18:00"],
    ),
    (
        "feed the cat in the morning every day",
        "feed the cat",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=8;BYMINUTE=0",
        ["Tue 21 08:00", "Wed 22 08:00", "Thu 23 08:00", "Fri 24 08:00", "Sat 25 08:00"],
    ),
    (
        "water the garden on mondays and thursdays at 7:30am",
        "water the garden",
        "recurring_chore",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=7;BYMINUTE=30",
        ["Thu 23 07:30", "Mon 27 07:30", "Thu 30 07:30", "Mon 03 07:30", "Thu 06 07:30"],
    ),
    (
        "check the mail daily",
        "check the mail",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        ["Mon 20 09:00", "Tue 21 09:00", "Wed 22 09:00", "Thu 23 09:00", "Fri 24 09:00"],
    ),
    (
        "charge the vacuum tomorrow at 9",
        "charge the vacuum",
        "one_off",
        "DTSTART:20251021T090000\nRRULE:FREQ=DAILY;COUNT=1",
        ["Tue 21 09:00"],
    ),
    (
        "tidy the living room every weekend",
        "tidy the living room",
        "recurring_chore",
        "RRULE:FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=9;BYMINUTE=0",
        ["Sat 25 09:00", "Sun 26 09:00", "Sat 01 09:00", "Sun 02 09:00", "Sat 08 09:00"],
    ),
    (
        "air the bedroom every 2 hours",
        "air the bedroom",
        "recurring_chore",
        "DTSTART:20251020T000000\nRRULE:FREQ=HOURLY;INTERVAL=2;BYMINUTE=0",
        ["Mon 20 10:00", "Mon 20 12:00", "Mon 20 14:00", "Mon 20 16:00", "Mon 20 18:00"],
    ),
    (
        "empty the dishwasher at noon every day",
        "empty the dishwasher",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=12;BYMINUTE=0",
        ["Mon 20 12:00", "Tue 21 12:00", "Wed 22 12:00", "Thu 23 12:00", "Fri 24 12:00"],
    ),
    (
        "put the pot on the stove every day at 5:30 pm",
        "put the pot on the stove",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=17;BYMINUTE=30",
        ["Mon 20 17:30", "Tue 21 17:30", "Wed 22 17:30", "Thu 23 17:30", "Fri 24 17:30"],
    ),
    (
        "descale the kettle every month",
        "descale the kettle",
        "recurring_chore",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=20;BYHOUR=9;BYMINUTE=0",
        ["Mon 20 09:00", "Thu 20 09:00", "Sat 20 09:00", "Tue 20 09:00", "Fri 20 09:00"],
    ),
    (
        "wipe the table every day by 20:00",
        "wipe the table",
        "deadline_chore",
        "RRULE:FREQ=DAILY;BYHOUR=20;BYMINUTE=0",
        ["Mon 20 19:50", "Tue 21 19:50", "Wed 22 19:50", "Thu 23 19:50", "Fri 24 19:50"],
    ),
    (
        # Issue #11: a reminder is its own kind, naming the person to remind.
        "remind me to call mom every sunday at 18:00",
        "remind owner to call mom",
        "reminder",
        "RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=18;BYMINUTE=0",
        ["Sun 26 18:00", "Sun 02 18:00", "Sun 09 18:00", "Sun 16 18:00", "Sun 23 18:00"],
    ),
    (
        "fold the clothes every day at 7 p.m.",
        "fold the clothes",
        "recurring_chore",
        "RRULE:FREQ=DAILY;BYHOUR=19;BYMINUTE=0",
        ["Mon 20 19:00", "Tue 21 19:00", "Wed 22 19:00", "Thu 23 19:00", "Fri 24 19:00"],
    ),
]


@pytest.mark.parametrize(
    ("text", "goal", "kind", "rrule", "runs"), CASES, ids=[c[0] for c in CASES]
)
def test_parse_phrasings(text, goal, kind, rrule, runs):
    instr = parse_instruction(text, now=NOW, tz="Europe/Berlin")
    assert instr.goal == goal
    assert instr.kind.value == kind
    assert instr.rrule == rrule
    assert instr.time_is_deadline == (kind == "deadline_chore")
    got = next_runs(instr, NOW, n=5)
    assert [t.strftime("%a %d %H:%M") for t in got] == runs
    assert all(t.tzinfo is not None and t > NOW for t in got)


def test_same_text_same_id_regardless_of_case_and_spacing():
    a = parse_instruction("Water the plants every day at 9:00", now=NOW, tz="Europe/Berlin")
    b = parse_instruction("water  the plants every day at 9:00.", now=NOW, tz="Europe/Berlin")
    assert a.id == b.id and a.id.startswith("instr-")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("clean the house", "no schedule phrase"),
        ("every day at 9", "no goal"),
        ("", "no schedule"),
        ("bake a cake at 9 by 10 every day", "both 'at' and 'by'"),
    ],
)
def test_unreadable_phrasings(text, why):
    with pytest.raises(InstructionParseError, match=why) as err:
        parse_instruction(text, now=NOW, tz="Europe/Berlin")
    assert "every day at 9:00" in str(err.value)  # an example that works
    assert repr(text) in str(err.value)


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'.*IANA"):
        parse_instruction("water the plants every day at 9", now=NOW, tz="Mars/Olympus")
    with pytest.raises(ValueError, match="Mars/Olympus"):
        StandingInstruction(text="x", goal="x", rrule="RRULE:FREQ=DAILY", timezone="Mars/Olympus")


@pytest.mark.parametrize(
    "rrule",
    ["RRULE:FREQ=DAILLY", "FREQ=DAILY;BYHOUR=9", "RRULE:FREQ=DAILY;BYHOUR=25", "RRULE:BYHOUR"],
)
def test_bad_rrule_is_a_clear_error(rrule):
    with pytest.raises(ValueError, match="RRULE") as err:
        StandingInstruction(text="water", goal="water", rrule=rrule)
    assert "FREQ=DAILY;BYHOUR=9" in str(err.value) or rrule in str(err.value)


def test_chores_need_a_schedule_but_preferences_do_not():
    with pytest.raises(ValueError, match="needs an rrule"):
        StandingInstruction(text="water", goal="water")
    pref = StandingInstruction(
        text="I like the blinds half open", goal="blinds half open", kind="preference"
    )
    assert pref.kind is InstructionKind.PREFERENCE and pref.rrule is None


def test_record_round_trip():
    instr = parse_instruction("dinner ready by 6 pm every day", now=NOW, tz="Europe/Berlin")
    instr = instr.model_copy(update={"grace_s": 120.0, "priority": 3})
    record = instr.to_record()
    assert isinstance(record, InstructionRecord)
    assert StandingInstruction.from_record(record) == instr
