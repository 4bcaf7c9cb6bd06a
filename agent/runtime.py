"""The runtime: wires memory, the scheduler, the safety monitor, the planner and System 1.

``HomeRuntime`` owns one robot (or simulator), one database and one clock. It turns due
chores into tasks, runs each task through the LangGraph task graph, and reports what
happened through an ``on_event`` callback (the CLI's live view listens to it).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.graph import build_task_graph
from agent.planners.base import FixtureInfo, PlanContext, Planner, Subtask, get_planner
from agent.planners.validate import believed_facts
from memory import Memory, open_database
from safety import AuditLog, SafetyContext, SafetyMonitor
from safety.verdict import SafetyVerdict, Verdict
from scheduler import ChoreScheduler, InstructionStore, StandingInstruction, TaskQueue
from scheduler.clock import Clock, SimClock
from skills import REGISTRY, Executor, Observation, SkillRegistry
from skills.types import atom

__all__ = ["HomeRuntime", "InstructionDenied", "RunSummary"]

logger = logging.getLogger(__name__)

EventSink = Callable[[str, dict[str, Any]], None]


class InstructionDenied(ValueError):
    """The safety monitor refused a standing instruction; the message says why."""

    def __init__(self, text: str, verdict: SafetyVerdict) -> None:
        super().__init__(
            f"refused {text!r}: {' '.join(verdict.reasons)} (rules: {', '.join(verdict.rules)})"
        )
        self.verdict = verdict


@dataclass
class RunSummary:
    """What a run did (the demo's table and its ``--json`` output)."""

    chores_due: int = 0
    chores_done: int = 0
    chores_failed: int = 0
    chores_denied: int = 0
    subtasks: int = 0
    subtasks_failed: int = 0
    safety_events: int = 0
    sim_seconds: float = 0.0
    wall_seconds: float = 0.0
    chores: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (a stable contract of ``--json``)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class HomeRuntime:
    """One robot in one home.

    Args:
        env: The robot or simulator (``skills.RobotEnv``).
        clock: The clock the env advances (``SimClock``) or the wall clock.
        db_url: SQLAlchemy URL of the project database.
        planner: Planner backend name or instance.
        realtime: Pace the executor by the wall clock.
        on_event: Called with ``(kind, payload)`` for the live view.
        registry: Skill registry.
        registered_people: People who may instruct and approve.
    """

    def __init__(
        self,
        env: Any,
        clock: Clock,
        *,
        db_url: str,
        planner: str | Planner = "symbolic",
        realtime: bool = False,
        on_event: EventSink | None = None,
        registry: SkillRegistry = REGISTRY,
        registered_people: set[str] | None = None,
    ) -> None:
        self.env = env
        self.clock = clock
        self.registry = registry
        self.on_event = on_event or (lambda kind, payload: None)
        self.db = open_database(db_url)
        self.memory = Memory(self.db)
        self.safety = SafetyMonitor(
            audit=AuditLog(self.db.session, clock), registered_people=registered_people
        )
        self.executor = Executor(env, guard=self.safety.guard, realtime=realtime)
        self.instructions = InstructionStore(self.db.session, clock)
        self.tasks = TaskQueue(self.db.session)
        self.scheduler = ChoreScheduler(self.instructions, self.tasks, clock)
        if isinstance(planner, str):
            planner = get_planner(planner)
        self.planner = planner
        self._last_obs: Observation | None = None
        self._conn = self._checkpoint_connection()
        from langgraph.checkpoint.sqlite import SqliteSaver

        self.graph = build_task_graph(self, checkpointer=SqliteSaver(self._conn))
        self.survey()

    # -- set-up ------------------------------------------------------------------------

    def _checkpoint_connection(self) -> sqlite3.Connection:
        path = self.db.sqlite_path
        if path is None:
            raise NotImplementedError(
                "LangGraph checkpoints are kept in SQLite in this version; use a sqlite:/// "
                "database URL (PostgreSQL checkpoints need langgraph-checkpoint-postgres)"
            )
        conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def survey(self) -> None:
        """Load the home's map (rooms and fixtures) into spatial memory.

        A robot is installed with a map of the home, the way a vacuum robot maps it on its
        first run; where the movable objects are it learns only by looking.
        """
        for name, f in self.env.fixtures.items():
            self.memory.spatial.register_fixture(
                name=name,
                kind=f["kind"],
                room=f["room"],
                x=f.get("x"),
                y=f.get("y"),
                openable=f.get("openable", False),
                switchable=f.get("switchable", False),
                container=f.get("container", False),
                surface=f.get("surface", False),
            )

    def close(self) -> None:
        """Stop the executor and release the database."""
        self.executor.close()
        self._conn.close()
        self.db.close()

    def __enter__(self) -> HomeRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- standing instructions ---------------------------------------------------------

    def instruct(
        self,
        instruction: StandingInstruction,
        *,
        actor: str | None = None,
    ) -> StandingInstruction:
        """Check an instruction with the safety monitor and store it.

        Raises:
            InstructionDenied: if the monitor denies it.
        """
        v = self.safety.check_instruction(instruction.text, actor=actor)
        self.event(
            "safety",
            {
                "level": "instruction",
                "subject": instruction.text,
                "verdict": v.verdict.value,
                "reasons": v.reasons,
            },
        )
        if v.verdict is Verdict.DENY:
            raise InstructionDenied(instruction.text, v)
        if v.verdict is Verdict.CONFIRM:
            instruction = instruction.model_copy(update={"enabled": False})
        self.instructions.add(instruction)
        return instruction

    # -- TaskServices (used by the task graph) -----------------------------------------

    def event(self, kind: str, payload: dict[str, Any]) -> None:
        """Report to the live view."""
        payload.setdefault("time", self.clock.now().isoformat())
        self.on_event(kind, payload)

    def perceive(self, task_id: str) -> None:
        """Observe and write what is seen into spatial memory."""
        obs = self.env.observe()
        self._last_obs = obs
        self.memory.spatial.observe(obs.detections, obs.time, robot_room=obs.proprio.room)

    def plan_context(self, goal: str) -> PlanContext:
        """Everything the planner may know, from memory and the latest observation."""
        obs = self._last_obs or self.env.observe()
        sp = self.memory.spatial
        facts = set(obs.facts())
        places, rooms, kinds = {}, {}, {}
        for o in sp.known_objects():
            kinds[o.name] = o.kind
            if o.missing:
                facts.add(atom("missing", o.name))
            if o.place and o.name != obs.proprio.held:
                places[o.name] = o.place
                rooms[o.name] = o.room
        fixtures = {n: FixtureInfo(**info) for n, info in sp.fixtures().items()}
        for name, info in fixtures.items():
            st = sp.fixture_state(name)
            if info.openable and "open" in st and f"open({name})" not in facts:
                facts.add(atom("open" if st["open"] else "closed", name))
        candidates = {}
        for word in {*kinds, *_goal_words(goal)}:
            candidates[word] = sp.search_candidates(word, kinds.get(word))
        prefs = {f.subject: f.value for f in self.memory.symbolic.facts(predicate="belongs_on")}
        return PlanContext(
            now=self.clock.now().isoformat(),
            robot_room=obs.proprio.room,
            held=obs.proprio.held,
            facts=sorted(facts),
            rooms=list(self.env.rooms),
            fixtures=fixtures,
            object_places=places,
            object_rooms=rooms,
            object_kinds=kinds,
            search_candidates=candidates,
            home_places=prefs,
            skills=self.registry.names(),
        )

    def believed_facts(self) -> set[str]:
        """Facts supported by memory and the latest observation."""
        return believed_facts(self.plan_context(""))

    def safety_context(self, subtask: Subtask) -> SafetyContext:
        """The world as the safety monitor needs it for ``subtask``."""
        obs = self._last_obs or self.env.observe()
        kinds = {o.name: o.kind for o in self.memory.spatial.known_objects()}
        fixtures = self.memory.spatial.fixtures()
        target = subtask.args.get("target")
        obj = subtask.args.get("object")
        return SafetyContext(
            skill=subtask.skill,
            args=dict(subtask.args),
            text=subtask.text,
            risk=self.registry.get(subtask.skill).risk,
            people_home=list(self.env.presence()),
            people_near_robot=[d.name for d in obs.people() if d.distance <= 1.5],
            held=obs.proprio.held,
            facts=set(self.believed_facts()),
            time=self.clock.now(),
            target_kind=(fixtures.get(target, {}).get("kind") if target else None)
            or kinds.get(target or ""),
            object_kind=kinds.get(obj or "") or obj,
        )

    def check_subtask(self, subtask: Subtask, task_id: str) -> SafetyVerdict:
        """Safety gate for one subtask (audited)."""
        v = self.safety.check_subtask(self.safety_context(subtask), task_id=task_id)
        if v.verdict is not Verdict.ALLOW or v.reasons:
            self.event(
                "safety",
                {
                    "level": "plan",
                    "subject": subtask.text,
                    "verdict": v.verdict.value,
                    "reasons": v.reasons,
                    "task_id": task_id,
                },
            )
        return v

    def execute(self, subtask: Subtask, task_id: str) -> dict[str, Any]:
        """Run one subtask on System 1 and remember what was seen."""
        skill = self.registry.bind(subtask.skill, subtask.args)
        self.event("subtask", {"task_id": task_id, "text": skill.text})
        out = self.executor.run(skill)
        obs = out.last_observation
        if obs is not None:
            self._last_obs = obs
            self.memory.spatial.observe(out.seen, obs.time, robot_room=obs.proprio.room)
        self.memory.episodic.record(
            "subtask",
            f"{skill.text}: {out.status}" + (f" ({out.reason})" if out.reason else ""),
            self.clock.now(),
            place=obs.proprio.room if obs else None,
            task_id=task_id,
            data={"skill": out.skill, "args": out.args, "ticks": out.ticks},
        )
        res = {
            "status": out.status,
            "text": skill.text,
            "reason": out.reason,
            "ticks": out.ticks,
            "seconds": out.seconds,
            "clamped": out.clamped_ticks,
        }
        self.event("outcome", {"task_id": task_id, **res})
        return res

    def finish_checks(self, checks: list[tuple[str, str]], task_id: str) -> list[str]:
        """Report each checked item; missing ones go on the shopping list."""
        notes = []
        sp = self.memory.spatial
        for what, place in checks:
            there = [
                o
                for o in sp.objects_at(place)
                if (o.name == what or o.kind == what) and not o.missing
            ]
            now = self.clock.now()
            if there:
                notes.append(f"{what} is in the {place}")
                self.memory.episodic.record(
                    "check",
                    f"checked the {place}: {what} is there",
                    now,
                    place=place,
                    task_id=task_id,
                )
            else:
                self.memory.symbolic.add_item("shopping", what, added_by="robot", when=now)
                notes.append(f"no {what} in the {place}: added {what} to the shopping list")
                self.memory.episodic.record(
                    "check",
                    f"checked the {place}: no {what}; added it to the shopping list",
                    now,
                    place=place,
                    task_id=task_id,
                )
        return notes

    def record(self, kind: str, text: str, task_id: str, data: dict | None = None) -> None:
        """Write an episodic event at the current time."""
        self.memory.episodic.record(kind, text, self.clock.now(), task_id=task_id, data=data)

    # -- running chores ----------------------------------------------------------------

    def run_task(self, task_id: str, goal: str, *, resume: Any = None) -> dict[str, Any]:
        """Run (or resume) one task's graph to its end or to a pause for a person."""
        from langgraph.types import Command

        config = {"configurable": {"thread_id": task_id}, "recursion_limit": 1000}
        self.event("chore_start", {"task_id": task_id, "goal": goal})
        if resume is not None:
            result = self.graph.invoke(Command(resume=resume), config)
        elif self.graph.get_state(config).next:
            result = self.graph.invoke(None, config)  # crashed mid-task: continue
        else:
            result = self.graph.invoke(
                {
                    "task_id": task_id,
                    "goal": goal,
                    "plan": None,
                    "step": 0,
                    "replans": 0,
                    "needs_plan": True,
                    "status": "running",
                },
                config,
            )
        if "__interrupt__" in result:
            result = {**result, "status": "waiting"}
        self.event(
            "chore_end",
            {
                "task_id": task_id,
                "goal": goal,
                "status": result.get("status"),
                "reason": result.get("reason", ""),
            },
        )
        return result

    def run_until(self, end: datetime) -> RunSummary:
        """Fire and run every chore due until ``end``, fast-forwarding idle time."""
        summary = RunSummary()
        t0_wall = time.perf_counter()
        t0_sim = self.clock.now()
        while True:
            now = self.clock.now()
            for task in self.scheduler.fire_due(now):
                self.event("chore_due", {"task_id": task.id, "goal": task.goal})
            task = self.tasks.claim_next(self.clock.now())
            if task is not None:
                self._run_claimed(task, summary)
                continue
            nxt = self.scheduler.next_due(self.clock.now())
            if nxt is None or nxt > end:
                if isinstance(self.clock, SimClock):
                    self.env.idle_until(end)
                break
            if isinstance(self.clock, SimClock):
                self.env.idle_until(nxt)
            else:
                self.clock.sleep((nxt - self.clock.now()).total_seconds())
        self.event("run_end", {})
        summary.sim_seconds = (self.clock.now() - t0_sim).total_seconds()
        summary.wall_seconds = time.perf_counter() - t0_wall
        return summary

    def _run_claimed(self, task: Any, summary: RunSummary) -> None:
        summary.chores_due += 1
        result = self.run_task(task.id, task.goal)
        status = result.get("status", "failed")
        outcomes = result.get("outcomes", [])
        summary.subtasks += len(outcomes)
        summary.subtasks_failed += sum(o["status"] != "success" for o in outcomes)
        summary.safety_events += sum(1 for s in result.get("safety", []) if s["verdict"] != "allow")
        state = {"done": "done", "failed": "failed", "denied": "failed", "waiting": "waiting"}.get(
            status, "failed"
        )
        self.tasks.mark(
            task.id,
            state,
            result={
                "status": status,
                "reason": result.get("reason", ""),
                "subtasks": len(outcomes),
            },
            when=self.clock.now(),
        )
        if status == "done":
            summary.chores_done += 1
        elif status == "denied":
            summary.chores_denied += 1
            summary.chores_failed += 1
        elif status != "waiting":
            summary.chores_failed += 1
        summary.chores.append(
            {
                "task_id": task.id,
                "goal": task.goal,
                "due": task.due_at.isoformat(),
                "status": status,
                "reason": result.get("reason", ""),
                "subtasks": len(outcomes),
            }
        )
        self.memory.episodic.record(
            "task",
            f"{task.goal}: {status}",
            self.clock.now(),
            task_id=task.id,
            data={"reason": result.get("reason", "")},
        )


def _goal_words(goal: str) -> set[str]:
    from agent.knowledge import normalise

    words = normalise(goal).split("_")
    return {w for w in words if len(w) > 2}
