"""PLOVER events from verbs and event nouns, through the trigger lexicon and the parse.

A trigger is a token whose lemma (and particle, preposition or compound, for phrasal
triggers) is in ``ontology/triggers.tsv``. Its source is the subject (or the passive
agent, or the possessor of an event noun, or the subject of the verb an event noun is
the object of); its target attaches as the lexicon entry says. Conjoined arguments
("Britain, Ukraine and Poland") give one event per pair.
"""

from __future__ import annotations

from datetime import date
from itertools import islice

from spacy.tokens import Doc, Span, Token

from ..kb import TRIGGER_POS, KnowledgeBase, Trigger
from ..model import Event, TextSpan
from .actors import FIRST_PERSON, EntityIndex
from .dates import resolve_date
from .modality import event_modality
from .statements import quoted_tokens

DEFAULT_VERB_TARGET = ("dobj",)
DEFAULT_NOUN_TARGET = ("of", "prep:against", "prep:on", "prep:with")
SUBJECT_INHERITING_DEPS = {"xcomp", "conj", "advcl", "pcomp", "acl", "pobj", "acomp"}


def extract_events(doc: Doc, index: EntityIndex, kb: KnowledgeBase, published: date | None,
                   voice: list[str | None] | None = None) -> list[Event]:
    events: dict[tuple, Event] = {}
    partners: dict[str, str] = {}  # actor → the actor it last acted on, or was acted on by
    channels = {key for key, actor in index.actors.items()
                if actor.kb_id in kb.entries and kb.entries[actor.kb_id].news_media}
    reporting = kb.cue_words("reporting")
    commitments = kb.cue_words("hypothetical")
    light_verbs = kb.word_list("light_verb")
    detached_verbs = kb.derived("detached_verbs", _detached_verbs)
    quoted = quoted_tokens(doc, index.table)
    table = index.table
    date_entities = [ent for ent in doc.ents if ent.label_ == "DATE"]
    for token in table.with_lemma(table.hashes(kb.trigger_lemmas)):
        pos = token.pos_ if token.pos_ in TRIGGER_POS else None
        if pos is None or (quoted[token.i] and not _speaker_acts(token)):
            # What a quotation says of others is the speaker's claim, not the article's report;
            # what the speakers say they do ("we will respond") is their act.
            continue
        candidates = kb.triggers.get((token.lemma_.lower(), pos))
        if not candidates:
            continue
        trigger = _matching_trigger(token, candidates)
        if (trigger is None or _publishes(token, kb) or _finds(token, kb)
                or (trigger.strict and not _arguments(token, trigger.target, index))):
            continue
        sources = _sources(token, trigger, index, light_verbs, detached_verbs)
        between = _between(token, index) if pos == "NOUN" else []
        if not sources and len(between) < 2:
            continue
        joint = False
        if len(between) > 1:
            # "a partnership between Britain, Ukraine and Poland": the first named acts with the others.
            sources, targets, joint = between[:1], between[1:], True
        else:
            cooperating = len(sources) > 1 and "Cooperation" in (kb.plover[trigger.type].quad_class or "")
            # The source's own things ("setting fire to their mattresses") are no target.
            targets = [] if cooperating and not _arguments(token, trigger.target, index) else [
                t for t in _targets(token, trigger, index) if t not in sources]
            if not targets and len(sources) > 1:
                # "the US and Jordan agreed", "the two officials agreed that the alliance ...":
                # the first named acts with the others (what they agree on is no party).
                sources, targets, joint = sources[:1], sources[1:], True
            if not targets and kb.plover[trigger.type].target_required:
                targets = (_addressee(token, index, kb.word_list("document"))
                           or _clause_actor(token, sources, index))
            if not targets:
                targets = _state_of_place(token, sources, index, kb)
            if channels & set(targets):
                # "spoke on Fox News", "defended it on Twitter": a news medium is the channel, not
                # a party, unless the act is on it directly ("criticised Reuters").
                direct = {k for c in token.children if c.dep_ in ("dobj", "nsubjpass") for k in index.actors_of(c)}
                targets = [t for t in targets if t not in channels or t in direct]
            if (not targets and len(sources) == 1 and sources[0] in partners
                    and index.actors[partners[sources[0]]].type != "Person"
                    and not any(c.dep_ == "dobj" for c in token.children)):
                # "Russia's military buildup continued": no target named, so the state or
                # organisation the source was last engaged with in the text (its invasion of
                # Ukraine, two sentences back); a person is too particular a partner to carry over,
                # and a verb with an object of its own ("accused the West") names its target there.
                targets = [partners[sources[0]]]
        modality = event_modality(token, kb, quoted)
        types = [trigger.type]
        if joint and trigger.type.lower() in kb.word_list("joint_type"):
            types = ["COOPERATE"]  # "French and Egyptian warships held exercises": joint military activity
        promise = _promise_type(token, trigger, modality, sources, index, kb, reporting, commitments)
        if promise and promise != trigger.type:
            types.append(promise)
        modalities = {}
        readiness = _readiness(token, kb) if trigger.type == "ASSAULT" else None
        if readiness is not None:  # "the army prepared to resume shelling": forces readied (MOBILIZE)
            types.append("MOBILIZE")
            modalities["MOBILIZE"] = event_modality(readiness, kb, quoted)
        refusal = _declined(token, sources, index, kb) if trigger.type == "AGREE" and modality == "negated" else None
        if refusal is not None:  # "failed to reach agreement", "refused to offer ...": a refusal
            types.append("REJECT")
            modalities["REJECT"] = event_modality(refusal, kb, quoted)
        sentence_span = table.sentence(token)
        sentence = table.sentence_text_span(token)
        when = _event_date(token, sentence_span, date_entities, published)
        place = _event_place(token, sentence_span, index)
        for source in sources:
            for target in targets:
                if target != source:
                    partners[source], partners[target] = target, source
        pairs = [(s, t) for s in sources for t in ([t for t in targets if t != s] or [None])]
        if trigger.lemma in kb.word_list("mutual_trigger"):  # "exchanged fire with", "clashed with": both ways
            pairs += [(t, s) for s, t in pairs if t is not None]
        for event_type in types:
            for source, target in pairs:
                if target is None and kb.plover[event_type].target_required:
                    continue
                key = (source, event_type, target, modalities.get(event_type, modality))
                if key in events:
                    continue  # one event per (source, type, target, modality) in a document
                events[key] = Event(
                    type=event_type, source=source, target=target, modality=key[3],
                    trigger=TextSpan(token.idx, token.idx + len(token.text), token.text),
                    sentence=sentence, place=place, date=when,
                    mode=trigger.mode if event_type == trigger.type else None,
                )
    found = _obligations(index, kb, quoted) + _findings(list(events.values()), index, kb, quoted)
    if voice is not None:
        found += _characterisations(index, kb, voice)
    for event in found:
        events.setdefault((event.source, event.type, event.target, event.modality), event)
    return list(events.values())


