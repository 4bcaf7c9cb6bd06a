"""Reading a paragraph of plain language into standing instructions, facts and questions.

A person says how they want their home run in a few sentences::

    I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like
    to do my laundry on Saturday, so make sure that it's ready. By the way, check in with
    me every Monday to see what I want you to pick up when you do the shopping.

:func:`parse_paragraph` splits it into sentences and reads each one offline:

- a chore with a deadline ("have dinner made at 6 pm", "... so make sure it's ready"):
  the time is when it must be done, and the chore starts its estimated duration earlier;
- a habit ("I like to ...") without a frequency repeats every day, and "on Saturday"
  in a habit means every Saturday (in a command, "on Saturday" is the coming one);
- the person's routine ("I wake up and go to work at 7 am") becomes facts for the planner
  and the safety monitor; going to work implies weekdays (Monday to Friday);
- a check-in ("check in with me every Monday to see what ...") is a question the robot asks
  on a schedule; answers about shopping go to the shopping list;
- likes, dislikes and quiet hours become preference facts;
- what has two plausible readings ("sometimes", "every other" without a unit, a bare
  "at 8" with no hint of morning or evening) becomes a question back, not a guess.

Sentences the offline reader cannot handle go to an optional model client (anything with
``structured(messages, schema)``, e.g. ``agent.llm.ModelClient``) when one is given.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from housemind.scheduler._rrule import format_rrule, load_zone, split_rrule
from housemind.scheduler.durations import estimate_duration_s
from housemind.scheduler.instructions import (
    _ANY_CLAUSE,
    _CHECK_IN_RE,
    _TIME,
    AmbiguousInstructionError,
    InstructionKind,
    InstructionParseError,
    StandingInstruction,
    _clock_time,
    _split_schedule,
    instruction_id,
    parse_instruction,
    vague_question,
)

__all__ = [
    "DEFAULT_DEADLINE",
    "ModelInstruction",
    "ModelReading",
    "ParseResult",
    "ParsedFact",
    "parse_paragraph",
    "remember_facts",
    "swap_person",
]

log = logging.getLogger(__name__)

#: A deadline chore with no time ("make sure the laundry is ready on Saturday") is due by
#: midday: it leaves the morning for the work and never starts in the night's quiet hours.
DEFAULT_DEADLINE = "12:00"
WEEKDAYS = "MO,TU,WE,TH,FR"
#: A check-in is a short conversation, whatever it is about.
CHECK_IN_DURATION_S = 300.0


class ParsedFact(BaseModel):
    """A fact or preference read from what the person said.

    ``rrule`` says when a routine fact holds ("wakes at 07:00 on weekdays"); ``value`` is
    the time as ``HH:MM`` for routine facts.
    """

    model_config = ConfigDict(frozen=True)

    subject: str
    predicate: str
    value: str
    kind: Literal["fact", "preference"] = "fact"
    rrule: str | None = None
    text: str = ""


class ParseResult(BaseModel):
    """What a paragraph said: instructions to store, facts to remember, questions to ask."""

    instructions: list[StandingInstruction] = Field(default_factory=list)
    facts: list[ParsedFact] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)


class ModelInstruction(BaseModel):
    """One instruction as the optional model reads it (second pass)."""

    kind: InstructionKind
    goal: str = Field(min_length=1, description="the chore in words, e.g. 'make dinner'")
    rrule: str | None = Field(
        default=None,
        description="RFC 5545 rule in local time, e.g. 'RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;"
        "BYMINUTE=0'; a one-off is 'DTSTART:20251021T090000\\nRRULE:FREQ=DAILY;COUNT=1'",
    )
    time_is_deadline: bool = False
    duration_min: float | None = Field(default=None, ge=0)
    answers_to: str | None = None


class ModelReading(BaseModel):
    """The model's reading of one sentence: instructions, or a question back."""

    instructions: list[ModelInstruction] = Field(default_factory=list)
    question: str | None = None


# --- sentences ------------------------------------------------------------------------

