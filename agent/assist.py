"""The task graph's services for people in the loop: corrections and help requests.

:class:`AssistServices` is mixed into :class:`~agent.runtime.HomeRuntime`; it gives the
task graph ``new_corrections``, ``help_question`` and ``help_answered`` (see
:mod:`agent.corrections` and :mod:`agent.help`), and keeps that work out of the runtime's
own module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from housemind.agent.corrections import CorrectionDesk
from housemind.agent.help import HelpDesk, need_help
from housemind.agent.planners.base import PlanContext

__all__ = ["AssistServices"]


class AssistServices:
    """Corrections and help for a runtime with ``memory``, ``clock``, ``plan_context``.

    Call :meth:`_init_assist` from the runtime's ``__init__`` once memory exists.

    Attributes:
        ask_for_help: Ask a person when stuck (False: fail with the planner's reason, as
            for a one-off episode nobody can answer).
    """

    memory: Any
    clock: Any
    ask_for_help: bool
    _last_obs: Any
    plan_context: Callable[[str], PlanContext]

    def _init_assist(self, *, ask_for_help: bool) -> None:
        self.ask_for_help = ask_for_help
        self.corrections = CorrectionDesk(self.memory, self.clock.now)
        self.help = HelpDesk(self.memory, self.plan_context, self.clock.now, self.corrections.told)
        self._assist_task: str | None = None

    def _with_corrections(self, ctx: PlanContext, goal: str) -> PlanContext:
        """``ctx`` with the corrections, not-trash things and told places (for planners)."""
        return self.corrections.enrich(ctx, goal, self._assist_task)

    # -- TaskServices (optional part; agent/graph.py) ---------------------------------

    def new_corrections(
        self, task_id: str, seen: list[int], done: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Corrections given during ``task_id`` that it has not acted on yet."""
        held = getattr(getattr(self._last_obs, "proprio", None), "held", None)

        def resolve(words: str) -> str | None:
            from housemind.agent.planners.world import Beliefs, Group, Unknown

            try:
                found = Beliefs(self.plan_context("")).resolve_thing(words)
            except Exception:  # noqa: BLE001 - words that name nothing: no thing
                return None
            if isinstance(found, Unknown):
                return found.name
            if isinstance(found, Group):
                return sorted(found.kinds)[0] if len(found.kinds) == 1 else None
            return found

        return self.corrections.take_new(task_id, seen, held=held, done=done, resolve=resolve)

    def help_question(
        self, goal: str, reason: str, outcomes: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The question to ask a person when the task is stuck (None: fail instead)."""
        if not self.ask_for_help:
            return None
        return need_help(goal, reason, outcomes)

    def help_answered(
        self, need: dict[str, Any], answer: str, by: str | None, task_id: str, goal: str
    ) -> str:
        """Act on a person's answer to a question for help; a note for the record."""
        return self.help.answered(need, answer, by=by, task_id=task_id, goal=goal)