def _characterisations(index: EntityIndex, kb: KnowledgeBase, voice: list[str | None]) -> list[Event]:
    """"We have always tolerated North Korea's brutality" (a president, quoted), "Iran's
    provocative actions" (on the White House's own page): an actor who calls another's conduct
    a wrong accuses it (PLOVER ACCUSE). Only a speaker's or an author's words count; the
    reporter's own wording is no actor's act."""
    table = index.table
    wrongs = kb.word_list("wrongdoing_word")
    found = []
    for token in table.with_lemma(table.hashes(wrongs)):
        speaker = voice[token.i]
        if speaker is None:
            continue
        conduct = token if token.pos_ == "NOUN" else token.head if token.dep_ == "amod" else None
        if conduct is None or conduct.pos_ != "NOUN":
            continue
        owners = [k for c in conduct.children if c.dep_ in ("poss", "compound", "amod") for k in index.actors_of(c)]
        owners = owners or [k for c in conduct.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
                            for k in _pobj_actors(c, index)]
        for owner in owners:
            if owner != speaker:
                # Naming the wrong is the accusation, whatever the sentence says will be done about it.
                found.append(Event(type="ACCUSE", source=speaker, target=owner, modality="asserted",
                                   trigger=TextSpan(token.idx, token.idx + len(token.text), token.text),
                                   sentence=table.sentence_text_span(token)))
    return found


