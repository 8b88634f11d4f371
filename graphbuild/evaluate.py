"""Score facts files against gold annotations (`/work/shared/eval/FORMAT.md`).

Pure functions only; the command line lives in ``graphbuild/cli.py``.

Entry points
------------
- ``score_document(system, gold) -> DocumentScore``
- ``score_corpus(pairs) -> CorpusScore`` for ``(system, gold)`` pairs
- ``evaluate_directory(gold_dir, system_facts) -> CorpusScore``
- ``score_plover(gold_jsonl_path, system_facts_by_id) -> PloverScore``
- ``format_table(score)``, ``format_details(score)`` (the ``--verbose`` report), ``to_json(score)``
- ``without_event_types(facts)`` for untyped event scoring

The rules of FORMAT.md, and the choices made where it leaves room
-------------------------------------------------------------------
Names. ``normalize_name``: Unicode NFKC, case-fold, curly quotes made straight, dots
removed, white space collapsed, then one leading ``"the "`` removed.

Actor mapping. A system actor maps to the first gold actor (in gold order) whose name or
alias equals the system actor's name; failing that, to an optional actor with that name;
failing that, the same two steps for each system alias in turn. A system actor mapped to
a gold actor not matched yet is a true positive; mapped to an already matched gold actor
(a duplicate) or to nothing, a false positive; mapped to an optional actor, ignored.
Gold actors never matched are false negatives. Places work the same way against
``places``; ``optional_actors`` names also exempt places (the list holds names such as
"Europe" that a reader may take either way).

References. A name in ``speaker``, ``person``, ``of``, ``source`` or ``target`` is looked
up among the file's own actors (normalised name equality) and that actor is mapped as
above. A name that is not one of the file's actors is mapped directly by name, and if it
maps to nothing it still equals the same unlisted name on the other side.

Roles. A system role matches a gold role when person and ``of`` map to the same gold
actors (``of`` may be null on both sides) and one role string contains the other:
after normalisation, the word tokens of the shorter form a contiguous run in the longer
("President" inside "Vice President", but not "ice"). Pairs are chosen by maximum
bipartite matching, so each gold role is matched at most once; other system roles are
false positives.

Statements. Quotes are compared by token F1: NFKC, case-fold, curly quotes straight,
then word tokens (``\\w+``), punctuation dropped, counted as multisets. A pair is a
candidate when F1 >= 0.5 and (for ``statements``) the speaker maps to the gold speaker;
``statements_quote_only`` ignores the speaker. Candidates are taken greedily by
descending F1, each gold and each system statement used at most once. An unmatched
system statement whose quote has F1 >= 0.5 with an optional statement is ignored
(speaker not considered); otherwise it is a false positive.

Events. A system event may give ``type`` as a string or a list (each type is a triple of
its own). Its distinct triples are keyed by the normalised source name, the upper-cased
type and the normalised target name (null stays null), i.e. by the system's own names: two
unmerged actors give two triples. A triple matches a gold event when
- the type is one of the gold types;
- the source maps to the gold source;
- the target: gold ``"*"`` accepts any target including null; gold null accepts only a
  null system target; otherwise the system target maps to the gold target.
"Maps to" includes the role stand-in: a person stands for the state or organisation that a
gold role says they serve, and that state or organisation stands for the person.
Recall: tp = gold events matched by at least one triple, fn = the others (a triple may
match several gold events, e.g. two gold events that restate one fact). Precision:
tp_system = distinct triples that match at least one gold event, fp = those that match
none. Optional actors give no exemption here.

Modality. Over matched gold events: a gold event counts as correct when a system event
whose triple matches it carries the gold modality (missing modality = ``asserted``).
A factuality error is a distinct system triple stated ``asserted`` that matches gold
events, none of which is ``asserted`` (all matched gold events are hypothetical/negated).

Untyped events. ``without_event_types(facts)`` gives a copy whose events all carry one
placeholder type; applied to both system and gold, events match on source and target
alone and precision counts distinct (source, target) pairs. Baselines without PLOVER
types are scored this way.

Averages. Counts are summed over documents (micro-average). With no system items P is
1.0 if there was nothing to find, else 0.0; with no gold items R is 1.0 if the system
produced nothing wrong, else 0.0; so an empty part scored against an empty gold is 1.0.

PLOVER sentences. Gold records carry one ``event_type``, source and target lists (each
``text``, ``code`` = ISO alpha-3 or a non-state code like ``IGO``, ``country_name``).
A system actor matches a gold actor when its ``country`` equals the gold ``code``, or its
normalised name or an alias equals the gold text or country name, or is a contiguous word
run inside the gold text ("Tom King" in "British Defence Secretary Tom King").
A sentence is type-recalled when some system event has the gold type, and fully recalled
when one such event also has a matching source and target. An empty gold source or
target list accepts any source or target (including none). Facts are looked up by corpus id
(``PLOVER-GSR01-AGREE-0001``), falling back to the gold ``document`` name with ``.txt``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

PARTS = ("actors", "places", "roles", "statements", "statements_quote_only", "events")
QUOTE_F1_THRESHOLD = 0.5
ANY_TARGET = "*"

_STRAIGHT_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- text helpers


def normalize_name(name: str) -> str:
    """Normalise a name for comparison (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_STRAIGHT_QUOTES)
    text = " ".join(text.replace(".", "").split())
    if text.startswith("the "):
        text = text[4:]
    return text


