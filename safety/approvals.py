"""Approvals: a person's answer to a ``confirm`` verdict, scoped and expiring.

When the monitor says ``confirm``, the runtime first asks :meth:`ApprovalBook.covering`
whether a valid approval already answers it; if not, it files a request with
:meth:`ApprovalBook.request` (the id is what ``housemind approve ID`` takes) and pauses
the task. A person then approves with a scope, or denies:

``once``
    this step of this task, one time;
``task``
    every step of this task with the same rules;
``instruction``
    every task of this standing instruction, for ``days`` (default 30);
``rule``
    anything that only these rules flagged, for ``days`` (default 7).

Only people of the household (:class:`~safety.people.Household`) whose role lets them
approve (owner, member) may answer; when nobody is registered yet, only the people the
runtime named when it filed the request may, and a request filed without names cannot be
answered until an owner is added. Requests of a task that has ended are closed with the
reason. Requests expire
after ``request_ttl_s`` (default 24 h) and approvals after their days. Every request,
answer and use is written to the audit log with who, when and why. ``deny`` verdicts are
never covered by an approval.
"""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from housemind.memory.models import ApprovalRecord
from housemind.safety.audit import AuditLog, _session_factory
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.scheduler.clock import Clock, WallClock

__all__ = [
    "DEFAULT_DAYS",
    "Approval",
    "ApprovalBook",
    "ApprovalError",
    "ApprovalScope",
    "ApprovalStatus",
]

ApprovalScope = Literal["once", "task", "instruction", "rule"]
ApprovalStatus = Literal["pending", "approved", "denied", "expired", "closed"]
SCOPES: tuple[str, ...] = get_args(ApprovalScope)

#: How long an approval of each scope lasts unless the person says otherwise.
DEFAULT_DAYS: dict[str, float] = {"once": 1, "task": 1, "instruction": 30, "rule": 7}


class ApprovalError(ValueError):
    """An approval cannot be given or found; the message says why and what to do."""


class Approval(BaseModel):
    """One request and its answer, detached from the database."""

    model_config = ConfigDict(frozen=True)

    id: str
    created_at: datetime
    level: str
    subject: str
    reasons: list[str]
    rules: list[str]
    task_id: str | None
    instruction_id: str | None
    approvers: list[str] | None
    status: ApprovalStatus
    scope: str | None
    decided_by: str | None
    decided_at: datetime | None
    why: str | None
    expires_at: datetime | None
    uses: int


