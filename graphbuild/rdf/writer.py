"""Extraction → RDF quads.

One named graph per document holds what that document says (the document itself, its
mentions, sentences, events, statements and roles); the entities graph holds the merged
actors and places; the provenance graph holds PROV records of builds. Evidence spans
are NIF strings with RFC 5147 fragment IRIs (``<doc>#char=10,42``), so every fact points
to the exact characters it came from.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from datetime import datetime

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..model import Actor, Document, Extraction, Place, TextSpan
from ..vocab import (
    ACTOR_CLASSES,
    CachedTerms,
    GB,
    ITSRDF,
    KB,
    MODALITIES,
    NIF,
    PLOVER,
    SCHEMA,
    document_graph_iri,
    document_iri,
    entities_graph_iri,
    mint,
    provenance_graph_iri,
    slug,
    span_iri,
)

# Every term the writer uses, made once.
GB, NIF, ITSRDF, SCHEMA, PLOVER = (CachedTerms(ns) for ns in (GB, NIF, ITSRDF, SCHEMA, PLOVER))
PROV, RDF, RDFS, DCTERMS, SKOS, XSD = (CachedTerms(ns) for ns in (PROV, RDF, RDFS, DCTERMS, SKOS, XSD))

Quad = tuple[URIRef, URIRef, object, URIRef]

STATEMENT_CLASSES = {"direct": GB.Quotation, "reported": GB.ReportedStatement}


def state_iri(iso3: str) -> URIRef:
    return KB[iso3]


def document_quads(extraction: Extraction) -> list[Quad]:
    """Everything one document says, in that document's named graph."""
    document = extraction.document
    graph = document_graph_iri(document.id)
    doc = document_iri(document.id)
    actor_iris = {actor.key: URIRef(actor.iri) for actor in extraction.actors if actor.iri}
    place_iris = {place.key: URIRef(place.iri) for place in extraction.places if place.iri}

    def quad(s, p, o) -> Quad:
        return (s, p, o, graph)

    quads: list[Quad] = [quad(*triple) for triple in _document_triples(document, doc)]
    emitted_spans: set[URIRef] = set()

    def span(text_span: TextSpan, span_class: URIRef) -> URIRef:
        iri = span_iri(doc, text_span.start, text_span.end)
        if iri not in emitted_spans:
            emitted_spans.add(iri)
            quads.extend(
                (
                    quad(iri, RDF.type, span_class),
                    quad(iri, NIF.referenceContext, doc),
                    quad(iri, NIF.beginIndex, _integer(text_span.start)),
                    quad(iri, NIF.endIndex, _integer(text_span.end)),
                    quad(iri, NIF.anchorOf, _text(text_span.text)),
                )
            )
        return iri

    for entity, iri in [(a, actor_iris.get(a.key)) for a in extraction.actors] + [
        (p, place_iris.get(p.key)) for p in extraction.places
    ]:
        if iri is None:
            continue
        quads.append(quad(doc, SCHEMA.mentions, iri))
        for mention in entity.mentions:
            mention_iri = span(mention, GB.Mention)
            quads.append(quad(mention_iri, ITSRDF.taIdentRef, iri))

    doc_slug = slug(document.id, 80)
    for event in extraction.events:
        # One trigger can yield several events (conjoined sources or targets): the IRI names them all.
        participants = "-".join(_short_id(actor_iris.get(k)) for k in (event.source, event.target))
        iri = mint("event", doc_slug, f"{event.trigger.start}-{event.trigger.end}-{event.type}-{participants}")
        quads += [
            quad(iri, RDF.type, GB.Event),
            quad(iri, GB.eventType, PLOVER[event.type]),
            quad(iri, GB.modality, MODALITIES[event.modality]),
            quad(iri, GB.trigger, span(event.trigger, NIF.Phrase)),
            quad(iri, GB.evidence, span(event.sentence, NIF.Sentence)),
            quad(iri, PROV.wasDerivedFrom, doc),
        ]
        if event.source in actor_iris:
            quads.append(quad(iri, GB.source, actor_iris[event.source]))
        if event.target in actor_iris:
            quads.append(quad(iri, GB.target, actor_iris[event.target]))
        if event.place in place_iris:
            quads.append(quad(iri, GB.place, place_iris[event.place]))
        if event.date:
            quads.append(quad(iri, GB.date, Literal(event.date.isoformat(), datatype=XSD.date)))
        if event.mode:
            quads.append(quad(iri, GB.mode, Literal(event.mode)))

    for statement in extraction.statements:
        iri = mint("statement", doc_slug, f"{statement.span.start}-{statement.span.end}")
        quads += [
            quad(iri, RDF.type, STATEMENT_CLASSES[statement.kind]),
            quad(iri, GB.quote, Literal(statement.quote)),
            quad(iri, GB.span, span(statement.span, NIF.Phrase)),
            quad(iri, GB.evidence, span(statement.sentence, NIF.Sentence)),
            quad(iri, PROV.wasDerivedFrom, doc),
        ]
        if statement.speaker in actor_iris:
            quads.append(quad(iri, GB.speaker, actor_iris[statement.speaker]))

    for role in extraction.roles:
        holder = actor_iris.get(role.person)
        if holder is None:
            continue
        organisation = actor_iris.get(role.of) if role.of else None
        iri = mint("role", doc_slug, slug(str(holder)), slug(role.role), slug(str(organisation or "")))
        quads += [
            quad(iri, RDF.type, GB.RoleHolding),
            quad(iri, GB.holder, holder),
            quad(iri, GB.roleName, Literal(role.role)),
            quad(iri, GB.evidence, span(role.evidence, NIF.Phrase)),
            quad(iri, PROV.wasDerivedFrom, doc),
        ]
        if organisation is not None:
            quads.append(quad(iri, GB.roleIn, organisation))

    return quads


