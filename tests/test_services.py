"""The services' data contract, as the UI will read it: citations with article offsets that round-trip,
the library service (uploads, events), one context, one error shape, no shared per-request state."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import library
from bot.answer import Answer, Retrieved, ask, ask_stream
from bot.chunk import split_article
from bot.citations import verify
from bot.cli import main
from bot.context import Context
from bot.errors import NotIndexedError, QuestionError, UserError
from bot.ingest import Embedded, IngestEvent, IngestResult, Read
from bot.llm import LLM, Extractive, Usage, open_llm, open_local
from bot.load import content_id
from bot.records import Article, Passage, Summary
from bot.retrieve import search
from bot.settings import load_settings
from bot.store import Store
from bot.summarize import summarize
from bot.words import STOPWORDS, content_words, terms
from tests.conftest import BUDGET, SEED, add, ctx
from tests.fake_openai import fake_openai


@pytest.fixture
def seeded(store: Store) -> Store:
    add(store, [str(SEED)])
    return store


def assert_offsets(result: Answer | Summary, store: Store) -> None:
    """What a UI relies on: every citation's passage and quote are the article's own text at their offsets,
    the quote lies inside the passage, every sentence's numbers point at citations, and its spans are the
    article's text too."""
    assert result.citations, "nothing was cited"
    by_n = {c.n: c for c in result.citations}
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    for c in result.citations:
        text = library.show(Context(load_settings(), store=store), c.source_id).text
        assert text[c.start : c.end] == c.quote and c.quote
        assert text[c.passage_start : c.passage_end] == c.text
        assert c.passage_start <= c.start < c.end <= c.passage_end
        assert c.quote in c.text
        for span in c.spans:
            assert text[span.start : span.end] == span.quote
    cited: set[int] = set()
    for sentence in result.sentences:
        if isinstance(result, Answer) and result.refused and not sentence.citations:
            # a refusal's own words ("The articles do not give the reason asked for ...") cite nothing
            assert not sentence.spans and not re.search(r"\[\d+\]", sentence.text)
            continue
        assert len(sentence.citations) == len(sentence.spans) > 0
        for n, span in zip(sentence.citations, sentence.spans, strict=True):
            c = by_n[n]
            assert c.start <= span.start < span.end <= c.end  # the citation's span covers its sentences'
            assert span in c.spans
            cited.add(n)
    assert cited == set(by_n)
    body = result.answer if isinstance(result, Answer) else result.summary
    assert [s.text[:20] in body for s in result.sentences]


def test_extractive_answer_offsets_round_trip(seeded: Store) -> None:
    answer = ask(ctx(seeded), "what did Ryabkov say?")
    assert not answer.refused and "Rjabkow" in answer.citations[0].quote
    assert_offsets(answer, seeded)
    # The quote is the supporting sentence, not the whole widened passage.
    assert len(answer.citations[0].quote) < len(answer.citations[0].text)


def test_model_answer_through_an_endpoint_offsets_round_trip(seeded: Store) -> None:
    with fake_openai() as server:
        llm = open_llm(load_settings(llm="openai", openai_base_url=server.url, openai_api_key="k",
                                     chat_model="quote", llm_retries=0))
        answer = ask(ctx(seeded, llm), "Why is no telephone conversation between the two presidents planned?")
    assert answer.backend == "openai" and not answer.notice, answer.notice  # the model's own answer passed
    assert answer.usage["completion_tokens"] > 3
    assert_offsets(answer, seeded)
    [sentence] = answer.sentences
    assert sentence.spans[0].quote.endswith(sentence.text.split()[-1])


@pytest.mark.slow
def test_local_model_answer_offsets_round_trip(seeded: Store, local_llm: LLM) -> None:
    answer = ask(ctx(seeded, local_llm), "Why is no telephone conversation between the two presidents planned?")
    assert answer.backend == "local" and answer.usage["total_s"] > 0
    assert_offsets(answer, seeded)


