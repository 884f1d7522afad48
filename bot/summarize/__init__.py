"""Cited summaries of one article, of several, or of what the collection says about a topic.

`summarize_stream` yields `Progress` (map-reduce stages), `Delta` (the model's draft as it is written)
and finally the verified `Summary`, whose text replaces the draft; `summarize` returns the `Summary`
alone. The CLI and the UI both call these. Every sentence, the model's or the extractive writer's,
carries markers that `bot.citations` checked against the passages, and the article span it rests on; the
length asked for is enforced in code; results are cached on disk by (articles' content, settings, model,
prompts).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.citations import CitedSentence, Embed, Verified, render, render_lines, verify
from bot.context import Context
from bot.errors import NotIndexedError, UserError
from bot.llm import LLM, Extractive, LLMError, Model, Usage
from bot.records import Passage, SourceInfo, Span, Summary
from bot.retrieve import search
from bot.sentences import after_dateline
from bot.store import Store
from bot.summarize import cache
from bot.summarize.extract import ENDED, TextOf, summarize_extractive, thread_of, worth_summarizing
from bot.summarize.faithful import faithful_or_cited
from bot.summarize.length import fit_length
from bot.summarize.model import Delta, Progress, model_summary
from bot.summarize.redundancy import differ

__all__ = ["Delta", "Progress", "SummarizeError", "summarize", "summarize_stream"]

Style = Literal["brief", "bullets"]
DEFAULT_SENTENCES = 3
ABOUT_CHARS = 160  # an article's line, when it has no whole sentence: its opening words
TOPIC_PASSAGES = 8
NO_MODEL = "No language model was used: these are the articles' own key sentences."
SummaryEvent = Progress | Delta | Summary


class SummarizeError(UserError):
    """Something the user asked for cannot be summarized."""


@dataclass(frozen=True)
class Request:
    words: int | None
    sentences: int | None
    topic: str | None
    subject: str  # what the model is told it summarizes
    ctx_tokens: int
    text_of: TextOf | None = None  # the articles' whole texts (where their paragraphs open)


@dataclass
class Written:
    """A writer's result: the cited sentences to render, notices, the model sentences no passage supported,
    and the backend that actually wrote it (a model that failed leaves it to the extractive writer)."""

    cited: list[CitedSentence]
    notices: list[str]
    backend: str
    unsupported: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


class ExtractiveSummaries:
    """No model: the articles' own key sentences, by position and centrality, at the length asked."""

    def __init__(self, model: Extractive) -> None:
        self.backend, self.model, self.notice = model.backend, model.model, model.notice

    def write(self, passages: Sequence[Passage], embed: Embed, req: Request,
              usage: Usage) -> Iterator[Progress | Delta | Written]:
        cited, notice = summarize_extractive(passages, embed, req.words, req.sentences, req.topic,
                                             text_of=req.text_of)
        yield Written(cited, [self.notice, notice, NO_MODEL], self.backend)


class ModelSummaries:
    """The model compresses the key sentences (in map-reduce stages when they exceed its context); each
    sentence it writes is verified, the length is then fitted from the key sentences."""

    def __init__(self, llm: LLM) -> None:
        self.llm = llm
        self.backend, self.model, self.notice = llm.backend, llm.model, llm.notice

    def write(self, passages: Sequence[Passage], embed: Embed, req: Request,
              usage: Usage) -> Iterator[Progress | Delta | Written]:
        try:
            draft = ""
            for event in model_summary(self.llm, passages, embed, req.subject, req.words, req.sentences, req.topic,
                                       req.ctx_tokens, usage, req.text_of):
                if isinstance(event, str):
                    draft = event
                else:
                    yield event
        except LLMError as exc:
            cited, notice = summarize_extractive(passages, embed, req.words, req.sentences, req.topic,
                                             text_of=req.text_of)
            yield Written(cited, [notice, f"The model failed ({exc}); showing the articles' key sentences instead."],
                          "extractive")
            return
        checked = verify(draft, passages, embed)
        # Echoed titles and fragments go; a sentence without an end mark would run into the next one.
        kept = [_ended(s) for s in checked.sentences if worth_summarizing(s.text)]
        kept, replaced = faithful_or_cited(kept)
        spare, _ = summarize_extractive(passages, embed, req.words, (req.sentences or 0) * 2 or None, req.topic,
                                        text_of=req.text_of)
        cited, notice = fit_length(kept, spare, passages, req.words, req.sentences, thread_of(passages, req.text_of),
                                   embed)
        yield Written(cited, [notice], self.backend, checked.dropped, replaced)


