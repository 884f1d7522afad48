"""Shared fixtures: every test gets its own on-disk index; real servers are started on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.context import Context
from bot.ingest import IngestResult, Limits, ingest, path_items
from bot.llm import LLM, Extractive, Model, open_llm
from bot.settings import Settings, load_settings
from bot.store import Store

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "trump-putin-talks-rjabkow.txt"
# A short article written for the tests: two paragraphs, a title line, a named speaker.
BUDGET = (
    "Council approves budget\n\n"
    "The city council approved a 40 million dollar budget on Tuesday after a long debate about schools. "
    "Mayor Ellen Varga said the budget doubles spending on road repairs in the northern districts.\n\n"
    "Opposition members voted against the plan, arguing that property taxes will rise next year. "
    "The finance committee will publish a detailed breakdown of the spending in March."
)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's index/ or a configured remote model."""
    for name in list(os.environ):
        if name.startswith("BOT_") or name in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(index_dir=tmp_path / "index")


@pytest.fixture
def store(settings: Settings) -> Store:
    return Store(settings)


def add(store: Store, targets: list[str], settings: Settings | None = None) -> list[IngestResult]:
    """Ingest paths or URLs into ``store`` the way `bot ingest` does."""
    return ingest(store, path_items(targets), Limits.from_settings(settings or load_settings()))


def ctx(store: Store, model: Model | None = None, settings: Settings | None = None) -> Context:
    """A context over ``store`` answering with ``model`` (default: no model, the extractive writer)."""
    return Context(settings or load_settings(), store=store, model=model or Extractive())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def local_llm() -> Iterator[LLM]:
    """A real llama.cpp server with SmolLM2-135M, opened the way users get it (BOT_LLM=local)."""
    llm = open_llm(load_settings(llm="local", local_model="smollm135m", llm_timeout=60.0, llm_retries=0))
    assert isinstance(llm, LLM), llm.notice
    yield llm
    llm.close()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on loopback, stopped after the session."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma server did not start: {(path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
