"""The in-process indexes built from the store's own contents, cached and keyed on ``store.revision()``.

``store.revision()`` reads every article record (measured 284 ms at 5,000 articles on a loaded 2-core
machine, where ``count()`` took 22 ms), too slow to pay on every query; so the revision is re-read only when
the chunk count changed (which catches every ingest that adds or removes chunks, at once) or
``index_recheck_s`` seconds have passed (which catches a same-size replacement by another process).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.records import Chunk
from bot.retrieve.lexical import Lexical
from bot.retrieve.names import Names
from bot.store import Store


@dataclass
class CorpusIndex:
    revision: str
    chunks: list[Chunk]
    lexical: Lexical
    names: Names
    position: dict[str, int] = field(default_factory=dict)
    sources: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    checked_at: float = 0.0
    count: int = 0

    @classmethod
    def build(cls, revision: str, chunks: list[Chunk]) -> CorpusIndex:
        documents = [f"{c.title}\n{c.text}" for c in chunks]  # a title's words count for each of its chunks
        return cls(
            revision=revision,
            chunks=chunks,
            lexical=Lexical(documents),
            names=Names(documents),
            position={c.chunk_id: i for i, c in enumerate(chunks)},
            sources=np.array([c.source_id for c in chunks], dtype=object),
            count=len(chunks),
        )

    def mask(self, source_ids: Sequence[str] | None) -> np.ndarray | None:
        """True where a chunk belongs to one of ``source_ids``; None means every chunk."""
        if not source_ids:
            return None
        return np.isin(self.sources, list(source_ids))

    def neighbour(self, chunk: Chunk, step: int) -> Chunk | None:
        pos = self.position.get(chunk.chunk_id)
        if pos is None or not 0 <= pos + step < len(self.chunks):
            return None
        other = self.chunks[pos + step]  # chunks are sorted by (source_id, index)
        return other if other.source_id == chunk.source_id else None


_cache: dict[str, CorpusIndex] = {}
_lock = threading.Lock()


def corpus_index(store: Store, recheck: float = 2.0) -> CorpusIndex:
    """The current lexical and name indexes for this store, rebuilt after any ingest or removal; the article
    records are re-read at most every ``recheck`` seconds while the chunk count stays the same."""
    key = store.key
    with _lock:  # one build at a time; concurrent searches wait for it instead of building twice
        cached = _cache.get(key)
        now = time.monotonic()
        if cached is not None and now - cached.checked_at < recheck and store.count() == cached.count:
            return cached
        revision = store.revision()
        if cached is not None and cached.revision == revision:
            cached.checked_at, cached.count = now, store.count()
            return cached
        built = CorpusIndex.build(revision, store.all_chunks())
        built.checked_at = now
        _cache[key] = built
        return built


def clear_cache() -> None:
    with _lock:
        _cache.clear()
