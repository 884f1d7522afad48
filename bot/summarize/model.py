"""Model-written summaries: key sentences picked in code, rewritten by the model, checked in code.

The 1.5B model reading a whole article paraphrases its opening and drops key facts (RESEARCH.md: below
Lead-3). So the model is given the extractive selection (position + centrality, ~FOCUS x the length asked
for) labelled with its passage numbers, and asked to compress it; every sentence it writes is then
verified against the passages like an answer. Input longer than the context window is first reduced in
stages (map: each window's passages summarized on their own; reduce: the final summary from those notes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.citations import CitedSentence, Embed, verify
from bot.llm import LLM, LLMError, Usage
from bot.prompts import addresses_model, passage_block, strip_injections
from bot.prompts import render as render_prompt
from bot.records import Passage
from bot.summarize.extract import TextOf, summarize_extractive
from bot.summarize.faithful import faithful_or_cited
from bot.summarize.redundancy import Cosines, distinct

FOCUS = 2.5             # the model sees about this many times the words asked for
CHARS_PER_TOKEN = 3.5   # conservative for English with the Qwen/Llama tokenizers
PROMPT_TOKENS = 350     # system prompt + instructions + passage headers
MAP_SENTENCES = 4       # notes kept per context window in the map stage


@dataclass(frozen=True)
class Progress:
    stage: str  # "map" or "reduce"
    done: int
    total: int


@dataclass(frozen=True)
class Delta:
    text: str


def length_phrase(words: int | None, sentences: int | None) -> str:
    if words:
        return f"in about {words} words, as {max(1, round(words / 22))} sentence(s)"
    return "in exactly one sentence" if sentences == 1 else f"in exactly {sentences} sentences"


def max_tokens(words: int | None, sentences: int | None) -> int:
    """Room for the length asked plus markers, and no more: a cap stops a rambling model early."""
    target = words or 22 * (sentences or 3)
    return int(target * 1.4) + 20


def notes_text(notes: Sequence[CitedSentence], passages: Sequence[Passage]) -> str:
    """Sentences grouped under the number of the passage they come from, in reading order."""
    by_passage: dict[int, list[str]] = {}
    for s in notes:
        by_passage.setdefault(s.sources[0], []).append(s.text)
    blocks = []
    for j in sorted(by_passage):
        blocks.append(passage_block(j + 1, passages[j].chunk.title, " ".join(by_passage[j])))
    return "\n\n".join(blocks)


def windows(passages: Sequence[Passage], budget_tokens: int) -> list[list[int]]:
    """Consecutive passage indexes packed into groups that each fit the model's input budget."""
    groups: list[list[int]] = [[]]
    used = 0.0
    for j, p in enumerate(passages):
        cost = len(p.chunk.text) / CHARS_PER_TOKEN + 10
        if groups[-1] and used + cost > budget_tokens:
            groups.append([])
            used = 0.0
        groups[-1].append(j)
        used += cost
    return groups


def model_summary(llm: LLM, passages: Sequence[Passage], embed: Embed, subject: str, words: int | None,
                  sentences: int | None, topic: str | None, ctx: int,
                  usage: Usage | None = None, text_of: TextOf | None = None) -> Iterator[Progress | Delta | str]:
    """Yields stage progress, text deltas of the final stage, then the draft text (a plain str) to verify."""
    out_tokens = max_tokens(words, sentences)
    budget = ctx - out_tokens - PROMPT_TOKENS
    target_words = words or 22 * (sentences or 3)
    focus = int(FOCUS * target_words)
    groups = windows(passages, budget)
    if len(groups) > 1:
        notes: list[CitedSentence] = []
        yield Progress("map", 0, len(groups))
        for n, group in enumerate(groups, 1):
            notes += _map(llm, passages, group, embed, topic)
            yield Progress("map", n, len(groups))
        # The map stage's verified sentences are the reduce stage's input, cut to fit if there are many.
        notes = [s for s in notes if s.sources]
        while len(notes) > 1 and sum(len(s.text) for s in notes) / CHARS_PER_TOKEN > budget:
            notes.pop()
    else:
        notes, _ = summarize_extractive(passages, embed, words=focus, topic=topic, text_of=text_of)
    messages = [
        {"role": "system", "content": render_prompt("summarize_system")},
        {"role": "user", "content": render_prompt("summarize_user", passages=notes_text(notes, passages),
                                                  subject=subject, length=length_phrase(words, sentences))},
    ]
    if len(groups) > 1:
        yield Progress("reduce", 0, 1)
    parts: list[str] = []
    for delta in llm.stream(messages, max_tokens=out_tokens, usage=usage):
        parts.append(delta)
        yield Delta(delta)
    if len(groups) > 1:
        yield Progress("reduce", 1, 1)
    yield "".join(parts).strip()


def _map(llm: LLM, passages: Sequence[Passage], group: list[int], embed: Embed,
         topic: str | None) -> list[CitedSentence]:
    """One window summarized on its own; sentences re-indexed to the full passage list."""
    local = [passages[j] for j in group]
    subject = f"what these passages say about: {topic}" if topic else "this part of the article"
    messages = [
        {"role": "system", "content": render_prompt("summarize_system")},
        {"role": "user", "content": render_prompt("summarize_user", passages=notes_text(
            [CitedSentence(strip_injections(p.chunk.text), (k,), 1.0) for k, p in enumerate(local)], local),
            subject=subject, length=length_phrase(None, MAP_SENTENCES))},
    ]
    try:
        text = llm.complete(messages, max_tokens=max_tokens(None, MAP_SENTENCES))
        found = [s for s in verify(text, local, embed).sentences if not addresses_model(s.text)]
    except LLMError:
        found = []
    found = distinct(faithful_or_cited(found)[0], Cosines(embed))
    if not found:  # the model failed on this window: its key sentences stand in
        found, _ = summarize_extractive(local, embed, sentences=MAP_SENTENCES, topic=topic)
    return [CitedSentence(s.text, tuple(group[k] for k in s.sources), s.support, s.spans) for s in found if s.sources]
