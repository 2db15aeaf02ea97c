"""The report's content: anchors, names and the limits that keep a province's page usable."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from govcloud.report.html import read
from govcloud.report.html.view import MAX_FINDINGS_PER_RULE, Names, anchor, compliance, glance


def test_anchors_are_readable_for_plain_ids_and_safe_for_any_other() -> None:
    assert anchor("sys", "hy-zsj-sys01") == "sys-hy-zsj-sys01"
    odd = anchor("sys", '教育 "系统" <1>')
    assert odd.startswith("sys-x")
    assert all(c.isalnum() or c == "-" for c in odd)
    assert anchor("sys", "教育") != anchor("sys", "教育2")


def test_a_rule_lists_a_bounded_number_of_findings_and_counts_the_rest(sample_out: Path) -> None:
    inputs = read(sample_out / "plan.json")
    baseline = copy.deepcopy(inputs.baseline)
    finding = next(f for f in baseline["findings"] if f["rule"] == "eol-os")
    extra = MAX_FINDINGS_PER_RULE * 2
    baseline["findings"] += [{**finding, "subject": f"s{i}"} for i in range(extra)]
    view = compliance(type(inputs)(**{**inputs.__dict__, "baseline": baseline}), "en")
    rule = next(r for r in view["rules"] if r["id"] == "eol-os")
    assert len(rule["findings"]) == MAX_FINDINGS_PER_RULE
    assert rule["failed"] == rule["more"] + MAX_FINDINGS_PER_RULE
    assert rule["failed"] > extra
    assert view["rules"][0]["id"] == "eol-os"  # the rule failing most comes first
    listed = [f for f in baseline["findings"] if f["rule"] == "eol-os"][:MAX_FINDINGS_PER_RULE]
    assert [f["subject"] for f in rule["findings"]] == [f["subject"] for f in listed]
    # waived ones past the listed: counted among the rule's findings, not its failures
    baseline["findings"] += [{**finding, "subject": f"w{i}", "waived": True} for i in range(3)]
    again = compliance(type(inputs)(**{**inputs.__dict__, "baseline": baseline}), "en")
    same = next(r for r in again["rules"] if r["id"] == "eol-os")
    assert (same["failed"], same["more"]) == (rule["failed"], rule["more"] + 3)
    assert again["states"] == view["states"]


def test_a_rules_fix_comes_from_baseline_json_in_both_languages_not_the_policy_files(
    sample_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govcloud.baseline.rules

    def unreadable(*_args: object) -> object:
        raise AssertionError("the report read the policy files")

    monkeypatch.setattr(govcloud.baseline.rules, "load_rules", unreadable)
    monkeypatch.setattr(govcloud.baseline, "load_rules", unreadable)
    inputs = read(sample_out / "plan.json")
    baseline = copy.deepcopy(inputs.baseline)
    rule = next(r for r in baseline["rules"] if r["id"] == "eol-os")
    assert set(rule["fix"]) == {"zh", "en"}
    rule["fix"] = {"zh": "换成信创系统", "en": "move to a supported OS"}
    changed = type(inputs)(**{**inputs.__dict__, "baseline": baseline})
    for lang, text in (("zh", "换成信创系统"), ("en", "move to a supported OS")):
        [view] = [r for r in compliance(changed, lang)["rules"] if r["id"] == "eol-os"]
        assert view["findings"]
        assert {f["fix"] for f in view["findings"]} == {text}


def test_names_and_glance_come_from_the_documents(sample_out: Path) -> None:
    inputs = read(sample_out / "plan.json")
    names = Names(inputs, "en")
    assert names.departments["hy-gat"] == "Provincial Public Security Department"
    assert names.member("site:hy-gat-room1") == "公安厅中心机房"  # no English name: the Chinese one
    assert names.member("system:hy-zsj-sys01") == names.systems["hy-zsj-sys01"]
    cards = glance(inputs, "zh")
    assert [c["href"] for c in cards][:2] == ["#topology", "#costs"]
    assert cards[2]["value"] == f"{inputs.analysis['totals']['candidates']} 项待整合"


def test_lines_that_share_a_name_are_told_apart_by_their_id(sample_out: Path) -> None:
    inputs = read(sample_out / "plan.json")
    lines = Names(inputs, "zh").lines
    shared = [label for label in lines.values() if label.startswith("机房至省级外网接入点专线")]
    assert len(shared) > 1
    assert len(set(shared)) == len(shared)
    assert all(label.endswith("）") for label in shared)
    assert len(set(lines.values())) == len(lines)
