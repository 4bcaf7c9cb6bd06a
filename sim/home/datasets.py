"""Record HomeSim skill instances into a LeRobotDataset v3.0 (``housemind record``).

Each episode is one randomised skill instance (:mod:`sim.home.instances`) executed by the
executor in lockstep (its scripted expert by default, or any policy backend) and recorded
by an :class:`~skills.recording.EpisodeRecorder`: the egocentric camera image, the
proprioception, the applied action, the skill's sentence as the task, and success judged
on the true state as well as by the executor.

Training and held-out data never share a home or a seed: training recordings use the
furniture arrangements :data:`TRAIN_FURNITURE_SEEDS` and world seeds from base seed 0;
``housemind eval vla`` uses :data:`HELDOUT_FURNITURE_SEEDS` and :data:`HELDOUT_SEED`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from housemind.sim.home.instances import (
    MANIPULATION_SKILLS,
    homes_with_arrangements,
    iter_instances,
)

__all__ = [
    "DEFAULT_IMAGE_SIZE",
    "HELDOUT_SPEC",
    "eval_cases",
    "load_eval_spec",
    "HELDOUT_FURNITURE_SEEDS",
    "HELDOUT_SEED",
    "TRAIN_FURNITURE_SEEDS",
    "parse_furniture_seeds",
    "record_homesim",
]

#: Furniture arrangements of the training recordings (None: each plan as drawn).
TRAIN_FURNITURE_SEEDS: list[int | None] = [None, *range(1, 21)]
#: Furniture arrangements only the held-out evaluation uses.
HELDOUT_FURNITURE_SEEDS: list[int | None] = list(range(1001, 1011))
#: Base seed of the held-out evaluation's instances (training recordings use 0).
HELDOUT_SEED = 7_000
#: Camera side in pixels of recordings: 4.7 cm a pixel over the camera's 6 m.
DEFAULT_IMAGE_SIZE = 128
#: The held-out evaluation, fixed (and committed) before any tuning.
HELDOUT_SPEC = Path(__file__).resolve().parent / "vla_heldout.json"


def parse_furniture_seeds(text: str) -> list[int | None]:
    """``"none,1-8,12"`` -> ``[None, 1, ..., 8, 12]``.

    Raises:
        ValueError: naming the part that is not ``none``, a number or a range.
    """
    out: list[int | None] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if part.lower() == "none":
            out.append(None)
            continue
        lo, sep, hi = part.partition("-")
        try:
            if sep:
                a, b = int(lo), int(hi)
                if b < a:
                    raise ValueError
                out += list(range(a, b + 1))
            else:
                out.append(int(part))
        except ValueError:
            raise ValueError(
                f"furniture seeds: {part!r} is not 'none', a number or a range like 1-8"
            ) from None
    if not out:
        raise ValueError("no furniture seeds given; e.g. none,1-20")
    return out


def record_homesim(
    out: str | Path,
    *,
    episodes: int,
    skills: list[str] | None = None,
    homes: list[str] | None = None,
    furniture_seeds: list[int | None] | None = None,
    seed: int = 0,
    hz: float = 50.0,
    image_size: int = DEFAULT_IMAGE_SIZE,
    policy: str | None = None,
    append: bool = False,
    on_episode: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Record ``episodes`` instances of each skill into the dataset at ``out``.

    Args:
        out: Dataset folder (new, or with ``append`` an existing dataset of the same
            features and fps).
        episodes: Episodes per skill.
        skills: Skills (default: the manipulation skills).
        homes: Floor plans (default: all).
        furniture_seeds: Furniture arrangements (default :data:`TRAIN_FURNITURE_SEEDS`).
        seed: Base seed of the instances.
        hz: Control rate, and the dataset's fps.
        image_size: Camera image side in pixels.
        policy: Policy backend for every skill (default: each skill's own, the scripted
            experts).
        append: Add to the dataset at ``out`` instead of starting a new one.
        on_episode: Progress callback with each stored episode's metadata.

    Returns:
        ``{"episodes", "frames", "successes", "per_skill", "out"}``.

    Raises:
        ValueError: bad arguments, or a dataset at ``out`` that does not fit.
        KeyError: an unknown skill or home.
    """
    import housemind.skills  # noqa: F401 - registers the built-in skills
    from housemind.skills.policies import get_policy_factory
    from housemind.skills.recording import (
        DatasetFormatError,
        LeRobotDatasetWriter,
        RecordJob,
        episode_features,
        record_jobs,
    )

    if episodes < 1:
        raise ValueError(f"episodes must be >= 1, got {episodes}")
    if hz <= 0 or int(hz) != hz:
        raise ValueError(f"hz must be a positive whole number (the dataset's fps), got {hz}")
    variants = homes_with_arrangements(homes, furniture_seeds or TRAIN_FURNITURE_SEEDS)
    stream = iter_instances(
        list(skills or MANIPULATION_SKILLS),
        variants,
        per_skill=episodes,
        seed=seed,
        control_hz=hz,
        image_size=image_size,
    )
    policy_for = None
    if policy is not None:
        factory = get_policy_factory(policy)

        def policy_for(sk: Any, env: Any) -> Any:
            return factory(sk.spec, sk.args, env)

    first = next(stream, None)
    if first is None:
        return {"episodes": 0, "frames": 0, "successes": 0, "per_skill": {}, "out": str(out)}
    features = episode_features(first[0])
    try:
        if append:
            writer = LeRobotDatasetWriter.open(out)
            mine = {k: v for k, v in writer.features.items() if k in features}
            if mine != features or writer.fps != int(hz):
                raise DatasetFormatError(
                    f"{out} holds {writer.fps} fps episodes with other features; record "
                    "with the same --hz and --image-size, or into a new folder"
                )
        else:
            writer = LeRobotDatasetWriter.create(
                out, fps=int(hz), features=features, robot_type="homesim"
            )
    except DatasetFormatError as e:
        raise ValueError(str(e)) from None

    def jobs() -> Iterator[RecordJob]:
        env, inst = first
        yield RecordJob(env, inst.bound(), inst.metadata, inst.check)
        for env, inst in stream:
            yield RecordJob(env, inst.bound(), inst.metadata, inst.check)

    source = policy or "expert"
    try:
        summary = record_jobs(
            jobs(), writer, rate_hz=hz, source=source, policy_for=policy_for, on_episode=on_episode
        )
    finally:
        writer.close()
    return {**summary.as_dict(), "out": str(out)}