_FILLER_RE = re.compile(
    r"^(?:by the way|btw|also|and|oh|ok(?:ay)?|so|plus|finally|lastly|then|one more thing"
    r"|and also|please|hey)\b[\s,:;-]*",
    re.IGNORECASE,
)
_ASK_RE = re.compile(
    r"^(?:(?:can|could|would|will) you (?:please )?"
    r"|(?:i(?:'d| would)?|we(?:'d| would)?) (?:like|want|need) you to "
    r"|i want you to |i need you to |make sure (?:to|you) |remember to "
    r"|don'?t forget to |please )",
    re.IGNORECASE,
)
_HABIT_RE = re.compile(
    r"^(?:i|we) (?:(?:really |usually |always |normally |generally )?(?:like|love|prefer|want"
    r"|need)(?: to)?|usually|always|normally|generally)\s+",
    re.IGNORECASE,
)
_MAKE_SURE_RE = re.compile(
    r"[,;]?\s*(?:so|and)?\s*(?:please\s+)?make\s+sure\s+(?:that\s+)?"
    r"(?:it(?:'s| is)|they(?:'re| are)|that(?:'s| is)|(?P<obj>(?:the|my|our)\s+[\w ]+?)\s+"
    r"(?:is|are))\s+"
    r"(?:ready|done|finished|clean|made)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_HAVE_READY_RE = re.compile(
    r"^(?:have|get)\s+(?P<obj>.+?)\s+(?P<state>made|ready|done|cooked|prepared|finished|washed"
    r"|cleaned|on the table)\b\s*(?:for\s+(?=\S))?",
    re.IGNORECASE,
)
_READY_BY_RE = re.compile(
    r"^(?P<obj>.+?)\s+(?:made|ready|done|cooked|prepared|finished|on the table)$", re.IGNORECASE
)
# A goal is said as a command ("water the ferns"); these openings are descriptions.
_NOT_A_GOAL_RE = re.compile(
    r"^(?:the|a|an|are|is|it|its|it's|they|they're|this|that|there|these|those|he|she|we|i)\b",
    re.IGNORECASE,
)
_SCHEDULE_WORDS_RE = re.compile(rf"(?:^|\s)(?:{_ANY_CLAUSE})(?=\s|$)", re.IGNORECASE)
_ONE_DAY = r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_SPLIT_AND_RE = re.compile(r",?\s+(?:and then|and also|and|then|also|plus)\s+", re.IGNORECASE)
_SHOPPING_RE = re.compile(r"\b(?:shop|shopping|groceries|buy|pick up|store)\b", re.IGNORECASE)
_PRONOUNS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "I'm",
    "you've": "I've",
}
# After these, "you" is the subject ("when you do") and becomes "I"; otherwise "me".
_SUBJECT_AFTER = {"when", "if", "what", "while", "before", "after", "as", "until", "and", "so"}

# Meals and objects a deadline names, and the chore that gets them ready.
_OBJECT_GOALS: tuple[tuple[str, str], ...] = (
    (r"\b(?:dinner|supper|lunch|breakfast|brunch|meal|coffee|tea|food)\b", "make {obj}"),
    (r"\b(?:laundry|washing|clothes)\b", "do {obj}"),
    (r"\b(?:dishes)\b", "wash {obj}"),
    (r"\b(?:bed)\b", "make {obj}"),
)

