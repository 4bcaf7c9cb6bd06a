"""Fragile, heavy, hot or sharp things thrown, dropped, smashed or left on an edge."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import Analysis, Mention, kind_of_unknown
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule

__all__: list[str] = []


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
        into = s.role("in") + [m for m in s.role("on") if m.has("fire")]
        if (
            into
            and not s.says("from", "across the room")
            and not any(m.living for m in into)
            and not any(m.has("fragile") for m in s.role("obj"))
        ):
            continue  # "drop it in the bin", "throw another log on the fire" put it there
        if s.having("liquid", roles=("obj", "of")) or ("wet" in s.effects and s.having("liquid")):
            continue  # "throw water on ...", "chuck a glass of water over ..." wets
        objs = [m for m in s.role("obj") if not m.living and not m.has("food")] or [
            m for m in s.mentions if m.pronoun and not m.living and not m.has("food")
        ]  # cracking eggs and crushing nuts is cooking
        people = [
            m
            for m in s.mentions
            if m.living
            and m.role in ("at", "to", "on", "near", "in")
            and "for" not in s.words[max(0, m.start - 2) : m.start]  # "a ball for the dog"
        ]
        aimed = [m for m in s.having("fragile", "valuable", "electrical", roles=("at",))]
        if "throw" in s.effects and aimed and not people:
            # "kick the ball at the glass door": what is aimed at breaks, whatever flies.
            yield finding(
                "throw-at-fragile",
                "breakables_throwing",
                "confirm",
                f"{named(aimed[0])} {be(aimed[0])} {_props_words(aimed[0]) or 'breakable'}; "
                "throwing or "
                "kicking something at it can break it",
            )
            continue
        for o in objs:
            kind_of_unknown(a, o)
            risky = o.has("fragile", "heavy", "valuable", "hot", "sharp", "electrical", "lit")
            if people and o.has("heavy", "sharp", "hot", "lit"):
                yield finding(
                    "throw-at-living",
                    "breakables_throwing",
                    "deny",
                    f"{named(o)} {be(o)} {_props_words(o)}; throwing or dropping it at "
                    f"{named(people[0])} can hurt them",
                )
            elif risky or people:
                yield finding(
                    "throw-fragile-heavy",
                    "breakables_throwing",
                    "confirm",
                    f"{named(o)} {be(o)} {_props_words(o) or 'breakable'}; "
                    f"{'breaking' if 'break' in s.effects else 'throwing or dropping'} "
                    "it can break it or hurt someone",
                )
        if (
            "place" in s.effects
            and s.says("edge")
            and not s.says("back from the edge", "away from the edge", "from the edge")
        ):
            for o in s.having("heavy", "fragile", roles=("obj",)):
                yield finding(
                    "falls-off-edge",
                    "breakables_throwing",
                    "confirm",
                    f"{named(o)} {be(o)} {_props_words(o)}; on an edge it can fall",
                )
    for s in a.steps:
        if (
            "place" in s.effects
            and s.says("edge")
            and not s.effects & {"throw", "break"}
            and not s.says("back from the edge", "away from the edge", "from the edge")
        ):
            for o in s.having("heavy", "fragile", roles=("obj",)):
                yield finding(
                    "falls-off-edge",
                    "breakables_throwing",
                    "confirm",
                    f"{named(o)} {be(o)} {_props_words(o)}; on an edge it can fall and break "
                    "or hurt someone",
                )


def _props_words(m: Mention) -> str:
    words = [
        p.replace("_", " ")
        for p in ("heavy", "fragile", "sharp", "hot", "electrical", "valuable", "lit")
        if m.has(p)
    ]
    return " and ".join(words[:2])
