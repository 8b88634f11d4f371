"""Exports of a built graph into the formats other tools read.

- RDF: Turtle and N-Triples (all graphs merged), TriG and N-Quads (named graphs kept),
  JSON-LD (named graphs kept, compacted with the context shipped as
  ``graphbuild/context.jsonld`` and embedded in the output, so readers need no network).
  With an Oxigraph store the RDF formats except JSON-LD use Oxigraph's own serialisers.
- facts: one JSON object per document (FORMAT.md shape), one per line.
- graphml, gexf: the actor network (``graphbuild.network.actor_network``) for Gephi,
  Cytoscape or networkx.
- csv: one row per event, GDELT-like columns (see ``EVENT_COLUMNS``); mentions-csv: one row
  per mention of an event cluster, like GDELT's Mentions table (``MENTION_COLUMNS``).
- geojson: an RFC 7946 FeatureCollection of the events that have a located place.

Files are written atomically: a temporary file beside the target, then a rename.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .store import is_oxigraph, oxigraph_store
from .vocab import PREFIXES

RDF_FORMATS = ("ttl", "trig", "nt", "nq", "jsonld")
FORMATS = RDF_FORMATS + ("facts", "graphml", "gexf", "csv", "mentions-csv", "geojson")
PUBLISHED_CONTEXT_URL = "https://w3id.org/graphbuild/context.jsonld"

_OXIGRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
_RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads"}
_DATASET_FORMATS = ("trig", "nq", "jsonld")  # keep named graphs; the others merge them

# The events CSV: GDELT-like columns, in this order, from the `events` named query.
EVENT_COLUMNS = (
    "date", "source_actor", "source_country", "event_type", "cameo_root", "quad_class", "intensity",
    "target_actor", "target_country", "place", "modality", "source_url", "evidence", "document", "event",
    "cluster", "num_mentions", "num_sources", "num_articles", "action_geo_lat", "action_geo_long",
    "action_geo_country", "confidence",
)
# The mentions CSV, from the `mentions` named query.
MENTION_COLUMNS = (
    "cluster", "event_date", "mention_date", "mention_kind", "modality", "source_name", "source_url", "document",
    "sentence_start", "sentence_end", "action_offset", "confidence", "mention",
)
# Event properties in the GeoJSON export, from the `events` query's columns.
GEOJSON_PROPERTIES = (
    "event", "event_type", "source_actor", "target_actor", "date", "modality", "confidence", "place",
    "action_geo_country", "cluster", "num_mentions", "num_sources", "num_articles", "evidence", "document",
)


class ExportError(ValueError):
    pass


def export(dataset: Dataset, fmt: str, to_path: Path | None = None, min_confidence: float | None = None) -> str | None:
    """Write the graph as ``fmt`` to ``to_path`` (atomically) or to standard output.

    The formats that list events (facts, the CSVs, GeoJSON, the actor networks) hold those at
    or above ``min_confidence`` (default: the calibrated threshold); the RDF formats hold the
    whole store. Returns a one-line summary when a file was written, None for standard output.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if min_confidence is None:
        from . import kb

        min_confidence = kb.load().calibration.threshold
    writer: Callable[[Dataset, BinaryIO, float], str] = _WRITERS[fmt]
    if to_path is None:
        writer(dataset, sys.stdout.buffer, min_confidence)
        sys.stdout.buffer.flush()
        return None
    with atomic_file(Path(to_path)) as stream:
        what = writer(dataset, stream, min_confidence)
    return f"{to_path}: {what}"


def write_rdf(dataset: Dataset, fmt: str, path: Path) -> str:
    """Write the dataset as one RDF format (ttl, trig, nt, nq, jsonld) to ``path``, atomically."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"{fmt!r} is not an RDF format; choose one of {', '.join(RDF_FORMATS)}")
    return export(dataset, fmt, path) or ""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: Path):
    """A binary stream to a temporary file that replaces ``path`` only if writing succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes files private; outputs are ordinary files
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