# The person's routine: verb phrase -> predicate (value: the time, HH:MM).
_ROUTINE: tuple[tuple[str, str], ...] = (
    (r"wake up|wake|get up", "wakes_at"),
    (
        r"go to work|leave for work|head (?:off )?to work|go to the office|leave for the office"
        r"|set off for work|start work",
        "leaves_for_work_at",
    ),
    (r"leave the house|leave home|go out", "leaves_home_at"),
    (
        r"get home|come home|come back|get back|get back home|return home|am home|'m home"
        r"|get in|come back from work|get home from work",
        "gets_home_at",
    ),
    (r"go to bed|go to sleep|turn in|sleep", "goes_to_bed_at"),
    (r"have breakfast|eat breakfast", "has_breakfast_at"),
    (r"have lunch|eat lunch", "has_lunch_at"),
    (r"have dinner|eat dinner|eat", "has_dinner_at"),
)
_WORK_PREDICATES = {"leaves_for_work_at"}
_AM_ROUTINE = {"wakes_at", "leaves_for_work_at", "has_breakfast_at"}
_PM_ROUTINE = {"gets_home_at", "goes_to_bed_at", "has_dinner_at"}
_ROUTINE_RE = re.compile(
    r"^(?:i|we) (?:usually |normally |always |generally )?(?P<verbs>.+?)\s+"
    rf"(?:at|around|by|about|at around|at about)\s+(?P<time>{_TIME})(?P<rest>.*)$",
    re.IGNORECASE,
)
_QUIET_RE = re.compile(
    rf"quiet\s+hours?\s*(?:are|is|:)?\s*(?:from|between)?\s*(?P<start>{_TIME})\s*"
    rf"(?:to|-|–|until|till|and)\s*(?P<end>{_TIME})",
    re.IGNORECASE,
)
_NO_NOISE_RE = re.compile(
    r"(?:no (?:noise|noisy chores|chores|vacuuming)|(?:don'?t|do not|never) (?:make (?:any )?"
    rf"noise|vacuum|run the (?:vacuum|washing machine|dishwasher)))\s+(?P<rel>after|before)\s+"
    rf"(?P<time>{_TIME})",
    re.IGNORECASE,
)
_LIKE_RE = re.compile(
    r"^(?:i|we)\s+(?:really\s+)?(?P<verb>like|love|prefer|hate|dislike|don'?t like|do not like"
    r"|am allergic to|'m allergic to|am vegetarian|'m vegetarian|am vegan|'m vegan)\b\s*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
_LIKE_PREDICATES = {
    "like": "likes",
    "love": "likes",
    "prefer": "prefers",
    "hate": "dislikes",
    "dislike": "dislikes",
    "don't like": "dislikes",
    "dont like": "dislikes",
    "do not like": "dislikes",
}


def _normalise(text: str) -> str:
    # "6 p.m. I wake" ends a sentence; "6 p.m. every day" does not.
    text = re.sub(r"\b([aApP])\.\s?[mM]\.(?=\s+[A-Z]|\s*$)", r"\1m.", text)
    text = re.sub(r"\b([ap])\.\s?m\.?(?=\W|$)", r"\1m", text, flags=re.IGNORECASE)
    text = text.replace("\u2019", "'")
    return re.sub(r"[ \t]+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (after "a.m."/"p.m." became "am"/"pm")."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", _normalise(text))
    return [p.strip().rstrip(".!?;").strip() for p in parts if p.strip().rstrip(".!?;").strip()]


def swap_person(text: str) -> str:
    """Say ``text`` back from the robot's side.

    "what I want you to buy" becomes "what you want me to buy".
    """
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low == "you":
            prev = words[i - 1].lower() if i else ""
            out.append("I" if prev in _SUBJECT_AFTER or i == 0 else "me")
        elif low in _PRONOUNS:
            out.append(_PRONOUNS[low])
        else:
            out.append(word)
    return " ".join(out)


def _strip_fillers(sentence: str) -> str:
    prev = None
    while prev != sentence:
        prev = sentence
        sentence = _FILLER_RE.sub("", sentence).strip()
    return sentence


def _goal_for_object(obj: str) -> str:
    obj = _the(obj)
    for pattern, template in _OBJECT_GOALS:
        if re.search(pattern, obj, re.IGNORECASE):
            return template.format(obj=obj)
    return f"get {obj} ready"


def _the(words: str) -> str:
    """The robot's words for the person's things: "my laundry" -> "the laundry"."""
    return re.sub(r"\b(?:my|our|your)\b", "the", words, flags=re.IGNORECASE)


# --- facts ----------------------------------------------------------------------------


def _routine_facts(sentence: str, *, now: datetime, tz: str, speaker: str) -> list[ParsedFact]:
    """Facts from "I wake up and go to work at 7 am (on weekdays)", or [] if not a routine."""
    m = _ROUTINE_RE.match(sentence)
    if m is None:
        return []
    verbs = [v.strip() for v in re.split(r"\s*(?:,|\band\b|\bthen\b)\s*", m.group("verbs"))]
    predicates: list[str] = []
    for verb in verbs:
        if not verb:
            continue
        for pattern, predicate in _ROUTINE:
            if re.fullmatch(pattern, verb, re.IGNORECASE):
                predicates.append(predicate)
                break
        else:
            return []
    if not predicates:
        return []
    hint = "am" if set(predicates) <= _AM_ROUTINE else None
    hint = "pm" if set(predicates) <= _PM_ROUTINE else hint
    hour, minute = _clock_time(m.group("time").lower(), hint, sentence, strict=True)
    rest = m.group("rest").strip(" ,")
    days_rule = None
    if rest and _split_schedule(f"routine {rest}")[0] != "routine":
        return []  # more than a routine ("..., so have lunch ready"): read it as a chore
    if rest:
        probe = parse_instruction(f"routine {rest} at {hour}:{minute:02d}", now=now, tz=tz)
        _, parts = split_rrule(probe.rrule or "")
        days_rule = parts.get("BYDAY")
    elif _WORK_PREDICATES & set(predicates):
        days_rule = WEEKDAYS  # why: "go to work" means working days unless they say so
    parts = {"FREQ": "WEEKLY", "BYDAY": days_rule} if days_rule else {"FREQ": "DAILY"}
    rrule = format_rrule({**parts, "BYHOUR": str(hour), "BYMINUTE": str(minute)})
    value = f"{hour:02d}:{minute:02d}"
    return [
        ParsedFact(subject=speaker, predicate=p, value=value, rrule=rrule, text=sentence)
        for p in dict.fromkeys(predicates)
    ]


def _split_routine(sentence: str, *, now: datetime, tz: str, speaker: str) -> list[ParsedFact]:
    """Two routines sharing a subject: "I wake up at 6:30 and go to work at 8"."""
    subject = re.match(r"^(i|we)\s+", sentence, re.IGNORECASE)
    if subject is None:
        return []
    for m in _SPLIT_AND_RE.finditer(sentence):
        left = _routine_facts(sentence[: m.start()], now=now, tz=tz, speaker=speaker)
        right_text = f"{subject.group(0)}{sentence[m.end() :]}"
        right = _routine_facts(right_text, now=now, tz=tz, speaker=speaker)
        if left and right:
            return left + right
    return []


def _preference_facts(sentence: str, *, speaker: str, scheduled: bool) -> list[ParsedFact]:
    """Quiet hours (``scheduled=False``) or likes/dislikes (``True``: tried after chores)."""
    m = _QUIET_RE.search(sentence)
    if m is not None:
        start = _clock_time(m.group("start").lower(), "pm", sentence, strict=False)
        end = _clock_time(m.group("end").lower(), "am", sentence, strict=False)
        return [_quiet(start, end, sentence)]
    m = _NO_NOISE_RE.search(sentence)
    if m is not None:
        if m.group("rel").lower() == "after":
            start = _clock_time(m.group("time").lower(), "pm", sentence, strict=False)
            return [_quiet(start, (7, 0), sentence)]
        end = _clock_time(m.group("time").lower(), "am", sentence, strict=False)
        return [_quiet((22, 0), end, sentence)]
    if not scheduled:
        return []
    sentence = re.sub(r"^(i|we)'(m|re)\b", r"\1 am", sentence, flags=re.IGNORECASE)
    m = _LIKE_RE.match(sentence)
    if m is None:
        return []
    verb = m.group("verb").lower().replace("'m", "am")
    value = re.sub(r"^(?:my|our)\s+", "", m.group("value").strip(" ,."), flags=re.IGNORECASE)
    if verb.startswith("am allergic"):
        return [ParsedFact(subject=speaker, predicate="is_allergic_to", value=value, text=sentence)]
    if verb in ("am vegetarian", "am vegan"):
        diet = verb.split()[1]
        return [ParsedFact(subject=speaker, predicate="diet", value=diet, kind="preference",
                           text=sentence)]  # fmt: skip
    if not value:
        return []
    predicate = _LIKE_PREDICATES.get(verb, "likes")
    return [
        ParsedFact(
            subject=speaker, predicate=predicate, value=value, kind="preference", text=sentence
        )
    ]


def _quiet(start: tuple[int, int], end: tuple[int, int], sentence: str) -> ParsedFact:
    value = f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"
    return ParsedFact(
        subject="home", predicate="quiet_hours", value=value, kind="preference", text=sentence
    )


# --- chores ---------------------------------------------------------------------------


def _chore(sentence: str, *, now: datetime, tz: str, priority: int) -> StandingInstruction:
    """One chore, deadline chore, check-in or one-off from one clause of a sentence.

    Raises:
        AmbiguousInstructionError: Two plausible readings.
        InstructionParseError: Not readable offline.
    """
    original = sentence
    body = _strip_fillers(sentence)
    asked = _ASK_RE.match(body)
    if asked is not None:
        body = body[asked.end() :]
    habit = asked is None and _HABIT_RE.match(body) is not None
    body = _strip_fillers(_HABIT_RE.sub("", body) if habit else body)
    deadline = False
    goal_override: str | None = None
    m = _MAKE_SURE_RE.search(body)
    if m is not None:
        deadline = True
        if m.start() == 0 and m.group("obj"):  # "make sure the dishes are done by 9pm"
            goal_override = _goal_for_object(m.group("obj"))
            body = f"{goal_override} {m.group('rest')}".strip()
        else:
            body = (body[: m.start()] + " " + m.group("rest")).strip(" ,")
    m = _HAVE_READY_RE.match(body)
    if m is not None:
        deadline = True
        goal_override = _goal_for_object(m.group("obj"))
        body = f"{goal_override} {body[m.end() :]}".strip()
    goal, clauses = _split_schedule(body)
    kinds = {k for k, _ in clauses}
    if not clauses:
        raise InstructionParseError(original, "no schedule phrase (when should it happen?)")
    if _NOT_A_GOAL_RE.match(goal):
        raise InstructionParseError(original, f"{goal!r} does not say what to do")
    if goal[:1].isupper() and not goal.startswith("I "):
        goal = goal[0].lower() + goal[1:]
    rm = _READY_BY_RE.match(goal)
    if rm is not None and ("by" in kinds or deadline):
        deadline = True
        goal_override = _goal_for_object(rm.group("obj"))
    pieces: list[str] = []
    for kind, raw in clauses:
        raw = raw.strip(" ,;")
        if deadline and kind == "at":
            raw = re.sub(r"^(?:at|@)\s+", "by ", raw, flags=re.IGNORECASE)
        if habit and kind == "on_days" and re.search(rf"{_ONE_DAY}$", raw, re.IGNORECASE):
            # Why: "I like to do my laundry on Saturday" is a habit, so every Saturday.
            raw = re.sub(r"^(?:on\s+)?", "every ", raw, flags=re.IGNORECASE)
        pieces.append(raw)
    repeats = {"every", "on_days", "adverb", "nth_day", "month_day"} & kinds
    one_off = {"one_day", "date", "next_day"} & kinds
    if habit and not repeats and not one_off:
        pieces.append("every day")
    if deadline and not {"at", "by"} & kinds:
        pieces.append(f"by {DEFAULT_DEADLINE}")
    goal = goal_override or goal
    check_in = _CHECK_IN_RE.match(goal)
    answers_to = None
    if check_in is not None:
        rest = goal[check_in.end() :].strip()
        if goal.lower().startswith("remind"):
            goal = f"remind you {swap_person(rest)}".strip()
        else:
            rest = re.sub(r"^(?:to|and)\s+(?:see|ask|find out|hear)\s+", "", rest, flags=re.I)
            rest = re.sub(r"^(?:about|to|and)\s+", "", rest, flags=re.IGNORECASE)
            asked = swap_person(rest)
            goal = f"ask {asked}".strip() if asked else "check in with the person"
        if _SHOPPING_RE.search(rest):
            answers_to = "shopping"
    else:
        goal = _the(goal)
    canonical = f"{goal} {' '.join(pieces)}"
    instr = parse_instruction(
        canonical, now=now, tz=tz, duration_s=None, priority=priority, strict=True
    )
    kind = instr.kind
    if check_in is not None:
        kind = InstructionKind.CHECK_IN
    elif deadline and kind is not InstructionKind.ONE_OFF:
        kind = InstructionKind.DEADLINE_CHORE
    return instr.model_copy(
        update={
            "id": instruction_id(original),
            "text": original,
            "goal": goal,
            "kind": kind,
            "duration_s": CHECK_IN_DURATION_S
            if kind is InstructionKind.CHECK_IN
            else estimate_duration_s(goal),
            "answers_to": answers_to,
        }
    )


def _chores(sentence: str, *, now: datetime, tz: str, priority: int) -> list[StandingInstruction]:
    """Chores in one sentence, splitting "X every day at 9 and Y on Mondays" if needed."""
    first: InstructionParseError | None = None
    try:
        whole = _chore(sentence, now=now, tz=tz, priority=priority)
        if not _SCHEDULE_WORDS_RE.search(whole.goal):
            return [whole]
    except AmbiguousInstructionError:
        raise
    except InstructionParseError as exc:
        first, whole = exc, None
    # The goal still holds a schedule, or nothing parsed: try "<chore> and <chore>".
    for m in _SPLIT_AND_RE.finditer(sentence):
        left, right = sentence[: m.start()], sentence[m.end() :]
        try:
            a = _chores(left, now=now, tz=tz, priority=priority)
            b = _chores(right, now=now, tz=tz, priority=priority)
        except InstructionParseError:
            continue
        return a + b
    if whole is not None:
        return [whole]
    assert first is not None
    raise first


# --- the model's second pass ----------------------------------------------------------

_MODEL_PROMPT = """You read standing instructions for a household robot.
The home's time zone is {tz}; it is now {now} there.
Sentence: {sentence!r}
Return the instructions in it. kind is one of: recurring_chore, deadline_chore (the time is
when it must be done), check_in (a question the robot asks the person), preference, one_off.
rrule is an RFC 5545 rule in local wall time, e.g. "RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0";
a one-off is "DTSTART:YYYYMMDDTHHMMSS\\nRRULE:FREQ=DAILY;COUNT=1". If the sentence is
ambiguous (no clear time or frequency), return no instructions and a short question."""


def _model_pass(
    client: Any, sentence: str, *, now: datetime, tz: str, priority: int
) -> tuple[list[StandingInstruction], list[str]]:
    local = now.astimezone(load_zone(tz)).strftime("%A %Y-%m-%d %H:%M")
    prompt = _MODEL_PROMPT.format(tz=tz, now=local, sentence=sentence)
    try:
        reading = client.structured([{"role": "user", "content": prompt}], ModelReading)
    except Exception as exc:  # any provider or validation failure: ask the person instead
        log.info("model pass failed for %r: %s", sentence, exc)
        return [], [_not_understood(sentence)]
    out: list[StandingInstruction] = []
    for i, item in enumerate(reading.instructions):
        text = sentence if len(reading.instructions) == 1 else f"{sentence} [{i + 1}]"
        try:
            out.append(
                StandingInstruction(
                    id=instruction_id(text),
                    text=text,
                    kind=item.kind,
                    goal=item.goal,
                    rrule=item.rrule,
                    timezone=tz,
                    time_is_deadline=item.time_is_deadline
                    or item.kind is InstructionKind.DEADLINE_CHORE,
                    duration_s=(
                        item.duration_min * 60
                        if item.duration_min is not None
                        else estimate_duration_s(item.goal)
                    ),
                    priority=priority,
                    answers_to=item.answers_to,
                )
            )
        except (ValidationError, ValueError) as exc:
            log.info("model reading of %r is not valid: %s", sentence, exc)
            return [], [_not_understood(sentence)]
    questions = [f"{sentence!r}: {reading.question}"] if reading.question else []
    if not out and not questions:
        questions = [_not_understood(sentence)]
    return out, questions


def _not_understood(sentence: str, reason: str | None = None) -> str:
    why = f" ({reason})" if reason else ""
    return (
        f"I did not understand {sentence!r}{why}. What should I do, and when? For example "
        "'water the plants every day at 9am' or 'have dinner ready by 6pm every day'."
    )


# --- the paragraph --------------------------------------------------------------------


def parse_paragraph(
    text: str,
    *,
    now: datetime,
    tz: str,
    speaker: str = "owner",
    priority: int = 0,
    client: Any | None = None,
) -> ParseResult:
    """Read a paragraph of plain language into instructions, facts and questions.

    Args:
        text: What the person said (one or more sentences).
        now: The current time (aware; anchors one-offs and "every other" rules).
        tz: The home's IANA time zone.
        speaker: Who said it; the subject of routine and preference facts.
        priority: Priority of the instructions.
        client: Optional model client with ``structured(messages, schema)`` for sentences
            the offline reader cannot handle; without one they become questions.

    Returns:
        The instructions (in the order said), facts, and questions back to the person.

    Raises:
        ValueError: ``tz`` is not a known time zone, or ``now`` is naive.
    """
    load_zone(tz)
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: pass a timezone-aware time")
    result = ParseResult()
    seen: set[str] = set()
    for sentence in split_sentences(text):
        body = _strip_fillers(sentence)
        if question := vague_question(body):
            result.questions.append(f"{sentence!r}: {question}")
            continue
        try:
            facts = _routine_facts(body, now=now, tz=tz, speaker=speaker)
            if not facts:
                facts = _split_routine(body, now=now, tz=tz, speaker=speaker)
            facts = facts or _preference_facts(body, speaker=speaker, scheduled=False)
            if facts:
                result.facts.extend(facts)
                continue
            found = _chores(sentence, now=now, tz=tz, priority=priority)
        except AmbiguousInstructionError as exc:
            result.questions.append(f"{sentence!r}: {exc.question}")
            continue
        except InstructionParseError as exc:
            facts = _preference_facts(body, speaker=speaker, scheduled=True)
            if facts:
                result.facts.extend(facts)
                continue
            if client is None:
                log.info("cannot read %r offline: %s", sentence, exc.reason)
                result.questions.append(_not_understood(sentence, exc.reason))
                continue
            found, questions = _model_pass(client, sentence, now=now, tz=tz, priority=priority)
            result.questions.extend(questions)
        for instr in found:
            if instr.id not in seen:
                seen.add(instr.id)
                result.instructions.append(instr)
    return result


def remember_facts(
    symbolic: Any, facts: list[ParsedFact], *, told_by: str | None = None
) -> list[int]:
    """Store parsed facts with ``memory.SymbolicMemory.tell`` (idempotent).

    A routine fact's days are stored beside it as ``<predicate>_rrule`` (e.g.
    ``("owner", "wakes_at_rrule", "RRULE:FREQ=WEEKLY;BYDAY=MO,...")``).

    Args:
        symbolic: A ``memory.SymbolicMemory``.
        facts: From :func:`parse_paragraph`.
        told_by: Who said them.

    Returns:
        The ids of the stored facts.
    """
    ids: list[int] = []
    for fact in facts:
        ids.append(
            symbolic.tell(fact.subject, fact.predicate, fact.value, kind=fact.kind, told_by=told_by)
        )
        if fact.rrule:
            ids.append(
                symbolic.tell(
                    fact.subject,
                    f"{fact.predicate}_rrule",
                    fact.rrule,
                    kind=fact.kind,
                    told_by=told_by,
                )
            )
    return ids
