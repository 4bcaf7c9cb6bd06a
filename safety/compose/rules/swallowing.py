"""What goes in a mouth: food that poisons a pet, choking, allergens, medicine."""

from __future__ import annotations

import re
from collections.abc import Iterable

from housemind.safety._text import lemma
from housemind.safety.compose.reading import Analysis, Mention, Step
from housemind.safety.compose.rules.base import (
    Finding,
    be,
    finding,
    named,
    out_of_reach,
    present_children,
    rule,
    stowed,
)
from housemind.safety.compose.vocab import ALLERGEN_WORDS, DISCARD_KEYS, SAFE_PLACE_KEYS, has_phrase

__all__: list[str] = []


@rule("pet-toxic-food", "pet_toxic_food")
def _pet_food(a: Analysis) -> Iterable[Finding]:
    pets = [
        m
        for s in a.steps
        for m in s.mentions
        if m.has("pet", "animal") and m.role != "without" and not _kept_out(s, m)
    ]
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
    if (
        not effects & {"ingest", "fill", "mix"}
        and a.says("away from", "out of reach", "up high")
        and not any(p.role in ("in", "on") for p in places)
    ):
        return  # "put the grapes bowl on the counter away from the dog's bowl"
    for m in a.mentions():
        if m.role in ("without", "poss", "from") or m.living or m.kind is None or stowed(a, m):
            continue  # "strip the chicken off the bones for the cat": not the bones
        if m.has("medicine") and a.says("vet", "vet prescribed", "prescribed by the vet"):
            continue  # "give the dog his painkiller from the vet"
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
                yield finding(
                    "pet-poison-in-reach",
                    "pet_toxic_food",
                    "confirm",
                    f"{named(m)} {be(m)} poisonous to pets; keep it where they can't reach",
                )
            continue
        who = next((p.text for p in pets), "a pet")
        if effects & {"ingest", "fill", "mix"} or places or a.says("lick", "finish", "share"):
            yield finding(
                "pet-toxic-food",
                "pet_toxic_food",
                "deny",
                f"{named(m)} {be(m)} poisonous to {_plural(who)}; feeding it to "
                f"{'the ' + who if pets else 'a pet'} can make it very ill",
            )
        elif reach:
            yield finding(
                "pet-toxic-in-reach",
                "pet_toxic_food",
                "confirm",
                f"{named(m)} {be(m)} poisonous to {_plural(who)}; left within reach it may be "
                "eaten",
            )
        return


#: "(the cat) stays out", "(the dog) is kept out": a pet kept away from the food.
_KEPT_OUT = re.compile(
    r"^(?:stays?|is kept|are kept|keeps|is shut|are shut|can ?not get|cant get) "
)


def _kept_out(s: Step, m: Mention) -> bool:
    """Whether the words after the pet ``m`` say it is kept out ("so the cat stays out")."""
    after = " ".join(s.after(m)) + " "
    return _KEPT_OUT.match(after) is not None and ("out" in after or "get" in after)


def _plural(w: str) -> str:
    return w if w.endswith("s") else w + "s"


@rule("choking", "choking")
def _choking(a: Analysis) -> Iterable[Finding]:
    babies = [m for m in a.mentions() if m.has("baby")]
    places = a.having("child_place")
    if not babies and not places:
        return
    for s in a.steps:
        for m in s.mentions:
            if m.role in ("without", "poss") or m.living or stowed(a, m):
                continue  # "put the marbles on the top shelf, away from the baby"
            if (
                m.has("strangling")
                and (babies or places)
                and a.says("over", "around", "round", "head", "face", "cot", "crib")
                and not has_phrase(a.lemmas, SAFE_PLACE_KEYS)
            ):
                yield finding(
                    "strangling", "choking", "deny", f"{named(m)} can strangle or suffocate a baby"
                )
                return
            if m.has("choking") and not m.has("cut_small"):
                if places and not babies and m.role not in ("in", "on", "obj"):
                    continue
                yield finding(
                    "choking",
                    "choking",
                    "deny",
                    f"{named(m)} {be(m)} small enough to choke a baby or toddler",
                )
                return


_ALLERGY = re.compile(
    r"(allergic|alergic|allergy|allergies|intolerant|coeliac|celiac|can ?not eat|cant eat|"
    r"can't eat|cannot have|can't have)"
)


#: What an "<allergen>-free" may be said of that means people must not have it: "an
#: egg-free party", "a nut-free school"; not "egg-free rolls" (a food without it).
_FREE_FOR = frozenset(
    {"party", "guest", "guests", "child", "kid", "kids", "diet", "friend", "friends", "class"}
    | {"school", "nursery", "household", "house", "home", "menu", "lunch", "dinner", "meal"}
    | {"classroom", "group", "playdate", "sleepover", "visitor", "visitors", "zone"}
)


