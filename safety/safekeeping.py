"""Safekeeping: instructions that only put things away, take them out or shut appliances.

The word judges (the rule book's keyword rules, the hazard knowledge base) and the
composition judge find a hazard in what an instruction *names together*: bleach and
glass cleaner, a fork and a microwave, a towel and a dryer's heat, chicken "left out".
"Put the bleach and glass cleaner away in the cleaning cupboard, out of the children's
reach" names the same things and does the opposite of the hazard. :func:`is_safekeeping`
reads an instruction clause by clause and says whether *every* clause is one of:

- **stow**: put, store, lock, tidy, keep ... a known, non-living thing away, back, up, or
  into a storage place (cupboard, drawer, shelf, medicine cabinet, under the sink; the
  fridge or freezer only for food);
- **remove**: take, get, remove, fish ... a thing out of or off something;
- **shut**: shut or close appliances, doors and cupboards, with nothing inside named;
- **off**: switch or turn something off, unplug it, blow it out;
- **state**: a remark about the food ("it's been left out", "I left it out");
- **protect**: "out of the toddler's reach", "away from the dog", "so the kids can't get
  it", "where the dog can't reach it" (the living things named there are protected);
- **before/after**: "before you microwave it", "once they have cooled", when nothing in it
  gives, mixes, pours, throws or leaves.

Anything else (a verb that mixes, pours, gives, heats, throws or leaves; a living thing
stowed or shut in; a destination that is no storage place; a word the knowledge base does
not know) makes it no safekeeping. The monitor then lifts only the findings of the
co-occurrence rules in :data:`SAFEKEEPING_RULES`, and only when a judge's findings are
all such rules: a stricter or different hazard is never lifted. Spoiled-food findings are
lifted only when the only sign of spoiling is that the food was left out (no "mouldy",
"overnight", "since Friday", "days").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from housemind.safety._text import NOT_INSIDE, PLACE_WORDS, absent_after, elliptic_and, lemma
from housemind.safety.kinds import KindBase, load_kinds, words_of

__all__ = [
    "APART_RULES",
    "FLAMMABLE_APART_RULES",
    "LIQUID_APART_RULES",
    "MOVED_AWAY_RULES",
    "SHARP_APART_RULES",
    "LIVING_APART_RULES",
    "MIXING_RULES",
    "SAFEKEEPING_RULES",
    "SPOILED_RULES",
    "STRICT_RULES",
    "is_safekeeping",
    "lifts",
    "sharp_handed",
    "stowed_apart",
]

#: Findings that a safekeeping instruction lifts: hazards of things named together.
SAFEKEEPING_RULES = frozenset(
    {
        # chemicals named together, or with a child or a pet
        "no-mixing-chemicals",
        "cs:chemicals-mixed",
        "no-chemicals-to-child-or-pet",
        "kb:mixing-cleaners",
        # small things, medicine, food toxic to pets, near a child or a pet
        "cs:choking",
        "no-medicine-or-small-things-to-child",
        "kb:small-things-to-child",
        "kb:medicine-danger",
        "cs:pet-toxic-in-reach",
        "cs:medicine-child",
        "kb:toxic-food-for-pets",
        # metal and a microwave, a thing and an appliance
        "no-metal-in-microwave",
        "kb:metal-in-microwave",
        "cs:microwave-unsafe",
        "microwave-sealed-or-egg",
        "kb:living-thing-in-appliance",
        # cloth and a heat source
        "flammables-on-heat",
        "kb:flammable-on-heat",
        "cs:flammable-near-heat",
        # "lock" read as force on the person the thing is kept from
        "no-harming-people",
        "kb:force-on-people",
        "cs:locked-in",
        # a knife, a chemical and a child named together ("put the knife away before the
        # toddler wakes up")
        "no-sharp-to-child",
        "kb:sharp-to-child",
        "cs:hazard-given-to-child",
        "kb:chemicals-in-reach-of-child",
        # water named with what only switches it off ("turn the tap off before it
        # overflows")
        "no-water-left-running",
        "kb:water-left-running",
        "cs:overflow",
        "cs:water-left-running",
        # an electrical thing and a bath or water named in the same breath
        "cs:electrical-into-water",
        "cs:mains-by-bath",
        "kb:water-on-electrics",
        "kb:electrics-near-bath",
    }
)
#: Chemicals mixed: parted by a clause that stows one only when everything else, said as
#: one request, is allowed (what is left may still meet in the bucket).
MIXING_RULES = frozenset({"no-mixing-chemicals", "cs:chemicals-mixed", "kb:mixing-cleaners"})
#: Findings of things named together that a stowing clause can part: the co-occurrence
#: rules above, and a thing fed or given to a living thing named in another clause
#: (:func:`stowed_apart`).
APART_RULES = (SAFEKEEPING_RULES - MIXING_RULES) | frozenset(
    {
        "cs:pet-toxic-food",
        "no-toxic-food-for-pets",
        "kb:unsafe-food-for-baby",
        "unsafe-food-for-baby",
        "cs:allergen",
        "cs:medicine",
        "medicine-dose",
        "kb:medicine-dose-change",
        "cs:shut-in",
        "no-chemicals-in-food",
        "kb:chemical-into-food-container",
        "cs:chemical-with-food",
    }
)
#: A living thing and an appliance named together: lifted when no step of the reading
#: (safety/compose) names both (:func:`lifts`).
LIVING_APART_RULES = frozenset({"kb:living-thing-in-appliance"})
#: Cloth or paper and a heat source named together: lifted when no step of the reading
#: (safety/compose) names both (:func:`lifts`): "hang the tea towel on the rail and turn
#: the hob on".
FLAMMABLE_APART_RULES = frozenset({"flammables-on-heat", "kb:flammable-on-heat"})
#: A sharp thing and a verb that hands something over, named together: lifted when no
#: step of the reading hands, gives, throws or waves the sharp thing itself ("slice the
#: apple with the knife and give it to Grandma" gives the apple) (:func:`lifts`).
SHARP_APART_RULES = frozenset({"sharp-handover"})
#: Pouring or spraying named with something electrical: lifted when no step that pours,
#: sprays or rinses names an electrical thing, nor puts liquid by one ("pour water into
#: the plant using the mug, then unplug the toaster") (:func:`lifts`).
LIQUID_APART_RULES = frozenset({"no-liquid-into-electrics"})
#: A child or a pet named with a chemical or a blade: lifted when every living thing
#: named is first taken out of the way and no later step names it ("move the cat out of
#: the kitchen, then spray the counter with bleach") (:func:`lifts`).
MOVED_AWAY_RULES = frozenset(
    {
        "no-chemicals-to-child-or-pet",
        "kb:chemicals-in-reach-of-child",
        "kb:harm-to-animals",
        "no-sharp-to-child",
        "kb:sharp-to-child",
    }
)
#: Findings of a child named with a knife or a chemical: lifted only when the thing goes
#: into a closed store or away (:func:`is_safekeeping` with ``strict``).
STRICT_RULES = frozenset(
    {
        "no-sharp-to-child",
        "kb:sharp-to-child",
        "cs:hazard-given-to-child",
        "kb:chemicals-in-reach-of-child",
    }
)
#: Spoiled-food findings: lifted only when "left out" is the only sign of spoiling.
SPOILED_RULES = frozenset({"cs:spoiled-food", "kb:spoiled-food", "spoiled-food"})

# -- words -----------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _lemmas(words: Iterable[str]) -> list[str]:
    return [lemma(w) for w in words]


_STOW = frozenset(
    _lemmas(
        _words("put place store lock tidy keep pop move carry return stack wrap hang stash shelve")
    )
)
_REMOVE = frozenset(_lemmas(_words("take get remove fish lift pull clear pick collect gather")))
_SHUT = frozenset(_lemmas(_words("shut close")))
_OFF_VERBS = frozenset(_lemmas(_words("unplug")))
_FILLERS = _words("could can would will you please kindly just now also then and robot")
# Storage places: where things are kept out of use and out of reach.
_STORAGE = _words(
    "cupboard cabinet drawer shelf pantry larder closet garage shed block rack "
    "caddy organiser organizer jar box safe locker holder hook peg "
    "cupboards cabinets drawers shelves pantries closets racks jars boxes lockers hooks pegs"
)
_FOOD_STORAGE = frozenset(
    {"fridge", "freezer", "bread bin", "bread", "bin", "larder", "pantry", "fruit bowl"}
)
# A container that is a child's or a pet's, or holds food: never a store for chemicals.
_NOT_STORE_MODIFIERS = _words(
    "toy toddler baby kid kids child children dog cat pet food lunch sweet sweets biscuit "
    "cereal juice drink water fish vitamin snack treat cookie cake tea coffee sugar"
)
# Words of a clause that change nothing about the reading.
_FUNCTION = _words(
    "the a an this that these those my your our his her their its some all both each "
    "every one two three it them they this these i we he she you me us "
    "in into inside on onto to under beneath below at from of off out up away back down "
    "over with without by next beside behind near for properly carefully safely please "
    "again too as well now first high top bottom low separate separately own same "
    "and or nor both either locked stored tucked shut closed safe somewhere"
)
# Verbs that make a hazard whatever else the instruction says.
_HAZARD_VERBS = frozenset(
    _lemmas(
        _words(
            "mix combine pour add splash spray stir decant dilute fill top give feed serve hand "
            "offer eat drink let throw toss chuck drop smash break hit kick push tape seal trap "
            "wedge light ignite burn leave go start run switch turn heat microwave nuke zap cook "
            "boil warm bake fry toast play lick chew swallow soak dunk dip rinse wash spill tip "
            "empty share dry"
        )
    )
)
# In "before/after/once ..." clauses these are later, harmless uses of the appliance.
_LATER_OK = frozenset(
    _lemmas(_words("microwave heat preheat cook warm start use run make cool beep"))
)
_REMARK = _words("was is are were been has have had i we be")
_SUBORDINATE = _words("before after once when until while")
_PROTECT_STARTS = _words("so where")
_NEGATION = _words("not never cannot no wont cant dont shouldnt")
_SPOIL_WORDS = _words(
    "mouldy moldy mould mold rotten sour off expired stale overnight night yesterday "
    "day days week weeks weekend since smell smells slimy fuzzy green hours hour"
)
_LEFT_OUT = re.compile(r"\b(left|leave|sat|sit|been|sitting)\s+(it\s+|them\s+)?out\b")
#: Spoiling that has not happened: "the milk will go off if the fridge stays open".
_MAY_SPOIL = re.compile(
    r"\b(?:will|would|might|could|can|ll|before (?:it|they|the \w+))\s+(?:go|goes|going)\s+"
    r"(?:off|bad)\b"
)


#: Chat spellings read as the words they stand for; politeness carries no meaning here.
_CHAT = {"u": "you", "ur": "your", "r": "are"}
_POLITE = _words("please pls plz plse thanks thx ty cheers kindly")
#: "put it where it belongs", "back in their places": the same as "put it away".
_ITS_PLACE = re.compile(
    r"\bwhere (?:it|they|each one|each) (?:belongs?|goes|go|lives?)\b"
    r"|\bin (?:its|their) (?:proper |usual |own )?places?\b",
    re.IGNORECASE,
)


def _clauses(text: str) -> list[list[str]]:
    """Clauses: split at punctuation, "and then", "then", and "and <verb>".

    "Put the fork in the drawer and the bowl in the microwave" is two clauses, the second
    with "put" said again.
    """
    out: list[list[str]] = []
    for piece in re.split(r"[,;.!?]+", _ITS_PLACE.sub("away", text)):
        words = [_CHAT.get(w, w) for w in words_of(piece) if w not in _POLITE]
        cur: list[str] = []
        i = 0
        while i < len(words):
            w = words[i]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if w == "and" and words[i + 1 : i + 3] == ["after", "that"]:
                w, nxt = "then", ""  # "and after that" is "and then"
                i += 2
            elif w == "after" and nxt in {"that", "this"}:
                w, nxt = "then", ""
                i += 1
            # "... and the bowl in the microwave": the same verb again
            elliptic = w == "and" and nxt != "then" and elliptic_and(cur, words[i + 1 :])
            if (
                w == "then"
                or elliptic
                or (
                    w == "and"
                    and (nxt == "then" or lemma(nxt) in _STOW | _REMOVE | _SHUT | _HAZARD_VERBS)
                )
            ):
                if cur:
                    out.append(cur)
                v = _verb_index(cur)
                cur = [cur[v]] if elliptic and v < len(cur) else []
                i += 2 if nxt == "then" else 1
                continue
            if w in _SUBORDINATE or (w in _PROTECT_STARTS and cur):
                if cur:
                    out.append(cur)
                cur = [w]
                i += 1
                continue
            cur.append(w)
            i += 1
        if cur:
            out.append(cur)
    return out


def _protective(words: list[str]) -> list[str]:
    """``words`` without "out of X's reach", "away from X", "out of the way"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] == "out" and i + 1 < len(words) and words[i + 1] == "of":
            tail = words[i + 2 : i + 7]
            if "reach" in tail:
                i = i + 2 + tail.index("reach") + 1
                continue
            if tail[:2] == ["the", "way"]:
                i += 4
                continue
        if words[i] in ("away", "apart") and i + 1 < len(words) and words[i + 1] == "from":
            # "away from the baby": the rest of the clause names who is protected.
            out.append("away")
            break
        out.append(words[i])
        i += 1
    return out


