"""Grounded answers on RealTimeQA (and counterfactual robustness on RGB), beside a plain RAG baseline.

The baseline is the pipeline most tutorials ship, run in the same process on the same index: dense top-3
from Chroma, a one-paragraph "answer only from the numbered passages, cite [n]" prompt, the model's text
as is (its own markers, unchecked). With the extractive backend the baseline is the first sentence of the
top dense passage.

    python -m bench.answers --backend extractive                 # all 206 questions
    python -m bench.answers --backend local --limit 50           # default local model
    python -m bench.answers --backend local --limit 50 --rgb 20  # plus 20 RGB items
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from anyascii import anyascii

from bench.common import EVAL, append_section
from bot.answer import ask
from bot.ingest import ingest
from bot.llm import LLM, LLMError, open_llm
from bot.settings import load_settings
from bot.store import Store

BROKEN = {"20220617_9", "20220729_0", "20220729_7", "20220805_7", "20220826_5", "20220902_0", "20220923_3",
          "20220923_5", "20221014_2", "20221014_8", "20221021_2", "20221028_2"}  # ad-form "articles" (eval README)
PLAIN_PROMPT = ("Answer the question using only the numbered passages below and cite them like [1]. "
                "If they do not contain the answer, say that the articles do not say.")
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


# --- scoring ------------------------------------------------------------------------------------
def normalize(text: str) -> str:
    text = anyascii(re.sub(r"<[^>]+>", " ", text)).lower()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    text = re.sub(r"\b(the|a|an)\b", " ", text)
    return " ".join(text.replace(". ", " ").split()).strip(". ")


def number_values(text: str) -> set[float]:
    values = set()
    for num, scale in re.findall(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", normalize(text)):
        values.add(round(float(num) * SCALE.get(scale, 1), 3))
    return values


def correct(answer: str, golds: list[str]) -> bool:
    """Gold text found in the answer; numbers compared by value ("$12.6 million" == "$12,600,000")."""
    said = normalize(answer)
    for gold in golds:
        g = normalize(gold)
        if g and g in said:
            return True
        nums, said_nums = number_values(gold), number_values(answer)
        # Gold figures are often rounded ("$19 million" for $19,000,100): equal within 1%.
        if nums and all(any(abs(g - a) <= 0.01 * abs(g) for a in said_nums) for g in nums):
            return True
    return False


def holds_gold(passage: str, evidence: str, golds: list[str]) -> bool:
    p = normalize(passage)
    ev = normalize(evidence)
    return bool(ev and ev[:120] in p) or any(normalize(g) and normalize(g) in p for g in golds)


# --- the two pipelines --------------------------------------------------------------------------
def ours(store: Store, llm: LLM, question: str) -> dict[str, Any]:
    answer = ask(question, store, llm)
    return {"answer": answer.answer, "refused": answer.refused, "cited": [c.text for c in answer.citations],
            "seconds": answer.timings.get("total_s", 0.0), "first_token_s": answer.timings.get("first_token_s")}


def baseline(store: Store, llm: LLM, question: str) -> dict[str, Any]:
    start = time.perf_counter()
    vector = store.embedder([question])[0]
    hits = [c.text for c, _ in store.query(vector, 3)]
    if llm.backend == "extractive":
        text = re.split(r"(?<=[.!?])\s+", hits[0])[0] if hits else ""
        return {"answer": text, "refused": not hits, "cited": hits[:1], "seconds": time.perf_counter() - start,
                "first_token_s": None}
    block = "\n\n".join(f"[{n}] {t}" for n, t in enumerate(hits, 1))
    first = None
    parts = []
    try:
        for delta in llm.stream([{"role": "user", "content": f"{PLAIN_PROMPT}\n\n{block}\n\nQuestion: {question}"}],
                                max_tokens=200):
            first = first or time.perf_counter() - start
            parts.append(delta)
    except LLMError as exc:
        parts = [f"(error: {exc})"]
    text = "".join(parts)
    cited = [hits[int(n) - 1] for n in dict.fromkeys(re.findall(r"\[(\d)\]", text)) if 0 < int(n) <= len(hits)]
    refused = bool(re.search(r"do(?:es)? not (?:say|contain|mention)|not found", text, re.I))
    return {"answer": text, "refused": refused, "cited": cited, "seconds": time.perf_counter() - start,
            "first_token_s": first}


# --- RealTimeQA ---------------------------------------------------------------------------------
def realtimeqa(llm: LLM, limit: int | None, tmp: Path) -> str:
    items = [json.loads(x) for x in (EVAL / "realtimeqa" / "rtqa_cnn_gold_qa.jsonl").read_text().splitlines()]
    folder = tmp / "rtqa"
    folder.mkdir()
    for item in items:
        for art in item["gold_articles"]:
            name = hashlib.sha256(art["url"].encode()).hexdigest()[:16]
            (folder / f"{name}.txt").write_text(art["text"], encoding="utf-8")
    store = Store(load_settings(index_dir=tmp / "index-rtqa"))
    results = ingest(store, [str(folder)], show_progress=True)
    print(f"indexed {len(store.list_sources())} articles ({sum(r.status == 'duplicate' for r in results)} "
          f"duplicate texts), {store.count()} chunks")
    valid = [i for i in items if i["question_id"] not in BROKEN]
    chosen = valid[:limit] if limit else items
    rows: dict[str, list[dict[str, Any]]] = {"bot": [], "baseline": []}
    for n, item in enumerate(chosen, 1):
        for arm, fn in (("baseline", baseline), ("bot", ours)):
            out = fn(store, llm, item["question"])
            out["right"] = correct(out["answer"], item["answer_text"])
            out["precise"] = [holds_gold(t, item["evidence"], item["answer_text"]) for t in out["cited"]]
            out["valid"] = item["question_id"] not in BROKEN
            rows[arm].append(out)
        print(f"{n}/{len(chosen)} bot={'right' if rows['bot'][-1]['right'] else 'wrong'} "
              f"base={'right' if rows['baseline'][-1]['right'] else 'wrong'}  {item['question'][:70]}", flush=True)
    lines = ["| pipeline | questions | accuracy | citation precision | answers citing | refusals | "
             "s/answer | first token s |", "|---|---|---|---|---|---|---|---|"]
    for arm in ("bot", "baseline"):
        for label, keep in (("194 valid", lambda r: r["valid"]), ("all", lambda r: True)):
            sel = [r for r in rows[arm] if keep(r)]
            if sel and (label == "194 valid" or len(sel) != sum(r["valid"] for r in rows[arm])):
                lines.append(_row(f"{arm} ({label})", sel))
    return "\n".join(lines)


def _row(name: str, rows: list[dict[str, Any]]) -> str:
    flags = [p for r in rows for p in r["precise"]]
    firsts = [r["first_token_s"] for r in rows if r["first_token_s"]]
    return (f"| {name} | {len(rows)} | {statistics.mean(r['right'] for r in rows):.3f} | "
            f"{(statistics.mean(flags) if flags else float('nan')):.3f} | "
            f"{statistics.mean(bool(r['cited']) for r in rows):.3f} | "
            f"{statistics.mean(r['refused'] for r in rows):.3f} | "
            f"{statistics.mean(r['seconds'] for r in rows):.2f} | "
            f"{(statistics.mean(firsts) if firsts else float('nan')):.2f} |")


# --- RGB counterfactual robustness --------------------------------------------------------------
def rgb(llm: LLM, limit: int, tmp: Path) -> str:
    items = [json.loads(x) for x in (EVAL / "rgb" / "en_fact.json").read_text().splitlines()][:limit]
    counts = {"counterfactual only": [0, 0, 0], "true + counterfactual": [0, 0, 0]}
    for n, item in enumerate(items):
        for setting, docs in (("counterfactual only", item["positive_wrong"] + item["negative"]),
                              ("true + counterfactual", item["positive"] + item["positive_wrong"] + item["negative"])):
            folder = tmp / f"rgb{n}-{len(docs)}"
            folder.mkdir()
            for d, text in enumerate(docs):
                (folder / f"{d}.txt").write_text(text, encoding="utf-8")
            store = Store(load_settings(index_dir=tmp / "index-rgb", collection=f"rgb{n}x{len(docs)}"))
            ingest(store, [str(folder)], show_progress=False)
            answer = ask(item["query"], store, llm)
            fake = any(normalize(f) in normalize(answer.answer) for f in _as_list(item["fakeanswer"]))
            true = correct(answer.answer, _as_list(item["answer"]))
            c = counts[setting]
            c[0] += fake
            c[1] += true
            c[2] += answer.refused
    lines = ["| passages in the index | items | repeats counterfactual | gives true answer | refused |",
             "|---|---|---|---|---|"]
    for setting, (fake, true, refused) in counts.items():
        k = len(items)
        lines.append(f"| {setting} | {k} | {fake / k:.2f} | {true / k:.2f} | {refused / k:.2f} |")
    return "\n".join(lines)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for x in value for v in (x if isinstance(x, list) else [x])]
    return [str(value)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["extractive", "local", "openai"], default="extractive")
    parser.add_argument("--limit", type=int, default=None, help="first N of the 194 answerable questions")
    parser.add_argument("--rgb", type=int, default=0, help="also run the first N RGB items (0 = skip)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    llm = open_llm(load_settings(llm=args.backend))
    print(f"backend {llm.backend} {llm.model} {llm.endpoint} {llm.notice}")
    with tempfile.TemporaryDirectory() as tmp:
        body = f"Backend: {llm.backend} {llm.model}\n\nRealTimeQA (questions asked without the choices):\n\n"
        body += realtimeqa(llm, args.limit, Path(tmp))
        if args.rgb:
            body += "\n\nRGB en_fact (counterfactual passages in the index):\n\n" + rgb(llm, args.rgb, Path(tmp))
    llm.close()
    print(body)
    if not args.no_write:
        append_section(f"Grounded answers ({llm.backend})", body)


if __name__ == "__main__":
    main()
