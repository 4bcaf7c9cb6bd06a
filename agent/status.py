"""The robot's live status in the database, for a dashboard in another process.

The runtime reports what happens through events (``ready``, ``run_start``,
``chore_start``, ``subtask``, ``outcome``, ``chore_end``, ``safety``, ``estop``,
``run_end``). :class:`StatusBoard` listens to them and keeps one row (table
``robot_status``) up to date: the phase, the current chore and subtask, the steps of the
chore so far, the latest events, and, with a simulator, the world's snapshot (at most
every ``world_every_s`` wall seconds, and at the start and end of every chore), so a
process that does not run the robot can draw the home as it is
(``HomeSimEnv.set_state`` then ``render``). :func:`read_status` reads it back. The board
never raises into the run: a status that cannot be written is logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import insert, update

from housemind.memory.models import RobotStatusRecord

__all__ = [
    "ROBOT_ID",
    "RobotStatus",
    "StatusBoard",
    "change_marks",
    "read_status",
    "read_world",
    "robot_now",
]

logger = logging.getLogger(__name__)

#: The status row of the robot of a home (one robot per home and database).
ROBOT_ID = "robot"

_PHASES = {
    "chore_start": "chore",
    "subtask": "chore",
    "outcome": "chore",
    "run_end": "finished",
    "ready": "idle",
    "run_start": "idle",
}


class RobotStatus(BaseModel):
    """What the robot is doing, as the runtime last wrote it.

    Attributes:
        updated_at: When the row was written (wall clock, UTC): how fresh it is.
        robot_time: The robot's clock then (simulated time in a simulated run).
        phase: ``idle`` (between chores), ``chore``, ``waiting`` (a chore waits for a
            person), ``stopped`` (emergency stop) or ``finished`` (the run ended).
        task_id: The current (or last) chore's task.
        goal: Its goal.
        subtask: The subtask being executed (None between subtasks).
        steps: The chore's subtasks so far: ``{"text", "status", "reason"}``; the
            running one has status ``running``.
        recent: The latest events: ``{"time", "kind", "text"}``, newest last.
        has_world: Whether a simulator snapshot is stored (:func:`read_world`).
        world_at: The robot time of that snapshot.
    """

    updated_at: datetime
    robot_time: datetime | None = None
    phase: str = "idle"
    task_id: str | None = None
    goal: str | None = None
    subtask: str | None = None
    steps: list[dict[str, Any]] = Field(default_factory=list)
    recent: list[dict[str, Any]] = Field(default_factory=list)
    has_world: bool = False
    world_at: datetime | None = None

    def age_s(self, now: datetime | None = None) -> float:
        """Wall seconds since the row was written."""
        return ((now or datetime.now(UTC)) - self.updated_at).total_seconds()


class StatusBoard:
    """Keeps the ``robot_status`` row up to date from the runtime's events.

    Args:
        db: The project database (``memory.Database``).
        snapshot: Returns the simulator's state (None on a real robot).
        robot_id: The row's id.
        world_every_s: Write the world's snapshot at most this often (wall seconds)
            between the start and the end of a chore.
        keep_recent: How many recent events the row keeps.
    """

    def __init__(
        self,
        db: Any,
        snapshot: Callable[[], dict[str, Any] | None] | None = None,
        *,
        robot_id: str = ROBOT_ID,
        world_every_s: float = 0.5,
        keep_recent: int = 30,
    ) -> None:
        self.db = db
        self.snapshot = snapshot
        self.robot_id = robot_id
        self.world_every_s = float(world_every_s)
        self.keep_recent = int(keep_recent)
        self._lock = threading.Lock()
        self._last_world = -1e9
        self._state: dict[str, Any] = {
            "phase": "idle",
            "task_id": None,
            "goal": None,
            "subtask": None,
            "steps": [],
            "recent": [],
        }
        self._stopped = False

    def on_event(self, kind: str, payload: dict[str, Any]) -> None:
        """Fold one runtime event into the status and write it (never raises)."""
        try:
            with self._lock:
                world = self._fold(kind, payload)
                self._write(payload.get("time"), world)
        except Exception:  # noqa: BLE001 - the live view must never break a run
            logger.exception("could not write the robot's status (%s)", kind)

    def _fold(self, kind: str, p: dict[str, Any]) -> bool:
        st = self._state
        line = _describe(kind, p)
        if line:
            st["recent"] = [*st["recent"], {"time": p.get("time"), "kind": kind, "text": line}][
                -self.keep_recent :
            ]
        if kind == "chore_start":
            if st["task_id"] != p.get("task_id"):
                st["steps"] = []
            st.update(task_id=p.get("task_id"), goal=p.get("goal"), subtask=None)
        elif kind == "subtask":
            st["subtask"] = p.get("text")
            st["steps"] = [*st["steps"], {"text": p.get("text"), "status": "running"}][-50:]
        elif kind == "outcome":
            st["subtask"] = None
            if st["steps"] and st["steps"][-1]["status"] == "running":
                st["steps"][-1] = {
                    "text": p.get("text", st["steps"][-1]["text"]),
                    "status": p.get("status"),
                    "reason": p.get("reason", ""),
                }
        elif kind == "chore_end":
            st["subtask"] = None
            st["phase"] = "waiting" if p.get("status") == "waiting" else "idle"
        elif kind == "estop":
            self._stopped = bool(p.get("engaged"))
        if kind in _PHASES:
            st["phase"] = _PHASES[kind]
        # The picture at the edges of a chore, and at most every world_every_s inside one.
        edge = kind in ("ready", "chore_start", "chore_end", "run_end", "estop")
        due = time.monotonic() - self._last_world >= self.world_every_s
        return self.snapshot is not None and (edge or (due and kind in ("outcome", "subtask")))

    def _write(self, when: str | None, with_world: bool) -> None:
        st = self._state
        robot_time = datetime.fromisoformat(when) if when else None
        world = self.snapshot() if with_world and self.snapshot is not None else None
        if world is not None:
            self._last_world = time.monotonic()
        t = RobotStatusRecord.__table__
        values: dict[str, Any] = {
            "updated_at": datetime.now(UTC),
            "phase": "stopped" if self._stopped else st["phase"],
            "task_id": st["task_id"],
            "goal": st["goal"],
            "subtask": st["subtask"],
            "steps": list(st["steps"]),
            "recent": list(st["recent"]),
        }
        if robot_time is not None:
            values["robot_time"] = robot_time
        if world is not None:
            values["world"] = world
            values["world_at"] = robot_time if robot_time is not None else t.c.robot_time
        # An UPDATE without reading the row first: reading it back decoded the stored
        # world snapshot on every event (a tenth of a simulated month's database time).
        with self.db.engine.begin() as conn:
            done = conn.execute(update(t).where(t.c.id == self.robot_id).values(**values))
            if done.rowcount == 0:
                values.setdefault("world", {})
                if values.get("world_at") is t.c.robot_time:
                    values["world_at"] = None
                conn.execute(insert(t).values(id=self.robot_id, **values))


def _describe(kind: str, p: dict[str, Any]) -> str:
    """One line for the dashboard's activity list."""
    if kind == "chore_start":
        return f"started: {p.get('goal', '')}"
    if kind == "subtask":
        return f"→ {p.get('text', '')}"
    if kind == "outcome":
        why = f" ({p['reason']})" if p.get("reason") else ""
        return f"{p.get('status', '')}: {p.get('text', '')}{why}"
    if kind == "chore_end":
        why = f" — {p['reason']}" if p.get("reason") else ""
        return f"{p.get('status', '')}: {p.get('goal', '')}{why}"
    if kind == "safety" and p.get("verdict") != "allow":
        return f"safety {p.get('verdict')}: {p.get('subject', '')}"
    if kind == "estop":
        if p.get("engaged"):
            return f"EMERGENCY STOP by {p.get('by') or 'someone'}: {p.get('reason', '')}"
        return f"emergency stop released by {p.get('by') or 'someone'}"
    if kind == "run_end":
        return "the run ended"
    if kind == "ready":
        return "the robot is up"
    if kind == "run_start":
        return f"running until {str(p.get('until', ''))[:16].replace('T', ' ')}"
    return ""


