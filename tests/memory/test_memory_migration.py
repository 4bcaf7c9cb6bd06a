"""A database made by the previous schema revision upgrades without losing rows."""

from __future__ import annotations

from memfakes import HashEmbedder, at
from sqlalchemy import func, insert, inspect, select

from housemind.memory import Database, EmbeddingSearcher, Memory, open_database
from housemind.memory.db import schema_diff
from housemind.memory.models import ChecklistItem, Event, Fact, ObjectRecord

# The revision before event embeddings and the observation log.
PREVIOUS = "14b5babb1ebd"


def test_previous_revision_upgrades_keeping_rows(db_url: str) -> None:
    old = Database(db_url)
    old.upgrade(PREVIOUS)
    assert old.revision() == PREVIOUS
    with old.engine.begin() as conn:
        assert "embedding" not in {c["name"] for c in inspect(conn).get_columns("events")}
        assert "observations" not in inspect(conn).get_table_names()
        conn.execute(
            insert(Event.__table__),
            [
                {"time": at(i), "kind": "task", "text": t, "place": "kitchen", "data": {}}
                for i, t in enumerate(["cooked dinner", "fed the cat", "watered the plants"])
            ],
        )
        conn.execute(
            insert(ObjectRecord.__table__).values(
                name="mug",
                kind="mug",
                place="table",
                relation="on",
                room="kitchen",
                state={},
                seen_count=3,
                last_seen_at=at(5),
            )
        )
        conn.execute(
            insert(Fact.__table__).values(
                subject="alex",
                predicate="likes",
                value="tea",
                kind="preference",
                source="person",
                created_at=at(0),
            )
        )
        conn.execute(
            insert(ChecklistItem.__table__).values(
                list_name="shopping", item="milk", status="open", added_at=at(1)
            )
        )
    old.close()

    db = open_database(db_url)
    try:
        assert db.revision() != PREVIOUS
        with db.engine.connect() as conn:
            assert schema_diff(conn) == []
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Event)) == 3
            assert s.scalar(select(func.count(Event.embedding))) == 0
        m = Memory(db, searcher=EmbeddingSearcher(HashEmbedder(), min_score=0.2))
        assert m.spatial.last_seen("mug").place == "table"
        assert m.symbolic.facts("alex")[0].value == "tea"
        assert [i.item for i in m.symbolic.items("shopping")] == ["milk"]
        # Old events become searchable by meaning: the first search embeds them.
        assert m.episodic.search("feeding the cat")[0].event.text == "fed the cat"
        with db.session() as s:
            assert s.scalar(select(func.count(Event.embedding))) == 3
    finally:
        db.close()
