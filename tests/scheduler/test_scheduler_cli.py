from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.instructions import give_instructions
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.scheduler import read_back
from housemind.scheduler.agenda import parse_now

runner = CliRunner()
HEADLINE = (
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to "
    "do my laundry on Saturday, so make sure that it's ready. By the way, check in with me "
    "every Monday to see what I want you to pick up when you do the shopping."
)
NOW = ["--now", "2025-10-20T08:00", "--tz", "Europe/Berlin"]


def test_instruct_dry_run_json_contract():
    res = runner.invoke(app, ["instruct", "--dry-run", "--json", *NOW, HEADLINE])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["questions"] == []
    dinner = out["instructions"][0]
    assert {"text", "kind", "goal", "rrule", "timezone", "deadline", "next_runs"} <= set(dinner)
    assert dinner["kind"] == "deadline_chore" and dinner["deadline"] is True
    assert dinner["rrule"] == "RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0"
    assert dinner["timezone"] == "Europe/Berlin"
    assert dinner["next_runs"][:2] == ["2025-10-20T17:15:00+02:00", "2025-10-21T17:15:00+02:00"]
    assert len(dinner["next_runs"]) == 5
    assert [i["kind"] for i in out["instructions"]] == ["deadline_chore", "deadline_chore",
                                                         "check_in"]  # fmt: skip
    assert {f["predicate"] for f in out["facts"]} == {"wakes_at", "leaves_for_work_at"}
    for run in dinner["next_runs"]:
        assert datetime.fromisoformat(run).tzinfo is not None


