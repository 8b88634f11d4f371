"""The RDF store behind a build: an rdflib Dataset over Oxigraph (persistent, fast SPARQL)
or over rdflib's memory store.

Builds are incremental: each document's named graph records the content hash it was built
from, so an unchanged document is skipped and a changed one has its graph replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from .vocab import PREFIXES, SPARQL_PREFIXES

STORE_KINDS = ("oxigraph", "memory")
OXIGRAPH_DIRNAME = "store"
MEMORY_SNAPSHOT = "graph.trig"  # a memory store is persisted as TriG between runs


class StoreError(RuntimeError):
    pass


def open_dataset(output_dir: Path, kind: str = "oxigraph") -> Dataset:
    """Open (creating if needed) the store of a build folder."""
    if kind not in STORE_KINDS:
        raise StoreError(f"unknown store {kind!r}; choose one of {', '.join(STORE_KINDS)}")
    if kind == "oxigraph":
        dataset = Dataset(store="Oxigraph")
        location = output_dir / OXIGRAPH_DIRNAME
        location.parent.mkdir(parents=True, exist_ok=True)
        try:
            # create=False: oxrdflib refuses create=True on an existing folder; Oxigraph
            # creates the folder itself when it is missing.
            dataset.open(str(location), create=False)
        except OSError as err:  # another process holds the store's lock
            raise StoreError(f"{location}: cannot open the Oxigraph store ({err})") from None
    else:
        dataset = Dataset()
        snapshot = output_dir / MEMORY_SNAPSHOT
        if snapshot.exists():
            dataset.parse(snapshot, format="trig")
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def existing_dataset(output_dir: Path) -> Dataset:
    """Open the store a previous build left, whichever kind it was."""
    if (output_dir / OXIGRAPH_DIRNAME).is_dir():
        return open_dataset(output_dir, "oxigraph")
    if (output_dir / MEMORY_SNAPSHOT).exists():
        return open_dataset(output_dir, "memory")
    raise StoreError(f"{output_dir}: no built graph here; run `graphbuild build PATH -o {output_dir}` first")


def is_oxigraph(dataset: Dataset) -> bool:
    return type(dataset.store).__name__ == "OxigraphStore"


def stored_content_hashes(dataset: Dataset) -> dict[str, str]:
    """Document id → content hash of every document already in the store."""
    query = SPARQL_PREFIXES + """
        SELECT ?id ?hash WHERE { GRAPH ?g { ?doc dcterms:identifier ?id ; gb:contentHash ?hash } }
    """
    rows = dataset.query(query)
    return {str(row.id): str(row.hash) for row in rows}


def add_quads(dataset: Dataset, quads: Iterable[tuple]) -> None:
    store = oxigraph_store(dataset)
    if store is not None:
        # Oxigraph parses our N-Quads text natively, an order of magnitude faster than adding
        # quad by quad. Its transactional loader, given bytes rather than a Python stream,
        # releases the GIL (the bulk loader does not), so a build's background writer runs
        # beside spaCy on another core.
        store.load(input=nquads(quads).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        return
    graphs: dict[URIRef, Graph] = {}  # one Graph object per name, not one per quad

    def graph(name: URIRef) -> Graph:
        if name not in graphs:
            graphs[name] = Graph(dataset.store, identifier=name)
        return graphs[name]

    dataset.addN((s, p, o, graph(g)) for s, p, o, g in quads)


def oxigraph_store(dataset: Dataset) -> ox.Store | None:
    """The pyoxigraph store behind an Oxigraph-backed Dataset (None for other stores).
    oxrdflib keeps it in ``_inner`` and has no public accessor."""
    return dataset.store._inner if is_oxigraph(dataset) else None


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nquads(quads: Iterable[tuple]) -> str:
    """N-Quads text for rdflib terms (IRIs are minted safe; literals are escaped here)."""
    lines = []
    for s, p, o, g in quads:
        if isinstance(o, Literal):
            lexical = '"' + str(o).translate(_ESCAPES) + '"'
            if o.language:
                lexical += "@" + o.language
            elif o.datatype:
                lexical += f"^^<{o.datatype}>"
            obj = lexical
        else:
            obj = f"<{o}>"
        lines.append(f"<{s}> <{p}> {obj} <{g}> .")
    return "\n".join(lines) + "\n"


def close(dataset: Dataset) -> None:
    if is_oxigraph(dataset):
        dataset.close()
