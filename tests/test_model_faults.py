"""Model faults at the answer level, from a real HTTP server on loopback: down at start, dying mid-stream,
hanging, 429, empty, garbage and malformed output. Each gives a clear notice and the extractive answer
within the timeout; when the endpoint comes back, the next question uses it again."""

from __future__ import annotations

import time

import pytest

from bot.answer import ask
from bot.llm import open_llm
from bot.settings import load_settings
from bot.store import Store
from tests.conftest import SEED, add, ctx, free_port
from tests.fake_openai import fake_openai
from tests.test_answer import RJABKOW, assert_grounded

QUESTION = "Why is no telephone conversation between the two presidents planned?"
TIMEOUT = 1.0


@pytest.fixture
def seeded(store: Store) -> Store:
    add(store, [str(SEED)])
    return store


def remote(url: str, model: str) -> object:
    return open_llm(load_settings(llm="openai", openai_base_url=url, openai_api_key="k", chat_model=model,
                                  llm_retries=1, llm_timeout=TIMEOUT))


@pytest.mark.parametrize(("model", "says"), [
    ("500-midstream", "The model failed"),
    ("drop-midstream", "The model failed"),
    ("hang", "The model failed"),
    ("hang-midstream", "The model failed"),
    ("429", "The model failed"),
    ("bad-json", "The model failed"),
    ("empty", ""),
    ("garbage", ""),
])
def test_a_faulty_model_gives_the_extractive_answer_with_a_notice(seeded: Store, model: str, says: str) -> None:
    with fake_openai(hang_s=10.0) as server:
        start = time.monotonic()
        answer = ask(ctx(seeded, remote(server.url, model)), QUESTION)  # type: ignore[arg-type]
        took = time.monotonic() - start
    assert took < 3 * TIMEOUT + 3.0  # a try, one retry, and the extractive answer: never the 10 s hang
    assert answer.notice and says in answer.notice
    assert "Zorblax" not in answer.answer and "[7]" not in answer.answer and "42" not in answer.answer
    if not answer.refused:
        assert RJABKOW in answer.citations[0].text
        assert_grounded(answer)


def test_a_model_endpoint_down_at_start_and_back_later(seeded: Store) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    context = ctx(seeded, remote(url, "quote"))  # type: ignore[arg-type]
    start = time.monotonic()
    down = ask(context, QUESTION)
    assert time.monotonic() - start < 3 * TIMEOUT + 3.0
    assert "cannot reach the model server" in down.notice and not down.refused
    assert RJABKOW in down.citations[0].text
    with fake_openai(port=port):  # the endpoint returns: the same bot uses it, no restart
        back = ask(context, QUESTION)
    assert back.backend == "openai" and "The model failed" not in back.notice
    assert back.citations and not back.refused
    gone = ask(context, QUESTION)  # and it goes away again mid-life
    assert "cannot reach the model server" in gone.notice and gone.citations


def test_auto_mode_takes_up_an_endpoint_that_comes_back(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.context
    from bot.context import Context

    monkeypatch.setattr(bot.context, "REPROBE_S", 0.0)
    port = free_port()
    context = Context(load_settings(llm="auto", openai_base_url=f"http://127.0.0.1:{port}/v1", chat_model="quote",
                                    llm_retries=0, llm_timeout=TIMEOUT), store=seeded)
    first = ask(context, QUESTION)
    assert first.backend == "extractive" and "No model could be reached" in first.notice
    with fake_openai(port=port):
        later = ask(context, QUESTION)
    assert later.backend == "openai" and later.citations


@pytest.mark.slow
def test_a_killed_local_model_server_is_started_again_for_the_next_question(seeded: Store) -> None:
    """The embedded llama.cpp server dies (the OOM killer, a crash): the next question starts it again."""
    import os
    import signal

    from bot.llm import LLM

    llm = open_llm(load_settings(llm="local", local_model="smollm135m", llm_threads=1, llm_retries=0))
    assert isinstance(llm, LLM) and llm._server is not None
    first = llm._server.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while llm._server.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    answer = ask(ctx(seeded, llm), QUESTION)
    assert answer.backend == "local" and "The model failed" not in answer.notice
    assert llm._server is not None and llm._server.pid != first and llm._server.alive()