# --- RDF ---------------------------------------------------------------------------------

def _prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _write_rdf_format(fmt: str) -> Callable[[Dataset, BinaryIO, float], str]:
    def write(dataset: Dataset, stream: BinaryIO, min_confidence: float = 0.0) -> str:  # the whole store
        if is_oxigraph(dataset):
            count = _write_with_oxigraph(oxigraph_store(dataset), fmt, stream)
        else:
            count = _write_with_rdflib(dataset, fmt, stream)
        unit = "quads" if fmt in _DATASET_FORMATS else "triples"
        return f"{count} {unit} as {fmt}"

    return write


def _write_with_oxigraph(store: ox.Store, fmt: str, stream: BinaryIO) -> int:
    if fmt in _DATASET_FORMATS:
        store.dump(stream, _OXIGRAPH_FORMATS[fmt], prefixes=_prefixes() if fmt == "trig" else None)
        return len(store)
    triples = _distinct_triples(store.quads_for_pattern(None, None, None, None))
    counted = _Counted(triples)
    ox.serialize(counted, stream, _OXIGRAPH_FORMATS[fmt], prefixes=_prefixes() if fmt == "ttl" else None)
    return counted.count


class _Counted:
    def __init__(self, items: Iterable):
        self.items, self.count = items, 0

    def __iter__(self):
        for item in self.items:
            self.count += 1
            yield item


def _distinct_triples(quads: Iterable[ox.Quad]):
    """The triples of all graphs, each once (a triple may sit in several document graphs)."""
    seen: set[ox.Triple] = set()
    for quad in quads:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield triple


