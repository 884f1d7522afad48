"""The library service: add, list, show and remove articles. The CLI and the UI both call this.

Writes are serialised per store within a process: an ingest starts by removing chunks that have no finished
article record (what a killed ingest leaves), which must never catch another ingest's chunks half-way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from bot.context import Context
from bot.errors import NotIndexedError
from bot.ingest import IngestResult, OnEvent, ingest, path_items, upload_items
from bot.records import ArticleText, SourceInfo
from bot.summarize import key_sentence

_write_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def write_lock(ctx: Context) -> threading.Lock:
    with _guard:
        return _write_locks.setdefault(ctx.store.key, threading.Lock())


def add(ctx: Context, targets: Iterable[str], on_event: OnEvent | None = None) -> list[IngestResult]:
    """Files, directories and URLs; one result per article, in order."""
    with write_lock(ctx):
        results = ingest(ctx.store, path_items(targets), ctx.limits, on_event)
        _describe(ctx, {r.source_id for r in results if r.source_id})
        return results


def add_uploads(ctx: Context, uploads: Iterable[tuple[str, bytes]],
                on_event: OnEvent | None = None) -> list[IngestResult]:
    """Bytes under display names (a browser upload has no stable path); same text twice embeds once."""
    with write_lock(ctx):
        results = ingest(ctx.store, upload_items(uploads), ctx.limits, on_event)
        _describe(ctx, {r.source_id for r in results if r.source_id})
        return results


def articles(ctx: Context) -> list[SourceInfo]:
    """Every indexed article, oldest first, each with its one-line summary (made now for older records)."""
    infos = ctx.store.list_sources()
    if missing := {s.source_id for s in infos if not s.about}:
        with write_lock(ctx):
            _describe(ctx, missing)
        infos = ctx.store.list_sources()
    return infos


def _describe(ctx: Context, source_ids: set[str]) -> None:
    """Give each article without one its one-line summary: its key sentence, cited by offsets."""
    for sid in sorted(source_ids):
        info = ctx.store.get_source(sid)
        if info is not None and not info.about and (span := key_sentence(ctx.store, sid, info.title)) is not None:
            ctx.store.set_about(sid, span)


def show(ctx: Context, source_id: str) -> ArticleText:
    """One article's record and whole cleaned text (what citations' offsets point into)."""
    article = ctx.store.get_article(source_id)
    if article is None:
        raise NotIndexedError([source_id])
    return article


def remove(ctx: Context, source_ids: Sequence[str]) -> list[str]:
    """Delete articles with their chunks; every known id is removed, then unknown ones are reported."""
    with write_lock(ctx):
        missing = [sid for sid in source_ids if not ctx.store.remove_source(sid)]
    if missing:
        raise NotIndexedError(missing)
    return list(source_ids)

