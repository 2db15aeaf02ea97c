"""The bundled sample province: valid, the size the brief asks for, every planted duplication
found, nothing intended flagged, and a plan that keeps what must stay."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from govcloud.analysis import Analysis, analyse
from govcloud.generate import SAMPLE, generate, planted
from govcloud.ledger import load, model
from govcloud.plan import Plan, build, verify
from govcloud.samples import default_inventory

PLANTED = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "sample_planted.yaml").read_text(encoding="utf-8")
)


@functools.cache
def sample() -> model.Ledger:
    result = load(default_inventory())
    assert result.ledger is not None, [p.render("en") for p in result.problems[:10]]
    assert result.problems == []
    return result.ledger


@functools.cache
def analysis() -> Analysis:
    return analyse(sample())


@functools.cache
def plan() -> Plan:
    return build(sample(), analysis())


def test_the_checked_in_sample_is_what_the_generator_writes() -> None:
    assert sample() == generate(density=SAMPLE)
    assert planted(sample()) == PLANTED


def test_size_and_shape() -> None:
    led = sample()
    provincial = [d for d in led.departments.values() if d.level == "province"]
    assert len(provincial) >= 8
    assert any(d.level == "city" for d in led.departments.values())
    assert 300 <= len(led.servers) <= 600
    assert len(led.sites) >= 15
    assert len(led.lines) >= 40
    assert len(led.systems) >= 60
    assert {n.kind for n in led.networks.values()} >= {
        "private",
        "classified",
        "national_vertical",
        "extranet",
    }
    assert sum(len(s.dependencies) for s in led.systems.values()) >= 60
    assert {s.mlps_level for s in led.systems.values()} >= {2, 3, 4}
    nodes = {n.provider: n for n in led.cloud_nodes.values()}
    assert [z.id for z in nodes["alicloud"].zones] == ["cn-hangzhou-h", "cn-hangzhou-i"]
    assert nodes["openstack"].kind == "city"
    assert led.prices.example is True


def test_private_address_ranges_only() -> None:
    import ipaddress

    for network in sample().networks.values():
        for cidr in network.cidrs:
            assert ipaddress.ip_network(cidr).is_private, cidr
    for server in sample().servers.values():
        for ip in server.ips:
            assert ipaddress.ip_address(ip).is_private, ip


def _members(kind: str, status: str = "candidate") -> list[set[str]]:
    return [{m.split(":", 1)[1] for m in f.members} for f in analysis().of_kind(kind) if f.status == status]


@pytest.mark.parametrize(
    ("kind", "planted_key"),
    [
        ("same-asset", "server_in_two_ledgers"),
        ("same-asset", "server_twice_in_one_file"),
        ("same-asset", "site_recorded_twice"),
        ("room-consolidation", "duplicate_rooms"),
        ("parallel-lines", "parallel_lines"),
        ("address-conflict", "overlapping_networks"),
        ("duplicate-systems", "oa_systems"),
        ("duplicate-systems", "video_conference_systems"),
        ("duplicate-systems", "email_systems"),
        ("idle-capacity", "idle_servers"),
    ],
)
def test_every_planted_duplication_is_found(kind: str, planted_key: str) -> None:
    wanted = set(PLANTED[planted_key])
    assert any(wanted <= group for group in _members(kind)), (planted_key, _members(kind))


def test_nothing_intended_is_flagged() -> None:
    candidates = {m.split(":", 1)[1] for f in analysis().candidates() for m in f.members}
    assert not set(PLANTED["redundancy_group"]) & candidates
    assert set(PLANTED["redundancy_group"]) in _members("parallel-lines", "kept")
    for key in ("classified_networks", "national_vertical_networks", "classified_systems"):
        assert not set(PLANTED[key]) & candidates, key
    kept_networks = set().union(*_members("private-network", "kept"))
    assert kept_networks >= set(PLANTED["classified_networks"]) | set(PLANTED["national_vertical_networks"])


def test_plan_keeps_what_must_stay_and_retires_the_duplicates() -> None:
    p = plan()
    assert verify(p) == []
    decisions = p.decisions
    for system in PLANTED["classified_systems"]:
        assert decisions[system].action == "retain", system
    assert decisions["hy-rst-l4"].reasons[0].code == "level-exceeds"
    assert decisions["hy-czt-hsm"].action == "retain"
    assert decisions["hy-jyt-old-exam"].action == "retire"
    assert decisions["hz-jtj-signal"].action == "rehost"  # to the near city node
    assert decisions["hz-jtj-signal"].target == "hz-cloud-city"
    oa = PLANTED["oa_systems"]
    retired = [s for s in oa if decisions[s].action == "retire"]
    assert len(retired) == len(oa) - 1  # all but the shared platform
    actions = {d.action for d in decisions.values()}
    assert {"retire", "retain", "rehost", "replatform", "relocate"} <= actions  # not everything moves


def test_plan_costs_reconcile_with_the_ledger() -> None:
    p = plan()
    by_department = sample().totals_by_department()
    for dept, cost in p.costs.items():
        assert cost.as_is_cny == pytest.approx(by_department.get(dept, model.Totals()).yearly_cost_cny)
    assert p.total.as_is_cny == pytest.approx(sample().totals().yearly_cost_cny)
