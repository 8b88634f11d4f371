"""PLOVER events from verbs, event nouns and adjectives, through the trigger lexicon and the parse.

An event is coded in stages, each an ordered list of named rules (``graphbuild/extract/stages.py``):

1. ``event.trigger``: a token whose lemma (with its particle, object or modifier, for a phrasal
   row) is a row of ``ontology/triggers.tsv``;
2. ``event.filter``: rules that drop a trigger that acts on no one ("concluded that ...",
   "called it a disaster", "sought the nomination");
3. ``event.voice``: a trigger inside a quotation or an interview answer that is not the
   speaker's own act is the speaker's claim, not the article's report (reported speech, "X said
   that Y attacked Z", stays the article's report, as the annotation guidelines code it);
4. ``event.parties``, ``event.source``, ``event.target``: who acts and who is acted on; the rules
   return actor keys (through ``EntityIndex.actors_of``, the one token → actor mapping), None
   when they find nothing;
5. ``event.drop``: coded events that are no political act (a person's act on no one, a news
   medium's reporting, what one actor demands of another);
6. ``event.type``: the lexicon's type, and the types PLOVER adds (a promise, a threat, a refusal);
7. ``modality``: asserted, negated or hypothetical (``modality.py``);
8. ``event.derived``: events that no trigger row names (a demand stated as "X said Y must ...").

Each event records the ids of the rules that made it, so users can ask why it was coded so and
developers can measure each rule (``graphbuild evaluate --by-rule``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice

from spacy.tokens import Doc, Span, Token

from ..kb import TRIGGER_POS, KnowledgeBase, Trigger
from ..model import Claim, Event, Statement, TextSpan
from .actors import FIRST_PERSON, GROUP_KEY_PREFIX, EntityIndex, is_generic_group
from .dates import resolve_date
from .modality import announced_threat, event_modality
from .rules import RuleSet, rule

DEFAULT_VERB_TARGET = ("dobj",)
DEFAULT_NOUN_TARGET = ("of", "prep:against", "prep:on", "prep:with")
SUBJECT_INHERITING_DEPS = {"xcomp", "conj", "advcl", "pcomp", "acl", "pobj", "acomp"}


class Joint(tuple):
    """A target found among the sources themselves: the first source acts with the others
    ("Ruritania and Borduria agreed": Ruritania AGREE Borduria)."""


@dataclass
class EventContext:
    """What the event rules of one document share."""

    doc: Doc
    index: EntityIndex
    kb: KnowledgeBase
    rules: RuleSet
    quoted: list[bool]
    voice: list[str | None] | None
    published: date | None
    light_verbs: frozenset[str] = frozenset()
    detached_verbs: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()  # news media actors of the document
    dates: list[Span] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    answers: list[tuple[int, int, int, int]] = field(default_factory=list)  # labelled interview paragraphs

    def word_list(self, kind: str) -> frozenset[str]:
        return self.kb.word_list(kind)

    def actors_of(self, token: Token) -> list[str]:
        return self.index.actors_of(token)

    def subjects(self, verb: Token, hops: int = 3) -> list[str]:
        """Who does what the verb says (stage ``event.subject``)."""
        found, _ = self.rules.first("event.subject", self, verb, hops)
        return found or []

    def statement_at(self, token: Token) -> TextSpan | None:
        """The span of the direct quotation that holds a token."""
        return next((s.span for s in self.statements
                     if s.kind == "direct" and s.span.start <= token.idx < s.span.end), None)

    def is_authority_act(self, entry: Trigger) -> bool:
        return entry.type.lower() in self.word_list("authority_type")


@dataclass(frozen=True)
class Candidate:
    """A trigger token and the lexicon row it matched, with the parties found so far."""

    token: Token
    entry: Trigger
    rule: str  # the trigger rule that matched it
    sources: tuple[str, ...] = ()

    @property
    def pos(self) -> str:
        return self.entry.pos

    @property
    def target_specs(self) -> tuple[str, ...]:
        return self.entry.target or (DEFAULT_VERB_TARGET if self.token.pos_ == "VERB" else DEFAULT_NOUN_TARGET)

    @property
    def parse_targets(self) -> bool:
        """Whether the parse may name a target: the lexicon row does not say there is none."""
        return "none" not in self.target_specs


def event_context(doc: Doc, index: EntityIndex, kb: KnowledgeBase, rules: RuleSet, quoted: list[bool],
                  voice: list[str | None] | None, published: date | None,
                  statements: list[Statement] = ()) -> EventContext:
    return EventContext(
        doc=doc, index=index, kb=kb, rules=rules, quoted=quoted, voice=voice, published=published,
        statements=list(statements),
        light_verbs=kb.word_list("light_verb"), detached_verbs=kb.derived("detached_verbs", _detached_verbs),
        channels=frozenset(key for key, actor in index.actors.items()
                           if actor.kb_id in kb.entries and kb.entries[actor.kb_id].news_media),
        dates=[ent for ent in doc.ents if ent.label_ == "DATE"],
        answers=interview_paragraphs(index.table.text),
    )


# A paragraph of an interview transcript opens with its speaker's label: "((Ana Ruiz)) ...", "Q: ...", "A: ...".
INTERVIEW_LABEL = re.compile(r"^(?:\(\((?P<name>[A-Z][^()\n]{0,60})\)\)|(?P<letter>[QA]):)", re.MULTILINE)


def interview_paragraphs(text: str) -> list[tuple[int, int, int, int]]:
    """The labelled paragraphs of an interview: (start, end, label start, label end), in text order."""
    if "((" not in text and "Q:" not in text:
        return []
    found = []
    for match in INTERVIEW_LABEL.finditer(text):
        end = text.find("\n\n", match.end())
        group = "name" if match.group("name") else "letter"
        found.append((match.start(), len(text) if end < 0 else end, match.start(group), match.end(group)))
    return found


def extract_events(ctx: EventContext) -> tuple[list[Event], list[Claim]]:
    """The document's events (the article's reports) and claims (events in someone's words)."""
    events: dict[tuple, Event] = {}
    claims: dict[tuple, Claim] = {}
    for candidate in trigger_candidates(ctx):
        if ctx.rules.vetoed("event.filter", ctx, candidate):
            continue
        claimant, voice_rule = ctx.rules.first("event.voice", ctx, candidate)
        if claimant == UNATTRIBUTED:
            continue
        for event in code_event(ctx, candidate):
            key = (event.source, event.type, event.target, event.modality)
            if claimant is None:
                events.setdefault(key, event)  # one event per (source, type, target, modality)
            else:
                event = replace(event, rules=(voice_rule, *event.rules))
                claims.setdefault((claimant, *key), Claim(claimant, event, ctx.statement_at(candidate.token)))
    for derived in ctx.rules.rules("event.derived"):
        for event in derived(ctx, list(events.values())):
            event = replace(event, rules=(derived.id, *event.rules))
            events.setdefault((event.source, event.type, event.target, event.modality), event)
    return list(events.values()), list(claims.values())


# -- 1. triggers --------------------------------------------------------------------------------


def trigger_candidates(ctx: EventContext):
    """Tokens whose lemma starts a lexicon row, with the row they match (stage ``event.trigger``)."""
    table = ctx.index.table
    for token in table.with_lemma(table.hashes(ctx.kb.trigger_lemmas)):
        candidate = trigger_at(ctx, token)
        if candidate is not None:
            yield candidate


def trigger_at(ctx: EventContext, token: Token) -> Candidate | None:
    """The lexicon row a token starts, as a candidate (stage ``event.trigger``); None if it starts none."""
    rows = ctx.kb.triggers.get((token.lemma_.lower(), token.pos_)) if token.pos_ in TRIGGER_POS else None
    entry, rule_id = ctx.rules.first("event.trigger", token, rows) if rows else (None, None)
    return Candidate(token, entry, rule_id) if entry is not None else None


@rule("event.trigger.phrase")
def phrase_trigger(token: Token, rows: list[Trigger]) -> Trigger | None:
    """A multiword lexicon row whose other words are present: "pull out", "impose sanction", "peace talk"."""
    for entry in rows:
        words = entry.lemma.split()
        if len(words) == 1:
            continue
        if token.pos_ == "VERB":
            # a particle or preposition ("call on"), or the lemma of the object ("impose sanctions")
            attached = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "advmod") and not dated(c)}
            attached |= {c.lemma_.lower() for c in token.children if c.dep_ in ("dobj", "nsubjpass")}
            attached |= {m.lower_ for m in for_clause_marks(token)}  # "called for X to withdraw"
            if all(word in attached for word in words[1:]):
                return entry
        else:
            # the lexicon lists the modifiers first ("peace talk"), the head last
            modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod")}
            if words[-1] == token.lemma_.lower() and all(w in modifiers for w in words[:-1]):
                return entry
    return None


def for_clause_marks(verb: Token) -> list[Token]:
    """The "for" that opens a for-to clause after the verb, which the parser hangs on the clause: "called for X to withdraw"."""
    return [m for ch in verb.children if ch.dep_ in ("advcl", "ccomp", "xcomp") and ch.i > verb.i
            for m in ch.children if m.dep_ == "mark" and m.lower_ == "for" and m.i > verb.i]


def dated(preposition: Token) -> bool:
    """A preposition introducing a date or time ("on Monday"), not the particle of a phrasal verb ("call on X")."""
    return any(ch.dep_ == "pobj" and ch.ent_type_ in ("DATE", "TIME") for ch in preposition.children)


@rule("event.trigger.word")
def word_trigger(token: Token, rows: list[Trigger]) -> Trigger | None:
    """A one-word lexicon row: the lemma and part of speech of the token ("attack", "sanction")."""
    return next((entry for entry in rows if " " not in entry.lemma), None)


# -- 2. filters ----------------------------------------------------------------------------------


@rule("event.filter.finding")
def states_finding(ctx: EventContext, c: Candidate) -> bool:
    """A verb stating a finding in a clause acts on no one: "the panel concluded that ..."."""
    token = c.token
    return token.pos_ == "VERB" and token.lemma_.lower() in ctx.word_list("finding_verb") and any(
        child.dep_ == "ccomp" for child in token.children)


