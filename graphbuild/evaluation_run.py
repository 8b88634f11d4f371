"""Run the pipeline over a gold set and score it: the glue behind `graphbuild evaluate`.

The articles go through the same stages as a build (into an in-memory store), and the
facts are read back from the graph by SPARQL, so what is scored is what users query.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset

from . import evaluate
from .ingest import InputError, read_documents
from .facts import document_facts
from .pipeline import BuildOptions, store_documents
from .store import LocalStore


def build_facts(paths: list[Path], model: str | None = None) -> dict[str, dict]:
    """Facts per document id for the articles at the paths, built in memory."""
    documents = read_documents(paths)
    dataset = Dataset()
    store_documents(LocalStore(dataset), documents, BuildOptions(model=model))
    return {facts["document"]: facts for facts in document_facts(dataset)}


def run_evaluation(gold: Path, model: str | None = None, json_path: Path | None = None, verbose: bool = False) -> str:
    gold = Path(gold)
    if gold.is_dir():
        articles = sorted(p for p in gold.glob("*.txt"))
        if not articles:
            raise InputError(f"{gold}: no NAME.txt articles beside NAME.gold.json files")
        score = evaluate.evaluate_directory(gold, build_facts(articles, model))
    elif gold.suffix == ".jsonl":
        corpus = gold.with_name("corpus.jsonl")
        if not corpus.exists():
            raise InputError(f"{gold}: expected the sentences in {corpus} beside the gold file")
        score = evaluate.score_plover(gold, build_facts([corpus], model))
    else:
        raise InputError(f"{gold}: give a gold folder or a PLOVER gold .jsonl file")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(evaluate.to_json(score, details=verbose), indent=2), encoding="utf-8")
    text = evaluate.format_table(score)
    return text + ("\n\n" + evaluate.format_details(score) if verbose else "")
