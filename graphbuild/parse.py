"""Parse and extract: Documents → Extractions, in this process, in local worker processes, or
on the workers of a Dask cluster.

Documents travel in chunks of at most ``batch_size`` documents and ``PARSE_BATCH_WORDS``
words: spaCy's memory during a batch grows with the words in it (the parser's features for
every token), so a word bound keeps it flat however long the documents are, where a count
of documents alone let a batch holding the corpus's longest articles take gigabytes.

Each worker (a local process or a Dask worker) loads the spaCy pipeline and the knowledge
base once and keeps them; only Documents go out and only Extractions (plain dataclasses from
graphbuild/model.py, never a spaCy Doc) come back. At most ``IN_FLIGHT_PER_WORKER`` chunks
per worker are out at a time, so memory does not grow with the corpus on either side, and
results are taken in corpus order, which makes resolution, and so the graph, the same
whichever way the documents were parsed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import spacy

from . import __version__
from . import kb as kb_module
from .extract import RuleSet, extract
from .model import Document, Extraction
from .nlp import DEFAULT_MODEL, build_nlp

PARSE_BATCH_WORDS = 4_000
IN_FLIGHT_PER_WORKER = 2
DASK_LOCAL_PREFIX = "local:"


class ParseError(RuntimeError):
    pass


@dataclass(frozen=True)
class ParseSettings:
    """What a worker needs to parse and extract exactly as this build would (per-build
    extraction options, such as the rules switched off, travel here too)."""

    fingerprint: str  # the build's extractor_fingerprint: a worker whose own differs refuses to work
    model: str | None = None
    ontology_dir: Path | None = None  # None: each worker's own default (GRAPHBUILD_ONTOLOGY or the source tree)
    batch_size: int = 64
    disabled_rules: tuple[str, ...] = ()  # extraction rules switched off (--disable-rule)


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


def words(document: Document) -> int:
    return len(document.text.split())


def chunks(documents: Iterable[Document], batch_size: int, batch_words: int = PARSE_BATCH_WORDS
           ) -> Iterator[list[Document]]:
    """Consecutive documents in lists of at most ``batch_size`` documents and ``batch_words``
    words (a longer document goes alone)."""
    chunk: list[Document] = []
    size = 0
    for document in documents:
        count = words(document)
        if chunk and (len(chunk) >= batch_size or size + count > batch_words):
            yield chunk
            chunk, size = [], 0
        chunk.append(document)
        size += count
    if chunk:
        yield chunk


# --- what runs on a worker --------------------------------------------------------------

_LOADED: dict[ParseSettings, tuple] = {}  # one entry: the pipeline of the build under way
_LOADING = threading.Lock()  # a Dask worker may run tasks on several threads


def loaded_pipeline(settings: ParseSettings):
    """(spaCy pipeline, knowledge base, rules) for these settings, loaded once per process."""
    with _LOADING:
        if settings not in _LOADED:
            _LOADED.clear()
            rules = RuleSet(settings.disabled_rules)
            if extractor_fingerprint(settings.model, settings.ontology_dir, rules) != settings.fingerprint:
                raise ParseError("this worker runs another version of graphbuild, the model or the ontology data "
                                 "than the build; install the same on every worker")
            _LOADED[settings] = (build_nlp(settings.model, settings.ontology_dir), kb_module.load(settings.ontology_dir),
                                 rules)
        return _LOADED[settings]


def parse_and_extract(settings: ParseSettings, documents: list[Document]) -> list[Extraction]:
    """Parse one chunk and extract every document of it."""
    nlp, knowledge, rules = loaded_pipeline(settings)
    docs = nlp.pipe((d.text for d in documents), batch_size=len(documents))
    return [extract(doc, document, knowledge, rules) for doc, document in zip(docs, documents)]


# --- engines: where the chunks run -------------------------------------------------------

def extractions(documents: Iterable[Document], settings: ParseSettings, processes: int = 1,
                dask: str | None = None) -> Iterator[Extraction]:
    """Extractions of the documents, in their order, parsed here (one process), in
    ``processes`` local worker processes, or on a Dask cluster (``dask``: a scheduler
    address, or ``local:N`` for a local cluster of N worker processes)."""
    batches = chunks(documents, settings.batch_size)
    if dask:
        with dask_client(dask) as (submit, workers):
            yield from _in_order(submit, batches, settings, workers * IN_FLIGHT_PER_WORKER)
    elif processes > 1:
        # spawn, not fork: the parent holds an open store and a writer thread.
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            try:
                yield from _in_order(pool.submit, batches, settings, processes * IN_FLIGHT_PER_WORKER)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    else:
        for batch in batches:
            yield from parse_and_extract(settings, batch)


def _in_order(submit: Callable, batches: Iterable[list[Document]], settings: ParseSettings,
              in_flight: int) -> Iterator[Extraction]:
    """Keep ``in_flight`` chunks out at once; hand their results back in corpus order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(parse_and_extract, settings, batch))
        if len(pending) >= in_flight:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


@contextmanager
def dask_client(address: str):
    """(submit, number of workers) for a Dask cluster: a running scheduler's address, or
    ``local:N`` to start a LocalCluster of N single-threaded worker processes here."""
    from distributed import Client, LocalCluster

    if address.startswith(DASK_LOCAL_PREFIX):
        count = address.removeprefix(DASK_LOCAL_PREFIX)
        if not count.isdigit() or int(count) < 1:
            raise ParseError(f"--dask {address}: give local:N with N worker processes, e.g. local:2")
        cluster = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(address, timeout=30)
        except (OSError, ValueError) as err:
            raise ParseError(f"--dask {address}: cannot reach the Dask scheduler ({err})") from None
    try:
        workers = len(client.scheduler_info()["workers"])
        if workers == 0:
            client.wait_for_workers(1, timeout=60)
            workers = len(client.scheduler_info()["workers"])

        def submit(function, *args):
            return client.submit(function, *args, pure=False)

        yield submit, workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
