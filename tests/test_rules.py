"""The rule registry, `graphbuild rules`, `--disable-rule` and the config file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graphbuild.extract import RuleSet, UnknownRuleError, all_rules, all_stages
from graphbuild.extract.rules import REGISTRY


def test_every_registered_rule_is_in_exactly_one_stage_under_its_own_name():
    declared = [r for stage in all_stages() for r in stage.rules]
    assert len(declared) == len(set(declared)) == len(REGISTRY)
    for stage in all_stages():
        assert stage.how in ("first", "each", "veto", "switch")
        for rule_id in stage.rules:
            assert REGISTRY[rule_id].stage == stage.name


def test_every_rule_has_a_one_line_description_that_is_a_sentence():
    for rule in all_rules():
        assert rule.description[:1].isupper() or rule.description[:1] in "\"“'", rule.id
        assert rule.description.endswith((".", '."', '".', ".”")), f"{rule.id}: {rule.description!r}"


def test_an_unknown_rule_id_is_an_error_naming_it():
    with pytest.raises(UnknownRuleError, match="no.such.rule"):
        RuleSet(["no.such.rule"])


def test_a_rule_set_crosses_process_boundaries_as_its_disabled_ids():
    import pickle

    rules = RuleSet(["event.target.place_state"])
    assert pickle.loads(pickle.dumps(rules)) == rules


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "graphbuild.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_graphbuild_rules_lists_every_rule_one_per_line_starting_with_its_id():
    result = run_cli("rules")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [r.id for r in all_rules()]
    assert len(lines) >= 25
    for line, rule in zip(lines, all_rules()):
        assert line.split()[1] == rule.stage and rule.description in line and "precision" in line


def test_graphbuild_rules_can_list_one_stage():
    result = run_cli("rules", "--stage", "event.target")
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert ids and all(i.startswith("event.target.") for i in ids)
    assert run_cli("rules", "--stage", "no.such").returncode == 2


ARTICLE = "Chile accused Peru of violating the treaty. Peru rejected the accusation on Monday.\n"


def events_in(output_dir):
    facts = [json.loads(line) for line in (output_dir / "facts.jsonl").read_text().splitlines()]
    return {(e["source"], e["type"], e["target"]) for f in facts for e in f["events"]}


def test_build_without_a_rule_leaves_out_what_it_made_and_rebuilds(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", str(tmp_path / "a.txt"), "-o", str(out), "--no-view", "--min-confidence", "0").returncode == 0
    assert ("Chile", "ACCUSE", "Peru") in events_in(out)
    result = run_cli("build", str(tmp_path / "a.txt"), "-o", str(out), "--no-view", "--min-confidence", "0",
                     "--disable-rule", "event.trigger.word")
    assert result.returncode == 0, result.stderr
    assert "built 1, unchanged 0" in result.stdout  # another rule set is another extractor
    assert ("Chile", "ACCUSE", "Peru") not in events_in(out)


def test_build_with_an_unknown_rule_fails_in_one_line_before_writing(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run_cli("build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--disable-rule", "nope")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["graphbuild: error: unknown rule 'nope' (`graphbuild rules` lists the rule ids)"]
    assert not (tmp_path / "out" / "facts.jsonl").exists()


def test_the_config_file_disables_rules_and_sets_the_threshold(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "graphbuild.toml").write_text(
        '[build]\ndisable_rules = ["event.trigger.word"]\nmin_confidence = 0\n', encoding="utf-8")
    result = run_cli("build", "a.txt", "-o", "out", "--no-view", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("Chile", "ACCUSE", "Peru") not in events_in(tmp_path / "out")


@pytest.mark.parametrize("content, problem", [
    ('[build]\ndisable_rule = ["x"]\n', "unknown setting 'disable_rule'"),
    ("[build]\nmin_confidence = 2\n", "between 0 and 1"),
    ("[build\n", "not valid TOML"),
    ('[build]\ndisable_rules = ["no.such.rule"]\n', "unknown rule 'no.such.rule'"),
])
def test_a_bad_config_file_is_a_one_line_error(tmp_path, content, problem):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "settings.toml").write_text(content, encoding="utf-8")
    result = run_cli("build", "a.txt", "-o", "out", "--config", "settings.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert problem in result.stderr and len(result.stderr.strip().splitlines()) == 1
