"""Move a library between stores (the embedded index and a Chroma server, either way) without reading the
article files again or embedding anything: chunks travel with their vectors, articles with their records
and statements.

Each article is copied the way ingest writes one: chunks, then statements, then its record, so a copy that
is killed half-way leaves only what the target's next `repair` removes, and running it again copies only
the articles still missing. The source store is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.store import ADD_BATCH, Store


@dataclass(frozen=True)
class Migrated:
    copied: int  # articles written to the target
    present: int  # articles the target already held, same content
    chunks: int  # chunks written


def migrate(source: Store, target: Store, progress: Callable[[int, int], None] | None = None) -> Migrated:
    """Copy every article of ``source`` that ``target`` lacks; ``progress(done, total)`` after each."""
    if source.key == target.key:
        raise ValueError("the source and the target are the same store")
    target.repair()  # what an earlier, killed copy left
    infos = source.list_sources()
    copied = present = chunks = 0
    for n, info in enumerate(infos, 1):
        there = target.get_source(info.source_id)
        if there is not None and there.content_hash == info.content_hash:
            present += 1
        else:
            chunks += _copy(source, target, info.source_id)
            copied += 1
        if progress:
            progress(n, len(infos))
    return Migrated(copied, present, chunks)


def _copy(source: Store, target: Store, source_id: str) -> int:
    got = source.chunks.get(where={"source_id": source_id}, include=["documents", "metadatas", "embeddings"])
    ids, docs, metas = got["ids"], got["documents"] or [], got["metadatas"] or []
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    for begin in range(0, len(ids), ADD_BATCH):
        end = begin + ADD_BATCH
        target.chunks.upsert(ids=ids[begin:end], documents=docs[begin:end], metadatas=metas[begin:end],
                             embeddings=vectors[begin:end])
    said = source.statement_records.get(where={"source_id": source_id}, include=["documents", "metadatas"])
    target.statement_records.delete(where={"source_id": source_id})
    for begin in range(0, len(said["ids"]), ADD_BATCH):
        end = begin + ADD_BATCH
        batch = said["ids"][begin:end]
        target.statement_records.upsert(ids=batch, documents=(said["documents"] or [])[begin:end],
                                        metadatas=(said["metadatas"] or [])[begin:end],
                                        embeddings=np.zeros((len(batch), 1), dtype=np.float32))
    record = source.sources.get(ids=[source_id], include=["documents", "metadatas"])
    target.sources.upsert(ids=record["ids"], documents=record["documents"], metadatas=record["metadatas"],
                          embeddings=np.zeros((1, 1), dtype=np.float32))
    return len(ids)
