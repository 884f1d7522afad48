"""Records to HTML for the browser. Every string taken from an article (titles, passages, whole texts,
answers built from them, file names, error lines) goes through `esc` before it is placed in markup, so
nothing an article holds becomes a tag, runs script or fetches a remote resource. Citations are placed by
their offsets, never by searching text."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.ingest import IngestResult
from bot.records import Answer, ArticleText, Citation, CitedText, Passage, SourceInfo, Span, Statement, Summary

# Characters that could reorder or hide text (bidi overrides, zero-width joiners): shown as nothing.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def esc(text: str) -> str:
    """Text as HTML text: tags, quotes and entities escaped, invisible direction controls dropped."""
    return html.escape(_INVISIBLE.sub("", text), quote=True)


def with_breaks(text: str) -> str:
    """Escaped text whose blank lines become paragraph breaks."""
    return "<br><br>".join(esc(part) for part in re.split(r"\n\s*\n", text)).replace("\n", "<br>")


@dataclass(frozen=True)
class Turn:
    """One question and its answer in a browser session."""

    number: int
    question: str
    answer: Answer


def _cite_links(citations: Sequence[int], prefix: str) -> str:
    return "".join(f'<a href="#{prefix}-{n}" class="cite" data-cite="{prefix}-{n}">[{n}]</a>' for n in citations)


def cited_sentences(sentences: Sequence[CitedText], prefix: str, bullets: bool = False) -> str:
    """Sentences with their markers as links to the passage cards ``#{prefix}-{n}``."""
    parts = []
    for s in sentences:
        text, end = _split_end(s.text)
        links = _cite_links(s.citations, prefix)
        parts.append(f"{esc(text)} {links}{esc(end)}" if links else esc(s.text))
    if bullets:
        return "<ul class='cited'>" + "".join(f"<li>{p}</li>" for p in parts) + "</ul>"
    return " ".join(parts)


def _split_end(text: str) -> tuple[str, str]:
    m = re.search(r"([.!?…]+[\"'”’»)]*)$", text)
    return (text[: m.start()].rstrip(), m.group(1)) if m else (text, "")


def meta_line(backend: str, model: str, timings: dict[str, float], cached: bool = False) -> str:
    """Which model wrote it, and how long it took."""
    who = {"local": "local model", "openai": "endpoint", "extractive": "no model (extractive)"}.get(backend, backend)
    parts = [f"{who} {model}".strip()]
    for key, label in (("retrieve_s", "retrieval"), ("first_token_s", "first token"), ("total_s", "total")):
        if key in timings:
            parts.append(f"{label} {timings[key]:.1f} s")
    if cached:
        parts.append("from the cache")
    return " · ".join(esc(p) for p in parts)


def answer_message(turn: Turn) -> str:
    """The bot's chat message: the checked answer with linked markers, its notice, and who answered."""
    a = turn.answer
    # A refusal may cite too: a near miss shows what the articles do say.
    body = cited_sentences(a.sentences, f"p{turn.number}") if a.sentences else esc(a.answer)
    notice = f"<p class='notice'>{esc(a.notice)}</p>" if a.notice else ""
    return (f"<div class='answer turn-{turn.number}'><p>{body}</p>{notice}"
            f"<p class='meta'>{meta_line(a.backend, a.model, a.timings)}</p></div>")


def draft_message(text: str) -> str:
    return f"<div class='draft'>{esc(text)}<span class='cursor'>▍</span></div>"


def marked(text: str, offset: int, spans: Sequence[Span], mark_id: str = "") -> str:
    """``text`` (which starts at ``offset`` of its article) with the spans inside it marked."""
    pieces: list[str] = []
    at = 0
    for k, span in enumerate(sorted(set(spans), key=lambda s: (s.start, s.end))):
        a, b = max(span.start - offset, at), min(span.end - offset, len(text))
        if b <= a:
            continue
        ident = f' id="{mark_id}"' if mark_id and k == 0 else ""
        pieces += [with_breaks(text[at:a]), f"<mark{ident}>{with_breaks(text[a:b])}</mark>"]
        at = b
    pieces.append(with_breaks(text[at:]))
    return "".join(pieces)


