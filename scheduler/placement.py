"""Placing chores in the household's week: constraints, routines and measured durations.

A :class:`SchedulePolicy` decides, for each instruction, the windows its runs must stay out
of and how long before a deadline it starts:

- a chore any enabled constraint applies to avoids that constraint's windows ("never run
  the dishwasher after 10:30 pm"), and a chore with a window of its own avoids it ("vacuum
  the hall every Wednesday while I'm out" avoids the hours its speaker is home);
- a noisy chore (vacuuming, laundry, the dishwasher, mowing ...) avoids the hours anyone in
  the household sleeps (their stated bed and wake times, else the home's quiet hours,
  22:00-07:00 unless told);
- a check-in or reminder avoids the hours its person is out (from their stated routine,
  with 15 minutes before they leave and 30 after they are back), and the hours they sleep
  when they said when they go to bed or get up (an unsaid bedtime is taken as 23:00 here,
  so an explicit "remind us at 10 pm" is not moved by a default night);
- a deadline chore starts its lead time before the deadline: the measured duration in this
  home (``DurationBook``) plus a margin, or the instruction's ``duration_s`` before any run;
- a long chore (an hour or more: the laundry) stays out of the windows of the household's
  short chores at fixed times (dinner made by 18:00 runs from about 17:35), because the one
  robot does one chore at a time and the long one would make the short one late.

A run that would start in, or run into, a window moves to the nearest free time on the same
day (earlier only, for a deadline); the rule itself is unchanged, and
``scheduler.conflicts.find_conflicts`` reports the move. ``ChoreScheduler`` builds its policy
from the database on its own (:meth:`SchedulePolicy.load`), so nothing else needs to pass
one; call ``ChoreScheduler.invalidate()`` after telling new routine facts or recording
durations from another object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from housemind.scheduler._rrule import split_rules
from housemind.scheduler.constraints import constraint_windows, forbidden_windows, is_noisy
from housemind.scheduler.durations import DURATION_PREDICATE, DurationBook
from housemind.scheduler.instructions import PERSON_KINDS, InstructionKind, StandingInstruction
from housemind.scheduler.routines import ROUTINE_PREDICATES, HouseholdRoutine
from housemind.scheduler.triggers import RRuleTrigger, next_due

__all__ = ["DEFAULT_QUIET_HOURS", "LONG_CHORE_S", "SchedulePolicy"]

#: A chore expected to take this long or longer keeps out of the short chores' windows.
LONG_CHORE_S = 3600.0
_CHORE_KINDS = (InstructionKind.RECURRING_CHORE, InstructionKind.DEADLINE_CHORE)

DEFAULT_QUIET_HOURS = "22:00-07:00"
#: Bedtime assumed for a person who said when they get up but not when they go to bed, when
#: placing what the robot says to them ("remind us at 10 pm" stays at 10 pm).
PERSON_BEDTIME = "23:00"


class SchedulePolicy:
    """Where each instruction's runs may go, and when deadline chores start.

    Args:
        constraints: Instructions; the enabled ``constraint`` ones are used.
        routine: The household's routine (None: nobody's routine is known).
        quiet_hours: ``"HH:MM-HH:MM"``: the night when no routine says otherwise.
        durations: Measured durations; None uses each instruction's ``duration_s``.
        noise: Keep noisy chores out of sleeping hours (False: only constraints and
            routines place runs).
    """

    def __init__(
        self,
        constraints: Iterable[StandingInstruction] = (),
        *,
        routine: HouseholdRoutine | None = None,
        quiet_hours: str | None = None,
        durations: DurationBook | None = None,
        noise: bool = True,
    ) -> None:
        constraints = list(constraints)
        self.constraints = [c for c in constraints if c.kind is InstructionKind.CONSTRAINT]
        self._chores = [c for c in constraints if c.kind in _CHORE_KINDS and c.rrule and c.enabled]
        self.noise = noise
        self.quiet_hours = quiet_hours or (routine.quiet_hours if routine else DEFAULT_QUIET_HOURS)
        self.routine = routine
        self.durations = durations

    # -- building -----------------------------------------------------------------------

    @classmethod
    def from_facts(
        cls,
        instructions: Iterable[StandingInstruction],
        facts: Iterable[Any] = (),
        *,
        tz: str = "UTC",
        durations: DurationBook | None = None,
    ) -> SchedulePolicy:
        """A policy from instructions (their constraints) and routine facts.

        Args:
            instructions: The home's instructions (constraints are taken from them).
            facts: Routine and quiet-hours facts (``ParsedFact`` or stored ``FactView``).
            tz: The home's time zone.
            durations: Measured durations.
        """
        routine = HouseholdRoutine.from_facts(list(facts), tz=tz)
        return cls(instructions, routine=routine, durations=durations)

    @classmethod
    def load(
        cls, session_factory: Any, instructions: Iterable[StandingInstruction], *, tz: str = "UTC"
    ) -> SchedulePolicy:
        """The policy stored in the project database (routine, quiet hours, durations).

        Args:
            session_factory: A SQLAlchemy session factory on the project database.
            instructions: The home's instructions.
            tz: The home's time zone (routine facts are wall times there).
        """
        from sqlalchemy import select
        from sqlalchemy.exc import OperationalError

        from housemind.memory.models import Fact

        names = [*ROUTINE_PREDICATES, *(f"{p}_rrule" for p in ROUTINE_PREDICATES)]
        stmt = (
            select(Fact)
            .where(Fact.valid_to.is_(None))
            .where(Fact.predicate.in_([*names, "quiet_hours", DURATION_PREDICATE]))
            .order_by(Fact.created_at, Fact.id)
        )
        try:
            with session_factory() as s:
                rows = [(f.subject, f.predicate, f.value) for f in s.scalars(stmt)]
        except OperationalError:  # a database without the memory tables: nothing told
            rows = []
        facts = [_Told(*r) for r in rows if r[1] != DURATION_PREDICATE]
        measured = [_Told(*r) for r in rows if r[1] == DURATION_PREDICATE]
        book = DurationBook(_StoredDurations(measured))
        return cls.from_facts(instructions, facts, tz=tz, durations=book)

    # -- decisions -----------------------------------------------------------------------

    def avoid(self, instruction: StandingInstruction) -> tuple[str, ...]:
        """The weekly windows ``instruction``'s runs must stay out of."""
        windows: list[str] = []
        if instruction.kind in PERSON_KINDS:
            person = instruction.person
            if self.routine is not None and person and person in self.routine.people():
                windows += self.routine.away_windows(person)
                if self.routine.said_sleep(person):
                    windows += self.routine.sleep_windows(person, bed_default=PERSON_BEDTIME)
            return tuple(sorted(set(windows)))
        windows += forbidden_windows(
            instruction.goal, self.constraints, routine=self.routine, quiet_hours=self.quiet_hours
        )
        if instruction.window:  # its own: "vacuum the hall every Wednesday while I'm out"
            windows += constraint_windows(
                instruction, routine=self.routine, quiet_hours=self.quiet_hours
            )
        if self.noise and is_noisy(instruction.goal):
            if self.routine is not None:
                windows += self.routine.sleep_windows()
            else:
                windows.append(f"* {self.quiet_hours}")
        windows += self.busy_windows(instruction)
        return tuple(sorted(set(windows)))

    def busy_windows(self, instruction: StandingInstruction) -> list[str]:
        """Weekly windows of the short fixed-time chores a long chore keeps out of.

        Only a chore expected to take :data:`LONG_CHORE_S` or more gets any; a short
        chore's window runs from its start (its lead before a deadline) to its end. Rules
        other than daily or weekly at one time of day are left out.
        """
        if instruction.kind not in _CHORE_KINDS:
            return []
        if max(self.run_s(instruction), self.lead_s(instruction)) < LONG_CHORE_S:
            return []
        out = []
        for other in self._chores:
            if other.id == instruction.id or other.rrule is None:
                continue
            run = max(self.run_s(other), self.lead_s(other) if other.time_is_deadline else 0)
            if run >= LONG_CHORE_S:
                continue
            window = _fixed_time_window(other.rrule, run, other.time_is_deadline)
            if window is not None:
                out.append(window)
        return out

    def lead_s(self, instruction: StandingInstruction) -> float:
        """Seconds before its deadline a deadline chore starts."""
        if self.durations is not None and instruction.kind not in PERSON_KINDS:
            estimate = self.durations.estimate(instruction.goal)
            if estimate.runs:
                return estimate.lead_s
        return instruction.duration_s

    def run_s(self, instruction: StandingInstruction) -> float:
        """How long a run is expected to take (measured, else ``duration_s``)."""
        if self.durations is not None and instruction.kind not in PERSON_KINDS:
            estimate = self.durations.estimate(instruction.goal)
            if estimate.runs:
                return estimate.mean_s
        return instruction.duration_s

    def trigger(self, instruction: StandingInstruction) -> RRuleTrigger:
        """The placed trigger of a scheduled instruction.

        Raises:
            ValueError: It has no schedule.
        """
        if instruction.rrule is None:
            raise ValueError(f"instruction {instruction.id} ({instruction.text!r}) has no schedule")
        deadline = instruction.time_is_deadline
        lead = self.lead_s(instruction) if deadline else 0.0
        return RRuleTrigger(
            instruction.rrule,
            instruction.timezone,
            -lead,
            avoid=self.avoid(instruction),
            duration_s=max(lead, self.run_s(instruction)) if deadline else self.run_s(instruction),
            keep_deadline=deadline,
        )

    def next_due(
        self, instruction: StandingInstruction, after: datetime, n: int = 5
    ) -> list[tuple[datetime, datetime]]:
        """The next ``n`` ``(due, fire)`` pairs of ``instruction`` under this policy."""
        return next_due(instruction, after, n, self)


