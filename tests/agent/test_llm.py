from __future__ import annotations

import base64
import io
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pydantic import BaseModel

from housemind.agent.llm import (
    FakeModelClient,
    ModelClient,
    ModelEndpoint,
    ModelError,
    StructuredOutputError,
    encode_image,
    extract_json,
)

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


class Step(BaseModel):
    skill: str
    object: str


class Plan(BaseModel):
    steps: list[Step]


GOOD = '{"steps": [{"skill": "pick", "object": "cup"}]}'


# --- a fake OpenAI-compatible server on 127.0.0.1 ------------------------------------


class FakeServer:
    """Speaks /v1/chat/completions; replies come from a script; requests are recorded."""

    def __init__(self, replies: list[str] | Callable[[dict], str]) -> None:
        self.replies = replies
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                if callable(server.replies):
                    content = server.replies(body)
                else:
                    content = server.replies[min(len(server.requests), len(server.replies)) - 1]
                payload = json.dumps(
                    {
                        "id": f"chatcmpl-{len(server.requests)}",
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
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _dead_api_base() -> str:
    with socket.socket() as s:  # bind, then close: nothing listens on this port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def server_factory() -> Iterator[Callable[..., FakeServer]]:
    servers: list[FakeServer] = []

    def make(replies):
        srv = FakeServer(replies).__enter__()
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        srv.__exit__()


# --- through litellm --------------------------------------------------------------------


def test_litellm_is_imported_lazily():
    code = "import housemind.agent.llm, sys; print('litellm' in sys.modules)"
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_structured_with_litellm_mock_response():
    client = ModelClient("gpt-4o-mini", mock_response="```json\n" + GOOD + "\n```")
    plan = client.structured("Plan: put the cup away.", Plan)
    assert plan == Plan(steps=[Step(skill="pick", object="cup")])
    assert client.complete("hi") == "```json\n" + GOOD + "\n```"


def test_validation_error_is_fed_back_once(server_factory):
    srv = server_factory(['{"steps": [{"skill": "pick"}]}', "Sure! " + GOOD])
    client = ModelClient("openai/fake", api_base=srv.api_base, api_key="x", backoff_s=0.01)
    plan = client.structured([{"role": "user", "content": "Plan: cup"}], Plan)
    assert plan.steps[0].object == "cup"
    first, second = srv.requests
    assert first["messages"][0]["role"] == "system" and "JSON" in first["messages"][0]["content"]
    assert first.get("response_format") == {"type": "json_object"}
    feedback = second["messages"][-1]["content"]
    assert "steps.0.object: Field required" in feedback
    assert second["messages"][-2] == {
        "role": "assistant",
        "content": '{"steps": [{"skill": "pick"}]}',
    }


def test_still_invalid_after_retry_raises_structured_output_error(server_factory):
    srv = server_factory(["no idea"])
    client = ModelClient("openai/fake", api_base=srv.api_base, api_key="x")
    with pytest.raises(StructuredOutputError, match="did not return a valid Plan") as err:
        client.structured("Plan: cup", Plan)
    assert err.value.reply == "no idea" and len(srv.requests) == 2


def test_falls_back_when_the_first_server_is_dead(server_factory):
    srv = server_factory([GOOD])
    client = ModelClient(
        "openai/primary",
        api_base=_dead_api_base(),
        api_key="x",
        retries=1,
        backoff_s=0.01,
        fallbacks=[ModelEndpoint("openai/backup", api_base=srv.api_base, api_key="x")],
    )
    assert client.structured("Plan: cup", Plan).steps[0].skill == "pick"
    assert [r["model"] for r in srv.requests] == ["backup"]


def test_model_error_when_all_fail():
    dead = _dead_api_base()
    client = ModelClient(
        "openai/primary",
        api_base=dead,
        api_key="x",
        retries=1,
        backoff_s=0.01,
        fallbacks=[ModelEndpoint("openai/backup", api_base=_dead_api_base(), api_key="x")],
    )
    t0 = time.perf_counter()
    with pytest.raises(ModelError) as err:
        client.complete("hello")
    assert time.perf_counter() - t0 < 5
    msg = str(err.value)
    assert "openai/primary" in msg and "openai/backup" in msg
    assert "4 attempt(s)" in msg and "Connection error" in msg
    assert dead in msg and "OPENAI_API_KEY" in msg and "symbolic planner" in msg
    assert err.value.models == ["openai/primary", "openai/backup"]
    assert err.value.last_error is not None


def test_images_are_sent_as_png_data_urls(server_factory):
    srv = server_factory(["a red square"])
    client = ModelClient("openai/fake-vl", api_base=srv.api_base, api_key="x")
    img = np.zeros((8, 12, 3), dtype=np.uint8)
    img[..., 0] = 255
    png = io.BytesIO()
    Image.fromarray(np.full((4, 4), 7, dtype=np.uint8)).save(png, format="PNG")
    assert client.complete("What do you see?", images=[img, png.getvalue()]) == "a red square"
    parts = srv.requests[0]["messages"][-1]["content"]
    assert parts[0] == {"type": "text", "text": "What do you see?"}
    urls = [p["image_url"]["url"] for p in parts[1:]]
    assert all(u.startswith("data:image/png;base64,") for u in urls)
    decoded = np.asarray(Image.open(io.BytesIO(base64.b64decode(urls[0].split(",", 1)[1]))))
    assert decoded.shape == (8, 12, 3) and (decoded == img).all()


# --- helpers and the fake ----------------------------------------------------------------


def test_extract_json_tolerates_fences_and_prose():
    assert extract_json('```json\n{"a": 1}\n```') == {"a": 1}
    assert extract_json('Here you go: {"a": {"b": [1, 2]}} hope it helps') == {"a": {"b": [1, 2]}}
    assert extract_json("```\n[1, 2]\n```") == [1, 2]
    with pytest.raises(ValueError, match="no JSON object"):
        extract_json("nothing here")


def test_encode_image_rejects_what_it_cannot_send():
    with pytest.raises(ValueError, match="uint8"):
        encode_image(np.zeros((4, 4, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        encode_image(np.zeros((4, 4, 2), dtype=np.uint8))
    with pytest.raises(ValueError, match="not PNG/JPEG"):
        encode_image(b"hello world")


def test_fake_client_records_calls_and_shares_the_retry_logic():
    fake = FakeModelClient(["not json", GOOD])
    plan = fake.structured("Plan: cup", Plan, images=[np.zeros((2, 2), dtype=np.uint8)])
    assert plan.steps[0].object == "cup"
    assert len(fake.calls) == 2 and all(c["json_mode"] for c in fake.calls)
    assert "no JSON object" in fake.calls[1]["messages"][-1]["content"]
    with pytest.raises(ModelError, match="ran out of scripted replies"):
        fake.complete("again")
    echo = FakeModelClient(lambda messages: messages[-1]["content"].upper())
    assert echo.complete("hi") == "HI"
    failing = FakeModelClient([TimeoutError("server asleep")])
    with pytest.raises(ModelError, match="server asleep"):
        failing.complete("hi")


# --- structured output formats, usage, keys for local servers ----------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("json_schema", "json_schema"),
        ("json_object", "json_object"),
        ("none", None),
        ("auto", "json_object"),  # litellm knows openai/* takes JSON mode, not this schema
    ],
)
def test_structured_requests_carry_the_format_asked_for(server_factory, mode, expected):
    srv = server_factory([GOOD])
    client = ModelClient(
        "openai/fake", api_base=srv.api_base, api_key="x", response_format=mode, retries=0
    )
    assert client.structured("Plan: cup", Plan).steps[0].object == "cup"
    sent = srv.requests[0].get("response_format")
    assert (sent or {}).get("type") == expected
    if expected == "json_schema":
        assert sent["json_schema"]["name"] == "Plan"
        assert sent["json_schema"]["schema"] == Plan.model_json_schema()
    assert client.usage == {"calls": 1, "prompt_tokens": 1, "completion_tokens": 1}


def test_a_bad_response_format_is_refused():
    with pytest.raises(ValueError, match="response_format must be"):
        ModelClient("openai/fake", response_format="xml")  # type: ignore[arg-type]


def test_a_local_server_needs_no_api_key(server_factory, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    srv = server_factory(["hello"])
    assert ModelClient("openai/fake", api_base=srv.api_base, retries=0).complete("hi") == "hello"
