"""Grounded answers: retrieve → (condense) → gates → the writer (model or extractive) → citations verified.

`ask_stream` yields events a UI can render as they come: the retrieved passages (before the model's first
token), text deltas of the draft, and finally the verified `Answer` (whose text replaces the draft). `ask`
returns the `Answer` alone. Both faces (CLI, UI) call these; nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.answer.gates import COVERAGE, missing_names, missing_notice, question_names, quoted, restates
from bot.answer.said import asks_what_said, from_statements
from bot.answer.write import Delta, Draft, format_passages, writer_for
from bot.context import Context
from bot.errors import NotIndexedError, QuestionError
from bot.llm import Usage
from bot.records import Answer, CitedText, Passage
from bot.retrieve import covers, search

__all__ = ["REFUSAL", "Answer", "AnswerEvent", "Delta", "Retrieved", "ask", "ask_stream", "format_passages",
           "missing_notice", "question_names", "restates"]

REFUSAL = "The articles do not say."
MAX_QUESTION = 2000


@dataclass(frozen=True)
class Retrieved:
    passages: list[Passage]


AnswerEvent = Retrieved | Delta | Answer


def ask(ctx: Context, question: str, history: Sequence[tuple[str, str]] = (),
        source_ids: Sequence[str] | None = None, k: int | None = None) -> Answer:
    answer = None
    for event in ask_stream(ctx, question, history, source_ids, k):
        if isinstance(event, Answer):
            answer = event
    assert answer is not None
    return answer


def ask_stream(ctx: Context, question: str, history: Sequence[tuple[str, str]] = (),
               source_ids: Sequence[str] | None = None, k: int | None = None) -> Iterator[AnswerEvent]:
    """``history`` holds earlier (question, answer) pairs of the conversation, oldest first."""
    question = question.strip()
    if not question:
        raise QuestionError("the question is empty", 'ask something, e.g. "what did Ryabkov say?"')
    if len(question) > MAX_QUESTION:
        raise QuestionError(f"the question is {len(question)} characters long",
                            f"ask in under {MAX_QUESTION} characters; to add an article, ingest it")
    store = ctx.store
    if missing := store.missing(source_ids):
        raise NotIndexedError(missing)
    writer = writer_for(ctx.model)
    usage = Usage()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    standalone = writer.condense(question, history) if history else question
    timings["condense_s"] = time.perf_counter() - start
    if (asked := asks_what_said(standalone)) is not None:
        said = from_statements(ctx, asked, source_ids)
        if said is not None:  # what someone said: their statements, each cited; no model involved
            verified, notice = said
            yield Retrieved(verified.cited)
            timings["total_s"] = time.perf_counter() - start
            yield Answer(question, verified.text, verified.citations, "extractive", False, timings, standalone,
                         notice, [], verified.cited, verified.records, {}, "")
            return
    mark = time.perf_counter()
    passages = search(store, standalone, k or ctx.settings.answer_k, source_ids, ctx.search_params)
    timings["retrieve_s"] = time.perf_counter() - mark
    yield Retrieved(passages)
    retrieved = passages  # the side panel lists everything retrieved, even passages not answered from

    def finish(draft: Draft) -> Answer:
        timings["total_s"] = time.perf_counter() - start
        verified = draft.verified if draft.verified and not draft.refused else None
        text = verified.text if verified else REFUSAL
        return Answer(question, text, verified.citations if verified else [], writer.backend, draft.refused,
                      timings, standalone, draft.notice, list(draft.dropped), retrieved,
                      verified.records if verified else [CitedText(REFUSAL)],
                      usage.to_json() if usage.total_s is not None else {}, writer.model)

    names = question_names(standalone)
    missing_words = missing_names(names, passages)
    # A question about someone the passages never mention cannot be answered from them; but only when at
    # least half its names are missing, so "NHL Stanley Cup Finals" survives an article without "NHL".
    if not passages or (missing_words and 2 * len(missing_words) >= len(names)):
        notice = missing_notice(store, missing_words, source_ids) if missing_words else "No articles are indexed yet."
        yield finish(Draft(None, True, notice))
        return
    # Only passages that speak to the question are answered from: a small model handed an unrelated
    # passage names whatever entity it holds ("Which NFL star retired?" over a WNBA story).
    scores = covers(store, standalone, passages)
    usable = [p for p, c in zip(passages, scores, strict=True) if c.score >= COVERAGE]
    if not usable:
        best = max(scores, key=lambda c: c.score)
        shown = [w for w in best.missing if len(w) > 3][:3] or best.missing[:3]  # "conditioning", not "off"
        yield finish(Draft(None, True, f"No passage found mentions {quoted(shown)}; the articles do not seem "
                           "to answer this."))
        return
    for event in writer.answer(standalone, usable, store.embed, timings, usage):
        if isinstance(event, Delta):
            yield event
        else:
            yield finish(event)
