"""Writers for SPARQL results: SPARQL 1.1 JSON, XML, CSV and TSV, and an aligned text table.

They take plain rows of RDF terms, from rdflib or from pyoxigraph (the endpoint's workers
answer with pyoxigraph and do not import rdflib), so the command line and the endpoint
write exactly the same bytes for the same answer.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..terminal import terminal_safe

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
    return write_results("json", variables, rows).text


def write_xml(variables: Sequence[str], rows: Iterable[Row]) -> str:
    return write_results("xml", variables, rows).text


def write_csv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 CSV: plain values, blank nodes as _:id, CRLF line ends (RFC 4180)."""
    return write_results("csv", variables, rows).text


def write_tsv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 TSV: ?-prefixed header, terms in N-Triples/Turtle syntax."""
    return write_results("tsv", variables, rows).text


@dataclass(frozen=True)
class WrittenResults:
    text: str
    rows: int  # how many rows the text holds
    cut: str | None = None  # why rows were left out: "rows" or "bytes" (None: all are there)


def write_results(fmt: str, variables: Sequence[str], rows: Iterable[Row], max_rows: int | None = None,
                  max_bytes: int | None = None) -> WrittenResults:
    """A SELECT result in one of the SPARQL 1.1 formats (json, xml, csv, tsv), row by row, so that
    it can stop at ``max_rows`` rows or before the text passes ``max_bytes`` bytes of UTF-8; the
    text is always complete, well-formed output of the rows it holds."""
    head, row_text, tail = _FORMATS[fmt]
    parts = [head(variables)]
    size = len(parts[0].encode("utf-8")) + len(tail.encode("utf-8"))
    written, cut = 0, None
    for row in rows:
        if max_rows is not None and written >= max_rows:
            cut = "rows"
            break
        text = row_text(variables, row, written == 0)
        size += len(text.encode("utf-8"))
        if max_bytes is not None and size > max_bytes:
            cut = "bytes"
            break
        parts.append(text)
        written += 1
    parts.append(tail)
    return WrittenResults("".join(parts), written, cut)


def _json_head(variables: Sequence[str]) -> str:
    return '{"head": ' + json.dumps({"vars": list(variables)}, ensure_ascii=False) + ', "results": {"bindings": ['


def _json_row(variables: Sequence[str], row: Row, first: bool) -> str:
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
    return ("" if first else ", ") + json.dumps(binding, ensure_ascii=False)


# XML 1.0 cannot carry most C0 control characters, even as character references, nor U+FFFE and
# U+FFFF: they become U+FFFD, so the document stays well-formed. A carriage return is written as
# a character reference, which XML parsers keep (a raw one they turn into a line feed).
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text for XML 1.0 element content: escaped, and well-formed whatever characters it held."""
    return escape(_NOT_XML_CHARACTERS.sub("\ufffd", value), {"\r": "&#13;"})


def _xml_head(variables: Sequence[str]) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    lines += [f"  <variable name={quoteattr(name)}/>" for name in variables]
    return "\n".join(lines + ["</head>", "<results>", ""])


def _xml_row(variables: Sequence[str], row: Row, first: bool) -> str:
    lines = ["  <result>"]
    for name, term in zip(variables, row):
        if term is None:
            continue
        kind, value, datatype, language = term_parts(term)
        if kind == "uri":
            inner = f"<uri>{xml_text(value)}</uri>"
        elif kind == "bnode":
            inner = f"<bnode>{xml_text(value)}</bnode>"
        elif language:
            inner = f"<literal xml:lang={quoteattr(language)}>{xml_text(value)}</literal>"
        elif datatype:
            inner = f"<literal datatype={quoteattr(datatype)}>{xml_text(value)}</literal>"
        else:
            inner = f"<literal>{xml_text(value)}</literal>"
        lines.append(f"    <binding name={quoteattr(name)}>{inner}</binding>")
    return "\n".join(lines + ["  </result>", ""])


def _csv_line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def _plain_value(term) -> str:
    if term is None:
        return ""
    kind, value, _, _ = term_parts(term)
    return f"_:{value}" if kind == "bnode" else value


_FORMATS = {  # format → (head, one row, tail)
    "json": (_json_head, _json_row, "]}}\n"),
    "xml": (_xml_head, _xml_row, "</results>\n</sparql>\n"),
    "csv": (_csv_line, lambda variables, row, first: _csv_line([_plain_value(term) for term in row]), ""),
    "tsv": (lambda variables: "\t".join(f"?{name}" for name in variables) + "\n",
            lambda variables, row, first: "\t".join(ntriples_term(term) for term in row) + "\n", ""),
}


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
    text = terminal_safe(" ".join(text.split()))  # one line per row: newlines and tabs become spaces
    return text if len(text) <= max_width else text[: max_width - 1] + "\u2026"


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv, "table": write_table}