def test_answer_json_has_sentences_and_spans(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LLM", "extractive")
    out = CliRunner().invoke(main, ["ask", "who is the Ukraine envoy?", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    [sentence] = data["sentences"]
    assert sentence["citations"] == [1] and sentence["spans"][0]["n"] == 1
    citation = data["citations"][0]
    assert {"n", "chunk_id", "source_id", "title", "text", "start", "end", "quote", "passage_start",
            "passage_end"} <= set(citation)
    shown = CliRunner().invoke(main, ["sources", "show", citation["source_id"], "--json"])
    article = json.loads(shown.output)
    assert set(article) == {"source_id", "title", "location", "published", "author", "text"}
    assert article["text"][citation["start"] : citation["end"]] == citation["quote"]
    assert "Kellogg" in citation["quote"]


def test_refusal_is_one_uncited_sentence(seeded: Store) -> None:
    answer = ask(ctx(seeded), "what did Zelensky say?")
    assert answer.refused and answer.citations == []
    assert [(s.text, s.citations) for s in answer.sentences] == [("The articles do not say.", ())]


def test_summary_offsets_round_trip_over_several_articles(seeded: Store, tmp_path: Path) -> None:
    (tmp_path / "budget.txt").write_text(BUDGET, encoding="utf-8")
    add(seeded, [str(tmp_path / "budget.txt")])
    summary = summarize(ctx(seeded), sentences=4)
    assert {c.source_id for c in summary.citations} == {s.source_id for s in seeded.list_sources()}
    assert_offsets(summary, seeded)
    again = summarize(ctx(seeded), sentences=4)  # from the cache: the same records
    assert again.cached and again.sentences == summary.sentences and again.citations == summary.citations


def test_topic_summary_quotes_are_inside_widened_passages(seeded: Store) -> None:
    summary = summarize(ctx(seeded), topic="the envoy's deadline", sentences=2, style="bullets")
    assert_offsets(summary, seeded)


@pytest.mark.slow
def test_local_model_summary_offsets_round_trip(seeded: Store, local_llm: LLM) -> None:
    summary = summarize(ctx(seeded, local_llm), sentences=2)
    assert summary.backend == "local"
    assert_offsets(summary, seeded)


def test_widened_passages_are_the_articles_own_text(seeded: Store) -> None:
    text = seeded.article_text(seeded.list_sources()[0].source_id)
    for query in ("what did Ryabkov say?", "sanctions", "Kellogg 100 days", "embassies"):
        for p in search(seeded, query, k=3):
            assert text[p.start : p.end] == p.text and p.chunk.text in p.text


def test_articles_indexed_before_records_held_text_keep_their_offsets(seeded: Store) -> None:
    [info] = seeded.list_sources()
    got = seeded.sources.get(ids=[info.source_id], include=["metadatas"])
    meta = dict(got["metadatas"][0])  # type: ignore[index]
    meta["chars"] = None  # an update merges metadata; None deletes the key
    seeded.sources.update(ids=[info.source_id], documents=[info.title], metadatas=[meta],
                          embeddings=np.zeros((1, 1), dtype=np.float32))
    rebuilt = Store(load_settings()).article_text(info.source_id)
    for chunk in seeded.all_chunks():
        assert rebuilt[chunk.start : chunk.end] == chunk.text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
    "the council mayor budget schools roads voted approved million Tuesday Varga said 40 2024 finance plan "
    "repairs taxes rise hearing April Rjabkow Kiev".split()), min_size=3, max_size=14), min_size=2, max_size=12),
    st.data())
def test_verified_spans_always_round_trip(sentences: list[list[str]], data: st.DataObject) -> None:
    text = "\n\n".join(" ".join(words).capitalize() + "." for words in sentences)
    article = Article(content_id(text), "mem", "t", text, "h")
    passages = [Passage(c, 1.0) for c in split_article(article, 120)]
    claims = [" ".join(data.draw(st.sampled_from(sentences))) + "." for _ in range(3)]
    verified = verify(" ".join(claims), passages, None)
    for c in verified.citations:
        assert text[c.start : c.end] == c.quote and text[c.passage_start : c.passage_end] == c.text
    for record in verified.records:
        for span in record.spans:
            assert text[span.start : span.end] == span.quote


def test_uploads_are_idempotent_and_never_a_path(store: Store) -> None:
    context = ctx(store)
    events: list[IngestEvent] = []
    [first] = library.add_uploads(context, [("../../etc/budget.txt", BUDGET.encode())], events.append)
    assert first.status == "added" and any(isinstance(e, Embedded) for e in events)
    assert store.get_source(first.source_id).location == "upload:budget.txt"  # type: ignore[union-attr]
    events.clear()
    [again] = library.add_uploads(context, [("budget.txt", BUDGET.encode())], events.append)
    [renamed] = library.add_uploads(context, [("other-name.txt", BUDGET.encode())], events.append)
    assert (again.status, renamed.status) == ("unchanged", "duplicate")
    assert not any(isinstance(e, Embedded) for e in events)  # nothing embedded again
    assert len(library.articles(context)) == 1


def test_an_upload_is_typed_by_content(store: Store) -> None:
    [bad] = library.add_uploads(ctx(store), [("story.pdf", b"just some text, not a PDF at all " * 5)])
    assert bad.failed and "not start like a PDF" in bad.message
    [html] = library.add_uploads(ctx(store), [("page", b"<html><body><article><p>" + BUDGET.encode() +
                                                 b"</p></article></body></html>")])
    assert html.status == "added" and "Varga" in library.show(ctx(store), html.source_id).text


