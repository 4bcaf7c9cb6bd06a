"""Clocks, standing instructions, recurrence, and firing due chores as tasks.

Language in (``parse_paragraph``), schedule out (``ChoreScheduler``), placed by the
household's rules (``SchedulePolicy``: constraints, routines, measured durations). See
docs/instructions.md.
"""

from housemind.scheduler.clock import Clock, SimClock, WallClock
from housemind.scheduler.conflicts import Conflict, find_conflicts
from housemind.scheduler.constraints import (
    constraint_applies,
    constraints_for,
    forbidden_windows,
    is_noisy,
)
from housemind.scheduler.durations import DurationBook, DurationEstimate, estimate_duration_s
from housemind.scheduler.instructions import (
    AmbiguousInstructionError,
    InstructionKind,
    InstructionParseError,
    StandingInstruction,
    instruction_id,
    parse_instruction,
)
from housemind.scheduler.paragraph import ParsedFact, ParseResult, parse_paragraph, remember_facts
from housemind.scheduler.placement import SchedulePolicy
from housemind.scheduler.readback import describe_rrule, read_back, read_back_fact
from housemind.scheduler.routines import HouseholdRoutine, ask_again
from housemind.scheduler.runner import ChoreScheduler, fire_task, job_id
from housemind.scheduler.store import (
    InstructionStore,
    InvalidTransitionError,
    Task,
    TaskQueue,
    TaskState,
    UnknownInstructionError,
    UnknownTaskError,
    task_id_for,
)
from housemind.scheduler.triggers import RRuleTrigger, next_due, next_runs, trigger_for

__all__ = [
    "AmbiguousInstructionError",
    "ChoreScheduler",
    "Clock",
    "Conflict",
    "DurationBook",
    "DurationEstimate",
    "HouseholdRoutine",
    "InstructionKind",
    "InstructionParseError",
    "InstructionStore",
    "InvalidTransitionError",
    "ParseResult",
    "ParsedFact",
    "RRuleTrigger",
    "SchedulePolicy",
    "SimClock",
    "StandingInstruction",
    "Task",
    "TaskQueue",
    "TaskState",
    "UnknownInstructionError",
    "UnknownTaskError",
    "WallClock",
    "ask_again",
    "constraint_applies",
    "constraints_for",
    "describe_rrule",
    "estimate_duration_s",
    "find_conflicts",
    "fire_task",
    "forbidden_windows",
    "instruction_id",
    "is_noisy",
    "job_id",
    "next_due",
    "next_runs",
    "parse_instruction",
    "parse_paragraph",
    "read_back",
    "read_back_fact",
    "remember_facts",
    "task_id_for",
    "trigger_for",
]
