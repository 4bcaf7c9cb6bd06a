"""What is scheduled: instructions and the coming runs as stable JSON-ready dicts.

``--json`` form of one instruction (``instruct --dry-run``, ``instructions list``)::

    {"text", "kind", "goal", "rrule", "timezone", "deadline",
     "next_runs": [five ISO 8601 fire times], "id", "duration_s", "answers_to",
     "enabled", "read_back"}

``deadline`` is true when the rule's time is when the chore must be done (its fire times
are its estimated duration earlier).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from housemind.scheduler._rrule import load_zone
from housemind.scheduler.clock import WallClock
from housemind.scheduler.conflicts import DEFAULT_QUIET_HOURS, Conflict, find_conflicts
from housemind.scheduler.instructions import StandingInstruction
from housemind.scheduler.paragraph import ParseResult
from housemind.scheduler.readback import read_back
from housemind.scheduler.triggers import fire_offset_s, next_runs, trigger_for

__all__ = [
    "agenda",
    "conflict_json",
    "instruction_json",
    "parse_now",
    "parse_result_json",
    "quiet_hours",
]


def parse_now(now: str | None, tz: str) -> datetime:
    """``--now`` as an aware time (naive ISO times are in ``tz``; None: the wall clock).

    Raises:
        ValueError: Not an ISO 8601 time, or an unknown time zone.
    """
    zone = load_zone(tz)
    if now is None:
        return WallClock(zone).now()
    try:
        when = datetime.fromisoformat(now)
    except ValueError as exc:
        raise ValueError(
            f"--now {now!r} is not an ISO 8601 time; e.g. '2025-10-20T08:00' or "
            "'2025-10-20T08:00+02:00'"
        ) from exc
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def instruction_json(instr: StandingInstruction, now: datetime) -> dict[str, Any]:
    """One instruction as the stable ``--json`` dict (next five fire times after ``now``)."""
    runs = next_runs(instr, now, 5) if instr.rrule else []
    return {
        "text": instr.text,
        "kind": instr.kind.value,
        "goal": instr.goal,
        "rrule": instr.rrule,
        "timezone": instr.timezone,
        "deadline": instr.time_is_deadline,
        "next_runs": [t.isoformat() for t in runs],
        "id": instr.id,
        "duration_s": instr.duration_s,
        "answers_to": instr.answers_to,
        "enabled": instr.enabled,
        "read_back": read_back(instr),
    }


def parse_result_json(result: ParseResult, now: datetime) -> dict[str, Any]:
    """A parse result as ``{"instructions", "questions", "facts"}``."""
    return {
        "instructions": [instruction_json(i, now) for i in result.instructions],
        "questions": result.questions,
        "facts": [f.model_dump(exclude={"text"}) for f in result.facts],
    }


def conflict_json(c: Conflict) -> dict[str, Any]:
    """A clash as a JSON-ready dict with its sentence under ``text``."""
    return {**c.model_dump(mode="json"), "text": c.describe()}


def quiet_hours(symbolic: Any) -> str:
    """The home's quiet hours preference (the latest told), or the default."""
    told = symbolic.facts(subject="home", predicate="quiet_hours")
    return told[-1].value if told else DEFAULT_QUIET_HOURS


def agenda(
    everything: list[StandingInstruction],
    *,
    start: datetime,
    days: float,
    quiet: str = DEFAULT_QUIET_HOURS,
) -> dict[str, Any]:
    """The runs of the coming ``days`` from ``start``, the paused instructions and clashes.

    Returns:
        ``{"from", "to", "runs": [{"at", "deadline", "goal", "kind", "instruction_id",
        "duration_s"}], "paused": [instruction ids], "conflicts": [...]}``, runs in time
        order.
    """
    enabled = [i for i in everything if i.enabled and i.rrule is not None]
    end = start + timedelta(days=days)
    runs: list[dict[str, Any]] = []
    for instr in enabled:
        rec = trigger_for(instr).recurrence
        for fire in rec.between(start, end):
            local = fire.astimezone(rec.tz)
            deadline = (
                (local - timedelta(seconds=fire_offset_s(instr))).isoformat()
                if instr.time_is_deadline
                else None
            )
            runs.append(
                {
                    "at": local.isoformat(),
                    "deadline": deadline,
                    "goal": instr.goal,
                    "kind": instr.kind.value,
                    "instruction_id": instr.id,
                    "duration_s": instr.duration_s,
                    "_sort": (fire, -instr.priority, instr.id),
                }
            )
    runs.sort(key=lambda r: r.pop("_sort"))
    conflicts = find_conflicts(enabled, start=start, days=days, quiet_hours=quiet)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "runs": runs,
        "paused": [i.id for i in everything if not i.enabled],
        "conflicts": [conflict_json(c) for c in conflicts],
    }
