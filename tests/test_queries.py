"""Named queries and SPARQL results on both stores (Oxigraph and rdflib memory)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import SAMPLE_ARTICLES

from graphbuild.queries import QueryError, format_result, get_named_query, list_named_queries, run_named_query, run_query

EXPECTED_QUERIES = {
    "who-said-what", "statement-counts", "events-between", "conflict-cooperation-matrix", "actor-timeline",
    "accusations-threats", "disputed-facts", "actor-profile", "fact-sources", "events",
}
HOSTILE_VALUES = ['"} ; DROP ALL', "'", "Anna Weiss\" } UNION { ?s ?p ?o", "Anna\nWeiss", "?param_actor", ""]


def quad_count(dataset) -> int:
    return int(run_query(dataset, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])


def test_every_named_query_is_shipped_with_a_description_and_declared_parameters():
    queries = {query.name: query for query in list_named_queries()}
    assert EXPECTED_QUERIES <= set(queries)
    for query in queries.values():
        assert query.description, query.name
        for parameter in query.parameters:  # every declared parameter is used in the query body
            assert f"?{parameter.variable}" in query.text, (query.name, parameter.name)
    assert [p.name for p in queries["events-between"].parameters] == ["actor", "other", "min_confidence"]
    assert queries["who-said-what"].usage == "graphbuild query who-said-what --actor NAME"


def test_unknown_query_name_lists_the_named_queries():
    with pytest.raises(QueryError) as caught:
        get_named_query("who-said")
    assert "who-said-what" in str(caught.value) and "disputed-facts" in str(caught.value)


def test_who_said_what_matches_the_label_in_any_case(sample_dataset):
    result = run_named_query(sample_dataset, "who-said-what", {"actor": "aNNa wEISS"})
    assert result.column("quote") == ["We will defend every village,"]
    assert result.column("speaker") == ["Anna Weiss"]
    assert result.column("document") == ["north-gazette-1.txt"]
    assert "param_actor" not in result.variables


def test_an_actor_is_found_by_a_surface_form_it_was_mentioned_by(sample_dataset):
    # "Bordurian" is only a mention of Borduria, never its label.
    result = run_named_query(sample_dataset, "events-between", {"actor": "bordurian", "other": "Ruritania"})
    assert sorted(zip(result.column("source"), result.column("type"), result.column("modality"))) == [
        ("Borduria", "AGREE", "asserted"),
        ("Borduria", "ASSAULT", "asserted"),
        ("Borduria", "ASSAULT", "negated"),
        ("Borduria", "REJECT", "asserted"),
        ("Borduria", "SANCTION", "hypothetical"),
        ("Ruritania", "ACCUSE", "asserted"),
    ]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_parameter_values_are_only_compared_never_executed(sample_dataset, value):
    before = quad_count(sample_dataset)
    for name in ("who-said-what", "actor-profile", "actor-timeline"):
        assert run_named_query(sample_dataset, name, {"actor": value}).rows == []
    assert run_named_query(sample_dataset, "events-between", {"actor": value, "other": "Borduria"}).rows == []
    assert quad_count(sample_dataset) == before


def test_a_name_full_of_query_syntax_is_matched_as_plain_text(sample_dataset):
    result = run_named_query(sample_dataset, "accusations-threats", {"actor": "sean \"hawk\" o'neil; } drop all"})
    assert result.column("type") == ["THREATEN"]
    assert result.column("target") == ["Borduria"]


def test_parameters_are_checked(sample_dataset):
    with pytest.raises(QueryError, match="needs --actor"):
        run_named_query(sample_dataset, "who-said-what", {})
    with pytest.raises(QueryError, match="does not take --other"):
        run_named_query(sample_dataset, "who-said-what", {"actor": "Anna Weiss", "other": "x"})
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        run_named_query(sample_dataset, "actor-timeline", {"actor": "Borduria", "since": "March 2024"})
    with pytest.raises(QueryError, match="absolute IRI"):
        run_named_query(sample_dataset, "fact-sources", {"fact": "https://x.example/a> } ; DROP ALL ; <b"})


def test_timeline_is_ordered_and_bounded_by_dates(sample_dataset):
    everything = run_named_query(sample_dataset, "actor-timeline", {"actor": "Borduria"})
    dates = everything.column("date")
    assert dates == sorted(dates) and set(dates) == {"2024-03-01", "2024-03-02"}
    second_day = run_named_query(sample_dataset, "actor-timeline", {"actor": "Borduria", "since": "2024-03-02"})
    assert set(second_day.column("date")) == {"2024-03-02"}
    assert len(second_day.rows) == dates.count("2024-03-02")


def test_disputed_facts_pair_an_assertion_with_a_denial_from_another_document(sample_dataset):
    result = run_named_query(sample_dataset, "disputed-facts")
    assert result.as_dicts() and [
        (str(row["source"]), str(row["type"]), str(row["target"]), str(row["asserted_in"]), str(row["disputed_in"]),
         str(row["disputed_as"]), int(row["articles"]))
        for row in result.as_dicts()
    ] == [("Borduria", "ASSAULT", "Ruritania", "north-gazette-1.txt", "south-courier-2.txt", "negated", 2)]


def test_claims_about_an_actor_name_the_claimant(sample_dataset):
    rows = [_strings(row) for row in run_named_query(sample_dataset, "claims-about", {"actor": "ruritania"}).as_dicts()]
    assert [(r["claimant"], r["source"], r["type"], r["target"], r["modality"], r["document"]) for r in rows] == [
        ("Karl Brandt", "Borduria", "ASSAULT", "Ruritania", "negated", "south-courier-2.txt")]
    assert rows[0]["evidence"].startswith("\u201CNot a single shell")
    assert not run_named_query(sample_dataset, "claims-about", {"actor": "Anna Weiss"}).rows


def test_claims_never_reach_the_event_queries(sample_dataset):
    # Brandt's claim that Borduria did not attack is his, not an event of the article
    for name, params in (("events", {}), ("events-between", {"actor": "Borduria", "other": "Ruritania"}),
                         ("actor-profile", {"actor": "Borduria"}), ("actor-timeline", {"actor": "Borduria"}),
                         ("fact-sources", {"fact": "https://w3id.org/graphbuild/id/actor/person/karl-brandt"})):
        terms = [str(term) for row in run_named_query(sample_dataset, name, params).rows for term in row]
        assert terms and not any("/claim/" in term for term in terms), name
    assaults = [row for row in run_named_query(sample_dataset, "events").as_dicts() if str(row["event_type"]) == "ASSAULT"]
    assert sorted(str(row["modality"]) for row in assaults) == ["asserted", "negated"]


def test_conflict_cooperation_matrix_counts_quad_classes_from_the_ontology(sample_dataset):
    rows = {(r["source_state"], r["target_state"]): r for r in map(_strings, run_named_query(
        sample_dataset, "conflict-cooperation-matrix").as_dicts())}
    assert set(rows) == {("BOR", "RUR"), ("RUR", "BOR")}
    bor_rur = rows[("BOR", "RUR")]  # asserted: ASSAULT (material conflict), REJECT, AGREE
    assert (bor_rur["events"], bor_rur["material_conflict"], bor_rur["verbal_conflict"],
            bor_rur["verbal_cooperation"]) == ("3", "1", "1", "1")
    assert float(rows[("RUR", "BOR")]["intensity_sum"]) < 0  # an accusation and a threat


def test_actor_profile_lists_roles_statements_and_events(sample_dataset):
    result = run_named_query(sample_dataset, "actor-profile", {"actor": "Anna Weiss"})
    sections = dict(zip(result.column("section"), result.column("detail")))
    assert sections == {"role": "President of Ruritania", "statement": "\u201CWe will defend every village,\u201D"}
    assert set(result.column("country")) == {"RUR"}


def test_fact_sources_give_offsets_into_the_document_text(sample_dataset):
    event = run_named_query(sample_dataset, "events-between", {"actor": "Ruritania", "other": "Borduria"})
    accuse = next(row["event"] for row in event.as_dicts() if str(row["type"]) == "ACCUSE")
    spans = run_named_query(sample_dataset, "fact-sources", {"fact": str(accuse)}).as_dicts()
    assert {str(span["span_kind"]) for span in spans} == {"evidence", "trigger"}
    for span in spans:
        text = SAMPLE_ARTICLES[str(span["document"])]
        assert text[int(span["begin"]):int(span["end"])] == str(span["text"])
        assert str(span["url"]) == "https://north.example/shelling"


def test_statement_counts_per_speaker(sample_dataset):
    result = run_named_query(sample_dataset, "statement-counts")
    assert sorted(zip(result.column("speaker"), result.column("statements"))) == [
        ("Anna Weiss", "1"), ("Karl Brandt", "1")]


def test_result_formats_parse_in_their_readers(sample_dataset):
    result = run_named_query(sample_dataset, "statement-counts")
    parsed = json.loads(format_result(result, "json"))
    assert parsed["head"]["vars"] == result.variables
    assert {b["speaker"]["value"] for b in parsed["results"]["bindings"]} == {"Anna Weiss", "Karl Brandt"}
    assert parsed["results"]["bindings"][0]["statements"]["datatype"].endswith("#integer")
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == result.variables and len(rows) == 3
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t")[0] == "?speaker" and '"Anna Weiss"' in tsv[1] + tsv[2]
    root = ET.fromstring(format_result(result, "xml").encode("utf-8"))
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 2
    table = format_result(result, "table")
    assert "Anna Weiss" in table and table.rstrip().endswith("(2 rows)")


def test_ad_hoc_sparql_sees_all_graphs_and_predeclared_prefixes(sample_dataset):
    ask = run_query(sample_dataset, "ASK { ?e gb:eventType plover:ASSAULT ; gb:modality gb:Negated }")
    assert ask.boolean is True and format_result(ask, "json").strip() == '{"head": {}, "boolean": true}'
    graph = run_query(sample_dataset, "CONSTRUCT { ?a skos:prefLabel ?l } WHERE { ?a a gb:State ; skos:prefLabel ?l }")
    assert sorted(str(o) for o in graph.graph.objects()) == ["Borduria", "Ruritania"]
    with pytest.raises(QueryError, match="the query failed"):
        run_query(sample_dataset, "SELECT WHERE {")


def test_query_command_runs_a_named_query(sample_build_dir):
    completed = subprocess.run(
        [sys.executable, "-m", "graphbuild.cli", "query", "who-said-what", "--actor", "Karl Brandt",
         "--format", "csv", "-o", str(sample_build_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert [row["quote"] for row in rows] == ["Not a single shell was fired,"]


def test_query_command_reports_an_unknown_name(sample_build_dir):
    completed = subprocess.run(
        [sys.executable, "-m", "graphbuild.cli", "query", "who-said", "-o", str(sample_build_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 2
    assert "no named query 'who-said'" in completed.stderr and "who-said-what" in completed.stderr


def _strings(row: dict) -> dict:
    return {key: str(value) for key, value in row.items()}


# --- on the seed articles, built by the real pipeline --------------------------------------

def test_every_named_query_runs_on_the_seed_build(seed_build):
    _, dataset = seed_build
    counts = run_named_query(dataset, "statement-counts")
    top_speaker, top_count = counts.rows[0][0], int(counts.rows[0][1])
    assert top_count >= 1
    said = run_named_query(dataset, "who-said-what", {"actor": str(top_speaker).upper()})
    assert len({row["statement"] for row in said.as_dicts()}) == top_count
    timeline = run_named_query(dataset, "actor-timeline", {"actor": str(top_speaker)})
    assert sum(1 for kind in timeline.column("kind") if kind == "statement") >= top_count
    profile = run_named_query(dataset, "actor-profile", {"actor": str(top_speaker)})
    assert "statement" in profile.column("section")
    events = run_named_query(dataset, "events")
    assert events.rows and all(row["event_type"] and row["document"] for row in map(_strings, events.as_dicts()))
    sources = run_named_query(dataset, "fact-sources", {"fact": str(events.as_dicts()[0]["event"])})
    assert "evidence" in sources.column("span_kind")
    first = events.as_dicts()[0]
    if "target_actor" in first:
        between = run_named_query(dataset, "events-between", {"actor": str(first["source_actor"]),
                                                             "other": str(first["target_actor"])})
        assert str(first["event"]) in between.column("event")
    matrix = run_named_query(dataset, "conflict-cooperation-matrix")
    for row in map(_strings, matrix.as_dicts()):  # every event lands in exactly one quad class
        classes = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
        assert sum(int(row[name]) for name in classes) >= int(row["events"])
    for name in ("accusations-threats", "disputed-facts"):
        run_named_query(dataset, name)


@pytest.mark.parametrize("name", ["events", "events-between", "actor-timeline", "actor-profile",
                                  "accusations-threats", "conflict-cooperation-matrix", "mentions"])
def test_event_queries_show_events_at_or_above_the_confidence_asked_for(sample_dataset, name):
    from graphbuild.queries import get_named_query

    params = {"actor": "Borduria", "other": "Ruritania"}
    params = {p.name: params[p.name] for p in get_named_query(name).parameters if p.name in params}
    everything = run_named_query(sample_dataset, name, {**params, "min_confidence": "0"}).rows
    assert everything  # the sample's events have confidence 0.9
    assert run_named_query(sample_dataset, name, {**params, "min_confidence": "0.9"}).rows == everything
    above = run_named_query(sample_dataset, name, {**params, "min_confidence": "0.95"}).rows
    assert len(above) < len(everything)
    assert run_named_query(sample_dataset, name, params).rows == everything  # default: the calibrated threshold


def test_a_confidence_outside_zero_to_one_is_refused(sample_dataset):
    with pytest.raises(QueryError, match="--min-confidence must be a number from 0 to 1"):
        run_named_query(sample_dataset, "events", {"min_confidence": "high"})
