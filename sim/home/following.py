"""Residents who live the routine their person stated.

A person tells the robot their routine ("I wake up and go to work at 7", "I get home
around 6", "I go to bed at 11", "I have lunch at 12:30"); the scheduler plans around it.
In HomeSim the simulated resident must then live that routine too, or the robot's
schedule and the home disagree (a lunch cooked for nobody, a check-in asked of an empty
house). :func:`follow_routine` rewrites a resident's slots, day by day, so that:

- **In**: someone who works from home stays in instead of their routine's midday
  absence.
- **Out**: between the stated leaving and coming-home times they are away (at the door
  :data:`DOOR_MIN` minutes before leaving); their own absence of that day (the nearest
  one to the stated time) is replaced, so they are home when their default routine had
  them out. Coming home, they take up the slot their routine had then (or, if that slot
  began before they left, they relax).
- **Up**: their morning (from getting up to leaving, or to noon) is fitted between the
  stated wake time and its end, keeping its order and proportions; a morning shorter
  than :data:`MIN_MORNING_MIN` starts that long before its end (someone who "wakes up and
  goes to work at 7" is up at 06:35).
- **Meals**: a stated meal time moves that meal (and the cooking just before it) there,
  or adds it on a day that had none; a meal inside a stated absence is eaten out (not
  followed); one inside an absence of the resident's own routine (nothing said of it)
  keeps them home that day, as the scheduler assumes of anyone who did not say when
  they go out.
- **Bed**: bed time moves the evening's getting ready and going to sleep; after midnight,
  they stay up into the next day.

What cannot be followed is reported in words (a bed time in the morning, an absence that
runs past midnight) and the resident keeps their own routine for it. Pets are not changed.
Times are minutes after local midnight; slot starts still shift by the resident's seeded
jitter (a few minutes later), as people do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time

from housemind.sim.home.mess import WORK
from housemind.sim.home.residents import PET_KINDS, Resident, RoutineSlot, slots_of_day

__all__ = ["DOOR_MIN", "MEAL_MIN", "MIN_MORNING_MIN", "StatedDay", "follow_routine"]

#: A person leaving stands at the door this many minutes before they are out.
DOOR_MIN = 5
#: The shortest morning between getting up and leaving (minutes).
MIN_MORNING_MIN = 20
#: How long a meal added on a day without one lasts (minutes).
MEAL_MIN = 40
_DAY = 24 * 60
_NOON = 12 * 60
_NIGHT_END = 4 * 60  # a bed time before this is after midnight
_MEALS = {"breakfast": ("breakfast", "brunch"), "lunch": ("lunch",), "dinner": ("dinner",)}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_Timeline = list[tuple[int, RoutineSlot]]


@dataclass(frozen=True)
class StatedDay:
    """What a person said of one weekday of theirs (minutes after midnight; None: unsaid).

    Attributes:
        home: They work from home: their own routine's absence at midday is dropped (an
            absence they stated still counts).
        wake: When they get up.
        away: ``(leave, back)`` when they are out (``back`` > ``leave``; the scheduler's
            defaults filled in where only one end was said).
        bed: When they go to bed (before 04:00: after midnight).
        meals: ``(meal, minutes)`` pairs, meal one of ``breakfast``, ``lunch``, ``dinner``.
    """

    home: bool = False
    wake: int | None = None
    away: tuple[int, int] | None = None
    bed: int | None = None
    meals: tuple[tuple[str, int], ...] = ()


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _is_away(s: RoutineSlot) -> bool:
    return s.place == "away" or (not s.place and s.room is None)


def _is_door(s: RoutineSlot) -> bool:
    return s.place == "door" or s.activity == "leaving"


def _in_force(tl: _Timeline, minute: int) -> tuple[int, RoutineSlot]:
    cur = tl[0]
    for m, s in tl:
        if m <= minute:
            cur = (m, s)
        else:
            break
    return cur


class _Templates:
    """Slots of the resident's own routines to copy when a day needs one it lacks."""

    def __init__(self, r: Resident) -> None:
        slots = (*r.routine, *r.weekend)
        self.door = next((s for s in slots if _is_door(s)), None)
        self.away = next((s for s in slots if _is_away(s)), None)
        self.relax = next((s for s in slots if s.activity == "relaxing"), None)
        self.meals = {
            meal: next((s for s in slots if s.activity in names), None)
            for meal, names in _MEALS.items()
        }
        self.any_meal = next((s for s in self.meals.values() if s is not None), None)

    def idle(self, s: RoutineSlot) -> RoutineSlot:
        """What someone does on coming back to a slot they were in before (no new mess)."""
        if self.relax is not None:
            return self.relax
        return replace(s, work="", takes=(), leaves_on=(), lasts=(), every=())

    def meal(self, meal: str) -> RoutineSlot | None:
        own = self.meals.get(meal)
        if own is not None:
            return own
        if self.any_meal is None:
            return None
        suffix = "_child" if self.any_meal.work.endswith("_child") else ""
        work = f"{meal}{suffix}" if self.any_meal.place else ""  # walkers make the meal's mess
        return replace(
            self.any_meal,
            activity=meal,
            work=work if work in WORK else "",
            takes=(),
            leaves_on=(),
            only=(),
            chance=1.0,
        )


