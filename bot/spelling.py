"""How names are spelt: ASCII folding and a transliteration-tolerant "same name" test.

Shared by retrieval (matching query names to the index's names) and citation checking (a sentence that
writes Ryabkov is supported by a passage that writes Rjabkow). A word gets a *skeleton*: ASCII-folded, with
letters that transliteration systems swap for one another merged into one class (German j/w/z/sch against
English y/v/s/sh, i/y/j for the Cyrillic й and ы, c/k/q) and doubled letters collapsed.
"""

from __future__ import annotations

import re

from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

_DIGRAPHS = (("tsch", "ch"), ("sch", "sh"), ("tch", "ch"), ("ck", "k"), ("ph", "f"), ("kh", "h"), ("x", "ks"))
_CLASSES = str.maketrans({"j": "i", "y": "i", "w": "v", "z": "s", "c": "k", "q": "k"})
_VOWELS = re.compile(r"[aeiouh]")
_DOUBLES = re.compile(r"(.)\1+")
MIN_RATIO = 80.0


def skeleton(word: str) -> str:
    s = fold(word)
    for old, new in _DIGRAPHS:
        s = s.replace(old, new)
    return _DOUBLES.sub(r"\1", s.translate(_CLASSES))


def consonants(skel: str) -> str:
    return skel[:1] + _VOWELS.sub("", skel[1:])


def same_name(a: str, b: str) -> bool:
    """Whether two skeletons plausibly spell the same name."""
    if fuzz.ratio(a, b) < MIN_RATIO:
        return False
    ca, cb = consonants(a), consonants(b)
    # Vowels may differ freely (Kiev/Kyiv), consonants only by a swap of two (Zelenksy/Zelensky).
    return ca == cb or (len(ca) >= 4 and sorted(ca) == sorted(cb) and OSA.distance(ca, cb) <= 1)


def fold(word: str) -> str:
    """Lower case and ASCII (Rjabkow, Рябков and Selenskyj become comparable); ASCII words skip anyascii."""
    word = word.lower()
    return word if word.isascii() else anyascii(word).lower()
