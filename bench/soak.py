"""Soak: simulated users against the scaled-out deployment, on loopback, for a fixed time.

Two `bot serve` processes share one `chroma run` server and one standalone model server (`bot model serve`).
After CNN/DM articles are ingested, users (each its own gradio_client session, alternating between the two
servers) loop over a mix of questions, summaries, library listings and who-said-what look-ups, with a think
time between requests; uploads are a `bot ingest` of a new article from a third process (the browser's
upload event is not on the public API). A baseline phase with one user runs first in the same run, so the
figures of the many-user phase read against it. RSS of every process is sampled throughout.

    python -m bench.soak [--minutes 30] [--users 10] [--model qwen1.5b] [--articles 60] [--no-uploads]
                         [--samples F] [--no-write]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import EVAL, append_section

BIN = Path(sys.executable).parent
MIX = [("ask", 0.6), ("summarize", 0.12), ("sources", 0.13), ("quotes", 0.1), ("upload", 0.05)]
THINK_S = (2.0, 8.0)
RESERVE_LOCK = threading.Lock()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the model server runs llama.cpp in a child)."""
    total = 0.0
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up: {log.read_text()[-3000:]}")


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)


@dataclass
class Stats:
    rows: list[tuple[str, float, str]] = field(default_factory=list)  # kind, seconds, "ok" | "degraded" | error
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, outcome: str) -> None:
        with self.lock:
            self.rows.append((kind, seconds, outcome))


def articles(limit: int, folder: Path, reserve: Path) -> list[str]:
    """CNN/DM articles as files: ``limit`` to ingest first, the rest kept for uploads during the run."""
    lines = (EVAL / "cnndm" / "cnndm_article_reference.jsonl").read_text(encoding="utf-8").splitlines()
    titles = []
    for n, line in enumerate(lines[: limit + 100]):
        item = json.loads(line)
        target = folder if n < limit else reserve
        (target / f"{item['id']}.txt").write_text(item["article"], encoding="utf-8")
        if n < limit:
            titles.append(item["article"].split(".")[0][:90])
    return titles


def user(n: int, url: str, questions: list[str], env: dict[str, str], reserve: list[Path], stats: Stats,
         deadline: float, seed: int) -> None:
    from gradio_client import Client

    rng = random.Random(seed)
    client = Client(url, verbose=False)
    kinds, weights = zip(*MIX, strict=True)
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        start_t = time.monotonic()
        outcome = "ok"
        try:
            if kind == "ask":
                data = client.predict(rng.choice(questions), api_name="/ask")
                outcome = "degraded" if "The model failed" in (data.get("notice") or "") else "ok"
            elif kind == "summarize":
                ids = [s["source_id"] for s in client.predict(api_name="/sources")["sources"]]
                data = client.predict([rng.choice(ids)], None, 60, None, "brief", api_name="/summarize")
                outcome = "ok" if data.get("sentences") else "empty"
            elif kind == "sources":
                client.predict(api_name="/sources")
            elif kind == "quotes":
                client.predict(None, None, None, api_name="/quotes")
            else:
                with RESERVE_LOCK:  # each upload a new article
                    path = reserve.pop() if reserve else None
                if path is not None:
                    done = subprocess.run([str(BIN / "bot"), "ingest", str(path)], env=env, capture_output=True,
                                          text=True, timeout=600)
                    outcome = "ok" if done.returncode == 0 else f"error: {done.stderr.strip()[-200:]}"
        except Exception as exc:  # every failure a user would see is counted
            outcome = f"error: {type(exc).__name__}: {str(exc)[:160]}"
        stats.add(kind, time.monotonic() - start_t, outcome)
        time.sleep(rng.uniform(*THINK_S))


