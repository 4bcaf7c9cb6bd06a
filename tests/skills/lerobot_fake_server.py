"""A fake LeRobot PolicyServer: the AsyncInference gRPC service, run in its own process.

It behaves as LeRobot's ``lerobot.async_inference.policy_server`` (lerobot 0.6.2) does, with
a small goal-seeking policy instead of a neural network:

* the process has its own ``lerobot.async_inference.helpers`` (dataclasses with LeRobot's
  names and fields), so it reads and writes payloads with plain ``pickle`` exactly as LeRobot
  does, and housemind's client must produce and accept LeRobot's pickles to work with it;
* ``Ready`` forgets queued observations and predicted steps; ``SendPolicyInstructions``
  unpickles a ``RemotePolicyConfig`` (type-checked, policy type among LeRobot's);
  ``SendObservations`` joins the pieces, unpickles the ``TimedObservation`` and queues it
  (queue of one) if it must go, or its step was not predicted and its state moved at least 1
  from the last processed one; ``GetActions`` waits up to ``obs_queue_timeout`` for an
  observation and answers a pickled ``list[TimedAction]`` of torch tensors, with steps
  ``i0 + i`` and times ``t0 + i / fps``, or an empty message;
* the policy drives a point robot (state ``x``, ``y``) toward the spot named in the task
  (``go to the table``), at most 1 m/s, as a chunk of ``[vx, vy, 0]`` actions.

Usage: ``python lerobot_fake_server.py --spots JSON --record FILE [--mode evil]``; prints
``PORT <n>`` when serving. ``--mode evil`` answers GetActions with a pickle that would run a
shell command (to test that the client refuses it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import queue
import sys
import threading
import time
import types
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_POLICIES = ["act", "smolvla", "diffusion", "tdmpc", "vqbet", "pi0", "pi05", "groot"]
HELPERS = "lerobot.async_inference.helpers"


def install_lerobot_lookalikes() -> types.ModuleType:
    """Register ``lerobot.async_inference.helpers`` with LeRobot's three payload classes."""

    @dataclass
    class TimedData:
        timestamp: float
        timestep: int

        def get_timestamp(self) -> float:
            return self.timestamp

        def get_timestep(self) -> int:
            return self.timestep

    @dataclass
    class TimedAction(TimedData):
        action: Any

    @dataclass
    class TimedObservation(TimedData):
        observation: dict
        must_go: bool = False

    @dataclass
    class RemotePolicyConfig:
        policy_type: str
        pretrained_name_or_path: str
        lerobot_features: dict
        actions_per_chunk: int
        device: str = "cpu"
        rename_map: dict = field(default_factory=dict)

    helpers = types.ModuleType(HELPERS)
    for cls in (TimedData, TimedAction, TimedObservation, RemotePolicyConfig):
        cls.__module__ = HELPERS
        cls.__qualname__ = cls.__name__
        setattr(helpers, cls.__name__, cls)
    for name in ("lerobot", "lerobot.async_inference"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules[HELPERS] = helpers
    return helpers


class Evil:
    """Unpickling this runs a shell command (what the client must never do)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def serve(args: argparse.Namespace) -> None:
    import grpc
    import torch

    from housemind.skills.policies import lerobot_services_pb2 as pb
    from housemind.skills.policies import lerobot_services_pb2_grpc as pb_grpc

    helpers = install_lerobot_lookalikes()
    spots = json.loads(args.spots)
    record = open(args.record, "a", buffering=1)  # noqa: SIM115 - lives as long as the server

    def log(**event: Any) -> None:
        record.write(json.dumps(event, default=str) + "\n")

    class FakePolicyServer(pb_grpc.AsyncInferenceServicer):
        def __init__(self) -> None:
            self.obs_queue: queue.Queue = queue.Queue(maxsize=1)
            self.predicted: set[int] = set()
            self.lock = threading.Lock()
            self.last_processed = None
            self.config = None

        def Ready(self, request, context):  # noqa: N802
            with self.lock:
                self.obs_queue = queue.Queue(maxsize=1)
                self.predicted = set()
            log(event="ready")
            return pb.Empty()

        def SendPolicyInstructions(self, request, context):  # noqa: N802
            cfg = pickle.loads(request.data)
            if not isinstance(cfg, helpers.RemotePolicyConfig):
                raise TypeError(f"Policy specs must be a RemotePolicyConfig. Got {type(cfg)}")
            if cfg.policy_type not in SUPPORTED_POLICIES:
                raise ValueError(f"Policy type {cfg.policy_type} not supported")
            self.config = cfg
            log(
                event="instructions",
                cls=f"{type(cfg).__module__}.{type(cfg).__qualname__}",
                policy_type=cfg.policy_type,
                pretrained=cfg.pretrained_name_or_path,
                features=cfg.lerobot_features,
                actions_per_chunk=cfg.actions_per_chunk,
                device=cfg.device,
                rename_map=cfg.rename_map,
            )
            return pb.Empty()

        def _state(self, obs) -> list[float]:
            names = self.config.lerobot_features["observation.state"]["names"]
            return [float(obs.observation[n]) for n in names]

        def SendObservations(self, request_iterator, context):  # noqa: N802
            buf = b""
            for piece in request_iterator:
                if piece.transfer_state == pb.TRANSFER_BEGIN:
                    buf = piece.data
                elif piece.transfer_state in (pb.TRANSFER_MIDDLE, pb.TRANSFER_END):
                    buf += piece.data
                else:
                    raise ValueError(f"unknown transfer state {piece.transfer_state}")
            obs = pickle.loads(buf)
            assert isinstance(obs, helpers.TimedObservation), type(obs)
            with self.lock:
                predicted = obs.get_timestep() in self.predicted
            similar = self.last_processed is not None and (
                math.dist(self._state(obs), self._state(self.last_processed)) < 1.0
            )
            go = obs.must_go or self.last_processed is None or not (predicted or similar)
            image_keys = [k for k, v in obs.observation.items() if hasattr(v, "shape")]
            log(
                event="observation",
                timestep=obs.timestep,
                must_go=obs.must_go,
                task=obs.observation.get("task"),
                image_keys=image_keys,
                image_shape=[list(obs.observation[k].shape) for k in image_keys],
                enqueued=go,
            )
            if go:
                if self.obs_queue.full():
                    self.obs_queue.get_nowait()
                self.obs_queue.put(obs)
            return pb.Empty()

        def GetActions(self, request, context):  # noqa: N802
            started = time.perf_counter()
            try:
                obs = self.obs_queue.get(timeout=args.obs_queue_timeout)
            except queue.Empty:
                return pb.Empty()
            if args.mode == "evil":
                return pb.Actions(data=pickle.dumps([Evil(args.marker)]))
            with self.lock:
                self.predicted.add(obs.get_timestep())
            self.last_processed = obs
            chunk = self.predict(obs)
            dt = 1.0 / args.fps
            actions = [
                helpers.TimedAction(
                    timestamp=obs.get_timestamp() + i * dt,
                    timestep=obs.get_timestep() + i,
                    action=a,
                )
                for i, a in enumerate(list(chunk))
            ]
            log(event="actions", n=len(actions), first_timestep=obs.get_timestep())
            time.sleep(max(0.0, args.inference_latency - (time.perf_counter() - started)))
            return pb.Actions(data=pickle.dumps(actions))

        def predict(self, obs) -> torch.Tensor:
            x, y = self._state(obs)[:2]
            task = obs.observation.get("task", "")
            goal = next((xy for name, xy in spots.items() if task.endswith(f"the {name}")), None)
            n = self.config.actions_per_chunk
            out = torch.zeros(n, 3)
            if goal is None:
                return out
            step = 1.0 / 50.0  # metres per tick of a unit action at 1 m/s and 50 Hz
            for i in range(n):
                dx, dy = goal[0] - x, goal[1] - y
                d = math.hypot(dx, dy)
                if d < 0.3:
                    break
                v = min(1.0, d / step)
                out[i, 0], out[i, 1] = dx / d * v, dy / d * v
                x, y = x + dx / d * v * step, y + dy / d * v * step
            return out

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    pb_grpc.add_AsyncInferenceServicer_to_server(FakePolicyServer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"PORT {port}", flush=True)
    server.wait_for_termination()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--spots", default='{"table": [2.0, 0.0], "sink": [0.0, 3.0]}')
    p.add_argument("--record", required=True)
    p.add_argument("--mode", choices=("normal", "evil"), default="normal")
    p.add_argument("--marker", default="")
    p.add_argument("--fps", type=float, default=30.0)
    p.add_argument("--inference-latency", type=float, default=1 / 30)
    p.add_argument("--obs-queue-timeout", type=float, default=2.0)
    serve(p.parse_args())


if __name__ == "__main__":
    main()
