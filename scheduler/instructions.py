"""Standing instructions: what a person asked the robot to do, and when.

A :class:`StandingInstruction` is validated at the edge (RRULE, windows and time zone are
checked when it is built) and trusted inside. Its kinds:

- ``recurring_chore``, ``deadline_chore`` (the rule's time is when it must be done),
  ``one_off``: work the robot does;
- ``check_in``: a question the robot asks a person (answers may go to a list);
- ``reminder``: the robot tells a person something ("remind owner to take their pills"); it
  is planned and done like a chore whose goal is to say it, never a question;
- ``constraint``: when something must not be done ("never run the dishwasher after 10:30
  pm"): no rule of its own, a ``window`` the scheduler keeps chores out of;
- ``preference``: kept in mind.

:func:`parse_instruction` reads one plain sentence such as "water the plants every day at
9:00" (``parse_paragraph`` reads whole paragraphs: habits, routines, constraints, several
chores a sentence).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from housemind.scheduler._goals import CHECK_IN_RE, REMINDER_RE, check_in_goal, reminder_goal
from housemind.scheduler._rrule import load_zone, parse_window, recurrence, split_rules
from housemind.scheduler._when import (
    DEADLINE_TIME,
    DEFAULT_TIME,
    PERSON_TIME,
    normalise,
    read_schedule,
    split_schedule,
    vague_question,
)
from housemind.scheduler.durations import DEFAULT_DURATION_S, estimate_duration_s
from housemind.scheduler.errors import AmbiguousInstructionError, InstructionParseError

__all__ = [
    "ASLEEP",
    "AT_HOME",
    "PERSON_KINDS",
    "RECORD_DATA_FIELDS",
    "AmbiguousInstructionError",
    "InstructionKind",
    "InstructionParseError",
    "StandingInstruction",
    "instruction_id",
    "parse_instruction",
    "vague_question",
]


class InstructionKind(StrEnum):
    """What sort of standing instruction it is."""

    RECURRING_CHORE = "recurring_chore"
    DEADLINE_CHORE = "deadline_chore"
    CHECK_IN = "check_in"
    REMINDER = "reminder"
    CONSTRAINT = "constraint"
    PREFERENCE = "preference"
    ONE_OFF = "one_off"


#: Kinds that talk to a person (placed when that person is at home and awake).
PERSON_KINDS = frozenset({InstructionKind.CHECK_IN, InstructionKind.REMINDER})
#: Kinds with no schedule of their own.
UNSCHEDULED_KINDS = frozenset(
    {InstructionKind.PREFERENCE, InstructionKind.CHECK_IN, InstructionKind.CONSTRAINT}
)
#: The ``window`` value for "while anyone is asleep" (from the household's routine).
ASLEEP = "asleep"
#: The ``window`` value for "while the person who said it is at home": a chore said "while
#: I'm out" keeps out of it (from that person's routine).
AT_HOME = "home"


def _normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(".!").strip().lower()


def instruction_id(text: str) -> str:
    """Stable id for an instruction's text (case, spacing and a final '.' do not matter)."""
    digest = hashlib.sha256(_normalise_text(text).encode()).hexdigest()
    return f"instr-{digest[:16]}"


#: Instruction fields kept in the record's ``data`` JSON (the rest are columns).
RECORD_DATA_FIELDS = ("grace_s", "answers_to", "person", "said_by", "window")


