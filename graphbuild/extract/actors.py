"""Actors and places in one document, and which tokens refer to which of them.

Recognition is knowledge-base first (the KB entity ruler), then spaCy NER, then general
rules over the parse: a state body owned or modified by a state stands for the state
("Ruritanian officials", "Ostia's government"), a capital used as an agent stands for its
state ("Zenda said") while one after a locative preposition is a place ("in Zenda"),
collective nouns make group actors ("pro-Bordurian separatists"), and short names,
pronouns and descriptions ("Ruiz", "he", "the alliance") corefer with the actors
already mentioned.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from urllib.parse import urlsplit
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.symbols import PRON
from spacy.tokens import Doc, Span, Token

from ..kb import KBEntry, KnowledgeBase
from ..model import Actor, Document, Place
from .rules import RuleSet, default_rules, rule
from .spans import text_span
from .tokens import TokenTable

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
TYPE_PREFERENCE = ("Organization", "Person", "Country")  # for a name NER labels evenly both ways
MAX_INSTITUTION_MODIFIERS = 5
MAX_TITLE_TAIL = 2  # title words after a name NER cut from its office ("Homeland Security | Secretary")
ACTING_DEPS = {"nsubj", "dobj", "dative", "agent", "poss"}  # a passive subject undergoes: "Zenda was shelled"
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "pobj", "agent", "conj", "appos", "poss"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "itself", "themselves"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
FIRST_PERSON = frozenset({"we", "us", "our", "ours", "i", "me", "my", "mine"})
GROUP_KEY_PREFIX = "group:"  # actors made from collective nouns, not from names
INSTITUTION_KEY_PREFIX = "institution:"  # a state's ministry, parliament or police, by its words and owner
POSSESSIVE = re.compile(r"(['’]s?)$")


@dataclass
class EntityIndex:
    """The actors and places of a document and the token → entity maps the other extractors use."""

    doc: Doc
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    actor_of_token: list[str | None] = field(default_factory=list)
    place_of_token: list[str | None] = field(default_factory=list)
    # Noun phrases that stand for several actors at once: "Chilean and Peruvian officials".
    co_actors: dict[int, list[str]] = field(default_factory=dict)
    partitives: frozenset[str] = frozenset()  # "one of", "some of", "members of"
    title_words: frozenset[str] = frozenset()  # words of office titles ("director of ...")
    directed_preps: frozenset[str] = frozenset()  # "talks with X", "sanctions on X"
    purpose_preps: frozenset[str] = frozenset()  # "a strike over the bill"
    example_preps: frozenset[str] = frozenset()  # "partners, including Ostia"
    example_verbs: frozenset[str] = frozenset()  # "partners, which include Ostia"
    ascribing_verbs: frozenset[str] = frozenset()  # "an attack ascribed to X"
    authority_types: frozenset[str] = frozenset()  # "put under investigation in Ostia": Ostia's act
    representatives: frozenset[str] = frozenset()  # "a spokesman for X" speaks for X
    table: TokenTable | None = None  # token arrays shared by the extractors
    rules: RuleSet = field(default_factory=default_rules)

    def kb_actor(self, entry: KBEntry) -> str:
        """The key of a knowledge-base actor, adding it to the document if needed."""
        if entry.id not in self.actors:
            self.actors[entry.id] = Actor(key=entry.id, name=entry.name, type=entry.type, country=entry.country,
                                          kb_id=entry.id)
        return entry.id

    def actor_at(self, token: Token) -> str | None:
        return self.actor_of_token[token.i]

    def most_named_state(self) -> str | None:
        """The state the document names most, if one is named more often than any other."""
        return self.most_named(lambda actor: actor.type == "Country")

    def most_named(self, kind) -> str | None:
        """The actor of a kind the document names most, if one is named more often than any other of that kind."""
        counts = sorted(((len(a.mentions), key) for key, a in self.actors.items() if kind(a)), reverse=True)
        if not counts or len(counts) > 1 and counts[0][0] == counts[1][0]:
            return None
        return counts[0][1]

    def actors_of(self, token: Token) -> list[str]:
        """The actors a token refers to: its own and its conjuncts' ("Ruritania, Borduria and Ostia"),
        or failing those, the actors a reference rule (stage ``actor.reference``) finds through it."""
        keys: list[str] = []
        for candidate in [token, *token.conjuncts]:
            for key in [self.actor_of_token[candidate.i], *self.co_actors.get(candidate.i, [])]:
                if key and key not in keys:
                    keys.append(key)
        if keys:
            return keys
        # An apposition first: "the Emir of Ostia, Sheikh Karim" is the Sheikh, not Ostia.
        for child in sorted(token.children, key=lambda c: c.dep_ != "appos"):
            for reference in self.rules.rules("actor.reference"):
                target = reference(self, token, child)
                if target is not None and target.i != token.i:
                    keys = self.actors_of(target)
                    if keys:
                        return keys
        return keys


@rule("actor.reference.apposition")
def apposition_reference(index: EntityIndex, token: Token, child: Token) -> Token | None:
    """An apposition names the actor: "one of these groups, the Eastern Front, ..."."""
    return child if child.dep_ == "appos" else None


@rule("actor.reference.partitive")
def partitive_reference(index: EntityIndex, token: Token, child: Token) -> Token | None:
    """A partitive's "of" names the actors: "one of the rebel groups", "members of the council" (ontology list partitive)."""
    if child.dep_ == "prep" and child.lower_ == "of" and token.lemma_.lower() in index.partitives:
        return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


@rule("actor.reference.title_holder")
def title_holder_reference(index: EntityIndex, token: Token, child: Token) -> Token | None:
    """A title's "of" names its holder: "Director of Intelligence Ana Ruiz"; so does a "to" that ends in a person: "Ambassador to Ostia Ana Ruiz"."""
    if child.dep_ != "prep" or child.lower_ not in ("of", "to") or token.lower_ not in index.title_words:
        return None
    holder = next((c for c in child.children if c.dep_ == "pobj"), None)
    if holder is None or child.lower_ == "of":
        return holder
    key = index.actor_of_token[holder.i]  # "the ambassador to Ostia" is no one named
    return holder if key and index.actors[key].type == "Person" else None


@rule("actor.reference.examples")
def examples_reference(index: EntityIndex, token: Token, child: Token) -> Token | None:
    """A vague group stands for the members it lists: "our partners, including Ostia and Borduria", "critics, which include X"."""
    if child.dep_ == "prep" and child.lower_ in index.example_preps:
        return next((c for c in child.children if c.dep_ == "pobj"), None)
    if child.dep_ == "relcl" and child.lemma_.lower() in index.example_verbs and any(
            c.dep_ == "nsubj" and c.lower_ in ("which", "that") for c in child.children):
        return next((c for c in child.children if c.dep_ == "dobj"), None)
    return None


def find_entities(doc: Doc, kb: KnowledgeBase, rules: RuleSet | None = None) -> EntityIndex:
    """The document's actors and places and which tokens refer to them: names first (stages
    ``actor.entity`` and ``actor.name``), then the passes over the parse (``actor.parse``)."""
    rules = rules or default_rules()
    index = EntityIndex(doc, rules=rules, actor_of_token=[None] * len(doc), place_of_token=[None] * len(doc),
                        partitives=kb.word_list("partitive"), title_words=kb.title_words,
                        directed_preps=kb.word_list("directed_prep"), purpose_preps=kb.word_list("purpose_prep"),
                        example_preps=kb.word_list("example_prep"), example_verbs=kb.word_list("example_verb"),
                        ascribing_verbs=kb.word_list("ascribing_verb"),
                        authority_types=kb.word_list("authority_type"), representatives=kb.word_list("representative"),
                        table=TokenTable(doc))
    builder = _Builder(index, kb)
    builder.add_entities()
    rules.each("actor.parse", builder)
    return index


