"""Issue 22: plan.json and plan.md list the re-tests (测评) the plan's moves call for."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from govcloud.analysis import analyse
from govcloud.ledger import load
from govcloud.plan import Plan, build, retest
from govcloud.report import plan as report
from govcloud.samples import default_inventory

SCHEMA = json.loads((Path(report.__file__).with_name("plan.schema.json")).read_text(encoding="utf-8"))
DOCS = Path(__file__).resolve().parents[2] / "docs"

#: one system of the sample the plan moves onto the city cloud's platform in its first wave
KNOWN = {
    "system": "hd-wjj-sys06",
    "level": 2,
    "moved_in": 1,
    "slot": 1,
    "why": "platform",
    "target": "hz-cloud-city",
    "zh": "运行平台改变",
    "en": "its platform changes",
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return build(ledger, analyse(ledger))


def test_the_samples_plan_json_validates_with_its_retests(sample_out: Path) -> None:
    data = json.loads((sample_out / "plan.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert "retests" in data
    broken = data | {"retests": data["retests"] | {"systems": [KNOWN | {"why": "mood"}]}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_the_samples_plan_json_lists_exactly_what_retest_schedules(sample_out: Path, plan: Plan) -> None:
    written = json.loads((sample_out / "plan.json").read_text(encoding="utf-8"))["retests"]
    scheduled = retest.schedule(plan)
    assert retest.violations(plan, scheduled) == []
    assert len(scheduled) > retest.RetestRules().per_wave  # the sample needs more than one slot
    assert [(r["system"], r["moved_in"], r["slot"], r["why"]) for r in written["systems"]] == [
        (r.system, r.moved_in, r.slot, r.why) for r in scheduled
    ]
    assert written["per_wave"] == retest.RetestRules().per_wave
    assert written["last_wave"] == len(plan.schedule)
    assert KNOWN in written["systems"]
    assert written == report.retests_json(plan)  # deterministic


def test_the_samples_plan_md_shows_every_retest_under_its_wave(sample_out: Path, plan: Plan) -> None:
    text = (sample_out / "plan.md").read_text(encoding="utf-8")  # the sample run is in Chinese
    scheduled = retest.schedule(plan)
    assert f"## 迁移后重新测评：{len(scheduled)} 个系统，每批之后最多 6 个" in text
    section = text.split("## 迁移后重新测评", 1)[1].split("\n## ", 1)[0]
    for r in scheduled:
        assert f"`{r.system}`" in section, r.system
    first = section.split("### 第 1 批之后", 1)[1].split("###", 1)[0]
    assert "- `hd-wjj-sys06` 社区卫生服务系统：2 级，第 1 批迁移，运行平台改变" in first
    assert section.count("\n- `") == len(scheduled)


def test_plan_md_shows_the_retests_in_english_and_slots_after_the_last_wave(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = report.markdown(plan, "en")
    assert "## re-tests (测评) after the moves:" in text
    assert "- `hd-wjj-sys06` 社区卫生服务系统: level 2, moves in wave 1, its platform changes" in text
    last = len(plan.schedule)
    # the sample's 44 re-tests just fit its eight waves at 6 a wave: the last slot is the last wave
    assert max(r.slot for r in retest.schedule(plan)) == last
    assert "a slot after the last wave" not in text
    # assessors who take 5 a wave need a slot after the last wave
    real = retest.schedule
    monkeypatch.setattr(
        retest, "schedule", lambda p, rules=None: real(p, rules or retest.RetestRules(per_wave=5))
    )
    after = [r for r in retest.schedule(plan) if r.slot > last]
    assert after
    text = report.markdown(plan, "en")
    assert f"### after wave {after[0].slot} (of {last}: a slot after the last wave)" in text


def test_the_mini_ledger_lists_its_two_moves_and_none_when_nothing_needs_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import MINI

    ledger = load(MINI).ledger
    assert ledger is not None
    small = build(ledger, analyse(ledger))
    data = report.to_json(small)
    jsonschema.validate(data, SCHEMA)
    assert [(r["system"], r["level"], r["slot"], r["why"]) for r in data["retests"]["systems"]] == [
        ("gat-oa", 3, 1, "location"),
        ("wjw-portal", 2, 1, "location"),
    ]
    monkeypatch.setattr(retest, "schedule", lambda plan, rules=None: [])
    assert report.retests_json(small)["systems"] == []
    assert "re-tests (测评)" not in report.markdown(small, "en")


def test_the_writer_never_lists_a_classified_system(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    classified = next(s for s in sorted(plan.ledger.systems.values(), key=lambda s: s.id) if s.classified)
    real = retest.schedule(plan)
    leaked = dataclasses.replace(real[0], system=classified.id)
    monkeypatch.setattr(retest, "schedule", lambda plan, rules=None: [leaked, *real])
    assert [r["system"] for r in report.retests_json(plan)["systems"]] == [r.system for r in real]
    for lang in ("zh", "en"):  # the rest of plan.md names it; the pipeline's redaction replaces it there
        text = "\n".join(report.retests_markdown(plan, lang))  # type: ignore[arg-type]
        assert "hd-wjj-sys06" in text
        assert classified.id not in text
        assert classified.name not in text


def test_the_docs_say_where_the_retests_appear() -> None:
    text = (DOCS / "plan.md").read_text(encoding="utf-8")
    assert "`plan.json` (`retests`)" in text
    assert "`plan.md`" in text.split("## Re-tests (测评) after the moves", 1)[1].split("\n## ", 1)[0]
