"""``housemind bench memory``: how fast memory is at the sizes a home reaches.

:func:`run_bench` fills a fresh SQLite database with synthetic observations (a home of
five rooms, twenty fixtures and eighty objects that mostly stay put) and events (robot
chores and conversation turns, embedded with the shipped sentence model), then times the
queries the planner and a person make. A second database runs six simulated months of
operation with daily compaction and reports its size.
"""

from __future__ import annotations

import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from housemind.memory.embeddings import TextEmbedder

__all__ = ["run_bench"]

_T0 = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
_ROOMS = ("kitchen", "living_room", "bedroom", "bathroom", "hall")
_FIXTURE_KINDS = ("table", "shelf", "cabinet", "counter")
_KINDS = ("mug", "keys", "book", "remote", "plate", "toy", "phone", "towel")
_VERBS = (
    "watered the plants",
    "took out the trash",
    "loaded the dishwasher",
    "wiped the {f}",
    "put the {o} on the {f}",
    "brought the {o} to the {f}",
    "looked for the {o}",
    "checked the fridge for milk",
    "tidied the {r}",
    "vacuumed the {r}",
    "alex asked where the {o} is",
    "sam said dinner is at seven",
    "refused to leave the stove on",
    "folded the laundry",
    "fed the cat",
)
_QUERIES = (
    "when did I water the flowers",
    "emptying the bin",
    "cleaning the dishes",
    "what did alex ask",
    "moving a cup onto a table",
    "safety refusal about the cooker",
    "searching for the remote control",
    "cleaning the floor of the bedroom",
    "giving food to the pet",
    "putting away clothes",
)


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000.0, q)) if values else float("nan")


class _Home:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fixtures = {r: [f"{r}_{k}" for k in _FIXTURE_KINDS] for r in _ROOMS}
        self.where = {}
        for i in range(80):
            room = _ROOMS[i % len(_ROOMS)]
            self.where[f"{_KINDS[i % len(_KINDS)]}_{i}"] = (
                room,
                self.rng.choice(self.fixtures[room]),
            )

    def observation(self, when: datetime, per: int = 10) -> tuple[list[Any], datetime, str]:
        from housemind.skills.types import Detection

        rng = self.rng
        room = rng.choice(_ROOMS)
        here = [o for o, (r, _) in self.where.items() if r == room]
        for o in here:
            if rng.random() < 0.03:  # a person moved it
                self.where[o] = (room, rng.choice(self.fixtures[room]))
        dets = [
            Detection(
                name=f,
                kind=f.rsplit("_", 1)[1],
                category="fixture",
                position=(rng.uniform(0, 8), rng.uniform(0, 6)),
                distance=2.0,
                room=room,
                state={},
            )
            for f in self.fixtures[room]
        ]
        for o in rng.sample(here, min(per, len(here))):
            dets.append(
                Detection(
                    name=o,
                    kind=o.rsplit("_", 1)[0],
                    category="object",
                    position=(rng.uniform(0, 8), rng.uniform(0, 6)),
                    distance=1.5,
                    room=room,
                    relation=("on", self.where[o][1]),
                    state={},
                )
            )
        return dets, when, room

    def event(self, when: datetime) -> dict[str, Any]:
        rng = self.rng
        o = rng.choice(list(self.where))
        room, f = self.where[o]
        text = rng.choice(_VERBS).format(o=o.replace("_", " "), f=f.replace("_", " "), r=room)
        kind = "chat" if "said" in text or "asked" in text else rng.choice(("task", "subtask"))
        return {"kind": kind, "text": text, "time": when, "place": room}


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on every platform
        return None


