"""Recurrence as APScheduler 3 triggers.

:class:`RRuleTrigger` wraps an RFC 5545 rule in the instruction's time zone. It pickles as
plain strings (APScheduler's ``SQLAlchemyJobStore`` pickles triggers) and rebuilds its
dateutil rule on first use.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from housemind.scheduler._rrule import Recurrence, recurrence
from housemind.scheduler.instructions import StandingInstruction

__all__ = ["RRuleTrigger", "fire_offset_s", "next_runs", "trigger_for"]

_EPSILON = timedelta(microseconds=1)


class RRuleTrigger(BaseTrigger):
    """An APScheduler trigger that fires on an RRULE in a time zone's wall time.

    Args:
        rrule: ``RRULE:...``, optionally preceded by a ``DTSTART:`` line in local time.
        timezone: IANA time zone of the rule's wall times.
        offset_s: Seconds added to every occurrence; deadline chores use ``-duration_s``.

    Raises:
        ValueError: The rule or the time zone cannot be read.
    """

    __slots__ = ("_recurrence", "offset_s", "rrule", "timezone")

    def __init__(self, rrule: str, timezone: str = "UTC", offset_s: float = 0.0) -> None:
        self.rrule = rrule
        self.timezone = timezone
        self.offset_s = float(offset_s)
        self._recurrence: Recurrence | None = recurrence(rrule, timezone, self.offset_s)

    @property
    def recurrence(self) -> Recurrence:
        """The expanded rule (built lazily after unpickling)."""
        if self._recurrence is None:
            self._recurrence = recurrence(self.rrule, self.timezone, self.offset_s)
        return self._recurrence

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
            "version": 1,
            "rrule": self.rrule,
            "timezone": self.timezone,
            "offset_s": self.offset_s,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version", 1) > 1:
            raise ValueError(
                f"RRuleTrigger state version {state['version']} is newer than this housemind; "
                "upgrade housemind or recreate the jobs"
            )
        self.rrule = state["rrule"]
        self.timezone = state["timezone"]
        self.offset_s = float(state.get("offset_s", 0.0))
        self._recurrence = None

    def __str__(self) -> str:
        rule = self.rrule.replace("\n", " ")
        shift = f", offset {self.offset_s:+g} s" if self.offset_s else ""
        return f"rrule[{rule} in {self.timezone}{shift}]"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(rrule={self.rrule!r}, timezone={self.timezone!r}, "
            f"offset_s={self.offset_s!r})"
        )


def fire_offset_s(instruction: StandingInstruction) -> float:
    """Seconds between an occurrence and its fire time: ``-duration_s`` for deadlines."""
    return -instruction.duration_s if instruction.time_is_deadline else 0.0


def trigger_for(instruction: StandingInstruction) -> RRuleTrigger:
    """The trigger that fires ``instruction``'s chores.

    Deadline chores fire ``duration_s`` before the time in their rule, so they can finish by
    it.

    Raises:
        ValueError: The instruction has no schedule (a preference or an unscheduled check-in).
    """
    if instruction.rrule is None:
        raise ValueError(
            f"instruction {instruction.id} ({instruction.text!r}) has no schedule; give it an "
            "rrule before scheduling it"
        )
    return RRuleTrigger(instruction.rrule, instruction.timezone, fire_offset_s(instruction))


def next_runs(instruction: StandingInstruction, after: datetime, n: int = 5) -> list[datetime]:
    """The next ``n`` fire times of ``instruction`` strictly after ``after``.

    Args:
        instruction: A scheduled instruction.
        after: Timezone-aware time to count from.
        n: How many fire times.

    Returns:
        Aware datetimes in the instruction's time zone (fewer than ``n`` if the rule ends).
    """
    trig = trigger_for(instruction)
    rec = trig.recurrence
    return [t.astimezone(rec.tz) for t in rec.next_n(after.astimezone(UTC), n)]