def _findings(events: list[Event], index: EntityIndex, kb: KnowledgeBase, quoted: list[bool]) -> list[Event]:
    """"A UN report states that attacks on four villages by the army ...": a state or an
    organisation (or its report) that finds another actor did a hostile act accuses it (PLOVER
    ACCUSE), besides the act itself being reported."""
    doc = index.doc
    findings = kb.word_list("finding_verb")
    documents = kb.word_list("document")
    found = []
    for event in events:
        if (kb.plover[event.type].quad_class or "") != "MaterialConflict" or event.modality != "asserted":
            continue
        trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is None:
            continue
        verb = next((a for a in islice(trigger.root.ancestors, 4)
                     if a.pos_ == "VERB" and a.lemma_.lower() in findings and not quoted[a.i]), None)
        if verb is None:
            continue
        finders: list[str] = []
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            finders = index.actors_of(subject)
            if not finders and subject.lemma_.lower() in documents:  # "a United Nations report states"
                finders = [k for c in subject.children if c.dep_ in ("compound", "poss", "amod")
                           for k in index.actors_of(c)]
        for finder in finders:
            if finder != event.source and index.actors[finder].type != "Person":
                found.append(Event(type="ACCUSE", source=finder, target=event.source,
                                   modality=event_modality(verb, kb, quoted),
                                   trigger=TextSpan(verb.idx, verb.idx + len(verb.text), verb.text),
                                   sentence=event.sentence))
    return found


def _obligations(index: EntityIndex, kb: KnowledgeBase, quoted: list[bool]) -> list[Event]:
    """"Russia said Sudan must return the helicopter", "the forum concluded that rich nations
    must pay": what one actor says or finds another must do is a demand of it (PLOVER REQUEST),
    whatever the demanded act is."""
    table = index.table
    obligations = kb.cue_words("obligation")
    verbs = kb.derived("obligation_verbs", lambda k: k.cue_set("reporting") | k.word_list("finding_verb"))
    found = []
    for verb in table.with_lemma(table.hashes(verbs)):
        if verb.pos_ != "VERB" or quoted[verb.i]:
            continue
        for clause in verb.children:
            if clause.dep_ != "ccomp" or not any(c.dep_ == "aux" and c.lemma_.lower() in obligations
                                                 for c in clause.children):
                continue
            speakers = _subject(verb, index)
            demanded = [k for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for k in index.actors_of(c)]
            for source in speakers:
                for target in demanded:
                    if source != target:
                        found.append(Event(
                            type="REQUEST", source=source, target=target, modality=event_modality(verb, kb, quoted),
                            trigger=TextSpan(verb.idx, verb.idx + len(verb.text), verb.text),
                            sentence=table.sentence_text_span(verb)))
    return found


def _promise_type(token, trigger, modality, sources, index, kb, reporting, commitments) -> str | None:
    """PLOVER codes an actor's own announcement of a future act as a promise (AGREE) when the
    act is cooperative and as a threat (THREATEN) when it is conflictual: "Hungary said it will
    support ...", "the rebels vowed to blockade ...". It must be the actor's own voice (a
    reporting verb, a commitment word such as pledge, offer or ready, or "will"), not a forecast
    ("Clinton is to meet Lee", "could attack") nor another's warning ("Biden warned that Russia
    would invade")."""
    if modality != "hypothetical":
        return None
    announced = conditional = committed = False
    carrier = _carrier(token)
    for ancestor in [token, *token.ancestors]:
        lemma = ancestor.lemma_.lower()
        if ancestor.i != token.i and kb.cue_words("negated").get(lemma) == "governor":
            return None  # "refused to offer a loan": no promise
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in kb.cue_words("condition")
                                         for m in c.children) for c in ancestor.children):
            conditional = True  # "will withdraw its force unless ...": an ultimatum
        if lemma in kb.cue_words("commitment") or ancestor.lower_ in kb.cue_words("commitment"):
            announced = committed = True  # "officials said the rebels vowed to fight": the rebels' threat
        if any(c.dep_ == "aux" and c.lower_ in kb.cue_words("future") for c in ancestor.children):
            announced = True  # "Finland will give Tanzania a grant": a stated intention
        if ancestor.pos_ == "VERB" and lemma in reporting and lemma not in commitments:
            speakers = _subject(ancestor, index)
            if speakers and not set(speakers) & set(sources) and not committed:
                return None  # someone else's words about the source
            announced = True
            break
        if ancestor.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "acomp") and not (
                carrier is not None and (ancestor == carrier or carrier in ancestor.ancestors)):
            break
    quad = kb.plover[trigger.type].quad_class or ""
    if not announced or not quad:
        return None
    return "AGREE" if "Cooperation" in quad and not conditional else "THREATEN"


def _readiness(token: Token, kb: KnowledgeBase) -> Token | None:
    """The verb or adjective of readiness ("prepare", "poised") that governs an act of force, if
    any: "prepared to resume shelling", "is preparing an attack", "gearing up for an offensive"."""
    words = kb.word_list("readiness_word")
    node = token
    for _ in range(3):
        if node.dep_ not in ("xcomp", "dobj", "acomp", "pobj", "prep") or node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "ADJ") and (node.lemma_.lower() in words or node.lower_ in words):
            return node
    return None


