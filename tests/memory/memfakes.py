"""Fakes for memory tests: perceptions built from plain values (no simulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from housemind.skills.types import Detection

T0 = datetime(2025, 6, 3, 8, 0, tzinfo=UTC)  # a Tuesday


def obj(
    name: str,
    room: str,
    on: tuple[str, str] | None = None,
    kind: str | None = None,
    x: float = 1.0,
    y: float = 2.0,
    **state,
) -> Detection:
    """A fake perception of a movable object."""
    return Detection(
        name=name,
        kind=kind or name.rstrip("_0123456789"),
        category="object",
        position=(x, y),
        distance=1.5,
        room=room,
        relation=on,
        state=state,
    )


def fixture(name: str, room: str, kind: str | None = None, **state) -> Detection:
    """A fake perception of a fixture."""
    return Detection(
        name=name,
        kind=kind or name,
        category="fixture",
        position=(3.0, 4.0),
        distance=2.0,
        room=room,
        state=state,
    )


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class HashEmbedder:
    """A fake sentence model: stemmed words hashed into a unit vector (fast, no torch).

    Texts that share words are similar, texts that share none are orthogonal; enough to
    test the semantic index's bookkeeping without loading the real model.
    """

    dim = 384

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def encode(self, texts: list[str]):
        import zlib

        import numpy as np

        from housemind.memory._util import tokens

        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            for w in tokens(t):
                out[i, zlib.crc32(w.encode()) % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out


class BrokenEmbedder:
    """A fake sentence model that cannot be loaded."""

    dim = 384

    def encode(self, texts: list[str]):
        from housemind.memory.embeddings import EmbeddingUnavailableError

        raise EmbeddingUnavailableError("no model here (a test fake)")
