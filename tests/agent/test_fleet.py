"""Homes running together on one PostgreSQL server: each keeps to its own schema (tasks,
memory, LangGraph checkpoints), and `housemind bench fleet` measures it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.fleet_bench import HOME_PREFIX, home_instructions, verify_home
from housemind.memory import database_url, drop_home, list_homes, open_database
from housemind.scheduler import TaskQueue

runner = CliRunner()


def _threads_and_tasks(url: str) -> tuple[set[str], set[str]]:
    db = open_database(url)
    try:
        # the standing instructions' tasks (a check-in's answer also queues shopping chores)
        tasks = {t.id for t in TaskQueue(db.session).list() if t.instruction_id is not None}
        conn = db.raw_connection()
        try:
            threads = {r[0] for r in conn.execute("SELECT DISTINCT thread_id FROM checkpoints")}
        finally:
            conn.close()
    finally:
        db.close()
    return threads, tasks


@pytest.mark.postgres
@pytest.mark.slow
def test_fleet_bench_runs_homes_together_each_in_its_own_schema(pg_server):
    res = runner.invoke(
        app, ["bench", "fleet", "--db", pg_server, "--homes", "2", "--days", "1", "--keep",
              "--json"],
    )  # fmt: skip
    try:
        assert res.exit_code == 0, res.output
        out = json.loads(res.output)
        # 4 instructions a day in each home, plus the shopping chores their check-ins queue
        assert out["chores_done"] >= 8 and out["claims"] >= 8
        # every chore that fell due was done, but for at most each home's last put-away
        # (a delivery that arrives as the run ends), and none was claimed without running
        assert out["chores_due"] - out["chores_done"] <= 2
        assert out["claims"] == out["chores_done"], (out["claims"], out["chores_done"])
        assert out["no_chore_twice"] and out["homes_isolated"]
        assert out["claim_ms_p50"] > 0 and out["chores_per_s"] > 0 and out["load_avg_after"]
        # look at the kept homes directly, not through the benchmark's own check
        urls = [database_url(pg_server, home_id=f"{HOME_PREFIX}{i}") for i in range(2)]
        (threads0, tasks0), (threads1, tasks1) = map(_threads_and_tasks, urls)
        assert len(tasks0) == len(tasks1) == 4
        assert tasks0 <= threads0 and tasks1 <= threads1  # each graph ran in its own home
        assert not threads0 & threads1
        assert not tasks0 & tasks1  # each home's instructions are its own
        assert verify_home(urls[0], home_instructions(0), 1)["foreign_tasks"] == 0
        # and the check does see another home's instructions when they are there
        assert verify_home(urls[0], home_instructions(1), 1)["foreign_tasks"] == 8
    finally:
        for i in range(2):
            drop_home(pg_server, f"{HOME_PREFIX}{i}")
    assert not [h for h in list_homes(pg_server) if h.startswith(HOME_PREFIX)]


def test_fleet_bench_needs_postgres(tmp_path):
    res = runner.invoke(app, ["bench", "fleet", "--db", str(tmp_path / "x.db"), "--quick"])
    assert res.exit_code != 0 and "needs a PostgreSQL server" in res.output
