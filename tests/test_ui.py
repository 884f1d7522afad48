"""The browser UI end to end: a real `bot serve` process (temporary index, the tiny real model) driven by a
real headless Chromium (Debian's, through PyPI's playwright), plus gradio_client for the API.

Screenshots of the main screens are written to docs/screenshots/ for the README.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BUDGET, REPO, SEED, free_port

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO / "docs" / "screenshots"

if not Path(CHROMIUM).exists():  # scripts/test.sh installs it; in CI a missing browser fails, never skips
    if os.environ.get("CI"):
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium): the browser tests need it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


class Pixel(ThreadingHTTPServer):
    """A loopback server an article's images point at: any hit means the page fetched from an article."""

    def __init__(self) -> None:
        self.hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(inner) -> None:  # `inner` is the handler; `self` the server
                self.hits.append(inner.path)
                inner.send_response(204)
                inner.end_headers()

            def log_message(inner, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def start_app(tmp: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    # One model thread: llama.cpp threads spin-wait for each other, which a busy machine turns into long stalls.
    env.update(BOT_INDEX_DIR=str(tmp / "index"), BOT_LLM="local", BOT_LOCAL_MODEL="smollm135m", BOT_LLM_RETRIES="0",
               BOT_LLM_THREADS="1",
               GRADIO_ANALYTICS_ENABLED="False", **(extra_env or {}))
    bot = str(Path(sys.executable).parent / "bot")
    subprocess.run([bot, "ingest", str(SEED)], env=env, check=True, capture_output=True)
    log = open(tmp / "serve.log", "wb")  # noqa: SIM115 - the process owns it
    proc = subprocess.Popen([bot, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((tmp / "serve.log").read_text())
        if "answering at" in (tmp / "serve.log").read_text():
            return proc, url
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("bot serve did not start: " + (tmp / "serve.log").read_text()[-2000:])


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_app(tmp_path_factory.mktemp("ui"))
    yield url
    stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, app: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.goto(app)
    page.wait_for_selector("#question textarea", timeout=30_000)
    yield page
    context.close()


def ask(page: Any, question: str, turn: int) -> None:
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_selector(f"#chat-status [data-state=done][data-turn='{turn}']", timeout=90_000)


def upload(page: Any, paths: list[Path]) -> None:
    page.get_by_role("tab", name="Library").click()
    page.set_input_files("#upload input[type=file]", [str(p) for p in paths])
    before = len(page.query_selector_all("#ingest-log li"))
    names = [p.name for p in paths]
    # The newest batch is listed first: wait until its lines are all finished.
    page.wait_for_function(
        """([names, before]) => { const lis = [...document.querySelectorAll('#ingest-log li')];
             const log = document.querySelector('#ingest-log ul.ingest-log');
             if (lis.length < before + names.length || log.dataset.done !== 'true') return false;
             return lis.slice(0, names.length).every((li, i) => li.querySelector('.name').textContent === names[i] &&
               ['added','replaced','unchanged','duplicate','skipped','failed'].includes(li.dataset.state)); }""",
        arg=[names, before], timeout=60_000)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def in_view(page: Any, selector: str) -> bool:
    return bool(page.evaluate("""sel => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0; }""", selector))


def test_upload_ask_stream_follow_and_open_the_article(page: Any, tmp_path: Path) -> None:
    good = tmp_path / "budget.txt"
    good.write_text(BUDGET, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    upload(page, [good, empty])
    states = {li.query_selector(".name").inner_text(): li.get_attribute("data-state")
              for li in page.query_selector_all("#ingest-log li")}
    assert states == {"budget.txt": "added", "empty.txt": "failed"}
    assert "the file is empty" in page.inner_text("#ingest-log")
    assert "Council approves budget" in page.inner_text("#library")
    shot(page, "library.png")
    upload(page, [good])  # the same text again adds nothing, and the earlier failure line stays visible
    assert page.query_selector_all("#ingest-log li")[0].get_attribute("data-state") == "unchanged"
    assert "the file is empty" in page.inner_text("#ingest-log")
    assert page.inner_text("#library").count("Council approves budget") == 1

    page.get_by_role("tab", name="Chat").click()
    # Record when passages appear and when the answer's text changes, to see the order and the stream.
    page.evaluate("""() => { window.__seen = []; const t0 = performance.now();
        new MutationObserver(() => { if (document.querySelector('#passages [data-state=retrieved]'))
            window.__seen.push(['passages', performance.now() - t0]); })
          .observe(document.querySelector('#passages'), {subtree: true, childList: true});
        new MutationObserver(() => { const d = document.querySelector('#chat .draft');
            if (d && d.textContent.replace('▍', '').trim())
              window.__seen.push(['draft:' + d.textContent, performance.now() - t0]); })
          .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }""")
    ask(page, "Why is no telephone conversation between the two presidents planned?", 1)
    seen = page.evaluate("window.__seen")
    first_passages = min(t for kind, t in seen if kind == "passages")
    drafts = [(k, t) for k, t in seen if k.startswith("draft:")]
    assert drafts and first_passages < drafts[0][1]  # passages on screen before the first token
    assert len({k for k, _ in drafts}) > 1  # the answer streamed in pieces
    answer = page.query_selector("#chat .answer.turn-1")
    links = answer.query_selector_all("a.cite")
    assert links and links[0].inner_text() == "[1]"
    assert "model" in answer.query_selector(".meta").inner_text()  # who answered, and the timings
    assert "total" in answer.query_selector(".meta").inner_text()
    card = page.query_selector("#p1-1")
    marks = [m.inner_text() for m in card.query_selector_all("mark")]
    assert "Rjabkow" in card.inner_text() and marks and len(marks[0]) > 20
    shot(page, "chat.png")

    page.evaluate("window.scrollTo(0, 0); document.querySelector('#passages').scrollTop = 10000")
    links[0].click()
    page.wait_for_function("document.querySelector('#p1-1').classList.contains('flash')")
    assert in_view(page, "#p1-1")
    card.query_selector("button.open-article").click()
    page.wait_for_selector("#article-viewer[data-state=open]")
    assert [m.inner_text() for m in page.query_selector_all("#article-viewer mark")] == marks  # the same words
    assert in_view(page, "#article-viewer #cited-span")
    assert "Trump" in page.inner_text("#article-viewer .article-body")
    shot(page, "article.png")
    page.click("#article-close")

    ask(page, "Who is the Ukraine envoy?", 2)
    second = page.query_selector("#chat .answer.turn-2")
    hrefs = [a.get_attribute("href") for a in second.query_selector_all("a.cite")]
    assert hrefs and all(h.startswith("#p2-") for h in hrefs)  # this answer's own passages, numbered from 1
    assert hrefs[0] == "#p2-1" and page.query_selector("#p2-1") is not None
    open_turns = page.query_selector_all("#passages details[open]")
    assert [d.get_attribute("data-turn") for d in open_turns] == ["2"]  # the previous answer's are folded
    assert "Kellogg" in page.inner_text("#p2-1")

    page.click("#new-chat")
    page.wait_for_selector("#chat-status [data-state=idle]")
    assert not page.query_selector_all("#chat .answer") and not page.query_selector_all("#passages .card")
    assert page.dialogs == []


def test_summarize_in_the_browser(page: Any) -> None:
    page.get_by_role("tab", name="Summaries").click()
    page.fill("#sum-topic textarea", "the telephone conversation between Trump and Putin")
    page.fill("#sum-length input", "2")
    page.click("#summarize")
    page.wait_for_selector("#summary-status [data-state=done]", timeout=90_000)
    links = page.query_selector_all("#summary a.cite")
    assert links and all(a.get_attribute("href").startswith("#s-") for a in links)
    for a in links:
        card = page.query_selector(a.get_attribute("href"))
        assert card is not None and card.query_selector("mark") is not None
    assert "model" in page.inner_text("#summary .meta")
    shot(page, "summary.png")


def test_remove_asks_for_confirmation(page: Any, tmp_path: Path) -> None:
    doomed = tmp_path / "ferry.txt"
    doomed.write_text("Ferry strike ends\n\n" + "The ferry workers ended their strike on Friday after a pay deal. " * 5,
                      encoding="utf-8")
    upload(page, [doomed])
    assert "Ferry strike ends" in page.inner_text("#library")
    page.click("#remove-pick input")
    page.get_by_role("option", name=re.compile("Ferry strike ends")).click()
    page.keyboard.press("Escape")
    page.click("#remove")
    page.wait_for_selector("#remove-confirm", state="visible")
    assert "Ferry strike ends" in page.inner_text("#remove-question")
    page.click("#remove-cancel")
    page.wait_for_selector("#remove-confirm", state="hidden")
    assert "Ferry strike ends" in page.inner_text("#library")
    page.click("#remove")
    page.click("#remove-confirm")
    page.wait_for_function("!document.querySelector('#library').innerText.includes('Ferry strike ends')")


def test_a_hostile_article_does_nothing(page: Any, tmp_path: Path) -> None:
    pixel = Pixel()
    hostile = tmp_path / "hostile.html"
    hostile.write_text(
        f"<html><head><title>Harbour &lt;img src={pixel.url}/title.png onerror=alert(1)&gt;</title></head><body>"
        "<article><p>The harbour master said the port reopened on Monday after the storm. "
        f"&lt;img src={pixel.url}/body.png onerror=alert(2)&gt; &lt;script&gt;alert(3)&lt;/script&gt; "
        f"![pixel]({pixel.url}/md.png) [click](javascript:alert(4)) &lt;svg onload=alert(5)&gt; "
        "The harbour master said ferries will run again on Tuesday.</p></article></body></html>", encoding="utf-8")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    upload(page, [hostile])
    page.get_by_role("tab", name="Chat").click()
    ask(page, "When did the harbour master say the port reopened?", 1)
    card = page.query_selector("#p1-1")
    if card is not None:
        card.query_selector("button.open-article").click()
        page.wait_for_selector("#article-viewer[data-state=open]")
    page.get_by_role("tab", name="Library").click()
    time.sleep(1)
    shown = page.inner_text("body")
    assert "<img src=" in shown or "img src=" in shown  # shown as text, never as an element
    assert page.evaluate("document.querySelectorAll('#passages img, #chat .answer img, #library img, "
                         "#article-viewer img, svg[onload]').length") == 0
    assert page.dialogs == []
    assert pixel.hits == [] and not [u for u in requests if u.startswith(pixel.url)]
    pixel.shutdown()


def test_each_session_has_its_own_chat_and_shares_the_library(browser: Any, app: str, tmp_path: Path) -> None:
    pages = []
    for _ in range(2):
        context = browser.new_context()
        p = context.new_page()
        p.goto(app)
        p.wait_for_selector("#question textarea", timeout=30_000)
        pages.append(p)
    a, b = pages
    ask(a, "What did Ryabkov say?", 1)
    assert not b.query_selector_all("#chat .answer") and not b.query_selector_all("#passages .card")
    ask(b, "What did Trump threaten?", 1)
    assert "What did Trump threaten?" not in a.inner_text("#chat")
    assert "What did Ryabkov say?" not in b.inner_text("#chat")
    assert "What did Trump threaten?" not in a.inner_text("#passages")
    shared = tmp_path / "shared.txt"
    shared.write_text("Library news\n\n" + "The city library will open on Sundays from next month. " * 4, "utf-8")
    upload(a, [shared])
    b.get_by_role("tab", name="Library").click()
    b.click("#refresh")
    b.wait_for_function("document.querySelector('#library').innerText.includes('Library news')")
    for p in pages:
        p.context.close()


def test_the_api_returns_the_cli_json(app: str) -> None:
    from gradio_client import Client

    client = Client(app, verbose=False)
    endpoints = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert endpoints == {"/ask", "/summarize", "/sources", "/quotes"}  # internal events stay off the API
    data = client.predict("Why is no telephone conversation between the two presidents planned?", api_name="/ask")
    expected = {"answer", "sentences", "citations", "backend", "model", "refused", "timings", "usage", "question",
                "standalone_question", "notice", "unsupported"}
    assert set(data) == expected and data["backend"] == "local"
    sources = client.predict(api_name="/sources")["sources"]
    seed = next(s for s in sources if "rjabkow" in s["location"].lower())
    summary = client.predict([seed["source_id"]], None, None, 2, "brief", api_name="/summarize")
    assert summary["sources"] == [seed["source_id"]] and summary["sentences"]
    text = httpx.get(f"{app}/gradio_api/info").status_code  # the API is served beside the page
    assert text == 200


def test_several_clients_at_once_get_their_own_answers(app: str) -> None:
    from gradio_client import Client

    questions = ["what did Ryabkov say?", "who is the Ukraine envoy?", "what did Trump threaten?",
                 "what does Russia insist on?"]
    got: dict[str, dict[str, Any]] = {}

    def run(q: str) -> None:
        got[q] = Client(app, verbose=False).predict(q, api_name="/ask")

    threads = [threading.Thread(target=run, args=(q,)) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert {q: got[q]["question"] for q in questions} == {q: q for q in questions}


def test_login_when_auth_is_on(browser: Any, tmp_path: Path) -> None:
    from gradio_client import Client

    proc, url = start_app(tmp_path, {"BOT_AUTH": "alice:s3cret"})
    try:
        assert httpx.get(f"{url}/config").status_code == 401
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("input[type=password]", timeout=20_000)
        page.fill("input[type=text]", "alice")
        page.fill("input[type=password]", "wrong")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Incorrect", timeout=20_000)
        shot(page, "login.png")
        page.fill("input[type=text]", "alice")
        page.fill("input[type=password]", "s3cret")
        page.click("button.primary")
        page.wait_for_selector("#question textarea", timeout=30_000)
        page.close()
        answer = Client(url, auth=("alice", "s3cret"), verbose=False).predict("what did Ryabkov say?", api_name="/ask")
        assert answer["question"] == "what did Ryabkov say?"
    finally:
        stop(proc)


def test_serving_beyond_loopback_without_login_warns(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    env.update(BOT_INDEX_DIR=str(tmp_path / "index"), BOT_LLM="extractive")
    bot = str(Path(sys.executable).parent / "bot")
    proc = subprocess.Popen([bot, "serve", "--host", "0.0.0.0", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if "answering at" in line:
                break
        out = "".join(lines)
        assert "warning: serving on 0.0.0.0 without a login" in out and "BOT_AUTH" in out
    finally:
        stop(proc)


def test_bad_auth_setting_is_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    env.update(BOT_INDEX_DIR=str(tmp_path / "index"), BOT_LLM="extractive", BOT_AUTH="alice")
    bot = str(Path(sys.executable).parent / "bot")
    out = subprocess.run([bot, "serve", "--port", str(free_port())], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "Error: BOT_AUTH has an entry that is not user:password ('alice'): write each login as user:password"]


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    env.update(BOT_INDEX_DIR=str(tmp_path / "index"), BOT_LLM="extractive")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([str(Path(sys.executable).parent / "bot"), "serve", "--port", str(port)], env=env,
                             capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    [line] = out.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot listen on 127.0.0.1:{port}") and "choose another --port" in line


def test_who_said_what_view_and_answer(page: Any, app: str) -> None:
    from gradio_client import Client

    ask(page, "What did Ryabkov say?", 1)
    answer = page.inner_text("#chat .answer.turn-1")
    assert "telephone conversation" in answer and "level of embassies" in answer and "Trump" not in answer
    page.get_by_role("tab", name="Who said what").click()
    page.click("#speaker input")
    page.get_by_role("option", name=re.compile("Sergei Rjabkow")).click()
    page.wait_for_selector("#statements .card.statement")
    cards = page.query_selector_all("#statements .card.statement")
    assert len(cards) == 2 and all(c.query_selector("mark") for c in cards)
    assert "pointed out" in cards[1].inner_text()
    page.get_by_role("option").first.wait_for(state="hidden")  # the list fades out: not over the cards
    page.wait_for_timeout(400)
    shot(page, "who-said-what.png")
    cards[1].query_selector("button.open-article").click()
    page.wait_for_selector("#article-viewer[data-state=open]")
    assert "level of embassies" in page.inner_text("#article-viewer #cited-span")
    said = Client(app, verbose=False).predict("Riabkov", None, None, api_name="/quotes")["statements"]
    assert [s["cue"] for s in said] == ["stated", "pointed out"]


def logged(page: Any, text: str) -> None:
    page.wait_for_function("t => document.querySelector('#ingest-log').innerText.includes(t)", arg=text,
                           timeout=30_000)


def test_uploads_are_limited_per_upload_and_per_session(browser: Any, tmp_path: Path) -> None:
    proc, url = start_app(tmp_path, {"BOT_UPLOAD_FILES": "2", "BOT_UPLOAD_FILES_PER_HOUR": "3"})
    try:
        files = []
        for n in range(4):
            path = tmp_path / f"story-{n}.txt"
            path.write_text(f"Harbour story {n}\n\n" + BUDGET.replace("40 million", f"{n + 40} million"), "utf-8")
            files.append(path)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#question textarea", timeout=30_000)
        page.get_by_role("tab", name="Library").click()
        page.set_input_files("#upload input[type=file]", [str(p) for p in files[:3]])
        logged(page, "3 files at once is more than the 2 an upload may hold")
        upload(page, files[:2])  # two fit
        page.wait_for_function("() => document.querySelector('#upload').innerText.includes('Click to Upload')",
                               timeout=30_000)  # the drop zone is cleared after each upload
        page.wait_for_timeout(500)
        page.set_input_files("#upload input[type=file]", [str(p) for p in files[2:4]])
        logged(page, "this session has uploaded 3 files in the last hour")
        assert page.inner_text("#library").count("Harbour story") == 2
        other = browser.new_context().new_page()  # another session has its own allowance
        other.goto(url)
        other.wait_for_selector("#question textarea", timeout=30_000)
        upload(other, files[2:3])
        assert "Harbour story 2" in other.inner_text("#library")
        context.close()
    finally:
        stop(proc)


def test_failed_logins_lock_the_user_name_out(tmp_path: Path) -> None:
    proc, url = start_app(tmp_path, {"BOT_AUTH": "alice:s3cret,bob:hunter22", "BOT_LOGIN_ATTEMPTS": "3"})
    try:
        def login(user: str, password: str) -> int:
            return httpx.post(f"{url}/login", data={"username": user, "password": password}).status_code

        assert login("alice", "s3cret") == 200
        assert [login("alice", f"guess{n}") for n in range(3)] == [400, 400, 400]
        assert login("alice", "s3cret") == 400  # locked out, even with the right password
        assert login("bob", "hunter22") == 200  # another user is not
    finally:
        stop(proc)


def test_sigkill_of_bot_serve_during_a_browser_upload_loses_nothing(browser: Any, tmp_path: Path) -> None:
    import random
    import signal

    from tests.test_reliability import article, consistent

    folder = tmp_path / "drop"
    folder.mkdir()
    rng = random.Random(3)
    files = []
    for n in range(250):
        path = folder / f"story-{n:03d}.txt"
        path.write_text(article(n, rng), encoding="utf-8")
        files.append(str(path))
    proc, url = start_app(tmp_path)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=30_000)
    page.get_by_role("tab", name="Library").click()
    page.set_input_files("#upload input[type=file]", files)
    page.wait_for_function("() => document.querySelectorAll('#ingest-log li[data-state=added]').length >= 40",
                           timeout=300_000)
    proc.send_signal(signal.SIGKILL)  # the server dies half-way through the upload
    proc.wait(timeout=30)
    context.close()
    proc, url = start_app(tmp_path)  # started again on the same library
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#question textarea", timeout=30_000)
        page.get_by_role("tab", name="Library").click()
        page.set_input_files("#upload input[type=file]", files)  # the user uploads the same files again
        page.wait_for_function(
            """() => { const log = document.querySelector('#ingest-log ul.ingest-log');
                 const lis = [...document.querySelectorAll('#ingest-log li')];
                 return log && log.dataset.done === 'true' && lis.length >= 250 &&
                   lis.slice(0, 250).every(li => ['added', 'unchanged'].includes(li.dataset.state)); }""",
            timeout=600_000)
        states = [li.get_attribute("data-state") for li in page.query_selector_all("#ingest-log li")[:250]]
        assert states.count("unchanged") >= 40 and states.count("added") + states.count("unchanged") == 250
        context.close()
    finally:
        stop(proc)
    consistent(tmp_path / "index", 251)  # the seed and the 250, each once with all its chunks
