"""Planning over facts: a PDDL domain generated from the skill registry, solved by Fast Downward.

Every registered skill with preconditions and effects becomes one PDDL action schema per
combination of its ``Literal`` parameters (``place`` becomes ``place__on`` and
``place__in``; ``toggle`` becomes ``toggle__on`` and ``toggle__off``): its ``str``
parameters that facts mention are the action's parameters, ``not f`` in the effects deletes
``f`` (with ``*`` for any argument: a universally quantified delete), ``not f`` in the
preconditions must not hold. Parameters that no fact mentions (``say``'s ``message``) are
*free*: the planner fills them from the chore method or the field's default.

One household rule is compiled into every precondition ``near(x)``: the robot has
driven up to ``x`` and ``x`` is not shut inside a closed container (a compiled fluent
``loose__(x)``, "not inside anything", is kept by the actions that put things in and take
them out) (the plan validator is more lenient: it also reaches
things on or in an open fixture the robot stands at; the planner drives up to the thing
itself, as HomeSim's expert solutions do, which lines the arm up best).

The problem is built from the facts believed now (memory and perception, never a
simulator's true state) over the things the goal concerns, written as PDDL by
unified-planning and solved by Fast Downward (:data:`SEARCH_CONFIGS`: optimal A* first,
then ``lama-first``; action costs: driving costs more than handling). Fast Downward's
translator runs in this process and its search binary as a subprocess. Domains are
compiled once per registry state; identical problems are answered from a small cache, so
a month of recurring chores calls the planner rarely.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, get_args, get_origin

from housemind.skills.spec import SkillRegistry, SkillSpec
from housemind.skills.types import parse_atom

__all__ = [
    "ActionSchema",
    "Domain",
    "DomainError",
    "GroundAction",
    "SolveResult",
    "Term",
    "compile_domain",
    "domain_pddl",
    "searches_for",
]

logger = logging.getLogger(__name__)

#: Cost of driving somewhere; every other action costs 1. Driving dominates the time a
#: chore takes, so the planner visits few places and handles things where it stands.
NAVIGATE_COST = 10
#: Skills (by name) with another cost than 1.
ACTION_COSTS: dict[str, int] = {"navigate": NAVIGATE_COST}
_CACHE_SIZE = 512
#: Fast Downward's ``lama-first`` alias (``driver/aliases.py``), spelled out because the
#: search binary is called directly (below).
LAMA_FIRST = (
    "--search",
    "let(hlm, eval_modify_costs(landmark_sum(lm_factory=lm_reasonable_orders_hps(lm_rhw()),"
    "pref=false),cost_type=one),let(hff, eval_modify_costs(ff(),cost_type=one),"
    "lazy_greedy([hff,hlm],preferred=[hff,hlm],cost_type=one,reopen_closed=false)))",
)
#: A* with a merge-and-shrink heuristic (bisimulation, at most 2000 abstract states: Fast
#: Downward's recommended strategy, smaller), built in a fraction of a second.
MERGE_AND_SHRINK = (
    "--search",
    "astar(merge_and_shrink(shrink_strategy=shrink_bisimulation(greedy=false),"
    "merge_strategy=merge_sccs(order_of_sccs=topological,merge_selector="
    "score_based_filtering(scoring_functions=[goal_relevance(),dfp(),total_order()])),"
    "label_reduction=exact(before_shrinking=true,before_merging=false),max_states=2000,"
    "threshold_before_merge=1))",
)
#: Searches tried in order on one translation, each ``(search options, CPU seconds)``:
#:
#: 1. optimal A* with the LM-cut heuristic, for at most 0.5 s of CPU (``max_time``): the
#:    problems of one chore take 2-30 ms;
#: 2. optimal A* with merge-and-shrink, for a problem that moves several things through
#:    several places (four clothes from the washer to the dryer: LM-cut expands 43 000
#:    states in 1.3 s, this about 0.3 s with the same cost);
#: 3. greedy LAMA (not optimal), if both run out of time: a problem that moves six things
#:    through two machines can take minutes to solve optimally, LAMA about a second.
#:
#: Search time is CPU time, so a busy machine does not change which search answers.
#:
#: A problem with :data:`MANY_OPEN_GOALS` or more goal facts not yet true starts with
#: merge-and-shrink instead (:func:`searches_for`).
SEARCH_CONFIGS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("--search", "astar(lmcut(), max_time=0.5)"), 5.0),
    (MERGE_AND_SHRINK, 5.0),
    (LAMA_FIRST, 60.0),
)
#: From this many goal facts not yet true, merge-and-shrink is tried before LM-cut. Both
#: are optimal (the plan's cost is the same); only the time differs. Measured on the 72
#: problems a simulated month of the household paragraph solves: with at most 3 open goal
#: facts LM-cut took at most 31 ms (merge-and-shrink 2-5x as long, building its
#: abstraction); with 4 or more (moving clothes between machines), LM-cut took 9.5 s in
#: all of 17 problems and ran past 5 s on one, merge-and-shrink 3.4 s for the same.
MANY_OPEN_GOALS = 4


def searches_for(open_goals: int) -> tuple[tuple[tuple[str, ...], float], ...]:
    """The searches to try, in order, for a problem with ``open_goals`` goal facts unmet."""
    if open_goals >= MANY_OPEN_GOALS:
        first, ms, *rest = SEARCH_CONFIGS
        return (ms, first, *rest)
    return SEARCH_CONFIGS


#: Fast Downward exit codes that prove there is no plan (translator or search); 12 (a
#: search gave up or ran out of its ``max_time``) proves nothing: the next search runs.
_UNSOLVABLE = (10, 11)
#: Exit codes of a search that wrote a plan (some with a limit hit afterwards).
_PLANNED = (0, 1, 2, 3)
_GAVE_UP = 12
_SEARCH_OUT_OF_TIME = 23
_TRANSLATE_INPUT_ERROR = 31
_TRANSLATE_OUT_OF_MEMORY = 20


def _fd_bin() -> str:
    """The folder of the Fast Downward build that up-fast-downward ships."""
    return str(resources.files("up_fast_downward") / "downward" / "builds" / "release" / "bin")


class _Translator:
    """Fast Downward's translator (PDDL to its SAS format), run in this process.

    Its driver would start two Python processes per problem (itself and the translator,
    about 70 ms before any work); the translator is a Python package with an API of its
    own (``options.set_options`` then ``main.main``), so it runs here, one problem at a
    time (it keeps its options in module state), and only the C++ search is a subprocess.
    Its progress log goes nowhere: each of its modules gets a ``print`` that writes only
    to files it names (the SAS output), never to this process's standard output.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mods: tuple[Any, Any, Any] | None = None

    def _load(self) -> tuple[Any, Any, Any]:
        if self._mods is None:
            import importlib
            import pkgutil

            if _fd_bin() not in sys.path:
                sys.path.append(_fd_bin())
            package = importlib.import_module("fast_downward.translate")
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name).print = _quiet_print
            self._mods = (
                importlib.import_module("fast_downward.translate.options"),
                importlib.import_module("fast_downward.translate.main"),
                importlib.import_module("fast_downward.translate.pddl_parser"),
            )
        return self._mods

    def __call__(self, domain: str, problem: str, sas: str) -> int:
        """Translate ``domain`` and ``problem`` into ``sas``; Fast Downward's exit code."""
        with self._lock:
            options, main, parser = self._load()
            options.set_options([domain, problem, "--sas-file", sas])
            try:
                main.main()
            except parser.ParseError as e:
                logger.info("Fast Downward's translator cannot read the problem: %s", e)
                return _TRANSLATE_INPUT_ERROR
            except MemoryError:
                return _TRANSLATE_OUT_OF_MEMORY
            except SystemExit as e:  # the translator exits on some errors
                return e.code if isinstance(e.code, int) else _TRANSLATE_INPUT_ERROR
            return 0


