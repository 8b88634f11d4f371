"""Per-document extraction: a parsed spaCy Doc and its Document → an Extraction.

Small extractor functions, each with one job, share the EntityIndex that says which
tokens refer to which actors and places.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..kb import KnowledgeBase
from ..model import Document, Extraction
from .actors import document_author, find_entities, is_generic_group, speak_in_first_person, voices
from .events import extract_events
from .roles import extract_roles
from .statements import extract_statements, quoted_tokens


def extract(doc: Doc, document: Document, kb: KnowledgeBase) -> Extraction:
    index = find_entities(doc, kb)
    roles = extract_roles(doc, index, kb)  # before statements: "the NATO chief said" needs roles
    statements = extract_statements(doc, index, kb)
    voice = voices(index, statements, document_author(document, kb), quoted_tokens(doc, index.table))
    speak_in_first_person(index, voice)  # before events: "we will respond" inside a quote
    events = extract_events(doc, index, kb, document.published, voice)
    used = {r.person for r in roles} | {r.of for r in roles} | {s.speaker for s in statements}
    used |= {e.source for e in events} | {e.target for e in events}
    # Named actors are kept whenever mentioned; generic groups ("students", "the rebels") only
    # when they take part in something.
    actors = [a for a in index.actors.values()
              if (a.mentions and not is_generic_group(a)) or a.key in used]
    return Extraction(
        document=document,
        actors=actors,
        places=list(index.places.values()),
        roles=roles,
        statements=statements,
        events=events,
    )
