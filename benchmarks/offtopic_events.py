"""Events per 1,000 words on the on-topic and off-topic articles of the Wikinews corpus.

An off-topic article (sport, science, culture, accidents ...) should give no political events.
The articles' topics are read from ``benchmarks/data/wikinews_topics.tsv`` (one line per article,
with the reason for its class). The corpus is built in memory as `graphbuild evaluate` does, and
the events kept are those at or above ``--min-confidence`` (default: the calibrated threshold).

    .venv/bin/python benchmarks/offtopic_events.py [--corpus PATH] [--min-confidence C] [--show N]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from graphbuild.evaluation_run import ParsedArticles
from graphbuild.terminal import terminal_safe

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "wikinews-2019-2020.jsonl"
TOPICS = HERE / "data" / "wikinews_topics.tsv"


def read_topics(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["id"]: row["topic"] for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--min-confidence", type=float, default=None)
    parser.add_argument("--show", type=int, default=10, help="list the off-topic articles with most events")
    args = parser.parse_args()
    topics = read_topics(TOPICS)
    articles = ParsedArticles([args.corpus])
    threshold = articles.knowledge.calibration.threshold if args.min_confidence is None else args.min_confidence
    facts = articles.facts(min_confidence=threshold)
    words = {d.id: len(d.text.split()) for d in articles.documents}
    unclassified = sorted(set(words) - set(topics))
    if unclassified:
        raise SystemExit(f"{TOPICS}: no topic for {', '.join(unclassified[:5])}")
    print(f"events at confidence >= {threshold:.3f}")
    for topic in ("on", "off"):
        ids = [i for i in words if topics[i] == topic]
        events = sum(len(facts.get(i, {}).get("events", [])) for i in ids)
        total = sum(words[i] for i in ids)
        print(f"{topic:>3}-topic: {len(ids):3} articles, {total:6} words, {events:4} events, "
              f"{1000 * events / total:.2f} per 1,000 words")
    busiest = sorted((i for i in words if topics[i] == "off" and facts.get(i, {}).get("events")),
                     key=lambda i: -len(facts[i]["events"]))
    for i in busiest[:args.show]:
        for event in facts[i]["events"]:
            print(terminal_safe(f"  {i}  {event['source']} {event['type']} {event['target']} [{event['modality']}]"
                                f"  {event['evidence'][:90]}"))


if __name__ == "__main__":
    main()
