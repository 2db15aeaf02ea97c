"""Every state a rule can have on a subject, and accountable waivers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.baseline import Waiver, load_rules, load_waivers
from govcloud.baseline.conditions import holds
from govcloud.baseline.engine import STATUSES, Finding, Result, apply_waivers, evaluate
from govcloud.baseline.rules import SEVERITIES, Rule
from govcloud.baseline.views import Subject, to_be
from govcloud.plan import Plan
from govcloud.settings import ConfigError
from govcloud.stacks import Stack

RULES = {r.id: r for r in load_rules()}


def _subject(ident: str, level: int = 3, **view: object) -> Subject:
    return Subject("systems", ident, dict(view), level, "departments/部门.yaml", "systems[0]")


def _rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def test_each_state() -> None:
    rule = _rule("log-retention-6m")  # levels 2-4, require log_retention_days >= 180
    subjects = [
        _subject("ok", log_retention_days=365),
        _subject("short", log_retention_days=30),
        _subject("unknown"),
        _subject("level-1", level=1, log_retention_days=30),
    ]
    result = evaluate([rule], subjects, "as-is")
    assert result.passed[rule.id] == ["ok"]
    assert [f.subject for f in result.findings] == ["short"]
    assert [(f.subject, f.missing, f.status) for f in result.unevaluated] == [
        ("unknown", ("log_retention_days",), "not-evaluated")
    ]
    assert result.not_applicable[rule.id] == ["level-1"]
    assert result.checked[rule.id] == 3
    assert result.counts() == {"pass": 1, "fail": 1, "waived": 0, "not-evaluated": 1, "not-applicable": 1}
    assert list(result.rule_counts(rule.id)) == list(STATUSES)


def test_a_when_that_does_not_hold_is_not_applicable_and_an_unknown_one_not_evaluated() -> None:
    rule = _rule("crypto-storage")  # when data_class is important or core
    result = evaluate(
        [rule],
        [
            _subject("general", data_class="general"),
            _subject("no-class"),
            _subject("enc", data_class="core", storage_encryption="sm"),
        ],
        "as-is",
    )
    assert result.not_applicable[rule.id] == ["general"]
    assert [f.subject for f in result.unevaluated] == ["no-class"]
    assert result.unevaluated[0].missing == ("data_class",)
    assert result.passed[rule.id] == ["enc"]


def test_to_be_resources_are_complete_an_unset_property_fails() -> None:
    rule = next(r for r in RULES.values() if r.state == "to-be" and r.when is None)
    subject = Subject(rule.applies_to, "stack/res", {}, 3)
    result = evaluate([rule], [subject], "to-be")
    assert not result.unevaluated
    assert [f.subject for f in result.findings] + result.passed[rule.id] == ["stack/res"]


def _waiver(rule: str, target: str, expires: dt.date, where: str = "w.yaml waivers[0]") -> Waiver:
    return Waiver(rule, target, "迁移后整改", "张工", expires, where, "OA-2026-1")


def test_waivers_accept_failures_until_they_expire() -> None:
    rule = _rule("log-retention-6m")
    result = evaluate(
        [rule], [_subject("a", log_retention_days=1), _subject("b", log_retention_days=1)], "as-is"
    )
    today = dt.date(2026, 7, 1)
    waived = apply_waivers(
        result,
        [
            _waiver(rule.id, "a", dt.date(2026, 12, 31)),
            _waiver(rule.id, "b", dt.date(2026, 6, 30), "w.yaml waivers[1]"),
        ],
        today,
        {rule.id},
    )
    by_subject = {f.subject: f for f in waived.findings}
    assert by_subject["a"].status == "waived"
    assert by_subject["a"].waiver is not None
    assert by_subject["a"].waiver.ticket == "OA-2026-1"
    assert "张工" in by_subject["a"].waived_by
    assert "OA-2026-1" in by_subject["a"].waived_by
    assert by_subject["b"].status == "fail"  # the expired waiver waives nothing
    expired = waived.expired_waivers()
    assert [f.subject for f in expired] == [f"{rule.id} b"]
    assert expired[0].severity == "high"
    assert waived.counts()["waived"] == 1
    assert waived.counts()["fail"] == 2  # b and the expired waiver itself


@pytest.mark.parametrize("field", ["approver", "reason", "ticket", "expires"])
def test_a_waiver_without_an_accountable_field_is_refused_with_its_line(tmp_path: Path, field: str) -> None:
    values = {
        "rule": "eol-os",
        "target": "x",
        "reason": "r",
        "approver": "张工",
        "ticket": "T-1",
        "expires": "2027-01-01",
    }
    lines = ["waivers:", "  - rule: eol-os", "    target: x"]
    lines += [f"    {k}: {'' if k == field else v}" for k, v in values.items() if k not in ("rule", "target")]
    path = tmp_path / "豁免.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    message = str(caught.value)
    assert f"waivers[0].{field}" in message
    assert (
        f"豁免.yaml:{lines.index(next(x for x in lines if x.strip().startswith(field + ':'))) + 1}" in message
    )


def test_a_waiver_with_a_bad_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        "waivers:\n  - {rule: a, target: b, reason: r, approver: p, ticket: t, expires: 明年}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="expires"):
        load_waivers(path)


AS_IS_SYSTEM_RULES = [r for r in RULES.values() if r.state == "as-is" and r.applies_to == "systems"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "admin_auth": st.sampled_from(["password", "mfa", "mfa_crypto"]),
                "bastion": st.booleans(),
                "log_retention_days": st.integers(0, 400),
                "backup": st.fixed_dictionaries(
                    {}, optional={"local": st.booleans(), "offsite": st.booleans()}
                ),
                "data_class": st.sampled_from(["general", "important", "core"]),
                "ha": st.sampled_from(["none", "cold", "hot"]),
                "classified": st.booleans(),
                "moves": st.booleans(),
                "carriers": st.integers(0, 3),
                "filing_no": st.just("F-1"),
                "graded_on": st.just("2024-01-01"),
                "assessment_age_days": st.integers(0, 800),
                "assessment_result": st.sampled_from(["conform", "basic", "nonconform"]),
            },
        ),
        max_size=6,
    ),
    st.integers(1, 4),
)
def test_every_subject_has_exactly_one_state_per_rule(views: list[dict[str, object]], level: int) -> None:
    subjects = [_subject(f"s{i}", level, **view) for i, view in enumerate(views)]
    result = evaluate(AS_IS_SYSTEM_RULES, subjects, "as-is")
    for rule in AS_IS_SYSTEM_RULES:
        states = result.rule_counts(rule.id)
        assert sum(states.values()) == len(subjects), rule.id
        judged = {f.subject for f in result.findings + result.unevaluated if f.rule == rule.id}
        judged |= set(result.passed[rule.id]) | set(result.not_applicable[rule.id])
        assert judged == {s.id for s in subjects}
    for finding in result.unevaluated:
        assert finding.missing  # a not-evaluated state always names what is missing


def _to_be_planned() -> list[tuple[str, Plan, list[Stack]]]:
    """The bundled sample's plan and stacks, and a generated region's."""
    from govcloud.generate import generate
    from govcloud.pipeline import plan_ledger
    from tests.conftest import sample_planned

    sample, generated = sample_planned(), plan_ledger(generate(300, seed=5))
    return [("sample", sample.plan, sample.stacks), ("generated", generated.plan, generated.stacks)]


def _one_rule_at_a_time(rules: list[Rule], subjects: list[Subject]) -> Result:
    """The to-be result as the engine defines it, the rules asked one after the other with
    the interpreter (:func:`govcloud.baseline.conditions.holds`)."""
    result = Result([])
    for rule in (r for r in rules if r.state == "to-be"):
        passed, skipped = [], []
        for subject in (s for s in subjects if s.kind == rule.applies_to):
            at_level = 0 in rule.levels or subject.level in rule.levels
            if not at_level or (rule.when is not None and not holds(rule.when, subject.view)):
                skipped.append(subject.id)
            elif holds(rule.require, subject.view):
                passed.append(subject.id)
            else:
                result.findings.append(
                    Finding(
                        rule.id, rule.severity, "to-be", subject.id, subject.kind, subject.file, subject.path
                    )
                )
        result.checked[rule.id] = sum(1 for f in result.findings if f.rule == rule.id) + len(passed)
        result.passed[rule.id], result.not_applicable[rule.id] = sorted(passed), sorted(skipped)
    result.findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.rule, f.subject))
    return result


def test_to_be_rules_asked_of_each_subject_as_it_comes_answer_as_one_rule_at_a_time() -> None:
    rules = list(RULES.values())
    for name, plan, stacks in _to_be_planned():
        made = list(to_be(stacks, plan))
        # some subjects stripped of their props, so that rules fail on them too
        subjects = [s._replace(view={"level": s.level}) if i % 7 == 3 else s for i, s in enumerate(made)]
        result, expected = evaluate(rules, iter(subjects), "to-be"), _one_rule_at_a_time(rules, subjects)
        assert len(expected.findings) > 100, name
        assert result == expected, name
        for table in ("checked", "passed", "not_applicable"):  # in the rules' order
            assert list(getattr(result, table).items()) == list(getattr(expected, table).items()), name


def test_a_to_be_rule_that_raises_raises_as_asked_one_rule_at_a_time() -> None:
    base = next(r for r in RULES.values() if r.state == "to-be")
    first = replace(
        base, id="a-first", levels=(0,), when=None, require={"field": "n", "op": ">=", "value": 1}
    )
    second = replace(
        base, id="b-second", levels=(0,), when=None, require={"field": "n", "op": "in", "value": 5}
    )
    subjects = [
        Subject(base.applies_to, "s/early", {"n": 2}, 3),  # the second rule raises here first
        Subject(base.applies_to, "s/late", {"n": "x"}, 3),  # and the first one only here
    ]
    with pytest.raises(TypeError, match="'>=' not supported"):
        evaluate([first, second], subjects, "to-be")
    with pytest.raises(TypeError, match="not iterable"):
        evaluate([second, first], subjects, "to-be")

    # the subjects' own error comes first, as when they were all made before any rule
    def failing() -> Iterator[Subject]:
        yield subjects[1]
        raise ValueError("no more views")

    with pytest.raises(ValueError, match="no more views"):
        evaluate([first], failing(), "to-be")
