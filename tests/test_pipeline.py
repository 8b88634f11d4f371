"""The build end to end: seeds → store → the four output files; incremental rebuilds;
bad input leaves what was built untouched; the CLI reports errors in one line."""

from __future__ import annotations

import hashlib
import json
import re
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

from conftest import comparable_quads, invented_corpus

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
    from graphbuild.pipeline import FINAL_BATCH_WORDS, WRITE_BATCH_WORDS, write_batches

    extractions = [Extraction(Document(f"d{i}", "word " * 100)) for i in range(1000)]  # 100,000 words
    batches = [[e.document.id for e in batch] for batch in write_batches(iter(extractions), 100_000)]
    assert [d for batch in batches for d in batch] == [e.document.id for e in extractions]
    sizes = [100 * len(batch) for batch in batches]
    assert max(sizes) == WRITE_BATCH_WORDS and sizes[-1] <= FINAL_BATCH_WORDS
    assert sizes[-4:] == sorted(sizes[-4:], reverse=True)


# --- corpus scale: streaming, resuming, build folders (issues 11 and 13) -----------------------

def run_cli_on_a_terminal(args: list[str], until=None, timeout: float = 300) -> tuple[subprocess.Popen, str]:
    """Start `graphbuild` with standard error on a pseudo-terminal, as in an interactive shell;
    read what it shows there until ``until(text)`` holds (then return, leaving it running) or
    it exits."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios
    import time

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 160, 0, 0))  # 24 rows, 160 columns
    process = subprocess.Popen([sys.executable, "-m", "graphbuild.cli", *args], stdout=subprocess.PIPE,
                               stderr=terminal, text=True)
    os.close(terminal)
    shown, deadline = "", time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until is not None and until(shown):
            break
        ready, _, _ = select.select([controller], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the process closed the terminal
                chunk = b""
            if not chunk:
                break
            shown += chunk.decode("utf-8", errors="replace")
        elif process.poll() is not None:
            break
    os.close(controller)
    return process, shown


def stored_documents(shown: str) -> int:
    """The number of stored documents the progress bar shows last ("12/300 documents")."""
    import re

    counts = re.findall(r"(\d+)/\d+ documents", shown)
    return int(counts[-1]) if counts else 0


def test_a_killed_build_resumes_to_the_quads_of_an_uninterrupted_one(tmp_path):
    import signal

    corpus = invented_corpus(tmp_path / "wire.jsonl", 320)
    whole = tmp_path / "whole"
    assert run_cli("build", str(corpus), "-o", str(whole), "--no-view").returncode == 0

    resumed = tmp_path / "resumed"
    process, shown = run_cli_on_a_terminal(["build", str(corpus), "-o", str(resumed)],
                                           until=lambda text: stored_documents(text) > 0)
    assert process.poll() is None, f"the build ended before it could be killed: {shown}"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    committed = stored_documents(shown)
    assert 0 < committed < 320

    again = run_cli("build", str(corpus), "-o", str(resumed), "--no-view")
    assert again.returncode == 0, again.stderr
    summary = again.stdout.splitlines()[0]
    built, unchanged = (int(n) for n in re.search(r"built (\d+), unchanged (\d+)", summary).groups())
    assert built + unchanged == 320 and unchanged >= committed  # what was stored is not parsed again
    assert comparable_quads(resumed) == comparable_quads(whole)
    # Every document has its provenance, stored with it, whichever build wrote it.
    dataset = existing_dataset(resumed)
    try:
        [[unrecorded]] = dataset.query("""
            PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX gb: <https://w3id.org/graphbuild/ontology#>
            SELECT (COUNT(?graph) AS ?n) WHERE { GRAPH ?graph { ?doc a gb:Document }
              FILTER NOT EXISTS { GRAPH ?p { ?graph prov:wasGeneratedBy ?build } } }""")
    finally:
        close(dataset)
    assert int(unrecorded) == 0
    assert not list(resumed.rglob("*.tmp"))


def test_a_bad_field_deep_in_a_corpus_stops_the_build_before_anything_is_written(seed_output, tmp_path):
    folder, _ = seed_output
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    corpus = invented_corpus(tmp_path / "wire.jsonl", 140)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[130])
    lines[130] = json.dumps({**record, "published": "the day before yesterday"})
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wire\.jsonl:131: published date"):
        build([corpus], BuildOptions(output_dir=folder))
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before  # store, outputs, provenance


def test_building_a_folder_twice_never_reads_what_the_build_wrote(tmp_path):
    work = tmp_path / "articles"
    shutil.copytree(SEEDS, work)
    first = subprocess.run([sys.executable, "-m", "graphbuild.cli", "build", "."], cwd=work,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([sys.executable, "-m", "graphbuild.cli", "build", "."], cwd=work,
                            capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "Read 3 document(s): built 0, unchanged 3" in second.stdout  # not output/facts.jsonl or graph.html
    # A build folder named as input, or a file in one, is refused in one line.
    for inputs in (["output"], ["output/facts.jsonl"]):
        refused = run_cli("build", str(work / inputs[0]), "-o", str(tmp_path / "elsewhere"))
        assert refused.returncode == 2 and "graphbuild build folder" in refused.stderr


def test_stale_temporaries_go_and_the_view_is_replaced_whole(tmp_path):
    source = SEEDS / "000_fec8ec42891de7d7.txt"
    build([source], BuildOptions(output_dir=tmp_path))
    stale = [tmp_path / ".graph.ttl.k1ll3d.tmp", tmp_path / ".graph.html.k1ll3d.tmp"]
    for path in stale:
        path.write_text("half a file", encoding="utf-8")
    view_before = (tmp_path / "graph.html").stat().st_ino
    build([source], BuildOptions(output_dir=tmp_path))
    assert not any(path.exists() for path in stale)
    assert (tmp_path / "graph.html").stat().st_ino != view_before  # renamed into place, not rewritten


def test_the_progress_bar_shows_on_a_terminal_and_not_with_quiet(tmp_path):
    source = str(SEEDS / "000_fec8ec42891de7d7.txt")
    _, shown = run_cli_on_a_terminal(["build", source, "-o", str(tmp_path / "a"), "--no-view"])
    assert "1/1 documents" in shown and "words" in shown
    _, quiet = run_cli_on_a_terminal(["build", source, "-o", str(tmp_path / "b"), "--no-view", "--quiet"])
    assert quiet.strip() == ""
