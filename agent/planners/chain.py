"""Graceful degradation: a chain of planner backends, each checked, each replaceable.

:class:`PlannerChain` asks its backends in order (say a hosted model, a local model, the
symbolic planner). Every plan is checked (:class:`~agent.planners.check.PlanCheck`:
preconditions and effects, names, goal facts, the safety monitor's plan rules). A rejected
plan goes back to a backend that takes feedback (model backends) with the reason, up to
``feedback_retries`` times; then the chain hands over to the next backend. So does a
backend that is down or broken: connection refused, a timeout, HTTP 500, a rate limit, a
malformed or truncated reply, a plan naming things that do not exist, a crash. Each
hand-over is logged and recorded in the plan (``Plan.fallbacks``), and the runtime counts
them (``RunSummary.planner_fallbacks``). A backend that could not be reached is skipped
for ``cooldown_s`` seconds, so a dead server costs one timeout, not one per decision.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from housemind.agent.llm import ModelError, StructuredOutputError
from housemind.agent.planners.base import Plan, PlanContext, Planner, PlanningError, Subtask
from housemind.agent.planners.check import PlanCheck, UnsafePlanError
from housemind.agent.planners.validate import PlanValidationError

__all__ = ["PlannerChain"]

log = logging.getLogger(__name__)


def _short(exc: BaseException, limit: int = 400) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "..."


def _cause(exc: ModelError) -> str:
    """The underlying error in a few words (``InternalServerError: Connection error.``)."""
    last = exc.last_error
    if last is None:
        return _short(exc, 200)
    # litellm nests provider messages: "litellm.X: X: OpenAIException - <what happened>"
    text = " ".join(str(last).split()).rsplit(" - ", 1)[-1]
    return f"{type(last).__name__}: {text[:200]}"


class PlannerChain:
    """Planner backends in order of preference; the first acceptable plan wins.

    Reasons recorded for a hand-over start with the backend's name, then: ``no reply
    (...)`` (connection refused, timeout, HTTP 5xx, rate limit, a local model that failed
    to generate), ``skipped, no reply a moment ago (...)`` (within the cool-down),
    ``unusable reply: ...`` (not JSON, truncated, wrong shape), ``invalid plan: ...`` or
    ``unsafe plan: ...`` (after the feedback retries), ``crashed: ...``, or the backend's
    own :class:`~agent.planners.base.PlanningError`.

    A chain is itself a :class:`~agent.planners.base.Planner`. The runtime wraps every
    planner in one (a chain of one backend behaves as that backend, with its plans
    checked), binding its own :class:`~agent.planners.check.PlanCheck` (with the safety
    monitor) through :meth:`bind`.

    Args:
        backends: Planners, most preferred first.
        check: The plan check (None: preconditions/effects, names and goal facts, without
            the safety monitor).
        feedback_retries: How often a rejected plan goes back to a backend that takes
            feedback before the chain moves on.
        cooldown_s: Seconds (wall clock) a backend that could not be reached is skipped.
        clock: Monotonic seconds (tests pass a fake).

    Raises:
        ValueError: No backends, or negative retries or cooldown.
    """

    def __init__(
        self,
        backends: Sequence[Planner],
        *,
        check: PlanCheck | None = None,
        feedback_retries: int = 2,
        cooldown_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not backends:
            raise ValueError("a planner chain needs at least one backend, e.g. 'symbolic'")
        if feedback_retries < 0 or cooldown_s < 0:
            raise ValueError(
                f"feedback_retries and cooldown_s must be >= 0, got {feedback_retries} and "
                f"{cooldown_s}"
            )
        self.backends = list(backends)
        self.check = check
        self.feedback_retries = feedback_retries
        self.cooldown_s = cooldown_s
        self.clock = clock
        self._down: dict[int, tuple[float, str]] = {}

    def __repr__(self) -> str:
        return f"PlannerChain({', '.join(b.name for b in self.backends)})"

    @property
    def name(self) -> str:
        """The backends' names, comma-separated (one backend: its name)."""
        return ",".join(b.name for b in self.backends)

    @property
    def wants_images(self) -> int:
        """The most camera images any backend wants."""
        return max((int(getattr(b, "wants_images", 0)) for b in self.backends), default=0)

    def bind(self, check: PlanCheck) -> PlannerChain:
        """A chain with the same backends (and their down state) and ``check``."""
        chain = PlannerChain(
            self.backends,
            check=check,
            feedback_retries=self.feedback_retries,
            cooldown_s=self.cooldown_s,
            clock=self.clock,
        )
        chain._down = self._down
        return chain

    # -- the Planner protocol ----------------------------------------------------------

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """The first acceptable plan of the backends, in order (see the module docstring).

        Raises:
            PlanningError: No backend made an acceptable plan (the message has every
                backend's reason; ``fallbacks`` the hand-overs).
            PlanValidationError: A chain of one backend whose plan failed the check.
        """
        return self._decide(goal, context, done=[], failed=None, reason="", first=True)

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        """Plan again after a failure or a search step (same rules as :meth:`plan`)."""
        return self._decide(goal, context, done=done, failed=failed, reason=reason, first=False)

    # -- internals ---------------------------------------------------------------------

    def _ask(
        self,
        backend: Planner,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
        first: bool,
        feedback: list[tuple[Plan, str]],
    ) -> Plan:
        if getattr(backend, "accepts_feedback", False) and (feedback or not first):
            return backend.replan(  # type: ignore[call-arg]
                goal, context, done=done, failed=failed, reason=reason, feedback=feedback
            )
        if first:
            return backend.plan(goal, context)
        return backend.replan(goal, context, done=done, failed=failed, reason=reason)

    def _decide(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
        first: bool,
    ) -> Plan:
        t0 = time.perf_counter()
        check = self.check or PlanCheck(_default_registry())
        fallbacks: list[str] = []
        last = len(self.backends) - 1
        error: BaseException | None = None
        why = ""
        for i, backend in enumerate(self.backends):
            down = self._down.get(i)
            if down is not None and self.clock() < down[0]:
                why = f"{backend.name}: skipped, no reply a moment ago ({down[1]})"
                if i == last:
                    break
                self._hand_over(why, fallbacks, quiet=True)
                continue
            learns = bool(getattr(backend, "accepts_feedback", False))
            tries = 1 + (self.feedback_retries if learns else 0)
            # The last backend's unsafe plan is not fed back to anyone: the gate denies its
            # unsafe step (audited) before it runs, as for a plan with no chain at all.
            precheck_safety = learns or i < last
            feedback: list[tuple[Plan, str]] = []
            error = None
            for attempt in range(tries):
                try:
                    plan = self._ask(
                        backend,
                        goal,
                        context,
                        done=done,
                        failed=failed,
                        reason=reason,
                        first=first,
                        feedback=feedback,
                    )
                except StructuredOutputError as e:
                    error, why = e, f"{backend.name}: unusable reply: {_short(e)}"
                    break
                except ModelError as e:
                    log.warning("%s: %s", backend.name, e)
                    error, why = e, f"{backend.name}: no reply ({_cause(e)})"
                    self._down[i] = (self.clock() + self.cooldown_s, _cause(e))
                    break
                except (PlanningError, PlanValidationError) as e:
                    error, why = e, f"{backend.name}: {_short(e)}"
                    break
                except Exception as e:  # noqa: BLE001 - a broken backend must not stop the robot
                    log.exception("planner backend %s crashed", backend.name)
                    error, why = e, f"{backend.name}: crashed: {type(e).__name__}: {_short(e)}"
                    break
                self._down.pop(i, None)
                plan.backend = plan.backend or backend.name
                try:
                    check(plan, context, safety=precheck_safety)
                except PlanValidationError as e:
                    unsafe = isinstance(e, UnsafePlanError)
                    if unsafe and i == last and attempt == tries - 1:
                        return self._finish(plan, fallbacks, t0)
                    error, why = e, f"{backend.name}: {'unsafe' if unsafe else 'invalid'} plan: {e}"
                    feedback.append((plan, str(e)))
                    if attempt < tries - 1:
                        log.info("%s: plan rejected, asking again: %s", backend.name, e)
                    continue
                return self._finish(plan, fallbacks, t0)
            if i == last:
                break
            self._hand_over(why, fallbacks)
        # The last backend failed too (or was skipped while down).
        if not fallbacks and isinstance(error, PlanningError | PlanValidationError):
            raise error  # a chain of one behaves as its backend
        raise PlanningError(self._give_up(why, fallbacks), fallbacks=fallbacks) from error

    @staticmethod
    def _hand_over(why: str, fallbacks: list[str], *, quiet: bool = False) -> None:
        # A backend skipped while down was reported when it went down: log it quietly.
        log.log(logging.INFO if quiet else logging.WARNING, "planner fallback: %s", why)
        fallbacks.append(why)

    @staticmethod
    def _give_up(why: str, fallbacks: list[str]) -> str:
        if not fallbacks:
            return why
        return f"{why} (after: {'; '.join(fallbacks)})"

    @staticmethod
    def _finish(plan: Plan, fallbacks: list[str], t0: float) -> Plan:
        plan.fallbacks = list(fallbacks)
        plan.usage = {**plan.usage, "latency_s": time.perf_counter() - t0}
        return plan


def _default_registry() -> Any:
    from housemind.skills import REGISTRY

    return REGISTRY
