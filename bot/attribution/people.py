"""Who a speaker is. The article's named people and organisations (full names by surname, the titles given
to them); the name behind a cue's subject (a name in the phrase, "a spokesman for X", a title given earlier,
"the fund" for the fund named before); and, once the statements are found, each pronoun or description
resolved to the person last in view, of the gender "Mr."/"Ms.", census first names or later pronouns show.
Names and genders, not speech verbs: the statement finder (`extract`) calls in here, never the other way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from bot.attribution.found import Found
from bot.attribution.parsing import first_i, last_i

# "Sen. Bernie Sanders ... the senator said": a title abbreviated before the name is the word used later
TITLE_ABBREVIATIONS = {
    "sen": ("senator", "sen"), "rep": ("representative", "congressman", "congresswoman", "rep"),
    "gov": ("governor", "gov"), "gen": ("general", "gen"), "sec": ("secretary", "sec"),
    "pres": ("president", "pres"), "amb": ("ambassador", "amb"), "lt": ("lieutenant", "lt"),
    "supt": ("superintendent",), "prof": ("professor", "prof"), "atty": ("attorney",),
}
# Capitalised words before a name that are titles, not given names ("President Obama", "Deputy Minister X")
TITLE_WORDS = frozenset("president vice deputy foreign prime minister senator sen congressman congresswoman "
                        "representative governor mayor secretary general judge justice chairman chairwoman chair "
                        "ambassador attorney speaker leader king queen prince princess pope cardinal bishop "
                        "reverend father sister dr doctor professor commissioner chief director officer "
                        "sergeant captain colonel lieutenant major admiral agent detective sheriff coach "
                        "candidate nominee former first lady lord sir dame madam mr mrs ms miss".split())
FEMALE_NOUNS = frozenset("widow mother wife daughter sister grandmother actress congresswoman chairwoman "
                         "spokeswoman businesswoman queen lady princess duchess mrs ms".split())
MALE_NOUNS = frozenset("widower father husband son brother grandfather actor congressman chairman spokesman "
                       "businessman king lord prince duke mr".split())
HE, SHE = frozenset("he him his himself".split()), frozenset("she her hers herself".split())
PRONOUNS = frozenset("he she they i we it his her".split())
PERSONAL = frozenset("he she i his her him".split())  # a person, not an organisation
# Nouns for a person ("the tycoon"), besides those ending like one (socialist, businessman, politician). An
# ending such as -er, -or or -ent is no test: the order, the sponsor's letter, the agreement.
PERSON_NOUNS = frozenset(
    "surgeon neurosurgeon physician psychiatrist pilot soldier captain colonel detective sheriff chief "
    "tycoon magnate mogul billionaire millionaire candidate nominee hopeful frontrunner front-runner incumbent "
    "star host chief diplomat minister secretary judge mayor president veteran activist rival opponent founder "
    "aide envoy ambassador general official spokesperson premier lawmaker senator governor pundit expert analyst "
    "economist attorney lawyer heiress actress actor celebrity comedian singer rapper pastor bishop pope priest "
    "rabbi imam mother father wife husband son daughter widow student scientist professor doctor nurse officer "
    "leader speaker reporter writer worker voter supporter member manager director editor adviser advisor "
    "organizer organiser owner player teacher producer author partner chancellor commissioner prosecutor "
    "investigator inspector researcher executive resident agent correspondent consultant assistant attendant "
    "lieutenant sergeant employee retiree trustee commentator columnist strategist pollster operative donor "
    "banker investor".split()
)
PERSON_ENDINGS = ("ist", "ian", "man", "woman", "person")
# Heads of a definite description that name a thing or a body, not a person: "the statement said"
NOT_PERSONS = frozenset(
    "statement letter report poll survey study paper newspaper magazine journal site website network station "
    "channel show programme program campaign group committee agency department company firm party organization "
    "organisation ad advert video memo document release court government administration council board panel "
    "commission union ministry office team book article editorial account tweet post filing complaint lawsuit "
    "ruling data analysis index figure record source publication outlet bureau service center centre "
    "institute foundation association coalition movement caucus senate house congress legislature parliament "
    "cabinet embassy consulate army military police force city state country nation county district school "
    "university college hospital bank fund market industry sector press media story piece column blog "
    "transcript message note email speech interview broadcast text card".split()
)
# A definite "the group" with no noun of its own to match stands for the organisation just named
GENERIC_BODIES = frozenset("group organization organisation company firm agency association union".split())
GROUP_WORDS = frozenset("officials sources people experts analysts critics residents witnesses".split())


@dataclass
class People:
    """The article's named people and organisations: full names by their last word, titles given to them."""

    namesakes: dict[str, list[str]]  # last word (lower) -> every name ending in it ("Bill Clinton", "Clinton")
    titles: dict[str, list[tuple[int, str]]]  # title word (lower) -> (offset, name) each time it was given
    named: list[tuple[int, str, bool]]  # (offset, name, is a person) of each name mention, in order

    def fullest(self, last: str) -> str:
        """The longest name ending in ``last`` (the first of equal length), or "" when none does."""
        return max(self.namesakes.get(last, []), key=lambda n: len(n.split()), default="")

    def titled(self, word: str, at: int) -> str | None:
        """Whom a title names at offset ``at``: the one given it before (of two senators, neither: the article
        must say which), else the one given it later."""
        given = self.titles.get(word, [])
        before = {name for offset, name in given if offset < at}
        if before:
            return before.pop() if len(before) == 1 else None
        return given[0][1] if len({name for _, name in given}) == 1 else None


