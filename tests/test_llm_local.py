"""The embedded llama.cpp server, for real (SmolLM2-135M): streaming, reuse, lifecycle, bad weights."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bot.llm import LLM, LLMError, Usage, open_llm
from bot.local_model import MODELS, ModelFileError, check_file, model_path
from bot.settings import load_settings
from tests.conftest import REPO

pytestmark = pytest.mark.slow
SMOL = MODELS["smollm135m"]
QUESTION = [
    {"role": "system", "content": "You are a helpful assistant. Answer briefly."},
    {"role": "user", "content": "Which city is the capital of France? Answer in one short sentence."},
]


def test_streams_several_deltas(local_llm: LLM) -> None:
    assert (local_llm.backend, local_llm.model) == ("local", "smollm2-135m-instruct-q4_1")
    assert local_llm.endpoint.startswith("http://127.0.0.1:") and local_llm.endpoint.endswith("/v1")
    usage = Usage()
    deltas = list(local_llm.stream(QUESTION, max_tokens=24, usage=usage))
    assert len(deltas) > 3
    assert "paris" in "".join(deltas).lower()
    assert 0 < usage.first_token_s <= usage.total_s and usage.completion_tokens == len(deltas)  # type: ignore[operator]


def test_complete_reports_token_counts(local_llm: LLM) -> None:
    usage = Usage()
    text = local_llm.complete(QUESTION, max_tokens=16, stop=["\n"], usage=usage)
    assert text and "\n" not in text.strip()
    assert usage.prompt_tokens is not None and usage.prompt_tokens > 20


def test_server_is_reused_within_the_process(local_llm: LLM) -> None:
    pid, endpoint = local_llm._server.pid, local_llm.endpoint
    local_llm.complete(QUESTION, max_tokens=4)
    again = open_llm(load_settings(llm="local", local_model="smollm135m", llm_timeout=60.0, llm_retries=0))
    assert (again._server.pid, again.endpoint) == (pid, endpoint)
    again.complete(QUESTION, max_tokens=4)
    assert local_llm._server.pid == pid


CHILD = """
import faulthandler, signal, sys, time
faulthandler.register(signal.SIGUSR1, all_threads=True)  # the test asks for the stacks of a slow exit
# A shell starts background jobs with SIGINT ignored, and a child inherits that: the bot under test takes
# Ctrl-C as it would from a terminal
signal.signal(signal.SIGINT, signal.default_int_handler)
from bot.llm import open_llm
from bot.settings import load_settings
llm = open_llm(load_settings(llm="local", local_model="smollm135m"))
print(llm._server.pid, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie awaiting its (dead) parent's reaper is gone for our purposes
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_no_orphan_server_after_the_bot_dies(sig: signal.Signals) -> None:
    proc = subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        server_pid = int(proc.stdout.readline())
        assert _alive(server_pid)
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGUSR1)  # where it hangs, in the captured stderr
            time.sleep(2)
            pytest.fail(f"the bot did not exit within 20 s of {sig.name}")
        deadline = time.monotonic() + 10
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(server_pid), f"llama server {server_pid} outlived its parent ({sig.name})"
    finally:
        proc.kill()


def test_health_check_is_a_real_prompt(local_llm: LLM) -> None:
    # what the health check sends must work on this build (the AMX crash hit the first multi-token prompt)
    r = httpx.post(f"{local_llm.endpoint}/chat/completions", timeout=60,
                   json={"model": local_llm.model, "max_tokens": 2, "messages": QUESTION})
    assert r.status_code == 200 and r.json()["usage"]["prompt_tokens"] > 10


def test_corrupted_weights_give_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / SMOL.filename
    shutil.copyfile(model_path(SMOL, tmp_path), bad)
    with open(bad, "r+b") as f:  # flip bytes in the middle: same size, wrong content
        f.seek(SMOL.size // 2)
        f.write(b"\x00" * 64)
    with pytest.raises(ModelFileError, match=r"corrupted \(sha256 .*\): run `bot model prepare --model smollm135m`"):
        check_file(replace(SMOL, parts=()), bad)


def test_missing_or_truncated_weights_through_open_llm(tmp_path: Path) -> None:
    settings = load_settings(llm="local", local_model="qwen0.5b", model_dir=tmp_path)
    with pytest.raises(LLMError, match=r"weights are missing .*bot model prepare --model qwen0.5b"):
        open_llm(settings)
    (tmp_path / MODELS["qwen0.5b"].filename).write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(LLMError, match=r"are 104 bytes, expected 491400064 .*bot model prepare"):
        open_llm(settings)
    auto = open_llm(load_settings(llm="auto", local_model="qwen0.5b", model_dir=tmp_path))
    assert auto.backend == "extractive" and "bot model prepare" in auto.notice
