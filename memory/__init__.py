"""Memory: the database, and the robot's spatial, symbolic and episodic memory.

Open the store with :func:`open_database` (or :meth:`Memory.open`), which checks and
migrates it; then use :class:`Memory` (``.spatial``, ``.symbolic``, ``.episodic``,
``.ask(...)``). ORM models live in :mod:`memory.models`.
"""

from memory.api import QUESTION_FORMS, Answer, Evidence, Memory
from memory.db import DEFAULT_URL, Database, MemoryStoreError, open_database
from memory.episodic import (
    EpisodicMemory,
    EventHit,
    EventSearcher,
    EventView,
    KeywordSearcher,
)
from memory.spatial import KIND_PRIORS, ObjectSighting, SpatialMemory
from memory.symbolic import SHOPPING, ChecklistItemView, FactView, SymbolicMemory

__all__ = [
    "DEFAULT_URL",
    "KIND_PRIORS",
    "QUESTION_FORMS",
    "SHOPPING",
    "Answer",
    "ChecklistItemView",
    "Database",
    "EpisodicMemory",
    "EventHit",
    "EventSearcher",
    "EventView",
    "Evidence",
    "FactView",
    "KeywordSearcher",
    "Memory",
    "MemoryStoreError",
    "ObjectSighting",
    "SpatialMemory",
    "SymbolicMemory",
    "open_database",
]
