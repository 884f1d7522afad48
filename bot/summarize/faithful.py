"""Does a compressed sentence keep who did what to whom? Its names and figures must all be in the sentence or
sentences it cites, it keeps their negations and hedges, and the words they share align, in order.

The citation check (content words, embedding similarity) passes "Trump spoke to Putin at the White House on
Friday" against "Trump spoke to reporters at the White House on Friday ... [he] may speak to Putin": every
word is there, in a new relation. Here the content words a summary sentence shares with a cited sentence must
appear in the same order as in that sentence; a compression drops words, it does not move them. Two moves
are harmless and allowed: a reporting clause ("..., Ryabkov said" / "Ryabkov said ...") and a time phrase
("On Friday, ..."), so their words are left out of the order.

A negation, hedge or future of the cited sentence ("not", "reportedly", "allegedly", "will", ...) must stay
too, and so must its attribution: a claim the article reports someone as making ("The complaint says the men
planned ...") is not told as fact. The check cannot tell whether a dropped qualifier belonged to the part that
was kept, so a sentence that leaves out a clause holding one falls back to the cited sentence though it may
have been right.

Words in order can still hand an action to someone else when the words between go: "Shutthefrontdoor is
about to gain his 20th championship" from "... AP McCoy, the jockey who is about to gain his 20th
championship". So each action of the sentence must have the actor (subject, or "by" phrase) the cited
sentence gives it, read from spaCy's parse.

What it cannot catch: a relation changed without moving words or actors ("refused to" dropped from "refused
to sign"), a word swapped for one with another meaning (the citation check covers part of that), an action
whose actor is a pronoun on one side and a name on the other, a relation across two cited sentences, whose
words may legitimately come in either order, a fusion inside one long cited "sentence" (captions run together
without full stops), and whatever the small parser misreads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.attribution.extract import SPEECH, nlp
from bot.citations import CitedSentence, lexical_support
from bot.records import Span
from bot.sentences import split_sentences
from bot.summarize.extract import MIN_WORDS
from bot.words import STOPWORDS

KEPT_POS = frozenset("NOUN PROPN VERB ADJ NUM".split())
# Words that negate or hedge a claim, or put it in the future: a compression that drops one states something
# the article does not ("Locke was confirmed as manager" from "Locke will be confirmed as manager").
QUALIFIERS = frozenset("not n't no never nor without reportedly allegedly alleged suspected accused denied denies "
                       "deny unconfirmed may might will 'll would could appear appears appeared seem seems seemed "
                       "apparently possibly probably likely believed purportedly supposedly".split())
MOVABLE_ENTS = frozenset("DATE TIME".split())
ADDED_WORDS = 2      # content words a compressed sentence may hold that its cited sentences lack (paraphrase)...
ADDED_SHARE = 0.25   # ...or this share of its content words, whichever is more
PERSONAL = frozenset("he she they".split())  # a subject that may stand for a name in the sentence before
PRONOUN = "pronoun:"  # marks an actor that is a pronoun
PRONOUNS = PERSONAL | frozenset("it we i you this these those".split())
POSSESSIVES = frozenset("his her their its our my your".split())


def in_order(sentence: str, cited: Sequence[str]) -> bool:
    """True when ``sentence`` compresses the ``cited`` sentences without a new relation: no name, figure or
    claim of its own, their negations, hedges, tenses and actors kept, and the words they share in order."""
    docs = list(nlp().pipe([sentence, *cited]))
    # Compression drops words and never brings a name or a figure in from elsewhere ("Vonn is behind the
    # leader" from "Woods is behind the leader", Vonn being in the passage's next sentence).
    have = {t.lemma_.lower() for d in docs[1:] for t in d} | {t.lower_ for d in docs[1:] for t in d}
    if any((t.pos_ == "PROPN" or t.like_num) and t.lemma_.lower() not in have and t.lower_ not in have
           for t in docs[0] if t.is_alpha or t.like_num):
        return False
    # Nor may it drop what makes a claim uncertain or false: "reportedly gang-raped" is not "gang-raped".
    said = {t.lower_ for t in docs[0]}
    if any(t.lower_ in QUALIFIERS and t.lower_ not in said for d in docs[1:] for t in d):
        return False
    if not _same_actors(docs[0], docs[1:]) or not _one_home(docs[0], docs[1:]) or _made_past(docs[0], docs[1:]):
        return False
    if _new_owner(docs[0], docs[1:]) or _claim_made_fact(docs[0], docs[1:]) or _new_link(docs[0], docs[1:], have):
        return False
    mine = list(dict.fromkeys(_keys(docs[0])))  # a word said twice is one claim on the order
    # A compression brings in no claim of its own: "Russia lost contact with the Progress, which was due to a
    # significant difference in orbit" cites "Russia lost contact with ISS Progress 59"; the orbit is from
    # elsewhere, and the cause is made up. A word or two of paraphrase ("defeated" for "eased past") is fine.
    added = [w for w in mine if w not in have]
    if len(added) > max(ADDED_WORDS, ADDED_SHARE * len(mine)):
        return False
    blocks = [_keys(d) for d in docs[1:]]
    if not mine or not any(blocks):
        return True
    # Each word goes to the cited sentence that shares the most words with the summary sentence.
    overlap = [len(set(mine) & set(b)) for b in blocks]
    by_block: dict[int, list[str]] = {}
    for word in mine:
        homes = [i for i, b in enumerate(blocks) if word in b]
        if homes:
            by_block.setdefault(max(homes, key=lambda i: overlap[i]), []).append(word)
    return all(_lcs(words, blocks[i]) == len(words) for i, words in by_block.items())


def _same_actors(mine: Any, cited: Sequence[Any]) -> bool:
    """Each action of the summary sentence is done by whoever does it in the cited sentences. Words kept in
    order can still change the actor: "Shutthefrontdoor is about to gain his 20th jockeys' championship" from
    "... retains AP McCoy, the jockey who is about to gain his 20th jockeys' championship", the horse's name
    and the jockey's clause both kept; or "as they labelled the clash" from "as he labelled the clash". A
    pronoun is compared only with a pronoun ("he" in the cited text may be the name the summary gives), and an
    action the cited text gives no actor for is not judged."""
    done_by: dict[str, list[frozenset[str] | None]] = {}
    for doc in cited:
        for verb in doc:
            if verb.pos_ == "VERB":
                done_by.setdefault(verb.lemma_.lower(), []).append(_actor(verb))
    for verb in mine:
        if verb.pos_ != "VERB" or not (who := _actor(verb)):
            continue
        theirs = done_by.get(verb.lemma_.lower(), [])
        if theirs and all(them is not None and _pronoun(them) == _pronoun(who) and not (who & them)
                          for them in theirs):
            return False
    return True


def _new_link(mine: Any, cited: Sequence[Any], have: set[str]) -> bool:
    """The sentence's main action is one the cited sentences never name ("A pensioner was attacked by a badger"
    from "... a badger burst through a hedge ... fears he could have been attacked"), or it ties a cited word
    to the rest with a preposition the cited text does not use for it ("25,000 people in Key West" from
    "25,000 people, a population about the size of Key West"). Dropping words may lose a relation; it may not
    make a new one."""
    if any(t.pos_ == "VERB" and t.dep_ in ("ROOT", "conj") and t.lemma_.lower() not in have
           and t.lower_ not in have for t in mine):
        return True
    # the object of a cited preposition and the name in apposition to it ("for his patron J P McManus")
    links = {(t.head.lower_, n.lemma_.lower()) for d in cited for t in d if t.head.dep_ in ("prep", "agent")
             for n in (t, *(a for a in t.children if a.dep_ == "appos"))}
    return any((p.lower_, o.lemma_.lower()) not in links
               for p in mine if p.dep_ in ("prep", "agent")
               and p.head.lower_ != "according" and p.head.lemma_.lower() not in SPEECH  # a moved reporting clause
               for o in p.children if o.dep_ == "pobj" and o.ent_type_ not in MOVABLE_ENTS
               and o.lemma_.lower() in have)


def _claim_made_fact(mine: Any, cited: Sequence[Any]) -> bool:
    """The sentence keeps what a cited sentence reports someone as saying and drops who says it: "They planned
    to reach Syria ... and lied to investigators" from "The complaint says the men planned to reach Syria ...":
    a charge told as fact. Another speech verb, or "according to", keeps it reported."""
    if any((t.lemma_.lower() in SPEECH and t.pos_ in ("VERB", "AUX")) or t.lower_ == "according" for t in mine):
        return False
    kept = {t.lemma_.lower() for t in mine if t.pos_ in KEPT_POS and t.lower_ not in STOPWORDS}
    for doc in cited:
        for cue in doc:
            if cue.lemma_.lower() not in SPEECH or cue.pos_ not in ("VERB", "AUX"):
                continue
            if not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
                continue  # "..., saying ...": the cue's speaker is the sentence's own subject
            claim = {t.lemma_.lower() for c in cue.children if c.dep_ == "ccomp" for t in c.subtree
                     if t.pos_ in KEPT_POS and t.lower_ not in STOPWORDS}
            if len(kept & claim) >= 3 and len(kept & claim) >= len(kept) / 2:
                return True
    return False


def _new_owner(mine: Any, cited: Sequence[Any]) -> bool:
    """A thing the cited text gives one owner is given another: "filed a report after their older brother
    disappeared" from "after his older brother disappeared"."""
    owners: dict[str, set[str]] = {}
    for doc in cited:
        for t in doc:
            if t.dep_ == "poss" and t.lower_ in POSSESSIVES:
                owners.setdefault(t.head.lemma_.lower(), set()).add(t.lower_)
    return any(t.dep_ == "poss" and t.lower_ in POSSESSIVES and (theirs := owners.get(t.head.lemma_.lower()))
               and t.lower_ not in theirs for t in mine)


