"""Helpers of the dashboard's tests: a household with tokens, signing in, a live server."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from housemind.agent.web import DashboardSettings, create_app
from housemind.memory import open_database
from housemind.safety.credentials import Credentials
from housemind.safety.people import Household

#: Needs a person's confirmation (the bath left running), read as a daily chore.
CONFIRM = "run the bath every day at 7:00 and go downstairs"
HOUSEHOLD = (
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to "
    "do my laundry on Saturday, so make sure that it's ready. By the way, check in with me "
    "every Monday to see what I want you to pick up when you do the shopping."
)


@dataclass
class Household3:
    """A home with an owner, a member and a guest, each with a sign-in token."""

    db: Path
    tokens: dict[str, str]


def make_household(db: Path) -> Household3:
    database = open_database(f"sqlite:///{db}")
    people, creds = Household(database), Credentials(database)
    tokens = {}
    for name, role in (("alex", "owner"), ("kim", "member"), ("sam", "guest")):
        people.add(name, role)
        tokens[name] = creds.issue_token(name)
    database.close()
    return Household3(db, tokens)


def sign_in(client, name: str, secret: str) -> str:
    """Sign ``client`` in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = client.post(
        "/login", data={"name": name, "secret": secret, "csrf_token": csrf, "next": "/"}
    )
    assert res.status_code == 200 and res.url.path == "/", res.text[:500]
    token = re.search(r'name="csrf-token" content="([^"]+)"', res.text).group(1)
    client.headers["X-CSRF-Token"] = token
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The dashboard on uvicorn in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, settings: DashboardSettings) -> None:
        import uvicorn

        self.app = create_app(settings)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        t0 = time.monotonic()
        while not self.server.started:
            if time.monotonic() - t0 > 30 or not self.thread.is_alive():
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Robot:
    """A simulated home run in a thread over the dashboard's database (``housemind run``).

    Check-ins wait for a person's answer (no simulated resident answers them); while
    :attr:`watching` is set, the run pauses ``pace_s`` at every subtask so a browser can
    follow it.
    """

    def __init__(self, db: Path, *, pace_s: float = 0.4) -> None:
        from housemind.agent.runtime import HomeRuntime
        from housemind.sim.home import HomeSimEnv

        env = HomeSimEnv(seed=0)
        env.reset(seed=0)
        self.env, self.start, self.pace_s = env, env.clock.now(), pace_s
        self.watching = threading.Event()
        self.events: list[tuple[str, dict]] = []
        self.rt = HomeRuntime(
            env, env.clock, db_url=f"sqlite:///{db}", answerer=None, on_event=self._on_event
        )
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def _on_event(self, kind: str, payload: dict) -> None:
        self.events.append((kind, dict(payload)))
        if kind == "subtask" and self.watching.is_set():
            time.sleep(self.pace_s)

    def run_until(self, **replace: int) -> threading.Thread:
        """Run (in a thread) until the start's day at the given hour/minute."""
        end = self.start.replace(**replace)

        def go() -> None:
            try:
                self.rt.scheduler.invalidate()  # instructions came from the dashboard
                self.rt.run_until(end)
            except BaseException as e:  # noqa: BLE001 - reported by join()
                self.error = e

        self.thread = threading.Thread(target=go, daemon=True)
        self.thread.start()
        return self.thread

    def join(self, timeout: float = 120) -> None:
        assert self.thread is not None
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the run did not finish"
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.rt.close()
