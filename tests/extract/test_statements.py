"""Direct quotations and their speakers, on invented sentences through the real pipeline."""

from __future__ import annotations

import pytest

from graphbuild.extract.statements import find_quotes


def _speaker_name(extraction, statement):
    if statement.speaker is None:
        return None
    return next(a.name for a in extraction.actors if a.key == statement.speaker)


def _direct(extraction):
    return [(s.quote, _speaker_name(extraction, s)) for s in extraction.statements if s.kind == "direct"]


# -- finding the quoted text ----------------------------------------------------------------

def test_quote_left_open_runs_to_the_end_of_its_paragraph():
    text = "She said: “The harbour will stay closed all winter.\n\nNext paragraph."
    [quote] = find_quotes(text)
    assert text[quote.start:quote.end] == "The harbour will stay closed all winter."


def test_straight_quotation_nested_in_a_quotation_stays_inside_it():
    text = 'He wrote, "The so-called "peace plan" is a trap for all of us." Then he left.'
    [quote] = find_quotes(text)
    assert text[quote.start:quote.end] == 'The so-called "peace plan" is a trap for all of us.'


def test_quotes_split_by_an_attribution_are_two_spans():
    text = "“The talks were useful,” she said. “But nothing has been decided yet.”"
    assert [text[q.start:q.end] for q in find_quotes(text)] == [
        "The talks were useful,", "But nothing has been decided yet."]


def test_short_scare_quotes_are_not_statements(extract_text):
    extraction = extract_text("Officials in Warsaw called the new plan “very risky” on Monday.")
    assert _direct(extraction) == []


# -- attributing the quote ------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    # attribution after the quote
    ("“We will not accept these terms,” Emmanuel Macron said on Tuesday.", "Emmanuel Macron"),
    # attribution before the quote, with a colon
    ("Olaf Scholz told reporters in Hamburg: “Energy prices will come down next year.”", "Olaf Scholz"),
    # a title and a demonym before the name
    ("Former British Prime Minister Boris Johnson wrote on social media, \"We must stand with our friends now.\"",
     "Boris Johnson"),
    # apposition: the name stands beside a title that is the grammatical subject
    ("Turkey's foreign minister, Hakan Fidan, told state television: “The corridor must reopen this week.”",
     "Hakan Fidan"),
    # a clause joined to the quote by a comma speaks it, whatever its verb
    ("Antony Blinken defended the decision, “This is the only way to protect our diplomats.”", "Antony Blinken"),
    # a pronoun subject refers to the person who was the subject before
    ("Olaf Scholz visited a steel plant near Bremen. “Our workers deserve cheaper power,” he said.", "Olaf Scholz"),
    # a parse that gives the verb two subjects, the title and the name: the name nearest the verb speaks
    ("Togo's president Amadou Sanogo said, “The new road will open next spring.”", "Amadou Sanogo"),
    # a document speaks for whoever the "by" phrase names
    ("The border will reopen on Monday. “The embassy will stay closed until further notice,” according to a "
     "tweet on Friday by Chilean Foreign Minister Maria Lopez.", "Maria Lopez"),
    # a participle after the quote is no inversion: its object does not speak
    ('Maria Lopez wrote of Peter Holm, "I noticed then that Peter was an unusual actor", recalling his first film.',
     "Maria Lopez"),
    # a quote framed by a verb outside it, through a preposition's clause
    ('Maria Lopez characterized the attack as "designed to intimidate a civilian population, to say the least."',
     "Maria Lopez"),
    # the agent of a passive verb of saying speaks
    ('The pattern was described by the Daily Courier as "rather hectic and kind of confused and unusual".',
     "Daily Courier"),
    # "led X to express": the object of the verb above speaks, not its subject
    ('Criticism from the Chilean press led Maria Lopez to express "regret for every word I said on that evening".',
     "Maria Lopez"),
    # "X quoted Y as saying": Y speaks
    ("The Daily Courier quoted Maria Lopez as saying “we agreed on nothing at all.”", "Maria Lopez"),
    # a longer clause after the comma speaks through its main verb, whatever the verb
    ("Maria Lopez addressed the assembly in Lima. The delegates listened in silence. “Our region needs fewer "
     "foreign ships and more trust between neighbours,” she continued in the speech, which was broadcast "
     "across the country.", "Maria Lopez"),
])
def test_speaker_of_a_direct_quote(extract_text, text, speaker):
    [(_, found)] = _direct(extract_text(text))
    assert found == speaker


def test_split_quote_gives_two_statements_with_one_speaker(extract_text):
    extraction = extract_text("“The talks were useful,” said Emmanuel Macron. “But nothing has been decided yet.”")
    assert _direct(extraction) == [("The talks were useful", "Emmanuel Macron"),
                                   ("But nothing has been decided yet.", "Emmanuel Macron")]


