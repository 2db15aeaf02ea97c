"""The alicloud stacks of the sample, run under Pulumi's mocks with the real SDK: every control
the estate needs is on the registered resources (property names as the provider has them)."""

from __future__ import annotations

import pytest

pytest.importorskip("pulumi_alicloud")

from govcloud.stacks import images
from govcloud.stacks.build import rooms_kept
from govcloud.stacks.common import bastion_assets
from tests.stacks.harness import SECRET_SIG, Registered
from tests.stacks.sample import ALICLOUD, of_type, plan, run, stacks, waves

F = f"{ALICLOUD}-foundation"


def _one(project: str, token: str) -> Registered:
    [found] = of_type(project, token)
    return found


def _secret(value: object) -> bool:
    return isinstance(value, dict) and SECRET_SIG in value


def _instances() -> list[Registered]:
    return [r for w in waves(ALICLOUD) for r in of_type(w, "alicloud:ecs/instance:Instance")]


def test_foundation_is_protected_and_the_waves_are_not() -> None:
    assert all(r.protect for r in run(F))
    assert not any(r.protect for w in waves(ALICLOUD) for r in run(w))


def test_kms_key_rotates_and_resists_deletion() -> None:
    key = _one(F, "alicloud:kms/key:Key").inputs
    assert key["automaticRotation"] == "Enabled"
    assert key["rotationInterval"] == "365d"
    assert key["pendingWindowInDays"] == 30
    assert key["deletionProtection"] == "Enabled"


def test_groups_per_department_and_level_deny_inner_access() -> None:
    groups = of_type(F, "alicloud:ecs/securityGroup:SecurityGroup")
    assert {g.inputs["innerAccessPolicy"] for g in groups} == {"Drop"}
    levels = {
        (g.inputs["tags"]["department"], g.inputs["tags"]["mlps-level"])
        for g in groups
        if g.name != "mgmt-sg"
    }
    ledger = plan().ledger
    placed = {
        (ledger.systems[p.system].owner, str(ledger.systems[p.system].mlps_level))
        for p in plan().placements
        if p.node == "hy-cloud-prov"
    }
    assert levels == placed
    # an instance is in the group of its own department and level
    for r in _instances():
        tags = r.inputs["tags"]
        assert r.inputs["securityGroups"] == [
            f"securityGroupIds.{tags['department']}|L{tags['mlps-level']}-id"
        ]


def test_audit_trail_writes_into_the_retained_store_of_a_unique_project() -> None:
    trail = _one(F, "alicloud:actiontrail/trail:Trail").inputs
    project = _one(F, "alicloud:log/project:Project").inputs["projectName"]
    assert project.endswith("-audit-1234567890123456")  # the account id makes it unique
    assert trail["slsProjectArn"] == f"acs:log:cn-hangzhou:1234567890123456:project/{project}"
    assert trail["slsWriteRoleArn"].startswith("acs:ram::1234567890123456:role/")
    stores = {s.inputs["logstoreName"]: s.inputs for s in of_type(F, "alicloud:log/store:Store")}
    assert stores[f"actiontrail_{trail['trailName']}"]["retentionPeriod"] >= 180


def test_bastion_is_sized_for_the_assets_and_reachable_from_operations() -> None:
    bastion = _one(F, "alicloud:bastionhost/instance:Instance").inputs
    assert bastion["licenseCode"] == f"bhah_ent_{bastion_assets(len(_instances()))}_asset"
    assert bastion_assets(len(_instances())) >= len(_instances())
    # one instance per server the plan places on the node (the sample's idle ones, issue 19, are
    # reclaimed instead), plus their standbys (issue 23: disaster recovery)
    placed = [p for p in plan().placements if p.node == "hy-cloud-prov"]
    primaries = [r for r in _instances() if r.inputs["tags"].get("recovery-role") != "standby"]
    assert len(primaries) == len(placed) > 0
    rules = [r.inputs for r in of_type(F, "alicloud:ecs/securityGroupRule:SecurityGroupRule")]
    assert {(r["securityGroupId"], r["cidrIp"], r["portRange"]) for r in rules} == {
        ("mgmt-sg-id", "10.250.0.0/24", f"{p}/{p}") for p in (443, 60022, 63389)
    }


