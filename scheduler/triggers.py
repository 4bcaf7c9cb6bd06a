"""Recurrence as APScheduler 3 triggers.

:class:`RRuleTrigger` wraps an RFC 5545 rule in the instruction's time zone, with the
placement the household needs (windows a chore must stay out of: constraints, sleeping
hours, a person out). It pickles as plain strings (APScheduler's ``SQLAlchemyJobStore``
pickles triggers) and rebuilds its dateutil rule on first use.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from housemind.scheduler._rrule import Recurrence, recurrence
from housemind.scheduler.instructions import StandingInstruction

__all__ = ["RRuleTrigger", "fire_offset_s", "next_due", "next_runs", "trigger_for"]

_EPSILON = timedelta(microseconds=1)


class RRuleTrigger(BaseTrigger):
    """An APScheduler trigger that fires on an RRULE in a time zone's wall time.

    Args:
        rrule: ``RRULE:...`` line(s), optionally preceded by a ``DTSTART:`` line in local
            time.
        timezone: IANA time zone of the rule's wall times.
        offset_s: Seconds added to every occurrence; deadline chores use minus their lead.
        avoid: Weekly windows (``"* 22:00-07:00"``) the chore must not start or run in; a
            fire time that would is moved to the nearest free time.
        duration_s: How long the chore runs (for ``avoid``).
        keep_deadline: Move only earlier (the occurrence is a deadline).

    Raises:
        ValueError: The rule, a window or the time zone cannot be read.
    """

    __slots__ = (
        "_recurrence",
        "avoid",
        "duration_s",
        "keep_deadline",
        "offset_s",
        "rrule",
        "timezone",
    )

    def __init__(
        self,
        rrule: str,
        timezone: str = "UTC",
        offset_s: float = 0.0,
        *,
        avoid: tuple[str, ...] = (),
        duration_s: float = 0.0,
        keep_deadline: bool = False,
    ) -> None:
        self.rrule = rrule
        self.timezone = timezone
        self.offset_s = float(offset_s)
        self.avoid = tuple(avoid)
        self.duration_s = float(duration_s)
        self.keep_deadline = bool(keep_deadline)
        self._recurrence: Recurrence | None = None
        self._recurrence = self.recurrence

    @property
    def recurrence(self) -> Recurrence:
        """The expanded rule (built lazily after unpickling)."""
        if self._recurrence is None:
            self._recurrence = recurrence(
                self.rrule,
                self.timezone,
                self.offset_s,
                self.avoid,
                self.duration_s if self.avoid else 0.0,
                self.keep_deadline if self.avoid else False,
            )
        return self._recurrence

    @property
    def key(self) -> tuple:
        """Everything that decides the fire times (equal keys: equal triggers)."""
        return (self.rrule, self.timezone, self.offset_s, self.avoid, self.duration_s,
                self.keep_deadline)  # fmt: skip

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """Next fire time, in the trigger's time zone, as APScheduler asks for it.

        Like APScheduler's ``CronTrigger``: after a previous fire, the next one is the first
        occurrence after it (even if that is already past, so the scheduler can apply its
        misfire policy); otherwise the first occurrence at or after ``now``.

        Args:
            previous_fire_time: When the job last fired, or None.
            now: The scheduler's current time (aware).

        Returns:
            The next fire time (aware), or None when the rule has ended.
        """
        rec = self.recurrence
        if previous_fire_time is not None:
            start = min(now, previous_fire_time)
            nxt = rec.next_after(start)
            if nxt is not None and nxt <= previous_fire_time:
                nxt = rec.next_after(previous_fire_time)
        else:
            nxt = rec.next_after(now - _EPSILON)
        return None if nxt is None else nxt.astimezone(rec.tz)

    def previous_fire_time(self, now: datetime) -> datetime | None:
        """Latest fire time at or before ``now`` (aware), or None."""
        prev = self.recurrence.last_at_or_before(now)
        return None if prev is None else prev.astimezone(self.recurrence.tz)

    def __getstate__(self) -> dict[str, Any]:
        return {
            "version": 2,
            "rrule": self.rrule,
            "timezone": self.timezone,
            "offset_s": self.offset_s,
            "avoid": list(self.avoid),
            "duration_s": self.duration_s,
            "keep_deadline": self.keep_deadline,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version", 1) > 2:
            raise ValueError(
                f"RRuleTrigger state version {state['version']} is newer than this housemind; "
                "upgrade housemind or recreate the jobs"
            )
        self.rrule = state["rrule"]
        self.timezone = state["timezone"]
        self.offset_s = float(state.get("offset_s", 0.0))
        self.avoid = tuple(state.get("avoid", ()))
        self.duration_s = float(state.get("duration_s", 0.0))
        self.keep_deadline = bool(state.get("keep_deadline", False))
        self._recurrence = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RRuleTrigger) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __str__(self) -> str:
        rule = self.rrule.replace("\n", " ")
        shift = f", offset {self.offset_s:+g} s" if self.offset_s else ""
        avoid = f", avoiding {'; '.join(self.avoid)}" if self.avoid else ""
        return f"rrule[{rule} in {self.timezone}{shift}{avoid}]"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(rrule={self.rrule!r}, timezone={self.timezone!r}, "
            f"offset_s={self.offset_s!r}, avoid={self.avoid!r}, duration_s={self.duration_s!r}, "
            f"keep_deadline={self.keep_deadline!r})"
        )


def fire_offset_s(instruction: StandingInstruction) -> float:
    """Seconds between an occurrence and its fire time: ``-duration_s`` for deadlines."""
    return -instruction.duration_s if instruction.time_is_deadline else 0.0


def trigger_for(instruction: StandingInstruction, policy: Any | None = None) -> RRuleTrigger:
    """The trigger that fires ``instruction``'s chores.

    Deadline chores fire their lead time (``duration_s``, or the measured one from the
    policy's ``DurationBook``) before the time in their rule, so they can finish by it.

    Args:
        instruction: A scheduled instruction.
        policy: A ``scheduler.placement.SchedulePolicy`` (constraints, routine, measured
            durations); None places nothing and uses ``duration_s``.

    Raises:
        ValueError: The instruction has no schedule (a preference, a constraint or an
            unscheduled check-in).
    """
    if instruction.rrule is None:
        raise ValueError(
            f"instruction {instruction.id} ({instruction.text!r}) has no schedule; give it an "
            "rrule before scheduling it"
        )
    if policy is not None:
        return policy.trigger(instruction)
    return RRuleTrigger(instruction.rrule, instruction.timezone, fire_offset_s(instruction))


def next_runs(
    instruction: StandingInstruction, after: datetime, n: int = 5, policy: Any | None = None
) -> list[datetime]:
    """The next ``n`` fire times of ``instruction`` strictly after ``after``.

    Args:
        instruction: A scheduled instruction.
        after: Timezone-aware time to count from.
        n: How many fire times.
        policy: Placement and durations (``scheduler.placement.SchedulePolicy``), if any.

    Returns:
        Aware datetimes in the instruction's time zone (fewer than ``n`` if the rule ends).
    """
    trig = trigger_for(instruction, policy)
    rec = trig.recurrence
    return [t.astimezone(rec.tz) for t in rec.next_n(after.astimezone(UTC), n)]


def next_due(
    instruction: StandingInstruction, after: datetime, n: int = 5, policy: Any | None = None
) -> list[tuple[datetime, datetime]]:
    """The next ``n`` ``(due, fire)`` pairs of ``instruction`` with fire after ``after``.

    ``due`` is the rule's time (a deadline chore's deadline), ``fire`` when it starts; both
    aware, in the instruction's time zone.
    """
    rec = trigger_for(instruction, policy).recurrence
    return [
        (due.astimezone(rec.tz), fire.astimezone(rec.tz))
        for due, fire in rec.next_pairs(after.astimezone(UTC), n)
    ]
