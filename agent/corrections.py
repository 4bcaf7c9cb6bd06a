"""Corrections during a chore: noticed at a safe point, applied, remembered for next time.

A person corrects the robot from another process (``housemind say``, the dashboard):
:func:`housemind.agent.instructions.give_correction` passes the words through the safety
gate and stores them in memory about the running task (a ``correction`` preference about
the chore's goal, with who and when, and an episodic event of the task).

The runtime's :class:`CorrectionDesk` does the rest. Between two subtasks (the task graph's
``reflect``: a safe point, nothing is moving) it looks for corrections of the running task
it has not acted on yet (:meth:`CorrectionDesk.take_new`); each one interrupts the plan in
progress and the planner is asked again with the correction in its context
(:meth:`CorrectionDesk.enrich` fills ``PlanContext.corrections``, ``not_trash`` and
``told_places``). "That's not trash" becomes a lasting preference about the thing the robot
was handling (``not_trash``, with who and when), so no plan puts it in a bin from then on;
a new place for the chore's thing is used again the next time the same chore is planned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from housemind.agent.planners.base import CorrectionNote, PlanContext, Subtask
from housemind.agent.planners.corrections import parse_correction

__all__ = ["CorrectionDesk", "remember_named_not_trash"]

logger = logging.getLogger(__name__)

#: Where people said a thing is (answers to "where is it?"), kept per thing, newest first.
TOLD_PREDICATE = "reported_at"
#: A thing (or kind) people said is not trash.
NOT_TRASH_PREDICATE = "not_trash"
_TOLD_KEPT = 3


class CorrectionDesk:
    """The runtime's side of corrections (see the module docstring).

    Args:
        memory: The home's memory (``housemind.memory.Memory``).
        clock: Returns the robot's time now.
    """

    def __init__(self, memory: Any, clock: Callable[[], datetime]) -> None:
        self.memory = memory
        self.clock = clock

    # -- during a task ---------------------------------------------------------------

    def take_new(
        self,
        task_id: str,
        seen: list[int],
        *,
        held: str | None,
        done: list[dict[str, Any]],
        resolve: Callable[[str], str | None],
    ) -> list[dict[str, Any]]:
        """The task's corrections not acted on yet, each made ready for the planner.

        Each is recorded as applied (an episodic ``correction_applied`` event with the thing
        it is about); "not trash" also becomes a preference about that thing.

        Args:
            task_id: The running task.
            seen: Fact ids of its corrections already acted on.
            held: What the robot holds now.
            done: The task's successful subtasks so far (dicts), oldest first.
            resolve: Names the thing a phrase ("the newspaper") means, or None.

        Returns:
            ``{"id", "text", "by", "about", "kind"}`` per new correction, oldest first.
        """
        out = []
        for ev in self.memory.episodic.for_task(task_id, kind="correction"):
            fact_id = ev.data.get("fact_id")
            if fact_id is None or fact_id in seen or any(o["id"] == fact_id for o in out):
                continue
            text = _words(ev)
            meaning = parse_correction(text)
            about = resolve(meaning.thing) if meaning.thing else _focus(held, done)
            by = ev.data.get("by") or ""
            if meaning.kind == "not_trash" and about:
                self.memory.symbolic.tell(
                    about,
                    NOT_TRASH_PREDICATE,
                    "true",
                    kind="preference",
                    source="person",
                    told_by=by or None,
                    valid_from=ev.time,
                )
            now = self.clock()
            self.memory.episodic.record(
                "correction_applied",
                f"replanning on a correction by {by or 'someone'}: {text}"
                + (f" (about the {about.replace('_', ' ')})" if about else ""),
                now,
                task_id=task_id,
                data={"fact_id": fact_id, "about": about, "kind": meaning.kind},
            )
            logger.info("task %s: correction %r (about %s)", task_id, text, about)
            out.append(
                {"id": fact_id, "text": text, "by": by, "about": about, "kind": meaning.kind}
            )
        return out

    # -- what planners see -----------------------------------------------------------

    def enrich(self, ctx: PlanContext, goal: str, task_id: str | None) -> PlanContext:
        """``ctx`` with the chore's corrections, things not to bin, and told places."""
        sym = self.memory.symbolic
        not_trash = {
            f.subject: _said(f.told_by, f.valid_from)
            for f in sym.facts(predicate=NOT_TRASH_PREDICATE, kind="preference")
        }
        told: dict[str, list[str]] = {}
        for f in reversed(sym.facts(predicate=TOLD_PREDICATE)):
            places = told.setdefault(f.subject, [])
            if f.value not in places and len(places) < _TOLD_KEPT:
                places.append(f.value)
        notes: list[CorrectionNote] = []
        if goal:
            applied: dict[int, str | None] = {}
            if task_id is not None:
                for ev in self.memory.episodic.for_task(task_id, kind="correction_applied"):
                    applied[int(ev.data.get("fact_id", -1))] = ev.data.get("about")
            for f in self.memory.corrections(goal):
                notes.append(
                    CorrectionNote(
                        text=f.value,
                        by=f.told_by or "",
                        at=f.valid_from.isoformat() if f.valid_from else "",
                        about=applied.get(f.id),
                        live=f.id in applied,
                    )
                )
        return ctx.model_copy(
            update={"corrections": notes, "not_trash": not_trash, "told_places": told}
        )

    def told(self, thing: str, place: str, *, by: str | None, task_id: str | None) -> None:
        """Remember that a person said ``thing`` is at ``place`` (an answer for help)."""
        now = self.clock()
        self.memory.symbolic.tell(
            thing, TOLD_PREDICATE, place, source="person", told_by=by, valid_from=now
        )
        self.memory.episodic.record(
            "told",
            f"{by or 'someone'} said the {thing.replace('_', ' ')} is at the "
            f"{place.replace('_', ' ')}",
            now,
            place=place,
            task_id=task_id,
            data={"thing": thing, "place": place, "by": by},
        )


def remember_named_not_trash(
    memory: Any, text: str, *, by: str | None, when: datetime
) -> str | None:
    """Store "the newspaper is not trash" at once when the words name the thing.

    Then it holds even when no chore is running to act on it ("that's not trash" needs
    the running chore to know what "that" is: :meth:`CorrectionDesk.take_new`).

    Returns:
        The thing (a name or kind, as memory keys it), or None.
    """
    from housemind.agent.knowledge import normalise

    meaning = parse_correction(text)
    if meaning.kind != "not_trash" or not meaning.thing:
        return None
    thing = normalise(meaning.thing)
    if not thing:
        return None
    memory.symbolic.tell(
        thing,
        NOT_TRASH_PREDICATE,
        "true",
        kind="preference",
        source="person",
        told_by=by,
        valid_from=when,
    )
    return thing


def _words(ev: Any) -> str:
    """The correction's words from its episodic event ("alex corrected me (...): WORDS")."""
    return str(ev.data.get("text") or ev.text.split(": ", 1)[-1])


def _focus(held: str | None, done: list[dict[str, Any]]) -> str | None:
    """The thing "it"/"that" means: what the robot holds, else what it last handled."""
    if held:
        return held
    for d in reversed(done):
        st = Subtask(**d)
        obj = st.args.get("object")
        if isinstance(obj, str) and obj:
            return obj
    return None


def _said(by: str | None, when: datetime | None) -> str:
    who = by or "someone"
    return f"{who} on {when:%Y-%m-%d %H:%M}" if when is not None else who
