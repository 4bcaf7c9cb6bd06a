"""The LeRobot backend: a robot client of LeRobot's async-inference policy server.

LeRobot's ``PolicyServer`` (``python -m lerobot.async_inference.policy_server``, run in
LeRobot's own environment, usually on a GPU host) serves the gRPC service ``AsyncInference``
(``lerobot_services.proto`` beside this file). This backend does what LeRobot's
``RobotClient`` does:

1. ``Ready``, then ``SendPolicyInstructions`` with a ``RemotePolicyConfig`` (policy type,
   checkpoint, the robot's observation features, actions per chunk, device);
2. streams ``TimedObservation`` objects (state, camera image and the task text) with
   ``SendObservations`` whenever its action queue has fallen to ``chunk_size_threshold`` of a
   chunk, marking one ``must_go`` when the queue is empty;
3. fetches chunks with ``GetActions`` on a receiver thread and merges each into the queue as
   LeRobot's client does: actions for steps already executed are dropped, actions for steps
   still queued are blended with ``aggregate`` (LeRobot's ``weighted_average``:
   ``0.3 * old + 0.7 * new``, or ``latest_only``, ``average``, ``conservative``), the rest
   are appended, and the queue becomes the merged chunk.

The executor asks for actions through ``predict_chunk``: each call hands it the queued actions
LeRobot's control loop would execute before sending its next observation (all those above the
threshold; one at a time below it, each with a fresh observation), waiting for the server only
when the queue is empty.

**Pickles.** LeRobot's payloads are Python pickles, and unpickling data from a machine runs
whatever that machine chose. So this backend:

* talks only to the server in the spec the user gave, and refuses any address but this
  machine's (``127.0.0.1``, ``::1``, ``localhost``) unless the spec says
  ``allow_remote_pickle=1`` (only for a server you run and trust, on a network you trust);
* reads the server's answers through an allow-list (:mod:`.lerobot_wire`): LeRobot's
  ``TimedAction`` and the torch functions that rebuild a tensor; anything else is refused.

Spec: ``lerobot://127.0.0.1:8080?policy_type=act&pretrained=user/model`` (all options:
:class:`LeRobotConfig`). LeRobot's server serves one robot at a time; for one GPU host serving
many homes use ``housemind serve policy`` and the openpi backend.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field

from housemind.skills.policies import lerobot_wire as lw
from housemind.skills.policies.base import Policy, PolicyError, PolicySpec, register_policy_scheme
from housemind.skills.policies.remote import ActionMapping, is_loopback, model_from_options

if TYPE_CHECKING:
    from housemind.skills.spec import SkillSpec
    from housemind.skills.types import Observation, RobotEnv

__all__ = [
    "AGGREGATES",
    "STATE_NAMES",
    "LeRobotAsyncClient",
    "LeRobotConfig",
    "LeRobotPolicy",
    "LeRobotPolicyFactory",
    "from_spec",
]

logger = logging.getLogger(__name__)

#: Names of :meth:`Proprio.as_array`'s entries, sent as the robot's state "motors".
STATE_NAMES = ("x", "y", "cos_theta", "sin_theta", "vx", "vy", "wz", "gripper")
#: How a new chunk's action is merged with a queued one for the same step (LeRobot's four).
AGGREGATES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "weighted_average": lambda old, new: 0.3 * old + 0.7 * new,
    "latest_only": lambda old, new: new,
    "average": lambda old, new: 0.5 * old + 0.5 * new,
    "conservative": lambda old, new: 0.7 * old + 0.3 * new,
}
#: LeRobot's transport: messages up to 4 MB, observations sent in pieces of 2 MB.
_MAX_MESSAGE = 4 * 1024 * 1024
_PIECE = 2 * 1024 * 1024
_INSTALL_HINT = "the LeRobot backend needs grpcio and protobuf: pip install 'housemind[remote]'"


class LeRobotConfig(ActionMapping):
    """Options of the LeRobot backend (each is also a ``?key=value`` option of the spec).

    Attributes:
        policy_type: LeRobot policy type the server loads (``act``, ``smolvla``, ``pi0``...).
        pretrained: The checkpoint the server loads (``pretrained_name_or_path``).
        actions_per_chunk: Actions per chunk the server sends.
        device: Where the server runs the policy.
        chunk_size_threshold: Send the next observation when the queue holds at most this
            fraction of a chunk (LeRobot's default 0.5).
        aggregate: How overlapping chunks merge (see the module docstring).
        camera: Name of the camera in the observation (feature
            ``observation.images.<camera>``); ``none`` sends no image.
        state_names: Names of the state entries (feature ``observation.state``).
        rename_map: LeRobot's observation renames for the policy, as ``old:new`` pairs.
        timeout_s: Longest wait for a chunk when the queue is empty.
        allow_remote_pickle: Exchange pickles with a server on another machine (see the
            module docstring: only for a server you run and trust).
    """

    policy_type: str = Field(min_length=1)
    pretrained: str = Field(min_length=1)
    actions_per_chunk: int = Field(default=50, ge=1)
    device: str = "cpu"
    chunk_size_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    aggregate: Literal["weighted_average", "latest_only", "average", "conservative"] = (
        "weighted_average"
    )
    camera: str | None = "front"
    state_names: list[str] = Field(default_factory=lambda: list(STATE_NAMES))
    rename_map: list[str] = Field(default_factory=list)
    timeout_s: float = Field(default=10.0, gt=0)
    allow_remote_pickle: bool = False

    def renames(self) -> dict[str, str]:
        """``rename_map`` as a dict.

        Raises:
            ValueError: for a pair without ``:``.
        """
        out = {}
        for pair in self.rename_map:
            old, sep, new = pair.partition(":")
            if not sep or not old or not new:
                raise ValueError(f"rename_map entries are 'old:new', got {pair!r}")
            out[old] = new
        return out


def _check_address(host: str, config: LeRobotConfig) -> None:
    if is_loopback(host) or config.allow_remote_pickle:
        return
    raise ValueError(
        f"refusing the LeRobot policy server at {host!r}: LeRobot's async inference exchanges "
        "Python pickles, and reading a pickle from another machine runs whatever that "
        "machine sends. Run the server on this machine (127.0.0.1), tunnel to it (e.g. "
        "ssh -L), or, for a server you run and trust on a network you trust, add "
        "?allow_remote_pickle=1 to the spec"
    )


def _pieces(data: bytes, message: Callable[..., Any], states: Any) -> Iterator[Any]:
    """LeRobot's chunked transfer: BEGIN, MIDDLE..., END (one piece alone is END)."""
    sent = 0
    while sent < len(data) or not data:
        piece = data[sent : sent + _PIECE]
        if sent + _PIECE >= len(data):
            state = states.TRANSFER_END
        elif sent == 0:
            state = states.TRANSFER_BEGIN
        else:
            state = states.TRANSFER_MIDDLE
        yield message(transfer_state=state, data=piece)
        sent += len(piece)
        if not data:
            return


class LeRobotAsyncClient:
    """One connection to a LeRobot policy server: the action queue and the receiver thread.

    Args:
        host: Server host.
        port: Server port.
        config: Options.

    Raises:
        ValueError: for an address on another machine without ``allow_remote_pickle``.
    """

    def __init__(self, host: str, port: int, config: LeRobotConfig) -> None:
        _check_address(host, config)
        self.host, self.port, self.config = host, port, config
        self._aggregate = AGGREGATES[config.aggregate]
        self._cond = threading.Condition()
        self._queue: list[lw.TimedAction] = []
        self._latest = -1
        self._chunk_size = -1
        self._must_go = True
        self._generation = 0
        self._error: str | None = None
        self._channel: Any = None
        self._stub: Any = None
        self._pb: Any = None
        self._features: dict[str, Any] | None = None
        self._thread: threading.Thread | None = None
        self._running = threading.Event()
        self.chunks_received = 0
        self.observations_sent = 0

    @property
    def address(self) -> str:
        """``host:port``."""
        h = f"[{self.host}]" if ":" in self.host else self.host
        return f"{h}:{self.port}"

    # -- connection --------------------------------------------------------------------

    def _grpc(self) -> tuple[Any, Any]:
        try:
            import grpc

            from housemind.skills.policies import lerobot_services_pb2 as pb
            from housemind.skills.policies import lerobot_services_pb2_grpc as pb_grpc
        except (ImportError, RuntimeError) as e:  # RuntimeError: grpcio older than the stubs
            raise PolicyError(f"{_INSTALL_HINT} ({e})") from None
        self._pb = pb
        return grpc, pb_grpc

    def start(self, features: dict[str, Any]) -> None:
        """Connect, hand the server its policy instructions, start receiving chunks.

        Raises:
            PolicyError: if the server cannot be reached or refuses the instructions.
        """
        grpc, pb_grpc = self._grpc()
        import json

        retry = {
            "methodConfig": [
                {
                    "name": [{}],
                    "retryPolicy": {
                        "maxAttempts": 5,
                        "initialBackoff": "0.1s",
                        "maxBackoff": "2s",
                        "backoffMultiplier": 2,
                        "retryableStatusCodes": ["UNAVAILABLE", "DEADLINE_EXCEEDED"],
                    },
                }
            ]
        }
        self._channel = grpc.insecure_channel(
            self.address,
            options=[
                ("grpc.max_receive_message_length", _MAX_MESSAGE),
                ("grpc.max_send_message_length", _MAX_MESSAGE),
                ("grpc.enable_retries", 1),
                ("grpc.service_config", json.dumps(retry)),
            ],
        )
        self._stub = pb_grpc.AsyncInferenceStub(self._channel)
        setup = lw.RemotePolicyConfig(
            policy_type=self.config.policy_type,
            pretrained_name_or_path=self.config.pretrained,
            lerobot_features=features,
            actions_per_chunk=self.config.actions_per_chunk,
            device=self.config.device,
            rename_map=self.config.renames(),
        )
        try:
            self._stub.Ready(self._pb.Empty(), timeout=self.config.timeout_s)
            self._stub.SendPolicyInstructions(
                self._pb.PolicySetup(data=lw.dumps(setup)), timeout=max(60.0, self.config.timeout_s)
            )
        except grpc.RpcError as e:
            self.close()
            raise PolicyError(
                f"the LeRobot policy server at {self.address} did not take the policy "
                f"instructions ({e.code().name}: {e.details()}); is it running "
                "(python -m lerobot.async_inference.policy_server)?"
            ) from None
        self._features = features
        self._running.set()
        self._thread = threading.Thread(
            target=self._receive, name="housemind-lerobot-actions", daemon=True
        )
        self._thread.start()
        logger.info("LeRobot policy server %s serves %s", self.address, self.config.policy_type)

    @property
    def started(self) -> bool:
        """True once the policy instructions were sent."""
        return self._features is not None

    def new_session(self) -> None:
        """A new subtask: the server and the queue forget earlier observations and actions."""
        with self._cond:
            self._generation += 1
            self._queue = []
            self._latest = -1
            self._chunk_size = -1
            self._must_go = True
            self._error = None
        if self._stub is not None:
            import grpc

            try:
                self._stub.Ready(self._pb.Empty(), timeout=self.config.timeout_s)
            except grpc.RpcError as e:
                raise PolicyError(
                    f"the LeRobot policy server at {self.address} did not answer Ready "
                    f"({e.code().name})"
                ) from None

    def close(self) -> None:
        """Stop receiving and close the channel."""
        self._running.clear()
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._features = None
        with self._cond:
            self._cond.notify_all()

    # -- the receiver thread -----------------------------------------------------------

    def _receive(self) -> None:
        import grpc

        while self._running.is_set():
            with self._cond:
                generation = self._generation
            try:
                answer = self._stub.GetActions(self._pb.Empty())
            except grpc.RpcError as e:
                if not self._running.is_set():
                    return
                if e.code() == grpc.StatusCode.UNAVAILABLE:
                    with self._cond:
                        self._error = f"lost the LeRobot policy server at {self.address}"
                        self._cond.notify_all()
                logger.warning("GetActions from %s failed: %s", self.address, e.code().name)
                time.sleep(0.05)
                continue
            except ValueError:  # the channel was closed under us
                return
            if not answer.data:
                continue  # the server had no observation to act on yet
            try:
                actions = lw.loads_actions(answer.data)
            except Exception as e:  # noqa: BLE001 - refuse the payload, tell the robot
                with self._cond:
                    self._error = f"refused the LeRobot server's answer: {e}"
                    self._cond.notify_all()
                continue
            with self._cond:
                if generation != self._generation or not actions:
                    continue  # an answer to an earlier subtask
                self._chunk_size = max(self._chunk_size, len(actions))
                self._merge(actions)
                self._must_go = True  # once this queue empties, the next observation must go
                self.chunks_received += 1
                self._cond.notify_all()

    def _merge(self, incoming: list[lw.TimedAction]) -> None:
        queued = {a.timestep: a.action for a in self._queue}
        merged = []
        for a in incoming:
            if a.timestep <= self._latest:
                continue  # already executed
            if a.timestep in queued:
                a = lw.TimedAction(
                    a.timestamp, a.timestep, self._aggregate(queued[a.timestep], a.action)
                )
            merged.append(a)
        self._queue = merged

    # -- the control-loop side ---------------------------------------------------------

    def send_observation(self, raw: dict[str, Any]) -> None:
        """Stream one observation if the queue has fallen to the threshold (LeRobot's rule).

        Raises:
            PolicyError: if the server cannot be reached.
        """
        import grpc

        with self._cond:
            size = len(self._queue)
            if self._chunk_size > 0 and size / self._chunk_size > self.config.chunk_size_threshold:
                return
            must_go = self._must_go and size == 0
            if must_go:
                self._must_go = False
            obs = lw.TimedObservation(
                timestamp=time.time(),  # LeRobot compares it with the server's clock
                timestep=max(self._latest, 0),
                observation=raw,
                must_go=must_go,
            )
        try:
            self._stub.SendObservations(
                _pieces(lw.dumps(obs), self._pb.Observation, self._pb),
                timeout=self.config.timeout_s,
            )
        except grpc.RpcError as e:
            raise PolicyError(
                f"could not send an observation to the LeRobot policy server at "
                f"{self.address} ({e.code().name}: {e.details()})"
            ) from None
        self.observations_sent += 1

    def take(self) -> list[np.ndarray]:
        """The actions to execute now (see the module docstring); waits if the queue is empty.

        Raises:
            PolicyError: if no chunk arrives within ``timeout_s`` or the server failed.
        """
        deadline = time.monotonic() + self.config.timeout_s
        with self._cond:
            while not self._queue:
                if self._error is not None:
                    raise PolicyError(self._error)
                left = deadline - time.monotonic()
                if left <= 0 or not self._running.is_set():
                    raise PolicyError(
                        f"no actions from the LeRobot policy server at {self.address} within "
                        f"{self.config.timeout_s:g} s"
                    )
                self._cond.wait(left)
            size = len(self._queue)
            keep = math.floor(self.config.chunk_size_threshold * self._chunk_size)
            n = size - keep if size > keep else 1
            taken, self._queue = self._queue[:n], self._queue[n:]
            self._latest = taken[-1].timestep
        return [a.action for a in taken]


class LeRobotPolicy:
    """One subtask's policy on a shared :class:`LeRobotAsyncClient`.

    Args:
        client: The connection.
        config: Options.
        action_dim: The robot's action size.
    """

    def __init__(self, client: LeRobotAsyncClient, config: LeRobotConfig, action_dim: int) -> None:
        self.client = client
        self.config = config
        self.action_dim = action_dim

    def reset(self) -> None:
        """Start a new session on the server and an empty action queue."""
        if self.client.started:
            self.client.new_session()

    def raw_observation(self, obs: Observation, instruction: str) -> dict[str, Any]:
        """The robot observation LeRobot's server receives (state names, camera, task)."""
        state = obs.proprio.as_array()
        names = self.config.state_names
        if len(names) != len(state):
            raise PolicyError(
                f"state_names has {len(names)} names for {len(state)} state entries "
                f"({', '.join(STATE_NAMES)})"
            )
        raw: dict[str, Any] = {n: float(v) for n, v in zip(names, state, strict=True)}
        if self.config.camera:
            raw[self.config.camera] = np.ascontiguousarray(obs.image, dtype=np.uint8)
        raw["task"] = instruction
        return raw

    def features(self, obs: Observation) -> dict[str, Any]:
        """LeRobot's dataset features of the observation (``hw_to_dataset_features``)."""
        feats: dict[str, Any] = {
            "observation.state": {
                "dtype": "float32",
                "shape": (len(self.config.state_names),),
                "names": list(self.config.state_names),
            }
        }
        if self.config.camera:
            shape = tuple(int(s) for s in np.asarray(obs.image).shape)
            feats[f"observation.images.{self.config.camera}"] = {
                "dtype": "image",
                "shape": shape,
                "names": ["height", "width", "channels"],
                "info": {"is_depth_map": shape[-1] == 1},
            }
        return feats

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """Send the observation if due, return the actions to execute now.

        Raises:
            PolicyError: if the server cannot be reached, sends nothing in time, or sends
                actions that do not map to the robot's.
        """
        raw = self.raw_observation(obs, instruction)
        if not self.client.started:
            self.client.start(self.features(obs))
        self.client.send_observation(raw)
        return self.config.apply(np.stack(self.client.take()), self.action_dim)


class LeRobotPolicyFactory:
    """A :data:`~housemind.skills.policies.PolicyFactory` for one LeRobot policy server.

    Args:
        host: Server host.
        port: Server port.
        config: Options.

    Raises:
        ValueError: for an address on another machine without ``allow_remote_pickle``.
    """

    def __init__(self, host: str, port: int, config: LeRobotConfig) -> None:
        self.config = config
        self.client = LeRobotAsyncClient(host, port, config)

    def __call__(self, spec: SkillSpec, args: dict[str, Any], env: RobotEnv) -> Policy:
        """A policy for one subtask (the instruction travels as LeRobot's ``task``)."""
        dim = int(getattr(env, "action_dim", 0) or 0)
        if dim < 1:
            raise PolicyError(f"{type(env).__name__} has no action_dim; cannot map actions")
        return LeRobotPolicy(self.client, self.config, dim)

    def close(self) -> None:
        """Stop the receiver thread and close the channel."""
        self.client.close()


@register_policy_scheme("lerobot")
def from_spec(spec: PolicySpec) -> LeRobotPolicyFactory:
    """Build the backend for ``lerobot://HOST:PORT?policy_type=...&pretrained=...``.

    Raises:
        ValueError: for unknown or bad options, or a remote address without
            ``allow_remote_pickle=1``.
    """
    assert spec.port is not None  # a remote spec always has one (parse_policy_spec)
    config = model_from_options(LeRobotConfig, spec.options, what="lerobot")
    return LeRobotPolicyFactory(spec.host, spec.port, config)
