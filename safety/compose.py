"""Common sense by composition: hazards as rules over what things are and what actions do.

:class:`CommonSenseMatcher` is an :class:`~safety.instruction.InstructionMatcher`. It reads an
instruction the way a careful person would:

1. *words*: robot names are split (``DeskLamp`` -> desk lamp, ``Pot_1`` -> pot), misspelt
   words are repaired against the knowledge base (``microwav`` -> microwave), and the text
   is cut into steps ("... and then ...", commas, "then");
2. *things*: each noun phrase is mapped to a kind of ``safety/kinds.yaml`` (exactly, by its
   last word, or by meaning with a confidence) and gets the kind's properties, changed by
   its modifiers ("steel", "unplugged", "lit", "whole", "cut into quarters");
3. *roles*: what each thing is in its step: what is acted on, where it goes ("in", "on",
   "near"), what is used ("with", "using"), who receives it ("to", "for");
4. *effects*: what the step's verbs do (wet, place, heat, switch on, throw, mix, ingest,
   enclose, leave, harm ...); steps are followed one after the other, so "put the fork in
   the microwave and turn it on" knows what "it" is and what is inside;
5. *rules* (:data:`RULES`): each hazard is a condition over properties and effects
   ("something electrical gets wet", "something metal is in a running microwave", "a
   living thing is shut inside"), so a thing the base never names is judged by its kind.
   Every rule explains itself by the property and the effect ("a television is electrical;
   pouring juice on it can cause a shock or a fire").

When a step does something risky to a thing the base cannot place (below the confidence
of :data:`~safety.kinds.MEANING_CONFIDENCE`), the verdict is ``confirm``: the robot asks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from housemind.safety._text import lemma
from housemind.safety.kinds import Kind, KindBase, load_kinds, split_name
from housemind.safety.verdict import SafetyVerdict, Verdict

__all__ = ["RULES", "Analysis", "CommonSenseMatcher", "Finding", "Mention", "Step", "analyse"]

# -- words ---------------------------------------------------------------------------------

_POSS = "_poss_"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PREPS: dict[tuple[str, ...], str] = {}
for _role, _words in {
    "in": ["in", "into", "inside", "within", "in to"],
    "on": [
        "on",
        "onto",
        "over",
        "across",
        "atop",
        "upon",
        "on top of",
        "all over",
        "on to",
        "down",
    ],
    "near": [
        "next to",
        "near",
        "by",
        "beside",
        "around",
        "close to",
        "towards",
        "toward",
        "under",
        "underneath",
        "above",
        "beneath",
        "against",
        "right by",
        "alongside",
    ],
    "at": ["at"],
    "to": ["to", "for"],
    "with": ["with", "using", "use", "by using"],
    "from": ["from", "off", "out of", "away from", "from under", "out from under", "off of"],
    "without": ["without", "instead of", "rather than", "minus", "no"],
    "of": ["of", "full of"],
}.items():
    for _w in _words:
        _PREPS[tuple(_w.split())] = _role
_MAX_PREP = max(len(k) for k in _PREPS)

_DETS = _wordset(
    "the a an my your his her their our its some this that these those all every each any "
    "another few bit couple lot loads handful splash spoon spoonful piece chunk slice "
    "half whole box bag bottle can tin jar cup glass bowl pan pot plate"
)
_DET_ONLY = _wordset(
    "the a an my your his her their our its some this that these those all every each any another"
)
_FILLERS = _wordset(
    "please just robot hey can could you would will now also quickly carefully so ok okay kindly go"
)
_BOUNDARY = _wordset(
    "and then or but so while when because if after before until till once as it them "
    "him her they we i you he she that which who where what how this there here not "
    "never don do does did is be are was were been has have had will would can could "
    "should must may might to"
)
#: Words the rules look for; misspellings of them are repaired too.
CUE_WORDS = _wordset(
    """allergic allergy allergies intolerant coeliac celiac alone unattended unsupervised
    night overnight weekend holiday holidays week morning away shopping supermarket shop
    airport cinema work outside inside indoors upstairs downstairs bedroom asleep sleep
    leave leaving going stay staying wait watch supervise whole time reach without anyway
    double twice extra once dose prescribed brim maximum high medium low together
    separate same every edge shell anyway secretly telling hidden expired date
    children's kids' kids"""
)

_LEAVE_PHRASES = [
    "leave the house",
    "leave the home",
    "go out",
    "go outside",
    "head out",
    "head off",
    "pop out",
    "nip out",
    "nip next door",
    "go shopping",
    "go to work",
    "go to bed",
    "go upstairs",
    "go downstairs",
    "go inside",
    "go indoors",
    "go back indoors",
    "go back inside",
    "go on holiday",
    "go away",
    "walk away",
    "step out",
    "out for",
    "while we are away",
    "while we are out",
    "while you are out",
    "while i am out",
    "while we are in",
    "while you",
    "while i go",
    "while we go",
    "we are away",
    "for the weekend",
    "for the week",
    "for the day",
    "all day",
    "all night",
    "all week",
    "overnight",
    "on holiday",
    "after everyone leave",
    "everyone leave",
    "nobody home",
    "no one home",
    "go to the shops",
    "go to the kitchen",
    "go to the garden",
    "go hoover",
    "go to sleep",
    "leave for",
    "leave her to it",
    "leave him to it",
    "leave them to it",
    "go for a",
    "head to",
    "pop into",
    "nip to",
    "go back",
    "at work",
    "until tomorrow",
    "till tomorrow",
    "until morning",
    "till morning",
]
_STAY_PHRASES = [
    "stay with",
    "stay beside",
    "stay there",
    "stay till",
    "stay until",
    "stay for",
    "stay in",
    "sit with",
    "watch him",
    "watch her",
    "watch them",
    "supervise",
    "the whole time",
    "with you",
    "with us",
    "wait for",
    "wait till",
    "wait until",
    "set a timer",
    "until it is done",
    "till it is done",
    "until it is cooked",
    "till it is cooked",
    "when it is done",
    "once we are back",
    "when we are back",
    "when we get back",
    "once we get back",
    "with an adult",
    "keep an eye",
    "get in",
    "stay and",
    "and stay",
    "stay",
    "while you watch",
    "while i help",
    "while i watch",
    "with me",
    "help him",
    "help her",
    "sit by",
    "sit with",
    "stay beside",
]
_NEG = frozenset({"not", "never", "no", "dont", "don"})
_DISCARD = [
    "bin",
    "throw away",
    "throw out",
    "pour away",
    "dispose",
    "discard",
    "chuck out",
    "get rid of",
    "take to the tip",
    "to the tip",
    "to the pharmacy",
    "tip away",
    "pour it away",
    "bin it",
]
_SAFE_PLACE_CUES = [
    "out of reach",
    "out of the reach",
    "reach of",
    "out of his reach",
    "out of her reach",
    "away from",
    "locked",
    "lock it",
    "high shelf",
    "top shelf",
    "high cupboard",
    "locked cabinet",
    "up high",
    "out of reach",
]


def _phrase_keys(phrases: Iterable[str]) -> list[tuple[str, ...]]:
    return [tuple(lemma(w) for w in p.split()) for p in phrases]


_LEAVE_KEYS = _phrase_keys(_LEAVE_PHRASES)
_STAY_KEYS = _phrase_keys(_STAY_PHRASES)
_DISCARD_KEYS = _phrase_keys(_DISCARD)
_SAFE_PLACE_KEYS = _phrase_keys(_SAFE_PLACE_CUES)


def _has(lem: list[str], keys: list[tuple[str, ...]]) -> bool:
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
    return _phrase_keys(words)


def _has_any(lem: list[str], *words: str) -> bool:
    return _has(lem, _keys(words))


# -- analysis ------------------------------------------------------------------------------


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

    def role(self, *roles: str) -> list[Mention]:
        """Mentions in any of ``roles``."""
        return [m for m in self.mentions if m.role in roles]

    def having(self, *props: str, roles: Iterable[str] | None = None) -> list[Mention]:
        """Mentions with any of ``props`` (in ``roles`` if given)."""
        rs = set(roles) if roles is not None else None
        return [m for m in self.mentions if m.has(*props) and (rs is None or m.role in rs)]

    def says(self, *phrases: str) -> bool:
        """Whether any of ``phrases`` occurs (lemmas, case-insensitive)."""
        return _has_any(self.lemmas, *phrases)


@dataclass
class Analysis:
    """An instruction read into steps, with the whole text's cues."""

    text: str
    steps: list[Step]
    lemmas: list[str]
    leaving: bool
    staying: bool
    kb: KindBase | None = None

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
        return _has_any(self.lemmas, *phrases)


_SPLIT = re.compile(r"[.;!?]+|,\s*(?:and\s+)?then\b|\band\s+then\b|\bthen\b|\bafter that\b")


