"""Tests of the scorer: every dev gold file scored against itself, and small hand-built
system files, one rule each. No spaCy here, so these stay fast."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphbuild.evaluate import (
    PARTS,
    evaluate_directory,
    format_details,
    format_table,
    normalize_name,
    score_corpus,
    score_document,
    score_plover,
    to_json,
    token_f1,
    without_event_types,
)

EVAL_DIR = Path("/work/shared/eval")
DEV_GOLD_FILES = sorted((EVAL_DIR / "dev").glob("*.gold.json"))
PLOVER_GOLD = EVAL_DIR / "plover-dev" / "gold.jsonl"


def small_gold() -> dict:
    """A tiny gold file that the rule tests build systems against."""
    return {
        "document": "tiny.txt",
        "actors": [
            {"name": "Joe Biden", "type": "Person", "aliases": ["Biden", "President Joe Biden"]},
            {"name": "United States", "type": "Country", "aliases": ["US", "Washington"]},
            {"name": "Russia", "type": "Country", "aliases": ["Moscow", "the Kremlin"]},
            {"name": "Ukraine", "type": "Country", "aliases": ["Kyiv"]},
            {"name": "Jens Stoltenberg", "type": "Person", "aliases": ["Stoltenberg"]},
            {"name": "NATO", "type": "Organization", "aliases": []},
        ],
        "optional_actors": ["POLITICO", "the West"],
        "places": [{"name": "Donbas", "aliases": ["Donbass"]}],
        "roles": [
            {"person": "Joe Biden", "role": "President", "of": "United States"},
            {"person": "Jens Stoltenberg", "role": "Secretary General", "of": "NATO"},
        ],
        "statements": [
            {
                "speaker": "Jens Stoltenberg",
                "quote": "one two three four five six seven eight nine ten",
            },
            {"speaker": "Joe Biden", "quote": "They haven’t moved any of their troops"},
        ],
        "optional_statements": [{"speaker": "Joe Biden", "quote": "very high"}],
        "events": [
            {"source": "United States", "type": ["SANCTION"], "target": "Russia", "modality": "hypothetical"},
            {"source": "Joe Biden", "type": ["REJECT", "ACCUSE"], "target": "Russia", "modality": "asserted"},
            {"source": "Russia", "type": ["REJECT"], "target": "*", "modality": "asserted"},
            {"source": "NATO", "type": ["MOBILIZE"], "target": None, "modality": "asserted"},
        ],
    }


def system_with(**parts) -> dict:
    """A system facts dict holding the gold actors (so references resolve) plus ``parts``."""
    system = {"document": "tiny.txt", "actors": [dict(a) for a in small_gold()["actors"]]}
    system.update(parts)
    return system


# ----------------------------------------------------------------------------- gold vs itself


@pytest.mark.parametrize("gold_path", DEV_GOLD_FILES, ids=lambda p: p.name)
def test_each_dev_gold_file_scores_perfectly_against_itself(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    score = score_document(gold, gold)
    for name in PARTS:
        part = score.parts[name]
        assert (part.f1, part.fp, part.fn) == (1.0, 0, 0), name
    assert score.modality.accuracy == 1.0
    assert score.modality.factuality_errors == 0


def test_dev_directory_scored_against_its_own_gold_is_perfect():
    system = {}
    for path in DEV_GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        system[gold["document"]] = gold
    corpus = evaluate_directory(EVAL_DIR / "dev", system)
    assert len(corpus.documents) == len(DEV_GOLD_FILES)
    assert corpus.missing_documents == []
    assert all(corpus.parts[name].f1 == 1.0 for name in PARTS)


def test_missing_system_document_scores_as_all_false_negatives():
    corpus = evaluate_directory(EVAL_DIR / "dev", {})
    assert len(corpus.missing_documents) == len(DEV_GOLD_FILES)
    actors = corpus.parts["actors"]
    assert actors.tp == 0 and actors.fn > 0 and actors.recall == 0.0 and actors.f1 == 0.0


# ----------------------------------------------------------------------------- names


def test_normalize_name_follows_the_format():
    assert normalize_name("The  U.S.") == "us"
    assert normalize_name("  the Kremlin ") == "kremlin"
    assert normalize_name("Donetsk People’s Republic") == "donetsk people's republic"
    assert normalize_name("ＮＡＴＯ") == "nato"  # NFKC folds full-width letters
    assert normalize_name("Theodore") == "theodore"  # only the word "the" is removed


# ----------------------------------------------------------------------------- actors and places


def test_unmerged_duplicate_actor_is_a_false_positive():
    system = {"actors": [{"name": "Joe Biden"}, {"name": "Biden"}, {"name": "Vladimir Putin"}]}
    actors = score_document(system, small_gold()).parts["actors"]
    assert (actors.tp, actors.fp, actors.fn) == (1, 2, 5)
    assert [fp["name"] for fp in actors.false_positives] == ["Biden", "Vladimir Putin"]


def test_system_alias_maps_when_name_does_not():
    system = {"actors": [{"name": "POTUS", "aliases": ["President Joe Biden"]}, {"name": "RF", "aliases": ["Russian Federation"]}]}
    actors = score_document(system, small_gold()).parts["actors"]
    assert actors.tp == 1  # POTUS -> Joe Biden through its alias
    assert actors.fp == 1  # neither "RF" nor its alias is a gold name


def test_optional_actor_is_neither_rewarded_nor_penalised():
    system = {"actors": [{"name": "Politico"}, {"name": "West"}, {"name": "NATO"}]}
    actors = score_document(system, small_gold()).parts["actors"]
    assert (actors.tp, actors.fp, actors.fn) == (1, 0, 5)
    assert len(actors.ignored) == 2


def test_places_are_matched_by_alias_and_unknown_places_are_false_positives():
    system = {"places": [{"name": "Donbass region", "aliases": ["Donbass"]}, {"name": "Crimea"}]}
    places = score_document(system, small_gold()).parts["places"]
    assert (places.tp, places.fp, places.fn) == (1, 1, 0)


# ----------------------------------------------------------------------------- roles


def test_role_matches_when_one_string_contains_the_other():
    system = system_with(
        roles=[
            {"person": "Biden", "role": "US President", "of": "Washington"},  # aliases map
            {"person": "Jens Stoltenberg", "role": "secretary", "of": "NATO"},  # contained, case-insensitive
        ]
    )
    roles = score_document(system, small_gold()).parts["roles"]
    assert (roles.tp, roles.fp, roles.fn) == (2, 0, 0)


def test_role_with_wrong_organisation_or_unrelated_title_is_not_matched():
    system = system_with(
        roles=[
            {"person": "Joe Biden", "role": "President", "of": "Russia"},
            {"person": "Jens Stoltenberg", "role": "General Secretary", "of": "NATO"},
            {"person": "Joe Biden", "role": "Vice President", "of": "United States"},
        ]
    )
    roles = score_document(system, small_gold()).parts["roles"]
    # only "Vice President" contains "President" with the right country
    assert (roles.tp, roles.fp, roles.fn) == (1, 2, 1)


def test_role_containment_is_by_whole_words():
    system = system_with(roles=[{"person": "Joe Biden", "role": "Preside", "of": "United States"}])
    assert score_document(system, small_gold()).parts["roles"].tp == 0


# ----------------------------------------------------------------------------- statements


def test_token_f1_ignores_case_punctuation_and_curly_quotes():
    assert token_f1("They haven't moved ANY of their troops.", "They haven’t moved any of their troops") == 1.0
    assert token_f1("", "anything") == 0.0


def test_split_quote_matches_once_and_short_fragment_is_false_positive():
    system = system_with(
        statements=[
            {"speaker": "Stoltenberg", "quote": "one two three four five six,"},  # F1 0.75
            {"speaker": "Stoltenberg", "quote": "seven eight nine"},  # F1 0.46 < 0.5
        ]
    )
    statements = score_document(system, small_gold()).parts["statements"]
    assert (statements.tp, statements.fp, statements.fn) == (1, 1, 1)


@pytest.mark.parametrize(
    ("quote", "matched"),
    [
        ("one two three four alpha beta", True),  # 4 shared of 6 and 10 tokens: F1 exactly 0.5
        ("one two three four alpha beta gamma", False),  # F1 8/17, just under the threshold
    ],
)
def test_quote_token_f1_threshold_is_one_half_inclusive(quote, matched):
    system = system_with(statements=[{"speaker": "Jens Stoltenberg", "quote": quote}])
    statements = score_document(system, small_gold()).parts["statements"]
    assert statements.tp == int(matched)
    assert statements.fp == int(not matched)


def test_a_gold_statement_is_matched_at_most_once():
    quote = "one two three four five six seven eight nine ten"
    system = system_with(statements=[{"speaker": "Jens Stoltenberg", "quote": quote}] * 2)
    statements = score_document(system, small_gold()).parts["statements"]
    assert (statements.tp, statements.fp) == (1, 1)


def test_statements_are_paired_best_overlap_first():
    gold = small_gold()
    gold["statements"] = [
        {"speaker": "Joe Biden", "quote": "a b c d e f g h i j"},
        {"speaker": "Joe Biden", "quote": "a b c d e k l m n o"},
    ]
    system = system_with(
        statements=[
            {"speaker": "Joe Biden", "quote": "a b c d e f g h i"},  # F1 0.95 with the first, 0.53 with the second
            {"speaker": "Joe Biden", "quote": "a b c d e f g h i j z"},  # 0.95+ with the first only
        ]
    )
    statements = score_document(system, gold).parts["statements"]
    assert (statements.tp, statements.fp, statements.fn) == (2, 0, 0)


def test_wrong_speaker_fails_with_speaker_but_counts_quote_only():
    system = system_with(statements=[{"speaker": "Russia", "quote": "They haven't moved any of their troops"}])
    score = score_document(system, small_gold())
    assert (score.parts["statements"].tp, score.parts["statements"].fp) == (0, 1)
    assert (score.parts["statements_quote_only"].tp, score.parts["statements_quote_only"].fp) == (1, 0)


def test_optional_statement_is_ignored():
    system = system_with(statements=[{"speaker": "Joe Biden", "quote": "“very high”"}])
    statements = score_document(system, small_gold()).parts["statements"]
    assert (statements.tp, statements.fp, statements.fn) == (0, 0, 2)
    assert len(statements.ignored) == 1


# ----------------------------------------------------------------------------- events


def test_person_stands_for_the_state_a_gold_role_says_they_serve_and_back():
    system = system_with(
        events=[
            {"source": "Biden", "type": "SANCTION", "target": "Russia", "modality": "hypothetical"},
            {"source": "United States", "type": "ACCUSE", "target": "Russia", "modality": "asserted"},
            {"source": "Jens Stoltenberg", "type": "SANCTION", "target": "Russia", "modality": "hypothetical"},
        ]
    )
    events = score_document(system, small_gold()).parts["events"]
    # Biden stands for the United States and the United States for Biden; Stoltenberg serves NATO
    assert (events.tp, events.tp_system, events.fp) == (2, 2, 1)


def test_person_without_a_gold_role_does_not_stand_for_a_state():
    gold = small_gold()
    gold["roles"] = []
    system = system_with(events=[{"source": "Joe Biden", "type": "SANCTION", "target": "Russia"}])
    assert score_document(system, gold).parts["events"].tp == 0


def test_star_target_accepts_any_target_and_null_only_matches_null():
    system = system_with(
        events=[
            {"source": "Moscow", "type": "REJECT", "target": "Ukraine", "modality": "asserted"},
            {"source": "Russia", "type": "REJECT", "target": None, "modality": "asserted"},
            {"source": "NATO", "type": "MOBILIZE", "target": "Russia", "modality": "asserted"},
            {"source": "NATO", "type": "MOBILIZE", "target": None, "modality": "asserted"},
        ]
    )
    events = score_document(system, small_gold()).parts["events"]
    assert events.tp == 2  # Russia REJECT * and NATO MOBILIZE null
    assert events.tp_system == 3  # two triples hit the "*" event
    assert [str(t.target) for t in events.false_positives] == ["russia"]


def test_type_must_be_one_of_the_gold_types():
    system = system_with(events=[{"source": "Joe Biden", "type": "THREATEN", "target": "Russia"}])
    events = score_document(system, small_gold()).parts["events"]
    assert (events.tp, events.fp) == (0, 1)


def test_event_precision_counts_distinct_system_triples():
    gold = small_gold()
    gold["events"].append(dict(gold["events"][0]))  # the gold restates one fact twice
    repeated = {"source": "United States", "type": "SANCTION", "target": "Russia", "modality": "hypothetical"}
    system = system_with(
        events=[repeated, dict(repeated), dict(repeated), {"source": "Ukraine", "type": "AID", "target": "NATO"}]
    )
    events = score_document(system, gold).parts["events"]
    assert (events.tp_system, events.fp) == (1, 1)
    assert events.precision == 0.5
    assert (events.tp, events.fn) == (2, 3)  # both gold restatements are found by the one triple
    assert events.recall == 0.4


def test_asserted_event_where_gold_is_hypothetical_is_a_factuality_error():
    system = system_with(
        events=[
            {"source": "United States", "type": "SANCTION", "target": "Russia", "modality": "asserted"},
            {"source": "Joe Biden", "type": "REJECT", "target": "Russia", "modality": "hypothetical"},
            {"source": "Russia", "type": "REJECT", "target": "NATO", "modality": "asserted"},
        ]
    )
    score = score_document(system, small_gold())
    assert score.parts["events"].tp == 3
    assert score.modality.factuality_errors == 1  # only the asserted sanction
    assert (score.modality.correct, score.modality.matched) == (1, 3)
    assert "factuality error" in format_details(score)


def test_untyped_scoring_matches_on_source_and_target_only():
    gold = small_gold()
    system = system_with(
        events=[
            {"source": "Joe Biden", "type": None, "target": "Russia"},
            {"source": "Joe Biden", "type": "AID", "target": "Russia"},  # same pair once untyped
            {"source": "Russia", "type": None, "target": "NATO"},  # gold target "*"
        ]
    )
    typed = score_document(system, gold).parts["events"]
    assert (typed.tp, typed.tp_system, typed.fp) == (0, 0, 3)
    untyped = score_document(without_event_types(system), without_event_types(gold)).parts["events"]
    # Biden also stands for the United States, so the first pair finds the sanction event too
    assert (untyped.tp, untyped.tp_system, untyped.fp, untyped.fn) == (3, 2, 0, 1)
    assert gold["events"][0]["type"] == ["SANCTION"]  # the input is left unchanged


def test_corpus_counts_are_summed_over_documents():
    gold = small_gold()
    perfect = score_document(gold, gold)
    empty = score_document({"actors": []}, gold)
    corpus = score_corpus([(gold, gold), ({"actors": []}, gold)])
    actors = corpus.parts["actors"]
    assert actors.tp == perfect.parts["actors"].tp
    assert actors.fn == empty.parts["actors"].fn == len(gold["actors"])
    assert actors.recall == 0.5 and actors.precision == 1.0


def test_table_and_json_report_every_part():
    gold = small_gold()
    corpus = score_corpus([(system_with(), gold)])
    table = format_table(corpus)
    for name in PARTS:
        assert name in table
    assert "factuality errors" in table
    data = json.loads(json.dumps(to_json(corpus, details=True)))
    assert data["parts"]["actors"]["f1"] == 1.0
    assert data["per_document"][0]["parts"]["roles"]["false_negatives"] == [
        "Joe Biden | President | United States",
        "Jens Stoltenberg | Secretary General | NATO",
    ]


# ----------------------------------------------------------------------------- PLOVER sentences


def write_plover_gold(tmp_path: Path, records: list[dict]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


PLOVER_RECORDS = [
    {
        "document": "S-1.txt", "text": "...", "event_type": "AGREE", "mode": "",
        "source": [{"text": "Hungarian", "code": "HUN", "country_name": "Hungary"}],
        "target": [],
    },
    {
        "document": "S-2.txt", "text": "...", "event_type": "REQUEST", "mode": "",
        "source": [{"text": "British Foreign Secretary Jack Straw", "code": "GBR", "country_name": "United Kingdom"}],
        "target": [{"text": "Sudanese government", "code": "SDN", "country_name": "Sudan"}],
    },
    {
        "document": "S-3.txt", "text": "...", "event_type": "ASSAULT", "mode": "",
        "source": [{"text": "Iraqi police", "code": "IRQ", "country_name": "Iraq"}],
        "target": [{"text": "U.N. Security Council", "code": "IGO", "country_name": None}],
    },
]


def test_plover_full_recall_needs_country_or_name_match_type_recall_only_type(tmp_path):
    gold_path = write_plover_gold(tmp_path, PLOVER_RECORDS)
    system = {
        # country code matches, and an empty gold target accepts any target
        "S-1": {"actors": [{"name": "Hungarian officials", "country": "HUN"}],
                "events": [{"source": "Hungarian officials", "type": "AGREE", "target": None}]},
        # right type, but neither the source's country nor its name fits: type recall only
        "S-2": {"actors": [{"name": "Washington", "country": "USA"}, {"name": "Sudan", "country": "SDN"}],
                "events": [{"source": "Washington", "type": "REQUEST", "target": "Sudan"},
                           {"source": "Sudan", "type": "REJECT", "target": "Washington"}]},
        # names without codes: the country name, and dots normalised away
        "S-3": {"actors": [{"name": "Iraq"}, {"name": "UN Security Council"}],
                "events": [{"source": "Iraq", "type": "ASSAULT", "target": "UN Security Council"}]},
    }
    score = score_plover(gold_path, system)
    recalled = {s.id: (s.type_recalled, s.fully_recalled) for s in score.sentences}
    assert recalled == {"S-1": (True, True), "S-2": (True, False), "S-3": (True, True)}
    assert score.events_predicted == 4 and score.sentences_with_event == 3
    assert score.type_precision == 3 / 4
    assert score.confusion()["REQUEST"] == {"REQUEST": 1, "REJECT": 1}


def test_plover_person_name_inside_gold_text_matches_and_missing_sentence_counts_as_miss(tmp_path):
    gold_path = write_plover_gold(tmp_path, PLOVER_RECORDS)
    system = {"S-2.txt": {"actors": [{"name": "Jack Straw"}, {"name": "Sudan"}],
                          "events": [{"source": "Jack Straw", "type": "REQUEST", "target": "Sudan"}]}}
    score = score_plover(gold_path, system)
    assert [s.fully_recalled for s in score.sentences] == [False, True, False]
    assert score.missing == ["S-1", "S-3"]
    assert score.confusion()["AGREE"] == {"(none)": 1}
    assert "REQUEST" in format_table(score)


def test_plover_gold_turned_into_system_facts_is_fully_recalled():
    records = [json.loads(line) for line in PLOVER_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    system = {}
    for record in records:
        source = record["source"][0] if record["source"] else None
        target = record["target"][0] if record["target"] else None
        actors = [{"name": a["text"], "country": a["code"]} for a in (source, target) if a]
        system[record["document"].removesuffix(".txt")] = {
            "actors": actors,
            "events": [{"source": source and source["text"], "type": record["event_type"],
                        "target": target and target["text"]}],
        }
    score = score_plover(PLOVER_GOLD, system)
    assert score.n == len(records) == 161
    assert score.full_recall == 1.0 and score.type_recall == 1.0 and score.type_precision == 1.0
