"""How sure an event is: a calibrated probability computed from the measured precision of the
rules that made it.

The method (``graphbuild evaluate DEV --calibrate`` fits it on annotated articles and writes
``ontology/calibration.tsv``):

1. Each event has *features*: the ids of the rules that found it, its PLOVER type
   (``type:ASSAULT``), whether it has a target (``target:none``) and whether its source is
   unaffiliated (``source:unaffiliated``: neither a state nor known to belong to one; on text
   nobody tuned for, those events were right less than half as often as the others).
2. Each feature's precision is measured on labelled events: those of the development articles,
   right when their (source, type, target) matches the gold, and, optionally, events of another
   corpus judged right or wrong by hand (``--judged``), which keep the confidence honest on text
   the rules were not developed on. The precision is smoothed towards the overall
   precision ``p0`` as if ``SMOOTHING`` more events of precision ``p0`` had been seen, so a
   feature seen twice moves the score little.
3. An event's raw score combines its features' precisions as independent evidence (naive Bayes
   in log-odds): ``logit(p0) + Σ (logit(p_f) − logit(p0))``.
4. Raw scores are turned into probabilities by an isotonic (monotone, step-wise) map fitted to
   leave-one-article-out raw scores, so the map reflects how the scores do on an article the
   precisions were not measured on. Among events with confidence ≥ c, about a fraction c is
   right.
5. The default threshold (``--min-confidence``) is the lowest confidence, from 0.5 up, at which
   the leave-one-article-out precision of the development articles' events kept is at least
   ``TARGET_PRECISION``.
"""

from __future__ import annotations

import bisect
import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SMOOTHING = 4.0
TARGET_PRECISION = 0.8
LOWEST_THRESHOLD = 0.5
CALIBRATION_FILE = "calibration.tsv"
_EPSILON = 1e-3


def event_features(rules: Iterable[str], event_type: str, has_target: bool, source_affiliated: bool) -> frozenset[str]:
    return frozenset([*rules, f"type:{event_type}", "target:some" if has_target else "target:none",
                      *([] if source_affiliated else ["source:unaffiliated"])])


def is_affiliated(actor_type: str | None, country: str | None) -> bool:
    """A state, or an actor known to belong to one."""
    return actor_type == "Country" or bool(country)


@dataclass(frozen=True)
class Calibration:
    prior: float  # the share of right events on the development articles
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # feature → (events, right)
    curve: tuple[tuple[float, float], ...] = ((-math.inf, 0.5),)  # (lowest raw score, confidence), ascending
    threshold: float = 0.0  # the default --min-confidence
    events: int = 0

    def precision(self, feature: str) -> float:
        """A feature's smoothed precision (the prior for a feature never measured)."""
        seen, right = self.counts.get(feature, (0, 0))
        return (right + SMOOTHING * self.prior) / (seen + SMOOTHING)

    def raw_score(self, features: Iterable[str]) -> float:
        base = _logit(self.prior)
        return base + sum(_logit(self.precision(f)) - base for f in features)

    def confidence(self, features: Iterable[str]) -> float:
        return calibration_step(self.curve, self.raw_score(features))


def fit(labelled: list[tuple[str, frozenset[str], bool]],
        threshold_articles: set[str] | None = None) -> tuple[Calibration, dict[str, list[tuple[float, bool]]]]:
    """A calibration from events labelled right or wrong, grouped by article: (article, features,
    right). The default threshold is set on the events of ``threshold_articles`` (default: all).
    Also returns, per article, the leave-one-article-out (confidence, right) pairs it was judged on."""
    from scipy.optimize import isotonic_regression

    full = _counts(labelled)
    held_out: list[tuple[float, str, bool]] = []
    for article in sorted({a for a, _, _ in labelled}):
        model = _counts([x for x in labelled if x[0] != article])
        held_out += [(model.raw_score(f), a, ok) for a, f, ok in labelled if a == article]
    held_out.sort(key=lambda triple: triple[0])
    if not held_out:
        return full, {}
    fitted = isotonic_regression([1.0 if ok else 0.0 for *_, ok in held_out]).x
    curve: list[tuple[float, float]] = []
    for (raw, *_), value in zip(held_out, fitted):
        value = round(float(value), 3)
        if not curve or value != curve[-1][1]:
            curve.append((raw, value))
    curve[0] = (-math.inf, curve[0][1])
    judged: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for raw, article, ok in held_out:
        judged[article].append((calibration_step(curve, raw), ok))
    on = [pair for article, pairs in judged.items()
          if threshold_articles is None or article in threshold_articles for pair in pairs]
    return Calibration(full.prior, full.counts, tuple(curve), default_threshold(on), full.events), dict(judged)


