"""Grounded answers: retrieve → (condense) → gates → the writer (model or extractive) → citations verified.

`ask_stream` yields events a UI can render as they come: the retrieved passages (before the model's first
token), text deltas of the draft, and finally the verified `Answer` (whose text replaces the draft). `ask`
returns the `Answer` alone. Both faces (CLI, UI) call these; nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.answer.checks import (
    about_question,
    disagreements,
    gives,
    near_miss,
    stated,
    whole_sentences,
    with_disagreements,
)
from bot.answer.gates import COVERAGE, missing_names, missing_notice, question_names, quoted, restates
from bot.answer.kinds import Kind, asked_kind, states, tells
from bot.answer.said import asks_what_said, from_statements
from bot.answer.write import Delta, Draft, extractive, format_passages, writer_for
from bot.citations import CitedSentence, Embed, render
from bot.context import Context
from bot.errors import NotIndexedError, QuestionError
from bot.llm import Usage
from bot.records import Answer, CitedText, Passage
from bot.retrieve import covers, search

__all__ = ["REFUSAL", "Answer", "AnswerEvent", "Delta", "Retrieved", "ask", "ask_stream", "format_passages",
           "missing_notice", "question_names", "restates"]

REFUSAL = "The articles do not say."
# A stand-in sentence answers only if it holds this share of what the question says happened. Chosen on
# RealTimeQA questions 1-50 (answerable, gold article left out, answer sentences removed); 51-194 unread.
TELLS = 0.6
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
    writer = writer_for(ctx.model, ctx.settings.answer_prompt_chars)
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
        # A refusal may carry cited sentences: what the articles do say about a near miss.
        verified = draft.verified if draft.verified and draft.verified.cited else None
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
    kind = asked_kind(standalone)
    if kind is not None:
        # A near miss: the passages are about the subject but none states a value of the asked kind (the
        # amount, the date, ...). Refused before the model is asked, with the closest sentences shown.
        typed = [p for p in usable if states(kind, p.text, standalone)]
        if not typed:
            closest = extractive(standalone, usable, store.embed)
            yield finish(Draft(near_miss(kind, closest.sentences, usable), True, NEAR_MISS))
            return
        usable = typed  # the model reads only passages that could answer: a shorter prompt, a sooner token
    for event in writer.answer(standalone, usable, store.embed, timings, usage):
        if isinstance(event, Delta):
            yield event
        else:
            yield finish(checked(event, kind, standalone, usable, store.embed))


DISAGREE = "The articles disagree on this:"
STATED = "The model's answer did not state what was asked; shown instead is the cited sentence that does."
UNSTATED = "no passage states what the question asks for; shown instead is what the articles do say."
NEAR_MISS = UNSTATED[0].upper() + UNSTATED[1:]
ELSEWHERE = ("The value in the model's answer is stated only where the articles speak of something else; shown "
             "instead is what they do say about what was asked.")


def checked(draft: Draft, kind: Kind | None, question: str, passages: list[Passage], embed: Embed) -> Draft:
    """The writer's verified answer made whole sentences, then checked for the asked kind of value and for
    a value stated where its passage speaks of what was asked (either absent: a near-miss refusal that shows
    what was said), and for passages that give a different value."""
    if draft.refused or draft.verified is None or not draft.verified.cited:
        return draft
    if draft.stand_in:
        # The model found nothing the passages support. Its stand-in sentences are an answer only when one
        # states most of what the question says happened (and a value of the asked kind, if typed);
        # otherwise the articles do not say it, and they are shown as the closest they come: a refusal.
        shown = draft.verified.sentences
        if not any(tells(question, s.text) >= TELLS and (kind is None or states(kind, s.text, question))
                   for s in shown):
            return Draft(near_miss(kind, shown, passages), True, f"{draft.notice.split(';')[0]}, and {UNSTATED}",
                         draft.dropped)
    sentences = whole_sentences(draft.verified.sentences, question, passages)
    notice = draft.notice
    if kind is not None and not gives(kind, sentences, question):
        if not (found := stated(kind, sentences, question)):
            return Draft(near_miss(kind, sentences, passages), True, NEAR_MISS, draft.dropped)
        sentences = found
        notice = " ".join(x for x in (notice, STATED) if x)
    if not about_question(kind, question, sentences, passages, embed):
        closest = extractive(question, passages, embed)
        # listed with the unsupported sentences, so a reader (and `--json`) sees what was held back
        withheld = [*draft.dropped, *(x.text for x in sentences)]
        return Draft(near_miss(kind, closest.sentences, passages), True, ELSEWHERE, withheld)
    verified = render(sentences, passages, draft.verified.dropped)
    # An untyped question ("Super Bowl 2021 location") is checked for differing names, then figures, dates.
    others: list[CitedSentence] = []
    for k in [kind] if kind is not None else [Kind.NAME, Kind.NUMBER, Kind.DATE]:
        if others := disagreements(k, question, sentences, passages):
            break
    if not others:
        return Draft(verified, False, notice, draft.dropped)
    both = with_disagreements(verified, others, passages)
    dates = "; ".join(f"[{c.n}] {c.published[:10]}" for c in both.citations if c.published)
    disagree = f"{DISAGREE} each value is shown with its citation" + (f" ({dates})." if dates else ".")
    return Draft(both, False, " ".join(x for x in (notice, disagree) if x), draft.dropped)
