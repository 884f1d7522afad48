"""`bot doctor`: check the index, the embedder and the model for real, and say what to fix."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bot.errors import UserError
from bot.settings import Settings


@dataclass
class Check:
    name: str  # "index" | "embedder" | "model"
    ok: bool
    summary: str  # one line: what was found
    fix: str = ""  # what to do when not ok
    details: dict[str, Any] = field(default_factory=dict)


def check_index(settings: Settings) -> Check:
    from bot.store import Store

    where = settings.chroma_url or str(settings.index_dir)
    try:
        store = Store(settings)
        chunks, sources = store.count(), len(store.list_sources())
    except UserError as exc:
        return Check("index", False, exc.what, exc.fix)
    except Exception as exc:  # any failure to open is the finding
        fix = "start the Chroma server or unset BOT_CHROMA_URL" if settings.chroma_url else \
            f"check that {settings.index_dir} is a writable directory (or delete it and ingest again)"
        return Check("index", False, f"cannot open the index at {where}: {exc}", fix)
    details = {"location": where, "sources": sources, "chunks": chunks}
    if not chunks:
        return Check("index", False, f"the index at {where} is empty", "run `bot ingest seeds/` (or your articles)",
                     details)
    return Check("index", True, f"{sources} articles, {chunks} chunks at {where}", details=details)


def check_embedder(settings: Settings) -> Check:
    from bot.embed import make_embedder

    try:
        embed = make_embedder(settings)
        start = time.monotonic()
        vectors = embed(["Does the embedder work?"])
        ms = (time.monotonic() - start) * 1000
    except Exception as exc:  # a failing embedder is the finding
        fix = "set OPENAI_BASE_URL/OPENAI_API_KEY for the embeddings endpoint or BOT_EMBEDDER=minilm" \
            if settings.embedder == "openai" else "reinstall: bash scripts/install.sh"
        return Check("embedder", False, f"the {settings.embedder} embedder failed: {exc}", fix)
    dim = len(vectors[0])
    return Check("embedder", True, f"{settings.embedder}: {dim} dimensions, {ms:.0f} ms for one sentence",
                 details={"embedder": settings.embedder, "dimensions": dim, "ms": round(ms, 1)})


def check_model(settings: Settings) -> Check:
    from bot.llm import LLM, LLMError, Usage, open_model

    details: dict[str, Any] = {"setting": settings.llm}
    if settings.llm in ("auto", "local") and not (settings.openai_base_url or settings.openai_api_key):
        details.update(_weights(settings))
    start = time.monotonic()
    try:
        llm = open_model(settings)  # not open_llm: `auto` would fall back to no model and hide why
    except LLMError as exc:
        summary = (f"No model could be reached ({exc.what}); the bot would answer extractively"
                   if settings.llm == "auto" else f"BOT_LLM={settings.llm}: {exc.what}")
        return Check("model", False, summary, exc.fix or _FIX, details)
    details.update(backend=llm.backend, model=llm.model, endpoint=llm.endpoint,
                   open_s=round(time.monotonic() - start, 2))
    if not isinstance(llm, LLM):
        return Check("model", True, "no model (BOT_LLM=extractive): answers are the passages' own sentences",
                     details=details)
    usage = Usage()
    try:
        text = "".join(llm.stream([{"role": "user", "content": "Say hello in three words."}], max_tokens=8,
                                  usage=usage))
    except LLMError as exc:
        return Check("model", False, exc.what, exc.fix or _FIX, details)
    finally:
        llm.close()
    first, total = usage.first_token_s or 0.0, usage.total_s or 0.0
    details.update(reply=text.strip(), first_token_s=round(first, 2), total_s=round(total, 2))
    return Check("model", True, f"{llm.backend} {llm.model} at {llm.endpoint}: replied {text.strip()[:40]!r}, "
                 f"first token {first:.2f} s, total {total:.2f} s", details=details)


def _weights(settings: Settings) -> dict[str, Any]:
    from bot.local_model import model_path, spec_for

    try:
        spec = spec_for(settings.local_model)
    except Exception:  # reported by open_llm
        return {}
    path = model_path(spec, settings.model_dir)
    return {"local_model": spec.key, "weights": str(path), "weights_present": path.is_file()}


_FIX = "see the message above; `bot config` shows the model settings"


def run_checks(settings: Settings) -> list[Check]:
    return [check_index(settings), check_embedder(settings), check_model(settings)]
