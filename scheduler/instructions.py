"""Standing instructions: what a person asked the robot to do, and when.

A :class:`StandingInstruction` is validated at the edge (RRULE and time zone are checked when
it is built) and trusted inside. :func:`parse_instruction` is the v1 reader for plain
phrasings such as "water the plants every day at 9:00"; it only hands the *schedule phrase*
to ``recurrent`` (which mis-reads goal words: "fridge" contains "fr", Friday).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler._rrule import format_rrule, load_zone, recurrence, split_rrule

__all__ = [
    "InstructionKind",
    "InstructionParseError",
    "StandingInstruction",
    "instruction_id",
    "parse_instruction",
]

DEFAULT_DURATION_S = 600.0


class InstructionKind(StrEnum):
    """What sort of standing instruction it is."""

    RECURRING_CHORE = "recurring_chore"
    DEADLINE_CHORE = "deadline_chore"
    CHECK_IN = "check_in"
    PREFERENCE = "preference"
    ONE_OFF = "one_off"


def _normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(".!").strip().lower()


def instruction_id(text: str) -> str:
    """Stable id for an instruction's text (case, spacing and a final '.' do not matter)."""
    digest = hashlib.sha256(_normalise_text(text).encode()).hexdigest()
    return f"instr-{digest[:16]}"


class StandingInstruction(BaseModel):
    """A standing instruction as the scheduler uses it.

    ``rrule`` is an RFC 5545 rule in local wall time of ``timezone``, optionally preceded by a
    ``DTSTART:YYYYMMDDTHHMMSS`` line (local time) when the rule needs an anchor (``INTERVAL``
    > 1, ``COUNT``). For a deadline chore (``time_is_deadline``) the rule gives the deadline
    and the chore fires ``duration_s`` earlier.
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
        split_rrule(value)  # raises a ValueError that names the value
        return value

    @model_validator(mode="after")
    def _check_schedule(self) -> StandingInstruction:
        if self.rrule is not None:
            recurrence(self.rrule, self.timezone)  # expansion errors surface here, not later
        elif self.kind not in (InstructionKind.PREFERENCE, InstructionKind.CHECK_IN):
            raise ValueError(
                f"instruction {self.text!r} of kind {self.kind.value!r} needs an rrule "
                "(e.g. 'RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0'); only preferences and "
                "check-ins may have none"
            )
        return self

    @property
    def grace_period_s(self) -> float:
        """How long after its fire time a chore may still start (default: its duration)."""
        return self.duration_s if self.grace_s is None else self.grace_s

    def to_record(self) -> Any:
        """Return a new ``memory.models.InstructionRecord`` for this instruction."""
        from memory.models import InstructionRecord

        data: dict[str, Any] = {}
        if self.grace_s is not None:
            data["grace_s"] = self.grace_s
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
            grace_s=data.get("grace_s"),
        )


# --- the v1 parser --------------------------------------------------------------------


class InstructionParseError(ValueError):
    """A phrasing the v1 parser cannot read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(
            f"cannot read a schedule in {text!r}: {reason}. Try a phrasing such as "
            "'water the plants every day at 9:00', 'take out the trash every Monday at 7pm' "
            "or 'dinner ready by 6 pm every day'"
        )


