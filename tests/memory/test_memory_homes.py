"""Many homes on one PostgreSQL server, one schema each; `--db` as a path or a URL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from housemind.memory import (
    Database,
    Memory,
    MemoryStoreError,
    database_url,
    drop_home,
    list_homes,
    open_database,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


# -- database_url: a path or a URL, checked -------------------------------------------


def test_a_path_is_a_sqlite_file(tmp_path):
    assert database_url(tmp_path / "home.db") == f"sqlite:///{tmp_path / 'home.db'}"
    assert database_url("home.db") == "sqlite:///home.db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_postgres_urls_use_psycopg_and_carry_the_home():
    assert database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgres://u@h/db", home_id="flat_12") == (
        "postgresql+psycopg://u@h/db?home_id=flat_12"
    )
    url = "postgresql+psycopg://u@h/db?connect_timeout=3&home_id=a"
    assert database_url(url, home_id="a") == url
    db = Database(database_url(url))
    assert (db.home_id, db.schema) == ("a", "home_a")
    assert "home_id=a" in db.url and not db.is_sqlite and db.is_postgres
    db.close()


@pytest.mark.parametrize(
    ("target", "home_id", "words"),
    [
        ("home.db", "alice", "one file per home"),
        ("sqlite:///x.db?home_id=a", None, "one file per home"),
        ("postgresql://h/db", "Alice!", "lowercase letters, digits or underscores"),
        ("postgresql://h/db?home_id=a", "b", "differ"),
        ("postgresql://h/db?home_id=a&home_id=b", None, "more than once"),
        ("mysql://u:secret@h/db", None, "SQLite"),
        ("postgresql+psycopg2://h/db", None, "psycopg 3"),
        ("  ", None, "--db is empty"),
        ("postgresql://u:pw@h:port/db", None, "malformed"),
    ],
)
def test_bad_targets_say_what_to_do(target, home_id, words):
    with pytest.raises(MemoryStoreError, match=words) as err:
        database_url(target, home_id=home_id)
    assert "secret" not in str(err.value) and ":pw@" not in str(err.value)


def test_sqlite_is_unchanged_by_homes(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'h.db'}")
    assert db.home_id is None and db.schema is None and not db.exists()
    db.close()
    open_database(f"sqlite:///{tmp_path / 'h.db'}").close()
    assert Database(f"sqlite:///{tmp_path / 'h.db'}").exists()


# -- homes on one server --------------------------------------------------------------


def _fill(url: str, tag: str) -> None:
    """A little of everything a home keeps, marked with ``tag``."""
    from housemind.safety import ApprovalBook, AuditLog
    from housemind.safety.verdict import SafetyVerdict, Verdict
    from housemind.scheduler import InstructionStore, SimClock, TaskQueue, parse_instruction

    db = open_database(url)
    try:
        clock = SimClock(NOW)
        instr = parse_instruction(f"water the {tag} every day at 9am", now=NOW, tz="UTC")
        InstructionStore(db.session, clock).add(instr)
        TaskQueue(db.session).fire(instr, NOW)
        mem = Memory(db)
        mem.symbolic.add_item("shopping", f"{tag} food", added_by="owner", when=NOW)
        mem.episodic.record("note", f"watered the {tag}", NOW, task_id=f"task-{tag}")
        verdict = SafetyVerdict(verdict=Verdict.CONFIRM, reasons=[tag], rules=["r"])
        ApprovalBook(db, clock).request(verdict, subject=f"water the {tag}")
        AuditLog(db.session, clock).record("plan", f"{tag} step", verdict, actor="robot")
    finally:
        db.close()


def _contents(url: str) -> dict[str, list[str]]:
    from datetime import timedelta

    from housemind.safety import ApprovalBook, AuditLog
    from housemind.scheduler import InstructionStore, SimClock, TaskQueue

    db = open_database(url)
    try:
        mem = Memory(db)
        day = timedelta(days=1)
        return {
            "instructions": [i.text for i in InstructionStore(db.session).list()],
            "tasks": [t.goal for t in TaskQueue(db.session).list()],
            "shopping": [i.item for i in mem.symbolic.items("shopping")],
            "events": [e.text for e in mem.episodic.between(NOW - day, NOW + day)],
            "approvals": [a.subject for a in ApprovalBook(db, SimClock(NOW)).pending()],
            "audit": [e.subject for e in AuditLog(db.session).recent(100)],
        }
    finally:
        db.close()


@pytest.mark.postgres
def test_two_homes_on_one_server_never_see_each_others_rows(new_pg_home):
    a, b = new_pg_home(), new_pg_home()
    _fill(a, "plants")
    _fill(b, "cat")
    seen_a, seen_b = _contents(a), _contents(b)
    for kind, rows in seen_a.items():
        assert rows and all("cat" not in r for r in rows), (kind, rows)
    for kind, rows in seen_b.items():
        assert rows and all("plants" not in r for r in rows), (kind, rows)


@pytest.mark.postgres
def test_each_home_is_a_schema_with_its_own_migration_history(new_pg_home, pg_server):
    url = new_pg_home()
    db = Database(url)
    assert not db.exists()
    db.close()
    db = open_database(url)
    assert db.exists() and db.revision() is not None
    conn = db.raw_connection(home=False)
    tables = {
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (db.schema,),
        )
    }
    conn.close()
    assert {"alembic_version", "tasks", "instructions", "events", "approvals"} <= tables
    assert db.home_id in list_homes(pg_server)
    db.close()
    assert drop_home(pg_server, db.home_id)
    assert db.home_id not in list_homes(pg_server)
    assert not drop_home(pg_server, db.home_id)


@pytest.mark.postgres
def test_first_opens_of_one_home_in_parallel_migrate_once(new_pg_home):
    """Processes of one home opening it for the first time together (a runtime and a
    `housemind instruct`): the schema and its migrations are made once, without errors."""
    import concurrent.futures

    url = new_pg_home()

    def opened(_):
        db = open_database(url)
        rev = db.revision()
        db.close()
        return rev

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        revs = list(pool.map(opened, range(6)))
    assert len(set(revs)) == 1 and revs[0] is not None


@pytest.mark.postgres
def test_an_unreachable_server_is_one_clear_error():
    url = database_url("postgresql://robot:s3cret@127.0.0.1:1/x?connect_timeout=2", home_id="a")
    with pytest.raises(MemoryStoreError, match="cannot open database") as err:
        open_database(url)
    assert "s3cret" not in str(err.value)


@pytest.mark.postgres
def test_upgrade_alone_creates_a_new_homes_schema(new_pg_home):
    db = Database(new_pg_home())
    db.upgrade()  # without open(): the schema is made first, then migrated into
    assert db.exists() and db.revision() is not None
    db.close()
