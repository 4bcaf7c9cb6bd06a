"""Benchmark ``housemind serve policy`` with concurrent clients (``housemind bench policy-server``).

The server runs in its own process (``python -m housemind serve policy``), as on a GPU host;
the clients are threads of this process, each with its own websocket and housemind's openpi
backend, sending what a HomeSim robot sends (a 64x64 camera image, proprioception,
detections, the instruction, the skill) and receiving a chunk. Every client first does a few
warm-up requests, then all send as fast as they can for the same number of requests.
Reported: requests per second over all clients, per-request latency (p50, p99, max, as the
client sees it: packing, network, server, unpacking), and the load average.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["run_bench"]


def _start_server(checkpoint: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "housemind", "serve", "policy", "--checkpoint", checkpoint,
         "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    assert proc.stderr is not None
    while time.monotonic() < deadline and proc.poll() is None:
        m = re.search(r"ws://[^:]+:(\d+)", proc.stderr.readline())
        if m:
            return proc, int(m.group(1))
    proc.kill()
    raise RuntimeError("housemind serve policy did not start (see its output)")


def _linear_checkpoint(folder: Path) -> Path:
    from housemind.skills.policies.linear import LinearChunkPolicy, save_linear_checkpoint

    rng = np.random.default_rng(0)
    policy = LinearChunkPolicy(
        rng.normal(size=(7, 8)).astype(np.float32),
        rng.normal(size=7).astype(np.float32),
        np.ones(10, np.float32),
    )
    return save_linear_checkpoint(folder / "linear", policy)


def _percentile(ms: list[float], q: float) -> float:
    return round(float(np.percentile(ms, q)), 3) if ms else 0.0


def _round(clients: int, requests: int, port: int, env: Any) -> dict[str, Any]:
    from housemind.skills import REGISTRY
    from housemind.skills.policies.openpi import OpenPIConfig, OpenPIPolicyFactory

    spec = REGISTRY.get("navigate")
    obs = env.observe()
    factories = [OpenPIPolicyFactory("127.0.0.1", port, OpenPIConfig()) for _ in range(clients)]
    policies = [f(spec, {"target": "sink"}, env) for f in factories]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    start = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        p = policies[i]
        try:
            for _ in range(5):  # warm-up: connect, handshake, first chunks
                p.predict_chunk(obs, "go to the sink")
            start.wait()
            for _ in range(requests):
                t0 = time.perf_counter()
                p.predict_chunk(obs, "go to the sink")
                latencies[i].append((time.perf_counter() - t0) * 1000.0)
        except Exception as e:  # noqa: BLE001 - reported in the result
            errors.append(f"{type(e).__name__}: {e}")
            start.abort()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client failed: reported below
        start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    for f in factories:
        f.close()
    if errors:
        raise RuntimeError(f"policy-server benchmark failed: {errors[0]}")
    ms = [x for lat in latencies for x in lat]
    return {
        "clients": clients,
        "requests": len(ms),
        "wall_s": round(wall, 3),
        "rps": round(len(ms) / wall, 1),
        "p50_ms": _percentile(ms, 50),
        "p99_ms": _percentile(ms, 99),
        "max_ms": round(max(ms), 3),
    }


def run_bench(
    clients: int = 8,
    requests: int = 500,
    checkpoint: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Serve a policy in a subprocess and measure it with 1 and ``clients`` clients.

    Args:
        clients: Concurrent clients of the main round.
        requests: Requests per client (after 5 warm-up requests each).
        checkpoint: What to serve (``--checkpoint``); None: a small linear policy with
            HomeSim's action size, so the numbers measure serving rather than a model.
        progress: Called with a short message before each phase.

    Returns:
        JSON-ready numbers: one round with a single client, one with ``clients``.
    """
    from housemind.sim.home import HomeSimEnv

    say = progress or (lambda msg: None)
    env = HomeSimEnv(seed=0, obs_mode="rgb")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        served = checkpoint or str(_linear_checkpoint(Path(tmp)))
        say("starting housemind serve policy")
        proc, port = _start_server(served)
        try:
            say("1 client")
            single = _round(1, requests, port, env)
            say(f"{clients} clients")
            many = _round(clients, requests, port, env)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return {
        "policy": "linear (7 actions x 10 steps)" if checkpoint is None else checkpoint,
        "request": "HomeSim observation: 64x64 image, proprio, detections, prompt, skill",
        "single_client": single,
        "concurrent": many,
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
    }