def test_quote_over_several_paragraphs_keeps_its_speaker(extract_text):
    text = ("Olaf Scholz spoke to the union congress on Friday. “The next winter will be hard for industry.\n\n"
            "“We will support every factory that keeps its workers,” the chancellor added.")
    speakers = [speaker for _, speaker in _direct(extract_text(text))]
    assert speakers == ["Olaf Scholz", "Olaf Scholz"]


def test_quote_after_a_sentence_about_its_speaker(extract_text):
    text = ("Antony Blinken criticised the vote at the United Nations. "
            "“This resolution rewards aggression and punishes the victims of it.”")
    assert _direct(extract_text(text))[0][1] == "Antony Blinken"


def test_according_to_names_the_speaker(extract_text):
    text = "According to Reuters, “three tankers left the port overnight without their transponders.”"
    assert _direct(extract_text(text))[0][1] == "Reuters"


def test_a_document_speaks_for_its_author(extract_text):
    text = ("Russia sent a letter to the embassy in Oslo. "
            "“The proposals were ignored once again,” the letter states.")
    assert _direct(extract_text(text))[0][1] == "Russia"


def test_speaker_through_a_modifier_or_an_owner(extract_text):
    text = "A Chinese military spokesman told state media that “the exercises will continue as planned next week.”"
    extraction = extract_text(text)
    [statement] = [s for s in extraction.statements if s.kind == "direct"]
    actor = next(a for a in extraction.actors if a.key == statement.speaker)
    assert actor.country == "CHN"


def test_unresolved_attribution_does_not_borrow_the_previous_speaker(extract_text):
    text = ("“The ceasefire must hold,” Emmanuel Macron said. "
            "A person close to the negotiations said “nobody expects a deal before the summer.”")
    assert [speaker for _, speaker in _direct(extract_text(text))] == ["Emmanuel Macron", None]


def test_quote_ending_a_sentence_is_not_attributed_to_the_next_one(extract_text):
    text = "Olaf Scholz said: “The plant will close in May.” Emmanuel Macron said that France would help."
    assert _direct(extract_text(text)) == [("The plant will close in May.", "Olaf Scholz")]


def test_reported_speech_is_kept_apart_from_quotes(extract_text):
    extraction = extract_text("Emmanuel Macron said that France would send more engineers to the region.")
    [statement] = extraction.statements
    assert statement.kind == "reported"
    assert _speaker_name(extraction, statement) == "Emmanuel Macron"
    assert statement.quote.startswith("France would send")


def test_short_whole_utterance_is_a_statement(extract_text):
    extraction = extract_text("“We are ready,” Olaf Scholz told the crowd in Leipzig.")
    assert _direct(extraction) == [("We are ready", "Olaf Scholz")]


def test_participle_attribution_hung_under_a_quoted_verb(extract_text):
    # the parse hangs "further saying" under the quoted "costs": the speaker is the outside clause's subject
    text = ("Maria Lopez said the plan “costs every family a month of wages,” further saying, "
            "“Nobody in this country can afford it.”")
    assert [speaker for _, speaker in _direct(extract_text(text))] == ["Maria Lopez", "Maria Lopez"]


def test_inverted_document_attribution(extract_text):
    # "read the statement": the statement is parsed as the object of "read", and speaks for its author
    text = ("The Chilean navy released a statement on Monday. “No sailors were hurt in the incident;” read the "
            "statement; “we will not be intimidated by threats.”")
    assert [speaker for _, speaker in _direct(extract_text(text))] == ["Chile", "Chile"]


def test_trailing_clause_that_is_no_attribution(extract_text):
    text = ("Maria Lopez addressed the assembly in Lima. The delegates listened in silence. “Our region needs "
            "fewer foreign ships,” and the delegates, who had come from every province, cheered.")
    assert _direct(extract_text(text))[0][1] is None


def test_a_whole_quoted_sentence_is_not_framed_by_the_next_sentence(extract_text):
    # the parse hangs the second quote under the next sentence's "said": it continues the first speaker
    text = ("“This is the first port where the water is deep enough for the new ships,” said Maria Lopez. "
            "“It's the best candidate for the fleet right now.”\n\n"
            "“It's a good sign”, said Peter Holm of the harbour board, who was not part of the study.")
    assert [speaker for _, speaker in _direct(extract_text(text))] == ["Maria Lopez", "Maria Lopez", "Peter Holm"]


def test_short_utterance_before_its_reporting_verb(extract_text):
    # a short quote is a statement when a reporting verb follows it; the inverted subject is parsed as an object
    text = "“We stand ready” tweeted Maria Lopez “to send whatever help we can to the flooded towns.”"
    assert _direct(extract_text(text)) == [("We stand ready", "Maria Lopez"),
                                           ("to send whatever help we can to the flooded towns.", "Maria Lopez")]


def test_quote_in_the_next_paragraph_after_a_blank_line_keeps_its_speaker(extract_text):
    text = ("Maria Lopez spoke to the union on Friday. “The next winter will be hard for industry,” she said.\n\n"
            "“We will support every factory that keeps its workers.”")
    assert [speaker for _, speaker in _direct(extract_text(text))] == ["Maria Lopez", "Maria Lopez"]
