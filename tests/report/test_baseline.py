"""baseline.json (schema 2) keeps every subject's state as runs of positions in its subjects;
the SARIF keeps one result per subject only for what needs action, and validates."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govcloud.analysis import analyse
from govcloud.baseline import STATUSES, Result, Rule, Waiver, check
from govcloud.ledger import load
from govcloud.outputs import json_text
from govcloud.plan import build
from govcloud.report import baseline as report
from govcloud.report.html.inputs import drawn
from govcloud.samples import default_inventory
from govcloud.stacks import build_stacks

_HERE = Path(__file__).resolve()
SCHEMA = json.loads(
    (_HERE.parents[2] / "govcloud" / "report" / "baseline.schema.json").read_text(encoding="utf-8")
)
SARIF_SCHEMA = json.loads(
    (_HERE.parents[1] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@functools.cache
def sample() -> tuple[list[Rule], Result]:
    """The sample's as-is and to-be baseline, one of its failures waived."""
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    plan = build(ledger, analyse(ledger))
    waiver = Waiver("eol-os", "hy-jyt-small*", "退役", "张工", dt.date(2099, 1, 1), "w[0]", "OA-1")
    return check(ledger, plan, build_stacks(plan), waivers=[waiver])


def _expected(rules: list[Rule], result: Result) -> dict[tuple[str, str], list[str]]:
    """Each rule's subjects per state, straight from the result."""
    expected = {(r.id, s): [] for r in rules for s in STATUSES}
    for rule_id, names in result.passed.items():
        expected[(rule_id, "pass")] = list(names)
    for rule_id, names in result.not_applicable.items():
        expected[(rule_id, "not-applicable")] = list(names)
    for f in (*result.findings, *result.unevaluated):
        if f.state != "waivers":
            expected[(f.rule, f.status)].append(f.subject)
    return {k: sorted(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    ("positions", "text"),
    [([], ""), ([3], "3"), ([0, 1, 2, 4, 7, 8], "0-2 4 7-8"), ([9, 2, 3, 3, 1], "1-3 9"), ([5, 7], "5 7")],
)
def test_runs_and_positions_are_each_others_inverse(positions: list[int], text: str) -> None:
    assert report.runs(positions) == text
    assert list(report.positions(text)) == sorted(set(positions))


@given(st.lists(st.integers(min_value=0, max_value=60), max_size=40), st.booleans())
def test_runs_are_the_sorted_positions_each_once_in_runs(positions: list[int], ordered: bool) -> None:
    """Sorted input (as the checker gives it) and any other give the same runs."""
    if ordered:
        positions = sorted(positions)
    expected: list[list[int]] = []
    for here in sorted(set(positions)):
        if expected and expected[-1][-1] == here - 1:
            expected[-1].append(here)
        else:
            expected.append([here])
    assert report.runs(iter(positions)) == " ".join(
        str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in expected
    )


def test_every_subjects_state_is_in_the_json_and_it_validates() -> None:
    rules, result = sample()
    document = json.loads(json_text(report.to_json(rules, result, "en")))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["schema_version"] == 2
    assert document["subjects"] == sorted(set(document["subjects"]))
    expected = _expected(rules, result)
    assert any(expected[(r.id, "waived")] for r in rules)  # every state is exercised
    assert all(any(expected[(r.id, s)] for r in rules) for s in STATUSES)
    for r in document["rules"]:
        for status in STATUSES:
            names = report.subjects_of(document, r["id"], status)
            assert names == expected[(r["id"], status)], (r["id"], status)
            assert len(names) == r["states"][status]
    # no subject listed that no rule checked
    listed = {s for (_, _), names in expected.items() for s in names}
    assert set(document["subjects"]) == listed


def test_findings_carry_their_location_not_their_rules_text() -> None:
    rules, result = sample()
    document = report.to_json(rules, result, "zh")
    by_id = {r["id"]: r for r in document["rules"]}
    open_findings = [f for f in document["findings"] if f["state"] != "waivers"]
    assert open_findings
    for f in open_findings:
        assert "title" not in f
        assert "fix" not in f
        assert f["file"]
        assert f["subject"]
        assert set(by_id[f["rule"]]["fix"]) == {"zh", "en"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_lists_only_what_needs_action_one_result_per_subject(lang: str) -> None:
    rules, result = sample()
    document = json.loads(json_text(report.sarif(rules, result, lang)))
    jsonschema.validate(document, SARIF_SCHEMA)
    results = document["runs"][0]["results"]
    counts = result.counts()
    acted = [r for r in results if r["kind"] in ("fail", "review")]
    assert len(acted) == counts["fail"] + counts["waived"] + counts["not-evaluated"]
    for r in acted:  # each with its subject, its place and its text
        (location,) = r["locations"]
        assert location["logicalLocations"][0]["fullyQualifiedName"] in r["message"]["text"]
        assert location["physicalLocation"]["artifactLocation"]["uri"]
    assert sum(1 for r in acted if r.get("suppressions")) == counts["waived"] > 0
    tallies = [r for r in results if r["kind"] in ("pass", "notApplicable")]
    assert all("locations" not in r and r["level"] == "none" for r in tallies)
    assert sum(r["properties"]["subjects"] for r in tallies if r["kind"] == "pass") == counts["pass"]
    assert (
        sum(r["properties"]["subjects"] for r in tallies if r["kind"] == "notApplicable")
        == counts["not-applicable"]
    )
    # one tally per rule and state, in the run's language
    assert len({(r["ruleId"], r["kind"]) for r in tallies}) == len(tallies)
    title = next(d for d in document["runs"][0]["tool"]["driver"]["rules"] if d["id"] == "eol-os")
    assert title["shortDescription"]["text"] == next(r for r in rules if r.id == "eol-os").text("title", lang)


def test_the_report_keeps_only_what_it_draws() -> None:
    rules, result = sample()
    left = {
        "removed": 0,
        "remaining": 0,
        "by_clause": [],
        "retained": [{"subject": "x", "kind": "k", "rules": []}],
        "retests": {"per_wave": 1, "systems": []},
    }
    document = json.loads(json_text(report.to_json(rules, result, "en", left)))
    kept = drawn("baseline", document)
    assert "subjects" not in kept
    assert all("subjects" not in r for r in kept["rules"])
    assert "retained" not in kept["residual"]
    assert kept["residual"]["by_clause"] == []
    assert kept["findings"] == document["findings"]
    assert kept["summary"] == document["summary"]
    assert "subjects" in document  # the document itself is left as it is
    assert drawn("summary", document) is document


def test_the_document_without_subjects_is_what_the_report_draws_of_the_whole() -> None:
    """``govcloud plan`` draws report.html from baseline.json made again without the subjects'
    lists (the file itself is rendered by another process): what the report keeps of either is
    the same, and each member left is written with the same bytes."""
    rules, result = sample()
    left = {
        "removed": 1,
        "remaining": 2,
        "by_clause": [],
        "retained": [{"subject": "x", "kind": "k", "rules": []}],
    }
    whole = report.to_json(rules, result, "en", left)
    lean = report.to_json(
        rules, result, "en", {k: v for k, v in left.items() if k != "retained"}, subjects=False
    )
    assert "subjects" not in lean
    assert all("subjects" not in r for r in lean["rules"])
    assert set(whole) - set(lean) == {"subjects"}
    for key in ("schema_version", "summary", "findings", "not_evaluated"):
        assert json_text(lean[key]) == json_text(whole[key])
    assert drawn("baseline", json.loads(json_text(lean))) == drawn("baseline", json.loads(json_text(whole)))


@given(st.lists(st.lists(st.sampled_from("abcdefgh")), max_size=5))
def test_the_subjects_are_every_table_s_names_once_sorted(tables: list[list[str]]) -> None:
    """Sorted tables, as the checker gives them, and others (repeats too)."""
    tables = [sorted(names) if i % 2 else names for i, names in enumerate(tables)]
    assert report._union(iter(tables)) == sorted({name for names in tables for name in names})


@given(st.lists(st.booleans(), max_size=80), st.randoms(use_true_random=False), st.booleans())
def test_a_table_walked_a_run_at_a_time_has_the_runs_of_its_positions(
    chosen: list[bool], shuffle: random.Random, ordered: bool
) -> None:
    """Every pattern of runs a table of some subjects can make (shuffled: looked up one by one)."""
    subjects = [f"s{i:03d}" for i in range(len(chosen))]
    names = [s for s, keep in zip(subjects, chosen, strict=True) if keep]
    if not ordered:
        shuffle.shuffle(names)
    position = {s: i for i, s in enumerate(subjects)}
    assert report._table_runs(names, subjects, position) == report.runs(position[s] for s in names)
