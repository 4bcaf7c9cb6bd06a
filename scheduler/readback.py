"""Saying an instruction back to the person, so they can confirm it.

Every kind has its sentence, addressed to the person who gave it ("you"):

- chore: "I'll water the plants every day at 09:00."
- deadline: "I'll have dinner ready every day by 18:00, starting around 17:15."
- one-off: "I'll clean the oven on Friday 04 December 2026 at 15:00."
- check-in: "I'll ask you every Monday at 18:30 what you want me to pick up when I do the
  shopping; your answers go on the shopping list."
- reminder: "I'll remind you to take your pills every day at 21:00."
- constraint: "I won't run the dishwasher between 22:30 and 07:00."
- routine fact: "Noted: you wake up at 07:00 on weekdays."

Times are the home's wall time on a 24-hour clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from housemind.scheduler._goals import swap_person
from housemind.scheduler._rrule import parse_window, split_rules
from housemind.scheduler.instructions import (
    ASLEEP,
    AT_HOME,
    InstructionKind,
    StandingInstruction,
)

__all__ = ["describe_rrule", "read_back", "read_back_fact"]

_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_FOOD = re.compile(r"\b(?:dinner|supper|lunch|breakfast|brunch|meal|coffee|tea|food)\b", re.I)
_LEADING_VERB = re.compile(r"^(?P<verb>make|cook|prepare|do|get|wash)\s+(?P<obj>.+?)(?:\s+ready)?$")
# Verb -> what the thing is once done ("wash the gym clothes" -> "the gym clothes washed").
_PARTICIPLES = {
    "wash": "washed",
    "clean": "cleaned",
    "fold": "folded",
    "iron": "ironed",
    "water": "watered",
    "feed": "fed",
    "empty": "emptied",
    "tidy": "tidied",
    "pack": "packed",
    "vacuum": "vacuumed",
    "mop": "mopped",
    "dust": "dusted",
    "change": "changed",
    "load": "loaded",
    "unload": "unloaded",
    "set": "set",
    "clear": "cleared",
    "take out": "taken out",
    "put away": "put away",
    "sweep": "swept",
    "mow": "mowed",
}
_ROUTINE_WORDS = {
    "wakes_at": "wake up",
    "leaves_for_work_at": "leave for work",
    "leaves_home_at": "leave the house",
    "gets_home_at": "get home",
    "goes_to_bed_at": "go to bed",
    "has_breakfast_at": "have breakfast",
    "has_lunch_at": "have lunch",
    "has_dinner_at": "have dinner",
}
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
_THIRD_PERSON_VERBS = {"go": "goes", "have": "has"}


def _routine_days(rrule: str | None) -> str:
    """The days of a routine fact's rule, as words (" on weekdays"); "" with no rule."""
    if not rrule:
        return ""
    _, rules = split_rules(rrule)
    byday = [d for d in rules[0].get("BYDAY", "").split(",") if d]
    if set(byday) == set(_WEEKDAYS):
        return " on weekdays"
    if set(byday) == {"SA", "SU"}:
        return " at weekends"
    if byday:
        return " on " + _join([_DAY_NAMES[d] + "s" for d in byday if d in _DAY_NAMES])
    return " every day"


def _whose_routine(fact: Any) -> str:
    """Whose routine a fact is: "you" (the speaker), "your husband", or "Alex"."""
    subject = str(getattr(fact, "subject", "") or "")
    text = str(getattr(fact, "text", "") or "").strip().lower()
    if not subject or re.match(r"^(?:i|we)\b", text):
        return "you"
    if re.search(rf"\b(?:my|our)\s+(?:\w+\s+)?{re.escape(subject.lower())}\b", text):
        return f"your {subject.replace('_', ' ')}"
    if re.search(rf"\b{re.escape(subject.lower())}\b", text):
        return subject.replace("_", " ").capitalize()
    return "you"


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _ordinal_day(n: int) -> str:
    if n == -1:
        return "last day"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _every(interval: int, unit: str, plural: str) -> str:
    if interval == 1:
        return f"every {unit}"
    if interval == 2 and unit not in ("hour", "minute"):
        return f"every other {unit}"
    return f"every {interval} {plural}"


