"""Between the world and the VLA: images, words, state and actions in and out.

:class:`VLAProcessor` turns an observation into the model's inputs (the centre crop of the
camera image, the sentence embedding of the subtask, the normalised proprioception) and a
normalised chunk back into actions at the executor's rate. The same functions prepare
training data, so training and inference cannot drift apart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

from housemind.skills.vla.configuration import VLAConfig

__all__ = ["TextEncoder", "VLAProcessor", "crop_image"]


def crop_image(image: np.ndarray, config: VLAConfig) -> np.ndarray:
    """The model's view of a camera image: ``uint8[S, S, 3]`` (``S = input_size``).

    The centre ``crop / camera_size`` of the image is cut out (the same part of the view
    whatever the camera's resolution) and resized to ``input_size`` when it is not already.

    Raises:
        ValueError: for an image that is not ``[H, W, 3]``.
    """
    img = np.asarray(image)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"expected an RGB image [H, W, 3], got shape {img.shape}")
    h, w = img.shape[:2]
    if config.crop is not None:
        side = max(1, round(min(h, w) * config.crop / config.camera_size))
        top, left = (h - side) // 2, (w - side) // 2
        img = img[top : top + side, left : left + side]
    if img.shape[0] != config.input_size or img.shape[1] != config.input_size:
        from PIL import Image

        img = np.asarray(
            Image.fromarray(np.ascontiguousarray(img)).resize(
                (config.input_size, config.input_size), Image.Resampling.NEAREST
            )
        )
    return np.ascontiguousarray(img, dtype=np.uint8)


class TextEncoder:
    """Sentence embeddings of subtask texts, cached per text.

    Args:
        embed: Turns texts into ``float32[n, dim]`` rows; default the project's shipped
            sentence model (``housemind.memory.embeddings``, ONNX Runtime when available).
    """

    def __init__(self, embed: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self._embed = embed
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._embed is None:
            from housemind.memory.embeddings import get_embedder

            self._embed = get_embedder().encode
        return np.asarray(self._embed(texts), np.float32)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, ``float32[n, dim]`` (each text embedded once)."""
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if todo:
                for t, v in zip(todo, self._encode(todo), strict=True):
                    self._cache[t] = v
            return np.stack([self._cache[t] for t in texts])


class VLAProcessor:
    """Pre- and post-processing for :class:`~skills.vla.modeling.VLAModel`.

    Args:
        config: The model's configuration (with dataset statistics filled in).
        text: The sentence encoder (a new cached one by default).

    Raises:
        ValueError: if the configuration has no normalisation statistics.
    """

    def __init__(self, config: VLAConfig, text: TextEncoder | None = None) -> None:
        if not config.normalized:
            raise ValueError(
                "the VLA config has no dataset statistics (state_mean, action_low...); "
                "they are filled in by training"
            )
        self.config = config
        self.text = text or TextEncoder()
        self._state_idx = np.asarray(config.state_indices)
        self._state_mean = np.asarray(config.state_mean, np.float32)
        self._state_std = np.maximum(np.asarray(config.state_std, np.float32), 1e-6)
        self._low = np.asarray(config.action_low, np.float32)
        self._span = np.asarray(config.action_high, np.float32) - self._low
        self._span[self._span < 1e-6] = 0.0

    # -- inputs ---------------------------------------------------------------------------

    def image(self, image: np.ndarray) -> np.ndarray:
        """``float32[3, S, S]`` in ``[0, 1]`` from a camera image."""
        return crop_image(image, self.config).transpose(2, 0, 1).astype(np.float32) / 255.0

    def images(self, crops: np.ndarray) -> np.ndarray:
        """``float32[B, 3, S, S]`` from already cropped ``uint8[B, S, S, 3]``."""
        return crops.transpose(0, 3, 1, 2).astype(np.float32) / 255.0

    def state(self, state: np.ndarray) -> np.ndarray:
        """Normalised seen entries of a state vector (or a batch ``[B, D]``)."""
        s = np.asarray(state, np.float32)[..., self._state_idx]
        return (s - self._state_mean) / self._state_std

    # -- actions --------------------------------------------------------------------------

    def normalize_actions(self, actions: np.ndarray) -> np.ndarray:
        """Actions to ``[-1, 1]`` (entries that never vary become 0)."""
        a = np.asarray(actions, np.float32)
        safe = np.where(self._span > 0, self._span, 1.0)
        return np.where(self._span > 0, 2.0 * (a - self._low) / safe - 1.0, 0.0).astype(np.float32)

    def unnormalize_actions(self, actions: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`normalize_actions`, clipped to the recorded range."""
        a = np.clip(np.asarray(actions, np.float32), -1.0, 1.0)
        return (self._low + (a + 1.0) * 0.5 * self._span).astype(np.float32)

    def ticks_per_action(self, control_hz: float) -> int:
        """Executor ticks each model action is held for.

        Raises:
            ValueError: if the control rate is not a whole multiple of the model's fps.
        """
        k = control_hz / self.config.fps
        if k < 1 or abs(k - round(k)) > 1e-6:
            raise ValueError(
                f"the VLA acts at {self.config.fps} Hz; the control rate {control_hz:g} Hz must "
                "be a whole multiple of it"
            )
        return round(k)

    def to_control_rate(self, chunk: np.ndarray, control_hz: float) -> np.ndarray:
        """``[H, A]`` model-rate actions to ``[H * k, A]`` executor ticks (each held k ticks)."""
        return np.repeat(chunk, self.ticks_per_action(control_hz), axis=0)

    def guidance(
        self, prefix: np.ndarray | None, control_hz: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Normalised prefix and weights ``[H, A]`` for real-time chunking.

        Args:
            prefix: Actions still queued at the executor's rate (None: no guidance).
            control_hz: The executor's rate.

        Returns:
            The prefix at the model's rate (zeros past its end) and its weights: 1 for the
            first :attr:`~VLAConfig.rtc_hard` model steps, then falling linearly to 0 at
            the end of the prefix.
        """
        cfg = self.config
        h, a = cfg.chunk_size, cfg.action_dim
        out = np.zeros((h, a), np.float32)
        w = np.zeros((h, a), np.float32)
        if prefix is None or len(prefix) == 0:
            return out, w
        k = self.ticks_per_action(control_hz)
        pre = np.asarray(prefix, np.float32)[::k][:h]
        n = len(pre)
        out[:n] = self.normalize_actions(pre)
        hard = min(cfg.rtc_hard, n)
        ramp = np.ones(n, np.float32)
        if n > hard:
            ramp[hard:] = np.linspace(1.0, 0.0, n - hard + 2, dtype=np.float32)[1:-1]
        w[:n] = ramp[:, None]
        return out, w