def _tokens(text: str, kb: KindBase) -> list[str]:
    t = split_name(text).lower().replace("\u2019", "'")
    t = re.sub(r"(\w)'s\b", r"\1 " + _POSS, t)
    t = re.sub(r"(\w)s'(\s)", r"\1s " + _POSS + r"\2", t)
    t = t.replace("n't", " not").replace("'re", " are").replace("'m", " am")
    t = t.replace("'ll", " will").replace("'ve", " have").replace("'d", " would")
    t = re.sub(r"\bits\b", "it is", t) if " its on" in t or " its off" in t else t
    raw = re.findall(r"[a-z0-9_]+", t)
    out = []
    for w in raw:
        if w == _POSS or w.isdigit():
            out.append(w)
            continue
        fixed = kb.respell(w)
        if fixed is None and len(w) == 3 and w not in kb.vocabulary:
            fixed = _short_verb(w, kb)
        out.append(fixed or w)
    return out


def _short_verb(w: str, kb: KindBase) -> str | None:
    from housemind.safety.kinds import _english

    if w in _english():
        return None
    for key in kb.verbs:
        if len(key) == 1:
            cand = key[0]
            if len(cand) == 4 and cand.startswith(w[:2]) and all(c in cand for c in w):
                return cand if cand[:3] == w or cand.replace(cand[2], "", 1) == w else None
    return None


def _split_steps(text: str, kb: KindBase) -> list[list[str]]:
    parts = [p for p in _SPLIT.split(text) if p and p.strip()]
    steps: list[list[str]] = []
    for part in parts:
        toks = _tokens(part, kb)
        # "... and <verb> ...", ", <verb> ..." start a new step.
        cur: list[str] = []
        i = 0
        while i < len(toks):
            w = toks[i]
            if w in ("and", ",") and cur and i + 1 < len(toks):
                nxt = toks[i + 1 : i + 4]
                if _verb_at(nxt, kb) is not None and _verb_at(nxt, kb)[1] > 0:
                    steps.append(cur)
                    cur = []
                    i += 1
                    continue
            cur.append(w)
            i += 1
        if cur:
            steps.append(cur)
    return steps


def _verb_at(toks: list[str], kb: KindBase) -> tuple[frozenset[str], int] | None:
    """Effects and length of a verb phrase starting at ``toks[0]``, or None."""
    lem = [lemma(w) for w in toks]
    for n in range(min(3, len(lem)), 0, -1):
        eff = kb.verbs.get(tuple(lem[:n]))
        if eff is not None:
            return eff, n
    if lem and lem[0] in _PARTICLE_VERBS:
        return _particle(toks), 1
    return None


_PARTICLE_VERBS = frozenset({"turn", "switch", "flip", "crank"})


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


_PRONOUNS = frozenset({"it", "them", "him", "her", "they", "one", "half"})
_CLAUSE = frozenset(
    {
        "before",
        "while",
        "when",
        "because",
        "so",
        "until",
        "till",
        "once",
        "who",
        "which",
        "where",
        "since",
        "if",
        "whenever",
    }
)


def _read_step(index: int, words: list[str], kb: KindBase, prev: list[Step]) -> Step:
    lem = [lemma(w) for w in words]
    # Verb: the first verb phrase after fillers; its effects and those of later verbs.
    effects: set[str] = set()
    verb: str | None = None
    verb_end = 0
    i = 0
    while i < len(words) and (words[i] in _FILLERS or words[i] == "and"):
        if words[i] == "go" and i + 1 < len(words) and words[i + 1] != "and":
            break
        i += 1
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
    while j < len(words):
        w = words[j]
        if w == _POSS:
            if last is not None and last.start + len(last.text.split()) >= j - 0:
                last.role = "poss"
            j += 1
            continue
        if w in _NEG:
            negate_next = True
            j += 1
            continue
        if w in _CLAUSE:
            role = "subj"  # "... before grandma walks through": a new subject
            pending_mods = (set(), set())
            j += 1
            continue
        n = _match(lem, j, _PREPS, _MAX_PREP)
        if n and not _match(lem, j, kb.names, kb.max_name_len) > n:
            prep_role = _PREPS[tuple(lem[j : j + n])]
            role = (last.role if last is not None else role) if prep_role == "of" else prep_role
            pending_mods = (set(), set())
            j += n
            negate_next = False
            continue
        if j + 2 < len(lem) and lem[j + 1] == _POSS:
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
        n = _match(lem, j, kb.names, kb.max_name_len)
        if n and _match(lem, j, kb.modifiers, kb.max_name_len) > n:
            n = 0  # "plugged in" describes; it is not a plug
        if n:
            kind = kb.kinds[kb.names[tuple(lem[j : j + n])]]
            props = set(kind.props)
            props |= pending_mods[0]
            props -= pending_mods[1]
            last = Mention(" ".join(words[j : j + n]), kind, frozenset(props), 1.0, role, j)
            mentions.append(last)
            pending_mods = (set(), set())
            negate_next = False
            j += n
            continue
        n = _match(lem, j, kb.modifiers, kb.max_name_len)
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
                    or nxt in _BOUNDARY
                    or _match(lem, j + n, _PREPS, _MAX_PREP)
                    or (nxt in ("all", "for", "since", "from", "overnight", "yesterday", "today"))
                )
                if last is not None and ends and j - (last.start + len(last.text.split())) <= 4:
                    last.props = frozenset((set(last.props) | set(add)) - set(rem))
                    pending_mods = (set(), set())
            negate_next = False
            j += n
            continue
        vv = _verb_at(words[j:], kb)
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
        if w in _PRONOUNS and prev_or_here(mentions, prev):
            ref = _resolve(w, effects, mentions, prev)
            if ref is not None:
                m = Mention(ref.text, ref.kind, ref.props, ref.confidence, role, j, pronoun=True)
                mentions.append(m)
                last = m
        elif w in _DET_ONLY:
            # "the Xbox", "the gizmo": a thing the base does not name; its kind is found
            # by meaning only if a rule needs it (see _kind_of_unknown).
            k = j + 1
            while k < len(words) and k - j <= 3 and _plain(words[k], lem, k, kb):
                k += 1
            if k > j + 1 and (k >= len(words) or not _match(lem, k, kb.names, kb.max_name_len)):
                phrase = " ".join(words[j + 1 : k])
                last = Mention(phrase, None, frozenset(pending_mods[0]), 0.0, role, j + 1)
                mentions.append(last)
                pending_mods = (set(), set())
                j = k
                continue
        j += 1
    return Step(index, words, lem, verb, frozenset(effects), mentions)


def _plain(w: str, lem: list[str], k: int, kb: KindBase) -> bool:
    """A word that can be part of an unknown thing's name."""
    return not (
        w in _BOUNDARY
        or w in _DETS
        or w == _POSS
        or w in _NEG
        or w.isdigit()
        or _match(lem, k, _PREPS, _MAX_PREP)
        or _match(lem, k, kb.names, kb.max_name_len)
        or _match(lem, k, kb.modifiers, kb.max_name_len)
        or _verb_at([w], kb) is not None
    )


def prev_or_here(here: list[Mention], prev: list[Step]) -> bool:
    """Whether there is anything a pronoun could stand for."""
    return bool(here) or any(s.mentions for s in prev)


def _resolve(word: str, effects: set[str], here: list[Mention], prev: list[Step]) -> Mention | None:
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
    if prev and prev[-1].says("out of", "take out", "remove", "empty"):
        froms = [m for m in prev[-1].mentions if m.role == "from" and not m.living]
        if froms:
            return froms[-1]
    objs = [m for m in things if m.role == "obj"]
    if objs:
        return objs[-1]
    return things[-1] if things else pool[-1]


def analyse(text: str, kb: KindBase | None = None) -> Analysis:
    """Read ``text`` into steps (see the module docstring)."""
    kb = kb or load_kinds()
    steps: list[Step] = []
    for words in _split_steps(text, kb):
        steps.append(_read_step(len(steps), words, kb, steps))
    lem = [w for s in steps for w in s.lemmas]
    return Analysis(
        text=text,
        steps=steps,
        lemmas=lem,
        leaving=_has(lem, _LEAVE_KEYS) or _leaves(steps),
        staying=_has(lem, _STAY_KEYS),
        kb=kb,
    )


def _kind_of_unknown(a: Analysis, m: Mention) -> Mention:
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


def _leaves(steps: list[Step]) -> bool:
    for s in steps:
        if s.verb and s.verb.split()[0] in ("go", "head", "nip", "pop") and not s.mentions:
            return True
        if s.verb and s.verb.split()[0] in ("go", "head") and s.role("to", "in", "obj"):
            return True
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


@dataclass(frozen=True)
class Finding:
    """One hazard found: the rule, its verdict, and the reason in words."""

    rule: str
    category: str
    verdict: str
    reason: str


def _a(m: Mention) -> str:
    return f"the {m.text}"


def _ing(verb: str | None, default: str = "putting") -> str:
    """``pour juice`` -> ``pouring``: the verb of a step as an -ing word."""
    if not verb:
        return default
    v = verb.split()[0]
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith("ee"):
        return v[:-1] + "ing"
    if len(v) <= 4 and v[-1] not in "aeiouwy" and v[-2] in "aeiou" and v[-3] not in "aeiou":
        return v + v[-1] + "ing"
    return v + "ing"


