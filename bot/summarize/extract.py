"""Extractive summaries: the input's own sentences, chosen by position and centrality, at a set length.

Measured (first 120 articles, ROUGE-1/2/L F1, by lead weight, 3 sentences CNN/DM, 1 XSum):
CNN/DM Lead-3 40.1/17.4/25.4; weight 1.0 40.3/17.5/25.5; 0.8 40.2/17.5/25.5; 0.3 37.3; 0.0 (pure MiniLM
centrality) 32.4. XSum Lead-1 16.4/1.8/12.0; 0.8 17.5/1.9/12.9; 0.0 19.8/3.1/14.0. News leads with its key
facts, so position dominates on CNN/DM; XSum's articles had their lead sentence removed to become the
reference, which is why centrality wins there. Real articles keep their lead, so the default is 0.8: as
good as the lead on CNN/DM, with centrality enough to skip captions and boilerplate openers (+1.1 on XSum).

Position alone makes a compressed lead: the seed's first sentences are all the US side, and Russia's reply and
its conditions (half the article) never make it. So each pick comes from the thread (`bot.summarize.threads`:
who acts, who answers) used least so far: the best sentence of every thread before a second one of any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.citations import CitedSentence, Embed
from bot.prompts import addresses_model
from bot.records import Passage, Span
from bot.sentences import split_sentences, unclosed_quote
from bot.summarize.redundancy import differ, repeats
from bot.summarize.threads import thread_labels

LEAD_WEIGHT = 0.8      # share of the score from the sentence's position in its article
MIN_WORDS = 5          # shorter "sentences" are headings, bylines, captions
SLACK = 0.2            # a word budget is met within +-20%
ENDED = re.compile(r"[.!?…][\"'”’)]*$")  # a sentence's end mark, with any closing quote
TOPIC_FLOOR = 0.5      # with a topic, sentences less similar to it than this share of the best are off-topic


@dataclass(frozen=True)
class Candidate:
    passage: int   # index into the passages list (what a citation points at)
    article: int   # order of its article in the input
    position: int  # sentence number within its article
    text: str
    span: Span  # where it is in its article
    opens: bool = False  # first sentence of a paragraph

    @property
    def words(self) -> int:
        return len(self.text.split())


TextOf = Callable[[str], str]  # a source id's whole cleaned text


def worth_summarizing(text: str) -> bool:
    """Not a heading or byline (too short), not text addressed to a model, not a piece of a longer quotation
    (it opens a quote it does not close: read alone it is cut off). For key sentences and the model's alike."""
    return len(text.split()) >= MIN_WORDS and not addresses_model(text) and not unclosed_quote(text)


def candidates(passages: Sequence[Passage], text_of: TextOf | None = None) -> list[Candidate]:
    """Sentences of each passage's own chunk (not its widened context, which would repeat neighbours) that are
    `worth_summarizing` and whole (not cut at the chunk's end).
    ``text_of`` tells where paragraphs open at a chunk's start (without it, only inside a chunk)."""
    out: list[Candidate] = []
    articles: dict[str, int] = {}
    position: dict[str, int] = {}
    for j, p in enumerate(passages):
        sid = p.chunk.source_id
        articles.setdefault(sid, len(articles))
        for s in split_sentences(p.chunk.text):
            n = position.get(sid, 0)
            position[sid] = n + 1
            # a chunk may end mid-sentence ("... a spokesman for the Armed"): its whole self is in the next chunk
            cut = s.end == len(p.chunk.text.rstrip()) and not ENDED.search(s.text)
            if worth_summarizing(s.text) and not cut:
                span = Span(p.chunk.start + s.start, p.chunk.start + s.end, s.text)
                before = p.chunk.text[: s.start].rstrip(" \t")
                if not before and text_of is not None:  # a chunk's first sentence: look in the article
                    before = text_of(sid)[: p.chunk.start].rstrip(" \t")
                opens = (not before and p.chunk.start == 0) or before.endswith("\n")
                out.append(Candidate(j, articles[sid], n, s.text, span, opens))
    return out


def scores(cands: Sequence[Candidate], vectors: np.ndarray, topic: np.ndarray | None = None,
           lead_weight: float = LEAD_WEIGHT) -> np.ndarray:
    """Position prior (1 for an article's first sentence, decaying) blended with centrality in it.

    With a topic the position prior is replaced by similarity to the topic: retrieved passages come from
    anywhere in an article, so their place says little.
    """
    arts = np.array([c.article for c in cands])
    centrality = np.zeros(len(cands), dtype=np.float32)
    for a in np.unique(arts):
        idx = np.flatnonzero(arts == a)
        centroid = vectors[idx].mean(axis=0)
        centrality[idx] = vectors[idx] @ centroid / (np.linalg.norm(centroid) or 1.0)
    if topic is not None:
        return 0.7 * (vectors @ topic) + 0.3 * centrality
    lead = np.array([1.0 / (1.0 + 0.5 * c.position) for c in cands], dtype=np.float32)
    return lead_weight * lead + (1 - lead_weight) * centrality


