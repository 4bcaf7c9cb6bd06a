"""What is scheduled: instructions and the coming runs as stable JSON-ready dicts.

``--json`` form of one instruction (``instruct --dry-run``, ``instructions list``)::

    {"text", "kind", "goal", "rrule", "timezone", "deadline",
     "next_runs": [five ISO 8601 fire times], "id", "duration_s", "answers_to",
     "enabled", "read_back", "due": [five ISO 8601 rule times], "person", "said_by",
     "window"}

``kind`` is one of ``recurring_chore``, ``deadline_chore``, ``one_off``, ``check_in``,
``reminder``, ``constraint``, ``preference``. ``deadline`` is true when the rule's time is
when the chore must be done: ``due`` holds those deadlines and ``next_runs`` the start times
(its expected duration earlier). ``next_runs`` are placed by the household's rules (a run
moved out of a forbidden window shows where it will really happen). ``person`` is who a
check-in asks or a reminder tells; ``window`` a constraint's forbidden weekly windows
(``"* 22:30-07:00"``, ``"SU 00:00-24:00"``, ``"asleep"``); constraints have no runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from housemind.scheduler._rrule import load_zone
from housemind.scheduler.clock import WallClock
from housemind.scheduler.conflicts import DEFAULT_QUIET_HOURS, Conflict, find_conflicts
from housemind.scheduler.instructions import StandingInstruction
from housemind.scheduler.paragraph import ParseResult
from housemind.scheduler.placement import SchedulePolicy
from housemind.scheduler.readback import read_back, read_back_fact
from housemind.scheduler.triggers import next_due

__all__ = [
    "agenda",
    "household_agenda",
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


def instruction_json(
    instr: StandingInstruction, now: datetime, policy: SchedulePolicy | None = None
) -> dict[str, Any]:
    """One instruction as the stable ``--json`` dict (next five runs after ``now``).

    Args:
        instr: The instruction.
        now: Aware time to count from.
        policy: The household's placement (routine, constraints, measured durations).
    """
    pairs = next_due(instr, now, 5, policy) if instr.rrule else []
    return {
        "text": instr.text,
        "kind": instr.kind.value,
        "goal": instr.goal,
        "rrule": instr.rrule,
        "timezone": instr.timezone,
        "deadline": instr.time_is_deadline,
        "next_runs": [fire.isoformat() for _, fire in pairs],
        "id": instr.id,
        "duration_s": instr.duration_s,
        "answers_to": instr.answers_to,
        "enabled": instr.enabled,
        "read_back": read_back(instr),
        "due": [due.isoformat() for due, _ in pairs],
        "person": instr.person,
        "said_by": instr.said_by,
        "window": instr.window,
    }


def fact_json(fact: Any) -> dict[str, Any]:
    """A parsed fact as ``{"subject", "predicate", "value", "kind", "rrule", "read_back"}``."""
    return {**fact.model_dump(exclude={"text"}), "read_back": read_back_fact(fact)}


def parse_result_json(result: ParseResult, now: datetime) -> dict[str, Any]:
    """A parse result as ``{"instructions", "questions", "facts", "notes"}``.

    Runs are placed with the paragraph's own routine and constraints.
    """
    tz = result.instructions[0].timezone if result.instructions else "UTC"
    policy = SchedulePolicy.from_facts(result.instructions, result.facts, tz=tz)
    return {
        "instructions": [instruction_json(i, now, policy) for i in result.instructions],
        "questions": result.questions,
        "facts": [fact_json(f) for f in result.facts],
        "notes": result.notes,
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
    policy: SchedulePolicy | None = None,
) -> dict[str, Any]:
    """The runs of the coming ``days`` from ``start``, the paused instructions and clashes.

    Args:
        everything: All instructions (paused ones are listed, constraints applied).
        start: Aware start.
        days: How many days.
        quiet: The home's quiet hours (used when ``policy`` is None).
        policy: The household's placement (e.g. ``SchedulePolicy.load`` on the database).

    Returns:
        ``{"from", "to", "runs": [{"at", "deadline", "goal", "kind", "instruction_id",
        "duration_s", "due"}], "paused": [instruction ids], "conflicts": [...],
        "constraints": [{"id", "goal", "window", "read_back"}]}``, runs in time order.
    """
    if policy is None:
        policy = SchedulePolicy(everything, quiet_hours=quiet)
    enabled = [i for i in everything if i.enabled and i.rrule is not None]
    end = start + timedelta(days=days)
    runs: list[dict[str, Any]] = []
    for instr in enabled:
        rec = policy.trigger(instr).recurrence
        for due, fire in rec.pairs_between(start, end):
            local = fire.astimezone(rec.tz)
            deadline = due.astimezone(rec.tz).isoformat() if instr.time_is_deadline else None
            runs.append(
                {
                    "at": local.isoformat(),
                    "deadline": deadline,
                    "goal": instr.goal,
                    "kind": instr.kind.value,
                    "instruction_id": instr.id,
                    "duration_s": instr.duration_s,
                    "due": due.astimezone(rec.tz).isoformat(),
                    "_sort": (fire, -instr.priority, instr.id),
                }
            )
    runs.sort(key=lambda r: r.pop("_sort"))
    conflicts = find_conflicts(enabled, start=start, days=days, policy=policy)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "runs": runs,
        "paused": [i.id for i in everything if not i.enabled],
        "conflicts": [conflict_json(c) for c in conflicts],
        "constraints": [
            {"id": c.id, "goal": c.goal, "window": c.window, "read_back": read_back(c)}
            for c in policy.constraints
            if c.enabled
        ],
    }


def household_agenda(
    database: Any, *, days: float = 7, start: datetime | None = None, now: str | None = None
) -> dict[str, Any]:
    """The household's coming ``days`` as stored in ``database`` (``housemind schedule``).

    Reads every instruction, the quiet hours and the household's placement (routine,
    constraints, measured durations) and returns :func:`agenda`'s dict, plus
    ``timezone`` (the home's) and ``instructions`` (each as :func:`instruction_json`,
    paused ones included).

    Args:
        database: The project database (``memory.Database``).
        days: How many days.
        start: Aware start (wins over ``now``).
        now: ISO 8601 start (naive: in the home's time zone); None: the wall clock.

    Raises:
        ValueError: a bad ``now`` or number of days.
    """
    from housemind.memory.symbolic import SymbolicMemory
    from housemind.scheduler.store import InstructionStore

    everything = InstructionStore(database.session).list()
    quiet = quiet_hours(SymbolicMemory(database))
    enabled = [i for i in everything if i.enabled and i.rrule is not None]
    tz = enabled[0].timezone if enabled else (everything[0].timezone if everything else "UTC")
    # the household's routine, constraints and measured durations place the runs
    policy = SchedulePolicy.load(database.session, everything, tz=tz)
    begin = start if start is not None else parse_now(now, tz)
    week = agenda(everything, start=begin, days=days, quiet=quiet, policy=policy)
    week["timezone"] = tz
    week["instructions"] = [instruction_json(i, begin, policy) for i in everything]
    return week