class ApprovalBook:
    """Files approval requests and answers them; stored in the ``approvals`` table.

    Args:
        sessions: A ``sessionmaker``, an ``Engine``, or an object with ``session()``
            (``memory.db.Database``).
        clock: The robot's clock (wall clock in UTC if None).
        audit: Where requests, answers and uses are recorded (an :class:`AuditLog` over
            the same sessions if None).
        request_ttl_s: How long a request waits for an answer.
    """

    def __init__(
        self,
        sessions: Any,
        clock: Clock | None = None,
        *,
        audit: AuditLog | None = None,
        request_ttl_s: float = 24 * 3600.0,
    ) -> None:
        self._sessions = _session_factory(sessions)
        self.clock: Clock = clock or WallClock()
        self.audit = audit if audit is not None else AuditLog(sessions, self.clock)
        self.request_ttl = timedelta(seconds=request_ttl_s)

    # -- asking ------------------------------------------------------------------------

    def request(
        self,
        verdict: SafetyVerdict,
        *,
        subject: str,
        level: Literal["instruction", "plan"] = "plan",
        task_id: str | None = None,
        instruction_id: str | None = None,
        approvers: Iterable[str] | None = None,
    ) -> Approval:
        """File a request for a person to answer a ``confirm`` verdict.

        Args:
            verdict: The monitor's ``confirm`` verdict.
            subject: What is to be approved (the step's text or the instruction).
            level: ``plan`` (a step) or ``instruction``.
            task_id: The task that waits.
            instruction_id: The standing instruction the task comes from, if any.
            approvers: Who may answer (the registered people); None: anyone named.

        Raises:
            ApprovalError: if the verdict is not ``confirm``.
        """
        if verdict.verdict is not Verdict.CONFIRM:
            raise ApprovalError(
                f"only 'confirm' verdicts can be approved; this one is "
                f"{verdict.verdict.value!r} ({', '.join(verdict.rules) or 'no rules'})"
            )
        now = self.clock.now()
        row = ApprovalRecord(
            id=secrets.token_hex(4),
            created_at=now,
            level=level,
            subject=subject,
            reasons=list(verdict.reasons),
            rules=list(verdict.rules),
            task_id=task_id,
            instruction_id=instruction_id,
            approvers=sorted({p.strip().lower() for p in approvers})
            if approvers is not None
            else None,
            status="pending",
            uses=0,
        )
        with self._sessions() as s:
            s.add(row)
            s.commit()
            out = _detach(row, now, self.request_ttl)
        self._audit("requested", out, Verdict.CONFIRM, None, f"waiting for a person (id {out.id})")
        return out

    # -- answering ---------------------------------------------------------------------

    def approve(
        self,
        approval_id: str,
        *,
        by: str,
        scope: ApprovalScope | None = None,
        days: float | None = None,
        why: str | None = None,
    ) -> Approval:
        """A person approves request ``approval_id`` with a scope.

        Args:
            approval_id: The request's id.
            by: Who approves (must be one of the request's approvers).
            scope: ``once``, ``task``, ``instruction`` or ``rule``; None: ``instruction``
                for a request about a standing instruction, else ``once``.
            days: How long it lasts; :data:`DEFAULT_DAYS` of the scope if None.
            why: The person's reason, for the audit log.

        Raises:
            ApprovalError: unknown, expired or already answered id; a person not
                registered; a scope that does not fit the request.
        """
        if scope is not None and scope not in SCOPES:
            raise ApprovalError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}")
        if days is not None and days <= 0:
            raise ApprovalError(f"days must be > 0, got {days}")
        return self._answer(approval_id, by, "approved", scope, days, why)

    def deny(self, approval_id: str, *, by: str, why: str | None = None) -> Approval:
        """A person denies request ``approval_id`` (the waiting step is not done).

        Raises:
            ApprovalError: unknown, expired or already answered id; a person not
                registered.
        """
        return self._answer(approval_id, by, "denied", None, None, why)

    def _answer(
        self,
        approval_id: str,
        by: str,
        status: str,
        scope: str | None,
        days: float | None,
        why: str | None,
    ) -> Approval:
        who = (by or "").strip().lower()
        if not who:
            raise ApprovalError("say who answers: --by NAME (a person registered in this home)")
        now = self.clock.now()
        with self._sessions() as s:
            row = s.get(ApprovalRecord, approval_id.strip().lower())
            if row is None:
                raise ApprovalError(self._unknown(s, approval_id))
            current = _detach(row, now, self.request_ttl)
            if current.status == "expired" and row.status == "pending":
                raise ApprovalError(
                    f"request {approval_id!r} expired at "
                    f"{(row.created_at + self.request_ttl).isoformat(timespec='minutes')}; "
                    "the task has moved on (ask the robot again)"
                )
            if row.status != "pending":
                raise ApprovalError(
                    f"request {approval_id!r} was already {row.status} by {row.decided_by} at "
                    f"{row.decided_at.isoformat(timespec='minutes') if row.decided_at else '?'}"
                )
            self._check_person(s, who, by, row, approval_id)
            if scope is None and status == "approved":
                standing = row.level == "instruction" and row.instruction_id
                scope = "instruction" if standing else "once"
            if scope == "task" and not row.task_id:
                raise ApprovalError(f"request {approval_id!r} has no task; use --scope once")
            if scope == "instruction" and not row.instruction_id:
                raise ApprovalError(
                    f"request {approval_id!r} does not come from a standing instruction; use "
                    "--scope once, task or rule"
                )
            row.status = status
            row.scope = scope
            row.decided_by = who
            row.decided_at = now
            row.why = why
            if status == "approved":
                row.expires_at = now + timedelta(days=days or DEFAULT_DAYS[scope or "once"])
            s.commit()
            out = _detach(row, now, self.request_ttl)
        verdict = Verdict.ALLOW if status == "approved" else Verdict.DENY
        detail = f"{status} ({scope}, until {out.expires_at:%Y-%m-%d %H:%M})" if scope else status
        self._audit(status, out, verdict, who, f"{detail}" + (f": {why}" if why else ""))
        return out

    def _check_person(
        self, session: Any, who: str, by: str, row: ApprovalRecord, approval_id: str
    ) -> None:
        from housemind.memory.models import PersonRecord
        from housemind.safety.people import Household, PersonError

        registered = session.scalars(select(PersonRecord.name)).first() is not None
        if registered:
            try:
                Household(self._sessions).check_approver(by)
            except PersonError as e:
                raise ApprovalError(f"cannot answer request {approval_id!r}: {e}") from None
        elif row.approvers is None:
            raise ApprovalError(
                f"nobody is registered in this home, so {by!r} cannot answer request "
                f"{approval_id!r}; add the owner first: housemind people add NAME --role owner"
            )
        if row.approvers is not None and who not in row.approvers:
            raise ApprovalError(
                f"{by!r} is not registered in this home; only "
                f"{', '.join(row.approvers) or 'nobody'} may answer request {approval_id!r}"
            )

    # -- closing -----------------------------------------------------------------------

    def close(self, approval_id: str, reason: str) -> Approval | None:
        """Close a pending request that no longer needs an answer (its task ended).

        Returns:
            The closed request, or None if it was not pending.
        """
        now = self.clock.now()
        with self._sessions() as s:
            row = s.get(ApprovalRecord, approval_id.strip().lower())
            if row is None or row.status != "pending":
                return None
            row.status = "closed"
            row.decided_at = now
            row.why = reason
            s.commit()
            out = _detach(row, now, self.request_ttl)
        self._audit("closed", out, Verdict.DENY, None, reason)
        return out

    def close_for_task(self, task_id: str, reason: str) -> list[Approval]:
        """Close every pending request of task ``task_id`` (it ended), with ``reason``."""
        with self._sessions() as s:
            ids = s.scalars(
                select(ApprovalRecord.id).where(
                    ApprovalRecord.status == "pending", ApprovalRecord.task_id == task_id
                )
            ).all()
        return [a for a in (self.close(i, reason) for i in ids) if a is not None]

    def _close_ended(self) -> None:
        """Close pending requests whose task has ended (failed, done, skipped, cancelled)."""
        from housemind.memory.models import TaskRecord

        with self._sessions() as s:
            rows = s.execute(
                select(ApprovalRecord.id, TaskRecord.id, TaskRecord.state, TaskRecord.result)
                .join(TaskRecord, TaskRecord.id == ApprovalRecord.task_id)
                .where(
                    ApprovalRecord.status == "pending",
                    TaskRecord.state.in_(("done", "failed", "skipped", "cancelled")),
                )
            ).all()
        for approval_id, task_id, state, result in rows:
            why = (result or {}).get("reason") or ""
            self.close(approval_id, f"task {task_id} ended ({state})" + (f": {why}" if why else ""))

    def approved_for_instruction(self, instruction_id: str) -> Approval | None:
        """The latest valid approval of standing instruction ``instruction_id``, or None."""
        now = self.clock.now()
        with self._sessions() as s:
            rows = s.scalars(
                select(ApprovalRecord)
                .where(
                    ApprovalRecord.status == "approved",
                    ApprovalRecord.instruction_id == instruction_id,
                    ApprovalRecord.expires_at > now,
                )
                .order_by(ApprovalRecord.decided_at.desc())
            ).all()
            return _detach(rows[0], now, self.request_ttl) if rows else None

    def pending_for_instruction(self, instruction_id: str) -> Approval | None:
        """A request for ``instruction_id`` still waiting for an answer, or None."""
        return next((a for a in self.pending() if a.instruction_id == instruction_id), None)

    # -- the gate's question -----------------------------------------------------------

    def covering(
        self,
        verdict: SafetyVerdict,
        *,
        subject: str,
        task_id: str | None = None,
        instruction_id: str | None = None,
        consume: bool = True,
    ) -> Approval | None:
        """A valid approval that already answers this ``confirm`` verdict, or None.

        An approval covers the verdict when it is approved and unexpired, it approved
        every rule of the verdict, and its scope fits: ``once`` the same task and
        subject, not used yet; ``task`` the same task; ``instruction`` the same standing
        instruction; ``rule`` anything. ``deny`` verdicts are never covered.

        Args:
            verdict: The monitor's verdict for the step.
            subject: The step's text, as passed to :meth:`request`.
            task_id: The task.
            instruction_id: Its standing instruction, if any.
            consume: Count the use (a ``once`` approval is then spent) and audit it.
        """
        if verdict.verdict is not Verdict.CONFIRM:
            return None
        want = set(verdict.rules)
        now = self.clock.now()
        with self._sessions() as s:
            rows = s.scalars(
                select(ApprovalRecord)
                .where(ApprovalRecord.status == "approved", ApprovalRecord.expires_at > now)
                .order_by(ApprovalRecord.decided_at)
            ).all()
            for row in rows:
                if not want <= set(row.rules or ()):
                    continue
                scope = row.scope
                fits = (
                    (
                        scope == "once"
                        and row.uses == 0
                        and row.task_id == task_id
                        and row.subject == subject
                    )
                    or (scope == "task" and task_id is not None and row.task_id == task_id)
                    or (
                        scope == "instruction"
                        and instruction_id is not None
                        and row.instruction_id == instruction_id
                    )
                    or scope == "rule"
                )
                if not fits:
                    continue
                if consume:
                    row.uses += 1
                    s.commit()
                out = _detach(row, now, self.request_ttl)
                break
            else:
                return None
        if consume:
            self._audit(
                "used",
                out,
                Verdict.ALLOW,
                out.decided_by,
                f"approval {out.id} ({out.scope}) by {out.decided_by} covers: {subject}",
                task_id=task_id,
            )
        return out

    # -- reading -----------------------------------------------------------------------

    def get(self, approval_id: str) -> Approval:
        """The request ``approval_id`` with its current status.

        Raises:
            ApprovalError: if there is no such request.
        """
        with self._sessions() as s:
            row = s.get(ApprovalRecord, approval_id.strip().lower())
            if row is None:
                raise ApprovalError(self._unknown(s, approval_id))
            return _detach(row, self.clock.now(), self.request_ttl)

    def pending(self) -> list[Approval]:
        """Requests still waiting for an answer (not expired), oldest first.

        Requests of tasks that have ended are closed first, with the reason.
        """
        self._close_ended()
        now = self.clock.now()
        with self._sessions() as s:
            rows = s.scalars(
                select(ApprovalRecord)
                .where(ApprovalRecord.status == "pending")
                .order_by(ApprovalRecord.created_at)
            ).all()
            out = [_detach(r, now, self.request_ttl) for r in rows]
        return [a for a in out if a.status == "pending"]

    def _unknown(self, session: Any, approval_id: str) -> str:
        ids = session.scalars(
            select(ApprovalRecord.id).where(ApprovalRecord.status == "pending")
        ).all()
        close = difflib.get_close_matches(approval_id.strip().lower(), ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return (
            f"no approval request {approval_id!r}{hint} "
            "(`housemind safety pending` lists the open ones)"
        )

    def _audit(
        self,
        what: str,
        a: Approval,
        verdict: Verdict,
        actor: str | None,
        reason: str,
        *,
        task_id: str | None = None,
    ) -> None:
        self.audit.record(
            "approval",
            f"{what} {a.id}: {a.subject}",
            SafetyVerdict(verdict=verdict, reasons=[reason], rules=list(a.rules)),
            actor=actor,
            task_id=task_id or a.task_id,
        )


def _detach(row: ApprovalRecord, now: datetime, ttl: timedelta) -> Approval:
    status = row.status
    waited_out = status == "pending" and row.created_at + ttl <= now
    ran_out = status == "approved" and row.expires_at is not None and row.expires_at <= now
    if waited_out or ran_out:
        status = "expired"
    return Approval(
        id=row.id,
        created_at=row.created_at,
        level=row.level,
        subject=row.subject,
        reasons=list(row.reasons or []),
        rules=list(row.rules or []),
        task_id=row.task_id,
        instruction_id=row.instruction_id,
        approvers=list(row.approvers) if row.approvers is not None else None,
        status=status,  # type: ignore[arg-type]
        scope=row.scope,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        why=row.why,
        expires_at=row.expires_at,
        uses=row.uses or 0,
    )
