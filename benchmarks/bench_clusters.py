"""Claims, clusters and disputes on a store built from the real corpus: the build, the cluster
stage (full and incremental), disputed-facts, claims-about and the cluster exports.

    .venv/bin/python benchmarks/bench_clusters.py --copies 3 --store /tmp/bench-clusters
    .venv/bin/python benchmarks/bench_clusters.py --copies 5 --first 3 --store /tmp/bench-clusters

The Wikinews corpus is repeated COPIES times with new ids (and publishers), so every act is
reported by several articles. A store already built at --store is reused; with --first N the
copies numbered from N on are added to it, an incremental build (about 1M quads after 8 copies).
Until the extractor finds claims in real text, --claims-from-events makes claims for the
measurement: every event with a target is copied, once, as a claim of its target about it
(SPARQL INSERT into the same document graph), and the clusters are updated.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from rdflib import Graph, URIRef

from graphbuild.cluster import update_clusters
from graphbuild.export import export
from graphbuild.pipeline import BuildOptions, build
from graphbuild.queries import run_named_query, run_query
from graphbuild.store import close, existing_dataset
from graphbuild.vocab import GB, clusters_graph_iri

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wikinews-2019-2020.jsonl"


def repeated_corpus(copies: int, folder: Path, first: int = 0) -> Path:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    target = folder / f"wikinews-{first}-x{copies}.jsonl"
    with target.open("w", encoding="utf-8") as stream:
        for copy in range(first, first + copies):
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-copy{copy}"
                record["publisher"] = f"Mirror {copy % 3}"
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


CLAIMS_FROM_EVENTS = """
PREFIX gb: <https://w3id.org/graphbuild/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT { GRAPH ?g { ?claim a gb:Claim ; gb:claimant ?target ; gb:actType ?type ; gb:actModality ?modality ;
                     gb:actSource ?source ; gb:actTarget ?target ; gb:evidence ?sentence ;
                     prov:wasDerivedFrom ?doc } }
WHERE { GRAPH ?g { ?event a gb:Event ; gb:eventType ?type ; gb:modality ?modality ; gb:source ?source ;
                   gb:target ?target ; gb:evidence ?sentence ; prov:wasDerivedFrom ?doc } 
        FILTER NOT EXISTS { GRAPH ?g { ?other a gb:Claim } }
        BIND(IRI(CONCAT(STR(?event), "-as-claim")) AS ?claim) }"""


FORGET_ALL_CLUSTERING = """
PREFIX gb: <https://w3id.org/graphbuild/ontology#>
DELETE WHERE { GRAPH ?g { ?doc gb:clusteredHash ?hash } }"""


def first_document(dataset) -> list[str]:
    return [str(row[0]) for row in run_query(dataset, "SELECT ?doc WHERE { ?doc a gb:Document } LIMIT 1").rows]


def forget_clustering(dataset, document: str) -> None:
    """Make the cluster stage take the document as changed, as after a rebuild."""
    Graph(dataset.store, identifier=clusters_graph_iri()).remove((URIRef(document), GB.clusteredHash, None))


def timed(what: str, action, repeat: int = 3):
    """Best of ``repeat`` runs: wall time, and the process's CPU time (less sensitive to other
    jobs on a shared machine; Oxigraph answers in the calling thread)."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    print(f"{what:<44} {best:8.3f} s  (CPU {best_cpu:.3f} s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--first", type=int, default=0, help="number of the first copy (add to a built store)")
    parser.add_argument("--claims-from-events", action="store_true", help="add one claim per targeted event first")
    parser.add_argument("--store", type=Path, default=None, help="build folder to create or reuse")
    args = parser.parse_args()
    folder = args.store or Path(tempfile.mkdtemp(prefix="bench-clusters-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.first or not (folder / "store").is_dir():
        corpus = repeated_corpus(args.copies, folder, args.first)
        started = time.perf_counter()
        report = build([corpus], BuildOptions(output_dir=folder, view=False))
        print(report.summary().splitlines()[0])
        print(f"{'build (parse, store, cluster, outputs)':<44} {time.perf_counter() - started:8.1f} s")
    dataset = existing_dataset(folder)
    try:
        if args.claims_from_events:
            timed("claims from events (SPARQL INSERT)", lambda: dataset.update(CLAIMS_FROM_EVENTS), repeat=1)
            dataset.update(FORGET_ALL_CLUSTERING)  # the documents changed behind the cluster stage's back
            timed("update_clusters, every document changed", lambda: update_clusters(dataset), repeat=1)
        print(f"quads in the store: {len(dataset):,}")
        timed("update_clusters, nothing changed", lambda: update_clusters(dataset))
        for name, params in (("disputed-facts", {}), ("claims-about", {"actor": "Iran"}),
                             ("claims-about", {"actor": "United States"})):
            result = timed(f"query {name} {' '.join(params.values())}",
                           lambda: run_named_query(dataset, name, params))
            print(f"{'':<44} {len(result.rows)} rows")
        some_document = first_document(dataset)[0]
        timed("update_clusters, one document changed",
              lambda: (forget_clustering(dataset, some_document), update_clusters(dataset))[1])
        timed("export mentions-csv", lambda: export(dataset, "mentions-csv", folder / "mentions.csv"), repeat=1)
        timed("export geojson", lambda: export(dataset, "geojson", folder / "events.geojson"), repeat=1)
    finally:
        close(dataset)


if __name__ == "__main__":
    main()
