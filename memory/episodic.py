"""Episodic memory: a time-stamped log of what happened, with search.

Every task, subtask outcome, conversation turn and safety event can be recorded as an
:class:`EventView`. Queries are by time window (``between``), latest match (``last``) and
relevance (``search``). Search goes through the small :class:`EventSearcher` protocol:
:class:`KeywordSearcher` (BM25 over stemmed words) needs nothing, and
:class:`memory.semantic.EmbeddingSearcher` searches by meaning with the shipped sentence
model. Given an embedder, :meth:`EpisodicMemory.record` stores each event's embedding as it
is written (:meth:`EpisodicMemory.record_many` embeds a batch at once).
"""

from __future__ import annotations

import functools
import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel
from sqlalchemy import Select, func, insert, or_, select
from sqlalchemy.orm import Session

from housemind.memory._util import require_aware, tokens
from housemind.memory.db import Database
from housemind.memory.models import Event

if TYPE_CHECKING:
    from housemind.memory.embeddings import TextEmbedder

__all__ = [
    "EpisodicMemory",
    "EventFilter",
    "EventHit",
    "EventSearcher",
    "EventView",
    "KeywordSearcher",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventFilter:
    """Which events a search may return (every field optional).

    Attributes:
        start: Only events at or after this time.
        end: Only events before this time.
        kind: Only events of this kind.
        place: Only events at this place.
    """

    start: datetime | None = None
    end: datetime | None = None
    kind: str | None = None
    place: str | None = None


class EventView(BaseModel):
    """A recorded event."""

    id: int
    time: datetime
    kind: str
    text: str
    place: str | None = None
    task_id: str | None = None
    data: dict[str, Any] = {}

    @classmethod
    def from_record(cls, e: Event) -> EventView:
        """Build from an ``events`` row."""
        return cls.model_validate(e, from_attributes=True)


class EventHit(BaseModel):
    """A search result: an event and its relevance score (higher is better)."""

    event: EventView
    score: float


@runtime_checkable
class EventSearcher(Protocol):
    """Ranks events for a free-text query (keyword today, embeddings later)."""

    def search(self, session: Session, query: str, base: Select, limit: int) -> list[EventHit]:
        """Return the ``limit`` best events among those ``base`` selects, best first.

        Args:
            session: Open session to query with.
            query: Free text.
            base: ``select(Event)`` already filtered by time window, place and kind.
            limit: How many hits at most.
        """
        ...


@functools.lru_cache(maxsize=16384)
def _doc_terms(text: str, place: str | None) -> Counter[str]:
    """Term counts of one event (events never change: each is read once, not per query).

    The returned counter is shared: read it, never change it.
    """
    return Counter(tokens(f"{text} {place or ''}"))


class KeywordSearcher:
    """BM25 over stemmed, stopword-free words of the event text and place.

    A ``LIKE`` prefilter fetches only events containing some query stem, so the cost grows
    with the number of matching events, not with the size of the log. Corpus statistics
    (document frequency, average length) come from that candidate set and the window's
    event count.

    Args:
        k1: BM25 term-frequency saturation.
        b: BM25 length normalisation.
        max_candidates: Cap on events scored per query (newest first).
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, max_candidates: int = 5000) -> None:
        self.k1, self.b, self.max_candidates = k1, b, max_candidates

    def search(self, session: Session, query: str, base: Select, limit: int) -> list[EventHit]:
        """See :meth:`EventSearcher.search`."""
        terms = list(dict.fromkeys(tokens(query)))
        if not terms:
            return []
        likes = [func.lower(Event.text).like(f"%{t}%") for t in terms]
        likes += [func.lower(Event.place).like(f"%{t}%") for t in terms]
        # Only the columns that are scored (whole events only for the hits returned).
        q = (
            base.with_only_columns(Event.id, Event.time, Event.text, Event.place)
            .where(or_(*likes))
            .order_by(Event.time.desc())
            .limit(self.max_candidates)
        )
        candidates = session.execute(q).all()
        if not candidates:
            return []
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 1
        docs = [_doc_terms(e.text, e.place) for e in candidates]
        avg_len = sum(sum(d.values()) for d in docs) / len(docs) or 1.0
        df = {t: sum(1 for d in docs if t in d) for t in terms}
        hits = []
        for e, d in zip(candidates, docs, strict=True):
            length = sum(d.values())
            score = 0.0
            for t in terms:
                tf = d.get(t, 0)
                if not tf:
                    continue
                idf = math.log(1 + (total - df[t] + 0.5) / (df[t] + 0.5))
                score += (
                    idf
                    * tf
                    * (self.k1 + 1)
                    / (tf + self.k1 * (1 - self.b + self.b * length / avg_len))
                )
            if score > 0:
                hits.append((score, e.time, e))
        # Equal scores: the more recent event first.
        hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
        best = hits[:limit]
        events = {
            e.id: e
            for e in session.scalars(select(Event).where(Event.id.in_([e.id for *_, e in best])))
        }
        return [EventHit(event=EventView.from_record(events[e.id]), score=sc) for sc, _, e in best]


class EpisodicMemory:
    """The robot's event log.

    Args:
        db: The database (already opened/migrated).
        searcher: Ranking backend for :meth:`search` (default :class:`KeywordSearcher`).
        embedder: Embeds each event's text as it is recorded; default the searcher's
            ``embedder`` when it has one (an ``EmbeddingSearcher``), else none (events
            are then embedded by the first semantic search that needs them).
    """

    def __init__(
        self,
        db: Database,
        searcher: EventSearcher | None = None,
        *,
        embedder: TextEmbedder | None = None,
    ) -> None:
        self.db = db
        self.searcher: EventSearcher = searcher or KeywordSearcher()
        self.embedder: TextEmbedder | None = embedder or getattr(searcher, "embedder", None)
        self._embed_failed = False

    def _vectors(self, texts: list[str]) -> list[bytes | None]:
        """Stored embeddings for ``texts`` (None each when there is no usable model)."""
        if self.embedder is None or self._embed_failed or not texts:
            return [None] * len(texts)
        from housemind.memory.embeddings import EmbeddingUnavailableError
        from housemind.memory.semantic import embed_texts, encode_vector

        try:
            vecs = embed_texts(self.embedder, texts)
        except EmbeddingUnavailableError as e:
            # Recording must never fail for want of a model: search embeds later.
            self._embed_failed = True
            logger.warning("events are stored without embeddings: %s", e)
            return [None] * len(texts)
        return [encode_vector(v) for v in vecs]

    def record(
        self,
        kind: str,
        text: str,
        when: datetime,
        *,
        place: str | None = None,
        task_id: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> int:
        """Append an event and return its id.

        Recording the very same event again (same time, kind, text, place and task) returns
        the existing id, so a re-run graph node does not log twice.

        Args:
            kind: Event kind (``"task"``, ``"subtask"``, ``"chat"``, ``"safety"``...).
            text: What happened, in words ("watered the plants in the living room").
            when: When it happened (timezone-aware).
            place: Room or fixture where it happened.
            task_id: The task it belongs to.
            data: Extra JSON-serialisable details.
        """
        require_aware(when, "event time")
        with self.db.session() as s:
            existing = s.scalars(
                select(Event.id).where(
                    Event.time == when,
                    Event.kind == kind,
                    Event.text == text,
                    Event.place.is_(None) if place is None else Event.place == place,
                    Event.task_id.is_(None) if task_id is None else Event.task_id == task_id,
                )
            ).first()
            if existing is not None:
                return existing
            from housemind.memory.semantic import event_text

            (vec,) = self._vectors([event_text(text, place)])
            e = Event(
                time=when,
                kind=kind,
                text=text,
                place=place,
                task_id=task_id,
                data=dict(data or {}),
                embedding=vec,
            )
            s.add(e)
            s.flush()
            return e.id

    def record_many(self, events: Iterable[Mapping[str, Any]]) -> int:
        """Append many events in one transaction, embedding their texts in one batch.

        For replaying logs and imports: unlike :meth:`record`, duplicates are not checked.

        Args:
            events: Mappings with ``kind``, ``text``, ``time`` (timezone-aware) and
                optionally ``place``, ``task_id``, ``data``.

        Returns:
            How many events were written.
        """
        from housemind.memory.semantic import event_text

        rows = []
        for ev in events:
            rows.append(
                {
                    "time": require_aware(ev["time"], "event time"),
                    "kind": ev["kind"],
                    "text": ev["text"],
                    "place": ev.get("place"),
                    "task_id": ev.get("task_id"),
                    "data": dict(ev.get("data") or {}),
                }
            )
        if not rows:
            return 0
        vecs = self._vectors([event_text(r["text"], r["place"]) for r in rows])
        for r, v in zip(rows, vecs, strict=True):
            r["embedding"] = v
        with self.db.session() as s:
            s.execute(insert(Event), rows)
        return len(rows)

    def between(
        self, start: datetime, end: datetime, kind: str | None = None, place: str | None = None
    ) -> list[EventView]:
        """Events with ``start <= time < end``, oldest first."""
        q = self._filtered(start, end, kind, place).order_by(Event.time, Event.id)
        with self.db.session() as s:
            return [EventView.from_record(e) for e in s.scalars(q)]

    def for_task(self, task_id: str, kind: str | None = None) -> list[EventView]:
        """Every event of task ``task_id`` (optionally of one kind), oldest first."""
        q = select(Event).where(Event.task_id == task_id)
        if kind is not None:
            q = q.where(Event.kind == kind)
        with self.db.session() as s:
            return [EventView.from_record(e) for e in s.scalars(q.order_by(Event.time, Event.id))]

    def last(
        self,
        kind: str | None = None,
        text_contains: str | None = None,
        *,
        before: datetime | None = None,
    ) -> EventView | None:
        """The most recent event of ``kind`` whose text contains ``text_contains``.

        Args:
            kind: Event kind to match.
            text_contains: Case-insensitive substring of the text.
            before: Only events strictly before this time.
        """
        q = self._filtered(None, before, kind, None)
        if text_contains:
            q = q.where(func.lower(Event.text).contains(text_contains.lower(), autoescape=True))
        q = q.order_by(Event.time.desc(), Event.id.desc()).limit(1)
        with self.db.session() as s:
            e = s.scalars(q).first()
            return EventView.from_record(e) if e is not None else None

    def latest_matching(
        self, query: str, before: datetime | None = None, kind: str | None = None
    ) -> EventView | None:
        """The latest event whose words include every content word of ``query``.

        Words are stemmed ("water the plants" matches "watered the plants"). When no event
        has all the words, the best :meth:`search` hit answers instead.

        Args:
            query: What happened, in words ("take out the trash").
            before: Only events strictly before this time.
            kind: Only events of this kind.
        """
        terms = set(tokens(query))
        if not terms:
            return None
        q = self._filtered(None, before, kind, None)
        q = q.where(
            *(
                func.lower(Event.text + " " + func.coalesce(Event.place, "")).like(f"%{t}%")
                for t in terms
            )
        )
        with self.db.session() as s:
            # LIKE is a superset ("water" also hits "watermelon"): confirm on whole words,
            # newest first, streaming so an old match does not load the whole log.
            for e in s.scalars(q.order_by(Event.time.desc(), Event.id.desc())):
                if terms <= set(tokens(f"{e.text} {e.place or ''}")):
                    return EventView.from_record(e)
        hits = self.search(query, limit=10, end=before, kind=kind)
        if not hits:
            return None
        if not getattr(self.searcher, "search_filtered", None):
            return hits[0].event
        # By meaning, near-equal scores are the same deed: "when did you last X" wants the
        # latest of them, not the one whose wording happens to be closest.
        near = [h for h in hits if h.score >= hits[0].score - 0.05]
        return max(near, key=lambda h: h.event.time).event

    def search(
        self,
        query: str,
        limit: int = 10,
        start: datetime | None = None,
        end: datetime | None = None,
        place: str | None = None,
        *,
        kind: str | None = None,
    ) -> list[EventHit]:
        """Events most relevant to ``query``, best first.

        Args:
            query: Free text ("watering plants").
            limit: How many hits at most.
            start: Only events at or after this time.
            end: Only events before this time.
            place: Only events at this place.
            kind: Only events of this kind.
        """
        base = self._filtered(start, end, kind, place)
        filtered = getattr(self.searcher, "search_filtered", None)
        with self.db.session() as s:
            if filtered is not None:
                return filtered(s, query, base, limit, EventFilter(start, end, kind, place))
            return self.searcher.search(s, query, base, limit)

    def count(self) -> int:
        """Number of recorded events."""
        with self.db.session() as s:
            return s.scalar(select(func.count(Event.id))) or 0

    @staticmethod
    def _filtered(
        start: datetime | None, end: datetime | None, kind: str | None, place: str | None
    ) -> Select:
        q = select(Event)
        if start is not None:
            q = q.where(Event.time >= require_aware(start, "start"))
        if end is not None:
            q = q.where(Event.time < require_aware(end, "end"))
        if kind is not None:
            q = q.where(Event.kind == kind)
        if place is not None:
            q = q.where(Event.place == place)
        return q
