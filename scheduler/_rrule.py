"""RRULE parsing and expansion in a home's local wall time (internal).

Rules are expanded on *naive local wall time* and then placed in the home's time zone, so
"every day at 9:00" stays at 9:00 across daylight-saving changes. A wall time that does
not exist (spring forward) lands one hour later; an ambiguous one (fall back) fires once,
at its first occurrence.

An RRULE without ``DTSTART`` is anchored at a fixed Monday midnight (2000-01-03 00:00 local),
so expansion is deterministic. Rules without ``COUNT`` are re-anchored a whole number of
periods before the query time, which keeps each query cheap however long the robot runs.

A schedule may hold several ``RRULE:`` lines sharing one ``DTSTART`` ("every day at 07:30 and
18:00" is two rules, since one RRULE cannot pair each hour with its own minute); their
occurrences are merged.

A :class:`Recurrence` can also *place* each occurrence: a chore that would start in, or run
into, a blocked window (a constraint, sleeping hours, a person away) is moved to the nearest
free time, earlier only when it has a deadline to keep. Windows are weekly patterns written
as strings (``"MO,TU 22:30-07:00"``, ``"* 00:00-24:00"``), so triggers stay picklable.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import (
    DAILY,
    HOURLY,
    MINUTELY,
    MONTHLY,
    SECONDLY,
    WEEKLY,
    YEARLY,
    rrule,
    rrulestr,
)

__all__ = [
    "DEFAULT_ANCHOR",
    "Recurrence",
    "format_rrule",
    "format_rules",
    "load_zone",
    "parse_window",
    "recurrence",
    "split_rrule",
    "split_rules",
    "window_intervals",
]

DEFAULT_ANCHOR = datetime(2000, 1, 3)  # a Monday, local midnight
_DST_MARGIN = timedelta(hours=3)  # more than any UTC-offset jump, so no candidate is missed
# Placement never moves a fire time further than this (a window longer than a day that
# blocks every start leaves the time as it was).
_MAX_SHIFT = timedelta(days=2)
_KEY_ORDER = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYSETPOS",
    "WKST",
)
_EXAMPLE_RRULE = "RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0"


def load_zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name`` or raise a ``ValueError`` saying what to do."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as 'Europe/Berlin', "
            "'America/New_York' or 'UTC'"
        ) from exc


def split_rules(text: str) -> tuple[datetime | None, list[dict[str, str]]]:
    """Split ``[DTSTART:...] RRULE:... [RRULE:...]`` into a naive local DTSTART and rules.

    Raises:
        ValueError: A line is not a DTSTART or RRULE line, or there is no RRULE.
    """
    dtstart: datetime | None = None
    rules: list[dict[str, str]] = []
    for raw in re.split(r"[\r\n]+", text.strip()):
        line = raw.strip()
        if not line:
            continue
        head, sep, value = line.partition(":")
        name = head.split(";", 1)[0].upper()
        if name == "DTSTART" and sep:
            if value.upper().endswith("Z"):
                raise ValueError(
                    f"DTSTART {value!r} is in UTC; give it as local wall time in the "
                    "instruction's time zone, e.g. 'DTSTART:20251020T090000'"
                )
            try:
                dtstart = datetime.strptime(value, "%Y%m%dT%H%M%S")
            except ValueError as exc:
                raise ValueError(
                    f"bad DTSTART {value!r}: use the form 'DTSTART:20251020T090000'"
                ) from exc
        elif name == "RRULE" and sep:
            parts: dict[str, str] = {}
            for item in value.split(";"):
                key, eq, val = item.partition("=")
                if not eq or not key.strip():
                    raise ValueError(f"bad RRULE part {item!r} in {text!r}")
                parts[key.strip().upper()] = val.strip().upper()
            rules.append(parts)
        else:
            raise ValueError(
                f"cannot read line {line!r} of rrule {text!r}: expected an RFC 5545 rule "
                f"such as {_EXAMPLE_RRULE!r}"
            )
    if not rules:
        raise ValueError(f"rrule {text!r} has no 'RRULE:' line; e.g. {_EXAMPLE_RRULE!r}")
    return dtstart, rules


def split_rrule(text: str) -> tuple[datetime | None, dict[str, str]]:
    """Split ``[DTSTART:... newline] RRULE:...`` into a naive local DTSTART and the rule's parts.

    Raises:
        ValueError: The text cannot be read, or it holds several rules (use
            :func:`split_rules`).
    """
    dtstart, rules = split_rules(text)
    if len(rules) > 1:
        raise ValueError(f"rrule {text!r} holds {len(rules)} rules; read it with split_rules")
    return dtstart, rules[0]


def format_rrule(parts: dict[str, str], dtstart: datetime | None = None) -> str:
    """Write rule parts in a canonical order (``INTERVAL=1`` is dropped)."""
    return format_rules([parts], dtstart)


def format_rules(rules: list[dict[str, str]], dtstart: datetime | None = None) -> str:
    """Write one or more rules (sharing ``dtstart``) in canonical order, one per line."""
    lines = []
    for parts in rules:
        keys = sorted(parts, key=lambda k: (_KEY_ORDER.index(k) if k in _KEY_ORDER else 99, k))
        items = [f"{k}={parts[k]}" for k in keys if not (k == "INTERVAL" and parts[k] == "1")]
        lines.append("RRULE:" + ";".join(items))
    if dtstart is not None:
        lines.insert(0, f"DTSTART:{dtstart:%Y%m%dT%H%M%S}")
    return "\n".join(lines)


_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WINDOW_RE = re.compile(
    r"^\s*(?P<days>\*|(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)\s+"
    r"(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})\s*$"
)


def parse_window(text: str) -> tuple[frozenset[int] | None, int, int]:
    """``"MO,TU 22:30-07:00"`` -> ``({0, 1}, 1350, 1860)``.

    The days a window starts on (None: every day), its start and its end in minutes after
    that day's midnight (an end at or before the start is the next day; ``00:00-24:00`` is
    the whole day).

    Raises:
        ValueError: Not of the form ``DAYS HH:MM-HH:MM`` (DAYS: ``*`` or ``MO,TU,...``).
    """
    m = _WINDOW_RE.match(text.upper())
    if m is None:
        raise ValueError(
            f"window {text!r} must look like '* 22:00-07:00' or 'SA,SU 00:00-10:00' "
            "(days, then start-end on a 24-hour clock)"
        )
    start, end = (_minutes(m.group(k), text) for k in ("start", "end"))
    if end <= start:
        end += 24 * 60
    days = (
        None
        if m.group("days") == "*"
        else frozenset(_DAY_CODES.index(d) for d in m.group("days").split(","))
    )
    return days, start, end


def window_intervals(
    windows: tuple[tuple[frozenset[int] | None, int, int], ...], around: datetime, days: int = 3
) -> list[tuple[datetime, datetime]]:
    """Intervals (naive local wall time) of parsed windows starting near ``around``, sorted."""
    out: list[tuple[datetime, datetime]] = []
    day0 = datetime.combine(around.date(), datetime.min.time())
    for d in range(-days, days + 1):
        day = day0 + timedelta(days=d)
        for on_days, start, end in windows:
            if on_days is None or day.weekday() in on_days:
                out.append((day + timedelta(minutes=start), day + timedelta(minutes=end)))
    return sorted(out)


def _minutes(hhmm: str, text: str) -> int:
    h, m = (int(x) for x in hhmm.split(":"))
    if not (0 <= h <= 24 and 0 <= m <= 59) or (h == 24 and m):
        raise ValueError(f"{hhmm!r} in window {text!r} is not a time of day")
    return h * 60 + m


class Recurrence:
    """One or more RRULEs in a time zone, each occurrence shifted and placed.

    Args:
        rrule_text: ``RRULE:...`` lines, optionally preceded by a ``DTSTART:`` line (local
            time) that all rules share.
        timezone: IANA time zone the rules' wall times are in.
        offset_s: Seconds added to every occurrence (negative: fire before it).
        avoid: Blocked weekly windows (:func:`parse_window` strings); a fire time whose
            ``[fire, fire + duration_s]`` overlaps one is moved to the nearest free time.
        duration_s: How long the chore runs, for placement.
        keep_deadline: Only move earlier (the occurrence is a deadline).

    Raises:
        ValueError: The rule, a window or the time zone cannot be read.
    """

    def __init__(
        self,
        rrule_text: str,
        timezone: str,
        offset_s: float = 0.0,
        avoid: tuple[str, ...] = (),
        duration_s: float = 0.0,
        keep_deadline: bool = False,
    ) -> None:
        self.text = rrule_text
        self.timezone = timezone
        self.tz = load_zone(timezone)
        self.offset = timedelta(seconds=offset_s)
        dtstart, rules = split_rules(rrule_text)
        self.anchor = dtstart or DEFAULT_ANCHOR
        self.rules: list[rrule] = []
        for parts in rules:
            line = "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items())
            try:
                rule = rrulestr(line, dtstart=self.anchor)
            except (ValueError, TypeError, KeyError) as exc:
                raise ValueError(
                    f"bad rrule {rrule_text!r}: {exc}; write an RFC 5545 rule such as "
                    f"{_EXAMPLE_RRULE!r}"
                ) from exc
            if not isinstance(rule, rrule):  # pragma: no cover - rrulestr without forceset
                raise ValueError(f"rrule {rrule_text!r} must be a list of single RRULEs")
            self.rules.append(rule)
        self.rule = self.rules[0]
        self._periods = [_period(r) for r in self.rules]
        self.windows = tuple(parse_window(w) for w in avoid)
        self.duration = timedelta(seconds=max(float(duration_s), 60.0))
        self.keep_deadline = keep_deadline
        self._margin = _DST_MARGIN + (_MAX_SHIFT if self.windows else timedelta(0))

    # -- expansion -------------------------------------------------------------------

    def _rule_from(self, i: int, local: datetime) -> rrule:
        """Rule ``i`` re-anchored at least one period before ``local`` (same occurrences)."""
        rule, step = self.rules[i], self._periods[i]
        if step is None or local <= self.anchor:
            return rule
        if isinstance(step, timedelta):
            k = int((local - self.anchor) / step) - 2
            if k <= 0:
                return rule
            return rule.replace(dtstart=self.anchor + k * step)
        months = (local.year - self.anchor.year) * 12 + (local.month - self.anchor.month)
        k = months // _months(step) - 2
        if k <= 0:
            return rule
        return rule.replace(dtstart=self.anchor + relativedelta(months=k * _months(step)))

    def _naive(self, local_from: datetime) -> Iterator[datetime]:
        """Local wall-time occurrences of all rules from ``local_from`` on, merged, unique."""
        streams = [
            self._rule_from(i, local_from).xafter(local_from, inc=True)
            for i in range(len(self.rules))
        ]
        last = None
        for naive in heapq.merge(*streams):
            if naive != last:
                last = naive
                yield naive

    def _occurrences(self, local_from: datetime) -> Iterator[tuple[datetime, datetime]]:
        """``(due, fire)`` pairs (aware, UTC) from about ``local_from`` on, fire increasing.

        ``due`` is the rule's own time; ``fire`` adds the offset and placement.
        """
        last: datetime | None = None
        for naive in self._naive(local_from - self._margin):
            due = naive.replace(tzinfo=self.tz).astimezone(UTC)
            wall = naive + self.offset
            if self.windows:
                wall = self._place(wall)
            fire = wall.replace(tzinfo=self.tz).astimezone(UTC)
            if last is not None and fire <= last:  # skipped wall time, or placed onto another
                continue
            last = fire
            yield due, fire

    # -- placement ---------------------------------------------------------------------

    def _clash(self, s: datetime) -> tuple[datetime, datetime] | None:
        e = s + self.duration
        for a, b in window_intervals(self.windows, s):
            if a < e and b > s:
                return a, b
        return None

    def _search(self, s: datetime, later: bool) -> datetime | None:
        t = s
        for _ in range(64):
            iv = self._clash(t)
            if iv is None:
                return t
            t = iv[1] if later else iv[0] - self.duration
            if abs(t - s) > _MAX_SHIFT - timedelta(hours=1):
                return None
        return None

    def _place(self, wall: datetime) -> datetime:
        """The nearest start to ``wall`` whose run overlaps no blocked window."""
        if self._clash(wall) is None:
            return wall
        earlier = self._search(wall, later=False)
        if self.keep_deadline:
            return earlier if earlier is not None else wall
        later = self._search(wall, later=True)
        options = [t for t in (earlier, later) if t is not None]
        if not options:
            return wall
        same_day = [t for t in options if t.date() == wall.date()]
        if same_day:
            return min(same_day, key=lambda t: (abs(t - wall), t))
        return later if later is not None else options[0]

    def placed(self, due: datetime) -> datetime:
        """Where the occurrence ``due`` (aware) fires: offset and placement applied (UTC)."""
        naive = _aware(due).astimezone(self.tz).replace(tzinfo=None)
        wall = naive + self.offset
        if self.windows:
            wall = self._place(wall)
        return wall.replace(tzinfo=self.tz).astimezone(UTC)

    # -- queries -------------------------------------------------------------------------

    def _local(self, when: datetime) -> datetime:
        return (when - self.offset).astimezone(self.tz).replace(tzinfo=None)

    def next_after(self, after: datetime) -> datetime | None:
        """First fire time strictly after ``after`` (aware, UTC), or None when the rule ends."""
        pair = self.next_pair_after(after)
        return None if pair is None else pair[1]

    def next_pair_after(self, after: datetime) -> tuple[datetime, datetime] | None:
        """``(due, fire)`` of the first fire time strictly after ``after``, or None."""
        after = _aware(after)
        for due, fire in self._occurrences(self._local(after)):
            if fire > after:
                return due, fire
        return None

    def pairs_between(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """``(due, fire)`` with ``start < fire <= end`` (aware, UTC), fire increasing."""
        start, end = _aware(start), _aware(end)
        out: list[tuple[datetime, datetime]] = []
        for due, fire in self._occurrences(self._local(start)):
            if fire > end:
                break
            if fire > start:
                out.append((due, fire))
        return out

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Fire times ``t`` with ``start < t <= end`` (aware, UTC), increasing."""
        return [fire for _, fire in self.pairs_between(start, end)]

    def next_n(self, after: datetime, n: int) -> list[datetime]:
        """The next ``n`` fire times strictly after ``after`` (fewer if the rule ends)."""
        return [fire for _, fire in self.next_pairs(after, n)]

    def next_pairs(self, after: datetime, n: int) -> list[tuple[datetime, datetime]]:
        """The next ``n`` ``(due, fire)`` pairs with fire strictly after ``after``."""
        after = _aware(after)
        gen = (p for p in self._occurrences(self._local(after)) if p[1] > after)
        return list(itertools.islice(gen, n))

    def last_at_or_before(self, when: datetime) -> datetime | None:
        """Latest fire time ``<= when`` (aware, UTC), or None if there is none."""
        when = _aware(when)
        if any(p is None for p in self._periods):
            local = self.anchor
        else:
            local = self._local(when) - self._period_length() * 2 - self._margin
        found: datetime | None = None
        for _, fire in self._occurrences(max(local, self.anchor)):
            if fire > when:
                break
            found = fire
        return found

    def _period_length(self) -> timedelta:
        longest = timedelta(0)
        for period in self._periods:
            if period is None:
                continue
            if isinstance(period, timedelta):
                longest = max(longest, period)
            else:
                longest = max(longest, timedelta(days=31 * _months(period)))
        return longest


