"""Ingest articles: load → chunk → embed → store, idempotently, one result line per article."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tqdm import tqdm

from bot.chunk import split_article
from bot.load import SUPPORTED, LoadError, is_url, load
from bot.records import Article, Chunk, SourceInfo
from bot.store import Store

BATCH_CHUNKS = 256

Status = Literal["added", "replaced", "unchanged", "duplicate", "skipped", "failed"]


@dataclass(frozen=True)
class IngestResult:
    target: str
    status: Status
    source_id: str = ""
    title: str = ""
    chunks: int = 0
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def expand_targets(targets: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Yield (target, explicit): directories are walked (hidden entries skipped), sorted for stable order."""
    for target in targets:
        path = Path(target).expanduser()
        if not is_url(target) and path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name), False
        else:
            yield target, True


def ingest(
    store: Store,
    targets: Iterable[str],
    on_result: Callable[[IngestResult], None] | None = None,
    show_progress: bool = True,
) -> list[IngestResult]:
    """Ingest every target; a bad file is reported and the others still go in.

    New articles are embedded in batches of about BATCH_CHUNKS chunks across articles: one length-sorted
    batch pads far less than many small per-article ones. Each article is still written (chunks, then its
    record) on its own, so a kill loses at most the batch in flight and leaves nothing half-written.
    """
    settings = store.settings
    max_bytes = int(settings.max_file_mb * 1e6)
    removed = store.repair()  # leftovers of a killed ingest never linger
    items = list(expand_targets(targets))
    results: list[IngestResult | None] = [None] * len(items)  # in input order; reported as they finish
    files = tqdm(total=len(items), unit="file", desc="ingest", delay=1.0, disable=not show_progress, leave=False)
    chunk_bar = tqdm(total=0, unit="chunk", desc="embed", delay=1.0, disable=not show_progress, leave=False)
    if removed:
        files.write(f"removed {removed} chunks left by an interrupted ingest")
    pending: list[_Pending] = []

    def done(slot: int, result: IngestResult) -> None:
        results[slot] = result
        if on_result:
            on_result(result)
        files.update(1)

    def written(i: int) -> None:
        p = pending[i]
        for old in p.replaces:  # the article at this location changed: its old version goes
            store.remove_source(old.source_id)
        status: Status = "replaced" if p.replaces else "added"
        done(p.slot, IngestResult(p.target, status, p.article.source_id, p.article.title, len(p.chunks)))

    def flush() -> None:
        chunk_bar.total += sum(len(p.chunks) for p in pending)
        store.replace_sources([(p.article, p.chunks) for p in pending], chunk_bar.update, written)
        pending.clear()

    for slot, (target, explicit) in enumerate(items):
        if not explicit and Path(target).suffix.lower() not in SUPPORTED:
            done(slot, IngestResult(target, "skipped", message="not an article type"))
            continue
        outcome = _prepare(store, slot, target, max_bytes, pending)
        if isinstance(outcome, IngestResult):
            done(slot, outcome)
            continue
        pending.append(outcome)
        if sum(len(p.chunks) for p in pending) >= BATCH_CHUNKS:
            flush()
    if pending:
        flush()
    chunk_bar.close()
    files.close()
    return [r for r in results if r is not None]


@dataclass
class _Pending:
    slot: int
    target: str
    article: Article
    chunks: list[Chunk]
    replaces: list[SourceInfo]


def _prepare(store: Store, slot: int, target: str, max_bytes: int, pending: list[_Pending]) -> _Pending | IngestResult:
    """Load and chunk one target, or say why it needs no embedding (failed, unchanged, duplicate)."""
    settings = store.settings
    try:
        article = load(target, max_bytes, settings.fetch_timeout)
    except LoadError as exc:
        return IngestResult(target, "failed", message=str(exc))
    others = [s for s in store.find_by_location(article.location) if s.source_id != article.source_id]
    existing = store.get_source(article.source_id)
    if existing is not None:
        for old in others:  # finish a replacement that was interrupted
            store.remove_source(old.source_id)
        status: Status = "unchanged" if existing.location == article.location else "duplicate"
        message = "" if status == "unchanged" else f"same text as {existing.location}"
        return IngestResult(target, status, existing.source_id, existing.title, existing.chunks, message)
    for p in pending:  # the same text twice in one batch
        if p.article.source_id == article.source_id:
            return IngestResult(target, "duplicate", p.article.source_id, p.article.title, len(p.chunks),
                                f"same text as {p.article.location}")
    chunks = split_article(article, settings.chunk_size, settings.chunk_overlap)
    return _Pending(slot, target, article, chunks, others)
