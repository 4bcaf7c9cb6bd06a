"""The built-in VLA: a word-conditioned image encoder and a flow-matching action expert.

Observation encoder: a small CNN over the (cropped) camera image whose every block is
modulated by the subtask's sentence embedding (FiLM: per-channel scale and shift computed
from the words), so the words select which colours and shapes matter (the mug, the sink).
A spatial softmax turns the last full-resolution feature maps into keypoints (where those
features are, with sub-pixel precision); two strided blocks add a coarse view of the
surroundings. Keypoints, the coarse view, the words and the proprioception form the
condition.

Action expert: a residual MLP that predicts the velocity of a rectified flow from Gaussian
noise to a chunk of ``H`` normalised actions, modulated by the condition and the flow time
(adaptive layer norm). Training regresses the velocity ``a - noise`` at a random time;
inference integrates ``denoise_steps`` Euler steps. Real-time chunking: given actions still
queued from the previous chunk (a prefix) and weights, every step steers the predicted
chunk's start onto them (the guidance of Black et al., 2025, in its simple inpainting form:
the velocity is corrected by the weighted gap between the prefix and the predicted clean
chunk, with the gain capped).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from housemind.skills.vla.configuration import VLAConfig

__all__ = ["ChunkSampler", "VLAModel", "count_parameters"]


def count_parameters(module: nn.Module) -> int:
    """Number of parameters of ``module``."""
    return sum(p.numel() for p in module.parameters())


class _FiLMBlock(nn.Module):
    """Conv -> GroupNorm -> FiLM(words) -> ReLU."""

    def __init__(self, cin: int, cout: int, stride: int, lang: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.norm = nn.GroupNorm(8 if cout % 8 == 0 else 1, cout)
        self.film = nn.Linear(lang, 2 * cout)
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)

    def forward(self, x: torch.Tensor, lang: torch.Tensor) -> torch.Tensor:
        h = self.norm(self.conv(x))
        scale, shift = self.film(lang)[:, :, None, None].chunk(2, dim=1)
        return F.relu(h * (1.0 + scale) + shift)


class _SpatialSoftmax(nn.Module):
    """Expected image coordinates (in [-1, 1]) of each channel's softmax over pixels."""

    def __init__(self, channels: int, size: int) -> None:
        super().__init__()
        lin = torch.linspace(-1.0, 1.0, size)
        ys, xs = torch.meshgrid(lin, lin, indexing="ij")
        self.register_buffer("grid", torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1))
        self.log_temp = nn.Parameter(torch.zeros(1))
        self.channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = x.shape[0]
        attn = torch.softmax(x.reshape(b, self.channels, -1) / self.log_temp.exp(), dim=-1)
        return (attn @ self.grid).reshape(b, -1)  # [B, 2K]


class _AdaBlock(nn.Module):
    """Residual MLP block with adaptive layer norm (scale, shift, gate from the condition)."""

    def __init__(self, width: int, cond: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(width, elementwise_affine=False)
        self.mlp = nn.Sequential(
            nn.Linear(width, 2 * width), nn.GELU(approximate="tanh"), nn.Linear(2 * width, width)
        )
        self.ada = nn.Linear(cond, 3 * width)
        nn.init.zeros_(self.ada.weight)
        nn.init.zeros_(self.ada.bias)

    def forward(self, h: torch.Tensor, mod: torch.Tensor) -> torch.Tensor:
        """``mod`` is ``ada(condition)``: the block's scale, shift and gate."""
        scale, shift, gate = mod.chunk(3, dim=-1)
        return h + (1.0 + gate) * self.mlp(self.norm(h) * (1.0 + scale) + shift)


def _time_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half, dtype=t.dtype, device=t.device) / half)
    ang = t[:, None] * 100.0 * freqs[None, :]
    return torch.cat([ang.sin(), ang.cos()], dim=-1)


