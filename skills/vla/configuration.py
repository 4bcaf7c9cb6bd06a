"""The built-in VLA's configuration: what it sees, how big it is, how it samples.

One :class:`VLAConfig` describes a model completely; it is saved as ``config.json`` beside
the weights (``model.safetensors``), so a checkpoint loads without code changes. HomeSim
and Meta-World use the same model code with different configs (image crop, which state
entries, action size, chunk length). The normalisation statistics are filled in from the
training dataset's ``meta/stats.json`` when training starts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["CONFIG_NAME", "VLAConfig"]

#: File name of a saved config.
CONFIG_NAME = "config.json"
_FORMAT = 1


@dataclass
class VLAConfig:
    """Configuration of :class:`~skills.vla.modeling.VLAModel`.

    Attributes:
        image_key: Dataset feature of the camera image.
        state_key: Dataset feature of the proprioception.
        action_key: Dataset feature of the action.
        camera_size: Side of the recorded (square) camera image, in pixels.
        crop: Side of the centred square cut from it (None: the whole image). HomeSim's
            camera is a robot-centred top-down view; the middle 48 of 128 pixels
            (2.25 m) hold everything within reach at 4.7 cm a pixel.
        input_size: Side the crop is resized to for the encoder (== crop: no resize).
        state_indices: Entries of the state vector the model sees. HomeSim's absolute
            ``x, y`` and heading are left out: they differ in every home and would let the
            policy memorise positions instead of looking.
        action_dim: Entries of an action.
        text_dim: Size of the sentence embedding (all-MiniLM-L6-v2: 384).
        fps: Actions per second the model predicts; the policy holds each action for
            ``control_hz / fps`` ticks of a faster executor.
        chunk_size: Actions per chunk (H).
        channels: Channels of the encoder's convolutions (three at the crop's full
            resolution after the first stride, two more halving it).
        keypoints: Spatial-softmax keypoints (where, in the image, the features the
            words select are).
        cond_dim: Width of the observation embedding the action expert is conditioned on.
        expert_width: Width of the action expert's residual blocks.
        expert_blocks: Residual blocks of the action expert.
        denoise_steps: Euler steps of the flow from noise to actions.
        noise_scale: Scale of the starting noise at inference (0: the flow's mean path,
            deterministic; 1: a sample).
        rtc_hard: Model steps of a guidance prefix held exactly (real-time chunking).
        rtc_max_gain: Cap on the guidance gain (the RTC paper's clip, beta).
        state_mean: Normalisation of the seen state entries (from the dataset).
        state_std: As above.
        action_low: Per-entry minimum of actions (from the dataset); actions are
            normalised to [-1, 1] over ``[action_low, action_high]``.
        action_high: As above.
        seed: Seed of the inference noise.
        skills: Skills the training data showed (the policy backend refuses others).
    """

    image_key: str = "observation.image"
    state_key: str = "observation.state"
    action_key: str = "action"
    camera_size: int = 128
    crop: int | None = 48
    input_size: int = 48
    state_indices: list[int] = field(default_factory=lambda: [4, 5, 6, 7])
    action_dim: int = 7
    text_dim: int = 384
    fps: int = 50
    chunk_size: int = 10
    channels: list[int] = field(default_factory=lambda: [16, 32, 32, 64, 64])
    keypoints: int = 32
    cond_dim: int = 512
    expert_width: int = 384
    expert_blocks: int = 3
    denoise_steps: int = 10
    noise_scale: float = 1.0
    rtc_hard: int = 1
    rtc_max_gain: float = 5.0
    state_mean: list[float] = field(default_factory=list)
    state_std: list[float] = field(default_factory=list)
    action_low: list[float] = field(default_factory=list)
    action_high: list[float] = field(default_factory=list)
    seed: int = 0
    skills: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        problems = []
        if self.crop is not None and not 8 <= self.crop <= self.camera_size:
            problems.append(f"crop {self.crop} must be between 8 and camera_size")
        if self.input_size < 16:
            problems.append(f"input_size {self.input_size} must be at least 16")
        if len(self.channels) != 5:
            problems.append(f"channels needs 5 entries, got {self.channels}")
        if self.chunk_size < 1 or self.denoise_steps < 1 or self.fps < 1:
            problems.append("chunk_size, denoise_steps and fps must be >= 1")
        if self.noise_scale < 0:
            problems.append(f"noise_scale must be >= 0, got {self.noise_scale}")
        if problems:
            raise ValueError("bad VLA config: " + "; ".join(problems))

    @property
    def state_dim(self) -> int:
        """Entries of the state the model sees."""
        return len(self.state_indices)

    @property
    def normalized(self) -> bool:
        """Whether the dataset statistics are filled in."""
        return bool(self.state_mean and self.action_low)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (with the format version)."""
        return {"format": _FORMAT, "type": "housemind-vla", **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VLAConfig:
        """Build from :meth:`to_dict` output.

        Raises:
            ValueError: for another format or unknown keys.
        """
        data = dict(data)
        if data.pop("type", "housemind-vla") != "housemind-vla":
            raise ValueError("not a housemind VLA config (its 'type' is not housemind-vla)")
        fmt = data.pop("format", _FORMAT)
        if fmt != _FORMAT:
            raise ValueError(f"VLA config format {fmt} is not {_FORMAT}; retrain or convert it")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown VLA config keys {unknown}")
        return cls(**data)

    def save(self, folder: str | Path) -> Path:
        """Write ``config.json`` into ``folder``; returns its path."""
        path = Path(folder) / CONFIG_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, folder: str | Path) -> VLAConfig:
        """Read ``config.json`` from ``folder``.

        Raises:
            FileNotFoundError: if there is none (the message says where it looked).
        """
        path = Path(folder) / CONFIG_NAME
        if not path.is_file():
            raise FileNotFoundError(
                f"no VLA config at {path}; train one with `housemind train vla`"
            )
        return cls.from_dict(json.loads(path.read_text()))
