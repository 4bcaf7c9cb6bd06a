"""The built-in VLA: config, processor, flow sampling with guidance, checkpoints, training
(a smoke run on a tiny recording), the policy through the executor, the ``vla`` backend."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("pyarrow")
pytest.importorskip("safetensors")

from housemind.skills import REGISTRY, Executor  # noqa: E402
from housemind.skills.policies import backend_for, policy_factory  # noqa: E402
from housemind.skills.policies.base import PolicyError  # noqa: E402
from housemind.skills.recording import (  # noqa: E402
    EpisodeRecorder,
    LeRobotDatasetWriter,
    episode_features,
)
from housemind.skills.testing import PointRobotEnv  # noqa: E402
from housemind.skills.vla.checkpoint import export_model, load_model, save_model  # noqa: E402
from housemind.skills.vla.configuration import VLAConfig  # noqa: E402
from housemind.skills.vla.modeling import VLAModel, count_parameters  # noqa: E402
from housemind.skills.vla.processor import TextEncoder, VLAProcessor, crop_image  # noqa: E402
from housemind.skills.vla.training import TrainConfig, train_vla  # noqa: E402


def fake_text(texts):
    """Deterministic unit vectors per text (a fake sentence model: no download, no ONNX)."""
    out = []
    for t in texts:
        seed = int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)
        v = np.random.default_rng(seed).standard_normal(16)
        out.append(v / np.linalg.norm(v))
    return np.asarray(out, np.float32)


def tiny_config(**kw) -> VLAConfig:
    base = dict(
        camera_size=8, crop=None, input_size=16, state_indices=[0, 1, 7], action_dim=3,
        text_dim=16, chunk_size=4, channels=[8, 8, 8, 8, 8], keypoints=4, cond_dim=32,
        expert_width=32, expert_blocks=1, denoise_steps=4, fps=50,
        state_mean=[0.0, 0.0, 0.0], state_std=[1.0, 1.0, 1.0],
        action_low=[-1.0, -1.0, -1.0], action_high=[1.0, 1.0, 1.0],
    )  # fmt: skip
    base.update(kw)
    return VLAConfig(**base)


class CameraRobot(PointRobotEnv):
    """The point robot with an 8x8 camera whose red channel shows how far it drove."""

    def observe(self):
        obs = super().observe()
        img = np.zeros((8, 8, 3), np.uint8)
        img[..., 0] = min(255, int(abs(self.x) * 60))
        img[2:4, 2:4, 1] = 200 if self.held else 0
        obs.image = img
        return obs


def test_config_round_trips_and_refuses_nonsense(tmp_path):
    cfg = tiny_config(skills=["pick"])
    cfg.save(tmp_path)
    assert VLAConfig.load(tmp_path) == cfg
    with pytest.raises(ValueError, match="crop"):
        VLAConfig(crop=400)
    with pytest.raises(ValueError, match="unknown VLA config keys"):
        VLAConfig.from_dict({**cfg.to_dict(), "wings": 2})
    with pytest.raises(FileNotFoundError, match="train"):
        VLAConfig.load(tmp_path / "none")


def test_processor_crops_the_middle_and_converts_rates():
    cfg = VLAConfig(
        state_mean=[0.0] * 4, state_std=[2.0] * 4, action_low=[-1] * 7, action_high=[1] * 7
    )
    img = np.zeros((128, 128, 3), np.uint8)
    img[40:88, 40:88] = 7  # the middle 48 pixels
    crop = crop_image(img, cfg)
    assert crop.shape == (48, 48, 3) and (crop == 7).all()
    small = np.zeros((64, 64, 3), np.uint8)
    small[20:44, 20:44] = 9  # the same 2.25 m from a 64-pixel camera, resized
    assert (crop_image(small, cfg) == 9).all()
    p = VLAProcessor(cfg, TextEncoder(fake_text))
    state = np.arange(8, dtype=np.float32)
    assert np.allclose(p.state(state), np.array([4, 5, 6, 7]) / 2.0)  # vx, vy, wz, gripper
    acts = np.random.default_rng(0).uniform(-1, 1, (5, 7)).astype(np.float32)
    assert np.allclose(p.unnormalize_actions(p.normalize_actions(acts)), acts, atol=1e-6)
    assert p.to_control_rate(acts, 200).shape == (20, 7)
    assert np.array_equal(p.to_control_rate(acts, 200)[4], acts[1])
    with pytest.raises(ValueError, match="whole multiple"):
        p.ticks_per_action(75)
    pre, w = p.guidance(np.ones((12, 7), np.float32) * 0.5, 200)
    assert pre.shape == w.shape == (10, 7)
    assert np.allclose(pre[:3], 0.5) and np.allclose(pre[3:], 0.0)  # 12 ticks = 3 steps
    assert w[0, 0] == 1.0 and 0 < w[2, 0] < w[1, 0] < 1.0 and (w[3:] == 0).all()
    assert p.guidance(None, 200)[1].sum() == 0


def test_guidance_steers_the_chunk_onto_the_prefix():
    torch.manual_seed(0)
    cfg = tiny_config(denoise_steps=8)
    model = VLAModel(cfg).eval()
    for prm in model.parameters():  # an untrained but not trivial flow
        torch.nn.init.normal_(prm, std=0.3)
    with torch.no_grad():
        cond = model.encode(torch.rand(1, 3, 16, 16), torch.randn(1, 16), torch.randn(1, 3))
        noise = torch.randn(1, 4, 3)
        prefix = torch.full((1, 4, 3), 0.7)
        weights = torch.zeros(1, 4, 3)
        weights[:, :2] = 1.0
        free = model.sample(cond, noise)
        guided = model.sample(cond, noise, prefix, weights)
    gap_free = (free[0, :2] - 0.7).abs().mean()
    gap_guided = (guided[0, :2] - 0.7).abs().mean()
    assert gap_guided < 0.2 * gap_free
    # zero weights change nothing
    with torch.no_grad():
        same = model.sample(cond, noise, prefix, torch.zeros(1, 4, 3))
    assert torch.allclose(same, free, atol=1e-6)


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(1)
    model = VLAModel(tiny_config())
    save_model(model, tmp_path)
    again = load_model(tmp_path)
    for (k, a), (_, b) in zip(model.state_dict().items(), again.state_dict().items(), strict=True):
        assert torch.equal(a, b), k
    assert count_parameters(again) == count_parameters(model) < 100_000


def test_fp16_export_halves_the_file_and_loads_into_float32(tmp_path):
    torch.manual_seed(2)
    model = VLAModel(tiny_config())
    save_model(model, tmp_path / "full")
    (tmp_path / "full" / "train_info.json").write_text('{"steps": 3}')
    export_model(tmp_path / "full", tmp_path / "half")
    full = (tmp_path / "full" / "model.safetensors").stat().st_size
    half = (tmp_path / "half" / "model.safetensors").stat().st_size
    assert half < 0.6 * full
    assert json.loads((tmp_path / "half" / "train_info.json").read_text()) == {"steps": 3}
    again = load_model(tmp_path / "half")
    for (k, a), (_, b) in zip(model.state_dict().items(), again.state_dict().items(), strict=True):
        assert b.dtype == a.dtype, k
        assert torch.allclose(a, b, rtol=1e-3, atol=1e-4), k
    with pytest.raises(ValueError, match="another folder"):
        export_model(tmp_path / "half", tmp_path / "half")


def test_a_training_checkpoint_exports_without_its_optimizer(tiny_dataset, tmp_path):
    _train(tiny_dataset, tmp_path / "run", steps=3)
    last = tmp_path / "run" / "checkpoints" / "last"
    export_model(last, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "config.json",
        "model.safetensors",
        "train_info.json",
    ]
    info = json.loads((tmp_path / "out" / "train_info.json").read_text())
    assert info["step"] == 3 and info["train_config"]["steps"] == 3 and info["history"]
    a = load_model(tmp_path / "run" / "model").state_dict()
    b = load_model(tmp_path / "out").state_dict()
    for k in a:
        assert torch.allclose(a[k], b[k], rtol=1e-3, atol=1e-4), k


@pytest.fixture(scope="module")
def tiny_dataset(tmp_path_factory):
    """Expert episodes of the point robot driving to the table and picking the mug."""
    root = tmp_path_factory.mktemp("tiny") / "ds"
    env = CameraRobot()
    with LeRobotDatasetWriter.create(root, fps=50, features=episode_features(env)) as w:
        rec = EpisodeRecorder(w, env, source="expert")
        with Executor(env, rate_hz=50, observers=[rec]) as ex:
            for i in range(6):
                env.reset()
                env.things = {"mug": "table"}
                env.spots["table"] = (1.5 + 0.2 * i, 0.0)
                ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
                ex.run(REGISTRY.bind("pick", {"object": "mug"}), timeout=10)
    return root


def _train(ds, out, steps, progress=None, **kw):
    tcfg = TrainConfig(
        dataset=str(ds), out=str(out), steps=steps, batch_size=16, lr=3e-3, warmup=1,
        log_every=1, save_every=3, cache=str(out / "cache"), threads=1, **kw,
    )  # fmt: skip
    model = tiny_config(state_indices=[4, 5, 7])
    return train_vla(tcfg, model, text=TextEncoder(fake_text), progress=progress)


class Killed(Exception):
    pass


def test_training_smoke_the_loss_falls(tiny_dataset, tmp_path):
    info = _train(tiny_dataset, tmp_path, steps=40)
    losses = [h["loss"] for h in info["history"]]
    assert np.mean(losses[-5:]) < 0.75 * np.mean(losses[:5])
    model_dir = tmp_path / "model"
    cfg = VLAConfig.load(model_dir)
    assert cfg.skills == ["navigate", "pick"] and cfg.normalized
    assert json.loads((model_dir / "train_info.json").read_text())["steps"] == 40


def test_training_resumes_where_it_stopped(tiny_dataset, tmp_path):
    def die_at_step_5(rec):
        if rec.get("step") == 5:
            raise Killed  # the process dies after its step-3 checkpoint

    _train(tiny_dataset, tmp_path / "straight", steps=6)
    with pytest.raises(Killed):
        _train(tiny_dataset, tmp_path / "killed", steps=6, progress=die_at_step_5)
    assert not (tmp_path / "killed" / "model").exists()
    _train(tiny_dataset, tmp_path / "killed", steps=6)  # the same command again
    a = load_model(tmp_path / "straight" / "model").state_dict()
    b = load_model(tmp_path / "killed" / "model").state_dict()
    for k in a:
        assert torch.allclose(a[k], b[k], atol=1e-6), k
    with pytest.raises(ValueError, match="another model config"):
        train_vla(
            TrainConfig(dataset=str(tiny_dataset), out=str(tmp_path / "killed"), steps=9),
            tiny_config(state_indices=[4, 5, 7], chunk_size=8),
            text=TextEncoder(fake_text),
        )


def test_training_stops_after_a_step_of_its_schedule_and_continues(tiny_dataset, tmp_path):
    full = _train(tiny_dataset, tmp_path / "straight", steps=6)
    part = _train(tiny_dataset, tmp_path / "part", steps=6, stop_after=4, fp16=True)
    assert part["steps"] == 4 and part["schedule_steps"] == 6
    assert [h["lr"] for h in part["history"]] == [h["lr"] for h in full["history"][:4]]
    from safetensors import safe_open

    with safe_open(str(tmp_path / "part" / "model" / "model.safetensors"), "pt") as f:
        assert f.metadata()["dtype"] == "float16"
        assert all(f.get_tensor(k).dtype == torch.float16 for k in f.keys())  # noqa: SIM118
    _train(tiny_dataset, tmp_path / "part", steps=6)  # without --stop-after: to the end
    a = load_model(tmp_path / "straight" / "model").state_dict()
    b = load_model(tmp_path / "part" / "model").state_dict()
    for k in a:
        assert torch.allclose(a[k], b[k], atol=1e-6), k
    with pytest.raises(ValueError, match="step of the schedule"):
        _train(tiny_dataset, tmp_path / "bad", steps=6, stop_after=7)


def test_vla_policy_runs_in_the_executor_with_prefix_guidance(tiny_dataset, tmp_path):
    from housemind.skills.vla.inference import TorchRunner
    from housemind.skills.vla.policy import VLAPolicy

    _train(tiny_dataset, tmp_path, steps=3)
    model = load_model(tmp_path / "model")
    proc = VLAProcessor(model.config, TextEncoder(fake_text))
    prefixes = []

    class Spy(VLAPolicy):
        def predict_chunk(self, obs, instruction, prefix=None):
            prefixes.append(None if prefix is None else len(prefix))
            return super().predict_chunk(obs, instruction, prefix)

    env = CameraRobot(spots={"table": (50.0, 0.0)})
    pol = Spy(TorchRunner(model), proc, control_hz=200)
    assert pol.chunking.refill_below == 8 and pol.chunking.guide  # half of 4 actions x 4
    with Executor(env, policy_for=lambda sk, e: pol) as ex:
        fut = ex.submit(REGISTRY.bind("navigate", {"target": "table"}))
        out = fut.result(timeout=120)
    assert out.status == "timeout" and out.chunks > 3
    assert prefixes[0] is None and set(prefixes[1:4]) == {8}


def test_vla_backend_takes_only_the_skills_it_learned(tiny_dataset, tmp_path, monkeypatch):
    from housemind.skills.policies import vla as backend

    _train(tiny_dataset, tmp_path, steps=2)
    monkeypatch.setenv(backend.CHECKPOINT_ENV, str(tmp_path / "model"))
    monkeypatch.setenv(backend.BACKEND_ENV, "torch")
    try:
        assert backend.vla_skills() == ["navigate", "pick"]
        assert backend_for(REGISTRY.get("pick"), "vla") == "vla"
        assert backend_for(REGISTRY.get("open"), "vla") == "scripted"
        assert backend_for(REGISTRY.get("open"), {"open": "vla"}) == "vla"
        env = PointRobotEnv()
        with pytest.raises(PolicyError, match="not trained on 'place'"):
            backend.vla_policy(REGISTRY.get("place"), {"object": "mug", "target": "table"}, env)
        build = policy_factory("vla")
        assert type(build(REGISTRY.bind("pick", {"object": "mug"}), env)).__name__ == "VLAPolicy"
        place = REGISTRY.bind("place", {"object": "mug", "target": "table", "relation": "on"})
        assert type(build(place, env)).__name__ != "VLAPolicy"  # the scripted expert
        assert backend.camera_size_for("vla") == 8 and backend.camera_size_for(None) == 64
    finally:
        backend._loaded.clear()
    monkeypatch.setenv(backend.CHECKPOINT_ENV, str(tmp_path / "nothing"))
    with pytest.raises(PolicyError, match="no VLA checkpoint"):
        backend.vla_policy(REGISTRY.get("pick"), {"object": "mug"}, PointRobotEnv())


def test_evaluation_compares_backends_on_identical_instances():
    from housemind.skills.vla.evaluation import EvalCase, evaluate_backends

    def case(x):
        def setup():
            env = PointRobotEnv(spots={"table": (x, 0.0)})
            return env, REGISTRY.bind("navigate", {"target": "table"}), lambda e: e.x > 0.5

        return EvalCase("navigate", setup, {"x": x})

    class Still:
        def reset(self):
            pass

        def predict_chunk(self, obs, instruction):
            return np.zeros((5, 3), np.float32)

    scripted = policy_factory(None)
    res = evaluate_backends(
        [case(2.0), case(3.0)],
        {"expert": scripted, "still": lambda sk, e: Still()},
        rate_hz=200,
    )
    assert res["per_skill"] == {"navigate": {"expert": 1.0, "still": 0.0}}
    assert res["overall"] == {"expert": 1.0, "still": 0.0}
    assert res["n"] == {"navigate": 2} and len(res["failures"]) == 2


@pytest.mark.slow
@pytest.mark.filterwarnings("error:Exporting a model while it is in training mode")
def test_onnx_export_matches_torch(tmp_path):
    pytest.importorskip("onnxruntime")
    from housemind.skills.vla.inference import (
        _INPUTS,
        OnnxRunner,
        TorchRunner,
        _sample_inputs,
        export_onnx,
    )

    torch.manual_seed(0)
    model = VLAModel(tiny_config()).eval()
    for prm in model.parameters():
        torch.nn.init.normal_(prm, std=0.2)
    path = export_onnx(model, tmp_path / "m.onnx")
    x = _sample_inputs(model.config, seed=3)
    args = [x[n] for n in _INPUTS]
    assert np.allclose(OnnxRunner(path)(*args), TorchRunner(model)(*args), atol=1e-4)


def test_the_shipped_checkpoint_is_small_and_found_offline(monkeypatch):
    from housemind.sim.home.instances import MANIPULATION_SKILLS
    from housemind.skills.policies import vla as backend

    monkeypatch.delenv(backend.CHECKPOINT_ENV, raising=False)
    monkeypatch.setattr(backend, "_settings", {"checkpoint": None, "backend": None})
    shipped = backend.vla_checkpoint()
    assert shipped == backend.DEFAULT_CHECKPOINT and shipped.parts[-2:] == ("weights", "homesim")
    assert (shipped / "model.safetensors").stat().st_size < 12_000_000  # float16, 5.4 M params
    info = json.loads((shipped / "train_info.json").read_text())
    assert "housemind train vla" in info["reproduce"]["train"]
    assert sorted(backend.vla_skills()) == sorted(MANIPULATION_SKILLS)
    assert backend.camera_size_for("vla") == 128
    assert backend_for(REGISTRY.get("pick"), "vla") == "vla"
    assert backend_for(REGISTRY.get("navigate"), "vla") == "scripted"


@pytest.mark.slow
def test_the_shipped_checkpoint_acts_in_homesim(monkeypatch):
    from housemind.sim.home.instances import make_env, set_up
    from housemind.skills.policies import vla as backend

    monkeypatch.delenv(backend.CHECKPOINT_ENV, raising=False)
    monkeypatch.setattr(backend, "_settings", {"checkpoint": None, "backend": "torch"})
    env = make_env("studio", 501, control_hz=200, image_size=128)
    inst = set_up(env, "pick", 3)
    try:
        pol = backend.vla_policy(inst.bound().spec, inst.args, env)
        chunk = pol.predict_chunk(env.observe(), inst.bound().text)
    finally:
        backend._loaded.clear()
    assert chunk.shape == (40, 7) and np.isfinite(chunk).all()  # 10 actions at 50 Hz, x4
    assert np.abs(chunk).max() <= 1.0 + 1e-5
