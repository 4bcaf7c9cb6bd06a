"""Reading a paragraph of plain language into standing instructions, facts and questions.

A person says how they want their home run in a few sentences::

    I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like
    to do my laundry on Saturday, so make sure that it's ready. By the way, check in with
    me every Monday to see what I want you to pick up when you do the shopping.

:func:`parse_paragraph` splits it into sentences and reads each one offline:

- a chore with a deadline ("have dinner made at 6 pm", "... so make sure it's ready",
  "make sure my gym clothes are washed by Sunday at noon every week"): the time is when it
  must be done (08:00 that day when no time is said); the chore starts its expected
  duration earlier;
- a habit ("I like to ...") without a frequency repeats every day, and "on Saturday"
  in a habit means every Saturday (in a command, "on Saturday" is the coming one);
- the person's routine ("I wake up and go to work at 7 am", "I get home around 6 on
  weekdays", "on weekends I get up at 9") becomes facts, never chores; going to work
  implies weekdays (Monday to Friday);
- a check-in ("check in with me every Monday to see what ...") is a question the robot asks
  on a schedule; answers about shopping go to the shopping list;
- a reminder ("remind me to take my pills at 9pm") is something the robot tells a person:
  its goal is "remind owner to take their pills", never a question;
- a constraint ("never run the dishwasher after 10:30 pm", "no vacuuming on Sundays") is a
  window the scheduler keeps chores out of;
- several chores in one sentence ("take out the trash every Wednesday at 9 pm, and the
  recycling every Thursday": the second borrows the verb and the time of day), several
  times a day ("at 7 am and 7 pm": every day);
- likes, dislikes and quiet hours become preference facts;
- what has two plausible readings ("sometimes", "every other" without a unit, a bare
  "at 8" with no hint of morning or evening) becomes a question back, not a guess.

Check-ins and reminders said without a time are at 18:30; when the paragraph (or the
``routine`` passed in) says the person is out then, they move to 30 minutes after the
person gets home, and the read-back says so.

Sentences the offline reader cannot handle go to an optional model client (anything with
``structured(messages, schema)``, e.g. ``agent.llm.ModelClient``) when one is given.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from housemind.scheduler._goals import (
    CHECK_IN_RE,
    DETERMINERS,
    READY_STATES,
    REMINDER_RE,
    STATE_WORDS,
    STATES,
    VERBS,
    check_in_goal,
    goal_for_object,
    goal_for_state,
    object_phrase,
    reminder_goal,
    starts_with_verb,
    swap_person,
    the,
    verb_phrase,
)
from housemind.scheduler._rrule import format_rrule, load_zone, split_rrule, split_rules
from housemind.scheduler._when import (
    ANY_CLAUSE,
    DEADLINE_TIME,
    DEFAULT_TIME,
    PERSON_TIME,
    TIME,
    clock_time,
    hint_for,
    normalise,
    read_schedule,
    split_schedule,
    split_times,
    vague_question,
)
from housemind.scheduler.constraints import is_days_lead, parse_constraint
from housemind.scheduler.durations import estimate_duration_s
from housemind.scheduler.errors import AmbiguousInstructionError, InstructionParseError
from housemind.scheduler.instructions import (
    AT_HOME,
    PERSON_KINDS,
    InstructionKind,
    StandingInstruction,
    instruction_id,
    parse_instruction,
)
from housemind.scheduler.routines import HouseholdRoutine

__all__ = [
    "DEFAULT_DEADLINE",
    "ModelInstruction",
    "ModelReading",
    "ParseResult",
    "ParsedFact",
    "parse_paragraph",
    "remember_facts",
    "split_sentences",
    "swap_person",
]

log = logging.getLogger(__name__)

#: A deadline chore with no time ("make sure the laundry is ready on Saturday") is due by
#: then: done before the day's morning, so the day is free.
DEFAULT_DEADLINE = f"{DEADLINE_TIME[0]:02d}:{DEADLINE_TIME[1]:02d}"
WEEKDAYS = "MO,TU,WE,TH,FR"
#: A check-in or a reminder is a short conversation, whatever it is about.
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
    """What a paragraph said: instructions to store, facts to remember, questions to ask.

    ``notes`` say what the reader decided for the person ("I'll ask at 19:30, after you get
    home"), for the read-back.
    """

    instructions: list[StandingInstruction] = Field(default_factory=list)
    facts: list[ParsedFact] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


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
    window: str | None = Field(
        default=None, description="constraints only: e.g. '* 22:30-07:00' or 'SU 00:00-24:00'"
    )


class ModelReading(BaseModel):
    """The model's reading of one sentence: instructions, or a question back."""

    instructions: list[ModelInstruction] = Field(default_factory=list)
    question: str | None = None


# --- sentences ------------------------------------------------------------------------

_FILLER_RE = re.compile(
    r"^(?:by the way|btw|also|and|oh|ok(?:ay)?|so|plus|finally|lastly|then|one more thing"
    r"|and also|please|pls|plz|hey|oh and)\b[\s,:;-]*",
    re.IGNORECASE,
)
_TRAILING_FILLER_RE = re.compile(
    r"[\s,]+(?:please|pls|plz|thanks|thank you|if you can|if possible)[\s.!]*$", re.IGNORECASE
)
_ASK_RE = re.compile(
    r"^(?:(?:can|could|would|will) you (?:please )?"
    r"|(?:i(?:'d| would)?|we(?:'d| would)?) (?:like|want|need) you to "
    r"|i want you to |i need you to |make sure (?:to|you) |remember to "
    r"|don'?t forget to |please )",
    re.IGNORECASE,
)
_HABIT_RE = re.compile(
    r"^(?:i|we) (?:(?:really |usually |always |normally |generally )?(?:like|love|prefer)"
    r"(?: to)?|usually|always|normally|generally)\s+",
    re.IGNORECASE,
)
# "I want the kitchen clean by 9", "I need my shirts ironed by Monday": a command.
_WANT_RE = re.compile(
    r"^(?:i|we)(?:\s+(?:want|need|would\s+like)|'d\s+like)\s+(?!you\b|to\b)", re.IGNORECASE
)
_MEAL_RE = re.compile(
    r"^(?:the\s+|a\s+)?(?:dinner|supper|lunch|breakfast|brunch|coffee|tea)$", re.IGNORECASE
)
_MAKE_SURE_RE = re.compile(
    r"[,;]?\s*(?:so|and)?\s*(?:please\s+)?make\s+sure\s+(?:that\s+)?"
    r"(?:it(?:'s| is)|they(?:'re| are)|that(?:'s| is)|(?P<obj>(?:the|my|our)\s+[\w' ]+?)\s+"
    rf"(?:is|are|gets?|has been|have been))\s+(?P<state>{STATE_WORDS})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_SO_READY_RE = re.compile(
    r"[,;]?\s*so\s+(?:that\s+)?(?:it(?:'s|\s+is|'ll\s+be|\s+will\s+be)|they(?:'re|\s+are"
    rf"|'ll\s+be|\s+will\s+be))\s+(?P<state>{STATE_WORDS})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# Where people go out to regularly ("I go to the gym at 6", "while I'm at the gym").
_OUTINGS = (
    r"(?:the\s+|my\s+)?(?:gym|pool|yoga|pilates|class|classes|church|choir|practice|training"
    r"|club|shops|store|market|supermarket)"
)
_WHILE_OUT_RE = re.compile(
    r"[,;]?\s*\b(?:while|when|whilst)\s+(?:i'?m|i\s+am|we'?re|we\s+are|i'?ve|we'?ve)\s+"
    r"(?:out(?:\s+of\s+the\s+house)?|away|at\s+work|gone|left|not\s+(?:at\s+)?home|not\s+in"
    rf"|not\s+here|out\s+at\s+work|at\s+{_OUTINGS}|out\s+(?:running|jogging|shopping))\b",
    re.IGNORECASE,
)
_LEADING_DAYS_WISH_RE = re.compile(
    r"^(?P<lead>(?:on\s+|every\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekdays"
    r"|weekends)(?:\s*(?:,|and)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?))*)\s*,?\s+"
    r"(?P<rest>(?:i|we)(?:'d|\s+would|\s+want|\s+need|\s+like|\s+love|\s+prefer)\b.*)$",
    re.IGNORECASE,
)
_FOR_ME_RE = re.compile(
    r"\b(make|cook|fix|prepare|get|bring|brew|pour)\s+(?:me|us)\s+(?=(?:a|an|some|the|my|our)?\s*"
    r"(?:dinner|supper|lunch|breakfast|brunch|coffee|tea|cup|snack|sandwich)\b)",
    re.IGNORECASE,
)
_HAVE_READY_RE = re.compile(
    rf"^(?:have|get)\s+(?P<obj>.+?)\s+(?P<state>{STATE_WORDS})\b\s*(?:for\s+(?=\S))?",
    re.IGNORECASE,
)
_GOAL_STATE_RE = re.compile(
    r"^(?P<obj>.+?)\s+(?P<be>(?:should|must|will|needs?\s+to|has\s+to|have\s+to)\s+be\s+"
    rf"|(?:is|are)\s+)?(?P<state>{STATE_WORDS})$",
    re.IGNORECASE,
)
# A goal is said as a command ("water the ferns"); these openings are descriptions.
_NOT_A_GOAL_RE = re.compile(
    r"^(?:the|a|an|are|is|it|its|it's|they|they're|this|that|there|these|those|he|she|we|i)\b",
    re.IGNORECASE,
)
_SCHEDULE_WORDS_RE = re.compile(rf"(?:^|\s)(?:{ANY_CLAUSE})(?=\s|$|,)", re.IGNORECASE)
_SEP_RE = re.compile(
    r"\s*(?:,\s*(?:and\s+then|and\s+also|and|then|also|plus)?\s+|;\s*"
    r"|\s+(?:and\s+then|and\s+also|and|then|also|plus)\s+)",
    re.IGNORECASE,
)
_SPLIT_AND_RE = re.compile(r",?\s+(?:and then|and also|and|then|also|plus)\s+", re.IGNORECASE)
# "I go to the gym at 6pm on Mondays, back by 7:30": the way back, said short.
_SPLIT_BACK_RE = re.compile(r"\s*,\s*(?:and\s+)?(?=(?:back|home)\b)", re.IGNORECASE)
# "I'm up at 6:30, out the door by 7:15": routine parts after a bare comma.
_SPLIT_COMMA_RE = re.compile(r"\s*,\s*(?!and\b|then\b)", re.IGNORECASE)
_DAY_KINDS = frozenset(
    {"every", "on_days", "adverb", "nth_day", "month_day", "last_day", "on_the", "date",
     "next_day", "one_day", "by_day", "times_a_day", "parts"}
)  # fmt: skip
_TIME_KINDS = frozenset({"at", "by", "part_of_day", "bare_at", "meal_time"})


def _normalise_sentence(text: str) -> str:
    # chat spelling of a request: "could u", "can u pls"
    text = re.sub(r"\b(can|could|would|will)\s+u\b", r"\1 you", text, flags=re.IGNORECASE)
    # "6 p.m. I wake" ends a sentence; "6 p.m. every day" does not.
    text = re.sub(r"\b([aApP])\.\s?[mM]\.(?=\s+[A-Z]|\s*$)", r"\1m.", text)
    text = re.sub(r"\b([ap])\.\s?m\.?(?=\W|$)", r"\1m", text, flags=re.IGNORECASE)
    text = text.replace("\u2019", "'")
    return re.sub(r"[ \t]+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (after "a.m."/"p.m." became "am"/"pm")."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", _normalise_sentence(text))
    return [p.strip().rstrip(".!?;").strip() for p in parts if p.strip().rstrip(".!?;").strip()]


# "Feed the cat at 7 and don't run the washer after 10pm": a constraint said after a chore.
_CONSTRAINT_TAIL_RE = re.compile(
    r"\s*(?:,\s*(?:and|but)?|\s(?:and|but))\s+(?=(?:please\s+)?(?:never|don'?t|do\s+not)\s)",
    re.IGNORECASE,
)


def _constraint_tails(sentence: str) -> list[str]:
    """``sentence`` with a trailing constraint clause split off ("..., and never ...").

    The split is made only where the words after it read as a constraint on their own
    (:func:`~scheduler.constraints.parse_constraint`), so "... and don't forget the fern"
    stays one sentence.
    """
    # The last clause first: "..., don't run the dryer after 10 pm and never vacuum
    # before 8 am" is two constraints, not one with two windows.
    for m in reversed(list(_CONSTRAINT_TAIL_RE.finditer(sentence))):
        head, tail = sentence[: m.start()].strip(" ,"), sentence[m.end() :].strip()
        if head and not is_days_lead(head) and parse_constraint(_strip_fillers(tail)):
            return [*_constraint_tails(head), tail]
    return [sentence]


# "run the dishwasher every night but never after 11pm": the activity is the chore's.
_ELLIPTIC_CONSTRAINT_RE = re.compile(
    r"^(?:please\s+)?(?:never|not|don'?t|do\s+not)\s+(?:(?:do|run)\s+it\s+)?"
    r"(?P<when>(?:after|before|between|past|later\s+than|earlier\s+than|at\s+night|overnight"
    r"|on|while|when)\b.*)$",
    re.IGNORECASE,
)
# "tidy the kids' room every day before 8pm, they go to bed at 8": a remark after a chore.
_REMARK_TAIL_RE = re.compile(
    r",\s*(?:(?:and|but|as|because|since|cause|cos)\s+)?"
    r"(?=(?:(?:on|at|during)\s+(?:the\s+)?(?:weekends?|weekdays|\w+days)\s*,?\s+)?"
    r"(?:they|he|she|we|i|it)(?:'\w+)?\s)",
    re.IGNORECASE,
)


def _split_tail(
    sentence: str, *, now: datetime, tz: str, priority: int, speaker: str
) -> list[str] | None:
    """A chore with something else said after it, as two sentences; None when not so.

    Two shapes: a constraint whose activity is the chore's ("run the dishwasher every
    night but never after 11pm" -> "never run the dishwasher after 11pm"), and a remark
    of its own ("..., they go to bed at 8"), read as a sentence of its own (a routine,
    a chore, or a question back). The chore must read on its own first, and a sentence
    that reads whole as a routine ("I do the school run at 8:15 and I'm back around 9")
    is not split.
    """
    with contextlib.suppress(InstructionParseError):
        if _routines(_strip_fillers(sentence), now=now, tz=tz, speaker=speaker):
            return None
    for m in _CONSTRAINT_TAIL_RE.finditer(sentence):
        tail = _ELLIPTIC_CONSTRAINT_RE.match(sentence[m.end() :].strip())
        head = sentence[: m.start()].strip(" ,")
        if tail is None or not head:
            continue
        try:
            found = _chores(head, now=now, tz=tz, priority=priority, speaker=speaker)
        except InstructionParseError:  # AmbiguousInstructionError too
            continue
        goals = {i.goal for i, _ in found}
        if len(goals) == 1:
            full = f"never {goals.pop()} {tail.group('when')}"
            if parse_constraint(full) is not None:
                return [head, full]
    for m in _REMARK_TAIL_RE.finditer(sentence):
        head, tail = sentence[: m.start()].strip(), sentence[m.end() :].strip()
        if not head or not tail:
            continue
        try:
            _chores(head, now=now, tz=tz, priority=priority, speaker=speaker)
        except InstructionParseError:
            continue
        return [head, tail]
    return None


# Qualifiers the schedule cannot follow yet: what they are, for the note to the person.
_UNFOLLOWED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*,?\s*(?:but\s+)?(?:not|except)\s+(?:on\s+)?(?:the\s+)?(?:bank|public)"
                r"\s+holidays?\b", re.I), "bank holidays"),
    (re.compile(r"\s*,?\s*(?:but\s+)?(?:not|except)\s+(?:in|during)\s+(?:the\s+)?"
                r"(?:school\s+)?holidays\b", re.I), "holidays"),
    (re.compile(r"\s+(?:in|during|over)\s+(?:the\s+)?(?:summer|winter|spring|autumn|fall)"
                r"(?:time|s)?\b", re.I), "the seasons"),
    (re.compile(r"\s+(?:in|during)\s+(?:the\s+)?school\s+holidays\b", re.I), "school holidays"),
    (re.compile(r"\s*,?\s*(?:unless|except\s+(?:if|when)|but\s+not\s+(?:if|when))\s+it(?:'s|'s"
                r"|\s+is|\s+has|\s+was)?\s*(?:been\s+)?(?:rained|rains|raining|rainy|wet|snowing"
                r"|snowed|forecast\s+to\s+rain|going\s+to\s+rain)\b(?:\s+(?:today|that\s+day|"
                r"overnight))?", re.I), "the weather"),
    (re.compile(r"\s+(?:at|around|by)\s+(?:sunset|sunrise|dusk|dawn|nightfall|first\s+light)\b",
                re.I), "sunrise and sunset times"),
    (re.compile(r"\s*,?\s*(?:but\s+)?(?:only\s+(?:if|when)\s+[^,.;]+|if\s+(?:it\s+needs\s+it"
                r"|needed|necessary|it'?s\s+full|they\s+need\s+it))", re.I),
     "how full or dirty things are before the run"),
)  # fmt: skip


