"""Targets are part of a what-if: a scenario adds, removes or resizes cloud nodes; diff
compares rooms, lines, dates and compliance too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.ledger import load, model
from govcloud.plan.diff import compare
from govcloud.plan.scenario import apply_targets
from govcloud.samples import default_inventory
from govcloud.settings import ConfigError

CITY2 = {
    "id": "hz-cloud-city2",
    "name": "海州市政务云二期",
    "provider": "openstack",
    "region": "RegionTwo",
    "zones": ["nova"],
    "certified_mlps_level": 3,
    "kind": "city",
    "region_code": "990100",
    "capacity": {"vcpus": 8000},
    "like": "hz-cloud-city",
}


def _sample() -> model.Ledger:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return ledger


def test_add_resize_remove() -> None:
    ledger = _sample()
    changed = apply_targets(
        ledger, {"add": [CITY2], "resize": {"hy-cloud-prov": {"vcpus": 123}}, "remove": ["hz-cloud-city"]}
    )
    assert set(changed.cloud_nodes) == {"hy-cloud-prov", "hz-cloud-city2"}
    assert changed.cloud_nodes["hy-cloud-prov"].capacity.vcpus == 123
    assert (
        changed.cloud_nodes["hy-cloud-prov"].capacity.memory_gb
        == ledger.cloud_nodes["hy-cloud-prov"].capacity.memory_gb
    )
    copied = [t for t in changed.prices.instance_types if t.cloud_node == "hz-cloud-city2"]
    assert len(copied) == len([t for t in ledger.prices.instance_types if t.cloud_node == "hz-cloud-city"])
    assert not any(
        end.cloud_node == "hz-cloud-city" for ln in changed.lines.values() for end in (ln.a_end, ln.z_end)
    )


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"grow": []}, "scenario.targets.grow: unknown key"),
        ({"remove": ["nowhere"]}, "no cloud node 'nowhere'"),
        ({"resize": {"hy-cloud-prov": {"vcpus": -1}}}, "resize.hy-cloud-prov.vcpus"),
        ({"add": [{**CITY2, "id": "hy-cloud-prov"}]}, "already a cloud node"),
        ({"add": [{**CITY2, "certified_mlps_level": 9}]}, "certified_mlps_level"),
        ({"add": [{**CITY2, "like": "x"}]}, "no cloud node 'x' to copy prices from"),
        ({"add": [{k: v for k, v in CITY2.items() if k != "zones"}]}, "zones is required"),
        ({"remove": ["hy-cloud-prov", "hz-cloud-city"]}, "no cloud node left"),
    ],
)
def test_bad_targets_are_named(targets: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        apply_targets(_sample(), targets, "情景.yaml")


def test_a_second_city_node_changes_the_plan_and_gets_its_stacks(tmp_path: Path) -> None:
    scenario = tmp_path / "二期.yaml"
    scenario.write_text(
        json.dumps({"scenario": {"targets": {"add": [CITY2]}}}, ensure_ascii=False), encoding="utf-8"
    )
    base, what_if = tmp_path / "基线", tmp_path / "二期"
    runner = CliRunner()
    assert runner.invoke(cli, ["plan", "--out", str(base), "--lang", "en"]).exit_code == 0
    result = runner.invoke(cli, ["plan", "--scenario", str(scenario), "--out", str(what_if), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert any(
        p.name.startswith("govcloud-haiyue-hz-cloud-city2-wave")
        for p in (what_if / "stacks" / "haiyue").iterdir()
    )
    plan = json.loads((what_if / "plan.json").read_text(encoding="utf-8"))
    assert plan["verified"]
    assert any(d["target"] == "hz-cloud-city2" for d in plan["decisions"])
    result = runner.invoke(cli, ["diff", str(base / "plan.json"), str(what_if / "plan.json"), "--lang", "en"])
    assert result.exit_code == 0
    assert "hz-cloud-city2" in result.output


def test_diff_compares_rooms_lines_dates_and_compliance() -> None:
    def plan(rooms: list[str], lines: list[str], end: str, verified: bool) -> dict[str, object]:
        return {
            "decisions": [],
            "costs": {
                "total": dict.fromkeys(("as_is_cny", "to_be_cny", "yearly_saving_cny", "one_off_cny"), 1)
            },
            "waves": [
                {
                    "number": 1,
                    "start": "2026-07-01",
                    "end": end,
                    "closed_rooms": rooms,
                    "cancelled_lines": lines,
                }
            ],
            "verified": verified,
            "violations": [] if verified else [{"code": "capacity", "subject": "n", "detail": "x"}],
        }

    changes = compare(
        plan(["机房甲"], ["l1"], "2026-09-22", True), plan([], ["l1", "l2"], "2026-10-20", False)
    )
    assert changes["rooms"] == [{"id": "机房甲", "before": 1, "after": None}]
    assert changes["lines"] == [{"id": "l2", "before": None, "after": 1}]
    assert changes["dates"] == {"end": {"before": "2026-09-22", "after": "2026-10-20"}}
    assert changes["compliance"]["verified"] == {"before": True, "after": False}
    assert changes["compliance"]["new"] == [{"code": "capacity", "subject": "n"}]
