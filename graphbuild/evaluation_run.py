"""Run the pipeline over a gold set and score it: the glue behind `graphbuild evaluate`.

The articles go through the same stages as a build, into an in-memory Oxigraph store, and the
facts are read back from the graph by SPARQL, so what is scored is what users query. The
articles are parsed once; measuring a rule (``--by-rule``) re-runs only extraction and storing.
"""

from __future__ import annotations

import csv
import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from . import confidence, evaluate
from . import kb as kb_module
from .extract import RuleSet, all_rules, default_rules, extract
from .facts import document_facts
from .ingest import InputError, read_documents
from .nlp import build_nlp
from .pipeline import StoreWriter, progress_bar
from .resolve import Resolver
from .store import LocalStore


class ParsedArticles:
    """Articles parsed once, to be extracted and stored with any selection of rules."""

    def __init__(self, paths: list[Path], model: str | None = None):
        self.model = model
        self.documents = read_documents(paths)
        self.knowledge = kb_module.load()
        self.nlp = build_nlp(model)
        self.docs = list(self.nlp.pipe(d.text for d in self.documents))

    def facts(self, rules: RuleSet | None = None, min_confidence: float = 0.0) -> dict[str, dict]:
        """Facts per document id, through extraction, an in-memory store and the facts export."""
        rules = rules or default_rules()
        extractions = [extract(doc, document, self.knowledge, rules) for doc, document in zip(self.docs, self.documents)]
        dataset = Dataset(store="Oxigraph")  # in memory
        writer = StoreWriter(LocalStore(dataset), Resolver(), self.model, progress_bar(0, 0, enabled=False))
        writer.write(extractions)
        writer.close()
        return {facts["document"]: facts for facts in document_facts(dataset, min_confidence)}


def build_facts(paths: list[Path], model: str | None = None, min_confidence: float = 0.0) -> dict[str, dict]:
    """Facts per document id for the articles at the paths, built in memory."""
    return ParsedArticles(paths, model).facts(min_confidence=min_confidence)


@dataclass
class GoldSet:
    """A gold folder (NAME.txt + NAME.gold.json) or a PLOVER gold JSONL with its corpus beside it."""

    gold: Path
    articles: list[Path]

    @classmethod
    def at(cls, gold: Path) -> GoldSet:
        gold = Path(gold)
        if gold.is_dir():
            articles = sorted(gold.glob("*.txt"))
            if not articles:
                raise InputError(f"{gold}: no NAME.txt articles beside NAME.gold.json files")
            return cls(gold, articles)
        if gold.suffix == ".jsonl":
            corpus = gold.with_name("corpus.jsonl")
            if not corpus.exists():
                raise InputError(f"{gold}: expected the sentences in {corpus} beside the gold file")
            return cls(gold, [corpus])
        raise InputError(f"{gold}: give a gold folder or a PLOVER gold .jsonl file")

    @property
    def is_plover(self) -> bool:
        return not self.gold.is_dir()

    def score(self, facts: dict[str, dict]):
        if self.is_plover:
            return evaluate.score_plover(self.gold, facts)
        return evaluate.evaluate_directory(self.gold, facts)


def run_evaluation(gold: Path, model: str | None = None, json_path: Path | None = None, verbose: bool = False,
                   min_confidence: float | None = None, groups: list[str] = (), by_rule: bool = False,
                   calibrate: Path | None = None, judged: tuple[Path, Path] | None = None) -> str:
    if judged is not None and calibrate is None:
        raise InputError("--judged is for --calibrate: it adds hand-judged events to the calibration")
    gold_set = GoldSet.at(gold)
    articles = ParsedArticles(gold_set.articles, model)
    threshold = articles.knowledge.calibration.threshold if min_confidence is None else min_confidence
    if calibrate is not None:
        return _calibrate(gold_set, articles, calibrate, judged)

    facts = articles.facts(min_confidence=threshold)
    score = gold_set.score(facts)
    data = evaluate.to_json(score, details=verbose)
    data["min_confidence"] = threshold
    text = f"events at confidence >= {threshold:.3f} (--min-confidence)\n" + evaluate.format_table(score)
    for label, patterns in _groups(groups):
        part = evaluate.subset(score, lambda name: any(fnmatch.fnmatch(name, p) for p in patterns))
        text += f"\n\n{label} ({len(part.documents)} documents)\n" + evaluate.format_table(part)
        data.setdefault("groups", {})[label] = evaluate.to_json(part)
    if by_rule:
        table, data["rules"] = _by_rule(gold_set, articles, score, threshold)
        text += "\n\n" + table
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return text + ("\n\n" + evaluate.format_details(score) if verbose else "")


def _groups(groups: list[str]) -> list[tuple[str, list[str]]]:
    parsed = []
    for group in groups:
        label, _, patterns = group.partition("=")
        if not label or not patterns:
            raise InputError(f"--group {group!r}: expected LABEL=PATTERN[,PATTERN...]")
        parsed.append((label, [p.strip() for p in patterns.split(",") if p.strip()]))
    return parsed


