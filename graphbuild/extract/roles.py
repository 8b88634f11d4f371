"""Offices people hold, as the article states them.

General constructions:
- a title before a name, with the state or organisation before the title or in an "of"
  phrase after it ("Ostian Prime Minister Ana Ruiz", "Alliance Secretary General Karl
  Weiss", "Secretary General of the Alliance Karl Weiss", "Former Chilean Ambassador to the
  United Nations Rosa Pino", "Director of Maritime Affairs Lee Dal of Korea");
- an apposition, before or after the name ("Ostia's ambassador to the EU, Ana
  Ruiz"; "Karl Weiss, a Chilean peace envoy"; "the Emir of Ostia, Karim bin Said"),
  or a relative clause ("Rosa Pino, who was the president's special envoy").

The office's state or organisation is, in order: the one the article names with the
title; "of X" after the name; the KB's record of the person holding that office; for a
state office, the state the person serves. An owner that is a person ("the president's envoy")
stands for the state that person serves. Once roles are known, a definite title ("the
alliance chief") refers back to its holder.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..kb import KnowledgeBase
from ..model import Actor, Role
from .actors import EntityIndex
from .rules import rule
from .spans import text_span

MAX_TITLE_WORDS = 5
MAX_TITLE_PHRASE = MAX_TITLE_WORDS + 5  # a title with its "of/to the X" phrase and its owner
MAX_LEFT_OUT_FIRST_NAMES = 2
TITLE_LINKS = {"of", "to", "for", "-"}  # words inside a title phrase ("Secretary of State")
# Offices of a state by their nature: with no owner named, the person's own state is meant.
STATE_OFFICE_KINDS = {"head_of_state", "head_of_government", "minister", "diplomat", "military", "state_official"}
QUALIFIERS = {"former": "former", "ex": "former", "acting": "acting", "interim": "interim"}
# Spelling variants that make two office names the same ("adviser"/"advisor").
SPELLINGS = {"advisor": "adviser", "defence": "defense", "secretary-general": "secretary general"}


def extract_roles(doc: Doc, index: EntityIndex, kb: KnowledgeBase) -> list[Role]:
    """Each named person's office: found by the stage ``role.find``, its state or organisation by
    the one named with it or else the stage ``role.owner``."""
    rules = index.rules
    roles: dict[tuple[str, str, str | None], Role] = {}
    for ent in doc.ents:
        key = index.actor_at(ent.root)
        if not key or index.actors[key].type != "Person":
            continue
        ent = _without_titles(ent, kb)  # "the Spokesperson Ana Ruiz" as one entity: its title stands before the name
        found, _ = rules.first("role.find", doc, ent, index, kb)
        if found is None:
            continue
        role_name, organisation, evidence, *stacked = found
        for stacked_title, stacked_owner in stacked:  # "Alliance chair President Ana Ruiz": also the alliance's chair
            roles.setdefault((key, stacked_title, stacked_owner), Role(key, stacked_title, stacked_owner, evidence))
        if organisation is not None and rules.on("role.person_owner.serving_state"):
            organisation = serving_state(organisation, index, kb)
        if organisation is None:
            organisation, _ = rules.first("role.owner", ent, key, role_name, index, kb)
        if organisation == key:
            organisation = None
        roles.setdefault((key, role_name, organisation), Role(key, role_name, organisation, evidence))
    kept = list(roles.values())
    if rules.on("role.dedupe.bare_duplicate"):
        kept = without_bare_duplicates(kept)
    for role in kept:
        person = index.actors[role.person]
        if role.of and not person.country:
            owner = index.actors[role.of]
            person.country = owner.country if owner.type == "Country" else person.country
    if rules.on("role.reference.title"):
        resolve_title_references(doc, index, kept, kb)
    return kept


@rule("role.find.title_before")
def title_before(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase):
    """A title before the name, with its state or organisation: "Ruritanian Foreign Minister Ana Ruiz", "Secretary General of X Y"."""
    return _title_before(doc, ent, index, kb, kb.title_words)


@rule("role.find.apposition")
def apposition(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase):
    """An apposition before or after the name, or "who was": "Ana Ruiz, Ostia's ambassador", "Ostia's envoy, Ana Ruiz"."""
    return _apposition(doc, ent, index, kb)


@rule("role.find.shared_plural_title")
def shared_plural_title(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase):
    """A person listed after one under a plural title holds it too: "Presidents Ana Ruiz of Ostia and Karl Weiss of Tarsis"."""
    if ent.root.dep_ != "conj":
        return None
    head = ent.root.head
    first = next((e for e in doc.ents if e.start <= head.i < e.end), None)
    if first is None or first.start >= ent.start:
        return None
    before = doc[max(0, first.start - MAX_TITLE_WORDS): first.start]
    plural = next((t for t in reversed(before) if t.tag_ in ("NNS", "NNPS") and _singular(t) in kb.offices), None)
    if plural is None:
        return None
    return kb.offices[_singular(plural)], None, text_span(doc[ent.start: ent.end])


@rule("role.stacked.nearest_owner")
def nearest_owner(token: Token, kb: KnowledgeBase) -> str | None:
    """Of two stacked titles, the owner named first owns the first: "Alliance chair President Ana Ruiz of Ostia" is Ostia's president and the alliance's chair.

    Returns the office a word between the owner and the later title names, if it names one."""
    return kb.offices.get(token.lower_)


@rule("role.owner.of_after_name")
def of_after_name(ent: Span, person: str, role_name: str, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """The state an "of" phrase after the name gives: "Ana Ruiz of Ostia"."""
    owner = _name_of(ent, index)
    return serving_state(owner, index, kb) if owner and index.rules.on("role.person_owner.serving_state") else owner


@rule("role.owner.kb_office")
def kb_office(ent: Span, person: str, role_name: str, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """The state or organisation of the KB's record of this person in an office of that title."""
    return _kb_office_holder(index, person, role_name, kb)


