"""What the built-in planner has learned to do, so it can say what it cannot.

The learned planner always finds *some* next step: asked to "paint the bedroom walls
blue" it would vacuum the bedroom (the most relevant thing it knows), and asked to "fly to
the moon" it would call the goal reached. So before it plans, the goal is compared with
the chores it was trained on: the task suite's goals and the training wordings, filled
with things sampled in the training homes (``scope.json`` beside this module, and their
vectors in ``scope.safetensors``, so nothing is embedded at start-up). A goal
whose sentence embedding (the shipped model) is further than :data:`SCOPE_THRESHOLD` from
every one of them is refused with :class:`~agent.planners.base.PlanningError`, naming the
closest chore it knows; a planner chain then hands the goal to its next backend.

The threshold was chosen on development data only (``docs/builtin_planner.md``, "What it
will not plan"): the development wordings of every task and a list of out-of-scope
requests written for it. Rebuild the reference list with::

    python -m housemind.agent.planners.builtin.scope
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from housemind.agent.planners.language import pets_as_pet

__all__ = [
    "SCOPE_FILE",
    "SCOPE_THRESHOLD",
    "SCOPE_VECTORS",
    "GoalScope",
    "ScopeVerdict",
    "build_scope_texts",
    "clauses",
    "evaluate_scope",
    "main",
]

#: The reference chores, with how they were made.
SCOPE_FILE = Path(__file__).resolve().parent / "scope.json"

#: Their sentence vectors (float16, key ``vectors``), written with :data:`SCOPE_FILE`.
SCOPE_VECTORS = SCOPE_FILE.with_suffix(".safetensors")

#: Cosine similarity to the nearest known chore below which a goal is refused.
SCOPE_THRESHOLD = 0.55

#: Seeds whose sampled things fill the reference wordings (one episode per task and home).
SCOPE_SEEDS = (0, 1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ScopeVerdict:
    """How close a goal is to the chores the planner knows.

    Attributes:
        similarity: Cosine similarity to the nearest known chore.
        nearest: That chore, as worded in the reference list.
        known: ``similarity >= threshold``.
    """

    similarity: float
    nearest: str
    known: bool


class GoalScope:
    """The chores the planner knows, embedded once, and the nearest one to a goal.

    Args:
        texts: Reference chores (wordings with real things filled in).
        embed: Texts -> vectors (``EmbeddingCache.matrix`` of the planner's cache).
        threshold: Similarity below which a goal is out of scope.

    Raises:
        ValueError: No reference texts, or a threshold outside [0, 1].
    """

    def __init__(
        self,
        texts: Sequence[str],
        embed: Any,
        threshold: float = SCOPE_THRESHOLD,
        vectors: np.ndarray | None = None,
    ):
        if not texts:
            raise ValueError("a goal scope needs at least one reference chore")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"the scope threshold must be in [0, 1], got {threshold}")
        self.texts = list(texts)
        self.threshold = float(threshold)
        self._embed = embed
        self._matrix: np.ndarray | None = None
        if vectors is not None and len(vectors) == len(self.texts):
            m = np.asarray(vectors, dtype=np.float32)
            self._matrix = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)

    @classmethod
    def load(
        cls,
        embed: Any,
        path: str | Path = SCOPE_FILE,
        threshold: float | None = None,
        model: str | None = None,
    ) -> GoalScope:
        """The reference list of ``path`` (``scope.json``) and its stored vectors.

        The vectors beside it (``scope.safetensors``) are used when they match the list
        and ``model`` (the sentence model ``embed`` uses, when given); otherwise the list
        is embedded on first use.

        Raises:
            ValueError: The file is missing or not a scope file; the message says how to
                rebuild it.
        """
        try:
            data = json.loads(Path(path).read_text())
            texts = [str(t) for t in data["texts"]]
            stored = float(data.get("threshold", SCOPE_THRESHOLD))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ValueError(
                f"cannot read the built-in planner's scope file {path} ({e}); rebuild it "
                "with 'python -m housemind.agent.planners.builtin.scope'"
            ) from None
        vectors = None
        stored_vectors = Path(path).with_suffix(".safetensors")
        if stored_vectors.is_file() and model in (None, data.get("embedding_model")):
            from safetensors.numpy import load_file

            try:
                vectors = load_file(str(stored_vectors))["vectors"]
            except (OSError, KeyError, ValueError):
                vectors = None  # embedded on first use instead
        return cls(texts, embed, stored if threshold is None else threshold, vectors)

    def _unit(self, texts: Sequence[str]) -> np.ndarray:
        m = np.asarray(self._embed(list(texts)), dtype=np.float32)
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)

    def judge(self, goal: str) -> ScopeVerdict:
        """How close ``goal``, or one of its clauses, is to the nearest chore it knows.

        People say a request with its reasons around it ("The cat keeps slipping out.
        Could you shut the front door?"): the whole text and each clause of two words or
        more are compared, and the closest counts.
        """
        if self._matrix is None:
            self._matrix = self._unit(self.texts)
        sims = self._matrix @ self._unit(clauses(goal)).T  # [references, parts]
        i, _ = np.unravel_index(int(np.argmax(sims)), sims.shape)
        sim = float(sims.max())
        return ScopeVerdict(sim, self.texts[int(i)], sim >= self.threshold)


#: Where a request's clauses part: sentence ends, a dash, a comma (with "so", "and", "then").
_CLAUSE_RE = re.compile(r"[.!?;:]\s+|\s+-\s+|,\s*(?:so\s+|and\s+|then\s+)?", re.IGNORECASE)


def clauses(goal: str) -> list[str]:
    """``goal`` itself, then each of its clauses of two words or more."""
    parts = [p.strip(" ,.;:!?-") for p in _CLAUSE_RE.split(goal)]
    return [goal, *dict.fromkeys(p for p in parts if len(p.split()) >= 2 and p != goal)]


def _fill_any(template: str, params: dict[str, Any]) -> str | None:
    from housemind.agent.planner_eval import WordingsError, fill_goal

    try:
        return fill_goal(template, params)
    except WordingsError:
        return None


def build_scope_texts(
    homes: Sequence[str] | None = None,
    seeds: Sequence[int] = SCOPE_SEEDS,
    wordings: str | Path | None = None,
) -> list[str]:
    """The reference chores: every task's goal and training wordings, filled.

    Each task is sampled once per training home and seed; its own goal and each training
    wording are filled with that episode's things (as training fills them).

    Args:
        homes: Floor plans (default: the training homes).
        seeds: Episode seeds.
        wordings: The training wordings file (default: the repository's).

    Returns:
        Sorted, without duplicates.
    """
    from housemind.agent.planner_eval import TRAIN_HOMES, load_wordings
    from housemind.sim.home.tasks import TASKS, TaskSampleError, new_episode

    train = load_wordings(wordings, split="train")
    out: set[str] = set()
    for name, task in TASKS.items():
        for home in homes or TRAIN_HOMES:
            if home not in task.homes():
                continue
            for seed in seeds:
                try:
                    env, inst = new_episode(name, seed, home=home)
                except TaskSampleError:
                    continue
                pets = env.pets()  # "the pet", as the planner reads a goal
                out.add(" ".join(pets_as_pet(inst.goal, pets).split()))
                for template in train.tasks.get(name, []):
                    text = _fill_any(template, inst.params)
                    if text:
                        out.add(" ".join(pets_as_pet(text, pets).split()))
    return sorted(out)


def evaluate_scope(
    scope: GoalScope,
    *,
    wordings: str | Path,
    homes: Sequence[str],
    seed: int,
    out_of_scope: str | Path,
    furniture_seed: int | None = None,
) -> dict[str, Any]:
    """How often the scope check refuses chores it should plan, and plans what it cannot.

    Args:
        scope: The check.
        wordings: A goal wordings file (chores in scope), filled per task with the things
            of one episode in each home.
        homes: Floor plans the chores are sampled in.
        seed: The episodes' seed.
        out_of_scope: A YAML file with ``goals:``, requests no chore covers.
        furniture_seed: Furniture arrangement of the homes (None: as drawn).

    Returns:
        ``in_scope`` and ``out_of_scope`` counts (``n``, ``refused``, ``share``), the
        similarity quantiles of each, and the refused in-scope goals.
    """
    import yaml

    from housemind.agent.planner_eval import load_wordings
    from housemind.sim.home.tasks import TASKS, TaskSampleError, new_episode

    words = load_wordings(wordings, split="dev")
    layout = {"furniture_seed": furniture_seed} if furniture_seed is not None else {}
    goals: list[str] = []
    for name, templates in words.tasks.items():
        for home in homes:
            if home not in TASKS[name].homes():
                continue
            try:
                env, inst = new_episode(name, seed, home=home, **layout)
            except TaskSampleError:
                continue
            pets = env.pets()
            goals += [
                pets_as_pet(t, pets) for t in (_fill_any(w, inst.params) for w in templates) if t
            ]
    data = yaml.safe_load(Path(out_of_scope).read_text())
    outside = [str(g) for g in data["goals"]]

    def part(texts: list[str]) -> tuple[dict[str, Any], list[ScopeVerdict]]:
        verdicts = [scope.judge(t) for t in texts]
        sims = np.array([v.similarity for v in verdicts])
        refused = sum(not v.known for v in verdicts)
        return {
            "n": len(texts),
            "refused": refused,
            "share_refused": round(refused / max(1, len(texts)), 4),
            "similarity_p01_p50_p99": [round(float(np.percentile(sims, q)), 3)
                                       for q in (1, 50, 99)],
        }, verdicts  # fmt: skip

    inside, iv = part(goals)
    inside["refused_goals"] = [g for g, v in zip(goals, iv, strict=True) if not v.known]
    out, _ = part(outside)
    return {"threshold": scope.threshold, "in_scope": inside, "out_of_scope": out}


def main(argv: Sequence[str] | None = None) -> int:
    """Write ``scope.json`` (``python -m housemind.agent.planners.builtin.scope``)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(SCOPE_FILE), help="where to write the list")
    ap.add_argument("--threshold", type=float, default=SCOPE_THRESHOLD)
    ap.add_argument("--eval", metavar="WORDINGS", help="measure instead: a wordings file")
    ap.add_argument("--out-of-scope", metavar="YAML", help="with --eval: requests out of scope")
    ap.add_argument("--home", action="append", help="with --eval: floor plans (repeat)")
    ap.add_argument("--seed", type=int, default=2000, help="with --eval: episode seed")
    ap.add_argument("--furniture-seed", type=int, default=None)
    args = ap.parse_args(argv)
    if args.eval:
        from housemind.agent.planner_eval import TRAIN_HOMES
        from housemind.agent.planners.builtin.processor import EmbeddingCache

        if not args.out_of_scope:
            ap.error("--eval needs --out-of-scope YAML")
        report = evaluate_scope(
            GoalScope.load(EmbeddingCache().matrix, threshold=args.threshold),
            wordings=args.eval,
            homes=args.home or list(TRAIN_HOMES),
            seed=args.seed,
            out_of_scope=args.out_of_scope,
            furniture_seed=args.furniture_seed,
        )
        print(json.dumps(report, indent=1))
        return 0
    texts = build_scope_texts()
    from safetensors.numpy import save_file

    from housemind.agent.planners.builtin.configuration import BuiltinPlannerConfig
    from housemind.memory.embeddings import get_embedder

    vectors = np.asarray(get_embedder().encode(texts), dtype=np.float16)
    out = Path(args.out)
    save_file({"vectors": vectors}, str(out.with_suffix(".safetensors")))
    doc = {
        "about": "Chores the built-in planner was trained on (task goals and training "
        "wordings, filled with things sampled in the training homes); a goal less similar "
        "than the threshold to all of them is refused. Rebuild: python -m "
        "housemind.agent.planners.builtin.scope",
        "seeds": list(SCOPE_SEEDS),
        "embedding_model": BuiltinPlannerConfig().embedding_model,
        "threshold": args.threshold,
        "texts": texts,
    }
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(texts)} reference chores -> {out} (vectors: {out.with_suffix('.safetensors')})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
