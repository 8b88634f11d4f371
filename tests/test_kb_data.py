"""The actor knowledge base under ontology/actors: well-formed, complete, unambiguous.

These tests read the committed Turtle with both RDF libraries the project uses, rerun the
state generator, and check the names that entity resolution depends on.
"""

from __future__ import annotations

import collections
import csv
import subprocess
import sys
from pathlib import Path

import pycountry
import pyoxigraph
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graphbuild.vocab import GB, KB

ROOT = Path(__file__).resolve().parents[1]
ACTORS = ROOT / "ontology" / "actors"
GENERATOR = ROOT / "ontology" / "scripts" / "generate_states.py"
GENERATED = ("states.ttl", "state-places.ttl")
KB_FILES = sorted(ACTORS.glob("*.ttl"))

ENTRY_CLASSES = {GB.State, GB.Organization, GB.ArmedGroup, GB.Person, GB.Place}
# Names are matched in text regardless of case and of a leading "the", so collisions are too.
# States, organisations and armed groups compete for the same mentions, so they form one kind.
KIND = {GB.State: "actor", GB.Organization: "actor", GB.ArmedGroup: "actor", GB.Person: "person", GB.Place: "place"}


def normalise(name: str) -> str:
    name = " ".join(name.casefold().split())
    return name[4:] if name.startswith("the ") else name


@pytest.fixture(scope="module")
def kb() -> Graph:
    graph = Graph()
    for path in KB_FILES:
        graph.parse(path, format="turtle")
    return graph


def entries(graph: Graph):
    for subject, cls in graph.subject_objects(RDF.type):
        if cls in ENTRY_CLASSES:
            yield subject, cls


def subjects_named(graph: Graph, predicate: URIRef, name: str) -> set[URIRef]:
    return {subject for subject in graph.subjects(predicate, Literal(name, lang="en"))}


def test_the_kb_folder_has_every_part():
    names = {path.name for path in KB_FILES}
    assert {"states.ttl", "state-places.ttl", "organizations.ttl", "armed-groups.ttl", "people.ttl", "places.ttl"} <= names


@pytest.mark.parametrize("path", KB_FILES, ids=lambda path: path.name)
def test_every_file_parses_with_rdflib_and_oxigraph_to_the_same_size(path):
    rdflib_graph = Graph().parse(path, format="turtle")
    oxigraph_triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(rdflib_graph) > 0
    assert len(oxigraph_triples) == len(rdflib_graph)


def test_every_entry_has_one_label_a_single_type_and_a_source(kb):
    problems = []
    for subject, _cls in entries(kb):
        labels = list(kb.objects(subject, SKOS.prefLabel))
        types = set(kb.objects(subject, RDF.type)) & ENTRY_CLASSES
        if len(labels) != 1 or not all(getattr(label, "language", None) == "en" for label in labels):
            problems.append(f"{subject}: {len(labels)} English prefLabels")
        if len(types) != 1:
            problems.append(f"{subject}: types {sorted(types)}")
        if not list(kb.objects(subject, DCTERMS.source)):
            problems.append(f"{subject}: no dcterms:source")
    assert not problems, "\n".join(problems)


def test_subject_iris_follow_the_naming_scheme(kb):
    prefixes = {GB.State: "", GB.Organization: "org-", GB.ArmedGroup: "group-", GB.Person: "person-", GB.Place: "place-"}
    wrong = []
    for subject, cls in entries(kb):
        local = str(subject).removeprefix(str(KB))
        if cls == GB.State:
            ok = len(local) == 3 and local.isupper()
        else:
            ok = local.startswith(prefixes[cls]) and local == local.lower() and " " not in local
        if not ok:
            wrong.append(str(subject))
    assert not wrong, wrong


def test_every_referenced_actor_exists(kb):
    known = {subject for subject, _ in entries(kb)}
    dangling = []
    for predicate in (GB.country, GB.roleIn, GB.capital):
        for subject, target in kb.subject_objects(predicate):
            if target not in known:
                dangling.append(f"{subject} {predicate} {target}")
    assert not dangling, "\n".join(dangling)


def test_all_sovereign_states_are_present(kb):
    states = set(kb.subjects(RDF.type, GB.State))
    assert len(states) >= 193
    codes = {str(code) for state in states for code in kb.objects(state, GB.isoAlpha3)}
    for iso3 in ("USA", "RUS", "UKR", "CHN", "TWN", "PSE", "XKX", "VAT", "SSD", "COD", "COG", "PRK", "KOR"):
        assert iso3 in codes
    # every ISO 3166-1 entry is either a state or a territory place, none forgotten
    territories = {str(code) for place in kb.subjects(RDF.type, GB.Place) for code in kb.objects(place, GB.isoAlpha3)}
    missing = {country.alpha_3 for country in pycountry.countries} - codes - territories
    assert not missing


def test_states_agree_in_oxigraph():
    store = pyoxigraph.Store()
    for path in KB_FILES:
        store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{GB.State}> ; <{GB.isoAlpha3}> ?code }}"
    (row,) = list(store.query(query))
    assert int(row[0].value) >= 193


