"""Episode recordings: frames of a HomeSim episode written as a GIF or an MP4.

A :class:`EpisodeRecorder` captures frames while something else drives the env (an
expert solution, the executor, a learned policy): call :meth:`EpisodeRecorder.tick` after
every control step and it keeps one frame every ``every`` ticks. A frame is the labelled
top-down picture for people (:func:`sim.home.render.render_home`), the robot's egocentric
camera image, or both side by side. GIFs need only Pillow; MP4 needs the ``video`` extra
(``pip install 'housemind[video]'``: imageio and imageio-ffmpeg, which ships ffmpeg).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from housemind.sim.home.perception import detect

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = [
    "VIDEO_FORMATS",
    "tour_steps",
    "EpisodeRecorder",
    "RecordingError",
    "View",
    "compose_frame",
    "write_video",
]

log = logging.getLogger(__name__)

#: What a frame shows: the top-down map, the egocentric camera, or both side by side.
View = Literal["top", "ego", "both"]
#: File suffixes :func:`write_video` writes.
VIDEO_FORMATS = (".gif", ".mp4")
_EGO_SIDE = 256  # the egocentric image is scaled up to this many pixels for people


class RecordingError(RuntimeError):
    """A recording cannot be written (unknown format, missing extra, no frames)."""


def _ego_panel(image: np.ndarray, side: int, height: int) -> np.ndarray:
    """The camera image scaled (nearest neighbour, so pixels stay honest) and captioned."""
    up = Image.fromarray(image).resize((side, side), Image.Resampling.NEAREST)
    panel = Image.new("RGB", (side + 16, max(height, side + 40)), (244, 244, 240))
    panel.paste(up, (8, 30))
    ImageDraw.Draw(panel).text(
        (8, 8),
        f"robot camera ({image.shape[1]}x{image.shape[0]})",
        font=ImageFont.load_default(size=12),
        fill=(0, 0, 0),
    )
    return np.asarray(panel)


def _captioned(frame: np.ndarray, caption: str) -> np.ndarray:
    strip = Image.new("RGB", (frame.shape[1], 24), (30, 30, 40))
    ImageDraw.Draw(strip).text(
        (8, 5), caption, font=ImageFont.load_default(size=13), fill=(255, 255, 255)
    )
    return np.concatenate([frame, np.asarray(strip)], axis=0)


def compose_frame(env: HomeSimEnv, view: View = "top", caption: str = "") -> np.ndarray:
    """One frame of ``env`` as it is now, ``uint8[H, W, 3]``.

    Args:
        env: The simulator.
        view: ``"top"`` (the labelled map), ``"ego"`` (the camera, scaled up) or
            ``"both"`` (the map with the camera to its right).
        caption: A line shown under the picture (the task's goal), if not empty.

    Raises:
        ValueError: for an unknown view.
    """
    frame = _compose(env, view)
    return _captioned(frame, caption) if caption else frame


def _camera_image(env: HomeSimEnv) -> np.ndarray:
    """What the robot's camera shows now, without drawing on the env's sensor noise.

    ``env.observe()`` advances the sensor's random generator; a recorder that called it
    would change the detections the robot itself gets next, and so the episode.
    """
    env._sync()
    dets = detect(env.layout, env.world, random.Random(0))
    return env._camera.image(env.world, dets)


def _compose(env: HomeSimEnv, view: View) -> np.ndarray:
    if view == "top":
        return env.render()
    if view == "ego":
        return _ego_panel(_camera_image(env), _EGO_SIDE, _EGO_SIDE + 40)
    if view == "both":
        top = env.render()
        ego = _ego_panel(_camera_image(env), _EGO_SIDE, top.shape[0])
        h = max(top.shape[0], ego.shape[0])
        out = np.full((h, top.shape[1] + ego.shape[1], 3), 244, dtype=np.uint8)
        out[: top.shape[0], : top.shape[1]] = top
        out[: ego.shape[0], top.shape[1] :] = ego
        return out
    raise ValueError(f"view must be 'top', 'ego' or 'both', got {view!r}")


class EpisodeRecorder:
    """Keeps frames of an episode; call :meth:`tick` after each control step.

    Args:
        env: The simulator to record.
        view: What a frame shows (see :func:`compose_frame`).
        every: Keep one frame every this many ticks (at 50 Hz, 5 gives 10 frames per
            simulated second).
        max_frames: Stop keeping frames after this many (long episodes stay bounded);
            None keeps them all.
        caption: A line shown under every frame (the task's goal), if not empty.

    Example:
        >>> rec = EpisodeRecorder(env, every=5)  # doctest: +SKIP
        >>> run_solution(env, steps, on_tick=rec.tick)  # doctest: +SKIP
        >>> rec.save("episode.gif")  # doctest: +SKIP
    """

    def __init__(
        self,
        env: HomeSimEnv,
        *,
        view: View = "top",
        every: int = 5,
        max_frames: int | None = 2000,
        caption: str = "",
    ) -> None:
        if every < 1:
            raise ValueError(f"every must be >= 1 tick, got {every}")
        if view not in ("top", "ego", "both"):
            raise ValueError(f"view must be 'top', 'ego' or 'both', got {view!r}")
        self.env = env
        self.view: View = view
        self.every = int(every)
        self.max_frames = max_frames
        self.caption = caption
        self.frames: list[np.ndarray] = []
        self.ticks = 0
        self.dropped = 0

    def capture(self) -> None:
        """Keep a frame of the env as it is now (unless ``max_frames`` is reached)."""
        if self.max_frames is not None and len(self.frames) >= self.max_frames:
            self.dropped += 1
            return
        self.frames.append(compose_frame(self.env, self.view, self.caption))

    def tick(self) -> None:
        """Count a control step; every ``every``-th one is captured."""
        if self.ticks % self.every == 0:
            self.capture()
        self.ticks += 1

    def save(self, path: str | Path, *, fps: float = 10.0) -> Path:
        """Write the frames kept so far (see :func:`write_video`); the path written."""
        if self.dropped:
            log.warning(
                "recording kept the first %d frames and dropped %d (max_frames)",
                len(self.frames),
                self.dropped,
            )
        return write_video(self.frames, path, fps=fps)


def _pad_even(frames: Sequence[np.ndarray], block: int) -> list[np.ndarray]:
    h = max(f.shape[0] for f in frames)
    w = max(f.shape[1] for f in frames)
    h, w = -(-h // block) * block, -(-w // block) * block
    out = []
    for f in frames:
        if f.shape[:2] == (h, w):
            out.append(f)
            continue
        g = np.full((h, w, 3), 250, dtype=np.uint8)
        g[: f.shape[0], : f.shape[1]] = f
        out.append(g)
    return out


def write_video(frames: Sequence[np.ndarray], path: str | Path, *, fps: float = 10.0) -> Path:
    """Write ``frames`` (``uint8[H, W, 3]``) as an animated GIF or an MP4 (H.264).

    Frames of different sizes are padded to the largest. The format comes from the
    suffix: ``.gif`` (Pillow) or ``.mp4`` (the ``video`` extra).

    Args:
        frames: The frames, in order.
        path: Output file; its folder is created if missing.
        fps: Frames per second of the video.

    Returns:
        The path written.

    Raises:
        RecordingError: with no frames, an unknown suffix, or MP4 without the extra.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in VIDEO_FORMATS:
        raise RecordingError(
            f"cannot write {path.name!r}: recordings are .gif or .mp4, "
            f"not {suffix or 'no suffix'!r}"
        )
    if not frames:
        raise RecordingError("no frames to write; the episode recorded nothing")
    if fps <= 0:
        raise RecordingError(f"fps must be > 0, got {fps}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gif":
        frames = _pad_even(frames, 1)
        images = [Image.fromarray(f) for f in frames]
        # One palette for the whole clip, from up to eight frames spread over it: a
        # per-frame palette makes the colours flicker.
        pick = frames[:: max(1, len(frames) // 8)][:8]
        palette = Image.fromarray(np.concatenate(pick, axis=0)).quantize(
            colors=255, method=Image.Quantize.MEDIANCUT
        )
        quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
        quantized[0].save(
            path,
            save_all=True,
            append_images=quantized[1:],
            duration=max(20, round(1000.0 / fps)),
            loop=0,
            optimize=False,
        )
        return path
    try:
        import imageio.v2 as imageio
        import imageio_ffmpeg  # noqa: F401  (the writer needs its ffmpeg binary)
    except ImportError as e:
        raise RecordingError(
            f"writing MP4 needs imageio and imageio-ffmpeg ({e.name} is missing): "
            "pip install 'housemind[video]', or record to a .gif"
        ) from None
    frames = _pad_even(frames, 16)
    with imageio.get_writer(
        path, format="FFMPEG", mode="I", fps=fps, codec="libx264", quality=7, pixelformat="yuv420p"
    ) as writer:
        for f in frames:
            writer.append_data(f)
    return path


def tour_steps(env: Any) -> list[tuple[str, dict[str, Any]]]:
    """A short scripted tour: fetch the first misplaced object and put it back where it belongs.

    Used by ``housemind sim record`` when no task is named.
    """
    name = env.misplaced[0]
    rel, place = env.layout.objects[name].home
    steps: list[tuple[str, dict[str, Any]]] = [
        ("navigate", {"target": name}),
        ("pick", {"object": name}),
        ("navigate", {"target": place}),
    ]
    openable = env.layout.fixtures[place].openable
    if openable:
        steps.append(("open", {"target": place}))
    steps.append(("place", {"object": name, "target": place, "relation": rel}))
    if openable:
        steps.append(("close", {"target": place}))
    return steps
