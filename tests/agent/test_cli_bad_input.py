"""Bad input gets one clear line that says what to do, a non-zero exit, no traceback, and
nothing stored changes."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.skills import SkillParams, SkillRegistry, skill

runner = CliRunner()
NOW = ["--now", "2026-11-23T06:00"]


def _clean_error(res, *words: str) -> None:
    assert res.exit_code not in (0, None), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert "error:" in res.output
    for w in words:
        assert w in res.output, res.output


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("days", ["-1", "0", "nan", "inf", "-inf"])
def test_run_refuses_days_that_are_not_a_positive_finite_number(tmp_path, days):
    db = tmp_path / "home.db"
    res = runner.invoke(app, ["run", "--db", str(db), "--days", days])
    _clean_error(res, "--days")
    assert not db.exists()


@pytest.mark.parametrize("cmd", [["demo"], ["schedule", "--db", "x.db"]])
def test_other_days_options_refuse_nonsense(tmp_path, cmd):
    res = runner.invoke(app, [*cmd, "--days", "nan"])
    _clean_error(res, "--days")


@pytest.mark.parametrize("text", ["", "   "])
def test_instruct_empty_says_what_to_do(tmp_path, text):
    db = tmp_path / "home.db"
    res = runner.invoke(app, ["instruct", "--db", str(db), *NOW, text])
    _clean_error(res, "empty")
    assert not db.exists()


def _corrupt(tmp_path):
    db = tmp_path / "home.db"
    db.write_bytes(b"this is not a database" * 100)
    return db


@pytest.mark.parametrize(
    "cmd",
    [
        ["instruct", *NOW, "water the plants every day at 9am"],
        ["schedule", *NOW],
        ["tasks"],
        ["instructions", "list"],
        ["safety", "pending"],
        ["memory", "export", "--out", "-"],
    ],
)
def test_a_corrupt_database_is_reported_and_left_alone(tmp_path, cmd):
    db = _corrupt(tmp_path)
    before = _digest(db)
    res = runner.invoke(app, [*cmd, "--db", str(db)])
    _clean_error(res)
    assert _digest(db) == before


@pytest.mark.parametrize(
    "cmd",
    [
        ["instruct", *NOW, "water the plants every day at 9am"],
        ["demo", "--json"],
        ["run", "--days", "1"],
    ],
)
def test_a_db_in_a_missing_folder_says_so(tmp_path, cmd):
    db = tmp_path / "nope" / "home.db"
    res = runner.invoke(app, [*cmd, "--db", str(db)])
    _clean_error(res, "does not exist")
    assert not db.parent.exists()


@pytest.fixture()
def waiting_checkin(tmp_path):
    from housemind.memory import open_database
    from housemind.memory.models import TaskRecord

    db = tmp_path / "home.db"
    database = open_database(f"sqlite:///{db}")
    from datetime import UTC, datetime

    with database.session() as s:
        s.add(
            TaskRecord(
                id="task-1",
                instruction_id=None,
                goal="ask what to buy",
                due_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
                state="waiting",
                result={"waiting_for": "answer", "question": "what should I buy?"},
            )
        )
    database.close()
    return db


def test_answer_refuses_an_empty_answer(waiting_checkin):
    res = runner.invoke(app, ["answer", "task-1", "  ", "--db", str(waiting_checkin)])
    _clean_error(res, "empty")


def test_answer_never_overwrites_an_earlier_answer(waiting_checkin):
    ok = runner.invoke(app, ["answer", "task-1", "eggs and bread", "--db", str(waiting_checkin)])
    assert ok.exit_code == 0, ok.output
    res = runner.invoke(app, ["answer", "task-1", "nothing", "--db", str(waiting_checkin)])
    _clean_error(res, "already answered", "eggs and bread")
    rows = json.loads(runner.invoke(app, ["tasks", "--json", "--db", str(waiting_checkin)]).output)
    assert rows[0]["result"]["answer"] == "eggs and bread"


def test_a_skill_under_a_taken_name_is_an_error_unless_replace():
    reg = SkillRegistry()

    @skill(name="wipe", template="wipe the {surface}", registry=reg)
    class Wipe(SkillParams):
        surface: str

    with pytest.raises(ValueError, match="already registered.*replace=True"):

        @skill(name="wipe", template="wipe down the {surface}", registry=reg)
        class Wipe2(SkillParams):
            surface: str

    @skill(name="wipe", template="wipe down the {surface}", registry=reg, replace=True)
    class Wipe3(SkillParams):
        surface: str

    assert reg.get("wipe").template == "wipe down the {surface}"


def test_a_plugin_cannot_silently_replace_a_builtin():
    from housemind.skills import REGISTRY

    builtin = REGISTRY.get("wipe")
    with pytest.raises(ValueError, match="already registered"):

        @skill(name="wipe", template="wipe the {surface} dry")
        class MyWipe(SkillParams):
            surface: str

    assert REGISTRY.get("wipe") is builtin


@pytest.mark.parametrize(
    "cmd",
    [
        ["instructions", "change", "i-1", "--goal", " "],
        ["memory", "ask", " "],
        ["safety", "check", " "],
        ["bench", "memory", "--events", "0", "--json"],
        ["sim", "record", "--out", "x.gif", "--every", "0"],
    ],
)
def test_more_bad_input_found_as_a_new_user(tmp_path, cmd, waiting_checkin):
    res = runner.invoke(
        app, [*cmd, "--db", str(waiting_checkin)] if cmd[0] in ("instructions", "memory") else cmd
    )
    _clean_error(res)


def test_instruct_says_what_it_cannot_follow(tmp_path):
    db = tmp_path / "home.db"
    text = "Water the garden every evening unless it rained."
    res = runner.invoke(app, ["instruct", "--db", str(db), *NOW, text])
    assert res.exit_code == 0, res.output
    assert "I'll water the garden every day at 18:00." in res.output
    assert "note: I can't follow 'unless it rained' yet" in res.output
    res = runner.invoke(app, ["instruct", "--db", str(tmp_path / "b.db"), *NOW, "--json", text])
    assert "the weather" in json.loads(res.output)["notes"][0]
