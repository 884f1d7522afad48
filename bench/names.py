"""Names in every spelling: the passage naming a person, found when the question spells them another way.

Built from the eval articles' own names (RealTimeQA's 218 CNN articles, people found by spaCy's NER),
each respelled by published romanisation systems (`bench.respell`: Russian Cyrillic itself, BGN/PCGN,
scholarly, ISO 9, the French-based passport system, German Duden, Ukrainian 2010, Georgian ISO 9984, and
the French and three-vowel conventions for Arabic names). Each respelling that differs from the article's
spelling is asked as "What did <name> say?"; a hit is a passage, among the top 1 or 3, that names the
person as the article spells them (their surname as a word). Ours is ``bot.retrieve.search``; the
baseline, in the same run on the same chunks, is plain dense search (Chroma, MiniLM). "matcher" is the
share whose surname the names index (`bot.retrieve.names.Names.variants`) maps to the article's surname.

False matches: well-known distinct names that differ in a consonant or a syllable (Iran/Iraq,
Austria/Australia, Zelensky/Zelenska, ...) that the spelling test (`bot.spelling.same_name`) takes for
one name. Beside them, for reading, the look-alike names of these articles (people's surnames, places and
organisations; skeleton ratio >= 70, not one an inflection of the other) that it takes for one name.

    python -m bench.names                      # 120 people, every system; appends to docs/BENCHMARKS.md
    python -m bench.names --people 40 --no-write
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz

from bench.common import EVAL, append_section
from bench.respell import SYSTEMS, respell
from bench.retrieval import open_arm
from bench.retrieval_data import load_corpus
from bot.retrieve import corpus_index, search
from bot.retrieve.dense import dense
from bot.spelling import fold, loose_key, loosely_same_words, readings, same_name, skeleton

# Well-known distinct names that differ in a consonant or a syllable. Pairs that differ only in vowels
# (Biden/Baden, Sudan/Sedan) are left out: transliteration changes vowels freely (Kiev/Kyiv), so no spelling
# test can tell those apart; the look-alike pairs from the articles below include such pairs.
KNOWN_DISTINCT = [("Iran", "Iraq"), ("Austria", "Australia"), ("Slovenia", "Slovakia"), ("Niger", "Nigeria"),
                  ("Gambia", "Zambia"), ("Mali", "Malawi"), ("Georgia", "Georgiy"), ("Putin", "Pushkin"),
                  ("Obama", "Osama"), ("Kerry", "Kelly"), ("Mullen", "Muller"), ("Peters", "Petersen"),
                  ("Hill", "Gill"), ("Moscow", "Madrid"), ("Poland", "Portland"), ("Sweden", "Swede"),
                  ("Lavrov", "Lavrova"), ("Ryabkov", "Rybakov"), ("Kyiv", "Kirov"), ("Kharkiv", "Kherson"),
                  ("Donetsk", "Donbas"), ("Peskov", "Pesko"), ("Shoigu", "Shoiguk"), ("Medvedev", "Medvedchuk"),
                  ("Navalny", "Navalnaya"), ("Zelensky", "Zelenska"), ("Austin", "Augustin"), ("Brown", "Browne")]
_WORD = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
_INFLECTIONS = ("s", "es", "n", "an", "ian", "ese", "i", "ans", "ns")


def entities(docs: dict[str, tuple[str, str]]) -> tuple[dict[str, str], set[str]]:
    """People (surname -> the fullest name seen) and other single-word names (places, organisations)."""
    from bot.attribution.extract import nlp

    people: dict[str, Counter[str]] = defaultdict(Counter)
    others: set[str] = set()
    for doc in nlp().pipe((text for _, text in docs.values()), batch_size=16):
        for ent in doc.ents:
            parts = ent.text.split()
            if not all(_WORD.match(p) for p in parts):
                continue
            if ent.label_ == "PERSON" and 2 <= len(parts) <= 3 and len(parts[-1]) >= 4:
                people[parts[-1]][ent.text] += 1
            elif ent.label_ in ("GPE", "NORP", "ORG", "LOC", "PERSON") and len(parts) == 1 and len(parts[0]) >= 4:
                others.add(parts[0])
    return {s: names.most_common(1)[0][0] for s, names in people.items()}, others


def _hit(texts: list[str], surname: str, k: int) -> bool:
    pattern = re.compile(rf"\b{re.escape(surname)}\b")
    return any(pattern.search(t) for t in texts[:k])


def inflected(a: str, b: str) -> bool:
    a, b = sorted((a.lower(), b.lower()), key=len)
    return any(b == a + s or b == a.rstrip("aeiouy") + s for s in _INFLECTIONS)


def false_matches(people: dict[str, str], others: set[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Look-alike pairs of names in the articles, and those the spelling test takes for one name."""
    names = sorted(set(people) | others)
    pairs = [(a, b) for a, b in itertools.combinations(names, 2)
             if fold(a) != fold(b) and not inflected(a, b) and fuzz.ratio(skeleton(a), skeleton(b)) >= 70]
    return pairs, [(a, b) for a, b in pairs if same_name(skeleton(a), skeleton(b))]


