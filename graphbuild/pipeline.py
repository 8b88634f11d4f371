"""The build: ingest → NLP → extract → resolve → RDF store → output files.

All inputs are read and validated before anything is written, and each output file is
written to a temporary name and renamed, so a failed build never leaves half an output.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import spacy
from rdflib import Dataset, Graph, URIRef

from . import __version__
from . import kb as kb_module
from .cluster import update_clusters
from .extract import RuleSet, extract
from .ingest import read_documents
from .model import Document, Extraction
from .nlp import DEFAULT_MODEL, build_nlp, model_description
from .rdf.writer import build_quads, document_quads, entity_quads
from .gazetteer import Gazetteer
from .resolve import Resolver
from .store import add_quads, close, BuildLock, open_dataset, stored_content_hashes, stored_document_graphs
from .vocab import mint, ontology_graph_iri

ONTOLOGY_FILES = ("graphbuild.ttl", "plover.ttl")


@dataclass
class BuildOptions:
    output_dir: Path = Path("output")
    store: str = "oxigraph"
    model: str | None = None
    n_process: int = 1
    batch_size: int = 64
    view: bool = True
    ontology_dir: Path | None = None
    disabled_rules: tuple[str, ...] = ()  # extraction rules switched off (--disable-rule)
    min_confidence: float | None = None  # events shown in the outputs; None: the calibrated default


@dataclass
class BuildReport:
    output_dir: Path
    documents: int = 0
    built: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    triples: int = 0
    counts: Counter = field(default_factory=Counter)
    outputs: list[Path] = field(default_factory=list)

    def count(self, extractions: list[Extraction]) -> None:
        self.built += len(extractions)
        self.words += sum(len(e.document.text.split()) for e in extractions)
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
            f"the store holds {self.triples} triples.",
            "Outputs:",
        ]
        lines += [f"  {path}" for path in self.outputs]
        return "\n".join(lines)


def extract_documents(nlp, knowledge, documents: list[Document], n_process: int = 1,
                      batch_size: int = 64, rules: RuleSet | None = None) -> Iterator[Extraction]:
    """Run spaCy over the documents in batches and extract each parsed document."""
    stream = nlp.pipe(((d.text, d) for d in documents), as_tuples=True, n_process=n_process, batch_size=batch_size)
    for doc, document in stream:
        yield extract(doc, document, knowledge, rules)


def build(paths: Iterable[str | Path], options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    documents = read_documents(paths)  # raises InputError before anything is written
    rules = RuleSet(options.disabled_rules)  # an unknown rule id fails here, before anything is written
    output_dir = Path(options.output_dir)
    report = BuildReport(output_dir=output_dir, documents=len(documents))

    # A document is rebuilt when its text or metadata change, and also when what reads it does
    # (graphbuild's code, the model, the ontology data): the stored hash covers both.
    fingerprint = extractor_fingerprint(options.model, options.ontology_dir, rules)
    documents = [replace(d, content_hash=hashlib.sha256(f"{d.content_hash}:{fingerprint}".encode()).hexdigest())
                 for d in documents]
    lock = BuildLock(output_dir)
    dataset = open_dataset(output_dir, options.store)
    try:
        stored = stored_content_hashes(dataset)
        changed = [d for d in documents if stored.get(d.id) != d.content_hash]
        report.skipped = len(documents) - len(changed)
        if changed:
            knowledge = kb_module.load(options.ontology_dir)
            nlp = build_nlp(options.model, options.ontology_dir)
            store_documents(dataset, nlp, knowledge, changed, options, report, stored_document_graphs(dataset))
        update_clusters(dataset)  # however the documents got stored: it reads the store
        load_ontology(dataset, options.ontology_dir)
        report.triples = len(dataset)
        report.outputs = write_outputs(dataset, output_dir, view=options.view, min_confidence=options.min_confidence)
    finally:
        close(dataset)
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def extractor_fingerprint(model: str | None, ontology_dir: Path | None, rules: RuleSet | None = None) -> str:
    """A hash of everything besides a document that decides what is extracted from it: this
    package's source, the spaCy model and its version, the ontology data and the rules switched off."""
    digest = hashlib.sha256()
    name = model or DEFAULT_MODEL
    digest.update(f"{__version__}:{name}:{spacy.util.get_package_version(name) or ''}".encode())
    digest.update(",".join(sorted(rules.disabled if rules else ())).encode())
    package = Path(__file__).resolve().parent
    ontology = Path(ontology_dir) if ontology_dir else kb_module.default_ontology_dir()
    for root, pattern in ((package, "*.py"), (package, "*.txt"), (ontology, "*.ttl"), (ontology, "*.tsv")):
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# Extractions are written to the store in batches of about this many words, shrinking towards
# the end of the corpus down to FINAL_BATCH_WORDS.
WRITE_BATCH_WORDS = 5_000
FINAL_BATCH_WORDS = 500


