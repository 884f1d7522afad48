"""Weighted reciprocal rank fusion: rank-based, so BM25 and cosine scores never need a common scale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence


def rrf(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: int = 60) -> list[tuple[str, float]]:
    """Ids by sum of weight / (k + rank) over the rankings (rank starts at 1), best first, ties by id."""
    scores: dict[str, float] = defaultdict(float)
    for name, ids in rankings.items():
        weight = weights.get(name, 1.0)
        for rank, item in enumerate(ids, start=1):
            scores[item] += weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
