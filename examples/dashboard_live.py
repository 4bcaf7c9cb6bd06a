"""A simulated home and its dashboard together: watch the robot from a browser.

A household paragraph and a tidy-up chore are given (through the same library call as the
dashboard's talk page), the dashboard starts on 127.0.0.1, and a simulated run goes in
this process: open the printed address, sign in as ``alex`` with the printed token, and
watch the chore progress on "Home now" (the run pauses ``--pace`` seconds at every
subtask so a person can follow it), answer Monday's check-in on "Talk", press STOP, look
at the history and its replays. The run and the dashboard share only the database, as
``housemind run`` and ``housemind serve`` in two terminals would. Run it::

    python examples/dashboard_live.py                  # then open http://127.0.0.1:8080/
    python examples/dashboard_live.py --days 2 --pace 1 --port 8090
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from housemind.agent.instructions import give_instructions
from housemind.agent.replay import ReplayRecorder
from housemind.agent.runtime import HomeRuntime
from housemind.agent.web import DashboardSettings, create_app
from housemind.memory import open_database
from housemind.safety.credentials import Credentials
from housemind.safety.people import Household
from housemind.sim.home import HomeSimEnv

PARAGRAPH = (
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to "
    "do my laundry on Saturday, so make sure that it's ready. By the way, check in with me "
    "every Monday to see what I want you to pick up when you do the shopping. "
    "Please tidy the living room every day at 9am."
)


def start_dashboard(
    db: Path, *, host: str = "127.0.0.1", port: int = 8080, **settings: Any
) -> tuple[uvicorn.Server, str]:
    """The dashboard on uvicorn in a thread; returns the server and its address."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    app = create_app(DashboardSettings(db=db, **settings))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://{host}:{sock.getsockname()[1]}"


def main(
    days: float = 1.0,
    seed: int = 0,
    db: Path | None = None,
    port: int = 8080,
    pace_s: float = 0.4,
    linger: bool = True,
    semantic_memory: bool = True,
) -> dict[str, Any]:
    """Set up the home, start the dashboard, run ``days`` simulated days; the run summary.

    Returns the summary plus ``url``, ``token`` (alex's), ``status`` (what the dashboard
    reported after the run) and ``replays`` (GIFs recorded).
    """
    tmp = tempfile.TemporaryDirectory(prefix="housemind-live-")
    db = db or Path(tmp.name) / "home.db"
    replays = db.parent / "replays"
    database = open_database(f"sqlite:///{db}")
    Household(database).add("alex", "owner")
    token = Credentials(database).issue_token("alex")
    database.close()

    env = HomeSimEnv(seed=seed)
    env.reset(seed=seed)
    start = env.clock.now()
    told = give_instructions([PARAGRAPH], db=db, now=start, tz="UTC", actor="alex")
    for instr in told.stored:
        print("heard:", instr.text)
    server, url = start_dashboard(
        db, port=port, replays_dir=replays, semantic_memory=semantic_memory
    )
    print(f"dashboard: {url}/  — sign in as alex with the token {token}")

    recorder = ReplayRecorder(env, replays, every=25)

    def on_event(kind: str, payload: dict[str, Any]) -> None:
        recorder.on_event(kind, payload)
        if kind == "subtask" and pace_s > 0:
            time.sleep(pace_s)  # so a person can follow the chore in the browser

    try:
        # answerer=None: check-ins wait for an answer from the dashboard's talk page.
        with HomeRuntime(
            recorder.env, env.clock, db_url=f"sqlite:///{db}", answerer=None, on_event=on_event
        ) as rt:
            out = rt.run_until(start + timedelta(days=days)).as_dict()
        with httpx.Client(base_url=url, follow_redirects=True, timeout=30) as c:
            page = c.get("/login").text
            csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            c.post("/login", data={"name": "alex", "secret": token, "csrf_token": csrf})
            out["status"] = c.get("/api/status").json()["status"]
        out.update(url=url, token=token, replays=sorted(p.name for p in replays.glob("*.gif")))
        print(
            f"ran {days:g} simulated days: {out['chores_done']} of {out['chores_due']} chores "
            f"done, {len(out['replays'])} replays in {replays}"
        )
        if linger:
            print("the dashboard stays up; Ctrl-C stops")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        time.sleep(0.3)
        tmp.cleanup()
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=float, default=1.0, help="simulated days to run")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--db", type=Path, default=None, help="keep the home in this file")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--pace", type=float, default=0.4, help="seconds to pause at each subtask")
    a = p.parse_args()
    main(days=a.days, seed=a.seed, db=a.db, port=a.port, pace_s=a.pace)
