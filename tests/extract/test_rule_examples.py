"""Every extraction rule has an invented example that it is needed for: with all rules the
example gives the expected fact, and with that one rule switched off (``--disable-rule``) it
does not. A rule whose example no longer depends on it is a rule that does nothing."""

from __future__ import annotations

import pytest

from graphbuild.extract import all_rules


def facts_of(extraction) -> set[tuple]:
    """What an extraction says, as comparable tuples."""
    names = {a.key: a.name for a in extraction.actors}
    facts: set[tuple] = set()
    for actor in extraction.actors:
        facts.add(("actor", actor.name, actor.type))
    for place in extraction.places:
        facts.add(("place", place.name))
    for role in extraction.roles:
        facts.add(("role", names.get(role.person), role.role, names.get(role.of)))
    for statement in extraction.statements:
        facts.add(("statement", names.get(statement.speaker), statement.kind, statement.quote))
    for event in extraction.events:
        facts.add(("event", names.get(event.source), event.type, names.get(event.target), event.modality))
    for claim in extraction.claims:
        event = claim.event
        facts.add(("claim", names.get(claim.claimant), names.get(event.source), event.type, names.get(event.target),
                   event.modality))
    return facts


# rule id → (invented text, a fact the rule is needed for). The facts are the tuples of facts_of.
EXAMPLES: dict[str, tuple[str, tuple]] = {
    "event.trigger.word": ("Poland attacked Belarus.", ("event", "Poland", "ASSAULT", "Belarus", "asserted")),
    "event.target.direct_object": (
        "Poland attacked Belarusian positions near the border.",
        ("event", "Poland", "ASSAULT", "Belarus", "asserted")),
    "modality.cue.modal_auxiliary": (
        "Poland could attack Belarus.", ("event", "Poland", "ASSAULT", "Belarus", "hypothetical")),
    # -- statements and modality (issue 12: speakers and modality) ----------------------------------
    "statement.speaker.sentence_speaker": (
        "Peter Holm resigned on Monday. Later, a ministry spokesperson, Maria Lopez, told reporters: "
        "“While we study the ruling,” she said, “we ask both sides to keep calm.”",
        ("statement", "Maria Lopez", "direct", "While we study the ruling")),
    "statement.speaker.conjoined_quote": (
        "John Carter called the treaty “a betrayal of every farmer” and “a gift to the big importers”.",
        ("statement", "John Carter", "direct", "a gift to the big importers")),
    "statement.speaker.governing_verb": (
        "The Chilean foreign ministry condemned the raid as “a grave breach of international law”.",
        ("statement", "Chile", "direct", "a grave breach of international law")),
    "modality.cue.condition": (
        "Russia will respond if Poland does not withdraw from Belarus.",
        ("event", "Poland", "RETREAT", "Belarus", "hypothetical")),
    "modality.cue.modifier": (
        "The alleged Polish attack on Belarus killed two.", ("event", "Poland", "ASSAULT", "Belarus", "hypothetical")),
    "modality.cue.infinitive_frame": (
        "Poland is about to attack Belarus.", ("event", "Poland", "ASSAULT", "Belarus", "hypothetical")),
    "modality.intent_noun": (
        "Poland expressed its willingness to hold talks with Belarus.",
        ("event", "Poland", "AGREE", "Belarus", "hypothetical")),
    "modality.announced_threat": (
        "Poland will attack Belarus unless Belarus withdraws.", ("event", "Poland", "THREATEN", "Belarus", "asserted")),
}


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_rule_is_needed_for_its_example(extract_text, rule_id):
    text, fact = EXAMPLES[rule_id]
    found = facts_of(extract_text(text))
    assert fact in found, sorted(found)
    without = facts_of(extract_text(text, disabled=[rule_id]))
    assert fact not in without, f"{rule_id} is not needed for its example: {sorted(without)}"


def test_every_rule_has_an_example():
    missing = sorted({r.id for r in all_rules()} - set(EXAMPLES))
    assert not missing, f"rules without an example in EXAMPLES: {missing}"
