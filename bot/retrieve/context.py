"""Passages that read alone: the chunk plus neighbouring sentences; the same text is returned once.

A widened passage is the article's own text from the first added sentence to the last (paragraph breaks
kept), so its offsets hold like a chunk's: ``article[start:start + len(text)] == text``.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.records import Chunk
from bot.sentences import split_sentences
from bot.words import tokens

MAX_NEIGHBOUR_CHARS = 400  # a neighbour "sentence" can be a whole list or table; keep context bounded

Neighbour = Callable[[Chunk, int], Chunk | None]
ArticleText = Callable[[str], str]


def fingerprint(text: str) -> str:
    """Text identity ignoring case, accents, punctuation and spacing."""
    return " ".join(tokens(text))


def widen(chunk: Chunk, neighbour: Neighbour, sentences: int, skip: set[str],
          article_text: ArticleText) -> tuple[str, int]:
    """The chunk with up to ``sentences`` sentences of each neighbouring chunk of the same article, as
    (text, offset in the article). Neighbours whose id is in ``skip`` (returned as passages themselves) are
    not repeated."""
    if sentences <= 0:
        return chunk.text, chunk.start
    start, end = chunk.start, chunk.end
    before, after = neighbour(chunk, -1), neighbour(chunk, +1)
    if before is not None and before.chunk_id not in skip:
        tail = split_sentences(before.text)[-sentences:]
        if tail and tail[-1].end - tail[0].start <= MAX_NEIGHBOUR_CHARS:
            start = min(start, before.start + tail[0].start)
    if after is not None and after.chunk_id not in skip:
        head = split_sentences(after.text)[:sentences]
        if head and head[-1].end - head[0].start <= MAX_NEIGHBOUR_CHARS:
            end = max(end, after.start + head[-1].end)
    if (start, end) == (chunk.start, chunk.end):
        return chunk.text, chunk.start
    text = article_text(chunk.source_id)
    if text[chunk.start : chunk.end] != chunk.text:  # the record and its chunks disagree: never show a wrong span
        return chunk.text, chunk.start
    return text[start:end], start
