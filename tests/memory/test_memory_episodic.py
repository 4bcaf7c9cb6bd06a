from __future__ import annotations

import time

from memfakes import at

from housemind.memory import EpisodicMemory, Memory


def _log(ep: EpisodicMemory) -> None:
    ep.record("task", "watered the plants", at(0), place="living_room", task_id="t1")
    ep.record("task", "cooked dinner", at(600), place="kitchen")
    ep.record("subtask", "put the pot on the stove", at(605), place="kitchen")
    ep.record("chat", "alex asked for tea", at(700), place="living_room")
    ep.record("task", "watered the herbs on the windowsill", at(1500), place="kitchen")


def test_record_is_idempotent(mem: Memory) -> None:
    ep = mem.episodic
    a = ep.record("task", "made tea", at(0), data={"ok": True})
    assert ep.record("task", "made tea", at(0), data={"ok": True}) == a
    assert ep.count() == 1


def test_between_and_last(mem: Memory) -> None:
    ep = mem.episodic
    _log(ep)
    assert [e.text for e in ep.between(at(600), at(700))] == [
        "cooked dinner",
        "put the pot on the stove",
    ]
    assert [e.text for e in ep.between(at(0), at(2000), kind="task", place="kitchen")] == [
        "cooked dinner",
        "watered the herbs on the windowsill",
    ]
    assert ep.last().text == "watered the herbs on the windowsill"
    assert ep.last(kind="chat").text == "alex asked for tea"
    assert ep.last(text_contains="WATERED", before=at(1000)).text == "watered the plants"
    e = ep.last(kind="task", text_contains="plants")
    assert e.task_id == "t1" and e.time == at(0) and e.place == "living_room"


def test_search_ranks_by_keywords(mem: Memory) -> None:
    ep = mem.episodic
    _log(ep)
    hits = ep.search("watering plants")
    assert hits[0].event.text == "watered the plants"
    assert {h.event.text for h in hits} == {
        "watered the plants",
        "watered the herbs on the windowsill",
    }
    assert hits[0].score > hits[1].score
    assert [h.event.text for h in ep.search("stove pot")][:1] == ["put the pot on the stove"]
    assert ep.search("kitchen", place="kitchen", start=at(601))[0].event.place == "kitchen"
    assert ep.search("the of a") == []
    assert ep.search("vacuum") == []


def test_search_over_a_month_of_events_is_fast(mem: Memory) -> None:
    ep = mem.episodic
    texts = [
        "watered the plants",
        "cooked dinner",
        "took out the trash",
        "folded the laundry",
        "vacuumed the living room",
        "loaded the dishwasher",
    ]
    with mem.db.session() as s:  # bulk insert through the ORM to keep setup quick
        from housemind.memory.models import Event

        s.add_all(
            Event(time=at(i * 37), kind="task", text=texts[i % len(texts)], data={})
            for i in range(3000)
        )
    # CPU time, not wall time: the bound is about this code's cost, not the machine's load
    t = time.process_time()
    hits = ep.search("trash")
    dt = time.process_time() - t
    assert hits and all("trash" in h.event.text for h in hits)
    assert dt < 1.0


def test_latest_matching_uses_whole_stemmed_words(mem: Memory) -> None:
    ep = mem.episodic
    _log(ep)
    ep.record("task", "cut the watermelon for the plants party", at(1600))
    e = ep.latest_matching("water the plants")
    assert e.text == "watered the plants"
    assert ep.latest_matching("water", before=at(1)).time == at(0)
    assert ep.latest_matching("water herbs kitchen").time == at(1500)  # place counts
    assert ep.latest_matching("the") is None
