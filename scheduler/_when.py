"""Reading *when* a person wants something done: schedule clauses, times, RRULEs (internal).

:func:`split_schedule` peels schedule clauses ("every Monday", "at 7 am and 7 pm", "by
Sunday at noon", "on the 2nd of every month") off a sentence and leaves the goal.
:func:`read_schedule` turns the clauses into an RFC 5545 rule in the home's local time:

- the days come from ``recurrent`` (it is handed only the day words, rewritten into
  phrasings it reads reliably, never goal words: "fridge" contains "fr", Friday);
- times of day are read here ("7", "7pm", "noon", "7 in the morning", several at once), a
  bare hour with the hints of the sentence (dinner: evening);
- "every other", "every 4th day", "every 3rd week": the first run is the first one that
  fits after now, then every N (a ``DTSTART`` anchors it);
- several times of day with different minutes become several RRULE lines.

Defaults when no time is said: chores at 09:00, "morning" 08:00, "afternoon" 15:00,
"evening" 18:00, "night"/"tonight" 21:00; callers pass another default (check-ins and
reminders 18:30, deadlines 08:00).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.rrule import rrulestr

from housemind.scheduler._rrule import format_rules, load_zone, split_rrule
from housemind.scheduler._spelling import normalise_schedule_words
from housemind.scheduler.errors import AmbiguousInstructionError, InstructionParseError

__all__ = [
    "DEADLINE_TIME",
    "DEFAULT_TIME",
    "PERSON_TIME",
    "Schedule",
    "clock_time",
    "normalise",
    "read_schedule",
    "split_schedule",
    "vague_question",
]

DEFAULT_TIME = (9, 0)
#: Check-ins and reminders without a time: the evening, when people are usually home.
PERSON_TIME = (18, 30)
#: A deadline without a time ("make sure the laundry is ready on Saturday"): that morning.
DEADLINE_TIME = (8, 0)
PART_TIMES = {
    "morning": (8, 0),
    "afternoon": (15, 0),
    "evening": (18, 0),
    "night": (21, 0),
    "noon": (12, 0),
}
#: Times said by a meal or by bed ("after dinner"); what the household eats when is not known
#: here, so these are typical times.
MEAL_TIMES = {
    "after breakfast": (9, 0),
    "before breakfast": (7, 0),
    "after lunch": (14, 0),
    "before lunch": (11, 30),
    "after dinner": (20, 0),
    "after supper": (20, 0),
    "before dinner": (17, 0),
    "before supper": (17, 0),
    "at bedtime": (21, 30),
    "before bed": (21, 30),
    "first thing in the morning": (7, 0),
}

_DAYNAME = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAY = rf"{_DAYNAME}s?"
_JOIN = r"\s*(?:,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s+or\s+)"
_DAYS = rf"{_DAY}(?:(?:{_JOIN}|\s+){_DAY})*"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)"
_ORDINALS = rf"{_ORDINAL}(?:{_JOIN}(?:the\s+)?{_ORDINAL})*"
_MONTHDAY = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|tenth|fifteenth|twentieth)"
_MONTHDAYS = rf"{_MONTHDAY}(?:{_JOIN}(?:the\s+)?{_MONTHDAY})*"
_PART = r"(?:morning|afternoon|evening|night)"
_DAYPART = r"(?:morning|afternoon|evening|night|noon|midday)"
_CLOCK = (
    r"(?:noon|midday|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}"
    r"|\d{1,2}(?:\s*o'?clock)?)"
)
TIME = rf"{_CLOCK}(?:\s+(?:in\s+the\s+{_PART}|at\s+night))?"
_TIMES = rf"{TIME}(?:{_JOIN}{TIME})*"
_UNIT = (
    rf"(?:(?:day|weekday|weekend)(?:\s+{_PART})?|week|month|year|hour|{_PART}"
    rf"|{_DAYS}(?:\s+{_PART}s?)?)"
    r"|\d+\s*(?:days|weeks|hours|months|minutes)"
)
# Each clause is one piece of a schedule phrase; order matters where two could match.
_CLAUSES: dict[str, str] = {
    "times_a_day": (
        r"(?:once|twice|two\s+times|three\s+times|four\s+times)\s+(?:a|per|each)\s+"
        r"(?:day|week|month)"
    ),
    "parts": (
        rf"(?:(?:every|each)\s+|in\s+the\s+)?{_PART}s?(?:{_JOIN}(?:every\s+|each\s+|in\s+the\s+)?"
        rf"{_PART}s?)+"
    ),
    "nth_day": (
        rf"(?:on\s+)?(?:the\s+)?(?:every\s+|each\s+)?{_ORDINALS}\s+{_DAY}\s+of\s+"
        r"(?:the|every|each)\s+month"
    ),
    "last_day": r"(?:on\s+)?(?:the\s+)?last\s+day\s+of\s+(?:the|every|each)\s+month",
    "month_day": (
        rf"(?:on\s+)?(?:the\s+|every\s+|each\s+)?{_MONTHDAYS}\s+of\s+(?:the|every|each)\s+month"
    ),
    "date": rf"(?:on\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|(?:the\s+)?{_MONTHDAY}\s+(?:of\s+)?{_MONTH}|\d{{1,2}}\s+{_MONTH})",  # noqa: E501
    "every": rf"(?:every|each)\s+(?:other\s+|single\s+)?(?:{_UNIT})",
    "on_the": rf"on\s+the\s+{_MONTHDAYS}",
    "next_day": rf"(?:this|next|this\s+coming)\s+{_DAYNAME}(?:\s+{_DAYPART})?",
    "by_day": rf"(?:by|before)\s+(?:this\s+|next\s+)?(?:{_DAYNAME}|tomorrow|today|tonight)(?:\s+{_DAYPART})?",  # noqa: E501
    "on_days": rf"(?:on\s+)?(?:{_DAYS}|weekdays|weekends)(?:\s+{_DAYPART}s?)?",
    "adverb": r"(?:daily|weekly|monthly|yearly|hourly|nightly|fortnightly)",
    "at": rf"(?:at|@)\s+{_TIMES}",
    "bare_at": (
        r"\d{1,2}(?::\d{2})?\s*(?:am|pm)(?:\s*(?:,|and|&)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm))*"
    ),
    "meal_time": (
        r"(?:after|before)\s+(?:dinner|supper|lunch|breakfast)|at\s+bedtime|before\s+bed"
        r"|first\s+thing\s+in\s+the\s+morning"
    ),
    "by": rf"(?:by|before|until|no\s+later\s+than)\s+{TIME}",
    "part_of_day": rf"(?:in\s+the\s+{_PART}|at\s+night|tonight|overnight)",
    "one_day": rf"(?:today|tomorrow)(?:\s+{_DAYPART})?",
}
_CLAUSE_RE = "|".join(f"(?P<{name}>{rx})" for name, rx in _CLAUSES.items())
_TAIL_RE = re.compile(rf"(?:^|[\s,;]+)(?:{_CLAUSE_RE})[\s.!,]*$", re.IGNORECASE)
_HEAD_RE = re.compile(rf"^\s*(?:{_CLAUSE_RE})(?:[\s,;]+|$)", re.IGNORECASE)
ANY_CLAUSE = "|".join(f"(?:{rx})" for rx in _CLAUSES.values())
_MIDDLE_RE = re.compile(
    rf"[\s,;]+((?:{ANY_CLAUSE})(?:[\s,;]+(?:{ANY_CLAUSE}))*)(?=[\s,;]+\w)", re.IGNORECASE
)
_ONE_DAY = {"one_day", "date", "next_day", "by_day"}

# Words that say which half of the day a bare hour ("at 7") is in.
_PM_HINT = re.compile(
    r"\b(?:afternoon|evening|night|tonight|dinner|supper|bedtime|sunset|nightly|after)\b",
    re.IGNORECASE,
)
_AM_HINT = re.compile(r"\b(?:morning|breakfast|sunrise|wake|waking|before|school)\b", re.IGNORECASE)
_BARE_HOUR = re.compile(r"^(?P<lead>.*?)(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?$")
_VAGUE_RE = re.compile(
    r"\b(?:sometimes|occasionally|now and then|now and again|from time to time|"
    r"once in a while|every so often|regularly|often|when(?:ever)? you (?:can|have time)|"
    r"(?P<count>once|twice|three times|a few times|several times) (?:a|per|every) "
    r"(?P<per>day|week|month))\b",
    re.IGNORECASE,
)
_EVERY_OTHER_RE = re.compile(rf"\bevery\s+other\b(?!\s+(?:{_UNIT}))", re.IGNORECASE)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_MINUTE_WORDS = {"fifteen": 15, "thirty": 30, "forty-five": 45, "forty five": 45}
_DAY_LIST = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINAL_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}


def normalise(text: str) -> str:
    """Spell out what people abbreviate or misspell in schedules.

    "a.m." becomes "am", "every wed" "every wednesday", "every 4th day" "every 4 days",
    "every two days" "every 2 days",
    "fortnightly" "every 2 weeks", "everyday" "every day", "by the afternoon" "by noon" (by
    the morning: 8 am, by the evening: 6 pm).
    """
    text = re.sub(r"\b([ap])\.\s?m\.?(?=\W|$)", r"\1m", text, flags=re.IGNORECASE)
    text = normalise_schedule_words(text)
    text = re.sub(r"\s*&\s*", " and ", text)

    def interval(m: re.Match[str]) -> str:
        raw = m.group("n").lower()
        n = _ORDINAL_WORDS.get(raw) or _NUMBER_WORDS.get(raw) or int(re.sub(r"\D", "", raw))
        unit = m.group("unit").lower()
        return f"every {n} {unit}s" if n != 1 else f"every {unit}"

    # "every 4th day", "every second week", "every two days": the number in digits
    text = re.sub(
        r"\bevery\s+(?P<n>\d+(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|eighth"
        r"|ninth|tenth|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
        r"(?P<unit>day|week|month|hour)s?\b",
        interval,
        text,
        flags=re.IGNORECASE,
    )
    text = _spoken_times(text)
    # "twice a day, 8am and 6pm": the times say when
    text = re.sub(
        rf"\b((?:once|twice|three\s+times|\d\s+times)\s+a\s+day)\s*,\s*(?={_CLOCK})",
        r"\1 at ",
        text,
        flags=re.IGNORECASE,
    )

    def nth_weekday(m: re.Match[str]) -> str:
        raw = m.group("n").lower()
        n = _ORDINAL_WORDS.get(raw) or int(re.sub(r"\D", "", raw))
        day = m.group("day")
        return f"every other {day}" if n == 2 else f"every {n} weeks on {day}"

    text = re.sub(
        rf"\bevery\s+(?P<n>[2-5](?:nd|rd|th)|second|third|fourth|fifth)\s+(?P<day>{_DAYNAME})s?"
        r"\b(?!\s+of\s+(?:the|every|each)\s+month)",
        nth_weekday,
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"\bduring the week\b", "on weekdays", text, flags=re.IGNORECASE)
    # "on school nights": the nights before a school day
    text = re.sub(
        r"\b(?:on\s+)?school\s*nights\b",
        "on sundays, mondays, tuesdays, wednesdays and thursdays",
        text,
        flags=re.I,
    )
    text = re.sub(
        r"\b(?:school|work|working)\s*days\b|\bweeknights\b", "weekdays", text, flags=re.I
    )
    text = re.sub(r"\b(?:at|on) (?:the )?weekends?\b", "on weekends", text, flags=re.IGNORECASE)
    text = re.sub(
        rf"\bevery\s+(?P<base>day|weekday|{_PART})s?\s+(?:except|but\s+not|apart\s+from|other\s+than)\s+"
        rf"(?:on\s+)?(?P<days>{_DAYS}|weekends)",
        _except,
        text,
        flags=re.IGNORECASE,
    )
    # "ready by the afternoon": by when that part of the day begins
    text = re.sub(
        r"\bby\s+the\s+(morning|afternoon|evening)\b",
        lambda m: {"morning": "by 8am", "afternoon": "by noon", "evening": "by 6pm"}[
            m.group(1).lower()
        ],
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"\bfortnightly\b", "every 2 weeks", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:every|each)\s+fortnight\b", "every 2 weeks", text, flags=re.IGNORECASE)
    text = re.sub(
        r"\b(?:each and every|every single)\s+(day|week|month)\b", r"every \1", text, flags=re.I
    )
    return text


def _except(m: re.Match[str]) -> str:
    """Days but some: "every day except Sunday" -> "every monday, ... and saturday"."""
    said_base = m.group("base").lower()
    base = range(5) if said_base == "weekday" else range(7)
    part = "" if said_base in ("day", "weekday") else f" {said_base}"  # "every morning"
    said = m.group("days").lower()
    skip = (
        {5, 6}
        if said.startswith("weekend")
        else {i for i, d in enumerate(_DAY_LIST) if re.search(rf"\b{d}", said)}
    )
    keep = [_DAY_LIST[i] for i in base if i not in skip]
    if not keep:
        return m.group(0)
    days = ", ".join(keep[:-1]) + " and " + keep[-1] if len(keep) > 1 else keep[0]
    return f"every {days}{part}"


def _spoken_times(text: str) -> str:
    """Spoken times as digits: "half past five" -> "5:30", "at seven" -> "at 7"."""
    words = "|".join(_NUMBER_WORDS)

    def hour(word: str) -> int:
        return _NUMBER_WORDS.get(word.lower()) or int(word)

    def past(m: re.Match[str]) -> str:
        minutes = 30 if m.group("q").lower() == "half" else 15
        return f"{hour(m.group('h'))}:{minutes:02d}"

    def to(m: re.Match[str]) -> str:
        h = hour(m.group("h")) - 1 or 12
        return f"{h}:45"

    text = re.sub(
        rf"\b(?P<q>half|quarter)\s+past\s+(?P<h>{words}|\d{{1,2}})\b", past, text, flags=re.I
    )
    # "around half 5" (British): half past
    text = re.sub(
        rf"\b(?P<lead>(?:at|by|around|about|till|until|before|after)\s+)half\s+"
        rf"(?P<h>{words}|\d{{1,2}})\b(?!\s*(?:hours?|days?|an?\b))",
        lambda m: f"{m.group('lead')}{hour(m.group('h'))}:30",
        text,
        flags=re.I,
    )
    # "at 6.30", "by 7.15": a dot for the colon
    text = re.sub(
        r"\b(?P<lead>(?:at|by|around|about|till|until|before|after|from|to)\s+)(?P<h>\d{1,2})\."
        r"(?P<m>[0-5]\d)(?!\.?\d)",
        r"\g<lead>\g<h>:\g<m>",
        text,
        flags=re.I,
    )
    text = re.sub(rf"\bquarter\s+to\s+(?P<h>{words}|\d{{1,2}})\b", to, text, flags=re.I)

    def spoken(m: re.Match[str]) -> str:
        h = hour(m.group("h"))
        minute = _MINUTE_WORDS.get((m.group("m") or "").lower().strip())
        clock = f"{h}:{minute:02d}" if minute is not None else str(h)
        return f"{m.group('lead')}{clock}"

    return re.sub(
        rf"(?P<lead>\b(?:at|around|about|by|until|till|before|after|from|and|between)\s+)"
        rf"(?P<h>{words})\b(?:\s+(?P<m>fifteen|thirty|forty[- ]five)\b)?",
        spoken,
        text,
        flags=re.IGNORECASE,
    )


def split_schedule(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Peel schedule clauses off ``text`` (end, start, then middle); return goal, clauses.

    ``text`` should be :func:`normalise`-d first.
    """
    rest = text.strip().rstrip(".!").strip()
    tail: list[tuple[str, str]] = []
    while len(tail) < 5 and rest:
        m = _TAIL_RE.search(rest)
        if m is None:
            break
        tail.insert(0, (m.lastgroup or "", m.group(0)))
        rest = rest[: m.start()].rstrip(" ,;")
    head: list[tuple[str, str]] = []
    while len(head) < 5 and rest:
        m = _HEAD_RE.match(rest)
        if m is None:
            break
        head.append((m.lastgroup or "", m.group(0)))
        rest = rest[m.end() :].lstrip(" ,;")
    if not head and not tail:
        m = _MIDDLE_RE.search(rest)
        if m is not None:
            run = m.group(1)
            for piece in re.finditer(_CLAUSE_RE, run, re.IGNORECASE):
                head.append((piece.lastgroup or "", piece.group(0)))
            rest = (rest[: m.start()] + " " + rest[m.end() :]).strip()
    clauses = [(k, _clean(raw)) for k, raw in head + tail]
    return re.sub(r"\s+", " ", rest).strip(" ,;"), clauses


