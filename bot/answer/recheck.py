"""The model asked a second time, with the passages in reverse order. A small model that does not find
the asked value tends to fill the slot with whichever name or figure it read first; a value the passages
state comes back whatever the order. On RealTimeQA questions 1-50 (see docs/BENCHMARKS.md, "Two ways to
tell a near miss from an answer"), the value came back in both orders for 25 of 25 right answers and for
15 of 19 near-miss answers: this catches few made-up values, but it has cost no right one there."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.answer.checks import _same
from bot.answer.gates import strip_markers
from bot.answer.kinds import Kind, values
from bot.answer.write import Draft, ModelWriter
from bot.citations import Embed, Verified
from bot.llm import Usage
from bot.records import Passage


def asked_again(writer: ModelWriter, question: str, passages: Sequence[Passage], embed: Embed,
                timings: dict[str, float], usage: Usage) -> Draft | None:
    """The writer's draft for the same question over the same passages, last first (nothing streams)."""
    mark = time.perf_counter()
    second = None
    for event in writer.answer(question, list(reversed(passages)), embed, {}, usage):
        if isinstance(event, Draft):
            second = event
    timings["recheck_s"] = time.perf_counter() - mark
    return second


def same_value(kind: Kind, question: str, first: Verified, second: Draft | None) -> bool:
    """The second draft gives a value of ``kind`` that the first answer also gives. A model that failed
    the second time says nothing about the first answer; a first answer with no value has nothing to
    compare."""
    mine = values(kind, strip_markers(first.text), question)
    if not mine or second is None or second.failed:
        return True
    if second.refused or second.verified is None or not second.verified.cited:
        return False
    theirs = values(kind, strip_markers(second.verified.text), question)
    return any(_same(a, b) for a in mine for b in theirs)
