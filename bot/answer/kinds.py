"""What kind of answer a question asks for (an amount, a number, a date, a name, a place, a reason), and
which values of that kind a text supplies that the question did not already hold.

A near miss is a passage about the subject that does not state the asked fact: a story on a signing asked
"how much will he be paid?". Coverage of the question's words cannot tell it from an answer; the kind of
the answer can. Values are read with spaCy's small English pipeline (the one quote attribution loads: named
entities and part-of-speech tags) plus patterns for figures and dates, so the check is the same whichever
model wrote the answer. It only ever says "no value of this kind here": it cannot tell a right value from
a wrong one of the same kind, and a "which ..." question about a thing without a name ("which disease?")
is not typed at all.
"""

from __future__ import annotations

import functools
import itertools
import re
from enum import StrEnum

from anyascii import anyascii

from bot.attribution.extract import nlp
from bot.citations import lexical_support, word_match
from bot.sentences import split_sentences
from bot.words import NUMBER_WORDS, STOPWORDS, content_words, words


class Kind(StrEnum):
    MONEY = "money"
    NUMBER = "number"
    DURATION = "duration"
    DATE = "date"
    NAME = "name"  # a person, organisation, country, team, work
    PLACE = "place"
    REASON = "reason"


# What the refusal says is missing: "The articles do not give the amount asked for."
MISSING = {Kind.MONEY: "the amount", Kind.NUMBER: "the number", Kind.DURATION: "how long",
           Kind.DATE: "the date", Kind.NAME: "the name", Kind.PLACE: "the place", Kind.REASON: "the reason"}

# The head noun of "which/what <noun>" that says what kind of thing is asked for. General English, not
# tuned to any benchmark; a noun not listed leaves the question untyped (no check).
# People: "which celebrity" is not answered by a place or a nationality ("Florida", "Russian").
PERSON_NOUNS = frozenset(
    "person man woman boy girl singer actor actress player star athlete politician senator head lawmaker "
    "leader official president minister ceo executive celebrity artist rapper musician author writer director "
    "governor mayor judge lawyer coach candidate billionaire founder comedian host officer".split())
NOUN_KINDS = {
    Kind.NAME: [*PERSON_NOUNS, *(
               "band company firm team club organization organisation agency network brand retailer airline bank "
               "university school college party group service chain carrier manufacturer automaker platform "
               "channel newspaper magazine outlet publication "
               # works and products are named things too ("which show": "Squid Game")
               "show series movie film album song book novel game app").split()],
    Kind.PLACE: "country city state town nation region island county province continent venue park attraction "
                "neighborhood neighbourhood capital place location airport stadium".split(),
    Kind.DATE: "year date day month time week".split(),
    Kind.NUMBER: "number percentage percent share proportion rate age score total".split(),
    Kind.MONEY: "price cost amount salary fee fine sum".split(),
}
MONEY_WORDS = frozenset("pay paid pays cost costs price priced worth salary spend spent raise raised fine fined "
                        "charge charged earn earned earns sell sold buy bought fund funding budget contract deal "
                        "value valued revenue profit loss tax taxes dollars".split())
WH = re.compile(r"\b(how much|how many|how old|how long|how far|how big|when|where|whom|whose|who|why|which|what)\b")

