"""General PLOVER typing and argument rules (invented sentences, real spaCy model)."""

from __future__ import annotations


def events_of(extraction):
    names = {a.key: a.name for a in extraction.actors}
    return {(names.get(e.source), e.type, names.get(e.target), e.modality) for e in extraction.events}


def test_the_president_of_a_named_state_is_not_another_state_s_president(extract_text):
    found = events_of(extract_text("Vladimir Putin offered to negotiate with the president of Armenia."))
    assert ("Vladimir Putin", "AGREE", "Armenia", "asserted") in found, found


def test_an_announced_grant_is_a_promise_of_aid(extract_text):
    found = events_of(extract_text("Norway will give Kenya a grant of 20 million dollars next year."))
    assert ("Norway", "AGREE", "Kenya", "hypothetical") in found, found


def test_an_event_noun_counted_in_a_measure_is_the_verb_s_object(extract_text):
    found = events_of(extract_text("Japan gave Peru 3 million dollars of aid on Monday."))
    assert ("Japan", "AID", "Peru", "asserted") in found, found
