"""Reading an instruction into steps, things, roles and effects.

:func:`analyse` does what the package docstring calls *words*, *things*, *roles* and
*effects*: robot names are split and misspellings repaired (:func:`tokens`), the text is
cut into steps at "and then", "then", commas and "and <verb>" (:func:`split_steps`), each
step's verbs give its effects and each noun phrase becomes a :class:`Mention` with a kind,
properties and a role (:func:`read_step`); pronouns stand for things of earlier steps.
The words it relies on are data in ``cues.yaml`` (:mod:`.vocab`); kinds, modifiers and
verbs come from ``safety/kinds.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from housemind.safety._text import COVER_WORDS, PLACE_WORDS, elliptic_and, lemma
from housemind.safety.compose.vocab import (
    ARTICLES,
    AWAY_KEYS,
    BOUNDARY,
    CLAUSE,
    DETERMINERS,
    FILLERS,
    LEAVE_KEYS,
    MAX_PREP,
    NEGATIONS,
    PARTICLE_VERBS,
    POSS,
    PREPS,
    PRONOUNS,
    STAY_KEYS,
    has_phrase,
    says_any,
)
from housemind.safety.kinds import Kind, KindBase, load_kinds, split_name

__all__ = [
    "ANYONE",
    "Analysis",
    "Mention",
    "Step",
    "analyse",
    "head",
    "kind_of_unknown",
    "prev_or_here",
    "read_step",
    "split_steps",
    "tokens",
]


@dataclass
class Mention:
    """A thing named in a step.

    Attributes:
        text: The words that named it.
        kind: Its kind (None: unknown).
        props: Its properties (kind + modifiers).
        confidence: How sure the kind is (1.0 exact name).
        role: ``obj``, ``in``, ``on``, ``near``, ``at``, ``to``, ``with``, ``from``,
            ``without``, ``poss`` (it owns the next thing), ``subj`` (before the verb).
        start: Index of its first word in the step.
        pronoun: It was "it", "them" ... and stands for an earlier thing.
    """

    text: str
    kind: Kind | None
    props: frozenset[str]
    confidence: float
    role: str
    start: int
    pronoun: bool = False

    def has(self, *props: str) -> bool:
        """Whether it has any of ``props``."""
        return any(p in self.props for p in props)

    @property
    def label(self) -> str:
        """How the explanation names it."""
        return self.text

    @property
    def end(self) -> int:
        """Index of the word after it in the step (an "it" is one word)."""
        return self.start + (1 if self.pronoun else len(self.text.split()))

    @property
    def living(self) -> bool:
        """A person or an animal (plants do not count)."""
        return self.has("person", "animal", "pet")


@dataclass
class Step:
    """One step of an instruction ("put the fork in the microwave")."""

    index: int
    words: list[str]
    lemmas: list[str]
    verb: str | None
    effects: frozenset[str]
    mentions: list[Mention]
    negated: bool = False

    @property
    def text(self) -> str:
        """The step's words."""
        return " ".join(self.words)

    def after(self, m: Mention) -> list[str]:
        """The step's words after the mention ``m``."""
        return self.words[m.end :]

    def role(self, *roles: str) -> list[Mention]:
        """Mentions in any of ``roles``."""
        return [m for m in self.mentions if m.role in roles]

    def having(self, *props: str, roles: Iterable[str] | None = None) -> list[Mention]:
        """Mentions with any of ``props`` (in ``roles`` if given)."""
        rs = set(roles) if roles is not None else None
        return [m for m in self.mentions if m.has(*props) and (rs is None or m.role in rs)]

    def says(self, *phrases: str) -> bool:
        """Whether any of ``phrases`` occurs (lemmas, case-insensitive)."""
        return says_any(self.lemmas, *phrases)


@dataclass
class Analysis:
    """An instruction read into steps, with the whole text's cues."""

    text: str
    steps: list[Step]
    lemmas: list[str]
    leaving: bool
    staying: bool
    kb: KindBase | None = None
    away: bool = False

    def mentions(self) -> list[Mention]:
        """Every mention of every step."""
        return [m for s in self.steps for m in s.mentions]

    def effects(self) -> frozenset[str]:
        """Every effect of every step."""
        out: set[str] = set()
        for s in self.steps:
            out |= s.effects
        return frozenset(out)

    def having(self, *props: str, roles: Iterable[str] | None = None) -> list[Mention]:
        """Mentions of any step with any of ``props`` (in ``roles`` if given)."""
        return [m for s in self.steps for m in s.having(*props, roles=roles)]

    def says(self, *phrases: str) -> bool:
        """Whether the whole text says any of ``phrases``."""
        return says_any(self.lemmas, *phrases)


_SPLIT = re.compile(r"[.;!?]+|,\s*(?:and\s+)?then\b|\band\s+then\b|\bthen\b|\bafter that\b")


def _starts_step(words: list[str], kb: KindBase) -> bool:
    """Whether the words after a comma start a step of their own: a verb, and no thing.

    "..., place the bowl in the microwave" does; "the plate, bowl 2 and knife" does not
    (a word that is also a thing's name starts a step only before "the", "a", "it" ...).
    """
    v = _verb_at(words[:3], kb)
    if v is None or v[1] == 0 or _thing_not_verb(words, 0, v[1], kb):
        return False
    if (lemma(words[0]),) not in kb.names:
        return True
    nxt = words[v[1]] if len(words) > v[1] else ""
    return nxt in ARTICLES or nxt in DETERMINERS or nxt in PRONOUNS


#: "its" typed for "it's": "its in the fridge", "its still hot".
_ITS_IS = re.compile(r"(^\s*|[,.;!?]\s*)its (?=in |on |at |under |still |been |all |just )")

#: "'s" after these is "is": "it's hot", "there's a fork in it".
_IS = re.compile(r"\b(it|that|there|here|what|who|he|she|where|how|everything|nothing)'s\b")


