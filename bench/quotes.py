"""Who said what, against PolNeAR's hand-annotated attributions (US political news, 2015-2016).

A predicted statement is right when its content overlaps a gold content by at least half of each (so
neither a sliver nor a whole paragraph passes) and its mention overlaps that gold attribution's source; a
direct quote split around its attribution is its quoted parts, as PolNeAR marks it (since 2026-12-07). The
gold set is the attributions whose cue is a speech verb (the cue holds a verb the extractor lists, or
"according to"); each article is scored on its first annotator's file. Speaker resolution: for gold sources
that are a pronoun or a title ("he", "the official"), the person the bot names is compared, by last name,
with the nearest earlier gold source of the article whose span holds a person or organisation that spaCy
recognises, a person first (PolNeAR links no pronoun to a person; this proxy is what a reader would resolve
in most news prose, and it is wrong where the nearest earlier speaker is not the one meant). Baseline, in
the same run: each quotation attributed to the nearest name before it. Ingest cost: seconds of extraction
per 1,000 words on one thread.

    python -m bench.quotes [--split dev|train] [--limit N] [--per-publisher N] [--no-write] [--dump FILE]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, as the goal says
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.common import EVAL, append_section  # noqa: E402

POLNEAR = EVAL / "polnear"


@dataclass(frozen=True)
class Gold:
    source: list[tuple[int, int]]
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]
    source_text: str
    cue_text: str


@dataclass(frozen=True)
class Pred:
    mention: tuple[int, int]
    content: tuple[int, int]  # first to last character of what was said
    speaker: str
    mention_text: str
    parts: tuple[tuple[int, int], ...] = ()  # the quoted parts of a direct quote split around its attribution

    @property
    def said(self) -> list[tuple[int, int]]:
        return list(self.parts) or [self.content]


def spans(field: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (part.split() for part in field.split(";"))]


def read_ann(path: Path) -> list[Gold]:
    entities: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, where = parts[1].partition(" ")
            entities[parts[0]] = (label, spans(where), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    golds = []
    for rel in relations:
        if not {"Source", "Cue", "Content"} <= rel.keys():
            continue
        # A quote split around its cue may be annotated as Content plus Content2: both are what was said
        content = sorted(span for key in rel if key.startswith("Content") for span in entities[rel[key]][1])
        golds.append(Gold(entities[rel["Source"]][1], entities[rel["Cue"]][1], content,
                          entities[rel["Source"]][2], entities[rel["Cue"]][2]))
    return golds


def length(s: list[tuple[int, int]]) -> int:
    return sum(b - a for a, b in s)


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(y, d) - max(x, c)) for x, y in a for c, d in b)


def matches(p: Pred, g: Gold) -> bool:
    o = overlap(p.said, g.content)
    return (o >= 0.5 * length(g.content) and o >= 0.5 * length(p.said)
            and overlap([p.mention], g.source) > 0)


def speech_cue(text: str) -> bool:
    from bot.attribution.extract import SPEECH, nlp

    if text.lower().strip().startswith("according to"):
        return True
    return any(t.lemma_.lower() in SPEECH for t in nlp()(text) if t.pos_ in ("VERB", "AUX", "NOUN"))


PRONOUNS = re.compile(r"^(?:he|she|they|i|we|his|her)$", re.I)
TITLE = re.compile(r"^(?:the|a|an|this|that|one|another)\s+[a-z][a-z\s-]*$")  # "the judge", not "the Times"


def pronoun_or_title(source: str) -> bool:
    return bool(PRONOUNS.match(source.strip()) or TITLE.match(source.strip()))


def articles(split: str, limit: int | None, per_publisher: int | None = None) -> list[tuple[str, Path]]:
    names = sorted(p.stem for p in (POLNEAR / split / "text").glob("*.txt"))
    if per_publisher:  # the first N of each publisher: train's first 150 are two publishers only
        by_publisher: dict[str, list[str]] = {}
        for name in names:
            by_publisher.setdefault(name.split("_")[0], []).append(name)
        names = sorted(n for group in by_publisher.values() for n in group[:per_publisher])
    names = names[:limit]
    out = []
    for name in names:
        anns = sorted((POLNEAR / split / "attributions").glob(f"{name}_*.ann"))
        if anns:
            out.append((name, anns[0]))
    return out


def ours(text: str) -> list[Pred]:
    from bot.attribution.extract import extract

    return [Pred((f.mention_start, f.mention_end), (f.start, f.end), f.speaker, f.mention, f.parts)
            for f in extract(text)]


def baseline(text: str) -> list[Pred]:
    """Each quotation, attributed to the nearest name (a PERSON entity) before it."""
    from bot.attribution.extract import nlp, quote_spans

    doc = nlp()(text)
    people = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "PERSON"]
    out = []
    for a, b in quote_spans(text):
        before = [p for p in people if p[1] <= a]
        if before:
            s, e, name = before[-1]
            out.append(Pred((s, e), (a, b), name, name))
    return out


def score(preds: list[Pred], golds: list[Gold]) -> tuple[int, int, int, list[tuple[Pred, Gold]]]:
    """(true positives, predicted, gold, matched pairs); each gold is matched at most once."""
    used: set[int] = set()
    pairs = []
    for p in preds:
        for k, g in enumerate(golds):
            if k not in used and matches(p, g):
                used.add(k)
                pairs.append((p, g))
                break
    return len(pairs), len(preds), len(golds), pairs


def named_entity(doc: object, source: list[tuple[int, int]]) -> str | None:
    """The person or organisation a gold source names: a spaCy entity inside its span ("the Vermont senator"
    names no one; "Hillary Clinton’s" and "Clinton, a Democrat," name Clinton)."""
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "ORG")  # type: ignore[attr-defined]
            and any(a <= e.start_char and e.end_char <= b for a, b in source)]
    ents.sort(key=lambda e: e.label_ != "PERSON")  # "Brigid Harrison, a professor at Montclair State" is Harrison
    return ents[0].text if ents else None


def same_person(a: str, b: str) -> bool:
    from bot.spelling import fold, same_name, skeleton

    wa, wb = fold(re.sub(r"[’']s\b", "", a)).split(), fold(re.sub(r"[’']s\b", "", b)).split()
    if not wa or not wb:
        return False
    return same_name(skeleton(wa[-1].strip(",.")), skeleton(wb[-1].strip(",.")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "train"], default="dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--per-publisher", type=int, default=None, help="Only the first N articles of each publisher.")
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    from bot.attribution.extract import nlp

    nlp()  # load outside the timed part
    totals = {"ours": [0, 0, 0], "baseline": [0, 0, 0]}
    resolved = {"ours": [0, 0], "baseline": [0, 0]}
    words, seconds = 0, 0.0
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None  # noqa: SIM115 - closed below
    chosen = articles(args.split, args.limit, args.per_publisher)
    for n, (name, ann) in enumerate(chosen, 1):
        text = (POLNEAR / args.split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        golds = [g for g in read_ann(ann) if speech_cue(g.cue_text)]
        doc = nlp()(text)
        named = sorted(((g, who) for g in read_ann(ann) if not pronoun_or_title(g.source_text)
                        and (who := named_entity(doc, g.source))), key=lambda x: x[0].source[0][0])
        for arm, fn in (("ours", ours), ("baseline", baseline)):
            start = time.perf_counter()
            preds = fn(text)
            if arm == "ours":
                seconds += time.perf_counter() - start
                words += len(text.split())
            tp, n_pred, n_gold, pairs = score(preds, golds)
            t = totals[arm]
            t[0], t[1], t[2] = t[0] + tp, t[1] + n_pred, t[2] + n_gold
            for p, g in pairs:  # pronoun and title sources: did the bot name the right person?
                if not pronoun_or_title(g.source_text):
                    continue
                earlier = [who for x, who in named if x.source[0][0] < g.source[0][0]]
                if not earlier:
                    continue
                resolved[arm][1] += 1
                resolved[arm][0] += same_person(p.speaker, earlier[-1])
            if dump and arm == "ours":
                missed = [g for g in golds if all(g is not q for _, q in pairs)]
                dump.write(json.dumps({"article": name, "predicted": [vars(p) for p in preds],
                                       "missed": [vars(g) for g in missed]}, default=list) + "\n")
        print(f"{n}/{len(chosen)} {name[:50]} ours {totals['ours']} baseline {totals['baseline']}", flush=True)
    if dump:
        dump.close()

    def prf(t: list[int]) -> tuple[float, float, float]:
        p = t[0] / t[1] if t[1] else 0.0
        r = t[0] / t[2] if t[2] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    lines = [f"PolNeAR {args.split} split, {len(chosen)} articles, {totals['ours'][2]} gold attributions with a "
             "speech-verb cue (first annotator of each article).", "",
             "| system | precision | recall | F1 | speaker accuracy, pronoun/title sources |", "|---|---|---|---|---|"]
    for arm, label in (("ours", "bot.attribution.extract (spaCy small + rules)"),
                       ("baseline", "baseline: quotation marks, nearest name before")):
        prec, rec, f1 = prf(totals[arm])
        ok, k = resolved[arm]
        acc = f"{ok / k:.3f} ({ok}/{k})" if k else "n/a (no pronoun or title source matched)"
        lines.append(f"| {label} | {prec:.3f} | {rec:.3f} | {f1:.3f} | {acc} |")
    lines += ["", f"Extraction cost: {seconds / max(1, words) * 1000:.3f} s per 1,000 words on one thread "
              f"({words} words, {seconds:.1f} s, spaCy parse included)."]
    text_out = "\n".join(lines)
    print(text_out)
    if not args.no_write:
        append_section(f"Who said what (bench/quotes.py, {args.split})", text_out)


if __name__ == "__main__":
    main()
