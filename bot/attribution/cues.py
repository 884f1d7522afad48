"""Speech verbs in the parse, one at a time: which verb is a cue ("said", "pointed out"; not "did not say" or
"declined to say"), the cue's words, its subject, and the tokens of what it reports (its clause, a promise's
infinitive, an announced object, or the sentence around a cue set inside it). Kept apart from how an
article's statements are assembled (`extract`), which asks these questions of every verb.
"""

from __future__ import annotations

from typing import Any

from bot.attribution.parsing import first_i, last_i

SPEECH = frozenset(
    "say tell state add announce claim insist argue explain note warn declare confirm deny acknowledge admit "
    "suggest predict promise stress emphasize emphasise reply respond remark comment assert maintain reiterate "
    "recall observe allege concede contend tweet testify vow pledge urge caution indicate report write "
    "complain charge agree disclose reveal inform assure boast brag continue conclude counter quip concur "
    "estimate point".split()
)
NOT_STATEMENT = frozenset("ask wonder question inquire".split())  # questions are not statements
COMMIT = frozenset("promise pledge vow urge threaten claim agree tell warn advise".split())  # "pledged to work"
# Cues whose object is what was said: "announced his resignation", "denied the allegations"
OBJECT_CUES = frozenset("announce confirm deny predict reveal disclose promise pledge vow unveil propose report tweet "
                         "acknowledge admit emphasize emphasise stress concede note reiterate declare recall "
                         "urge".split())
ACCOUNTS = frozenset("story tale version account".split())
# Speech nouns that carry what was said with their owner: "her remark that ...", "his promise to build a wall"
NOUN_CUES = frozenset("claim comment remark promise pledge vow".split())
ASIDE_MARKS = frozenset("as while though although whereas".split())
REPORTING = frozenset("refer cite call describe mention reference quote address".split())  # ", referring to
DECLINED = frozenset("decline refuse fail".split())  # "declined to say" says nothing
# Verbs whose object is something the subject put out: "released a statement saying ...", "ran an ad saying ..."
AUTHORED = frozenset("release issue send post publish write sign tweet file make deliver air run circulate "
                     "distribute unveil".split())
# Cues whose statement is a preposition's object: "pointed to the nine plans", "agreed with that point",
# "commented on the race", "boasted of his polls"
PREP_CUES = {"point": {"to"}, "agree": {"with", "on"}, "comment": {"on", "about"}, "testify": {"on", "about"},
             "counter": {"with"}, "warn": {"of", "about", "against"}, "complain": {"about", "of"},
             "boast": {"of", "about"}, "brag": {"of", "about"}}


def is_cue(tok: Any) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH:
        return False
    if tok.lemma_.lower() == "point" and not any((c.dep_ == "prt" and c.lower_ == "out") or
                                                  (c.dep_ == "prep" and c.lower_ == "to") for c in tok.children):
        return False
    doc = tok.doc
    if any((c.dep_ == "neg" and c.i < tok.i and not any(t.is_punct for t in doc[c.i + 1 : tok.i]))
           or (c.dep_ == "dobj" and c.lower_ == "nothing") for c in tok.children):
        return False  # did not say, said nothing (not “Not now,” she said: the parser hung the quote's "not" on it)
    head = tok.head
    return not (tok.dep_ == "xcomp" and head.lemma_.lower() in DECLINED)  # declined to say


def cue_span(tok: Any) -> tuple[str, int, int]:
    """The cue with its particle ("pointed out") and auxiliaries ("has said")."""
    parts = [t for t in tok.children if t.dep_ in ("aux", "prt") and abs(t.i - tok.i) <= 2] + [tok]
    parts.sort(key=lambda t: t.i)
    start, end = parts[0].idx, parts[-1].idx + len(parts[-1].text)
    return tok.doc.text[start:end], start, end