@rule("role.owner.own_state")
def own_state(ent: Span, person: str, role_name: str, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """A state office ("President", "Senator") with no state named is in the person's own state."""
    return _own_state(index, person, role_name, kb)


@rule("role.for_owner.speaks_for")
def speaks_for(title: Token, index: EntityIndex) -> bool:
    """A spokesperson's "for" phrase names whom the office serves: "Ana Ruiz, a spokesperson for the Harbour Authority"."""
    return title.lemma_.lower() in index.representatives


@rule("role.owner.document_state")
def document_state(ent: Span, person: str, role_name: str, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """A state office of someone whose state is unknown is in the state the document names most: "Senator Ana Ruiz" in an article on Ostia."""
    if _office_kind(role_name, kb) not in STATE_OFFICE_KINDS or index.actors[person].country:
        return None
    return index.most_named_state()


@rule("role.person_owner.serving_state")
def serving_state(owner: str, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """An office owned by a person belongs to the state that person serves: "the president's envoy"."""
    actor = index.actors.get(owner)
    if actor is None or actor.type != "Person":
        return owner
    state = kb.state(actor.country)
    return _kb_actor(state.id, index, kb) if state else None


@rule("role.dedupe.bare_duplicate")
def without_bare_duplicates(roles: list[Role]) -> list[Role]:
    """A title without owner repeats the same title with one: "President Ruiz" after "Ostian President Ana Ruiz"."""
    owned = {(r.person, r.role.casefold()) for r in roles if r.of}
    return [r for r in roles if r.of or (r.person, r.role.casefold()) not in owned]


def _without_titles(ent: Span, kb: KnowledgeBase) -> Span:
    """The entity without the office title and article NER put at its start; a courtesy title
    ("Sheikh") stays, as the title before it may own it."""
    start = ent.start
    while start < ent.end - 1 and (ent.doc[start].pos_ == "DET" or ent.doc[start].lower_ in kb.title_words
                                   and ent.doc[start].lower_ not in kb.word_list("honorific")):
        start += 1
    return ent if start == ent.start else Span(ent.doc, start, ent.end, label=ent.label_)


def _title_before(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase, title_words: frozenset[str]):
    """Title words before the name, with the state or organisation among or after them."""
    name_start = ent.start
    # First names the NER left out of the entity: "spokesperson Omar Haddad"; tried
    # only when the entity itself has no title before it.
    while (name_start > 0 and ent.start - name_start < MAX_LEFT_OUT_FIRST_NAMES
           and doc[name_start - 1].pos_ == "PROPN" and doc[name_start - 1].text[:1].isupper()
           and not index.actor_at(doc[name_start - 1]) and doc[name_start - 1].lower_ not in title_words):
        name_start -= 1
    for start in dict.fromkeys((ent.start, name_start)):
        found = _title_ending_at(doc, ent, start, index, kb)
        if found:
            return found
    return None


def _title_ending_at(doc: Doc, ent: Span, name_start: int, index: EntityIndex, kb: KnowledgeBase):
    start = name_start
    while start > 0 and name_start - start < MAX_TITLE_PHRASE:
        token = doc[start - 1]
        if token.pos_ in ("PROPN", "NOUN", "ADJ") or token.lower_ in TITLE_LINKS:
            start -= 1
        elif token.lower_ == "and" and start < name_start and doc[start].pos_ == "NOUN" and start > 1 \
                and doc[start - 2].pos_ == "NOUN":
            start -= 1  # "fisheries and oceans commissioner"
        elif token.lower_ == "the" and start < name_start and doc[start].pos_ == "PROPN":
            start -= 1  # "Ambassador to the United Nations"
        else:
            break
    words = list(doc[start:name_start])
    found = _best_title(words, kb)
    if found is None:
        return None
    title, title_start, tail = found
    organisation = None
    stacked: list[tuple[str, str]] = []
    for token in doc[start:title_start]:
        organisation = _owner_at(token, title, index, kb) or organisation
        stacked_title = nearest_owner(token, kb) if organisation and index.rules.on("role.stacked.nearest_owner") else None
        if stacked_title:
            stacked.append((stacked_title, organisation))
            organisation = None
    if organisation is None and start > 1 and doc[start - 1].dep_ == "case":
        organisation = index.actor_at(doc[start - 2])  # "Ostia's Foreign Minister Ana Ruiz"
    if tail:
        # A known state or organisation after "of" owns the office ("Secretary General of
        # NATO"); other capitalised words name the office ("Director of Maritime Affairs").
        tail_actor = next((index.actor_at(t) for t in tail if index.actor_at(t)
                           and index.actors[index.actor_at(t)].kb_id), None)
        owning = tail[0].lower_ == "of" or tail[0].lower_ == "for" and _speaks_for(doc[tail[0].i - 1], index)
        if owning and tail_actor:
            organisation = organisation or tail_actor  # "Secretary General of NATO"
        else:
            title = f"{title} {_phrase_text(tail)}"  # "Director of Maritime Affairs"
    qualifiers = [QUALIFIERS[t.lower_] for t in doc[start:title_start] if t.lower_ in QUALIFIERS]
    if qualifiers:
        title = f"{qualifiers[0]} {title}"
    return title, organisation, text_span(doc[start: ent.end]), *stacked


def _best_title(words: list[Token], kb: KnowledgeBase) -> tuple[str, int, list[Token]] | None:
    """The longest office title among the words; what follows it up to the name must be an
    "of/to/for X" phrase of capitalised words (or nothing)."""
    best: tuple[int, int, str, int, list[Token]] | None = None
    for end in range(len(words), 0, -1):
        tail = words[end:]
        if tail and not _is_title_tail(tail):
            continue
        for length in range(min(end, MAX_TITLE_WORDS), 0, -1):
            candidate = words[end - length: end]
            text = " ".join([t.lower_ for t in candidate[:-1]] + [_singular(candidate[-1])]).replace(" - ", "-")
            if text in kb.offices:
                rank = (length, -len(tail))
                if best is None or rank > (best[0], best[1]):
                    best = (length, -len(tail), kb.offices[text], candidate[0].i, tail)
                break
    if best is None:
        return None
    return best[2], best[3], best[4]


def _singular(token: Token) -> str:
    """A title word as an office name: "Presidents Ana Ruiz and Karl Weiss" hold the office "president"."""
    return token.lemma_.lower() if token.tag_ in ("NNS", "NNPS") else token.lower_


def _is_title_tail(tail: list[Token]) -> bool:
    if tail[0].lower_ not in ("of", "to", "for"):
        return False
    rest = [t for t in tail[1:] if t.lower_ != "the"]
    return bool(rest) and all(t.pos_ == "PROPN" or t.text[:1].isupper() for t in rest)


def _phrase_text(tokens: list[Token]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _apposition(doc: Doc, ent: Span, index: EntityIndex, kb: KnowledgeBase):
    """"Ostia's ambassador to the EU, Ana Ruiz", "Ana Ruiz, Ostia's ambassador",
    "Rosa Pino, who was the president's envoy"."""
    root = ent.root
    title_head = None
    if root.dep_ == "appos":
        title_head = root.head
        # "Norway's ambassador to the EU, Ingrid Solheim" attached to "EU": climb to the title.
        for _ in range(2):
            if _is_title(title_head, kb) or title_head.dep_ != "pobj" or title_head.head.dep_ != "prep":
                break
            title_head = title_head.head.head
    elif root.dep_ == "conj" and ent.start > 0 and doc[ent.start - 1].text == "," and _is_title(root.head, kb):
        title_head = root.head  # "the Emir of Ostia, Karim bin Said" parsed as a list
    else:
        title_head = next((c for c in root.children if c.dep_ == "appos"), None)
        if title_head is None:
            for clause in root.children:
                if clause.dep_ == "relcl" and clause.lemma_ == "be":
                    title_head = next((c for c in clause.children if c.dep_ == "attr"), None)
                    break
    if title_head is None or title_head.i in range(ent.start, ent.end):
        return None
    # Named-entity words ("Chilean", "Ostia's") are owners, not title words; a state-body noun
    # mapped to its state ("a US peace envoy") still is a title word.
    title_tokens = [t for t in title_head.subtree if t.i <= title_head.i
                    and t.dep_ not in ("poss", "case", "det") and not t.ent_type_]
    title, _ = _longest_title(doc[title_tokens[0].i: title_head.i + 1], kb) if title_tokens else (None, -1)
    if title is None:
        return None
    organisation = None
    for child in title_head.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod"):
            organisation = _owner_at(child, title, index, kb) or organisation
        elif child.dep_ == "prep" and (child.lower_ == "of" or child.lower_ == "for" and _speaks_for(title_head, index)):
            for pobj in child.children:
                organisation = _owner_at(pobj, title, index, kb, demonym=False) or organisation
    if any(t.lower_ in QUALIFIERS for t in title_head.lefts):
        title = f"former {title}"
    span = doc[min(title_head.left_edge.i, ent.start): max(title_head.i + 1, ent.end)]
    return title, organisation, text_span(span)


def _speaks_for(title: Token, index: EntityIndex) -> bool:
    """Whether a title's "for" phrase names its owner: "a spokesperson for the ministry" (rule role.for_owner.speaks_for)."""
    return index.rules.on("role.for_owner.speaks_for") and speaks_for(title, index)


def _is_title(token: Token, kb: KnowledgeBase) -> bool:
    return token.lower_ in kb.offices or token.lemma_.lower() in kb.offices


def _longest_title(words: Span, kb: KnowledgeBase) -> tuple[str | None, int]:
    """The longest office title ending right before the name."""
    tokens = list(words)
    for length in range(min(len(tokens), MAX_TITLE_WORDS), 0, -1):
        candidate = tokens[-length:]
        text = " ".join(t.lower_ for t in candidate).replace(" - ", "-")
        if text in kb.offices:
            return kb.offices[text], candidate[0].i
    return None, -1


def _name_of(ent: Span, index: EntityIndex) -> str | None:
    """"Lee Dal of the Republic of Korea": the state the "of" phrase after the name gives."""
    for child in ent.root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if index.actor_at(pobj):
                    return index.actor_at(pobj)
    return None


def _owner_at(token: Token, title: str, index: EntityIndex, kb: KnowledgeBase, demonym: bool = True) -> str | None:
    """The state or organisation a word names as an office's owner: its actor, the state of its
    adjective, or, for a city or region, the place's own government (rule role.place_owner.government)."""
    key = index.actor_at(token)
    if index.rules.on("role.place_owner.government") and (key is None or _office_kind(title, kb) == "local_official"):
        government = place_government(token, index, kb, capital=key is not None)
        if government:
            return government
    return key or (demonym_actor(token, index, kb) if demonym else None)


@rule("role.place_owner.government")
def place_government(token: Token, index: EntityIndex, kb: KnowledgeBase, capital: bool = False) -> str | None:
    """An office of a city or region belongs to the place's government: "Zenda Mayor Ana Ruiz", and a capital's mayor too.

    The government is an organisation named after the place, of the place's state."""
    place = index.places.get(index.place_of_token[token.i] or "")
    if place is None and capital and token.ent_type_:  # a capital the text names as its state: the KB's city
        span = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        place = next((kb.entries[i] for i in kb.names.get(span.text if span is not None else "", [])
                      if kb.entries[i].type == "Place"), None)
    if place is None:
        return None
    key = f"Organization:{place.name.casefold()}"
    if key not in index.actors:
        index.actors[key] = Actor(key=key, name=place.name, type="Organization", country=place.country)
    return key


def demonym_actor(token: Token, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """The state an adjective names ("Chilean"), joining the document's actors if need be."""
    if token.ent_type_ != "NORP" or token.ent_id_ not in kb.entries:
        return None
    return _kb_actor(kb.entries[token.ent_id_].id, index, kb)


def _kb_actor(kb_id: str, index: EntityIndex, kb: KnowledgeBase) -> str | None:
    """The document's actor for a KB entry; a state or organisation named only through an
    office ("Chilean", a KB office record) joins the document's actors."""
    for key, actor in index.actors.items():
        if actor.kb_id == kb_id:
            return key
    entry = kb.entries.get(kb_id)
    if entry is None or entry.type == "Place":
        return None
    index.actors[entry.id] = Actor(key=entry.id, name=entry.name, type=entry.type, country=entry.country,
                                   kb_id=entry.id)
    return entry.id


def _same_office(a: str, b: str, exact: bool = False) -> bool:
    """Whether two office names are the same office; unless exact, one may qualify the
    other ("Ambassador" and "Ambassador to the EU")."""
    def norm(role: str) -> str:
        words = role.casefold().replace("former ", "").split()
        return " ".join(SPELLINGS.get(w, w) for w in words)

    a, b = norm(a), norm(b)
    return a == b or (not exact and (a in b or b in a))


def _kb_office_holder(index: EntityIndex, person_key: str, role_name: str, kb: KnowledgeBase) -> str | None:
    """The organisation of a KB office with this title, when the article names none."""
    person = index.actors[person_key]
    entry = kb.entries.get(person.kb_id or "")
    if entry is None:
        return None
    for exact in (True, False):
        for office in entry.offices:
            if _same_office(office.role, role_name, exact):
                return _kb_actor(office.of, index, kb)
    return None


def _own_state(index: EntityIndex, person_key: str, role_name: str, kb: KnowledgeBase) -> str | None:
    """A state office ("President", "Senator") with no state named: the person's own state."""
    if _office_kind(role_name, kb) not in STATE_OFFICE_KINDS:
        return None
    state = kb.state(index.actors[person_key].country)
    return _kb_actor(state.id, index, kb) if state else None


def _office_kind(role_name: str, kb: KnowledgeBase) -> str | None:
    """The kind of the office a role names; for "former President" or "Ambassador to the
    EU", the kind of the longest title it contains (worked out once per role name)."""
    known: dict[str, str | None] = kb.derived("office_kind_of_role", lambda _: {})
    if role_name not in known:
        known[role_name] = _find_office_kind(role_name, kb)
    return known[role_name]


def _find_office_kind(role_name: str, kb: KnowledgeBase) -> str | None:
    wanted = role_name.casefold()
    best: tuple[int, str] | None = None
    for title, role in kb.offices.items():
        role = role.casefold()
        if wanted == role or wanted.startswith(role + " ") or wanted.endswith(" " + role):
            if best is None or len(role) > best[0]:
                best = (len(role), kb.office_kinds.get(title, ""))
    return best[1] if best else None


@rule("role.reference.title")
def resolve_title_references(doc: Doc, index: EntityIndex, roles: list[Role], kb: KnowledgeBase) -> None:
    """A definite title refers to its holder: "the foreign minister" after "Foreign Minister Ana Ruiz", or the KB's one holder.

    "the alliance chief", "the president": the person the article gave that office, or the one
    person of the article whom the KB records in that office ("the chancellor"); of several, the one
    holding it in the state the article names most."""
    by_org: dict[str | None, list[Role]] = {}
    for role in roles + _kb_roles(index, kb):
        by_org.setdefault(role.of, []).append(role)
    table = index.table
    offices = kb.office_titles
    title_nouns = {t.i: t for t in table.with_lower(table.hashes(offices)) + table.with_lemma(table.hashes(offices))}
    for token in [title_nouns[i] for i in sorted(title_nouns)]:
        common = token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.is_lower)  # the tagger's "the president"
        if not common or index.actor_at(token) or not any(c.lower_ == "the" for c in token.children):
            continue
        if token.lower_ not in kb.offices and token.lemma_.lower() not in kb.offices:
            continue
        # "the prime minister": the longest title ending at the noun, its modifiers included.
        modifiers = [c for c in token.lefts if c.dep_ in ("compound", "amod") and not index.actor_at(c)]
        start = modifiers[0].i if modifiers else token.i
        title, _ = _longest_title(doc[start: token.i + 1], kb)
        title = title or kb.offices.get(token.lower_) or kb.offices.get(token.lemma_.lower())
        owners = {index.actor_at(c) for c in token.children if c.dep_ in ("compound", "amod", "poss")} - {None}
        # "the president of Ostia": the office is held in the state the "of" phrase names.
        owners |= {index.actor_at(p) for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                   for p in c.children if p.dep_ == "pobj"} - {None}
        candidates = [r for org in (owners or by_org.keys()) for r in by_org.get(org, [])]
        if not owners:
            candidates = [r for r in candidates if _same_office(r.role, title or "", exact=True)]
        people = {r.person for r in candidates}
        if len(people) > 1 and not owners:  # "the president" of an article on one state, with a foreign one
            main = index.most_named_state()
            people = {r.person for r in candidates if r.of == main} if main else people
        if len(people) == 1:
            index.actor_of_token[token.i] = people.pop()


def _kb_roles(index: EntityIndex, kb: KnowledgeBase) -> list[Role]:
    """Offices the KB records for the article's people, as roles without evidence."""
    by_kb_id = {actor.kb_id: key for key, actor in index.actors.items() if actor.kb_id}
    found = []
    for key, actor in index.actors.items():
        entry = kb.entries.get(actor.kb_id or "")
        if entry is None or actor.type != "Person":
            continue
        for office in entry.offices:
            found.append(Role(key, office.role, by_kb_id.get(office.of), None))
    return found
