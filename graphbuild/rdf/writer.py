"""Extraction → RDF quads, written as N-Quads lines.

One named graph per document holds what that document says (the document itself, its
mentions, sentences, events, statements and roles); the entities graph holds the merged
actors and places; the provenance graph holds PROV records of builds. Evidence spans
are NIF strings with RFC 5147 fragment IRIs (``<doc>#char=10,42``), so every fact points
to the exact characters it came from.

Quads are made directly as N-Quads text, which Oxigraph loads natively: building rdflib
terms first and serialising them afterwards was most of the writer's cost. IRIs still
come from the minting helpers in vocab and are checked by pyoxigraph on the way; literals
are escaped by pyoxigraph, never here.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..model import Actor, Claim, Document, Event, EventCluster, Extraction, Place, Statement, TextSpan
from ..vocab import (
    ACTOR_CLASSES,
    GB,
    GEO,
    ITSRDF,
    KB,
    MODALITIES,
    NIF,
    PLOVER,
    RULE,
    SCHEMA,
    clusters_graph_iri,
    document_graph_iri,
    document_iri,
    document_key,
    entities_graph_iri,
    mint,
    provenance_graph_iri,
    slug,
    span_iri,
)

Quad = str  # one N-Quads line, newline included: "<s> <p> <o> <g> .\n"


def iri(value: str) -> str:
    """An IRI as an N-Quads term. pyoxigraph refuses anything that is not a valid IRI, so
    a minting mistake fails here, not halfway through a load."""
    return str(ox.NamedNode(value))


def literal(value: str, datatype: str | None = None) -> str:
    """A literal as an N-Quads term, escaped by pyoxigraph."""
    return str(ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None))


class _Terms:
    """A namespace whose terms are turned into N-Quads text once."""

    def __init__(self, namespace):
        self._namespace = namespace
        self._items: dict[str, str] = {}

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        term = iri(self._namespace[name])
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        if name not in self._items:
            self._items[name] = iri(self._namespace[name])
        return self._items[name]


# Every vocabulary term the writer uses, made once (XSD stays plain: literal() takes datatype IRIs).
GB, NIF, ITSRDF, SCHEMA, PLOVER, GEO = (_Terms(ns) for ns in (GB, NIF, ITSRDF, SCHEMA, PLOVER, GEO))
PROV, RDF, RDFS, DCTERMS, SKOS = (_Terms(ns) for ns in (PROV, RDF, RDFS, DCTERMS, SKOS))
_ACTOR_CLASSES = {kind: iri(term) for kind, term in ACTOR_CLASSES.items()}
_MODALITIES = {name: iri(term) for name, term in MODALITIES.items()}

STATEMENT_CLASSES = {"direct": GB.Quotation, "reported": GB.ReportedStatement}


@dataclass(frozen=True)
class _ActTerms:
    type: str
    modality: str
    source: str
    target: str
    place: str
    date: str


# An article's event and someone's claim describe an act with different properties, so that
# queries for events never match claims.
_EVENT_TERMS = _ActTerms(GB.eventType, GB.modality, GB.source, GB.target, GB.place, GB.date)
_CLAIM_TERMS = _ActTerms(GB.actType, GB.actModality, GB.actSource, GB.actTarget, GB.actPlace, GB.actDate)


@functools.lru_cache(maxsize=1024)
def state_iri(iso3: str) -> str:
    return iri(KB[iso3])


@functools.lru_cache(maxsize=1024)
def rule_iri(rule_id: str) -> str:
    return iri(RULE[rule_id])


@functools.lru_cache(maxsize=1024)
def _confidence(value: float) -> str:
    return literal(f"{value:.3f}", XSD.decimal)


def document_quads(extraction: Extraction) -> list[Quad]:
    """Everything one document says, in that document's named graph."""
    document = extraction.document
    doc_iri = document_iri(document.id)
    doc = iri(doc_iri)
    graph_end = f" {iri(document_graph_iri(document.id))} .\n"
    actor_ids = {actor.key: actor.iri for actor in extraction.actors if actor.iri}
    actor_iris = {key: iri(value) for key, value in actor_ids.items()}
    place_iris = {place.key: iri(place.iri) for place in extraction.places if place.iri}
    quads: list[Quad] = []

    def add(s: str, p: str, o: str) -> None:
        quads.append(f"{s} {p} {o}{graph_end}")

    for p, o in _document_properties(document):
        add(doc, p, o)
    spans: dict[tuple[int, int], str] = {}

    def span(text_span: TextSpan, span_class: str) -> str:
        key = (text_span.start, text_span.end)
        node = spans.get(key)
        if node is None:
            node = spans[key] = iri(span_iri(doc_iri, text_span.start, text_span.end))
            add(node, RDF.type, span_class)
            add(node, NIF.referenceContext, doc)
            add(node, NIF.beginIndex, _integer(text_span.start))
            add(node, NIF.endIndex, _integer(text_span.end))
            add(node, NIF.anchorOf, literal(text_span.text))
        return node

    for entity, node in [(a, actor_iris.get(a.key)) for a in extraction.actors] + [
        (p, place_iris.get(p.key)) for p in extraction.places
    ]:
        if node is None:
            continue
        add(doc, SCHEMA.mentions, node)
        for mention in entity.mentions:
            add(span(mention, GB.Mention), ITSRDF.taIdentRef, node)

    doc_key = document_key(document.id)

    def event_node(kind: str, event: Event) -> str:
        # One trigger can yield several events (conjoined sources or targets): the IRI names them all.
        participants = "-".join(_short_id(actor_ids.get(k)) for k in (event.source, event.target))
        return iri(mint(kind, doc_key, f"{event.trigger.start}-{event.trigger.end}-{event.type}-{participants}"))

    def act(node: str, event: Event, terms: _ActTerms) -> None:
        """What an event and a claim both say of an act, each with its own properties."""
        add(node, terms.type, PLOVER[event.type])
        add(node, terms.modality, _MODALITIES[event.modality])
        add(node, GB.evidence, span(event.sentence, NIF.Sentence))
        add(node, PROV.wasDerivedFrom, doc)
        if event.source in actor_iris:
            add(node, terms.source, actor_iris[event.source])
        if event.target in actor_iris:
            add(node, terms.target, actor_iris[event.target])
        if event.place in place_iris:
            add(node, terms.place, place_iris[event.place])
        if event.date:
            add(node, terms.date, literal(event.date.isoformat(), XSD.date))

    for event in extraction.events:
        node = event_node("event", event)
        add(node, RDF.type, GB.Event)
        act(node, event, _EVENT_TERMS)
        add(node, GB.trigger, span(event.trigger, NIF.Phrase))
        if event.mode:
            add(node, GB.mode, literal(event.mode))
        for rule_id in event.rules:
            add(node, GB.rule, rule_iri(rule_id))
        if event.lexicon_entry:
            add(node, GB.lexiconEntry, literal(event.lexicon_entry))
        if event.confidence is not None:
            add(node, GB.confidence, _confidence(event.confidence))

    statement_iris = {}
    for statement in extraction.statements:
        node = statement_iris[statement.span.start, statement.span.end] = iri(
            mint("statement", doc_key, f"{statement.span.start}-{statement.span.end}"))
        add(node, RDF.type, STATEMENT_CLASSES[statement.kind])
        add(node, GB.quote, literal(statement.quote))
        add(node, GB.span, span(statement.span, NIF.Phrase))
        add(node, GB.evidence, span(statement.sentence, NIF.Sentence))
        add(node, PROV.wasDerivedFrom, doc)
        if statement.speaker in actor_iris:
            add(node, GB.speaker, actor_iris[statement.speaker])

    # A claim is not an event: it uses the gb:act* properties, never gb:source, gb:eventType...
    for claim in extraction.claims:
        node = event_node("claim", claim.event)
        add(node, RDF.type, GB.Claim)
        act(node, claim.event, _CLAIM_TERMS)
        if claim.claimant in actor_iris:
            add(node, GB.claimant, actor_iris[claim.claimant])
        statement = _statement_of(claim, extraction.statements)
        if statement is not None:
            add(node, GB.statement, statement_iris[statement.span.start, statement.span.end])

    for role in extraction.roles:
        holder = actor_ids.get(role.person)
        if holder is None:
            continue
        organisation = actor_ids.get(role.of) if role.of else None
        node = iri(mint("role", doc_key, slug(holder), slug(role.role), slug(organisation or "")))
        add(node, RDF.type, GB.RoleHolding)
        add(node, GB.holder, actor_iris[role.person])
        add(node, GB.roleName, literal(role.role))
        add(node, GB.evidence, span(role.evidence, NIF.Phrase))
        add(node, PROV.wasDerivedFrom, doc)
        if organisation is not None:
            add(node, GB.roleIn, actor_iris[role.of])

    return quads


