"""Passages that read alone: the chunk plus neighbouring sentences; the same text is returned once."""

from __future__ import annotations

from collections.abc import Callable

from bot.records import Chunk
from bot.retrieve.lexical import words
from bot.sentences import split_sentences

MAX_NEIGHBOUR_CHARS = 400  # a neighbour "sentence" can be a whole list or table; keep context bounded

Neighbour = Callable[[Chunk, int], Chunk | None]


def fingerprint(text: str) -> str:
    """Text identity ignoring case, accents, punctuation and spacing."""
    return " ".join(words(text))


def widen(chunk: Chunk, neighbour: Neighbour, sentences: int, skip: set[str]) -> str:
    """The chunk with up to ``sentences`` sentences of each neighbouring chunk of the same article.

    Neighbours whose id is in ``skip`` (returned as passages themselves) are not repeated.
    """
    if sentences <= 0:
        return chunk.text
    before, after = neighbour(chunk, -1), neighbour(chunk, +1)
    parts = [chunk.text]
    if before is not None and before.chunk_id not in skip:
        tail = " ".join(s.text for s in split_sentences(before.text)[-sentences:])
        if len(tail) <= MAX_NEIGHBOUR_CHARS:
            parts.insert(0, tail)
    if after is not None and after.chunk_id not in skip:
        head = " ".join(s.text for s in split_sentences(after.text)[:sentences])
        if len(head) <= MAX_NEIGHBOUR_CHARS:
            parts.append(head)
    return " ".join(parts)
