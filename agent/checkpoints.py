"""LangGraph checkpointers on the project database: SQLite or PostgreSQL.

The task graph's checkpoints live in the same database as everything else, so one backup
(or one ``DROP SCHEMA`` of a home) covers them:

- a SQLite file: ``langgraph-checkpoint-sqlite``'s ``SqliteSaver`` on the same file;
- PostgreSQL: ``langgraph-checkpoint-postgres``'s ``PostgresSaver`` on a connection of its
  own that starts in the home's schema (``search_path``), so its tables
  (``checkpoints``, ``checkpoint_blobs``, ``checkpoint_writes``, ``checkpoint_migrations``)
  are per home like every other table.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from typing import Any

from housemind.memory.db import Database, MemoryStoreError

__all__ = ["open_checkpointer"]


def open_checkpointer(db: Database, *, session: Any = None) -> tuple[Any, Callable[[], None]]:
    """A LangGraph checkpointer on ``db``, set up, and the function that closes it.

    On PostgreSQL the checkpoint tables are created or migrated here (``setup()``); call
    this while holding the home's runtime lock, so two runtimes never migrate them at once.

    Args:
        db: The project database.
        session: PostgreSQL only: an open psycopg connection (autocommit) to write on,
            the runtime's lock session (``agent.home_lock``); it stays open (its owner
            closes it). Default: a new connection, closed by the returned function.

    Raises:
        MemoryStoreError: an in-memory SQLite database or another backend, the PostgreSQL
            checkpointer is not installed, or the server refuses.
    """
    if db.sqlite_path is not None:
        from langgraph.checkpoint.sqlite import SqliteSaver

        conn = sqlite3.connect(str(db.sqlite_path), check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        # As for the project's own tables (memory.db): in WAL mode NORMAL survives a killed
        # process and loses at most the last transactions on power loss, without an fsync
        # per commit (a checkpoint is two commits per graph node: a month's chores
        # spent about 8 s of 80 waiting on the disk with FULL, benchmarks/RESULTS.md).
        conn.execute("PRAGMA synchronous=NORMAL")
        return SqliteSaver(conn), conn.close
    if db.is_postgres:
        return _postgres(db, session)
    raise MemoryStoreError(
        f"LangGraph checkpoints need a database file or a server; {db.url} is neither. Use a "
        "sqlite:///PATH file or a postgresql+psycopg:// URL."
    )


def _postgres(db: Database, session: Any) -> tuple[Any, Callable[[], None]]:
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
    except ImportError as e:
        raise MemoryStoreError(
            f"PostgreSQL checkpoints need langgraph-checkpoint-postgres ({e}); install "
            "housemind's 'postgres' extra: pip install 'housemind[postgres]'"
        ) from None
    # What PostgresSaver requires of its connection: autocommit, rows as dicts (it asks
    # for them per cursor too), and no server-side prepared statements.
    own = session is None
    conn = (
        db.raw_connection(autocommit=True, prepare_threshold=0, row_factory=dict_row)
        if own
        else session
    )
    try:
        saver = PostgresSaver(conn)
        saver.setup()
    except Exception as e:
        if own:
            with contextlib.suppress(Exception):
                conn.close()
        raise MemoryStoreError(
            f"cannot set up LangGraph checkpoints in {db.url}: {e}. The database user needs "
            "to create tables in the home's schema."
        ) from None
    return saver, (conn.close if own else lambda: None)