def tokens(text: str, kb: KindBase) -> list[str]:
    """Words of ``text``: robot names split, "'s" marked, contractions opened, typos repaired."""
    t = split_name(text).lower().replace("\u2019", "'")
    t = _IS.sub(r"\1 is", t)  # "until it's steaming hot": it is, not its
    t = re.sub(r"(\w)'s\b", r"\1 " + POSS, t)
    t = re.sub(r"(\w)s'(\s)", r"\1s " + POSS + r"\2", t)
    t = t.replace("can't", "can not").replace("won't", "will not")  # not "ca not"
    t = t.replace("n't", " not").replace("'re", " are").replace("'m", " am")
    t = t.replace("'ll", " will").replace("'ve", " have").replace("'d", " would")
    t = re.sub(r"\bits\b", "it is", t) if " its on" in t or " its off" in t else t
    # "its in the fridge", "its still hot": "it is" typed without the apostrophe
    t = _ITS_IS.sub(r"\1it is ", t)
    raw = re.findall(r"[a-z0-9_]+", t)
    out = []
    for w in raw:
        if w == POSS or w.isdigit():
            out.append(w)
            continue
        fixed = _repair(w, kb)
        if fixed is None and len(w) == 3 and w not in kb.vocabulary:
            fixed = _short_verb(w, kb)
        out.append(fixed or w)
    return out


def _repair(w: str, kb: KindBase) -> str | None:
    """The word a lower-case ``w`` of four letters or more is a misspelling of, or None."""
    fixed = kb.respell(w)
    fw = _respell_function_word(w, kb)
    if fw is not None and (fixed is None or len(fw) == len(w)):
        fixed = fw  # "whyle" is "while" before "whole"; "sinc" stays a "sink"
    return fixed


def respelled(text: str, kb: KindBase | None = None) -> str:
    """``text`` with its misspelt words repaired as :func:`tokens` repairs them.

    Everything else stays as written (case, punctuation, robot names such as ``Pot_1``),
    so judges that read words ("blach" is not "bleach" to a word list) can read it again.
    """
    kb = kb or load_kinds()

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        low = w.lower()
        if w != low and w != low.capitalize():
            return w  # "DogBiscuit": a robot name, split by the judges
        fixed = _repair(low, kb)
        if not fixed:
            return w
        return fixed.capitalize() if w[0].isupper() else fixed

    return re.sub(r"(?<![\w'])[A-Za-z]{4,}(?![\w'])", fix, text)


#: Words that join clauses ("while", "until", "before"): a misspelling of one of them is
#: read as it before any thing of the base ("whyle" is "while", not "whole").
_FUNCTION_WORDS = frozenset(w for w in CLAUSE | BOUNDARY if len(w) >= 4)


def _respell_function_word(w: str, kb: KindBase) -> str | None:
    """``w`` repaired to a clause word it is one letter away from, or None."""
    if len(w) < 4 or w in _FUNCTION_WORDS or w in kb.vocabulary:
        return None
    from housemind.safety.kinds import _edits_within, _english

    if w in _english():
        return None
    for cand in sorted(_FUNCTION_WORDS):
        if cand[0] == w[0] and abs(len(cand) - len(w)) <= 1 and _edits_within(w, cand, 1):
            return cand
    return None


def _repair_verb(w: str, kb: KindBase) -> str | None:
    """A known verb that ``w``, standing where a step's verb stands, is a misspelling of.

    There a real English word that is no verb ("lok" is a word of the model's vocabulary)
    is still read as the verb it is one letter away from ("lock").
    """
    if len(w) < 3 or w in kb.vocabulary or w in ARTICLES or w in DETERMINERS:
        return None
    if len(w) == 3:
        return _short_verb(w, kb, english_ok=True)
    from housemind.safety.kinds import _edits_within, _english

    if w in _english():  # "show" is a word of its own, not a misspelt "shove"
        return None
    verbs = sorted(k[0] for k in kb.verbs if len(k) == 1 and abs(len(k[0]) - len(w)) <= 1)
    for cand in verbs:
        if cand[0] == w[0] and _edits_within(w, cand, 1):
            return cand
    return None


def _short_verb(w: str, kb: KindBase, *, english_ok: bool = False) -> str | None:
    from housemind.safety.kinds import _english

    if w in _english() and not english_ok:
        return None
    for key in kb.verbs:
        if len(key) == 1:
            cand = key[0]
            if len(cand) == 4 and cand.startswith(w[:2]) and all(c in cand for c in w):
                return cand if cand[:3] == w or cand.replace(cand[2], "", 1) == w else None
    return None


def split_steps(text: str, kb: KindBase) -> list[list[str]]:
    """``text`` cut into the words of its steps ("... and then ...", ", then", "and <verb>")."""
    parts = [p for p in _SPLIT.split(text) if p and p.strip()]
    steps: list[list[str]] = []
    for part in parts:
        head, comma, tail = part.partition(",")
        own = tokens(head, kb) if comma else []
        if own and (_person_clause(own) or _scene_clause(own, kb)):
            # "before I start cooking, empty the dishwasher", "the cat's on the windowsill,
            # put the apple in the fridge": the person's clause, or what they see, ends there
            steps.append(own)
            part = tail
        # A comma before a verb ends a step: "take the fork out of the bowl, place the
        # bowl in the microwave" (the words keep no commas, so they are marked here).
        toks: list[str] = []
        for k, chunk in enumerate(part.split(",")):
            words = tokens(chunk, kb)
            if k and toks and words and (_starts_step(words, kb) or _subject_clause(words, kb)):
                toks.append(",")
            toks += words
        # "... and <verb> ...", ", <verb> ..." start a new step.
        cur: list[str] = []
        i = 0
        while i < len(toks):
            w = toks[i]
            if w == "," and cur:
                steps.append(cur)
                cur = []
                i += 1
                continue
            if w == ",":
                i += 1
                continue
            if w == "and" and cur and i + 1 < len(toks):
                nxt = toks[i + 1 : i + 4]
                v = _verb_at(nxt, kb)
                if (
                    v is not None and v[1] > 0 and not _thing_not_verb(toks, i + 1, v[1], kb)
                ) or elliptic_and(cur, toks[i + 1 :]):
                    steps.append(cur)
                    cur = []
                    i += 1
                    continue
            cur.append(w)
            i += 1
        if cur:
            steps.append(cur)
    return steps