def _runs(words: list[str]) -> list[list[str]]:
    """Runs of content words (maximal stretches of non-function words)."""
    runs: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        if w in _FUNCTION:
            if cur:
                runs.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        runs.append(cur)
    return runs


#: Properties of a living thing (a person, a child, an animal).
_LIVING = frozenset({"person", "child", "baby", "animal", "pet"})


def _living(kb: KindBase, word: str) -> bool:
    k = kb.exact(word)
    return k is not None and bool(k.props & _LIVING)


def _young_or_animal(kb: KindBase, word: str) -> bool:
    """A child, a baby or an animal (not a grown-up person)."""
    k = kb.exact(word)
    return k is not None and bool(k.props & {"child", "baby", "animal", "pet"})


def _thing(kb: KindBase, run: list[str]) -> tuple[bool, frozenset[str]]:
    """Whether a run of words names a known non-living thing, and its properties."""
    if any(_living(kb, w) for w in run[-1:]):
        return False, frozenset()
    while len(run) > 1 and _living(kb, run[0]):
        run = run[1:]  # "the toddler('s) playpen": whose it is
    got = kb.resolve(" ".join(run), meaning=False)
    if got.kind is None:
        return False, frozenset()
    return True, got.kind.props


def _storage_run(kb: KindBase, run: list[str], *, food_ok: bool) -> bool:
    """Whether ``run`` names a storage place (not a child's, a pet's or food's)."""
    if any(
        w in _NOT_STORE_MODIFIERS or lemma(w) in _NOT_STORE_MODIFIERS or _young_or_animal(kb, w)
        for w in run[:-1]
    ):
        return False  # a child's or a pet's box is theirs to open; Dad's drawer is a store
    head = run[-1]
    if lemma(head) in _STORAGE or head in _STORAGE:
        return True
    return food_ok and (" ".join(run[-2:]) in _FOOD_STORAGE or head in _FOOD_STORAGE)


