"""Fixtures of the dashboard's tests: a household, signed-in clients, a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="the dashboard needs the 'web' extra")

from fastapi.testclient import TestClient  # noqa: E402
from webhelpers import Household3, make_household, sign_in  # noqa: E402

from housemind.agent.web import DashboardSettings, create_app  # noqa: E402


@pytest.fixture(autouse=True)
def _words_only(monkeypatch):
    # The dashboard, not the sentence model, is under test: the hazard KB matches words.
    monkeypatch.setenv("HOUSEMIND_SAFETY_EMBEDDINGS", "0")
    import housemind.safety.gate as gate

    monkeypatch.setattr(gate, "_MONITOR", None)


@pytest.fixture
def household(tmp_path) -> Household3:
    return make_household(tmp_path / "home.db")


@pytest.fixture
def app(household):
    return create_app(DashboardSettings(db=household.db, semantic_memory=False, poll_s=0.05))


@pytest.fixture
def client_for(app, household) -> Iterator:
    """``client_for("alex")``: a TestClient signed in as that person, CSRF header set."""
    clients = []

    def make(name: str | None) -> TestClient:
        c = TestClient(app)
        clients.append(c)
        if name is not None:
            sign_in(c, name, household.tokens[name])
        return c

    yield make
    for c in clients:
        c.close()