def _file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _checkpoint(db: Any) -> None:
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def run_bench(
    *,
    observations: int = 100_000,
    events: int = 50_000,
    months: float = 6.0,
    queries: int = 500,
    seed: int = 0,
    workdir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    embedder: TextEmbedder | None = None,
) -> dict[str, Any]:
    """Run the memory benchmark on SQLite and return its numbers.

    Args:
        observations: Object sightings to insert (10 per observation, batched 100
            observations per transaction; the first 2,000 also one observation each).
        events: Episodic events to insert (embedded in batches).
        months: Simulated months of operation for the size measurement (30-day months).
        queries: Last-seen and semantic-search queries to time.
        seed: Random seed.
        workdir: Folder for the databases (default: a temporary folder, removed after).
        progress: Called with a line of text as each phase starts.
        embedder: Sentence model (default: the shipped one; tests pass a fake).

    Returns:
        A JSON-serialisable dict: targets, measured numbers, whether each target was met,
        the machine, the sentence model's backend (``embeddings_backend``) and the load
        average at the start and the end.
    """
    from housemind.memory.api import Memory
    from housemind.memory.db import open_database
    from housemind.memory.embeddings import EmbeddingUnavailableError
    from housemind.memory.semantic import EmbeddingSearcher

    say = progress or (lambda _msg: None)
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="housemind-bench-")
        workdir = tmp.name
    out: dict[str, Any] = {
        "backend": "sqlite",
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "sizes": {"observations": observations, "events": events, "months": months},
        # Latencies here move with whatever else the CPU is doing; say how busy it was.
        "load_average": {"start": _load_average()},
        "targets": {
            "last_seen_p95_ms": 2.0,
            "semantic_search_p95_ms": 20.0,
            "observation_inserts_per_s": 5000.0,
        },
    }
    try:
        path = Path(workdir) / "bench.db"
        searcher = EmbeddingSearcher(embedder)
        mem = Memory(open_database(f"sqlite:///{path}"), searcher=searcher)
        home = _Home(seed)
        rng = random.Random(seed + 1)

        # --- observations --------------------------------------------------------------
        say(f"inserting {observations} observations")
        n_obs = max(1, observations // 10)
        step = timedelta(seconds=15)
        batch = [home.observation(_T0 + i * step) for i in range(n_obs)]
        single = batch[: min(200, n_obs // 2)]
        t = time.perf_counter()
        for o in single:
            mem.spatial.observe(*o)
        single_dt = time.perf_counter() - t
        t = time.perf_counter()
        rest = batch[len(single) :]
        for k in range(0, len(rest), 100):
            mem.spatial.observe_many(rest[k : k + 100])
        batch_dt = time.perf_counter() - t
        n_single = sum(sum(d.category == "object" for d in o[0]) for o in single)
        n_rest = sum(sum(d.category == "object" for d in o[0]) for o in rest)
        out["observation_inserts_per_s"] = round(n_rest / batch_dt, 1) if n_rest else None
        out["observation_inserts_per_s_unbatched"] = (
            round(n_single / single_dt, 1) if n_single else None
        )
        out["observations_logged"] = mem.spatial.observation_count()

        # --- last seen -----------------------------------------------------------------
        say(f"timing {queries} last-seen queries")
        names = list(home.where) + list(_KINDS)
        lat = []
        for _ in range(queries):
            name = rng.choice(names)
            t = time.perf_counter()
            mem.spatial.last_seen(name)
            lat.append(time.perf_counter() - t)
        out["last_seen_p50_ms"] = round(_p(lat, 50), 3)
        out["last_seen_p95_ms"] = round(_p(lat, 95), 3)

        # --- events --------------------------------------------------------------------
        say(f"inserting {events} events (embedding them)")
        span = timedelta(days=30 * months)
        gap = span / max(events, 1)
        t = time.perf_counter()
        try:
            for k in range(0, events, 2000):
                mem.episodic.record_many(
                    home.event(_T0 + (k + j) * gap) for j in range(min(2000, events - k))
                )
            out["event_inserts_per_s"] = round(events / (time.perf_counter() - t), 1)
            say("building the vector index")
            t = time.perf_counter()
            with mem.db.session() as s:
                searcher.sync(s)
            out["vector_index_build_s"] = round(time.perf_counter() - t, 3)
            say(f"timing {queries} semantic searches")
            lat, lat_cached, lat_filtered = [], [], []
            for i in range(queries):
                q = f"{rng.choice(_QUERIES)} #{i}"  # a new text each time: no cache hit
                t = time.perf_counter()
                hits = mem.episodic.search(q, limit=10)
                lat.append(time.perf_counter() - t)
                t = time.perf_counter()
                mem.episodic.search(q, limit=10)
                lat_cached.append(time.perf_counter() - t)
                day = _T0 + timedelta(days=rng.uniform(0, span.days - 1))
                t = time.perf_counter()
                mem.episodic.search(
                    q, limit=10, start=day, end=day + timedelta(days=1), place="kitchen"
                )
                lat_filtered.append(time.perf_counter() - t)
            out["semantic_search_p50_ms"] = round(_p(lat, 50), 3)
            out["semantic_search_p95_ms"] = round(_p(lat, 95), 3)
            out["semantic_search_p95_ms_query_embedding_cached"] = round(_p(lat_cached, 95), 3)
            out["semantic_search_filtered_p95_ms"] = round(_p(lat_filtered, 95), 3)
            out["semantic_search_sample"] = {
                "query": q,
                "top": [h.event.text for h in hits[:3]],
            }
        except EmbeddingUnavailableError as e:
            out["semantic_search_p95_ms"] = None
            out["semantic_search_error"] = str(e)
        _checkpoint(mem.db)
        out["embeddings_backend"] = getattr(searcher.embedder, "backend", None)
        out["bench_db_bytes"] = _file_size(path)
        mem.close()

        # --- six months, compacted -----------------------------------------------------
        days = int(round(30 * months))
        say(f"simulating {days} days of operation with daily compaction")
        path6 = Path(workdir) / "months.db"
        mem6 = Memory(open_database(f"sqlite:///{path6}"), searcher=searcher)
        home6 = _Home(seed + 2)
        obs_per_day, events_per_day, keep_days = 60, 40, 7
        t = time.perf_counter()
        for day in range(days):
            d0 = _T0 + timedelta(days=day)
            mem6.spatial.observe_many(
                home6.observation(d0 + timedelta(minutes=15 * i)) for i in range(obs_per_day)
            )
            mem6.episodic.record_many(
                home6.event(d0 + timedelta(minutes=20 * i)) for i in range(events_per_day)
            )
            mem6.compact(d0 - timedelta(days=keep_days))
        _checkpoint(mem6.db)
        out["months"] = {
            "days": days,
            "observations_per_day": obs_per_day * 10,
            "events_per_day": events_per_day,
            "raw_days_kept": keep_days,
            "db_bytes": _file_size(path6),
            "db_mb": round(_file_size(path6) / 1e6, 2),
            "raw_observations_left": mem6.spatial.observation_count(),
            "events": mem6.episodic.count(),
            "wall_s": round(time.perf_counter() - t, 1),
        }
        mem6.close()
    finally:
        if tmp is not None:
            tmp.cleanup()
    out["load_average"]["end"] = _load_average()
    tg = out["targets"]
    out["met"] = {
        "last_seen_p95_ms": out["last_seen_p95_ms"] <= tg["last_seen_p95_ms"],
        "semantic_search_p95_ms": out.get("semantic_search_p95_ms") is not None
        and out["semantic_search_p95_ms"] <= tg["semantic_search_p95_ms"],
        "observation_inserts_per_s": (out["observation_inserts_per_s"] or 0)
        >= tg["observation_inserts_per_s"],
    }
    return out
