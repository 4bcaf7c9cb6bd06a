"""What the planner should remember for a goal: a short list of memories within a budget.

:func:`context_for` picks, in this order, until the character budget is spent:

1. the objects the goal names: where each was last seen, how likely it is still there,
   and where else to look;
2. checklist items, when the goal is about a list or names an item on one;
3. facts and preferences about what the goal names;
4. past events most relevant to the goal (by meaning when the episodic searcher embeds);
5. the most recent events, for situational awareness.

Lines are plain sentences, each complete (a line that does not fit is skipped, not cut).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from housemind.memory._util import require_aware, tokens
from housemind.memory.spatial import p_still_there

if TYPE_CHECKING:
    from housemind.memory.api import Memory

__all__ = ["context_for", "latest_time"]

_LIST_WORDS = {"list", "shop", "shopping", "buy", "grocery", "groceries", "todo"}


def _w(name: str | None) -> str:
    return (name or "").replace("_", " ")


def _age(t: datetime | None, now: datetime) -> str:
    if t is None:
        return "at an unknown time"
    s = max(0.0, (now - t).total_seconds())
    if s < 90:
        return "just now"
    if s < 5400:
        return f"{round(s / 60)} min ago"
    if s < 2 * 86400:
        return f"{round(s / 3600)} h ago"
    return f"{round(s / 86400)} days ago"


def latest_time(mem: Memory) -> datetime | None:
    """The newest time memory has recorded (an event or a sighting), or None."""
    last = mem.episodic.last()
    seen = [o.time for o in mem.spatial.known_objects() if o.time is not None]
    times = [t for t in [last.time if last else None, max(seen, default=None)] if t]
    return max(times) if times else None


def context_for(mem: Memory, goal: str, now: datetime, *, budget_chars: int = 1500) -> list[str]:
    """Memories relevant to ``goal``, most useful first, within ``budget_chars`` in total.

    Args:
        mem: The memory to draw from.
        goal: The planner's goal in words ("bring the mug to the sink").
        now: Current time (timezone-aware).
        budget_chars: Upper bound on the summed length of the returned lines.

    Returns:
        Sentences for ``PlanContext.memories``.
    """
    require_aware(now, "now")
    words = set(tokens(goal))
    raw_words = set(goal.lower().replace("_", " ").split())
    lines: list[str] = []
    used = 0

    def add(line: str) -> bool:
        nonlocal used
        if line in lines or used + len(line) > budget_chars:
            return False
        lines.append(line)
        used += len(line)
        return True

    # 1. Objects the goal names.
    named = []
    for o in mem.spatial.known_objects():
        if set(tokens(f"{o.name} {o.kind}")) & words:
            named.append(o)
    named.sort(key=lambda o: o.time or now, reverse=True)
    for o in named[:6]:
        p = p_still_there(o, now)
        line = f"{_w(o.name)} was last seen {o.describe()} {_age(o.time, now)}"
        if o.missing:
            line += ", but was not there when I looked again"
        else:
            line += f" (still there: {p:.0%})"
        others = [b.place for b in mem.spatial.belief(o.name, now, limit=4) if b.place != o.place][
            :3
        ]
        if others and (o.missing or p < 0.8):
            line += f"; else look: {', '.join(_w(x) for x in others)}"
        add(line + ".")

    # 2. Checklists.
    for list_name in mem.symbolic.lists():
        items = mem.symbolic.items(list_name)
        hit = {list_name} & raw_words or words & _LIST_WORDS
        named_items = [i for i in items if set(tokens(i.item)) & words]
        if hit or named_items:
            label = "shopping list" if list_name == "shopping" else f"{_w(list_name)} list"
            add(f"The {label} has: " + ", ".join(i.text() for i in items) + ".")

    # 3. Facts about what the goal names.
    for f in mem.symbolic.facts(at=now):
        if set(tokens(f"{f.subject} {f.value}")) & words:
            add(f"Known: {f.text()}" + (f" (told by {f.told_by})." if f.told_by else "."))

    # 4. Relevant past events.
    start = now - timedelta(days=30)
    for h in mem.episodic.search(goal, limit=5, start=start, end=now):
        e = h.event
        add(
            f"{_age(e.time, now).capitalize()}: {e.text}"
            + (f" ({_w(e.place)})." if e.place else ".")
        )

    # 5. What happened last.
    recent = mem.episodic.between(now - timedelta(hours=12), now)[-3:]
    for e in reversed(recent):
        add(f"{_age(e.time, now).capitalize()}: {e.text}.")
    return lines
