"""The words of a chore: clean-up, clauses, and the phrase patterns chore methods use.

A chore in words may hold several clauses ("load the plate into the dishwasher and run
it", "cook the pasta, then turn the stove off", "tidy the living room: put the book back
where it belongs"); :func:`clauses` splits them. A chore method lists the phrasings it
understands as patterns (see ``docs/planning.md``)::

    put {things} [back] (in|into|on|onto) {place}

``{slot}`` captures words, ``[a|b]`` is optional, ``(a|b)`` is required; words match
whole words, case-insensitively. :class:`Pattern` compiles one into a regular expression
and reports how specific it is (its literal characters), so the most specific phrasing
wins when several match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["CLAUSE_VERBS", "Clause", "Pattern", "clauses", "clean_text", "pets_as_pet"]

_POLITE = re.compile(
    r"^(?:(?:please|could you|can you|would you|will you|kindly|robot,?|hey,?|ok,?|okay,?)\s+)+"
)
#: Verbs that start a new clause after "and" ("... and run it", "... and put it away").
CLAUSE_VERBS = frozenset(
    [
        "turn",
        "switch",
        "put",
        "place",
        "bring",
        "take",
        "run",
        "wash",
        "lay",
        "water",
        "close",
        "open",
        "fold",
        "dry",
        "load",
        "unload",
        "make",
        "cook",
        "fry",
        "boil",
        "wipe",
        "throw",
        "clear",
        "tidy",
        "feed",
        "vacuum",
        "hoover",
        "sweep",
        "remind",
        "tell",
        "go",
        "set",
        "gather",
        "move",
        "carry",
        "return",
        "start",
        "shut",
        "empty",
        "fill",
        "check",
        "fetch",
        "get",
        "find",
        "recycle",
    ]
)


def clean_text(text: str) -> str:
    """Lower-case, one space between words, no trailing punctuation or politeness."""
    t = " ".join(text.lower().replace("’", "'").split())
    t = t.strip().rstrip(".!?").strip()
    t = _POLITE.sub("", t)
    return re.sub(r"\s+please$", "", t)


def pets_as_pet(text: str, pets: Mapping[str, str]) -> str:
    """Say the household's pets as "the pet": "feed rex" -> "feed the pet".

    A pet's name means nothing to a planner that has not met that pet, and its kind
    little more: the built-in planner, trained in a home with a cat, learned "feed the cat"
    and gave a dog a glass of water. "The pet" reads the same in every home. Whole words
    only, any case; "rex's bowl" becomes "the pet's bowl".

    Args:
        text: A goal in words.
        pets: The household's pets, name -> kind (:attr:`PlanContext.pets`).
    """
    for name in pets:
        if not name:
            continue
        words = name.replace("_", " ")
        text = re.sub(
            rf"(?<![\w']){re.escape(words)}(?![\w])", "the pet", text, flags=re.IGNORECASE
        )
    return text


@dataclass(frozen=True)
class Clause:
    """One clause of a chore, and how it joins the clause before it."""

    text: str
    joint: str = ""  # "", "then", "and", "elaborates" (after a colon)


def clauses(text: str) -> list[Clause]:
    """Split a chore into clauses (see the module docstring)."""
    out: list[Clause] = []
    head, sep, tail = text.partition(": ")
    parts: list[tuple[str, str]] = [(head, "")]
    if sep:
        parts.append((tail, "elaborates"))
    for part, joint in parts:
        for i, piece in enumerate(re.split(r"\s*(?:;|, then| and then| then)\s+", part)):
            for j, sub in enumerate(_split_and(piece)):
                j_out = joint if (i == 0 and j == 0) else ("then" if j == 0 else "and")
                if sub.strip():
                    out.append(Clause(sub.strip().strip(","), j_out))
    return out


#: Words that follow a verb starting a clause ("water *the* plants", "run *it*"); "water
#: bottle" in a list is a thing, not a clause.
_AFTER_VERB = frozenset(
    [
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "it",
        "them",
        "everything",
        "all",
        "this",
        "that",
        "these",
        "those",
        "some",
        "off",
        "on",
        "out",
        "up",
        "away",
        "down",
        "back",
        "over",
        "in",
        "to",
        "me",
        "us",
        "him",
        "any",
    ]
)


def _split_and(text: str) -> list[str]:
    """Split at "and <verb>" / ", <verb>" where <verb> starts a clause."""
    words = text.split(" ")
    out, cur = [], []
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        nxt = words[i + 1].strip(",") if i + 1 < len(words) else ""
        bare = w.strip(",")
        starts = bare in CLAUSE_VERBS and (not nxt or nxt in _AFTER_VERB)
        if starts and cur and (prev == "and" or prev.endswith(",")):
            if cur and cur[-1] == "and":
                cur.pop()
            out.append(" ".join(cur).strip(","))
            cur = [w]
        else:
            cur.append(w)
    if cur:
        out.append(" ".join(cur))
    return out


class Pattern:
    r"""A phrasing with slots, compiled (see the module docstring).

    Groups nest (``[without burning (it|them)]``); a backslash makes the next character a
    literal (``\\(`` for a parenthesis in the words).

    Args:
        text: The pattern, e.g. ``"put {things} [back] (in|into) {place}"``.

    Raises:
        ValueError: for unbalanced brackets or a slot used twice.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.slots: tuple[str, ...] = ()
        self._slots: list[str] = []
        self._pos = 0
        self._src = text.strip()
        body, literal = self._sequence(top=True)
        if self._pos < len(self._src):
            raise ValueError(f"cannot read pattern {text!r} near {self._src[self._pos :]!r}")
        self.regex = re.compile(rf"^{body}$")
        self.slots = tuple(self._slots)
        #: Literal characters: the more, the more specific the phrasing.
        self.specificity = literal

    # -- a small recursive-descent reader -------------------------------------------------

    def _sequence(self, top: bool = False) -> tuple[str, int]:
        """Items up to ``|``, ``]``, ``)`` (or the end); regex and literal length."""
        pieces: list[str] = []
        literal = 0
        src = self._src
        while self._pos < len(src):
            c = src[self._pos]
            if c.isspace():
                self._pos += 1
                continue
            if c in "|])":
                if top:
                    raise ValueError(f"unbalanced {c!r} in pattern {self.text!r}")
                break
            if c == "{":
                end = src.find("}", self._pos)
                if end < 0:
                    raise ValueError(f"unclosed slot in pattern {self.text!r}")
                name = src[self._pos + 1 : end]
                if not name.isidentifier():
                    raise ValueError(f"bad slot name {name!r} in pattern {self.text!r}")
                if name in self._slots:
                    raise ValueError(f"pattern {self.text!r} uses slot {{{name}}} twice")
                self._slots.append(name)
                # Whole words: a slot never starts or ends inside a word ("bring me a
                # glass" must not read as the place "m" and the things "e a glass").
                pieces.append(f"(?P<{name}>(?<!\\w).+?(?!\\w))")
                self._pos = end + 1
            elif c in "[(":
                self._pos += 1
                alts, lits = self._alternatives(")" if c == "(" else "]")
                # Longest first: "a cup of" before "a", so the slot after gets "coffee".
                order = sorted(range(len(alts)), key=lambda i: -lits[i])
                group = "(?:" + "|".join(alts[i] for i in order) + ")"
                pieces.append(group + ("?" if c == "[" else ""))
                if c == "(":
                    literal += min(lits)
            else:
                word = self._word()
                pieces.append(_word(word))
                literal += len(word)
        return r"\s*".join(pieces), literal

    def _alternatives(self, close: str) -> tuple[list[str], list[int]]:
        alts, lits = [], []
        while True:
            body, lit = self._sequence()
            alts.append(body)
            lits.append(lit)
            if self._pos >= len(self._src):
                raise ValueError(f"unclosed group in pattern {self.text!r}")
            c = self._src[self._pos]
            self._pos += 1
            if c == "|":
                continue
            if c != close:
                raise ValueError(f"mismatched {c!r} in pattern {self.text!r}")
            return alts, lits

    def _word(self) -> str:
        src = self._src
        out = []
        while self._pos < len(src):
            c = src[self._pos]
            if c == "\\" and self._pos + 1 < len(src):
                out.append(src[self._pos + 1])
                self._pos += 2
                continue
            if c.isspace() or c in "{}[]()|":
                break
            out.append(c)
            self._pos += 1
        if not out:
            raise ValueError(f"cannot read pattern {self.text!r} near {src[self._pos :]!r}")
        return "".join(out)

    def match(self, text: str) -> dict[str, str] | None:
        """The slots' words if ``text`` matches, else None."""
        m = self.regex.match(text)
        if m is None:
            return None
        out = {k: v.strip(" ,") for k, v in m.groupdict().items() if v is not None}
        if any(not v for v in out.values()):
            return None
        return out

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"


def _word(word: str) -> str:
    w = re.escape(word)
    left = r"\b" if word[0].isalnum() else ""
    right = r"\b" if word[-1].isalnum() else ""
    return f"{left}{w}{right}"