def _free_for_people(a: Analysis) -> set[str]:
    """Allergen classes a "<allergen>-free" party, guest or diet rules out."""
    out: set[str] = set()
    for s in a.steps:
        w = s.words
        for i in range(1, len(w)):
            if w[i] == "free" and w[i - 1] in ALLERGEN_WORDS and set(w[i + 1 : i + 3]) & _FREE_FOR:
                out |= ALLERGEN_WORDS[w[i - 1]]
    return out


#: Words that make an exception to that ("no allergies except Sam") or doubt it ("no idea
#: if they are allergic").
_EXCEPT = frozenset(
    {"except", "but", "apart", "besides", "other", "only", "although", "though"}
    | {"if", "whether", "idea", "sure", "know", "knows", "might", "may", "maybe", "perhaps"}
    | {"think", "hope", "check", "ask"}
)


#: Words after "no allergy" that say it is not known: "no allergy info on the label".
_UNKNOWN_ALLERGY = frozenset(
    {"info", "information", "details", "list", "card", "label", "labels", "warning"}
    | {"warnings", "advice", "test", "tests", "check", "checks", "record", "records"}
)


def _no_allergy(words: list[str], i: int) -> bool:
    """Whether the allergy word ``words[i]`` is said to be nobody's, with no exception.

    "Nobody coming tonight has any allergies", "the guests are not allergic to anything";
    not "don't forget she is allergic", "no allergies except Sam's nut allergy" nor "no
    idea if they are allergic".
    """
    if set(words) & _EXCEPT or (i + 1 < len(words) and words[i + 1] in _UNKNOWN_ALLERGY):
        return False  # "no allergy info": not known
    k = i - 1
    while k >= 0 and (words[k] in ("any", "known", "food", "real") or words[k] in ALLERGEN_WORDS):
        k -= 1  # "no known nut allergies"
    if k >= 0 and words[k] in ("no", "not"):
        return True  # "no allergies", "not allergic"
    # "nobody coming tonight has any allergies", "none of the guests are allergic"
    said = " ".join(words[max(0, i - 7) : i])
    return re.search(r"\b(nobody|noone|no one|none)\b.*\b(has|have|is|are)\b", said) is not None


@rule("allergen", "allergens")
def _allergen(a: Analysis) -> Iterable[Finding]:
    low = " ".join(w for s in a.steps for w in s.words)
    free_for = _free_for_people(a)  # "Sam's egg-free birthday party"
    if not _ALLERGY.search(low) and not free_for:
        return
    classes: set[str] = set(free_for)
    stated_at: set[tuple[int, int]] = set()
    said = len(free_for)
    for s in a.steps:
        for i, w in enumerate(s.words):
            if _ALLERGY.match(w) or w in ("coeliac", "celiac"):
                said += 1
                if _no_allergy(s.words, i):
                    said -= 1
                    continue
                # The statement ends where the sentence moves on ("..., so use cream").
                end = i + 5
                for k in range(i + 1, min(i + 5, len(s.words))):
                    if s.words[k] in ("so", "but", "and", "then", "give", "use", "make") or (
                        a.kb is not None
                        and (lemma(s.words[k]),) in a.kb.verbs
                        and (lemma(s.words[k]),) not in a.kb.names
                    ):
                        end = k  # "has a peanut allergy, BAKE her ...": a new sentence
                        break
                window = s.words[max(0, i - 3) : end]
                for x in window:
                    classes |= ALLERGEN_WORDS.get(x, set())
                for m in s.mentions:
                    if i - 2 <= m.start < end and m.kind is not None and m.kind.allergen:
                        classes |= set(m.kind.allergen)
                        stated_at.add((s.index, m.start))
    if not said:
        return  # "nobody coming tonight has any allergies"
    negated = a.says(
        "without", "leave off", "leave out", "instead", "keep away", "keep out", "no ", "free"
    )
    for s in a.steps:
        for m in s.mentions:
            if (s.index, m.start) in stated_at or m.kind is None or m.role in ("without",):
                continue
            if stowed(a, m):
                continue  # "put the peanut butter back in the cupboard"
            if m.start and s.words[m.start - 1] == "free":
                continue  # "the gluten-free flour", "egg-free rolls"
            if s.after(m)[:1] == ["free"]:
                continue  # "the nut free tomato sauce"
            hit = m.kind.allergen & classes if classes else m.kind.allergen
            if not hit:
                continue
            if s.says(
                "without",
                "leave off",
                "leave out",
                "off",
                "keep",
                "instead",
                "separate",
                "on the side",
            ):
                continue  # "put the sesame seeds in a separate bowl"
            if (
                s.says("away from")
                and not s.effects & {"ingest", "mix", "heat"}
                and not any(x.role in ("on", "in") for x in s.mentions)
            ):
                continue  # "move the shrimp paste away from the soup pot" (not onto a plate)
            if negated and not s.effects:
                continue
            verdict = "confirm" if m.role == "from" else "deny"
            if m.kind.is_a("cat"):
                verdict = "confirm"
            yield finding(
                "allergen",
                "allergens",
                verdict,
                f"{named(m)} contains {', '.join(sorted(hit)).replace('_', ' ')}, which "
                "someone here is allergic to",
            )
            return
    if a.says("epipen", "inhaler") and a.says("at home", "behind") and a.says("leave", "forget"):
        yield finding(
            "emergency-medicine-left",
            "allergens",
            "confirm",
            "an allergic person needs their emergency medicine with them",
        )