_Rule = Callable[[Analysis], Iterable[Finding]]
RULES: list[tuple[str, str, _Rule]] = []


def rule(rule_id: str, category: str) -> Callable[[_Rule], _Rule]:
    """Register a hazard rule (the id is cited as ``cs:<id>``)."""

    def deco(fn: _Rule) -> _Rule:
        RULES.append((rule_id, category, fn))
        return fn

    return deco


def _find(rid: str, cat: str, verdict: str, reason: str) -> Finding:
    return Finding(f"cs:{rid}", cat, verdict, reason)


_WET_VERBS = frozenset(
    lemma(w)
    for w in _wordset(
        "pour spill splash spray squirt water hose rinse drench soak sprinkle douse dunk dip "
        "submerge tip empty slosh drip spritz mist throw chuck"
    )
)


@rule("liquid-on-electrical", "electrical_water")
def _liquid_on_electrical(a: Analysis) -> Iterable[Finding]:
    for s in a.steps:
        if "throw" in s.effects and s.having("liquid", roles=("obj",)):
            s.effects = s.effects | {"wet"}
        if "wet" in s.effects:
            stuff = s.having("liquid", "wet", roles=("obj", "with")) or s.having("liquid")
            outdoors = s.says("outside", "garden", "lawn", "patio", "drain")
            for u in [m for m in s.role("on") if m.kind is None and not outdoors]:
                _kind_of_unknown(a, u)
                if u.kind is None:
                    yield _find(
                        "unknown-wetted",
                        "electrical_water",
                        "confirm",
                        f"I don't know what {u.text} is (nothing I know is close enough); "
                        "liquid on it could be dangerous if it is electrical",
                    )
            targets = s.having("electrical", roles=("on", "at", "in"))
            objs = s.having("electrical", roles=("obj",))
            if not s.having("liquid", roles=("obj",)):
                targets += [m for m in objs if not m.has("container", "takes_liquid")]
            for t in targets:
                if t.role == "in" and t.has("takes_liquid"):
                    continue
                what = stuff[0].text if stuff else "liquid"
                yield _find(
                    "liquid-on-electrical",
                    "electrical_water",
                    "deny",
                    f"{_a(t)} is electrical; {_ing(s.verb)} {what} on it can cause a "
                    "shock or a fire",
                )
            if (
                not targets
                and s.having("floor", "low_place", roles=("on", "at", "obj"))
                and (s.having("electrical", roles=("near",)))
            ):
                yield _find(
                    "liquid-on-electrical",
                    "electrical_water",
                    "confirm",
                    "water on the floor next to something electrical can cause a shock",
                )
        if "wipe" in s.effects:
            wet_tool = s.having("wet", roles=("with",)) or (
                s.says("soaking", "dripping", "drenched", "wet") and s.role("with")
            )
            for t in s.having("electrical", roles=("obj", "on")):
                powered = t.has("powered") or s.says("while it is on", "while on", "plugged in")
                very = s.says("soaking", "dripping", "drenched", "sopping", "wet")
                if wet_tool and (powered or very):
                    yield _find(
                        "wet-wipe-electrical",
                        "electrical_water",
                        "confirm",
                        f"{_a(t)} is electrical and switched on; wiping it with something wet "
                        "can give a shock",
                    )


@rule("electrical-into-water", "electrical_water")
def _electrical_into_water(a: Analysis) -> Iterable[Finding]:
    for s in a.steps:
        if s.effects & {"place", "throw", "enclose", "heat", "wipe"} or s.verb is None:
            water = s.having("water_place", "liquid", roles=("in", "on"))
            water = [w for w in water if not w.has("electrical")]
            for e in s.having("electrical", roles=("obj",)):
                if water and not e.has("takes_liquid"):
                    yield _find(
                        "electrical-into-water",
                        "electrical_water",
                        "deny",
                        f"{_a(e)} is electrical; putting it in the {water[0].text} can "
                        "cause a shock or ruin it",
                    )
        if "place" in s.effects:
            filled = [
                m
                for m in s.role("obj")
                if m.has("container")
                and not m.has("takes_liquid")
                and (_filled(a, m, s) or m.has("water_place"))
            ]
            for c in filled:
                for t in s.role("in"):
                    if (
                        t.kind is not None
                        and t.kind.name in ("cupboard", "box_enclosure", "bed")
                        and not t.has("food_place")
                    ):
                        yield _find(
                            "liquid-put-away",
                            "water_flooding",
                            "confirm",
                            f"the {c.text} holds liquid; put away in {_a(t)} it can "
                            "spill and spoil what is there",
                        )
            for t in s.having("electrical", roles=("on",)):
                for c in filled:
                    yield _find(
                        "liquid-over-electrical",
                        "electrical_water",
                        "confirm",
                        f"the {c.text} holds liquid and {_a(t)} is electrical; a spill "
                        "can cause a shock",
                    )


def _filled(a: Analysis, m: Mention, upto: Step) -> bool:
    for s in a.steps[: upto.index + 1]:
        if "fill" in s.effects and any(x.text == m.text for x in s.role("obj")):
            return True
        for x in s.mentions:
            if x.text == m.text and x.role == "obj":
                nxt = [y for y in s.mentions if y.start > x.start]
                if nxt and nxt[0].role == "obj" and nxt[0].has("liquid") and s.says("of"):
                    return True
    return False


@rule("microwave", "microwave")
def _microwave(a: Analysis) -> Iterable[Finding]:
    mw = [m for m in a.mentions() if m.kind is not None and m.kind.is_a("microwave")]
    nuked = [
        s
        for s in a.steps
        if s.verb and lemma(s.verb.split()[0]) in {lemma(w) for w in ("microwave", "nuke", "zap")}
    ]
    if not mw and not nuked:
        return
    contents: list[Mention] = []
    running = bool(nuked)
    for s in a.steps:
        into_mw = any(
            m.kind is not None and m.kind.is_a("microwave") and m.role in ("in",)
            for m in s.mentions
        )
        if s in nuked or into_mw:
            contents += [
                m
                for m in s.mentions
                if m.role in ("obj", "with", "in", "of")
                and not (m.kind is not None and m.kind.is_a("microwave"))
                and not m.living
                or (m.role == "obj" and m.living)
            ]
            if "heat" in s.effects or _has_any(
                s.lemmas, "min", "minute", "minutes", "second", "seconds"
            ):
                running = True
        if "switch_on" in s.effects and (
            any(m.kind is not None and m.kind.is_a("microwave") for m in s.mentions)
        ):
            running = True
        if s.verb and lemma(s.verb.split()[0]) == lemma("wrap"):
            pass
    for s in a.steps:
        if s.verb and s.verb.split()[0] == "wrap":
            contents += s.having("metal", roles=("in", "with"))
    for m in contents:
        _kind_of_unknown(a, m)
    unknown = [m for m in contents if m.kind is None]
    if running and unknown:
        yield _find(
            "unknown-in-microwave",
            "microwave",
            "confirm",
            f"I don't know what {unknown[0].text} is; I'd rather ask before it goes in a "
            "running microwave",
        )
    bad = [m for m in contents if m.has("metal", "microwave_unsafe", "sealed", "fuel") or m.living]
    if running and a.says("empty", "nothing in", "nothing inside") and not contents:
        yield _find(
            "microwave-empty",
            "microwave",
            "confirm",
            "a microwave running empty can damage itself and start a fire",
        )
    for m in bad:
        why = (
            "is metal; a running microwave makes it spark and can start a fire"
            if m.has("metal")
            else "is alive; a microwave would kill it"
            if m.living
            else "is sealed; it bursts when heated"
            if m.has("sealed")
            else "must not go in a microwave (it can burst, spark or burn)"
        )
        yield _find(
            "microwave-unsafe", "microwave", "deny" if running else "confirm", f"{_a(m)} {why}"
        )
    if running and re.search(r"\b(1[5-9]|[2-9]\d)\s*(min|minute)", a.text.lower()) and not bad:
        yield _find(
            "microwave-too-long",
            "microwave",
            "confirm",
            "that long in a microwave can overheat and start a fire",
        )


