"""Search the event log by meaning: sentence embeddings and an in-process vector index.

Each event's text is embedded with the shared sentence model (:func:`get_embedder`) and
stored in ``events.embedding`` as float16 bytes (half the size of float32; cosine scores
change by ~1e-3). :class:`EmbeddingSearcher` keeps every embedding of the log in a numpy
matrix, filters by time window, kind and place with masks, and ranks by cosine
similarity. The same code serves SQLite and PostgreSQL (a blob column and numpy need no
extension; pgvector is not in Debian's lists here).

The index stays in sync with the table on each search: rows with a larger id than it has
seen are appended (embedding any that were stored without one, e.g. by an older
housemind or a process without the model), and a row count that no longer matches
(deletions, an import, a late commit with a smaller id) rebuilds it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from housemind.memory.embeddings import EmbeddingUnavailableError, TextEmbedder, get_embedder
from housemind.memory.episodic import EventFilter, EventHit, EventView, KeywordSearcher
from housemind.memory.models import Event

__all__ = ["EmbeddingSearcher", "decode_vector", "embed_texts", "encode_vector", "event_text"]

logger = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_BATCH = 256


def encode_vector(v: np.ndarray) -> bytes:
    """A unit vector as the bytes stored in ``events.embedding`` (float16, little-endian)."""
    return np.asarray(v, dtype="<f2").tobytes()


def decode_vector(b: bytes) -> np.ndarray:
    """The float32 vector stored in ``events.embedding``."""
    return np.frombuffer(b, dtype="<f2").astype(np.float32)


def event_text(text: str, place: str | None) -> str:
    """What is embedded for an event: its text, plus the place when the text lacks it."""
    if place and place.replace("_", " ") not in text.lower():
        return f"{text} (in the {place.replace('_', ' ')})"
    return text


def _micros(t: datetime) -> int:
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return (t - _EPOCH) // _US


def embed_texts(embedder: TextEmbedder, texts: Sequence[str]) -> np.ndarray:
    """Embed ``texts``, encoding each distinct text once (robot logs repeat a lot)."""
    uniq = list(dict.fromkeys(texts))
    if not uniq:
        return np.zeros((0, embedder.dim), np.float32)
    vecs = embedder.encode(uniq)
    row = {t: i for i, t in enumerate(uniq)}
    return vecs[[row[t] for t in texts]]


class _Index:
    """Columns of the event log in numpy: ids, times, kind/place codes, vectors.

    A robot's log repeats itself ("go to the kitchen: success" hundreds of times), so each
    distinct text is stored and scored once: ``vec`` maps an event to its row of ``mat``.
    Scoring costs one pass over the distinct texts plus a gather over the events.
    """

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.counted_at = float("-inf")
        self.clear()

    def clear(self) -> None:
        self.n = 0
        self.max_id = 0
        self.ids = np.zeros(0, np.int64)
        self.times = np.zeros(0, np.int64)
        self.kinds = np.zeros(0, np.int32)
        self.places = np.zeros(0, np.int32)
        self.vec = np.zeros(0, np.int32)
        self.mat = np.zeros((0, self.dim), np.float32)
        self.u = 0
        self.rows: dict[str, int] = {}
        self.codes: dict[str | None, int] = {None: 0}

    def code(self, value: str | None) -> int:
        c = self.codes.get(value)
        if c is None:
            c = self.codes[value] = len(self.codes)
        return c

    def append(
        self,
        ids: list[int],
        times: list[int],
        kinds: list[str],
        places: list[str | None],
        texts: list[str],
        vecs: np.ndarray,
    ) -> None:
        k = len(ids)
        if not k:
            return
        need = self.n + k
        if need > len(self.ids):
            cap = max(need, 2 * len(self.ids), 1024)
            self.ids = np.resize(self.ids, cap)
            self.times = np.resize(self.times, cap)
            self.kinds = np.resize(self.kinds, cap)
            self.places = np.resize(self.places, cap)
            self.vec = np.resize(self.vec, cap)
        rows = []
        for text, v in zip(texts, vecs, strict=True):
            r = self.rows.get(text)
            if r is None:
                if self.u == len(self.mat):
                    mat = np.zeros((max(1024, 2 * self.u), self.dim), np.float32)
                    mat[: self.u] = self.mat[: self.u]
                    self.mat = mat
                r = self.rows[text] = self.u
                self.mat[r] = v
                self.u += 1
            rows.append(r)
        sl = slice(self.n, need)
        self.ids[sl] = ids
        self.times[sl] = times
        self.kinds[sl] = [self.code(x) for x in kinds]
        self.places[sl] = [self.code(x) for x in places]
        self.vec[sl] = rows
        self.n = need
        self.max_id = max(self.max_id, int(max(ids)))


class EmbeddingSearcher:
    """Ranks events by cosine similarity of sentence embeddings; an :class:`EventSearcher`.

    Args:
        embedder: The sentence model; default the shared :func:`get_embedder`.
        min_score: Hits below this cosine similarity are dropped (unrelated events).
        fallback: Used when the model cannot be loaded (default :class:`KeywordSearcher`);
            the reason is logged once.
    """

    def __init__(
        self,
        embedder: TextEmbedder | None = None,
        *,
        min_score: float = 0.35,
        fallback: KeywordSearcher | None = None,
    ) -> None:
        self.embedder: TextEmbedder = embedder or get_embedder()
        self.min_score = min_score
        self.fallback = fallback or KeywordSearcher()
        self.unavailable: str | None = None
        # One index per database: a searcher may serve several (tests, the benchmark).
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        #: Seconds between row counts when no new rows arrived (see :meth:`sync`).
        self.recount_s = 5.0

    # --- the EventSearcher protocol ---------------------------------------------------

    def search(self, session: Session, query: str, base: Select, limit: int) -> list[EventHit]:
        """Rank the events ``base`` selects (see :meth:`EventSearcher.search`).

        Prefer :meth:`search_filtered`: here the candidate ids come from running ``base``.
        """
        if self.unavailable:
            return self.fallback.search(session, query, base, limit)
        ids = np.fromiter(session.scalars(base.with_only_columns(Event.id)), np.int64)
        return self._search(session, query, limit, None, ids, base)

    def search_filtered(
        self, session: Session, query: str, base: Select, limit: int, flt: EventFilter
    ) -> list[EventHit]:
        """Rank events matching ``flt`` (``base`` is the same filter as SQL, for fallback)."""
        if self.unavailable:
            return self.fallback.search(session, query, base, limit)
        return self._search(session, query, limit, flt, None, base)

    # --- the index --------------------------------------------------------------------

    def invalidate(self) -> None:
        """Drop the in-process index (it is rebuilt on the next search)."""
        with self._lock:
            self._indexes.clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` with this searcher's model (distinct texts encoded once)."""
        return embed_texts(self.embedder, texts)

    def sync(self, session: Session) -> int:
        """Bring the index up to date with the ``events`` table; return its size.

        Raises:
            EmbeddingUnavailableError: if events need embedding and the model cannot load.
        """
        return self._sync(session).n

    def _sync(self, session: Session) -> _Index:
        key = session.get_bind().url.render_as_string(hide_password=True)
        with self._lock:
            idx = self._indexes.get(key)
            if idx is None:
                idx = self._indexes[key] = _Index(self.embedder.dim)
            max_id = int(session.scalar(select(func.max(Event.id))) or 0)
            now = time.monotonic()
            if max_id == idx.max_id and now - idx.counted_at < self.recount_s:
                return idx
            if max_id > idx.max_id:
                self._load(session, idx, idx.max_id)
            # Counting costs a scan of an index; do it when rows arrived or now and then,
            # to notice deletions and rows committed late with a smaller id.
            count = int(session.scalar(select(func.count()).select_from(Event)) or 0)
            idx.counted_at = now
            if count != idx.n:
                idx.clear()
                self._load(session, idx, 0)
            return idx

    def _load(self, session: Session, idx: _Index, after: int) -> None:
        q = (
            select(Event.id, Event.time, Event.kind, Event.place, Event.text, Event.embedding)
            .where(Event.id > after)
            .order_by(Event.id)
        )
        rows = session.execute(q.execution_options(yield_per=4096))
        for chunk in rows.partitions(4096):
            vecs = np.zeros((len(chunk), idx.dim), np.float32)
            todo = []
            for i, r in enumerate(chunk):
                if r.embedding is None or len(r.embedding) != 2 * idx.dim:
                    todo.append(i)
                else:
                    vecs[i] = decode_vector(r.embedding)
            if todo:
                fresh = self.embed([event_text(chunk[i].text, chunk[i].place) for i in todo])
                for i, v in zip(todo, fresh, strict=True):
                    vecs[i] = v
                # Store the backfill so the next process does not embed these again.
                _store_vectors(session, [chunk[i].id for i in todo], fresh)
            idx.append(
                [r.id for r in chunk],
                [_micros(r.time) for r in chunk],
                [r.kind for r in chunk],
                [r.place for r in chunk],
                [event_text(r.text, r.place) for r in chunk],
                vecs,
            )

    # --- ranking ----------------------------------------------------------------------

    def _query_vector(self, query: str) -> np.ndarray:
        v = self._queries.get(query)
        if v is None:
            v = self.embedder.encode([query])[0]
            self._queries[query] = v
            if len(self._queries) > 512:
                self._queries.popitem(last=False)
        else:
            self._queries.move_to_end(query)
        return v

    def _search(
        self,
        session: Session,
        query: str,
        limit: int,
        flt: EventFilter | None,
        ids: np.ndarray | None,
        base: Select,
    ) -> list[EventHit]:
        if not query.strip() or limit <= 0:
            return []
        try:
            idx = self._sync(session)
            qv = self._query_vector(query)
        except EmbeddingUnavailableError as e:
            self.unavailable = str(e)
            logger.warning("semantic event search unavailable, using keywords: %s", e)
            return self.fallback.search(session, query, base, limit)
        n = idx.n
        if n == 0:
            return []
        with self._lock:
            mask = self._mask(idx, flt, ids)
            if mask is not None and not mask.any():
                return []
            per_text = idx.mat[: idx.u] @ qv
            if mask is not None and mask.sum() < n // 4:
                rows = np.flatnonzero(mask)
                scores = per_text[idx.vec[rows]]
            else:
                rows = None
                scores = per_text[idx.vec[:n]]
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
            k = min(limit, len(scores))
            top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(k)
            top = top[np.argsort(-scores[top], kind="stable")]
            top = top[scores[top] >= self.min_score]
            chosen = (rows[top] if rows is not None else top).tolist()
            hit_ids = idx.ids[chosen].tolist()
            hit_scores = scores[top].tolist()
        if not hit_ids:
            return []
        events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(hit_ids)))}
        return [
            EventHit(event=EventView.from_record(events[i]), score=float(s))
            for i, s in zip(hit_ids, hit_scores, strict=True)
            if i in events
        ]

    @staticmethod
    def _mask(idx: _Index, flt: EventFilter | None, ids: np.ndarray | None) -> np.ndarray | None:
        n = idx.n
        mask: np.ndarray | None = None

        def both(m: np.ndarray) -> np.ndarray:
            return m if mask is None else mask & m

        if ids is not None:
            mask = both(np.isin(idx.ids[:n], ids))
        if flt is None:
            return mask
        if flt.start is not None:
            mask = both(idx.times[:n] >= _micros(flt.start))
        if flt.end is not None:
            mask = both(idx.times[:n] < _micros(flt.end))
        if flt.kind is not None:
            code = idx.codes.get(flt.kind, -1)
            mask = both(idx.kinds[:n] == code)
        if flt.place is not None:
            code = idx.codes.get(flt.place, -1)
            mask = both(idx.places[:n] == code)
        return mask


def _store_vectors(session: Session, ids: list[int], vecs: np.ndarray) -> None:
    if not ids:
        return
    session.execute(
        update(Event),
        [{"id": i, "embedding": encode_vector(v)} for i, v in zip(ids, vecs, strict=True)],
    )
    session.commit()