def _quiet_print(*args: Any, file: Any = None, **kwargs: Any) -> None:
    if file is not None and file is not sys.stdout:
        print(*args, file=file, **kwargs)


_translate = _Translator()


def _search(sas: str, plan: str, config: tuple[tuple[str, ...], float], cwd: str) -> int:
    """Run Fast Downward's search on translation ``sas``; its exit code.

    The CPU-time limit is set on the child, as Fast Downward's driver sets it (with
    ``prlimit``: no code runs in the child before ``exec``, so this is safe beside the
    runtime's threads); a wall-clock limit of a few times as long catches a child that
    waits without computing.
    """
    options, limit = config
    cmd = [os.path.join(_fd_bin(), "downward"), *options, "--internal-plan-file", plan]
    with open(sas, encoding="utf-8") as fh:
        proc = subprocess.Popen(
            cmd, stdin=fh, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, text=True
        )
    try:
        import resource

        seconds = max(1, int(limit + 0.999))
        resource.prlimit(proc.pid, resource.RLIMIT_CPU, (seconds, seconds + 1))
    except (ImportError, AttributeError, OSError):  # no prlimit here; the wall limit holds
        pass
    try:
        out, _ = proc.communicate(timeout=3 * limit + 1)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return _SEARCH_OUT_OF_TIME
    code = proc.returncode
    if code < 0:  # killed by the CPU limit (SIGXCPU/SIGKILL)
        return _SEARCH_OUT_OF_TIME
    if code not in (*_PLANNED, *_UNSOLVABLE, _GAVE_UP):
        logger.info("Fast Downward: %s", out[-2000:])
    return code


