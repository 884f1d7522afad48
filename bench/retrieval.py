"""Retrieval benchmark: bot.retrieve.search (hybrid) beside the tutorial baseline, in one run.

Baseline: the same int8 MiniLM embedder and Chroma, RecursiveCharacterTextSplitter(1000, 200), dense top-k.
Ours: the bot's own chunking and ``bot.retrieve.search``. Both build their indexes in a temp dir (or
``--workdir``, which lets a rerun reuse them and skip the build), never the user's index/.

    python -m bench.retrieval                       # every dataset, appends to docs/BENCHMARKS.md
    python -m bench.retrieval --datasets rtqa,xquad --limit-queries 100 --no-write
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from langchain_text_splitters import RecursiveCharacterTextSplitter

from bench import retrieval_data as data
from bench.common import EVAL, append_section
from bot.chunk import split_article
from bot.ingest import BATCH_CHUNKS
from bot.records import Article, Chunk
from bot.retrieve import corpus_index, search
from bot.settings import load_settings
from bot.store import Store

Ranker = Callable[[str, int], list[str]]
BASELINE = "baseline: split 1000/200, dense top-k"
OURS = "bot.retrieve.search (hybrid)"


def article(did: str, title: str, text: str) -> Article:
    body = f"{title}\n\n{text}" if title else text  # title + text for both arms, as BEIR/MTEB embed it
    return Article(did, f"bench:{did}", title, body, hashlib.sha256(body.encode()).hexdigest())


def baseline_chunks(art: Article, splitter: RecursiveCharacterTextSplitter) -> list[Chunk]:
    chunks, cursor = [], 0
    for i, piece in enumerate(splitter.split_text(art.text)):
        start = max(art.text.find(piece, cursor), 0)
        cursor = start + 1
        chunks.append(Chunk(f"{art.source_id}-{i:04d}", art.source_id, art.title, art.location, i, start,
                            start + len(piece), piece, art.content_hash))
    return chunks


def open_arm(workdir: Path, arm: str, name: str, docs: data.Docs) -> tuple[Store, float | None]:
    """A store holding ``docs``, built with the arm's chunking; build seconds (None when reused or resumed)."""
    settings = load_settings(index_dir=workdir / arm, chroma_url=None, collection=name)
    store = Store(settings)
    done = {src.source_id for src in store.list_sources()}
    if len(done) == len(docs):
        return store, None
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    store.embedder(["warm up"])  # model loading is not index building
    start = time.perf_counter()
    batch: list[tuple[Article, list[Chunk]]] = []

    def flush() -> None:  # embed many abstracts at once, as `bot ingest` does, in both arms
        store.replace_sources(batch)
        batch.clear()

    for did, (title, text) in docs.items():
        if did in done:  # resuming an interrupted --workdir build
            continue
        art = article(did, title, text)
        batch.append((art, baseline_chunks(art, splitter) if arm == "baseline" else split_article(
            art, settings.chunk_size, settings.chunk_overlap)))
        if sum(len(c) for _, c in batch) >= BATCH_CHUNKS:
            flush()
    if batch:
        flush()
    if arm == "ours":
        corpus_index(store)  # BM25 + names index: part of our build
    return store, (time.perf_counter() - start) if not done else None  # a resumed build has no honest time


def rankers(workdir: Path, name: str, docs: data.Docs) -> dict[str, tuple[Ranker, Store, float | None]]:
    base, base_s = open_arm(workdir, "baseline", name, docs)
    ours, ours_s = open_arm(workdir, "ours", name, docs)

    def dense_only(q: str, k: int) -> list[str]:
        return [c.source_id for c, _ in base.query([float(x) for x in base.embedder([q])[0]], k)]

    def hybrid(q: str, k: int) -> list[str]:
        return [p.chunk.source_id for p in search(ours, q, k)]

    return {BASELINE: (dense_only, base, base_s), OURS: (hybrid, ours, ours_s)}


def evaluate(rank: Ranker, queries: data.Queries, qrels: data.Qrels, k: int, metrics: dict[str, Callable[..., float]],
             subset: set[str] | None = None) -> dict[str, float]:
    totals = dict.fromkeys(metrics, 0.0)
    ids = [q for q in queries if subset is None or q in subset]
    for qid in ids:
        ranked = data.doc_ranking(rank(queries[qid], k))
        for m, fn in metrics.items():
            totals[m] += fn(ranked, qrels[qid])
    return {m: v / max(len(ids), 1) for m, v in totals.items()}


