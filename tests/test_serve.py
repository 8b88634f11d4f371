"""`graphbuild serve` as a real subprocess, queried with SPARQLWrapper (a real SPARQL client)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

from graphbuild.queries import get_named_query, run_named_query

pytestmark = pytest.mark.server

LIMIT = 5
LABELS = "SELECT ?label WHERE { ?actor a gb:State ; skos:prefLabel ?label } ORDER BY ?label"
# Far beyond any timeout: a four-way cross product of every triple, counted.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint(sample_build_dir):
    """The endpoint's URL; the server picks a free port and prints its URL when ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuild.cli", "serve", "-o", str(sample_build_dir), "--port", "0",
         "--timeout", "2", "--limit", str(LIMIT)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline()  # blocks until the URL is printed, or the process ends
    if not line.startswith("SPARQL endpoint: "):
        process.kill()
        pytest.fail(f"the server did not start: {line}{process.stderr.read()}")
    yield line.split()[2]
    process.terminate()
    process.wait(timeout=30)


def client(url: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_select_as_json(endpoint):
    result = client(endpoint, LABELS, JSON).queryAndConvert()
    assert result["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Borduria", "Ruritania"]


def test_select_as_xml_over_post(endpoint):
    sparql = client(endpoint, LABELS, XML)
    sparql.setMethod(POST)
    document = sparql.queryAndConvert()  # an xml.dom.minidom Document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["Borduria", "Ruritania"]


def test_select_as_csv_and_tsv(endpoint):
    rows = list(csv.reader(io.StringIO(client(endpoint, LABELS, CSV).queryAndConvert().decode("utf-8"))))
    assert rows == [["label"], ["Borduria"], ["Ruritania"]]
    tsv = client(endpoint, LABELS, TSV).queryAndConvert().decode("utf-8").splitlines()
    assert tsv == ["?label", '"Borduria"', '"Ruritania"']


def test_construct_as_turtle(endpoint):
    query = "CONSTRUCT { ?actor skos:prefLabel ?label } WHERE { ?actor a gb:State ; skos:prefLabel ?label }"
    graph = Graph().parse(data=client(endpoint, query, TURTLE).queryAndConvert(), format="turtle")
    assert sorted(str(label) for label in graph.objects()) == ["Borduria", "Ruritania"]


def test_ask_and_the_local_answer_agree(endpoint, sample_dataset):
    query = "ASK { ?e gb:eventType plover:ASSAULT ; gb:modality gb:Negated }"
    assert client(endpoint, query, JSON).queryAndConvert()["boolean"] is True
    local = run_named_query(sample_dataset, "statement-counts")
    remote = client(endpoint, get_named_query("statement-counts").text, JSON).queryAndConvert()
    assert [[b[v]["value"] for v in remote["head"]["vars"]] for b in remote["results"]["bindings"]] == [
        [str(term) for term in row] for row in local.rows]


def test_results_are_cut_at_the_limit(endpoint):
    sparql = client(endpoint, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", JSON)
    response = sparql.query()
    assert response.info()["x-result-truncated"] == f"limit {LIMIT}"
    assert len(response.convert()["results"]["bindings"]) == LIMIT


def test_updates_are_refused_with_403(endpoint):
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setQuery("INSERT DATA { <https://x.example/a> <https://x.example/b> \"c\" }")
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403 and b"read-only" in refused.value.read()
    request = urllib.request.Request(endpoint, data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert client(endpoint, "ASK { <https://x.example/a> ?p ?o }", JSON).queryAndConvert()["boolean"] is False
    assert len(client(endpoint, LABELS, JSON).queryAndConvert()["results"]["bindings"]) == 2


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(endpoint):
    with pytest.raises(urllib.error.HTTPError) as stopped:
        client(endpoint, RUNAWAY, JSON).query()
    assert stopped.value.code == 503 and b"timed out" in stopped.value.read()
    for _ in range(3):  # the killed worker was replaced; queries keep working
        assert len(client(endpoint, LABELS, JSON).queryAndConvert()["results"]["bindings"]) == 2


def test_protocol_errors_are_plain(endpoint):
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT WHERE {"}), timeout=30)
    assert bad.value.code == 400 and b"bad query" in bad.value.read()
    direct = urllib.request.Request(endpoint, data=LABELS.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    with urllib.request.urlopen(direct, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.read().decode().split() == ["label", "Borduria", "Ruritania"]
    form_page = endpoint.removesuffix("sparql")
    with urllib.request.urlopen(form_page, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/html") and b"<form" in response.read()