Writer = ExtractiveSummaries | ModelSummaries


def writer_for(model: Model) -> Writer:
    return ModelSummaries(model) if isinstance(model, LLM) else ExtractiveSummaries(model)


def summarize(ctx: Context, source_ids: Sequence[str] | None = None, topic: str | None = None,
              words: int | None = None, sentences: int | None = None, style: Style = "brief",
              progress: Callable[[Progress], None] | None = None) -> Summary:
    summary = None
    for event in summarize_stream(ctx, source_ids, topic, words, sentences, style):
        if isinstance(event, Progress) and progress:
            progress(event)
        if isinstance(event, Summary):
            summary = event
    assert summary is not None
    return summary


def summarize_stream(ctx: Context, source_ids: Sequence[str] | None = None, topic: str | None = None,
                     words: int | None = None, sentences: int | None = None,
                     style: Style = "brief") -> Iterator[SummaryEvent]:
    start = time.perf_counter()
    words, sentences = _check(words, sentences, style)
    topic = (topic or "").strip() or None
    store = ctx.store
    infos = _sources(store, source_ids)
    writer = writer_for(ctx.model)
    key = cache.cache_key(
        sources=sorted((s.source_id, s.content_hash) for s in infos), topic=topic, words=words,
        sentences=sentences, style=style, backend=writer.backend, model=writer.model,
        chunk_size=ctx.settings.chunk_size, ctx=ctx.settings.llm_ctx,
        collection=store.revision() if topic and not source_ids else "",
    )
    if (hit := cache.load(ctx.summary_cache, key)) is not None:
        hit.timings = {"total_s": time.perf_counter() - start}
        yield hit
        return
    ids = [s.source_id for s in infos]
    passages = _passages(ctx, ids, topic, explicit=bool(source_ids))
    if not passages:
        raise SummarizeError(f"no passage of the articles matches the topic {topic!r}" if topic
                             else "the articles have no text to summarize",
                             "try another topic, or leave it out" if topic else "ingest articles with text")
    timings: dict[str, float] = {"select_s": time.perf_counter() - start}
    subject = f"what the passages say about: {topic}" if topic else "the article" if len(ids) == 1 else "the articles"
    request = Request(words, sentences, topic, subject, ctx.settings.llm_ctx, store.article_text)
    usage = Usage()
    mark = time.perf_counter()
    written: Written | None = None
    for event in writer.write(passages, store.embed, request, usage):
        if isinstance(event, Written):
            written = event
        else:
            yield event
    assert written is not None
    written.cited = [_undated(s) for s in written.cited]
    timings["generate_s"] = time.perf_counter() - mark
    verified: Verified = (render_lines if style == "bullets" else render)(written.cited, passages)
    if len(ids) > 1:
        written.notices.append(_disagreements(verified, infos))
    timings["total_s"] = time.perf_counter() - start
    summary = Summary(
        summary=verified.text, citations=verified.citations, backend=written.backend, timings=timings,
        notice=" ".join(n for n in written.notices if n), sources=ids, unsupported=written.unsupported,
        sentences=verified.records, usage=usage.to_json() if usage.total_s is not None else {},
        model=writer.model if written.backend == writer.backend else "", replaced=written.replaced,
    )
    if summary.citations and written.backend == writer.backend:  # a fallback is not cached: the model may return
        cache.save(ctx.summary_cache, key, summary)
    yield summary


def _check(words: int | None, sentences: int | None, style: str) -> tuple[int | None, int | None]:
    if words is not None and sentences is not None:
        raise SummarizeError("both a length in words and in sentences were asked for", "ask for one of them")
    if words is not None and not 10 <= words <= 1000:
        raise SummarizeError(f"{words} words were asked for", "a summary can have 10 to 1000 words")
    if sentences is not None and not 1 <= sentences <= 30:
        raise SummarizeError(f"{sentences} sentences were asked for", "a summary can have 1 to 30 sentences")
    if style not in ("brief", "bullets"):
        raise SummarizeError(f"unknown style {style!r}", "use brief or bullets")
    return words, (sentences if sentences or words else DEFAULT_SENTENCES)


