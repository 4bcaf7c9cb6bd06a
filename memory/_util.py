"""Small helpers shared by the memory modules (not public API)."""

from __future__ import annotations

import re
from datetime import datetime

_WORD = re.compile(r"[a-z0-9]+")

_STOPWORDS_TEXT = (
    "a an the and or of to in on at by for with from into onto is are was were be been "
    "it its this that these those my our your his her their i you we he she they me us "
    "did do does done have has had what when where which who how"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Irregular past forms people use in questions ("when did you last feed the cat" vs an
# event text "fed the cat"): map them to the base form before stemming.
IRREGULAR = {
    "fed": "feed",
    "took": "take",
    "taken": "take",
    "ran": "run",
    "made": "make",
    "swept": "sweep",
    "bought": "buy",
    "threw": "throw",
    "thrown": "throw",
    "went": "go",
    "gone": "go",
    "ate": "eat",
    "eaten": "eat",
    "put": "put",
    "brought": "bring",
    "left": "leave",
    "hung": "hang",
    "saw": "see",
    "seen": "see",
    "found": "find",
    "did": "do",
    "done": "do",
    "washed": "wash",
    "dried": "dry",
    "tidied": "tidy",
    "emptied": "empty",
    "carried": "carry",
}


def require_aware(when: datetime, what: str = "time") -> datetime:
    """Return ``when`` if it is timezone-aware.

    Raises:
        ValueError: for a naive datetime (memory stores aware UTC times only).
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{what} {when!r} is naive: pass a timezone-aware datetime")
    return when


def stem(word: str) -> str:
    """A crude English stemmer, good enough for keyword matching of short robot logs."""
    word = IRREGULAR.get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    # "mopped" -> "mopp" -> "mop"; "running" -> "runn" -> "run"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Lower-case, split on non-alphanumerics (``_`` too), drop stopwords, stem."""
    words = _WORD.findall(text.lower().replace("_", " "))
    return [stem(w) for w in words if keep_stopwords or w not in STOPWORDS]
