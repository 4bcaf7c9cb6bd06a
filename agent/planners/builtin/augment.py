"""Goal-text augmentation for training the built-in planner: the way people really ask.

The training wordings are a few hand-written sentences per task; people also wrap a
request in politeness or a reason ("could you...", "I'm going out soon, ..."), add a
"pls" or a "thanks", swap a verb for a colloquial one ("chuck", "pop", "grab") and make
typos. :func:`augment_goal` rewrites a filled goal in such a way, keeping the names of
the things the task is about (``keep``) untouched, so what the goal refers to does not
change and the expert's choice stays the right label.

The rewrite is a pure function of the text, ``keep`` and a seed, so the same settings
give the same training data (and the sentence-embedding cache is reused).
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterable

__all__ = ["augment_goal"]

#: Openings that turn an order into a request or give a reason first.
_PREFIXES: tuple[str, ...] = (
    "could you ",
    "can you ",
    "would you ",
    "would you mind, ",
    "please ",
    "hey, ",
    "when you get a chance, ",
    "I'm going out soon, ",
    "I'm going to be busy, ",
    "quick favour: ",
    "if you don't mind, ",
    "do me a favour and ",
    "robot, ",
    "right, ",
)
#: Endings.
_SUFFIXES: tuple[str, ...] = (
    " please",
    " pls",
    " thanks",
    " thank you",
    " for me",
    " when you can",
    " if you can",
    ", cheers",
    "?",
    "!",
)
#: Everyday verbs and their colloquial stand-ins (whole words only).
_VERBS: dict[str, tuple[str, ...]] = {
    "put": ("pop", "stick", "place", "leave"),
    "throw": ("chuck", "toss", "bin"),
    "bring": ("fetch", "get", "carry"),
    "take": ("carry", "move", "bring"),
    "get": ("grab", "fetch"),
    "move": ("shift", "take"),
    "close": ("shut",),
    "shut": ("close",),
    "switch": ("turn",),
    "turn": ("switch",),
    "tidy": ("clean up", "sort out"),
    "return": ("put back",),
    "clean": ("wipe",),
    "please": ("pls", "plz"),
    "you": ("u", "ya"),
}
_WORD = re.compile(r"[A-Za-z']+")


def _typo(word: str, rng: random.Random) -> str:
    """One keyboard slip in a word: swap, drop or double a letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def augment_goal(goal: str, keep: Iterable[str] = (), *, seed: int = 0) -> str:
    """A rewording of ``goal`` as people say it; the words of ``keep`` stay as they are.

    Args:
        goal: A filled goal ("put the milk in the fridge").
        keep: Names whose words must not change (the task's objects, fixtures, people,
            rooms, with spaces or underscores).
        seed: Varies the rewrite; the result is a pure function of the arguments.

    Returns:
        The rewritten goal (at least one change: an opening, an ending, a colloquial verb
        or a typo), never empty.
    """
    text = " ".join(goal.split())
    if not text:
        return goal
    protected = {w.lower() for k in keep for w in str(k).replace("_", " ").split()}
    rng = random.Random(zlib.crc32(f"{seed}\x00{text}".encode()))

    def swap_words(s: str, p_verb: float, p_typo: float) -> str:
        def one(m: re.Match[str]) -> str:
            w = m.group(0)
            low = w.lower()
            if low in protected:
                return w
            if low in _VERBS and rng.random() < p_verb:
                return rng.choice(_VERBS[low])
            if rng.random() < p_typo:
                return _typo(w, rng)
            return w

        return _WORD.sub(one, s)

    out = swap_words(text, 0.35, 0.06)
    lowered = out[0].lower() + out[1:]
    starts_polite = re.match(r"(?i)(could|can|would|will|please|pls)\b", out) is not None
    if not starts_polite and rng.random() < 0.6:
        out = rng.choice(_PREFIXES) + lowered
    if rng.random() < 0.4:
        out = out.rstrip(" .!?") + rng.choice(_SUFFIXES)
    if out == text:  # always some change: an ending
        out = text.rstrip(" .!?") + rng.choice(_SUFFIXES)
    return out
