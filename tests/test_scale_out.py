"""Scale out on real engines: two `bot serve` processes share one `chroma run` server and one standalone
model server (`bot model serve`); an article ingested or removed by a third process is seen by both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BUDGET, SEED, free_port

BOT = str(Path(sys.executable).parent / "bot")
pytestmark = pytest.mark.slow


def wait_for(proc: subprocess.Popen[bytes], log: Path, ready: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        if ready in log.read_text():
            return
        time.sleep(0.3)
    raise RuntimeError(f"not ready after {timeout} s: {log.read_text()[-3000:]}")


@pytest.fixture
def shared(chroma_server: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """One model server and the environment every bot process of the deployment gets."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    env.update(BOT_INDEX_DIR=str(tmp_path / "unused-index"), BOT_LLM_THREADS="1", GRADIO_ANALYTICS_ENABLED="False")
    log = tmp_path / "model.log"
    with open(log, "wb") as out:
        model = subprocess.Popen([BOT, "model", "serve", "--model", "smollm135m", "--port", str(port)], env=env,
                                 stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if model.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()[-3000:])
            time.sleep(0.5)
        assert f"OPENAI_BASE_URL=http://127.0.0.1:{port}/v1" in log.read_text()
        env.update(BOT_CHROMA_URL=chroma_server, BOT_COLLECTION=f"scale{uuid.uuid4().hex[:8]}", BOT_LLM="openai",
                   OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1", BOT_CHAT_MODEL="smollm2-135m-instruct-q4_1",
                   BOT_LLM_RETRIES="0", BOT_INDEX_RECHECK_S="0.5")
        yield env
    finally:
        model.terminate()
        model.wait(timeout=30)


def serve(env: dict[str, str], tmp: Path, name: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = tmp / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([BOT, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_for(proc, log, "answering at")
    return proc, f"http://127.0.0.1:{port}"


def test_two_bot_serve_processes_share_one_chroma_server_and_one_model_server(shared: dict[str, str],
                                                                               tmp_path: Path) -> None:
    from gradio_client import Client

    subprocess.run([BOT, "ingest", str(SEED)], env=shared, check=True, capture_output=True)
    procs = [serve(shared, tmp_path, f"serve{n}") for n in (1, 2)]
    try:
        clients = [Client(url, verbose=False) for _, url in procs]
        for client in clients:
            data: dict[str, Any] = client.predict("Why is no telephone conversation planned?", api_name="/ask")
            assert data["backend"] == "openai" and data["model"] == "smollm2-135m-instruct-q4_1"
            assert data["citations"] or data["refused"]
        budget = tmp_path / "budget.txt"
        budget.write_text(BUDGET, encoding="utf-8")
        subprocess.run([BOT, "ingest", str(budget)], env=shared, check=True, capture_output=True)
        time.sleep(1.0)  # past BOT_INDEX_RECHECK_S
        for client in clients:  # both see the article a third process ingested
            titles = {s["title"]: s["source_id"] for s in client.predict(api_name="/sources")["sources"]}
            assert "Council approves budget" in titles
        victim = titles["Council approves budget"]
        question = "What did Mayor Ellen Varga say about road repairs?"
        before = clients[1].predict(question, api_name="/ask")
        assert not before["citations"] or {c["source_id"] for c in before["citations"]} == {victim}
        subprocess.run([BOT, "sources", "remove", victim], env=shared, check=True, capture_output=True)
        time.sleep(1.0)
        for client in clients:  # and neither cites it once it is removed
            assert victim not in {s["source_id"] for s in client.predict(api_name="/sources")["sources"]}
            after = client.predict(question, api_name="/ask")
            assert victim not in {c["source_id"] for c in after["citations"]}
    finally:
        for proc, _ in procs:
            proc.terminate()
            proc.wait(timeout=30)
