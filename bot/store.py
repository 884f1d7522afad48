"""The only module that opens Chroma: an on-disk PersistentClient, or an HttpClient for `chroma run`.

Three collections: ``<name>`` holds the chunks (embedded), ``<name>__sources`` one record per article whose
document is the article's whole cleaned text (what every offset points into) and whose metadata holds its
title, location, date and byline, and ``<name>__statements`` who said what in each article (written with
the article, removed with it). A source record is written *after* its chunks, so it marks a finished
ingest; `repair()` removes chunks left behind by an ingest that was killed half-way (no record, or a record
for other content).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from bot.embed import MiniLMEmbedding, make_embedder
from bot.errors import UserError
from bot.records import Article, ArticleText, Chunk, SourceInfo, Span, Statement
from bot.settings import Settings

ADD_BATCH = 128
SHARED_REPAIR_AGE = 600.0  # seconds: on a server, a write in flight is younger; a killed one's chunks older
TEXT_CACHE = 64  # article texts kept in memory; an id is a hash of its text, so an entry never goes stale
Progress = Callable[[int], None]


class StoreError(UserError):
    """The store cannot be reached or opened."""


def open_client(settings: Settings) -> ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise StoreError(f"BOT_CHROMA_URL={settings.chroma_url!r} is not a URL",
                             "set it to the server's address, like http://127.0.0.1:8000, or unset it")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({exc})",
                f"start it with `chroma run --path ./index --port {url.port or 8000}` or unset BOT_CHROMA_URL",
            ) from exc
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        hold_index(settings.index_dir)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except OSError as exc:
        raise StoreError(f"cannot open the index at {settings.index_dir} ({exc})",
                         "check that the directory is writable, or set BOT_INDEX_DIR to one that is") from exc


LOCK_FILE = "bot.lock"
_held: dict[Path, int] = {}  # index directory -> open lock file, for this process's lifetime
_held_guard = threading.Lock()


def hold_index(index_dir: Path) -> None:
    """Claim the embedded index for this process. Chroma's on-disk store keeps its vector index in memory
    and is written by one process only: a second writer corrupts it, a second reader serves stale results.
    The claim is an exclusive `flock`, which the kernel releases when the process ends however it ends
    (SIGKILL included), so a crash never leaves the index locked."""
    path = index_dir.resolve()
    with _held_guard:
        if path in _held:
            return
        fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise StoreError(
                f"the index at {index_dir} is in use by another bot process (pid {holder})",
                "stop that process first (one process owns an on-disk index), or let several processes share "
                "one library through a Chroma server: `chroma run --path ./index --port 8000` and "
                "BOT_CHROMA_URL=http://127.0.0.1:8000 for every bot process",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        _held[path] = fd


class Store:
    """Chunks and article records in Chroma. Opened from the settings once per entry point; it keeps only
    what it needs to find its data again (``key``), not the settings."""

    def __init__(self, settings: Settings, client: ClientAPI | None = None) -> None:
        self.key = f"{settings.chroma_url or settings.index_dir.resolve()}#{settings.collection}"
        self.shared = bool(settings.chroma_url)  # a Chroma server: other processes may write at the same time
        self.client = client or open_client(settings)
        self.embedder = make_embedder(settings)
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()
        self.chunks: Collection = self.client.get_or_create_collection(
            settings.collection,
            embedding_function=self.embedder,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )
        self.sources: Collection = self.client.get_or_create_collection(
            f"{settings.collection}__sources", embedding_function=None
        )
        self.statement_records: Collection = self.client.get_or_create_collection(
            f"{settings.collection}__statements", embedding_function=None
        )

    # --- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return self.chunks.count()

    def mentions(self, word: str, source_ids: Sequence[str] | None = None) -> bool:
        """Whether any chunk (of the given articles) contains ``word`` as written (case-sensitive)."""
        got = self.chunks.get(where=_where_sources(source_ids), where_document={"$contains": word},
                              limit=1, include=[])
        return bool(got["ids"])

    def get_source(self, source_id: str) -> SourceInfo | None:
        got = self.sources.get(ids=[source_id], include=["metadatas"])
        return _source(got["ids"][0], got["metadatas"][0]) if got["ids"] else None  # type: ignore[index]

    def missing(self, source_ids: Sequence[str] | None) -> list[str]:
        """The ids among ``source_ids`` that name no indexed article."""
        ids = list(dict.fromkeys(source_ids or []))
        if not ids:
            return []
        found = set(self.sources.get(ids=ids, include=[])["ids"])
        return [sid for sid in ids if sid not in found]

    def find_by_hash(self, content_hash: str) -> SourceInfo | None:
        got = self.sources.get(where={"content_hash": content_hash}, include=["metadatas"], limit=1)
        return _source(got["ids"][0], got["metadatas"][0]) if got["ids"] else None  # type: ignore[index]

    def find_by_location(self, location: str) -> list[SourceInfo]:
        got = self.sources.get(where={"location": location}, include=["metadatas"])
        return [_source(i, m) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)]

    def get_article(self, source_id: str) -> ArticleText | None:
        """One article's record and whole cleaned text (None when not indexed)."""
        info = self.get_source(source_id)
        if info is None:
            return None
        return ArticleText(info.source_id, info.title, info.location, info.published, info.author,
                           self.article_text(source_id))

    def article_text(self, source_id: str) -> str:
        """The article's cleaned text, cached (an id is the hash of its text, so the cache is never stale)."""
        if (text := self._texts.get(source_id)) is not None:
            return text
        got = self.sources.get(ids=[source_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return ""
        meta = got["metadatas"][0]  # type: ignore[index]
        text = str(got["documents"][0]) if "chars" in meta else self._rebuild(source_id)  # type: ignore[index]
        with self._lock:
            if len(self._texts) >= TEXT_CACHE:
                self._texts.pop(next(iter(self._texts)))
            self._texts[source_id] = text
        return text

    def _rebuild(self, source_id: str) -> str:
        """An article indexed before records held the text: its chunks at their offsets (the whitespace
        between chunks, which the splitter strips, becomes spaces), so every offset still holds."""
        text = ""
        for c in self.all_chunks(source_id):
            text += " " * (c.start - len(text)) + c.text if c.start >= len(text) else c.text[len(text) - c.start :]
        return text

    def list_sources(self) -> list[SourceInfo]:
        got = self.sources.get(include=["metadatas"])
        infos = [_source(i, m) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)]
        return sorted(infos, key=lambda s: (s.ingested_at, s.source_id))

    def revision(self) -> str:
        """Changes whenever the set of indexed articles changes (keys caches such as the BM25 index)."""
        got = self.sources.get(include=["metadatas"])
        pairs = sorted(f"{i}:{m['content_hash']}" for i, m in zip(got["ids"], got["metadatas"] or [], strict=True))
        return hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:16]

    def all_chunks(self, source_id: str | None = None) -> list[Chunk]:
        where = {"source_id": source_id} if source_id else None
        got = self.chunks.get(where=where, include=["documents", "metadatas"])  # type: ignore[arg-type]
        chunks = [
            Chunk.from_store(i, d, dict(m))
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]
        return sorted(chunks, key=lambda c: (c.source_id, c.index))

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        if not chunk_ids:
            return []
        got = self.chunks.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        by_id = {
            i: Chunk.from_store(i, d, dict(m))
            for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        }
        return [by_id[i] for i in chunk_ids if i in by_id]

    def query(
        self, embedding: Sequence[float], k: int, source_ids: Iterable[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity (1 - distance), best first."""
        n = min(k, self.count())
        if n == 0:
            return []
        got = self.chunks.query(
            query_embeddings=np.asarray([embedding], dtype=np.float32),
            n_results=n,
            where=_where_sources(source_ids),
            include=["documents", "metadatas", "distances"],
        )
        return [
            (Chunk.from_store(i, d, dict(m)), 1.0 - float(dist))
            for i, d, m, dist in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True  # type: ignore[index]
            )
        ]

    # --- writing ---------------------------------------------------------------------------
    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for ``texts`` (in order), reporting progress as batches finish."""
        if isinstance(self.embedder, MiniLMEmbedding):
            return self.embedder.embed(list(texts), progress=progress)
        vectors = np.asarray(self.embedder(list(texts)), dtype=np.float32)
        if progress:
            progress(len(texts))
        return vectors

    def replace_sources(self, items: Sequence[tuple[Article, Sequence[Chunk]]], progress: Progress | None = None,
                        written: Callable[[int], None] | None = None,
                        statements: Sequence[Sequence[Statement] | None] | None = None) -> None:
        """Several articles with one embedding pass (length-sorted batches pad far less than one per article),
        each then written on its own by `replace_source`; ``written(i)`` follows the i-th article's write.
        ``statements[i]`` are the i-th article's (None: not extracted)."""
        vectors = self.embed([c.text for _, chunks in items for c in chunks], progress=progress)
        offset = 0
        for i, (article, chunks) in enumerate(items):
            said = statements[i] if statements is not None else None
            self.replace_source(article, chunks, vectors[offset : offset + len(chunks)], said)
            offset += len(chunks)
            if written:
                written(i)

    def replace_source(self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray | None = None,
                       statements: Sequence[Statement] | None = None) -> None:
        """Store an article's chunks, then drop its older chunks, then its statements, then write its record (in
        that order: the record marks a finished write)."""
        if vectors is None:
            vectors = self.embed([c.text for c in chunks])
        stamp = int(time.time())  # lets `repair` on a shared server tell a killed write from one in flight
        for begin in range(0, len(chunks), ADD_BATCH):
            batch = chunks[begin : begin + ADD_BATCH]
            self.chunks.upsert(
                ids=[c.chunk_id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[{**c.metadata(), "written_at": stamp} for c in batch],  # type: ignore[misc]
                embeddings=np.asarray(vectors[begin : begin + ADD_BATCH], dtype=np.float32),
            )
        keep = {c.chunk_id for c in chunks}
        old = self.chunks.get(where={"source_id": article.source_id}, include=[])
        stale = [i for i in old["ids"] if i not in keep]
        if stale:
            self.chunks.delete(ids=stale)
        if statements is not None:
            self.put_statements(article.source_id, statements)
        meta_said = {"statements": len(statements)} if statements is not None else {}
        self.sources.upsert(
            ids=[article.source_id],
            embeddings=np.zeros((1, 1), dtype=np.float32),  # records are looked up by id, never by vector
            documents=[article.text],
            metadatas=[
                {
                    "title": article.title,
                    "location": article.location,
                    "chunks": len(chunks),
                    "content_hash": article.content_hash,
                    "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "published": article.published,
                    "author": article.author,
                    "chars": len(article.text),
                    **meta_said,
                }
            ],
        )

    def put_statements(self, source_id: str, statements: Sequence[Statement]) -> None:
        """Replace an article's statements (its record, when it has one, is the caller's to update)."""
        self.statement_records.delete(where={"source_id": source_id})
        for begin in range(0, len(statements), ADD_BATCH):
            batch = statements[begin : begin + ADD_BATCH]
            self.statement_records.upsert(
                ids=[x.statement_id for x in batch], documents=[x.content for x in batch],
                metadatas=[x.metadata() for x in batch],  # type: ignore[misc]
                embeddings=np.zeros((len(batch), 1), dtype=np.float32),  # looked up by metadata, never by vector
            )

    def mark_extracted(self, source_id: str, count: int) -> None:
        """Record that an article indexed before statements existed has had them extracted."""
        self.sources.update(ids=[source_id], metadatas=[{"statements": count}])

    def set_about(self, source_id: str, about: Span) -> None:
        """Record an article's one-line summary (a sentence of it, with its offsets)."""
        self.sources.update(ids=[source_id], metadatas=[
            {"about": about.quote, "about_start": about.start, "about_end": about.end}])

    def unextracted(self) -> list[str]:
        """Ids of articles whose statements were never extracted (indexed by an older version)."""
        got = self.sources.get(include=["metadatas"])
        return [i for i, m in zip(got["ids"], got["metadatas"] or [], strict=True) if "statements" not in m]

    def statements(self, source_ids: Sequence[str] | None = None) -> list[Statement]:
        """Statements (of the given articles), in article order and then reading order."""
        got = self.statement_records.get(where=_where_sources(source_ids), include=["documents", "metadatas"])
        out = [Statement.from_store(i, d, dict(m))
               for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)]
        return sorted(out, key=lambda x: (x.source_id, x.start))

    def remove_source(self, source_id: str) -> bool:
        """Delete an article and its chunks; False when no such article is indexed."""
        found = self.get_source(source_id) is not None
        self.sources.delete(ids=[source_id])  # record first: a kill in between leaves only orphans
        self.chunks.delete(where={"source_id": source_id})
        self.statement_records.delete(where={"source_id": source_id})
        return found

    def repair(self) -> int:
        """Delete chunks that belong to no finished ingest; returns how many were removed. On an embedded
        index this process is the only writer, so every orphan is a killed write's. On a Chroma server another
        process may be between writing an article's chunks and its record: only orphans older than
        SHARED_REPAIR_AGE go (search never shows an orphan meanwhile: it keeps recorded articles only)."""
        recorded = {s.source_id: s.content_hash for s in self.list_sources()}
        got = self.chunks.get(include=["metadatas"])
        cutoff = time.time() - SHARED_REPAIR_AGE if self.shared else float("inf")
        orphans = [
            i
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            if recorded.get(str(m.get("source_id"))) != m.get("content_hash")
            and float(str(m.get("written_at", 0) or 0)) < cutoff
        ]
        if orphans:
            self.chunks.delete(ids=orphans)
        said = self.statement_records.get(include=["metadatas"])
        # statements are written just before their record: an in-flight write's have no orphan chunk older
        # than the cutoff either, so on a server only articles whose chunks were removed lose theirs
        gone = set(orphans)
        kept = {str(m.get("source_id")) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                if i not in gone} if self.shared else set()
        unowned = [i for i, m in zip(said["ids"], said["metadatas"] or [], strict=True)
                   if str(m.get("source_id")) not in recorded and str(m.get("source_id")) not in kept]
        if unowned:
            self.statement_records.delete(ids=unowned)
        return len(orphans)


def _source(source_id: str, meta: Any) -> SourceInfo:
    return SourceInfo(
        source_id=source_id,
        title=str(meta.get("title", "")),
        location=str(meta.get("location", "")),
        chunks=int(meta.get("chunks", 0)),
        content_hash=str(meta.get("content_hash", "")),
        ingested_at=str(meta.get("ingested_at", "")),
        published=str(meta.get("published", "")),
        author=str(meta.get("author", "")),
        about=str(meta.get("about", "")),
        about_start=int(meta.get("about_start", 0)),
        about_end=int(meta.get("about_end", 0)),
    )


def _where_sources(source_ids: Iterable[str] | None) -> dict[str, Any] | None:
    """A Chroma filter to the given articles (None: all of them)."""
    ids = list(source_ids or [])
    if not ids:
        return None
    return {"source_id": ids[0]} if len(ids) == 1 else {"source_id": {"$in": ids}}
