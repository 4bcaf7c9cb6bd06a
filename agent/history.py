"""What the robot did: each task with its subtasks, outcomes and safety events.

``housemind tasks`` (``--id`` for one task) and the dashboard's history page read the
record through these functions: the task queue (state, result), the episodic events of
each task (plan, subtasks with their outcome, checks, check-ins, corrections) and the
safety audit rows and approval requests that name it.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["task_detail", "task_history"]

#: Event kinds that are a task's steps, shown in its timeline.
STEP_KINDS = ("plan", "subtask", "check", "check_in", "correction", "goal_unmet", "plan_failed")


# How the runtime words a subtask's event: "<text>: <status>" and " (<reason>)" if any.
_OUTCOME = re.compile(
    r"^(?P<text>.*?): (?P<status>success|failure|timeout|stopped)(?: \((?P<why>.*)\))?$"
)


def _outcome(e: Any) -> dict[str, Any]:
    m = _OUTCOME.match(e.text)
    return {
        "text": m["text"] if m else e.text,
        "status": m["status"] if m else "",
        "reason": (m["why"] or "") if m else "",
        "time": e.time.isoformat(),
        "skill": e.data.get("skill"),
    }


def _kinds(db: Any) -> dict[str, str]:
    from housemind.scheduler import InstructionStore

    return {i.id: i.kind.value for i in InstructionStore(db.session).list()}


def _row(t: Any, kinds: dict[str, str]) -> dict[str, Any]:
    res = t.result or {}
    return {
        "id": t.id,
        "instruction_id": t.instruction_id,
        "goal": t.goal,
        "kind": kinds.get(t.instruction_id or "", "one_off" if t.instruction_id is None else ""),
        "due_at": t.due_at.isoformat(),
        "state": t.state.value,
        "status": res.get("status", t.state.value),
        "reason": res.get("reason", res.get("question", "")),
        "subtasks": int(res.get("subtasks", 0)),
        "subtasks_failed": int(res.get("subtasks_failed", 0)),
        "safety_events": int(res.get("safety_events", 0)),
        "dispatch_count": t.dispatch_count,
        "started_at": t.started_at.isoformat() if t.started_at else None,
        "finished_at": t.finished_at.isoformat() if t.finished_at else None,
        "waiting_for": res.get("waiting_for") if t.state.value == "waiting" else None,
        "question": res.get("question") if t.state.value == "waiting" else None,
        "answer": res.get("answer"),
        "answered_by": res.get("answered_by"),
    }


def task_history(db: Any, *, limit: int = 200, state: str | None = None) -> list[dict[str, Any]]:
    """The newest tasks first, each as a JSON-ready dict.

    Args:
        db: The project database (``memory.Database``).
        limit: At most this many.
        state: Only tasks in this state (``pending``, ``running``, ``waiting``, ``done``,
            ``failed``, ``skipped``, ``cancelled``).

    Raises:
        ValueError: an unknown state.
    """
    from housemind.scheduler import TaskQueue
    from housemind.scheduler.store import TaskState

    if state is not None and state not in {s.value for s in TaskState}:
        raise ValueError(
            f"unknown task state {state!r}; use one of {', '.join(s.value for s in TaskState)}"
        )
    kinds = _kinds(db)
    tasks = TaskQueue(db.session).list(state)
    tasks.sort(key=lambda t: (t.due_at, t.id), reverse=True)
    return [_row(t, kinds) for t in tasks[: max(0, limit)]]


def task_detail(db: Any, task_id: str) -> dict[str, Any]:
    """One task with its timeline, safety events and approval requests.

    Returns:
        The :func:`task_history` row plus ``events`` (``{"time", "kind", "text",
        "place"}``, oldest first), ``outcomes`` (the subtasks with their status),
        ``safety`` (audit rows of the task, oldest first) and ``approvals``.

    Raises:
        KeyError: no such task (the message says how to list them).
    """
    from sqlalchemy import select

    from housemind.memory.episodic import EpisodicMemory
    from housemind.memory.models import ApprovalRecord
    from housemind.safety.audit import AuditLog
    from housemind.scheduler import TaskQueue
    from housemind.scheduler.store import UnknownTaskError

    try:
        task = TaskQueue(db.session).get(task_id)
    except UnknownTaskError:
        raise KeyError(f"no task {task_id!r}; 'housemind tasks' lists them") from None
    out = _row(task, _kinds(db))
    events = EpisodicMemory(db).for_task(task_id)
    out["events"] = [
        {
            "time": e.time.isoformat(),
            "kind": e.kind,
            "text": e.text,
            "place": e.place,
        }
        for e in events
    ]
    out["outcomes"] = [_outcome(e) for e in events if e.kind == "subtask"]
    audit = AuditLog(db).recent(500, task_id=task_id)
    out["safety"] = [
        {
            "time": a.time.isoformat(),
            "level": a.level,
            "subject": a.subject,
            "verdict": a.verdict,
            "reasons": a.reasons,
            "rules": a.rules,
            "actor": a.actor,
        }
        for a in reversed(audit)
    ]
    with db.session() as s:
        rows = s.scalars(
            select(ApprovalRecord)
            .where(ApprovalRecord.task_id == task_id)
            .order_by(ApprovalRecord.created_at)
        ).all()
        out["approvals"] = [
            {
                "id": r.id,
                "subject": r.subject,
                "status": r.status,
                "scope": r.scope,
                "decided_by": r.decided_by,
                "why": r.why,
            }
            for r in rows
        ]
    return out
