"""The RDF store behind a build: an rdflib Dataset over Oxigraph (persistent, fast SPARQL)
or over rdflib's memory store.

Builds are incremental: each document's named graph records the content hash it was built
from, so an unchanged document is skipped and a changed one has its graph replaced.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .vocab import PREFIXES, SPARQL_PREFIXES

STORE_KINDS = ("oxigraph", "memory")
OXIGRAPH_DIRNAME = "store"
MEMORY_SNAPSHOT = "graph.trig"  # a memory store is persisted as TriG between runs
LOCK_FILE = ".graphbuild.lock"
BULK_LOAD_MIN_QUADS = 1500  # measured break-even of Oxigraph's two loaders


class StoreError(RuntimeError):
    pass


class BuildLock:
    """One build at a time per folder, whatever its store: both kinds share the output files,
    and the memory store is written back as graph.trig at the end, so a second build would
    silently replace the first one's documents. The lock is an flock(2) on a file in the
    folder: the kernel drops it when the process ends, however it ends."""

    def __init__(self, output_dir: Path):
        make_build_folder(output_dir)
        self._file = open(output_dir / LOCK_FILE, "a")  # held until release()
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise StoreError(f"{output_dir}: another graphbuild build is writing to this folder; "
                             "wait for it to finish") from None

    def release(self) -> None:
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


def make_build_folder(output_dir: Path) -> None:
    """Create the build folder (and its parents) unless it exists."""
    _not_a_file(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"{output_dir}: cannot create the build folder ({err.strerror})") from None


def _not_a_file(output_dir: Path) -> None:
    if output_dir.exists() and not output_dir.is_dir():
        raise StoreError(f"{output_dir}: is a file, not a build folder")


def open_dataset(output_dir: Path, kind: str = "oxigraph") -> Dataset:
    """Open (creating if needed) the store of a build folder."""
    if kind not in STORE_KINDS:
        raise StoreError(f"unknown store {kind!r}; choose one of {', '.join(STORE_KINDS)}")
    make_build_folder(output_dir)
    if kind == "oxigraph":
        dataset = Dataset(store="Oxigraph")
        location = output_dir / OXIGRAPH_DIRNAME
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
    _not_a_file(output_dir)
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


def stored_document_graphs(dataset: Dataset) -> dict[str, set[str]]:
    """Document id → the named graphs holding that document. A changed document's graphs are
    found by its exact id, not by minting its graph IRI again, so a rebuild replaces exactly
    that document's graph, whatever IRI an earlier version of graphbuild gave it."""
    query = SPARQL_PREFIXES + """
        SELECT ?id ?g WHERE { GRAPH ?g { ?doc a gb:Document ; dcterms:identifier ?id } }
    """
    graphs: dict[str, set[str]] = {}
    for row in dataset.query(query):
        graphs.setdefault(str(row.id), set()).add(str(row.g))
    return graphs


def add_quads(dataset: Dataset, quads: Iterable[str]) -> None:
    """Add N-Quads lines, as the writer makes them, to the store."""
    text = "".join(quads).encode("utf-8")
    store = oxigraph_store(dataset)
    if store is not None:
        # Oxigraph parses the text natively, an order of magnitude faster than adding quad by
        # quad. Its bulk loader costs about half as much per quad as its transactional one but
        # has a fixed cost of tens of milliseconds per call (it writes and ingests files for
        # every index), so small inputs, like the last batch of a build, go the transactional
        # way. The bulk loader is not atomic, which is safe here: the text is the writer's own.
        # For the same reason the loaders skip checking IRIs again (lenient): the writer made
        # every term with pyoxigraph, which checked it then. That saves about a tenth of the load.
        load = store.bulk_load if text.count(b"\n") >= BULK_LOAD_MIN_QUADS else store.load
        load(input=text, format=ox.RdfFormat.N_QUADS, lenient=True)
        return
    dataset.parse(data=text, format="nquads")  # rdflib's memory store: its own parser


def oxigraph_store(dataset: Dataset) -> ox.Store | None:
    """The pyoxigraph store behind an Oxigraph-backed Dataset (None for other stores).
    oxrdflib keeps it in ``_inner`` and has no public accessor."""
    return dataset.store._inner if is_oxigraph(dataset) else None


def close(dataset: Dataset) -> None:
    if is_oxigraph(dataset):
        dataset.close()
