"""The LeRobotDataset v3.0 layout: paths, ``meta/info.json`` and feature schemas.

Written from LeRobot's own reader (``lerobot/datasets/utils.py``, ``feature_utils.py``,
``io_utils.py``, ``dataset_metadata.py``); LeRobot itself is not a dependency (see
``docs/vla.md``). A dataset folder holds::

    meta/info.json                                codebase_version "v3.0", fps, features,
                                                  totals, chunks_size, data_path, video_path
    meta/stats.json                               per-feature min/max/mean/std/count/q01..q99
    meta/tasks.parquet                            index "task" (the text), column task_index
    meta/episodes/chunk-000/file-000.parquet      one row per episode (where its frames are,
                                                  its tasks, its length, its stats)
    data/chunk-000/file-000.parquet               one row per frame

Features are described as in LeRobot: ``{"dtype": ..., "shape": [...], "names": ...}``.
Every frame also carries LeRobot's default features (:data:`DEFAULT_FEATURES`). Images are
stored in the data files as Hugging Face ``datasets.Image`` values (a struct of PNG
``bytes`` and a ``path``), LeRobot's ``"image"`` dtype; ``video_path`` is then null.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "CHUNK_FILE_PATTERN",
    "CODEBASE_VERSION",
    "DATA_PATH",
    "DEFAULT_CHUNKS_SIZE",
    "DEFAULT_DATA_FILE_SIZE_MB",
    "DEFAULT_FEATURES",
    "EPISODES_PATH",
    "INFO_PATH",
    "STATS_PATH",
    "TASKS_PATH",
    "DatasetFormatError",
    "arrow_type",
    "hf_features_metadata",
    "next_chunk_file",
    "write_json_atomic",
]

#: The format version this module writes (LeRobot's ``CODEBASE_VERSION``).
CODEBASE_VERSION = "v3.0"
INFO_PATH = "meta/info.json"
STATS_PATH = "meta/stats.json"
TASKS_PATH = "meta/tasks.parquet"
CHUNK_FILE_PATTERN = "chunk-{chunk_index:03d}/file-{file_index:03d}"
EPISODES_PATH = "meta/episodes/" + CHUNK_FILE_PATTERN + ".parquet"
DATA_PATH = "data/" + CHUNK_FILE_PATTERN + ".parquet"
#: Files per chunk folder, and the size at which a data file is closed (LeRobot's defaults).
DEFAULT_CHUNKS_SIZE = 1000
DEFAULT_DATA_FILE_SIZE_MB = 100
#: Per-frame bookkeeping every LeRobot dataset carries (LeRobot's ``DEFAULT_FEATURES``).
DEFAULT_FEATURES: dict[str, dict[str, Any]] = {
    "timestamp": {"dtype": "float32", "shape": [1], "names": None},
    "frame_index": {"dtype": "int64", "shape": [1], "names": None},
    "episode_index": {"dtype": "int64", "shape": [1], "names": None},
    "index": {"dtype": "int64", "shape": [1], "names": None},
    "task_index": {"dtype": "int64", "shape": [1], "names": None},
}
_SCALAR_DTYPES = ("bool", "int8", "int16", "int32", "int64", "float16", "float32", "float64")


class DatasetFormatError(ValueError):
    """A dataset folder or a feature does not follow the layout; the message says what."""


def arrow_type(feature: dict[str, Any]) -> Any:
    """The Arrow type LeRobot's reader expects for a feature.

    ``image`` is a struct of ``bytes`` and ``path`` (``datasets.Image``); shape ``(1,)`` a
    scalar; shape ``(n,)`` a fixed-size list of ``n`` (``datasets.Sequence(length=n)``).

    Raises:
        DatasetFormatError: for dtypes or shapes this writer does not store.
    """
    import pyarrow as pa

    dtype, shape = feature["dtype"], list(feature["shape"])
    if dtype == "image":
        return pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    if dtype not in _SCALAR_DTYPES:
        raise DatasetFormatError(
            f"feature dtype {dtype!r} is not supported; use image or one of {_SCALAR_DTYPES}"
        )
    base = pa.bool_() if dtype == "bool" else pa.from_numpy_dtype(dtype)
    if shape == [1]:
        return base
    if len(shape) == 1:
        return pa.list_(base, shape[0])
    raise DatasetFormatError(
        f"feature of shape {shape} is not supported; store vectors (shape [n]) or images"
    )


def hf_features_metadata(features: dict[str, dict[str, Any]]) -> bytes:
    """The ``huggingface`` schema metadata ``datasets`` writes, so its tools decode images."""
    out: dict[str, Any] = {}
    for key, ft in features.items():
        if ft["dtype"] == "image":
            out[key] = {"_type": "Image"}
        elif list(ft["shape"]) == [1]:
            out[key] = {"dtype": ft["dtype"], "_type": "Value"}
        else:
            out[key] = {
                "feature": {"dtype": ft["dtype"], "_type": "Value"},
                "length": int(ft["shape"][0]),
                "_type": "Sequence",
            }
    return json.dumps({"info": {"features": out}}).encode()


def next_chunk_file(chunk_index: int, file_index: int, chunks_size: int) -> tuple[int, int]:
    """The chunk and file index after ``(chunk_index, file_index)`` (LeRobot's rule)."""
    if file_index == chunks_size - 1:
        return chunk_index + 1, 0
    return chunk_index, file_index + 1


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that a reader never sees half a file (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=4)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
