"""The actor network of a built graph: RDF dataset → networkx ``MultiDiGraph``.

Nodes are actors; each edge aggregates the events one actor directed at another with one
PLOVER type and one modality, so "Russia THREATEN Ukraine (asserted)" reported in five
sentences is one edge with ``reports == 5``. Statements hang on their speakers.

Every node and edge attribute is a plain string or number, so the graph can be written
as GraphML or GEXF as it is. Lists of records (evidence of an edge, quotes of a speaker)
are JSON strings; :func:`records` decodes them.

Claims (acts in someone's words) are not edges: each hangs on its claimant (``claims_made``)
and on the actors it is about (``claims_about``). Edges carry the event clusters behind them
(``clusters``: articles, sources, mentions, disputed).

The dataset is read with six SPARQL queries in total, whatever its size.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Dataset

from .evaluate import normalize_name
from .extract.rules import in_stage_order
from .vocab import PREFIXES

ACTOR_TYPES = {"Person": "Person", "Organization": "Organization", "State": "Country"}
UNKNOWN_TYPE = "Unknown"  # an actor that events name but the entities graph does not describe
UNKNOWN_CLASS = "Unknown"  # a PLOVER type the ontology gives no quad class

_NS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

_ACTORS = """
SELECT ?actor ?class ?label ?country WHERE {
  GRAPH ?g {
    VALUES ?class { gb:Person gb:Organization gb:State }
    ?actor a ?class .
    OPTIONAL { ?actor skos:prefLabel ?label }
    OPTIONAL { ?actor gb:isoAlpha3 ?own }
    OPTIONAL { ?actor gb:country ?state . OPTIONAL { ?state gb:isoAlpha3 ?stateCode } }
    BIND(COALESCE(?own, ?stateCode) AS ?country)
  }
}"""

# Surface forms an actor was mentioned by, and alternative labels: the names a user may search by.
_ALIASES = """
SELECT ?actor ?name WHERE {
  { GRAPH ?g { ?mention itsrdf:taIdentRef ?actor ; nif:anchorOf ?name } }
  UNION
  { GRAPH ?g { ?actor skos:altLabel ?name } }
}"""

_DOCUMENTS = """
SELECT ?doc ?id ?title ?publisher ?date WHERE {
  GRAPH ?g {
    ?doc a gb:Document .
    OPTIONAL { ?doc dcterms:identifier ?id }
    OPTIONAL { ?doc dcterms:title ?title }
    OPTIONAL { ?doc dcterms:publisher ?publisher }
    OPTIONAL { ?doc dcterms:date ?date }
  }
}"""

_EVENTS = """
SELECT ?event ?type ?modality ?source ?target ?sentence ?doc ?date ?confidence ?lexicon
       ?cluster ?articles ?sources ?mentions ?disputed