class _Builder:
    def __init__(self, index: EntityIndex, kb: KnowledgeBase):
        self.index = index
        self.kb = kb
        self.doc = index.doc
        self.state_bodies = kb.word_list("state_body")
        self.collectives = kb.word_list("collective")
        self.locative = kb.word_list("locative_prep")
        self.motion = kb.word_list("motion_word")
        self.titles = kb.offices
        self.generic = kb.word_list("generic_name")
        self.pair_people = kb.word_list("pair_person")
        self.singular_groups = kb.word_list("singular_group")
        self.referring_words = kb.derived("referring_words", lambda knowledge: frozenset(
            knowledge.descriptors) | knowledge.word_list("pair_person") | knowledge.word_list("pair_state")
            | knowledge.word_list("state_noun") | knowledge.word_list("government_noun")
            | knowledge.word_list("company_noun"))
        self.state_nouns = kb.word_list("state_noun")
        self.government_nouns = kb.word_list("government_noun")
        self.company_nouns = kb.word_list("company_noun")
        self.naming_verbs = kb.word_list("naming_verb")
        self.pair_states = kb.word_list("pair_state")
        self.leading = kb.word_list("leading_participle")
        self.residence = kb.word_list("residence_word")
        self.foreign = kb.word_list("foreign_word")
        self.group_nouns = kb.word_list("group_noun")
        self.organization_heads = kb.word_list("organization_head")
        self.named_heads = self.state_bodies | self.organization_heads  # "Zenda officials", "the Green Dawn party"
        self.representatives = kb.word_list("representative")
        self.institutions = kb.word_list("institution")
        self.mass_institutions = kb.word_list("mass_institution")
        self.media_words = kb.word_list("media_word")
        self.place_nouns = kb.word_list("place_noun")
        self.party_preps = kb.word_list("party_prep")
        self.corporate_suffixes = kb.word_list("corporate_suffix")
        self.organization_kinds = kb.derived("organization_kinds", lambda knowledge: knowledge.word_list(
            "organization_noun") | knowledge.word_list("organization_head") | knowledge.word_list("group_noun"))
        self.non_actor_heads = kb.word_list("non_actor_head")
        self.common_nouns = kb.derived("common_actor_nouns", lambda knowledge: knowledge.word_list("collective")
                                       | knowledge.word_list("state_body") | knowledge.word_list("group_noun"))
        self.facility_heads = kb.word_list("facility_head")
        self.currencies = kb.word_list("currency")
        self.rules = index.rules

    # -- named entities ------------------------------------------------------------------

    def add_entities(self) -> None:
        """Named entities: each KB name through the stage ``actor.entity``, and each name the KB does
        not know through ``actor.name``, knowing all the mentions of that name in the document."""
        unknown: dict[str, list[Span]] = {}
        for ent in self.doc.ents:
            entry = self.kb.entries.get(ent.ent_id_) if ent.ent_id_ else None
            if entry is not None or ent.label_ == "NORP":
                self.rules.first("actor.entity", self, ent, entry)
            elif ent.label_ in NAME_LABELS:
                span = trimmed_name(self, ent) if self.rules.on("actor.span.trim") else ent
                if span is not None:
                    unknown.setdefault(_clean_name(span.text), []).append(span)
        self.place_names = {name for name, ents in unknown.items() if self._names_a_place(ents)}
        self.facility_names = {name for name in unknown if name.split()[-1].lower() in self.facility_heads}
        self.full_names = {name.split()[-1] for name, ents in unknown.items()
                           if len(name.split()) > 1 and ents[0].label_ == "PERSON"}
        for name, ents in unknown.items():
            for ent in ents:
                self.rules.first("actor.name", self, UnknownName(name, ent, ents))

    def _kb_person_by_surname(self, name: str, full_names: set[str]) -> KBEntry | None:
        if " " in name or name in full_names or not name[:1].isupper():
            return None  # a full name of the document's own ("Elena Novak") wins over a KB Novak
        ids = self.kb.surnames.get(name, [])
        return self.kb.entries[ids[0]] if len(ids) == 1 else None

    def _names_a_place(self, ents: list[Span]) -> bool:
        """Whether a name is a place: more of its mentions are places ("near Zenda", a location
        label) than organisations that act ("Harbour Air" banned, though NER once calls it a
        facility; "NASA said" many times, "in NASA" once)."""
        places = sum(1 for e in ents if self._names_place(e))
        acting = sum(1 for e in ents if e.label_ == "ORG" and (
            e.root.dep_ in ACTING_DEPS or e.root.dep_ == "pobj" and not self._is_locative(e.root)
            and not self._names_a_settlement(e.root)))  # "a ban on X", but not "the city of X"
        return places > acting

    def _names_place(self, ent: Span) -> bool:
        if ent.root.lemma_.lower() in self.state_bodies:
            return False  # "the Interior Ministry" is never a place, whatever preposition precedes it
        if ent.label_ in ("LOC", "FAC"):
            return True
        if ent.label_ == "GPE":
            if self.rules.on("actor.unknown_gpe.party_to_act"):
                return gpe_is_place(self, ent)
            return ent.root.dep_ not in SUBJECT_DEPS | {"poss"}  # an unknown GPE that acts or owns is a state
        return ent.label_ in ("PERSON", "ORG") and len(ent) <= 3 and self._is_locative(ent.root)

    def _names_a_settlement(self, token: Token) -> bool:
        """"the port town of Zenda", "the capital, Zenda", "Zenda province": the name of a kind of place."""
        head = token.head
        if token.dep_ == "pobj" and head.lower_ == "of":
            head = head.head
        elif token.dep_ not in ("appos", "compound"):
            return False
        return head.lemma_.lower() in self.place_nouns

    def _listed_with_place(self, ent: Span) -> bool:
        return any(self.index.place_of_token[t.i] for t in ent.root.conjuncts)

    def _organization_head(self, ent: Span) -> Token | None:
        """The noun such as "party" or "movement" that a name modifies right before it, if any."""
        head = ent.root.head
        if (ent.root.dep_ not in ("compound", "nmod") or head.i < ent.end or head.pos_ != "NOUN"
                or head.lemma_.lower() not in self.organization_heads):
            return None
        between = self.doc[ent.end: head.i]
        return head if all(t.is_punct or t.pos_ == "PROPN" for t in between) else None

    def add_named_groups(self) -> None:
        """"The Green Dawn party": capitalised words no entity covers, before a noun such as
        "party", name an organisation; "the Red Hand faction" is the named one."""
        for token in self.index.table.nouns():
            if token.lemma_.lower() not in self.organization_heads or self.index.actor_of_token[token.i]:
                continue
            names = [c for c in token.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
            if self._members_of_named(token):  # "the Green Dawn religious faction": Green Dawn
                continue
            if not names or any(self.index.actor_of_token[t.i] or self.index.place_of_token[t.i] or t.ent_type_
                                or not t.text[:1].isupper() for t in names):
                continue
            start = names[0].i
            # "Doctors for Oceans Foundation": capitalised words linked by "for", "of" or "and" before it.
            while (start > 1 and self.doc[start - 1].lower_ in ("for", "of", "and")
                   and self.doc[start - 2].pos_ == "PROPN" and self.doc[start - 2].text[:1].isupper()
                   and not self.doc[start - 2].ent_type_ and not self.index.actor_of_token[start - 2]):
                start -= 2
            span = self.doc[start: token.i + 1]
            if all(t.pos_ == "PROPN" or t.is_punct or t.i == token.i or t.i < names[0].i for t in span):
                self._add_actor(span, "Organization", _clean_name(span.text))

    def _in_title(self, ent: Span) -> bool:
        """Whether a name is part of an office title: "Director of X", or the first words of one
        ("Homeland Security" in "Homeland Security Secretary")."""
        head = ent.root.head
        named = self.doc[ent.start].lower_ == "the" or ent.start > 0 and self.doc[ent.start - 1].lower_ == "the"
        if ent.root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in self.kb.title_words and not named:
            return True  # "Director of National Intelligence"; but "head of the Harbour Union" names the union
        if (ent.start > 1 and self.doc[ent.start - 1].lower_ == "of" and self.doc[ent.start - 2].lower_ in self.titles
                and ent.end < len(self.doc) and self.doc[ent.end].ent_type_ == "PERSON"):
            return True  # "Director of Maritime Affairs Lee Dal": the title's words, then the name
        words = [t.lower_ for t in ent]
        following = [t.lower_ for t in self.doc[ent.end: ent.end + MAX_TITLE_TAIL]]
        return any(" ".join(words + following[:n]) in self.titles for n in range(1, len(following) + 1))

    def _state_body_name(self, ent: Span) -> str | None:
        """"U.S. Armed Forces", "Turkish Armed Forces": a named body of a state stands for it."""
        if ent.root.lemma_.lower() not in self.state_bodies:
            return None
        for token in ent:
            entry = self.kb.entries.get(token.ent_id_) if token.ent_id_ else None
            for entry_id in self.kb.names.get(token.text, []) + self.kb.demonyms.get(token.lower_, []):
                entry = entry or self.kb.entries.get(entry_id)
            if entry is not None and entry.type == "Country":
                return self._actor_key_for(entry.type, entry.name, entry)
        return None

    def _kb_place(self, surface: str) -> KBEntry | None:
        for entry_id in self.kb.names.get(surface, []):
            entry = self.kb.entries[entry_id]
            if entry.type == "Place":
                return entry
        return None

    def _is_locative(self, token: Token) -> bool:
        """Whether a name is used as a location ("in Zenda", "trip to Zenda") rather than as an agent."""
        while token.dep_ in ("conj", "appos"):
            token = token.head
        if token.dep_ == "compound" and token.head.pos_ == "NOUN":
            # "a Zenda car bombing", "the Zenda summit": where it happened; but "Zenda
            # officials", "a Zenda court": a body of the state; "the Green Dawn party": a name;
            # "Zenda TV photojournalist": the office's organisation.
            return token.head.lemma_.lower() not in self.named_heads and token.head.lower_ not in self.titles
        if token.dep_ != "pobj":
            return token.dep_ in ("npadvmod",) and token.head.pos_ == "VERB"
        preposition = token.head
        if preposition.lower_ in self.locative:
            return True
        if preposition.lower_ == "to":
            return preposition.head.lemma_.lower() in self.motion
        if preposition.lower_ == "from":
            return preposition.head.pos_ in ("VERB", "AUX") and preposition.head.lemma_.lower() in self.motion
        return False

    def _person_name(self, ent: Span) -> str:
        tokens = list(ent)
        # Titles inside the entity ("President Ruiz") are roles, not part of the name.
        while len(tokens) > 1 and tokens[0].lower_ in self.kb.title_words:
            tokens = tokens[1:]
        name = _clean_name(self.doc[tokens[0].i: tokens[-1].i + 1].text)
        return name if name and any(c.isupper() for c in name[:1]) else ""

    # -- rules over the parse --------------------------------------------------------------

    def add_state_bodies(self) -> None:
        """"Ruritanian officials", "Ostia's government", "alliance defence ministers" → the state or
        organisation. Any noun modified by a state's adjective stands for the state when it is
        an argument ("a Chilean businessman sued ..."); state bodies do also when owned."""
        for token in self.index.table.nouns():
            if self.index.actor_of_token[token.i]:
                continue
            is_body = token.lemma_.lower() in self.state_bodies
            if not is_body and (token.dep_ not in ARGUMENT_DEPS or token.lower_ in self.kb.title_words
                                or token.lemma_.lower() in self.collectives
                                and not (self.rules.on("actor.group_member.demonym") and demonym_member(self, token))):
                # A title ("Chilean President ...") belongs to the person, and "Ostian guerrillas"
                # are a group of that country, not its state; but "a Chilean student" is one person
                # of that state.
                continue
            owners, _ = self.rules.first("actor.body_owner", self, token, is_body)
            if not owners:
                continue
            start = min(child.left_edge.i for child in token.children if child.i < token.i) if token.n_lefts else token.i
            while start < token.i and (self.doc[start].dep_ == "det" or self.doc[start].pos_ in ("DET", "ADJ")
                                       and not self.doc[start].ent_type_):
                start += 1
            span = self.doc[start: token.i + 1]
            self._map_tokens(span, owners[0], alias=False)
            self.index.actors[owners[0]].mentions.append(text_span(span))
            if len(owners) > 1:
                self.index.co_actors[token.i] = owners[1:]

    def add_institutions(self) -> None:
        """A state's ministry, parliament, police or agency is an organisation of its own, of
        that state ("the Ruritanian police", "Ostia's Foreign Ministry", "the Parliament of
        Ostia", "police in Zenda"); "the police" or "Parliament" without an owner is the one
        the document names with its owner, or else an organisation of that name."""
        table = self.index.table
        hashes = table.hashes(self.institutions)
        candidates = {t.i: t for t in table.with_lemma(hashes) + table.with_lower(hashes)}
        unowned: list[tuple[Span, str]] = []
        owned: dict[str, list[str]] = {}  # label ("foreign ministry") → the owned institutions' keys
        for token in (candidates[i] for i in sorted(candidates)):
            if (token.pos_ not in ("NOUN", "PROPN") or self.index.actor_of_token[token.i]
                    or self.index.place_of_token[token.i] or self._is_locative(token)
                    or any(c.dep_ == "appos" and self.index.actor_of_token[c.i] or c.lower_ in self.media_words
                           for c in token.children)):
                continue
            owner, country, of_end = self._institution_owner(token)
            words = [c for c in token.lefts if c.dep_ in ("compound", "amod") and not c.ent_type_
                     and not self.index.actor_of_token[c.i] and not self.index.place_of_token[c.i]]
            lemma = token.lemma_.lower()
            label = " ".join([w.lower_ for w in words] + [lemma])
            start = token.i  # the modifiers right before it: "Ostia's Foreign Ministry", "the Ruritanian police"
            while start > 0 and self.doc[start - 1].dep_ in ("compound", "amod", "poss", "nmod", "case", "punct") \
                    and token.i - start < MAX_INSTITUTION_MODIFIERS \
                    and (start - 1 <= self.doc[start - 1].head.i <= token.i or self.doc[start - 1].dep_ == "case"):
                start -= 1
            while start < token.i and self.doc[start].pos_ in ("DET", "PUNCT", "PART"):
                start += 1
            span = self.doc[start: max(token.i + 1, of_end, self._name_phrase_end(token))]
            if owner is None:
                particular = _definite(token) or token.pos_ == "PROPN" and token.tag_ not in ("NNS", "NNPS")
                if not particular and (lemma not in self.mass_institutions or token.dep_ not in SUBJECT_DEPS | {"dobj"}):
                    continue  # "a ministry", "agencies", "raids by police": no particular one
                unowned.append((span, label))
                continue
            key = f"{INSTITUTION_KEY_PREFIX}{label}|{owner}"
            if key not in self.index.actors:
                self.index.actors[key] = Actor(key=key, name=_clean_name(span.text), type="Organization",
                                               country=country)
                owned.setdefault(label, []).append(key)
            self._map_tokens(span, key, alias=True)
        for span, label in unowned:
            # "the ministry" after "the Foreign Ministry of Ostia": an owned one whose label ends the same
            same = [k for known, keys in owned.items() if known.split()[-len(label.split()):] == label.split()
                    for k in keys]
            key = self._named_institution(label) or (same[0] if len(same) == 1 else f"{INSTITUTION_KEY_PREFIX}{label}|")
            if key not in self.index.actors:
                self.index.actors[key] = Actor(key=key, name=_clean_name(span.text), type="Organization")
            self._map_tokens(span, key, alias=True)

    def _name_phrase_end(self, token: Token) -> int:
        """Where a capitalised institution's name ends: "Commission on Religious Freedom"."""
        if not token.text[:1].isupper():
            return 0
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ in ("on", "for", "of"):
                rest = []
                for t in self.doc[child.i + 1: child.right_edge.i + 1]:
                    if t.text in OPENING_BRACKETS:
                        break  # "... Freedom (CRF)"
                    rest.append(t)
                if rest and all(t.text[:1].isupper() or t.pos_ in ("ADP", "CCONJ", "DET") for t in rest):
                    return rest[-1].i + 1
        return 0

    def _named_institution(self, label: str) -> str | None:
        """The one named organisation of the document that "the commission" or "the ministry"
        refers to: its name ends with that word, or the KB gives it as its descriptor."""
        head = label.split()[-1]
        found = []
        for key, actor in self.index.actors.items():
            if actor.type != "Organization" or is_generic_group(actor) or key.startswith(INSTITUTION_KEY_PREFIX):
                continue
            entry = self.kb.entries.get(actor.kb_id or "")
            if actor.name.lower().split()[-1] == head or entry is not None and head in entry.descriptors:
                found.append(key)
        return found[0] if len(found) == 1 else None

    def _institution_owner(self, token: Token) -> tuple[str | None, str | None, int]:
        """Whose institution a noun is: (owner id, its country, end of an "of" phrase naming it)."""
        modifiers = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        states = [k for k in self._owners_among(modifiers) if self.index.actors[k].type == "Country"]
        if states:
            return states[0], self.index.actors[states[0]].country, 0
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                states = [k for k in self._of_owners(child) if self.index.actors[k].type == "Country"]
                if states:
                    return states[0], self.index.actors[states[0]].country, child.right_edge.i + 1
        places = [self.index.places[p] for c in modifiers for p in [self.index.place_of_token[c.i]] if p]
        where = self._residence(token)
        if where is not None:
            key = self.index.actor_of_token[where.i]
            if key and self.index.actors[key].type == "Country":
                return key, self.index.actors[key].country, 0
            places += [self.index.places[p] for p in [self.index.place_of_token[where.i]] if p]
        if places:
            return places[0].key, places[0].country, 0
        return None, None, 0

    def _owners_among(self, modifiers: list[Token]) -> list[str]:
        """The states and organisations the modifiers (and their conjuncts) name."""
        owners: list[str] = []
        for child in modifiers:
            for modifier in [child, *child.conjuncts]:
                owner = self._actor_or_demonym(modifier)
                if owner and self.index.actors[owner].type != "Person" and owner not in owners:
                    owners.append(owner)
        return owners

    def _of_owners(self, preposition: Token) -> list[str]:
        """"officials of the Ostian government", "a spokesman for the Ruritanian prime minister": the
        actor the "of" or "for" phrase names, or the owner of the body it names."""
        keys: list[str] = []
        for pobj in (c for c in preposition.children if c.dep_ == "pobj"):
            for candidate in [pobj, *pobj.conjuncts]:
                key = self._actor_or_demonym(candidate)
                if key is None and candidate.lemma_.lower() in self.state_bodies:
                    key = next((k for c in candidate.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                                for k in [self._actor_or_demonym(c)] if k), None)
                if key and self.index.actors[key].type != "Person" and key not in keys:
                    keys.append(key)
        return keys

    def _residence(self, token: Token) -> Token | None:
        """"Police in Ostia", "opposition groups throughout Borduria", "a group based in Ostia": the
        name of where a body or group without an owner is, unless it is one usually posted abroad
        ("diplomats in Zenda", "foreign troops in Ostia")."""
        if token.lemma_.lower() in self.foreign or any(
                c.dep_ in ("amod", "compound") and c.lemma_.lower() in self.foreign for c in token.children):
            return None
        for child in token.children:
            if child.dep_ == "acl" and child.lemma_.lower() in self.residence:  # "based in"
                child = next((c for c in child.children if c.dep_ == "prep"), child)
            if child.dep_ == "prep" and child.lower_ in self.residence:
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        return None

    def _actor_or_demonym(self, token: Token) -> str | None:
        key = self.index.actor_of_token[token.i]
        if key:
            return key
        if token.ent_type_ == "NORP" and token.ent_id_ in self.kb.entries:
            entry = self.kb.entries[token.ent_id_]
            return self._actor_key_for(entry.type, entry.name, entry)
        return None

    def add_collectives(self) -> None:
        """Group actors that are not named organisations: "pro-Bordurian separatists", "the rebels"."""
        candidates = self.index.table.with_lemma(self.index.table.hashes(self.collectives))
        by_index = {t.i: t for t in candidates}
        members: list[Token] = []
        for modifier in candidates:  # "separatist fighters": the head of a collective modifier
            if modifier.dep_ in ("compound", "amod") and modifier.lemma_.lower() not in self.foreign:
                by_index.setdefault(modifier.head.i, modifier.head)
        for token in (by_index[i] for i in sorted(by_index)):
            if token.pos_ != "NOUN" or self.index.actor_of_token[token.i] or token.tag_ not in ("NNS", "NN"):
                continue
            if token.dep_ in ("compound", "amod", "nmod") and self.index.actor_of_token[token.head.i]:
                continue  # "the opposition Green Dawn party": a description of the named actor
            if self._members_of_named(token):  # "Green Dawn guerrillas": the organisation's own fighters
                continue
            if self.rules.on("actor.group_member.kb_descriptor") and kb_descriptor_group(self, token):
                continue  # "the rebels" after a KB group: coreference finds it
            lemma = token.lemma_.lower()
            modifier = next((c for c in token.children if c.dep_ in ("compound", "amod")
                             and c.lemma_.lower() in self.collectives), None)
            if lemma not in self.collectives and (modifier is None or lemma not in self.state_bodies
                                                  and lemma not in self.group_nouns):
                continue  # "separatist fighters", "rebel groups" are groups; "civilian property" is not
            if token.tag_ == "NN" and modifier is None and lemma not in self.singular_groups:
                members.append(token)  # a singular noun ("a rebel") is a person, not the group
                continue
            group_lemma = modifier.lemma_.lower() if modifier is not None else lemma
            start = token.i
            for child in token.lefts:
                if child.dep_ in ("amod", "compound") and not self.index.actor_of_token[child.i]:
                    start = min(start, child.left_edge.i)
            while start < token.i and (self.doc[start].pos_ in ("DET", "NUM", "PUNCT")):
                start += 1
            span = self.doc[start: token.i + 1]
            key = f"{GROUP_KEY_PREFIX}{group_lemma}"
            if key not in self.index.actors:
                self.index.actors[key] = Actor(key=key, name=_clean_name(span.text), type="Organization",
                                               country=self._demonym_country(span) or self._residence_country(token))
            self._map_tokens(span, key, alias=True)
        if self.rules.on("actor.group_member.plural_named"):
            for token in members:
                key = plural_named_group(self, token)
                if key:
                    self._map_tokens(self.doc[token.i: token.i + 1], key, alias=False)

    def _demonym_country(self, span: Span) -> str | None:
        """The country of a group named with a state's adjective ("Ostian guerrillas")."""
        for token in span:
            entry = self.kb.entries.get(token.ent_id_) if token.ent_type_ == "NORP" else None
            if entry is not None and entry.country:
                return entry.country
        return None

    def _members_of_named(self, token: Token) -> bool:
        """Map a group noun named after an organisation to it (rule actor.members_of_named)."""
        if not self.rules.on("actor.members_of_named.organization"):
            return False
        named = named_organization(self, token)
        if named:
            self._map_tokens(self.doc[token.i: token.i + 1], named, alias=False)
        return named is not None

    def _residence_country(self, token: Token) -> str | None:
        """The state where a group is ("opposition groups in Ostia", "rebels in the north of Ostia")."""
        where = self._residence(token)
        if where is None:
            return None
        key = self.index.actor_of_token[where.i]
        if key and self.index.actors[key].type == "Country":
            return self.index.actors[key].country
        place = self.index.places.get(self.index.place_of_token[where.i] or "")
        return place.country if place is not None else None

    def merge_short_person_names(self) -> None:
        """"Ruiz" after "Ana Ruiz" in the same document is the same person, whatever
        label the NER gave the short form."""
        full = [a for a in self.index.actors.values() if a.type == "Person" and len(a.name.split()) > 1]
        for actor in list(self.index.actors.values()):
            if actor.kb_id or len(actor.name.split()) != 1 or actor.type == "Country":
                continue
            matches = {f.key for f in full if f is not actor and actor.name in (f.name.split()[-1], f.name.split()[0])}
            if len(matches) == 1:
                self._merge(actor.key, matches.pop())

    def map_untagged_surnames(self) -> None:
        """A surname NER did not tag, of the one person the document names in full with it, is that
        person: "Ruiz apologised" after "Ana Ruiz" (a tagged one is merged by short_person_name)."""
        owners: dict[str, set[str]] = defaultdict(set)
        for key, actor in self.index.actors.items():
            words = actor.name.split()
            if actor.type == "Person" and len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 1:
                owners[words[-1]].add(key)
        surnames = {name: keys.pop() for name, keys in owners.items() if len(keys) == 1}
        if not surnames:
            return
        matcher = PhraseMatcher(self.doc.vocab, attr="ORTH")
        for name in surnames:
            matcher.add(name, [Doc(self.doc.vocab, words=[name])])
        for match_id, start, _end in matcher(self.doc):
            token = self.doc[start]
            if (token.pos_ != "PROPN" or token.ent_type_ or self.index.actor_of_token[token.i]
                    or self.index.place_of_token[token.i] or token.dep_ == "compound"
                    or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in token.children)):
                continue  # part of a longer name, or a name NER gave another reading
            self._map_tokens(self.doc[start:start + 1], surnames[self.doc.vocab.strings[match_id]], alias=True)

    def map_repeated_names(self) -> None:
        """Where NER missed a name the document gave an actor elsewhere ("Zorbex founder ..."),
        the name is still that actor. Names of the KB are found by its entity ruler already."""
        matcher = PhraseMatcher(self.doc.vocab, attr="ORTH")
        for key, actor in self.index.actors.items():
            if actor.kb_id or is_generic_group(actor):
                continue
            forms = {}
            for span in self._mention_spans(actor):
                words = [t.text for t in span if t.pos_ != "DET"]
                # A surname alone ("Jackson" of "Ana Jackson") may be another person's: it does not recur as her.
                short = actor.type == "Person" and len(words) < len(actor.name.split())
                if span.text[:1].isupper() and len(span.text) > 1 and not short:
                    forms.setdefault(" ".join(words), Doc(self.doc.vocab, words=words))
                    if actor.type == "Organization" and len(words) > 1 and words[-1].lower() in self.corporate_suffixes:
                        forms.setdefault(" ".join(words[:-1]), Doc(self.doc.vocab, words=words[:-1]))  # "Zorbex" for "Zorbex Corp."
            if forms:
                matcher.add(key, list(forms.values()))
        if not len(matcher):
            return
        for match_id, start, end in matcher(self.doc):
            span = self.doc[start:end]
            if all(self.index.actor_of_token[t.i] is None and self.index.place_of_token[t.i] is None
                   for t in span):
                self._map_tokens(span, self.doc.vocab.strings[match_id], alias=True)

    def _mention_spans(self, actor: Actor) -> list[Span]:
        spans = (self.doc.char_span(m.start, m.end, alignment_mode="expand") for m in actor.mentions)
        return [span for span in spans if span is not None]

    def retype_title_owners(self) -> None:
        """A one-word name NER took for a person but that qualifies an office title names the
        office's organisation: "Zorbex founder Ana Ruiz", "Zorbex CEO"."""
        for actor in self.index.actors.values():
            if actor.kb_id or actor.type != "Person" or len(actor.name.split()) != 1:
                continue
            if any(span.root.dep_ in ("compound", "nmod") and span.root.head.lower_ in self.titles
                   for span in self._mention_spans(actor)):
                actor.type = "Organization"

    def retype_introduced_organizations(self) -> None:
        """A name NER took for a person or a place is an organisation when a noun for a kind of
        organisation introduces it: "the airline Zorbex", "the charity Helping Hands"."""
        kinds = self.organization_kinds
        for actor in self.index.actors.values():
            if actor.kb_id or actor.type == "Organization" or is_generic_group(actor):
                continue
            for span in self._mention_spans(actor):
                before = self.doc[span.start - 1] if span.start > 0 else None
                head = span.root.head if span.root.dep_ == "appos" else before
                if (head is not None and head.pos_ == "NOUN" and not head.ent_type_ and head.lemma_.lower() in kinds
                        and not self.index.actor_of_token[head.i]):
                    actor.type = "Organization"
                    break

    def retype_titled_people(self) -> None:
        """A name NER took for an organisation is a person when an office title stands in
        apposition to it ("a spokesperson, Ana Ruiz"), right before it ("Spokesperson Ana
        Ruiz", also inside the entity), or when it is listed with a person ("Presidents Ana
        Ruiz and Karl Weiss")."""
        for actor in self.index.actors.values():
            if actor.kb_id or actor.type != "Organization" or is_generic_group(actor):
                continue
            name = next((n for n in map(self._titled_person_name, self._mention_spans(actor)) if n), None)
            if name:
                actor.type, actor.name = "Person", name

    def _titled_person_name(self, span: Span) -> str | None:
        """The person's name in a span that a title marks as a person's, else None."""
        words = [w for w in span if w.pos_ != "DET"]
        title = next((n for n in range(len(words) - 1, 0, -1)
                      if " ".join(w.lower_ for w in words[:n]) in self.titles), 0)
        words = words[title:]
        if not 2 <= len(words) <= 4 or not all(w.pos_ == "PROPN" and w.text[:1].isupper() for w in words):
            return None
        root = span.root
        before = self.doc[words[0].i - 1] if words[0].i > 0 else None
        titled = (title > 0 or before is not None and before.lower_ in self.titles
                  or root.dep_ == "appos" and root.head.lower_ in self.titles
                  or root.dep_ == "conj" and self._is_person_token(root.head))
        return " ".join(w.text for w in words) if titled else None

    def _is_person_token(self, token: Token) -> bool:
        key = self.index.actor_of_token[token.i]
        return key is not None and self.index.actors[key].type == "Person"

    def merge_same_names(self) -> None:
        """One name is one actor: mentions of a name the KB does not know that NER labelled
        differently ("Harbour Air" as an organisation and as a state) join the actor most of
        them made."""
        by_name: dict[str, list[Actor]] = {}
        for actor in self.index.actors.values():
            if not actor.kb_id and not is_generic_group(actor):
                by_name.setdefault(actor.name.casefold(), []).append(actor)
        for same in by_name.values():
            if len(same) > 1:
                same.sort(key=lambda a: (-len(a.mentions), TYPE_PREFERENCE.index(a.type)))
                for other in same[1:]:
                    self._merge(other.key, same[0].key)

    def merge_short_organization_names(self) -> None:
        """"Harbour" after "Harbour Freight" and "HFU" after "Harbour Freight Union" are that
        organisation: a one-word name the KB does not know that begins, or is the initials of,
        exactly one longer organisation name of the document."""
        longer = [a for a in self.index.actors.values() if a.type == "Organization" and len(a.name.split()) > 1]
        for actor in list(self.index.actors.values()):
            if actor.kb_id or len(actor.name.split()) != 1 or is_generic_group(actor):
                continue
            matches = {f.key for f in longer if f is not actor
                       and (f.name.split()[0] == actor.name or _is_acronym_of(actor.name, f.name))}
            if len(matches) == 1:
                self._merge(actor.key, matches.pop())

    def _described_noun(self, name: Token) -> Token | None:
        """The common noun a name is given to: "armed men called the Red Hand", "the militia,
        the Eastern Front", "the airline Zorbex": a later "the men", "the militia", "the airline" is that actor."""
        head = name.head
        before = self.doc[name.i - 1] if name.i > 0 else None
        if (before is not None and before.pos_ == "NOUN" and name.pos_ == "PROPN" and not before.ent_type_
                and before.lemma_.lower() in self.organization_kinds):
            head = before  # "the airline Zorbex", "Iranian airline Zorbex Air"
        elif name.dep_ == "oprd" and head.lemma_.lower() in self.naming_verbs and head.dep_ == "acl":
            head = head.head
        elif name.dep_ != "appos":
            return None
        if head.pos_ != "NOUN" or self.index.actor_of_token[head.i] is not None:
            return None
        return head

    def _refers_to_a_pair(self, token: Token) -> bool:
        """"the two officials", "both countries"."""
        lemma = token.lemma_.lower()
        if lemma not in self.pair_people and lemma not in self.pair_states:
            return False
        return any(c.lower_ in ("two", "both") and c.dep_ in ("nummod", "det", "predet") for c in token.children)

    def _last_two(self, recent: list[str], actor_type: str | None) -> list[str]:
        """The two actors mentioned last: people, or else states and organisations."""
        wanted = [k for k in reversed(recent)
                  if (self.index.actors[k].type == "Person") == (actor_type == "Person")]
        return list(reversed(wanted[:2])) if len(wanted) >= 2 else []

    def _descriptor_referent(self, token: Token, seen: set[str]) -> str | None:
        # KB descriptors are written as news uses them, singular or plural ("the alliance", "the rebels").
        candidates = self.kb.descriptors.get(token.lemma_.lower(), []) + self.kb.descriptors.get(token.lower_, [])
        keys = [k for k in seen if self.index.actors[k].kb_id in candidates]
        return keys[-1] if len(keys) == 1 else None

    # -- bookkeeping -----------------------------------------------------------------------

    def _add_actor(self, ent: Span, actor_type: str, name: str, entry: KBEntry | None = None) -> None:
        key = self._actor_key_for(actor_type, name, entry)
        self._map_tokens(ent, key, alias=True)

    def _actor_key_for(self, actor_type: str, name: str, entry: KBEntry | None) -> str:
        key = entry.id if entry is not None else f"{actor_type}:{name.casefold()}"
        if key not in self.index.actors:
            self.index.actors[key] = Actor(
                key=key, name=entry.name if entry else name, type=actor_type,
                country=entry.country if entry else None, kb_id=entry.id if entry else None,
            )
        return key

    def _add_place(self, ent: Span, name: str, kb_id: str | None, country: str | None) -> None:
        key = kb_id or f"place:{name.casefold()}"
        place = self.index.places.get(key)
        if place is None:
            place = self.index.places[key] = Place(key=key, name=name, kb_id=kb_id, country=country)
        place.aliases.add(_clean_name(ent.text))
        place.mentions.append(text_span(ent))
        for token in ent:
            self.index.place_of_token[token.i] = key

    def _map_tokens(self, span: Span, key: str, alias: bool) -> None:
        actor = self.index.actors[key]
        if alias:
            actor.aliases.add(_clean_name(span.text))
            actor.mentions.append(text_span(span))
        for token in span:
            if self.index.actor_of_token[token.i] is None or alias:
                self.index.actor_of_token[token.i] = key

    def _merge(self, old: str, new: str) -> None:
        source, target = self.index.actors.pop(old), self.index.actors[new]
        target.aliases |= source.aliases
        target.mentions += source.mentions
        self.index.actor_of_token = [new if k == old else k for k in self.index.actor_of_token]


