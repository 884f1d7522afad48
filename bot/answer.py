"""Grounded answers: retrieve → (condense) → model or extractive → citations verified in code.

`ask_stream` yields events a UI can render as they come: the retrieved passages, text deltas from the
model, and finally the verified `Answer` (whose text replaces the streamed draft). `ask` returns the
`Answer` alone. Both faces (CLI, UI) call these; nothing here prints.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from anyascii import anyascii

from bot.citations import Verified, content_words, render, verify, word_match, words
from bot.extractive import answer_sentences
from bot.llm import LLM, LLMError
from bot.prompts import blank_instructions, defuse
from bot.prompts import render as render_prompt
from bot.records import Answer, Citation, Passage
from bot.retrieve import covers, search
from bot.store import Store

REFUSAL = "The articles do not say."
# A passage must contain this IDF-weighted share of the question's words to be answered from. Chosen after
# reading the first 50 RealTimeQA questions and 30 of them asked without their article: the passages behind
# right answers scored 0.37 and up, most answers to the article-less questions came from passages below 0.3.
COVERAGE = 0.3
NOT_FOUND = re.compile(r"\bNOT[ _]FOUND\b|do(?:es)? not (?:contain|mention|say|provide)|no (?:information|passage)",
                       re.IGNORECASE)
NO_MODEL = "No language model was used: these are the passages' own sentences that best match the question."
QUESTION_WORDS = frozenset(
    "what who whom whose which when where why how did does do is are was were can could will would "
    "should tell give list name".split()
)
POLARITY = frozenset("yes no not never".split())
# Capitalised but not what a question is about: "Biden on Wednesday announced ..." asks about Biden.
DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april june july august "
    "september october november december".split()
)
NOT_NAMES = QUESTION_WORDS | DATE_WORDS


@dataclass(frozen=True)
class Retrieved:
    passages: list[Passage]


@dataclass(frozen=True)
class Delta:
    text: str


AnswerEvent = Retrieved | Delta | Answer


def ask(question: str, store: Store, llm: LLM, history: Sequence[tuple[str, str]] = (),
        source_ids: Sequence[str] | None = None, k: int | None = None) -> Answer:
    answer = None
    for event in ask_stream(question, store, llm, history, source_ids, k):
        if isinstance(event, Answer):
            answer = event
    assert answer is not None
    return answer


def ask_stream(question: str, store: Store, llm: LLM, history: Sequence[tuple[str, str]] = (),
               source_ids: Sequence[str] | None = None, k: int | None = None) -> Iterator[AnswerEvent]:
    """``history`` holds earlier (question, answer) pairs of the conversation, oldest first."""
    question = question.strip()
    if not question:
        raise ValueError("the question is empty")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    standalone = condense(question, history, llm) if history else question
    timings["condense_s"] = time.perf_counter() - start
    mark = time.perf_counter()
    passages = search(store, standalone, k=k or store.settings.answer_k, source_ids=source_ids)
    timings["retrieve_s"] = time.perf_counter() - mark
    yield Retrieved(passages)
    retrieved = passages  # the side panel lists everything retrieved, even passages not answered from

    def finish(verified: Verified | None, refused: bool, notice: str = "", dropped: Sequence[str] = ()) -> Answer:
        timings["total_s"] = time.perf_counter() - start
        text = verified.text if verified and not refused else REFUSAL
        cited = verified.cited if verified and not refused else []
        return Answer(question, text, [Citation.from_passage(n, p) for n, p in enumerate(cited, 1)],
                      llm.backend, refused, timings, standalone, notice, list(dropped), retrieved)

    names = question_names(standalone)
    missing = missing_names(names, passages)
    # A question about someone the passages never mention cannot be answered from them; but only when at
    # least half its names are missing, so "NHL Stanley Cup Finals" survives an article without "NHL".
    if not passages or (missing and 2 * len(missing) >= len(names)):
        yield finish(None, True, missing_notice(store, missing, source_ids) if missing else
                     "No articles are indexed yet.")
        return
    # Only passages that speak to the question are answered from: a small model handed an unrelated
    # passage names whatever entity it holds ("Which NFL star retired?" over a WNBA story).
    scores = covers(store, standalone, passages)
    usable = [p for p, c in zip(passages, scores, strict=True) if c.score >= COVERAGE]
    if not usable:
        best = max(scores, key=lambda c: c.score)
        shown = [w for w in best.missing if len(w) > 3][:3] or best.missing[:3]  # "conditioning", not "off"
        yield finish(None, True, f"No passage found mentions {_quoted(shown)}; the articles do not seem to "
                     "answer this.")
        return
    passages = usable
    embed = store.embed
    if llm.backend == "extractive":
        draft = render(answer_sentences(standalone, passages, embed), passages)
        yield Delta(draft.text)
        yield finish(draft, not draft.cited, " ".join(x for x in (llm.notice, NO_MODEL) if x))
        return

    messages = [
        {"role": "system", "content": render_prompt("answer_system")},
        {"role": "user", "content": render_prompt("answer_user", passages=format_passages(passages),
                                                  question=standalone)},
    ]
    mark = time.perf_counter()
    parts: list[str] = []
    try:
        for delta in llm.stream(messages, max_tokens=200):
            if not parts:
                timings["first_token_s"] = time.perf_counter() - mark
            parts.append(delta)
            yield Delta(delta)
    except LLMError as exc:
        fallback = render(answer_sentences(standalone, passages, embed), passages)
        yield finish(fallback, not fallback.cited, f"The model failed ({exc}); showing the best-matching "
                     "sentences from the passages instead.")
        return
    timings["generate_s"] = time.perf_counter() - mark
    draft_text = "".join(parts).strip()
    verified = verify(draft_text, passages, embed, given=standalone) if not NOT_FOUND.search(draft_text) else None
    echoed = bool(verified and verified.cited and restates(standalone, verified.text))
    if verified and verified.cited and not echoed:
        yield finish(verified, False, "", verified.dropped)
        return
    # The model refused, wrote nothing the passages support, or only restated the question ("Which league?"
    # answered "NBA", a name the question holds), although the passages match the question: fall back to
    # their best sentences rather than to the model's memory, and say so.
    fallback = render(answer_sentences(standalone, passages, embed), passages)
    if not _relevant(standalone, fallback):
        yield finish(None, True, "", verified.dropped if verified else [])
        return
    reason = ("found no answer" if verified is None else "only restated the question" if echoed else
              "wrote an answer the passages do not support")
    yield finish(fallback, False, f"The model {reason}; showing the passages' best-matching sentences instead.",
                 verified.dropped if verified else [])


def condense(question: str, history: Sequence[tuple[str, str]], llm: LLM) -> str:
    """A follow-up ("and what did he say about embassies?") made standalone, for retrieval."""
    recent = list(history)[-3:]
    if llm.backend == "extractive":  # no model: the previous question carries the missing referents
        return f"{recent[-1][0]} {question}"
    lines = "\n".join(f"User: {q}\nBot: {_strip_markers(a)[:300]}" for q, a in recent)
    try:
        text = llm.complete([{"role": "user", "content": render_prompt("condense", history=lines, question=question)}],
                            max_tokens=60)
    except LLMError:
        return f"{recent[-1][0]} {question}"
    text = text.strip().splitlines()[0].strip() if text.strip() else ""
    return text if 3 <= len(text) <= 300 else question


# A news dateline opening an article ("New York (CNN Business) —", "WASHINGTON (AP) –"): small models
# answer "which show?" with "New York CNN" when a passage starts with one.
DATELINE = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,4}\s+)?"  # place
                      r"\(?[A-Z]{2,}(?:\s+[A-Z][a-z]+)?\)?\s*[—–]\s*")  # agency, dash


def format_passages(passages: Sequence[Passage]) -> str:
    """Numbered passages for the prompt. Articles are untrusted: text that could close the data block is
    removed, and sentences that address the model ("ignore previous instructions ...") are blanked."""
    blocks = []
    for n, p in enumerate(passages, 1):
        body = defuse(DATELINE.sub("", p.text) if p.chunk.start == 0 else p.text)
        body = blank_instructions(body)
        blocks.append(f"[{n}] {p.chunk.title}\n{body}")
    return "\n\n".join(blocks)


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(f"“{w}”" for w in words) or "what was asked"


def restates(question: str, answer: str) -> bool:
    """The answer adds no content word to the question's own: it tells the reader nothing new. A yes or a
    no is news ("Is a call planned?" "No, a call is not planned.")."""
    answer = _strip_markers(answer)
    if (POLARITY & set(words(answer))) - set(words(question)):
        return False
    asked = set(content_words(question))
    return not any(w not in asked and not any(word_match(w, a) for a in asked) for w in content_words(answer))


def missing_notice(store: Store, missing: Sequence[str], source_ids: Sequence[str] | None) -> str:
    """Why the question is refused. Only names no searched article holds are said to be in no article; a
    name that some article holds outside the best-matching passages is reported as such."""
    absent = [n for n in missing if not store.mentions(n, source_ids)]
    present = [n for n in missing if n not in absent]
    scope = "selected article" if source_ids else "article"
    parts = [f"No {scope} mentions {', '.join(absent)}." if absent else "",
             f"The passages that best match the question do not mention {', '.join(present)}." if present else ""]
    return " ".join(p for p in parts if p)


def question_names(question: str) -> list[str]:
    """Capitalised words after the first: the names a question is about. Acronyms are left out: articles
    often spell them out ("CDC", "the Centers for Disease Control")."""
    return [w for i, w in enumerate(re.findall(r"[^\W\d_]+", question))
            if i > 0 and w[0].isupper() and not w.isupper() and w.lower() not in NOT_NAMES and len(w) > 2]


def missing_names(names: Sequence[str], passages: Sequence[Passage]) -> list[str]:
    """The question's names (`question_names`) that no passage mentions, even spelt differently."""
    if not names:
        return []
    vocabulary = {w for p in passages for w in words(p.text) if len(w) > 2}
    return [name for name in names if not any(word_match(anyascii(name).lower(), w) for w in vocabulary)]


def _relevant(question: str, verified: Verified) -> bool:
    wanted = set(content_words(question)) - QUESTION_WORDS
    if not verified.cited or not wanted:
        return bool(verified.cited)
    got = set(content_words(" ".join(s.text for s in verified.sentences)))
    return len(wanted & got) / len(wanted) >= 0.3


def _strip_markers(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text)

