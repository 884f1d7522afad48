"""The browser UI under a stopwatch, and under load.

1. In a real headless Chromium (Debian's, through playwright): for each question, the time from Enter to the
   retrieved passages on screen, to the answer's first token on screen, and to the finished answer; beside
   it, the same request's server-side timings (the service's own `retrieve_s` and `first_token_s`, read from
   the answer the same run produced), so what the page adds is read off one run.
2. With gradio_client: N concurrent sessions asking for a while against `/ask` (extractive backend and the
   local model), beside one session asking alone in the same run: answers returned, answers mixed up (a
   reply whose question or text differs from what that question gets alone), p50 / p95 seconds.

Each arm runs its own `bot serve` process on loopback over a temporary index of the seed article and the
first RealTimeQA articles.

    python -m bench.ui [--questions 8] [--articles 30] [--clients 10] [--seconds 60] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import EVAL, REPO, append_section

BOT = str(Path(sys.executable).parent / "bot")
# Questions the model answers ("what did X say?" is answered from statements, without the model).
SEED_QUESTIONS = ["Why is no telephone conversation between the two presidents planned?", "Who is the Ukraine envoy?",
                  "What did Trump threaten to do if Moscow refused a deal?", "What does Russia insist on?"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def corpus(folder: Path, articles: int) -> list[str]:
    """The seed article and the first RealTimeQA gold articles as files; their questions."""
    items = [json.loads(x) for x in (EVAL / "realtimeqa" / "rtqa_cnn_gold_qa.jsonl").read_text().splitlines()]
    folder.mkdir(parents=True)
    (folder / "seed.txt").write_text((REPO / "seeds" / "trump-putin-talks-rjabkow.txt").read_text())
    questions: list[str] = []
    for n, item in enumerate(items[:articles]):
        for k, art in enumerate(item["gold_articles"]):
            (folder / f"rtqa-{n}-{k}.txt").write_text(art["text"], encoding="utf-8")
        questions.append(item["question"])
    return questions


def start(index: Path, docs: Path, llm: str) -> tuple[subprocess.Popen[bytes], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    env.update(BOT_INDEX_DIR=str(index), BOT_LLM=llm, GRADIO_ANALYTICS_ENABLED="False")
    subprocess.run([BOT, "ingest", str(docs)], env=env, check=True, capture_output=True)
    port = free_port()
    log = index.parent / f"serve-{llm}.log"
    proc = subprocess.Popen([BOT, "serve", "--port", str(port)], env=env, stdout=open(log, "wb"),  # noqa: SIM115
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while "answering at" not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"bot serve did not start: {log.read_text()[-2000:]}")
        time.sleep(0.5)
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# Observers record when the passages and the first answer text appear; t0 is set by START, just before Enter.
WATCH = """() => { (window.__obs || []).forEach(o => o.disconnect()); window.__t = {};
  const a = new MutationObserver(() => {
      if (!window.__t.passages && document.querySelector('#passages [data-state=retrieved]'))
        window.__t.passages = performance.now() - window.__t0; });
  a.observe(document.querySelector('#passages'), {subtree: true, childList: true});
  const b = new MutationObserver(() => { const d = document.querySelector('#chat .draft');
      const shown = (d && d.textContent.replace('▍', '').trim()) || document.querySelector('#chat .answer');
      if (!window.__t.token && shown)
        window.__t.token = performance.now() - window.__t0; });
  b.observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
  window.__obs = [a, b]; }"""
START = "() => { window.__t0 = performance.now(); }"
SERVER = re.compile(r"retrieval ([\d.]+) s(?: · first token ([\d.]+) s)?")


def browser_timings(url: str, questions: list[str]) -> list[dict[str, Any]]:
    from gradio_client import Client
    from playwright.sync_api import sync_playwright

    rows = []
    client = Client(url, verbose=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#question textarea", timeout=60_000)
        client.predict(questions[0], api_name="/ask")  # warm: the first prompt fills the model's prefix cache
        for n, q in enumerate(questions, 1):
            page.click("#new-chat")
            page.wait_for_selector("#chat-status [data-state=idle]", state="attached")
            page.evaluate(WATCH)
            page.fill("#question textarea", q)
            page.evaluate(START)
            start = time.perf_counter()
            page.press("#question textarea", "Enter")
            page.wait_for_selector("#chat-status [data-state=done][data-turn='1']", state="attached",
                                   timeout=300_000)
            total = time.perf_counter() - start
            seen = page.evaluate("window.__t")
            # The same request's own timings, measured in the service and shown under the answer.
            answered = page.query_selector("#chat .answer .meta")
            meta = SERVER.search(answered.inner_text()) if answered else None
            rows.append({"question": q, "passages_s": seen.get("passages", float("nan")) / 1000,
                         "first_token_s": seen.get("token", float("nan")) / 1000, "done_s": total,
                         "server_retrieve_s": float(meta.group(1)) if meta else float("nan"),
                         "server_first_token_s": float(meta.group(2)) if meta and meta.group(2) else float("nan")})
            print(f"{n}/{len(questions)} {json.dumps(rows[-1])}", flush=True)
        browser.close()
    return rows


def load(url: str, questions: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """One session alone (the reference answers and latencies), then ``clients`` sessions at once."""
    from gradio_client import Client

    alone: dict[str, str] = {}
    solo: list[float] = []
    client = Client(url, verbose=False)
    for q in questions:
        began = time.perf_counter()
        alone[q] = client.predict(q, api_name="/ask")["answer"]
        solo.append(time.perf_counter() - began)
    lat: list[float] = []
    mixed, differs, errors = 0, 0, 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(k: int) -> None:
        nonlocal mixed, differs, errors
        session = Client(url, verbose=False)
        i = k
        while time.monotonic() < stop_at:
            q = questions[i % len(questions)]
            i += 1
            began = time.perf_counter()
            try:
                got = session.predict(q, api_name="/ask")
            except Exception:  # counted: the goal is none
                with lock:
                    errors += 1
                continue
            with lock:
                lat.append(time.perf_counter() - began)
                mixed += got["question"] != q or got["standalone_question"] != q
                differs += got["answer"] != alone[q]

    threads = [threading.Thread(target=user, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"answers": len(lat), "mixed": mixed, "differs": differs, "errors": errors,
            "solo_p50": statistics.median(solo),
            "p50": statistics.median(lat) if lat else float("nan"),
            "p95": sorted(lat)[int(0.95 * (len(lat) - 1))] if lat else float("nan")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=8, help="questions timed in the browser")
    ap.add_argument("--articles", type=int, default=30, help="RealTimeQA articles indexed beside the seed")
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the concurrent clients ask")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        docs = Path(tmp) / "docs"
        rtqa = corpus(docs, args.articles)
        questions = (SEED_QUESTIONS + rtqa)[: args.questions]
        results: dict[str, Any] = {}
        for llm in ("local", "extractive"):
            proc, url = start(Path(tmp) / f"index-{llm}", docs, llm)
            try:
                if llm == "local":
                    results["browser"] = browser_timings(url, questions)
                results[llm] = load(url, questions, args.clients, args.seconds)
                print(llm, json.dumps(results[llm]), flush=True)
            finally:
                stop(proc)
    rows = results["browser"]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in rows)

    def worst(key: str) -> float:
        return max(r[key] for r in rows)

    text = "\n".join([
        f"Seed article + {args.articles} RealTimeQA articles; {len(rows)} questions, each in a new chat, the local "
        "model warm (BOT_ANSWER_K=3 passages). Browser: Debian Chromium headless, timed in the page from Enter.",
        "",
        "| measure | median | worst | goal |",
        "|---|---|---|---|",
        f"| Enter → passages on screen (browser) | {med('passages_s'):.2f} s | {worst('passages_s'):.2f} s | ≤ 1 s |",
        f"| retrieval inside the service (the same requests) | {med('server_retrieve_s'):.2f} s | "
        f"{worst('server_retrieve_s'):.2f} s | |",
        f"| Enter → first answer token on screen (browser) | {med('first_token_s'):.2f} s | "
        f"{worst('first_token_s'):.2f} s | ≤ 3.5 s |",
        f"| first token inside the service (the same requests) | {med('server_first_token_s'):.2f} s | "
        f"{worst('server_first_token_s'):.2f} s | |",
        f"| Enter → answer finished (browser) | {med('done_s'):.2f} s | {worst('done_s'):.2f} s | |",
        "",
        f"{args.clients} gradio_client sessions asking `/ask` for {args.seconds:.0f} s, beside one session alone:",
        "",
        "| backend | answers returned | mixed up | text differs from alone | errors | alone p50 | p50 | p95 |",
        "|---|---|---|---|---|---|---|---|",
    ] + [f"| {llm} | {r['answers']} | {r['mixed']} | {r['differs']} | {r['errors']} | {r['solo_p50']:.2f} s | "
         f"{r['p50']:.2f} s | {r['p95']:.2f} s |" for llm, r in ((k, results[k]) for k in ("extractive", "local"))] + [
        "",
        "Mixed up: a reply that answers another question than the one its session asked (first sessions never "
        "share a conversation, so the question must come back unchanged). Text differs: the same question "
        "answered in other words than when asked alone (extractive answers are deterministic, so any difference "
        "there would be a mix-up; the model may vary). The embedded model writes one answer at a time, so with "
        "it concurrent sessions queue at the model.",
    ])
    print(text)
    if not args.no_write:
        append_section("Browser UI (bench/ui.py)", text)


if __name__ == "__main__":
    main()
