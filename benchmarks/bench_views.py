"""Benchmark (not a test): a 5,000-actor, 20,000-event view, built and opened in headless Chromium.

The graph is synthetic but goes the whole real way: model dataclasses → RDF writer → Oxigraph
store → actor network (SPARQL) → HTML view → Chromium. Actors are linked by preferential
attachment (a few hubs, many small actors, as in news). Reported per view:

- build: seconds to read the network from the store, lay it out and write the HTML; file size;
- drawn: milliseconds from navigation start to vis-network's first complete drawing;
- settled: until the layout is final (physics stopped after stabilisation, or never on);
- redraw / select / filter: one full redraw, a click selection with its details panel, and one
  event-type filter toggle, in milliseconds, once the view is up: what interaction feels like.

Usage: .venv/bin/python benchmarks/bench_views.py [--actors 5000] [--events 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graphbuild.model import Actor, Document, Event, Extraction, TextSpan
from graphbuild.network import actor_network
from graphbuild.rdf.writer import document_quads, entity_quads
from graphbuild.store import add_quads, close, open_dataset
from graphbuild.vocab import actor_iri
from graphbuild.views.html import render_view, select_view
from graphbuild.views.screenshot import headless_chromium, wait_until_drawn

EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT",
               "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
ACTOR_TYPES = ("Person", "Organization", "Country")
EVENTS_PER_DOCUMENT = 100


def synthetic_extractions(actor_count: int, event_count: int, seed: int = 1) -> tuple[list[Extraction], list[Actor]]:
    rng = random.Random(seed)
    links = nx.barabasi_albert_graph(actor_count, max(1, event_count // actor_count), seed=seed)
    pairs = list(links.edges())
    while len(pairs) < event_count:
        pairs.append(tuple(rng.sample(range(actor_count), 2)))
    pairs = pairs[:event_count]
    actors = [Actor(key=f"a{i}", name=f"Actor {i}", type=rng.choice(ACTOR_TYPES)) for i in range(actor_count)]
    for actor in actors:
        actor.iri = str(actor_iri(actor.type, actor.name))
    extractions = []
    start = dt.date(2024, 1, 1)
    for first in range(0, len(pairs), EVENTS_PER_DOCUMENT):
        chunk = pairs[first:first + EVENTS_PER_DOCUMENT]
        sentences = [f"Actor {a} dealt with Actor {b} (report {first + k})." for k, (a, b) in enumerate(chunk)]
        text = " ".join(sentences)
        number = first // EVENTS_PER_DOCUMENT
        document = Document(id=f"synthetic-{number}", text=text, title=f"Synthetic report {number}",
                            publisher=f"Wire {number % 7}", published=start + dt.timedelta(days=number % 365),
                            content_hash=str(number))
        events, offset = [], 0
        for (a, b), sentence in zip(chunk, sentences):
            span = TextSpan(offset, offset + len(sentence), sentence)
            offset += len(sentence) + 1
            events.append(Event(type=rng.choice(EVENT_TYPES), source=f"a{a}", target=f"a{b}",
                                modality=rng.choices(("asserted", "hypothetical", "negated"), (8, 2, 1))[0],
                                trigger=span, sentence=span))
        involved = {key for a, b in chunk for key in (f"a{a}", f"a{b}")}
        extractions.append(Extraction(document=document, actors=[x for x in actors if x.key in involved], events=events))
    return extractions, actors


def measure_in_browser(driver, path: Path) -> dict:
    driver.get("about:blank")
    driver.get(path.resolve().as_uri())
    wait_until_drawn(driver, timeout=600)
    while not driver.execute_script("return window.graphView.settled"):
        time.sleep(0.1)
    timings = driver.execute_script("""
        const v = window.graphView, net = v.network;
        const result = {drawn: v.drawnAt, settled: v.settledAt};
        let t = performance.now();
        for (let i = 0; i < 3; i++) net.redraw();
        result.redraw = (performance.now() - t) / 3;
        const id = v.nodes.getIds()[0];
        t = performance.now();
        net.selectNodes([id]); v.showActor(id); net.redraw();
        result.select = performance.now() - t;
        const box = document.querySelector('#filter-event-types input');
        t = performance.now();
        box.click(); net.redraw();
        result.filter = performance.now() - t;
        box.click();
        return result;
    """)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--keep", type=Path, help="also copy the HTML views into this folder")
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-views-") as folder:
        folder = Path(folder)
        started = time.perf_counter()
        extractions, actors = synthetic_extractions(args.actors, args.events)
        dataset = open_dataset(folder, "oxigraph")
        for extraction in extractions:
            add_quads(dataset, document_quads(extraction))
        add_quads(dataset, entity_quads(actors, []))
        print(f"RDF written: {len(extractions)} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        started = time.perf_counter()
        network = actor_network(dataset)
        read_seconds = time.perf_counter() - started
        close(dataset)
        print(f"network: {network.number_of_nodes()} actors, {network.number_of_edges()} edges "
              f"read in {read_seconds:.1f} s", file=sys.stderr)

        views = [("full", None), ("top 500", 500), ("top 100", 100)]
        pages = []
        for name, max_nodes in views:
            started = time.perf_counter()
            view = select_view(network, max_nodes=max_nodes)
            page = folder / f"view-{name.replace(' ', '-')}.html"
            page.write_text(render_view(view), encoding="utf-8")
            pages.append((name, view, page, time.perf_counter() - started))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / page.name).write_bytes(page.read_bytes())

        with headless_chromium() as driver:
            for name, view, page, build_seconds in pages:
                timings = measure_in_browser(driver, page)
                rows.append((name, view.graph.number_of_nodes(), view.graph.number_of_edges(),
                             page.stat().st_size / 1e6, build_seconds, timings))

    print(f"\nactor network read from Oxigraph: {read_seconds:.1f} s")
    header = ("view", "actors", "edges", "MB", "build s", "drawn ms", "settled ms", "redraw ms", "select ms", "filter ms")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, nodes, edges, size, build_seconds, t in rows:
        print(f"| {name} | {nodes:,} | {edges:,} | {size:.1f} | {build_seconds:.1f} | {t['drawn']:.0f} | "
              f"{t['settled']:.0f} | {t['redraw']:.0f} | {t['select']:.0f} | {t['filter']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
