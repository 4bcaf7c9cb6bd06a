"""Schedule words as people type them: abbreviations and misspellings (internal).

"take out the trash every wed", "every wednsday", "evry day @ 7pm", "tmrw at 8am" become
"every wednesday", "every day at 7pm", "tomorrow at 8am" before the schedule is read.

Only words in a schedule position are changed: an abbreviated or misspelled day is fixed
after "every", "on", "and", a comma ..., so "the cat sat in the sun" keeps its "sat" and
"sun". Misspellings are matched against the schedule vocabulary with RapidFuzz's
Damerau-Levenshtein distance (one edit for short words, two for words of eight letters or
more), so a transposition ("thrusday") counts as one edit.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

__all__ = ["normalise_schedule_words"]

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PARTS = ("morning", "afternoon", "evening", "night")
# Words a schedule is made of; misspellings of these are corrected in schedule positions.
_VOCABULARY = (
    *_DAY_NAMES,
    *(d + "s" for d in _DAY_NAMES),
    *_PARTS,
    *(p + "s" for p in _PARTS),
    "every",
    "weekday",
    "weekdays",
    "weekend",
    "weekends",
    "tomorrow",
    "tonight",
    "fortnight",
    "other",
)
# Always safe to expand, wherever they are.
_ABBREVIATIONS = {
    "everyday": "every day",
    "evryday": "every day",
    "evreyday": "every day",
    "wkday": "weekday",
    "wkdays": "weekdays",
    "wkdy": "weekday",
    "wknd": "weekend",
    "wknds": "weekends",
    "wkend": "weekend",
    "wkends": "weekends",
    "wk": "week",
    "wks": "weeks",
    "hr": "hour",
    "hrs": "hours",
    "mins": "minutes",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "tmrow": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tomoz": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "nite": "night",
    "nites": "nights",
    "arvo": "afternoon",
    "b4": "before",
    "fortnite": "fortnight",
}
# Only in a schedule position ("every sat", "mon & thu", "on weds").
_DAY_ABBREVIATIONS = {
    "mon": "monday",
    "mons": "mondays",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "weds": "wednesdays",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "fris": "fridays",
    "sat": "saturday",
    "sats": "saturdays",
    "sun": "sunday",
    "suns": "sundays",
    "morn": "morning",
    "morns": "mornings",
    "eve": "evening",
    "eves": "evenings",
    "aft": "afternoon",
}
# A word after one of these is in a schedule position.
_BEFORE = frozenset(
    {"every", "each", "on", "other", "this", "next", "and", "or", "&", ",", "by", "until"}
    | set(_DAY_NAMES)
    | {d + "s" for d in _DAY_NAMES}
)
# A misspelled "every" is recognised by what follows it ("evry other day", "evrey morning").
_AFTER_EVERY = frozenset(
    {"day", "days", "week", "weeks", "month", "other", "single", "2", "3", "4"}
    | set(_VOCABULARY) - {"every"}
    | set(_DAY_ABBREVIATIONS)
)
# Real words one edit away from a schedule word; never "corrected".
_REAL_WORDS = frozenset(
    {"light", "lights", "right", "might", "sight", "fight", "tight", "eight", "nigh",
     "mother", "others", "brother", "another", "mourning", "sundae", "sundaes", "evenly"}
)  # fmt: skip
_TOKEN_RE = re.compile(r"[A-Za-z0-9']+|[^\sA-Za-z0-9']")


def _fix(word: str, *, after_schedule_word: bool, before_unit: bool, in_the: bool) -> str | None:
    low = word.lower()
    if low in _ABBREVIATIONS:
        return _ABBREVIATIONS[low]
    if low in _VOCABULARY or low in _REAL_WORDS or not low.isalpha():
        return None
    if after_schedule_word and low in _DAY_ABBREVIATIONS:
        return _DAY_ABBREVIATIONS[low]
    if len(low) < 4 or not (after_schedule_word or before_unit or in_the):
        return None
    limit = 2 if len(low) >= 8 else 1
    match = process.extractOne(
        low, _VOCABULARY, scorer=DamerauLevenshtein.distance, score_cutoff=limit
    )
    if match is None:
        return None
    if after_schedule_word or (in_the and match[0] in _PARTS):
        return match[0]
    if before_unit and match[0] == "every":  # "evry other day": known by the word after it
        return match[0]
    return None


def normalise_schedule_words(text: str) -> str:
    """Expand abbreviations and fix misspelled schedule words in ``text``.

    Args:
        text: One sentence ("take out the trash every wednsday @ 9pm").

    Returns:
        The sentence with schedule words spelled out ("... every wednesday at 9pm"); other
        words are untouched, and so is the spacing between them.
    """
    text = re.sub(r"(?<=\s)@(?=\s*\d)|^@(?=\s*\d)", "at", text)
    text = re.sub(r"@(?=\d)", "at ", text)
    pieces = re.split(r"(\s+)", text)
    tokens = [(i, p) for i, p in enumerate(pieces) if p and not p.isspace()]
    out = list(pieces)
    for n, (i, piece) in enumerate(tokens):
        m = re.match(r"^([A-Za-z0-9']+)([,.;:!?]*)$", piece)
        if m is None:
            continue
        word, punct = m.group(1), m.group(2)
        prev = _bare(out[tokens[n - 1][0]]) if n else ""
        prev2 = _bare(out[tokens[n - 2][0]]) if n > 1 else ""
        prev_punct = n > 0 and out[tokens[n - 1][0]].rstrip().endswith(",")
        nxt = _bare(tokens[n + 1][1]) if n + 1 < len(tokens) else ""
        before_day = nxt in _DAY_ABBREVIATIONS or nxt in _VOCABULARY
        fixed = _fix(
            word,
            after_schedule_word=prev in _BEFORE
            or prev_punct
            or (word.lower() in _DAY_ABBREVIATIONS and before_day),
            before_unit=nxt in _AFTER_EVERY,
            in_the=prev == "the" and prev2 == "in",
        )
        if fixed is not None:
            if word[:1].isupper():
                fixed = fixed[:1].upper() + fixed[1:]
            out[i] = fixed + punct
    return "".join(out)


def _bare(token: str) -> str:
    return token.strip(",.;:!?").lower()