# "Morning routine: coffee at 6:45, then open the blinds at 7": a part of the day as a header
_HEADER_RE = re.compile(
    r"^(?P<part>mornings?|evenings?|nights?|weekdays?|weekends?|(?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)days?)(?:\s+routine)?\s*:\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)


def _unfollowed(sentence: str) -> tuple[str, list[str]]:
    """``sentence`` without qualifiers the schedule cannot follow, and a note for each."""
    notes = []
    for pattern, what in _UNFOLLOWED:
        m = pattern.search(sentence)
        if m is not None:
            said = m.group(0).strip(" ,")
            sentence = (sentence[: m.start()] + sentence[m.end() :]).strip()
            notes.append(
                f"I can't follow '{said}' yet (I don't know {what}): the chore runs on every "
                "day its schedule names; pause it with 'housemind instructions pause ID' when "
                "it should not run."
            )
    return sentence, notes


# "Hi!", "Thanks!": said to be friendly, nothing to do or ask about.
_PLEASANTRY_RE = re.compile(
    r"^(?:(?:oh\s+)?(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening)|thanks"
    r"|thank\s+you|thx|ty|ta|cheers|ok|okay|great|cool|bye|goodbye|so|right|a\s+few\s+things"
    r"|a\s+couple\s+(?:of\s+)?things|some\s+things|quick\s+one|one\s+more\s+thing)"
    r"(?:\s+(?:so\s+much|a\s+lot|very\s+much|robot|there|buddy|mate|housemind|everyone|all))*"
    r"\s*[!.,:;)-]*\s*)+$",
    re.IGNORECASE,
)
# "The dog needs feeding at 7": what needs doing to what.
_NEEDS_DOING_RE = re.compile(
    r"^(?P<det>the|my|our|his|her|their)\s+(?P<thing>[a-z][a-z' ]*?)\s+needs?\s+"
    r"(?:(?:to\s+be\s+)?(?P<done>[a-z]+ed)|(?P<doing>[a-z]+ing))\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_KEEPS_E = ("mak", "tak", "bak", "stor", "rins", "wip", "sav", "chang", "serv", "lov", "us",
            "prepar", "polish", "tidi")  # fmt: skip


def _verb_of(form: str) -> str:
    """The plain verb of an -ing or -ed form: feeding -> feed, mopped -> mop, made -> make."""
    stem = form[:-3] if form.endswith("ing") else form[:-2]
    if form.endswith("ied"):
        return stem[:-1] + "y"  # emptied -> empty
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
        stem = stem[:-1]  # mopping -> mop (but not "filling")
    if stem in _KEEPS_E:
        stem += "e"
    return stem


def _verb_for(form: str) -> str:
    """The verb of a finished state or -ing form: the chore words' (:data:`STATES`) first."""
    return STATES.get(form) or {"made": "make", "done": "do"}.get(form) or _verb_of(form)


_GOES_OUT_RE = re.compile(
    r"^(?:the|my|our)\s+(?P<thing>[a-z][a-z' ]*?)\s+(?:goes|go|needs?\s+to\s+go|has\s+to\s+go"
    r"|have\s+to\s+go|should\s+go|must\s+go)\s+out\b(?P<rest>.*)$",
    re.IGNORECASE,
)


_NEEDS_IT_DONE_RE = re.compile(
    r"^(?:the|my|our)\s+[a-z]+\s+needs?\s+(?P<obj>(?:his|her|their|the|my|our)\s+[a-z' ]+?)\s+"
    r"(?P<state>[a-z]+ed|made|done|set|swept|fed|hung\s+up|put\s+away)\b(?P<rest>.*)$",
    re.IGNORECASE,
)


_PET_EATS_RE = re.compile(
    r"^(?:the|my|our)\s+(?P<pet>cats?|dogs?|kittens?|pupp(?:y|ies)|fish|rabbits?|hamsters?"
    r"|guinea\s+pigs?|parrots?|birds?|pets?)\s+(?:eats?|(?:has|have)\s+(?:its|his|her|their)"
    r"\s+(?:food|meals?|dinner|breakfast))\b(?P<rest>.*)$",
    re.IGNORECASE,
)


# "make sure there's always milk in the fridge": a standing check (what is missing is shopped)
_ALWAYS_IN_RE = re.compile(
    r"^(?:(?:could|can|would)\s+you\s+|please\s+|pls\s+)?(?:make\s+sure|ensure|see\s+that|"
    r"check\s+that)\s+(?:(?:there'?s|there\s+is|there\s+are|we\s+have|we'?ve\s+got|i\s+have|"
    r"i'?ve\s+got)\s+always|(?:we|i)\s+always\s+(?:have|got))\s+(?:some\s+|enough\s+)?"
    r"(?P<what>[a-z][a-z ]*?)\s+"
    r"in\s+the\s+(?P<where>[a-z][a-z ]*?)(?P<rest>(?:\s+(?:every|each|on|at|by|in)\b.*)?)[?.!]*$",
    re.IGNORECASE,
)


def _needs_doing(sentence: str) -> str:
    """What needs doing, as a chore: "The dog needs feeding at 7" -> "feed the dog at 7".

    Also "the recycling goes out on Tuesday nights" -> "take out the recycling on ...", and
    "make sure there's always milk in the fridge" -> "check the fridge for milk every day"
    (a check puts what is missing on the shopping list).
    """
    m = _ALWAYS_IN_RE.match(sentence)
    if m is not None:
        rest = m.group("rest").strip() or "every day"
        return f"check the {m.group('where').strip()} for {m.group('what').strip()} {rest}"
    m = _GOES_OUT_RE.match(sentence)
    if m is not None:
        # A habit, said in the present: "the bins go out Thursday night" is every Thursday.
        rest = re.sub(
            r"^\s*,?\s*(?:on\s+)?(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\b",
            r" every \g<day>",
            m.group("rest"),
            flags=re.IGNORECASE,
        )
        return f"take out the {m.group('thing').strip()}{rest}"
    m = _PET_EATS_RE.match(sentence)
    if m is not None:  # "the cat eats twice a day, 8am and 6pm" -> "feed the cat ..."
        return f"feed the {m.group('pet')}{m.group('rest')}"
    m = _NEEDS_IT_DONE_RE.match(sentence)
    if m is not None:  # "my son needs his lunchbox packed at 7:30" -> "pack his lunchbox ..."
        verb = _verb_for(" ".join(m.group("state").lower().split()))
        return f"{verb} {m.group('obj').strip()}{m.group('rest')}"
    m = _NEEDS_DOING_RE.match(sentence)
    if m is None:
        return sentence
    thing = m.group("thing").strip()
    verb = _verb_for((m.group("doing") or m.group("done")).lower())
    if verb == "do":  # "the dishes need doing": the chore that thing means
        chore = goal_for_object(f"the {thing}")
        if not chore.startswith("get "):
            return f"{chore}{m.group('rest')}"
    return f"{verb} the {thing}{m.group('rest')}"


# "My daughter visits on Sundays": someone else's habit, no chore.
_ABOUT_SOMEONE_RE = re.compile(
    r"^(?:my|our)\s+(?:\w+\s+)?(?P<who>daughter|son|husband|wife|partner|mum|mom|mother|dad"
    r"|father|parents|kids|children|boss|cleaner|nanny|sister|brother|friend|friends|neighbour"
    r"|neighbor|neighbours|neighbors|grandma|grandpa|granny|grandad|in-laws|girlfriend"
    r"|boyfriend|family|guests?|carer|babysitter)\s+(?!needs?\b|wants?\b|likes?\b)"
    r"(?:usually\s+|always\s+|often\s+|normally\s+)?(?P<verb>[a-z]+s|come|visit|arrive|leave"
    r"|go|are|is)\b",
    re.IGNORECASE,
)
# "My daughter comes on Saturdays around 11, so have the living room tidy by then"
_SO_REQUEST_RE = re.compile(
    r",?\s+so\s+(?=(?:please\s+|pls\s+)?(?:have|make|get|tidy|clean|prepare|cook|set|put|do"
    r"|bake|hoover|vacuum|change|make\s+sure)\b)",
    re.IGNORECASE,
)
_THEN_RE = re.compile(r"\b(?:by|before|for)\s+(?:then|that\s+time|that)\b", re.IGNORECASE)


def _by_then(habit: str, request: str) -> str:
    """The request, with "by then" said as the habit's time and days.

    "My daughter comes on Saturdays around 11" + "have the living room tidy by then" is
    "have the living room tidy by 11 on saturdays". A request with its own schedule, or
    without "then", is left as it is.
    """
    m = _THEN_RE.search(request)
    if m is None:
        return request
    _, clauses = split_schedule(normalise(f"x {_strip_fillers(habit)}"))
    at = next((raw for kind, raw in clauses if kind == "at"), None)
    if at is None:
        return request
    days = " ".join(raw for kind, raw in clauses if kind in _DAY_KINDS)
    when = f"by {at.split(None, 1)[1]}{' ' + days if days else ''}"
    return f"{request[: m.start()]}{when}{request[m.end() :]}"


# "I have lunch at 12:30, so have it ready by then": the routine, and the chore it asks.
_MEAL_SO_RE = re.compile(
    rf"^(?P<routine>(?:i|we)\s+(?:usually\s+|always\s+|normally\s+)?(?:have|eat)\s+"
    rf"(?P<meal>breakfast|brunch|lunch|dinner|supper|tea)\s+(?:at|around|about)\s+"
    rf"(?P<time>{TIME})(?P<days>(?:\s+(?:on|every)\s+[a-z, ]+?)?))\s*,?\s*(?:so|and)\s+"
    rf"(?:please\s+|pls\s+)?(?:have|get|make)\s+(?:it|(?P=meal))\s+(?:ready|done|made)"
    rf"(?:\s+(?:by\s+then|for\s+then|in\s+time))?$",
    re.IGNORECASE,
)


def _meal_so(sentence: str) -> list[str] | None:
    """The routine and the chore: "I have lunch at 12:30, so have it ready by then"."""
    m = _MEAL_SO_RE.match(normalise(sentence.strip().rstrip(".!")))
    if m is None:
        return None
    days = m.group("days").strip()
    chore = f"have {m.group('meal')} ready by {m.group('time')} {days or 'every day'}"
    return [m.group("routine").strip(), chore.strip()]


# "after I leave for work", "before I get home", "as soon as I wake up": a time from the
# person's routine. (predicate, minutes after it, "by" for a deadline, words for a question)
_RELATIVE: tuple[tuple[str, str, int, bool, str], ...] = (
    (r"(?:after|once|when|as\s+soon\s+as)\s+(?:i|we)(?:'ve)?\s+(?:leave|left|go|gone|head\s+off)"
     r"\s+(?:for|to)\s+work", "leaves_for_work_at", 15, False, "leave for work"),
    (r"(?:after|once|when|as\s+soon\s+as)\s+(?:i|we)(?:'ve)?\s+(?:leave|left)\s+(?:the\s+house"
     r"|home)", "leaves_home_at", 15, False, "leave the house"),
    (r"before\s+(?:i|we)\s+(?:get|come)\s+(?:back\s+)?home|before\s+(?:i|we)\s+get\s+back",
     "gets_home_at", 0, True, "get home"),
    (r"(?:when|once|as\s+soon\s+as|after)\s+(?:i|we)(?:'ve)?\s+(?:get|got|come|come\s+back)"
     r"\s+home|(?:when|once|as\s+soon\s+as)\s+(?:i|we)\s+get\s+back", "gets_home_at", 0, False,
     "get home"),
    (r"(?:when|once|as\s+soon\s+as)\s+(?:i|we)\s+(?:wake\s+up|get\s+up|wake)", "wakes_at", 0,
     False, "wake up"),
    (r"before\s+(?:i|we)\s+(?:wake\s+up|get\s+up|wake)", "wakes_at", 0, True, "wake up"),
)  # fmt: skip
_WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _routine_time(sentence: str, routine: HouseholdRoutine, person: str) -> tuple[str, str | None]:
    """``sentence`` with a routine-relative time said as a clock time, or a question.

    "vacuum every Monday after I leave for work" with "I leave for work at 8" known becomes
    "vacuum every Monday at 08:15"; without its days the routine's days are used ("make
    the bed after I leave for work": on the work days). When the routine is not known, or
    its time differs from day to day, the question asks for the time.

    Args:
        sentence: One sentence.
        routine: The household's routine (said in the paragraph or known before).
        person: Whose routine the words are ("I").

    Returns:
        The sentence (rewritten or not) and a question, or None.
    """
    for pattern, predicate, minutes, by, words in _RELATIVE:
        m = re.search(rf"\b(?:{pattern})\b", sentence, re.IGNORECASE)
        if m is None:
            continue
        times = routine.times(person, predicate)
        if not times:
            return sentence, (
                f"when do you {words}? Tell me, e.g. 'I {words} at 8 on weekdays', and say "
                "this again"
            )
        if len(set(times.values())) > 1:
            return sentence, (
                f"you {words} at different times on different days; say the time instead, "
                "e.g. 'at 7 on weekdays and 9 at weekends'"
            )
        hour, minute = (int(x) for x in next(iter(times.values())).split(":"))
        total = hour * 60 + minute + (-minutes if by else minutes)
        at = f"{'by' if by else 'at'} {total // 60 % 24:02d}:{total % 60:02d}"
        text = f"{sentence[: m.start()].rstrip(' ,')} {at} {sentence[m.end() :].lstrip(' ,')}"
        _, clauses = split_schedule(f"x {sentence}")
        days = _days_clause(",".join(_WEEK[d] for d in times)) if len(times) < 7 else []
        if days and not any(k in _DAY_KINDS for k, _ in clauses):
            text += f" {days[0][1]}"  # the routine's days ("on weekdays")
        elif not clauses:
            text += " every day"
        return " ".join(text.split()), None
    return sentence, None


# "make me a coffee before I leave at 7:45": the routine's time said with it.
_INLINE_ROUTINE_RE = re.compile(
    r"\b(?P<rel>before|by\s+the\s+time|after|once|when|as\s+soon\s+as)\s+(?:i|we)(?:'ve)?\s+"
    r"(?:leave|go|head\s+off|get\s+home|get\s+back|come\s+home|wake\s+up|get\s+up|wake)"
    r"(?:\s+(?:for|to)\s+work|\s+the\s+house|\s+home|\s+out)?\s*,?\s+(?:at|around|about)\s+"
    rf"(?P<time>{TIME})",
    re.IGNORECASE,
)


def _inline_routine_time(sentence: str) -> str:
    """A routine time said with its clock time, as the clock time alone.

    "... before I leave at 7:45" is "... by 7:45"; "... when I get home at 6" is "at 6".
    """
    m = _INLINE_ROUTINE_RE.search(sentence)
    if m is None:
        return sentence
    rel = m.group("rel").lower()
    at = "by" if rel.startswith(("before", "by")) else "at"
    return f"{sentence[: m.start()]}{at} {m.group('time')}{sentence[m.end() :]}"


def _while_out_time(
    sentence: str, routine: HouseholdRoutine, person: str
) -> tuple[str, str | None]:
    """A chore for "while I'm out" said without a time: 15 minutes after they leave.

    "Vacuum the hallway while I'm out" with "I leave for work at 8 on weekdays" known
    becomes "... while I'm out at 08:15 on weekdays" (the words "while I'm out" stay: the
    chore's runs keep out of the hours they are home). "at work" reads the work routine
    first, any other outing the leaving-the-house one first. With no leaving time known,
    or one that differs by day, the question asks.
    """
    m = _WHILE_OUT_RE.search(sentence)
    if m is None:
        return sentence, None
    _, clauses = split_schedule(normalise(f"x {sentence[: m.start()]} {sentence[m.end() :]}"))
    if clauses:
        return sentence, None  # it says when ("every Wednesday while I'm out")
    work = ("leaves_for_work_at", "leaves_home_at")
    order = work if re.search(r"\bwork\b", m.group(0), re.I) else work[::-1]
    times: dict[int, str] = {}
    for predicate in order:
        times = routine.times(person, predicate)
        if times:
            break
    if not times:
        return sentence, (
            "when are you out? Tell me, e.g. 'I leave for work at 8 on weekdays', and say "
            "this again, or say when to do it"
        )
    if len(set(times.values())) > 1:
        return sentence, (
            "you go out at different times on different days; say when to do it, e.g. "
            "'every Wednesday at 10 while I'm out'"
        )
    hour, minute = (int(x) for x in next(iter(times.values())).split(":"))
    total = hour * 60 + minute + 15
    days = _days_clause(",".join(_WEEK[d] for d in times)) if len(times) < 7 else []
    when = days[0][1] if days else "every day"
    return f"{sentence.rstrip(' .')} at {total // 60 % 24:02d}:{total % 60:02d} {when}", None


# "Dinner at 6:30 please, every day": a polite word inside the sentence.
_INNER_PLEASE_RE = re.compile(r"(?<=\w)\s*,?\s+(?:please|pls|plz)\s*(?:,\s*|(?=\s))", re.I)
# "do the dishes after dinner every day, say 8pm": "say" offers the time.
_SAY_TIME_RE = re.compile(rf",?\s+(?:let'?s\s+say|say)\s+(?=(?:around\s+|about\s+)?{TIME}\b)",
                          re.IGNORECASE)  # fmt: skip


def _strip_fillers(sentence: str) -> str:
    prev = None
    while prev != sentence:
        prev = sentence
        sentence = _FILLER_RE.sub("", sentence).strip()
        sentence = _TRAILING_FILLER_RE.sub("", sentence).strip()
        sentence = _INNER_PLEASE_RE.sub(" ", sentence).strip()
        sentence = _SAY_TIME_RE.sub(" at ", sentence)
        sentence = re.sub(r"\b(at|by)\s+(?:around|about|roughly)\s+", r"\1 ", sentence, flags=re.I)
        # "every evening around 9pm": at 9pm ("by about 7" stays a deadline)
        sentence = re.sub(
            rf"(?<!\bby )(?<!\bat )\b(?:around|about|roughly|approximately|approx)\s+(?={TIME}\b)",
            "at ",
            sentence,
            flags=re.I,
        )
    return sentence


# --- routines and preferences ---------------------------------------------------------

# The person's routine: verb phrase -> predicate (value: the time, HH:MM).
_ROUTINE: tuple[tuple[str, str], ...] = (
    (r"wake up|wake|get up|am up|get out of bed", "wakes_at"),
    (
        r"go to work|leave for work|head (?:off )?to work|go to the office|leave for the office"
        r"|set off for work|start work|start working|go off to work|commute to work",
        "leaves_for_work_at",
    ),
    (
        rf"leave the house|leave home|go out|head out|leave|go to {_OUTINGS}|head to {_OUTINGS}"
        r"|do the school run|take the kids to school|drop the kids (?:off )?at school"
        r"|am out the door|am out of the (?:door|house)|get out the door|head out the door"
        r"|walk the kids to school|go to the shops|go to church"
        r"|go (?:running|jogging|swimming|cycling|shopping)|go for (?:a )?(?:run|jog|swim|ride)",
        "leaves_home_at",
    ),
    (
        r"get home|come home|come back|get back|get back home|return home|am home|am back"
        r"|get in|come back from work|get home from work|get back from work|return from work"
        r"|finish work|am back home|arrive home|get off work|am back from work"
        rf"|(?:get|come) (?:back|home) from (?:{_OUTINGS}|(?:my |a |the )?(?:run|jog|swim|ride))",
        "gets_home_at",
    ),
    (r"go to bed|go to sleep|turn in|sleep|head to bed|am in bed|hit the sack", "goes_to_bed_at"),
    (r"have breakfast|eat breakfast", "has_breakfast_at"),
    (r"have lunch|eat lunch", "has_lunch_at"),
    (r"have dinner|eat dinner|eat|have supper|eat supper", "has_dinner_at"),
)
_AM_ROUTINE = {"wakes_at", "leaves_for_work_at", "has_breakfast_at", "leaves_home_at"}
_PM_ROUTINE = {"gets_home_at", "goes_to_bed_at", "has_dinner_at"}
_ADVERB_RE = re.compile(
    r"\b(?:usually|normally|always|generally|typically|mostly|often|tend to|late|early|both"
    r"|pretty much|more or less)\s+",
    re.IGNORECASE,
)
# Third person to first: "my husband gets home at 7" is read as "I get home at 7" for him.
_THIRD_PERSON = {
    "gets": "get", "wakes": "wake", "goes": "go", "leaves": "leave", "comes": "come",
    "has": "have", "starts": "start", "finishes": "finish", "returns": "return",
    "eats": "eat", "is": "am", "heads": "head", "sets": "set", "arrives": "arrive",
    "turns": "turn", "hits": "hit", "sleeps": "sleep",
}  # fmt: skip
_OTHER_RE = re.compile(
    r"^(?P<who>(?:[Mm]y|[Oo]ur)\s+[a-z]+|[A-Z][a-z]+)\s+(?P<verb>[a-z]+)\b(?P<rest>.*)$"
)
_ROUTINE_RE = re.compile(
    r"^(?:i|we) (?P<verbs>.+?)\s+"
    rf"(?:at|around|by|about|at around|at about|until|till|before)\s+(?P<time>{TIME})"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_LEADING_DAYS_RE = re.compile(
    r"^(?P<lead>(?:on\s+|every\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekdays"
    r"|weekends)(?:\s*(?:,|and)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?))*)\s*,?\s+"
    r"(?P<rest>(?:i|we)\s+.*)$",
    re.IGNORECASE,
)
_QUIET_RE = re.compile(
    rf"quiet\s+hours?\s*(?:are|is|:)?\s*(?:from|between)?\s*(?P<start>{TIME})\s*"
    rf"(?:to|-|–|until|till|and)\s*(?P<end>{TIME})",
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


def _routine_text(sentence: str) -> str:
    """Routine words in one order ("on weekends I'm up at 9": "I am up at 9 on weekends")."""
    text = re.sub(r"^(?:so\s+|and\s+|ok\s+)?im\b", "I am", sentence.strip(), flags=re.I)
    text = re.sub(r"\b(i|we)'(m|re)\b", lambda m: f"{m.group(1)} am", text, flags=re.I)
    text = re.sub(r"\b(i|we)'ll\s+be\b", lambda m: f"{m.group(1)} am", text, flags=re.I)
    text = re.sub(r"\b(i|we)\s+will\s+be\b", lambda m: f"{m.group(1)} am", text, flags=re.I)
    text = re.sub(r"^we are\b", "we am", text, flags=re.IGNORECASE)
    text = _ADVERB_RE.sub("", text)
    # "we sleep in till 9": up at 9
    text = re.sub(r"\b(sleep|lie)\s+in\s+(?:till|until|to|'til)\b", "get up at", text, flags=re.I)
    # "I work from 9 to 5": out from the start of work until it ends
    text = re.sub(
        rf"^(i|we)\s+work\s+(?:from\s+)?(?P<a>{TIME})\s*(?:to|till|until|-|–)\s*(?P<b>{TIME})",
        lambda m: f"{m.group(1)} start work at {m.group('a')} and finish work at {m.group('b')}",
        text,
        flags=re.IGNORECASE,
    )
    m = _LEADING_DAYS_RE.match(text)
    if m is not None:
        text = f"{m.group('rest')} {m.group('lead')}"
    # "I go to bed on Fridays, around 1am" -> "I go to bed around 1am on Fridays"
    m = re.match(
        r"^(?P<head>(?:i|we)\s+[a-z' ]+?)\s+(?P<days>(?:on|every)\s+[a-z, ]+?|on weekdays"
        r"|on weekends|during the week)\s*,?\s+(?P<rest>(?:at|around|about|by)\s+.*)$",
        text,
        re.IGNORECASE,
    )
    if m is not None and split_schedule(f"x {m.group('days')}")[0] == "x":
        text = f"{m.group('head')} {m.group('rest')} {m.group('days')}"
    return normalise(text)


def _subject(sentence: str, speaker: str) -> tuple[str, str]:
    """Who a routine sentence is about, and the sentence as if they said it.

    "My husband gets home at 7" -> ("husband", "I get home at 7").
    """
    m = _OTHER_RE.match(sentence.strip())
    if m is None or m.group("verb") not in _THIRD_PERSON:
        return speaker, sentence
    who = m.group("who")
    if who.lower().startswith(("my ", "our ")):
        who = who.split(" ", 1)[1].lower()
    return who, f"I {_THIRD_PERSON[m.group('verb')]}{m.group('rest')}"


def _routine_facts(sentence: str, *, now: datetime, tz: str, speaker: str) -> list[ParsedFact]:
    """Facts from "I wake up and go to work at 7 am (on weekdays)", or [] if not a routine."""
    text = _routine_text(sentence)
    m = _ROUTINE_RE.match(text)
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
    hour, minute = clock_time(m.group("time").lower(), hint, sentence, strict=True)
    rest = m.group("rest").strip(" ,")
    days_rule = None
    if rest:
        goal, clauses = split_schedule(f"routine {rest}")
        if goal != "routine" or not clauses:
            return []  # more than a routine ("..., so have lunch ready"): read it as a chore
        probe = parse_instruction(f"routine {rest} at {hour}:{minute:02d}", now=now, tz=tz)
        _, parts = split_rules(probe.rrule or "")
        days_rule = parts[0].get("BYDAY")
    return _routine_fact_list(predicates, hour, minute, days_rule, sentence, speaker)


def _routine_fact_list(
    predicates: list[str],
    hour: int,
    minute: int,
    days_rule: str | None,
    sentence: str,
    speaker: str,
) -> list[ParsedFact]:
    parts = {"FREQ": "WEEKLY", "BYDAY": days_rule} if days_rule else {"FREQ": "DAILY"}
    rrule = format_rrule({**parts, "BYHOUR": str(hour), "BYMINUTE": str(minute)})
    value = f"{hour:02d}:{minute:02d}"
    return [
        ParsedFact(subject=speaker, predicate=p, value=value, rrule=rrule, text=sentence)
        for p in dict.fromkeys(predicates)
    ]


def _with_work_days(facts: list[ParsedFact], sentence: str) -> list[ParsedFact]:
    """Going to work means working days: facts of such a sentence without days get them."""
    if not re.search(r"\bwork\b|\boffice\b", sentence, re.IGNORECASE):
        return facts
    out = []
    for f in facts:
        _, parts = split_rrule(f.rrule or "")
        if parts.get("FREQ") == "DAILY":
            rule = format_rrule(
                {
                    "FREQ": "WEEKLY",
                    "BYDAY": WEEKDAYS,
                    "BYHOUR": parts["BYHOUR"],
                    "BYMINUTE": parts["BYMINUTE"],
                }
            )
            f = f.model_copy(update={"rrule": rule})
        out.append(f)
    return out


_WORK_FROM_HOME_RE = re.compile(
    r"^(?:i|we)\s+(?:usually\s+|mostly\s+|normally\s+|now\s+)?work\s+(?:from|at)\s+home"
    r"(?P<days>\s+(?:on\s+weekdays|during\s+the\s+week|on\s+[a-z, ]+?days?|every\s+[a-z]+?day))?"
    r"\s*(?:(?:,\s*)?\b(?:but|and|so|though)\b\s*|[,;]\s*|$)(?P<rest>.*)$",
    re.IGNORECASE,
)


def _work_from_home(
    sentence: str, *, now: datetime, tz: str, speaker: str
) -> tuple[ParsedFact, str] | None:
    """A "work from home" fact (at home those days) and the rest of the sentence.

    "I work from home (on Fridays), but I go to the gym at 6 on Mondays": the fact, and
    "I go to the gym at 6 on Mondays" to read next.

    The days default to weekdays. The scheduler already assumes someone home who never
    said they go out; the fact says so, and in simulation keeps the resident in on those
    days instead of going to work (``sim.home.following``).
    """
    m = _WORK_FROM_HOME_RE.match(sentence.strip())
    if m is None:
        return None
    byday = WEEKDAYS
    if m.group("days"):
        probe = parse_instruction(f"routine {m.group('days').strip()} at 9:00", now=now, tz=tz)
        _, parts = split_rules(probe.rrule or "")
        byday = parts[0].get("BYDAY") or WEEKDAYS
    rule = format_rrule({"FREQ": "WEEKLY", "BYDAY": byday, "BYHOUR": "9", "BYMINUTE": "0"})
    said = sentence[: m.start("rest")].strip(" ,;") if m.group("rest") else sentence
    fact = ParsedFact(subject=speaker, predicate="works_from_home", value="yes", rrule=rule,
                      text=said)  # fmt: skip
    return fact, m.group("rest").strip()


def _routines(sentence: str, *, now: datetime, tz: str, speaker: str) -> list[ParsedFact]:
    """All routine facts of a sentence, one routine or two, the speaker's or someone's.

    "I wake up at 6:30 and go to work at 8"; "I get up at 6 on weekdays and 8 on weekends";
    "My husband gets home at 7" (facts about "husband").
    """
    said = sentence
    who, sentence = _subject(sentence, speaker)
    facts = _routine_facts(sentence, now=now, tz=tz, speaker=who)
    if not facts:
        facts = _split_routine(sentence, now=now, tz=tz, speaker=who)
    facts = _with_work_days(facts, sentence)
    if who != speaker:  # keep the words said about them ("my husband gets home at 7")
        facts = [f.model_copy(update={"text": said}) for f in facts]
    return facts


def _split_routine(
    sentence: str, *, now: datetime, tz: str, speaker: str, depth: int = 0
) -> list[ParsedFact]:
    """Facts of a routine sentence said in parts.

    "I wake up at 6:30 and go to work at 8"; "I'm up at 6:30 weekdays, out the door by
    7:15, home around 5:30" (a part without its subject takes the first part's; up to four
    parts).
    """
    text = _routine_text(sentence).rstrip(" .!")
    subject = re.match(r"^(i|we)\s+", text, re.IGNORECASE)
    if subject is None:
        return []
    who = subject.group(0)
    cuts = [*_SPLIT_AND_RE.finditer(text), *_SPLIT_BACK_RE.finditer(text)]
    cuts += list(_SPLIT_COMMA_RE.finditer(text))
    for m in cuts:
        left_text = text[: m.start()]
        left = _routine_facts(left_text, now=now, tz=tz, speaker=speaker)
        if not left:
            continue
        rest = text[m.end() :]
        if re.match(rf"^{TIME}\b", rest, re.IGNORECASE):
            lm = _ROUTINE_RE.match(left_text)
            assert lm is not None
            tries = [f"{left_text[: lm.start('time')]}{rest}"]  # "I get up at " + "8 on ..."
        elif re.match(r"^(?:i|we)\b", rest, re.IGNORECASE):
            tries = [rest]  # "... and I'm back around 9": its own subject
        else:  # "..., back by 7:30", "..., out the door by 7:15", "... and go to work at 8"
            tries = [f"{who}{rest}", f"{who}am {rest}", f"{who}get {rest}"]
        for right_text in tries:
            right = _routine_facts(right_text, now=now, tz=tz, speaker=speaker)
            if not right and depth < 3:
                right = _split_routine(right_text, now=now, tz=tz, speaker=speaker,
                                       depth=depth + 1)  # fmt: skip
            if right:
                right = _back_after_leaving(left, right, right_text)
                return left + _same_days(left, right, right_text)
    return []


_HALF_DAY_RE = re.compile(
    r"\d\s*(?:am|pm|a\.m\.?|p\.m\.?)(?!\w)|\b(?:noon|midday|midnight|morning|afternoon"
    r"|evening|night|tonight)\b|\d{1,2}:\d{2}\s*h\b|\b(?:1[3-9]|2[0-3]):\d{2}",
    re.IGNORECASE,
)


def _back_after_leaving(
    left: list[ParsedFact], right: list[ParsedFact], text: str
) -> list[ParsedFact]:
    """A coming-home time without am/pm read as the first such time after leaving.

    "I do the school run at 8:15 and I'm back around 9": back at 09:00, not 21:00; "I
    leave at 8 and get back at 5": at 17:00.
    """
    leave = next((f for f in left if f.predicate in ("leaves_home_at", "leaves_for_work_at")),
                 None)  # fmt: skip
    if leave is None or _HALF_DAY_RE.search(text):
        return right
    lh, lm = (int(x) for x in leave.value.split(":"))
    out = []
    for f in right:
        if f.predicate == "gets_home_at":
            h, m = (int(x) for x in f.value.split(":"))
            best = min((h % 12, h % 12 + 12), key=lambda c: (c * 60 + m - lh * 60 - lm) % 1440)
            if best != h:
                _, parts = split_rrule(f.rrule or "")
                rule = format_rrule({**parts, "BYHOUR": str(best)})
                f = f.model_copy(update={"value": f"{best:02d}:{m:02d}", "rrule": rule})
        out.append(f)
    return out


def _same_days(left: list[ParsedFact], right: list[ParsedFact], text: str) -> list[ParsedFact]:
    """The second half of a routine sentence on the first half's days, unless it says its own.

    "I leave the house at 8 on weekdays and get back at 5": back at 5 on weekdays too.
    """
    rules = {split_rrule(f.rrule or "")[1].get("BYDAY", "") for f in left}
    if len(rules) != 1 or not (byday := rules.pop()):
        return right
    if re.search(r"\b(?:every\s*day|daily|each\s+day|all\s+week)\b", text, re.IGNORECASE):
        return right
    out = []
    for f in right:
        _, parts = split_rrule(f.rrule or "")
        if parts.get("FREQ") == "DAILY":
            rule = {"FREQ": "WEEKLY", "BYDAY": byday, "BYHOUR": parts["BYHOUR"],
                    "BYMINUTE": parts["BYMINUTE"]}  # fmt: skip
            f = f.model_copy(update={"rrule": format_rrule(rule)})
        out.append(f)
    return out


_DAY_NAMES = {
    "MO": "mondays", "TU": "tuesdays", "WE": "wednesdays", "TH": "thursdays", "FR": "fridays",
    "SA": "saturdays", "SU": "sundays",
}  # fmt: skip


def _routine_days(facts: list[ParsedFact]) -> list[tuple[str, str]]:
    """The days a routine sentence named, as a day clause ("on weekdays"); [] for every day.

    A chore said right after it with a time but no days ("Make me breakfast by 7") is done
    on those days.
    """
    if not facts or any(f.rrule is None for f in facts):
        return []
    rules = {split_rrule(f.rrule or "")[1].get("BYDAY", "") for f in facts}
    if len(rules) != 1 or not (byday := rules.pop()):
        return []
    return _days_clause(byday)


def _days_clause(byday: str) -> list[tuple[str, str]]:
    """Days as a day clause: "MO,TU,WE,TH,FR" -> ``[("on_days", "on weekdays")]``."""
    if byday == WEEKDAYS:
        return [("on_days", "on weekdays")]
    if byday == "SA,SU":
        return [("on_days", "on weekends")]
    codes = byday.split(",")
    if not all(c in _DAY_NAMES for c in codes):
        return []
    return [("on_days", "on " + " and ".join(_DAY_NAMES[c] for c in codes))]


def _preference_facts(sentence: str, *, speaker: str) -> list[ParsedFact]:
    """Quiet hours, likes and dislikes."""
    m = _QUIET_RE.search(normalise(sentence))
    if m is not None:
        start = clock_time(m.group("start").lower(), "pm", sentence, strict=False)
        end = clock_time(m.group("end").lower(), "am", sentence, strict=False)
        value = f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"
        return [
            ParsedFact(
                subject="home", predicate="quiet_hours", value=value, kind="preference",
                text=sentence,
            )
        ]  # fmt: skip
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


def _is_quiet_hours(sentence: str) -> bool:
    return _QUIET_RE.search(normalise(sentence)) is not None


# --- chores, deadlines, check-ins, reminders ------------------------------------------


@dataclass
class _Reading:
    """One chore clause read, before its schedule is turned into a rule."""

    text: str  # the words the instruction keeps as its text
    goal: str
    clauses: list[tuple[str, str]]
    leading: bool = False  # the schedule came first ("every Saturday, vacuum ...")
    kind: InstructionKind = InstructionKind.RECURRING_CHORE
    deadline: bool = False
    habit: bool = False
    person: str | None = None
    answers_to: str | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)  # inherited clauses
    window: str | None = None  # its own: AT_HOME for "while I'm out"

    @property
    def day_clauses(self) -> list[tuple[str, str]]:
        return [(k, r) for k, r in self.clauses if k in _DAY_KINDS]

    @property
    def time_clauses(self) -> list[tuple[str, str]]:
        return [(k, r) for k, r in self.clauses if k in _TIME_KINDS]


def _read(
    sentence: str, *, speaker: str, pronoun_for: str | None = None, need_schedule: bool = True
) -> _Reading:
    """Read one chore clause (no rule yet).

    Raises:
        InstructionParseError: No schedule, or no goal.
    """
    original = sentence
    body = normalise(_strip_fillers(sentence))
    if (lead := _LEADING_DAYS_WISH_RE.match(body)) is not None:
        body = f"{lead.group('rest')} {lead.group('lead')}"  # "On Sundays I'd like ..."
    asked = _ASK_RE.match(body)
    if asked is not None:
        body = body[asked.end() :]
    habit = asked is None and _HABIT_RE.match(body) is not None
    if habit:
        body = _HABIT_RE.sub("", body)
    elif asked is None and (w := _WANT_RE.match(body)) is not None:
        body = body[w.end() :]
    body = _strip_fillers(body)
    if body[:1].isupper() and not re.match(r"^I\b", body):
        body = body[0].lower() + body[1:]  # "Dinner should be ready": a word, not a name
    body = _FOR_ME_RE.sub(r"\1 ", body)  # "make me breakfast": make breakfast
    window = None
    m = _WHILE_OUT_RE.search(body)
    if m is not None:  # "vacuum the hallway every Wednesday while I'm out"
        window = AT_HOME
        body = f"{body[: m.start()]} {body[m.end() :]}".strip(" ,")
    deadline = False
    m = _SO_READY_RE.search(body)
    if m is not None:  # "do the laundry every Saturday so it's ready by noon"
        deadline = True
        body = f"{body[: m.start()]} {m.group('rest')}".strip(" ,")
    m = _MAKE_SURE_RE.search(body)
    if m is not None:
        deadline = True
        if m.start() == 0 and m.group("obj"):  # "make sure the dishes are done by 9pm"
            body = f"{goal_for_state(m.group('obj'), m.group('state'))} {m.group('rest')}"
        else:
            body = (body[: m.start()] + " " + m.group("rest")).strip(" ,")
    m = _HAVE_READY_RE.match(body)
    if m is not None:
        deadline = True
        body = f"{goal_for_state(m.group('obj'), m.group('state'))} {body[m.end() :]}".strip()
    body = body.strip()
    goal, clauses = split_schedule(body)
    if not clauses and need_schedule:
        raise InstructionParseError(original, "no schedule phrase (when should it happen?)")
    leading = bool(clauses) and body.lower().startswith(clauses[0][1])
    m = _GOAL_STATE_RE.match(goal)
    said_done = m is not None and (
        m.group("be")
        or m.group("state").lower() in READY_STATES
        or any(k in ("by", "by_day") for k, _ in clauses)
    )  # "trash out on Tuesday nights" is a chore; "the trash out by 7" a deadline
    if m is not None and _object_like(m.group("obj")):
        # "dinner ready", "the dishes should be done", "my shirts ironed": an end state
        deadline = deadline or bool(said_done)
        goal = goal_for_state(m.group("obj"), m.group("state"))
    elif _MEAL_RE.match(goal):
        deadline = True  # "dinner at 6:30": dinner on the table then
        goal = goal_for_state(goal, "ready")
    if goal[:1].isupper() and not re.match(r"^I\b", goal):
        goal = goal[0].lower() + goal[1:]
    reading = _Reading(text=original, goal=goal, clauses=clauses, leading=leading)
    reading.window = window
    reading.deadline = deadline
    reading.habit = habit
    if (m := REMINDER_RE.match(goal)) is not None:
        who = m.group("who") or m.group("told")
        reading.goal, reading.person = reminder_goal(who, goal[m.end() :], speaker=speaker)
        reading.kind = InstructionKind.REMINDER
    elif (m := CHECK_IN_RE.match(goal)) is not None:
        reading.goal, reading.person, reading.answers_to = check_in_goal(
            m.group("who"), goal[m.end() :], speaker=speaker
        )
        reading.kind = InstructionKind.CHECK_IN
    else:
        if not goal or _NOT_A_GOAL_RE.match(goal):
            raise InstructionParseError(original, f"{goal!r} does not say what to do")
        goal = the(goal)
        if pronoun_for:
            goal = re.sub(r"\b(?:it|them)\b", pronoun_for, goal)
        reading.goal = goal
    return reading


def _object_like(words: str) -> bool:
    """Whether ``words`` name a thing ("the dishes", "dinner"), not a command or a person."""
    parts = words.lower().split()
    if not parts or parts[0] in ("i", "we", "it", "they", "he", "she", "you", "there"):
        return False
    if parts[0] in DETERMINERS:
        return True
    return len(parts) <= 3 and not any(p in VERBS for p in parts)


def _build(
    reading: _Reading,
    *,
    now: datetime,
    tz: str,
    priority: int,
    speaker: str,
    days: list[tuple[str, str]] | None = None,
) -> tuple[StandingInstruction, bool]:
    """The instruction of a reading, and whether its time of day was said.

    ``days``: day clauses for a reading that names no days (the days of the routine said
    just before it).

    Raises:
        AmbiguousInstructionError: A bare 7, 8 or 9 with no hint.
        InstructionParseError: The schedule cannot be read.
    """
    clauses = reading.clauses + reading.extra
    if days and not any(k in _DAY_KINDS for k, _ in clauses):
        clauses = clauses + days
    person_kind = reading.kind in PERSON_KINDS
    deadline = reading.deadline or any(k in ("by", "by_day") for k, _ in clauses)
    default = PERSON_TIME if person_kind else DEADLINE_TIME if deadline else DEFAULT_TIME
    when = read_schedule(
        reading.goal,
        clauses,
        text=reading.text,
        now=now,
        tz=tz,
        strict=True,
        default_time=default,
        habit=reading.habit,
        deadline=deadline and not person_kind,
    )
    kind = reading.kind
    goal = reading.goal
    if kind is InstructionKind.RECURRING_CHORE and not starts_with_verb(goal):
        goal = _verbless(goal)  # "laundry every sunday" -> "do the laundry"
    if kind is InstructionKind.RECURRING_CHORE:
        if when.one_off:
            kind = InstructionKind.ONE_OFF
        elif when.deadline:
            kind = InstructionKind.DEADLINE_CHORE
    instr = StandingInstruction(
        id=instruction_id(reading.text),
        text=reading.text,
        kind=kind,
        goal=goal,
        rrule=when.rrule,
        timezone=tz,
        time_is_deadline=when.deadline and not person_kind,
        duration_s=CHECK_IN_DURATION_S if person_kind else estimate_duration_s(goal),
        priority=priority,
        answers_to=reading.answers_to,
        person=reading.person,
        said_by=speaker if reading.person is not None or reading.window else None,
        window=reading.window,
    )
    return instr, when.said_time


_MEALS = ("breakfast", "brunch", "lunch", "dinner", "supper", "tea", "coffee")


def _verbless(goal: str) -> str:
    """A chore said as a thing alone ("laundry", "the trash"): the chore that thing means.

    Only a short noun phrase the household chores name (meals, laundry, dishes, bed,
    bins); anything else is left as said.
    """
    words = goal.split()
    if not words or len(words) > 3:
        return goal
    said = words[0].lower() in (*DETERMINERS, "my", "our") or words[-1].lower() in _MEALS
    verbed = goal_for_object(goal if said else f"the {goal}")
    if verbed.startswith("get ") and verbed.endswith(" ready"):
        return goal  # no chore of its own
    return verbed


def _segments(body: str) -> list[tuple[str, str]]:
    """Split a sentence into chore clauses: ``[(kind, text)]``.

    Kinds: ``chore``, or ``elided`` when its verb is the one before ("and the recycling
    every Thursday"). Day lists and times ("Monday, Wednesday and Friday", "7am and 7pm")
    stay in their clause.
    """
    out: list[list[str]] = []
    pos = 0
    pieces: list[tuple[str, str]] = []  # (separator before, text)
    sep = ""
    for m in _SEP_RE.finditer(body):
        pieces.append((sep, body[pos : m.start()]))
        sep, pos = m.group(0), m.end()
    pieces.append((sep, body[pos:]))
    kinds: list[str] = []
    for i, (sep, text) in enumerate(pieces):
        text = _strip_fillers(text.strip())
        kind = "chore" if i == 0 else _segment_kind(text)
        if kind == "cont" and out and _another_time(text, "".join(out[-1])):
            kind = "again"
        if kind == "cont" or not out:
            if out:
                out[-1].append(sep + text)
            else:
                out.append([text])
                kinds.append("chore")
            continue
        out.append([text])
        kinds.append(kind)
    merged: list[tuple[str, str]] = []
    carry = ""
    for k, parts in zip(kinds, out, strict=True):
        text = "".join(parts).strip()
        goal, clauses = split_schedule(text)
        if clauses and not goal and k != "again":
            carry = f"{carry}{text}, "  # "On Mondays and Thursdays, water ... and ...": leads
            continue
        merged.append((k, f"{carry}{text}" if carry else text))
        carry = ""
    if carry and merged:
        k, text = merged[-1]
        merged[-1] = (k, f"{text}, {carry.rstrip(', ')}")
    return merged or [("chore", body)]


def _another_time(text: str, before: str) -> bool:
    """Whether ``text`` is one more schedule for the chore ``before`` it.

    "... every morning at 7:30 and again at 6 in the evening", "make dinner by 7pm on
    weekdays and by 8 on weekends": ``text`` is only schedule words with a time of day
    (after an optional "again"), and says days of its own or "again"; ``before`` has a
    goal and a time of day of its own. A list of days or of times sharing the rest ("on
    Mondays and Thursdays at 10", "at 7 am and 7 pm") is not.
    """
    again = re.match(r"^again\b\s*", text, re.IGNORECASE)
    goal, clauses = split_schedule(text[again.end() :] if again else text)
    if goal or not clauses or not any(k in _TIME_KINDS for k, _ in clauses):
        return False
    prev_goal, prev = split_schedule(before)
    if not prev_goal or not any(k in _TIME_KINDS for k, _ in prev):
        return False
    return bool(again) or (
        any(k in _DAY_KINDS for k, _ in clauses) and any(k in _DAY_KINDS for k, _ in prev)
    )


def _clock_words(hour: int, minute: int) -> str:
    """``(18, 0)`` -> ``"6pm"``: a time no hint can change."""
    if (hour, minute) == (12, 0):
        return "noon"
    if (hour, minute) == (0, 0):
        return "midnight"
    h12 = hour % 12 or 12
    half = "am" if hour < 12 else "pm"
    return f"{h12}:{minute:02d}{half}" if minute else f"{h12}{half}"


def _explicit_times(reading: _Reading) -> list[tuple[str, str]]:
    """A reading's time clauses with each time read with its own words' hints.

    "every morning at 7:30" keeps 7:30 in the morning when "6 in the evening" joins it.

    Raises:
        AmbiguousInstructionError: A bare 7, 8 or 9 with no hint.
    """
    hint = hint_for(" ".join([reading.goal, *(raw for _, raw in reading.clauses)]))
    out = []
    for kind, raw in reading.clauses:
        if kind not in ("at", "by", "bare_at"):
            continue
        words = [
            _clock_words(*clock_time(piece, hint, reading.text, strict=True))
            for piece in split_times(raw)
        ]
        out.append(("by" if kind == "by" else "at", f"{kind if kind == 'by' else 'at'} "
                    + " and ".join(words)))  # fmt: skip
    return out


#: Words after a verb that is also a state ("clean", "empty") that make it a verb.
_WHOSE = "the|my|our|your|his|her|their|its"


def _segment_kind(text: str) -> str:
    low = text.lower()
    first = low.split(" ", 1)[0] if low else ""
    if not low:
        return "cont"
    if REMINDER_RE.match(text) or CHECK_IN_RE.match(text) or _ASK_RE.match(text):
        return "chore"
    if starts_with_verb(low) and first not in ("set", "clean", "empty", "tidy", "dry"):
        return "chore"
    if first in ("set", "clean", "empty", "tidy", "dry"):
        # verbs that are also states ("clean", "empty"): a verb when an object follows
        obj = rf"^\w+\s+(?:{_WHOSE}|up|out|a|an)\b"
        return "chore" if re.match(obj, low) else "cont"
    if first in DETERMINERS or re.match(r"^\w+s'\s", low):
        return "elided"
    goal, clauses = split_schedule(text)
    if clauses and goal and starts_with_verb(goal):
        return "chore"  # "on Thursdays wash the bed sheets"
    return "cont"


def _chores(
    sentence: str,
    *,
    now: datetime,
    tz: str,
    priority: int,
    speaker: str,
    days: list[tuple[str, str]] | None = None,
) -> list[tuple[StandingInstruction, bool]]:
    """Chores in one sentence; splits "X every day at 9 and Y on Mondays" when needed.

    ``days``: day clauses for chores that name no days (see :func:`_build`).
    """
    first_error: InstructionParseError | None = None
    whole: tuple[StandingInstruction, bool] | None = None
    try:
        reading = _read(sentence, speaker=speaker)
        if not _SCHEDULE_WORDS_RE.search(reading.goal) and not _two_verbs(reading.goal):
            built = _build(reading, now=now, tz=tz, priority=priority, speaker=speaker, days=days)
            _check_goal(reading.goal, sentence)  # after the schedule's own errors
            return [built]
        whole = _build(reading, now=now, tz=tz, priority=priority, speaker=speaker, days=days)
    except AmbiguousInstructionError:
        raise
    except InstructionParseError as exc:
        first_error = exc
    body = normalise(_strip_fillers(sentence))
    segments = _segments(body)
    if len(segments) > 1:
        try:
            found = _segment_chores(
                segments, now=now, tz=tz, priority=priority, speaker=speaker, days=days
            )
            for instr, _ in found:
                _check_goal(instr.goal, sentence, schedule_words=True)
            return found
        except AmbiguousInstructionError:
            raise
        except InstructionParseError as exc:
            first_error = first_error or exc
    if whole is not None:
        _check_goal(whole[0].goal, sentence, schedule_words=True)
        return [whole]
    assert first_error is not None
    raise first_error


# A goal that is not a command: someone's habit or a routine read as a chore ("the wife
# Sara gets up for her shift", "im usually up at 6.30, out the door by 7.15").
_NOT_A_COMMAND_RE = re.compile(
    r"^(?:i|im|i'm|i'd|ive|i've|we|we're|you|he|she|they|it|it's|its|there|this|that|these"
    r"|those|the|a|an|my|our|his|her|their|other|both|all|usually|normally|always|often"
    r"|sometimes|generally|typically|mostly)\b",
    re.IGNORECASE,
)
_CLOCK_IN_GOAL_RE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b|\b(?:after|before|at|by|until|till|around)"
    r"\s+\d{1,2}\b(?!\s*(?:minutes?|mins?|hours?|days?|people|of|x|%))",
    re.IGNORECASE,
)


def _check_goal(goal: str, sentence: str, *, schedule_words: bool = False) -> None:
    """Refuse a goal that is plainly not one chore (the person is asked instead).

    Raises:
        InstructionParseError: the goal does not start as a command, holds a clock time,
            or (``schedule_words``) still holds schedule words after reading.
    """
    if _NOT_A_COMMAND_RE.match(goal.strip()):
        raise InstructionParseError(sentence, f"{goal!r} does not say what to do")
    if re.fullmatch(
        r"\w+(?:\s+\w+)?\s+(?:it|it\s+all|them|them\s+all|everything|that|this)"
        r"(?:\s+(?:done|ready|finished|sorted|clean|cleaned))?",
        goal.strip(),
        re.I,
    ):
        raise InstructionParseError(sentence, f"{goal!r} does not say which chore")
    if _CLOCK_IN_GOAL_RE.search(goal) or (schedule_words and _SCHEDULE_WORDS_RE.search(goal)):
        raise InstructionParseError(
            sentence,
            f"{goal!r} holds more than one schedule; say each chore with its own, e.g. "
            "'vacuum upstairs every Monday at 10am. vacuum downstairs every Tuesday at 10am'",
        )


def _two_verbs(goal: str) -> bool:
    """Whether a goal is two chores sharing a schedule ("vacuum the hall and clean ...")."""
    for m in re.finditer(r"\s+(?:and|then|and then)\s+(\w+)", goal):
        if starts_with_verb(m.group(1)) and not re.match(r"^(?:set|clean|empty|tidy|dry)$",
                                                         m.group(1)):  # fmt: skip
            return True
        if m.group(1) in ("set", "clean", "empty", "tidy") and re.match(
            rf"^\s+(?:and|then|and then)\s+\w+\s+(?:{_WHOSE})\b", goal[m.start() :]
        ):
            return True
    return False


def _segment_chores(
    segments: list[tuple[str, str]],
    *,
    now: datetime,
    tz: str,
    priority: int,
    speaker: str,
    days: list[tuple[str, str]] | None = None,
) -> list[tuple[StandingInstruction, bool]]:
    """Read each chore clause of a sentence, with what an elided clause borrows."""
    readings: list[_Reading] = []
    for kind, text in segments:
        if kind == "again" and readings:
            prev = readings[-1]
            words = re.sub(r"^again\b\s*", "", text, flags=re.IGNORECASE)
            own = _read(f"{prev.goal} {words}", speaker=speaker)
            if own.day_clauses:  # other days, other time: its own instruction
                own.text = f"{verb_phrase(prev.goal)} {words}"
                own.kind, own.person, own.answers_to = prev.kind, prev.person, prev.answers_to
                own.goal = prev.goal
                own.deadline = own.deadline or prev.deadline
                own.habit = prev.habit
                readings.append(own)
                continue
            # the same days, one more time of day: one instruction with both times
            times = _explicit_times(prev) + _explicit_times(own)
            prev.clauses = [(k, r) for k, r in prev.clauses if k not in _TIME_KINDS] + times
            prev.text = f"{prev.text} and {text}"
            continue
        if kind == "elided" and readings:
            prev = readings[-1]
            own = split_schedule(text)[1]
            if not own or not prev.clauses:
                # "take out the trash and the recycling": one chore, two things
                merged = f"{prev.text} and {text}"
                readings[-1] = _read(merged, speaker=speaker)
                continue
            verb = verb_phrase(prev.goal)
            reading = _read(f"{verb} {text}", speaker=speaker)
            if not any(k in _TIME_KINDS for k, _ in own) and not _part_in(own):
                reading.extra = prev.time_clauses or _part_clause(prev.clauses)
            reading.text = f"{verb} {text}"
            readings.append(reading)
            continue
        pronoun = object_phrase(readings[-1].goal) if readings else None
        readings.append(
            _read(text, speaker=speaker, pronoun_for=pronoun or None, need_schedule=False)
        )
    # A clause with no days borrows them: from a leading schedule ("every Saturday vacuum
    # the hall and clean the bathroom"), else from a trailing one ("feed the cat at 7am
    # and water the plants at 8am every day"). A trailing one is not lent to a clause with
    # several times of day, which is every day ("feed Luna at 7am and 6pm, and clean her
    # litter tray every other day": the feeding is every day).
    donor = None
    if readings[0].leading and readings[0].day_clauses:
        donor = readings[0]
    elif readings[-1].day_clauses:
        donor = readings[-1]
    for r in readings:
        times = [t for k, raw in r.clauses if k in _TIME_KINDS for t in split_times(raw)]
        if donor is not readings[0] and not r.day_clauses and len(times) > 1:
            continue  # a leading schedule is lent to all ("every Saturday, ...")
        if donor is not None and r is not donor and not r.day_clauses:
            if not r.clauses and donor is readings[0]:
                r.extra = r.extra + donor.clauses
            else:
                r.extra = r.extra + donor.day_clauses
    if any(not (r.clauses or r.extra) for r in readings):
        raise InstructionParseError(
            " ".join(r.text for r in readings), "no schedule phrase for one of its chores"
        )
    return [
        _build(r, now=now, tz=tz, priority=priority, speaker=speaker, days=days) for r in readings
    ]


def _part_in(clauses: list[tuple[str, str]]) -> bool:
    return any(re.search(r"\b(?:morning|afternoon|evening|night)s?\b", r) for _, r in clauses)


def _part_clause(clauses: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The time of day hidden in a day clause ("every morning") as its own clause."""
    for _, raw in clauses:
        m = re.search(r"\b(morning|afternoon|evening|night)s?\b", raw)
        if m is not None:
            part = m.group(1)
            return [("part_of_day", "at night" if part == "night" else f"in the {part}")]
    return []


def _constraint(
    sentence: str, *, tz: str, priority: int, speaker: str
) -> StandingInstruction | None:
    read = parse_constraint(_strip_fillers(sentence))
    if read is None:
        return None
    goal, window = read
    return StandingInstruction(
        text=sentence,
        kind=InstructionKind.CONSTRAINT,
        goal=goal,
        rrule=None,
        timezone=tz,
        duration_s=0,
        priority=priority,
        window=window,
        said_by=speaker,
    )


# --- the model's second pass ----------------------------------------------------------

_MODEL_PROMPT = """You read standing instructions for a household robot.
The home's time zone is {tz}; it is now {now} there.
Sentence: {sentence!r}
Return the instructions in it. kind is one of: recurring_chore, deadline_chore (the time is
when it must be done), check_in (a question the robot asks the person), reminder (the robot
tells a person something, e.g. goal "remind owner to take their pills"), constraint (when
something must not be done: goal is the activity, window e.g. "* 22:30-07:00"), preference,
one_off. rrule is an RFC 5545 rule in local wall time, e.g.
"RRULE:FREQ=DAILY;BYHOUR=18;BYMINUTE=0"; a one-off is
"DTSTART:YYYYMMDDTHHMMSS\\nRRULE:FREQ=DAILY;COUNT=1". If the sentence is ambiguous (no clear
time or frequency), return no instructions and a short question."""


def _model_pass(
    client: Any, sentence: str, *, now: datetime, tz: str, priority: int, speaker: str
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
        person_kind = item.kind in PERSON_KINDS
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
                    person=speaker if person_kind else None,
                    said_by=speaker if person_kind else None,
                    window=item.window,
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


# --- check-ins and reminders when the person is home ----------------------------------


def _place_for_person(
    instr: StandingInstruction, routine: Any, now: datetime
) -> tuple[StandingInstruction, str | None]:
    """Move a check-in or reminder said without a time to when its person is home.

    The rule's own time becomes the placed one when every run moves to the same time of
    day (e.g. 18:30 -> 19:30 on Mondays because they get home at 19:00); otherwise the
    scheduler places each run.
    """
    from housemind.scheduler.placement import SchedulePolicy

    policy = SchedulePolicy(routine=routine)
    pairs = policy.next_due(instr, now, 8)
    moved = [(d, f) for d, f in pairs if d != f]
    if not moved:
        return instr, None
    times = {f.strftime("%H:%M") for _, f in pairs}
    if len(times) != 1 or instr.rrule is None:
        return instr, (
            f"'{instr.goal}': I'll wait until {instr.person} is home when they are out at "
            f"{moved[0][0]:%H:%M}"
        )
    new_time = next(iter(times))
    dtstart, rules = split_rules(instr.rrule)
    h, m = (int(x) for x in new_time.split(":"))
    if dtstart is not None and "COUNT" in rules[0]:
        dtstart = dtstart.replace(hour=h, minute=m)
    rules = [{**r, "BYHOUR": str(h), "BYMINUTE": str(m)} if "BYHOUR" in r else r for r in rules]
    from housemind.scheduler._rrule import format_rules

    placed = instr.model_copy(update={"rrule": format_rules(rules, dtstart)})
    old = moved[0][0].strftime("%H:%M")
    return placed, (f"'{instr.goal}' at {new_time}, not {old}: {instr.person} is not home at {old}")


# --- the paragraph --------------------------------------------------------------------


def parse_paragraph(
    text: str,
    *,
    now: datetime,
    tz: str,
    speaker: str = "owner",
    priority: int = 0,
    client: Any | None = None,
    routine_facts: list[Any] | None = None,
) -> ParseResult:
    """Read a paragraph of plain language into instructions, facts and questions.

    Args:
        text: What the person said (one or more sentences).
        now: The current time (aware; anchors one-offs and "every other" rules).
        tz: The home's IANA time zone.
        speaker: Who said it; the subject of routine and preference facts, and the person
            "me" refers to in check-ins and reminders.
        priority: Priority of the instructions.
        client: Optional model client with ``structured(messages, schema)`` for sentences
            the offline reader cannot handle; without one they become questions.
        routine_facts: Routine facts already known (``SymbolicMemory.facts()`` rows or
            ``ParsedFact``); with the paragraph's own, they place check-ins and reminders
            said without a time when the person is home.

    Returns:
        The instructions (in the order said), facts, questions back to the person, and
        notes on what was decided for them.

    Raises:
        ValueError: ``tz`` is not a known time zone, or ``now`` is naive.
    """
    load_zone(tz)
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: pass a timezone-aware time")
    result = ParseResult()
    seen: set[str] = set()
    flexible: set[str] = set()  # check-ins and reminders whose time was not said
    routine_days: list[tuple[str, str]] = []
    sentences = [part for s in split_sentences(text) for part in _constraint_tails(s)]
    tails: set[str] = set()  # said after a chore in its sentence: its days are not the next's
    # The routine said anywhere in the paragraph (or known before) places "after I leave
    # for work" chores, wherever in the paragraph it is said.
    told: list[Any] = list(routine_facts or [])
    for s in sentences:
        with contextlib.suppress(InstructionParseError):
            s = _strip_fillers(s)
            home = _work_from_home(s, now=now, tz=tz, speaker=speaker)
            if home is not None:
                told.append(home[0])
                s = home[1]
            told += _routines(s, now=now, tz=tz, speaker=speaker) if s else []
    routine_now = HouseholdRoutine.from_facts(told, tz=tz)
    while sentences:
        sentence = sentences.pop(0)
        parts = _split_tail(sentence, now=now, tz=tz, priority=priority, speaker=speaker)
        if parts is not None:
            sentence, sentences = parts[0], [*parts[1:], *sentences]
            tails.update(parts[1:])
        head = _HEADER_RE.match(sentence.strip())
        if head is not None:  # "Evenings: close the curtains and lock up at 11"
            part = head.group("part").lower().rstrip("s")
            when = {"weekday": "on weekdays", "weekend": "on weekends"}.get(part, f"every {part}")
            sentence = f"{head.group('rest').rstrip(' .!')} {when}"
        sentence, unfollowed = _unfollowed(sentence)
        result.notes.extend(unfollowed)
        if _PLEASANTRY_RE.match(sentence):
            continue
        meal = _meal_so(_strip_fillers(sentence))
        if meal is not None:
            sentence, sentences = meal[0], [meal[1], *sentences]
        # "feed Luna (the cat) at 7": an aside naming what someone is
        sentence = re.sub(r"\s*\((?:the|our|my|a)\s+[a-z' ]+\)", "", sentence, flags=re.I)
        needs = _needs_doing(_strip_fillers(sentence))  # "Also the bins go out on ..."
        if needs != _strip_fillers(sentence):
            sentence = needs
        sentence = _inline_routine_time(sentence)
        sentence, ask = _routine_time(sentence, routine_now, speaker)
        if ask is None:
            sentence, ask = _while_out_time(sentence, routine_now, speaker)
        if ask is not None:
            result.questions.append(f"{sentence!r}: {ask}")
            continue
        # "I get up at 6:30 on weekdays. Make me breakfast by 7.": on those days
        days, routine_days = routine_days, []
        body = _strip_fillers(sentence)
        try:
            home = _work_from_home(body, now=now, tz=tz, speaker=speaker)
        except InstructionParseError:
            home = None
        if home is not None:  # "I work from home, but I go to the gym at 6 on Mondays"
            result.facts.append(home[0])
            if home[1]:
                sentences.insert(0, home[1])
            continue
        if question := vague_question(body):
            result.questions.append(f"{sentence!r}: {question}")
            continue
        found: list[tuple[StandingInstruction, bool]] = []
        try:
            facts = _routines(body, now=now, tz=tz, speaker=speaker)
            if not facts and _is_quiet_hours(body):
                facts = _preference_facts(body, speaker=speaker)
            if facts:
                result.facts.extend(facts)
                routine_days = _routine_days(facts) if sentence not in tails else []
                continue
            limit = _constraint(sentence, tz=tz, priority=priority, speaker=speaker)
            someone = _ABOUT_SOMEONE_RE.match(body) if limit is None else None
            if limit is not None:
                found = [(limit, True)]
            elif someone is not None:
                ask = re.search(
                    r"(?:,\s*(?:so\s+|and\s+)?|\s+(?:so|and)\s+)"
                    r"(?=(?:please|pls|plz|could you|can you|would you)\b)",
                    sentence,
                    re.I,
                )
                if ask is not None:  # "my daughter visits on Sundays, please make lunch ..."
                    sentences.insert(0, _by_then(sentence[: ask.start()], sentence[ask.end() :]))
                    continue
                so = _SO_REQUEST_RE.search(sentence)
                if so is not None:  # "... comes on Saturdays around 11, so have ... by then"
                    sentences.insert(0, _by_then(sentence[: so.start()], sentence[so.end() :]))
                    continue
                who = someone.group("who").lower()
                result.questions.append(
                    f"{sentence!r}: that is about your {who}; is there something I should do "
                    f"then? Say it as a chore, e.g. 'make lunch for four every Sunday at 12'."
                )
                continue
            else:
                found = _chores(
                    sentence, now=now, tz=tz, priority=priority, speaker=speaker, days=days
                )
        except AmbiguousInstructionError as exc:
            result.questions.append(f"{sentence!r}: {exc.question}")
            continue
        except InstructionParseError as exc:
            facts = _preference_facts(body, speaker=speaker)
            if facts:
                result.facts.extend(facts)
                continue
            if client is None:
                log.info("cannot read %r offline: %s", sentence, exc.reason)
                result.questions.append(_not_understood(sentence, exc.reason))
                continue
            models, questions = _model_pass(
                client, sentence, now=now, tz=tz, priority=priority, speaker=speaker
            )
            found = [(m, True) for m in models]
            result.questions.extend(questions)
        for instr, said_time in found:
            if instr.id not in seen:
                seen.add(instr.id)
                result.instructions.append(instr)
                if instr.kind in PERSON_KINDS and not said_time:
                    flexible.add(instr.id)
    known = [*(routine_facts or []), *result.facts]
    if flexible and known:
        routine = HouseholdRoutine.from_facts(known, tz=tz)
        placed = []
        for instr in result.instructions:
            if instr.id in flexible and instr.person in routine.people():
                instr, note = _place_for_person(instr, routine, now)
                if note:
                    result.notes.append(note)
            placed.append(instr)
        result.instructions = placed
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
