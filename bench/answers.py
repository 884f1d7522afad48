"""Grounded answers on RealTimeQA (and counterfactual robustness on RGB), beside a plain RAG baseline.

The baseline is the pipeline most tutorials ship, run in the same process on the same index: dense top-3
from Chroma, a one-paragraph "answer only from the numbered passages, cite [n]" prompt, the model's text
as is (its own markers, unchecked). With the extractive backend the baseline is the first sentence of the
top dense passage.

    python -m bench.answers --backend extractive                 # all 206 questions
    python -m bench.answers --backend local --limit 50           # default local model
    python -m bench.answers --backend local --limit 50 --rgb 20  # plus 20 RGB items
    python -m bench.answers --backend local --limit 50 --unanswerable 50 --dump /tmp/answers.jsonl
    python -m bench.answers --backend local --offset 50 --limit 100 --unanswerable 100  # questions 51-150

``--unanswerable N`` asks the first N questions again with their gold article(s) left out of the search
(every other article stays in), so the honest reply is a refusal: it measures refusing, which the
answerable questions cannot. ``--dump`` writes one JSON line per question and arm, for reading failures.
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
from rapidfuzz import fuzz

from bench.common import EVAL, append_section, ingest_progress
from bot import library
from bot.answer import DISAGREE, ask
from bot.citations import word_match
from bot.context import Context
from bot.llm import LLM, LLMError, Model, open_llm
from bot.sentences import split_sentences
from bot.settings import load_settings
from bot.store import Store
from bot.words import NUMBER_WORDS

BROKEN = {"20220617_9", "20220729_0", "20220729_7", "20220805_7", "20220826_5", "20220902_0", "20220923_3",
          "20220923_5", "20221014_2", "20221014_8", "20221021_2", "20221028_2"}  # ad-form "articles" (eval README)
PLAIN_PROMPT = ("Answer the question using only the numbered passages below and cite them like [1]. "
                "If they do not contain the answer, say that the articles do not say.")
STOP = frozenset("of in on at to for and or by with from is are was were be his her its their".split())
CLEAR = 0.25
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


# --- scoring ------------------------------------------------------------------------------------
def normalize(text: str) -> str:
    text = anyascii(re.sub(r"<[^>]+>", " ", text)).lower().replace("&", " and ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    text = re.sub(r"\b(the|a|an)\b", " ", text)
    return " ".join(text.replace(". ", " ").split()).strip(". ")


def number_values(text: str) -> set[float]:
    """Numbers a text states, digits or words ("six months" states 6)."""
    # "one" is left out: "one of the biggest" states no count.
    text = normalize(text)
    values = {float(NUMBER_WORDS[w]) for w in text.split() if w in NUMBER_WORDS and w != "one"}
    for num, scale in re.findall(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", text):
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


def choice_score(answer: str, choice: str) -> float:
    """Share of a choice's words (numbers by value) that the answer states, names in any spelling."""
    said = normalize(answer).split()
    own = [w for w in normalize(choice).split() if w not in STOP]
    if not own:
        return 0.0
    nums, said_nums = number_values(choice), number_values(answer)
    hits = 0
    for w in own:
        if any(c.isdigit() for c in w):
            hits += bool(nums) and all(any(abs(g - a) <= 0.01 * abs(g) for a in said_nums) for g in nums)
        else:
            hits += any(word_match(w, x) or fuzz.ratio(w, x) >= 85 for x in said)
    return hits / len(own)


def tolerant(answer: str, choices: list[str], gold: list[int]) -> bool:
    """The answer mapped to the nearest of the question's four choices: right only when a gold choice is
    clearly nearest (at least half its words stated, and CLEAR ahead of every other choice), so "Rep. Liz
    Cheney" counts for "Liz Cheney" while an answer naming two choices counts for neither."""
    scores = [choice_score(answer, c) for c in choices]
    best = max(range(len(choices)), key=scores.__getitem__)
    others = [x for i, x in enumerate(scores) if i != best]
    return best in gold and scores[best] >= 0.5 and scores[best] - max(others, default=0.0) >= CLEAR


def holds_gold(passage: str, evidence: str, golds: list[str]) -> bool:
    """The passage states the gold answer (as `correct` reads it) or opens with the gold evidence text."""
    ev = normalize(evidence)
    return bool(ev and ev[:120] in normalize(passage)) or correct(passage, golds)


