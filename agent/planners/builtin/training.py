"""Training the built-in planner on HomeSim expert rollouts (CPU, minutes).

:func:`train_planner` rolls out the task suite's expert solutions in the training homes
(:mod:`~agent.planners.builtin.rollouts`; cached on disk, so a second run with the same
data settings starts training at once), turns each decision into examples in several
training wordings of its goal (``benchmarks/planner/goal_wordings_train.yaml``; the held-
out wordings are never read except to check that none leaked into training), trains the
network with a softmax over each decision's feasible candidates, keeps the epoch with the
best accuracy on validation episodes (a part of the training homes' episodes, never the
held-out homes or wordings), and writes ``model.safetensors``, ``config.json`` and
``training.json`` (the command, data seed, sizes, times and accuracies).

Seeded: the same settings give the same data, the same split and, on one thread, the same
weights. Resumable: after each epoch a checkpoint is kept in the cache folder; run the
same command again to continue from it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from housemind.agent.planners.builtin.augment import augment_goal
from housemind.agent.planners.builtin.belief import Belief
from housemind.agent.planners.builtin.candidates import enumerate_candidates
from housemind.agent.planners.builtin.configuration import (
    WEIGHTS_NAME,
    BuiltinPlannerConfig,
)
from housemind.agent.planners.builtin.modeling import NextSubtaskModel
from housemind.agent.planners.builtin.planner import image_batch as _images
from housemind.agent.planners.builtin.processor import (
    FEATURES,
    DecisionFeatures,
    EmbeddingCache,
    PlannerProcessor,
)
from housemind.agent.planners.builtin.rollouts import (
    DecisionRecord,
    RolloutStats,
    episode_specs,
    run_rollouts,
)
from housemind.memory.embeddings import TextEmbedder
from housemind.skills.spec import REGISTRY, SkillRegistry

__all__ = [
    "DATA_VERSION",
    "Example",
    "PackedExamples",
    "TrainReport",
    "TrainSettings",
    "build_examples",
    "fill_told_homes",
    "learn_priors",
    "skill_vocabulary",
    "train_model",
    "train_planner",
]

logger = logging.getLogger(__name__)

#: Bump when rollouts change meaning, so old caches are not reused (4: plan contexts name
#: the household's pets).
DATA_VERSION = 4
#: Episode seeds per cached block of rollouts.
ROLLOUT_BLOCK = 4
#: First episode seed of the DAgger rollouts (the experts' rollouts use 0, 1, ...; the
#: evaluation's held-out seeds start at 1000, the development checks' at 2000).
DAGGER_SEED_BASE = 100
#: Bump when what DAgger labels changes, so old DAgger caches are not reused.
DAGGER_VERSION = 3


@dataclass
class TrainSettings:
    """What to train on and how.

    Attributes:
        out: Folder for the weights, config and training record.
        seed: Seeds the wording draws, the train/validation split, initialisation and
            batch order.
        epochs: Passes over the training examples.
        homes: Floor plans to train in (the evaluation holds out the others).
        episodes_per_task: Seeds per (task, home); seed ``s > 0`` also rearranges the
            furniture.
        wordings_per_decision: Each decision is learned in this many wordings of its goal
            (its rollout's own and others drawn from the training wordings).
        augment: Chance that each of the other wordings is rewritten the way people ask
            (an opening, an ending, a colloquial verb, a typo; :mod:`.augment`).
        batch_size: Decisions per optimisation step.
        lr: Peak learning rate (AdamW, cosine decay).
        weight_decay: AdamW weight decay.
        image_dropout: Chance that a training example's camera image is withheld (the
            planner must also work when the runtime sends none).
        val_fraction: Share of episodes kept for validation (chooses the epoch).
        workers: Processes for the rollouts.
        tasks: Only these tasks (default: all).
        wordings_path: Training wordings file (default: the repository's).
        cache_dir: Where rollouts and checkpoints are kept (default under the
            housemind cache folder).
        dagger_episodes: Episodes per task and training home in which a learned planner
            drives and the symbolic planner labels where it goes wrong
            (:func:`~agent.planners.builtin.rollouts.dagger_episode`; 0: none). Seeds
            from :data:`DAGGER_SEED_BASE`, furniture rearranged; training episodes only.
        dagger_learner: That learned planner's weights folder ("": train one first on the
            experts' rollouts alone, in the same run; the one command then reproduces
            both rounds).
        command: The command line that started training (recorded).
    """

    out: Path
    seed: int = 0
    epochs: int = 12
    homes: tuple[str, ...] = ("apartment", "studio", "one_bedroom")
    episodes_per_task: int = 8
    wordings_per_decision: int = 4
    augment: float = 0.5
    batch_size: int = 32
    lr: float = 2e-3
    weight_decay: float = 1e-4
    image_dropout: float = 0.3
    val_fraction: float = 0.15
    workers: int = 1
    tasks: list[str] | None = None
    wordings_path: Path | None = None
    cache_dir: Path | None = None
    dagger_episodes: int = 0
    dagger_learner: str = ""
    command: str = ""

    def blocks(self) -> list[tuple[int, int]]:
        """The episode seeds in blocks of :data:`ROLLOUT_BLOCK`: ``(first seed, count)``.

        Rollouts are made and cached per block, so training with more episodes per task
        reuses the blocks already rolled out and rolls out only the new seeds.
        """
        n = self.episodes_per_task
        return [(f, min(ROLLOUT_BLOCK, n - f)) for f in range(0, n, ROLLOUT_BLOCK)]

    def block_key(self, first: int, count: int) -> str:
        """Hash of everything that decides one block's rollouts (names its cache)."""
        spec: dict[str, Any] = {
            "v": DATA_VERSION,
            "seed": self.seed,
            "homes": list(self.homes),
            "episodes": count,
            "tasks": sorted(self.tasks) if self.tasks else None,
            "wordings": str(self.wordings_path or "default"),
        }
        if first:
            spec["first"] = first
        return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]

    def dagger_key(self) -> str:
        """Hash of everything that decides the DAgger rollouts (names their cache)."""
        from housemind.agent.planners.builtin.configuration import default_weights_dir

        folder = Path(self.dagger_learner) if self.dagger_learner else default_weights_dir()
        try:
            learner = hashlib.sha256((folder / WEIGHTS_NAME).read_bytes()).hexdigest()[:16]
        except OSError:
            learner = str(folder)
        spec = {
            "v": DATA_VERSION,
            "dagger_v": DAGGER_VERSION,
            "dagger": self.dagger_episodes,
            "seed": self.seed,
            "homes": list(self.homes),
            "tasks": sorted(self.tasks) if self.tasks else None,
            "wordings": str(self.wordings_path or "default"),
            "learner": learner,
        }
        return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]

    def data_key(self) -> str:
        """Hash of everything that decides the rollouts (names the checkpoints)."""
        keys = [self.block_key(f, n) for f, n in self.blocks()]
        if self.dagger_episodes:
            keys.append(self.dagger_key())
        if len(keys) == 1:
            return keys[0]
        return hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:16]


