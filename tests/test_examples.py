"""Every example in examples/ runs, offline, and does what its docstring says."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _main(name: str):
    return runpy.run_path(str(EXAMPLES / name))["main"]


@pytest.mark.slow
def test_week_at_home_from_a_paragraph():
    out = _main("week_at_home.py")(days=7)
    assert out["chores_due"] == 21 and out["chores_done"] == 21 and out["chores_failed"] == 0
    assert len(out["refused"]) == 1 and "stove" in out["refused"][0]


def test_custom_planner_is_registered_and_selected_by_name():
    out = _main("custom_planner.py")()
    assert out["planner"] == "patrol"
    assert out["chores_done"] == out["chores_due"] == 1
    assert out["chores"][0]["subtasks"] >= 4 and out["objects_known"] > 0


def test_a_custom_model_backend_plans_learns_from_a_rejection_and_hands_over():
    out = _main("custom_model_backend.py")()
    assert out["status"] == "done" and out["planner"] == "keyword-model"
    assert [s["text"] for s in out["subtasks"]] == ["go to the fridge", "open the fridge"]
    assert out["model_calls"] == 2  # the first plan was rejected and came back with the reason
    assert out["planner_fallbacks"] == 0
    other = _main("custom_model_backend.py")("tidy the living room")
    assert other["planner"] == "symbolic" and other["planner_fallbacks"] >= 1
    assert "cannot plan" in other["decisions"][0]["fallbacks"][0]


@pytest.mark.slow
def test_dashboard_and_a_simulated_run_together():
    pytest.importorskip("fastapi", reason="the dashboard needs the 'web' extra")
    out = _main("dashboard_live.py")(
        days=0.5, port=0, pace_s=0, linger=False, semantic_memory=False
    )
    assert out["url"].startswith("http://127.0.0.1:") and len(out["token"]) >= 30
    tidy = [c for c in out["chores"] if c["goal"] == "tidy the living room"]
    assert tidy and tidy[0]["status"] == "done"
    # what the dashboard reported after the run: the run's own status, read from the db
    assert out["status"]["phase"] == "finished" and out["status"]["has_world"]
    assert any(c["task_id"] + ".gif" in out["replays"] for c in tidy)


@pytest.mark.slow
def test_a_third_party_skill_package_is_planned_with_from_a_standing_instruction(tmp_path):
    # Make the package's entry point visible without pip: a dist-info folder on the path
    # says what `pip install examples/skill_package` would.
    pkg = EXAMPLES / "skill_package"
    dist = tmp_path / "housemind_dusting-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: housemind-dusting\n")
    (dist / "entry_points.txt").write_text("[housemind.skills]\ndusting = housemind_dusting\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(pkg)])}
    res = subprocess.run(
        [sys.executable, str(pkg / "demo.py"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["plugins"] == ["dusting"]
    # housemind names no "dust" skill: the planner found it in the registry
    assert "dust" in out["skills_used"]
    assert out["chores_done"] == out["chores_due"] == 1 and out["shelf_dirt"] < 0.1


def test_every_example_has_a_test():
    tested = {
        "week_at_home.py",
        "custom_planner.py",
        "custom_model_backend.py",
        "dashboard_live.py",
    }
    assert {p.name for p in EXAMPLES.glob("*.py")} <= tested
    assert {p.name for p in (EXAMPLES / "skill_package").glob("*.py")} == {"demo.py"}
