"""Throughput of the whole pipeline (text → stored triples) against bare spaCy.

Both run in this process on the same texts with the same model: bare `nlp.pipe` with the
model alone, then graphbuild's pipeline (KB matcher, extraction, resolution, RDF quads
added to an Oxigraph store). Each is timed `--repeat` times, alternating, and the best
run counts, so other load on the machine disturbs the ratio as little as possible.

    .venv/bin/python benchmarks/bench_pipeline.py [--words 20000] [--processes 1] [--model NAME]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import spacy

from graphbuild import kb as kb_module
from graphbuild.ingest import read_documents
from graphbuild.model import Document
from graphbuild.nlp import DEFAULT_MODEL, build_nlp
from graphbuild.pipeline import BuildOptions, BuildReport, store_documents
from graphbuild.store import close, open_dataset

HERE = Path(__file__).resolve().parent
CORPUS_SOURCES = [HERE.parent.parent / "shared" / "eval" / "dev",
                  HERE.parent.parent / "shared" / "eval" / "plover-dev" / "corpus.jsonl"]


def corpus(words: int) -> list[Document]:
    """Documents totalling about ``words`` words: the shipped texts, repeated with new ids."""
    base = read_documents([p for p in CORPUS_SOURCES if p.exists()] or [HERE.parent / "seeds"])
    documents, total, copy = [], 0, 0
    while total < words:
        for document in base:
            documents.append(Document(id=f"{copy}-{document.id}", text=document.text, published=document.published,
                                      content_hash=f"{copy}-{document.content_hash}"))
            total += len(document.text.split())
        copy += 1
    return documents


def bare(nlp, documents, processes, batch_size) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in documents), n_process=processes, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def full(nlp, knowledge, documents, processes, batch_size) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        dataset = open_dataset(Path(folder), "oxigraph")
        options = BuildOptions(output_dir=Path(folder), n_process=processes, batch_size=batch_size)
        start = time.perf_counter()
        store_documents(dataset, nlp, knowledge, documents, options, BuildReport(Path(folder)))
        elapsed = time.perf_counter() - start
        triples = len(dataset)
        close(dataset)
    return elapsed, triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=20000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()

    documents = corpus(args.words)
    words = sum(len(d.text.split()) for d in documents)
    model = spacy.load(args.model)
    knowledge = kb_module.load()
    pipeline = build_nlp(args.model)
    bare(model, documents[:5], 1, args.batch_size)  # warm up both
    full(pipeline, knowledge, documents[:5], 1, args.batch_size)

    bare_times, full_times, triples = [], [], 0
    for _ in range(args.repeat):
        bare_times.append(bare(model, documents, args.processes, args.batch_size))
        elapsed, triples = full(pipeline, knowledge, documents, args.processes, args.batch_size)
        full_times.append(elapsed)
    bare_rate, full_rate = words / min(bare_times), words / min(full_times)
    print(f"corpus: {len(documents)} documents, {words} words; model {args.model}; "
          f"{args.processes} process(es); best of {args.repeat}")
    print(f"{'run':<34}{'seconds':>9}{'words/s':>10}")
    print(f"{'bare nlp.pipe':<34}{min(bare_times):>9.2f}{bare_rate:>10.0f}")
    print(f"{'graphbuild text → stored triples':<34}{min(full_times):>9.2f}{full_rate:>10.0f}")
    print(f"pipeline / bare: {full_rate / bare_rate:.1%}   ({triples} triples stored)")


if __name__ == "__main__":
    main()
