"""Local model speed on the seed article: first token, tokens/s and total per answer, beside the floor.

For each local model, the seed article's questions are asked over the 3 passages the bot retrieves, with
one fixed grounded prompt (the model is measured here, not the prompt). The floor of a first token is the
prompt's token count divided by the prompt-processing rate measured in the same run on a prompt that
shares no prefix with anything cached: other work on the machine slows both alike, so compare ratios.
Also measured: idle RSS of a bot process (imports, store, open_llm; the model lives in the server child).

    python -m bench.llm [--models qwen1.5b qwen0.5b smollm135m] [--questions N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.common import REPO, append_section

QUESTIONS = [
    "What did Ryabkov say about a phone call between the presidents?",
    "What does Trump expect from a conversation with Putin?",
    "How long does Keith Kellogg have to develop a solution?",
    "What conditions does Russia set for ending the hostilities?",
    "What did Trump threaten if Moscow refused a deal?",
]
SYSTEM = ("Answer the question using only the numbered passages. Cite the passages you use as [n]. "
          "If the passages do not say, answer that the articles do not say.")
MAX_TOKENS = 96


def messages(question: str, passages: list[Any]) -> list[dict[str, str]]:
    context = "\n\n".join(f"[{n}] {p.text}" for n, p in enumerate(passages, 1))
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Passages:\n{context}\n\nQuestion: {question}"}]


def prompt_rate(llm: Any, msgs: list[dict[str, str]]) -> float:
    """Prompt tokens per second on a prompt with a fresh first token (no cached prefix to reuse)."""
    fresh = [{"role": "system", "content": f"Session {uuid.uuid4().hex}. {SYSTEM}"}, *msgs[1:]]
    from bot.llm import Usage

    usage = Usage()
    llm.complete(fresh, max_tokens=1, usage=usage)
    return float(usage.prompt_tokens / usage.total_s)  # type: ignore[operator]


def bench_model(key: str, store: Any) -> dict[str, Any]:
    from bot.llm import Usage, open_local
    from bot.retrieve import search
    from bot.settings import load_settings

    start = time.monotonic()
    llm = open_local(load_settings(llm="local", local_model=key))
    startup = time.monotonic() - start
    rows = []
    for q in QUESTIONS:
        msgs = messages(q, search(store, q, k=3))
        rate = prompt_rate(llm, msgs)  # measured right before, under the same load
        streamed, again = Usage(), Usage()
        text = "".join(llm.stream(msgs, max_tokens=MAX_TOKENS, temperature=0, usage=streamed))
        u = streamed.to_json()
        llm.complete(msgs, max_tokens=1, usage=again)  # the same prompt again, for its exact token count
        n_prompt = again.prompt_tokens or 0
        gen_s = max(u["total_s"] - u["first_token_s"], 1e-6)
        floor = n_prompt / rate
        rows.append({"question": q, "prompt_tokens": n_prompt, "prompt_tok_s": rate, "floor_s": floor,
                     "first_token_s": u["first_token_s"], "ratio": u["first_token_s"] / floor,
                     "tokens": u["completion_tokens"], "gen_tok_s": (u["completion_tokens"] - 1) / gen_s,
                     "total_s": u["total_s"], "answer": " ".join(text.split())[:90]})
    server_rss = _rss_mb(llm._server.pid)
    llm.close()
    return {"model": key, "name": llm.model, "startup_s": startup, "server_rss_mb": server_rss, "rows": rows}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


IDLE = """
import json, os, sys
from bot.llm import open_local
from bot.settings import load_settings
from bot.store import Store
s = load_settings(index_dir=sys.argv[1], llm="local", local_model=sys.argv[2])
store = Store(s); llm = open_local(s)
def rss(pid):
    return [int(l.split()[1]) / 1024 for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS:")][0]
idle = rss(os.getpid())
from bot.retrieve import search
search(store, "what did Ryabkov say?", k=3)
print(json.dumps({"idle_mb": idle, "after_search_mb": rss(os.getpid()), "server_mb": rss(llm._server.pid)}))
"""


def idle_rss(index_dir: Path, key: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", IDLE, str(index_dir), key], cwd=REPO, capture_output=True,
                         text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(results: list[dict[str, Any]], idle: dict[str, float], load: tuple[float, float]) -> str:
    lines = [f"Seed article, {len(QUESTIONS)} questions, 3 retrieved passages each, max {MAX_TOKENS} new tokens, "
             f"temperature 0, {os.cpu_count()} threads. Load average before/after: {load[0]:.1f} / {load[1]:.1f} "
             "(other work shared the cores: compare ratios, not absolute times).", "",
             "| model | server start | prompt tokens | prompt tok/s | floor | first token | ratio to floor "
             "| gen tok/s | total per answer | server RSS |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        rows = r["rows"]

        def med(k: str, rows: list[dict[str, Any]] = rows) -> float:
            return statistics.median(x[k] for x in rows)

        lines.append(f"| {r['model']} | {r['startup_s']:.1f} s | {med('prompt_tokens'):.0f} | "
                     f"{med('prompt_tok_s'):.0f} | {med('floor_s'):.2f} s | {med('first_token_s'):.2f} s "
                     f"(max {max(x['first_token_s'] for x in rows):.2f}) | {med('ratio'):.2f} | "
                     f"{med('gen_tok_s'):.1f} | {med('total_s'):.1f} s | {r['server_rss_mb']:.0f} MB |")
    lines += ["", "Medians over the questions. Floor = prompt tokens / prompt tok/s measured just before "
              "each question on a prompt with no cached prefix; a ratio below 1 means llama.cpp reused the "
              "KV cache of the shared system-prompt prefix.", "",
              f"Bot process RSS (imports + store + open_llm, model in the server child): idle "
              f"{idle['idle_mb']:.0f} MB, after one search (embedder loaded) {idle['after_search_mb']:.0f} MB; "
              f"server {idle['server_mb']:.0f} MB.", ""]
    for r in results:
        lines.append(f"- {r['model']} answers: " + " / ".join(f"{x['answer'][:60]!r}" for x in r["rows"][:2]))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["qwen1.5b", "qwen0.5b", "smollm135m"])
    ap.add_argument("--questions", type=int, default=len(QUESTIONS), help="Ask only the first N questions.")
    ap.add_argument("--no-write", action="store_true", help="Print only; do not append to docs/BENCHMARKS.md.")
    args = ap.parse_args()
    from bot import library
    from bot.context import Context

    del QUESTIONS[args.questions:]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        ctx = Context.from_env(index_dir=Path(tmp) / "index")
        store = ctx.store
        library.add(ctx, [str(REPO / "seeds")])
        idle = idle_rss(Path(tmp) / "index", args.models[0])
        results = []
        for key in args.models:
            results.append(bench_model(key, store))
            print(json.dumps(results[-1], indent=1), flush=True)
    text = report(results, idle, (load_before, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        append_section("Local model speed (bench/llm.py)", text)


if __name__ == "__main__":
    main()