def _statement_of(claim: Claim, statements: list[Statement]) -> Statement | None:
    """The statement whose words hold the claim: the one whose span covers the claim's
    statement span (or, failing that, its trigger)."""
    inner = claim.statement or claim.event.trigger
    for statement in statements:
        if statement.span.start <= inner.start and inner.end <= statement.span.end:
            return statement
    return None


# Offsets recur in every document: each is written once.
@functools.lru_cache(maxsize=65536)
def _integer(value: int) -> str:
    return literal(str(int(value)), XSD.integer)


@functools.lru_cache(maxsize=65536)
def _short_id(iri_text: str | None) -> str:
    """A short stable token for an actor inside another IRI."""
    return hashlib.sha1(iri_text.encode("utf-8")).hexdigest()[:10] if iri_text is not None else "none"


def _document_properties(document: Document) -> Iterator[tuple[str, str]]:
    yield RDF.type, GB.Document
    yield DCTERMS.identifier, literal(document.id)
    yield GB.contentHash, literal(document.content_hash)
    yield NIF.isString, literal(document.text)
    if document.title:
        yield DCTERMS.title, literal(document.title)
    if document.publisher:
        yield DCTERMS.publisher, literal(document.publisher)
    if document.published:
        yield DCTERMS.date, literal(document.published.isoformat(), XSD.date)
    if document.source:
        yield DCTERMS.source, _iri_or_literal(document.source)
    if document.license:
        yield DCTERMS.license, literal(document.license)


