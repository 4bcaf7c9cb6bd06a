"""Safety: the monitor between planner and executor, its rule book and its audit log.

Three levels, one :class:`SafetyMonitor`:

- instruction: what a person asks (``check_instruction``), matched against the rule book;
- plan: each step the planner wants to take (``check_subtask`` over a
  :class:`SafetyContext`);
- action: every control tick (``monitor.guard.filter``), numeric limits and an
  emergency stop.

The rules live in ``safety/rules.yaml``, the hazard knowledge base in
``safety/hazards.yaml`` and common sense about kinds of things and what actions do in
``safety/kinds.yaml`` (judged by :class:`CommonSenseMatcher`), all readable and
replaceable. Plan steps are also judged by the state they would leave the home in
(:class:`LookAhead`). Everything that creates or changes what the robot will do passes
:func:`gate_instruction`. A person of the :class:`Household` answers ``confirm`` verdicts
through :class:`ApprovalBook` (scoped, expiring approvals); an optional :class:`ModelJudge`
may add caution. ``safety.evaluation.run_bench`` measures it all (``docs/safety.md``).
"""

from housemind.safety.action_layout import (
    HOMESIM_ACTION_LAYOUT,
    METAWORLD_ARM_LAYOUT,
    ActionLayout,
    ActionLayoutError,
)
from housemind.safety.approvals import Approval, ApprovalBook, ApprovalError
from housemind.safety.audit import AuditEntry, AuditLog
from housemind.safety.compose import CommonSenseMatcher
from housemind.safety.context import SafetyContext, kind_of
from housemind.safety.gate import GateOutcome, gate_instruction
from housemind.safety.guard import ActionGuard
from housemind.safety.hazards import (
    HazardEntry,
    HazardException,
    HazardKB,
    HazardKBError,
    load_hazard_kb,
)
from housemind.safety.instruction import InstructionMatcher, KeywordMatcher
from housemind.safety.judge import ModelJudge
from housemind.safety.kinds import KindBase, KindBaseError, load_kinds
from housemind.safety.lookahead import LookAhead
from housemind.safety.monitor import (
    ESTOP_RULE,
    ONLY_REGISTERED_RULE,
    SafetyMonitor,
    default_instruction_matchers,
)
from housemind.safety.people import Household, Person, PersonError
from housemind.safety.plan import PlanChecker
from housemind.safety.rulebook import (
    ActionLimits,
    InstructionRule,
    KeepOutZone,
    PlanRule,
    RuleBook,
    RuleBookError,
    default_rulebook_path,
    load_rulebook,
)
from housemind.safety.semantic import HazardMatch, HazardMatcher
from housemind.safety.verdict import SafetyVerdict, Verdict

__all__ = [
    "ESTOP_RULE",
    "HOMESIM_ACTION_LAYOUT",
    "METAWORLD_ARM_LAYOUT",
    "ONLY_REGISTERED_RULE",
    "ActionGuard",
    "ActionLayout",
    "ActionLayoutError",
    "ActionLimits",
    "Approval",
    "ApprovalBook",
    "ApprovalError",
    "AuditEntry",
    "AuditLog",
    "CommonSenseMatcher",
    "GateOutcome",
    "HazardEntry",
    "HazardException",
    "HazardKB",
    "HazardKBError",
    "HazardMatch",
    "HazardMatcher",
    "Household",
    "InstructionMatcher",
    "InstructionRule",
    "KeepOutZone",
    "KeywordMatcher",
    "KindBase",
    "KindBaseError",
    "LookAhead",
    "ModelJudge",
    "Person",
    "PersonError",
    "PlanChecker",
    "PlanRule",
    "RuleBook",
    "RuleBookError",
    "SafetyContext",
    "SafetyMonitor",
    "SafetyVerdict",
    "Verdict",
    "default_instruction_matchers",
    "default_rulebook_path",
    "gate_instruction",
    "load_hazard_kb",
    "load_kinds",
    "load_rulebook",
    "kind_of",
]