def store_documents(dataset: Dataset, nlp, knowledge, documents: list[Document], options: BuildOptions,
                    report: BuildReport | None = None, stored: dict[str, set[str]] | None = None) -> None:
    """Text → stored triples: parse, extract, resolve and load, streaming in batches."""
    writer = StoreWriter(dataset, nlp, datetime.now(timezone.utc), stored, Gazetteer(knowledge))
    try:
        stream = extract_documents(nlp, knowledge, documents, options.n_process, options.batch_size,
                                   RuleSet(options.disabled_rules))
        total = sum(_words(d) for d in documents)
        for extractions in _batches(stream, total):
            writer.write(extractions)
            if report is not None:
                report.count(extractions)
    except BaseException:
        writer.abandon()
        raise
    writer.close()


def _words(document: Document) -> int:
    return len(document.text.split())


def _batches(extractions: Iterable[Extraction], total_words: int) -> Iterator[list[Extraction]]:
    """Batches of WRITE_BATCH_WORDS words, halving near the end. Each batch is loaded while
    spaCy parses the next one, except the last, which the build waits for: so a batch also
    closes once it holds as many words as are still to come (but FINAL_BATCH_WORDS at least),
    which leaves a small last batch whose load is short."""
    batch: list[Extraction] = []
    size, left = 0, total_words
    for extraction in extractions:
        batch.append(extraction)
        words = _words(extraction.document)
        size += words
        left -= words
        if size >= WRITE_BATCH_WORDS or size >= max(left, FINAL_BATCH_WORDS):
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class StoreWriter:
    """Turns batches of extractions into quads and loads them into the store on a background
    thread, so that Oxigraph loading one batch (it releases the GIL meanwhile) overlaps with
    spaCy parsing the next; only the load of the last, small batch is waited for."""

    def __init__(self, dataset: Dataset, nlp, started_at: datetime, stored: dict[str, set[str]] | None = None,
                 gazetteer: Gazetteer | None = None):
        self.dataset = dataset
        self.stored = stored or {}  # document id → its graphs already in the store, to be replaced
        self.resolver = Resolver(gazetteer)
        self.model_name, self.model_version = model_description(nlp)
        self.build_iri = mint("build", uuid.uuid4().hex)
        self.started_at = started_at
        self.documents: list[Document] = []
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self.pending: Future | None = None

    def write(self, extractions: list[Extraction]) -> None:
        actors, places = self.resolver.resolve(extractions)
        quads: list = []
        for extraction in extractions:
            for graph in self.stored.get(extraction.document.id, ()):
                self._wait()
                self.dataset.remove_graph(Graph(self.dataset.store, identifier=URIRef(graph)))
            quads += document_quads(extraction)
            self.documents.append(extraction.document)
        quads += entity_quads(actors, places)
        self._wait()
        self.pending = self.executor.submit(add_quads, self.dataset, quads)

    def close(self) -> None:
        """Wait for the last batch, then record the build's provenance."""
        self._wait()
        if self.documents:
            add_quads(self.dataset, build_quads(self.build_iri, self.started_at, datetime.now(timezone.utc),
                                                __version__, self.model_name, self.model_version, self.documents))
        self.executor.shutdown()

    def abandon(self) -> None:
        """Stop after a failure: let a load under way finish, record no provenance."""
        try:
            self._wait()
        finally:
            self.executor.shutdown()

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()  # re-raises a failed load here
            self.pending = None


def load_ontology(dataset: Dataset, ontology_dir: Path | None = None) -> None:
    """The vocabulary and PLOVER typology in their own named graph, so queries can join on them."""
    directory = Path(ontology_dir) if ontology_dir else kb_module.default_ontology_dir()
    graph = Graph(dataset.store, identifier=ontology_graph_iri())
    dataset.remove_graph(graph)
    for name in ONTOLOGY_FILES:
        path = directory / name
        if path.exists():
            graph.parse(path, format="turtle")


def write_outputs(dataset: Dataset, output_dir: Path, view: bool = True, min_confidence: float | None = None) -> list[Path]:
    """The build's files, each written to a temporary name and renamed when complete; the facts
    and the view show the events at or above ``min_confidence`` (None: the calibrated threshold)."""
    from .export import export

    written = []
    for name, fmt in (("graph.ttl", "ttl"), ("graph.trig", "trig"), ("facts.jsonl", "facts")):
        export(dataset, fmt, output_dir / name, min_confidence)
        written.append(output_dir / name)
    if view:
        from .views.html import write_graph_view

        write_graph_view(dataset, output_dir / "graph.html", min_confidence=min_confidence)
        written.append(output_dir / "graph.html")
    return written