class DomainError(ValueError):
    """A skill whose preconditions or effects cannot be compiled into PDDL."""


@dataclass(frozen=True)
class Term:
    """One atom of a schema: a predicate over parameters (``?x``), ``*`` or constants."""

    pred: str
    args: tuple[str, ...]
    negated: bool = False

    def ground(self, binding: Mapping[str, str]) -> str:
        """The atom with parameters replaced (``*`` kept)."""
        args = [binding.get(a[1:], a) if a.startswith("?") else a for a in self.args]
        return f"{self.pred}({','.join(args)})" if args else self.pred


@dataclass(frozen=True)
class ActionSchema:
    """A PDDL action compiled from one skill and one choice of its Literal parameters.

    Attributes:
        name: PDDL action name (``place__in``).
        skill: The skill it runs.
        params: Skill parameters that are PDDL parameters, in order.
        fixed: Literal parameters fixed by this variant (``(("relation", "in"),)``).
        free: Parameters no fact mentions; the plan fills them from bindings or defaults.
        pre: Preconditions.
        add: Add effects.
        delete: Delete effects (``*`` arguments are quantified).
        cost: Action cost.
    """

    name: str
    skill: str
    params: tuple[str, ...]
    fixed: tuple[tuple[str, Any], ...]
    free: tuple[tuple[str, Any], ...]
    pre: tuple[Term, ...]
    add: tuple[Term, ...]
    delete: tuple[Term, ...]
    cost: int = 1


@dataclass(frozen=True)
class GroundAction:
    """One step of a PDDL plan, mapped back to its skill."""

    schema: str
    skill: str
    args: dict[str, Any]


@dataclass
class SolveResult:
    """What one call of :meth:`Domain.solve` found.

    Attributes:
        steps: The plan (empty when the goal holds already).
        solved: False when the planner proved or gave up that the goal is unreachable.
        seconds: Wall time spent (0 for an answer from the cache).
        cached: Answered from the cache.
    """

    steps: list[GroundAction] = field(default_factory=list)
    solved: bool = True
    seconds: float = 0.0
    cached: bool = False


_MISSING = object()
_UP_LOCK = threading.Lock()
#: Names unified-planning's PDDL writer keeps as they are (after the ``o_`` prefix).
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class _WrittenDomain:
    """A domain file as unified-planning wrote it, and the names it chose.

    The domain depends only on the skills allowed (and on whether the goal negates a fact,
    which adds a requirement), so it is written once; each later problem is written from
    these names in unified-planning's own format (:meth:`Domain._problem_text`) instead of
    building and writing the whole model again (about 30 ms a problem).
    """

    text: str
    preds: dict[str, str]  # housemind predicate -> PDDL name (and "loose__" when used)
    actions: dict[str, str]  # PDDL action name -> schema name
    constants: frozenset[str]  # things written in the domain, not the problem
    taken: frozenset[str]  # every PDDL name the domain uses

    def writes(self, objects: Iterable[str]) -> bool:
        """Whether ``objects`` keep their names (``o_<name>``) as unified-planning writes."""
        return all(
            _PLAIN_NAME.fullmatch(n) is not None and f"o_{n}" not in self.taken
            for n in objects
            if n not in self.constants
        )


