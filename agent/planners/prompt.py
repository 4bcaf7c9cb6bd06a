"""What a model planner is told and what it must answer.

:func:`build_messages` turns a goal and a :class:`~agent.planners.base.PlanContext` (memory
and the latest perception) into chat messages: the rules, the goal, the robot's situation,
the home's map and the objects memory believes in, relevant memories, the skill catalogue
(templates, parameters, preconditions, effects, from the registry), the outcomes of the
steps done so far, and any earlier plan that was rejected with the reason. Camera images
are attached by the model client. The reply must validate as :class:`PlanReply`: steps
with a short rationale each. :func:`reply_to_plan` and :func:`plan_to_reply` convert
between a reply and a :class:`~agent.planners.base.Plan`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from housemind.agent.planners.base import Plan, PlanContext, Subtask
from housemind.skills.spec import SkillRegistry

__all__ = [
    "SYSTEM_PROMPT",
    "LookFor",
    "PlanReply",
    "PlanStep",
    "build_messages",
    "describe_skills",
    "plan_to_reply",
    "reply_to_plan",
    "situation_key",
]

# Caps keep the prompt within a small local model's context in the largest HomeSim home.
_MAX_FACTS = 80
_MAX_OBJECTS = 80
_MAX_MEMORIES = 12

SYSTEM_PROMPT = """\
You are the planner (System 2) of a household robot. Break the goal into a short list of \
steps. Each step is one call of a skill from the catalogue, with arguments that name \
rooms, fixtures and objects exactly as they are written in the situation (snake_case \
names). Rules:
- A step's preconditions must hold when it starts: in the facts now, or made true by the \
effects of earlier steps. near(X) holds after navigating to X, and also for everything on \
a fixture you are near, or in it when it is not closed.
- The robot holds one thing at a time. Open a closed container before taking from it or \
putting into it, and close it again after.
- If you do not know where a thing is, plan to go to the most likely place to look, set \
"complete" to false, and you will be asked again after the robot has looked.
- "goal_facts" are facts that hold once the goal is reached (e.g. in(mug,sink)); list \
only facts your steps make true. "look_for" lists things to look for at a place (a \
missing one goes on the shopping list).
- Give every step a one-sentence rationale. Never plan anything unsafe: a safety monitor \
checks every step and refuses dangerous ones.
- If the goal cannot be done with these skills, give no steps and say why in "cannot"."""


class PlanStep(BaseModel):
    """One step of a model's plan."""

    skill: str = Field(description="A skill name from the catalogue.")
    args: dict[str, str] = Field(
        default_factory=dict, description="The skill's parameters, by name."
    )
    rationale: str = Field("", description="Why this step, in one short sentence.")


class LookFor(BaseModel):
    """Something to look for while carrying out the plan."""

    object: str
    place: str


class PlanReply(BaseModel):
    """The reply a model planner must give (its JSON schema goes to the model)."""

    rationale: str = Field("", description="The plan in one sentence.")
    steps: list[PlanStep] = Field(description="The steps, in order.")
    complete: bool = Field(
        True, description="False if the plan only searches and you want to be asked again."
    )
    goal_facts: list[str] = Field(
        default_factory=list, description="Facts that hold once the goal is reached."
    )
    look_for: list[LookFor] = Field(
        default_factory=list, description="Things to look for at a place while doing it."
    )
    cannot: str = Field("", description="Why the goal cannot be planned, if it cannot.")


def _w(name: str | None) -> str:
    return name or "nothing"


def describe_skills(registry: SkillRegistry, names: Iterable[str] | None = None) -> list[str]:
    """One line per skill: call form, language template, preconditions and effects.

    Args:
        registry: The skill registry.
        names: Only these skills (all registered skills if None or empty).
    """
    wanted = set(names or ())
    lines = []
    for spec in registry:
        if wanted and spec.name not in wanted:
            continue
        fields = spec.params.model_json_schema().get("properties", {})
        params = []
        for pname, info in fields.items():
            choice = "|".join(info["enum"]) if "enum" in info else ""
            default = f"={info['default']}" if "default" in info else ""
            params.append(f"{pname}{':' + choice if choice else ''}{default}")
        needs = ", ".join(spec.preconditions) or "nothing"
        gives = ", ".join(spec.effects) or "nothing"
        line = (
            f'- {spec.name}({", ".join(params)}): "{spec.template}". Needs: {needs}. Then: {gives}.'
        )
        if spec.description:
            line += f" {spec.description}"
        lines.append(line)
    return lines