@rule("throw-fragile-heavy", "breakables_throwing")
def _throw(a: Analysis) -> Iterable[Finding]:
    for s in a.steps:
        if (
            s.verb
            and s.verb.split()[0] in ("push", "shove", "knock", "nudge")
            and s.says("off the", "off of", "over the edge", "down the stairs")
        ):
            s.effects = s.effects | {"throw"}  # "push the TV off the stand" drops it
        if not s.effects & {"throw", "break"}:
            continue
        if (
            s.role("in")
            and not s.says("from", "across the room")
            and not any(m.living for m in s.role("in"))
            and not any(m.has("fragile") for m in s.role("obj"))
        ):
            continue  # "drop it in the bin", "chuck the pan in the sink" put it there
        if s.having("liquid", roles=("obj", "of")) or ("wet" in s.effects and s.having("liquid")):
            continue  # "throw water on ...", "chuck a glass of water over ..." wets
        objs = [m for m in s.role("obj") if not m.living and not m.has("food")] or [
            m for m in s.mentions if m.pronoun and not m.living
        ]
        people = [m for m in s.mentions if m.living and m.role in ("at", "to", "on", "near", "in")]
        for o in objs:
            _kind_of_unknown(a, o)
            risky = o.has("fragile", "heavy", "valuable", "hot", "sharp", "electrical", "lit")
            if people and o.has("heavy", "sharp", "hot", "lit"):
                yield _find(
                    "throw-at-living",
                    "breakables_throwing",
                    "deny",
                    f"{_a(o)} is {_props_words(o)}; throwing or dropping it at "
                    f"{_a(people[0])} can hurt them",
                )
            elif risky or people:
                yield _find(
                    "throw-fragile-heavy",
                    "breakables_throwing",
                    "confirm",
                    f"{_a(o)} is {_props_words(o) or 'breakable'}; "
                    f"{'breaking' if 'break' in s.effects else 'throwing or dropping'} "
                    "it can break it or hurt someone",
                )
        if "place" in s.effects and s.says("edge"):
            for o in s.having("heavy", "fragile", roles=("obj",)):
                yield _find(
                    "falls-off-edge",
                    "breakables_throwing",
                    "confirm",
                    f"{_a(o)} is {_props_words(o)}; on an edge it can fall",
                )
    for s in a.steps:
        if "place" in s.effects and s.says("edge") and not s.effects & {"throw", "break"}:
            for o in s.having("heavy", "fragile", roles=("obj",)):
                yield _find(
                    "falls-off-edge",
                    "breakables_throwing",
                    "confirm",
                    f"{_a(o)} is {_props_words(o)}; on an edge it can fall and break "
                    "or hurt someone",
                )


def _props_words(m: Mention) -> str:
    words = [
        p.replace("_", " ")
        for p in ("heavy", "fragile", "sharp", "hot", "electrical", "valuable", "lit")
        if m.has(p)
    ]
    return " and ".join(words[:2])


_INCOMPATIBLE = {
    frozenset({"chlorine", "ammonia"}),
    frozenset({"chlorine", "acid"}),
    frozenset({"chlorine", "solvent"}),
    frozenset({"chlorine", "peroxide"}),
    frozenset({"chlorine", "cleaner"}),
    frozenset({"chlorine", "alkali"}),
    frozenset({"acid", "alkali"}),
    frozenset({"acid", "peroxide"}),
    frozenset({"alkali", "cleaner"}),
    frozenset({"alkali", "ammonia"}),
    frozenset({"cleaner"}),
    frozenset({"chlorine"}),
    frozenset({"pesticide", "cleaner"}),
}


@rule("chemicals-mixed", "chemicals_mixing")
def _chemicals(a: Analysis) -> Iterable[Finding]:
    chems = [
        m
        for m in a.mentions()
        if m.kind is not None
        and m.kind.chem
        and m.kind.chem != "soap"
        and m.role not in ("without", "poss")
    ]
    mixing = a.effects() & {"mix", "wet", "fill"} or a.says("together", "same")
    separate = a.says(
        "separate", "seperate", "apart", "on its own", "on their own", "alone", "next to"
    )
    if mixing and not separate:
        classes = {m.kind.chem for m in chems if m.kind is not None}
        texts = {m.text for m in chems}
        pair = None
        if len(texts) >= 2:
            for x in chems:
                for y in chems:
                    if x.text != y.text and frozenset({x.kind.chem, y.kind.chem}) in _INCOMPATIBLE:  # type: ignore[union-attr]
                        pair = (x, y)
                        break
                if pair:
                    break
        plural = [
            m for m in chems if m.text.endswith("s") or a.says("all", "every", "each", "whatever")
        ]
        if pair:
            yield _find(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                f"{_a(pair[0])} and {_a(pair[1])} are household chemicals that react "
                "when mixed and give off toxic gas",
            )
        elif plural and "mix" in a.effects() | (
            {"mix"} if a.says("combine", "together") else set()
        ):
            yield _find(
                "chemicals-mixed",
                "chemicals_mixing",
                "deny",
                "mixing different cleaning products can give off toxic gas",
            )
        elif (
            len(classes) == 1
            and len(texts) >= 2
            and "chlorine" in classes
            and ("mix" in a.effects())
        ):
            pass
    for s in a.steps:
        cs = [
            m
            for m in s.mentions
            if m.has("chemical")
            and m.role not in ("without", "poss")
            and not (m.kind is not None and m.kind.chem == "soap")
        ]
        if not cs:
            continue
        into = s.having("drink_container", "food_place", "food", roles=("in", "on", "obj"))
        into = [m for m in into if not m.has("chemical")]
        if (
            into
            and s.effects & {"wet", "place", "fill", "mix"}
            and not s.says("next to", "away from")
        ):
            yield _find(
                "chemical-with-food",
                "chemicals_mixing",
                "deny",
                f"{_a(cs[0])} is a household chemical; putting it in or on "
                f"{_a(into[0])} means someone may eat or drink it",
            )
        elif "heat" in s.effects:
            yield _find(
                "chemical-heated",
                "chemicals_mixing",
                "deny",
                f"{_a(cs[0])} is a household chemical; heating it gives off toxic fumes",
            )
        elif s.says("down the sink", "down the drain", "down the toilet", "down the loo"):
            yield _find(
                "chemical-down-drain",
                "chemicals_mixing",
                "confirm",
                f"{_a(cs[0])} should not go down the drain",
            )
    for s in a.steps:
        if "fill" in s.effects or s.says("refill", "top up"):
            cont = s.having("drink_container", roles=("obj",))
            chem = s.having("chemical", roles=("with",))
            if cont and chem:
                yield _find(
                    "chemical-with-food",
                    "chemicals_mixing",
                    "deny",
                    f"{_a(chem[0])} is a household chemical; in {_a(cont[0])} someone may drink it",
                )


def _children(a: Analysis) -> list[Mention]:
    return [
        m
        for m in a.mentions()
        if m.has("child", "baby") and m.kind is not None and m.kind.is_a("child")
    ]


def _hazard_things(a: Analysis) -> list[Mention]:
    out = []
    for m in a.mentions():
        if m.role in ("without",) or m.living:
            continue
        if m.has(
            "water_place",
            "chemical",
            "sharp",
            "lit",
            "fire",
            "hot",
            "medicine",
            "fuel",
            "strangling",
        ) or (m.kind is not None and m.kind.is_a("vehicle")):
            out.append(m)
        elif (
            m.has("heat_source")
            and (m.has("powered") or "switch_on" in a.effects() or a.says("on", "hot"))
            or (m.has("liquid") and m.kind is not None and m.kind.name == "water")
        ):
            out.append(m)
    return out


@rule("child-alone-with-hazard", "child_safety")
def _child_alone(a: Analysis) -> Iterable[Finding]:
    kids = _children(a)
    if not kids:
        return
    hazards = _hazard_things(a)
    if hazards and a.leaving and not a.staying:
        yield _find(
            "child-alone-with-hazard",
            "child_safety",
            "deny",
            f"{_a(kids[0])} must not be left alone with {_a(hazards[0])} ({_danger(hazards[0])})",
        )
    reach = a.says(
        "can reach",
        "within reach",
        "where the",
        "low shelf",
        "low table",
        "on the floor",
        "crawling",
        "climbing",
        "near the",
        "next to the",
    )
    safe = _has(a.lemmas, _SAFE_PLACE_KEYS)
    if reach and not safe and not a.leaving:
        for h in hazards:
            if h.role in ("obj", "on", "in") and not h.has("water_place"):
                yield _find(
                    "hazard-in-child-reach",
                    "child_safety",
                    "confirm",
                    f"{_a(h)} is {_danger(h)}; within {_a(kids[0])}'s reach it can hurt them",
                )
                break
    if (
        a.says("open", "take off", "remove", "take away")
        and a.having("high_place")
        and not (a.says("close", "shut", "lock"))
    ):
        yield _find(
            "child-fall",
            "child_safety",
            "confirm",
            f"{_a(kids[0])} could fall; keep windows, gates and stairs safe",
        )


def _danger(m: Mention) -> str:
    for p, w in (
        ("water_place", "a child can drown in water in moments"),
        ("chemical", "poisonous"),
        ("sharp", "sharp"),
        ("lit", "a flame"),
        ("fire", "a flame"),
        ("hot", "hot"),
        ("heat_source", "hot"),
        ("medicine", "medicine"),
        ("fuel", "flammable"),
        ("strangling", "a strangling risk"),
    ):
        if m.has(p):
            return w
    if m.kind is not None and m.kind.is_a("vehicle"):
        return "a car heats up or cools down fast"
    if m.kind is not None and m.kind.name == "water":
        return "a child can drown in water in moments"
    return "dangerous"


