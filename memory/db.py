"""The database: one engine, one URL, one migration history for the whole robot.

:class:`Database` wraps a SQLAlchemy engine. :func:`open_database` is the safe way in: it
checks that the target really is a (healthy) database, refuses databases written by a
newer housemind, and migrates older ones to the current schema with alembic. It never
creates an empty memory in place of one it cannot read.
"""

from __future__ import annotations

import hashlib
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
    "HOME_ID_PATTERN",
    "MIGRATIONS_DIR",
    "Database",
    "MemoryStoreError",
    "advisory_key",
    "database_url",
    "drop_home",
    "list_homes",
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

#: A home id: it names the home's PostgreSQL schema, ``home_<id>`` (see docs/fleet.md).
HOME_ID_PATTERN = re.compile(r"[a-z0-9_]{1,40}")
#: Prefix of every home's schema; ``list_homes`` finds homes by it.
HOME_SCHEMA_PREFIX = "home_"
_HOME_ID_QUERY = "home_id"


class MemoryStoreError(RuntimeError):
    """The memory database cannot be used; the message says what is wrong and what to do."""


def _mask(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        masked = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
        raise MemoryStoreError(
            f"malformed database URL {masked!r}. Use e.g. 'sqlite:///housemind.db' or "
            "'postgresql+psycopg://user:password@host/housemind' (set $HOUSEMIND_DB)."
        ) from None


def _check_home_id(home_id: str) -> str:
    if not HOME_ID_PATTERN.fullmatch(home_id):
        raise MemoryStoreError(
            f"home id {home_id!r} is not valid: use 1-40 lowercase letters, digits or "
            "underscores (e.g. 'alice' or 'flat_12'); it names the PostgreSQL schema "
            f"{HOME_SCHEMA_PREFIX}<id> that holds the home's tables"
        )
    return home_id


def _home_schema(home_id: str) -> str:
    return HOME_SCHEMA_PREFIX + home_id


def advisory_key(name: str) -> int:
    """A PostgreSQL advisory-lock key (signed 64-bit) for ``name``, the same in every process.

    A cryptographic hash, not ``hash()`` (salted per process) nor a 32-bit checksum (two
    homes colliding would lock each other out).
    """
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def database_url(target: str | os.PathLike[str], *, home_id: str | None = None) -> str:
    """The database URL for a command's ``--db``: a SQLite file path or a database URL.

    A path (anything without ``://``) becomes ``sqlite:///PATH``. ``postgresql://`` and
    ``postgres://`` mean psycopg 3 (``postgresql+psycopg://``), the driver LangGraph's
    PostgreSQL checkpointer uses. ``home_id`` selects one home on a shared PostgreSQL server
    (its own schema, see :class:`Database`); it may also be given as ``?home_id=ID`` in the
    URL, but not differently in both places.

    Args:
        target: A SQLite file path, or a ``sqlite:///`` or ``postgresql+psycopg://`` URL.
        home_id: The home on a shared PostgreSQL server.

    Returns:
        The URL (with any home id in its query), ready for :func:`open_database`.

    Raises:
        MemoryStoreError: a malformed URL, another database or driver, a bad home id, a
            home id for SQLite (a SQLite file holds one home), or two different home ids.
    """
    text = os.fspath(target)
    if not text.strip():
        raise MemoryStoreError(
            "--db is empty: give a SQLite file (e.g. home.db) or a database URL "
            "(e.g. postgresql+psycopg://user:password@host/housemind)"
        )
    if "://" not in text:
        if home_id is not None:
            raise MemoryStoreError(
                f"--home-id {home_id!r} applies to PostgreSQL databases (one schema per home); "
                f"the SQLite file {text} holds one home: use one file per home instead"
            )
        return f"sqlite:///{text}"
    url = _parse_url(text)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "sqlite":
        if home_id is not None or _HOME_ID_QUERY in url.query:
            raise MemoryStoreError(
                f"a home id applies to PostgreSQL databases (one schema per home); the SQLite "
                f"database {_mask(url)} holds one home: use one file per home instead"
            )
        return url.render_as_string(hide_password=False)
    if url.drivername != "postgresql+psycopg":
        raise MemoryStoreError(
            f"unsupported database {_mask(url)}: housemind runs on SQLite (a file path or "
            "sqlite:///PATH) or PostgreSQL through psycopg 3 (postgresql+psycopg://user:"
            "password@host/dbname)"
        )
    in_url = url.query.get(_HOME_ID_QUERY)
    if isinstance(in_url, tuple):
        raise MemoryStoreError(f"{_mask(url)} gives home_id more than once; give it once")
    if home_id is not None and in_url is not None and home_id != in_url:
        raise MemoryStoreError(
            f"--home-id {home_id!r} and home_id={in_url!r} in the URL differ; give one of them"
        )
    chosen = home_id if home_id is not None else in_url
    if chosen is not None:
        url = url.update_query_dict({_HOME_ID_QUERY: _check_home_id(chosen)})
    return url.render_as_string(hide_password=False)


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

    **Homes on a shared PostgreSQL server.** A URL with ``?home_id=ID`` (see
    :func:`database_url`) puts every table of that home, alembic's version table and
    LangGraph's checkpoint tables included, in the schema ``home_<ID>``: each connection
    starts with ``search_path`` set to that schema alone, so no query names a home and none
    can reach another home's rows. The schema is created on first open.

    Args:
        url: SQLAlchemy URL. Defaults to ``$HOUSEMIND_DB``, else ``sqlite:///housemind.db``.
        echo: Log every SQL statement (debugging).

    Raises:
        MemoryStoreError: if the URL is malformed or its driver is not installed.
    """

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        raw = url or os.environ.get("HOUSEMIND_DB") or DEFAULT_URL
        parsed = _parse_url(raw)
        home = parsed.query.get(_HOME_ID_QUERY)
        if isinstance(home, tuple):
            raise MemoryStoreError(f"{_mask(parsed)} gives home_id more than once; give it once")
        self.home_id: str | None = None if home is None else _check_home_id(home)
        """The home on a shared server (``?home_id=`` in the URL), else None."""
        self._url = parsed.difference_update_query([_HOME_ID_QUERY])
        self._shown = parsed  # what messages show: the URL as given (password masked)
        self.schema: str | None = None
        """The home's PostgreSQL schema (``home_<id>``), else None (the server's default)."""
        self._schema_ready = False
        if self.home_id is not None:
            if self._url.get_backend_name() != "postgresql":
                raise MemoryStoreError(
                    f"home_id in {_mask(parsed)}: a home id applies to PostgreSQL databases "
                    "(one schema per home); use one SQLite file per home instead"
                )
            self.schema = _home_schema(self.home_id)
        self.sqlite_path: Path | None = _sqlite_file(self._url)
        """The SQLite file (for a LangGraph ``SqliteSaver`` on the same file), else None."""
        kwargs: dict[str, Any] = {"echo": echo}
        # Extra DBAPI connect arguments, shared by the engine and raw_connection().
        self._connect_args: dict[str, Any] = {}
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
            if self._url.get_backend_name() == "postgresql":
                self._connect_args = self._postgres_connect_args()
                kwargs["connect_args"] = dict(self._connect_args)
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

    def _postgres_connect_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {}
        if "application_name" not in self._url.query:
            name = "housemind" + (f" home {self.home_id}" if self.home_id else "")
            args["application_name"] = name
        if self.schema is not None:
            # The schema alone: not even "public", so nothing of another home (or of a
            # housemind that ran without a home id) is visible by accident.
            options = f"-c search_path={self.schema}"
            given = self._url.query.get("options")
            if isinstance(given, str) and given:
                options = f"{given} {options}"
            args["options"] = options
        return args

    @property
    def url(self) -> str:
        """The database URL with any password masked (safe to log and show)."""
        return _mask(self._shown)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite database."""
        return self._url.get_backend_name() == "sqlite"

    @property
    def is_postgres(self) -> bool:
        """Whether this is a PostgreSQL database."""
        return self._url.get_backend_name() == "postgresql"

    def raw_connection(self, *, home: bool = True, **overrides: Any) -> Any:
        """A new DBAPI connection outside the pool, with this database's settings.

        For tools that need their own connection to the same database (LangGraph's
        ``PostgresSaver``, the runtime's home lock). The caller closes it.

        Args:
            home: Start in the home's schema (``search_path``) when there is a home id.
            **overrides: DBAPI connect arguments (psycopg: ``autocommit=True`` ...).
        """
        cargs, cparams = self.engine.dialect.create_connect_args(self.engine.url)
        cparams.pop("context", None)  # SQLAlchemy's own type adapters
        cparams.update(self._connect_args)
        if not home and self.schema is not None:
            given = self._url.query.get("options")
            if isinstance(given, str) and given:
                cparams["options"] = given
            else:
                cparams.pop("options", None)
        cparams.update(overrides)
        return self.engine.dialect.loaded_dbapi.connect(*cargs, **cparams)

    def _server(self, *, home: bool = False) -> Any:
        """:meth:`raw_connection`, with a connection failure told as :class:`MemoryStoreError`."""
        try:
            return self.raw_connection(home=home)
        except Exception as e:  # noqa: BLE001 - the driver's own errors, shown to a person
            raise MemoryStoreError(
                f"cannot open database {self.url}: {_first_line(e)}. Check that the server is "
                "running and reachable and that the URL, user and password are right."
            ) from None

    def exists(self) -> bool:
        """Whether the store already holds a housemind database (without creating it).

        A SQLite file that exists; on PostgreSQL, the home's schema (or, without a home
        id, the server's default schema) with housemind's migration history in it.
        """
        if self.sqlite_path is not None:
            return self.sqlite_path.exists()
        if not self.is_postgres:
            return True
        conn = self._server()
        try:
            row = conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_name = 'alembic_version' "
                "AND table_schema = COALESCE(%s, current_schema())",
                (self.schema,),
            ).fetchone()
        finally:
            conn.close()
        return row is not None

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
            db._ensure_schema()
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

    def _ensure_schema(self) -> None:
        """Create the home's schema if it is new.

        Before the engine's first connection: its dialect set-up reads ``current_schema()``
        once and keeps it.
        """
        if self.schema is None or self._schema_ready:
            return
        conn = self._server()
        try:
            with conn.transaction():
                # Serialised: two first opens of one home would race on CREATE SCHEMA.
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._migrate_key(),))
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        except Exception as e:  # noqa: BLE001
            raise MemoryStoreError(
                f"cannot create the schema {self.schema} of home {self.home_id!r} in "
                f"{self.url}: {_first_line(e)}. The database user needs the CREATE privilege "
                "on the database (GRANT CREATE ON DATABASE ... TO ...), or create the schema "
                "as its owner."
            ) from None
        finally:
            conn.close()
        self._schema_ready = True

    def _migrate_key(self) -> int:
        return advisory_key(f"housemind:migrate:{self.schema or ''}")

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

        self._ensure_schema()
        try:
            with self.engine.begin() as conn:
                if self.is_postgres:
                    # One migrator per home at a time (processes of one home opening it
                    # together); released when this transaction ends.
                    conn.exec_driver_sql(
                        "SELECT pg_advisory_xact_lock(%(key)s)", {"key": self._migrate_key()}
                    )
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


