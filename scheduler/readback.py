"""Saying an instruction back to the person, so they can confirm it.

"I'll have dinner ready every day by 18:00, starting around 17:15." Times are the home's
wall time on a 24-hour clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from housemind.scheduler._rrule import split_rrule
from housemind.scheduler.instructions import InstructionKind, StandingInstruction

__all__ = ["describe_rrule", "read_back"]

_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_EVERY_N = {2: "other"}
_FOOD = re.compile(r"\b(?:dinner|supper|lunch|breakfast|brunch|meal|coffee|tea|food)\b", re.I)
_LEADING_VERB = re.compile(r"^(?:make|cook|prepare|do|get|wash)\s+(?P<obj>.+?)(?:\s+ready)?$")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal_day(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _every(interval: int, unit: str, plural: str) -> str:
    if interval == 1:
        return f"every {unit}"
    if interval == 2 and unit not in ("hour", "minute"):
        return f"every other {unit}"
    return f"every {interval} {plural}"


def describe_rrule(rrule: str, *, with_time: bool = True) -> str:
    """The recurrence in words: "every day at 18:00", "every other Monday at 09:00".

    Args:
        rrule: ``RRULE:...`` optionally preceded by a ``DTSTART:`` line (local time).
        with_time: Add "at HH:MM" when the rule fixes a time of day.

    Returns:
        A short English phrase.
    """
    dtstart, parts = split_rrule(rrule)
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    hours = [int(h) for h in parts.get("BYHOUR", "").split(",") if h]
    minutes = [int(m) for m in parts.get("BYMINUTE", "").split(",") if m] or [0]
    at = _join([f"{h:02d}:{m:02d}" for h in hours for m in minutes])
    if parts.get("COUNT") == "1" and dtstart is not None:
        return f"on {dtstart:%A %d %B %Y} at {dtstart:%H:%M}"
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "DAILY":
        words = _every(interval, "day", "days")
    elif freq == "WEEKLY":
        plain = [d for d in byday if d in _DAY_NAMES]
        if set(plain) == {"MO", "TU", "WE", "TH", "FR"} and interval == 1:
            words = "every weekday"
        elif set(plain) == {"SA", "SU"} and interval == 1:
            words = "every Saturday and Sunday"
        elif plain:
            words = _every(interval, _join([_DAY_NAMES[d] for d in plain]), "weeks on ")
            if interval > 2:
                words = f"every {interval} weeks on {_join([_DAY_NAMES[d] for d in plain])}"
        else:
            words = _every(interval, "week", "weeks")
    elif freq == "MONTHLY":
        every = "every month" if interval == 1 else _every(interval, "month", "months")
        if byday:
            m = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", byday[0])
            if m and m.group(1):
                n = int(m.group(1))
                words = f"on the {_ORDINALS.get(n, str(n))} {_DAY_NAMES[m.group(2)]} of {every}"
            else:
                words = f"{every} on {_join([_DAY_NAMES.get(d[-2:], d) for d in byday])}"
        elif parts.get("BYMONTHDAY"):
            days = [_ordinal_day(int(d)) for d in parts["BYMONTHDAY"].split(",")]
            words = f"on the {_join(days)} of {every}"
        else:
            words = every
    elif freq == "YEARLY":
        words = "every year" if interval == 1 else _every(interval, "year", "years")
        if parts.get("BYMONTH") and parts.get("BYMONTHDAY"):
            month = datetime(2000, int(parts["BYMONTH"]), 1).strftime("%B")
            words += f" on {month} {int(parts['BYMONTHDAY'])}"
    elif freq == "HOURLY":
        return _every(interval, "hour", "hours")
    elif freq == "MINUTELY":
        return _every(interval, "minute", "minutes")
    else:
        return rrule.replace("\n", " ")
    if with_time and at:
        words += f" at {at}"
    return words


def _ready_phrase(goal: str) -> str | None:
    """The goal as a finished state: "make dinner" -> "dinner ready" (None if unsure)."""
    m = _LEADING_VERB.match(goal)
    if m is None:
        return None
    obj = m.group("obj")
    return f"{obj} ready" if _FOOD.search(obj) else f"{obj} done"


def read_back(instruction: StandingInstruction) -> str:
    """What the robot will do, in words the person can confirm.

    Args:
        instruction: The instruction as parsed or stored.

    Returns:
        One sentence, e.g. "I'll have dinner ready every day by 18:00, starting around
        17:15."
    """
    goal = instruction.goal
    if instruction.rrule is None:
        return f"I'll keep in mind: {goal}."
    when = describe_rrule(instruction.rrule, with_time=False)
    dtstart, parts = split_rrule(instruction.rrule)
    hours = [int(h) for h in parts.get("BYHOUR", "").split(",") if h]
    minutes = [int(m) for m in parts.get("BYMINUTE", "").split(",") if m] or [0]
    one_off = parts.get("COUNT") == "1"
    paused = "" if instruction.enabled else " (paused)"
    if instruction.time_is_deadline and (len(hours) == 1 or (one_off and dtstart)):
        if one_off and dtstart is not None:
            deadline = dtstart
            when = f"on {dtstart:%A %d %B %Y}"
        else:
            deadline = datetime(2000, 1, 3, hours[0], minutes[0])
        start = deadline - timedelta(seconds=instruction.duration_s)
        by, around = f"{deadline:%H:%M}", f"{start:%H:%M}"
        ready = _ready_phrase(goal)
        if ready is None:
            return f"I'll {goal} {when}, done by {by}, starting around {around}{paused}."
        return f"I'll have {ready} {when} by {by}, starting around {around}{paused}."
    full = describe_rrule(instruction.rrule)
    if instruction.kind is InstructionKind.CHECK_IN:
        question = re.sub(r"^ask\s+", "", goal)
        tail = (
            f"; your answers go on the {instruction.answers_to} list"
            if instruction.answers_to
            else ""
        )
        return f"I'll ask you {full} {question}{tail}{paused}."
    if one_off:
        return f"I'll {goal} {full}{paused}."
    return f"I'll {goal} {full}{paused}." if when else f"I'll {goal}{paused}."