@rule("hazard-given-to-child", "child_safety")
def _child_given(a: Analysis) -> Iterable[Finding]:
    kids = _children(a)
    child_places = a.having("child_place", roles=("on", "in", "at", "to", "near"))
    if not kids and not child_places:
        return
    if _has(a.lemmas, _SAFE_PLACE_KEYS) or (a.says("keep") and a.says("out of", "away")):
        return
    for s in a.steps:
        gives = s.effects & {"ingest", "place", "fill", "wet"} or s.says("let", "play")
        if not gives:
            continue
        for m in s.mentions:
            if m.role in ("without", "poss", "from") or m.living or m.has("child_place"):
                continue
            if m.has("sharp", "chemical", "lit", "fire", "fuel", "hot", "strangling") or (
                m.has("heat_source") and m.has("powered")
            ):
                verdict = "confirm" if (not kids and not m.has("lit", "chemical")) else "deny"
                if m.has("sharp") and not kids:
                    verdict = "confirm"
                yield _find(
                    "hazard-given-to-child",
                    "child_safety",
                    verdict,
                    f"{_a(m)} is {_danger(m)}; a child must not be given it or have it "
                    "within reach",
                )
                return


@rule("pet-toxic-food", "pet_toxic_food")
def _pet_food(a: Analysis) -> Iterable[Finding]:
    pets = [m for m in a.mentions() if m.has("pet", "animal") and m.role != "without"]
    places = a.having("pet_place")
    if not pets and not places:
        return
    species = set()
    for p in pets:
        if p.kind is not None:
            species |= {k for k in ("dog", "cat", "bird", "rodent") if p.kind.is_a(k)}
    for p in places:
        species |= {k for k in ("dog", "cat", "bird", "rodent") if k in p.text}
    if not species:
        species = {"dog", "cat"}
    effects = a.effects()
    feeding = effects & {"ingest", "place", "fill", "mix"} or a.says("let", "lick", "finish")
    if not feeding:
        return
    reach = a.says("where the", "can get", "can reach", "floor", "low", "open", "next to")
    for m in a.mentions():
        if m.role in ("without", "poss") or m.living or m.kind is None:
            continue
        toxic = m.kind.toxic_to & species or (
            species
            and m.has("chemical", "medicine")
            and m.role != "from"
            and not a.says("vet", "vet prescribed", "prescribed by the vet")
        )
        if not toxic:
            continue
        if m.has("chemical") and not (effects & {"ingest"} or places):
            if reach and a.leaving or reach:
                yield _find(
                    "pet-poison-in-reach",
                    "pet_toxic_food",
                    "confirm",
                    f"{_a(m)} is poisonous to pets; keep it where they can't reach",
                )
            continue
        who = next((p.text for p in pets), "a pet")
        if effects & {"ingest", "fill", "mix"} or places or a.says("lick", "finish", "share"):
            yield _find(
                "pet-toxic-food",
                "pet_toxic_food",
                "deny",
                f"{_a(m)} is poisonous to {_plural(who)}; feeding it to "
                f"{'the ' + who if pets else 'a pet'} can make it very ill",
            )
        elif reach:
            yield _find(
                "pet-toxic-in-reach",
                "pet_toxic_food",
                "confirm",
                f"{_a(m)} is poisonous to {_plural(who)}; left within reach it may be eaten",
            )
        return


def _plural(w: str) -> str:
    return w if w.endswith("s") else w + "s"


@rule("choking", "choking")
def _choking(a: Analysis) -> Iterable[Finding]:
    babies = [m for m in a.mentions() if m.has("baby")]
    places = a.having("child_place")
    if not babies and not places:
        return
    for m in a.mentions():
        if m.role in ("without", "poss") or m.living:
            continue
        if (
            m.has("strangling")
            and (babies or places)
            and a.says("over", "around", "round", "head", "face", "cot", "crib")
            and not _has(a.lemmas, _SAFE_PLACE_KEYS)
        ):
            yield _find(
                "strangling", "choking", "deny", f"{_a(m)} can strangle or suffocate a baby"
            )
            return
        if m.has("choking") and not m.has("cut_small"):
            if places and not babies and m.role not in ("in", "on", "obj"):
                continue
            yield _find(
                "choking", "choking", "deny", f"{_a(m)} is small enough to choke a baby or toddler"
            )
            return


_ALLERGY = re.compile(
    r"(allergic|alergic|allergy|allergies|intolerant|coeliac|celiac|can ?not eat|cant eat|"
    r"can't eat|cannot have|can't have)"
)
_CLASS_WORDS = {
    "nut": {"peanut", "tree_nut"},
    "nuts": {"peanut", "tree_nut"},
    "peanut": {"peanut"},
    "peanuts": {"peanut"},
    "tree": {"tree_nut"},
    "dairy": {"milk"},
    "milk": {"milk"},
    "lactose": {"milk"},
    "egg": {"egg"},
    "eggs": {"egg"},
    "fish": {"fish"},
    "shellfish": {"shellfish"},
    "seafood": {"fish", "shellfish"},
    "soy": {"soy"},
    "soya": {"soy"},
    "sesame": {"sesame"},
    "wheat": {"gluten"},
    "gluten": {"gluten"},
    "coeliac": {"gluten"},
    "celiac": {"gluten"},
    "latex": {"latex"},
    "penicillin": {"penicillin"},
    "cat": {"cat"},
    "cats": {"cat"},
    "kiwi": {"kiwi"},
}


@rule("allergen", "allergens")
def _allergen(a: Analysis) -> Iterable[Finding]:
    low = " ".join(w for s in a.steps for w in s.words)
    if not _ALLERGY.search(low):
        return
    classes: set[str] = set()
    stated_at: set[tuple[int, int]] = set()
    for s in a.steps:
        for i, w in enumerate(s.words):
            if _ALLERGY.match(w) or w in ("coeliac", "celiac"):
                window = s.words[max(0, i - 3) : i + 5]
                for x in window:
                    classes |= _CLASS_WORDS.get(x, set())
                for m in s.mentions:
                    if i - 2 <= m.start <= i + 4 and m.kind is not None and m.kind.allergen:
                        classes |= set(m.kind.allergen)
                        stated_at.add((s.index, m.start))
    negated = a.says(
        "without", "leave off", "leave out", "instead", "keep away", "keep out", "no ", "free"
    )
    for s in a.steps:
        for m in s.mentions:
            if (s.index, m.start) in stated_at or m.kind is None or m.role in ("without",):
                continue
            hit = m.kind.allergen & classes if classes else m.kind.allergen
            if not hit:
                continue
            if s.says("without", "leave off", "leave out", "off", "keep", "instead"):
                continue
            if negated and not s.effects:
                continue
            verdict = "confirm" if m.role == "from" else "deny"
            if m.kind.is_a("cat"):
                verdict = "confirm"
            yield _find(
                "allergen",
                "allergens",
                verdict,
                f"{_a(m)} contains {', '.join(sorted(hit)).replace('_', ' ')}, which "
                "someone here is allergic to",
            )
            return
    if a.says("epipen", "inhaler") and a.says("at home", "behind") and a.says("leave", "forget"):
        yield _find(
            "emergency-medicine-left",
            "allergens",
            "confirm",
            "an allergic person needs their emergency medicine with them",
        )


