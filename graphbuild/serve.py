"""A read-only SPARQL 1.1 Protocol endpoint over a built graph.

How it keeps a runaway query from holding the server: queries run in worker processes,
never in the HTTP process. Each worker opens a snapshot of the graph (an Oxigraph store
in a temporary folder) read-only. pyoxigraph has no way to cancel a running query, and a
thread cannot be stopped, so when a query passes the timeout its worker process is killed
and a fresh one takes its place; the client gets 503.

Protocol details:
- GET ``/sparql?query=...`` and POST (``application/x-www-form-urlencoded`` with
  ``query=``, or ``application/sparql-query``); ``default-graph-uri`` and
  ``named-graph-uri`` are honoured. Without them the default graph is the union of all
  graphs, as in ``graphbuild query``.
- Results by content negotiation (``Accept``, or a ``format=`` parameter as some clients
  send): SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle (default),
  N-Triples, RDF/XML or JSON-LD.
- At most ``limit`` rows (or triples); a cut answer carries ``X-Result-Truncated``.
- Updates (``update=``, ``application/sparql-update``) get 403.
- ``/`` without a query shows a small HTML form.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .queries.results import MEDIA_TYPES, write_boolean, write_csv, write_json, write_tsv, write_xml

MAX_REQUEST_BYTES = 1_000_000
DEFAULT_WORKERS = 2
READ_ONLY_MESSAGE = "This SPARQL endpoint is read-only: updates are refused.\n"

RESULT_FORMATS = {  # media type → writer name, for SELECT and ASK
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_FORMATS = {  # media type → RDF format, for CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# Values of a `format=` (or `output=`) parameter, as SPARQLWrapper and others send them.
RESULT_FORMAT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
GRAPH_FORMAT_NAMES = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "n3": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML, "rdf+xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD, "json": ox.RdfFormat.JSON_LD,
}
_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}


# --- the worker side -------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    query: str
    accept: str
    format_name: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    limit: int
    prefixes: dict


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def _worker_main(snapshot: str, connection) -> None:
    """A worker process: answer jobs from the connection until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server process
    store = ox.Store.read_only(snapshot)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the server has gone
            return
        try:
            reply = answer(store, job)
        except Exception as err:  # a bug must not kill the worker silently
            reply = Reply(500, "text/plain; charset=utf-8", f"query failed: {err}\n".encode())
        connection.send(reply)


def answer(store: ox.Store, job: Job) -> Reply:
    """Run one query on a store and serialise its answer as negotiated."""
    options: dict = {"prefixes": job.prefixes}
    try:
        if job.default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if job.named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
        result = store.query(job.query, **options)
    except (SyntaxError, ValueError) as err:
        return _text_reply(400, f"bad query: {err}\n")

    if isinstance(result, ox.QueryBoolean):
        fmt = _negotiate(job, RESULT_FORMATS, RESULT_FORMAT_NAMES, "json")
        if fmt is None:
            return _not_acceptable(RESULT_FORMATS)
        return Reply(200, MEDIA_TYPES[fmt], write_boolean(bool(result), fmt).encode("utf-8"))

    if isinstance(result, ox.QuerySolutions):
        fmt = _negotiate(job, RESULT_FORMATS, RESULT_FORMAT_NAMES, "json")
        if fmt is None:
            return _not_acceptable(RESULT_FORMATS)
        variables = [variable.value for variable in result.variables]
        solutions = list(itertools.islice(result, job.limit + 1))
        truncated = len(solutions) > job.limit
        rows = [tuple(solution[name] for name in variables) for solution in solutions[: job.limit]]
        body = _WRITERS[fmt](variables, rows).encode("utf-8")
        return Reply(200, MEDIA_TYPES[fmt], body, truncated)

    rdf_format = _negotiate(job, GRAPH_FORMATS, GRAPH_FORMAT_NAMES, ox.RdfFormat.TURTLE)
    if rdf_format is None:
        return _not_acceptable(GRAPH_FORMATS)
    triples = list(itertools.islice(result, job.limit + 1))
    body = ox.serialize(triples[: job.limit], format=rdf_format, prefixes=job.prefixes)
    return Reply(200, f"{rdf_format.media_type}; charset=utf-8", body, len(triples) > job.limit)


