"""How long chores take, so a deadline chore knows when to start.

Two sources:

- :func:`estimate_duration_s`: a prior from the goal's words (rough household estimates for
  a robot working at about human pace; the first entry whose keyword appears in the goal
  wins, so more specific keywords come first);
- :class:`DurationBook`: what each chore really took *in this home*, kept in symbolic
  memory and updated after every run. Its :meth:`~DurationBook.lead_s` is how long before a
  deadline the chore starts: the smoothed duration plus twice its smoothed deviation
  (Jacobson's estimator, as TCP uses for round-trip times), so a chore whose duration
  varies starts earlier; the margin is at least a minute and a tenth of the duration.
  Before any run it is the prior; the first run replaces it, with half the difference
  between them as the first deviation.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

__all__ = [
    "CHORE_DURATIONS_MIN",
    "DEFAULT_DURATION_S",
    "DURATION_PREDICATE",
    "DurationBook",
    "DurationEstimate",
    "chore_key",
    "estimate_duration_s",
]

log = logging.getLogger(__name__)

#: Used when no keyword matches (the v1 parser's long-standing default).
DEFAULT_DURATION_S = 600.0

#: ``(keyword, minutes)``; keywords are whole words or phrases, matched case-insensitively.
CHORE_DURATIONS_MIN: tuple[tuple[str, float], ...] = (
    ("dinner", 45),
    ("supper", 45),
    ("lunch", 30),
    ("breakfast", 20),
    ("bake", 60),
    ("cake", 60),
    ("cook", 45),
    ("meal", 45),
    ("laundry", 120),
    ("washing", 120),
    ("clothes", 60),
    ("towels", 60),
    ("ironing", 45),
    ("iron", 45),
    ("fold", 20),
    ("dishes", 30),
    ("dishwasher", 10),
    ("groceries", 60),
    ("shopping", 60),
    ("vacuum", 30),
    ("hoover", 30),
    ("mop", 30),
    ("clean the bathroom", 40),
    ("clean the kitchen", 30),
    ("clean the oven", 45),
    ("clean", 30),
    ("tidy", 20),
    ("dust", 20),
    ("bed", 10),
    ("trash", 5),
    ("rubbish", 5),
    ("garbage", 5),
    ("bins", 5),
    ("recycling", 5),
    ("water the garden", 20),
    ("water", 10),
    ("plants", 10),
    ("feed", 5),
    ("coffee", 5),
    ("tea", 5),
    ("mail", 5),
    ("lights", 2),
    ("blinds", 2),
    ("curtains", 2),
)

_PATTERNS = tuple(
    (re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE), minutes * 60.0)
    for word, minutes in CHORE_DURATIONS_MIN
)


def estimate_duration_s(goal: str) -> float:
    """Estimated duration of a chore from the words of its goal.

    Args:
        goal: The chore in words ("make dinner", "do the laundry").

    Returns:
        Seconds: the first matching entry of :data:`CHORE_DURATIONS_MIN`, else
        :data:`DEFAULT_DURATION_S`.
    """
    for pattern, seconds in _PATTERNS:
        if pattern.search(goal):
            return seconds
    return DEFAULT_DURATION_S


#: Predicate of the per-chore duration facts (subject ``"chore:<key>"``).
DURATION_PREDICATE = "duration_s"
_ALPHA = 0.25  # weight of a new measurement in the smoothed duration
_BETA = 0.25  # ... and in the smoothed deviation
_MIN_MARGIN_S = 60.0
#: ... and at least this share of the chore's duration: a dinner that always takes 20
#: minutes starts 22 minutes before its deadline, not 21 (a spill on the way, a resident
#: in the doorway, and a one-minute margin was gone).
_MIN_MARGIN_SHARE = 0.1


def chore_key(goal: str) -> str:
    """The key chores are measured under: lower case, no articles or possessives.

    "Make the dinner" and "make dinner" are one chore.
    """
    words = re.findall(r"[a-z0-9']+", goal.lower())
    return " ".join(w for w in words if w not in ("the", "a", "an", "my", "our", "your"))


class DurationEstimate:
    """Smoothed duration and deviation of one chore, and how many runs they come from."""

    __slots__ = ("dev_s", "mean_s", "runs")

    def __init__(self, mean_s: float, dev_s: float = 0.0, runs: int = 0) -> None:
        self.mean_s = float(mean_s)
        self.dev_s = float(dev_s)
        self.runs = int(runs)

    def updated(self, seconds: float) -> DurationEstimate:
        """This estimate after one more run that took ``seconds``."""
        if self.runs == 0:
            # The first real measurement replaces the prior, and how far the prior was off
            # is its first deviation: one quick dinner (16 s: the pot was already on) must
            # not start the next one a minute before its deadline.
            return DurationEstimate(seconds, max(seconds / 4, abs(self.mean_s - seconds) / 2), 1)
        dev = (1 - _BETA) * self.dev_s + _BETA * abs(seconds - self.mean_s)
        mean = (1 - _ALPHA) * self.mean_s + _ALPHA * seconds
        return DurationEstimate(mean, dev, self.runs + 1)

    @property
    def lead_s(self) -> float:
        """How long before a deadline to start: mean + 2 deviations.

        The margin is at least a minute and at least a tenth of the mean.
        """
        if self.runs == 0:
            return self.mean_s
        return self.mean_s + max(2 * self.dev_s, _MIN_MARGIN_S, _MIN_MARGIN_SHARE * self.mean_s)

    def to_json(self) -> str:
        """The estimate as the JSON stored in memory."""
        return json.dumps({"mean_s": self.mean_s, "dev_s": self.dev_s, "runs": self.runs})

    @classmethod
    def from_json(cls, text: str) -> DurationEstimate:
        """Read :meth:`to_json` output."""
        data = json.loads(text)
        return cls(data["mean_s"], data.get("dev_s", 0.0), data.get("runs", 1))

    def __repr__(self) -> str:
        return (
            f"DurationEstimate(mean_s={self.mean_s:.0f}, dev_s={self.dev_s:.0f}, runs={self.runs})"
        )


class DurationBook:
    """Measured chore durations in this home, kept in symbolic memory.

    Each chore has one open fact ``("chore:<key>", "duration_s", '{"mean_s": ..., "dev_s":
    ..., "runs": ...}')``; a new measurement ends it and tells the updated one (the history
    stays answerable).

    Args:
        memory: A ``memory.SymbolicMemory`` (anything with its ``tell`` and ``facts``), or
            None to keep the measurements in this object only.

    Example:
        >>> from datetime import UTC
        >>> book = DurationBook(None)
        >>> _ = book.record("make dinner", 1200, when=datetime(2026, 1, 1, tzinfo=UTC))
        >>> round(book.expected("make dinner"))
        1200
    """

    def __init__(self, memory: Any | None = None) -> None:
        self.memory = memory
        self._cache: dict[str, DurationEstimate] = {}
        # Bumped by every record(), so a scheduler knows its deadline offsets are stale.
        self.version = 0

    def estimate(self, goal: str) -> DurationEstimate:
        """The estimate for ``goal`` (the prior when it never ran here)."""
        key = chore_key(goal)
        if key in self._cache:
            return self._cache[key]
        found = None
        if self.memory is not None:
            told = self.memory.facts(subject=f"chore:{key}", predicate=DURATION_PREDICATE)
            if told:
                try:
                    found = DurationEstimate.from_json(told[-1].value)
                except (ValueError, KeyError, TypeError):
                    log.warning("ignoring unreadable duration fact for %r: %r", key, told[-1])
        if found is None:
            found = DurationEstimate(estimate_duration_s(goal))
        self._cache[key] = found
        return found

    def expected(self, goal: str) -> float:
        """Expected seconds for ``goal`` in this home (the smoothed measurement, or prior)."""
        return self.estimate(goal).mean_s

    def lead_s(self, goal: str) -> float:
        """How many seconds before a deadline ``goal`` should start."""
        return self.estimate(goal).lead_s

    def record(self, goal: str, seconds: float, *, when: datetime) -> DurationEstimate:
        """Add one run of ``goal`` that took ``seconds`` (call it after every run).

        Args:
            goal: The chore's goal.
            seconds: How long it took (robot clock).
            when: When it finished (aware): the new fact is valid from then.

        Returns:
            The updated estimate.

        Raises:
            ValueError: ``seconds`` is negative or not finite, or ``when`` is naive.
        """
        if not (seconds >= 0 and seconds < float("inf")):
            raise ValueError(f"a chore cannot take {seconds!r} seconds; pass the measured time")
        if when.tzinfo is None:
            raise ValueError(f"naive datetime {when!r}: pass a timezone-aware time")
        key = chore_key(goal)
        new = self.estimate(goal).updated(float(seconds))
        if self.memory is not None:
            self.memory.tell(
                f"chore:{key}",
                DURATION_PREDICATE,
                new.to_json(),
                source="measured",
                valid_from=when,
                replace=True,
            )
        self._cache[key] = new
        self.version += 1
        return new

    def known(self) -> dict[str, DurationEstimate]:
        """Every chore measured in this home so far, by key."""
        out: dict[str, DurationEstimate] = {}
        if self.memory is not None:
            for fact in self.memory.facts(predicate=DURATION_PREDICATE):
                if fact.subject.startswith("chore:"):
                    try:
                        out[fact.subject[6:]] = DurationEstimate.from_json(fact.value)
                    except (ValueError, KeyError, TypeError):
                        continue
        out.update({k: v for k, v in self._cache.items() if v.runs})
        return out
