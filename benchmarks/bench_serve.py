"""Latency of `graphbuild serve` under a burst of concurrent clients: N simple queries sent at
once, each on its own connection, against a real endpoint over the seed articles.

    .venv/bin/python benchmarks/bench_serve.py --clients 200 --rounds 3

Prints p50, p90, p99 and the slowest answer of each round, and how many requests failed.
`--backlog 5` runs the endpoint with http.server's default listen backlog instead of graphbuild's,
for comparison in the same run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = "SELECT ?label WHERE { ?actor a gb:State ; skos:prefLabel ?label } ORDER BY ?label LIMIT 10"


def burst(url: str, clients: int) -> tuple[list[float], int]:
    """Send ``clients`` requests at the same moment; (latencies in seconds, failures)."""
    request = url + "?" + urllib.parse.urlencode({"query": QUERY})
    start = threading.Barrier(clients)

    def one(_) -> float | None:
        start.wait()
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except OSError:
            return None
        return time.perf_counter() - began

    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(clients)))
    latencies = sorted(r for r in results if r is not None)
    return latencies, len(results) - len(latencies)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="query worker processes of the endpoint")
    parser.add_argument("--backlog", type=int, nargs="*", default=[0],
                        help="listen backlogs to compare (0: graphbuild's own, the default)")
    parser.add_argument("-o", "--output", type=Path, help="an existing build folder (default: build the seeds)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        build_dir = args.output
        if build_dir is None:
            build_dir = Path(folder) / "build"
            subprocess.run([sys.executable, "-m", "graphbuild.cli", "build", str(ROOT / "seeds"), "-o", str(build_dir),
                            "--no-view"], check=True, stdout=subprocess.DEVNULL)
        for backlog in args.backlog:
            measure(build_dir, backlog, args)


def measure(build_dir: Path, backlog: int, args) -> None:
    serve_args = ["serve", "-o", str(build_dir), "--port", "0", "--workers", str(args.workers)]
    # The backlog is a class attribute of the server; the comparison sets it before serving.
    program = ("import sys, graphbuild.serve as s, graphbuild.cli as c\n"
               f"if {backlog}: s.SparqlServer.request_queue_size = {backlog}\n"
               f"sys.exit(c.main({serve_args!r}))")
    server = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().split()[2]
        burst(url, 10)  # warm-up
        from graphbuild.serve import LISTEN_BACKLOG

        print(f"{args.clients} concurrent clients, {args.workers} workers, listen backlog {backlog or LISTEN_BACKLOG}, "
              f"load average {os.getloadavg()[0]:.2f}")
        for round_number in range(1, args.rounds + 1):
            latencies, failures = burst(url, args.clients)
            print(f"  round {round_number}: p50 {statistics.median(latencies):.3f} s, "
                  f"p90 {percentile(latencies, 0.90):.3f} s, p99 {percentile(latencies, 0.99):.3f} s, "
                  f"max {latencies[-1]:.3f} s, failed {failures}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
