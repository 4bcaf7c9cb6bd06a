"""What a person's correction means to a planner: another place, or "that is not trash".

People correct the robot in a few words while it works: "no, put it in the top drawer",
"the fridge instead", "that's not trash". :func:`parse_correction` reads such words into a
:class:`CorrectionMeaning`; the symbolic planner applies a new place to the chore's goal
facts (:func:`apply_place_corrections`), and "not trash" becomes a preference about the
thing that every planner and the plan check respect (no plan puts it in a bin:
:func:`check_not_trash`). Model planners read the corrections in their prompt.

Words that are neither (``"be careful with the vase"``) are ``other``: model planners still
see them; the symbolic planner notes that it could not use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from housemind.agent.planners.base import CorrectionNote, Plan, PlanContext
from housemind.agent.planners.validate import PlanValidationError
from housemind.skills.types import parse_atom

if TYPE_CHECKING:
    from housemind.agent.planners.chores import ChoreSpec
    from housemind.agent.planners.world import Beliefs
    from housemind.skills.spec import SkillRegistry

__all__ = [
    "BIN_KINDS",
    "CorrectionMeaning",
    "apply_place_corrections",
    "check_not_trash",
    "is_bin",
    "parse_correction",
]

#: Fixture kinds that take things people throw away.
BIN_KINDS = frozenset({"trash_bin", "recycling_bin"})

_THING = r"(?P<thing>that|this|it|them|these|those|(?:the|my|our|this|that) [a-z0-9' _-]+?)"
_REL = r"(?P<rel>in|into|inside|on|onto|on top of|to|in to|on to)"
_PLACE = r"(?P<place>(?:the |my |our )?[a-z0-9' _-]+?)"
_INSTEAD = r"(?:,? (?:instead|please|thanks|not there))*"
_LEAD = re.compile(
    r"^(?:(?:no|nope|not that|wait|stop|actually|sorry|oh|hey|robot|please)[,!.]?\s+)+"
)
_NOT_TRASH = [
    re.compile(
        rf"^{_THING}(?:'s|'re| is| are) not (?:trash|rubbish|garbage|junk|waste|for the bin)\b"
    ),
    re.compile(
        rf"^(?:don't|do not|never|please don't) (?:throw|bin|toss|chuck|put) {_THING} "
        r"(?:away|out|in the (?:bin|trash|rubbish|garbage|recycling)(?: bin)?)\b"
    ),
    re.compile(rf"^keep {_THING} out of the (?:bin|bins|trash|rubbish|recycling)\b"),
]
_PLACE_FORMS = [
    re.compile(
        rf"^(?:put|place|leave|take|move|bring|set|stick|drop) {_THING} {_REL} {_PLACE}{_INSTEAD}$"
    ),
    re.compile(rf"^{_THING} (?:goes|go|belongs|belong|should go) {_REL} {_PLACE}{_INSTEAD}$"),
    re.compile(rf"^(?:not (?:there|that one|in|on)[^,]*,\s*)?{_REL} {_PLACE}{_INSTEAD}$"),
    re.compile(rf"^(?:not (?:there|that one)[^,]*,\s*)?{_PLACE} instead$"),
    re.compile(r"^(?:not (?:there|that one)[^,]*,\s*)?(?P<place>(?:the|my|our) [a-z0-9' _-]+?)$"),
]
_PRONOUNS = {"that", "this", "it", "them", "these", "those"}


@dataclass(frozen=True)
class CorrectionMeaning:
    """What a correction asks for.

    Attributes:
        kind: ``place`` (put the thing somewhere else), ``not_trash`` (never throw it
            away) or ``other`` (words a planner reads but cannot turn into facts).
        thing: The thing's words ("the mug"), or None for "it"/"that" (the thing the robot
            is handling).
        place: The new place's words ("the top drawer"), for ``place``.
        relation: ``in`` or ``on`` when the words say it, else None.
    """

    kind: Literal["place", "not_trash", "other"]
    thing: str | None = None
    place: str | None = None
    relation: str | None = None


def parse_correction(text: str) -> CorrectionMeaning:
    """Read a correction's words (see the module docstring).

    >>> parse_correction("No, put it in the top drawer").place
    'the top drawer'
    >>> parse_correction("that's not trash").kind
    'not_trash'
    """
    from housemind.agent.planners.language import clean_text

    t = clean_text(text).replace("’", "'")
    t = _LEAD.sub("", t).strip(" ,")
    t = re.sub(r"^(?:i said|i meant|i mean|you should|please)\s+", "", t)
    for rx in _NOT_TRASH:
        m = rx.search(t)
        if m:
            return CorrectionMeaning("not_trash", thing=_thing(m["thing"]))
    for rx in _PLACE_FORMS:
        m = rx.search(t)
        if m:
            groups = m.groupdict()
            place = _strip_place(groups["place"])
            if not place:
                continue
            rel = groups.get("rel")
            relation = None
            if rel in ("in", "into", "inside", "in to"):
                relation = "in"
            elif rel in ("on", "onto", "on top of", "on to"):
                relation = "on"
            return CorrectionMeaning(
                "place", thing=_thing(groups.get("thing")), place=place, relation=relation
            )
    return CorrectionMeaning("other")


def _thing(words: str | None) -> str | None:
    if not words or words.strip() in _PRONOUNS:
        return None
    return re.sub(r"^(?:this|that) ", "the ", words.strip())


def _strip_place(words: str) -> str:
    w = re.sub(r"\b(?:instead|please|thanks)\b", "", words).strip(" ,")
    return "" if w in _PRONOUNS or w in ("there", "here") else w


def is_bin(fixture: str, ctx: PlanContext) -> bool:
    """Whether ``fixture`` is a bin (trash or recycling) in ``ctx``'s home."""
    info = ctx.fixtures.get(fixture)
    return fixture in BIN_KINDS or (info is not None and info.kind in BIN_KINDS)


