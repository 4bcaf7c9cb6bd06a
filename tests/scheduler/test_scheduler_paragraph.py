from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from housemind.agent.llm import FakeModelClient
from housemind.scheduler import (
    InstructionKind,
    StandingInstruction,
    find_conflicts,
    next_runs,
    parse_paragraph,
    read_back,
)
from housemind.scheduler.paragraph import split_sentences, swap_person

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 10, 20, 8, 0, tzinfo=BERLIN)  # a Monday
HEADLINE = (
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to "
    "do my laundry on Saturday, so make sure that it's ready. By the way, check in with me "
    "every Monday to see what I want you to pick up when you do the shopping."
)


def _runs(instr: StandingInstruction, n: int = 5) -> list[str]:
    return [t.strftime("%a %d %H:%M") for t in next_runs(instr, NOW, n)]


def test_headline_paragraph():
    result = parse_paragraph(HEADLINE, now=NOW, tz="Europe/Berlin")
    assert result.questions == []
    dinner, laundry, check_in = result.instructions

    assert dinner.kind is InstructionKind.DEADLINE_CHORE and dinner.time_is_deadline
    assert dinner.goal == "make dinner"
    assert dinner.rrule == "RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0"
    assert dinner.duration_s == 45 * 60
    assert _runs(dinner) == ["Mon 20 17:15", "Tue 21 17:15", "Wed 22 17:15", "Thu 23 17:15",
                             "Fri 24 17:15"]  # fmt: skip
    assert read_back(dinner) == "I'll have dinner ready every day by 18:00, starting around 17:15."

    # Issue #11: "make sure it's ready on Saturday" is done before Saturday morning.
    assert laundry.kind is InstructionKind.DEADLINE_CHORE and laundry.goal == "do the laundry"
    assert laundry.rrule == "RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=8;BYMINUTE=0"
    assert _runs(laundry, 2) == ["Sat 25 06:00", "Sat 01 06:00"]
    assert read_back(laundry) == (
        "I'll have the laundry done every Saturday by 08:00, starting around 06:00."
    )
    # ... and laundry is noisy: placed with the household's nights it starts on Friday
    # evening instead (see test_routines_and_placement.py).

    # Issue #11: the owner leaves at 07:00 on weekdays, so the Monday check-in is in the
    # evening (18:30), not at 09:00 when nobody is home.
    assert check_in.kind is InstructionKind.CHECK_IN and not check_in.time_is_deadline
    assert check_in.goal == "ask what you want me to pick up when I do the shopping"
    assert check_in.answers_to == "shopping" and check_in.person == "owner"
    assert check_in.rrule == "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=18;BYMINUTE=30"
    assert read_back(check_in) == (
        "I'll ask you every Monday at 18:30 what you want me to pick up when I do the "
        "shopping; your answers go on the shopping list."
    )

    weekdays = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0"
    assert [(f.subject, f.predicate, f.value, f.rrule) for f in result.facts] == [
        ("owner", "wakes_at", "07:00", weekdays),
        ("owner", "leaves_for_work_at", "07:00", weekdays),
    ]
    assert {i.timezone for i in result.instructions} == {"Europe/Berlin"}
    assert len({i.id for i in result.instructions}) == 3


def test_sentences_split_without_breaking_am_pm():
    assert split_sentences("Dinner at 6 p.m. every day. Feed the cat at 7 a.m.! Done") == [
        "Dinner at 6 pm every day",
        "Feed the cat at 7 am",
        "Done",
    ]


def test_several_instructions_in_one_sentence_and_paragraph():
    text = (
        "Water the plants every day at 9am and take out the trash every Monday at 7pm. "
        "Also, vacuum the hall on weekends; have dinner ready by 7:30 pm every weekday."
    )
    result = parse_paragraph(text, now=NOW, tz="Europe/Berlin")
    assert result.questions == []
    assert [(i.goal, i.kind.value) for i in result.instructions] == [
        ("water the plants", "recurring_chore"),
        ("take out the trash", "recurring_chore"),
        ("vacuum the hall", "recurring_chore"),
        ("make dinner", "deadline_chore"),
    ]
    assert _runs(result.instructions[3], 2) == ["Mon 20 18:45", "Tue 21 18:45"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Do the laundry sometimes.", "how often"),
        ("Clean the windows from time to time", "how often"),
        ("Water the plants every other", "every other what"),
        ("Feed the cat at 7 every day", "7:00 in the morning or 19:00"),
        ("Take out the trash twice a week", "how often"),
        ("Clean the house", "What should I do, and when"),
    ],
)
def test_ambiguous_input_becomes_a_question(text, words):
    result = parse_paragraph(text, now=NOW, tz="Europe/Berlin")
    assert result.instructions == []
    assert len(result.questions) == 1 and words in result.questions[0]