def _clean(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.strip(" ,;.!")).lower()


def clock_time(words: str, hint: str | None, text: str, strict: bool) -> tuple[int, int]:
    """``7``, ``7pm``, ``noon``, ``7 in the morning`` ... as ``(hour, minute)``, 24-hour.

    A bare hour without am/pm is read with ``hint`` ("am"/"pm", from the words of the
    sentence: dinner is in the evening). Without one, 1-6 mean the afternoon and 10-12 the
    morning (the other readings fall in the night's quiet hours); 7-9 are plausible either
    way, so a strict read asks.

    Raises:
        AmbiguousInstructionError: ``strict`` and a bare 7, 8 or 9 with no hint.
        InstructionParseError: Not a time of day.
    """
    words = words.strip().lower()
    m = re.search(rf"\s+(?:in\s+the\s+(?P<part>{_PART})|at\s+(?P<night>night))$", words)
    if m is not None:
        part = m.group("part") or "night"
        hint = "am" if part == "morning" else "pm"
        words = words[: m.start()]
    words = re.sub(r"\s*o'?clock$", "", words)
    if words.endswith(("noon", "midday")):
        return 12, 0
    if words.endswith("midnight"):
        return 0, 0
    meridiem = None
    m = re.search(r"\s*([ap])m$", words)
    if m is not None:
        meridiem = m.group(1)
        words = words[: m.start()]
    m = _BARE_HOUR.match(words)
    if m is None:
        raise InstructionParseError(text, f"cannot read the time in {words!r}")
    hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
    if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
        raise InstructionParseError(text, f"{words!r} is not a time of day")
    if meridiem == "a":
        hour = 0 if hour == 12 else hour
    elif meridiem == "p":
        hour = 12 if hour == 12 else hour + 12
    elif 1 <= hour <= 11 and hint == "pm":
        hour += 12
    elif m.group("minute") is None and 1 <= hour <= 11 and hint is None:
        if hour <= 6:
            hour += 12
        elif hour <= 9 and strict:
            raise AmbiguousInstructionError(
                text,
                f"do you mean {hour}:00 in the morning or {hour + 12}:00 in the evening? "
                f"Say '{hour} am' or '{hour} pm'",
            )
    return hour, minute