#: After "'s", words that make it "is" ("the cat's on the sill"), not a possessive.
_IS_AFTER = frozenset(
    {
        "on",
        "in",
        "at",
        "under",
        "by",
        "near",
        "asleep",
        "out",
        "away",
        "gone",
        "been",
        "got",
        "still",
        "just",
        "here",
        "there",
        "all",
        "fast",
        "sound",
        "coming",
        "having",
        "getting",
        "being",
        "going",
        "playing",
        "sleeping",
        "napping",
        "outside",
        "upstairs",
        "downstairs",
    }
)


#: Words after a subject that make a clause of what someone is or does ("the kids ARE
#: about to sit down", "his sister MIGHT crawl in later").
_AUX = frozenset(
    {"is", "are", "was", "were", "will", "might", "mite", "may", "can", "could", "would"}
    | {"should", "must", "keeps", "keep", "has", "have", "r", "re", "ll", "likes", "loves"}
    | {"wants", "needs", "gets", "often", "always", "usually", "sometimes", "never"}
)
#: Words before a subject's name: "his baby sister", "the kids".
_SUBJECT_DETS = frozenset({"the", "his", "her", "my", "our", "their", "your", "a", "an"})


def _subject_clause(words: list[str], kb: KindBase) -> bool:
    """Whether the words after a comma say what someone is or does ("the kids are about").

    A living thing (or "he", "she", "they"), then a word like "is", "will", "might":
    a remark of its own, never part of the step before it ("put the knives in the drawer,
    the kids are about to sit down" shuts no child in the drawer).
    """
    i = 0
    while i < len(words) and words[i] in _SUBJECT_DETS:
        i += 1
    if i < len(words) and words[i] in ("he", "she", "they", "it"):
        return i + 1 < len(words) and words[i + 1] in _AUX
    if i < len(words) and words[i] in ("ill", "im"):
        return i == 0  # "ill be in the bath": texting for "I'll", "I'm"
    j = i
    while j < len(words) and j - i < 3:
        k = kb.exact(words[j])
        if k is None:
            break
        j += 1
    if j == i:
        return False
    last = kb.exact(words[j - 1])
    living = last is not None and bool(last.props & {"person", "animal", "pet"})
    return living and j < len(words) and words[j] in _AUX


def _scene_clause(words: list[str], kb: KindBase) -> bool:
    """Whether ``words`` only say how things are ("the cat's on the windowsill").

    A subject, then "is" / "are" / "'s" (as "is"), and no request: such a clause before a
    comma is a step of its own.
    """
    if not words or _verb_at(words, kb) is not None or words[0] in FILLERS:
        return False
    for i, w in enumerate(words[1:], 1):
        if w in ("is", "are", "was", "were"):
            return True
        if w == POSS and i + 1 < len(words) and words[i + 1] in _IS_AFTER:
            return True
    return False


def _thing_not_verb(toks: list[str], i: int, n: int, kb: KindBase) -> bool:
    """Whether ``toks[i : i + n]``, a verb, names a thing here: "vinegar and WATER into".

    A word that is both (water, paint, mop, bowl) is a thing when what follows it is not
    what a verb takes: a preposition, "and", the end of the text, or the verb of which it
    is the subject ("the plate and BOWL are clean", "... and bowl need washing").
    """
    if tuple(lemma(w) for w in toks[i : i + n]) not in kb.names:
        return False
    after = [lemma(w) for w in toks[i + n : i + n + MAX_PREP]]
    return (
        not after
        or after[0] in ("and", "or")
        or after[0] in _SUBJECT_OF
        or after[0] in _MOVED
        or _match(after, 0, PREPS, MAX_PREP) > 0
    )


#: Words after a thing being moved: "the plate and BOWL back where they go".
_MOVED = frozenset({"back", "away"})
#: Verbs after a word that make it their subject, so a thing: "the bowl IS clean".
_SUBJECT_OF = frozenset(
    lemma(w) for w in ("is", "are", "was", "were", "has", "have", "had", "needs", "need")
)


def _verb_at(toks: list[str], kb: KindBase) -> tuple[frozenset[str], int] | None:
    """Effects and length of a verb phrase starting at ``toks[0]``, or None."""
    lem = [lemma(w) for w in toks]
    for n in range(min(3, len(lem)), 0, -1):
        eff = kb.verbs.get(tuple(lem[:n]))
        if eff is not None:
            return eff, n
    if lem and lem[0] in PARTICLE_VERBS:
        return _particle(toks), 1
    return None


def _particle(toks: list[str]) -> frozenset[str]:
    """The effect of a verb whose particle trails ("turn it on", "switch the hob off")."""
    rest = toks[1:8]
    for w in rest:
        if w in ("and", "then", "while"):
            break
        if w == "off" or w == "down":
            return frozenset({"switch_off"})
        if w in ("on", "up", "to"):
            return frozenset({"switch_on"})
    return frozenset({"switch_on"})


def _match(lem: list[str], i: int, table: dict[tuple[str, ...], Any], longest: int) -> int:
    for n in range(min(longest, len(lem) - i), 0, -1):
        if tuple(lem[i : i + n]) in table:
            return n
    return 0


