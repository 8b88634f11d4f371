"""Upload a built graph into another triple store through the SPARQL 1.1 Graph Store
Protocol: one HTTP PUT per named graph (``ENDPOINT?graph=IRI``, N-Triples body), which
replaces that graph in the target store and leaves its other graphs alone."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlencode

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .store import oxigraph_store

N_TRIPLES = "application/n-triples"


class PushError(RuntimeError):
    pass


def push(dataset: Dataset, endpoint: str, timeout: float = 120.0) -> str:
    """PUT every non-empty named graph (and the default graph, if not empty) to ``endpoint``."""
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
    which = f"graph <{graph_name}>" if graph_name else "the default graph"
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": N_TRIPLES})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        detail = " ".join(err.read(300).decode("utf-8", errors="replace").split())
        raise PushError(f"{endpoint}: HTTP {err.code} {err.reason} when storing {which}"
                        + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise PushError(f"{endpoint}: cannot store {which} ({reason})") from None


__all__ = ["PushError", "push"]
