import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app

runner = CliRunner()


def test_help_imports_no_heavy_library():
    code = (
        "import sys, housemind.agent.cli\n"
        "heavy = ['langgraph', 'litellm', 'torch', 'transformers', 'sqlalchemy',"
        " 'housemind.sim.home', 'numpy']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []


def test_help_lists_commands():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("demo", "skills", "safety", "memory", "tasks"):
        assert cmd in res.output


def test_skills_json():
    res = runner.invoke(app, ["skills", "--json"])
    assert res.exit_code == 0
    names = {s["name"] for s in json.loads(res.output)}
    assert {"navigate", "pick", "place", "open", "close", "toggle"} <= names


def test_safety_check_json_contract(tmp_path):
    res = runner.invoke(app, ["safety", "check", "--json", "put the fork in the microwave"])
    assert res.exit_code == 4  # 0 allow, 3 confirm, 4 deny (issue #12)
    v = json.loads(res.output)
    assert set(v) == {"verdict", "reasons", "rules"} and v["verdict"] == "deny"
    f = tmp_path / "lines.txt"
    f.write_text("tidy the living room\nleave the oven on while I'm at work\n")
    res = runner.invoke(app, ["safety", "check", "--json", "--file", str(f)])
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["verdict"] for x in lines] == ["allow", "deny"] and res.exit_code == 4
    bad = runner.invoke(app, ["safety", "check", "--file", str(tmp_path / "nope.txt")])
    assert bad.exit_code == 2 and "no such file" in bad.output


@pytest.mark.slow
def test_demo_json_then_tasks_and_memory(tmp_path):
    db = tmp_path / "home.db"
    res = runner.invoke(app, ["demo", "--seed", "1", "--json", "--db", str(db)])
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)
    for key in (
        "chores_due",
        "chores_done",
        "chores_failed",
        "subtasks",
        "safety_events",
        "sim_seconds",
        "wall_seconds",
    ):
        assert key in s
    assert s["chores_done"] == s["chores_due"] == 3
    assert s["safety_events"] >= 1 and s["instructions_refused"]

    tasks = json.loads(runner.invoke(app, ["tasks", "--db", str(db), "--json"]).output)
    assert [t["state"] for t in tasks] == ["done"] * 3
    assert all(t["dispatch_count"] == 1 for t in tasks)

    res = runner.invoke(
        app, ["memory", "ask", "--db", str(db), "--json", "what is on the shopping list?"]
    )
    ans = json.loads(res.output)
    assert set(ans) >= {"answer", "evidence"}

    again = runner.invoke(app, ["demo", "--db", str(db)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_missing_database_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["tasks", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "no database" in res.output


def test_instructions_list_pause_resume_change_delete(tmp_path):
    db = tmp_path / "home.db"
    res = runner.invoke(
        app,
        [
            "instruct",
            "--db",
            str(db),
            "--now",
            "2026-11-23T06:00:00+00:00",
            "tidy the living room every day at 9:00",
        ],
    )
    assert res.exit_code == 0, res.output
    (row,) = json.loads(
        runner.invoke(app, ["instructions", "list", "--db", str(db), "--json"]).output
    )
    iid = row["id"]
    assert row["enabled"] and "tidy the living room" in row["read_back"]
    assert "paused" in runner.invoke(app, ["instructions", "pause", iid, "--db", str(db)]).output
    (row,) = json.loads(
        runner.invoke(app, ["instructions", "list", "--db", str(db), "--json"]).output
    )
    assert row["enabled"] is False
    assert "active" in runner.invoke(app, ["instructions", "resume", iid, "--db", str(db)]).output
    out = runner.invoke(
        app,
        [
            "instructions",
            "change",
            iid,
            "--db",
            str(db),
            "--rrule",
            "RRULE:FREQ=DAILY;BYHOUR=10;BYMINUTE=0",
        ],
    )
    assert out.exit_code == 0 and "10:00" in out.output
    bad = runner.invoke(app, ["instructions", "change", iid, "--db", str(db), "--rrule", "nope"])
    assert bad.exit_code == 2
    assert runner.invoke(app, ["instructions", "delete", iid, "--db", str(db)]).exit_code == 0
    gone = runner.invoke(app, ["instructions", "pause", iid, "--db", str(db)])
    assert gone.exit_code == 2 and "no instruction" in gone.output