def select(cands: Sequence[Candidate], score: np.ndarray, vectors: np.ndarray, words: int | None = None,
           sentences: int | None = None, turns: bool = True, by_thread: bool = True) -> tuple[list[int], str]:
    """Indexes of the chosen candidates in reading order, and a notice when the length could not be met.

    Articles take turns (the best sentence of each before the second of any; not for a topic, where they
    compete on relevance), so a summary of several articles cites them all; near-duplicates are skipped;
    a word budget is filled greedily, skipping sentences that would overshoot it by more than SLACK.
    """
    if not cands:
        return [], ""
    order = sorted(range(len(cands)), key=lambda i: -float(score[i]))
    thread = threads(cands) if turns and by_thread else [0] * len(cands)
    chosen: list[int] = []
    taken: dict[int, int] = {}
    used: dict[int, int] = {}
    disputes: set[int] = set()
    total = 0
    high = int(words * (1 + SLACK)) if words else 0
    remaining = list(order)
    while remaining:
        if sentences is not None and len(chosen) >= sentences:
            break
        if words and total >= words:
            break
        # The best remaining sentence of the article, then the thread, with the fewest chosen so far; a
        # sentence that gives a chosen one's fact another figure in another article goes before its thread.
        pick = min(remaining, key=lambda i: (taken.get(cands[i].article, 0) if turns else 0, i not in disputes,
                                             used.get(thread[i], 0), -float(score[i])))
        remaining.remove(pick)
        if chosen and pick not in disputes and any(
                repeats(_cited(cands[pick]), _cited(cands[c]), float(vectors[c] @ vectors[pick])) for c in chosen):
            continue
        if words and total + cands[pick].words > high and (chosen or _fits_any(cands, remaining, high)):
            continue
        chosen.append(pick)
        taken[cands[pick].article] = taken.get(cands[pick].article, 0) + 1
        used[thread[pick]] = used.get(thread[pick], 0) + 1
        total += cands[pick].words
        disputes |= {i for i in remaining if cands[i].article != cands[pick].article
                     and differ(cands[i].text, cands[pick].text)}
    notice = ""
    if words and total < words * (1 - SLACK):
        notice = f"The input has only about {total} words worth summarizing; asked for {words}."
    elif words and total > high:
        notice = f"No sentence is short enough for {words} words; the shortest good one has {total}."
    elif sentences and len(chosen) < sentences:
        notice = f"The input has only {len(chosen)} distinct sentences; asked for {sentences}."
    chosen.sort(key=lambda i: (cands[i].article, cands[i].position))
    return chosen, notice


def threads(cands: Sequence[Candidate]) -> list[int]:
    """A thread label per candidate, unique across articles (`bot.summarize.threads`)."""
    labels = [0] * len(cands)
    by_article: dict[int, list[int]] = {}
    for i in sorted(range(len(cands)), key=lambda i: (cands[i].article, cands[i].position)):
        by_article.setdefault(cands[i].article, []).append(i)
    base = 0
    for idx in by_article.values():
        local = thread_labels(tuple(cands[i].text for i in idx), tuple(cands[i].opens for i in idx))
        for i, label in zip(idx, local, strict=True):
            labels[i] = base + label
        base += max(local, default=0) + 1
    return labels


def thread_of(passages: Sequence[Passage], text_of: TextOf | None = None) -> Callable[[CitedSentence], int]:
    """The thread of the article sentence a (model's) sentence rests on; -1 for none found."""
    cands = candidates(passages, text_of)
    labels = threads(cands)

    def find(s: CitedSentence) -> int:
        for span in s.spans[:1]:
            for c, label in zip(cands, labels, strict=True):
                if c.span.start < span.end and span.start < c.span.end:
                    return label
        return -1

    return find


def _cited(c: Candidate) -> CitedSentence:
    return CitedSentence(c.text, (c.passage,), 1.0, (c.span,))


def _fits_any(cands: Sequence[Candidate], remaining: Sequence[int], high: int) -> bool:
    return any(cands[i].words <= high for i in remaining)


def summarize_extractive(passages: Sequence[Passage], embed: Embed, words: int | None = None,
                         sentences: int | None = None, topic: str | None = None,
                         lead_weight: float = LEAD_WEIGHT, by_thread: bool = True,
                         text_of: TextOf | None = None) -> tuple[list[CitedSentence], str]:
    """Cited sentences (each citing the passage it was taken from) and a notice about the length; ``by_thread``
    False is the choice by position and centrality alone (what the benchmark compares with)."""
    cands = candidates(passages, text_of)
    if not cands:
        return [], "The articles have no complete sentences to summarize."
    texts = [c.text for c in cands]
    vecs = np.asarray(embed([*texts, topic] if topic else texts), dtype=np.float32)
    topic_vec = vecs[-1] if topic else None
    vectors = vecs[: len(cands)]
    score = scores(cands, vectors, topic_vec, lead_weight)
    if topic_vec is not None:  # retrieval pads k with weak passages: keep sentences near the best match
        relevance = vectors @ topic_vec
        keep = [i for i in range(len(cands)) if relevance[i] >= TOPIC_FLOOR * float(relevance.max())]
        cands, vectors, score = [cands[i] for i in keep], vectors[keep], score[keep]
    chosen, notice = select(cands, score, vectors, words, sentences, turns=topic_vec is None, by_thread=by_thread)
    return [CitedSentence(cands[i].text, (cands[i].passage,), float(score[i]), (cands[i].span,))
            for i in chosen], notice
