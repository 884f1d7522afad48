"""`bot doctor` and `bot model prepare` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.llm import LLM


def test_model_prepare_verifies_smollm() -> None:
    result = CliRunner().invoke(main, ["model", "prepare", "--model", "smollm135m"])
    assert result.exit_code == 0, result.output
    assert "smollm135m ready:" in result.output


def test_model_prepare_unknown_model() -> None:
    result = CliRunner().invoke(main, ["model", "prepare", "--model", "gpt5"])
    assert result.exit_code == 1 and "set BOT_LOCAL_MODEL to one of qwen1.5b, qwen0.5b, smollm135m" in result.output


def test_doctor_reports_what_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LLM", "extractive")
    result = CliRunner().invoke(main, ["doctor", "--json"])
    assert result.exit_code == 1  # the index is empty
    checks = {c["name"]: c for c in json.loads(result.output)["checks"]}
    assert not checks["index"]["ok"] and "bot ingest" in checks["index"]["fix"]
    assert checks["embedder"]["ok"] and checks["embedder"]["details"]["dimensions"] == 384
    assert checks["model"]["ok"] and checks["model"]["details"]["backend"] == "extractive"


@pytest.mark.slow
def test_doctor_runs_a_real_generation(monkeypatch: pytest.MonkeyPatch, local_llm: LLM) -> None:
    monkeypatch.setenv("BOT_LLM", "local")
    monkeypatch.setenv("BOT_LOCAL_MODEL", "smollm135m")
    result = CliRunner().invoke(main, ["doctor"])
    assert "ok  model     local smollm2-135m-instruct-q4_1 at http://127.0.0.1:" in result.output
    assert f"endpoint  {local_llm.endpoint}" in result.output  # the process's server, reused
    assert "first token" in result.output


def test_doctor_unreachable_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import free_port

    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "FAIL model     No model could be reached (cannot reach the model server" in result.output
    assert "fix:" in result.output
