"""Safety: the monitor between planner and executor, its rule book and its audit log.

Three levels, one :class:`SafetyMonitor`:

- instruction: what a person asks (``check_instruction``), matched against the rule book;
- plan: each step the planner wants to take (``check_subtask`` over a
  :class:`SafetyContext`);
- action: every control tick (``monitor.guard.filter``), numeric limits and an
  emergency stop.

The rules live in ``safety/rules.yaml`` and the hazard knowledge base in
``safety/hazards.yaml``, which people can read and replace. A person answers ``confirm``
verdicts through :class:`ApprovalBook` (scoped, expiring approvals); an optional
:class:`ModelJudge` may add caution. ``safety.evaluation.run_bench`` measures it all.
"""

from housemind.safety.approvals import Approval, ApprovalBook, ApprovalError
from housemind.safety.audit import AuditEntry, AuditLog
from housemind.safety.context import SafetyContext, kind_of
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
from housemind.safety.monitor import (
    ESTOP_RULE,
    ONLY_REGISTERED_RULE,
    SafetyMonitor,
    default_instruction_matchers,
)
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
    "ONLY_REGISTERED_RULE",
    "ActionGuard",
    "ActionLimits",
    "Approval",
    "ApprovalBook",
    "ApprovalError",
    "AuditEntry",
    "AuditLog",
    "HazardEntry",
    "HazardException",
    "HazardKB",
    "HazardKBError",
    "HazardMatch",
    "HazardMatcher",
    "InstructionMatcher",
    "InstructionRule",
    "KeepOutZone",
    "KeywordMatcher",
    "ModelJudge",
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
    "load_hazard_kb",
    "load_rulebook",
    "kind_of",
]