def subject_of(cue: Any, depth: int = 0) -> Any | None:
    """The cue's subject; of two (a dateline parsed as a second subject), the one nearest the verb. A cue
    without one borrows the subject of the verb it hangs from: "... and added", "went on to say", "began by
    saying", "are more likely to say"; "Trump, who said" is Trump."""
    subjects = [tok for tok in cue.children if tok.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        return min(subjects, key=lambda t: abs(t.i - cue.i))  # "who" in "Trump, who said": `people.speaker` names him
    if any(c.dep_ == "advmod" and c.lower_ == "then" and c.i < cue.i for c in cue.children):
        # "Ortiz thanked the crew, then told reporters ...": the parser made the first clause the cue's object
        # (or hung the cue on it); its subject speaks
        before = [c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i and c.pos_ in ("VERB", "AUX")]
        before += [cue.head] if cue.dep_ == "dep" and cue.head.i < cue.i else []
        first = next((s for c in before if (s := _own_subject(c)) is not None), None)
        if first is not None:
            return first
    # "About 4 in 10 say ...", "Less than a third agreed ...", "Democrats, Frank notes, applaud ...": the parser
    # read the words right before the verb as its number, measure or compound; they are who spoke
    left = [c for c in cue.children if c.dep_ in ("nummod", "npadvmod", "compound", "dep") and c.i < cue.i
            and c.pos_ in ("NUM", "NOUN", "PROPN", "PRON") and c.ent_type_ not in ("DATE", "TIME")
            and last_i(c) == cue.i - 1]
    if left:
        return left[-1]
    # "Trump, later alleging that ..., said he would ...": a name opening the sentence, left unattached
    words = [t for t in cue.doc[cue.sent.start : cue.i] if not (t.is_punct or t.is_space)]
    first = words[0] if words else None
    if (first is not None and first.dep_ in ("dep", "npadvmod", "advmod") and cue.doc[first.i + 1].text == ","
            and (first.ent_type_ in ("PERSON", "ORG") or (first.pos_ == "PROPN" and not first.ent_type_))):
        return first  # (an entity or a name: not "However,", "Yesterday,")
    if cue.dep_ == "conj" and (named := _named_before(cue)) is not None:
        return named  # "Facebook created the tool, a spokeswoman, Anna White, said": the parser left her the object
    if cue.dep_ == "conj" or (cue.dep_ == "advcl" and cue.tag_ == "VBG"):
        # "He said A and said that B": the parser may hang the second cue inside A; it shares the first's subject
        # (as does "Trump argued that A, saying B")
        up = cue.head
        while up.i != up.head.i and not is_cue(up) and up.dep_ in ("ccomp", "conj", "xcomp", "advcl"):
            up = up.head
        if up.i != cue.i and is_cue(up) and up.i < cue.i:
            return subject_of(up, depth + 1)
    if cue.dep_ == "xcomp":
        # "The timing led Republicans to say ...", "urged her to say": the object before the infinitive speaks
        whom = [c for c in cue.head.children
                if c.dep_ == "dobj" and c.i < cue.i and c.pos_ in ("PROPN", "NOUN", "PRON")]
        if whom:
            return whom[-1]
    thing = cue.head  # "The campaign released a statement saying ...": what the subject put out speaks for it
    if (cue.dep_ == "acl" and cue.tag_ == "VBG" and thing.dep_ == "dobj" and thing.pos_ == "NOUN"
            and thing.i < cue.i and thing.head.lemma_.lower() in AUTHORED and depth < 3):
        return subject_of(thing.head, depth + 1)  # (not "read a report saying": that report speaks for its author)
    if depth < 3 and cue.head.i != cue.i and (
            (cue.dep_ in ("conj", "advcl") and cue.head.pos_ in ("VERB", "AUX"))
            or cue.dep_ in ("xcomp", "pcomp", "prep", "acomp")):
        return subject_of(cue.head, depth + 1)
    # "Erin Brockovich, the activist, endorsed Sanders' approach Saturday, saying ...": a participle the parser
    # hung on a name (its verb misread as an adjective) is that person's
    if (cue.dep_ == "acl" and cue.tag_ == "VBG" and cue.head.pos_ == "PROPN" and cue.head.i < cue.i
            and cue.head.ent_type_ in ("PERSON", "ORG", "")):
        return cue.head
    # "At Boca West, Jay DiPietro, the club's president, suggested": the name hung as an apposition before it
    named_before = _name_before(cue)
    if named_before is not None:
        return named_before
    # "Trump further summed up Clinton as “terrible,” denounced her record and said ...", "Sanders, who sits
    # at zero, said ...": the parser gave the subject to a clause it hung before the verb
    before = [c for c in cue.children if c.i < cue.i and (c.dep_ in ("advcl", "conj") or (
        c.dep_ == "ccomp" and any(x.dep_ == "nsubj" and x.lower_ == "who" for x in c.children)))]
    named = [s for c in before[-1:] for s in c.children if s.dep_ == "nsubj" and s.i < c.i
             and s.lower_ not in ("who", "that", "which", "it")]
    return named[0] if named else None


def said(cue: Any) -> list[Any]:
    """The tokens of what a speech verb reports: its clause ("said (that) ..."), a promise's infinitive
    ("pledged to work together", "urged women to vote"), or, for a cue set inside what it reports ("..., many
    economists say, ...", "As the Times noted, ..."), the clause around it on the side away from the cue."""
    # A parataxis that is a cue of its own is set inside the sentence ("The plan, economists say, would add"):
    # the words around it are its statement, not this verb's.
    clauses = [c for c in cue.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")
               and not (c.dep_ == "parataxis" and is_cue(c) and subject_of(c) is not None)
               and not _beyond_semicolon(c, cue)]
    if len(clauses) > 1 and not _own_subject(cue):  # "Sanders, who sits at zero, said that ...": the first
        clauses = [c for c in clauses if c.i > cue.i] or clauses  # clause holds the speaker, not the statement
    # "say taxing consumption encourages savings": the parser may take the clause's subject for a gerund
    clauses += [c for x in cue.children if x.dep_ == "xcomp" and x.tag_ == "VBG" and x.i == cue.i + 1
                for c in x.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
    clause = clauses[0] if clauses else None
    if clause is not None and clause.head.i != cue.i:
        clause = clause.head  # the gerund, with its clause
    if clause is None:
        # "said on Friday during a news conference that he may wait": the parser may hang the that-clause on
        # the last noun of the cue's own phrases, as if it were a relative clause (whose "that" is a pronoun)
        # ("warning followers on social media and in interviews that ...": on any noun of those phrases)
        clause = next((c for phrase in cue.children if phrase.dep_ in ("prep", "dobj") and phrase.i > cue.i
                       for obj in phrase.subtree if obj.dep_ in ("pobj", "dobj")
                       for c in obj.children if c.dep_ in ("relcl", "acl") and c.pos_ in ("VERB", "AUX")
                       and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is not None:
        # "He said A and said that B": the parser may hang the second cue inside the first clause; B is its own.
        own = {t.i for c in clause.subtree if c.dep_ == "conj" and c.i > cue.i and is_cue(c)
               and any(x.dep_ == "ccomp" for x in c.children) for t in c.subtree}  # not "sit down and tell him"
        # ", referring to ...", "— asserting that ...", ", while others ...", "as he faces ...": the reporter's
        # aside after the clause, not what was said
        # (A participle that goes on with the speaker's point is what was said: "that X is devaluing the venues,
        # possibly providing the city with an argument"; one that reports or refers is the reporter's.)
        for c in clause.children:
            first = min(t.i for t in c.subtree)
            if (c.dep_ == "advcl" and c.i > clause.i and first > 0 and cue.doc[first - 1].text in (",", "—", "–")
                    and ((c.tag_ == "VBG" and (is_cue(c) or c.lemma_.lower() in REPORTING))
                         or any(m.dep_ == "mark" and m.lower_ in ASIDE_MARKS for m in c.children))):
                own |= {t.i for t in c.subtree}
        # ", according to Politico" names another source; ", which will take time" / ", who does not need to"
        # is the reporter's note on a noun the speaker used
        for t in clause.subtree:
            first = min(x.i for x in t.subtree)
            if (t.i > clause.i and first > 0 and cue.doc[first - 1].text == ","
                    and (t.lower_ == "according"
                         or (t.dep_ == "relcl" and cue.doc[first].tag_ in ("WDT", "WP", "WP$", "WRB")))):
                own |= {x.i for x in t.subtree}
        cut = min(own, default=None)
        toks = [t for t in clause.subtree if cut is None or t.i < cut]
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in clause.children):
            # "said the days when ... are gone": the parser took the clause's subject for the cue's own noun
            lead = [c for c in cue.children if c.dep_ in ("npadvmod", "dobj") and cue.i < c.i < clause.i]
            toks = [t for c in lead for t in c.subtree] + toks
        # "said the U.S. needs a guest-worker program, but that he would not support mass deportation": a second
        # that-clause joined to the cue is what it reports too
        more = [c for c in cue.children if c.dep_ == "conj" and c.i > clause.i and not is_cue(c)
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if more and toks and cut is None:
            toks = list(cue.doc[toks[0].i : max(last_i(c) for c in more) + 1])
        while toks and (toks[-1].dep_ == "cc" or toks[-1].is_punct):
            toks.pop()
        return toks
    if cue.lemma_.lower() in COMMIT:
        plan = next((c for c in cue.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and c.i > cue.i), None)
        if plan is not None:
            whom = [c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < plan.i
                    and (c.pos_ != "PROPN" or c.ent_type_ in ("PERSON", "NORP", "ORG"))]
            first = min([*plan.subtree, *(t for w in whom for t in w.subtree)], key=lambda t: t.i)
            return [t for t in cue.doc[first.i : max(x.i for x in plan.subtree) + 1]]
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    # "told a slightly different tale", "tells the story of how he wooed her": the account is what was said
    told = cue.lemma_.lower() == "tell" and obj is not None and obj.lemma_.lower() in ACCOUNTS
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)  # "Clinton was declared the winner"
    if ((cue.lemma_.lower() in OBJECT_CUES or told) and obj is not None and obj.pos_ == "NOUN" and not passive
            and obj.ent_type_ != "PERSON" and len(list(obj.subtree)) >= 2):
        # with what the parser hung on the verb after it: "a series of steps [to tighten sales]"
        after = [t for c in cue.children if c.i > obj.i and c.dep_ in ("prep", "xcomp", "acl", "advcl")
                 for t in c.subtree]
        return [*obj.subtree, *after]
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.i > cue.i
                 and c.lower_ in PREP_CUES.get(cue.lemma_.lower(), ())), None)
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if pobj is not None and pobj.ent_type_ != "PERSON":
        return list(pobj.subtree)
    head = cue.head
    # "As the Times noted, ...": the parser hangs "as" on the cue or, with a title before the name, on the head
    as_ = [c for c in [*cue.children, *head.children]
           if c.lower_ == "as" and c.dep_ in ("mark", "prep") and c.i < cue.i]
    # "The hashtag, Mr. Abboud said, accompanied ...": a cue set between commas inside a sentence whose
    # parse hung it on a noun reports that sentence
    set_in = _between_commas(cue) and cue.dep_ in ("parataxis", "appos")
    inverted = cue.dep_ == "parataxis" or (cue.dep_ == "advcl" and bool(as_)) or set_in
    # ("she said nothing" has an object of its own: it reports nothing)
    inverted = inverted and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in cue.children)
    if inverted and head.i != cue.i and (head.pos_ in ("VERB", "AUX") or set_in):
        # The head's clause without the cue's own words; set in the middle, the cue stays inside the span.
        own = {t.i for t in cue.subtree} | {t.i for a in as_ for t in a.subtree}
        rest = [t for t in (head.subtree if head.pos_ in ("VERB", "AUX") else cue.sent) if t.i not in own]
        if cue.i > head.i:
            # "The talks failed, she said"; set in the middle, both sides: "The industry, she said, is doing
            # better" (not an aside after it: ", she said, as fans cheered")
            aside = {t.i for c in head.children if c.i > cue.i and (
                c.lower_ == "according" or any(m.dep_ == "mark" and m.lower_ in ASIDE_MARKS for m in c.children))
                for t in c.subtree}
            after = [t for t in rest if t.i > cue.i and t.i not in aside]
            if after and after[0].i - cue.i > 4:
                after = []  # the cue ended its sentence; what follows is another sentence's
            return [t for t in rest if t.i < cue.i] + after
        # "Asked what ..., Adelson said, “They ...”": what follows, and the subject set before the cue ("The
        # plan, economists say, would add")
        subject = {t.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < cue.i for t in c.subtree}
        return [t for t in rest if t.i > cue.i or t.i in subject]
    return []


