"""Every emitted program of the sample plan registers, under Pulumi's mocks with the real
provider SDKs, exactly the resources the plan says — encrypted, tagged, and no wider open
than the dependencies need."""

from __future__ import annotations

import ipaddress
import json

import pytest

pytest.importorskip("pulumi_alicloud")
pytest.importorskip("pulumi_openstack")

from govcloud.plan import MOVING
from tests.stacks.harness import Registered, spec_of
from tests.stacks.sample import emitted, folders, plan, run


def _run(project: str) -> list[Registered]:
    return run(project)


@pytest.mark.parametrize("project", folders())
def test_program_registers_what_the_spec_lists(project: str) -> None:
    spec = spec_of(emitted() / project)
    resources = [r for r in _run(project) if r.type != "pulumi:pulumi:StackReference"]
    assert sorted((r.type, r.name) for r in resources) == sorted(
        (r["type"], r["name"]) for r in spec["resources"]
    )
    if spec["kind"] == "wave":
        refs = [r for r in _run(project) if r.type == "pulumi:pulumi:StackReference"]
        assert len(refs) == 1  # the foundation is read through a StackReference
    for r in resources:
        tags = r.inputs.get("tags")
        untaggable = (
            "Rule",
            "routerInterface",
            "log/store",
            "actiontrail",
            "instanceAttachment",
            "slb/listener",
            "slb/backendServer",
            "keymanager",
            "vpnaas",
            "floatingIpAssociate",
        )
        if any(word in r.type for word in untaggable):
            continue
        assert tags, f"{r.name} has no tags"
        text = " ".join(tags) if isinstance(tags, list) else " ".join(f"{k}={v}" for k, v in tags.items())
        assert "govcloud-plan=haiyue" in text


def test_instances_match_the_plan_and_disks_are_encrypted() -> None:
    p = plan()
    placed = {(pl.node, pl.server) for pl in p.placements}
    seen = set()
    for project in folders():
        if "-wave" not in project:
            continue
        for r in _run(project):
            if r.type == "alicloud:ecs/instance:Instance":
                assert r.inputs["systemDiskEncrypted"] is True
                assert r.inputs["systemDiskKmsKeyId"] == "kmsKeyId-id"
                for disk in r.inputs.get("dataDisks", []):
                    assert disk["encrypted"] is True
                    assert disk["kmsKeyId"] == "kmsKeyId-id"
                seen.add(("hy-cloud-prov", r.inputs["tags"]["source-server"]))
            elif r.type == "openstack:compute/instance:Instance":
                for device in r.inputs["blockDevices"]:
                    assert device["volumeType"] == "encrypted"
                seen.add(("hz-cloud-city", r.inputs["metadata"]["source-server"]))
    assert seen == placed
    moving = {s for s, d in p.decisions.items() if d.action in MOVING}
    assert {pl.system for pl in p.placements} <= moving


def test_no_rule_is_wider_than_the_dependencies_need() -> None:
    p = plan()
    ledger = p.ledger
    public = {s.owner for s in ledger.systems.values() if s.internet_facing}
    for project in folders():
        if "-wave" not in project:
            continue
        for r in _run(project):
            if r.type not in (
                "alicloud:ecs/securityGroupRule:SecurityGroupRule",
                "openstack:networking/secGroupRule:SecGroupRule",
            ):
                continue
            source = r.inputs.get("cidrIp") or r.inputs.get("remoteIpPrefix")
            port = int(float(str(r.inputs.get("portRange", r.inputs.get("portRangeMin"))).split("/")[0]))
            if source == "0.0.0.0/0":
                assert port in (80, 443), r.inputs
                assert any(dept in r.name for dept in (d.replace("_", "-") for d in public))
            else:
                net = ipaddress.ip_network(source)
                assert net.prefixlen >= 24, r.inputs  # a subnet, never a whole range
            if port in (22, 3389):
                assert source != "0.0.0.0/0"


def test_foundation_has_kms_audit_log_and_bastion() -> None:
    resources = _run("govcloud-haiyue-hy-cloud-prov-foundation")
    types = {r.type for r in resources}
    assert {
        "alicloud:kms/key:Key",
        "alicloud:log/store:Store",
        "alicloud:actiontrail/trail:Trail",
        "alicloud:bastionhost/instance:Instance",
        "alicloud:vpn/gateway:Gateway",
    } <= types
    stores = [r for r in resources if r.type == "alicloud:log/store:Store"]
    assert len(stores) == 2  # audit trail and VPC flow logs
    assert all(s.inputs["retentionPeriod"] >= 180 for s in stores)
    [flow] = [r for r in resources if r.type == "alicloud:vpc/flowLog:FlowLog"]
    assert flow.inputs["trafficType"] == "All"
    attached = sorted(
        r.inputs["childInstanceType"]
        for r in resources
        if r.type == "alicloud:cen/instanceAttachment:InstanceAttachment"
    )
    assert attached == ["VBR", "VPC"]  # the extranet reaches the VPC over the cloud enterprise network
    [key] = [r for r in resources if r.type == "alicloud:kms/key:Key"]
    assert key.inputs["protectionLevel"] == "HSM"  # level-3 systems move here


def test_no_secret_or_placeholder_is_written() -> None:
    """Secrets are references to secret configuration, and nothing waits for a hand edit."""
    for folder in emitted().iterdir():
        if not folder.is_dir():
            continue
        text = (folder / "resources.json").read_text(encoding="utf-8")
        assert "REPLACE" not in text, folder
        assert "<" not in text, folder
        for path in folder.glob("Pulumi.*.yaml"):
            assert "REPLACE" not in path.read_text(encoding="utf-8")

        def walk(value: object, key: str = "", name: str = folder.name) -> None:
            if isinstance(value, dict):
                if key in ("password", "admin_pass", "psk"):
                    assert set(value) == {"$secret"}, (name, key, value)
                for k, v in value.items():
                    walk(v, k)
            elif isinstance(value, list):
                for v in value:
                    walk(v, key)
            elif key in ("password", "admin_pass", "psk"):
                raise AssertionError(f"{name}: {key} written in plaintext")

        walk(json.loads(text))