def read_step(index: int, words: list[str], kb: KindBase, prev: list[Step]) -> Step:
    """One step's verb, effects and mentions (``prev``: the steps before, for pronouns)."""
    lem = [lemma(w) for w in words]
    # Verb: the first verb phrase after fillers; its effects and those of later verbs.
    effects: set[str] = set()
    verb: str | None = None
    verb_end = 0
    i = 0
    while i < len(words) and (words[i] in FILLERS or words[i] == "and"):
        if words[i] == "go" and i + 1 < len(words) and words[i + 1] != "and":
            break
        i += 1
    v = _verb_at(words[i:], kb)
    if v is None and i < len(words):
        fixed = _repair_verb(words[i], kb)
        if fixed is not None:
            words = [*words[:i], fixed, *words[i + 1 :]]
            lem = [lemma(w) for w in words]
            v = _verb_at(words[i:], kb)
    if v is not None:
        verb = " ".join(words[i : i + v[1]])
        effects |= v[0]
        verb_end = i + v[1]
    # Later verbs: "let the dog lick ...", "leave it running", "and go out".
    mentions: list[Mention] = []
    role = "obj" if verb is not None else "subj"
    pending_mods: tuple[set[str], set[str]] = (set(), set())
    negate_next = False
    j = verb_end
    last: Mention | None = None
    lets = verb is not None and lemma(verb.split()[0]) in _LETS
    while j < len(words):
        w = words[j]
        if (
            lets
            and last is not None
            and last.living
            and j == last.end
            and w not in ARTICLES
            and w not in DETERMINERS
            and w not in PRONOUNS
            and w != POSS
            and not _match(lem, j, PREPS, MAX_PREP)
        ):
            # "let the kids PAINT at the table": after "let <someone>" comes what they do.
            vv = _verb_at(words[j:], kb)
            if vv is not None:
                effects |= vv[0]
            j += vv[1] if vv is not None else 1
            role = "obj"
            lets = False
            continue
        if w == POSS:
            if last is not None and last.end >= j - 0:
                last.role = "poss"
            j += 1
            continue
        if (
            w == "not"
            and last is not None
            and verb is not None
            and j > verb_end
            and _verb_at(words[j + 1 :], kb) is None
            and any(_match(lem, k, kb.names, kb.max_name_len) for k in range(j + 1, j + 4))
        ):
            role = "without"  # "with her special formula, not regular cow's milk"
            j += 1
            continue
        if w in NEGATIONS:
            negate_next = True
            j += 1
            continue
        if w in CLAUSE:
            role = "subj"  # "... before grandma walks through": a new subject
            pending_mods = (set(), set())
            j += 1
            continue
        n = _match(lem, j, PREPS, MAX_PREP)
        if n and not _match(lem, j, kb.names, kb.max_name_len) > n:
            prep_role = PREPS[tuple(lem[j : j + n])]
            role = (last.role if last is not None else role) if prep_role == "of" else prep_role
            pending_mods = (set(), set())
            j += n
            negate_next = False
            continue
        if j + 2 < len(lem) and lem[j + 1] == POSS:
            for k in (2, 1):
                key = (lem[j], *lem[j + 2 : j + 2 + k])
                if len(key) == k + 1 and key in kb.names:
                    kind = kb.kinds[kb.names[key]]
                    text = " ".join([words[j], *words[j + 2 : j + 2 + k]])
                    last = Mention(text, kind, frozenset(kind.props), 1.0, role, j)
                    mentions.append(last)
                    pending_mods = (set(), set())
                    j += 2 + k
                    break
            else:
                key = None
            if key is not None:
                continue
        if (
            j == verb_end
            and verb is not None
            and w in _DATIVE
            and lemma(verb.split()[0]) in _FETCH
            and j + 1 < len(words)
            and (words[j + 1] in ARTICLES or words[j + 1] in DETERMINERS)
        ):
            # "grab me a mug", "get us the milk": for whom, not whom it is done to.
            kind = kb.kinds[kb.names[(lem[j],)]] if (lem[j],) in kb.names else None
            if kind is not None:
                mentions.append(Mention(w, kind, frozenset(kind.props), 1.0, "to", j))
                j += 1
                continue
        if (
            w in ("him", "her")
            and (j + 1 >= len(words) or words[j + 1] not in kb.vocabulary or words[j + 1] == "in")
            and not _owner_of_next(words, lem, j + 1, kb)  # "her bedside drawer"
            and any(m.living and not m.pronoun for s in prev for m in s.mentions)
        ):
            # "take the baby out of the pram and leave HER in the car": the baby
            ref = _resolve(w, effects, mentions, prev, role=role, after=words[j + 1 :])
            if ref is not None:
                last = Mention(ref.text, ref.kind, ref.props, ref.confidence, role, j, pronoun=True)
                mentions.append(last)
                j += 1
                continue
        if w in ("them", "they") and prev_or_here(mentions, prev):
            # "wrap the glasses and put THEM in the box": the glasses, not some people.
            ref = _resolve(w, effects, mentions, prev, role=role, after=words[j + 1 :])
            if ref is not None and not ref.living:
                last = Mention(ref.text, ref.kind, ref.props, ref.confidence, role, j, pronoun=True)
                mentions.append(last)
                j += 1
                continue
        n = _match(lem, j, kb.names, kb.max_name_len)
        if n and _match(lem, j, kb.modifiers, kb.max_name_len) > n:
            n = 0  # "plugged in" describes; it is not a plug
        if n == 1 and w.endswith("ed") and _match(lem, j, kb.modifiers, kb.max_name_len):
            n = 0  # "a soft steamed carrot": steamed describes it; it is no steam
        if n and j > 0 and words[j - 1] == "to" and _verb_at(words[j : j + n], kb) is not None:
            n = 0  # "on the hob to HEAT": after "to" a verb says what happens, not a thing
        if n:
            kind = kb.kinds[kb.names[tuple(lem[j : j + n])]]
            if words[j + n : j + n + 1] == ["of"] and kind.is_a("water_place"):
                # "a tub of Hama beads", "a basin of peas": a container of what follows
                kind = kb.kinds.get("plastic_container", kind)
            props = set(kind.props)
            props |= pending_mods[0]
            props -= pending_mods[1]
            text = " ".join(words[j : j + n])
            if kind.name in _AGED and j > 0:
                kind = _by_age(words[j - 1], text, kind, kb)
                props = (props | set(kind.props)) if kind.is_a("child") else props
            n2 = _match(lem, j + n, kb.names, kb.max_name_len)
            if text == "step" and words[j + 1 : j + 2] in _STEP_AWAY:
                j += n  # "step away from the guest": a move, not a stair
                continue
            if text == "can" and (
                words[j + 1 : j + 2] in (["you"], ["u"], ["we"], ["i"])
                or (j and words[j - 1] in ("you", "u", "we", "i", "they", "he", "she"))
            ):
                j += n  # "can you pour it away": asking, not a tin can
                continue
            if text == "her" and _owner_of_next(words, lem, j + 1, kb):
                j += n  # "in her bedside drawer": whose drawer
                continue
            if n2 and text in _DESCRIBING:
                j += n  # "the leftover rubbing alcohol": what is left of it, not food
                continue
            holder = kb.kinds[kb.names[tuple(lem[j + n : j + n + n2])]] if n2 else None
            if (
                holder is not None
                and kind.props & {"person", "animal", "pet"}
                and not holder.props & {"person", "animal", "pet", "food", "medicine"}
                and not holder.props & {"chemical", "liquid"}
            ):
                role_here = "poss"  # "the baby clothes", "the dog toys": theirs, not them
            elif (
                holder is not None
                and kind.props & {"electrical", "water_place"}
                and not holder.props & {"person", "animal", "pet", "food", "liquid"}
                and not holder.props & {"electrical", "chemical", "medicine"}
            ):
                # English compounds name their last word: the "blender jug" is a jug, the
                # "fridge door" a door, the "bath mat" a mat; the first word only says whose.
                role_here = "poss"
            else:
                role_here = role
            if holder is not None and _holds(kind, holder):
                # "the bleach bottle", "the juice carton": the container of that stuff.
                props |= set(holder.props)
                if not kind.props & {"food"}:
                    # A paint tray or a bleach bottle holds that, not food or drink.
                    props -= {"drink_container", "food_place"}
                text = " ".join(words[j : j + n + n2])
                n += n2
            last = Mention(text, kind, frozenset(props), 1.0, role_here, j)
            mentions.append(last)
            pending_mods = (set(), set())
            negate_next = False
            j += n
            continue
        n = _match(lem, j, kb.modifiers, kb.max_name_len)
        if n == 1 and lem[j] == lemma("lit") and w not in ("lit", "lighted"):
            n = 0  # "dim the lights": lamps, not a flame ("lit" and "light" share a lemma)
        if n == 1 and w == "steamed":
            n = 0  # "steamed" veg is soft, not "steaming" hot (they share a lemma)
        if n:
            add, rem = kb.modifiers[tuple(lem[j : j + n])]
            if not negate_next:
                pending_mods[0].update(add)
                pending_mods[1].update(rem)
                # After a thing ("the grapes cut into quarters", "the chicken left out"),
                # a modifier describes it.
                nxt = words[j + n] if j + n < len(words) else ""
                ends = (
                    not nxt
                    or nxt in BOUNDARY
                    or _match(lem, j + n, PREPS, MAX_PREP)
                    or (nxt in ("all", "for", "since", "from", "overnight", "yesterday", "today"))
                )
                if last is not None and ends and j - (last.end) <= 4:
                    last.props = frozenset((set(last.props) | set(add)) - set(rem))
                    pending_mods = (set(), set())
            negate_next = False
            j += n
            continue
        vv = _verb_at(words[j:], kb)
        if vv is not None and j > 0 and words[j - 1] in ARTICLES:
            vv = None  # "the empty bedroom", "a drip": after "the" a word describes or names
        if (
            vv is not None
            and last is not None
            and last.end == j
            and last.role not in ("subj", "obj", "poss")
            and not last.pronoun
            and not w.endswith(("ed", "ing", "en"))
        ):
            # "in the carrier for the vet TRIP": a name goes on, no verb ("with bleach MIXED
            # with ..." still mixes)
            vv = None
        if vv is not None and w.endswith("s") and j > 0 and words[j - 1] in _SOMEONE:
            vv = None  # "before anyone flushes it": what someone else does
        if (
            vv is not None
            and w.endswith("s")
            and last is not None
            and last.living
            and last.end == j
        ):
            vv = None  # "before the dog knocks it over": what the dog does
        if (
            vv is not None
            and w.endswith(("ed", "en"))
            and _match(lem, j + vv[1], kb.names, kb.max_name_len)
        ):
            j += vv[1]  # "the smashed glass", "the broken plate": a description
            continue
        if vv is not None and j > verb_end:
            effects |= vv[0]
            if verb is None:
                verb = " ".join(words[j : j + vv[1]])
                role = "obj"
            elif words[j] not in ("use",):
                role = "obj"
            j += vv[1]
            continue
        if w in PRONOUNS and prev_or_here(mentions, prev):
            ref = _resolve(w, effects, mentions, prev, role=role, after=words[j + 1 :])
            if ref is not None:
                m = Mention(ref.text, ref.kind, ref.props, ref.confidence, role, j, pronoun=True)
                mentions.append(m)
                last = m
        elif w in ARTICLES:
            # "the Xbox", "the gizmo": a thing the base does not name; its kind is found
            # by meaning only if a rule needs it (see kind_of_unknown).
            k = j + 1
            while k < len(words) and k - j <= 3 and _plain(words[k], lem, k, kb):
                k += 1
            if (
                k > j + 1
                and (k >= len(words) or not _match(lem, k, kb.names, kb.max_name_len))
                and words[k - 1] not in _MEASURES
            ):
                phrase = " ".join(words[j + 1 : k])
                last = Mention(phrase, None, frozenset(pending_mods[0]), 0.0, role, j + 1)
                mentions.append(last)
                pending_mods = (set(), set())
                j = k
                continue
        j += 1
    if (
        verb is not None
        and lemma(verb.split()[0]) in _PUT_ON
        and "on" in words[verb_end:]
        and not any(m.role == "on" for m in mentions)
        and any(m.role == "obj" and m.has("heat_source") for m in mentions)
    ):
        # "put the kettle on", "pop the chip pan on full": on, not on top of something.
        effects.add("switch_on")
    if _person_clause(words) or _subject_clause(words, kb):
        # "I'm about to put the kids to bed", "before I start cooking", "the baby keeps
        # trying to grab it": what the person (or the child) does. Who and what it names
        # still count (a child, a bath); its verbs are not the robot's, so they have no
        # effect (its verb still says whether the person leaves).
        effects = set()
    return Step(index, words, lem, verb, frozenset(effects), mentions)


