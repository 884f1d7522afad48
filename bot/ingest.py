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
from bot.store import Store

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
    """Ingest every target; a bad file is reported and the others still go in."""
    settings = store.settings
    max_bytes = int(settings.max_file_mb * 1e6)
    removed = store.repair()  # leftovers of a killed ingest never linger
    items = list(expand_targets(targets))
    results: list[IngestResult] = []
    bar = tqdm(total=len(items), unit="file", desc="ingest", delay=1.0, disable=not show_progress, leave=False)
    if removed:
        bar.write(f"removed {removed} chunks left by an interrupted ingest")
    for target, explicit in items:
        if not explicit and Path(target).suffix.lower() not in SUPPORTED:
            result = IngestResult(target, "skipped", message="not an article type")
        else:
            result = _ingest_one(store, target, max_bytes, bar)
        results.append(result)
        if on_result:
            on_result(result)
        bar.update(1)
    bar.close()
    return results


def _ingest_one(store: Store, target: str, max_bytes: int, bar: tqdm) -> IngestResult:  # type: ignore[type-arg]
    settings = store.settings
    try:
        article = load(target, max_bytes, settings.fetch_timeout)
    except LoadError as exc:
        return IngestResult(target, "failed", message=str(exc))
    others = [s for s in store.list_sources() if s.location == article.location and s.source_id != article.source_id]
    existing = store.get_source(article.source_id)
    if existing is not None:
        for old in others:  # finish a replacement that was interrupted
            store.remove_source(old.source_id)
        status: Status = "unchanged" if existing.location == article.location else "duplicate"
        message = "" if status == "unchanged" else f"same text as {existing.location}"
        return IngestResult(target, status, existing.source_id, existing.title, existing.chunks, message)
    chunks = split_article(article, settings.chunk_size, settings.chunk_overlap)
    inner = tqdm(total=len(chunks), unit="chunk", desc=article.title[:30], delay=1.0, leave=False,
                 disable=bar.disable)
    store.replace_source(article, chunks, progress=inner.update)
    inner.close()
    for old in others:  # the article at this location changed: its old version goes
        store.remove_source(old.source_id)
    return IngestResult(target, "replaced" if others else "added", article.source_id, article.title, len(chunks))
