"""Fixtures shared by every test folder: fresh homes on the test PostgreSQL server.

Tests marked ``postgres`` run against ``$HOUSEMIND_TEST_PG_URL`` (CI starts a server and
sets it, see .ci/run) and are skipped without it. Each test gets homes of its own (schemas
``home_t_<random>``), dropped afterwards, so tests never see each other's rows and can run
beside the memory conformance suite, which uses the server's default schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest


@pytest.fixture
def pg_server() -> str:
    """The test server's URL, or skip."""
    url = os.environ.get("HOUSEMIND_TEST_PG_URL")
    if not url:
        pytest.skip("set HOUSEMIND_TEST_PG_URL to run the PostgreSQL tests")
    return url


@pytest.fixture
def new_pg_home(pg_server: str) -> Iterator[Callable[[], str]]:
    """``new_pg_home()`` -> the URL of a new, empty home; every one is dropped at the end."""
    from housemind.memory import database_url, drop_home

    made: list[str] = []

    def make() -> str:
        home = f"t_{uuid.uuid4().hex[:12]}"
        made.append(home)
        return database_url(pg_server, home_id=home)

    yield make
    for home in made:
        drop_home(pg_server, home)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path) -> Callable[[], str]:
    """``any_db()`` -> the URL of a new home: a SQLite file, or a home on the test server."""
    if request.param == "sqlite":
        count = iter(range(1_000_000))
        return lambda: f"sqlite:///{tmp_path / f'home{next(count)}.db'}"
    return request.getfixturevalue("new_pg_home")
