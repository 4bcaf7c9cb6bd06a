"""`housemind run`: any home, one timeline with `instruct`, extending a finished run."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.runs import RunError, run_simulated

runner = CliRunner()
LINES = ["close the fridge every day at 9:00"]


def test_run_in_another_home(tmp_path):
    out = run_simulated(tmp_path / "h.db", days=1, home="studio", instructions=LINES)
    assert out["home"] == "studio"
    assert out["chores_due"] == 1 and out["chores"][0]["kind"] == "chore"
    assert out["chores"][0]["finished_at"] is not None


def test_unknown_home_is_named(tmp_path):
    with pytest.raises(RunError, match="unknown home 'castle'.*studio"):
        run_simulated(tmp_path / "h.db", days=1, home="castle", instructions=LINES)


def test_a_stored_run_is_resumed_in_its_own_home_only(tmp_path):
    db = tmp_path / "h.db"
    run_simulated(db, days=1, home="studio", instructions=LINES)
    with pytest.raises(RunError, match="--home studio --seed 0"):
        run_simulated(db, days=2, home="house")


def test_instructions_from_instruct_fire_in_the_run(tmp_path):
    # `instruct` counts from its own now (the wall clock by default): the run starts on
    # that day instead of HomeSim's default Monday, so the two timelines meet.
    db = tmp_path / "h.db"
    res = runner.invoke(
        app,
        ["instruct", "--db", str(db), "--now", "2026-12-03T11:40", "--tz", "Europe/Berlin",
         "close the fridge every day at 9am"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = run_simulated(db, days=2)
    assert out["started"] == "2026-12-03T06:00:00+01:00"
    # 09:00 on Dec 3 was before the instruction was given; Dec 4 at 09:00 is the first
    assert [c["due"] for c in out["chores"]] == ["2026-12-04T09:00:00+01:00"]
    assert out["chores_done"] == 1


def test_days_on_a_finished_run_extends_it(tmp_path):
    db = tmp_path / "h.db"
    first = run_simulated(db, days=1, instructions=LINES)
    assert first["chores_due"] == 1 and not first["extended"]
    again = run_simulated(db, days=1)
    assert again["chores_due"] == 1 and "already ran" in again["note"]
    more = run_simulated(db, days=3)
    assert more["extended"] and more["chores_due"] == 3 and more["chores_done"] == 3
    assert more["until"] == "2026-11-26T06:00:00+00:00"


def test_run_cli_json_has_the_home_and_kind(tmp_path):
    f = tmp_path / "i.txt"
    f.write_text("Close the fridge every day at 9am. I wake up at 7 am.\n")
    res = runner.invoke(
        app,
        ["run", "--db", str(tmp_path / "h.db"), "--days", "1", "--home", "one_bedroom",
         "--instructions", str(f), "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["home"] == "one_bedroom" and out["chores_done"] == 1
    assert {"checkins_asked", "checkins_answered"} <= set(out)


@pytest.mark.slow
def test_a_routine_told_between_runs_is_lived_from_the_extension_on(tmp_path):
    # Day 1: nothing said of the routine, so the house's adult is out at work at noon as
    # their own routine has it, and cooking for an empty house is refused. Then the person
    # says they have lunch at home; the extension's resident lives it and lunch is cooked.
    db = tmp_path / "h.db"
    lunch = ["have lunch ready by 12:30 every day"]
    first = run_simulated(db, days=1, home="house", instructions=lunch)
    assert [c["status"] for c in first["chores"] if c["goal"] == "make lunch"] == ["denied"]
    more = run_simulated(db, days=2, instructions=["I have lunch at 12:30."])
    day2 = [c for c in more["chores"] if c["goal"] == "make lunch" and c["due"] >= "2026-11-24"]
    assert day2 and day2[0]["status"] == "done"
