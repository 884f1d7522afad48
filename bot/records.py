"""Typed records passed between the floors of the pipeline (data, never printed text).

Offsets are always into an article's *cleaned text* (what `bot sources show ID` prints), so for every
record that has them ``article.text[start:end]`` is exactly its text: a chunk, a passage as shown, a
citation's supporting quote. A UI highlights with them and never re-parses text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """A cleaned article, before chunking."""

    source_id: str
    location: str  # absolute path, URL, or "upload:<name>" for bytes handed over by a browser
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
    """A retrieved chunk with its score. ``context`` is the chunk widened by neighbouring sentences so it
    reads alone; it is the article's own text from ``context_start`` (``-1``: no context, the chunk alone)."""

    chunk: Chunk
    score: float
    context: str = ""
    signals: dict[str, float] = field(default_factory=dict)  # per-retriever ranks/scores, for debugging
    context_start: int = -1

    @property
    def text(self) -> str:
        return self.context or self.chunk.text

    @property
    def start(self) -> int:
        """Offset of ``text`` in the article's cleaned text."""
        return self.context_start if self.context else self.chunk.start

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of an article's cleaned text, and that text."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class SourceInfo:
    """One indexed article as listed by `bot sources` (its text is in `ArticleText`)."""

    source_id: str
    title: str
    location: str
    chunks: int
    content_hash: str
    ingested_at: str
    published: str = ""
    author: str = ""
    about: str = ""  # one key sentence of the article, made once after ingest ("" until then)
    about_start: int = 0  # where that sentence is in the article's cleaned text
    about_end: int = 0

    @property
    def chronology(self) -> tuple[bool, str, str, str]:
        """Oldest first: dated articles by publication date, then undated ones by when they were added."""
        return (not self.published, self.published, self.ingested_at, self.source_id)


@dataclass(frozen=True)
class ArticleText:
    """One article's record and its whole cleaned text: what citations' offsets point into."""

    source_id: str
    title: str
    location: str
    published: str
    author: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """What ``[n]`` points at: the passage shown (``text``, at ``passage_start:passage_end`` of the article)
    and, inside it, the span that supports the sentences citing it (``start:end``, ``quote``). When several
    sentences cite one passage through different sentences of it, ``spans`` lists each supporting span and
    ``start:end`` covers them all."""

    n: int
    chunk_id: str
    source_id: str
    title: str
    text: str
    location: str = ""
    start: int = 0
    end: int = 0
    quote: str = ""
    passage_start: int = 0
    passage_end: int = 0
    published: str = ""
    spans: list[Span] = field(default_factory=list)

    @classmethod
    def from_passage(cls, n: int, passage: Passage, spans: list[Span]) -> Citation:
        c = passage.chunk
        spans = sorted(set(spans), key=lambda s: (s.start, s.end)) or [Span(passage.start, passage.end, passage.text)]
        start, end = spans[0].start, max(s.end for s in spans)
        quote = passage.text[start - passage.start : end - passage.start]
        return cls(n, c.chunk_id, c.source_id, c.title, passage.text, c.location, start, end, quote,
                   passage.start, passage.end, c.published, spans)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Citation:
        return cls(**{**data, "spans": [Span(**s) for s in data.get("spans", [])]})


@dataclass(frozen=True)
class CitedText:
    """One sentence of an answer or summary, the citation numbers that support it and, for each, the span
    of the article that does (same order as ``citations``)."""

    text: str
    citations: tuple[int, ...] = ()
    spans: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations),
                "spans": [{"n": n, **asdict(s)} for n, s in zip(self.citations, self.spans, strict=True)]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CitedText:
        spans = [Span(s["start"], s["end"], s["quote"]) for s in data.get("spans", [])]
        return cls(data["text"], tuple(data.get("citations", [])), tuple(spans))


