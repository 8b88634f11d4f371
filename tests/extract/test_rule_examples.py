"""Every extraction rule has an invented example that it is needed for: with all rules the
example gives the expected fact, and with that one rule switched off (``--disable-rule``) it
does not. A rule whose example no longer depends on it is a rule that does nothing."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Example:
    text: str
    fact: tuple  # a tuple of facts_of


class Needs(Example):
    """The rule is needed for the fact: it is found with every rule on, and not with the rule off."""


class Blocks(Example):
    """The rule keeps a wrong fact out: it is found with the rule off, and not with every rule on."""


# rule id → (invented text, a fact the rule is needed for), or a Needs / Blocks example. The facts
# are the tuples of facts_of.
EXAMPLES: dict[str, tuple[str, tuple] | Example] = {
    "event.trigger.word": ("Poland attacked Belarus.", ("event", "Poland", "ASSAULT", "Belarus", "asserted")),
    "event.target.direct_object": (
        "Poland attacked Belarusian positions near the border.",
        ("event", "Poland", "ASSAULT", "Belarus", "asserted")),
    "modality.cue.modal_auxiliary": (
        "Poland could attack Belarus.", ("event", "Poland", "ASSAULT", "Belarus", "hypothetical")),
    # -- actors and roles (issue 12): names NER found, knowledge-base names, bodies, groups, offices
    "actor.entity.currency": Blocks("Kenya paid Norway in U.S. dollars.", ("actor", "United States", "Country")),
    "actor.span.trim": Needs(
        'Kenya criticised the "Harbour Workers Union" on Monday.', ("actor", "Harbour Workers Union", "Organization")),
    "actor.name.non_actor": Blocks(
        "Kenya criticised Poland after the Baltic Civil War.", ("actor", "Baltic Civil War", "Organization")),
    "actor.name.modifier": Blocks("Kenya praised the intra-Nordic trade pact.", ("actor", "intra-Nordic", "Organization")),
    "actor.name.kb_case": Needs("Kenya left the European union in 2020.", ("actor", "European Union", "Organization")),
    "actor.name.facility": Blocks(
        "Rebels attacked the Halden Street Mosque.", ("actor", "Halden Street Mosque", "Organization")),
    "actor.parse.same_name": Blocks(  # NER labels "Zahedan" a person twice and a state once
        "Zahedan has been the subject of sanctions since 2011. Kenya urged allies to restrict Zahedan's operations. "
        "Zahedan flies cargo to Syria.", ("actor", "Zahedan", "Person")),
    "actor.parse.repeated_name": Needs(  # NER tags "Zorbex" only where it launches the rocket
        "Last year, Zorbex launched its rocket into space. Zorbex founder Halvard Brekke praised Kenya.",
        ("role", "Halvard Brekke", "Founder", "Zorbex")),
    "actor.parse.title_owner": Needs(  # NER takes "Zorbex" for a person
        "Last year, Zorbex launched its rocket into space. Zorbex founder Halvard Brekke praised Kenya.",
        ("role", "Halvard Brekke", "Founder", "Zorbex")),
    "actor.parse.titled_person": Needs(
        "A ministry spokesperson, Morgan Lavelle, criticised Kenya.", ("actor", "Morgan Lavelle", "Person")),
    "role.find.shared_plural_title": Needs(
        "Presidents Karl Weiss of Austria and Jonas Berg of Sweden signed the deal.",
        ("role", "Jonas Berg", "President", "Sweden")),
    "role.stacked.nearest_owner": Needs(
        "At the opening, NATO chairperson President Halvard Brekke of Norway said the talks would go on.",
        ("role", "Halvard Brekke", "President", "Norway")),
    "role.place_owner.government": Needs(
        "The mayor of London, Karl Weiss, criticised Kenya.", ("role", "Karl Weiss", "Mayor", "London")),
    "actor.parse.institution": Needs(
        "Kenyan police fired tear gas at the protesters.", ("actor", "Kenyan police", "Organization")),
    "actor.group_member.plural_named": Needs(
        "Protesters marched on Monday. Police shot a protester yesterday.",
        ("event", "Police", "ASSAULT", "Protesters", "asserted")),
    "actor.name.common_noun": Blocks(
        "Image: Jonas Berg. Protestor dressed as a ghost in Oslo.", ("actor", "Protestor", "Person")),
    "actor.entity.place_named_organization": Needs(
        "The general manager of Kuwait City Media, Karl Weiss, accused Kenya.",
        ("role", "Karl Weiss", "General Manager", "Kuwait City Media")),
    "actor.group_member.kb_descriptor": Needs(
        "The Houthis seized the port on Monday. The rebels later attacked Saudi Arabia.",
        ("event", "Houthis", "ASSAULT", "Saudi Arabia", "asserted")),
    "role.owner.document_state": Needs(
        "Kenya closed its border with Somalia on Monday. Kenya said the talks would resume. "
        "Senator Halvard Brekke criticised the decision.", ("role", "Halvard Brekke", "Senator", "Kenya")),
    "actor.name.argument_state": Needs("Ostia restored ties with Zenda.", ("event", "Ostia", "SUPPORT", "Zenda", "asserted")),
    "actor.body_owner.demonym_member": Needs(
        "Rebels kidnapped a Chilean student.", ("event", "Rebels", "ASSAULT", "Chile", "asserted")),
    "actor.parse.short_organization_name": Blocks(
        "The Nordic Fisheries Council (NFC) criticised Kenya. The NFC criticised Norway.", ("actor", "NFC", "Organization")),
}


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_rule_is_needed_for_its_example(extract_text, rule_id):
    example = EXAMPLES[rule_id]
    if not isinstance(example, Example):
        example = Needs(*example)
    found = facts_of(extract_text(example.text))
    without = facts_of(extract_text(example.text, disabled=[rule_id]))
    if isinstance(example, Blocks):
        assert example.fact in without, f"{rule_id}'s example gives no wrong fact to block: {sorted(without)}"
        assert example.fact not in found, sorted(found)
    else:
        assert example.fact in found, sorted(found)
        assert example.fact not in without, f"{rule_id} is not needed for its example: {sorted(without)}"


def test_every_rule_has_an_example():
    missing = sorted({r.id for r in all_rules()} - set(EXAMPLES))
    assert not missing, f"rules without an example in EXAMPLES: {missing}"