def _overlay(tl: _Timeline, t0: int, t1: int, new: _Timeline, tpl: _Templates | None) -> _Timeline:
    """``tl`` with ``new`` in ``[t0, t1)``, and at ``t1`` what the day had then.

    With ``tpl`` None nothing is taken up at ``t1`` (the new slots run to the day's end).
    """
    before = _in_force(tl, t1)
    out = [(m, s) for m, s in tl if m < t0 or m >= t1]
    out += new
    if tpl is not None and t1 < _DAY and not any(m == t1 for m, _ in out):
        m, s = before
        if m < t0 and not _is_away(s):
            s = tpl.idle(s)  # an interrupted slot: they do not start it over
        out.append((t1, s))
    out.sort(key=lambda p: p[0])
    return out


def _apply_away(tl: _Timeline, span: tuple[int, int], tpl: _Templates) -> _Timeline:
    leave, back = span
    aways = [i for i, (_, s) in enumerate(tl) if _is_away(s) and i]
    drop: set[int] = set()
    away = tpl.away
    door = tpl.door
    if aways:
        i = min(aways, key=lambda j: abs(tl[j][0] - leave))
        away = tl[i][1]
        drop.add(i)
        if _is_door(tl[i - 1][1]) and i - 1:
            door = tl[i - 1][1]
            drop.add(i - 1)
    if away is None:
        return tl
    tl = [p for j, p in enumerate(tl) if j not in drop]
    new = [(leave, away)]
    if door is not None and leave - DOOR_MIN > 0:
        new.insert(0, (leave - DOOR_MIN, door))
    return _overlay(tl, new[0][0], back, new, tpl)


def _morning(tl: _Timeline) -> tuple[int, int]:
    """Indices ``[i, j)`` of the morning: from getting up to leaving (or noon)."""
    night = max(
        (i for i, (m, s) in enumerate(tl) if s.activity == "asleep" and m < _NOON), default=0
    )
    i = j = night + 1
    while (
        j < len(tl)
        and tl[j][0] < _NOON
        and not (_is_door(tl[j][1]) or _is_away(tl[j][1]))
        and tl[j][1].activity != "asleep"
    ):
        j += 1
    return i, j


def _apply_wake(tl: _Timeline, wake: int, end: int | None = None) -> _Timeline:
    """The morning fitted into ``[wake, end)`` (``end``: its own end, the leaving)."""
    i, j = _morning(tl)
    if j == i:
        return tl
    if end is None:
        end = tl[j][0] if j < len(tl) else _NOON
    first = tl[i][0]
    wake = min(wake, end - MIN_MORNING_MIN)
    if wake <= tl[i - 1][0] or end <= first:
        return tl
    scale = (end - wake) / (tl[j][0] - first if j < len(tl) else _NOON - first)
    moved = [(wake + round((m - first) * scale), s) for m, s in tl[i:j]]
    return [*tl[:i], *moved, *tl[j:]]


