"""Episodes in LeRobotDataset v3.0 layout: write, read, and record what the executor does.

- :mod:`.layout`: the folder layout and ``meta/info.json`` (from LeRobot's reader code).
- :mod:`.writer`: :class:`LeRobotDatasetWriter` (pyarrow; images as PNG in the parquet).
- :mod:`.reader`: :class:`LeRobotDatasetReader`, independent of any simulator.
- :mod:`.stats`: per-feature statistics as LeRobot computes and merges them.
- :mod:`.recorder`: :class:`EpisodeRecorder`, an executor observer (one subtask, one episode).
- :mod:`.collect`: :func:`record_jobs`, record a stream of subtasks (``housemind record``).

pyarrow is needed (``pip install 'housemind[vla]'``); it is imported when used.
"""

from housemind.skills.recording.collect import RecordJob, RecordSummary, record_jobs
from housemind.skills.recording.layout import CODEBASE_VERSION, DatasetFormatError
from housemind.skills.recording.reader import LeRobotDatasetReader, decode_image
from housemind.skills.recording.recorder import (
    IMAGE_KEY,
    STATE_NAMES,
    EpisodeRecorder,
    episode_features,
)
from housemind.skills.recording.stats import aggregate_stats, feature_stats, image_stats
from housemind.skills.recording.writer import LeRobotDatasetWriter

__all__ = [
    "CODEBASE_VERSION",
    "IMAGE_KEY",
    "STATE_NAMES",
    "DatasetFormatError",
    "EpisodeRecorder",
    "LeRobotDatasetReader",
    "LeRobotDatasetWriter",
    "RecordJob",
    "RecordSummary",
    "aggregate_stats",
    "decode_image",
    "episode_features",
    "feature_stats",
    "image_stats",
    "record_jobs",
]
