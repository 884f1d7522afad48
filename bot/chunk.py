"""Split a cleaned article into passages on paragraph and sentence boundaries."""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.records import Article, Chunk

# Paragraphs first, then lines, then sentence ends, then words: a chunk never cuts a sentence
# unless one sentence alone is longer than the chunk size.
SEPARATORS = ["\n\n", "\n", r"(?<=[.!?…»”\"])\s+", r"(?<=[;:])\s+", " ", ""]


def make_splitter(chunk_size: int, chunk_overlap: int) -> RecursiveCharacterTextSplitter:
    if chunk_overlap >= chunk_size:
        raise ValueError(f"chunk overlap ({chunk_overlap}) must be smaller than chunk size ({chunk_size})")
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",  # joined back with "", so chunks stay exact substrings
        strip_whitespace=True,
    )


def split_article(article: Article, chunk_size: int, chunk_overlap: int = 0) -> list[Chunk]:
    """Chunks with character offsets into ``article.text`` (``text[start:end] == chunk.text``)."""
    pieces = make_splitter(chunk_size, chunk_overlap).split_text(article.text)
    chunks: list[Chunk] = []
    cursor = 0
    for piece in pieces:
        start = article.text.find(piece, cursor)
        if start < 0:  # the splitter only strips whitespace, so this means a bug, not bad input
            raise AssertionError(f"chunk not found in article {article.source_id} at or after {cursor}")
        end = start + len(piece)
        # With overlap the next chunk may start before this one ends.
        cursor = start + 1 if chunk_overlap else end
        index = len(chunks)
        chunks.append(
            Chunk(
                chunk_id=f"{article.source_id}-{article.content_hash[:8]}-{index:04d}",
                source_id=article.source_id,
                title=article.title,
                location=article.location,
                index=index,
                start=start,
                end=end,
                text=piece,
                content_hash=article.content_hash,
                published=article.published,
                author=article.author,
            )
        )
    return chunks
