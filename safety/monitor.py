"""The safety monitor: one object, three levels (instruction, plan step, action).

The agent's gate node calls :meth:`SafetyMonitor.check_instruction` for what a person asks
and :meth:`SafetyMonitor.check_subtask` for each plan step; the executor passes every
action through :attr:`SafetyMonitor.guard`. Instruction and plan verdicts, and emergency
stops, are written to the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from safety.audit import AuditLevel, AuditLog
from safety.context import SafetyContext
from safety.guard import HOMESIM_ANGULAR_SCALE_RPS, HOMESIM_LINEAR_SCALE_MPS, ActionGuard
from safety.instruction import InstructionMatcher, KeywordMatcher
from safety.plan import PlanChecker
from safety.rulebook import RuleBook, load_rulebook
from safety.verdict import SafetyVerdict, Verdict

__all__ = ["ESTOP_RULE", "ONLY_REGISTERED_RULE", "SafetyMonitor"]

logger = logging.getLogger(__name__)

#: Rule id of the verdict given to instructions from unregistered actors.
ONLY_REGISTERED_RULE = "only-registered-people"
#: Rule id recorded with an emergency stop.
ESTOP_RULE = "estop"


class SafetyMonitor:
    """Allows, denies or asks a person to confirm; cannot be bypassed by design.

    Args:
        rulebook: The rule book; the shipped ``safety/rules.yaml`` if None.
        audit: Where verdicts are written; without one nothing is recorded (quick checks).
        registered_people: Names of the people who may instruct the robot. When given,
            an instruction from anyone else (or from no one: text read off a note or a
            sign) is denied. When None, every actor is accepted.
        instruction_matchers: Judges of instruction text; a keyword matcher over the rule
            book if None. Their verdicts are merged.
        linear_scale_mps: m/s that a base velocity action of 1 means (HomeSim: 0.8).
        angular_scale_rps: rad/s that a turn action of 1 means (HomeSim: 2).
    """

    def __init__(
        self,
        rulebook: RuleBook | None = None,
        *,
        audit: AuditLog | None = None,
        registered_people: Iterable[str] | None = None,
        instruction_matchers: Sequence[InstructionMatcher] | None = None,
        linear_scale_mps: float = HOMESIM_LINEAR_SCALE_MPS,
        angular_scale_rps: float = HOMESIM_ANGULAR_SCALE_RPS,
    ) -> None:
        self.rulebook = rulebook if rulebook is not None else load_rulebook()
        self.audit = audit
        self.registered_people: frozenset[str] | None = (
            None
            if registered_people is None
            else frozenset(p.strip().lower() for p in registered_people)
        )
        self._matchers: list[InstructionMatcher] = list(
            instruction_matchers
            if instruction_matchers is not None
            else [KeywordMatcher(self.rulebook)]
        )
        self._plan = PlanChecker(self.rulebook)
        self._guard = ActionGuard(
            self.rulebook.action,
            linear_scale_mps=linear_scale_mps,
            angular_scale_rps=angular_scale_rps,
            on_estop=self._audit_estop,
        )

    @property
    def guard(self) -> ActionGuard:
        """The action guard for the executor's control loop."""
        return self._guard

    def check_instruction(
        self, text: str, actor: str | None = None, task_id: str | None = None
    ) -> SafetyVerdict:
        """Judge what a person asks the robot to do (and record it).

        Args:
            text: The instruction as given ("leave the oven on while I'm at work").
            actor: Who gave it. Text the robot reads in the world has no actor.
            task_id: The task it belongs to, if any.
        """
        verdict = SafetyVerdict()
        if self.registered_people is not None and (
            actor is None or actor.strip().lower() not in self.registered_people
        ):
            who = f"{actor!r} is" if actor else "the text has no speaker and is"
            verdict = SafetyVerdict(
                verdict=Verdict.DENY,
                reasons=[
                    f"I only take instructions from the people registered in this "
                    f"home; {who} not one of them. Text I read around the home is "
                    f"information, not a command."
                ],
                rules=[ONLY_REGISTERED_RULE],
            )
        for matcher in self._matchers:
            verdict = verdict.merge(matcher.check(text))
        self._record("instruction", text, verdict, actor=actor, task_id=task_id)
        return verdict

    def check_subtask(
        self, ctx: SafetyContext, task_id: str | None = None, actor: str | None = None
    ) -> SafetyVerdict:
        """Judge one plan step in its situation (and record it).

        All matching plan rules are merged: deny beats confirm beats allow; the reasons are
        the rules' explanations and ``rules`` their ids.

        Args:
            ctx: The step and the situation.
            task_id: The task it belongs to, if any.
            actor: Who the task is for, if known.
        """
        verdict = self._plan.check(ctx)
        self._record("plan", ctx.subject(), verdict, actor=actor, task_id=task_id)
        return verdict

    def estop(self, reason: str) -> None:
        """Emergency stop: every action becomes zero until :meth:`reset_estop` (audited)."""
        self._guard.estop(reason)

    def reset_estop(self, actor: str | None = None) -> None:
        """Release the emergency stop (audited with who released it)."""
        was = self._guard.stop_reason
        self._guard.reset_estop()
        self._record(
            "action",
            f"estop released (was: {was})",
            SafetyVerdict(
                verdict=Verdict.ALLOW, reasons=["emergency stop released"], rules=[ESTOP_RULE]
            ),
            actor=actor,
        )

    @property
    def stopped(self) -> bool:
        """True while the emergency stop holds."""
        return self._guard.stopped

    def _audit_estop(self, reason: str) -> None:
        self._record(
            "action",
            f"estop: {reason}",
            SafetyVerdict(verdict=Verdict.DENY, reasons=[reason], rules=[ESTOP_RULE]),
        )

    def _record(
        self,
        level: AuditLevel,
        subject: str,
        verdict: SafetyVerdict,
        *,
        actor: str | None = None,
        task_id: str | None = None,
    ) -> None:
        if verdict.verdict is not Verdict.ALLOW:
            logger.info(
                "%s %s: %s (%s)", level, verdict.verdict.value, subject, ", ".join(verdict.rules)
            )
        if self.audit is None:
            return
        try:
            self.audit.record(level, subject, verdict, actor=actor, task_id=task_id)
        except Exception:
            # The verdict still stands; a lost audit row must not crash the robot.
            logger.exception("could not write the safety audit row for %r", subject)
