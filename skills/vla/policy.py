"""The VLA as a System 1 policy: observation and words in, a chunk of actions out.

:class:`VLAPolicy` implements :class:`~skills.policies.base.Policy` with the
real-time-chunking extension: it ``accepts_prefix`` (the actions still queued, which the
new chunk's start is guided onto) and proposes its own
:class:`~skills.chunking.ChunkingConfig` (ask for the next chunk half-way through the
current one, blend the overlap linearly, guide). Chunks come out at the executor's rate:
each model action is held for ``control_hz / fps`` ticks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from housemind.skills.chunking import ChunkingConfig
from housemind.skills.vla.processor import VLAProcessor

if TYPE_CHECKING:
    from housemind.skills.types import Observation
    from housemind.skills.vla.inference import ChunkRunner

__all__ = ["VLAPolicy"]


class VLAPolicy:
    """Runs a trained VLA for one subtask.

    Args:
        runner: Computes chunks (:func:`~skills.vla.inference.load_runner`).
        processor: Pre- and post-processing for the runner's model.
        control_hz: The executor's rate (each model action is held for
            ``control_hz / fps`` ticks).
        chunking: How the executor should ask for and merge chunks (default: refill
            half-way, linear blend, prefix guidance).
    """

    accepts_prefix = True

    def __init__(
        self,
        runner: ChunkRunner,
        processor: VLAProcessor,
        control_hz: float,
        chunking: ChunkingConfig | None = None,
    ) -> None:
        self.runner = runner
        self.processor = processor
        self.config = processor.config
        self.control_hz = float(control_hz)
        ticks = processor.ticks_per_action(control_hz) * self.config.chunk_size
        self.chunking = chunking or ChunkingConfig(
            refill_below=ticks // 2, blend="linear", guide=True
        )
        self.reset()

    def reset(self) -> None:
        """Restart the noise generator (the same subtask gives the same chunks)."""
        self._rng = np.random.default_rng(self.config.seed)

    def predict_chunk(
        self, obs: Observation, instruction: str, prefix: np.ndarray | None = None
    ) -> np.ndarray:
        """The next actions at the executor's rate, ``float32[H * k, A]``.

        Args:
            obs: The observation now.
            instruction: The subtask's words.
            prefix: Actions still queued at the executor's rate; the new chunk's start is
                guided onto them (real-time chunking).
        """
        p, cfg = self.processor, self.config
        image = p.image(obs.image)[None]
        text = p.text([instruction])
        state = p.state(obs.proprio.as_array())[None]
        noise = (
            self._rng.standard_normal((1, cfg.chunk_size, cfg.action_dim), dtype=np.float32)
            * cfg.noise_scale
        )
        pre, weights = p.guidance(prefix, self.control_hz)
        chunk = self.runner(image, text, state, noise, pre[None], weights[None])[0]
        return p.to_control_rate(p.unnormalize_actions(chunk), self.control_hz)