def people_in(doc: Any, datelines: list[tuple[int, int]]) -> People:
    namesakes: dict[str, list[str]] = {}
    titles: dict[str, list[tuple[int, str]]] = {}
    named: list[tuple[int, str, bool]] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "NORP", "GPE") or _in(ent.start_char, datelines):
            continue
        name = _entity_name(ent) if ent.label_ == "PERSON" else _clean_name(ent.text)
        if not name:
            continue
        if ent.label_ == "PERSON":
            last = name.split()[-1].lower()
            if name not in namesakes.setdefault(last, []):
                namesakes[last].append(name)
            for word in _title_words(ent):
                for title in TITLE_ABBREVIATIONS.get(word.rstrip("."), (word,)):
                    titles.setdefault(title, []).append((ent.start_char, name))
        named.append((ent.start_char, name, ent.label_ == "PERSON"))
    return People(namesakes, titles, named)


def _title_words(ent: Any) -> Iterator[str]:
    """Nouns that give a person a title: "Deputy Foreign Minister Sergei Rjabkow", "the minister, Rjabkow",
    "Rjabkow, the minister"."""
    head = ent.root
    for tok in head.children:
        if tok.dep_ in ("compound", "amod") and tok.i < ent.start and tok.pos_ in ("PROPN", "NOUN"):
            yield tok.text.lower()
    if head.dep_ == "appos":
        other = head.head
        if other.pos_ in ("NOUN", "PROPN"):
            yield other.lemma_.lower()
            for tok in other.children:
                if tok.dep_ == "compound":
                    yield tok.text.lower()
    for tok in head.children:
        if tok.dep_ == "appos" and tok.pos_ == "NOUN":
            yield tok.lemma_.lower()
    for tok in doc_left_compounds(ent):
        yield tok


def doc_left_compounds(ent: Any) -> Iterator[str]:
    """Capitalised title words directly before a name ("Minister Sergei Rjabkow")."""
    doc = ent.doc
    k = ent.start - 1
    while k >= 0 and doc[k].pos_ in ("PROPN", "NOUN") and doc[k].ent_type_ != "PERSON" and k >= ent.start - 3:
        yield doc[k].text.lower()
        k -= 1


def _clean_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return " ".join(w for w in text.split() if w not in ("Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr"))


