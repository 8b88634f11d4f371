"""Per-document extraction: a parsed spaCy Doc and its Document → an Extraction.

Extraction runs named rules in the stages declared in ``stages.py``; a ``RuleSet`` says which
rules a build runs. Actors come first (which tokens refer to which actors and places), then
roles, statements, and the events and claims that use them.
"""

from __future__ import annotations

from spacy.tokens import Doc

from dataclasses import replace

from ..confidence import event_features, is_affiliated
from ..kb import KnowledgeBase
from ..model import Claim, Document, Event, Extraction
from .actors import EntityIndex, document_author, find_entities, is_generic_group, speak_in_first_person, voices
from .events import event_context, extract_events
from .roles import extract_roles
from .rules import RuleSet, UnknownRuleError, all_rules, all_stages, default_rules
from .statements import extract_statements, quoted_tokens

__all__ = ["extract", "RuleSet", "UnknownRuleError", "all_rules", "all_stages", "default_rules"]


def extract(doc: Doc, document: Document, kb: KnowledgeBase, rules: RuleSet | None = None) -> Extraction:
    rules = rules or default_rules()
    index = find_entities(doc, kb, rules)
    roles = extract_roles(doc, index, kb)  # before statements: "the alliance chief said" needs roles
    statements = extract_statements(doc, index, kb)
    quoted = quoted_tokens(doc, index.table)
    author = document_author(document, kb) if rules.on("actor.voice.document_author") else None
    voice = voices(index, statements, author, quoted)
    if rules.on("actor.voice.first_person"):
        speak_in_first_person(index, voice)  # before events: "we will respond" inside a quote
    ctx = event_context(doc, index, kb, rules, quoted, voice, document.published, statements)
    events, claims = extract_events(ctx)
    events = [_with_confidence(e, index, kb) for e in events]
    claims = [Claim(c.claimant, _with_confidence(c.event, index, kb), c.statement) for c in claims]
    used = {r.person for r in roles} | {r.of for r in roles} | {s.speaker for s in statements}
    used |= {e.source for e in events} | {e.target for e in events}
    used |= {c.claimant for c in claims} | {k for c in claims for k in (c.event.source, c.event.target)}
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
        claims=claims,
    )


def _with_confidence(event: Event, index: EntityIndex, kb: KnowledgeBase) -> Event:
    source = index.actors.get(event.source)
    affiliated = source is not None and is_affiliated(source.type, source.country)
    features = event_features(event.rules, event.type, event.target is not None, affiliated)
    return replace(event, confidence=kb.calibration.confidence(features))

