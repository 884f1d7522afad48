"""No two sentences of a summary carry the same content.

Two sentences repeat each other when they rest on the same article sentence (a model's paraphrase and the
extractive filler taken from what it paraphrased, or two fallbacks to one cited sentence), or when most
content words of the shorter one are in the other ("Trump spoke to reporters on Friday" / "On Friday
Trump told reporters he expects something significant"). The same test serves the map stage's notes, the
final summary and the benchmark's count of redundant pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.citations import CitedSentence
from bot.words import content_words, numbers, stem

SHARED = 0.6  # share of the shorter sentence's content words found in the other


def repeats(a: CitedSentence, b: CitedSentence) -> bool:
    if differ(a.text, b.text):
        return False  # the same story with other figures is a disagreement to show, not a repeat
    if any(x.start < y.end and y.start < x.end for x in a.spans for y in b.spans):
        return _shared(a.text, b.text) >= SHARED / 2  # one source sentence: half the usual overlap is enough
    return _shared(a.text, b.text) >= SHARED


def distinct(sentences: Sequence[CitedSentence]) -> list[CitedSentence]:
    """The sentences in order, each one that repeats an earlier kept one left out."""
    kept: list[CitedSentence] = []
    for s in sentences:
        if not any(repeats(s, k) for k in kept):
            kept.append(s)
    return kept


def redundant_pairs(sentences: Sequence[CitedSentence]) -> int:
    return sum(repeats(a, b) for i, a in enumerate(sentences) for b in sentences[i + 1:])


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
