"""Summaries written by a real local model (SmolLM2-135M on llama.cpp): checked, length-fitted, staged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.llm import LLM
from bot.records import Passage, Summary
from bot.settings import Settings, load_settings
from bot.store import Store
from bot.summarize import Progress, summarize, summarize_stream
from bot.summarize.model import Delta, windows
from tests.conftest import SEED, add, ctx
from tests.test_summarize import FIRE, assert_cited, claims, put


def test_long_input_is_split_into_windows_that_fit(store: Store) -> None:
    add(store, [str(SEED)])
    passages = [Passage(c, 1.0) for c in store.all_chunks()]
    groups = windows(passages, budget_tokens=300)
    assert len(groups) > 1 and [j for g in groups for j in g] == list(range(len(passages)))
    for g in groups:
        assert len(g) == 1 or sum(len(passages[j].chunk.text) for j in g) / 3.5 + 10 * len(g) <= 300


@pytest.mark.slow
def test_model_summary_is_cited_checked_and_fitted(store: Store, tmp_path: Path, local_llm: LLM) -> None:
    sid = put(store, tmp_path / "fire.txt", FIRE)
    events = list(summarize_stream(ctx(store, local_llm), [sid], sentences=2))
    summary = events[-1]
    assert isinstance(summary, Summary) and summary.backend == "local"
    assert any(isinstance(e, Delta) for e in events)  # the draft streamed
    assert len(claims(summary)) == 2
    assert_cited(summary, store)
    assert "HACKED" not in summary.summary
    assert summarize(ctx(store, local_llm), [sid], sentences=2).cached


@pytest.mark.slow
def test_input_longer_than_the_context_is_summarized_in_stages(tmp_path: Path, local_llm: LLM,
                                                              settings: Settings) -> None:
    tight = load_settings(index_dir=settings.index_dir, llm_ctx=800)
    small = Store(tight)
    [result] = add(small, [str(SEED)])
    seen: list[Progress] = []
    summary = summarize(ctx(small, local_llm, tight), [result.source_id], words=50, progress=seen.append)
    maps = [p for p in seen if p.stage == "map"]
    assert len(maps) >= 2 and maps[-1].done == maps[-1].total
    assert any(p.stage == "reduce" for p in seen)
    count = sum(len(text.split()) for text, _ in claims(summary))
    assert 40 <= count <= 60, summary.summary
    assert_cited(summary, small)
