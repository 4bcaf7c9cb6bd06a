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
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from housemind.scheduler._rrule import format_rrule, load_zone, recurrence, split_rrule
from housemind.scheduler.durations import DEFAULT_DURATION_S, estimate_duration_s

__all__ = [
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
    # Check-ins: the checklist the person's answers go to ("shopping"), if any.
    answers_to: str | None = None

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
        from housemind.memory.models import InstructionRecord

        data: dict[str, Any] = {}
        if self.grace_s is not None:
            data["grace_s"] = self.grace_s
        if self.answers_to is not None:
            data["answers_to"] = self.answers_to
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
            answers_to=data.get("answers_to"),
        )


# --- the single-sentence parser -------------------------------------------------------


class InstructionParseError(ValueError):
    """A phrasing the offline parser cannot read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(
            f"cannot read a schedule in {text!r}: {reason}. Try a phrasing such as "
            "'water the plants every day at 9:00', 'take out the trash every Monday at 7pm' "
            "or 'dinner ready by 6 pm every day'"
        )


class AmbiguousInstructionError(InstructionParseError):
    """A phrasing with more than one plausible reading; ``question`` asks which one."""

    def __init__(self, text: str, question: str) -> None:
        self.question = question
        super().__init__(text, f"it is ambiguous ({question})")


_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_DAYS = rf"{_DAY}(?:\s*(?:,|and|&)\s*{_DAY})*"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:first|second|third|fourth|last|1st|2nd|3rd|4th)"
_MONTHDAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TIME = (
    r"(?:noon|midday|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm)"
    r"|\d{1,2}:\d{2}|\d{1,2}(?:\s*o'?clock)?)"
)
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
_UNIT = (
    rf"(?:day|weekday|weekend|week|fortnight|month|year|hour|{_PART_OF_DAY}"
    rf"|{_DAYS}(?:\s+{_PART_OF_DAY})?)"
    r"|\d+\s*(?:days|weeks|hours|months|minutes)"
)
# Each clause is one piece of a schedule phrase; a phrase is one to four of them.
_CLAUSES: dict[str, str] = {
    "nth_day": (
        rf"(?:on\s+)?(?:the\s+)?(?:every\s+|each\s+)?{_ORDINAL}\s+{_DAY}\s+of\s+"
        r"(?:the|every|each)\s+month"
    ),
    "month_day": rf"(?:on\s+)?the\s+{_MONTHDAY}\s+of\s+(?:the|every|each)\s+month",
    "date": (rf"(?:on\s+)?(?:{_MONTH}\s+{_MONTHDAY}|(?:the\s+)?{_MONTHDAY}\s+(?:of\s+)?{_MONTH})"),
    "every": rf"(?:every|each)\s+(?:other\s+)?(?:{_UNIT})",
    "on_the": rf"on\s+the\s+{_MONTHDAY}",
    "next_day": rf"(?:this|next|this\s+coming)\s+{_DAY}",
    "on_days": rf"(?:on\s+)?(?:{_DAYS}|weekdays|weekends)",
    "adverb": r"(?:daily|weekly|monthly|yearly|hourly|nightly|fortnightly)",
    "at": rf"(?:at|@)\s+{_TIME}",
    "by": rf"(?:by|before|until|no\s+later\s+than)\s+{_TIME}",
    "part_of_day": rf"(?:in\s+the\s+{_PART_OF_DAY}|at\s+night|tonight)",
    "one_day": r"(?:today|tomorrow)",
}
_CLAUSE_RE = "|".join(f"(?P<{name}>{rx})" for name, rx in _CLAUSES.items())
_TAIL_RE = re.compile(rf"(?:^|[\s,;]+)(?:{_CLAUSE_RE})[\s.!]*$", re.IGNORECASE)
_HEAD_RE = re.compile(rf"^\s*(?:{_CLAUSE_RE})(?:[\s,;]+|$)", re.IGNORECASE)
# A run of clauses inside a sentence ("check in with me every Monday to see ...").
_ANY_CLAUSE = "|".join(f"(?:{rx})" for rx in _CLAUSES.values())
_MIDDLE_RE = re.compile(
    rf"[\s,;]+((?:{_ANY_CLAUSE})(?:[\s,;]+(?:{_ANY_CLAUSE}))*)(?=[\s,;]+\w)", re.IGNORECASE
)
# Default wall times when a phrase gives none (why: chores at midnight surprise people).
_PART_TIMES = {"morning": "8:00", "afternoon": "15:00", "evening": "18:00", "night": "21:00"}
DEFAULT_TIME = "9am"
_CHECK_IN_RE = re.compile(
    r"^(?:ask|remind|check\s+(?:in\s+)?with|tell)\s+(?:me|us)\b", re.IGNORECASE
)
# Words that say which half of the day a bare hour ("at 7") is in.
_PM_HINT = re.compile(
    r"\b(?:afternoon|evening|night|tonight|dinner|supper|bedtime|sunset|nightly)\b",
    re.IGNORECASE,
)
_AM_HINT = re.compile(r"\b(?:morning|breakfast|sunrise|wake|waking)\b", re.IGNORECASE)
_BARE_HOUR = re.compile(r"^(?P<lead>.*?)(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?$")
# "sometimes", "every other" with no unit ...: how often is not said, so ask.
_VAGUE_RE = re.compile(
    r"\b(?:sometimes|occasionally|now and then|now and again|from time to time|"
    r"once in a while|every so often|regularly|often|when(?:ever)? you (?:can|have time)|"
    r"(?:once|twice|three times|a few times|several times) (?:a|per|every) "
    r"(?:day|week|month))\b",
    re.IGNORECASE,
)
_EVERY_OTHER_RE = re.compile(rf"\bevery\s+other\b(?!\s+(?:{_UNIT}))", re.IGNORECASE)


def _split_schedule(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Peel schedule clauses off ``text`` (end, start, then middle); return goal, clauses."""
    rest = re.sub(r"\b([ap])\.m\.?(?=\W|$)", r"\1m", text, flags=re.IGNORECASE)
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
    if not head and not tail:
        m = _MIDDLE_RE.search(rest)
        if m is not None:
            run = m.group(1)
            for piece in re.finditer(_CLAUSE_RE, run, re.IGNORECASE):
                head.append((piece.lastgroup or "", piece.group(0)))
            rest = (rest[: m.start()] + " " + rest[m.end() :]).strip()
    return re.sub(r"\s+", " ", rest).strip(" ,;"), head + tail