def _where(spans: Iterable[tuple[int, int]]) -> str:
    """Article offsets as an open-article button's data-spans: "start-end,start-end"."""
    return ",".join(f"{a}-{b}" for a, b in spans)


def citation_card(c: Citation, prefix: str) -> str:
    """A cited passage with the words that support the answer highlighted, and a button that opens the
    whole article at that span."""
    dated = f" · {esc(c.published)}" if c.published else ""
    spans = c.spans or [Span(c.start, c.end, c.quote)]
    where = _where((s.start, s.end) for s in spans)
    return (f"<div class='card' id='{prefix}-{c.n}'><div class='card-head'><span class='n'>[{c.n}]</span> "
            f"<span class='title'>{esc(c.title)}</span>{dated}</div>"
            f"<div class='passage'>{marked(c.text, c.passage_start, spans)}</div>"
            f"<button class='open-article' data-source='{esc(c.source_id)}' data-spans='{where}'>"
            "Open the article at this passage</button></div>")


def passage_card(p: Passage, rank: int) -> str:
    """A retrieved passage shown while the answer is written (nothing highlighted yet)."""
    return (f"<div class='card retrieved'><div class='card-head'><span class='n'>{rank}.</span> "
            f"<span class='title'>{esc(p.chunk.title)}</span></div>"
            f"<div class='passage'>{with_breaks(p.text)}</div></div>")


def panel(turns: Sequence[Turn], pending: tuple[int, str, Sequence[Passage]] | None = None) -> str:
    """The side panel of a chat: the newest turn open, earlier ones folded. ``pending`` is the turn being
    answered (number, question, retrieved passages)."""
    blocks = []
    if pending is not None:
        number, question, passages = pending
        cards = "".join(passage_card(p, i) for i, p in enumerate(passages, 1)) or "<p>No passage found.</p>"
        blocks.append(f"<details open class='turn' data-turn='{number}' data-state='retrieved'><summary>"
                      f"{esc(question)} — {len(passages)} passages retrieved</summary>{cards}</details>")
    for k, turn in enumerate(reversed(turns)):
        opened = " open" if k == 0 and pending is None else ""
        cards = "".join(citation_card(c, f"p{turn.number}") for c in turn.answer.citations)
        cards = cards or "<p class='none'>Nothing cited.</p>"
        blocks.append(f"<details{opened} class='turn' data-turn='{turn.number}' data-state='cited'><summary>"
                      f"{esc(turn.question)}</summary>{cards}</details>")
    return "".join(blocks) or "<p class='empty'>Cited passages appear here.</p>"


def summary_html(summary: Summary, bullets: bool) -> str:
    notice = f"<p class='notice'>{esc(summary.notice)}</p>" if summary.notice else ""
    return (f"<div class='summary'>{cited_sentences(summary.sentences, 's', bullets)}</div>{notice}"
            f"<p class='meta'>{meta_line(summary.backend, summary.model, summary.timings, summary.cached)}</p>")


def summary_cards(summary: Summary) -> str:
    return "".join(citation_card(c, "s") for c in summary.citations) or "<p class='none'>Nothing cited.</p>"


def article_html(article: ArticleText, spans: Sequence[tuple[int, int]]) -> str:
    """The whole article with the cited spans marked (the first ``id="cited-span"``, scrolled into view)."""
    size = len(article.text)
    clipped = [(max(0, min(a, size)), max(0, min(b, size))) for a, b in spans]
    marks = [Span(a, b, article.text[a:b]) for a, b in clipped if a < b]
    byline = " · ".join(esc(x) for x in (article.published, article.author) if x)
    body = marked(article.text, 0, marks, "cited-span")
    return (f"<div class='article' data-source='{esc(article.source_id)}'><h2>{esc(article.title)}</h2>"
            f"<p class='meta'>{byline}</p><div class='article-body'>{body}</div></div>")