# -- the passes over the parse (stage actor.parse) ---------------------------------------------


@rule("actor.parse.named_group")
def named_groups(b: _Builder) -> None:
    """Capitalised words no entity covers, before a noun such as "party", name an organisation: "the Green Dawn party"."""
    b.add_named_groups()


@rule("actor.parse.institution")
def institutions(b: _Builder) -> None:
    """A state's ministry, parliament, police or agency is an organisation of that state: "the Ruritanian police", "the Parliament of Ostia"."""
    b.add_institutions()


@rule("actor.parse.state_body")
def state_bodies(b: _Builder) -> None:
    """A state body owned by a state stands for it ("Ruritanian officials", "Ostia's government"; stage actor.body_owner)."""
    b.add_state_bodies()


@rule("actor.parse.collective")
def collectives(b: _Builder) -> None:
    """Collective nouns are group actors: "the rebels", "separatist fighters", "opposition groups"."""
    b.add_collectives()


@rule("actor.parse.short_person_name")
def short_person_names(b: _Builder) -> None:
    """A one-word name after a full name of the document is that person: "Ruiz" after "Ana Ruiz"."""
    b.merge_short_person_names()


@rule("actor.parse.repeated_name")
def repeated_names(b: _Builder) -> None:
    """A name the document gave an actor is that actor wherever it recurs, also where NER missed it, and a company without "Corp.": "Zorbex founder"."""
    b.map_repeated_names()