def _clock_time(words: str, hint: str | None, text: str, strict: bool) -> tuple[int, int]:
    """``7``, ``7pm``, ``noon`` ... as ``(hour, minute)`` on a 24-hour clock.

    A bare hour without am/pm is read with the goal's hint (dinner: evening). Without one,
    1-6 mean the afternoon and 10-12 the morning (the other readings fall in the night's
    quiet hours); 7-9 are plausible either way, so a strict parse asks.
    """
    words = re.sub(r"\s*o'?clock$", "", words)
    if words.endswith(("noon", "midday")):
        return 12, 0
    if words.endswith("midnight"):
        return 0, 0
    meridiem = None
    m = re.search(r"\s*([ap])m$", words)
    if m is not None:
        meridiem = m.group(1)
        words = words[: m.start()]
    m = _BARE_HOUR.match(words)
    if m is None:  # pragma: no cover - the clause regex only lets times through
        raise InstructionParseError(text, f"cannot read the time in {words!r}")
    hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
    if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
        raise InstructionParseError(text, f"{words!r} is not a time of day")
    if meridiem == "a":
        hour = 0 if hour == 12 else hour
    elif meridiem == "p":
        hour = 12 if hour == 12 else hour + 12
    elif 1 <= hour <= 11 and hint == "pm":
        hour += 12
    elif m.group("minute") is None and 1 <= hour <= 11 and hint is None:
        if hour <= 6:
            hour += 12
        elif hour <= 9 and strict:
            raise AmbiguousInstructionError(
                text,
                f"do you mean {hour}:00 in the morning or {hour + 12}:00 in the evening? "
                f"Say '{hour} am' or '{hour} pm'",
            )
    return hour, minute


