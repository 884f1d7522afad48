"""How much of a question a passage speaks to: the share of the question's words it contains, by rarity.

A small model asked "Which NFL star retired on Tuesday?" over passages about a WNBA player will name her;
every word of its answer is then "supported" by the passage. What gives such an answer away is that the
passage lacks the question's rare words ("NFL"). Words are weighted by IDF over the indexed chunks, matched
after stemming, spelling-tolerantly (Ryabkov ~ Rjabkow), and an acronym counts when the passage spells it
out ("AC" ~ "air conditioning", "CDC" ~ "Centers for Disease Control").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.citations import word_match
from bot.retrieve.lexical import Lexical
from bot.words import content_words, stem

# Words a question uses to ask, not to say what it is about.
ASKING = frozenset("tell give list name describe explain happened happen".split())
_FILLER = r"(?:(?:of|for|and|the|on|in|to|de)\s+)*"


@dataclass(frozen=True)
class Coverage:
    score: float  # IDF-weighted share of the question's words found, 0..1
    missing: list[str]  # the question's words not found, rarest first


def coverage(lexical: Lexical, question: str, text: str) -> Coverage:
    wanted = [w for w in dict.fromkeys(content_words(question)) if w not in ASKING]
    if not wanted:
        return Coverage(1.0, [])
    have = set(content_words(text))
    have_stems = set(stem(sorted(have)))
    acronyms = {a.lower() for a in re.findall(r"\b[A-Z]{2,5}\b", question)}
    stems = dict(zip(wanted, stem(wanted), strict=True))
    weights = {w: lexical.idf(stems[w]) for w in wanted}
    missing = [
        w for w in wanted
        if not (w in have or stems[w] in have_stems or any(word_match(w, h) for h in have)
                or (w in acronyms and _spelled_out(w, text)))
    ]
    total = sum(weights.values())
    score = 1.0 - sum(weights[w] for w in missing) / total if total else 1.0
    return Coverage(score, sorted(missing, key=lambda w: -weights[w]))


def _spelled_out(acronym: str, text: str) -> bool:
    return _acronym_pattern(acronym).search(text) is not None


@lru_cache(maxsize=1024)
def _acronym_pattern(acronym: str) -> re.Pattern[str]:
    """Consecutive words of 3+ letters whose initials spell the acronym, small linking words allowed."""
    parts = [rf"{c}[a-z]{{2,}}" for c in acronym]
    return re.compile(r"\b" + (r"\s+" + _FILLER).join(parts) + r"\b", re.IGNORECASE)


__all__ = ["Coverage", "coverage"]