def list_homes(url: str) -> list[str]:
    """The home ids kept on a PostgreSQL server (schemas ``home_<id>`` in its database).

    Args:
        url: A ``postgresql+psycopg://`` URL (any home id in it is ignored).

    Raises:
        MemoryStoreError: if the URL is not PostgreSQL or the server cannot be reached.
    """
    db = Database(_without_home(url))
    try:
        if not db.is_postgres:
            raise MemoryStoreError(f"{db.url} is not PostgreSQL: a SQLite file holds one home")
        conn = db._server()
        try:
            rows = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY 1",
                (HOME_SCHEMA_PREFIX,),
            ).fetchall()
        finally:
            conn.close()
    finally:
        db.close()
    homes = [r[0][len(HOME_SCHEMA_PREFIX) :] for r in rows]
    return [h for h in homes if HOME_ID_PATTERN.fullmatch(h)]


def drop_home(url: str, home_id: str) -> bool:
    """Delete a home from a PostgreSQL server: its schema and everything in it.

    There is no undo; export what you need first (``housemind memory export``).

    Args:
        url: A ``postgresql+psycopg://`` URL (any home id in it is ignored).
        home_id: The home to delete.

    Returns:
        Whether the home existed.

    Raises:
        MemoryStoreError: a bad home id, not PostgreSQL, or the server cannot be reached.
    """
    schema = _home_schema(_check_home_id(home_id))
    db = Database(_without_home(url))
    try:
        if not db.is_postgres:
            raise MemoryStoreError(f"{db.url} is not PostgreSQL: delete the SQLite file instead")
        conn = db._server()
        try:
            with conn.transaction():
                found = conn.execute(
                    "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
                ).fetchone()
                if found is not None:
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        finally:
            conn.close()
    finally:
        db.close()
    return found is not None


def _without_home(url: str) -> str:
    parsed = _parse_url(url).difference_update_query([_HOME_ID_QUERY])
    return parsed.render_as_string(hide_password=False)


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
