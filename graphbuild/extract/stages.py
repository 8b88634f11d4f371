"""The extraction stages and the order of their rules: the one place the order is declared.

``graphbuild rules`` prints this table with each rule's description and measured precision.
How a stage runs its rules (see ``rules.py``): ``first`` — the first rule that finds something
decides; ``each`` — every rule applies in turn; ``veto`` — any rule can drop the candidate;
``switch`` — a step of the algorithm that can be switched off.
"""

from __future__ import annotations

from . import actors, events, modality, roles, statements  # noqa: F401  (importing a rule module registers its rules)
from .rules import REGISTRY, Stage

STAGES: tuple[Stage, ...] = (
    Stage("actor.entity", "first", "names the knowledge base knows (and peoples)", (
        "actor.entity.place_named_organization",
        "actor.entity.demonym",
        "actor.entity.people",
        "actor.entity.currency",
        "actor.entity.kb_place",
        "actor.entity.locative_metonym",
        "actor.entity.kb_actor",
    )),
    Stage("actor.span", "switch", "where a name NER found begins and ends", (
        "actor.span.trim",
    )),
    Stage("actor.unknown_gpe", "switch", "where an unknown geopolitical name is a place", (
        "actor.unknown_gpe.party_to_act",
    )),
    Stage("actor.name", "first", "names the knowledge base does not know", (
        "actor.name.non_actor",
        "actor.name.modifier",
        "actor.name.common_noun",
        "actor.name.kb_surname",
        "actor.name.kb_case",
        "actor.name.facility",
        "actor.name.place",
        "actor.name.organization_head",
        "actor.name.person",
        "actor.name.state",
        "actor.name.state_body",
        "actor.name.office",
        "actor.name.organization",
    )),
    Stage("actor.parse", "each", "passes over the parse after the names", (
        "actor.parse.repeated_name",
        "actor.parse.named_group",
        "actor.parse.institution",
        "actor.parse.state_body",
        "actor.parse.collective",
        "actor.parse.title_owner",
        "actor.parse.introduced_organization",
        "actor.parse.titled_person",
        "actor.parse.same_name",
        "actor.parse.short_person_name",
        "actor.parse.untagged_surname",
        "actor.parse.short_organization_name",
        "actor.parse.coreference",
    )),
    Stage("actor.group_member", "switch", "one member of a group, and a group noun that describes a named one", (
        "actor.group_member.plural_named",
        "actor.group_member.kb_descriptor",
        "actor.group_member.demonym",
    )),
    Stage("actor.members_of_named", "switch", "group nouns named after an organisation", (
        "actor.members_of_named.organization",
    )),
    Stage("actor.body_owner", "first", "whom a state body or a noun with a state's adjective stands for", (
        "actor.body_owner.led_by",
        "actor.body_owner.modifier",
        "actor.body_owner.demonym_argument",
        "actor.body_owner.of_phrase",
        "actor.body_owner.representative",
        "actor.body_owner.residence",
    )),
    Stage("coref", "first", "what a pronoun or description refers to", (
        "coref.person_pronoun",
        "coref.people_pronoun",
        "coref.group_pronoun",
        "coref.pair",
        "coref.kb_descriptor",
        "coref.state_noun",
        "coref.government",
        "coref.named_noun",
        "coref.company_noun",
    )),
    Stage("coref.owned", "switch", "what a description that refers to an actor does for the words it owns", (
        "coref.owned.body",
    )),
    Stage("actor.reference", "first", "actors named through another word of a phrase", (
        "actor.reference.apposition",
        "actor.reference.partitive",
        "actor.reference.title_holder",
        "actor.reference.examples",
    )),
    Stage("actor.voice", "switch", "whose words a token is in", (
        "actor.voice.document_author",
        "actor.voice.first_person",
    )),
    Stage("role.find", "first", "a person's office, stated with the name", (
        "role.find.title_before",
        "role.find.apposition",
        "role.find.shared_plural_title",
    )),
    Stage("role.for_owner", "switch", "titles whose \"for\" phrase names their owner", (
        "role.for_owner.speaks_for",
    )),
    Stage("role.place_owner", "switch", "offices of a city or region", (
        "role.place_owner.government",
    )),
    Stage("role.stacked", "switch", "offices named one after the other", (
        "role.stacked.nearest_owner",
    )),
    Stage("role.owner", "first", "the state or organisation of an office stated without one", (
        "role.owner.of_after_name",
        "role.owner.kb_office",
        "role.owner.own_state",
        "role.owner.document_state",
    )),
    Stage("role.person_owner", "switch", "offices owned by a person", (
        "role.person_owner.serving_state",
    )),
    Stage("role.dedupe", "switch", "one role where the text gives it twice", (
        "role.dedupe.bare_duplicate",
    )),
    Stage("role.reference", "switch", "titles that refer back to their holder", (
        "role.reference.title",
    )),
    Stage("statement.quote", "switch", "which quoted spans are statements", (
        "statement.quote.scare_quotes",
    )),
    Stage("statement.speaker", "first", "who said a quote", (
        "statement.speaker.sentence_speaker",
        "statement.speaker.reporting_verb_after",
        "statement.speaker.reporting_verb_before",
        "statement.speaker.according_to",
        "statement.speaker.adjacent_clause",
        "statement.speaker.conjoined_quote",
        "statement.speaker.governing_verb",
        "statement.speaker.previous_sentence",
        "statement.speaker.previous_quote",
    )),
    Stage("statement.referent", "first", "whom a speaker phrase stands for", (
        "statement.referent.relative_pronoun",
        "statement.referent.person_apposition",
        "statement.referent.actor",
        "statement.referent.document_author",
        "statement.referent.title_name",
        "statement.referent.owner_modifier",
        "statement.referent.owner_preposition",
    )),
    Stage("statement.reported", "switch", "reported speech outside quotation marks", (
        "statement.reported.clause",
    )),
    Stage("event.trigger", "first", "which lexicon row a token starts", (
        "event.trigger.phrase",
        "event.trigger.word",
    )),
    Stage("event.filter", "veto", "triggers that act on no one", (
        "event.filter.finding",
        "event.filter.light_verb_carrier",
        "event.filter.naming",
        "event.filter.candidacy",
        "event.filter.signed_document",
        "event.filter.ergative",
        "event.filter.animals",
        "event.filter.commemorated",
        "event.filter.left_act",
        "event.filter.strict_target",
    )),
    Stage("event.voice", "first", "whose words the trigger is in: the article's, or a claimant's", (
        "event.voice.quoted_claim",
        "event.voice.interview_answer",
    )),
    Stage("event.parties", "first", "parties named together, before source and target", (
        "event.parties.between",
    )),
    Stage("event.source", "first", "who acts", (
        "event.source.lexicon",
        "event.source.passive_agent",
        "event.source.authority_passive",
        "event.source.agentless_passive",
        "event.source.subject",
        "event.source.subject_owner",
        "event.source.noun_owner",
        "event.source.noun_by",
        "event.source.noun_from",
        "event.source.noun_participle_agent",
        "event.source.conjoined_noun",
        "event.source.ascribed",
        "event.source.claimed",
        "event.source.received",
        "event.source.trailing_participle",
        "event.source.light_verb_authority",
        "event.source.governing_verb",
        "event.source.host_noun",
        "event.source.protesters",
    )),
    Stage("event.subject", "first", "who does what a verb says (used by source, type and derived rules)", (
        "event.subject.own",
        "event.subject.on_auxiliary",
        "event.subject.object_control",
        "event.subject.noun_owner",
        "event.subject.inherited",
        "event.subject.relative_antecedent",
    )),
    Stage("event.target", "first", "who is acted on: the first rule naming an actor other than the sources", (
        "event.target.passive_subject",
        "event.target.receiver",
        "event.target.patient_owner",
        "event.target.participle_noun",
        "event.target.lexicon",
        "event.target.condition_subject",
        "event.target.co_subjects_cooperating",
        "event.target.direct_object",
        "event.target.shared_object",
        "event.target.directed_preposition",
        "event.target.clause_subject",
        "event.target.complement",
        "event.target.letter_recipient",
        "event.target.carrier_recipient",
        "event.target.carrier_clause",
        "event.target.arrested_subject",
        "event.target.co_subjects",
        "event.target.addressee",
        "event.target.responder",
        "event.target.circumstance_subject",
        "event.target.described_subject",
        "event.target.requested_owner",
        "event.target.conjoined_act",
        "event.target.place_state",
        "event.target.protest_site",
    )),
    Stage("event.target_filter", "switch", "targets that are only the channel of an act", (
        "event.target_filter.channel",
        "event.target_filter.clause_words",
    )),
    Stage("event.pairs", "switch", "source-target pairs of one trigger", (
        "event.pairs.mutual",
    )),
    Stage("event.drop", "veto", "coded events that are no political act", (
        "event.drop.untargeted",
        "event.drop.newsgathering",
        "event.drop.contest",
        "event.drop.refused_thing",
        "event.drop.demanded_content",
    )),
    Stage("event.type", "each", "types PLOVER adds to, or puts in place of, the lexicon's", (
        "event.type.joint_cooperation",
        "event.type.verbal_attack",
        "event.type.promise",
        "event.type.agreement_exit",
        "event.type.readiness",
        "event.type.refusal",
    )),
    Stage("modality", "switch", "steps of the modality walk", (
        "modality.voice_boundary",
        "modality.relative_clause",
        "modality.be_to",
        "modality.intent_noun",
        "modality.announced_threat",
    )),
    Stage("modality.cue", "first", "cues at each word of the trigger's governing chain, nearest first", (
        "modality.cue.condition",
        "modality.cue.negation",
        "modality.cue.modal_auxiliary",
        "modality.cue.modifier",
        "modality.cue.negating_governor",
        "modality.cue.infinitive_frame",
        "modality.cue.hypothetical_governor",
    )),
    Stage("event.date", "first", "when an event happened", (
        "event.date.sentence",
    )),
    Stage("event.place", "first", "where an event happened", (
        "event.place.sentence",
    )),
    Stage("event.derived", "each", "events no trigger row names", (
        "event.derived.obligation",
        "event.derived.finding",
        "event.derived.characterisation",
    )),
)


def _check() -> None:
    """Every registered rule is declared in exactly one stage, under its own stage name."""
    declared = [rule_id for stage in STAGES for rule_id in stage.rules]
    if len(declared) != len(set(declared)):
        raise RuntimeError("a rule is declared in two stages")
    for stage in STAGES:
        for rule_id in stage.rules:
            if rule_id not in REGISTRY:
                raise RuntimeError(f"stage {stage.name}: no rule {rule_id!r} is registered")
            if REGISTRY[rule_id].stage != stage.name:
                raise RuntimeError(f"rule {rule_id!r} is declared in stage {stage.name}, not its own")
    undeclared = sorted(set(REGISTRY) - set(declared))
    if undeclared:
        raise RuntimeError(f"rules registered but in no stage: {', '.join(undeclared)}")


_check()