_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_DAYS = rf"{_DAY}(?:\s*(?:,|and|&)\s*{_DAY})*"
_TIME = (
    r"(?:noon|midday|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"
    r"|\d{1,2}:\d{2}|\d{1,2}(?:\s*o'?clock)?)"
)
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
_UNIT = (
    rf"(?:day|weekday|weekend|week|fortnight|month|hour|{_PART_OF_DAY}|{_DAYS})"
    r"|\d+\s*(?:days|weeks|hours|months)"
)
# Each clause is one piece of a schedule phrase; a phrase is one to three of them.
_CLAUSES: dict[str, str] = {
    "every": rf"(?:every|each)\s+(?:other\s+)?(?:{_UNIT})",
    "on_days": rf"(?:on\s+)?(?:{_DAYS}|weekdays|weekends)",
    "adverb": r"(?:daily|weekly|monthly|hourly|nightly|fortnightly)",
    "at": rf"(?:at|@)\s+{_TIME}",
    "by": rf"(?:by|before|until|no\s+later\s+than)\s+{_TIME}",
    "part_of_day": rf"(?:in\s+the\s+{_PART_OF_DAY}|at\s+night|tonight)",
    "one_day": r"(?:today|tomorrow)",
}
_CLAUSE_RE = "|".join(f"(?P<{name}>{rx})" for name, rx in _CLAUSES.items())
_TAIL_RE = re.compile(rf"(?:^|[\s,;]+)(?:{_CLAUSE_RE})[\s.!]*$", re.IGNORECASE)
_HEAD_RE = re.compile(rf"^\s*(?:{_CLAUSE_RE})(?:[\s,;]+|$)", re.IGNORECASE)
# Default wall times when a phrase gives none (why: chores at midnight surprise people).
_PART_TIMES = {"morning": "8am", "afternoon": "3pm", "evening": "6pm", "night": "9pm"}
DEFAULT_TIME = "9am"
_CHECK_IN_RE = re.compile(r"^(?:ask|remind|check\s+with|tell)\s+(?:me|us)\b", re.IGNORECASE)


