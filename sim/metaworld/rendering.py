"""Cheap offscreen camera images of a MuJoCo scene on a CPU.

A Meta-World frame with MuJoCo's default visual settings costs 100-200 ms on a 2-core CPU
(software OpenGL through Mesa): most of it is the 4096² shadow map and 4x multisampling.
:class:`RenderSettings` turns those off (and planar reflections), which brings a frame to
about 10 ms at 64-128 px and keeps the image a policy needs (see ``docs/metaworld.md``).

OpenGL contexts belong to one thread at a time, and the executor renders from its own
control thread while an env is built and reset on another; :class:`OffscreenCamera` therefore
does all its GL work on one private thread, so any thread may ask it for a frame.

``MUJOCO_GL`` must be chosen before MuJoCo is first imported: :func:`import_mujoco` sets it to
``egl`` (headless, Mesa's EGL on a CPU or the GPU driver's) unless the caller set it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["OffscreenCamera", "RenderSettings", "import_mujoco"]

#: The headless backend used when ``MUJOCO_GL`` is unset (``osmesa`` also works where
#: libOSMesa is installed; ``glfw`` needs a display).
DEFAULT_GL = "egl"


def import_mujoco() -> ModuleType:
    """Import MuJoCo with a headless OpenGL backend.

    Raises:
        ImportError: if MuJoCo is not installed, saying which extra brings it.
        RuntimeError: if MuJoCo was already imported with a windowed backend and there is
            no display (it fixes its backend at import), saying what to do.
    """
    os.environ.setdefault("MUJOCO_GL", DEFAULT_GL)
    try:
        import mujoco
    except ImportError as e:
        raise ImportError(
            f"Meta-World needs MuJoCo ({e}); install the extra: pip install 'housemind[metaworld]'"
        ) from e
    backend = getattr(getattr(mujoco, "GLContext", None), "__module__", "")
    if backend == "mujoco.glfw" and not os.environ.get("DISPLAY"):
        raise RuntimeError(
            "MuJoCo was imported before housemind could choose a headless OpenGL backend, "
            "and there is no display for its window-based default (GLFW). Set "
            f"MUJOCO_GL={DEFAULT_GL} (or osmesa) in the environment, or import "
            "housemind.sim.metaworld before mujoco or metaworld."
        )
    return mujoco


@dataclass(frozen=True)
class RenderSettings:
    """Visual quality switches; the defaults are the cheap ones every recording uses.

    A policy must be trained and evaluated on images made with the same settings.

    Attributes:
        shadows: Shadow mapping (the largest cost on a CPU).
        reflections: Planar reflections of the floor and table.
        multisamples: MSAA samples of the offscreen buffer (0: none).
        skybox: The background texture (costs little; off makes the background black).
    """

    shadows: bool = False
    reflections: bool = False
    multisamples: int = 0
    skybox: bool = True

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (recorded beside benchmark numbers and datasets)."""
        return {
            "shadows": self.shadows,
            "reflections": self.reflections,
            "multisamples": self.multisamples,
            "skybox": self.skybox,
        }


class _GLThread:
    """A daemon thread that runs every OpenGL call of one camera (contexts are per thread).

    A daemon, not a thread pool: pools are joined before ``atexit`` handlers run, and the
    camera must still free its contexts there, before MuJoCo's EGL display is terminated.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], Future] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._run, name="mujoco-render", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, fut = item
            try:
                fut.set_result(fn())
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                fut.set_exception(e)
            # Drop the job now: holding it until the next one would keep its camera alive.
            del item, fn, fut

    def call(self, fn: Callable[[], Any]) -> Any:
        if threading.current_thread() is self._thread:
            return fn()  # e.g. a camera finalised on this thread
        fut: Future = Future()
        self._queue.put((fn, fut))
        return fut.result()

    def stop(self) -> None:
        self._queue.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)


class OffscreenCamera:
    """Renders one named camera of a MuJoCo model at one or more square sizes.

    Args:
        model: The ``mujoco.MjModel`` (its visual quality fields are set here, before any
            OpenGL context exists).
        camera: Camera name in the model (Meta-World: ``corner2``).
        settings: Visual quality switches.
        max_size: Largest side that will be asked for (sizes the offscreen buffer).
        flip: Rotate images by 180° (flip both axes): Meta-World's ``corner2`` camera
            renders upside down.

    Raises:
        ValueError: if the model has no camera of that name.
    """

    def __init__(
        self,
        model: Any,
        camera: str,
        *,
        settings: RenderSettings | None = None,
        max_size: int = 480,
        flip: bool = False,
    ) -> None:
        mujoco = import_mujoco()
        self._mj = mujoco
        self.settings = settings or RenderSettings()
        names = [mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_CAMERA, i) for i in range(model.ncam)]
        if camera not in names:
            raise ValueError(f"no camera {camera!r} in this scene; it has {', '.join(names)}")
        self.camera = camera
        self.flip = flip
        self._model = model
        s = self.settings
        model.vis.quality.offsamples = int(s.multisamples)
        if not s.shadows:
            model.vis.quality.shadowsize = 0
        model.vis.global_.offwidth = max(int(model.vis.global_.offwidth), int(max_size))
        model.vis.global_.offheight = max(int(model.vis.global_.offheight), int(max_size))
        self._renderers: dict[int, Any] = {}
        self._gl: _GLThread | None = _GLThread()
        self._lock = threading.Lock()
        self._exit_hook: Callable[[], None] | None = None

    def render(self, data: Any, size: int) -> np.ndarray:
        """One ``uint8[size, size, 3]`` image of ``data`` (the caller must not step meanwhile).

        Raises:
            RuntimeError: after :meth:`close`.
        """
        with self._lock:
            if self._gl is None:
                raise RuntimeError("this camera is closed; build a new env to render again")
            return self._gl.call(lambda: self._render(data, int(size)))

    def _render(self, data: Any, size: int) -> np.ndarray:
        r = self._renderers.get(size)
        if r is None:
            r = self._mj.Renderer(self._model, size, size)
            flags = r.scene.flags
            flags[self._mj.mjtRndFlag.mjRND_SHADOW] = int(self.settings.shadows)
            flags[self._mj.mjtRndFlag.mjRND_REFLECTION] = int(self.settings.reflections)
            flags[self._mj.mjtRndFlag.mjRND_SKYBOX] = int(self.settings.skybox)
            self._renderers[size] = r
            if self._exit_hook is None:
                # Registered after MuJoCo's own EGL clean-up (made with the first context),
                # so it runs before it: free our contexts while the display still exists.
                ref = weakref.ref(self)

                def hook() -> None:
                    cam = ref()
                    if cam is not None:
                        cam.close()

                self._exit_hook = hook
                atexit.register(hook)
        r.update_scene(data, camera=self.camera)
        img = r.render()
        if self.flip:
            img = img[::-1, ::-1]
        return np.ascontiguousarray(img)

    def close(self) -> None:
        """Free the OpenGL contexts (on the thread that owns them) and stop that thread."""
        with self._lock:
            gl, self._gl = self._gl, None
        if gl is None:
            return

        def free() -> None:
            for r in self._renderers.values():
                r.close()
            self._renderers.clear()

        try:
            gl.call(free)
        finally:
            gl.stop()
            if self._exit_hook is not None:
                atexit.unregister(self._exit_hook)
                self._exit_hook = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # never raise from a finaliser
            self.close()
