"""Finding clashes: two chores at once, and runs the household's rules moved.

A chore occupies ``[fire time, fire time + duration]``. When two overlap, the one that
must be done first keeps its slot and the other is moved after it: a chore with a
deadline goes before one without, an earlier deadline before a later one, then the higher
priority, then the earlier start, then the id (so the answer is deterministic). Overlaps
are *reported* with a suggested resolution; the schedule itself is not changed (the person
confirms, e.g. with ``InstructionStore.change``).

The household's rules are *enforced* (``scheduler.placement``): a run that would start in,
or run into, a forbidden window is moved, and reported here so the person knows:

- ``quiet_hours``: a noisy chore moved out of the hours people sleep (the home's quiet
  hours, 22:00-07:00 unless told, or the bed and wake times people stated);
- ``constraint``: a chore moved out of a constraint's window ("never run the dishwasher
  after 10:30 pm");
- ``away``: a check-in or reminder moved to when its person is home.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Literal

from pydantic import BaseModel

from housemind.scheduler._rrule import load_zone, parse_window, window_intervals
from housemind.scheduler.constraints import constraint_applies, constraint_windows, is_noisy
from housemind.scheduler.instructions import PERSON_KINDS, StandingInstruction
from housemind.scheduler.placement import DEFAULT_QUIET_HOURS, SchedulePolicy

__all__ = ["DEFAULT_QUIET_HOURS", "Conflict", "find_conflicts", "parse_quiet_hours"]


class Conflict(BaseModel):
    """Two chores at once, or a run moved by a household rule, and what happens."""

    kind: Literal["overlap", "quiet_hours", "constraint", "away"]
    instruction_ids: list[str]
    goals: list[str]
    at: datetime  # the first clash (home's local time)
    occurrences: int = 1  # how many times it clashes in the window
    keep: str | None = None  # id that keeps its slot (overlap)
    move: str  # id to move (or moved)
    suggestion: str  # the resolution in words
    moved_to: datetime | None = None  # where a rule moved the first run to

    def describe(self) -> str:
        """One line for a person."""
        times = f" ({self.occurrences} times)" if self.occurrences > 1 else ""
        if self.kind == "overlap":
            what = f"'{self.goals[0]}' and '{self.goals[1]}' overlap"
        elif self.kind == "quiet_hours":
            what = f"'{self.goals[0]}' falls in quiet hours"
        elif self.kind == "constraint":
            what = f"'{self.goals[0]}' breaks '{self.goals[1]}'"
        else:
            what = f"'{self.goals[0]}': nobody to talk to"
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


def _urgency(instr: StandingInstruction, due: datetime, start: datetime) -> tuple:
    """Sort key: deadline chores first (earliest deadline), then priority, start, id."""
    if instr.time_is_deadline:
        return (0, due.timestamp(), -instr.priority, start.timestamp(), instr.id)
    return (1, 0.0, -instr.priority, start.timestamp(), instr.id)


def _overlaps(windows: list[str], start: datetime, end: datetime) -> bool:
    parsed = tuple(parse_window(w) for w in windows)
    return any(a < end and b > start for a, b in window_intervals(parsed, start, days=2))


def find_conflicts(
    instructions: list[StandingInstruction],
    *,
    start: datetime,
    days: float = 7,
    quiet_hours: str | None = DEFAULT_QUIET_HOURS,
    tz: str | None = None,
    policy: SchedulePolicy | None = None,
) -> list[Conflict]:
    """Clashes among enabled, scheduled instructions in ``(start, start + days]``.

    Args:
        instructions: The instructions (disabled and unscheduled ones are ignored; enabled
            constraints among them are applied).
        start: Aware start of the window.
        days: Length of the window.
        quiet_hours: ``"HH:MM-HH:MM"`` in the home's time zone, or None to leave noisy
            chores where they are (no ``quiet_hours`` reports).
        tz: The home's time zone (default: each instruction's own).
        policy: The household's placement (routine, constraints, measured durations); by
            default one from ``instructions`` and ``quiet_hours``.

    Returns:
        One conflict per clashing pair (or moved chore) and time of day, first clash first,
        with how often it recurs in the window.
    """
    end = start + timedelta(days=days)
    if policy is None:
        policy = SchedulePolicy(
            instructions,
            quiet_hours=quiet_hours or DEFAULT_QUIET_HOURS,
            noise=quiet_hours is not None,
        )
    slots: list[tuple[datetime, datetime, datetime, StandingInstruction]] = []
    leads: dict[str, float] = {}
    for instr in instructions:
        if not instr.enabled or instr.rrule is None:
            continue
        rec = policy.trigger(instr).recurrence
        lead = policy.lead_s(instr) if instr.time_is_deadline else 0.0
        run = timedelta(seconds=max(policy.run_s(instr), lead))
        for due, fire in rec.pairs_between(start.astimezone(UTC), end.astimezone(UTC)):
            slots.append((due, fire, fire + run, instr))
        leads[instr.id] = lead
    slots.sort(key=lambda s: (s[1], s[3].id))
    found: dict[tuple, Conflict] = {}

    def add(key: tuple, make: Conflict) -> None:
        if key in found:
            found[key].occurrences += 1
        else:
            found[key] = make

    for i, (a_due, a_start, a_end, a) in enumerate(slots):
        zone = load_zone(tz or a.timezone)
        for b_due, b_start, b_end, b in slots[i + 1 :]:
            if b_start >= a_end:
                break
            if b.id == a.id:
                continue
            first, second = sorted(
                [(a_due, a_start, a_end, a), (b_due, b_start, b_end, b)],
                key=lambda s: _urgency(s[3], s[0], s[1]),
            )
            moved_to = first[2].astimezone(zone)
            local = max(a_start, b_start).astimezone(zone)
            key = ("overlap", a.id, b.id, local.time())
            add(
                key,
                Conflict(
                    kind="overlap",
                    instruction_ids=[first[3].id, second[3].id],
                    goals=[first[3].goal, second[3].goal],
                    at=local,
                    keep=first[3].id,
                    move=second[3].id,
                    suggestion=(
                        f"'{first[3].goal}' goes first "
                        f"({_why(first, second)}); '{second[3].goal}' starts after it, "
                        f"at {moved_to:%H:%M}"
                    ),
                ),
            )
        conflict = _moved(a, a_due, a_start, policy, leads[a.id], zone)
        if conflict is not None:
            add((conflict.kind, a.id, conflict.at.time()), conflict)
    return sorted(found.values(), key=lambda c: (c.at, c.kind, c.instruction_ids))


def _moved(
    instr: StandingInstruction,
    due: datetime,
    fire: datetime,
    policy: SchedulePolicy,
    lead_s: float,
    zone: tzinfo,
) -> Conflict | None:
    """The report for a run the policy moved from where its rule put it, if it was."""
    wanted_local = due.astimezone(zone).replace(tzinfo=None) - timedelta(seconds=lead_s)
    at = wanted_local.replace(tzinfo=zone)
    if abs((fire - at).total_seconds()) < 1:
        return None
    run = timedelta(seconds=max(policy.run_s(instr), lead_s, 60.0))
    wanted_end = wanted_local + run
    local_fire = fire.astimezone(zone)
    day = "" if local_fire.date() == at.date() else f" on {local_fire:%a %d %b}"
    where = f"it starts at {local_fire:%H:%M}{day}"
    if instr.kind in PERSON_KINDS:
        return Conflict(
            kind="away",
            instruction_ids=[instr.id],
            goals=[instr.goal],
            at=at,
            move=instr.id,
            moved_to=local_fire,
            suggestion=f"{instr.person} is out or asleep then; {where} instead",
        )
    for c in policy.constraints:
        if not c.enabled or not constraint_applies(c.goal, instr.goal):
            continue
        windows = constraint_windows(c, routine=policy.routine, quiet_hours=policy.quiet_hours)
        if _overlaps(windows, wanted_local, wanted_end):
            return Conflict(
                kind="constraint",
                instruction_ids=[instr.id, c.id],
                goals=[instr.goal, c.text],
                at=at,
                move=instr.id,
                moved_to=local_fire,
                suggestion=f"{where} instead",
            )
    if is_noisy(instr.goal):
        qs, qe = parse_quiet_hours(policy.quiet_hours)
        hint = (
            "so it is ready in time"
            if instr.time_is_deadline
            else f"move it to {qe:%H:%M} or later, or before {qs:%H:%M}, to choose yourself"
        )
        return Conflict(
            kind="quiet_hours",
            instruction_ids=[instr.id],
            goals=[instr.goal],
            at=at,
            move=instr.id,
            moved_to=local_fire,
            suggestion=(
                f"it would run {at:%H:%M}-{wanted_end:%H:%M}, inside quiet hours "
                f"{qs:%H:%M}-{qe:%H:%M} (people sleep); {where} instead, {hint}"
            ),
        )
    return None


def _why(first: tuple, second: tuple) -> str:
    a, b = _urgency(first[3], first[0], first[1]), _urgency(second[3], second[0], second[1])
    step = next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), 4)
    if step == 0:
        return "it has a deadline"
    if step == 1 and first[3].time_is_deadline:
        return "its deadline is earlier"
    if step == 2:
        return "higher priority"
    return "it starts first"
