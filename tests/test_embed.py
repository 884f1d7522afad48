"""The bot's embedder gives the same vectors as Chroma's stock ONNX code path on the same model file."""

from __future__ import annotations

import numpy as np

from bench.ingest import stock_embedder
from bot.embed import MiniLMEmbedding

TEXTS = [
    "what did Ryabkov say?",
    "On Monday, the Russian Deputy Foreign Minister, Sergei Rjabkow, stated that a telephone call is not planned.",
    "short",
    "A much longer passage about the harbour, the storm and the ferries. " * 12,
]


def test_matches_stock_chroma_embeddings() -> None:
    ours = MiniLMEmbedding().embed(TEXTS)
    stock = np.asarray(stock_embedder()(TEXTS))
    assert ours.shape == stock.shape == (len(TEXTS), 384)
    cosines = (ours * stock).sum(axis=1)
    assert cosines.min() > 0.999, cosines


def test_normalised_and_order_independent() -> None:
    emb = MiniLMEmbedding()
    forward = emb.embed(TEXTS)
    backward = emb.embed(TEXTS[::-1])[::-1]
    assert np.allclose(np.linalg.norm(forward, axis=1), 1.0, atol=1e-5)
    assert np.allclose(forward, backward, atol=1e-5)
    assert emb.embed([]).shape == (0, 384)
