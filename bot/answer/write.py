"""Who writes the answer: the model (its draft verified in code) or, without one, the passages' own best
sentences. The service picks the strategy once (`writer_for`); nothing else asks which backend it has."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bot.answer.focus import focused
from bot.answer.gates import relevant, restates, strip_markers
from bot.citations import Embed, Verified, render, verify
from bot.extractive import answer_sentences
from bot.llm import LLM, Extractive, LLMError, Model, Usage
from bot.prompts import blank_instructions, passage_block
from bot.prompts import render as render_prompt
from bot.records import Passage
from bot.sentences import after_dateline

NOT_FOUND = re.compile(r"\bNOT[ _]FOUND\b|do(?:es)? not (?:contain|mention|say|provide)|no (?:information|passage)",
                       re.IGNORECASE)
NO_MODEL = "No language model was used: these are the passages' own sentences that best match the question."
MAX_TOKENS = 200


@dataclass(frozen=True)
class Delta:
    text: str


@dataclass
class Draft:
    """What a writer settled on: verified sentences (None: nothing to show), whether that is a refusal, a
    notice for the user, and the model sentences no passage supported."""

    verified: Verified | None
    refused: bool
    notice: str = ""
    dropped: list[str] = field(default_factory=list)
    # The model found no supported answer and these are the passages' best sentences standing in: an
    # answer only if they state what was asked (`bot.answer.checked` decides), else a near miss.
    stand_in: bool = False


def format_passages(passages: Sequence[Passage], question: str = "", budget: int = 0) -> str:
    """Numbered passages for the prompt, with ``budget`` > 0 cut to the sentences that speak to ``question``
    (`focused`). Articles are untrusted: text that could close the data block is removed, and sentences that
    address the model ("ignore previous instructions ...") are blanked."""
    # A dateline opening an article goes: small models answer "which show?" with "New York CNN".
    bodies = [blank_instructions(p.text[after_dateline(p.text):] if p.start == 0 else p.text) for p in passages]
    if budget > 0:
        bodies = focused(question, bodies, budget)
    pairs = zip(passages, bodies, strict=True)
    return "\n\n".join(passage_block(n, p.chunk.title, body) for n, (p, body) in enumerate(pairs, 1))


def extractive(question: str, passages: Sequence[Passage], embed: Embed) -> Verified:
    return render(answer_sentences(question, passages, embed), passages)


class ExtractiveWriter:
    """No model: the one or two passage sentences that best match the question."""

    def __init__(self, model: Extractive) -> None:
        self.backend, self.model, self.notice = model.backend, model.model, model.notice

    def condense(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        return f"{history[-1][0]} {question}"  # the previous question carries the missing referents

    def answer(self, question: str, passages: Sequence[Passage], embed: Embed, timings: dict[str, float],
               usage: Usage) -> Iterator[Delta | Draft]:
        draft = extractive(question, passages, embed)
        yield Delta(draft.text)
        yield Draft(draft, not draft.cited, " ".join(x for x in (self.notice, NO_MODEL) if x))


class ModelWriter:
    """The model answers from the numbered passages; its draft is verified sentence by sentence, and when it
    refuses although the passages match, writes nothing they support, or only restates the question, the
    passages' own best sentences stand in, with a notice."""

    def __init__(self, llm: LLM, prompt_chars: int = 0) -> None:
        self.llm = llm
        self.prompt_chars = prompt_chars
        self.backend, self.model, self.notice = llm.backend, llm.model, llm.notice

    def condense(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """A follow-up ("and what did he say about embassies?") made standalone, for retrieval."""
        recent = list(history)[-3:]
        lines = "\n".join(f"User: {q}\nBot: {strip_markers(a)[:300]}" for q, a in recent)
        prompt = render_prompt("condense", history=lines, question=question)
        try:
            text = self.llm.complete([{"role": "user", "content": prompt}], max_tokens=60)
        except LLMError:
            return f"{recent[-1][0]} {question}"
        text = text.strip().splitlines()[0].strip() if text.strip() else ""
        return text if 3 <= len(text) <= 300 else question

    def answer(self, question: str, passages: Sequence[Passage], embed: Embed, timings: dict[str, float],
               usage: Usage) -> Iterator[Delta | Draft]:
        messages = [
            {"role": "system", "content": render_prompt("answer_system")},
            {"role": "user", "content": render_prompt(
                "answer_user", passages=format_passages(passages, question, self.prompt_chars), question=question)},
        ]
        mark = time.perf_counter()
        parts: list[str] = []
        try:
            for delta in self.llm.stream(messages, max_tokens=MAX_TOKENS, usage=usage):
                if not parts:
                    timings["first_token_s"] = time.perf_counter() - mark
                parts.append(delta)
                yield Delta(delta)
        except LLMError as exc:
            fallback = extractive(question, passages, embed)
            yield Draft(fallback, not fallback.cited,
                        f"The model failed ({exc}); showing the best-matching sentences from the passages instead.")
            return
        timings["generate_s"] = time.perf_counter() - mark
        text = "".join(parts).strip()
        verified = verify(text, passages, embed, given=question) if not NOT_FOUND.search(text) else None
        echoed = bool(verified and verified.cited and restates(question, verified.text))
        dropped = verified.dropped if verified else []
        if verified and verified.cited and not echoed:
            yield Draft(verified, False, "", dropped)
            return
        # Rather than the model's memory: the passages' best sentences, when they speak to the question.
        fallback = extractive(question, passages, embed)
        if not relevant(question, fallback):
            yield Draft(None, True, "", dropped)
            return
        reason = ("found no answer" if verified is None else "only restated the question" if echoed else
                  "wrote an answer the passages do not support")
        yield Draft(fallback, False, f"The model {reason}; showing the passages' best-matching sentences instead.",
                    dropped, stand_in=True)


Writer = ExtractiveWriter | ModelWriter


def writer_for(model: Model, prompt_chars: int = 0) -> Writer:
    return ModelWriter(model, prompt_chars) if isinstance(model, LLM) else ExtractiveWriter(model)