@rule("actor.parse.title_owner")
def title_owners(b: _Builder) -> None:
    """A one-word name that qualifies an office title is an organisation, not a person: "Zorbex founder Ana Ruiz"."""
    b.retype_title_owners()


@rule("actor.parse.introduced_organization")
def introduced_organizations(b: _Builder) -> None:
    """A name introduced by a noun for a kind of organisation is an organisation: "the airline Zorbex", "the charity Helping Hands"."""
    b.retype_introduced_organizations()


@rule("actor.parse.titled_person")
def titled_people(b: _Builder) -> None:
    """A name NER took for an organisation is a person when an office title marks it: "a spokesperson, Ana Ruiz"."""
    b.retype_titled_people()


@rule("actor.parse.same_name")
def same_names(b: _Builder) -> None:
    """Mentions of one name that NER labelled differently are one actor, of the type most of them give: "Harbour Air"."""
    b.merge_same_names()


@rule("actor.parse.untagged_surname")
def untagged_surnames(b: _Builder) -> None:
    """A surname NER missed, of the one person the document names in full with it, is that person: "Ruiz apologised" after "Ana Ruiz"."""
    b.map_untagged_surnames()


@rule("actor.parse.short_organization_name")
def short_organization_names(b: _Builder) -> None:
    """A first word or the initials of an organisation's name is that organisation: "Harbour", "HFU" after "Harbour Freight Union"."""
    b.merge_short_organization_names()


