"""Errors, retries and the auto fallback, against a real HTTP server on loopback (tests/fake_openai.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.llm import LLM, Extractive, LLMError, Usage, open_llm
from bot.settings import load_settings
from tests.conftest import free_port
from tests.fake_openai import FakeServer, fake_openai


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with fake_openai(hang_s=3.0) as server:
        yield server


def remote(url: str, model: str, **kw: object):  # type: ignore[no-untyped-def]
    opts: dict[str, object] = {"llm": "openai", "openai_base_url": url, "openai_api_key": "sk-test",
                               "chat_model": model, "llm_retries": 0, "llm_timeout": 10.0, **kw}
    llm = open_llm(load_settings(**opts))
    assert isinstance(llm, LLM)
    return llm


def ask(llm) -> str:  # type: ignore[no-untyped-def]
    return "".join(llm.stream([{"role": "user", "content": "hi"}], max_tokens=8))


def test_stream_and_complete_through_openai_client(fake: FakeServer) -> None:
    llm = remote(fake.url, "ok")
    assert (llm.backend, llm.model, llm.endpoint) == ("openai", "ok", fake.url)
    usage = Usage()
    deltas = list(llm.stream([{"role": "user", "content": "hi"}], usage=usage))
    assert deltas == ["Hello", " there", ", friend", "."]
    assert usage.completion_tokens == 4 and 0 < usage.first_token_s <= usage.total_s  # type: ignore[operator]
    done = Usage()
    assert llm.complete([{"role": "user", "content": "hi"}], usage=done) == "Hello there."
    assert done.prompt_tokens == 5 and usage.prompt_tokens is None  # each request its own figures


def test_wrong_key(fake: FakeServer) -> None:
    with pytest.raises(LLMError, match=r"rejected the API key \(HTTP 401\): set OPENAI_API_KEY"):
        ask(remote(fake.url, "401"))


def test_unknown_model(fake: FakeServer) -> None:
    with pytest.raises(LLMError, match=r"model 'gpt-nope' was not found .*HTTP 404.*BOT_CHAT_MODEL"):
        ask(remote(fake.url, "gpt-nope"))


def test_server_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(LLMError, match=r"cannot reach the model server at .*OPENAI_BASE_URL"):
        ask(remote(url, "ok"))


def test_500_mid_stream(fake: FakeServer) -> None:
    llm = remote(fake.url, "500-midstream")
    got: list[str] = []
    with pytest.raises(LLMError, match="internal error while generating"):
        got.extend(llm.stream([{"role": "user", "content": "hi"}]))
    assert got == ["Hello"]  # what arrived before the failure was delivered, nothing was repeated
    assert fake.requests.count("500-midstream") == 1  # a started stream is never retried


def test_connection_dropped_mid_stream(fake: FakeServer) -> None:
    with pytest.raises(LLMError, match=r"broke off the answer mid-stream"):
        ask(remote(fake.url, "drop-midstream"))


@pytest.mark.parametrize("model", ["hang", "hang-midstream"])
def test_hang_times_out(fake: FakeServer, model: str) -> None:
    start = time.monotonic()
    with pytest.raises(LLMError, match=r"did not answer within 1 s.*BOT_LLM_TIMEOUT"):
        ask(remote(fake.url, model, llm_timeout=1.0))
    assert time.monotonic() - start < 2.9


def test_429_retries_are_bounded(fake: FakeServer) -> None:
    start = time.monotonic()
    with pytest.raises(LLMError, match=r"rate limiting requests \(HTTP 429\) after 2 retries"):
        ask(remote(fake.url, "429", llm_retries=2))
    assert fake.requests.count("429") == 3  # one try and two retries, no more
    assert time.monotonic() - start >= 0.5  # with backoff between them


def test_503_then_success_after_one_retry(fake: FakeServer) -> None:
    assert ask(remote(fake.url, "503-once", llm_retries=2)) == "Hello there, friend."
    assert fake.requests.count("503-once") == 2


def test_auto_falls_back_to_extractive_when_endpoint_is_closed() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm = open_llm(load_settings(llm="auto", openai_base_url=url, chat_model="ok"))
    assert (llm.backend, llm.model, llm.endpoint) == ("extractive", "", "")
    assert llm.notice.startswith("No model could be reached (cannot reach the model server at " + url)
    assert llm.notice.endswith("answering extractively without a model.")
    assert isinstance(llm, Extractive) and not hasattr(llm, "complete")  # no model to call by mistake


def test_auto_uses_a_reachable_endpoint(fake: FakeServer) -> None:
    llm = open_llm(load_settings(llm="auto", openai_base_url=fake.url, chat_model="ok"))
    assert (llm.backend, llm.notice) == ("openai", "")
    missing = open_llm(load_settings(llm="auto", openai_base_url=fake.url, chat_model="gpt-nope"))
    assert missing.backend == "extractive" and "'gpt-nope' is not served" in missing.notice


def test_extractive_backend() -> None:
    llm = open_llm(load_settings(llm="extractive"))
    assert (llm.backend, llm.model, llm.endpoint, llm.notice) == ("extractive", "", "", "")
    assert isinstance(llm, Extractive)


def test_empty_model_name(fake: FakeServer) -> None:
    with pytest.raises(LLMError, match="BOT_CHAT_MODEL is empty"):
        remote(fake.url, "")