def _verb_index(words: list[str]) -> int:
    i = 0
    while i < len(words) and words[i] in _FILLERS:
        i += 1
    return i


_DETS = _words("the a an my your his her our their this that these those some")
_PREPS = PLACE_WORDS | {"to"}
# What is never put back on a worktop or table without a question.
_NOT_ON_WORKTOPS = frozenset(
    {"chemical", "medicine", "sharp", "choking", "hot", "lit", "fire", "food", "spoiled"}
)
#: What food may be, put on a worktop away from a pet or a child: only food.
_FOOD_ON_WORKTOPS = frozenset({"food", "choking", "spoiled"})
_PRONOUN_OBJ = _words("it them these those")
#: A place a small child reaches, and what must never be kept there.
_LOW = _words("low lower bottom lowest")
#: Put somewhere high, with no place named: out of reach.
_UP_HIGH = re.compile(r"\b(?:up high|high up|somewhere high|up out of reach|out of reach)\b")
#: A shelf or cupboard said to be high is out of a small child's reach.
_HIGH = _words("high higher highest top upper")
_CHILD_HAZARDS = frozenset({"chemical", "medicine", "sharp", "choking"})
#: Closed stores a child does not get into; with children named, a knife, a chemical or
#: medicine goes only there (or "away", its usual place).
_SECURE = _words("cupboard cabinet locker safe closet garage shed pantry larder")
#: The person says the place is out of a child's reach.
_OUT_OF_REACH = re.compile(
    r"\bout of (?:\S+\s+){0,4}?reach\b|\b(?:can ?not|can't|cannot|won't) (?:reach|get)"
)
_DANGER_PLACE = frozenset(
    {
        "heat_source",
        "fire",
        "lit",
        "water_place",
        "food_place",
        "child_place",
        "pet_place",
        "low_place",
        "electrical",
    }
)


def _hazard_verbs(words: list[str]) -> list[str]:
    """Hazard verbs among ``words`` (a word after an article or a noun is a noun)."""
    out = []
    for i, w in enumerate(words):
        lw = lemma(w)
        if lw not in _HAZARD_VERBS:
            continue
        prev = words[i - 1] if i else ""
        if prev in _DETS or (prev and prev not in _FUNCTION and prev not in _FILLERS):
            continue  # "the microwave", "oven light"
        out.append(lw)
    return out


def _strip_left_out(words: list[str]) -> list[str]:
    """Drop "(that) (was/has been) left out", "sat out": what happened, not a command."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if (
            w in {"left", "sat", "been"}
            and i + 2 < len(words)
            and words[i + 1]
            in {
                "it",
                "them",
            }
            and words[i + 2] == "out"
        ):
            words = [*words[: i + 1], *words[i + 2 :]]  # "left it out" -> "left out"
        if w in {"left", "sat", "been"} and i + 1 < len(words) and words[i + 1] == "out":
            while out and out[-1] in {
                "that",
                "which",
                "was",
                "is",
                "has",
                "have",
                "been",
                "were",
                "are",
            }:
                out.pop()
            i += 2
            if i < len(words) and words[i] in {"on", "in", "at"}:
                # "left out on the table": where it was, not where it goes.
                i += 1
                while (
                    i < len(words) and words[i] not in _PREPS and words[i] not in {"back", "away"}
                ):
                    i += 1
            continue
        out.append(w)
        i += 1
    return out


def _split_places(rest: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The object words, and each (preposition, words) after it."""
    obj: list[str] = []
    places: list[tuple[str, list[str]]] = []
    cur: list[str] | None = None
    prep = ""
    for i, w in enumerate(rest):
        if w in _PREPS and not (w == "to" and i and rest[i - 1] == "next"):
            if cur is not None:
                places.append((prep, cur))
            prep, cur = w, []
            continue
        if w == "next" and i + 1 < len(rest) and rest[i + 1] == "to":
            if cur is not None:
                places.append((prep, cur))
            prep, cur = "next", []
            continue
        (obj if cur is None else cur).append(w)
    if cur is not None:
        places.append((prep, cur))
    return obj, places


