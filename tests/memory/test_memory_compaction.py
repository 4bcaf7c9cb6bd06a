from __future__ import annotations

from datetime import timedelta

from memfakes import at, fixture, obj

from housemind.memory import Memory


def _day(mem: Memory, day: int, place: str) -> None:
    mem.spatial.observe_many(
        [
            (
                [fixture(place, "kitchen"), obj("mug", "kitchen", ("on", place))],
                at(day * 1440 + i * 60),
                "kitchen",
            )
            for i in range(5)
        ]
    )


def test_observe_logs_each_sighting(mem: Memory) -> None:
    sp = mem.spatial
    sp.observe([obj("mug", "kitchen", ("on", "table")), obj("keys", "hall")], at(0), "hall")
    sp.observe([obj("mug", "kitchen", ("in", "sink"))], at(5), "kitchen")
    assert sp.observation_count() == 3
    assert sp.history("mug") == [(at(0), "on", "table"), (at(5), "in", "sink")]
    assert sp.history("mug", start=at(1)) == [(at(5), "in", "sink")]


def test_observe_many_equals_one_by_one(mem: Memory, db_url: str) -> None:
    batch = [
        ([fixture("table", "kitchen"), obj("mug", "kitchen", ("on", "table"))], at(0), "kitchen"),
        ([fixture("table", "kitchen")], at(1), "kitchen"),  # looked: the mug is gone
        ([obj("mug", "hall")], at(2), "hall"),
        ([obj("mug", "kitchen", ("on", "table")), obj("cup", "kitchen")], at(3), "kitchen"),
    ]
    assert mem.spatial.observe_many(batch) == 4
    other = Memory.open(db_url.replace("home.db", "other.db")) if "sqlite" in db_url else None
    if other is not None:
        for b in batch:
            other.spatial.observe(*b)
        assert [o.model_dump() for o in other.spatial.known_objects()] == [
            o.model_dump() for o in mem.spatial.known_objects()
        ]
        other.close()
    s = mem.spatial.last_seen("mug")
    assert (s.place, s.time, s.seen_count, s.missing) == ("table", at(3), 3, False)


def test_compact_folds_old_sightings_into_days(mem: Memory) -> None:
    for day, place in enumerate(["table", "table", "counter", "table"]):
        _day(mem, day, place)
    before = mem.spatial.last_seen("mug")
    assert mem.spatial.observation_count() == 20
    rep = mem.compact(at(2 * 1440))
    assert rep.observations_compacted == 10 and rep.observations_kept == 10
    assert rep.days_written == 2
    assert mem.spatial.observation_count() == 10
    days = mem.spatial.days_seen("mug")
    assert [(d["day"], d["place"], d["count"]) for d in days] == [
        ("2025-06-03", "table", 5),
        ("2025-06-04", "table", 5),
    ]
    assert days[0]["first_seen_at"] == at(0) and days[0]["last_seen_at"] == at(240)
    # What queries need is untouched.
    assert mem.spatial.last_seen("mug") == before
    assert mem.spatial.search_candidates("mug")[:2] == ["table", "counter"]
    # Again, later: idempotent for what is done, folds the rest.
    assert mem.compact(at(2 * 1440)).observations_compacted == 0
    rep = mem.compact(at(10 * 1440))
    assert rep.observations_compacted == 10 and rep.observations_kept == 0
    assert sum(d["count"] for d in mem.spatial.days_seen("mug")) == 20


def test_compact_merges_into_an_existing_day(mem: Memory) -> None:
    _day(mem, 0, "table")
    mem.compact(at(120 + 1))  # the first three sightings of day 0
    mem.compact(at(1440))
    assert [(d["count"], d["last_seen_at"]) for d in mem.spatial.days_seen("mug")] == [(5, at(240))]


def test_compact_keeps_a_busy_month_small(mem: Memory) -> None:
    for day in range(30):
        _day(mem, day, "table" if day % 2 else "counter")
        mem.compact(at(day * 1440) - timedelta(days=3))
    assert mem.spatial.observation_count() <= 5 * 4
    assert len(mem.spatial.days_seen("mug")) <= 30
