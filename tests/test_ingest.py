"""Ingest against a real on-disk Chroma: formats, idempotency, replacement, bad input, recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.load import LoadError, load
from bot.store import Store
from tests.conftest import SEED, add

PARAGRAPH = "The council approved the new budget on Tuesday after a long debate about schools and roads. "


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_ingests_with_offsets_and_metadata(store: Store) -> None:
    [result] = add(store, [str(SEED)])
    assert result.status == "added" and result.chunks >= 3
    article = SEED.read_text(encoding="utf-8").strip()
    chunks = store.all_chunks()
    assert len(chunks) == result.chunks
    for c in chunks:
        assert article[c.start : c.end] == c.text
        assert c.source_id == result.source_id and c.location == str(SEED.resolve())
        assert c.title.startswith("US President Donald Trump spoke to reporters")  # first sentence, not file name
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert any("Rjabkow" in c.text for c in chunks)


def test_reingest_is_idempotent_and_embeds_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    add(store, [str(SEED)])
    before = store.count()
    calls: list[int] = []
    original = store.embedder.__call__
    monkeypatch.setattr(
        type(store.embedder), "__call__", lambda self, texts: calls.append(len(texts)) or original(texts)
    )
    [again] = add(store, [str(SEED)])
    assert again.status == "unchanged"
    assert store.count() == before and calls == []


def test_changed_article_replaces_old_chunks(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "Budget vote\n\n" + PARAGRAPH * 20)
    [first] = add(store, [str(path)])
    write(path, "Budget vote\n\n" + PARAGRAPH.replace("Tuesday", "Friday") * 3)
    [second] = add(store, [str(path)])
    assert second.status == "replaced" and second.source_id != first.source_id
    assert [s.source_id for s in store.list_sources()] == [second.source_id]
    assert {c.source_id for c in store.all_chunks()} == {second.source_id}
    assert all("Tuesday" not in c.text for c in store.all_chunks())


def test_html_keeps_main_text_only(store: Store, tmp_path: Path) -> None:
    html = f"""<html><head><title>Budget vote</title><meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2024-03-05"></head><body>
    <nav><a href="/">Home</a> | <a href="/sport">Sport</a> | Subscribe now</nav>
    <article><h1>Budget vote</h1><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p></article>
    <script>var tracking = "SECRET_SCRIPT";</script><footer>Cookie settings</footer></body></html>"""
    [r] = add(store, [str(write(tmp_path / "page.html", html))])
    assert r.status == "added", r.message
    text = " ".join(c.text for c in store.all_chunks())
    assert "council approved" in text
    assert "SECRET_SCRIPT" not in text and "Subscribe now" not in text and "Cookie" not in text
    chunk = store.all_chunks()[0]
    assert chunk.title == "Budget vote" and chunk.author == "Jane Roe" and chunk.published == "2024-03-05"


def test_pdf_and_markdown(store: Store, tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "report.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawString(72, 800, "The harbour reopened on Monday after the storm.")
    c.showPage()
    c.drawString(72, 800, "Ferries resumed their normal timetable.")
    c.save()
    md = write(tmp_path / "notes.md", "# Harbour news\n\nThe harbour master said repairs cost 2 million.")
    results = add(store, [str(pdf), str(md)])
    assert [r.status for r in results] == ["added", "added"]
    text = " ".join(c.text for c in store.all_chunks())
    assert "harbour reopened" in text and "Ferries resumed" in text and "repairs cost" in text
    assert {s.title for s in store.list_sources()} >= {"Harbour news"}


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(("Le ministre a déclaré que la réunion aura lieu à Genève. " * 10).encode("cp1252"))
    article = load(str(path), max_bytes=10**6)
    assert "déclaré" in article.text and "Genève" in article.text


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("binary.txt", bytes(range(256)) * 50, "binary"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "unreadable PDF"),
        ("scripts.html", b"<html><script>var a=1;</script></html>", "no article text"),
    ],
)
def test_bad_input_gets_one_clear_line(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=expected):
        load(str(path), max_bytes=10**6)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (2 * 10**6))  # 10 MB
    with pytest.raises(LoadError, match=r"10\.0 MB is over the 1\.0 MB limit.*BOT_MAX_FILE_MB"):
        load(str(path), max_bytes=10**6)


def test_offline_url_is_a_clear_error() -> None:
    with pytest.raises(LoadError, match="cannot fetch"):
        load("http://127.0.0.1:9/story.html", max_bytes=10**6, timeout=2)


def test_cli_mixed_batch_reports_each_failure_and_exits_nonzero(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", PARAGRAPH * 5)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(main, ["ingest", str(good), str(tmp_path / "empty.txt"), str(tmp_path / "bin.txt")])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.output
    assert "bin.txt: looks like a binary file" in result.output
    assert "1 ingested" in result.output and "2 failed" in result.output
    listing = CliRunner().invoke(main, ["sources", "--json"])
    sources = json.loads(listing.output)["sources"]
    assert len(sources) == 1 and sources[0]["location"] == str(good.resolve())


def test_directory_walk_skips_other_files(store: Store, tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    write(tmp_path / "docs" / "a.txt", PARAGRAPH * 3)
    write(tmp_path / "docs" / "sub" / "b.md", "# B\n\n" + PARAGRAPH.replace("budget", "bridge") * 3)
    (tmp_path / "docs" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    results = add(store, [str(tmp_path / "docs")])
    assert sorted(r.status for r in results) == ["added", "added", "skipped"]


def test_sources_remove(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(SEED)])
    [src] = json.loads(runner.invoke(main, ["sources", "--json"]).output)["sources"]
    assert runner.invoke(main, ["sources", "remove", src["source_id"]]).exit_code == 0
    assert json.loads(runner.invoke(main, ["sources", "--json"]).output)["sources"] == []
    missing = runner.invoke(main, ["sources", "remove", "nope"])
    assert missing.exit_code == 1 and "not indexed: nope" in missing.output


def test_interrupted_ingest_leaves_no_orphans(store: Store, tmp_path: Path) -> None:
    """A kill after chunks were written but before the source record: the next ingest cleans up."""
    from bot.chunk import split_article

    article = load(str(write(tmp_path / "a.txt", PARAGRAPH * 10)), max_bytes=10**6)
    chunks = split_article(article, 200)
    store.chunks.add(ids=[c.chunk_id for c in chunks], documents=[c.text for c in chunks],
                     metadatas=[c.metadata() for c in chunks])  # type: ignore[misc]
    assert store.count() == len(chunks) and store.list_sources() == []
    add(store, [str(SEED)])
    assert {c.source_id for c in store.all_chunks()} == {s.source_id for s in store.list_sources()}


def test_collection_reopens_in_new_process(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    add(Store(settings), [str(SEED)])
    code = (
        "import chromadb; from chromadb.config import Settings as S;"
        f"c = chromadb.PersistentClient(path={str(settings.index_dir)!r}, settings=S(anonymized_telemetry=False));"
        "col = c.get_collection('articles');"  # no embedding function passed: it must come from the registry
        "print(col.query(query_texts=['Rjabkow embassies'], n_results=1)['documents'][0][0][:120])"
    )
    out = subprocess.run([sys.executable, "-c", "import bot.embed;" + code], capture_output=True, text=True, check=True)
    assert "Rjabkow" in out.stdout


def test_chroma_server_backend(chroma_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import load_settings

    settings = load_settings(chroma_url=chroma_server, collection=f"t{tmp_path.name[-8:]}".replace("-", ""))
    store = Store(settings)
    [r] = add(store, [str(SEED)])
    assert r.status == "added"
    again = Store(settings)  # a second client sees the same data
    assert [s.source_id for s in again.list_sources()] == [r.source_id]
    vec = again.embedder(["Rjabkow embassies telephone conversation"])[0]
    assert "Rjabkow" in again.query(vec, 1)[0][0].text
    [r2] = add(again, [str(SEED)])
    assert r2.status == "unchanged"


def test_bad_chroma_url_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_CHROMA_URL", f"http://127.0.0.1:{_closed_port()}")
    result = CliRunner().invoke(main, ["sources"])
    assert result.exit_code == 1 and "cannot reach the Chroma server" in result.output


def _closed_port() -> int:
    from tests.conftest import free_port

    return free_port()


def test_same_text_twice_in_one_batch_is_stored_once(store: Store, tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", PARAGRAPH * 4)
    b = write(tmp_path / "b.txt", PARAGRAPH * 4)
    results = add(store, [str(a), str(b)])
    assert [r.status for r in results] == ["added", "duplicate"]
    assert len(store.list_sources()) == 1 and store.count() == results[0].chunks


def test_url_ingest_from_a_real_http_server(store: Store, tmp_path: Path) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    page = tmp_path / "site" / "story.html"
    page.parent.mkdir()
    page.write_text(f"<html><head><title>Harbour reopens</title></head><body><nav>Menu</nav><article>"
                    f"<p>{PARAGRAPH * 3}</p></article></body></html>", encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(page.parent))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/story.html"
        missing = url.replace("story", "gone")
        results = add(store, [url, missing])
    finally:
        server.shutdown()
    assert results[0].status == "added" and results[0].title == "Harbour reopens"
    assert results[1].failed and "HTTP 404" in results[1].message
    assert store.all_chunks()[0].location == url
