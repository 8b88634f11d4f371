"""Event clusters: the same act across invented articles, counted, disputed, kept up to date."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph

from graphbuild.cluster import WINDOW_DAYS, update_clusters
from graphbuild.model import Actor, Claim, Document, Event, Extraction, Place, TextSpan
from graphbuild.queries import run_named_query, run_query
from graphbuild.rdf.writer import document_quads, entity_quads
from graphbuild.store import add_quads, close, open_dataset
from graphbuild.vocab import actor_iri, document_graph_iri, place_iri

ACTORS = {"zan": ("Zandia", "ZAN"), "vel": ("Veloria", "VEL")}


def span(text: str, fragment: str) -> TextSpan:
    start = text.index(fragment)
    return TextSpan(start, start + len(fragment), fragment)


def article(doc_id: str, text: str, published: str | None, publisher: str | None, events=(), claims=(),
            places=()):
    """An extraction of ``text``: events and claims as (type, source, target, modality, trigger[,
    place key][, own date]) with the trigger's sentence as evidence; places as (key, name, country)."""
    actors = [Actor(key, name, "Country", country=code, mentions=[span(text, name)] if name in text else [],
                    iri=str(actor_iri("Country", name))) for key, (name, code) in ACTORS.items()]
    place_list = [Place(key, name, country=country, iri=str(place_iri(name))) for key, name, country in places]

    def event(type_, source, target, modality, trigger, place=None, when=None):
        return Event(type_, source, target, modality, span(text, trigger), TextSpan(0, len(text), text),
                     place=place, date=dt.date.fromisoformat(when) if when else None)

    document = Document(doc_id, text, published=dt.date.fromisoformat(published) if published else None,
                        publisher=publisher, content_hash=f"{doc_id}:{text}")
    return Extraction(document, actors=actors, places=place_list, events=[event(*e) for e in events],
                      claims=[Claim("vel", event(*c), span(text, c[4])) for c in claims])


def store(dataset, *extractions):
    for extraction in extractions:
        dataset.remove_graph(Graph(dataset.store, identifier=document_graph_iri(extraction.document.id)))
        add_quads(dataset, document_quads(extraction))
        add_quads(dataset, entity_quads(extraction.actors, extraction.places))
    return update_clusters(dataset)


def clusters(dataset) -> dict[str, dict]:
    rows = run_query(dataset, """
        SELECT ?cluster ?type (COUNT(DISTINCT ?m) AS ?mentions) (SAMPLE(?articles) AS ?a) (SAMPLE(?sources) AS ?s)
               (SAMPLE(?first) AS ?f) (SAMPLE(?last) AS ?l) (SAMPLE(?disputed) AS ?d) WHERE {
          ?cluster a gb:EventCluster ; gb:actType ?type ; gb:mention ?m ; gb:numArticles ?articles ;
                   gb:numSources ?sources ; gb:disputed ?disputed ; gb:numMentions ?n .
          OPTIONAL { ?cluster gb:firstReported ?first ; gb:lastReported ?last }
        } GROUP BY ?cluster ?type""").rows
    return {str(r[0]): {"type": str(r[1]).rsplit("#", 1)[-1], "mentions": int(r[2]), "articles": int(r[3]),
                        "sources": int(r[4]), "first": str(r[5]) if r[5] else None,
                        "last": str(r[6]) if r[6] else None, "disputed": r[7].toPython()} for r in rows}


@pytest.fixture(params=["oxigraph", "memory"])
def dataset(request, tmp_path):
    data = open_dataset(tmp_path, request.param)
    yield data
    close(data)


STRIKE = "Zandia struck Veloria's border post."


def test_the_same_act_in_three_articles_from_two_publishers_is_one_cluster(dataset):
    store(dataset,
          article("a.txt", STRIKE, "2031-05-02", "Zandian Herald", [("ASSAULT", "zan", "vel", "asserted", "struck")]),
          article("b.txt", "Zandia bombed Veloria again.", "2031-05-04", "Zandian Herald",
                  [("ASSAULT", "zan", "vel", "asserted", "bombed")]),
          article("c.txt", "Yesterday Zandia shelled Veloria.", "2031-05-05", "Velorian Post",
                  [("ASSAULT", "zan", "vel", "asserted", "shelled")]))
    [cluster] = [c for c in clusters(dataset).values() if c["type"] == "ASSAULT"]
    assert cluster == {"type": "ASSAULT", "mentions": 3, "articles": 3, "sources": 2, "first": "2031-05-02",
                       "last": "2031-05-05", "disputed": False}


def test_far_dates_other_countries_and_other_targets_are_other_acts(dataset):
    far = (dt.date(2031, 5, 2) + dt.timedelta(days=WINDOW_DAYS + 1)).isoformat()
    store(dataset,
          article("a.txt", "Zandia struck Veloria in Porto.", "2031-05-02", None,
                  [("ASSAULT", "zan", "vel", "asserted", "struck", "porto")], places=[("porto", "Porto", "ZAN")]),
          article("b.txt", STRIKE, far, None, [("ASSAULT", "zan", "vel", "asserted", "struck")]),
          # its own date puts it on the day of the first report, but in another country
          article("c.txt", "Zandia struck Veloria in Kessa.", far, None,
                  [("ASSAULT", "zan", "vel", "asserted", "struck", "kessa", "2031-05-02")],
                  places=[("kessa", "Kessa", "KES")]),
          article("d.txt", "Veloria struck Zandia.", "2031-05-02", None, [("ASSAULT", "vel", "zan", "asserted", "struck")]))
    assert sorted(c["mentions"] for c in clusters(dataset).values()) == [1, 1, 1, 1]
    # a report that names no place fits a cluster of its days, whatever its country
    store(dataset, article("e.txt", STRIKE, "2031-05-03", None, [("ASSAULT", "zan", "vel", "asserted", "struck")]))
    assert sorted(c["mentions"] for c in clusters(dataset).values()) == [1, 1, 1, 2]