@dataclass
class Example:
    """One decision in one wording, featurised, with the expert's choice."""

    features: DecisionFeatures
    label: int
    episode: tuple[str, str, int]
    own_wording: bool = True


@dataclass
class TrainReport:
    """What training did (also written as ``training.json``)."""

    command: str
    seed: int
    date: str
    homes: list[str]
    episodes: int
    episodes_succeeded: int
    decisions: int
    examples_train: int
    examples_val: int
    skipped_tasks: dict[str, str]
    unusable_decisions: int
    parameters: int
    epochs: int
    best_epoch: int
    train_accuracy: float
    val_accuracy: float
    val_accuracy_no_image: float
    losses: list[float]
    seconds_rollouts: float
    seconds_features: float
    seconds_training: float
    seconds_total: float
    machine: dict[str, Any] = field(default_factory=dict)
    wordings_per_decision: int = 0
    augment: float = 0.0
    dagger_episodes: int = 0
    dagger_decisions: int = 0
    dagger_succeeded: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def skill_vocabulary(registry: SkillRegistry = REGISTRY) -> list[str]:
    """``<unknown>``, ``done``, ``explore``, then the registry's skills except navigate."""
    return ["<unknown>", "done", "explore", *[s for s in registry.names() if s != "navigate"]]


# -- rollouts cache ---------------------------------------------------------------------


