"""Every export parses back in its own ecosystem's reader."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from graphbuild.export import (EVENT_COLUMNS, MENTION_COLUMNS, ExportError, export, jsonld_context, spreadsheet_safe,
                               write_rdf)
from graphbuild.stats import graph_stats

from conftest import SAMPLE_ARTICLES


def distinct_triples(dataset) -> int:
    return len({(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))})


def all_quads(dataset) -> int:
    return sum(1 for _ in dataset.quads((None, None, None, None)))


@pytest.mark.parametrize("fmt, rdflib_format, ox_format", [
    ("ttl", "turtle", ox.RdfFormat.TURTLE),
    ("nt", "nt", ox.RdfFormat.N_TRIPLES),
])
def test_triple_formats_merge_all_graphs_and_parse_back(sample_dataset, tmp_path, fmt, rdflib_format, ox_format):
    target = tmp_path / f"graph.{fmt}"
    summary = export(sample_dataset, fmt, target)
    expected = distinct_triples(sample_dataset)
    assert summary.endswith(f"{expected} triples as {fmt}")
    assert len(Graph().parse(target, format=rdflib_format)) == expected
    assert len(list(ox.parse(path=str(target), format=ox_format))) == expected


@pytest.mark.parametrize("fmt, rdflib_format, ox_format", [
    ("trig", "trig", ox.RdfFormat.TRIG),
    ("nq", "nquads", ox.RdfFormat.N_QUADS),
    ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
])
def test_dataset_formats_keep_named_graphs_and_parse_back(sample_dataset, tmp_path, fmt, rdflib_format, ox_format):
    target = tmp_path / f"graph.{fmt}"
    export(sample_dataset, fmt, target)
    reread = Dataset()
    reread.parse(target, format=rdflib_format)
    graphs = {str(graph.identifier) for graph in reread.graphs() if len(graph)}
    assert {str(g.identifier) for g in sample_dataset.graphs() if len(g)} <= graphs | {"urn:x-rdflib:default"}
    assert all_quads(reread) == all_quads(sample_dataset)
    quads = list(ox.parse(path=str(target), format=ox_format))
    assert len(set(quads)) == all_quads(sample_dataset)
    assert any(quad.graph_name.value.endswith("/graph/entities") for quad in quads if not isinstance(
        quad.graph_name, ox.DefaultGraph))


def test_jsonld_embeds_the_published_context(sample_dataset, tmp_path):
    export(sample_dataset, "jsonld", tmp_path / "graph.jsonld")
    document = json.loads((tmp_path / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == jsonld_context()
    assert jsonld_context()["gb"] == "https://w3id.org/graphbuild/ontology#"
    text = json.dumps(document)
    assert '"eventType": "plover:ASSAULT"' in text  # compacted with the context's terms
    assert '"actType": "plover:ASSAULT"' in text and '"disputed": "true"' in text  # claims and clusters too
    events = [node for node in document["@graph"] if "eventType" in node] if "@graph" in document else []
    events = events or [n for g in document.get("@graph", []) for n in g.get("@graph", []) if "eventType" in n]
    assert events and all("rule:event.trigger.word" in e["rules"] and "confidence" in e for e in events)


def test_graphml_and_gexf_parse_in_networkx(sample_dataset, tmp_path):
    export(sample_dataset, "graphml", tmp_path / "actors.graphml")
    export(sample_dataset, "gexf", tmp_path / "actors.gexf")
    for graph in (networkx.read_graphml(tmp_path / "actors.graphml"), networkx.read_gexf(tmp_path / "actors.gexf")):
        labels = {data.get("label") for _, data in graph.nodes(data=True)}
        assert {"Borduria", "Ruritania", "Anna Weiss", "Karl Brandt"} <= labels
        assert graph.number_of_edges() >= 6


def test_events_csv_has_gdelt_like_columns_with_ontology_codes(sample_dataset, tmp_path):
    export(sample_dataset, "csv", tmp_path / "events.csv")
    with open(tmp_path / "events.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert len(rows) == 7
    accuse = next(row for row in rows if row["event_type"] == "ACCUSE")
    assert (accuse["source_actor"], accuse["source_country"], accuse["target_actor"], accuse["target_country"]) == (
        "Ruritania", "RUR", "Borduria", "BOR")
    assert set(accuse["cameo_root"].split()) == {"09", "11"} and accuse["quad_class"] == "VerbalConflict"
    assert float(accuse["intensity"]) < 0
    assert accuse["place"] == "Klopstock" and accuse["modality"] == "asserted"
    assert accuse["source_url"] == "https://north.example/shelling"
    assert accuse["evidence"].startswith("Ruritania accused Borduria")
    hawk = next(row for row in rows if row["event_type"] == "THREATEN")
    assert hawk["source_actor"] == "Sean \"Hawk\" O'Neil; } DROP ALL"  # quoting survives the round trip
    # the attack asserted by one article and denied by the other is one act, one cluster
    attacks = [row for row in rows if row["event_type"] == "ASSAULT"]
    assert len({row["cluster"] for row in attacks}) == 1
    assert [(row["num_mentions"], row["num_sources"], row["num_articles"]) for row in attacks] == [("3", "2", "2")] * 2
    assert (accuse["action_geo_lat"], accuse["action_geo_long"], accuse["action_geo_country"]) == ("", "", "RUR")


def test_mentions_csv_has_one_row_per_mention_with_sentence_offsets(sample_dataset, tmp_path):
    export(sample_dataset, "mentions-csv", tmp_path / "mentions.csv")
    with open(tmp_path / "mentions.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == MENTION_COLUMNS and len(rows) == 8  # 7 events and Brandt's claim
    [claimed] = {row["cluster"] for row in rows if row["mention_kind"] == "claim"}
    attack = [row for row in rows if row["cluster"] == claimed]
    assert sorted((row["document"], row["mention_kind"], row["modality"]) for row in attack) == [
        ("north-gazette-1.txt", "event", "asserted"), ("south-courier-2.txt", "claim", "negated"),
        ("south-courier-2.txt", "event", "negated")]
    for row in rows:
        text = SAMPLE_ARTICLES[row["document"]]
        sentence = text[int(row["sentence_start"]):int(row["sentence_end"])]
        assert sentence.endswith(".") and (not row["action_offset"] or
                                           int(row["sentence_start"]) <= int(row["action_offset"]) < int(row["sentence_end"]))


def test_facts_keep_claims_apart_from_events(sample_dataset, tmp_path):
    export(sample_dataset, "facts", tmp_path / "facts.jsonl")
    records = {r["document"]: r for r in map(json.loads, (tmp_path / "facts.jsonl").read_text(encoding="utf-8").splitlines())}
    courier = records["south-courier-2.txt"]
    assert courier["claims"] == [{"claimant": "Karl Brandt", "source": "Borduria", "type": "ASSAULT",
                                  "target": "Ruritania", "modality": "negated",
                                  "evidence": "\u201CNot a single shell was fired,\u201D said Foreign Minister Karl Brandt."}]
    assert len(courier["events"]) == 3 and records["north-gazette-1.txt"]["claims"] == []


def test_facts_export_is_one_json_object_per_document(sample_dataset, tmp_path):
    export(sample_dataset, "facts", tmp_path / "facts.jsonl")
    records = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(record["document"] for record in records) == ["north-gazette-1.txt", "south-courier-2.txt"]


def test_write_rdf_replaces_the_file_atomically(sample_dataset, tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old", encoding="utf-8")
    write_rdf(sample_dataset, "ttl", target)
    assert len(Graph().parse(target, format="turtle")) == distinct_triples(sample_dataset)
    assert [path.name for path in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary file left
    with pytest.raises(ExportError):
        write_rdf(sample_dataset, "csv", target)


def test_stats_count_what_the_graph_holds(sample_dataset):
    text = graph_stats(sample_dataset)
    assert "documents    2" in text
    assert "actors       5  (Person 3, State 2)" in text
    assert "events       7" in text
    assert "statements   2" in text
    assert "claims       1" in text
    assert "clusters     6  (disputed 1)" in text
    assert "Borduria" in text.split("top actors")[1]


def test_seed_build_exports_parse_back(seed_build, tmp_path):
    _, dataset = seed_build
    export(dataset, "trig", tmp_path / "graph.trig")
    assert len(set(ox.parse(path=str(tmp_path / "graph.trig"), format=ox.RdfFormat.TRIG))) == all_quads(dataset)
    export(dataset, "ttl", tmp_path / "graph.ttl")
    assert len(Graph().parse(tmp_path / "graph.ttl", format="turtle")) == distinct_triples(dataset)
    export(dataset, "csv", tmp_path / "events.csv")
    with open(tmp_path / "events.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and all(row["quad_class"] and row["cameo_root"] for row in rows)
    export(dataset, "gexf", tmp_path / "actors.gexf")
    assert networkx.read_gexf(tmp_path / "actors.gexf").number_of_nodes() > 0
    articles = len(list((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt")))
    assert f"documents    {articles}" in graph_stats(dataset)


# --- spreadsheet formula injection (issue 11, failure 10) -------------------------------

def test_events_csv_cells_cannot_start_a_spreadsheet_formula(tmp_path):
    from conftest import make_view_dataset

    text = "=HYPERLINK(\"https://evil.example\") said Ruritania attacked Borduria. +1 more."
    dataset = make_view_dataset(tmp_path / "build", [{
        "id": "@formula.txt", "title": "t", "publisher": "p", "published": "2024-03-01", "text": text,
        "actors": [("a", "=cmd|' /C calc'!A0", "Country", "RUR"), ("b", "-2+3", "Country", "BOR")],
        "events": [("ASSAULT", "a", "b", "asserted", text)],
    }])
    export(dataset, "csv", tmp_path / "events.csv")
    with open(tmp_path / "events.csv", newline="", encoding="utf-8") as stream:
        [row] = list(csv.DictReader(stream))
    assert row["source_actor"] == "'=cmd|' /C calc'!A0" and row["target_actor"] == "'-2+3"
    assert row["evidence"] == "'" + text and row["document"] == "'@formula.txt"
    assert [spreadsheet_safe(value) for value in ("-9.5", "+2", "10", "- a bullet")] == ["-9.5", "+2", "10", "'- a bullet"]
    assert not any(value.startswith(("=", "+", "@", "\t", "\r")) for value in row.values())


def test_terminal_output_shows_escape_sequences_as_text(tmp_path):
    import subprocess
    import sys

    from conftest import make_view_dataset
    from graphbuild.store import close

    hostile = "Ruri\x1b[2J\x1b]0;owned\x07tania\rBorduria\x9b31m"
    text = f"{hostile} attacked Borduria on Monday."
    close(make_view_dataset(tmp_path, [{
        "id": "a.txt", "title": "t", "publisher": "p", "published": "2024-03-01", "text": text,
        "actors": [("a", hostile, "Country", "RUR"), ("b", "Borduria", "Country", "BOR")],
        "events": [("ASSAULT", "a", "b", "asserted", text)],
    }], kind="oxigraph"))
    for command in (["stats"], ["query", "SELECT ?name WHERE { ?a skos:prefLabel ?name }"], ["query", "events"]):
        result = subprocess.run([sys.executable, "-m", "graphbuild.cli", *command, "-o", str(tmp_path)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "Ruri\\x1b[2J\\x1b]0;owned\\x07tania" in result.stdout and "Borduria\\x9b31m" in result.stdout
        assert not any(0 < ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in result.stdout)
