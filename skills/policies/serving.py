"""Serve a policy over openpi's websocket protocol, so one GPU host serves many homes.

The protocol is openpi's (``openpi.serving.websocket_policy_server``), so openpi's own client
(``openpi_client.websocket_client_policy``) and housemind's openpi backend both talk to it:

* ``GET /healthz`` answers ``200 OK`` (no websocket needed);
* on connect the server sends the policy's metadata, msgpack-numpy packed;
* each binary frame from the client is a msgpack-numpy observation dict; the server answers
  with the policy's output dict (``{"actions": float32[H, A], ...}``) plus
  ``"server_timing": {"infer_ms": ..., "prev_total_ms": ...}``;
* if the policy raises, the server sends the traceback as a text frame and closes the
  connection with code 1011 (internal error); other connections go on.

One thread serves each connection; inference is serialised by a lock unless the policy says
it is thread-safe (``concurrent = True``), because most models are not.

What is served is a :class:`ServedPolicy`: ``metadata`` and ``infer(obs) -> dict``. Any
housemind :class:`~housemind.skills.policies.Policy` becomes one through
:class:`HousemindServedPolicy`, which rebuilds the :class:`~housemind.skills.types.Observation`
from housemind's wire keys (:mod:`housemind.skills.policies.wire`) and keeps one policy per
client session (subtask). Checkpoints (``config.json`` with a ``"type"`` + weights) load
through :func:`load_checkpoint_policy`; a policy family adds its loader with
:func:`register_checkpoint_loader`.
"""

from __future__ import annotations

import http
import importlib
import json
import logging
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from housemind.skills.policies import wire
from housemind.skills.policies.base import Policy, PolicyError

__all__ = [
    "DEFAULT_OBSERVATION_KEYS",
    "HousemindServedPolicy",
    "PolicyServer",
    "ServedPolicy",
    "checkpoint_types",
    "load_checkpoint_policy",
    "register_checkpoint_loader",
]

logger = logging.getLogger(__name__)

#: What a housemind policy sees (no privileged simulator state).
DEFAULT_OBSERVATION_KEYS = (
    wire.IMAGE,
    wire.STATE,
    wire.PROPRIO,
    wire.DETECTIONS,
    wire.TIME,
    wire.PROMPT,
    wire.SKILL,
    wire.SESSION,
)


@runtime_checkable
class ServedPolicy(Protocol):
    """What :class:`PolicyServer` serves (openpi's ``BasePolicy`` has the same ``infer``).

    Attributes:
        metadata: Sent to every client on connect (msgpack-able values only).
    """

    metadata: dict[str, Any]

    def infer(self, obs: dict[str, Any]) -> dict[str, Any]:
        """Return at least ``{"actions": float32[H, A]}`` for one observation dict."""
        ...


#: ``make_policy(skill, args, request) -> Policy`` for a new session.
PolicyMaker = Callable[[str, dict[str, Any], dict[str, Any]], Policy]


