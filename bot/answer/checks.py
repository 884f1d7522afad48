"""Checks on a verified answer before the user sees it, each decided in code: does it give the kind of
value the question asks for (else it is a near miss, refused with what the articles do say), is that value
stated where its passage speaks of what was asked (`about_question`), does another
passage give a different value for the same fact (then both are shown, dated), and does each sentence read
as an answer ("100 days [1]" becomes the cited sentence that says it)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answer.kinds import MISSING, Kind, states, values, windows
from bot.attribution.extract import nlp
from bot.citations import CitedSentence, Embed, Verified, lexical_support, render, word_match
from bot.records import Passage, Span
from bot.sentences import split_sentences
from bot.words import content_words, words

# The passage sentence holding an answer's value (alone or with a neighbour) must be at least this close to
# the question (cosine, the default MiniLM embedder; `bot.citations` holds its similarities to the same scale).
# Chosen on RealTimeQA questions 1-50 (answerable, gold article left out, answer sentences removed): no right
# answer there cited a sentence below 0.51; half the answers made up from other passages did (51-194 not read when
# choosing it).
ABOUT = 0.5
NEW_WORDS = 0.5  # share of an untyped answer's own words a sentence must hold to be where it comes from
SAME_FACT = 0.5  # share of the question's content words a sentence must hold to be about the same fact
FRAGMENT_WORDS = 8


def near_miss(kind: Kind | None, shown: Sequence[CitedSentence], passages: Sequence[Passage]) -> Verified:
    """The refusal for a question whose asked value no passage gives, followed by what the closest passage
    does say, cited, so the reader sees what the articles cover."""
    what = f"give {MISSING[kind]} asked for" if kind else "say what was asked"
    lead = CitedSentence(f"The articles do not {what}; the closest they come is this.", (), 0.0, ())
    return render([lead, *shown], passages)


def gives(kind: Kind, sentences: Sequence[CitedSentence], question: str) -> bool:
    """The answer states a value of the asked kind that the question did not hold, and the span it cites
    states that same value (the verifier has checked the words; this checks the kind). The cited passage
    was already found to be about the question; its span need not repeat the question's words ("Adele is
    returning to Las Vegas" supports "Adele" for "which singer will launch a Las Vegas residency?")."""
    for s in sentences:
        given = values(kind, s.text, question) if s.sources else []
        if given and any(_same(a, b) for sp in s.spans for b in values(kind, sp.quote, question) for a in given):
            return True
    return False


def about_question(kind: Kind | None, question: str, sentences: Sequence[CitedSentence],
                   passages: Sequence[Passage], embed: Embed) -> bool:
    """Some answer sentence's own contribution (its value of the asked kind; for an untyped question, the
    words it adds to the question's) stands in a sentence of the passage it cites, alone or with a neighbour,
    that is about what the question asks. A small model fills the question's slot with whatever name its
    passages hold ("The Seattle Storm won the 2022 NHL Stanley Cup Finals" over a passage naming the Storm in
    another story), and the verifier lets the words the answer repeats from the question go unsupported;
    this ties the value to the asked fact. True when no sentence adds anything to check."""
    asked = content_words(question)
    found: dict[str, None] = {}  # each window once, however many sentences cite its passage
    adds = False
    for s in sentences:
        if kind is not None:
            parts = [[w for w in words(v) if len(w) > 1 or w.isdigit()] for v in values(kind, s.text, question)]
            need = 1.0
        else:
            parts = [[w for w in content_words(s.text) if not any(word_match(w, a) for a in asked)]]
            need = NEW_WORDS
        parts = [p for p in parts if p]
        adds = adds or bool(parts)
        for j in s.sources if parts else ():
            found |= dict.fromkeys(w for w in windows(passages[j].text) if any(_holds(w, p) >= need for p in parts))
    if not found:  # nothing to check, or its value is in no sentence it cites: nothing ties it to the question
        return not adds
    vectors = embed([question, *found])
    return bool((vectors[1:] @ vectors[0]).max() >= ABOUT)


def _holds(text: str, wanted: list[str]) -> float:
    have = set(words(text))
    return sum(any(word_match(w, h) for h in have) for w in wanted) / len(wanted)