def _fields(spec: SkillSpec) -> dict[str, Any]:
    return dict(spec.params.model_fields)


def _literal_values(annotation: Any) -> tuple[Any, ...] | None:
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return None


def _mentioned(spec: SkillSpec) -> set[str]:
    import string

    out: set[str] = set()
    for text in (*spec.preconditions, *spec.effects):
        out |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return out


def _term(text: str) -> Term:
    negated = text.startswith("not ")
    pred, args = parse_atom(text.removeprefix("not "))
    return Term(pred, args, negated)


def _compile_skill(spec: SkillSpec) -> list[ActionSchema]:
    """The PDDL action variants of one skill (none for a skill without effects)."""
    if not spec.effects:
        return []
    fields = _fields(spec)
    mentioned = _mentioned(spec)
    computed = set(spec.params.model_computed_fields)
    literal: dict[str, tuple[Any, ...]] = {}
    params: list[str] = []
    free: list[tuple[str, Any]] = []
    for name, info in fields.items():
        values = _literal_values(info.annotation)
        if name in mentioned and values is not None:
            literal[name] = values
        elif name in mentioned:
            params.append(name)
        else:
            default = info.default if not info.is_required() else _MISSING
            free.append((name, default))
    unknown = mentioned - set(fields) - computed
    if unknown:  # SkillSpec checks this too; a hand-built spec might not have
        raise DomainError(f"skill {spec.name!r} mentions unknown fields {sorted(unknown)}")
    out = []
    combos = list(itertools.product(*literal.values())) if literal else [()]
    for combo in combos:
        fixed = dict(zip(literal, combo, strict=True))
        values: dict[str, Any] = {p: f"?{p}" for p in params}
        values.update(fixed)
        for name, default in free:
            values[name] = default if default is not _MISSING else "_"
        try:
            dumped = spec.params.model_validate(values).model_dump()
        except Exception as e:  # noqa: BLE001 - a validator that rejects placeholders
            raise DomainError(
                f"skill {spec.name!r}: cannot compile its facts with placeholder arguments "
                f"({e}); keep validators off the parameters its facts mention"
            ) from None
        fmt = {k: str(v) for k, v in dumped.items()}
        fmt.update({p: f"?{p}" for p in params})
        pre = tuple(_term(t.format(**fmt)) for t in spec.preconditions)
        eff = [_term(t.format(**fmt)) for t in spec.effects]
        name = spec.name + "".join(f"__{v}" for v in combo)
        out.append(
            ActionSchema(
                name=name,
                skill=spec.name,
                params=tuple(params),
                fixed=tuple(fixed.items()),
                free=tuple(free),
                pre=pre,
                add=tuple(t for t in eff if not t.negated),
                delete=tuple(Term(t.pred, t.args) for t in eff if t.negated),
                cost=ACTION_COSTS.get(spec.name, 1),
            )
        )
    return out


