from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from memfakes import T0, fixture, obj

from housemind.memory import QUESTION_FORMS, Memory

TUE = T0.replace(hour=0)  # Tuesday 3 June 2025, 00:00 UTC
NOW = TUE + timedelta(days=1, hours=10)  # Wednesday 10:00


def h(hours: float):
    return TUE + timedelta(hours=hours)


@pytest.fixture
def home(mem: Memory) -> Memory:
    sp, ep, sy = mem.spatial, mem.episodic, mem.symbolic
    sp.observe(
        [
            fixture("coffee_table", "living_room"),
            obj("keys", "living_room", ("on", "coffee_table")),
        ],
        h(8),
        "living_room",
    )
    sp.observe(
        [fixture("fridge", "kitchen", open=True), obj("milk", "kitchen", ("in", "fridge"))],
        h(9),
        "kitchen",
    )
    sp.register_fixture(name="cabinet", kind="cabinet", room="kitchen", openable=True)
    ep.record("task", "cooked dinner", h(18.5), place="kitchen")
    ep.record("task", "watered the plants", h(19), place="living_room")
    ep.record("task", "took out the trash", h(21))
    ep.record("task", "watered the plants", h(7), place="living_room")
    ep.record("task", "made coffee", h(24 + 7.5), place="kitchen")
    sy.add_item("shopping", "milk", "2 l", added_by="alex", when=h(12))
    sy.add_item("shopping", "eggs", when=h(13))
    sy.tell("alex", "likes", "tea", kind="preference", told_by="alex")
    return mem


def test_where_are_my_keys(home: Memory) -> None:
    a = home.ask("Where are my keys?", NOW)
    assert a.understood and a.form == "where"
    assert "coffee table" in a.answer and "yesterday at 08:00" in a.answer
    assert a.evidence[0].kind == "sighting"
    assert a.evidence[0].place == "coffee_table" and a.evidence[0].time == h(8)
    assert home.ask("where did I leave my keys", NOW).answer == a.answer
    assert "coffee table" in home.ask("when did you last see the keys?", NOW).answer


def test_where_missing_and_unknown(home: Memory) -> None:
    home.spatial.observe([fixture("coffee_table", "living_room")], h(20), "living_room")
    a = home.ask("where are my keys", NOW)
    assert "not there" in a.answer and "yesterday at 20:00" in a.answer
    a = home.ask("Where is the mug?", NOW)
    assert "not seen any mug" in a.answer
    assert "cabinet" in a.answer  # from the prior for mugs
    assert [e.kind for e in a.evidence] == ["search_candidate"] * len(a.evidence)


def test_shopping_list(home: Memory) -> None:
    for q in (
        "What is on the shopping list?",
        "what's on my shopping list",
        "what do we need to buy?",
    ):
        a = home.ask(q, NOW)
        assert a.form == "list", q
        assert a.answer == "The shopping list has 2 items: milk (2 l), eggs."
        assert [e.text for e in a.evidence] == ["milk (2 l) (added by alex)", "eggs"]
    assert home.ask("what is on the todo list", NOW).answer == "The todo list is empty."


def test_what_did_you_buy(home: Memory) -> None:
    assert home.ask("what did you buy?", NOW).answer == "Nothing was bought so far."
    home.episodic.record("bought", "bought pet_food, milk (order order_1)", h(10))
    home.episodic.record("bought", "bought eggs (order order_2)", h(24 + 9))
    a = home.ask("What did you buy?", NOW)
    assert a.understood and a.form == "bought"
    assert a.answer.startswith("Bought so far (2 deliveries), newest first: today at 09:00: eggs")
    assert "yesterday at 10:00: pet food, milk (order order 1)" in a.answer
    assert len(a.evidence) == 2
    a = home.ask("what have you ordered yesterday", NOW)
    assert "(1 delivery)" in a.answer and "pet food" in a.answer and "eggs" not in a.answer
    assert home.ask("what was delivered today?", NOW).answer.count("eggs") == 1
    assert not home.ask("what did you buy in the spring", NOW).understood
    # the shopping list is still the list, not what was bought
    assert home.ask("what do we need to buy?", NOW).form == "list"


def test_when_did_you_last(home: Memory) -> None:
    a = home.ask("When did you last water the plants?", NOW)
    assert a.form == "last"
    assert "yesterday at 19:00" in a.answer and "watered the plants" in a.answer
    assert a.evidence[0].time == h(19)
    a = home.ask("when was the last time you took out the trash", NOW)
    assert a.evidence[0].time == h(21)
    # Only events before `now` count.
    assert home.ask("when did you last make coffee", h(20)).evidence == []
    assert "no memory" in home.ask("when did you last feed the cat?", NOW).answer


def test_what_happened_windows(home: Memory) -> None:
    a = home.ask("What happened yesterday evening?", NOW)
    assert a.form == "window"
    assert [e.text for e in a.evidence] == [
        "cooked dinner",
        "watered the plants",
        "took out the trash",
    ]
    assert "18:30 cooked dinner" in a.answer
    assert [e.text for e in home.ask("what happened this morning", NOW).evidence] == ["made coffee"]
    assert [e.text for e in home.ask("what did you do today?", NOW).evidence] == ["made coffee"]
    tue = home.ask("What happened on Tuesday?", NOW)
    assert len(tue.evidence) == 4 and "Tuesday, 3 June" in tue.answer
    assert home.ask("what happened last week", NOW).evidence == []
    assert "Nothing is recorded" in home.ask("what happened last week", NOW).answer


def test_windows_use_the_timezone_of_now(home: Memory) -> None:
    # 19:00 UTC is 21:00 at UTC+2, still evening; 21:00 UTC is 23:00 there, night.
    now = NOW.astimezone(timezone(timedelta(hours=2)))
    a = home.ask("what happened yesterday evening", now)
    assert [e.text for e in a.evidence] == ["cooked dinner", "watered the plants"]
    assert "20:30 cooked dinner" in a.answer


def test_contents_and_about(home: Memory) -> None:
    a = home.ask("what is in the fridge?", NOW)
    assert a.form == "contents" and "milk" in a.answer
    assert "nothing" in home.ask("what is in the cabinet", NOW).answer
    a = home.ask("what do you know about Alex?", NOW)
    assert "likes: tea" in a.answer and a.evidence[0].kind == "fact"


def test_unknown_question_lists_forms(home: Memory) -> None:
    a = home.ask("What is the meaning of life, the universe and everything?", NOW)
    assert not a.understood
    assert "can't answer that yet" in a.answer
    assert all(form in a.answer for form in QUESTION_FORMS)
    assert not home.ask("sing me a song", NOW).understood


def test_ask_survives_reopen(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'home.db'}"
    m = Memory.open(url)
    m.spatial.observe([obj("keys", "hall", ("on", "shelf"))], h(8), "hall")
    m.close()
    m = Memory.open(url)
    try:
        assert "on the shelf (hall)" in m.ask("where are my keys?", NOW).answer
    finally:
        m.close()
