"""Feature statistics as LeRobot keeps them (``meta/stats.json`` and per episode).

Each numeric feature gets ``min``, ``max``, ``mean``, ``std``, ``count`` and the quantiles
``q01``, ``q10``, ``q50``, ``q90``, ``q99`` per dimension; an image feature gets them per
channel, shaped ``(3, 1, 1)`` and scaled to ``[0, 1]`` (LeRobot's
``compute_episode_stats``). Episode statistics are merged as LeRobot merges them: counts
add, means and variances combine exactly, minima and maxima are taken, and a quantile keeps
the conservative envelope (the least of the lower quantiles, the largest of the upper ones).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["QUANTILES", "aggregate_stats", "feature_stats", "image_stats"]

#: The quantiles LeRobot records (``DEFAULT_QUANTILES``).
QUANTILES = (0.01, 0.10, 0.50, 0.90, 0.99)
#: Images sampled per episode for their statistics (all of them in shorter episodes).
_IMAGE_SAMPLES = 100


def _qkey(q: float) -> str:
    return f"q{round(q * 100):02d}"


def feature_stats(values: np.ndarray) -> dict[str, np.ndarray]:
    """Statistics of ``values`` (``[frames]`` or ``[frames, dim]``) over frames.

    Raises:
        ValueError: for no frames.
    """
    a = np.asarray(values, dtype=np.float64)
    if a.shape[0] == 0:
        raise ValueError("no frames to compute statistics of")
    if a.ndim == 1:
        a = a[:, None]
    out = {
        "min": a.min(axis=0),
        "max": a.max(axis=0),
        "mean": a.mean(axis=0),
        "std": a.std(axis=0),
        "count": np.array([a.shape[0]]),
    }
    qs = np.quantile(a, QUANTILES, axis=0)
    for q, v in zip(QUANTILES, qs, strict=True):
        out[_qkey(q)] = v
    return out


def image_stats(images: np.ndarray) -> dict[str, np.ndarray]:
    """Per-channel statistics of ``uint8[frames, H, W, C]`` images, in ``[0, 1]``.

    Up to 100 evenly spaced frames are used, as LeRobot samples episode images; ``count``
    is the number of frames used. Values are shaped ``(C, 1, 1)``.
    """
    n = images.shape[0]
    if n == 0:
        raise ValueError("no frames to compute statistics of")
    idx = np.unique(np.linspace(0, n - 1, min(n, _IMAGE_SAMPLES)).round().astype(int))
    px = images[idx].reshape(-1, images.shape[-1]).astype(np.float64) / 255.0
    st = feature_stats(px)
    st["count"] = np.array([len(idx)])
    return {k: v if k == "count" else v.reshape(-1, 1, 1) for k, v in st.items()}


def aggregate_stats(
    stats_list: Sequence[dict[str, dict[str, np.ndarray]]],
) -> dict[str, dict[str, np.ndarray]]:
    """Merge per-episode statistics into dataset statistics (LeRobot's rule).

    Features present in only some inputs are merged over those.
    """
    keys: list[str] = []
    for s in stats_list:
        keys += [k for k in s if k not in keys]
    out: dict[str, dict[str, np.ndarray]] = {}
    for key in keys:
        parts = [s[key] for s in stats_list if key in s]
        counts = np.stack([np.asarray(p["count"], np.float64) for p in parts])
        means = np.stack([p["mean"] for p in parts])
        var = np.stack([np.asarray(p["std"]) ** 2 for p in parts])
        w = counts.reshape((-1,) + (1,) * (means.ndim - 1))
        total = counts.sum()
        mean = (means * w).sum(axis=0) / total
        variance = ((var + (means - mean) ** 2) * w).sum(axis=0) / total
        merged = {
            "min": np.min(np.stack([p["min"] for p in parts]), axis=0),
            "max": np.max(np.stack([p["max"] for p in parts]), axis=0),
            "mean": mean,
            "std": np.sqrt(variance),
            "count": np.array([int(total)]),
        }
        for q in QUANTILES:
            k = _qkey(q)
            if all(k in p for p in parts):
                vals = np.stack([p[k] for p in parts])
                merged[k] = vals.min(axis=0) if q <= 0.5 else vals.max(axis=0)
        out[key] = merged
    return out
