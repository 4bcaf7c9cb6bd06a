"""Asking a person for help when a chore is stuck, and acting on the answer.

After bounded retries the task graph does not fail at once: when the planner cannot find a
thing ("cannot find the watering can: looked in ..."), holds something it knows no place
for, or the same step failed :data:`MAX_ATTEMPTS` times in a row, :func:`need_help` words a
specific question ("I can't find the watering can; where is it?"); a spill on the floor in
the only way to where a step must go is asked about at once ("could you wipe it up,
please?"), since trying again cannot get past it, and so is a person who stood in the only
way all the while the robot waited ("alex, could you let me past to the sink, please?").
The task pauses on it
through the same interrupt as a check-in (``housemind answer TASK_ID "..."``; in
simulation the resident answers when at home, truthfully). :class:`HelpDesk` reads a place
out of the answer, remembers it (where the thing was said to be, or where it belongs, with
who and when), and the task plans again. No answer before the wait times out ends the
task as failed, with the question in the reason; a task asks at most :data:`MAX_HELP`
times.

Failures a person cannot fix by answering (a chore in words no method understands, a
place the home does not have) fail as before, with the planner's reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from housemind.agent.planners.base import PlanContext, PlanningError, Subtask

__all__ = [
    "MAX_ATTEMPTS",
    "MAX_HELP",
    "UNREACHABLE_AFTER",
    "HelpDesk",
    "holder_in_answer",
    "in_use",
    "need_help",
    "place_in_answer",
    "subtasks_done",
    "in_the_way",
    "unreachable",
]

#: The same step failing this many times in a row is being stuck.
MAX_ATTEMPTS = 3
#: Questions one task may ask before it gives up.
MAX_HELP = 2

_CANNOT_FIND = re.compile(r"cannot find the ([a-z0-9 _'-]+?): looked in ([^;]+)")
#: A floor hazard (a spill) in the only way to where the robot must go.
_HAZARD_IN_WAY = re.compile(
    r"no way to the ([a-z0-9 _'-]+?) that keeps off the floor hazards \(([^)]+)\)"
)
#: A person standing in the only way (HomeSim's navigation says who and what kind).
_PERSON_IN_WAY = re.compile(
    r"(?P<who>[a-z0-9_]+) \((?P<kind>adult|child|person)\) is standing .*? and blocks the only "
    r"way to the (?P<target>[a-z0-9 _'-]+?);"
)
#: A person standing where the robot would stand to pick (place, open...) something.
_PERSON_AT_SPOT = re.compile(
    r"within reach from which to (?P<what>[a-z0-9 _'-]+?) \(waited [0-9.]+ s\): "
    r"(?P<who>[a-z0-9_]+) \((?P<kind>adult|child|person)\b"
)
_NO_PLACE = re.compile(r"holding the ([a-z0-9 _'-]+?) and knows no place to put it down")
_PREPOSITIONS = re.compile(
    r"\b(?:in|inside|into|on|onto|on top of|under|underneath|behind|beside|next to|near|by|"
    r"at)\s+(?P<place>(?:the |my |our |a )?[a-z0-9' _-]+?)(?=$|[,.;!?]| and | but | i | it )"
)


#: "alex has it", "sam's using it", "I have it", "my daughter is holding it".
_HAS_IT = re.compile(
    r"^\s*(?:it's |it is |she's |he's )?(?:with )?(?P<who>[a-z][a-z_]*)\s*"
    r"(?:has (?:got )?|'s got |is using |'s using |is holding |'s holding |have )(?:it|them)\b"
    r"|^\s*(?:it's |it is )?with (?P<with>[a-z][a-z_]*)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_NOT_PEOPLE = frozenset({"it", "that", "this", "nobody", "noone", "someone", "who", "what"})


def holder_in_answer(answer: str, by: str | None = None) -> str | None:
    """Who has the thing, when a person's answer says so ("alex has it"), else None.

    Args:
        answer: The answer to "where is the X?".
        by: Who answered ("I have it" is them; None: unknown, so no holder).
    """
    m = _HAS_IT.search(answer.strip())
    if m is None:
        return None
    who = (m["who"] or m["with"]).lower()
    if who in ("i", "me"):
        return by.lower() if by else None
    return None if who in _NOT_PEOPLE else who


def need_help(
    goal: str,
    reason: str,
    outcomes: list[dict[str, Any]] | None = None,
) -> dict[str, Any] | None:
    """The question to ask when a chore is stuck, or None when a person's answer cannot help.

    Args:
        goal: The chore.
        reason: Why planning failed (the planner's message), or "" after a failed step.
        outcomes: The task's subtask outcomes so far, oldest first (for repeated failures).

    Returns:
        ``{"kind", "thing", "question", "reason"}``: ``kind`` is ``find`` (where is a
        thing), ``place`` (where does a held thing go), ``hazard`` (a spill blocks the only
        way: please wipe it up), ``make_way`` (a person stands in the only way, or where
        the robot must stand to reach a thing: could you let me past / make room?) or
        ``stuck`` (a step keeps failing).
    """
    last = outcomes[-1] if outcomes else {}
    failure = str(last.get("reason", "")) if last.get("status") != "success" else ""
    m = _HAZARD_IN_WAY.search(reason or failure)
    if m:
        # Driving round or through it again does not help: a person can wipe it up.
        target, hazards = m[1].replace("_", " "), m[2]
        return {
            "kind": "hazard",
            "thing": None,
            "question": f"There is a spill on the floor in my way to the {target} "
            f"({hazards}); could you wipe it up, please?",
            "reason": m[0],
        }
    m = _PERSON_IN_WAY.search(reason or failure) or _PERSON_AT_SPOT.search(reason or failure)
    if m:
        # Waiting did not clear the way (or the spot to reach a thing from): say "excuse
        # me" to them by name, as a person would.
        if "target" in m.re.groupindex:
            ask = f"let me past to the {m['target'].replace('_', ' ')}"
        else:
            ask = f"make room for me to {m['what'].replace('_', ' ')}"
        return {
            "kind": "make_way",
            "thing": None,
            "question": f"{m['who']}, could you {ask}, please?",
            "reason": m[0].rstrip(";"),
        }
    m = _CANNOT_FIND.search(reason)
    if m:
        thing, looked = m[1].strip(), m[2].strip()
        return {
            "kind": "find",
            "thing": thing.replace(" ", "_"),
            "question": f"I can't find the {thing} (I looked in {looked}); where is it?",
            "reason": reason,
        }
    m = _NO_PLACE.search(reason)
    if m:
        thing = m[1].strip()
        return {
            "kind": "place",
            "thing": thing.replace(" ", "_"),
            "question": f"I'm holding the {thing} and don't know where it goes; "
            "where should I put it?",
            "reason": reason,
        }
    tail = _failed_in_a_row(outcomes or [])
    if tail is not None:
        last, n = tail
        thing = last.get("args", {}).get("object") or last.get("args", {}).get("target")
        what = f"where is the {str(thing).replace('_', ' ')}, or " if thing else ""
        why = f" ({last['reason']})" if last.get("reason") else ""
        return {
            "kind": "stuck",
            "thing": thing,
            "question": f"I tried to {last.get('text') or last.get('skill')} {n} times and it "
            f"did not work{why}; {what}what should I do?",
            "reason": f"'{last.get('text') or last.get('skill')}' failed {n} times{why}",
        }
    return None


#: A thing whose pick failed this often in one task for want of reach is left out.
UNREACHABLE_AFTER = 2
_REACH_FAILURE = re.compile(r"within reach|beyond reach|could not line up")


def unreachable(outcomes: list[dict[str, Any]]) -> list[str]:
    """Things whose pick (or unload) failed :data:`UNREACHABLE_AFTER` times for want of reach.

    A thing squeezed in where the gripper cannot get at it (behind others on a crowded
    counter) stays out of reach however often the robot drives up to it; a chore that
    keeps trying never finishes the rest. The planner leaves such things out.

    Args:
        outcomes: The task's subtask outcomes, oldest first.
    """
    counts: dict[str, int] = {}
    for thing, reason in _failed_picks(outcomes):
        if _REACH_FAILURE.search(reason):
            counts[thing] = counts.get(thing, 0) + 1
    return sorted(t for t, n in counts.items() if n >= UNREACHABLE_AFTER)


def _failed_picks(outcomes: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """``(thing, reason)`` of each failed pick (or unload), oldest first."""
    for o in outcomes:
        if o.get("skill") not in ("pick", "unload") or o.get("status") == "success":
            continue
        thing = (o.get("args") or {}).get("object")
        if thing:
            yield str(thing), str(o.get("reason", ""))


#: What a manipulation says after holding still for someone in the way (HomeSim's experts:
#: "no free spot within reach from which to pick the pants (waited 8 s): rex (dog, ...)").
_IN_THE_WAY = re.compile(r"within reach from which to .*?\(waited [0-9.]+ s\): (.+)$")


def in_the_way(outcomes: list[dict[str, Any]]) -> dict[str, str]:
    """Things whose pick failed because a person or pet took the only spots within reach.

    Each maps to the newest such reason's account of who is in the way and what to do
    ("rex (dog, asleep) is in the living room ..., where the robot would stand; come back
    when rex has moved"), for the person's report when the planner leaves the thing out.

    Args:
        outcomes: The task's subtask outcomes, oldest first.
    """
    out: dict[str, str] = {}
    for thing, reason in _failed_picks(outcomes):
        m = _IN_THE_WAY.search(reason)
        if m:
            out[thing] = m[1]
    return out


#: "the ball is with sam, who is using it", "cannot pick the mug: alex is using it".
_IN_USE = re.compile(
    r"\bthe ([a-z0-9_]+) is with ([a-z0-9_]+), who is using it"
    r"|\bcannot pick the ([a-z0-9_]+): ([a-z0-9_]+) is using it"
)


def in_use(outcomes: list[dict[str, Any]]) -> dict[str, str]:
    """Things a step of this task found in a person's hands, each with who has it.

    A child playing with a toy keeps it for a while; driving back to it on every retry
    uses up the chore's retries and tidies nothing else. The planner leaves such things
    out of this chore (the next time the chore runs, they are tried again).

    Args:
        outcomes: The task's subtask outcomes, oldest first.
    """
    out: dict[str, str] = {}
    for o in outcomes:
        if o.get("status") == "success":
            continue
        m = _IN_USE.search(str(o.get("reason", "")))
        if m:
            thing, person = (m[1], m[2]) if m[1] else (m[3], m[4])
            out[thing] = person
    return out


def _failed_in_a_row(outcomes: list[dict[str, Any]]) -> tuple[dict[str, Any], int] | None:
    if not outcomes or outcomes[-1].get("status") == "success":
        return None
    last = outcomes[-1]
    key = (last.get("skill"), sorted((last.get("args") or {}).items()))
    n = 0
    for o in reversed(outcomes):
        if (
            o.get("status") == "success"
            or (o.get("skill"), sorted((o.get("args") or {}).items())) != key
        ):
            break
        n += 1
    return (last, n) if n >= MAX_ATTEMPTS else None


def place_in_answer(answer: str, ctx: PlanContext) -> str | None:
    """The fixture or room a person's answer names ("it's in the cleaning cupboard").

    Phrases after a preposition are tried first, then the whole answer; fixtures before
    rooms. None when the answer names no place of this home ("I don't know").
    """
    from housemind.agent.planners.world import Beliefs

    beliefs = Beliefs(ctx)
    text = " ".join(answer.lower().replace("’", "'").split())
    phrases = [m["place"] for m in _PREPOSITIONS.finditer(text)] + [text]
    for phrase in phrases:
        words = phrase.strip()
        if not words or len(words) > 60:
            continue
        found = beliefs.resolve_fixtures(words, near=ctx.robot_room or None)
        if found:
            return found[0]
        try:
            return beliefs.resolve_room(words)
        except PlanningError:
            continue
    return None


class HelpDesk:
    """Acts on answers to the robot's questions for help (see the module docstring).

    Args:
        memory: The home's memory.
        context: Builds the planner's context (``""``: without a goal's search candidates),
            for the names of this home's places.
        clock: Returns the robot's time now.
        told: Remembers where a person said a thing is
            (:meth:`housemind.agent.corrections.CorrectionDesk.told`).
    """

    def __init__(
        self,
        memory: Any,
        context: Callable[[str], PlanContext],
        clock: Callable[[], Any],
        told: Callable[..., None],
    ) -> None:
        self.memory = memory
        self.context = context
        self.clock = clock
        self._told = told

    def answered(
        self, need: dict[str, Any], answer: str, *, by: str | None, task_id: str, goal: str
    ) -> str:
        """Remember what the answer says and return a note of it for the task's record."""
        now = self.clock()
        who = by or "someone"
        place = place_in_answer(answer, self.context(""))  # the home's places, no search
        thing = need.get("thing")
        self.memory.episodic.record(
            "help",
            f"asked: {need['question']} {who} answered: {answer}",
            now,
            task_id=task_id,
            data={"need": need, "answer": answer, "by": by, "place": place},
        )
        if need.get("kind") in ("hazard", "make_way"):
            what = "the spill" if need["kind"] == "hazard" else "letting me past"
            return f"{who} answered '{answer}' about {what}; trying again"
        holder = holder_in_answer(answer, by) if place is None else None
        if holder is not None and thing:
            # Someone has it: this chore leaves it to them (another cup will do, or it is
            # said to be left out), rather than searching the home for it again.
            w = str(thing).replace("_", " ")
            return f"{who} said {holder} has the {w}; leaving it to them"
        if place is None or not thing:
            return f"{who} answered '{answer}', which names no place I know; trying again"
        w, p = str(thing).replace("_", " "), place.replace("_", " ")
        if need["kind"] == "place":
            self.memory.symbolic.tell(
                thing,
                "belongs_on",
                place,
                kind="preference",
                source="person",
                told_by=by,
                valid_from=now,
                replace=True,
            )
            return f"{who} said the {w} goes at the {p}"
        self._told(thing, place, by=by, task_id=task_id)
        return f"{who} said the {w} is at the {p}"


def subtasks_done(state: dict[str, Any]) -> list[Subtask]:
    """The subtasks done since the task last got help (a search starts afresh after it)."""
    done = state.get("done", [])
    return [Subtask(**d) for d in done[int(state.get("done_from", 0)) :]]