def _save_records(folder: Path, records: list[DecisionRecord], stats: RolloutStats) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "decisions.jsonl.gz", "wt") as f:
        for r in records:
            f.write(json.dumps(r.meta()) + "\n")
    images = np.stack([r.image for r in records]) if records else np.zeros((0, 1, 1, 3))
    np.savez_compressed(folder / "images.npz", images=images)
    (folder / "stats.json").write_text(json.dumps(asdict(stats), indent=1))


def fill_told_homes(records: Sequence[DecisionRecord]) -> int:
    """Give records made before rollouts taught the household's conventions their homes.

    Rollouts now tell the robot where things belong before the chore, as an evaluation
    episode does (``home_places`` in the plan context); older cached rollouts lack them.
    The conventions are a property of the episode's home (plan, seed, furniture), so they
    are rebuilt from the episode. Returns how many records were filled.
    """
    from housemind.sim.home.tasks import TaskSampleError, new_episode

    homes: dict[tuple[str, str, int], dict[str, str]] = {}
    filled = 0
    for r in records:
        if r.context.get("home_places"):
            continue
        key = (r.task, r.home, r.seed)
        if key not in homes:
            furniture = r.seed if r.seed > 0 else None  # as episode_specs rearranges
            try:
                env, _ = new_episode(r.task, r.seed, home=r.home, furniture_seed=furniture)
            except TaskSampleError:
                homes[key] = {}
                continue
            homes[key] = {name: place for name, (_rel, place) in env.conventions().items()}
        if homes[key]:
            r.context["home_places"] = homes[key]
            filled += 1
    return filled


