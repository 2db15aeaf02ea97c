"""Every baseline rule is valid data and carries a passing and a failing example that the
engine judges as the rule says."""

from __future__ import annotations

import pytest

from govcloud.baseline import load_packs, load_rules
from govcloud.baseline.conditions import ConditionError, check, holds

RULES = load_rules()


def test_at_least_thirty_rules_over_both_standards_and_states() -> None:
    assert len(RULES) >= 30
    assert {r.state for r in RULES} == {"as-is", "to-be"}
    assert any("22239" in r.standard for r in RULES)
    assert any("39786" in r.standard for r in RULES)
    for rule in RULES:
        for text in (rule.title["zh"], rule.title["en"], rule.fix["zh"], rule.fix["en"]):
            assert text, rule.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples(rule) -> None:  # type: ignore[no-untyped-def]
    good, bad = rule.examples["pass"], rule.examples["fail"]
    assert rule.when is None or holds(rule.when, good)
    assert holds(rule.require, good), f"{rule.id}: the passing example fails"
    assert rule.when is None or holds(rule.when, bad)
    assert not holds(rule.require, bad), f"{rule.id}: the failing example passes"


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