def _twelve_hour(hour: int, minute: int) -> str:
    # Why am/pm: recurrent reads a bare "7:00" as 19:00.
    return f"at {hour % 12 or 12}:{minute:02d}{'am' if hour < 12 else 'pm'}"


def _clause_text(kind: str, raw: str, *, timed: bool) -> str:
    """Rewrite one (non-time) clause into words ``recurrent`` reads reliably."""
    words = re.sub(r"\s+", " ", raw.strip(" ,;.!")).lower()
    if kind == "part_of_day":
        if timed:  # "at 7 in the evening": the part of day only picks am/pm
            return ""
        for part, at in _PART_TIMES.items():
            if part in words:
                return f"at {at}"
        return "at 21:00"  # "at night", "tonight"
    if kind == "every":
        if words.endswith("fortnight"):
            return "every 2 weeks"
        for part, at in _PART_TIMES.items():
            if words.endswith(part):
                days = words[: -len(part)].strip()
                if days in ("every", "each"):
                    days = "every day"
                return days if timed else f"{days} at {at}"
    if kind == "adverb" and words == "hourly":
        return "every hour"
    if kind == "adverb" and words == "nightly":
        return "every day" if timed else "every day at 21:00"
    if kind == "adverb" and words == "fortnightly":
        return "every 2 weeks"
    if kind == "nth_day":
        words = re.sub(r"^(?:on\s+)?(?:the\s+)?(?:every\s+|each\s+)?", "every ", words)
        return re.sub(r"of (?:the|every|each) month$", "of the month", words)
    if kind == "month_day":
        return "every month " + re.sub(r"of (?:the|every|each) month$", "", words).strip()
    if kind in ("date", "next_day") and not words.startswith("on "):
        return words if kind == "next_day" else f"on {words}"
    if kind == "on_days" and not words.startswith("on "):
        return f"on {words}"
    return words


def _hint(goal: str, clauses: list[tuple[str, str]]) -> str | None:
    words = " ".join([goal, *(raw for _, raw in clauses)])
    if _PM_HINT.search(words):
        return "pm"
    if _AM_HINT.search(words):
        return "am"
    return None


def vague_question(text: str) -> str | None:
    """A question back when ``text`` does not say how often, else None.

    Args:
        text: One instruction ("do the laundry sometimes").

    Returns:
        The question to ask the person, or None when the frequency is clear enough.
    """
    m = _VAGUE_RE.search(text)
    if m is not None:
        return (
            f"how often should I do this? '{m.group(0)}' does not say; e.g. 'every "
            "Saturday at 10am' or 'every other day at 6pm'"
        )
    if _EVERY_OTHER_RE.search(text):
        return "every other what? Say 'every other day', 'every other week' or 'every other Monday'"
    return None


