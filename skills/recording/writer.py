"""Writes episodes into a LeRobotDataset v3.0 folder (see :mod:`.layout`), with pyarrow.

Frames are buffered per data file and each file is written whole when it reaches its size
limit or the writer closes, followed by its episodes file, the tasks, the statistics and
``meta/info.json`` (each replaced atomically). A folder therefore only ever holds complete
files; a recording killed half-way loses the episodes not yet flushed and nothing else,
and :meth:`LeRobotDatasetWriter.open` appends to an existing dataset.
"""

from __future__ import annotations

import io
import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from housemind.skills.recording.layout import (
    CODEBASE_VERSION,
    DATA_PATH,
    DEFAULT_CHUNKS_SIZE,
    DEFAULT_DATA_FILE_SIZE_MB,
    DEFAULT_FEATURES,
    EPISODES_PATH,
    INFO_PATH,
    STATS_PATH,
    TASKS_PATH,
    DatasetFormatError,
    arrow_type,
    hf_features_metadata,
    next_chunk_file,
    write_json_atomic,
)
from housemind.skills.recording.stats import aggregate_stats, feature_stats, image_stats

__all__ = ["LeRobotDatasetWriter"]

logger = logging.getLogger(__name__)


def _require_pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        raise ImportError(
            "recording datasets needs pyarrow: pip install 'housemind[vla]'"
        ) from None
    return pa


def _png(image: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buf, format="PNG")
    return buf.getvalue()


def _write_parquet_atomic(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="snappy")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _jsonable(stats: Mapping[str, Mapping[str, np.ndarray]]) -> dict[str, dict[str, Any]]:
    return {k: {s: np.asarray(v).tolist() for s, v in d.items()} for k, d in stats.items()}


def _from_json(stats: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, np.ndarray]]:
    return {k: {s: np.atleast_1d(np.asarray(v)) for s, v in d.items()} for k, d in stats.items()}


