"""The runtime: wires memory, the scheduler, the safety monitor, the planner and System 1.

``HomeRuntime`` owns one robot (or simulator), one database and one clock. It turns due
chores into tasks, runs each task through the LangGraph task graph, and reports what
happened through an ``on_event`` callback (the CLI's live view listens to it).
"""

from __future__ import annotations

import gc
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from housemind.agent.assist import AssistServices
from housemind.agent.checkpoints import open_checkpointer
from housemind.agent.graph import build_task_graph, unpack_world
from housemind.agent.home_lock import acquire_home_lock
from housemind.agent.planners.base import FixtureInfo, PlanContext, Planner, Subtask
from housemind.agent.planners.chain import PlannerChain
from housemind.agent.planners.check import PlanCheck, SafetyPrecheck
from housemind.agent.planners.validate import believed_facts
from housemind.memory import Memory, ObjectSighting, open_database
from housemind.safety import ApprovalBook, AuditLog, PlanChecker, SafetyContext, SafetyMonitor
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.scheduler import ChoreScheduler, InstructionStore, StandingInstruction, TaskQueue
from housemind.scheduler.clock import Clock, SimClock
from housemind.skills import REGISTRY, Executor, Observation, SkillRegistry
from housemind.skills.executor import observe_without_image
from housemind.skills.policies import PolicyChoice, policy_factory
from housemind.skills.types import atom, state_facts

