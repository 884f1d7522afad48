"""Dense retrieval: the query embedded with the store's own embedder, nearest chunks from Chroma."""

from __future__ import annotations

from collections.abc import Sequence

from bot.records import Chunk
from bot.store import Store


def dense(store: Store, query: str, n: int, source_ids: Sequence[str] | None = None) -> list[tuple[Chunk, float]]:
    """Up to n (chunk, cosine similarity) pairs, best first."""
    [vector] = store.embedder([query])
    return store.query([float(x) for x in vector], n, source_ids)