class Domain:
    """The planning domain of a skill registry: action schemas, predicates, constants.

    Build it with :func:`compile_domain` (cached per registry state).
    """

    def __init__(self, schemas: Sequence[ActionSchema]) -> None:
        self.schemas = tuple(schemas)
        self.by_name = {s.name: s for s in self.schemas}
        preds: dict[str, int] = {}
        consts: set[str] = set()
        for s in self.schemas:
            for t in (*s.pre, *s.add, *s.delete):
                if preds.setdefault(t.pred, len(t.args)) != len(t.args):
                    raise DomainError(
                        f"predicate {t.pred!r} is used with {preds[t.pred]} and {len(t.args)} "
                        f"arguments (skill {s.skill!r}); give each predicate one arity"
                    )
                consts |= {a for a in t.args if not a.startswith("?") and a != "*"}
        self.predicates = dict(sorted(preds.items()))
        self.constants = tuple(sorted(consts))
        self._cache: OrderedDict[tuple, SolveResult] = OrderedDict()
        self._written: dict[tuple[frozenset[str] | None, bool], _WrittenDomain] = {}
        self._lock = threading.Lock()
        #: Wall seconds of every Fast Downward call (for the benchmark).
        self.timings: list[float] = []

    # -- what the domain can achieve ---------------------------------------------------

    def achievers(self, pred: str) -> list[str]:
        """Skills whose effects make facts of ``pred`` true."""
        return sorted({s.skill for s in self.schemas if any(t.pred == pred for t in s.add)})

    # -- solving -------------------------------------------------------------------------

    def solve(
        self,
        things: Iterable[str],
        init: Iterable[str],
        goal: Iterable[str],
        *,
        bindings: Mapping[str, Mapping[str, Any]] | None = None,
        skills: Iterable[str] | None = None,
    ) -> SolveResult:
        """Find a plan from ``init`` to ``goal`` over ``things``.

        Args:
            things: Names of the things (rooms, fixtures, objects, people) the plan may use.
            init: Facts true now (others are false: a closed world over ``things``).
            goal: Facts to make true (``not f`` to make false).
            bindings: Values of free parameters per skill (``{"say": {"message": ...}}``).
            skills: Only these skills may be used (None: all).

        Returns:
            The plan; ``solved`` is False when the goal cannot be reached from ``init``.

        Raises:
            DomainError: if the goal names a predicate no skill makes true or false, or a
                step needs a free parameter nobody gave.
        """
        objects = sorted(set(things) | set(self.constants))
        known = set(objects)
        init_facts = sorted(
            f for f in set(init) if self._fits(f, known) and parse_atom(f)[0] in self.predicates
        )
        goal_list = list(dict.fromkeys(goal))
        for g in goal_list:
            pred, args = parse_atom(g.removeprefix("not "))
            if pred not in self.predicates:
                raise DomainError(
                    f"no skill can make '{g}' true or false: no skill's preconditions or "
                    f"effects mention {pred!r}; register a skill whose effects do"
                )
            missing = [a for a in args if a not in known]
            if missing:
                raise DomainError(f"the goal '{g}' names {missing}, which the plan cannot use")
        allowed = None if skills is None else frozenset(skills)
        key = (tuple(objects), tuple(init_facts), tuple(goal_list), allowed)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                steps = [self._bind(a, bindings) for a in hit.steps]
                return SolveResult(steps, hit.solved, 0.0, cached=True)
        pos = {f for f in init_facts}
        open_goals = sum((g.removeprefix("not ") in pos) == g.startswith("not ") for g in goal_list)
        if not open_goals:
            return SolveResult([], True, 0.0)
        t0 = time.perf_counter()
        raw, solved = self._fast_downward(
            objects, init_facts, goal_list, allowed, searches_for(open_goals)
        )
        seconds = time.perf_counter() - t0
        self.timings.append(seconds)
        result = SolveResult(raw, solved, seconds)
        with self._lock:
            self._cache[key] = result
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return SolveResult([self._bind(a, bindings) for a in raw], solved, seconds)

    @staticmethod
    def _fits(fact: str, known: set[str]) -> bool:
        try:
            _, args = parse_atom(fact)
        except ValueError:
            return False
        return all(a in known for a in args)

    def _bind(
        self, step: GroundAction, bindings: Mapping[str, Mapping[str, Any]] | None
    ) -> GroundAction:
        schema = self.by_name[step.schema]
        if not schema.free:
            return step
        args = dict(step.args)
        given = (bindings or {}).get(schema.skill, {})
        for name, default in schema.free:
            if name in given:
                args[name] = given[name]
            elif default is not _MISSING:
                args[name] = default
            else:
                raise DomainError(
                    f"the plan uses skill {schema.skill!r}, whose {name!r} no fact mentions and "
                    "nobody gave; the chore method must bind it"
                )
        return GroundAction(step.schema, step.skill, args)

    def _fast_downward(
        self,
        objects: list[str],
        init: list[str],
        goal: list[str],
        allowed: frozenset[str] | None,
        searches: Sequence[tuple[tuple[str, ...], float]] = SEARCH_CONFIGS,
    ) -> tuple[list[GroundAction], bool]:
        from unified_planning.io import PDDLWriter

        key = (allowed, any(g.startswith("not ") for g in goal))
        with tempfile.TemporaryDirectory(prefix="housemind-fd-") as tmp:
            dom, prob, plan = (os.path.join(tmp, n) for n in ("d.pddl", "p.pddl", "plan"))
            written = self._written.get(key)
            if written is not None and written.writes(objects):
                with open(dom, "w", encoding="utf-8") as fh:
                    fh.write(written.text)
                with open(prob, "w", encoding="utf-8") as fh:
                    fh.write(self._problem_text(written, objects, init, goal))
                names: Any = written
            else:
                # unified-planning's environment is not thread-safe: build and write one
                # problem at a time (Fast Downward itself runs side by side).
                with _UP_LOCK, warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # unified-planning warns of shared names
                    problem = self._problem(objects, init, goal, allowed)
                    names = writer = PDDLWriter(problem)
                    writer.write_domain(dom)
                    if key not in self._written:  # the names the domain took, before the problem's
                        self._written[key] = self._domain_names(problem, writer, dom)
                    writer.write_problem(prob)
            sas = os.path.join(tmp, "output.sas")
            code = _translate(dom, prob, sas)
            if code != 0:  # an unsolvable task is still translated; the search proves it
                logger.info("Fast Downward's translator ended with code %s", code)
                return [], False
            for config in searches:
                code = _search(sas, plan, config, cwd=tmp)
                if code in _PLANNED and os.path.exists(plan):
                    with open(plan, encoding="utf-8") as fh:
                        lines = fh.read().splitlines()
                    with _UP_LOCK:
                        return self._parse_plan(lines, names), True
                if code in _UNSOLVABLE:
                    logger.info("Fast Downward: no plan exists for %s", goal)
                    return [], False
                logger.info("Fast Downward %s ended with code %s; next search", config, code)
        logger.info("Fast Downward found no plan for %s", goal)
        return [], False

    @staticmethod
    def _domain_names(problem: Any, writer: Any, path: str) -> _WrittenDomain:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        in_domain = writer.domain_objects or {}
        constants = {str(o.name).removeprefix("o_") for objs in in_domain.values() for o in objs}
        taken = set(writer.nto_renamings)  # after the domain, before any problem is written
        return _WrittenDomain(
            text=text,
            preds={str(f.name): writer.get_pddl_name(f) for f in problem.fluents},
            actions={
                writer.get_pddl_name(a): str(a.name).removeprefix("a_") for a in problem.actions
            },
            constants=frozenset(constants),
            taken=frozenset(taken - {f"o_{c}" for c in constants}),
        )

    def _problem_text(
        self, written: _WrittenDomain, objects: list[str], init: list[str], goal: list[str]
    ) -> str:
        """The problem file, as unified-planning's ``PDDLWriter`` writes it, from names."""
        preds = written.preds

        def atom(fact: str) -> str:
            pred, args = parse_atom(fact)
            return "(" + " ".join([preds[pred], *(f"o_{a}" for a in args)]) + ")"

        out = ["(define (problem chore-problem)\n (:domain chore-domain)\n (:objects"]
        own = [f"o_{n}" for n in objects if n not in written.constants]
        if own:
            out.append(f"\n   {' '.join(own)} - thing")
        out.append("\n )\n (:init")
        facts = [atom(f) for f in dict.fromkeys(init)]
        if "loose__" in preds:
            facts += [f"(loose__ o_{n})" for n in _loose_things(objects, init)]
        facts.append("(= (total-cost) 0)")
        out.append("".join(f"\n              {f}" for f in facts))
        goals = [
            f"(not {atom(g.removeprefix('not '))})" if g.startswith("not ") else atom(g)
            for g in goal
        ]
        out.append("\n )\n (:goal (and \n           " + "\n           ".join(goals))
        out.append("\n        )\n )\n (:metric minimize (total-cost))\n)\n")
        return "".join(out)

    def _parse_plan(self, lines: list[str], names: Any) -> list[GroundAction]:
        """Steps of a Fast Downward plan; ``names``: the PDDLWriter or the written domain."""
        written = isinstance(names, _WrittenDomain)
        steps = []
        for line in lines:
            line = line.strip()
            if not line.startswith("("):
                continue
            name, *params = line.strip("()").split()
            if written:
                schema = self.by_name[names.actions[name]]
                values = [v.removeprefix("o_") for v in params]
            else:
                schema = self.by_name[_unprefix(names, name, "a_")]
                values = [_unprefix(names, v, "o_") for v in params]
            args: dict[str, Any] = dict(zip(schema.params, values, strict=True))
            args.update(schema.fixed)
            steps.append(GroundAction(schema.name, schema.skill, args))
        return steps

    def _problem(
        self,
        objects: list[str],
        init: list[str],
        goal: list[str],
        allowed: frozenset[str] | None,
    ) -> Any:
        from unified_planning.environment import get_environment
        from unified_planning.model import (
            Fluent,
            InstantaneousAction,
            Object,
            Problem,
            Variable,
        )
        from unified_planning.model.metrics import MinimizeActionCosts

        env = get_environment()
        env.credits_stream = None
        em, tm = env.expression_manager, env.type_manager
        And, Or, Not, Exists = em.And, em.Or, em.Not, em.Exists  # noqa: N806
        BoolType, UserType, Int = tm.BoolType, tm.UserType, em.Int  # noqa: N806
        # Things, predicates and skills may share names (a "plant" and plant(x)); the PDDL
        # writer keeps them apart.
        env.error_used_name = False
        thing = UserType("thing")
        fluents = {
            p: Fluent(p, BoolType(), **{f"a{i}": thing for i in range(n)})
            for p, n in self.predicates.items()
        }
        problem = Problem("chore")
        for f in fluents.values():
            problem.add_fluent(f, default_initial_value=False)
        # Prefixed names: no thing, predicate, action or PDDL keyword can clash.
        objs = {n: Object(f"o_{n}", thing) for n in objects}
        problem.add_objects(objs.values())
        has_reach = {"near", "in", "closed"} <= set(fluents)
        # loose(x): x is not inside anything (so driving up to it puts it within reach).
        loose = Fluent("loose__", BoolType(), a0=thing)
        if has_reach:
            problem.add_fluent(loose, default_initial_value=False)
        costs = {}
        for s in self.schemas:
            if allowed is not None and s.skill not in allowed:
                continue
            act = InstantaneousAction(f"a_{s.name}", **{p: thing for p in s.params})
            pv = {p: act.parameter(p) for p in s.params}

            def arg(a: str, pv: dict = pv) -> Any:
                return pv[a[1:]] if a.startswith("?") else objs[a]

            for t in s.pre:
                if t.pred == "near" and has_reach and not t.negated:
                    x = arg(t.args[0])
                    f = Variable("f", thing)
                    # Reach it: near it (driven up to it), and it is not shut inside a
                    # closed container (not inside anything, or in an open one).
                    cond = And(
                        fluents["near"](x),
                        Or(
                            loose(x),
                            Exists(And(fluents["in"](x, f), Not(fluents["closed"](f))), f),
                        ),
                    )
                else:
                    atom = fluents[t.pred](*(arg(a) for a in t.args))
                    cond = Not(atom) if t.negated else atom
                act.add_precondition(cond)
            for t in s.delete:
                quant = []
                args = []
                for i, a in enumerate(t.args):
                    if a == "*":
                        v = Variable(f"w{i}", thing)
                        quant.append(v)
                        args.append(v)
                    else:
                        args.append(arg(a))
                act.add_effect(fluents[t.pred](*args), False, forall=quant)
            for t in s.add:
                act.add_effect(fluents[t.pred](*(arg(a) for a in t.args)), True)
            if has_reach:
                for x in _loosened(s):
                    act.add_effect(loose(arg(x)), True)
                for x in _contained(s):
                    act.add_effect(loose(arg(x)), False)
            problem.add_action(act)
            costs[act] = Int(s.cost)
        for fact in init:
            pred, args = parse_atom(fact)
            problem.set_initial_value(fluents[pred](*(objs[a] for a in args)), True)
        if has_reach:
            for n in _loose_things(objects, init):
                problem.set_initial_value(loose(objs[n]), True)
        for g in goal:
            pred, args = parse_atom(g.removeprefix("not "))
            atom = fluents[pred](*(objs[a] for a in args))
            problem.add_goal(Not(atom) if g.startswith("not ") else atom)
        problem.add_quality_metric(MinimizeActionCosts(costs))
        return problem


