"""Instruction-level checks: is what a person asks for hazardous?

:class:`InstructionMatcher` is the small interface the monitor uses; v1 ships
:class:`KeywordMatcher`, which matches the rule book's ``instruction`` rules as lemmatised
phrases. A semantic matcher (sentence embeddings) can be added beside it later; the
monitor merges the verdicts of all its matchers.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from housemind.safety._text import GAP, lemmas
from housemind.safety.rulebook import InstructionRule, InstructionWhen, RuleBook
from housemind.safety.verdict import SafetyVerdict, Verdict

__all__ = ["MAX_GAP_WORDS", "InstructionMatcher", "KeywordMatcher"]

#: How many words ``...`` in a phrase may stand for.
MAX_GAP_WORDS = 4

# A compiled phrase: runs of lemmas separated by gaps, e.g. (("leav",), ("on",)).
_Phrase = tuple[tuple[str, ...], ...]
_Span = frozenset[int]  # positions of the matched words (gaps excluded)


@runtime_checkable
class InstructionMatcher(Protocol):
    """Something that judges a person's instruction text."""

    def check(self, text: str) -> SafetyVerdict:
        """Verdict for ``text``: the matching rules' verdicts merged."""
        ...


def _compile_phrase(phrase: str) -> _Phrase:
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    for tok in lemmas(phrase):
        if tok == GAP:
            runs.append(tuple(current))
            current = []
        else:
            current.append(tok)
    runs.append(tuple(current))
    return tuple(r for r in runs if r)


def _find_run(tokens: list[str], run: tuple[str, ...], start: int, stop: int) -> int:
    """End index of the first occurrence of ``run`` starting in ``[start, stop)``, or -1."""
    n = len(run)
    first = run[0]
    for i in range(start, min(stop, len(tokens) - n + 1)):
        if tokens[i] == first and (n == 1 or tuple(tokens[i : i + n]) == run):
            return i + n
    return -1


# "leave ... on" means switched on: "leave the tap on", "leave it on all night". "Leave a
# towel out on the bed" puts a towel out on a bed; the "on" after "out" starts a place.
# ("leave the straighteners on the bed" stays both: they may well be on.)
_ON_VERBS = frozenset(lemmas("leave keep turn switch"))
_ON = lemmas("on")[0]
_OUT = lemmas("out")[0]
_DETERMINERS = frozenset(lemmas("the a an my your his her their our this that"))
_ON_SETTING = frozenset(lemmas("whole entire low lowest high highest full max maximum same"))


def _on_starts_a_place(tokens: list[str], phrase: _Phrase, end: int) -> bool:
    """Whether a "leave ... on" match ending at ``end`` has "on" + a place ("on the bed")."""
    if len(phrase) < 2 or phrase[-1] != (_ON,) or phrase[0][0] not in _ON_VERBS:
        return False
    det = tokens[end] if end < len(tokens) else ""
    nxt = tokens[end + 1] if end + 1 < len(tokens) else ""
    out = tokens[end - 2] if end >= 2 else ""
    # ... and nothing else is said to be on ("out on the board, switched on")
    return out == _OUT and det in _DETERMINERS and nxt not in _ON_SETTING and tokens.count(_ON) == 1


def _phrase_spans(tokens: list[str], present: set[str], phrase: _Phrase) -> list[_Span]:
    """For each occurrence of ``phrase``, the positions of the words it matched."""
    # Cheap rejection first: every lemma of the phrase must occur somewhere.
    for run in phrase:
        for tok in run:
            if tok not in present:
                return []
    first = phrase[0]
    spans: list[_Span] = []
    start = 0
    while True:
        end = _find_run(tokens, first, start, len(tokens))
        if end < 0:
            return spans
        pos = end
        words = set(range(end - len(first), end))
        for run in phrase[1:]:
            pos = _find_run(tokens, run, pos, pos + MAX_GAP_WORDS + 1)
            if pos < 0:
                break
            words.update(range(pos - len(run), pos))
        if pos >= 0 and not _on_starts_a_place(tokens, phrase, pos):
            spans.append(frozenset(words))
        start = end - len(first) + 1


def _disjoint(groups: list[list[_Span]], used: list[_Span]) -> bool:
    """Whether each group can take one span that overlaps no span taken before it.

    Without this, "oven mitt" would count both as cloth and as an oven.
    """
    if not groups:
        return True
    for span in groups[0]:
        if all(span.isdisjoint(u) for u in used):
            used.append(span)
            if _disjoint(groups[1:], used):
                return True
            used.pop()
    return False


class _CompiledWhen:
    __slots__ = ("alternatives", "groups", "none")

    def __init__(self, w: InstructionWhen) -> None:
        groups = [*w.mentions_all, *([w.mentions_any] if w.mentions_any else [])]
        self.groups = [tuple(_compile_phrase(p) for p in g) for g in groups]
        self.none = tuple(_compile_phrase(p) for p in w.mentions_none)
        self.alternatives = tuple(_CompiledWhen(sub) for sub in w.any_of or ())

    def matches(self, tokens: list[str], present: set[str]) -> bool:
        found: list[list[_Span]] = []
        for group in self.groups:
            spans = [sp for p in group for sp in _phrase_spans(tokens, present, p)]
            if not spans:
                return False
            found.append(spans)
        if any(_phrase_spans(tokens, present, p) for p in self.none):
            return False
        if len(found) >= 2 and not _disjoint(found, []):
            return False
        return not self.alternatives or any(a.matches(tokens, present) for a in self.alternatives)


class _CompiledRule:
    __slots__ = ("rule", "verdict", "when")

    def __init__(self, rule: InstructionRule) -> None:
        self.rule = rule
        self.when = _CompiledWhen(rule.when)
        self.verdict = SafetyVerdict(
            verdict=Verdict(rule.verdict), reasons=[rule.explain], rules=[rule.id]
        )

    def matches(self, tokens: list[str], present: set[str]) -> bool:
        return self.when.matches(tokens, present)


class KeywordMatcher:
    """Matches instruction rules as lemmatised phrases; precompiled, well under 1 ms a check.

    Args:
        rulebook: The rule book whose ``instruction`` rules to match.
    """

    def __init__(self, rulebook: RuleBook) -> None:
        self._rules = [_CompiledRule(r) for r in rulebook.instruction_rules()]

    def matching(self, text: str) -> list[InstructionRule]:
        """The instruction rules that ``text`` triggers, in rule-book order."""
        tokens = lemmas(text)
        present = set(tokens)
        return [c.rule for c in self._rules if c.matches(tokens, present)]

    def check(self, text: str) -> SafetyVerdict:
        """Verdict for ``text``: deny beats confirm beats allow."""
        tokens = lemmas(text)
        present = set(tokens)
        verdict = SafetyVerdict()
        for c in self._rules:
            if c.matches(tokens, present):
                verdict = verdict.merge(c.verdict)
        return verdict
