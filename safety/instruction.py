"""Instruction-level checks: is what a person asks for hazardous?

:class:`InstructionMatcher` is the small interface the monitor uses; v1 ships
:class:`KeywordMatcher`, which matches the rule book's ``instruction`` rules as lemmatised
phrases. A semantic matcher (sentence embeddings) can be added beside it later; the
monitor merges the verdicts of all its matchers.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from housemind.safety._text import COVER_WORDS, GAP, lemma, lemmas
from housemind.safety.rulebook import InstructionRule, InstructionWhen, RuleBook
from housemind.safety.verdict import SafetyVerdict, Verdict

__all__ = [
    "MAX_GAP_WORDS",
    "InstructionMatcher",
    "KeywordMatcher",
    "not_the_thing",
    "source_positions",
    "verb_at_start",
]

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


_FROM = lemmas("from")[0]
_OUT_OF = tuple(lemmas("out of"))
_EMPTY = lemmas("empty")[0]
_OFF = lemmas("off")[0]
#: Verbs that move a thing out of its container ("microwave the beans from the tin" moves
#: nothing: they are still in it).
_MOVING = frozenset(
    lemmas(
        "take tip pour scoop empty get lift decant transfer spoon fish remove turn shake "
        "squeeze tap slide"
    )
)
#: How many words before "from" or "out of" the moving verb may stand.
_MOVED_WITHIN = 6
_TAKE_OFF = frozenset(lemmas("take peel pull strip lift"))
#: Verbs whose object is a cover taken off: "unwrap the foil from the sandwich".
_UNWRAP = frozenset(lemmas("unwrap remove"))
_COVERS = frozenset(lemma(w) for w in COVER_WORDS)
#: "straight from the tin": still in it.
_STILL_IN = frozenset(lemmas("straight right direct directly"))
_SOURCE_DETERMINERS = _DETERMINERS | frozenset(lemmas("its some every each all"))
#: Words that end the name of where something is taken from.
_SOURCE_ENDS = frozenset(
    lemmas(
        "into onto in on to and then for with at so but while before after until it them "
        "over under by inside through from out"
    )
)
#: How many words the name of a source may have ("the foil takeaway tray").
_SOURCE_WORDS = 3


def source_positions(tokens: list[str]) -> frozenset[int]:
    """Positions of the words naming where something is taken from.

    "out of the foil tray", "from the Chilly's bottle", "empty the tin": the container a
    thing leaves; "take the foil off", "peel off the film": what is taken off it. A rule
    about what goes into a microwave does not count them ("tip the lasagne out of the foil
    tray onto a plate and microwave it"); only a verb that moves the thing takes it out
    ("microwave the beans from the tin" and "straight from the tin" leave them in it).

    Args:
        tokens: The text's lemmas (:func:`~safety._text.lemmas`).
    """
    out: set[int] = set()
    n = len(tokens)
    for i, tok in enumerate(tokens):
        moved = bool(_MOVING & set(tokens[max(0, i - _MOVED_WITHIN) : i]))
        if tok == _FROM and moved and not (i and tokens[i - 1] in _STILL_IN):
            start = i + 1
        elif tuple(tokens[i : i + 2]) == _OUT_OF and moved:
            start = i + 2
        elif tok == _EMPTY and i + 1 < n and tokens[i + 1] in _SOURCE_DETERMINERS:
            start = i + 1
        elif tok in _UNWRAP:
            # "unwrap the foil from the sandwich", "remove the foil": the cover comes off
            after = range(i + 1, min(n, i + 2 + _SOURCE_WORDS))
            cover = [j for j in after if tokens[j] not in _SOURCE_DETERMINERS]
            ends = [c for c, j in enumerate(cover) if tokens[j] in _COVERS]
            out.update(cover[: ends[0] + 1] if ends else [])
            continue
        elif tok in _TAKE_OFF and _OFF in tokens[i + 1 : i + 2 + _SOURCE_WORDS + 1]:
            # "take the foil off (the dish)", "peel off the film": a cover taken off (not
            # "take the knife off the counter")
            k = tokens.index(_OFF, i + 1)
            if k == i + 1:
                after = range(k + 1, min(n, k + 2 + _SOURCE_WORDS))
                cover = [j for j in after if tokens[j] not in _SOURCE_DETERMINERS]
                ends = [c for c, j in enumerate(cover) if tokens[j] in _COVERS]
                cover = cover[: ends[-1] + 1] if ends else []
            else:
                cover = [j for j in range(i + 1, k) if tokens[j] not in _SOURCE_DETERMINERS]
                cover = cover if cover and tokens[cover[-1]] in _COVERS else []
            out.update(cover)
            continue
        else:
            continue
        k = start
        while k < n and tokens[k] in _SOURCE_DETERMINERS:
            k += 1
        end = k
        while end < n and end - k < _SOURCE_WORDS and tokens[end] not in _SOURCE_ENDS:
            end += 1
        out.update(range(k, end))
        if tok == _EMPTY:
            out.add(i)
    return frozenset(out)


def _apart_from(spans: list[_Span], sources: frozenset[int]) -> list[_Span]:
    """``spans`` without those touching a source (:func:`source_positions`)."""
    return [sp for sp in spans if sp.isdisjoint(sources)] if sources else spans


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


#: Words after which an imperative verb starts a step ("..., and then spoon the food").
_STEP_START = frozenset(lemmas("and then please pls just now also so"))
#: "It" and "them": only a verb comes right before them ("whisk it").
_IT = frozenset(lemmas("it them"))
#: Words a verb's object starts with ("spoon THE baby food into a bowl").
_OBJECT_START = frozenset(
    lemmas("the a an some it them his her my your our their this that these those")
)


def verb_at_start(tokens: list[str], span: _Span) -> bool:
    """Whether a thing's word matched at ``span`` is the verb that starts a step.

    "Spoon the baby food into a bowl and warm it in the microwave" names no spoon; "bin
    the milk" no bin: the word starts the text or a step ("and", "then"), its object
    follows, and the knowledge base of kinds knows it as a verb.

    Args:
        tokens: The text's lemmas (:func:`~safety._text.lemmas`).
        span: Positions of one phrase's words.
    """
    first = min(span)
    if len(span) > 1 or first + 1 >= len(tokens):
        return False
    if first and tokens[first - 1] not in _STEP_START and tokens[first + 1] not in _IT:
        return False  # "..., whisk it": before "it" a word is the verb
    if tokens[first + 1] not in _OBJECT_START:
        return False
    from housemind.safety.kinds import load_kinds

    return (tokens[first],) in load_kinds().verbs


_NOT = lemmas("not")[0]


def not_the_thing(tokens: list[str], span: _Span) -> bool:
    """Whether a thing's word matched at ``span`` is a thing, or the verb starting a step.

    False for a thing; True for the verb that starts a step (:func:`verb_at_start`) and
    for a thing said not to be used: "on the plain plate, not the gold rim one" ("not"
    and a determiner, with up to two words between, before it).

    Args:
        tokens: The text's lemmas (:func:`~safety._text.lemmas`).
        span: Positions of one phrase's words.
    """
    if verb_at_start(tokens, span):
        return True
    first = min(span)
    before = tokens[max(0, first - 4) : first]
    return (
        _NOT in before
        and before.index(_NOT) + 1 < len(before)
        and before[before.index(_NOT) + 1] in _OBJECT_START
    )


class _CompiledWhen:
    __slots__ = ("alternatives", "groups", "none", "not_from", "things")

    def __init__(self, w: InstructionWhen) -> None:
        groups = [*w.mentions_all, *([w.mentions_any] if w.mentions_any else [])]
        self.groups = [tuple(_compile_phrase(p) for p in g) for g in groups]
        self.none = tuple(_compile_phrase(p) for p in w.mentions_none)
        self.alternatives = tuple(_CompiledWhen(sub) for sub in w.any_of or ())
        self.not_from = w.not_from
        self.things = frozenset(w.things)

    def matches(self, tokens: list[str], present: set[str]) -> bool:
        found: list[list[_Span]] = []
        sources = source_positions(tokens) if self.not_from else frozenset()
        for i, group in enumerate(self.groups):
            spans = [sp for p in group for sp in _phrase_spans(tokens, present, p)]
            spans = _apart_from(spans, sources)
            if i in self.things:
                spans = [sp for sp in spans if not not_the_thing(tokens, sp)]
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
