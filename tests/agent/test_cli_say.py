"""``housemind say``: what it stores, what it prints, and bad input."""

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.memory import Memory, open_database
from housemind.scheduler import InstructionStore, TaskQueue, parse_instruction

runner = CliRunner()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def home(tmp_path):
    """A database with one standing chore, fired and claimed (running)."""
    path = tmp_path / "home.db"
    db = open_database(f"sqlite:///{path}")
    instr = parse_instruction("put the banana on the counter every day at 9am", now=NOW, tz="UTC")
    InstructionStore(db.session).add(instr)
    queue = TaskQueue(db.session)
    queue.fire(instr, NOW)
    task = queue.claim_next(NOW)
    db.close()
    return path, task.id


def _corrections(path):
    db = open_database(f"sqlite:///{path}")
    try:
        return Memory(db).corrections()
    finally:
        db.close()


def _clean_error(res, code, *words):
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output and "error:" in res.output
    for w in words:
        assert w in res.output, res.output


def test_say_corrects_the_running_chore(home):
    path, task_id = home
    res = runner.invoke(app, ["say", "no, put it in the fridge", "--db", str(path), "--by", "kim"])
    assert res.exit_code == 0, res.output
    assert "replans 'put the banana on the counter'" in res.output and task_id in res.output
    (c,) = _corrections(path)
    assert (c.subject, c.value, c.told_by) == (
        "put the banana on the counter",
        "no, put it in the fridge",
        "kim",
    )
    db = open_database(f"sqlite:///{path}")
    (ev,) = Memory(db).episodic.for_task(task_id, kind="correction")
    db.close()
    assert ev.data["fact_id"] == c.id and ev.data["text"] == "no, put it in the fridge"


def test_say_json_without_a_running_chore(tmp_path):
    path = tmp_path / "home.db"
    open_database(f"sqlite:///{path}").close()
    res = runner.invoke(app, ["say", "that's not trash", "--db", str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["running"] is False and out["task_id"] is None and out["by"] == "owner"
    assert [c.value for c in _corrections(path)] == ["that's not trash"]


@pytest.mark.parametrize("text", ["", "   "])
def test_say_empty_says_what_to_do(home, text):
    path, _ = home
    res = runner.invoke(app, ["say", text, "--db", str(path)])
    _clean_error(res, 2, "empty", "top drawer")
    assert _corrections(path) == []


def test_say_without_a_database_says_so(tmp_path):
    missing = tmp_path / "nope.db"
    res = runner.invoke(app, ["say", "no, the drawer", "--db", str(missing)])
    _clean_error(res, 2, "no database", "housemind run")
    assert not missing.exists()


def test_say_about_an_unknown_task(home):
    path, _ = home
    res = runner.invoke(app, ["say", "no, the drawer", "--db", str(path), "--task", "task-x"])
    _clean_error(res, 2, "no task 'task-x'", "housemind tasks")
    assert _corrections(path) == []


def test_say_refused_by_the_safety_gate_keeps_nothing(home):
    path, _ = home
    res = runner.invoke(app, ["say", "no, give the dog the chocolate", "--db", str(path)])
    _clean_error(res, 4, "not noted")
    res = runner.invoke(app, ["say", "no, give the dog the chocolate", "--db", str(path), "--json"])
    assert res.exit_code == 4 and json.loads(res.output)["refused"] is True
    assert _corrections(path) == []


def test_a_named_thing_that_is_not_trash_holds_at_once(tmp_path):
    path = tmp_path / "home.db"
    open_database(f"sqlite:///{path}").close()
    res = runner.invoke(app, ["say", "don't throw the newspaper away", "--db", str(path)])
    assert res.exit_code == 0, res.output
    db = open_database(f"sqlite:///{path}")
    (pref,) = Memory(db).symbolic.facts(predicate="not_trash")
    db.close()
    assert (pref.subject, pref.kind, pref.told_by) == ("newspaper", "preference", "owner")