def quote_tokens(quote: str) -> list[str]:
    """Lower-case word tokens of a quotation; punctuation is dropped."""
    text = unicodedata.normalize("NFKC", quote).casefold().translate(_STRAIGHT_QUOTES)
    return _WORD.findall(text)


def token_f1(a: str, b: str) -> float:
    """Multiset token F1 between two quotes (0.0 when either has no tokens)."""
    tokens_a, tokens_b = Counter(quote_tokens(a)), Counter(quote_tokens(b))
    overlap = sum((tokens_a & tokens_b).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(tokens_a.values())
    recall = overlap / sum(tokens_b.values())
    return 2 * precision * recall / (precision + recall)


def _contains_words(longer: str, shorter: str) -> bool:
    """True when the words of ``shorter`` form a contiguous run inside ``longer``."""
    long_words, short_words = _WORD.findall(longer), _WORD.findall(shorter)
    if not short_words or len(short_words) > len(long_words):
        return False
    width = len(short_words)
    return any(long_words[i : i + width] == short_words for i in range(len(long_words) - width + 1))


def _roles_compatible(role_a: str, role_b: str) -> bool:
    a, b = normalize_name(role_a or ""), normalize_name(role_b or "")
    return _contains_words(a, b) or _contains_words(b, a)


def _as_type_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.upper()]
    return [str(v).upper() for v in value]


# --------------------------------------------------------------------------- scores


def _ratio(numerator: int, denominator: int, empty_value: float) -> float:
    return numerator / denominator if denominator else empty_value


