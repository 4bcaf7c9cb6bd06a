"""``housemind bench sim --quick --json``: the keys and sane values (not timings)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from housemind.agent.cli import app

runner = CliRunner()


def test_bench_sim_quick_json_contract():
    res = runner.invoke(app, ["bench", "sim", "--quick", "--json", "--instances", "1"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    for key in (
        "steps_per_s",
        "render_ms",
        "render_ms_p95",
        "render128_ms",
        "week_wall_s",
        "expert_success",
        "targets",
        "met",
        "machine",
        "home",
    ):
        assert key in out, key
    assert out["steps_per_s"] > 0 and out["week_wall_s"] >= 0
    assert 0 < out["render_ms"] <= out["render_ms_p95"]
    assert out["render128_ms"] > 0
    skills = out["expert_success"]
    issue_skills = {"navigate", "pick", "place", "open", "close", "toggle", "fill", "pour"}
    assert issue_skills | {"wash", "wipe", "load", "unload", "fold"} <= set(skills)
    assert all(0.0 <= v <= 1.0 for v in skills.values())
    assert set(out["met"]) == {"steps_per_s", "render_ms", "week_wall_s", "expert_success"}
    assert out["week"]["sim_days"] == 1.0


def test_bench_sim_rejects_zero_instances():
    res = runner.invoke(app, ["bench", "sim", "--quick", "--instances", "0"])
    assert res.exit_code == 2 and "--instances" in res.output