def _load_records(folder: Path) -> tuple[list[DecisionRecord], RolloutStats] | None:
    try:
        with gzip.open(folder / "decisions.jsonl.gz", "rt") as f:
            metas = [json.loads(line) for line in f]
        images = np.load(folder / "images.npz")["images"]
        stats = RolloutStats(**json.loads((folder / "stats.json").read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if len(images) != len(metas):
        return None
    records = [DecisionRecord(**m, image=images[i]) for i, m in enumerate(metas)]
    return records, stats


# -- examples ---------------------------------------------------------------------------


def build_examples(
    records: Sequence[DecisionRecord],
    processor: PlannerProcessor,
    wordings: dict[str, list[str]],
    *,
    per_decision: int,
    seed: int,
    augment: float = 0.0,
    registry: SkillRegistry = REGISTRY,
    on_record: Callable[[], None] | None = None,
) -> tuple[list[Example], int]:
    """Featurise every decision in ``per_decision`` wordings.

    Each wording after the rollout's own is, with chance ``augment``, rewritten the way
    people ask (:func:`~agent.planners.builtin.augment.augment_goal`; the names in the
    task's parameters kept), in one of two variants per wording.

    Returns:
        The examples, and how many decisions were unusable (the expert's choice was not
        among the planner's candidates; should be 0).
    """
    from housemind.agent.planner_eval import fill_goal

    rng = random.Random(seed)
    out: list[Example] = []
    unusable = 0
    for r in records:
        belief = Belief.from_context(r.plan_context(), done=r.done_steps())
        cands = enumerate_candidates(belief, registry)
        keys = [c.key for c in cands]
        if r.label not in keys:
            unusable += 1
            logger.debug("label %s not among the candidates (%s %s)", r.label, r.task, r.home)
            if on_record is not None:
                on_record()
            continue
        label = keys.index(r.label)
        goals = [r.goal]
        others = [fill_goal(w, r.params) for w in wordings.get(r.task, [])]
        others = [g for g in dict.fromkeys(others) if g != r.goal]
        rng.shuffle(others)
        goals += others[: max(0, per_decision - 1)]
        if augment > 0:
            keep = _param_words(r.params)
            goals = [goals[0]] + [
                augment_goal(g, keep, seed=rng.randrange(2)) if rng.random() < augment else g
                for g in goals[1:]
            ]
        for i, g in enumerate(goals):
            feats = processor.featurize(g, belief, cands, r.image)
            feats.feats = feats.feats.astype(np.float16)  # halves the memory of big sets
            out.append(Example(feats, label, (r.task, r.home, r.seed), own_wording=i == 0))
        if on_record is not None:
            on_record()
    return out, unusable


def _param_words(params: dict[str, Any]) -> list[str]:
    """Every name in a task's parameters (what augmentation must not change)."""
    out: list[str] = []
    for v in params.values():
        items = v if isinstance(v, list | tuple) else [v]
        out.extend(str(x) for x in items if isinstance(x, str))
    return out


# -- training ---------------------------------------------------------------------------


class PackedExamples:
    """Examples as arrays over one table of words, goals and images, for fast batches.

    Args:
        examples: The featurised examples.
        cache: Embeddings of their goals and words.
        image_size: Side of the model's image input.
    """

    def __init__(self, examples: Sequence[Example], cache: EmbeddingCache, image_size: int):
        words: dict[str, int] = {"": 0}
        goals: dict[str, int] = {}
        images: dict[int, int] = {}
        image_list: list[np.ndarray] = []
        self.items: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]] = []
        self.labels = torch.tensor([e.label for e in examples], dtype=torch.long)
        for e in examples:
            f = e.features
            obj = np.array([words.setdefault(t, len(words)) for t in f.obj_text], np.int64)
            tgt = np.array([words.setdefault(t, len(words)) for t in f.target_text], np.int64)
            img = -1
            if f.image is not None:
                key = id(f.image)
                if key not in images:
                    images[key] = len(image_list)
                    image_list.append(f.image)
                img = images[key]
            self.items.append(
                (goals.setdefault(f.goal, len(goals)), obj, tgt, f.skills, f.feats, img)
            )
        table = np.zeros((len(words), cache.dim), np.float32)
        if len(words) > 1:
            table[1:] = cache.matrix(list(words)[1:])
        self.words = torch.from_numpy(table)
        self.goals = torch.from_numpy(cache.matrix(list(goals)))
        if image_list:
            stacked, _ = _images(image_list, image_size)
            self.images = stacked
        else:
            self.images = torch.zeros(0, 3, image_size, image_size)
        self.image_size = image_size
        self._has_image = FEATURES.index("g_has_image")

    def __len__(self) -> int:
        return len(self.items)

    def batch(self, idx: Sequence[int], drop_image: Sequence[bool] | None = None) -> dict:
        """Model inputs for the examples ``idx`` (``drop_image``: withhold their image)."""
        items = [self.items[i] for i in idx]
        n_c = max(len(it[1]) for it in items)
        n_f = items[0][4].shape[1]
        b = len(items)
        obj = torch.zeros(b, n_c, dtype=torch.long)
        target = torch.zeros(b, n_c, dtype=torch.long)
        skills = torch.zeros(b, n_c, dtype=torch.long)
        feats = torch.zeros(b, n_c, n_f)
        mask = torch.zeros(b, n_c, dtype=torch.bool)
        image = torch.zeros(b, 3, self.image_size, self.image_size)
        has_image = torch.zeros(b)
        goal = torch.empty(b, dtype=torch.long)
        for k, (g, o, t, sk, f, img) in enumerate(items):
            c = len(o)
            goal[k] = g
            obj[k, :c] = torch.from_numpy(o)
            target[k, :c] = torch.from_numpy(t)
            skills[k, :c] = torch.from_numpy(sk)
            feats[k, :c] = torch.from_numpy(f)
            mask[k, :c] = True
            if img >= 0 and not (drop_image is not None and drop_image[k]):
                image[k] = self.images[img]
                has_image[k] = 1.0
            else:
                feats[k, :c, self._has_image] = 0.0
        return {
            "goal": self.goals[goal],
            "words": self.words,
            "obj": obj,
            "target": target,
            "skills": skills,
            "feats": feats,
            "mask": mask,
            "image": image,
            "has_image": has_image,
        }


