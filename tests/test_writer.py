"""The writer's N-Quads text: hostile article text reaches both stores unchanged, as plain
literals, and never leaks into an IRI."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal, URIRef
from rdflib import namespace

from graphbuild.model import Actor, Document, Event, Extraction, Place, Role, Statement, TextSpan
from graphbuild.rdf.writer import document_quads, entity_quads
from graphbuild.store import add_quads, close, open_dataset
from graphbuild.vocab import GB, NIF, actor_iri, document_iri, place_iri

HOSTILE = ('He said "no\\" \\n \'x\' .\n<http://evil/> <p> "o" .\r\n\ttab \u00e9\u4e2d\U0001F600 \\u0041 '
           '<b>&amp; \x01\x7f\u2028 end"')


def hostile_extraction() -> Extraction:
    whole = TextSpan(0, len(HOSTILE), HOSTILE)
    document = Document('hostile <id> "x"\n.txt', HOSTILE, title=HOSTILE, publisher=HOSTILE, license=HOSTILE,
                        source="https://example.org/a\nb", published=dt.date(2024, 1, 2), content_hash=HOSTILE)
    person = Actor("a", HOSTILE, "Person", mentions=[whole], iri=str(actor_iri("Person", HOSTILE)))
    state = Actor("b", "Ruritania", "Country", country="RUR", mentions=[whole],
                  iri=str(actor_iri("Country", "Ruritania")))
    place = Place("p", HOSTILE, mentions=[whole], iri=str(place_iri(HOSTILE)))
    return Extraction(document, actors=[person, state], places=[place], roles=[Role("a", HOSTILE, "b", whole)],
                      statements=[Statement("a", HOSTILE, whole, whole)],
                      events=[Event("ASSAULT", "a", "b", "asserted", whole, whole, place="p",
                                    date=dt.date(2024, 1, 1), mode=HOSTILE, rules=("event.trigger.word",),
                                    lexicon_entry=HOSTILE, confidence=0.5)])


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_hostile_text_round_trips_as_plain_literals(tmp_path, kind):
    extraction = hostile_extraction()
    quads = [*document_quads(extraction), *entity_quads(extraction.actors, extraction.places)]
    dataset = open_dataset(tmp_path, kind)
    try:
        add_quads(dataset, quads)
        triples = list(dataset.quads((None, None, None, None)))
        assert len({(s, p, o, g) for s, p, o, g in triples}) == len(set(quads))
        literals = [o for _s, _p, o, _g in triples if isinstance(o, Literal)]
        hostile = [o for o in literals if str(o) == HOSTILE]
        # document text, title, publisher, licence, hash, anchor, quote, role name, mode, two labels
        assert len(hostile) >= 11
        assert all(o.datatype in (None, namespace.XSD.string) and not o.language for o in hostile)
        for s, _p, o, g in triples:
            for node in (s, g):
                assert isinstance(node, URIRef) and not any(c in node for c in ' <>"\n\r\\'), node
        doc = document_iri(extraction.document.id)
        sources = [o for s, p, o, _g in triples if (s, p) == (doc, namespace.DCTERMS.source)]
        assert sources == [Literal("https://example.org/a\nb", datatype=sources[0].datatype)]
        assert {str(o) for _s, p, o, _g in triples if p == NIF.anchorOf} == {HOSTILE}
        assert any(p == GB.date and o == Literal("2024-01-01", datatype=namespace.XSD.date) for _s, p, o, _g in triples)
    finally:
        close(dataset)


def test_memory_store_keeps_plain_literals_plain(tmp_path):
    dataset = open_dataset(tmp_path, "memory")
    add_quads(dataset, document_quads(hostile_extraction()))
    anchors = [o for _s, p, o, _g in dataset.quads((None, NIF.anchorOf, None, None))]
    assert anchors and all(o.datatype is None for o in anchors)
    begins = [o for _s, p, o, _g in dataset.quads((None, NIF.beginIndex, None, None))]
    assert begins and all(o.datatype == namespace.XSD.integer and o.value == 0 for o in begins)