@dataclass(frozen=True)
class Statement:
    """Something a speaker said, as one article reports it: ``content`` is ``text[start:end]`` of the
    article's cleaned text (for a direct quote, the words inside its marks), ``mention`` the words naming the
    speaker there, ``speaker`` the name they resolve to, ``sentence_start:sentence_end`` the sentence(s)
    holding the statement with its cue (what an answer quotes)."""

    statement_id: str
    source_id: str
    title: str
    published: str
    speaker: str
    mention: str
    cue: str
    content: str
    kind: str  # "direct" or "indirect"
    start: int
    end: int
    mention_start: int = 0
    mention_end: int = 0
    cue_start: int = 0
    cue_end: int = 0
    sentence_start: int = 0
    sentence_end: int = 0
    # What was said without the attribution set inside it: a direct quote's quoted parts ("A," he said. "B."),
    # or reported speech on both sides of its cue ("The plan, economists say, would add ..."); empty: the
    # statement is start:end whole
    parts: tuple[tuple[int, int], ...] = ()

    @property
    def spans(self) -> list[tuple[int, int]]:
        """What was said, as article offsets: the quoted parts, or start:end."""
        return list(self.parts) or [(self.start, self.end)]

    @property
    def words(self) -> str:
        """What was said, its parts joined by an ellipsis where the attribution stood."""
        return " … ".join(self.content[a - self.start : b - self.start] for a, b in self.spans)

    def metadata(self) -> dict[str, str | int]:
        meta = asdict(self)
        del meta["statement_id"], meta["content"]
        meta["parts"] = ",".join(f"{a}-{b}" for a, b in self.parts)  # Chroma metadata holds scalars only
        return meta

    @classmethod
    def from_store(cls, statement_id: str, content: str, meta: dict[str, Any]) -> Statement:
        ints = {k: int(meta.get(k, 0)) for k in ("start", "end", "mention_start", "mention_end", "cue_start",
                                                  "cue_end", "sentence_start", "sentence_end")}
        strs = {k: str(meta.get(k, "")) for k in ("source_id", "title", "published", "speaker", "mention", "cue",
                                                   "kind")}
        parts = tuple((int(a), int(b)) for a, b in (p.split("-") for p in str(meta.get("parts", "")).split(",") if p))
        return cls(statement_id=statement_id, content=content, **strs, **ints, parts=parts)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        keys = ("speaker", "mention", "cue", "content", "kind", "source_id", "title", "published", "start", "end")
        return {**{k: getattr(self, k) for k in keys}, "parts": [list(s) for s in self.spans]}


@dataclass
class Answer:
    """A grounded answer: ``answer`` holds markers [n] that map to ``citations``; ``sentences`` is the same
    text sentence by sentence, each with its citations and supporting spans."""

    question: str
    answer: str
    citations: list[Citation]
    backend: str
    refused: bool
    timings: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    notice: str = ""  # shown to the user: fallbacks, what was dropped
    unsupported: list[str] = field(default_factory=list)  # model sentences no passage supports (removed), or withheld
    passages: list[Passage] = field(default_factory=list)  # everything retrieved, for the UI's side panel
    sentences: list[CitedText] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)  # this request's model tokens, never another's
    model: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "sentences": [s.to_json() for s in self.sentences],
            "citations": [asdict(c) for c in self.citations],
            "backend": self.backend,
            "model": self.model,
            "refused": self.refused,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "usage": self.usage,
            "question": self.question,
            "standalone_question": self.standalone_question,
            "notice": self.notice,
            "unsupported": self.unsupported,
        }


@dataclass
class Summary:
    """A cited summary: ``summary`` holds markers [n] that map to ``citations``; ``sentences`` as in `Answer`."""

    summary: str
    citations: list[Citation]
    backend: str
    timings: dict[str, float] = field(default_factory=dict)
    notice: str = ""  # shown to the user: fallbacks, length not reachable, what was dropped
    sources: list[str] = field(default_factory=list)  # source ids summarized
    cached: bool = False
    unsupported: list[str] = field(default_factory=list)  # model sentences no passage supports (removed)
    sentences: list[CitedText] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)
    model: str = ""
    replaced: list[str] = field(default_factory=list)  # model sentences that moved who did what: cited text shown

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "sentences": [s.to_json() for s in self.sentences],
            "citations": [asdict(c) for c in self.citations],
            "backend": self.backend,
            "model": self.model,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "usage": self.usage,
            "notice": self.notice,
            "sources": self.sources,
            "cached": self.cached,
            "unsupported": self.unsupported,
            "replaced": self.replaced,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], cached: bool = False) -> Summary:
        return cls(
            summary=data["summary"], citations=[Citation.from_json(c) for c in data["citations"]],
            backend=data["backend"], timings=data.get("timings", {}), notice=data.get("notice", ""),
            sources=data.get("sources", []), cached=cached, unsupported=data.get("unsupported", []),
            sentences=[CitedText.from_json(s) for s in data.get("sentences", [])], usage=data.get("usage", {}),
            model=data.get("model", ""), replaced=data.get("replaced", []),
        )
