"""One context per entry point: the settings, the store and the model, built once and handed to services.

The CLI builds one per command, the UI one per server process (shared by every browser session: the
library is everyone's). The store and the model open on first use, under a lock, so a command that needs
neither never opens them and two requests arriving together never start two model servers.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bot.ingest import Limits
from bot.llm import Extractive, Model, open_llm
from bot.retrieve import SearchParams
from bot.settings import Settings, load_settings
from bot.store import Store

REPROBE_S = 30.0


class Context:
    def __init__(self, settings: Settings, *, store: Store | None = None, model: Model | None = None) -> None:
        self.settings = settings
        self._store = store
        self._model = model
        self._store_lock = threading.Lock()
        self._model_lock = threading.Lock()  # separate: starting a model takes seconds, the store must not wait
        self._opened_at = time.monotonic()

    @classmethod
    def from_env(cls, **overrides: object) -> Context:
        """Settings from the environment (a bad value is a `ConfigError`), with explicit overrides."""
        return cls(load_settings(**overrides))

    @property
    def store(self) -> Store:
        with self._store_lock:
            if self._store is None:
                self._store = Store(self.settings)
            return self._store

    @property
    def model(self) -> Model:
        """The configured model (or `Extractive`), opened once: the local server starts on first use. A
        remote endpoint that `auto` could not reach is tried again every REPROBE_S, so a server that comes
        back is used without restarting the bot (the probe of a closed port fails at once)."""
        with self._model_lock:
            stale = (isinstance(self._model, Extractive) and self._model.notice and self.settings.llm == "auto"
                     and bool(self.settings.openai_base_url) and time.monotonic() - self._opened_at > REPROBE_S)
            if self._model is None or stale:
                self._model = open_llm(self.settings)
                self._opened_at = time.monotonic()
            return self._model

    @property
    def search_params(self) -> SearchParams:
        return SearchParams.from_settings(self.settings)

    @property
    def limits(self) -> Limits:
        return Limits.from_settings(self.settings)

    @property
    def summary_cache(self) -> Path:
        return self.settings.summary_cache_dir or self.settings.index_dir / "summaries"

    def close(self) -> None:
        if self._model is not None:
            self._model.close()
