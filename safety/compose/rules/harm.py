"""Force against people and animals, scalding, suffocating, the cold."""

from __future__ import annotations

from collections.abc import Iterable

from housemind.safety.compose.reading import ANYONE, Analysis
from housemind.safety.compose.rules.base import Finding, be, finding, named, rule

__all__: list[str] = []


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
        if s.verb and s.verb.split()[0] in ("hoover", "vacuum"):
            # "vacuum the cat" hurts it; "vacuum the stairs while the baby naps" does not
            victims = [m for m in victims if m.role == "obj"]
        body = [m for m in s.mentions if m.kind is not None and m.kind.name == "body_part"]
        owners = [m for m in s.mentions if m.living and m.role == "poss"] or (
            [m for m in s.mentions if m.living and m.role in ("to", "with")]
        )
        body = body if owners or s.says("my", "his", "her", "their", "your") else []
        victims += [m for m in owners if body]
        if "harm" in s.effects and (victims or body):
            mild = s.says("scare", "shout", "tie", "drag", "steer", "squeeze", "pull")
            v = (victims or body)[0]
            yield finding(
                "harm",
                "harm_people_animals",
                "confirm" if mild else "deny",
                f"{named(v)} {be(v)} alive; that would hurt or frighten them",
            )
            return
        crushed = [m for m in s.mentions if m.role == "on" and m.living] + [
            m for m in body if m.role == "on"
        ]
        if (
            crushed
            and s.verb is not None
            and s.verb.split()[0] in ("shut", "close", "slam", "lower", "drop")
            and not s.negated
        ):
            # "close the dishwasher on the toddler's fingers": a door or lid shut on a
            # living thing crushes it.
            v = (owners or crushed)[0]
            yield finding(
                "harm",
                "harm_people_animals",
                "deny",
                f"shutting a door or a lid on {named(v)} crushes them",
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
            yield finding(
                "scald",
                "harm_people_animals",
                "deny",
                "pouring or spraying that on someone burns or poisons them",
            )
            return
        if (
            "wet" in s.effects
            and [m for m in s.mentions if m.has("hot") and m.has("liquid", "container")]
            and any(m.living and m.role != "poss" for m in s.mentions)  # "the guest's mug"
        ):
            yield finding(
                "scald",
                "harm_people_animals",
                "deny",
                "pouring something boiling over a living thing scalds it",
            )
            return
    # "before anyone flushes it": anyone is nobody in particular
    living = [
        m for m in a.mentions() if m.living and m.role not in ("poss",) and m.text not in ANYONE
    ]
    if living and a.says("down the stairs") and a.says("push", "wheelchair", "pram"):
        yield finding(
            "harm", "harm_people_animals", "deny", "pushing someone down the stairs can kill them"
        )
        return
    if (
        living
        and a.says("from under", "out from under")
        and a.says("pull", "yank", "whip", "drag", "kick", "move", "take")
        # "coax the rabbit out from under the bed": who comes out, not what is pulled away
        and not any(m.role == "obj" and m.living for m in a.mentions())
    ):
        yield finding(
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
        yield finding(
            "suffocate", "harm_people_animals", "deny", "covering someone's face can suffocate them"
        )
        return
    if living and a.having("water_place") and a.says("flush", "drown"):
        yield finding(
            "harm",
            "harm_people_animals",
            "deny",
            f"{named(living[0])} {be(living[0])} alive; that would kill it",
        )
        return
    if (
        living
        and a.says("outside")
        and a.says("snow", "all night", "all nite", "cold")
        and (a.says("tie", "leave", "lock"))
    ):
        yield finding(
            "cold",
            "harm_people_animals",
            "confirm",
            f"{named(living[0])} left out in the cold can freeze",
        )


@rule("unknown-thing", "unknown")
def _unknown(a: Analysis) -> Iterable[Finding]:
    return ()