def _by_rule(gold_set: GoldSet, articles: ParsedArticles, score, threshold: float) -> tuple[str, dict]:
    """Per rule: the events it took part in, how many were right, and the score without it."""
    taken: dict[str, list[int]] = {}
    for document in ([] if gold_set.is_plover else score.documents):
        for event, right in document.parts["events"].labels:
            for rule_id in event.get("rules") or []:
                counts = taken.setdefault(rule_id, [0, 0])
                counts[0] += 1
                counts[1] += right
    headline = "full recall" if gold_set.is_plover else "events F1"
    base = _headline(score)
    rows, data = [], {}
    for rule in all_rules():
        without = _headline(gold_set.score(articles.facts(RuleSet([rule.id]), threshold)))
        events, matched = taken.get(rule.id, (0, 0))
        data[rule.id] = {"events": events, "matched": matched, "precision": matched / events if events else None,
                         "f1_without" if not gold_set.is_plover else "full_recall_without": without}
        precision = f"{matched / events:.2f}" if events else "   -"
        rows.append(f"{rule.id:<48} {events:>6} {matched:>7} {precision:>9} {without:>9.3f} {without - base:>+7.3f}")
    header = (f"{headline} with every rule: {base:.3f}\n"
              f"{'rule':<48} {'events':>6} {'matched':>7} {'precision':>9} {'without':>9} {'change':>7}")
    return header + "\n" + "\n".join(rows), data


def _headline(score) -> float:
    if isinstance(score, evaluate.PloverScore):
        return score.full_recall
    return score.parts["events"].f1


JUDGED_COLUMNS = ("document", "source", "type", "target", "verdict")


def read_judged(path: Path) -> list[dict[str, str]]:
    """Hand-judged events of a corpus: a TSV with a header (at least JUDGED_COLUMNS; ``#`` lines
    are comments), one event per row, ``verdict`` right or wrong, ``target`` None for none."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [(number, line) for number, line in enumerate(handle, start=1) if not line.startswith("#")]
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    rows = list(csv.DictReader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = [c for c in JUDGED_COLUMNS if c not in (rows[0].keys() if rows else ())]
    if missing:
        raise InputError(f"{path}: no column {missing[0]!r} (needs {', '.join(JUDGED_COLUMNS)})")
    for (number, _), row in zip(lines[1:], rows):
        if row["verdict"] not in ("right", "wrong"):
            raise InputError(f"{path}: line {number}: verdict must be right or wrong, not {row['verdict']!r}")
    return rows


def _fact_features(event: dict, actors: dict[str, dict]) -> frozenset[str]:
    """The features of an event read back from the facts export (as extraction computed them)."""
    source = actors.get(event["source"], {})
    return confidence.event_features(event.get("rules") or [], event["type"], event["target"] is not None,
                                     confidence.is_affiliated(source.get("type"), source.get("country")))


def _actors_by_name(part: dict) -> dict[str, dict]:
    return {actor["name"]: actor for actor in part.get("actors", [])}


def _calibrate(gold_set: GoldSet, articles: ParsedArticles, path: Path,
               judged: tuple[Path, Path] | None = None) -> str:
    """Fit the confidence calibration on the gold set's events (all of them, whatever their
    confidence now) and the hand-judged events of another corpus, if given; write it where the
    knowledge base reads it. The default threshold is set on the gold set's events."""
    if gold_set.is_plover:
        raise InputError(f"{gold_set.gold}: calibrate on a gold folder (events need gold to be judged right)")
    facts = articles.facts(min_confidence=0.0)
    score = gold_set.score(facts)
    labelled = [(document.document, _fact_features(event, _actors_by_name(facts.get(document.document, {}))), right)
                for document in score.documents for event, right in document.parts["events"].labels]
    tables = [("development articles", {a for a, _, _ in labelled})]
    if judged is not None:
        judged_path, corpus = judged
        verdicts = {(row["document"], row["source"], row["type"], row["target"]): row["verdict"] == "right"
                    for row in read_judged(judged_path)}
        corpus_facts = ParsedArticles([corpus], articles.model).facts(min_confidence=0.0)
        extra = [(f"{corpus.name}#{document}", _fact_features(event, _actors_by_name(part)), verdicts[key])
                 for document, part in corpus_facts.items() for event in part["events"]
                 if (key := (document, event["source"], event["type"], str(event["target"]))) in verdicts]
        tables.append((f"judged events of {corpus.name}", {a for a, _, _ in extra}))
        labelled += extra
    calibration, held_out = confidence.fit(labelled, threshold_articles=tables[0][1])
    confidence.write(calibration, path)
    lines = [f"{path}: {len(labelled)} events, default --min-confidence {calibration.threshold:.3f}"]
    for label, names in tables:
        pairs = [pair for name in names for pair in held_out.get(name, [])]
        lines += [f"\n{label}: {len(pairs)} events from {len(names)} articles",
                  "confidence (left out article)  events  precision   at least  kept  precision"]
        for row in confidence.buckets(pairs):
            precision = f"{row['precision']:.2f}" if row["precision"] is not None else "-"
            kept = f"{row['kept_precision']:.2f}" if row["kept_precision"] is not None else "-"
            lines.append(f"{row['bucket']:<29} {row['events']:>7} {precision:>10} {row['at_least']:>10.1f} "
                         f"{row['kept']:>5} {kept:>10}")
    return "\n".join(lines)