def _declined(token: Token, sources: list[str], index: EntityIndex, kb: KnowledgeBase) -> Token | None:
    """The negating governor ("fail", "refuse", "unable") or the negation ("not") by which the
    source itself declines the act, if any; not another's denial or prevention."""
    if token.pos_ == "VERB" and sources and set(_subject(token, index)) & set(sources):
        # "Syria will not accept more refugees", "Iran did not agree": the source's own refusal.
        negation = next((c for c in token.children if c.dep_ == "neg"), None)
        if negation is not None:
            return negation
    negators = kb.derived("declining_governors", lambda k: frozenset(
        cue for cue, scope in k.cue_words("negated").items() if scope == "governor") - k.cue_set("reporting"))
    carrier = _carrier(token)
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "ADJ") and ancestor.lemma_.lower() in negators:
            return ancestor if set(_subject(ancestor, index)) & set(sources) else None
        if ancestor.dep_ not in ("xcomp", "acomp") and not (carrier is not None and carrier.head == ancestor):
            return None
    return None


def _carrier(token: Token) -> Token | None:
    """The object through which a verb governs an event noun, or None: the noun itself
    ("will give Tanzania a grant") or the measure it is counted in ("gave 5 million dollars
    of aid", "launched a wave of attacks")."""
    if token.pos_ != "NOUN":
        return None
    noun = token
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "NUM"):
        noun = noun.head.head
    return noun if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB" else None


def _publishes(token: Token, kb: KnowledgeBase) -> bool:
    """"released a statement": a verb that publishes a document is no act on anyone."""
    return token.pos_ == "VERB" and token.lemma_.lower() in kb.word_list("publishing_verb") and any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in kb.word_list("document") for c in token.children)


def _finds(token: Token, kb: KnowledgeBase) -> bool:
    """"the forum concluded that ...": a verb stating a finding in a clause is no act on anyone."""
    return token.pos_ == "VERB" and token.lemma_.lower() in kb.word_list("finding_verb") and any(
        c.dep_ == "ccomp" for c in token.children)


def _speaker_acts(token: Token) -> bool:
    """Whether a trigger inside a quotation has the speaker ("we", "I") as its subject or, for an
    event noun, as its owner ("our support for ...")."""
    if token.pos_ == "NOUN" and any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in token.children):
        return True
    verb = token if token.pos_ == "VERB" else token.head
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0].lower_ in FIRST_PERSON
        if verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _detached_verbs(kb: KnowledgeBase) -> frozenset[str]:
    """Verbs whose subject does not take part in the event named by their object: cue verbs
    (expect, fear, deny, say) and verbs that are themselves reactions to another's act."""
    words = set(kb.cue_words("hypothetical")) | set(kb.cue_words("negated")) | set(kb.cue_words("reporting"))
    for (lemma, pos), triggers in kb.triggers.items():
        if pos == "VERB" and triggers[0].type.lower() in kb.word_list("reaction_type"):
            words.add(lemma)
    return frozenset(words - kb.word_list("readiness_word"))  # "Iran is preparing an attack": Iran's attack


def _matching_trigger(token: Token, candidates: list[Trigger]) -> Trigger | None:
    """The longest lexicon entry whose extra words (particle, preposition, object, compound) are present."""
    for trigger in candidates:
        words = trigger.lemma.split()
        if len(words) == 1:
            return trigger
        rest = words[1:]
        if token.pos_ == "VERB":
            # "pull out", "call on": particle or preposition; "impose sanctions": the object's lemma.
            attached = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "advmod")}
            attached |= {c.lemma_.lower() for c in token.children if c.dep_ in ("dobj", "nsubjpass")}
            if all(word in attached for word in rest):
                return trigger
        else:
            # "peace talks": the lexicon lists the modifier first ("peace talk"), head last.
            modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod")}
            if words[-1] == token.lemma_.lower() and all(w in modifiers for w in words[:-1]):
                return trigger
    return None


