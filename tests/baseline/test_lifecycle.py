"""The MLPS lifecycle (定级, 备案, 测评, 密评): the ledger records it, rules judge it."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml

from govcloud.baseline import Result, check, load_rules
from govcloud.baseline.engine import evaluate
from govcloud.baseline.views import Subject
from govcloud.ledger import load
from govcloud.samples import default_inventory
from tests.conftest import FIXTURES

RULES = {r.id: r for r in load_rules()}
PLANTED = yaml.safe_load((FIXTURES / "sample_planted.yaml").read_text(encoding="utf-8"))


@functools.cache
def sample() -> Result:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return check(ledger, None, None, "as-is")[1]


def _failing(rule: str) -> set[str]:
    return {f.subject for f in sample().findings if f.rule == rule}


def test_unfiled_systems_fail_the_filing_rule() -> None:
    assert PLANTED["unfiled_systems"]
    assert set(PLANTED["unfiled_systems"]) == _failing("mlps-filed")


def test_overdue_level3_assessments_fail() -> None:
    assert PLANTED["overdue_assessments"]
    assert set(PLANTED["overdue_assessments"]) <= _failing("mlps-assessment-yearly")


def test_an_unrecorded_crypto_assessment_is_not_evaluated_an_old_one_fails() -> None:
    rule = RULES["crypto-assessment-yearly"]
    view = {"classified": False, "crypto_assessment_age_days": None, "crypto_assessment_result": None}
    result = evaluate([rule], [Subject("systems", "s", view, 3)], "as-is")
    assert [f.missing for f in result.unevaluated] == [
        ("crypto_assessment_age_days", "crypto_assessment_result")
    ]
    late = evaluate(
        [rule],
        [
            Subject(
                "systems",
                "s",
                {
                    "classified": False,
                    "crypto_assessment_age_days": 400,
                    "crypto_assessment_result": "conform",
                },
                3,
            )
        ],
        "as-is",
    )
    assert [f.subject for f in late.findings] == ["s"]
    level2 = evaluate([rule], [Subject("systems", "s", view, 2)], "as-is")
    assert level2.not_applicable[rule.id] == ["s"]


def test_a_failed_assessment_fails_even_when_recent() -> None:
    rule = RULES["mlps-assessment-yearly"]
    view = {"classified": False, "assessment_age_days": 30, "assessment_result": "nonconform"}
    assert [f.subject for f in evaluate([rule], [Subject("systems", "s", view, 3)], "as-is").findings] == [
        "s"
    ]


def test_the_ledger_takes_the_chinese_words(tmp_path: Path, mini: Path) -> None:
    files = sorted(mini.rglob("*.yaml"))
    target = next(p for p in files if "systems:" in p.read_text(encoding="utf-8"))
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    system = data["systems"][0]
    system.update(
        graded_on="2023-01-05",
        filing_no="99000043001-23001",
        assessed_on="2025-11-20",
        assessment_result="基本符合",
        crypto_assessed_on="2025-12-01",
        crypto_assessment_result="不符合",
    )
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = load(mini)
    assert result.ledger is not None, [p.render("en") for p in result.problems]
    loaded = result.ledger.systems[system["id"]]
    assert loaded.assessment_result == "basic"
    assert loaded.crypto_assessment_result == "nonconform"
    assert loaded.assessed_on == dt.date(2025, 11, 20)


def test_classified_systems_are_not_judged_by_the_mlps_lifecycle() -> None:
    rule = RULES["mlps-filed"]
    result = evaluate([rule], [Subject("systems", "s", {"classified": True}, 3)], "as-is")
    assert result.not_applicable[rule.id] == ["s"]