#: Nobody in particular: "before anyone flushes it" names no one to protect.
ANYONE = frozenset({"anyone", "anybody", "someone", "somebody", "nobody", "everyone", "everybody"})
#: Subjects whose verb ("before anyone flushes it") is not the robot's.
_SOMEONE = ANYONE | {"he", "she", "who"}

#: Verbs that with "on" and no place after it start an appliance ("put the oven on").
_PUT_ON = frozenset(lemma(w) for w in ("put", "pop", "stick", "bung", "get", "have", "set"))

#: Words after "I"/"we" that turn what follows into a request: "I want you to ...".
_ASKS = frozenset({"you", "want", "need", "like", "wish", "prefer", "would", "let", "please"})


def _owner_of_next(words: list[str], lem: list[str], k: int, kb: KindBase) -> bool:
    """Whether a "her" before ``words[k]`` says whose thing comes next ("her bedside drawer").

    A thing's name starts at ``k``, or one word on after a word that is no article,
    determiner or preposition ("give her the knife": she is given it).
    """
    if k >= len(words) or words[k] in ARTICLES | DETERMINERS | PLACE_WORDS:
        return False
    if _match(lem, k, kb.names, kb.max_name_len):
        kind = kb.exact(words[k])
        return kind is None or not kind.props & {"person", "animal", "pet"}
    return k + 1 < len(words) and bool(_match(lem, k + 1, kb.names, kb.max_name_len))