def read_status(db: Any, robot_id: str = ROBOT_ID) -> RobotStatus | None:
    """The robot's status as last written, or None if no runtime has written one."""
    with db.session() as s:
        row = s.get(RobotStatusRecord, robot_id)
        if row is None:
            return None
        return RobotStatus(
            updated_at=row.updated_at,
            robot_time=row.robot_time,
            phase=row.phase,
            task_id=row.task_id,
            goal=row.goal,
            subtask=row.subtask,
            steps=list(row.steps or []),
            recent=list(row.recent or []),
            has_world=bool(row.world),
            world_at=row.world_at,
        )


def read_world(db: Any, robot_id: str = ROBOT_ID) -> dict[str, Any] | None:
    """The latest simulator snapshot the runtime wrote (None on a real robot or none yet)."""
    with db.session() as s:
        row = s.get(RobotStatusRecord, robot_id)
        return dict(row.world) if row is not None and row.world else None


def robot_now(db: Any, tz: str = "UTC") -> datetime:
    """The robot's 'now' for a person's words and answers, in the home's time zone ``tz``.

    The robot's clock as the runtime last reported it (a simulated run's clock, which is
    not the wall's), else the time a stored run last reached, else the wall clock.
    """
    from sqlalchemy import select

    from housemind.memory.models import RunRecord
    from housemind.scheduler._rrule import load_zone

    zone = load_zone(tz)
    status = read_status(db)
    if status is not None and status.robot_time is not None:
        return status.robot_time.astimezone(zone)
    with db.session() as s:
        reached = s.scalars(
            select(RunRecord.updated_at).order_by(RunRecord.updated_at.desc())
        ).first()
    return (reached or datetime.now(UTC)).astimezone(zone)


def change_marks(db: Any, robot_id: str = ROBOT_ID) -> dict[str, str]:
    """Cheap marks that change whenever something a person sees changes (for live views).

    ``status``: the robot's status row was written; ``audit``: anything was decided or
    done by a person or the safety monitor (instructions, edits, approvals, answers,
    stops); ``tasks``: a task was fired, started, finished or paused for a person.
    """
    from sqlalchemy import func, select

    from housemind.memory.models import AuditRecord, TaskRecord

    with db.session() as s:
        updated = s.scalar(
            select(RobotStatusRecord.updated_at).where(RobotStatusRecord.id == robot_id)
        )
        audit = s.scalar(select(func.max(AuditRecord.id)))
        tasks = s.execute(
            select(
                func.count(TaskRecord.id),
                func.max(TaskRecord.started_at),
                func.max(TaskRecord.finished_at),
                func.sum(TaskRecord.dispatch_count),
            )
        ).one()
        waiting = s.scalar(select(func.count(TaskRecord.id)).where(TaskRecord.state == "waiting"))
    return {
        "status": updated.isoformat() if updated else "",
        "audit": str(audit or 0),
        "tasks": "|".join(str(v) for v in (*tasks, waiting)),
    }
