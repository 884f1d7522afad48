"""Questions about what someone said ("what did Ryabkov say?", "what did the minister say about
embassies?") are answered from that person's statements (`bot.quotes`): all of them, oldest first, each the
article's own sentence, cited and highlighted. No model writes them, so none can attribute to one person
what another said."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot import quotes
from bot.citations import CitedSentence, Verified, render
from bot.context import Context
from bot.records import Chunk, Passage, Span, Statement

MAX_STATEMENTS = 12
PRONOUNS = frozenset("he she they i we it".split())
ASKS = re.compile(
    r"^\s*(?:and\s+)?(?:so\s+)?what\s+(?:exactly\s+)?(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:been\s+)?"
    r"(?:say|said|saying|tell|told|telling|state|stated|claim|claimed|announce|announced|write|wrote|argue|argued)"
    r"(?:\s+(?:\w+\s+){0,2}?(?:about|on|regarding|concerning|of)\s+(?P<about>.+?))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Asked:
    who: str
    about: str | None


def asks_what_said(question: str) -> Asked | None:
    m = ASKS.match(question)
    if not m or len(m.group("who").split()) > 8:
        return None
    return Asked(m.group("who").strip(" ,"), (m.group("about") or "").strip() or None)


def from_statements(ctx: Context, asked: Asked, source_ids: Sequence[str] | None) -> tuple[Verified, str] | None:
    """The statements as cited sentences, and a notice saying what they are; None when there are none."""
    found = quotes.statements(ctx, asked.who, source_ids, asked.about)
    if not found:
        return None
    shown, more = found[:MAX_STATEMENTS], len(found) - MAX_STATEMENTS
    passages: list[Passage] = []
    where: dict[tuple[str, int, int], int] = {}
    sentences: list[CitedSentence] = []
    seen: set[tuple[str, int]] = set()
    for st in shown:
        if (st.source_id, st.sentence_start) in seen:  # two statements in one sentence: quote it once
            continue
        seen.add((st.source_id, st.sentence_start))
        passage = _passage(ctx, st)
        key = (st.source_id, passage.start, passage.end)
        if key not in where:
            where[key] = len(passages)
            passages.append(passage)
        text = ctx.store.article_text(st.source_id)
        span = Span(st.sentence_start, st.sentence_end, text[st.sentence_start : st.sentence_end])
        sentences.append(CitedSentence(_named_sentence(st, text), (where[key],), 1.0, (span,)))
    people = sorted({st.speaker for st in shown})
    articles = len({st.source_id for st in found})
    topic = f" about {asked.about}" if asked.about else ""
    notice = (f"Every statement{topic} the articles attribute to {' / '.join(people)}: {len(found)} in {articles} "
              f"article{'s' if articles != 1 else ''}, oldest first, in the articles' own words (no model wrote "
              "this answer).")
    if more > 0:
        notice += f" The first {MAX_STATEMENTS} are shown; `bot quotes \"{asked.who}\"` lists all."
    return render(sentences, passages), notice


def _named_sentence(st: Statement, text: str) -> str:
    """The sentence as written, a pronoun naming the speaker replaced by the name in brackets."""
    sentence = text[st.sentence_start : st.sentence_end]
    if st.mention.lower() in PRONOUNS and st.sentence_start <= st.mention_start < st.sentence_end:
        a, b = st.mention_start - st.sentence_start, st.mention_end - st.sentence_start
        sentence = f"{sentence[:a]}[{st.speaker}]{sentence[b:]}"
    return sentence


def _passage(ctx: Context, st: Statement) -> Passage:
    """The chunks holding the statement's sentence, as one passage of the article's own text."""
    chunks = [c for c in ctx.store.all_chunks(st.source_id) if c.end > st.sentence_start and c.start < st.sentence_end]
    if not chunks:
        text = ctx.store.article_text(st.source_id)
        chunk = Chunk(f"{st.source_id}-statement", st.source_id, st.title, "", 0, st.sentence_start,
                      st.sentence_end, text[st.sentence_start : st.sentence_end], published=st.published)
        return Passage(chunk, 1.0)
    start, end = min(c.start for c in chunks), max(c.end for c in chunks)
    text = ctx.store.article_text(st.source_id)
    return Passage(chunks[0], 1.0, context=text[start:end], context_start=start)
