"""Exports of a built graph. (Minimal version by the lead: write_rdf only; the exports owner extends it.)"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}


def write_rdf(dataset: Dataset, fmt: str, path: Path) -> None:
    """Serialise the whole dataset to a file, atomically (temporary file, then rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    if fmt in ("ttl", "nt"):  # triple formats: the union of all named graphs
        union = Graph()
        for prefix, namespace in dataset.namespaces():
            union.bind(prefix, namespace)
        for s, p, o, _ in dataset.quads():
            union.add((s, p, o))
        union.serialize(destination=str(temporary), format=RDF_FORMATS[fmt])
    else:
        dataset.serialize(destination=str(temporary), format=RDF_FORMATS[fmt])
    temporary.replace(path)
