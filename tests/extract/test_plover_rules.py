"""General PLOVER typing and argument rules (invented sentences, real spaCy model)."""

from __future__ import annotations

import pytest


def events_of(extraction):
    names = {a.key: a.name for a in extraction.actors}
    return {(names.get(e.source), e.type, names.get(e.target), e.modality) for e in extraction.events}


# Each case is one general rule, named by its id; the sentence is invented for it.
SENTENCE_EVENTS = [
    pytest.param("Vladimir Putin offered to negotiate with the president of Armenia.",
                 ("Vladimir Putin", "AGREE", "Armenia", "asserted"), id="the_president_of_a_named_state_is_not_another_state_s_president"),
    pytest.param("Norway will give Kenya a grant of 20 million dollars next year.",
                 ("Norway", "AGREE", "Kenya", "hypothetical"), id="an_announced_grant_is_a_promise_of_aid"),
    pytest.param("Japan gave Peru 3 million dollars of aid on Monday.",
                 ("Japan", "AID", "Peru", "asserted"), id="an_event_noun_counted_in_a_measure_is_the_verb_s_object"),
    pytest.param("A Peruvian court ordered Bolivia to pay compensation.",
                 ("Peru", "REQUEST", "Bolivia", "asserted"), id="a_court_modified_by_a_nationality_stands_for_its_state"),
    pytest.param("The IAEA announced that it will withdraw its inspectors from Iran.",
                 ("IAEA", "THREATEN", "Iran", "asserted"), id="withdrawing_inspectors_is_a_sanction_and_announcing_it_a_threat"),
    pytest.param("Chile rejected an Argentine proposal for a joint commission.",
                 ("Chile", "REJECT", "Argentina", "asserted"), id="a_rejected_proposal_is_directed_at_the_state_that_made_it"),
    pytest.param("The European Union reiterated its demand today that Serbia release the journalists.",
                 ("European Union", "REQUEST", "Serbia", "asserted"), id="a_demand_noun_takes_the_subject_of_the_clause_on_its_verb"),
    pytest.param("Kurdish prisoners rioted at a jail in southern Turkey, setting fire to their beds.",
                 ("Kurdish prisoners", "PROTEST", "Turkey", "asserted"), id="the_source_s_own_things_are_no_target"),
    pytest.param("Austria announced a suspension of air links with Belarus on Monday.",
                 ("Austria", "SANCTION", "Belarus", "asserted"), id="suspending_links_with_a_state_is_a_sanction_against_it"),
    pytest.param("Bosnian police opened an investigation into crimes committed by Serbian forces.",
                 ("Bosnian police", "ACCUSE", "Serbia", "asserted"), id="an_investigation_into_crimes_by_an_actor_is_directed_at_it"),
    pytest.param("The Indian foreign minister held talks with leaders of Nepal's new government on Chinese aid.",
                 ("India", "CONSULT", "Nepal", "asserted"), id="leaders_of_a_state_s_government_stand_for_it"),
    pytest.param("The Umma party said it will boycott Sudan's elections unless the president resigns.",
                 ("Umma party", "THREATEN", "Sudan", "asserted"), id="an_unknown_name_before_party_is_an_organisation"),
    pytest.param("A spokesman for the Turkish prime minister condemned the raid by Greece.",
                 ("Turkey", "ACCUSE", "Greece", "asserted"), id="a_spokesman_for_a_state_body_speaks_for_the_state"),
    pytest.param("Chad will not attack Sudan, the president said.",
                 ("Chad", "ASSAULT", "Sudan", "negated"), id="will_not_is_negated_not_hypothetical"),
    pytest.param("Eritrea is preparing an attack on Ethiopia.",
                 ("Eritrea", "ASSAULT", "Ethiopia", "hypothetical"), id="the_subject_of_preparing_an_attack_is_its_agent"),
    pytest.param("Two French journalists were placed under arrest in Iran.",
                 ("Iran", "COERCE", "France", "asserted"), id="an_agentless_arrest_in_a_state_is_that_state_s_act_on_who_is_arrested"),
    pytest.param("Australia mobilized army reservists for a possible war against Iraq.",
                 ("Australia", "MOBILIZE", "Iraq", "asserted"), id="mobilising_for_a_war_against_a_state_targets_it"),
    pytest.param("Leaders of the rebel groups called for protests against the government of Sudan.",
                 ("rebel groups", "REQUEST", "Sudan", "asserted"), id="leaders_of_a_group_act_for_it"),
]


