"""`--db` takes a SQLite file or a database URL, `--home-id` a home on a shared server."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app

runner = CliRunner()
NOW = ["--now", "2026-11-23T06:00"]
WATER = "water the plants every day at 9am"


def _clean_error(res, *words: str) -> None:
    assert res.exit_code not in (0, None), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output and "error:" in res.output
    for w in words:
        assert w in res.output, res.output


def test_a_sqlite_url_and_the_environment_work_like_a_path(tmp_path):
    db = tmp_path / "home.db"
    res = runner.invoke(app, ["instruct", "--db", f"sqlite:///{db}", *NOW, WATER])
    assert res.exit_code == 0, res.output
    by_path = runner.invoke(app, ["instructions", "list", "--json", "--db", str(db)])
    by_env = runner.invoke(app, ["instructions", "list", "--json"], env={"HOUSEMIND_DB": str(db)})
    assert by_path.exit_code == 0 and by_env.exit_code == 0, by_env.output
    assert json.loads(by_path.output) == json.loads(by_env.output)
    assert json.loads(by_path.output)[0]["text"] == WATER


@pytest.mark.parametrize(
    ("db", "extra", "words"),
    [
        ("mysql://robot:secret@host/db", [], "unsupported database"),
        ("HOME.db", ["--home-id", "alice"], "one file per home"),
        ("postgresql://h/db", ["--home-id", "Alice"], "lowercase"),
        ("postgresql://robot:secret@127.0.0.1:1/x?connect_timeout=2", [], "cannot open"),
    ],
)
@pytest.mark.parametrize("cmd", [["tasks"], ["instruct", *NOW, WATER], ["run", "--days", "1"]])
def test_unusable_db_options_are_one_clear_line(tmp_path, monkeypatch, cmd, db, extra, words):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, [*cmd, "--db", db, *extra])
    _clean_error(res, words)
    assert "secret" not in res.output  # a URL's password is never shown
    assert list(tmp_path.iterdir()) == []  # nothing was created


@pytest.mark.postgres
def test_commands_on_a_home_of_a_shared_server(pg_server, new_pg_home):
    from housemind.memory import Database, list_homes

    url = new_pg_home()
    home = Database(url).home_id
    on = ["--db", pg_server, "--home-id", home]
    res = runner.invoke(app, ["instruct", *on, *NOW, WATER])
    assert res.exit_code == 0, res.output
    listed = runner.invoke(app, ["instructions", "list", "--json", *on])
    assert [i["text"] for i in json.loads(listed.output)] == [WATER]
    # the same home named in the URL instead of --home-id
    in_url = runner.invoke(app, ["instructions", "list", "--json", "--db", url])
    assert json.loads(in_url.output) == json.loads(listed.output)
    for cmd in (["tasks", "--json"], ["schedule", "--json", *NOW], ["safety", "pending"]):
        res = runner.invoke(app, [*cmd, *on])
        assert res.exit_code == 0, (cmd, res.output)
    exported = runner.invoke(app, ["memory", "export", "--out", "-", *on])
    assert exported.exit_code == 0 and json.loads(exported.output)
    # a home that is not there is an error for reading commands, and is not created
    missing = runner.invoke(app, ["tasks", "--db", pg_server, "--home-id", f"{home}_typo"])
    _clean_error(missing, f"no home '{home}_typo'")
    assert f"{home}_typo" not in list_homes(pg_server)
    # a demo refuses to start a new home in one that exists
    demo = runner.invoke(app, ["demo", "--json", *on])
    _clean_error(demo, "already exists", "--home-id")