def phase(users: int, minutes: float, urls: list[str], questions: list[str], env: dict[str, str],
          reserve: list[Path], seed: int) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + minutes * 60
    threads = [threading.Thread(target=user, args=(n, urls[n % len(urls)], questions, env, reserve, stats, deadline,
                                                   seed + n), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
        time.sleep(0.5)  # users arrive over a few seconds, not in one burst
    for t in threads:
        t.join(timeout=minutes * 60 + 900)
    return stats


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def table(named: list[tuple[str, int, Stats]]) -> list[str]:
    lines = ["| phase | users | kind | requests | errors | degraded | p50 s | p95 s |",
             "|---|---|---|---|---|---|---|---|"]
    for name, users, stats in named:
        for kind in [k for k, _ in MIX] + ["all"]:
            rows = [r for r in stats.rows if kind in ("all", r[0])]
            if not rows:
                continue
            times = [s for _, s, _ in rows]
            errors = sum(o.startswith(("error", "empty")) for _, _, o in rows)
            degraded = sum(o == "degraded" for _, _, o in rows)
            lines.append(f"| {name} | {users} | {kind} | {len(rows)} | {errors} | {degraded} | "
                         f"{statistics.median(times):.2f} | {p95(times):.2f} |")
    return lines


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per second: growth that one late sample hides."""
    if len(points) < 2:
        return 0.0
    mt = statistics.fmean(t for t, _ in points)
    mv = statistics.fmean(v for _, v in points)
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (v - mv) for t, v in points) / den if den else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0, help="Length of the many-user phase.")
    ap.add_argument("--baseline-minutes", type=float, default=3.0, help="Length of the one-user phase before it.")
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--model", default="qwen1.5b", help="Local model the model server runs.")
    ap.add_argument("--articles", type=int, default=60, help="CNN/DM articles ingested before the users start.")
    ap.add_argument("--no-uploads", action="store_true",
                    help="Leave uploads out of the mix, so memory is measured over a library that does not grow.")
    ap.add_argument("--samples", type=Path,
                    help="Also write every RSS sample here as it is taken (CSV: seconds, then MB per process).")
    ap.add_argument("--no-write", action="store_true", help="Print only; do not append to docs/BENCHMARKS.md.")
    args = ap.parse_args()
    if args.no_uploads:
        MIX[:] = [(k, w) for k, w in MIX if k != "upload"]

    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    procs: dict[str, subprocess.Popen[bytes]] = {}
    samples: list[tuple[float, dict[str, float]]] = []
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
        env.update(BOT_INDEX_DIR=str(tmp / "unused"), GRADIO_ANALYTICS_ENABLED="False")
        chroma_port, model_port = free_port(), free_port()
        procs["chroma"] = start([shutil.which("chroma") or str(BIN / "chroma"), "run", "--path", str(tmp / "chroma"),
                                 "--host", "127.0.0.1", "--port", str(chroma_port)], env, tmp / "chroma.log")
        wait_http(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", procs["chroma"], tmp / "chroma.log")
        procs["model"] = start([str(BIN / "bot"), "model", "serve", "--model", args.model, "--port", str(model_port)],
                               env, tmp / "model.log")
        wait_http(f"http://127.0.0.1:{model_port}/v1/models", procs["model"], tmp / "model.log")
        from bot.local_model import spec_for

        env.update(BOT_CHROMA_URL=f"http://127.0.0.1:{chroma_port}", BOT_LLM="openai",
                   OPENAI_BASE_URL=f"http://127.0.0.1:{model_port}/v1", BOT_CHAT_MODEL=spec_for(args.model).name)
        folder, reserve_dir = tmp / "articles", tmp / "reserve"
        folder.mkdir()
        reserve_dir.mkdir()
        questions = [f"What happened: {t}?" for t in articles(args.articles, folder, reserve_dir)]
        questions += ["What did the police say?", "Who was arrested?", "How many people died?", "What did Obama say?"]
        print(f"ingesting {args.articles} articles", flush=True)
        subprocess.run([str(BIN / "bot"), "ingest", str(folder)], env=env, check=True, capture_output=True)
        urls = []
        for n in (1, 2):
            port = free_port()
            procs[f"serve{n}"] = start([str(BIN / "bot"), "serve", "--port", str(port)], env, tmp / f"serve{n}.log")
            urls.append(f"http://127.0.0.1:{port}")
        for n, url in enumerate(urls, 1):
            wait_http(url, procs[f"serve{n}"], tmp / f"serve{n}.log")
        reserve = sorted(reserve_dir.iterdir())
        stop = threading.Event()

        def sample() -> None:
            t0 = time.monotonic()
            log = args.samples.open("w", encoding="utf-8") if args.samples else None
            if log:
                print("seconds," + ",".join(procs), file=log, flush=True)
            while not stop.is_set():
                samples.append((time.monotonic() - t0, {k: rss_mb(p.pid) for k, p in procs.items()}))
                if log:
                    t, rss = samples[-1]
                    print(f"{t:.0f}," + ",".join(f"{v:.1f}" for v in rss.values()), file=log, flush=True)
                stop.wait(15.0)
            if log:
                log.close()

        threading.Thread(target=sample, daemon=True).start()
        print(f"baseline: 1 user for {args.baseline_minutes} min", flush=True)
        base = phase(1, args.baseline_minutes, urls, questions, env, reserve, 1)
        print(f"soak: {args.users} users for {args.minutes} min", flush=True)
        many = phase(args.users, args.minutes, urls, questions, env, reserve, 100)
        stop.set()
        started = samples[0][0] if samples else 0.0
        soak_start = started + args.baseline_minutes * 60
        warm = soak_start + min(300.0, args.minutes * 60 * 0.2)
        lines = [f"{args.users} users ({MIX}, think time {THINK_S[0]:g}-{THINK_S[1]:g} s) for {args.minutes:g} min "
                 f"after 1 user for {args.baseline_minutes:g} min, against two `bot serve` on one `chroma run` and "
                 f"one `bot model serve --model {args.model}`; {args.articles} CNN/DM articles ingested first. "
                 "Errors: any exception a client got, a failed upload, or an empty summary; degraded: an answer "
                 "written without the model because it failed (timeout).", "", *table([("baseline", 1, base),
                                                                                       ("soak", args.users, many)])]
        lines += ["", "Memory (RSS, MB; model server with its llama.cpp child): after warm-up (first sample 20% "
                  "or 5 min into the soak), halfway from there, end of soak, the most seen, and the least-squares "
                  "slope of all samples after warm-up (MB per 10 min; flat is near 0).", "",
                  "| process | after warm-up | halfway | end | max | slope MB/10 min |", "|---|---|---|---|---|---|"]
        late = [(t, s) for t, s in samples if t >= warm] or samples[-1:]
        for name in procs:
            after, mid, end = late[0][1][name], late[len(late) // 2][1][name], late[-1][1][name]
            lines.append(f"| {name} | {after:.0f} | {mid:.0f} | {end:.0f} | {max(s[name] for _, s in samples):.0f} | "
                         f"{slope([(t, s[name]) for t, s in late]) * 600:+.1f} |")
        errors = [o for _, _, o in base.rows + many.rows if o.startswith("error")]
        if errors:
            lines += ["", "Errors seen:", "", *[f"- {e}" for e in sorted(set(errors))[:10]]]
        body = "\n".join(lines)
        print(body)
        if not args.no_write:
            append_section("Soak: scaled-out deployment under simulated users", body)
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
