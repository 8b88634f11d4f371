"""Every named query in graphbuild/queries/, timed: on a real build (``--build DIR``, e.g.
the Wikinews corpus repeated to a million triples by benchmarks/bench_scale.py --keep DIR),
or on synthetic graphs made with the real RDF writer in Oxigraph (through oxrdflib) and in
rdflib's memory store, with load time and an export.

    .venv/bin/python benchmarks/bench_sparql.py --build /tmp/real     # a real-text store
    .venv/bin/python benchmarks/bench_sparql.py --triples 1000000     # synthetic stores

Parameters are chosen from the graph itself: the actor in most events, its most frequent
counterpart, and one of its events; a query found in the folder is run whatever its name.

The synthetic corpus: documents of template sentences between generated actors (states
with ISO-like codes, people belonging to them), each sentence an event of a random PLOVER
type and modality, plus quotations and roles, so every named query has work to do.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from graphbuild.model import Actor, Document, Event, Extraction, Role, Statement, TextSpan
from graphbuild.rdf.writer import document_quads, entity_quads, name_key_quads
from graphbuild.store import LocalStore, add_quads, close, open_dataset
from graphbuild.vocab import actor_iri

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "asserted", "asserted", "negated", "hypothetical")
EVENTS_PER_DOCUMENT = 8
QUOTES_PER_DOCUMENT = 3
QUADS_PER_DOCUMENT = 390  # measured with the settings above; used to size the corpus


def synthetic_corpus(documents: int, states: int = 60, people: int = 400, seed: int = 7):
    rng = random.Random(seed)
    state_names = [f"State{n:03d}" for n in range(states)]
    codes = [f"S{n:02d}" if n < 100 else f"{n:03d}" for n in range(states)]
    person_names = [f"Person {n:04d}" for n in range(people)]
    person_state = {name: rng.randrange(states) for name in person_names}
    extractions, entities = [], {}
    for number in range(documents):
        parts, events, statements, roles, actors = [], [], [], [], {}

        def mention(name: str, kind: str, country: str, start: int) -> None:
            key = f"{kind}:{name}"
            if key not in actors:
                actors[key] = Actor(key, name, kind, country=country, iri=str(actor_iri(kind, name)))
                entities[key] = actors[key]
            actors[key].mentions.append(TextSpan(start, start + len(name), name))

        offset = 0
        for _ in range(EVENTS_PER_DOCUMENT):
            source, target = rng.sample(range(states), 2)
            event_type, modality = rng.choice(PLOVER_TYPES), rng.choice(MODALITIES)
            sentence = f"{state_names[source]} did {event_type.lower()} toward {state_names[target]}."
            mention(state_names[source], "Country", codes[source], offset)
            target_start = offset + sentence.index(" toward ") + len(" toward ")
            mention(state_names[target], "Country", codes[target], target_start)
            trigger_start = offset + len(state_names[source]) + 5
            events.append(Event(event_type, f"Country:{state_names[source]}", f"Country:{state_names[target]}",
                                modality, TextSpan(trigger_start, trigger_start + len(event_type), event_type.lower()),
                                TextSpan(offset, offset + len(sentence), sentence)))
            parts.append(sentence)
            offset += len(sentence) + 1
        for _ in range(QUOTES_PER_DOCUMENT):
            speaker = rng.choice(person_names)
            state = person_state[speaker]
            quote = f"We stand by our position number {rng.randrange(10**6)}"
            sentence = f"\u201C{quote},\u201D said Minister {speaker} of {state_names[state]}."
            speaker_start = offset + sentence.index(speaker)
            mention(speaker, "Person", codes[state], speaker_start)
            mention(state_names[state], "Country", codes[state], speaker_start + len(speaker) + 4)
            statements.append(Statement(f"Person:{speaker}", quote, TextSpan(offset + 1, offset + 1 + len(quote), quote),
                                        TextSpan(offset, offset + len(sentence), sentence)))
            role_start = offset + sentence.index("Minister")
            roles.append(Role(f"Person:{speaker}", "Minister", f"Country:{state_names[state]}",
                              TextSpan(role_start, speaker_start + len(speaker), sentence[role_start - offset:
                                                                                          speaker_start - offset + len(speaker)])))
            parts.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(parts)
        document = Document(f"synthetic-{number:06d}.txt", text, title=f"Report {number}", publisher="Synthetic Wire",
                            source=f"https://synthetic.example/{number}", content_hash=str(number))
        extractions.append(Extraction(document, actors=list(actors.values()), events=events,
                                      statements=statements, roles=roles))
    return extractions, list(entities.values())


def load(kind: str, folder: Path, extractions, entities) -> tuple[object, float]:
    from graphbuild.pipeline import load_ontology

    started = time.perf_counter()
    dataset = open_dataset(folder, kind)
    batch = []
    for extraction in extractions:
        batch.extend(document_quads(extraction))
        if len(batch) > 50_000:
            add_quads(dataset, batch)
            batch = []
    add_quads(dataset, batch)
    add_quads(dataset, [*entity_quads(entities, []), *name_key_quads(extractions)])
    load_ontology(LocalStore(dataset))
    return dataset, time.perf_counter() - started


def timed(function, *args) -> tuple[object, float]:
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def timed_cpu(function, *args) -> tuple[object, float, float]:
    """(value, wall seconds, CPU seconds of this process): on a shared machine the CPU time
    says what the query costs, the wall time what it cost at that moment."""
    cpu = time.process_time()
    value, wall = timed(function, *args)
    return value, wall, time.process_time() - cpu


def parameters(dataset, query) -> dict[str, str] | None:
    """Values for a named query's parameters, picked from the graph (None: cannot fill one)."""
    from graphbuild.queries import run_query

    top = run_query(dataset, """SELECT ?name ?other (COUNT(*) AS ?n) (SAMPLE(?event) AS ?example) WHERE {
        ?event gb:source/skos:prefLabel ?name ; gb:target/skos:prefLabel ?other }
        GROUP BY ?name ?other ORDER BY DESC(?n) LIMIT 1""").rows[0]
    by_kind = {"name": str(top[0]), "iri": str(top[3])}
    values = {}
    for parameter in query.parameters:
        if parameter.name == "other":
            values["other"] = str(top[1])
        elif parameter.kind in by_kind:
            values[parameter.name] = by_kind[parameter.kind]
        elif parameter.required:
            return None
    return values