def _fixture_line(name: str, info: Any, facts: set[str]) -> str:
    flags = [
        flag
        for flag, on in (
            ("container", info.container),
            ("surface", info.surface),
            ("openable", info.openable),
            ("switchable", info.switchable),
        )
        if on
    ]
    for state in ("open", "closed", "switched_on", "switched_off"):
        if f"{state}({name})" in facts:
            flags.append(state)
    return f"- {name} ({info.kind}, {info.room}){': ' + ', '.join(flags) if flags else ''}"


def _correction_line(c: Any) -> str:
    when = "just now, during this task" if c.live else f"at {c.at or 'an earlier time'}"
    about = f" (about the {c.about})" if c.about else ""
    return f'- {c.by or "someone"} said {when}: "{c.text}"{about}'


def _situation(
    goal: str,
    ctx: PlanContext,
    registry: SkillRegistry,
    done: Sequence[Mapping[str, Any] | Subtask],
    failed: Subtask | None,
    reason: str,
    n_images: int,
) -> str:
    facts = set(ctx.facts)
    out = [
        f"Goal: {goal}",
        f"Time now: {ctx.now or 'unknown'}",
        f"Robot: in the {_w(ctx.robot_room)}, holding {_w(ctx.held)}.",
        f"Rooms: {', '.join(ctx.rooms) or 'none mapped yet'}",
        "",
        "Fixtures (name (kind, room): properties):",
        *(_fixture_line(n, f, facts) for n, f in sorted(ctx.fixtures.items())),
        "",
        "Objects I have seen (name (kind): where I believe it is):",
    ]
    objs = sorted(ctx.object_places.items())[:_MAX_OBJECTS]
    for name, place in objs:
        kind = ctx.object_kinds.get(name, "")
        room = ctx.object_rooms.get(name, "")
        where = place if not room or room == place else f"{place}, {room}"
        missing = " (not there when I last looked)" if f"missing({name})" in facts else ""
        out.append(f"- {name}{f' ({kind})' if kind else ''}: {where}{missing}")
    if not objs:
        out.append("- none yet")
    if ctx.search_candidates:
        out += ["", "Where to look for things I have not seen (most likely first):"]
        for word, places in sorted(ctx.search_candidates.items()):
            if word not in ctx.object_places and places:
                out.append(f"- {word}: {', '.join(places[:6])}")
    if ctx.home_places:
        out += ["", "Where things belong (the household's preferences):"]
        out += [f"- {k}: {v}" for k, v in sorted(ctx.home_places.items())]
    if ctx.told_places:
        out += ["", "Where people told me things are (look there first):"]
        out += [f"- {k}: {', '.join(v)}" for k, v in sorted(ctx.told_places.items())]
    if ctx.unreachable:
        out += ["", "Out of reach (picking them up failed twice in this chore; leave them out):"]
        out += [
            f"- {t} ({ctx.in_the_way[t]})" if t in ctx.in_the_way else f"- {t}"
            for t in ctx.unreachable
        ]
    if ctx.in_use:
        out += ["", "In use (a person has them; leave them out of this chore):"]
        out += [f"- {t} (with {p})" for t, p in sorted(ctx.in_use.items())]
    if ctx.not_trash:
        out += ["", "Not trash (people said so; never put these in a bin):"]
        out += [f"- {k} (said by {v})" for k, v in sorted(ctx.not_trash.items())]
    if ctx.corrections:
        out += [
            "",
            "Corrections from the people of the house (follow them; the newest wins):",
            *(_correction_line(c) for c in ctx.corrections),
        ]
    out += ["", f"Facts now: {', '.join(sorted(facts)[:_MAX_FACTS]) or 'none'}"]
    if ctx.memories:
        out += ["", "Memories:", *(f"- {m}" for m in ctx.memories[:_MAX_MEMORIES])]
    out += ["", "Skills (call(parameters): template. Needs: ... Then: ...):"]
    out += describe_skills(registry, ctx.skills)
    out += ["", "Done so far in this task:"]
    if done:
        for i, st in enumerate(done, 1):
            d = st.model_dump() if isinstance(st, Subtask) else dict(st)
            args = ", ".join(f"{k}={v}" for k, v in d.get("args", {}).items())
            out.append(f"{i}. {d.get('text') or d['skill']} ({d['skill']} {args}): success")
    else:
        out.append("nothing yet")
    if failed is not None:
        args = ", ".join(f"{k}={v}" for k, v in failed.args.items())
        out.append(f"Last failure: {failed.text or failed.skill} ({failed.skill} {args}): {reason}")
    elif reason:
        out.append(f"Note: {reason}")
    if n_images:
        out.append(f"Camera: {n_images} image(s) from the robot's camera, newest first.")
    out += ["", "Reply with the plan as one JSON object."]
    return "\n".join(out)


