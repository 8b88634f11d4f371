"""Property-based tests (Hypothesis): arbitrary Unicode through ingest, IRI minting and every
RDF, CSV and JSON output, read back by rdflib and pyoxigraph (issue 11, reliability suite)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import xml.dom.minidom
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from graphbuild.export import export, spreadsheet_safe
from graphbuild.ingest import InputError, make_document, read_documents
from graphbuild.model import Actor, Event, Extraction, TextSpan
from graphbuild.queries.results import write_csv, write_json, write_tsv, write_xml
from graphbuild.rdf.writer import document_quads, entity_quads
from graphbuild.store import add_quads, close, open_dataset
from graphbuild.vocab import actor_iri, document_graph_iri, document_iri, document_key

# Every code point, lone surrogates included: what a JSON escape or a bad encoder can produce.
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=60)
# What ingest lets through: valid Unicode (no surrogates), controls and non-characters included.
VALID_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=60)
JSON_VALUES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT | st.lists(st.integers(), max_size=2)
FIELDS = ("title", "published", "publisher", "source", "license")
SOME = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- ingest --------------------------------------------------------------------------------

@SOME
@given(record=st.fixed_dictionaries({"id": ANY_TEXT | JSON_VALUES, "text": ANY_TEXT | JSON_VALUES},
                                    optional={field: JSON_VALUES for field in FIELDS}))
def test_any_jsonl_record_is_a_document_or_an_input_error(record):
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "c.jsonl"
        corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")  # ASCII: escapes keep surrogates
        try:
            [document] = read_documents([corpus])
        except InputError as error:
            assert str(error).startswith(f"{corpus}:1: ") and "\n" not in str(error)
            return
    document.text.encode("utf-8")  # valid Unicode, and non-empty
    assert document.text and document.id == record["id"]


@SOME
@given(header=st.lists(st.tuples(st.sampled_from(FIELDS + ("id", "other")), VALID_TEXT), max_size=4), body=VALID_TEXT)
def test_any_text_article_is_a_document_or_an_input_error(header, body):
    text = "".join(f"# {key}: {value}\n" for key, value in header) + "\n" + body
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "a.txt"
        article.write_bytes(text.encode("utf-8"))
        try:
            read_documents([article])
        except InputError as error:
            assert str(error).startswith(f"{article}") and "\n" not in str(error)


# --- IRI minting ---------------------------------------------------------------------------

@SOME
@given(ids=st.lists(ANY_TEXT.filter(bool), min_size=2, max_size=6, unique=True))
def test_document_iris_are_injective_valid_and_readable(ids):
    keys = [document_key(doc_id) for doc_id in ids]
    assert len(set(keys)) == len(keys)
    assert len({document_graph_iri(doc_id) for doc_id in ids}) == len(ids)
    for doc_id, key in zip(ids, keys):
        assert key.isascii() and len(key) <= 97
        for minted in (document_iri(doc_id), document_graph_iri(doc_id)):
            assert ox.NamedNode(str(minted)).value == str(minted)  # Oxigraph accepts it as an IRI


@SOME
@given(kind=st.sampled_from(["Person", "Organization", "Country"]), name=ANY_TEXT)
def test_actor_iris_are_always_valid(kind, name):
    ox.NamedNode(str(actor_iri(kind, name)))


# --- every output, read back ---------------------------------------------------------------

def _one_document(text: str, title: str, name: str) -> Extraction:
    document = make_document("doc.txt", "Ruritania said: " + text, {"title": title or None, "publisher": title or None,
                                                                      "source": "https://a.example/" if title else None}, "doc.txt")
    start = 0
    mention = TextSpan(start, start + 9, document.text[start:start + 9])
    actor = Actor("a", name, "Country", country="RUR", mentions=[mention], iri=str(actor_iri("Country", name)))
    sentence = TextSpan(0, len(document.text), document.text)
    event = Event("ASSAULT", "a", None, "asserted", mention, sentence)
    return Extraction(document, actors=[actor], events=[event])


def _literals_rdflib(path: Path, fmt: str) -> set[str]:
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    return {str(o) for _, _, o, _ in dataset.quads((None, None, None, None)) if isinstance(o, Literal)}


def _literals_oxigraph(path: Path, fmt: ox.RdfFormat) -> set[str]:
    return {quad.object.value for quad in ox.parse(path=str(path), format=fmt) if isinstance(quad.object, ox.Literal)}


RDF_READERS = {"ttl": ("turtle", ox.RdfFormat.TURTLE), "nt": ("nt", ox.RdfFormat.N_TRIPLES),
               "trig": ("trig", ox.RdfFormat.TRIG), "nq": ("nquads", ox.RdfFormat.N_QUADS),
               "jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
@FEW
@given(text=VALID_TEXT.filter(str.strip), title=VALID_TEXT, name=VALID_TEXT.filter(str.strip))
def test_every_export_carries_arbitrary_unicode_exactly(kind, text, title, name):
    try:
        extraction = _one_document(text, title, name)
    except InputError:
        return  # ingest refused it (e.g. a source that is not a URL): nothing to export
    expected = {extraction.document.text, name} | ({extraction.document.title} if extraction.document.title else set())
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        dataset = open_dataset(folder / "build", kind)
        try:
            add_quads(dataset, document_quads(extraction))
            add_quads(dataset, entity_quads(extraction.actors, []))
            for fmt, (rdflib_format, ox_format) in RDF_READERS.items():
                path = folder / f"graph.{fmt}"
                export(dataset, fmt, path)
                assert expected <= _literals_rdflib(path, rdflib_format), fmt
                assert expected <= _literals_oxigraph(path, ox_format), fmt
            export(dataset, "facts", folder / "facts.jsonl")
            [facts] = [json.loads(line) for line in (folder / "facts.jsonl").read_text(encoding="utf-8").splitlines()]  # any line reader
            assert facts["title"] == extraction.document.title
            assert [actor["name"] for actor in facts["actors"]] == [name]
            export(dataset, "csv", folder / "events.csv")
            with open(folder / "events.csv", newline="", encoding="utf-8") as stream:
                [row] = list(csv.DictReader(stream))
            assert row["evidence"] == spreadsheet_safe(extraction.document.text)
            assert row["source_actor"] == spreadsheet_safe(name)
        finally:
            close(dataset)


@SOME
@given(values=st.lists(VALID_TEXT, min_size=1, max_size=4), language=st.sampled_from([None, "en", "de-CH"]))
def test_sparql_results_formats_carry_arbitrary_unicode(values, language):
    variables = ["value", "iri"]
    rows = [(Literal(value, lang=language), URIRef(f"https://a.example/{n}")) for n, value in enumerate(values)]
    parsed = json.loads(write_json(variables, rows))
    assert [b["value"]["value"] for b in parsed["results"]["bindings"]] == values
    solutions = ox.parse_query_results(write_json(variables, rows).encode(), ox.QueryResultsFormat.JSON)
    assert [solution["value"].value for solution in solutions] == values
    assert [line[0] for line in csv.reader(io.StringIO(write_csv(variables, rows), newline=""))][1:] == values
    tsv = ox.parse_query_results(write_tsv(variables, rows).encode(), ox.QueryResultsFormat.TSV)
    assert [solution["value"].value for solution in tsv] == values
    document = xml.dom.minidom.parseString(write_xml(variables, rows).encode("utf-8"))  # well-formed
    literals = ["".join(node.data for node in literal.childNodes) for literal in document.getElementsByTagName("literal")]
    xml_safe = [v.translate({c: "\ufffd" for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]}) for v in values]
    assert literals == xml_safe
