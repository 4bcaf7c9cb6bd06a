"""The task graph (System 2's loop): perceive -> plan -> gate -> dispatch -> reflect.

One LangGraph thread per task (``thread_id`` = task id), checkpointed in the project
database, so a task interrupted by a crash or waiting for a person resumes where it
stopped. The graph never touches actuators: ``dispatch`` hands a validated, safety-gated
subtask to System 1 (the executor) and waits for its outcome. Nodes may re-run after a
crash (LangGraph resumes a node from its top), so their side effects are idempotent: the
executor declares success at once when a subtask's effect already holds.

Between two subtasks (``reflect``) the graph looks for corrections a person gave during
the task (``housemind say``, the dashboard) and, if there are new ones, plans again with
them (agent/corrections.py). When it is stuck (a thing it cannot find, a step that keeps
failing), ``get_help`` asks a person a specific question through the same interrupt as a
check-in and plans again with the answer (agent/help.py).
"""

from __future__ import annotations

import json
import logging
import operator
import time
import zlib
from typing import Annotated, Any, Literal, Protocol, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt

from housemind.agent.help import (
    MAX_HELP,
    holder_in_answer,
    in_the_way,
    in_use,
    subtasks_done,
    unreachable,
)
from housemind.agent.planners.base import Plan, PlanContext, Planner, PlanningError, Subtask
from housemind.agent.planners.validate import PlanValidationError, validate_plan
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.skills.spec import SkillRegistry

__all__ = [
    "LOOKS_PER_REPLAN",
    "TaskServices",
    "TaskState",
    "build_task_graph",
    "pack_world",
    "unpack_world",
]

logger = logging.getLogger(__name__)

TaskStatus = Literal["running", "done", "failed", "denied", "skipped"]


class TaskState(TypedDict, total=False):
    """The checkpointed state of one task (plain JSON-able values only)."""

    task_id: str
    goal: str
    plan: dict[str, Any] | None
    step: int
    done: Annotated[list[dict[str, Any]], operator.add]
    outcomes: Annotated[list[dict[str, Any]], operator.add]
    safety: Annotated[list[dict[str, Any]], operator.add]
    # One entry per planning decision: the backend whose plan was taken ("" if none), the
    # hand-overs between backends (``fallbacks``), and what it cost (latency, tokens).
    decisions: Annotated[list[dict[str, Any]], operator.add]
    replans: int
    looks: int  # plans that only looked or searched (their own budget, see build_task_graph)
    needs_plan: bool
    failed: dict[str, Any] | None
    status: TaskStatus
    reason: str
    kind: str  # the instruction's kind; "check_in" tasks ask a person instead of acting
    answer: str | None
    # Corrections and help (agent/corrections.py, agent/help.py): the fact ids of this
    # task's corrections acted on, the one to replan on next, the question the task is
    # stuck on, how often it asked, and where the steps and outcomes since the last answer
    # start (a search starts afresh after a person says where to look).
    corrections_seen: list[int]
    correction: str | None
    stuck: dict[str, Any] | None
    helped: int
    # Things a person said they have ("alex has it"), with who: planned around.
    in_use: dict[str, str]
    done_from: int
    outcomes_from: int
    # Simulator snapshot after the last node, as JSON text (its random-generator states hold
    # 128-bit integers, which the checkpoint serializer cannot); None on a real robot.
    world: bytes | str | None


class TaskServices(Protocol):
    """What the graph needs from the runtime (memory, safety, System 1)."""

    registry: SkillRegistry
    planner: Planner

    def perceive(self, task_id: str) -> None:
        """Observe and update memory."""
        ...

    def plan_context(self, goal: str) -> PlanContext:
        """Build the planner's context from memory and the latest observation."""
        ...

    def check_subtask(self, subtask: Subtask, task_id: str) -> SafetyVerdict:
        """Ask the safety monitor about the next subtask."""
        ...

    def execute(self, subtask: Subtask, task_id: str) -> dict[str, Any]:
        """Run the subtask on System 1 and return its outcome as a dict."""
        ...

    def believed_facts(self) -> set[str]:
        """Facts memory and the latest observation support now."""
        ...

    def finish_checks(self, checks: list[tuple[str, str]], task_id: str) -> list[str]:
        """Handle a plan's checks (e.g. missing items go on the shopping list)."""
        ...

    def record(self, kind: str, text: str, task_id: str, data: dict | None = None) -> None:
        """Write an episodic event."""
        ...

    def snapshot(self) -> dict[str, Any] | None:
        """The simulator's state (None on a real robot, whose world persists by itself)."""
        ...

    def handle_answer(self, question: str, answer: str | None, task_id: str) -> str:
        """Act on a person's answer to a check-in (``None``: no answer in time)."""
        ...

    # Optional (the runtime has them; agent/assist.py): ``new_corrections(task_id, seen,
    # done)`` returns corrections given during the task not acted on yet;
    # ``help_question(goal, reason, outcomes)`` a question for a person when stuck (or
    # None); ``help_answered(need, answer, by, task_id, goal)`` acts on the answer.