def test_instruct_file_one_json_object_per_line(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("water the plants every day at 9am\n\ndo the laundry sometimes\n")
    res = runner.invoke(app, ["instruct", "--dry-run", "--json", *NOW, "--file", str(path)])
    assert res.exit_code == 0, res.output
    first, second = (json.loads(line) for line in res.output.splitlines())
    assert first["instructions"][0]["goal"] == "water the plants" and first["questions"] == []
    assert second["instructions"] == [] and "how often" in second["questions"][0]


def test_instruct_needs_text_or_file():
    assert runner.invoke(app, ["instruct", "--dry-run"]).exit_code == 2
    res = runner.invoke(app, ["instruct", "--dry-run", "--now", "yesterday", "x every day"])
    assert res.exit_code == 2 and "ISO 8601" in res.output


class FakeMonitor:
    """A safety monitor with fixed opinions (the real one is tested in tests/safety)."""

    audit = None  # the gate then writes to the database's audit log

    def check_instruction(self, text: str, **_: object) -> SafetyVerdict:
        if "stove" in text:
            return SafetyVerdict(
                verdict=Verdict.DENY,
                reasons=["stoves are never left on unattended"],
                rules=["fire"],
            )
        if "knife" in text:
            return SafetyVerdict(verdict=Verdict.CONFIRM, reasons=["sharp"], rules=["sharp"])
        return SafetyVerdict(verdict=Verdict.ALLOW)


def test_instruct_stores_reads_back_and_schedule_shows_the_week(tmp_path, capsys):
    db = tmp_path / "home.db"
    out = give_instructions(
        [HEADLINE + " Sharpen the knife every Sunday at 10am. Vacuum every day at 5:30pm."],
        db=db, now=parse_now("2025-10-20T08:00", "Europe/Berlin"), tz="Europe/Berlin",
        actor="alex", monitor=FakeMonitor(),
    )  # fmt: skip
    assert out.exit_code == 0
    said = [read_back(i) for i in out.stored]
    assert "I'll have dinner ready every day by 18:00, starting around 17:15." in said
    assert "Sharpen the knife every Sunday at 10am" in out.needs_approval
    assert [i.enabled for i in out.stored if "knife" in i.text] == [False]
    assert "'make dinner' and 'vacuum' overlap" in out.conflicts[0]["text"]

    res = runner.invoke(app, ["schedule", "--db", str(db), "--now", "2025-10-20T08:00", "--json"])
    assert res.exit_code == 0, res.output
    week = json.loads(res.output)
    goals = [r["goal"] for r in week["runs"]]
    assert goals.count("make dinner") == 7 and goals.count("do the laundry") == 1
    assert "sharpen the knife" not in goals and len(week["paused"]) == 1
    first_dinner = next(r for r in week["runs"] if r["goal"] == "make dinner")
    assert first_dinner["at"] == "2025-10-20T17:15:00+02:00"
    assert first_dinner["deadline"] == "2025-10-20T18:00:00+02:00"
    # Issue #11: the laundry is ready by Saturday 08:00; it is noisy, so instead of starting
    # at 06:00 while people sleep it runs on Friday evening, and the move is reported.
    laundry = next(r for r in week["runs"] if r["goal"] == "do the laundry")
    assert laundry["at"] == "2025-10-24T20:00:00+02:00"
    assert laundry["deadline"] == "2025-10-25T08:00:00+02:00"
    assert [c["kind"] for c in week["conflicts"]] == ["overlap", "quiet_hours"]
    assert "starts at 20:00 on Fri 24 Oct" in week["conflicts"][1]["text"]
    table = runner.invoke(app, ["schedule", "--db", str(db), "--now", "2025-10-20T08:00"])
    assert table.exit_code == 0 and "make dinner" in table.output

    from housemind.memory import open_database
    from housemind.memory.symbolic import SymbolicMemory

    database = open_database(f"sqlite:///{db}")
    facts = SymbolicMemory(database).facts(subject="alex", predicate="wakes_at")
    database.close()
    assert [(f.value, f.told_by) for f in facts] == [("07:00", "alex")]


def test_a_denied_instruction_stores_nothing(tmp_path, capsys):
    db = tmp_path / "home.db"
    out = give_instructions(
        ["Water the plants every day at 9am. Leave the stove on every day at 8am."],
        db=db, now=parse_now(None, "UTC"), tz="UTC", actor="owner", monitor=FakeMonitor(),
    )  # fmt: skip
    assert out.exit_code == 1 and out.stored == []
    assert out.denied[0]["reasons"] == ["stoves are never left on unattended"]
    # the refusal is audited; no instruction is stored
    res = runner.invoke(app, ["instructions", "list", "--db", str(db), "--json"])
    assert res.exit_code == 0 and json.loads(res.output) == []


@pytest.mark.slow
def test_instruct_with_the_real_safety_monitor(tmp_path):
    db = tmp_path / "home.db"
    res = runner.invoke(
        app,
        ["instruct", "--db", str(db), *NOW,
         "Water the plants every day at 9am. Leave the stove on while I'm at work every day."],
    )  # fmt: skip
    assert res.exit_code == 1 and "refused" in res.output and "nothing was stored" in res.output
    res = runner.invoke(app, ["instruct", "--db", str(db), *NOW, "--json", HEADLINE])
    assert res.exit_code == 0, res.output
    # The last line: the safety monitor's model may print a loading bar first.
    assert len(json.loads(res.output.strip().splitlines()[-1])["stored"]) == 3


def test_bench_schedule_quick_json():
    res = runner.invoke(app, ["bench", "schedule", "--quick", "--json", "--instructions", "200"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["store"]["instructions"] == 200
    assert out["store"]["next_runs_computed"] == 1000
    month = out["month"]
    assert month["tasks_fired"] == month["tasks_done"] > 0 and month["tasks_skipped"] == 0


def test_berlin_now_default_is_aware():
    assert parse_now(None, "Europe/Berlin").tzinfo is not None
    assert parse_now("2025-10-20T08:00", "Europe/Berlin") == datetime(
        2025, 10, 20, 8, tzinfo=ZoneInfo("Europe/Berlin")
    )


def test_instruct_dry_run_json_new_kinds():
    text = (
        "Remind me to take my pills at 9pm. Never run the dishwasher after 10:30 pm. "
        "I wake up and go to work at 7:00 a.m. Check in with me every Monday about the shopping."
    )
    res = runner.invoke(app, ["instruct", "--dry-run", "--json", *NOW, text])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    reminder, rule, check_in = out["instructions"]
    assert (reminder["kind"], reminder["goal"], reminder["person"]) == (
        "reminder",
        "remind owner to take their pills",
        "owner",
    )
    assert reminder["next_runs"] == ["2025-10-20T21:00:00+02:00"]
    assert reminder["read_back"] == (
        "I'll remind you to take your pills on Monday 20 October 2025 at 21:00."
    )
    assert (rule["kind"], rule["window"], rule["next_runs"], rule["due"]) == (
        "constraint",
        "* 22:30-07:00",
        [],
        [],
    )
    assert rule["read_back"] == "I won't run the dishwasher between 22:30 and 07:00."
    assert check_in["next_runs"][0] == "2025-10-20T18:30:00+02:00"  # home after work
    assert [f["read_back"] for f in out["facts"]] == [
        "Noted: you wake up at 07:00 on weekdays.",
        "Noted: you leave for work at 07:00 on weekdays.",
    ]
    text_out = runner.invoke(app, ["instruct", "--dry-run", *NOW, text]).output
    assert "I'll remind you to take your pills" in text_out and "I'll I" not in text_out