def split_times(raw: str) -> list[str]:
    """``"at 7am, noon and 7pm"`` -> ``["7am", "noon", "7pm"]``."""
    raw = re.sub(r"^(?:at|by|before|until|no later than|@)\s+", "", raw.strip())
    return [p for p in re.split(_JOIN, raw, flags=re.IGNORECASE) if p.strip()]


def hint_for(words: str) -> str | None:
    """``"pm"`` / ``"am"`` when ``words`` say which half of the day is meant, else None."""
    if _PM_HINT.search(words):
        return "pm"
    if _AM_HINT.search(words):
        return "am"
    return None


def vague_question(text: str) -> str | None:
    """A question back when ``text`` does not say how often, else None.

    "Twice a day" is clear enough with its times ("twice a day, at 9am and 9pm"), and "once
    a week" with its day.

    Args:
        text: One instruction ("do the laundry sometimes").

    Returns:
        The question to ask the person, or None when the frequency is clear enough.
    """
    text = normalise(text)
    for m in _VAGUE_RE.finditer(text):
        per = (m.group("per") or "").lower()
        if per == "day" and re.search(rf"\b(?:at|@)\s+{_CLOCK}", text, re.IGNORECASE):
            continue
        if per == "week" and re.search(rf"\b{_DAY}\b", text, re.IGNORECASE):
            continue
        return (
            f"how often should I do this? '{m.group(0)}' does not say; e.g. 'every "
            "Saturday at 10am' or 'every other day at 6pm'"
        )
    if _EVERY_OTHER_RE.search(text):
        return "every other what? Say 'every other day', 'every other week' or 'every other Monday'"
    return None