__all__ = ["HomeRuntime", "InstructionDenied", "RunSummary", "record_answer", "split_items"]

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
    """What a run did (the demo's table and its ``--json`` output).

    ``planner_fallbacks`` counts hand-overs from one planner backend to the next (a dead
    server, a broken reply, a rejected plan); each chore also lists its own and the
    backend that made its last plan (``planner``).
    """

    chores_due: int = 0
    chores_done: int = 0
    chores_failed: int = 0
    chores_denied: int = 0
    subtasks: int = 0
    subtasks_failed: int = 0
    safety_events: int = 0
    checkins_asked: int = 0
    checkins_answered: int = 0
    items_bought: list[dict[str, str]] = field(default_factory=list)
    chores_on_time: int = 0
    #: Chores that ended done with nothing made: what they needed is not in the home
    #: (their ``missing``); not on time.
    chores_missing: int = 0

    planner_fallbacks: int = 0
    sim_seconds: float = 0.0
    wall_seconds: float = 0.0
    chores: list[dict[str, Any]] = field(default_factory=list)
    #: Tasks already queued that fall due after the run's end (a delivery's put-away the
    #: next morning): not due in this run, so not counted above.
    upcoming: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (a stable contract of ``--json``)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class HomeRuntime(AssistServices):
    """One robot in one home.

    Args:
        env: The robot or simulator (``skills.RobotEnv``).
        clock: The clock the env advances (``SimClock``) or the wall clock.
        db_url: SQLAlchemy URL of the project database.
        planner: Planner instance, or a spec (``"symbolic"``,
            ``"litellm:openai/gpt-4o-mini,symbolic"``; see ``agent.planners.make_planner``).
            It runs inside a :class:`~agent.planners.chain.PlannerChain` whose plan check
            includes this runtime's safety monitor.
        realtime: Pace the executor by the wall clock.
        on_event: Called with ``(kind, payload)`` for the live view.
        registry: Skill registry.
        registered_people: People who may instruct and approve.
        answerer: Asks a person a check-in question and returns the answer or None (in
            simulation, the simulated resident; on a robot, answers come through
            ``housemind answer`` instead).
        wait_timeout_s: How long a task waits for a person before its fallback.
        poll_s: While tasks wait, how often the run loop looks for answers.
        lock_wait_s: One runtime per home (``agent.home_lock``): if another runtime runs
            this home, wait this long for it to stop (None: as long as it takes, a
            standby), then raise ``HomeBusyError``. 0 refuses at once.
        ask_for_help: When a chore is stuck, ask a person (like a check-in) instead of
            failing (``agent.help``).
        policy: Policy override for System 1: a backend name (``"vla"``: every skill it
            supports) or a mapping skill -> backend; None: each skill's own backend.
        grocery: Where shopping chores order (``skills.grocery.GroceryService``; in
            simulation ``sim.home.grocery.HomeSimGrocery``); None: orders are recorded
            only. See ``agent.shopping``.
        approver: In simulation, a person at home who answers a step's confirmation
            request in person (``SimulatedResident.approve``): True or False, or None when
            nobody is there to ask. On a robot, requests are answered with
            ``housemind approve`` instead.
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
        answerer: Callable[[str], str | None] | None = None,
        wait_timeout_s: float = 4 * 3600.0,
        poll_s: float = 900.0,
        lock_wait_s: float | None = 0.0,
        ask_for_help: bool = True,
        policy: PolicyChoice = None,
        grocery: Any = None,
        approver: Callable[[str], bool | None] | None = None,
    ) -> None:
        self.env = env
        self.clock = clock
        self.registry = registry
        registry.load_entry_points()  # third-party skills (entry-point group housemind.skills)
        self.on_event = on_event or (lambda kind, payload: None)
        self.answerer = answerer
        self.approver = approver
        self._active_run: tuple[str, datetime] | None = None
        self.wait_timeout_s = wait_timeout_s
        self.poll_s = poll_s
        self.db = open_database(db_url)
        self._take_home(lock_wait_s)
        self.memory = Memory(self.db)
        self._init_assist(ask_for_help=ask_for_help)  # corrections and help (agent/assist.py)
        self.safety = SafetyMonitor(
            audit=AuditLog(self.db.session, clock), registered_people=registered_people
        )
        self.executor = Executor(
            env, guard=self.safety.guard, realtime=realtime, policy_for=policy_factory(policy)
        )
        # The dashboard (another process) sees the robot through the status row and stops
        # it through the emergency-stop switch, both in the database (agent/status.py,
        # safety/estop.py); the watcher engages the guard the executor checks every tick.
        from housemind.agent.status import StatusBoard
        from housemind.safety.estop import EmergencyStop, EstopWatcher

        self.status = StatusBoard(self.db, self.snapshot)
        self.estop = EstopWatcher(
            EmergencyStop(self.db), self.safety, on_change=self._estop_changed
        )
        self.registered_people = registered_people
        self.approvals = ApprovalBook(self.db, clock)
        self.instructions = InstructionStore(self.db.session, clock)
        self.tasks = TaskQueue(self.db.session)
        self.scheduler = ChoreScheduler(self.instructions, self.tasks, clock)
        from housemind.agent.shopping import ShoppingLoop

        self.shopping = ShoppingLoop(self, grocery)
        if isinstance(planner, str):
            from housemind.agent.planners.spec import make_planner

            planner = make_planner(planner)
        chain = planner if isinstance(planner, PlannerChain) else PlannerChain([planner])
        precheck = SafetyPrecheck(PlanChecker(self.safety.rulebook), registry, self._situation)
        self.planner: PlannerChain = chain.bind(PlanCheck(registry, safety=precheck))
        self._last_obs: Observation | None = None
        self._folded_at: datetime | None = None  # robot time of the last look memory took
        self._frames: deque[tuple[datetime, Any]] = deque(maxlen=3)  # camera, newest last
        # A look that skips the camera, where the env can (HomeSim renders in tens of ms):
        # the safety gate reads detections only, and so does a planner without images.
        self._look_blind = observe_without_image(self.env) or self.env.observe
        self.graph = build_task_graph(self, checkpointer=self._open_checkpointer())
        self.survey()
        self.estop.start()  # last: nothing to leak if the set-up above fails
        self.event("ready", {})  # the dashboard learns the robot's clock and sees the home

    # -- set-up ------------------------------------------------------------------------

    def _take_home(self, wait_s: float | None) -> None:
        """Take the home's runtime lock before anything is dispatched (closes the db if not)."""
        self._close_checkpointer: Callable[[], None] = lambda: None
        try:
            self._home_lock = acquire_home_lock(self.db, wait_s=wait_s)
        except BaseException:
            self.db.close()
            raise

    def _open_checkpointer(self) -> Any:
        """The graph's checkpointer on the project database (SQLite file or PostgreSQL)."""
        try:
            # On PostgreSQL, checkpoints are written on the session that holds the home's
            # lock: a runtime that lost its lock cannot write another checkpoint.
            session = getattr(self._home_lock, "connection", None)
            saver, self._close_checkpointer = open_checkpointer(self.db, session=session)
        except BaseException:
            self._release_home()
            raise
        return saver

    def _release_home(self) -> None:
        self._close_checkpointer()
        if self._home_lock is not None:
            self._home_lock.release()
        self.db.close()

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
        rooms = self.env.rooms
        if isinstance(rooms, dict):
            for name, rect in rooms.items():
                self.memory.spatial.register_room(name, rect)

    def close(self) -> None:
        """Stop the executor, release the home and the database."""
        self.estop.close()
        self.executor.close()
        self._release_home()

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

        Giving the same instruction again (a restarted ``housemind run``) returns the stored
        one without checking it again.

        Raises:
            InstructionDenied: if the monitor denies it.
        """
        from housemind.scheduler.store import UnknownInstructionError

        try:
            stored = self.instructions.get(instruction.id)
            if stored.text == instruction.text:
                return stored
        except UnknownInstructionError:
            pass
        from housemind.safety.gate import gate_instruction, request_approval

        # The one gate of everything that changes what the robot will do (safety.gate).
        gate = gate_instruction(
            instruction.text,
            db=self.db,
            actor=actor,
            monitor=self.safety,
            instruction_id=instruction.id,
            request=False,
            clock=self.clock,
        )
        if gate.allowed and instruction.goal and instruction.goal != instruction.text:
            gate = gate_instruction(
                instruction.goal,
                db=self.db,
                actor=actor,
                monitor=self.safety,
                instruction_id=instruction.id,
                request=False,
                clock=self.clock,
            )
        v = gate.verdict
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
        if v.verdict is Verdict.CONFIRM:
            request_approval(
                v,
                text=instruction.text,
                db=self.db,
                instruction_id=instruction.id,
                clock=self.clock,
            )
        return instruction

    def check_goal(self, goal: str, task_id: str) -> SafetyVerdict:
        """The safety gate for a task's goal, before it is planned (a one-off ``do`` too).

        A ``confirm`` covered by a person's approval (of this task or of its standing
        instruction) is allowed; otherwise a request is filed and its id travels with
        the verdict.
        """
        # The goal comes from the schedule or the runtime's caller, not from a speaker:
        # whoever gave it passed the gate with their name when it was stored.
        v = self.safety.check_instruction(goal, task_id=task_id, speaker_checked=True)
        if v.verdict is Verdict.CONFIRM:
            instruction_id = self._task_instruction(task_id)
            ok = self.approvals.covering(
                v, subject=goal, task_id=task_id, instruction_id=instruction_id
            ) or (
                self.approvals.approved_for_instruction(instruction_id)
                if instruction_id is not None
                else None
            )
            if ok is not None:
                return SafetyVerdict(
                    verdict=Verdict.ALLOW,
                    reasons=[f"approved by {ok.decided_by} ({ok.scope})", *v.reasons],
                    rules=v.rules,
                )
            from housemind.safety.gate import request_approval

            req = request_approval(
                v,
                text=goal,
                db=self.db,
                instruction_id=instruction_id,
                task_id=task_id,
                clock=self.clock,
            )
            v = v.model_copy(update={"approval_id": req.id})
        return v

    # -- TaskServices (used by the task graph) -----------------------------------------

    def event(self, kind: str, payload: dict[str, Any]) -> None:
        """Report to the live view (and to the status row the dashboard reads)."""
        payload.setdefault("time", self.clock.now().isoformat())
        self.status.on_event(kind, payload)
        self.on_event(kind, payload)

    def _estop_changed(self, st: Any) -> None:
        by = st.pressed_by if st.engaged else st.released_by
        self.event("estop", {"engaged": st.engaged, "by": by, "reason": st.reason or ""})

    def hold_while_stopped(self) -> float:
        """Wait while the emergency stop is engaged (start nothing new); wall seconds held."""
        return self.estop.hold()

    def perceive(self, task_id: str) -> None:
        """Observe and write what is seen into spatial memory."""
        obs = self.env.observe() if self.planner.wants_images else self._look_blind()
        self._last_obs = obs
        self._keep_frame(obs)
        if obs.time == self._folded_at:
            # Memory took a look at this very instant (the subtask that just ended folded
            # everything it saw): the robot has not moved and nothing else has either.
            return
        self.memory.spatial.observe(obs.detections, obs.time, robot_room=obs.proprio.room)
        self._folded_at = obs.time

    def _keep_frame(self, obs: Observation) -> None:
        if getattr(obs, "image", None) is None:
            return
        if self._frames and self._frames[-1][0] == obs.time:
            self._frames.pop()
        self._frames.append((obs.time, obs.image))

    def _images(self, n: int) -> list[str]:
        """The newest ``n`` camera frames as base64 PNG (for vision-language planners)."""
        if n <= 0:
            return []
        from housemind.agent.llm import encode_image

        frames = list(self._frames)[-n:][::-1]
        return [encode_image(img).split(",", 1)[1] for _, img in frames]

    def _people_home(self) -> list[str]:
        """Who is at home now, if the robot can tell (HomeSim's presence; else nobody)."""
        presence = getattr(self.env, "presence", None)
        return list(presence()) if callable(presence) else []

    def _pets(self) -> dict[str, str]:
        """The household's pets by name and kind, if the home says (HomeSim does)."""
        pets = getattr(self.env, "pets", None)
        return dict(pets()) if callable(pets) else {}

    def plan_context(self, goal: str) -> PlanContext:
        """Everything the planner may know, from memory and the latest observation."""
        sp = self.memory.spatial
        return self._plan_context(goal, sp.known_objects(), sp.fixtures())

    def _plan_context(
        self,
        goal: str,
        known: list[ObjectSighting],
        known_fixtures: dict[str, dict[str, Any]],
        *,
        facts_only: bool = False,
    ) -> PlanContext:
        obs = self._last_obs or self.env.observe()
        sp = self.memory.spatial
        facts = set(obs.facts())
        # What is out of view now is as memory last saw it (its remembered state flags).
        in_view = {d.name for d in obs.detections}
        places, rooms, kinds = {}, {}, {}
        held_from = None
        for o in known:
            kinds[o.name] = o.kind
            if o.name == obs.proprio.held:
                held_from = o.place or None  # memory keeps where it was taken from
            if o.missing:
                facts.add(atom("missing", o.name))
            elif o.name not in in_view and o.name != obs.proprio.held and o.state:
                facts |= state_facts(o.name, o.state)
            if o.place and o.name != obs.proprio.held:
                places[o.name] = o.place
                rooms[o.name] = o.room
        fixtures = {n: FixtureInfo(**info) for n, info in known_fixtures.items()}
        states = sp.fixture_states()
        for name in fixtures:
            if name not in in_view:
                facts |= state_facts(name, states.get(name, {}))
        # Search candidates cost a query per object: only a planner (a goal) needs them,
        # not believed_facts(), which the gate and reflect call after every subtask.
        candidates = (
            sp.search_candidates_many({w: kinds.get(w) for w in {*kinds, *_goal_words(goal)}})
            if goal
            else {}
        )
        # The believed facts (the gate's, reflect's) need neither the household's places
        # for things nor its corrections: three queries fewer after every subtask.
        prefs = (
            {}
            if facts_only
            else {f.subject: f.value for f in self.memory.symbolic.facts(predicate="belongs_on")}
        )
        ctx = PlanContext(
            now=self.clock.now().isoformat(),
            robot_room=obs.proprio.room,
            held=obs.proprio.held,
            held_from=held_from,
            facts=sorted(facts),
            rooms=list(self.env.rooms),
            fixtures=fixtures,
            object_places=places,
            object_rooms=rooms,
            object_kinds=kinds,
            search_candidates=candidates,
            home_places=prefs,
            skills=self.registry.names(),
            shopping_list=self.shopping.shopping_list() if goal else [],
            memories=self.memory.context_for(goal, now=self.clock.now()) if goal else [],
            images=self._images(self.planner.wants_images) if goal else [],
            people_home=self._people_home() if goal else [],
            pets=self._pets() if goal else {},
        )
        return ctx if facts_only else self._with_corrections(ctx, goal)

    def _situation(self) -> tuple[Observation | None, list[str], datetime]:
        """What the safety pre-check of a plan needs: the last look, who is home, now."""
        return self._last_obs, self.env.presence(), self.clock.now()

    def believed_facts(self) -> set[str]:
        """Facts supported by memory and the latest observation."""
        sp = self.memory.spatial
        return believed_facts(
            self._plan_context("", sp.known_objects(), sp.fixtures(), facts_only=True)
        )

    def safety_context(self, subtask: Subtask) -> SafetyContext:
        """The world as the safety monitor needs it for ``subtask``.

        A fresh look around, who is home, and what memory believes.
        """
        obs = self._look_blind()
        self._last_obs = obs
        # One read of memory serves both the kinds and the believed facts.
        known, fixtures = self.memory.spatial.known_objects(), self.memory.spatial.fixtures()
        kinds = {o.name: o.kind for o in known}
        kinds.update({n: f["kind"] for n, f in fixtures.items()})
        return SafetyContext.from_observation(
            subtask,
            obs,
            risk=self.registry.get(subtask.skill).risk,
            people_home=self.env.presence(),
            facts=believed_facts(self._plan_context("", known, fixtures, facts_only=True)),
            kinds=kinds,
            # the look-ahead asks whether a pet is home (an open door), not only near
            extra={"pets_home": [d.name for d in obs.detections if d.category == "pet"]},
        ).model_copy(update={"time": self.clock.now()})

    def check_subtask(self, subtask: Subtask, task_id: str) -> SafetyVerdict:
        """Safety gate for one subtask (audited).

        A ``confirm`` already covered by a person's valid approval (scoped and unexpired)
        becomes ``allow``; otherwise an approval request is filed (once per task and
        step) and its id travels with the verdict, so ``housemind approve ID`` can answer.
        """
        v = self.safety.check_subtask(self.safety_context(subtask), task_id=task_id)
        waited = 0.0
        while v.verdict is Verdict.DENY and waited < GATE_WAIT_MAX_S:
            pause = self._passing_denial(v)
            if pause is None:
                break
            # A refusal the situation lifts by itself (someone within reach of the knife
            # walks on): wait as the rule says, then look and check again.
            self._wait_robot_s(pause)
            waited += pause
            v = self.safety.check_subtask(self.safety_context(subtask), task_id=task_id)
        if waited and v.verdict is Verdict.DENY:
            v = v.model_copy(update={"reasons": [*v.reasons, f"(waited {waited:.0f} s)"]})
        if v.verdict is Verdict.DENY and self._passing_denial(v) is not None:
            v = v.model_copy(update={"passing": True})
        if v.verdict is Verdict.CONFIRM:
            instruction_id = self._task_instruction(task_id)
            ok = self.approvals.covering(
                v, subject=subtask.text, task_id=task_id, instruction_id=instruction_id
            )
            if ok is not None:
                v = SafetyVerdict(
                    verdict=Verdict.ALLOW,
                    reasons=[f"approved by {ok.decided_by} ({ok.scope})", *v.reasons],
                    rules=v.rules,
                )
            else:
                pending = next(
                    (
                        a
                        for a in self.approvals.pending()
                        if a.task_id == task_id and a.subject == subtask.text
                    ),
                    None,
                ) or self.approvals.request(
                    v,
                    subject=subtask.text,
                    task_id=task_id,
                    instruction_id=instruction_id,
                    approvers=self.registered_people,
                )
                v = v.model_copy(update={"approval_id": pending.id})
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

    def _passing_denial(self, v: SafetyVerdict) -> float | None:
        """How long to wait before checking again, if every rule that denied says to wait."""
        if not v.rules:
            return None
        waits = {r.id: r.wait_s for r in self.safety.rulebook.plan_rules()}
        pauses = [waits.get(rule) for rule in v.rules]
        if any(p is None for p in pauses):
            return None
        return max(p for p in pauses if p is not None)

    def _wait_robot_s(self, seconds: float) -> None:
        """Let ``seconds`` of the robot's time pass, standing still (the home goes on)."""
        idle = getattr(self.env, "idle_until", None)
        if callable(idle):
            idle(self.clock.now() + timedelta(seconds=seconds))
        else:
            self.clock.sleep(seconds)

    def _task_instruction(self, task_id: str) -> str | None:
        try:
            return self.tasks.get(task_id).instruction_id
        except Exception:  # noqa: BLE001 - a task outside the queue (tests, ad-hoc goals)
            return None

    def execute(self, subtask: Subtask, task_id: str) -> dict[str, Any]:
        """Run one subtask on System 1 and remember what was seen."""
        skill = self.registry.bind(subtask.skill, subtask.args)
        self.hold_while_stopped()  # a stopped robot starts no subtask until released
        self.event("subtask", {"task_id": task_id, "text": skill.text})
        out = self.executor.run(skill)
        obs = out.last_observation
        if obs is not None:
            self._last_obs = obs
            self._keep_frame(obs)
            self.memory.spatial.observe(out.seen, obs.time, robot_room=obs.proprio.room)
            self._folded_at = obs.time
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
            "skill": out.skill,
            "args": out.args,
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
                if (o.name == what or o.kind == what)
                and not o.missing
                and (o.state or {}).get("quantity", 1.0) > 0.0  # a used-up pack is not stock
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

    # -- durability (TaskServices) -----------------------------------------------------

    def snapshot(self) -> dict[str, Any] | None:
        """The simulator's state, random generators included (None on a real robot)."""
        get = getattr(self.env, "get_state", None)
        return get() if get is not None else None

    def _behind(self, world: dict[str, Any]) -> bool:
        """Whether the simulator's clock is behind snapshot ``world`` (True if unknown)."""
        elapsed = getattr(getattr(self.env, "clock", None), "elapsed", None)
        then = world.get("clock_elapsed")
        if not isinstance(elapsed, int | float) or not isinstance(then, int | float):
            return True
        return elapsed < then

    def restore(self, world: dict[str, Any] | None) -> None:
        """Put the simulator back to a snapshot taken by :meth:`snapshot`."""
        if world:
            self.env.set_state(world)
            self._last_obs = None
            self._folded_at = None

    def handle_answer(self, question: str, answer: str | None, task_id: str) -> str:
        """Act on a check-in answer: shopping items go on the shopping list."""
        now = self.clock.now()
        self.memory.episodic.record(
            "check_in",
            f"asked: {question}; answer: {answer or '(no answer)'}",
            now,
            task_id=task_id,
        )
        shopping = bool(_SHOPPING_WORDS.search(question))
        if not answer:
            note = self.shopping.after_check_in(None, [], task_id) if shopping else ""
            again = self._ask_again(task_id)
            return "; ".join(n for n in (note or "no answer before the timeout", again) if n)
        if not shopping:
            return f"noted the answer: {answer}"
        items = split_items(answer)
        for item in items:
            self.memory.symbolic.add_item("shopping", item, added_by="person", when=now)
        self.shopping.after_check_in(answer, items, task_id)
        return f"added {', '.join(items)} to the shopping list" if items else "nothing to add"

    # -- running chores ----------------------------------------------------------------

    def run_task(
        self, task_id: str, goal: str, *, kind: str = "", resume: Any = None
    ) -> dict[str, Any]:
        """Run (or resume) one task's graph to its end or to a pause for a person.

        A task whose graph already has checkpoints (the process died mid-task, or it
        waits for a person) continues from its last checkpoint, with the simulator put
        back to the state that checkpoint recorded. A task resumed with a person's answer
        or approval is the exception: the home went on while it waited (people moved,
        other chores ran, the person may have wiped up the spill they were asked about),
        so it continues in the simulator as it is now, unless that is older than the
        task's checkpoint (a process killed just after the task paused).
        """
        from langgraph.types import Command

        config = {"configurable": {"thread_id": task_id}, "recursion_limit": 1000}
        saved = self.graph.get_state(config)
        world = saved.values.get("world") if saved.values else None
        for t in saved.tasks:
            # A node that finished just before the crash: its writes (and the world it
            # left) are saved, the next checkpoint is not; LangGraph applies them on resume.
            if isinstance(t.result, dict) and t.result.get("world"):
                world = t.result["world"]
        if world:
            snap = unpack_world(world)
            if resume is None or self._behind(snap):
                self.restore(snap)
        finished = saved.values.get("status") in _FINAL and not saved.tasks
        self._assist_task = task_id  # the task whose corrections the planner sees
        self.event("chore_start", {"task_id": task_id, "goal": goal})
        if resume is not None:
            result = self.graph.invoke(Command(resume=resume), config)
        elif saved.interrupts:  # still waiting for a person
            result = {**saved.values, "__interrupt__": saved.interrupts}
        elif saved.values and not finished:
            result = self.graph.invoke(None, config)  # crashed mid-task: continue
        elif saved.values:
            result = dict(saved.values)  # finished before the crash
        else:
            result = self.graph.invoke(
                {
                    "task_id": task_id,
                    "goal": goal,
                    "kind": kind,
                    "plan": None,
                    "step": 0,
                    "replans": 0,
                    "needs_plan": True,
                    "status": "running",
                },
                config,
            )
        if "__interrupt__" in result:
            payload = result["__interrupt__"][0].value
            result = {**result, "status": "waiting", "question": payload.get("question", "")}
            asks = payload.get("kind") in ("check_in", "help")  # a question for a person
            result["waiting_for"] = "answer" if asks else "approval"
            result["approval_id"] = payload.get("approval_id")
        self.event(
            "chore_end",
            {
                "task_id": task_id,
                "goal": goal,
                "status": result.get("status"),
                "reason": result.get("reason", result.get("question", "")),
            },
        )
        return result

    def run_until(self, end: datetime, *, run_id: str | None = None) -> RunSummary:
        """Fire and run every chore due until ``end``, fast-forwarding idle time.

        Args:
            end: Robot-clock time to stop at.
            run_id: With a simulator, keep a durable checkpoint of the run under this id
                (see :meth:`resume_run`), written at every safe point between chores.
        """
        # What exists when the loop starts (models, the home, the registry, the compiled
        # graph) lives as long as the loop: keep it out of the collector's full passes,
        # which walk every object (a simulated month: 17 of them, 2.9 s). Objects made
        # later are collected as usual; at the end everything is collectable again.
        gc.freeze()
        try:
            return self._run_until(end, run_id)
        finally:
            gc.unfreeze()

    def _run_until(self, end: datetime, run_id: str | None) -> RunSummary:
        t0_wall = time.perf_counter()
        t0 = self.clock.now()
        self._active_run = (run_id, end) if run_id is not None else None
        self.event("run_start", {"until": end.isoformat()})
        if run_id is not None:
            self._checkpoint(run_id, end, started=t0)
        self._recover()
        sim = isinstance(self.clock, SimClock)
        checked: datetime | None = None  # this loop's last check: up and busy since then
        while True:
            if self._home_lock is not None:
                self._home_lock.ensure_held()  # else another runtime may own the home now
            now = self.clock.now()
            for task in self.scheduler.fire_due(now, alive_since=checked):
                self.event("chore_due", {"task_id": task.id, "goal": task.goal})
            checked = now
            if self._poll_waiting():
                # A resumed task may already wait on its next question ("could you let me
                # past?" after "could you wipe it up?"): ask it now, not a poll period later.
                continue
            self.hold_while_stopped()
            t_claim = time.perf_counter()
            task = self.tasks.claim_next(self.clock.now())
            if task is not None:
                took = time.perf_counter() - t_claim
                self.event("claimed", {"task_id": task.id, "seconds": took})
                self._run_claimed(task)
                if run_id is not None:
                    self._checkpoint(run_id, end)
                continue
            wake = self.scheduler.next_due(self.clock.now())
            queued = self.tasks.next_pending_due()  # follow-ups (a delivery to put away)
            if queued is not None:
                wake = queued if wake is None else min(wake, queued)
            if self.tasks.list(state="waiting"):
                poll = self.clock.now() + timedelta(seconds=self.poll_s)
                wake = poll if wake is None else min(wake, poll)
            target = end if wake is None or wake > end else wake
            if sim:
                self.env.idle_until(target)
            else:
                self.clock.sleep((target - self.clock.now()).total_seconds())
                # `housemind instruct` in another process may have changed the schedule
                self.scheduler.invalidate()
            if run_id is not None:
                self._checkpoint(run_id, end)
            if target >= end:
                break
        self.event("run_end", {})
        summary = self.summarize(since=None if run_id is not None else t0, until=end)
        if run_id is not None:
            summary.sim_seconds = (self.clock.now() - self.run_started(run_id)).total_seconds()
        summary.wall_seconds = time.perf_counter() - t0_wall
        if run_id is not None:
            self._checkpoint(run_id, end, status="finished", summary=summary.as_dict())
        return summary

    def resume_run(self, run_id: str) -> datetime | None:
        """Put the simulator back where run ``run_id`` stopped; return its end time.

        Returns:
            The run's end time, or None when no such run is stored.
        """
        from housemind.memory.models import RunRecord

        with self.db.session() as s:
            rec = s.get(RunRecord, run_id)
            if rec is None:
                return None
            world, until = dict(rec.world or {}), rec.until
        self.restore(world)
        return until

    def run_status(self, run_id: str) -> str | None:
        """``running`` or ``finished`` for a stored run, None if there is none."""
        from housemind.memory.models import RunRecord

        with self.db.session() as s:
            rec = s.get(RunRecord, run_id)
            return None if rec is None else rec.status

    def run_started(self, run_id: str) -> datetime:
        """When run ``run_id`` started (robot clock); now if there is no such run."""
        from housemind.memory.models import RunRecord

        with self.db.session() as s:
            rec = s.get(RunRecord, run_id)
            return rec.started_at if rec is not None else self.clock.now()

    def _checkpoint(
        self,
        run_id: str,
        until: datetime,
        *,
        started: datetime | None = None,
        status: str = "running",
        summary: dict[str, Any] | None = None,
    ) -> None:
        world = self.snapshot()
        if world is None:
            return
        from housemind.memory.models import RunRecord

        with self.db.session() as s:
            rec = s.get(RunRecord, run_id)
            if rec is None:
                rec = RunRecord(
                    id=run_id,
                    seed=world.get("seed"),
                    started_at=started or self.clock.now(),
                    until=until,
                    world={},
                    summary={},
                )
                s.add(rec)
            rec.world = world
            rec.until = until
            rec.status = status
            rec.updated_at = self.clock.now()
            if summary is not None:
                rec.summary = summary

    def _recover(self) -> None:
        """Finish tasks a killed process left running (each runs once, never twice)."""
        for task in self.tasks.list(state="running"):
            logger.info("resuming task %s (%s) after a restart", task.id, task.goal)
            self._finish_task(task, self.run_task(task.id, task.goal, kind=self._kind(task)))

    def _poll_waiting(self) -> int:
        """Resume tasks waiting for a person once answered, or with the fallback on timeout.

        Returns:
            How many tasks were resumed (one may already wait on its next question).
        """
        resumed = 0
        for task in self.tasks.list(state="waiting"):
            res = task.result or {}
            since = (
                datetime.fromisoformat(res["waiting_since"]) if res.get("waiting_since") else None
            )
            answer: Any = None
            if res.get("waiting_for") == "answer":
                answer, by = res.get("answer"), res.get("answered_by")
                if answer is None and self.answerer is not None:
                    answer = self.answerer(res.get("question", task.goal))
                    by = getattr(self.answerer, "name", None)
                value = {"answer": answer, "by": by} if answer else None
            else:
                value = None
                if res.get("approval_id"):
                    status = self.approvals.get(res["approval_id"]).status
                    if status in ("approved", "denied", "expired"):
                        value = {"approve": status == "approved"}
                    elif status == "pending" and self.approver is not None:
                        value = self._ask_in_person(res)
            timed_out = since is not None and (self.clock.now() - since).total_seconds() >= (
                self.wait_timeout_s
            )
            if value is None and not timed_out:
                continue
            if value is None:  # fallback: a check-in gets no answer, an approval is declined
                value = (
                    {"answer": None} if res.get("waiting_for") == "answer" else {"approve": False}
                )
            self.tasks.mark(task.id, "running", when=self.clock.now())
            self._finish_task(task, self.run_task(task.id, task.goal, resume=value))
            resumed += 1
        return resumed

    def _nobody_to_remind(self, task: Any) -> str | None:
        """The person a reminder was for, when they (or, for "me", anybody) are not home."""
        from housemind.scheduler import InstructionKind

        if task.instruction_id is None:
            return None
        try:
            instr = self.instructions.get(task.instruction_id)
        except KeyError:
            return None
        if instr.kind is not InstructionKind.REMINDER or not instr.person:
            return None
        home = self._people_home()
        person = instr.person
        out = not home if person in ("owner", "me") else person not in home
        return ("you" if person in ("owner", "me") else person) if out else None

    def _ask_again(self, task_id: str) -> str:
        """Ask an unanswered check-in again the next time its person is home (a note)."""
        from housemind.scheduler.routines import HouseholdRoutine, ask_again

        task = self.tasks.get(task_id)
        if task.instruction_id is None:
            return ""
        try:
            instr = self.instructions.get(task.instruction_id)
        except KeyError:
            return ""
        if not instr.person or "(asked again at" in instr.text:
            return ""  # asked twice: the next regular run asks
        routine = HouseholdRoutine.from_facts(self.memory.symbolic.facts(), tz=instr.timezone)
        try:
            # Not straight away: nobody answered just now, whatever the routine says.
            again = ask_again(instr, routine, self.clock.now() + timedelta(hours=2))
        except ValueError as e:
            logger.info("not asking %s again: %s", instr.id, e)
            return ""
        self.instructions.add(again)
        self.scheduler.invalidate()
        when = again.text.rsplit("asked again at ", 1)[-1].rstrip(")")
        return f"will ask again at {when}"

    def _ask_in_person(self, res: dict[str, Any]) -> dict[str, bool] | None:
        """Ask the person at home (simulation) to answer a pending request; None if nobody."""
        decision = self.approver(res.get("question", "")) if self.approver else None
        if decision is None:
            return None
        word = "approved" if decision else "declined"
        # The request is answered in person, not through the book: close it with who did.
        self.approvals.close(res["approval_id"], f"{word} in person by the resident at home")
        return {"approve": bool(decision)}

    def _kind(self, task: Any) -> str:
        if task.instruction_id is None:
            return ""
        try:
            return str(self.instructions.get(task.instruction_id).kind.value)
        except Exception:  # noqa: BLE001 - a deleted instruction: treat as a chore
            return ""

    def _run_claimed(self, task: Any) -> None:
        self._finish_task(task, self.run_task(task.id, task.goal, kind=self._kind(task)))

    def _finish_task(self, task: Any, result: dict[str, Any]) -> None:
        if result.get("status") == "failed" and (who := self._nobody_to_remind(task)):
            # A reminder with its person out is not a failed chore: it is said again the
            # next time they are home (as an unanswered check-in is asked again).
            again = self._ask_again(task.id)
            was = "were" if who == "you" else "was"
            reason = f"{who} {was} not home to be reminded" + (f"; {again}" if again else "")
            result = {**result, "status": "skipped", "reason": reason}
        status = result.get("status", "failed")
        outcomes = result.get("outcomes", [])
        decisions = result.get("decisions", [])
        state = {
            "done": "done",
            "failed": "failed",
            "denied": "failed",
            "waiting": "waiting",
            "skipped": "skipped",
        }.get(status, "failed")
        info: dict[str, Any] = {
            "status": status,
            "reason": result.get("reason", ""),
            "subtasks": len(outcomes),
            "subtasks_failed": sum(o["status"] != "success" for o in outcomes),
            "safety_events": sum(1 for e in result.get("safety", []) if e["verdict"] != "allow"),
            "planner_fallbacks": sum(len(d.get("fallbacks", [])) for d in decisions),
            "planner": next((d["backend"] for d in reversed(decisions) if d.get("backend")), ""),
        }
        if status == "waiting":
            info.update(
                waiting_since=self.clock.now().isoformat(),
                waiting_for=result["waiting_for"],
                question=result.get("question", ""),
                approval_id=result.get("approval_id"),
            )
        if status == "done":
            # What the chore needed and the home lacks ("make tea" with no tea): it ends
            # done (it did all it could, and the item is on the shopping list), but nothing
            # was made, and the run summary does not count it on time.
            missing = list((result.get("plan") or {}).get("missing") or [])
            if missing:
                info["missing"] = missing
            info["reason"] = "; ".join(
                r for r in (info["reason"], self._after_done(task, result)) if r
            )
        elif status == "failed":
            # What a failed chore found run out (no coffee left) is ordered as after a done
            # one: the chore fails today, not every day after. The step that found it may
            # be the first to know (the pack was seen half full, a resident finished it).
            from housemind.agent.knowledge import normalise

            ran_out = [a or b for a, b in _RAN_OUT.findall(str(result.get("reason", "")))]
            self.shopping.top_up(task.id, list(dict.fromkeys(normalise(k) or k for k in ran_out)))
        if self._active_run is not None:
            # The run's checkpoint first: a crash between the two leaves the task running,
            # and recovery then finds its graph finished and only records the outcome.
            self._checkpoint(*self._active_run)
        if status != "waiting":
            # Before the task is marked: a crash between the two leaves it running, and
            # recovery, on the same simulated time, writes the same event again, which
            # episodic memory keeps once (marked first, a crash lost the event for good).
            # Nobody needs to answer for a task that has ended: close its requests.
            self.approvals.close_for_task(
                task.id, f"task {task.id} ended ({status}): {result.get('reason', '')}".strip()
            )
            self.memory.episodic.record(
                "task",
                f"{task.goal}: {status}",
                self.clock.now(),
                task_id=task.id,
                data={"reason": result.get("reason", "")},
            )
        self.tasks.mark(task.id, state, result=info, when=self.clock.now())

    def _after_done(self, task: Any, result: dict[str, Any]) -> str:
        """What a finished chore sets going: orders, purchases, durations. A note or ''."""
        notes = []
        orders = (result.get("plan") or {}).get("orders") or []
        if orders:
            notes.append(self.shopping.order(list(orders), task.id))
        if (task.result or {}).get("followup") == "put_away":
            self.shopping.put_away_done(task.result or {})
        self.shopping.top_up(task.id, list((result.get("plan") or {}).get("missing") or []))
        did_work = bool(result.get("outcomes")) and "missing:" not in str(result.get("reason", ""))
        if task.instruction_id is not None and task.started_at is not None and did_work:
            # How long this chore takes in this home: deadline chores start that early. A
            # run that did nothing ("missing: pasta, added to the shopping list") says
            # nothing about it: counted, it would start the next dinner a minute early.
            from housemind.scheduler import DurationBook

            started = task.started_at
            if started.tzinfo is None:
                started = started.replace(tzinfo=UTC)  # the database keeps UTC
            took = (self.clock.now() - started).total_seconds()
            if took > 0:
                DurationBook(self.memory.symbolic).record(task.goal, took, when=self.clock.now())
                self.scheduler.invalidate()
        return "; ".join(n for n in notes if n)

    def summarize(self, since: datetime | None = None, until: datetime | None = None) -> RunSummary:
        """Summarise the tasks in the database (due at or after ``since``).

        Each chore has ``goal``, ``kind`` (``chore``, ``check_in`` or ``reminder``),
        ``due``, ``status`` and ``finished_at`` (robot clock, None while unfinished).
        Tasks due after ``until`` (the run's end) are listed in ``upcoming`` only.
        """
        summary = RunSummary()
        kinds = {i.id: i.kind.value for i in self.instructions.list()}
        for t in self.tasks.list():
            if since is not None and t.due_at < since:
                continue
            if until is not None and _aware(t.due_at) > until and t.state.value == "pending":
                summary.upcoming.append(
                    {
                        "task_id": t.id,
                        "goal": t.goal,
                        "due": t.due_at.astimezone(self.clock.tz).isoformat(),
                    }
                )
                continue
            res = t.result or {}
            status = res.get("status", t.state.value)
            kind = _chore_kind(kinds.get(t.instruction_id or "", ""))
            if kind == "check_in" and t.state.value in ("done", "skipped"):
                summary.checkins_asked += 1
                summary.checkins_answered += t.state.value == "done"
            summary.chores_due += 1
            summary.chores_done += t.state.value == "done"
            summary.chores_failed += t.state.value == "failed"
            summary.chores_denied += status == "denied"
            summary.subtasks += int(res.get("subtasks", 0))
            summary.subtasks_failed += int(res.get("subtasks_failed", 0))
            summary.safety_events += int(res.get("safety_events", 0))
            summary.planner_fallbacks += int(res.get("planner_fallbacks", 0))
            deadline = res.get("deadline")
            missing = list(res.get("missing") or []) if kind == "chore" else []
            on_time = (
                t.state.value == "done"
                and not missing
                and (
                    deadline is None
                    or t.finished_at is None
                    or _aware(t.finished_at) <= datetime.fromisoformat(deadline)
                )
            )
            summary.chores_on_time += on_time
            summary.chores_missing += bool(missing)
            summary.chores.append(
                {
                    "task_id": t.id,
                    "goal": t.goal,
                    "kind": kind,
                    "due": t.due_at.astimezone(self.clock.tz).isoformat(),
                    "status": t.state.value if status == "waiting" else status,
                    "finished_at": (
                        t.finished_at.astimezone(self.clock.tz).isoformat()
                        if t.finished_at is not None and t.state.value != "waiting"
                        else None
                    ),
                    "deadline": (
                        datetime.fromisoformat(deadline).astimezone(self.clock.tz).isoformat()
                        if deadline
                        else None
                    ),
                    "on_time": on_time,
                    "missing": missing,
                    "reason": res.get("reason", res.get("question", "")),
                    "subtasks": int(res.get("subtasks", 0)),
                    "dispatch_count": t.dispatch_count,
                    "planner": res.get("planner", ""),
                    "planner_fallbacks": int(res.get("planner_fallbacks", 0)),
                }
            )
        summary.chores.sort(key=lambda c: (c["due"], c["task_id"]))
        summary.items_bought = [
            b for b in self.shopping.bought() if since is None or b["when"] >= since.isoformat()
        ]
        first = min((t.due_at for t in self.tasks.list()), default=None)
        start = since or first
        if start is not None:
            summary.sim_seconds = max(0.0, (self.clock.now() - start).total_seconds())
        return summary


def _aware(when: datetime) -> datetime:
    """A database time as an aware UTC time (SQLite returns naive UTC)."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _chore_kind(instruction_kind: str) -> str:
    """The summary's kind of a task: ``check_in``, ``reminder`` or ``chore``."""
    return instruction_kind if instruction_kind in ("check_in", "reminder") else "chore"


def record_answer(db: Any, task_id: str, text: str, *, by: str = "owner") -> None:
    """Store a person's answer to a waiting check-in; the run loop resumes the task with it.

    Raises:
        KeyError: if there is no such task.
        ValueError: if the answer is empty, the task is not waiting for an answer, or it
            was answered already (an answer is never overwritten).
    """
    from housemind.memory.models import TaskRecord

    if not text.strip():
        raise ValueError("the answer is empty; say what you want, e.g. 'eggs and bread'")
    with db.session() as s:
        row = s.get(TaskRecord, task_id)
        if row is None:
            raise KeyError(f"no task {task_id!r}; 'housemind tasks --db ...' lists them")
        res = dict(row.result or {})
        if row.state != "waiting" or res.get("waiting_for") != "answer":
            raise ValueError(
                f"task {task_id} ({row.goal}) is {row.state}, not waiting for an answer"
            )
        if res.get("answer") is not None:
            raise ValueError(
                f"task {task_id} ({row.goal}) was already answered by "
                f"{res.get('answered_by', 'someone')}: {res['answer']!r}"
            )
        res.update(answer=text.strip(), answered_by=by)
        row.result = res
        goal = row.goal
    # Who answered what, in the audit log with every other thing a person tells the robot.
    AuditLog(db).record(
        "instruction",
        f"answer to {task_id} ({goal}): {text.strip()}",
        SafetyVerdict(verdict=Verdict.ALLOW, reasons=[f"answered by {by}"]),
        actor=by,
        task_id=task_id,
    )


_FINAL = ("done", "failed", "denied", "skipped")
#: The longest a step waits for a refusal to lift (rules with ``wait_s``) before the chore
#: ends denied.
GATE_WAIT_MAX_S = 300.0
#: A failed step's reason when something the chore uses ran out ("there is no coffee left
#: in the home", "the bag of pet food is empty; add pet food to the shopping list"): the
#: thing is ordered at once.
_RAN_OUT = re.compile(
    r"\bthere is no ([a-z_ ]+?) left in the home\b|\badd (?!it\b)([a-z_ ]+?) to the shopping list\b"
)

_SHOPPING_WORDS = re.compile(r"\b(shop|shopping|pick up|buy|grocer|groceries|store)\b", re.I)


def split_items(answer: str) -> list[str]:
    """``"eggs, bread and some milk please"`` -> ``["eggs", "bread", "milk"]``."""
    text = re.sub(r"\b(please|thanks|thank you|i need|we need|get me|just)\b", " ", answer.lower())
    parts = re.split(r",|;|\band\b|&|\n", text)
    out = []
    for p in parts:
        words = [w for w in re.findall(r"[a-z][a-z'-]*", p) if w not in _FILLER]
        if words:
            item = " ".join(words)
            if item not in out:
                out.append(item)
    return out


_FILLER = {"some", "a", "an", "the", "more", "of", "few", "couple", "nothing", "no"}


def _goal_words(goal: str) -> set[str]:
    from housemind.agent.knowledge import normalise

    words = normalise(goal).split("_")
    return {w for w in words if len(w) > 2}