@rule("event.filter.light_verb_carrier")
def carries_event_noun(ctx: EventContext, c: Candidate) -> bool:
    """A light verb whose object is an event noun only carries that noun's event: "undertook a buildup", "pledged aid"."""
    token = c.token
    if token.pos_ != "VERB" or token.lemma_.lower() not in ctx.light_verbs or " " in c.entry.lemma:
        return False
    objects = [child for child in token.children if child.dep_ == "dobj"]
    # "granted X a pardon": the parser often hangs the second object on the first as an apposition
    objects += [g for child in token.children if child.dep_ == "dative" for g in child.children if g.dep_ == "appos"]
    return any((noun.lemma_.lower(), "NOUN") in ctx.kb.triggers for noun in objects)


@rule("event.filter.naming")
def names_or_judges(ctx: EventContext, c: Candidate) -> bool:
    """A verb with an object predicate names or judges its object, it does not act on it: "called it a mosque", "called the plan a disaster"."""
    return c.token.pos_ == "VERB" and any(child.dep_ == "oprd" for child in c.token.children)


@rule("event.filter.candidacy")
def seeks_office(ctx: EventContext, c: Candidate) -> bool:
    """A verb whose object or "for" phrase is an office or a nomination is a candidacy, no act on anyone: "sought the party's nomination", "challenged X for the leadership".

    Leaving an office ("resigned the leadership") is no candidacy: a withdrawal stays an event."""
    token = c.token
    if token.pos_ != "VERB" or c.entry.type == "RETREAT":
        return False
    offices = ctx.word_list("candidacy_noun")
    sought = [child for child in token.children if child.dep_ == "dobj"]
    sought += [g for child in token.children if child.dep_ == "prep" and child.lower_ == "for"
               for g in child.children if g.dep_ == "pobj"]
    return any(noun.lemma_.lower() in offices or noun.lower_ in offices for noun in sought)


@rule("event.filter.signed_document")
def signs_no_agreement(ctx: EventContext, c: Candidate) -> bool:
    """Signing is an act between parties only for an agreement or with a party: "signed a treaty", "signed with X", not "signed a letter" or "signed the bill into law"."""
    token = c.token
    if c.entry.lemma not in ctx.word_list("signing_word"):
        return False
    signed = [child for child in token.children if child.dep_ in ("dobj", "nsubjpass")]
    signed += [g for child in token.children if child.dep_ == "prep" and child.lower_ == "of"
               for g in child.children if g.dep_ == "pobj"]  # "the signing of the accord"
    if any(agreement is not None and agreement.entry.type == "AGREE"
           for agreement in (trigger_at(ctx, noun) for noun in signed if noun.pos_ == "NOUN")):
        return False
    return not any(child.dep_ == "prep" and child.lower_ == "with" and pobj_actors(ctx, child) for child in token.children)


@rule("event.filter.ergative")
def undergone_by_subject(ctx: EventContext, c: Candidate) -> bool:
    """A verb that, with no object, says what happened to its subject is nobody's act: "the ferry sank", "a car bomb detonated"."""
    token = c.token
    return (token.pos_ == "VERB" and c.entry.lemma in ctx.word_list("ergative_verb")
            and not any(child.dep_ in ("dobj", "nsubjpass", "auxpass", "agent") for child in token.children))


@rule("event.filter.animals")
def acts_on_animals(ctx: EventContext, c: Candidate) -> bool:
    """Killing, culling or seizing animals is no act on anyone: "the ministry ordered the killing of 3,000 pigs"."""
    token = c.token
    animals = ctx.word_list("animal_noun")
    patients = [child for child in token.children if child.dep_ in ("dobj", "nsubjpass")]
    if token.pos_ == "NOUN":
        patients += [g for child in token.children if child.dep_ == "prep" and child.lower_ == "of"
                     for g in child.children if g.dep_ == "pobj"]
    return any(all(word.lemma_.lower() in animals and not ctx.actors_of(word) for word in (noun, *noun.conjuncts))
               for noun in patients)


@rule("event.filter.commemorated")
def commemorated(ctx: EventContext, c: Candidate) -> bool:
    """An act named as what an anniversary or memorial commemorates is history, not news: "the 70th anniversary of the party's takeover"."""
    token = c.token
    return (token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ == "of"
            and token.head.head.lemma_.lower() in ctx.word_list("commemoration_noun"))


@rule("event.filter.left_act")
def left_act(ctx: EventContext, c: Candidate) -> bool:
    """An act someone withdraws from is left, not done: "withdrew from the treaty with X", "pulled out of the talks", "withdrew its support for X"."""
    token = c.token
    if token.pos_ != "NOUN":
        return False
    if token.dep_ == "pobj" and token.head.lower_ in ("from", "of"):
        verb = token.head.head
    elif token.dep_ == "dobj":
        verb = token.head
    else:
        return False
    leaving = trigger_at(ctx, verb) if verb.pos_ == "VERB" else None
    return leaving is not None and leaving.entry.mode in ctx.word_list("untargeted_mode") and leaving.entry.type == "RETREAT"


@rule("event.filter.strict_target")
def lacks_required_target(ctx: EventContext, c: Candidate) -> bool:
    """A row marked '!' is an event only when its target is named: "measures against X", not "safety measures"."""
    return c.entry.strict and not lexicon_arguments(ctx, c.token, c.entry.target)


# -- 3. whose voice ----------------------------------------------------------------------------


@rule("event.voice.quoted_claim")
def quoted_claim(ctx: EventContext, c: Candidate) -> str | None:
    """What a quotation says others did is its speaker's claim, not the article's report.

    What the speakers say they do themselves ("we will respond", "our support for X") is their act."""
    if not ctx.quoted[c.token.i] or first_person_act(c.token):
        return None
    speaker = ctx.voice[c.token.i] if ctx.voice is not None else None
    return speaker or UNATTRIBUTED


UNATTRIBUTED = ""  # a claim nobody can be named for: dropped


@rule("event.voice.interview_answer")
def interview_answer(ctx: EventContext, c: Candidate) -> str | None:
    """An interview's answers are the interviewee's words: what they say others did is their claim ("((Ana Ruiz)) They attacked us")."""
    if not ctx.answers or first_person_act(c.token):
        return None
    at = bisect_right([start for start, *_ in ctx.answers], c.token.idx) - 1
    if at < 0 or c.token.idx >= ctx.answers[at][1]:
        return None
    _, _, label_start, label_end = ctx.answers[at]
    table = ctx.index.table
    for i in range(c.token.i, -1, -1):  # the label's tokens lie before the trigger, in its paragraph
        if table.starts[i] < label_start:
            break
        if table.starts[i] < label_end and ctx.index.actor_of_token[i]:
            return ctx.index.actor_of_token[i]
    label = table.text[label_start:label_end].strip().casefold()  # a label NER did not tag: the name as written
    return next((key for key, actor in ctx.index.actors.items() if actor.name.casefold() == label), UNATTRIBUTED)


def first_person_act(token: Token) -> bool:
    """Whether the trigger's subject, or an event noun's owner, is "we", "I" or "our"."""
    if token.pos_ == "NOUN" and any(ch.dep_ == "poss" and ch.lower_ in FIRST_PERSON for ch in token.children):
        return True
    verb = token if token.pos_ == "VERB" else token.head
    for _ in range(3):
        subjects = [ch for ch in verb.children if ch.dep_ in ("nsubj", "nsubjpass")]
        if subjects:  # "X and I disagreed": the speaker's own act too
            return any(s.lower_ in FIRST_PERSON for s in [subjects[0], *subjects[0].conjuncts])
        if verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


# -- 4. parties ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeFinding:
    """An event type a type rule gives, with its own modality when it is about another word."""

    type: str
    rule: str | None = None
    modality: tuple[str, str | None] | None = None  # (modality, the rule that found it)
    replaces: bool = False  # replaces the lexicon's type instead of adding to it


def code_event(ctx: EventContext, c: Candidate) -> list[Event]:
    """The events of one trigger: its parties, types and modality, with the rules that found them."""
    rules = ctx.rules
    parties, source_rule = rules.first("event.parties", ctx, c)
    target_rule = None
    joint = parties is not None
    if joint:
        sources, targets = list(parties[:1]), list(parties[1:])
    else:
        found, source_rule = rules.first("event.source", ctx, c)
        sources = found or []
        if not sources:
            return []
        c = replace(c, sources=tuple(sources))
        targets, target_rule = find_targets(ctx, c)
        if isinstance(targets, Joint):
            sources, targets, joint = sources[:1], list(targets), True
    modality = event_modality(c.token, ctx.kb, ctx.quoted, rules)
    if modality[1] == "modality.cue.modifier" and own_modifier(c):
        # a phrase row's own words name the act, they are no cue on it ("a false flag operation")
        modality = event_modality(c.token, ctx.kb, ctx.quoted, RuleSet([*rules.disabled, "modality.cue.modifier"]))
    if target_rule == "event.target.responder":
        modality = ("asserted", None)  # an act someone answers was made, whatever the answer ("X rejected Y's demands")
    types = [TypeFinding(c.entry.type)]
    for type_rule in rules.rules("event.type"):
        finding = type_rule(ctx, c, joint, modality[0], sources)
        if finding is None:
            continue
        finding = replace(finding, rule=type_rule.id)
        if finding.replaces:
            types[0] = finding
        elif all(t.type != finding.type for t in types):
            types.append(finding)
    sentence_span = ctx.index.table.sentence(c.token)
    when, _ = rules.first("event.date", ctx, c.token, sentence_span)
    place, _ = rules.first("event.place", ctx, c.token, sentence_span)
    pairs = [(s, t, None) for s in sources for t in ([t for t in targets if t != s] or [None])]
    if rules.on("event.pairs.mutual") and mutual_act(ctx, c):
        pairs += [(t, s, "event.pairs.mutual") for s, t, _ in pairs if t is not None]
    trigger = TextSpan(c.token.idx, c.token.idx + len(c.token.text), c.token.text)
    sentence = ctx.index.table.sentence_text_span(c.token)
    coded = []
    for finding in types:
        event_modality_value, modality_rule = finding.modality or modality
        ids = tuple(r for r in (c.rule, source_rule, target_rule, finding.rule, modality_rule) if r)
        for source, target, pair_rule in pairs:
            if target is None and ctx.kb.plover[finding.type].target_required:
                continue
            if rules.vetoed("event.drop", ctx, c, finding.type, source, target):
                continue
            coded.append(Event(
                type=finding.type, source=source, target=target, modality=event_modality_value,
                trigger=trigger, sentence=sentence, place=place, date=when,
                mode=c.entry.mode if finding.type == c.entry.type else None,
                rules=ids + ((pair_rule,) if pair_rule else ()),
                lexicon_entry=f"{c.entry.lemma} {c.entry.pos} {c.entry.type}",
            ))
    return coded