def test_an_act_asserted_in_one_article_and_only_claimed_or_denied_in_another_is_disputed(dataset):
    store(dataset,
          article("a.txt", STRIKE, "2031-05-02", "Herald", [("ASSAULT", "zan", "vel", "asserted", "struck")]),
          # the article reports another act of its own, but this one only as Veloria's claim
          article("b.txt", "Veloria says Zandia struck first, and met Zandia.", "2031-05-03", "Post",
                  [("CONSULT", "vel", "zan", "asserted", "met")],
                  claims=[("ASSAULT", "zan", "vel", "asserted", "struck first")]),
          article("c.txt", "Zandia did not threaten Veloria.", "2031-05-03", "Post",
                  [("THREATEN", "zan", "vel", "negated", "threaten")]),
          article("d.txt", "Zandia threatened Veloria.", "2031-05-04", "Herald",
                  [("THREATEN", "zan", "vel", "hypothetical", "threatened")]))
    by_type = {c["type"]: c for c in clusters(dataset).values()}
    assert by_type["ASSAULT"]["disputed"] and by_type["ASSAULT"]["articles"] == 2
    assert not by_type["THREATEN"]["disputed"]  # negated and hypothetical: nobody asserts it
    rows = run_named_query(dataset, "disputed-facts").as_dicts()
    assert [(str(r["type"]), str(r["asserted_in"]), str(r["disputed_in"]), str(r["disputed_as"]), str(r["claimant"]))
            for r in rows] == [("ASSAULT", "a.txt", "b.txt", "claimed", "Veloria")]


def test_a_claim_beside_the_article_s_own_report_is_no_dispute(dataset):
    store(dataset, article("a.txt", "Zandia struck Veloria, which says Zandia struck first.", "2031-05-02", None,
                           [("ASSAULT", "zan", "vel", "asserted", "struck")],
                           claims=[("ASSAULT", "zan", "vel", "asserted", "struck first")]),
          article("b.txt", STRIKE, "2031-05-02", None, [("ASSAULT", "zan", "vel", "asserted", "struck")]))
    [cluster] = clusters(dataset).values()
    assert cluster["mentions"] == 3 and not cluster["disputed"]


def test_clusters_follow_added_rebuilt_and_removed_documents_and_keep_their_iris(dataset):
    first = article("a.txt", STRIKE, "2031-05-02", "Herald", [("ASSAULT", "zan", "vel", "asserted", "struck")])
    talks = article("t.txt", "Zandia met Veloria.", "2031-05-02", "Herald", [("CONSULT", "zan", "vel", "asserted", "met")])
    store(dataset, first, talks)
    [strike] = [iri for iri, c in clusters(dataset).items() if c["type"] == "ASSAULT"]

    report = store(dataset, article("b.txt", "Zandia bombed Veloria.", "2031-05-03", "Post",
                                    [("ASSAULT", "zan", "vel", "negated", "bombed")]))
    assert (report.documents, report.keys) == (1, 1)  # the talks were not recomputed
    assert clusters(dataset)[strike]["articles"] == 2 and clusters(dataset)[strike]["disputed"]

    # a rebuilt document that no longer reports the strike leaves the cluster
    store(dataset, article("b.txt", "Zandia met Veloria.", "2031-05-03", "Post",
                           [("CONSULT", "zan", "vel", "asserted", "met")]))
    found = clusters(dataset)
    assert found[strike]["articles"] == 1 and not found[strike]["disputed"]
    assert sorted((c["type"], c["articles"]) for c in found.values()) == [("ASSAULT", 1), ("CONSULT", 2)]

    # a removed document takes its mentions along; a cluster left without any is gone
    dataset.remove_graph(Graph(dataset.store, identifier=document_graph_iri("a.txt")))
    assert update_clusters(dataset).documents == 1
    assert sorted(c["type"] for c in clusters(dataset).values()) == ["CONSULT"]
    assert update_clusters(dataset).documents == 0  # nothing left to do


def test_every_event_of_a_real_build_is_in_exactly_one_cluster(seed_build):
    _folder, data = seed_build
    [[events, clustered, repeated]] = run_query(data, """
        SELECT (COUNT(DISTINCT ?e) AS ?events) (COUNT(DISTINCT ?m) AS ?clustered) (COUNT(DISTINCT ?twice) AS ?repeated)
        WHERE { { ?e a gb:Event } UNION { ?c gb:mention ?m }
                UNION { ?c1 gb:mention ?twice . ?c2 gb:mention ?twice . FILTER(?c1 != ?c2) } }""").rows
    assert int(events) > 10 and int(clustered) >= int(events) and int(repeated) == 0