def _list_of_things(kb: KindBase, words: list[str]) -> bool:
    """Whether ``words`` only list things ("microwave and washer", "the oven and the fridge")."""
    runs: list[list[str]] = [[]]
    for w in words:
        if w in {"and", "or"}:
            runs.append([])
        elif w in {"the", "a", "an"}:
            if runs[-1]:
                return False  # "microwave the soup": a verb and its object
        else:
            runs[-1].append(w)
    return all(r and kb.exact(" ".join(r)) is not None for r in runs)


def _remark(kb: KindBase, said: str, words: list[str], ctx: dict[str, object]) -> bool:
    """A remark that food was left out ("the chicken was left out on the counter").

    Nothing in it is asked for; what it names is what a later "it" stands for. Anything
    else said as a remark ("the oven is on", "the kids are inside it") is no safekeeping.
    """
    if _hazard_verbs(words):
        return False
    if not _LEFT_OUT.search(said):
        return _where_remark(kb, words, ctx)
    if any(_living(kb, w) for w in words if w not in {"i", "we"}):
        return False
    found: frozenset[str] = frozenset()
    for r in _runs(words):
        ok, props = _thing(kb, r)
        if not ok:
            continue
        if props & {"heat_source", "fire", "lit", "chemical", "medicine", "electrical"}:
            return False
        found |= props
    if not found:  # "I left it out": the thing of the clause before
        return "food" in ctx.get("props", frozenset())  # type: ignore[operator]
    if "food" not in found:
        return False
    ctx["props"] = found
    return True


#: What a remark may say of people besides that they come: "the kids are coming over".
_COMING = _words(
    "coming come over round around home back soon later tonight today tomorrow here "
    "visiting arriving due staying the weekend this afternoon evening morning for about "
    "awake up"
)
_ARRIVE = _words("coming come visiting arriving due over round about around home here awake up")
#: People said to be about now: "kids are about", "the baby is awake". A knife or a
#: chemical then goes only into a closed store (as with ``strict``).
_PRESENT = re.compile(
    r"\b(?:are|is|re|s)\s+(?:still\s+|now\s+)?(?:about|around|awake|up|home|here)\b"
)
_BE = _words("is are was were")
_WILL = _words("will ll shall gonna")
_STILL = _words("still now just already")


#: Words after a child that say what it keeps doing ("the baby keeps trying to grab it").
_HABIT = _words("keeps keep kept always often loves likes wants tries")


def _habit_remark(kb: KindBase, words: list[str], ctx: dict[str, object]) -> bool:
    """A remark of what a child or a pet keeps doing: it is about, so nothing is shut.

    "The baby keeps trying to grab it", "the dog always begs": with a child about, a knife
    or a chemical goes only into a closed store or up high (as with ``strict``).
    """
    k = next((i for i, w in enumerate(words) if w in _HABIT), -1)
    if k <= 0:
        return False
    subject = _runs([w for w in words[:k] if w not in _FUNCTION])
    if len(subject) != 1 or not _young_or_animal(kb, subject[0][-1]):
        return False
    ctx["props"] = frozenset({"person"})
    ctx["children"] = True
    ctx["no_shut"] = True
    return True


def _where_remark(kb: KindBase, words: list[str], ctx: dict[str, object]) -> bool:
    """A remark of where a thing is, or that people are coming; nothing asked for.

    "the fork is still in the microwave" names what a later "it" stands for (a thing,
    never a living one); "the kids are coming over" only says who is coming, and a later
    "it" or "them" can then not be read as a thing to put away.
    """
    be = next(
        (i for i, w in enumerate(words) if w in _BE or (w == "be" and i and words[i - 1] in _WILL)),
        -1,
    )
    if be <= 0:
        return False
    subject = _runs([w for w in words[:be] if w not in _FUNCTION and w not in _WILL])
    rest = [w for w in words[be + 1 :] if w not in _STILL]
    if len(subject) != 1:
        return False
    if _living(kb, subject[0][-1]):
        if rest and all(w in _COMING or w in _FUNCTION for w in rest) and (_ARRIVE & set(rest)):
            ctx["props"] = frozenset({"person"})
            return True
        if absent_after(words[be:]):
            # "the kids are at school", "the baby is asleep": nobody here to reach it
            ctx["props"] = frozenset({"person"})
            ctx["children"] = False
            return True
        if (
            words[be] == "be"
            and rest[:1] == ["in"]
            and _runs(rest[1:])
            and _young_or_animal(kb, subject[0][-1])
        ):
            # "the kids will be in the bath in a minute": they will be about, so a knife or
            # a chemical goes only into a closed store (as with ``strict``), and nothing
            # is shut (where they will be may be what is shut)
            ctx["props"] = frozenset({"person"})
            ctx["children"] = True
            ctx["no_shut"] = True
            return True
        return False
    ok, props = _thing(kb, subject[0])
    if not ok or not rest or rest[0] not in {"in", "inside", "on", "under"}:
        return False
    places = _runs(rest[1:])
    if len(places) != 1 or not _thing(kb, places[0])[0]:
        return False
    ctx["props"] = props
    return True


_ADVERBS = _words("nearly almost just accidentally already")
_PAST = _words("put left forgot got made took saw found spilt spilled dropped")


def _past_remark(kb: KindBase, words: list[str], ctx: dict[str, object]) -> bool:
    """What the person did: "I nearly heated my soup with the fork still in the microwave".

    Nothing in it is asked for; what it names is what a later "it" stands for. Never when
    it names a living thing besides the speaker ("I left the baby in the bath").
    """
    k = 1
    if not words or words[0] not in {"i", "we"}:
        return False
    while k < len(words) and words[k] in _ADVERBS:
        k += 1
    if k >= len(words) or not (words[k] in _PAST or words[k].endswith("ed")):
        return False
    if any(_living(kb, w) for w in words[k + 1 :]):
        return False
    found: frozenset[str] = frozenset()
    for r in _runs(words[k + 1 :]):
        ok, props = _thing(kb, r)
        if ok:
            found |= props
    if not found:
        return False
    ctx["props"] = found
    return True


