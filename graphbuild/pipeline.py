"""The build, stage by stage, in one direction:

1. read and validate: a first streaming pass over every input checks every document and
   keeps only id → (content hash, words), so a bad field anywhere stops the build before
   anything is written;
2. parse and extract (parse.py): here, in local worker processes, or on Dask workers;
3. resolve (resolve.py): actors and places merged across documents, compact state;
4. write and store (rdf/writer.py, store.py, or an external Graph Store through push.py):
   batch by batch, each batch committed so that an interrupted build continues where it
   stopped;
5. post-store stages over the whole graph (the ontology graph);
6. outputs, each written to a temporary file and renamed.

Documents stream through stages 2–4; nothing of a document is kept once it is stored.
"""

from __future__ import annotations

import hashlib
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from . import __version__
from . import kb as kb_module
from .cluster import update_clusters
from .gazetteer import Gazetteer
from .ingest import BUILD_FOLDER_MARKER, InputError, iter_documents
from .model import Actor, Document, Extraction, Place
from .nlp import model_description
from .parse import ParseSettings, extractions, extractor_fingerprint, words
from .rdf.writer import (
    build_documents_quads,
    build_ended_quads,
    build_started_quads,
    content_hash_quad,
    document_quads,
    entity_quads,
    name_key_quads,
)
from .resolve import Resolver
from .extract import RuleSet
from .store import BuildLock, DocumentGraph, LocalStore, StoreBatch, open_dataset
from .vocab import document_graph_iri, mint, ontology_graph_iri

ONTOLOGY_FILES = ("graphbuild.ttl", "plover.ttl")


@dataclass
class BuildOptions:
    output_dir: Path = Path("output")
    store: str = "oxigraph"  # "oxigraph", "memory", or the URL of a SPARQL 1.1 Graph Store
    store_query: str | None = None  # the external store's SPARQL query endpoint (default: derived)
    model: str | None = None
    n_process: int = 1
    dask: str | None = None  # a Dask scheduler address, or "local:N"
    batch_size: int = 64
    view: bool = True
    ontology_dir: Path | None = None
    disabled_rules: tuple[str, ...] = ()  # extraction rules switched off (--disable-rule)
    min_confidence: float | None = None  # events shown in the outputs; None: the calibrated default
    progress: bool = False  # a progress bar on standard error, when it is a terminal

    def parse_settings(self, fingerprint: str) -> ParseSettings:
        return ParseSettings(fingerprint, model=self.model, ontology_dir=self.ontology_dir, batch_size=self.batch_size,
                             disabled_rules=self.disabled_rules)

    def fingerprint(self) -> str:
        return extractor_fingerprint(self.model, self.ontology_dir, RuleSet(self.disabled_rules))


@dataclass
class BuildReport:
    output_dir: Path
    documents: int = 0
    built: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    triples: int = 0
    store: str | None = None  # an external store's URL
    counts: Counter = field(default_factory=Counter)
    outputs: list[Path] = field(default_factory=list)

    def count(self, extractions: list[Extraction]) -> None:
        self.built += len(extractions)
        self.words += sum(words(e.document) for e in extractions)
        for extraction in extractions:
            self.counts["actors"] += sum(len(a.mentions) for a in extraction.actors)
            self.counts["events"] += len(extraction.events)
            self.counts["statements"] += len(extraction.statements)
            self.counts["roles"] += len(extraction.roles)

    def summary(self) -> str:
        lines = [
            f"Read {self.documents} document(s): built {self.built}, unchanged {self.skipped} "
            f"({self.words} words in {self.seconds:.1f} s).",
            f"Extracted {self.counts['actors']} actor mentions, {self.counts['events']} events, "
            f"{self.counts['statements']} statements, {self.counts['roles']} roles; "
            + (f"the store at {self.store} holds {self.triples} triples." if self.store
               else f"the store holds {self.triples} triples."),
        ]
        if self.outputs:
            lines += ["Outputs:", *(f"  {path}" for path in self.outputs)]
        return "\n".join(lines)


# --- 1. read and validate ----------------------------------------------------------------

def index_corpus(paths: Iterable[str | Path], build_folder: Path, fingerprint: str) -> dict[str, tuple[str, int]]:
    """Read and check every input once, keeping only id → (content hash, words). Raises
    InputError for the first bad document, before anything is written."""
    return {d.id: (d.content_hash, words(d)) for d in _documents(paths, build_folder, fingerprint)}


def _documents(paths: Iterable[str | Path], build_folder: Path, fingerprint: str) -> Iterator[Document]:
    # A document is rebuilt when its text or metadata change, and also when what reads it does
    # (graphbuild's code, the model, the ontology data): the stored hash covers both.
    for document in iter_documents(paths, build_folders=[build_folder]):
        yield replace(document, content_hash=hashlib.sha256(f"{document.content_hash}:{fingerprint}".encode()).hexdigest())


