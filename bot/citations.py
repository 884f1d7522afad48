"""Citations are checked in code: every sentence of an answer or summary must be supported by a passage.

Each sentence cites the one passage that supports it best; the model's own marker is kept when its
passage supports the sentence nearly as well. A sentence no passage supports is dropped (or kept and
flagged, if asked). Support = content-word overlap (spelling-tolerant, so "Ryabkov" matches "Rjabkow")
plus embedding similarity to the passage's closest sentence; a number in the sentence must appear in
the passage. The passage sentences that carry the support are kept as a `Span` of the article, so a UI
highlights exactly the words a sentence rests on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from bot.prompts import hide_instructions
from bot.records import Citation, CitedText, Passage, Span
from bot.sentences import Sentence, split_sentences
from bot.spelling import same_name, skeleton
from bot.words import content_words, numbers, stem_word

Embed = Callable[[list[str]], np.ndarray]

MARKER = re.compile(r"\s*\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")
ARTICLE_MARKER = re.compile(r"\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]")
LEXICAL_STRONG = 0.6   # this share of content words found in the passage is support on its own
LEXICAL_WEAK = 0.3     # ...or this share together with a close sentence embedding
SEMANTIC = 0.6
NAMED_MARGIN = 0.1     # the model's own marker is kept when its support is within this of the best
SPAN_GAIN = 0.15       # a neighbouring sentence joins a supporting span when it adds this share of the claim
SPAN_SENTENCES = 3     # ...up to this many sentences in one span


@dataclass(frozen=True)
class CitedSentence:
    text: str
    sources: tuple[int, ...]  # indexes into the passages list, best first; empty when unsupported
    support: float
    spans: tuple[Span, ...] = ()  # for each source, the article span that supports the sentence


@dataclass
class Verified:
    """Text with markers renumbered 1..n in order of first use, the passages they point at, and the same as
    records: sentences with their citation numbers and spans, and one `Citation` per cited passage."""

    text: str
    cited: list[Passage]
    sentences: list[CitedSentence] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    records: list[CitedText] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


@lru_cache(maxsize=50_000)
def word_match(a: str, b: str) -> bool:
    """Same word up to inflection (the BM25 stemmer's stems agree: elect/election/elected), or the same name
    in another spelling or transliteration, as retrieval matches names (Ryabkov ~ Rjabkow, Kyiv ~ Kiev)."""
    if a == b or stem_word(a) == stem_word(b):
        return True
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


@dataclass
class _Evidence:
    """The passages' sentences, and each claim's embedding similarity to every one of them."""

    sentences: list[list[Sentence]]  # per passage, offsets into the passage's text
    first: list[int]  # index of each passage's first sentence in the flat list
    sims: np.ndarray | None  # claims x flat sentences

    def best(self, j: int) -> np.ndarray | None:
        """Per claim, the similarity to passage j's closest sentence."""
        if self.sims is None:
            return None
        n = len(self.sentences[j])
        return self.sims[:, self.first[j] : self.first[j] + n].max(axis=1) if n else np.zeros(len(self.sims))


def _evidence(claims: Sequence[str], passages: Sequence[Passage], embed: Embed | None) -> _Evidence:
    sentences = [split_sentences(hide_instructions(p.text)) for p in passages]
    first = list(np.cumsum([0] + [len(s) for s in sentences[:-1]])) if sentences else []
    flat = [s.text for group in sentences for s in group]
    sims = None
    if embed is not None and claims and flat:
        vectors = np.asarray(embed([*claims, *flat]), dtype=np.float32)
        sims = vectors[: len(claims)] @ vectors[len(claims) :].T
    return _Evidence(sentences, [int(f) for f in first], sims)


def _support(claims: Sequence[str], passages: Sequence[Passage], embed: Embed | None,
             given: str) -> tuple[np.ndarray, _Evidence]:
    known = frozenset(content_words(given))
    known_numbers = numbers(given)
    scores = np.zeros((len(claims), len(passages)), dtype=np.float32)
    evidence = _evidence(claims, passages, embed)
    if not claims or not passages:
        return scores, evidence
    for j, passage in enumerate(passages):
        semantic = evidence.best(j)
        text = hide_instructions(passage.text)  # what was addressed to the model backs nothing
        have = numbers(text)
        for i, claim in enumerate(claims):
            if (numbers(claim) - known_numbers) - have:
                continue
            lex = lexical_support(claim, text, known)
            sem = float(semantic[i]) if semantic is not None else 0.0
            if lex >= LEXICAL_STRONG or (lex >= LEXICAL_WEAK and sem >= SEMANTIC):
                scores[i, j] = 0.5 * lex + 0.5 * max(sem, lex)
    return scores, evidence


def support_matrix(sentences: Sequence[str], passages: Sequence[Passage], embed: Embed | None,
                   given: str = "") -> np.ndarray:
    """support[i, j] in [0, 1]: how well passage j backs sentence i (0 when a number is missing).
    ``given`` is text whose words and numbers a sentence may repeat without support (the question)."""
    return _support(sentences, passages, embed, given)[0]


def supporting_span(claim: str, i: int, passage: Passage, j: int, evidence: _Evidence, given: str = "") -> Span:
    """The passage sentence that backs claim i best (word overlap and embedding), joined by a neighbour while
    that adds at least SPAN_GAIN of the claim's words (a claim that merges two sentences cites both)."""
    sents = evidence.sentences[j]
    if not sents:
        return Span(passage.start, passage.end, passage.text)
    known = frozenset(content_words(given))

    def lex(a: int, b: int) -> float:
        return lexical_support(claim, passage.text[sents[a].start : sents[b].end], known)

    sims = evidence.sims[i, evidence.first[j] : evidence.first[j] + len(sents)] if evidence.sims is not None else None
    scores = [0.5 * lex(k, k) + 0.5 * (float(sims[k]) if sims is not None else 0.0) for k in range(len(sents))]
    a = b = int(np.argmax(scores))
    covered = lex(a, b)
    while b - a + 1 < SPAN_SENTENCES and covered < 1.0:
        options = [(lex(a - 1, b), a - 1, b)] if a > 0 else []
        options += [(lex(a, b + 1), a, b + 1)] if b + 1 < len(sents) else []
        if not options:
            break
        gain, na, nb = max(options)
        if gain - covered < SPAN_GAIN:
            break
        covered, a, b = gain, na, nb
    start, end = sents[a].start, sents[b].end
    return Span(passage.start + start, passage.start + end, passage.text[start:end])


def verify(text: str, passages: Sequence[Passage], embed: Embed | None, keep_unsupported: bool = False,
           given: str = "") -> Verified:
    """Check every sentence of ``text`` against ``passages`` (numbered 1..n in the prompt); ``given`` is the
    question, whose own words an answer may repeat."""
    raw = [s.text for s in split_sentences(text)]
    claims = [re.sub(r"[\s,;:]+$", "", MARKER.sub("", s)).strip() for s in raw]  # "...France. ,," ends at "."
    matrix, evidence = _support(claims, passages, embed, given)
    out: list[CitedSentence] = []
    dropped: list[str] = []
    for i, (sentence, claim) in enumerate(zip(raw, claims, strict=True)):
        if not re.search(r"\w", claim):  # stray punctuation (",, [1]") is not a claim to cite
            continue
        named = [int(n) - 1 for m in MARKER.finditer(sentence) for n in m.group(1).split(",")]
        valid = _cite(matrix[i], [j for j in named if 0 <= j < len(passages)])
        if valid or keep_unsupported:
            spans = tuple(supporting_span(claim, i, passages[j], j, evidence, given) for j in valid)
            out.append(CitedSentence(claim, tuple(valid), float(max((matrix[i, j] for j in valid), default=0)), spans))
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


def render(sentences: list[CitedSentence], passages: Sequence[Passage], dropped: list[str] | None = None,
           bullet: str = "") -> Verified:
    """Join sentences with markers renumbered by first use (one bulleted line each when ``bullet`` is set);
    the citation list holds only cited passages, each with the spans its sentences rest on."""
    number: dict[int, int] = {}
    spans_of: dict[int, list[Span]] = {}
    pieces: list[str] = []
    records: list[CitedText] = []
    for s in sentences:
        for k, j in enumerate(s.sources):
            number.setdefault(j, len(number) + 1)
            if k < len(s.spans):
                spans_of.setdefault(j, []).append(s.spans[k])
        marks = "".join(f"[{number[j]}]" for j in s.sources)
        text = ARTICLE_MARKER.sub(r"(\1)", s.text)  # a quoted article's own "[2]" is no citation of ours
        pieces.append(bullet + _attach(text, marks))
        spans = s.spans if len(s.spans) == len(s.sources) else tuple(_whole(passages[j]) for j in s.sources)
        records.append(CitedText(text, tuple(number[j] for j in s.sources), spans))
    order = sorted(number, key=number.__getitem__)
    cited = [passages[j] for j in order]
    citations = [Citation.from_passage(number[j], passages[j], spans_of.get(j, [])) for j in order]
    return Verified(("\n" if bullet else " ").join(pieces), cited, sentences, dropped or [], records, citations)


def render_lines(sentences: list[CitedSentence], passages: Sequence[Passage], dropped: list[str] | None = None,
                 bullet: str = "- ") -> Verified:
    """Like `render` (same numbering), one bulleted line per sentence."""
    return render(sentences, passages, dropped, bullet)


def _whole(passage: Passage) -> Span:
    return Span(passage.start, passage.end, passage.text)


def _attach(sentence: str, marks: str) -> str:
    """Put markers before the final punctuation: "He said so [1]." reads better than "He said so.[1]"."""
    if not marks:
        return sentence
    m = re.search(r"([.!?…]+)([\"'”’»)]*)$", sentence)
    if m and m.group(2):  # inside a closing quote a marker would read as the speaker's: after it
        return f"{sentence} {marks}"
    if m:
        return f"{sentence[: m.start()].rstrip()} {marks}{m.group(1)}"
    return f"{sentence} {marks}"
