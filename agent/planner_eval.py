"""Planner evaluation: the HomeSim task suite through the whole stack, per planner.

:func:`evaluate_planner` runs each task of the suite (on held-out seeds, in held-out homes
by default) through :func:`~agent.episodes.run_episode` with the chosen planner and the
task's goal predicate as the judge, optionally in paraphrased wordings (the held-out
wordings of ``benchmarks/planner/goal_wordings_heldout.yaml``) or in any wordings from a
file of JSON lines ``{"task": NAME, "goal": TEXT}``. It reports success, plan length,
replans, safety interventions, and per planning decision the latency and the model tokens
(0 for local backends), overall, per task and per home.

Goal wordings are templates: ``{objects}``, ``{dest}``... are filled with the task's
sampled parameters exactly like the suite's own goal ("plate 2, fork and knife"); a
wording without fields is used as it is.

A task is evaluated only where the skill registry can express its expert solution: a task
whose solution needs a step no registered skill provides (HomeSim's ``wait`` for a washer
programme or a pot to cook) is listed under ``excluded`` with the reason, never counted
as a success or a failure.
"""

from __future__ import annotations

import json
import logging
import statistics
import string
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_HOMES",
    "DEV_HOMES",
    "EVAL_SEED_OFFSET",
    "TRAIN_HOMES",
    "GoalWordings",
    "PlannerEvalReport",
    "TimedPlanner",
    "WordingsError",
    "evaluate_planner",
    "fill_goal",
    "load_goal_file",
    "load_wordings",
    "plannable",
    "protected_wordings",
    "wordings_dir",
]

logger = logging.getLogger(__name__)

#: Floor plans the built-in planner is trained in.
TRAIN_HOMES: tuple[str, ...] = ("apartment", "studio", "one_bedroom")
#: Floor plans held out of training: the default of the evaluation.
DEFAULT_HOMES: tuple[str, ...] = ("two_bedroom", "house")
#: Floor plans for development: neither trained in nor held out (a new home to measure
#: generalisation on while working; see ``docs/builtin_planner.md``).
DEV_HOMES: tuple[str, ...] = ("bungalow",)
#: Evaluation seeds start here; training uses seeds below it.
EVAL_SEED_OFFSET = 1000

HELDOUT_FILE = "goal_wordings_heldout.yaml"
TRAIN_FILE = "goal_wordings_train.yaml"
#: Development wordings: measured in the training homes while working, never trained on.
DEV_FILE = "goal_wordings_dev.yaml"


def protected_wordings(split: str) -> set[str]:
    """Every template of the repository's ``split`` files that training must never see.

    ``split`` is ``heldout`` or ``dev``: every ``goal_wordings_<split>*.yaml`` (the first
    round's file and later rounds', e.g. ``goal_wordings_heldout2.yaml``). Empty when
    housemind is installed without its repository.

    Raises:
        WordingsError: when one of those files cannot be read.
    """
    try:
        folder = wordings_dir()
    except WordingsError:
        return set()
    out: set[str] = set()
    for path in sorted(folder.glob(f"goal_wordings_{split}*.yaml")):
        out |= load_wordings(path, split=split).all()
    return out


class WordingsError(ValueError):
    """A wordings or goals file that cannot be used; the message says what to fix."""


def wordings_dir() -> Path:
    """``benchmarks/planner`` of the source checkout housemind runs from.

    Raises:
        WordingsError: when housemind is installed without its repository (a wheel).
    """
    root = Path(__file__).resolve().parent.parent
    folder = root / "benchmarks" / "planner"
    if not folder.is_dir():
        raise WordingsError(
            f"no benchmarks/planner folder next to {root}: the goal wordings live in the "
            "housemind repository; pass the file explicitly (--wordings FILE)"
        )
    return folder


def fill_goal(template: str, params: dict[str, Any]) -> str:
    """Fill a wording template with a task's sampled parameters.

    Lists read "a, b and c"; underscores become spaces (like the suite's own goals).

    Raises:
        WordingsError: if the template names a field the task does not have.
    """
    words: dict[str, str] = {}
    for k, v in params.items():
        if isinstance(v, list | tuple):
            items = [str(x).replace("_", " ") for x in v]
            if not items:
                words[k] = "nothing"
            elif len(items) == 1:
                words[k] = items[0]
            else:
                words[k] = ", ".join(items[:-1]) + " and " + items[-1]
        else:
            words[k] = str(v).replace("_", " ")
    try:
        return template.format(**words)
    except (KeyError, IndexError) as e:
        raise WordingsError(
            f"the wording {template!r} names {e}, which this task does not have "
            f"(its fields: {', '.join(sorted(params)) or 'none'})"
        ) from None