# --- the two pipelines --------------------------------------------------------------------------
def ours(store: Store, llm: Model, question: str, source_ids: list[str] | None = None) -> dict[str, Any]:
    answer = ask(Context(load_settings(), store=store, model=llm), question, source_ids=source_ids)
    return {"answer": answer.answer, "refused": answer.refused, "cited": [c.text for c in answer.citations],
            "cited_sources": [c.source_id for c in answer.citations],
            "seconds": answer.timings.get("total_s", 0.0), "first_token_s": answer.timings.get("first_token_s"),
            "retrieved": [p.text for p in answer.passages], "notice": answer.notice,
            "unsupported": answer.unsupported}


def baseline(store: Store, llm: Model, question: str) -> dict[str, Any]:
    start = time.perf_counter()
    vector = store.embedder([question])[0]
    chunks = [c for c, _ in store.query(vector.tolist(), 3)]
    hits = [c.text for c in chunks]
    if not isinstance(llm, LLM):
        text = re.split(r"(?<=[.!?])\s+", hits[0])[0] if hits else ""
        return {"answer": text, "refused": not hits, "cited": hits[:1],
                "cited_sources": [c.source_id for c in chunks[:1]], "seconds": time.perf_counter() - start,
                "first_token_s": None, "retrieved": hits}
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
    named = [int(n) - 1 for n in dict.fromkeys(re.findall(r"\[(\d)\]", text)) if 0 < int(n) <= len(hits)]
    refused = bool(re.search(r"do(?:es)? not (?:say|contain|mention)|not found", text, re.I))
    return {"answer": text, "refused": refused, "cited": [hits[j] for j in named],
            "cited_sources": [chunks[j].source_id for j in named], "seconds": time.perf_counter() - start,
            "first_token_s": first, "retrieved": hits}


# --- RealTimeQA ---------------------------------------------------------------------------------
def without_answer(text: str, item: dict[str, Any]) -> str:
    """The article with every sentence that states the gold answer removed: as `correct` reads it, or as
    `tolerant` reads it (so "Finland and Sweden" goes for "Sweden and Finland", "the Avalanche" for "Colorado
    Avalanche"), or that repeats the gold evidence. About the subject, silent on the asked fact."""
    evidence = normalize(item["evidence"])
    for sent in reversed(split_sentences(text)):
        said = normalize(sent.text)
        if (correct(sent.text, item["answer_text"]) or tolerant(sent.text, item["choices"], item["answer_idx"])
                or (len(said) > 20 and said[:80] in evidence)):
            text = text[: sent.start] + text[sent.end :]
    return text