def _months(step: relativedelta) -> int:
    return step.years * 12 + step.months


def _period(rule: rrule) -> timedelta | relativedelta | None:
    """One repetition period of ``rule``, or None when re-anchoring would change it."""
    if rule._count is not None:  # COUNT counts from the real DTSTART
        return None
    interval = rule._interval
    freq = rule._freq
    fixed = {
        WEEKLY: timedelta(weeks=interval),
        DAILY: timedelta(days=interval),
        HOURLY: timedelta(hours=interval),
        MINUTELY: timedelta(minutes=interval),
        SECONDLY: timedelta(seconds=interval),
    }
    if freq in fixed:
        return fixed[freq]
    anchor = rule._dtstart
    # Month/year steps clamp day 29-31 and Feb 29, which would move a dtstart-derived day.
    if anchor.day > 28:
        return None
    if freq == MONTHLY:
        return relativedelta(months=interval)
    if freq == YEARLY:
        return relativedelta(years=interval)
    return None  # pragma: no cover


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when!r}: pass a timezone-aware time")
    return when.astimezone(UTC)


@functools.lru_cache(maxsize=4096)
def recurrence(
    rrule_text: str,
    timezone: str,
    offset_s: float = 0.0,
    avoid: tuple[str, ...] = (),
    duration_s: float = 0.0,
    keep_deadline: bool = False,
) -> Recurrence:
    """A shared, cached :class:`Recurrence` (it is never mutated after construction)."""
    return Recurrence(rrule_text, timezone, offset_s, avoid, duration_s, keep_deadline)