def test_bare_hours_use_context_and_avoid_the_night():
    text = "Make dinner at 7 every day. Make breakfast at 7 every day. Feed the cat at 3 daily."
    result = parse_paragraph(text, now=NOW, tz="Europe/Berlin")
    assert [i.rrule for i in result.instructions] == [
        "RRULE:FREQ=DAILY;BYHOUR=19;BYMINUTE=0",
        "RRULE:FREQ=DAILY;BYHOUR=7;BYMINUTE=0",
        "RRULE:FREQ=DAILY;BYHOUR=15;BYMINUTE=0",
    ]


def test_routine_and_preference_facts():
    text = (
        "I get home at 6pm on weekdays. I go to bed at 11. Quiet hours are from 10pm to 8am. "
        "I like my coffee black. I'm allergic to peanuts. We're vegetarian."
    )
    result = parse_paragraph(text, now=NOW, tz="Europe/Berlin", speaker="alex")
    assert result.instructions == [] and result.questions == []
    assert [(f.subject, f.predicate, f.value, f.kind) for f in result.facts] == [
        ("alex", "gets_home_at", "18:00", "fact"),
        ("alex", "goes_to_bed_at", "23:00", "fact"),
        ("home", "quiet_hours", "22:00-08:00", "preference"),
        ("alex", "likes", "coffee black", "preference"),
        ("alex", "is_allergic_to", "peanuts", "fact"),
        ("alex", "diet", "vegetarian", "preference"),
    ]
    assert result.facts[0].rrule == "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=18;BYMINUTE=0"


def test_swap_person():
    assert swap_person("what I want you to pick up when you do the shopping") == (
        "what you want me to pick up when I do the shopping"
    )


def test_model_second_pass_for_what_the_offline_reader_cannot():
    reply = {
        "instructions": [
            {
                "kind": "recurring_chore",
                "goal": "water the ferns",
                "rrule": "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=8;BYMINUTE=0",
            }
        ]
    }
    client = FakeModelClient([json.dumps(reply)])
    text = "Every Tuesday and Thursday morning the ferns need water."
    result = parse_paragraph(text, now=NOW, tz="Europe/Berlin", client=client)
    assert result.questions == []
    [instr] = result.instructions
    assert instr.goal == "water the ferns" and instr.timezone == "Europe/Berlin"
    assert _runs(instr, 2) == ["Tue 21 08:00", "Thu 23 08:00"]
    assert len(client.calls) == 1 and "Europe/Berlin" in client.calls[0]["messages"][-1]["content"]


def test_model_pass_invalid_rule_or_question_becomes_a_question():
    bad = json.dumps({"instructions": [{"kind": "recurring_chore", "goal": "x",
                                         "rrule": "RRULE:FREQ=NEVER"}]})  # fmt: skip
    ask = json.dumps({"instructions": [], "question": "Which plants?"})
    client = FakeModelClient([ask])
    result = parse_paragraph(
        "The ferns want love now and again. Look after the plants.",
        now=NOW,
        tz="Europe/Berlin",
        client=client,
    )
    # The first sentence is vague offline (no model call); the second goes to the model.
    assert result.instructions == []
    assert "how often" in result.questions[0] and "Which plants?" in result.questions[1]
    client = FakeModelClient([bad])
    result = parse_paragraph("Look after the plants.", now=NOW, tz="UTC", client=client)
    assert result.instructions == [] and "did not understand" in result.questions[0]


