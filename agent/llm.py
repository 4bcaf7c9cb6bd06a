"""The one model client: every call from housemind to a language or vision-language model.

:class:`ModelClient` talks to any provider litellm supports (a local OpenAI-compatible
server, a hosted API) with retries, backoff and fallback models;
:class:`TransformersModelClient` runs local weights (a model folder or a GGUF file) with
transformers; :class:`FakeModelClient` answers from a script for tests and offline runs.
All share the prompt building, image encoding and structured-output logic in
:class:`BaseModelClient`, so the fake exercises the same code paths as the real clients.
Structured requests carry the pydantic schema (``response_format`` where the model
supports it); every client counts calls and tokens in :attr:`BaseModelClient.usage`.

litellm, torch and transformers are imported only when a call is made (they take seconds
to import), litellm after ``LITELLM_LOCAL_MODEL_COST_MAP=True`` is set so that the import
does not reach for the network.
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
from typing import TYPE_CHECKING, Any, Literal, TypeVar

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
    "ResponseFormat",
    "StructuredOutputError",
    "TransformersModelClient",
    "decode_image_url",
    "encode_image",
    "extract_json",
]

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
Messages = str | Sequence[Mapping[str, Any]]
#: How a client asks for JSON: ``json_schema`` sends the pydantic schema as litellm's
#: ``response_format`` (the server constrains the reply to it), ``json_object`` asks for any
#: JSON, ``none`` relies on the prompt alone, ``auto`` picks the best the model supports.
ResponseFormat = Literal["auto", "json_schema", "json_object", "none"]

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


def decode_image_url(url: str) -> Any:
    """The PIL image of a ``data:image/...;base64,`` URL (as :func:`encode_image` makes).

    Raises:
        ValueError: Not a base64 data URL of an image.
    """
    from PIL import Image

    head, sep, data = url.partition(",")
    if not (sep and head.startswith("data:image/") and head.endswith(";base64")):
        raise ValueError(
            f"expected a data:image/...;base64, URL, got {url[:40]!r}...; local models "
            "cannot fetch images from the network"
        )
    img = Image.open(io.BytesIO(base64.b64decode(data)))
    img.load()
    return img.convert("RGB")


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

    @property
    def usage(self) -> dict[str, int]:
        """Running totals: ``calls``, ``prompt_tokens``, ``completion_tokens``.

        Token counts are what the server reported (0 where it reports none).
        """
        if "_usage" not in self.__dict__:
            self._usage = {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0}
        return self._usage

    def _count(self, prompt_tokens: int | None, completion_tokens: int | None) -> None:
        u = self.usage
        u["calls"] += 1
        u["prompt_tokens"] += int(prompt_tokens or 0)
        u["completion_tokens"] += int(completion_tokens or 0)

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
        reply = self._complete(msgs, json_mode=True, schema=schema)
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
        reply = self._complete(retry, json_mode=True, schema=schema)
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

    def _complete(
        self,
        messages: list[dict[str, Any]],
        *,
        json_mode: bool,
        schema: type[BaseModel] | None = None,
    ) -> str:
        """One reply for ready-made chat messages (``schema``: the structure wanted)."""
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
        response_format: How structured replies are requested (:data:`ResponseFormat`);
            ``auto`` sends the JSON schema where litellm knows the model supports it, else
            JSON mode where supported, else only the prompt's instruction.

    A model behind ``api_base`` with no key given and none in its provider's environment
    variable gets a placeholder key: local OpenAI-compatible servers (vLLM, llama.cpp,
    Ollama) accept any key, and the OpenAI client refuses to send a request without one.
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
        response_format: ResponseFormat = "auto",
    ) -> None:
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        if response_format not in ("auto", "json_schema", "json_object", "none"):
            raise ValueError(
                f"response_format must be auto, json_schema, json_object or none; "
                f"got {response_format!r}"
            )
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
        self.response_format = response_format
        self._json_support: dict[str, str] = {}

    def __repr__(self) -> str:
        names = ", ".join(e.model for e in self.endpoints)
        return f"ModelClient({names})"

    def _complete(
        self,
        messages: list[dict[str, Any]],
        *,
        json_mode: bool,
        schema: type[BaseModel] | None = None,
    ) -> str:
        litellm = _import_litellm()
        failures: list[str] = []
        last: BaseException | None = None
        for endpoint in self.endpoints:
            for attempt in range(self.retries + 1):
                try:
                    return self._call_once(litellm, endpoint, messages, json_mode, schema)
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
        self,
        litellm: Any,
        endpoint: ModelEndpoint,
        messages: list[dict[str, Any]],
        json_mode: bool,
        schema: type[BaseModel] | None = None,
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
        elif endpoint.api_base is not None and not os.environ.get(_key_env_var(endpoint.model)):
            kwargs["api_key"] = "no-key"  # a local server; the OpenAI client wants some key
        if self.mock_response is not None:
            kwargs["mock_response"] = self.mock_response
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        if json_mode:
            mode = self._format_for(litellm, endpoint.model)
            if mode == "json_schema" and schema is not None:
                kwargs["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {
                        "name": schema.__name__,
                        "schema": schema.model_json_schema(),
                        "strict": False,  # strict mode forbids free-form objects (args)
                    },
                }
            elif mode in ("json_schema", "json_object"):
                kwargs["response_format"] = {"type": "json_object"}
        response = litellm.completion(**kwargs)
        content = response.choices[0].message.content
        usage = getattr(response, "usage", None)
        self._count(
            getattr(usage, "prompt_tokens", 0) if usage else 0,
            getattr(usage, "completion_tokens", 0) if usage else 0,
        )
        if not content:
            raise _EmptyReply(f"{endpoint.model} returned an empty reply")
        return content

    def _format_for(self, litellm: Any, model: str) -> str:
        if self.response_format != "auto":
            return self.response_format
        if model not in self._json_support:
            mode = "none"
            try:
                name, provider, _, _ = litellm.get_llm_provider(model)
                params = litellm.get_supported_openai_params(
                    model=name, custom_llm_provider=provider
                )
                if "response_format" in (params or []):
                    mode = "json_object"
                    if litellm.supports_response_schema(model=name, custom_llm_provider=provider):
                        mode = "json_schema"
            except Exception:  # unknown model: the prompt still asks for JSON
                mode = "none"
            self._json_support[model] = mode
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
        calls: One dict per model call: ``messages`` (as sent, images included),
            ``json_mode`` and ``schema`` (the pydantic class asked for, or None).
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

    def _complete(
        self,
        messages: list[dict[str, Any]],
        *,
        json_mode: bool,
        schema: type[BaseModel] | None = None,
    ) -> str:
        self.calls.append({"messages": messages, "json_mode": json_mode, "schema": schema})
        self._count(0, 0)  # a script has no tokenizer: calls are counted, tokens are not
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


class TransformersModelClient(BaseModelClient):
    """Local weights through Hugging Face transformers, on this machine, no server.

    Loads, on first use, an image-text-to-text model (SmolVLM, Qwen2-VL and their kind:
    ``AutoModelForImageTextToText`` + ``AutoProcessor``), a text-only instruct model
    (``AutoModelForCausalLM`` + ``AutoTokenizer``), or a GGUF file (dequantised by
    transformers through the ``gguf`` package; text-only). Nothing is downloaded: the
    path must hold the weights, the config and the tokenizer (or processor).

    Replies are greedy (repeatable). In JSON mode the reply is started with ``{`` so that
    small models begin a JSON object; images in the messages go to a vision model's
    processor and are dropped (with a warning) for a text-only one.

    Args:
        path: A model folder (``config.json`` + weights + tokenizer/processor) or a
            ``.gguf`` file (or a folder holding exactly one).
        max_new_tokens: Reply length limit in tokens.
        device: torch device (``"cpu"``, ``"cuda"``).
        dtype: torch dtype name for the weights (None: the checkpoint's, float32 on CPU).
        threads: CPU threads for torch (process-wide; None leaves torch's default). On a
            machine whose cores are busy, 1 thread is several times faster than more.

    Raises:
        FileNotFoundError: ``path`` does not exist or holds no model.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_new_tokens: int = 384,
        device: str = "cpu",
        dtype: str | None = None,
        threads: int | None = None,
    ) -> None:
        from pathlib import Path

        p = Path(path).expanduser()
        if not p.exists():
            raise FileNotFoundError(
                f"no model at {p}; pass a folder with config.json, weights and a tokenizer, "
                "or a .gguf file (nothing is downloaded at run time)"
            )
        if p.is_dir() and not (p / "config.json").exists():
            ggufs = sorted(p.glob("*.gguf"))
            if len(ggufs) != 1:
                raise FileNotFoundError(
                    f"{p} has no config.json and {len(ggufs)} .gguf files; pass a model folder "
                    "(config.json + weights + tokenizer) or one .gguf file"
                )
            p = ggufs[0]
        if max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {max_new_tokens}")
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be >= 1 (or None), got {threads}")
        self.threads = threads
        self.path = p
        self.model = f"transformers:{p.name}"
        self.max_new_tokens = max_new_tokens
        self.device = device
        self.dtype = dtype
        self._model: Any = None
        self._processor: Any = None  # a processor (vision) or a tokenizer (text)
        self._vision: bool | None = None
        self._warned_images = False

    def __repr__(self) -> str:
        return f"TransformersModelClient({str(self.path)!r})"

    @property
    def is_gguf(self) -> bool:
        """True for a GGUF file."""
        return self.path.suffix.lower() == ".gguf"

    @property
    def vision(self) -> bool:
        """True if the model reads images (decided from its config, without the weights)."""
        if self._vision is None:
            if self.is_gguf:
                self._vision = False
            else:
                from transformers import AutoConfig
                from transformers.models.auto.modeling_auto import (
                    MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES,
                )

                cfg = AutoConfig.from_pretrained(str(self.path))
                self._vision = cfg.model_type in MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES
        return self._vision

    def load(self) -> TransformersModelClient:
        """Load the weights now (otherwise the first call does). Returns ``self``."""
        if self._model is not None:
            return self
        import torch
        import transformers as tf

        t0 = time.perf_counter()
        kwargs: dict[str, Any] = {}
        if self.dtype is not None:
            kwargs["dtype"] = getattr(torch, self.dtype)
        if self.is_gguf:
            folder, name = str(self.path.parent), self.path.name
            self._processor = tf.AutoTokenizer.from_pretrained(folder, gguf_file=name)
            self._model = tf.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, **kwargs)
        elif self.vision:
            self._processor = tf.AutoProcessor.from_pretrained(str(self.path))
            self._model = tf.AutoModelForImageTextToText.from_pretrained(str(self.path), **kwargs)
        else:
            self._processor = tf.AutoTokenizer.from_pretrained(str(self.path))
            self._model = tf.AutoModelForCausalLM.from_pretrained(str(self.path), **kwargs)
        self._model.to(self.device).eval()
        log.info("loaded %s in %.1f s", self.path, time.perf_counter() - t0)
        return self

    def _complete(
        self,
        messages: list[dict[str, Any]],
        *,
        json_mode: bool,
        schema: type[BaseModel] | None = None,
    ) -> str:
        import torch

        self.load()
        if self.threads is not None and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        conv, images = self._conversation(messages)
        prompt = self._render(conv)
        prefill = "{" if json_mode else ""
        prompt += prefill
        if self.vision:
            inputs = self._processor(
                text=[prompt], images=[images] if images else None, return_tensors="pt"
            )
        else:
            inputs = self._processor(prompt, return_tensors="pt", add_special_tokens=False)
        inputs = inputs.to(self.device)
        tok = getattr(self._processor, "tokenizer", self._processor)
        pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        n_in = int(inputs["input_ids"].shape[1])
        try:
            with torch.inference_mode():
                out = self._model.generate(
                    **inputs, max_new_tokens=self.max_new_tokens, do_sample=False, pad_token_id=pad
                )
        except Exception as exc:  # a broken checkpoint, out of memory, a bad processor
            raise ModelError(
                f"{self.model} failed to generate: {_one_line(exc)}. Check that {self.path} "
                f"holds a complete model of a supported class, {_OFFLINE_HINT}.",
                models=[self.model],
                last_error=exc,
            ) from exc
        new = out[0, n_in:]
        self._count(n_in, int(new.shape[0]))
        # An empty reply is the model's answer, not an outage: structured() asks again.
        return prefill + tok.decode(new, skip_special_tokens=True)

    def _conversation(
        self, messages: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[Any]]:
        conv: list[dict[str, Any]] = []
        images: list[Any] = []
        for m in messages:
            content = m.get("content") or ""
            parts = [{"type": "text", "text": content}] if isinstance(content, str) else content
            out: list[dict[str, Any]] = []
            for part in parts:
                if part.get("type") == "image_url":
                    if not self.vision:
                        if not self._warned_images:
                            log.warning("%s reads no images; camera images are left out", self)
                            self._warned_images = True
                        continue
                    images.append(decode_image_url(part["image_url"]["url"]))
                    out.append({"type": "image"})
                elif part.get("type") == "text":
                    out.append({"type": "text", "text": part.get("text", "")})
            if self.vision:
                conv.append({"role": m["role"], "content": out})
            else:
                text = "\n".join(p["text"] for p in out if p["type"] == "text")
                conv.append({"role": m["role"], "content": text})
        return conv, images

    def _render(self, conv: list[dict[str, Any]]) -> str:
        proc = self._processor
        if getattr(proc, "chat_template", None) is None:
            # No chat template (a base model): a plain transcript it can continue.
            lines = [
                f"{m['role']}: "
                + (
                    m["content"]
                    if isinstance(m["content"], str)
                    else " ".join(p.get("text", "<image>") for p in m["content"])
                )
                for m in conv
            ]
            return "\n".join(lines) + "\nassistant: "
        try:
            return proc.apply_chat_template(conv, add_generation_prompt=True, tokenize=False)
        except Exception as exc:  # e.g. "System role not supported": fold it into the user turn
            if not conv or conv[0]["role"] != "system":
                raise
            log.debug("%s: chat template refused a system turn (%s); merging it", self, exc)
            system, rest = conv[0], conv[1:]
            if rest and rest[0]["role"] == "user":
                first = rest[0]
                if isinstance(first["content"], str):
                    merged = f"{system['content']}\n\n{first['content']}"
                else:
                    sys_text = system["content"]
                    if not isinstance(sys_text, str):
                        sys_text = " ".join(p.get("text", "") for p in sys_text)
                    merged = [{"type": "text", "text": sys_text + "\n\n"}, *first["content"]]
                rest = [{**first, "content": merged}, *rest[1:]]
            return proc.apply_chat_template(rest, add_generation_prompt=True, tokenize=False)


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
