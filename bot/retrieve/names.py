"""Name matching that tolerates transliteration and misspelling, over the index's own vocabulary of names.

Every capitalised word in the indexed text is a candidate name. Each gets a *skeleton*: ASCII-folded, with
letters that transliteration systems swap for one another merged into one class (German j/w/z/sch against
English y/v/s/sh, i/y/j for the Cyrillic й and ы, c/k/q) and doubled letters collapsed. A query word
matches a name when their skeletons are close (rapidfuzz ratio) *and* their consonant frames agree (equal,
or one edit apart on longer frames), so Ryabkov finds Rjabkow, Kyiv finds Kiev, Kellog finds Kellogg and
Zelensky finds Selenskyj, while Austria does not find Australia nor Iran Iraq. A name that matches
nothing that way is tried against the looser test (`bot.spelling.loosely_same`: Chunt finds Hunt, Pinnei
Finney, Panca Pence), so a spelling system the first test does not know still finds the person, while a
name the index holds is never widened to its look-alikes. Being looser, it also pairs words that are not
names (a German question's nouns), so retrieval adds its matches to the lexical query only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cached_property

from rapidfuzz import fuzz, process

from bot.spelling import MIN_RATIO, fold, loose_key, loosely_same, readings, same_name, skeleton
from bot.words import STOPWORDS

# Letters only ("BRCA1" or "F-16" are codes, not spellable names), apostrophes inside kept: Georgian
# ejectives (K'obakhidze) and O'Brien are one name; a possessive 's is not part of it.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’ʼ]s$")
MIN_LEN = 4
# Three-letter names (Bob, Kim, Rid; not acronyms: NFL) are indexed and asked for, but matched only to
# names with their exact skeleton (Rid is Reed): three letters leave a close test nothing to tell apart by.
SHORT_LEN = 3


class Names:
    """Folded name -> chunk positions, bucketed by skeleton initial for fast fuzzy lookup."""

    def __init__(self, documents: Sequence[str]) -> None:
        postings: dict[str, set[int]] = defaultdict(set)
        spelt: dict[str, str] = {}
        inside: set[str] = set()  # written capitalised inside a sentence at least once
        lower: set[str] = set()  # written in lower case
        for pos, text in enumerate(documents):
            for match in _TOKEN.finditer(text):
                raw = _bare(match.group())
                if raw[0].islower():
                    lower.add(raw)
                elif len(raw) >= SHORT_LEN and raw[0].isupper() and (len(raw) >= MIN_LEN or raw[1:].islower()):
                    name = fold(raw)
                    if name not in STOPWORDS:
                        postings[name].add(pos)
                        spelt.setdefault(name, raw)
                        if _mid_sentence(text, match.start()):
                            inside.add(name)
        # A word the articles write in lower case and capitalise only where a sentence starts ("Despite",
        # "Officials") is not a name.
        self.postings = {name: at for name, at in postings.items() if name in inside or name not in lower}
        self._spelt = {name: spelt[name] for name in self.postings}
        buckets: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, raw in self._spelt.items():
            skel = skeleton(raw)  # from the letters as written: scholarly š is sh, not s
            buckets[skel[:1]].append((skel, name))
        self._buckets = {k: ([s for s, _ in v], [n for _, n in v]) for k, v in buckets.items()}

    @cached_property
    def _loose(self) -> dict[str, list[tuple[str, str]]]:
        """Every reading of every name by its coarse frame: built on the first loose look-up, not with the
        index, which most questions never need it for."""
        loose: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, raw in self._spelt.items():
            for reading in readings(raw):
                loose[loose_key(reading)].append((reading, name))
        return dict(loose)

    def __len__(self) -> int:
        return len(self.postings)

    def variants(self, word: str) -> list[str]:
        """Indexed names (folded) that spell ``word`` another way, the exact form included when indexed."""
        skel = skeleton(word)
        skels, names = self._buckets.get(skel[:1], ([], []))
        if len(fold(word)) < MIN_LEN:
            return [name for s, name in zip(skels, names, strict=True) if s == skel]
        hits = process.extract(skel, skels, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, limit=None)
        return [names[i] for s, _, i in hits if same_name(skel, s)]

    def loose_variants(self, word: str) -> list[str]:
        """Indexed names the looser test takes for ``word`` (`bot.spelling.loosely_same`): for a name that
        `variants` finds nowhere."""
        if len(fold(word)) < MIN_LEN:
            return []
        found = {name for reading in readings(word) for s, name in self._loose.get(loose_key(reading), [])
                 if loosely_same(reading, s)}
        return sorted(found)


def name_words(query: str, known: Callable[[str], bool]) -> list[str]:
    """Query words worth name-matching, as written: capitalised ones, and any word the index has never seen."""
    picked: list[str] = []
    for match in _TOKEN.finditer(query):
        raw = _bare(match.group())
        word = fold(raw)
        # A short word is a name only where its capital is not the sentence's (Gas prices, Due to).
        short = raw[0].isupper() and raw[1:].islower() and _mid_sentence(query, match.start())
        if len(word) < (SHORT_LEN if short else MIN_LEN) or word in STOPWORDS:
            continue
        if raw[0].isupper() or not known(word):
            picked.append(raw)
    return list(dict.fromkeys(picked))


def _mid_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` stands inside a sentence: a word, or a comma or dash, right before it."""
    before = text[max(0, at - 8) : at].rstrip(" \t\xa0")
    return bool(before) and (before[-1].isalnum() or before[-1] in ",;&–—-")


def _bare(raw: str) -> str:
    return _POSSESSIVE.sub("", raw)