def test_library_reports_progress_as_events_not_bars(store: Store, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(BUDGET.replace("Varga", name[0].upper() + "varga"), encoding="utf-8")
    events: list[IngestEvent] = []
    results = library.add(ctx(store), [str(folder)], events.append)
    reads = [e for e in events if isinstance(e, Read)]
    embeds = [e for e in events if isinstance(e, Embedded)]
    assert [(r.done, r.total) for r in reads] == [(1, 2), (2, 2)]
    assert embeds and embeds[-1].done == embeds[-1].total == sum(r.chunks for r in results)
    assert [e for e in events if isinstance(e, IngestResult)] == results
    assert capsys.readouterr() == ("", "")  # the service draws nothing


def test_library_show_and_remove_unknown_ids(store: Store) -> None:
    with pytest.raises(NotIndexedError, match="not indexed: nope"):
        library.show(ctx(store), "nope")
    with pytest.raises(NotIndexedError) as err:
        library.remove(ctx(store), ["nope", "gone"])
    assert err.value.source_ids == ["nope", "gone"]


def test_html_date_and_byline_are_on_the_article_record(store: Store, tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Harbour reopens</title><meta name='author' content='Jane Doe'>"
        "<meta property='article:published_time' content='2025-02-17'></head><body><article><p>"
        + "The harbour reopened on Monday after repairs to the sea wall were finished early. " * 4
        + "</p></article></body></html>", encoding="utf-8")
    [r] = add(store, [str(page)])
    [info] = library.articles(ctx(store))
    assert (info.published, info.author) == ("2025-02-17", "Jane Doe")
    shown = library.show(ctx(store), r.source_id)
    assert (shown.title, shown.published, shown.author) == ("Harbour reopens", "2025-02-17", "Jane Doe")


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("BOT_CHUNK_SIZE", "abc", "BOT_CHUNK_SIZE='abc': Input should be a valid integer"),
    ("BOT_LLM", "gpt5", "BOT_LLM='gpt5': Input should be 'auto', 'local', 'openai' or 'extractive'"),
    ("BOT_CHUNK_OVERLAP", "900", "BOT_CHUNK_OVERLAP='900': chunk overlap (900) must be smaller than chunk size (700)"),
])
def test_a_bad_setting_is_one_line(monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str) -> None:
    monkeypatch.setenv(name, value)
    for command in (["sources"], ["ask", "hello?"], ["config"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0] and f"fix or unset {name}" in lines[0], result.output


def test_user_errors_are_one_line_with_their_fix(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LLM", "extractive")
    cases = {("ask", " "): "the question is empty: ask something",
             ("ask", "who?", "--source", "nope"): "not indexed: nope: see `bot sources`",
             ("sources", "show", "nope"): "not indexed: nope",
             ("search", ""): "the query is empty: say what to look for"}
    for args, expected in cases.items():
        result = CliRunner().invoke(main, list(args))
        lines = result.output.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and expected in lines[0], (args, result.output)
    with pytest.raises(QuestionError) as err:
        ask(ctx(seeded), "")
    assert isinstance(err.value, UserError) and err.value.fix  # the fix is data, not parsed from text


def test_one_vocabulary_for_bm25_and_citations() -> None:
    assert "said" in STOPWORDS and "won" not in STOPWORDS
    assert terms("Ryabkov said the elections were won") == ["ryabkov", "elect", "won"]
    assert content_words("Ryabkov said the elections were won") == ["ryabkov", "elections", "won"]
    from bot.citations import word_match

    assert word_match("elections", "elected") and word_match("ryabkov", "rjabkow")
    assert not word_match("austria", "australia")


def test_concurrent_questions_keep_their_own_results(seeded: Store) -> None:
    context = ctx(seeded)
    questions = ["what did Ryabkov say?", "who is the Ukraine envoy?", "what did Trump threaten?"] * 2
    answers: dict[int, Answer] = {}

    def run(i: int) -> None:
        events = list(ask_stream(context, questions[i]))
        assert isinstance(events[0], Retrieved)
        answers[i] = events[-1]  # type: ignore[assignment]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [answers[i].question for i in range(len(questions))] == questions
    assert len({id(a.timings) for a in answers.values()}) == len(questions)
    for i in range(3):  # the same question asked twice at once got the same answer
        assert answers[i].answer == answers[i + 3].answer


@pytest.mark.slow
def test_two_threads_streaming_get_their_own_usage(local_llm: LLM) -> None:
    results: dict[int, tuple[list[str], Usage]] = {}

    def run(n: int) -> None:
        usage = Usage()
        deltas = list(local_llm.stream([{"role": "user", "content": "Count from one to twenty."}], max_tokens=n,
                                       usage=usage))
        results[n] = (deltas, usage)

    threads = [threading.Thread(target=run, args=(n,)) for n in (3, 14)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n, (deltas, usage) in results.items():
        assert usage.completion_tokens == len(deltas) <= n
    assert results[3][1].completion_tokens != results[14][1].completion_tokens


@pytest.mark.slow
def test_a_dead_local_server_is_restarted_once_for_concurrent_requests() -> None:
    # Its own server (another context size), so the session's shared server is left alone.
    llm = open_local(load_settings(llm="local", local_model="smollm135m", llm_ctx=1024, llm_retries=0))
    first = llm._server.pid
    llm._server.proc.kill()
    llm._server.proc.wait()
    errors: list[BaseException] = []
    pids: list[int] = []

    def run() -> None:
        try:
            "".join(llm.stream([{"role": "user", "content": "Say hi."}], max_tokens=2))
            pids.append(llm._server.pid)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(pids)) == 1 and pids[0] != first
    llm._server.stop()


def test_the_context_opens_the_model_once(store: Store) -> None:
    context = Context(load_settings(llm="extractive"), store=store)
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(context.model)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(m) for m in seen}) == 1 and isinstance(seen[0], Extractive)
