"""Answers a reader can trust: the asked kind of value, near misses refused with what the articles do say,
disagreeing reports shown side by side with their dates, fragments made whole sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import DISAGREE, ELSEWHERE, NEAR_MISS, STATED, ask, checked
from bot.answer.checks import gives
from bot.answer.kinds import Kind, asked_kind, relation_words, states, tells, values
from bot.answer.write import Draft
from bot.citations import CitedSentence, Verified, verify
from bot.embed import MiniLMEmbedding
from bot.records import Passage, Span
from bot.retrieve import search
from bot.sentences import split_sentences
from bot.store import Store
from tests.conftest import SEED, add, ctx


def html(title: str, published: str, body: str) -> str:
    return (f"<html><head><title>{title}</title><meta property='article:published_time' content='{published}'>"
            f"</head><body><article><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in body.split(chr(10)))}"
            "</article></body></html>")


SIGNING = html("Maron signs with the Harbour Hawks", "2026-06-01", "\n".join([
    "The Harbour Hawks have signed striker James Maron to a four-year contract, the club announced on Monday.",
    "Maron, 27, joins from the Northport Rovers, where he scored 41 goals in three seasons.",
    "The club did not disclose the terms of the deal. Maron said he was thrilled to join a club with such "
    "ambition and promised to repay the fans' faith.",
    "Head coach Alma Reyes called the signing a statement of intent for the new season.",
]))
PAID = html("Maron's pay revealed", "2026-06-03", "\n".join([
    "James Maron will be paid $9 million a year under his new contract with the Harbour Hawks, according to "
    "documents seen by the Northport Ledger.",
    "The figure makes him the best-paid player in the club's history.",
]))
FLOOD_EARLY = html("Floods hit Valdora", "2026-04-10", "\n".join([
    "At least 12 people died in the floods in the Valdora region, the regional governor said on Friday.",
    "Rescue teams were still searching villages along the river, and hundreds of homes were under water.",
]))
FLOOD_LATE = html("Valdora counts its dead", "2026-04-14", "\n".join([
    "The floods in the Valdora region killed 31 people, the interior ministry said on Tuesday.",
    "Officials said the water had begun to recede and that roads to the valley had reopened.",
]))


def write(tmp_path: Path, **articles: str) -> list[str]:
    paths = []
    for name, text in articles.items():
        path = tmp_path / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize(("question", "kind"), [
    ("How much will James Maron be paid under his new contract?", Kind.MONEY),
    ("How much rain fell in Valdora?", Kind.NUMBER),
    ("How many people died in the floods?", Kind.NUMBER),
    ("How long does Kellogg have to develop a solution?", Kind.DURATION),
    ("When will Trump and Putin meet?", Kind.DATE),
    ("Where did Trump speak to reporters?", Kind.PLACE),
    ("Who said that no telephone conversation is planned?", Kind.NAME),
    ("Which singer won the award?", Kind.NAME),
    ("Which city hosted the summit?", Kind.PLACE),
    ("In what year was the club founded?", Kind.DATE),
    ("Why did the club not disclose the terms?", Kind.REASON),
    # the noun "which"/"what" asks about, past adjectives, numbers and tags the lower-cased parse gets wrong
    ("Which wildly popular show was renewed for a second season?", Kind.NAME),
    ("Which two countries did NATO invite to join?", Kind.PLACE),
    ("Which embattled celebrity was found liable?", Kind.NAME),
    ("Which meal kit service received reports of illness?", Kind.NAME),
    ("Which country's president resigned?", Kind.NAME),
    ("What did the images show?", None),
    ("What happened in Valdora?", None),
    ("Did Maron sign?", None),
])
def test_the_kind_of_answer_a_question_asks_for(question: str, kind: Kind | None) -> None:
    assert asked_kind(question) is kind


def test_values_of_a_kind_are_the_ones_the_question_does_not_hold() -> None:
    text = "Trump gave his envoy Keith Kellogg 100 days to develop a solution."
    assert values(Kind.DURATION, text, "How long does Kellogg have?") == ["100 days"]
    assert values(Kind.MONEY, text, "How much is Kellogg paid?") == []
    # a name the question already holds is no answer to it; a new one is
    assert "Kellogg" not in " ".join(values(Kind.NAME, text, "Who is Keith Kellogg?"))
    assert any("Trump" in v for v in values(Kind.NAME, text, "Who gave Kellogg 100 days?"))
    # a person asked for is not a place or a nationality, though both are names
    jury = "A Florida jury found the Russian actor Bill Cosby liable."
    assert values(Kind.NAME, jury, "Which celebrity was found liable?") == ["Bill Cosby", "Bill", "Cosby"]
    assert "Florida" in values(Kind.NAME, jury, "Which company was found liable?")
    place = "US President Donald Trump spoke to reporters at the White House on Friday."
    assert states(Kind.PLACE, place, "Where did Trump speak to reporters?")
    assert not states(Kind.MONEY, place, "How much did Trump pay reporters?")


def test_a_near_miss_is_refused_with_what_the_articles_do_say(store: Store, tmp_path: Path) -> None:
    add(store, [*write(tmp_path, signing=SIGNING), str(SEED)])
    answer = ask(ctx(store), "How much will James Maron be paid under his new contract?")
    assert answer.refused and answer.notice == NEAR_MISS
    assert answer.answer.startswith("The articles do not give the amount asked for")
    # ... and what they do say about the subject, cited from the signing story
    assert answer.citations and all(c.title == "Maron signs with the Harbour Hawks" for c in answer.citations)
    assert "[1]" in answer.answer


def test_the_same_question_is_answered_once_an_article_gives_the_figure(store: Store, tmp_path: Path) -> None:
    add(store, write(tmp_path, signing=SIGNING, paid=PAID))
    answer = ask(ctx(store), "How much will James Maron be paid under his new contract?")
    assert not answer.refused, answer.notice
    assert "$9 million" in answer.answer
    assert any(c.title == "Maron's pay revealed" for c in answer.citations)


def passages_for(store: Store, question: str) -> list[Passage]:
    return search(store, question, 6)


def drafted(store: Store, question: str, needle: str, answer: str) -> tuple[list[Passage], Verified]:
    """The passages for ``question``, and a model's ``answer`` citing "[n]" (the passage holding ``needle``),
    verified as the model writer verifies it."""
    passages = passages_for(store, question)
    n = next(n for n, p in enumerate(passages, 1) if needle in p.text)
    return passages, verify(answer.replace("[n]", f"[{n}]"), passages, MiniLMEmbedding().embed, given=question)


def test_disagreeing_reports_are_both_shown_with_their_dates(store: Store, tmp_path: Path) -> None:
    add(store, write(tmp_path, early=FLOOD_EARLY, late=FLOOD_LATE))
    question = "How many people died in the floods in Valdora?"
    # what a model answering from the first report alone writes
    passages, draft = drafted(store, question, "12 people",
                              "At least 12 people died in the floods in the Valdora region [n].")
    assert draft.cited
    result = checked(Draft(draft, False), Kind.NUMBER, question, passages, store.embed)
    assert result.verified is not None and not result.refused
    text = result.verified.text
    assert "12 people" in text and "31 people" in text
    assert result.notice.startswith(DISAGREE)
    assert "2026-04-10" in result.notice and "2026-04-14" in result.notice
    assert "published 2026-04-14" in text
    assert {c.title for c in result.verified.citations} == {"Floods hit Valdora", "Valdora counts its dead"}


def test_a_disagreement_is_found_when_the_asked_year_is_in_the_next_sentence(store: Store, tmp_path: Path) -> None:
    def final(winner: str) -> str:
        return (f"The Ladies' Singles title was won by {winner}, who beat Ines Korr in the final. "
                "The 2031 Harbour Open ran for two weeks in June.")
    add(store, write(tmp_path, one=html("Harbour Open final", "2031-06-20", final("Mara Velde")),
                     other=html("Harbour Open champion", "2031-06-21", final("Tilda Rowan"))))
    question = "Who won the women's singles at the Harbour Open in 2031?"
    passages, draft = drafted(store, question, "Mara Velde",
                              "Mara Velde won the Ladies' Singles title at the 2031 Harbour Open [n].")
    assert draft.cited
    result = checked(Draft(draft, False), Kind.NAME, question, passages, store.embed)
    assert result.verified is not None and "Tilda Rowan" in result.verified.text
    assert result.notice.startswith(DISAGREE)


def test_the_cited_articles_own_other_sentences_are_no_disagreement(store: Store) -> None:
    add(store, [str(SEED)])
    question = "Who said that no telephone conversation is planned?"
    passages, draft = drafted(store, question, "not currently planned",
                              "Ryabkov said that a telephone conversation is not currently planned [n].")
    result = checked(Draft(draft, False), Kind.NAME, question, passages, store.embed)
    assert result.verified is not None and "Another report" not in result.verified.text
    assert DISAGREE not in result.notice


def test_a_fragment_answer_becomes_the_sentence_it_cites(store: Store) -> None:
    add(store, [str(SEED)])
    question = "How long does Kellogg have to develop a solution?"
    passages, draft = drafted(store, question, "100 days", "100 days [n].")
    result = checked(Draft(draft, False), Kind.DURATION, question, passages, store.embed)
    assert result.verified is not None and not result.refused
    assert "Kellogg" in result.verified.text and "100 days" in result.verified.text
    assert len(result.verified.text.split()) > 6


def test_an_answer_without_the_asked_kind_of_value_is_refused(store: Store) -> None:
    add(store, [str(SEED)])
    question = "How much did Trump pay Kellogg?"
    # the model's answer repeats a true sentence that is no answer to "how much"
    passages, draft = drafted(store, question, "100 days",
                              "Trump gave his envoy Keith Kellogg 100 days to develop a solution [n].")
    result = checked(Draft(draft, False), Kind.MONEY, question, passages, store.embed)
    assert result.refused and result.notice == NEAR_MISS
    assert result.verified is not None and result.verified.text.startswith("The articles do not give the amount")
    assert "100 days" in result.verified.text  # what they do say, still cited


def test_a_fragment_takes_the_sentence_about_the_question_not_any_that_holds_its_words(store: Store) -> None:
    add(store, [str(SEED)])
    question = "Where did Trump speak to reporters?"
    # "White House" is in two sentences of that passage; only one is about speaking to reporters
    passages, draft = drafted(store, question, "spoke to reporters", "At the White House [n].")
    result = checked(Draft(draft, False), Kind.PLACE, question, passages, store.embed)
    assert result.verified is not None and not result.refused
    assert "spoke to reporters at the White House" in result.verified.text


def test_an_answer_missing_the_reason_its_cited_sentence_gives_shows_that_sentence(store: Store) -> None:
    add(store, [str(SEED)])
    question = "Why is no telephone conversation between the two presidents planned?"
    # the model restates the fact and leaves out the reason the sentence it cites gives ("as no agreement")
    passages, draft = drafted(store, question, "no agreement",
                              "A telephone conversation between the two presidents is not currently planned [n].")
    assert draft.sentences and "no agreement" in draft.sentences[0].spans[0].quote
    result = checked(Draft(draft, False), Kind.REASON, question, passages, store.embed)
    assert result.verified is not None and not result.refused and result.notice == STATED
    assert "no agreement or understanding has been reached" in result.verified.text


def test_the_answers_value_must_be_in_the_span_it_cites_not_the_questions_words() -> None:
    question = "Which popular singer will launch a Las Vegas residency later this year?"
    answer = "Adele will launch a Las Vegas residency later this year"

    def cites(quote: str) -> list[CitedSentence]:
        return [CitedSentence(answer, (0,), 1.0, (Span(0, len(quote), quote),))]

    assert gives(Kind.NAME, cites("Adele is returning to Las Vegas."), question)
    assert not gives(Kind.NAME, cites("The singer is returning to Las Vegas."), question)


def stand_in(question: str, passages: list[Passage], needle: str) -> Draft:
    """What the model writer hands on when the model found nothing supported: the passage sentence holding
    ``needle``, verified as the extractive fallback is."""
    n = next(n for n, p in enumerate(passages, 1) if needle in p.text)
    sentence = next(s for s in split_sentences(passages[n - 1].text) if needle in s.text)
    draft = verify(f"{sentence.text} [{n}]", passages, MiniLMEmbedding().embed)
    assert draft.cited
    return Draft(draft, False, "The model found no answer; showing the passages' best-matching sentences instead.",
                 stand_in=True)


def test_stand_in_sentences_that_do_not_state_what_was_asked_are_a_refusal(store: Store, tmp_path: Path) -> None:
    add(store, write(tmp_path, signing=SIGNING))
    question = "How much will James Maron be paid under his new contract?"
    passages = passages_for(store, question)
    result = checked(stand_in(question, passages, "did not disclose"), Kind.MONEY, question, passages, store.embed)
    assert result.refused and result.notice.startswith("The model found no answer, and no passage states")
    assert result.verified is not None and result.verified.text.startswith("The articles do not give the amount")
    assert "did not disclose the terms" in result.verified.text  # shown, cited, as the closest they come
    # an untyped question is refused the same way: nothing shows the stand-in answers it
    untyped = "What did the club say about Maron's medical?"
    result = checked(stand_in(untyped, passages, "statement of intent"), None, untyped, passages, store.embed)
    assert result.refused and result.verified is not None
    assert result.verified.text.startswith("The articles do not say what was asked;")


def test_stand_in_sentences_that_state_the_asked_value_remain_the_answer(store: Store, tmp_path: Path) -> None:
    add(store, write(tmp_path, paid=PAID))
    question = "How much will James Maron be paid under his new contract?"
    passages = passages_for(store, question)
    result = checked(stand_in(question, passages, "$9 million"), Kind.MONEY, question, passages, store.embed)
    assert not result.refused and result.verified is not None and "$9 million" in result.verified.text


def test_what_a_question_says_happened_leaves_out_names_dates_and_the_answers_slot() -> None:
    assert relation_words("Which singer will launch a Las Vegas residency this week?") == ["launch", "residency"]
    assert relation_words("How much will James Maron be paid under his new contract?") == ["paid", "new", "contract"]
    assert "years" not in relation_words("Harris was sentenced to how many years in prison?")
    assert relation_words("What did Ryabkov say?") == []
    question = "Which Russian minister said a telephone conversation between the presidents is not planned?"
    assert tells(question, "Rjabkow said a telephone conversation between the two presidents is not planned.") == 1.0
    assert tells(question, "Rjabkow met the presidents in Geneva.") == 0.25


SPIRIT = html("Spirit Airlines weighs its future", "2026-07-01", "\n".join([
    "Spirit Airlines shareholders will vote next month on the future of the low-cost carrier.",
    "Separately, a storm closed two runways at Boston Logan airport on Monday.",
    "JetBlue Airways, the largest carrier at Logan, reported record summer bookings on Tuesday.",
]))
SPIRIT_SOLD = html("JetBlue to buy Spirit", "2026-07-28", "\n".join([
    "JetBlue Airways agreed on Thursday to buy Spirit Airlines for $3.8 billion, ending a months-long contest "
    "for the low-cost carrier.",
]))


def test_a_name_from_another_story_in_the_passage_does_not_answer_the_question(store: Store,
                                                                                 tmp_path: Path) -> None:
    add(store, write(tmp_path, spirit=SPIRIT))
    question = "Which airline announced a deal to buy Spirit Airlines?"
    # a small model fills the question's slot with the airline its passage names in another story; every
    # word of it is in the passage, so the verifier passes it
    answer = "JetBlue Airways announced a deal to buy Spirit Airlines [n]."
    passages, draft = drafted(store, question, "JetBlue", answer)
    assert draft.cited
    result = checked(Draft(draft, False), Kind.NAME, question, passages, store.embed)
    assert result.refused and result.notice == ELSEWHERE
    assert result.verified is not None and result.verified.text.startswith("The articles do not give the name")
    assert "announced a deal" not in result.verified.text  # what is shown is the passages' own sentences
    assert result.dropped == ["JetBlue Airways announced a deal to buy Spirit Airlines."]  # ... and what was withheld


def test_a_name_stated_where_its_passage_speaks_of_the_asked_fact_is_the_answer(store: Store,
                                                                                 tmp_path: Path) -> None:
    add(store, write(tmp_path, spirit=SPIRIT, sold=SPIRIT_SOLD))
    question = "Which airline announced a deal to buy Spirit Airlines?"
    passages, draft = drafted(store, question, "$3.8 billion", "JetBlue Airways will buy Spirit Airlines [n].")
    result = checked(Draft(draft, False), Kind.NAME, question, passages, store.embed)
    assert not result.refused and result.verified is not None and "JetBlue" in result.verified.text
