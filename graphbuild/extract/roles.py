"""Offices people hold, as the article states them.

Three general constructions: a title before a name ("Estonian Prime Minister Kaja
Kallas", "NATO Secretary General Jens Stoltenberg"), an apposition ("Russia's
ambassador to the EU, Vladimir Chizhov"; "Jake Sullivan, the national security
adviser"), and a name followed by "of X" ("Shin Wonsik of the Republic of Korea").
Once roles are known, a definite title ("the NATO chief") refers back to its holder.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..kb import KnowledgeBase
from ..model import Actor, Role, TextSpan
from .actors import EntityIndex
from .spans import text_span

MAX_TITLE_WORDS = 5


def extract_roles(doc: Doc, index: EntityIndex, kb: KnowledgeBase) -> list[Role]:
    roles: dict[tuple[str, str, str | None], Role] = {}
    for ent in doc.ents:
        key = index.actor_at(ent.root)
        if ent.label_ != "PERSON" or not key or index.actors[key].type != "Person":
            continue
        found = _title_before(doc, ent, index, kb) or _apposition(doc, ent, index, kb)
        if found is None:
            continue
        role_name, organisation, evidence = found
        organisation = organisation or _name_of(ent, index) or _kb_office_holder(index, key, role_name, kb)
        if organisation == key:
            organisation = None
        roles.setdefault((key, role_name, organisation), Role(key, role_name, organisation, evidence))
    for role in roles.values():
        person = index.actors[role.person]
        if role.of and not person.country:
            owner = index.actors[role.of]
            person.country = owner.country if owner.type == "Country" else person.country
    resolve_title_references(doc, index, list(roles.values()), kb)
    return list(roles.values())


def _title_before(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase):
    """Title words directly before the name, with the state or organisation among them."""
    start = ent.start
    while start > 0 and ent.start - start < MAX_TITLE_WORDS + 2:
        token = doc[start - 1]
        if token.pos_ in ("PROPN", "NOUN", "ADJ") or token.lower_ in ("-", "of"):
            start -= 1
        else:
            break
    words = doc[start: ent.start]
    title, title_start = _longest_title(words, kb)
    if title is None:
        return None
    organisation = None
    for token in doc[start:title_start]:
        organisation = index.actor_at(token) or demonym_actor(token, index, kb) or organisation
    if organisation is None and start > 0 and doc[start - 1].dep_ == "case":
        organisation = index.actor_at(doc[start - 2]) if start > 1 else None
    evidence = doc[start: ent.end]
    return title, organisation, text_span(evidence)


def _longest_title(words: Span, kb: KnowledgeBase) -> tuple[str | None, int]:
    """The longest office title ending right before the name."""
    tokens = list(words)
    for length in range(min(len(tokens), MAX_TITLE_WORDS), 0, -1):
        candidate = tokens[-length:]
        text = " ".join(t.lower_ for t in candidate).replace(" - ", "-")
        if text in kb.offices:
            return kb.offices[text], candidate[0].i
    return None, -1


def _apposition(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase):
    """"Russia's ambassador to the EU, Vladimir Chizhov" and "Vladimir Chizhov, Russia's ambassador"."""
    root = ent.root
    if root.dep_ == "appos":
        title_head = root.head
    else:
        title_head = next((c for c in root.children if c.dep_ == "appos"), None)
    if title_head is None or title_head.i in range(ent.start, ent.end):
        return None
    title_tokens = [t for t in title_head.subtree if t.i <= title_head.i and t.dep_ not in ("poss", "case", "det")]
    title_tokens = [t for t in title_tokens if not index.actor_at(t)]
    title, _ = _longest_title(doc[title_tokens[0].i: title_head.i + 1], kb) if title_tokens else (None, -1)
    if title is None:
        return None
    organisation = None
    for child in title_head.children:
        if child.dep_ in ("poss", "compound", "amod"):
            organisation = index.actor_at(child) or demonym_actor(child, index, kb) or organisation
        elif child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                organisation = index.actor_at(pobj) or organisation
    span = doc[min(title_head.left_edge.i, ent.start): max(title_head.i + 1, ent.end)]
    return title, organisation, text_span(span)


def _name_of(ent: Span, index: EntityIndex) -> str | None:
    for child in ent.root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if index.actor_at(pobj):
                    return index.actor_at(pobj)
    return None


def demonym_actor(token: Token, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    if token.ent_type_ != "NORP" or token.ent_id_ not in kb.entries:
        return None
    entry = kb.entries[token.ent_id_]
    for key, actor in index.actors.items():
        if actor.kb_id == entry.id:
            return key
    # A state named only by its adjective ("Estonian") joins the document's actors.
    index.actors[entry.id] = Actor(key=entry.id, name=entry.name, type=entry.type, country=entry.country,
                                   kb_id=entry.id)
    return entry.id


def _kb_office_holder(index: EntityIndex, person_key: str, role_name: str, kb: KnowledgeBase) -> str | None:
    """The organisation of a KB office with this title, when the article names none."""
    person = index.actors[person_key]
    entry = kb.entries.get(person.kb_id or "")
    if entry is None:
        return None
    for office in entry.offices:
        if office.role.casefold() == role_name.casefold() or role_name.casefold() in office.role.casefold():
            owner = kb.entries.get(office.of)
            if owner is None:
                return None
            for key, actor in index.actors.items():
                if actor.kb_id == owner.id:
                    return key
            return None
    return None


def resolve_title_references(doc: Doc, index: EntityIndex, roles: list[Role], kb: KnowledgeBase) -> None:
    """"the NATO chief", "the president" → the person the article gave that office."""
    by_org: dict[str | None, list[Role]] = {}
    for role in roles:
        by_org.setdefault(role.of, []).append(role)
    for token in doc:
        if token.pos_ != "NOUN" or index.actor_at(token) or not any(c.lower_ == "the" for c in token.children):
            continue
        if token.lower_ not in kb.offices and token.lemma_.lower() not in kb.offices:
            continue
        title = kb.offices.get(token.lower_) or kb.offices.get(token.lemma_.lower())
        owners = {index.actor_at(c) for c in token.children if c.dep_ in ("compound", "amod", "poss")} - {None}
        candidates = [r for org in (owners or by_org.keys()) for r in by_org.get(org, [])]
        if not owners:
            candidates = [r for r in candidates if r.role.casefold() == (title or "").casefold()]
        people = {r.person for r in candidates}
        if len(people) == 1:
            index.actor_of_token[token.i] = people.pop()