def library_table(infos: Sequence[SourceInfo]) -> str:
    if not infos:
        return "<p class='empty'>No articles yet: drop files above or add a URL.</p>"
    rows = "".join(
        f"<tr data-source='{esc(s.source_id)}'><td class='title'>{esc(s.title)}"
        f"<div class='about' title='characters {s.about_start}-{s.about_end} of the article'>{esc(s.about)}</div>"
        f"</td><td>{esc(s.published)}</td>"
        f"<td>{esc(s.author)}</td><td class='num'>{s.chunks}</td><td class='id'>{esc(s.source_id)}</td></tr>"
        for s in infos
    )
    return ("<table class='library'><thead><tr><th>Title</th><th>Published</th><th>Byline</th><th>Chunks</th>"
            f"<th>Id</th></tr></thead><tbody>{rows}</tbody></table>")


def choice(s: SourceInfo) -> tuple[str, str]:
    """A dropdown entry: what the user reads (escaped by the dropdown itself), and the id it stands for."""
    return (f"{s.title[:80]} ({s.source_id[:8]})", s.source_id)


DONE_STATES = frozenset({"added", "replaced", "unchanged", "duplicate", "skipped", "failed"})


@dataclass
class FileLine:
    """One file's line in the upload log."""

    name: str
    state: str = "queued"  # queued, reading, embedding, added, replaced, unchanged, duplicate, skipped, failed
    detail: str = ""


def ingest_log(lines: Sequence[FileLine], finished: bool = False) -> str:
    """A line per file, newest batch first; ``data-done`` turns true once the batch and the list are done."""
    if not lines:
        return ""
    items = "".join(f"<li class='file {esc(x.state)}' data-state='{esc(x.state)}'><span class='name'>{esc(x.name)}"
                    f"</span> <span class='state'>{esc(x.state)}</span> "
                    f"<span class='detail'>{esc(x.detail)}</span></li>" for x in lines)
    return f"<ul class='ingest-log' data-done='{str(finished).lower()}'>{items}</ul>"


def result_line(result: IngestResult) -> FileLine:
    detail = result.message if result.failed else (
        f"{result.chunks} chunks · {result.title}" + (f" ({result.message})" if result.message else ""))
    return FileLine(result.target, result.status, detail)


def status(state: str, turn: int, text: str) -> str:
    """The element tests (and screen readers) watch: ``data-state`` is done when a stream has finished."""
    return f"<span class='status' data-state='{esc(state)}' data-turn='{turn}' role='status'>{esc(text)}</span>"


def speaker_choice(name: str, statements: int, articles: int) -> tuple[str, str]:
    return (f"{name[:60]} — {statements} statement{'s' if statements != 1 else ''}, {articles} "
            f"article{'s' if articles != 1 else ''}", name)


def statement_timeline(statements: Sequence[Statement], texts: dict[str, str]) -> str:
    """A speaker's statements oldest first, grouped by article and date: each the sentence it is in, the
    statement's own words highlighted, and a button opening the article there."""
    if not statements:
        return "<p class='empty'>No statements found.</p>"
    blocks: list[str] = []
    current = None
    for k, st in enumerate(statements, 1):
        if (st.source_id, st.published) != current:
            current = (st.source_id, st.published)
            blocks.append(f"<h3 class='when'>{esc(st.published or 'undated')} · {esc(st.title)}</h3>")
        text = texts.get(st.source_id, "")
        sentence = text[st.sentence_start : st.sentence_end] if text else st.content
        said = [Span(a, b, text[a:b]) for a, b in st.spans]  # the quoted parts, not the attribution between
        body = marked(sentence, st.sentence_start, said) if text else esc(sentence)
        blocks.append(
            f"<div class='card statement {esc(st.kind)}' id='q-{k}'><div class='card-head'>{esc(st.speaker)} "
            f"<span class='meta'>({esc(st.mention)}, {esc(st.cue)}; {esc(st.kind)})</span></div>"
            f"<div class='passage'>{body}</div><button class='open-article' data-source='{esc(st.source_id)}' "
            f"data-spans='{_where(st.spans)}'>Open the article at this statement</button></div>")
    return "".join(blocks)