def _between_commas(cue: Any) -> bool:
    """Whether the cue's own words stand between two commas inside its sentence (", Frank notes,")."""
    words = [t.i for t in cue.subtree if not t.is_punct]
    doc, first, last = cue.doc, words[0], words[-1]
    return (first - 1 > cue.sent.start and doc[first - 1].text == "," and last + 1 < cue.sent.end - 1
            and doc[last + 1].text == ",")


def _name_before(cue: Any) -> Any | None:
    """The last name hung as an apposition before the cue with only punctuation between ("Jay DiPietro, the
    club's president, suggested")."""
    named = [t for t in cue.doc[cue.sent.start : cue.i] if t.dep_ == "appos" and t.pos_ == "PROPN"
             and all(x.is_punct for x in cue.doc[last_i(t) + 1 : cue.i])]
    return named[-1] if named else None


def _named_before(cue: Any) -> Any | None:
    """A name set between commas right before the cue (", a spokeswoman, Anna White, said"): the phrase it is
    an apposition to ("a spokeswoman, Anna White"), else the name."""
    name = _name_before(cue)
    if name is None:
        return None
    head = name.head
    return head if head.pos_ == "NOUN" and head.i < name.i and cue.doc[first_i(head) - 1].text == "," else name


def _own_subject(cue: Any) -> Any | None:
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    return min(subjects, key=lambda t: abs(t.i - cue.i)) if subjects else None


