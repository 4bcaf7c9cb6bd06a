"""Recording in LeRobotDataset v3.0 layout: what LeRobot's reader expects, and round trips.

The layout expectations are those of LeRobot's reader (``lerobot/datasets``: ``utils.py``
DEFAULT_* paths and ``DatasetInfo`` fields, ``feature_utils.get_hf_features_from_features``,
``io_utils.load_nested_dataset`` / ``load_tasks`` / ``load_episodes``, ``dataset_metadata``'s
episode columns, ``compute_stats``' statistics). LeRobot itself cannot be installed beside
this project (see docs/vla.md), so the test loads the data the way its reader does: with
Hugging Face ``datasets`` and the features LeRobot derives from ``meta/info.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from housemind.skills import REGISTRY, Executor  # noqa: E402
from housemind.skills.recording import (  # noqa: E402
    CODEBASE_VERSION,
    DatasetFormatError,
    EpisodeRecorder,
    LeRobotDatasetReader,
    LeRobotDatasetWriter,
    aggregate_stats,
    episode_features,
    feature_stats,
)
from housemind.skills.testing import PointRobotEnv  # noqa: E402

FEATURES = {
    "observation.image": {"dtype": "image", "shape": [8, 8, 3], "names": ["h", "w", "c"]},
    "observation.state": {"dtype": "float32", "shape": [3], "names": ["x", "y", "g"]},
    "action": {"dtype": "float32", "shape": [2], "names": ["vx", "vy"]},
    "next.done": {"dtype": "bool", "shape": [1], "names": None},
}


def _episode(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    done = np.zeros(n, bool)
    done[-1] = True
    return {
        "observation.image": rng.integers(0, 255, (n, 8, 8, 3), dtype=np.uint8),
        "observation.state": rng.standard_normal((n, 3)).astype(np.float32),
        "action": rng.uniform(-1, 1, (n, 2)).astype(np.float32),
        "next.done": done,
    }


def _write(root: Path, lengths=(5, 3, 7), **kw) -> list[dict]:
    eps = [_episode(n, i) for i, n in enumerate(lengths)]
    with LeRobotDatasetWriter.create(root, fps=50, features=FEATURES, **kw) as w:
        for i, ep in enumerate(eps):
            w.add_episode(ep, f"task {i % 2}", metadata={"success": i != 1, "skill": "pick"})
    return eps


def test_layout_matches_what_lerobots_reader_expects(tmp_path):
    _write(tmp_path)
    info = json.loads((tmp_path / "meta/info.json").read_text())
    # DatasetInfo's fields (lerobot/datasets/utils.py)
    for key in ("codebase_version", "fps", "features", "total_episodes", "total_frames",
                "total_tasks", "chunks_size", "data_files_size_in_mb", "video_files_size_in_mb",
                "data_path", "video_path", "robot_type", "splits"):  # fmt: skip
        assert key in info, key
    assert info["codebase_version"] == CODEBASE_VERSION == "v3.0"
    assert info["data_path"] == "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet"
    assert info["video_path"] is None  # images live in the parquet, no videos
    assert (info["total_episodes"], info["total_frames"], info["total_tasks"]) == (3, 15, 2)
    assert info["splits"] == {"train": "0:3"}
    defaults = {"timestamp": "float32", "frame_index": "int64", "episode_index": "int64",
                "index": "int64", "task_index": "int64"}  # fmt: skip
    for key, dtype in defaults.items():
        assert info["features"][key] == {"dtype": dtype, "shape": [1], "names": None}
    # data file: the arrow types datasets.Features gives LeRobot's features
    schema = pq.read_schema(tmp_path / "data/chunk-000/file-000.parquet")
    assert schema.field("observation.image").type == pa.struct(
        [("bytes", pa.binary()), ("path", pa.string())]
    )
    assert schema.field("observation.state").type == pa.list_(pa.float32(), 3)
    assert schema.field("next.done").type == pa.bool_()
    assert schema.field("index").type == pa.int64()
    # tasks: a frame indexed by the task text, column task_index
    tasks = pq.read_table(tmp_path / "meta/tasks.parquet")
    assert set(tasks.column_names) == {"task", "task_index"}
    pandas_meta = json.loads(tasks.schema.metadata[b"pandas"])
    assert pandas_meta["index_columns"] == ["task"]
    # episodes: the columns LeRobotDatasetMetadata reads, and per-episode stats
    eps = pq.read_table(tmp_path / "meta/episodes/chunk-000/file-000.parquet").to_pylist()
    assert [e["episode_index"] for e in eps] == [0, 1, 2]
    assert [(e["dataset_from_index"], e["dataset_to_index"]) for e in eps] == [
        (0, 5),
        (5, 8),
        (8, 15),
    ]
    assert eps[1]["tasks"] == ["task 1"] and eps[1]["length"] == 3
    assert (eps[0]["data/chunk_index"], eps[0]["data/file_index"]) == (0, 0)
    assert (eps[0]["meta/episodes/chunk_index"], eps[0]["meta/episodes/file_index"]) == (0, 0)
    assert np.asarray(eps[0]["stats/observation.image/mean"]).shape == (3, 1, 1)
    assert eps[1]["success"] is False
    # dataset stats: min/max/mean/std/count and the quantiles, images per channel in [0, 1]
    stats = json.loads((tmp_path / "meta/stats.json").read_text())
    img = stats["observation.image"]
    assert set(img) == {"min", "max", "mean", "std", "count", "q01", "q10", "q50", "q90", "q99"}
    assert np.asarray(img["mean"]).shape == (3, 1, 1) and 0 <= np.min(img["min"]) <= 1
    assert stats["action"]["count"] == [15]


def test_hugging_face_datasets_loads_it_as_lerobot_does(tmp_path):
    datasets = pytest.importorskip("datasets")
    pd = pytest.importorskip("pandas")
    eps = _write(tmp_path)
    info = json.loads((tmp_path / "meta/info.json").read_text())
    # lerobot.datasets.feature_utils.get_hf_features_from_features
    hf = {}
    for key, ft in info["features"].items():
        if ft["dtype"] == "image":
            hf[key] = datasets.Image()
        elif ft["shape"] == [1]:
            hf[key] = datasets.Value(dtype=ft["dtype"])
        else:
            hf[key] = datasets.Sequence(length=ft["shape"][0], feature=datasets.Value(ft["dtype"]))
    paths = [str(p) for p in sorted((tmp_path / "data").glob("*/*.parquet"))]
    ds = datasets.Dataset.from_parquet(paths, features=datasets.Features(hf))
    assert len(ds) == 15
    row = ds[6]  # episode 1, frame 1
    assert row["episode_index"] == 1 and row["frame_index"] == 1 and row["index"] == 6
    assert np.array_equal(np.asarray(row["observation.image"]), eps[1]["observation.image"][1])
    assert np.allclose(row["action"], eps[1]["action"][1])
    assert row["timestamp"] == pytest.approx(1 / 50)
    tasks = pd.read_parquet(tmp_path / "meta/tasks.parquet")  # lerobot io_utils.load_tasks
    assert tasks.loc["task 1"].task_index == 1


def test_round_trip_through_our_reader(tmp_path):
    eps = _write(tmp_path)
    r = LeRobotDatasetReader(tmp_path)
    assert (r.num_episodes, r.num_frames, r.fps) == (3, 15, 50)
    assert r.tasks == ["task 0", "task 1"]
    for i, want in enumerate(eps):
        got = r.episode(i)
        for key, value in want.items():
            assert np.array_equal(got[key], value), key
        assert got["task"] == [f"task {i % 2}"] * len(want["action"])
        assert list(got["index"]) == list(range(r.episodes[i]["dataset_from_index"],
                                                r.episodes[i]["dataset_to_index"]))  # fmt: skip
    assert r.column("action").shape == (15, 2)
    assert np.concatenate(list(r.iter_images("observation.image", batch=4))).shape == (15, 8, 8, 3)


def test_files_roll_over_and_appending_continues_the_indices(tmp_path):
    _write(tmp_path, lengths=(4, 4), data_files_size_in_mb=1)
    w = LeRobotDatasetWriter.open(tmp_path)
    w.flush()  # nothing buffered: nothing written
    w.add_episode(_episode(6, 9), "task 2")
    w.close()
    r = LeRobotDatasetReader(tmp_path)
    assert (r.num_episodes, r.num_frames) == (3, 14)
    assert (r.episodes[2]["data/chunk_index"], r.episodes[2]["data/file_index"]) == (0, 1)
    assert r.episode(2)["index"][0] == 8
    assert r.tasks[-1] == "task 2"
    assert LeRobotDatasetReader(tmp_path).stats["action"]["count"][0] == 14


def test_bad_input_is_refused_and_loses_nothing(tmp_path):
    _write(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(DatasetFormatError, match="not empty"):
        LeRobotDatasetWriter.create(tmp_path, fps=50, features=FEATURES)
    w = LeRobotDatasetWriter.open(tmp_path)
    with pytest.raises(DatasetFormatError, match="missing"):
        w.add_episode({"action": np.zeros((2, 2), np.float32)}, "x")
    bad = _episode(3, 1)
    bad["action"] = np.zeros((3, 5), np.float32)
    with pytest.raises(DatasetFormatError, match="action"):
        w.add_episode(bad, "x")
    with pytest.raises(DatasetFormatError, match="task"):
        w.add_episode(_episode(3, 1), ["a", "b"])
    w.close()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert LeRobotDatasetReader(tmp_path).num_frames == 15
    with pytest.raises(DatasetFormatError, match="no LeRobot dataset"):
        LeRobotDatasetReader(tmp_path / "nothing")


def test_reader_finds_an_inconsistent_dataset(tmp_path):
    _write(tmp_path)
    info_path = tmp_path / "meta/info.json"
    info = json.loads(info_path.read_text())
    info["total_frames"] = 99
    info_path.write_text(json.dumps(info))
    with pytest.raises(DatasetFormatError, match="99"):
        LeRobotDatasetReader(tmp_path)
    info["total_frames"], info["codebase_version"] = 15, "v2.1"
    info_path.write_text(json.dumps(info))
    with pytest.raises(DatasetFormatError, match="v2.1"):
        LeRobotDatasetReader(tmp_path)


def test_a_flush_killed_half_way_is_cleaned_up_on_append(tmp_path):
    _write(tmp_path)
    orphan = tmp_path / "data/chunk-000/file-001.parquet"  # data written, episodes never
    orphan.write_bytes((tmp_path / "data/chunk-000/file-000.parquet").read_bytes())
    LeRobotDatasetWriter.open(tmp_path).close()
    assert not orphan.exists()
    assert LeRobotDatasetReader(tmp_path).num_frames == 15


def test_stats_merge_like_lerobot():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((40, 3)), rng.standard_normal((25, 3)) + 2
    merged = aggregate_stats([{"x": feature_stats(a)}, {"x": feature_stats(b)}])["x"]
    both = np.concatenate([a, b])
    assert np.allclose(merged["mean"], both.mean(0))
    assert np.allclose(merged["std"], both.std(0))
    assert merged["count"][0] == 65
    assert np.allclose(merged["min"], both.min(0)) and np.allclose(merged["max"], both.max(0))
    assert np.all(merged["q01"] <= np.quantile(both, 0.01, axis=0) + 1e-9)


class _CameraRobot(PointRobotEnv):
    """The point robot with a camera that shows where it is (for recording)."""

    def observe(self):
        obs = super().observe()
        img = np.zeros((8, 8, 3), np.uint8)
        img[..., 0] = min(255, int(abs(self.x) * 40))
        obs.image = img
        return obs


def test_executor_recorder_records_every_applied_action(tmp_path):
    env = _CameraRobot()
    with LeRobotDatasetWriter.create(tmp_path, fps=200, features=episode_features(env)) as w:
        rec = EpisodeRecorder(w, env, source="expert", metadata={"home": "point"})
        applied = []

        class Spy:
            def on_action(self, tick, action):
                applied.append(action.copy())

        with Executor(env, observers=[rec, Spy()]) as ex:
            out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
            ex.run(REGISTRY.bind("pick", {"object": "mug"}), timeout=10)
    assert out.ok
    r = LeRobotDatasetReader(tmp_path)
    assert r.num_episodes == 2 and r.tasks == ["go to the table", "pick up the mug"]
    ep = r.episode(0)
    assert len(ep["action"]) == out.ticks
    assert np.allclose(ep["action"], np.stack(applied[: out.ticks]))
    assert ep["next.success"][-1] and not ep["next.success"][:-1].any()
    assert r.episodes[0]["success"] is True and r.episodes[0]["home"] == "point"
    assert json.loads(r.episodes[1]["args"]) == {"object": "mug"}
    # the image is the observation before each action: it changes as the robot drives
    assert ep["observation.image"][0, 0, 0, 0] < ep["observation.image"][-1, 0, 0, 0]
