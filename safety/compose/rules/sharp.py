"""Sharp things near people, pointed or thrown at them, or left out."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis, Mention, Step
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule, stowed

__all__: list[str] = []


def _by_hand(s: Step, m: Mention) -> bool:
    """Whether ``m`` is the hand of "by hand" (how it is done, not a hand by the blade)."""
    return m.text in ("hand", "hands") and m.start > 0 and s.words[m.start - 1] == "by"


#: Verbs that clear a sharp thing away ("sweep up the broken glass").
_CLEARING = frozenset({"sweep", "hoover", "vacuum", "clear", "tidy", "collect", "gather", "bin"})
#: Where a sharp thing is put away ("in the drawer", "back in the block").
_SHARP_STORES = frozenset(
    {"drawer", "drawers", "cabinet", "box", "block", "sheath", "toolbox", "case", "holder"}
)


@rule("sharp-near-people", "sharp_people")
def _sharp(a: Analysis) -> Iterable[Finding]:
    sharp = [
        m
        for s in a.steps
        for m in s.mentions
        if m.has("sharp")
        and m.role not in ("without",)
        and not stowed(a, m)
        # "sweep up the broken glass": cleared away, not used
        and not (
            s.verb
            and s.verb.split()[0] in _CLEARING
            and m.role == "obj"
            and not any(x.living for x in s.mentions)  # not "sweep it towards the baby"
        )
    ]
    things = [m for s in a.steps for m in s.mentions if not _by_hand(s, m)]
    living = [m for m in things if m.living and m.role not in ("poss", "from")]
    body = [m for m in things if m.kind is not None and m.kind.name == "body_part"]
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
                yield finding(
                    "sharp-pointing",
                    "sharp_people",
                    "confirm",
                    f"{named(s0)} {be(s0)} sharp; blade or point towards people can cut them",
                )
                return
        if (living or body) and (
            "throw" in eff or a.says("wave", "point", "swing", "poke", "stab", "jab")
        ):
            yield finding(
                "sharp-at-people",
                "sharp_people",
                "deny",
                f"{named(s0)} {be(s0)} sharp; {('waving, pointing or throwing it at')} people can "
                "cut them",
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
            yield finding(
                "sharp-near-people",
                "sharp_people",
                "deny" if body else "confirm",
                f"{named(s0)} {be(s0)} sharp; using it right by someone can cut them",
            )
            return
        if body and eff & {"cut", "harm"}:
            yield finding(
                "sharp-on-body",
                "sharp_people",
                "deny",
                f"{named(s0)} {be(s0)} sharp; using it on a person can cut them",
            )
            return
        low = [
            m
            for m in a.having("soft_furnishing", "low_place", "high_place", "child_place")
            if m.role not in ("from", "without")  # "sweep the glass up from the floor"
        ]
        if (
            low
            and eff & {"place", "leave"}
            and not any(
                m.role != "from" and m.text.split()[-1] in _SHARP_STORES for m in a.mentions()
            )  # "put the knife in the drawer", not "take it from the drawer"
        ):
            yield finding(
                "sharp-left-out",
                "sharp_people",
                "confirm",
                f"{named(s0)} {be(s0)} sharp; left on {named(low[0])} someone can cut themselves",
            )
            return
    else:
        if (
            body
            and eff & {"cut"}
            and not a.says("hand first", "handle first")
            and (near or any(m.role in ("on", "obj") for m in body))
            and a.says("chop", "cut", "carve", "slice", "open")
        ):
            yield finding(
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
            yield finding(
                "cutting-near-people",
                "sharp_people",
                "confirm",
                "cutting right next to someone can cut them",
            )