@rule("event.drop.untargeted")
def untargeted(ctx: EventContext, c: Candidate, event_type: str, source: str, target: str | None) -> bool:
    """An act on no one is an event only if its type or mode stands alone and its doer is no single person: not "X detained".

    Attacks, mobilisations and refusals (ontology list untargeted_type) and withdrawals (untargeted_mode) stand
    alone when a state or group does them; a person's act on no one ("the singer released an album", "the
    candidate withdrew") is no political event, except a resignation or a curfew (individual_mode)."""
    mode = c.entry.mode or ""
    if target is not None or mode in ctx.word_list("individual_mode"):
        return False
    if ctx.index.actors[source].type == "Person":
        return True
    return event_type.lower() not in ctx.word_list("untargeted_type") and mode not in ctx.word_list("untargeted_mode")


@rule("event.drop.contest")
def contest(ctx: EventContext, c: Candidate, event_type: str, source: str, target: str | None) -> bool:
    """Defeating or beating someone with no state or armed group on either side is winning a contest (an election, a vote, a match), not an attack: "Hagen defeated the incumbent senator", "Harbourside beat Northgate 3-1"."""
    if c.entry.lemma not in ctx.word_list("contest_verb"):
        return False
    return not any(fighting_side(ctx, key) for key in (source, target) if key is not None)


def fighting_side(ctx: EventContext, key: str) -> bool:
    """Whether an actor can fight: a state, an armed group the knowledge base knows, or a group named by a collective noun ("rebels")."""
    actor = ctx.index.actors[key]
    entry = ctx.kb.entries.get(actor.kb_id or "")
    return (actor.type == "Country" or (entry is not None and entry.armed_group)
            or actor.name.lower().split()[-1].rstrip("s") in ctx.word_list("collective"))


@rule("event.drop.refused_thing")
def refused_thing(ctx: EventContext, c: Candidate, event_type: str, source: str, target: str | None) -> bool:
    """A refusal aimed at no one is an event only when it denies something or refuses an act: "denied the claims", "rejected the ceasefire", not "opposes abortion" or "declined to hear the case"."""
    if target is not None or c.entry.type != "REJECT" or c.entry.lemma in ctx.word_list("denial_word"):
        return False
    token = c.token
    refused = [child for child in token.children if child.dep_ in ("dobj", "nsubjpass")]
    if token.pos_ == "NOUN":
        refused += [g for child in token.children if child.dep_ == "prep" and child.lower_ == "of"
                    for g in child.children if g.dep_ == "pobj"]
    if token.dep_ == "relcl" and not refused:
        refused = [token.head]  # "the proposal, which the council rejected"
    return not any(noun.pos_ == "NOUN" and trigger_at(ctx, noun) is not None for noun in refused)


@rule("event.drop.demanded_content")
def demanded_content(ctx: EventContext, c: Candidate, event_type: str, source: str, target: str | None) -> bool:
    """What one actor asks or accuses another of is the content of that request or accusation, not an event: "urged X to withdraw".

    An alleged act stated as a clause ("X alleged that Y attacked Z") is reported, as an event of its own
    (ontology list reported_content_type)."""
    node, reported = c.token, c.token.dep_ == "ccomp"
    for _ in range(3):
        if node.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "prep") or node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ not in ("VERB", "NOUN"):
            continue
        governing = trigger_at(ctx, node)
        if governing is None:
            continue
        kind = governing.entry.type.lower()
        if reported and kind in ctx.word_list("reported_content_type"):
            return False  # "X alleged that Y attacked Z": Y's alleged act is reported (hypothetical)
        return kind in ctx.word_list("content_type") and source not in ctx.subjects(node)
    return False


@rule("event.drop.newsgathering")
def newsgathering(ctx: EventContext, c: Candidate, event_type: str, source: str, target: str | None) -> bool:
    """A news medium contacting, interviewing or asking someone, or being told or given something, is its reporting: "the paper asked the mayor", "gave the paper a photo".

    The types that are reporting when a news medium does them, or does them to it, are the ontology list newsgathering_type."""
    return (source in ctx.channels or target in ctx.channels) and event_type.lower() in ctx.word_list("newsgathering_type")


def own_modifier(c: Candidate) -> bool:
    """Whether a modifier of the trigger is a word of its own lexicon row ("false" in "false flag operation")."""
    words = set(c.entry.lemma.split()[:-1]) if c.token.pos_ == "NOUN" else set()
    return any(child.dep_ == "amod" and child.lemma_.lower() in words for child in c.token.children)


@rule("event.parties.between")
def between_parties(ctx: EventContext, c: Candidate) -> tuple[str, ...] | None:
    """An event noun's "between" phrase names parties who act with each other: "talks between A, B and C"."""
    if c.token.pos_ != "NOUN":
        return None
    for child in c.token.children:
        if child.dep_ == "prep" and child.lower_ == "between":
            keys = pobj_actors(ctx, child)
            return tuple(keys) if len(keys) > 1 else None
    return None


@rule("event.pairs.mutual")
def mutual_act(ctx: EventContext, c: Candidate) -> bool:
    """Some acts are done by both sides to each other: "exchanged fire with X", "clashed with X" (ontology list)."""
    return c.entry.lemma in ctx.word_list("mutual_trigger")


# -- 4a. sources --------------------------------------------------------------------------------


@rule("event.source.lexicon")
def lexicon_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The source the lexicon row names: "X hosted Y" (the object hosts), "Y received aid from X"."""
    if not c.entry.source:
        return None
    return lexicon_arguments(ctx, c.token, c.entry.source)  # decides, even when it names no one


@rule("event.source.passive_agent")
def passive_agent_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The "by" agent of a passive: "the town was shelled by the army"."""
    if c.token.pos_ not in ("VERB", "ADJ"):
        return None
    return passive_agent(ctx, c.token) or None


@rule("event.source.authority_passive")
def authority_passive_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An agentless passive act of authority in a state is that state's: "the party was banned in Ruritania"."""
    token = c.token
    if token.pos_ not in ("VERB", "ADJ") or not is_passive(token) or not ctx.is_authority_act(c.entry):
        return None
    return state_where_done(ctx, token) or None


@rule("event.source.agentless_passive")
def agentless_passive(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An agentless passive names no source: "the convoy was attacked" is nobody's act we can name."""
    token = c.token
    if token.pos_ in ("VERB", "ADJ") and is_passive(token) and not passive_agent(ctx, token):
        return []
    return None


@rule("event.source.subject")
def subject_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The subject of a verb or adjective trigger, or of the clause it depends on: "X attacked Y", "X is grateful to Y"."""
    if c.token.pos_ not in ("VERB", "ADJ"):
        return None
    return ctx.subjects(c.token) or None


@rule("event.source.subject_owner")
def subject_owner_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """When the subject is a thing, its owner acts: "Bordurian tanks shelled the town", "US drone strikes killed ..."."""
    if c.token.pos_ not in ("VERB", "ADJ"):
        return None
    for child in c.token.children:
        if child.dep_ == "nsubj" and child.pos_ == "NOUN" and not ctx.actors_of(child):
            modifiers = [m for m in child.children if m.dep_ in ("poss", "compound", "amod")]
            modifiers += [g for m in modifiers if m.dep_ == "compound" for g in m.children if g.dep_ == "compound"]
            return [k for m in modifiers for k in ctx.actors_of(m)] or None
    return None


@rule("event.source.noun_owner")
def noun_owner_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The owner of an event noun: "Ruritania's invasion", "a Bordurian offensive".

    Not of a noun whose owner undergoes it ("Ostia's arrest of X" is Ostia's, "X's arrest" is X's ordeal)."""
    if c.token.pos_ != "NOUN" or patient_owned(ctx, c.token):
        return None
    for child in c.token.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "amod") and ctx.index.actor_at(child)):
            keys = ctx.actors_of(child)
            if child.lower_ in PLURAL_OWNERS and keys:  # "X and Y postponed their talks": both own them
                verb = governing_verb(c.token)
                doers = ctx.subjects(verb) if verb is not None and verb.pos_ == "VERB" else []
                keys = doers if set(keys) <= set(doers) else keys
            if keys:
                return keys
    return None


PLURAL_OWNERS = frozenset({"their", "our"})


@rule("event.source.noun_by")
def noun_by_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The "by" phrase of an event noun: "attacks by the rebels"."""
    if c.token.pos_ != "NOUN":
        return None
    for child in c.token.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            keys = pobj_actors(ctx, child)
            if keys:
                return keys
    return None


@rule("event.source.noun_from")
def noun_from_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The "from" phrase of an event noun names who acts: "threats from the rebels", "support from X".

    Not when the lexicon row makes it the target: "a withdrawal from X" leaves X."""
    if c.token.pos_ != "NOUN" or "prep:from" in c.target_specs:
        return None
    for child in c.token.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            keys = pobj_actors(ctx, child)
            if keys:
                return keys
    return None


@rule("event.source.noun_participle_agent")
def participle_agent_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The agent of a participle on an event noun: "raids carried out by the militia"."""
    if c.token.pos_ != "NOUN":
        return None
    for child in c.token.children:
        if child.dep_ == "acl":
            keys = passive_agent(ctx, child, require_passive=False)
            if keys:
                return keys
    return None


@rule("event.source.conjoined_noun")
def conjoined_noun_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An event noun conjoined with another has its doer: "Ostia's deployment of troops and transfer of missiles to X"."""
    token = c.token
    if token.pos_ != "NOUN" or token.dep_ != "conj" or token.head.pos_ != "NOUN":
        return None
    first = trigger_at(ctx, token.head)
    if first is None:
        return None
    sources, _ = ctx.rules.first("event.source", ctx, first)
    return sources or None


