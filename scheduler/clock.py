"""One source of time for the whole robot: the wall clock, or a simulated clock.

Nothing in housemind reads ``datetime.now()`` directly; it asks a :class:`Clock`. In
simulation a :class:`SimClock` is advanced by the simulator one control tick at a time, or
jumped forward while the robot idles, so a simulated day takes seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

__all__ = ["Clock", "SimClock", "WallClock"]


@runtime_checkable
class Clock(Protocol):
    """A source of timezone-aware time."""

    @property
    def tz(self) -> tzinfo:
        """The home's time zone."""
        ...

    def now(self) -> datetime:
        """Current time, timezone-aware."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass (really, or by advancing simulated time)."""
        ...


class WallClock:
    """The real clock, in the home's time zone."""

    def __init__(self, tz: str | tzinfo = "UTC") -> None:
        self._tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    @property
    def tz(self) -> tzinfo:
        """The home's time zone."""
        return self._tz

    def now(self) -> datetime:
        """Current wall time."""
        return datetime.now(self._tz)

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` of real time."""
        if seconds > 0:
            time.sleep(seconds)


class SimClock:
    """Simulated time that moves only when advanced; thread-safe.

    Args:
        start: The simulated start time; naive values are taken in ``tz``.
        tz: The home's time zone (used for naive ``start``).
    """

    def __init__(self, start: datetime, tz: str | tzinfo = "UTC") -> None:
        self._tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        if start.tzinfo is None:
            start = start.replace(tzinfo=self._tz)
        self._start = start
        # Why UTC: aware-datetime + timedelta is wall-clock arithmetic in Python, which
        # would put simulated time an hour off after a daylight-saving change.
        self._start_utc = start.astimezone(UTC)
        self._elapsed = 0.0  # seconds since start, kept as a float for cheap ticks
        self._lock = threading.Lock()

    @property
    def tz(self) -> tzinfo:
        """The home's time zone."""
        return self._tz

    @property
    def start(self) -> datetime:
        """The simulated start time."""
        return self._start

    @property
    def elapsed(self) -> float:
        """Simulated seconds since ``start``."""
        return self._elapsed

    def now(self) -> datetime:
        """Current simulated time, in the home's time zone."""
        return (self._start_utc + timedelta(seconds=self._elapsed)).astimezone(self._tz)

    def advance(self, seconds: float) -> None:
        """Move simulated time forward by ``seconds`` (>= 0)."""
        if seconds < 0:
            raise ValueError(f"SimClock cannot go backwards (advance by {seconds} s)")
        with self._lock:
            self._elapsed += seconds

    def advance_to(self, when: datetime) -> None:
        """Move simulated time forward to ``when``; earlier times are ignored."""
        # In UTC: subtracting two times in the same zone is wall-clock arithmetic.
        delta = (when.astimezone(UTC) - self.now().astimezone(UTC)).total_seconds()
        if delta > 0:
            self.advance(delta)

    def sleep(self, seconds: float) -> None:
        """Advance simulated time instead of blocking."""
        if seconds > 0:
            self.advance(seconds)

    def set_elapsed(self, seconds: float) -> None:
        """Restore the clock from a checkpoint (simulated seconds since ``start``)."""
        with self._lock:
            self._elapsed = float(seconds)