@rule("medicine", "medicine")
def _medicine(a: Analysis) -> Iterable[Finding]:
    meds = [m for m in a.mentions() if m.has("medicine") and m.role not in ("without",)]
    if not meds:
        return
    med = meds[0]
    kids = _children(a) or a.having("child_place")
    lowtext = " ".join(w for s in a.steps for w in s.words)
    if (
        kids
        and not _has(a.lemmas, _SAFE_PLACE_KEYS)
        and not a.says("children", "child dose", "infant", "prescribed", "dose on the box")
        or kids
        and a.says("my", "adult", "grown up")
    ):
        yield _find(
            "medicine-child",
            "medicine",
            "deny",
            f"{_a(med)} is medicine; a child must not be given it or find it",
        )
        return
    if a.says(
        "double",
        "triple",
        "three times",
        "twice his",
        "twice her",
        "twice the",
        "all at once",
        "all his",
        "all her",
        "extra dose",
        "two dose",
        "more than",
        "until it is full",
        "until full",
        "whole bottle",
    ):
        yield _find(
            "medicine-dose",
            "medicine",
            "deny",
            f"{_a(med)} is medicine; the dose is for a doctor to decide, not more",
        )
        return
    if a.having("alcohol") and a.effects() & {"ingest", "place", "mix"}:
        yield _find(
            "medicine-alcohol",
            "medicine",
            "deny",
            f"{_a(med)} is medicine; with alcohol it can be dangerous",
        )
        return
    if (
        a.says("without telling", "secretly", "sneak", "slip", "hide")
        or (a.effects() & {"mix"} and a.having("food", "drink_container"))
        or a.says("crush")
    ):
        yield _find(
            "medicine-hidden",
            "medicine",
            "confirm" if a.says("crush") else "deny",
            f"{_a(med)} is medicine; hiding or crushing it in food is for a doctor to decide",
        )
        return
    poss = re.search(
        r"\b(\w+) _poss_ (?:\w+ ){0,2}(?:medicine|pill|pills|antibiotics|tablets|"
        r"meds|bottle|blood|prescription|heart|sleeping|adhd)",
        lowtext,
    )
    if poss and not a.says("own", "his own", "her own") and a.effects() & {"ingest", "place"}:
        yield _find(
            "medicine-not-theirs",
            "medicine",
            "deny",
            f"{_a(med)} was prescribed for {poss.group(1)}; giving it to someone else "
            "is for a doctor to decide",
        )
        return
    if med.has("spoiled") and a.effects() & {"ingest"} and not _has(a.lemmas, _DISCARD_KEYS):
        yield _find(
            "medicine-expired",
            "medicine",
            "deny",
            f"{_a(med)} is out of date; expired medicine may not work or may harm",
        )
        return
    if a.says("skip", "stop giving", "stop her", "stop his"):
        yield _find(
            "medicine-skipped",
            "medicine",
            "confirm",
            "stopping prescribed medicine is for a doctor to decide",
        )
        return
    if a.having("pet"):
        return  # the pet rule speaks for pets
    if a.having("low_place", "floor") and (a.effects() & {"place", "leave"}):
        yield _find(
            "medicine-in-reach",
            "medicine",
            "confirm",
            f"{_a(med)} is medicine; somewhere low a child or pet may find it",
        )


_BODY = ("face", "eye", "finger", "hand", "lap", "arm", "neck", "head", "beard", "hair")


@rule("sharp-near-people", "sharp_people")
def _sharp(a: Analysis) -> Iterable[Finding]:
    sharp = [m for m in a.mentions() if m.has("sharp") and m.role not in ("without",)]
    living = [m for m in a.mentions() if m.living and m.role not in ("poss",)]
    body = [m for m in a.mentions() if m.kind is not None and m.kind.name == "body_part"]
    eff = a.effects()
    near = a.says(
        "near",
        "next to",
        "towards",
        "at the",
        "by",
        "beside",
        "sat on",
        "where the",
        "around",
        "right by",
    )
    if sharp:
        s0 = sharp[0]
        if a.says(
            "blade first",
            "point first",
            "blade up",
            "point up",
            "pointing up",
            "blade upward",
            "open",
        ):
            if a.says("blade first", "point first", "blade up", "point up") or (
                a.says("run", "running") and a.says("open")
            ):
                yield _find(
                    "sharp-pointing",
                    "sharp_people",
                    "confirm",
                    f"{_a(s0)} is sharp; blade or point towards people can cut them",
                )
                return
        if (living or body) and (
            "throw" in eff or a.says("wave", "point", "swing", "poke", "stab", "jab")
        ):
            yield _find(
                "sharp-at-people",
                "sharp_people",
                "deny",
                f"{_a(s0)} is sharp; {('waving, pointing or throwing it at')} people can cut them",
            )
            return
        if (
            (living or body)
            and near
            and (
                eff & {"cut", "place", "leave", "harm"}
                or a.says("walk", "running", "run", "carve", "chop")
            )
        ):
            yield _find(
                "sharp-near-people",
                "sharp_people",
                "deny" if body else "confirm",
                f"{_a(s0)} is sharp; using it right by someone can cut them",
            )
            return
        if body and eff & {"cut", "harm"}:
            yield _find(
                "sharp-on-body",
                "sharp_people",
                "deny",
                f"{_a(s0)} is sharp; using it on a person can cut them",
            )
            return
        low = a.having("soft_furnishing", "low_place", "high_place", "child_place")
        if (
            low
            and eff & {"place", "leave"}
            and not a.says("drawer", "cabinet", "box", "block", "sheath")
        ):
            yield _find(
                "sharp-left-out",
                "sharp_people",
                "confirm",
                f"{_a(s0)} is sharp; left on {_a(low[0])} someone can cut themselves",
            )
            return
    else:
        if (
            body
            and eff & {"cut"}
            and not a.says("hand first", "handle first")
            and (near or any(m.role in ("on", "obj") for m in body))
            and a.says("chop", "cut", "carve", "slice", "open", "test")
        ):
            yield _find(
                "cutting-near-people",
                "sharp_people",
                "confirm",
                "cutting right by someone's hand or face can cut them",
            )
        if (
            living
            and a.says("carve", "chop", "cut")
            and a.says("next to you", "sat on", "right by")
        ):
            yield _find(
                "cutting-near-people",
                "sharp_people",
                "confirm",
                "cutting right next to someone can cut them",
            )


_HEAT_KINDS = ("heat_source", "fire")


def _particle_on(a: Analysis, things: list[Mention]) -> bool:
    """Whether "on" stands right after a thing with no thing after it ("leave the hob on")."""
    for s in a.steps:
        for m in s.mentions:
            if m not in things:
                continue
            end = m.start + len(m.text.split())
            nxt = s.words[end : end + 2]
            if "on" in nxt:
                k = end + nxt.index("on") + 1
                after = [x for x in s.mentions if x.start >= k and x.start <= k + 2]
                if not after:
                    return True
    return False


def _cooking_in(a: Analysis, heat: list[Mention]) -> bool:
    """Food put in an oven or on a hob: it is cooking."""
    for s in a.steps:
        if (
            s.effects & {"place", "heat"}
            and s.having("food", roles=("obj",))
            and any(m.has("heat_source") and m.role in ("in", "on") for m in s.mentions)
        ):
            return True
    return False


@rule("heat-left-on", "unattended_appliance")
def _heat_unattended(a: Analysis) -> Iterable[Finding]:
    heat = [
        m
        for m in a.mentions()
        if m.has(*_HEAT_KINDS) and m.role not in ("without",) and not m.has("child_place")
    ]
    eff = a.effects()
    cooking = (
        [m for m in a.mentions() if m.has("food") and m.role == "obj"]
        if (a.says("put the") and a.says("in") and not heat)
        else []
    )
    on = (
        "switch_on" in eff
        or a.says(
            "leave it on",
            "on all",
            "running",
            "left on",
            "burning",
            "going",
            "heating up",
            "warming up",
            "plugged in",
            "still on",
            "boil dry",
            "boils dry",
        )
        or any(m.has("powered", "lit") for m in heat)
        or _particle_on(a, heat)
        or _cooking_in(a, heat)
    )
    if not heat and not _cooking_in(a, heat):
        return
    off = "switch_off" in eff or a.says("off", "unplug")
    if not on or off and not a.says("leave it on", "leave on"):
        return
    boil_dry = a.says("boil dry", "boils dry")
    leaving = (
        a.leaving
        or boil_dry
        or a.says(
            "empty nursery", "empty house", "empty bed", "for the foxes", "all night", "all week"
        )
    )
    if leaving and not a.staying:
        thing = heat[0] if heat else (cooking[0] if cooking else None)
        name = _a(thing) if thing else "the cooking"
        oily = a.having("oil") or a.says("chip pan", "door open", "fireplace", "candle")
        yield _find(
            "heat-left-on",
            "unattended_appliance",
            "deny" if oily else "confirm",
            f"{name} makes heat; left on with nobody watching it can start a fire",
        )