def _iri_or_literal(value: str) -> str:
    # Only well-formed http(s) URLs become IRIs; anything else stays a literal.
    if value.startswith(("http://", "https://")) and not any(c in value for c in ' <>"{}|\\^`'):
        try:
            return iri(value)
        except ValueError:  # not a valid IRI after all (control characters...)
            pass
    return literal(value)


def entity_quads(actors: list[Actor], places: list[Place]) -> Iterator[Quad]:
    """Canonical descriptions of merged actors and places, in the entities graph."""
    graph_end = f" {iri(entities_graph_iri())} .\n"
    for actor in actors:
        node = iri(actor.iri)
        yield f"{node} {RDF.type} {_ACTOR_CLASSES[actor.type]}{graph_end}"
        yield f"{node} {SKOS.prefLabel} {literal(actor.name)}{graph_end}"
        if actor.country:
            state = state_iri(actor.country)
            yield f"{node} {GB.country} {state}{graph_end}"
            yield f"{state} {GB.isoAlpha3} {literal(actor.country)}{graph_end}"
        if actor.type == "Country" and actor.country:
            yield f"{node} {GB.isoAlpha3} {literal(actor.country)}{graph_end}"
    for place in places:
        node = iri(place.iri)
        yield f"{node} {RDF.type} {GB.Place}{graph_end}"
        yield f"{node} {SKOS.prefLabel} {literal(place.name)}{graph_end}"
        if place.country:
            state = state_iri(place.country)
            yield f"{node} {GB.country} {state}{graph_end}"
            yield f"{state} {GB.isoAlpha3} {literal(place.country)}{graph_end}"
        if place.latitude is not None and place.longitude is not None:
            yield f"{node} {GEO.lat} {literal(f'{place.latitude:.5f}', XSD.decimal)}{graph_end}"
            yield f"{node} {GEO.long} {literal(f'{place.longitude:.5f}', XSD.decimal)}{graph_end}"
        if place.geonames_id is not None:
            yield f"{node} {SCHEMA.sameAs} {iri(f'https://sws.geonames.org/{int(place.geonames_id)}/')}{graph_end}"


