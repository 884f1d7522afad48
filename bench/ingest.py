"""Ingest throughput: the bot's pipeline vs. the same pipeline embedding through Chroma's stock ONNX class.

Both arms run the same code (`bot.ingest.ingest` on the same files, same chunking, same store); only the
embedding function differs. The stock arm is Chroma's `ONNXMiniLM_L6_V2` pointed at the same int8 model
file (it pads every input to 256 tokens). Each arm runs in its own child process so peak RSS is its own.

    python -m bench.ingest [--limit N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import EVAL, append_section


def write_articles(limit: int, folder: Path, groups: int) -> int:
    """One sub-folder per group, so the arms can take turns (see main)."""
    lines = (EVAL / "cnndm" / "cnndm_article_reference.jsonl").read_text(encoding="utf-8").splitlines()[:limit]
    for n, line in enumerate(lines):
        item = json.loads(line)
        group = folder / f"g{n % groups}"
        group.mkdir(exist_ok=True)
        (group / f"{item['id']}.txt").write_text(item["article"], encoding="utf-8")
    return len(lines)


def stock_embedder() -> Any:
    """Chroma's stock ONNX MiniLM class, with its download folder holding our model file (so it never fetches)."""
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    from bot.embed import minilm_files

    model, tokenizer = minilm_files()
    folder = Path(tempfile.mkdtemp(prefix="stock-minilm-"))
    onnx = folder / "onnx"
    onnx.mkdir()
    (onnx / "model.onnx").symlink_to(model)
    (onnx / "tokenizer.json").symlink_to(tokenizer)
    for name in ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"):
        (onnx / name).write_text("{}")  # presence checks only; the stock class reads just the two above

    class Stock(ONNXMiniLM_L6_V2):  # type: ignore[misc]
        DOWNLOAD_PATH = folder

    return Stock(preferred_providers=["CPUExecutionProvider"])


def run_arm(arm: str, articles: Path) -> dict[str, float]:
    from bot import library
    from bot.context import Context
    from bot.settings import load_settings
    from bot.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(index_dir=Path(tmp) / "index")
        store = Store(settings)
        if arm == "stock":
            store.embedder = stock_embedder()
        store.embedder(["warm up"])  # load the model outside the timed part, in both arms
        start = time.perf_counter()
        results = library.add(Context(settings, store=store), [str(articles)])
        seconds = time.perf_counter() - start
        chunks = sum(r.chunks for r in results)
        failed = sum(r.failed for r in results)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "chunks": chunks, "chunks_per_s": chunks / seconds, "peak_rss_mb": rss_mb,
            "articles": len(results), "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=250, help="number of CNN/DM articles (all 250 by default)")
    parser.add_argument("--groups", type=int, default=6, help="turns each arm takes (alternating)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to docs/BENCHMARKS.md")
    parser.add_argument("--arm", choices=["ours", "stock"], help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.arm:  # child process: one arm, JSON on stdout
        print(json.dumps(run_arm(args.arm, args.articles)))
        return
    # The arms take turns, one group of articles each, each in a fresh process: slow changes in what else
    # runs on the machine then hit both arms alike instead of whichever arm happened to run second.
    totals = {arm: {"seconds": 0.0, "chunks": 0, "articles": 0, "failed": 0, "peak_rss_mb": 0.0}
              for arm in ("stock", "ours")}
    with tempfile.TemporaryDirectory() as tmp:
        n = write_articles(args.limit, Path(tmp), args.groups)
        for g in range(min(args.groups, n)):
            for arm in ("stock", "ours") if g % 2 == 0 else ("ours", "stock"):
                out = subprocess.run(
                    [sys.executable, "-m", "bench.ingest", "--arm", arm, "--articles", str(Path(tmp) / f"g{g}")],
                    capture_output=True, text=True, check=True, env={**os.environ, "TQDM_DISABLE": "1"},
                )
                f = json.loads(out.stdout.strip().splitlines()[-1])
                t = totals[arm]
                for key in ("seconds", "chunks", "articles", "failed"):
                    t[key] += f[key]
                t["peak_rss_mb"] = max(t["peak_rss_mb"], f["peak_rss_mb"])
    for t in totals.values():
        t["chunks_per_s"] = t["chunks"] / t["seconds"]
    figures = totals
    ours, stock = figures["ours"], figures["stock"]
    rows = [
        "| arm | articles | chunks | seconds | chunks/s | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, f in (("bot (length-bucketed int8 MiniLM)", ours), ("Chroma stock ONNXMiniLM_L6_V2, same file", stock)):
        rows.append(f"| {name} | {f['articles']} | {f['chunks']} | {f['seconds']:.1f} | {f['chunks_per_s']:.1f} | "
                    f"{f['peak_rss_mb']:.0f} |")
    body = "\n".join(rows) + f"\n\nSpeed-up: **{ours['chunks_per_s'] / stock['chunks_per_s']:.2f}x** chunks/s " \
        f"(CNN/DailyMail, {n} articles, whole ingest pipeline: read, chunk, embed, store).\n"
    print(body)
    if not args.no_write:
        append_section("Ingest throughput", body)


if __name__ == "__main__":
    main()