def _unprefix(writer: Any, pddl_name: str, prefix: str) -> str:
    """The name of an object or action in a Fast Downward plan, as housemind knows it."""
    try:
        name = str(writer.get_item_named(pddl_name).name)
    except Exception:  # noqa: BLE001 - unified-planning raises when it kept the name as given
        name = pddl_name
    return name.removeprefix(prefix)


def _loose_things(objects: Iterable[str], init: Iterable[str]) -> list[str]:
    """The things of ``objects`` inside nothing in ``init`` (``loose__`` holds for them)."""
    inside = {args[0] for pred, args in map(parse_atom, init) if pred == "in"}
    return [n for n in objects if n not in inside]


def _loosened(s: ActionSchema) -> list[str]:
    """Arguments an action takes out of any container (on a surface, in the gripper)."""
    out = [t.args[0] for t in s.add if t.pred in ("on", "holding") and t.args]
    out += [t.args[0] for t in s.delete if t.pred == "in" and t.args and t.args[0] != "*"]
    return [a for a in dict.fromkeys(out) if a.startswith("?") or a != "*"]


def _contained(s: ActionSchema) -> list[str]:
    """Arguments an action puts inside a container."""
    return [t.args[0] for t in s.add if t.pred == "in" and t.args]


_DOMAINS: dict[tuple, Domain] = {}
_DOMAINS_LOCK = threading.Lock()