def _spoil_remark(kb: KindBase, words: list[str], ctx: dict[str, object]) -> bool:
    """A remark that food will spoil unless something is done; nothing in it is asked for."""
    words = _MAY_SPOIL.sub(" ", " ".join(words)).split()
    if _hazard_verbs(words) or any(_living(kb, w) for w in words if w not in {"i", "we"}):
        return False
    found = frozenset().union(*(p for ok, p in (_thing(kb, r) for r in _runs(words)) if ok))
    if found & {"heat_source", "fire", "lit", "chemical", "medicine"}:
        return False
    if "food" in found:
        ctx["props"] = found
    return True


def _elliptic_stow(kb: KindBase, words: list[str]) -> bool:
    """Whether ``words`` are "<thing> into|back in|away ..." with the verb left out."""
    cut = next((i for i, w in enumerate(words) if w in {"into", "back", "away"}), -1)
    if cut <= 0 or (lemma(words[0]),) in kb.verbs or lemma(words[0]) in _HAZARD_VERBS:
        return False
    runs = _runs(words[:cut])
    return len(runs) == 1 and _thing(kb, runs[0])[0]


def _clause_ok(  # noqa: C901, PLR0911, PLR0912
    kb: KindBase, words: list[str], ctx: dict[str, object]
) -> bool:
    """Whether one clause keeps things safe; ``ctx`` carries the verb and what it moved."""
    if not words:
        return True
    first = words[0]
    if words[:4] in (["i", "do", "not", "want"], ["we", "do", "not", "want"]) and not (
        _hazard_verbs(words[4:])
    ):
        return True  # "I don't want them anywhere near each other": what to avoid
    if first == "so" and len(words) > 1:
        v = _verb_index(words[1:]) + 1
        if v < len(words) and _command(kb, words[v]) and lemma(words[v]) not in {"can", "get"}:
            return _clause_ok(kb, words[1:], ctx)  # "..., so put the bleach away"
    if first in _PROTECT_STARTS:
        if (
            first == "so"
            and words[1:2] in (["we"], ["i"])
            and not _hazard_verbs(words[2:])
            and not any(_living(kb, w) for w in words[2:])
        ):
            return True  # "so we free up some cupboard space": what it is for
        # "so the kids can't get it", "where the dog can't reach it": protective only
        # when it says they cannot.
        return any(w in _NEGATION for w in words) and not (
            set(_hazard_verbs(words[1:])) - set(_lemmas(["get", "reach"]))
        )
    if first in _SUBORDINATE:
        if _all_absent(kb, words):
            return True  # "while the baby naps"
        bad = [w for w in _hazard_verbs(words[1:]) if w not in _LATER_OK]
        if any(_living(kb, w) for w in words[1:]) and (
            bad or {lemma(w) for w in words[1:]} & (_STOW | _SHUT | _HAZARD_VERBS)
        ):
            return False  # "after putting the puppy in": a living thing put or shut in
        return not bad
    said = set(words)
    said_text = " ".join(words)
    if _MAY_SPOIL.search(said_text):
        # "the milk will go off if the fridge stays open like that": why, not what to do.
        return _spoil_remark(kb, words, ctx)
    words = _strip_left_out(_protective(words))
    if words == ["away"]:
        return True  # ", away from the dog": who the step before keeps it from
    v = _verb_index(words)
    if v >= len(words):
        return True
    if _past_remark(kb, words, ctx) or _habit_remark(kb, words, ctx):
        return True
    if v == 0 and _REMARK & said:
        return _remark(kb, said_text, words, ctx)
    verb = lemma(words[v])
    rest = words[v + 1 :]
    if verb == lemma("check") and not _hazard_verbs(rest):
        return True  # "check that both caps are screwed on tight": looking changes nothing
    if (
        verb == lemma("open")
        and (runs := _runs(rest))
        and all(_storage_run(kb, r, food_ok=False) for r in runs)
    ):
        return True  # "open the cabinet": to take something out or put it away
    if _elliptic_stow(kb, words[v:]):
        # "detergent into the cleaning cupboard pls": "put" said without the verb.
        verb, rest = lemma("put"), words[v:]
    if verb not in _STOW | _REMOVE | _SHUT | _OFF_VERBS | set(_lemmas(["switch", "turn", "blow"])):
        if ctx.get("verb") in _SHUT and _list_of_things(kb, words[v:]):
            # "shut the dishwasher, microwave and washer": the same verb again.
            return not any(_living(kb, w) for w in words[v:])
        if (lemma(words[v]),) in kb.verbs or (lemma(words[v]) in _HAZARD_VERBS):
            return False  # a command this module does not read as safekeeping
        return False
    ctx["verb"] = verb
    if _hazard_verbs(rest):
        return False
    if verb in _OFF_VERBS or (
        verb in _lemmas(["switch", "turn"]) and "off" in rest and "on" not in rest
    ):
        return not any(_living(kb, w) for w in rest)
    if verb in _lemmas(["switch", "turn"]):
        return False
    if verb == lemma("blow"):
        return "out" in rest and not any(_living(kb, w) for w in rest)
    obj_words, places = _split_places(rest)
    if verb in _REMOVE and "from" in obj_words:
        # "collect the marbles from the toddler's playpen": where they are taken from
        k = obj_words.index("from")
        places = [("from", obj_words[k + 1 :]), *places]
        obj_words = obj_words[:k]
    obj_runs = _runs(obj_words)
    pronoun = not obj_runs and any(w in _PRONOUN_OBJ for w in obj_words)
    # "grandma's pills" is a thing; "grandma", "the cat" are not.
    if any(_living(kb, r[-1]) for r in obj_runs):
        return False
    if len(obj_runs) > 1 and any(_living(kb, w) for r in obj_runs for w in r):
        return False  # "the toddler's crayons and the bleach": put away together
    things = [_thing(kb, r) for r in obj_runs]
    if not all(ok for ok, _ in things):
        return False
    props = frozenset().union(*(p for _, p in things)) if things else ctx.get("props", frozenset())
    if pronoun and props & _LIVING:  # type: ignore[operator]
        return False  # "the kids are coming over, lock them in": them are the kids
    if obj_runs:
        ctx["props"] = props
    elif not pronoun and verb not in _SHUT:
        return False
    chemicals = bool(ctx.get("chemicals"))
    if verb in _REMOVE:
        pulls_plug = verb == lemma("pull") and rest[-1:] == ["plug"]  # "pull the plug"
        if not (
            {"out", "off", "from"} & set(rest)
            or (verb == lemma("pick") and "up" in rest)
            or pulls_plug
        ):
            return False
        # "take the pills from the toddler": away from whoever had them
        return all(
            all(_thing(kb, r)[0] or (prep == "from" and _living(kb, r[-1])) for r in _runs(ws))
            for prep, ws in places
        )
    if verb in _SHUT:
        if ctx.get("no_shut"):
            return False
        # Shutting appliances and cupboards: never with something named inside; "close
        # it" after a remark that named no living thing.
        return not places and (bool(obj_runs) or (pronoun and not props & _LIVING))  # type: ignore[operator]
    # stow: a chemical is never put away together with food
    if chemicals and "food" in props and "chemical" in props:  # type: ignore[operator]
        return False
    if props & _CHILD_HAZARDS:  # type: ignore[operator]
        if any(w in _LOW for _, ws in places for w in ws):
            return False  # "on the bottom shelf": where a toddler reaches
        if (
            ctx.get("children")
            and not ctx.get("protected")
            and not all(r[-1] in _SECURE or set(ws) & _HIGH for _, ws in places for r in _runs(ws))
        ):
            return False  # the kids are about: a shelf or a drawer is not out of reach
    marker = (
        bool({"away", "back"} & set(rest))
        or (verb == lemma("lock") and "up" in rest)
        or bool(_UP_HIGH.search(" ".join(rest)))  # "put my macadamia cookies up high"
    )
    food_ok = not chemicals and "food" in props  # type: ignore[operator]
    for prep, ws in places:
        if not _runs(ws):
            return False  # "put the tea towel back on it": a place it does not name
        runs = _runs(ws)
        for n, r in enumerate(runs):
            if n + 1 < len(runs) and all(_living(kb, w) and not _young_or_animal(kb, w) for w in r):
                continue  # "in Dad's top drawer": whose it is
            if _storage_run(kb, r, food_ok=food_ok) or (prep == "under" and r[-1] == "sink"):
                marker = True
                continue
            ok2, props2 = _thing(kb, r)
            if (
                ok2
                and "back" in rest
                and prep in {"on", "onto"}
                and props2 & _DANGER_PLACE == {"food_place"}
                and not props & _NOT_ON_WORKTOPS  # type: ignore[operator]
            ):
                marker = True  # "put the toaster back on the counter": where it lives
                continue
            if (
                ok2
                and ("away" in rest or ctx.get("away_from"))  # "..., away from the dog"
                and props2 & _DANGER_PLACE == {"food_place"}
                and "food" in props  # type: ignore[operator]
                and not props & (_NOT_ON_WORKTOPS - _FOOD_ON_WORKTOPS)  # type: ignore[operator]
            ):
                continue  # "put the grapes in the fruit bowl on the counter, away from the dog"
            if not ok2 or props2 & _DANGER_PLACE or (props2 & {"food"} and chemicals):
                return False
            if prep not in {"next", "beside", "by", "behind"} and verb != lemma("wrap"):
                return False
    return marker or verb == lemma("wrap")


