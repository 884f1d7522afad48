"""Choose the fusion settings on SciFact's *train* queries; report the choice on its test queries.

Each retriever's candidates (dense, BM25, names) are gathered once per query through
``bot.retrieve.candidates`` (the code `search` runs), then re-fused under every setting of the grid with
``bot.retrieve.fuse.rrf``. Settings are ranked by train nDCG@10 only; the test columns are printed for the
current defaults and the train-best, never used to choose. The index is the `ours` arm of bench.retrieval
(pass the same ``--workdir`` to reuse a built one).

    python -m bench.tune_fusion --workdir /tmp/retrieval-bench
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

from bench import retrieval_data as data
from bench.common import EVAL, append_section
from bench.retrieval import open_arm
from bot.retrieve import Candidates, candidates, fuse
from bot.settings import load_settings

RRF_K = (5, 10, 20, 30, 60)
LEXICAL = (0.5, 0.75, 1.0, 1.5)
NAMES = (0.0, 0.25, 0.5, 1.0)
N = 300  # what search() gathers for the k=100 the retrieval benchmark asks
FIRST_DEFAULTS = (60, 1.0, 1.0)  # RRF k, BM25 weight, names weight before this tuning


def score(found: dict[str, Candidates], source_of: dict[str, str], qrels: data.Qrels, rrf_k: int,
          lexical: float, names: float) -> tuple[float, float]:
    """Mean nDCG@10 and recall@100 over ``qrels`` with these fusion settings (dense weight fixed at 1)."""
    ndcg = recall = 0.0
    weights = {"dense": 1.0, "lexical": lexical, "names": names}
    for qid, rel in qrels.items():
        fused = fuse(found[qid], weights, rrf_k)[:100]
        ranked = data.doc_ranking([source_of[chunk_id] for chunk_id, _ in fused])
        ndcg += data.ndcg(ranked, rel, 10)
        recall += data.recall(ranked, rel, 100)
    return ndcg / len(qrels), recall / len(qrels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, help="keep/reuse the SciFact index here (default: a temp dir)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to docs/BENCHMARKS.md")
    args = parser.parse_args()
    folder = EVAL / "scifact" / "beir"
    docs = data.load_corpus(folder)
    train_q, train_rel = data.load_queries(folder, "train")
    test_q, test_rel = data.load_queries(folder, "test")
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = open_arm(args.workdir or Path(tmp), "ours", "scifact", docs)
        found = {qid: candidates(store, text, N) for qid, text in {**train_q, **test_q}.items()}
    source_of = {cid: c.source_id for f in found.values() for cid, c in f.chunks.items()}

    grid = {(k, lex, nam): score(found, source_of, train_rel, k, lex, nam)
            for k, lex, nam in itertools.product(RRF_K, LEXICAL, NAMES)}
    best = sorted(grid, key=lambda g: -grid[g][0])
    s = load_settings()
    current = (s.rrf_k, s.lexical_weight, s.names_weight)
    lines = [f"SciFact: {len(train_rel)} train queries choose, {len(test_rel)} test queries report; "
             f"{len(grid)} settings of RRF k x BM25 weight x names weight (dense weight 1), {N} candidates each.",
             "", "| RRF k | BM25 | names | train nDCG@10 | train recall@100 | test nDCG@10 | test recall@100 |",
             "|---|---|---|---|---|---|---|"]
    shown = list(dict.fromkeys([*best[:5], FIRST_DEFAULTS, current]))
    for g in shown:
        tr = grid[g] if g in grid else score(found, source_of, train_rel, *g)
        te = score(found, source_of, test_rel, *g)
        tag = " (train-best)" if g == best[0] else " (defaults now)" if g == current else \
            " (first defaults)" if g == FIRST_DEFAULTS else ""
        lines.append(f"| {g[0]}{tag} | {g[1]} | {g[2]} | {tr[0]:.3f} | {tr[1]:.3f} | {te[0]:.3f} | {te[1]:.3f} |")
    out = "\n".join(lines) + "\n"
    print(out)
    if not args.no_write:
        append_section("Fusion settings chosen on SciFact train queries", out)


if __name__ == "__main__":
    main()
