"""Ingest: turn article files (text, HTML, JSONL corpora, folders of them) into Documents.

Every problem with an input raises ``InputError`` naming the file (and line) and what
is wrong, before anything is built, so a bad file never leaves half an output behind.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .model import Document
from .vocab import document_graph_iri

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
METADATA_FIELDS = ("title", "published", "publisher", "source", "license")
METADATA_KEYS = {*METADATA_FIELDS, "id"}
# spaCy's nlp.max_length: its parser and NER refuse longer texts (and need about 1 GB of memory
# per 100,000 characters). News articles are far shorter; a longer text is refused at read
# time, before anything is built, rather than split: its parts would lose each other's context.
MAX_TEXT_CHARACTERS = 1_000_000

_HEADER = re.compile(r"^#\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")

FURNITURE_FILE = Path(__file__).with_name("furniture.txt")
MAX_BADGE_WORDS = 3  # a short unpunctuated line after the article's last sentence is a source badge


def _furniture_patterns() -> list[re.Pattern]:
    lines = FURNITURE_FILE.read_text(encoding="utf-8").splitlines()
    return [re.compile(line, re.IGNORECASE) for line in lines if line.strip() and not line.startswith("#")]


_FURNITURE_LINES = _furniture_patterns()


_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_TYPES = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}

_STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


class InputError(ValueError):
    """A problem with one input file; the message names the file and the problem."""


def content_hash(text: str, metadata: dict[str, str | None]) -> str:
    payload = json.dumps({"text": text, **metadata}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def parse_date(value: str | None, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(f"{where}: published date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def strip_furniture(text: str, title: str | None = None) -> str:
    """Drop boilerplate lines (and a repeated title line) and normalise line endings."""
    kept = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped and any(p.fullmatch(stripped) for p in _FURNITURE_LINES):
            continue
        if title and stripped and not kept and _is_title_line(stripped, title):
            continue
        kept.append(line.rstrip())
    # A source badge trails the article's last sentence ("politico Gt"); a text that is
    # nothing but a short line keeps it.
    while len(kept) > 1 and (not kept[-1].strip() or _is_badge(kept[-1])) and any(
            line.strip() and not _is_badge(line) for line in kept[:-1]):
        kept.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _is_badge(line: str) -> bool:
    stripped = line.strip()
    return len(stripped.split()) <= MAX_BADGE_WORDS and not re.search(r"[.!?:;,\"”’)]$", stripped)


def _is_title_line(line: str, title: str) -> bool:
    # "Title – PUBLISHER" lines repeat the headline at the top of scraped pages.
    head = re.split(r"\s+[–—|-]\s+[^–—|-]+$", line)[0]
    wanted = _fold_quotes(title)
    return _fold_quotes(head) == wanted or _fold_quotes(line) == wanted


def _fold_quotes(text: str) -> str:
    return text.translate(_STRAIGHT_QUOTES).casefold()


def check_unicode(value: str, field: str, where: str) -> None:
    """Text that cannot be written as UTF-8 (a lone surrogate, from a JSON escape like
    "\\ud800") would fail in the store or an output file; it is refused here instead."""
    surrogate = _SURROGATE.search(value)
    if surrogate:
        raise InputError(f"{where}: {field!r} holds a lone surrogate (U+{ord(surrogate.group()):04X}) "
                         f"at offset {surrogate.start()}, which is not valid Unicode")


def check_source(value: str, where: str) -> None:
    """A source is a URL or a citation; one that looks like a URL must parse as one, since
    later stages read its host."""
    try:
        urlsplit(value).port  # urlsplit checks the brackets of an IPv6 host; .port checks the port
    except ValueError as err:
        raise InputError(f"{where}: source {value!r} is not a valid URL ({err})") from None


def make_document(doc_id: str, text: str, meta: dict[str, str | None], where: str) -> Document:
    for field, value in (("id", doc_id), ("text", text), *meta.items()):
        if value is not None:
            check_unicode(value, field, where)
    if meta.get("source"):
        check_source(meta["source"], where)
    title = meta.get("title") or None
    body = strip_furniture(text, title)
    if not body:
        raise InputError(f"{where}: the article has no text")
    if len(body) > MAX_TEXT_CHARACTERS:
        raise InputError(f"{where}: the article has {len(body):,} characters, more than the {MAX_TEXT_CHARACTERS:,} "
                         "the language model reads in one text; split it into several articles")
    published = parse_date(meta.get("published"), where)
    fields = {
        "title": title,
        "published": published.isoformat() if published else None,
        "publisher": meta.get("publisher") or None,
        "source": meta.get("source") or None,
        "license": meta.get("license") or None,
    }
    return Document(
        id=doc_id,
        text=body,
        title=fields["title"],
        published=published,
        publisher=fields["publisher"],
        source=fields["source"],
        license=fields["license"],
        content_hash=content_hash(body, fields),
        path=where,
    )


def read_text_article(path: Path) -> Document:
    raw = _read(path)
    lines = raw.lstrip("\ufeff").split("\n")
    meta: dict[str, str | None] = {}
    body_start = 0
    for i, line in enumerate(lines):
        match = _HEADER.match(line)
        if match and match.group(1).lower() in METADATA_KEYS:
            meta[match.group(1).lower()] = match.group(2)
            body_start = i + 1
        elif not line.strip() and meta:
            body_start = i + 1
            break
        else:
            break
    doc_id = meta.pop("id", None) or path.name
    return make_document(doc_id, "\n".join(lines[body_start:]), meta, str(path))


def read_html_article(path: Path) -> Document:
    import trafilatura  # imported here: only HTML input needs it

    raw = _read(path)
    extracted = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    if extracted is None or not (extracted.text or "").strip():
        raise InputError(f"{path}: no article text could be extracted from the HTML")
    meta = {
        "title": extracted.title,
        "published": (extracted.date or "")[:10] or None,
        "publisher": extracted.sitename,
        "source": extracted.url,
    }
    return make_document(path.name, extracted.text, meta, str(path))


def read_jsonl_corpus(path: Path) -> Iterator[Document]:
    for number, line in enumerate(_read(path).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: invalid JSON ({err.msg})") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object")
        for key in ("id", "text"):
            if not isinstance(record.get(key), str) or not record[key].strip():
                raise InputError(f"{where}: missing or empty {key!r}")
        meta = {k: record.get(k) for k in METADATA_FIELDS}
        for key, value in meta.items():
            if value is not None and not isinstance(value, str):
                raise InputError(f"{where}: {key!r} must be a string, not {_JSON_TYPES.get(type(value), 'a ' + type(value).__name__)}")
        yield make_document(record["id"], record["text"], meta, where)


def read_path(path: Path) -> Iterator[Document]:
    """Documents from one file or, recursively and in name order, a folder."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_article_file(p))
        if not files:
            raise InputError(f"{path}: the folder holds no article files (.txt, .html, .jsonl)")
        for file in files:
            yield from read_path(file)
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_corpus(path)
    elif suffix in HTML_SUFFIXES:
        yield read_html_article(path)
    else:
        yield read_text_article(path)


def read_documents(paths: Iterable[str | Path]) -> list[Document]:
    """All documents from the paths, validated up front; duplicate ids are an error, and so
    are two ids that would name the same graph (a hash collision, in theory only)."""
    documents: list[Document] = []
    seen: dict[str, Document] = {}
    for path in paths:
        for document in read_path(Path(path)):
            key = document_graph_iri(document.id)  # also checks GRAPHBUILD_BASE_IRI, before anything is built
            if key in seen:
                earlier = seen[key]
                what = "is already used" if earlier.id == document.id else f"names the same graph as {earlier.id!r}"
                raise InputError(f"{document.path}: document id {document.id!r} {what} by {earlier.path}")
            seen[key] = document
            documents.append(document)
    return documents


def _is_article_file(path: Path) -> bool:
    name = path.name
    if name.startswith(".") or name.endswith((".gold.json", ".json")) or name.lower() == "readme.md":
        return False
    return path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not valid UTF-8 (byte {err.start})") from None
