"""The task graph's checkpointer on the project's SQLite file."""

from __future__ import annotations

from housemind.agent.checkpoints import open_checkpointer
from housemind.memory.db import Database


def test_checkpoints_share_the_file_in_wal_mode_without_an_fsync_per_commit(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'home.db'}")
    saver, close = open_checkpointer(db)
    try:
        conn = saver.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # 1 = NORMAL: durable across a killed process in WAL mode (2 = FULL fsyncs each
        # commit; a checkpoint commits twice per graph node)
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1
        saver.setup()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert {"checkpoints", "writes"} <= tables
    finally:
        close()
        db.close()
