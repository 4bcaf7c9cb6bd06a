from __future__ import annotations

from memfakes import at, fixture, obj

from housemind.memory import Memory


def _home(m: Memory) -> None:
    m.spatial.observe(
        [fixture("table", "kitchen"), obj("mug", "kitchen", ("on", "table"))], at(0), "kitchen"
    )
    m.spatial.observe([obj("remote", "living_room", ("on", "sofa"))], at(10), "living_room")
    m.symbolic.add_item("shopping", "milk", "2 l", when=at(1))
    m.symbolic.tell("mug", "belongs_on", "shelf")
    m.episodic.record("task", "took the mug to the sink", at(-600), place="kitchen")
    m.episodic.record("task", "watered the plants", at(30), place="living_room")


def test_context_names_objects_lists_facts_and_events(mem: Memory) -> None:
    _home(mem)
    lines = mem.context_for("bring the mug to the sink", now=at(60))
    text = "\n".join(lines)
    assert lines[0].startswith("mug was last seen on the table (kitchen)")
    assert "Known: mug belongs on: shelf" in text
    assert "took the mug to the sink" in text
    assert "watered the plants" in text  # recent
    assert "remote" not in text and "shopping" not in text
    shop = mem.context_for("buy what is on the shopping list", now=at(60))
    assert any("milk (2 l)" in line for line in shop)


def test_context_respects_the_budget(mem: Memory) -> None:
    _home(mem)
    full = mem.context_for("bring the mug to the sink", 10_000, now=at(60))
    for budget in (0, 40, 120, 300):
        lines = mem.context_for("bring the mug to the sink", budget, now=at(60))
        assert sum(map(len, lines)) <= budget
        assert lines == [line for line in full if line in lines]  # same order, whole lines
    assert mem.context_for("anything", budget_chars=0) == []


def test_context_for_a_missing_object_says_where_else(mem: Memory) -> None:
    _home(mem)
    mem.spatial.observe([obj("mug", "kitchen", ("on", "counter"))], at(-300), "kitchen")
    mem.spatial.observe([fixture("table", "kitchen")], at(40), "kitchen")  # not there now
    line = mem.context_for("find the mug", now=at(60))[0]
    assert "was not there" in line and "else look: counter" in line


def test_context_defaults_to_the_newest_remembered_time(mem: Memory) -> None:
    _home(mem)
    assert mem.context_for("bring the mug to the sink") == mem.context_for(
        "bring the mug to the sink", now=at(30)
    )
    assert Memory.open("sqlite://").context_for("anything") == []
