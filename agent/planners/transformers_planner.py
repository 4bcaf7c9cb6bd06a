"""The ``transformers`` planner backend: local weights from a path, no server, no download.

Select it with ``--planner transformers:/path/to/model``: an image-text-to-text model
folder (SmolVLM, Qwen2-VL class), a text-only instruct model folder, or a ``.gguf`` file
(through the ``gguf`` package). Needs the ``local`` extra (transformers, gguf, accelerate).
"""

from __future__ import annotations

from pathlib import Path

from housemind.agent.llm import TransformersModelClient
from housemind.agent.planners.base import register_planner
from housemind.agent.planners.model import ModelPlanner

__all__ = ["transformers_planner"]


@register_planner("transformers")
def transformers_planner(
    path: str | Path,
    *,
    images: int | None = None,
    max_new_tokens: int = 384,
    device: str = "cpu",
    dtype: str | None = None,
    threads: int | None = None,
) -> ModelPlanner:
    """A :class:`~agent.planners.model.ModelPlanner` over local weights.

    The weights load on the first plan (or call ``planner.client.load()``).

    Args:
        path: Model folder or ``.gguf`` file.
        images: Camera images per request (None: 1 for a vision model, 0 otherwise).
        max_new_tokens: Reply length limit.
        device: torch device.
        dtype: torch dtype name (None: the checkpoint's).
        threads: CPU threads for torch (None: torch's default).

    Raises:
        FileNotFoundError: Nothing usable at ``path``.
    """
    client = TransformersModelClient(
        path, max_new_tokens=max_new_tokens, device=device, dtype=dtype, threads=threads
    )
    if images is None:
        images = 1 if client.vision else 0
    return ModelPlanner(client, name=f"transformers:{client.path.name}", images=images)
