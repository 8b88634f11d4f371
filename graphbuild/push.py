"""Upload a built graph into another triple store through the SPARQL 1.1 Graph Store
Protocol: one HTTP PUT per named graph (``ENDPOINT?graph=IRI``, N-Triples body), which
replaces that graph in the target store and leaves its other graphs alone."""

from __future__ import annotations

import http.client
import socket
import threading
from urllib.parse import urlencode, urlsplit

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .store import oxigraph_store

N_TRIPLES = "application/n-triples"
CONNECT_SECONDS = 10.0
DEFAULT_TIMEOUT = 300.0  # the longest one graph's upload and answer may take


class PushError(RuntimeError):
    pass


def push(dataset: Dataset, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """PUT every non-empty named graph (and the default graph, if not empty) to ``endpoint``;
    each PUT must be answered within ``timeout`` seconds."""
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint}: the endpoint must be an http:// or https:// URL")
    graphs = triples = 0
    for graph_name, body in _graph_bodies(dataset):
        if not body:
            continue
        target = _graph_url(endpoint, graph_name)
        _put(endpoint, target, body, graph_name, timeout)
        graphs += 1
        triples += body.count(b"\n")  # N-Triples: one triple per line
    return f"pushed {graphs} graphs ({triples} triples) to {endpoint}"


def _graph_bodies(dataset: Dataset):
    """(graph IRI or None for the default graph, N-Triples bytes) for each graph."""
    store = oxigraph_store(dataset)
    if store is not None:
        import pyoxigraph as ox

        for name in store.named_graphs():
            yield str(name.value), store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        yield None, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return
    for context in dataset.contexts():
        identifier = context.identifier
        graph = Graph(dataset.store, identifier=identifier)
        body = graph.serialize(format="nt", encoding="utf-8")
        yield (None if identifier == DATASET_DEFAULT_GRAPH_ID else str(identifier)), body


def _graph_url(endpoint: str, graph_name: str | None) -> str:
    query = "default" if graph_name is None else urlencode({"graph": graph_name})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _put(endpoint: str, url: str, body: bytes, graph_name: str | None, timeout: float) -> None:
    """One PUT with a deadline for the whole exchange. A socket timeout alone bounds each read,
    so a server that sends a byte now and then would hold the push forever: at the deadline a
    watchdog shuts the socket down, which ends any read or write under way."""
    which = f"graph <{graph_name}>" if graph_name else "the default graph"
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=CONNECT_SECONDS)
    expired = threading.Event()

    def cut_off() -> None:
        expired.set()
        if connection.sock is not None:
            connection.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, cut_off)
    try:
        connection.connect()
        connection.sock.settimeout(min(timeout, 60.0))
        watchdog.start()
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("PUT", path or "/", body=body, headers={"Content-Type": N_TRIPLES})
        response = connection.getresponse()
        detail = response.read(300) if response.status >= 400 else response.read()
    except (OSError, http.client.HTTPException, ValueError) as err:
        reason = f"no answer within {timeout:g} s" if expired.is_set() else (getattr(err, "strerror", None) or err)
        raise PushError(f"{endpoint}: cannot store {which} ({reason})") from None
    finally:
        watchdog.cancel()
        connection.close()
    if response.status >= 400:
        text = " ".join(detail.decode("utf-8", errors="replace").split())
        raise PushError(f"{endpoint}: HTTP {response.status} {response.reason} when storing {which}"
                        + (f": {text}" if text else ""))


__all__ = ["PushError", "push"]
