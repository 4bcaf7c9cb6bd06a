"""The emergency stop as a switch in the database, so any process can press it.

A person presses the stop on the dashboard (or ``housemind safety stop``) in one process
while ``housemind run`` drives the robot in another. :class:`EmergencyStop` keeps the
switch in the project database (table ``estops``: who pressed it, why, who released it,
when); :class:`EstopWatcher` runs in the robot's process on its own thread, reads the
switch every ``poll_s`` and engages the safety monitor's action guard
(:meth:`SafetyMonitor.estop <safety.monitor.SafetyMonitor.estop>`), which the executor
checks every control tick: motion stops within one poll plus one tick, and the control
loop itself never touches the database. While the switch is engaged the runtime starts
nothing new (:meth:`EstopWatcher.hold`); when a person releases it the guard is released
and work continues where it stopped.

Anyone may press the stop (stopping is always safe); only an owner or a member may
release it once the household has people (:class:`~safety.people.Household`). Every
press and release is written to the audit log with who did it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from housemind.memory.models import EstopRecord
from housemind.safety.audit import AuditLog, _session_factory
from housemind.safety.monitor import ESTOP_RULE
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.scheduler.clock import Clock, WallClock

__all__ = ["EmergencyStop", "EstopError", "EstopState", "EstopWatcher"]

logger = logging.getLogger(__name__)


class EstopError(ValueError):
    """The stop cannot be released by this person; the message says why and what to do."""


class EstopState(BaseModel):
    """The switch as it stands (the newest press)."""

    model_config = ConfigDict(frozen=True)

    engaged: bool
    id: int | None = None
    pressed_at: datetime | None = None
    pressed_by: str | None = None
    reason: str | None = None
    released_at: datetime | None = None
    released_by: str | None = None


class EmergencyStop:
    """The emergency-stop switch of one home (table ``estops``).

    Args:
        sessions: A ``sessionmaker``, an ``Engine``, or an object with ``session()``.
        clock: Time of presses and releases (wall clock in UTC if None; the switch is a
            person's act, so the wall clock is right even in a simulated run).
        audit: Where presses and releases are recorded (an :class:`AuditLog` over the
            same sessions if None).
    """

    def __init__(self, sessions: Any, clock: Clock | None = None, *, audit: Any = None) -> None:
        self._sessions = _session_factory(sessions)
        self.clock: Clock = clock or WallClock()
        self.audit = audit if audit is not None else AuditLog(sessions, self.clock)

    def state(self) -> EstopState:
        """The switch now."""
        with self._sessions() as s:
            row = s.scalars(select(EstopRecord).order_by(EstopRecord.id.desc()).limit(1)).first()
            if row is None:
                return EstopState(engaged=False)
            return _state(row)

    @property
    def engaged(self) -> bool:
        """Whether the stop is pressed and not released."""
        return self.state().engaged

    def press(self, *, by: str | None, reason: str = "") -> EstopState:
        """Press the stop (anyone may). Pressing it again while engaged keeps the first press.

        Args:
            by: Who pressed it (a person's name; None for a machine).
            reason: Why, in words (optional).
        """
        why = " ".join((reason or "").split()) or "emergency stop"
        current = self.state()
        if current.engaged:
            self._record("pressed again", why, by, Verdict.DENY)
            return current
        with self._sessions() as s:
            row = EstopRecord(pressed_at=self.clock.now(), pressed_by=_who(by), reason=why)
            s.add(row)
            s.commit()
            out = _state(row)
        self._record("pressed", why, by, Verdict.DENY)
        logger.warning("emergency stop pressed by %s: %s", by or "someone", why)
        return out

    def release(self, *, by: str) -> EstopState:
        """Release the stop: the robot may move again.

        Raises:
            EstopError: the stop is not engaged, or ``by`` may not release it (once the
                household has people, only an owner or a member may).
        """
        from housemind.memory.models import PersonRecord
        from housemind.safety.people import Household, PersonError

        who = _who(by)
        if not who:
            raise EstopError("say who releases the stop: --by NAME (an owner or a member)")
        with self._sessions() as s:
            registered = s.scalars(select(PersonRecord.name)).first() is not None
        if registered:
            try:
                Household(self._sessions).check_approver(who)
            except PersonError as e:
                raise EstopError(f"cannot release the emergency stop: {e}") from None
        with self._sessions() as s:
            row = s.scalars(select(EstopRecord).order_by(EstopRecord.id.desc()).limit(1)).first()
            if row is None or row.released_at is not None:
                raise EstopError("the emergency stop is not engaged; nothing to release")
            row.released_at, row.released_by = self.clock.now(), who
            s.commit()
            out = _state(row)
        self._record("released", f"was: {out.reason}", who, Verdict.ALLOW)
        return out

    def _record(self, what: str, reason: str, by: str | None, verdict: Verdict) -> None:
        try:
            self.audit.record(
                "action",
                f"estop {what}: {reason}",
                SafetyVerdict(verdict=verdict, reasons=[reason], rules=[ESTOP_RULE]),
                actor=_who(by),
            )
        except Exception:  # noqa: BLE001 - a lost audit row must not undo a stop
            logger.exception("could not write the audit row of an emergency stop")


class EstopWatcher:
    """Keeps a safety monitor's guard stopped while the switch in the database is engaged.

    Runs in the robot's process on a daemon thread (not in the control loop).

    Args:
        stop: The switch.
        monitor: Has ``estop(reason)``, ``reset_estop(actor)`` and ``stopped``
            (:class:`~safety.monitor.SafetyMonitor`).
        poll_s: How often the switch is read (wall seconds).
        on_change: Called with the new :class:`EstopState` when the watcher engages or
            releases the guard.
    """

    def __init__(
        self,
        stop: EmergencyStop,
        monitor: Any,
        *,
        poll_s: float = 0.2,
        on_change: Callable[[EstopState], None] | None = None,
    ) -> None:
        if poll_s <= 0:
            raise ValueError(f"poll_s must be > 0 seconds, got {poll_s}")
        self.stop = stop
        self.monitor = monitor
        self.poll_s = float(poll_s)
        self.on_change = on_change
        self._engaged_by_us: int | None = None  # id of the press we engaged the guard for
        self._quit = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> EstopWatcher:
        """Read the switch once now, then keep watching on a thread (idempotent)."""
        self.check()
        if self._thread is None or not self._thread.is_alive():
            self._quit.clear()
            self._thread = threading.Thread(target=self._loop, name="housemind-estop", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop watching (the guard keeps whatever state it has)."""
        self._quit.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def check(self) -> EstopState | None:
        """Read the switch once and engage or release the guard to match it.

        Returns:
            The switch, or None when it could not be read (logged; the guard is left
            as it is).
        """
        try:
            st = self.stop.state()
        except Exception:  # noqa: BLE001 - a busy or lost database: try again next poll
            logger.exception("could not read the emergency-stop switch")
            return None
        changed = False
        with self._lock:
            if st.engaged and self._engaged_by_us != st.id:
                who = f" by {st.pressed_by}" if st.pressed_by else ""
                self.monitor.estop(f"emergency stop pressed{who}: {st.reason}")
                self._engaged_by_us = st.id
                changed = True
            elif not st.engaged and self._engaged_by_us is not None:
                # Release only a stop this watcher engaged (never one the guard made itself).
                self.monitor.reset_estop(actor=st.released_by)
                self._engaged_by_us = None
                changed = True
        if changed and self.on_change is not None:
            try:
                self.on_change(st)
            except Exception:  # noqa: BLE001
                logger.exception("emergency-stop on_change callback failed")
        return st

    def hold(self, *, on_hold: Callable[[EstopState], None] | None = None) -> float:
        """Block while the switch is engaged (the robot starts nothing new meanwhile).

        Args:
            on_hold: Called once with the switch when holding starts.

        Returns:
            Wall seconds held (0 when the switch was not engaged).
        """
        t0 = time.perf_counter()
        st = self.check()
        held = told = False
        while st is None or st.engaged:
            held = True
            if st is not None and not told and on_hold is not None:
                on_hold(st)
                told = True
            if self._quit.wait(self.poll_s):
                break
            st = self.check()
        return time.perf_counter() - t0 if held else 0.0

    def _loop(self) -> None:
        while not self._quit.wait(self.poll_s):
            self.check()


def _who(by: str | None) -> str | None:
    name = " ".join((by or "").split()).lower()
    return name or None


def _state(row: EstopRecord) -> EstopState:
    return EstopState(
        engaged=row.released_at is None,
        id=row.id,
        pressed_at=row.pressed_at,
        pressed_by=row.pressed_by,
        reason=row.reason,
        released_at=row.released_at,
        released_by=row.released_by,
    )
