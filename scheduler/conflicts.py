"""Finding chores that clash: two at once, or one during the night's quiet hours.

A chore occupies ``[fire time, fire time + duration]``. When two overlap, the one that
must be done first keeps its slot and the other is moved after it: a chore with a
deadline goes before one without, an earlier deadline before a later one, then the higher
priority, then the earlier start, then the id (so the answer is deterministic). A chore
that overlaps the quiet hours (22:00-07:00 unless the home's ``quiet_hours`` preference
says otherwise) is reported with the nearest time outside them that keeps its deadline.

Conflicts are *reported* with a suggested resolution; the schedule itself is not changed
(the person confirms, e.g. with ``InstructionStore.change``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel

from housemind.scheduler._rrule import load_zone
from housemind.scheduler.instructions import StandingInstruction
from housemind.scheduler.triggers import fire_offset_s, trigger_for

__all__ = ["DEFAULT_QUIET_HOURS", "Conflict", "find_conflicts", "parse_quiet_hours"]

DEFAULT_QUIET_HOURS = "22:00-07:00"


class Conflict(BaseModel):
    """Two chores at once, or a chore in quiet hours, and what to do about it."""

    kind: Literal["overlap", "quiet_hours"]
    instruction_ids: list[str]
    goals: list[str]
    at: datetime  # the first clash (home's local time)
    occurrences: int = 1  # how many times it clashes in the window
    keep: str | None = None  # id that keeps its slot (overlap)
    move: str  # id to move
    suggestion: str  # the resolution in words

    def describe(self) -> str:
        """One line for a person."""
        times = f" ({self.occurrences} times)" if self.occurrences > 1 else ""
        if self.kind == "overlap":
            what = f"'{self.goals[0]}' and '{self.goals[1]}' overlap"
        else:
            what = f"'{self.goals[0]}' falls in quiet hours"
        return f"{what} on {self.at:%a %d %b %H:%M}{times}: {self.suggestion}"


def parse_quiet_hours(value: str) -> tuple[time, time]:
    """``"22:00-07:00"`` -> ``(time(22), time(7))``.

    Raises:
        ValueError: Not of the form ``HH:MM-HH:MM``.
    """
    try:
        start, end = (time.fromisoformat(p.strip()) for p in value.split("-"))
    except ValueError as exc:
        raise ValueError(
            f"quiet hours {value!r} must look like '22:00-07:00' (start-end, 24-hour)"
        ) from exc
    return start, end


def _in_quiet(local: datetime, quiet: tuple[time, time]) -> bool:
    start, end = quiet
    t = local.time()
    if start <= end:
        return start <= t < end
    return t >= start or t < end


def _urgency(instr: StandingInstruction, start: datetime) -> tuple:
    """Sort key: deadline chores first (earliest deadline), then priority, start, id."""
    if instr.time_is_deadline:
        deadline = start - timedelta(seconds=fire_offset_s(instr))
        return (0, deadline.timestamp(), -instr.priority, start.timestamp(), instr.id)
    return (1, 0.0, -instr.priority, start.timestamp(), instr.id)


def find_conflicts(
    instructions: list[StandingInstruction],
    *,
    start: datetime,
    days: float = 7,
    quiet_hours: str | None = DEFAULT_QUIET_HOURS,
    tz: str | None = None,
) -> list[Conflict]:
    """Clashes among enabled, scheduled instructions in ``(start, start + days]``.

    Args:
        instructions: The instructions (disabled and unscheduled ones are ignored).
        start: Aware start of the window.
        days: Length of the window.
        quiet_hours: ``"HH:MM-HH:MM"`` in the home's time zone, or None to skip the check.
        tz: The home's time zone for quiet hours (default: each instruction's own).

    Returns:
        One conflict per clashing pair (or chore in quiet hours) and time of day, first
        clash first, with how often it recurs in the window.
    """
    end = start + timedelta(days=days)
    quiet = parse_quiet_hours(quiet_hours) if quiet_hours else None
    slots: list[tuple[datetime, datetime, StandingInstruction]] = []
    for instr in instructions:
        if not instr.enabled or instr.rrule is None:
            continue
        rec = trigger_for(instr).recurrence
        for fire in rec.between(start.astimezone(UTC), end.astimezone(UTC)):
            slots.append((fire, fire + timedelta(seconds=instr.duration_s), instr))
    slots.sort(key=lambda s: (s[0], s[2].id))
    found: dict[tuple, Conflict] = {}

    def add(key: tuple, make: Conflict) -> None:
        if key in found:
            found[key].occurrences += 1
        else:
            found[key] = make

    for i, (a_start, a_end, a) in enumerate(slots):
        zone = load_zone(tz or a.timezone)
        for b_start, b_end, b in slots[i + 1 :]:
            if b_start >= a_end:
                break
            if b.id == a.id:
                continue
            first, second = sorted(
                [(a_start, a_end, a), (b_start, b_end, b)], key=lambda s: _urgency(s[2], s[0])
            )
            moved_to = first[1].astimezone(zone)
            local = max(a_start, b_start).astimezone(zone)
            key = ("overlap", a.id, b.id, local.time())
            add(
                key,
                Conflict(
                    kind="overlap",
                    instruction_ids=[first[2].id, second[2].id],
                    goals=[first[2].goal, second[2].goal],
                    at=local,
                    keep=first[2].id,
                    move=second[2].id,
                    suggestion=(
                        f"'{first[2].goal}' goes first "
                        f"({_why(first, second)}); '{second[2].goal}' starts after it, "
                        f"at {moved_to:%H:%M}"
                    ),
                ),
            )
        if quiet is None:
            continue
        t = a_start
        clash = None
        while t < a_end:
            if _in_quiet(t.astimezone(zone), quiet):
                clash = t
                break
            t += timedelta(minutes=5)
        if clash is None and not _in_quiet(a_end.astimezone(zone), quiet):
            continue
        local = a_start.astimezone(zone)
        qs, qe = quiet
        if a.time_is_deadline:
            # Finish before quiet hours start, or start when they end.
            hint = f"start at {qe:%H:%M} or finish before {qs:%H:%M}"
        else:
            hint = f"move it to {qe:%H:%M} or later, or before {qs:%H:%M}"
        add(
            ("quiet", a.id, local.time()),
            Conflict(
                kind="quiet_hours",
                instruction_ids=[a.id],
                goals=[a.goal],
                at=local,
                move=a.id,
                suggestion=(
                    f"it runs {local:%H:%M}-{a_end.astimezone(zone):%H:%M}, inside quiet "
                    f"hours {qs:%H:%M}-{qe:%H:%M}; {hint}"
                ),
            ),
        )
    return sorted(found.values(), key=lambda c: (c.at, c.kind, c.instruction_ids))


def _why(
    first: tuple[datetime, datetime, StandingInstruction],
    second: tuple[datetime, datetime, StandingInstruction],
) -> str:
    a, b = _urgency(first[2], first[0]), _urgency(second[2], second[0])
    step = next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), 4)
    if step == 0:
        return "it has a deadline"
    if step == 1 and first[2].time_is_deadline:
        return "its deadline is earlier"
    if step == 2:
        return "higher priority"
    return "it starts first"
