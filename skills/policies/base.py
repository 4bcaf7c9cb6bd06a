"""The policy contract: anything that turns observations and an instruction into actions."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl, urlsplit

import numpy as np

if TYPE_CHECKING:
    from housemind.skills.spec import SkillSpec
    from housemind.skills.types import Observation, RobotEnv

__all__ = [
    "Policy",
    "PolicyError",
    "PolicyFactory",
    "PolicySpec",
    "backend_supports",
    "close_resolved_policies",
    "get_policy_factory",
    "parse_policy_spec",
    "policy_backends",
    "policy_schemes",
    "register_policy",
    "register_policy_scheme",
    "resolve_policy",
]


class PolicyError(RuntimeError):
    """A policy knows it cannot carry out its instruction (e.g. the target is unreachable).

    The executor turns it into a failed outcome at once instead of waiting for a timeout.
    """


@runtime_checkable
class Policy(Protocol):
    """System 1: produces continuous action chunks at a fixed control rate.

    A policy that knows when it has finished (a controller, e.g. a navigation expert that
    ends with a 360° scan of the room) may also expose a boolean ``done`` attribute; the
    executor then declares success only when the skill's success facts hold *and*
    ``done`` is true. Learned policies usually have no such signal and omit it.

    A policy that never reads ``obs.image`` (a privileged controller) may set
    ``uses_image = False``: between its chunks the executor then asks an environment whose
    ``observe`` takes ``image=False`` for observations without a rendered camera image
    (an empty ``uint8[0, 0, 3]``). A subtask's first and last observations always have one.
    """

    def reset(self) -> None:
        """Forget any internal state before a new subtask."""
        ...

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """Return the next actions, ``float32[H, A]`` with ``H >= 1``.

        Raises:
            PolicyError: if the policy knows it cannot succeed.
        """
        ...


#: Builds a policy for one subtask: ``factory(spec, args, env) -> Policy``.
PolicyFactory = Callable[["SkillSpec", dict[str, Any], "RobotEnv"], Policy]

_BACKENDS: dict[str, PolicyFactory] = {}
_SUPPORTS: dict[str, Callable[[SkillSpec], bool]] = {}


def register_policy(
    name: str, *, supports: Callable[[SkillSpec], bool] | None = None
) -> Callable[[PolicyFactory], PolicyFactory]:
    """Register a policy backend factory under ``name`` (decorator).

    Args:
        name: The backend's name (what ``SkillSpec.policy`` and ``--policy`` say).
        supports: Which skills the backend can run (default: all); a policy override
            such as ``--policy vla`` moves only those skills to it.
    """

    def deco(factory: PolicyFactory) -> PolicyFactory:
        _BACKENDS[name] = factory
        if supports is not None:
            _SUPPORTS[name] = supports
        else:
            _SUPPORTS.pop(name, None)
        return factory

    return deco


def backend_supports(name: str, spec: SkillSpec) -> bool:
    """Whether backend ``name`` can run skill ``spec`` (unknown backends cannot).

    A remote spec (``openpi://HOST:PORT``) runs whatever it is asked: it supports every
    skill.
    """
    if "://" in name:
        return True
    if name not in _BACKENDS:
        return False
    check = _SUPPORTS.get(name)
    return True if check is None else bool(check(spec))


def policy_backends() -> list[str]:
    """Names of the registered policy backends."""
    return sorted(_BACKENDS)


def get_policy_factory(name: str) -> PolicyFactory:
    """Look up a registered policy backend, or resolve a policy spec with a scheme.

    ``name`` is a backend name (``"scripted"``) or a spec such as
    ``"openpi://gpu-host:8000"`` (see :func:`resolve_policy`), so a skill may name a remote
    policy in its ``policy=`` too.

    Raises:
        KeyError: with the known names, if ``name`` is not registered.
        ValueError: if ``name`` is a malformed spec.
    """
    if "://" in name:
        return resolve_policy(name)
    try:
        return _BACKENDS[name]
    except KeyError:
        raise KeyError(
            f"unknown policy backend {name!r}; registered: {', '.join(policy_backends())}"
        ) from None


# -- policy specs: "scheme://host:port?option=value" ---------------------------------------

#: Built-in schemes and the modules that register them on first use (their dependencies,
#: websockets or grpc, are imported only then: importing housemind.skills stays light).
_SCHEME_MODULES = {
    "openpi": "housemind.skills.policies.openpi",
    "lerobot": "housemind.skills.policies.lerobot",
}
#: Builds a backend for a spec: ``builder(spec) -> PolicyFactory``.
SchemeBuilder = Callable[["PolicySpec"], PolicyFactory]
_SCHEMES: dict[str, SchemeBuilder] = {}
_RESOLVED: dict[str, PolicyFactory] = {}
_RESOLVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class PolicySpec:
    """A parsed policy spec: a backend name, or a remote backend with an address.

    Attributes:
        scheme: Backend (``"scripted"``, ``"openpi"``, ``"lerobot"``, ...).
        host: Server host for a remote backend (IPv6 without brackets), else ``""``.
        port: Server port for a remote backend, else None.
        options: Query options (``?image_size=224&max_actions=5``), as strings.
        text: The spec as written.
    """

    scheme: str
    host: str = ""
    port: int | None = None
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def remote(self) -> bool:
        """True for a spec with an address (``scheme://host:port``)."""
        return bool(self.host)


def parse_policy_spec(text: str) -> PolicySpec:
    """Parse ``"scripted"`` or ``"openpi://HOST:PORT[?key=value&...]"``.

    Raises:
        ValueError: saying what is wrong with ``text`` and what a good spec looks like.
    """
    text = text.strip()
    example = "e.g. 'scripted' or 'openpi://127.0.0.1:8000'"
    if not text:
        raise ValueError(f"empty policy spec; give a backend name or an address ({example})")
    if "://" not in text:
        if not text.isidentifier():
            raise ValueError(f"malformed policy spec {text!r}; {example}")
        return PolicySpec(scheme=text, text=text)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if not scheme.isidentifier():
        raise ValueError(f"malformed policy spec {text!r}: bad scheme {parts.scheme!r}; {example}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(
            f"policy spec {text!r} has a bad port; give a number from 1 to 65535 "
            f"({scheme}://HOST:PORT)"
        ) from None
    host = parts.hostname or ""
    if not host or port is None or port == 0:
        raise ValueError(
            f"policy spec {text!r} needs a host and a port: {scheme}://HOST:PORT "
            f"(e.g. {scheme}://127.0.0.1:8000)"
        )
    if parts.path not in ("", "/") or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"policy spec {text!r} may only have a host, a port and ?options "
            f"({scheme}://HOST:PORT?key=value)"
        )
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise ValueError(
            f"policy spec {text!r} has malformed options {parts.query!r}; "
            "use ?key=value&key2=value2"
        ) from None
    options: dict[str, str] = {}
    for key, value in pairs:
        if key in options:
            raise ValueError(f"policy spec {text!r} gives option {key!r} twice")
        options[key] = value
    return PolicySpec(scheme=scheme, host=host, port=port, options=options, text=text)


def register_policy_scheme(scheme: str) -> Callable[[SchemeBuilder], SchemeBuilder]:
    """Register a builder for specs ``scheme://host:port?...`` (decorator)."""

    def deco(builder: SchemeBuilder) -> SchemeBuilder:
        _SCHEMES[scheme] = builder
        return builder

    return deco


def policy_schemes() -> list[str]:
    """Schemes that :func:`resolve_policy` understands (built-in ones load on first use)."""
    return sorted(set(_SCHEMES) | set(_SCHEME_MODULES))


def resolve_policy(spec: str | PolicySpec) -> PolicyFactory:
    """Turn a policy spec (``--policy``) into a :data:`PolicyFactory`.

    A plain name is a registered backend (:func:`register_policy`). A spec with an address
    (``openpi://gpu-host:8000``, ``lerobot://127.0.0.1:8080?policy_type=act&...``) builds a
    remote backend; the same spec text returns the same factory, so one connection serves
    every subtask of a run.

    Raises:
        ValueError: for a malformed spec or bad options (with what to change).
        KeyError: for an unknown backend or scheme, with the known ones.
    """
    parsed = parse_policy_spec(spec) if isinstance(spec, str) else spec
    if not parsed.remote:
        return get_policy_factory(parsed.scheme)
    with _RESOLVE_LOCK:
        cached = _RESOLVED.get(parsed.text)
        if cached is not None:
            return cached
        builder = _SCHEMES.get(parsed.scheme)
        if builder is None and parsed.scheme in _SCHEME_MODULES:
            importlib.import_module(_SCHEME_MODULES[parsed.scheme])  # registers the scheme
            builder = _SCHEMES.get(parsed.scheme)
        if builder is None:
            raise KeyError(
                f"unknown policy scheme {parsed.scheme!r} in {parsed.text!r}; known: "
                f"{', '.join(policy_schemes())}"
            )
        factory = builder(parsed)
        _RESOLVED[parsed.text] = factory
        return factory


def close_resolved_policies() -> None:
    """Close the connections of every factory :func:`resolve_policy` built (tests, shutdown)."""
    with _RESOLVE_LOCK:
        factories = list(_RESOLVED.values())
        _RESOLVED.clear()
    for factory in factories:
        close = getattr(factory, "close", None)
        if close is not None:
            close()
