"""The OpenStack stacks, run under Pulumi's mocks with the real SDK: explicit egress, servers
on ports with fixed addresses in their department's subnet, encrypted volumes kept, keys in
the key manager, VPNaaS with secret keys, and public systems behind Octavia and a floating IP."""

from __future__ import annotations

import functools
import ipaddress
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("pulumi_openstack")

from govcloud.analysis import analyse
from govcloud.ledger import model
from govcloud.plan import Plan, build
from govcloud.stacks import (
    build_stacks,
    images,
    write_stacks,
)
from govcloud.stacks.build import rooms_kept
from govcloud.stacks.layout import layouts
from tests.analysis.builders import dept, ledger, server, site, system
from tests.stacks.harness import SECRET_SIG, Registered, fake_outputs, run_program, spec_of
from tests.stacks.sample import OPENSTACK, of_type, plan, run, waves

F = f"{OPENSTACK}-foundation"


def _vms() -> list[Registered]:
    return [r for w in waves(OPENSTACK) for r in of_type(w, "openstack:compute/instance:Instance")]


def test_foundation_is_protected() -> None:
    assert all(r.protect for r in run(F))


def test_groups_start_empty_and_allow_the_egress_servers_need() -> None:
    groups = of_type(F, "openstack:networking/secGroup:SecGroup")
    assert all(g.inputs["deleteDefaultRules"] is True for g in groups)
    rules = [r.inputs for r in of_type(F, "openstack:networking/secGroupRule:SecGroupRule")]
    for g in groups:
        out = {
            (r["protocol"], int(r["portRangeMin"]))
            for r in rules
            if r["securityGroupId"] == f"{g.name}-id" and r["direction"] == "egress"
        }
        assert {("udp", 53), ("tcp", 53), ("udp", 123), ("tcp", 80), ("tcp", 443)} <= out, g.name
    meta = [r for r in rules if r["remoteIpPrefix"] == "169.254.169.254/32"]
    assert len(meta) == len(groups)
    # callers get egress to what they call, in the waves
    wave_rules = [
        r.inputs
        for w in waves(OPENSTACK)
        for r in of_type(w, "openstack:networking/secGroupRule:SecGroupRule")
    ]
    assert any(r["direction"] == "egress" for r in wave_rules)
    assert [r for r in rules if r["direction"] == "ingress"] == [
        next(r for r in rules if r["direction"] == "ingress" and r["remoteIpPrefix"] == "10.250.0.0/24")
    ]


def test_servers_sit_on_ports_with_fixed_addresses_in_their_department_subnet() -> None:
    [layout] = [lay for lay in layouts(plan()) if lay.node.id == "hz-cloud-city"]
    ledger = plan().ledger
    seen = set()
    for w in waves(OPENSTACK):
        ports = {p.name: p.inputs for p in of_type(w, "openstack:networking/port:Port")}
        for vm in of_type(w, "openstack:compute/instance:Instance"):
            [network] = vm.inputs["networks"]
            port = ports[network["port"].removesuffix("-id")]
            [fixed] = port["fixedIps"]
            source = ledger.servers[vm.inputs["metadata"]["source-server"]]
            owner = next(s.owner for s in ledger.systems.values() if source.id in s.servers)
            cidr = layout.subnets[(owner, vm.inputs["availabilityZone"])]
            assert fixed["subnetId"] == f"subnetIds.{owner}|{vm.inputs['availabilityZone']}-id"
            if (
                vm.inputs["metadata"].get("recovery-role") == "standby"
            ):  # issue 23: the subnet gives its address
                assert "ipAddress" not in fixed
                continue
            assert ipaddress.ip_address(fixed["ipAddress"]) in ipaddress.ip_network(cidr)
            assert fixed["ipAddress"] not in seen
            seen.add(fixed["ipAddress"])
            level = vm.inputs["metadata"]["mlps-level"]
            assert port["securityGroupIds"] == [f"securityGroupIds.{owner}|L{level}-id"]


def test_volumes_are_encrypted_kept_and_never_ephemeral() -> None:
    ledger = plan().ledger
    for vm in _vms():
        devices = vm.inputs["blockDevices"]
        # the city cloud has no image catalogue: each OS family's image is ops' configuration
        server = ledger.servers[vm.inputs["metadata"]["source-server"]]
        family = images.os_family(server.os)
        assert vm.inputs["metadata"]["os-family"] == family
        [boot] = [d for d in devices if d["bootIndex"] == 0]
        assert boot["uuid"] == f"<{family} x86_64 image id>"
        assert all(d["destinationType"] == "volume" and d["volumeType"] == "encrypted" for d in devices)
        assert all(d["deleteOnTermination"] is False for d in devices if d["bootIndex"] != 0)
        assert vm.inputs["flavorName"]
        if vm.inputs["metadata"]["os-family"] == "windows":
            assert SECRET_SIG in vm.inputs["adminPass"]
            assert "keyPair" not in vm.inputs
        else:
            assert vm.inputs["keyPair"] == "govcloud-ops"