@pytest.mark.parametrize("text, expected", SENTENCE_EVENTS)
def test_sentence_gives_event(extract_text, text, expected):
    found = events_of(extract_text(text))
    assert expected in found, found


def test_an_announced_act_on_a_condition_is_a_threat(extract_text):
    found = events_of(extract_text("Kenya said it will withdraw its troops from Somalia unless the rebels agree to talks."))
    assert ("Kenya", "THREATEN", "Somalia", "asserted") in found, found  # the threat is made; the withdrawal is not
    assert not any(t == "AGREE" and s == "Kenya" for s, t, _tg, _m in found), found


def test_a_protest_noun_after_a_light_verb_takes_the_verb_s_purpose_as_target(extract_text):
    found = events_of(extract_text("Kurdish dissidents began a hunger strike to demand the resignation of the Egyptian government."))
    assert any(t == "PROTEST" and tg == "Egypt" for _s, t, tg, _m in found), found


def test_blocking_a_bridge_is_a_protest(extract_text):
    extraction = extract_text("Polish farmers blocked a bridge to demand the resignation of the Polish government.")
    assert any(e.type == "PROTEST" and e.trigger.text == "blocked" for e in extraction.events), extraction.events


def test_a_participle_parsed_as_the_speaking_clause_gives_its_subject(extract_text):
    found = events_of(extract_text("The Red Cross operating in Sudan said Chad must open its border."))
    assert any(t == "REQUEST" and tg == "Chad" and s and "Red Cross" in s for s, t, tg, _m in found), found


def test_a_vow_reported_by_others_is_still_the_vower_s_threat(extract_text):
    found = events_of(extract_text("Georgian officials said the separatists have sworn to attack Georgia."))
    assert any(t == "THREATEN" and tg == "Georgia" and s and "separatists" in s for s, t, tg, _m in found), found


def test_an_act_as_subject_is_done_by_its_owner(extract_text):
    found = events_of(extract_text("Recent Turkish drone strikes have killed six PKK commanders."))
    assert any(s == "Turkey" and t == "ASSAULT" and tg == "Kurdistan Workers' Party" for s, t, tg, _m in found), found


def test_failing_to_reach_an_agreement_is_a_rejection(extract_text):
    found = events_of(extract_text("Peru and Chile failed to reach an agreement on fishing rights."))
    assert ("Peru", "REJECT", "Chile", "asserted") in found, found
    assert ("Peru", "AGREE", "Chile", "negated") in found, found


def test_a_refused_offer_is_no_promise(extract_text):
    found = events_of(extract_text("Peru refused to offer Chile a loan."))
    assert ("Peru", "REJECT", "Chile", "asserted") in found, found
    assert not any(t == "AGREE" and m != "negated" for _s, t, _tg, m in found), found


def test_exercises_held_together_are_military_cooperation(extract_text):
    found = events_of(extract_text("Greek and Cypriot warships began joint war games near Crete on Monday."))
    assert any(t == "COOPERATE" for _s, t, _tg, _m in found), found
    assert not any(t == "MOBILIZE" for _s, t, _tg, _m in found), found


def test_allowing_someone_to_act_is_a_concession(extract_text):
    found = events_of(extract_text("The Kenyan government allowed Raila Odinga to hold a rally in Nairobi."))
    assert any(s == "Kenya" and t == "CONCEDE" and tg == "Raila Odinga" for s, t, tg, _m in found), found


