"""The one model client: every call from housemind to a language or vision-language model.

:class:`ModelClient` talks to any provider litellm supports (a local OpenAI-compatible
server, a hosted API) with retries, backoff and fallback models; :class:`FakeModelClient`
answers from a script for tests and offline runs. Both share the prompt building, image
encoding and structured-output logic in :class:`BaseModelClient`, so the fake exercises the
same code paths as the real client.

litellm is imported only when a call is made (it takes seconds to import), after
``LITELLM_LOCAL_MODEL_COST_MAP=True`` is set so that the import does not reach for the
network.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "BaseModelClient",
    "FakeModelClient",
    "Messages",
    "ModelClient",
    "ModelEndpoint",
    "ModelError",
    "StructuredOutputError",
    "encode_image",
    "extract_json",
]

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
Messages = str | Sequence[Mapping[str, Any]]

_OFFLINE_HINT = "or run offline with the symbolic planner (--planner symbolic)"
# Errors worth retrying on the same model; anything else moves on to the next model.
_TRANSIENT = (
    "APIConnectionError",
    "Timeout",
    "RateLimitError",
    "ServiceUnavailableError",
    "InternalServerError",
    "BadGatewayError",
    "APIError",
    "EmptyReply",
)


class ModelError(RuntimeError):
    """No usable reply from any model; the message says which, why, and what to do.

    Attributes:
        models: The models tried, in order.
        last_error: The last underlying error, if any.
    """

    def __init__(
        self, message: str, *, models: Sequence[str] = (), last_error: BaseException | None = None
    ) -> None:
        super().__init__(message)
        self.models = list(models)
        self.last_error = last_error


class StructuredOutputError(ModelError):
    """The model replied, but not with JSON that fits the schema (even after one retry).

    Attributes:
        reply: The last reply text.
    """

    def __init__(self, message: str, *, reply: str, models: Sequence[str] = ()) -> None:
        super().__init__(message, models=models)
        self.reply = reply


@dataclass(frozen=True)
class ModelEndpoint:
    """A model and where to reach it (for fallbacks on another server).

    Attributes:
        model: litellm model name, e.g. ``"openai/qwen2.5-vl"`` or ``"gpt-4o-mini"``.
        api_base: Server URL (None: the provider's default).
        api_key: Key (None: the provider's environment variable).
    """

    model: str
    api_base: str | None = None
    api_key: str | None = None


# --- prompt helpers -------------------------------------------------------------------


def encode_image(image: bytes | np.ndarray) -> str:
    """Encode an image as a ``data:`` URL for an OpenAI-style ``image_url`` part.

    Args:
        image: PNG/JPEG/GIF/WebP file bytes, or a ``uint8`` array of shape (H, W),
            (H, W, 1), (H, W, 3) or (H, W, 4); arrays are encoded as PNG.

    Returns:
        ``data:image/<type>;base64,...``.

    Raises:
        ValueError: Unknown bytes or an array of the wrong dtype or shape.
    """
    if isinstance(image, bytes | bytearray | memoryview):
        data = bytes(image)
        mime = _sniff_image(data)
        if mime is None:
            raise ValueError(
                f"image bytes start with {data[:8]!r}, not PNG/JPEG/GIF/WebP; pass the file's "
                "bytes or a uint8 numpy array"
            )
        return f"data:{mime};base64,{base64.b64encode(data).decode()}"
    import numpy as np
    from PIL import Image

    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise ValueError(
            f"image array has dtype {arr.dtype}; convert it to uint8 first, e.g. "
            "(img * 255).clip(0, 255).astype(np.uint8) for floats in [0, 1]"
        )
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ValueError(f"image array has shape {arr.shape}; expected (H, W[, 1|3|4])")
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(arr)).save(buf, format="PNG")
    return f"data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}"


def _sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _normalise_messages(messages: Messages) -> list[dict[str, Any]]:
    if isinstance(messages, str):
        return [{"role": "user", "content": messages}]
    out = [dict(m) for m in messages]
    if not out:
        raise ValueError("no messages: pass a prompt string or a list of chat messages")
    return out


def _attach_images(
    messages: list[dict[str, Any]], images: Sequence[bytes | np.ndarray]
) -> list[dict[str, Any]]:
    """Add images as ``image_url`` parts to the last user message."""
    if len(images) == 0:
        return messages
    for msg in reversed(messages):
        if msg.get("role") == "user":
            break
    else:
        msg = {"role": "user", "content": ""}
        messages.append(msg)
    content = msg.get("content") or ""
    parts = list(content) if isinstance(content, list) else [{"type": "text", "text": content}]
    parts += [{"type": "image_url", "image_url": {"url": encode_image(img)}} for img in images]
    msg["content"] = parts
    return messages


def _json_instruction(schema: type[BaseModel]) -> str:
    return (
        "Reply with one JSON object only (no prose, no code fences) that validates against "
        f"this JSON schema:\n{json.dumps(schema.model_json_schema(), separators=(',', ':'))}"
    )


def _with_system(messages: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    if (
        messages
        and messages[0].get("role") == "system"
        and isinstance(messages[0].get("content"), str)
    ):
        first = {**messages[0], "content": f"{messages[0]['content']}\n\n{text}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": text}, *messages]


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


def extract_json(reply: str) -> Any:
    """The first JSON object (or array) in ``reply``, tolerating code fences and prose.

    Raises:
        ValueError: No JSON object in the reply.
    """
    candidates = [m.group(1) for m in _FENCE.finditer(reply)] + [reply]
    decoder = json.JSONDecoder()
    for text in candidates:
        for match in re.finditer(r"[\{\[]", text):
            try:
                value, _ = decoder.raw_decode(text, match.start())
            except json.JSONDecodeError:
                continue
            return value
    snippet = reply if len(reply) <= 200 else reply[:200] + "..."
    raise ValueError(f"no JSON object in the reply {snippet!r}")


# --- clients --------------------------------------------------------------------------


class BaseModelClient:
    """Shared behaviour of model clients: prompts, images and structured output.

    Subclasses implement :meth:`_complete` (one reply for ready-made chat messages).
    """

    model: str = "model"

    def complete(self, messages: Messages, images: Sequence[bytes | np.ndarray] = ()) -> str:
        """Ask for a free-text reply.

        Args:
            messages: A prompt string, or OpenAI-style chat messages.
            images: Camera images attached to the last user message.

        Returns:
            The reply text.

        Raises:
            ModelError: No model answered.
        """
        msgs = _attach_images(_normalise_messages(messages), images)
        return self._complete(msgs, json_mode=False)

    def structured(
        self, messages: Messages, schema: type[T], images: Sequence[bytes | np.ndarray] = ()
    ) -> T:
        """Ask for a reply that validates as ``schema``.

        The prompt always asks for JSON (and JSON mode is requested where the model supports
        it). On invalid output the model is asked once more, with the error.

        Args:
            messages: A prompt string, or OpenAI-style chat messages.
            schema: The pydantic model the reply must fit.
            images: Camera images attached to the last user message.

        Returns:
            The validated reply.

        Raises:
            StructuredOutputError: Still invalid after the retry.
            ModelError: No model answered.
        """
        msgs = _with_system(_normalise_messages(messages), _json_instruction(schema))
        msgs = _attach_images(msgs, images)
        reply = self._complete(msgs, json_mode=True)
        try:
            return _validate(reply, schema)
        except ValueError as err:  # pydantic's ValidationError is a ValueError
            first_error = _short_error(err)
        log.info("%s: invalid structured reply, asking again: %s", self.model, first_error)
        retry = [
            *msgs,
            {"role": "assistant", "content": reply},
            {
                "role": "user",
                "content": (
                    f"That reply was not valid: {first_error}\nReply again with only the "
                    f"corrected JSON object for {schema.__name__}."
                ),
            },
        ]
        reply = self._complete(retry, json_mode=True)
        try:
            return _validate(reply, schema)
        except ValueError as err:
            raise StructuredOutputError(
                f"{self.model} did not return a valid {schema.__name__} after one retry: "
                f"{_short_error(err)}. Try a stronger model, simplify the schema, or use the "
                f"offline symbolic planner (--planner symbolic).",
                reply=reply,
                models=[self.model],
            ) from err

    def _complete(self, messages: list[dict[str, Any]], *, json_mode: bool) -> str:
        raise NotImplementedError


def _validate(reply: str, schema: type[T]) -> T:
    return schema.model_validate(extract_json(reply))


def _short_error(err: BaseException) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in err.errors()
        )
    return str(err)


class ModelClient(BaseModelClient):
    """A language / vision-language model through litellm, with retries and fallbacks.

    Args:
        model: litellm model name, e.g. ``"openai/qwen2.5-vl"`` with ``api_base`` for a
            local OpenAI-compatible server, or ``"anthropic/claude-..."``.
        fallbacks: Models tried in order when ``model`` fails; a string uses its provider's
            defaults, a :class:`ModelEndpoint` names its own server and key.
        timeout_s: Per-request timeout.
        retries: Extra attempts per model on transient errors (connection, timeout, 5xx,
            rate limit), with exponential backoff.
        temperature: Sampling temperature (0 for repeatable plans).
        api_base: Server URL for ``model``.
        api_key: Key for ``model`` (None: the provider's environment variable).
        mock_response: A canned reply; litellm returns it without any network (tests, demos).
        backoff_s: First backoff delay; it doubles on each retry.
        max_tokens: Reply length limit (None: the provider's default).
    """

    def __init__(
        self,
        model: str,
        *,
        fallbacks: Sequence[str | ModelEndpoint] = (),
        timeout_s: float = 30,
        retries: int = 2,
        temperature: float = 0.0,
        api_base: str | None = None,
        api_key: str | None = None,
        mock_response: str | None = None,
        backoff_s: float = 0.5,
        max_tokens: int | None = None,
    ) -> None:
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        self.model = model
        self.endpoints = [ModelEndpoint(model, api_base, api_key)] + [
            f if isinstance(f, ModelEndpoint) else ModelEndpoint(f) for f in fallbacks
        ]
        self.timeout_s = timeout_s
        self.retries = retries
        self.temperature = temperature
        self.mock_response = mock_response
        self.backoff_s = backoff_s
        self.max_tokens = max_tokens
        self._json_support: dict[str, bool] = {}

    def __repr__(self) -> str:
        names = ", ".join(e.model for e in self.endpoints)
        return f"ModelClient({names})"

    def _complete(self, messages: list[dict[str, Any]], *, json_mode: bool) -> str:
        litellm = _import_litellm()
        failures: list[str] = []
        last: BaseException | None = None
        for endpoint in self.endpoints:
            for attempt in range(self.retries + 1):
                try:
                    return self._call_once(litellm, endpoint, messages, json_mode)
                except Exception as exc:  # litellm maps every provider error to its own types
                    last = exc
                    transient = _is_transient(exc)
                    failures.append(f"{endpoint.model}: {type(exc).__name__}")
                    log.warning(
                        "%s attempt %d failed (%s): %s",
                        endpoint.model,
                        attempt + 1,
                        "transient" if transient else "not retried",
                        _one_line(exc),
                    )
                    if not transient:
                        break
                    if attempt < self.retries:
                        time.sleep(self.backoff_s * 2**attempt)
        raise ModelError(
            self._failure_message(failures, last), models=self._names(), last_error=last
        )

    def _call_once(
        self, litellm: Any, endpoint: ModelEndpoint, messages: list[dict[str, Any]], json_mode: bool
    ) -> str:
        kwargs: dict[str, Any] = {
            "model": endpoint.model,
            "messages": messages,
            "temperature": self.temperature,
            "timeout": self.timeout_s,
            "num_retries": 0,  # retries and fallbacks are ours, so they are predictable
            "max_retries": 0,
            "drop_params": True,  # e.g. temperature on models that reject it
        }
        if endpoint.api_base is not None:
            kwargs["api_base"] = endpoint.api_base
        if endpoint.api_key is not None:
            kwargs["api_key"] = endpoint.api_key
        if self.mock_response is not None:
            kwargs["mock_response"] = self.mock_response
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        if json_mode and self._supports_json_mode(litellm, endpoint.model):
            kwargs["response_format"] = {"type": "json_object"}
        response = litellm.completion(**kwargs)
        content = response.choices[0].message.content
        if not content:
            raise _EmptyReply(f"{endpoint.model} returned an empty reply")
        return content

    def _supports_json_mode(self, litellm: Any, model: str) -> bool:
        if model not in self._json_support:
            try:
                name, provider, _, _ = litellm.get_llm_provider(model)
                params = litellm.get_supported_openai_params(
                    model=name, custom_llm_provider=provider
                )
                self._json_support[model] = "response_format" in (params or [])
            except Exception:  # unknown model: the prompt still asks for JSON
                self._json_support[model] = False
        return self._json_support[model]

    def _names(self) -> list[str]:
        return [e.model for e in self.endpoints]

    def _failure_message(self, failures: list[str], last: BaseException | None) -> str:
        tried = ", ".join(self._names())
        servers = ", ".join(sorted({e.api_base for e in self.endpoints if e.api_base}))
        keys = ", ".join(sorted({_key_env_var(e.model) for e in self.endpoints}))
        where = (
            f"that the model server is running at {servers}"
            if servers
            else ("your network access to the provider")
        )
        return (
            f"no reply from {tried} after {len(failures)} attempt(s) "
            f"[{'; '.join(failures)}]. Last error: {_one_line(last)}. "
            f"Check {where}, that the API key is set ({keys} or api_key=), {_OFFLINE_HINT}."
        )


class _EmptyReply(RuntimeError):
    """The provider answered with no text (treated as transient)."""


class FakeModelClient(BaseModelClient):
    """A scripted model for tests and offline runs; records every call.

    Args:
        responses: Replies in order, or a function from the chat messages to a reply. An
            exception in the list is raised as a :class:`ModelError` (to test failures).
        model: The name it reports.

    Attributes:
        calls: One dict per model call: ``messages`` (as sent, images included) and
            ``json_mode``.
    """

    def __init__(
        self,
        responses: Sequence[str | BaseException] | Callable[[list[dict[str, Any]]], str],
        *,
        model: str = "fake",
    ) -> None:
        self.model = model
        self._script = responses if callable(responses) else list(responses)
        self._next = 0
        self.calls: list[dict[str, Any]] = []

    def _complete(self, messages: list[dict[str, Any]], *, json_mode: bool) -> str:
        self.calls.append({"messages": messages, "json_mode": json_mode})
        if callable(self._script):
            return self._script(messages)
        if self._next >= len(self._script):
            raise ModelError(
                f"FakeModelClient ran out of scripted replies after {len(self._script)} "
                "call(s); add more responses to the test's script",
                models=[self.model],
            )
        reply = self._script[self._next]
        self._next += 1
        if isinstance(reply, BaseException):
            raise ModelError(f"{self.model}: {reply}", models=[self.model], last_error=reply)
        return reply


# --- litellm glue ---------------------------------------------------------------------


def _import_litellm() -> Any:
    # Without this, importing litellm stalls for seconds fetching a cost map.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True  # no "Give Feedback" banners in the robot's logs
    return litellm


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, _EmptyReply):
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    permanent = {
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "BadRequestError",
        "UnsupportedParamsError",
        "ContextWindowExceededError",
        "ContentPolicyViolationError",
    }
    if names & permanent:
        return False
    return bool(names & set(_TRANSIENT)) or isinstance(exc, TimeoutError | ConnectionError)


def _key_env_var(model: str) -> str:
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    return f"{provider.upper().replace('-', '_')}_API_KEY"


def _one_line(exc: BaseException | None) -> str:
    if exc is None:
        return "none"
    text = " ".join(str(exc).split())
    text = text if len(text) <= 300 else text[:300] + "..."
    return f"{type(exc).__name__}: {text}"
