"""The built-in learned planner: the next subtask, scored as relevance times affordance.

Each call reads the goal, the plan context (memory and the latest observation, with the
camera image when the runtime sends one) and the steps done so far, lists the candidate
subtasks (:mod:`~agent.planners.builtin.candidates`), scores them with the trained network
(relevance, a softmax over the candidates) and multiplies by affordance (preconditions that
hold, or hold after driving there). It takes the best, imagines its effects, and scores
again, up to ``horizon`` steps; it stops early after an ``explore`` step (new things must
be seen first), after opening something whose contents it does not know (they are seen
then) or when it judges the goal reached (but while the goal names an object it has not
found and a room is left that it has not looked in, it looks there before it gives up).
The plan it returns is marked
incomplete, so the task graph asks again after running it, with fresh observations; when
the first choice of a call is ``done`` it returns an empty, complete plan and the task
ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from housemind.agent.planners.base import Plan, PlanContext, PlanningError, Subtask
from housemind.agent.planners.builtin.belief import Belief
from housemind.agent.planners.builtin.candidates import (
    NEGATED_PLACE_FACTOR,
    Candidate,
    away_from_home,
    enumerate_candidates,
    negated_places,
    puts_into,
    puts_straight_back,
    spoken,
    stows_unpoured,
    unnamed_siblings,
)
from housemind.agent.planners.builtin.configuration import (
    WEIGHTS_NAME,
    BuiltinPlannerConfig,
    default_weights_dir,
)
from housemind.agent.planners.builtin.modeling import NextSubtaskModel
from housemind.agent.planners.builtin.processor import (
    FEATURES,
    DecisionFeatures,
    EmbeddingCache,
    PlannerProcessor,
    decode_image,
    display,
)
from housemind.agent.planners.builtin.scope import GoalScope
from housemind.agent.planners.language import pets_as_pet
from housemind.skills.spec import REGISTRY, SkillRegistry

__all__ = ["BuiltinPlanner", "ScoredCandidate", "batch_decisions", "image_batch", "load_model"]

logger = logging.getLogger(__name__)

#: Steps after which the robot may see something new (inside a cupboard it opened, when it
#: knows nothing in there yet).
_REVEALING = ("open",)


@dataclass(frozen=True)
class ScoredCandidate:
    """A candidate with its relevance (model), affordance and their product."""

    candidate: Candidate
    relevance: float
    score: float


def load_model(folder: str | Path | None = None) -> tuple[NextSubtaskModel, BuiltinPlannerConfig]:
    """Load a trained model and its config from ``folder`` (default: the shipped weights).

    Raises:
        FileNotFoundError: if the folder has no config or weights, with what to do.
    """
    from safetensors.torch import load_file

    folder = Path(folder) if folder is not None else default_weights_dir()
    config = BuiltinPlannerConfig.load(folder)
    path = folder / WEIGHTS_NAME
    if not path.is_file():
        raise FileNotFoundError(
            f"no built-in planner weights at {path}; train them with "
            "'housemind train planner --out DIR'"
        )
    model = NextSubtaskModel(config)
    model.load_state_dict(load_file(str(path)))
    model.eval()
    return model, config


def image_batch(
    images: Sequence[np.ndarray | None], size: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """``uint8[H, W, 3]`` images (None: absent) -> ``[B, 3, size, size]`` in [0, 1], flags."""
    out = torch.zeros(len(images), 3, size, size)
    has = torch.zeros(len(images))
    for i, im in enumerate(images):
        if im is None:
            continue
        if im.shape[0] != size or im.shape[1] != size:
            from PIL import Image

            im = np.asarray(Image.fromarray(im).resize((size, size), Image.BILINEAR))
        # a copy: camera frames may be read-only views, which torch warns about sharing
        out[i] = torch.from_numpy(np.array(im, copy=True)).permute(2, 0, 1).float() / 255.0
        has[i] = 1.0
    return out, has


def batch_decisions(
    decisions: Sequence[DecisionFeatures],
    cache: EmbeddingCache,
    image_size: int,
) -> dict[str, torch.Tensor]:
    """Pad a list of decisions into the model's input tensors (see ``NextSubtaskModel``)."""
    texts: dict[str, int] = {"": 0}
    for d in decisions:
        for t in (*d.obj_text, *d.target_text):
            if t not in texts:
                texts[t] = len(texts)
    words = np.zeros((len(texts), cache.dim), np.float32)
    named = [t for t in texts if t]
    if named:
        words[1:] = cache.matrix(named)
    n_c = max(len(d.skills) for d in decisions)
    n_f = decisions[0].feats.shape[1]
    b = len(decisions)
    obj = torch.zeros(b, n_c, dtype=torch.long)
    target = torch.zeros(b, n_c, dtype=torch.long)
    skills = torch.zeros(b, n_c, dtype=torch.long)
    feats = torch.zeros(b, n_c, n_f)
    mask = torch.zeros(b, n_c, dtype=torch.bool)
    for i, d in enumerate(decisions):
        c = len(d.skills)
        obj[i, :c] = torch.tensor([texts[t] for t in d.obj_text])
        target[i, :c] = torch.tensor([texts[t] for t in d.target_text])
        skills[i, :c] = torch.from_numpy(d.skills)
        feats[i, :c] = torch.from_numpy(d.feats)
        mask[i, :c] = True
    image, has_image = image_batch([d.image for d in decisions], image_size)
    goal = torch.from_numpy(np.stack([cache.get(d.goal) for d in decisions]))
    return {
        "goal": goal,
        "words": torch.from_numpy(words),
        "obj": obj,
        "target": target,
        "skills": skills,
        "feats": feats,
        "mask": mask,
        "image": image,
        "has_image": has_image,
    }


