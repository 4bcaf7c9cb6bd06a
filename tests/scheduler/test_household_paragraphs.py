"""The 21 household paragraphs of ``tests/data/household_paragraphs.yaml``, read back.

Each paragraph's instructions are pinned: kind, goal, the next four due times (a deadline
chore's deadlines) and any window; and its routine facts with their days. These paragraphs
were used to fix the parser (issue #11): they are tests, not held-out data (the held-out
phrasings are ``benchmarks/phrasings/heldout.json``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from housemind.agent.household_bench import load_paragraphs
from housemind.scheduler import InstructionKind, parse_paragraph, read_back
from housemind.scheduler._rrule import split_rrule
from housemind.scheduler.placement import SchedulePolicy
from housemind.scheduler.triggers import next_due

TZ = "Europe/London"
#: HomeSim's first morning (a Monday): where ``housemind run`` anchors the instructions.
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=ZoneInfo(TZ))
KINDS = {
    "at": InstructionKind.RECURRING_CHORE,
    "by": InstructionKind.DEADLINE_CHORE,
    "ask": InstructionKind.CHECK_IN,
    "tell": InstructionKind.REMINDER,
    "never": InstructionKind.CONSTRAINT,
}
# index: ([(kind, goal, next four due times or a constraint's window[, own window])],
#         ["predicate HH:MM days"])
EXPECTED = {
    0: (
        [
            ("by", "make dinner", "Mon 23 18:00 | Tue 24 18:00 | Wed 25 18:00 | Thu 26 18:00"),
            ("by", "do the laundry", "Sat 28 08:00 | Sat 05 08:00 | Sat 12 08:00 | Sat 19 08:00"),
            (
                "ask",
                "ask what you want me to pick up when I do the shopping",
                "Mon 23 18:30 | Mon 30 18:30 | Mon 07 18:30 | Mon 14 18:30",
            ),
        ],
        ["wakes_at 07:00 MO,TU,WE,TH,FR", "leaves_for_work_at 07:00 MO,TU,WE,TH,FR"],
    ),
    1: (
        [
            ("at", "water the plants", "Mon 23 08:00 | Wed 25 08:00 | Fri 27 08:00 | Sun 29 08:00"),
            ("by", "make dinner", "Mon 23 19:00 | Tue 24 19:00 | Wed 25 19:00 | Thu 26 19:00"),
        ],
        [],
    ),
    2: (
        [
            (
                "at",
                "vacuum the living room",
                "Tue 24 09:00 | Fri 27 09:00 | Tue 01 09:00 | Fri 04 09:00",
            ),
            ("at", "feed the cat", "Mon 23 07:30 | Mon 23 18:00 | Tue 24 07:30 | Tue 24 18:00"),
        ],
        [],
    ),
    3: (
        [
            ("at", "make coffee", "Mon 23 07:30 | Tue 24 07:30 | Wed 25 07:30 | Thu 26 07:30"),
            ("at", "do the dishes", "Mon 23 21:00 | Tue 24 21:00 | Wed 25 21:00 | Thu 26 21:00"),
        ],
        ["leaves_for_work_at 08:00 MO,TU,WE,TH,FR"],
    ),
    4: (
        [
            ("by", "make breakfast", "Mon 23 07:00 | Tue 24 07:00 | Wed 25 07:00 | Thu 26 07:00"),
            ("by", "do the laundry", "Sun 29 12:00 | Sun 06 12:00 | Sun 13 12:00 | Sun 20 12:00"),
        ],
        ["wakes_at 06:30 MO,TU,WE,TH,FR"],
    ),
    5: (
        [
            (
                "at",
                "take out the trash",
                "Wed 25 21:00 | Wed 02 21:00 | Wed 09 21:00 | Wed 16 21:00",
            ),
            (
                "at",
                "take out the recycling",
                "Thu 26 21:00 | Thu 03 21:00 | Thu 10 21:00 | Thu 17 21:00",
            ),
            (
                "at",
                "tidy the kids room",
                "Mon 23 19:00 | Tue 24 19:00 | Wed 25 19:00 | Thu 26 19:00",
            ),
        ],
        [],
    ),
    6: (
        [
            (
                "tell",
                "remind owner to take their pills",
                "Mon 23 21:00 | Tue 24 21:00 | Wed 25 21:00 | Thu 26 21:00",
            ),
            (
                "ask",
                "ask what we need from the shop",
                "Fri 27 18:00 | Fri 04 18:00 | Fri 11 18:00 | Fri 18 18:00",
            ),
        ],
        [],
    ),
    7: (
        [
            ("at", "water the plants", "Mon 23 10:00 | Thu 26 10:00 | Mon 30 10:00 | Thu 03 10:00"),
            (
                "at",
                "vacuum the living room",
                "Sat 28 10:00 | Sat 05 10:00 | Sat 12 10:00 | Sat 19 10:00",
            ),
            ("by", "make dinner", "Mon 23 18:30 | Tue 24 18:30 | Wed 25 18:30 | Thu 26 18:30"),
        ],
        [],
    ),
    8: (
        [
            (
                "by",
                "wash the gym clothes",
                "Sun 29 12:00 | Sun 06 12:00 | Sun 13 12:00 | Sun 20 12:00",
            ),
            ("at", "do the dishes", "Mon 23 20:00 | Tue 24 20:00 | Wed 25 20:00 | Thu 26 20:00"),
        ],
        ["leaves_for_work_at 09:00 MO,TU,WE,TH,FR", "gets_home_at 17:00 MO,TU,WE,TH,FR"],
    ),
    9: (
        [
            ("at", "make tea", "Mon 23 07:00 | Tue 24 07:00 | Wed 25 07:00 | Thu 26 07:00"),
            ("at", "set the table", "Mon 23 17:45 | Tue 24 17:45 | Wed 25 17:45 | Thu 26 17:45"),
            ("at", "clear the table", "Mon 23 19:30 | Tue 24 19:30 | Wed 25 19:30 | Thu 26 19:30"),
        ],
        [],
    ),
    10: (
        [
            (
                "at",
                "tidy the living room",
                "Mon 23 09:00 | Tue 24 09:00 | Wed 25 09:00 | Thu 26 09:00",
            ),
            (
                "at",
                "load the dishwasher",
                "Mon 23 22:00 | Tue 24 22:00 | Wed 25 22:00 | Thu 26 22:00",
            ),
        ],
        [],
    ),
    11: (
        [
            ("at", "feed the cat", "Mon 23 08:00 | Tue 24 08:00 | Wed 25 08:00 | Thu 26 08:00"),
            (
                "ask",
                "ask what groceries you want",
                "Sun 29 11:00 | Sun 06 11:00 | Sun 13 11:00 | Sun 20 11:00",
            ),
        ],
        [],
    ),
    12: (
        [
            ("by", "make dinner", "Mon 23 18:30 | Tue 24 18:30 | Wed 25 18:30 | Thu 26 18:30"),
            (
                "at",
                "vacuum the hallway",
                "Wed 25 09:00 | Wed 02 09:00 | Wed 09 09:00 | Wed 16 09:00",
                "home",
            ),
        ],
        ["leaves_home_at 08:15 daily", "gets_home_at 17:30 daily"],
    ),
    13: (
        [
            ("at", "make coffee", "Mon 23 07:00 | Tue 24 07:00 | Wed 25 07:00 | Thu 26 07:00"),
            ("at", "water the plants", "Mon 23 09:00 | Thu 26 09:00 | Sun 29 09:00 | Wed 02 09:00"),
        ],
        [],
    ),
    14: (
        [
            ("by", "do the laundry", "Sat 28 12:00 | Sat 05 12:00 | Sat 12 12:00 | Sat 19 12:00"),
            (
                "at",
                "wipe the kitchen counter",
                "Mon 23 20:00 | Tue 24 20:00 | Wed 25 20:00 | Thu 26 20:00",
            ),
        ],
        [],
    ),
    15: (
        [
            (
                "tell",
                "remind owner to put the bins out",
                "Mon 23 07:00 | Mon 30 07:00 | Mon 07 07:00 | Mon 14 07:00",
            ),
            ("at", "make dinner", "Mon 23 18:00 | Tue 24 18:00 | Wed 25 18:00 | Thu 26 18:00"),
        ],
        [],
    ),
    16: (
        [
            ("by", "make breakfast", "Mon 23 07:15 | Tue 24 07:15 | Wed 25 07:15 | Thu 26 07:15"),
            ("never", "chores", "SA,SU 00:00-09:00"),
        ],
        ["leaves_for_work_at 08:00 MO,TU,WE,TH,FR"],
    ),
    17: (
        [
            ("at", "do the dishes", "Mon 23 13:00 | Mon 23 20:00 | Tue 24 13:00 | Tue 24 20:00"),
            (
                "at",
                "tidy the kids room",
                "Sat 28 10:00 | Sat 05 10:00 | Sat 12 10:00 | Sat 19 10:00",
            ),
        ],
        [],
    ),
    18: (
        [
            ("at", "boil the kettle", "Mon 23 06:45 | Tue 24 06:45 | Wed 25 06:45 | Thu 26 06:45"),
            (
                "at",
                "vacuum the bedroom",
                "Fri 27 12:00 | Fri 04 12:00 | Fri 11 12:00 | Fri 18 12:00",
            ),
        ],
        ["leaves_home_at 07:30 MO,TU,WE,TH,FR"],
    ),
    19: (
        [
            ("at", "do the laundry", "Mon 23 09:00 | Mon 07 09:00 | Mon 21 09:00 | Mon 04 09:00"),
            ("at", "feed the cat", "Mon 23 18:00 | Tue 24 18:00 | Wed 25 18:00 | Thu 26 18:00"),
            ("by", "make dinner", "Mon 23 19:00 | Tue 24 19:00 | Wed 25 19:00 | Thu 26 19:00"),
            ("by", "make dinner", "Sat 28 20:00 | Sun 29 20:00 | Sat 05 20:00 | Sun 06 20:00"),
        ],
        [],
    ),
    20: (
        [
            (
                "ask",
                "ask what you want me to pick up",
                "Wed 25 18:30 | Wed 02 18:30 | Wed 09 18:30 | Wed 16 18:30",
            ),
            ("by", "make dinner", "Mon 23 18:45 | Tue 24 18:45 | Wed 25 18:45 | Thu 26 18:45"),
            ("at", "water the plants", "Mon 23 08:00 | Wed 25 08:00 | Fri 27 08:00 | Sun 29 08:00"),
        ],
        [],
    ),
}
PARAGRAPHS = load_paragraphs()


def _read(index: int):
    return parse_paragraph(PARAGRAPHS[index]["text"], now=NOW, tz=TZ)


def test_every_paragraph_is_pinned():
    assert sorted(EXPECTED) == list(range(len(PARAGRAPHS))) and len(PARAGRAPHS) == 21


@pytest.mark.parametrize("index", range(21))
def test_paragraph_reads_back_right(index):
    result = _read(index)
    assert result.questions == []
    expected, facts = EXPECTED[index]
    got = []
    for instr in result.instructions:
        kind = next(k for k, v in KINDS.items() if v is instr.kind)
        assert instr.time_is_deadline == (kind == "by"), instr
        if instr.rrule is None:
            got.append((kind, instr.goal, instr.window))
            continue
        due = " | ".join(d.strftime("%a %d %H:%M") for d, _ in next_due(instr, NOW, 4))
        got.append((kind, instr.goal, due, *([instr.window] if instr.window else [])))
    assert got == expected
    days = [split_rrule(f.rrule)[1].get("BYDAY", "daily") for f in result.facts]
    assert [
        f"{f.predicate} {f.value} {d}" for f, d in zip(result.facts, days, strict=True)
    ] == facts
    for instr in result.instructions:  # every read-back is a sentence about the goal
        said = read_back(instr)
        assert said.startswith("I") and said.endswith(".") and "please" not in said


def test_read_backs_of_the_new_phrasings():
    said = [read_back(i) for i in _read(2).instructions]
    assert said[1] == "I'll feed the cat every day at 07:30 and 18:00."
    said = [read_back(i) for i in _read(12).instructions]
    assert said[1] == "I'll vacuum the hallway every Wednesday at 09:00, while you're out."
    said = [read_back(i) for i in _read(16).instructions]
    assert said[1] == "I won't do any chores at weekends before 09:00."
    said = [read_back(i) for i in _read(19).instructions]
    assert said[2:] == [
        "I'll have dinner ready every weekday by 19:00, starting around 18:15.",
        "I'll have dinner ready every Saturday and Sunday by 20:00, starting around 19:15.",
    ]


def test_weekend_constraint_moves_weekend_chores_to_nine():
    result = parse_paragraph(
        "On weekends, don't start any chores before 9 am. Water the plants every day at 8am.",
        now=NOW,
        tz=TZ,
    )
    policy = SchedulePolicy.from_facts(result.instructions, result.facts, tz=TZ)
    plants = next(i for i in result.instructions if i.goal == "water the plants")
    fires = [f.strftime("%a %H:%M") for _, f in policy.next_due(plants, NOW, 7)]
    assert fires == [
        "Mon 08:00", "Tue 08:00", "Wed 08:00", "Thu 08:00", "Fri 08:00", "Sat 09:00", "Sun 09:00"
    ]  # fmt: skip


def test_while_im_out_keeps_the_chore_in_the_hours_the_speaker_is_away():
    result = parse_paragraph(
        "I leave for work at 8 on weekdays and get home at 6. Vacuum the hallway every "
        "Wednesday at 7 am while I'm out.",
        now=NOW,
        tz=TZ,
    )
    vacuum = result.instructions[0]
    assert vacuum.window == "home" and vacuum.said_by == "owner"
    policy = SchedulePolicy.from_facts(result.instructions, result.facts, tz=TZ)
    # at 07:00 the owner is still home: the run moves to when they have left
    assert [f.strftime("%a %d %H:%M") for _, f in policy.next_due(vacuum, NOW, 2)] == [
        "Wed 25 08:00",
        "Wed 02 08:00",
    ]
    # with no routine it is not moved (nothing says when they are out)
    alone = parse_paragraph("Vacuum the hallway every Wednesday while I'm out.", now=NOW, tz=TZ)
    bare = SchedulePolicy.from_facts(alone.instructions, alone.facts, tz=TZ)
    assert bare.next_due(alone.instructions[0], NOW, 1)[0][1].strftime("%H:%M") == "09:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "again" joins a time to the chore; each time keeps its own half of the day
        ("water the ferns every morning at 7 and again at 7 in the evening", "07:00 19:00"),
        ("feed the dog every day at 8:15am and again at 5", "08:15 17:00"),
        # "say 8pm" offers the time; "after dinner" was only a hint
        ("Do the dishes after dinner every day, say 9pm", "21:00"),
    ],
)
def test_several_times_of_day(text, expected):
    (instr,) = parse_paragraph(text, now=NOW, tz=TZ).instructions
    times = sorted({d.strftime("%H:%M") for d, _ in next_due(instr, NOW, 4)})
    assert " ".join(times) == expected


def test_a_chore_after_a_routine_takes_its_days_only_right_after_it():
    result = parse_paragraph(
        "I get up at 6 on Mondays and Thursdays. Make me breakfast by 6:30. Make tea at 4pm.",
        now=NOW,
        tz=TZ,
    )
    breakfast, tea = result.instructions
    assert breakfast.goal == "make breakfast"
    assert [d.strftime("%a") for d, _ in next_due(breakfast, NOW, 3)] == ["Mon", "Thu", "Mon"]
    assert tea.kind is InstructionKind.ONE_OFF  # not right after the routine: once