WHERE {
  GRAPH ?g {
    ?event a gb:Event ; gb:eventType ?type .
    OPTIONAL { ?event gb:confidence ?confidence }
    OPTIONAL { ?event gb:lexiconEntry ?lexicon }
    OPTIONAL { ?event gb:modality ?modality }
    OPTIONAL { ?event gb:source ?source }
    OPTIONAL { ?event gb:target ?target }
    OPTIONAL { ?event gb:evidence ?span . ?span nif:anchorOf ?sentence }
    OPTIONAL { ?event prov:wasDerivedFrom ?doc }
    OPTIONAL { ?event gb:date ?date }
  }
  OPTIONAL { GRAPH ?c { ?cluster gb:mention ?event ; gb:numArticles ?articles ; gb:numSources ?sources ;
                                 gb:numMentions ?mentions ; gb:disputed ?disputed } }
}"""

# The rules that made each event (provenance, shown with its evidence).
_EVENT_RULES = """
SELECT ?event ?rule WHERE { GRAPH ?g { ?event a gb:Event ; gb:rule ?rule } }"""

# Claims: acts in someone's words, shown on the claimant's and on the accused's panels.
_CLAIMS = """
SELECT ?claim ?claimant ?type ?modality ?source ?target ?sentence ?doc WHERE {
  GRAPH ?g {
    ?claim a gb:Claim ; gb:actType ?type ; gb:actModality ?modality .
    OPTIONAL { ?claim gb:claimant ?claimant }
    OPTIONAL { ?claim gb:actSource ?source }
    OPTIONAL { ?claim gb:actTarget ?target }
    OPTIONAL { ?claim gb:evidence ?span . ?span nif:anchorOf ?sentence }
    OPTIONAL { ?claim prov:wasDerivedFrom ?doc }
  }
}"""

_STATEMENTS = """
SELECT ?statement ?speaker ?quote ?sentence ?doc WHERE {
  GRAPH ?g {
    ?statement gb:speaker ?speaker ; gb:quote ?quote .
    OPTIONAL { ?statement gb:evidence ?span . ?span nif:anchorOf ?sentence }
    OPTIONAL { ?statement prov:wasDerivedFrom ?doc }
  }
}"""


class ActorNotFound(LookupError):
    """No actor in the graph has the name or alias asked for."""


@dataclass(frozen=True)
class Typology:
    """PLOVER type → quad class (VerbalCooperation ... MaterialConflict), read from the ontology."""

    quad_classes: dict[str, str]

    def quad_class(self, event_type: str) -> str:
        return self.quad_classes.get(event_type, UNKNOWN_CLASS)


def load_typology() -> Typology:
    """The quad class of each PLOVER type, as ``ontology/plover.ttl`` gives it (through ``kb.py``).

    Types the ontology does not classify (or a missing ontology) come out as ``Unknown``:
    the view then draws them neutral rather than guessing.
    """
    try:
        from . import kb

        plover = kb.load().plover
    except (ImportError, ValueError, OSError):
        return Typology({})
    return Typology({name: t.quad_class for name, t in plover.items() if t.quad_class})


def _text(value) -> str:
    return "" if value is None else str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def records(value: str) -> list[dict]:
    """Decode a JSON-list attribute (``evidence``, ``clusters``, ``quotes``, ``solo_events``,
    ``claims_made``, ``claims_about``)."""
    return json.loads(value) if value else []


def actor_network(dataset: Dataset, typology: Typology | None = None, min_confidence: float = 0.0) -> nx.MultiDiGraph:
    """Read actors, events and statements from a built dataset into an actor network; events
    below ``min_confidence`` are left out."""
    typology = typology or load_typology()
    graph = nx.MultiDiGraph(centrality_measure="pagerank")

    for row in dataset.query(_ACTORS, initNs=_NS):
        iri = str(row.actor)
        actor_type = ACTOR_TYPES[_local_name(str(row["class"]))]
        if iri in graph and graph.nodes[iri]["actor_type"] != UNKNOWN_TYPE:
            continue  # an IRI with two actor classes keeps the first
        graph.add_node(iri, **_actor_attributes(iri, _text(row.label), actor_type, _text(row.country)))

    aliases: dict[str, set[str]] = defaultdict(set)
    for row in dataset.query(_ALIASES, initNs=_NS):
        aliases[str(row.actor)].add(_one_line(str(row.name)))

    documents = {
        str(row.doc): {
            "document": _text(row.id),
            "title": _one_line(_text(row.title)),
            "publisher": _one_line(_text(row.publisher)),
            "date": _text(row.date),
        }
        for row in dataset.query(_DOCUMENTS, initNs=_NS)
    }

    def ensure_actor(iri: str) -> None:
        if iri not in graph:
            graph.add_node(iri, **_actor_attributes(iri, "", UNKNOWN_TYPE, ""))

    def source_record(doc, sentence, date=None) -> dict:
        record = dict(documents.get(_text(doc), {"document": "", "title": "", "publisher": "", "date": ""}))
        record["sentence"] = _one_line(_text(sentence))
        if date is not None:
            record["date"] = _text(date)  # the event's own date beats the publication date
        return record

    event_rules: dict[str, list[str]] = defaultdict(list)
    for row in dataset.query(_EVENT_RULES, initNs=_NS):
        event_rules[str(row.event)].append(_local_name(str(row.rule)))
    edge_reports: dict[tuple, dict[tuple, dict]] = defaultdict(dict)
    edge_clusters: dict[tuple, dict[str, dict]] = defaultdict(dict)
    solo_events: dict[str, dict[tuple, dict]] = defaultdict(dict)
    unattached = 0
    for row in dataset.query(_EVENTS, initNs=_NS):
        confidence = float(row.confidence) if row.confidence is not None else None
        if confidence is not None and confidence < min_confidence:
            continue  # kept in the store, left out of the picture
        if row.source is None:
            unattached += 1  # no actor to draw it from
            continue
        source = str(row.source)
        ensure_actor(source)
        event_type = _local_name(str(row.type))
        modality = _local_name(str(row.modality)).lower() if row.modality is not None else "asserted"
        record = source_record(row.doc, row.sentence, row.date)
        record.update(confidence=confidence, lexicon=_text(row.lexicon), rules=in_stage_order(event_rules.get(str(row.event), [])))
        # one report per sentence of a document: two triggers in one sentence are one report
        report_key = (record["document"], record["sentence"])
        if row.target is None:
            record.update(type=event_type, modality=modality)
            solo_events[source][report_key + (event_type, modality)] = record
            continue
        target = str(row.target)
        ensure_actor(target)
        edge_reports[(source, target, event_type, modality)][report_key] = record
        if row.cluster is not None:
            edge_clusters[(source, target, event_type, modality)][str(row.cluster)] = {
                "articles": int(row.articles), "sources": int(row.sources), "mentions": int(row.mentions),
                "disputed": bool(row.disputed.toPython())}

    for (source, target, event_type, modality), reports in edge_reports.items():
        ordered = sorted(reports.values(), key=lambda r: (r["date"], r["title"], r["sentence"]))
        dates = [r["date"] for r in ordered if r["date"]]
        confidences = [r["confidence"] for r in ordered if r["confidence"] is not None]
        graph.add_edge(
            source, target, key=f"{event_type}|{modality}",
            event_type=event_type,
            modality=modality,
            quad_class=typology.quad_class(event_type),
            reports=len(ordered),
            confidence=max(confidences, default=1.0),  # the surest report behind the arrow
            first_date=min(dates, default=""),
            last_date=max(dates, default=""),
            evidence=json.dumps(ordered, ensure_ascii=False),
            # the acts behind the arrow, largest first: how many articles and sources report each
            clusters=json.dumps(sorted(edge_clusters[(source, target, event_type, modality)].values(),
                                       key=lambda c: (-c["articles"], -c["mentions"])), ensure_ascii=False),
        )

    quotes: dict[str, dict[tuple, dict]] = defaultdict(dict)
    for row in dataset.query(_STATEMENTS, initNs=_NS):
        speaker = str(row.speaker)
        ensure_actor(speaker)
        record = source_record(row.doc, row.sentence)
        record["quote"] = _one_line(str(row.quote))
        quotes[speaker][(record["document"], record["quote"])] = record

    claims_made: dict[str, list[dict]] = defaultdict(list)
    claims_about: dict[str, list[dict]] = defaultdict(list)
    for row in dataset.query(_CLAIMS, initNs=_NS):
        record = source_record(row.doc, row.sentence)
        parties = {}
        for role in ("claimant", "source", "target"):
            iri = row[role]
            if iri is not None:
                ensure_actor(str(iri))
                parties[role] = str(iri)
                parties[f"{role}_name"] = graph.nodes[str(iri)]["label"]
        record.update(type=_local_name(str(row.type)), modality=_local_name(str(row.modality)).lower(), **parties)
        if "claimant" in parties:
            claims_made[parties["claimant"]].append(record)
        for about in {parties.get("source"), parties.get("target")} - {None}:
            claims_about[about].append(record)

    for iri, attributes in graph.nodes(data=True):
        spoken = sorted(quotes.get(iri, {}).values(), key=lambda r: (r["date"], r["title"]))
        alone = sorted(solo_events.get(iri, {}).values(), key=lambda r: (r["date"], r["type"]))
        names = sorted(aliases.get(iri, set()) - {attributes["label"]})
        attributes.update(
            statements=len(spoken),
            quotes=json.dumps(spoken, ensure_ascii=False),
            solo_events=json.dumps(alone, ensure_ascii=False),
            claims_made=json.dumps(sorted(claims_made.get(iri, []), key=lambda r: (r["date"], r["sentence"])),
                                   ensure_ascii=False),
            claims_about=json.dumps(sorted(claims_about.get(iri, []), key=lambda r: (r["date"], r["sentence"])),
                                    ensure_ascii=False),
            aliases="\n".join(names),
        )
    graph.graph["events_without_source"] = unattached
    _add_centrality(graph)
    return graph


def _actor_attributes(iri: str, label: str, actor_type: str, country: str) -> dict:
    return {"label": _one_line(label) or _local_name(iri), "actor_type": actor_type, "country": country}


def _add_centrality(graph: nx.MultiDiGraph) -> None:
    """PageRank over report counts: an actor matters when much-reported actors act on it or it on them.

    Computed on the undirected, weighted collapse of the multigraph (who is involved with whom,
    however often), plus the actor's own statements, so speakers without events are not zero.
    """
    collapsed = nx.Graph()
    collapsed.add_nodes_from(graph)
    for source, target, reports in graph.edges(data="reports"):
        if collapsed.has_edge(source, target):
            collapsed[source][target]["weight"] += reports
        else:
            collapsed.add_edge(source, target, weight=reports)
    if len(collapsed) == 0:
        return
    activity = {n: 1.0 + graph.nodes[n]["statements"] for n in graph}
    total = sum(activity.values())
    scores = nx.pagerank(collapsed, weight="weight", personalization={n: a / total for n, a in activity.items()})
    for node, score in scores.items():
        graph.nodes[node]["centrality"] = round(float(score), 6)
        graph.nodes[node]["degree"] = graph.degree(node)


def top_actors(graph: nx.MultiDiGraph, max_nodes: int) -> nx.MultiDiGraph:
    """The sub-network of the ``max_nodes`` most central actors (ties broken by name)."""
    ranked = sorted(graph.nodes, key=lambda n: (-graph.nodes[n].get("centrality", 0.0), graph.nodes[n]["label"], n))
    pruned = graph.subgraph(ranked[: max(0, max_nodes)]).copy()
    pruned.graph.update(graph.graph, pruned_from=graph.number_of_nodes())
    return pruned


def find_actor(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of the actor called ``name``: by canonical name first, then by alias.

    Several actors sharing an alias resolve to the most central one.
    """
    wanted = normalize_name(name)
    by_label = [n for n, label in graph.nodes(data="label") if normalize_name(label) == wanted]
    by_alias = [
        n for n, names in graph.nodes(data="aliases")
        if any(normalize_name(alias) == wanted for alias in (names or "").split("\n") if alias)
    ]
    candidates = by_label or by_alias
    if not candidates:
        raise ActorNotFound(f"no actor named {name!r} in the graph")
    return max(candidates, key=lambda n: (graph.nodes[n].get("centrality", 0.0), n))


def ego_network(graph: nx.MultiDiGraph, name: str, hops: int = 2) -> nx.MultiDiGraph:
    """The actors within ``hops`` events of the named actor (in either direction), with their events."""
    centre = find_actor(graph, name)
    ego = nx.ego_graph(graph, centre, radius=max(0, hops), undirected=True).copy()
    ego.graph.update(graph.graph, centre=centre, hops=hops)
    return ego