@rule("event.source.ascribed")
def ascribed_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Whom an act is ascribed or blamed on acted: "an attack blamed on the rebels", "X blamed the raid on Y"."""
    token = c.token
    if token.pos_ != "NOUN":
        return None
    ascribing = ctx.word_list("ascribing_verb")
    for child in token.children:
        if child.dep_ == "acl" and child.lemma_.lower() in ascribing:
            keys = ascribed_to(ctx, child.children)
            if keys:
                return keys
    if token.dep_ == "dobj" and token.head.lemma_.lower() in ascribing:
        # the parser often hangs the "on" phrase on the noun, as if the act were on them
        return ascribed_to(ctx, [*token.head.children, *token.children]) or None
    return None


@rule("event.source.claimed")
def claimed_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Who claims an act (or responsibility for it) did it: "the attack was claimed by X", "X claimed responsibility for the raid"."""
    token = c.token
    if token.pos_ != "NOUN":
        return None
    claiming = ctx.word_list("claiming_verb")
    verb, noun = token.head, token
    if token.dep_ == "pobj" and token.head.lower_ == "for" and token.head.head.lemma_.lower() in ctx.word_list(
            "responsibility_noun"):
        noun = token.head.head  # "claimed responsibility for the attack"
        verb = noun.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in claiming or noun.dep_ not in ("dobj", "nsubjpass"):
        return None
    if noun.dep_ == "nsubjpass":
        return passive_agent(ctx, verb) or None
    return ctx.subjects(verb) or None


@rule("event.source.received")
def received_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Support one actor wins or receives from another is the giver's: "X won the backing of Y", "X received aid from Y"."""
    token = c.token
    verb = token.head
    if (token.pos_ != "NOUN" or token.dep_ != "dobj" or verb.pos_ != "VERB"
            or verb.lemma_.lower() not in ctx.word_list("receiving_verb")
            or c.entry.type.lower() not in ctx.word_list("receivable_type")):
        return None
    return [k for ch in [*token.children, *verb.children] if ch.dep_ == "prep" and ch.lower_ in ("of", "from")
            for k in pobj_actors(ctx, ch)] or None


@rule("event.source.trailing_participle")
def trailing_participle_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """A participle right after an event noun with a "by" agent, wherever the parse hangs it: "the raid, reportedly led by X"."""
    noun = c.token
    if noun.pos_ != "NOUN":
        return None
    doc = noun.doc
    end = noun.right_edge.i + 1
    for i in range(end, min(end + 4, len(doc))):
        token = doc[i]
        if token.tag_ == "VBN":
            return [k for ch in token.children if ch.dep_ == "agent" for k in pobj_actors(ctx, ch)] or None
        if not (token.is_punct or token.pos_ == "ADV"):
            return None
    return None


@rule("event.source.host_noun")
def host_noun_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An act named in a phrase of another act noun is done by that act's doer: "their cooperation in support of X"."""
    token = c.token
    if token.pos_ != "NOUN" or token.dep_ != "pobj" or token.head.dep_ != "prep":
        return None
    host = trigger_at(ctx, token.head.head)
    if host is None or host.token.pos_ != "NOUN":
        return None
    sources, _ = ctx.rules.first("event.source", ctx, host)
    return sources or None


@rule("event.source.governing_verb")
def governing_verb_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The subject of the verb an event noun is the object of: "X launched an offensive", "X took part in talks".

    Not when the verb reports, fears, denies or judges another's act ("X condemned the attack"),
    unless it is a light verb."""
    token = c.token
    if token.pos_ != "NOUN":
        return None
    verb = governing_verb(token)
    if verb is None or token.dep_ not in ("dobj", "nsubjpass", "pobj", "conj") or verb.pos_ != "VERB":
        return None
    lemma = verb.lemma_.lower()
    if lemma not in ctx.light_verbs and lemma in ctx.detached_verbs and not meeting_setting(ctx, c):
        return None
    if is_passive(verb) and lemma in ctx.word_list("participation_verb"):  # "X was involved in the attack"
        return [k for ch in verb.children if ch.dep_ == "nsubjpass" for k in ctx.actors_of(ch)] or None
    return passive_agent(ctx, verb) or ctx.subjects(verb) or None  # "an inquiry was opened by X"


@rule("event.source.protesters")
def protesters_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """A protest noun that is its clause's subject, with no doer named, is by the protesters the document names: "protests continued in X" after "the protesters"."""
    if c.token.pos_ != "NOUN" or c.entry.type != "PROTEST" or c.token.dep_ != "nsubj":
        return None
    protesters = ctx.word_list("protester_noun")
    groups = [(len(actor.mentions), key) for key, actor in ctx.index.actors.items()
              if is_generic_group(actor) and key[len(GROUP_KEY_PREFIX):] in protesters]
    return [max(groups)[1]] if groups else None


def meeting_setting(ctx: EventContext, c: Candidate) -> bool:
    """Whether a consultation is the setting of the verb's act ("said at a meeting with X"): its subject took part."""
    token = c.token
    return (c.entry.type == "CONSULT" and token.dep_ == "pobj"
            and token.head.lower_ in ctx.word_list("setting_prep"))


@rule("event.source.light_verb_authority")
def light_verb_authority_source(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An authority's act carried by an agentless passive light verb is the state's there: "was placed under arrest in Ruritania"."""
    token = c.token
    if token.pos_ != "NOUN" or not ctx.is_authority_act(c.entry):
        return None
    verb = governing_verb(token)
    if (verb is None or token.dep_ not in ("dobj", "nsubjpass", "pobj", "conj") or verb.pos_ != "VERB"
            or verb.lemma_.lower() not in ctx.light_verbs or passive_agent(ctx, verb) != []):
        return None
    return state_where_done(ctx, verb) or state_where_done(ctx, token) or None


def governing_verb(noun: Token) -> Token | None:
    """The verb that governs an event noun: its head, over a preposition ("took part in talks") or a
    measure ("gave 5 million dollars of aid")."""
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    carrier = carrier_noun(noun)
    if verb.pos_ in ("NOUN", "NUM") and carrier is not None:
        verb = carrier.head
    return verb if verb.i != noun.i else None


# -- subjects (stage event.subject, used by several rules) -------------------------------------------


@rule("event.subject.own")
def own_subject(ctx: EventContext, verb: Token, hops: int) -> list[str] | None:
    """The verb's own subject; a participle clause as subject speaks through its subject ("the agency operating in X said")."""
    inherited = hops < 3  # a governing passive verb's subject is the dependent act's agent
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj") or (inherited and child.dep_ == "nsubjpass"):
            if in_dateline(ctx, child):
                continue  # "NAIROBI, Kenya — Gunmen attacked ...": the dateline names where, not who
            if relative_pronoun(child):
                return None  # "the army, which attacked X": the noun described (event.subject.relative_antecedent)
            if child.pos_ == "VERB" and child.tag_ in ("VBG", "VBN"):
                return [k for g in child.children if g.dep_ == "nsubj" for k in ctx.actors_of(g)]
            return ctx.actors_of(child)  # decides: a subject that names no actor is not replaced
    return None


@rule("event.subject.on_auxiliary")
def auxiliary_subject(ctx: EventContext, verb: Token, hops: int) -> list[str] | None:
    """A subject the parser hangs on the verb's auxiliary is the verb's: "X has been urging Y" (X under "been")."""
    for aux in verb.children:
        if aux.dep_ in ("aux", "auxpass") and aux.i < verb.i:
            for child in aux.children:
                if child.dep_ in ("nsubj", "nsubjpass") and not relative_pronoun(child):
                    return ctx.actors_of(child)
    return None


@rule("event.subject.object_control")
def controlled_subject(ctx: EventContext, verb: Token, hops: int) -> list[str] | None:
    """The object of a verb of forcing, asking or blaming does what it says: "forced Ruritania to withdraw", "urged X to leave".

    (What is asked or blamed is then no event of its own: event.drop.demanded_content.)"""
    head = _clause_head(verb)
    if not hops or verb.dep_ not in ("xcomp", "pcomp") or head.pos_ != "VERB":
        return None
    objects = [ch for ch in head.children if ch.dep_ == "dobj"]
    keys = [k for ch in objects for k in ctx.actors_of(ch)]
    keys = keys or [k for ch in objects for g in ch.children if g.dep_ == "poss" for k in ctx.actors_of(g)]  # "its army"
    keys = keys or [k for ch in head.children if ch.dep_ == "prep" and ch.lower_ in ("on", "upon", "to")
                    for k in pobj_actors(ctx, ch)]  # "called on X to withdraw", "appealed to X to"
    if not keys and objects and (asking := trigger_at(ctx, head)) is not None and (
            asking.entry.type.lower() in ctx.word_list("content_type")):
        return []  # "asked the government to expel X": the one asked acts, though it names no actor we know
    return keys or None


@rule("event.subject.noun_owner")
def noun_clause_owner(ctx: EventContext, verb: Token, hops: int) -> list[str] | None:
    """A clause on a noun is the act of the noun's owner: "Ruritania's plan to invade", "a memo from X complaining ...".

    Not a passive participle: "Bordurian soldiers killed in the attack" were its victims, not its doers."""
    head = _clause_head(verb)
    if not hops or verb.dep_ != "acl" or head.pos_ not in ("NOUN", "PROPN"):
        return None
    if passive_participle(verb):
        return []  # decides: the agent, if any, is the participle's "by" phrase (event.source.passive_agent)
    owner = ctx.actors_of(head) or [k for ch in head.children if ch.dep_ == "poss" for k in ctx.actors_of(ch)]
    owner = owner or [k for ch in head.children if ch.dep_ == "prep" and ch.lower_ in ("from", "by")
                      for k in pobj_actors(ctx, ch)]
    governor = governing_verb(head) if head.dep_ in ("dobj", "pobj") else None
    if not owner and governor is not None and governor.pos_ == "VERB":
        owner = ctx.subjects(governor, hops - 1)  # "X sent Y a letter complaining ...", "X voted on a bill to ban Y"
    return owner  # decides


@rule("event.subject.inherited")
def inherited_subject(ctx: EventContext, verb: Token, hops: int) -> list[str] | None:
    """A dependent verb's subject is its clause's: "X decided to attack", "X allied with Y in fighting Z"."""
    head = _clause_head(verb)
    if not hops or verb.dep_ not in SUBJECT_INHERITING_DEPS or head.i == verb.i:
        return None
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return None  # the noun's owner acts (event.subject.noun_owner)
    return ctx.subjects(head, hops - 1)


@rule("event.subject.relative_antecedent")
def relative_antecedent(ctx: EventContext, verb: Token, hops: int) -> list[str] | None:
    """A relative clause's subject is the noun it describes: "the militia which attacked the town"."""
    if verb.dep_ != "relcl":
        return None
    head = verb.head
    return ctx.actors_of(head) or [k for ch in head.children if ch.dep_ == "compound" for k in ctx.actors_of(ch)]


DATELINE_DASHES = frozenset({"—", "–", "-", "--"})


def in_dateline(ctx: EventContext, token: Token) -> bool:
    """Whether a token is in the dateline that opens a paragraph: a place in capitals and a dash ("LIMA —",
    "NAIROBI, Kenya (Reuters) -"), not a subject set off by dashes ("Kenya — a large country — said")."""
    sentence = ctx.index.table.sentence(token)
    start = sentence.start
    if start > 0 and "\n" not in ctx.doc[start - 1].whitespace_ + ctx.doc[start - 1].text:
        return False  # not at the start of a paragraph
    first = next((w for w in sentence if not w.is_space), None)
    if first is None or not (first.is_alpha and first.is_upper and len(first) > 1):
        return False
    for i in range(start, min(start + 8, sentence.end)):
        word = ctx.doc[i]
        if word.text in DATELINE_DASHES:
            return token.i < i
        if not (word.pos_ in ("PROPN", "PUNCT", "NUM") or word.is_space):
            return False
    return False


RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})