def _sources(token: Token, trigger: Trigger, index: EntityIndex, light_verbs: frozenset[str],
             detached_verbs: frozenset[str]) -> list[str]:
    if trigger.source:
        return _arguments(token, trigger.source, index)
    if token.pos_ in ("VERB", "ADJ"):  # "X is grateful to Y": the subject, as for a verb
        agent = _passive_agent(token, index)
        if agent is not None:
            # "the PKK is banned in Turkey": an authority's act with no agent is the state's there;
            # "forces deployed in Ukraine" are not Ukraine's.
            return agent or (_state_where_done(token, index) if trigger.type.lower() in index.authority_types else [])
        return _subject(token, index) or _owner_of_subject(token, index)
    for child in token.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "amod") and index.actor_at(child)):
            keys = index.actors_of(child)
            if keys:
                return keys
        if child.dep_ == "prep" and child.lower_ == "by":
            keys = _pobj_actors(child, index)
            if keys:
                return keys
        if child.dep_ == "acl":  # "attacks carried out ... by the military"
            agent = _passive_agent(child, index, require_passive=False)
            if agent:
                return agent
            if child.lemma_.lower() in index.ascribing_verbs:  # "an attack ascribed to the Taliban"
                agent = _ascribed_to(child.children, index)
                if agent:
                    return agent
    agent = _trailing_participle_agent(token, index)
    if agent:
        return agent
    if token.dep_ == "dobj" and token.head.lemma_.lower() in index.ascribing_verbs:
        # "Ukraine blamed the artillery attacks on the separatists": whoever they are blamed on
        # (the parser often hangs that "on" on the noun, as if the separatists were attacked).
        agent = _ascribed_to([*token.head.children, *token.children], index)
        if agent:
            return agent
    # An event noun as a verb's object: the verb's subject takes part ("Russia launched an
    # invasion", "the two reaffirmed their cooperation") unless the verb reports, fears,
    # denies or judges someone else's act ("Biden expected an attack", "condemned the attack").
    verb = token.head
    if token.dep_ == "pobj" and verb.dep_ == "prep":  # "took part in talks"
        verb = verb.head
    if verb.pos_ in ("NOUN", "NUM") and _carrier(token) is not None:  # "gave 5 million dollars of aid"
        verb = _carrier(token).head
    if token.dep_ in ("dobj", "nsubjpass", "pobj", "conj") and verb.pos_ == "VERB":
        lemma = verb.lemma_.lower()
        if lemma in light_verbs or lemma not in detached_verbs:
            agent = _passive_agent(verb, index)
            if agent == [] and lemma in light_verbs and trigger.type.lower() in index.authority_types:
                # "was put under investigation in Italy", "placed under arrest in Iran": the state's act.
                agent = _state_where_done(verb, index) or _state_where_done(token, index)
            return agent or _subject(verb, index)
    return []


def _ascribed_to(words, index: EntityIndex) -> list[str]:
    """The actors of the "to" or "on" phrases among the words: who an act is ascribed or blamed on."""
    return [k for c in words if c.dep_ == "prep" and c.lower_ in ("to", "on") for k in _pobj_actors(c, index)]


def _owner_of_subject(verb: Token, index: EntityIndex) -> list[str]:
    """"US drone attacks killed ...", "Russian tanks destroyed ...": when the subject is an act
    or a thing, not an actor, the actor that owns or carries it out does what the verb says."""
    for child in verb.children:
        if child.dep_ == "nsubj" and child.pos_ == "NOUN" and not index.actors_of(child):
            modifiers = [c for c in child.children if c.dep_ in ("poss", "compound", "amod")]
            modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children if g.dep_ == "compound"]
            return [k for c in modifiers for k in index.actors_of(c)]
    return []


def _trailing_participle_agent(noun: Token, index: EntityIndex) -> list[str]:
    """"the attack, reportedly conducted by the Taliban": a participle right after an event
    noun, with a "by" agent, names who did it even when the parse hangs it elsewhere."""
    doc = noun.doc
    end = noun.right_edge.i + 1
    for i in range(end, min(end + 4, len(doc))):
        token = doc[i]
        if token.tag_ == "VBN":
            return [k for c in token.children if c.dep_ == "agent" for k in _pobj_actors(c, index)]
        if not (token.is_punct or token.pos_ == "ADV"):
            return []
    return []