def loose_false_matches(people: dict[str, str], others: set[str]) -> list[tuple[str, str]]:
    """Names of the articles that only the loose test takes for one (it is tried for a name found nowhere)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for name in set(people) | others:
        for reading in readings(name):
            by_key[loose_key(reading)].add(name)
    pairs = {(a, b) for group in by_key.values() for a, b in itertools.combinations(sorted(group), 2)}
    return sorted((a, b) for a, b in pairs
                  if fold(a) != fold(b) and not inflected(a, b) and not same_name(skeleton(a), skeleton(b))
                  and loosely_same_words(a, b))


def run(people_n: int, workdir: Path) -> str:
    docs = load_corpus(EVAL / "realtimeqa" / "beir")
    store, _ = open_arm(workdir, "ours", "rtqa-names", docs)
    index = corpus_index(store)
    people, others = entities(docs)
    chosen = sorted(people, key=lambda s: hashlib.sha1(s.encode()).hexdigest())[:people_n]
    rows: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    misses: list[str] = []
    for surname in chosen:
        full = people[surname]
        for system in ["article's own spelling", *SYSTEMS]:
            spelt = full if system.startswith("article") else respell(full, system)
            if not system.startswith("article") and fold(spelt) == fold(full):
                continue  # this system writes the name as the article does: nothing to test
            query = f"What did {spelt} say?"
            ours = [p.text for p in search(store, query, 3)]
            base = [c.text for c, _ in dense(store, query, 3)]
            word = spelt.split()[-1]
            matched = fold(surname) in (index.names.variants(word) or index.names.loose_variants(word))
            r = rows[system]
            r["ours@1"].append(_hit(ours, surname, 1))
            r["ours@3"].append(_hit(ours, surname, 3))
            r["dense@1"].append(_hit(base, surname, 1))
            r["dense@3"].append(_hit(base, surname, 3))
            r["matcher"].append(matched)
            if not _hit(ours, surname, 3):
                misses.append(f"{system}: {spelt!r} for {full!r}{'' if matched else ' (matcher missed)'}")
    total: dict[str, list[bool]] = defaultdict(list)
    lines = [f"{len(chosen)} people from {len(docs)} RealTimeQA articles (of {len(people)} found); "
             "query \"What did <name> say?\"; a hit names the person as the article spells them.", "",
             "| spelling | queries | ours top-1 | ours top-3 | dense top-1 | dense top-3 | matcher |",
             "|---|---|---|---|---|---|---|"]
    for system, r in rows.items():
        if not system.startswith("article"):
            for key, flags in r.items():
                total[key] += flags
        lines.append(_line(system, r))
    lines.append(_line("**all respellings**", total))
    known = [(a, b) for a, b in KNOWN_DISTINCT if same_name(skeleton(a), skeleton(b))]
    known_loose = [(a, b) for a, b in KNOWN_DISTINCT if loosely_same_words(a, b)]
    pairs, accepted = false_matches(people, others)
    loose = loose_false_matches(people, others)
    lines += ["", f"False matches on well-known distinct names: {len(known)} of {len(KNOWN_DISTINCT)} pairs"
              + (f" ({', '.join(f'{a}/{b}' for a, b in known)})." if known else ".")
              + f" By the loose test tried for a name found nowhere: {len(known_loose)}"
              + (f" ({', '.join(f'{a}/{b}' for a, b in known_loose)})." if known_loose else "."),
              f"Look-alike names in these articles taken for one name: {len(accepted)} of {len(pairs)} pairs "
              "(to be read: many differ only in vowels, which no spelling test can tell from a transliteration): "
              + ", ".join(f"{a}/{b}" for a, b in accepted) + ".",
              f"Names of these articles the loose test alone takes for one name ({len(loose)} pairs; it is tried "
              "only for a query name that matches nothing by the first test): "
              + ", ".join(f"{a}/{b}" for a, b in loose) + "."]
    if misses:
        shown = "; ".join(misses[:25]) + (" ..." if len(misses) > 25 else "")
        lines += ["", f"Not in our top 3 ({len(misses)}): {shown}"]
    return "\n".join(lines)


def _line(label: str, r: dict[str, list[bool]]) -> str:
    cells = " | ".join(f"{statistics.mean(r[k]):.3f}" for k in ("ours@1", "ours@3", "dense@1", "dense@3", "matcher"))
    return f"| {label} | {len(r['ours@1'])} | {cells} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--workdir", type=Path, help="keep the index here between runs")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        body = run(args.people, args.workdir or Path(tmp))
    print(body)
    if not args.no_write:
        append_section("Names in every spelling", body)


if __name__ == "__main__":
    main()
