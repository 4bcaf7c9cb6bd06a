"""The household's routine: when each person is up, out, home and asleep.

People state their routine in plain words ("I wake up and go to work at 7", "I get home
around 6 on weekdays", "I go to bed at 11", "on weekends I get up at 9"). ``parse_paragraph``
turns those into facts (``wakes_at``, ``leaves_for_work_at``, ``leaves_home_at``,
``gets_home_at``, ``goes_to_bed_at``, each with a ``<predicate>_rrule`` saying on which days);
:class:`HouseholdRoutine` reads them back and answers the scheduler's questions:

- :meth:`~HouseholdRoutine.is_home`, :meth:`~HouseholdRoutine.sleeping`,
  :meth:`~HouseholdRoutine.next_time_home` (when to ask a check-in nobody answered again);
- :meth:`~HouseholdRoutine.away_windows` and :meth:`~HouseholdRoutine.sleep_windows`: weekly
  windows (``"MO,TU 06:45-18:30"``) that check-ins, reminders and noisy chores are kept out
  of; :meth:`~HouseholdRoutine.home_windows`, those a chore said "while I'm out" is kept
  out of.

What is not said is filled in with documented defaults: a person who leaves but never said
when they come back is out :data:`DEFAULT_AWAY_H` hours; one who comes back but never said
when they leave left that long before; bed and wake times default to the home's quiet hours
(22:00-07:00 unless told). A person with no routine facts is assumed at home and asleep in
the quiet hours.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from housemind.scheduler._rrule import load_zone, parse_window, split_rrule, window_intervals

__all__ = [
    "DEFAULT_AWAY_H",
    "HOME_PREDICATE",
    "LEAVE_MARGIN_MIN",
    "MEAL_PREDICATES",
    "ROUTINE_PREDICATES",
    "SETTLE_MIN",
    "HouseholdRoutine",
    "ask_again",
]

log = logging.getLogger(__name__)

#: Hours someone is out when only one end of the absence was said (a working day).
DEFAULT_AWAY_H = 10
#: A person just home is left to settle this long before the robot asks them anything.
SETTLE_MIN = 30
#: Nor is a person asked in the last minutes before they leave.
LEAVE_MARGIN_MIN = 15
ROUTINE_PREDICATES = (
    "wakes_at",
    "leaves_for_work_at",
    "leaves_home_at",
    "gets_home_at",
    "goes_to_bed_at",
)
#: When someone has their meals ("I have lunch at 12:30"): not used for scheduling, but a
#: simulated resident eats then (``sim.home.following``).
MEAL_PREDICATES = ("has_breakfast_at", "has_lunch_at", "has_dinner_at")
#: "I work from home (on Fridays)": home those days (a flag; its time is not used).
HOME_PREDICATE = "works_from_home"
_READ = (*ROUTINE_PREDICATES, *MEAL_PREDICATES, HOME_PREDICATE)
_LEAVES = ("leaves_for_work_at", "leaves_home_at")
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class _Person:
    """Minutes after midnight per weekday (0 = Monday) for each routine predicate."""

    times: dict[str, dict[int, int]] = field(default_factory=dict)

    def at(self, predicate: str, weekday: int) -> int | None:
        return self.times.get(predicate, {}).get(weekday)


class HouseholdRoutine:
    """When each person is up, out, home and asleep, week by week.

    Build it with :meth:`from_facts`. Times are the home's local wall time.

    Args:
        people: ``{person: {predicate: {weekday: minutes after midnight}}}``.
        tz: The home's IANA time zone.
        quiet_hours: ``"HH:MM-HH:MM"``: the default night (bed and wake times not said).
    """

    def __init__(
        self,
        people: dict[str, dict[str, dict[int, int]]] | None = None,
        *,
        tz: str = "UTC",
        quiet_hours: str = "22:00-07:00",
    ) -> None:
        self.tz = tz
        self.zone = load_zone(tz)
        self.quiet_hours = quiet_hours
        _, q_start, q_end = parse_window(f"* {quiet_hours}")
        self._quiet = (q_start, q_end % (24 * 60))
        self._people = {p: _Person(dict(v)) for p, v in (people or {}).items()}

    # -- building -----------------------------------------------------------------------

    @classmethod
    def from_facts(
        cls, facts: Iterable[Any], *, tz: str = "UTC", quiet_hours: str | None = None
    ) -> HouseholdRoutine:
        """Read routine facts (later facts override earlier ones for the same days).

        Args:
            facts: Objects with ``subject``, ``predicate``, ``value`` and optionally
                ``rrule`` (``scheduler.ParsedFact``), or stored facts
                (``memory.FactView``) where the days are a separate ``<predicate>_rrule``
                fact. A ``("home", "quiet_hours", "22:00-07:00")`` fact sets the quiet hours.
            tz: The home's IANA time zone.
            quiet_hours: Overrides a quiet-hours fact.

        Returns:
            The routine; predicates other than :data:`ROUTINE_PREDICATES`,
            :data:`MEAL_PREDICATES` and :data:`HOME_PREDICATE` are ignored.
        """
        people: dict[str, dict[str, dict[int, int]]] = {}
        quiet = quiet_hours
        rules: dict[tuple[str, str], list[str]] = {}
        values: list[tuple[str, str, str, str | None]] = []
        for f in facts:
            subject, predicate = str(f.subject), str(f.predicate)
            value = str(f.value)
            if predicate == "quiet_hours" and quiet_hours is None:
                quiet = value
            elif predicate.endswith("_rrule") and predicate[:-6] in _READ:
                rules.setdefault((subject, predicate[:-6]), []).append(value)
            elif predicate in _READ:
                values.append((subject, predicate, value, getattr(f, "rrule", None)))
        for subject, predicate, value, rrule in values:
            days, minutes = _days_and_time(rrule, value)
            if rrule is None and (subject, predicate) in rules:
                continue  # the rule facts below carry the days and the time
            _put(people, subject, predicate, days, minutes)
        for (subject, predicate), texts in rules.items():
            for text in texts:
                days, minutes = _days_and_time(text, None)
                if minutes is not None:
                    _put(people, subject, predicate, days, minutes)
        return cls(people, tz=tz, quiet_hours=quiet or "22:00-07:00")

    def people(self) -> list[str]:
        """The people whose routine is known."""
        return sorted(self._people)

    def times(self, person: str, predicate: str) -> dict[int, str]:
        """When ``person`` does ``predicate`` ("wakes_at"): weekday (0 = Monday) -> ``HH:MM``."""
        p = self._people.get(person)
        return {d: _hhmm(m) for d, m in sorted(p.times.get(predicate, {}).items())} if p else {}

    def minutes(self, person: str, predicate: str, weekday: int) -> int | None:
        """Minutes after midnight when ``person`` does ``predicate`` on ``weekday``.

        Weekday 0 is Monday; None when they did not say.
        """
        p = self._people.get(person)
        return p.at(predicate, weekday) if p else None

    def said_sleep(self, person: str) -> bool:
        """Whether ``person`` said when they go to bed or get up."""
        p = self._people.get(person)
        return bool(p and (p.times.get("goes_to_bed_at") or p.times.get("wakes_at")))

    # -- windows ------------------------------------------------------------------------

    def away(self, person: str, weekday: int) -> tuple[int, int] | None:
        """Minutes after midnight (end may pass 24:00) when ``person`` is out that day.

        Where only one end was said, the other is :data:`DEFAULT_AWAY_H` hours off; None
        when they said neither for that day.
        """
        p = self._people.get(person)
        if p is None:
            return None
        leave = next((v for k in _LEAVES if (v := p.at(k, weekday)) is not None), None)
        back = p.at("gets_home_at", weekday)
        if leave is None and back is None:
            return None
        if leave is None and back is not None:
            wake = p.at("wakes_at", weekday)
            leave = max(back - DEFAULT_AWAY_H * 60, wake if wake is not None else 0)
        assert leave is not None
        if back is None:
            back = leave + DEFAULT_AWAY_H * 60
        if back <= leave:
            back += 24 * 60
        return leave, back

    def _sleep(self, person: str, weekday: int, bed_default: int | None = None) -> tuple[int, int]:
        """Minutes after midnight of ``weekday`` when ``person`` goes to bed and wakes up.

        The wake time is the next morning's, so it is more than 24:00.
        """
        p = self._people.get(person)
        bed = p.at("goes_to_bed_at", weekday) if p else None
        wake = p.at("wakes_at", (weekday + 1) % 7) if p else None
        if bed is None:
            bed = self._quiet[0] if bed_default is None else bed_default
        if bed < 12 * 60:
            bed += 24 * 60  # going to bed after midnight
        if wake is None:
            wake = self._quiet[1]
        return bed, wake + 24 * 60

    def away_windows(self, person: str, *, margins: bool = True) -> list[str]:
        """Weekly windows when ``person`` is out (``"MO 06:45-19:30"``).

        Args:
            person: Who.
            margins: Widen each window by :data:`LEAVE_MARGIN_MIN` before leaving and
                :data:`SETTLE_MIN` after coming home (for asking them something).
        """
        out = []
        for day in range(7):
            span = self.away(person, day)
            if span is None:
                continue
            start, end = span
            if margins:
                start, end = start - LEAVE_MARGIN_MIN, end + SETTLE_MIN
            out.append(_window(day, start, end))
        return out

    def home_windows(self, person: str) -> list[str]:
        """Weekly windows when ``person`` is at home: the week less :meth:`away_windows`.

        Empty when nothing says when they are out (a chore to do "while I'm out" is then
        not moved); a day they are never out is one window ``"SA 00:00-24:00"``.
        """
        week = 7 * 24 * 60
        if not self.away_windows(person, margins=False):
            return []
        home = [True] * week
        for day in range(7):
            span = self.away(person, day)
            if span is None:
                continue
            start, end = span
            for minute in range(day * 24 * 60 + start, day * 24 * 60 + end):
                home[minute % week] = False
        out: list[str] = []
        for day in range(7):
            base, minute = day * 24 * 60, 0
            while minute < 24 * 60:
                if not home[base + minute]:
                    minute += 1
                    continue
                start = minute
                while minute < 24 * 60 and home[base + minute]:
                    minute += 1
                out.append(_window(day, start, minute))
        return out

    def sleep_windows(
        self, person: str | None = None, *, bed_default: str | None = None
    ) -> list[str]:
        """Weekly windows when ``person`` (None: anyone in the household) is asleep.

        Args:
            person: Who; None is anyone.
            bed_default: ``"HH:MM"`` bedtime for people who did not say theirs (default:
                the start of the quiet hours).
        """
        bed_min = None
        if bed_default is not None:
            h, m = (int(x) for x in bed_default.split(":"))
            bed_min = h * 60 + m
        who = [person] if person is not None else self.people()
        if not who or (person is not None and person not in self._people):
            q_start, q_end = self._quiet
            return [f"* {_hhmm(q_start)}-{_hhmm(q_end)}"]
        out: list[str] = []
        for name in who:
            for day in range(7):
                out.append(_window(day, *self._sleep(name, day, bed_min)))
        return sorted(set(out))

    # -- questions ----------------------------------------------------------------------

    def _local(self, when: datetime) -> datetime:
        if when.tzinfo is None:
            raise ValueError(f"naive datetime {when!r}: pass a timezone-aware time")
        return when.astimezone(self.zone).replace(tzinfo=None)

    def is_home(self, person: str, when: datetime) -> bool:
        """Whether ``person`` is at home at ``when`` (unknown people are assumed home)."""
        return not _inside(self.away_windows(person, margins=False), self._local(when))

    def sleeping(self, when: datetime, person: str | None = None) -> bool:
        """Whether ``person`` (None: anyone in the household) is asleep at ``when``."""
        return _inside(self.sleep_windows(person), self._local(when))

    def available(self, person: str, when: datetime) -> bool:
        """Home, awake, settled in and not about to leave: a good time to ask them."""
        local = self._local(when)
        return not _inside(self.away_windows(person), local) and not _inside(
            self.sleep_windows(person), local
        )

    def next_time_home(
        self, person: str, after: datetime, *, within: timedelta = timedelta(days=8)
    ) -> datetime:
        """The first time from ``after`` on when ``person`` is home, settled and awake.

        This is when a check-in nobody answered is asked again.

        Args:
            person: Who.
            after: Aware time to look from.
            within: How far to look.

        Returns:
            An aware time in the home's zone (``after`` itself when they are available).

        Raises:
            ValueError: ``person`` is never available within ``within``.
        """
        blocked = tuple(
            parse_window(w) for w in (*self.away_windows(person), *self.sleep_windows(person))
        )
        t = self._local(after).replace(second=0, microsecond=0)
        if t < self._local(after):
            t += timedelta(minutes=1)
        limit = t + within
        while t <= limit:
            hit = next((iv for iv in window_intervals(blocked, t) if iv[0] <= t < iv[1]), None)
            if hit is None:
                return t.replace(tzinfo=self.zone)
            t = hit[1]
        raise ValueError(
            f"{person} is never home and awake in the {within.days} days after {after}; "
            "check their routine facts (wakes_at, leaves_for_work_at, gets_home_at, "
            "goes_to_bed_at)"
        )

    def describe(self, person: str) -> str:
        """The routine in words, e.g. "up 07:00 (weekdays), out 07:00-17:00 (weekdays)"."""
        p = self._people.get(person)
        if p is None:
            return f"nothing known about {person}'s routine"
        parts = []
        for predicate in _READ:
            by_time: dict[int, list[int]] = {}
            for day, minutes in sorted(p.times.get(predicate, {}).items()):
                by_time.setdefault(minutes, []).append(day)
            for minutes, days in by_time.items():
                which = ",".join(_DAY_CODES[d] for d in days) if len(days) < 7 else "daily"
                at = "" if predicate == HOME_PREDICATE else f" {_hhmm(minutes)}"
                parts.append(f"{predicate}{at} ({which})")
        return "; ".join(parts)


def _put(
    people: dict[str, dict[str, dict[int, int]]],
    subject: str,
    predicate: str,
    days: list[int],
    minutes: int | None,
) -> None:
    if minutes is None:
        return
    slot = people.setdefault(subject, {}).setdefault(predicate, {})
    for day in days:
        slot[day] = minutes


def _days_and_time(rrule: str | None, value: str | None) -> tuple[list[int], int | None]:
    """Days (0 = Monday) and minutes after midnight from a routine rule and/or ``HH:MM``."""
    days = list(range(7))
    minutes = None
    if value and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        h, m = (int(x) for x in value.strip().split(":"))
        minutes = h * 60 + m
    if rrule:
        try:
            _, parts = split_rrule(rrule)
        except ValueError:
            log.info("ignoring unreadable routine rule %r", rrule)
            return days, minutes
        if parts.get("BYDAY"):
            days = [
                _DAY_CODES.index(d[-2:]) for d in parts["BYDAY"].split(",") if d[-2:] in _DAY_CODES
            ]
        if parts.get("BYHOUR"):
            h = int(parts["BYHOUR"].split(",")[0])
            m = int((parts.get("BYMINUTE") or "0").split(",")[0])
            minutes = h * 60 + m
    return days, minutes


def _hhmm(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _window(day: int, start: int, end: int) -> str:
    """A window starting on ``day`` at ``start`` minutes (may be < 0 or >= 24:00)."""
    while start < 0:
        day, start, end = (day - 1) % 7, start + 24 * 60, end + 24 * 60
    while start >= 24 * 60:
        day, start, end = (day + 1) % 7, start - 24 * 60, end - 24 * 60
    if end - start >= 24 * 60:
        return f"{_DAY_CODES[day]} 00:00-24:00"
    return f"{_DAY_CODES[day]} {_hhmm(start)}-{_hhmm(end)}"


def _inside(windows: list[str], local: datetime) -> bool:
    parsed = tuple(parse_window(w) for w in windows)
    return any(a <= local < b for a, b in window_intervals(parsed, local, days=2))


def ask_again(instruction: Any, routine: HouseholdRoutine, after: datetime) -> Any:
    """A one-off copy of an unanswered check-in for the next time its person is home.

    Also for a reminder nobody heard.

    Args:
        instruction: The ``StandingInstruction`` whose run found nobody, or went unanswered.
        routine: The household's routine.
        after: Aware time the run ended.

    Returns:
        A new one-off ``StandingInstruction`` (same goal, person and answer list; its own
        id, from its text "... (asked again at <time>)"), to store and fire like any other.

    Raises:
        ValueError: ``instruction`` has no person, or the person is never home soon.
    """
    from housemind.scheduler._rrule import format_rrule
    from housemind.scheduler.instructions import StandingInstruction

    if not instruction.person:
        raise ValueError(
            f"instruction {instruction.id} ({instruction.text!r}) names nobody to ask; only "
            "check-ins and reminders can be asked again"
        )
    when = routine.next_time_home(instruction.person, after)
    local = when.astimezone(load_zone(instruction.timezone)).replace(tzinfo=None)
    rule = format_rrule({"FREQ": "DAILY", "COUNT": "1"}, dtstart=local.replace(second=0))
    data = instruction.model_dump(exclude={"id", "text", "rrule"})
    return StandingInstruction(
        **data, text=f"{instruction.text} (asked again at {local:%Y-%m-%d %H:%M})", rrule=rule
    )
