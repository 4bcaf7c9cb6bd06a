"""SQLAlchemy ORM models: every table housemind keeps.

memory/ owns the database. The scheduler's instructions and tasks and the safety audit
log live here too, so that one engine, one migration history (alembic, in
``memory/migrations``) and one URL serve the whole robot. Code that uses a table lives in
the package that owns the idea (``scheduler/`` for tasks, ``safety/`` for the audit log).

Times are stored as timezone-aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ApprovalRecord",
    "AuditRecord",
    "Base",
    "ChecklistItem",
    "CredentialRecord",
    "EstopRecord",
    "Event",
    "Fact",
    "InstructionRecord",
    "ObjectRecord",
    "RobotStatusRecord",
    "RunRecord",
    "Place",
    "PersonRecord",
    "ObservationDay",
    "ObservationRecord",
    "Sighting",
    "TaskRecord",
    "utcnow",
]


def utcnow() -> datetime:
    """Timezone-aware UTC now (only for row bookkeeping; robot time comes from a Clock)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A DateTime that always comes back timezone-aware in UTC (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: housemind stores aware times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for all housemind tables."""

    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


# --- spatial memory -------------------------------------------------------------------


class Place(Base):
    """A room or a fixture (furniture, appliance) of the home."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(64))  # "room" or the fixture kind ("fridge")
    room: Mapped[str | None] = mapped_column(String(128))  # None for rooms
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    props: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # openable, state...
    last_seen_at: Mapped[datetime | None]


class ObjectRecord(Base):
    """A movable object and where it was last seen."""

    __tablename__ = "objects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    place: Mapped[str | None] = mapped_column(String(128))  # fixture or room it is at
    relation: Mapped[str | None] = mapped_column(String(16))  # "on" | "in" | None (floor)
    room: Mapped[str | None] = mapped_column(String(128))
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_seen_at: Mapped[datetime | None] = mapped_column(index=True)
    seen_count: Mapped[int] = mapped_column(Integer, default=0)
    # Set when the robot looked where the object should be and did not see it.
    missing_since: Mapped[datetime | None]


class Sighting(Base):
    """How often and when an object was seen at one place (the object's place history).

    ``objects`` keeps only the latest place; this table keeps every place an object has
    been seen at, so search can rank an object's habitual places and learn where objects
    of a kind usually are in this home.
    """

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("object", "place", name="uq_sighting_object_place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    place: Mapped[str] = mapped_column(String(128))
    relation: Mapped[str | None] = mapped_column(String(16))
    room: Mapped[str | None] = mapped_column(String(128))
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


# --- symbolic memory ------------------------------------------------------------------


class Fact(Base):
    """A fact or preference with provenance and validity time."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(128), index=True)
    predicate: Mapped[str] = mapped_column(String(128), index=True)
    value: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32), default="fact")  # fact | preference
    source: Mapped[str] = mapped_column(String(64), default="person")  # person|perception|...
    told_by: Mapped[str | None] = mapped_column(String(128))
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistItem(Base):
    """An item on a checklist such as the shopping list."""

    __tablename__ = "checklist_items"
    __table_args__ = (Index("ix_checklist_list_status", "list_name", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(128))
    quantity: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done | removed
    added_by: Mapped[str | None] = mapped_column(String(128))
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]


# --- episodic memory ------------------------------------------------------------------


class Event(Base):
    """Something that happened: a task, subtask, outcome, conversation turn, safety event."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(128))
    task_id: Mapped[str | None] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The sentence embedding of ``text`` as float16[dim] little-endian bytes (see
    # memory.semantic); None until embedded. A blob rather than a vector type so SQLite
    # and PostgreSQL store it alike.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


# --- scheduler ------------------------------------------------------------------------


class InstructionRecord(Base):
    """A standing instruction as stored (see ``scheduler.StandingInstruction``)."""

    __tablename__ = "instructions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    goal: Mapped[str] = mapped_column(Text)
    rrule: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    time_is_deadline: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_s: Mapped[float] = mapped_column(Float, default=600.0)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TaskRecord(Base):
    """One fired chore. ``(instruction_id, due_at)`` is unique: a chore fires once."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("instruction_id", "due_at", name="uq_task_fire"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    instruction_id: Mapped[str | None] = mapped_column(
        ForeignKey("instructions.id", ondelete="SET NULL")
    )
    goal: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(index=True)
    # pending | running | waiting | done | failed | skipped | cancelled
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    dispatch_count: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- safety ---------------------------------------------------------------------------


class AuditRecord(Base):
    """One safety verdict: who asked, when, what was decided and why."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[datetime] = mapped_column(index=True)
    level: Mapped[str] = mapped_column(String(16))  # instruction | plan | action
    subject: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    actor: Mapped[str | None] = mapped_column(String(128))
    task_id: Mapped[str | None] = mapped_column(String(64), index=True)


class ApprovalRecord(Base):
    """A ``confirm`` verdict waiting for a person, and the person's answer and its scope."""

    __tablename__ = "approvals"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    level: Mapped[str] = mapped_column(String(16))  # instruction | plan
    subject: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    task_id: Mapped[str | None] = mapped_column(String(64), index=True)
    instruction_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # Who may answer (the registered people when it was asked); None: anyone named.
    approvers: Mapped[list[str] | None] = mapped_column(JSON)
    # pending | approved | denied
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # once | task | instruction | rule
    scope: Mapped[str | None] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    why: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)


class PersonRecord(Base):
    """A person of the household and their role (who may instruct and who may approve).

    ``name`` is the lower-cased key; ``display`` keeps how it was written.
    """

    __tablename__ = "people"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    display: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))  # owner | member | guest
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str | None] = mapped_column(String(128))


