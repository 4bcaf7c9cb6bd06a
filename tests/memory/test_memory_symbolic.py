from __future__ import annotations

import pytest
from memfakes import at

from housemind.memory import Memory


def test_facts_validity(mem: Memory) -> None:
    sy = mem.symbolic
    a = sy.tell("alex", "likes", "tea", kind="preference", told_by="alex", valid_from=at(0))
    assert sy.tell("alex", "likes", "tea", kind="preference", valid_from=at(0)) == a  # no dup
    sy.tell("Alex", "likes", "coffee", kind="preference", valid_from=at(60), replace=True)
    assert [f.value for f in sy.facts("alex", "likes", at=at(30))] == ["tea"]
    assert [f.value for f in sy.facts("alex", "likes", at=at(90))] == ["coffee"]
    assert [f.value for f in sy.facts("alex")] == ["coffee"]  # not ended
    assert sy.facts("alex", at=at(-10)) == []  # before anything was true
    fid = sy.tell("kitchen", "floor", "wet", source="perception")
    sy.retract(fid, at(100))
    assert [f.value for f in sy.facts("kitchen", at=at(99))] == ["wet"]
    assert sy.facts("kitchen", at=at(100)) == []
    assert sy.facts("kitchen") == []
    assert sy.facts("alex", kind="fact") == []


def test_tell_validates(mem: Memory) -> None:
    with pytest.raises(ValueError, match="kind"):
        mem.symbolic.tell("a", "b", "c", kind="rumour")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after"):
        mem.symbolic.tell("a", "b", "c", valid_from=at(10), valid_to=at(5))
    with pytest.raises(ValueError, match="naive"):
        mem.symbolic.tell("a", "b", "c", valid_from=at(0).replace(tzinfo=None))
    with pytest.raises(KeyError):
        mem.symbolic.retract(12345, at(0))


def test_shopping_list(mem: Memory) -> None:
    sy = mem.symbolic
    milk = sy.add_item("shopping", "milk", "1 l", added_by="alex", when=at(0))
    sy.add_item("shopping", "eggs", when=at(1))
    assert sy.add_item("shopping", " Milk ", "2 l", when=at(2)) == milk  # no duplicate
    assert [(i.item, i.quantity) for i in sy.items("shopping")] == [("milk", "2 l"), ("eggs", None)]
    assert sy.check_off("shopping", "MILK", at(3))
    assert not sy.check_off("shopping", "milk", at(4))  # already done
    assert sy.remove_item("shopping", "eggs", at(5))
    assert sy.items("shopping") == []
    assert [i.status for i in sy.items("shopping", status=None)] == ["done", "removed"]
    assert sy.items("shopping", status="done")[0].updated_at == at(3)
    # Bought milk can go back on the list as a new open item.
    assert sy.add_item("shopping", "milk", when=at(6)) != milk
    sy.add_item("todo", "call plumber", when=at(7))
    assert sy.lists() == ["shopping", "todo"]
