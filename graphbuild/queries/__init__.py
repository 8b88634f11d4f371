"""Named SPARQL queries for analysts, and running any SPARQL query over a built graph.

Each ``*.rq`` file in this folder is one named query. Its opening comment describes it;
lines of the form ``# param NAME KIND required|optional: description`` declare its
parameters, where KIND is ``literal``, ``date``, ``iri`` or ``name`` (an actor's name or a
form it was mentioned by, bound as its gb:nameKey, case folded, which the
query matches against the keys the writer stored, through the index). A parameter NAME is the query
variable ``?param_NAME``. Values are bound as RDF terms through rdflib's ``initBindings``
(Oxigraph substitutes them, SPARQL SEP-0007), never pasted into the query text, so a
value like ``"} ; DROP ALL`` is only ever a string to compare with. An optional parameter
that is not given is bound to the empty string, and queries test ``STR(?param_x) = ""``
rather than ``BOUND(?param_x)``: Oxigraph folds ``BOUND()`` of a variable no pattern binds
to false before it substitutes the parameters.

Queries run with the union of all named graphs as their default graph, so one pattern
can join a document's events with the entities graph and the ontology graph; ``GRAPH ?g``
still reaches each named graph on its own.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..store import oxigraph_store
from ..vocab import PREFIXES, name_key
from .results import write_boolean, write_csv, write_json, write_table, write_tsv, write_xml

__all__ = [
    "NamedQuery",
    "QueryError",
    "QueryResult",
    "format_result",
    "get_named_query",
    "list_named_queries",
    "run_named_query",
    "run_query",
]

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
PARAM_PREFIX = "param_"
_PARAM_LINE = re.compile(r"^#\s*param\s+(\w+)\s+(literal|date|iri|name|confidence)\s+(required|optional):\s*(.*)$")
# An absolute IRI without the characters Turtle and SPARQL forbid inside <...>.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")


class QueryError(ValueError):
    """A query that cannot run: unknown name, missing or malformed parameter, bad SPARQL."""


@dataclass(frozen=True)
class QueryParameter:
    name: str
    kind: str  # "literal" | "date" | "iri" | "name"
    required: bool
    description: str

    @property
    def variable(self) -> str:
        return PARAM_PREFIX + self.name

    @property
    def option(self) -> str:
        return self.name.replace("_", "-")

    def term(self, value: str):
        """The RDF term a command-line value stands for; rejects malformed dates and IRIs."""
        if self.kind == "date":
            try:
                return Literal(date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
            except ValueError:
                raise QueryError(f"--{self.name} must be a date as YYYY-MM-DD, not {value!r}") from None
        if self.kind == "iri":
            iri = value.strip().removeprefix("<").removesuffix(">")
            if not _IRI.match(iri):
                raise QueryError(f"--{self.name} must be an absolute IRI, not {value!r}")
            return URIRef(iri)
        if self.kind == "name":
            return Literal(name_key(value))
        if self.kind == "confidence":
            try:
                number = float(value)
            except ValueError:
                number = -1.0
            if not 0.0 <= number <= 1.0:
                raise QueryError(f"--{self.name.replace('_', '-')} must be a number from 0 to 1, not {value!r}")
            return Literal(f"{number:.3f}", datatype=XSD.decimal)
        return Literal(value)

    def default(self):
        """The term of an optional parameter not given: the calibrated threshold for a
        confidence, else the empty string (see the module docstring: never leave one unbound)."""
        if self.kind == "confidence":
            from .. import kb

            return self.term(str(kb.load().calibration.threshold))
        return Literal("")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    parameters: tuple[QueryParameter, ...] = ()

    @property
    def usage(self) -> str:
        placeholder = {"literal": "TEXT", "name": "NAME", "date": "YYYY-MM-DD", "iri": "IRI", "confidence": "C"}
        options = " ".join(
            f"--{p.option} {placeholder[p.kind]}" if p.required else f"[--{p.option} {placeholder[p.kind]}]"
            for p in self.parameters
        )
        return f"graphbuild query {self.name} {options}".rstrip()


@dataclass
class QueryResult:
    """A query's answer: ``rows`` for SELECT, ``boolean`` for ASK, ``graph`` for CONSTRUCT/DESCRIBE."""

    kind: str  # "SELECT" | "ASK" | "CONSTRUCT" | "DESCRIBE"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def as_dicts(self) -> list[dict[str, object]]:
        """Rows as {variable: term} with unbound variables left out."""
        return [{name: term for name, term in zip(self.variables, row) if term is not None} for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        index = self.variables.index(name)
        return [None if row[index] is None else str(row[index]) for row in self.rows]


def _parse_named_query(name: str, text: str) -> NamedQuery:
    description_lines, parameters = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM_LINE.match(line)
        if match:
            pname, kind, required, description = match.groups()
            parameters.append(QueryParameter(pname, kind, required == "required", description.strip()))
        else:
            description_lines.append(line.lstrip("#").strip())
    description = " ".join(part for part in description_lines if part)
    return NamedQuery(name, description, text, tuple(parameters))


def list_named_queries() -> list[NamedQuery]:
    """Every named query shipped in this package, by name."""
    folder = resources.files(__name__)
    queries = [
        _parse_named_query(entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    ]
    return sorted(queries, key=lambda query: query.name)


def get_named_query(name: str) -> NamedQuery:
    queries = {query.name: query for query in list_named_queries()}
    if name not in queries:
        raise QueryError(f"no named query {name!r}; the named queries are: {', '.join(sorted(queries))}")
    return queries[name]


def run_named_query(dataset: Dataset, name: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query with its parameters bound as RDF terms; parameter columns are left out."""
    query = get_named_query(name)
    params = {key: value for key, value in (params or {}).items() if value is not None}
    declared = {parameter.name: parameter for parameter in query.parameters}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        accepted = ", ".join(f"--{p.option}" for p in declared.values()) or "no parameters"
        raise QueryError(f"{name} does not take --{unknown[0]}; it takes {accepted}")
    missing = [p.name for p in query.parameters if p.required and p.name not in params]
    if missing:
        raise QueryError(f"{name} needs --{missing[0]}: {declared[missing[0]].description} (usage: {query.usage})")
    bindings = {declared[key].variable: declared[key].term(value) for key, value in params.items()}
    for parameter in query.parameters:
        bindings.setdefault(parameter.variable, parameter.default())
    result = run_query(dataset, query.text, bindings)
    if result.kind == "SELECT":
        keep = [i for i, variable in enumerate(result.variables) if not variable.startswith(PARAM_PREFIX)]
        result.variables = [result.variables[i] for i in keep]
        result.rows = [tuple(row[i] for i in keep) for row in result.rows]
    return result


# Both stores read the query's default graph from the dataset's ``default_union`` flag at
# query time; the flag is switched on only while a query runs, hence the lock.
_UNION_LOCK = threading.Lock()
_QUERY_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def run_query(dataset: Dataset, sparql: str, bindings: dict[str, object] | None = None) -> QueryResult:
    """Run a SPARQL query over the union of the dataset's graphs and collect its answer."""
    store = oxigraph_store(dataset)
    if store is not None:
        try:
            return _run_on_oxigraph(store, sparql, bindings or {})
        except QueryError:
            raise
        except Exception as err:  # Oxigraph raises SyntaxError, OSError, ValueError...
            raise QueryError(f"the query failed: {_one_line(err)}") from None
    with _UNION_LOCK:
        previous = dataset.default_union
        dataset.default_union = True
        try:
            answer = dataset.query(sparql, initNs=_QUERY_PREFIXES, initBindings=bindings or {})
            result = _collect(answer)
        except QueryError:
            raise
        except Exception as err:  # rdflib and Oxigraph raise assorted parser errors
            raise QueryError(f"the query failed: {_one_line(err)}") from None
        finally:
            dataset.default_union = previous
    return result


def _run_on_oxigraph(store: ox.Store, sparql: str, bindings: dict[str, object]) -> QueryResult:
    """The query straight on pyoxigraph, its terms turned into rdflib's here: on large
    results, oxrdflib's per-term conversion took longer than Oxigraph's evaluation (7,000
    events: 2.9 s against 2.8 s), most of it making the same literals again; this converter
    makes each distinct term once per query."""
    answer = store.query(sparql, use_default_graph_as_union=True, prefixes=_QUERY_PREFIXES,
                         substitutions={ox.Variable(name): _to_oxigraph(term) for name, term in bindings.items()})
    convert = functools.lru_cache(maxsize=None)(_from_oxigraph)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in answer:
            graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
        return QueryResult("CONSTRUCT", graph=graph)  # DESCRIBE too, as oxrdflib reports it
    variables = list(answer.variables)
    rows = [tuple(None if (term := solution[variable]) is None else convert(term) for variable in variables)
            for solution in answer]
    return QueryResult("SELECT", variables=[variable.value for variable in variables], rows=rows)


def _to_oxigraph(term):
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def _from_oxigraph(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


_XSD_STRING = str(XSD.string)


def _collect(answer) -> QueryResult:
    if answer.type == "ASK":
        return QueryResult("ASK", boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for s, p, o in answer.graph:
            graph.add((s, p, _plain_literal(o)))
        return QueryResult(answer.type, graph=graph)
    variables = [str(variable) for variable in answer.vars]
    rows = [tuple(_plain_literal(row.get(variable)) for variable in answer.vars) for row in answer.bindings]
    return QueryResult("SELECT", variables=variables, rows=rows)


def _plain_literal(term):
    # Oxigraph returns "x"^^xsd:string where rdflib returns "x"; RDF 1.1 says they are the
    # same term, so make them equal Python objects too.
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:500]


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Text of a result: SELECT/ASK as table, csv, tsv, json (SPARQL 1.1 JSON) or xml;
    CONSTRUCT/DESCRIBE graphs as Turtle (table) or JSON-LD (json)."""
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
    if result.kind == "ASK":
        return write_boolean(bool(result.boolean), fmt)
    if result.graph is not None:
        if fmt in ("table", "json"):
            return result.graph.serialize(format="turtle" if fmt == "table" else "json-ld")
        raise QueryError(f"a {result.kind} result is a graph: use --format table (Turtle) or json (JSON-LD)")
    if fmt == "table":
        return write_table(result.variables, result.rows, shorten=_compact_iri)
    writer = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}[fmt]
    return writer(result.variables, result.rows)


_NAMESPACES_LONGEST_FIRST = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


def _compact_iri(iri: str) -> str:
    for namespace, prefix in _NAMESPACES_LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri

