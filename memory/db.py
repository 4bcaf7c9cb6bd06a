"""The database: one engine, one URL, one migration history for the whole robot.

:class:`Database` wraps a SQLAlchemy engine. :func:`open_database` is the safe way in: it
checks that the target really is a (healthy) database, refuses databases written by a
newer housemind, and migrates older ones to the current schema with alembic. It never
creates an empty memory in place of one it cannot read.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from housemind.memory.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "DEFAULT_URL",
    "MIGRATIONS_DIR",
    "Database",
    "MemoryStoreError",
    "open_database",
]

logger = logging.getLogger(__name__)

#: Used when neither an explicit URL nor ``$HOUSEMIND_DB`` is given.
DEFAULT_URL = "sqlite:///housemind.db"
#: Alembic script location; inside the package so an installed housemind can migrate.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Long enough to ride out the scheduler, the agent and a LangGraph checkpointer writing
# to the same file; short enough that a stuck writer surfaces as an error, not a hang.
SQLITE_BUSY_TIMEOUT_S = 15.0
_SQLITE_MAGIC = b"SQLite format 3\x00"


class MemoryStoreError(RuntimeError):
    """The memory database cannot be used; the message says what is wrong and what to do."""


def _mask(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        masked = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
        raise MemoryStoreError(
            f"malformed database URL {masked!r}. Use e.g. 'sqlite:///housemind.db' or "
            "'postgresql+psycopg://user:password@host/housemind' (set $HOUSEMIND_DB)."
        ) from None


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def _alembic_config(connection: Connection | None = None) -> Config:
    # alembic is imported lazily: it costs ~0.3 s, and only opening a database needs it.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Keep alembic's own logging setup out of the way: env.py only calls fileConfig when
    # a config file is given, which is never the case here.
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _our_tables() -> set[str]:
    return set(Base.metadata.tables)


class Database:
    """A housemind database (SQLite by default, PostgreSQL for a fleet).

    Creating a ``Database`` does not touch the store; :meth:`open` (or
    :func:`open_database`) checks and migrates it, :meth:`upgrade` only migrates.

    Args:
        url: SQLAlchemy URL. Defaults to ``$HOUSEMIND_DB``, else ``sqlite:///housemind.db``.
        echo: Log every SQL statement (debugging).

    Raises:
        MemoryStoreError: if the URL is malformed or its driver is not installed.
    """

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        raw = url or os.environ.get("HOUSEMIND_DB") or DEFAULT_URL
        self._url = _parse_url(raw)
        self.sqlite_path: Path | None = _sqlite_file(self._url)
        """The SQLite file (for a LangGraph ``SqliteSaver`` on the same file), else None."""
        kwargs: dict[str, Any] = {"echo": echo}
        if self._url.get_backend_name() == "sqlite":
            kwargs["connect_args"] = {
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_S,
            }
            if self.sqlite_path is None:
                # In-memory: every session must see the same single connection.
                kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine: Engine = create_engine(self._url, **kwargs)
        except (NoSuchModuleError, ModuleNotFoundError, ImportError) as e:
            raise MemoryStoreError(
                f"cannot use database {self.url}: its driver is not installed ({e}). Install "
                "it (e.g. 'pip install psycopg[binary]' for postgresql+psycopg://) or use a "
                "sqlite:/// URL."
            ) from None
        if self._url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        """The database URL with any password masked (safe to log and show)."""
        return _mask(self._url)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite database."""
        return self._url.get_backend_name() == "sqlite"

    def __repr__(self) -> str:
        return f"Database({self.url!r})"

    @classmethod
    def open(cls, url: str | None = None, *, echo: bool = False) -> Database:
        """Connect, check the store is a healthy housemind database, migrate it, return it.

        Args:
            url: As for :class:`Database`.
            echo: Log every SQL statement.

        Raises:
            MemoryStoreError: if the target is not a database (a directory, a corrupt or
                foreign file), cannot be reached, or was written by a newer housemind.
        """
        db = cls(url, echo=echo)
        try:
            db.check()
            db.upgrade()
        except BaseException:
            db.close()
            raise
        return db

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def check(self) -> None:
        """Check the store without changing it: reachable, a database, a known revision.

        Raises:
            MemoryStoreError: with what is wrong and what to do.
        """
        from alembic.migration import MigrationContext
        from alembic.script import ScriptDirectory

        if self.sqlite_path is not None:
            self._check_sqlite_file(self.sqlite_path)
        try:
            with self.engine.connect() as conn:
                heads = MigrationContext.configure(conn).get_current_heads()
        except SQLAlchemyError as e:
            raise MemoryStoreError(
                f"cannot open database {self.url}: {_first_line(e)}. Check that the server "
                "is running and reachable and that the URL, user and password are right."
            ) from None
        if not heads:
            return
        script = ScriptDirectory.from_config(_alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        unknown = sorted(h for h in heads if h not in known)
        if unknown:
            raise MemoryStoreError(
                f"database {self.url} is at schema revision {', '.join(unknown)}, which this "
                f"housemind does not know (it knows up to {script.get_current_head()}). It was "
                "probably written by a newer housemind: upgrade housemind, or point "
                "$HOUSEMIND_DB at another database. Nothing was changed."
            )

    def _check_sqlite_file(self, path: Path) -> None:
        if path.is_dir():
            raise MemoryStoreError(
                f"database {self.url}: {path} is a directory, not a database file. Point the "
                f"URL at a file inside it, e.g. sqlite:///{path / 'housemind.db'}."
            )
        if not path.exists():
            if not path.parent.exists():
                raise MemoryStoreError(
                    f"database {self.url}: folder {path.parent} does not exist. Create it, or "
                    "fix the path (a new, empty memory is only created in an existing folder)."
                )
            logger.info("creating a new memory database at %s", path)
            return
        try:
            with path.open("rb") as f:
                header = f.read(len(_SQLITE_MAGIC))
        except OSError as e:
            raise MemoryStoreError(
                f"database {self.url}: cannot read {path}: {e}. Check its permissions."
            ) from None
        # An empty file is what sqlite3 leaves after a connect that wrote nothing.
        if header and header != _SQLITE_MAGIC:
            raise MemoryStoreError(
                f"database {self.url}: {path} is not a SQLite database (it starts with "
                f"{header[:8]!r}). It was left untouched. Restore it from a backup, or move it "
                "aside to start a new, empty memory."
            )
        if not header:
            return
        try:
            raw = sqlite3.connect(str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
            try:
                rows = raw.execute("PRAGMA quick_check").fetchall()
            finally:
                raw.close()
        except sqlite3.DatabaseError as e:
            raise MemoryStoreError(
                f"database {self.url}: {path} is damaged ({e}). It was left untouched. Restore "
                "it from a backup, or try 'sqlite3 FILE .recover'."
            ) from None
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            raise MemoryStoreError(
                f"database {self.url}: {path} failed its integrity check "
                f"({'; '.join(problems[:3])}). It was left untouched. Restore it from a "
                "backup, or try 'sqlite3 FILE .recover'."
            )

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the schema to ``revision`` (default: the newest) with alembic.

        A database whose housemind tables were made by ``Base.metadata.create_all`` (no
        migration history) is stamped as current when its schema matches the models.

        Raises:
            MemoryStoreError: if a migration fails (the transaction is rolled back) or the
                tables exist without history and differ from the models.
        """
        from alembic import command
        from alembic.migration import MigrationContext

        try:
            with self.engine.begin() as conn:
                cfg = _alembic_config(conn)
                if not MigrationContext.configure(conn).get_current_heads():
                    present = _our_tables() & set(inspect(conn).get_table_names())
                    if present:
                        self._adopt_unversioned(conn, cfg, present)
                        return
                command.upgrade(cfg, revision)
        except MemoryStoreError:
            raise
        except SQLAlchemyError as e:
            raise MemoryStoreError(
                f"migrating database {self.url} to {revision} failed: {_first_line(e)}. "
                "Nothing was changed; restore a backup or report this with the message above."
            ) from None

    def _adopt_unversioned(self, conn: Connection, cfg: Config, present: set[str]) -> None:
        from alembic import command

        diff = schema_diff(conn)
        if diff:
            raise MemoryStoreError(
                f"database {self.url} has housemind tables ({', '.join(sorted(present))}) but "
                f"no migration history, and they differ from this housemind's models "
                f"({len(diff)} differences, first: {diff[0]}). Move the file aside or migrate "
                "it by hand; it was left untouched."
            )
        logger.warning("database %s has no migration history; stamping it as current", self.url)
        command.stamp(cfg, "head")

    def revision(self) -> str | None:
        """The schema revision the database is at (None before the first upgrade)."""
        from alembic.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()


def schema_diff(conn: Connection) -> list[Any]:
    """Differences between the database's housemind tables and the ORM models.

    Tables that are not housemind's (e.g. LangGraph checkpoints in the same file) are ignored.

    Args:
        conn: An open connection.

    Returns:
        Alembic ``compare_metadata`` diffs; empty when the schema matches the models.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    ctx = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_name": housemind_tables_only}
    )
    return list(compare_metadata(ctx, Base.metadata))


def housemind_tables_only(name: str | None, type_: str, _parents: dict[str, Any]) -> bool:
    """Alembic ``include_name`` filter: only housemind's tables take part in autogenerate.

    Other tools keep their tables in the same file (LangGraph's checkpointer, APScheduler's
    job store); without this filter autogenerate would emit ``drop_table`` for them.
    """
    return type_ != "table" or name in Base.metadata.tables


def open_database(url: str | None = None, *, echo: bool = False) -> Database:
    """Open, check and migrate the housemind database at ``url``; see :meth:`Database.open`.

    Raises:
        MemoryStoreError: if the store cannot be used safely.
    """
    return Database.open(url, echo=echo)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        # WAL: readers (planner, CLI) never block the writer and vice versa.
        cur.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable in WAL mode except for the last transactions on power loss.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    finally:
        cur.close()


def _first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__
