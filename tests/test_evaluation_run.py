"""`graphbuild evaluate` end to end on a tiny invented gold folder: groups, --by-rule, --calibrate."""

from __future__ import annotations

import json

import pytest

from graphbuild.evaluation_run import run_evaluation
from graphbuild.extract import all_rules

ARTICLES = {
    "north_1": ("Chile accused Peru of violating the treaty. Peru rejected the accusation.",
                [{"source": "Chile", "type": ["ACCUSE"], "target": "Peru", "modality": "asserted"},
                 {"source": "Peru", "type": ["REJECT"], "target": "Chile", "modality": "asserted"}]),
    "south_2": ("Norway sent aid to Kenya. Kenya thanked Norway for its support.",
                [{"source": "Norway", "type": ["AID"], "target": "Kenya", "modality": "asserted"},
                 {"source": "Kenya", "type": ["SUPPORT", "AGREE"], "target": "Norway", "modality": "asserted"}]),
}


@pytest.fixture(scope="module")
def gold_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gold")
    for name, (text, events) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        states = sorted({e[side] for e in events for side in ("source", "target")})
        gold = {"document": f"{name}.txt", "actors": [{"name": s, "type": "Country", "aliases": []} for s in states],
                "places": [], "roles": [], "statements": [], "events": events}
        (folder / f"{name}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


def test_groups_are_scored_apart(gold_folder, tmp_path):
    out = tmp_path / "scores.json"
    text = run_evaluation(gold_folder, json_path=out, min_confidence=0.0, groups=["north=north_*", "south=south_*"])
    data = json.loads(out.read_text())
    assert data["min_confidence"] == 0.0 and set(data["groups"]) == {"north", "south"}
    assert data["groups"]["north"]["documents"] == 1 and "north (1 documents)" in text


def test_by_rule_measures_every_rule(gold_folder, tmp_path):
    out = tmp_path / "rules.json"
    run_evaluation(gold_folder, json_path=out, min_confidence=0.0, by_rule=True)
    data = json.loads(out.read_text())
    rules = data["rules"]
    assert set(rules) == {r.id for r in all_rules()}
    assert set(rules["event.trigger.word"]) == {"events", "matched", "precision", "f1_without"}
    f1 = data["parts"]["events"]["f1"]
    assert rules["event.trigger.word"]["events"] > 0
    assert rules["event.trigger.word"]["f1_without"] < f1  # no trigger words, no events
    assert rules["event.source.subject"]["matched"] <= rules["event.source.subject"]["events"]


def test_calibrate_writes_a_calibration_the_knowledge_base_reads(gold_folder, tmp_path):
    from graphbuild import confidence

    path = tmp_path / "calibration.tsv"
    text = run_evaluation(gold_folder, calibrate=path)
    assert "default --min-confidence" in text
    calibration = confidence.load(path)
    assert calibration.events > 0 and 0.0 <= calibration.threshold <= 1.0
    assert "event.trigger.word" in calibration.counts


JUDGED_CORPUS = [
    {"id": "east-1", "text": "Norway sent aid to Kenya. Chile accused Peru of violating the treaty."},
    {"id": "west-2", "text": "Peru rejected the accusation. Kenya thanked Norway for its support."},
]


@pytest.fixture(scope="module")
def judged_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("judged")
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(article) + "\n" for article in JUDGED_CORPUS), encoding="utf-8")
    judged = folder / "judged.tsv"
    judged.write_text("# invented verdicts: the aid is judged wrong\n"
                      "document\tsource\ttype\ttarget\tverdict\n"
                      "east-1\tNorway\tAID\tKenya\twrong\n"
                      "east-1\tChile\tACCUSE\tPeru\tright\n"
                      "west-2\tNobody\tAID\tNone\twrong\n", encoding="utf-8")  # no such event: left out
    return judged, corpus


def test_calibrate_also_fits_on_hand_judged_events_of_a_corpus(gold_folder, judged_corpus, tmp_path):
    from graphbuild import confidence

    dev_only, with_judged = tmp_path / "dev.tsv", tmp_path / "judged.tsv"
    run_evaluation(gold_folder, calibrate=dev_only)
    text = run_evaluation(gold_folder, calibrate=with_judged, judged=judged_corpus)
    assert "judged events of corpus.jsonl: 2 events from 1 articles" in text
    before, after = confidence.load(dev_only), confidence.load(with_judged)
    assert after.events == before.events + 2
    assert after.counts["type:AID"] == (before.counts["type:AID"][0] + 1, before.counts["type:AID"][1])


def test_a_bad_verdict_names_the_file_and_line(gold_folder, judged_corpus, tmp_path):
    from graphbuild.ingest import InputError

    bad = tmp_path / "bad.tsv"
    bad.write_text("document\tsource\ttype\ttarget\tverdict\neast-1\tNorway\tAID\tKenya\tmaybe\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv: line 2: verdict must be right or wrong"):
        run_evaluation(gold_folder, calibrate=tmp_path / "c.tsv", judged=(bad, judged_corpus[1]))
    with pytest.raises(InputError, match=r"--judged is for --calibrate"):
        run_evaluation(gold_folder, judged=judged_corpus)