#: Words after "step" that make it a move ("step away", "step back").
_STEP_AWAY = [["away"], ["back"], ["aside"], ["forward"], ["over"], ["out"], ["off"]]

#: "is", "are": a step that says what is, not what to do.
_COPULA = frozenset({"is", "are", "was", "were"})

#: Words of measure: "a metre from the sofa", "a minute" name no thing.
_MEASURES = frozenset(
    {"metre", "metres", "meter", "meters", "foot", "feet", "inch", "inches", "yard", "yards"}
    | {"minute", "minutes", "min", "mins", "second", "seconds", "hour", "hours", "bit"}
    | {"moment", "while", "couple", "few", "little", "lot", "distance", "way", "step", "steps"}
)

#: Names of a kind that, before another thing's name, only describe it.
_DESCRIBING = frozenset({"leftover", "left over", "spare"})


def _person_clause(words: list[str]) -> bool:
    """Whether ``words`` say what the person themself does ("before I start cooking")."""
    k = 0
    while k < len(words) and words[k] in CLAUSE:
        k += 1
    if k >= len(words) or words[k] not in ("i", "we"):
        return False
    return not any(w in _ASKS for w in words[k + 1 :])


#: Verbs after which "<someone> <verb>" says what that someone does ("let the kids paint").
_LETS = frozenset(lemma(w) for w in ("let", "make", "help", "allow"))
#: Verbs of fetching that take whom it is for first: "grab me a mug", "get us the milk".
_FETCH = frozenset(
    lemma(w) for w in ("grab", "get", "fetch", "bring", "pour", "pass", "find", "pick", "pull")
)
#: Pronouns that can be that "for whom".
_DATIVE = frozenset({"me", "us", "him", "her", "them"})

