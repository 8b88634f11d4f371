"""The actor network read from RDF: aggregation of events into edges, quotes on speakers,
quad classes from the ontology, plain attributes for GraphML/GEXF, pruning and ego graphs."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from conftest import make_view_dataset

from graphbuild.network import ActorNotFound, actor_network, ego_network, find_actor, records, top_actors
from graphbuild.store import close
from graphbuild.vocab import actor_iri

# Two invented reports of the same border clash, plus a chain of actors for the ego tests.
GAZETTE = (
    "Ruritania shelled Borduria on Monday. Borduria may sanction Ruritania. "
    "Borduria did not shell Ruritania, its ministry said. Ruritania mobilised its reserves. "
    "“We will answer every shell,” said Anna Weiss. Anna Weiss met Karl Brandt in Klopstock."
)
COURIER = (
    "Ruritanian guns shelled Borduria again. Karl Brandt called Otto Falk. Otto Falk met Lena Vogt. "
    "Lena Vogt spoke to Max Ernst."
)
ARTICLES = [
    {
        "id": "gazette-1", "title": "Shelling on the border", "publisher": "North Gazette", "published": "2024-03-04",
        "text": GAZETTE,
        "actors": [
            ("r", "Ruritania", "Country", "RUR"), ("b", "Borduria", "Country", "BOR"),
            ("w", "Anna Weiss", "Person", "RUR"), ("k", "Karl Brandt", "Person", "BOR"),
        ],
        "events": [
            ("ASSAULT", "r", "b", "asserted", "Ruritania shelled Borduria on Monday."),
            ("SANCTION", "b", "r", "hypothetical", "Borduria may sanction Ruritania."),
            ("ASSAULT", "b", "r", "negated", "Borduria did not shell Ruritania, its ministry said."),
            ("MOBILIZE", "r", None, "asserted", "Ruritania mobilised its reserves."),
            ("CONSULT", "w", "k", "asserted", "Anna Weiss met Karl Brandt in Klopstock."),
        ],
        "statements": [("w", "We will answer every shell,", "“We will answer every shell,” said Anna Weiss.")],
    },
    {
        "id": "courier-2", "title": "Guns again", "publisher": "South Courier", "published": "2024-03-06",
        "text": COURIER,
        "actors": [
            ("r", "Ruritania", "Country", "RUR", ["Ruritanian"]), ("b", "Borduria", "Country", "BOR"),
            ("k", "Karl Brandt", "Person", "BOR"), ("f", "Otto Falk", "Person", "BOR"),
            ("v", "Lena Vogt", "Person", "BOR"), ("e", "Max Ernst", "Person", "BOR"),
        ],
        "events": [
            ("ASSAULT", "r", "b", "asserted", "Ruritanian guns shelled Borduria again."),
            ("CONSULT", "k", "f", "asserted", "Karl Brandt called Otto Falk."),
            ("CONSULT", "f", "v", "asserted", "Otto Falk met Lena Vogt."),
            ("CONSULT", "v", "e", "asserted", "Lena Vogt spoke to Max Ernst."),
        ],
    },
]


def iri(actor_type: str, name: str) -> str:
    return str(actor_iri(actor_type, name))


RUR, BOR = iri("Country", "Ruritania"), iri("Country", "Borduria")
WEISS = iri("Person", "Anna Weiss")


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def network(request, tmp_path_factory):
    dataset = make_view_dataset(tmp_path_factory.mktemp(f"net-{request.param}"), ARTICLES, request.param)
    yield actor_network(dataset)
    close(dataset)


def test_actors_are_nodes_with_label_type_and_country(network):
    assert network.number_of_nodes() == 7
    assert network.nodes[RUR]["label"] == "Ruritania"
    assert network.nodes[RUR]["actor_type"] == "Country"
    assert network.nodes[WEISS]["actor_type"] == "Person"
    assert network.nodes[WEISS]["country"] == "RUR"


def test_reports_of_one_event_across_documents_become_one_edge(network):
    edge = network.edges[RUR, BOR, "ASSAULT|asserted"]
    assert edge["reports"] == 2
    evidence = records(edge["evidence"])
    assert [(r["title"], r["publisher"], r["date"]) for r in evidence] == [
        ("Shelling on the border", "North Gazette", "2024-03-04"),
        ("Guns again", "South Courier", "2024-03-06"),
    ]
    assert evidence[1]["sentence"] == "Ruritanian guns shelled Borduria again."
    assert (edge["first_date"], edge["last_date"]) == ("2024-03-04", "2024-03-06")


def test_modalities_are_kept_apart(network):
    assert set(network[BOR][RUR]) == {"SANCTION|hypothetical", "ASSAULT|negated"}
    assert network.edges[BOR, RUR, "ASSAULT|negated"]["modality"] == "negated"
    assert network.edges[BOR, RUR, "SANCTION|hypothetical"]["reports"] == 1


def test_quad_class_comes_from_the_ontology(network):
    from graphbuild import kb

    plover = kb.load().plover
    assert network.edges[RUR, BOR, "ASSAULT|asserted"]["quad_class"] == plover["ASSAULT"].quad_class
    assert network.edges[WEISS, iri("Person", "Karl Brandt"), "CONSULT|asserted"]["quad_class"] == (
        plover["CONSULT"].quad_class
    )
    assert plover["ASSAULT"].quad_class == "MaterialConflict"


def test_quotes_hang_on_their_speaker_and_untargeted_events_on_their_source(network):
    quotes = records(network.nodes[WEISS]["quotes"])
    assert network.nodes[WEISS]["statements"] == 1
    assert quotes[0]["quote"] == "We will answer every shell,"
    assert quotes[0]["publisher"] == "North Gazette"
    solo = records(network.nodes[RUR]["solo_events"])
    assert [(e["type"], e["sentence"]) for e in solo] == [("MOBILIZE", "Ruritania mobilised its reserves.")]


def test_mentions_give_aliases(network):
    assert network.nodes[RUR]["aliases"] == "Ruritanian"
    assert find_actor(network, "ruritanian") == RUR
    assert find_actor(network, "The  Ruritania") == RUR


def test_attributes_are_plain_enough_for_graphml_and_gexf(network):
    for writer in (nx.write_graphml, nx.write_gexf):
        buffer = io.BytesIO()
        writer(network, buffer)
        assert b"Ruritania" in buffer.getvalue()


def test_pruning_keeps_the_most_central_actors(network):
    pruned = top_actors(network, 3)
    assert pruned.number_of_nodes() == 3
    ranked = sorted(network.nodes, key=lambda n: -network.nodes[n]["centrality"])
    assert set(pruned) == set(ranked[:3])
    assert pruned.graph["pruned_from"] == 7
    # edges between kept actors survive with their attributes
    assert all(network.has_edge(u, v, k) for u, v, k in pruned.edges(keys=True))


def test_ego_network_follows_hops_in_either_direction(network):
    one = ego_network(network, "Otto Falk", hops=1)
    assert {network.nodes[n]["label"] for n in one} == {"Otto Falk", "Karl Brandt", "Lena Vogt"}
    two = ego_network(network, "Otto Falk", hops=2)
    assert {network.nodes[n]["label"] for n in two} == {"Otto Falk", "Karl Brandt", "Lena Vogt", "Anna Weiss", "Max Ernst"}
    assert two.graph["centre"] == iri("Person", "Otto Falk")


def test_unknown_actor_is_an_error(network):
    with pytest.raises(ActorNotFound, match="Nobody"):
        ego_network(network, "Nobody", hops=2)
