"""The RDF store behind a build: an rdflib Dataset over Oxigraph (persistent, fast SPARQL)
or over rdflib's memory store.

Builds are incremental: each document's named graph records the content hash it was built
from, so an unchanged document is skipped and a changed one has its graph replaced.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from .model import Actor, Place
from .vocab import PREFIXES, SPARQL_PREFIXES, entities_graph_iri

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


# Entity classes in the graph → actor types of the model (places are Place records).
ENTITY_TYPES = {"Person": "Person", "Organization": "Organization", "State": "Country"}


def stored_entities(dataset: Dataset) -> tuple[list[Actor], list[Place]]:
    """The merged actors and places already in the store (name, type, country), so that a
    build that continues or extends one resolves new mentions exactly as if it had seen them."""
    query = SPARQL_PREFIXES + """
        SELECT ?entity (SAMPLE(?kind) AS ?class) (MIN(?label) AS ?name) (MIN(?code) AS ?country) WHERE {
          GRAPH <%s> {
            ?entity skos:prefLabel ?label ; a ?kind .
            VALUES ?kind { gb:Person gb:Organization gb:State gb:Place }
            OPTIONAL { ?entity gb:country/gb:isoAlpha3 ?code }
          }
        } GROUP BY ?entity""" % entities_graph_iri()
    actors, places = [], []
    for row in dataset.query(query):
        kind, iri, name = str(row["class"]).rsplit("#", 1)[-1], str(row.entity), str(row.name)
        country = str(row.country) if row.country else None
        if kind == "Place":
            places.append(Place(iri, name, country=country, iri=iri))
        else:
            actors.append(Actor(iri, name, ENTITY_TYPES[kind], country=country, iri=iri))
    return actors, places


@dataclass
class DocumentGraph:
    """One document's named graph as the writer made it."""

    document_id: str
    iri: str
    quads: list[str]  # everything the document says
    marker: str  # its content-hash quad: stored last, its presence marks the document as committed


@dataclass
class StoreBatch:
    """What one write batch commits: document graphs, the entities they mention, provenance."""

    documents: list[DocumentGraph] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    provenance: list[str] = field(default_factory=list)


class LocalStore:
    """The build folder's own store (Oxigraph or rdflib's memory store) as a build writes it.

    A batch is committed so that an interrupted build can be continued: graphs left by an
    earlier, interrupted load are removed first, then the documents' quads and entities are
    loaded (Oxigraph's fast loader, which is not atomic), and last, in one transaction, the
    content hashes and provenance: a document whose hash is stored is complete, with its
    provenance; one whose hash is missing is built again."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.stored = stored_document_graphs(dataset)  # document id → its graphs, to be replaced
        store = oxigraph_store(dataset)
        names = store.named_graphs() if store is not None else (g.identifier for g in dataset.graphs())
        self.graphs = {str(getattr(name, "value", name)) for name in names}  # with graphs half loaded

    def commit(self, batch: StoreBatch) -> None:
        for document in batch.documents:
            old = self.stored.pop(document.document_id, set()) | ({document.iri} & self.graphs)
            for graph in old:
                self.dataset.remove_graph(Graph(self.dataset.store, identifier=URIRef(graph)))
        add_quads(self.dataset, batch.entities + [q for document in batch.documents for q in document.quads])
        add_quads(self.dataset, [document.marker for document in batch.documents] + batch.provenance, atomic=True)
        self.graphs.update(document.iri for document in batch.documents)

    def replace_graph(self, graph: str, quads: str) -> None:
        """Replace one named graph by N-Quads text, in one transaction."""
        self.dataset.remove_graph(Graph(self.dataset.store, identifier=URIRef(graph)))
        add_quads(self.dataset, [quads], atomic=True)

    def committed_hashes(self) -> dict[str, str]:
        return stored_content_hashes(self.dataset)

    def known_entities(self) -> tuple[list[Actor], list[Place]]:
        return stored_entities(self.dataset)

    def count(self) -> int:
        return len(self.dataset)

    def close(self) -> None:
        close(self.dataset)


def add_quads(dataset: Dataset, quads: Iterable[str], atomic: bool = False) -> None:
    """Add N-Quads lines, as the writer makes them, to the store."""
    text = "".join(quads).encode("utf-8")
    if not text:
        return
    store = oxigraph_store(dataset)
    if store is not None:
        # Oxigraph parses the text natively, an order of magnitude faster than adding quad by
        # quad. Its bulk loader costs about half as much per quad as its transactional one but
        # has a fixed cost of tens of milliseconds per call (it writes and ingests files for
        # every index), so small inputs, like the last batch of a build, go the transactional
        # way. The bulk loader is not atomic, which is safe here: the text is the writer's own.
        # For the same reason the loaders skip checking IRIs again (lenient): the writer made
        # every term with pyoxigraph, which checked it then. That saves about a tenth of the load.
        # ``atomic`` asks for the transactional loader whatever the size.
        load = store.bulk_load if text.count(b"\n") >= BULK_LOAD_MIN_QUADS and not atomic else store.load
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