def build_quads(
    build: str,
    started: datetime,
    ended: datetime,
    software_version: str,
    model_name: str,
    model_version: str,
    documents: list[Document],
) -> Iterator[Quad]:
    """A PROV record of one build: what ran, with which model, and which graphs it wrote."""
    graph_end = f" {iri(provenance_graph_iri())} .\n"
    run = iri(build)
    agent = iri(mint("software", "graphbuild", software_version))
    triples = [
        (run, RDF.type, GB.Build),
        (run, RDF.type, PROV.Activity),
        (run, PROV.startedAtTime, literal(started.isoformat(), XSD.dateTime)),
        (run, PROV.endedAtTime, literal(ended.isoformat(), XSD.dateTime)),
        (run, PROV.wasAssociatedWith, agent),
        (run, GB.modelName, literal(model_name)),
        (run, GB.modelVersion, literal(model_version)),
        (agent, RDF.type, PROV.SoftwareAgent),
        (agent, RDFS.label, literal(f"graphbuild {software_version}")),
        (agent, GB.softwareVersion, literal(software_version)),
    ]
    for document in documents:
        triples.append((iri(document_graph_iri(document.id)), PROV.wasGeneratedBy, run))
        triples.append((run, PROV.used, iri(document_iri(document.id))))
    for s, p, o in triples:
        yield f"{s} {p} {o}{graph_end}"


def cluster_quads(cluster: EventCluster) -> Iterator[Quad]:
    """One event cluster with its counts and mentions, in the clusters graph."""
    graph_end = f" {iri(clusters_graph_iri())} .\n"
    node = iri(cluster.iri)
    triples = [(RDF.type, GB.EventCluster), (GB.clusterKey, literal(cluster.key)),
               (GB.actType, PLOVER[cluster.type]),
               (GB.numMentions, _integer(len(cluster.mentions))), (GB.numArticles, _integer(cluster.num_articles)),
               (GB.numSources, _integer(cluster.num_sources)),
               (GB.assertedMentions, _integer(cluster.stances.get("asserted", 0))),
               (GB.negatedMentions, _integer(cluster.stances.get("negated", 0))),
               (GB.hypotheticalMentions, _integer(cluster.stances.get("hypothetical", 0))),
               (GB.claimedMentions, _integer(cluster.stances.get("claimed", 0))),
               (GB.disputed, literal("true" if cluster.disputed else "false", XSD.boolean))]
    if cluster.source:
        triples.append((GB.actSource, iri(cluster.source)))
    if cluster.target:
        triples.append((GB.actTarget, iri(cluster.target)))
    if cluster.anchor_date:
        triples.append((GB.anchorDate, literal(cluster.anchor_date.isoformat(), XSD.date)))
    if cluster.country:
        triples.append((GB.anchorCountry, literal(cluster.country)))
    if cluster.first_reported:
        triples.append((GB.firstReported, literal(cluster.first_reported.isoformat(), XSD.date)))
        triples.append((GB.lastReported, literal(cluster.last_reported.isoformat(), XSD.date)))
    triples += [(GB.mention, iri(m.iri)) for m in cluster.mentions]
    triples += [(GB.disputedBy, iri(mention)) for mention in cluster.disputing]
    triples += [(GB.mentionedIn, iri(doc)) for doc in sorted({m.document for m in cluster.mentions})]
    for p, o in triples:
        yield f"{node} {p} {o}{graph_end}"


def clustered_hash_quads(hashes: dict[str, str]) -> Iterator[Quad]:
    """Which version of each document (document IRI → content hash) the clusters were computed from."""
    graph_end = f" {iri(clusters_graph_iri())} .\n"
    for doc, content_hash in sorted(hashes.items()):
        yield f"{iri(doc)} {GB.clusteredHash} {literal(content_hash)}{graph_end}"
