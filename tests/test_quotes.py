"""Who said what: extraction on articles written for each case, storage with the article (embedded store
and Chroma server), lookup across spellings, and answers built from a person's statements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import library, quotes
from bot.answer import ask
from bot.attribution.extract import extract, quote_spans, statements
from bot.attribution.speakers import same_speaker
from bot.cli import main
from bot.records import Article, Statement
from bot.settings import load_settings
from bot.store import Store
from tests.conftest import SEED, add, ctx

HARBOUR = (
    "Harbour reopens after storm\n\n"
    "HAMBURG (Reuters) - The harbour reopened on Monday after a week of repairs.\n\n"
    "“We are open for business again,” the port director, James Maron, told reporters. “Every crane is working.”\n\n"
    "Maron said that the repairs had cost 12 million euros. He added that insurance would pay most of it.\n\n"
    "“The ferries will run on Tuesday,” he said.\n\n"
    "Asked whether workers would be paid for the lost week, Maron declined to say. He did not say when the "
    "fish market would reopen.\n\n"
    "According to the city council, the storm was the worst in thirty years.\n\n"
    "A spokesman for the shipping firm Nordlink said the company would resume its routes next week.\n\n"
    "‘It was a hard week for all of us,’ said Anna Berg, a crane operator. ‘Now we can breathe again.’\n\n"
    "The mayor, Petra Lind, praised the workers. The mayor said the city would hold a celebration on Friday.\n\n"
    "“This quote has no closing mark, but the mayor said it at the ceremony\n\n"
    "Reporters asked: “When will the market reopen?”"
)


def found(text: str) -> list[tuple[str, str, str]]:
    return [(f.speaker, f.kind, f.content) for f in extract(text)]


def speakers(text: str) -> dict[str, str]:
    return {f.content: f.speaker for f in extract(text)}


def by(text: str, speaker: str) -> list[str]:
    return [f.content for f in extract(text) if f.speaker == speaker]


def test_direct_quotes_split_around_the_cue_and_curly_marks() -> None:
    said = by(HARBOUR, "James Maron")
    assert any(c.startswith("We are open for business again") and c.endswith("Every crane is working.") for c in said)


def test_indirect_speech_pronouns_and_short_names() -> None:
    said = by(HARBOUR, "James Maron")
    assert "that the repairs had cost 12 million euros" in said  # "Maron" is James Maron
    assert "that insurance would pay most of it" in said  # "He added"
    assert "The ferries will run on Tuesday," in said  # "he said"


def test_declined_and_negated_cues_and_questions_are_not_statements() -> None:
    contents = " ".join(c for _, _, c in found(HARBOUR))
    assert "when the fish market would reopen" not in contents
    assert "whether workers would be paid" not in contents
    assert "When will the market reopen?" not in contents


def test_according_to_and_a_spokesman_for_an_organisation() -> None:
    assert "the storm was the worst in thirty years" in by(HARBOUR, "city council")
    assert any("resume its routes" in c for c in by(HARBOUR, "Nordlink"))


def test_single_quotes_and_apposition_after_the_cue() -> None:
    said = by(HARBOUR, "Anna Berg")
    assert any(c.startswith("It was a hard week for all of us") for c in said)


def test_a_title_resolves_to_whom_it_was_given() -> None:
    assert any("celebration on Friday" in c for c in by(HARBOUR, "Petra Lind"))


def test_a_quote_without_its_closing_mark_ends_with_its_paragraph() -> None:
    text = "Ceremony\n\n“This quote has no closing mark, the mayor said at the ceremony\n\nThe band played on."
    [(a, b)] = quote_spans(text)
    assert text[a:b] == "This quote has no closing mark, the mayor said at the ceremony"


def test_a_quote_that_runs_over_paragraphs() -> None:
    text = ("Budget\n\n“We will cut taxes this year,” the minister said. “And we will build schools.\n\n"
            "“Nobody will pay more,” she went on.")
    spans = quote_spans(text)
    assert any("And we will build schools." in text[a:b] and "Nobody will pay more" in text[a:b] for a, b in spans)


def test_a_dateline_is_never_a_speaker() -> None:
    text = "MOSCOW (Reuters) - Russia said on Monday that the talks would continue next week in Geneva."
    [(speaker, kind, content)] = found(text)
    assert speaker == "Russia" and kind == "indirect" and content == "that the talks would continue next week in Geneva"
    assert all(f.speaker != "MOSCOW" for f in extract(HARBOUR))


CAMPAIGN = (
    "Campaign trail\n\n"
    "The tax plan, many economists say, would add trillions to the deficit.\n\n"
    "As the governor, Mary Hale, noted on Sunday, the state has balanced its budget for a decade.\n\n"
    "The two leaders pledged to work together on trade.\n\n"
    "Senator Tom Reyes urged voters to turn out early.\n\n"
    "“We have the votes,” Reyes said,“and we will pass it.”\n\n"
    "Hale said the plan was fair and said that the vote would come in March.\n\n"
    "Dr. Harold Varmus, the former NIH director under President Bill Clinton, said the cuts would hurt research.\n\n"
    "The meeting ended early; she said nothing."
)


def test_a_cue_set_inside_what_it_reports() -> None:
    [plan] = [f for f in extract(CAMPAIGN) if "trillions" in f.content]
    assert plan.speaker == "many economists" and plan.content.startswith("The tax plan")
    assert "the state has balanced its budget for a decade" in by(CAMPAIGN, "Mary Hale")
    assert not any("meeting ended" in c for _, _, c in found(CAMPAIGN))  # "she said nothing" reports nothing


def test_a_headline_line_is_never_a_speaker() -> None:
    assert all("Campaign" not in f.speaker and "Campaign" not in f.content for f in extract(CAMPAIGN))


def test_promises_and_appeals_report_their_infinitive() -> None:
    assert "to work together on trade" in by(CAMPAIGN, "two leaders")
    assert "voters to turn out early" in by(CAMPAIGN, "Tom Reyes")


def test_a_split_quote_with_no_space_after_the_cue() -> None:
    [quote] = [f for f in extract(CAMPAIGN) if f.kind == "direct"]
    assert quote.speaker == "Tom Reyes" and quote.content.startswith("We have the votes")
    assert quote.content.endswith("and we will pass it.")


def test_two_statements_joined_by_and_said() -> None:
    said = by(CAMPAIGN, "Mary Hale")
    assert "the plan was fair" in said and "that the vote would come in March" in said


def test_the_speaker_is_the_apposition_head_not_a_name_inside_it() -> None:
    assert "the cuts would hurt research" in by(CAMPAIGN, "Harold Varmus")
    assert not by(CAMPAIGN, "Bill Clinton")


def test_a_pronoun_skips_people_of_the_other_gender_and_abbreviated_titles_resolve() -> None:
    text = ("Talks\n\nMs. Anna Berg met Sen. Tom Reyes in Bonn on Monday. Reyes spoke first at the press "
            "conference.\n\nShe said that the deal was fair.\n\nThe senator said that the vote would come soon.")
    assert by(text, "Anna Berg") == ["that the deal was fair"]
    assert by(text, "Tom Reyes") == ["that the vote would come soon"]


def test_a_first_name_tells_whom_she_can_be() -> None:
    text = ("Iowa\n\nHillary Clinton met Tom Reyes in Iowa on Monday. Reyes spoke first at the rally.\n\n"
            "She said that the farm bill would pass.\n\n“We will fix it,” he said.")
    assert by(text, "Hillary Clinton") == ["that the farm bill would pass"]
    assert by(text, "Tom Reyes") == ["We will fix it,"]


def test_a_title_two_people_hold_names_neither() -> None:
    text = ("Vote\n\nSenator Tom Reyes and Senator Mary Hale met on Monday.\n\n"
            "The senator said that the vote would come soon.")
    [f] = extract(text)
    assert f.speaker not in ("Tom Reyes", "Mary Hale")


def test_what_is_said_after_an_inverted_cue_leaves_the_question_out() -> None:
    text = ("Donors\n\nAsked what he wanted in a nominee, Adelson said, “They have got to be able to win.”\n\n"
            "He said his attacks on Trump had given his campaign momentum and said that Trump did not represent "
            "the party.\n\n"
            "Trump said that “ethanol people” “do a fantastic job. And it is so important.”")
    assert any(c.startswith("They have got to be able to win") and "Asked" not in c for c in by(text, "Adelson"))
    assert "that Trump did not represent the party" in by(text, "Adelson")  # "He ... and said": the same man
    assert "that “ethanol people” “do a fantastic job. And it is so important." in by(text, "Trump")


def test_announcements_instructions_relative_pronouns_and_no_break_spaces() -> None:
    text = ("Campaign\n\nSenator Tom Reyes announced his support for the Ohio governor.\n\n"
            "Reyes told his staff to prepare for a long fight.\n\n"
            "The race was won by Mary Hale, who said she would govern for everyone.\n\n"
            "Senator Tom Reyes says the\xa0Republican populist movement that’s sweeping the country and boosting "
            "candidates including Donald Trump in the 2016 race appeals to the “bad angels” of human nature.")
    assert "his support for the Ohio governor" in by(text, "Tom Reyes")
    assert "his staff to prepare for a long fight" in by(text, "Tom Reyes")
    [hale] = [f for f in extract(text) if f.speaker == "Mary Hale"]
    assert hale.mention == "who" and hale.content == "she would govern for everyone"
    assert any(c.startswith("the\xa0Republican") and c.endswith("of human nature") for c in by(text, "Tom Reyes"))


def test_a_quote_goes_on_after_a_no_break_space() -> None:
    """Web copy often puts a no-break space between sentences: the quote after “…,” Rubio said. is his."""
    text = ("Debate\n\nSen. Marco Rubio spoke after the rally.\n\n"
            "“If my campaign manager had done that, my campaign would be over,” Rubio said.\xa0“He would have had "
            "to resign. I would have had to quit that very day.”")
    [rubio] = [f for f in extract(text) if f.speaker == "Marco Rubio"]
    assert rubio.content.startswith("If my campaign manager") and rubio.content.endswith("quit that very day.")


def test_an_aside_after_the_clause_is_not_what_was_said() -> None:
    text = ("Race\n\nTrump said things should be wrapped up by Cleveland, referring to the party’s convention.\n\n"
            "Kasich says he’d sit Putin down and tell him to stop.\n\n"
            "Obama announced a series of steps to tighten firearms sales.")
    assert "things should be wrapped up by Cleveland" in by(text, "Trump")
    assert "he’d sit Putin down and tell him to stop" in by(text, "Kasich")
    assert "a series of steps to tighten firearms sales" in by(text, "Obama")


def test_according_to_at_either_end_takes_the_whole_sentence() -> None:
    text = ("Poll\n\nTrump received 37 percent, Clinton had 36 percent and Bloomberg snagged 13 percent, according "
            "to the results.\n\nAccording to the newspaper, the gun laws are porous and few people are barred.")
    assert "Trump received 37 percent, Clinton had 36 percent and Bloomberg snagged 13 percent" in by(text, "results")
    assert "the gun laws are porous and few people are barred" in by(text, "newspaper")


def test_direct_quotes_are_verbatim_and_offsets_hold() -> None:
    for f in extract(HARBOUR):
        assert HARBOUR[f.start : f.end] == f.content
        assert HARBOUR[f.mention_start : f.mention_end] == f.mention
        assert f.sentence_start <= f.start and f.end <= f.sentence_end


def test_spellings_of_one_person() -> None:
    for a, b in [("Ryabkov", "Rjabkow"), ("Sergei Ryabkov", "Sergej Rjabkow"), ("Рябков", "Sergei Ryabkov"),
                 ("Maron", "James Maron")]:
        assert same_speaker(a, b), (a, b)
    for a, b in [("James Maron", "Anna Maron"), ("Iran", "Iraq"), ("Ryabkov", "Lavrov")]:
        assert not same_speaker(a, b), (a, b)


def test_stored_with_the_article_replaced_and_removed_with_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "harbour.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    [first] = add(store, [str(path)])
    said = store.statements([first.source_id])
    assert said and all(isinstance(s, Statement) and s.source_id == first.source_id for s in said)
    # A quote split around its attribution keeps its quoted parts through the store
    [maron] = [s for s in said if s.content.startswith("We are open")]
    assert [HARBOUR[a:b] for a, b in maron.spans] == ["We are open for business again,", "Every crane is working."]
    [again] = add(store, [str(path)])  # unchanged: nothing extracted or written again
    assert again.status == "unchanged" and [s.statement_id for s in store.statements()] == [s.statement_id
                                                                                          for s in said]
    path.write_text(HARBOUR.replace("12 million", "15 million"), encoding="utf-8")
    [changed] = add(store, [str(path)])
    assert {s.source_id for s in store.statements()} == {changed.source_id}
    assert any("15 million" in s.content for s in store.statements())
    library.remove(ctx(store), [changed.source_id])
    assert store.statements() == []


def test_a_killed_ingest_leaves_no_statement_behind(store: Store) -> None:
    orphan = Statement("gone-s0000", "gone", "t", "", "X", "X", "said", "something", "indirect", 0, 9)
    store.put_statements("gone", [orphan])
    add(store, [str(SEED)])  # every ingest repairs first
    assert all(s.source_id != "gone" for s in store.statements())


def test_statements_on_the_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    settings = load_settings(chroma_url=chroma_server, collection=f"q{tmp_path.name[-8:]}".replace("-", ""))
    store = Store(settings)
    add(store, [str(SEED)], settings)
    said = quotes.statements(ctx(store, settings=settings), "Ryabkov")
    assert len(said) == 2 and {s.speaker for s in said} == {"Sergei Rjabkow"}


def test_a_person_in_any_spelling_oldest_first(store: Store, tmp_path: Path) -> None:
    add(store, [str(SEED)])
    later = tmp_path / "later.html"
    later.write_text("<html><head><title>Talks resume</title><meta property='article:published_time' "
                     "content='2025-03-02'></head><body><article><p>Deputy Foreign Minister Sergei Ryabkov said "
                     "that a new round of talks would start in March in Riyadh.</p><p>The talks are expected to "
                     "last several days.</p></article></body></html>", encoding="utf-8")
    add(store, [str(later)])
    for name in ("Ryabkov", "Rjabkow", "Рябков", "Sergei Riabkov"):
        said = quotes.statements(ctx(store), name)
        assert len(said) == 3, name
    assert said[0].published == "2025-03-02"  # dated statements oldest first; an undated article's come after
    speakers = {s.name: s for s in quotes.speakers(ctx(store))}
    person = next(s for s in speakers.values() if "Sergei Ryabkov" in s.spellings)
    assert person.statements == 3 and person.articles == 2 and "Sergei Rjabkow" in person.spellings
    about = quotes.statements(ctx(store), "Ryabkov", about="embassies")
    assert [s.content for s in about] == ["that the entire communication is currently taking place at the level "
                                          "of embassies"]


def test_what_did_ryabkov_say_answers_with_both_statements(store: Store) -> None:
    add(store, [str(SEED)])
    answer = ask(ctx(store), "what did Ryabkov say?")
    assert len(answer.sentences) == 2 and all(s.citations == (1,) for s in answer.sentences)
    assert "telephone conversation" in answer.answer and "level of embassies" in answer.answer
    assert "[Sergei Rjabkow] pointed out" in answer.answer  # the pronoun named
    text = store.article_text(answer.citations[0].source_id)
    for s in answer.sentences:
        assert text[s.spans[0].start : s.spans[0].end] == s.spans[0].quote
    other = ask(ctx(store), "what did the minister say about embassies?")
    assert "embassies" in other.answer and "telephone" not in other.answer
    assert "Trump" not in ask(ctx(store), "what did Ryabkov say?").answer  # never another's words


def test_other_questions_are_answered_as_before(store: Store) -> None:
    add(store, [str(SEED)])
    answer = ask(ctx(store), "who is the Ukraine envoy?")
    assert "Kellogg" in answer.answer and "Every statement" not in answer.notice


def test_cli_quotes_json_and_speakers(store: Store) -> None:
    add(store, [str(SEED)])
    out = CliRunner().invoke(main, ["quotes", "Riabkov", "--json"])
    assert out.exit_code == 0, out.output
    [first, second] = json.loads(out.output)["statements"]
    assert set(first) == {"speaker", "mention", "cue", "content", "kind", "source_id", "title", "published",
                          "start", "end", "parts"}
    assert first["parts"] == [[first["start"], first["end"]]]  # one span: the statement whole
    assert (first["cue"], second["cue"]) == ("stated", "pointed out")
    listing = CliRunner().invoke(main, ["quotes", "--speakers", "--json"])
    names = [s["speaker"] for s in json.loads(listing.output)["speakers"]]
    assert "Sergei Rjabkow" in names and "Donald Trump" in names
    assert "reports" not in names  # "According to reports" names no one to list
    bare = CliRunner().invoke(main, ["quotes"])
    assert bare.exit_code == 1 and "give a NAME" in bare.output


def test_articles_indexed_before_extraction_get_their_statements(store: Store) -> None:
    settings = load_settings(extract_statements=False)
    add(store, [str(SEED)], settings)
    assert store.statements() == [] and store.unextracted()
    assert len(quotes.statements(ctx(store), "Ryabkov")) == 2  # extracted on first use, once
    assert store.unextracted() == []


@pytest.mark.parametrize("name", ["Trump", "Donald Trump"])
def test_short_and_full_names_are_one_speaker(store: Store, name: str) -> None:
    add(store, [str(SEED)])
    said = quotes.statements(ctx(store), name)
    assert said and {s.speaker for s in said} == {"Donald Trump"}


def test_short_quotes_the_cue_sentence_after_and_misparsed_speakers() -> None:
    text = ("Harbour\n\nJames Maron spoke to the council on Monday.\n\n"
            "“Finally,” he added when the vote was read out.\n\n"
            "“Who do they think they are?” Maron said of the ferry company in March.\n\n"
            "“We were badly wrong to wait so long,” Maron, 58, told the paper in an interview.\n\n"
            "Lena Ortiz spoke at the quay, telling the crowd, “Some people get carried away, have you noticed?”\n\n"
            "The mayor called it a “harbour of hope,” Ortiz said of the plan.")
    said = by(text, "James Maron")
    assert "Finally," in said  # short, but ended by its own comma with the cue right after: quoted speech
    assert "Who do they think they are?" in said  # the parser ends the sentence at the ?; the cue follows
    assert "We were badly wrong to wait so long," in said  # the name parsed as no subject of "told"
    assert "Some people get carried away, have you noticed?" in by(text, "Lena Ortiz")
    # a quoted phrase mid-sentence is not a statement of its own; the sentence around it is Ortiz's
    assert [c for _, _, c in found(text) if "harbour of hope" in c] == ["The mayor called it a “harbour of hope,"]


def test_a_definite_description_is_the_person_in_view_not_a_thing_or_a_stranger() -> None:
    text = ("Race\n\nDonald Trump spoke in Iowa on Monday.\n\n"
            "The billionaire businessman said that the wall would be built.\n\n"
            "A veteran asked Trump about the war. The veteran said that he was worried about his pension.\n\n"
            "The statement said that the campaign would go on.\n\nThe order said that the plant would close.")
    assert "that the wall would be built" in by(text, "Donald Trump")
    said = speakers(text)
    assert said["that he was worried about his pension"] == "veteran"  # brought in unnamed
    assert said["that the campaign would go on"] == "statement"  # a thing, not the man in view
    assert said["that the plant would close"] == "order"  # ends like "leader", names no one


def test_a_gendered_title_outweighs_the_first_names_odds() -> None:
    text = ("Veto\n\nPresident Obama vetoed the bill on Friday.\n\n"
            "“The veto is wrong,” said 9/11 widow Terry Strada.\n\n"
            "She continued, “We want our day in court.”")
    assert "We want our day in court." in by(text, "Terry Strada")  # Terry is mostly a man's name in the census


def test_quotes_marked_with_two_apostrophes_keep_the_articles_characters() -> None:
    text = ("Golf\n\nPrices fell last year at courses across Florida.\n\n"
            "''Revenues are up a little bit,'' said Mr. Ekovich, the club's owner.\n\n"
            "''I told them, 'We will grow,''' he recalled.")
    said = extract(text)
    assert [f.content for f in said] == ["Revenues are up a little bit,", "I told them, 'We will grow,'"]
    assert all(text[f.start : f.end] == f.content and f.speaker == "Ekovich" for f in said)


def test_mixed_marks_and_a_cue_between_the_halves_of_a_quote() -> None:
    text = ("Ford\n\nThe company denied it.\n\n"
            "\"Word is,\" Lena Ortiz said last month on Twitter, \"that Ford is going to cancel the deal.\"\n\n"
            "“Our roads are crumbling,\" Ortiz said later.")
    said = by(text, "Lena Ortiz")
    assert any(c.startswith("Word is,") and c.endswith("cancel the deal.") for c in said)  # the cue between
    assert "Our roads are crumbling," in said  # opened curly, closed straight


def test_a_quote_attributed_after_it_goes_on_into_the_next_quote_without_a_cue() -> None:
    text = ("Economy\n\n“It is not that everything is fine,” Gene Sperling, a top adviser, said at an event in "
            "Iowa. “People know things got better.”\n\n“We disagree,” the other side said.")
    said = by(text, "Gene Sperling")
    assert len(said) == 1 and said[0].startswith("It is not that") and said[0].endswith("things got better.")
    # What was said is the two quoted parts, not the attribution between them
    [sperling] = [f for f in extract(text) if f.speaker == "Gene Sperling"]
    assert [text[a:b] for a, b in sperling.parts] == ["It is not that everything is fine,",
                                                      "People know things got better."]


def test_a_definite_description_of_an_organisation_named_before() -> None:
    text = ("Growth\n\nThe International Monetary Fund cut its forecast on Tuesday.\n\n"
            "The fund said that growth would slow next year.\n\n"
            "UnitedHealth Group left the exchanges. The trade group for the insurers wrote to regulators.\n\n"
            "The group said that prices would rise.")
    said = speakers(text)
    assert said["that growth would slow next year"] == "International Monetary Fund"
    assert said["that prices would rise"] != "UnitedHealth Group"  # "group" was given to another since


def test_a_person_introduced_with_a_title_before_a_quote_paragraph_is_its_he() -> None:
    text = ("Songs\n\nBarack Obama had songs written about him. That has not happened for Clinton, which is "
            "something that concerns Henry Crespo, president of the Florida Democratic Black Caucus.\n\n"
            "“No one is writing songs for Hillary,” he said.\n\n"
            "Obama spoke to his counterpart, Putin, on Friday. He said that the talks went well.")
    assert "No one is writing songs for Hillary," in by(text, "Henry Crespo")
    assert "that the talks went well" in by(text, "Barack Obama")  # named in passing, Putin is not "he"


def said_parts(text: str, speaker: str) -> list[list[str]]:
    return [[text[a:b] for a, b in f.parts] or [f.content] for f in extract(text) if f.speaker == speaker]


def test_an_abbreviated_title_between_the_halves_keeps_one_quote() -> None:
    text = ("Bank\n\nMaria Acosta runs the bank.\n\n“The problems started with deficit financing,” Ms. Acosta said, "
            "“and when it lent to entities with no source of repayment.” In theory, that was illegal.")
    assert said_parts(text, "Maria Acosta") == [["The problems started with deficit financing,",
                                                 "and when it lent to entities with no source of repayment."]]


def test_the_reporters_lead_in_to_a_quote_is_part_of_what_was_said() -> None:
    text = ("Golf\n\nPaul Chipok is a lawyer in Orlando.\n\nAt private courses, members may pay more “because they "
            "expect a certain level of service,” Mr. Chipok said. “Public courses cannot keep up.”")
    assert said_parts(text, "Paul Chipok") == [[
        "At private courses, members may pay more “because they expect a certain level of service,",
        "Public courses cannot keep up."]]


def test_reported_speech_on_both_sides_of_its_cue() -> None:
    text = "Budget\n\nThe plan, economists say, would add to the deficit over ten years."
    assert said_parts(text, "economists") == [["The plan", "would add to the deficit over ten years"]]
    [stored] = statements(Article("budget", "budget.txt", "Budget", text, "h"))
    assert stored.words == "The plan … would add to the deficit over ten years"  # what `bot quotes` prints


def test_a_participle_after_a_reported_clause_has_the_same_speaker() -> None:
    text = ("Border\n\nTrump argued that a wall would keep people out, saying that crossings fell by half. "
            "He warned voters in Iowa and in interviews that the country could be penetrated easily.")
    said = by(text, "Trump")
    assert "that crossings fell by half" in said
    assert any(c.startswith("that the country could be penetrated") for c in said)


def test_another_source_and_the_reporters_note_are_cut_from_the_clause() -> None:
    text = ("Campaign\n\nThe Trump campaign announced that it hired Katrina Pierson, according to Politico.\n\n"
            "David Axelrod said the fading attention helped Clinton, who does not need to prove her staying power.\n\n"
            "Mark Levine suggests that the reputation is devaluing the venues, possibly giving the city an argument.")
    assert by(text, "Trump campaign") == ["that it hired Katrina Pierson"]
    assert by(text, "David Axelrod") == ["the fading attention helped Clinton"]
    assert by(text, "Mark Levine") == ["that the reputation is devaluing the venues, possibly giving the city an "
                                       "argument"]


def test_a_paragraph_that_is_only_a_quote_goes_on_with_the_speaker_before_it() -> None:
    text = ("Immigration\n\n“I am the son of an immigrant who came legally,” Ted Cruz said.\n\n"
            "“Try going illegally to another country. See what they do.”\n\n"
            "“We disagree,” said Anna Berg. She spoke later.\n\n“This is not a continuation,” the mayor said.")
    assert said_parts(text, "Ted Cruz") == [["I am the son of an immigrant who came legally,",
                                             "Try going illegally to another country. See what they do."]]


def test_statements_the_small_parser_misreads() -> None:
    text = ("Misinformation\n\n"
            "The Internet has also made it possible for people with like-minded, if bogus, ideas and theories to "
            "organize into communities and reach others, Angie Holan said.\n\n"
            "This includes a special force to assist Kurdish Peshmerga, Defense Secretary Ash Carter told a Senate "
            "panel Wednesday.\n\n"
            "“I'm not going to say it is a mistake, so forget about it,” said retired neurosurgeon Ben Carson, asked "
            "about his claims.\n\n"
            "Yet Democratic economists, like their Republican counterparts, say taxing consumption encourages "
            "savings.\n\n"
            "Bernie Sanders, meanwhile, who sits at zero such endorsements, said that fact speaks volumes.\n\n"
            "If the two spoke about the budget, neither side would say so. The borrowing continued, but growth "
            "cooled.")
    assert speakers(text) == {
        "The Internet has also made it possible for people with like-minded, if bogus, ideas and theories to "
        "organize into communities and reach others": "Angie Holan",  # the cue hung as an adverbial clause
        "This includes a special force to assist Kurdish Peshmerga": "Ash Carter",  # as a conjoined verb
        "I'm not going to say it is a mistake, so forget about it,": "Ben Carson",  # the name after the cue
        "taxing consumption encourages savings": "Democratic economists",  # the clause's subject as a gerund
        "that fact speaks volumes": "Bernie Sanders",  # the speaker's relative clause as what was said
    }


def test_a_reported_clause_cut_short_keeps_its_closing_quote_and_the_quotes_after_it() -> None:
    text = ("Climate\n\nTrump said Sunday that he believed the United States would eventually win its fight, but "
            "not until Obama “admits this is a problem.”\n\n"
            "Obama “felt a moral obligation to do something about” climate change, David Axelrod said. “This is not "
            "a cosmetic item on his list. This is core stuff for him.”")
    assert by(text, "Trump") == ["that he believed the United States would eventually win its fight, but not until "
                                 "Obama “admits this is a problem."]
    assert said_parts(text, "David Axelrod") == [[
        "Obama “felt a moral obligation to do something about” climate change",
        "This is not a cosmetic item on his list. This is core stuff for him."]]


def test_a_name_the_tagger_missed_is_the_speaker_not_the_title_in_its_apposition() -> None:
    text = ("Media\n\nHemsley, the co-author of “Going Viral,” about the spread of information, said the days when "
            "the nation had one story are gone.")
    assert speakers(text) == {"the days when the nation had one story are gone": "Hemsley"}


def test_more_clauses_and_speakers_the_parser_hangs_elsewhere() -> None:
    text = ("Golf\n\n"
            "At Boca West, Jay DiPietro, the club's 78-year-old president, suggested that the troubles of some of "
            "his competitors could be attributed to poor management.\n\n"
            "His candidacy appears to be taking the same tack: attending meetings and spreading his message to "
            "evangelical groups, said James Henson, director of the Texas Politics Project.\n\n"
            "CBS reported that the decision to tap Merkel as the Person of the Year was made because Merkel had led "
            "her country out of three crises.")
    said = speakers(text)
    assert said["that the troubles of some of his competitors could be attributed to poor management"] == (
        "Jay DiPietro")  # the name hung as an apposition of the place before it
    assert said["His candidacy appears to be taking the same tack: attending meetings and spreading his message "
                "to evangelical groups"] == "James Henson"  # the colon is inside what was said
    assert said["that the decision to tap Merkel as the Person of the Year was made because Merkel had led her "
                "country out of three crises"] == "CBS"  # "that" hung on a noun


def test_mr_or_mrs_tells_which_of_a_couple_speaks() -> None:
    text = ("Holiday party\n\nBill Clinton and Hillary Clinton greeted guests.\n\n"
            "Mrs. Clinton said she was tired of the photo line.\n\nMr. Clinton said he enjoyed it.")
    assert speakers(text) == {"she was tired of the photo line": "Hillary Clinton", "he enjoyed it": "Bill Clinton"}


def test_a_statement_speaks_for_whoever_issued_it() -> None:
    text = ("Refugees\n\nThe Holocaust Museum issued a statement of concern about resistance to welcoming refugees. "
            "The statement urged Americans to avoid condemning refugees.\n\n"
            "The Times said Peter Cook provided a written statement in response. “The secretary believes his use "
            "of personal email was a mistake,” the statement said.")
    said = speakers(text)
    assert said["Americans to avoid condemning refugees"] == "Holocaust Museum"
    assert said["The secretary believes his use of personal email was a mistake,"] == "Peter Cook"


def test_the_group_is_the_organisation_just_named_and_a_surgeon_is_a_person() -> None:
    text = ("Golf\n\nThere are four million fewer players, according to the National Golf Foundation. Almost 650 "
            "courses have closed since 2006, the group says.\n\n"
            "Ben Carson spoke on Tuesday. The retired neurosurgeon said that he expected scrutiny.")
    said = speakers(text)
    assert said["Almost 650 courses have closed since 2006"] == "National Golf Foundation"
    assert said["that he expected scrutiny"] == "Ben Carson"


def test_who_speaks_next_skips_people_inside_statements_and_names_in_modifiers() -> None:
    text = ("Schools\n\nMichael Petrilli, who thinks the Obama administration made a power grab, called the law "
            "“much better.”\n\n“We need to be humble about what works,” he said.\n\n"
            "David Axelrod said the attention helped Clinton, who does not need to prove her staying power as Obama "
            "did.\n\n“She has nothing to prove,” he said.\n\n"
            "James Comey spoke on Wednesday. His remarks indicated that the comments were not public.")
    said = speakers(text)
    assert said["We need to be humble about what works,"] == "Michael Petrilli"
    assert said["She has nothing to prove,"] == "David Axelrod"
    assert said["that the comments were not public"] == "James Comey"


def test_another_first_name_is_another_person() -> None:
    text = ("Trumps\n\nDonald J. Trump spoke first. Ivanka Trump said she was proud of her father.\n\n"
            "Trump said he was happy. Ms. Trump said she was fine.")
    assert speakers(text) == {"she was proud of her father": "Ivanka Trump", "he was happy": "Donald J. Trump",
                              "she was fine": "Ivanka Trump"}


def test_the_poll_is_the_one_just_named() -> None:
    text = ("Poll\n\nA Bloomberg poll shows that Americans have abandoned the party.\n\n"
            "Clinton leads by four points, according to the poll. The Association of Flight Attendants endorsed "
            "her. “She is a champion,” the union wrote.")
    said = speakers(text)
    assert said["Clinton leads by four points"] == "Bloomberg"
    assert said["She is a champion,"] == "Association of Flight Attendants"


def test_a_sentence_before_a_colon_is_not_the_quote_and_a_quote_may_end_in_a_quote() -> None:
    text = ("Investigation\n\nA source did so, but with a caveat: “The person in question is one of the primary "
            "participants,” the source said.\n\n"
            "“She was the only candidate to ask us, ‘What kind of help do you need?’” Karen Weaver said.")
    said = by(text, "source") + by(text, "Karen Weaver")
    assert said == ["The person in question is one of the primary participants,",
                    "She was the only candidate to ask us, ‘What kind of help do you need?’"]


def test_what_a_report_or_a_tweet_carries() -> None:
    text = ("Germany\n\nLast year, German police reported 906 attacks against asylum seeker homes.\n\n"
            "Donald Trump tweeted a chart of wildly inaccurate crime statistics.")
    said = speakers(text)
    assert said["906 attacks against asylum seeker homes"] == "German police"
    assert said["a chart of wildly inaccurate crime statistics"] == "Donald Trump"


def test_which_is_never_a_speaker() -> None:
    text = ("Chicago\n\nThey turned to the Chicago Police Department, which reported 2,521 shooting incidents in the "
            "city this year.")
    assert speakers(text) == {"2,521 shooting incidents in the city": "Chicago Police Department"}
    missed = "Head\n\nThey turned to the Chicago Police Department which reported 2,521 shooting incidents in the city."
    assert list(speakers(missed).values()) == ["Chicago Police Department"]  # the relative clause not parsed as one


def test_they_is_a_group_in_view_before_a_single_person() -> None:
    text = ("Rubio\n\nMarco Rubio spoke in Manchester on Sunday.\n\nRepublican leaders met on Monday. They said "
            "that there was little time for his rivals to gain.")
    assert speakers(text)["that there was little time for his rivals to gain"] == "Republican leaders"


def test_what_a_speaker_points_to_or_agrees_with() -> None:
    text = ("Clinton spoke in Des Moines on Monday. Asked about the cost of her plan, Hillary Clinton pointed to "
            "the nine health care bills Sanders has introduced in Congress.\n\nMike Pompeo, who has seen the "
            "messages, agreed with that specific point.\n\nShe pointed the way out of the hall.")
    found = speakers(text)
    assert found["the nine health care bills Sanders has introduced in Congress"] == "Hillary Clinton"
    assert found["that specific point"] == "Mike Pompeo"
    assert not any("way" in said for said in found)  # pointing the way is no statement


def test_a_participle_the_parser_hung_on_a_name_is_that_persons() -> None:
    text = ("Flint\n\nErin Brockovich, the legendary environmental activist and lawyer, endorsed Sanders’ approach "
            "Saturday, saying she hadn’t yet called for the governor’s resignation.")
    (found,) = extract(text)
    assert found.speaker == "Erin Brockovich" and found.cue == "saying"
    assert found.mention == "Erin Brockovich, the legendary environmental activist and lawyer"
    assert found.content == "she hadn’t yet called for the governor’s resignation"


def test_the_story_someone_tells_is_what_they_said() -> None:
    text = ("Debate\n\nTrump said Fox executives were calling every 15 minutes.\n\nFox News told a slightly different "
            "tale.\n\nHe told reporters in Iowa on Friday.")
    said = speakers(text)
    assert said["a slightly different tale"] == "Fox News"
    assert not any("reporters" in s for s in said)  # whom he told is no statement


def test_a_cue_between_commas_a_share_that_speaks_and_a_scene_setting_phrase() -> None:
    text = ("Harbour\n\nThe hashtag #HarbourDay, Mr. Ostrow said, accompanied photos of the boats and the news of "
            "each arrival.\n\nAbout 4 in 10 say they want the next ferry to leave earlier.\n\n"
            "Less than a third agreed with the mayor that the pier would have to wait its turn.\n\n"
            "The harbour office created the timetable to help in bad weather, a spokeswoman, Lena Ortiz, said on "
            "Saturday, and it has changed it five times since.")
    # each of these the small parser misreads: the cue hung on a noun, the share read as a number, the
    # spokeswoman read as the object of the clause before her
    assert by(text, "Ostrow") == ["The hashtag #HarbourDay, Mr. Ostrow said, accompanied photos of the boats and the "
                                  "news of each arrival"]
    assert by(text, "About 4 in 10") == ["they want the next ferry to leave earlier"]
    assert by(text, "Less than a third") == ["that the pier would have to wait its turn"]
    assert by(text, "Lena Ortiz") == ["The harbour office created the timetable to help in bad weather"]
    # the phrase that sets the scene is the reporter's; the clause after it is what she said
    scene = ("Harbour\n\nDespite two stormy weeks, the harbour office remains open on Sundays, its director, "
             "Lena Ortiz, told the Gazette.")
    assert by(scene, "Lena Ortiz") == ["the harbour office remains open on Sundays"]


def test_what_is_noted_or_recalled_is_said_and_a_passive_declared_has_no_speaker_object() -> None:
    text = ("Harbour\n\nMs. Ortiz noted the repairs to the western pier and the new ticket office.\n\n"
            "The councillor recalled a winter when the ferry ran for forty days without a break.\n\n"
            "Ortiz was declared the winner of the harbour vote on Monday.")
    assert "the repairs to the western pier and the new ticket office" in by(text, "Ortiz")
    assert any("a winter when the ferry ran" in c for c in (f.content for f in extract(text)))
    assert not [f for f in extract(text) if "winner" in f.content]  # she was declared it; she did not declare it


def test_a_relative_clause_on_where_after_the_clause_is_the_reporters() -> None:
    text = "Harbour\n\nOrtiz said she would campaign in Dunmore, where she trailed by a few votes last year."
    assert by(text, "Ortiz") == ["she would campaign in Dunmore"]


def test_a_name_opening_a_sentence_the_parser_left_unattached_speaks_and_is_in_view() -> None:
    text = ("Harbour\n\nLena Ortiz runs the harbour office. Dan Ostrow chairs the ferry board.\n\n"
            "Ostrow, later alleging - wrongly - that Ortiz wanted to close the pier, said he would fight for the "
            "night ferry.")
    assert by(text, "Dan Ostrow") == ["he would fight for the night ferry"]  # not Ortiz, named in his aside
    text = ("Harbour\n\nDan Ostrow chairs the ferry board. \"The pier is old and the ferries are older,\" said Tom "
            "Keane, a harbour engineer.\n\nAnd Ostrow, for all the progress he helped wrangle from the council, "
            "seems to agree. \"We don't yet know what will work best,\" he said.")
    assert speakers(text)["We don't yet know what will work best,"] == "Dan Ostrow"  # not the engineer before


def test_she_is_a_person_not_the_company_last_in_view() -> None:
    text = ("Safety\n\nLena Ortiz has worked at Facebook Inc. for ten years. Facebook activated its Safety Check tool "
            "in Paris on Friday. Facebook created the tool to help in times of crisis. But this was the first time "
            "it was activated for an attack, she said.")
    assert by(text, "Lena Ortiz") == ["But this was the first time it was activated for an attack"]


def test_the_lawyers_are_not_the_one_lawyer_named_before() -> None:
    text = ("Ballot\n\nDan Ostrow, the lawyer for the harbour board, filed the appeal on Monday.\n\n"
            "The ruling, the lawyers said, would be appealed again in March.\n\n"
            "The ruling was unfair, the lawyer said.")
    said = speakers(text)
    assert said["The ruling, the lawyers said, would be appealed again in March"] == "lawyers"
    assert said["The ruling was unfair"] == "Dan Ostrow"


def test_a_given_name_alone_is_the_one_person_the_article_names_with_it() -> None:
    text = ("Harbour\n\nLena Ortiz and Dan Ostrow met the council on Monday.\n\n"
            "\"We will keep the night ferry,\" Lena said after the meeting.")
    assert by(text, "Lena Ortiz") == ["We will keep the night ferry,"]
    two = text.replace("Dan Ostrow", "Lena Ostrow")  # two Lenas: the name alone says neither
    assert by(two, "Lena") == ["We will keep the night ferry,"]


def test_a_quote_paragraph_after_reported_speech_goes_on_with_it() -> None:
    text = ("Harbour\n\nIn March, Ostrow said that 40 crossings would be cut.\n\n"
            "\"That leaves two boats a day in winter. But the summer timetable stays.\"\n\n"
            "The council declined to comment.")
    (said,) = extract(text)
    assert said.speaker == "Ostrow" and said.kind == "indirect"
    assert said.content.startswith("that 40 crossings would be cut") and said.content.endswith("timetable stays.")


def test_a_short_quote_right_after_its_verb_is_said_not_a_scare_quote() -> None:
    text = ("Harbour\n\nLena Ortiz spoke at the quay on Monday. She declared “What a day!” and cut the ribbon. "
            "Asked about the cost, she answered by saying, “Too much.”\n\n"
            "Dan Ostrow told “Harbour Radio” that the ferry would stay. He called the plan a “bold step”.")
    said = speakers(text)
    assert said["What a day!"] == "Lena Ortiz" and said["Too much."] == "Lena Ortiz"
    assert said["that the ferry would stay"] == "Dan Ostrow"
    assert "Harbour Radio" not in said and "bold step" not in said  # who heard it; a scare quote


def test_what_a_speaker_warns_of_or_boasts_about() -> None:
    text = ("Harbour\n\nThe council met on Monday. Dan Ostrow warned of a long strike at the port. "
            "The union boasted about its record on safety. Ostrow warned the mayor on Friday.")
    said = speakers(text)
    assert said["a long strike at the port"] == "Dan Ostrow"
    assert said["its record on safety"] == "union"
    assert not any("mayor" in content for content in said)  # who was warned is not what was said


def test_a_name_in_a_relative_clause_on_the_speaker_is_not_the_speaker() -> None:
    text = ("Harbour\n\nLena Ortiz runs the port.\n\n"
            "An influential delegate, who backs Ortiz, said the vote would be close.")
    (found,) = extract(text)
    assert found.mention == "An influential delegate" and found.speaker != "Lena Ortiz"


def test_he_is_the_subject_before_him_not_the_man_he_holds_to_account() -> None:
    text = ("Harbour\n\nDan Ostrow spoke on Friday. In a statement on Saturday, Lena Ortiz's deputy, James Maron, went "
            "further in trying to hold Ostrow accountable.\n\n“There are no excuses,” he said.\n\n"
            "Dan Ostrow spoke first. James Maron defended his vote, but late on Saturday he announced he would "
            "support the plan.")
    said = speakers(text)
    assert said["There are no excuses,"] == "James Maron"
    assert said["he would support the plan"] == "James Maron"
    conditional = ("Harbour\n\nJames Maron spoke on Monday. If Dan Ostrow loses the vote, he said he would "
                   "resign.")
    assert speakers(conditional)["he would resign"] == "James Maron"  # not the subject of the "if" clause
    colon = ("Harbour\n\nJames Maron spoke on Monday. Dan Ostrow saw the vote differently: “When they say the "
             "ferry stays, I do not believe them,” he said.")
    assert speakers(colon)["When they say the ferry stays, I do not believe them,"] == "Dan Ostrow"


def test_a_thing_named_with_an_apposition_before_a_quote_is_not_its_speaker() -> None:
    text = ("Harbour\n\nDan Ostrow has not answered, although he kept up his campaign on Twitter, one of his "
            "favourite channels.\n\n“The ferry must stay,” he wrote on Saturday.")
    (found,) = extract(text)
    assert found.speaker == "Dan Ostrow"


def test_a_remark_claim_or_promise_carries_what_its_owner_said() -> None:
    text = ("Harbour\n\nDan Ostrow spoke on Monday. Critics seized on his remark that “the ferry is a luxury.” "
            "Lena Ortiz repeated her claim that the port had lost money. Voters remember Ostrow’s promise to keep "
            "the night ferry. He denied the claim that he had made.")
    said = speakers(text)
    assert said["that “the ferry is a luxury."] == "Dan Ostrow"
    assert said["that the port had lost money"] == "Lena Ortiz"
    assert said["to keep the night ferry"] == "Dan Ostrow"
    # "the claim that he had made": "that" is a pronoun there, so the noun carries no statement
    assert not any(f.cue == "claim" and "he had made" in f.content for f in extract(text))


def test_a_quote_that_opens_with_not_is_still_said() -> None:
    text = ("Harbour\n\nLena Ortiz spoke on Monday.\n\n“Not now, and not this winter,” she said.\n\n"
            "Dan Ostrow did not say when the ferry would stop.")
    said = speakers(text)
    assert said["Not now, and not this winter,"] == "Lena Ortiz"
    assert not any("ferry would stop" in content for content in said)  # "did not say" still says nothing


def test_an_epithet_or_a_headline_verb_is_not_part_of_the_name() -> None:
    text = ("Harbour Workers Rip Lena Ortiz Over Ferry Cuts\n\n"
            "“We will cut the night ferry,” Lena Ortiz said on Monday.\n\n"
            "Rivals call her Crooked Lena Ortiz. “The ferry stays,” Crooked Lena Ortiz said later.")
    assert {f.speaker for f in extract(text)} == {"Lena Ortiz"}


def test_what_the_speaker_put_out_says_it_for_them() -> None:
    text = ("Harbour\n\nThe port authority released a statement on Monday saying the night ferry would stay.\n\n"
            "Dan Ostrow read a report saying the ferry would lose money.")
    said = speakers(text)
    assert said["the night ferry would stay"] == "port authority"
    assert "the ferry would lose money" not in said  # the report speaks for its author, not for its reader


def test_then_said_after_a_first_clause_has_that_clauses_subject() -> None:
    text = ("Harbour\n\nLena Ortiz thanked the crew, then told reporters the ferry would stay.\n\n"
            "Dan Ostrow paused, then revealed why the vote had been delayed.")
    said = speakers(text)
    assert said["the ferry would stay"] == "Lena Ortiz"
    assert said["why the vote had been delayed"] == "Dan Ostrow"