def _negotiate(job: Job, by_media_type: dict, by_name: dict, default):
    """The format for this answer: a known ``format=`` value, else the best acceptable
    media type, else the default when the client accepts anything (None: 406)."""
    if job.format_name and job.format_name.lower() in by_name:
        return by_name[job.format_name.lower()]
    ranges = _accepted(job.accept)
    if not ranges:
        return default
    for media_range in ranges:
        if media_range in by_media_type:
            return by_media_type[media_range]
        if media_range in ("*/*", "application/*", "text/*"):
            return default
    return None


def _accepted(accept: str) -> list[str]:
    """Media ranges of an Accept header, best first (stable for equal weights)."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        fields = [field.strip() for field in part.split(";")]
        if not fields[0]:
            continue
        weight = 1.0
        for parameter in fields[1:]:
            if parameter.startswith("q="):
                try:
                    weight = float(parameter[2:])
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranges.append((-weight, position, fields[0].lower()))
    return [media for _, _, media in sorted(ranges)]


def _text_reply(status: int, text: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", text.encode("utf-8"))


def _not_acceptable(offered: dict) -> Reply:
    return _text_reply(406, "none of the accepted media types is available; offered: " + ", ".join(offered) + "\n")


# --- the server side -------------------------------------------------------------------

class QueryTimeout(Exception):
    pass


class ServerBusy(Exception):
    pass


class WorkerPool:
    """Worker processes over a read-only snapshot; a worker that overruns is killed and replaced."""

    def __init__(self, snapshot: Path, size: int):
        self.snapshot = str(snapshot)
        self.context = multiprocessing.get_context("spawn")  # fork is unsafe in a threaded server
        self.idle: queue.Queue = queue.Queue()
        self.all: set = set()
        self.lock = threading.Lock()
        for _ in range(size):
            self.idle.put(self._start())

    def _start(self):
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(self.snapshot, theirs), daemon=True)
        process.start()
        theirs.close()
        worker = (process, ours)
        with self.lock:
            self.all.add(worker)
        return worker

    def _replace(self, worker) -> None:
        process, connection = worker
        process.kill()
        process.join()
        connection.close()
        with self.lock:
            self.all.discard(worker)
        # Start the replacement in the background so that the client hears about the
        # timeout at once, not after a new interpreter has started.
        threading.Thread(target=lambda: self.idle.put(self._start()), daemon=True).start()

    def run(self, job: Job, timeout: float) -> Reply:
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy from None
        process, connection = worker
        try:
            connection.send(job)
            if connection.poll(timeout):
                reply = connection.recv()
                self.idle.put(worker)
                return reply
        except (EOFError, OSError):  # the worker died (out of memory, killed)
            self._replace(worker)
            return _text_reply(500, "the query worker died; try a smaller query\n")
        self._replace(worker)
        raise QueryTimeout

    def close(self) -> None:
        with self.lock:
            workers = list(self.all)
        for process, connection in workers:
            process.kill()
            process.join()
            connection.close()


def make_snapshot(dataset, target: Path) -> None:
    """Copy the dataset into an Oxigraph store at ``target`` for the workers to read."""
    from .store import oxigraph_store

    inner = oxigraph_store(dataset)
    if inner is not None:
        # An on-disk store backs up as a RocksDB checkpoint (hard links, near instant); an
        # in-memory one is copied.
        try:
            inner.flush()
            inner.backup(str(target))
            return
        except (OSError, ValueError):
            copy = ox.Store(str(target))
            copy.bulk_extend(inner.quads_for_pattern(None, None, None, None))
            copy.flush()
            return
    copy = ox.Store(str(target))
    copy.bulk_load(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    copy.flush()


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, pool: WorkerPool, timeout: float, limit: int, prefixes: dict):
        super().__init__(address, SparqlRequestHandler)
        self.pool, self.query_timeout, self.limit, self.prefixes = pool, timeout, limit, prefixes

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"


class SparqlRequestHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "graphbuild-sparql"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            return self._send_text(404, "not found: the endpoint is /sparql\n")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._send_text(403, READ_ONLY_MESSAGE)
        if "query" not in params:
            if url.path == "/":
                return self._send(200, "text/html; charset=utf-8", FORM_PAGE.encode("utf-8"))
            return self._send_text(400, "missing the query parameter: /sparql?query=...\n")
        self._run(params["query"][0], params)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            return self._send_text(404, "not found: the endpoint is /sparql\n")
        params = parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            return self._send_text(413, f"request body over {MAX_REQUEST_BYTES} bytes\n")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            return self._send_text(403, READ_ONLY_MESSAGE)
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._send_text(403, READ_ONLY_MESSAGE)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            if "query" not in form:
                return self._send_text(400, "missing the query parameter in the form body\n")
            return self._run(form["query"][0], params)
        if content_type == "application/sparql-query":
            return self._run(body, params)
        return self._send_text(415, "send application/sparql-query or an HTML form (query=...)\n")

    def _refuse_write(self) -> None:
        self.send_response(405)
        self.send_header("Allow", "GET, POST")
        self._finish_text(READ_ONLY_MESSAGE)

    do_PUT = do_DELETE = do_PATCH = _refuse_write  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802 (CORS preflight from browser SPARQL editors)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def _run(self, query: str, params: dict) -> None:
        server = self.server
        format_name = (params.get("format") or params.get("output") or [None])[0]
        job = Job(
            query=query,
            accept=self.headers.get("Accept") or "",
            format_name=format_name,
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            limit=server.limit,
            prefixes=server.prefixes,
        )
        try:
            reply = server.pool.run(job, server.query_timeout)
        except QueryTimeout:
            return self._send_text(503, f"query timed out after {server.query_timeout:g} s and was stopped\n")
        except ServerBusy:
            return self._send_text(503, "all query workers are busy; try again\n")
        extra = {"X-Result-Truncated": f"limit {server.limit}"} if reply.truncated else {}
        self._send(reply.status, reply.content_type, reply.body, extra)

    def _send_text(self, status: int, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"))

    def _finish_text(self, text: str) -> None:
        body = text.encode("utf-8")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def serve(dataset, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, limit: int = 10000,
          workers: int = DEFAULT_WORKERS, release_store: bool = False, ready=None) -> None:
    """Serve a snapshot of the dataset until interrupted. ``port=0`` picks a free port; the
    URL is printed (and passed to ``ready`` if given) once the endpoint accepts queries.
    With ``release_store`` the dataset is closed once the snapshot is taken, so that builds
    and queries can use the build folder while the endpoint runs."""
    from .vocab import PREFIXES

    if timeout <= 0 or limit <= 0:
        raise ValueError("timeout and limit must be positive")
    folder = Path(tempfile.mkdtemp(prefix="graphbuild-serve-"))
    pool = None
    previous_sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        make_snapshot(dataset, folder / "snapshot")
        if release_store:
            from .store import close

            close(dataset)
        pool = WorkerPool(folder / "snapshot", workers)
        prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        with SparqlServer((host, port), pool, timeout, limit, prefixes) as server:
            print(f"SPARQL endpoint: {server.url}  (read-only; timeout {timeout:g} s; at most {limit} results; "
                  "Ctrl-C stops)", flush=True)
            if ready:
                ready(server.url)
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        if pool:
            pool.close()
        shutil.rmtree(folder, ignore_errors=True)


def _exit_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # unwinds serve() so that workers and the snapshot are cleaned up


FORM_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>graphbuild SPARQL endpoint</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
textarea{width:100%;font-family:monospace;font-size:0.9rem}</style></head>
<body><h1>graphbuild SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code>. The default graph is the union of all
graphs; the prefixes gb:, plover:, kb:, skos:, prov:, dcterms:, nif: and others are predeclared.</p>
<form action="/sparql" method="get">
<textarea name="query" rows="14">SELECT ?source ?type ?target ?evidence WHERE {
  ?event a gb:Event ; gb:eventType ?t ; gb:source/skos:prefLabel ?source ;
         gb:evidence/nif:anchorOf ?evidence .
  OPTIONAL { ?event gb:target/skos:prefLabel ?target }
  BIND(STRAFTER(STR(?t), "#") AS ?type)
} LIMIT 50</textarea>
<p><label>Results as <select name="format">
<option value="json">SPARQL JSON</option><option value="xml">SPARQL XML</option>
<option value="csv">CSV</option><option value="tsv">TSV</option>
<option value="turtle">Turtle (CONSTRUCT)</option></select></label>
<button type="submit">Run</button></p></form></body></html>
"""


if __name__ == "__main__":  # pragma: no cover - `graphbuild serve` is the entry point
    sys.exit("run `graphbuild serve`")