@dataclass
class Schedule:
    """A schedule read from words.

    Attributes:
        rrule: The rule(s), in the home's local time (several RRULE lines for several times
            of day with different minutes).
        one_off: It happens once.
        deadline: A "by" time: when it must be done, not when to start.
        times: The times of day it happens (``(hour, minute)``).
        said_time: A time or part of day was said (not a default).
    """

    rrule: str
    one_off: bool
    deadline: bool
    times: list[tuple[int, int]] = field(default_factory=list)
    said_time: bool = False


_MONTHDAY_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
    "fifteenth": 15, "twentieth": 20,
}  # fmt: skip


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _plural_days(raw: str) -> bool:
    """Days that repeat: "mondays", "weekends", "sunday nights", or a list of days."""
    if re.search(rf"{_DAYNAME}s\b|weekdays|weekends|{_PART}s\b", raw):
        return True
    return len(re.findall(_DAYNAME, raw)) > 1


def _part_of(raw: str) -> str | None:
    m = re.search(rf"\b({_DAYPART})s?\b", raw)
    if m is None:
        return None
    return "noon" if m.group(1) == "midday" else m.group(1)


def _day_words(kind: str, raw: str, *, habit: bool, weekly: bool) -> str:
    """One non-time clause as words ``recurrent`` reads reliably (no time of day)."""
    words = re.sub(rf"\s+{_DAYPART}s?$", "", raw)  # "every sunday morning" -> "every sunday"
    if kind == "times_a_day":
        return {"week": "every week", "month": "every month"}.get(raw.rsplit(" ", 1)[-1], "")
    if kind in ("parts", "part_of_day"):
        return "today" if raw in ("tonight",) else ""
    if kind == "every":
        words = re.sub(rf"({_DAYNAME}s?)\s+(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day)", r"\1, ",
                       words)  # fmt: skip
        if re.fullmatch(rf"(?:every|each)\s+(?:other\s+)?{_PART}", raw):
            return "every other day" if "other" in raw else "every day"
        return re.sub(r"^each\b", "every", re.sub(r"\bsingle\s+", "", words))
    if kind == "adverb":
        return {"hourly": "every hour", "nightly": "every day"}.get(words, words)
    if kind == "nth_day":
        words = re.sub(r"^(?:on\s+)?(?:the\s+)?(?:every\s+|each\s+)?", "on the ", words)
        return re.sub(r"of (?:the|every|each) month$", "of every month", words)
    if kind == "last_day":
        return "on the last day of every month"
    if kind == "month_day":
        days = re.sub(r"^(?:on\s+)?(?:the\s+|every\s+|each\s+)?", "", words)
        days = re.sub(r"\s+of (?:the|every|each) month$", "", days)
        for word, n in _MONTHDAY_WORDS.items():
            days = re.sub(rf"\b{word}\b", _ordinal(n), days)
        return f"every month on the {days}"
    if kind == "on_the":
        return words
    if kind == "date":
        return words if words.startswith("on ") else f"on {words}"
    if kind == "by_day":
        day = re.sub(r"^(?:by|before)\s+(?:this\s+|next\s+)?", "", words)
        if day in ("today", "tomorrow", "tonight"):
            return "today" if day == "tonight" else day
        return f"every {day}" if (habit or weekly) else f"on {day}"
    if kind == "on_days":
        days = re.sub(r"^on\s+", "", words)
        days = re.sub(rf"({_DAYNAME}s?)\s+(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day)", r"\1, ",
                      days)  # fmt: skip
        single = re.fullmatch(_DAYNAME, days) is not None
        if (single and (habit or weekly)) or _plural_days(raw):
            return f"every {days}"  # a habit, or a list of days: every week on them
        return f"on {days}"
    if kind == "one_day":
        return words.split()[0]
    if kind == "next_day":
        return words
    return words


