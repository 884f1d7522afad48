"""Citations are checked in code: every sentence of an answer or summary must be supported by a passage.

Each sentence cites the one passage that supports it best; the model's own marker is kept when its
passage supports the sentence nearly as well. A sentence no passage supports is dropped (or kept and
flagged, if asked). Support = content-word overlap (spelling-tolerant, so "Ryabkov" matches "Rjabkow")
plus embedding similarity to the passage's closest sentence; a number in the sentence must appear in
the passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz

from bot.records import Passage
from bot.sentences import split_sentences
from bot.spelling import same_name, skeleton

Embed = Callable[[list[str]], np.ndarray]

MARKER = re.compile(r"\s*\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")
STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this "
    "that these those he she they them his her their we our you your i me my not no so than then there "
    "here what which who whom whose when where why how do does did has have had will would can could "
    "should may might also about into over after before said says say according just very more most some "
    "any all one two".split()
)
LEXICAL_STRONG = 0.6   # this share of content words found in the passage is support on its own
LEXICAL_WEAK = 0.3     # ...or this share together with a close sentence embedding
SEMANTIC = 0.6
NAMED_MARGIN = 0.1     # the model's own marker is kept when its support is within this of the best


@dataclass(frozen=True)
class CitedSentence:
    text: str
    sources: tuple[int, ...]  # indexes into the passages list, best first; empty when unsupported
    support: float


@dataclass
class Verified:
    """Text with markers renumbered 1..n in order of first use, and the passages they point at."""

    text: str
    cited: list[Passage]
    sentences: list[CitedSentence] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({w: str(10 * n) for n, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})


def words(text: str) -> list[str]:
    """Lower-case ASCII words; number words become digits, so "six months" supports "6 months"."""
    return [NUMBER_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+(?:[.,][0-9]+)*", anyascii(text).lower())]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def numbers(text: str) -> set[str]:
    digits = {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", anyascii(text))}
    return digits | {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", anyascii(text).lower()) if w in NUMBER_WORDS}


@lru_cache(maxsize=50_000)
def word_match(a: str, b: str) -> bool:
    if a == b or (len(a) > 4 and len(b) > 4 and a[:5] == b[:5]):  # crude stemming: elect/election/elected
        return True
    # Spelling- and transliteration-tolerant, as retrieval matches names: Ryabkov ~ Rjabkow, Kyiv ~ Kiev.
    return len(a) >= 4 and len(b) >= 4 and fuzz.ratio(a, b) >= 60 and same_name(skeleton(a), skeleton(b))


def lexical_support(sentence: str, passage: str, given: frozenset[str] = frozenset()) -> float:
    """Share of the sentence's content words found in the passage. Words in ``given`` (the question's own)
    need no support, so "X is accused of turning off the AC" is judged on X, not on the question it repeats;
    a sentence that only repeats the question is judged on all its words."""
    everything = content_words(sentence)
    wanted = [w for w in everything if w not in given] or everything
    if not wanted:
        return 1.0
    have = set(content_words(passage))
    hits = sum(1 for w in wanted if w in have or any(word_match(w, h) for h in have))
    return hits / len(wanted)


def support_matrix(sentences: Sequence[str], passages: Sequence[Passage], embed: Embed | None,
                   given: str = "") -> np.ndarray:
    """support[i, j] in [0, 1]: how well passage j backs sentence i (0 when a number is missing).
    ``given`` is text whose words and numbers a sentence may repeat without support (the question)."""
    known = frozenset(content_words(given))
    known_numbers = numbers(given)
    scores = np.zeros((len(sentences), len(passages)), dtype=np.float32)
    if not sentences or not passages:
        return scores
    semantic = _semantic(sentences, passages, embed) if embed else None
    for i, sent in enumerate(sentences):
        nums = numbers(sent) - known_numbers
        for j, passage in enumerate(passages):
            if nums - numbers(passage.text):
                continue
            lex = lexical_support(sent, passage.text, known)
            sem = float(semantic[i, j]) if semantic is not None else 0.0
            if lex >= LEXICAL_STRONG or (lex >= LEXICAL_WEAK and sem >= SEMANTIC):
                scores[i, j] = 0.5 * lex + 0.5 * max(sem, lex)
    return scores


def _semantic(sentences: Sequence[str], passages: Sequence[Passage], embed: Embed) -> np.ndarray:
    """Cosine of each sentence with the closest sentence of each passage."""
    owners: list[int] = []
    parts: list[str] = []
    for j, p in enumerate(passages):
        for s in split_sentences(p.text):
            owners.append(j)
            parts.append(s.text)
    vectors = np.asarray(embed([*sentences, *parts]), dtype=np.float32)
    sims = vectors[: len(sentences)] @ vectors[len(sentences) :].T
    best = np.zeros((len(sentences), len(passages)), dtype=np.float32)
    for k, j in enumerate(owners):
        best[:, j] = np.maximum(best[:, j], sims[:, k])
    return best


def verify(text: str, passages: Sequence[Passage], embed: Embed | None, keep_unsupported: bool = False,
           given: str = "") -> Verified:
    """Check every sentence of ``text`` against ``passages`` (numbered 1..n in the prompt); ``given`` is the
    question, whose own words an answer may repeat."""
    raw = [s.text for s in split_sentences(text)]
    claims = [re.sub(r"[\s,;:]+$", "", MARKER.sub("", s)).strip() for s in raw]  # "...France. ,," ends at "."
    matrix = support_matrix(claims, passages, embed, given)
    out: list[CitedSentence] = []
    dropped: list[str] = []
    for i, (sentence, claim) in enumerate(zip(raw, claims, strict=True)):
        if not re.search(r"\w", claim):  # stray punctuation (",, [1]") is not a claim to cite
            continue
        named = [int(n) - 1 for m in MARKER.finditer(sentence) for n in m.group(1).split(",")]
        valid = _cite(matrix[i], [j for j in named if 0 <= j < len(passages)])
        if valid or keep_unsupported:
            out.append(CitedSentence(claim, tuple(valid), float(max((matrix[i, j] for j in valid), default=0))))
        else:
            dropped.append(claim)
    return render(out, passages, dropped)


def _cite(support: np.ndarray, named: list[int]) -> list[int]:
    """One citation per sentence: the passage that backs it best. Small models mark whatever passage came
    first, so the model's own marker wins only when it is nearly as well supported as the best one; a second
    marker on the same claim would add a passage to check without adding support."""
    if not support.size or support.max() <= 0:
        return []
    best = int(support.argmax())
    mine = max((j for j in named if support[j] > 0), key=lambda j: support[j], default=None)
    return [mine if mine is not None and support[mine] >= support[best] - NAMED_MARGIN else best]


def render(sentences: list[CitedSentence], passages: Sequence[Passage], dropped: list[str] | None = None) -> Verified:
    """Join sentences with markers renumbered by first use; the citation list holds only cited passages."""
    number: dict[int, int] = {}
    pieces: list[str] = []
    for s in sentences:
        for j in s.sources:
            number.setdefault(j, len(number) + 1)
        marks = "".join(f"[{number[j]}]" for j in s.sources)
        pieces.append(_attach(s.text, marks))
    cited = [passages[j] for j in sorted(number, key=number.__getitem__)]
    return Verified(" ".join(pieces), cited, sentences, dropped or [])


def render_lines(sentences: list[CitedSentence], passages: Sequence[Passage], dropped: list[str] | None = None,
                 bullet: str = "- ") -> Verified:
    """Like `render` (same numbering), one bulleted line per sentence."""
    verified = render(sentences, passages, dropped)
    number = {id(p): n for n, p in enumerate(verified.cited, 1)}
    lines = [bullet + _attach(s.text, "".join(f"[{number[id(passages[j])]}]" for j in s.sources)) for s in sentences]
    verified.text = "\n".join(lines)
    return verified


def _attach(sentence: str, marks: str) -> str:
    """Put markers before the final punctuation: "He said so [1]." reads better than "He said so.[1]"."""
    if not marks:
        return sentence
    m = re.search(r"([.!?…]+[\"'”’»)]*)$", sentence)
    if m:
        return f"{sentence[: m.start()].rstrip()} {marks}{m.group(1)}"
    return f"{sentence} {marks}"