@dataclass
class PartScore:
    """Counts for one part. ``tp`` counts gold items matched (recall), ``tp_system`` the
    system items judged correct (precision); they differ only for events."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_system: int = 0
    matches: list[tuple[Any, Any]] = field(default_factory=list)  # (system item, gold item)
    false_positives: list[Any] = field(default_factory=list)
    false_negatives: list[Any] = field(default_factory=list)
    ignored: list[Any] = field(default_factory=list)  # optional items, neither TP nor FP
    labels: list[tuple[dict, bool]] = field(default_factory=list)  # events: (system event, its triple is right)

    @property
    def precision(self) -> float:
        return _ratio(self.tp_system, self.tp_system + self.fp, 1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, 1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_counts(self, other: PartScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tp_system += other.tp_system


@dataclass
class ModalityScore:
    matched: int = 0  # gold events matched
    correct: int = 0  # ... whose modality a matching system event shares
    factuality_errors: int = 0
    errors: list[tuple[Any, list[Any]]] = field(default_factory=list)  # (system triple, gold events)
    wrong: list[tuple[Any, list[str]]] = field(default_factory=list)  # (gold event, system modalities)

    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.matched, 0.0)

    def add_counts(self, other: ModalityScore) -> None:
        self.matched += other.matched
        self.correct += other.correct
        self.factuality_errors += other.factuality_errors


@dataclass
class DocumentScore:
    document: str
    parts: dict[str, PartScore]
    modality: ModalityScore


@dataclass
class CorpusScore:
    documents: list[DocumentScore]
    parts: dict[str, PartScore]
    modality: ModalityScore
    missing_documents: list[str] = field(default_factory=list)  # gold without system facts
    unscored_documents: list[str] = field(default_factory=list)  # system facts without gold


# --------------------------------------------------------------------------- actor mapping


class _Entities:
    """Maps names of one file (system or gold) onto gold entity ids.

    A gold actor's id is its normalised name; an optional actor's id is
    ``"optional:" + normalised name``; a name that maps to nothing gets
    ``"unlisted:" + normalised name`` so that the same unlisted name still agrees.
    """

    def __init__(self, gold_actors: list[dict], optional_names: Iterable[str]):
        self.gold_ids: list[str] = []
        self._by_name: dict[str, int] = {}
        for index, actor in enumerate(gold_actors):
            self.gold_ids.append(normalize_name(actor["name"]))
            for name in [actor["name"], *(actor.get("aliases") or [])]:
                self._by_name.setdefault(normalize_name(name), index)
        self.optional = {normalize_name(name) for name in optional_names}

    def map_names(self, name: str, aliases: Iterable[str] = ()) -> tuple[str, int | str | None]:
        """Return ("gold", index), ("optional", normalised optional name) or ("none", None)."""
        for candidate in [name, *aliases]:
            key = normalize_name(candidate or "")
            if key in self._by_name:
                return "gold", self._by_name[key]
            if key in self.optional:
                return "optional", key
        return "none", None

    def entity_id(self, name: str, aliases: Iterable[str] = ()) -> str:
        kind, found = self.map_names(name, aliases)
        if kind == "gold":
            return self.gold_ids[found]
        if kind == "optional":
            return "optional:" + found
        return "unlisted:" + normalize_name(name)


class _References:
    """Resolves a reference name of one facts file through that file's actor list."""

    def __init__(self, facts: dict, entities: _Entities):
        self._entities = entities
        self._actors: dict[str, dict] = {}
        for actor in facts.get("actors") or []:
            self._actors.setdefault(normalize_name(actor.get("name") or ""), actor)

    def resolve(self, name: str | None) -> str | None:
        if name is None:
            return None
        actor = self._actors.get(normalize_name(name))
        if actor is not None:
            return self._entities.entity_id(actor["name"], actor.get("aliases") or [])
        return self._entities.entity_id(name)


def _score_named_items(system_items: list[dict], gold_items: list[dict], optional: Iterable[str]) -> PartScore:
    """Actors or places: sequential mapping, duplicates and unmapped items are FP."""
    entities = _Entities(gold_items, optional)
    score = PartScore()
    matched: dict[int, dict] = {}
    for item in system_items:
        name = item.get("name")
        if not name:
            continue
        kind, index = entities.map_names(name, item.get("aliases") or [])
        if kind == "optional":
            score.ignored.append(item)
        elif kind == "gold" and index not in matched:
            matched[index] = item
            score.matches.append((item, gold_items[index]))
        elif kind == "gold":
            score.false_positives.append({**item, "_reason": f"duplicate of {gold_items[index]['name']}"})
        else:
            score.false_positives.append({**item, "_reason": "no gold item"})
    score.false_negatives = [g for i, g in enumerate(gold_items) if i not in matched]
    score.tp = score.tp_system = len(matched)
    score.fp = len(score.false_positives)
    score.fn = len(score.false_negatives)
    return score


# --------------------------------------------------------------------------- roles


def _max_bipartite_matching(candidates: list[list[int]], n_right: int) -> dict[int, int]:
    """Kuhn's augmenting paths: left index -> right index, maximum cardinality."""
    right_owner: list[int | None] = [None] * n_right

    def try_assign(left: int, seen: set[int]) -> bool:
        for right in candidates[left]:
            if right in seen:
                continue
            seen.add(right)
            if right_owner[right] is None or try_assign(right_owner[right], seen):
                right_owner[right] = left
                return True
        return False

    for left in range(len(candidates)):
        try_assign(left, set())
    return {left: right for right, left in enumerate(right_owner) if left is not None}