#: Kinds named by age ("3 year old", "ten month old").
_AGED = frozenset({"person", "baby", "child"})
_NUMBERS = {
    w: n
    for n, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six"]
        + ["seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
}


def _by_age(before: str, text: str, kind: Kind, kb: KindBase) -> Kind:
    """The kind of "<n> year old": a baby up to three, a child up to twelve."""
    if not text.startswith(("year old", "years old", "yr old")):
        return kind
    n = int(before) if before.isdigit() else _NUMBERS.get(before)
    if n is None:
        return kind
    if n <= 3:
        return kb.kinds["baby"]
    if n <= 12:
        return kb.kinds["child"]
    return kind


def _holds(stuff: Kind, holder: Kind) -> bool:
    """Whether "<stuff> <holder>" names a container or a form of that stuff.

    "bleach bottle", "juice carton", "pill box": a container of it; "vinegar spray": the
    stuff as a spray (the most general chemical words say what form, not what it is).
    """
    if not stuff.props & {"liquid", "food", "chemical", "medicine"} or "container" in stuff.props:
        return False
    if holder.name in ("chemical", "cleaning_product"):
        return True
    if "chemical" in stuff.props and "food" not in stuff.props and "container" in holder.props:
        # "paint tray", "bleach bucket": a tray kept for the chemical, not a food tray.
        return not holder.props & {"electrical", "water_place", "enclosure"}
    return "container" in holder.props and not holder.props & {
        "electrical",
        "water_place",
        "enclosure",
        "food_place",
    }


def _plain(w: str, lem: list[str], k: int, kb: KindBase) -> bool:
    """A word that can be part of an unknown thing's name."""
    return not (
        w in BOUNDARY
        or w in DETERMINERS
        or w == POSS
        or w in NEGATIONS
        or w.isdigit()
        or _match(lem, k, PREPS, MAX_PREP)
        or _match(lem, k, kb.names, kb.max_name_len)
        or _match(lem, k, kb.modifiers, kb.max_name_len)
        or _verb_at([w], kb) is not None
    )


def prev_or_here(here: list[Mention], prev: list[Step]) -> bool:
    """Whether there is anything a pronoun could stand for."""
    return bool(here) or any(s.mentions for s in prev)


#: What is done to the thing itself: after "take the fork out of the drawer", "microwave
#: it" heats the fork, "rinse it" or "tip it into a bowl" wets or pours the thing taken,
#: while "close it" or "switch it on" is the drawer. Only "it" as the verb's object: in
#: "take the toast out of the toaster and pour water on it", "it" is the toaster.
_TO_THE_THING = frozenset(
    {"heat", "ingest", "place", "cut", "mix", "harm", "wet", "throw", "break"}
)
_EMPTY = lemma("empty")


def _is_cover(m: Mention) -> bool:
    """Whether ``m`` names a cover or wrapping ("the tin foil", "the lid")."""
    return m.text.split()[-1] in COVER_WORDS


def head(named: list[Mention]) -> Mention:
    """The first thing of ``named``, read to the end of its name ("leftover rice": rice)."""
    last = named[0]
    for m in named[1:]:
        if m.start != last.end:
            break
        last = m
    return last


#: Prepositions that, with a determiner after them, say where a thing goes.
_TO_PLACES = frozenset({"in", "into", "inside", "on", "onto", "under", "behind", "at"})


def _goes_somewhere(after: Sequence[str]) -> bool:
    """Whether words after a pronoun send it somewhere ("shut it IN THE drawer")."""
    return any(
        w in _TO_PLACES and (nxt in ARTICLES or nxt in DETERMINERS)
        for w, nxt in zip(after, after[1:], strict=False)
    )


def _resolve(
    word: str,
    effects: set[str],
    here: list[Mention],
    prev: list[Step],
    *,
    role: str = "obj",
    after: Sequence[str] = (),
) -> Mention | None:
    """What a pronoun stands for.

    Args:
        word: The pronoun.
        effects: The effects of its step so far.
        here: The mentions of its step so far.
        prev: The steps before.
        role: Its role ("obj": what the verb acts on; "in": where something goes ...).
        after: The words of its step after it.
    """
    earlier = [m for s in prev for m in s.mentions if not m.pronoun]
    pool = earlier or [m for m in here if not m.pronoun]
    if not pool:
        return None
    if word in ("him", "her"):
        living = [m for m in pool if m.living]
        return living[-1] if living else None
    things = [m for m in pool if not m.living and m.role not in ("poss",)]
    if "switch_on" in effects or "switch_off" in effects:
        sw = [m for m in things if m.has("switchable", "heat_source", "fire")]
        if sw:
            return sw[-1]
    if prev and prev[-1].says("off") and role == "obj":
        # "take the foil off the dish and microwave it": the dish, uncovered
        covers = [m for m in prev[-1].mentions if m.role == "obj" and _is_cover(m)]
        froms = [m for m in prev[-1].mentions if m.role == "from" and not m.living]
        if covers and froms:
            return froms[-1]
    if prev and prev[-1].says("out of", "take out", "remove", "empty"):
        # "take the lasagne out of the foil tray and microwave it": the lasagne; "... and
        # put the cat in it", "... and close it": the tray.
        # ("get the pasta out of the pan": no verb of the base, so the pasta is the subject)
        moved = ("obj",) if prev[-1].verb else ("obj", "subj")
        taken = [m for m in prev[-1].mentions if m.role in moved and not m.pronoun]
        froms = [m for m in prev[-1].mentions if m.role == "from" and not m.living]
        if taken and prev[-1].verb and lemma(prev[-1].verb.split()[0]) == _EMPTY:
            if not effects & {"heat", "ingest"}:
                # "empty the flowers from the vase into the bin, then chuck it out": the vase
                return froms[-1] if froms else taken[0]
            # "empty the tin of beans into a bowl, then microwave it": what was in the tin,
            # now in the bowl
            stuff = [m for m in taken if m.has("food", "liquid")]
            into = [m for m in prev[-1].mentions if m.role == "in" and not m.living]
            taken = stuff or into or taken
        if (
            taken
            and role == "obj"
            and (
                effects & _TO_THE_THING
                or (effects & {"enclose", "leave"} and _goes_somewhere(after))
            )
            and not (
                # "take the teaspoon out of the mug and microwave it": the mug, emptied of
                # what must not be heated in it
                "heat" in effects
                and froms
                and froms[-1].has("microwave_safe")
                and not taken[0].has("food", "liquid")
                and not taken[0].living
            )
        ):
            return head(taken)  # "the tin of soup": the tin; "the leftover rice": the rice
        if froms:
            return froms[-1]
    if prev and word in ("it", "them"):
        # "reheat it until it is hot and then serve it": the same thing as the "it" before
        said = [m for m in prev[-1].mentions if m.role == "obj"]
        if said and all(m.pronoun for m in said) and not said[-1].living:
            return said[-1]
    objs = [m for m in things if m.role == "obj"]
    if objs:
        return objs[-1]
    return things[-1] if things else pool[-1]


#: Stands between two steps in :attr:`Analysis.lemmas`.
STEP_MARK = "|"


def analyse(text: str, kb: KindBase | None = None) -> Analysis:
    """Read ``text`` into steps (see the module docstring)."""
    kb = kb or load_kinds()
    steps: list[Step] = []
    for words in split_steps(text, kb):
        step = read_step(len(steps), words, kb, steps)
        if (
            step.verb is None
            and steps
            and steps[-1].verb is not None
            and step.mentions
            and (words[0] in ARTICLES or step.mentions[0].start == 0)
            and not set(words[:4]) & _COPULA  # "it is on the paving": a remark
        ):
            # "use the descaler on the taps, then the bleach": the same verb again.
            step.verb, step.effects = steps[-1].verb, steps[-1].effects
            for m in step.mentions:
                if m.role == "subj":
                    m.role = "obj"
        _into_what_was_opened(step, steps)
        steps.append(step)
    # The steps' lemmas, with a mark between steps: no phrase runs from one step into the
    # next ("the kids are at school, run the dishwasher" says no "school run").
    lem = [w for s in steps for w in (*s.lemmas, STEP_MARK)][:-1]
    return Analysis(
        text=text,
        steps=steps,
        lemmas=lem,
        leaving=has_phrase(lem, LEAVE_KEYS) or _leaves(steps),
        staying=has_phrase(lem, STAY_KEYS) or _attends(steps),
        kb=kb,
        away=has_phrase(lem, AWAY_KEYS) or _leaves(steps, home=True),
    )


def _into_what_was_opened(step: Step, prev: list[Step]) -> None:
    """Read a step ending in "in" as putting things into what was named before.

    "Open the dryer, put the towels in": the last thing that holds things, read as an
    "it" in role ``in``.
    """
    if (
        step.words[-1:] not in (["in"], ["inside"])
        or step.role("in")
        or "place" not in (step.effects)
    ):
        return
    for s in reversed(prev):
        for m in reversed(s.mentions):
            if not m.living and m.has("enclosure", "container"):
                step.mentions.append(
                    Mention(m.text, m.kind, m.props, m.confidence, "in", len(step.words) - 1, True)
                )
                return


def _attends(steps: list[Step]) -> bool:
    """Whether someone stays with it.

    "watch it closely", "stay in the kitchen", "leave the baby with her dad"; but "watch
    the film" is no watching over anything.
    """
    for s in steps:
        if "attend" in s.effects:
            objs = [m for m in s.mentions if m.role == "obj"]
            if not objs or any(
                m.pronoun or m.living or m.has("heat_source", "water_place", "food", "fire")
                for m in objs
            ):
                return True
        if s.verb and lemma(s.verb.split()[0]) == lemma("leave"):
            left = [m for m in s.mentions if m.role == "obj" and m.has("child", "pet")]
            carers = [
                m
                for m in s.mentions
                if m.role in ("with", "near") and m.has("person") and not m.has("child")
            ]
            if left and carers:
                return True
    return False


def kind_of_unknown(a: Analysis, m: Mention) -> Mention:
    """An unknown thing, placed by meaning when a rule needs its kind.

    Returns the mention with the kind and properties of its nearest kind when the
    sentence model is confident enough, else unchanged (kind None; confidence the score).
    """
    if m.kind is not None or a.kb is None:
        return m
    got = a.kb.resolve(m.text)
    if got.kind is None:
        m.confidence = got.confidence
        return m
    m.kind, m.confidence = got.kind, got.confidence
    m.props = frozenset(set(m.props) | set(got.kind.props))
    return m


_THING_SUBJECTS = frozenset({"it", "everything", "else", "rest", "that", "this", "which", "they"})


def _thing_goes(s: Step) -> bool:
    """Whether the "go" of ``s`` is said of a thing ("the rest goes in the drawer")."""
    at = next((i for i, w in enumerate(s.lemmas) if w == lemma("go")), -1)
    if at <= 0:
        return False
    if s.words[at - 1] in _THING_SUBJECTS:
        return True
    return any(not m.living and m.kind is not None and m.end == at for m in s.mentions)


def _leaves(steps: list[Step], *, home: bool = False) -> bool:
    """Whether a step takes the carer away (``home``: out of the home, not to bed)."""
    for s in steps:
        first = s.verb.split()[0] if s.verb else ""
        if not first and s.words[:1] == ["go"] and not s.mentions:
            first = "go"  # "... and then go, and hang the washing out"
        if first == "go" and _thing_goes(s):
            continue  # "dirty dishes go to the sink": where a thing belongs
        if first in ("go", "head", "nip", "pop", "drive") and not s.mentions:
            return True
        if lemma(first) == lemma("leave") and not s.mentions and len(s.words) <= 3:
            return True  # "put the baby in the bath and leave"
        if not home and s.words[:2] in (["go", "and"], ["then", "go"]):
            return True  # "go and pick the kids up": the carer goes to do something else
        dest = s.role("to", "in", "obj")
        if first in ("go", "head", "nip", "drive") and dest:
            if not home:
                return True
            indoors = s.says("bed", "sleep", "upstairs", "downstairs", "garden") or any(
                m.kind is not None
                and (m.kind.is_a("room") or m.has("soft_furnishing", "high_place", "low_place"))
                for m in dest
            )
            if not indoors:
                return True
            continue
        if home:
            continue  # the rest leaves a room or a child, not the home
        if lemma(first) == lemma("leave") and any(
            m.role == "obj" and m.has("child", "pet") and not m.pronoun for m in s.mentions
        ):
            return True  # "leave the toddler in the kitchen": the carer goes
        if (
            s.verb
            and lemma(s.verb.split()[0]) == lemma("leave")
            and any(
                m.kind is not None and m.kind.name == "room" and m.role == "obj" for m in s.mentions
            )
        ):
            return True  # "leave the kitchen"
        if (
            "alone" in s.lemmas
            or "unattended" in s.lemmas
            or s.says("on his own", "on her own", "on their own")
        ):
            return True
    return False


# -- rules -------------------------------------------------------------------------------
