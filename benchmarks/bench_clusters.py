"""Claims, clusters and disputes on a store built from the real corpus: the build, the cluster
stage (full and incremental), disputed-facts, claims-about and the cluster exports.

    .venv/bin/python benchmarks/bench_clusters.py --copies 6 --store /tmp/bench-clusters

The Wikinews corpus is repeated COPIES times with new ids (and publishers), so every act is
reported by several articles; a store already built at --store is reused.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from graphbuild.cluster import update_clusters
from graphbuild.export import export
from graphbuild.pipeline import BuildOptions, build
from graphbuild.queries import run_named_query
from graphbuild.store import close, existing_dataset

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wikinews-2019-2020.jsonl"


def repeated_corpus(copies: int, folder: Path) -> Path:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    target = folder / f"wikinews-x{copies}.jsonl"
    with target.open("w", encoding="utf-8") as stream:
        for copy in range(copies):
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-copy{copy}"
                record["publisher"] = f"Mirror {copy % 3}"
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def timed(what: str, action, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    print(f"{what:<44} {best:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--store", type=Path, default=None, help="build folder to create or reuse")
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="bench-clusters-"))
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "store").is_dir():
        corpus = repeated_corpus(args.copies, folder)
        started = time.perf_counter()
        report = build([corpus], BuildOptions(output_dir=folder, view=False))
        print(report.summary().splitlines()[0])
        print(f"{'build (parse, store, cluster, outputs)':<44} {time.perf_counter() - started:8.1f} s")
    dataset = existing_dataset(folder)
    try:
        print(f"quads in the store: {len(dataset):,}")
        timed("update_clusters, nothing changed", lambda: update_clusters(dataset))
        for name, params in (("disputed-facts", {}), ("claims-about", {"actor": "Iran"}),
                             ("claims-about", {"actor": "United States"})):
            result = timed(f"query {name} {' '.join(params.values())}",
                           lambda: run_named_query(dataset, name, params))
            print(f"{'':<44} {len(result.rows)} rows")
        timed("export mentions-csv", lambda: export(dataset, "mentions-csv", folder / "mentions.csv"), repeat=1)
        timed("export geojson", lambda: export(dataset, "geojson", folder / "events.geojson"), repeat=1)
    finally:
        close(dataset)


if __name__ == "__main__":
    main()