def _days_words(byday: list[str], interval: int = 1) -> str:
    plain = [d for d in byday if d in _DAY_NAMES]
    if set(plain) == set(_WEEKDAYS) and interval == 1:
        return "every weekday"
    if set(plain) == {"SA", "SU"} and interval == 1:
        return "every Saturday and Sunday"
    if not plain:
        return _every(interval, "week", "weeks")
    names = _join([_DAY_NAMES[d] for d in plain])
    if interval > 2:
        return f"every {interval} weeks on {names}"
    return _every(interval, names, "weeks on ")


def _times(rules: list[dict[str, str]]) -> list[str]:
    out: list[str] = []
    for parts in rules:
        hours = [int(h) for h in parts.get("BYHOUR", "").split(",") if h]
        minutes = [int(m) for m in parts.get("BYMINUTE", "").split(",") if m] or [0]
        out += [f"{h:02d}:{m:02d}" for h in hours for m in minutes]
    return sorted(set(out))


def describe_rrule(rrule: str, *, with_time: bool = True) -> str:
    """The recurrence in words: "every day at 18:00", "every other Monday at 09:00".

    Args:
        rrule: ``RRULE:...`` line(s), optionally preceded by a ``DTSTART:`` line (local
            time); several rules differing only in their time of day read as one.
        with_time: Add "at HH:MM" when the rule fixes a time of day.

    Returns:
        A short English phrase.
    """
    dtstart, rules = split_rules(rrule)
    parts = rules[0]
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    at = _join(_times(rules))
    if parts.get("COUNT") and dtstart is not None:
        if len(_times(rules)) > 1 or "BYHOUR" in parts:
            return f"on {dtstart:%A %d %B %Y} at {at}"
        return f"on {dtstart:%A %d %B %Y} at {dtstart:%H:%M}"
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "DAILY":
        words = _every(interval, "day", "days")
    elif freq == "WEEKLY":
        words = _days_words(byday, interval)
    elif freq == "MONTHLY":
        every = "every month" if interval == 1 else _every(interval, "month", "months")
        if byday:
            named = []
            for d in byday:
                m = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", d)
                if m and m.group(1):
                    n = int(m.group(1))
                    named.append((_ORDINALS.get(n, str(n)), _DAY_NAMES[m.group(2)]))
            if named and len({day for _, day in named}) == 1:
                ords = _join([o for o, _ in named])
                words = f"on the {ords} {named[0][1]} of {every}"
            elif named:
                words = f"on the {_join([f'{o} {d}' for o, d in named])} of {every}"
            else:
                words = f"{every} on {_join([_DAY_NAMES.get(d[-2:], d) for d in byday])}"
        elif parts.get("BYMONTHDAY"):
            days = [_ordinal_day(int(d)) for d in parts["BYMONTHDAY"].split(",")]
            words = f"on the {_join(days)} of {every}"
        else:
            words = every
    elif freq == "YEARLY":
        words = "every year" if interval == 1 else _every(interval, "year", "years")
        if parts.get("BYMONTH") and parts.get("BYMONTHDAY"):
            month = datetime(2000, int(parts["BYMONTH"]), 1).strftime("%B")
            words += f" on {month} {int(parts['BYMONTHDAY'])}"
    elif freq == "HOURLY":
        return _every(interval, "hour", "hours")
    elif freq == "MINUTELY":
        return _every(interval, "minute", "minutes")
    else:
        return rrule.replace("\n", " ")
    if with_time and at:
        words += f" at {at}"
    return words


