"""Every endpoint: bad input gets 422 with a clear message; what each does, through the library."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from webhelpers import CONFIRM, HOUSEHOLD

from housemind.agent.instructions import give_instructions
from housemind.memory import Memory, open_database
from housemind.safety.audit import AuditLog
from housemind.scheduler import InstructionStore, TaskQueue

# (method, url, malformed body, the field the message must name)
MALFORMED = [
    ("POST", "/api/instructions/preview", {}, "text"),
    ("POST", "/api/instructions/preview", {"text": "   "}, "text"),
    ("POST", "/api/instructions", {"text": 5}, "text"),
    ("POST", "/api/instructions", {"text": "x" * 5000}, "text"),
    ("POST", "/api/answers", {"text": "eggs"}, "task_id"),
    ("POST", "/api/answers", {"task_id": "t", "text": ""}, "text"),
    ("POST", "/api/corrections", {"text": "no", "extra": 1}, "extra"),
    ("POST", "/api/instructions/i/change", {"goal": "x"}, "text"),
    ("POST", "/api/approvals/a/approve", {"scope": "forever"}, "scope"),
    ("POST", "/api/approvals/a/approve", {"days": -1}, "days"),
    ("POST", "/api/approvals/a/deny", {"why": ["no"]}, "why"),
    ("POST", "/api/estop", {"reason": 3}, "reason"),
    ("POST", "/api/shopping", {"item": ""}, "item"),
    ("POST", "/api/shopping/done", {}, "item"),
    ("POST", "/api/people", {"name": "eve", "role": "admin"}, "role"),
    ("POST", "/api/me/password", {}, "password"),
    ("GET", "/api/memory/ask?q=", None, "q"),
    ("GET", "/api/week?days=0", None, "days"),
    ("GET", "/api/tasks?limit=0", None, "limit"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), MALFORMED)
def test_malformed_input_is_422_with_a_clear_message(client_for, method, url, body, field):
    alex = client_for("alex")
    res = alex.request(method, url, json=body)
    assert res.status_code == 422, (url, res.status_code, res.text)
    err = res.json()["error"]
    assert err.startswith("bad input") and field in err, err


def test_not_json_at_all_is_422(client_for):
    alex = client_for("alex")
    res = alex.post(
        "/api/instructions", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert res.status_code == 422 and "bad input" in res.json()["error"]


# -- talk ---------------------------------------------------------------------------------------


def test_read_back_first_then_store_on_confirm(client_for, household):
    alex = client_for("alex")
    res = alex.post("/api/instructions/preview", json={"text": HOUSEHOLD})
    assert res.status_code == 200
    d = res.json()
    reads = [i["read_back"] for i in d["instructions"]]
    assert any("dinner ready every day by 18:00" in r for r in reads)
    assert any("laundry" in r and "Saturday" in r for r in reads)
    assert any("every Monday" in r and "shopping" in r for r in reads)
    assert d["understood"] and {f["predicate"] for f in d["facts"]} >= {"wakes_at"}
    db = open_database(f"sqlite:///{household.db}")
    assert InstructionStore(db.session).list() == []  # the read-back stores nothing
    res = alex.post("/api/instructions", json={"text": HOUSEHOLD})
    assert res.status_code == 200
    stored = res.json()["stored"]
    assert len(stored) == 3 and all(s["enabled"] for s in stored)
    instrs = InstructionStore(db.session).list()
    assert {i.id for i in instrs} == {s["id"] for s in stored}
    check_in = next(i for i in instrs if i.kind.value == "check_in")
    assert check_in.said_by == "alex"  # "check in with me": me is who signed in
    # who told it is in the audit log
    rows = AuditLog(db).recent(50, level="instruction")
    assert rows and {r.actor for r in rows} == {"alex"}
    db.close()


def test_questions_back_and_refusals(client_for):
    alex = client_for("alex")
    d = alex.post("/api/instructions/preview", json={"text": "blorp the fnord sometimes"}).json()
    assert not d["understood"] and d["questions"]
    out = alex.post("/api/instructions", json={"text": "feed the dog chocolate every day at 8:00"})
    assert out.status_code == 200 and out.json()["denied"] and not out.json()["stored"]
    out = alex.post("/api/instructions", json={"text": CONFIRM}).json()
    (s,) = out["stored"]
    assert not s["enabled"] and s["approval_id"] and out["needs_approval"]


def _waiting_check_in(db_path, tz="UTC"):
    """A check-in fired and paused for an answer, as the runtime leaves it."""
    now = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)
    give_instructions(
        ["ask me what to buy when you go shopping every day at 18:30"],
        db=db_path,
        now=now.replace(hour=6),
        tz=tz,
        actor="alex",
    )
    db = open_database(f"sqlite:///{db_path}")
    (instr,) = InstructionStore(db.session).list()
    q = TaskQueue(db.session)
    task = q.fire(instr, now)
    q.claim_next(now)
    q.mark(
        task.id,
        "waiting",
        result={"waiting_for": "answer", "question": instr.goal, "waiting_since": now.isoformat()},
        when=now,
    )
    db.close()
    return task.id


def test_answer_a_check_in_once(client_for, household):
    task_id = _waiting_check_in(household.db)
    sam = client_for("sam")  # guests may answer
    (q,) = sam.get("/api/questions").json()
    assert q["task_id"] == task_id
    res = sam.post("/api/answers", json={"task_id": task_id, "text": "eggs and bread"})
    assert res.status_code == 200
    again = sam.post("/api/answers", json={"task_id": task_id, "text": "milk"})
    assert again.status_code == 409 and "already answered by sam" in again.json()["error"]
    nope = sam.post("/api/answers", json={"task_id": "task-nope", "text": "milk"})
    assert nope.status_code == 404
    db = open_database(f"sqlite:///{household.db}")
    task = TaskQueue(db.session).get(task_id)
    assert task.result["answer"] == "eggs and bread" and task.result["answered_by"] == "sam"
    assert any(r.actor == "sam" and "eggs" in r.subject for r in AuditLog(db).recent(5))
    db.close()


def test_corrections_are_remembered_with_who_and_when(client_for, household):
    kim = client_for("kim")
    res = kim.post("/api/corrections", json={"text": "no, the top drawer"})
    assert res.status_code == 200 and not res.json()["refused"]
    refused = kim.post("/api/corrections", json={"text": "no, give the dog the chocolate"})
    assert refused.json()["refused"] and refused.json()["reasons"]
    db = open_database(f"sqlite:///{household.db}")
    (c,) = Memory(db).corrections()
    assert c.value == "no, the top drawer" and c.told_by == "kim" and c.valid_from
    assert kim.post("/api/corrections", json={"text": "x", "task_id": "nope"}).status_code == 404
    db.close()


# -- the week -----------------------------------------------------------------------------------


def test_week_and_edits_through_the_gate(client_for, household):
    alex, sam = client_for("alex"), client_for("sam")
    alex.post("/api/instructions", json={"text": HOUSEHOLD})
    week = alex.get("/api/week").json()
    goals = {r["goal"] for r in week["runs"]}
    assert "make dinner" in goals and any("shopping" in g for g in goals)
    iid = next(i["id"] for i in week["instructions"] if i["goal"] == "make dinner")
    assert sam.post(f"/api/instructions/{iid}/pause").status_code == 403
    res = alex.post(f"/api/instructions/{iid}/pause")
    assert res.status_code == 200 and res.json()["enabled"] is False
    assert iid in alex.get("/api/week").json()["paused"]
    res = alex.post(f"/api/instructions/{iid}/resume")
    assert res.status_code == 200 and res.json()["enabled"]
    res = alex.post(
        f"/api/instructions/{iid}/change", json={"text": "make dinner every day at 7pm"}
    )
    assert res.status_code == 200 and "19:00" in res.json()["read_back"]
    res = alex.post(
        f"/api/instructions/{iid}/change",
        json={"text": "feed the dog chocolate every day at 7pm"},
    )
    assert res.status_code == 409 and res.json()["refused"]
    assert alex.post(f"/api/instructions/{iid}/change", json={"text": "hmm"}).status_code == 422
    assert alex.delete(f"/api/instructions/{iid}").status_code == 200
    assert alex.delete(f"/api/instructions/{iid}").status_code == 404
    db = open_database(f"sqlite:///{household.db}")
    edits = [r for r in AuditLog(db).recent(100, level="instruction") if r.actor == "alex"]
    assert {r.subject.split(" ", 1)[0] for r in edits} >= {"pause", "resume", "change", "delete"}
    db.close()


# -- approvals ----------------------------------------------------------------------------------


def test_approve_as_owner_not_as_guest(client_for, household):
    alex, sam, kim = client_for("alex"), client_for("sam"), client_for("kim")
    out = alex.post("/api/instructions", json={"text": CONFIRM}).json()
    (s,) = out["stored"]
    (pending,) = sam.get("/api/approvals").json()  # guests see the queue
    assert pending["id"] == s["approval_id"] and pending["reasons"]
    res = sam.post(f"/api/approvals/{s['approval_id']}/approve", json={"scope": "instruction"})
    assert res.status_code == 403
    res = alex.post(
        f"/api/approvals/{s['approval_id']}/approve",
        json={"scope": "instruction", "days": 2, "why": "we want the bath"},
    )
    assert res.status_code == 200
    a = res.json()
    assert a["status"] == "approved" and a["decided_by"] == "alex" and a["scope"] == "instruction"
    assert alex.get("/api/approvals").json() == []
    again = kim.post(f"/api/approvals/{s['approval_id']}/deny", json={})
    assert again.status_code == 409 and "already approved" in again.json()["error"]
    assert alex.post(f"/api/instructions/{s['id']}/resume").json()["enabled"]
    assert kim.post("/api/approvals/nope/deny", json={}).status_code == 404


# -- the emergency stop, memory, people ---------------------------------------------------------


def test_anyone_stops_only_approvers_release(client_for):
    sam, kim = client_for("sam"), client_for("kim")
    res = sam.post("/api/estop", json={"reason": "the cat is in the way"})
    assert res.status_code == 200 and res.json()["engaged"] and res.json()["pressed_by"] == "sam"
    assert sam.get("/api/status").json()["estop"]["engaged"]
    assert sam.post("/api/estop/release").status_code == 403
    assert kim.post("/api/estop/release").json()["released_by"] == "kim"
    assert kim.post("/api/estop/release").status_code == 409  # not engaged


def test_memory_shopping_and_history(client_for, household):
    sam = client_for("sam")
    assert sam.post("/api/shopping", json={"item": "oat milk"}).status_code == 200
    assert [i["item"] for i in sam.get("/api/shopping").json()] == ["oat milk"]
    ans = sam.get("/api/memory/ask", params={"q": "what is on the shopping list?"}).json()
    assert "oat milk" in ans["answer"]
    assert sam.post("/api/shopping/done", json={"item": "oat milk"}).status_code == 200
    assert sam.post("/api/shopping/done", json={"item": "oat milk"}).status_code == 404
    assert sam.get("/api/tasks").json() == []
    assert sam.get("/api/tasks/nope").status_code == 404
    assert sam.get("/api/tasks?state=dancing").status_code == 422
    assert sam.get("/history/nope/replay.gif").status_code == 404
    assert sam.get("/home/view.png").status_code == 404  # no run yet: says so


def test_owners_manage_people_and_tokens(client_for, app):
    alex = client_for("alex")
    res = alex.post("/api/people", json={"name": "Robin", "role": "guest"})
    assert res.status_code == 200 and res.json()["role"] == "guest"
    assert alex.post("/api/people", json={"name": "9lives", "role": "guest"}).status_code == 422
    tok = alex.post("/api/people/robin/token").json()["token"]
    assert len(tok) >= 30
    robin = client_for(None)
    from webhelpers import sign_in

    sign_in(robin, "robin", tok)
    assert robin.get("/api/me").json()["role"] == "guest"
    assert alex.delete("/api/people/robin").status_code == 200
    assert robin.get("/api/me").status_code == 401
    assert alex.delete("/api/people/alex").status_code == 409  # the last owner stays
    assert alex.post("/api/me/password", json={"password": "short"}).status_code == 422
    assert alex.post("/api/me/password", json={"password": "a long enough one"}).status_code == 200
    assert alex.get("/api/me").status_code == 200  # still signed in after one's own change


def test_every_page_renders_for_every_role(client_for):
    for name in ("alex", "kim", "sam"):
        c = client_for(name)
        for path in ("/", "/week", "/home", "/approvals", "/memory", "/history", "/people"):
            res = c.get(path)
            assert res.status_code == 200, (name, path)
            assert "STOP" in res.text
        approve_buttons = 'data-answer="approve"' in c.get("/approvals").text
        assert not approve_buttons  # nothing pending: no buttons for anyone
