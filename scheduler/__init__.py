"""Clocks, standing instructions, recurrence, and firing due chores as tasks."""

from housemind.scheduler.clock import Clock, SimClock, WallClock
from housemind.scheduler.conflicts import Conflict, find_conflicts
from housemind.scheduler.durations import estimate_duration_s
from housemind.scheduler.instructions import (
    AmbiguousInstructionError,
    InstructionKind,
    InstructionParseError,
    StandingInstruction,
    instruction_id,
    parse_instruction,
)
from housemind.scheduler.paragraph import ParsedFact, ParseResult, parse_paragraph, remember_facts
from housemind.scheduler.readback import describe_rrule, read_back
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
from housemind.scheduler.triggers import RRuleTrigger, next_runs, trigger_for

__all__ = [
    "AmbiguousInstructionError",
    "ChoreScheduler",
    "Clock",
    "Conflict",
    "InstructionKind",
    "InstructionParseError",
    "InstructionStore",
    "InvalidTransitionError",
    "ParseResult",
    "ParsedFact",
    "RRuleTrigger",
    "SimClock",
    "StandingInstruction",
    "Task",
    "TaskQueue",
    "TaskState",
    "UnknownInstructionError",
    "UnknownTaskError",
    "WallClock",
    "describe_rrule",
    "estimate_duration_s",
    "find_conflicts",
    "fire_task",
    "instruction_id",
    "job_id",
    "next_runs",
    "parse_instruction",
    "parse_paragraph",
    "read_back",
    "remember_facts",
    "task_id_for",
    "trigger_for",
]