class CredentialRecord(Base):
    """A person's sign-in secret for the dashboard, kept only as a salted scrypt hash.

    ``name`` is the person's key in ``people``; a person who is removed cannot sign in
    (the credential is deleted with them, and every sign-in checks the list).
    """

    __tablename__ = "credentials"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16))  # token | password
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(128))
    last_used_at: Mapped[datetime | None]


class EstopRecord(Base):
    """An emergency stop: who pressed it, why, and who released it when.

    The stop is engaged while the newest row has no ``released_at``. The runtime (in any
    process) watches this table, so a button on the dashboard stops a robot that another
    process drives.
    """

    __tablename__ = "estops"

    id: Mapped[int] = mapped_column(primary_key=True)
    pressed_at: Mapped[datetime] = mapped_column(index=True)
    pressed_by: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime | None]
    released_by: Mapped[str | None] = mapped_column(String(128))


# --- the robot now (the dashboard's live view) ------------------------------------------


class RobotStatusRecord(Base):
    """What the robot is doing now, written by the runtime as it goes (one row per robot).

    ``world`` is the simulator's latest snapshot (empty on a real robot), so a process
    that does not run the robot (the dashboard) can draw the home as it is.
    """

    __tablename__ = "robot_status"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    updated_at: Mapped[datetime]  # wall clock: how fresh the row is
    robot_time: Mapped[datetime | None]  # the robot's clock (simulated in a sim run)
    phase: Mapped[str] = mapped_column(String(16), default="idle")
    task_id: Mapped[str | None] = mapped_column(String(64))
    goal: Mapped[str | None] = mapped_column(Text)
    subtask: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recent: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    world: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    world_at: Mapped[datetime | None]


# --- runs (the agent's durable simulation runs) ----------------------------------------


class RunRecord(Base):
    """A durable run: where a simulated run stands, so a killed process resumes it.

    ``world`` is the simulator's snapshot (random generators included) at the last safe
    point between chores; inside a chore the task graph's checkpoints carry it instead.
    """

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seed: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime]
    until: Mapped[datetime]
    world: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | finished
    updated_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- spatial memory: raw observation log and its compacted form -------------------------


class ObservationRecord(Base):
    """One sighting of one object at one time (the raw log; compacted after a while).

    :meth:`memory.SpatialMemory.compact` folds rows older than a cut-off into
    :class:`ObservationDay` rows and deletes them, so the log stays bounded.
    """

    __tablename__ = "observations"
    __table_args__ = (Index("ix_observations_object_time", "object", "time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[datetime] = mapped_column(index=True)
    object: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(128))
    relation: Mapped[str | None] = mapped_column(String(16))
    room: Mapped[str | None] = mapped_column(String(128))
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)


class ObservationDay(Base):
    """Compacted observations: how often an object was seen at a place on one (UTC) day."""

    __tablename__ = "observation_days"
    __table_args__ = (
        UniqueConstraint("object", "place", "day", name="uq_observation_day"),
        Index("ix_observation_days_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(128))
    relation: Mapped[str | None] = mapped_column(String(16))
    room: Mapped[str | None] = mapped_column(String(128))
    day: Mapped[str] = mapped_column(String(10))  # ISO date (UTC), e.g. "2026-11-25"
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
