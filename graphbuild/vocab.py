"""Namespaces and IRI minting shared by every stage that reads or writes RDF.

The ontology terms live under a fixed namespace (``GB``); the data a build produces
(documents, actors, events...) lives under a configurable base IRI. IRIs are minted
only through the helpers here so that text from articles never reaches an IRI
unescaped.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

GB = Namespace("https://w3id.org/graphbuild/ontology#")
PLOVER = Namespace("https://w3id.org/graphbuild/plover#")
KB = Namespace("https://w3id.org/graphbuild/kb/")
RULE = Namespace("https://w3id.org/graphbuild/rule/")  # extraction rules, by id: rule:event.target.direct_object
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")  # W3C WGS84 geo positioning

DEFAULT_BASE_IRI = "https://w3id.org/graphbuild/id/"


PREFIXES = {
    "gb": GB,
    "plover": PLOVER,
    "kb": KB,
    "rule": RULE,
    "sem": SEM,
    "schema": SCHEMA,
    "nif": NIF,
    "itsrdf": ITSRDF,
    "wd": WD,
    "geo": GEO,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

# A PREFIX block for SPARQL text: oxrdflib needs prefixes in the query, not as initNs objects.
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())

# Actor types as they appear in the facts format, and their classes.
ACTOR_CLASSES = {"Person": GB.Person, "Organization": GB.Organization, "Country": GB.State}
MODALITIES = {"asserted": GB.Asserted, "negated": GB.Negated, "hypothetical": GB.Hypothetical}

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DOCUMENT_KEY_LENGTH = 80


class BaseIRIError(ValueError):
    """``GRAPHBUILD_BASE_IRI`` is not an absolute IRI."""


def base_iri() -> str:
    """The data namespace: ``GRAPHBUILD_BASE_IRI`` or the default, always ending in '/' or '#'."""
    return _checked_base_iri(os.environ.get("GRAPHBUILD_BASE_IRI", DEFAULT_BASE_IRI))


@functools.lru_cache(maxsize=8)
def _checked_base_iri(value: str) -> str:
    base = value if value.endswith(("/", "#")) else value + "/"
    try:
        ox.NamedNode(base)  # Oxigraph checks IRIs to RFC 3987, and refuses relative ones
    except ValueError as err:
        raise BaseIRIError(f"GRAPHBUILD_BASE_IRI {value!r} is not an absolute IRI ({err})") from None
    return base


def slug(text: str, max_length: int = 60) -> str:
    """A lowercase ASCII slug; never empty, never containing IRI-significant characters.

    Text that loses characters on the way (non-Latin scripts, punctuation-only names)
    gets a short hash suffix so that different names never share a slug.
    """
    core = _slug_core(text, max_length)
    lossless = core.replace("-", "") == re.sub(r"[^a-z0-9]", "", text.lower())
    if core and lossless:
        return core
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{core}-{digest}" if core else digest


def _slug_core(text: str, max_length: int) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_DROP.sub("-", folded.lower()).strip("-")[:max_length].strip("-")


def document_key(document_id: str) -> str:
    """The path segment that names a document in IRIs: readable, and different for different ids.

    Document ids are exact: ``Reuters.txt`` and ``reuters.txt`` are two documents, so a slug
    alone (which folds case and punctuation) cannot name them. An id that is already a plain
    slug is its own key; any other id gets its slug, ``~`` (which no plain slug holds) and 64
    bits of a hash of the exact id.
    """
    if len(document_id) <= DOCUMENT_KEY_LENGTH and _PLAIN_SLUG.fullmatch(document_id):
        return document_id
    digest = hashlib.sha256(document_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{_slug_core(document_id, DOCUMENT_KEY_LENGTH)}~{digest}"


def mint(*parts: str) -> URIRef:
    """An IRI under the data base from path parts, each percent-encoded."""
    return URIRef(base_iri() + "/".join(quote(part, safe="") for part in parts))


def document_iri(document_id: str) -> URIRef:
    return mint("doc", document_key(document_id))


def document_graph_iri(document_id: str) -> URIRef:
    return mint("graph", "doc", document_key(document_id))


def entities_graph_iri() -> URIRef:
    return mint("graph", "entities")


def ontology_graph_iri() -> URIRef:
    return mint("graph", "ontology")


def provenance_graph_iri() -> URIRef:
    return mint("graph", "provenance")


def clusters_graph_iri() -> URIRef:
    return mint("graph", "clusters")


def span_iri(document: URIRef, start: int, end: int) -> URIRef:
    """A text span of a document (its IRI) in NIF's RFC 5147 style: ``<doc>#char=start,end``."""
    return URIRef(f"{document}#char={int(start)},{int(end)}")


def actor_iri(actor_type: str, name: str, kb_id: str | None = None) -> URIRef:
    """Knowledge-base actors keep their KB IRI, so graphs link straight into the KB;
    other actors are minted from type and name, which merges them across documents."""
    if kb_id:
        return URIRef(kb_id) if kb_id.startswith("http") else KB[quote(kb_id, safe="/")]
    return mint("actor", actor_type.lower(), slug(name))


def place_iri(name: str, kb_id: str | None = None, geonames_id: int | None = None) -> URIRef:
    """KB places keep their KB IRI; a place the gazetteer located is named by its GeoNames id,
    so that two towns of one name in different countries stay apart; others by their name."""
    if kb_id:
        return URIRef(kb_id) if kb_id.startswith("http") else KB[quote(kb_id, safe="/")]
    if geonames_id is not None:
        return mint("place", "geonames", str(int(geonames_id)))
    return mint("place", slug(name))