@rule("medicine", "medicine")
def _medicine(a: Analysis) -> Iterable[Finding]:
    meds = [
        m
        for m in a.mentions()
        if m.has("medicine")
        and m.role not in ("without",)
        and not stowed(a, m)
        and not (m.kind is not None and m.kind.is_a("cupboard"))  # the medicine cabinet
    ]
    if not meds:
        return
    med = meds[0]
    kids = present_children(a) or a.having("child_place")
    lowtext = " ".join(w for s in a.steps for w in s.words)
    if (
        kids
        and not has_phrase(a.lemmas, SAFE_PLACE_KEYS)
        and not out_of_reach(a)
        and not a.says("children", "child dose", "infant", "prescribed", "dose on the box")
        or kids
        and a.says("my", "adult", "grown up")
    ):
        yield finding(
            "medicine-child",
            "medicine",
            "deny",
            f"{named(med)} {be(med)} medicine; a child must not be given it or find it",
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
        yield finding(
            "medicine-dose",
            "medicine",
            "deny",
            f"{named(med)} {be(med)} medicine; the dose is for a doctor to decide, not more",
        )
        return
    if a.having("alcohol") and a.effects() & {"ingest", "place", "mix"}:
        yield finding(
            "medicine-alcohol",
            "medicine",
            "deny",
            f"{named(med)} {be(med)} medicine; with alcohol it can be dangerous",
        )
        return
    if (
        a.says("without telling", "secretly", "sneak", "slip", "hide")
        or (a.effects() & {"mix"} and a.having("food", "drink_container"))
        or a.says("crush")
    ):
        yield finding(
            "medicine-hidden",
            "medicine",
            "confirm" if a.says("crush") else "deny",
            f"{named(med)} {be(med)} medicine; hiding or crushing it in food is for a doctor "
            "to decide",
        )
        return
    poss = re.search(
        r"\b(\w+) _poss_ (?:\w+ ){0,2}(?:medicine|pill|pills|antibiotics|tablets|"
        r"meds|bottle|blood|prescription|heart|sleeping|adhd)",
        lowtext,
    )
    own_place = (
        "ingest" not in a.effects()
        and a.says("his", "her", "their")
        and a.having("container", "medicine", roles=("in",))
    )
    if (
        poss
        and not own_place
        and not a.says("own", "his own", "her own")
        and a.effects() & {"ingest", "place"}
    ):
        yield finding(
            "medicine-not-theirs",
            "medicine",
            "deny",
            f"{named(med)} was prescribed for {poss.group(1)}; giving it to someone else "
            "is for a doctor to decide",
        )
        return
    if med.has("spoiled") and a.effects() & {"ingest"} and not has_phrase(a.lemmas, DISCARD_KEYS):
        yield finding(
            "medicine-expired",
            "medicine",
            "deny",
            f"{named(med)} {be(med)} out of date; expired medicine may not work or may harm",
        )
        return
    if a.says("skip", "stop giving", "stop her", "stop his"):
        yield finding(
            "medicine-skipped",
            "medicine",
            "confirm",
            "stopping prescribed medicine is for a doctor to decide",
        )
        return
    if a.having("pet"):
        return  # the pet rule speaks for pets
    if any(
        s.having("low_place", "floor", roles=("on", "in", "at", "near", "obj"))
        and s.effects & {"place", "leave"}
        for s in a.steps
    ):  # put down where a child reaches, in the step that puts it there
        yield finding(
            "medicine-in-reach",
            "medicine",
            "confirm",
            f"{named(med)} {be(med)} medicine; somewhere low a child or pet may find it",
        )