class LeRobotDatasetWriter:
    """Appends episodes to a LeRobotDataset v3.0 folder.

    Use :meth:`create` for a new dataset and :meth:`open` to append to one; close it (or
    use it as a context manager) to write what is buffered.

    Args:
        root: The dataset folder.
        info: The contents of ``meta/info.json`` (features include the defaults).
        tasks: Task text -> task index, of the episodes already stored.
        stats: Dataset statistics of the episodes already stored.
        next_file: ``(chunk_index, file_index)`` of the next data file to write.
    """

    def __init__(
        self,
        root: Path,
        info: dict[str, Any],
        tasks: dict[str, int],
        stats: dict[str, dict[str, np.ndarray]] | None,
        next_file: tuple[int, int],
    ) -> None:
        self.pa = _require_pyarrow()
        self.root = Path(root)
        self.info = info
        self.features: dict[str, dict[str, Any]] = info["features"]
        self._tasks = dict(tasks)
        self._stats = stats
        self._file = next_file
        self._schema = self.pa.schema(
            [(k, arrow_type(ft)) for k, ft in self.features.items()],
            metadata={b"huggingface": hf_features_metadata(self.features)},
        )
        self._rows: list[Any] = []  # arrow tables of the buffered episodes
        self._rows_bytes = 0
        self._episodes: list[dict[str, Any]] = []  # their metadata rows
        self._closed = False

    # -- construction -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: str | Path,
        *,
        fps: int,
        features: Mapping[str, Mapping[str, Any]],
        robot_type: str | None = None,
        chunks_size: int = DEFAULT_CHUNKS_SIZE,
        data_files_size_in_mb: int = DEFAULT_DATA_FILE_SIZE_MB,
    ) -> LeRobotDatasetWriter:
        """Start a new dataset in ``root`` (which must be missing or empty).

        Args:
            root: The dataset folder.
            fps: Frames per second of the recording (the control rate).
            features: The recorded features, e.g. ``{"action": {"dtype": "float32",
                "shape": [7], "names": [...]}}``; LeRobot's default features are added.
            robot_type: Free text recorded in ``info.json``.
            chunks_size: Files per chunk folder.
            data_files_size_in_mb: A data file is closed at about this size.

        Raises:
            DatasetFormatError: a non-empty folder, a bad fps or feature.
        """
        root = Path(root)
        if root.exists() and any(root.iterdir()):
            raise DatasetFormatError(
                f"{root} is not empty; record into a new folder, or append to the dataset "
                "there with LeRobotDatasetWriter.open (housemind record --append)"
            )
        if int(fps) != fps or fps <= 0:
            raise DatasetFormatError(f"fps must be a positive whole number, got {fps}")
        clash = sorted(set(features) & set(DEFAULT_FEATURES))
        if clash:
            raise DatasetFormatError(f"features {clash} are LeRobot's own; rename them")
        feats: dict[str, dict[str, Any]] = {}
        for key, ft in features.items():
            shape = [int(s) for s in ft["shape"]]
            names = ft.get("names")
            entry = {"dtype": ft["dtype"], "shape": shape, "names": names}
            arrow_type(entry)  # validates dtype and shape
            if ft["dtype"] == "image" and (len(shape) != 3 or shape[-1] != 3):
                raise DatasetFormatError(f"image feature {key!r} must be [H, W, 3], got {shape}")
            feats[key] = entry
        feats.update({k: dict(v) for k, v in DEFAULT_FEATURES.items()})
        info = {
            "codebase_version": CODEBASE_VERSION,
            "robot_type": robot_type,
            "total_episodes": 0,
            "total_frames": 0,
            "total_tasks": 0,
            "chunks_size": int(chunks_size),
            "data_files_size_in_mb": int(data_files_size_in_mb),
            "video_files_size_in_mb": 200,
            "fps": int(fps),
            "splits": {},
            "data_path": DATA_PATH,
            "video_path": None,
            "features": feats,
        }
        root.mkdir(parents=True, exist_ok=True)
        write_json_atomic(root / INFO_PATH, info)
        return cls(root, info, {}, None, (0, 0))

    @classmethod
    def open(cls, root: str | Path) -> LeRobotDatasetWriter:
        """Append to the dataset in ``root``; new episodes go to new data files.

        Files left by a recording killed while flushing (a data file whose episodes file
        was never written) are removed.

        Raises:
            DatasetFormatError: if ``root`` holds no dataset of this format.
        """
        import pyarrow.parquet as pq

        root = Path(root)
        info_path = root / INFO_PATH
        if not info_path.is_file():
            raise DatasetFormatError(f"{root} holds no dataset ({INFO_PATH} is missing)")
        info = json.loads(info_path.read_text())
        if not str(info.get("codebase_version", "")).startswith("v3."):
            raise DatasetFormatError(
                f"{root} is a LeRobot dataset of version {info.get('codebase_version')!r}; "
                f"this writer appends to {CODEBASE_VERSION} only"
            )
        _require_pyarrow()
        last = (-1, -1)
        frames = episodes = 0
        for ep_file in sorted((root / "meta" / "episodes").glob("chunk-*/file-*.parquet")):
            t = pq.read_table(ep_file, columns=["data/chunk_index", "data/file_index", "length"])
            episodes += t.num_rows
            frames += sum(t.column("length").to_pylist())
            c, f = int(ep_file.parent.name[6:]), int(ep_file.stem[5:])
            last = max(last, (c, f))
        for data_file in sorted((root / "data").glob("chunk-*/file-*.parquet")):
            c, f = int(data_file.parent.name[6:]), int(data_file.stem[5:])
            if not (root / EPISODES_PATH.format(chunk_index=c, file_index=f)).is_file():
                logger.warning("removing %s: its episodes were never recorded", data_file)
                data_file.unlink()
        info["total_episodes"], info["total_frames"] = episodes, frames
        tasks: dict[str, int] = {}
        if (root / TASKS_PATH).is_file():
            t = pq.read_table(root / TASKS_PATH)
            tasks = dict(
                zip(t.column("task").to_pylist(), t.column("task_index").to_pylist(), strict=True)
            )
        stats = None
        if (root / STATS_PATH).is_file():
            stats = _from_json(json.loads((root / STATS_PATH).read_text()))
        nxt = (0, 0) if last == (-1, -1) else next_chunk_file(*last, info["chunks_size"])
        return cls(root, info, tasks, stats, nxt)

    # -- writing ------------------------------------------------------------------------

    @property
    def fps(self) -> int:
        """Frames per second."""
        return int(self.info["fps"])

    @property
    def total_episodes(self) -> int:
        """Episodes stored and buffered."""
        return int(self.info["total_episodes"]) + len(self._episodes)

    def add_episode(
        self,
        frames: Mapping[str, Any],
        task: str | Sequence[str],
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> int:
        """Buffer one episode; returns its episode index.

        Args:
            frames: Every recorded feature (not the defaults) as an array with one row per
                frame; images as ``uint8[n, H, W, 3]`` (or a list of ``[H, W, 3]``).
            task: The episode's language instruction, or one per frame.
            metadata: Extra columns of the episode's row in ``meta/episodes`` (e.g.
                ``success``, ``skill``); non-scalar values are stored as JSON text.

        Raises:
            DatasetFormatError: a missing or extra feature, a wrong shape, no frames.
        """
        if self._closed:
            raise DatasetFormatError("this writer is closed; open the dataset again to append")
        mine = [k for k in self.features if k not in DEFAULT_FEATURES]
        missing, extra = set(mine) - set(frames), set(frames) - set(mine)
        if missing or extra:
            raise DatasetFormatError(
                f"episode features do not match the dataset: missing {sorted(missing)}, "
                f"extra {sorted(extra)}"
            )
        n = len(frames[mine[0]]) if mine else 0
        if n == 0:
            raise DatasetFormatError("an episode needs at least one frame")
        tasks = [task] * n if isinstance(task, str) else list(task)
        if len(tasks) != n or not all(isinstance(t, str) and t for t in tasks):
            raise DatasetFormatError(f"need one non-empty task text per frame ({n}), or one")
        ep_index = self.total_episodes
        start = int(self.info["total_frames"]) + sum(e["length"] for e in self._episodes)
        pa = self.pa
        cols: dict[str, Any] = {}
        ep_stats: dict[str, dict[str, np.ndarray]] = {}
        for key in mine:
            ft = self.features[key]
            shape = tuple(ft["shape"])
            if ft["dtype"] == "image":
                imgs = np.asarray(frames[key])
                if imgs.shape != (n, *shape) or imgs.dtype != np.uint8:
                    raise DatasetFormatError(
                        f"{key}: expected uint8[{n}, {', '.join(map(str, shape))}], "
                        f"got {imgs.dtype}{list(imgs.shape)}"
                    )
                cols[key] = pa.array(
                    [
                        {"bytes": _png(im), "path": f"frame-{i:06d}.png"}
                        for i, im in enumerate(imgs)
                    ],
                    type=arrow_type(ft),
                )
                ep_stats[key] = image_stats(imgs)
                continue
            arr = np.asarray(frames[key], dtype=np.dtype(ft["dtype"]))
            want = (n,) if shape == (1,) else (n, *shape)
            if arr.shape == (n, 1) and shape == (1,):
                arr = arr[:, 0]
            if arr.shape != want:
                raise DatasetFormatError(
                    f"{key}: expected shape {list(want)}, got {list(arr.shape)}"
                )
            cols[key] = self._column(arr, ft)
            ep_stats[key] = feature_stats(arr)
        for t in tasks:
            if t not in self._tasks:
                self._tasks[t] = len(self._tasks)
        defaults = {
            "timestamp": (np.arange(n) / self.fps).astype(np.float32),
            "frame_index": np.arange(n, dtype=np.int64),
            "episode_index": np.full(n, ep_index, dtype=np.int64),
            "index": np.arange(start, start + n, dtype=np.int64),
            "task_index": np.array([self._tasks[t] for t in tasks], dtype=np.int64),
        }
        for key, arr in defaults.items():
            cols[key] = pa.array(arr)
            ep_stats[key] = feature_stats(arr)
        table = pa.table([cols[k] for k in self.features], schema=self._schema)
        self._rows.append(table)
        self._rows_bytes += table.nbytes
        row: dict[str, Any] = {
            "episode_index": ep_index,
            "tasks": list(dict.fromkeys(tasks)),
            "length": n,
            "data/chunk_index": self._file[0],
            "data/file_index": self._file[1],
            "dataset_from_index": start,
            "dataset_to_index": start + n,
            "meta/episodes/chunk_index": self._file[0],
            "meta/episodes/file_index": self._file[1],
        }
        for key, st in ep_stats.items():
            for name, value in st.items():
                row[f"stats/{key}/{name}"] = np.asarray(value).tolist()
        for key, value in (metadata or {}).items():
            if key in row:
                raise DatasetFormatError(f"metadata key {key!r} is one of LeRobot's columns")
            ok = isinstance(value, str | bool | int | float) or value is None
            row[key] = value if ok else json.dumps(value, sort_keys=True)
        row["_stats"] = ep_stats
        self._episodes.append(row)
        if self._rows_bytes >= self.info["data_files_size_in_mb"] * 1024 * 1024:
            self.flush()
        return ep_index

    def _column(self, arr: np.ndarray, ft: dict[str, Any]) -> Any:
        pa = self.pa
        typ = arrow_type(ft)
        if list(ft["shape"]) == [1]:
            return pa.array(arr, type=typ)
        flat = pa.array(arr.reshape(-1), type=typ.value_type)
        return pa.FixedSizeListArray.from_arrays(flat, ft["shape"][0])

    def flush(self) -> None:
        """Write the buffered episodes: a data file, its episodes file, tasks, stats, info."""
        if not self._episodes:
            return
        pa = self.pa
        chunk, file = self._file
        data = pa.concat_tables(self._rows)
        _write_parquet_atomic(
            data, self.root / DATA_PATH.format(chunk_index=chunk, file_index=file)
        )
        rows = [{k: v for k, v in e.items() if k != "_stats"} for e in self._episodes]
        keys: list[str] = []
        for r in rows:
            keys += [k for k in r if k not in keys]
        episodes = pa.table({k: [r.get(k) for r in rows] for k in keys})
        _write_parquet_atomic(
            episodes, self.root / EPISODES_PATH.format(chunk_index=chunk, file_index=file)
        )
        self._write_tasks()
        stats = [e["_stats"] for e in self._episodes]
        self._stats = aggregate_stats(([self._stats] if self._stats else []) + stats)
        write_json_atomic(self.root / STATS_PATH, _jsonable(self._stats))
        self.info["total_episodes"] += len(self._episodes)
        self.info["total_frames"] += sum(e["length"] for e in self._episodes)
        self.info["total_tasks"] = len(self._tasks)
        self.info["splits"] = {"train": f"0:{self.info['total_episodes']}"}
        write_json_atomic(self.root / INFO_PATH, self.info)
        self._rows, self._rows_bytes, self._episodes = [], 0, []
        self._file = next_chunk_file(chunk, file, self.info["chunks_size"])

    def _write_tasks(self) -> None:
        pa = self.pa
        order = sorted(self._tasks.items(), key=lambda kv: kv[1])
        # pandas metadata marks "task" as the index, as ``DataFrame.to_parquet`` does for
        # LeRobot's tasks frame (index "task", column "task_index").
        pandas_meta = {
            "index_columns": ["task"],
            "column_indexes": [
                {
                    "name": None,
                    "field_name": None,
                    "pandas_type": "unicode",
                    "numpy_type": "object",
                    "metadata": {"encoding": "UTF-8"},
                }
            ],
            "columns": [
                {
                    "name": "task_index",
                    "field_name": "task_index",
                    "pandas_type": "int64",
                    "numpy_type": "int64",
                    "metadata": None,
                },
                {
                    "name": "task",
                    "field_name": "task",
                    "pandas_type": "unicode",
                    "numpy_type": "object",
                    "metadata": None,
                },
            ],
            "creator": {"library": "pyarrow", "version": pa.__version__},
            "pandas_version": "2.2.0",
        }
        table = pa.table(
            {
                "task_index": pa.array([i for _, i in order], pa.int64()),
                "task": pa.array([t for t, _ in order], pa.string()),
            }
        ).replace_schema_metadata({b"pandas": json.dumps(pandas_meta).encode()})
        _write_parquet_atomic(table, self.root / TASKS_PATH)

    def close(self) -> None:
        """Write what is buffered; the writer accepts no more episodes."""
        if not self._closed:
            self.flush()
            self._closed = True

    def __enter__(self) -> LeRobotDatasetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
