"""Sentence spans with character offsets, for citations and extractive answers and summaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) before whitespace and a
# capital letter, digit or opening quote or bracket; or at a paragraph break. Common abbreviations are protected.
# A citation marker after a closing quote ("… “last one.” [1]") stays with its sentence.
_END = re.compile(r"""(?<=[.!?…])(["'”’»)\]]?)\s+(?=["'“‘«(]?[A-Z0-9À-ÖØ-ÞА-Я]|\[[A-Z])|\n\s*\n|\n(?=\S)""")
# Titles before a name (military ranks included: "Army Spc. Caleb Barnes") never end a sentence.
ABBREVIATIONS = (r"\b(?:Mr|Mrs|Ms|Messrs|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Spc|Pvt|Pfc|Cpl|Capt|Maj|Cmdr|Adm|"
                 r"Brig|Det|Supt|Insp|Rev|Hon|Rt|Fr|Jr|Sr|Inc|Ltd|Co|vs|v|U\.S|U\.K|No|Jan|Feb|"
                 r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.")
_ABBREV = re.compile(ABBREVIATIONS + "$")


# A news dateline opening an article or paragraph: "WASHINGTON (AP) –", "New York (CNN Business) —",
# "MOSCOW (Reuters) -", and CNN's bare "(CNN)" / "London (CNN)" glued to the first word. A place of up
# to five capitalised words, then an agency in capitals or in brackets, then a dash (optional only after a
# bracketed agency in capitals, so "Obama (Democrat) said" keeps its words).
DATELINE = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,4}\s*)?"
                      r"(?:\([^)\n]{1,40}\)\s*[—–-]{1,2}|\(?[A-Z]{2,}(?:\s+[A-Z][a-z]+)?\)?\s*[—–]"
                      r"|\([A-Z]{2,}(?:\s+[A-Z][a-z]+)?\))\s*")


def after_dateline(text: str) -> int:
    """Characters of ``text`` taken by a dateline opening it (0 for none)."""
    m = DATELINE.match(text)
    return m.end() if m and m.end() < len(text) else 0


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    spans: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        cut = match.start() + len(match.group(1) or "")  # a closing quote stays with its sentence
        head = text[start:cut].rstrip()
        if not match.group(1) and "\n" not in match.group() and _ABBREV.search(head):
            continue  # "Mr. Smith", "U.S. officials": not a sentence end
        _add(spans, text, start, cut)
        start = match.end()
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append(Sentence(start + lead, start + lead + len(stripped), stripped))


_OPEN = re.compile(r"[“«]|(?<![\w’'])[‘'](?=\w)|(?<!\w)\"(?=\w)")
_CLOSE = re.compile(r"[”»]|(?<=[\w.,!?])[’'](?![\w])|(?<=[\w.,!?])\"")


def unclosed_quote(text: str) -> bool:
    """True for a piece of a longer quotation: the sentence opens a quote it does not close ("‘I had a taste
    of it at Hearts." when the speaker goes on in the next sentence). An apostrophe inside a word is neither."""
    return len(_OPEN.findall(text)) > len(_CLOSE.findall(text))