class HousemindServedPolicy:
    """Serve housemind :class:`Policy` objects: one per client session, keyed by its id.

    A session is one subtask of one robot (the openpi backend sends a fresh
    ``housemind/session`` id after every ``reset``); its policy is made by ``make_policy``
    from the skill and arguments in the request, reset, and asked for chunks until the
    session ends. A policy that knows it cannot succeed raises
    :class:`~housemind.skills.policies.PolicyError`; the answer then carries
    ``"policy_error"`` and no actions, and the client fails the subtask with that reason. A
    policy's ``done`` attribute (see :class:`Policy`; True for policies without one) is sent
    as ``"done"`` with every chunk, and the metadata says ``"reports_done": True``. A
    per-session policy may define ``update_from_request(request)``, called before each chunk
    with the raw request (e.g. to read privileged simulator state).

    Args:
        make_policy: Builds the policy for a new session.
        name: Reported in the metadata.
        action_dim: Entries of one action (in the metadata; clients check it).
        action_horizon: Actions per chunk, if fixed (in the metadata).
        observation_keys: The keys the policy needs (in the metadata: clients send only these).
        max_sessions: Sessions kept; the least recently used beyond this are dropped.
        extra_metadata: More metadata.
    """

    concurrent = False

    def __init__(
        self,
        make_policy: PolicyMaker,
        *,
        name: str,
        action_dim: int,
        action_horizon: int | None = None,
        observation_keys: tuple[str, ...] = DEFAULT_OBSERVATION_KEYS,
        max_sessions: int = 1024,
        extra_metadata: dict[str, Any] | None = None,
    ) -> None:
        self._make = make_policy
        self.action_dim = int(action_dim)
        self.max_sessions = max_sessions
        self.metadata: dict[str, Any] = {
            "wire": wire.WIRE_VERSION,
            "policy": name,
            "action_dim": self.action_dim,
            "observation_keys": list(observation_keys),
            "reports_done": True,
            **({"action_horizon": int(action_horizon)} if action_horizon else {}),
            **(extra_metadata or {}),
        }
        self._sessions: OrderedDict[str, Policy] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def sessions(self) -> int:
        """Sessions held now."""
        return len(self._sessions)

    def _policy_for(self, request: dict[str, Any]) -> Policy:
        session = str(request.get(wire.SESSION) or "default")
        with self._lock:
            policy = self._sessions.get(session)
            if policy is not None:
                self._sessions.move_to_end(session)
                return policy
        skill = request.get(wire.SKILL) or {}
        if not isinstance(skill, dict):
            raise wire.WireError(f"{wire.SKILL!r} must be a dict {{name, args}}, got {skill!r}")
        policy = self._make(str(skill.get("name") or ""), dict(skill.get("args") or {}), request)
        policy.reset()
        with self._lock:
            self._sessions[session] = policy
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        return policy

    def infer(self, obs: dict[str, Any]) -> dict[str, Any]:
        """One chunk for one request (see the class docstring).

        Raises:
            WireError: if the request lacks what a housemind policy needs.
        """
        observation, prompt = wire.observation_from_wire(obs)
        try:
            policy = self._policy_for(obs)
            update = getattr(policy, "update_from_request", None)
            if update is not None:
                update(obs)
            chunk = np.asarray(policy.predict_chunk(observation, prompt), dtype=np.float32)
        except PolicyError as e:
            return {"actions": np.zeros((0, self.action_dim), np.float32), "policy_error": str(e)}
        if chunk.ndim != 2 or chunk.shape[1] != self.action_dim:
            raise ValueError(
                f"served policy returned a chunk of shape {chunk.shape}; expected "
                f"[H, {self.action_dim}]"
            )
        # A controller that knows when it has finished says so (see Policy); others are
        # done whenever the skill's facts hold.
        return {"actions": chunk, "done": bool(getattr(policy, "done", True))}


class PolicyServer:
    """openpi's websocket policy protocol (see the module docstring) on ``host:port``.

    Args:
        policy: What to serve.
        host: Interface to listen on; ``127.0.0.1`` by default: listen on other interfaces
            (``0.0.0.0``) only on a network you trust, and with an API key.
        port: TCP port; 0 picks a free one (see :attr:`port`).
        api_key: If set, websocket clients must send ``Authorization: Api-Key <key>`` (the
            header openpi's client sends); ``/healthz`` stays open.
    """

    def __init__(
        self,
        policy: ServedPolicy,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        api_key: str | None = None,
    ) -> None:
        self.policy = policy
        self.host = host
        self.api_key = api_key
        self._requested_port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._infer_lock = (
            None if getattr(policy, "concurrent", False) else threading.Lock()
        )  # most models are not thread-safe
        self.requests = 0
        self._count_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------

    def _bind(self) -> None:
        from websockets.sync.server import serve

        if self._server is not None:
            return
        self._server = serve(
            self._handle,
            self.host,
            self._requested_port,
            compression=None,
            max_size=None,
            process_request=self._process_request,
        )

    @property
    def port(self) -> int:
        """The port the server listens on (binds first if needed)."""
        self._bind()
        return int(self._server.socket.getsockname()[1])

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C)."""
        self._bind()
        logger.info("serving %s on %s:%d", self.policy.metadata, self.host, self.port)
        self._server.serve_forever()

    def start(self) -> PolicyServer:
        """Serve on a background thread (tests, benchmarks); returns self."""
        self._bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="housemind-policy-server", daemon=True
        )
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop serving and close every connection."""
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> PolicyServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- protocol ----------------------------------------------------------------------

    def _process_request(self, connection: Any, request: Any) -> Any:
        if request.path == "/healthz":
            return connection.respond(http.HTTPStatus.OK, "OK\n")
        if self.api_key is not None:
            got = request.headers.get("Authorization", "")
            if got != f"Api-Key {self.api_key}":
                logger.warning("rejected a client without the right API key")
                return connection.respond(http.HTTPStatus.UNAUTHORIZED, "API key required\n")
        return None

    def _infer(self, obs: dict[str, Any]) -> dict[str, Any]:
        if self._infer_lock is None:
            return self.policy.infer(obs)
        with self._infer_lock:
            return self.policy.infer(obs)

    def _handle(self, websocket: Any) -> None:
        from openpi_client import msgpack_numpy
        from websockets.exceptions import ConnectionClosed
        from websockets.frames import CloseCode

        packer = msgpack_numpy.Packer()
        peer = websocket.remote_address
        logger.info("policy client %s connected", peer)
        websocket.send(packer.pack(self.policy.metadata))
        prev_total_ms: float | None = None
        while True:
            try:
                message = websocket.recv()
            except ConnectionClosed:
                logger.info("policy client %s disconnected", peer)
                return
            start = time.monotonic()
            try:
                if isinstance(message, str):
                    raise TypeError("expected a binary msgpack frame, got text")
                obs = msgpack_numpy.unpackb(message)
                t0 = time.monotonic()
                result = dict(self._infer(obs))
                timing = {"infer_ms": (time.monotonic() - t0) * 1000.0}
                if prev_total_ms is not None:
                    timing["prev_total_ms"] = prev_total_ms
                result["server_timing"] = timing
                websocket.send(packer.pack(result))
            except ConnectionClosed:
                return
            except Exception:  # noqa: BLE001 - report to this client, keep serving others
                logger.exception("policy failed for client %s", peer)
                try:
                    websocket.send(traceback.format_exc())
                    websocket.close(
                        CloseCode.INTERNAL_ERROR,
                        "Internal server error. Traceback included in previous frame.",
                    )
                except ConnectionClosed:
                    pass
                return
            with self._count_lock:
                self.requests += 1
            prev_total_ms = (time.monotonic() - start) * 1000.0