def relative_pronoun(token: Token) -> bool:
    """A pronoun that stands for the noun its relative clause describes ("the army, which ...")."""
    return token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl" and token.i < token.head.i


def _clause_head(verb: Token) -> Token:
    head = verb.head
    if head.pos_ == "ADP" and head.head.i != head.i:  # "in fighting X": over the preposition
        head = head.head
    return head


# -- 4b. targets --------------------------------------------------------------------------------


def find_targets(ctx: EventContext, c: Candidate) -> tuple[list[str] | Joint, str | None]:
    """The first target rule that names an actor other than the sources. A news medium is the channel
    of an act ("spoke on a TV channel"), not its target, unless the act is on it directly."""
    direct = None
    for target_rule in ctx.rules.rules("event.target"):
        found = target_rule(ctx, c)
        if found is None:
            continue
        if isinstance(found, Joint):
            return found, target_rule.id
        keys = [k for k in found if k not in c.sources]
        if ctx.channels & set(keys) and ctx.rules.on("event.target_filter.channel"):
            if direct is None:
                direct = {k for ch in c.token.children if ch.dep_ in ("dobj", "nsubjpass") for k in ctx.actors_of(ch)}
            keys = [k for k in keys if k not in ctx.channels or k in direct]
        if keys:
            return keys, target_rule.id
    return [], None


@rule("event.target_filter.channel")
def channel_is_no_target(ctx: EventContext, c: Candidate) -> None:
    """A news medium is the channel of an act, not its target: "said on a TV channel", unless the act is on it ("sued the paper")."""
    return None  # a switch: find_targets applies it to every target rule's result


@rule("event.target.passive_subject")
def passive_subject_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The passive subject of a verb whose target is its object: "a camp of Bordurian refugees was attacked"."""
    token = c.token
    if token.pos_ != "VERB" or "dobj" not in c.target_specs or not c.parse_targets:
        return None
    if not any(ch.dep_ == "nsubjpass" for ch in token.children):
        return None
    return [k for ch in token.children if ch.dep_ == "nsubjpass" for k in first_actor_in(ctx, ch)] or None


@rule("event.target.participle_noun")
def participle_noun_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """A passive participle acts on the noun it describes: "Bordurian soldiers killed by the rebels"."""
    token = c.token
    if token.pos_ != "VERB" or not passive_participle(token) or not c.parse_targets:
        return None
    return first_actor_in(ctx, token.head) or None


def passive_participle(verb: Token) -> bool:
    """A participle describing the noun that undergoes it ("soldiers killed in the attack"), not a past
    tense the parser hung on its subject ("the officials condemned the attack")."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(ch.dep_ == "dobj" for ch in verb.children)


@rule("event.target.receiver")
def receiver_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Who wins or receives support is its target: "X won the backing of Y" (Y SUPPORT X)."""
    if c.token.dep_ != "dobj" or received_source(ctx, c) is None:
        return None
    return ctx.subjects(c.token.head) or None


@rule("event.target.patient_owner")
def patient_owner_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The owner of an act that the owner undergoes is its target: "ordered Ilse Varga's arrest", "Ostia's release"."""
    if not c.parse_targets or not patient_owned(ctx, c.token):
        return None
    return [k for ch in c.token.children if ch.dep_ == "poss" for k in ctx.actors_of(ch)] or None


def patient_owned(ctx: EventContext, noun: Token) -> bool:
    """Whether an event noun's possessor undergoes the act: a patient noun without an "of" phrase ("X's arrest")."""
    return (noun.pos_ == "NOUN" and noun.lemma_.lower() in ctx.word_list("patient_noun")
            and any(ch.dep_ == "poss" for ch in noun.children)
            and not any(ch.dep_ == "prep" and ch.lower_ == "of" for ch in noun.children))


@rule("event.target.lexicon")
def lexicon_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The target as the lexicon row says it attaches: "talks with X" (prep:with), "sanctions on X" (prep:on)."""
    if not c.parse_targets:
        return None
    return lexicon_arguments(ctx, c.token, c.target_specs) or None


@rule("event.target.co_subjects_cooperating")
def co_subjects_cooperating(ctx: EventContext, c: Candidate) -> Joint | None:
    """Several actors doing a reciprocal act together do it with each other: "Ruritania and Borduria signed a pact".

    Reciprocal are agreeing, meeting, cooperating and signing (ontology list reciprocal_type), done by the
    subjects; what they act on is their own, not a target ("they held talks on their border"). Aid by
    several actors, or an act several agents of a passive did ("was backed by X and Y"), is for someone else."""
    if (len(c.sources) > 1 and c.entry.type.lower() in ctx.word_list("reciprocal_type")
            and not (c.token.pos_ == "VERB" and is_passive(c.token))):
        return Joint(c.sources[1:])
    return None


@rule("event.target.direct_object")
def direct_object_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The actor a verb's object (or indirect object) names: "attacked Bordurian positions", "gave Ruritania a loan".

    When the lexicon row names the target otherwise, only as the row says it attaches, to the object:
    "lifted the ban on X" (prep:on), but not the topic of "discussed the situation in X"."""
    if c.token.pos_ != "VERB" or not c.parse_targets:
        return None
    own_object = bool({"dobj", "dative"} & set(c.target_specs))
    for child in c.token.children:
        if child.dep_ in ("dobj", "dative"):
            found = first_actor_in(ctx, child) if own_object else lexicon_arguments(ctx, child, c.target_specs)
            if found:
                return found
    return None


@rule("event.target.shared_object")
def shared_object_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Conjoined verbs share their object, or the actor a directed preposition of the other introduces.

    "financed and armed the militia", "fired and landed a round on a protester"."""
    token = c.token
    if token.pos_ != "VERB" or not c.parse_targets or any(ch.dep_ == "dobj" for ch in token.children):
        return None
    for partner in token.conjuncts:
        for child in partner.children:
            if child.dep_ == "dobj":
                found = first_actor_in(ctx, child)
                if found:
                    return found
        found = preposition_objects(ctx, partner)
        if found:
            return found
    return None


@rule("event.target.directed_preposition")
def directed_preposition_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The actor a directed preposition introduces: "aid to X", "pressure on X" (ontology list directed_prep)."""
    if not c.parse_targets:
        return None
    return preposition_objects(ctx, c.token) or None


@rule("event.target.clause_subject")
def clause_subject_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The subject of the clause an act asks or blames something of: "demanded that X withdraw"."""
    if not c.parse_targets:
        return None
    return clause_subject(ctx, c.token) or None


@rule("event.target.complement")
def complement_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The target of what is offered, threatened or promised: "offered to hand them over to X", "its willingness to meet X"."""
    if c.token.pos_ not in ("VERB", "NOUN") or not c.parse_targets:
        return None
    for child in c.token.children:
        if child.dep_ == "xcomp" or (child.dep_ == "acl" and c.token.pos_ == "NOUN" and child.pos_ == "VERB"):
            words = phrase_words(ctx, child) if ctx.rules.on("event.target_filter.clause_words") else child.subtree
            for candidate in words:
                if candidate.i != child.i and candidate.dep_ in ("dobj", "dative", "pobj"):
                    keys = ctx.actors_of(candidate)
                    if keys:
                        return keys
    return None


@rule("event.target.letter_recipient")
def letter_recipient_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The recipient of the message a verb describes: "sent X a memo complaining ..."."""
    token = c.token
    if token.pos_ != "VERB" or not c.parse_targets or token.dep_ != "acl" or token.head.dep_ != "dobj":
        return None
    for child in token.head.head.children:
        if child.dep_ == "dative" or (child.dep_ == "prep" and child.lower_ == "to"):
            keys = ctx.actors_of(child) or pobj_actors(ctx, child)
            if keys:
                return keys
    return None


@rule("event.target.carrier_recipient")
def carrier_recipient_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """The recipient of the verb that carries an event noun: "gave X a grant", "gave thanks to X"."""
    carrier = carrier_noun(c.token) if c.parse_targets else None
    if carrier is None:
        return None
    for child in carrier.head.children:
        if child.dep_ == "dative" or (child.dep_ == "dobj" and child.i != carrier.i):
            found = ctx.actors_of(child) or (pobj_actors(ctx, child) if child.pos_ == "ADP" else [])
            if found:
                return found
    return None


@rule("event.target.carrier_clause")
def carrier_clause_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """What the carrying verb's preposition or clause names: "repeated its demand that X release ..."."""
    carrier = carrier_noun(c.token) if c.parse_targets else None
    if carrier is None:
        return None
    verb = carrier.head
    found = preposition_objects(ctx, verb) or clause_subject(ctx, verb)
    if not found and "purpose" in c.target_specs:  # "staged a strike to demand the resignation of X"
        found = lexicon_arguments(ctx, verb, ("purpose",))
    return found or None


