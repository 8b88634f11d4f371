"""Built graphs conform to the SHACL shapes, and an OWL RL closure of ontology plus graph
finds nothing inconsistent; `graphbuild validate` reports a broken graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from graphbuild.kb import default_ontology_dir
from graphbuild.pipeline import BuildOptions, build
from graphbuild.store import close, existing_dataset
from graphbuild.validate import owl_rl_inconsistencies, union_graph, validate

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("validate-seeds")
    build([ROOT / "seeds"], BuildOptions(output_dir=folder, store="memory", view=False))
    return folder


def test_the_seed_build_conforms_to_the_shapes(seed_dir):
    dataset = existing_dataset(seed_dir)
    report = validate(dataset)
    assert report.conforms and report.violations == 0, report.text


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared evaluation set is not beside the repository")
def test_the_dev_build_conforms_to_the_shapes(tmp_path):
    build([p for p in sorted(DEV.glob("*.txt"))], BuildOptions(output_dir=tmp_path, view=False))
    dataset = existing_dataset(tmp_path)
    try:
        report = validate(dataset)
    finally:
        close(dataset)
    assert report.conforms and report.violations == 0, report.text


def test_owl_rl_closure_of_ontology_and_seed_build_is_consistent(seed_dir):
    graph = union_graph(existing_dataset(seed_dir))
    for name in ("graphbuild.ttl", "plover.ttl"):
        graph.parse(default_ontology_dir() / name, format="turtle")
    assert owl_rl_inconsistencies(graph) == []


def test_owl_rl_closure_finds_an_actor_that_is_both_person_and_state(seed_dir):
    graph = union_graph(existing_dataset(seed_dir))
    for name in ("graphbuild.ttl", "plover.ttl"):
        graph.parse(default_ontology_dir() / name, format="turtle")
    graph.parse(data="""
        @prefix gb: <https://w3id.org/graphbuild/ontology#> .
        <https://w3id.org/graphbuild/kb/RUS> a gb:Person .""", format="turtle")
    assert owl_rl_inconsistencies(graph)


def test_validate_command_reports_a_broken_graph(seed_dir, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    dataset = Dataset()
    dataset.parse(seed_dir / "graph.trig", format="trig")
    event = next(iter(dataset.query("PREFIX gb: <https://w3id.org/graphbuild/ontology#> "
                                    "SELECT ?e WHERE { GRAPH ?g { ?e a gb:Event } } LIMIT 1")))[0]
    for quad in list(dataset.quads((event, None, None, None))):
        if str(quad[1]).endswith("#modality"):
            dataset.remove(quad)
    dataset.serialize(broken / "graph.trig", format="trig")
    result = subprocess.run([sys.executable, "-m", "graphbuild.cli", "validate", "-o", str(broken)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "violation" in result.stdout and "modality" in result.stdout.lower()
    ok = subprocess.run([sys.executable, "-m", "graphbuild.cli", "validate", "-o", str(seed_dir)],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "conforms" in ok.stdout


def test_union_graph_leaves_out_the_ontology_graph(seed_dir):
    dataset = existing_dataset(seed_dir)
    assert isinstance(union_graph(dataset), Graph)
    assert not any(str(s).startswith("https://w3id.org/graphbuild/plover#") for s in union_graph(dataset).subjects())