def read_schedule(
    goal: str,
    clauses: list[tuple[str, str]],
    *,
    text: str,
    now: datetime,
    tz: str,
    strict: bool = False,
    default_time: tuple[int, int] = DEFAULT_TIME,
    habit: bool = False,
    deadline: bool = False,
) -> Schedule:
    """Turn schedule clauses into a :class:`Schedule`.

    Args:
        goal: What is left of the sentence (its words hint at am/pm for a bare hour).
        clauses: From :func:`split_schedule`.
        text: The sentence as said, for error messages.
        now: The current time (aware); anchors one-offs and "every other" rules.
        tz: The home's IANA time zone.
        strict: Ask (raise) instead of guessing a bare 7, 8 or 9.
        default_time: The time of day when none is said.
        habit: A habit ("I like to ... on Saturday"): a single day repeats, and with no
            day at all it is every day.
        deadline: The time is a deadline even without "by" ("make sure ... is ready").

    Raises:
        AmbiguousInstructionError: ``strict`` and a bare 7, 8 or 9 with no hint.
        InstructionParseError: No schedule, or one recurrent cannot read.
    """
    zone = load_zone(tz)
    local_now = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    kinds = [k for k, _ in clauses]
    deadline = deadline or "by" in kinds or "by_day" in kinds
    hint = hint_for(" ".join([goal, *(raw for _, raw in clauses)]))
    times: list[tuple[int, int]] = []
    for kind, raw in clauses:
        if kind in ("at", "by", "bare_at"):
            for piece in split_times(raw):
                times.append(clock_time(piece, hint, text, strict))
    if not times:  # "after dinner, say 8pm": the said time wins over the typical one
        times = [MEAL_TIMES[raw] for kind, raw in clauses if kind == "meal_time"]
    said = bool(times)
    if not times:
        parts: list[str] = []
        for kind, raw in clauses:
            if kind == "parts":
                parts += re.findall(_PART, raw)
            elif kind in ("part_of_day", "every", "on_days", "adverb"):
                if raw in ("tonight", "at night", "overnight", "nightly"):
                    part = "night"
                else:
                    part = _part_of(raw)
                if part:
                    parts.append(part)
            elif kind in ("one_day", "next_day", "by_day"):
                part = "night" if raw.endswith("tonight") else _part_of(raw)
                if part:
                    parts.append(part)
        times = [PART_TIMES[p] for p in dict.fromkeys(parts)]
        said = bool(times)
    if not times:
        times = [default_time]
    times = sorted(set(times))
    weekly = any(
        k == "every"
        and re.fullmatch(r"(?:every|each) week", raw)
        or raw == "weekly"
        or (k == "times_a_day" and raw.endswith("week"))
        for k, raw in clauses
    )
    words: list[str] = []
    for kind, raw in clauses:
        if kind in ("at", "by", "bare_at", "meal_time"):
            continue
        said_weekly = (
            (kind == "every" and raw in ("every week", "each week"))
            or raw == "weekly"
            or (kind == "times_a_day" and raw.endswith("week"))
        )
        if said_weekly and any(k in ("on_days", "by_day") for k in kinds):
            continue  # "by Sunday ... every week": every Sunday
        piece = _day_words(kind, raw, habit=habit, weekly=weekly)
        if piece:
            words.append(piece)
    dated = bool(_ONE_DAY & set(kinds)) or any(
        k == "on_days" and not _plural_days(raw) for k, raw in clauses
    )
    if not words and (habit or len(times) > 1):
        words = ["every day"]  # a habit, or "at 7 am and 7 pm": every day
    phrase = " ".join(words)
    if not phrase:
        return _one_off(local_now, local_now.date(), times, deadline, said, roll=True)
    from recurrent.event_parser import RecurringEvent  # lazy: pulls in a grammar at import

    try:
        with warnings.catch_warnings():  # parsedatetime's deprecation noise, not ours
            warnings.simplefilter("ignore")
            result = RecurringEvent(now_date=local_now).parse(phrase)
    except Exception as exc:  # recurrent raises bare errors on odd input
        raise InstructionParseError(text, f"could not read {phrase!r} ({exc})") from exc
    if isinstance(result, datetime):
        roll = not dated
        return _one_off(local_now, result.date(), times, deadline, said, roll=roll)
    if not (isinstance(result, str) and result.startswith("RRULE:")):
        raise InstructionParseError(text, f"{phrase!r} is not a schedule I can read")
    _, parts = split_rrule(result)
    parts = {k: v for k, v in parts.items() if v != "" and k not in ("BYHOUR", "BYMINUTE")}
    if parts.get("INTERVAL", "1") in ("0", ""):
        raise InstructionParseError(text, "an interval of 0 never repeats; say 'every day'")
    freq = parts.get("FREQ", "")
    if freq == "WEEKLY" and "BYDAY" not in parts:
        parts["BYDAY"] = _weekday(local_now)  # "every week": on today's weekday
    elif freq == "MONTHLY" and not {"BYDAY", "BYMONTHDAY"} & parts.keys():
        parts["BYMONTHDAY"] = str(local_now.day)
    elif freq == "YEARLY" and "BYMONTH" not in parts:
        parts.update(BYMONTH=str(local_now.month), BYMONTHDAY=str(local_now.day))
    if freq in ("HOURLY", "MINUTELY"):
        key = "BYMINUTE" if freq == "HOURLY" else "BYSECOND"
        parts.setdefault(key, "0")
        rules = [parts]
        dtstart = None
        if parts.get("INTERVAL", "1") != "1":
            dtstart = local_now.replace(hour=0, minute=0)  # "every 2 hours": even hours
        return Schedule(format_rules(rules, dtstart), False, deadline, [], said)
    rules = _with_times(parts, times)
    dtstart = None
    if parts.get("INTERVAL", "1") != "1":
        dtstart = _first_fit(rules, local_now)
    return Schedule(format_rules(rules, dtstart), False, deadline, times, said)


