"""Memory per request: one `bot serve` answering requests back to back, its RSS sampled against the count.

The soak (bench/soak.py) measures memory over time with the 1.5B model, where a few hundred requests an hour
are all two cores can serve; growth there mixes warm-up, queued requests and the allocator. This bench asks
the narrower question, is there growth per request: four gradio_client users with no think time send the
soak's mix (questions, summaries, library listings, who-said-what) to one `bot serve` over 20 CNN/DM
articles, with the extractive writer (no model, so thousands of requests fit in minutes), or with
``--chroma-server`` and ``--fake-model`` the scaled-out path: a `chroma run` server and the OpenAI client
streaming from a loopback OpenAI-compatible server (tests/fake_openai.py, answering with a cited sentence).
Figures: RSS two minutes in (after warm-up and the first burst), at the end, and the least-squares slope of
RSS against requests served in between, as MB per 1,000 requests (no growth per request is near 0).

    python -m bench.memory [--minutes 8] [--chroma-server] [--fake-model] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.common import EVAL, append_section
from bench.soak import BIN, free_port, rss_mb, slope, start, wait_http

USERS = 4
ARTICLES = 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=8.0)
    ap.add_argument("--chroma-server", action="store_true", help="Store on a `chroma run` server, not embedded.")
    ap.add_argument("--fake-model", action="store_true",
                    help="Answer through the OpenAI client from a loopback server.")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as name:
        tmp = Path(name)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
        env.update(BOT_INDEX_DIR=str(tmp / "index"), GRADIO_ANALYTICS_ENABLED="False", BOT_LLM="extractive")
        try:
            if args.chroma_server:
                port = free_port()
                procs.append(start([shutil.which("chroma") or str(BIN / "chroma"), "run", "--path", str(tmp / "chroma"),
                                    "--host", "127.0.0.1", "--port", str(port)], env, tmp / "chroma.log"))
                wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", procs[-1], tmp / "chroma.log")
                env["BOT_CHROMA_URL"] = f"http://127.0.0.1:{port}"
            if args.fake_model:
                from tests.fake_openai import FakeServer

                fake = FakeServer()
                threading.Thread(target=fake.serve_forever, daemon=True).start()
                env.update(BOT_LLM="openai", OPENAI_BASE_URL=fake.url, BOT_CHAT_MODEL="quote", OPENAI_API_KEY="x")
            folder = tmp / "articles"
            folder.mkdir()
            questions = []
            lines = (EVAL / "cnndm" / "cnndm_article_reference.jsonl").read_text(encoding="utf-8").splitlines()
            for line in lines[:ARTICLES]:
                item = json.loads(line)
                (folder / f"{item['id']}.txt").write_text(item["article"], encoding="utf-8")
                questions.append(f"What happened: {item['article'].split('.')[0][:80]}?")
            subprocess.run([str(BIN / "bot"), "ingest", str(folder)], env=env, check=True, capture_output=True)
            port = free_port()
            serve = start([str(BIN / "bot"), "serve", "--port", str(port)], env, tmp / "serve.log")
            procs.append(serve)
            url = f"http://127.0.0.1:{port}"
            wait_http(url, serve, tmp / "serve.log")
            samples = run(url, questions, args.minutes, serve.pid)
        finally:
            for proc in procs:
                proc.terminate()
    # After two minutes: the first one holds the warm-up and the peak of the first burst of requests
    after = [s for s in samples if s[0] >= 120] or samples
    warm, end = after[0], after[-1]
    per_k = slope([(float(n), rss) for _, n, rss in after]) * 1000
    store = "`chroma run` server" if args.chroma_server else "embedded store"
    path = f"{store}, {'OpenAI client to a loopback server' if args.fake_model else 'extractive'}"
    lines_out = [f"One `bot serve` ({path}), {USERS} users with no think time for {args.minutes:g} min, {ARTICLES} "
                 "CNN/DM articles; RSS in MB.", "",
                 "| requests at 2 min | RSS at 2 min | requests at end | RSS at end | slope, MB per 1,000 requests |",
                 "|---|---|---|---|---|",
                 f"| {warm[1]} | {warm[2]:.1f} | {end[1]} | {end[2]:.1f} | {per_k:+.2f} |"]
    text = "\n".join(lines_out)
    print(text)
    if not args.no_write:
        append_section("Memory per request (bench/memory.py)", text)


def run(url: str, questions: list[str], minutes: float, pid: int) -> list[tuple[float, int, float]]:
    """(seconds, requests so far, RSS MB) every 20 s while the users run."""
    count = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + minutes * 60

    def user(seed: int) -> None:
        from gradio_client import Client

        rng = random.Random(seed)
        client = Client(url, verbose=False)
        while time.monotonic() < deadline:
            k = rng.random()
            if k < 0.6:
                client.predict(rng.choice(questions), api_name="/ask")
            elif k < 0.75:
                ids = [s["source_id"] for s in client.predict(api_name="/sources")["sources"]]
                client.predict([rng.choice(ids)], None, 60, None, "brief", api_name="/summarize")
            elif k < 0.9:
                client.predict(api_name="/sources")
            else:
                client.predict(None, None, None, api_name="/quotes")
            with lock:
                count[0] += 1

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(USERS)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    samples = []
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - t0, count[0], rss_mb(pid)))
        print(f"{samples[-1][0]:6.0f} s  {samples[-1][1]:6d} requests  {samples[-1][2]:7.1f} MB", flush=True)
        time.sleep(20)
    for t in threads:
        t.join(timeout=120)
    samples.append((time.monotonic() - t0, count[0], rss_mb(pid)))
    return samples


if __name__ == "__main__":
    main()
