"""The extraction stages and the order of their rules: the one place the order is declared.

``graphbuild rules`` prints this table with each rule's description and measured precision.
How a stage runs its rules (see ``rules.py``): ``first`` — the first rule that finds something
decides; ``each`` — every rule applies in turn; ``veto`` — any rule can drop the candidate;
``switch`` — a step of the algorithm that can be switched off.
"""

from __future__ import annotations

from . import events, modality  # noqa: F401  (importing a rule module registers its rules)
from .rules import REGISTRY, Stage

STAGES: tuple[Stage, ...] = (
    Stage("event.trigger", "first", "which lexicon row a token starts", (
        "event.trigger.phrase",
        "event.trigger.word",
    )),
    Stage("event.filter", "veto", "triggers that act on no one", (
        "event.filter.publishing",
        "event.filter.finding",
        "event.filter.strict_target",
    )),
    Stage("event.voice", "first", "whose words the trigger is in: the article's, or a claimant's", (
        "event.voice.quoted_claim",
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
        "event.source.noun_participle_agent",
        "event.source.ascribed",
        "event.source.trailing_participle",
        "event.source.light_verb_authority",
        "event.source.governing_verb",
    )),
    Stage("event.subject", "first", "who does what a verb says (used by source, type and derived rules)", (
        "event.subject.own",
        "event.subject.object_control",
        "event.subject.noun_owner",
        "event.subject.inherited",
        "event.subject.relative_antecedent",
    )),
    Stage("event.target", "first", "who is acted on: the first rule naming an actor other than the sources", (
        "event.target.passive_subject",
        "event.target.lexicon",
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
        "event.target.clause_actor",
        "event.target.place_state",
        "event.target.discourse_partner",
    )),
    Stage("event.target_filter", "switch", "targets that are only the channel of an act", (
        "event.target_filter.channel",
    )),
    Stage("event.pairs", "switch", "source-target pairs of one trigger", (
        "event.pairs.mutual",
    )),
    Stage("event.type", "each", "types PLOVER adds to, or puts in place of, the lexicon's", (
        "event.type.joint_cooperation",
        "event.type.promise",
        "event.type.readiness",
        "event.type.refusal",
    )),
    Stage("modality", "switch", "steps of the modality walk", (
        "modality.voice_boundary",
        "modality.be_to",
    )),
    Stage("modality.cue", "first", "cues at each word of the trigger's governing chain, nearest first", (
        "modality.cue.negation",
        "modality.cue.modal_auxiliary",
        "modality.cue.negating_governor",
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
