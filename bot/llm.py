"""The chat-model boundary: every generation goes through the official `openai` client.

Three backends behind one `LLM` object: `openai` (any OpenAI-compatible endpoint), `local` (the embedded
llama.cpp server that `bot.llama_server` starts and keeps) and `extractive` (no model: services build
answers from retrieved sentences themselves). `open_llm` picks one from `Settings.llm`.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from typing import Any

import openai

from bot.settings import Settings


class LLMError(RuntimeError):
    """A model failure a user can fix; str() says what happened and what to do."""


class LLM:
    def __init__(self, backend: str, model: str = "", endpoint: str = "", *, client: openai.OpenAI | None = None,
                 notice: str = "", settings: Settings | None = None, retries: int = 0, timeout: float = 0.0) -> None:
        self.backend, self.model, self.endpoint, self.notice = backend, model, endpoint, notice
        self._client, self._settings, self._retries, self._timeout = client, settings, retries, timeout
        self.last_usage: dict[str, Any] = {}
        self._server: Any = None  # the LocalServer behind a local backend

    def __repr__(self) -> str:
        return f"LLM(backend={self.backend!r}, model={self.model!r}, endpoint={self.endpoint!r})"

    # -- requests -----------------------------------------------------------------------------------------

    def _request(self, messages: list[dict[str, str]], max_tokens: int, temperature: float | None,
                 stop: list[str] | None, stream: bool) -> Any:
        if self.backend == "extractive" or self._client is None:
            raise LLMError("no model is configured (BOT_LLM=extractive): answers are built from the passages; "
                           "set BOT_LLM=local or point OPENAI_BASE_URL at a server to use a model")
        if self.backend == "local":
            self._ensure_local()
        if temperature is None:
            temperature = self._settings.temperature if self._settings else 0.0
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                                  "temperature": temperature, "stream": stream}
        if stop:
            kwargs["stop"] = stop
        try:
            return self._client.chat.completions.create(**kwargs)
        except Exception as exc:
            raise self._explain(exc) from exc

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int = 512, temperature: float | None = None,
               stop: list[str] | None = None) -> Iterator[str]:
        """Yield text deltas as the model writes them; raises LLMError (also mid-stream)."""
        start = time.monotonic()
        self.last_usage = {}
        first: float | None = None
        pieces, usage = 0, None
        response = self._request(messages, max_tokens, temperature, stop, stream=True)
        try:
            for chunk in response:
                usage = getattr(chunk, "usage", None) or usage
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
        self._record(start, first, usage, pieces)

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 512, temperature: float | None = None,
                 stop: list[str] | None = None) -> str:
        """The whole answer at once (non-streaming, so the server reports exact token counts)."""
        start = time.monotonic()
        response = self._request(messages, max_tokens, temperature, stop, stream=False)
        self._record(start, None, response.usage, 0)
        return response.choices[0].message.content or ""

    def _record(self, start: float, first: float | None, usage: Any, pieces: int) -> None:
        total = time.monotonic() - start
        self.last_usage = {
            "prompt_tokens": getattr(usage, "prompt_tokens", None),
            # llama.cpp streams one token per delta; other servers may group them, so this is approximate
            "completion_tokens": getattr(usage, "completion_tokens", None) or pieces or None,
            "first_token_s": first if first is not None else total,
            "total_s": total,
        }

    def close(self) -> None:
        """Release the HTTP client; the local server lives on for the process (stopped at exit)."""
        if self._client is not None:
            self._client.close()

    # -- local server ---------------------------------------------------------------------------------------

    def _ensure_local(self) -> None:
        """Restart the embedded server if it died (e.g. killed by the OOM killer) and follow its new port."""
        if self._server is not None and self._server.alive():
            return
        assert self._settings is not None
        self._server = _start_local(self._settings)
        self.endpoint = self._server.base_url
        self._client = _client(self.endpoint, "local", self._settings)

    # -- errors ---------------------------------------------------------------------------------------------

    def _explain(self, exc: Exception, mid_stream: bool = False) -> LLMError:
        where = f"the model server at {self.endpoint}"
        fix_down = ("restart the bot (the local server is started again)" if self.backend == "local"
                    else "start the server or fix OPENAI_BASE_URL, or set BOT_LLM=extractive to answer without a model")
        retried = f" after {self._retries} retries" if self._retries else ""
        if isinstance(exc, openai.AuthenticationError):
            return LLMError(f"{where} rejected the API key (HTTP 401): set OPENAI_API_KEY to a valid key")
        if isinstance(exc, openai.PermissionDeniedError):
            return LLMError(f"{where} refused access to {self.model!r} (HTTP 403): check the key's permissions")
        if isinstance(exc, openai.NotFoundError):
            return LLMError(f"model {self.model!r} was not found at {self.endpoint} (HTTP 404): set BOT_CHAT_MODEL "
                            "to a model that server serves (see its /v1/models)")
        if isinstance(exc, openai.RateLimitError):
            return LLMError(f"{where} is rate limiting requests (HTTP 429){retried}: wait a minute and retry, or "
                            "raise BOT_LLM_RETRIES")
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"{where} did not answer within {self._timeout:g} s{retried}: check that it is not "
                            "overloaded, or raise BOT_LLM_TIMEOUT")
        if mid_stream and isinstance(exc, openai.APIConnectionError):
            return LLMError(f"{where} broke off the answer mid-stream ({exc.__class__.__name__}: "
                            f"{str(exc)[:200]}): retry; if it repeats, check the server's logs")
        if isinstance(exc, openai.APIConnectionError):
            return LLMError(f"cannot reach {where}{retried}: {fix_down}")
        if isinstance(exc, openai.APIStatusError):
            detail = _detail(exc)
            if exc.status_code >= 500:
                return LLMError(f"{where} failed with HTTP {exc.status_code}{retried} ({detail}): check its logs; "
                                "retry later")
            return LLMError(f"{where} refused the request with HTTP {exc.status_code} ({detail})")
        if mid_stream and isinstance(exc, openai.APIError):  # an error event inside the stream
            return LLMError(f"{where} failed mid-stream ({str(exc)[:200]}): retry; if it repeats, check its logs")
        raise exc  # a programming error, not something the user can fix


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
        raise LLMError("llama-cpp-python is not installed, so the local model cannot run: run "
                       "`bash scripts/install.sh` (or `pip install -e '.[local]'`), or set BOT_LLM=openai / extractive")
    try:
        spec = spec_for(settings.local_model)
        path = model_path(spec, settings.model_dir)
        check_file(spec, path)
        threads = settings.llm_threads or os.cpu_count() or 2
        return get_server(path, spec.name, n_ctx=settings.llm_ctx, threads=threads)
    except (ModelFileError, ServerStartError) as exc:
        raise LLMError(str(exc)) from exc


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
        raise LLMError("BOT_CHAT_MODEL is empty: set it to the name of a model the endpoint serves "
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
        raise LLMError(f"model {llm.model!r} is not served at {llm.endpoint} (it serves {shown}): set BOT_CHAT_MODEL")


def extractive(notice: str = "") -> LLM:
    return LLM("extractive", notice=notice)


def open_llm(settings: Settings) -> LLM:
    """The configured model; `auto` falls back to an extractive LLM with a notice when none can be reached."""
    if settings.llm == "extractive":
        return extractive()
    if settings.llm == "openai":
        return open_remote(settings)
    if settings.llm == "local":
        return open_local(settings)
    try:
        if settings.openai_base_url or settings.openai_api_key:
            llm = open_remote(settings)
            try:
                probe_remote(llm)
            except LLMError:
                llm.close()
                raise
            return llm
        return open_local(settings)
    except LLMError as exc:
        reason = str(exc).split("\n", 1)[0]
        return extractive(f"No model could be reached ({reason}); answering extractively without a model.")
