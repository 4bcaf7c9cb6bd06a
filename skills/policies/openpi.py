"""The openpi backend: any openpi policy server, through the ``openpi-client`` package.

openpi's wire protocol (``openpi_client.websocket_client_policy`` and
``openpi.serving.websocket_policy_server``): a websocket without compression or size limit;
on connect the server sends its metadata (a msgpack-numpy dict); then each request is a
msgpack-numpy observation dict and each answer a dict with ``"actions": [H, A]`` (plus
``"server_timing"``); a server error arrives as a text frame with the traceback, after which
the server closes the connection; ``GET /healthz`` answers ``200 OK``. ``housemind serve
policy`` speaks the same protocol (:mod:`housemind.skills.policies.serving`).

Select it with a spec (:func:`housemind.skills.policies.resolve_policy`)::

    openpi://gpu-host:8000                          keys chosen from the server's metadata
    openpi://gpu-host:8000?preset=openpi&image_size=224&max_actions=5
    openpi://gpu-host:8000?image_key=observation/exterior_image_1_left&action_indices=0,1,2

:class:`OpenPIConfig` lists every option: which server key receives the camera image, the
proprioception, the instruction (and, for housemind servers, the detections, the skill and
its arguments), and how the server's action chunk maps back to the robot's action space.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import urllib.error
import urllib.request
import uuid
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field

from housemind.skills.policies import wire
from housemind.skills.policies.base import (
    Policy,
    PolicyError,
    PolicySpec,
    register_policy_scheme,
)
from housemind.skills.policies.remote import ActionMapping, model_from_options

if TYPE_CHECKING:
    from housemind.skills.spec import SkillSpec
    from housemind.skills.types import Observation, RobotEnv

__all__ = [
    "API_KEY_ENV",
    "OpenPIConfig",
    "OpenPIConnection",
    "OpenPIPolicy",
    "OpenPIPolicyFactory",
    "check_health",
    "from_spec",
]

logger = logging.getLogger(__name__)

#: Environment variable holding the API key sent as ``Authorization: Api-Key <key>``
#: (kept out of specs, which end up in logs and shell history).
API_KEY_ENV = "HOUSEMIND_POLICY_API_KEY"
_INSTALL_HINT = (
    "the openpi backend needs openpi-client, msgpack and websockets: "
    "pip install 'housemind[remote]' && pip install --no-deps 'openpi-client>=0.1.2,<0.2'"
)
#: Observation keys of the "openpi" preset: the names openpi's own examples use.
_OPENPI_KEYS = {"image_key": wire.IMAGE, "state_key": wire.STATE, "prompt_key": wire.PROMPT}
#: Observation keys of the "housemind" preset (``housemind serve policy``).
_HOUSEMIND_KEYS = {
    "image_key": wire.IMAGE,
    "state_key": wire.STATE,
    "prompt_key": wire.PROMPT,
    "proprio_key": wire.PROPRIO,
    "detections_key": wire.DETECTIONS,
    "time_key": wire.TIME,
    "skill_key": wire.SKILL,
    "session_key": wire.SESSION,
    "sim_state_key": wire.SIM_STATE,
}
_KEY_FIELDS = tuple(_HOUSEMIND_KEYS)


class OpenPIConfig(ActionMapping):
    """Options of the openpi backend (each is also a ``?key=value`` option of the spec).

    Observation keys left unset come from the preset; set one to ``none`` to leave it out.

    Attributes:
        preset: ``openpi`` (``observation/image``, ``observation/state``, ``prompt``: the
            names of openpi's examples), ``housemind`` (everything a housemind policy sees,
            see :mod:`housemind.skills.policies.wire`), or ``auto``: ``housemind`` when the
            server's metadata names housemind's wire format, else ``openpi``. With
            ``housemind``, only the keys the server lists in its metadata's
            ``observation_keys`` are sent (a simulator's privileged state only to a server
            that asks for it).
        image_key: Key of the egocentric camera image.
        image_size: Resize (with padding, as openpi's ``image_tools``) to a square of this
            many pixels; None sends the camera's own size.
        state_key: Key of the proprioception vector ``[x, y, cos, sin, vx, vy, wz, grip]``.
        prompt_key: Key of the subtask's instruction.
        proprio_key: Key of the full proprioception (held object, room) as a dict.
        detections_key: Key of the detections, a list of dicts.
        time_key: Key of the observation's time (ISO 8601).
        skill_key: Key of ``{"name": skill, "args": {...}}``.
        session_key: Key of an id that changes with every subtask.
        sim_state_key: Key of the simulator's privileged state (JSON text); sent only if the
            environment offers ``get_state()``.
        actions_key: Key of the action chunk in the server's answer.
        connect_timeout_s: Give up connecting (or waiting for the metadata) after this long.
        ping_timeout_s: A connection whose keep-alive pings go unanswered this long is dead.
        mapping_file: A JSON or YAML file with more of these options (the spec's own options
            win).
    """

    preset: Literal["auto", "openpi", "housemind"] = "auto"
    image_key: str | None = None
    image_size: int | None = Field(default=None, ge=8)
    state_key: str | None = None
    prompt_key: str | None = None
    proprio_key: str | None = None
    detections_key: str | None = None
    time_key: str | None = None
    skill_key: str | None = None
    session_key: str | None = None
    sim_state_key: str | None = None
    actions_key: str = "actions"
    connect_timeout_s: float = Field(default=10.0, gt=0)
    ping_timeout_s: float = Field(default=10.0, gt=0)
    mapping_file: str | None = None

    def keys_for(self, metadata: dict[str, Any]) -> dict[str, str | None]:
        """The observation keys to send to a server with ``metadata``."""
        preset = self.preset
        if preset == "auto":
            preset = "housemind" if metadata.get("wire") == wire.WIRE_VERSION else "openpi"
        base: dict[str, str | None] = dict.fromkeys(_KEY_FIELDS)
        if preset == "housemind":
            wanted = metadata.get("observation_keys")
            for k, v in _HOUSEMIND_KEYS.items():
                base[k] = v if wanted is None or v in wanted else None
        else:
            base.update(_OPENPI_KEYS)
        for k in _KEY_FIELDS:
            if k in self.model_fields_set:
                base[k] = getattr(self, k)
        return base


def _load_mapping_file(path: str) -> dict[str, Any]:
    p = Path(path).expanduser()
    try:
        text = p.read_text()
    except OSError as e:
        raise ValueError(f"cannot read openpi mapping_file {str(p)!r}: {e.strerror}") from None
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"openpi mapping_file {str(p)!r} must hold a mapping of options")
    return {str(k): v for k, v in data.items()}


def config_from_options(options: dict[str, str]) -> OpenPIConfig:
    """Build :class:`OpenPIConfig` from a spec's options (and its ``mapping_file``).

    Raises:
        ValueError: for an unknown option or a bad value.
    """
    cfg = model_from_options(OpenPIConfig, options, what="openpi")
    if cfg.mapping_file is None:
        return cfg
    from_file = _load_mapping_file(cfg.mapping_file)
    explicit = {k: getattr(cfg, k) for k in cfg.model_fields_set}
    try:
        return OpenPIConfig.model_validate({**from_file, **explicit})
    except ValueError as e:
        raise ValueError(f"bad openpi mapping_file {cfg.mapping_file!r}: {e}") from None


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def check_health(host: str, port: int, timeout_s: float = 2.0) -> None:
    """Ask the server's ``/healthz``; return if a server answers there.

    An openpi server answers ``200 OK``; an older one without the health check answers
    the plain HTTP request with an error status, which still shows that it is up.

    Raises:
        PolicyError: if nothing answers at ``host:port`` (with what to check).
    """
    url = f"http://{_host_for_url(host)}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as r:  # noqa: S310 - http only
            if r.status == HTTPStatus.OK:
                return
    except urllib.error.HTTPError:
        return  # a server is there, it just has no health check
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise PolicyError(
            f"no openpi policy server at {host}:{port} (GET /healthz: {reason}); start one "
            f"(e.g. 'housemind serve policy --port {port}') or fix the address"
        ) from None


class OpenPIConnection:
    """One websocket to an openpi server, shared by the subtasks of a run.

    Connects on first use, reconnects once if the connection dropped, serialises requests
    (one websocket carries one request at a time).

    Args:
        host: Server host.
        port: Server port.
        connect_timeout_s: See :class:`OpenPIConfig`.
        ping_timeout_s: See :class:`OpenPIConfig`.
        api_key: Sent as ``Authorization: Api-Key <key>``; None reads :data:`API_KEY_ENV`.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        connect_timeout_s: float = 10.0,
        ping_timeout_s: float = 10.0,
        api_key: str | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.connect_timeout_s = connect_timeout_s
        self.ping_timeout_s = ping_timeout_s
        self.api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV) or None
        self._client: Any = None
        # Read without the lock (the control loop asks while a request is in flight).
        self._metadata: dict[str, Any] | None = None
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        """``host:port``."""
        return f"{self.host}:{self.port}"

    def _connect(self) -> Any:
        check_health(self.host, self.port, timeout_s=self.connect_timeout_s)
        cls = _bounded_client_class()
        try:
            client = cls(
                _host_for_url(self.host),
                self.port,
                api_key=self.api_key,
                open_timeout=self.connect_timeout_s,
                ping_timeout=self.ping_timeout_s,
            )
        except Exception as e:  # noqa: BLE001 - any failure to connect is the same to the robot
            raise PolicyError(
                f"could not connect to the openpi policy server at {self.address}: "
                f"{type(e).__name__}: {e}"
            ) from None
        logger.info("connected to openpi server %s, metadata %s", self.address, client.metadata)
        self._metadata = dict(client.metadata)
        return client

    @property
    def metadata(self) -> dict[str, Any]:
        """The server's metadata (connects if needed).

        Raises:
            PolicyError: if the server cannot be reached.
        """
        meta = self._metadata
        if meta is None:  # not connected yet (kept after a reconnect: same server)
            with self._lock:
                if self._client is None:
                    self._client = self._connect()
                meta = self._metadata = dict(self._client.metadata)
        return meta

    def infer(self, obs: dict[str, Any]) -> dict[str, Any]:
        """Send one observation, return the server's answer.

        Raises:
            PolicyError: if the server cannot be reached or answers with an error.
        """
        from websockets.exceptions import ConnectionClosed

        with self._lock:
            for attempt in (1, 2):
                if self._client is None:
                    self._client = self._connect()
                try:
                    return self._client.infer(obs)
                except ConnectionClosed as e:
                    self._drop()
                    if attempt == 2:
                        raise PolicyError(
                            f"the openpi policy server at {self.address} closed the "
                            f"connection twice ({e}); is it restarting?"
                        ) from None
                    logger.warning("openpi server %s closed the connection; reconnecting", e)
                except RuntimeError as e:  # openpi-client: the server sent a traceback
                    self._drop()
                    last = str(e).strip().splitlines()[-1] if str(e).strip() else str(e)
                    raise PolicyError(
                        f"the openpi policy server at {self.address} failed: {last}"
                    ) from None
                except OSError as e:
                    self._drop()
                    raise PolicyError(
                        f"lost the openpi policy server at {self.address}: {e}"
                    ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            finally:
                self._client = None

    def close(self) -> None:
        """Close the websocket (a later request reconnects)."""
        with self._lock:
            self._drop()


def _bounded_client_class() -> type:
    """openpi-client's ``WebsocketClientPolicy``, bounded in how long it waits for a server.

    The package's client retries a refused connection every 5 s, forever; a robot should
    rather fail the subtask and tell the planner. Everything else (the URI and API-key
    header, msgpack-numpy packing, the metadata handshake, error frames) is the package's.
    """
    try:
        import websockets.sync.client
        from openpi_client import msgpack_numpy
        from openpi_client.websocket_client_policy import WebsocketClientPolicy
    except ImportError as e:
        raise PolicyError(f"{_INSTALL_HINT} ({e})") from None

    class BoundedWebsocketClientPolicy(WebsocketClientPolicy):
        def __init__(
            self,
            host: str,
            port: int,
            *,
            api_key: str | None,
            open_timeout: float,
            ping_timeout: float,
        ) -> None:
            self._open_timeout = open_timeout
            self._ping_timeout = ping_timeout
            super().__init__(host=host, port=port, api_key=api_key)

        def _wait_for_server(self):  # one bounded try instead of a wait without end
            headers = {"Authorization": f"Api-Key {self._api_key}"} if self._api_key else None
            conn = websockets.sync.client.connect(
                self._uri,
                compression=None,
                max_size=None,
                additional_headers=headers,
                open_timeout=self._open_timeout,
                ping_interval=self._ping_timeout,
                ping_timeout=self._ping_timeout,
            )
            try:
                first = conn.recv(timeout=self._open_timeout)
                if isinstance(first, str):
                    raise RuntimeError(f"the server sent an error instead of metadata: {first}")
                return conn, msgpack_numpy.unpackb(first)
            except BaseException:
                conn.close()
                raise

        @property
        def metadata(self) -> dict:
            return self.get_server_metadata()

        def close(self) -> None:
            self._ws.close()

    return BoundedWebsocketClientPolicy


class OpenPIPolicy:
    """One subtask's policy: maps observations to the server's keys and chunks back.

    Args:
        connection: The shared connection.
        config: Key and action mapping.
        action_dim: The robot's action size.
        skill: Skill name (sent under ``skill_key``).
        args: Skill arguments.
        env: The robot or simulator (for ``sim_state_key``: its ``get_state()``).
    """

    def __init__(
        self,
        connection: OpenPIConnection,
        config: OpenPIConfig,
        action_dim: int,
        skill: str = "",
        args: dict[str, Any] | None = None,
        env: Any = None,
    ) -> None:
        self.connection = connection
        self.config = config
        self.action_dim = action_dim
        self.skill = skill
        self.args = dict(args or {})
        self.env = env
        self.session = uuid.uuid4().hex
        self.last_response: dict[str, Any] = {}
        self._keys: dict[str, str | None] | None = None

    def reset(self) -> None:
        """Start a new session: the server's per-subtask state starts afresh."""
        self.session = uuid.uuid4().hex
        self.last_response = {}

    @property
    def done(self) -> bool:
        """The served policy's ``done`` from its last answer (True if it sends none).

        Controllers that know when they have finished (HomeSim's navigation expert ends with
        a look around the room) report it; the executor then waits for it as it would for
        the local controller. Before the first answer of a subtask this is False for a
        server whose metadata says ``reports_done`` (so the executor asks it at least once:
        a subtask whose facts already hold costs one chunk, which such a controller spends
        holding still), else True.
        """
        if not self.last_response:
            try:
                return not self.connection.metadata.get("reports_done", False)
            except PolicyError:
                return False  # unreachable: predict_chunk will fail the subtask with the reason
        return bool(self.last_response.get("done", True))

    def _key_map(self) -> dict[str, str | None]:
        if self._keys is None:
            meta = self.connection.metadata
            server_dim = meta.get("action_dim")
            if (
                isinstance(server_dim, int)
                and self.config.action_indices is None
                and server_dim != self.action_dim
            ):
                raise PolicyError(
                    f"the openpi server at {self.connection.address} serves a policy with "
                    f"{server_dim} action entries, the robot takes {self.action_dim}; give "
                    "action_indices (e.g. ?action_indices=0,1,2) to pick the robot's entries"
                )
            self._keys = self.config.keys_for(meta)
        return self._keys

    def request(self, obs: Observation, instruction: str) -> dict[str, Any]:
        """The observation dict this backend sends for ``obs`` (also used by tests)."""
        keys = self._key_map()
        out: dict[str, Any] = {}
        if keys["image_key"]:
            img = np.asarray(obs.image)
            if self.config.image_size:
                from openpi_client import image_tools

                s = self.config.image_size
                img = image_tools.resize_with_pad(image_tools.convert_to_uint8(img), s, s)
            out[keys["image_key"]] = np.ascontiguousarray(img, dtype=np.uint8)
        if keys["state_key"]:
            out[keys["state_key"]] = obs.proprio.as_array()
        if keys["prompt_key"]:
            out[keys["prompt_key"]] = instruction
        if keys["proprio_key"]:
            out[keys["proprio_key"]] = wire.proprio_to_wire(obs.proprio)
        if keys["detections_key"]:
            out[keys["detections_key"]] = [wire.detection_to_wire(d) for d in obs.detections]
        if keys["time_key"]:
            out[keys["time_key"]] = obs.time.isoformat()
        if keys["skill_key"]:
            out[keys["skill_key"]] = {"name": self.skill, "args": self.args}
        if keys["session_key"]:
            out[keys["session_key"]] = self.session
        if keys["sim_state_key"]:
            get_state = getattr(self.env, "get_state", None)
            if get_state is None:
                raise PolicyError(
                    f"the policy server at {self.connection.address} asks for the "
                    f"simulator's state ({keys['sim_state_key']!r}), and "
                    f"{type(self.env).__name__} has no get_state(); serve a policy that "
                    "acts from observations"
                )
            out[keys["sim_state_key"]] = json.dumps(get_state())
        return out

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """Ask the server for the next chunk and map it to the robot's actions.

        Raises:
            PolicyError: if the server cannot be reached, fails, or its policy gives up.
        """
        response = self.connection.infer(self.request(obs, instruction))
        self.last_response = response
        if not isinstance(response, dict):
            raise PolicyError(
                f"the openpi server at {self.connection.address} answered "
                f"{type(response).__name__}, not a dict"
            )
        if "policy_error" in response:  # a housemind server's policy knows it cannot succeed
            raise PolicyError(str(response["policy_error"]))
        key = self.config.actions_key
        if key not in response:
            raise PolicyError(
                f"the openpi server at {self.connection.address} answered without "
                f"{key!r} (keys: {sorted(response)}); set actions_key"
            )
        return self.config.apply(response[key], self.action_dim)


class OpenPIPolicyFactory:
    """A :data:`~housemind.skills.policies.PolicyFactory` for one openpi server.

    Args:
        host: Server host.
        port: Server port.
        config: Options (defaults: :class:`OpenPIConfig`).
        api_key: See :class:`OpenPIConnection`.
    """

    def __init__(
        self,
        host: str,
        port: int,
        config: OpenPIConfig | None = None,
        *,
        api_key: str | None = None,
    ) -> None:
        self.config = config or OpenPIConfig()
        self.connection = OpenPIConnection(
            host,
            port,
            connect_timeout_s=self.config.connect_timeout_s,
            ping_timeout_s=self.config.ping_timeout_s,
            api_key=api_key,
        )

    def __call__(self, spec: SkillSpec, args: dict[str, Any], env: RobotEnv) -> Policy:
        """A policy for one subtask of skill ``spec`` with ``args`` on ``env``."""
        dim = int(getattr(env, "action_dim", 0) or 0)
        if dim < 1:
            raise PolicyError(f"{type(env).__name__} has no action_dim; cannot map actions")
        return OpenPIPolicy(self.connection, self.config, dim, spec.name, args, env)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


@register_policy_scheme("openpi")
def from_spec(spec: PolicySpec) -> OpenPIPolicyFactory:
    """Build the backend for ``openpi://HOST:PORT?options`` (see :class:`OpenPIConfig`).

    Raises:
        ValueError: for an unknown option or a bad value.
    """
    assert spec.port is not None  # a remote spec always has one (parse_policy_spec)
    return OpenPIPolicyFactory(spec.host, spec.port, config_from_options(spec.options))
