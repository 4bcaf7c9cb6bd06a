"""Training data for the VLA from any LeRobotDataset v3.0 recording.

:func:`load_training_frames` reads a dataset with
:class:`~skills.recording.LeRobotDatasetReader` (nothing simulator-specific), keeps the
successful episodes, resamples them to the model's rate, crops every camera image once
into a memory-mapped cache (so training never decodes PNGs), embeds each task text once,
and returns :class:`TrainingFrames`. :meth:`TrainingFrames.batch` draws a batch: the
observation at a frame and the ``H`` actions from it (zeros past the episode's end: the
robot holds still once the subtask is done).

Long stretches of an episode where the robot only waits (water filling a pot, a shirt
being folded) add frames that all look alike: past :data:`IDLE_AFTER` model steps only
every :data:`IDLE_EVERY`-th frame is kept. Batches draw each skill equally often.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from housemind.skills.vla.configuration import VLAConfig
from housemind.skills.vla.processor import TextEncoder, crop_image

__all__ = ["IDLE_AFTER", "IDLE_EVERY", "TrainingFrames", "fill_statistics", "load_training_frames"]

logger = logging.getLogger(__name__)

#: Model steps from an episode's start that are all kept.
IDLE_AFTER = 60
#: Past that, one frame in this many is kept.
IDLE_EVERY = 5
_CACHE_FORMAT = 1


def fill_statistics(config: VLAConfig, stats: dict[str, dict[str, np.ndarray]]) -> VLAConfig:
    """Fill the config's normalisation from a dataset's ``meta/stats.json``.

    Raises:
        KeyError: if the dataset has no statistics of the state or action feature.
    """
    try:
        st, ac = stats[config.state_key], stats[config.action_key]
    except KeyError as e:
        raise KeyError(f"the dataset's meta/stats.json has no statistics of {e}") from None
    idx = config.state_indices
    config.state_mean = [float(v) for v in np.asarray(st["mean"]).reshape(-1)[idx]]
    config.state_std = [float(v) for v in np.asarray(st["std"]).reshape(-1)[idx]]
    config.action_low = [float(v) for v in np.asarray(ac["min"]).reshape(-1)]
    config.action_high = [float(v) for v in np.asarray(ac["max"]).reshape(-1)]
    return config


@dataclass
class TrainingFrames:
    """Frames to train on, with everything a batch needs in memory (images memory-mapped).

    Attributes:
        crops: ``uint8[N, S, S, 3]`` model views of the frames.
        states: ``float32[N, D]`` raw state vectors.
        text_index: ``int32[N]`` row of each frame's task in ``text``.
        text: ``float32[T, text_dim]`` task embeddings.
        texts: The task texts.
        action_row: ``int64[N]`` row of each frame's action in ``actions``.
        action_end: ``int64[N]`` end (exclusive) of the frame's episode in ``actions``.
        actions: ``float32[M, A]`` every kept episode's actions at the model rate.
        weights: ``float64[N]`` sampling weights (each skill equally often).
        skills: ``list`` skill of each frame's episode, by ``skill_index``.
        skill_index: ``int32[N]``.
    """

    crops: np.ndarray
    states: np.ndarray
    text_index: np.ndarray
    text: np.ndarray
    texts: list[str]
    action_row: np.ndarray
    action_end: np.ndarray
    actions: np.ndarray
    weights: np.ndarray
    skills: list[str]
    skill_index: np.ndarray

    def __len__(self) -> int:
        return len(self.action_row)

    def batch(
        self, rng: np.random.Generator, size: int, chunk: int, rows: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """A random batch (or the given ``rows``): crops, states, text, action chunks."""
        if rows is None:
            rows = rng.choice(len(self), size=size, p=self.weights)
        offs = self.action_row[rows, None] + np.arange(chunk)[None, :]
        valid = offs < self.action_end[rows, None]
        acts = self.actions[np.minimum(offs, len(self.actions) - 1)]
        acts[~valid] = 0.0
        return {
            "crops": np.asarray(self.crops[rows]),
            "states": self.states[rows],
            "text": self.text[self.text_index[rows]],
            "actions": acts,
        }


def _cache_key(root: Path, info: dict[str, Any], config: VLAConfig, episodes: int) -> str:
    what = {
        "format": _CACHE_FORMAT,
        "root": str(root.resolve()),
        "frames": info["total_frames"],
        "episodes": episodes,
        "fps": config.fps,
        "crop": config.crop,
        "camera": config.camera_size,
        "size": config.input_size,
        "image": config.image_key,
        "idle": [IDLE_AFTER, IDLE_EVERY],
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:16]


def load_training_frames(
    root: str | Path,
    config: VLAConfig,
    *,
    cache: str | Path | None = None,
    text: TextEncoder | None = None,
    max_episodes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> TrainingFrames:
    """Read a recording into :class:`TrainingFrames` (cropping images once, into a cache).

    Args:
        root: The dataset folder.
        config: The model configuration (crop, fps, which features).
        cache: Folder for the memory-mapped crops (default: the housemind cache folder).
        text: Sentence encoder for the task texts.
        max_episodes: Use only the first this many successful episodes.
        progress: Told what is being done.

    Raises:
        DatasetFormatError: if the dataset is not a v3 recording with the features.
        ValueError: if its fps is not a multiple of the model's, or no episode succeeded.
    """
    from housemind.skills.recording import DatasetFormatError, LeRobotDatasetReader

    say = progress or (lambda msg: None)
    reader = LeRobotDatasetReader(root)
    for key in (config.image_key, config.state_key, config.action_key):
        if key not in reader.features:
            raise DatasetFormatError(
                f"{root} has no feature {key!r}; features: {list(reader.features)}"
            )
    stride = reader.fps / config.fps
    if stride < 1 or abs(stride - round(stride)) > 1e-6:
        raise ValueError(
            f"the dataset records at {reader.fps} fps; the model's fps ({config.fps}) "
            "must divide it"
        )
    stride = round(stride)
    eps = [e for e in reader.episodes if e.get("success", True)]
    if max_episodes is not None:
        eps = eps[:max_episodes]
    if not eps:
        raise ValueError(f"{root} has no successful episode to learn from")
    say(f"reading {len(eps)} episodes")
    states_all = reader.column(config.state_key).astype(np.float32)
    actions_all = reader.column(config.action_key).astype(np.float32)
    task_all = reader.column("task_index").astype(np.int64)
    keep_rows: list[np.ndarray] = []
    action_rows: list[np.ndarray] = []
    action_ends: list[np.ndarray] = []
    actions: list[np.ndarray] = []
    skill_names: list[str] = []
    skill_of: list[np.ndarray] = []
    pos = 0
    for e in eps:
        a, n = e["dataset_from_index"], e["length"]
        rows = np.arange(a, a + n, stride)
        m = len(rows)
        steps = np.arange(m)
        keep = (steps < IDLE_AFTER) | (steps % IDLE_EVERY == 0)
        keep_rows.append(rows[keep])
        action_rows.append(pos + steps[keep])
        action_ends.append(np.full(int(keep.sum()), pos + m))
        actions.append(actions_all[rows])
        skill = str(e.get("skill") or "all")
        if skill not in skill_names:
            skill_names.append(skill)
        skill_of.append(np.full(int(keep.sum()), skill_names.index(skill), np.int32))
        pos += m
    rows = np.concatenate(keep_rows)
    skill_index = np.concatenate(skill_of)
    counts = np.bincount(skill_index, minlength=len(skill_names)).astype(np.float64)
    weights = 1.0 / counts[skill_index]
    weights /= weights.sum()
    used_tasks = np.unique(task_all[rows])
    texts = [reader.tasks[i] for i in used_tasks]
    remap = np.full(len(reader.tasks), -1, np.int32)
    remap[used_tasks] = np.arange(len(used_tasks))
    say(f"embedding {len(texts)} task texts")
    emb = (text or TextEncoder())(texts)
    crops = _crops(reader, config, rows, cache, len(eps), say)
    return TrainingFrames(
        crops=crops,
        states=states_all[rows],
        text_index=remap[task_all[rows]],
        text=emb,
        texts=texts,
        action_row=np.concatenate(action_rows).astype(np.int64),
        action_end=np.concatenate(action_ends).astype(np.int64),
        actions=np.concatenate(actions),
        weights=weights,
        skills=skill_names,
        skill_index=skill_index,
    )


def _crops(
    reader: Any,
    config: VLAConfig,
    rows: np.ndarray,
    cache: str | Path | None,
    episodes: int,
    say: Callable[[str], None],
) -> np.ndarray:
    """Cropped images of ``rows`` (global frame indices), memory-mapped from the cache."""
    if cache is None:
        from housemind.memory.embeddings import cache_dir

        cache = cache_dir() / "vla-frames"
    folder = Path(cache) / _cache_key(reader.root, reader.info, config, episodes)
    s = config.input_size
    path, done = folder / "crops.u8", folder / "done.json"
    shape = (len(rows), s, s, 3)
    if done.is_file() and json.loads(done.read_text()).get("shape") == list(shape):
        return np.memmap(path, np.uint8, mode="r", shape=shape)
    folder.mkdir(parents=True, exist_ok=True)
    say(f"cropping {len(rows)} images into {folder}")
    out = np.memmap(path, np.uint8, mode="w+", shape=shape)
    want = np.zeros(reader.num_frames, np.int64) - 1
    want[rows] = np.arange(len(rows))
    base = 0
    for batch in reader.iter_images(config.image_key):
        for i, img in enumerate(batch):
            j = want[base + i]
            if j >= 0:
                out[j] = crop_image(img, config)
        base += len(batch)
    out.flush()
    done.write_text(json.dumps({"shape": list(shape)}))
    del out
    return np.memmap(path, np.uint8, mode="r", shape=shape)
