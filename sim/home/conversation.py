"""The simulated resident's side of a conversation: answers to the robot's check-ins.

In simulation nobody types ``housemind answer``; the resident answers when at home and
awake, deterministically for a seed and a day, and says nothing while away or asleep (so
the robot's timeout fallback is exercised too).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from housemind.sim.home.catalogue import OBJECT_KINDS

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = ["SimulatedResident"]

_GROCERIES = (
    "eggs",
    "bread",
    "coffee",
    "apples",
    "cheese",
    "rice",
    "pasta",
    "tomatoes",
    "yoghurt",
    "butter",
    "bananas",
    "oat milk",
)


class SimulatedResident:
    """Answers check-in questions on behalf of the people living in a HomeSim home.

    Args:
        env: The simulated home (for presence and the clock).
        seed: Makes answers differ between homes but repeat for the same seed.
        awake_hours: Local hours ``[start, end)`` during which a resident answers.
    """

    def __init__(
        self, env: HomeSimEnv, seed: int = 0, awake_hours: tuple[int, int] = (7, 22)
    ) -> None:
        self.env = env
        self.seed = seed
        self.awake_hours = awake_hours

    def approve(self, question: str) -> bool | None:
        """A resident's answer to a confirmation request ("May I 'switch on the stove'?").

        Someone at home and awake looks and agrees (True); None when nobody is there to
        ask. The safety monitor asks only about steps it judged may be fine (``confirm``);
        steps it refuses (``deny``) never reach a person.
        """
        now = self.env.clock.now()
        if not self.env.presence() or not (self.awake_hours[0] <= now.hour < self.awake_hours[1]):
            return None
        return True

    def __call__(self, question: str) -> str | None:
        """The answer, or None when nobody is home and awake."""
        now = self.env.clock.now()
        if not self.env.presence() or not (self.awake_hours[0] <= now.hour < self.awake_hours[1]):
            return None
        key = f"{self.seed}:{now.date().isoformat()}:{question}".encode()
        h = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
        n = 1 + h % 3
        # What this household uses (the food and drink kinds it keeps), else a generic list.
        kept = sorted(
            {
                o.kind.replace("_", " ")
                for o in self.env.world.objects.values()
                if (k := OBJECT_KINDS.get(o.kind)) is not None
                and k.category in ("food", "drink")
                and o.kind != "pet_food"
            }
        )
        pool = tuple(kept) or _GROCERIES
        picks = [pool[(h >> (8 * i)) % len(pool)] for i in range(n)]
        items = list(dict.fromkeys(picks))
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
