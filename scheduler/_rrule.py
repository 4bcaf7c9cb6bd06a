"""RRULE parsing and expansion in a home's local wall time (internal).

Rules are expanded on *naive local wall time* and then placed in the home's time zone, so
"every day at 9:00" stays at 9:00 across daylight-saving changes. A wall time that does
not exist (spring forward) lands one hour later; an ambiguous one (fall back) fires once,
at its first occurrence.

An RRULE without ``DTSTART`` is anchored at a fixed Monday midnight (2000-01-03 00:00 local),
so expansion is deterministic. Rules without ``COUNT`` are re-anchored a whole number of
periods before the query time, which keeps each query cheap however long the robot runs.
"""

from __future__ import annotations

import functools
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
    "load_zone",
    "recurrence",
    "split_rrule",
]

DEFAULT_ANCHOR = datetime(2000, 1, 3)  # a Monday, local midnight
_DST_MARGIN = timedelta(hours=3)  # more than any UTC-offset jump, so no candidate is missed
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


def split_rrule(text: str) -> tuple[datetime | None, dict[str, str]]:
    """Split ``[DTSTART:... newline] RRULE:...`` into a naive local DTSTART and the rule's parts."""
    dtstart: datetime | None = None
    parts: dict[str, str] | None = None
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
            parts = {}
            for item in value.split(";"):
                key, eq, val = item.partition("=")
                if not eq or not key.strip():
                    raise ValueError(f"bad RRULE part {item!r} in {text!r}")
                parts[key.strip().upper()] = val.strip().upper()
        else:
            raise ValueError(
                f"cannot read line {line!r} of rrule {text!r}: expected an RFC 5545 rule "
                f"such as {_EXAMPLE_RRULE!r}"
            )
    if parts is None:
        raise ValueError(f"rrule {text!r} has no 'RRULE:' line; e.g. {_EXAMPLE_RRULE!r}")
    return dtstart, parts


def format_rrule(parts: dict[str, str], dtstart: datetime | None = None) -> str:
    """Write rule parts in a canonical order (``INTERVAL=1`` is dropped)."""
    keys = sorted(parts, key=lambda k: (_KEY_ORDER.index(k) if k in _KEY_ORDER else 99, k))
    items = [f"{k}={parts[k]}" for k in keys if not (k == "INTERVAL" and parts[k] == "1")]
    rule = "RRULE:" + ";".join(items)
    if dtstart is not None:
        return f"DTSTART:{dtstart:%Y%m%dT%H%M%S}\n{rule}"
    return rule


class Recurrence:
    """An RRULE in a time zone, with an optional constant shift of every occurrence.

    Args:
        rrule_text: ``RRULE:...``, optionally preceded by a ``DTSTART:`` line (local time).
        timezone: IANA time zone the rule's wall times are in.
        offset_s: Seconds added to every occurrence (negative: fire before it).

    Raises:
        ValueError: The rule or the time zone cannot be read.
    """

    def __init__(self, rrule_text: str, timezone: str, offset_s: float = 0.0) -> None:
        self.text = rrule_text
        self.timezone = timezone
        self.tz = load_zone(timezone)
        self.offset = timedelta(seconds=offset_s)
        dtstart, parts = split_rrule(rrule_text)
        self.anchor = dtstart or DEFAULT_ANCHOR
        line = "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items())
        try:
            rule = rrulestr(line, dtstart=self.anchor)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(
                f"bad rrule {rrule_text!r}: {exc}; write an RFC 5545 rule such as "
                f"{_EXAMPLE_RRULE!r}"
            ) from exc
        if not isinstance(rule, rrule):  # pragma: no cover - rrulestr without forceset
            raise ValueError(f"rrule {rrule_text!r} must be a single RRULE")
        self.rule = rule
        self._period = _period(rule)

    # -- expansion -------------------------------------------------------------------

    def _rule_from(self, local: datetime) -> rrule:
        """The rule re-anchored at least one period before ``local`` (same occurrences)."""
        if self._period is None or local <= self.anchor:
            return self.rule
        step = self._period
        if isinstance(step, timedelta):
            k = int((local - self.anchor) / step) - 2
            if k <= 0:
                return self.rule
            return self.rule.replace(dtstart=self.anchor + k * step)
        months = (local.year - self.anchor.year) * 12 + (local.month - self.anchor.month)
        k = months // _months(step) - 2
        if k <= 0:
            return self.rule
        return self.rule.replace(dtstart=self.anchor + relativedelta(months=k * _months(step)))

    def _occurrences(self, local_from: datetime) -> Iterator[datetime]:
        """Aware fire times (offset applied) from about ``local_from`` on, increasing."""
        start = local_from - _DST_MARGIN
        rule = self._rule_from(start)
        last: datetime | None = None
        for naive in rule.xafter(start, inc=True):
            fire = (naive.replace(tzinfo=self.tz) + self.offset).astimezone(UTC)
            if last is not None and fire <= last:  # a skipped wall time maps onto the next
                continue
            last = fire
            yield fire

    def _local(self, when: datetime) -> datetime:
        return (when - self.offset).astimezone(self.tz).replace(tzinfo=None)

    def next_after(self, after: datetime) -> datetime | None:
        """First fire time strictly after ``after`` (aware, UTC), or None when the rule ends."""
        after = _aware(after)
        for fire in self._occurrences(self._local(after)):
            if fire > after:
                return fire
        return None

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Fire times ``t`` with ``start < t <= end`` (aware, UTC), increasing."""
        start, end = _aware(start), _aware(end)
        out: list[datetime] = []
        for fire in self._occurrences(self._local(start)):
            if fire > end:
                break
            if fire > start:
                out.append(fire)
        return out

    def next_n(self, after: datetime, n: int) -> list[datetime]:
        """The next ``n`` fire times strictly after ``after`` (fewer if the rule ends)."""
        after = _aware(after)
        gen = (f for f in self._occurrences(self._local(after)) if f > after)
        return list(itertools.islice(gen, n))

    def last_at_or_before(self, when: datetime) -> datetime | None:
        """Latest fire time ``<= when`` (aware, UTC), or None if there is none."""
        when = _aware(when)
        back = self._period_length() * 2 + _DST_MARGIN
        local = self._local(when) - back
        if self._period is None:
            local = self.anchor
        found: datetime | None = None
        for fire in self._occurrences(max(local, self.anchor)):
            if fire > when:
                break
            found = fire
        return found

    def _period_length(self) -> timedelta:
        if self._period is None:
            return timedelta(0)
        if isinstance(self._period, timedelta):
            return self._period
        return timedelta(days=31 * _months(self._period))


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
def recurrence(rrule_text: str, timezone: str, offset_s: float = 0.0) -> Recurrence:
    """A shared, cached :class:`Recurrence` (it is never mutated after construction)."""
    return Recurrence(rrule_text, timezone, offset_s)
