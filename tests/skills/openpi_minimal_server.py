"""A minimal openpi policy server, written from openpi's protocol description alone.

It shares no code with housemind's server or with openpi-client: msgpack with numpy arrays
as maps ``{b"__ndarray__": True, b"data": bytes, b"dtype": str, b"shape": list}`` (scalars
as ``{b"__npgeneric__": True, b"data": value, b"dtype": str}``), metadata as the first
frame, one answer per binary frame, ``GET /healthz`` -> 200, and a traceback text frame plus
close code 1011 when the policy fails. It runs an asyncio websockets server on a thread.
"""

from __future__ import annotations

import asyncio
import http
import threading
import traceback
from collections.abc import Callable
from typing import Any

import msgpack
import numpy as np
import websockets.asyncio.server as ws_server


def _encode(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return {b"__ndarray__": True, b"data": obj.tobytes(), b"dtype": obj.dtype.str,
                b"shape": list(obj.shape)}  # fmt: skip
    if isinstance(obj, np.generic):
        return {b"__npgeneric__": True, b"data": obj.item(), b"dtype": obj.dtype.str}
    return obj


def _decode(obj: dict) -> Any:
    if b"__ndarray__" in obj:
        return np.frombuffer(obj[b"data"], dtype=np.dtype(obj[b"dtype"])).reshape(obj[b"shape"])
    if b"__npgeneric__" in obj:
        return np.dtype(obj[b"dtype"]).type(obj[b"data"])
    return obj


def pack(obj: Any) -> bytes:
    return msgpack.packb(obj, default=_encode)


def unpack(data: bytes) -> Any:
    return msgpack.unpackb(data, object_hook=_decode)


class MinimalOpenPIServer:
    """Serve ``infer(obs) -> dict`` on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, infer: Callable[[dict], dict], metadata: dict | None = None) -> None:
        self.infer = infer
        self.metadata = metadata or {}
        self.received: list[dict] = []
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _handler(self, websocket) -> None:
        await websocket.send(pack(self.metadata))
        async for message in websocket:
            obs = unpack(message)
            self.received.append(obs)
            try:
                answer = self.infer(obs)
            except Exception:  # noqa: BLE001 - the protocol reports it to the client
                await websocket.send(traceback.format_exc())
                await websocket.close(1011, "Internal server error. Traceback included.")
                return
            await websocket.send(pack(answer))

    @staticmethod
    def _health(connection, request):
        if request.path == "/healthz":
            return connection.respond(http.HTTPStatus.OK, "OK\n")
        return None

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with ws_server.serve(
            self._handler, "127.0.0.1", 0, compression=None, max_size=None,
            process_request=self._health,
        ) as server:  # fmt: skip
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> MinimalOpenPIServer:
        self._thread.start()
        assert self._ready.wait(10), "the minimal openpi server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