# Offsets and mention texts recur across documents; building an rdflib Literal is the
# writer's main cost, so the common ones are made once.
@functools.lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    return Literal(value)


@functools.lru_cache(maxsize=65536)
def _text(value: str) -> Literal:
    return Literal(value)


@functools.lru_cache(maxsize=65536)
def _short_id(iri: URIRef | None) -> str:
    """A short stable token for an actor inside another IRI."""
    return hashlib.sha1(str(iri).encode("utf-8")).hexdigest()[:10] if iri is not None else "none"


def _document_triples(document: Document, doc: URIRef):
    yield doc, RDF.type, GB.Document
    yield doc, DCTERMS.identifier, Literal(document.id)
    yield doc, GB.contentHash, Literal(document.content_hash)
    yield doc, NIF.isString, Literal(document.text)
    if document.title:
        yield doc, DCTERMS.title, Literal(document.title)
    if document.publisher:
        yield doc, DCTERMS.publisher, Literal(document.publisher)
    if document.published:
        yield doc, DCTERMS.date, Literal(document.published.isoformat(), datatype=XSD.date)
    if document.source:
        yield doc, DCTERMS.source, _iri_or_literal(document.source)
    if document.license:
        yield doc, DCTERMS.license, Literal(document.license)


def _iri_or_literal(value: str):
    # Only well-formed http(s) URLs become IRIs; anything else stays a literal.
    if value.startswith(("http://", "https://")) and not any(c in value for c in ' <>"{}|\\^`'):
        return URIRef(value)
    return Literal(value)


def entity_quads(actors: list[Actor], places: list[Place]) -> Iterator[Quad]:
    """Canonical descriptions of merged actors and places, in the entities graph."""
    graph = entities_graph_iri()
    for actor in actors:
        iri = URIRef(actor.iri)
        yield iri, RDF.type, ACTOR_CLASSES[actor.type], graph
        yield iri, SKOS.prefLabel, Literal(actor.name), graph
        if actor.country:
            yield iri, GB.country, state_iri(actor.country), graph
            yield state_iri(actor.country), GB.isoAlpha3, Literal(actor.country), graph
        if actor.type == "Country" and actor.country:
            yield iri, GB.isoAlpha3, Literal(actor.country), graph
    for place in places:
        iri = URIRef(place.iri)
        yield iri, RDF.type, GB.Place, graph
        yield iri, SKOS.prefLabel, Literal(place.name), graph
        if place.country:
            yield iri, GB.country, state_iri(place.country), graph


def build_quads(
    build: URIRef,
    started: datetime,
    ended: datetime,
    software_version: str,
    model_name: str,
    model_version: str,
    documents: list[Document],
) -> Iterator[Quad]:
    """A PROV record of one build: what ran, with which model, and which graphs it wrote."""
    graph = provenance_graph_iri()
    agent = mint("software", "graphbuild", software_version)
    yield build, RDF.type, GB.Build, graph
    yield build, RDF.type, PROV.Activity, graph
    yield build, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime), graph
    yield build, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime), graph
    yield build, PROV.wasAssociatedWith, agent, graph
    yield build, GB.modelName, Literal(model_name), graph
    yield build, GB.modelVersion, Literal(model_version), graph
    yield agent, RDF.type, PROV.SoftwareAgent, graph
    yield agent, RDFS.label, Literal(f"graphbuild {software_version}"), graph
    yield agent, GB.softwareVersion, Literal(software_version), graph
    for document in documents:
        yield document_graph_iri(document.id), PROV.wasGeneratedBy, build, graph
        yield build, PROV.used, document_iri(document.id), graph
