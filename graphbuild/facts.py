"""The facts export (one object per document, in the shape of the evaluation's FORMAT.md),
derived from the RDF graph by SPARQL, so that what gets scored is what users query."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Dataset

from .extract.rules import in_stage_order
from .vocab import SPARQL_PREFIXES

DOCUMENTS = """
SELECT ?doc ?id ?published ?title ?publisher WHERE {
  GRAPH ?g { ?doc a gb:Document ; dcterms:identifier ?id .
    OPTIONAL { ?doc dcterms:date ?published } OPTIONAL { ?doc dcterms:title ?title }
    OPTIONAL { ?doc dcterms:publisher ?publisher } }
}"""

ENTITIES = """
SELECT ?entity ?name ?class ?code WHERE {
  GRAPH ?e { ?entity skos:prefLabel ?name ; a ?class .
    VALUES ?class { gb:Person gb:Organization gb:State gb:Place }
    OPTIONAL { { ?entity gb:isoAlpha3 ?code } UNION { ?entity gb:country ?state . ?state gb:isoAlpha3 ?code } } }
}"""

MENTIONS = """
SELECT ?doc ?entity ?alias WHERE {
  GRAPH ?g { ?doc a gb:Document ; schema:mentions ?entity .
    OPTIONAL { ?mention itsrdf:taIdentRef ?entity ; nif:referenceContext ?doc ; nif:anchorOf ?alias } }
}"""

ROLES = """
SELECT ?doc ?holder ?role ?of WHERE {
  GRAPH ?g { ?r a gb:RoleHolding ; prov:wasDerivedFrom ?doc ; gb:holder ?holder ; gb:roleName ?role .
    OPTIONAL { ?r gb:roleIn ?of } }
}"""

QUOTATIONS = """
SELECT ?doc ?speaker ?quote ?start WHERE {
  GRAPH ?g { ?s a gb:Quotation ; prov:wasDerivedFrom ?doc ; gb:quote ?quote ; gb:span ?span .
    ?span nif:beginIndex ?start . OPTIONAL { ?s gb:speaker ?speaker } }
}"""

EVENTS = """
SELECT ?e ?doc ?type ?source ?target ?modality ?evidence ?start ?confidence WHERE {
  GRAPH ?g { ?e a gb:Event ; prov:wasDerivedFrom ?doc ; gb:eventType ?type ; gb:modality ?modality ;
    gb:evidence ?sentence ; gb:trigger ?trigger . ?trigger nif:beginIndex ?start .
    ?sentence nif:anchorOf ?evidence .
    OPTIONAL { ?e gb:source ?source } OPTIONAL { ?e gb:target ?target } OPTIONAL { ?e gb:confidence ?confidence } }
}"""

# What speakers say others did: kept apart from the article's own events.
CLAIMS = """
SELECT ?doc ?claimant ?type ?source ?target ?modality ?evidence ?start WHERE {
  GRAPH ?g { ?c a gb:Claim ; prov:wasDerivedFrom ?doc ; gb:actType ?type ; gb:actModality ?modality ;
    gb:evidence ?sentence . ?sentence nif:anchorOf ?evidence ; nif:beginIndex ?start .
    OPTIONAL { ?c gb:claimant ?claimant } OPTIONAL { ?c gb:actSource ?source } OPTIONAL { ?c gb:actTarget ?target } }
}"""
EVENT_RULES = """
SELECT ?e ?rule WHERE { GRAPH ?g { ?e a gb:Event ; gb:rule ?rule } }"""

FACT_TYPES = {"Person": "Person", "Organization": "Organization", "State": "Country"}


def _rows(dataset: Dataset, query: str):
    return dataset.query(SPARQL_PREFIXES + query)


def _local(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def document_facts(dataset: Dataset, min_confidence: float = 0.0) -> list[dict]:
    """Facts objects for every document in the store, ordered by document id; events below
    ``min_confidence`` are left out (they stay in the store)."""
    documents: dict[str, dict] = {}
    for row in _rows(dataset, DOCUMENTS):
        documents[str(row.doc)] = {
            "document": str(row.id),
            "published": str(row.published) if row.published else None,
            "title": str(row.title) if row.title else None,
            "publisher": str(row.publisher) if row.publisher else None,
            "actors": [], "places": [], "roles": [], "statements": [], "events": [], "claims": [],
        }

    names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    codes: dict[str, str] = {}
    for row in _rows(dataset, ENTITIES):
        entity = str(row.entity)
        names[entity] = str(row.name)
        kinds[entity] = _local(row["class"])
        if row.code:
            codes[entity] = str(row.code)

    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(dataset, MENTIONS):
        surface_forms = aliases[(str(row.doc), str(row.entity))]  # registers the mention
        if row.alias:
            surface_forms.add(str(row.alias))
    for (doc, entity), surface_forms in sorted(aliases.items()):
        if doc not in documents or entity not in names:
            continue
        name = names[entity]
        extra = sorted(surface_forms - {name})
        if kinds[entity] == "Place":
            documents[doc]["places"].append({"name": name, "aliases": extra})
        else:
            actor = {"name": name, "type": FACT_TYPES[kinds[entity]], "aliases": extra}
            if entity in codes:
                actor["country"] = codes[entity]
            documents[doc]["actors"].append(actor)

    name_of = lambda iri: names.get(str(iri)) if iri is not None else None  # noqa: E731
    for row in _rows(dataset, ROLES):
        if str(row.doc) in documents:
            documents[str(row.doc)]["roles"].append(
                {"person": name_of(row.holder), "role": str(row.role), "of": name_of(row.of)})
    for row in sorted(_rows(dataset, QUOTATIONS), key=lambda r: int(r.start)):
        if str(row.doc) in documents:
            documents[str(row.doc)]["statements"].append({"speaker": name_of(row.speaker), "quote": str(row.quote)})
    rules: dict[str, list[str]] = defaultdict(list)
    for row in _rows(dataset, EVENT_RULES):
        rules[str(row.e)].append(_local(row.rule))
    for row in sorted(_rows(dataset, EVENTS), key=lambda r: (int(r.start), str(r.e))):
        confidence = float(row.confidence) if row.confidence is not None else None
        if str(row.doc) in documents and (confidence is None or confidence >= min_confidence):
            documents[str(row.doc)]["events"].append({
                "source": name_of(row.source), "type": _local(row.type), "target": name_of(row.target),
                "modality": _local(row.modality).lower(), "evidence": str(row.evidence),
                "rules": in_stage_order(rules.get(str(row.e), [])),
                "confidence": confidence,
            })
    for row in sorted(_rows(dataset, CLAIMS), key=lambda r: (int(r.start), str(r.type))):
        if str(row.doc) in documents:
            documents[str(row.doc)]["claims"].append({
                "claimant": name_of(row.claimant), "source": name_of(row.source), "type": _local(row.type),
                "target": name_of(row.target), "modality": _local(row.modality).lower(),
                "evidence": str(row.evidence),
            })
    for facts in documents.values():
        facts["roles"].sort(key=lambda r: (r["person"] or "", r["role"]))
    return sorted(documents.values(), key=lambda facts: facts["document"])
