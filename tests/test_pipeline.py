"""The build end to end: seeds → store → the four output files; incremental rebuilds;
bad input leaves what was built untouched; the CLI reports errors in one line."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from graphbuild.ingest import InputError
from graphbuild.pipeline import BuildOptions, build
from graphbuild.store import close, existing_dataset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
OUTPUTS = ("graph.ttl", "graph.trig", "facts.jsonl", "graph.html")


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipeline")
    report = build([SEEDS], BuildOptions(output_dir=folder))
    return folder, report


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphbuild.cli", *args], capture_output=True, text=True, timeout=300)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_build_writes_the_four_outputs_and_reports_them(seed_output):
    folder, report = seed_output
    for name in OUTPUTS:
        assert (folder / name).stat().st_size > 0, name
    assert report.built == 3 and report.skipped == 0
    assert str(folder / "facts.jsonl") in report.summary()
    assert not list(folder.glob(".*.tmp")), "no temporary files are left behind"


def test_turtle_and_trig_parse_back_to_the_same_triples_in_rdflib_and_oxigraph(seed_output):
    folder, _ = seed_output
    turtle = Graph().parse(folder / "graph.ttl", format="turtle")
    ox_turtle = list(pyoxigraph.parse(path=str(folder / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(turtle) == len(ox_turtle) > 1000
    trig = Dataset()
    trig.parse(folder / "graph.trig", format="trig")
    ox_trig = list(pyoxigraph.parse(path=str(folder / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))
    assert len(list(trig.quads((None, None, None, None)))) == len(ox_trig)
    # Turtle holds the union of the named graphs: the same distinct triples as TriG.
    assert len({(q.subject, q.predicate, q.object) for q in ox_trig}) == len(ox_turtle)


def test_facts_hold_one_object_per_document_in_the_evaluation_format(seed_output):
    folder, _ = seed_output
    facts = [json.loads(line) for line in (folder / "facts.jsonl").read_text().splitlines()]
    assert [f["document"] for f in facts] == sorted(p.name for p in SEEDS.glob("*.txt"))
    seed = facts[0]
    assert seed["published"] == "2022-02-17" and seed["publisher"] == "POLITICO"
    assert set(seed) >= {"actors", "places", "roles", "statements", "events"}
    biden = next(a for a in seed["actors"] if a["name"] == "Joe Biden")
    assert biden["type"] == "Person" and biden["country"] == "USA" and "Biden" in biden["aliases"]
    assert {"person": "Joe Biden", "role": "President", "of": "United States"} in seed["roles"]
    assert any(s["speaker"] == "Joe Biden" and s["quote"].startswith("They haven") for s in seed["statements"])
    for event in seed["events"]:
        assert event["modality"] in ("asserted", "negated", "hypothetical") and event["evidence"]


def test_actors_merge_across_documents(seed_output):
    folder, _ = seed_output
    dataset = existing_dataset(folder)
    try:
        rows = dataset.query("""
            PREFIX schema: <https://schema.org/>
            SELECT ?actor (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
              GRAPH ?g { ?doc schema:mentions ?actor } } GROUP BY ?actor HAVING (COUNT(DISTINCT ?doc) > 1)""")
        shared = {str(row.actor).rsplit("/", 1)[-1] for row in rows}
    finally:
        close(dataset)
    assert {"USA", "RUS"} <= shared  # the same IRI in every document that mentions them


def test_build_records_its_provenance(seed_output):
    folder, _ = seed_output
    dataset = existing_dataset(folder)
    try:
        [row] = list(dataset.query("""
            PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX gb: <https://w3id.org/graphbuild/ontology#>
            SELECT ?model (COUNT(?doc) AS ?used) WHERE { GRAPH ?g { ?build a gb:Build ; gb:modelName ?model ;
              prov:used ?doc ; prov:wasAssociatedWith ?agent . ?agent gb:softwareVersion ?version } }
            GROUP BY ?model"""))
    finally:
        close(dataset)
    assert "core_web_sm" in str(row.model) and int(row.used) == 3


def test_rebuild_skips_unchanged_documents_and_replaces_changed_ones(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    output = tmp_path / "out"
    build([articles], BuildOptions(output_dir=output, view=False))
    again = build([articles], BuildOptions(output_dir=output, view=False))
    assert (again.built, again.skipped) == (0, 3)

    changed = articles / "whitehouse_04_biden_iran_detainees_release_sanctions.txt"
    changed.write_text(changed.read_text().replace("Siamak Namazi", "Zoran Kwiatkowski"), encoding="utf-8")
    third = build([articles], BuildOptions(output_dir=output, view=False))
    assert (third.built, third.skipped) == (1, 2)
    facts = {f["document"]: f for f in map(json.loads, (output / "facts.jsonl").read_text().splitlines())}
    names = {a["name"] for a in facts[changed.name]["actors"]}
    assert "Zoran Kwiatkowski" in names and "Siamak Namazi" not in names  # the old graph is gone


def test_a_change_to_the_ontology_data_rebuilds_every_document(tmp_path):
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    output = tmp_path / "out"
    options = BuildOptions(output_dir=output, view=False, ontology_dir=ontology)
    source = SEEDS / "000_fec8ec42891de7d7.txt"
    build([source], options)
    assert build([source], options).skipped == 1
    # A new trigger word must reach documents already built, or the graph would silently lag.
    with (ontology / "triggers.tsv").open("a", encoding="utf-8") as triggers:
        triggers.write("\nparley\tVERB\tCONSULT\tprep:with\t\t\t\n")
    rebuilt = build([source], options)
    assert (rebuilt.built, rebuilt.skipped) == (1, 0)


def test_memory_store_persists_between_runs_through_trig(tmp_path):
    first = build([SEEDS / "000_fec8ec42891de7d7.txt"], BuildOptions(output_dir=tmp_path, store="memory", view=False))
    second = build([SEEDS / "000_fec8ec42891de7d7.txt"], BuildOptions(output_dir=tmp_path, store="memory", view=False))
    assert (first.built, second.built, second.skipped) == (1, 0, 1)
    assert second.triples == first.triples


def test_bad_input_fails_before_anything_is_written(seed_output, tmp_path):
    folder, _ = seed_output
    before = digest(folder)
    bad = tmp_path / "corpus.jsonl"
    bad.write_text('{"id": "a", "text": "Fine."}\n{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"corpus\.jsonl:2: invalid JSON"):
        build([SEEDS, bad], BuildOptions(output_dir=folder))
    assert digest(folder) == before


@pytest.mark.parametrize("make_input, problem", [
    (lambda d: d / "missing.txt", "no such file or directory"),
    (lambda d: (d / "empty.txt").write_text("") and d / "empty.txt" or d / "empty.txt", "has no text"),
])
def test_cli_reports_bad_input_in_one_line_with_a_nonzero_exit(tmp_path, make_input, problem):
    path = make_input(tmp_path)
    result = run_cli("build", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("graphbuild: error: ") and str(path) in result.stderr and problem in result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_cli_query_answers_who_made_statements_and_how_many(seed_output):
    folder, _ = seed_output
    query = """PREFIX gb: <https://w3id.org/graphbuild/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?speaker (COUNT(?s) AS ?statements) WHERE {
          GRAPH ?g { ?s a gb:Quotation ; gb:speaker ?a } GRAPH ?e { ?a skos:prefLabel ?speaker } }
        GROUP BY ?speaker ORDER BY DESC(?statements)"""
    result = run_cli("query", query, "--format", "csv", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    rows = dict(line.rsplit(",", 1) for line in result.stdout.strip().splitlines()[1:])
    assert int(rows["Joe Biden"]) >= 2 and int(rows["Russia"]) >= 4


def test_every_command_has_help():
    for command in ("build", "query", "export", "view", "stats", "validate", "evaluate", "serve", "push"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "usage: graphbuild " + command in result.stdout


def test_write_batches_keep_order_and_shrink_towards_the_end():
    from graphbuild.model import Document, Extraction
    from graphbuild.pipeline import FINAL_BATCH_WORDS, WRITE_BATCH_WORDS, _batches

    extractions = [Extraction(Document(f"d{i}", "word " * 100)) for i in range(1000)]  # 100,000 words
    batches = [[e.document.id for e in batch] for batch in _batches(iter(extractions), 100_000)]
    assert [d for batch in batches for d in batch] == [e.document.id for e in extractions]
    sizes = [100 * len(batch) for batch in batches]
    assert max(sizes) == WRITE_BATCH_WORDS and sizes[-1] <= FINAL_BATCH_WORDS
    assert sizes[-4:] == sorted(sizes[-4:], reverse=True)


# --- document identity (issue 11, failure 1) ------------------------------------------

CLASHING_IDS = ("Reuters.txt", "reuters.txt", "report.1", "report_1", "Report 1")


def _clashing_corpus(path: Path, ids=CLASHING_IDS, marker: str = "") -> Path:
    lines = [json.dumps({"id": doc_id, "text": f"Ruritania accused Borduria{marker} of shelling town {n}."})
             for n, doc_id in enumerate(ids)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored_texts(folder: Path) -> dict[str, str]:
    dataset = existing_dataset(folder)
    try:
        rows = list(dataset.query("""PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
            SELECT ?id ?text WHERE { GRAPH ?g { ?doc dcterms:identifier ?id ; nif:isString ?text } }"""))
        texts = {str(row.id): str(row.text) for row in rows}
        assert len(texts) == len(rows), "a document is stored twice"
        return texts
    finally:
        close(dataset)


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_ids_differing_only_in_case_or_punctuation_stay_separate_documents(tmp_path, store):
    corpus = _clashing_corpus(tmp_path / "corpus.jsonl")
    output = tmp_path / "out"
    build([corpus], BuildOptions(output_dir=output, store=store, view=False))
    texts = _stored_texts(output)
    assert sorted(texts) == sorted(CLASHING_IDS)
    assert all(texts[doc_id].endswith(f"town {n}.") for n, doc_id in enumerate(CLASHING_IDS))
    stats = run_cli("stats", "-o", str(output))
    assert stats.stdout.splitlines()[0].split() == ["documents", str(len(CLASHING_IDS))]

    # Rebuilding one of them (its text changed) replaces that one and leaves the others alone.
    _clashing_corpus(tmp_path / "corpus.jsonl", ids=CLASHING_IDS[1:2], marker=" again")
    again = build([tmp_path / "corpus.jsonl"], BuildOptions(output_dir=output, store=store, view=False))
    assert again.built == 1
    texts = _stored_texts(output)
    assert sorted(texts) == sorted(CLASHING_IDS)
    assert "again" in texts["reuters.txt"] and "again" not in texts["Reuters.txt"]


def test_a_rebuild_replaces_a_graph_stored_under_an_earlier_iri(tmp_path):
    from graphbuild.store import oxigraph_store, open_dataset
    from graphbuild.vocab import document_graph_iri, mint, slug

    corpus = _clashing_corpus(tmp_path / "corpus.jsonl", ids=["Report 1"])
    output = tmp_path / "out"
    build([corpus], BuildOptions(output_dir=output, view=False))
    dataset = open_dataset(output)  # as graphbuild 0.1 named it: the bare slug of the id
    oxigraph_store(dataset).update(f"MOVE <{document_graph_iri('Report 1')}> TO <{mint('graph', 'doc', slug('Report 1', 80))}>")
    close(dataset)
    _clashing_corpus(tmp_path / "corpus.jsonl", ids=["Report 1"], marker=" again")
    build([corpus], BuildOptions(output_dir=output, view=False))
    assert "again" in _stored_texts(output)["Report 1"]


# --- one-line errors, exit 2 (issue 11, failure 5) --------------------------------------

def _one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("graphbuild: error: ") and result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.parametrize("record, fragment", [
    ({"id": "b", "text": "Ministers met.", "published": 2020}, "'published' must be a string"),
    ({"id": "b", "text": "Ministers met.", "source": "http://[::1/x"}, "is not a valid URL"),
    ({"id": "b", "text": "Ministers \ud800 met."}, "lone surrogate"),
])
def test_a_bad_field_on_a_later_line_stops_the_build_before_anything_is_written(tmp_path, record, fragment):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "Ruritania accused Borduria."}) + "\n" + json.dumps(record) + "\n")
    _one_line_error(run_cli("build", str(corpus), "-o", str(tmp_path / "out")), f"{corpus}:2: ", fragment)
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_is_a_file_is_a_one_line_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Ruritania accused Borduria.", encoding="utf-8")
    in_the_way = tmp_path / "taken"
    in_the_way.write_text("not a folder")
    for command in (["build", str(article)], ["stats"], ["export", "--format", "ttl"]):
        _one_line_error(run_cli(*command, "-o", str(in_the_way)), f"{in_the_way}: ", "is a file, not a build folder")
    _one_line_error(run_cli("build", str(article), "-o", str(in_the_way / "out")), str(in_the_way))
    assert in_the_way.read_text() == "not a folder"


@pytest.mark.parametrize("base", ["not an iri", "https://data.example/a b/", "https://data.example/<x>/", "/relative/"])
def test_an_invalid_base_iri_is_a_one_line_error_before_anything_is_built(tmp_path, base):
    article = tmp_path / "a.txt"
    article.write_text("Ruritania accused Borduria.", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "graphbuild.cli", "build", str(article), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300, env={**os.environ, "GRAPHBUILD_BASE_IRI": base})
    _one_line_error(result, "GRAPHBUILD_BASE_IRI", repr(base))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "nt"], ["query", "events"],
                                     ["query", "--list"], ["export", "--format", "csv"]])
def test_output_piped_into_head_ends_quietly(seed_output, command):
    folder, _ = seed_output
    # `head -c 1` closes the pipe after one byte, while graphbuild is still writing.
    pipeline = f"{shlex.quote(sys.executable)} -m graphbuild.cli {shlex.join(command)} -o {shlex.quote(str(folder))} | head -c 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True, timeout=300)
    assert result.stderr == "" and len(result.stdout) == 1
    assert result.returncode in (0, 141)  # 141: ended by the closed pipe, as `yes | head` is


# --- one build per folder (issue 11, failure 6) -----------------------------------------

@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_second_build_into_a_folder_being_built_gets_a_lock_error(tmp_path, store):
    from graphbuild.store import BuildLock

    article = tmp_path / "a.txt"
    article.write_text("Ruritania accused Borduria of shelling the border town.", encoding="utf-8")
    output = tmp_path / "out"
    build([article], BuildOptions(output_dir=output, store=store, view=False))
    before = digest(output)
    second = tmp_path / "b.txt"
    second.write_text("Borduria denied that its forces attacked Ruritania.", encoding="utf-8")
    with BuildLock(output):  # as a build running in another process holds it
        result = run_cli("build", str(second), "-o", str(output), "--store", store, "--no-view")
    _one_line_error(result, f"{output}: another graphbuild build is writing to this folder")
    assert digest(output) == before
    assert run_cli("build", str(second), "-o", str(output), "--store", store, "--no-view").returncode == 0


def test_two_concurrent_memory_builds_never_both_succeed_with_one_lost(tmp_path):
    corpora = []
    for name in ("a", "b"):
        corpus = tmp_path / f"{name}.jsonl"
        corpus.write_text("\n".join(json.dumps({"id": f"{name}{n}", "text": f"Ruritania accused Borduria of attack {n}."})
                                    for n in range(40)) + "\n", encoding="utf-8")
        corpora.append(corpus)
    output = tmp_path / "out"
    builds = [subprocess.Popen([sys.executable, "-m", "graphbuild.cli", "build", str(corpus), "-o", str(output),
                                "--store", "memory", "--no-view"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for corpus in corpora]
    results = [(process.wait(timeout=300), process.stderr.read()) for process in builds]
    texts = _stored_texts(output)
    for (status, stderr), name in zip(results, ("a", "b")):
        if status == 0:
            assert {f"{name}{n}" for n in range(40)} <= set(texts)  # what a build reported as built is there
        else:
            assert status == 2 and "another graphbuild build is writing to this folder" in stderr


def test_the_readme_examples_of_document_iris_are_true():
    from graphbuild.vocab import document_iri

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc_id in ("Reuters.txt", "reuters.txt", "talks-resume"):
        assert "…/" + str(document_iri(doc_id)).removeprefix("https://w3id.org/graphbuild/id/") + "`" in readme
