"""Live updates by server-sent events, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading

import httpx
from webhelpers import LiveServer, sign_in

from housemind.agent.web import DashboardSettings, non_loopback_warning


def _events(response):
    """Parsed ``update`` events of an SSE stream."""
    kind = None
    for line in response.iter_lines():
        if line.startswith("event:"):
            kind = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and kind == "update":
            yield json.loads(line.split(":", 1)[1])


def test_the_stream_sends_an_update_when_something_changes(household):
    settings = DashboardSettings(db=household.db, semantic_memory=False, poll_s=0.05)
    with (
        LiveServer(settings) as server,
        httpx.Client(base_url=server.url, timeout=20, follow_redirects=True) as c,
    ):
        assert c.get("/api/live").status_code == 401  # no session, no stream
        sign_in(c, "sam", household.tokens["sam"])
        presser = httpx.Client(base_url=server.url, timeout=20, follow_redirects=True)
        sign_in(presser, "kim", household.tokens["kim"])
        with c.stream("GET", "/api/live") as res:
            assert res.headers["content-type"].startswith("text/event-stream")
            events = _events(res)
            first = next(events)
            assert first["estop"]["engaged"] is False and first["pending_approvals"] == 0
            t = threading.Timer(0.2, lambda: presser.post("/api/estop", json={"reason": "cat"}))
            t.start()
            second = next(events)
            assert second["estop"]["engaged"] and second["estop"]["pressed_by"] == "kim"
            assert second["marks"]["audit"] != first["marks"]["audit"]
        presser.close()


def test_binding_beyond_loopback_is_explained():
    assert non_loopback_warning("127.0.0.1") is None
    assert non_loopback_warning("::1") is None and non_loopback_warning("localhost") is None
    msg = non_loopback_warning("0.0.0.0")
    assert "anyone who can reach" in msg and "HTTPS" in msg
