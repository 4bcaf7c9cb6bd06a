"""A planner backed by a language or vision-language model, through the one model client.

:class:`ModelPlanner` builds the prompt (:mod:`agent.planners.prompt`), attaches camera
images from the context, asks the client for a :class:`~agent.planners.prompt.PlanReply`
(structured output) and turns it into a :class:`~agent.planners.base.Plan`. It does not
check the plan itself: the chain (:class:`~agent.planners.chain.PlannerChain`) checks
every plan and, when one is rejected, asks again with the reason (``feedback``). The
``litellm`` and ``transformers`` backends are a ``ModelPlanner`` around
:class:`~agent.llm.ModelClient` and :class:`~agent.llm.TransformersModelClient`; any
:class:`~agent.llm.BaseModelClient` works.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Sequence

from housemind.agent.llm import BaseModelClient
from housemind.agent.planners.base import Plan, PlanContext, PlanningError, Subtask
from housemind.agent.planners.prompt import (
    SYSTEM_PROMPT,
    PlanReply,
    build_messages,
    reply_to_plan,
)
from housemind.skills.spec import SkillRegistry

__all__ = ["ModelPlanner"]

log = logging.getLogger(__name__)


class ModelPlanner:
    """System 2 through a model client: goal + memory + skills + images -> plan.

    Args:
        client: The model client (litellm, local transformers, a fake, your own).
        name: Backend name, recorded in every plan (``Plan.backend``).
        registry: Skills the model may use (the global registry if None).
        images: Camera images to send with each request (0-3; the runtime fills
            ``PlanContext.images`` with this many).
        system_prompt: The rules the model is given.

    Raises:
        ValueError: ``images`` outside 0-3.
    """

    #: The chain may send a rejected plan back with the reason (``replan(feedback=...)``).
    accepts_feedback = True

    def __init__(
        self,
        client: BaseModelClient,
        *,
        name: str = "model",
        registry: SkillRegistry | None = None,
        images: int = 1,
        system_prompt: str = SYSTEM_PROMPT,
    ) -> None:
        if not 0 <= images <= 3:
            raise ValueError(f"images must be between 0 and 3, got {images}")
        if registry is None:
            from housemind.skills import REGISTRY

            registry = REGISTRY
        self.client = client
        self.name = name
        self.registry = registry
        self.images = images
        self.system_prompt = system_prompt

    def __repr__(self) -> str:
        return f"ModelPlanner({self.name!r}, {self.client!r})"

    @property
    def wants_images(self) -> int:
        """How many camera images the runtime should put in the context."""
        return self.images

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """Ask the model for a plan for ``goal``.

        Raises:
            agent.llm.ModelError: No reply (server down, timeout, rate limit).
            agent.llm.StructuredOutputError: A reply that is not a valid plan reply.
        """
        return self.replan(goal, context, done=[], failed=None, reason="")

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
        feedback: Sequence[tuple[Plan, str]] = (),
    ) -> Plan:
        """Ask the model again, with the steps done, the last failure and any rejections.

        Args:
            goal: The chore in words.
            context: Memory and perception.
            done: Steps of this task that succeeded.
            failed: The step that failed last, if any.
            reason: Why it failed, or why the planner is asked again.
            feedback: Plans already rejected for this decision, with the reason.

        Raises:
            agent.llm.ModelError: No reply (server down, timeout, rate limit).
            agent.llm.StructuredOutputError: A reply that is not a valid plan reply.
            PlanningError: The model says it cannot plan the goal (``cannot``).
        """
        images = [base64.b64decode(b) for b in context.images[: self.images]]
        messages = build_messages(
            goal,
            context,
            self.registry,
            done=done,
            failed=failed,
            reason=reason,
            feedback=feedback,
            n_images=len(images),
            system_prompt=self.system_prompt,
        )
        before = dict(self.client.usage)
        t0 = time.perf_counter()
        reply = self.client.structured(messages, PlanReply, images=images)
        if reply.cannot.strip():
            raise PlanningError(f"cannot plan {goal!r}: {reply.cannot.strip()}")
        plan = reply_to_plan(reply, goal, self.name)
        plan.usage = {
            "model_s": time.perf_counter() - t0,
            **{k: float(v - before.get(k, 0)) for k, v in self.client.usage.items()},
        }
        log.debug("%s planned %d step(s) for %r", self.name, len(plan.subtasks), goal)
        return plan