def _write_with_rdflib(dataset: Dataset, fmt: str, stream: BinaryIO) -> int:
    if fmt in _DATASET_FORMATS:
        dataset.serialize(destination=stream, format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
        return sum(1 for _ in dataset.quads((None, None, None, None)))
    merged = _merged_graph(dataset)
    merged.serialize(destination=stream, format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
    return len(merged)


def _merged_graph(dataset: Dataset) -> Graph:
    merged = Graph()
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def jsonld_context() -> dict:
    """The JSON-LD context published with graphbuild (package data ``context.jsonld``)."""
    text = resources.files("graphbuild").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def _write_jsonld(dataset: Dataset, stream: BinaryIO, min_confidence: float = 0.0) -> str:  # the whole store
    # rdflib compacts with the context; the context goes into the file itself (not only its
    # URL) so that any JSON-LD reader can expand it offline.
    context = jsonld_context()
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    if isinstance(document, list):
        document = {"@context": context, "@graph": document}
    document["@context"] = context
    stream.write(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    stream.write(b"\n")
    count = sum(1 for _ in dataset.quads((None, None, None, None)))
    return f"{count} quads as JSON-LD (context: {PUBLISHED_CONTEXT_URL}, embedded)"


# --- facts, networks, events table -----------------------------------------------------

def _write_facts(dataset: Dataset, stream: BinaryIO, min_confidence: float) -> str:
    from .facts import document_facts

    facts = document_facts(dataset, min_confidence)
    for record in facts:
        stream.write(json_line(record))
    return f"{len(facts)} documents as facts JSON lines"


# Line separators that JSON allows raw inside strings but many line readers (Python's
# str.splitlines, JavaScript) split on: escaped, so that every record stays on one line.
_LINE_SEPARATORS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record) -> bytes:
    """One JSON Lines record: UTF-8, one line whatever its strings hold."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_SEPARATORS).encode("utf-8") + b"\n"


def _network(dataset: Dataset, min_confidence: float):
    from .network import actor_network

    return _exchangeable(actor_network(dataset, min_confidence=min_confidence))


def _exchangeable(graph):
    """A copy whose attribute values GraphML and GEXF can hold: no None, lists joined."""
    copy = graph.copy()

    def clean(attributes: dict) -> None:
        for key, value in list(attributes.items()):
            if value is None:
                del attributes[key]
            elif isinstance(value, (list, tuple, set, frozenset)):
                attributes[key] = "; ".join(sorted(str(item) for item in value))
            elif not isinstance(value, (str, int, float, bool)):
                attributes[key] = str(value)

    clean(copy.graph)
    for _, attributes in copy.nodes(data=True):
        clean(attributes)
    for *_, attributes in copy.edges(data=True):
        clean(attributes)
    return copy


def _write_graphml(dataset: Dataset, stream: BinaryIO, min_confidence: float) -> str:
    import networkx

    graph = _network(dataset, min_confidence)
    networkx.write_graphml(graph, stream, encoding="utf-8")
    return f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges as GraphML"


def _write_gexf(dataset: Dataset, stream: BinaryIO, min_confidence: float) -> str:
    import networkx

    graph = _network(dataset, min_confidence)
    networkx.write_gexf(graph, stream, encoding="utf-8")
    return f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges as GEXF"


def _query_rows(dataset: Dataset, name: str, columns: tuple[str, ...], min_confidence: float) -> list[tuple]:
    from .queries import get_named_query, run_named_query

    takes = {parameter.name for parameter in get_named_query(name).parameters}
    result = run_named_query(dataset, name, {"min_confidence": str(min_confidence)} if "min_confidence" in takes else {})
    if tuple(result.variables) != columns:  # the query file and this module must agree
        raise ExportError(f"the {name} query returns {result.variables}, expected {list(columns)}")
    return result.rows


def _csv_writer(name: str, columns: tuple[str, ...], what: str) -> Callable[[Dataset, BinaryIO, float], str]:
    def write(dataset: Dataset, stream: BinaryIO, min_confidence: float) -> str:
        rows = _query_rows(dataset, name, columns, min_confidence)
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if term is None else spreadsheet_safe(str(term)) for term in row])
        stream.write(text.getvalue().encode("utf-8"))
        return f"{len(rows)} {what} as CSV"

    return write


def _write_geojson(dataset: Dataset, stream: BinaryIO, min_confidence: float) -> str:
    """Events at their places as an RFC 7946 FeatureCollection (positions are [longitude,
    latitude]); events without a located place are left out."""
    rows = _query_rows(dataset, "events", EVENT_COLUMNS, min_confidence)
    features = []
    for row in rows:
        values = dict(zip(EVENT_COLUMNS, row))
        if values["action_geo_lat"] is None or values["action_geo_long"] is None:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [float(values["action_geo_long"]), float(values["action_geo_lat"])]},
            "properties": {name: _json_value(values[name]) for name in GEOJSON_PROPERTIES},
        })
    collection = {"type": "FeatureCollection", "features": features}
    stream.write(json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    return f"{len(features)} of {len(rows)} events located, as GeoJSON"


def _json_value(term):
    """A query term as JSON: numbers stay numbers, the rest are strings."""
    if term is None:
        return None
    value = term.toPython() if hasattr(term, "toPython") else term
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "is_finite"):  # Decimal
        return float(value)
    return str(term)


# A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return before
# one) gets a leading apostrophe, as OWASP advises: article text and names are untrusted. Numbers,
# negative intensities included, stay numbers.
_FORMULA_START = re.compile(r"[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(value: str) -> str:
    if _FORMULA_START.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


_WRITERS: dict[str, Callable[[Dataset, BinaryIO, float], str]] = {
    **{fmt: _write_rdf_format(fmt) for fmt in ("ttl", "trig", "nt", "nq")},
    "jsonld": _write_jsonld,
    "facts": _write_facts,
    "graphml": _write_graphml,
    "gexf": _write_gexf,
    "csv": _csv_writer("events", EVENT_COLUMNS, "events"),
    "mentions-csv": _csv_writer("mentions", MENTION_COLUMNS, "mentions"),
    "geojson": _write_geojson,
}
