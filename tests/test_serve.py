"""`graphbuild serve` as a real subprocess, queried with SPARQLWrapper (a real SPARQL client)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import json
import csv
import io
import socket
import subprocess
import sys
import threading
import time
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


@contextlib.contextmanager
def running_endpoint(build_dir, *options: str):
    """A `graphbuild serve` subprocess on a free port; yields its URL once it accepts queries."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuild.cli", "serve", "-o", str(build_dir), "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline()  # blocks until the URL is printed, or the process ends
    if not line.startswith("SPARQL endpoint: "):
        process.kill()
        pytest.fail(f"the server did not start: {line}{process.stderr.read()}")
    STARTUP[line.split()[2]] = (line, process.stdout.readline())
    try:
        yield line.split()[2]
    finally:
        process.terminate()
        process.wait(timeout=30)


STARTUP: dict[str, tuple[str, str]] = {}  # URL → the endpoint's first two lines


@pytest.fixture(scope="module")
def endpoint(sample_build_dir):
    """The endpoint's URL; the server picks a free port and prints its URL when ready."""
    with running_endpoint(sample_build_dir, "--timeout", "2", "--limit", str(LIMIT), "--request-timeout", "1") as url:
        yield url


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


# --- no outbound requests (issue 11, failure 2) -----------------------------------------

class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            body = json.dumps({"head": {"vars": ["a", "b", "c"]}, "results": {"bindings": [{
                "a": {"type": "uri", "value": "https://remote.example/a"},
                "b": {"type": "uri", "value": "https://remote.example/b"},
                "c": {"type": "literal", "value": "remote body"}}]}}).encode()
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                               b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            connection.close()


@pytest.fixture(scope="module")
def listener():
    return Listener()


def service_variants(url: str) -> dict[str, str]:
    inner = "{ ?a ?b ?c }"
    return {
        "plain": f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{url}> {inner} }}",
        "silent, lower case": f"select * {{ ?s ?p ?o . service silent <{url}> {inner} }}",
        "inside OPTIONAL": f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {inner} }} }}",
        "nested subquery": f"SELECT * {{ {{ SELECT ?a WHERE {{ ?s ?p ?o {{ SELECT ?a {{ SeRvIcE <{url}> {inner} }} }} }} }} }}",
        "in FILTER EXISTS": f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {inner} }} }}",
        "in MINUS and UNION": f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {inner} }} }} }}",
        "variable endpoint": f"SELECT * {{ VALUES ?e {{ <{url}> }} ?s ?p ?o SERVICE ?e {inner} }}",
        "prefixed name": f"PREFIX remote: <{url.rsplit('/', 1)[0]}/> SELECT * {{ ?s ?p ?o SERVICE remote:sparql {inner} }}",
        "comment and whitespace": f"SELECT * {{ ?s ?p ?o #{{\n\tSERVICE\n#}}\n<{url}> {inner} }}",
        # rdflib ends a comment at a line feed only, Oxigraph at a carriage return too
        "carriage return ends a comment": f"SELECT * {{ ?s ?p ?o #c\rSERVICE <{url}> {inner}\n }}",
        "codepoint escape": f"SELECT * {{ ?s ?p ?o \\u0053ERVICE <{url}> {inner} }}",
        "CONSTRUCT": f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ ?s ?p ?o SERVICE <{url}> {inner} }}",
        "inside GRAPH": f"SELECT * {{ GRAPH ?g {{ ?s ?p ?o SERVICE <{url}> {inner} }} }}",
    }


