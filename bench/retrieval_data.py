"""Eval sets for bench.retrieval, read as (documents, queries, qrels), and the IR metrics used on them."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.common import EVAL

Docs = dict[str, tuple[str, str]]  # doc id -> (title, text)
Queries = dict[str, str]
Qrels = dict[str, dict[str, int]]


def load_beir(folder: Path, limit_queries: int | None = None) -> tuple[Docs, Queries, Qrels]:
    """Documents, test queries and their qrels."""
    return load_corpus(folder), *load_queries(folder, "test", limit_queries)


def load_corpus(folder: Path) -> Docs:
    docs: Docs = {}
    with (folder / "corpus.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            docs[str(row["_id"])] = (row.get("title") or "", row["text"])
    return docs


def load_queries(folder: Path, split: str = "test", limit_queries: int | None = None) -> tuple[Queries, Qrels]:
    """The queries of one qrels split that have a relevant document, with their qrels."""
    qrels: Qrels = defaultdict(dict)
    with (folder / "qrels" / f"{split}.tsv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, did, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                qrels[qid][did] = int(score)
    queries: Queries = {}
    with (folder / "queries.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if str(row["_id"]) in qrels:
                queries[str(row["_id"])] = row["text"]
    ids = list(queries)[:limit_queries] if limit_queries else list(queries)
    return {q: queries[q] for q in ids}, {q: qrels[q] for q in ids}


def rtqa_broken_gold() -> set[str]:
    """Question ids whose only gold article is the ad form, as listed in the eval README (not guessed here)."""
    readme = (EVAL / "README.md").read_text(encoding="utf-8")
    defects = readme[readme.index("Known defects") :]
    return set(re.findall(r"\b\d{8}_\d+\b", defects))


def load_xquad(lang: str, limit_queries: int | None = None) -> tuple[Docs, Queries, Qrels]:
    """Paragraphs (always the English ones) as documents; questions in ``lang`` (same ids in every file)."""
    english = json.loads((EVAL / "xquad" / "xquad.en.json").read_text(encoding="utf-8"))
    asked = json.loads((EVAL / "xquad" / f"xquad.{lang}.json").read_text(encoding="utf-8"))
    docs: Docs = {}
    owner: dict[str, str] = {}
    for a, article in enumerate(english["data"]):
        for p, para in enumerate(article["paragraphs"]):
            did = f"x{a:02d}p{p:02d}"
            docs[did] = (article["title"], para["context"])
            for qa in para["qas"]:
                owner[qa["id"]] = did
    queries: Queries = {}
    for article in asked["data"]:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                queries[qa["id"]] = qa["question"]
    ids = list(queries)[:limit_queries] if limit_queries else list(queries)
    return docs, {q: queries[q] for q in ids}, {q: {owner[q]: 1} for q in ids}


def doc_ranking(source_ids: Sequence[str]) -> list[str]:
    """Passage sources -> documents in order of first appearance (a document counts once)."""
    return list(dict.fromkeys(source_ids))


def ndcg(ranked: Sequence[str], rel: dict[str, int], k: int) -> float:
    dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(rel.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def recall(ranked: Sequence[str], rel: dict[str, int], k: int) -> float:
    return len(set(ranked[:k]) & set(rel)) / len(rel) if rel else 0.0


def hit(ranked: Sequence[str], rel: dict[str, int], k: int) -> float:
    return float(any(d in rel for d in ranked[:k]))


def mrr(ranked: Sequence[str], rel: dict[str, int], k: int) -> float:
    return next((1.0 / (i + 1) for i, d in enumerate(ranked[:k]) if d in rel), 0.0)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))] if ordered else 0.0