def parse_instruction(
    text: str,
    *,
    now: datetime,
    tz: str,
    duration_s: float | None = DEFAULT_DURATION_S,
    priority: int = 0,
    strict: bool = False,
) -> StandingInstruction:
    """Read a one-sentence standing instruction.

    Understood: "<goal> every day at 9:00", "<goal> every weekday at 7am", "<goal> on
    Saturdays at 10:00", "<goal> every Monday", "<goal> at 17:00 every day", "<goal> by 6 pm
    every day" (a deadline), "every other day", "every 2 weeks on Friday", "on the first
    Monday of the month", "on the 15th of every month", "every 30 minutes", "in the
    evening", "tomorrow at 9", "next Friday at 3pm", "on December 3" (one-offs), and the
    same with the schedule first ("Every Monday, ask me what to buy") or in the middle
    ("check in with me every Monday to see what to buy"). Goals that start with "ask
    me"/"remind me"/"check in with me" become check-ins. Without a time of day, chores are
    at 9:00. "on Saturday" alone is the coming Saturday (a one-off); "on Saturdays" and
    "every Saturday" repeat. Times written "7:00" are on a 24-hour clock; a bare hour ("at
    7") is read as explained in :func:`_clock_time`.

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

    Returns:
        The instruction, with a canonical RRULE.

    Raises:
        AmbiguousInstructionError: ``strict`` and the phrasing is ambiguous.
        InstructionParseError: No schedule or no goal could be read.
        ValueError: ``tz`` is not a known time zone.
    """
    zone = load_zone(tz)
    if strict and (question := vague_question(text)):
        raise AmbiguousInstructionError(text, question)
    goal, clauses = _split_schedule(text)
    if not clauses:
        raise InstructionParseError(text, "no schedule phrase (when should it happen?)")
    if not goal:
        raise InstructionParseError(text, "no goal (what should the robot do?)")
    kinds = [k for k, _ in clauses]
    deadline = "by" in kinds
    if deadline and "at" in kinds:
        raise InstructionParseError(text, "both 'at' and 'by' a time; say one of them")
    timed = "at" in kinds or "by" in kinds
    hint = _hint(goal, clauses)
    words: list[str] = []
    clock: tuple[int, int] | None = None
    for kind, raw in clauses:
        if kind in ("at", "by"):
            clean = re.sub(r"\s+", " ", raw.strip(" ,;.!")).lower()
            clean = re.sub(r"^(?:at|by|before|until|no later than|@)\s+", "", clean)
            clock = _clock_time(clean, hint, text, strict)
            words.append(_twelve_hour(*clock))
        else:
            words.append(_clause_text(kind, raw, timed=timed))
    phrase = " ".join(w for w in words if w)
    local_now = now.astimezone(zone).replace(tzinfo=None, microsecond=0)

    from recurrent.event_parser import RecurringEvent  # lazy: pulls in a grammar at import

    try:
        with warnings.catch_warnings():  # parsedatetime's deprecation noise, not ours
            warnings.simplefilter("ignore")
            result = RecurringEvent(now_date=local_now).parse(phrase)
    except Exception as exc:  # recurrent raises bare errors on odd input
        raise InstructionParseError(text, f"could not read {phrase!r} ({exc})") from exc
    has_time = timed or any(k == "part_of_day" for k in kinds) or re.search(r"\bat \d", phrase)
    if isinstance(result, datetime):
        if clock is not None:
            result = result.replace(hour=clock[0], minute=clock[1], second=0)
        elif not has_time:
            result = result.replace(hour=9, minute=0, second=0)
        if result <= local_now and not {"one_day", "date"} & set(kinds):
            result += timedelta(days=1)  # "at 6pm" said at 8pm: tomorrow's 6pm
        rrule = format_rrule({"FREQ": "DAILY", "COUNT": "1"}, dtstart=result)
        kind = InstructionKind.ONE_OFF
    elif isinstance(result, str) and result.startswith("RRULE:"):
        _, parts = split_rrule(result)
        parts = {k: v for k, v in parts.items() if v != ""}
        freq = parts.get("FREQ", "")
        if clock is not None and freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
            parts["BYHOUR"], parts["BYMINUTE"] = str(clock[0]), str(clock[1])
        if freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY") and "BYHOUR" not in parts:
            parts["BYHOUR"], parts["BYMINUTE"] = "9", "0"
        elif freq == "HOURLY" and "BYMINUTE" not in parts:
            parts["BYMINUTE"] = "0"
        elif freq == "MINUTELY" and "BYSECOND" not in parts:
            parts["BYSECOND"] = "0"
        if parts.get("INTERVAL", "1") in ("0", ""):
            raise InstructionParseError(text, "an interval of 0 never repeats; say 'every day'")
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
        elif freq == "YEARLY" and "BYMONTH" not in parts:
            rrule = format_rrule(
                {**parts, "BYMONTH": str(local_now.month), "BYMONTHDAY": str(local_now.day)},
                dtstart=dtstart,
            )
        kind = InstructionKind.RECURRING_CHORE
    else:
        raise InstructionParseError(text, f"{phrase!r} is not a schedule recurrent can read")
    if _CHECK_IN_RE.match(goal):
        kind = InstructionKind.CHECK_IN
    elif deadline and kind is not InstructionKind.ONE_OFF:
        kind = InstructionKind.DEADLINE_CHORE
    if duration_s is None:
        duration_s = estimate_duration_s(goal)
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
