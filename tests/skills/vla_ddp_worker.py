"""Helper script of ``test_vla_ddp.py`` (not a test): record a tiny dataset, or train on it.

``python vla_ddp_worker.py record DIR`` records expert episodes of a point robot with a
small camera. ``python vla_ddp_worker.py train DATA OUT STEPS BATCH [DIE_AT]`` trains a
tiny VLA with a fake sentence encoder (no download) and writes this rank's summary to
``OUT/rank<R>.json``; run it under ``torchrun`` to train on several processes. With
``DIE_AT``, rank 0 dies when step ``DIE_AT`` is reported (a crash mid-training).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np


def fake_text(texts):
    """Deterministic unit vectors per text (a fake sentence model)."""
    out = []
    for t in texts:
        seed = int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)
        v = np.random.default_rng(seed).standard_normal(16)
        out.append(v / np.linalg.norm(v))
    return np.asarray(out, np.float32)


def record(root: Path) -> None:
    from housemind.skills import REGISTRY, Executor
    from housemind.skills.recording import EpisodeRecorder, LeRobotDatasetWriter, episode_features
    from housemind.skills.testing import PointRobotEnv

    class CameraRobot(PointRobotEnv):
        """The point robot with an 8x8 camera that shows how far it drove."""

        def observe(self):
            obs = super().observe()
            img = np.zeros((8, 8, 3), np.uint8)
            img[..., 0] = min(255, int(abs(self.x) * 60))
            img[2:4, 2:4, 1] = 200 if self.held else 0
            obs.image = img
            return obs

    env = CameraRobot()
    with LeRobotDatasetWriter.create(root, fps=50, features=episode_features(env)) as w:
        rec = EpisodeRecorder(w, env, source="expert")
        with Executor(env, rate_hz=50, observers=[rec]) as ex:
            for i in range(3):
                env.reset()
                env.things = {"mug": "table"}
                env.spots["table"] = (1.0 + 0.2 * i, 0.0)
                ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
                ex.run(REGISTRY.bind("pick", {"object": "mug"}), timeout=10)


def train(data: Path, out: Path, steps: int, batch: int, die_at: int | None = None) -> None:
    from housemind.skills.vla.configuration import VLAConfig
    from housemind.skills.vla.processor import TextEncoder
    from housemind.skills.vla.training import TrainConfig, train_vla

    model = VLAConfig(
        camera_size=8, crop=None, input_size=16, state_indices=[4, 5, 7], action_dim=3,
        text_dim=16, chunk_size=4, channels=[8, 8, 8, 8, 8], keypoints=4, cond_dim=32,
        expert_width=32, expert_blocks=1, denoise_steps=4, fps=50,
    )  # fmt: skip
    cfg = TrainConfig(
        dataset=str(data), out=str(out), steps=steps, batch_size=batch, lr=3e-3, warmup=1,
        log_every=1, save_every=2, cache=str(out / "cache"), threads=1, device="cpu",
    )  # fmt: skip

    def progress(rec):
        if die_at is not None and rec.get("step") == die_at:
            raise SystemExit(f"rank 0 dies at step {die_at}")

    info = train_vla(cfg, model, text=TextEncoder(fake_text), progress=progress)
    (out / f"rank{info['rank']}.json").write_text(json.dumps(info))


if __name__ == "__main__":
    if sys.argv[1] == "record":
        record(Path(sys.argv[2]))
    else:
        die = int(sys.argv[6]) if len(sys.argv) > 6 else None
        train(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), die)
