"""Another triple store through the SPARQL 1.1 Graph Store Protocol: HTTP PUT of a graph
(``ENDPOINT?graph=IRI``, N-Triples body) replaces that graph and leaves the others alone,
POST adds to it.

- `graphbuild push` uploads a built graph, one PUT per named graph;
- `graphbuild build --store URL` builds straight into such a store (GraphStoreSink), batch
  by batch, reading back through the store's SPARQL query endpoint which documents it
  already holds.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from .store import StoreBatch, StoreError, oxigraph_store, stored_content_hashes, stored_entities

N_TRIPLES = "application/n-triples"
CONNECT_SECONDS = 10.0
DEFAULT_TIMEOUT = 300.0  # the longest one graph's upload and answer may take


class PushError(StoreError):
    pass


class GraphStore:
    """A Graph Store Protocol endpoint; each request must be answered within ``timeout`` seconds."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT):
        if not endpoint.startswith(("http://", "https://")):
            raise PushError(f"{endpoint}: the endpoint must be an http:// or https:// URL")
        self.endpoint, self.timeout = endpoint, timeout

    def put(self, graph_name: str | None, body: bytes) -> None:
        """Replace a graph (None: the default graph) by N-Triples."""
        self._send("PUT", graph_name, body)

    def post(self, graph_name: str | None, body: bytes) -> None:
        """Add N-Triples to a graph."""
        self._send("POST", graph_name, body)

    def _send(self, method: str, graph_name: str | None, body: bytes) -> None:
        """One request with a deadline for the whole exchange. A socket timeout alone bounds
        each read, so a server that sends a byte now and then would hold the push forever: at
        the deadline a watchdog shuts the socket down, which ends any read or write under way."""
        which = f"graph <{graph_name}>" if graph_name else "the default graph"
        parts = urlsplit(_graph_url(self.endpoint, graph_name))
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname, parts.port, timeout=CONNECT_SECONDS)
        expired = threading.Event()

        def cut_off() -> None:
            expired.set()
            if connection.sock is not None:
                connection.sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(self.timeout, cut_off)
        try:
            connection.connect()
            connection.sock.settimeout(min(self.timeout, 60.0))
            watchdog.start()
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request(method, path or "/", body=body, headers={"Content-Type": N_TRIPLES})
            response = connection.getresponse()
            detail = response.read(300) if response.status >= 400 else response.read()
        except (OSError, http.client.HTTPException, ValueError) as err:
            reason = (f"no answer within {self.timeout:g} s" if expired.is_set()
                      else (getattr(err, "strerror", None) or err))
            raise PushError(f"{self.endpoint}: cannot store {which} ({reason})") from None
        finally:
            watchdog.cancel()
            connection.close()
        if response.status >= 400:
            text = " ".join(detail.decode("utf-8", errors="replace").split())
            raise PushError(f"{self.endpoint}: HTTP {response.status} {response.reason} when storing {which}"
                            + (f": {text}" if text else ""))


def push(dataset: Dataset, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """PUT every non-empty named graph (and the default graph, if not empty) to ``endpoint``;
    each PUT must be answered within ``timeout`` seconds."""
    store = GraphStore(endpoint, timeout)
    graphs = triples = 0
    for graph_name, body in _graph_bodies(dataset):
        if not body:
            continue
        store.put(graph_name, body)
        graphs += 1
        triples += body.count(b"\n")  # N-Triples: one triple per line
    return f"pushed {graphs} graphs ({triples} triples) to {endpoint}"


# Where servers keep their SPARQL query endpoint beside the Graph Store one.
QUERY_ENDPOINTS = {"/store": "/query", "/data": "/query"}  # Oxigraph; Jena Fuseki


class GraphStoreSink:
    """An external store as the store of a build (`build --store URL`).

    A batch is committed as provenance and entities first (POST, which only adds), then one
    PUT per document graph, which the server stores in one transaction and which holds the
    document's content hash: a document counts as stored once its graph is there, and by
    then its provenance and entities are too. A build that continues an interrupted one
    reads the hashes back through the SPARQL query endpoint and skips what is stored."""

    def __init__(self, endpoint: str, query_endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT):
        self.store = GraphStore(endpoint, timeout)
        if query_endpoint is None:
            for suffix, replacement in QUERY_ENDPOINTS.items():
                if endpoint.rstrip("/").endswith(suffix):
                    query_endpoint = endpoint.rstrip("/").removesuffix(suffix) + replacement
            if query_endpoint is None:
                raise PushError(f"{endpoint}: give the store's SPARQL query endpoint with --store-query")
        self.dataset = Dataset(store=SPARQLStore(query_endpoint, returnFormat="json", timeout=timeout))
        # Otherwise rdflib names its own default graph in the request (default-graph-uri),
        # which leaves the server's named graphs out of the queries.
        self.dataset.default_union = True

    def commit(self, batch: StoreBatch) -> None:
        for graph_name, body in _triples_by_graph(batch.provenance + batch.entities).items():
            self.store.post(graph_name, body)
        for document in batch.documents:
            self.store.put(document.iri, _triples_by_graph(document.quads + [document.marker])[document.iri])

    def replace_graph(self, graph: str, quads: str) -> None:
        self.store.put(graph, _triples_by_graph([quads]).get(graph, b""))

    def committed_hashes(self) -> dict[str, str]:
        return self._read(stored_content_hashes)

    def known_entities(self) -> tuple[list, list]:
        return self._read(stored_entities)

    def count(self) -> int:
        return self._read(lambda dataset: int(next(iter(dataset.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]))

    def _read(self, query):
        try:
            return query(self.dataset)
        except Exception as err:  # urllib and rdflib raise assorted errors for an unreachable endpoint
            raise PushError(f"{self.store.endpoint}: cannot query the store ({' '.join(str(err).split())})") from None

    def close(self) -> None:
        self.dataset.close()


def _triples_by_graph(quads: list[str]) -> dict[str | None, bytes]:
    """N-Quads lines → N-Triples bodies per graph (None: the default graph)."""
    graphs: dict[str | None, list] = defaultdict(list)
    for quad in ox.parse(input="".join(quads).encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        graphs[None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value].append(quad.triple)
    return {name: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for name, triples in graphs.items()}


def _graph_bodies(dataset: Dataset):
    """(graph IRI or None for the default graph, N-Triples bytes) for each graph."""
    store = oxigraph_store(dataset)
    if store is not None:
        import pyoxigraph as ox

        for name in store.named_graphs():
            yield str(name.value), store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        yield None, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return
    for context in dataset.graphs():
        identifier = context.identifier
        graph = Graph(dataset.store, identifier=identifier)
        body = graph.serialize(format="nt", encoding="utf-8")
        yield (None if identifier == DATASET_DEFAULT_GRAPH_ID else str(identifier)), body


def _graph_url(endpoint: str, graph_name: str | None) -> str:
    query = "default" if graph_name is None else urlencode({"graph": graph_name})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


__all__ = ["GraphStore", "GraphStoreSink", "PushError", "push"]
