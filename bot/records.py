"""Typed records passed between the floors of the pipeline (data, never printed text)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """A cleaned article, before chunking."""

    source_id: str
    location: str  # absolute path or URL
    title: str
    text: str
    content_hash: str
    published: str = ""
    author: str = ""


@dataclass(frozen=True)
class Chunk:
    """One stored passage of an article, with its exact place in the cleaned article text."""

    chunk_id: str
    source_id: str
    title: str
    location: str
    index: int
    start: int
    end: int
    text: str
    content_hash: str = ""
    published: str = ""
    author: str = ""

    def metadata(self) -> dict[str, str | int]:
        """The Chroma metadata for this chunk (Chroma forbids None values)."""
        meta = asdict(self)
        del meta["chunk_id"], meta["text"]
        return meta

    @classmethod
    def from_store(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        return cls(
            chunk_id=chunk_id,
            text=text,
            source_id=str(meta.get("source_id", "")),
            title=str(meta.get("title", "")),
            location=str(meta.get("location", "")),
            index=int(meta.get("index", 0)),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            content_hash=str(meta.get("content_hash", "")),
            published=str(meta.get("published", "")),
            author=str(meta.get("author", "")),
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its score; ``context`` is the chunk widened to read on its own."""

    chunk: Chunk
    score: float
    context: str = ""
    signals: dict[str, float] = field(default_factory=dict)  # per-retriever ranks/scores, for debugging

    @property
    def text(self) -> str:
        return self.context or self.chunk.text


@dataclass(frozen=True)
class SourceInfo:
    """One indexed article as listed by `bot sources`."""

    source_id: str
    title: str
    location: str
    chunks: int
    content_hash: str
    ingested_at: str


@dataclass(frozen=True)
class Citation:
    """A passage an answer or summary cites as ``[n]``."""

    n: int
    chunk_id: str
    source_id: str
    title: str
    text: str
    location: str = ""
    start: int = 0
    end: int = 0

    @classmethod
    def from_passage(cls, n: int, passage: Passage) -> Citation:
        c = passage.chunk
        return cls(n, c.chunk_id, c.source_id, c.title, passage.text, c.location, c.start, c.end)


@dataclass
class Answer:
    """A grounded answer: ``answer`` holds markers [n] that map to ``citations``."""

    question: str
    answer: str
    citations: list[Citation]
    backend: str
    refused: bool
    timings: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    notice: str = ""  # shown to the user: fallbacks, what was dropped
    unsupported: list[str] = field(default_factory=list)  # model sentences no passage supports (removed)
    passages: list[Passage] = field(default_factory=list)  # everything retrieved, for the UI's side panel

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": [asdict(c) for c in self.citations],
            "backend": self.backend,
            "refused": self.refused,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "question": self.question,
            "standalone_question": self.standalone_question,
            "notice": self.notice,
            "unsupported": self.unsupported,
        }


@dataclass
class Summary:
    """A cited summary: ``summary`` holds markers [n] that map to ``citations``."""

    summary: str
    citations: list[Citation]
    backend: str
    timings: dict[str, float] = field(default_factory=dict)
    notice: str = ""  # shown to the user: fallbacks, length not reachable, what was dropped
    sources: list[str] = field(default_factory=list)  # source ids summarized
    cached: bool = False
    unsupported: list[str] = field(default_factory=list)  # model sentences no passage supports (removed)

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "citations": [asdict(c) for c in self.citations],
            "backend": self.backend,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "notice": self.notice,
            "sources": self.sources,
            "cached": self.cached,
            "unsupported": self.unsupported,
        }