def _pronoun(actor: frozenset[str]) -> bool:
    return any(w.startswith(PRONOUN) for w in actor)


def _made_past(mine: Any, cited: Sequence[Any]) -> bool:
    """A verb the cited sentences use only in the present or future is told as done: "They hosted Rangers on
    Tuesday" from "They host Rangers on Tuesday" (said before the match). The reverse, a past event told in
    the present as headlines do, is allowed."""
    tenses: dict[str, set[str]] = {}
    for doc in cited:
        for t in doc:
            if t.pos_ in ("VERB", "AUX"):
                tenses.setdefault(t.lemma_.lower(), set()).add(t.tag_)
    return any(t.tag_ == "VBD" and (seen := tenses.get(t.lemma_.lower())) and not seen & {"VBD", "VBN"}
               for t in mine if t.pos_ == "VERB")


def _one_home(mine: Any, cited: Sequence[Any]) -> bool:
    """What the sentence says of its subject comes from a cited sentence about that subject. A span of two
    sentences lets in-order words fuse one sentence's subject with the next one's predicate: "Vonn is still
    well behind the leader, Jordan Spieth" from "Lindsey Vonn was back at Augusta to watch Tiger Woods. ...
    the golfing great still has a way to go in catching up to leader Jordan Spieth". The cited sentence
    holding most of the predicate's words must name the subject too, or have a he/she/they subject."""
    sentences = [sent for doc in cited for sent in doc.sents]
    root = next((t for t in mine if t.dep_ == "ROOT"), None)
    if len(sentences) < 2 or root is None:
        return True
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return True
    inside = {t.i for t in subject.subtree}
    who = {t.lower_ for t in subject.subtree if t.pos_ == "PROPN"}
    said = {t.lemma_.lower() for t in root.subtree if t.i not in inside and t.pos_ in KEPT_POS
            and t.lower_ not in STOPWORDS and (t.is_alpha or t.like_num)}
    if not who or len(said) < 2:
        return True

    def held(sent: Any) -> int:
        return len(said & {t.lemma_.lower() for t in sent})

    home = max(sentences, key=held)
    if held(home) < 2:
        return True
    return bool(who & {t.lower_ for t in home}) or any(
        t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in PERSONAL for t in home)


