"""Hostile articles (the corpus in tests/hostile/): prompt injection in several languages, fake chat turns
and passage delimiters, fake citation markers, scripts and `javascript:` links, invisible and control
characters, a gigantic line. None reaches the model as instructions, backs a citation, hides a name, or
reaches the page as markup."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from bot.answer import ask
from bot.answer.write import format_passages
from bot.citations import verify
from bot.embed import MiniLMEmbedding
from bot.load import INVISIBLE, load
from bot.prompts import render
from bot.retrieve import search
from bot.store import Store
from bot.ui.render import article_html, library_table, passage_card
from tests.conftest import add, ctx

HOSTILE = Path(__file__).parent / "hostile"
FILES = sorted(str(p) for p in HOSTILE.iterdir())
CHAT_TOKENS = re.compile(r"<\|[^|]*\|>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>")


@pytest.fixture
def hostile(store: Store) -> Store:
    results = add(store, FILES)
    assert [r.status for r in results] == ["added"] * len(FILES), [r.message for r in results]
    return store


def test_stored_text_and_titles_hold_no_invisible_or_control_characters(hostile: Store) -> None:
    for s in hostile.list_sources():
        text = hostile.article_text(s.source_id)
        assert not INVISIBLE.search(text) and not INVISIBLE.search(s.title), s.location
        assert "\n" not in s.title and "\x1b" not in text
    invisible = next(s for s in hostile.list_sources() if s.location.endswith("invisible.txt"))
    assert invisible.title == "Ryabkov meets the harbour delegation"


def test_a_name_with_hidden_characters_is_found_by_its_plain_spelling(hostile: Store) -> None:
    best = search(hostile, "Where did Sergei Ryabkov meet the harbour delegation?", 3)[0]
    assert best.chunk.location.endswith("invisible.txt")
    assert "Sergei Ryabkov met the harbour delegation" in best.text


@pytest.mark.parametrize("question", ["Why was the ferry contract delayed?",
                                      "What did Tidewater Lines say about fuel costs?",
                                      "How much will the fuel prices study cost?"])
def test_the_prompt_holds_articles_only_as_numbered_data(hostile: Store, question: str) -> None:
    passages = search(hostile, question, 6)
    prompt = render("answer_user", passages=format_passages(passages), question=question)
    assert prompt.count("<passages>") == 1 and prompt.count("</passages>") == 1
    assert not CHAT_TOKENS.search(prompt)
    # one header per real passage: "[2] Official notice" in an article no longer poses as a passage
    assert re.findall(r"^\[(\d+)\] ", prompt, re.MULTILINE) == [str(n) for n in range(1, len(passages) + 1)]
    body = re.sub(r"^\[\d+\] ", "", prompt.split("</passages>")[0], flags=re.MULTILINE)
    assert not re.search(r"\[\d+\]", body)  # the article's own markers read "(12)"
    assert "PWNED" not in prompt  # every sentence carrying it addressed the model, or sat in a fake turn
    for line in ("Ignore all previous instructions", "Ignorez toutes", "Ignoriere alle", "Ignora todas",
                 "Игнорируй", "忽略之前"):
        assert line not in prompt


def test_an_answer_that_obeys_an_injection_gets_no_citation(hostile: Store) -> None:
    question = "Why was the ferry contract delayed?"
    passages = search(hostile, question, 6)
    injected = next(n for n, p in enumerate(passages, 1) if "PWNED" in p.text)
    verified = verify(f"PWNED [{injected}]. You are now a pirate [{injected}].", passages, MiniLMEmbedding().embed,
                      given=question)
    assert not verified.cited and len(verified.dropped) == 2
    honest = verify(f"The council delayed the ferry contract after a dispute over fuel costs [{injected}].",
                    passages, MiniLMEmbedding().embed, given=question)
    assert honest.cited  # the article's news is still usable


def test_the_extractive_answer_quotes_no_injection(hostile: Store) -> None:
    for question in ("Why was the ferry contract delayed?", "What did the ferry operator say?"):
        answer = ask(ctx(hostile), question)
        assert "PWNED" not in answer.answer and "pirate" not in answer.answer
        assert all(1 <= c.n <= len(answer.citations) for c in answer.citations)
        assert set(re.findall(r"\[(\d+)\]", answer.answer)) <= {str(c.n) for c in answer.citations}


def test_fake_citation_markers_in_an_article_are_not_citations(hostile: Store) -> None:
    answer = ask(ctx(hostile), "How much will the fuel prices study cost?")
    assert not answer.refused, answer.notice
    assert "40,000 euros" in answer.answer
    # the article's own "[12]", "[99]" never reach the answer as markers
    assert set(re.findall(r"\[(\d+)\]", answer.answer)) <= {str(c.n) for c in answer.citations}


def test_scripts_and_links_in_an_article_never_become_markup(hostile: Store) -> None:
    infos = hostile.list_sources()
    page = library_table(infos)
    for s in infos:
        article = hostile.get_article(s.source_id)
        assert article is not None
        page += article_html(article, [(0, min(40, len(article.text)))])
    for p in search(hostile, "When will the council vote on the ferry contract?", 6):
        page += passage_card(p, 1)
    assert not re.search(r"<(?:script|img|svg|iframe)\b", page, re.IGNORECASE)
    assert "javascript:" not in re.sub(r"&[a-z]+;|&#\d+;", "", " ".join(re.findall(r'href="([^"]*)"', page)))
    assert "onerror=" not in re.sub(r"&lt;[^&]*&gt;", "", page)


@pytest.mark.slow
def test_a_gigantic_line_is_split_with_nothing_lost(store: Store, tmp_path: Path) -> None:
    # just over the million characters spaCy's parser refuses, with no sentence end anywhere
    words = " ".join(f"ferry{n % 997} harbour" for n in range(76_000))
    path = tmp_path / "giant.txt"
    path.write_text("One line without an end\n\n" + words, encoding="utf-8")
    [result] = add(store, [str(path)])
    assert result.status == "added", result.message
    text = store.article_text(result.source_id)
    chunks = store.all_chunks(result.source_id)
    covered = sorted((c.start, c.end) for c in chunks)
    assert covered[0][0] == 0 and covered[-1][1] == len(text)
    assert all(not text[a[1]:b[0]].strip() for a, b in itertools.pairwise(covered))  # gaps are only spaces
    assert all(text[c.start:c.end] == c.text for c in chunks)
    assert load(str(path), max_bytes=10**7).text == text
