"""Counts that summarise a built graph, for `graphbuild stats`."""

from __future__ import annotations

from rdflib import Dataset

from .queries import run_query

TOP_ACTORS = 10

_COUNTS = """
SELECT
  (COUNT(DISTINCT ?document) AS ?documents)
  (COUNT(DISTINCT ?statement) AS ?statements)
  (COUNT(DISTINCT ?quotation) AS ?quotations)
  (COUNT(DISTINCT ?role) AS ?roles)
  (COUNT(DISTINCT ?place) AS ?places)
  (COUNT(DISTINCT ?claim) AS ?claims)
  (COUNT(DISTINCT ?cluster) AS ?clusters)
  (COUNT(DISTINCT ?disputed) AS ?disputes)
WHERE {
  { ?document a gb:Document }
  UNION { ?statement gb:speaker|gb:quote [] . OPTIONAL { ?statement a gb:Quotation . BIND(?statement AS ?quotation) } }
  UNION { ?role a gb:RoleHolding }
  UNION { ?place a gb:Place }
  UNION { ?claim a gb:Claim }
  UNION { ?cluster a gb:EventCluster . OPTIONAL { ?cluster gb:disputed true . BIND(?cluster AS ?disputed) } }
}"""

_ACTORS_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?actor) AS ?n) WHERE {
  VALUES ?class { gb:Person gb:Organization gb:State }
  ?actor a ?class ; skos:prefLabel [] .
} GROUP BY ?class ORDER BY DESC(?n)"""

_EVENTS_BY_TYPE = """
SELECT ?type ?modality (COUNT(DISTINCT ?event) AS ?n) WHERE {
  ?event a gb:Event ; gb:eventType ?type ; gb:modality ?modality .
} GROUP BY ?type ?modality"""

_TOP_ACTORS = """
SELECT ?name (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  ?doc schema:mentions ?actor .
  ?actor skos:prefLabel ?name .
  FILTER NOT EXISTS { ?actor a gb:Place }
  OPTIONAL { ?fact gb:source|gb:target|gb:speaker|gb:holder ?actor }
} GROUP BY ?name ORDER BY DESC(?documents) DESC(?facts) ?name LIMIT %d"""

_GRAPHS_AND_TRIPLES = """
SELECT (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"""


def _local(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _number(term) -> int:
    return int(term) if term is not None else 0


def graph_stats(dataset: Dataset) -> str:
    """A plain-text summary: documents, actors by class, events by type and modality,
    statements, roles, named graphs and quads, and the most mentioned actors."""
    counts = dict(zip(*_single_row(dataset, _COUNTS)))
    actors = {_local(row[0]): _number(row[1]) for row in run_query(dataset, _ACTORS_BY_CLASS).rows}
    events: dict[str, dict[str, int]] = {}
    for type_iri, modality, n in run_query(dataset, _EVENTS_BY_TYPE).rows:
        events.setdefault(_local(type_iri), {})[_local(modality).lower()] = _number(n)
    graphs, quads = _single_row(dataset, _GRAPHS_AND_TRIPLES)[1]
    top = run_query(dataset, _TOP_ACTORS % TOP_ACTORS).rows

    modalities = ("asserted", "negated", "hypothetical")
    lines = [
        f"documents    {_number(counts['documents'])}",
        f"actors       {sum(actors.values())}  ("
        + ", ".join(f"{name} {n}" for name, n in actors.items()) + ")",
        f"places       {_number(counts['places'])}",
        f"roles        {_number(counts['roles'])}",
        f"statements   {_number(counts['statements'])}  (quotations {_number(counts['quotations'])})",
        f"events       {sum(sum(by.values()) for by in events.values())}",
        f"claims       {_number(counts['claims'])}",
        f"clusters     {_number(counts['clusters'])}  (disputed {_number(counts['disputes'])})",
        f"named graphs {_number(graphs)}",
        f"quads        {_number(quads)}",
    ]
    if events:
        lines += ["", "events by type  " + "  ".join(f"{m:>12}" for m in modalities)]
        for event_type in sorted(events, key=lambda t: (-sum(events[t].values()), t)):
            by_modality = events[event_type]
            lines.append(f"  {event_type:<14}" + "  ".join(f"{by_modality.get(m, 0):>12}" for m in modalities))
    if top:
        lines += ["", f"top actors (by documents mentioning them, then facts)"]
        width = max(len(str(row[0])) for row in top)
        lines += [f"  {str(name):<{width}}  {_number(docs):>4} docs  {_number(facts):>5} facts" for name, docs, facts in top]
    return "\n".join(line.rstrip() for line in lines)


def _single_row(dataset: Dataset, query: str):
    result = run_query(dataset, query)
    return result.variables, (result.rows[0] if result.rows else (None,) * len(result.variables))
