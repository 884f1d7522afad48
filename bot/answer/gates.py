"""When not to ask the model: questions about names no passage mentions, passages that do not speak to the
question, and answers that only restate it. Each gate decides in code and says why in a sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from anyascii import anyascii

from bot.citations import Verified, word_match
from bot.records import Passage
from bot.store import Store
from bot.words import content_words, words

# A passage must contain this IDF-weighted share of the question's words to be answered from. Chosen after
# reading the first 50 RealTimeQA questions and 30 of them asked without their article: the passages behind
# right answers scored 0.37 and up, most answers to the article-less questions came from passages below 0.3.
COVERAGE = 0.3
QUESTION_WORDS = frozenset(
    "what who whom whose which when where why how did does do is are was were can could will would "
    "should tell give list name".split()
)
POLARITY = frozenset("yes no not never".split())
# Capitalised but not what a question is about: "Biden on Wednesday announced ..." asks about Biden.
DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april june july august "
    "september october november december".split()
)
NOT_NAMES = QUESTION_WORDS | DATE_WORDS


def question_names(question: str) -> list[str]:
    """Capitalised words after the first: the names a question is about. Acronyms are left out: articles
    often spell them out ("CDC", "the Centers for Disease Control")."""
    return [w for i, w in enumerate(re.findall(r"[^\W\d_]+", question))
            if i > 0 and w[0].isupper() and not w.isupper() and w.lower() not in NOT_NAMES and len(w) > 2]


def missing_names(names: Sequence[str], passages: Sequence[Passage]) -> list[str]:
    """The question's names (`question_names`) that no passage mentions, even spelt differently."""
    if not names:
        return []
    vocabulary = {w for p in passages for w in words(p.text) if len(w) > 2}
    return [name for name in names if not any(word_match(anyascii(name).lower(), w) for w in vocabulary)]


def missing_notice(store: Store, missing: Sequence[str], source_ids: Sequence[str] | None) -> str:
    """Why the question is refused. Only names no searched article holds are said to be in no article; a
    name that some article holds outside the best-matching passages is reported as such."""
    absent = [n for n in missing if not store.mentions(n, source_ids)]
    present = [n for n in missing if n not in absent]
    scope = "selected article" if source_ids else "article"
    parts = [f"No {scope} mentions {', '.join(absent)}." if absent else "",
             f"The passages that best match the question do not mention {', '.join(present)}." if present else ""]
    return " ".join(p for p in parts if p)


def quoted(found: Sequence[str]) -> str:
    return ", ".join(f"“{w}”" for w in found) or "what was asked"


def restates(question: str, answer: str) -> bool:
    """The answer adds no content word to the question's own: it tells the reader nothing new. A yes or a
    no is news ("Is a call planned?" "No, a call is not planned.")."""
    answer = strip_markers(answer)
    if (POLARITY & set(words(answer))) - set(words(question)):
        return False
    asked = set(content_words(question))
    return not any(w not in asked and not any(word_match(w, a) for a in asked) for w in content_words(answer))


def relevant(question: str, verified: Verified) -> bool:
    """The fallback sentences speak to the question (a third of its content words), or nothing is shown."""
    wanted = set(content_words(question)) - QUESTION_WORDS
    if not verified.cited or not wanted:
        return bool(verified.cited)
    got = set(content_words(" ".join(s.text for s in verified.sentences)))
    return len(wanted & got) / len(wanted) >= 0.3


def strip_markers(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text)
