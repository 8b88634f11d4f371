"""Push the sample graph into a real Oxigraph server (Graph Store Protocol) and get the
same answers there as locally."""

from __future__ import annotations

import contextlib
import itertools
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from graphbuild.push import PushError, push
from graphbuild.queries import get_named_query, run_named_query, run_query

pytestmark = pytest.mark.server

# Named queries without required parameters: their text runs unchanged on any SPARQL store.
PARAMETERLESS = ("statement-counts", "disputed-facts", "conflict-cooperation-matrix", "events", "mentions")


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).with_name("oxigraph")
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is missing: pip install oxigraph (it is in the test extra)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """A fresh Oxigraph server; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:  # wait until it answers
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=5).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph serve did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def remote_rows(base: str, query: str) -> list[tuple]:
    sparql = SPARQLWrapper(f"{base}/query")
    sparql.setQuery(query)
    sparql.setReturnFormat(JSON)
    answer = sparql.queryAndConvert()
    names = [n for n in answer["head"]["vars"] if not n.startswith("param_")]  # as run_named_query does
    return [tuple(_comparable(binding[n]["value"]) if n in binding else None for n in names)
            for binding in answer["results"]["bindings"]]


def local_rows(result) -> list[tuple]:
    return [tuple(None if term is None else _comparable(str(term)) for term in row) for row in result.rows]


def _comparable(value: str):
    # rdflib writes decimals as "-10.0" where Oxigraph writes "-10": compare numbers as numbers.
    try:
        return round(float(value), 6)
    except ValueError:
        return value


def test_push_then_same_answers_on_the_oxigraph_server(sample_dataset, oxigraph_server):
    summary = push(sample_dataset, f"{oxigraph_server}/store")
    quads = int(run_query(sample_dataset, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
    assert summary == f"pushed 5 graphs ({quads} triples) to {oxigraph_server}/store"  # 2 documents, entities, clusters, ontology
    remote_graphs = remote_rows(oxigraph_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    local_graphs = local_rows(run_query(sample_dataset, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"))
    assert remote_graphs == local_graphs and len(remote_graphs) == 5
    for name in PARAMETERLESS:
        # Copied into another tool, a confidence parameter left unbound filters nothing.
        takes_confidence = any(p.name == "min_confidence" for p in get_named_query(name).parameters)
        local = local_rows(run_named_query(sample_dataset, name, {"min_confidence": "0"} if takes_confidence else None))
        assert local, name
        assert sorted(remote_rows(oxigraph_server, get_named_query(name).text), key=repr) == sorted(local, key=repr), name


def test_pushing_again_replaces_rather_than_duplicates(sample_dataset, oxigraph_server):
    push(sample_dataset, f"{oxigraph_server}/store")
    push(sample_dataset, f"{oxigraph_server}/store")
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert remote_rows(oxigraph_server, count) == local_rows(run_query(sample_dataset, count))


def test_push_errors_name_the_endpoint_and_status(sample_dataset, oxigraph_server):
    with pytest.raises(PushError, match=r"/nowhere: HTTP 404"):
        push(sample_dataset, f"{oxigraph_server}/nowhere")
    closed = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(PushError, match="cannot store"):
        push(sample_dataset, closed)


def test_a_build_goes_into_a_graph_store_batch_by_batch_and_incrementally(tmp_path, oxigraph_server):
    import pyoxigraph

    from conftest import comparable, comparable_quads

    articles = tmp_path / "articles"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", articles)
    store = f"{oxigraph_server}/store"

    def build(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "graphbuild.cli", "build", str(articles), *args],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def remote_quads() -> list[str]:
        request = urllib.request.Request(store, headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return comparable(pyoxigraph.parse(input=response.read(), format=pyoxigraph.RdfFormat.N_QUADS))

    first = build("--store", store, "-o", str(tmp_path / "remote"))
    assert "built 3, unchanged 0" in first and f"the store at {store} holds" in first
    build("-o", str(tmp_path / "local"))
    # The same graph but event clusters, a post-store stage that needs a store it can rewrite.
    local = [quad for quad in comparable_quads(tmp_path / "local") if "/graph/clusters>" not in quad]
    assert remote_quads() == local
    # The hashes are read back from the server: nothing unchanged is parsed again.
    assert "built 0, unchanged 3" in build("--store", store, "-o", str(tmp_path / "remote"))
    changed = articles / "whitehouse_04_biden_iran_detainees_release_sanctions.txt"
    changed.write_text(changed.read_text().replace("Siamak Namazi", "Zoran Kwiatkowski"), encoding="utf-8")
    assert "built 1, unchanged 2" in build("--store", store, "-o", str(tmp_path / "remote"))
    names = {row[0] for row in remote_rows(oxigraph_server, """
        PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?text WHERE { GRAPH ?g { ?d dcterms:identifier "whitehouse_04_biden_iran_detainees_release_sanctions.txt" ;
                                           nif:isString ?text } }""")}
    assert len(names) == 1 and "Zoran Kwiatkowski" in next(iter(names))  # the old graph was replaced


def test_a_build_into_an_unreachable_store_fails_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "graphbuild.cli", "build",
                             str(Path(__file__).resolve().parent.parent / "seeds"), "-o", str(tmp_path),
                             "--store", f"http://127.0.0.1:{free_port()}/store"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 2 and result.stderr.startswith("graphbuild: error: http://127.0.0.1:")
    assert result.stderr.count("\n") == 1


def test_push_gives_up_on_a_server_that_trickles_bytes(sample_build_dir):
    """A server that reads the request, then answers a byte every 0.2 s: never done."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection, contextlib.suppress(OSError):
                connection.recv(1 << 20)
                for byte in itertools.cycle(b"HTTP/1.1 200 OK\r\nX-Slow: yes"):
                    if stop.is_set():
                        break
                    connection.sendall(bytes([byte]))
                    time.sleep(0.2)

    threading.Thread(target=trickle, daemon=True).start()
    try:
        result = subprocess.run([sys.executable, "-m", "graphbuild.cli", "push", "-o", str(sample_build_dir),
                                 "--endpoint", f"http://127.0.0.1:{server.getsockname()[1]}/store", "--timeout", "2"],
                                capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        server.close()
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "cannot store" in result.stderr and "no answer within 2 s" in result.stderr