def _in(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def mention_of(subject: Any, not_before: int = 0) -> tuple[str, int, int]:
    """The words naming the speaker: the subject's phrase, cut before a relative clause inside it
    ("Ryabkov, who heads the delegation, said" names "Ryabkov"), and never reaching back before ``not_before``
    (the quote the parser hung on the name)."""
    clauses = {t.i for c in subject.subtree if c.dep_ in ("relcl", "acl") and c.i != subject.i for t in c.subtree}
    keep: list[Any] = []
    for tok in sorted(subject.subtree, key=lambda t: t.i):
        if tok.idx < not_before:
            continue
        if tok.i in clauses:
            if tok.i > subject.i:
                break
            continue
        if tok.i > subject.i and tok.tag_ in ("VBD", "VBZ", "VBP"):
            break  # a finite verb the parser read into the name's phrase ("..., endorsed Sanders' approach")
        keep.append(tok)
    while keep and (keep[-1].is_punct or keep[-1].is_space):
        keep.pop()
    while keep and (keep[0].is_punct or keep[0].is_space):
        keep.pop(0)
    if not keep:
        return subject.text, subject.idx, subject.idx + len(subject.text)
    start, end = keep[0].idx, keep[-1].idx + len(keep[-1].text)
    return subject.doc.text[start:end], start, end


def speaker(subject: Any, mention: str, people: People) -> str:
    """The name behind a mention: a name in it (appositions first), the organisation a spokesman speaks for,
    a title given to someone earlier; a pronoun is left for `resolve_pronouns`."""
    names = [e for e in subject.doc.ents if e.start >= first_i(subject) and e.end <= last_i(subject) + 1]
    if subject.lower_ in ("who", "which", "that") and subject.head.dep_ == "relcl" and subject.head.head.i != subject.i:
        named_by = subject.head.head  # "voters who say": the voters
        return speaker(named_by, mention_of(named_by)[0], people)
    if subject.lower_ in ("who", "which") and subject.i > 0:  # the parser missed the relative clause: the noun
        before = subject.doc[subject.i - 1 if subject.doc[subject.i - 1].text != "," else subject.i - 2]
        if before.pos_ in ("NOUN", "PROPN") and before.i < subject.i:  # right before it is what it stands for
            return speaker(before, mention_of(before)[0], people)
    # (not a name in a relative clause on it: "The delegate, who backs Cruz," is not Cruz)
    persons = [e for e in names if e.label_ == "PERSON" and "relcl" not in _path(e.root, subject)]
    # The person the phrase is about: its head's name, else one not inside a modifier of an apposition ("Dr.
    # Harold Varmus, the former NIH director under President Bill Clinton" is Varmus).
    own = ([e for e in persons if e.start <= subject.i < e.end]
           or [e for e in persons if not _modifies_appos(e, subject)])
    if own or persons:
        return _named((own or persons)[-1], people)
    if subject.pos_ == "PROPN" and subject.text[:1].isupper() and subject.lower_ not in PRONOUNS:
        # "Hemsley, the co-author of “Going Viral,”": a name the tagger missed is still the name, not the title
        # or firm in its apposition
        compound = [t for t in subject.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < subject.i]
        return _full(_clean_name(" ".join(t.text for t in [*compound, subject])), people)
    for tok in subject.subtree:  # "a spokesman for the Kremlin", "a statement from X", "for the firm Nordlink"
        obj = tok.head if tok.dep_ == "appos" else tok
        if obj.dep_ == "pobj" and obj.head.text.lower() in ("for", "from", "of") and tok.ent_type_ in ("ORG", "GPE",
                                                                                                         "PERSON"):
            ent = next((e for e in names if e.start <= tok.i < e.end), None)
            if ent is not None:
                return _named(ent, people)
    named = [t for t in subject.children if t.dep_ == "appos" and t.pos_ == "PROPN"]
    if named:  # "One Republican hopeful, Carly Fiorina," names her even when NER missed her
        phrase = " ".join(t.text for t in sorted(named[0].subtree, key=lambda t: t.i) if t.pos_ == "PROPN")
        return _full(_clean_name(phrase), people)
    # An organisation that is the subject ("the Kremlin said"), not a word describing one ("Democratic voters")
    orgs = [e for e in names if e.label_ in ("ORG", "GPE", "NORP") and (e.start <= subject.i < e.end
                                                                      or subject.pos_ == "PROPN")]
    if orgs:  # a person's surname tagged as an organisation ("Trump replied") is still that person
        return _named(orgs[0], people)
    word = subject.text.lower()
    if word in PRONOUNS:
        return ""
    # (a title names one person: "the lawyers" are not the one lawyer named before)
    titled = (people.titled(subject.lemma_.lower(), subject.idx)
              if subject.pos_ in ("NOUN", "PROPN") and subject.tag_ not in ("NNS", "NNPS") else None)
    if titled:
        return titled
    if subject.pos_ == "PROPN":
        return _named(mention, people)
    organisation = _named_thing(subject)
    if organisation:
        return _full(organisation, people)
    # "the real estate tycoon": the person in view, resolved like a pronoun; of two senators, neither
    if _description(subject) and len({name for _, name in people.titles.get(subject.lemma_.lower(), [])}) < 2:
        return ""
    return _clean_name(mention) or mention


def _named_thing(subject: Any) -> str | None:
    """"the fund" after "the International Monetary Fund", "the poll" after "a Bloomberg poll", "the report"
    after "a report by Citizens for Tax Justice": the organisation a definite description stands for, the
    latest one named with that noun."""
    head = subject.lemma_.lower()
    if subject.pos_ != "NOUN" or subject.tag_ == "NNS" or _person_noun(head) or not _definite(subject):
        return None  # "the president" is a person; "the articles" are many
    headline = subject.doc.text.find("\n")  # a headline names things in passing
    first = subject.doc[first_i(subject)].idx  # named before the phrase, not inside it ("the Trump campaign")
    # "The Holocaust Museum issued a statement ... the statement urged": whoever issued it speaks through it
    for tok in reversed(subject.doc[: first_i(subject)]):
        if tok.idx <= headline or tok.lemma_.lower() != head or tok.dep_ != "dobj" or tok.head.pos_ != "VERB":
            continue
        issuers = [c for c in tok.head.children if c.dep_ == "nsubj"]
        ents = [e for c in issuers for e in subject.doc.ents if e.label_ in ("PERSON", "ORG")
                and first_i(c) <= e.start and e.end <= last_i(c) + 1]
        if ents:
            return _clean_name(ents[-1].text) or None
        break
    for ent in reversed([e for e in subject.doc.ents if headline < e.start_char and e.end_char <= first
                         and e.label_ in ("ORG", "NORP") and e.text.lower().rstrip("s") != head]):
        root = ent.root  # ("Bank" alone, tagged as an organisation, names no bank in particular)
        if (ent.text.split()[-1].lower() in (head, subject.lower_)
                or (root.dep_ == "compound" and root.head.lemma_.lower() == head)
                or (root.dep_ == "pobj" and root.head.lower_ in ("by", "from", "of")
                    and root.head.head.lemma_.lower() == head)):
            # "UnitedHealth Group ... the trade group for the Blue Cross plans ... the group wrote": the same
            # noun given to something else since
            since = subject.doc[ent.end : first_i(subject)]
            if any(t.lemma_.lower() == head and t.pos_ == "NOUN" and not _bare(t) and t.i != root.head.i
                   for t in since):
                return None
            return _clean_name(ent.text) or None
    if head in GENERIC_BODIES:  # "..., according to the National Golf Foundation. ..., the group says"
        sents = list(subject.doc.sents)
        k = next((n for n, sent in enumerate(sents) if sent.start <= subject.i < sent.end), 0)
        window = sents[max(0, k - 2)].start_char
        orgs = [e for e in subject.doc.ents if e.label_ == "ORG" and window <= e.start_char and e.end_char <= first
                and headline < e.start_char]
        if orgs:
            return _clean_name(orgs[-1].text) or None
    return None


def _definite(noun: Any) -> bool:
    """"the fund", "the billionaire businessman": a noun whose determiner is "the"."""
    return next((c.lower_ for c in noun.children if c.dep_ == "det"), None) == "the"


def _bare(noun: Any) -> bool:
    """"the fund", with no word of its own that would make it a different one"""
    return all(c.dep_ == "det" and c.lower_ == "the" for c in noun.children if c.dep_ != "punct")


def _description(subject: Any) -> bool:
    """"the real estate tycoon", "the businessman": a definite description of a person the article has named,
    news prose's way of not repeating a name. Not a thing that speaks ("the statement", "the newspaper"), a
    group ("the groups"), nor someone the article brought in unnamed ("a veteran asked ... the veteran said")."""
    head = subject.lemma_.lower()
    if (subject.pos_ != "NOUN" or subject.tag_ == "NNS" or head in NOT_PERSONS
            or not _person_noun(head)
            or not _definite(subject)):
        return False
    text = subject.doc.text[: subject.idx]
    return not re.search(rf"\b(?:a|an|one|another)\s+(?:[\w’'-]+\s+){{0,3}}{re.escape(subject.text)}\b", text, re.I)


def _modifies_appos(ent: Any, subject: Any) -> bool:
    # spaCy makes a new Token object on every access: compare positions, never identity
    tok = ent.root
    path: list[str] = []
    while tok.i != subject.i and tok.head.i != tok.i:
        path.append(tok.dep_)
        tok = tok.head
    return "appos" in path and any(d in ("prep", "pobj", "acl", "relcl", "poss") for d in path[: path.index("appos")])


def _path(tok: Any, top: Any) -> set[str]:
    """The dependency labels from ``tok`` up to ``top`` (its ancestor)."""
    deps: set[str] = set()
    while tok.i != top.i and tok.head.i != tok.i:
        deps.add(tok.dep_)
        tok = tok.head
    return deps if tok.i == top.i else {"?"}


def _full(name: str, people: People, gender: str = "") -> str:
    """The article's fullest name ending like ``name``; of a couple, the one whose first name fits the gender
    "Mr."/"Mrs." gave ("Mrs. Clinton" is Hillary Clinton, not Bill, when the article names both)."""
    bare = _without_epithet(name)
    if bare != name and any(n.lower().endswith(bare.split()[-1].lower()) for _, n, person in people.named if person):
        name = bare  # (a person's name: not "Trayvon Martin Foundation")
    words = name.split()
    last = words[-1].lower() if words else ""
    # a fuller form of this name: a surname alone, or the same first name ("Hillary Rodham Clinton" for
    # "Hillary Clinton"); never another first name ("Ivanka Trump" is not "Donald J. Trump")
    fuller = [n for n in people.namesakes.get(last, []) if len(n.split()) > len(words)
              and (len(words) == 1 or n.split()[0].lower() == words[0].lower())]
    if gender:
        fuller = [n for n in fuller if _first_names().get(n.split()[0].lower(), gender) == gender]
    if not fuller and len(words) == 1 and last in _first_names():
        # "Bill has pointed out", in an article that names one Bill, Bill Clinton: that person's given name
        # (a census first name only: "Obama" is not the "Obama Says" of a headline)
        given = {n for ns in people.namesakes.values() for n in ns
                 if len(n.split()) > 1 and n.split()[0].lower() == last}
        return given.pop() if len(given) == 1 else name
    return max(fuller, key=lambda n: len(n.split()), default=name)


def _named(raw: Any, people: People) -> str:
    """The full name behind a mention (a text, or an entity with the word before it), its "Mr." or "Mrs."
    telling which of a couple."""
    text = raw if isinstance(raw, str) else f"{raw.doc[raw.start - 1].text if raw.start else ''} {raw.text}"
    title = re.match(r"\s*(?:the\s+)?(Mr|Mrs|Ms|Miss)\b", text)
    gender = "" if title is None else "m" if title.group(1) == "Mr" else "f"
    return _full(_clean_name(raw) if isinstance(raw, str) else _entity_name(raw), people, gender)


def _entity_name(ent: Any) -> str:
    """A name entity's words; "Ivanka Trump" tagged as "Trump" alone keeps the given name the tagger left out
    (a capitalised word hung on it that is no title: not "President Trump")."""
    name = ent.text
    if ent.start and len(ent) == 1:
        given = ent.doc[ent.start - 1]
        if (given.pos_ == "PROPN" and given.dep_ == "compound" and given.head.i == ent.root.i
                and given.text[:1].isupper() and given.text.isalpha() and not given.ent_type_
                and given.lower_ not in PERSON_NOUNS and given.lower_ not in TITLE_WORDS
                and given.lower_ not in TITLE_ABBREVIATIONS):
            name = f"{given.text} {ent.text}"
    return _without_epithet(_clean_name(name))


def _without_epithet(name: str) -> str:
    """"Crooked Hillary Clinton", a headline's "Rip Donald Trump": a capitalised word before a given name that
    is no given name itself (nor an initial) is an epithet or a verb the tagger took into the name."""
    words = name.split()
    first_names = _first_names()
    if (len(words) >= 3 and all(w[:1].isupper() for w in words) and words[1].lower() in first_names
            and words[0].lower().strip("’'") not in first_names and len(words[0]) > 2 and not words[0].endswith(".")):
        return " ".join(words[1:])
    return name


def resolve_pronouns(found: list[Found], people: People, doc: Any, quotes: list[tuple[int, int]]) -> list[Found]:
    """A pronoun's speaker is the person last in view: the latest of the earlier speakers and the people who
    were the subject of a sentence (not those only mentioned: "spoke to his counterpart, Putin. He said" is
    still the first man). "They" or "we" may be an organisation: the latest speaker of any kind."""
    # a subject inside what is said (or in the sentences saying it) does not speak next
    said = [(min(f.start, f.sentence_start), max(f.end, f.sentence_end)) for f in found] + quotes
    everyone = _person_subjects(doc, people)
    contents = [(g.start, g.end) for g in found] + quotes
    subjects = [(at, name) for at, name in everyone if not _in(at, said)]
    plural = [(at, name) for at, name in _group_subjects(doc) if not _in(at, said)]
    genders = _genders(doc, people, subjects, said)
    persons = {name for _, name, person in people.named if person} | {n for ns in people.namesakes.values() for n in ns}
    # organisations ("Facebook Inc." and "Facebook"), never tagged as a person nor a person's surname
    bodies = {word for _, name, person in people.named if not person for word in (name, name.split()[0])
              if word not in persons and word.lower() not in people.namesakes}
    out: list[Found] = []
    spoken: list[tuple[int, str]] = []
    for f in found:
        speaker = f.speaker
        if not speaker:
            word = f.mention.lower()
            personal = word in PERSONAL or word.startswith("the ")  # a pronoun, or "the businessman"
            # (a description in the same sentence is someone else: "Clinton leads Sanders, but the socialist")
            here = _governing(doc, f, everyone, contents) if word in PERSONAL else []
            seen = [x for x in spoken + (subjects + here if personal else []) if x[0] < f.mention_start]
            if word in PERSONAL and f.kind == "direct":
                seen += _introduced_before(doc, people, f.start)
            if not personal:
                # "they": of those in view, a group or an organisation before a single person ("McConnell's aides
                # ... they said"; "Politifact checked ... they could not resist")
                groups = [x for x in [*spoken, *plural] if x[0] < f.mention_start and x[1] not in persons]
                seen = groups if word in ("they", "we") and groups else seen
            else:
                # "he" is a man, or someone whose gender the article never showed; not an organisation
                other = "f" if word in HE else "m" if word in SHE else ""
                fits = [x for x in seen if genders.get(x[1]) != other and (x[1] in persons or x in subjects)
                        and x[1] not in bodies]  # "she" is not Facebook
                seen = fits or seen
                # "the Florida senator": of those in view, one the article gave that title, when it gave it anyone
                holders = {name for _, name in people.titles.get(word.split()[-1], [])}
                if word.startswith("the ") and holders:
                    seen = [x for x in seen if x[1] in holders] or seen
            speaker = max(seen)[1] if seen else (_clean_name(f.mention) or f.mention)
        out.append(replace(f, speaker=speaker))
        if speaker.lower() not in PRONOUNS:
            spoken.append((f.mention_start, speaker))
    return out


def _governing(doc: Any, f: Found, subjects: list[tuple[int, str]],
               contents: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """The subjects of main clauses earlier in the statement's own sentences, or of a clause that holds its
    speaker, outside what anyone said: "Sanders defended his vote, but he announced" and "Mosman saw it
    differently: “...,” he said" are Sanders and Mosman; "If Trump loses, he said" is not Trump."""
    mention = doc.char_span(f.mention_start, f.mention_end, alignment_mode="expand")
    if mention is None:
        return []
    above = {t.i for t in mention.root.ancestors}
    # the tokens from the sentence's start to the mention (not the whole document before it, per pronoun)
    lead = doc.char_span(f.sentence_start, mention.start_char, alignment_mode="expand")
    starts = {t.idx: t for t in lead or () if t.idx >= f.sentence_start}
    # (a clause that leads in to the quote with a colon is a main clause the parser may hang inside it)
    lead_in = f.mention_start > f.end and doc.text[: f.start].rstrip(" “\"‘'").endswith(":")
    out = []
    for at, name in subjects:
        if not (f.sentence_start <= at < min(f.mention_start, f.start)) or at not in starts or _in(at, contents):
            continue
        clause = starts[at].head
        while clause.dep_ in ("conj", "parataxis") and clause.head.i != clause.i:
            clause = clause.head
        if starts[at].head.i in above or clause.dep_ == "ROOT" or lead_in:
            out.append((at, name))
    return out


def _introduced_before(doc: Any, people: People, start: int) -> list[tuple[int, str]]:
    """"... that concerns Henry Crespo, president of the Black Caucus.\n\n“No one is writing songs,” he said":
    a person first named, with a title, in the last sentence of the paragraph before a quote that opens its
    own paragraph is who that quote is by, even when not that sentence's subject."""
    text = doc.text
    para = text.rfind("\n\n", 0, start)
    if para < 0 or text[para:start].strip(" \n\"“‘'"):
        return []
    last = next((sent for sent in doc.sents if sent.start_char < para <= sent.end_char), None)
    if last is None:
        return []
    out = []
    for ent in last.ents:
        if ent.label_ != "PERSON" or not any(c.dep_ == "appos" and _title_like(c) for c in ent.root.children):
            continue
        name = _named(ent, people)
        earlier = (e for e in doc.ents if e.label_ == "PERSON" and e.start_char < last.start_char)
        if not any(_named(e, people) == name for e in earlier):
            out.append((ent.start_char, name))
    return out


def _title_like(appos: Any) -> bool:
    """An apposition that could be a person's title: not a thing ("Twitter, one of his preferred methods of
    communication", "Twitter, the social network")."""
    noun = appos
    if appos.lower_ in ("one", "some", "part", "any"):
        noun = next((o for p in appos.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), appos)
    lemma = noun.lemma_.lower()
    return noun.pos_ == "PROPN" or (lemma not in NOT_PERSONS and (noun.i == appos.i or _people_noun(lemma)))


def _genders(doc: Any, people: People, subjects: list[tuple[int, str]],
             said: list[tuple[int, int]]) -> dict[str, str]:
    """"m" or "f" for the article's people: "Mr."/"Ms." before their name, else their first name's gender in
    the US Census ("Hillary Clinton", "Gina Rodriguez"), else the pronoun that most often opens the next
    sentence after they were its subject (weakest: it may be the very pronoun being resolved)."""
    titled: dict[str, list[int]] = {}
    for m in re.finditer(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w’'-]*\s+)*?([A-Z][\w’'-]+)", doc.text):
        female = m.group(1) != "Mr"
        titled.setdefault(_full(m.group(2), people, "f" if female else "m"), [0, 0])[female] += 1
    prior = _first_names()
    census = {name: prior[name.split()[0].lower()] for _, name, person in people.named
              if person and len(name.split()) > 1 and name.split()[0].lower() in prior}
    # Only a pronoun that opens the next sentence as its subject, with no other name before it: "Sanders said
    # she was wrong" is about someone else; "Sanders spoke in Iowa. He said" is Sanders.
    votes: dict[str, list[int]] = {}
    persons_at = sorted(e.start_char for e in doc.ents if e.label_ == "PERSON")
    sents = list(doc.sents)
    for at, name in subjects:
        k = next((n for n, sent in enumerate(sents) if sent.start_char <= at < sent.end_char), None)
        if k is None or k + 1 >= len(sents):
            continue
        nxt = sents[k + 1]
        first = next((t for t in nxt if t.dep_ in ("nsubj", "nsubjpass")), None)
        if (first is None or first.lower_ not in HE | SHE or first.i - nxt.start > 2 or _in(first.idx, said)
                or any(at < p < first.idx for p in persons_at if p != at)):
            continue
        votes.setdefault(name, [0, 0])[first.lower_ in SHE] += 1

    def side(counts: dict[str, list[int]]) -> dict[str, str]:
        return {name: "m" if m > f else "f" for name, (m, f) in counts.items() if m != f}

    # "9/11 widow Terry Strada": a gendered title outweighs the first name's odds (Terry is mostly a man's)
    nouns: dict[str, list[int]] = {}
    for word, given in people.titles.items():
        if word in MALE_NOUNS or word in FEMALE_NOUNS:
            for _, name in given:
                nouns.setdefault(name, [0, 0])[word in FEMALE_NOUNS] += 1
    return side(votes) | census | side(nouns) | side(titled)


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    """"m" or "f" for US Census first names three times likelier or more for one gender."""
    from importlib.resources import files

    freq: dict[str, list[float]] = {}
    for k, part in enumerate(("male", "female")):
        for line in (files("names") / f"dist.{part}.first").read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if len(fields) >= 2:
                freq.setdefault(fields[0].lower(), [0.0, 0.0])[k] = float(fields[1])
    return {name: "m" if m > 3 * f else "f" for name, (m, f) in freq.items() if m > 3 * f or f > 3 * m}


def _group_subjects(doc: Any) -> list[tuple[int, str]]:
    """(offset, name) of each sentence subject that is a group ("McConnell aides") or an organisation."""
    out = []
    for tok in doc:
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.lower_ in PRONOUNS:
            continue
        org = next((e for e in doc.ents if e.label_ == "ORG" and e.start <= tok.i < e.end), None) \
            if tok.ent_type_ == "ORG" else None
        if org is not None:
            out.append((tok.idx, _clean_name(org.text)))
        elif tok.tag_ == "NNPS" or tok.ent_type_ == "NORP" or (tok.tag_ == "NNS" and _people_noun(tok.lemma_.lower())):
            out.append((tok.idx, _clean_name(mention_of(tok)[0])))  # people, not "those accomplishments"
    return out


def _person_noun(lemma: str) -> bool:
    """"tycoon", "socialist", "businessman": a noun for a person."""
    return lemma in PERSON_NOUNS or lemma.endswith(PERSON_ENDINGS)


def _people_noun(lemma: str) -> bool:
    """A person or a group of people ("aides", "officials", "groups")."""
    return _person_noun(lemma) or lemma in GROUP_WORDS or lemma == "group"


def _person_subjects(doc: Any, people: People) -> list[tuple[int, str]]:
    """(offset, name) of each sentence subject that names a person."""
    out = []
    for tok in doc:
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            # "Trump, when asked ..., often steam-rolls ...", "And Obama, for all ..., seems to agree": a
            # person's name opening a sentence that the parser left without a subject is its subject
            opens = tok.i == tok.sent.start or (tok.i == tok.sent.start + 1 and doc[tok.sent.start].pos_ == "CCONJ")
            if (opens and tok.pos_ == "PROPN" and tok.dep_ in ("ROOT", "dep", "npadvmod") and tok.i + 1 < len(doc)
                    and doc[tok.i + 1].text == "," and (fullest := people.fullest(tok.lower_))):
                out.append((tok.idx, fullest))
            continue
        head = tok.head
        if (head.dep_ in ("ccomp", "xcomp") and head.tag_ in ("VB", "JJ") and tok.i == head.head.i + 1
                and not any(c.dep_ in ("aux", "mark") for c in head.children)):
            continue  # the object of a small clause ("hold Snyder accountable", "let Trump speak") is not in view
        # the person the subject is, not one named inside it ("the Obama administration", "Petrilli, who
        # thinks Obama ...")
        persons = [e for e in doc.ents if e.label_ == "PERSON" and first_i(tok) <= e.start and e.end <= last_i(tok) + 1
                   and (e.start <= tok.i < e.end or _path(e.root, tok) <= {"appos", "conj", "flat"})]
        if persons:
            out.append((tok.idx, _named(persons[-1], people)))
        elif tok.text[:1].isupper() and (fullest := people.fullest(tok.lower_)):  # a surname the tagger took
            out.append((tok.idx, fullest))  # for something else (a noun "sander" is no title)
        elif tok.pos_ == "NOUN" and (titled := people.titled(tok.lemma_.lower(), tok.idx)):
            out.append((tok.idx, titled))
        elif tok.pos_ == "PROPN" and tok.text[:1].isupper() and not tok.ent_type_ and tok.lower_ not in PRONOUNS:
            out.append((tok.idx, _full(tok.text, people)))  # a name the tagger missed ("Petrilli, who thinks")
    return out