def build_messages(
    goal: str,
    ctx: PlanContext,
    registry: SkillRegistry,
    *,
    done: Sequence[Mapping[str, Any] | Subtask] = (),
    failed: Subtask | None = None,
    reason: str = "",
    feedback: Sequence[tuple[Plan, str]] = (),
    n_images: int = 0,
    system_prompt: str = SYSTEM_PROMPT,
) -> list[dict[str, Any]]:
    """The chat messages for one planning decision.

    Args:
        goal: The chore in words.
        ctx: Memory and perception (what the planner may know).
        registry: Skills the plan may use (filtered to ``ctx.skills`` when given).
        done: Steps of this task that succeeded, in order.
        failed: The step that failed last, if any.
        reason: Why it failed (or why the planner is asked again).
        feedback: Earlier plans for this decision and why each was rejected; each becomes
            an assistant turn (the plan) and a user turn (the reason).
        n_images: Camera images that will be attached (mentioned in the text).
        system_prompt: The rules.

    Returns:
        OpenAI-style messages: system, the situation, then the feedback turns.
    """
    msgs: list[dict[str, Any]] = [
        {"role": "system", "content": system_prompt},
        {
            "role": "user",
            "content": _situation(goal, ctx, registry, done, failed, reason, n_images),
        },
    ]
    for plan, why in feedback:
        msgs.append({"role": "assistant", "content": plan_to_reply(plan).model_dump_json()})
        msgs.append(
            {
                "role": "user",
                "content": f"That plan was rejected: {why}\nReply with a corrected plan as one "
                "JSON object.",
            }
        )
    return msgs


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content or () if p.get("type") == "text")


def situation_key(messages: Sequence[Mapping[str, Any]]) -> str:
    """A short key for the decision a request asks for: goal, time, steps done, last failure.

    Recorded replies are stored under it, and a replaying server finds them by it, so a
    change in the wording of the prompt or in the memories it quotes keeps the key.

    Raises:
        ValueError: No situation message (one with a ``Goal:`` line) in ``messages``.
    """
    for m in messages:
        if m.get("role") != "user":
            continue
        lines = _text(m.get("content")).splitlines()
        if not lines or not lines[0].startswith("Goal: "):
            continue
        keep = [ln for ln in lines if ln.startswith(("Goal: ", "Time now: "))]
        if "Done so far in this task:" in lines:
            i = lines.index("Done so far in this task:") + 1
            while i < len(lines) and lines[i]:
                if lines[i].startswith(("Camera:", "Reply with")):
                    break
                keep.append(lines[i])
                i += 1
        return hashlib.sha256("\n".join(keep).encode()).hexdigest()[:24]
    raise ValueError("no situation message (a user message starting 'Goal: ') in the request")


def reply_to_plan(reply: PlanReply, goal: str, backend: str) -> Plan:
    """A :class:`~agent.planners.base.Plan` from a model's reply (validated later)."""
    return Plan(
        goal=goal,
        subtasks=[Subtask(skill=s.skill.strip(), args=dict(s.args)) for s in reply.steps],
        goal_facts=[f.replace(" ", "") for f in reply.goal_facts],
        complete=reply.complete,
        checks=[(c.object, c.place) for c in reply.look_for],
        rationale=reply.rationale,
        backend=backend,
        step_rationales=[s.rationale for s in reply.steps],
    )


def plan_to_reply(plan: Plan) -> PlanReply:
    """The reply a model would have given for ``plan`` (to show it its own rejected plan)."""
    why = list(plan.step_rationales) + [""] * (len(plan.subtasks) - len(plan.step_rationales))
    return PlanReply(
        rationale=plan.rationale,
        steps=[
            PlanStep(skill=s.skill, args={k: str(v) for k, v in s.args.items()}, rationale=r)
            for s, r in zip(plan.subtasks, why, strict=False)
        ],
        complete=plan.complete,
        goal_facts=list(plan.goal_facts),
        look_for=[LookFor(object=o, place=p) for o, p in plan.checks],
    )
