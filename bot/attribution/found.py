"""One statement as the extractor reports it (`Found`, every offset into the article's cleaned text), in a
module of its own so that the statement finder (`extract`) and speaker resolution (`people`), which both build
and rewrite these records, share the type without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["direct", "indirect"]


@dataclass(frozen=True)
class Found:
    """One statement in an article (offsets into its cleaned text)."""

    speaker: str
    mention: str
    cue: str
    content: str
    kind: Kind
    start: int
    end: int
    mention_start: int
    mention_end: int
    cue_start: int
    cue_end: int
    sentence_start: int  # the sentence(s) holding the statement and its cue: what an answer shows
    sentence_end: int
    # What was said without the attribution inside it: a direct quote's quoted parts ("A," he said, speaking
    # after the vote. "B."), or reported speech on both sides of its cue; empty: start:end whole (as
    # `Statement.parts`)
    parts: tuple[tuple[int, int], ...] = ()