def test_a_state_body_in_a_named_state_is_that_state_s(extract_text):
    found = events_of(extract_text("Soldiers in Kenya arrested dozens of students on Monday."))
    assert any(s == "Kenya" and t == "COERCE" for s, t, _tg, _m in found), found


def test_the_police_in_a_named_state_are_an_organisation_of_that_state(extract_text):
    extraction = extract_text("Police in Kenya arrested dozens of students on Monday.")
    [police] = [a for a in extraction.actors if a.name == "Police"]
    assert police.type == "Organization" and police.country == "KEN"
    assert any(s == "Police" and t == "COERCE" for s, t, _tg, _m in events_of(extraction))


def test_foreign_troops_in_a_state_are_not_that_state_s(extract_text):
    found = events_of(extract_text("Foreign troops in Mali attacked the rebels."))
    assert not any(s == "Mali" for s, _t, _tg, _m in found), found


def test_a_group_in_a_named_state_belongs_to_it(extract_text):
    extraction = extract_text("Rebel groups in Chad attacked a military base near the border.")
    groups = [a for a in extraction.actors if a.name == "Rebel groups"]
    assert groups and groups[0].country == "TCD", [(a.name, a.country) for a in extraction.actors]


def test_forces_led_by_a_state_stand_for_it(extract_text):
    found = events_of(extract_text("Ethiopian-led forces attacked the militants in the town of Baidoa."))
    assert any(s == "Ethiopia" and t == "ASSAULT" for s, t, _tg, _m in found), found


def test_a_source_that_will_not_accept_rejects(extract_text):
    found = events_of(extract_text("Jordan says it will not accept any more refugees from Syria."))
    assert any(s == "Jordan" and t == "REJECT" and m == "asserted" for s, t, _tg, m in found), found


def test_remaining_committed_to_a_deal_is_agreeing(extract_text):
    found = events_of(extract_text("Ghana remains committed to the trade pact with Togo."))
    assert any(s == "Ghana" and t == "AGREE" for s, t, _tg, _m in found), found


def test_what_an_organisation_finds_another_must_do_is_a_demand(extract_text):
    found = events_of(extract_text("The African Union concluded on Monday that Sudan must withdraw its troops from the border."))
    assert ("African Union", "REQUEST", "Sudan", "asserted") in found, found
    assert not any(t == "SUPPORT" for _s, t, _tg, _m in found), found


def test_forces_preparing_to_attack_are_mobilised(extract_text):
    found = events_of(extract_text("The Ugandan army prepared to resume shelling rebel positions near the border."))
    assert any(s == "Uganda" and t == "MOBILIZE" and m == "asserted" for s, t, _tg, m in found), found


def test_talks_held_in_a_state_are_not_that_state_s_act(extract_text):
    found = events_of(extract_text("Talks were held in Egypt with Israel."))
    assert not any(s == "Egypt" for s, _t, _tg, _m in found), found


def test_opening_a_crossing_lets_people_in(extract_text):
    found = events_of(extract_text("Jordan opened the Karameh crossing for Iraqi refugees on Monday."))
    assert any(s == "Jordan" and t == "RETREAT" for s, t, _tg, _m in found), found


def test_fighters_named_after_an_organisation_are_that_organisation(extract_text):
    found = events_of(extract_text("Hezbollah guerrillas killed two soldiers of the Lebanese army on Sunday."))
    assert any(s == "Hezbollah" and t == "ASSAULT" for s, t, _tg, _m in found), found


def test_a_faction_named_after_an_organisation_is_that_organisation(extract_text):
    found = events_of(extract_text("Canada imposed sanctions on the Taliban religious faction that controls Afghanistan for its support of Osama bin Laden."))
    assert any(s == "Canada" and t == "SANCTION" and tg == "Taliban" for s, t, tg, _m in found), found


def test_the_actor_inside_a_passive_subject_is_the_target(extract_text):
    found = events_of(extract_text("A camp for Rwandan refugees was attacked by Burundian militiamen on Friday."))
    assert any(t == "ASSAULT" and tg == "Rwandan refugees" for _s, t, tg, _m in found), found