def _sources(store: Store, source_ids: Sequence[str] | None) -> list[SourceInfo]:
    """The articles in order of publication (undated ones last, by when they were added): a summary of
    several tells their developments in the order they were reported."""
    if not source_ids:
        infos = store.list_sources()
        if not infos:
            raise SummarizeError("no articles are indexed yet", "add some with `bot ingest PATH`")
    else:
        found = {sid: store.get_source(sid) for sid in dict.fromkeys(source_ids)}
        if missing := [sid for sid, info in found.items() if info is None]:
            raise NotIndexedError(missing)
        infos = [info for info in found.values() if info is not None]
    return sorted(infos, key=lambda s: s.chronology)


def _disagreements(verified: Verified, infos: Sequence[SourceInfo]) -> str:
    """A notice naming each pair of cited sentences from different articles that give one fact different
    figures, with each article's date."""
    info = {s.source_id: s for s in infos}
    found = []
    records = [(s, r) for s, r in zip(verified.sentences, verified.records, strict=True) if r.citations]
    for i, (a, ra) in enumerate(records):
        for b, rb in records[i + 1:]:
            pa, pb = verified.cited[ra.citations[0] - 1], verified.cited[rb.citations[0] - 1]
            if pa.chunk.source_id != pb.chunk.source_id and differ(a.text, b.text):
                found.append(f"[{ra.citations[0]}] {_dated(info.get(pa.chunk.source_id))} and "
                             f"[{rb.citations[0]}] {_dated(info.get(pb.chunk.source_id))} give different figures")
    return ("The reports disagree: " + "; ".join(found) + ".") if found else ""


def _dated(info: SourceInfo | None) -> str:
    if info is None:
        return "an article"
    return f"“{info.title}”" + (f" ({info.published})" if info.published else "")


def _passages(ctx: Context, ids: list[str], topic: str | None, explicit: bool) -> list[Passage]:
    if topic:
        k = max(ctx.settings.top_k, TOPIC_PASSAGES)
        return search(ctx.store, topic, k, ids if explicit else None, ctx.search_params)
    return [Passage(c, 1.0) for sid in ids for c in ctx.store.all_chunks(sid)]


def _ended(s: CitedSentence) -> CitedSentence:
    text = s.text.rstrip(" ,;:-")
    if ENDED.search(text):
        return s
    return CitedSentence(text + ".", s.sources, s.support, s.spans)


def _undated(s: CitedSentence) -> CitedSentence:
    """Without a dateline opening it ("(CNN)They…", "MOSCOW (Reuters) - …"), in its text and its spans: a
    summary sentence reads as a sentence."""
    cut = after_dateline(s.text)
    if not cut:
        return s
    spans = tuple(Span(sp.start + n, sp.end, sp.quote[n:]) if (n := after_dateline(sp.quote)) else sp
                  for sp in s.spans)
    return CitedSentence(s.text[cut:], s.sources, s.support, spans)


def key_sentence(store: Store, source_id: str, title: str = "") -> Span | None:
    """The article's one key sentence (thread and position, no model: cheap enough for every ingest), not
    the one its title already shows; an article without a whole sentence gets its opening words."""
    passages = [Passage(c, 1.0) for c in store.all_chunks(source_id)]
    cited, _ = summarize_extractive(passages, store.embed, sentences=2, text_of=store.article_text)
    shown = title.removesuffix("…").strip()
    spans = [s.spans[0] for s in cited if s.spans]
    fresh = [sp for sp in spans if not (shown and " ".join(sp.quote.split()).startswith(shown))]
    if fresh or spans:
        return (fresh or spans)[0]
    text = store.article_text(source_id)
    end = len(text[:ABOUT_CHARS].rsplit(" ", 1)[0]) if len(text) > ABOUT_CHARS else len(text)
    return Span(0, end, text[:end]) if end else None