def calibration_step(curve: Iterable[tuple[float, float]], raw: float) -> float:
    """The confidence the step-wise map gives a raw score."""
    curve = list(curve)
    bounds = [low for low, _ in curve]
    return curve[max(0, bisect.bisect_right(bounds, raw) - 1)][1]


def default_threshold(judged: list[tuple[float, bool]]) -> float:
    """The lowest confidence whose kept events reach TARGET_PRECISION; never below an even chance,
    so an event more likely wrong than right is not shown by default."""
    for level in sorted({c for c, _ in judged if c >= LOWEST_THRESHOLD}):
        kept = [ok for c, ok in judged if c >= level]
        if kept and sum(kept) / len(kept) >= TARGET_PRECISION:
            return level
    return 1.0


def buckets(judged: list[tuple[float, bool]], edges=(0.0, 0.5, 0.6, 0.7, 0.8, 0.9)) -> list[dict]:
    """The calibration table: per confidence bucket and per threshold, how many events and how
    many right."""
    rows = []
    for low, high in zip(edges, [*edges[1:], 1.01]):
        inside = [ok for c, ok in judged if low <= c < high]
        above = [ok for c, ok in judged if c >= low]
        rows.append({"bucket": f"{low:.1f}–{min(high, 1.0):.1f}", "events": len(inside),
                     "precision": sum(inside) / len(inside) if inside else None,
                     "at_least": low, "kept": len(above),
                     "kept_precision": sum(above) / len(above) if above else None})
    return rows


def _counts(labelled) -> Calibration:
    seen: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    for _, features, ok in labelled:
        for feature in features:
            seen[feature] += 1
            right[feature] += ok
    total = len(labelled)
    prior = min(max(sum(ok for *_, ok in labelled) / total, _EPSILON), 1 - _EPSILON) if total else 0.5
    return Calibration(prior, {f: (seen[f], right[f]) for f in seen}, events=total)


def _logit(p: float) -> float:
    p = min(max(p, _EPSILON), 1 - _EPSILON)
    return math.log(p / (1 - p))


# -- the data file ---------------------------------------------------------------------------

HEADER = """\
# Event confidence calibration, written by `graphbuild evaluate DEV --calibrate` (graphbuild/confidence.py
# documents the method). Do not edit by hand: regenerate it after changing rules or the lexicon.
# kind: prior (overall precision) | feature (a rule id, type:T, target:none|some or source:unaffiliated;
#       labelled events with it and right among them) | curve (raw score from which the confidence
#       applies) | threshold
"""


def write(calibration: Calibration, path: Path) -> None:
    lines = [HEADER.rstrip("\n"), "kind\tkey\tevents\tright\tvalue",
             f"prior\tall\t{calibration.events}\t{round(calibration.prior * calibration.events)}\t"
             f"{calibration.prior:.4f}"]
    for feature, (seen, right) in sorted(calibration.counts.items()):
        lines.append(f"feature\t{feature}\t{seen}\t{right}\t{calibration.precision(feature):.4f}")
    for low, value in calibration.curve:
        lines.append(f"curve\t{'-inf' if low == -math.inf else f'{low:.4f}'}\t\t\t{value:.3f}")
    lines.append(f"threshold\tdefault\t\t\t{calibration.threshold:.3f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load(path: Path) -> Calibration:
    """The calibration in ``path``; without the file, every event gets the same middling confidence."""
    if not path.exists():
        return Calibration(prior=0.5)
    prior, events, counts, curve, threshold = 0.5, 0, {}, [], 0.0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if line.strip() and not line.startswith("#")),
                              delimiter="\t")
        for number, row in enumerate(rows, start=2):
            try:
                kind, key, value = row["kind"], row["key"], float(row["value"])
                if kind == "prior":
                    prior, events = value, int(row["events"])
                elif kind == "feature":
                    counts[key] = (int(row["events"]), int(row["right"]))
                elif kind == "curve":
                    curve.append((float(key), value))
                elif kind == "threshold":
                    threshold = value
                else:
                    raise ValueError(f"unknown kind {kind!r}")
            except (KeyError, TypeError, ValueError) as err:
                raise ValueError(f"{path}: row {number}: {err}") from None
    return Calibration(prior, counts, tuple(sorted(curve)) or ((-math.inf, prior),), threshold, events)
