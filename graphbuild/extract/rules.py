"""Named extraction rules, and the stages that run them in a declared order.

Every heuristic of the extractor is a *rule*: a small function registered under a stable id
(``event.target.direct_object``) whose docstring's first line describes it. Rules belong to
*stages* (the id without its last part: ``event.target``). ``STAGES`` in
``graphbuild/extract/stages.py`` declares each stage's rules in the order they are tried; it is
the one place the order lives, and ``graphbuild rules`` prints it.

A stage runs in one of three ways:
- ``first``: the rules are tried in order and the first that finds something decides (who the
  source of an event is). A rule returns None when it finds nothing, so the next one is tried.
- ``each``: every rule runs, in order (the passes that recognise actors).
- ``veto``: any rule can drop a candidate (a trigger verb that only publishes a document).

A ``RuleSet`` is one build's selection of rules: all of them but those disabled with
``--disable-rule``. Extraction code asks it which rules to run, never a module-level flag.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class UnknownRuleError(ValueError):
    """A rule id that no rule has (a misspelt ``--disable-rule``)."""


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    function: Callable[..., Any]

    @property
    def stage(self) -> str:
        return self.id.rsplit(".", 1)[0]

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)


@dataclass(frozen=True)
class Stage:
    name: str
    how: str  # "first" | "each" | "veto"
    description: str
    rules: tuple[str, ...]


# Filled by the @rule decorator as the rule modules are imported; read through RuleSet only.
REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str):
    """Register a function as the rule ``rule_id``; its docstring's first line describes it."""

    def register(function: Callable) -> Callable:
        if rule_id in REGISTRY and REGISTRY[rule_id].function is not function:
            raise ValueError(f"rule id {rule_id!r} is registered twice")
        description = (function.__doc__ or "").strip().splitlines()
        if not description:
            raise ValueError(f"rule {rule_id!r} has no description (docstring)")
        REGISTRY[rule_id] = Rule(rule_id, description[0].strip(), function)
        return function

    return register


def all_stages() -> tuple[Stage, ...]:
    from .stages import STAGES  # the rule modules register themselves on import

    return STAGES


def all_rules() -> list[Rule]:
    """Every rule, in stage order."""
    return [REGISTRY[rule_id] for stage in all_stages() for rule_id in stage.rules]


class RuleSet:
    """The rules one build runs: every declared rule except the disabled ones."""

    def __init__(self, disabled: Iterable[str] = ()):
        stages = all_stages()
        known = {rule_id for stage in stages for rule_id in stage.rules}
        self.disabled = frozenset(disabled)
        unknown = sorted(self.disabled - known)
        if unknown:
            raise UnknownRuleError(
                f"unknown rule {unknown[0]!r} (`graphbuild rules` lists the rule ids)")
        self._stages = {stage.name: stage for stage in stages}
        self._active = {stage.name: tuple(REGISTRY[r] for r in stage.rules if r not in self.disabled)
                        for stage in stages}

    def on(self, rule_id: str) -> bool:
        """Whether a rule runs in this build."""
        return rule_id not in self.disabled

    def rules(self, stage: str) -> tuple[Rule, ...]:
        return self._active[stage]

    def first(self, stage: str, *args) -> tuple[Any, str | None]:
        """The first rule of the stage that finds something: (its result, its id), or (None, None)."""
        for candidate in self._active[stage]:
            found = candidate.function(*args)
            if found is not None:
                return found, candidate.id
        return None, None

    def each(self, stage: str, *args) -> None:
        for candidate in self._active[stage]:
            candidate.function(*args)

    def vetoed(self, stage: str, *args) -> str | None:
        """The id of the first rule of a veto stage that drops the candidate, if any."""
        for candidate in self._active[stage]:
            if candidate.function(*args):
                return candidate.id
        return None

    def __eq__(self, other) -> bool:
        return isinstance(other, RuleSet) and other.disabled == self.disabled

    def __hash__(self) -> int:
        return hash(self.disabled)

    def __reduce__(self):  # crosses process boundaries (spaCy workers, Dask) as its disabled ids
        return (RuleSet, (tuple(sorted(self.disabled)),))


@functools.cache
def default_rules() -> RuleSet:
    """Every rule on."""
    return RuleSet()


@functools.cache
def _stage_positions() -> dict[str, int]:
    return {r.id: position for position, r in enumerate(all_rules())}


def in_stage_order(rule_ids: Iterable[str]) -> list[str]:
    """Rule ids in the order their stages run (unknown ids last)."""
    positions = _stage_positions()
    return sorted(rule_ids, key=lambda r: (positions.get(r, len(positions)), r))


def format_rules(calibration, stage: str | None = None) -> str:
    """One line per rule, in stage order: id, stage, description, and the precision measured on
    the calibration's labelled events (the development articles' and the hand-judged corpus
    events: the share of right events among those the rule took part in)."""
    rules = [r for r in all_rules() if stage is None or r.stage == stage or r.stage.startswith(stage + ".")]
    if not rules:
        raise UnknownRuleError(f"no stage {stage!r} (`graphbuild rules` lists them all)")
    width = max(len(r.id) for r in rules)
    stage_width = max(len(r.stage) for r in rules)
    lines = []
    for r in rules:
        seen, right = calibration.counts.get(r.id, (0, 0))
        measured = f"precision {right / seen:.2f} ({right}/{seen})" if seen else "precision - (no labelled event)"
        lines.append(f"{r.id:<{width}}  {r.stage:<{stage_width}}  {r.description}  [{measured}]")
    return "\n".join(lines)

