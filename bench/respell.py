"""Names respelled by published romanisation systems, for bench.names.

A name as an English-language article spells it is read into the script it would be written in (Russian
Cyrillic by the usual English-to-Russian practical transcription; Georgian letter by letter), then
romanised back by another system, as a Russian, Ukrainian, German, French or scholarly source would print
it: "Zelensky" becomes Zelenskiy (BGN/PCGN), Zelenskij (scholarly), Selenski (German), Zelenskii (French
passport system), Zelenskyi (Ukrainian national system). Russian systems come from the ``iuliia`` package,
which implements them as published; German (Duden), Ukrainian (2010 national system), Georgian
(ISO 9984, ejectives marked ') and the Arabic conventions are small tables written here from those
standards. Arabic-origin names are not read into Arabic script (English spellings do not say which
consonant is meant); instead the two conventions that respell them in Latin letters are applied: French
(ou, dj, ch) and the three-vowel scholarly style (a/i/u only: Mohammed -> Muhammad).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import iuliia

# English spelling -> Russian Cyrillic, longest match first ("shch" before "sh" before "s").
_TO_CYRILLIC = [
    ("shch", "щ"), ("sch", "ш"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("tz", "ц"),
    ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"), ("ck", "к"), ("ph", "ф"), ("th", "т"), ("gh", "г"),
    ("ee", "и"), ("oo", "у"), ("ou", "у"), ("iy", "ий"), ("ii", "ий"), ("j", "дж"), ("x", "кс"), ("w", "в"),
    ("q", "к"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"),
    ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("z", "з"),
]
_VOWELS_EN = "aeiou"


def to_cyrillic(word: str) -> str:
    """One English-spelt name word in Russian Cyrillic ("Zelensky" -> "Зеленский")."""
    w, out, i = word.lower(), [], 0
    if w.startswith("mc"):
        out.append("мак")
        i = 2
    while i < len(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < len(w) else ""
        digraph = next(((lat, cyr) for lat, cyr in _TO_CYRILLIC if len(lat) > 1 and w.startswith(lat, i)), None)
        if digraph:
            out.append(digraph[1])
            i += len(digraph[0])
            continue
        if w[i] == "y":  # й after a vowel, ий at the end after a consonant, и elsewhere
            out.append("й" if prev and prev in _VOWELS_EN else "ий" if not nxt else "и")
        elif w[i] == "c":
            out.append("с" if nxt in ("e", "i") and nxt else "к")
        elif w[i] == "h" and prev and (prev not in _VOWELS_EN or (nxt and nxt not in _VOWELS_EN)):
            pass  # silent after a consonant or before one ("Johnson")
        elif w[i] == "i" and prev and prev in _VOWELS_EN and not nxt:
            out.append("й")  # "Sergei", "Andrei"
        else:
            out.append(dict(_TO_CYRILLIC).get(w[i], w[i]))
        i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


_GERMAN = {"а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch", "з": "s", "и": "i",
           "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
           "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y",
           "ь": "", "э": "e", "ю": "ju", "я": "ja"}
_UKRAINIAN = {"а": "a", "б": "b", "в": "v", "г": "h", "д": "d", "е": "e", "ё": "io", "ж": "zh", "з": "z", "и": "y",
              "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
              "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
              "ь": "", "э": "e", "ю": "iu", "я": "ia"}
_UKRAINIAN_INITIAL = {"й": "y", "ю": "yu", "я": "ya", "ё": "yo"}
_CYR_VOWELS = "аеёиоуыэюяй"


def german(cyrillic: str) -> str:
    """Duden: в w, ж/ш sch, ч tsch, х ch, ц z, з s, с ss between vowels, е je after a vowel, -ий -i."""
    out = []
    for n, ch in enumerate(cyrillic.lower()):
        prev = cyrillic.lower()[n - 1] if n else ""
        nxt = cyrillic.lower()[n + 1] if n + 1 < len(cyrillic) else ""
        if ch == "с" and prev in _CYR_VOWELS and nxt in _CYR_VOWELS and prev and nxt:
            out.append("ss")
        elif ch == "е" and (not prev or prev in _CYR_VOWELS):
            out.append("je")
        elif ch == "й" and prev == "и" and not nxt:
            continue  # -ий is -i
        else:
            out.append(_GERMAN.get(ch, ch))
    return _capital("".join(out))


def ukrainian(cyrillic: str) -> str:
    """The 2010 national system, the name first respelled as Ukrainian writes it (Russian и is і, ы is и)."""
    text = cyrillic.lower().replace("ий", "ій").replace("и", "і").replace("ы", "и").replace("іі", "ії")
    table = {**_UKRAINIAN, "і": "i", "ї": "i", "є": "ie"}
    out = []
    for n, ch in enumerate(text):
        if n == 0 and ch in _UKRAINIAN_INITIAL:
            out.append(_UKRAINIAN_INITIAL[ch])
        elif ch == "й" and n + 1 == len(text):
            out.append("i")
        else:
            out.append(table.get(ch, ch))
    return _capital("".join(out).replace("iy", "yi"))


# English letters -> Georgian script (letter by letter, as Georgian spells foreign names), then ISO 9984.
_TO_GEORGIAN = [("sh", "შ"), ("ch", "ჩ"), ("kh", "ხ"), ("ts", "ც"), ("dz", "ძ"), ("zh", "ჟ"), ("gh", "ღ"),
                ("th", "თ"), ("ph", "ფ"), ("a", "ა"), ("b", "ბ"), ("c", "კ"), ("d", "დ"), ("e", "ე"), ("f", "ფ"),
                ("g", "გ"), ("h", "ჰ"), ("i", "ი"), ("j", "ჯ"), ("k", "კ"), ("l", "ლ"), ("m", "მ"), ("n", "ნ"),
                ("o", "ო"), ("p", "პ"), ("q", "ყ"), ("r", "რ"), ("s", "ს"), ("t", "ტ"), ("u", "უ"), ("v", "ვ"),
                ("w", "ვ"), ("x", "ქს"), ("y", "ი"), ("z", "ზ")]
_ISO_9984 = {"ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k'",
             "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p'", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t'", "უ": "u",
             "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q'", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts'",
             "ჭ": "ch'", "ხ": "kh", "ჯ": "j", "ჰ": "h"}


def georgian(word: str) -> str:
    w, out, i = word.lower(), [], 0
    while i < len(w):
        for latin, geo in _TO_GEORGIAN:
            if w.startswith(latin, i):
                out.append(geo)
                i += len(latin)
                break
        else:
            out.append(w[i])
            i += 1
    return _capital("".join(_ISO_9984.get(ch, ch) for ch in "".join(out)))


def arabic_french(word: str) -> str:
    """French transcription of Arabic names: ou for u and w, dj for j, ch for sh (Oussama, Djamel, Cherif)."""
    w = word.lower().replace("sh", "ʃ").replace("ou", "u").replace("oo", "u")
    w = w.replace("j", "dj").replace("u", "ou").replace("w", "ou").replace("ʃ", "ch")
    return _capital(w)


def arabic_three_vowels(word: str) -> str:
    """Scholarly style with Arabic's three vowels: e and o are a and u, ee i, ey/ei ay (Mohammed -> Muhammad)."""
    w = word.lower().replace("ee", "i").replace("oo", "u").replace("ou", "u")
    w = re.sub(r"e[iy]", "ay", w)
    return _capital(w.replace("e", "a").replace("o", "u"))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _via_cyrillic(romanise: Callable[[str], str]) -> Callable[[str], str]:
    return lambda word: romanise(to_cyrillic(word))


# system name -> word respeller. Each takes and returns one word of a name.
SYSTEMS: dict[str, Callable[[str], str]] = {
    "Russian Cyrillic": to_cyrillic,
    "BGN/PCGN": _via_cyrillic(iuliia.BGN_PCGN_ALT.translate),
    "scholarly": _via_cyrillic(iuliia.SCIENTIFIC.translate),
    "ISO 9": _via_cyrillic(iuliia.ISO_9_1968.translate),
    "French (passport)": _via_cyrillic(iuliia.MVD_310_FR.translate),
    "German (Duden)": _via_cyrillic(german),
    "Ukrainian (2010)": _via_cyrillic(ukrainian),
    "Georgian (ISO 9984)": georgian,
    "Arabic (French)": arabic_french,
    "Arabic (three vowels)": arabic_three_vowels,
}


def respell(name: str, system: str) -> str:
    return " ".join(SYSTEMS[system](w) for w in name.split())
