"""What the model reads: of each passage, the sentences that speak to the question and their neighbours,
within a budget of characters. The local model's first token waits on reading the whole prompt (about 140
tokens a second on a laptop CPU), so a prompt cut to what could answer is a sooner answer. Citations are
still verified against the whole passages; only the prompt is shortened."""

from __future__ import annotations

from collections.abc import Sequence

from bot.citations import lexical_support
from bot.sentences import split_sentences
from bot.words import content_words

GAP = "…"


def focused(question: str, texts: Sequence[str], budget: int) -> list[str]:
    """Each text cut to the sentences most about ``question`` (share of its content words), each with the
    sentence before and after it, best first across all texts until ``budget`` characters are used; every
    text keeps at least its best sentence and neighbours. Sentences keep their order; a cut is marked "…".
    Texts within the budget as a whole are returned unchanged."""
    if sum(len(t) for t in texts) <= budget:
        return list(texts)
    asked = " ".join(content_words(question))
    splits = [split_sentences(t) for t in texts]
    scored = sorted(((lexical_support(asked, s.text) if asked else 0.0, -i, j, i)
                     for j, sents in enumerate(splits) for i, s in enumerate(sents)), reverse=True)
    keep: list[set[int]] = [set() for _ in texts]
    used = 0
    for score, _, j, i in scored:
        window = {k for k in (i - 1, i, i + 1) if 0 <= k < len(splits[j])} - keep[j]
        cost = sum(len(splits[j][k].text) + 1 for k in window)
        if keep[j] and used + cost > budget:
            continue  # each text keeps its best window; more only while the budget lasts
        keep[j] |= window
        used += cost
        if score <= 0.0 and all(keep):
            break
    out = []
    for j, sents in enumerate(splits):
        if not sents:
            out.append(texts[j])
            continue
        parts: list[str] = []
        last = -1
        for i in sorted(keep[j]):
            if i != last + 1:  # sentences left out before this one
                parts.append(GAP)
            parts.append(sents[i].text)
            last = i
        if last != len(sents) - 1:
            parts.append(GAP)
        out.append(" ".join(parts))
    return out
