"""Fixtures for memory tests: real SQLite files under tmp_path (PostgreSQL when configured)."""

from __future__ import annotations

import os

import pytest

from housemind.memory import Database, Memory, open_database


def _pg_url() -> str | None:
    return os.environ.get("HOUSEMIND_TEST_PG_URL")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh database URL for each backend of the conformance suite."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'home.db'}"
    url = _pg_url()
    if not url:
        pytest.skip("set HOUSEMIND_TEST_PG_URL to run the PostgreSQL conformance tests")
    db = Database(url)
    from housemind.memory.models import Base

    with db.engine.begin() as conn:  # start from an empty schema
        Base.metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    db.close()
    return url


@pytest.fixture
def db(db_url: str):
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def mem(db: Database) -> Memory:
    return Memory(db)
