"""No two sentences of a summary carry the same content.

Two sentences repeat each other when they rest on the same article sentence (a model's paraphrase and the
extractive filler taken from what it paraphrased, or two fallbacks to one cited sentence), or when most
content words of the shorter one are in the other ("Trump spoke to reporters on Friday" / "On Friday
Trump told reporters he expects something significant"), or, given their embeddings, when they mean the
same in other words ("will re-enter the Earth's atmosphere after flight controllers lost contact with it,
Scott Kelly said" / "'... the Progress will not be docking and will re-enter the Earth's atmosphere,' Kelly
said"). The same test serves the extractive choice, the map stage's notes, the final summary and the
benchmark's count of redundant pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.citations import CitedSentence, Embed
from bot.words import content_words, numbers, stem

SHARED = 0.6  # share of the shorter sentence's content words found in the other
# Embedding (MiniLM cosine) thresholds: this close, the same content; or closer than CLOSE with CLOSE_SHARED
# of the words. From pairs read in summaries of CNN/DM articles 51-80 (2026-12-07): six of the seven repeats a
# reader found scored 0.55-0.74; pairs on different facts of one story reached 0.66 with few words in common.
# A reader still finds repeats this misses (the same plea told as "admitted to" and "pleaded guilty to").
SAME_MEANING = 0.7
CLOSE = 0.55
CLOSE_SHARED = 0.45


def repeats(a: CitedSentence, b: CitedSentence, cosine: float | None = None) -> bool:
    """``cosine``: the two sentences' embedding similarity, where known."""
    if differ(a.text, b.text):
        return False  # the same story with other figures is a disagreement to show, not a repeat
    shared = _shared(a.text, b.text)
    if any(x.start < y.end and y.start < x.end for x in a.spans for y in b.spans):
        return shared >= SHARED / 2  # one source sentence: half the usual overlap is enough
    if cosine is not None and (cosine >= SAME_MEANING or (cosine >= CLOSE and shared >= CLOSE_SHARED)):
        return True
    return shared >= SHARED


class Cosines:
    """Embedding similarity of two texts, each text embedded once."""

    def __init__(self, embed: Embed | None) -> None:
        self.embed = embed
        self.vectors: dict[str, np.ndarray] = {}

    def __call__(self, a: str, b: str) -> float | None:
        if self.embed is None:
            return None
        if new := [t for t in dict.fromkeys((a, b)) if t not in self.vectors]:
            self.vectors |= dict(zip(new, np.asarray(self.embed(new), dtype=np.float32), strict=True))
        return float(self.vectors[a] @ self.vectors[b])


def distinct(sentences: Sequence[CitedSentence], cos: Cosines | None = None) -> list[CitedSentence]:
    """The sentences in order, each one that repeats an earlier kept one left out (``cos``: the caller's
    `Cosines`, so a text it has embedded is not embedded again; none: words alone decide)."""
    cos = cos or Cosines(None)
    kept: list[CitedSentence] = []
    for s in sentences:
        if not any(repeats(s, k, cos(s.text, k.text)) for k in kept):
            kept.append(s)
    return kept


def redundant_pairs(sentences: Sequence[CitedSentence], embed: Embed | None = None) -> int:
    cos = Cosines(embed)
    return sum(repeats(a, b, cos(a.text, b.text)) for i, a in enumerate(sentences) for b in sentences[i + 1:])


def differ(a: str, b: str) -> bool:
    """Two sentences on one fact that give it different figures ("killed 12" / "killed 15")."""
    na, nb = numbers(a), numbers(b)  # each gives a figure the other does not (not: one says more)
    return bool(na - nb and nb - na and _shared(_no_digits(a), _no_digits(b)) >= SHARED)


def _no_digits(text: str) -> str:
    return " ".join(w for w in text.split() if not any(ch.isdigit() for ch in w))


def _shared(a: str, b: str) -> float:
    wa, wb = set(stem(content_words(a))), set(stem(content_words(b)))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))
