"""One vocabulary of words for every stage: the stopwords and the stemmer BM25 indexes with serve the
citation checks, coverage and the extractive choices too, so "supported" and "found" mean the same thing.

Stopwords: bm25s's English list (NLTK's) plus the words news puts in almost every sentence without making
a claim ("said", "according", modal verbs). "won" and "don" are taken back out: NLTK lists them as halves of
"won't" / "don't", but in news they are a verb ("won the election") and a name. Stemming: PyStemmer's
English Snowball stemmer, the one bm25s uses.
"""

from __future__ import annotations

import re
from functools import lru_cache

import bm25s.stopwords
import Stemmer
from anyascii import anyascii

from bot.spelling import fold

NEWS_FILLER = frozenset("according also could may might must said say says told whose would".split())
STOPWORDS = (frozenset(bm25s.stopwords.STOPWORDS_EN_PLUS) | NEWS_FILLER) - {"won", "don"}

NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({w: str(10 * n) for n, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})

_TOKEN = re.compile(r"\w+")
_CLAIM_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stem(tokens: list[str]) -> list[str]:
    return _stemmer().stemWords(tokens)  # type: ignore[no-any-return]


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    return _stemmer().stemWord(word)  # type: ignore[no-any-return]


# --- for the indexes (BM25, names) ----------------------------------------------------------------
def tokens(text: str) -> list[str]:
    """Folded words in order, stopwords kept (the names index needs their original neighbours)."""
    return [fold(w) for w in _TOKEN.findall(text)]


def terms(text: str) -> list[str]:
    """What BM25 indexes and queries: folded, stopwords dropped, stemmed."""
    return stem([w for w in tokens(text) if w not in STOPWORDS])


# --- for claims (citations, coverage, extractive choices) -------------------------------------------
def words(text: str) -> list[str]:
    """Lower-case ASCII words, numbers kept whole ("12.6", "3,000"); number words become digits, so "six
    months" supports "6 months"."""
    return [NUMBER_WORDS.get(w, w) for w in _CLAIM_WORD.findall(anyascii(text).lower())]


def content_words(text: str) -> list[str]:
    """The words that make a claim: no stopwords, no one- or two-letter words (digits stay)."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def numbers(text: str) -> set[str]:
    """Every number in the text, by value as written ("3,000" is "3000"), number words included."""
    ascii_text = anyascii(text)
    digits = {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", ascii_text)}
    return digits | {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", ascii_text.lower()) if w in NUMBER_WORDS}
