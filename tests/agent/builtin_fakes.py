"""Fakes for the built-in planner's tests: a tiny embedder and a hand-made home."""

from __future__ import annotations

import hashlib

import numpy as np

from housemind.agent.planners import FixtureInfo, PlanContext
from housemind.skills import REGISTRY


class HashEmbedder:
    """Bag of hashed words: deterministic unit vectors, no model to load.

    Texts that share words get similar vectors, which is all the tests need.
    """

    dim = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for w in text.lower().split():
                h = int(hashlib.sha1(w.encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0
                out[i, (h // self.dim) % self.dim] += 0.5
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
            if not n:
                out[i, 0] = 1.0
        return out


FIXTURES = {
    "sink": FixtureInfo(name="sink", kind="sink", room="kitchen", container=True, switchable=True),
    "counter": FixtureInfo(name="counter", kind="counter", room="kitchen", surface=True),
    "table": FixtureInfo(name="table", kind="table", room="kitchen", surface=True),
    "fridge": FixtureInfo(
        name="fridge", kind="fridge", room="kitchen", openable=True, container=True
    ),
    "cabinet": FixtureInfo(
        name="cabinet", kind="cabinet", room="kitchen", openable=True, container=True
    ),
    "stove": FixtureInfo(name="stove", kind="stove", room="kitchen", switchable=True, surface=True),
    "shelf": FixtureInfo(name="shelf", kind="shelf", room="living_room", surface=True),
    "laundry_basket": FixtureInfo(
        name="laundry_basket", kind="laundry_basket", room="bedroom", container=True
    ),
}
ROOMS = ["kitchen", "living_room", "bedroom", "hallway"]


def context(**kw) -> PlanContext:
    """A small kitchen-and-living-room home; keyword arguments override fields."""
    base = dict(
        rooms=ROOMS,
        fixtures=FIXTURES,
        robot_room="hallway",
        facts=["hand_empty", "closed(fridge)", "closed(cabinet)", "switched_off(stove)"],
        skills=REGISTRY.names(),
    )
    base.update(kw)
    return PlanContext(**base)