def _actor(verb: Any) -> frozenset[str] | None:
    """Lower-case names and nouns of who does ``verb``: its subject, or for a passive its "by" phrase; a relative
    pronoun stands for the noun it hangs on, a name in apposition counts with its noun; None when unknown."""
    head = verb
    # "is about to gain": gain's subject is the one of "is"; "X was cleared, sparking a row": X sparks it
    while not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children) and (
            head.dep_ in ("xcomp", "conj", "acomp") or (head.dep_ == "advcl" and head.tag_ == "VBG")):
        head = head.head
    if any(c.dep_ == "nsubjpass" or c.dep_ == "auxpass" for c in head.children):
        subject = next((g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    else:
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in ("who", "which", "that") and head.dep_ == "relcl":
        subject = head.head
    if subject is not None and subject.pos_ in ("PRON", "DET") and subject.lower_ in PRONOUNS:
        return frozenset({PRONOUN + subject.lower_})  # compared only with a pronoun: "he" may stand for a name
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    words = {subject} | {c for c in subject.children if c.dep_ in ("appos", "compound")}
    if subject.dep_ == "appos":
        words.add(subject.head)
    # the word as written and its lemma: the tagger lemmatises "Woods" to "wood" in one parse and not another
    return frozenset(form for w in words if w.pos_ in ("PROPN", "NOUN") for form in (w.lemma_.lower(), w.lower_))


def _keys(doc: Any) -> list[str]:
    """Lemmas of the words that carry the relation, reporting clauses and time phrases left out."""
    movable: set[int] = set()
    for tok in doc:
        if tok.lemma_.lower() in SPEECH and tok.pos_ in ("VERB", "AUX"):
            movable.add(tok.i)
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass", "agent"):
                    movable.update(t.i for t in child.subtree)
        if tok.lower_ == "according":
            movable.update(t.i for t in tok.subtree)
    return [tok.lemma_.lower() for tok in doc
            if tok.pos_ in KEPT_POS and tok.i not in movable and tok.ent_type_ not in MOVABLE_ENTS
            and tok.lower_ not in STOPWORDS and (tok.is_alpha or tok.like_num)]


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (a is a summary sentence's few words: O(len a x len b))."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            cur = row[j]
            row[j] = prev + 1 if x == y else max(row[j], row[j - 1])
            prev = cur
    return row[-1]


def faithful_or_cited(sentences: Sequence[CitedSentence]) -> tuple[list[CitedSentence], list[str]]:
    """Each sentence that fails `in_order` replaced by the one article sentence it cites best; and the
    sentences that failed. One: articles repeat themselves (a caption and the body saying one thing), and a
    model sentence that merged two is cited by a span of both, which would double its length."""
    out: list[CitedSentence] = []
    failed: list[str] = []
    for s in sentences:
        quotes = list(dict.fromkeys(span.quote for span in s.spans))
        if not quotes or in_order(s.text, quotes):
            out.append(s)
            continue
        failed.append(s.text)
        best = best_sentence(s.text, s.spans[0])
        out.append(CitedSentence(best.quote, s.sources[:1], s.support, (best,)))
    return out, failed


def best_sentence(claim: str, span: Span) -> Span:
    """The sentence of ``span`` that shares most content words with ``claim`` (the first on a tie)."""
    parts = split_sentences(span.quote)
    parts = [p for p in parts if len(p.text.split()) >= MIN_WORDS] or parts
    if len(parts) <= 1:
        return span
    best = max(parts, key=lambda p: lexical_support(claim, p.text))
    return Span(span.start + best.start, span.start + best.end, best.text)
