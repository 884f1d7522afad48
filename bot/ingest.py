"""Ingest articles: load → chunk → embed → store, idempotently, one result per article.

Progress is reported as events (`Read`, `Embedded`, and each article's `IngestResult`), never drawn here: the
CLI turns them into progress bars, the UI into a line per file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.attribution.extract import statements
from bot.chunk import split_article
from bot.load import SUPPORTED, LoadError, is_url, load, load_bytes
from bot.records import Article, Chunk, SourceInfo, Statement
from bot.settings import Settings
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


@dataclass(frozen=True)
class Read:
    """One more target was read (or failed to be): ``done`` of ``total``."""

    target: str
    done: int
    total: int


@dataclass(frozen=True)
class Embedded:
    """Chunks embedded so far, of all those found so far; ``targets`` are the articles in the batch."""

    done: int
    total: int
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Repaired:
    """Chunks a killed ingest had left without their article record were removed."""

    chunks: int


IngestEvent = Read | Embedded | Repaired | IngestResult
OnEvent = Callable[[IngestEvent], None]


@dataclass(frozen=True)
class Limits:
    """What ingest needs from the settings."""

    max_bytes: int
    fetch_timeout: float
    chunk_size: int
    chunk_overlap: int
    statements: bool = True  # find who said what (bot.attribution) while ingesting

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(int(settings.max_file_mb * 1e6), settings.fetch_timeout, settings.chunk_size,
                   settings.chunk_overlap, settings.extract_statements)


@dataclass(frozen=True)
class Item:
    """One thing to ingest: ``target`` names it to the user; ``read`` turns it into an article."""

    target: str
    read: Callable[[Limits], Article]
    explicit: bool = True  # named by the user, not found while walking a directory
    by_location: bool = True  # a changed article at the same location replaces the old one (not for uploads)


def path_items(targets: Iterable[str]) -> Iterator[Item]:
    """Paths and URLs; directories are walked (hidden entries skipped), sorted for a stable order."""
    for target in targets:
        path = Path(target).expanduser()
        if not is_url(target) and path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield _path_item(str(Path(root) / name), explicit=False)
        else:
            yield _path_item(target, explicit=True)


def _path_item(target: str, explicit: bool) -> Item:
    return Item(target, lambda lim: load(target, lim.max_bytes, lim.fetch_timeout), explicit)


def upload_items(uploads: Iterable[tuple[str, bytes]]) -> Iterator[Item]:
    """Bytes handed over by a browser, each under its display name. Same text as an indexed article:
    nothing is embedded again; an upload never replaces another article by name (names are not unique)."""
    for name, data in uploads:
        yield Item(name, lambda lim, n=name, d=data: load_bytes(d, n, lim.max_bytes), by_location=False)  # type: ignore[misc]


def ingest(store: Store, items: Iterable[Item], limits: Limits, on_event: OnEvent | None = None) -> list[IngestResult]:
    """Ingest every item; a bad file is reported and the others still go in.

    New articles are embedded in batches of about BATCH_CHUNKS chunks across articles: one length-sorted
    batch pads far less than many small per-article ones. Each article is still written (chunks, then its
    record) on its own, so a kill loses at most the batch in flight and leaves nothing half-written.
    """
    emit = on_event or (lambda _event: None)
    if removed := store.repair():  # leftovers of a killed ingest never linger
        emit(Repaired(removed))
    todo = list(items)
    results: list[IngestResult | None] = [None] * len(todo)  # in input order; reported as they finish
    pending: list[_Pending] = []
    read = 0
    embedded = {"done": 0, "total": 0}

    def done(slot: int, result: IngestResult) -> None:
        results[slot] = result
        emit(result)

    def written(i: int) -> None:
        p = pending[i]
        for old in p.replaces:  # the article at this location changed: its old version goes
            store.remove_source(old.source_id)
        status: Status = "replaced" if p.replaces else "added"
        done(p.slot, IngestResult(p.item.target, status, p.article.source_id, p.article.title, len(p.chunks)))

    def flush() -> None:
        embedded["total"] += sum(len(p.chunks) for p in pending)
        names = tuple(p.item.target for p in pending)

        def progress(n: int) -> None:
            embedded["done"] += n
            emit(Embedded(embedded["done"], embedded["total"], names))

        store.replace_sources([(p.article, p.chunks) for p in pending], progress, written,
                              [p.statements for p in pending])
        pending.clear()

    for slot, item in enumerate(todo):
        if not item.explicit and Path(item.target).suffix.lower() not in SUPPORTED:
            read += 1
            emit(Read(item.target, read, len(todo)))
            done(slot, IngestResult(item.target, "skipped", message="not an article type"))
            continue
        outcome = _prepare(store, slot, item, limits, pending)
        read += 1
        emit(Read(item.target, read, len(todo)))
        if isinstance(outcome, IngestResult):
            done(slot, outcome)
            continue
        pending.append(outcome)
        if sum(len(p.chunks) for p in pending) >= BATCH_CHUNKS:
            flush()
    if pending:
        flush()
    return [r for r in results if r is not None]


@dataclass
class _Pending:
    slot: int
    item: Item
    article: Article
    chunks: list[Chunk]
    replaces: list[SourceInfo]
    statements: list[Statement] | None


def _prepare(store: Store, slot: int, item: Item, limits: Limits,
             pending: Sequence[_Pending]) -> _Pending | IngestResult:
    """Load and chunk one item, or say why it needs no embedding (failed, unchanged, duplicate)."""
    try:
        article = item.read(limits)
    except LoadError as exc:
        return IngestResult(item.target, "failed", message=str(exc))
    others = [s for s in store.find_by_location(article.location) if s.source_id != article.source_id] \
        if item.by_location else []
    existing = store.get_source(article.source_id)
    if existing is not None:
        for old in others:  # finish a replacement that was interrupted
            store.remove_source(old.source_id)
        status: Status = "unchanged" if existing.location == article.location else "duplicate"
        message = "" if status == "unchanged" else f"same text as {existing.location}"
        return IngestResult(item.target, status, existing.source_id, existing.title, existing.chunks, message)
    for p in pending:  # the same text twice in one batch
        if p.article.source_id == article.source_id:
            return IngestResult(item.target, "duplicate", p.article.source_id, p.article.title, len(p.chunks),
                                f"same text as {p.article.location}")
    chunks = split_article(article, limits.chunk_size, limits.chunk_overlap)
    said = statements(article) if limits.statements else None
    return _Pending(slot, item, article, chunks, others, said)
