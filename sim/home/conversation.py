"""The simulated resident's side of a conversation: answers to the robot's questions.

In simulation nobody types ``housemind answer``; the resident answers when at home and
awake, deterministically for a seed and a day, and says nothing while away or asleep (so
the robot's timeout fallback is exercised too). Check-ins get a shopping answer; a
question for help ("I can't find the watering can; where is it?", "where should I put
it?") gets the truth from the simulator, as a person who lives there would know it.
"""

from __future__ import annotations

import hashlib
import re
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


_WHERE_IS = re.compile(
    r"(?:can't find|cannot find|where is|where are) (?:the |my |our )?"
    r"(?P<thing>[a-z0-9 _'-]+?)(?: \(|;|\?|,|$)"
)
_WHERE_GOES = re.compile(r"holding the (?P<thing>[a-z0-9 _'-]+?) and don't know where it goes")
_LET_PAST = re.compile(r"^(?P<who>[a-z0-9_]+), could you (?:let me past|make room for me)")
_WIPE_UP = re.compile(r"\((?P<names>[a-z0-9_:, -]+)\); could you wipe it up")


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
        #: Who gave the last answer.
        self.name: str | None = None

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
        people = self.env.presence()
        if not people or not (self.awake_hours[0] <= now.hour < self.awake_hours[1]):
            return None
        self.name = people[0]  # who answered (the runtime records it)
        m = _LET_PAST.search(question.lower())
        if m and m["who"] in people:
            self.name = m["who"]  # asked by name: they answer, and step aside
            return "sure" if self.env.make_way(m["who"]) else "sorry, I can't move right now"
        help_answer = self._help(question.lower())
        if help_answer is not None:
            return help_answer
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

    def _help(self, question: str) -> str | None:
        """The truthful answer to a question for help, or None for another question.

        Asked to wipe up a spill in the robot's way, the resident does (as they wipe up
        the spills of the room they are in after a piece of work): water and food spills
        go; a fire is not wiped up.
        """
        m = _WIPE_UP.search(question)
        if m:
            names = [n.strip() for n in m["names"].split(",")]
            spills = self.env.world.spills
            wet = [n for n in names if n in spills and spills[n].kind != "fire"]
            if not any(n in spills for n in names):
                return "I don't see a spill there"
            if not wet:
                return "that is not something I can wipe up"
            for n in wet:
                self.env.clean_spill(n)
            return "done, I wiped it up"
        m = _WHERE_GOES.search(question)
        if m:
            name = self._object(m["thing"])
            if name is None:
                return "I don't know where that goes"
            rel, place = self.env.conventions()[name]
            return f"it goes {rel} the {place.replace('_', ' ')}"
        m = _WHERE_IS.search(question)
        if m is None or m["thing"].strip() in ("it", "that", "this"):
            return None
        name = self._object(m["thing"])
        if name is None:
            return "I don't know; I don't think we have one"
        rel, place = self.env.object_location(name)
        where = place.replace("_", " ")
        if rel == "floor":
            return f"it's on the floor in the {where}"
        if rel == "held":
            return "you are holding it"
        if rel == "with":
            return f"{place} has it"
        return f"it's {rel} the {where}"

    def _object(self, words: str) -> str | None:
        key = "_".join(words.strip().split())
        objects = self.env.objects
        if key in objects:
            return key
        same_kind = sorted(n for n, o in objects.items() if o["kind"] == key)
        return same_kind[0] if same_kind else None