def _score_roles(system: dict, gold: dict, sys_refs: _References, gold_refs: _References) -> PartScore:
    system_roles = system.get("roles") or []
    gold_roles = gold.get("roles") or []
    gold_keys = [(gold_refs.resolve(r.get("person")), gold_refs.resolve(r.get("of"))) for r in gold_roles]
    candidates: list[list[int]] = []
    for role in system_roles:
        key = (sys_refs.resolve(role.get("person")), sys_refs.resolve(role.get("of")))
        candidates.append(
            [
                g
                for g, gold_role in enumerate(gold_roles)
                if gold_keys[g] == key and _roles_compatible(role.get("role"), gold_role.get("role"))
            ]
        )
    pairs = _max_bipartite_matching(candidates, len(gold_roles))
    score = PartScore()
    score.matches = [(system_roles[s], gold_roles[g]) for s, g in sorted(pairs.items())]
    score.false_positives = [r for s, r in enumerate(system_roles) if s not in pairs]
    used = set(pairs.values())
    score.false_negatives = [r for g, r in enumerate(gold_roles) if g not in used]
    score.tp = score.tp_system = len(pairs)
    score.fp, score.fn = len(score.false_positives), len(score.false_negatives)
    return score


# --------------------------------------------------------------------------- statements


def _score_statements(
    system: dict, gold: dict, sys_refs: _References, gold_refs: _References, with_speaker: bool
) -> PartScore:
    system_statements = system.get("statements") or []
    gold_statements = gold.get("statements") or []
    optional_statements = gold.get("optional_statements") or []
    candidates: list[tuple[float, int, int]] = []
    for s, statement in enumerate(system_statements):
        speaker = sys_refs.resolve(statement.get("speaker")) if with_speaker else None
        for g, gold_statement in enumerate(gold_statements):
            if with_speaker and (speaker is None or speaker != gold_refs.resolve(gold_statement.get("speaker"))):
                continue
            f1 = token_f1(statement.get("quote") or "", gold_statement.get("quote") or "")
            if f1 >= QUOTE_F1_THRESHOLD:
                candidates.append((f1, s, g))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))  # best overlap first, then file order
    used_system: set[int] = set()
    used_gold: set[int] = set()
    score = PartScore()
    for _f1, s, g in candidates:
        if s in used_system or g in used_gold:
            continue
        used_system.add(s)
        used_gold.add(g)
        score.matches.append((system_statements[s], gold_statements[g]))
    for s, statement in enumerate(system_statements):
        if s in used_system:
            continue
        quote = statement.get("quote") or ""
        if any(token_f1(quote, o.get("quote") or "") >= QUOTE_F1_THRESHOLD for o in optional_statements):
            score.ignored.append(statement)
        else:
            score.false_positives.append(statement)
    score.false_negatives = [st for g, st in enumerate(gold_statements) if g not in used_gold]
    score.tp = score.tp_system = len(score.matches)
    score.fp, score.fn = len(score.false_positives), len(score.false_negatives)
    return score


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class EventTriple:
    """A distinct system (source, type, target) triple, keyed by normalised system names."""

    source: str | None
    type: str
    target: str | None


def _role_stand_ins(gold: dict, gold_refs: _References) -> dict[str, set[str]]:
    """Entity id -> ids it may stand for: person <-> the state or organisation served."""
    stand_ins: dict[str, set[str]] = {}
    for role in gold.get("roles") or []:
        person, served = gold_refs.resolve(role.get("person")), gold_refs.resolve(role.get("of"))
        if person and served:
            stand_ins.setdefault(person, set()).add(served)
            stand_ins.setdefault(served, set()).add(person)
    return stand_ins