def _ready_phrase(goal: str) -> str | None:
    """The goal as a finished state: "make dinner" -> "dinner ready" (None if unsure)."""
    for verb, participle in sorted(_PARTICIPLES.items(), key=lambda kv: -len(kv[0])):
        if goal.startswith(verb + " ") and verb not in ("set",):
            return f"{goal[len(verb) + 1 :]} {participle}"
    m = _LEADING_VERB.match(goal)
    if m is None:
        return None
    obj = m.group("obj")
    if m.group("verb") == "wash" and not _FOOD.search(obj):
        return f"{obj} washed"
    return f"{obj} ready" if _FOOD.search(obj) else f"{obj} done"


def _to_you(text: str) -> str:
    """Third person back to the person spoken to: "take their pills" -> "take your pills"."""
    words = {"their": "your", "theirs": "yours", "them": "you", "themselves": "yourself",
             "they": "you", "they're": "you're"}  # fmt: skip
    return " ".join(words.get(w.lower(), w) for w in text.split())


def _reminder_words(instruction: StandingInstruction) -> str:
    goal = instruction.goal
    person = instruction.person
    if person and instruction.said_by and person == instruction.said_by:
        m = re.match(rf"^remind\s+{re.escape(person)}\b\s*(?P<rest>.*)$", goal)
        if m is not None:
            return f"remind you {_to_you(m.group('rest'))}".strip()
    return goal


def _check_in_words(instruction: StandingInstruction, when: str) -> str:
    goal = instruction.goal
    person = instruction.person
    to_speaker = person is None or person == instruction.said_by or person == "everyone"
    who = "you" if to_speaker and person != "everyone" else (person or "you")
    legacy = re.match(r"^ask\s+(?:me|us)\b\s*(?P<rest>.*)$", goal)
    if legacy is not None:  # a goal stored before goals were said from the robot's side
        return f"ask {who} {when} {swap_person(legacy.group('rest'))}".strip()
    if re.match(r"^check in with\b", goal):
        return f"check in with {who} {when}"
    if person and not to_speaker:
        m = re.match(rf"^ask\s+{re.escape(person)}\b\s*(?P<rest>.*)$", goal)
        if m is not None:
            return f"ask {person} {when} {m.group('rest')}".strip()
    question = re.sub(r"^ask\s+", "", goal)
    return f"ask {who} {when} {question}".strip()


def _window_words(window: str) -> str:
    if window == ASLEEP:
        return "while anyone is asleep"
    days, start, end = parse_window(window)
    if days is None:
        on = ""
    elif days == frozenset(range(5)):
        on = "on weekdays"
    elif days == frozenset({5, 6}):
        on = "at weekends"
    else:
        codes = list(_DAY_NAMES)
        on = "on " + _join([_DAY_NAMES[codes[d]] + "s" for d in sorted(days)])
    if end - start >= 24 * 60:
        return on or "at any time"
    a = f"{start // 60:02d}:{start % 60:02d}"
    b = f"{(end // 60) % 24:02d}:{end % 60:02d}"
    span = f"before {b}" if start == 0 else f"between {a} and {b}"
    return f"{on} {span}".strip()


def _constraint_words(instruction: StandingInstruction) -> str:
    goal = instruction.goal
    if goal == "chores":
        goal = "do any chores"
    elif goal == "noisy chores":
        goal = "do noisy chores"
    windows = _join([_window_words(w) for w in instruction.windows()], "or")
    return f"I won't {goal} {windows}".strip()