LABELS = {
    Kind.NAME: {"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"},
    Kind.PLACE: {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON"},  # the small tagger calls "Sri Lanka" a PERSON
    Kind.DATE: {"DATE", "TIME"},
    Kind.DURATION: {"DATE", "TIME"},
    Kind.NUMBER: {"CARDINAL", "QUANTITY", "PERCENT", "MONEY"},
    Kind.MONEY: {"MONEY"},
}
NOT_PEOPLE = frozenset({"GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "LANGUAGE", "PRODUCT", "WORK_OF_ART"})
MONTHS = ("january february march april may june july august september october november december "
          "monday tuesday wednesday thursday friday saturday sunday").split()
DATE_PATTERN = re.compile(r"\b(?:1[89]|20)\d\d\b|\b(?:today|yesterday|tomorrow|tonight|last|next)\b|"
                          r"\b(?:" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies))"
NUMBER = r"(?:\d[\d,.]*|" + "|".join(w for w in NUMBER_WORDS if w.isalpha()) + r"|a|an|several|few)"
DURATION_PATTERN = re.compile(rf"\b{NUMBER}[\s-]+{UNIT}\b", re.IGNORECASE)
MONEY_PATTERN = re.compile(r"[$€£¥₹]\s?\d[\d,.]*(?:\s*(?:million|billion|trillion|thousand|bn)\b)?|"
                           r"\b\d[\d,.]*\s*(?:million|billion|trillion|thousand)?\s*"
                           r"(?:dollars|euros|pounds|yuan|yen|rubles|roubles|rupees|francs|usd|eur|gbp)\b",
                           re.IGNORECASE)
FIGURE_PATTERN = re.compile(r"\d|\b(?:" + "|".join(w for w in NUMBER_WORDS if w.isalpha() and w != "one") + r")\b",
                            re.IGNORECASE)
REASON_PATTERN = re.compile(
    r"\b(?:because|due to|as a result|result of|caused by|cause[sd]?|blam(?:e|ed|es|ing)|cit(?:e|ed|es|ing)|amid|"
    r"in response to|after|over|following|so that|in order to|since|as|given|for|so|therefore|reasons?|led to|"
    r"lead to|owing to|"
    r"thanks to|to (?:avoid|protest|prevent|help|protect|reduce|ensure|make|allow|keep|stop|boost|support))\b",
    re.IGNORECASE)


def asked_kind(question: str) -> Kind | None:
    """The kind of answer ``question`` asks for, from its first question word (and the noun after
    "which"/"what"), or None when it is not one a check can type ("what happened?", "is X ...?")."""
    q = anyascii(question).lower()
    m = WH.search(q)
    if m is None:
        return None
    wh = m.group(1)
    if wh == "how much":
        return Kind.MONEY if MONEY_WORDS & set(words(q)) else Kind.NUMBER
    if wh in ("how many", "how old", "how far", "how big"):
        return Kind.NUMBER
    simple = {"how long": Kind.DURATION, "when": Kind.DATE, "where": Kind.PLACE, "who": Kind.NAME,
              "whom": Kind.NAME, "whose": Kind.NAME, "why": Kind.REASON}
    if wh in simple:
        return simple[wh]
    head = slot_noun(question)
    if head is not None:
        for kind, nouns in NOUN_KINDS.items():
            if head in nouns:
                return kind
    return None


# What may stand between "which"/"what" and the noun it asks about: "which wildly popular *show*", "which two
# *countries*", "what high-ranking US *official*" (Penn tags; a past tense only before the first noun and
# where a noun follows, as in "which embattled celebrity", which the tagger reads as a verb).
_SLOT_TAGS = frozenset("RB JJ JJR JJS CD NN NNS NNP NNPS HYPH VBG VBN".split())


@functools.lru_cache(maxsize=256)
def slot_noun(question: str) -> str | None:
    """The common noun (lemma, lower case) that a "which"/"what" question asks for, or None ("what did
    she say?"). Parsed in the question's own case: lower-cased, the tagger reads "show" as a verb."""
    doc = nlp()(question)
    for t in doc:
        if t.lower_ not in ("which", "what"):
            continue
        head = None
        for u in doc[t.i + 1:]:
            then = doc[u.i + 1] if u.i + 1 < len(doc) else None
            if u.tag_ == "POS":  # "which country's leader": the owner is not what is asked for
                head = None
                continue
            adjective = u.tag_ == "VBD" and head is None and then is not None and then.tag_.startswith("NN")
            if not (u.tag_ in _SLOT_TAGS or adjective):
                break
            if u.tag_ in ("NN", "NNS"):
                head = u.lemma_.lower()
        return head
    return None


# Question words and the nouns that only name the answer's slot ("which *singer*", "what *country*"): a
# passage that states the answer need not repeat them ("Adele is returning to Las Vegas").
SLOT_WORDS = frozenset("what who whom whose which when where why how did does do is are was were can could will "
                       "would should tell give list name many much".split()
                       ) | {w for nouns in NOUN_KINDS.values() for w in nouns}


def relation_words(question: str) -> list[str]:
    """What the question says happened, apart from who or what it happened to: its verbs, common nouns and
    adjectives that are not part of a name, a date or the answer's slot ("launch", "residency" in "Which
    singer will launch a Las Vegas residency?"). An answer that asserts these must cite a passage that
    states them; the names alone make it about the subject, not about the fact asked."""
    doc = nlp()(question, disable=["lemmatizer"])
    # the noun a question word or "how many/much" determines is the slot: "which *singer*", "how many *years*"
    slot = {t.head.i for t in doc if (t.dep_ == "det" and t.lower_ in ("which", "what", "whose"))
            or (t.lower_ in ("many", "much") and t.i > 0 and doc[t.i - 1].lower_ == "how" and t.head.pos_ == "NOUN")}
    out = []
    for t in doc:
        w = anyascii(t.text).lower()
        if (t.pos_ in ("NOUN", "VERB", "ADJ") and not t.ent_type_ and t.i not in slot and w.isalpha()
                and len(w) > 2 and w not in STOPWORDS and w not in SLOT_WORDS):
            out.append(w)
    return list(dict.fromkeys(out))


def tells(question: str, text: str) -> float:
    """Share of the question's `relation_words` that ``text`` holds (in any inflection): how much of what
    the question says happened the text states, whoever it names."""
    wanted = relation_words(question)
    return lexical_support(" ".join(wanted), text) if wanted else 1.0


def values(kind: Kind, text: str, question: str = "") -> list[str]:
    """Values of ``kind`` that ``text`` states and ``question`` does not already hold, in text order:
    "Kellogg has 100 days" supplies ["100 days"] to "How long does Kellogg have?"."""
    if kind is Kind.REASON:  # a reason is a clause, not an entity: its cue ("because", "as", "to") is all
        # that can be seen, so this only catches a bare name or figure given for a "why"
        return [m.group(0) for m in REASON_PATTERN.finditer(text)]
    doc = nlp()(text[:5000], disable=["lemmatizer"])
    labels = LABELS[kind]
    if kind is Kind.NAME and slot_noun(question) in PERSON_NOUNS:
        labels = labels - NOT_PEOPLE  # "which celebrity": not "Florida", not "Russian"
    outside = {t.i for e in doc.ents if e.label_ not in labels for t in e}
    found = [e.text for e in doc.ents if e.label_ in labels]
    if kind in (Kind.NAME, Kind.PLACE):  # names the tagger did not type: proper nouns, but a capitalised first
        # word only when a verb or name follows ("Trump gave", not "Head coach")
        found += [t.text for t in doc if t.pos_ == "PROPN" and t.text[:1].isupper() and t.i not in outside
                  and (not t.is_sent_start or (t.i + 1 < len(doc) and doc[t.i + 1].pos_ in ("VERB", "AUX", "PROPN")))]
    elif kind is Kind.DATE:
        found += [m.group(0) for m in DATE_PATTERN.finditer(text)]
    elif kind is Kind.DURATION:
        found += [m.group(0) for m in DURATION_PATTERN.finditer(text)]
    elif kind is Kind.MONEY:
        found += [m.group(0) for m in MONEY_PATTERN.finditer(text)]
    elif kind is Kind.NUMBER:
        found += [m.group(0) for m in FIGURE_PATTERN.finditer(text)]
    asked = [w for w in words(question) if len(w) > 1 or w.isdigit()]
    return list(dict.fromkeys(v for v in found if _new(v, asked)))


def _new(value: str, asked: list[str]) -> bool:
    """A value holds a word (or figure) the question does not: "Biden" does not answer "Who did Biden
    meet?", "Macron" does."""
    own = [w for w in words(value) if len(w) > 1 or w.isdigit()]
    return any(not any(word_match(w, a) for a in asked) for w in own if w not in {"the", "of", "a", "an"})


# A value answers the question only in a sentence about it: the sentence (or it and its neighbour) holds this
# share of the question's content words. Chosen on RealTimeQA questions 1-50 (the held-out 51-194 were not
# read): the sentences stating gold answers mostly hold 0.3 and up; other sentences of the same article with
# a value of the asked kind mostly less. The signal is weak: an article about the subject repeats its words.
ASKED = 0.3


def states(kind: Kind, text: str, question: str) -> bool:
    """Some sentence of ``text`` (alone or with the next one) is about the question and gives a value of
    ``kind`` it did not hold."""
    asked = " ".join(content_words(question))
    return any((not asked or lexical_support(asked, w) >= ASKED) and values(kind, w, question)
               for w in windows(text))


def windows(text: str) -> list[str]:
    """Each sentence of ``text``, then each sentence joined with the next: where a stated fact may sit."""
    sents = [s.text for s in split_sentences(text)] or [text]
    return sents + [f"{a} {b}" for a, b in itertools.pairwise(sents)]
