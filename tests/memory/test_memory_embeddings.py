import numpy as np
import pytest

from housemind.memory.embeddings import EmbeddingUnavailableError, SentenceEmbedder, get_embedder


@pytest.mark.slow
def test_shipped_model_embeds_by_meaning():
    emb = get_embedder()
    v = emb.encode(["put the fork in the microwave", "nuke a spoon", "water the plants"])
    assert v.shape == (3, emb.dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert get_embedder() is emb  # loaded once per process


def test_empty_input_needs_no_model():
    assert SentenceEmbedder(model_path="/nonexistent").encode([]).shape == (0, 384)


def test_broken_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(EmbeddingUnavailableError, match="could not load the sentence model"):
        SentenceEmbedder(model_path=str(tmp_path)).encode(["hello"])
