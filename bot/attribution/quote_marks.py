"""Direct quotes found by their marks, on the plain text before any parse: where each quotation's inside
begins and ends (straight and curly, double and single marks, a quote that runs over paragraphs, a closing
mark that is missing), the New York Times archive's ''two apostrophes'' read as double marks, and the halves
of a quote split around its cue taken as one. Attributing the quotes is `extract`'s job.
"""

from __future__ import annotations

import re

from bot.sentences import ABBREVIATIONS

DOUBLE_OPEN, DOUBLE_CLOSE = "“„«", "”»"
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
MAX_QUOTE = 5000  # characters: a longer "quote" is a stray mark
_ABBREVIATION = re.compile(ABBREVIATIONS)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation's inside, without its marks. A quote left open at the end of a
    paragraph continues if the next paragraph opens with a mark (the news convention), else ends there."""
    spans: list[tuple[int, int]] = []
    single = _uses_single_quotes(text)
    i, n = 0, len(text)
    while i < n:
        kind = _opening(text, i, single)
        if kind is None:
            i += 1
            continue
        start = i + 1
        end = _closing(text, start, kind)
        if end is None:
            i = start
            continue
        if 0 < end - start <= MAX_QUOTE and text[start:end].strip():
            spans.append((start, end))
        i = end + 1 if end < n and text[end] != "\n" else end
    return spans


def _uses_single_quotes(text: str) -> bool:
    """Single marks are quotes only in articles that quote with them (Daily Mail style), not apostrophes."""
    return len(re.findall(r"(?:^|[\s(\[—-])[‘']\w", text)) >= 2


def _opening(text: str, i: int, single: bool) -> str | None:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in DOUBLE_OPEN:
        return "double"
    if ch == '"' and (before.isspace() or before in "([—-") and not after.isspace():
        return "straight"
    if single and ch in SINGLE_OPEN and (before.isspace() or before in "([—-") and after.isalnum():
        return "single"
    if single and ch == "'" and (before.isspace() or before in "([—-") and after.isalnum() and "‘" not in text:
        return "single"
    return None


def _closing(text: str, start: int, kind: str) -> int | None:
    """Index of the closing mark; a paragraph break without one ends the quote there (or continues it when
    the next paragraph opens with a mark)."""
    j = start
    n = len(text)
    while j < n:
        ch = text[j]
        if kind == "double" and ch in DOUBLE_CLOSE:
            return j
        if kind == "straight" and ch == '"':
            return j
        # Mixed marks, common in copy pasted from several tools: “...," or "...” close like their own kind
        if kind == "straight" and ch in DOUBLE_CLOSE:
            return j
        if kind == "double" and ch == '"' and not text[j - 1 : j].isspace() and not text[j + 1 : j + 2].isalnum():
            return j
        if kind == "single" and ch in "’'" and _closes_single(text, j):
            return j
        if kind in ("double", "straight") and ch in DOUBLE_OPEN and j > start:
            return back_to_text(text, j)  # a new quote opened: this one lost its closing mark
        if text.startswith("\n\n", j) or (ch == "\n" and j + 1 < n and text[j + 1] != "\n"):
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k < n and (text[k] in DOUBLE_OPEN + SINGLE_OPEN + '"' + "'"):
                j = k + 1  # the quote goes on in the next paragraph
                continue
            return back_to_text(text, j)
        j += 1
    return back_to_text(text, n)


def _closes_single(text: str, j: int) -> bool:
    """A closing single mark, not an apostrophe: after punctuation, or before punctuation or a space that is
    followed by a speech verb's neighbourhood (lower-case word)."""
    before = text[j - 1] if j > 0 else ""
    after = text[j + 1] if j + 1 < len(text) else " "
    if after.isalpha():
        return False  # don’t, Trump’s
    return before in ".,!?…—-" or after in ".,;:!?)" or after == "\n"


def back_to_text(text: str, j: int, also: str = "") -> int:
    while j > 0 and (text[j - 1].isspace() or text[j - 1] in also):
        j -= 1
    return j


def double_apostrophes(text: str) -> str:
    """''Quoted'' with two apostrophes for each mark (the New York Times' archive copy) read as straight double
    marks, the same length: an opening pair becomes ' "' and a closing one '" ', so every offset holds."""
    def plain(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else " "
        opening = before.isspace() or before in "([—-"
        if len(m.group()) == 3:  # three marks: a quote inside a quote ends (or starts) with the double one
            return " \"'" if opening else "'\" "
        return ' "' if opening else '" '

    return re.sub(r"(?<!')'{2,3}(?!')", plain, text)


def merge_split(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotes split around their cue (“A,” he said, “B.”) as one: the text between is short and holds no
    sentence end of its own."""
    out: list[tuple[int, int]] = []
    for q in quotes:
        if out:
            gap = text[out[-1][1] : q[0]].strip(" “”\"‘’")
            # ", he said," or ", Trump told reporters," between the halves: a few words ending in a comma; or a
            # bare cue sentence ("he said.") between two quotes of one paragraph.
            words = len(gap.split())
            plain = _ABBREVIATION.sub("", gap[:-1])  # ", Ms. Acosta said," ends no sentence
            split = gap.endswith(",") and words <= 8 and not re.search(r"[.!?]", plain)
            cue_only = gap.endswith(".") and 1 <= words <= 5 and not re.search(r"[.!?]", plain)
            if "\n" not in gap and (split or cue_only):
                out[-1] = (out[-1][0], q[1])
                continue
        out.append(q)
    return out