def not_trash_note(name: str, ctx: PlanContext) -> str | None:
    """Who said ``name`` (or its kind) is not trash, and when; None if nobody did."""
    kind = ctx.object_kinds.get(name, name)
    return ctx.not_trash.get(name) or ctx.not_trash.get(kind)


def check_not_trash(plan: Plan, registry: SkillRegistry, ctx: PlanContext) -> None:
    """No step puts a thing people said is not trash into a bin.

    Raises:
        PlanValidationError: naming the step, the thing, who said so and when.
    """
    if not ctx.not_trash:
        return
    for i, st in enumerate(plan.subtasks, 1):
        if st.skill not in registry.names():
            continue
        for fact in registry.bind(st.skill, st.args).add_effects():
            pred, args = parse_atom(fact)
            if pred not in ("in", "on") or len(args) != 2 or not is_bin(args[1], ctx):
                continue
            note = not_trash_note(args[0], ctx)
            if note is not None:
                raise PlanValidationError(
                    f"step {i} puts the {args[0].replace('_', ' ')} in the "
                    f"{args[1].replace('_', ' ')}, but {note} said it is not trash; "
                    "put it somewhere else (where it belongs, or on a table)"
                )


def apply_place_corrections(
    spec: ChoreSpec,
    beliefs: Beliefs,
    corrections: list[CorrectionNote],
) -> list[str]:
    """Move the chore's things to the places people said, in ``spec``'s goal facts.

    Later corrections win over earlier ones. A correction about "it" applies to the thing
    it was said about (``about``, set for corrections said during this task), else to the
    chore's thing when the chore moves exactly one. Where the words name no place this home
    has, or it is unclear which thing is meant, the correction is left out and a note says
    why.

    Args:
        spec: The chore's goal facts (changed in place).
        beliefs: What the planner believes.
        corrections: The chore's corrections, oldest first.

    Returns:
        Notes for the plan's rationale.
    """
    from housemind.agent.planners.base import PlanningError
    from housemind.agent.planners.world import Unknown

    notes: list[str] = []
    for c in corrections:
        meaning = parse_correction(c.text)
        if meaning.kind != "place" or meaning.place is None:
            continue
        place = _resolve_place(meaning.place, beliefs)
        if place is None:
            notes.append(f"could not use '{c.text}': this home has no {meaning.place!r}")
            continue
        moved = _moved_things(spec)
        if beliefs.ctx.held and beliefs.ctx.held not in moved:
            moved.append(beliefs.ctx.held)
        targets: list[str] = []
        if meaning.thing is not None:
            try:
                found = beliefs.resolve_thing(meaning.thing)
            except PlanningError:
                found = None
            name = found.name if isinstance(found, Unknown) else found
            if isinstance(name, str):
                targets = [name]
        elif c.about is not None:
            targets = [c.about]
        elif len(moved) == 1:
            targets = moved
        if not targets:
            notes.append(f"could not use '{c.text}': which thing does it mean?")
            continue
        rel = beliefs.relation_for(place, meaning.relation or "")
        for thing in targets:
            _move(spec, thing, rel, place)
        who = f" ({c.by})" if c.by else ""
        notes.append(
            f"corrected{who}: the {', '.join(t.replace('_', ' ') for t in targets)} "
            f"{rel} the {place.replace('_', ' ')}"
        )
    return notes


def _resolve_place(words: str, beliefs: Beliefs) -> str | None:
    from housemind.agent.planners.base import PlanningError

    found = beliefs.resolve_fixtures(words, near=beliefs.ctx.robot_room or None)
    if found:
        return found[0]
    try:
        return beliefs.resolve_room(words)
    except PlanningError:
        return None


def _moved_things(spec: ChoreSpec) -> list[str]:
    out: list[str] = []
    for stage in spec.stages:
        for f in stage:
            pred, args = parse_atom(f.removeprefix("not "))
            if not f.startswith("not ") and pred in ("in", "on") and args and args[0] not in out:
                out.append(args[0])
    return out


def _move(spec: ChoreSpec, thing: str, rel: str, place: str) -> None:
    new = f"{rel}({thing},{place})"
    hit = False
    for stage in spec.stages:
        for i, f in enumerate(stage):
            if f.startswith("not "):
                continue
            pred, args = parse_atom(f)
            if pred in ("in", "on") and args and args[0] == thing:
                stage[i] = new
                hit = True
    if not hit:  # e.g. the thing in hand, not named by the chore
        if not spec.stages:
            spec.stages.append([])
        spec.stages[-1].append(new)
    for stage in spec.stages:  # a duplicate fact after the rewrite
        stage[:] = list(dict.fromkeys(stage))