def test_keys_in_the_key_manager_and_vpn_with_secret_keys() -> None:
    [order] = of_type(F, "openstack:keymanager/orderV1:OrderV1")
    assert order.inputs["type"] == "key"
    assert order.inputs["meta"]["bitLength"] == 256
    connections = of_type(F, "openstack:vpnaas/siteConnection:SiteConnection")
    # one per room still in use, with the 灾备机房 holding copies of systems that stay (issue 23)
    assert len(connections) == len(rooms_kept(plan()))  # one per room still in use
    assert all(SECRET_SIG in c.inputs["psk"] for c in connections)
    [ike] = of_type(F, "openstack:vpnaas/ikePolicy:IkePolicy")
    assert ike.inputs["encryptionAlgorithm"] == "aes-256"  # no SM suite in VPNaaS: a stated exception


# ---- a small OpenStack node with an internet-facing system (the sample has none there)


@functools.cache
def _public_plan() -> Plan:
    node = model.CloudNode(
        "city", "市云", "openstack", "RegionOne", (model.Zone("nova"),), 3, archs=("x86_64",)
    )
    prices = model.Prices(instance_types=(model.InstanceType("city", "m1.large", 4, 16, 300),))
    led = ledger(
        dept("a"),
        node,
        site("r", "a"),
        server("s1", "a", "r", cpu_cores=2, memory_gb=4, os="Windows Server 2016"),
        server("s2", "a", "r", cpu_cores=2, memory_gb=4, os="银河麒麟 V10"),
        system(
            "portal",
            "a",
            name="门户",
            servers=("s1", "s2"),
            internet_facing=True,
            exposed_ports=(22, 80, 443),
        ),
        prices=prices,
    )
    return build(led, analyse(led))


@functools.cache
def _public_run() -> tuple[Registered, ...]:
    stacks = build_stacks(_public_plan())
    root = Path(tempfile.mkdtemp(prefix="govcloud-os-")) / "p"
    write_stacks(stacks, root)
    [base] = [s for s in stacks if s.kind == "foundation"]
    [wave] = [s for s in stacks if s.kind == "wave"]
    outputs = fake_outputs(spec_of(root / base.project))
    return tuple(run_program(root / wave.project, outputs, wave.settings))


def test_public_system_gets_a_load_balancer_and_floating_ip_on_its_web_ports_only() -> None:
    registered = _public_run()

    def typed(token: str) -> list[Registered]:
        return [r for r in registered if r.type == token]

    [lb] = typed("openstack:loadbalancer/loadBalancer:LoadBalancer")
    assert lb.inputs["vipSubnetId"] == "subnetIds.a|nova-id"
    assert sorted(
        int(x.inputs["protocolPort"]) for x in typed("openstack:loadbalancer/listener:Listener")
    ) == [80, 443]
    ports = {p.name: p.inputs["fixedIps"][0]["ipAddress"] for p in typed("openstack:networking/port:Port")}
    members = typed("openstack:loadbalancer/member:Member")
    assert len(members) == 4  # two servers behind each of two listeners
    assert {m.inputs["address"] for m in members} == set(ports.values())
    [fip] = typed("openstack:networking/floatingIp:FloatingIp")
    assert fip.inputs["pool"] == "extranet"
    [assoc] = typed("openstack:networking/floatingIpAssociate:FloatingIpAssociate")
    assert assoc.inputs == {"floatingIp": f"{fip.name}-address", "portId": f"{lb.name}-vip-port"}
    vms = {v.inputs["metadata"]["os-family"]: v.inputs for v in typed("openstack:compute/instance:Instance")}
    assert SECRET_SIG in vms["windows"]["adminPass"]
    assert "keyPair" not in vms["windows"]
    assert vms["kylin"]["keyPair"] == "govcloud-ops"
    rules = [r.inputs for r in typed("openstack:networking/secGroupRule:SecGroupRule")]
    world = {int(r["portRangeMin"]) for r in rules if r["remoteIpPrefix"] == "0.0.0.0/0"}
    assert world == {80, 443}  # 22 is exposed today but never to the internet


def test_public_entry_rules_pass_and_fail_on_the_openstack_stacks() -> None:
    from dataclasses import replace

    from govcloud import baseline

    p = _public_plan()
    stacks = build_stacks(p)
    _, result = baseline.check(p.ledger, p, stacks, "to-be")
    assert not [f for f in result.open() if f.rule in ("os-public-entry", "os-lb-listener-public-ports")]
    assert result.checked["os-public-entry"] == 2
    [wave] = [s for s in stacks if s.kind == "wave"]
    wave.resources = [r for r in wave.resources if not r.type.endswith("loadbalancer/member:Member")]
    listener = next(r for r in wave.resources if r.type.endswith("loadbalancer/listener:Listener"))
    wave.resources = [
        replace(r, props=r.props | {"protocol_port": 22}) if r is listener else r for r in wave.resources
    ]
    _, result = baseline.check(p.ledger, p, stacks, "to-be")
    failed = {f.rule for f in result.open()}
    assert {"os-public-entry", "os-lb-listener-public-ports"} <= failed
