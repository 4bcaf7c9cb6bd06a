"""One runtime per home: a lock held for the life of a ``HomeRuntime``.

Two runtimes started for the same home would both dispatch its chores: claiming a pending
task is atomic, but a runtime's start-up recovery resumes every task it finds ``running``,
and a task another live runtime is running looks exactly like one a killed runtime left
behind. So a runtime first takes its home's lock and keeps it until it closes:

- **PostgreSQL**: a session advisory lock (``pg_try_advisory_lock``) keyed by the home's
  schema, held by the runtime's own session, the one its LangGraph checkpoints are written
  on. The server releases it when that session ends, so a runtime killed with SIGKILL (or
  whose host dies: TCP keepalives, ~25 s) frees its home for the next one, and a runtime
  that lost the session cannot write another checkpoint either. It works across machines.
  Connect directly or through a session-pooling proxy: a transaction-pooling proxy
  (PgBouncer's ``pool_mode=transaction``) cannot keep a session lock.
- **SQLite**: an exclusive lock on ``<database file>.lock`` (the ``filelock`` package:
  ``flock`` on Unix), which the kernel releases when the process dies. A note beside it
  (``.lock.json``) says which process holds it. Keep the file on a local disk: file locks
  over NFS are not reliable.

A second runtime either refuses at once (the default: :class:`HomeBusyError` names the
holder) or waits as a standby and takes over when the first one stops (``wait_s``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from housemind.memory.db import Database, MemoryStoreError, advisory_key

__all__ = ["HomeBusyError", "HomeLock", "HomeLockLostError", "acquire_home_lock"]

logger = logging.getLogger(__name__)

#: How often a waiting runtime (a standby) tries the lock again.
POLL_S = 0.5

#: How long a refused runtime waits for the holder's note: the holder writes it just after
#: taking the file lock, so a runtime started at the same moment may look in between.
NOTE_WAIT_S = 2.0


class HomeBusyError(RuntimeError):
    """Another runtime runs this home; the message names it and says what to do."""


class HomeLockLostError(RuntimeError):
    """The runtime lost its home's lock (the database connection that held it broke).

    Another runtime may take the home over now, so this one must stop dispatching.
    """


def _who() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class HomeLock:
    """The lock of one home (see the module doc); use :func:`acquire_home_lock`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        if db.sqlite_path is not None:
            self.home = f"the home in {db.sqlite_path}"
        else:
            self.home = f"home {db.home_id or '(default)'!r} in {db.url}"

    def try_acquire(self) -> bool:
        """Take the lock if it is free; return whether this runtime holds it now."""
        raise NotImplementedError

    def holder(self) -> str | None:
        """Who holds the lock, in words (None when unknown)."""
        raise NotImplementedError

    def ensure_held(self) -> None:
        """Raise :class:`HomeLockLostError` if the lock is no longer held."""

    def release(self) -> None:
        """Let the lock go (idempotent)."""
        raise NotImplementedError

    def acquire(self, wait_s: float | None = 0.0) -> None:
        """Take the lock, waiting up to ``wait_s`` seconds (None: as long as it takes).

        Raises:
            HomeBusyError: the lock is still held by another runtime after ``wait_s``.
        """
        deadline = None if wait_s is None else time.monotonic() + max(0.0, wait_s)
        said = False
        while not self.try_acquire():
            if deadline is not None and time.monotonic() >= deadline:
                raise HomeBusyError(self._busy_message(waited=wait_s or 0.0))
            if not said:
                logger.warning(
                    "%s is run by another runtime (%s); standing by to take over when it stops",
                    self.home,
                    self.holder() or "holder unknown",
                )
                said = True
            time.sleep(POLL_S if deadline is None else min(POLL_S, deadline - time.monotonic()))
        if said:
            logger.warning("took over %s", self.home)

    def _busy_message(self, *, waited: float) -> str:
        holder = self.holder()
        waited_text = f" after waiting {waited:g} s" if waited else ""
        return (
            f"{self.home[0].upper()}{self.home[1:]} is already run by another housemind runtime"
            f"{' (' + holder + ')' if holder else ''}{waited_text}. Two runtimes for one home "
            "would do its chores twice, so this one does not start. Stop the other one, or "
            "start this one as a standby that takes over when the other stops (housemind run "
            "--standby)."
        )


