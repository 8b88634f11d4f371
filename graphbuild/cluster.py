"""Event clusters: the same act reported by several articles, like a GDELT event with its mentions.

A post-store stage. ``update_clusters(dataset)`` runs after documents are stored, however they
got there: it reads the store through SPARQL and rewrites the clusters named graph.

- **Mentions** are the stored events (``gb:Event``) and claims (``gb:Claim``).
- **Same act:** the same source, PLOVER type and target (an event without a source is a cluster
  of its own), with compatible dates and places:
  - a mention's date is its own (``gb:date``, ``gb:actDate``), else its document's publication
    date; it is compatible with a cluster whose anchor date is at most ``WINDOW_DAYS`` away, and
    an unknown date is compatible with any;
  - a mention's country is its place's ``gb:country``; it is compatible with a cluster of the
    same country or of none known yet, and an unknown country is compatible with any.
  A mention joins the compatible cluster with the nearest anchor; otherwise it founds a new
  cluster anchored on its own date and country.
- **Counts:** mentions, articles, sources (publishers, else the source URLs' host names, else
  the document), earliest and latest publication date, mentions per stance (asserted, negated,
  hypothetical, claimed). A cluster is **disputed** when one article asserts the act and
  another negates it or has it only as someone's claim; those mentions are its
  ``gb:disputedBy``.
- **Incremental:** each clustered document's content hash is recorded (``gb:clusteredHash``).
  Documents whose hash changed, new ones and removed ones are the changed documents; only the
  clusters of the (source, type, target) keys they mention, now or before, are recomputed.
  Existing clusters keep their IRIs (minted from the key, the anchor date and the anchor
  country): mentions fill the existing clusters first, in date order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from rdflib import Dataset, Graph, Literal, URIRef

from .model import ClusterMention, EventCluster
from .queries import run_query
from .rdf.writer import cluster_quads, clustered_hash_quads
from .store import add_quads
from .vocab import GB, clusters_graph_iri, mint

WINDOW_DAYS = 7  # two reports of one act may date it this many days apart
FULL_SCAN_SHARE = 0.5  # when this share of the documents changed, read all mentions at once
VALUES_CHUNK = 500  # IRIs per VALUES block

_DOCUMENTS = """
SELECT ?doc ?hash WHERE { GRAPH ?g { ?doc a gb:Document ; gb:contentHash ?hash } }"""

_CLUSTERED = """
SELECT ?doc ?hash ?clusters WHERE { GRAPH ?clusters { ?doc gb:clusteredHash ?hash } }"""

# The mentions of some documents, or of some sources, or all of them ({restrict} is a VALUES
# block of IRIs read from the store, or nothing).
_MENTIONS = """
SELECT ?m ?kind ?source ?type ?target ?modality ?doc ?published ?publisher ?url ?date ?country WHERE {
  {restrict}
  {
    ?m a gb:Event ; gb:eventType ?type ; gb:modality ?modality ; prov:wasDerivedFrom ?doc .
    {event_source}
    OPTIONAL { ?m gb:target ?target } OPTIONAL { ?m gb:date ?date }
    OPTIONAL { ?m gb:place/gb:country ?country }
    BIND("event" AS ?kind)
  } UNION {
    ?m a gb:Claim ; gb:actType ?type ; gb:actModality ?modality ; prov:wasDerivedFrom ?doc .
    {claim_source}
    OPTIONAL { ?m gb:actTarget ?target } OPTIONAL { ?m gb:actDate ?date }
    OPTIONAL { ?m gb:actPlace/gb:country ?country }
    BIND("claim" AS ?kind)
  }
  OPTIONAL { ?doc dcterms:date ?published }
  OPTIONAL { ?doc dcterms:publisher ?publisher }
  OPTIONAL { ?doc dcterms:source ?url }
}"""

# Existing clusters: of some keys, or those that mention some documents.
_CLUSTERS = """
SELECT ?cluster ?key ?anchor ?country ?doc ?clusters WHERE {  # ?clusters: bound to the graph
  {restrict}
  GRAPH ?clusters { ?cluster gb:clusterKey ?key ; gb:mentionedIn ?doc .
    OPTIONAL { ?cluster gb:anchorDate ?anchor } OPTIONAL { ?cluster gb:anchorCountry ?country } }
}"""


@dataclass
class ClusterReport:
    documents: int = 0  # changed documents (new, rebuilt or removed)
    keys: int = 0  # (source, type, target) keys recomputed
    clusters: int = 0  # clusters written


def update_clusters(dataset: Dataset) -> ClusterReport:
    """Bring the clusters graph up to date with the documents in the store."""
    graph_binding = {"clusters": clusters_graph_iri()}
    current = {str(doc): str(h) for doc, h in run_query(dataset, _DOCUMENTS).rows}
    clustered = {str(doc): str(h) for doc, h, _ in run_query(dataset, _CLUSTERED, graph_binding).rows}
    changed = sorted(d for d in current.keys() | clustered.keys() if current.get(d) != clustered.get(d))
    report = ClusterReport(documents=len(changed))
    if not changed:
        return report

    full = len(changed) >= FULL_SCAN_SHARE * max(len(current), 1)
    if full:
        mentions = _read_mentions(dataset, None, None)
        old = _read_clusters(dataset, "", [])
    else:
        fresh = _read_mentions(dataset, "doc", changed)
        old_touching = _read_clusters(dataset, "doc", changed)
        keys = {mention_key(m) for m in fresh} | {c.key for c in old_touching}
        sources = sorted({m.source for m in fresh if m.source} | {_key_source(k) for k in keys} - {None})
        mentions = [m for m in _read_mentions(dataset, "source", sources) if mention_key(m) in keys]
        mentions += [m for m in fresh if m.source is None]
        old = _read_clusters(dataset, "key", sorted(keys))
    clusters = assign(mentions, old)
    report.keys = len({c.key for c in clusters} | {c.key for c in old})
    report.clusters = len(clusters)

    # If the run stops halfway, every document whose clusters are touched is left unmarked, so
    # the next run recomputes them all.
    touched = set(changed) | {d for c in old for d in c.documents}
    store_graph = Graph(dataset.store, identifier=clusters_graph_iri())
    for doc in touched:
        store_graph.remove((URIRef(doc), GB.clusteredHash, None))
    for cluster in old:
        store_graph.remove((URIRef(cluster.iri), None, None))
    for cluster in clusters:
        summarise(cluster)
    add_quads(dataset, [quad for cluster in clusters for quad in cluster_quads(cluster)])
    add_quads(dataset, clustered_hash_quads({d: current[d] for d in touched if d in current}))
    return report


@dataclass
class _StoredCluster:
    iri: str
    key: str
    anchor_date: date | None
    country: str | None
    documents: set[str]


def mention_key(mention: ClusterMention) -> str:
    if mention.source is None:
        return f"mention|{mention.iri}"  # nothing says which act it is: a cluster of its own
    return f"{mention.source}|{mention.type}|{mention.target or ''}"


def _key_source(key: str) -> str | None:
    source = key.split("|", 1)[0]
    return None if source == "mention" else source


def mention_date(mention: ClusterMention) -> date | None:
    return mention.date or mention.published


def assign(mentions: Iterable[ClusterMention], existing: Iterable[_StoredCluster] = ()) -> list[EventCluster]:
    """Group mentions into clusters, filling the existing clusters of their keys first."""
    by_key: dict[str, list[EventCluster]] = defaultdict(list)
    for stored in sorted(existing, key=lambda c: (c.anchor_date is None, c.anchor_date or date.min, c.iri)):
        by_key[stored.key].append(EventCluster(stored.iri, stored.key, None, "", None, stored.anchor_date,
                                               stored.country))
    ordered = sorted(mentions, key=lambda m: (mention_date(m) is None, mention_date(m) or date.min, m.document, m.iri))
    for mention in ordered:
        key = mention_key(mention)
        candidates = [c for c in by_key[key] if _compatible(c, mention)]
        when = mention_date(mention)
        if candidates:
            cluster = min(candidates, key=lambda c: abs((c.anchor_date - when).days)
                          if c.anchor_date and when else WINDOW_DAYS + 1)
        else:
            cluster = EventCluster(_cluster_iri(key, when, mention.country), key, None, "", None, when,
                                   mention.country)
            by_key[key].append(cluster)
        cluster.mentions.append(mention)
        cluster.country = cluster.country or mention.country
    clusters = [c for group in by_key.values() for c in group if c.mentions]
    for cluster in clusters:
        first = cluster.mentions[0]
        cluster.source, cluster.type, cluster.target = first.source, first.type, first.target
    return clusters


def _compatible(cluster: EventCluster, mention: ClusterMention) -> bool:
    when = mention_date(mention)
    dates_fit = cluster.anchor_date is None or when is None or abs((when - cluster.anchor_date).days) <= WINDOW_DAYS
    places_fit = cluster.country is None or mention.country is None or cluster.country == mention.country
    return dates_fit and places_fit


def _cluster_iri(key: str, anchor: date | None, country: str | None) -> str:
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return str(mint("cluster", digest, anchor.isoformat() if anchor else "undated", country or "any"))


def summarise(cluster: EventCluster) -> None:
    """Counts, report dates, stances and whether the reports disagree."""
    mentions = cluster.mentions
    documents = {m.document for m in mentions}
    cluster.num_articles = len(documents)
    cluster.num_sources = len({m.origin or m.document for m in mentions})
    published = [m.published for m in mentions if m.published]
    cluster.first_reported = min(published, default=None)
    cluster.last_reported = max(published, default=None)
    stances: dict[str, int] = {"asserted": 0, "negated": 0, "hypothetical": 0, "claimed": 0}
    reported = {m.document for m in mentions if m.kind == "event"}
    denials = []
    for mention in mentions:
        stance = "claimed" if mention.kind == "claim" else mention.modality
        stances[stance] += 1
        if stance == "negated" or (stance == "claimed" and mention.document not in reported):
            denials.append(mention)
    asserting = {m.document for m in mentions if m.kind == "event" and m.modality == "asserted"}
    cluster.stances = stances
    # written out, so that disputed-facts needs no negation over the store to find them
    cluster.disputing = [m.iri for m in denials if asserting - {m.document}]
    cluster.disputed = bool(cluster.disputing)


def _origin(publisher, url) -> str | None:
    if publisher is not None and str(publisher).strip():
        return " ".join(str(publisher).split()).casefold()
    if url is not None:
        host = urlsplit(str(url)).hostname
        if host:
            return host.removeprefix("www.")
    return None


def _values(variable: str, iris: list[str]) -> str:
    # The IRIs were read from the store (checked when written), never taken from article text.
    return f"VALUES ?{variable} {{ {' '.join(URIRef(i).n3() for i in iris)} }}"


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), VALUES_CHUNK):
        yield items[start:start + VALUES_CHUNK]


def _read_mentions(dataset: Dataset, restrict: str | None, iris: list[str] | None) -> list[ClusterMention]:
    if restrict == "source":
        sources = ("?m gb:source ?source .", "?m gb:actSource ?source .")
    else:
        sources = ("OPTIONAL { ?m gb:source ?source }", "OPTIONAL { ?m gb:actSource ?source }")
    template = _MENTIONS.replace("{event_source}", sources[0]).replace("{claim_source}", sources[1])
    blocks = [""] if restrict is None else [_values(restrict, chunk) for chunk in _chunks(iris or [])]
    found: dict[str, ClusterMention] = {}
    for block in blocks:
        for row in run_query(dataset, template.replace("{restrict}", block)).as_dicts():
            found[str(row["m"])] = ClusterMention(
                iri=str(row["m"]), kind=str(row["kind"]), source=_text(row.get("source")), type=_local(row["type"]),
                target=_text(row.get("target")), modality=_local(row["modality"]).lower(),
                document=str(row["doc"]), published=_date(row.get("published")),
                origin=_origin(row.get("publisher"), row.get("url")), date=_date(row.get("date")),
                country=_local(row["country"]) if row.get("country") is not None else None)
    return list(found.values())


def _read_clusters(dataset: Dataset, restrict: str, values: list[str]) -> list[_StoredCluster]:
    if restrict == "key":
        blocks = [f"VALUES ?key {{ {' '.join(Literal(k).n3() for k in chunk)} }}" for chunk in _chunks(values)]
    elif restrict == "doc":
        blocks = [_values("doc", chunk) for chunk in _chunks(values)]
    else:
        blocks = [""]
    clusters: dict[str, _StoredCluster] = {}
    for block in blocks:
        result = run_query(dataset, _CLUSTERS.replace("{restrict}", block), {"clusters": clusters_graph_iri()})
        for row in result.as_dicts():
            cluster = clusters.setdefault(str(row["cluster"]), _StoredCluster(
                str(row["cluster"]), str(row["key"]), _date(row.get("anchor")),
                str(row["country"]) if row.get("country") is not None else None, set()))
            cluster.documents.add(str(row["doc"]))
    if restrict == "doc":  # every document of those clusters, not only the changed ones
        keyed = _read_clusters(dataset, "key", sorted({c.key for c in clusters.values()}))
        return keyed
    return list(clusters.values())


def _text(term) -> str | None:
    return None if term is None else str(term)


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _date(term) -> date | None:
    if term is None:
        return None
    try:
        return date.fromisoformat(str(term)[:10])
    except ValueError:
        return None
