"""Who said what, the service: a person's statements in any spelling, every statement of some articles,
those on a topic, and who speaks how often. The CLI (`bot quotes`), answers and the UI call these.

Statements are extracted at ingest (`bot.attribution`); articles indexed before that are extracted here on
first use, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.attribution.extract import statements as extract_statements
from bot.attribution.speakers import group, same_speaker
from bot.context import Context
from bot.errors import NotIndexedError
from bot.library import write_lock
from bot.records import Article, SourceInfo, Statement

ABOUT = 0.35  # cosine between a statement and the topic asked about, below which it is off the topic
TITLE_WORDS = re.compile(r"^(?:the|a|an)\s+(.+)$", re.I)


@dataclass
class Speaker:
    name: str
    statements: int
    articles: int
    spellings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"speaker": self.name, "statements": self.statements, "articles": self.articles,
                "spellings": self.spellings}


def backfill(ctx: Context) -> int:
    """Extract the statements of articles indexed before extraction existed; returns how many articles."""
    store = ctx.store
    if not store.unextracted():
        return 0
    with write_lock(ctx):
        return _backfill(ctx, store.unextracted())


def _backfill(ctx: Context, todo: list[str]) -> int:
    store = ctx.store
    for sid in todo:
        info = store.get_source(sid)
        if info is None:
            continue
        article = Article(sid, info.location, info.title, store.article_text(sid), info.content_hash,
                          info.published, info.author)
        said = extract_statements(article)
        store.put_statements(sid, said)
        store.mark_extracted(sid, len(said))
    return len(todo)


def _dated(items: Sequence[Statement], infos: Sequence[SourceInfo]) -> list[Statement]:
    """Oldest first: in the articles' chronology (`SourceInfo.chronology`), then in reading order."""
    order = {s.source_id: k for k, s in enumerate(sorted(infos, key=lambda s: s.chronology))}
    return sorted(items, key=lambda s: (order.get(s.source_id, len(order)), s.start))


def _named(items: Sequence[Statement], who: str) -> list[Statement]:
    """A name in any spelling ("Ryabkov" finds Rjabkow); a title ("the minister") finds whoever the articles
    gave it to: every statement of a speaker one of whose mentions holds the title, in that article."""
    who = who.strip()
    title = TITLE_WORDS.match(who)
    if title and title.group(1)[:1].islower():
        words = title.group(1).lower().split()
        holders = {(s.source_id, s.speaker) for s in items if all(w in s.mention.lower() for w in words)}
        return [s for s in items if (s.source_id, s.speaker) in holders]
    return [s for s in items if same_speaker(s.speaker, who)]


def statements(ctx: Context, name: str | None = None, source_ids: Sequence[str] | None = None,
               about: str | None = None) -> list[Statement]:
    """Statements, oldest first: by ``name`` (any spelling, or a title), from ``source_ids``, on ``about``."""
    if missing := ctx.store.missing(source_ids):
        raise NotIndexedError(missing)
    backfill(ctx)
    items = ctx.store.statements(source_ids or None)
    if name:
        items = _named(items, name)
    if about and about.strip() and items:
        vectors = ctx.store.embed([about, *(s.content for s in items)])
        sims = vectors[1:] @ vectors[0]
        items = [s for s, sim in zip(items, np.asarray(sims), strict=True) if sim >= ABOUT]
    return _dated(items, ctx.store.list_sources())


def speakers(ctx: Context) -> list[Speaker]:
    """Who speaks in the library, most statements first, each with the spellings the articles use. Sources
    that name no one ("according to reports", "economists say", a title never tied to a name) are not
    speakers to list; their statements stay with their articles."""
    backfill(ctx)
    items = [s for s in ctx.store.statements() if not s.speaker.islower()]
    out = []
    for g in group(s.speaker for s in items):
        mine = [s for s in items if s.speaker in g.spellings]
        out.append(Speaker(g.name, len(mine), len({s.source_id for s in mine}), sorted(g.spellings)))
    return sorted(out, key=lambda sp: (-sp.statements, sp.name))