def _subject(verb: Token, index: EntityIndex, hops: int = 3) -> list[str]:
    """Who does what the verb says: its subject, or the subject of the clause it depends on
    ("Russia decided to attack", "allied with Kurdish groups in fighting ISIS")."""
    inherited = hops < 3  # a governing passive verb's subject is the dependent act's agent
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj") or (inherited and child.dep_ == "nsubjpass"):
            if child.pos_ == "VERB" and child.tag_ in ("VBG", "VBN"):
                # "The Red Cross operating in Iraq said ...", parsed as a clause subject: its subject speaks.
                return [k for c in child.children if c.dep_ == "nsubj" for k in index.actors_of(c)]
            return index.actors_of(child)
    head = verb.head
    if head.pos_ == "ADP" and head.head.i != head.i:  # "in fighting ISIS": climb over the preposition
        head = head.head
    if hops and verb.dep_ in ("xcomp", "pcomp") and head.pos_ == "VERB":
        # Object control: "urged Iran to stop", "accused the army of violating": the object acts.
        objects = [k for c in head.children if c.dep_ == "dobj" for k in index.actors_of(c)]
        if objects:
            return objects
    if hops and verb.dep_ in SUBJECT_INHERITING_DEPS and head.i != verb.i:
        if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            # "Russia's plan to invade", "reports from Macron and Scholz on their trips to meet Putin"
            owner = index.actors_of(head) or [k for c in head.children if c.dep_ == "poss" for k in index.actors_of(c)]
            owner = owner or [k for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                              for k in _pobj_actors(c, index)]
            if not owner and head.dep_ == "dobj" and head.head.pos_ == "VERB":
                # "the Kremlin sent Washington a memo complaining ...": the sender complains.
                owner = _subject(head.head, index, hops - 1)
            return owner
        return _subject(head, index, hops - 1)
    if verb.dep_ == "relcl":  # "YPG militia which support the PKK": the noun or its name
        return index.actors_of(head) or [k for c in head.children if c.dep_ == "compound" for k in index.actors_of(c)]
    return []


def _state_where_done(verb: Token, index: EntityIndex) -> list[str]:
    """A passive act with no agent, done in a state ("the PKK is banned in Turkey"), is that
    state's act: bans, arrests and trials are done by its authorities."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            keys = [k for k in _pobj_actors(child, index) if index.actors[k].type == "Country"]
            if keys:
                return keys
    return []


def _passive_agent(verb: Token, index: EntityIndex, require_passive: bool = True) -> list[str] | None:
    """The "by" agent of a passive verb, or of the verb it is conjoined with ("taken and
    raped by soldiers"); None when the verb is not passive."""
    if require_passive and not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        if not (verb.dep_ == "conj" and verb.tag_ == "VBN" and _passive_agent(verb.head, index) is not None):
            return None
    for candidate in [verb, *verb.conjuncts]:
        for child in candidate.children:
            if child.dep_ == "agent":
                keys = _pobj_actors(child, index)
                if keys:
                    return keys
    return []


def _targets(token: Token, trigger: Trigger, index: EntityIndex) -> list[str]:
    """The lexicon's argument specs first; failing those, the nearest actor the event is
    directed at: inside the object ("support a U.N. Security Council resolution"), or
    through a directional preposition, or, for an event noun that is a verb's object, the
    verb's recipient ("gave Tanzania a grant")."""
    specs = trigger.target or (DEFAULT_VERB_TARGET if token.pos_ == "VERB" else DEFAULT_NOUN_TARGET)
    if "none" in specs:
        return []
    if token.pos_ == "VERB" and any(c.dep_ == "nsubjpass" for c in token.children) and "dobj" in specs:
        # "a camp for Congolese refugees was attacked": the actor the passive subject names.
        return [k for c in token.children if c.dep_ == "nsubjpass" for k in _first_actor_in(c, index)]
    found = _arguments(token, specs, index)
    if found:
        return found
    if token.pos_ == "VERB":
        for child in token.children:
            if child.dep_ in ("dobj", "dative"):
                found = _first_actor_in(child, index)
                if found:
                    return found
        if not any(c.dep_ == "dobj" for c in token.children):
            # "organised, financed and armed the separatists": conjoined verbs share the object.
            for partner in token.conjuncts:
                for child in partner.children:
                    if child.dep_ == "dobj":
                        found = _first_actor_in(child, index)
                        if found:
                            return found
        return (_preposition_objects(token, index) or _clause_subject(token, index)
                or _complement_target(token, index) or _recipient_of_carrier(token, index))
    found = _preposition_objects(token, index) or _clause_subject(token, index)
    carrier = _carrier(token)
    if not found and carrier is not None:
        verb = carrier.head
        for child in verb.children:
            if child.dep_ == "dative" or (child.dep_ == "dobj" and child.i != carrier.i):
                # "gave Tanzania a grant", "gave thanks to the Emir": the recipient.
                found = index.actors_of(child) or (_pobj_actors(child, index) if child.pos_ == "ADP" else [])
                if found:
                    break
        # "reiterated its demand that Israel ease ...": the clause may hang on the verb.
        found = found or _preposition_objects(verb, index) or _clause_subject(verb, index)
        if not found and "purpose" in specs:  # "staged a hunger strike to demand the resignation of X"
            found = _arguments(verb, ("purpose",), index)
    if not found and token.dep_ == "pobj" and trigger.type.lower() in index.authority_types:
        # "a US national was put under investigation": who is put under it is the target.
        verb = token.head.head
        if verb.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in verb.children):
            found = [k for c in verb.children if c.dep_ == "nsubjpass" for k in _first_actor_in(c, index)]
    return found