def _documents_to_build(paths, build_folder: Path, fingerprint: str, index: dict[str, tuple[str, int]],
                        wanted: set[str]) -> Iterator[Document]:
    """The second pass: the documents to build, read again one at a time."""
    for document in _documents(paths, build_folder, fingerprint):
        if document.id not in wanted:
            continue
        if index[document.id][0] != document.content_hash:
            raise InputError(f"{document.path}: the document changed while it was being built; build again")
        yield document


# --- the build ---------------------------------------------------------------------------

def build(paths: Iterable[str | Path], options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    paths = list(paths)
    output_dir = Path(options.output_dir)
    fingerprint = options.fingerprint()  # an unknown rule id fails here, before anything is written
    index = index_corpus(paths, output_dir, fingerprint)  # raises InputError before anything is written
    report = BuildReport(output_dir=output_dir, documents=len(index))
    lock = BuildLock(output_dir)
    try:
        (output_dir / BUILD_FOLDER_MARKER).write_text(
            "Written by `graphbuild build`: graphbuild never reads this folder as input.\n", encoding="utf-8")
        sink = open_sink(output_dir, options)
    except BaseException:
        lock.release()
        raise
    try:
        committed = sink.committed_hashes()
        wanted = {doc_id for doc_id, (content_hash, _) in index.items() if committed.get(doc_id) != content_hash}
        report.skipped = len(index) - len(wanted)
        if wanted:
            documents = _documents_to_build(paths, output_dir, fingerprint, index, wanted)
            store_documents(sink, documents, options, report, fingerprint,
                            total=(len(wanted), sum(index[doc_id][1] for doc_id in wanted)))
        post_store(sink, options)
        report.triples = sink.count()
        if isinstance(sink, LocalStore):
            report.outputs = write_outputs(sink.dataset, output_dir, view=options.view,
                                           min_confidence=options.min_confidence)
        else:
            report.store = options.store
    finally:
        sink.close()
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def open_sink(output_dir: Path, options: BuildOptions):
    """Where a build stores its graph: the build folder's own store, or an external Graph Store."""
    if options.store.startswith(("http://", "https://")):
        from .push import GraphStoreSink

        return GraphStoreSink(options.store, options.store_query)
    return LocalStore(open_dataset(output_dir, options.store))


# Extractions are written to the store in batches of about this many words, shrinking towards
# the end of the corpus down to FINAL_BATCH_WORDS.
WRITE_BATCH_WORDS = 5_000
FINAL_BATCH_WORDS = 500


def store_documents(sink, documents: Iterable[Document], options: BuildOptions, report: BuildReport | None = None,
                    fingerprint: str | None = None, total: tuple[int, int] | None = None) -> None:
    """Text → stored triples: parse, extract, resolve and store, streaming in batches.
    ``total`` is (documents, words) to come; without it the documents are counted first."""
    if total is None:
        documents = list(documents)
        total = (len(documents), sum(words(d) for d in documents))
    if fingerprint is None:
        fingerprint = options.fingerprint()
    progress = progress_bar(*total, enabled=options.progress)
    resolver = Resolver(Gazetteer(kb_module.load(options.ontology_dir)), *sink.known_entities())
    writer = StoreWriter(sink, resolver, options.model, progress)
    try:
        stream = extractions(documents, options.parse_settings(fingerprint), options.n_process, options.dask)
        for batch in write_batches(stream, total[1]):
            writer.write(batch)
            if report is not None:
                report.count(batch)
        writer.close()
    except BaseException:
        writer.abandon()
        raise
    finally:
        progress.close()


def write_batches(extractions: Iterable[Extraction], total_words: int) -> Iterator[list[Extraction]]:
    """Batches of WRITE_BATCH_WORDS words, halving near the end. Each batch is stored while
    the next one is parsed, except the last, which the build waits for: so a batch also
    closes once it holds as many words as are still to come (but FINAL_BATCH_WORDS at least),
    which leaves a small last batch whose load is short. Batches depend only on the order and
    length of the documents, so a build that continues an interrupted one, from the end of
    its last committed batch, cuts the rest exactly as the uninterrupted build would."""
    batch: list[Extraction] = []
    size, left = 0, total_words
    for extraction in extractions:
        batch.append(extraction)
        count = words(extraction.document)
        size += count
        left -= count
        if size >= WRITE_BATCH_WORDS or size >= max(left, FINAL_BATCH_WORDS):
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def progress_bar(documents: int, total_words: int, enabled: bool):
    """Documents stored, words per second and the time left, on standard error; silent
    unless asked for and standard error is a terminal."""
    from tqdm import tqdm

    bar = tqdm(total=total_words, unit=" words", unit_scale=True, file=sys.stderr, desc="building",
               disable=None if enabled else True, dynamic_ncols=True)
    bar.documents, bar.total_documents = 0, documents
    return bar


class StoreWriter:
    """Turns batches of extractions into quads and commits them to the store on a background
    thread, so that loading one batch (Oxigraph releases the GIL meanwhile) overlaps with
    parsing the next; only the load of the last, small batch is waited for. The build's
    provenance goes with the batches: its start with the first, each batch's documents with
    that batch, its end once the last is stored."""

    def __init__(self, sink, resolver: Resolver, model: str | None, progress):
        self.sink = sink
        self.resolver = resolver
        self.progress = progress
        self.build_iri = str(mint("build", uuid.uuid4().hex))
        self.started = build_started_quads(self.build_iri, datetime.now(timezone.utc), __version__,
                                           *model_description(model))
        self.batches = 0
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self.pending: Future | None = None

    def write(self, extractions: list[Extraction]) -> None:
        batch = self.quads(extractions, *self.resolver.resolve(extractions))
        self._wait()
        self.pending = self.executor.submit(self._commit, batch, sum(words(e.document) for e in extractions))

    def quads(self, extractions: list[Extraction], actors: list[Actor], places: list[Place]) -> StoreBatch:
        """The quads of a resolved batch: its documents, the entities they mention, provenance."""
        documents = [extraction.document for extraction in extractions]
        batch = StoreBatch(
            documents=[DocumentGraph(e.document.id, str(document_graph_iri(e.document.id)), document_quads(e),
                                     content_hash_quad(e.document)) for e in extractions],
            entities=[*entity_quads(actors, places), *name_key_quads(extractions)],
            provenance=(self.started if not self.batches else []) + build_documents_quads(self.build_iri, documents),
        )
        self.batches += 1
        return batch

    def _commit(self, batch: StoreBatch, batch_words: int) -> None:
        self.sink.commit(batch)
        self.progress.documents += len(batch.documents)
        self.progress.set_postfix_str(f"{self.progress.documents}/{self.progress.total_documents} documents",
                                      refresh=False)
        self.progress.update(batch_words)

    def close(self) -> None:
        """Wait for the last batch, then record the end of the build."""
        self._wait()
        if self.batches:
            self.sink.commit(StoreBatch(provenance=build_ended_quads(self.build_iri, datetime.now(timezone.utc))))
        self.executor.shutdown()

    def abandon(self) -> None:
        """Stop after a failure: let a commit under way finish (what is committed is whole)."""
        try:
            self._wait()
        finally:
            self.executor.shutdown()

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # re-raises a failed commit here


# --- 5. post-store stages ------------------------------------------------------------------

def post_store(sink, options: BuildOptions) -> None:
    """The stages over the whole stored graph, once every batch is stored: event clusters
    across documents (they read the store, so they see documents however they got there),
    then the ontology graph. Clusters need a store they can rewrite, so an external store
    gets the ontology only."""
    if isinstance(sink, LocalStore):
        update_clusters(sink.dataset)
    load_ontology(sink, options.ontology_dir)


def load_ontology(sink, ontology_dir: Path | None = None) -> None:
    """The vocabulary and PLOVER typology in their own named graph, so queries can join on them."""
    directory = Path(ontology_dir) if ontology_dir else kb_module.default_ontology_dir()
    graph = ox.NamedNode(str(ontology_graph_iri()))
    quads = []
    for name in ONTOLOGY_FILES:
        path = directory / name
        if path.exists():
            quads += [ox.Quad(t.subject, t.predicate, t.object, graph)
                      for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    sink.replace_graph(str(graph.value), ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"))


# --- 6. outputs ----------------------------------------------------------------------------

def write_outputs(dataset: Dataset, output_dir: Path, view: bool = True, min_confidence: float | None = None) -> list[Path]:
    """The build's files, each written to a temporary name and renamed when complete; the facts
    and the view show the events at or above ``min_confidence`` (None: the calibrated threshold)."""
    from .export import export, remove_stale_temporaries

    remove_stale_temporaries(output_dir, [name for name, _ in OUTPUT_FILES] + [VIEW_FILE])
    written = []
    for name, fmt in OUTPUT_FILES:
        export(dataset, fmt, output_dir / name, min_confidence)
        written.append(output_dir / name)
    if view:
        from .views.html import write_graph_view

        write_graph_view(dataset, output_dir / VIEW_FILE, min_confidence=min_confidence)
        written.append(output_dir / VIEW_FILE)
    return written


OUTPUT_FILES = (("graph.ttl", "ttl"), ("graph.trig", "trig"), ("facts.jsonl", "facts"))
VIEW_FILE = "graph.html"


__all__ = ["BuildOptions", "BuildReport", "build", "index_corpus", "store_documents", "write_outputs"]
