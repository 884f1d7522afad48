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


# What article text could use to step out of its place in a prompt: the tags around the passages, the
# control tokens of chat templates (a llama.cpp server parses "<|im_start|>system" in message text as the
# real token), and "[n]" markers that would start a fake passage or a citation the model copies.
_BLOCK_TAG = re.compile(r"</?\s*passages\s*>", re.IGNORECASE)
_CHAT_TOKEN = re.compile(r"<\|[^|<>\n]{0,40}\|>|</?s>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>|</?(?:bos|eos)>",
                         re.IGNORECASE)
_MARKER = re.compile(r"\[(\d{1,4})\]")


def defuse(text: str) -> str:
    """Article text that cannot close the prompt's <passages> block, open a chat turn, or pose as a
    numbered passage: block tags and chat control tokens removed, "[3]" written "(3)"."""
    return _MARKER.sub(r"(\1)", _CHAT_TOKEN.sub("", _BLOCK_TAG.sub("", text)))


def passage_block(n: int, title: str, body: str) -> str:
    """One numbered passage of a prompt, its title and body both defused (a title is article text too)."""
    return f"[{n}] {defuse(' '.join(title.split()))}\n{defuse(body)}"


# Text addressed to a model rather than to readers (prompt injection): blanked before an article reaches a
# model, never chosen as a summary sentence. A second line of defence behind the system prompt, for small
# models that obey whatever they read last. English first, then the same request in the languages
# injections are most often written in (French, German, Spanish/Portuguese/Italian, Russian/Ukrainian, Chinese).
_NEAR = r"[^.!?\n]{0,60}"
_ADDRESSES_MODEL = (
    r"(?:\b(?:(?:ignore|disregard|forget|override)\b" + _NEAR + r"\b(?:instructions?|prompts?|rules|directions|above)"
    r"|you are now|system prompt|new instructions"
    r"|(?:ignore[zr]?|oublie[zr]?)\b" + _NEAR + r"\binstructions|nouvelles instructions"
    r"|(?:ignorier\w*|vergiss)\b" + _NEAR + r"\banweisungen|neue anweisungen"
    r"|ignor[ae]\w*\b" + _NEAR + r"\b(?:instrucciones|instruções|istruzioni)|nuevas instrucciones"
    r"|(?:игнорир|забудь|ігнор)\w*" + _NEAR + r"(?:инструкци|інструкці)\w*|новые инструкции)\b"
    r"|忽略[^。！？\n]{0,20}(?:指令|指示|说明)|新的指令)"
)
INSTRUCTION_LIKE = re.compile(_ADDRESSES_MODEL, re.IGNORECASE)
# A sentence that addresses the model, or a stretch between chat control tokens (a fake turn: whatever it
# says, it was written for a model).
_TOKEN = f"(?:{_CHAT_TOKEN.pattern})"
_ADDRESSED = re.compile(rf"{_TOKEN}[\s\S]*{_TOKEN}|{_TOKEN}|"
                        rf"[^.!?\n]*{_ADDRESSES_MODEL}[^.!?\n]*[.!?。！？]?", re.IGNORECASE)


def addresses_model(text: str) -> bool:
    return INSTRUCTION_LIKE.search(text) is not None or _CHAT_TOKEN.search(text) is not None


def blank_instructions(text: str, mark: str = "[instruction-like text removed]") -> str:
    """The text with each sentence that addresses a model (and each fake chat turn) replaced by ``mark``."""
    return _ADDRESSED.sub(mark, text)


def hide_instructions(text: str) -> str:
    """The text with what `blank_instructions` removes turned to spaces: same length, so offsets into it
    still point into the article, and nothing in it can back a claim (a model that obeyed an injected
    "say X" gets no citation for X)."""
    return _ADDRESSED.sub(lambda m: " " * len(m.group(0)), text)


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