def _recipient_of_carrier(token: Token, index: EntityIndex) -> list[str]:
    """"sent Washington a memo complaining ...": the memo's recipient is the target."""
    if token.dep_ != "acl" or token.head.dep_ != "dobj":
        return []
    carrier_verb = token.head.head
    for child in carrier_verb.children:
        if child.dep_ == "dative" or (child.dep_ == "prep" and child.lower_ == "to"):
            keys = index.actors_of(child) or _pobj_actors(child, index)
            if keys:
                return keys
    return []


def _complement_target(token: Token, index: EntityIndex) -> list[str]:
    """"offered to hand them over to Britain", "threatened to ban voting in East Jerusalem":
    the target of what is offered, threatened or promised."""
    for child in token.children:
        if child.dep_ == "xcomp":
            for candidate in child.subtree:
                if candidate.i != child.i and candidate.dep_ in ("dobj", "dative", "pobj"):
                    keys = index.actors_of(candidate)
                    if keys:
                        return keys
    return []


def _addressee(token: Token, index: EntityIndex, documents: frozenset[str]) -> list[str]:
    """"In a letter to the UN, Iran demanded ...": the addressee of the message that carries
    the act (a document noun with "to X" on the act's verb)."""
    verb = token if token.pos_ == "VERB" else token.head
    for child in verb.children:
        if child.dep_ != "prep":
            continue
        for message in child.children:
            if message.dep_ == "pobj" and message.lemma_.lower() in documents:
                for prep in message.children:
                    if prep.dep_ == "prep" and prep.lower_ == "to":
                        keys = _pobj_actors(prep, index)
                        if keys:
                            return keys
    return []


def _clause_actor(token: Token, sources: list[str], index: EntityIndex) -> list[str]:
    """For an event that needs a target and names none in its own arguments: the one other
    actor of its clause ("Palestinian riots against Israeli military policies")."""
    clause = token
    while clause.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "conj") and clause.head.i != clause.i:
        clause = clause.head
    # A subtree is a contiguous token range (the parser is projective): read the arrays directly.
    others = {k for i in range(clause.left_edge.i, clause.right_edge.i + 1)
              for k in [index.actor_of_token[i], *index.co_actors.get(i, ())] if k} - set(sources)
    return list(others) if len(others) == 1 else []


def _state_of_place(token: Token, sources: list[str], index: EntityIndex, kb: KnowledgeBase) -> list[str]:
    """An act on a place ("demolished homes in southern Gaza", "blew up power lines into
    Kabul") is directed at the state the place belongs to, when that is not the source's own."""
    source_countries = {index.actors[k].country for k in sources}
    for child in token.children:
        if child.dep_ not in ("dobj", "prep", "xcomp"):  # xcomp: "threatened to impose a curfew in Algiers"
            continue
        for candidate in child.subtree:
            place = index.places.get(index.place_of_token[candidate.i] or "")
            state = kb.state(place.country) if place is not None else None
            if state is not None and state.country not in source_countries:
                return [index.kb_actor(state)]
    return []


