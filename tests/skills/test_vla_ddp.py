"""Distributed VLA training: two processes under torchrun (gloo on CPU) against one.

The slow tests start real processes with ``python -m torch.distributed.run`` on
127.0.0.1 (``vla_ddp_worker.py`` trains a tiny VLA on a tiny recording) and compare the
ranks with each other and with a single-process run of the same steps.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("pyarrow")
pytest.importorskip("safetensors")

from housemind.skills.vla.checkpoint import load_model  # noqa: E402
from housemind.skills.vla.distributed import (  # noqa: E402
    DistInfo,
    _python_refs,
    _wait_until_let_go,
    all_gather,
    all_reduce_sum,
    check_in_sync,
    setup,
    shard,
    weights_digest,
)
from housemind.skills.vla.modeling import VLAModel  # noqa: E402

WORKER = Path(__file__).with_name("vla_ddp_worker.py")
STEPS, BATCH = 6, 8


def test_shard_splits_the_global_batch_in_rank_order():
    cpu = torch.device("cpu")
    parts = [shard(8, DistInfo(r, 2, r, cpu)) for r in range(2)]
    assert parts == [slice(0, 4), slice(4, 8)]
    assert shard(8, DistInfo(0, 1, 0, cpu)) == slice(0, 8)
    with pytest.raises(ValueError, match="multiple of it; use --batch-size 9"):
        shard(7, DistInfo(0, 3, 0, cpu))


def test_a_process_not_started_by_torchrun_is_a_world_of_one(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    info = setup("cpu")
    assert (info.rank, info.world, info.device.type, info.owns_group) == (0, 1, "cpu", False)
    monkeypatch.setenv("WORLD_SIZE", "two")
    with pytest.raises(ValueError, match="WORLD_SIZE='two' is not an integer"):
        setup("cpu")


def test_the_weights_digest_sees_a_one_ulp_change():
    model = _tiny_model()
    before = weights_digest(model)
    assert weights_digest(_tiny_model()) == before  # same seed, same weights
    assert check_in_sync(model, DistInfo(0, 1, 0, torch.device("cpu"))) == before
    with torch.no_grad():
        w = model.out.bias
        w[0] = torch.nextafter(w[0], torch.tensor(1.0))
    assert weights_digest(model) != before


def test_collectives_in_a_world_of_one_return_the_tensor_itself():
    one = DistInfo(0, 1, 0, torch.device("cpu"))
    t = torch.tensor([3.0])
    assert all_reduce_sum(t, one) is t and all_gather(t, one) == [t]


def test_a_collective_returns_only_once_the_process_group_let_go_of_its_tensors():
    """The wait that keeps a gloo worker thread from dropping a tensor at interpreter exit.

    A thread that holds a C++ reference to a tensor raises its Python reference count
    (torch holds the Python object while C++ does); the wait ends when it is released.
    """
    import threading
    import time

    t = torch.zeros(3)
    before = _python_refs([t])
    held = [t.view(3)]  # a C++ reference, like a worker thread's work object
    threading.Timer(0.2, held.clear).start()
    assert _python_refs([t])[0] > before[0]
    t0 = time.monotonic()
    _wait_until_let_go([t], before)
    assert time.monotonic() - t0 >= 0.15 and _python_refs([t]) == before
    t1 = time.monotonic()
    _wait_until_let_go([t], before)  # nothing held: returns at once
    assert time.monotonic() - t1 < 0.1


def _tiny_model() -> VLAModel:
    from housemind.skills.vla.configuration import VLAConfig

    torch.manual_seed(0)
    return VLAModel(
        VLAConfig(
            camera_size=8, crop=None, input_size=16, state_indices=[4, 5, 7], action_dim=3,
            text_dim=16, chunk_size=4, channels=[8, 8, 8, 8, 8], keypoints=4, cond_dim=32,
            expert_width=32, expert_blocks=1,
        )
    )  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(
    *args: object, nproc: int | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(WORKER), *map(str, args)]
    if nproc is not None:
        cmd[1:1] = [
            "-m", "torch.distributed.run", "--nnodes=1", f"--nproc_per_node={nproc}",
            "--master_addr=127.0.0.1", f"--master_port={_free_port()}",
        ]  # fmt: skip
    env = dict(os.environ, GLOO_SOCKET_IFNAME="lo", OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def _info(folder: Path, rank: int) -> dict:
    return json.loads((folder / f"rank{rank}.json").read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A tiny recording, trained for the same steps by one process and by two."""
    root = tmp_path_factory.mktemp("ddp")
    _run("record", root / "ds")
    _run("train", root / "ds", root / "one", STEPS, BATCH)
    _run("train", root / "ds", root / "two", STEPS, BATCH, nproc=2)
    return root


@pytest.mark.slow
def test_both_ranks_end_with_identical_weights(runs):
    r0, r1 = _info(runs / "two", 0), _info(runs / "two", 1)
    assert (r0["rank"], r1["rank"], r0["world_size"], r1["world_size"]) == (0, 1, 2, 2)
    assert r0["weights_sha256"] == r1["weights_sha256"]
    # ... and that digest is of the model rank 0 saved (only rank 0 writes one)
    assert weights_digest(load_model(runs / "two" / "model")) == r0["weights_sha256"]
    assert "model" in r0 and "model" not in r1
    saved = json.loads((runs / "two" / "model" / "train_info.json").read_text())
    assert saved["world_size"] == 2 and saved["train_config"]["batch_size"] == BATCH


@pytest.mark.slow
def test_two_processes_follow_the_single_process_run(runs):
    one, two = _info(runs / "one", 0), _info(runs / "two", 0)
    assert one["world_size"] == 1
    l1 = [h["loss"] for h in one["history"]]
    l2 = [h["loss"] for h in two["history"]]
    assert len(l1) == len(l2) == STEPS
    np.testing.assert_allclose(l2, l1, rtol=1e-4)  # same global batches, same noise
    a = load_model(runs / "one" / "model").state_dict()
    b = load_model(runs / "two" / "model").state_dict()
    start = _tiny_model().state_dict()
    for k in a:
        # Adam turns rounding-level gradient differences into steps of up to ~lr (3e-3)
        # on weights whose gradient is near zero; most weights agree far more closely.
        assert torch.allclose(a[k], b[k], atol=2e-3), k
    diff = np.mean([float((a[k] - b[k]).abs().mean()) for k in a])
    moved = np.mean([float((a[k] - start[k]).abs().mean()) for k in a if k in start])
    assert diff < 0.02 * moved, (diff, moved)


@pytest.mark.slow
def test_training_resumes_under_torchrun(runs):
    killed = runs / "killed"
    p = _run("train", runs / "ds", killed, STEPS, BATCH, 5, nproc=2, check=False)
    assert p.returncode != 0, p.stdout + p.stderr
    assert not (killed / "model").exists()
    state = json.loads((killed / "checkpoints" / "last" / "training_state.json").read_text())
    assert state["step"] == 4 and state["world_size"] == 2  # saved every 2 steps
    _run("train", runs / "ds", killed, STEPS, BATCH, nproc=2)  # the same command again
    r0, r1 = _info(killed, 0), _info(killed, 1)
    assert r0["resumed_from"] == r1["resumed_from"] == 4
    # the resumed run ends exactly where the uninterrupted two-process run ended
    assert r0["weights_sha256"] == r1["weights_sha256"] == _info(runs / "two", 0)["weights_sha256"]
