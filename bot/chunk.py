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
    pieces = [doc.page_content for doc in make_splitter(chunk_size, chunk_overlap).create_documents([text])]
    chunks: list[Chunk] = []
    for piece, start in zip(pieces, _place(text, pieces), strict=True):
        if start is None:
            continue  # an overlap copy of text that the chunks around it already cover
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


def _place(text: str, pieces: list[str]) -> list[int | None]:
    """Where each chunk starts. The splitter's own ``start_index`` is a `find` from an estimate, which in
    repetitive text ("The The The ...") with overlap lands on an earlier copy, out of order or leaving text
    uncovered. Each chunk must start where the one before does or after it, and no later than the first
    non-space character after its end, the first at the text's start and the last reaching its end. In
    repetitive text a piece has several copies in that window and a greedy choice can leave no place for
    the next piece, so every
    copy reachable from the one before is kept (a handful at most: copies within one chunk's length) and a
    path through them is read back from the end. A piece no copy of which fits is left out (None): the
    splitter's overlap made it of text its neighbours cover."""
    if not pieces:
        return []

    def reach(end: int) -> int:  # the latest start the next chunk may have without leaving a gap
        while end < len(text) and text[end].isspace():
            end += 1
        return end

    def copies(piece: str, lo: int, hi: int) -> list[int]:
        out, at = [], text.find(piece, lo, hi + len(piece))
        while at >= 0:
            out.append(at)
            at = text.find(piece, at + 1, hi + len(piece))
        return out

    first = reach(0)
    layers: list[dict[int, int | None]] = [{s: None for s in copies(pieces[0], 0, first)}]  # start -> previous
    kept = [0]  # which piece each layer places
    for i in range(1, len(pieces)):
        prev = layers[-1]
        lo, hi = min(prev), max(reach(s + len(pieces[kept[-1]])) for s in prev)
        layer: dict[int, int | None] = {}
        for s in copies(pieces[i], lo, hi):
            back = next((p for p in sorted(prev) if p <= s <= reach(p + len(pieces[kept[-1]]))), None)
            if back is not None:
                layer[s] = back
        if layer:
            layers.append(layer)
            kept.append(i)
    placed: list[int | None] = [None] * len(pieces)
    ends = [s for s in layers[-1] if reach(s + len(pieces[kept[-1]])) >= len(text)] or [-1]
    at: int | None = max(ends)
    for layer, i in zip(reversed(layers), reversed(kept), strict=True):
        placed[i] = at
        at = layer.get(at) if at is not None else None
    return placed
