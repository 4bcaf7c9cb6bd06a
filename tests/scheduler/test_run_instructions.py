"""``housemind run --instructions FILE`` reads the file like ``housemind instruct``."""

from __future__ import annotations

import pytest

from housemind.agent.runs import RunError, run_simulated


@pytest.mark.slow
def test_run_instructions_go_through_the_paragraph_parser(tmp_path):
    from housemind.memory import open_database
    from housemind.memory.symbolic import SymbolicMemory
    from housemind.scheduler import InstructionKind, InstructionStore

    db = tmp_path / "home.db"
    out = run_simulated(
        db,
        days=0.01,
        seed=0,
        instructions=[
            "I wake up and go to work at 7:00 a.m.",
            "Water the plants every day at 9am.",
            "Remind me to take my pills at 9pm every day. Never vacuum after 10pm.",
        ],
    )
    assert out["read_back"][:3] == [
        "I'll water the plants every day at 09:00.",
        "I'll remind you to take your pills every day at 21:00.",
        "I won't vacuum between 22:00 and 07:00.",
    ]
    database = open_database(f"sqlite:///{db}")
    try:
        stored = InstructionStore(database.session).list()
        facts = {f.predicate for f in SymbolicMemory(database).facts(subject="owner")}
    finally:
        database.close()
    kinds = sorted(i.kind.value for i in stored)
    assert kinds == ["constraint", "recurring_chore", "reminder"]  # the routine is no chore
    assert {"wakes_at", "leaves_for_work_at"} <= facts
    assert not [i for i in stored if i.kind is InstructionKind.RECURRING_CHORE and "work" in i.goal]

    with pytest.raises(RunError, match="not understood"):
        run_simulated(tmp_path / "other.db", days=0.01, instructions=["Do the laundry sometimes."])


@pytest.mark.slow
def test_an_instruction_stored_paused_for_approval_is_read_back_so(tmp_path):
    out = run_simulated(
        tmp_path / "home.db",
        days=0.01,
        seed=0,
        instructions=["Light the candles every evening at 7. Water the plants every day at 9am."],
    )
    assert out["read_back"] == [
        "I'll light the candles every day at 19:00 (paused). It waits for a person's approval "
        "('housemind safety pending').",
        "I'll water the plants every day at 09:00.",
    ]