# -- checkpoints ----------------------------------------------------------------------------

#: ``loader(folder, config) -> ServedPolicy`` for a checkpoint whose config has that type.
CheckpointLoader = Callable[[Path, dict[str, Any]], ServedPolicy]
_LOADERS: dict[str, CheckpointLoader] = {}
#: Types whose loader lives in a module imported on first use.
_LOADER_MODULES: dict[str, str] = {}


def register_checkpoint_loader(
    checkpoint_type: str,
) -> Callable[[CheckpointLoader], CheckpointLoader]:
    """Register how to serve checkpoints whose ``config.json`` says ``"type": checkpoint_type``."""

    def deco(loader: CheckpointLoader) -> CheckpointLoader:
        _LOADERS[checkpoint_type] = loader
        return loader

    return deco


def checkpoint_types() -> list[str]:
    """Checkpoint types that :func:`load_checkpoint_policy` can serve."""
    return sorted(set(_LOADERS) | set(_LOADER_MODULES))


def load_checkpoint_policy(path: str | Path) -> ServedPolicy:
    """Load a checkpoint folder (``config.json`` with ``"type"`` + weights) for serving.

    Raises:
        ValueError: if the folder is missing, has no readable config, or its type has no
            loader (with the known types).
    """
    folder = Path(path).expanduser()
    config_path = folder / "config.json"
    if not folder.is_dir():
        raise ValueError(f"checkpoint {str(folder)!r} is not a folder (config.json + weights)")
    try:
        config = json.loads(config_path.read_text())
    except OSError:
        raise ValueError(f"checkpoint {str(folder)!r} has no config.json") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{str(config_path)!r} is not valid JSON: {e}") from None
    kind = config.get("type") if isinstance(config, dict) else None
    if kind not in _LOADERS and kind in _LOADER_MODULES:
        importlib.import_module(_LOADER_MODULES[kind])
    loader = _LOADERS.get(kind) if isinstance(kind, str) else None
    if loader is None:
        raise ValueError(
            f"{str(config_path)!r} has type {kind!r}, which housemind cannot serve; "
            f"known types: {', '.join(checkpoint_types())}"
        )
    return loader(folder, config)


@register_checkpoint_loader("housemind_linear")
def _load_linear(folder: Path, config: dict[str, Any]) -> ServedPolicy:
    from housemind.skills.policies.linear import load_linear_checkpoint

    policy = load_linear_checkpoint(folder)
    return HousemindServedPolicy(
        lambda skill, args, request: policy,  # stateless: one object serves every session
        name=f"housemind_linear:{folder.name}",
        action_dim=policy.action_dim,
        action_horizon=policy.horizon,
    )
