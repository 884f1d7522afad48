"""How names are spelt: ASCII folding and a transliteration-tolerant "same name" test.

Shared by retrieval (matching query names to the index's names), citation checking (a sentence that
writes Ryabkov is supported by a passage that writes Rjabkow) and speaker grouping. A word gets a
*skeleton*: its letters read as the sounds romanisation systems write differently, each sound one class:
scholarly č/š/ž as English ch/sh/zh; ч ш щ (ch, tch, tsch, sh, sch, French ch) as one hissing class;
дж (j, dzh, dj, dsch) and й (j, y, i) as i; х (kh, h, German ch) as h; c as s before e/i/y and k elsewhere;
w/v, z/s, q/k, ph/f, th/t, French ou/oo as u; apostrophes (Georgian ejectives, soft signs) dropped;
doubled letters collapsed. Two skeletons name the same person when they are close (rapidfuzz ratio) and
their consonant frames agree: equal, two consonants swapped (a typo), or differing only by a voiced /
voiceless pair or by g/h (Ukrainian h for Russian g: Hennadiy/Gennady, Oleh/Oleg). Vowels may change
(Kiev/Kyiv, Mohammed/Muhammad) but not appear between consonants (`shape`), so two names that differ
only in vowels cannot be told apart; the ratio keeps short ones apart (Iran/Iraq, Austria/Australia).

`loose_key` and `loosely_same` are a second, looser test for a name the first finds nowhere: each way a
spelling can be read (German ch and scholarly x are h, c may be k or ts, French ou beside a vowel is w),
vowels free, voiced and voiceless consonants one, and p for f (Georgian has no f). Only the consonant
frame and where vowels stand must agree, and the last vowel, which marks gender (Lavrov/Lavrova).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

# Letters anyascii would fold to a different sound (č is ch, not c); the rest it folds well.
_PRE = str.maketrans({"č": "ch", "š": "sh", "ž": "zh", "ć": "ch", "ś": "sh", "ź": "zh", "ǧ": "g", "ğ": "g"})
_APOSTROPHES = re.compile(r"(?<=\w)['’ʼʹ`](?=\w)|(?<=\w)['’ʼʹ`]$")
_DIGRAPHS = (("dzh", "i"), ("dsch", "i"), ("dj", "i"), ("shch", "x"), ("schtsch", "x"), ("chtch", "x"),
             ("tsch", "x"), ("tch", "x"), ("sch", "x"), ("sh", "x"), ("ch", "x"), ("zh", "x"), ("kh", "h"),
             ("ck", "k"), ("ph", "f"), ("th", "t"), ("ts", "s"), ("tz", "s"))
_CLASSES = str.maketrans({"j": "i", "y": "i", "w": "v", "z": "s", "q": "k"})
_OU_W = re.compile(r"ou(?=[aeiy])")  # French ou before a vowel is w: Ouattara, Steouart
_C_SOFT = re.compile(r"c(?=[eiy])")
_ENGLISH_X = re.compile(r"(?<=[aeiou])x|x(?=$|[^aeiou])")  # "Max", "Dexter": ks; scholarly х is h
_VOWELS = re.compile(r"[aeiouh]")
_DOUBLES = re.compile(r"(.)\1+")
# Sounds one system writes voiced and another voiceless, and Ukrainian h for Russian g: told apart only
# on names long enough that the rest of the name agrees.
_SOFT = str.maketrans({"g": "k", "d": "t", "b": "p", "v": "f", "h": "k"})
SOFT_MIN = 4
LONG = 6  # names this long may differ in more vowels (Mohammed/Muhammad)
MIN_RATIO = 80.0
VOWELS_RATIO = 65.0


def _letters(word: str) -> str:
    """Lower case, scholarly letters spelt out (č is ch), apostrophes dropped, ASCII."""
    return fold(_APOSTROPHES.sub("", unicodedata.normalize("NFC", word.lower()).translate(_PRE)))


def skeleton(word: str) -> str:
    s = _letters(word)
    s = _OU_W.sub("v", _ENGLISH_X.sub("ks", s).replace("x", "h"))
    s = _DOUBLES.sub(r"\1", s.replace("ou", "u").replace("oo", "u").replace("ee", "i"))
    for old, new in _DIGRAPHS:
        s = s.replace(old, new)
    s = _C_SOFT.sub("s", s).replace("c", "k")
    return _DOUBLES.sub(r"\1", s.translate(_CLASSES))


def consonants(skel: str) -> str:
    """The consonants in order: h counts as a vowel (kh, h and nothing alternate: Mohammed/Muhamed)."""
    return _VOWELS.sub("", skel)


def shape(skel: str, vowels: str = "aeiouh") -> str:
    """The consonants with a mark where vowels stand between them: transliteration changes vowels, but does
    not put one where there was none (Savitz is not Swiss). Leading vowels do not count (Ye-, Yo-); a
    final vowel's letter does, as Slavic names mark gender with it (Zelensky/Zelenska, Lavrov/Lavrova),
    while -ei, -ii, -iy, -y all end in i (Sergei/Serhiy)."""
    return "".join(_body_end(skel, vowels))


def _body_end(skel: str, vowels: str = "aeiouh") -> tuple[str, str]:
    """`shape` in two: the consonants with vowel marks, and the final vowel's letter."""
    final = re.search(f"[{vowels}]+$", skel[1:])
    return re.sub(f"[{vowels}]+", "V", skel).strip("V"), final.group()[-1] if final else ""