def _score_events(
    system: dict, gold: dict, sys_refs: _References, gold_refs: _References
) -> tuple[PartScore, ModalityScore]:
    stand_ins = _role_stand_ins(gold, gold_refs)

    def same_actor(system_id: str | None, gold_id: str | None) -> bool:
        if system_id is None or gold_id is None:
            return False
        return system_id == gold_id or gold_id in stand_ins.get(system_id, ())

    # distinct system triples, each with the modalities it was stated with
    triples: dict[EventTriple, dict] = {}
    for event in system.get("events") or []:
        source, target = event.get("source"), event.get("target")
        modality = event.get("modality") or "asserted"
        for event_type in _as_type_list(event.get("type")) or [""]:
            triple = EventTriple(
                normalize_name(source) if source is not None else None,
                event_type,
                normalize_name(target) if target is not None else None,
            )
            entry = triples.setdefault(
                triple,
                {"source": sys_refs.resolve(source), "target": sys_refs.resolve(target),
                 "raw_target": target, "modalities": [], "events": []},
            )
            entry["modalities"].append(modality)
            entry["events"].append(event)

    gold_events = gold.get("events") or []
    resolved_gold = [
        (
            gold_refs.resolve(e.get("source")),
            set(_as_type_list(e.get("type"))),
            e.get("target"),
            gold_refs.resolve(e.get("target")) if e.get("target") not in (None, ANY_TARGET) else None,
        )
        for e in gold_events
    ]

    def matches(entry: dict, triple: EventTriple, gold_index: int) -> bool:
        gold_source, gold_types, gold_target, gold_target_id = resolved_gold[gold_index]
        if triple.type not in gold_types or not same_actor(entry["source"], gold_source):
            return False
        if gold_target == ANY_TARGET:
            return True
        if gold_target is None:
            return entry["raw_target"] is None
        return entry["raw_target"] is not None and same_actor(entry["target"], gold_target_id)

    matched_gold: dict[int, list[EventTriple]] = {}
    score, modality = PartScore(), ModalityScore()
    for triple, entry in triples.items():
        hits = [g for g in range(len(gold_events)) if matches(entry, triple, g)]
        for g in hits:
            matched_gold.setdefault(g, []).append(triple)
        for event in entry["events"]:
            score.labels.append((event, bool(hits)))
        if hits:
            score.tp_system += 1
            score.matches.append((triple, [gold_events[g] for g in hits]))
            gold_modalities = {gold_events[g].get("modality") or "asserted" for g in hits}
            if "asserted" in entry["modalities"] and "asserted" not in gold_modalities:
                modality.factuality_errors += 1
                modality.errors.append((triple, [gold_events[g] for g in hits]))
        else:
            score.false_positives.append(triple)
    score.fp = len(score.false_positives)
    score.tp = len(matched_gold)
    score.false_negatives = [e for g, e in enumerate(gold_events) if g not in matched_gold]
    score.fn = len(score.false_negatives)

    for g, matched_triples in sorted(matched_gold.items()):
        gold_modality = gold_events[g].get("modality") or "asserted"
        system_modalities = sorted({m for t in matched_triples for m in triples[t]["modalities"]})
        modality.matched += 1
        if gold_modality in system_modalities:
            modality.correct += 1
        else:
            modality.wrong.append((gold_events[g], system_modalities))
    return score, modality


UNTYPED = "UNTYPED"


def without_event_types(facts: dict) -> dict:
    """A shallow copy of a facts dict whose events all have the placeholder type
    ``UNTYPED``; apply it to system and gold to score events on source and target only."""
    copy = dict(facts)
    copy["events"] = [{**event, "type": [UNTYPED]} for event in facts.get("events") or []]
    return copy


# --------------------------------------------------------------------------- documents and corpora


def score_document(system: dict, gold: dict) -> DocumentScore:
    """Score one system facts dict against one gold dict."""
    optional = gold.get("optional_actors") or []
    entities = _Entities(gold.get("actors") or [], optional)
    sys_refs, gold_refs = _References(system, entities), _References(gold, entities)
    events, modality = _score_events(system, gold, sys_refs, gold_refs)
    parts = {
        "actors": _score_named_items(system.get("actors") or [], gold.get("actors") or [], optional),
        "places": _score_named_items(system.get("places") or [], gold.get("places") or [], optional),
        "roles": _score_roles(system, gold, sys_refs, gold_refs),
        "statements": _score_statements(system, gold, sys_refs, gold_refs, with_speaker=True),
        "statements_quote_only": _score_statements(system, gold, sys_refs, gold_refs, with_speaker=False),
        "events": events,
    }
    return DocumentScore(document=gold.get("document") or system.get("document") or "", parts=parts, modality=modality)


def _aggregate(documents: list[DocumentScore]) -> CorpusScore:
    parts = {name: PartScore() for name in PARTS}
    modality = ModalityScore()
    for document in documents:
        for name in PARTS:
            parts[name].add_counts(document.parts[name])
        modality.add_counts(document.modality)
    return CorpusScore(documents=documents, parts=parts, modality=modality)


def subset(score: CorpusScore, keep) -> CorpusScore:
    """The micro-averaged score of the documents whose name ``keep`` accepts."""
    return _aggregate([document for document in score.documents if keep(document.document)])


def score_corpus(pairs: Iterable[tuple[dict, dict]]) -> CorpusScore:
    """Micro-averaged score over ``(system, gold)`` pairs."""
    return _aggregate([score_document(system, gold) for system, gold in pairs])


def _document_key_variants(name: str) -> list[str]:
    return [name, name[:-4]] if name.endswith(".txt") else [name, name + ".txt"]


