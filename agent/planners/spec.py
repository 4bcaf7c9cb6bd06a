"""Choosing planners: ``--planner`` specs and the config file.

A spec names one backend or a chain, most preferred first::

    symbolic
    litellm:openai/gpt-4o-mini
    litellm:openai/gpt-4o-mini,transformers:/models/smolvlm,symbolic

``name:argument`` passes the argument to the backend's factory (the model for
``litellm``, the path for ``transformers``). Options that are not part of the spec (the
server URL, timeouts, how many camera images) come from the ``[planner]`` table of the
config file, the first of: ``$HOUSEMIND_CONFIG``, ``./housemind.toml``,
``$XDG_CONFIG_HOME/housemind/config.toml`` (``~/.config/housemind/config.toml``)::

    [planner]
    backends = "litellm:openai/qwen2.5-vl,symbolic"
    api_base = "http://127.0.0.1:8000/v1"
    timeout_s = 30

:func:`make_planner` builds the planner; the CLI's ``--planner`` and ``--api-base``
override the file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from housemind.agent.llm import ResponseFormat
from housemind.agent.planners.base import Planner, get_planner, planner_backends

__all__ = [
    "PlannerSettings",
    "PlannerSpecError",
    "config_paths",
    "load_planner_settings",
    "make_planner",
    "parse_planner_spec",
]

#: The default: the offline symbolic planner.
DEFAULT_SPEC = "symbolic"


class PlannerSpecError(ValueError):
    """A planner spec or config file that cannot be used; the message says how to fix it."""


class PlannerSettings(BaseModel):
    """The ``[planner]`` table of the config file (every key optional).

    Attributes:
        backends: The spec (a string, or a list of entries).
        api_base: Server URL for ``litellm`` backends (a local OpenAI-compatible server).
        api_key_env: Name of the environment variable holding the key, when it is not the
            provider's usual one (keys never go in the file).
        timeout_s: Per-request timeout of ``litellm`` backends.
        retries: Extra attempts on transient errors before the chain moves on.
        response_format: ``auto``, ``json_schema``, ``json_object`` or ``none``.
        images: Camera images per request (None: 1 for litellm, vision models 1, text 0).
        temperature: Sampling temperature.
        max_tokens: Reply length limit of ``litellm`` backends.
        max_new_tokens: Reply length limit of ``transformers`` backends.
        device: torch device of ``transformers`` backends.
        threads: CPU threads of ``transformers`` backends (None: torch's default).
        feedback_retries: Times a rejected plan goes back to the model with the reason.
        cooldown_s: Seconds an unreachable backend is skipped.
    """

    model_config = ConfigDict(extra="forbid")

    backends: str | list[str] = DEFAULT_SPEC
    api_base: str | None = None
    api_key_env: str | None = None
    timeout_s: float = Field(60.0, gt=0)
    retries: int = Field(1, ge=0)
    response_format: ResponseFormat = "auto"
    images: int | None = Field(None, ge=0, le=3)
    temperature: float = Field(0.0, ge=0)
    max_tokens: int | None = Field(None, gt=0)
    max_new_tokens: int = Field(384, gt=0)
    device: str = "cpu"
    threads: int | None = Field(None, ge=1)
    feedback_retries: int = Field(2, ge=0)
    cooldown_s: float = Field(60.0, ge=0)

    @property
    def spec(self) -> str:
        """The backends as one spec string."""
        return self.backends if isinstance(self.backends, str) else ",".join(self.backends)


def config_paths() -> list[Path]:
    """Where the config file is looked for, in order."""
    paths = []
    if os.environ.get("HOUSEMIND_CONFIG"):
        paths.append(Path(os.environ["HOUSEMIND_CONFIG"]).expanduser())
    paths.append(Path.cwd() / "housemind.toml")
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    paths.append(Path(xdg) / "housemind" / "config.toml")
    return paths


def load_planner_settings(path: str | os.PathLike[str] | None = None) -> PlannerSettings:
    """The ``[planner]`` settings of the config file (defaults when there is none).

    Args:
        path: Read this file (it must exist); None: the first of :func:`config_paths`.

    Raises:
        PlannerSpecError: A file that is not TOML, or a ``[planner]`` table with unknown
            keys or bad values (the message names the file and the key).
    """
    if path is not None:
        candidates = [Path(path)]
        if not candidates[0].is_file():
            raise PlannerSpecError(f"no config file at {path}")
    else:
        candidates = [p for p in config_paths() if p.is_file()]
        if (
            os.environ.get("HOUSEMIND_CONFIG")
            and not Path(os.environ["HOUSEMIND_CONFIG"]).expanduser().is_file()
        ):
            raise PlannerSpecError(
                f"HOUSEMIND_CONFIG={os.environ['HOUSEMIND_CONFIG']} is not a file; fix the "
                "path or unset it"
            )
    if not candidates:
        return PlannerSettings()
    file = candidates[0]
    try:
        data = tomllib.loads(file.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise PlannerSpecError(f"cannot read the config file {file}: {e}") from e
    table = data.get("planner", {})
    if not isinstance(table, dict):
        raise PlannerSpecError(f"{file}: 'planner' must be a table ([planner])")
    try:
        return PlannerSettings.model_validate(table)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
        )
        raise PlannerSpecError(
            f"{file}: bad [planner] settings: {problems}. Known keys: "
            f"{', '.join(PlannerSettings.model_fields)}"
        ) from e


def parse_planner_spec(spec: str) -> list[tuple[str, str | None]]:
    """Split a spec into ``(backend, argument)`` pairs, most preferred first.

    Raises:
        PlannerSpecError: An empty spec or entry, or an unknown backend name.
    """
    if not spec or not spec.strip():
        raise PlannerSpecError(
            "the planner spec is empty; e.g. --planner symbolic or "
            "--planner litellm:openai/gpt-4o-mini,symbolic"
        )
    out: list[tuple[str, str | None]] = []
    known = planner_backends()
    for entry in spec.split(","):
        entry = entry.strip()
        if not entry:
            raise PlannerSpecError(f"empty entry in the planner spec {spec!r} (a stray comma?)")
        name, sep, arg = entry.partition(":")
        name = name.strip()
        if name not in known:
            raise PlannerSpecError(
                f"unknown planner backend {name!r} in {spec!r}; known: {', '.join(known)} "
                "(register your own with @register_planner)"
            )
        out.append((name, arg.strip() if sep else None))
    return out


def _build_one(name: str, arg: str | None, settings: PlannerSettings, api_base: str | None) -> Any:
    if name == "litellm":
        if not arg:
            raise PlannerSpecError(
                "the litellm backend needs a model: litellm:<provider/model>, e.g. "
                "litellm:openai/gpt-4o-mini"
            )
        key = None
        if settings.api_key_env:
            key = os.environ.get(settings.api_key_env)
            if not key:
                raise PlannerSpecError(
                    f"the config file names api_key_env = {settings.api_key_env!r}, but that "
                    "environment variable is not set"
                )
        return get_planner(
            "litellm",
            arg,
            api_base=api_base or settings.api_base,
            api_key=key,
            timeout_s=settings.timeout_s,
            retries=settings.retries,
            response_format=settings.response_format,
            images=1 if settings.images is None else settings.images,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
        )
    if name == "transformers":
        if not arg:
            raise PlannerSpecError(
                "the transformers backend needs a path: transformers:/path/to/model "
                "(a model folder or a .gguf file)"
            )
        try:
            return get_planner(
                "transformers",
                arg,
                images=settings.images,
                max_new_tokens=settings.max_new_tokens,
                device=settings.device,
                threads=settings.threads,
            )
        except FileNotFoundError as e:
            raise PlannerSpecError(str(e)) from e
        except ImportError as e:
            raise PlannerSpecError(
                f"the transformers backend needs the 'local' extra ({e}); "
                "pip install 'housemind[local]'"
            ) from e
    return get_planner(name, arg) if arg else get_planner(name)


def make_planner(
    spec: str | None = None,
    *,
    api_base: str | None = None,
    settings: PlannerSettings | None = None,
) -> Planner:
    """Build the planner a spec names (the config file's, or symbolic, when None).

    One backend without feedback (``symbolic``, your own) is returned as itself; a model
    backend or several backends come as a :class:`~agent.planners.chain.PlannerChain`.

    Args:
        spec: ``name[:argument][,name[:argument]...]`` (None: the config file's).
        api_base: Server URL for ``litellm`` backends (overrides the config file).
        settings: The ``[planner]`` settings (None: read the config file).

    Raises:
        PlannerSpecError: A spec, config file or backend option that cannot be used.
    """
    settings = settings if settings is not None else load_planner_settings()
    entries = parse_planner_spec(spec if spec is not None else settings.spec)
    if api_base and not any(name == "litellm" for name, _ in entries):
        raise PlannerSpecError(
            f"--api-base {api_base} is for litellm backends, and the planner "
            f"{spec or settings.spec!r} has none; e.g. --planner litellm:openai/<model>"
        )
    try:
        backends = [_build_one(n, a, settings, api_base) for n, a in entries]
    except (TypeError, ValueError) as e:
        if isinstance(e, PlannerSpecError):
            raise
        raise PlannerSpecError(f"cannot build the planner {spec or settings.spec!r}: {e}") from e
    if len(backends) == 1 and not getattr(backends[0], "accepts_feedback", False):
        return backends[0]
    from housemind.agent.planners.chain import PlannerChain

    return PlannerChain(
        backends, feedback_retries=settings.feedback_retries, cooldown_s=settings.cooldown_s
    )