def table(title: str, rows: dict[str, dict[str, float]]) -> str:
    cols = list(next(iter(rows.values())))
    lines = [f"**{title}**", "", "| arm | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    lines += [f"| {arm} | " + " | ".join(f"{v:.3f}" for v in r.values()) + " |" for arm, r in rows.items()]
    out = "\n".join(lines) + "\n"
    print(out, flush=True)
    return out


def run_scifact(workdir: Path, limit_queries: int | None, latency_n: int) -> str:
    docs, queries, qrels = data.load_beir(EVAL / "scifact" / "beir", limit_queries)
    arms = rankers(workdir, "scifact", docs)
    metrics = {"nDCG@10": lambda r, rel: data.ndcg(r, rel, 10), "recall@100": lambda r, rel: data.recall(r, rel, 100)}
    out = table(f"SciFact test ({len(queries)} queries, {len(docs)} abstracts; published BM25 0.665, "
                "MiniLM ~0.64)", {a: evaluate(fn, queries, qrels, 100, metrics) for a, (fn, _, _) in arms.items()})
    build = ["", "| arm | chunks | index build s |", "|---|---|---|"]
    build += [f"| {a} | {s.count()} | {'reused' if t is None else f'{t:.0f}'} |" for a, (_, s, t) in arms.items()]
    out += "\n".join(build) + "\n\n" + latency(arms, list(queries.values())[:latency_n])
    return out


def latency(arms: dict[str, tuple[Ranker, Store, float | None]], queries: list[str]) -> str:
    lines = [f"Latency per query, k=5, query embedding included ({len(queries)} queries, load "
             f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, this benchmark included):", "",
             "| arm | chunks | p50 ms | p95 ms |", "|---|---|---|---|"]
    for arm, (fn, store, _) in arms.items():
        fn(queries[0], 5)  # warm: model and cached indexes loaded
        times = []
        for q in queries:
            start = time.perf_counter()
            fn(q, 5)
            times.append((time.perf_counter() - start) * 1000)
        p50, p95 = data.percentile(times, 50), data.percentile(times, 95)
        lines.append(f"| {arm} | {store.count()} | {p50:.1f} | {p95:.1f} |")
    _, ours, _ = arms[OURS]
    start = time.perf_counter()
    ours.revision()
    lines.append(f"\n`store.revision()` at {len(ours.list_sources())} articles: "
                 f"{(time.perf_counter() - start) * 1000:.1f} ms (why it is not read on every query).")
    out = "\n".join(lines) + "\n"
    print(out, flush=True)
    return out


def run_rtqa(workdir: Path, limit_queries: int | None) -> str:
    docs, queries, qrels = data.load_beir(EVAL / "realtimeqa" / "beir", limit_queries)
    arms = rankers(workdir, "rtqa", docs)
    metrics = {"recall@5": lambda r, rel: data.hit(r, rel, 5), "MRR@10": lambda r, rel: data.mrr(r, rel, 10)}
    real = set(queries) - data.rtqa_broken_gold()
    out = table(f"RealTimeQA, all {len(queries)} questions (passages' articles; k=10 passages)",
                {a: evaluate(fn, queries, qrels, 10, metrics) for a, (fn, _, _) in arms.items()})
    out += table(f"RealTimeQA, the {len(real)} questions with a real gold article",
                 {a: evaluate(fn, queries, qrels, 10, metrics, real) for a, (fn, _, _) in arms.items()})
    return out


def run_xquad(workdir: Path, limit_queries: int | None) -> str:
    out = ""
    metrics = {"recall@1": lambda r, rel: data.hit(r, rel, 1), "recall@5": lambda r, rel: data.hit(r, rel, 5)}
    for lang in ("en", "de", "ru"):
        docs, queries, qrels = data.load_xquad(lang, limit_queries)
        arms = rankers(workdir, "xquad", docs)  # same English paragraphs: built once, reused
        out += table(f"XQuAD: English paragraphs, {lang} questions ({len(queries)})",
                     {a: evaluate(fn, queries, qrels, 5, metrics) for a, (fn, _, _) in arms.items()})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default="xquad,rtqa,scifact", help="comma list of xquad, rtqa, scifact")
    parser.add_argument("--limit-queries", type=int, help="only the first N queries of each set")
    parser.add_argument("--latency-queries", type=int, default=300, help="SciFact queries timed for latency")
    parser.add_argument("--workdir", type=Path, help="keep/reuse the bench indexes here (default: a temp dir)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to docs/BENCHMARKS.md")
    args = parser.parse_args()
    chosen = args.datasets.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        s = load_settings()
        body = (f"Ours: chunk {s.chunk_size}/{s.chunk_overlap}, candidates {s.retrieve_candidates}, RRF k "
                f"{s.rrf_k}, weights dense {s.dense_weight} / BM25 {s.lexical_weight} / names {s.names_weight}."
                "\n\n")
        runs = {"xquad": lambda: run_xquad(workdir, args.limit_queries),
                "rtqa": lambda: run_rtqa(workdir, args.limit_queries),
                "scifact": lambda: run_scifact(workdir, args.limit_queries, args.latency_queries)}
        for name in chosen:  # each set appended when done: a long SciFact build cannot lose the others
            figures = runs[name]()
            if not args.no_write:
                append_section(f"Retrieval ({name}): hybrid search vs the tutorial baseline", body + figures)


if __name__ == "__main__":
    main()
