"""Cited summaries of one article, of several, or of what the collection says about a topic.

`summarize_stream` yields `Progress` (map-reduce stages), `Delta` (the model's draft as it is written)
and finally the verified `Summary`, whose text replaces the draft; `summarize` returns the `Summary`
alone. The CLI and the UI both call these. Every sentence, the model's or the extractive backend's,
carries markers that `bot.citations` checked against the passages; the length asked for is enforced in
code; results are cached on disk by (articles' content, settings, model, prompts).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from bot.citations import CitedSentence, Verified, render, render_lines, verify
from bot.llm import LLM, LLMError
from bot.prompts import addresses_model
from bot.records import Citation, Passage, Summary
from bot.store import Store
from bot.summarize import cache
from bot.summarize.extract import MIN_WORDS, summarize_extractive
from bot.summarize.length import fit_length
from bot.summarize.model import Delta, Progress, model_summary

__all__ = ["Delta", "Progress", "SummarizeError", "summarize", "summarize_stream"]

Style = Literal["brief", "bullets"]
DEFAULT_SENTENCES = 3
TOPIC_PASSAGES = 8
NO_MODEL = "No language model was used: these are the articles' own key sentences."
SummaryEvent = Progress | Delta | Summary


class SummarizeError(ValueError):
    """Something the user asked for cannot be summarized; the message says what to do."""


def summarize(store: Store, llm: LLM | None = None, source_ids: Sequence[str] | None = None, topic: str | None = None,
              words: int | None = None, sentences: int | None = None, style: Style = "brief",
              progress: Callable[[Progress], None] | None = None) -> Summary:
    """``llm`` None is the extractive backend, like an LLM whose backend is "extractive"."""
    summary = None
    for event in summarize_stream(store, llm, source_ids, topic, words, sentences, style, progress):
        if isinstance(event, Summary):
            summary = event
    assert summary is not None
    return summary


def summarize_stream(store: Store, llm: LLM | None = None, source_ids: Sequence[str] | None = None,
                     topic: str | None = None, words: int | None = None, sentences: int | None = None,
                     style: Style = "brief",
                     progress: Callable[[Progress], None] | None = None) -> Iterator[SummaryEvent]:
    start = time.perf_counter()
    words, sentences = _check(words, sentences, style)
    topic = (topic or "").strip() or None
    infos = _sources(store, source_ids)
    backend = llm.backend if llm is not None else "extractive"
    model = llm.model if llm is not None and backend != "extractive" else ""
    key = cache.cache_key(
        sources=sorted((s.source_id, s.content_hash) for s in infos), topic=topic, words=words,
        sentences=sentences, style=style, backend=backend, model=model, chunk_size=store.settings.chunk_size,
        ctx=store.settings.llm_ctx, collection=store.revision() if topic and not source_ids else "",
    )
    folder = cache_dir(store)
    if (hit := cache.load(folder, key)) is not None:
        hit.timings = {"total_s": time.perf_counter() - start}
        yield hit
        return
    ids = [s.source_id for s in infos]
    passages = _passages(store, ids, topic, explicit=bool(source_ids))
    if not passages:
        raise SummarizeError(f"No passage of the articles matches the topic {topic!r}." if topic
                             else "The articles have no text to summarize.")
    embed = store.embed
    timings: dict[str, float] = {"select_s": time.perf_counter() - start}
    notices = [llm.notice] if llm is not None else []
    unsupported: list[str] = []
    cited: list[CitedSentence] = []
    if backend == "extractive":
        cited, notice = summarize_extractive(passages, embed, words, sentences, topic)
        notices += [notice, NO_MODEL]
    else:
        assert llm is not None
        subject = f"what the passages say about: {topic}" if topic else "the article" if len(ids) == 1 \
            else "the articles"
        mark = time.perf_counter()
        try:
            draft = ""
            for event in model_summary(llm, passages, embed, subject, words, sentences, topic,
                                       store.settings.llm_ctx):
                if isinstance(event, Progress):
                    if progress:
                        progress(event)
                    yield event
                elif isinstance(event, Delta):
                    yield event
                else:
                    draft = event
            checked = verify(draft, passages, embed)
            # Echoed titles and fragments go; a sentence without an end mark would run into the next one.
            checked.sentences = [_ended(s) for s in checked.sentences
                                 if not addresses_model(s.text) and len(s.text.split()) >= MIN_WORDS]
            unsupported = checked.dropped
            timings["generate_s"] = time.perf_counter() - mark
            spare, _ = summarize_extractive(passages, embed, words, (sentences or 0) * 2 or None, topic)
            cited, notice = fit_length(checked.sentences, spare, passages, words, sentences)
            notices.append(notice)
        except LLMError as exc:
            cited, notice = summarize_extractive(passages, embed, words, sentences, topic)
            notices += [notice, f"The model failed ({exc}); showing the articles' key sentences instead."]
            backend = "extractive"  # not cached: the model may work next time
    verified: Verified = render_lines(cited, passages) if style == "bullets" else render(cited, passages)
    timings["total_s"] = time.perf_counter() - start
    summary = Summary(
        summary=verified.text,
        citations=[Citation.from_passage(n, p) for n, p in enumerate(verified.cited, 1)],
        backend=backend, timings=timings, notice=" ".join(n for n in notices if n), sources=ids,
        unsupported=unsupported,
    )
    if summary.citations and backend == (llm.backend if llm is not None else "extractive"):
        cache.save(folder, key, summary)
    yield summary


def cache_dir(store: Store) -> Path:
    return store.settings.summary_cache_dir or store.settings.index_dir / "summaries"


def _check(words: int | None, sentences: int | None, style: str) -> tuple[int | None, int | None]:
    if words is not None and sentences is not None:
        raise SummarizeError("Ask for a length in words or in sentences, not both.")
    if words is not None and not 10 <= words <= 1000:
        raise SummarizeError(f"A summary can have 10 to 1000 words; {words} were asked for.")
    if sentences is not None and not 1 <= sentences <= 30:
        raise SummarizeError(f"A summary can have 1 to 30 sentences; {sentences} were asked for.")
    if style not in ("brief", "bullets"):
        raise SummarizeError(f"Unknown style {style!r}: use brief or bullets.")
    return words, (sentences if sentences or words else DEFAULT_SENTENCES)


def _sources(store: Store, source_ids: Sequence[str] | None) -> list[Any]:
    if not source_ids:
        infos = store.list_sources()
        if not infos:
            raise SummarizeError("No articles are indexed yet: add some with `bot ingest PATH`.")
        return sorted(infos, key=lambda s: s.source_id)
    found = {sid: store.get_source(sid) for sid in dict.fromkeys(source_ids)}
    if missing := [sid for sid, info in found.items() if info is None]:
        raise SummarizeError(f"Not indexed: {', '.join(missing)} (see `bot sources`; an article that changed "
                             "was re-ingested under a new id).")
    return [found[sid] for sid in dict.fromkeys(source_ids)]


def _passages(store: Store, ids: list[str], topic: str | None, explicit: bool) -> list[Passage]:
    if topic:
        from bot.retrieve import search

        k = max(store.settings.top_k, TOPIC_PASSAGES)
        return search(store, topic, k=k, source_ids=ids if explicit else None)
    return [Passage(c, 1.0) for sid in ids for c in store.all_chunks(sid)]


def _ended(s: CitedSentence) -> CitedSentence:
    text = s.text.rstrip(" ,;:-")
    return s if re.search(r"[.!?…][\"'”’)]*$", text) else CitedSentence(text + ".", s.sources, s.support)


