"""The threads of a story: who acts, who answers. A summary takes a sentence from each before a second
from any, so the lead is one thread, not all of them.

A thread is a run of paragraphs led by one actor: the subject (or the speaker) of each paragraph's first
sentence, "US President Donald Trump" and "Trump" being one actor, a paragraph opened by "He" or with no
subject continuing the one before. On the seed that gives Trump's side, Ryabkov's reply and Russia's
conditions. Embedding clusters were tried first and fail here: MiniLM groups by topic, and Ryabkov's reply is
on Trump's topic.

An article without paragraph breaks is one thread. CNN/DM's texts have had theirs removed; read sentence by
sentence, every new subject became a thread and ROUGE-1 on CNN/DM 51-150 fell from 39.7 (Lead-3) to 33.9
(2026-12-02, scratch run of bench.summaries): a sentence's subject is too fine a thread.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.attribution.extract import SPEECH, nlp
from bot.attribution.speakers import same_speaker

SUBJECTS = ("nsubj", "nsubjpass")
PRONOUNS = frozenset("he she it they we i you this that these those who".split())


def actor(doc: Any) -> str:
    """The sentence's actor as a short name ("" when it is a pronoun or there is none)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return ""
    subject = next((c for c in root.children if c.dep_ in SUBJECTS), None)
    if subject is None and root.lemma_.lower() not in SPEECH:
        # "..., Trump said": the clause holding the subject may hang off a speech verb below the root
        subject = next((c for t in root.subtree if t.lemma_.lower() in SPEECH
                        for c in t.children if c.dep_ in SUBJECTS), None)
    if subject is None or subject.lower_ in PRONOUNS:
        return ""
    # "the Deputy Foreign Minister, Sergei Rjabkow": the name in apposition; never a word of a relative
    # clause ("Trump, who took office last Monday").
    named = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"), subject)
    return named.lemma_.lower() if named.pos_ in ("PROPN", "NOUN") else ""


@lru_cache(maxsize=32)
def thread_labels(texts: tuple[str, ...], opens_paragraph: tuple[bool, ...]) -> tuple[int, ...]:
    """A thread number for each sentence of one article (in reading order). Cached: one summary asks for
    an article's threads up to three times (the model's notes, the spare sentences, the length fitting)."""
    if not texts:
        return ()
    if sum(opens_paragraph) <= 1:
        return (0,) * len(texts)  # no paragraphs: one thread, position and centrality decide
    firsts = [i for i, start in enumerate(opens_paragraph) if start or i == 0]
    actors = dict(zip(firsts, (actor(d) for d in nlp().pipe([texts[i] for i in firsts])), strict=True))
    names: list[str] = []
    labels: list[int] = []
    current = 0
    for i in range(len(texts)):
        if actors.get(i):
            found = next((k for k, name in enumerate(names) if same_speaker(name, actors[i])), None)
            if found is None:
                names.append(actors[i])
                found = len(names) - 1
            current = found
        labels.append(current)
    return tuple(labels)
