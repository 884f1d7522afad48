"""The chat-model boundary: every generation goes through the official `openai` client.

`open_llm` picks from `Settings.llm`: an `LLM` for `openai` (any OpenAI-compatible endpoint) or `local`
(the embedded llama.cpp server that `bot.llama_server` starts and keeps), or `Extractive` (no model: the
services write from the retrieved sentences themselves, a strategy each service chooses once by type).
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import openai

from bot.errors import UserError
from bot.settings import Settings


class LLMError(UserError):
    """A model failure a user can fix: what happened, and what to do."""


@dataclass
class Usage:
    """What one request cost, filled in by `LLM.stream` / `LLM.complete` for the caller that passed it (never
    kept on the shared `LLM`, so concurrent requests each get their own)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    first_token_s: float | None = None
    total_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Extractive:
    """No model: the services write answers and summaries from the passages' own sentences. ``notice`` says
    why, when the bot fell back to it."""

    notice: str = ""
    backend: str = "extractive"
    model: str = ""
    endpoint: str = ""

    def close(self) -> None:
        return None


class LLM:
    """A chat model behind an OpenAI-compatible endpoint: an external server (``openai``) or the embedded
    llama.cpp server (``local``). Safe to share between threads: it holds no per-request state."""

    def __init__(self, backend: str, model: str = "", endpoint: str = "", *, client: openai.OpenAI | None = None,
                 notice: str = "", settings: Settings | None = None, retries: int = 0, timeout: float = 0.0) -> None:
        self.backend, self.model, self.endpoint, self.notice = backend, model, endpoint, notice
        self._client, self._settings, self._retries, self._timeout = client, settings, retries, timeout
        self._server: Any = None  # the LocalServer behind a local backend
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LLM(backend={self.backend!r}, model={self.model!r}, endpoint={self.endpoint!r})"

    # -- requests -----------------------------------------------------------------------------------------

    def _request(self, messages: list[dict[str, str]], max_tokens: int, temperature: float | None,
                 stop: list[str] | None, stream: bool) -> Any:
        client = self._ensure_local() if self.backend == "local" else self._client
        assert client is not None
        if temperature is None:
            temperature = self._settings.temperature if self._settings else 0.0
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                                  "temperature": temperature, "stream": stream}
        if stop:
            kwargs["stop"] = stop
        try:
            return client.chat.completions.create(**kwargs)
        except Exception as exc:
            raise self._explain(exc) from exc

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int = 512, temperature: float | None = None,
               stop: list[str] | None = None, usage: Usage | None = None) -> Iterator[str]:
        """Yield text deltas as the model writes them; raises LLMError (also mid-stream). ``usage``, when
        given, is filled in when the stream ends."""
        start = time.monotonic()
        first: float | None = None
        pieces, reported = 0, None
        response = self._request(messages, max_tokens, temperature, stop, stream=True)
        try:
            for chunk in response:
                reported = getattr(chunk, "usage", None) or reported
                if not chunk.choices:
                    continue
                text = chunk.choices[0].delta.content
                if text:
                    if first is None:
                        first = time.monotonic() - start
                    pieces += 1
                    yield text
        except Exception as exc:
            raise self._explain(exc, mid_stream=True) from exc
        finally:
            response.close()
        _fill(usage, start, first, reported, pieces)

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 512, temperature: float | None = None,
                 stop: list[str] | None = None, usage: Usage | None = None) -> str:
        """The whole answer at once (non-streaming, so the server reports exact token counts)."""
        start = time.monotonic()
        response = self._request(messages, max_tokens, temperature, stop, stream=False)
        if not getattr(response, "choices", None):
            raise LLMError(f"the model server at {self.endpoint} sent a reply with no answer in it",
                           "check that OPENAI_BASE_URL points at an OpenAI-compatible /v1 endpoint")
        _fill(usage, start, None, response.usage, 0)
        return response.choices[0].message.content or ""

    def close(self) -> None:
        """Release the HTTP client; the local server lives on for the process (stopped at exit)."""
        if self._client is not None:
            self._client.close()

    # -- local server ---------------------------------------------------------------------------------------

    def _ensure_local(self) -> openai.OpenAI:
        """The client of a live embedded server: restarted if it died (e.g. killed by the OOM killer), once
        even when several requests find it dead together, and followed to its new port."""
        with self._lock:
            if self._server is None or not self._server.alive():
                assert self._settings is not None
                self._server = _start_local(self._settings)
                self.endpoint = self._server.base_url
                self._client = _client(self.endpoint, "local", self._settings)
            assert self._client is not None
            return self._client

    # -- errors ---------------------------------------------------------------------------------------------

    def _explain(self, exc: Exception, mid_stream: bool = False) -> LLMError:
        where = f"the model server at {self.endpoint}"
        fix_down = ("restart the bot (the local server is started again)" if self.backend == "local"
                    else "start the server or fix OPENAI_BASE_URL, or set BOT_LLM=extractive to answer without a model")
        retried = f" after {self._retries} retries" if self._retries else ""
        if isinstance(exc, openai.AuthenticationError):
            return LLMError(f"{where} rejected the API key (HTTP 401)", "set OPENAI_API_KEY to a valid key")
        if isinstance(exc, openai.PermissionDeniedError):
            return LLMError(f"{where} refused access to {self.model!r} (HTTP 403)", "check the key's permissions")
        if isinstance(exc, openai.NotFoundError):
            return LLMError(f"model {self.model!r} was not found at {self.endpoint} (HTTP 404)",
                            "set BOT_CHAT_MODEL to a model that server serves (see its /v1/models)")
        if isinstance(exc, openai.RateLimitError):
            return LLMError(f"{where} is rate limiting requests (HTTP 429){retried}",
                            "wait a minute and retry, or raise BOT_LLM_RETRIES")
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"{where} did not answer within {self._timeout:g} s{retried}",
                            "check that it is not overloaded, or raise BOT_LLM_TIMEOUT")
        if mid_stream and isinstance(exc, openai.APIConnectionError):
            return LLMError(f"{where} broke off the answer mid-stream ({exc.__class__.__name__}: {str(exc)[:200]})",
                            "retry; if it repeats, check the server's logs")
        if isinstance(exc, openai.APIConnectionError):
            return LLMError(f"cannot reach {where}{retried}", fix_down)
        if isinstance(exc, openai.APIStatusError):
            detail = _detail(exc)
            if exc.status_code >= 500:
                return LLMError(f"{where} failed with HTTP {exc.status_code}{retried} ({detail})",
                                "check its logs; retry later")
            return LLMError(f"{where} refused the request with HTTP {exc.status_code} ({detail})",
                            "check BOT_CHAT_MODEL and the server's limits")
        if mid_stream and isinstance(exc, openai.APIError):  # an error event inside the stream
            return LLMError(f"{where} failed mid-stream ({str(exc)[:200]})", "retry; if it repeats, check its logs")
        if isinstance(exc, ValueError):  # a reply that is not the API's JSON (json.JSONDecodeError is one)
            return LLMError(f"{where} sent a reply that is not OpenAI-compatible JSON ({str(exc)[:120]})",
                            "check that OPENAI_BASE_URL points at an OpenAI-compatible /v1 endpoint")
        raise exc  # a programming error, not something the user can fix


