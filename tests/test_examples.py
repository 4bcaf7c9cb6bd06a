"""Every example in examples/ runs, offline, and does what its docstring says."""

from __future__ import annotations

import runpy
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


def test_every_example_has_a_test():
    tested = {"week_at_home.py", "custom_planner.py"}
    assert {p.name for p in EXAMPLES.glob("*.py")} <= tested
