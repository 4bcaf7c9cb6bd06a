"""Memory: the database, and the robot's spatial, symbolic and episodic memory.

Open the store with :func:`open_database` (or :meth:`Memory.open`), which checks and
migrates it; then use :class:`Memory` (``.spatial``, ``.symbolic``, ``.episodic``,
``.ask(...)``). ORM models live in :mod:`memory.models`.

``Memory(db, semantic=True)`` searches events by meaning (:class:`EmbeddingSearcher`, the
shipped sentence model; keywords when it is missing). ``Memory.context_for(goal)`` gives
the planner what is relevant within a size budget; ``Memory.compact(before)`` keeps months
of observations small; ``Memory.export_json()`` / ``import_json()`` move a home's memory.
``SpatialMemory.belief``, ``ranked_search``, ``scene_graph`` and ``render_belief_map``
give object permanence, search order and a top-down picture. Benchmark: ``housemind bench
memory``.
"""

from housemind.memory.api import QUESTION_FORMS, Answer, Evidence, Memory
from housemind.memory.db import (
    DEFAULT_URL,
    Database,
    MemoryStoreError,
    database_url,
    drop_home,
    list_homes,
    open_database,
)
from housemind.memory.episodic import (
    EpisodicMemory,
    EventFilter,
    EventHit,
    EventSearcher,
    EventView,
    KeywordSearcher,
)
from housemind.memory.semantic import EmbeddingSearcher
from housemind.memory.spatial import (
    KIND_PRIORS,
    MOBILITY_HALF_LIFE_H,
    CompactionReport,
    ObjectSighting,
    PlaceBelief,
    SpatialMemory,
    ViewCone,
)
from housemind.memory.symbolic import SHOPPING, ChecklistItemView, FactView, SymbolicMemory

__all__ = [
    "DEFAULT_URL",
    "KIND_PRIORS",
    "MOBILITY_HALF_LIFE_H",
    "QUESTION_FORMS",
    "SHOPPING",
    "Answer",
    "ChecklistItemView",
    "CompactionReport",
    "Database",
    "EmbeddingSearcher",
    "EpisodicMemory",
    "EventFilter",
    "EventHit",
    "EventSearcher",
    "EventView",
    "Evidence",
    "FactView",
    "KeywordSearcher",
    "Memory",
    "MemoryStoreError",
    "ObjectSighting",
    "PlaceBelief",
    "SpatialMemory",
    "SymbolicMemory",
    "ViewCone",
    "database_url",
    "drop_home",
    "list_homes",
    "open_database",
]
