"""Actors and places in one document, and which tokens refer to which of them.

Recognition is knowledge-base first (the KB entity ruler), then spaCy NER, then general
rules over the parse: a state body owned or modified by a state stands for the state
("Russian officials", "Ukraine's government"), a capital used as an agent stands for its
state ("Washington said") while one after a locative preposition is a place ("in
Washington"), collective nouns make group actors ("pro-Russian separatists"), and short
names, pronouns and descriptions ("Biden", "he", "the alliance") corefer with the actors
already mentioned.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from urllib.parse import urlsplit
from dataclasses import dataclass, field

from spacy.symbols import PRON
from spacy.tokens import Doc, Span, Token

from ..kb import KBEntry, KnowledgeBase
from ..model import Actor, Document, Place
from .spans import text_span
from .tokens import TokenTable

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "pobj", "agent", "conj", "appos", "poss"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "itself", "themselves"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
FIRST_PERSON = frozenset({"we", "us", "our", "ours", "i", "me", "my", "mine"})
GROUP_KEY_PREFIX = "group:"  # actors made from collective nouns, not from names
POSSESSIVE = re.compile(r"(['’]s?)$")


@dataclass
class EntityIndex:
    """The actors and places of a document and the token → entity maps the other extractors use."""

    doc: Doc
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    actor_of_token: list[str | None] = field(default_factory=list)
    place_of_token: list[str | None] = field(default_factory=list)
    # Noun phrases that stand for several actors at once: "Hungarian and Romanian officials".
    co_actors: dict[int, list[str]] = field(default_factory=dict)
    partitives: frozenset[str] = frozenset()  # "one of", "some of", "members of"
    title_words: frozenset[str] = frozenset()  # words of office titles ("director of ...")
    directed_preps: frozenset[str] = frozenset()  # "talks with X", "sanctions on X"
    purpose_preps: frozenset[str] = frozenset()  # "a strike over the bill"
    example_preps: frozenset[str] = frozenset()  # "partners, including Qatar"
    ascribing_verbs: frozenset[str] = frozenset()  # "an attack ascribed to X"
    authority_types: frozenset[str] = frozenset()  # "put under investigation in Italy": Italy's act
    table: TokenTable | None = None  # token arrays shared by the extractors

    def kb_actor(self, entry: KBEntry) -> str:
        """The key of a knowledge-base actor, adding it to the document if needed."""
        if entry.id not in self.actors:
            self.actors[entry.id] = Actor(key=entry.id, name=entry.name, type=entry.type, country=entry.country,
                                          kb_id=entry.id)
        return entry.id

    def actor_at(self, token: Token) -> str | None:
        return self.actor_of_token[token.i]

    def actors_of(self, token: Token) -> list[str]:
        """The actor a token refers to, and the actors of its conjuncts ("Britain, Ukraine and Poland")."""
        keys: list[str] = []
        for candidate in [token, *token.conjuncts]:
            for key in [self.actor_of_token[candidate.i], *self.co_actors.get(candidate.i, [])]:
                if key and key not in keys:
                    keys.append(key)
        if not keys:
            # "One of these groups, the SDF, ...": an apposition or a partitive names the actor;
            # "Director of National Security Shin Wonsik": a title's "of" names its holder;
            # "our partners, including Qatar and Oman": the listed examples are the actors.
            is_title = token.lower_ in self.title_words
            # An apposition first: "the Emir of Qatar, Sheikh Tamim" is the Sheikh, not Qatar.
            for child in sorted(token.children, key=lambda c: c.dep_ != "appos"):
                if child.dep_ == "appos" or (child.dep_ == "prep" and (
                        child.lower_ in self.example_preps
                        or (child.lower_ == "of" and (token.lemma_.lower() in self.partitives or is_title)))):
                    target = child if child.dep_ == "appos" else next(
                        (c for c in child.children if c.dep_ == "pobj"), None)
                    if target is not None and target.i != token.i:
                        keys = self.actors_of(target)
                        if keys:
                            break
        return keys


def find_entities(doc: Doc, kb: KnowledgeBase) -> EntityIndex:
    index = EntityIndex(doc, actor_of_token=[None] * len(doc), place_of_token=[None] * len(doc),
                        partitives=kb.word_list("partitive"), title_words=kb.title_words,
                        directed_preps=kb.word_list("directed_prep"), purpose_preps=kb.word_list("purpose_prep"),
                        example_preps=kb.word_list("example_prep"), ascribing_verbs=kb.word_list("ascribing_verb"),
                        authority_types=kb.word_list("authority_type"),
                        table=TokenTable(doc))
    builder = _Builder(index, kb)
    builder.add_entities()
    builder.add_named_groups()
    builder.add_state_bodies()
    builder.add_collectives()
    builder.merge_short_person_names()
    builder.add_coreferences()
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
            | knowledge.word_list("state_noun"))
        self.state_nouns = kb.word_list("state_noun")
        self.naming_verbs = kb.word_list("naming_verb")
        self.pair_states = kb.word_list("pair_state")
        self.leading = kb.word_list("leading_participle")
        self.residence = kb.word_list("residence_word")
        self.foreign = kb.word_list("foreign_word")
        self.group_nouns = kb.word_list("group_noun")
        self.organization_heads = kb.word_list("organization_head")
        self.named_heads = self.state_bodies | self.organization_heads  # "Kremlin officials", "the Umma party"
        self.representatives = kb.word_list("representative")

    # -- named entities ------------------------------------------------------------------

    def add_entities(self) -> None:
        """Named entities, KB first. A name the KB does not know is a place in the whole
        document if any of its mentions is labelled or used as one ("in Abu Suruj"), or is
        listed with places ("Dnipro, Zaporizhzhia and Mariupol")."""
        unknown: dict[str, list[Span]] = {}
        for ent in self.doc.ents:
            entry = self.kb.entries.get(ent.ent_id_) if ent.ent_id_ else None
            if entry is not None:
                self._add_kb_entity(ent, entry)
            elif ent.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
                unknown.setdefault(_clean_name(ent.text), []).append(ent)
            elif ent.label_ == "NORP" and ent.root.dep_ in ARGUMENT_DEPS and ent.root.tag_ == "NNPS":
                self._add_people_group(ent)
        place_names = {name for name, ents in unknown.items() if any(self._names_place(e) for e in ents)}
        full_names = {name.split()[-1] for name, ents in unknown.items()
                      if len(name.split()) > 1 and ents[0].label_ == "PERSON"}
        for name, ents in unknown.items():
            person = self._kb_person_by_surname(name, full_names)
            if person is not None:  # "Putin", "Erdogan": a KB person's surname, unique in the KB
                for ent in ents:
                    self._add_actor(ent, "Person", person.name, person)
                continue
            if name in place_names or any(self._listed_with_place(e) for e in ents):
                for ent in ents:
                    if name and name[0].isupper() and name.lower() not in self.generic:
                        self._add_place(ent, name, None, None)
                continue
            for ent in ents:
                self._add_unknown_actor(ent, name)

    def _kb_person_by_surname(self, name: str, full_names: set[str]) -> KBEntry | None:
        if " " in name or name in full_names or not name[:1].isupper():
            return None  # a full name of the document's own ("Elena Marin") wins over the KB's Marin
        ids = self.kb.surnames.get(name, [])
        return self.kb.entries[ids[0]] if len(ids) == 1 else None

    def _add_people_group(self, ent: Span) -> None:
        """"Kurds", "Tamils": a people the KB does not know as a state's, acting as a group."""
        name = _clean_name(ent.text)
        key = f"{GROUP_KEY_PREFIX}{name.casefold()}"
        if key not in self.index.actors:
            self.index.actors[key] = Actor(key=key, name=name, type="Organization")
        self._map_tokens(ent, key, alias=True)

    def _names_place(self, ent: Span) -> bool:
        if ent.root.lemma_.lower() in self.state_bodies:
            return False  # "the Interior Ministry" is never a place, whatever preposition precedes it
        if ent.label_ in ("LOC", "FAC"):
            return True
        if ent.label_ == "GPE":
            return ent.root.dep_ not in SUBJECT_DEPS  # an unknown GPE that acts is a state
        return ent.label_ in ("PERSON", "ORG") and len(ent) <= 3 and self._is_locative(ent.root)

    def _listed_with_place(self, ent: Span) -> bool:
        return any(self.index.place_of_token[t.i] for t in ent.root.conjuncts)

    def _add_unknown_actor(self, ent: Span, name: str) -> None:
        head = self._organization_head(ent)
        if head is not None and ent.label_ in ("PERSON", "ORG"):
            # "the Umma (Nation) party", "the Kach movement": the name of an organisation.
            span = self.doc[ent.start: head.i + 1]
            self._add_actor(span, "Organization", _clean_name(span.text))
            return
        if ent.label_ == "PERSON":
            name = self._person_name(ent)
            if name:
                self._add_actor(ent, "Person", name)
        elif ent.label_ == "GPE":
            self._add_actor(ent, "Country", name)
        elif ent.label_ == "ORG" and _plausible_org(name) and name.lower() not in self.generic:
            if name.lower() in self.titles or self._in_title(ent):
                return  # "National Security Advisor", "Director of National Security": an office
            state = self._state_body_name(ent)
            if state:
                self._map_tokens(ent, state, alias=True)
            else:
                self._add_actor(ent, "Organization", name)

    def _organization_head(self, ent: Span) -> Token | None:
        """The noun such as "party" or "movement" that a name modifies right before it, if any."""
        head = ent.root.head
        if (ent.root.dep_ not in ("compound", "nmod") or head.i < ent.end or head.pos_ != "NOUN"
                or head.lemma_.lower() not in self.organization_heads):
            return None
        between = self.doc[ent.end: head.i]
        return head if all(t.is_punct or t.pos_ == "PROPN" for t in between) else None

    def add_named_groups(self) -> None:
        """"The Wafd party", "the Shas movement": capitalised words no entity covers, before a
        noun such as "party", name an organisation; "the Taliban faction" is the named one."""
        for token in self.index.table.nouns():
            if token.lemma_.lower() not in self.organization_heads or self.index.actor_of_token[token.i]:
                continue
            names = [c for c in token.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
            named = self._named_organization(token)
            if named:  # "the Taliban religious faction": the Taliban
                self._map_tokens(self.doc[token.i: token.i + 1], named, alias=False)
                continue
            if not names or any(self.index.actor_of_token[t.i] or self.index.place_of_token[t.i] or t.ent_type_
                                or not t.text[:1].isupper() for t in names):
                continue
            span = self.doc[names[0].i: token.i + 1]
            if all(t.pos_ == "PROPN" or t.is_punct or t.i == token.i for t in span):
                self._add_actor(span, "Organization", _clean_name(span.text))

    def _in_title(self, ent: Span) -> bool:
        head = ent.root.head
        return ent.root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in self.kb.title_words

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

    def _add_kb_entity(self, ent: Span, entry: KBEntry) -> None:
        if ent.label_ == "NORP":
            # A demonym is an actor only when it names who acts: "Russian officials said",
            # "the Russians said", not "Russian territory".
            head = ent.root.head if ent.root.dep_ in ("amod", "compound", "nmod") else ent.root
            if head.i == ent.root.i and ent.root.dep_ in SUBJECT_DEPS | {"dobj", "pobj", "conj", "poss"}:
                self._add_actor(ent, entry.type, entry.name, entry)
            return
        if entry.type == "Place":
            self._add_place(ent, entry.name, entry.id, entry.country)
            return
        if ent.text in self.kb.metonyms and self._is_locative(ent.root):
            place = self._kb_place(ent.text)
            self._add_place(ent, place.name if place else ent.text, place.id if place else None, entry.country)
            return
        self._add_actor(ent, entry.type, entry.name, entry)

    def _kb_place(self, surface: str) -> KBEntry | None:
        for entry_id in self.kb.names.get(surface, []):
            entry = self.kb.entries[entry_id]
            if entry.type == "Place":
                return entry
        return None

    def _is_locative(self, token: Token) -> bool:
        """Whether a name is used as a location ("in Moscow", "trip to Moscow") rather than as an agent."""
        while token.dep_ in ("conj", "appos"):
            token = token.head
        if token.dep_ == "compound" and token.head.pos_ == "NOUN":
            # "a Kabul car bombing", "the Washington summit": where it happened; but "Kremlin
            # officials", "a Moscow court": a body of the state; "the Umma party": a name.
            return token.head.lemma_.lower() not in self.named_heads
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
        # Titles inside the entity ("President Putin") are roles, not part of the name.
        while len(tokens) > 1 and tokens[0].lower_ in self.kb.title_words:
            tokens = tokens[1:]
        name = _clean_name(self.doc[tokens[0].i: tokens[-1].i + 1].text)
        return name if name and any(c.isupper() for c in name[:1]) else ""

    # -- rules over the parse --------------------------------------------------------------

    def add_state_bodies(self) -> None:
        """"Russian officials", "Ukraine's government", "NATO defense ministers" → the state or
        organisation. Any noun modified by a state's adjective stands for the state when it is
        an argument ("a Saudi businessman sued ..."); state bodies do also when owned."""
        for token in self.index.table.nouns():
            if self.index.actor_of_token[token.i]:
                continue
            is_body = token.lemma_.lower() in self.state_bodies
            if not is_body and (token.dep_ not in ARGUMENT_DEPS or token.lower_ in self.kb.title_words
                                or token.lemma_.lower() in self.collectives):
                # A title ("French President ...") belongs to the person, and "Afghan guerrillas"
                # are a group of that country, not its state.
                continue
            owners: list[str] = []
            for child in token.children:
                if is_body and child.dep_ == "prep" and not any(c.dep_ == "appos" for c in token.children) and (
                        (child.lower_ == "of" and token.tag_ == "NNS")  # "leaders of Romania's government"
                        or (child.lower_ == "for" and token.lemma_.lower() in self.representatives)):  # "a spokesman for X"
                    owners += [k for k in self._of_owners(child) if k not in owners]
                    continue
                if child.dep_ not in ("poss", "compound", "amod", "nmod"):
                    continue
                if child.dep_ == "amod" and child.lemma_.lower() in self.leading:  # "US-led forces": the US
                    child = next((c for c in child.children if c.dep_ in ("npadvmod", "compound", "nmod")), child)
                if not is_body and not (child.ent_type_ == "NORP" and child.ent_id_):
                    continue
                for modifier in [child, *child.conjuncts]:
                    owner = self._actor_or_demonym(modifier)
                    if owner and self.index.actors[owner].type != "Person" and owner not in owners:
                        owners.append(owner)
            armed = any(c.lemma_.lower() in self.collectives for c in token.children)  # "rebel forces in Chad"
            where = self._residence(token) if not owners and is_body and not armed else None
            if where is not None and self.index.actor_of_token[where.i]:  # "security forces in Guinea"
                owners = [k for k in [self.index.actor_of_token[where.i]] if self.index.actors[k].type == "Country"]
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

    def _of_owners(self, preposition: Token) -> list[str]:
        """"officials of the Kenyan government", "a spokesman for the Israeli prime minister": the
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
        """"Police in Kenya", "opposition groups throughout Zimbabwe", "a group based in Chad": the
        name of where a body or group without an owner is, unless it is one usually posted abroad
        ("diplomats in Moscow", "foreign troops in Mali")."""
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
        """Group actors that are not named organisations: "pro-Russian separatists", "the rebels"."""
        candidates = self.index.table.with_lemma(self.index.table.hashes(self.collectives))
        by_index = {t.i: t for t in candidates}
        for modifier in candidates:  # "separatist fighters": the head of a collective modifier
            if modifier.dep_ in ("compound", "amod"):
                by_index.setdefault(modifier.head.i, modifier.head)
        for token in (by_index[i] for i in sorted(by_index)):
            if token.pos_ != "NOUN" or self.index.actor_of_token[token.i] or token.tag_ not in ("NNS", "NN"):
                continue
            if token.dep_ in ("compound", "amod", "nmod") and self.index.actor_of_token[token.head.i]:
                continue  # "the opposition Wafd party": a description of the named actor
            named = self._named_organization(token)
            if named:  # "Hezbollah guerrillas": the named organisation's own fighters
                self._map_tokens(self.doc[token.i: token.i + 1], named, alias=False)
                continue
            lemma = token.lemma_.lower()
            modifier = next((c for c in token.children if c.dep_ in ("compound", "amod")
                             and c.lemma_.lower() in self.collectives), None)
            if lemma not in self.collectives and (modifier is None or lemma not in self.state_bodies
                                                  and lemma not in self.group_nouns):
                continue  # "separatist fighters", "rebel groups" are groups; "civilian property" is not
            if token.tag_ == "NN" and modifier is None and lemma not in self.singular_groups:
                continue  # a singular noun ("a rebel") is a person, not the group
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

    def _demonym_country(self, span: Span) -> str | None:
        """The country of a group named with a state's adjective ("Afghan guerrillas")."""
        for token in span:
            entry = self.kb.entries.get(token.ent_id_) if token.ent_type_ == "NORP" else None
            if entry is not None and entry.country:
                return entry.country
        return None

    def _named_organization(self, token: Token) -> str | None:
        """The named organisation (not a state, not a generic group) a noun's name modifier gives."""
        for child in token.children:
            key = self.index.actor_of_token[child.i] if child.dep_ in ("compound", "nmod") else None
            if key and not key.startswith(GROUP_KEY_PREFIX) and self.index.actors[key].type == "Organization":
                return key
        return None

    def _residence_country(self, token: Token) -> str | None:
        """The state where a group is ("opposition groups in Zimbabwe", "rebels in Darfur")."""
        where = self._residence(token)
        if where is None:
            return None
        key = self.index.actor_of_token[where.i]
        if key and self.index.actors[key].type == "Country":
            return self.index.actors[key].country
        place = self.index.places.get(self.index.place_of_token[where.i] or "")
        return place.country if place is not None else None

    def merge_short_person_names(self) -> None:
        """"Biden" after "Joe Biden" in the same document is the same person, whatever
        label the NER gave the short form."""
        full = [a for a in self.index.actors.values() if a.type == "Person" and len(a.name.split()) > 1]
        for actor in list(self.index.actors.values()):
            if actor.kb_id or len(actor.name.split()) != 1 or actor.type == "Country":
                continue
            matches = {f.key for f in full if f is not actor and actor.name in (f.name.split()[-1], f.name.split()[0])}
            if len(matches) == 1:
                self._merge(actor.key, matches.pop())

    def add_coreferences(self) -> None:
        """Pronouns and definite descriptions refer to actors already mentioned."""
        doc, index = self.doc, self.index
        last_person: str | None = None
        last_subject_group: str | None = None
        subject_person: str | None = None  # the last person who was a subject: "he said" prefers them
        seen: set[str] = set()
        recent: list[str] = []  # actors in order of their last mention
        pairs: dict[str, list[str]] = {}  # "official" → the two people "the two officials" named
        table = index.table
        # Only actor mentions, pronouns and nouns that can refer back need a look; building a
        # spaCy Token for every word would cost more than the rest of the rule.
        referring = table.hashes(self.referring_words)
        named: dict[int, str] = {}  # lemma hash of a noun a name was given to ("men called X") → its actor
        for sentence in table.sentences:
            sentence_person, sentence_group = last_person, last_subject_group
            people_here: list[str] = []  # people named so far in this sentence
            group_here = False  # whether a state or organisation was a subject so far in it
            for i in range(sentence.start, sentence.end):
                if not (index.actor_of_token[i] or table.pos[i] == PRON or table.lemmas[i] in referring
                        or table.lemmas[i] in named):
                    continue
                token = doc[i]
                key = index.actor_of_token[token.i]
                if key:
                    described = self._described_noun(token)
                    if described is not None:
                        named[table.lemmas[described.i]] = key
                    seen.add(key)
                    if key in recent:
                        recent.remove(key)
                    recent.append(key)
                    actor = index.actors[key]
                    if actor.type == "Person":
                        sentence_person = key
                        if key not in people_here:
                            people_here.append(key)
                        if token.dep_ in SUBJECT_DEPS or (token.dep_ == "compound" and token.head.dep_ in SUBJECT_DEPS):
                            subject_person = key
                    elif token.dep_ in SUBJECT_DEPS or (token.dep_ == "poss" and token.head.dep_ in SUBJECT_DEPS):
                        sentence_group, group_here = key, True
                    continue
                lower = token.lower_
                if token.pos_ == "PRON":
                    if lower in PERSON_PRONOUNS and sentence_person:
                        subject = token.dep_ in SUBJECT_DEPS and subject_person
                        index.actor_of_token[token.i] = subject_person if subject else sentence_person
                    elif lower in PLURAL_PRONOUNS and len(people_here) >= 2 and not group_here:
                        # "Putin met Bolsonaro ..., and they pledged": the people just named.
                        index.actor_of_token[token.i] = people_here[-2]
                        index.co_actors[token.i] = [people_here[-1]]
                    elif lower in GROUP_PRONOUNS and sentence_group:
                        index.actor_of_token[token.i] = sentence_group
                elif token.pos_ == "NOUN" and self._refers_to_a_pair(token):
                    # The same description again ("the two officials ... the two officials")
                    # keeps its referents, even after other people are named in between.
                    lemma = token.lemma_.lower()
                    pair = pairs.get(lemma) or self._last_two(recent, "Person" if lemma in self.pair_people else None)
                    if pair:
                        pairs[lemma] = pair
                        index.actor_of_token[token.i] = pair[0]
                        index.co_actors[token.i] = pair[1:]
                elif token.pos_ == "NOUN" and any(c.lower_ == "the" for c in token.children):
                    referent = self._descriptor_referent(token, seen)
                    if referent is None and token.lemma_.lower() in self.state_nouns:
                        referent = next((k for k in reversed(recent) if index.actors[k].type == "Country"), None)
                    referent = referent or named.get(table.lemmas[i])  # "Arab men called X ... the men"
                    if referent:
                        index.actor_of_token[token.i] = referent
                        if token.dep_ in SUBJECT_DEPS and index.actors[referent].type != "Person":
                            sentence_group, group_here = referent, True  # "the men ... they"
                        body = token.head
                        if (token.dep_ == "poss" and index.actor_of_token[body.i] is None
                                and body.lemma_.lower() in self.state_bodies):
                            index.actor_of_token[body.i] = referent  # "the country's military"
            last_person, last_subject_group = sentence_person, sentence_group

    def _described_noun(self, name: Token) -> Token | None:
        """The common noun a name is given to: "Arab men called Janjaweed", "the militia, the
        RSF": a later "the men", "the militia" is that actor."""
        head = name.head
        if name.dep_ == "oprd" and head.lemma_.lower() in self.naming_verbs and head.dep_ == "acl":
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
        candidates = [k for k in self.kb.descriptors.get(token.lemma_.lower(), [])]
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


def speak_in_first_person(index: EntityIndex, voice: list[str | None]) -> None:
    """"we", "I" and "our" are whoever's words they are in: a quotation's speaker ("we will
    respond"), or a government's own page ("Today, we are sanctioning ...")."""
    table = index.table
    for token in table.with_lower(table.hashes(FIRST_PERSON)):
        if voice[token.i] and token.pos == PRON:
            index.actor_of_token[token.i] = voice[token.i]


def document_author(document: Document, kb: KnowledgeBase) -> KBEntry | None:
    """The actor whose own words the document is: the KB actor that publishes under the host of
    its source URL, or the one its publisher header names if that actor publishes at all."""
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


def _plausible_org(name: str) -> bool:
    return len(name) > 1 and any(c.isupper() for c in name) and not name.isdigit()
