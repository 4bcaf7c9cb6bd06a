"""Safety: the monitor between planner and executor, its rule book and its audit log.

Three levels, one :class:`SafetyMonitor`:

- instruction: what a person asks (``check_instruction``), matched against the rule book;
- plan: each step the planner wants to take (``check_subtask`` over a
  :class:`SafetyContext`);
- action: every control tick (``monitor.guard.filter``), numeric limits and an
  emergency stop.

The rules live in ``safety/rules.yaml``, which people can read and replace.
"""

from safety.audit import AuditEntry, AuditLog
from safety.context import SafetyContext, kind_of
from safety.guard import ActionGuard
from safety.instruction import InstructionMatcher, KeywordMatcher
from safety.monitor import ESTOP_RULE, ONLY_REGISTERED_RULE, SafetyMonitor
from safety.plan import PlanChecker
from safety.rulebook import (
    ActionLimits,
    InstructionRule,
    KeepOutZone,
    PlanRule,
    RuleBook,
    RuleBookError,
    default_rulebook_path,
    load_rulebook,
)
from safety.verdict import SafetyVerdict, Verdict

__all__ = [
    "ESTOP_RULE",
    "ONLY_REGISTERED_RULE",
    "ActionGuard",
    "ActionLimits",
    "AuditEntry",
    "AuditLog",
    "InstructionMatcher",
    "InstructionRule",
    "KeepOutZone",
    "KeywordMatcher",
    "PlanChecker",
    "PlanRule",
    "RuleBook",
    "RuleBookError",
    "SafetyContext",
    "SafetyMonitor",
    "SafetyVerdict",
    "Verdict",
    "default_rulebook_path",
    "load_rulebook",
    "kind_of",
]