def evaluate_directory(gold_dir: str | Path, system_facts: dict[str, dict]) -> CorpusScore:
    """Score every ``*.gold.json`` in ``gold_dir``; system facts are keyed by the document
    file name (``"000_fec8ec42891de7d7.txt"``; the name without ``.txt`` is accepted too).
    A gold document without system facts is scored against empty facts."""
    pairs: list[tuple[dict, dict]] = []
    missing: list[str] = []
    used_keys: set[str] = set()
    for gold_path in sorted(Path(gold_dir).glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = gold.get("document") or gold_path.name.removesuffix(".gold.json") + ".txt"
        gold.setdefault("document", name)
        key = next((k for k in _document_key_variants(name) if k in system_facts), None)
        if key is None:
            missing.append(name)
            pairs.append(({"document": name}, gold))
        else:
            used_keys.add(key)
            pairs.append((system_facts[key], gold))
    corpus = score_corpus(pairs)
    corpus.missing_documents = missing
    corpus.unscored_documents = sorted(set(system_facts) - used_keys)
    return corpus


# --------------------------------------------------------------------------- PLOVER sentences


@dataclass
class PloverSentence:
    id: str
    gold_type: str
    gold_sources: list[dict]
    gold_targets: list[dict]
    predicted: list[tuple[str | None, str, str | None]]  # (source, type, target) as the system named them
    type_recalled: bool
    fully_recalled: bool


@dataclass
class PloverScore:
    sentences: list[PloverSentence]
    missing: list[str] = field(default_factory=list)  # gold ids without system facts

    @property
    def n(self) -> int:
        return len(self.sentences)

    @property
    def type_recall(self) -> float:
        return _ratio(sum(s.type_recalled for s in self.sentences), self.n, 0.0)

    @property
    def full_recall(self) -> float:
        return _ratio(sum(s.fully_recalled for s in self.sentences), self.n, 0.0)

    @property
    def events_predicted(self) -> int:
        return sum(len(s.predicted) for s in self.sentences)

    @property
    def events_per_sentence(self) -> float:
        return _ratio(self.events_predicted, self.n, 0.0)

    @property
    def sentences_with_event(self) -> int:
        return sum(1 for s in self.sentences if s.predicted)

    @property
    def type_precision(self) -> float:
        """Share of distinct (sentence, predicted type) pairs equal to the sentence's gold
        type; a lower bound, since a sentence may hold events beyond its one gold event."""
        pairs = [(s.id, t) for s in self.sentences for t in {p[1] for p in s.predicted}]
        correct = sum(1 for s in self.sentences if s.gold_type in {p[1] for p in s.predicted})
        return _ratio(correct, len(pairs), 0.0)

    def per_type(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for s in self.sentences:
            row = table.setdefault(s.gold_type, {"n": 0, "type_recalled": 0, "fully_recalled": 0})
            row["n"] += 1
            row["type_recalled"] += s.type_recalled
            row["fully_recalled"] += s.fully_recalled
        return dict(sorted(table.items()))

    def confusion(self) -> dict[str, Counter]:
        """Gold type -> counts of predicted types (each distinct type once per sentence;
        ``(none)`` for sentences without any event)."""
        table: dict[str, Counter] = {}
        for s in self.sentences:
            predicted = sorted({p[1] for p in s.predicted}) or ["(none)"]
            table.setdefault(s.gold_type, Counter()).update(predicted)
        return dict(sorted(table.items()))


def _plover_actor_matches(actor: dict, gold_actor: dict) -> bool:
    code = (gold_actor.get("code") or "").upper()
    country = (actor.get("country") or "").upper()
    if code and country == code:
        return True
    gold_text = normalize_name(gold_actor.get("text") or "")
    gold_names = {gold_text, normalize_name(gold_actor.get("country_name") or "")} - {""}
    for name in [actor.get("name") or "", *(actor.get("aliases") or [])]:
        key = normalize_name(name)
        if key and (key in gold_names or _contains_words(gold_text, key)):
            return True
    return False


def _plover_side_matches(actor: dict | None, gold_side: list[dict]) -> bool:
    if not gold_side:
        return True  # no gold actor on this side: anything (or nothing) is fine
    return actor is not None and any(_plover_actor_matches(actor, g) for g in gold_side)


def score_plover(gold_jsonl_path: str | Path, system_facts_by_id: dict[str, dict]) -> PloverScore:
    """Sentence-level PLOVER evaluation (see the module docstring)."""
    sentences: list[PloverSentence] = []
    missing: list[str] = []
    with open(gold_jsonl_path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    for record in records:
        document = record["document"]
        sentence_id = document.removesuffix(".txt")
        facts = system_facts_by_id.get(sentence_id) or system_facts_by_id.get(document)
        if facts is None:
            missing.append(sentence_id)
            facts = {}
        actors = {normalize_name(a.get("name") or ""): a for a in facts.get("actors") or []}

        def actor_for(name: str | None) -> dict | None:
            if name is None:
                return None
            return actors.get(normalize_name(name)) or {"name": name}

        gold_type = record["event_type"].upper()
        predicted: list[tuple[str | None, str, str | None]] = []
        type_recalled = fully_recalled = False
        for event in facts.get("events") or []:
            for event_type in _as_type_list(event.get("type")):
                predicted.append((event.get("source"), event_type, event.get("target")))
                if event_type != gold_type:
                    continue
                type_recalled = True
                if _plover_side_matches(actor_for(event.get("source")), record.get("source") or []) and (
                    _plover_side_matches(actor_for(event.get("target")), record.get("target") or [])
                ):
                    fully_recalled = True
        sentences.append(
            PloverSentence(
                id=sentence_id,
                gold_type=gold_type,
                gold_sources=record.get("source") or [],
                gold_targets=record.get("target") or [],
                predicted=predicted,
                type_recalled=type_recalled,
                fully_recalled=fully_recalled,
            )
        )
    return PloverScore(sentences=sentences, missing=missing)


# --------------------------------------------------------------------------- reports


def _part_row(name: str, part: PartScore) -> str:
    tp = str(part.tp) if part.tp == part.tp_system else f"{part.tp_system}/{part.tp}"
    return f"{name:<22} {part.precision:6.3f} {part.recall:6.3f} {part.f1:6.3f} {tp:>7} {part.fp:>5} {part.fn:>5}"


def _format_corpus_table(score: CorpusScore | DocumentScore) -> str:
    lines = [f"{'part':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>7} {'fp':>5} {'fn':>5}"]
    lines += [_part_row(name, score.parts[name]) for name in PARTS]
    modality = score.modality
    lines.append(
        f"modality accuracy on matched events: {modality.accuracy:.3f} ({modality.correct}/{modality.matched})"
    )
    lines.append(f"factuality errors (asserted where gold is hypothetical/negated): {modality.factuality_errors}")
    events = score.parts["events"]
    if events.tp != events.tp_system:
        lines.append("events tp: distinct system triples correct / gold events matched")
    if isinstance(score, CorpusScore):
        lines.append(f"documents: {len(score.documents)}")
        if score.missing_documents:
            lines.append(f"gold documents without system facts: {len(score.missing_documents)}")
        if score.unscored_documents:
            lines.append(f"system documents without gold: {len(score.unscored_documents)}")
    return "\n".join(lines)


def _format_plover_table(score: PloverScore) -> str:
    lines = [
        f"sentences: {score.n}",
        f"type recall: {score.type_recall:.3f}",
        f"full recall (type + source + target): {score.full_recall:.3f}",
        f"type precision (distinct predicted types per sentence): {score.type_precision:.3f}",
        f"events predicted: {score.events_predicted} ({score.events_per_sentence:.2f} per sentence)",
        f"sentences with any event: {score.sentences_with_event}",
    ]
    if score.missing:
        lines.append(f"sentences without system facts: {len(score.missing)}")
    lines.append("")
    lines.append(f"{'gold type':<10} {'n':>4} {'type R':>7} {'full R':>7}  predicted types")
    confusion = score.confusion()
    for gold_type, row in score.per_type().items():
        predicted = ", ".join(f"{t}:{c}" for t, c in confusion[gold_type].most_common())
        lines.append(
            f"{gold_type:<10} {row['n']:>4} {row['type_recalled'] / row['n']:7.3f} "
            f"{row['fully_recalled'] / row['n']:7.3f}  {predicted}"
        )
    return "\n".join(lines)


def format_table(score: CorpusScore | DocumentScore | PloverScore) -> str:
    """A plain aligned text table of the scores."""
    if isinstance(score, PloverScore):
        return _format_plover_table(score)
    return _format_corpus_table(score)


def _describe(item: Any) -> str:
    if isinstance(item, EventTriple):
        return f"{item.source} {item.type} {item.target}"
    if isinstance(item, dict):
        if "quote" in item:
            return f"{item.get('speaker')}: \u201c{item.get('quote')}\u201d"
        if "role" in item:
            return f"{item.get('person')} | {item.get('role')} | {item.get('of')}"
        if "type" in item and "source" in item:
            types = item["type"] if isinstance(item["type"], list) else [item["type"]]
            return f"{item.get('source')} {'/'.join(map(str, types))} {item.get('target')} [{item.get('modality')}]"
        reason = f" ({item['_reason']})" if "_reason" in item else ""
        return f"{item.get('name')}{reason}"
    return str(item)


def format_details(score: CorpusScore | DocumentScore | PloverScore) -> str:
    """The ``--verbose`` report: per document, the false positives and negatives of each part."""
    if isinstance(score, PloverScore):
        lines = []
        for s in score.sentences:
            if s.fully_recalled:
                continue
            status = "type only" if s.type_recalled else "missed"
            sources = ", ".join(g["text"] for g in s.gold_sources) or "-"
            targets = ", ".join(g["text"] for g in s.gold_targets) or "-"
            lines.append(f"{s.id}: {status}; gold {sources} {s.gold_type} {targets}")
            for source, event_type, target in s.predicted:
                lines.append(f"    system: {source} {event_type} {target}")
        return "\n".join(lines)
    documents = score.documents if isinstance(score, CorpusScore) else [score]
    lines: list[str] = []
    for document in documents:
        lines.append(f"== {document.document}")
        for name in PARTS:
            part = document.parts[name]
            for item in part.false_positives:
                lines.append(f"  {name} FP: {_describe(item)}")
            for item in part.false_negatives:
                lines.append(f"  {name} FN: {_describe(item)}")
        for triple, gold_events in document.modality.errors:
            lines.append(f"  factuality error: {_describe(triple)} asserted; gold {_describe(gold_events[0])}")
        for gold_event, modalities in document.modality.wrong:
            lines.append(f"  modality: gold {_describe(gold_event)}, system {', '.join(modalities)}")
    return "\n".join(lines)


def _part_json(part: PartScore, details: bool) -> dict:
    data = {
        "precision": part.precision, "recall": part.recall, "f1": part.f1,
        "tp": part.tp, "tp_system": part.tp_system, "fp": part.fp, "fn": part.fn,
    }
    if details:
        data["false_positives"] = [_describe(i) for i in part.false_positives]
        data["false_negatives"] = [_describe(i) for i in part.false_negatives]
        data["ignored"] = [_describe(i) for i in part.ignored]
    return data


def _modality_json(modality: ModalityScore) -> dict:
    return {
        "accuracy": modality.accuracy, "matched": modality.matched,
        "correct": modality.correct, "factuality_errors": modality.factuality_errors,
    }


def to_json(score: CorpusScore | DocumentScore | PloverScore, details: bool = False) -> dict:
    """A JSON-serialisable summary; ``details`` adds per-document FP/FN descriptions."""
    if isinstance(score, PloverScore):
        data: dict[str, Any] = {
            "sentences": score.n, "type_recall": score.type_recall, "full_recall": score.full_recall,
            "type_precision": score.type_precision, "events_predicted": score.events_predicted,
            "events_per_sentence": score.events_per_sentence,
            "sentences_with_event": score.sentences_with_event, "missing": score.missing,
            "per_type": score.per_type(),
            "confusion": {gold: dict(counts) for gold, counts in score.confusion().items()},
        }
        if details:
            data["per_sentence"] = [
                {"id": s.id, "gold_type": s.gold_type, "type_recalled": s.type_recalled,
                 "fully_recalled": s.fully_recalled, "predicted": [list(p) for p in s.predicted]}
                for s in score.sentences
            ]
        return data
    if isinstance(score, DocumentScore):
        return {
            "document": score.document,
            "parts": {name: _part_json(score.parts[name], details) for name in PARTS},
            "modality": _modality_json(score.modality),
        }
    return {
        "documents": len(score.documents),
        "parts": {name: _part_json(score.parts[name], False) for name in PARTS},
        "modality": _modality_json(score.modality),
        "missing_documents": score.missing_documents,
        "unscored_documents": score.unscored_documents,
        "per_document": [to_json(d, details) for d in score.documents],
    }