def test_generated_files_are_up_to_date(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--out-dir", str(tmp_path)], check=True, capture_output=True)
    for name in GENERATED:
        assert (tmp_path / name).read_text(encoding="utf-8") == (ACTORS / name).read_text(encoding="utf-8"), (
            f"{name} is stale: rerun ontology/scripts/generate_states.py"
        )


def test_generator_output_is_deterministic(tmp_path):
    for run in ("a", "b"):
        subprocess.run([sys.executable, str(GENERATOR), "--out-dir", str(tmp_path / run)], check=True, capture_output=True)
    for name in GENERATED:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def name_index(kb: Graph, predicates) -> dict[tuple[str, str], set[URIRef]]:
    kinds = {subject: KIND[cls] for subject, cls in entries(kb)}
    index = collections.defaultdict(set)
    for predicate in predicates:
        for subject, name in kb.subject_objects(predicate):
            if subject in kinds:
                index[(kinds[subject], normalise(str(name)))].add(subject)
    return index


def test_no_name_denotes_two_entries_of_the_same_kind(kb):
    index = name_index(kb, (SKOS.prefLabel, SKOS.altLabel, GB.metonym))
    collisions = {name: sorted(map(str, subjects)) for name, subjects in index.items() if len(subjects) > 1}
    assert not collisions, "names shared by several entries:\n" + "\n".join(f"{k}: {v}" for k, v in sorted(collisions.items()))


def test_no_demonym_points_to_two_states(kb):
    index = name_index(kb, (GB.demonym,))
    collisions = {name: sorted(map(str, subjects)) for name, subjects in index.items() if len(subjects) > 1}
    assert not collisions, collisions


def test_every_state_has_a_capital_and_demonyms_unless_deliberately_none(kb):
    with (ACTORS / "state-extras.tsv").open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        deliberately_none = {row["iso3"] for row in rows if row["demonyms"].strip() == "-"}
    for state in kb.subjects(RDF.type, GB.State):
        iso3 = str(kb.value(state, GB.isoAlpha3))
        assert kb.value(state, GB.capital) is not None, iso3
        capital = kb.value(state, GB.capital)
        capital_name = kb.value(capital, SKOS.prefLabel)
        metonyms = {str(name) for name in kb.objects(state, GB.metonym)}
        labels = {str(name) for name in kb.objects(state, SKOS.prefLabel)} | {str(n) for n in kb.objects(state, SKOS.altLabel)}
        if iso3 != "BEL":  # Brussels stands for the EU (see state-extras.tsv, column drop)
            assert str(capital_name) in metonyms | labels, iso3
        has_demonym = kb.value(state, GB.demonym) is not None
        assert has_demonym != (iso3 in deliberately_none), iso3


@pytest.mark.parametrize(
    ("predicate", "name", "expected"),
    [
        (GB.metonym, "Washington", "USA"),
        (GB.metonym, "the White House", "USA"),
        (GB.metonym, "the Kremlin", "RUS"),
        (GB.metonym, "Moscow", "RUS"),
        (GB.metonym, "Kyiv", "UKR"),
        (GB.metonym, "Kiev", "UKR"),
        (GB.metonym, "Downing Street", "GBR"),
        (GB.metonym, "Beijing", "CHN"),
        (GB.metonym, "Tehran", "IRN"),
        (GB.metonym, "Pyongyang", "PRK"),
        (GB.metonym, "Seoul", "KOR"),
        (GB.metonym, "Damascus", "SYR"),
        (GB.metonym, "Ankara", "TUR"),
        (SKOS.altLabel, "Britain", "GBR"),
        (SKOS.altLabel, "Great Britain", "GBR"),
        (SKOS.altLabel, "U.K.", "GBR"),
        (SKOS.altLabel, "U.S.", "USA"),
        (SKOS.altLabel, "America", "USA"),
        (SKOS.altLabel, "Türkiye", "TUR"),
        (SKOS.altLabel, "DPRK", "PRK"),
        (SKOS.altLabel, "ROK", "KOR"),
        (SKOS.altLabel, "PRC", "CHN"),
        (SKOS.altLabel, "Russian Federation", "RUS"),
        (SKOS.altLabel, "Burma", "MMR"),
        (GB.demonym, "Russian", "RUS"),
        (GB.demonym, "Russians", "RUS"),
        (GB.demonym, "American", "USA"),
        (GB.demonym, "British", "GBR"),
        (GB.demonym, "Ukrainian", "UKR"),
        (GB.demonym, "Israeli", "ISR"),
    ],
)
def test_spot_checks_on_state_names(kb, predicate, name, expected):
    assert subjects_named(kb, predicate, name) == {KB[expected]}


@pytest.mark.parametrize(
    ("iso3", "label"),
    [
        ("USA", "United States"), ("RUS", "Russia"), ("GBR", "United Kingdom"), ("IRN", "Iran"),
        ("SYR", "Syria"), ("KOR", "South Korea"), ("PRK", "North Korea"), ("VNM", "Vietnam"),
        ("BOL", "Bolivia"), ("VEN", "Venezuela"), ("TZA", "Tanzania"), ("MDA", "Moldova"),
        ("CZE", "Czech Republic"), ("TUR", "Turkey"), ("TWN", "Taiwan"), ("LAO", "Laos"),
        ("PSE", "Palestine"), ("COD", "Democratic Republic of the Congo"), ("COG", "Republic of the Congo"),
    ],
)
def test_state_labels_are_the_names_news_uses(kb, iso3, label):
    assert str(kb.value(KB[iso3], SKOS.prefLabel)) == label


def test_capital_spellings_are_metonyms_not_aliases(kb):
    aliases = {str(name) for name in kb.objects(KB.UKR, SKOS.altLabel)}
    assert not {"Kyiv", "Kiev"} & aliases


def test_ambiguous_names_are_not_aliases(kb):
    for ambiguous in ("Congo", "Korea", "Guinea"):
        states = subjects_named(kb, SKOS.altLabel, ambiguous) | subjects_named(kb, SKOS.prefLabel, ambiguous)
        assert len(states) <= 1, (ambiguous, states)
    assert not subjects_named(kb, SKOS.altLabel, "Congo")
    assert subjects_named(kb, SKOS.prefLabel, "Georgia") == {KB.GEO}


def test_no_inverted_iso_names_leak_into_labels(kb):
    leaked = [str(name) for predicate in (SKOS.prefLabel, SKOS.altLabel) for name in kb.objects(None, predicate)
              if str(name).endswith((", Republic of", ", State of", ", Province of China", ", Islamic Republic of"))]
    assert not leaked


def test_organisation_descriptors(kb):
    nato = subjects_named(kb, SKOS.prefLabel, "NATO")
    assert nato == {KB["org-nato"]}
    assert Literal("alliance", lang="en") in set(kb.objects(KB["org-nato"], GB.descriptor))
    assert {"bloc", "union"} <= {str(d) for d in kb.objects(KB["org-eu"], GB.descriptor)}
    assert Literal("council", lang="en") in set(kb.objects(KB["org-un-security-council"], GB.descriptor))
    assert subjects_named(kb, GB.metonym, "Brussels") == {KB["org-eu"]}


def test_descriptors_are_lowercase(kb):
    upper = [str(d) for d in kb.objects(None, GB.descriptor) if str(d) != str(d).lower()]
    assert not upper


def test_national_bodies_point_to_their_state(kb):
    for org, iso3 in [("org-us-state-department", "USA"), ("org-uk-mod", "GBR"), ("org-idf", "ISR"), ("org-saf", "SDN")]:
        assert kb.value(KB[org], GB.country) == KB[iso3]
    assert kb.value(KB["group-hamas"], RDF.type) == GB.ArmedGroup
    assert kb.value(KB["group-rsf"], GB.country) == KB.SDN


def test_people_offices_are_well_formed(kb):
    people = set(kb.subjects(RDF.type, GB.Person))
    assert len(people) >= 300
    for person in people:
        for holding in kb.objects(person, GB.holds):
            assert kb.value(holding, RDF.type) == GB.RoleHolding
            assert kb.value(holding, GB.roleName) is not None
            assert kb.value(holding, GB.roleIn) is not None
            start, end = kb.value(holding, GB.startDate), kb.value(holding, GB.endDate)
            if start is not None and end is not None:
                assert str(start)[:4] <= str(end)[:4], (person, start, end)


def test_person_spot_checks(kb):
    biden = KB["person-joe-biden"]
    assert kb.value(biden, GB.country) == KB.USA
    terms = {(str(kb.value(h, GB.roleName)), kb.value(h, GB.roleIn)) for h in kb.objects(biden, GB.holds)}
    assert ("President", KB.USA) in terms
    putin = KB["person-vladimir-putin"]
    assert kb.value(putin, GB.country) == KB.RUS
    current = [h for h in kb.objects(putin, GB.holds) if kb.value(h, GB.endDate) is None and str(kb.value(h, GB.roleName)) == "President"]
    assert current
    # the bare surname is left to the code, full forms are listed
    assert "Biden" not in {str(name) for name in kb.objects(biden, SKOS.altLabel)}


def test_places_cover_conflict_regions_with_spellings(kb):
    donbas = subjects_named(kb, SKOS.prefLabel, "Donbas")
    assert donbas == {KB["place-donbas"]}
    assert subjects_named(kb, SKOS.altLabel, "Donbass") == donbas
    for label in ("Crimea", "Gaza Strip", "West Bank", "Kashmir", "Darfur", "Idlib", "Golan Heights", "South China Sea", "Taiwan Strait"):
        assert subjects_named(kb, SKOS.prefLabel, label), label
    # capitals are places too, so "in Washington" can be a place
    assert kb.value(KB["place-washington"], RDF.type) == GB.Place
    assert kb.value(KB["place-kyiv"], GB.country) == KB.UKR
    # disputed places carry no state
    assert kb.value(KB["place-crimea"], GB.country) is None