@rule("actor.parse.coreference")
def coreferences(b: _Builder) -> None:
    """Pronouns and definite descriptions refer to actors already mentioned (stage coref)."""
    Coreference(b).resolve()


@rule("actor.group_member.plural_named")
def plural_named_group(b: _Builder, token: Token) -> str | None:
    """One member of a group the document names in the plural stands for the group: "a protester was shot" after "the protesters"."""
    key = f"{GROUP_KEY_PREFIX}{token.lemma_.lower()}"
    return key if key in b.index.actors and token.dep_ in ARGUMENT_DEPS else None


@rule("actor.group_member.kb_descriptor")
def kb_descriptor_group(b: _Builder, token: Token) -> str | None:
    """A bare definite collective noun that describes a KB actor of the document is that actor, not a new group: "the rebels"."""
    if not _definite(token) or token.n_lefts != 1:
        return None
    return b._descriptor_referent(token, set(b.index.actors))


@rule("actor.group_member.demonym")
def demonym_member(b: _Builder, token: Token) -> bool:
    """One member of a group with a state's adjective stands for the state: "police arrested a Chilean student"."""
    return token.tag_ == "NN"


@rule("actor.members_of_named.organization")
def named_organization(b: _Builder, token: Token) -> str | None:
    """Fighters or a faction named after an organisation are it: "Green Dawn guerrillas", "the Green Dawn faction"."""
    for child in token.children:
        key = b.index.actor_of_token[child.i] if child.dep_ in ("compound", "nmod") else None
        if key and not key.startswith(GROUP_KEY_PREFIX) and b.index.actors[key].type == "Organization":
            return key
    return None


