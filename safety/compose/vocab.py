"""The reader's and the rules' vocabularies (``cues.yaml``) and phrase matching on lemmas.

The words live in ``safety/compose/cues.yaml`` (prepositions by role, determiners, words
that say everyone leaves or someone stays, ways of getting rid of a thing, chemical classes
that react, allergy words ...). This module loads and checks them once, at import, into the
constants the reader and the rules use, and matches phrases on lemmas
(:func:`has_phrase`, :func:`says_any`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from housemind._yaml import load_yaml
from housemind.safety._text import lemma
from housemind.safety.kinds import KindBaseError

__all__ = [
    "ALLERGEN_WORDS",
    "ARTICLES",
    "AWAY_KEYS",
    "BOUNDARY",
    "CLAUSE",
    "DETERMINERS",
    "DISCARD_KEYS",
    "IN_DATE_KEYS",
    "ENCLOSE_VERBS",
    "FILLERS",
    "INCOMPATIBLE",
    "LEAVE_KEYS",
    "MAX_PREP",
    "NEGATIONS",
    "PARTICLE_VERBS",
    "POSS",
    "PREPS",
    "PRONOUNS",
    "SAFE_PLACE_KEYS",
    "STAY_KEYS",
    "Cues",
    "has_phrase",
    "load_cues",
    "phrase_keys",
    "says_any",
]


#: Token that stands for "'s" (and "s'"): "grandma's pills" -> grandma _poss_ pills.
POSS = "_poss_"


class Cues(BaseModel):
    """The sections of ``cues.yaml`` (see the file's comments)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prepositions: dict[str, list[str]]
    determiners: list[str]
    articles: list[str]
    fillers: list[str]
    boundary: list[str]
    negations: list[str]
    pronouns: list[str]
    clause_words: list[str]
    particle_verbs: list[str]
    enclosing_verbs: list[str]
    leaving: list[str]
    out_of_home: list[str]
    staying: list[str]
    discarding: list[str]
    in_date: list[str]
    safe_places: list[str]
    incompatible_chemicals: list[list[str]]
    allergen_words: dict[str, list[str]]


#: The roles a preposition can give (``Mention.role``); ``of`` keeps the role before it.
ROLES = ("in", "on", "near", "at", "to", "with", "from", "without", "of")


@lru_cache(maxsize=2)
def load_cues(path: str | None = None) -> Cues:
    """Read and check ``cues.yaml`` (the shipped one if ``path`` is None).

    Raises:
        KindBaseError: if the file is missing, not YAML, or a section is malformed.
    """
    p = Path(path) if path else Path(str(resources.files(__package__).joinpath("cues.yaml")))
    try:
        data = load_yaml(p.read_text(encoding="utf-8"))
        cues = Cues.model_validate(data)
    except OSError as e:
        raise KindBaseError(f"cannot read the cue words {p}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise KindBaseError(f"{p}: not valid YAML: {e}") from None
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise KindBaseError(f"{p}: {where}: {err['msg']}") from None
    bad = sorted(set(cues.prepositions) - set(ROLES))
    if bad:
        raise KindBaseError(f"{p}: prepositions: unknown roles {bad}; known: {', '.join(ROLES)}")
    return cues


def phrase_keys(phrases: Iterable[str]) -> list[tuple[str, ...]]:
    """Phrases as tuples of lemmas, for :func:`has_phrase`."""
    return [tuple(lemma(w) for w in p.split()) for p in phrases]


def has_phrase(lem: list[str], keys: list[tuple[str, ...]]) -> bool:
    """Whether the lemmas ``lem`` contain any of the phrases ``keys``, word for word."""
    present = set(lem)
    n = len(lem)
    for k in keys:
        if k[0] not in present:
            continue
        m = len(k)
        if m == 1:
            return True
        for i in range(n - m + 1):
            if lem[i] == k[0] and tuple(lem[i : i + m]) == k:
                return True
    return False


@lru_cache(maxsize=4096)
def _keys(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    return phrase_keys(words)


def says_any(lem: list[str], *words: str) -> bool:
    """Whether the lemmas ``lem`` contain any of the phrases ``words``."""
    return has_phrase(lem, _keys(words))


_CUES = load_cues()

#: Preposition (a tuple of lemmas, as the reader matches them) -> the role it gives the
#: next thing ("inside" is ``insid``: the words as written would never match).
PREPS: dict[tuple[str, ...], str] = {
    tuple(lemma(x) for x in w.split()): role
    for role, words in _CUES.prepositions.items()
    for w in words
}
MAX_PREP = max(len(k) for k in PREPS)
DETERMINERS = frozenset(_CUES.determiners)
ARTICLES = frozenset(_CUES.articles)
FILLERS = frozenset(_CUES.fillers)
BOUNDARY = frozenset(_CUES.boundary)
NEGATIONS = frozenset(_CUES.negations)
PRONOUNS = frozenset(_CUES.pronouns)
CLAUSE = frozenset(_CUES.clause_words)
PARTICLE_VERBS = frozenset(_CUES.particle_verbs)
ENCLOSE_VERBS = frozenset(lemma(w) for w in _CUES.enclosing_verbs)
LEAVE_KEYS = phrase_keys(_CUES.leaving)
#: Everyone is out of the home (not upstairs, not asleep).
AWAY_KEYS = phrase_keys(_CUES.out_of_home)
STAY_KEYS = phrase_keys(_CUES.staying)
DISCARD_KEYS = phrase_keys(_CUES.discarding)
#: Food still in date ("it expires next week").
IN_DATE_KEYS = phrase_keys(_CUES.in_date)
SAFE_PLACE_KEYS = phrase_keys(_CUES.safe_places)
INCOMPATIBLE = frozenset(frozenset(pair) for pair in _CUES.incompatible_chemicals)
#: A word of an allergy statement -> the allergen classes it names.
ALLERGEN_WORDS: dict[str, frozenset[str]] = {
    w: frozenset(classes) for w, classes in _CUES.allergen_words.items()
}
