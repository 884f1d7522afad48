"""Lexical retrieval: BM25 (bm25s) over stemmed, ASCII-folded words of each chunk's title and text (`bot.words`)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import bm25s
import numpy as np

from bot.words import terms


class Lexical:
    """A BM25 index over documents given in a fixed order; scores come back per document position."""

    def __init__(self, documents: Sequence[str]) -> None:
        corpus = [terms(d) for d in documents]
        self.size = len(corpus)
        self.bm25 = bm25s.BM25()
        # create_empty_token keeps positions aligned when a chunk has no indexable word
        self.bm25.index(corpus, show_progress=False)
        self.vocab: frozenset[str] = frozenset(self.bm25.vocab_dict)
        self.df = Counter(t for doc in corpus for t in set(doc))  # chunks holding each term

    def idf(self, term: str) -> float:
        """How rare a (stemmed) term is in this corpus: rare words say more about what a question asks."""
        return math.log(1 + self.size / (1 + self.df.get(term, 0)))

    def scores(self, query_terms: list[str]) -> np.ndarray:
        known = [t for t in dict.fromkeys(query_terms) if t in self.vocab]
        if not known or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)


def top(scores: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The n best positive-scoring positions (optionally only where mask is True), best first."""
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    n = min(n, int(np.count_nonzero(scores > 0)))
    if n <= 0:
        return []
    best = np.argpartition(-scores, n - 1)[:n]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(i), float(scores[i])) for i in best]
