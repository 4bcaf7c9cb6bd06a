"""Reads a LeRobotDataset v3.0 folder (see :mod:`.layout`) with pyarrow; no simulator needed.

The reader checks the folder the way LeRobot's reader relies on it (a v3 ``info.json`` with
the required keys and default features, every episode's data file where ``data_path``
says, contiguous global frame indices matching each episode's ``dataset_from_index`` /
``dataset_to_index``, the tasks table) and raises :class:`DatasetFormatError` naming what
is wrong. It serves whole columns as numpy arrays and images decoded on demand, so the same
code reads HomeSim, Meta-World or any other recording in this layout.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from housemind.skills.recording.layout import (
    DEFAULT_FEATURES,
    INFO_PATH,
    STATS_PATH,
    TASKS_PATH,
    DatasetFormatError,
)

__all__ = ["LeRobotDatasetReader", "decode_image"]

_REQUIRED_INFO = (
    "codebase_version",
    "fps",
    "features",
    "total_episodes",
    "total_frames",
    "total_tasks",
    "chunks_size",
    "data_path",
)
_EPISODE_COLUMNS = (
    "episode_index",
    "tasks",
    "length",
    "data/chunk_index",
    "data/file_index",
    "dataset_from_index",
    "dataset_to_index",
)


def decode_image(value: dict[str, Any] | bytes) -> np.ndarray:
    """Decode one stored image (``{"bytes": ..., "path": ...}`` or raw bytes) to uint8 RGB."""
    from PIL import Image

    data = value["bytes"] if isinstance(value, dict) else value
    if data is None:
        raise DatasetFormatError("an image value has no bytes (images must be embedded)")
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


class LeRobotDatasetReader:
    """A LeRobotDataset v3.0 on disk.

    Args:
        root: The dataset folder (holding ``meta/`` and ``data/``).

    Raises:
        DatasetFormatError: if the folder does not hold a consistent v3 dataset.
    """

    def __init__(self, root: str | Path) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError(
                "reading datasets needs pyarrow: pip install 'housemind[vla]'"
            ) from None
        self._pq = pq
        self.root = Path(root)
        info_path = self.root / INFO_PATH
        if not info_path.is_file():
            raise DatasetFormatError(
                f"{self.root} holds no LeRobot dataset ({INFO_PATH} is missing); record one "
                "with `housemind record --out DIR`"
            )
        try:
            self.info: dict[str, Any] = json.loads(info_path.read_text())
        except json.JSONDecodeError as e:
            raise DatasetFormatError(f"{info_path} is not JSON: {e}") from None
        missing = [k for k in _REQUIRED_INFO if k not in self.info]
        if missing:
            raise DatasetFormatError(f"{info_path} lacks {missing}")
        version = str(self.info["codebase_version"])
        if not version.startswith("v3."):
            raise DatasetFormatError(
                f"{self.root} is LeRobot dataset version {version}; this reader reads v3.x "
                "(convert it with LeRobot's convert_dataset_v21_to_v30)"
            )
        self.features: dict[str, dict[str, Any]] = self.info["features"]
        for key, ft in DEFAULT_FEATURES.items():
            got = self.features.get(key)
            if got is None or got["dtype"] != ft["dtype"] or list(got["shape"]) != [1]:
                raise DatasetFormatError(
                    f"{INFO_PATH}: default feature {key!r} is missing or wrong"
                )
        self.tasks = self._load_tasks()
        self.episodes = self._load_episodes()
        self.stats = self._load_stats()
        self._files = self._check_files()

    # -- metadata -----------------------------------------------------------------------

    @property
    def fps(self) -> int:
        """Frames per second."""
        return int(self.info["fps"])

    @property
    def num_episodes(self) -> int:
        """Episodes in the dataset."""
        return len(self.episodes)

    @property
    def num_frames(self) -> int:
        """Frames in the dataset."""
        return int(self.info["total_frames"])

    @property
    def image_keys(self) -> list[str]:
        """Features stored as images."""
        return [k for k, ft in self.features.items() if ft["dtype"] == "image"]

    def _load_tasks(self) -> list[str]:
        path = self.root / TASKS_PATH
        if not path.is_file():
            if self.info["total_tasks"]:
                raise DatasetFormatError(f"{path} is missing")
            return []
        t = self._pq.read_table(path)
        if "task_index" not in t.column_names or "task" not in t.column_names:
            raise DatasetFormatError(f"{path} needs a 'task' index and a 'task_index' column")
        pairs = sorted(
            zip(t.column("task_index").to_pylist(), t.column("task").to_pylist(), strict=True)
        )
        if [i for i, _ in pairs] != list(range(len(pairs))):
            raise DatasetFormatError(f"{path}: task indices are not 0..{len(pairs) - 1}")
        return [text for _, text in pairs]

    def _load_episodes(self) -> list[dict[str, Any]]:
        files = sorted((self.root / "meta" / "episodes").glob("chunk-*/file-*.parquet"))
        rows: list[dict[str, Any]] = []
        for f in files:
            t = self._pq.read_table(f)
            keep = [c for c in t.column_names if not c.startswith("stats/")]
            lacking = [c for c in _EPISODE_COLUMNS if c not in keep]
            if lacking:
                raise DatasetFormatError(f"{f} lacks episode columns {lacking}")
            rows += t.select(keep).to_pylist()
        rows.sort(key=lambda r: r["episode_index"])
        if [r["episode_index"] for r in rows] != list(range(len(rows))):
            raise DatasetFormatError("episode indices in meta/episodes are not 0..n-1")
        if len(rows) != self.info["total_episodes"]:
            raise DatasetFormatError(
                f"meta/episodes has {len(rows)} episodes, "
                f"info.json says {self.info['total_episodes']}"
            )
        return rows

    def _load_stats(self) -> dict[str, dict[str, np.ndarray]]:
        path = self.root / STATS_PATH
        if not path.is_file():
            return {}
        raw = json.loads(path.read_text())
        return {k: {s: np.atleast_1d(np.asarray(v)) for s, v in d.items()} for k, d in raw.items()}

    def _check_files(self) -> list[tuple[Path, int, int]]:
        """Data files in frame order, with their first and end global index."""
        spans: dict[Path, list[int]] = {}
        pos = 0
        for ep in self.episodes:
            if ep["dataset_from_index"] != pos or ep["dataset_to_index"] - pos != ep["length"]:
                raise DatasetFormatError(
                    f"episode {ep['episode_index']} spans frames {ep['dataset_from_index']}.."
                    f"{ep['dataset_to_index']}, expected to start at {pos} with {ep['length']}"
                )
            path = self.root / self.info["data_path"].format(
                chunk_index=ep["data/chunk_index"], file_index=ep["data/file_index"]
            )
            if not path.is_file():
                raise DatasetFormatError(
                    f"episode {ep['episode_index']}'s data file {path} is missing"
                )
            span = spans.setdefault(path, [pos, pos])
            if span[1] != pos:
                raise DatasetFormatError(f"{path} holds episodes that are not contiguous")
            span[1] = ep["dataset_to_index"]
            pos = ep["dataset_to_index"]
        if pos != self.num_frames:
            raise DatasetFormatError(
                f"episodes hold {pos} frames, info.json says {self.num_frames}"
            )
        out = []
        for path, (a, b) in spans.items():
            rows = self._pq.read_metadata(path).num_rows
            if rows != b - a:
                raise DatasetFormatError(f"{path} has {rows} frames, its episodes {b - a}")
            out.append((path, a, b))
        return out

    # -- frames -------------------------------------------------------------------------

    def table(self, columns: Sequence[str] | None = None) -> Any:
        """All frames as one pyarrow Table (of ``columns``, default all), in index order."""
        import pyarrow as pa

        cols = list(columns) if columns is not None else None
        unknown = [c for c in cols or [] if c not in self.features]
        if unknown:
            raise KeyError(f"no feature {unknown[0]!r}; features: {', '.join(self.features)}")
        tables = [self._pq.read_table(p, columns=cols) for p, _, _ in self._files]
        return pa.concat_tables(tables) if tables else None

    def column(self, key: str) -> np.ndarray:
        """A numeric feature for every frame: ``[frames]`` or ``[frames, dim]``."""
        ft = self.features.get(key)
        if ft is None:
            raise KeyError(f"no feature {key!r}; features: {', '.join(self.features)}")
        if ft["dtype"] == "image":
            raise KeyError(f"{key!r} holds images; use images()")
        col = self.table([key]).column(key).combine_chunks()
        if list(ft["shape"]) == [1]:
            return col.to_numpy(zero_copy_only=False)
        return col.flatten().to_numpy(zero_copy_only=False).reshape(len(col), *ft["shape"])

    def iter_images(self, key: str, batch: int = 1024) -> Iterator[np.ndarray]:
        """Decoded images of ``key`` for every frame, in batches ``uint8[b, H, W, 3]``."""
        if key not in self.image_keys:
            raise KeyError(f"{key!r} is not an image feature; images: {self.image_keys}")
        for path, _, _ in self._files:
            pf = self._pq.ParquetFile(path)
            for rb in pf.iter_batches(batch_size=batch, columns=[key]):
                yield np.stack([decode_image(v) for v in rb.column(0).to_pylist()])

    def episode(self, index: int) -> dict[str, Any]:
        """One episode's frames: every feature as an array (images decoded) and ``task``."""
        if not 0 <= index < self.num_episodes:
            raise IndexError(f"episode {index} is not in 0..{self.num_episodes - 1}")
        ep = self.episodes[index]
        path = self.root / self.info["data_path"].format(
            chunk_index=ep["data/chunk_index"], file_index=ep["data/file_index"]
        )
        first = next(a for p, a, _ in self._files if p == path)
        t = self._pq.read_table(path).slice(ep["dataset_from_index"] - first, ep["length"])
        out: dict[str, Any] = {}
        for key, ft in self.features.items():
            col = t.column(key).combine_chunks()
            if ft["dtype"] == "image":
                out[key] = np.stack([decode_image(v) for v in col.to_pylist()])
            elif list(ft["shape"]) == [1]:
                out[key] = col.to_numpy(zero_copy_only=False)
            else:
                out[key] = (
                    col.flatten().to_numpy(zero_copy_only=False).reshape(len(col), *ft["shape"])
                )
        out["task"] = [self.tasks[i] for i in out["task_index"]]
        return out