def time_named_queries(dataset, repeat: int = 3) -> dict[str, str]:
    """Every named query with parameters picked from the graph: best of ``repeat`` runs."""
    from graphbuild.queries import list_named_queries, run_named_query

    column = {}
    for query in list_named_queries():
        params = parameters(dataset, query)
        if params is None:
            column[query.name] = "(no parameter value found)"
            continue
        runs = [timed_cpu(run_named_query, dataset, query.name, params) for _ in range(repeat)]
        result, wall, cpu = min(runs, key=lambda run: run[1])
        column[query.name] = f"{wall:.2f} s, CPU {cpu:.2f} s ({len(result.rows)} rows)"
        print(f"{query.name:28} {column[query.name]}  {params}", file=sys.stderr, flush=True)
    return column


def main(argv: list[str] | None = None) -> int:
    from graphbuild.export import export
    from graphbuild.queries import run_query
    from graphbuild.store import existing_dataset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, help="time the queries on this build folder's store")
    parser.add_argument("--triples", type=int, default=1_000_000, help="approximate size (default: 1,000,000)")
    parser.add_argument("--stores", default="oxigraph,memory", help="comma-separated store kinds")
    args = parser.parse_args(argv)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    table: dict[str, dict[str, str]] = {}
    if args.build:
        dataset = existing_dataset(args.build)
        documents = int(run_query(dataset, "SELECT (COUNT(*) AS ?n) WHERE { ?d a gb:Document }").rows[0][0])
        column = table.setdefault(f"{args.build.name} (real text)", {})
        column["quads"] = f"{len(dataset):,}"
        column.update(time_named_queries(dataset))
        close(dataset)
        caption = f"{documents:,} real documents"
    else:
        documents = max(1, args.triples // QUADS_PER_DOCUMENT)
        extractions, entities = synthetic_corpus(documents)
        for kind in args.stores.split(","):
            with tempfile.TemporaryDirectory() as folder:
                dataset, seconds = load(kind, Path(folder), extractions, entities)
                column = table.setdefault(kind, {})
                quads = int(run_query(dataset, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
                column["quads"] = f"{quads:,}"
                column["load"] = f"{seconds:.1f} s"
                column.update(time_named_queries(dataset, repeat=1))
                _, seconds = timed(export, dataset, "nq", Path(folder) / "graph.nq")
                column["export nq"] = f"{seconds:.1f} s"
                close(dataset)
        caption = f"{documents:,} synthetic documents"
    kinds = list(table)
    rows = list(next(iter(table.values())))
    width = max(len(row) for row in rows)
    widths = [max(len(kind), *(len(table[kind].get(row, "")) for row in rows)) for kind in kinds]
    print(caption)
    print(f"{'':{width}}  " + "  ".join(f"{kind:>{w}}" for kind, w in zip(kinds, widths)))
    for row in rows:
        print(f"{row:{width}}  " + "  ".join(f"{table[kind].get(row, ''):>{w}}" for kind, w in zip(kinds, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
