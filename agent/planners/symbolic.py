"""The offline symbolic planner: chores in words -> goal facts -> a plan over the skills.

Three steps, each replaceable data or an established tool:

1. **Words to facts.** The library of chore methods (:mod:`agent.planners.methods`, YAML)
   matches the chore's clauses, fills the methods' slots from what the robot believes,
   and expands their goals into facts, stage by stage (:mod:`agent.planners.chores`).
2. **Looking first.** A chore about a room it has not looked at in this task ("tidy the
   living room") starts by looking around; a thing whose place is unknown, or that was
   not where it was last seen, is searched for: the plan goes to the most likely place
   (opening a closed cupboard to look in it) and is marked incomplete, and after the robot
   has looked the planner is asked again.
3. **Facts to skills.** Each stage is a PDDL problem over the domain generated from the
   skill registry (:mod:`agent.planners.pddl`), solved by Fast Downward. House habits are
   added to every stage's goal: doors that were closed are closed again, taps and burners
   that were off are off again, and at the end the hand is empty and whatever it held
   before is back where it belongs.

It plans only from the :class:`~agent.planners.base.PlanContext` (memory and perception),
never from a simulator's true state, and the same chore in the same situation always
gives the same plan (sorted inputs; Fast Downward is deterministic).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from fnmatch import fnmatchcase
from pathlib import Path

from housemind.agent.knowledge import FIXTURE_TRAITS, STATIC_PREDICATES
from housemind.agent.planners.base import (
    Plan,
    PlanContext,
    PlanningError,
    Subtask,
    register_planner,
)
from housemind.agent.planners.chores import ChoreSpec, understand
from housemind.agent.planners.corrections import apply_place_corrections
from housemind.agent.planners.estimate import estimate_seconds
from housemind.agent.planners.methods import Method, load_methods
from housemind.agent.planners.pddl import DomainError, compile_domain
from housemind.agent.planners.world import Beliefs, Unknown
from housemind.skills.spec import REGISTRY, SkillRegistry
from housemind.skills.types import parse_atom

__all__ = ["HEAT_KINDS", "OBSERVED_PREDICATES", "SymbolicPlanner"]

#: Predicates the robot's observations carry (``housemind.skills.types``); a goal fact of
#: another predicate (a plug-in's ``dusted(shelf)``) is planned for but not checked at
#: the end: the robot could not see it.
OBSERVED_PREDICATES = frozenset(
    [
        "near",
        "holding",
        "hand_empty",
        "on",
        "in",
        "open",
        "closed",
        "switched_on",
        "switched_off",
        "dirty",
        "clean",
        "wiped",
        "filled",
        "empty",
        "folded",
        "dry",
        "watered",
        "cooked",
        "burnt",
        "finished",
        "contains",
        "boiled",
        "told",
        "missing",
    ]
)

logger = logging.getLogger(__name__)

#: Fixture kinds that heat (the planning domain's ``heater`` and ``kettle`` traits):
#: believed on with nobody home, a chore switches them off first.
HEAT_KINDS = frozenset(k for k, ts in FIXTURE_TRAITS.items() if ts & {"heater", "kettle"})

#: Predicates whose facts a plan's end check may rely on: memory keeps them for objects and
#: fixtures (people and floors it sees only while it looks at them).
_CHECKABLE_SUBJECTS = ("fixture", "movable")
#: Rooms a search looks around in one plan (the task graph replans after each plan).
SEARCH_ROOMS_AT_ONCE = 3
#: Predicates whose first argument is a movable thing (it must be found to plan with it).
_OBJECT_FIRST = frozenset(
    {
        "on",
        "in",
        "holding",
        "clean",
        "dirty",
        "folded",
        "watered",
        "dry",
        "cooked",
        "filled",
        "empty",
        "contains",
    }
)


#: A step failed because a supply ran out (HomeSim's brewing expert says so).
_RAN_OUT = re.compile(r"\bthere is no [a-z_ ]+ left in the home\b")


@register_planner("symbolic")
class SymbolicPlanner:
    """Offline System 2 backend (the default): chore methods + PDDL + Fast Downward.

    Args:
        max_search_places: Give up searching for a thing after this many places.
        registry: The skills to plan with (every registered skill that declares
            preconditions and effects is usable).
        methods_dirs: Extra folders of chore-method YAML files (a plug-in's chores).
    """

    name = "symbolic"

    def __init__(
        self,
        max_search_places: int = 12,
        registry: SkillRegistry = REGISTRY,
        methods_dirs: tuple[str | Path, ...] = (),
    ) -> None:
        self.max_search_places = max_search_places
        self.registry = registry
        self.methods_dirs = tuple(methods_dirs)
        self.methods: list[Method] = load_methods(self.methods_dirs)
        #: Wall seconds per call of :meth:`replan` (for the benchmark).
        self.timings: list[float] = []

    # -- the Planner protocol ----------------------------------------------------------

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """Break ``goal`` into subtasks (see the module docstring)."""
        return self.replan(goal, context, done=[], failed=None, reason="")

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        """Plan again from the current context, knowing where the robot has looked.

        Raises:
            PlanningError: also when a step failed because something the chore uses up
                has run out ("there is no coffee left in the home"): no plan can help.
        """
        t0 = time.perf_counter()
        try:
            ran_out = _RAN_OUT.search(reason) if failed is not None else None
            if ran_out:
                # Searching the home again (for another mug, say) cannot bring coffee back;
                # the chore fails with the reason a person can act on.
                raise PlanningError(f"'{failed.text or failed.skill}' failed: {reason}")
            return self._plan(goal, context, done, failed)
        finally:
            self.timings.append(time.perf_counter() - t0)

    # -- planning ----------------------------------------------------------------------

    def _plan(
        self, goal: str, ctx: PlanContext, done: list[Subtask], failed: Subtask | None
    ) -> Plan:
        self.registry.load_entry_points()  # plug-ins register skills and chore methods
        self.methods = load_methods(self.methods_dirs)
        beliefs = Beliefs(ctx)
        beliefs.done = list(done)
        searched = [str(s.args.get("target")) for s in done if s.skill == "navigate"]
        if failed is not None and failed.skill == "navigate":
            searched.append(str(failed.args.get("target")))
        looked = {s for s in searched if s in beliefs.rooms or s in beliefs.fixtures}
        spec = understand(goal, beliefs, self.methods, looked)
        told = list(spec.told)  # what the person is told when the chore is done
        if ctx.unreachable:
            told += _leave_out(spec, set(ctx.unreachable), why=ctx.in_the_way)
        if ctx.in_use:
            told += _leave_out(spec, set(ctx.in_use), users=ctx.in_use)
        notes = [*spec.notes, *told]
        if ctx.corrections:  # "no, put it in the top drawer": the chore's goal changes
            notes += apply_place_corrections(spec, beliefs, ctx.corrections)
        running = _taps_left_running(done, beliefs) if failed is not None else []
        plan = self._plan_spec(goal, ctx, spec, beliefs, notes, searched, running)
        plan.left_out = list(dict.fromkeys(told))
        plan.missing = list(dict.fromkeys([*plan.missing, *spec.missing]))
        return plan

    def _plan_spec(
        self,
        goal: str,
        ctx: PlanContext,
        spec: ChoreSpec,
        beliefs: Beliefs,
        notes: list[str],
        searched: list[str],
        running: list[str] = (),
    ) -> Plan:
        if spec.orders:
            return self._order(goal, ctx, spec)
        mentioned = set(spec.use) | {
            a for st in spec.stages for f in st for a in parse_atom(f.removeprefix("not "))[1]
        }
        hot = [h for h in self._left_on(beliefs) if h not in mentioned]  # not the chore's own
        # Nobody is home and something hot is believed on (a resident's kettle seen on hours
        # ago): switch it off first, before walking away from it. A safety chore rather than
        # a question nobody at home can answer.
        why = f"nobody is home and the {', '.join(map(_w, hot))} is on"
        if running:
            # A step failed with the tap this chore turned on still running (the mug held
            # coffee, so it could not be filled): turn it off before anything else, or the
            # basin overflows while the chore tries another way.
            hot = sorted(set(hot) | set(running))
            why = f"the {', '.join(map(_w, running))} this chore turned on is still running"
        if hot:
            off = dataclasses.replace(
                spec, stages=[[f"switched_off({h})" for h in hot]], look=[], find=[], checks=[]
            )
            first = self._solve(goal, off, beliefs, [])
            if first.subtasks:
                first.complete = False
                first.goal_facts = []
                first.rationale = "; ".join([*notes, f"{why}: switching it off first"])
                return first
        if spec.look:
            room = spec.look[0]
            return Plan(
                goal=goal,
                subtasks=[Subtask(skill="navigate", args={"target": room})],
                complete=False,
                rationale="; ".join([*notes, f"looking around the {_w(room)} first"]),
                backend=self.name,
            )
        unseen = [
            f
            for f in spec.observe
            if f not in searched
            and not beliefs.holds(f"open({f})")
            and not beliefs.holds(f"closed({f})")
        ]
        if unseen:  # closing a door nobody has seen: is it open at all?
            return Plan(
                goal=goal,
                subtasks=[Subtask(skill="navigate", args={"target": f}) for f in unseen],
                complete=False,
                rationale="; ".join([*notes, f"looking at the {', '.join(map(_w, unseen))} first"]),
                backend=self.name,
            )
        missing = self._to_find(spec, beliefs)
        if missing is not None:
            # Where a person said it is comes first (an answer to "where is it?").
            hints = [*ctx.told_places.get(missing.name, []), *spec.hints.get(missing.name, [])]
            return self._search(goal, missing, beliefs, set(searched), notes, hints)
        if not spec.stages or not any(spec.stages):
            return Plan(
                goal=goal,
                subtasks=[],
                checks=spec.checks,
                rationale="; ".join(notes) or "nothing to do",
                backend=self.name,
            )
        return self._solve(goal, spec, beliefs, notes)

    @staticmethod
    def _left_on(beliefs: Beliefs) -> list[str]:
        """Heat sources believed on while nobody is home (see :data:`HEAT_KINDS`)."""
        if beliefs.ctx.people_home:
            return []
        return sorted(
            f
            for f, info in beliefs.fixtures.items()
            if info.kind in HEAT_KINDS and beliefs.holds(f"switched_on({f})")
        )

    def _to_find(self, spec: ChoreSpec, beliefs: Beliefs) -> Unknown | None:
        for u in spec.find:
            if beliefs.where(u.name) is None:
                return u
        for stage in spec.stages:
            for fact in stage:
                pred, args = parse_atom(fact.removeprefix("not "))
                if pred not in _OBJECT_FIRST or not args:
                    continue
                a = args[0]
                if a in beliefs.fixtures or a in beliefs.rooms:
                    continue
                if beliefs.where(a) is None:
                    return Unknown(a, beliefs.kind(a))
        return None

    def _search(
        self,
        goal: str,
        what: Unknown,
        beliefs: Beliefs,
        searched: set[str],
        notes: list[str],
        hints: list[str] = (),  # type: ignore[assignment]
    ) -> Plan:
        places = list(dict.fromkeys([*hints, *beliefs.search_places(what.name)]))
        scanned = {p for p in searched if p in beliefs.rooms}

        def worth_a_look(p: str) -> bool:
            info = beliefs.fixtures.get(p)
            # Furniture in a room it has looked around was seen then (unless it is shut).
            return info is None or info.openable or info.room not in scanned or p in hints

        cands = [p for p in places if p not in searched and worth_a_look(p)]
        if (len(searched) >= self.max_search_places or not cands) and what.missing_ok:
            store = next(
                (f for k in ("fridge", "pantry", "cabinet") for f in beliefs.fixtures_of(k)),
                next(iter(sorted(beliefs.fixtures)), ""),
            )
            return Plan(
                goal=goal,
                subtasks=[],
                checks=[(what.kind, store)],
                missing=[what.kind],
                rationale="; ".join(
                    [*notes, f"missing: {_w(what.kind)}, added to the shopping list"]
                ),
                backend=self.name,
            )
        if len(searched) >= self.max_search_places or not cands:
            looked = ", ".join(sorted(_w(s) for s in searched if s)) or "nowhere yet"
            raise PlanningError(
                f"cannot find the {_w(what.name)}: looked in {looked}; "
                "tell me where it is, or check that it exists"
            )
        # Unlikely places are rooms to look around: several in one go, so a thing in the
        # last room is found within the task's replanning budget.
        batch = [cands[0]]
        if cands[0] in beliefs.rooms:
            for c in cands[1:SEARCH_ROOMS_AT_ONCE]:
                if c not in beliefs.rooms:
                    break
                batch.append(c)
        steps = []
        for where in batch:
            steps.append(Subtask(skill="navigate", args={"target": where}))
            info = beliefs.fixtures.get(where)
            if info is not None and info.openable and not beliefs.holds(f"open({where})"):
                steps += [
                    Subtask(skill="open", args={"target": where}),
                    Subtask(skill="close", args={"target": where}),  # leave it as it was
                ]
        places = ", ".join(_w(w) for w in batch)
        return Plan(
            goal=goal,
            subtasks=steps,
            complete=False,
            rationale="; ".join(
                [*notes, f"searching for the {_w(what.name)}: looking at {places}"]
            ),
            backend=self.name,
        )

    def _order(self, goal: str, ctx: PlanContext, spec: ChoreSpec) -> Plan:
        items = list(ctx.shopping_list)
        note = (
            f"order: {', '.join(items)}"
            if items
            else "the shopping list is empty; nothing to order"
        )
        return Plan(
            goal=goal,
            subtasks=[],
            orders=items,
            checks=spec.checks,
            rationale="; ".join([*spec.notes, note]),
            backend=self.name,
        )

    def _solve(self, goal: str, spec: ChoreSpec, beliefs: Beliefs, notes: list[str]) -> Plan:
        domain = compile_domain(self.registry)
        state = set(beliefs.facts)
        assumed: set[str] = set()
        for name, info in beliefs.fixtures.items():
            if info.openable and f"open({name})" not in state and f"closed({name})" not in state:
                state.add(f"closed({name})")  # doors not seen open are shut
                assumed.add(f"closed({name})")
        held = beliefs.ctx.held
        mentioned = {
            a for st in spec.stages for f in st for a in parse_atom(f.removeprefix("not "))[1]
        }
        steps: list[Subtask] = []
        wanted: list[str] = []
        for i, stage in enumerate(spec.stages):
            last = i == len(spec.stages) - 1
            goal_facts = list(stage)
            if last:
                goal_facts += self._tidy_end(beliefs, held, mentioned)
            things = self._things(goal_facts, spec, beliefs, state)
            goal_facts += self._habits(goal_facts, things, beliefs)
            try:
                res = domain.solve(things, state, goal_facts, bindings=spec.bindings)
            except DomainError as e:
                raise PlanningError(str(e)) from None
            if not res.solved:
                raise PlanningError(self._why_not(goal_facts, state, domain))
            for a in res.steps:
                st = Subtask(skill=a.skill, args=dict(a.args))
                steps.append(st)
                state = self._progress(state, st)
                assumed &= state - set(self.registry.bind(st.skill, st.args).add_effects())
            # Water boiled for a later stage is a means, not an end: the drink made from it
            # pours it out, and it cools (the boil step's own success saw it boil).
            wanted += [
                g
                for g in goal_facts
                if not g.startswith("not ") and (last or not g.startswith("boiled("))
            ]
            # A habit kept by the plan is checked too: the fridge it opened is closed.
            for g in goal_facts:
                if g.startswith("not open("):
                    wanted.append("closed(" + g.removeprefix("not open("))
                elif g.startswith("not switched_on("):
                    wanted.append("switched_off(" + g.removeprefix("not switched_on("))
        # What was only assumed (a lid nobody saw open is shut) is planned on, not checked:
        # nothing the robot saw or did makes it known.
        final = [
            g
            for g in dict.fromkeys(wanted)
            if g in state and g not in assumed and self._checkable(g, beliefs)
        ]
        if not steps:
            notes.append("everything is already as asked")
        return Plan(
            goal=goal,
            subtasks=steps,
            goal_facts=final,
            complete=True,
            checks=spec.checks,
            estimated_s=estimate_seconds(steps, beliefs.ctx),
            rationale="; ".join([*notes, f"methods: {', '.join(spec.methods)}"]),
            backend=self.name,
        )

    # -- the problem of one stage ----------------------------------------------------------

    def _things(
        self, goal: list[str], spec: ChoreSpec, beliefs: Beliefs, state: set[str]
    ) -> list[str]:
        out: set[str] = set(spec.use)
        for g in goal:
            out |= set(parse_atom(g.removeprefix("not "))[1])
        for f in state:
            pred, args = parse_atom(f)
            if pred == "holding":
                out |= set(args)
        # Where the movable things are now (a closed cupboard to open first).
        for name in list(out):
            place = beliefs.where(name)
            if place and place in beliefs.fixtures:
                out.add(place)
            for f in state:
                pred, args = parse_atom(f)
                if pred in ("in", "on") and args[0] == name:
                    out.add(args[1])
        consts = set(compile_domain(self.registry).constants)
        return sorted(t for t in out if t not in consts)

    def _habits(self, goal: list[str], things: list[str], beliefs: Beliefs) -> list[str]:
        """Leave doors shut and switches off as they were at the start.

        What the plan opens it closes, what it switches on it switches off (unless the
        goal says otherwise).
        """
        out: list[str] = []
        for t in things:
            info = beliefs.fixtures.get(t)
            if info is None:
                continue
            if info.openable and not beliefs.holds(f"open({t})") and f"open({t})" not in goal:
                out.append(f"not open({t})")
            if (
                info.switchable
                and not beliefs.holds(f"switched_on({t})")
                and f"switched_on({t})" not in goal
            ):
                out.append(f"not switched_on({t})")
        return [f for f in out if f not in goal]

    def _tidy_end(self, beliefs: Beliefs, held: str | None, mentioned: set[str]) -> list[str]:
        out = ["hand_empty"]
        if held and held not in mentioned:
            home = beliefs.home_of(held)
            if home is None:
                raise PlanningError(
                    f"the robot is holding the {_w(held)} and knows no place to put it "
                    "down; tell me where it goes"
                )
            out.append(f"{home[0]}({held},{home[1]})")
        return out

    def _progress(self, state: set[str], st: Subtask) -> set[str]:
        sk = self.registry.bind(st.skill, st.args)
        out = set(state)
        for d in sk.del_effects():
            if "*" in d:
                out -= {f for f in out if fnmatchcase(f, d)}
            else:
                out.discard(d)
        out |= set(sk.add_effects())
        return out

    @staticmethod
    def _checkable(fact: str, beliefs: Beliefs) -> bool:
        """Whether the end check may ask for ``fact``.

        The robot observes facts of its kind and memory keeps them for the thing (an
        object or a fixture).
        """
        pred, args = parse_atom(fact)
        if pred not in OBSERVED_PREDICATES or pred in ("near", "told"):
            return False
        return all(a in beliefs.fixtures or a in beliefs.kinds for a in args[:1])

    @staticmethod
    def _why_not(goal: list[str], state: set[str], domain) -> str:
        unmet = [g for g in goal if not g.startswith("not ") and g not in state]
        for g in unmet:
            pred, args = parse_atom(g)
            schemas = [s for s in domain.schemas if any(t.pred == pred for t in s.add)]
            if not schemas:
                return f"no skill can make {g} true; register a skill whose effects do"
            blocked = []
            for s in schemas:
                add = next(t for t in s.add if t.pred == pred)
                bind = {a[1:]: v for a, v in zip(add.args, args, strict=False) if a.startswith("?")}
                static = [
                    t.ground(bind)
                    for t in s.pre
                    if t.pred in STATIC_PREDICATES
                    and not t.negated
                    and all(not a.startswith("?") or a[1:] in bind for a in t.args)
                ]
                missing = [f for f in static if f not in state]
                if missing:
                    blocked.append(f"{s.skill} needs {', '.join(missing)}")
            if len(blocked) == len(schemas):
                thing = _w(args[0]) if args else g
                return f"cannot make {g} true: {'; '.join(blocked)}, which the {thing} is not"
        return (
            f"no sequence of skills reaches {', '.join(goal)} from what the robot believes "
            "now (a thing out of reach, a closed door it cannot open, a tool missing?)"
        )


def _taps_left_running(done: list[Subtask], beliefs: Beliefs) -> list[str]:
    """Faucets this chore switched on (its last ``toggle`` of them) still believed running."""
    last: dict[str, str] = {}
    for s in done:
        if s.skill == "toggle":
            last[str(s.args.get("target"))] = str(s.args.get("state", "on"))
    return sorted(
        t
        for t, state in last.items()
        if state == "on"
        and t in beliefs.fixtures
        and "faucet" in FIXTURE_TRAITS.get(beliefs.fixtures[t].kind, ())
        and beliefs.holds(f"switched_on({t})")
    )


def _w(name: str) -> str:
    return name.replace("_", " ")


def _leave_out(
    spec: ChoreSpec,
    things: set[str],
    *,
    users: dict[str, str] | None = None,
    why: dict[str, str] | None = None,
) -> list[str]:
    """Drop the goal facts about ``things``, keeping the rest of the chore.

    Args:
        spec: The chore (changed in place).
        things: Things out of reach, or (with ``users``) in a person's hands.
        users: Who is using each thing; None: the things are out of reach.
        why: For things out of reach because someone is in the way: who, and what to do.
    """
    left: list[str] = []
    for stage in spec.stages:
        keep = []
        for fact in stage:
            args = set(parse_atom(fact.removeprefix("not "))[1])
            if args & things:
                left += sorted(args & things)
            else:
                keep.append(fact)
        stage[:] = keep
    spec.find = [u for u in spec.find if u.name not in things]
    left = list(dict.fromkeys(left))
    if not left:
        return []
    if users is not None:
        return [f"leaving the {_w(t)}: {users[t]} is using it" for t in left]
    why = why or {}
    told = [f"leaving the {_w(t)} where it is: {why[t]}" for t in left if t in why]
    rest = [t for t in left if t not in why]
    if rest:
        told.append(
            f"leaving the {', '.join(_w(t) for t in rest)} where it is: tried to "
            "pick it up and could not get within reach"
        )
    return told
