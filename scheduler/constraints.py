"""Constraints: when something must not be done ("never run the dishwasher after 10:30 pm").

A constraint is a standing instruction of kind ``constraint``: its ``goal`` is the activity
("run the dishwasher", "vacuum", "noisy chores", "chores") and its ``window`` the weekly
windows it is forbidden in (``"* 22:30-07:00"``, ``"SU 00:00-24:00"``, ``"asleep"``). It is
stored, listed, paused and deleted like any instruction, read back ("I won't run the
dishwasher between 22:30 and 07:00"), and enforced by the scheduler: a chore it applies to is
never placed to start or run in its window (see ``scheduler.placement``).

The planner and the runtime ask :func:`constraints_for` whether an activity (a chore's goal
or a skill name such as ``start_dishwasher``) is forbidden at a time, and
:func:`forbidden_windows` for all windows that apply to it.

Which chores a constraint applies to is decided on words: its activity's content words (the
appliance or chore, not "run"/"start"/"use") must all appear in the chore's goal, with
household synonyms (the washing machine and the dryer are laundry, a hoover is a vacuum);
"noisy chores" applies to every noisy chore (:func:`is_noisy`) and "chores" to every chore.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from housemind.scheduler._goals import the
from housemind.scheduler._rrule import load_zone, parse_window, window_intervals
from housemind.scheduler._when import TIME, clock_time, normalise
from housemind.scheduler.instructions import (
    ASLEEP,
    AT_HOME,
    InstructionKind,
    StandingInstruction,
)

if TYPE_CHECKING:
    from housemind.scheduler.routines import HouseholdRoutine

__all__ = [
    "NOISY_CONCEPTS",
    "activity_concepts",
    "parse_constraint",
    "constraint_applies",
    "constraint_windows",
    "constraints_for",
    "forbidden_windows",
    "is_noisy",
    "is_days_lead",
]

# Phrases first (longest), then words: each maps to a concept.
_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("washing machine", "laundry"),
    ("washing-machine", "laundry"),
    ("tumble dryer", "laundry"),
    ("lawn mower", "mow"),
    ("leaf blower", "blower"),
    ("coffee grinder", "grinder"),
    ("noisy chores", "noisy"),
    ("loud chores", "noisy"),
    ("noisy", "noisy"),
    ("noise", "noisy"),
    ("noises", "noisy"),
    ("loud", "noisy"),
    ("chores", "chores"),
    ("chore", "chores"),
    ("housework", "chores"),
    ("laundry", "laundry"),
    ("washer", "laundry"),
    ("dryer", "laundry"),
    ("dishwasher", "dishwasher"),
    ("vacuum", "vacuum"),
    ("vacuuming", "vacuum"),
    ("hoover", "vacuum"),
    ("hoovering", "vacuum"),
    ("mow", "mow"),
    ("mowing", "mow"),
    ("lawn", "mow"),
    ("blender", "blender"),
    ("mixer", "blender"),
)
#: Concepts that make noise; noisy chores avoid sleeping hours.
NOISY_CONCEPTS = frozenset(
    {"laundry", "dishwasher", "vacuum", "mow", "blender", "blower", "grinder", "drill"}
)
_GENERIC = frozenset(
    [
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "its",
        "to",
        "of",
        "in",
        "on",
        "and",
        "or",
        "any",
        "all",
        "some",
        "do",
        "does",
        "doing",
        "run",
        "running",
        "runs",
        "start",
        "starting",
        "use",
        "using",
        "make",
        "turn",
        "turning",
        "switch",
        "operate",
        "put",
        "go",
        "be",
        "please",
    ]
)
# Operating an appliance is forbidden; loading or cleaning it is not.
_OPERATE = frozenset({"run", "start", "use", "turn", "switch", "operate"})
_HANDLE = frozenset({"load", "unload", "empty", "clean", "fill", "refill", "descale", "wipe"})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower().replace("_", " "))


def activity_concepts(text: str) -> set[str]:
    """The content of an activity: ``"start the washing machine"`` -> ``{"laundry"}``.

    Words without a concept stay as themselves ("windows" -> "windows"); generic verbs and
    articles are dropped.
    """
    low = " " + " ".join(_words(text)) + " "
    found: set[str] = set()
    for phrase, concept in _CONCEPTS:
        if f" {phrase} " in low:
            found.add(concept)
            low = low.replace(f" {phrase} ", " ")
    for word in low.split():
        if word in _GENERIC:
            continue
        stem = re.sub(r"(?:ing|ed|s)$", "", word) if len(word) > 5 else word
        found.add(word if stem == word else stem)
    return found


def is_noisy(goal_or_skill: str) -> bool:
    """Whether a chore makes noise (vacuuming, laundry, the dishwasher, mowing, a blender).

    Loading, emptying or cleaning an appliance is quiet; running it is not.
    """
    if set(_words(goal_or_skill)[:1]) & _HANDLE:
        return False
    return bool(activity_concepts(goal_or_skill) & NOISY_CONCEPTS)


def constraint_applies(constraint_goal: str, goal_or_skill: str) -> bool:
    """Whether a constraint on ``constraint_goal`` applies to a chore or skill.

    Args:
        constraint_goal: The constraint's activity ("run the dishwasher", "noisy chores").
        goal_or_skill: A chore's goal ("start the dishwasher") or a skill name
            ("start_dishwasher").
    """
    wanted = activity_concepts(constraint_goal)
    if "chores" in wanted:
        return True
    if "noisy" in wanted:
        return is_noisy(goal_or_skill)
    if not wanted:
        return False
    have = activity_concepts(goal_or_skill)
    if not wanted <= have:
        return False
    said = _words(constraint_goal)
    verbs = set(_words(goal_or_skill)[:1])
    return not (_OPERATE & set(said[:1]) and verbs & _HANDLE)


def constraint_windows(
    constraint: StandingInstruction,
    *,
    routine: HouseholdRoutine | None = None,
    quiet_hours: str = "22:00-07:00",
) -> list[str]:
    """A constraint's (or a chore's own) weekly windows, resolved from the routine.

    "asleep" is when anyone sleeps; "home" is when the person who said it
    (``said_by``, else ``owner``) is at home: nothing when their routine does not say when
    they are out (the runs are then not moved).

    Args:
        constraint: A ``constraint`` instruction, or a chore with a ``window``.
        routine: The household's routine.
        quiet_hours: The night when no routine says otherwise.
    """
    out: list[str] = []
    for window in constraint.windows():
        if window == ASLEEP:
            out.extend(routine.sleep_windows() if routine else [f"* {quiet_hours}"])
        elif window == AT_HOME:
            if routine is not None:
                out.extend(routine.home_windows(constraint.said_by or "owner"))
        else:
            out.append(window)
    return out


def forbidden_windows(
    goal_or_skill: str,
    constraints: Iterable[StandingInstruction],
    *,
    routine: HouseholdRoutine | None = None,
    quiet_hours: str = "22:00-07:00",
) -> list[str]:
    """All weekly windows in which ``goal_or_skill`` must not be done.

    Args:
        goal_or_skill: A chore's goal or a skill name.
        constraints: Instructions (only enabled ``constraint`` ones count).
        routine: For "while I'm asleep" windows.
        quiet_hours: The night when no routine says otherwise.

    Returns:
        Window strings (``"* 22:30-07:00"``), for ``scheduler._rrule`` placement.
    """
    out: list[str] = []
    for c in _active(constraints):
        if constraint_applies(c.goal, goal_or_skill):
            out.extend(constraint_windows(c, routine=routine, quiet_hours=quiet_hours))
    return sorted(set(out))


def constraints_for(
    goal_or_skill: str,
    when: datetime,
    constraints: Iterable[StandingInstruction],
    *,
    routine: HouseholdRoutine | None = None,
    quiet_hours: str = "22:00-07:00",
) -> list[StandingInstruction]:
    """The constraints that forbid doing ``goal_or_skill`` at ``when``.

    Args:
        goal_or_skill: A chore's goal ("run the dishwasher") or a skill name
            ("start_dishwasher").
        when: Aware time.
        constraints: Instructions (only enabled ``constraint`` ones count).
        routine: For "while I'm asleep" windows.
        quiet_hours: The night when no routine says otherwise.

    Returns:
        The constraints broken by doing it then (empty: allowed).

    Raises:
        ValueError: ``when`` is naive.
    """
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when!r}: pass a timezone-aware time")
    out = []
    for c in _active(constraints):
        if not constraint_applies(c.goal, goal_or_skill):
            continue
        local = when.astimezone(load_zone(c.timezone)).replace(tzinfo=None)
        windows = tuple(
            parse_window(w) for w in constraint_windows(c, routine=routine, quiet_hours=quiet_hours)
        )
        if any(a <= local < b for a, b in window_intervals(windows, local, days=2)):
            out.append(c)
    return out


def _active(constraints: Iterable[StandingInstruction]) -> list[StandingInstruction]:
    return [c for c in constraints if c.kind is InstructionKind.CONSTRAINT and c.enabled]


# --- reading constraints from words ---------------------------------------------------

_NEG = r"(?:please\s+)?(?:never(?:\s+ever)?|don'?t(?:\s+ever)?(?!\s+forget)|do\s+not|no|avoid)"
_DAYS_WORDS = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekdays|weekends|weeknights)"
    r"(?:\s*(?:,|and|or)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekdays|weekends))*"
)
_WHEN = (
    r"(?:after|past|before|between|from|during|while|when|on|at\s+night|overnight"
    r"|in\s+the\s+night"
    r"|late\s+at\s+night|weekdays|weekends|(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b"
)
_NEG_RE = re.compile(rf"^{_NEG}\s+(?P<act>.+?)\s+(?P<when>{_WHEN}.*)$", re.IGNORECASE)
_SUBJ_RE = re.compile(
    r"^(?:the|my|our)\s+(?P<act>.+?)\s+(?:should|must|may|can|is\s+to|are\s+to)\s*"
    r"(?:never|not|n't)\s+(?:be\s+)?(?:run|used|go\s+on|turned\s+on|started|on)?\s*"
    rf"(?P<when>{_WHEN}.*)$",
    re.IGNORECASE,
)
_ONLY_RE = re.compile(
    rf"^(?:please\s+)?only\s+(?P<act>.+?)\s+(?:between|from)\s+(?P<a>{TIME})\s+"
    rf"(?:and|to|-|until|till)\s+(?P<b>{TIME})(?P<rest>.*)$",
    re.IGNORECASE,
)
_ASLEEP_RE = re.compile(
    r"(?:while|when)\s+(?:i'?m|i\s+am|we'?re|we\s+are|any\s?one\s+is|any\s?body\s+is|every\s?one\s+is"
    r"|people\s+are|they'?re|they\s+are|the\s+\w+\s+(?:is|are))\s+(?:asleep|sleeping|in\s+bed)"
    # "after I'm in bed", "once we've gone to bed", "after bedtime": asleep too
    r"|(?:after|once)\s+(?:i'?m|i\s+am|we'?re|we\s+are|i'?ve|we'?ve|i|we)\s+(?:in\s+bed|asleep"
    r"|gone\s+to\s+(?:bed|sleep)|go\s+to\s+(?:bed|sleep)|went\s+to\s+bed)"
    r"|(?:after|past)\s+(?:my\s+|our\s+)?bed\s?time",
    re.IGNORECASE,
)
# "while the baby naps, usually 1 to 3pm": the times say when.
_WHILE_TIMES_RE = re.compile(
    rf"\b(?:while|when)\b[^,(]*?\s*[,(]\s*(?:(?:usually|normally|typically|generally|that'?s"
    rf"|which\s+is|around|about|roughly)\s+)*(?:from\s+)?(?P<a>{TIME})\s*(?:to|-|–|until|till)"
    rf"\s*(?P<b>{TIME})\s*\)?",
    re.IGNORECASE,
)
_LEAD_DAYS_RE = re.compile(
    rf"^(?P<lead>(?:on\s+)?{_DAYS_WORDS})\s*,?\s+(?P<rest>{_NEG}\s+.+)$", re.IGNORECASE
)
_NIGHT_RE = re.compile(
    r"(?:at\s+night|overnight|in\s+the\s+night|during\s+the\s+night|late\s+at\s+night)",
    re.IGNORECASE,
)
_DAY_CODES = {
    "mon": "MO", "tues": "TU", "wednes": "WE", "thurs": "TH", "fri": "FR", "satur": "SA",
    "sun": "SU",
}  # fmt: skip
#: "after 10 pm" forbids until this time the next morning.
NIGHT_END = "07:00"
_NIGHT = "22:00-07:00"


def _activity(act: str) -> str:
    act = the(re.sub(r"\s+", " ", act.strip(" ,.")))
    low = act.lower()
    if re.fullmatch(
        r"(?:any\s+|the\s+)?(?:noise|noises|loud\s+noises?|noisy\s+(?:chores|things|jobs)|"
        r"loud\s+(?:chores|things|jobs)|anything\s+(?:noisy|loud))",
        low,
    ):
        return "noisy chores"
    # "start any chores", "do any housework": the verb adds nothing
    low = re.sub(r"^(?:start|begin|do|run)\s+(?=(?:any|the)\s+(?:chores|housework|work)$)", "", low)
    if re.fullmatch(r"(?:any\s+|the\s+)?(?:chores|housework|work)", low):
        return "chores"
    if low in ("laundry", "washing"):
        return "do laundry"
    first, _, rest = act.partition(" ")
    if first.lower().endswith("ing") and not rest.lower().startswith("machine"):
        stem = {"hoovering": "vacuum", "doing": "do", "using": "use", "running": "run"}.get(
            first.lower()
        )
        if stem is None:
            stem = first[:-3]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stem = stem[:-1]  # mopping -> mop
        act = f"{stem} {rest}".strip()
    return act


def _days(text: str) -> list[str]:
    out: list[str] = []
    for m in re.finditer(
        r"(mon|tues|wednes|thurs|fri|satur|sun)days?|(weekdays|weeknights)|(weekends)",
        text,
        re.IGNORECASE,
    ):
        if m.group(1):
            out.append(_DAY_CODES[m.group(1).lower()])
        elif m.group(2):
            out += ["MO", "TU", "WE", "TH", "FR"]
        else:
            out += ["SA", "SU"]
    return list(dict.fromkeys(out))


def _hhmm(t: tuple[int, int]) -> str:
    return f"{t[0]:02d}:{t[1]:02d}"


def _between(a: str, b: str, sentence: str) -> tuple[tuple[int, int], tuple[int, int]]:
    end = clock_time(b, None, sentence, strict=False)
    bare = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?\s*", a)
    mer = re.search(r"([ap])m\s*$", b.strip(), re.IGNORECASE)
    if bare and mer and int(bare.group(1)) <= 12:
        # "between 1 and 3 pm": the first hour shares the second's half of the day
        start = clock_time(f"{a.strip()} {mer.group(1)}m", None, sentence, strict=False)
        if start > end:
            start = clock_time(a, None, sentence, strict=False)
    else:
        start = clock_time(a, None, sentence, strict=False)
    return start, end


def _windows(when: str, sentence: str) -> list[str] | None:
    """The forbidden windows a "when" phrase names, or None if it names none."""
    # "before 8 on weekdays or 10 on weekends": a window per day group
    pair = re.match(
        rf"^(?P<rel>before|after|past)\s+(?P<t1>{TIME})\s+(?P<d1>(?:on|at)\s+.+?)\s*,?\s+"
        rf"(?:or|and)\s+(?:(?P<rel2>before|after|past)\s+)?(?P<t2>{TIME})\s+(?P<d2>(?:on|at)\s+.+)$",
        when.strip(),
        re.IGNORECASE,
    )
    if pair is not None:
        first = _windows(f"{pair['rel']} {pair['t1']} {pair['d1']}", sentence)
        second = _windows(f"{pair['rel2'] or pair['rel']} {pair['t2']} {pair['d2']}", sentence)
        if first and second and not any(w.startswith("*") for w in (*first, *second)):
            return first + second
    times: list[str] = []
    asleep = False
    rest = when
    for m in re.finditer(
        rf"(?:after|past)\s+(?P<after>{TIME})|before\s+(?P<before>{TIME})"
        rf"|(?:between|from)\s+(?P<a>{TIME})\s+(?:and|to|-|until|till)\s+(?P<b>{TIME})",
        when,
        re.IGNORECASE,
    ):
        if m.group("after"):
            t = clock_time(m.group("after"), "pm", sentence, strict=False)
            end = NIGHT_END if t >= (12, 0) or t < (6, 0) else "24:00"
            times.append(f"{_hhmm(t)}-{end}")
        elif m.group("before"):
            t = clock_time(m.group("before"), "am", sentence, strict=False)
            times.append(f"00:00-{_hhmm(t)}")
        else:
            a, b = _between(m.group("a"), m.group("b"), sentence)
            times.append(f"{_hhmm(a)}-{_hhmm(b)}")
        rest = rest.replace(m.group(0), " ")
    if _NIGHT_RE.search(rest):
        times.append(_NIGHT)
    if _ASLEEP_RE.search(rest):
        asleep = True
    days = _days(rest)
    if not times and not asleep and not days:
        return None
    prefix = ",".join(days) if days else "*"
    out = [f"{prefix} {t}" for t in times]
    if days and not times and not asleep:
        out.append(f"{prefix} 00:00-24:00")
    if asleep:
        out.append(ASLEEP)
    return out


def is_days_lead(words: str) -> bool:
    """True when ``words`` only name days ("On weekends"), as before ", don't ..."."""
    return re.fullmatch(rf"(?:on\s+)?{_DAYS_WORDS}", words.strip(), re.IGNORECASE) is not None


_KEEP_QUIET_RE = re.compile(
    r"^(?:please\s+|pls\s+|plz\s+)?(?:keep\s+(?:it|things|the\s+house|the\s+noise\s+down)"
    r"(?:\s+(?:quiet|down|silent))?|be\s+quiet|no\s+noise)\s+"
    r"(?P<rel>until|till|'til|before|after|past|between|from)\s+",
    re.IGNORECASE,
)


def parse_constraint(sentence: str) -> tuple[str, str] | None:
    """Read a constraint: "never run the dishwasher after 10:30 pm".

    It becomes ``("run the dishwasher", "* 22:30-07:00")``.

    Understood: "keep it quiet until|before|after T" (no noisy chores then),
    "never/don't/do not/no/avoid <activity> after|before|between ... | at night
    | overnight | on Sundays | while I'm asleep" (the days may come first: "on weekends,
    don't start any chores before 9 am"), "<the thing> should never run after 7 pm",
    "only <activity> between 9 am and 5 pm" (the rest of the day is forbidden). "after T"
    forbids T until 07:00 (the rest of the day for a morning T), "before T" midnight until
    T, "at night" and "overnight" 22:00-07:00.

    Args:
        sentence: One sentence (fillers such as "please" may remain).

    Returns:
        ``(activity, window)`` for a ``constraint`` instruction, or None when the sentence
        is not a constraint.
    """
    text = normalise(sentence.strip().rstrip(".!"))
    text = re.sub(r"[,\s]+please$", "", text, flags=re.IGNORECASE)
    text = _WHILE_TIMES_RE.sub(r"between \g<a> and \g<b>", text)
    # "keep it quiet until 2pm", "keep the noise down after 10pm": no noisy chores then
    text = _KEEP_QUIET_RE.sub(
        lambda m: (
            "no noisy chores "
            + ("before" if m.group("rel").lower() in ("until", "till", "'til") else m.group("rel"))
            + " "
        ),
        text,
    )
    lead = _LEAD_DAYS_RE.match(text)
    if lead is not None:  # "On weekends, don't start any chores before 9 am"
        text = f"{lead.group('rest')} {lead.group('lead')}"
    m = _ONLY_RE.match(text)
    if m is not None:
        a, b = _between(m.group("a"), m.group("b"), sentence)
        days = _days(m.group("rest"))
        prefix = ",".join(days) if days else "*"
        return _activity(m.group("act")), f"{prefix} {_hhmm(b)}-{_hhmm(a)}"
    m = _NEG_RE.match(text) or _SUBJ_RE.match(text)
    if m is None:
        return None
    windows = _windows(m.group("when"), sentence)
    if windows is None:
        return None
    act = _activity(m.group("act"))
    if not act:
        return None
    return act, "; ".join(windows)