def _default_leave(tl: _Timeline, wake: int) -> tuple[int, int] | None:
    """A morning absence of the resident's own, moved later for someone who gets up late.

    None when the absence (if any) leaves them time to get ready after ``wake``.
    """
    i, j = _morning(tl)
    if j >= len(tl) or not (_is_door(tl[j][1]) or _is_away(tl[j][1])) or j == i:
        return None
    door = tl[j][0]
    if wake <= door - MIN_MORNING_MIN:
        return None
    k = j + 1 if _is_door(tl[j][1]) else j
    back = tl[k + 1][0] if k + 1 < len(tl) else _DAY
    leave = wake + (door - tl[i][0]) + (DOOR_MIN if _is_door(tl[j][1]) else 0)
    return (leave, back) if leave < back - 60 else (back, back)


def _evening(tl: _Timeline) -> tuple[int | None, int | None]:
    """Indices of the evening's going to sleep and the getting ready before it."""
    sleep = next((i for i in range(len(tl) - 1, 0, -1) if tl[i][1].activity == "asleep"), None)
    if sleep is None or tl[sleep][0] < _NOON:
        return None, None
    ready = sleep - 1 if sleep - 1 > 0 and tl[sleep - 1][1].activity == "getting_ready" else None
    return sleep, ready


def _apply_bed(tl: _Timeline, bed: int) -> _Timeline:
    sleep, ready = _evening(tl)
    if sleep is None:
        return tl
    gap = tl[sleep][0] - tl[ready][0] if ready is not None else 0
    new = [(bed - gap, tl[ready][1])] if ready is not None else []
    new.append((bed, tl[sleep][1]))
    keep = [p for j, p in enumerate(tl) if j not in (sleep, ready)]
    return _overlay(keep, new[0][0], _DAY, new, None)


def _late_night(tl: _Timeline, bed: int) -> _Timeline:
    """The day after a bed time past midnight: up until ``bed``, then asleep."""
    sleep, ready = _evening(tl)
    if sleep is None:
        return tl
    up = tl[ready - 1][1] if ready is not None else tl[sleep - 1][1]
    gap = tl[sleep][0] - tl[ready][0] if ready is not None else 0
    new: _Timeline = [(0, up)]
    if ready is not None and bed - gap > 0:
        new.append((bed - gap, tl[ready][1]))
    new.append((bed, tl[0][1]))
    rest = [p for p in tl[1:] if p[0] > bed]
    return [*new, *rest]


def _drop_evening_sleep(tl: _Timeline) -> _Timeline:
    sleep, ready = _evening(tl)
    if sleep is None:
        return tl
    return [p for j, p in enumerate(tl) if j not in (sleep, ready)]


def _apply_meal(
    tl: _Timeline, meal: str, at: int, tpl: _Templates, away: tuple[int, int] | None
) -> tuple[_Timeline, str | None]:
    if away is not None and away[0] <= at < away[1]:
        return tl, f"{meal} at {_hhmm(at)} is while they are out (eaten out)"
    names = _MEALS[meal]
    idx = [i for i, (_, s) in enumerate(tl) if s.activity in names and i]
    if idx:
        i = min(idx, key=lambda j: abs(tl[j][0] - at))
        slot = tl[i][1]
        length = (tl[i + 1][0] if i + 1 < len(tl) else _DAY) - tl[i][0]
        cook = i - 1 if i - 1 > 0 and tl[i - 1][1].activity == "cooking" else None
        drop = {i} if cook is None else {i, cook}
        new = [(at, slot)]
        if cook is not None:
            lead = tl[i][0] - tl[cook][0]
            if at - lead > 0:
                new.insert(0, (at - lead, tl[cook][1]))
        tl = [p for j, p in enumerate(tl) if j not in drop]
    else:
        tmpl = tpl.meal(meal)
        if tmpl is None:
            return tl, f"no {meal} in their routine to move"
        length, new = MEAL_MIN, [(at, tmpl)]
    end = min(at + max(length, 15), _DAY)
    return _overlay(tl, new[0][0], end, new, tpl), None