def realtimeqa(llm: Model, limit: int | None, unanswerable: int, tmp: Path, dump: Path | None, offset: int = 0,
               near_misses: int = 0) -> str:
    items = [json.loads(x) for x in (EVAL / "realtimeqa" / "rtqa_cnn_gold_qa.jsonl").read_text().splitlines()]
    folder = tmp / "rtqa"
    folder.mkdir()
    files: dict[str, Path] = {}
    for item in items:
        for art in item["gold_articles"]:
            name = hashlib.sha256(art["url"].encode()).hexdigest()[:16]
            files[art["url"]] = folder / f"{name}.txt"
            files[art["url"]].write_text(art["text"], encoding="utf-8")
    settings = load_settings(index_dir=tmp / "index-rtqa")
    store = Store(settings)
    paths = sorted(set(files.values()))
    results = library.add(Context(settings, store=store), [str(p) for p in paths], ingest_progress())
    source_of = {str(p): r.source_id for p, r in zip(paths, results, strict=True)}
    every = [s.source_id for s in store.list_sources()]

    def gold_sources(item: dict[str, Any]) -> set[str]:
        return {source_of[str(files[a["url"]])] for a in item["gold_articles"]}

    print(f"indexed {len(every)} articles ({sum(r.status == 'duplicate' for r in results)} "
          f"duplicate texts), {store.count()} chunks")
    valid = [i for i in items if i["question_id"] not in BROKEN]
    if offset:  # a later slice, e.g. questions not read while choosing thresholds
        valid = valid[offset:]
    chosen = valid[:limit] if limit is not None else (valid if offset else items)  # --limit 0: other sets only
    out = open(dump, "w", encoding="utf-8") if dump else None  # noqa: SIM115 - closed below
    rows: dict[str, list[dict[str, Any]]] = {"bot": [], "baseline": []}
    for n, item in enumerate(chosen, 1):
        gold = gold_sources(item)
        for arm, fn in (("baseline", baseline), ("bot", ours)):
            row = fn(store, llm, item["question"])
            # A refusal that shows what the articles do say may quote the gold text: still not an answer.
            said = not (arm == "bot" and row["refused"])
            row["right"] = said and correct(row["answer"], item["answer_text"])
            row["tolerant"] = said and tolerant(row["answer"], item["choices"], item["answer_idx"])
            row["precise"] = [holds_gold(t, item["evidence"], item["answer_text"]) for t in row["cited"]]
            row["from_gold"] = [s in gold for s in row["cited_sources"]]
            row["valid"] = item["question_id"] not in BROKEN
            rows[arm].append(row)
            _dump(out, arm, item, row)
        print(f"{n}/{len(chosen)} bot={'right' if rows['bot'][-1]['right'] else 'wrong'} "
              f"base={'right' if rows['baseline'][-1]['right'] else 'wrong'}  {item['question'][:70]}", flush=True)
    lines = ["Citation precision: cited passages that state the gold answer (numbers by value, number words "
             "included) or open with the gold evidence text. From gold article: cited passages taken from the "
             "question's gold article (RealTimeQA's evidence is a paraphrase, so the first measure misses "
             "passages that say the same in other words).", "",
             "Tolerant accuracy: the answer mapped to the nearest of the question's four choices (share of the "
             "choice's words it states, names in any spelling, numbers by value); right only when the gold choice "
             f"is clearly nearest (half its words or more, and {CLEAR} ahead of every other choice). From gold, "
             "right: the same share among right answers only.", "",
             "| pipeline | questions | accuracy | tolerant accuracy | citation precision | from gold article | "
             "from gold, right | answers citing | refusals | s/answer | first token s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for arm in ("bot", "baseline"):
        for label, keep in (("194 valid", lambda r: r["valid"]), ("all", lambda r: True)):
            sel = [r for r in rows[arm] if keep(r)]
            if sel and (label == "194 valid" or len(sel) != sum(r["valid"] for r in rows[arm])):
                where = f", from number {offset + 1}" if offset and label == "194 valid" else ""
                lines.append(_row(f"{arm} ({label}{where})", sel))
    for arm in ("bot", "baseline"):
        differ = [(i, r) for i, r in zip(chosen, rows[arm], strict=True) if r["valid"] and r["right"] != r["tolerant"]]
        lines += ["", f"Where the two scorers differ ({arm}, {len(differ)} questions; strict / tolerant):", ""]
        lines += [f"- {'right' if r['right'] else 'wrong'} / {'right' if r['tolerant'] else 'wrong'}: "
                  f"{i['question'][:80]} gold {i['answer_text'][0]!r}; answered {_flat(r['answer'], 110)!r}"
                  for i, r in differ]
    # Some gold articles never state the answer in words the scorer reads ("tied the knot" for "They got
    # married"): citing them, however rightly, counts as imprecise. This bounds precision for any model.
    scored = [i for i in chosen if i["question_id"] not in BROKEN]
    unscoreable = [i for i in scored if not any(holds_gold(a["text"], i["evidence"], i["answer_text"])
                                                for a in i["gold_articles"])]
    if scored:
        lines += ["", f"Scorer ceiling: in {len(unscoreable)} of these {len(scored)} valid questions no gold article "
                  "states the gold answer as the precision test reads it, so if each answer cited one passage of its "
                  f"gold article, citation precision could reach at most {1 - len(unscoreable) / len(scored):.3f}."]
    if unanswerable:
        lines += ["", f"Unanswerable: {unanswerable} valid questions (from number {offset + 1}) asked with their "
                  "gold article(s) left out of the search (the other articles stay). The honest reply is a refusal; "
                  "\"gold anyway\" counts answers that still contain the gold text (another article may hold "
                  "it).", "", "| pipeline | questions | refused | gold anyway | s/answer |", "|---|---|---|---|---|"]
        held: list[dict[str, Any]] = []
        for n, item in enumerate(valid[:unanswerable], 1):
            gold = gold_sources(item)
            row = ours(store, llm, item["question"], [s for s in every if s not in gold])
            row["right"] = correct(row["answer"], item["answer_text"])
            held.append(row)
            _dump(out, "bot-unanswerable", item, row)
            print(f"unanswerable {n}/{unanswerable} {'refused' if row['refused'] else 'answered'}  "
                  f"{item['question'][:70]}", flush=True)
        lines.append(f"| bot | {len(held)} | {statistics.mean(r['refused'] for r in held):.3f} | "
                     f"{statistics.mean(r['right'] for r in held):.3f} | "
                     f"{statistics.mean(r['seconds'] for r in held):.2f} |")
    if near_misses:
        lines += ["", *near_miss_set(llm, valid[:near_misses], files, tmp, out, offset)]
    if out:
        out.close()
    return "\n".join(lines)


def near_miss_set(llm: Model, chosen: list[dict[str, Any]], files: dict[str, Path], tmp: Path, out: Any,
                  offset: int) -> list[str]:
    """Each question asked against its own gold article(s) with the answer sentences removed, every other
    article indexed as well (its own index, so the other sets never see the trimmed copies)."""
    folder = tmp / "near"
    folder.mkdir()
    trimmed: dict[str, list[Path]] = {}
    for item in chosen:
        for a, art in enumerate(item["gold_articles"]):
            cut = without_answer(art["text"], item)
            if cut.strip() and cut != art["text"]:
                path = folder / f"{item['question_id']}-{a}.txt"
                path.write_text(cut, encoding="utf-8")
                trimmed.setdefault(item["question_id"], []).append(path)
    settings = load_settings(index_dir=tmp / "index-near")
    store = Store(settings)
    originals = sorted(set(files.values()))
    extra = [p for ps in trimmed.values() for p in ps]
    results = library.add(Context(settings, store=store), [str(p) for p in originals + extra], ingest_progress())
    source_of = {str(p): r.source_id for p, r in zip(originals + extra, results, strict=True)}
    own_gold = {it["question_id"]: {source_of[str(files[a["url"]])] for a in it["gold_articles"]} for it in chosen}
    base = [source_of[str(p)] for p in originals]
    rows = []
    asked = [it for it in chosen if it["question_id"] in trimmed]
    for n, item in enumerate(asked, 1):
        ids = [s for s in base if s not in own_gold[item["question_id"]]]
        ids += [source_of[str(p)] for p in trimmed[item["question_id"]]]
        row = ours(store, llm, item["question"], list(dict.fromkeys(ids)))
        row["right"] = correct(row["answer"], item["answer_text"])
        rows.append((item, row))
        _dump(out, "bot-near-miss", item, row)
        print(f"near miss {n}/{len(asked)} {'refused' if row['refused'] else 'answered'}  {item['question'][:70]}",
              flush=True)
    if not rows:
        return ["Near misses: no question had a sentence to remove."]
    refused = statistics.mean(r["refused"] for _, r in rows)
    lines = [f"Near misses: {len(rows)} valid questions (from number {offset + 1}; {len(chosen) - len(rows)} others "
             "had no sentence the scorer reads as stating the answer, so nothing to remove) asked against their "
             "own gold article(s) with every sentence stating the gold answer (strict or tolerant reading) or "
             "repeating the evidence removed; "
             "all other articles indexed. \"Gold anyway\" counts replies that still contain the gold text (a "
             "paraphrase the removal missed, or another article).", "",
             "| pipeline | questions | refused | gold anyway | s/answer |", "|---|---|---|---|---|",
             f"| bot | {len(rows)} | {refused:.3f} | {statistics.mean(r['right'] for _, r in rows):.3f} | "
             f"{statistics.mean(r['seconds'] for _, r in rows):.2f} |", "",
             "What the bot said instead of refusing:", ""]
    lines += [f"- {i['question'][:80]} → {_flat(r['answer'], 140)!r}" for i, r in rows if not r["refused"]]
    lines += ["", "Three of its refusals:", ""]
    lines += [f"- {i['question'][:80]} → {_flat(r['answer'], 160)!r}" for i, r in rows if r["refused"]][:3]
    return lines


def _dump(out: Any, arm: str, item: dict[str, Any], row: dict[str, Any]) -> None:
    if out is not None:
        record = {"arm": arm, "id": item["question_id"], "question": item["question"], "gold": item["answer_text"],
                  "evidence": item["evidence"], **row}
        record["retrieved_gold"] = [holds_gold(t, item["evidence"], item["answer_text"]) for t in row["retrieved"]]
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _flat(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat[:width] + ("…" if len(flat) > width else "")


def _row(name: str, rows: list[dict[str, Any]]) -> str:
    def share(key: str) -> str:
        flags = [f for r in rows for f in r[key]]
        return f"{statistics.mean(flags):.3f}" if flags else "n/a"

    firsts = [r["first_token_s"] for r in rows if r["first_token_s"]]
    right = [f for r in rows if r["right"] for f in r["from_gold"]]
    return (f"| {name} | {len(rows)} | {statistics.mean(r['right'] for r in rows):.3f} | "
            f"{statistics.mean(r['tolerant'] for r in rows):.3f} | {share('precise')} | {share('from_gold')} | "
            f"{statistics.mean(right) if right else float('nan'):.3f} | "
            f"{statistics.mean(bool(r['cited']) for r in rows):.3f} | "
            f"{statistics.mean(r['refused'] for r in rows):.3f} | "
            f"{statistics.mean(r['seconds'] for r in rows):.2f} | "
            f"{(statistics.mean(firsts) if firsts else float('nan')):.2f} |")


# --- RGB counterfactual robustness --------------------------------------------------------------
def rgb(llm: Model, limit: int, tmp: Path) -> str:
    items = [json.loads(x) for x in (EVAL / "rgb" / "en_fact.json").read_text().splitlines()][:limit]
    counts = {"counterfactual only": [0, 0, 0, 0], "true + counterfactual": [0, 0, 0, 0]}
    for n, item in enumerate(items):
        for setting, docs in (("counterfactual only", item["positive_wrong"] + item["negative"]),
                              ("true + counterfactual", item["positive"] + item["positive_wrong"] + item["negative"])):
            folder = tmp / f"rgb{n}-{len(docs)}"
            folder.mkdir()
            for d, text in enumerate(docs):
                (folder / f"{d}.txt").write_text(text, encoding="utf-8")
            settings = load_settings(index_dir=tmp / "index-rgb", collection=f"rgb{n}x{len(docs)}")
            ctx = Context(settings, store=Store(settings), model=llm)
            library.add(ctx, [str(folder)])
            answer = ask(ctx, item["query"])
            fake = any(normalize(f) in normalize(answer.answer) for f in _as_list(item["fakeanswer"]))
            true = correct(answer.answer, _as_list(item["answer"]))
            c = counts[setting]
            c[0] += fake
            c[1] += true
            c[2] += answer.refused
            c[3] += (fake and true) or answer.notice.find(DISAGREE) >= 0  # both values given, or the conflict flagged
    lines = ["Conflict surfaced: the answer gives both the true and the counterfactual value, or says the "
             "articles disagree (only meaningful where both kinds of passage are indexed).", "",
             "| passages in the index | items | repeats counterfactual | gives true answer | refused | "
             "conflict surfaced |", "|---|---|---|---|---|---|"]
    for setting, (n_fake, n_true, n_refused, n_both) in counts.items():
        k = len(items)
        lines.append(f"| {setting} | {k} | {n_fake / k:.2f} | {n_true / k:.2f} | {n_refused / k:.2f} | "
                     f"{n_both / k:.2f} |")
    return "\n".join(lines)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for x in value for v in (x if isinstance(x, list) else [x])]
    return [str(value)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["extractive", "local", "openai"], default="extractive")
    parser.add_argument("--limit", type=int, default=None, help="first N of the 194 answerable questions")
    parser.add_argument("--offset", type=int, default=0, help="skip the first N valid questions")
    parser.add_argument("--rgb", type=int, default=0, help="also run the first N RGB items (0 = skip)")
    parser.add_argument("--unanswerable", type=int, default=0,
                        help="also ask the first N questions without their gold article (0 = skip)")
    parser.add_argument("--near-miss", type=int, default=0,
                        help="also ask the first N questions against their gold article minus the answer sentences")
    parser.add_argument("--dump", type=Path, help="write one JSON line per question and arm here")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    llm = open_llm(load_settings(llm=args.backend))
    print(f"backend {llm.backend} {llm.model} {llm.endpoint} {llm.notice}")
    with tempfile.TemporaryDirectory() as tmp:
        body = f"Backend: {llm.backend} {llm.model}\n\nRealTimeQA (questions asked without the choices):\n\n"
        body += realtimeqa(llm, args.limit, args.unanswerable, Path(tmp), args.dump, args.offset, args.near_miss)
        if args.rgb:
            body += "\n\nRGB en_fact (counterfactual passages in the index):\n\n" + rgb(llm, args.rgb, Path(tmp))
    llm.close()
    print(body)
    if not args.no_write:
        append_section(f"Grounded answers ({llm.backend})", body)


if __name__ == "__main__":
    main()