def test_remember_facts_in_symbolic_memory(tmp_path):
    from housemind.memory import open_database
    from housemind.memory.symbolic import SymbolicMemory
    from housemind.scheduler import remember_facts

    db = open_database(f"sqlite:///{tmp_path / 'home.db'}")
    symbolic = SymbolicMemory(db)
    result = parse_paragraph(HEADLINE, now=NOW, tz="Europe/Berlin")
    remember_facts(symbolic, result.facts, told_by="owner")
    remember_facts(symbolic, result.facts, told_by="owner")  # idempotent
    facts = {(f.predicate, f.value) for f in symbolic.facts(subject="owner")}
    assert ("wakes_at", "07:00") in facts and ("leaves_for_work_at", "07:00") in facts
    assert ("wakes_at_rrule", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0") in facts
    assert len(symbolic.facts(subject="owner")) == 4


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("water the plants every day at 9am", "I'll water the plants every day at 09:00."),
        ("vacuum every other Thursday at 4pm", "I'll vacuum every other Thursday at 16:00."),
        ("make coffee every weekday at 6:45", "I'll make coffee every weekday at 06:45."),
        (
            "clean the oven on the first Monday of the month",
            "I'll clean the oven on the first Monday of every month at 09:00.",
        ),
        (
            "pay the cleaner on the 15th of every month",
            "I'll pay the cleaner on the 15th of every month at 09:00.",
        ),
        ("open the window every 2 hours", "I'll open the window every 2 hours."),
        ("mop every other day at 8pm", "I'll mop every other day at 20:00."),
        (
            "wipe the table every day by 20:00",
            "I'll wipe the table every day, done by 20:00, starting around 19:50.",
        ),
        (
            "charge the vacuum tomorrow by 5pm",
            "I'll charge the vacuum on Tuesday 21 October 2025, done by 17:00, starting around "
            "16:30.",
        ),
        (
            "charge the vacuum tomorrow at 9am",
            "I'll charge the vacuum on Tuesday 21 October 2025 at 09:00.",
        ),
        (
            "remind me to call mom every sunday at 18:00",
            "I'll remind you to call mom every Sunday at 18:00.",
        ),
        (
            "remind me to take my pills at 9pm",
            "I'll remind you to take your pills on Monday 20 October 2025 at 21:00.",
        ),
        (
            "ask me what to buy when you go shopping every day at 18:30",
            "I'll ask you every day at 18:30 what to buy when I go shopping; your answers go "
            "on the shopping list.",
        ),
        (
            "never run the dishwasher after 10:30 pm",
            "I won't run the dishwasher between 22:30 and 07:00.",
        ),
        ("don't vacuum on Sundays", "I won't vacuum on Sundays."),
        (
            "make sure my gym clothes are washed by Sunday at noon every week",
            "I'll have the gym clothes washed every Sunday by 12:00, starting around 11:00.",
        ),
        ("feed the dog at 7:30 am and 6 pm", "I'll feed the dog every day at 07:30 and 18:00."),
    ],
)
def test_read_back(text, said):
    [instr] = parse_paragraph(text, now=NOW, tz="Europe/Berlin").instructions
    assert read_back(instr) == said


def test_conflicts_by_deadline_and_priority_and_quiet_hours():
    text = (
        "Have dinner ready by 6pm every day. Vacuum the hall every day at 5:30pm. "
        "Start the dishwasher every night at 10:30pm."
    )
    instrs = parse_paragraph(text, now=NOW, tz="Europe/Berlin").instructions
    conflicts = find_conflicts(instrs, start=NOW, days=7)
    overlap = [c for c in conflicts if c.kind == "overlap"]
    quiet = [c for c in conflicts if c.kind == "quiet_hours"]
    assert len(overlap) == 1 and overlap[0].occurrences == 7
    dinner, vacuum, dishwasher = instrs
    assert overlap[0].keep == dinner.id and overlap[0].move == vacuum.id
    assert "has a deadline" in overlap[0].suggestion and "at 18:00" in overlap[0].suggestion
    assert len(quiet) == 1 and quiet[0].move == dishwasher.id and quiet[0].occurrences == 7
    assert "22:00-07:00" in quiet[0].describe()
    # A later quiet-hours start from the home's preference removes that conflict.
    assert not [
        c for c in find_conflicts(instrs, start=NOW, quiet_hours="23:00-07:00")
        if c.kind == "quiet_hours"
    ]  # fmt: skip
    # Without deadlines, priority decides.
    a = instrs[1].model_copy(update={"priority": 1})
    b = StandingInstruction(text="mop at 17:40 daily", goal="mop", timezone="Europe/Berlin",
                            rrule="RRULE:FREQ=DAILY;BYHOUR=17;BYMINUTE=40", priority=5)  # fmt: skip
    [c] = find_conflicts([a, b], start=NOW, days=1, quiet_hours=None)
    assert c.keep == b.id and "higher priority" in c.suggestion
    assert c.at.strftime("%H:%M") == "17:40" and c.at.tzinfo is not None
    assert find_conflicts([a, b], start=NOW + timedelta(days=30), days=0.1) == []


def test_two_routines_in_one_sentence_and_clear_reasons():
    text = "I wake up at 6:30 and go to work at 8. Feed the cat every 0 days. Water it at 25:00."
    result = parse_paragraph(text, now=NOW, tz="Europe/Berlin")
    assert [(f.predicate, f.value) for f in result.facts] == [
        ("wakes_at", "06:30"),
        ("leaves_for_work_at", "08:00"),
    ]
    assert result.facts[1].rrule.startswith("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;")
    assert "interval of 0" in result.questions[0]
    assert "'25:00' is not a time of day" in result.questions[1]