def _between(token: Token, index: EntityIndex) -> list[str]:
    """The parties of an event noun's "between" phrase: each acts with each other."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "between":
            return _pobj_actors(child, index)
    return []


def _clause_subject(token: Token, index: EntityIndex) -> list[str]:
    """"demanded that the DPRK forsake ...", "urged Iran to ...": the subject of the clause the
    event asks, blames or promises something of."""
    for child in token.children:
        if child.dep_ in ("ccomp", "acl", "xcomp"):
            for grandchild in child.children:
                if grandchild.dep_ in ("nsubj", "nsubjpass"):
                    return index.actors_of(grandchild)
    return []


def _first_actor_in(token: Token, index: EntityIndex) -> list[str]:
    """The actor an object names: the object itself ("attacked Russian positions") or its
    owner, else one a preposition inside it introduces ("a commitment to the ROK"), else one
    that modifies it ("support a UN Security Council resolution")."""
    keys = index.actors_of(token) or [k for c in token.children if c.dep_ == "poss" for k in index.actors_of(c)]
    if not keys and token.pos_ == "NOUN":  # "rejected an Indian proposal", "a US offer"
        keys = [k for c in token.children if c.dep_ in ("amod", "compound") for k in index.actors_of(c)]
    if keys:
        return keys  # the owner of the act or thing: "condemned the DPRK's support", "praised Haiti's efforts"
    subtree = list(token.subtree)
    for candidate in subtree:
        if candidate.dep_ == "pobj" and candidate.head.dep_ == "prep":
            # "demands from President X's government": the owner of the object stands for it.
            keys = index.actors_of(candidate) or [k for c in candidate.children if c.dep_ == "poss"
                                                  for k in index.actors_of(c)]
            if keys:
                return keys
    for candidate in subtree:
        keys = index.actors_of(candidate)
        if keys:
            return keys
    return []


def _preposition_objects(token: Token, index: EntityIndex) -> list[str]:
    """The actor a directed preposition introduces ("talks with X", "aid to X")."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in index.directed_preps:
            keys = _pobj_actors(child, index)
            if keys:
                return keys
    return []


def _arguments(token: Token, specs: tuple[str, ...], index: EntityIndex) -> list[str]:
    for spec in specs:
        if spec == "none":
            return []
        keys: list[str] = []
        for child in token.children:
            if spec in ("dobj", "dative", "nsubj", "nsubjpass", "poss") and child.dep_ == spec:
                keys += index.actors_of(child)
            elif spec == "dative" and child.dep_ == "prep" and child.lower_ == "to":
                keys += _pobj_actors(child, index)
            elif spec == "of" and child.dep_ == "prep" and child.lower_ == "of":
                keys += _pobj_actors(child, index)
            elif spec.startswith("prep:") and child.dep_ in ("prep", "agent") and child.lower_ == spec[5:]:
                keys += _pobj_actors(child, index)
            elif spec == "purpose" and (child.dep_ in ("xcomp", "advcl", "acl")
                                        or (child.dep_ == "prep" and child.lower_ in index.purpose_preps)):
                keys += _first_actor_in(child, index)
        if spec == "nsubj" and not keys:
            keys = _subject(token, index)
        if keys:
            return keys
    return []


def _pobj_actors(preposition: Token, index: EntityIndex) -> list[str]:
    """The actors a preposition's object names, or else the owner of that object ("support
    to Russia's war" is support to Russia)."""
    keys: list[str] = []
    for child in preposition.children:
        if child.dep_ in ("pobj", "pcomp"):
            found = index.actors_of(child)
            if not found:
                found = [k for c in child.children if c.dep_ in ("poss", "compound") for k in index.actors_of(c)]
            if not found:  # "a suspension of air links with Serbia", "an end of cooperation with X"
                found = [k for c in child.children if c.dep_ == "prep" and c.lower_ == "with"
                         for k in _pobj_actors(c, index)]
            if not found:  # "an investigation into crimes committed by Croat forces"
                found = [k for c in child.children if c.dep_ == "acl"
                         for k in _passive_agent(c, index, require_passive=False) or []]
            keys += found
    return keys


def _event_date(token: Token, sentence: Span, date_entities: list[Span], published: date | None) -> date | None:
    """A date expression in the trigger's sentence, resolved against the publication date."""
    dates = [ent for ent in date_entities if sentence.start <= ent.start < sentence.end]
    if not dates:
        return None
    nearest = min(dates, key=lambda ent: abs(ent.root.i - token.i))
    return resolve_date(nearest.text, published)


def _event_place(token: Token, sentence: Span, index: EntityIndex) -> str | None:
    """A place in the trigger's sentence: attached to the trigger first, else anywhere in it."""
    best, best_distance = None, None
    places = index.place_of_token
    doc = sentence.doc
    for i in range(sentence.start, sentence.end):  # the arrays first: a Token only for places
        key = places[i]
        if key is None:
            continue
        candidate = doc[i]
        distance = abs(i - token.i)
        if token in candidate.ancestors:
            distance -= 100
        if best_distance is None or distance < best_distance:
            best, best_distance = key, distance
    return best