def _split_schedule(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Peel schedule clauses off the end (then the start) of ``text``; return goal, clauses."""
    rest = re.sub(r"\b([ap])\.m\.", r"\1m", text, flags=re.IGNORECASE)
    rest = rest.strip().rstrip(".!").strip()
    tail: list[tuple[str, str]] = []
    while len(tail) < 4 and rest:
        m = _TAIL_RE.search(rest)
        if m is None:
            break
        tail.insert(0, (m.lastgroup or "", m.group(0)))
        rest = rest[: m.start()].rstrip(" ,;")
    head: list[tuple[str, str]] = []
    while len(head) < 4 and rest:
        m = _HEAD_RE.match(rest)
        if m is None:
            break
        head.append((m.lastgroup or "", m.group(0)))
        rest = rest[m.end() :].lstrip(" ,;")
    return rest.strip(" ,;"), head + tail


def _clause_text(kind: str, raw: str) -> str:
    """Rewrite one clause into words ``recurrent`` reads reliably."""
    words = re.sub(r"\s+", " ", raw.strip(" ,;.!")).lower()
    if kind in ("at", "by"):
        words = re.sub(r"^(?:by|before|until|no later than|@)\s+", "at ", words)
        words = words.replace("a.m.", "am").replace("p.m.", "pm")
        words = re.sub(r"\s*o'?clock$", "", words)
        words = re.sub(r"\b(?:noon|midday)$", "12:00", words).replace("midnight", "0:00")
        return words
    if kind == "part_of_day":
        for part, at in _PART_TIMES.items():
            if part in words:
                return f"at {at}"
        return "at 9pm"  # "at night", "tonight"
    if kind == "every":
        for part, at in _PART_TIMES.items():
            if words.endswith(part):
                return f"every day at {at}"
        if words.endswith("fortnight"):
            return "every 2 weeks"
    if kind == "adverb" and words == "nightly":
        return "every day at 9pm"
    if kind == "adverb" and words == "fortnightly":
        return "every 2 weeks"
    if kind == "on_days" and not words.startswith("on "):
        return f"on {words}"
    return words


def parse_instruction(
    text: str,
    *,
    now: datetime,
    tz: str,
    duration_s: float = DEFAULT_DURATION_S,
    priority: int = 0,
) -> StandingInstruction:
    """Read a one-sentence standing instruction (v1 phrasings).

    Understood: "<goal> every day at 9:00", "<goal> every weekday at 7am", "<goal> on
    Saturdays at 10:00", "<goal> every Monday", "<goal> at 17:00 every day", "<goal> by 6 pm
    every day" (a deadline), "every other day", "in the evening", "tomorrow at 9" (one-off),
    and the same with the schedule first ("Every Monday, ask me what to buy"). Goals that
    start with "ask me"/"remind me" become check-ins. Without a time of day, chores are at
    9:00.

    Args:
        text: The instruction as the person said it.
        now: The current time (anchors one-off and every-other-day rules).
        tz: The home's IANA time zone.
        duration_s: Estimated duration of the chore.
        priority: Priority for the scheduler.

    Returns:
        The instruction, with a canonical RRULE.

    Raises:
        InstructionParseError: No schedule or no goal could be read.
        ValueError: ``tz`` is not a known time zone.
    """
    zone = load_zone(tz)
    goal, clauses = _split_schedule(text)
    if not clauses:
        raise InstructionParseError(text, "no schedule phrase (when should it happen?)")
    if not goal:
        raise InstructionParseError(text, "no goal (what should the robot do?)")
    kinds = [k for k, _ in clauses]
    deadline = "by" in kinds
    if deadline and "at" in kinds:
        raise InstructionParseError(text, "both 'at' and 'by' a time; say one of them")
    phrase = " ".join(_clause_text(k, raw) for k, raw in clauses)
    local_now = now.astimezone(zone).replace(tzinfo=None, microsecond=0)

    from recurrent.event_parser import RecurringEvent  # lazy: pulls in a grammar at import

    try:
        with warnings.catch_warnings():  # parsedatetime's deprecation noise, not ours
            warnings.simplefilter("ignore")
            result = RecurringEvent(now_date=local_now).parse(phrase)
    except Exception as exc:  # recurrent raises bare errors on odd input
        raise InstructionParseError(text, f"could not read {phrase!r} ({exc})") from exc
    has_time = any(k in ("at", "by", "part_of_day") for k in kinds) or re.search(
        r"\bat \d|\bat noon|\bat midnight", phrase
    )
    if isinstance(result, datetime):
        if not has_time:
            result = result.replace(hour=9, minute=0, second=0)
        rrule = format_rrule({"FREQ": "DAILY", "COUNT": "1"}, dtstart=result)
        kind = InstructionKind.ONE_OFF
    elif isinstance(result, str) and result.startswith("RRULE:"):
        _, parts = split_rrule(result)
        parts = {k: v for k, v in parts.items() if v != ""}
        freq = parts.get("FREQ", "")
        if freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY") and "BYHOUR" not in parts:
            parts["BYHOUR"], parts["BYMINUTE"] = "9", "0"
        elif freq == "HOURLY" and "BYMINUTE" not in parts:
            parts["BYMINUTE"] = "0"
        dtstart = None
        if parts.get("INTERVAL", "1") != "1":
            # Why: "every other day" counts from today, "every 2 weeks" from this week.
            dtstart = local_now.replace(hour=0, minute=0, second=0)
        rrule = format_rrule(parts, dtstart=dtstart)
        # Why: "every Monday"-less rules repeat on today's weekday / day of the month, said
        # explicitly so the rule does not depend on an anchor.
        if freq == "WEEKLY" and "BYDAY" not in parts:
            rrule = format_rrule({**parts, "BYDAY": _weekday(local_now)}, dtstart=dtstart)
        elif freq == "MONTHLY" and not {"BYDAY", "BYMONTHDAY"} & parts.keys():
            rrule = format_rrule({**parts, "BYMONTHDAY": str(local_now.day)}, dtstart=dtstart)
        kind = InstructionKind.RECURRING_CHORE
    else:
        raise InstructionParseError(text, f"{phrase!r} is not a schedule recurrent can read")
    if _CHECK_IN_RE.match(goal):
        kind = InstructionKind.CHECK_IN
    elif deadline and kind is not InstructionKind.ONE_OFF:
        kind = InstructionKind.DEADLINE_CHORE
    try:
        return StandingInstruction(
            text=text.strip(),
            kind=kind,
            goal=goal,
            rrule=rrule,
            timezone=tz,
            time_is_deadline=deadline,
            duration_s=duration_s,
            priority=priority,
        )
    except ValueError as exc:
        raise InstructionParseError(text, f"the schedule {rrule!r} is not valid ({exc})") from exc


def _weekday(when: datetime) -> str:
    return ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[when.weekday()]
