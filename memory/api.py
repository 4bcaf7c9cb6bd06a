"""One query API across spatial, symbolic and episodic memory.

:class:`Memory` bundles the three memories on one database and answers a few question
forms offline with :meth:`Memory.ask` (no language model): where is X, what is on a list,
when did you last do X, what happened in a time window, what is in/on a fixture, what do
you know about X. Every answer carries the evidence it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field

from housemind.memory._util import require_aware, tokens
from housemind.memory.db import Database, open_database
from housemind.memory.episodic import EpisodicMemory, EventSearcher, EventView
from housemind.memory.spatial import CompactionReport, ObjectSighting, SpatialMemory
from housemind.memory.symbolic import SHOPPING, SymbolicMemory

__all__ = ["QUESTION_FORMS", "Answer", "Evidence", "Memory"]

#: Question forms :meth:`Memory.ask` understands (shown when it does not understand one).
QUESTION_FORMS = (
    "where are my keys? / where is the mug? / when did you last see the remote?",
    "what is on the shopping list?",
    "when did you last water the plants?",
    "what happened yesterday evening / today / this morning / on Tuesday / last week?",
    "what is in the fridge? / what is on the table?",
    "what do you know about alex?",
    "what did you buy last week? / what have you ordered?",
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Parts of the day as (start hour, end hour) on the named day; night runs past midnight.
_DAY_PARTS = {
    "morning": (5, 12),
    "afternoon": (12, 17),
    "evening": (17, 22),
    "night": (22, 29),
}
_MAX_LISTED = 15


class Evidence(BaseModel):
    """One memory an answer rests on.

    Attributes:
        kind: ``sighting``, ``event``, ``checklist_item``, ``fact`` or ``search_candidate``.
        text: The memory in words.
        time: When it was observed, happened or was added.
        place: Where, if known.
    """

    kind: str
    text: str
    time: datetime | None = None
    place: str | None = None


class Answer(BaseModel):
    """The answer to a question, with evidence.

    Attributes:
        answer: The answer in words.
        evidence: What the answer rests on.
        understood: False when the question form is not supported.
        form: Which question form matched (``where``, ``bought``, ``list``, ``last``, ``window``,
            ``contents``, ``about``), or None.
    """

    answer: str
    evidence: list[Evidence] = Field(default_factory=list)
    understood: bool = True
    form: str | None = None


class Memory:
    """Spatial, symbolic and episodic memory on one database.

    Args:
        db: An opened (migrated) database; see :func:`memory.open_database`.
        searcher: Optional episodic search backend (default: keyword BM25, or by meaning
            when ``semantic``).
        semantic: Search events by meaning with the shipped sentence model
            (:class:`memory.semantic.EmbeddingSearcher`) and embed each event as it is
            recorded. The model loads on first use (~10 s, once per process); without the
            ``embeddings`` extra, search falls back to keywords and says so in the log.
    """

    def __init__(
        self, db: Database, *, searcher: EventSearcher | None = None, semantic: bool = False
    ) -> None:
        self.db = db
        if searcher is None and semantic:
            from housemind.memory.semantic import EmbeddingSearcher

            searcher = EmbeddingSearcher()
        self.spatial = SpatialMemory(db)
        self.symbolic = SymbolicMemory(db)
        self.episodic = EpisodicMemory(db, searcher)

    @classmethod
    def open(cls, url: str | None = None, *, semantic: bool = False) -> Memory:
        """Open, check and migrate the database at ``url`` and return its memory.

        Args:
            url: Database URL (default ``$HOUSEMIND_DB``, else ``sqlite:///housemind.db``).
            semantic: Search events by meaning; see :class:`Memory`.

        Raises:
            MemoryStoreError: if the store cannot be used safely.
        """
        return cls(open_database(url), semantic=semantic)

    def close(self) -> None:
        """Release the database connections."""
        self.db.close()

    # --- upkeep ----------------------------------------------------------------------

    def compact(self, before: datetime) -> CompactionReport:
        """Compact raw observations older than ``before`` (see :meth:`SpatialMemory.compact`).

        Events, facts, checklists and last-seen state are kept whole.
        """
        return self.spatial.compact(before)

    def export_json(self) -> dict[str, Any]:
        """The home's memory as a JSON-serialisable dict (see :mod:`memory.transfer`)."""
        from housemind.memory.transfer import export_memory

        return export_memory(self.db)

    def import_json(self, data: dict[str, Any], *, replace: bool = False) -> dict[str, int]:
        """Load a dict made by :meth:`export_json` into this memory.

        Args:
            data: The export.
            replace: Delete what this memory holds first; without it the memory must be
                empty.

        Returns:
            Rows imported per table.

        Raises:
            ValueError: if the export is malformed, or the memory is not empty and
                ``replace`` is False.
        """
        from housemind.memory.transfer import import_memory

        counts = import_memory(self.db, data, replace=replace)
        invalidate = getattr(self.episodic.searcher, "invalidate", None)
        if invalidate is not None:
            invalidate()
        return counts

    def context_for(
        self, goal: str, budget_chars: int = 1500, *, now: datetime | None = None
    ) -> list[str]:
        """Memories relevant to ``goal`` for the planner, within ``budget_chars`` in total.

        See :func:`memory.context.context_for` for what is chosen and in which order.

        Args:
            goal: The planner's goal in words.
            budget_chars: Upper bound on the summed length of the lines.
            now: Current time (timezone-aware; pass the runtime clock's). Default: the
                newest time memory has recorded (memory has no clock of its own).
        """
        from housemind.memory.context import context_for, latest_time

        if now is None:
            now = latest_time(self) or datetime(1970, 1, 1, tzinfo=UTC)
        return context_for(self, goal, now, budget_chars=budget_chars)

    # --- corrections -----------------------------------------------------------------

    def record_correction(
        self,
        text: str,
        *,
        by: str | None,
        when: datetime,
        task_id: str | None = None,
        goal: str | None = None,
    ) -> int:
        """Remember a person's correction ("no, the top drawer") with who and when.

        Stored twice: as a preference about the chore (symbolic memory, predicate
        ``correction``, subject the chore's goal or ``robot``), so it is found the next
        time the chore is planned, and as an episodic ``correction`` event of the task,
        so it shows in the task's history.

        Args:
            text: The correction in the person's words.
            by: Who said it.
            when: When (timezone-aware; the robot's clock).
            task_id: The task it corrects, if one was running.
            goal: That task's goal.

        Returns:
            The stored fact's id.

        Raises:
            ValueError: an empty correction or a naive time.
        """
        words = " ".join((text or "").split())
        if not words:
            raise ValueError(
                "the correction is empty; say what to do instead, e.g. 'no, the top drawer'"
            )
        fact_id = self.symbolic.tell(
            goal or "robot",
            "correction",
            words,
            kind="preference",
            source="person",
            told_by=by,
            valid_from=when,
        )
        who = by or "someone"
        about = f" (during '{goal}')" if goal else ""
        self.episodic.record(
            "correction",
            f"{who} corrected me{about}: {words}",
            when,
            task_id=task_id,
            data={"by": by, "goal": goal, "fact_id": fact_id, "text": words},
        )
        return fact_id

    def corrections(self, goal: str | None = None) -> list[Any]:
        """Corrections people gave (about one chore's goal, or all), oldest first."""
        facts = self.symbolic.facts(predicate="correction", kind="preference")
        if goal is not None:
            facts = [f for f in facts if f.subject.lower() == goal.strip().lower()]
        return facts

    # --- questions -------------------------------------------------------------------

    def ask(self, question: str, now: datetime) -> Answer:
        """Answer a question from memory, offline.

        Args:
            question: A question in English; see :data:`QUESTION_FORMS`.
            now: The current time (timezone-aware); relative words ("yesterday") and the
                times in the answer use its timezone.

        Returns:
            An :class:`Answer`; for an unsupported form, one that says so and lists the
            forms it understands.
        """
        require_aware(now, "now")
        q = _normalise(question)
        # Order matters: "what is on the shopping list" is a list question, not contents.
        handlers: list[tuple[tuple[re.Pattern[str], ...], _Handler]] = [
            (_RE_WHERE, self._ask_where),
            (_RE_BOUGHT, self._ask_bought),
            (_RE_LIST, self._ask_list),
            (_RE_LAST, self._ask_last),
            (_RE_WINDOW, self._ask_window),
            (_RE_CONTENTS, self._ask_contents),
            (_RE_ABOUT, self._ask_about),
        ]
        for patterns, handler in handlers:
            for pattern in patterns:
                m = pattern.match(q)
                if m:
                    return handler(m, now)
        return Answer(
            answer="I can't answer that yet. I understand questions like: "
            + "; ".join(QUESTION_FORMS),
            understood=False,
        )

    def _ask_where(self, m: re.Match[str], now: datetime) -> Answer:
        phrase = m.group("thing")
        found = self._resolve_objects(phrase)
        if not found:
            cands = self.spatial.search_candidates(_slug(phrase), kind=_slug(phrase))
            text = f"I have not seen any {phrase} yet."
            if cands:
                text += f" I would look: {', '.join(_w(c) for c in cands[:5])}."
            ev = [Evidence(kind="search_candidate", text=c, place=c) for c in cands[:5]]
            return Answer(answer=text, evidence=ev, form="where")
        best = found[0]
        text = _sighting_sentence(best, now)
        if best.missing:
            # Ranked by belief now: habitual places first, fading with time since seen.
            cands = [c for c in self.spatial.ranked_search(best.name, now) if c != best.place]
            if cands:
                text += f" I would look: {', '.join(_w(c) for c in cands[:4])}."
        others = found[1:4]
        if others:
            text += " Also: " + " ".join(_sighting_sentence(o, now) for o in others)
        ev = [
            Evidence(
                kind="sighting",
                text=f"{o.name} {o.describe()}" + (" (missing since then)" if o.missing else ""),
                time=o.time,
                place=o.place,
            )
            for o in found[:4]
        ]
        return Answer(answer=text, evidence=ev, form="where")

    def _ask_list(self, m: re.Match[str], now: datetime) -> Answer:
        raw = (m.groupdict().get("list") or SHOPPING).strip()
        name = _list_name(raw)
        items = self.symbolic.items(name)
        label = "shopping list" if name == SHOPPING else f"{_w(name)} list"
        ev = [
            Evidence(
                kind="checklist_item",
                text=i.text() + (f" (added by {i.added_by})" if i.added_by else ""),
                time=i.added_at,
            )
            for i in items
        ]
        if not items:
            return Answer(answer=f"The {label} is empty.", evidence=ev, form="list")
        return Answer(
            answer=f"The {label} has {len(items)} item{'s' if len(items) != 1 else ''}: "
            + ", ".join(i.text() for i in items)
            + ".",
            evidence=ev,
            form="list",
        )

    def _ask_bought(self, m: re.Match[str], now: datetime) -> Answer:
        phrase = (m.group("when") or "").strip()
        if phrase:
            window = _window(phrase, now)
            if window is None:
                return _time_not_understood(phrase, "bought")
            label, start, end = window
        else:
            label, start, end = "so far", datetime.min.replace(tzinfo=now.tzinfo), now
        events = self.episodic.between(start, min(end, now), kind="bought")
        ev = [_event_evidence(e) for e in events]
        if not events:
            return Answer(answer=f"Nothing was bought {label}.", evidence=ev, form="bought")
        lines = [f"{_when(e.time, now)}: {_w(e.text.removeprefix('bought '))}" for e in events]
        newest = lines[::-1][:_MAX_LISTED]
        more = len(lines) - len(newest)
        text = f"Bought {label} ({len(events)} deliver{'ies' if len(events) != 1 else 'y'}), "
        text += "newest first: " + "; ".join(newest) + (f"; and {more} more." if more else ".")
        return Answer(answer=text, evidence=ev, form="bought")

    def _ask_last(self, m: re.Match[str], now: datetime) -> Answer:
        action = m.group("action")
        see = re.match(r"^(?:see|saw|seen|spot|spotted|notice|noticed)\s+(?P<thing>.+)$", action)
        if see:
            return self._ask_where(see, now)
        e = self.episodic.latest_matching(action, before=now)
        if e is None:
            return Answer(answer=f"I have no memory of doing that ({action}).", form="last")
        where = f" in the {_w(e.place)}" if e.place and e.place not in e.text else ""
        return Answer(
            answer=f"The last time was {_when(e.time, now)}: {e.text}{where}.",
            evidence=[_event_evidence(e)],
            form="last",
        )

    def _ask_window(self, m: re.Match[str], now: datetime) -> Answer:
        phrase = (m.group("when") or "today").strip()
        window = _window(phrase, now)
        topic = _topic_split(phrase, now) if window is None else None
        if topic is not None:
            return self._ask_topic(topic[0], topic[1], now)
        if window is None:
            return _time_not_understood(phrase, "window")
        label, start, end = window
        end = min(end, now)
        events = self.episodic.between(start, end) if start < end else []
        ev = [_event_evidence(e) for e in events]
        span = f"{_clock(start, now)}-{_clock(end, now)}"
        if not events:
            return Answer(
                answer=f"Nothing is recorded for {label} ({span}).", evidence=ev, form="window"
            )
        lines = [_event_line(e, now) for e in events[:_MAX_LISTED]]
        more = len(events) - _MAX_LISTED
        text = f"{label[0].upper()}{label[1:]} ({span}), {len(events)} event"
        text += f"{'s' if len(events) != 1 else ''}: " + "; ".join(lines)
        text += f"; and {more} more." if more > 0 else "."
        return Answer(answer=text, evidence=ev, form="window")

    def _ask_topic(
        self, topic: str, window: tuple[str, datetime, datetime] | None, now: datetime
    ) -> Answer:
        """Answer "what happened with the dishes yesterday": events about a topic."""
        label, start, end = window if window else ("so far", None, now)
        end = min(end, now) if end else now
        hits = self.episodic.search(topic, limit=_MAX_LISTED, start=start, end=end)
        events = sorted((h.event for h in hits), key=lambda e: e.time)
        ev = [_event_evidence(e) for e in events]
        if not events:
            return Answer(
                answer=f"I have no memory of anything about {topic} {label}.",
                evidence=ev,
                form="window",
            )
        lines = [f"{_when(e.time, now)}: {e.text}" for e in events]
        return Answer(
            answer=f"About {topic} {label}: " + "; ".join(lines) + ".", evidence=ev, form="window"
        )

    def _ask_contents(self, m: re.Match[str], now: datetime) -> Answer:
        place = _slug(m.group("place"))
        objs = self.spatial.objects_at(place)
        here = [o for o in objs if not o.missing]
        ev = [
            Evidence(kind="sighting", text=f"{o.name} {o.describe()}", time=o.time, place=o.place)
            for o in here
        ]
        if not here:
            known = place in self.spatial.fixtures() or place in self.spatial.rooms()
            text = (
                f"As far as I know, nothing is {m.group('rel')} the {_w(place)}."
                if known
                else f"I don't know a place called {_w(place)!r}."
            )
            return Answer(answer=text, evidence=ev, form="contents")
        names = ", ".join(
            f"{_w(o.name)} (seen {_when(o.time, now)})" if o.time else _w(o.name) for o in here
        )
        return Answer(
            answer=f"{m.group('rel').capitalize()} the {_w(place)}: {names}.",
            evidence=ev,
            form="contents",
        )

    def _ask_about(self, m: re.Match[str], now: datetime) -> Answer:
        subject = m.group("subject").strip()
        facts = self.symbolic.facts(subject=subject, at=now) or self.symbolic.facts(
            subject=_slug(subject), at=now
        )
        ev = [
            Evidence(kind="fact", text=f.text(), time=f.valid_from or f.created_at) for f in facts
        ]
        if not facts:
            return Answer(answer=f"I don't know anything about {subject} yet.", form="about")
        return Answer(
            answer=f"About {subject}: " + "; ".join(f.text() for f in facts) + ".",
            evidence=ev,
            form="about",
        )

    def _resolve_objects(self, phrase: str) -> list[ObjectSighting]:
        slug = _slug(phrase)
        variants = {slug, slug.rstrip("s"), slug + "s", slug.removesuffix("es")}
        known = self.spatial.known_objects()
        exact = [o for o in known if o.name in variants]
        by_kind = [o for o in known if o.kind in variants and o not in exact]
        found = exact + by_kind
        if not found:
            words = set(tokens(phrase))
            found = [o for o in known if words and words <= set(tokens(f"{o.name} {o.kind}"))]
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(found, key=lambda o: (o in exact, o.time or epoch), reverse=True)


_Handler = Callable[[re.Match[str], datetime], Answer]


# --- parsing ----------------------------------------------------------------------------

_ART = r"(?:(?:my|the|our|your|his|her|their|a|an)\s+)?"
_TAIL = r"(?:\s+(?:now|last|at the moment|right now))?$"
_RE_WHERE = (
    re.compile(rf"^where\s+(?:is|are|was|were)\s+{_ART}(?P<thing>.+?){_TAIL}"),
    re.compile(
        rf"^where\s+did\s+(?:i|you|we)\s+(?:last\s+)?(?:see|put|leave|place|spot)\s+"
        rf"{_ART}(?P<thing>.+?){_TAIL}"
    ),
    re.compile(rf"^have\s+you\s+seen\s+{_ART}(?P<thing>.+?){_TAIL}"),
    re.compile(rf"^when\s+did\s+you\s+last\s+(?:see|spot|notice)\s+{_ART}(?P<thing>.+)$"),
)
_RE_BOUGHT = (
    re.compile(
        r"^what\s+(?:did|have)\s+(?:you|we)\s+(?:buy|bought|order|ordered|get\s+delivered"
        r"|had\s+delivered)(?:\s+(?P<when>.+))?$"
    ),
    re.compile(r"^what\s+(?:was|has\s+been)\s+(?:bought|ordered|delivered)(?:\s+(?P<when>.+))?$"),
)
_RE_LIST = (
    re.compile(rf"^what\s+(?:is|are|do\s+we\s+have)\s+(?:on|in)\s+{_ART}(?P<list>.+?)\s+list$"),
    re.compile(r"^what\s+(?:do|should)\s+(?:we|i)\s+(?:need\s+to\s+)?(?:buy|get)\b.*$"),
)
_RE_LAST = (
    re.compile(r"^when\s+did\s+you\s+last\s+(?P<action>.+)$"),
    re.compile(r"^when\s+was\s+the\s+last\s+time\s+(?:that\s+)?you\s+(?P<action>.+)$"),
    re.compile(r"^when\s+did\s+you\s+(?P<action>.+?)\s+last$"),
)
_RE_WINDOW = (
    re.compile(
        r"^what\s+(?:happened|did\s+you\s+do|went\s+on|was\s+done|have\s+you\s+done)"
        r"(?:\s+(?P<when>.+))?$"
    ),
)
_RE_CONTENTS = (re.compile(rf"^what\s+(?:is|are)\s+(?P<rel>in|on)\s+{_ART}(?P<place>.+)$"),)
_RE_ABOUT = (re.compile(r"^what\s+do\s+you\s+know\s+about\s+(?P<subject>.+)$"),)


def _normalise(question: str) -> str:
    q = question.strip().lower().replace("\u2019", "'")
    q = re.sub(r"[?!.]+$", "", q).strip()
    q = re.sub(r"\b(what|where|who|how)'s\b", r"\1 is", q)
    q = re.sub(r"\bwhen's\b", "when is", q)
    return " ".join(q.split())


def _slug(phrase: str) -> str:
    return "_".join(phrase.strip().lower().split())


def _time_not_understood(phrase: str, form: str) -> Answer:
    return Answer(
        answer=f"I don't understand the time {phrase!r}. Try 'today', 'yesterday evening', "
        "'this morning', 'on Tuesday' or 'last week'.",
        understood=False,
        form=form,
    )


def _w(name: str | None) -> str:
    return (name or "").replace("_", " ")


def _list_name(raw: str) -> str:
    raw = raw.strip().lower()
    if raw in ("shopping", "grocery", "groceries", "shop"):
        return SHOPPING
    if raw.replace("-", "").replace(" ", "") == "todo":
        return "todo"
    return _slug(raw)


def _local(t: datetime, now: datetime) -> datetime:
    return t.astimezone(now.tzinfo)


def _clock(t: datetime, now: datetime) -> str:
    return _local(t, now).strftime("%H:%M")


def _when(t: datetime | None, now: datetime) -> str:
    """``"today at 14:05"``, ``"yesterday at 19:10"``, ``"on Tuesday at 09:00"``..."""
    if t is None:
        return "at an unknown time"
    lt, ln = _local(t, now), now
    days = (ln.date() - lt.date()).days
    hm = lt.strftime("%H:%M")
    if days == 0:
        return f"today at {hm}"
    if days == 1:
        return f"yesterday at {hm}"
    if 1 < days < 7:
        return f"on {lt.strftime('%A')} at {hm}"
    return f"on {lt.day} {lt.strftime('%B %Y')} at {hm}"


def _sighting_sentence(o: ObjectSighting, now: datetime) -> str:
    what = _w(o.name)
    if o.missing:
        return (
            f"I last saw the {what} {o.describe()} {_when(o.time, now)}, but it was not there "
            f"when I looked {_when(o.missing_since, now)}."
        )
    return f"I last saw the {what} {o.describe()} {_when(o.time, now)}."


def _event_evidence(e: EventView) -> Evidence:
    return Evidence(kind="event", text=e.text, time=e.time, place=e.place)


def _event_line(e: EventView, now: datetime) -> str:
    where = f" ({_w(e.place)})" if e.place and _w(e.place) not in e.text.lower() else ""
    return f"{_clock(e.time, now)} {e.text}{where}"


def _at(day: date, hour: int, now: datetime) -> datetime:
    # Hours >= 24 spill into the next day (night runs past midnight).
    extra, hour = divmod(hour, 24)
    return datetime.combine(day + timedelta(days=extra), time(hour), tzinfo=now.tzinfo)


def _topic_split(
    phrase: str, now: datetime
) -> tuple[str, tuple[str, datetime, datetime] | None] | None:
    """Split "with the dishes yesterday evening" into a topic and an optional window."""
    m = re.match(r"^(?:with|to|about|regarding|in|at)\s+(?P<rest>.+)$", phrase)
    if not m:
        return None
    words = m.group("rest").split()
    for i in range(1, len(words) + 1):
        topic, when = " ".join(words[:i]), " ".join(words[i:])
        window = _window(when, now) if when else None
        if when and window is None:
            continue
        topic = re.sub(r"^(?:the|my|our|a|an)\s+", "", topic)
        return (topic, window) if topic else None
    return None


def _window(phrase: str, now: datetime) -> tuple[str, datetime, datetime] | None:
    """Parse "yesterday evening", "on tuesday", "this morning", "last week"..."""
    p = " ".join(phrase.replace(",", " ").split())
    p = re.sub(r"^(?:on|in|during|over)\s+", "", p)
    today = now.date()
    if p in ("this week", "last week"):
        monday = today - timedelta(days=today.weekday())
        if p == "this week":
            return p, _at(monday, 0, now), now
        return p, _at(monday - timedelta(days=7), 0, now), _at(monday, 0, now)
    if p == "last night":
        return p, _at(today - timedelta(days=1), 17, now), _at(today, 5, now)
    if p == "tonight":
        return p, _at(today, 17, now), _at(today, 29, now)
    m = re.match(
        r"^(?:(?P<this>this)\s+(?P<part0>morning|afternoon|evening)"
        r"|(?:(?P<last>last)\s+)?(?P<day>today|yesterday|the day before yesterday|"
        + "|".join(_WEEKDAYS)
        + r")(?:\s+(?:in\s+the\s+)?(?P<part>morning|afternoon|evening|night))?)$",
        p,
    )
    if not m:
        return None
    part = m.group("part0") or m.group("part")
    day_word = m.group("day") or "today"
    if day_word == "today":
        day = today
    elif day_word == "yesterday":
        day = today - timedelta(days=1)
    elif day_word == "the day before yesterday":
        day = today - timedelta(days=2)
    else:
        back = (today.weekday() - _WEEKDAYS.index(day_word)) % 7
        if m.group("last") and back == 0:
            back = 7
        day = today - timedelta(days=back)
    if not m.group("day") or day_word in ("today", "yesterday"):
        label = p
    else:
        label = f"{day.strftime('%A')}{f' {part}' if part else ''}, {day.day} {day:%B}"
    if part is None:
        return label, _at(day, 0, now), _at(day, 24, now)
    h0, h1 = _DAY_PARTS[part]
    return label, _at(day, h0, now), _at(day, h1, now)