def load_eval_spec(path: str | Path | None = None) -> dict[str, Any]:
    """The evaluation spec (default: the held-out one, :data:`HELDOUT_SPEC`).

    Keys: ``skills``, ``homes``, ``furniture_seeds``, ``seed``, ``episodes_per_skill``,
    ``hz``, ``image_size`` (and ``date``, ``note``).

    Raises:
        ValueError: for a file that is not such a spec.
    """
    import json

    p = Path(path) if path is not None else HELDOUT_SPEC
    try:
        spec = json.loads(p.read_text())
    except (OSError, ValueError) as e:
        raise ValueError(f"cannot read the evaluation spec {p}: {e}") from None
    need = {"skills", "homes", "furniture_seeds", "seed", "episodes_per_skill", "hz", "image_size"}
    missing = sorted(need - set(spec))
    if missing:
        raise ValueError(f"evaluation spec {p} lacks {missing}")
    return spec


def eval_cases(
    *,
    skills: list[str],
    homes: list[str] | None,
    furniture_seeds: list[int | None],
    seed: int,
    episodes_per_skill: int,
    hz: float,
    image_size: int,
) -> Iterator[Any]:
    """Instances for :func:`skills.vla.evaluation.evaluate_backends`, each re-playable.

    Yields:
        :class:`~skills.vla.evaluation.EvalCase` whose ``setup`` resets the home into
        the same instance every time it is called.
    """
    from housemind.sim.home.instances import set_up
    from housemind.skills.vla.evaluation import EvalCase

    variants = homes_with_arrangements(homes, furniture_seeds)
    stream = iter_instances(
        skills,
        variants,
        per_skill=episodes_per_skill,
        seed=seed,
        control_hz=hz,
        image_size=image_size,
    )
    for env, inst in stream:

        def setup(env: Any = env, inst: Any = inst) -> tuple[Any, Any, Any]:
            env.set_control_hz(hz)
            again = set_up(env, inst.skill, inst.seed)
            return env, again.bound(), again.check

        yield EvalCase(inst.skill, setup, {**inst.metadata, "args": inst.args})
