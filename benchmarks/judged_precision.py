"""Precision of corpus events judged by hand, and how many of the judged events the code still makes.

``benchmarks/data/judged_events.tsv`` holds random samples of the on-topic Wikinews articles' events, each
judged right or wrong by reading its sentence (sample A before the precision work of issue 12's second
round, sample B after it, drawn from events not in A). This prints each sample's judged precision, then
builds the corpus with the current code (in memory, as `graphbuild evaluate` does) and counts, per sample,
the judged events it still makes and the precision among those: a rule change that drops wrong events
raises it, one that drops right ones lowers it. Last, the judged events still made, both samples
together, by the confidence the code now gives them: a check of the calibration on text nobody annotated.

    .venv/bin/python benchmarks/judged_precision.py [--corpus PATH] [--judged PATH]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from graphbuild.evaluation_run import ParsedArticles, read_judged

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "wikinews-2019-2020.jsonl"
JUDGED = HERE / "data" / "judged_events.tsv"


def event_key(document: str, event: dict) -> tuple[str, str, str, str]:
    return document, event["source"], event["type"], str(event["target"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--judged", type=Path, default=JUDGED)
    args = parser.parse_args()
    judged = read_judged(args.judged)
    facts = ParsedArticles([args.corpus]).facts(min_confidence=0.0)
    made = {event_key(document, event): event["confidence"]
            for document, part in facts.items() for event in part["events"]}
    print("sample  judged  right  precision  with modality  |  still made  right  precision")
    for sample in sorted({row["sample"] for row in judged}):
        rows = [row for row in judged if row["sample"] == sample]
        counts = Counter((row["verdict"], row["modality_ok"]) for row in rows)
        right = counts["right", "yes"] + counts["right", "no"]
        kept = [row for row in rows if (row["document"], row["source"], row["type"], row["target"]) in made]
        kept_right = sum(row["verdict"] == "right" for row in kept)
        kept_precision = f"{kept_right / len(kept):9.2f}" if kept else "        -"
        print(f"{sample:>6}  {len(rows):6}  {right:5}  {right / len(rows):9.2f}  {counts['right', 'yes'] / len(rows):13.2f}"
              f"  |  {len(kept):10}  {kept_right:5}  {kept_precision}")
    still_made = [(made[key], row["verdict"] == "right") for row in judged
                  if (key := (row["document"], row["source"], row["type"], row["target"])) in made]
    print("confidence at least  judged events  right  precision")
    for threshold in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9):
        above = [right for confidence, right in still_made if confidence >= threshold]
        precision = f"{sum(above) / len(above):9.2f}" if above else "        -"
        print(f"{threshold:19.1f}  {len(above):13}  {sum(above):5}  {precision}")


if __name__ == "__main__":
    main()
