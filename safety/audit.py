"""The safety audit log: every instruction and plan verdict, and every emergency stop.

Rows go to :class:`memory.models.AuditRecord` through whatever session source the robot
uses: a ``sessionmaker``, any callable returning a context-managed ``Session``, an
``Engine``, or an object with a ``session()`` context manager (``memory.db.Database``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from housemind.memory.models import AuditRecord
from housemind.safety.verdict import SafetyVerdict
from housemind.scheduler.clock import Clock, WallClock

__all__ = ["AuditEntry", "AuditLevel", "AuditLog"]

logger = logging.getLogger(__name__)

#: ``access``: signing in and out of the dashboard, people and their secrets changing.
AuditLevel = Literal["instruction", "plan", "action", "approval", "access"]
SessionFactory = Callable[[], AbstractContextManager[Session]]


class AuditEntry(BaseModel):
    """One audit row, detached from the database (for the CLI and ``--json``)."""

    model_config = ConfigDict(frozen=True)

    id: int
    time: datetime
    level: str
    subject: str
    verdict: str
    reasons: list[str]
    rules: list[str]
    actor: str | None
    task_id: str | None


def _session_factory(source: Any) -> SessionFactory:
    if isinstance(source, Engine):
        return sessionmaker(source)
    if not callable(source) and callable(getattr(source, "session", None)):
        return source.session  # a Database-like object
    if callable(source):
        return source
    raise TypeError(
        f"AuditLog needs a sessionmaker, an Engine or an object with "
        f".session(); got {type(source).__name__}"
    )


class AuditLog:
    """Writes safety verdicts to the ``audit`` table and reads recent ones back.

    Args:
        sessions: A ``sessionmaker``, a callable returning a context-managed ``Session``,
            an ``Engine``, or an object with a ``session()`` context manager.
        clock: Where the time of each row comes from (the robot's clock; wall clock in
            UTC if None).
    """

    def __init__(self, sessions: Any, clock: Clock | None = None) -> None:
        self._sessions = _session_factory(sessions)
        self.clock: Clock = clock or WallClock()

    def record(
        self,
        level: AuditLevel,
        subject: str,
        verdict: SafetyVerdict,
        *,
        actor: str | None = None,
        task_id: str | None = None,
    ) -> None:
        """Write one verdict.

        Args:
            level: ``instruction``, ``plan``, ``action``, ``approval`` or ``access``.
            subject: What was judged (the instruction text, the step, the stop reason).
            verdict: The verdict with its reasons and rule ids.
            actor: Who asked (a person's name), if known.
            task_id: The task it belongs to, if any.
        """
        row = AuditRecord(
            time=self.clock.now(),
            level=level,
            subject=subject,
            verdict=verdict.verdict.value,
            reasons=list(verdict.reasons),
            rules=list(verdict.rules),
            actor=actor,
            task_id=task_id,
        )
        with self._sessions() as session:
            session.add(row)
            # A Database.session() may commit on exit as well; a second commit is a no-op.
            session.commit()

    def recent(
        self,
        n: int = 20,
        *,
        level: AuditLevel | None = None,
        task_id: str | None = None,
    ) -> list[AuditEntry]:
        """The ``n`` newest rows, newest first, optionally of one level or task."""
        stmt = select(AuditRecord).order_by(AuditRecord.time.desc(), AuditRecord.id.desc())
        if level is not None:
            stmt = stmt.where(AuditRecord.level == level)
        if task_id is not None:
            stmt = stmt.where(AuditRecord.task_id == task_id)
        with self._sessions() as session:
            rows = session.scalars(stmt.limit(n)).all()
            return [
                AuditEntry(
                    id=r.id,
                    time=r.time,
                    level=r.level,
                    subject=r.subject,
                    verdict=r.verdict,
                    reasons=list(r.reasons or []),
                    rules=list(r.rules or []),
                    actor=r.actor,
                    task_id=r.task_id,
                )
                for r in rows
            ]
