"""How long common chores take, so a deadline chore knows when to start.

The numbers are rough household estimates for a robot working at about human pace; a
person corrects them with ``InstructionStore.change(id, duration_s=...)``. The first entry
whose keyword appears in the goal wins, so more specific keywords come first.
"""

from __future__ import annotations

import re

__all__ = ["CHORE_DURATIONS_MIN", "DEFAULT_DURATION_S", "estimate_duration_s"]

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