def said_before(cue: Any) -> list[Any]:
    """"The Internet has made it possible ..., she said." or "This includes a special force, Defense Secretary
    Ash Carter told a Senate panel Wednesday.": a cue whose subject stands right after a comma, with nothing of
    its own after it but an addressee or a time, reports the sentence before the comma, wherever the parser
    hung it."""
    subject = _own_subject(cue) or (_named_before(cue) if cue.dep_ == "conj" else None)
    sent = cue.sent
    if subject is None or subject.tag_ in ("WP", "WDT") or cue.lemma_.lower() == "continue":
        return []  # "..., who said", "the borrowing continued"
    if any(c.dep_ in ("ccomp", "xcomp") for c in cue.children):
        return []
    if subject.i > cue.i:  # "..., said James Henson, director of the Texas Politics Project."
        if cue.i - 1 <= sent.start or cue.doc[cue.i - 1].text != ",":
            return []
        before = [t for t in sent if t.i < cue.i - 1 and not t.is_space]
        return before if len(before) >= 4 and _finite(before) else []
    if first_i(subject) - 1 <= sent.start or cue.doc[first_i(subject) - 1].text != ",":
        return []
    own = {t.i for t in cue.subtree}
    if any(t.i not in own and not (t.is_punct or t.is_space) for t in sent if t.i > cue.i):
        return []
    before = [t for t in sent if t.i < first_i(subject) - 1 and not t.is_space]
    if before and (before[0].pos_ in ("ADP", "SCONJ") or before[0].lower_ in ASIDE_MARKS):
        # "Despite a series of defeats, Sanders remains committed ..., his aide told The Huffington Post": a
        # phrase that sets the scene, then the sentence's own clause, which is what was said
        root = sent.root
        commas = [t.i for t in before if t.text == "," and t.i < root.i
                  and any(c.dep_ in ("nsubj", "nsubjpass") and c.i > t.i for c in root.children)]
        before = [t for t in before if t.i > commas[0]] if commas and root.i < first_i(subject) else []
    # a sentence, not a subordinate clause or a phrase that sets the scene ("If the two spoke ...", "In the text")
    if len(before) < 4 or not _finite(before):
        return []
    return before