def compile_domain(registry: SkillRegistry) -> Domain:
    """The planning domain of ``registry`` as it is now (compiled once per set of skills).

    Skills without effects are left out (nothing to plan with). A skill whose facts do not
    compile is left out with a warning, so one bad plug-in cannot stop the planner.
    """
    specs = tuple(registry)
    key = tuple((s.name, id(s)) for s in specs)
    with _DOMAINS_LOCK:
        hit = _DOMAINS.get(key)
        if hit is not None:
            return hit
    schemas: list[ActionSchema] = []
    for spec in specs:
        try:
            schemas.extend(_compile_skill(spec))
        except DomainError as e:
            logger.warning("skill %r left out of the planning domain: %s", spec.name, e)
    domain = Domain(schemas)
    with _DOMAINS_LOCK:
        _DOMAINS[key] = domain
        if len(_DOMAINS) > 16:
            _DOMAINS.pop(next(iter(_DOMAINS)))
    return domain


def domain_pddl(registry: SkillRegistry) -> str:
    """The generated domain as PDDL text (for people and ``housemind skills --pddl``)."""
    dom = compile_domain(registry)
    lines = [
        "(define (domain housemind)",
        "  (:requirements :strips :negative-preconditions :existential-preconditions",
        "                 :disjunctive-preconditions :conditional-effects :action-costs)",
    ]
    if dom.constants:
        lines.append(f"  (:constants {' '.join(dom.constants)})")
    preds = " ".join(
        f"({p}{''.join(f' ?a{i}' for i in range(n))})" for p, n in dom.predicates.items()
    )
    lines.append(f"  (:predicates {preds} (loose__ ?a0))")
    lines.append("  (:functions (total-cost))")
    for s in dom.schemas:
        lines.append(f"  (:action {s.name}")
        lines.append(f"    :parameters ({' '.join('?' + p for p in s.params)})")
        pre = []
        for t in s.pre:
            atom = f"({t.pred}{''.join(' ' + a for a in t.args)})"
            if t.pred == "near" and not t.negated:
                x = t.args[0]
                atom = (
                    f"(and {atom} (or (loose__ {x}) "
                    f"(exists (?f) (and (in {x} ?f) (not (closed ?f))))))"
                )
            pre.append(f"(not {atom})" if t.negated else atom)
        lines.append(f"    :precondition (and {' '.join(pre)})")
        eff = []
        for t in s.delete:
            vars_ = [f"?w{i}" for i, a in enumerate(t.args) if a == "*"]
            args = [f"?w{i}" if a == "*" else a for i, a in enumerate(t.args)]
            atom = f"(not ({t.pred}{''.join(' ' + a for a in args)}))"
            eff.append(f"(forall ({' '.join(vars_)}) {atom})" if vars_ else atom)
        eff += [f"({t.pred}{''.join(' ' + a for a in t.args)})" for t in s.add]
        eff += [f"(loose__ {x})" for x in _loosened(s)]
        eff += [f"(not (loose__ {x}))" for x in _contained(s)]
        eff.append(f"(increase (total-cost) {s.cost})")
        lines.append(f"    :effect (and {' '.join(eff)}))")
    lines.append(")")
    return "\n".join(lines)