class VLAModel(nn.Module):
    """Vision-language-action policy network (see the module docstring).

    Inputs are already processed (:class:`~skills.vla.processor.VLAProcessor`): images
    ``float32[B, 3, S, S]`` in ``[0, 1]``, sentence embeddings ``float32[B, text_dim]``,
    normalised states ``float32[B, state_dim]``; actions are normalised to ``[-1, 1]``.

    Args:
        config: The configuration.
    """

    def __init__(self, config: VLAConfig) -> None:
        super().__init__()
        self.config = cfg = config
        c1, c2, c3, c4, c5 = cfg.channels
        lang = 256
        self.lang = nn.Sequential(nn.Linear(cfg.text_dim, lang), nn.GELU(approximate="tanh"))
        self.b1 = _FiLMBlock(3, c1, 1, lang)
        self.b2 = _FiLMBlock(c1, c2, 2, lang)
        self.b3 = _FiLMBlock(c2, c3, 1, lang)
        self.kp = nn.Conv2d(c3, cfg.keypoints, 1)
        half = (cfg.input_size + 1) // 2
        self.softmax = _SpatialSoftmax(cfg.keypoints, half)
        self.b4 = _FiLMBlock(c3, c4, 2, lang)
        self.b5 = _FiLMBlock(c4, c5, 2, lang)
        coarse = (half + 1) // 2
        coarse = (coarse + 1) // 2
        self.coarse = nn.Linear(c5 * coarse * coarse, 256)
        self.state = nn.Linear(cfg.state_dim, 64)
        self.fuse = nn.Sequential(
            nn.Linear(2 * cfg.keypoints + 256 + lang + 64, cfg.cond_dim),
            nn.GELU(approximate="tanh"),
            nn.Linear(cfg.cond_dim, cfg.cond_dim),
        )
        width, flat = cfg.expert_width, cfg.chunk_size * cfg.action_dim
        self.time = nn.Sequential(
            nn.Linear(64, cfg.cond_dim),
            nn.GELU(approximate="tanh"),
            nn.Linear(cfg.cond_dim, cfg.cond_dim),
        )
        self.inp = nn.Linear(flat, width)
        self.blocks = nn.ModuleList(
            _AdaBlock(width, cfg.cond_dim) for _ in range(cfg.expert_blocks)
        )
        self.out_norm = nn.LayerNorm(width, elementwise_affine=False)
        self.out = nn.Linear(width, flat)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)
        self._mods_cache: dict[tuple, list[list[torch.Tensor]]] = {}

    # -- observation ----------------------------------------------------------------------

    def encode(self, image: torch.Tensor, text: torch.Tensor, state: torch.Tensor) -> torch.Tensor:
        """The condition ``float32[B, cond_dim]`` of an observation."""
        lang = self.lang(text)
        x = (image - 0.5) / 0.25
        x = self.b1(x, lang)
        x = self.b2(x, lang)
        x = self.b3(x, lang)
        keypoints = self.softmax(self.kp(x))
        x = self.b4(x, lang)
        x = self.b5(x, lang)
        coarse = F.gelu(self.coarse(x.flatten(1)), approximate="tanh")
        st = F.gelu(self.state(state), approximate="tanh")
        return self.fuse(torch.cat([keypoints, coarse, lang, st], dim=-1))

    # -- action expert --------------------------------------------------------------------

    def velocity(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        """Flow velocity ``float32[B, H, A]`` at chunk ``x`` (``[B, H, A]``) and time ``t``."""
        c = cond + self.time(_time_embedding(t, 64))
        return self._expert(x, [blk.ada(c) for blk in self.blocks])

    def _expert(self, x: torch.Tensor, mods: list[torch.Tensor]) -> torch.Tensor:
        b = x.shape[0]
        h = self.inp(x.reshape(b, -1))
        for blk, mod in zip(self.blocks, mods, strict=True):
            h = blk(h, mod)
        return self.out(self.out_norm(h)).reshape(b, self.config.chunk_size, self.config.action_dim)

    def _step_mods(self, steps: int, like: torch.Tensor) -> list[list[torch.Tensor]]:
        """Per Euler step, each block's ``ada(time(t))`` (they do not depend on the input)."""
        key = (steps, like.device, like.dtype)
        hit = self._mods_cache.get(key)
        if hit is None:
            with torch.no_grad():
                ts = torch.arange(steps, dtype=like.dtype, device=like.device) / steps
                tau = self.time(_time_embedding(ts, 64))
                hit = [[blk.ada(tau[i : i + 1]) for blk in self.blocks] for i in range(steps)]
            if not self.training:
                self._mods_cache[key] = hit
        return hit

    def train(self, mode: bool = True) -> VLAModel:
        """Switch mode (and forget cached time modulations, which depend on the weights)."""
        self._mods_cache.clear()
        return super().train(mode)

    def forward(
        self,
        image: torch.Tensor,
        text: torch.Tensor,
        state: torch.Tensor,
        actions: torch.Tensor,
        generator: torch.Generator | None = None,
        noise: torch.Tensor | None = None,
        t: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """The training loss (so ``DistributedDataParallel`` can wrap the model)."""
        return self.loss(image, text, state, actions, generator, noise, t)

    def loss(
        self,
        image: torch.Tensor,
        text: torch.Tensor,
        state: torch.Tensor,
        actions: torch.Tensor,
        generator: torch.Generator | None = None,
        noise: torch.Tensor | None = None,
        t: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Flow-matching loss of a batch (``actions``: ``[B, H, A]``, normalised).

        ``noise`` (``[B, H, A]``) and flow times ``t`` (``[B]``) are drawn from
        ``generator`` unless given (distributed training draws them for the global batch
        and hands each rank its rows).
        """
        cond = self.encode(image, text, state)
        if noise is None:
            noise = torch.randn(actions.shape, generator=generator, device=actions.device)
        if t is None:
            t = torch.rand(actions.shape[0], generator=generator, device=actions.device)
        tt = t[:, None, None]
        x_t = tt * actions + (1.0 - tt) * noise
        return F.mse_loss(self.velocity(x_t, t, cond), actions - noise)

    def sample(
        self,
        cond: torch.Tensor,
        noise: torch.Tensor,
        prefix: torch.Tensor | None = None,
        weights: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Integrate the flow from ``noise`` to a chunk ``[B, H, A]`` (normalised).

        Args:
            cond: Condition from :meth:`encode`.
            noise: Starting point, ``[B, H, A]``.
            prefix: Actions the chunk's start should follow (real-time chunking),
                ``[B, H, A]`` (positions without a prefix are ignored).
            weights: How strongly each position follows the prefix, in ``[0, 1]``.
        """
        steps = self.config.denoise_steps
        # ada(cond + time(t)) = W cond + ada(time(t)): the condition's part once per chunk,
        # the time's part per step from a cache.
        cond_mods = [F.linear(cond, blk.ada.weight) for blk in self.blocks]
        step_mods = self._step_mods(steps, cond)
        x = noise
        dt = 1.0 / steps
        for i in range(steps):
            t = i * dt
            v = self._expert(x, [c + s for c, s in zip(cond_mods, step_mods[i], strict=True)])
            if prefix is not None and weights is not None:
                gain = min(self.config.rtc_max_gain, 1.0 / (1.0 - t))
                x1 = x + (1.0 - t) * v
                v = v + gain * weights * (prefix - x1)
            x = x + dt * v
        return x


class ChunkSampler(nn.Module):
    """Observation to chunk in one call (what is exported to ONNX).

    ``forward(image, text, state, noise, prefix, weights) -> chunk``; all-zero
    ``weights`` switch the prefix guidance off.
    """

    def __init__(self, model: VLAModel) -> None:
        super().__init__()
        self.model = model

    def forward(
        self,
        image: torch.Tensor,
        text: torch.Tensor,
        state: torch.Tensor,
        noise: torch.Tensor,
        prefix: torch.Tensor,
        weights: torch.Tensor,
    ) -> torch.Tensor:
        """The chunk ``[B, H, A]`` (normalised) for processed inputs."""
        cond = self.model.encode(image, text, state)
        return self.model.sample(cond, noise, prefix, weights)