def _all_absent(kb: KindBase, words: list[str]) -> bool:
    """Whether every child named is said to be away or asleep ("the kids are at school")."""
    named = [i for i, w in enumerate(words) if (k := kb.exact(w)) and k.props & {"child", "baby"}]
    return bool(named) and all(absent_after(words[i + 1 :]) for i in named)


def _context(kb: KindBase, text: str, strict: bool) -> dict[str, object]:
    low = text.lower()
    said = words_of(low)
    chemicals = any((k := kb.exact(w)) is not None and "chemical" in k.props for w in said)
    children = any((k := kb.exact(w)) is not None and k.props & {"child", "baby"} for w in said)
    if _all_absent(kb, said):
        children = False  # "while the baby naps, put the knife in the drawer"
    return {
        "chemicals": chemicals,
        "children": children and (strict or bool(_PRESENT.search(low))),
        "protected": bool(_OUT_OF_REACH.search(low)),
        "away_from": re.search(r"\b(?:away|apart) from\b", low) is not None,
    }


@lru_cache(maxsize=2048)
def _reading(text: str, strict: bool = False) -> bool:
    kb = load_kinds()
    clauses = _clauses(text)
    ctx = _context(kb, text, strict)
    return bool(clauses) and all(_clause_ok(kb, c, ctx) for c in clauses)


#: Words by which a clause may mean a thing of the clause before ("give the dog some").
_POINTING = _words(
    "it them they these those that this one ones some any rest bit bits piece pieces half "
    "both all lot leftovers"
)
#: A clause that stows (:func:`stowed_apart`): the verbs that leave a thing put away.
_STOWING = _STOW | _SHUT | _OFF_VERBS


def _idle_remark(kb: KindBase, words: list[str]) -> bool:
    """A remark that names no thing and no place ("he's begging", "she keeps asking")."""
    if set(words) & (_PREPS | {"it", "them", "there", "that", "this"}):
        return False
    return not any(_thing(kb, r)[0] for r in _runs(words))


@lru_cache(maxsize=2048)
def _apart(text: str) -> tuple[str, ...] | None:
    """What ``text`` asks besides stowing, as groups of clauses; None if nothing is stowed.

    A clause that points back ("pour it", "give him some") stays with the clause before
    it; a clause that points back at a stowing clause makes the reading fail.
    """
    kb = load_kinds()
    clauses = _clauses(text)
    if len(clauses) < 2:
        return None
    ctx = _context(kb, text, True)  # a knife or a chemical goes only into a closed store
    groups: list[list[list[str]]] = []
    stowed = False
    after_stow = True  # the first clause has nothing before it to point back at
    for c in clauses:
        ctx.pop("verb", None)
        points = bool(set(c) & _POINTING) or c[0] in _SUBORDINATE | _PROTECT_STARTS
        if c[0] not in _SUBORDINATE | _PROTECT_STARTS and _clause_ok(kb, c, ctx):
            verb = ctx.get("verb")
            if verb in _STOWING or verb in _lemmas(["switch", "turn", "blow"]):
                stowed = after_stow = True
                continue
        v = _verb_index(c)
        if v >= len(c) or not _command(kb, c[v]):
            if _idle_remark(kb, c):
                continue  # "he's begging": names no thing and no place
            return None  # a remark ("the cat is in the dryer"): not said on its own
        if points and groups and not after_stow:
            groups[-1].append(c)
        elif points and stowed:
            return None  # "... and then give the dog some": it may be the stowed thing
        else:
            groups.append([c])
        after_stow = False
        named = [p for ok, p in (_thing(kb, r) for r in _runs(c[1:])) if ok]
        if any(_living(kb, w) for w in c):
            named.append(frozenset({"person"}))  # "lock them in" may mean the people
        if named:  # what a later "put them away" stands for
            ctx["props"] = frozenset().union(*named)
    if not stowed or not groups:
        return None
    # Clauses that name the same thing are one group ("put the fork in the soup, ..., then
    # microwave the soup"), wherever they stand.
    merged: list[tuple[set[str], list[list[str]]]] = []
    for g in groups:
        names = {lemma(w) for c in g for r in _runs(c[1:]) for w in r if _thing(kb, [w])[0]}
        joined = [m for m in merged if m[0] & names]
        for m in joined:
            merged.remove(m)
            names |= m[0]
        merged.append((names, [c for m in joined for c in m[1]] + g))
    return tuple(", then ".join(" ".join(c) for c in g) for _, g in merged)


