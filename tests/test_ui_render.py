"""The browser's HTML, built from records without a browser: escaping, marks at offsets, link numbering."""

from __future__ import annotations

from bot.records import Answer, ArticleText, Chunk, Citation, CitedText, Passage, SourceInfo, Span
from bot.ui import render

HOSTILE = '<img src=http://evil/x.png onerror=alert(1)> <script>alert(2)</script> "q" \u202eevil'
ARTICLE = "First sentence here. The minister said the port reopens on Monday. Last one."


def citation(n: int, spans: list[Span]) -> Citation:
    return Citation(n, "c", "s1", HOSTILE, ARTICLE, "loc", spans[0].start, spans[-1].end,
                    ARTICLE[spans[0].start : spans[-1].end], 0, len(ARTICLE), "", spans)


def span(text: str) -> Span:
    start = ARTICLE.index(text)
    return Span(start, start + len(text), text)


def test_article_text_never_becomes_markup() -> None:
    out = render.esc(HOSTILE)
    assert "<" not in out and ">" not in out and '"' not in out and "\u202e" not in out
    assert "&lt;img src=http://evil/x.png onerror=alert(1)&gt;" in out
    table = render.library_table([SourceInfo("s1", HOSTILE, "loc", 3, "h", "t", HOSTILE, HOSTILE)])
    assert "<img" not in table and "<script" not in table
    log = render.ingest_log([render.FileLine(HOSTILE, "failed", HOSTILE)])
    assert "<img" not in log and "<script" not in log


def test_marks_sit_at_the_offsets() -> None:
    said = span("The minister said the port reopens on Monday.")
    card = render.citation_card(citation(1, [said]), "p1")
    assert "<mark>The minister said the port reopens on Monday.</mark>" in card
    assert card.count("<mark") == 1 and "id='p1-1'" in card
    assert f"data-spans='{said.start}-{said.end}'" in card
    assert "<img" not in card  # the hostile title is escaped


def test_the_article_view_marks_every_span_and_names_the_first() -> None:
    first, last = span("First sentence here."), span("Last one.")
    view = render.article_html(ArticleText("s1", HOSTILE, "loc", "", "", ARTICLE), [(last.start, last.end),
                                                                                     (first.start, first.end)])
    assert view.index('<mark id="cited-span">First sentence here.</mark>') < view.index("<mark>Last one.</mark>")
    assert "<script" not in view


def test_each_turn_links_to_its_own_cards() -> None:
    chunk = Chunk("c", "s1", "T", "loc", 0, 0, len(ARTICLE), ARTICLE)
    said = span("The minister said the port reopens on Monday.")
    answer = Answer("q", "The minister said the port reopens on Monday [1].", [citation(1, [said])], "local", False,
                    passages=[Passage(chunk, 1.0)], sentences=[CitedText(said.quote, (1,), (said,))])
    turn = render.Turn(2, "When does the port <b>reopen</b>?", answer)
    message = render.answer_message(turn)
    assert '<a href="#p2-1" class="cite" data-cite="p2-1">[1]</a>.' in message
    side = render.panel([turn], pending=(3, "next?", [Passage(chunk, 1.0)]))
    assert side.index("data-turn='3'") < side.index("data-turn='2'")  # the new turn first, the old one folded
    assert "<details open class='turn' data-turn='3'" in side and "<details class='turn' data-turn='2'" in side
    assert "&lt;b&gt;reopen&lt;/b&gt;" in side
