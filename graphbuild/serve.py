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
- At most ``limit`` rows (or triples) and ``max_bytes`` bytes; a cut answer carries
  ``X-Result-Truncated``.
- Updates (``update=``, ``application/sparql-update``) get 403.
- ``/`` without a query shows a small HTML form.

Security model (the README's "Security model" says it for users):
- No outbound requests. ``SERVICE`` is the only way a SPARQL query reaches the network, and
  pyoxigraph has no switch to turn its HTTP client off. So each query is parsed with rdflib's
  SPARQL parser first and refused (400) if its syntax tree holds a SERVICE pattern anywhere;
  Oxigraph then runs exactly the text rdflib parsed (after rdflib's own pre-processing), so the
  two parsers cannot read different queries into it. Beneath that, each worker process blocks
  itself from making Internet sockets (a seccomp filter), so even a query the check missed
  could not connect. ``allow_service`` lifts both.
- DNS rebinding: a request whose ``Host`` names another host than this endpoint's is refused.
- Other web pages: a browser request from another origin (``Origin``, ``Sec-Fetch-Site``) is
  refused and no CORS header is sent, unless the origin is allowed (``allow_origins``) or
  ``cors`` allows every origin.
- Slow or malformed requests: a request must arrive whole within ``request_seconds``; a bad
  ``Content-Length`` gets 400 at once.
- Runaway queries: the timeout (the worker is killed), and an address-space limit on each
  worker (``worker_memory_mb`` above what it holds once started).
"""

from __future__ import annotations

import errno
import itertools
import multiprocessing
import queue
import re
import resource
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .queries.results import MEDIA_TYPES, write_boolean, write_results

MAX_REQUEST_BYTES = 1_000_000
DEFAULT_WORKERS = 2
DEFAULT_MAX_BYTES = 10_000_000  # of one answer
DEFAULT_WORKER_MEMORY_MB = 1024  # address space a worker may add while answering
DEFAULT_REQUEST_SECONDS = 10.0  # a request (line, headers and body) must arrive within this
LISTEN_BACKLOG = 256  # connections the kernel queues while every handler thread is busy
WORKER_START_SECONDS = 120.0
READ_ONLY_MESSAGE = "This SPARQL endpoint is read-only: updates are refused.\n"
SERVICE_REFUSED = ("SERVICE (a federated query) is refused: this endpoint never sends requests to other "
                   "servers. Start it with `graphbuild serve --allow-service` to allow them.\n")

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


# --- the worker side -------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    query: str
    accept: str
    format_name: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    limit: int
    max_bytes: int
    prefixes: dict


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    truncated: str | None = None  # the X-Result-Truncated value of a cut answer


@dataclass(frozen=True)
class WorkerSettings:
    snapshot: str
    allow_service: bool
    memory_mb: int


def _worker_main(settings: WorkerSettings, connection) -> None:
    """A worker process: report that it is ready (and whether it is cut off from the network),
    then answer jobs from the connection until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server process
    store = ox.Store.read_only(settings.snapshot)
    isolated = False if settings.allow_service else block_internet_sockets()
    _limit_memory(settings.memory_mb)
    connection.send(isolated)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the server has gone
            return
        try:
            reply = answer(store, job, settings.allow_service)
        except MemoryError:
            reply = _text_reply(503, f"the query needed more than the worker's {settings.memory_mb} MB and was stopped\n")
        except Exception as err:  # a bug must not kill the worker silently
            reply = _text_reply(500, f"query failed: {err}\n")
        connection.send(reply)


def block_internet_sockets() -> bool:
    """Forbid this process (and threads it starts) to open IPv4 and IPv6 sockets, with a seccomp
    filter: the kernel then refuses any connection Oxigraph's HTTP client would make. Sockets
    already open (the pipe to the server) keep working. False if the system cannot do it."""
    try:
        import pyseccomp as seccomp  # loads libseccomp.so.2

        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for family in (socket.AF_INET, socket.AF_INET6):
            rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
        rules.load()
    except (ImportError, OSError, RuntimeError, ValueError):
        return False
    return True


def _limit_memory(megabytes: int) -> None:
    """Cap the address space at what the worker holds now plus ``megabytes``: a runaway query then
    fails to allocate (Python raises MemoryError; Oxigraph's Rust code aborts the worker) instead
    of growing until the machine swaps. The base is measured, since an idle worker already maps
    hundreds of megabytes it never touches (thread stacks, allocator arenas)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration):  # no /proc (not Linux): the timeout is the only limit
        return
    cap = size_kb * 1024 + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def answer(store: ox.Store, job: Job, allow_service: bool = False) -> Reply:
    """Check one query against the policy, run it on a store and serialise its answer as negotiated."""
    options: dict = {"prefixes": job.prefixes}
    try:
        query = job.query if allow_service else checked_query(job.query)
        if job.default_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if job.named_graphs:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
        result = store.query(query, **options)
    except QueryRefused as err:
        return _text_reply(400, str(err))
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
        rows = (tuple(solution[name] for name in variables) for solution in result)
        written = write_results(fmt, variables, rows, max_rows=job.limit, max_bytes=job.max_bytes)
        return Reply(200, MEDIA_TYPES[fmt], written.text.encode("utf-8"), _truncation(job, written.cut))

    rdf_format = _negotiate(job, GRAPH_FORMATS, GRAPH_FORMAT_NAMES, ox.RdfFormat.TURTLE)
    if rdf_format is None:
        return _not_acceptable(GRAPH_FORMATS)
    triples, size, cut = [], 0, None
    for triple in itertools.islice(result, job.limit + 1):
        if len(triples) == job.limit:
            cut = "rows"
            break
        size += len(str(triple).encode("utf-8")) + 3  # its N-Triples line: the cap counts graphs so
        if size > job.max_bytes:
            cut = "bytes"
            break
        triples.append(triple)
    body = ox.serialize(triples, format=rdf_format, prefixes=job.prefixes)
    return Reply(200, f"{rdf_format.media_type}; charset=utf-8", body, _truncation(job, cut))


def _truncation(job: Job, cut: str | None) -> str | None:
    return {"rows": f"limit {job.limit}", "bytes": f"max-bytes {job.max_bytes}", None: None}[cut]


class QueryRefused(Exception):
    """A query the endpoint will not run; the message is the client's answer."""


_LINE_BREAKS = re.compile("\r\n?")


def checked_query(text: str) -> str:
    """The query to run, if it holds no SERVICE pattern (QueryRefused otherwise).

    rdflib parses it into a syntax tree, which is searched for SERVICE wherever it is (inside
    OPTIONAL, MINUS, EXISTS, subqueries; SILENT or not; in any letter case, with comments or
    escapes). What Oxigraph runs must be what rdflib parsed, so both get one text: line breaks
    made line feeds (rdflib ends a comment only there, Oxigraph at a carriage return too, which
    could hide a SERVICE from one parser), and codepoint escapes (\\u0053ERVICE) expanded once,
    as rdflib expands them before it parses.
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery

    text = _LINE_BREAKS.sub("\n", text)
    try:
        tree = parseQuery(text)
    except Exception as err:  # pyparsing's ParseException, RecursionError on deep nesting...
        raise QueryRefused(f"bad query: {' '.join(str(err).split())[:300]}\n") from None
    if _holds_service(tree):
        raise QueryRefused(SERVICE_REFUSED)
    return expandUnicodeEscapes(text)


def _holds_service(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [node]
    while pending:  # iterative: a deeply nested query must not exhaust the stack here
        item = pending.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            pending.extend(item)
    return False


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

    def __init__(self, settings: WorkerSettings, size: int):
        self.settings = settings
        self.context = multiprocessing.get_context("spawn")  # fork is unsafe in a threaded server
        self.idle: queue.Queue = queue.Queue()
        self.all: set = set()
        self.lock = threading.Lock()
        self.isolated = True  # every worker is cut off from the network
        for _ in range(size):
            self.idle.put(self._start())

    def _start(self):
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(self.settings, theirs), daemon=True)
        process.start()
        theirs.close()
        if not ours.poll(WORKER_START_SECONDS):
            process.kill()
            raise RuntimeError("a query worker did not start")
        isolated = ours.recv()
        worker = (process, ours)
        with self.lock:
            self.all.add(worker)
            self.isolated = self.isolated and isolated
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
        except (EOFError, OSError):  # the worker died: its memory cap (Oxigraph aborts), or killed
            self._replace(worker)
            return _text_reply(503, f"the query worker stopped (a query may use at most "
                               f"{self.settings.memory_mb} MB); try a smaller query\n")
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


@dataclass(frozen=True)
class AccessPolicy:
    """Who may use the endpoint from where (see the module docstring)."""

    allow_hosts: frozenset[str] = frozenset()  # more Host names to answer to
    allow_origins: frozenset[str] = frozenset()  # web origins whose pages may read answers
    cors: bool = False  # every origin may (Access-Control-Allow-Origin: *)
    allow_service: bool = False  # SERVICE may fetch from other servers


_DECIMAL = re.compile(r"[0-9]{1,12}")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG  # http.server's 5 made clients wait seconds under bursts

    def __init__(self, address, pool: WorkerPool, timeout: float, limit: int, max_bytes: int, prefixes: dict,
                 policy: AccessPolicy, request_seconds: float = DEFAULT_REQUEST_SECONDS):
        super().__init__(address, SparqlRequestHandler)
        self.pool, self.query_timeout, self.limit, self.max_bytes = pool, timeout, limit, max_bytes
        self.prefixes, self.policy, self.request_seconds = prefixes, policy, request_seconds
        host, port = self.server_address[:2]
        bound = f"[{host}]" if ":" in host else host
        names = LOOPBACK_NAMES | {bound} | policy.allow_hosts
        self.hosts = {f"{name.lower()}:{port}" for name in names} | ({name.lower() for name in names} if port == 80 else set())
        self.own_origins = {f"http://{host}" for host in self.hosts}

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"


class _DeadlineReader:
    """The request stream of one connection, which must deliver the whole request before a
    deadline: each read may wait only for the time left, so a client sending a byte now and
    then cannot hold a handler thread for long."""

    def __init__(self, stream, connection: socket.socket, seconds: float):
        self.stream, self.connection, self.deadline = stream, connection, time.monotonic() + seconds

    def _wait_at_most(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)

    def readline(self, size: int = -1) -> bytes:
        self._wait_at_most()
        return self.stream.readline(size)

    def read(self, size: int) -> bytes:
        chunks, left = [], size
        while left > 0:
            self._wait_at_most()
            chunk = self.stream.read1(min(left, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.stream.close()


class SparqlRequestHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "graphbuild-sparql"

    def setup(self) -> None:
        self.timeout = self.server.request_seconds  # the socket's; _DeadlineReader bounds the whole request
        super().setup()
        self.rfile = _DeadlineReader(self.rfile, self.connection, self.server.request_seconds)

    def parse_request(self) -> bool:
        """Parse the request line and headers, then refuse foreign hosts and origins before any
        method runs."""
        if not super().parse_request():
            return False
        refusal = self._refusal()
        if refusal:
            self._send_text(403, refusal)
            return False
        return True

    def _refusal(self) -> str | None:
        server, policy = self.server, self.server.policy
        host = (self.headers.get("Host") or "").strip().lower()
        if host and host not in server.hosts:
            return (f"this endpoint does not answer to Host {host!r} (a defence against DNS rebinding); "
                    "start it with --allow-host NAME to answer to that name\n")
        origin = self.headers.get("Origin")
        site = (self.headers.get("Sec-Fetch-Site") or "").lower()
        cross = (origin is not None and origin not in server.own_origins) or (
            site in ("cross-site", "same-site") and (self.headers.get("Sec-Fetch-Mode") or "") != "navigate")
        if cross and not (policy.cors or origin in policy.allow_origins):
            return (f"requests from other web pages (origin {origin or 'unknown'}) are refused; start the "
                    "endpoint with --allow-origin ORIGIN (or --cors for every origin) to allow them\n")
        return None

    def _cors_headers(self) -> dict:
        policy, origin = self.server.policy, self.headers.get("Origin")
        if policy.cors:
            return {"Access-Control-Allow-Origin": "*"}
        if origin and origin in policy.allow_origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

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
        if self.headers.get("Transfer-Encoding"):
            return self._send_text(411, "send the body with a Content-Length, not chunked\n")
        lengths = set(self.headers.get_all("Content-Length") or ["0"])
        if len(lengths) > 1 or not _DECIMAL.fullmatch(next(iter(lengths)).strip()):
            return self._send_text(400, "Content-Length must be one decimal number of bytes\n")
        length = int(next(iter(lengths)))
        if length > MAX_REQUEST_BYTES:
            return self._send_text(413, f"request body over {MAX_REQUEST_BYTES} bytes\n")
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            return self._send_text(408, f"the request body did not arrive within {self.server.request_seconds:g} s\n")
        if len(raw) < length:
            return self._send_text(400, f"the body ended after {len(raw)} of {length} bytes\n")
        body = raw.decode("utf-8", errors="replace")
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
        # A preflight from a foreign origin was refused in parse_request unless it is allowed.
        self.send_response(204)
        for name, value in self._cors_headers().items():
            self.send_header(name, value)
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
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
            max_bytes=server.max_bytes,
            prefixes=server.prefixes,
        )
        try:
            reply = server.pool.run(job, server.query_timeout)
        except QueryTimeout:
            return self._send_text(503, f"query timed out after {server.query_timeout:g} s and was stopped\n")
        except ServerBusy:
            return self._send_text(503, "all query workers are busy; try again\n")
        extra = {"X-Result-Truncated": reply.truncated} if reply.truncated else {}
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
        # Reading the request may have left the socket only the deadline's last moments; the
        # answer gets the whole allowance for each write.
        self.connection.settimeout(self.server.request_seconds)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for name, value in {**self._cors_headers(), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def serve(dataset, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, limit: int = 10000,
          workers: int = DEFAULT_WORKERS, release_store: bool = False, ready=None,
          max_bytes: int = DEFAULT_MAX_BYTES, worker_memory_mb: int = DEFAULT_WORKER_MEMORY_MB,
          policy: AccessPolicy = AccessPolicy(), request_seconds: float = DEFAULT_REQUEST_SECONDS) -> None:
    """Serve a snapshot of the dataset until interrupted. ``port=0`` picks a free port; the
    URL is printed (and passed to ``ready`` if given) once the endpoint accepts queries.
    With ``release_store`` the dataset is closed once the snapshot is taken, so that builds
    and queries can use the build folder while the endpoint runs."""
    from .vocab import PREFIXES

    if min(timeout, limit, max_bytes, worker_memory_mb, request_seconds) <= 0:
        raise ValueError("timeout, limit, max_bytes, worker_memory_mb and request_seconds must be positive")
    folder = Path(tempfile.mkdtemp(prefix="graphbuild-serve-"))
    pool = None
    previous_sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        make_snapshot(dataset, folder / "snapshot")
        if release_store:
            from .store import close

            close(dataset)
        pool = WorkerPool(WorkerSettings(str(folder / "snapshot"), policy.allow_service, worker_memory_mb), workers)
        prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        with SparqlServer((host, port), pool, timeout, limit, max_bytes, prefixes, policy, request_seconds) as server:
            print(f"SPARQL endpoint: {server.url}  (read-only; timeout {timeout:g} s; at most {limit} results "
                  f"and {max_bytes:,} bytes; Ctrl-C stops)", flush=True)
            print(_outbound_note(policy, pool.isolated), flush=True)
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


def _outbound_note(policy: AccessPolicy, isolated: bool) -> str:
    if policy.allow_service:
        return "Outbound requests: SERVICE may fetch from any server (--allow-service)."
    if isolated:
        return "Outbound requests: none (SERVICE is refused; query workers cannot open network sockets)."
    return ("Outbound requests: none (SERVICE is refused). Note: this system cannot stop the query workers "
            "from opening network sockets (no seccomp), so the query check is the only guard.")


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
