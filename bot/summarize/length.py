"""The length asked for, enforced in code on the model's verified sentences.

A small model does not count words reliably: too long, whole trailing sentences go; too short (or a
sentence dropped as unsupported), the extractive selection fills in. An article with nothing cited gets
its best extractive sentence, so a summary of several articles covers them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.citations import CitedSentence, Embed
from bot.records import Passage
from bot.summarize.extract import SLACK
from bot.summarize.redundancy import Cosines, distinct, repeats


def fit_length(model: Sequence[CitedSentence], spare: Sequence[CitedSentence], passages: Sequence[Passage],
               words: int | None, sentences: int | None,
               thread: Callable[[CitedSentence], int] | None = None,
               embed: Embed | None = None) -> tuple[list[CitedSentence], str]:
    """``thread`` names the story thread a sentence rests on: when sentences must go, a second sentence of a
    thread goes before the only sentence of another. No sentence that repeats another is kept or added
    (`bot.summarize.redundancy`, the one test of a repeat)."""
    cos = Cosines(embed)
    out = distinct([s for s in model if s.sources], cos)
    sources = {p.chunk.source_id for p in passages}

    def source(s: CitedSentence) -> str:
        return passages[s.sources[0]].chunk.source_id

    def count() -> int:
        return sum(len(s.text.split()) for s in out)

    def new(s: CitedSentence) -> bool:
        return not any(repeats(s, t, cos(s.text, t.text)) for t in out)

    for sid in sources - {source(s) for s in out}:
        out += [s for s in spare if source(s) == sid and new(s)][:1]

    def droppable() -> int | None:
        """The last sentence whose article is still cited elsewhere, one whose thread is too if any is."""
        found = [i for i in range(len(out) - 1, -1, -1)
                 if sum(source(s) == source(out[i]) for s in out) > 1 or len(sources) == 1]
        if thread is not None:
            threads = [thread(s) for s in out]
            found = sorted(found, key=lambda i: threads.count(threads[i]) == 1)  # stable: last first within
        return found[0] if found else None

    if sentences:
        while len(out) > sentences and (i := droppable()) is not None:
            out.pop(i)
    else:
        assert words
        while count() > words * (1 + SLACK) and len(out) > 1 and (i := droppable()) is not None:
            out.pop(i)
    for s in spare:
        if (len(out) >= sentences) if sentences else (count() >= words * (1 - SLACK)):  # type: ignore[operator]
            break
        if not new(s):
            continue
        if words and count() + len(s.text.split()) > words * (1 + SLACK):
            continue
        out.append(s)
    notice = ""
    if sentences and len(out) < sentences:
        notice = f"Only {len(out)} supported sentences could be written; asked for {sentences}."
    elif words and not words * (1 - SLACK) <= count() <= words * (1 + SLACK):
        notice = f"The summary has {count()} words; asked for {words}."
    return out, notice
