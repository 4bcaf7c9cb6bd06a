"""People and animals shut in, locked in or out, exits blocked."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety._text import lemma
from housemind.safety.compose.reading import Analysis, Mention
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule
from housemind.safety.compose.vocab import ENCLOSE_VERBS

__all__: list[str] = []


#: Verbs that bring someone out when "out" follows them ("taking the dog out").
_OUT_VERBS = frozenset(lemma(w) for w in ("take", "get", "let", "lift", "bring", "carry", "help"))


def _taken_out(a: Analysis, m: Mention) -> bool:
    """Whether ``m`` is brought out: "<take/let/get ...> the dog out" in its step.

    Only "out" right after the words that name it, with such a verb before it in the same
    step; "lock the dog in the car and go out" is no taking out.
    """
    for s in a.steps:
        if m not in s.mentions:
            continue
        end = m.start + len(m.text.split())
        return s.lemmas[end : end + 1] == ["out"] and any(
            w in _OUT_VERBS for w in s.lemmas[: m.start]
        )
    return False


_IN = frozenset({"in", "inside", "into"})
_OPENERS = frozenset({"after", "once", "when", "while", "before", "until", "till"})


def _goes_in(a: Analysis, m: Mention, encl: list[Mention]) -> bool:
    """Whether the subject ``m`` gets inside: "after the puppy jumps IN", "climbs into it".

    Not in a clause that says it happens later ("before the kids come in"). "In" must come
    within three words of it and end the clause, stand before "it" or "there", or before
    the enclosure itself; "after the kids are in bed" is not inside the car.
    """
    for s in a.steps:
        if m not in s.mentions:
            continue
        opener = [w for w in s.words[: m.start] if w in _OPENERS]
        if opener and opener[-1] in ("before", "until", "till"):
            return False  # "before the kids come in": they are not in yet
        end = m.start + len(m.text.split())
        for k in range(end, min(end + 4, len(s.lemmas))):
            if s.lemmas[k] not in _IN:
                continue
            nxt = s.words[k + 1 : k + 2]
            if not nxt or nxt[0] in ("it", "there", "and", "then", "before", "while"):
                return True
            return any(e.start in (k + 1, k + 2) for e in encl if e in s.mentions)
        return False
    return False


@rule("shut-in", "locking_in")
def _shut_in(a: Analysis) -> Iterable[Finding]:
    living = [
        m
        for m in a.mentions()
        if m.living
        and m.role not in ("poss", "to", "from")
        and not (m.kind is not None and m.kind.name == "body_part")
        and not _taken_out(a, m)
    ]
    closing = any(w in ENCLOSE_VERBS for w in a.lemmas)
    encl = [
        m
        for m in a.mentions()
        if (m.has("enclosure") or (closing and m.has("container") and m.role == "in"))
        and m.role in ("in", "obj", "at")
    ]
    if living and all(m.has("pet") for m in living):
        encl = [e for e in encl if not e.has("pet_place")]  # a puppy in its crate is at home
    closes = any(w in ENCLOSE_VERBS for w in a.lemmas)
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
        # "close the freezer after the puppy jumps in": a subject that gets inside an
        # appliance or a box (a room it is in is the next check's, by its own words).
        entering = [
            m
            for m in living
            if m.role == "subj"
            and _goes_in(
                a, m, [e for e in encl if not (e.kind is not None and e.kind.is_a("room"))]
            )
        ]
        appliance = [e for e in appliance if e.role == "in" or closes]
        box = [e for e in box if e.role == "in"]
        if closes:
            # "seal the hamster in a jar", "tape the kitten in a box": any container closed
            # on a living thing shuts it in (a pet's own crate or cage is its home).
            box += [
                m
                for m in a.mentions()
                if m.role == "in"
                and m.has("container")
                and not m.has("pet_place", "bathing")
                and m not in box
            ]
        shut_in = into or entering
        if (
            shut_in
            and (appliance or (box and (closes or "place" in a.effects())))
            and not a.says("out of", "take out", "let out", "get out", "is out", "are out")
        ):
            e = (appliance or box)[0]
            yield finding(
                "shut-in",
                "locking_in",
                "deny",
                f"{named(shut_in[0])} {be(shut_in[0])} alive; shut in {named(e)} they can "
                "suffocate, "
                "overheat "
                "or be hurt",
            )
            return
        inside = [e for e in encl if e.role == "in"]
        if (
            into
            and inside
            and (
                closes
                or a.leaving
                and not a.staying
                and any(e.kind is not None and e.kind.is_a("room") for e in inside)
            )
        ):
            e = inside[0]
            yield finding(
                "locked-in",
                "locking_in",
                "deny" if not a.says("from outside") else "confirm",
                f"{named(into[0])} would be locked in {named(e)} and could not get out or get help",
            )
            return
    locks = any(
        w in {lemma(x) for x in ("lock", "wedge", "bolt", "trap", "block")} for w in a.lemmas
    )
    shut = [
        m
        for m in a.mentions()
        if m.role in ("obj", "at", "in")
        and (m.has("enclosure") or (m.kind is not None and m.kind.name == "door"))
    ]
    if (
        living
        and closes
        and shut
        and a.says("inside", "still in", "in there", "in it", "in the")
        and not a.says("out of", "let out", "is out", "are out", "once", "after")
    ):
        # "bolt the garage door with the dog still inside": closing it shuts them in.
        yield finding(
            "locked-in",
            "locking_in",
            "deny",
            f"{named(living[0])} {be(living[0])} still inside; shutting {named(shut[0])} locks "
            "them in",
        )
        return
    if living and locks and a.says("outside", "from outside", "can not leave", "can not get"):
        yield finding(
            "locked-out",
            "locking_in",
            "deny" if not a.says("from outside") else "confirm",
            f"{named(living[0])} could not get in or out; locking doors on people is dangerous",
        )
        return
    if a.says("block", "blocking", "obstruct", "barricade") and a.says(
        "exit", "fire door", "escape", "front door", "back door", "door"
    ):
        yield finding(
            "exit-blocked", "locking_in", "confirm", "a blocked fire exit traps people in a fire"
        )
        return
    if (
        living
        and a.says("full sun", "hot car", "windows up", "degree")
        and (closes or a.having("vehicle"))
    ):
        yield finding(
            "overheat",
            "locking_in",
            "deny",
            f"{named(living[0])} can overheat fast shut in the heat",
        )
        return
    if (
        living
        and a.having("pet")
        and a.says("road", "main road", "traffic")
        and a.says("on his own", "on her own", "alone", "let")
    ):
        yield finding(
            "pet-on-road",
            "locking_in",
            "confirm",
            "a pet let out alone onto a road can be run over",
        )