def read_back(instruction: StandingInstruction) -> str:
    """What the robot will do, in words the person can confirm.

    Args:
        instruction: The instruction as parsed or stored.

    Returns:
        One sentence, e.g. "I'll have dinner ready every day by 18:00, starting around
        17:15."
    """
    # "wake me up" is said back "wake you up" (the stored goal keeps the person's words)
    goal = re.sub(r"\bme\b", "you", instruction.goal)
    paused = "" if instruction.enabled else " (paused)"
    if instruction.kind is InstructionKind.CONSTRAINT:
        return f"{_constraint_words(instruction)}{paused}."
    if instruction.rrule is None:
        if instruction.kind is InstructionKind.CHECK_IN:
            return f"I'll {_check_in_words(instruction, 'when I can')}{paused}."
        return f"I'll keep in mind: {goal}{paused}."
    when = describe_rrule(instruction.rrule, with_time=False)
    dtstart, rules = split_rules(instruction.rrule)
    times = _times(rules)
    one_off = rules[0].get("COUNT") is not None
    if instruction.time_is_deadline and (len(times) == 1 or (one_off and dtstart)):
        if one_off and dtstart is not None:
            deadline = (
                dtstart
                if not times
                else dtstart.replace(hour=int(times[0][:2]), minute=int(times[0][3:]))
            )
            when = f"on {dtstart:%A %d %B %Y}"
        else:
            deadline = datetime(2000, 1, 3, int(times[0][:2]), int(times[0][3:]))
        start = deadline - timedelta(seconds=instruction.duration_s)
        by, around = f"{deadline:%H:%M}", f"{start:%H:%M}"
        ready = _ready_phrase(goal)
        if ready is None:
            return f"I'll {goal} {when}, done by {by}, starting around {around}{paused}."
        return f"I'll have {ready} {when} by {by}, starting around {around}{paused}."
    full = describe_rrule(instruction.rrule)
    if instruction.kind is InstructionKind.CHECK_IN:
        tail = (
            f"; your answers go on the {instruction.answers_to} list"
            if instruction.answers_to
            else ""
        )
        return f"I'll {_check_in_words(instruction, full)}{tail}{paused}."
    if instruction.kind is InstructionKind.REMINDER:
        return f"I'll {_reminder_words(instruction)} {full}{paused}."
    own = [_own_window_words(w, instruction) for w in instruction.windows()]
    keep_out = f", {_join(own, 'and')}" if own else ""
    return f"I'll {goal} {full}{keep_out}{paused}."


def _own_window_words(window: str, instruction: StandingInstruction) -> str:
    """A chore's own window in words ("while you're out" for AT_HOME)."""
    if window == AT_HOME:
        who = instruction.said_by
        return "while you're out" if who in (None, "owner") else f"while {who} is out"
    return f"not {_window_words(window)}"


def read_back_fact(fact: Any) -> str:
    """A fact the person told, said back ("Noted: you wake up at 07:00 on weekdays.").

    Args:
        fact: A ``ParsedFact`` (``subject``, ``predicate``, ``value``, optional ``rrule``).
    """
    predicate, value = fact.predicate, fact.value
    if predicate == "works_from_home":
        days, who = _routine_days(getattr(fact, "rrule", None)), _whose_routine(fact)
        if who == "you":
            return f"Noted: you work from home{days}; I'll plan on you being in."
        return f"Noted: {who} works from home{days}; I'll plan on them being in."
    if predicate in _ROUTINE_WORDS:
        days = _routine_days(getattr(fact, "rrule", None))
        who, verb = _whose_routine(fact), _ROUTINE_WORDS[predicate]
        if who != "you":  # "my husband gets home at 7": his routine, said back as his
            first, _, rest = verb.partition(" ")
            verb = f"{_THIRD_PERSON_VERBS.get(first, first + 's')} {rest}".strip()
        return f"Noted: {who} {verb} at {value}{days}."
    if predicate == "quiet_hours":
        start, _, end = value.partition("-")
        return f"Noted: quiet hours are {start} to {end}; no noisy chores then."
    if predicate == "is_allergic_to":
        return f"Noted: you are allergic to {value}."
    if predicate == "diet":
        return f"Noted: you are {value}."
    if predicate in ("likes", "dislikes", "prefers"):
        verb = {"likes": "like", "dislikes": "dislike", "prefers": "prefer"}[predicate]
        return f"Noted: you {verb} {value}."
    return f"Noted: {fact.subject} {predicate.replace('_', ' ')} {value}."
