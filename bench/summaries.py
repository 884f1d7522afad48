"""Summary quality and speed: ROUGE beside Lead-3 / Lead-1 and the position-only key sentences (the method
before threads) on the same articles, citation support, repeats, faithfulness, seconds.

Each article goes into a fresh temporary index (never the user's index/) exactly as the dataset has it,
and is summarized through `bot.summarize.summarize` like any face would; the lead baselines are the
article's first sentences (same splitter) computed in the same run. ROUGE-1/2/L are F1 x100 with
stemming (rouge-score), markers removed. "Supported" re-checks each summary sentence against the passage
its marker names, independently of the summarizer. "Redundant pairs" counts pairs of summary sentences that
`bot.summarize.redundancy.repeats` calls one fact (by words and, since 2026-12-07, embeddings); "replaced"
is the share of the model's verified sentences that failed the in-order check (`bot.summarize.faithful`)
and were replaced by the sentence they cite, and "out of order" re-runs that check on what was finally
shown. ``--dump`` writes every summary (JSON lines, with its seconds) for reading by hand.

    python -m bench.summaries [--backend extractive|local] [--dataset cnndm|xsum] [--offset N] [--limit N]
                              [--dump FILE] [--no-write]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer
from tqdm import tqdm

from bench.common import EVAL, append_section
from bot.chunk import split_article
from bot.citations import MARKER, CitedSentence, support_matrix
from bot.load import clean_text, content_id
from bot.records import Article, Chunk, Passage, Summary
from bot.sentences import split_sentences
from bot.settings import load_settings
from bot.store import Store
from bot.summarize import summarize
from bot.summarize.extract import summarize_extractive
from bot.summarize.faithful import in_order
from bot.summarize.redundancy import redundant_pairs

METRICS = ("rouge1", "rouge2", "rougeL")


def load_rows(dataset: str, limit: int, offset: int = 0) -> list[dict[str, str]]:
    path = EVAL / dataset / f"{dataset}_article_reference.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[offset:offset + limit]]


def cited_sentences(summary: Summary) -> list[CitedSentence]:
    return [CitedSentence(s.text, tuple(s.citations), 1.0, tuple(s.spans)) for s in summary.sentences]


def index(store: Store, rows: list[dict[str, str]], chunk_size: int) -> list[str]:
    ids = []
    for row in tqdm(rows, desc="indexing", unit="article"):
        text = clean_text(row["article"])
        article = Article(content_id(text), row["id"], row["id"], text, hashlib.sha256(text.encode()).hexdigest())
        store.replace_source(article, split_article(article, chunk_size))
        ids.append(article.source_id)
    return ids


def supported(summary: Summary, embed: object) -> tuple[int, int]:
    """(sentences whose cited passage supports them, sentences) for one summary."""
    ok = total = 0
    by_n = {c.n: c for c in summary.citations}
    for line in summary.summary.splitlines():
        for s in split_sentences(line.removeprefix("- ")):
            total += 1
            nums = [int(n) for m in MARKER.finditer(s.text) for n in m.group(1).split(",") if int(n) in by_n]
            claim = MARKER.sub("", s.text).strip()
            passages = [Passage(Chunk("", "", "", "", 0, 0, 0, by_n[n].text), 1.0) for n in nums]
            if passages and support_matrix([claim], passages, embed).max() > 0:  # type: ignore[arg-type]
                ok += 1
    return ok, total


def plain(text: str) -> str:
    return " ".join(MARKER.sub("", text).replace("\n- ", " ").removeprefix("- ").split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["extractive", "local"], default="extractive")
    parser.add_argument("--dataset", choices=["cnndm", "xsum"], default="cnndm")
    parser.add_argument("--offset", type=int, default=0, help="skip this many articles first")
    parser.add_argument("--limit", type=int, default=250, help="number of articles (all by default)")
    parser.add_argument("--dump", type=Path, help="write each article's summaries here (JSON lines)")
    parser.add_argument("--sentences", type=int, help="summary length (default: 3 for cnndm, 1 for xsum)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to docs/BENCHMARKS.md")
    args = parser.parse_args()
    k = args.sentences or (3 if args.dataset == "cnndm" else 1)
    rows = load_rows(args.dataset, args.limit, args.offset)
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    systems = {"bot": [], "position only": [], "Lead-3": [], "Lead-1": []}  # type: ignore[var-annotated]
    pairs = {"bot": 0, "position only": 0}
    replaced = checked = out_of_order = 0
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    seconds: list[float] = []
    mid_seconds: list[float] = []  # articles of 600-800 words
    words: list[int] = []
    ok = total = fallbacks = 0
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(index_dir=Path(tmp) / "index", summary_cache_dir=Path(tmp) / "cache",
                                 llm=args.backend)
        store = Store(settings)
        ids = index(store, rows, settings.chunk_size)
        from bot.context import Context
        from bot.llm import LLM, open_llm

        llm = open_llm(settings)
        if llm.backend != args.backend:
            raise SystemExit(f"asked for {args.backend} but got {llm.backend}: {llm.notice}")
        ctx = Context(settings, store=store, model=llm)
        embed = store.embed
        if isinstance(llm, LLM):  # load the model outside the timed part
            llm.complete([{"role": "user", "content": "Say OK."}], max_tokens=2)
        for row, sid in tqdm(list(zip(rows, ids, strict=True)), desc="summarizing", unit="article"):
            start = time.perf_counter()
            summary = summarize(ctx, [sid], sentences=k)
            took = time.perf_counter() - start
            seconds.append(took)
            if 600 <= len(row["article"].split()) <= 800:
                mid_seconds.append(took)
            fallbacks += summary.backend != args.backend
            got, n = supported(summary, embed)
            ok, total = ok + got, total + n
            text = plain(summary.summary)
            words.append(len(text.split()))
            lead = [s.text for s in split_sentences(clean_text(row["article"]))]
            position, _ = summarize_extractive([Passage(c, 1.0) for c in store.all_chunks(sid)], embed, sentences=k,
                                               by_thread=False, text_of=store.article_text)
            pairs["bot"] += redundant_pairs(cited_sentences(summary), embed)
            pairs["position only"] += redundant_pairs(position, embed)
            replaced += len(summary.replaced)
            checked += len(summary.sentences) if args.backend != "extractive" else 0
            out_of_order += sum(not in_order(s.text, [sp.quote for sp in s.spans]) for s in summary.sentences
                                if s.spans)
            if dump:
                dump.write(json.dumps({"id": row["id"], "reference": row["reference"], "summary": summary.summary,
                                       "replaced": summary.replaced, "unsupported": summary.unsupported,
                                       "position_only": " ".join(s.text for s in position),
                                       "seconds": round(took, 2)}) + "\n")
            outputs = (("bot", text), ("position only", " ".join(s.text for s in position)),
                       ("Lead-3", " ".join(lead[:3])), ("Lead-1", lead[0] if lead else ""))
            for name, out in outputs:
                score = scorer.score(row["reference"], out)
                systems[name].append([score[m].fmeasure * 100 for m in METRICS])
            if len(seconds) % 10 == 0:  # running figures, so a long run can be read before it ends
                bot, lead3 = (np.mean(systems[n], axis=0).round(1).tolist() for n in ("bot", "Lead-3"))
                tqdm.write(f"after {len(seconds)}: bot {bot} Lead-3 {lead3} s/summary {statistics.mean(seconds):.1f}")
    model = f"{llm.backend} ({llm.model})" if llm.model else llm.backend
    rows_md = ["| system | ROUGE-1 | ROUGE-2 | ROUGE-L |", "|---|---|---|---|"]
    for name, values in systems.items():
        if name == "Lead-1" and args.dataset == "cnndm":
            continue
        r1, r2, rl = np.mean(values, axis=0)
        label = (f"bot summarize, {model}, {k} sentence(s)" if name == "bot" else
                 f"position-only key sentences (before threads), {k}" if name == "position only" else name)
        rows_md.append(f"| {label} | {r1:.1f} | {r2:.1f} | {rl:.1f} |")
    mid = f"{statistics.mean(mid_seconds):.1f} s over {len(mid_seconds)}" if mid_seconds else "none in range"
    body = "\n".join(rows_md) + (
        f"\n\n{args.dataset}, articles {args.offset + 1}-{args.offset + len(rows)}. Redundant sentence pairs: "
        f"bot {pairs['bot']}, position only {pairs['position only']} (over {len(rows)} summaries). Model sentences "
        f"replaced by their cited sentence (out of order): {replaced}, of {checked} shown; "
        f"shown sentences out of order: {out_of_order}. Summary sentences supported by their cited passage: "
        f"**{ok}/{total} ({100 * ok / max(1, total):.1f}%)**. Mean summary length {statistics.mean(words):.0f} "
        f"words. Seconds per summary: mean {statistics.mean(seconds):.1f}, median {statistics.median(seconds):.1f}, "
        f"max {max(seconds):.1f}; articles of 600-800 words: {mid}. Fell back to extractive: {fallbacks}.\n"
    )
    print(body)
    if dump:
        dump.close()
    if not args.no_write:
        append_section(f"Summaries ({args.dataset}, {args.backend})", body)


if __name__ == "__main__":
    main()