# -- whom a body stands for (stage actor.body_owner) --------------------------------------------------


@rule("actor.body_owner.led_by")
def led_by_owner(b: _Builder, token: Token, is_body: bool) -> list[str] | None:
    """"X-led forces" are X's: "Ruritanian-led troops"."""
    if not is_body:
        return None
    for child in token.children:
        if child.dep_ == "amod" and child.lemma_.lower() in b.leading:
            leader = next((c for c in child.children if c.dep_ in ("npadvmod", "compound", "nmod")), None)
            owners = b._owners_among([leader]) if leader is not None else []
            if owners:
                return owners
    return None


@rule("actor.body_owner.modifier")
def modifier_owner(b: _Builder, token: Token, is_body: bool) -> list[str] | None:
    """A state body modified or owned by a state or organisation is it: "Ruritanian officials", "Ostia's army"."""
    if not is_body:
        return None
    return b._owners_among([c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")]) or None


@rule("actor.body_owner.demonym_argument")
def demonym_argument_owner(b: _Builder, token: Token, is_body: bool) -> list[str] | None:
    """Any noun with a state's adjective stands for the state when it acts or is acted on: "a Ruritanian businessman sued X"."""
    if is_body:
        return None
    modifiers = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                 and c.ent_type_ == "NORP" and c.ent_id_]
    return b._owners_among(modifiers) or None


@rule("actor.body_owner.of_phrase")
def of_phrase_owner(b: _Builder, token: Token, is_body: bool) -> list[str] | None:
    """Plural bodies of a state are its: "leaders of Ostia's government", "officials of the Ruritanian ministry"."""
    if not is_body or token.tag_ != "NNS" or any(c.dep_ == "appos" for c in token.children):
        return None
    return [k for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for k in b._of_owners(c)] or None


@rule("actor.body_owner.representative")
def representative_owner(b: _Builder, token: Token, is_body: bool) -> list[str] | None:
    """A spokesman for a body speaks for its state: "a spokesman for the Ruritanian prime minister"."""
    if not is_body or token.lemma_.lower() not in b.representatives or any(c.dep_ == "appos" for c in token.children):
        return None
    return [k for c in token.children if c.dep_ == "prep" and c.lower_ == "for" for k in b._of_owners(c)] or None


@rule("actor.body_owner.residence")
def residence_owner(b: _Builder, token: Token, is_body: bool) -> list[str] | None:
    """An unowned state body in a named state is that state's: "police in Ostia", unless posted abroad ("diplomats in X")."""
    if not is_body or any(c.lemma_.lower() in b.collectives for c in token.children):  # "rebel forces in X"
        return None
    where = b._residence(token)
    key = b.index.actor_of_token[where.i] if where is not None else None
    return [key] if key and b.index.actors[key].type == "Country" else None


# -- coreference (stage coref) -----------------------------------------------------------------------


class Coreference:
    """Walks the document once, keeping who was mentioned last, and asks the coref rules, in order,
    what each pronoun or description refers to. Only actor mentions, pronouns and nouns that can
    refer back get a look: building a spaCy Token for every word would cost more than the rest."""

    def __init__(self, b: _Builder):
        self.b = b
        self.index = b.index
        self.last_person: str | None = None  # in the sentences before
        self.last_subject_group: str | None = None
        self.subject_person: str | None = None  # the last person who was a subject: "he said" prefers them
        self.sentence_person: str | None = None
        self.sentence_group: str | None = None
        self.earlier_group: str | None = None  # the subject group before sentence_group: "X said Y attacked them"
        self.people_here: list[str] = []  # people named so far in this sentence
        self.group_here = False  # whether a state or organisation was a subject so far in it
        self.seen: set[str] = set()
        self.recent: list[str] = []  # actors in order of their last mention
        self.pairs: dict[str, list[str]] = {}  # "official" → the two people "the two officials" named
        self.named: dict[int, str] = {}  # lemma hash of a noun a name was given to ("men called X") → its actor

    def resolve(self) -> None:
        index, table, doc = self.index, self.index.table, self.b.doc
        referring = table.hashes(self.b.referring_words)
        for sentence in table.sentences:
            self.sentence_person, self.sentence_group = self.last_person, self.last_subject_group
            self.people_here, self.group_here = [], False
            for i in range(sentence.start, sentence.end):
                if not (index.actor_of_token[i] or table.pos[i] == PRON or table.lemmas[i] in referring
                        or table.lowers[i] in referring or table.lemmas[i] in self.named):
                    continue
                token = doc[i]
                key = index.actor_of_token[i]
                if key:
                    self.mentioned(token, key)
                    continue
                referents, _ = self.b.rules.first("coref", self, token)
                if referents:
                    index.actor_of_token[i] = referents[0]
                    if len(referents) > 1:
                        index.co_actors[i] = list(referents[1:])
                    self.referred(token, referents[0])
            self.last_person, self.last_subject_group = self.sentence_person, self.sentence_group

    def mentioned(self, token: Token, key: str) -> None:
        described = self.b._described_noun(token)
        if described is not None:
            self.named[self.index.table.lemmas[described.i]] = key
        self.seen.add(key)
        if key in self.recent:
            self.recent.remove(key)
        self.recent.append(key)
        if self.index.actors[key].type == "Person":
            self.sentence_person = key
            if key not in self.people_here:
                self.people_here.append(key)
            if token.dep_ in SUBJECT_DEPS or (token.dep_ == "compound" and token.head.dep_ in SUBJECT_DEPS):
                self.subject_person = key
        elif token.dep_ in SUBJECT_DEPS or (token.dep_ == "poss" and token.head.dep_ in SUBJECT_DEPS):
            self.subject_group(key)

    def subject_group(self, key: str) -> None:
        if key != self.sentence_group:
            self.earlier_group = self.sentence_group
        self.sentence_group, self.group_here = key, True

    def referred(self, token: Token, key: str) -> None:
        """A description that now refers to an actor acts as its mention for what follows."""
        if token.pos_ != "NOUN":
            return
        if token.dep_ in SUBJECT_DEPS and self.index.actors[key].type != "Person":
            self.subject_group(key)  # "the men ... they"
        body = owned_body(self, token) if self.b.rules.on("coref.owned.body") else None
        if body is not None:
            self.index.actor_of_token[body.i] = key


def _definite(token: Token) -> bool:
    return token.pos_ == "NOUN" and any(c.lower_ == "the" for c in token.children)


@rule("coref.person_pronoun")
def person_pronoun(co: Coreference, token: Token) -> list[str] | None:
    """"he", "she" is the person of the sentence so far or before; a subject "he" prefers the last subject person."""
    if token.pos_ != "PRON" or token.lower_ not in PERSON_PRONOUNS or not co.sentence_person:
        return None
    subject = token.dep_ in SUBJECT_DEPS and co.subject_person
    return [co.subject_person if subject else co.sentence_person]


@rule("coref.people_pronoun")
def people_pronoun(co: Coreference, token: Token) -> list[str] | None:
    """"they" after two people named in the sentence is those two: "Ruiz met Weiss, and they agreed"."""
    if token.pos_ != "PRON" or token.lower_ not in PLURAL_PRONOUNS or len(co.people_here) < 2 or co.group_here:
        return None
    return co.people_here[-2:]


@rule("coref.group_pronoun")
def group_pronoun(co: Coreference, token: Token) -> list[str] | None:
    """"it", "they" is the last state or organisation that was a subject: "Ostia said it would retaliate".

    Not the subject of its own clause when it is an object ("the police fired tear gas at them"): then the
    subject group before that one."""
    if token.pos_ != "PRON" or token.lower_ not in GROUP_PRONOUNS or not co.sentence_group:
        return None
    if token.dep_ in ("dobj", "pobj", "dative") and co.earlier_group and co.sentence_group in clause_subject_actors(
            co.index, token):
        return [co.earlier_group]
    return [co.sentence_group]


def clause_subject_actors(index: EntityIndex, token: Token) -> list[str]:
    """The actors that the subject of the verb governing an object or prepositional phrase names."""
    verb = token.head.head if token.dep_ == "pobj" else token.head
    return [index.actor_of_token[c.i] for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
            and index.actor_of_token[c.i]]


@rule("coref.pair")
def pair_description(co: Coreference, token: Token) -> list[str] | None:
    """"the two officials", "both countries" are the two last mentioned, and keep them when repeated."""
    if token.pos_ != "NOUN" or not co.b._refers_to_a_pair(token):
        return None
    lemma = token.lemma_.lower()
    pair = co.pairs.get(lemma) or co.b._last_two(co.recent, "Person" if lemma in co.b.pair_people else None)
    if not pair:
        return None
    co.pairs[lemma] = pair
    return pair


@rule("coref.kb_descriptor")
def kb_descriptor(co: Coreference, token: Token) -> list[str] | None:
    """A KB actor's descriptor refers to it once it was mentioned: "the alliance" after NATO."""
    if not _definite(token):
        return None
    referent = co.b._descriptor_referent(token, co.seen)
    return [referent] if referent else None


@rule("coref.state_noun")
def state_noun(co: Coreference, token: Token) -> list[str] | None:
    """"the country", "the nation" is the state mentioned last."""
    if not _definite(token) or token.lemma_.lower() not in co.b.state_nouns:
        return None
    referent = next((k for k in reversed(co.recent) if co.index.actors[k].type == "Country"), None)
    return [referent] if referent else None


@rule("coref.government")
def government(co: Coreference, token: Token) -> list[str] | None:
    """"the government" with no state named is the government of the state the document names most."""
    if not _definite(token) or token.lemma_.lower() not in co.b.government_nouns:
        return None
    if any(c.dep_ in ("poss", "compound") or (c.dep_ == "prep" and c.lower_ == "of") for c in token.children):
        return None  # "the government of X", "the Trump administration": owned, by a name or not
    state = co.index.most_named_state()
    return [state] if state else None


@rule("coref.company_noun")
def company_noun(co: Coreference, token: Token) -> list[str] | None:
    """"the company", "the network" with no name given to it is the organisation the document names most: an article on one firm."""
    if not _definite(token) or token.lemma_.lower() not in co.b.company_nouns:
        return None
    if any(c.dep_ in ("poss", "compound", "amod") for c in token.children):
        return None  # "the state company", "a rival network": described, not referring back
    organization = co.index.most_named(lambda actor: actor.type == "Organization" and not is_generic_group(actor))
    return [organization] if organization else None


@rule("coref.named_noun")
def named_noun(co: Coreference, token: Token) -> list[str] | None:
    """A noun given a name is that actor when repeated: "armed men called the Red Hand ... the men"."""
    if not _definite(token):
        return None
    referent = co.named.get(co.index.table.lemmas[token.i])
    return [referent] if referent else None


@rule("coref.owned.body")
def owned_body(co: Coreference, token: Token) -> Token | None:
    """A state body owned by a description that refers to an actor stands for it: "the country's military"."""
    body = token.head
    if token.dep_ == "poss" and co.index.actor_of_token[body.i] is None and body.lemma_.lower() in co.b.state_bodies:
        return body
    return None


@rule("actor.unknown_gpe.party_to_act")
def gpe_is_place(b: _Builder, ent: Span) -> bool:
    """An unknown geopolitical name after a preposition that directs an act at it is a state, not a place: "ties with Zenda", "sanctions on Zenda".

    Elsewhere an unknown name that does not act is a place (most are towns and provinces: the
    knowledge base has every state), and always where it locates something ("in Zenda", "the
    port town of Zenda")."""
    root = ent.root
    if b._is_locative(root) or b._names_a_settlement(root):
        return True
    directed = root.dep_ == "pobj" and root.head.lower_ in b.party_preps
    return not directed and root.dep_ not in SUBJECT_DEPS | {"poss"}


# -- names: the stages actor.entity (entities with a KB id, and peoples) and actor.name (others) ----------

NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC")


@dataclass(frozen=True)
class UnknownName:
    """A name the knowledge base does not know: one mention, with all the document's mentions of it."""

    name: str
    ent: Span
    mentions: list[Span]


LOCATIVE_CUT = {"in", "near", "at"}  # "Zenda in Ostia": the name ends before a locative phrase
OPENING_BRACKETS = {"(", "["}
FINITE_VERB_TAGS = {"VBD", "VBZ", "VBP"}  # "Ostia condemned Zenda" taken for one name


@rule("actor.span.trim")
def trimmed_name(b: _Builder, ent: Span) -> Span | None:
    """A name's span leaves out quotes and words NER ran on with: "Ana Ruiz of", "Zenda in Ostia", "Harbour Union (HU", "Ostia condemned"."""
    start, end = ent.start, ent.end
    for i in range(ent.start + 1, ent.end):
        token = b.doc[i]
        if (token.text in OPENING_BRACKETS or token.lower_ in LOCATIVE_CUT and i + 1 < ent.end
                or token.tag_ in FINITE_VERB_TAGS):
            end = i
            break
    while end > start and (b.doc[end - 1].is_punct or b.doc[end - 1].pos_ in ("ADP", "CCONJ", "DET")):
        end -= 1
    while start < end and (b.doc[start].is_punct or b.doc[start].pos_ == "DET"):
        start += 1
    if start >= end:
        return None
    return ent if (start, end) == (ent.start, ent.end) else Span(b.doc, start, end, label=ent.label_)


def _casefold_names(knowledge: KnowledgeBase) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for name, ids in knowledge.names.items():
        names.setdefault(name.casefold(), []).extend(i for i in ids if i not in names.get(name.casefold(), []))
    return names


@rule("actor.entity.demonym")
def demonym_entity(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A state's demonym is an actor only when it names who acts: "the Ruritanians said", not "Ruritanian territory"."""
    if entry is None or ent.label_ != "NORP":
        return None
    head = ent.root.head if ent.root.dep_ in ("amod", "compound", "nmod") else ent.root
    if head.i == ent.root.i and ent.root.dep_ in SUBJECT_DEPS | {"dobj", "pobj", "conj", "poss"}:
        b._add_actor(ent, entry.type, entry.name, entry)
    return True


@rule("actor.entity.people")
def people_entity(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A people the KB does not know as a state's, named as an argument, acts as a group: "the Ostrogoths protested"."""
    if entry is not None or ent.label_ != "NORP" or ent.root.dep_ not in ARGUMENT_DEPS or ent.root.tag_ != "NNPS":
        return None
    name = _clean_name(ent.text)
    key = f"{GROUP_KEY_PREFIX}{name.casefold()}"
    if key not in b.index.actors:
        b.index.actors[key] = Actor(key=key, name=name, type="Organization")
    b._map_tokens(ent, key, alias=True)
    return True


@rule("actor.entity.place_named_organization")
def place_named_organization(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A place's or state's name before a capitalised noun such as "Media" or "Airways" names an organisation: "Zenda Television"."""
    if entry is None or entry.type not in ("Place", "Country") or ent.label_ == "NORP":
        return None
    head = ent.root.head
    if (ent.root.dep_ not in ("compound", "nmod") or head.i < ent.end or not head.text[:1].isupper()
            or head.lemma_.lower() not in b.organization_heads
            or not all(t.pos_ == "PROPN" for t in b.doc[ent.end: head.i])):
        return None
    span = b.doc[ent.start: head.i + 1]
    b._add_actor(span, "Organization", _clean_name(span.text))
    return True


@rule("actor.entity.currency")
def currency_entity(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A state's name that only says which currency is meant is no mention of the state: "paid in Ostian dollars"."""
    if entry is None or ent.root.dep_ not in ("compound", "nmod", "amod") or ent.root.head.lemma_.lower() not in b.currencies:
        return None
    return True


@rule("actor.entity.kb_place")
def kb_place_entity(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A place of the knowledge base is a place: a region, a city."""
    if entry is None or entry.type != "Place":
        return None
    b._add_place(ent, entry.name, entry.id, entry.country)
    return True


@rule("actor.entity.locative_metonym")
def locative_metonym_entity(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A capital or seat of power used as a location is a place, not its state: "talks in Zenda", "a trip to Zenda"."""
    if entry is None or ent.text not in b.kb.metonyms or not b._is_locative(ent.root):
        return None
    place = b._kb_place(ent.text)
    b._add_place(ent, place.name if place else ent.text, place.id if place else None, entry.country)
    return True


@rule("actor.entity.kb_actor")
def kb_actor_entity(b: _Builder, ent: Span, entry: KBEntry | None) -> bool | None:
    """A name, alias or metonym of a KB actor is that actor: "the Kremlin" is Russia's government, so Russia."""
    if entry is None or entry.type == "Place":
        return None
    b._add_actor(ent, entry.type, entry.name, entry)
    return True


@rule("actor.name.kb_surname")
def surname_name(b: _Builder, u: UnknownName) -> bool | None:
    """A surname alone that one KB person has, and no full name of the document, is that person."""
    person = b._kb_person_by_surname(u.name, b.full_names)
    if person is None:
        return None
    b._add_actor(u.ent, "Person", person.name, person)
    return True


@rule("actor.name.non_actor")
def non_actor_name(b: _Builder, u: UnknownName) -> bool | None:
    """A name whose head word names a war, a law, a disease or a holiday is no actor: "the Ostian Civil War", "the Harbour Act"."""
    return True if u.name.split()[-1].lower() in b.non_actor_heads else None


@rule("actor.name.modifier")
def modifier_name(b: _Builder, u: UnknownName) -> bool | None:
    """A lowercase word NER took for a name only qualifies another word: "anti-Ostian marches", "intra-Bordurian trade"."""
    return True if u.ent.label_ != "PERSON" and u.name[:1].islower() else None


@rule("actor.name.common_noun")
def common_noun_name(b: _Builder, u: UnknownName) -> bool | None:
    """A capitalised common noun NER took for a name names no one: "Protester dressed as a clown" under a photo."""
    if len(u.name.split()) != 1 or u.ent.root.lemma_.lower() not in b.common_nouns:
        return None
    return True


@rule("actor.name.kb_case")
def kb_case_name(b: _Builder, u: UnknownName) -> bool | None:
    """A name of several words that the KB knows in other capitals is that actor: "the Northern alliance" for "Northern Alliance"."""
    if len(u.name.split()) < 2:
        return None
    ids = b.kb.derived("names_casefold", _casefold_names).get(u.name.casefold(), [])
    entries = [b.kb.entries[i] for i in ids if b.kb.entries[i].type != "Place"]
    if len(entries) != 1:
        return None
    b._add_actor(u.ent, entries[0].type, entries[0].name, entries[0])
    return True


@rule("actor.name.facility")
def facility_name(b: _Builder, u: UnknownName) -> bool | None:
    """A name whose head is a building, square or street, or the first words of such a name, is a place: "Zenda Square", "the Old Mill Museum"."""
    if u.name not in b.facility_names and not any(f.startswith(u.name + " ") for f in b.facility_names):
        return None
    b._add_place(u.ent, u.name, None, None)
    return True


@rule("actor.name.place")
def place_name(b: _Builder, u: UnknownName) -> bool | None:
    """An unknown name used as a place in the document, and never as an acting organisation or person, is a place: "fighting near Abu Qir"."""
    if u.name not in b.place_names and not any(b._listed_with_place(e) for e in u.mentions):
        return None
    if u.name and u.name[0].isupper() and u.name.lower() not in b.generic:
        b._add_place(u.ent, u.name, None, None)
    return True


@rule("actor.name.organization_head")
def organization_head_name(b: _Builder, u: UnknownName) -> bool | None:
    """A name before a noun such as "party" or "movement" names an organisation: "the Green Dawn movement"."""
    head = b._organization_head(u.ent)
    if head is None or u.ent.label_ not in ("PERSON", "ORG"):
        return None
    span = b.doc[u.ent.start: head.i + 1]
    b._add_actor(span, "Organization", _clean_name(span.text))
    return True


@rule("actor.name.person")
def person_name(b: _Builder, u: UnknownName) -> bool | None:
    """A person's name, without the titles NER included: "President Ana Ruiz" is Ana Ruiz."""
    if u.ent.label_ != "PERSON":
        return None
    name = b._person_name(u.ent)
    if name:
        b._add_actor(u.ent, "Person", name)
    return True


@rule("actor.name.state")
def state_name(b: _Builder, u: UnknownName) -> bool | None:
    """A geopolitical name that acts is a state: "Ostia protested"."""
    if u.ent.label_ != "GPE":
        return None
    b._add_actor(u.ent, "Country", u.name)
    return True


@rule("actor.name.office")
def office_name(b: _Builder, u: UnknownName) -> bool | None:
    """An organisation name that is an office title is no actor: "National Security Adviser", "Director of Intelligence"."""
    if u.ent.label_ == "ORG" and (u.name.lower() in b.titles or b._in_title(u.ent)):
        return True
    return None


@rule("actor.name.state_body")
def state_body_name(b: _Builder, u: UnknownName) -> bool | None:
    """A named body of a state stands for the state: "the Ruritanian Armed Forces"."""
    if u.ent.label_ != "ORG":
        return None
    state = b._state_body_name(u.ent)
    if state is None:
        return None
    b._map_tokens(u.ent, state, alias=True)
    return True


@rule("actor.name.organization")
def organization_name(b: _Builder, u: UnknownName) -> bool | None:
    """An organisation's name is an organisation: "the Harbour Workers Union"."""
    if u.ent.label_ != "ORG" or not _plausible_org(u.name) or u.name.lower() in b.generic:
        return None
    b._add_actor(u.ent, "Organization", u.name)
    return True


def voices(index: EntityIndex, statements, author: KBEntry | None, quoted: list[bool]) -> list[str | None]:
    """Per token, the actor whose words it is: a direct quotation's speaker inside it, and
    outside quotations the document's author when the document is an actor's own page."""
    author_key = index.kb_actor(author) if author is not None else None
    voice: list[str | None] = [None if inside else author_key for inside in quoted]
    table = index.table
    for statement in statements:
        if statement.kind == "direct" and statement.speaker:
            first = bisect_left(table.starts, statement.span.start)
            last = bisect_left(table.starts, statement.span.end)
            voice[first:last] = [statement.speaker] * (last - first)
    return voice


@rule("actor.voice.first_person")
def speak_in_first_person(index: EntityIndex, voice: list[str | None]) -> None:
    """"we", "I" and "our" are whoever's words they are in: a quotation's speaker, or the author of a government's own page."""
    table = index.table
    for token in table.with_lower(table.hashes(FIRST_PERSON)):
        if voice[token.i] and token.pos == PRON:
            index.actor_of_token[token.i] = voice[token.i]


@rule("actor.voice.document_author")
def document_author(document: Document, kb: KnowledgeBase) -> KBEntry | None:
    """A government's or organisation's own page is in its voice: the KB actor that publishes at the source's web domain.

    Failing the host of the source URL, the actor the publisher header names, if it publishes at all."""
    host = urlsplit(document.source).hostname if document.source else None
    if host and (entry := kb.publisher(host)):
        return entry
    if document.publisher:
        name = _clean_name(document.publisher)
        for entry_id in kb.names.get(name, []) + kb.metonyms.get(name, []):
            entry = kb.entries[entry_id]
            if entry.web_domains:
                return entry
    return None


def is_generic_group(actor: Actor) -> bool:
    return actor.key.startswith(GROUP_KEY_PREFIX)


def _clean_name(text: str) -> str:
    text = POSSESSIVE.sub("", text.strip()) if text.endswith(("'s", "’s", "'", "’")) else text.strip()
    text = re.sub(r"^(the|The)\s+", "", text)
    return " ".join(text.split())


NAME_LINKS = {"of", "for", "and", "the", "on", "in", "to", "&"}  # words an acronym skips


def _is_acronym_of(short: str, name: str) -> bool:
    """Whether ``short`` ("HFU", "AfCFTA") is made of the initials of ``name``'s words."""
    letters = [c for c in short if c.isupper()]
    initials = [w[0].upper() for w in name.replace("-", " ").split() if w.lower() not in NAME_LINKS and w[:1].isalpha()]
    return len(letters) >= 2 and short.isalpha() and letters == initials


def _plausible_org(name: str) -> bool:
    return len(name) > 1 and any(c.isupper() for c in name) and not name.isdigit()