def _command(kb: KindBase, word: str) -> bool:
    """Whether ``word`` starts a command (a verb), not a remark ("the cat is ...")."""
    w = lemma(word)
    return (w,) in kb.verbs or w in _HAZARD_VERBS | _STOW | _REMOVE | _SHUT | _OFF_VERBS


def stowed_apart(text: str, judge: Callable[[str], bool], *, whole: bool = False) -> bool:
    """Whether the things ``text`` names together are parted by a clause that stows one.

    "Give the dog his biscuit and put the chocolate bar in the cupboard" names chocolate
    and a dog, and feeds the dog; but the chocolate goes into a store, and what is fed is
    named on its own. It holds when some clauses stow (put a thing into a storage place,
    shut or switch off, as :func:`is_safekeeping` reads a clause; with a child named, a
    knife, a chemical or medicine only into a closed store), the clause after each of them
    does not point back ("it", "some", "the rest", "before ..."), and the other clauses,
    said on their own, are allowed by ``judge`` (a clause that points back is judged with
    the clauses before it: "fill the cup with juice, then give it to the toddler").

    ``whole``: the other clauses are judged together, as one request. For chemicals
    mixed: "use the toilet cleaner on the toilet and put the bleach back in the cabinet"
    parts them, but "pour the bleach in the bucket, put the bottle away, then add the
    ammonia" does not, though its two other clauses name nothing in common.
    """
    groups = _apart(text)
    if groups is None:
        return False
    return judge(", then ".join(groups)) if whole else all(judge(g) for g in groups)


def is_safekeeping(text: str, *, strict: bool = False) -> bool:
    """Whether every clause of ``text`` puts away, takes out, shuts or switches off.

    ``strict``: with a child named, a knife, a chemical or medicine must go into a closed
    store (a cupboard, a cabinet ...) or "away", unless the person says it is out of reach.
    """
    return _reading(text, strict)


@lru_cache(maxsize=1024)
def _steps(text: str) -> tuple[Any, ...]:
    """The steps of ``text`` as the composition judge reads them (safety/compose), once.

    Every lift below reads them and none changes them.
    """
    from housemind.safety.compose.reading import analyse

    return tuple(analyse(text).steps)


def _living_put_in(text: str) -> bool:
    """Whether a step of ``text`` names a living thing with an appliance or enclosure."""
    steps = _steps(text)
    # What holds a living thing ("the hamster is in his cage") goes with it ("put the cage
    # in the oven").
    holders = {
        m.text
        for s in steps
        # said to be there ("the hamster is in his cage"), not put there ("put it in the oven")
        if any(x.living and x.role == "subj" for x in s.mentions)
        for m in s.mentions
        if not m.living and m.role in ("in", "on", "at", "with")
    }
    return any(
        # "the kitten's blanket": whose it is, not who goes in; "check the cat is not in
        # the dryer": said not to be there
        any(
            (m.living and m.role != "poss" and not NOT_INSIDE.match(" ".join(s.after(m))))
            or m.text in holders
            for m in s.mentions
        )
        and any(
            not m.living and m.text not in holders and m.has("electrical", "enclosure")
            for m in s.mentions
        )
        for s in steps
    )


#: Words by which a step puts a thing by what an earlier step named ("put the towel there").
_THERE = frozenset({"there", "nearby", "it", "them"})
#: Words that, last in a step, put a thing by what an earlier step named ("leave it inside").
_THERE_LAST = frozenset({"inside", "top", "underneath", "under", "over", "above", "near", "by"})


def _flammable_by_heat(text: str) -> bool:
    """Whether a step of ``text`` names cloth, paper or an unknown thing with a heat source.

    Or puts such a thing "there", "nearby", "on top" when any step names a heat source.
    A thing the knowledge base knows and that does not burn (a fireguard, a pan) does not
    count; one it does not know does.
    """
    steps = _steps(text)

    def heat(m: Any) -> bool:
        return m.has("heat_source", "fire", "lit") and not m.has("low_heat")

    def burns(m: Any) -> bool:
        return (
            not m.living
            and not heat(m)
            and m.role not in ("from", "without", "poss")
            and (m.kind is None or m.has("flammable", "container") or m.kind.name == "toy")
        )

    any_heat = any(heat(m) and m.role not in ("from", "without") for s in steps for m in s.mentions)
    for s in steps:
        here = [m for m in s.mentions if heat(m) and m.role not in ("from", "without")]
        things = [m for m in s.mentions if burns(m)]
        there = bool(set(s.words) & _THERE) or bool(s.words and s.words[-1] in _THERE_LAST)
        if things and (here or (any_heat and there)):
            return True
    return False


#: Verbs that only pick a thing up ("take the mouldy bread from the counter and bin it").
_TAKING = frozenset(_lemmas(_words("take pick get grab collect lift remove")))
#: Verbs that, said of food gone off, throw it away ("chuck it", "ditch the old milk").
_DISCARD_VERBS = frozenset(_lemmas(_words("bin chuck ditch compost toss scrap dump")))


