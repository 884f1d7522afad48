"""Retrieval: dense (Chroma) + lexical (BM25) + transliteration-tolerant name matching, fused by RRF.

The one entry point later stages call is :func:`search`; it returns typed ``Passage`` records, best first,
each widened with neighbouring sentences so it reads alone, with no two passages of the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.records import Chunk, Passage
from bot.retrieve.context import fingerprint, widen
from bot.retrieve.coverage import Coverage, coverage
from bot.retrieve.dense import dense
from bot.retrieve.fuse import rrf
from bot.retrieve.index import CorpusIndex, clear_cache, corpus_index
from bot.retrieve.lexical import top
from bot.retrieve.names import name_words
from bot.settings import Settings
from bot.store import Store
from bot.words import stem, terms

__all__ = ["Candidates", "Coverage", "SearchParams", "candidates", "clear_cache", "corpus_index", "covers",
           "fuse", "fusion_weights", "search"]


def _default(name: str) -> object:
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class SearchParams:
    """The retrieval settings (`Settings` documents each); the defaults are the settings' defaults."""

    candidates: int = _default("retrieve_candidates")  # type: ignore[assignment]
    rrf_k: int = _default("rrf_k")  # type: ignore[assignment]
    dense_weight: float = _default("dense_weight")  # type: ignore[assignment]
    lexical_weight: float = _default("lexical_weight")  # type: ignore[assignment]
    names_weight: float = _default("names_weight")  # type: ignore[assignment]
    context_sentences: int = _default("context_sentences")  # type: ignore[assignment]
    recheck_s: float = _default("index_recheck_s")  # type: ignore[assignment]

    @classmethod
    def from_settings(cls, settings: Settings) -> SearchParams:
        return cls(settings.retrieve_candidates, settings.rrf_k, settings.dense_weight, settings.lexical_weight,
                   settings.names_weight, settings.context_sentences, settings.index_recheck_s)


@dataclass
class Candidates:
    """Each retriever's ranking of chunk ids (best first) and its raw scores, before fusion."""

    raw: dict[str, dict[str, float]]  # retriever -> chunk id -> score, best first
    chunks: dict[str, Chunk]

    @property
    def rankings(self) -> dict[str, list[str]]:
        return {name: list(scores) for name, scores in self.raw.items()}


def fusion_weights(params: SearchParams | Settings) -> dict[str, float]:
    return {"dense": params.dense_weight, "lexical": params.lexical_weight, "names": params.names_weight}


def candidates(store: Store, query: str, n: int, source_ids: Sequence[str] | None = None,
               index: CorpusIndex | None = None) -> Candidates:
    """Up to n chunks from each retriever: dense (Chroma), lexical (BM25) and names matched across spellings."""
    index = index or corpus_index(store, SearchParams.recheck_s)
    mask = index.mask(source_ids)
    dense_hits = dense(store, query, n, source_ids)
    query_terms, name_counts = _names(index, query, mask)
    lexical_scores = index.lexical.scores(query_terms)
    lexical_hits = top(lexical_scores, n, mask)
    # Chunks holding more of the query's names first; among equals, where the query's words weigh most.
    ranked = sorted(name_counts, key=lambda p: (-name_counts[p], -float(lexical_scores[p]), p))[:n]
    name_hits = [(p, name_counts[p]) for p in ranked]

    chunks: dict[str, Chunk] = {c.chunk_id: c for c, _ in dense_hits}
    chunks.update((index.chunks[p].chunk_id, index.chunks[p]) for p, _ in lexical_hits + name_hits)
    raw = {
        "dense": {c.chunk_id: s for c, s in dense_hits},
        "lexical": {index.chunks[p].chunk_id: s for p, s in lexical_hits},
        "names": {index.chunks[p].chunk_id: s for p, s in name_hits},
    }
    return Candidates(raw=raw, chunks=chunks)


def fuse(found: Candidates, weights: dict[str, float], rrf_k: int) -> list[tuple[str, float]]:
    """Chunk ids best first: a question that names someone wants the passages naming them (in any spelling)
    first, those with more of its names before those with fewer; RRF orders each group (the sort is stable)."""
    fused = rrf(found.rankings, weights, rrf_k)
    if named := found.raw["names"]:
        fused.sort(key=lambda item: -named.get(item[0], 0.0))
    return fused


def search(store: Store, query: str, k: int = 5, source_ids: Sequence[str] | None = None,
           params: SearchParams | None = None) -> list[Passage]:
    """The k passages that best answer ``query``, best first (optionally only from ``source_ids``)."""
    query = query.strip()
    if not query or k <= 0 or store.count() == 0:  # bm25s cannot build an index over nothing
        return []
    params = params or SearchParams()
    index = corpus_index(store, params.recheck_s)
    n = max(params.candidates, k * 3)  # room for duplicates dropped below
    found = candidates(store, query, n, source_ids, index)
    rankings = found.rankings

    chosen: list[tuple[Chunk, float]] = []
    seen: set[str] = set()
    for chunk_id, score in fuse(found, fusion_weights(params), params.rrf_k):
        chunk = found.chunks[chunk_id]
        mark = fingerprint(chunk.text)
        if mark in seen:  # the same text under another id (a re-posted article, a repeated boilerplate)
            continue
        seen.add(mark)
        chosen.append((chunk, score))
        if len(chosen) == k:
            break

    # Only recorded articles: another process may be half-way through writing or removing one (its chunks
    # without a record), and the lexical index may predate a removal by up to ``recheck_s``.
    if gone := set(store.missing(list({c.source_id for c, _ in chosen}))):
        chosen = [(c, s) for c, s in chosen if c.source_id not in gone]
    ids = {c.chunk_id for c, _ in chosen}
    passages = []
    for chunk, score in chosen:
        signals: dict[str, float] = {}
        for name, ranking in rankings.items():
            if chunk.chunk_id in found.raw[name]:
                signals[f"{name}_rank"] = float(ranking.index(chunk.chunk_id) + 1)
                signals[f"{name}_score"] = found.raw[name][chunk.chunk_id]
        context, offset = widen(chunk, index.neighbour, params.context_sentences, ids, store.article_text)
        passages.append(Passage(chunk=chunk, score=score, context=context, signals=signals, context_start=offset))
    return passages


def covers(store: Store, question: str, passages: Sequence[Passage]) -> list[Coverage]:
    """For each passage, how much of ``question`` it speaks to (see `bot.retrieve.coverage`)."""
    lexical = corpus_index(store, SearchParams.recheck_s).lexical
    return [coverage(lexical, question, p.text) for p in passages]


def _names(index: CorpusIndex, query: str, mask: np.ndarray | None) -> tuple[list[str], dict[int, float]]:
    """BM25 query terms with spelling variants of the query's names added, and per chunk how many it holds."""
    query_terms = terms(query)
    vocab = index.lexical.vocab
    counts: dict[int, float] = {}
    for word in name_words(query, lambda w: stem([w])[0] in vocab):
        found = index.names.variants(word)
        # A name no close spelling finds may be one a spelling system wrote more loosely; that test also
        # pairs words that are not names (a German question's nouns), so its spellings only join the
        # lexical query, where a rare name weighs much and a stray word little.
        loose = not found
        found = found or index.names.loose_variants(word)
        query_terms += [t for t in stem(found) if t not in query_terms]
        if loose:
            continue
        positions: set[int] = set().union(*(index.names.postings[v] for v in found))
        for pos in positions:  # every spelling counts the same: it is one person or place
            if mask is None or mask[pos]:
                counts[pos] = counts.get(pos, 0.0) + 1.0
    return query_terms, counts