@rule("event.target.arrested_subject")
def arrested_subject_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Who is put under an authority's act is its target: "a reporter was placed under arrest"."""
    token = c.token
    if token.pos_ != "NOUN" or token.dep_ != "pobj" or not ctx.is_authority_act(c.entry) or not c.parse_targets:
        return None
    verb = token.head.head
    if verb.pos_ != "VERB" or not any(ch.dep_ == "auxpass" for ch in verb.children):
        return None
    return [k for ch in verb.children if ch.dep_ == "nsubjpass" for k in first_actor_in(ctx, ch)] or None


@rule("event.target.co_subjects")
def co_subjects(ctx: EventContext, c: Candidate) -> Joint | None:
    """Several sources of a mutual or joint act and no target act with each other: "X and Y clashed", "X and Y held drills"."""
    if len(c.sources) < 2 or not c.parse_targets:
        return None
    joint = mutual_act(ctx, c) or c.entry.type.lower() in ctx.word_list("joint_type")
    return Joint(c.sources[1:]) if joint else None


@rule("event.target.addressee")
def addressee_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An act that needs a target and names none is on the addressee of its message: "in a letter to X, Y demanded ..."."""
    if not ctx.kb.plover[c.entry.type].target_required:
        return None
    token = c.token
    verb = token if token.pos_ == "VERB" else token.head
    documents = ctx.word_list("document")
    for child in verb.children:
        if child.dep_ != "prep":
            continue
        for message in child.children:
            if message.dep_ == "pobj" and message.lemma_.lower() in documents:
                for prep in message.children:
                    if prep.dep_ == "prep" and prep.lower_ == "to":
                        keys = pobj_actors(ctx, prep)
                        if keys:
                            return keys
    return None


@rule("event.target.responder")
def responder_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An actor's demand, offer or criticism that another answers is aimed at the one answering: "X rejected Y's demands"."""
    token = c.token
    if token.pos_ != "NOUN" or token.dep_ not in ("dobj", "nsubjpass") or not c.parse_targets:
        return None
    verb = token.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in ctx.word_list("response_verb"):
        return None
    if not any(ch.dep_ == "poss" or (ch.dep_ in ("compound", "amod") and ctx.index.actor_at(ch))
               for ch in token.children):
        return None  # only an act whose owner the noun names: "rejected the demands" may be anyone's
    return (passive_agent(ctx, verb) if token.dep_ == "nsubjpass" else ctx.subjects(verb)) or None


@rule("event.target.circumstance_subject")
def circumstance_subject_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An act named as the circumstance of another targets the other's subject: "at X's request, Y returned", "despite criticism by X, Y went ahead"."""
    token = c.token
    if token.pos_ != "NOUN" or token.dep_ != "pobj" or not c.parse_targets or c.entry.type == "CONSULT":
        return None  # a meeting is the setting of an act, not an act on its doer ("spoke at the summit")
    preposition = token.head
    if preposition.lower_ not in ctx.word_list("circumstance_prep") or preposition.head.pos_ != "VERB":
        return None
    return ctx.subjects(preposition.head) or None


@rule("event.target.described_subject")
def described_subject_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """Whom a sentence calls the subject or target of an act is acted on: "X has been the target of Y's sanctions"."""
    token = c.token
    if token.pos_ != "NOUN" or token.dep_ != "pobj" or token.head.lower_ != "of" or not c.parse_targets:
        return None
    undergoer = token.head.head
    if undergoer.lemma_.lower() not in ctx.word_list("undergoer_noun"):
        return None
    return described_actor(ctx, undergoer) or None


@rule("event.target.requested_owner")
def requested_owner_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """A request for an act targets the act's owner, or whom the act is on: "called for X's resignation", "called for protests against X".

    The owner is asked to act ("demanded X's withdrawal", "called for X to withdraw"); otherwise the request is made
    against the act's target."""
    if c.entry.type != "REQUEST" or c.token.pos_ != "VERB":
        return None
    objects = [ch for ch in c.token.children if ch.dep_ == "dobj"]
    wanted = [g for ch in c.token.children if ch.dep_ == "prep" and ch.lower_ == "for"
              for g in ch.children if g.dep_ == "pobj"]
    asked = [k for mark in for_clause_marks(c.token) for ch in mark.head.children if ch.dep_ in ("nsubj", "nsubjpass")
             for k in ctx.actors_of(ch)]
    if asked:  # "called for X to withdraw": X is asked
        return asked
    if wanted:  # "asked X for help": X is asked
        addressees = [k for noun in objects for k in ctx.actors_of(noun)]
        if addressees:
            return addressees
    for noun in [*objects, *wanted]:
        if ctx.actors_of(noun):
            continue  # "sought a federal Europe" asks nothing of Europe
        keys = [k for ch in noun.children if ch.dep_ in ("poss", "compound") for k in ctx.actors_of(ch)]
        requested = trigger_at(ctx, noun) if not keys and noun.pos_ == "NOUN" else None
        if requested is not None:  # "called for protests against X"
            keys = lexicon_arguments(ctx, noun, requested.target_specs)
        if keys:
            return keys
    return None


@rule("event.target.condition_subject")
def condition_subject_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """A threat on a condition targets who would meet the condition: "threatened to close the border if X sent troops"."""
    if c.entry.type != "THREATEN" or c.token.pos_ != "VERB" or not c.parse_targets:
        return None
    conditions = ctx.word_list("condition_mark")
    for clause in [c.token, *(ch for ch in c.token.children if ch.dep_ == "xcomp")]:
        for child in clause.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in conditions for m in child.children):
                keys = [k for g in child.children if g.dep_ in ("nsubj", "nsubjpass") for k in ctx.actors_of(g)]
                if keys:
                    return keys
    return None


@rule("event.target.conjoined_act")
def conjoined_act_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An act that needs a target and names none is addressed to whom its doer meets in the same breath: "met with X and offered an apology".

    Only a consultation (a meeting, a visit, a call) names the addressee of the acts conjoined with it:
    "defended its record and criticised X" says nothing of whom the defence was for."""
    if not c.parse_targets or not ctx.kb.plover[c.entry.type].target_required:
        return None
    token = c.token
    verb = token if token.pos_ == "VERB" else governing_verb(token) if token.dep_ in ("dobj", "pobj") else None
    if verb is None or verb.pos_ != "VERB":
        return None
    for partner in verb.conjuncts:
        if not set(ctx.subjects(partner)) & set(c.sources):
            continue  # "X met Y and Z apologised": another's act
        row = trigger_at(ctx, partner)
        if row is None or row.entry.type != "CONSULT" or not row.parse_targets:
            continue
        keys = lexicon_arguments(ctx, partner, row.target_specs)
        if keys:
            return keys
    return None


@rule("event.target.place_state")
def place_state_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """An act on a place is on the state it belongs to, when not the source's own: "demolished homes in a Bordurian town"."""
    index = ctx.index
    source_countries = {index.actors[k].country for k in c.sources}
    for child in c.token.children:
        if child.dep_ not in ("dobj", "prep", "xcomp"):  # xcomp: "threatened to impose a curfew in X"
            continue
        for candidate in child.subtree:
            place = index.places.get(index.place_of_token[candidate.i] or "")
            state = ctx.kb.state(place.country) if place is not None else None
            if state is not None and state.country not in source_countries:
                return [index.kb_actor(state)]
    return None


@rule("event.target.protest_site")
def protest_site_target(ctx: EventContext, c: Candidate) -> list[str] | None:
    """A protest against no one named is against the state where it takes place: "thousands marched in Ostia's capital".

    The place may hang on a verb of occurring that a protest noun is the subject of: "protests continued in Ostia's
    capital", "demonstrations took place in Zenda" (ontology list occurrence_verb)."""
    if c.entry.type != "PROTEST" or not c.parse_targets:
        return None
    index = ctx.index
    locative = ctx.word_list("locative_prep")
    token = c.token
    occurring = token.pos_ == "NOUN" and token.dep_ == "nsubj" and token.head.lemma_.lower() in ctx.word_list(
        "occurrence_verb")
    phrases = [*token.children, *(token.head.children if occurring else ())]
    for child in phrases:
        if child.dep_ != "prep" or child.lower_ not in locative:
            continue
        for candidate in child.subtree:
            key = index.actor_of_token[candidate.i]
            if key and index.actors[key].type == "Country":
                return [key]
            place = index.places.get(index.place_of_token[candidate.i] or "")
            state = ctx.kb.state(place.country) if place is not None else None
            if state is not None:
                return [index.kb_actor(state)]
    return None


# -- 5. types -----------------------------------------------------------------------------------


@rule("event.type.joint_cooperation")
def joint_cooperation(ctx: EventContext, c: Candidate, joint: bool, modality: str, sources) -> TypeFinding | None:
    """Military activity done together by several actors is cooperation: "Ruritanian and Bordurian warships held exercises"."""
    if joint and c.entry.type.lower() in ctx.word_list("joint_type"):
        return TypeFinding("COOPERATE", replaces=True)
    return None


@rule("event.type.verbal_attack")
def verbal_attack(ctx: EventContext, c: Candidate, joint: bool, modality: str, sources) -> TypeFinding | None:
    """A person's attack on a person or an organisation is made in words (ACCUSE): "the senator attacked the governor over the budget".

    The words are those whose attack may be verbal (ontology list verbal_attack_word); an attack on a state, or
    by a state or a group, stays an assault."""
    if c.entry.type != "ASSAULT" or c.entry.lemma not in ctx.word_list("verbal_attack_word") or not sources:
        return None
    actors = ctx.index.actors
    if any(actors[key].type != "Person" for key in sources):
        return None
    targets, _ = find_targets(ctx, c)
    if isinstance(targets, Joint) or not targets or any(actors[key].type == "Country" for key in targets):
        return None
    return TypeFinding("ACCUSE", replaces=True)