def test_vpn_uses_sm_suites_and_secret_keys() -> None:
    assert _one(F, "alicloud:vpn/gateway:Gateway").inputs["vpnType"] == "NationalStandard"
    connections = of_type(F, "alicloud:vpn/connection:Connection")
    # one per room still in use: since issue 23 also the 灾备机房 holding recovery copies of
    # systems that stay
    assert len(connections) == len(rooms_kept(plan()))  # one per room still in use
    for c in connections:
        ike = c.inputs["ikeConfig"]
        assert _secret(ike)  # the pre-shared key makes the whole block secret in state
        assert ike["value"]["ikeEncAlg"] == "sm4"
        assert ike["value"]["ikeAuthAlg"] == "sm3"
        assert c.inputs["ipsecConfig"] == {"ipsecEncAlg": "sm4", "ipsecAuthAlg": "sm3"}
    vbr = _one(F, "alicloud:expressconnect/virtualBorderRouter:VirtualBorderRouter").inputs
    assert vbr["vlanId"] == 1024


def test_instances_are_protected_keep_data_and_boot_their_os_image() -> None:
    ledger = plan().ledger
    catalogue = images.catalogue(ledger, "hy-cloud-prov")
    windows = 0
    for r in _instances():
        i = r.inputs
        assert i["deletionProtection"] is True
        assert i["instanceType"]
        assert all(d["deleteWithInstance"] is False for d in i.get("dataDisks", []))
        server = ledger.servers[i["tags"]["source-server"]]
        family = images.os_family(server.os)
        arch = next(p.arch for p in plan().placements if p.server == server.id)
        assert i["imageId"] == catalogue.get((family, arch), f"<{family} {arch} image id>")
        if family == "windows":
            windows += 1
            assert _secret(i["password"])
            assert "keyName" not in i
        else:
            assert i["keyName"] == "govcloud-ops"
            assert "password" not in i
    assert windows >= 1


def test_internet_facing_system_is_behind_a_load_balancer_and_waf_on_its_ports_only() -> None:
    ledger = plan().ledger
    public = {s.id for s in ledger.systems.values() if s.internet_facing}
    seen = set()
    for w in waves(ALICLOUD):
        for lb in of_type(w, "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer"):
            system = lb.inputs["tags"]["system"]
            seen.add(system)
            assert lb.inputs["addressType"] == "internet"
            listeners = of_type(w, "alicloud:slb/listener:Listener")
            assert {(x.inputs["frontendPort"], x.inputs["protocol"]) for x in listeners} == {(443.0, "tcp")}
            [backends] = of_type(w, "alicloud:slb/backendServer:BackendServer")
            instances = [
                r
                for r in of_type(w, "alicloud:ecs/instance:Instance")
                if r.inputs["tags"]["system"] == system
            ]
            # a hot standby (issue 23) is a backend too, taking no traffic until failover
            weights = {
                f"{r.name}-id": 0.0 if r.inputs["tags"].get("recovery-role") == "standby" else 100.0
                for r in instances
                if r.inputs.get("status") != "Stopped"
            }
            assert {b["serverId"]: b["weight"] for b in backends.inputs["backendServers"]} == weights
            [waf] = of_type(w, "alicloud:wafv3/domain:Domain")
            assert waf.inputs["redirect"]["backends"] == [f"{lb.name}-address"]
            assert waf.inputs["listen"]["httpsPorts"] == [443.0]
            assert all(
                "internetMaxBandwidthOut" not in r.inputs
                for r in of_type(w, "alicloud:ecs/instance:Instance")
            )
    moved = {p.system for p in plan().placements if p.node == "hy-cloud-prov"}
    assert seen == public & moved
    assert seen


def test_every_value_ops_supply_is_a_listed_setting() -> None:
    for project, stack in stacks().items():
        if not project.startswith(ALICLOUD):
            continue
        readme_keys = set(stack.settings)
        if stack.kind == "foundation":
            assert {"accountId", "opsCidr", "extranetVlanId", "extranetCircuitId"} <= readme_keys
            assert {k for k, s in stack.settings.items() if s.secret} == {
                k for k in readme_keys if k.startswith("vpnPsk-")
            }


def test_rules_admit_callers_on_the_other_node_and_in_the_rooms_that_stay() -> None:
    from govcloud.stacks.build import rooms_kept
    from govcloud.stacks.layout import layouts

    p = plan()
    city = next(lay for lay in layouts(p, rooms_kept(p)) if lay.node.id == "hz-cloud-city")
    rules = [
        r.inputs
        for w in waves(ALICLOUD)
        for r in of_type(w, "alicloud:ecs/securityGroupRule:SecurityGroupRule")
    ]
    sources = {r["cidrIp"] for r in rules}
    assert sources & set(city.subnets.values())  # systems moving to the city cloud call systems here
    room_hosts = {f"{ip}/32" for s in p.ledger.servers.values() for ip in s.ips if s.site in rooms_kept(p)}
    assert sources & room_hosts  # systems staying in their rooms call systems here, from their own addresses
    assert all(r["type"] == "ingress" for r in rules)  # alicloud groups let egress out by default
