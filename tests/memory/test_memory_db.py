from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from memfakes import T0
from sqlalchemy import text

from housemind.memory import Database, Memory, MemoryStoreError, open_database
from housemind.memory.db import schema_diff
from housemind.memory.models import Base, Event


def test_upgrade_fresh_database_creates_all_tables(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    db = open_database(f"sqlite:///{path}")
    try:
        assert path.exists()
        with db.engine.connect() as conn:
            names = {
                r[0]
                for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
            }
        assert set(Base.metadata.tables) <= names
        assert "alembic_version" in names
        assert db.revision() is not None
        assert db.sqlite_path == path
    finally:
        db.close()


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as conn:
        assert schema_diff(conn) == []


def test_sqlite_pragmas(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_session_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(Event(time=T0, kind="x", text="never stored", data={}))
        s.flush()
        raise RuntimeError("boom")
    with db.session() as s:
        assert s.scalar(text("SELECT count(*) FROM events")) == 0


def test_open_is_idempotent_and_data_survives_reopen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'home.db'}"
    m = Memory.open(url)
    m.episodic.record("task", "watered the plants", T0, place="living_room")
    m.symbolic.add_item("shopping", "milk", when=T0)
    m.symbolic.tell("alex", "likes", "tea", kind="preference")
    m.close()
    m2 = Memory.open(url)
    try:
        assert [e.text for e in m2.episodic.between(T0, T0.replace(hour=23))] == [
            "watered the plants"
        ]
        assert [i.item for i in m2.symbolic.items("shopping")] == ["milk"]
        assert m2.symbolic.facts("alex")[0].value == "tea"
    finally:
        m2.close()


def test_default_url_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOUSEMIND_DB", f"sqlite:///{tmp_path / 'env.db'}")
    db = Database()
    assert db.sqlite_path == tmp_path / "env.db"
    monkeypatch.delenv("HOUSEMIND_DB")
    assert Database().url == "sqlite:///housemind.db"


def test_corrupt_file_raises_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "home.db"
    junk = os.urandom(8192)
    path.write_bytes(junk)
    with pytest.raises(MemoryStoreError) as err:
        open_database(f"sqlite:///{path}")
    assert str(path) in str(err.value)
    assert "untouched" in str(err.value)
    assert path.read_bytes() == junk
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home.db"]


def test_damaged_sqlite_file_raises_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "home.db"
    open_database(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")  # fold the WAL into the main file
    con.close()
    data = bytearray(path.read_bytes())
    data[100 : 4096 * 3] = os.urandom(4096 * 3 - 100)  # keep the header, wreck the pages
    path.write_bytes(bytes(data))
    with pytest.raises(MemoryStoreError):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == bytes(data)


def test_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(MemoryStoreError, match="directory"):
        open_database(f"sqlite:///{tmp_path}")


def test_missing_folder_raises_instead_of_creating(tmp_path: Path) -> None:
    with pytest.raises(MemoryStoreError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path / 'nope' / 'home.db'}")
    assert not (tmp_path / "nope").exists()


def test_unreachable_server_raises_with_masked_password() -> None:
    # No server listens on port 1; without the driver installed the error says so instead.
    url = "postgresql+psycopg://robot:s3cret@127.0.0.1:1/housemind?connect_timeout=2"
    with pytest.raises(MemoryStoreError) as err:
        open_database(url)
    assert "s3cret" not in str(err.value)
    assert "***" in str(err.value)


def test_malformed_url_raises() -> None:
    with pytest.raises(MemoryStoreError, match="malformed"):
        Database("not a url")


def test_newer_unknown_revision_raises_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "home.db"
    url = f"sqlite:///{path}"
    m = Memory.open(url)
    m.episodic.record("task", "made tea", T0)
    m.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    con.commit()
    con.close()
    with pytest.raises(MemoryStoreError, match="newer housemind"):
        open_database(url)
    con = sqlite3.connect(path)
    assert con.execute("SELECT text FROM events").fetchall() == [("made tea",)]
    con.close()


def test_tables_from_create_all_are_adopted(tmp_path: Path) -> None:
    # Other packages' tests may build the schema with create_all; opening must not fail.
    url = f"sqlite:///{tmp_path / 'home.db'}"
    db = Database(url)
    Base.metadata.create_all(db.engine)
    with db.session() as s:
        s.add(Event(time=T0, kind="task", text="kept", data={}))
    db.close()
    db = open_database(url)
    try:
        assert db.revision() is not None
        with db.session() as s:
            assert s.scalar(text("SELECT text FROM events")) == "kept"
    finally:
        db.close()


def test_foreign_tables_in_same_file_are_ignored(tmp_path: Path) -> None:
    # LangGraph's SqliteSaver keeps its checkpoints in the same file.
    path = tmp_path / "home.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE checkpoints (thread_id TEXT, data BLOB)")
    con.execute("INSERT INTO checkpoints VALUES ('t1', x'00')")
    con.commit()
    con.close()
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            assert schema_diff(conn) == []
            assert conn.exec_driver_sql("SELECT count(*) FROM checkpoints").scalar() == 1
    finally:
        db.close()


def test_in_memory_database_works() -> None:
    m = Memory.open("sqlite://")
    try:
        m.episodic.record("task", "made tea", T0)
        assert m.episodic.count() == 1
        assert m.db.sqlite_path is None
    finally:
        m.close()