def _spoiled_discarded(text: str) -> bool:
    """Whether everything ``text`` says has gone off is thrown away, and nothing more.

    "Bin the mouldy jam and use the new jar", "the milk smells off, pour it away": each
    spoiled thing is the object of a step that bins it (or an "it" in a later one), and
    no step eats, serves, mixes or heats it.
    """
    from housemind.safety.compose.vocab import DISCARD_KEYS, has_phrase

    steps = _steps(text)
    spoiled = {m.text for s in steps for m in s.mentions if m.has("spoiled") and not m.pronoun}
    if not spoiled:
        return False
    binned: set[str] = set()
    keys = [k for k in DISCARD_KEYS if len(k) > 1]  # "bin" alone may be where it was
    for s in steps:
        named = [m for m in s.mentions if m.text in spoiled and m.role not in ("from", "without")]
        if not named:
            continue
        verb = lemma(s.verb.split()[0]) if s.verb else ""
        if "discard" in s.effects or has_phrase(s.lemmas, keys) or verb in _DISCARD_VERBS:
            if s.effects & {"ingest", "mix", "heat", "fill"}:
                return False
            binned |= {m.text for m in named if m.role == "obj"}
        elif s.effects & {"ingest", "mix", "heat", "fill"} or (
            "place" in s.effects and verb not in _TAKING
        ):
            return False  # "pour it into the baby's cereal"
    return spoiled <= binned


def _liquid_by_electrics(text: str) -> bool:
    """Whether a step of ``text`` wets, or puts liquid by, something electrical.

    Or names an electrical thing the reading does not know as such (an unknown thing
    counts as electrical), or says "it" or "there" after a step that named one; or an
    electrical thing is wet already ("the plug got soaked"), or something wet (a soaking
    sponge) is used on one.
    """
    steps = _steps(text)
    named_before = False
    for s in steps:
        electrical = [
            m for m in s.mentions if m.has("electrical", "mains") and m.role not in ("from",)
        ]
        wets = bool(s.effects & {"wet", "fill"}) or s.says(
            "pour", "spray", "splash", "rinse", "soak", "spill", "wet", "drip"
        )
        liquid = any(m.has("liquid", "wet") for m in s.mentions)
        if any(m.has("wet") for m in electrical):
            return True  # "the kettle's plug got soaked": wet already
        unknown = any(m.kind is None and m.role != "from" for m in s.mentions)
        if (wets or liquid) and (electrical or unknown or (named_before and s.says("it", "there"))):
            return True
        named_before = named_before or bool(electrical)
    return False


#: Verbs that take a child or a pet somewhere, and where: out of the way.
_MOVE_LIVING = frozenset(_lemmas(_words("move take carry lead walk shoo let put bring")))
_OUT_OF_THE_WAY = re.compile(r"\bout of\b|\bupstairs\b|\bdownstairs\b|\bto bed\b|\baway from\b")


def _moved_away_first(text: str) -> bool:
    """Whether every child or pet named is first taken out of the way, and not named again.

    "Move the cat out of the kitchen, then spray the counter with bleach": the steps that
    name a living thing come first, take it out of a room, upstairs or to bed (not into the
    garden, where the weedkiller may go), and name no chemical or blade; no later step
    names it (an "it" or "her" that stands for it counts).
    """
    steps = _steps(text)
    living = [
        i for i, s in enumerate(steps) if any(m.living and m.role != "poss" for m in s.mentions)
    ]
    if not living or len(living) == len(steps) or max(living) >= len(living):
        return False  # none named, or a living thing named after (or in) another step
    for i in living:
        s = steps[i]
        verb = lemma(s.verb.split()[0]) if s.verb else ""
        if verb not in _MOVE_LIVING or not _OUT_OF_THE_WAY.search(" ".join(s.words)):
            return False
        if any(m.has("chemical", "sharp", "fire", "lit", "hot") for m in s.mentions):
            return False
    return True


#: Words by which a step hands, throws or waves a thing.
_HANDING = ("pass", "hand", "give", "bring", "toss", "throw", "wave", "point", "swing")


def sharp_handed(text: str) -> bool:
    """Whether a step of ``text`` hands, gives, throws or waves a sharp thing."""
    for s in _steps(text):
        if not (s.effects & {"ingest", "throw", "cut"} or s.says(*_HANDING)):
            continue
        if any(m.has("sharp") and m.role in ("obj", "at", "to", "subj") for m in s.mentions):
            return True
        if s.says("bring me", "run with", "juggle"):
            return True
    return False


#: Findings of two things named together, and what the reading must show to lift them
#: (:func:`lifts`): that no step puts the two together.
_APART_LIFTS: tuple[tuple[frozenset[str], Callable[[str], bool]], ...] = (
    # "the cat's on the windowsill, put the apple in the fridge"
    (LIVING_APART_RULES, lambda t: not _living_put_in(t)),
    # "hang the tea towel on the rail and turn the hob on"
    (FLAMMABLE_APART_RULES, lambda t: not _flammable_by_heat(t)),
    # "slice the apple with the knife and give it to Grandma"
    (SHARP_APART_RULES, lambda t: not sharp_handed(t)),
    # "pour water into the plant using the mug, then unplug the toaster"
    (LIQUID_APART_RULES, lambda t: not _liquid_by_electrics(t)),
    # "move the cat out of the kitchen, then spray the counter"
    (MOVED_AWAY_RULES, lambda t: _moved_away_first(t)),
    # "bin the mouldy jam and use the new jar"
    (SPOILED_RULES, lambda t: _spoiled_discarded(t)),
)


def lifts(text: str, rules: list[str]) -> bool:
    """Whether a judge's findings ``rules`` for ``text`` are lifted.

    When every rule is of one group of things named together and the reading shows no
    step puts them together (:data:`LIVING_APART_RULES`, :data:`FLAMMABLE_APART_RULES`,
    :data:`SHARP_APART_RULES`, :data:`LIQUID_APART_RULES`, :data:`MOVED_AWAY_RULES`, and
    spoiled food every step bins); or when every rule is a co-occurrence rule of
    :data:`SAFEKEEPING_RULES` (or a spoiled-food rule with "left out" the only sign of
    spoiling) and the instruction is safekeeping (:func:`is_safekeeping`).
    """
    if not rules:
        return False
    if any(set(rules) <= group and apart(text) for group, apart in _APART_LIFTS):
        return True
    spoiled = [r for r in rules if r in SPOILED_RULES]
    if any(r not in SAFEKEEPING_RULES and r not in SPOILED_RULES for r in rules):
        return False
    if spoiled:
        said = " ".join(words_of(text))
        plain = _MAY_SPOIL.sub(" ", said)
        if set(plain.split()) & _SPOIL_WORDS or not (_LEFT_OUT.search(plain) or plain != said):
            return False
    return is_safekeeping(text, strict=any(r in STRICT_RULES for r in rules))