def _fields(template: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}
    except ValueError as e:
        raise WordingsError(f"the wording {template!r} is not a valid template: {e}") from None


@dataclass
class GoalWordings:
    """Wordings per task, from one YAML file.

    Attributes:
        path: Where they were read from.
        split: ``train``, ``dev`` or ``heldout``.
        frozen: The date the file was frozen (held-out files), as written.
        tasks: Task name -> wording templates.
    """

    path: Path
    split: str
    frozen: str | None
    tasks: dict[str, list[str]]

    def all(self) -> set[str]:
        """Every template, of every task."""
        return {w for ws in self.tasks.values() for w in ws}


def load_wordings(path: str | Path | None = None, *, split: str = "heldout") -> GoalWordings:
    """Read a goal wordings file (default: the repository's ``split`` file).

    Raises:
        WordingsError: missing file, bad YAML, unknown task, or a bad template.
    """
    import yaml

    from housemind.sim.home.tasks import TASKS

    if path is None:
        files = {"heldout": HELDOUT_FILE, "dev": DEV_FILE}
        path = wordings_dir() / files.get(split, TRAIN_FILE)
    path = Path(path)
    if not path.is_file():
        raise WordingsError(f"no goal wordings file at {path}")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as e:
        raise WordingsError(f"{path} is not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), dict):
        raise WordingsError(f"{path} must have a 'tasks' mapping of task name -> wordings")
    tasks: dict[str, list[str]] = {}
    for name, ws in data["tasks"].items():
        if name not in TASKS:
            raise WordingsError(f"{path}: unknown task {name!r}")
        if not isinstance(ws, list) or not all(isinstance(w, str) and w.strip() for w in ws):
            raise WordingsError(f"{path}: {name} must list non-empty wordings")
        for w in ws:
            _fields(w)
        tasks[name] = list(ws)
    frozen = data.get("frozen")
    return GoalWordings(
        path=path,
        split=str(data.get("split", split)),
        frozen=str(frozen) if frozen is not None else None,
        tasks=tasks,
    )


def load_goal_file(path: str | Path) -> list[tuple[str, str]]:
    """Read JSON lines ``{"task": NAME, "goal": TEXT}``.

    Raises:
        WordingsError: a missing file, a line that is not such an object (with its
            number), an unknown task, or an empty goal.
    """
    from housemind.sim.home.tasks import get_task

    path = Path(path)
    if not path.is_file():
        raise WordingsError(f"no goals file at {path}")
    out = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise WordingsError(f"{path}:{n} is not JSON: {e}") from None
        if not isinstance(row, dict) or not isinstance(row.get("task"), str):
            raise WordingsError(f'{path}:{n} must be {{"task": NAME, "goal": TEXT}}')
        goal = row.get("goal")
        if not isinstance(goal, str) or not goal.strip():
            raise WordingsError(f"{path}:{n} has no goal text")
        try:
            get_task(row["task"])
        except KeyError as e:
            raise WordingsError(f"{path}:{n}: {str(e).strip(chr(34) + chr(39))}") from None
        _fields(goal)
        out.append((row["task"], goal))
    if not out:
        raise WordingsError(f"{path} has no goals")
    return out


def plannable(solution: Iterable[tuple[str, dict[str, Any]]], skills: Iterable[str]) -> str:
    """Why a task's expert solution cannot be expressed with ``skills`` ('' if it can)."""
    missing = sorted({s for s, _ in solution} - set(skills))
    if not missing:
        return ""
    return f"needs {', '.join(missing)}, which no registered skill provides"


class TimedPlanner:
    """Wraps a planner to time each decision and count model tokens.

    Tokens come from ``Plan.usage`` (``prompt_tokens`` + ``completion_tokens``) where a
    backend reports them; local backends count 0.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.wants_images = getattr(inner, "wants_images", 0)
        self.latencies: list[float] = []
        self.tokens: list[int] = []

    def _timed(self, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            plan = fn()
        finally:
            self.latencies.append(time.perf_counter() - t0)
        usage = getattr(plan, "usage", None) or {}
        self.tokens.append(
            int(usage.get("prompt_tokens", 0) or 0) + int(usage.get("completion_tokens", 0) or 0)
        )
        return plan

    def plan(self, goal: str, context: Any) -> Any:
        """Time the inner planner's ``plan``."""
        return self._timed(lambda: self.inner.plan(goal, context))

    def replan(self, goal: str, context: Any, **kw: Any) -> Any:
        """Time the inner planner's ``replan``."""
        return self._timed(lambda: self.inner.replan(goal, context, **kw))


@dataclass
class PlannerEvalReport:
    """What :func:`evaluate_planner` measured (the ``--json`` of ``eval planner``).

    Attributes:
        planner: The backend evaluated.
        wordings: ``suite`` (the tasks' own goals), ``heldout`` or ``dev`` (paraphrases from a
            wordings file of that split) or ``file`` (``--goals``).
        homes: Floor plans evaluated.
        seeds: Seeds of each task in each home.
        furniture_seed: The homes' furniture rearranged with this seed (None: as drawn).
        episodes: Episodes run.
        success: Fraction of episodes whose task goal predicate held at the end.
        per_task: Task -> ``{"episodes", "success", ...}``.
        per_home: Home -> ``{"episodes", "success"}``.
        plan_length: Mean subtasks dispatched per episode.
        replans: Mean replans per episode.
        safety_interventions: Subtasks the monitor denied or asked about, in all.
        decisions: Planning calls in all.
        latency_ms: Per decision: ``mean``, ``p50``, ``p95``.
        tokens_per_decision: Mean model tokens per decision (0 for local backends).
        excluded: Task -> why it was not evaluated.
        failures: Up to 30 failed episodes with their reason, for reading.
        wall_seconds: Time the evaluation took.
    """

    planner: str
    wordings: str
    homes: list[str]
    seeds: list[int]
    furniture_seed: int | None = None
    episodes: int = 0
    success: float = 0.0
    per_task: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_home: dict[str, dict[str, Any]] = field(default_factory=dict)
    plan_length: float = 0.0
    replans: float = 0.0
    safety_interventions: int = 0
    decisions: int = 0
    latency_ms: dict[str, float] = field(default_factory=dict)
    tokens_per_decision: float = 0.0
    excluded: dict[str, str] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    wall_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass(frozen=True)
class _Job:
    task: str
    home: str
    seed: int
    template: str | None  # None: the task's own goal


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


def evaluate_planner(
    planner: str | Any = "builtin",
    *,
    seeds: int = 1,
    homes: Sequence[str] | None = None,
    tasks: Sequence[str] | None = None,
    paraphrases: bool = False,
    goals: Sequence[tuple[str, str]] | None = None,
    wordings_path: str | Path | None = None,
    seed_offset: int = EVAL_SEED_OFFSET,
    furniture_seed: int | None = None,
    on_episode: Callable[[dict[str, Any]], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> PlannerEvalReport:
    """Run the task suite through the whole stack with ``planner`` and measure it.

    Args:
        planner: A backend name (``builtin``, ``symbolic``...) or a planner instance.
        seeds: Seeds per task and home (``seed_offset``, ``seed_offset + 1``, ...).
        homes: Floor plans (default: the homes held out of training, two_bedroom and house).
        tasks: Only these tasks (default: all).
        paraphrases: Evaluate each task in every held-out wording instead of its own goal.
        goals: ``(task, wording)`` pairs to evaluate instead (``--goals FILE``).
        wordings_path: Another held-out wordings file for ``paraphrases``.
        seed_offset: The first seed (training uses seeds below 1000).
        furniture_seed: Rearrange the homes' movable furniture with this seed (None: the
            plans as drawn); a development check of layouts a planner has not seen, in
            homes it was trained in (training rearranges with seeds 1-3).
        on_episode: Called with each episode's row (for progress).
        on_start: Called once with the number of episodes planned.

    Raises:
        WordingsError: bad wordings; KeyError: an unknown task, home or planner.
    """
    from housemind.agent.episodes import EpisodeError, run_episode
    from housemind.agent.planners import get_planner
    from housemind.sim.home.plans import plan_names
    from housemind.sim.home.tasks import TaskSampleError, get_task, new_episode, task_names
    from housemind.skills import REGISTRY

    t_start = time.perf_counter()
    homes = list(homes or DEFAULT_HOMES)
    for h in homes:
        if h not in plan_names():
            raise KeyError(f"unknown home {h!r}; homes: {', '.join(plan_names())}")
    names = list(tasks) if tasks else task_names()
    for t in names:
        get_task(t)
    if goals is not None:
        mode = "file"
        by_task: dict[str, list[str | None]] = {}
        for t, g in goals:
            by_task.setdefault(t, []).append(g)
        names = [t for t in names if t in by_task] if tasks else list(by_task)
    elif paraphrases:
        wordings = load_wordings(wordings_path, split="heldout")
        mode = wordings.split  # "heldout", or "dev" for a development file
        by_task = {t: list(wordings.tasks.get(t, [])) for t in names}
        missing = [t for t, ws in by_task.items() if not ws]
        if missing:
            raise WordingsError(f"{wordings.path} has no wordings for {', '.join(missing)}")
    else:
        mode = "suite"
        by_task = {t: [None] for t in names}
    inner = get_planner(planner) if isinstance(planner, str) else planner
    timed = TimedPlanner(inner)
    seed_list = [seed_offset + i for i in range(seeds)]
    report = PlannerEvalReport(
        planner=timed.name,
        wordings=mode,
        homes=homes,
        seeds=seed_list,
        furniture_seed=furniture_seed,
    )

    layout = {"furniture_seed": furniture_seed} if furniture_seed is not None else {}
    jobs: list[_Job] = []
    for t in names:
        task = get_task(t)
        for h in homes:
            if h not in task.homes():
                continue
            for s in seed_list:
                jobs.extend(_Job(t, h, s, w) for w in by_task[t])
    if on_start is not None:
        on_start(len(jobs))
    skills = REGISTRY.names()
    rows: list[dict[str, Any]] = []
    sampled: dict[tuple[str, str, int], tuple[str, dict[str, Any], str]] = {}
    for job in jobs:
        key = (job.task, job.home, job.seed)
        if key not in sampled:
            try:
                env, inst = new_episode(job.task, job.seed, home=job.home, **layout)
                sampled[key] = (plannable(inst.solution(env), skills), inst.params, inst.goal)
            except TaskSampleError as e:
                sampled[key] = (f"cannot be set up: {e}", {}, "")
        why_not, params, own_goal = sampled[key]
        if why_not:
            report.excluded.setdefault(job.task, why_not)
            if on_episode is not None:
                on_episode({"task": job.task, "home": job.home, "excluded": why_not})
            continue
        goal = fill_goal(job.template, params) if job.template is not None else own_goal
        n_decisions = len(timed.latencies)
        try:
            res = run_episode(
                goal,
                task=job.task,
                home=job.home,
                seed=job.seed,
                planner=timed,
                furniture_seed=furniture_seed,
            )
        except EpisodeError as e:
            report.excluded.setdefault(job.task, str(e))
            continue
        row = {
            "task": job.task,
            "home": job.home,
            "seed": job.seed,
            "furniture_seed": res.furniture_seed,
            "goal": goal,
            "success": res.success,
            "status": res.status,
            "reason": res.reason,
            "subtasks": len(res.subtasks),
            "replans": res.replans,
            "safety_interventions": res.safety_interventions,
            "decisions": len(timed.latencies) - n_decisions,
        }
        rows.append(row)
        if on_episode is not None:
            on_episode(row)
    report.episodes = len(rows)
    report.decisions = len(timed.latencies)
    report.wall_seconds = time.perf_counter() - t_start
    for t in list(report.excluded):
        if any(r["task"] == t for r in rows):
            del report.excluded[t]  # excluded in one home only: listed per task below
    if not rows:
        return report
    report.success = sum(r["success"] for r in rows) / len(rows)
    report.plan_length = statistics.fmean(r["subtasks"] for r in rows)
    report.replans = statistics.fmean(r["replans"] for r in rows)
    report.safety_interventions = sum(r["safety_interventions"] for r in rows)
    lat = [x * 1000.0 for x in timed.latencies]
    report.latency_ms = {
        "mean": round(statistics.fmean(lat), 2) if lat else 0.0,
        "p50": round(_percentile(lat, 0.5), 2),
        "p95": round(_percentile(lat, 0.95), 2),
    }
    report.tokens_per_decision = statistics.fmean(timed.tokens) if timed.tokens else 0.0
    for group, key in ((report.per_task, "task"), (report.per_home, "home")):
        for r in rows:
            g = group.setdefault(r[key], {"episodes": 0, "successes": 0})
            g["episodes"] += 1
            g["successes"] += int(r["success"])
        for g in group.values():
            g["success"] = round(g["successes"] / g["episodes"], 4)
    for t, g in report.per_task.items():
        mine = [r for r in rows if r["task"] == t]
        g["plan_length"] = round(statistics.fmean(r["subtasks"] for r in mine), 2)
        g["replans"] = round(statistics.fmean(r["replans"] for r in mine), 2)
    report.failures = [
        {k: r[k] for k in ("task", "home", "seed", "goal", "status", "reason")}
        for r in rows
        if not r["success"]
    ][:30]
    report.success = round(report.success, 4)
    report.plan_length = round(report.plan_length, 2)
    report.replans = round(report.replans, 2)
    return report