def _finite(toks: list[Any]) -> bool:
    """Whether the words hold a finite verb: a clause, not a phrase that sets the scene."""
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in toks)


def said_that(cue: Any) -> list[Any]:
    """"CBS reported that the decision to tap Merkel was made because ...": the parser hung "that" on a noun and
    the clause's verb deeper still; a cue followed by "that" and a finite verb before the sentence ends reports
    the rest of the sentence."""
    doc = cue.doc
    if cue.i + 1 >= len(doc) or doc[cue.i + 1].lower_ != "that" or doc[cue.i + 1].sent.start != cue.sent.start:
        return []
    rest = [t for t in doc[cue.i + 1 : cue.sent.end] if not t.is_space]
    return rest if _finite(rest[2:]) else []


def _beyond_semicolon(clause: Any, cue: Any) -> bool:
    """"The meeting ended early; she said ...": a clause before a semicolon or a colon is not what the next
    one says ("... cites the crowds as an example: He says news outlets undercount ...")."""
    inner = {t.i for t in clause.subtree}  # ("... the same tack: attending meetings ..., said X" is one clause)
    return clause.i < cue.i and any(t.text in (";", ":") and t.i not in inner for t in cue.doc[clause.i : cue.i])


def said_by_noun(tok: Any) -> tuple[Any, list[Any]] | None:
    """"her remark that there's a special place ...", "his promise to build a wall", "claims by intelligence
    agencies that ...": a speech noun's owner and the clause it carries (a that-clause; of a promise, its
    infinitive). Not "the claim that he made", whose "that" is a pronoun."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOUN_CUES:
        return None
    owner = next((c for c in tok.children if c.dep_ in ("poss", "nmod") and c.i < tok.i
                  and c.pos_ in ("PRON", "PROPN", "NOUN")), None)
    by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    if owner is None and by is not None:
        owner = next((o for o in by.children if o.dep_ == "pobj"), None)
    if owner is None:
        return None
    promise = tok.lemma_.lower() in COMMIT  # (promise, pledge, vow, claim: "his claim to be the strongest")
    clause = next((c for c in tok.children if c.dep_ in ("acl", "relcl", "ccomp") and c.i > tok.i
                   and c.pos_ in ("VERB", "AUX")
                   and (any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                        or (promise and any(m.dep_ == "aux" and m.lower_ == "to" and m.i < c.i for m in c.children)))),
                  None)
    if clause is None:
        return None
    return owner, list(clause.subtree)