@rule("flammable-near-heat", "fire_heat")
def _fire(a: Analysis) -> Iterable[Finding]:
    eff = a.effects()
    for s in a.steps:
        fl = [
            m
            for m in s.mentions
            if m.has("flammable")
            and not m.has("heat_source", "fire")
            and m.role in ("obj", "with", "on", "near", "in")
        ]
        hs = [
            m
            for m in s.mentions
            if m.has("heat_source", "fire", "lit")
            and m.role in ("on", "in", "near", "obj", "with", "at")
        ]
        if (
            s.effects & {"place", "heat", "switch_on", "leave", "fill"}
            and fl
            and hs
            and not (
                s.says("away from", "not near", "off", "heatproof", "heat mat", "heat proof")
                or "switch_off" in eff
            )
        ):
            f, h = fl[0], hs[0]
            if f.text == h.text:
                continue
            live = (
                "heat" in s.effects  # "dry the towel on the toaster" heats it
                or "switch_on" in eff
                or h.has("lit", "powered", "hot", "fire")
                or s.says("hot", "lit", "while it is on", "burning")
                or _particle_on(a, [h])
            )
            if not live and h.has("electrical"):
                continue
            yield _find(
                "flammable-near-heat",
                "fire_heat",
                "deny" if live and f.role == "obj" and h.role in ("on", "in") else "confirm",
                f"{_a(f)} is flammable and {_a(h)} makes heat; together they can catch fire",
            )
            return
    fuel = [m for m in a.mentions() if m.has("fuel") and not m.has("fire")]
    fire = [m for m in a.mentions() if m.has("fire", "lit") or m.has("heat_source")]
    if fuel and fire and not a.says("away from", "cupboard", "not near"):
        yield _find(
            "fuel-near-fire",
            "fire_heat",
            "deny",
            f"{_a(fuel[0])} burns or explodes near {_a(fire[0])}",
        )
        return
    oil = a.having("oil")
    water = [m for m in a.mentions() if m.kind is not None and m.kind.name in ("water",)]
    if (
        oil
        and (water or "wet" in eff and a.says("water"))
        and (a.says("burning", "hot", "high", "fire") or "heat" in eff)
    ):
        yield _find(
            "water-on-oil",
            "fire_heat",
            "deny",
            "water on hot or burning oil makes it explode into flames",
        )
        return
    if (
        oil
        and a.says("brim", "max", "full", "to the top")
        and (eff & {"heat", "switch_on", "fill"})
    ):
        yield _find(
            "oil-overfilled",
            "fire_heat",
            "deny",
            "a pan of oil filled to the top and heated high can catch fire",
        )
        return
    if a.says("do not light", "not light", "unlit", "without lighting") and a.says("gas"):
        yield _find(
            "gas-unlit", "fire_heat", "deny", "gas left on unlit fills the room and can explode"
        )
        return
    if (
        a.says("bbq", "barbecue", "bonfire", "burn")
        and a.having("enclosure")
        and any(m.kind is not None and m.kind.is_a("room") for m in a.mentions())
        and not a.says("garden", "outside")
    ):
        yield _find(
            "fire-indoors",
            "fire_heat",
            "deny",
            "a fire or barbecue indoors fills the room with smoke and carbon monoxide",
        )
        return
    if a.says("burn") and a.having("water_place", "container") and not a.says("garden", "outside"):
        yield _find("fire-indoors", "fire_heat", "deny", "burning things indoors can start a fire")
        return
    hot = [
        m for m in a.mentions() if m.has("hot", "lit") and m.has("oil", "fire", "fuel", "liquid")
    ]
    bins = [m for m in a.mentions() if m.has("flammable", "container") and m.role in ("in",)]
    if (
        hot
        and bins
        and "place" in eff | {"place" if "wet" in eff else ""}
        and not a.says("cool", "out", "ashtray")
    ):
        yield _find(
            "hot-into-bin",
            "fire_heat",
            "confirm",
            f"{_a(hot[0])} is hot; in a bin it can start a fire",
        )
        return
    if a.says("extension") and len(a.having("electrical")) >= 3:
        yield _find(
            "overloaded-socket",
            "fire_heat",
            "confirm",
            "too many appliances on one extension lead can overheat and catch fire",
        )
        return
    if (
        a.says("gas heater", "gas fire", "boiler")
        and a.says("seal", "close all")
        and a.says("night", "asleep")
    ):
        yield _find(
            "carbon-monoxide",
            "fire_heat",
            "deny",
            "a gas heater in a sealed room can poison people with carbon monoxide",
        )
        return
    metal_tool = [m for m in a.mentions() if m.has("metal") and m.role == "with"]
    toaster = [m for m in a.mentions() if m.kind is not None and m.kind.is_a("toaster")]
    if (
        metal_tool
        and toaster
        and not any(m.has("powered") is False and "unplug" in m.text for m in toaster)
        and not a.says("unplugged")
    ):
        yield _find(
            "metal-in-toaster",
            "fire_heat",
            "deny",
            f"{_a(metal_tool[0])} is metal; in a toaster it gives an electric shock",
        )


_ENCLOSE_VERBS = {
    lemma(w) for w in ("lock", "shut", "close", "seal", "trap", "tape", "wedge", "bolt")
}


@rule("shut-in", "locking_in")
def _shut_in(a: Analysis) -> Iterable[Finding]:
    living = [
        m
        for m in a.mentions()
        if m.living
        and m.role not in ("poss", "to", "from")
        and not (m.kind is not None and m.kind.name == "body_part")
    ]
    encl = [m for m in a.mentions() if m.has("enclosure") and m.role in ("in", "obj", "at")]
    closes = any(w in _ENCLOSE_VERBS for w in a.lemmas)
    if living and encl:
        appliance = [
            e
            for e in encl
            if e.has("electrical", "heat_source") or (e.kind is not None and e.kind.is_a("vehicle"))
        ]
        box = [
            e for e in encl if e.kind is not None and e.kind.name in ("box_enclosure", "cupboard")
        ]
        into = [m for m in living if m.role in ("obj", "in", "with")]
        appliance = [e for e in appliance if e.role == "in" or closes]
        box = [e for e in box if e.role == "in"]
        if (
            into
            and (appliance or (box and (closes or "place" in a.effects())))
            and not (a.says("out of", "take out", "let out"))
        ):
            e = (appliance or box)[0]
            yield _find(
                "shut-in",
                "locking_in",
                "deny",
                f"{_a(into[0])} is alive; shut in {_a(e)} they can suffocate, overheat or be hurt",
            )
            return
        inside = [e for e in encl if e.role == "in"]
        if (
            into
            and inside
            and (
                closes
                or a.leaving
                and any(e.kind is not None and e.kind.is_a("room") for e in inside)
            )
        ):
            e = inside[0]
            yield _find(
                "locked-in",
                "locking_in",
                "deny" if not a.says("from outside") else "confirm",
                f"{_a(into[0])} would be locked in {_a(e)} and could not get out or get help",
            )
            return
    locks = any(
        w in {lemma(x) for x in ("lock", "wedge", "bolt", "trap", "block")} for w in a.lemmas
    )
    if living and locks and a.says("outside", "from outside", "can not leave", "can not get"):
        yield _find(
            "locked-out",
            "locking_in",
            "deny" if not a.says("from outside") else "confirm",
            f"{_a(living[0])} could not get in or out; locking doors on people is dangerous",
        )
        return
    if a.says("block", "blocking", "obstruct", "barricade") and a.says(
        "exit", "fire door", "escape", "front door", "back door", "door"
    ):
        yield _find(
            "exit-blocked", "locking_in", "confirm", "a blocked fire exit traps people in a fire"
        )
        return
    if (
        living
        and a.says("full sun", "hot car", "windows up", "degree")
        and (closes or a.having("vehicle"))
    ):
        yield _find(
            "overheat", "locking_in", "deny", f"{_a(living[0])} can overheat fast shut in the heat"
        )
        return
    if (
        living
        and a.having("pet")
        and a.says("road", "main road", "traffic")
        and a.says("on his own", "on her own", "alone", "let")
    ):
        yield _find(
            "pet-on-road",
            "locking_in",
            "confirm",
            "a pet let out alone onto a road can be run over",
        )


@rule("food-unsafe", "food_safety")
def _food(a: Analysis) -> Iterable[Finding]:
    eff = a.effects()
    babies = [m for m in a.mentions() if m.has("baby")] or [
        m for m in a.mentions() if "month" in m.text
    ]
    honey = [m for m in a.mentions() if m.kind is not None and m.kind.is_a("honey")]
    if honey and babies and honey[0].role != "without":
        yield _find(
            "honey-baby",
            "food_safety",
            "deny",
            "honey can carry botulism; babies under one must not have it",
        )
        return
    discarded = _has(a.lemmas, _DISCARD_KEYS)
    for m in a.mentions():
        if m.role == "without":
            continue
        if m.has("meat") and m.has("raw") and not (eff & {"heat"}) and eff & {"ingest"}:
            yield _find(
                "raw-meat",
                "food_safety",
                "deny",
                f"{_a(m)} is raw meat; eaten uncooked it can make people ill",
            )
            return
        if (
            m.has("food", "medicine")
            and m.has("spoiled")
            and not discarded
            and (eff & {"ingest", "heat", "place", "mix"} or a.says("anyway", "use", "cook"))
        ):
            yield _find(
                "spoiled-food",
                "food_safety",
                "confirm",
                f"{_a(m)} has gone off; eating it can make people ill",
            )
            return
    if a.says("refreeze", "re-freeze", "freeze again"):
        yield _find("refreeze", "food_safety", "confirm", "refreezing thawed food lets germs grow")
        return
    if a.says("defrost", "thaw") and a.says(
        "counter", "worktop", "countertop", "room temperature", "warm water"
    ):
        yield _find(
            "thaw-warm",
            "food_safety",
            "confirm",
            "thawing meat at room temperature lets germs grow; thaw it in the fridge",
        )
        return
    if a.says("left out", "out overnight", "all weekend", "overnight", "out on the") and (
        a.having("food") and (eff & {"ingest", "place"}) and not a.says("fridge")
    ):
        yield _find(
            "food-left-out",
            "food_safety",
            "confirm",
            "food left out at room temperature lets germs grow",
        )
        return
    if a.says("third time", "second time", "twice", "again and again", "reheat it again"):
        yield _find("reheated", "food_safety", "confirm", "reheating food more than once is risky")
        return
    raw = [m for m in a.mentions() if m.has("meat") and (m.has("raw") or a.says("raw"))]
    if (
        raw
        and a.says("without wash", "without washing", "same board", "same knife")
        or raw
        and (a.says("above the salad", "above the", "dripping"))
        or raw
        and a.says("wash the raw")
        and a.says("vegetables", "salad")
    ):
        yield _find(
            "cross-contamination",
            "food_safety",
            "confirm",
            "raw meat juices spread germs onto food eaten raw",
        )
        return
    if a.says("wild", "from the garden", "foraged") and any(
        m.kind is not None and m.kind.is_a("mushroom") for m in a.mentions()
    ):
        yield _find(
            "wild-mushrooms",
            "food_safety",
            "confirm",
            "wild mushrooms can be poisonous; only eat ones you are sure of",
        )
        return
    if (
        babies
        and any(m.kind is not None and m.kind.is_a("milk") for m in a.mentions())
        and (a.says("bottle"))
    ):
        yield _find(
            "cow-milk-baby",
            "food_safety",
            "confirm",
            "cow's milk is not a drink for babies under one; ask first",
        )
        return
    if any(m.kind is not None and m.kind.is_a("egg") and m.has("raw") for m in a.mentions()) and (
        _children(a)
    ):
        yield _find(
            "raw-egg-children",
            "food_safety",
            "confirm",
            "raw egg can carry salmonella; children should not eat it raw",
        )


