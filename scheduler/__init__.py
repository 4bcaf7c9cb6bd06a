"""Clocks, standing instructions, recurrence, and firing due chores as tasks."""

from scheduler.clock import Clock, SimClock, WallClock
from scheduler.instructions import (
    InstructionKind,
    InstructionParseError,
    StandingInstruction,
    instruction_id,
    parse_instruction,
)
from scheduler.runner import ChoreScheduler, fire_task, job_id
from scheduler.store import (
    InstructionStore,
    InvalidTransitionError,
    Task,
    TaskQueue,
    TaskState,
    UnknownInstructionError,
    UnknownTaskError,
    task_id_for,
)
from scheduler.triggers import RRuleTrigger, next_runs, trigger_for

__all__ = [
    "ChoreScheduler",
    "Clock",
    "InstructionKind",
    "InstructionParseError",
    "InstructionStore",
    "InvalidTransitionError",
    "RRuleTrigger",
    "SimClock",
    "StandingInstruction",
    "Task",
    "TaskQueue",
    "TaskState",
    "UnknownInstructionError",
    "UnknownTaskError",
    "WallClock",
    "fire_task",
    "instruction_id",
    "job_id",
    "next_runs",
    "parse_instruction",
    "task_id_for",
    "trigger_for",
]