def _one_slot_apart(x: str, y: str) -> bool:
    """The shapes differ by one vowel slot among the last consonants (Aleksandr/Alexander, Pyotr/Peter)."""
    x, y = (x, y) if len(x) > len(y) else (y, x)
    i = x.rfind("V")
    return i >= 0 and len(x) - i <= 3 and x[:i] + x[i + 1:] == y


def same_name(a: str, b: str) -> bool:
    """Whether two skeletons plausibly spell the same name."""
    if _frames_agree(a, b):
        # Only vowels differ: long names may differ in more of them (Mohammed/Muhammad).
        same = consonants(a) == consonants(b) and shape(a) == shape(b) and min(len(a), len(b)) >= LONG
        if fuzz.ratio(a, b) >= (VOWELS_RATIO if same else MIN_RATIO):
            return True
    if min(len(a), len(b)) < SOFT_MIN:
        return False
    # Voiced for voiceless, h for g (Oleh/Oleg, Serhiy/Sergei): h is a consonant here.
    sa, sb = a.translate(_SOFT), b.translate(_SOFT)
    return fuzz.ratio(sa, sb) >= MIN_RATIO and shape(sa, "aeiou") == shape(sb, "aeiou")


def _frames_agree(a: str, b: str) -> bool:
    ca, cb = consonants(a), consonants(b)
    if not ca or not cb:
        return ca == cb
    sa, sb = shape(a), shape(b)
    if ca == cb:  # the same consonants; vowels where the other has them (or one slot apart at the end)
        return sa == sb or _one_slot_apart(sa, sb)
    # Two consonants swapped (Zelenksy/Zelensky): a typo.
    return len(ca) >= 4 and sorted(ca) == sorted(cb) and OSA.distance(ca, cb) <= 1


def fold(word: str) -> str:
    """Lower case and ASCII (Rjabkow, Рябков and Selenskyj become comparable); ASCII words skip anyascii."""
    word = word.lower()
    return word if word.isascii() else anyascii(word).lower()


# Spellings that systems read differently, each tried both ways by the loose test.
_READINGS = ((re.compile(r"(?<![st])ch"), "kh"),  # German and Ukrainian ch is х (Chunt: Hunt)
             (re.compile(r"x"), "kh"),  # scholarly x is х (Uxura: Uhura)
             (re.compile(r"c(?!h)"), "k"),  # Italian, Georgian: Ciaglo is K'iaglo
             (re.compile(r"c(?!h)"), "ts"),  # Slavic c is ц (Savic: Savitz)
             (re.compile(r"(?<=[aeiou])ou|ou(?=[aeiou])"), "w"),  # French ou beside a vowel (Neouton: Newton)
             (re.compile(r"qu"), "kw"),
             (re.compile(r"(?<![cgkpstz])h"), "g"))  # Ukrainian h is Russian g (Hranolm: Granholm)
_COARSE = str.maketrans({"b": "p", "f": "p", "v": "p", "g": "k", "d": "t", "z": "s"})
# Last vowels that one system writes and another drops or changes without changing the name: silent e
# (Grace, Graca in the three-vowel Arabic style), a final h (Singh, Sing), o for u.
_SAME_ENDINGS = {frozenset({"", "h"}), frozenset({"e", "a"}), frozenset({"o", "u"})}


def readings(word: str) -> set[str]:
    """The word's skeletons under each reading of its ambiguous spellings (the usual one included)."""
    base = _APOSTROPHES.sub("", _letters(word))  # and those ASCII folding wrote (a soft sign's ')
    choices = [[None, (pattern, new)] if pattern.search(base) else [None] for pattern, new in _READINGS]
    found = set()
    for picked in itertools.product(*choices):
        s = base
        for choice in picked:
            if choice:
                s = choice[0].sub(choice[1], s)
        found.add(skeleton(s))
    return found


def loose_key(skel: str) -> str:
    """The coarse consonant frame two loosely same names share (the index's bucket for the loose test)."""
    return consonants(skel.translate(_COARSE))


def loosely_same(a: str, b: str) -> bool:
    """Two skeletons (one reading each) with one coarse consonant frame of two consonants or more, at most
    one consonant changed within its class (Biden is not Putin), vowels where the other has them, and
    endings that agree (a silent e may be dropped on long names)."""
    ca, cb = a.translate(_COARSE), b.translate(_COARSE)
    if min(len(a), len(b)) < 4 or len(consonants(ca)) < 2 or consonants(ca) != consonants(cb):
        return False
    if sum(x != y for x, y in zip(consonants(a), consonants(b), strict=True)) > 1:
        return False
    (body_a, end_a), (body_b, end_b) = _body_end(ca), _body_end(cb)
    if body_a != body_b:
        return False
    ends = frozenset({end_a, end_b})
    return len(ends) == 1 or ends in _SAME_ENDINGS or (ends == {"", "e"} and min(len(a), len(b)) >= LONG)



def loosely_same_words(a: str, b: str) -> bool:
    """The loose test on two words as written, under any of their readings."""
    return any(loosely_same(x, y) for x in readings(a) for y in readings(b))