def _fill(usage: Usage | None, start: float, first: float | None, reported: Any, pieces: int) -> None:
    if usage is None:
        return
    total = time.monotonic() - start
    usage.prompt_tokens = getattr(reported, "prompt_tokens", None)
    # llama.cpp streams one token per delta; other servers may group them, so this is approximate
    usage.completion_tokens = getattr(reported, "completion_tokens", None) or pieces or None
    usage.first_token_s = first if first is not None else total
    usage.total_s = total


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        msg = err.get("message") if isinstance(err, dict) else err
        if msg:
            return str(msg)[:200]
    return exc.message[:200]


# ---------------------------------------------------------------------------------------- opening


def _client(base_url: str, api_key: str, settings: Settings, *, retries: int | None = None,
            timeout: float | None = None) -> openai.OpenAI:
    # The client's own retry loop (exponential backoff from 0.5 s, honours Retry-After) covers 408/409/429/5xx
    # and connection errors; it never retries a stream that already started.
    return openai.OpenAI(
        base_url=base_url, api_key=api_key,
        max_retries=settings.llm_retries if retries is None else retries,
        timeout=timeout or settings.llm_timeout,  # connect, and each read: a stream that stalls times out too
    )


def _start_local(settings: Settings) -> Any:
    from bot.llama_server import ServerStartError, get_server
    from bot.local_model import ModelFileError, check_file, model_path, spec_for

    if importlib.util.find_spec("llama_cpp") is None:
        raise LLMError("llama-cpp-python is not installed, so the local model cannot run",
                       "run `bash scripts/install.sh` (or `pip install -e '.[local]'`), or set BOT_LLM=openai / "
                       "extractive")
    try:
        spec = spec_for(settings.local_model)
        path = model_path(spec, settings.model_dir)
        check_file(spec, path)
        threads = settings.llm_threads or os.cpu_count() or 2
        return get_server(path, spec.name, n_ctx=settings.llm_ctx, threads=threads)
    except ModelFileError as exc:
        raise LLMError(exc.what, exc.fix) from exc
    except ServerStartError as exc:
        raise LLMError(str(exc), "check the log above; `bot doctor` checks the weights and the server") from exc


