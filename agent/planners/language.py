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
from dataclasses import dataclass

__all__ = ["CLAUSE_VERBS", "Clause", "Pattern", "clauses", "clean_text"]

_POLITE = re.compile(
    r"^(?:(?:please|could you|can you|would you|will you|kindly|robot,?|hey,?|ok,?|okay,?)\s+)+"
)
#: Verbs that start a new clause after "and" ("... and run it", "... and put it away").
CLAUSE_VERBS = frozenset(
    """turn switch put place bring take run wash lay water close open fold dry load unload
    make cook fry boil wipe throw clear tidy feed vacuum hoover sweep remind tell go set
    gather move carry return start shut empty fill check fetch get find recycle""".split()
)


def clean_text(text: str) -> str:
    """Lower-case, one space between words, no trailing punctuation or politeness."""
    t = " ".join(text.lower().replace("’", "'").split())
    t = t.strip().rstrip(".!?").strip()
    t = _POLITE.sub("", t)
    return re.sub(r"\s+please$", "", t)


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


def _split_and(text: str) -> list[str]:
    """Split at "and <verb>" / ", <verb>" where <verb> starts a clause."""
    words = text.split(" ")
    out, cur = [], []
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        bare = w.strip(",")
        if bare in CLAUSE_VERBS and cur and (prev == "and" or prev.endswith(",")):
            if cur and cur[-1] == "and":
                cur.pop()
            out.append(" ".join(cur).strip(","))
            cur = [w]
        else:
            cur.append(w)
    if cur:
        out.append(" ".join(cur))
    return out


_TOKEN = re.compile(r"\{(\w+)\}|\[([^\]]*)\]|\(([^)]*)\)|([^\s\[\]\(\)\{\}]+)")


class Pattern:
    """A phrasing with slots, compiled (see the module docstring).

    Args:
        text: The pattern, e.g. ``"put {things} [back] (in|into) {place}"``.

    Raises:
        ValueError: for unbalanced brackets or a slot used twice.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        pieces: list[str] = []
        slots: list[str] = []
        literal = 0
        pos = 0
        stripped = text.strip()
        for m in _TOKEN.finditer(stripped):
            if stripped[pos : m.start()].strip():
                raise ValueError(f"cannot read pattern {text!r} near {stripped[pos:]!r}")
            pos = m.end()
            slot, opt, alt, word = m.groups()
            if slot is not None:
                if slot in slots:
                    raise ValueError(f"pattern {text!r} uses slot {{{slot}}} twice")
                slots.append(slot)
                pieces.append(f"(?P<{slot}>.+?)")
            elif opt is not None:
                pieces.append(f"(?:{_alts(opt)})?")
            elif alt is not None:
                pieces.append(f"(?:{_alts(alt)})")
                literal += min(len(a.strip()) for a in alt.split("|"))
            else:
                pieces.append(_word(word))
                literal += len(word)
        if stripped[pos:].strip():
            raise ValueError(f"cannot read pattern {text!r} near {stripped[pos:]!r}")
        body = r"\s*".join(pieces)
        self.regex = re.compile(rf"^{body}$")
        self.slots = tuple(slots)
        #: Literal characters: the more, the more specific the phrasing.
        self.specificity = literal

    def match(self, text: str) -> dict[str, str] | None:
        """The slots' words if ``text`` matches, else None."""
        m = self.regex.match(text)
        if m is None:
            return None
        out = {k: v.strip(" ,") for k, v in m.groupdict().items()}
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


def _alts(body: str) -> str:
    out = []
    for alt in body.split("|"):
        words = alt.split()
        out.append(r"\s*".join(_word(w) for w in words) if words else "")
    return "|".join(out)
