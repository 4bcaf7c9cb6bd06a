"""The command line's side of the dashboard: serve, tokens, the stop, who may edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner
from webhelpers import free_port

from housemind.agent.cli import app
from housemind.memory import open_database
from housemind.safety.credentials import Credentials
from housemind.safety.estop import EmergencyStop

runner = CliRunner()


def _cli(*args: str):
    return runner.invoke(app, list(args))


def test_serve_keeps_policy_and_checks_its_options(tmp_path):
    res = _cli("serve", "--help")
    assert res.exit_code == 0 and "dashboard" in res.output and "policy" in res.output
    assert _cli("serve", "policy", "--help").exit_code == 0
    db = str(tmp_path / "h.db")
    res = _cli("serve", "--db", db, "--port", "70000")
    assert res.exit_code == 2 and "--port must be 0-65535" in res.output
    res = _cli("serve", "--db", db, "--tz", "Mars/Olympus")
    assert res.exit_code == 2 and "Mars/Olympus" in res.output
    res = _cli("serve", "--db", str(tmp_path / "nope" / "h.db"))
    assert res.exit_code == 2 and "does not exist" in res.output


@pytest.mark.slow
def test_serve_starts_the_dashboard_on_loopback(tmp_path):
    db, port = tmp_path / "h.db", free_port()
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "housemind", "serve", "--db", str(db), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = []
        t0 = time.monotonic()
        while not any("http://127.0.0.1" in ln for ln in lines):
            assert time.monotonic() - t0 < 60 and proc.poll() is None, "".join(lines)
            lines.append(proc.stderr.readline())
        text = "".join(lines)
        assert "nobody can sign in yet" in text and "warning" not in text
        # The address is printed as the server starts; on a busy machine it may take a
        # moment more to accept connections.
        deadline = time.monotonic() + 30
        while True:
            try:
                res = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
        assert res.status_code == 303 and res.headers["location"].startswith("/login")
        assert httpx.get(f"http://127.0.0.1:{port}/login").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_tokens_passwords_and_the_stop_from_the_command_line(tmp_path, monkeypatch):
    db = str(tmp_path / "h.db")
    assert _cli("people", "token", "alex", "--db", db).exit_code == 2  # nobody yet
    assert _cli("people", "add", "alex", "--role", "owner", "--db", db).exit_code == 0
    assert _cli("people", "add", "sam", "--role", "guest", "--db", db).exit_code == 0
    res = _cli("people", "token", "alex", "--db", db)
    assert res.exit_code == 0
    token = res.stdout.strip().splitlines()[0]
    database = open_database(f"sqlite:///{db}")
    assert Credentials(database).verify("alex", token).role == "owner"
    res = runner.invoke(
        app, ["people", "password", "sam", "--db", db], input="long enough pw\nlong enough pw\n"
    )
    assert res.exit_code == 0 and Credentials(database).verify("sam", "long enough pw")
    res = runner.invoke(app, ["people", "password", "sam", "--db", db], input="short\nshort\n")
    assert res.exit_code == 2 and "too short" in res.output
    assert _cli("safety", "stop", "--by", "sam", "--db", db).exit_code == 0
    assert EmergencyStop(database).engaged
    res = _cli("safety", "release", "--by", "sam", "--db", db)
    assert res.exit_code == 2 and "guest" in res.output
    assert _cli("safety", "release", "--by", "alex", "--db", db).exit_code == 0
    assert not EmergencyStop(database).engaged
    database.close()


def test_guests_cannot_edit_instructions_from_the_command_line(tmp_path):
    db = str(tmp_path / "h.db")
    res = _cli("instruct", "--db", db, "--json", "water the plants every day at 9am")
    iid = json.loads(res.output)["stored"][0]["id"]
    assert _cli("people", "add", "alex", "--role", "owner", "--db", db).exit_code == 0
    assert _cli("people", "add", "sam", "--role", "guest", "--db", db).exit_code == 0
    for action in ("pause", "delete"):
        res = _cli("instructions", action, iid, "--db", db, "--actor", "sam")
        assert res.exit_code == 4 and "only an owner or a member" in res.output, res.output
    res = _cli("instructions", "pause", iid, "--db", db, "--actor", "mallory")
    assert res.exit_code == 4 and "not one of them" in res.output
    assert _cli("instructions", "pause", iid, "--db", db, "--actor", "alex").exit_code == 0
    assert _cli("instructions", "delete", iid, "--db", db, "--actor", "alex").exit_code == 0
