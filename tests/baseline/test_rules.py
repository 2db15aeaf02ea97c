"""Every baseline rule is valid data and carries a passing and a failing example that the
engine judges as the rule says.

An as-is rule's examples are ledgers: one department's file in the region of
``policies/examples/region.yaml``, loaded by the real loader and turned into subjects by the real
views (``govcloud/baseline/views.py``), with the plan's decisions when the rule reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from govcloud.baseline import load_packs, load_rules
from govcloud.baseline.conditions import ConditionError, check, holds
from govcloud.baseline.engine import Result, evaluate
from govcloud.baseline.rules import Rule, policies_dir
from govcloud.baseline.views import as_is, to_be
from govcloud.ledger import load, model
from govcloud.plan import Decision, Plan, PlanRules
from govcloud.stacks.spec import Resource, Stack

RULES = load_rules()
AS_IS = [r for r in RULES if r.state == "as-is"]
#: the department an example ledger is the file of
DEPARTMENT = {"id": "ex", "name": "示例厅", "level": "province", "region_code": "990000"}
#: the ledger a to-be example's stack is planned from unless it gives its own: one level-3
#: system (an untagged resource serves the highest level that moves)
TO_BE_LEDGER: dict[str, Any] = {"systems": [{"id": "oa", "name": "办公系统", "mlps_level": 3}]}


def test_at_least_thirty_rules_over_both_standards_and_states() -> None:
    assert len(RULES) >= 30
    assert {r.state for r in RULES} == {"as-is", "to-be"}
    assert any("22239" in r.standard for r in RULES)
    assert any("39786" in r.standard for r in RULES)
    for rule in RULES:
        for text in (rule.title["zh"], rule.title["en"], rule.fix["zh"], rule.fix["en"]):
            assert text, rule.id


def example_ledger(example: dict[str, Any], folder: Path) -> model.Ledger:
    """The example's ledger, written as department ``ex``'s file and loaded (it must be valid)."""
    (folder / "departments").mkdir(parents=True)
    region = policies_dir() / "examples" / "region.yaml"
    (folder / "region.yaml").write_text(region.read_text(encoding="utf-8"), encoding="utf-8")
    document = {"version": 1, "department": DEPARTMENT, **example["ledger"]}
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    (folder / "departments" / "ex.yaml").write_text(text, encoding="utf-8")
    loaded = load(folder)
    assert loaded.ledger is not None, [p.render("en") for p in loaded.errors]
    return loaded.ledger


def example_plan(ledger: model.Ledger, decisions: dict[str, dict[str, str]]) -> Plan:
    """A plan of the given decisions (what the views read of a plan), nothing else planned."""
    chosen = {
        system: Decision(system, d["action"], (), d.get("target"))  # type: ignore[arg-type]
        for system, d in decisions.items()
    }
    return Plan(ledger, PlanRules(), chosen, [], [], {}, [], {})


def judge_example(rule: Rule, example: dict[str, Any], folder: Path) -> tuple[str, Result]:
    """The example's subject, and the engine's result of ``rule`` on the views of its ledger."""
    ledger = example_ledger(example, folder)
    plan = example_plan(ledger, example["plan"]) if example.get("plan") else None
    subjects = [s for s in as_is(ledger, plan) if s.kind == rule.applies_to]
    named = example.get("subject")
    if named is None:
        assert len(subjects) == 1, f"{rule.id}: name the subject among {[s.id for s in subjects]}"
        named = subjects[0].id
    assert named in {s.id for s in subjects}, f"{rule.id}: no {rule.applies_to} {named}"
    return named, evaluate([rule], subjects, "as-is")


@pytest.mark.parametrize("rule", AS_IS, ids=lambda r: r.id)
def test_an_as_is_rule_passes_its_passing_ledger_and_fails_its_failing_one(
    rule: Rule, tmp_path: Path
) -> None:
    assert set(rule.examples) >= {"pass", "fail"}, rule.id
    for outcome in ("pass", "fail"):
        assert set(rule.examples[outcome]) <= {"ledger", "plan", "subject"}, (rule.id, outcome)
    subject, good = judge_example(rule, rule.examples["pass"], tmp_path / "pass")
    assert good.passed[rule.id] == [subject], f"{rule.id}: the passing ledger does not pass"
    assert not good.findings
    assert not good.unevaluated
    subject, bad = judge_example(rule, rule.examples["fail"], tmp_path / "fail")
    failed = [(f.subject, f.outcome) for f in bad.findings]
    assert (subject, "fail") in failed, f"{rule.id}: the failing ledger does not fail ({bad.passed})"


def test_an_example_ledger_must_be_valid_and_name_its_subject(tmp_path: Path) -> None:
    rule = next(r for r in AS_IS if r.id == "cidr-no-conflict")
    two = rule.examples["fail"]
    with pytest.raises(AssertionError, match="name the subject"):
        judge_example(rule, {"ledger": two["ledger"]}, tmp_path / "unnamed")
    broken = {"ledger": {"systems": [{"id": "oa", "name": "办公", "mlps_level": 9}]}}
    with pytest.raises(AssertionError):
        example_ledger(broken, tmp_path / "broken")


def example_stack(rule: Rule, example: dict[str, Any]) -> tuple[dict[str, Any], Stack]:
    """A to-be example as a ledger part and one stack: a rule read from the whole stack
    (``stack_facts``) gives the stack's resources; any other gives its one resource's props,
    as CrossGuard sends them (``tests/baseline/test_policy_pack.py``)."""
    provider = rule.applies_to.split(":")[0]
    if rule.stack_facts:
        assert set(example) <= {"stack", "resources", "ledger", "subject"}, rule.id
        kind = example.get("stack", "wave")
        resources = [
            Resource(r["name"], r["type"], r["props"], bool(r.get("protect"))) for r in example["resources"]
        ]
        ledger = example.get("ledger", TO_BE_LEDGER)
    else:
        kind, resources, ledger = "wave", [Resource("r", rule.applies_to, dict(example))], TO_BE_LEDGER
    return ledger, Stack(f"ex-{kind}", "ex", provider, kind, "cloud", resources=resources)


def judge_to_be(rule: Rule, example: dict[str, Any], folder: Path) -> tuple[str, Result]:
    """The example's subject, and the engine's result of ``rule`` on the views of its stack."""
    ledger_part, stack = example_stack(rule, example)
    ledger = example_ledger({"ledger": ledger_part}, folder)
    subjects = [s for s in to_be([stack], example_plan(ledger, {})) if s.kind == rule.applies_to]
    named = example.get("subject") if rule.stack_facts else None
    if named is None:
        assert len(subjects) == 1, f"{rule.id}: name the subject among {[s.id for s in subjects]}"
        return subjects[0].id, evaluate([rule], subjects, "to-be")
    return f"{stack.project}/{named}", evaluate([rule], subjects, "to-be")


@pytest.mark.parametrize("rule", [r for r in RULES if r.state == "to-be"], ids=lambda r: r.id)
def test_a_to_be_rule_passes_its_passing_stack_and_fails_its_failing_one(rule: Rule, tmp_path: Path) -> None:
    subject, good = judge_to_be(rule, rule.examples["pass"], tmp_path / "pass")
    assert good.passed[rule.id] == [subject], f"{rule.id}: the passing example does not pass"
    assert not good.findings
    subject, bad = judge_to_be(rule, rule.examples["fail"], tmp_path / "fail")
    assert [(f.subject, f.outcome) for f in bad.findings] == [(subject, "fail")], (
        f"{rule.id}: the failing example does not fail ({bad.passed}, {bad.not_applicable})"
    )


def test_packs_list_existing_rules() -> None:
    ids = {r.id for r in RULES}
    packs = load_packs()
    assert {"mlps-level-2", "mlps-level-3", "mlps-level-4", "commercial-crypto", "cloud-to-be"} <= set(packs)
    for name, members in packs.items():
        assert set(members) <= ids, name


@pytest.mark.parametrize(
    "bad",
    [{}, {"field": "x", "op": "~="}, {"all": []}, {"any": "x"}, {"op": "=="}, {"each": "xs"}, "text"],
)
def test_malformed_conditions_are_refused(bad: object) -> None:
    with pytest.raises(ConditionError):
        check(bad, "test")


def test_operators() -> None:
    view = {"a": 3, "b": {"c": "x"}, "xs": [{"v": 1}, {"v": 2}], "n": None}
    assert holds({"field": "a", "op": ">=", "value": 3}, view)
    assert holds({"field": "b.c", "op": "in", "value": ["x", "y"]}, view)
    assert holds({"field": "n", "op": "missing"}, view)
    assert not holds({"field": "n", "op": ">", "value": 1}, view)  # a missing number compares false
    assert holds({"each": "xs", "require": {"field": "v", "op": ">", "value": 0}}, view)
    assert holds({"some": "xs", "require": {"field": "v", "op": "==", "value": 2}}, view)
    assert holds({"not": {"field": "a", "op": "==", "value": 4}}, view)


def test_coverage_matrix_names_real_rules_and_covers_every_rule() -> None:
    from govcloud.baseline import load_coverage

    clauses = load_coverage()
    ids = {r.id for r in RULES}
    named = {rule for c in clauses for rule in c.get("automatic", [])}
    assert named <= ids
    assert ids <= named  # every rule is placed against a clause
    for clause in clauses:
        assert clause.get("automatic") or clause.get("manual"), clause["clause"]
        assert clause["title"]["zh"]
        assert clause["title"]["en"]


def test_coverage_texts_are_whole() -> None:
    """A comma in a flow mapping would split an English text into keys of its own."""
    from govcloud.baseline import load_coverage

    for clause in load_coverage():
        assert set(clause["title"]) == {"zh", "en"}, clause["clause"]
        assert set(clause.get("manual", {"zh": "", "en": ""})) == {"zh", "en"}, clause["clause"]