def _stay_home(tl: _Timeline, at: int, tpl: _Templates) -> _Timeline:
    """Without the resident's own absence in force at ``at`` (they are home that day)."""
    k = next((j for j in range(len(tl) - 1, 0, -1) if tl[j][0] <= at), 0)
    if not k or not _is_away(tl[k][1]):
        return tl
    start = k - 1 if k - 1 > 0 and _is_door(tl[k - 1][1]) else k
    back = tl[k + 1][0] if k + 1 < len(tl) else _DAY
    return _overlay(tl, tl[start][0], back, [(tl[start][0], tpl.idle(tl[start][1]))], tpl)


def follow_routine(resident: Resident, days: Mapping[int, StatedDay]) -> tuple[Resident, list[str]]:
    """``resident`` living the routine stated for each weekday (0 = Monday) in ``days``.

    Args:
        resident: A person of the household (pets are returned unchanged).
        days: What their person said, per weekday; weekdays not in it keep the resident's
            own routine.

    Returns:
        The resident with one slot list per weekday (slots marked ``only`` that day), and
        what could not be followed, in words.
    """
    if resident.kind in PET_KINDS or not days:
        return resident, []
    tpl = _Templates(resident)
    notes: list[str] = []
    week: list[RoutineSlot] = []
    weekend: list[RoutineSlot] = []
    for d in range(7):
        tl: _Timeline = [(s.start.hour * 60 + s.start.minute, s) for s in slots_of_day(resident, d)]
        said = days.get(d)
        prev = days.get((d - 1) % 7)
        name = _DAY_NAMES[d]
        if prev is not None and prev.bed is not None and prev.bed < _NIGHT_END:
            tl = _late_night(tl, prev.bed)
        if said is not None:
            if said.home:
                tl = _stay_home(tl, _NOON, tpl)  # "I work from home"
            away = said.away
            if away is not None and (away[1] >= _DAY or away[0] < DOOR_MIN):
                notes.append(
                    f"{name}: out {_hhmm(away[0] % _DAY)}-{_hhmm(away[1] % _DAY)} runs past "
                    "midnight; not followed"
                )
                away = None
            stated = away  # said, and one a day can have
            if said.wake is not None and said.wake >= _NOON:
                notes.append(f"{name}: getting up at {_hhmm(said.wake)}; not followed")
            elif said.wake is not None:
                if away is None:
                    away = _default_leave(tl, said.wake)  # their own absence, later
                if away is not None and away[0] == away[1]:  # no time left to go out
                    _, j = _morning(tl)
                    k = j + 1 if j < len(tl) and _is_door(tl[j][1]) else j
                    tl = [p for n, p in enumerate(tl) if n not in (j, k)]
                    away = None
                end = away[0] - DOOR_MIN if away is not None and away[0] < _NOON else None
                tl = _apply_wake(tl, said.wake, end)
            if away is not None:
                tl = _apply_away(tl, away, tpl)
            for meal, at in said.meals:
                if not (stated and stated[0] <= at < stated[1]):
                    tl = _stay_home(tl, at, tpl)  # a meal at home: not out that day
                tl, note = _apply_meal(tl, meal, at, tpl, stated)
                if note:
                    notes.append(f"{name}: {note}")
            if said.bed is not None:
                if said.bed >= _NOON:
                    tl = _apply_bed(tl, said.bed)
                elif said.bed < _NIGHT_END:
                    tl = _drop_evening_sleep(tl)
                else:
                    notes.append(f"{name}: going to bed at {_hhmm(said.bed)}; not followed")
        seen: dict[int, RoutineSlot] = {}
        for m, s in tl:
            seen[max(0, min(m, _DAY - 1))] = s  # the later of two at one minute wins
        out = week if d < 5 or not resident.weekend else weekend
        out.extend(
            replace(s, start=time(m // 60, m % 60), only=(d,)) for m, s in sorted(seen.items())
        )
    week.sort(key=lambda s: s.start)
    weekend.sort(key=lambda s: s.start)
    return replace(resident, routine=tuple(week), weekend=tuple(weekend)), notes
