"""The System 1 commands: record, train vla, eval vla, bench executor/vla, --policy."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app

runner = CliRunner()


def _clean_error(res, *words: str) -> None:
    assert res.exit_code not in (0, None), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output and "error:" in res.output
    for w in words:
        assert w in res.output, res.output


def test_record_writes_a_dataset_and_appends(tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "ds"
    args = ["record", "--out", str(out), "--episodes", "1", "--skills", "open,toggle",
            "--homes", "studio", "--furniture-seeds", "none", "--image-size", "32"]  # fmt: skip
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["episodes"] == 2 and rep["successes"] == 2
    assert set(rep["per_skill"]) == {"open", "toggle"}
    info = json.loads((out / "meta/info.json").read_text())
    assert info["codebase_version"] == "v3.0" and info["fps"] == 50
    assert info["features"]["observation.image"]["shape"] == [32, 32, 3]
    again = runner.invoke(app, [*args, "--seed", "1", "--append", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads((out / "meta/info.json").read_text())["total_episodes"] == 4


def test_record_refuses_bad_input_and_keeps_the_dataset(tmp_path):
    out = tmp_path / "ds"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    _clean_error(runner.invoke(app, ["record", "--out", str(out)]), "not empty", "--append")
    _clean_error(runner.invoke(app, ["record", "--out", str(out), "--append"]), "no dataset")
    new = tmp_path / "new"
    _clean_error(
        runner.invoke(app, ["record", "--out", str(new), "--skills", "fly"]), "no instances"
    )
    _clean_error(
        runner.invoke(app, ["record", "--out", str(new), "--furniture-seeds", "x-y"]), "x-y"
    )
    _clean_error(runner.invoke(app, ["record", "--out", str(new), "--episodes", "0"]))
    assert (out / "keep.txt").read_text() == "mine"


def test_train_and_eval_refuse_what_is_not_there(tmp_path):
    _clean_error(
        runner.invoke(app, ["train", "vla", "--data", str(tmp_path), "--out", str(tmp_path / "o")]),
        "no dataset",
    )
    _clean_error(runner.invoke(app, ["eval", "vla", "--checkpoint", str(tmp_path)]), "no VLA model")
    bad = tmp_path / "spec.json"
    bad.write_text("{}")
    _clean_error(runner.invoke(app, ["eval", "vla", "--spec", str(bad)]), "lacks")
    _clean_error(runner.invoke(app, ["bench", "vla", "--backend", "gpu"]), "--backend")
    _clean_error(runner.invoke(app, ["bench", "executor", "--mode", "fiber"]), "--mode")


def test_policy_option_is_checked_and_shown():
    res = runner.invoke(app, ["skills", "--policy", "pick=vla", "--json"])
    assert res.exit_code == 0
    rows = {r["name"]: r["policy"] for r in json.loads(res.output)}
    assert rows["pick"] == "vla" and rows["navigate"] == "scripted"
    _clean_error(runner.invoke(app, ["demo", "--policy", "magic"]), "unknown policy backend")
    _clean_error(runner.invoke(app, ["skills", "--policy", "pick=magic"]), "magic")


@pytest.mark.slow
def test_bench_executor_reports_rate_jitter_and_missed_ticks():
    res = runner.invoke(
        app,
        ["bench", "executor", "--backend", "scripted", "--mode", "thread", "--seconds", "0.5",
         "--no-load", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    row = rep["backends"]["scripted/thread"]
    for key in ("rate_hz", "jitter_p50_ms", "jitter_p99_ms", "missed_ticks", "starved_ticks"):
        assert key in row
    assert row["ticks"] > 0 and row["subtasks"] >= 1
    assert rep["targets"] == {"rate_hz": 200.0, "jitter_p99_ms": 1.0, "missed_ticks": 0}