@pytest.mark.parametrize("variant", list(service_variants("http://x.example/sparql")))
def test_service_is_refused_in_every_form_and_nothing_is_fetched(endpoint, listener, variant):
    query = service_variants(listener.url)[variant]
    for request in (
        urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": query})),
        urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"}),
        urllib.request.Request(endpoint, data=query.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 400 and b"SERVICE" in refused.value.read()
    assert listener.connections == 0


def test_dataset_clauses_name_graphs_and_fetch_nothing(endpoint, listener):
    for query in (f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                  f"DESCRIBE <{listener.url}>"):
        client(endpoint, query, TURTLE if query.startswith("DESCRIBE") else JSON).query()
    request = endpoint + "?" + urllib.parse.urlencode({"query": LABELS, "default-graph-uri": listener.url})
    urllib.request.urlopen(request, timeout=30).read()
    assert listener.connections == 0


def test_allow_service_opens_federation_explicitly(sample_build_dir):
    remote = Listener()
    with running_endpoint(sample_build_dir, "--allow-service") as url:
        result = client(url, service_variants(remote.url)["plain"], JSON).queryAndConvert()
    assert remote.connections >= 1
    assert "remote body" in {b["c"]["value"] for b in result["results"]["bindings"]}


# --- Host and Origin (issue 11, failure 3) -----------------------------------------------

def raw_request(url: str, request: bytes, timeout: float = 60) -> tuple[int, dict, bytes]:
    """Send bytes as they are and read the whole answer: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def get(url: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.putrequest("GET", parts.path + "?" + urllib.parse.urlencode({"query": LABELS}), skip_host=True)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    return connection.getresponse()


def test_a_foreign_host_is_refused_against_dns_rebinding(endpoint):
    port = urllib.parse.urlsplit(endpoint).port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1", f"attacker.127.0.0.1.nip.io:{port}"):
        response = get(endpoint, {"Host": host})
        assert response.status == 403 and b"DNS rebinding" in response.read()
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        response = get(endpoint, {"Host": host})
        assert response.status == 200 and b"Borduria" in response.read()


def test_allow_host_names_another_host(sample_build_dir):
    with running_endpoint(sample_build_dir, "--allow-host", "analysis.example") as url:
        port = urllib.parse.urlsplit(url).port
        assert get(url, {"Host": f"analysis.example:{port}"}).status == 200
        assert get(url, {"Host": f"other.example:{port}"}).status == 403


def test_cross_origin_reads_are_refused_and_no_cors_header_is_sent(endpoint):
    port = urllib.parse.urlsplit(endpoint).port
    own = {"Host": f"127.0.0.1:{port}"}
    response = get(endpoint, own)
    assert response.status == 200 and response.getheader("Access-Control-Allow-Origin") is None
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Origin": f"http://localhost:{port + 1}"},
                    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"},
                    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}):
        response = get(endpoint, {**own, **headers})
        assert response.status == 403 and b"--allow-origin" in response.read()
        assert response.getheader("Access-Control-Allow-Origin") is None
    # The endpoint's own page (the query form) may post to it.
    response = get(endpoint, {**own, "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"})
    assert response.status == 200
    status, headers, _ = raw_request(endpoint, (
        f"OPTIONS /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\n"
        "Access-Control-Request-Method: POST\r\n\r\n").encode())
    assert status == 403 and "access-control-allow-origin" not in headers


def test_allow_origin_and_cors_open_reads_explicitly(sample_build_dir):
    app = "http://localhost:3000"
    with running_endpoint(sample_build_dir, "--allow-origin", app) as url:
        port = urllib.parse.urlsplit(url).port
        response = get(url, {"Host": f"127.0.0.1:{port}", "Origin": app, "Sec-Fetch-Site": "same-site"})
        assert response.status == 200 and response.getheader("Access-Control-Allow-Origin") == app
        assert get(url, {"Host": f"127.0.0.1:{port}", "Origin": "https://evil.example"}).status == 403
        status, headers, _ = raw_request(url, (
            f"OPTIONS /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {app}\r\n"
            "Access-Control-Request-Method: POST\r\n\r\n").encode())
        assert status == 204 and headers["access-control-allow-origin"] == app
    with running_endpoint(sample_build_dir, "--cors") as url:
        port = urllib.parse.urlsplit(url).port
        response = get(url, {"Host": f"127.0.0.1:{port}", "Origin": "https://any.example"})
        assert response.status == 200 and response.getheader("Access-Control-Allow-Origin") == "*"


# --- malformed and slow requests, bursts, caps (issue 11, failure 7) ---------------------

def _post_head(endpoint: str, content_length: str) -> bytes:
    port = urllib.parse.urlsplit(endpoint).port
    return (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {content_length}\r\n\r\n").encode()


@pytest.mark.parametrize("content_length", ["-1", "abc", "1e3", " ", "+5", "99999999999999999999"])
def test_a_malformed_content_length_is_answered_400_at_once(endpoint, content_length):
    parts = urllib.parse.urlsplit(endpoint)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        connection.sendall(_post_head(endpoint, content_length))  # and the connection stays open
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.0 400") and b"Content-Length" in answer


def test_half_sent_requests_time_out_and_are_closed(endpoint):
    parts = urllib.parse.urlsplit(endpoint)
    # Headers never finished: the server closes the connection (the fixture allows 1 s).
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        connection.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert connection.recv(65536) == b""
    # A body shorter than announced: 408.
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        connection.sendall(_post_head(endpoint, "100") + b"ASK {")
        assert connection.recv(65536).startswith(b"HTTP/1.0 408")


def test_a_trickling_client_is_cut_off_before_it_finishes(endpoint):
    parts = urllib.parse.urlsplit(endpoint)
    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Padding: " + b"a" * 200 + b"\r\n\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        sent = 0
        with contextlib.suppress(OSError):  # the server closing makes a later send fail
            for byte in request:
                connection.sendall(bytes([byte]))
                sent += 1
                time.sleep(0.05)  # 200+ bytes at this pace take over 10 s; the server allows 1 s
    assert sent < len(request)


def test_a_bounded_burst_of_concurrent_queries_is_answered(endpoint):
    def one(_):
        with urllib.request.urlopen(endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), timeout=120) as r:
            return r.status, json.loads(r.read())["boolean"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as pool:
        answers = list(pool.map(one, range(200)))
    assert answers == [(200, True)] * 200


def test_results_are_cut_by_bytes_as_well_as_rows(sample_build_dir):
    with running_endpoint(sample_build_dir, "--max-bytes", "2000") as url:
        response = client(url, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", JSON).query()
        assert response.info()["x-result-truncated"] == "max-bytes 2000"
        body = response.response.read()
        assert 0 < len(body) <= 2000 and json.loads(body)["results"]["bindings"]
        sparql = client(url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", TURTLE)
        response = sparql.query()
        assert response.info()["x-result-truncated"] == "max-bytes 2000"
        assert len(Graph().parse(data=response.response.read(), format="turtle")) > 0


def test_a_query_past_the_worker_memory_cap_is_stopped_cleanly(sample_build_dir):
    # Sorting a three-way cross product must hold all of it: far beyond 64 MB.
    runaway = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    with running_endpoint(sample_build_dir, "--worker-memory", "64", "--timeout", "120") as url:
        with pytest.raises(urllib.error.HTTPError) as stopped:
            client(url, runaway, JSON).query()
        assert stopped.value.code == 503 and b"64 MB" in stopped.value.read()
        assert len(client(url, LABELS, JSON).queryAndConvert()["results"]["bindings"]) == 2


# --- output injection (issue 11, failure 10) ---------------------------------------------

def test_xml_results_stay_well_formed_with_control_characters(endpoint):
    query = 'SELECT ?text WHERE { BIND("bell\\u0007 escape\\u001b[2J nul\\u0000 cr\\r end" AS ?text) }'
    document = client(endpoint, query, XML).queryAndConvert()  # minidom raises on malformed XML
    [literal] = document.getElementsByTagName("literal")
    assert literal.firstChild.data == "bell\ufffd escape\ufffd[2J nul\ufffd cr\r end"
    result = client(endpoint, query, JSON).queryAndConvert()  # JSON carries every character
    assert result["results"]["bindings"][0]["text"]["value"] == "bell\x07 escape\x1b[2J nul\x00 cr\r end"


def test_the_readme_shows_the_startup_lines_as_they_are(endpoint):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    first, second = STARTUP[endpoint]
    port = endpoint.split(":")[2].split("/")[0]
    assert first.replace(port, "7878").replace("timeout 2 s; at most 5 results", "timeout 10 s; at most 10000 results") in readme
    assert second in readme