#: A task may look around or search this many times per failure replan it is allowed.
LOOKS_PER_REPLAN = 3


def pack_world(world: dict[str, Any]) -> bytes:
    """A simulator snapshot as a checkpoint stores it: compact JSON, zlib-compressed.

    Every node of every chore checkpoints the world it left (about 30 kB of JSON in the
    furnished ``house``), and LangGraph's SQLite saver copies the channels into each
    checkpoint: compressed (level 1, about a fifth of the size) a simulated month's
    database is 130 MB instead of 450 MB (``benchmarks/RESULTS.md``).
    """
    return zlib.compress(json.dumps(world, separators=(",", ":")).encode(), 1)


def unpack_world(value: bytes | str) -> dict[str, Any]:
    """The snapshot stored by :func:`pack_world` (or as plain JSON, by older versions)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return json.loads(zlib.decompress(value))
    return json.loads(value)


def build_task_graph(services: TaskServices, *, max_replans: int = 10, checkpointer=None):
    """Compile the task graph.

    Args:
        services: The runtime's services.
        max_replans: Replans allowed per task after failures before giving up. Plans that
            only look around or search (incomplete plans) have a budget of their own,
            :data:`LOOKS_PER_REPLAN` times as large, so a long search does not use up the
            retries of the steps that follow it.
        checkpointer: A LangGraph checkpointer (e.g. ``SqliteSaver``); required for
            ``confirm`` verdicts, which pause the task with ``interrupt``.
    """

    def need_help(state: TaskState, reason: str) -> dict[str, Any] | None:
        ask = getattr(services, "help_question", None)
        if ask is None or state.get("helped", 0) >= MAX_HELP:
            return None
        outcomes = state.get("outcomes", [])[int(state.get("outcomes_from", 0)) :]
        return ask(state["goal"], reason, outcomes)

    def new_corrections(state: TaskState) -> dict[str, Any] | None:
        take = getattr(services, "new_corrections", None)
        if take is None:
            return None
        seen = list(state.get("corrections_seen", []))
        news = take(state["task_id"], seen, state.get("done", []))
        if not news:
            return None
        said = "; ".join(f"{n['by'] or 'a person'} said '{n['text']}'" for n in news)
        return {
            "corrections_seen": seen + [n["id"] for n in news],
            "correction": f"corrected during the task: {said}",
            "needs_plan": True,
            "replans": state.get("replans", 0) + 1,
            "failed": None,
        }

    def perceive(state: TaskState) -> dict:
        services.perceive(state["task_id"])
        return {}

    def plan(state: TaskState) -> dict:
        goal, task_id = state["goal"], state["task_id"]
        ctx = services.plan_context(goal)
        ctx.unreachable = unreachable(state.get("outcomes", []))
        ctx.in_the_way = {
            t: why
            for t, why in in_the_way(state.get("outcomes", [])).items()
            if t in ctx.unreachable
        }
        ctx.in_use = {**in_use(state.get("outcomes", [])), **(state.get("in_use") or {})}
        done = subtasks_done(state)
        failed = state.get("failed")
        correction = state.get("correction")
        if state.get("plan") is None and hasattr(services, "check_goal"):
            # The goal itself passes the safety gate before anything is planned.
            v = services.check_goal(goal, task_id)
            event = {
                "subtask": goal,
                "verdict": v.verdict.value,
                "reasons": v.reasons,
                "rules": v.rules,
            }
            if v.verdict is Verdict.CONFIRM:
                answer = interrupt(
                    {
                        "task_id": task_id,
                        "question": f"May I '{goal}'? " + " ".join(v.reasons),
                        "rules": v.rules,
                        "approval_id": v.approval_id,
                    }
                )
                approved = bool(answer.get("approve")) if isinstance(answer, dict) else bool(answer)
                if not approved:
                    return {
                        "safety": [event],
                        "status": "denied",
                        "needs_plan": False,
                        "reason": f"'{goal}' was not approved",
                    }
            elif v.verdict is Verdict.DENY:
                return {
                    "safety": [event],
                    "status": "denied",
                    "needs_plan": False,
                    "reason": f"safety denied '{goal}': " + " ".join(v.reasons),
                }

        t0 = time.perf_counter()
        try:
            if state.get("plan") is None:
                p = services.planner.plan(goal, ctx)
            else:
                p = services.planner.replan(
                    goal,
                    ctx,
                    done=done,
                    failed=Subtask(**failed["subtask"]) if failed else None,
                    reason=correction
                    or (failed["reason"] if failed else "continue after searching"),
                )
            validate_plan(p, services.registry, ctx)
        except (PlanningError, PlanValidationError) as e:
            services.record("plan_failed", f"could not plan '{goal}': {e}", task_id)
            decision = {
                "backend": "",
                "fallbacks": list(getattr(e, "fallbacks", [])),
                "latency_s": time.perf_counter() - t0,
            }
            need = need_help(state, str(e))
            if need is not None:  # a person can help: ask instead of failing
                return {"stuck": need, "needs_plan": False, "decisions": [decision]}
            return {
                "status": "failed",
                "reason": str(e),
                "needs_plan": False,
                "decisions": [decision],
            }
        services.record(
            "plan",
            f"plan for '{goal}': " + "; ".join(s.text for s in p.subtasks),
            task_id,
            {
                "backend": p.backend,
                "complete": p.complete,
                "fallbacks": p.fallbacks,
                "rationale": p.rationale,
            },
        )
        emit = getattr(services, "event", None)  # the live view, rerun logging
        if emit is not None:
            emit(
                "plan",
                {
                    "task_id": task_id,
                    "goal": goal,
                    "subtasks": [s.text for s in p.subtasks],
                    "backend": p.backend,
                },
            )
        decision = {
            **p.usage,
            "latency_s": time.perf_counter() - t0,
            "backend": p.backend,
            "fallbacks": list(p.fallbacks),
        }
        return {
            "decisions": [decision],
            "plan": p.model_dump(),
            "step": 0,
            "needs_plan": False,
            "failed": None,
            "correction": None,
            "status": "running",
        }

    def gate(state: TaskState) -> dict:
        p = Plan(**state["plan"])
        st = p.subtasks[state["step"]]
        v = services.check_subtask(st, state["task_id"])
        event = {
            "subtask": st.text,
            "verdict": v.verdict.value,
            "reasons": v.reasons,
            "rules": v.rules,
        }
        if v.verdict is Verdict.CONFIRM:
            answer = interrupt(
                {
                    "task_id": state["task_id"],
                    "question": f"May I '{st.text}'? " + " ".join(v.reasons),
                    "subtask": st.model_dump(),
                    "rules": v.rules,
                    "approval_id": v.approval_id,
                }
            )
            approved = bool(answer.get("approve")) if isinstance(answer, dict) else bool(answer)
            event["answer"] = "approved" if approved else "declined"
            if approved:
                return {"safety": [event]}
            return {
                "safety": [event],
                "status": "denied",
                "reason": f"'{st.text}' was not approved",
            }
        thing = st.args.get("object")
        if v.verdict is Verdict.DENY and v.passing and st.skill == "pick" and thing:
            # Not now (someone is within reach of the knife, and stayed while the robot
            # waited): this chore leaves the thing and does the rest; the next run tries it.
            event["answer"] = "left out"
            return {
                "safety": [event],
                "in_use": {**(state.get("in_use") or {}), str(thing): "the person next to it"},
                "needs_plan": True,
                "failed": None,
            }
        if v.verdict is Verdict.DENY:
            return {
                "safety": [event],
                "status": "denied",
                "reason": f"safety denied '{st.text}': " + " ".join(v.reasons),
            }
        return {"safety": [event] if v.reasons else []}

    def dispatch(state: TaskState) -> dict:
        p = Plan(**state["plan"])
        st = p.subtasks[state["step"]]
        out = services.execute(st, state["task_id"])
        upd: dict[str, Any] = {"outcomes": [out]}
        if out["status"] == "success":
            upd["done"] = [st.model_dump()]
            upd["step"] = state["step"] + 1
        else:
            upd["failed"] = {"subtask": st.model_dump(), "reason": out.get("reason", "")}
        return upd

    def reflect(state: TaskState) -> dict:
        p = Plan(**state["plan"])
        task_id = state["task_id"]
        corrected = new_corrections(state)  # a safe point: nothing is moving
        if corrected is not None:
            return corrected
        if state.get("failed"):
            stuck = need_help(state, "")
            if stuck is not None:
                return {"stuck": stuck}
            if state.get("replans", 0) >= max_replans * (1 + state.get("helped", 0)):
                return {
                    "status": "failed",
                    "reason": f"gave up after {state.get('replans', 0)} replans; last failure: "
                    f"{state['failed']['reason']}",
                }
            return {"needs_plan": True, "replans": state.get("replans", 0) + 1}
        if state["step"] < len(p.subtasks):
            return {}
        if not p.complete:
            looks = state.get("looks", 0)
            if looks >= LOOKS_PER_REPLAN * max_replans * (1 + state.get("helped", 0)):
                return {
                    "status": "failed",
                    "reason": f"gave up after looking and searching {looks} times",
                }
            return {"needs_plan": True, "looks": looks + 1}
        believed = services.believed_facts()
        missing = [f for f in p.goal_facts if f not in believed]
        if missing:
            services.record("goal_unmet", f"after the plan, {', '.join(missing)} not seen", task_id)
            if state.get("replans", 0) >= max_replans * (1 + state.get("helped", 0)):
                return {"status": "failed", "reason": f"goal not reached: {', '.join(missing)}"}
            return {"needs_plan": True, "replans": state.get("replans", 0) + 1, "failed": None}
        notes = services.finish_checks([tuple(c) for c in p.checks], task_id)
        return {"status": "done", "reason": "; ".join([*p.left_out, *notes])}

    def ask(state: TaskState) -> dict:
        question = state["goal"]
        answer = interrupt({"task_id": state["task_id"], "question": question, "kind": "check_in"})
        if isinstance(answer, dict):
            answer = answer.get("answer")
        note = services.handle_answer(question, answer, state["task_id"])
        if not answer:
            return {"status": "skipped", "reason": note, "answer": None}
        return {"status": "done", "reason": note, "answer": answer}

    def get_help(state: TaskState) -> dict:
        need = state["stuck"] or {}
        question = need.get("question", state["goal"])
        answer = interrupt({"task_id": state["task_id"], "question": question, "kind": "help"})
        by = None
        if isinstance(answer, dict):
            by, answer = answer.get("by"), answer.get("answer")
        helped = state.get("helped", 0) + 1
        if not answer:
            services.record("help", f"asked: {question} (no answer)", state["task_id"])
            return {
                "stuck": None,
                "helped": helped,
                "status": "failed",
                "reason": f"stuck, and nobody answered in time: I asked '{question}' "
                f"({need.get('reason', '')})",
            }
        note = services.help_answered(need, str(answer), by, state["task_id"], state["goal"])
        holder = holder_in_answer(str(answer), by)
        told = dict(state.get("in_use") or {})
        if holder is not None and need.get("thing"):
            told[str(need["thing"])] = holder  # "alex has it": planned around from now on
        return {
            "in_use": told,
            "stuck": None,
            "helped": helped,
            "needs_plan": True,
            "failed": None,
            "status": "running",
            "reason": note,
            # the replan's reason: a model planner reads the question and the answer
            "correction": f"I asked '{question}'; {by or 'a person'} answered: {answer}",
            "done_from": len(state.get("done", [])),
            "outcomes_from": len(state.get("outcomes", [])),
        }

    # The last snapshot packed and its bytes: most nodes (plan, gate, reflect) leave the
    # world as it was, and comparing two snapshots costs a fraction of packing one.
    last: list[Any] = [None, None]

    def packed(world: dict[str, Any]) -> bytes:
        if world != last[0]:
            last[:] = [world, pack_world(world)]
        return last[1]

    def with_world(node):
        # Every node's checkpoint carries the simulator state it left behind, so a run
        # killed at any moment resumes the same simulated home from the same point.
        def run(state: TaskState) -> dict:
            update = node(state)
            world = services.snapshot()
            if world is not None:
                update = {**update, "world": packed(world)}
            return update

        run.__name__ = node.__name__
        return run

    def after_start(state: TaskState) -> str:
        return "ask" if state.get("kind") == "check_in" else "perceive"

    def after_perceive(state: TaskState) -> str:
        return "plan" if state.get("needs_plan", True) else "gate"

    def after_plan(state: TaskState) -> str:
        if state.get("stuck"):
            return "get_help"
        if state.get("status") in ("failed", "denied"):
            return END
        if not Plan(**state["plan"]).subtasks:
            return "reflect"
        return "gate"

    def after_gate(state: TaskState) -> str:
        if state.get("status") == "denied":
            return END
        # a step refused for now (a knife someone is next to) is left out: plan the rest
        return "plan" if state.get("needs_plan") else "dispatch"

    def after_reflect(state: TaskState) -> str:
        if state.get("stuck"):
            return "get_help"
        return END if state.get("status") in ("done", "failed", "denied") else "perceive"

    def after_help(state: TaskState) -> str:
        return END if state.get("status") == "failed" else "perceive"

    g = StateGraph(TaskState)
    for node in (perceive, plan, gate, dispatch, reflect, ask, get_help):
        g.add_node(node.__name__, with_world(node))
    g.add_conditional_edges(START, after_start, ["ask", "perceive"])
    g.add_edge("ask", END)
    g.add_conditional_edges("perceive", after_perceive, ["plan", "gate"])
    g.add_conditional_edges("plan", after_plan, ["gate", "reflect", "get_help", END])
    g.add_conditional_edges("gate", after_gate, ["dispatch", "plan", END])
    g.add_edge("dispatch", "reflect")
    g.add_conditional_edges("reflect", after_reflect, ["perceive", "get_help", END])
    g.add_conditional_edges("get_help", after_help, ["perceive", END])
    return g.compile(checkpointer=checkpointer)
