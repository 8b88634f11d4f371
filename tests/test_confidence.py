"""Event confidence: fitted from labelled events, calibrated, written and read back as data."""

from __future__ import annotations

import math

import pytest

from graphbuild import confidence


def synthetic(articles: int = 12) -> list[tuple[str, frozenset[str], bool]]:
    """Events of two kinds per article: made by a rule right 9 times in 10, or by one right 3 in 10."""
    labelled = []
    for article in range(articles):
        for n in range(10):
            labelled.append((f"a{article}", frozenset({"good.rule", "type:ASSAULT"}), n < 9))
            labelled.append((f"a{article}", frozenset({"poor.rule", "type:ASSAULT"}), n < 3))
    return labelled


def test_events_of_a_precise_rule_get_a_higher_confidence_than_those_of_a_poor_one():
    calibration, _ = confidence.fit(synthetic())
    good = calibration.confidence({"good.rule", "type:ASSAULT"})
    poor = calibration.confidence({"poor.rule", "type:ASSAULT"})
    assert good > poor
    assert good == pytest.approx(0.9, abs=0.05) and poor == pytest.approx(0.3, abs=0.05)


def test_the_confidence_is_calibrated_on_articles_left_out():
    _, judged = confidence.fit(synthetic())
    for level in sorted({c for c, _ in judged}):
        kept = [right for c, right in judged if c >= level]
        assert sum(kept) / len(kept) >= level - 0.05  # among events with confidence >= c, about c are right


def test_the_default_threshold_keeps_events_of_at_least_the_target_precision():
    calibration, judged = confidence.fit(synthetic())
    kept = [right for c, right in judged if c >= calibration.threshold]
    assert sum(kept) / len(kept) >= confidence.TARGET_PRECISION
    assert calibration.confidence({"poor.rule", "type:ASSAULT"}) < calibration.threshold


def test_a_feature_seen_rarely_moves_the_score_little():
    labelled = synthetic() + [("a0", frozenset({"rare.rule"}), False)]
    calibration, _ = confidence.fit(labelled)
    assert calibration.precision("rare.rule") > 0.4  # one wrong event is not a precision of 0
    assert calibration.precision("never.seen") == pytest.approx(calibration.prior)


def test_the_calibration_file_round_trips(tmp_path):
    calibration, _ = confidence.fit(synthetic())
    path = tmp_path / "calibration.tsv"
    confidence.write(calibration, path)
    again = confidence.load(path)
    assert again.threshold == pytest.approx(calibration.threshold, abs=1e-3)
    assert again.counts == calibration.counts
    for features in ({"good.rule"}, {"poor.rule"}, {"good.rule", "poor.rule"}, set()):
        assert again.confidence(features) == pytest.approx(calibration.confidence(features), abs=1e-3)


def test_a_bad_row_in_the_calibration_file_names_the_file_and_row(tmp_path):
    path = tmp_path / "calibration.tsv"
    path.write_text("kind\tkey\tevents\tright\tvalue\nfeature\tx.rule\tmany\t1\t0.5\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"calibration.tsv: row 2"):
        confidence.load(path)


def test_without_a_calibration_every_event_gets_the_same_middling_confidence(tmp_path):
    calibration = confidence.load(tmp_path / "missing.tsv")
    assert calibration.confidence({"any.rule"}) == 0.5 and calibration.curve[0][0] == -math.inf


def test_the_shipped_calibration_covers_the_rules_and_gives_confidences_in_range(kb):
    from graphbuild.extract import all_rules

    calibration = kb.calibration
    assert 0.0 < calibration.threshold <= 1.0
    measured = {r.id for r in all_rules()} & set(calibration.counts)
    assert len(measured) >= 10
    for rule_id in measured:
        assert 0.0 <= calibration.confidence({rule_id}) <= 1.0