@rule("event.type.promise")
def promise_type(ctx: EventContext, c: Candidate, joint: bool, modality: str, sources) -> TypeFinding | None:
    """An actor's own announcement of a future act is a promise (AGREE) or, if conflictual or conditional, a threat (THREATEN).

    It must be the actor's own voice (a reporting verb, a commitment word such as pledge or vow,
    or "will"), not a forecast ("is to meet", "could attack") nor another's warning ("X warned
    that Y would invade")."""
    if modality != "hypothetical":
        return None
    kb, token = ctx.kb, c.token
    reporting, commitments = kb.cue_words("reporting"), kb.cue_words("hypothetical")
    announced = conditional = committed = False
    announcer: Token | None = None  # the verb that announces it ("said", "vowed"), if any
    carrier = carrier_noun(token)
    for ancestor in [token, *token.ancestors]:
        lemma = ancestor.lemma_.lower()
        if ancestor.i != token.i and kb.cue_words("negated").get(lemma) == "governor":
            return None  # "refused to offer a loan": no promise
        if any(ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in kb.cue_words("condition")
                                          for m in ch.children) for ch in ancestor.children):
            conditional = True  # "will withdraw its force unless ...": an ultimatum
        if lemma in kb.cue_words("commitment") or ancestor.lower_ in kb.cue_words("commitment"):
            announced = committed = True  # "officials said the rebels vowed to fight": the rebels' threat
            announcer = announcer or (ancestor if ancestor.i != token.i else None)
        if any(ch.dep_ == "aux" and ch.lower_ in kb.cue_words("future") for ch in ancestor.children):
            announced = True  # "X will give Y a grant": a stated intention
        if ancestor.pos_ == "VERB" and lemma in reporting and lemma not in commitments:
            speakers = ctx.subjects(ancestor)
            if speakers and not set(speakers) & set(sources) and not committed:
                return None  # someone else's words about the source
            announced = True
            announcer = announcer or ancestor
            break
        if ancestor.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "acomp") and not (
                carrier is not None and (ancestor == carrier or carrier in ancestor.ancestors)):
            break
    quad = kb.plover[c.entry.type].quad_class or ""
    if not announced or not quad:
        return None
    if "Cooperation" in quad and not conditional:
        return TypeFinding("AGREE")
    made = announced_threat(announcer, conditional, kb, ctx.quoted, ctx.rules) if ctx.rules.on(
        "modality.announced_threat") else None
    return TypeFinding("THREATEN", modality=made)


@rule("event.type.agreement_exit")
def agreement_exit_type(ctx: EventContext, c: Candidate, joint: bool, modality: str, sources) -> TypeFinding | None:
    """Withdrawing from an agreement rejects it (REJECT): "X withdrew from the treaty with Y", "X pulled out of the deal"."""
    if c.entry.type != "RETREAT":
        return None
    for child in c.token.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "of"):
            for noun in child.children:
                left = trigger_at(ctx, noun) if noun.dep_ == "pobj" and noun.pos_ == "NOUN" else None
                if left is not None and left.entry.type == "AGREE":
                    return TypeFinding("REJECT", replaces=True)
    return None


@rule("event.type.readiness")
def readiness_type(ctx: EventContext, c: Candidate, joint: bool, modality: str, sources) -> TypeFinding | None:
    """Readying an act of force is also a mobilisation (MOBILIZE): "prepared to resume shelling", "gearing up for an offensive"."""
    if c.entry.type != "ASSAULT":
        return None
    words = ctx.word_list("readiness_word")
    node = c.token
    for _ in range(3):
        if node.dep_ not in ("xcomp", "dobj", "acomp", "pobj", "prep") or node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "ADJ") and (node.lemma_.lower() in words or node.lower_ in words):
            return TypeFinding("MOBILIZE", modality=event_modality(node, ctx.kb, ctx.quoted, ctx.rules))
    return None


@rule("event.type.refusal")
def refusal_type(ctx: EventContext, c: Candidate, joint: bool, modality: str, sources) -> TypeFinding | None:
    """An actor declining an agreement rejects it (REJECT): "X refused to sign the accord", "X will not accept"."""
    if c.entry.type != "AGREE" or modality != "negated":
        return None
    decliner = _decliner(ctx, c.token, sources)
    if decliner is None:
        return None
    return TypeFinding("REJECT", modality=event_modality(decliner, ctx.kb, ctx.quoted, ctx.rules))


def _decliner(ctx: EventContext, token: Token, sources: list[str]) -> Token | None:
    """The negation or negating governor ("refuse", "fail") by which the source itself declines the act."""
    if token.pos_ == "VERB" and sources and set(ctx.subjects(token)) & set(sources):
        negation = next((ch for ch in token.children if ch.dep_ == "neg"), None)
        if negation is not None:
            return negation
    negators = ctx.kb.derived("declining_governors", lambda k: frozenset(
        cue for cue, scope in k.cue_words("negated").items() if scope == "governor") - k.cue_set("reporting"))
    carrier = carrier_noun(token)
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "ADJ") and ancestor.lemma_.lower() in negators:
            return ancestor if set(ctx.subjects(ancestor)) & set(sources) else None
        if ancestor.dep_ not in ("xcomp", "acomp") and not (carrier is not None and carrier.head == ancestor):
            return None
    return None


# -- date and place -----------------------------------------------------------------------------


@rule("event.date.sentence")
def sentence_date(ctx: EventContext, token: Token, sentence: Span) -> date | None:
    """The date expression of the trigger's sentence nearest to it, resolved against the publication date."""
    dates = [ent for ent in ctx.dates if sentence.start <= ent.start < sentence.end]
    if not dates:
        return None
    nearest = min(dates, key=lambda ent: abs(ent.root.i - token.i))
    return resolve_date(nearest.text, ctx.published)


@rule("event.place.sentence")
def sentence_place(ctx: EventContext, token: Token, sentence: Span) -> str | None:
    """A place of the trigger's sentence: one the trigger governs first, else the nearest."""
    best, best_distance = None, None
    places = ctx.index.place_of_token
    doc = sentence.doc
    for i in range(sentence.start, sentence.end):  # the arrays first: a Token only for places
        key = places[i]
        if key is None:
            continue
        distance = abs(i - token.i)
        if token in doc[i].ancestors:
            distance -= 100
        if best_distance is None or distance < best_distance:
            best, best_distance = key, distance
    return best


# -- 7. events no trigger row names --------------------------------------------------------------


@rule("event.derived.obligation")
def obligations(ctx: EventContext, events: list[Event]) -> list[Event]:
    """What one actor says or finds another must do is a demand of it (REQUEST): "X said Y must return the ship"."""
    table = ctx.index.table
    obligation = ctx.kb.cue_words("obligation")
    verbs = ctx.kb.derived("obligation_verbs", lambda k: k.cue_set("reporting") | k.word_list("finding_verb"))
    found = []
    for verb in table.with_lemma(table.hashes(verbs)):
        if verb.pos_ != "VERB" or ctx.quoted[verb.i]:
            continue
        for clause in verb.children:
            if clause.dep_ != "ccomp" or not any(ch.dep_ == "aux" and ch.lemma_.lower() in obligation
                                                 for ch in clause.children):
                continue
            demanded = [k for ch in clause.children if ch.dep_ in ("nsubj", "nsubjpass") for k in ctx.actors_of(ch)]
            modality, modality_rule = event_modality(verb, ctx.kb, ctx.quoted, ctx.rules)
            for source in ctx.subjects(verb):
                for target in demanded:
                    if source != target:
                        found.append(_derived_event(ctx, "REQUEST", source, target, verb, modality, modality_rule))
    return found


@rule("event.derived.finding")
def findings(ctx: EventContext, events: list[Event]) -> list[Event]:
    """An institution that finds another did a hostile act accuses it (ACCUSE): "a UN report states that attacks by X ..."."""
    doc = ctx.doc
    finding_verbs, documents = ctx.word_list("finding_verb"), ctx.word_list("document")
    found = []
    for event in events:
        if (ctx.kb.plover[event.type].quad_class or "") != "MaterialConflict" or event.modality != "asserted":
            continue
        trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is None:
            continue
        verb = next((a for a in islice(trigger.root.ancestors, 4)
                     if a.pos_ == "VERB" and a.lemma_.lower() in finding_verbs and not ctx.quoted[a.i]), None)
        if verb is None:
            continue
        finders: list[str] = []
        for subject in (ch for ch in verb.children if ch.dep_ == "nsubj"):
            finders = ctx.actors_of(subject)
            if not finders and subject.lemma_.lower() in documents:  # "a UN report states"
                finders = [k for ch in subject.children if ch.dep_ in ("compound", "poss", "amod")
                           for k in ctx.actors_of(ch)]
        modality, modality_rule = event_modality(verb, ctx.kb, ctx.quoted, ctx.rules)
        for finder in finders:
            if finder != event.source and ctx.index.actors[finder].type != "Person":
                found.append(_derived_event(ctx, "ACCUSE", finder, event.source, verb, modality, modality_rule,
                                            sentence=event.sentence))
    return found


@rule("event.derived.characterisation")
def characterisations(ctx: EventContext, events: list[Event]) -> list[Event]:
    """An actor who calls another's conduct a wrong, in its own words, accuses it (ACCUSE): "Borduria's brutality"."""
    if ctx.voice is None:
        return []
    table = ctx.index.table
    found = []
    for token in table.with_lemma(table.hashes(ctx.word_list("wrongdoing_word"))):
        speaker = ctx.voice[token.i]  # only a speaker's or an author's words: the reporter's are no act
        if speaker is None:
            continue
        conduct = token if token.pos_ == "NOUN" else token.head if token.dep_ == "amod" else None
        if conduct is None or conduct.pos_ != "NOUN":
            continue
        owners = [k for ch in conduct.children if ch.dep_ in ("poss", "compound", "amod") for k in ctx.actors_of(ch)]
        owners = owners or [k for ch in conduct.children if ch.dep_ == "prep" and ch.lower_ == "by"
                            for k in pobj_actors(ctx, ch)]
        owners = owners or [k for ch in conduct.children if ch.dep_ == "prep" and ch.lower_ == "of"
                            for g in ch.children if g.dep_ == "pobj" and not wronged_thing(ctx, g)
                            for k in pobj_actors(ctx, ch)]
        for owner in owners:
            if owner != speaker:
                found.append(_derived_event(ctx, "ACCUSE", speaker, owner, token, "asserted", None))
    return found


