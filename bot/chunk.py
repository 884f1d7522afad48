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
        add_start_index=True,  # the splitter reports where each chunk starts in the text
    )


def split_article(article: Article, chunk_size: int, chunk_overlap: int = 0) -> list[Chunk]:
    """Chunks with character offsets into ``article.text`` (``text[start:end] == chunk.text``)."""
    text = article.text
    docs = make_splitter(chunk_size, chunk_overlap).create_documents([text])
    chunks: list[Chunk] = []
    for doc in docs:
        piece = doc.page_content
        start = _place(text, piece, chunks[-1] if chunks else None)
        end = start + len(piece)
        if start < 0 or text[start:end] != piece:  # the splitter only strips whitespace: a bug, not input
            raise AssertionError(f"chunk {len(chunks)} of article {article.source_id} is not at offset {start}")
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


def _place(text: str, piece: str, previous: Chunk | None) -> int:
    """Where a chunk starts. The splitter's own ``start_index`` is a `find` from an estimate, which in
    repetitive text ("The The The ...") with overlap lands on an earlier copy, out of order or leaving text
    uncovered. A chunk starts after the previous one's start and no later than the first character after
    it; of the copies in that window the latest is taken, so the chunks stay in order and cover the text."""
    lo = previous.start + 1 if previous else 0
    hi = previous.end if previous else 0
    while hi < len(text) and text[hi].isspace():
        hi += 1
    found = text.rfind(piece, lo, hi + len(piece))
    return found if found >= 0 else text.find(piece, lo)