class StandingInstruction(BaseModel):
    """A standing instruction as the scheduler uses it.

    ``rrule`` is an RFC 5545 rule in local wall time of ``timezone``, optionally preceded by a
    ``DTSTART:YYYYMMDDTHHMMSS`` line (local time) when the rule needs an anchor (``INTERVAL``
    > 1, ``COUNT``); several ``RRULE:`` lines share it ("every day at 07:30 and 18:00").
    For a deadline chore (``time_is_deadline``) the rule gives the deadline and the chore
    fires its expected duration earlier.

    ``person`` is who a check-in asks or a reminder tells (e.g. ``"owner"``, ``"Sam"``,
    ``"everyone"``, ``"the kids"``); ``said_by`` who gave the instruction (read-backs say
    "you" to them). A constraint's ``window`` is one or more weekly windows in which its goal
    must not be done, ``"; "``-separated, each ``"DAYS HH:MM-HH:MM"`` (DAYS ``*`` or
    ``MO,TU,...``; an end at or before the start is the next day), ``"asleep"``, or
    ``"home"`` (while ``said_by`` is at home). A chore's ``window`` is the same: windows its
    own runs keep out of ("vacuum the hall every Wednesday while I'm out": ``"home"``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default="", max_length=64)
    text: str = Field(min_length=1)
    kind: InstructionKind = InstructionKind.RECURRING_CHORE
    goal: str = Field(min_length=1)
    rrule: str | None = None
    timezone: str = "UTC"
    time_is_deadline: bool = False
    duration_s: float = Field(default=DEFAULT_DURATION_S, ge=0)
    priority: int = 0
    enabled: bool = True
    # How late a fire may still run; None means duration_s (see scheduler.runner).
    grace_s: float | None = Field(default=None, ge=0)
    # Check-ins: the checklist the person's answers go to ("shopping"), if any.
    answers_to: str | None = None
    person: str | None = None
    said_by: str | None = None
    window: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id") and data.get("text"):
            data = {**data, "id": instruction_id(str(data["text"]))}
        return data

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        load_zone(value)
        return value

    @field_validator("rrule")
    @classmethod
    def _check_rrule_text(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        split_rules(value)  # raises a ValueError that names the value
        return value

    @field_validator("window")
    @classmethod
    def _check_window(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = [p.strip() for p in value.split(";") if p.strip()]
        for part in parts:
            if part not in (ASLEEP, AT_HOME):
                parse_window(part)  # raises a ValueError that names the value
        return "; ".join(parts)

    @model_validator(mode="after")
    def _check_schedule(self) -> StandingInstruction:
        if self.rrule is not None:
            recurrence(self.rrule, self.timezone)  # expansion errors surface here, not later
        elif self.kind not in UNSCHEDULED_KINDS:
            raise ValueError(
                f"instruction {self.text!r} of kind {self.kind.value!r} needs an rrule "
                "(e.g. 'RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0'); only preferences, "
                "constraints and check-ins may have none"
            )
        if self.kind is InstructionKind.CONSTRAINT and self.window is None:
            raise ValueError(
                f"constraint {self.text!r} needs a window, e.g. '* 22:30-07:00' (never "
                "between 22:30 and 07:00) or 'SU 00:00-24:00' (never on Sundays)"
            )
        return self

    def windows(self) -> list[str]:
        """The windows it keeps out of (``"* 22:30-07:00"``, ``"asleep"`` ...), else []."""
        return [p.strip() for p in (self.window or "").split(";") if p.strip()]

    @property
    def grace_period_s(self) -> float:
        """How long after its fire time a chore may still start (default: its duration)."""
        return self.duration_s if self.grace_s is None else self.grace_s

    def to_record(self) -> Any:
        """Return a new ``memory.models.InstructionRecord`` for this instruction."""
        from housemind.memory.models import InstructionRecord

        data: dict[str, Any] = {}
        for key in RECORD_DATA_FIELDS:
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return InstructionRecord(
            id=self.id,
            text=self.text,
            kind=self.kind.value,
            goal=self.goal,
            rrule=self.rrule,
            timezone=self.timezone,
            time_is_deadline=self.time_is_deadline,
            duration_s=self.duration_s,
            priority=self.priority,
            enabled=self.enabled,
            data=data,
        )

    @classmethod
    def from_record(cls, record: Any) -> StandingInstruction:
        """Build from a ``memory.models.InstructionRecord`` row."""
        data = record.data or {}
        return cls(
            id=record.id,
            text=record.text,
            kind=InstructionKind(record.kind),
            goal=record.goal,
            rrule=record.rrule,
            timezone=record.timezone,
            time_is_deadline=bool(record.time_is_deadline),
            duration_s=float(record.duration_s),
            priority=int(record.priority),
            enabled=bool(record.enabled),
            **{key: data.get(key) for key in RECORD_DATA_FIELDS},
        )


# --- the single-sentence parser -------------------------------------------------------


def parse_instruction(
    text: str,
    *,
    now: datetime,
    tz: str,
    duration_s: float | None = DEFAULT_DURATION_S,
    priority: int = 0,
    strict: bool = False,
    speaker: str = "owner",
) -> StandingInstruction:
    """Read a one-sentence standing instruction.

    Understood: "<goal> every day at 9:00", "<goal> every weekday at 7am", "<goal> on
    Saturdays at 10:00", "<goal> every wed" (abbreviated or misspelled days), "<goal> by 6 pm
    every day" (a deadline), "every other day", "every 4th day", "every other week on
    Monday", "every 2 weeks on Friday", "on the first Monday of the month", "every 2nd of
    the month", "on the last day of the month", "at 7 am and 7 pm" (several times; every
    day when no day is said), "every 30 minutes", "in the evening", "tomorrow at 9", "next
    Friday at 3pm", "on December 3" (one-offs), and the same with the schedule first
    ("Every Monday, ask me what to buy") or in the middle ("check in with me every Monday to
    see what to buy"). Goals that start with "ask me"/"check in with me" become check-ins,
    "remind me to ..."/"tell me to ..." reminders. Without a time of day, chores are at
    09:00 and check-ins and reminders at 18:30. "on Saturday" alone is the coming Saturday
    (a one-off); "on Saturdays" and "every Saturday" repeat. Times written "7:00" are on a
    24-hour clock; a bare hour ("at 7") is read with the sentence's hints (see
    ``_when.clock_time``).

    Args:
        text: The instruction as the person said it.
        now: The current time (anchors one-off and every-other-day rules).
        tz: The home's IANA time zone.
        duration_s: Estimated duration of the chore; None estimates it from the goal
            (:func:`scheduler.durations.estimate_duration_s`).
        priority: Priority for the scheduler.
        strict: Raise :class:`AmbiguousInstructionError` instead of guessing when the
            phrasing has two plausible readings (a bare "at 7", "sometimes", "every other"
            without a unit).
        speaker: Who says it ("remind me" reminds them).

    Returns:
        The instruction, with a canonical RRULE.

    Raises:
        AmbiguousInstructionError: ``strict`` and the phrasing is ambiguous.
        InstructionParseError: No schedule or no goal could be read.
        ValueError: ``tz`` is not a known time zone.
    """
    load_zone(tz)
    if strict and (question := vague_question(text)):
        raise AmbiguousInstructionError(text, question)
    goal, clauses = split_schedule(normalise(text))
    if not clauses:
        raise InstructionParseError(text, "no schedule phrase (when should it happen?)")
    if not goal:
        raise InstructionParseError(text, "no goal (what should the robot do?)")
    kind = InstructionKind.RECURRING_CHORE
    person = answers_to = None
    default = DEFAULT_TIME
    if (m := REMINDER_RE.match(goal)) is not None:
        kind = InstructionKind.REMINDER
        who = m.group("who") or m.group("told")
        goal, person = reminder_goal(who, goal[m.end() :], speaker=speaker)
        default = PERSON_TIME
    elif (m := CHECK_IN_RE.match(goal)) is not None:
        kind = InstructionKind.CHECK_IN
        goal, person, answers_to = check_in_goal(m.group("who"), goal[m.end() :], speaker=speaker)
        default = PERSON_TIME
    deadline = any(k in ("by", "by_day") for k, _ in clauses)
    if deadline and any(k == "at" for k, _ in clauses):
        raise InstructionParseError(text, "both 'at' and 'by' a time; say one of them")
    when = read_schedule(
        goal,
        clauses,
        text=text,
        now=now,
        tz=tz,
        strict=strict,
        default_time=DEADLINE_TIME if deadline else default,
    )
    if kind is InstructionKind.RECURRING_CHORE:
        if when.one_off:
            kind = InstructionKind.ONE_OFF
        elif when.deadline:
            kind = InstructionKind.DEADLINE_CHORE
    if duration_s is None:
        duration_s = estimate_duration_s(goal)
    try:
        return StandingInstruction(
            text=text.strip(),
            kind=kind,
            goal=goal,
            rrule=when.rrule,
            timezone=tz,
            time_is_deadline=when.deadline and kind not in PERSON_KINDS,
            duration_s=duration_s,
            priority=priority,
            answers_to=answers_to,
            person=person,
            said_by=speaker if person is not None else None,
        )
    except ValueError as exc:
        raise InstructionParseError(
            text, f"the schedule {when.rrule!r} is not valid ({exc})"
        ) from exc
