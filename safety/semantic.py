"""Hazard matcher: the knowledge base found by words (lemmas) and by meaning (embeddings).

:class:`HazardMatcher` implements :class:`~safety.instruction.InstructionMatcher`. An entry
of the hazard knowledge base (``safety/hazards.yaml``) fires when

- *words*: the lemmatised text mentions one of its objects, one of its actions and (if
  it lists any) one of its contexts, in three different places, and none of its
  ``unless`` phrases and none of its ``exceptions`` holds; or
- *meaning*: the words match all of the entry's groups but one (say the thing and the
  place, but an action in words the base does not list; never a group the entry
  ``needs``), the text's sentence
  embedding has cosine similarity >= ``threshold`` with one of the entry's examples,
  and it beats the closest near miss or ordinary chore (``near_misses``,
  ``safe_examples``) by at least ``margin``.

Why words carry most of the weight: on minimal pairs ("clean the grill and then nap" /
"fire up the grill and go have a nap") a general sentence model scores both close to
the hazard (0.95), so meaning alone gives many false alarms; it is used to fill in the
one missing piece.

The embedding model is the shared ``all-MiniLM-L6-v2`` from
:func:`memory.embeddings.get_embedder`. It is asked only about texts that say part of a
hazard, so ordinary chores never load it; the examples are embedded once (and cached on
disk under ``HOUSEMIND_CACHE_DIR``), texts are cached, and a check after warm-up is one
short forward pass on one thread (about 5-6 ms with the ONNX backend on an idle core of a
2-core CPU, 12-20 ms with torch; see :mod:`memory.embeddings`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from housemind.safety._text import lemmas
from housemind.safety.hazards import HazardEntry, HazardException, HazardKB, load_hazard_kb
from housemind.safety.instruction import (
    _DETERMINERS,
    _apart_from,
    _compile_phrase,
    _disjoint,
    _Phrase,
    _phrase_spans,
    _Span,
    not_the_thing,
    source_positions,
)
from housemind.safety.verdict import _SEVERITY, SafetyVerdict, Verdict

__all__ = [
    "DEFAULT_MARGIN",
    "DEFAULT_THRESHOLD",
    "HazardMatch",
    "HazardMatcher",
    "embeddings_available",
]

logger = logging.getLogger(__name__)

#: Cosine similarity to a hazard example from which a text counts as that hazard
#: (chosen on the dev split of ``benchmarks/safety/instructions.jsonl``).
DEFAULT_THRESHOLD = 0.60
#: How much closer to a hazard example than to any ordinary chore a text must be.
DEFAULT_MARGIN = 0.10


def embeddings_available() -> bool:
    """Whether the ``embeddings`` extra (the sentence model and a backend) is installed."""
    from housemind.memory.embeddings import embeddings_available as available

    return available()


@dataclass(frozen=True)
class HazardMatch:
    """Why one knowledge-base entry fired.

    Attributes:
        entry: The entry.
        by: ``"words"`` or ``"meaning"``.
        score: Best cosine similarity to the entry's examples (``nan`` without embeddings).
        example: The closest example sentence, when found by meaning.
    """

    entry: HazardEntry
    by: str
    score: float
    example: str | None = None


class _CompiledException:
    __slots__ = ("objects", "others", "phrases", "unless")

    def __init__(self, exc: HazardException, entry: HazardEntry) -> None:
        self.phrases = tuple(_compile_phrase(p) for p in exc.phrases)
        self.unless = tuple(_compile_phrase(p) for p in exc.unless)
        self.objects = tuple(_compile_phrase(p) for p in exc.objects)
        covered = set(exc.objects)
        self.others = (
            tuple(_compile_phrase(p) for p in entry.objects if p not in covered)
            if exc.objects
            else ()
        )

    def holds(self, tokens: list[str], present: set[str]) -> bool:
        def said(phrases: tuple[_Phrase, ...]) -> bool:
            return any(_phrase_spans(tokens, present, p) for p in phrases)

        if not said(self.phrases) or said(self.unless):
            return False
        return not self.objects or (said(self.objects) and not said(self.others))


#: After "a" or "an" a word names a thing: "test a drop on your wrist" drops nothing.
_INDEFINITE = frozenset(lemmas("a an"))
_ON_OFF = frozenset(lemmas("on off"))
#: Verbs whose object names the action: "give it a rinse", "have a go", "take a swing".
_LIGHT_VERBS = frozenset(lemmas("give have take do get make"))


def _named_thing(tokens: list[str], span: _Span) -> bool:
    """Whether an action word matched at ``span`` is a verb used as a thing after "a".

    "Test a drop on your wrist"; not "a double dose" (no verb) nor "give the laptop a
    rinse" (a verb like "give" or "have" makes the thing the action). Also a word that is
    left on or off after "the" or a thing's name: "leave the landing light on".
    """
    first = min(span)
    if len(span) > 1 or first == 0:
        return False
    from housemind.safety.kinds import load_kinds

    kb = load_kinds()
    before = tokens[first - 1]
    if before in _INDEFINITE:
        if _LIGHT_VERBS & set(tokens[max(0, first - 6) : first]):
            return False  # "give the laptop a rinse": the rinse is what is done
        return (tokens[first],) in kb.verbs
    # "leave the light on", "the landing light off": a thing left on or off
    after = tokens[first + 1] if first + 1 < len(tokens) else ""
    return (
        after in _ON_OFF
        and (before in _DETERMINERS or (before,) in kb.names)
        and (tokens[first],) in kb.verbs
    )


class _CompiledEntry:
    __slots__ = ("actions", "entry", "exceptions", "groups", "needed", "unless", "verdict")

    def __init__(self, entry: HazardEntry) -> None:
        self.entry = entry
        named = [
            ("objects", entry.objects),
            ("actions", entry.actions),
            ("contexts", entry.contexts),
        ]
        self.groups: list[tuple[_Phrase, ...]] = [
            tuple(_compile_phrase(p) for p in g) for _, g in named if g
        ]
        present_names = [n for n, g in named if g]
        self.actions = present_names.index("actions") if "actions" in present_names else -1
        self.needed = frozenset(present_names.index(n) for n in entry.needs if n in present_names)
        self.unless = tuple(_compile_phrase(p) for p in entry.unless)
        self.exceptions = tuple(_CompiledException(x, entry) for x in entry.exceptions)
        self.verdict = SafetyVerdict(
            verdict=Verdict(entry.verdict), reasons=[entry.explain], rules=[entry.rule_id]
        )

    def blocked(self, tokens: list[str], present: set[str]) -> bool:
        return any(_phrase_spans(tokens, present, p) for p in self.unless) or any(
            x.holds(tokens, present) for x in self.exceptions
        )

    def words_match(self, tokens: list[str], present: set[str]) -> tuple[bool, int]:
        """Whether every group matches in distinct places; and how many groups match.

        The count is 0 when a group the entry ``needs`` is missing (then meaning may not
        fill it in).
        """
        found: list[list[_Span]] = []
        sources = source_positions(tokens) if self.entry.not_from else frozenset()
        for i, group in enumerate(self.groups):
            spans = _apart_from(
                [sp for p in group for sp in _phrase_spans(tokens, present, p)], sources
            )
            if i == self.actions:
                spans = [sp for sp in spans if not _named_thing(tokens, sp)]
            elif i == 0 and self.entry.objects:
                spans = [sp for sp in spans if not not_the_thing(tokens, sp)]
            if spans:
                found.append(spans)
            elif i in self.needed:
                return False, 0
        # One group alone is too loose to be a hazard.
        full = len(self.groups) >= 2 and len(found) == len(self.groups)
        return full and _disjoint(found, []), len(found)


def _cache_file(digest: str) -> Path:
    from housemind.memory.embeddings import cache_dir

    return cache_dir() / "safety" / f"hazard-examples-{digest[:32]}.npy"


def _read_cached(digest: str, rows: int) -> np.ndarray | None:
    try:
        m = np.load(_cache_file(digest), allow_pickle=False)
    except (OSError, ValueError):
        return None
    return m.astype(np.float32) if m.ndim == 2 and len(m) == rows else None


def _write_cached(digest: str, matrix: np.ndarray) -> None:
    path = _cache_file(digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, matrix)
        os.replace(tmp, path)
    except OSError as e:  # a read-only home only costs the next start a few seconds
        logger.debug("could not cache hazard example embeddings at %s: %s", path, e)


# Example embeddings by (embedder id, texts hash): shared by every matcher in the process.
_KB_CACHE: dict[tuple[int, str], np.ndarray] = {}
_KB_CACHE_LOCK = threading.Lock()


class HazardMatcher:
    """Judges instruction text against the hazard knowledge base (words and meaning).

    Args:
        kb: The knowledge base; the shipped ``safety/hazards.yaml`` if None.
        embedder: Anything with ``encode(texts) -> float32[n, d]`` (unit rows); the shared
            :func:`memory.embeddings.get_embedder` if None. Pass ``False`` to match by
            words only.
        threshold: Cosine similarity to an example from which the meaning matches.
        margin: How much closer to a hazard example than to the entry's near misses and
            the ``safe_examples`` chores a text must be.
        cache_size: How many recent texts keep their embedding.
    """

    def __init__(
        self,
        kb: HazardKB | None = None,
        *,
        embedder: Any = None,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
        cache_size: int = 2048,
    ) -> None:
        self.kb = kb if kb is not None else load_hazard_kb()
        self.threshold = float(threshold)
        self.margin = float(margin)
        self._entries = [_CompiledEntry(e) for e in self.kb.entries]
        self._by_id = {c.entry.id: c for c in self._entries}
        if embedder is None:
            from housemind.memory.embeddings import get_embedder

            embedder = get_embedder()
        self._embedder: Any = embedder if embedder is not False else None
        # Example matrix rows and, per row, who owns it: entry i's examples are i, its
        # near misses -(i + 2), the shared ordinary chores -1.
        entries = self.kb.entries
        self._texts: list[str] = [x for e in entries for x in e.examples]
        owner = [i for i, e in enumerate(entries) for _ in e.examples]
        self._texts += [x for e in entries for x in e.near_misses]
        owner += [-(i + 2) for i, e in enumerate(entries) for _ in e.near_misses]
        self._texts += self.kb.safe_examples
        owner += [-1] * len(self.kb.safe_examples)
        self._owner = np.array(owner, dtype=np.int64)
        self._matrix: np.ndarray | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._failed = False

    @property
    def embedder(self) -> Any:
        """The sentence model (None when matching by words only)."""
        return self._embedder

    @property
    def uses_embeddings(self) -> bool:
        """Whether meaning is matched (False: words only, or the model failed to load)."""
        return self._embedder is not None and not self._failed

    def warm_up(self) -> None:
        """Load the model and embed the examples now rather than on the first check."""
        if self.uses_embeddings:
            self._embed("warm up")

    # -- embeddings --------------------------------------------------------------------

    def _examples(self) -> np.ndarray:
        if self._matrix is None:
            assert self._embedder is not None
            embedder = self._embedder
            model = f"{type(embedder).__name__}:{getattr(embedder, '_path', None)}"
            digest = hashlib.sha256("\n".join([model, *self._texts]).encode()).hexdigest()
            key = (id(embedder), digest)
            with _KB_CACHE_LOCK:
                m = _KB_CACHE.get(key)
                if m is None:
                    m = _read_cached(digest, len(self._texts))
                    if m is None:
                        m = np.asarray(embedder.encode(self._texts), np.float32)
                        _write_cached(digest, m)
                    _KB_CACHE[key] = m
            self._matrix = m
        return self._matrix

    def _embed(self, text: str) -> np.ndarray | None:
        if not self.uses_embeddings:
            return None
        assert self._embedder is not None
        key = " ".join(text.lower().split())
        with self._lock:
            v = self._cache.get(key)
            if v is not None:
                self._cache.move_to_end(key)
                return v
        try:
            self._examples()
            v = np.asarray(self._embedder.encode([key]), np.float32)[0]
        except Exception as e:  # noqa: BLE001 - keyword rules still apply
            self._failed = True
            logger.warning(
                "hazard matcher: sentence embeddings unavailable (%s); matching hazards by "
                "words only",
                e,
            )
            return None
        with self._lock:
            self._cache[key] = v
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return v

    def similarities(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Best cosine similarity of ``text`` to each entry's examples and to its chores.

        Returns:
            ``(hazard, safe)``, both ``float32[len(entries)]``: per entry, the best
            similarity to its examples (``-1`` if it has none), and the best similarity
            to its near misses or any of ``safe_examples``; None without embeddings.
        """
        v = self._embed(text)
        if v is None:
            return None
        sims = self._examples() @ v
        n = len(self._entries)
        hazard = np.full(n, -1.0, dtype=np.float32)
        rows = self._owner >= 0
        np.maximum.at(hazard, self._owner[rows], sims[rows])
        common = self._owner == -1
        safe = np.full(n, float(sims[common].max()) if common.any() else -1.0, np.float32)
        rows = self._owner <= -2
        np.maximum.at(safe, -self._owner[rows] - 2, sims[rows])
        return hazard, safe

    # -- matching ----------------------------------------------------------------------

    def matches(self, text: str, *, above: Verdict | None = None) -> list[HazardMatch]:
        """The entries ``text`` triggers, with how each was found (for explanations).

        Args:
            text: The instruction.
            above: The verdict the caller has already: the sentence model is then asked
                only when an entry it could add is stricter than that and than every
                entry the words found (None: unless the words found a ``deny``).
        """
        tokens = lemmas(text)
        present = set(tokens)
        out: list[HazardMatch] = []
        candidates: list[int] = []
        for i, c in enumerate(self._entries):
            if c.blocked(tokens, present):
                continue
            full, n_groups = c.words_match(tokens, present)
            if full:
                out.append(HazardMatch(c.entry, "words", float("nan")))
            elif n_groups >= 2 and n_groups >= len(c.groups) - 1 and c.entry.examples:
                candidates.append(i)
        # Only texts that say part of a hazard need the model (most chores never load it),
        # and only while the verdict could still get stricter.
        if any(m.entry.verdict == "deny" for m in out):
            candidates = []
        elif above is not None and candidates:
            floor = max([_SEVERITY[above]] + [_SEVERITY[Verdict(m.entry.verdict)] for m in out])
            candidates = [
                i for i in candidates if _SEVERITY[Verdict(self._entries[i].entry.verdict)] > floor
            ]
        sims = self.similarities(text) if candidates else None
        if sims is None:
            return out
        hazard, safe = sims
        for i in candidates:
            score = float(hazard[i])
            if score >= self.threshold and score - float(safe[i]) >= self.margin:
                entry = self._entries[i].entry
                out.append(HazardMatch(entry, "meaning", score, self._closest(i, text)))
        return out

    def _closest(self, entry_index: int, text: str) -> str | None:
        v = self._embed(text)
        if v is None:
            return None
        rows = np.flatnonzero(self._owner == entry_index)
        if len(rows) == 0:
            return None
        best = rows[int(np.argmax(self._examples()[rows] @ v))]
        return self._texts[best]

    def check(self, text: str) -> SafetyVerdict:
        """Verdict for ``text``: the matching entries merged (deny beats confirm)."""
        verdict = SafetyVerdict()
        for m in self.matches(text):
            verdict = verdict.merge(self._by_id[m.entry.id].verdict)
        return verdict

    def check_above(self, text: str, verdict: Verdict) -> SafetyVerdict:
        """Like :meth:`check` when the caller has ``verdict`` already from other judges.

        The words' matches are all reported; the sentence model is asked only when an
        entry it could add would make the verdict stricter (the monitor's fast path: most
        texts then need no forward pass).
        """
        out = SafetyVerdict()
        for m in self.matches(text, above=verdict):
            out = out.merge(self._by_id[m.entry.id].verdict)
        return out