def open_local(settings: Settings) -> LLM:
    from bot.local_model import spec_for

    server = _start_local(settings)
    llm = LLM("local", spec_for(settings.local_model).name, server.base_url, settings=settings,
              client=_client(server.base_url, "local", settings), retries=settings.llm_retries,
              timeout=settings.llm_timeout)
    llm._server = server
    return llm


def open_remote(settings: Settings) -> LLM:
    if not settings.chat_model.strip():
        raise LLMError("BOT_CHAT_MODEL is empty", "set it to the name of a model the endpoint serves "
                       "(e.g. gpt-4o-mini, or `ollama list` for Ollama)")
    base = (settings.openai_base_url or "https://api.openai.com/v1").rstrip("/")
    key = settings.openai_api_key or "not-needed"  # local servers (Ollama, vLLM) accept any key
    return LLM("openai", settings.chat_model, base, settings=settings, client=_client(base, key, settings),
               retries=settings.llm_retries, timeout=settings.llm_timeout)


def probe_remote(llm: LLM, timeout: float = 5.0) -> None:
    """Raise LLMError unless the endpoint answers and (when it lists models) serves the configured one."""
    assert llm._settings is not None
    probe = LLM(llm.backend, llm.model, llm.endpoint, settings=llm._settings, timeout=timeout,
                client=_client(llm.endpoint, llm._settings.openai_api_key or "not-needed", llm._settings,
                               retries=0, timeout=timeout))
    try:
        names = [m.id for m in probe._client.models.list()]  # type: ignore[union-attr]
    except Exception as exc:
        raise probe._explain(exc) from exc
    finally:
        probe.close()
    if names and llm.model not in names:
        shown = ", ".join(names[:8])
        raise LLMError(f"model {llm.model!r} is not served at {llm.endpoint} (it serves {shown})", "set BOT_CHAT_MODEL")


Model = LLM | Extractive


def open_model(settings: Settings) -> Model:
    """The configured backend, or an `LLMError` saying why it cannot be used (`auto` included)."""
    if settings.llm == "extractive":
        return Extractive()
    if settings.llm == "openai":
        return open_remote(settings)
    if settings.llm == "local" or not (settings.openai_base_url or settings.openai_api_key):
        return open_local(settings)
    llm = open_remote(settings)  # auto with an endpoint configured: only if it answers
    try:
        probe_remote(llm)
    except LLMError:
        llm.close()
        raise
    return llm


def open_llm(settings: Settings) -> Model:
    """The configured model; `auto` falls back to `Extractive` with a notice when none can be reached."""
    try:
        return open_model(settings)
    except LLMError as exc:
        if settings.llm != "auto":
            raise
        reason = str(exc).split("\n", 1)[0]
        return Extractive(f"No model could be reached ({reason}); answering extractively without a model.")