class PostgresHomeLock(HomeLock):
    """A session advisory lock on a connection of its own (see the module doc)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.key = advisory_key(f"housemind:runtime:{db.schema or ''}")
        self._conn: Any = None

    @property
    def connection(self) -> Any:
        """The psycopg connection (session) that holds the lock, for the checkpointer."""
        return self._connect()

    def _connect(self) -> Any:
        if self._conn is None:
            who = _who()
            self._conn = self._unreachable_is_clear(
                self.db.raw_connection,
                autocommit=True,
                prepare_threshold=0,  # what LangGraph's PostgresSaver asks of its connection
                # pg_stat_activity shows it; holder() reads it back for the busy message.
                application_name=f"housemind runtime pid {who['pid']} on {who['host']}"[:63],
                # A dead host's connection (and lock) is dropped in ~25 s, not hours.
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
            )
        return self._conn

    def _unreachable_is_clear(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        import psycopg

        try:
            return call(*args, **kwargs)
        except psycopg.OperationalError as e:
            raise MemoryStoreError(
                f"cannot take the lock of {self.home}: the server is not reachable ({e}). "
                "Check that it is running, then start again."
            ) from None

    def try_acquire(self) -> bool:  # noqa: D102
        conn = self._connect()
        row = self._unreachable_is_clear(
            lambda: conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        )
        return bool(row[0])

    def holder(self) -> str | None:  # noqa: D102
        hi, lo = (self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF
        try:
            row = (
                self._connect()
                .execute(
                    "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                    "AND l.granted AND l.objsubid = 1 AND l.classid::bigint = %s "
                    "AND l.objid::bigint = %s AND l.database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())",
                    (hi, lo),
                )
                .fetchone()
            )
        except Exception:  # noqa: BLE001 - only for a message
            return None
        if row is None:
            return None
        name, addr, start = row
        where = f" from {addr}" if addr else ""
        since = f", connected since {start:%Y-%m-%d %H:%M:%S %Z}" if start else ""
        return f"{name or 'unnamed client'}{where}{since}"

    def ensure_held(self) -> None:  # noqa: D102
        try:
            self._connect().execute("SELECT 1").fetchone()
        except Exception as e:  # noqa: BLE001 - any failure means the session (and lock) is gone
            raise HomeLockLostError(
                f"lost the lock of {self.home} ({e}); another runtime may "
                "run it now, so this one stops. Restart it (it waits or refuses as usual)."
            ) from None

    def release(self) -> None:  # noqa: D102
        if self._conn is not None:
            # Closing the session releases its advisory locks.
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


class FileHomeLock(HomeLock):
    """An exclusive lock on ``<database file>.lock`` (see the module doc)."""

    def __init__(self, db: Database, path: Path) -> None:
        from filelock import FileLock

        super().__init__(db)
        self.path = path.with_name(path.name + ".lock")
        self.note = path.with_name(path.name + ".lock.json")
        self._lock = FileLock(str(self.path), thread_local=False)

    def try_acquire(self) -> bool:  # noqa: D102
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        # Written whole and then renamed, so a reader never sees half a note.
        tmp = self.note.with_name(f"{self.note.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            tmp.write_text(json.dumps(_who()))
            os.replace(tmp, self.note)
        return True

    def holder(self) -> str | None:  # noqa: D102
        deadline = time.monotonic() + NOTE_WAIT_S
        while True:
            try:
                who = json.loads(self.note.read_text())
                return f"pid {who['pid']} on {who['host']}, since {who['since']}"
            except (OSError, ValueError, KeyError, TypeError):
                if time.monotonic() >= deadline:
                    return f"the process holding {self.path}; it wrote no note of who it is"
                time.sleep(0.05)

    def release(self) -> None:  # noqa: D102
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self.note.unlink()
            self._lock.release(force=True)


def acquire_home_lock(db: Database, *, wait_s: float | None = 0.0) -> HomeLock | None:
    """Take the runtime lock of ``db``'s home (see the module doc).

    Args:
        db: The home's database.
        wait_s: How long to wait for another runtime to stop: 0 refuses at once, None
            waits as long as it takes (a standby).

    Returns:
        The held lock, or None for an in-memory SQLite database (one process only).

    Raises:
        HomeBusyError: another runtime holds the lock (after ``wait_s``).
    """
    lock: HomeLock
    if db.is_postgres:
        lock = PostgresHomeLock(db)
    elif db.sqlite_path is not None:
        lock = FileHomeLock(db, db.sqlite_path)
    else:
        return None
    try:
        lock.acquire(wait_s)
    except BaseException:
        lock.release()
        raise
    return lock