def stated(kind: Kind, sentences: Sequence[CitedSentence], question: str) -> list[CitedSentence]:
    """When the writer's words miss the asked value but the span they cite states it ("A call is not planned
    [1]" for a "why", citing "... not planned, as no agreement has been reached"), the cited spans that state
    it, each as its own cited sentence; empty when no cited span does (a near miss)."""
    out: dict[Span, CitedSentence] = {}  # one sentence per span, however many answer sentences cite it
    for s in sentences:
        for j, sp in zip(s.sources, s.spans, strict=False):
            if sp not in out and states(kind, sp.quote, question):
                out[sp] = CitedSentence(" ".join(sp.quote.split()), (j,), s.support, (sp,))
    return list(out.values())


def whole_sentences(sentences: Sequence[CitedSentence], question: str,
                    passages: Sequence[Passage]) -> list[CitedSentence]:
    """A fragment ("100 days", "at the White House") is replaced by the sentence of its cited passage that
    holds the fragment's words and most of the question's, so the answer reads as an answer and the reader
    sees who and what the figure belongs to."""
    asked = " ".join(content_words(question))
    out = []
    for s in sentences:
        if len(s.sources) == 1 and _fragment(s.text):
            p = passages[s.sources[0]]
            own = " ".join(content_words(s.text)) or s.text
            holding = [x for x in split_sentences(p.text) if lexical_support(own, x.text) >= 1.0
                       and len(x.text) <= 400]
            if holding:
                best = max(holding, key=lambda x: lexical_support(asked, x.text) if asked else 0.0)
                span = Span(p.start + best.start, p.start + best.end, best.text)
                s = CitedSentence(" ".join(best.text.split()), s.sources, s.support, (span,))
        out.append(s)
    return out


def _fragment(text: str) -> bool:
    doc = nlp()(text, disable=["parser", "lemmatizer", "ner"])
    tokens = [t for t in doc if not t.is_punct]
    return len(tokens) < FRAGMENT_WORDS and not any(t.pos_ in ("VERB", "AUX") for t in doc)


def disagreements(kind: Kind, question: str, sentences: Sequence[CitedSentence],
                  passages: Sequence[Passage]) -> list[CitedSentence]:
    """Sentences of other articles' passages that state the same fact with a different value: about
    the question (SAME_FACT of its content words, or of the cited span's; the passage names any figure the
    question names), each side giving a value of ``kind`` the other does not. One per passage, best first."""
    answered = [v for s in sentences if s.sources for v in values(kind, s.text, question)]
    if not answered:
        return []
    spans = " ".join(sp.quote for s in sentences for sp in s.spans)
    mine = answered + values(kind, spans, question)
    cited = {j for s in sentences for j in s.sources}
    # Only another article can disagree: a second passage of the cited article restates or elaborates.
    own = {passages[j].chunk.source_id for j in cited}
    asked = " ".join(content_words(question))
    context = " ".join(w for w in content_words(spans) if not any(_same(w, v) for v in mine))
    figures = [w for w in words(question) if w.isdigit()]
    found: list[CitedSentence] = []
    for j, p in enumerate(passages):
        # a figure the question names (the year of "Wimbledon in 2021") may sit in the passage's next sentence
        if j in cited or p.chunk.source_id in own or any(f not in words(p.text) for f in figures):
            continue
        best: tuple[float, CitedSentence] | None = None
        for sent in split_sentences(p.text):
            text = sent.text
            share = max(lexical_support(asked, text) if asked else 0.0,
                        lexical_support(context, text) if context else 0.0)
            if share < SAME_FACT:
                continue
            theirs = values(kind, text, question)
            new_there = [v for v in theirs if not any(_same(v, m) for m in mine)]
            if not new_there or all(any(_same(a, t) for t in theirs) for a in answered):
                continue  # a different value only where the answer's own value is also stated
            span = Span(p.start + sent.start, p.start + sent.end, text)
            if best is None or share > best[0]:
                best = (share, CitedSentence(" ".join(text.split()), (j,), share, (span,)))
        if best is not None:
            found.append(best[1])
    return sorted(found, key=lambda s: -s.support)


def _same(a: str, b: str) -> bool:
    """Two values agree when one's words are all found in the other ("Ernaux", "Annie Ernaux")."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return all(any(word_match(x, y) for y in long_) for x in short)


def with_disagreements(verified: Verified, extra: Sequence[CitedSentence], passages: Sequence[Passage]) -> Verified:
    """The answer followed by each differing report, introduced with its article's date when known."""
    tail = []
    for s in extra:
        published = passages[s.sources[0]].chunk.published
        when = f", published {published[:10]}," if published else ""
        tail.append(CitedSentence(f"Another report{when} gives a different answer: {s.text}", s.sources, s.support,
                                  s.spans))
    return render([*verified.sentences, *tail], passages, verified.dropped)
