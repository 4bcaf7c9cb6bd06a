"""A fake OpenAI-compatible model server on 127.0.0.1, for tests of the model planners.

:class:`FakeOpenAIServer` speaks ``POST /v1/chat/completions`` (what litellm sends for
``openai/<model>`` with an ``api_base``), so the whole litellm HTTP path runs offline:
request, response parsing, structured output, errors. Its replies come from

- recorded replies (:func:`load_replies`), found by the decision the request asks for
  (:func:`~agent.planners.prompt.situation_key`: goal, time, steps done, last failure);
  a request with no recorded reply gets HTTP 404 with the key in the message;
- or a script: a list of replies in order, or a function of the request body.

It can also misbehave on purpose (:data:`FAULTS`: HTTP 500, a rate limit, a hang past the
client's timeout, malformed or truncated JSON, a plan naming things that do not exist, an
empty reply, a dropped connection) and die: ``die_after=N`` stops listening after the
N-th request, so every later connection is refused, as when a model server crashes.

Token counts in its replies are estimates (4 characters of text a token, images not
counted): it has no tokenizer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from housemind.agent.planners.prompt import situation_key

__all__ = ["FAULTS", "FakeOpenAIServer", "load_replies", "save_replies"]

log = logging.getLogger(__name__)

#: Ways the server can misbehave (``faults={n: name}`` or :meth:`FakeOpenAIServer.fail_next`).
FAULTS = (
    "http500",  # HTTP 500 with an OpenAI-style error body
    "rate_limit",  # HTTP 429 with Retry-After
    "timeout",  # answers only after ``hang_s`` (longer than the client's timeout)
    "malformed",  # HTTP 200, prose instead of JSON
    "truncated",  # HTTP 200, the JSON reply cut off halfway
    "unknown_things",  # HTTP 200, a plan naming a room and an object that do not exist
    "empty",  # HTTP 200 with an empty message
    "drop",  # closes the connection without a response
)

_UNKNOWN_THINGS = json.dumps(
    {
        "rationale": "fetch the unicorn from the garage",
        "steps": [
            {"skill": "navigate", "args": {"target": "garage"}, "rationale": "it is there"},
            {"skill": "pick", "args": {"object": "unicorn"}, "rationale": "take it"},
        ],
    }
)


def _text_chars(content: Any) -> int:
    """Characters of text in a message (images are not counted)."""
    if isinstance(content, str):
        return len(content)
    return sum(len(p.get("text", "")) for p in content or () if p.get("type") == "text")


def load_replies(path: str | Path) -> dict[str, str]:
    """Recorded replies by situation key, from a JSON-lines file :func:`save_replies` wrote.

    Raises:
        ValueError: A line that is not a JSON object with ``key`` and ``reply``.
    """
    out: dict[str, str] = {}
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{n}: not JSON ({e})") from e
        if "meta" in row:
            continue
        if not isinstance(row, dict) or "key" not in row or "reply" not in row:
            raise ValueError(f"{path}:{n}: expected an object with 'key' and 'reply'")
        out[row["key"]] = row["reply"]
    return out


def save_replies(
    path: str | Path, rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]
) -> None:
    """Write recorded replies (``key``, ``reply``, and anything else) after a ``meta`` line."""
    lines = [json.dumps({"meta": dict(meta)})]
    lines += [json.dumps(dict(r), sort_keys=True) for r in rows]
    Path(path).write_text("\n".join(lines) + "\n")


class FakeOpenAIServer:
    """An OpenAI-compatible chat-completions server on 127.0.0.1 (see the module docstring).

    Args:
        replies: A list of replies (served in order; the last one repeats), or a function
            from the request body to a reply. Ignored where ``recorded`` is given.
        recorded: Replies by situation key (:func:`load_replies`).
        faults: Request number (1-based) -> fault name from :data:`FAULTS`.
        die_after: Stop listening after this many requests (None: never).
        hang_s: How long a ``timeout`` fault waits before answering.
        port: Port to listen on (0: any free port).

    Attributes:
        requests: Every request body received, in order.
        misses: Situation keys asked for that had no recorded reply.

    Use it as a context manager; :attr:`api_base` is the URL to give litellm.
    """

    def __init__(
        self,
        replies: Sequence[str] | Callable[[dict[str, Any]], str] = (),
        *,
        recorded: Mapping[str, str] | None = None,
        faults: Mapping[int, str] | None = None,
        die_after: int | None = None,
        hang_s: float = 5.0,
        port: int = 0,
    ) -> None:
        for name in (faults or {}).values():
            if name not in FAULTS:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        self.replies = replies if callable(replies) else list(replies)
        self.recorded = dict(recorded) if recorded is not None else None
        self.faults = dict(faults or {})
        self.die_after = die_after
        self.hang_s = hang_s
        self.requests: list[dict[str, Any]] = []
        self.misses: list[str] = []
        self._queued: list[str] = []
        self._lock = threading.Lock()
        self._dead = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a hanging reply must not hold up close()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
            name="fake-openai-server",
        )

    # -- life cycle --------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        """The base URL to give litellm (``http://127.0.0.1:<port>/v1``)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def alive(self) -> bool:
        """False once the server has stopped listening."""
        return not self._dead.is_set()

    def start(self) -> FakeOpenAIServer:
        """Start serving on a background thread; returns ``self``."""
        self._thread.start()
        return self

    def kill(self) -> None:
        """Stop listening now: every later connection is refused."""
        if self._dead.is_set():
            return
        self._dead.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()

    def fail_next(self, fault: str, times: int = 1) -> None:
        """Misbehave with ``fault`` on the next ``times`` requests."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
        with self._lock:
            self._queued.extend([fault] * times)

    # -- serving -----------------------------------------------------------------------

    def _next(self, body: dict[str, Any]) -> tuple[int, str | None, str]:
        """(request number, fault or None, reply text or an error message for 404)."""
        with self._lock:
            self.requests.append(body)
            n = len(self.requests)
            fault = self._queued.pop(0) if self._queued else self.faults.get(n)
        if self.recorded is not None:
            key = situation_key(body.get("messages", []))
            if key not in self.recorded:
                self.misses.append(key)
                return n, fault, ""
            return n, fault, self.recorded[key]
        if callable(self.replies):
            return n, fault, self.replies(body)
        if not self.replies:
            return n, fault, ""
        return n, fault, self.replies[min(n, len(self.replies)) - 1]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, so a killed server answers nothing more
            # (a kept-alive connection would outlive the listening socket).
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                length = int(self.headers.get("Content-Length", 0))
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self._send(400, {"error": {"message": "request body is not JSON"}})
                    return
                n, fault, reply = server._next(body)
                try:
                    self._answer(body, fault, reply)
                finally:
                    if server.die_after is not None and n >= server.die_after:
                        threading.Thread(target=server.kill, daemon=True).start()

            def _answer(self, body: dict[str, Any], fault: str | None, reply: str) -> None:
                if fault == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault == "http500":
                    self._send(500, {"error": {"message": "model crashed", "type": "server_error"}})
                    return
                if fault == "rate_limit":
                    err = {"error": {"message": "slow down", "type": "rate_limit_exceeded"}}
                    self._send(429, err, {"Retry-After": "1"})
                    return
                if fault == "timeout":
                    time.sleep(server.hang_s)
                if server.recorded is not None and not reply and fault is None:
                    key = server.misses[-1] if server.misses else "?"
                    msg = (
                        f"no recorded reply for situation {key}; re-record the fixture "
                        "(see tests/fakes/record_week.py)"
                    )
                    self._send(404, {"error": {"message": msg, "type": "not_found"}})
                    return
                content = {
                    "malformed": "Sure! First go to the kitchen, then pick up the mug.",
                    "truncated": reply[: max(1, len(reply) // 2)],
                    "unknown_things": _UNKNOWN_THINGS,
                    "empty": "",
                }.get(fault or "", reply)
                prompt_chars = sum(_text_chars(m.get("content")) for m in body["messages"])
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-fake-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {  # estimates: the fake has no tokenizer
                            "prompt_tokens": prompt_chars // 4,
                            "completion_tokens": len(content) // 4,
                            "total_tokens": prompt_chars // 4 + len(content) // 4,
                        },
                    },
                )

            def _send(
                self, code: int, payload: dict[str, Any], headers: Mapping[str, str] | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                # The client may have given up already (a timeout): nothing to tell it.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                log.debug("fake server: " + format, *args)

        return Handler