def _fixed_time_window(rrule_text: str, run_s: float, deadline: bool) -> str | None:
    """``"* 17:35-18:00"`` for a daily chore due at 18:00 that takes 25 minutes."""
    try:
        _, rules = split_rules(rrule_text)
    except ValueError:
        return None
    if len(rules) != 1:
        return None
    r = rules[0]
    if (
        r.get("FREQ") not in ("DAILY", "WEEKLY")
        or "," in r.get("BYHOUR", ",")
        or ("," in r.get("BYMINUTE", "0"))
    ):
        return None
    at = int(r["BYHOUR"]) * 60 + int(r.get("BYMINUTE", "0"))
    span = max(1, round(run_s / 60))
    start, end = (at - span, at) if deadline else (at, at + span)
    days = "*"
    if r.get("BYDAY"):
        days = ",".join(re.sub(r"^[+-]?\d+", "", d) for d in r["BYDAY"].split(","))
    elif r.get("FREQ") == "WEEKLY":
        return None  # weekly on the DTSTART's day: not worth guessing

    def hhmm(m: int) -> str:
        m %= 24 * 60
        return f"{m // 60:02d}:{m % 60:02d}"

    return f"{days} {hhmm(start)}-{hhmm(end)}"


class _Told:
    """A fact row as ``from_facts`` reads it."""

    __slots__ = ("predicate", "subject", "value")

    def __init__(self, subject: str, predicate: str, value: str) -> None:
        self.subject, self.predicate, self.value = subject, predicate, value


class _StoredDurations:
    """Read-only duration facts for a ``DurationBook`` (what ``SchedulePolicy.load`` read)."""

    def __init__(self, rows: list[_Told]) -> None:
        self._rows = rows

    def facts(self, subject: str | None = None, predicate: str | None = None) -> list[_Told]:
        """The rows about ``subject`` with ``predicate``."""
        return [
            r
            for r in self._rows
            if (subject is None or r.subject == subject)
            and (predicate is None or r.predicate == predicate)
        ]

    def tell(self, *args: Any, **kwargs: Any) -> int:  # pragma: no cover - read-only
        """Refuse: this book was loaded read-only."""
        raise TypeError("this duration book was loaded read-only; record through memory")
