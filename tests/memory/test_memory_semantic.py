from __future__ import annotations

import pytest
from memfakes import BrokenEmbedder, HashEmbedder, at
from sqlalchemy import delete, select, update

from housemind.memory import Database, EmbeddingSearcher, Memory
from housemind.memory.models import Event
from housemind.memory.semantic import decode_vector


@pytest.fixture
def emb() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def smem(db: Database, emb: HashEmbedder) -> Memory:
    return Memory(db, searcher=EmbeddingSearcher(emb, min_score=0.2))


def _log(m: Memory) -> None:
    ep = m.episodic
    ep.record("task", "watered the plants", at(0), place="living_room", task_id="t1")
    ep.record("task", "cooked dinner", at(600), place="kitchen")
    ep.record("subtask", "put the pot on the stove", at(605), place="kitchen")
    ep.record("chat", "alex asked for tea", at(700), place="living_room")
    ep.record("task", "watered the herbs on the windowsill", at(1500), place="kitchen")


def test_record_stores_an_embedding(smem: Memory, emb: HashEmbedder) -> None:
    i = smem.episodic.record("task", "watered the plants", at(0), place="living_room")
    with smem.db.session() as s:
        blob = s.scalar(select(Event.embedding).where(Event.id == i))
    v = decode_vector(blob)
    assert v.shape == (emb.dim,)
    assert abs(float(v @ v) - 1.0) < 1e-2


def test_record_many_embeds_each_distinct_text_once(smem: Memory, emb: HashEmbedder) -> None:
    rows = [{"kind": "task", "text": f"chore {i % 3}", "time": at(i)} for i in range(30)]
    assert smem.episodic.record_many(rows) == 30
    assert emb.texts == 3 and emb.calls == 1
    assert smem.episodic.count() == 30
    with smem.db.session() as s:
        assert s.scalar(select(Event.id).where(Event.embedding.is_(None))) is None


def test_search_filters_by_window_place_and_kind(smem: Memory) -> None:
    _log(smem)
    ep = smem.episodic
    hits = ep.search("watering plants")
    assert hits[0].event.text == "watered the plants"
    assert {h.event.text for h in hits} >= {"watered the herbs on the windowsill"}
    assert [h.event.text for h in ep.search("watered", place="kitchen")] == [
        "watered the herbs on the windowsill"
    ]
    assert [h.event.text for h in ep.search("watered", start=at(1), end=at(2000))] == [
        "watered the herbs on the windowsill"
    ]
    assert [h.event.text for h in ep.search("pot stove", kind="subtask")] == [
        "put the pot on the stove"
    ]
    assert ep.search("watered", kind="chat") == []
    assert ep.search("vacuum") == []
    assert ep.search("   ") == []
    assert len(ep.search("watered", limit=1)) == 1


def test_index_follows_rows_written_elsewhere(db: Database, smem: Memory) -> None:
    _log(smem)
    assert smem.episodic.search("tea")[0].event.text == "alex asked for tea"
    # Another process (keyword-only, no model) appends an event without an embedding.
    other = Memory(db)
    other.episodic.record("chat", "sam wants green tea", at(2000))
    hits = smem.episodic.search("green tea")
    assert hits[0].event.text == "sam wants green tea"
    with db.session() as s:  # the backfill was stored
        assert s.scalar(select(Event.id).where(Event.embedding.is_(None))) is None
    # Deletions are noticed when the row count is next checked.
    with db.session() as s:
        s.execute(delete(Event).where(Event.text == "sam wants green tea"))
    smem.episodic.searcher.recount_s = 0.0
    assert all(h.event.text != "sam wants green tea" for h in smem.episodic.search("green tea"))


def test_rows_without_embeddings_are_backfilled(smem: Memory, emb: HashEmbedder) -> None:
    _log(smem)
    with smem.db.session() as s:
        s.execute(update(Event).values(embedding=None))
    smem.episodic.searcher.invalidate()
    assert smem.episodic.search("cooked dinner")[0].event.text == "cooked dinner"


def test_falls_back_to_keywords_without_a_model(db: Database) -> None:
    m = Memory(db, searcher=EmbeddingSearcher(BrokenEmbedder()))
    _log(m)  # recording never fails for want of a model
    hits = m.episodic.search("watering plants")
    assert hits[0].event.text == "watered the plants"
    assert m.episodic.searcher.unavailable


def test_ask_last_uses_latest_near_best_hit(smem: Memory) -> None:
    _log(smem)
    smem.episodic.record("task", "watered plants again", at(1700), place="living_room")
    a = smem.ask("when did you last water the houseplants?", at(2000))
    assert a.form == "last"
    assert a.evidence and a.evidence[0].time == at(1700)


@pytest.mark.slow
def test_shipped_model_finds_events_by_meaning(tmp_path) -> None:
    m = Memory.open(f"sqlite:///{tmp_path / 'home.db'}", semantic=True)
    try:
        ep = m.episodic
        ep.record("task", "gave the cat its food", at(0), place="kitchen")
        ep.record("task", "emptied the bin into the outdoor container", at(10), place="kitchen")
        ep.record("task", "watered the plants", at(20), place="living_room")
        ep.record("chat", "alex asked for tea", at(30), place="living_room")
        assert ep.search("feed the pet")[0].event.text == "gave the cat its food"
        assert ep.search("take out the trash")[0].event.text.startswith("emptied the bin")
        assert ep.search("renew the car insurance") == []
        a = m.ask("when did you last feed the cat?", at(60))
        assert "gave the cat its food" in a.answer
        assert a.evidence[0].time == at(0)
    finally:
        m.close()


def test_ask_what_happened_about_a_topic(smem: Memory) -> None:
    _log(smem)
    smem.episodic.record("task", "watered the plants", at(1440 + 60), place="living_room")
    now = at(2 * 1440)
    a = smem.ask("what happened with the plants yesterday?", now)
    assert a.form == "window"
    assert [e.time for e in a.evidence] == [at(1440 + 60)]
    a = smem.ask("what happened with the plants?", now)
    assert [e.time for e in a.evidence] == [at(0), at(1440 + 60)]
    a = smem.ask("what happened about the vacuum cleaner today", now)
    assert a.evidence == [] and "no memory" in a.answer
