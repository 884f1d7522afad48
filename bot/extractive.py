"""No-model answers: the passages' own sentences that best answer a question, ranked in code."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.citations import CitedSentence, Embed, lexical_support
from bot.records import Passage, Span
from bot.sentences import split_sentences
from bot.words import content_words

MAX_SENTENCES = 2


def answer_sentences(question: str, passages: Sequence[Passage], embed: Embed) -> list[CitedSentence]:
    """The one or two sentences that best answer ``question``, each citing the passage it is from."""
    candidates: list[tuple[int, str, Span]] = [
        (j, s.text, Span(p.chunk.start + s.start, p.chunk.start + s.end, s.text))
        for j, p in enumerate(passages) for s in split_sentences(p.chunk.text) if len(s.text) > 20
    ]
    if not candidates:
        return []
    vectors = np.asarray(embed([question, *(t for _, t, _ in candidates)]), dtype=np.float32)
    semantic = vectors[1:] @ vectors[0]
    wanted = set(content_words(question))
    scores = []
    for k, (j, text, _) in enumerate(candidates):
        # Overlap measured from the question's side: how much of what was asked this sentence covers.
        lexical = lexical_support(" ".join(wanted), text) if wanted else 0.0
        rank_prior = 1.0 / (1 + j)  # retrieval already ranked the passages
        scores.append(0.6 * float(semantic[k]) + 0.3 * lexical + 0.1 * rank_prior)
    order = np.argsort(scores)[::-1]
    best = [int(order[0])]
    for k in order[1:MAX_SENTENCES]:
        if scores[k] >= 0.85 * scores[best[0]]:
            best.append(int(k))
    best.sort(key=lambda k: (candidates[k][0], k))  # reading order
    return [CitedSentence(candidates[k][1], (candidates[k][0],), float(scores[k]), (candidates[k][2],)) for k in best]