class BuiltinPlanner:
    """The ``builtin`` planner backend (offline, learned; see the module docstring).

    Args:
        weights: Folder with ``config.json`` and ``model.safetensors`` (default: the
            weights shipped in ``agent/planners/builtin/weights``).
        registry: Skill registry (preconditions and effects decide affordance).
        horizon: Steps imagined per call (default: the config's).
        model: An already loaded model (with ``config``), instead of ``weights``.
        config: The config of ``model``.
        cache: Sentence-embedding cache to share (one is made otherwise).
        scope: Refuse goals unlike every chore it was trained on
            (:mod:`~agent.planners.builtin.scope`): ``True`` (the shipped reference list,
            when the planner embeds with the shipped sentence model; none otherwise), a
            :class:`~agent.planners.builtin.scope.GoalScope`, or ``False`` (plan anything;
            the training rollouts use this).
    """

    name = "builtin"
    #: How many camera images the runtime should put in the plan context.
    wants_images = 1

    def __init__(
        self,
        weights: str | Path | None = None,
        *,
        registry: SkillRegistry = REGISTRY,
        horizon: int | None = None,
        model: NextSubtaskModel | None = None,
        config: BuiltinPlannerConfig | None = None,
        cache: EmbeddingCache | None = None,
        scope: bool | GoalScope = True,
    ) -> None:
        if model is None:
            model, config = load_model(weights)
        elif config is None:
            config = model.config
        self.model = model.eval()
        self.config = config
        self.registry = registry
        self.horizon = int(horizon if horizon is not None else config.horizon)
        if self.horizon < 1:
            raise ValueError(f"horizon must be at least 1, got {self.horizon}")
        self.processor = PlannerProcessor(
            config.skills,
            config.object_vocab,
            cache,
            place_prior=config.place_prior,
            room_prior=config.room_prior,
        )
        unknown = [f for f in config.features if f not in FEATURES]
        if unknown:
            raise ValueError(
                f"the planner weights use features this housemind does not compute "
                f"({', '.join(unknown)}); upgrade housemind or retrain the weights with "
                "'housemind train planner'"
            )
        # Weights trained before features were added use the columns they know, in order.
        self._columns = (
            None
            if list(config.features) == list(FEATURES)
            else [FEATURES.index(f) for f in config.features]
        )
        if scope is True:  # the shipped list is in the shipped sentence model's terms
            cache = self.processor.cache
            shipped = cache.shipped_model
            scope = GoalScope.load(cache.matrix, model=config.embedding_model) if shipped else None
        self.scope: GoalScope | None = scope or None
        self.decisions = 0
        self.seconds = 0.0

    # -- the Planner protocol ----------------------------------------------------------

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """Plan the first steps toward ``goal``.

        Raises:
            PlanningError: The goal is empty, or unlike every chore the planner was trained
                on (the message names the closest one it knows).
        """
        if self.scope is not None and goal.strip():
            verdict = self.scope.judge(pets_as_pet(goal, context.pets))
            if not verdict.known:
                raise PlanningError(
                    f"'{goal}' is not a chore the built-in planner has learned (the closest "
                    f"it knows is '{verdict.nearest}', similarity {verdict.similarity:.2f} < "
                    f"{self.scope.threshold:.2f}); say it as one of the chores in "
                    "'housemind sim tasks', or use a model planner (--planner litellm:...)"
                )
        return self._decide(goal, context, done=[], failed=None)

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        """Plan the next steps, knowing what was done and what failed."""
        return self._decide(goal, context, done=done, failed=failed)

    # -- scoring -------------------------------------------------------------------------

    def rank(
        self, goal: str, belief: Belief, image: np.ndarray | None = None
    ) -> list[ScoredCandidate]:
        """Every feasible candidate, best first (score = relevance x affordance)."""
        cands = enumerate_candidates(
            belief,
            self.registry,
            navigate_affordance=self.config.navigate_affordance,
            failed_factor=self.config.failed_factor,
            repeat_factor=self.config.repeat_factor,
            held_done_factor=self.config.held_done_factor,
        )
        # The robot speaks to someone only when the goal names them ("remind alex to ..."):
        # a chore it cannot finish is not a message for whoever is home.
        named = self.processor.exact_names(goal, belief)
        cands = [c for c in cands if c.kind != "act" or c.skill != "say" or c.target in named]
        feats = self.processor.featurize(goal, belief, cands, image)
        if self._columns is not None:
            feats.feats = feats.feats[:, self._columns]
        batch = batch_decisions([feats], self.processor.cache, self.config.image_size)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # a few hundred rows: more threads only contend
        try:
            with torch.inference_mode():
                logits = self.model(**batch)[0]
        finally:
            torch.set_num_threads(threads)
        # What the person said not to do ("don't put it back in the fridge"), and the other
        # fixtures of a kind the goal names one of ("in the toy box", not toy box 2), are not
        # chosen among: the relevance is shared by the other candidates.
        # A thing the household keeps somewhere goes back there, not into another store left
        # open beside it, unless the goal says so; a thing the goal names, just taken, does
        # not go straight back where it was; water drawn for the chore is used first.
        places = negated_places(goal, belief.fixtures) | unnamed_siblings(named, belief)
        meant = self.processor.fixtures_meant(goal, belief, exact=named) if belief.homes else ()
        banned = [
            (bool(places) and puts_into(c) in places)
            or away_from_home(c, belief, meant)
            or puts_straight_back(c, belief, named)
            or stows_unpoured(c, belief)
            for c in cands
        ]
        if any(banned) and not all(banned):
            logits = logits.masked_fill(torch.tensor(banned), float("-inf"))
        rel = torch.softmax(logits, dim=0).numpy()
        scored = [
            ScoredCandidate(
                c, float(r), float(r) * c.affordance * (NEGATED_PLACE_FACTOR if ban else 1.0)
            )
            for c, r, ban in zip(cands, rel, banned, strict=True)
        ]
        scored.sort(key=lambda s: (-s.score, s.candidate.key))
        return scored

    def _text(self, c: Candidate) -> str:
        if c.kind == "done":
            return "the goal is reached"
        if c.kind == "explore":
            return f"look around the {display(c.target or '')}"
        return self.registry.bind(c.skill, dict(c.args)).text

    def _decide(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
    ) -> Plan:
        t0 = time.perf_counter()
        if not goal or not goal.strip():
            raise PlanningError("the goal is empty; say what to do, e.g. 'put the mug away'")
        if len(done) >= self.config.max_task_steps:
            raise PlanningError(
                f"gave up after {len(done)} steps without reaching '{goal}'; "
                "say it more simply or break it into smaller chores"
            )
        belief = Belief.from_context(context, done=done, failed=[failed] if failed else [])
        told = self._look_where_told(goal, belief, context)
        if told:
            self.decisions += 1
            self.seconds += time.perf_counter() - t0
            return Plan(
                goal=goal,
                subtasks=told,
                complete=False,
                rationale=f"look where a person said it is ({told[0].args['target']})",
                backend=self.name,
            )
        image = decode_image(context.images[0]) if context.images else None
        steps: list[Subtask] = []
        notes: list[str] = []
        complete = False
        for _ in range(self.horizon):
            ranked = self.rank(goal, belief, image)
            best = ranked[0]
            if best.candidate.kind == "done" and not steps and self.config.look_before_done:
                look = self._look_instead(goal, belief, ranked)
                if look is None and (missing := self.processor.unfound(goal, belief)):
                    # Looked everywhere it could: say so (the runtime asks a person where
                    # it is) rather than call a chore done that never found its things.
                    raise PlanningError(
                        f"cannot find the {display(missing[0])}: looked in "
                        f"{', '.join(display(r) for r in sorted(belief.rooms))}"
                    )
                best = look or best
            c = best.candidate
            note = f"{self._text(c)} ({best.relevance:.2f} x {c.affordance:.2f})"
            if c.kind == "done":
                complete = not steps
                notes.append(note)
                break
            for st in c.steps:
                steps.append(spoken(st, goal))
                belief.apply(st, self.registry)
            notes.append(note)
            if c.kind == "explore" or (
                c.skill in _REVEALING and not belief.objects_at(c.target or "")
            ):
                break  # what it will see there (or inside) decides what comes next
        self.decisions += 1
        self.seconds += time.perf_counter() - t0
        return Plan(
            goal=goal,
            subtasks=steps,
            complete=complete,
            rationale="; ".join(notes),
            backend=self.name,
        )

    def _look_where_told(self, goal: str, belief: Belief, context: PlanContext) -> list[Subtask]:
        """Steps to look where a person said a thing the goal names is, if not done yet.

        A person's answer ("it's in the oven", ``PlanContext.told_places``) comes before
        the network's guesses: drive there and open it when it is closed. Once looked
        there in this task (or when nothing was said), the network chooses as usual.
        """
        if not context.told_places:
            return []
        for kind in self.processor.unfound(goal, belief):
            told = [
                p
                for name, places in context.told_places.items()
                if name == kind or belief.kinds.get(name) == kind
                for p in places
            ]
            for place in told:
                if place not in belief.fixtures and place not in belief.rooms:
                    continue
                went = any(
                    d.skill == "navigate" and d.args.get("target") == place for d in belief.done
                )
                fx = belief.fixtures.get(place)
                closed = fx is not None and fx.openable and belief.is_open(place) is not True
                if went and not closed:
                    continue  # looked there already in this task
                steps = [] if went else [Subtask(skill="navigate", args={"target": place})]
                if closed and "open" in self.registry.names():
                    steps.append(Subtask(skill="open", args={"target": place}))
                if steps:
                    return [spoken(st, goal) for st in steps]
        return []

    def _look_instead(
        self, goal: str, belief: Belief, ranked: list[ScoredCandidate]
    ) -> ScoredCandidate | None:
        """The best ``explore`` when the goal names something not found yet, else None.

        Ending the task is final; while a named object is missing and a room is left that
        it has not looked in during this task, the robot looks there first (a person
        searches the home before saying it is not there). With every room looked in, it
        opens the closed places it has not opened in this task where the missing thing
        may be: memory's search candidates first (a second cabinet), then the fixtures of
        the kinds training put such things in (a towel in the washer). Other places (a
        watering can in the oven) are for a person to say.
        """
        missing = self.processor.unfound(goal, belief)
        if not missing:
            return None
        room = next((s for s in ranked if s.candidate.kind == "explore"), None)
        if room is not None:
            return room
        opened = {str(s.args.get("target")) for s in belief.done if s.skill == "open"}
        # an open step keeps affordance only for a place believed closed or unknown
        opens = {
            s.candidate.target: s
            for s in ranked
            if s.candidate.kind == "act"
            and s.candidate.skill == "open"
            and s.candidate.affordance > 0
        }
        for kind in missing:
            learned = self.processor.prior(self.processor.place_prior, kind)
            by_kind = sorted(
                (p for p in opens if learned.get(belief.kind_of(p), 0.0) > 0),
                key=lambda p: -learned[belief.kind_of(p)],
            )
            for place in [*belief.search.get(kind, []), *by_kind]:
                if place in opens and place not in opened:
                    return opens[place]
        return None

    def describe(self) -> dict[str, Any]:
        """Size and settings, for people and benchmarks."""
        return {
            "parameters": sum(p.numel() for p in self.model.parameters()),
            "horizon": self.horizon,
            "skills": list(self.config.skills),
            "features": len(self.config.features),
        }
