"""Name matching that tolerates transliteration and misspelling, over the index's own vocabulary of names.

Every capitalised word in the indexed text is a candidate name. Each gets a *skeleton*: ASCII-folded, with
letters that transliteration systems swap for one another merged into one class (German j/w/z/sch against
English y/v/s/sh, i/y/j for the Cyrillic й and ы, c/k/q) and doubled letters collapsed. A query word
matches a name when their skeletons are close (rapidfuzz ratio) *and* their consonant frames agree (equal,
or one edit apart on longer frames), so Ryabkov finds Rjabkow, Kyiv finds Kiev, Kellog finds Kellogg and
Zelensky finds Selenskyj, while Austria does not find Australia nor Iran Iraq.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process

from bot.spelling import MIN_RATIO, fold, same_name, skeleton
from bot.words import STOPWORDS

# Letters only ("BRCA1" or "F-16" are codes, not spellable names), apostrophes inside kept: Georgian
# ejectives (K'obakhidze) and O'Brien are one name; a possessive 's is not part of it.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
MIN_LEN = 4


class Names:
    """Folded name -> chunk positions, bucketed by skeleton initial for fast fuzzy lookup."""

    def __init__(self, documents: Sequence[str]) -> None:
        postings: dict[str, set[int]] = defaultdict(set)
        spelt: dict[str, str] = {}
        for pos, text in enumerate(documents):
            for raw in map(_bare, _TOKEN.findall(text)):
                if len(raw) >= MIN_LEN and raw[0].isupper():
                    name = fold(raw)
                    if name not in STOPWORDS:
                        postings[name].add(pos)
                        spelt.setdefault(name, raw)
        self.postings = dict(postings)
        buckets: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name in self.postings:
            skel = skeleton(spelt[name])  # from the letters as written: scholarly š is sh, not s
            buckets[skel[:1]].append((skel, name))
        self._buckets = {k: ([s for s, _ in v], [n for _, n in v]) for k, v in buckets.items()}

    def __len__(self) -> int:
        return len(self.postings)

    def variants(self, word: str) -> list[str]:
        """Indexed names (folded) that spell ``word`` another way, the exact form included when indexed."""
        skel = skeleton(word)
        skels, names = self._buckets.get(skel[:1], ([], []))
        hits = process.extract(skel, skels, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, limit=None)
        return [names[i] for s, _, i in hits if same_name(skel, s)]


def name_words(query: str, known: Callable[[str], bool]) -> list[str]:
    """Query words worth name-matching, as written: capitalised ones, and any word the index has never seen."""
    picked: list[str] = []
    for raw in map(_bare, _TOKEN.findall(query)):
        word = fold(raw)
        if len(word) < MIN_LEN or word in STOPWORDS:
            continue
        if raw[0].isupper() or not known(word):
            picked.append(raw)
    return list(dict.fromkeys(picked))


def _bare(raw: str) -> str:
    return _POSSESSIVE.sub("", raw)
