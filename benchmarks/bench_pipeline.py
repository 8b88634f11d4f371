"""Throughput of the whole pipeline (text → stored triples) against bare spaCy, for 1 and 2
processes, with peak memory, quads per word and the time of each stage.

Both run in this process on the same texts with the same model: bare `nlp.pipe` with the
model alone (``n_process=N``), then graphbuild's pipeline (KB matcher, extraction,
resolution, RDF quads committed to an Oxigraph store; ``--processes N`` worker processes for
N > 1). Each is timed `--repeat` times, alternating, and the best run counts, so other load
on the machine disturbs the ratio as little as possible. Memory is the peak of this process
and its children, summed, sampled every 0.1 s.

    .venv/bin/python benchmarks/bench_pipeline.py [--words 20000] [--processes 1,2] [--model NAME]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import psutil
import spacy

from graphbuild.ingest import read_documents
from graphbuild.model import Document
from graphbuild.nlp import DEFAULT_MODEL
from graphbuild.parse import ParseSettings, chunks, extractor_fingerprint, loaded_pipeline, words
from graphbuild.pipeline import BuildOptions, BuildReport, StoreWriter, write_batches, progress_bar, store_documents, write_outputs
from graphbuild.resolve import Resolver
from graphbuild.store import LocalStore, open_dataset

HERE = Path(__file__).resolve().parent
CORPUS_SOURCES = [HERE.parent.parent / "shared" / "eval" / "dev",
                  HERE.parent.parent / "shared" / "eval" / "plover-dev" / "corpus.jsonl"]


def corpus(words_wanted: int) -> list[Document]:
    """Documents totalling about ``words_wanted`` words: the shipped texts, repeated with new ids."""
    base = read_documents([p for p in CORPUS_SOURCES if p.exists()] or [HERE.parent / "seeds"])
    documents, total, copy = [], 0, 0
    while total < words_wanted:
        for document in base:
            documents.append(Document(id=f"{copy}-{document.id}", text=document.text, published=document.published,
                                      content_hash=f"{copy}-{document.content_hash}"))
            total += words(document)
        copy += 1
    return documents


class PeakMemory:
    """The peak resident memory of this process and its children, summed, while in the block."""

    def __enter__(self):
        self.peak, self._running = 0, True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        me = psutil.Process()
        while self._running:
            try:
                tree = [me, *me.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        self._running = False
        self._thread.join()


def bare(nlp, documents, processes, batch_size) -> tuple[float, int]:
    with PeakMemory() as memory:
        start = time.perf_counter()
        for _ in nlp.pipe((d.text for d in documents), n_process=processes, batch_size=batch_size):
            pass
        elapsed = time.perf_counter() - start
    return elapsed, memory.peak


def full(documents, processes, batch_size) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder, PeakMemory() as memory:
        sink = LocalStore(open_dataset(Path(folder), "oxigraph"))
        options = BuildOptions(output_dir=Path(folder), n_process=processes, batch_size=batch_size)
        start = time.perf_counter()
        store_documents(sink, documents, options, BuildReport(Path(folder)))
        elapsed = time.perf_counter() - start
        quads = sink.count()
        sink.close()
    return elapsed, memory.peak, quads


def stage_times(documents: list[Document], batch_size: int) -> dict[str, float]:
    """Seconds per stage on one process, each stage run on its own over the whole corpus."""
    from graphbuild.extract import extract

    times: dict[str, float] = {}
    settings = ParseSettings(extractor_fingerprint(None, None), batch_size=batch_size)
    nlp, knowledge, rules = loaded_pipeline(settings)
    start = time.perf_counter()
    docs = [doc for chunk in chunks(documents, batch_size)
            for doc in nlp.pipe((d.text for d in chunk), batch_size=len(chunk))]
    times["parse (spaCy + KB matcher)"] = time.perf_counter() - start
    start = time.perf_counter()
    extractions = [extract(doc, document, knowledge, rules) for doc, document in zip(docs, documents)]
    times["extract"] = time.perf_counter() - start
    del docs
    with tempfile.TemporaryDirectory() as folder:
        sink = LocalStore(open_dataset(Path(folder), "oxigraph"))
        writer = StoreWriter(sink, Resolver(), None, progress_bar(0, 0, enabled=False))
        start = time.perf_counter()
        resolved = [(batch, *writer.resolver.resolve(batch)) for batch in write_batches(extractions, total_words(documents))]
        times["resolve"] = time.perf_counter() - start
        start = time.perf_counter()
        made = [writer.quads(*batch) for batch in resolved]
        times["write quads"] = time.perf_counter() - start
        start = time.perf_counter()
        for batch in made:
            sink.commit(batch)
        times["store (Oxigraph load; overlapped with parsing in a build)"] = time.perf_counter() - start
        start = time.perf_counter()
        write_outputs(sink.dataset, Path(folder), view=True)
        times["outputs (ttl, trig, facts, html)"] = time.perf_counter() - start
        sink.close()
    return times


def total_words(documents: list[Document]) -> int:
    return sum(words(d) for d in documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=20000)
    parser.add_argument("--processes", default="1,2", help="comma-separated process counts")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()

    documents = corpus(args.words)
    total = total_words(documents)
    model = spacy.load(args.model)
    bare(model, documents[:5], 1, args.batch_size)  # warm up both
    full(documents[:5], 1, args.batch_size)
    print(f"corpus: {len(documents)} documents, {total} words; model {args.model}; best of {args.repeat}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'run':<44}{'seconds':>9}{'words/s':>10}{'peak MB':>9}")
    for processes in (int(p) for p in args.processes.split(",")):
        bare_runs, full_runs, quads = [], [], 0
        for _ in range(args.repeat):
            bare_runs.append(bare(model, documents, processes, args.batch_size))
            elapsed, peak, quads = full(documents, processes, args.batch_size)
            full_runs.append((elapsed, peak))
        (bare_time, bare_peak), (full_time, full_peak) = min(bare_runs), min(full_runs)
        print(f"{f'bare nlp.pipe, {processes} process(es)':<44}{bare_time:>9.2f}{total / bare_time:>10.0f}"
              f"{max(p for _, p in bare_runs) / 2**20:>9.0f}")
        print(f"{f'graphbuild text → stored triples, {processes}':<44}{full_time:>9.2f}{total / full_time:>10.0f}"
              f"{max(p for _, p in full_runs) / 2**20:>9.0f}")
        print(f"  pipeline / bare with {processes} process(es): {bare_time / full_time:.1%}   "
              f"({quads} quads, {quads / total:.2f} per word)")
    print("time per stage, one process (each stage alone):")
    for stage, seconds in stage_times(documents, args.batch_size).items():
        print(f"  {stage:<58}{seconds:>7.2f} s  {seconds / total * 1e6:>6.1f} µs/word")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
