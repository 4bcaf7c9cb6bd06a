"""People and animals shut in, locked in or out, exits blocked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from housemind.safety._text import NOT_INSIDE, lemma
from housemind.safety.compose.reading import Analysis, Mention, Step
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule
from housemind.safety.compose.vocab import ENCLOSE_VERBS

__all__: list[str] = []


#: Verbs that with "out" take a living thing out again ("take him out first").
_TAKE = frozenset(lemma(w) for w in ("take", "get", "lift", "let", "pull", "carry", "bring"))


#: "after taking the dog out", "once you've let the cat out": taken out again.
_TAKEN_OUT = re.compile(
    r"\b(?:take|taking|took|taken|get|getting|got|let|letting|lift|lifting)\b(?: \w+){1,3} out\b"
)


def _kept_from(s: Step, m: Mention) -> bool:
    """Whether ``m`` is who a "so ... can't" clause keeps something from.

    "Put my pills in the locked box so the kids won't touch them": the kids are kept
    from the pills, not locked in the box.
    """
    before = s.words[max(0, m.start - 3) : m.start]
    after = s.after(m)[:3]
    return "so" in before and bool(set(after) & {"not", "wont", "cant", "cannot", "never"})


def _said_not_inside(s: Step, m: Mention) -> bool:
    """Whether the words after ``m`` say it is not inside ("after checking the cat is not in")."""
    after = " ".join(s.after(m))
    return NOT_INSIDE.match(after) is not None


@rule("shut-in", "locking_in")
def _shut_in(a: Analysis) -> Iterable[Finding]:
    living = [
        m
        for s in a.steps
        for m in s.mentions
        if m.living
        and m.role not in ("poss", "to", "from")
        and not (m.kind is not None and m.kind.name == "body_part")
        and not _said_not_inside(s, m)
        and not _kept_from(s, m)
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
    started = bool(a.effects() & {"switch_on", "heat"})
    for s in a.steps:
        # "the cat is in the dryer, turn it on": said to be inside, then started or shut.
        inside = [
            m
            for m in s.mentions
            if m.role == "in" and m.has("electrical", "heat_source") and m.has("enclosure")
        ]
        who = [m for m in s.mentions if m.living and m.role in ("subj", "obj", "poss")]
        taken_out = any(
            "out" in t.words and t.verb and lemma(t.verb.split()[0]) in _TAKE
            for t in a.steps[s.index + 1 :]
        )
        if inside and who and (started or closes) and s.verb is None and not taken_out:
            yield finding(
                "shut-in",
                "locking_in",
                "deny",
                f"{named(who[0])} {be(who[0])} alive and inside {named(inside[0])}; starting "
                "or shutting it can kill them",
            )
            return
    if living and encl:
        appliance = [
            e
            for e in encl
            if e.has("electrical", "heat_source") or (e.kind is not None and e.kind.is_a("vehicle"))
        ]
        box = [
            e for e in encl if e.kind is not None and e.kind.name in ("box_enclosure", "cupboard")
        ]
        # A living thing is shut in what its own step names: "we've got friends coming,
        # so put the iron in the cupboard" shuts nobody in.
        step_of = {id(m): s.index for s in a.steps for m in s.mentions}
        steps_encl = {step_of[id(e)] for e in encl}
        into = [
            m for m in living if m.role in ("obj", "in", "with") and step_of[id(m)] in steps_encl
        ]
        appliance = [e for e in appliance if e.role == "in" or closes]
        box = [e for e in box if e.role == "in"]
        if (
            into
            and all(m.has("pet") for m in into)
            and a.having("pet_place", roles=("in",))
            and (not a.leaving or a.says("together", "with us", "with me", "take him", "take her"))
        ):
            # "put the puppy in his travel crate in the car, then we'll drive to the vet
            # together": in its own crate, and not left there
            appliance = [
                e for e in appliance if not (e.kind is not None and e.kind.is_a("vehicle"))
            ]
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
        # Taken or let out in its own step or after it ("put the cat in the car, then let
        # it out"); "take the baby out of the pram and leave her in the car" is shut in.
        first = min((step_of[id(m)] for m in into), default=0)
        out_again = any(
            s.index >= first
            and (
                s.says("out of", "take out", "let out", "get out", "is out", "are out")
                or _TAKEN_OUT.search(" ".join(s.words)) is not None
            )
            for s in a.steps
        )
        if into and (appliance or (box and (closes or "place" in a.effects()))) and not out_again:
            e = (appliance or box)[0]
            yield finding(
                "shut-in",
                "locking_in",
                "deny",
                f"{named(into[0])} {be(into[0])} alive; shut in {named(e)} they can suffocate, "
                "overheat "
                "or be hurt",
            )
            return
        inside = [e for e in encl if e.role == "in"]
        pet_home = all(m.has("pet") for m in into) and a.having("pet_place", roles=("in",))
        if (
            into
            and inside
            and not pet_home  # "put the dog in his crate in the living room overnight"
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
    if living and all(m.has("pet") for m in living) and any(m.has("pet_place") for m in shut):
        # "put the cat in the carrier for the vet trip and shut the door": that is what a
        # carrier is for
        shut = []
    if (
        living
        and closes
        and shut
        and (
            a.says("inside", "still in", "in there", "in it", "in the")
            # "wait until Grandma goes into the pantry, then shut the door behind her and
            # slide the bolt across"
            or (locks and a.says("into the", "behind her", "behind him", "behind them"))
        )
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
