from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.safety import AuditLog, SafetyVerdict, Verdict
from housemind.safety.approvals import ApprovalBook, ApprovalError

CONFIRM = SafetyVerdict(
    verdict=Verdict.CONFIRM, reasons=["A child is close by."], rules=["heat-on-near-child"]
)
STEP = "switch on the stove"


@pytest.fixture
def book(sessions, clock, audit):
    return ApprovalBook(sessions, clock, audit=audit)


def ask(book, **kw):
    args = {"subject": STEP, "task_id": "t1", "approvers": ["Alex", "Sam"], **kw}
    return book.request(CONFIRM, **args)


def test_once_covers_this_step_one_time(book):
    req = ask(book)
    assert book.covering(CONFIRM, subject=STEP, task_id="t1") is None
    a = book.approve(req.id, by="alex", why="I'm in the kitchen")
    assert a.status == "approved" and a.decided_by == "alex" and a.scope == "once"
    assert book.covering(CONFIRM, subject=STEP, task_id="t2") is None  # other task
    assert book.covering(CONFIRM, subject=STEP, task_id="t1").id == req.id
    assert book.covering(CONFIRM, subject=STEP, task_id="t1") is None  # spent


def test_task_instruction_and_rule_scopes(book, clock):
    book.approve(ask(book).id, by="sam", scope="task")
    assert book.covering(CONFIRM, subject="another step", task_id="t1")
    assert book.covering(CONFIRM, subject="another step", task_id="t1")  # not spent
    assert not book.covering(CONFIRM, subject=STEP, task_id="t9")

    req = ask(book, task_id="t3", instruction_id="i7")
    book.approve(req.id, by="sam", scope="instruction", days=2)
    assert book.covering(CONFIRM, subject=STEP, task_id="t4", instruction_id="i7")
    clock.advance(3 * 86400)
    assert not book.covering(CONFIRM, subject=STEP, task_id="t4", instruction_id="i7")

    book.approve(ask(book, task_id="t5").id, by="alex", scope="rule", days=1)
    assert book.covering(CONFIRM, subject="anything", task_id=None)
    other_rule = SafetyVerdict(verdict=Verdict.CONFIRM, rules=["hob-on-empty"])
    assert not book.covering(other_rule, subject=STEP, task_id="t5")


def test_deny_verdicts_are_never_covered(book):
    book.approve(ask(book).id, by="alex", scope="rule")
    deny = SafetyVerdict(verdict=Verdict.DENY, rules=["heat-on-near-child"])
    assert book.covering(deny, subject=STEP, task_id="t1") is None
    with pytest.raises(ApprovalError, match="only 'confirm'"):
        book.request(deny, subject=STEP)


def test_only_registered_people_answer_and_errors_say_why(book, clock):
    req = ask(book)
    with pytest.raises(ApprovalError, match=r"'mallory' is not registered.*alex, sam"):
        book.approve(req.id, by="mallory")
    with pytest.raises(ApprovalError, match="--by NAME"):
        book.approve(req.id, by="")
    with pytest.raises(ApprovalError, match="unknown scope"):
        book.approve(req.id, by="alex", scope="forever")
    with pytest.raises(ApprovalError, match=f"did you mean {req.id}"):
        book.approve(req.id[:-1] + "z", by="alex")
    with pytest.raises(ApprovalError, match="no standing instruction|does not come from"):
        book.approve(req.id, by="alex", scope="instruction")
    book.deny(req.id, by="sam", why="kids are about")
    assert book.get(req.id).status == "denied"
    with pytest.raises(ApprovalError, match="already denied by sam"):
        book.approve(req.id, by="alex")
    late = ask(book)
    clock.advance(25 * 3600)
    assert book.get(late.id).status == "expired" and late.id not in {a.id for a in book.pending()}
    with pytest.raises(ApprovalError, match="expired"):
        book.approve(late.id, by="alex")


def test_every_step_is_audited_with_who_and_why(book, audit):
    req = ask(book)
    book.approve(req.id, by="alex", scope="task", why="I'm watching")
    book.covering(CONFIRM, subject=STEP, task_id="t1")
    rows = audit.recent(10, level="approval")
    assert [r.subject.split()[0] for r in rows] == ["used", "approved", "requested"]
    approved = rows[1]
    assert approved.actor == "alex" and "I'm watching" in approved.reasons[0]
    assert approved.rules == ["heat-on-near-child"] and approved.task_id == "t1"


def test_cli_approve_and_deny(tmp_path):
    from housemind.agent.cli import app
    from housemind.memory import open_database

    db = tmp_path / "home.db"
    database = open_database(f"sqlite:///{db}")
    book = ApprovalBook(database)
    a = ask(book)
    b = ask(book)
    database.close()
    runner = CliRunner()
    res = runner.invoke(
        app, ["approve", a.id, "--scope", "task", "--by", "Alex", "--db", str(db), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["status"] == "approved"
    res = runner.invoke(app, ["safety", "pending", "--db", str(db), "--json"])
    assert [p["id"] for p in json.loads(res.output)] == [b.id]
    res = runner.invoke(app, ["deny", b.id, "--by", "eve", "--db", str(db)])
    assert res.exit_code == 2 and "not registered" in res.output
    res = runner.invoke(app, ["deny", b.id, "--by", "sam", "--db", str(db)])
    assert res.exit_code == 0 and "denied" in res.output
    res = runner.invoke(app, ["approve", "nope", "--by", "sam", "--db", str(db)])
    assert res.exit_code == 2 and "no approval request" in res.output
    log = AuditLog(open_database(f"sqlite:///{db}"))
    assert {r.actor for r in log.recent(10, level="approval")} >= {"alex", "sam"}
