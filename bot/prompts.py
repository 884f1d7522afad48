"""Prompt templates are files in prompts/, loaded by name; a missing or unknown variable fails loudly."""

from __future__ import annotations

import re
import string
from functools import lru_cache

from bot.sentences import split_sentences
from bot.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"


@lru_cache(maxsize=32)
def template(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"prompt template {name!r} not found at {path}")
    return path.read_text(encoding="utf-8").strip()


def defuse(text: str) -> str:
    """Article text with anything that could close (or reopen) the prompt's <passages> block removed."""
    return re.sub(r"</?\s*passages\s*>", "", text, flags=re.IGNORECASE)


# Text addressed to a model rather than to readers (prompt injection): blanked before an article reaches a
# model, never chosen as a summary sentence. A second line of defence behind the system prompt, for small
# models that obey whatever they read last.
_ADDRESSES_MODEL = (r"\b(?:(?:ignore|disregard|forget|override)\b[^.!?\n]{0,60}\b"
                    r"(?:instructions?|prompts?|rules|directions|above)|you are now|system prompt|new instructions)\b")
INSTRUCTION_LIKE = re.compile(_ADDRESSES_MODEL, re.IGNORECASE)
_INSTRUCTION_SENTENCE = re.compile(rf"[^.!?\n]*{_ADDRESSES_MODEL}[^.!?\n]*[.!?]?", re.IGNORECASE)


def addresses_model(text: str) -> bool:
    return INSTRUCTION_LIKE.search(text) is not None


def blank_instructions(text: str, mark: str = "[instruction-like text removed]") -> str:
    """The text with each sentence that addresses a model replaced by ``mark``."""
    return _INSTRUCTION_SENTENCE.sub(mark, text)


def strip_injections(text: str) -> str:
    """The text without the sentences that address a model."""
    return " ".join(s.text for s in split_sentences(text) if not addresses_model(s.text))


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def render(name: str, **values: object) -> str:
    """Fill a template; both a missing and an unexpected variable are programming errors."""
    text = template(name)
    wanted = fields(text)
    if missing := wanted - values.keys():
        raise KeyError(f"prompt {name!r} needs {sorted(missing)}")
    if extra := values.keys() - wanted:
        raise KeyError(f"prompt {name!r} has no variables {sorted(extra)}")
    return text.format(**values)
