"""The built-in planner's network: relevance of each candidate subtask (torch, small).

For every candidate the network combines the goal embedding, the embeddings of the
candidate's object and target words, their products with the goal (does the goal talk
about this thing?), a learned embedding of the candidate's skill, its numeric features
(:mod:`~agent.planners.builtin.processor`) and a feature of the camera image, and scores
it with an MLP. A softmax over a decision's candidates gives the relevance that the
planner multiplies by affordance.
"""

from __future__ import annotations

import torch
from torch import nn

from housemind.agent.planners.builtin.configuration import BuiltinPlannerConfig

__all__ = ["ImageEncoder", "NextSubtaskModel"]


class ImageEncoder(nn.Module):
    """Three strided convolutions and a global average: ``[B, 3, H, W]`` -> ``[B, D]``."""

    def __init__(self, channels: tuple[int, int, int], out_dim: int) -> None:
        super().__init__()
        c1, c2, c3 = channels
        self.net = nn.Sequential(
            nn.Conv2d(3, c1, 5, stride=2, padding=2),
            nn.ReLU(),
            nn.Conv2d(c1, c2, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(c2, c3, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(c3, out_dim),
            nn.ReLU(),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """Encode uint8-range images scaled to [0, 1]."""
        return self.net(image)


class NextSubtaskModel(nn.Module):
    """Scores the candidate subtasks of a batch of decisions.

    Args:
        config: Sizes (see :class:`BuiltinPlannerConfig`); ``skills`` and ``features``
            must be filled.
    """

    def __init__(self, config: BuiltinPlannerConfig) -> None:
        super().__init__()
        if not config.skills or not config.features:
            raise ValueError("the config needs its skill vocabulary and feature names")
        self.config = config
        p = config.proj_dim
        self.goal_proj = nn.Sequential(nn.Linear(config.embed_dim, p), nn.LayerNorm(p))
        self.word_proj = nn.Sequential(nn.Linear(config.embed_dim, p), nn.LayerNorm(p))
        self.skill_emb = nn.Embedding(len(config.skills), config.skill_dim)
        self.image = ImageEncoder(config.image_channels, config.image_dim)
        width = 6 * p + config.skill_dim + len(config.features) + config.image_dim
        layers: list[nn.Module] = []
        for h in config.hidden:
            layers += [nn.Linear(width, h), nn.GELU(), nn.Dropout(config.dropout)]
            width = h
        layers.append(nn.Linear(width, 1))
        self.score = nn.Sequential(*layers)

    def forward(
        self,
        goal: torch.Tensor,
        words: torch.Tensor,
        obj: torch.Tensor,
        target: torch.Tensor,
        skills: torch.Tensor,
        feats: torch.Tensor,
        mask: torch.Tensor,
        image: torch.Tensor,
        has_image: torch.Tensor,
    ) -> torch.Tensor:
        """Logits of every candidate; padded candidates get ``-inf``.

        Args:
            goal: ``[B, E]`` goal embeddings.
            words: ``[W, E]`` embeddings of object/target words; row 0 means "none".
            obj: ``[B, C]`` row of ``words`` for each candidate's object.
            target: ``[B, C]`` row of ``words`` for each candidate's target.
            skills: ``[B, C]`` skill vocabulary indices.
            feats: ``[B, C, F]`` numeric features.
            mask: ``[B, C]`` True for real candidates.
            image: ``[B, 3, S, S]`` images in [0, 1] (zeros where absent).
            has_image: ``[B]`` 1.0 where an image was given.

        Returns:
            ``[B, C]`` logits.
        """
        g = self.goal_proj(goal)  # [B, P]
        table = self.word_proj(words)  # [W, P]
        o = table[obj] * (obj > 0).unsqueeze(-1)
        t = table[target] * (target > 0).unsqueeze(-1)
        gc = g.unsqueeze(1).expand_as(o)
        img = self.image(image) * has_image.unsqueeze(-1)  # [B, D]
        img = img.unsqueeze(1).expand(-1, o.shape[1], -1)
        x = torch.cat([gc, o, t, gc * o, gc * t, o * t, self.skill_emb(skills), feats, img], dim=-1)
        logits = self.score(x).squeeze(-1)
        return logits.masked_fill(~mask, float("-inf"))
