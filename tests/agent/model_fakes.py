"""Tiny, randomly initialised transformers models built from a config (no hub, no download).

They exercise the real loading and generation paths of ``TransformersModelClient``: a
text-only causal LM (Llama architecture) and an image-text-to-text model of the SmolVLM
class (Idefics3: a SigLIP vision tower, a pixel-shuffle connector, a Llama text model).
Their replies are noise, so plans from them are rejected by the checks, with a reason.
The tokenizer is a byte-level BPE trained here on a few planning sentences.
"""

from __future__ import annotations

from pathlib import Path

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['content'] is string %}{{ m['content'] }}{% else %}"
    "{% for p in m['content'] %}{% if p['type'] == 'image' %}<image>{% else %}{{ p['text'] }}"
    "{% endif %}{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

_CORPUS = [
    '{"steps": [{"skill": "navigate", "args": {"target": "kitchen"}, "rationale": "go"}]}',
    "Goal: take the mug to the sink. Robot: in the hallway, holding nothing.",
    "pick up the mug, put the mug in the sink, open the fridge, close the cabinet",
    "Reply with the plan as one JSON object. complete goal_facts look_for",
]


def _tokenizer(extra_special: list[str]):
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", *extra_special]
    bpe.train_from_iterator(_CORPUS * 4, vocab_size=400, min_frequency=1, special_tokens=special)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token="<|endoftext|>",
    )
    tok.chat_template = CHATML
    return tok


def _llama_config(vocab_size: int, **kw):
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=8192,
        tie_word_embeddings=True,
        **kw,
    )


def build_tiny_text_model(path: Path, seed: int = 0) -> Path:
    """Save a tiny random Llama instruct model with a ChatML template to ``path``."""
    import torch
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    tok = _tokenizer([])
    cfg = _llama_config(
        len(tok),
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    LlamaForCausalLM(cfg).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def build_tiny_vision_model(path: Path, seed: int = 0) -> Path:
    """Save a tiny random SmolVLM-class (Idefics3) model and its processor to ``path``."""
    import torch
    from transformers import Idefics3Config, Idefics3ForConditionalGeneration, Idefics3Processor

    try:  # the PIL image processor: the default one wants torchvision, not installed here
        from transformers import Idefics3ImageProcessorPil as Idefics3ImageProcessor
    except ImportError:
        from transformers import Idefics3ImageProcessor

    torch.manual_seed(seed)
    rows = [f"<row_{i}_col_{j}>" for i in range(1, 7) for j in range(1, 7)]
    image_tokens = ["<fake_token_around_image>", "<image>", "<end_of_utterance>", "<global-img>"]
    tok = _tokenizer([*image_tokens, *rows])
    image_size, patch, scale = 32, 8, 2
    image_seq_len = (image_size // patch) ** 2 // scale**2
    text = _llama_config(
        len(tok),
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    cfg = Idefics3Config(
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "image_size": image_size,
            "patch_size": patch,
        },
        text_config=text.to_dict(),
        scale_factor=scale,
        image_token_id=tok.convert_tokens_to_ids("<image>"),
        tie_word_embeddings=True,
    )
    model = Idefics3ForConditionalGeneration(cfg)
    images = Idefics3ImageProcessor(
        do_image_splitting=False,
        size={"longest_edge": image_size},
        max_image_size={"longest_edge": image_size},
    )
    proc = Idefics3Processor(
        image_processor=images, tokenizer=tok, image_seq_len=image_seq_len, chat_template=CHATML
    )
    model.save_pretrained(path)
    proc.save_pretrained(path)
    return path