def wronged_thing(ctx: EventContext, noun: Token) -> bool:
    """Whether a noun is a thing an actor owns, not the actor: "Iraqi sovereignty", "Kenya's rights" (in "a
    violation of X" it is the wronged), unlike "the Kenyan army" or "the regime" (the doers)."""
    return (not noun.ent_type_ and noun.lemma_.lower() not in ctx.word_list("state_body")
            and any(ctx.index.actor_at(child) for child in noun.children if child.dep_ in ("amod", "poss", "compound")))


def _derived_event(ctx: EventContext, event_type: str, source: str, target: str, token: Token, modality: str,
                   modality_rule: str | None, sentence: TextSpan | None = None) -> Event:
    return Event(type=event_type, source=source, target=target, modality=modality,
                 trigger=TextSpan(token.idx, token.idx + len(token.text), token.text),
                 sentence=sentence or ctx.index.table.sentence_text_span(token),
                 rules=(modality_rule,) if modality_rule else ())


# -- token helpers: tokens and the actors they name -------------------------------------------------


def is_passive(verb: Token) -> bool:
    """A passive verb or participle ("fishermen detained by X"), or one conjoined with a passive verb ("taken
    and held by soldiers"), not one with a subject or auxiliary of its own ("was claimed by X, but Y has alleged")."""
    if any(ch.dep_ in ("nsubjpass", "auxpass") for ch in verb.children) or passive_participle(verb):
        return True
    return (verb.dep_ == "conj" and verb.tag_ == "VBN" and is_passive(verb.head)
            and not any(ch.dep_ in ("nsubj", "aux") for ch in verb.children))


def passive_agent(ctx: EventContext, verb: Token, require_passive: bool = True) -> list[str] | None:
    """The "by" agent of a passive verb or its conjuncts; None when the verb is not passive."""
    if require_passive and not is_passive(verb):
        return None
    for candidate in [verb, *verb.conjuncts]:
        for child in candidate.children:
            if child.dep_ == "agent":
                keys = pobj_actors(ctx, child)
                if keys:
                    return keys
    return []


def state_where_done(ctx: EventContext, verb: Token) -> list[str]:
    """The state an "in" phrase of the verb names: where an authority acted."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            keys = [k for k in pobj_actors(ctx, child) if ctx.index.actors[k].type == "Country"]
            if keys:
                return keys
    return []


def ascribed_to(ctx: EventContext, words) -> list[str]:
    """The actors of the "to" or "on" phrases among the words: whom an act is ascribed or blamed on."""
    return [k for ch in words if ch.dep_ == "prep" and ch.lower_ in ("to", "on") for k in pobj_actors(ctx, ch)]


def carrier_noun(token: Token) -> Token | None:
    """The object through which a verb governs an event noun: the noun itself ("will give X a grant")
    or the measure it is counted in ("gave 5 million dollars of aid", "launched a wave of attacks")."""
    if token.pos_ != "NOUN":
        return None
    noun = token
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "NUM"):
        noun = noun.head.head
    return noun if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB" else None


def clause_subject(ctx: EventContext, token: Token) -> list[str]:
    """The subject of a clause the token governs: "demanded that X withdraw", "urged X to ..."."""
    for child in token.children:
        if child.dep_ in ("ccomp", "acl", "xcomp"):
            for grandchild in child.children:
                if grandchild.dep_ in ("nsubj", "nsubjpass"):
                    return ctx.actors_of(grandchild)
    return []


def preposition_objects(ctx: EventContext, token: Token) -> list[str]:
    """The actor a directed preposition of the token introduces ("talks with X", "aid to X")."""
    directed = ctx.word_list("directed_prep")
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in directed:
            keys = pobj_actors(ctx, child)
            if keys:
                return keys
    return []


def first_actor_in(ctx: EventContext, token: Token, clauses: bool = False) -> list[str]:
    """The actor an object phrase names: itself or its owner ("X's support"), a modifier ("a Bordurian
    proposal"), an actor a preposition inside it introduces ("a commitment to X"), or any inside it
    (with ``clauses``, in the clauses that describe its nouns too: a purpose clause's whole content).
    A relative pronoun names the noun its clause describes ("X, which was attacked by Y")."""
    if relative_pronoun(token):
        token = token.head.head
    keys = ctx.actors_of(token) or [k for ch in token.children if ch.dep_ == "poss" for k in ctx.actors_of(ch)]
    if not keys and token.pos_ == "NOUN":
        keys = [k for ch in token.children if ch.dep_ in ("amod", "compound") for k in ctx.actors_of(ch)]
    if keys:
        return keys
    whole = clauses or not ctx.rules.on("event.target_filter.clause_words")
    subtree = list(token.subtree) if whole else phrase_words(ctx, token)
    for candidate in subtree:
        if candidate.dep_ == "pobj" and candidate.head.dep_ == "prep":
            keys = ctx.actors_of(candidate) or [k for ch in candidate.children if ch.dep_ == "poss"
                                                for k in ctx.actors_of(ch)]
            if keys:
                return keys
    for candidate in subtree:
        keys = ctx.actors_of(candidate)
        if keys:
            return keys
    return []


DESCRIBING_CLAUSES = frozenset({"relcl", "advcl", "ccomp", "agent"})


@rule("event.target_filter.clause_words")
def phrase_words(ctx: EventContext, token: Token) -> list[Token]:
    """An actor named in a clause that describes a noun of an object phrase is no target of the act on the phrase: "released a summary of a call made by X".

    The words of the phrase, in text order, without relative and participle clauses (and "by" agents); a
    to-infinitive says what the noun is for ("an invitation to meet X") and a naming participle who the
    noun is ("a woman named X"): they stay."""
    naming = ctx.word_list("naming_verb")
    words, stack = [], [token]
    while stack:
        word = stack.pop()
        words.append(word)
        stack.extend(child for child in word.children if not (
            child.dep_ in DESCRIBING_CLAUSES or (child.dep_ == "acl" and child.lemma_.lower() not in naming
                                                 and not any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children))))
    return sorted(words, key=lambda word: word.i)


def lexicon_arguments(ctx: EventContext, token: Token, specs: tuple[str, ...]) -> list[str]:
    """The actors of the first argument spec of a lexicon row that names any (see triggers.tsv)."""
    purpose_preps = ctx.word_list("purpose_prep")
    for spec in specs:
        if spec == "none":
            return []
        keys: list[str] = []
        for child in token.children:
            if spec in ("dobj", "dative", "nsubj", "nsubjpass", "poss") and child.dep_ == spec:
                keys += ctx.actors_of(child)
            elif spec == "dative" and child.dep_ == "prep" and child.lower_ == "to":
                keys += pobj_actors(ctx, child)
            elif spec == "of" and child.dep_ == "prep" and child.lower_ == "of":
                keys += pobj_actors(ctx, child)
            elif spec.startswith("prep:") and child.dep_ in ("prep", "agent") and child.lower_ == spec[5:]:
                keys += pobj_actors(ctx, child)
            elif spec == "purpose" and (child.dep_ in ("xcomp", "advcl", "acl")
                                        or (child.dep_ == "prep" and child.lower_ in purpose_preps)):
                keys += first_actor_in(ctx, child, clauses=True)  # "to demand the return of land seized by X"
            elif spec == "clause" and child.dep_ == "ccomp":
                keys += clause_doer(ctx, child)
        if spec == "nsubj" and not keys:
            keys = ctx.subjects(token)
        elif spec == "described":
            keys = described_actor(ctx, token)
        if keys:
            return keys
    return []


def clause_doer(ctx: EventContext, clause: Token) -> list[str]:
    """Who does what a clause says: its subject, or the "by" agent of a passive ("claimed that X was
    attacked by Y": Y); a passive without one names no doer."""
    if is_passive(clause):
        return passive_agent(ctx, clause) or []
    return [k for ch in clause.children if ch.dep_ in ("nsubj", "csubj") and not relative_pronoun(ch)
            for k in ctx.actors_of(ch)]


def described_actor(ctx: EventContext, noun: Token) -> list[str]:
    """Whom a noun describes: the subject of "is/became a critic of X", or the name "Y, a critic of X" stands beside."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in ("attr", "appos"):
        noun = noun.head.head  # "was more of a critic of X"
    if noun.dep_ == "attr" and noun.head.lemma_.lower() in ctx.word_list("copula"):
        return ctx.subjects(noun.head)
    if noun.dep_ == "appos":
        return ctx.actors_of(noun.head)
    return []


def pobj_actors(ctx: EventContext, preposition: Token) -> list[str]:
    """The actors a preposition's object names, or the owner of that object ("support to X's war")."""
    keys: list[str] = []
    for child in preposition.children:
        if child.dep_ in ("pobj", "pcomp"):
            found = ctx.actors_of(child)
            if not found:
                found = [k for g in child.children if g.dep_ in ("poss", "compound") for k in ctx.actors_of(g)]
            if not found and (child.lemma_.lower() in ctx.index.partitives  # "many of X's proposals"
                              or child.lemma_.lower() in ctx.word_list("state_body")):  # "the government of X"
                found = [k for g in child.children if g.dep_ == "prep" and g.lower_ == "of" for k in pobj_actors(ctx, g)]
            if not found:  # "a suspension of flights with X"
                found = [k for g in child.children if g.dep_ == "prep" and g.lower_ == "with"
                         for k in pobj_actors(ctx, g)]
            if not found:  # "an inquiry into crimes committed by X"
                found = [k for g in child.children if g.dep_ == "acl"
                         for k in passive_agent(ctx, g, require_passive=False) or []]
            keys += found
    return keys


def _detached_verbs(kb: KnowledgeBase) -> frozenset[str]:
    """Verbs whose subject does not take part in the event named by their object: cue verbs
    (expect, fear, deny, say) other than verbs of intention, verbs that are themselves reactions to
    another's act, verbs whose subject undergoes the event ("died in the shelling") and verbs that describe
    it ("characterised the attack as ...")."""
    words = set(kb.cue_words("hypothetical")) | set(kb.cue_words("negated")) | set(kb.cue_words("reporting"))
    for (lemma, pos), triggers in kb.triggers.items():
        if pos == "VERB" and triggers[0].type.lower() in kb.word_list("reaction_type"):
            words.add(lemma)
    words |= kb.word_list("undergoing_verb") | kb.word_list("describing_verb")
    # "X is preparing an attack", "X planned an offensive": X's own act
    return frozenset(words - kb.word_list("readiness_word") - kb.word_list("intention_verb"))