def _with_times(parts: dict[str, str], times: list[tuple[int, int]]) -> list[dict[str, str]]:
    """The rule once per distinct minute of the times of day.

    08:00, 14:30 and 20:00 give ``BYHOUR=8,20;BYMINUTE=0`` and ``BYHOUR=14;BYMINUTE=30``:
    one RRULE cannot pair each hour with its own minute.
    """
    by_minute: dict[int, list[int]] = {}
    for h, m in sorted(times):
        by_minute.setdefault(m, []).append(h)
    return [
        {**parts, "BYHOUR": ",".join(str(h) for h in hours), "BYMINUTE": str(m)}
        for m, hours in sorted(by_minute.items(), key=lambda kv: (kv[1][0], kv[0]))
    ]


def _first_fit(rules: list[dict[str, str]], local_now: datetime) -> datetime:
    """Midnight of the first day an every-N rule fits after now (its DTSTART anchor)."""
    first: datetime | None = None
    for parts in rules:
        plain = {k: v for k, v in parts.items() if k != "INTERVAL"}
        line = "RRULE:" + ";".join(f"{k}={v}" for k, v in plain.items())
        rule = rrulestr(line, dtstart=local_now.replace(hour=0, minute=0) - timedelta(days=1))
        nxt = rule.after(local_now)
        if nxt is not None and (first is None or nxt < first):
            first = nxt
    base = first or local_now
    return base.replace(hour=0, minute=0, second=0)


def _one_off(
    local_now: datetime,
    day: object,
    times: list[tuple[int, int]],
    deadline: bool,
    said: bool,
    *,
    roll: bool,
) -> Schedule:
    """A once-only schedule on ``day``; tomorrow when its time has passed and no day was said."""
    start = datetime.combine(day, datetime.min.time())  # type: ignore[arg-type]
    if roll and start.replace(hour=times[0][0], minute=times[0][1]) <= local_now:
        start += timedelta(days=1)
    if len(times) == 1:
        at = start.replace(hour=times[0][0], minute=times[0][1])
        return Schedule(format_rules([{"FREQ": "DAILY", "COUNT": "1"}], at), True, deadline,
                        times, said)  # fmt: skip
    rules = [
        {"FREQ": "DAILY", "COUNT": "1", "BYHOUR": str(h), "BYMINUTE": str(m)} for h, m in times
    ]
    return Schedule(format_rules(rules, start), True, deadline, times, said)


def _weekday(when: datetime) -> str:
    return ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[when.weekday()]
