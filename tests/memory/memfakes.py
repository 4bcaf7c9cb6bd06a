"""Fakes for memory tests: perceptions built from plain values (no simulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from skills.types import Detection

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
