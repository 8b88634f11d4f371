"""Writers for SPARQL results: SPARQL 1.1 JSON, XML, CSV and TSV, and an aligned text table.

They take plain rows of RDF terms, from rdflib or from pyoxigraph (the endpoint's workers
answer with pyoxigraph and do not import rdflib), so the command line and the endpoint
write exactly the same bytes for the same answer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8",
}

Row = Sequence[object | None]


def term_parts(term) -> tuple[str, str, str | None, str | None]:
    """(kind, lexical value, datatype IRI, language) of an rdflib or pyoxigraph term.

    kind is "uri", "bnode" or "literal". A plain string literal reports no datatype, as
    RDF 1.1 makes "x" and "x"^^xsd:string the same term (Oxigraph adds the datatype,
    rdflib does not; the writers must not differ on that).
    """
    class_name = type(term).__name__
    if isinstance(term, str):  # rdflib terms subclass str
        if class_name == "URIRef":
            return "uri", str(term), None, None
        if class_name == "BNode":
            return "bnode", str(term), None, None
        if class_name == "Literal":
            datatype = str(term.datatype) if term.datatype else None
            return "literal", str(term), _keep_datatype(datatype), term.language
        return "literal", str(term), None, None
    if class_name == "NamedNode":
        return "uri", term.value, None, None
    if class_name == "BlankNode":
        return "bnode", term.value, None, None
    if class_name == "Literal":
        return "literal", term.value, _keep_datatype(term.datatype.value), term.language
    raise TypeError(f"not an RDF term: {term!r}")  # e.g. an RDF 1.2 triple term


def _keep_datatype(datatype: str | None) -> str | None:
    return None if datatype in (None, XSD_STRING, RDF_LANG_STRING) else datatype


def write_json(variables: Sequence[str], rows: Iterable[Row]) -> str:
    bindings = []
    for row in rows:
        binding = {}
        for name, term in zip(variables, row):
            if term is None:
                continue
            kind, value, datatype, language = term_parts(term)
            cell = {"type": kind, "value": value}
            if language:
                cell["xml:lang"] = language
            elif datatype:
                cell["datatype"] = datatype
            binding[name] = cell
        bindings.append(binding)
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"


def write_xml(variables: Sequence[str], rows: Iterable[Row]) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"  <variable name={quoteattr(name)}/>" for name in variables]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("  <result>")
        for name, term in zip(variables, row):
            if term is None:
                continue
            kind, value, datatype, language = term_parts(term)
            if kind == "uri":
                inner = f"<uri>{escape(value)}</uri>"
            elif kind == "bnode":
                inner = f"<bnode>{escape(value)}</bnode>"
            elif language:
                inner = f"<literal xml:lang={quoteattr(language)}>{escape(value)}</literal>"
            elif datatype:
                inner = f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
            else:
                inner = f"<literal>{escape(value)}</literal>"
            out.append(f"    <binding name={quoteattr(name)}>{inner}</binding>")
        out.append("  </result>")
    out += ["</results>", "</sparql>", ""]
    return "\n".join(out)


def write_csv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 CSV: plain values, blank nodes as _:id, CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_plain_value(term) for term in row])
    return buffer.getvalue()


def _plain_value(term) -> str:
    if term is None:
        return ""
    kind, value, _, _ = term_parts(term)
    return f"_:{value}" if kind == "bnode" else value


def write_tsv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 TSV: ?-prefixed header, terms in N-Triples/Turtle syntax."""
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join(ntriples_term(term) for term in row) for row in rows]
    return "\n".join(lines) + "\n"


def ntriples_term(term) -> str:
    if term is None:
        return ""
    kind, value, datatype, language = term_parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = '"' + _escape_literal(value) + '"'
    if language:
        return f"{text}@{language}"
    return f"{text}^^<{datatype}>" if datatype else text


def _escape_literal(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )


def write_boolean(answer: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(answer)}) + "\n"
    if fmt == "xml":
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if answer else 'false'}</boolean></sparql>\n"
        )
    if fmt == "csv":  # not standardised; a one-cell table is what spreadsheet users expect
        return f"boolean\r\n{'true' if answer else 'false'}\r\n"
    if fmt == "tsv":
        return f"?boolean\n{'true' if answer else 'false'}\n"
    return ("yes" if answer else "no") + "\n"


def write_table(variables: Sequence[str], rows: Iterable[Row], shorten=None, max_width: int = 80) -> str:
    """A fixed-width table for terminals; long cells are cut at ``max_width`` characters."""
    shorten = shorten or (lambda value: value)
    cells = [[_table_cell(term, shorten, max_width) for term in row] for row in rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(variables)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(variables, widths)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _table_cell(term, shorten, max_width: int) -> str:
    if term is None:
        return ""
    kind, value, _, _ = term_parts(term)
    text = shorten(value) if kind == "uri" else (f"_:{value}" if kind == "bnode" else value)
    text = " ".join(text.split())  # one line per row: newlines and tabs become spaces
    return text if len(text) <= max_width else text[: max_width - 1] + "\u2026"


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv, "table": write_table}