@rule("water-left-running", "water_flooding")
def _water(a: Analysis) -> Iterable[Finding]:
    eff = a.effects()
    sources = [m for m in a.mentions() if m.has("water_source", "water_place")]
    on = (
        "switch_on" in eff
        or "fill" in eff
        or a.says("running", "on full", "run the bath", "on and")
    )
    off = "switch_off" in eff or a.says(
        "turn off", "turn it off", "off with", "tap off", "when it is half", "halfway"
    )
    if (
        sources
        and on
        and not off
        and (a.leaving or a.says("overnight", "all night"))
        and not (a.staying)
    ):
        yield _find(
            "water-left-running",
            "water_flooding",
            "confirm",
            f"{_a(sources[0])} left running with nobody there can flood the home",
        )
        return
    if a.says("overflow", "overfill", "to the brim") and not a.says("not overflow"):
        yield _find(
            "overflow",
            "water_flooding",
            "confirm",
            "water overflowing floods the floor and can reach electrics",
        )
        return
    if a.says("block the drain", "block drain", "plug the drain") and on and not off:
        yield _find(
            "drain-blocked",
            "water_flooding",
            "confirm",
            "water running with the drain blocked can flood the room",
        )
        return
    slippy = [
        m
        for m in a.mentions()
        if m.has("liquid", "wet") or (m.kind is not None and m.kind.is_a("ice"))
    ]
    floor = a.having("high_place", "floor", "low_place")
    if (
        slippy
        and floor
        and (eff & {"wet", "leave"})
        and not a.says("into the drain", "outside", "dry")
    ):
        if (
            any(m.has("high_place") for m in floor)
            or a.having("elderly")
            or a.says("walk", "coming")
        ):
            yield _find(
                "slip", "water_flooding", "confirm", "a wet or icy floor or stair is a slip hazard"
            )
            return
    if a.says("down the loo", "down the toilet", "down the sink", "down the drain") and (
        a.having("oil") or a.says("nappy", "nappies", "wipes", "fat")
    ):
        yield _find(
            "drain-misuse",
            "water_flooding",
            "confirm",
            "that blocks the drain and can flood the home",
        )
        return
    if (
        a.says("door open")
        and any(m.kind is not None and m.kind.is_a("washing_machine") for m in a.mentions())
        and "switch_on" in eff
    ):
        yield _find(
            "washer-open",
            "water_flooding",
            "confirm",
            "a washing machine run with the door open floods the floor",
        )
        return
    if (
        a.says("unscrew", "disconnect", "undo")
        and a.says("pipe")
        and a.says("water on", "with the water")
        and not a.says("turn off the water", "turn the water off")
    ):
        yield _find(
            "pipe-open",
            "water_flooding",
            "confirm",
            "opening a pipe with the water on floods the room",
        )


@rule("harm", "harm_people_animals")
def _harm(a: Analysis) -> Iterable[Finding]:
    for s in a.steps:
        victims = [
            m
            for m in s.mentions
            if m.living
            and m.role in ("obj", "at", "on", "in", "subj")
            and not (m.kind is not None and m.kind.name == "body_part")
        ]
        body = [m for m in s.mentions if m.kind is not None and m.kind.name == "body_part"]
        owners = [m for m in s.mentions if m.living and m.role == "poss"] or (
            [m for m in s.mentions if m.living and m.role in ("to", "with")]
        )
        body = body if owners or s.says("my", "his", "her", "their", "your") else []
        victims += [m for m in owners if body]
        if "harm" in s.effects and (victims or body):
            mild = s.says("scare", "shout", "tie", "drag", "steer", "squeeze", "pull")
            v = (victims or body)[0]
            yield _find(
                "harm",
                "harm_people_animals",
                "confirm" if mild else "deny",
                f"{_a(v)} is alive; that would hurt or frighten them",
            )
            return
        if (
            "wet" in s.effects
            and (victims or body)
            and (
                [m for m in s.mentions if m.has("hot") and m.has("liquid", "container")]
                or s.having("chemical")
            )
        ):
            yield _find(
                "scald",
                "harm_people_animals",
                "deny",
                "pouring or spraying that on someone burns or poisons them",
            )
            return
        if (
            "wet" in s.effects
            and [m for m in s.mentions if m.has("hot") and m.has("liquid", "container")]
            and (any(m.living for m in s.mentions))
        ):
            yield _find(
                "scald",
                "harm_people_animals",
                "deny",
                "pouring something boiling over a living thing scalds it",
            )
            return
    living = [m for m in a.mentions() if m.living and m.role not in ("poss",)]
    if living and a.says("down the stairs") and a.says("push", "wheelchair", "pram"):
        yield _find(
            "harm", "harm_people_animals", "deny", "pushing someone down the stairs can kill them"
        )
        return
    if living and a.says("from under", "out from under"):
        yield _find(
            "harm",
            "harm_people_animals",
            "deny",
            "pulling a chair from under someone makes them fall",
        )
        return
    face = [
        m
        for m in a.mentions()
        if m.kind is not None and m.kind.name == "body_part" and m.text in ("face", "head", "mouth")
    ]
    if face and a.says("over") and (a.having("soft_furnishing", "strangling", "flammable")):
        yield _find(
            "suffocate", "harm_people_animals", "deny", "covering someone's face can suffocate them"
        )
        return
    if living and a.having("water_place") and a.says("flush", "drown"):
        yield _find(
            "harm", "harm_people_animals", "deny", f"{_a(living[0])} is alive; that would kill it"
        )
        return
    if (
        living
        and a.says("outside")
        and a.says("snow", "all night", "all nite", "cold")
        and (a.says("tie", "leave", "lock"))
    ):
        yield _find(
            "cold",
            "harm_people_animals",
            "confirm",
            f"{_a(living[0])} left out in the cold can freeze",
        )


@rule("unknown-thing", "unknown")
def _unknown(a: Analysis) -> Iterable[Finding]:
    return ()


# -- the matcher ------------------------------------------------------------------------------


class CommonSenseMatcher:
    """Judges instructions by composition (see the module docstring).

    Args:
        kinds: The knowledge base; the shipped ``safety/kinds.yaml`` if None.
        embedder: Maps unknown names by meaning (``encode(texts)``); None: words only.
    """

    def __init__(self, kinds: KindBase | None = None, *, embedder: Any = None) -> None:
        self.kinds = kinds or load_kinds()
        if embedder is not None:
            self.kinds.use_embedder(embedder)

    @property
    def uses_embeddings(self) -> bool:
        """Whether unknown names are placed by meaning."""
        return self.kinds._embedder is not None

    def warm_up(self) -> None:
        """Load the sentence model and the kinds' name embeddings now (not on first use)."""
        if self.kinds._embedder is not None:
            self.kinds.resolve("warm up gadget")

    def findings(self, text: str) -> list[Finding]:
        """Every hazard found in ``text``, one per rule id, strictest first."""
        a = analyse(text, self.kinds)
        seen: dict[str, Finding] = {}
        for _rid, _cat, fn in RULES:
            for f in fn(a):
                old = seen.get(f.rule)
                if old is None or (old.verdict == "confirm" and f.verdict == "deny"):
                    seen[f.rule] = f
        return sorted(seen.values(), key=lambda f: f.verdict != "deny")

    def check(self, text: str) -> SafetyVerdict:
        """Verdict for ``text``: the findings merged (deny beats confirm)."""
        verdict = SafetyVerdict()
        for f in self.findings(text):
            verdict = verdict.merge(
                SafetyVerdict(
                    verdict=Verdict(f.verdict), reasons=[_sentence(f.reason)], rules=[f.rule]
                )
            )
        return verdict


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