def _accuracy(model: NextSubtaskModel, data: PackedExamples, *, drop_images: bool = False) -> float:
    """Share of decisions where relevance x affordance ranks the expert's choice first."""
    if len(data) == 0:
        return 0.0
    model.eval()
    right = 0
    aff_index = FEATURES.index("aff_value")
    with torch.inference_mode():
        for i in range(0, len(data), 64):
            idx = list(range(i, min(len(data), i + 64)))
            batch = data.batch(idx, [drop_images] * len(idx))
            rel = torch.softmax(model(**batch), dim=1)
            best = (rel * batch["feats"][..., aff_index]).argmax(dim=1)
            right += int((best == data.labels[idx]).sum())
    return right / len(data)


def train_model(
    config: BuiltinPlannerConfig,
    train: PackedExamples,
    val: PackedExamples | None,
    *,
    epochs: int,
    seed: int,
    batch_size: int = 32,
    lr: float = 2e-3,
    weight_decay: float = 1e-4,
    image_dropout: float = 0.3,
    checkpoint: Path | None = None,
    on_epoch: Callable[[int, float, float], None] | None = None,
) -> tuple[NextSubtaskModel, dict[str, Any]]:
    """Train the network on packed examples; keep the best validation epoch.

    Runs on one CPU thread: the batches are small, and on a shared 2-core machine more
    threads spend their time contending (measured: 5x slower under load).

    Returns:
        The model (best epoch's weights) and a summary: ``losses`` (per epoch),
        ``best_epoch`` (1-based), ``val_accuracy``.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _train(
            config,
            train,
            val,
            epochs=epochs,
            seed=seed,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            image_dropout=image_dropout,
            checkpoint=checkpoint,
            on_epoch=on_epoch,
        )
    finally:
        torch.set_num_threads(threads)


def _train(
    config: BuiltinPlannerConfig,
    train: PackedExamples,
    val: PackedExamples | None,
    *,
    epochs: int,
    seed: int,
    batch_size: int,
    lr: float,
    weight_decay: float,
    image_dropout: float,
    checkpoint: Path | None,
    on_epoch: Callable[[int, float, float], None] | None,
) -> tuple[NextSubtaskModel, dict[str, Any]]:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = NextSubtaskModel(config)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = max(1, (len(train) + batch_size - 1) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, total_steps=max(1, epochs * steps_per_epoch), pct_start=0.1
    )
    start, losses = 0, []
    best: dict[str, Any] = {"epoch": -1, "acc": -1.0, "state": None}
    if checkpoint is not None and checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        sched.load_state_dict(saved["sched"])
        start, losses, best = saved["epoch"], saved["losses"], saved["best"]
        rng.setstate(saved["rng"])
        torch.set_rng_state(saved["torch_rng"])
        logger.info("resuming training at epoch %d from %s", start + 1, checkpoint)
    order = list(range(len(train)))
    for epoch in range(start, epochs):
        model.train()
        rng.shuffle(order)
        total, n = 0.0, 0
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            batch = train.batch(idx, [rng.random() < image_dropout for _ in idx])
            logits = model(**batch)
            loss = torch.nn.functional.cross_entropy(logits, train.labels[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
            n += len(idx)
        losses.append(total / max(1, n))
        acc = _accuracy(model, val) if val is not None and len(val) else -losses[-1]
        if acc > best["acc"]:
            best = {
                "epoch": epoch,
                "acc": acc,
                "state": {k: v.detach().clone() for k, v in model.state_dict().items()},
            }
        if on_epoch is not None:
            on_epoch(epoch, losses[-1], acc)
        if checkpoint is not None:
            checkpoint.parent.mkdir(parents=True, exist_ok=True)
            torch.save(
                {
                    "model": model.state_dict(),
                    "opt": opt.state_dict(),
                    "sched": sched.state_dict(),
                    "epoch": epoch + 1,
                    "losses": losses,
                    "best": best,
                    "rng": rng.getstate(),
                    "torch_rng": torch.get_rng_state(),
                },
                checkpoint,
            )
    if best["state"] is not None:
        model.load_state_dict(best["state"])
    model.eval()
    return model, {
        "losses": losses,
        "best_epoch": int(best["epoch"]) + 1,
        "val_accuracy": float(best["acc"]) if val is not None and len(val) else 0.0,
    }


def learn_priors(
    records: Sequence[DecisionRecord],
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """What the expert did with each object kind, as distributions.

    Returns:
        ``place_prior``: object kind -> {fixture kind: share of its placements (place,
        load, fold)}; ``room_prior``: object kind -> {room kind: share of the rooms it was
        found in when sought}.
    """
    from housemind.agent.planners.builtin.processor import room_kind
    from housemind.skills.types import parse_atom

    places: dict[str, Counter[str]] = {}
    rooms: dict[str, Counter[str]] = {}
    for r in records:
        name, _, rest = r.label.partition("(")
        args = dict(a.split("=", 1) for a in rest.rstrip(")").split(",") if "=" in a)
        if name in ("place", "load", "fold"):
            obj, target = args.get("object"), args.get("target")
            kinds = r.context.get("object_kinds", {})
            fixtures = r.context.get("fixtures", {})
            if obj and target in fixtures:
                kind = kinds.get(obj) or parse_atom(f"x({obj})")[1][0]
                places.setdefault(kind, Counter())[fixtures[target]["kind"]] += 1
        elif name == "explore" and r.sought and args.get("target"):
            rooms.setdefault(r.sought, Counter())[room_kind(args["target"])] += 1

    def norm(table: dict[str, Counter[str]]) -> dict[str, dict[str, float]]:
        return {
            k: {f: round(n / sum(c.values()), 4) for f, n in sorted(c.items())}
            for k, c in sorted(table.items())
        }

    return norm(places), norm(rooms)


def _split(records: Sequence[DecisionRecord], fraction: float, seed: int) -> set[tuple]:
    episodes = sorted({(r.task, r.home, r.seed) for r in records})
    rng = random.Random(seed + 1)
    rng.shuffle(episodes)
    return set(episodes[: round(fraction * len(episodes))])


def train_planner(
    settings: TrainSettings,
    *,
    registry: SkillRegistry = REGISTRY,
    embedder: TextEmbedder | None = None,
    on_stage: Callable[[str, int], None] | None = None,
    on_advance: Callable[[int], None] | None = None,
    on_epoch: Callable[[int, float, float], None] | None = None,
) -> TrainReport:
    """Roll out, featurise, train and save (see the module docstring).

    Args:
        settings: What to train on and how.
        registry: Skill registry.
        embedder: Sentence model (default: the shipped one; tests pass a small fake).
        on_stage: Called with a stage name and its number of units when one begins.
        on_advance: Called with units done (progress bars).
        on_epoch: Called after each epoch with ``(epoch, loss, val accuracy)``.

    Raises:
        WordingsError: when the training wordings cannot be read or overlap the held-out
            wordings.
    """
    from housemind.agent.planner_eval import WordingsError, load_wordings, protected_wordings
    from housemind.memory.embeddings import cache_dir
    from housemind.sim.home.tasks import task_names

    t0 = time.perf_counter()
    torch.manual_seed(settings.seed)
    wordings = load_wordings(settings.wordings_path, split="train")
    leaked = sorted(wordings.all() & protected_wordings("heldout"))
    if leaked:
        raise WordingsError(
            f"{len(leaked)} training wordings are also held-out wordings (e.g. {leaked[0]!r}); "
            "remove them from the training file: held-out wordings are never trained on"
        )
    leaked = sorted(wordings.all() & protected_wordings("dev"))
    if leaked:
        raise WordingsError(
            f"{len(leaked)} training wordings are also development wordings (e.g. "
            f"{leaked[0]!r}); remove them from the training file: development wordings "
            "measure the planner and are never trained on"
        )
    tasks = list(settings.tasks or task_names())
    cache_root = Path(settings.cache_dir or cache_dir() / "planner")
    records: list[DecisionRecord] = []
    stats = RolloutStats()
    cached_blocks = 0

    def rolled_out(
        data_dir: Path, first: int, count: int, stage: str, learner: str | None = None
    ) -> tuple[list[DecisionRecord], RolloutStats, bool]:
        """Seeds ``first ..`` rolled out (experts', or ``learner``'s DAgger), cached."""
        loaded = _load_records(data_dir)
        if loaded is not None:
            logger.info("using %d cached decisions from %s", len(loaded[0]), data_dir)
            return *loaded, True
        specs = episode_specs(
            tasks,
            settings.homes,
            range(first, first + count),
            wordings.tasks,
            seed=settings.seed + 7919 * first,
        )
        if on_stage is not None:
            on_stage(stage, len(specs))
        block, block_stats = run_rollouts(
            specs,
            workers=settings.workers,
            on_episode=(lambda s, st: on_advance(1)) if on_advance is not None else None,
            learner=learner,
            embedder=embedder if learner is not None else None,
        )
        _save_records(data_dir, block, block_stats)
        return block, block_stats, False

    for first, count in settings.blocks():
        data_dir = cache_root / f"rollouts-{settings.block_key(first, count)}"
        block, block_stats, cached = rolled_out(
            data_dir, first, count, f"rollouts (seeds {first}-{first + count - 1})"
        )
        cached_blocks += cached
        records.extend(block)
        stats.merge(block_stats)
    all_cached = cached_blocks == len(settings.blocks())
    filled = fill_told_homes(records)
    if filled:
        logger.info("filled the household's conventions into %d older decisions", filled)
    # Validation: experts' episodes only, so its accuracy stays comparable between runs.
    val_eps = _split(records, settings.val_fraction, settings.seed)
    dagger_stats = RolloutStats()
    if settings.dagger_episodes and not settings.dagger_learner:
        # DAgger's learner is the planner trained on the experts' rollouts alone: train it
        # first (its checkpoints are cached like any training's), then roll it out.
        first_round = replace(settings, dagger_episodes=0)
        first_round.out = cache_root / f"dagger-learner-{first_round.data_key()}"
        train_planner(
            first_round,
            registry=registry,
            embedder=embedder,
            on_stage=on_stage,
            on_advance=on_advance,
            on_epoch=on_epoch,
        )
        settings = replace(settings, dagger_learner=str(first_round.out))
    if settings.dagger_episodes:
        block, dagger_stats, cached = rolled_out(
            cache_root / f"dagger-{settings.dagger_key()}",
            DAGGER_SEED_BASE,
            settings.dagger_episodes,
            "DAgger rollouts",
            learner=settings.dagger_learner,
        )
        all_cached = all_cached and cached
        records.extend(block)
    t_roll = time.perf_counter()
    cache = EmbeddingCache(embedder)
    from housemind.sim.home.catalogue import OBJECT_KINDS

    train_eps = [r for r in records if (r.task, r.home, r.seed) not in val_eps]
    place_prior, room_prior = learn_priors(train_eps)
    config = BuiltinPlannerConfig(
        skills=skill_vocabulary(registry),
        features=list(FEATURES),
        object_vocab=sorted(OBJECT_KINDS),
        place_prior=place_prior,
        room_prior=room_prior,
    )
    processor = PlannerProcessor(
        config.skills,
        config.object_vocab,
        cache,
        place_prior=place_prior,
        room_prior=room_prior,
    )
    if on_stage is not None:
        on_stage("features", len(records))
    examples, unusable = build_examples(
        records,
        processor,
        wordings.tasks,
        per_decision=settings.wordings_per_decision,
        seed=settings.seed,
        augment=settings.augment,
        registry=registry,
        on_record=(lambda: on_advance(1)) if on_advance is not None else None,
    )
    train = [e for e in examples if e.episode not in val_eps]
    # Validation: each decision once, in its rollout's own wording.
    val = [e for e in examples if e.episode in val_eps and e.own_wording]
    t_feat = time.perf_counter()

    if on_stage is not None:
        on_stage("training", settings.epochs)
    key = hashlib.sha256(
        json.dumps(
            [
                settings.data_key(),
                settings.epochs,
                settings.lr,
                settings.batch_size,
                settings.wordings_per_decision,
                settings.augment,
                settings.image_dropout,
                settings.seed,
                list(FEATURES),  # new features: a new model, not a resumed one
            ]
        ).encode()
    ).hexdigest()[:16]

    def epoch_done(epoch: int, loss: float, acc: float) -> None:
        if on_advance is not None:
            on_advance(1)
        if on_epoch is not None:
            on_epoch(epoch, loss, acc)

    packed_train = PackedExamples(train, cache, config.image_size)
    packed_val = PackedExamples(val, cache, config.image_size) if val else None
    model, summary = train_model(
        config,
        packed_train,
        packed_val,
        epochs=settings.epochs,
        seed=settings.seed,
        batch_size=settings.batch_size,
        lr=settings.lr,
        weight_decay=settings.weight_decay,
        image_dropout=settings.image_dropout,
        checkpoint=cache_root / f"checkpoint-{key}.pt",
        on_epoch=epoch_done,
    )
    t_train = time.perf_counter()
    sample = train[:: max(1, len(train) // 2000)]
    train_acc = _accuracy(model, PackedExamples(sample, cache, config.image_size))
    val_no_image = _accuracy(model, packed_val, drop_images=True) if packed_val else 0.0

    from safetensors.torch import save_file

    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out / WEIGHTS_NAME))
    config.save(out)
    report = TrainReport(
        command=settings.command or " ".join(sys.argv),
        seed=settings.seed,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        homes=list(settings.homes),
        episodes=stats.episodes,
        episodes_succeeded=stats.succeeded,
        decisions=len(records),
        examples_train=len(train),
        examples_val=len(val),
        skipped_tasks=dict(sorted(stats.skipped.items())),
        unusable_decisions=unusable,
        parameters=sum(p.numel() for p in model.parameters()),
        epochs=settings.epochs,
        best_epoch=summary["best_epoch"],
        train_accuracy=round(train_acc, 4),
        val_accuracy=round(summary["val_accuracy"], 4),
        val_accuracy_no_image=round(val_no_image, 4),
        losses=[round(x, 4) for x in summary["losses"]],
        seconds_rollouts=round(stats.seconds, 1),
        seconds_features=round(t_feat - t_roll, 1),
        seconds_training=round(t_train - t_feat, 1),
        seconds_total=round(time.perf_counter() - t0, 1),
        machine={
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            # Cached rollouts: seconds_rollouts is the time they took when first made.
            "rollouts_cached": all_cached,
            "rollout_blocks_cached": cached_blocks,
        },
        wordings_per_decision=settings.wordings_per_decision,
        augment=settings.augment,
        dagger_episodes=dagger_stats.episodes,
        dagger_decisions=dagger_stats.decisions,
        dagger_succeeded=dagger_stats.succeeded,
    )
    (out / "training.json").write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    return report
