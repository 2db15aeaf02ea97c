"""The stacks of an OpenStack node (a city's government cloud): a foundation and one stack
per wave.  Disks are encrypted through an encrypted volume type that the cloud's operators
define (Cinder encryption with Barbican keys); its name is configuration."""

from __future__ import annotations

from govcloud.plan import Plan
from govcloud.stacks.common import project_name, server_tags, slug, tags
from govcloud.stacks.layout import NodeLayout, Rule
from govcloud.stacks.spec import Stack, config, foundation, ref

NETWORK = "openstack:networking/network:Network"
SUBNET = "openstack:networking/subnet:Subnet"
ROUTER = "openstack:networking/router:Router"
ROUTER_INTERFACE = "openstack:networking/routerInterface:RouterInterface"
SECGROUP = "openstack:networking/secGroup:SecGroup"
SECGROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule"
INSTANCE = "openstack:compute/instance:Instance"


def _tag_list(values: dict[str, str]) -> list[str]:
    """OpenStack tags are plain strings: ``key=value``."""
    return [f"{k}={v}" for k, v in sorted(values.items())]


def foundation_stack(plan: Plan, layout: NodeLayout, rooms_kept: dict[str, list[str]]) -> Stack:
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, "foundation"), "prod", "openstack", "foundation", node.id)
    stack.config = {
        "openstack:region": node.region,
        f"{stack.project}:externalNetworkId": "REPLACE-WITH-THE-EXTRANET-NETWORK-ID",
        f"{stack.project}:bastionImage": "REPLACE-WITH-AN-IMAGE-NAME",
        f"{stack.project}:bastionFlavor": "REPLACE-WITH-A-FLAVOR",
        f"{stack.project}:keyPair": "REPLACE-WITH-A-KEY-PAIR-NAME",
    }
    base = _tag_list(tags(ledger, stack="foundation", node=node.id))
    stack.add("net", NETWORK, {"name": f"govcloud-{slug(node.id)}", "admin_state_up": True, "tags": base})
    stack.add("router", ROUTER, {"name": f"govcloud-{slug(node.id)}", "external_network_id": config("externalNetworkId"), "tags": base})
    stack.add("mgmt", SUBNET, {"name": "mgmt", "network_id": ref("net"), "cidr": layout.mgmt_subnet, "ip_version": 4, "tags": base})
    stack.add("mgmt-if", ROUTER_INTERFACE, {"router_id": ref("router"), "subnet_id": ref("mgmt")})
    stack.add("mgmt-sg", SECGROUP, {"name": "mgmt", "description": "bastion", "tags": base})
    groups: dict[str, object] = {}
    group_ids: dict[str, object] = {}
    subnets: dict[str, object] = {}
    for dept in layout.departments:
        dept_tags = _tag_list(tags(ledger, stack="foundation", department=dept))
        name = f"sg-{slug(dept)}"
        # delete_default_rules: no "allow all egress" left behind; the waves add what is needed
        stack.add(name, SECGROUP, {"name": slug(dept), "description": f"department {dept}", "delete_default_rules": True, "tags": dept_tags})
        groups[dept] = ref(name, "name")
        group_ids[dept] = ref(name)
        for zone in layout.zones:
            sn = f"subnet-{slug(dept)}-{slug(zone)}"
            stack.add(sn, SUBNET, {"name": sn, "network_id": ref("net"), "cidr": layout.subnets[(dept, zone)], "ip_version": 4, "tags": dept_tags})
            stack.add(f"{sn}-if", ROUTER_INTERFACE, {"router_id": ref("router"), "subnet_id": ref(sn)})
            subnets[f"{dept}|{zone}"] = ref(sn)
    stack.add("bastion", INSTANCE, {
        "name": "govcloud-bastion", "image_name": config("bastionImage"), "flavor_name": config("bastionFlavor"),
        "key_pair": config("keyPair"), "security_groups": [ref("mgmt-sg", "name")],
        "networks": [{"uuid": ref("net")}], "tags": base,
        "metadata": tags(ledger, department="operations", system="bastion", node=node.id),
    })
    if rooms_kept:
        stack.notes.append(
            "rooms still in use reach this cloud over the e-government extranet through the router's external network "
            f"({', '.join(sorted(rooms_kept))}); VPN-as-a-service is not created by this stack"
        )
    stack.outputs = {
        "networkId": ref("net"),
        "mgmtCidr": layout.mgmt_subnet,
        "securityGroupNames": groups,
        "securityGroupIds": group_ids,
        "subnetIds": subnets,
    }
    return stack


def wave_stack(plan: Plan, layout: NodeLayout, wave: int, foundation_stack_name: str) -> Stack:
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, f"wave{wave}"), "prod", "openstack", "wave", node.id, wave)
    stack.config = {
        "openstack:region": node.region,
        f"{stack.project}:foundationStack": foundation_stack_name,
        f"{stack.project}:image-x86_64": "REPLACE-WITH-AN-IMAGE-ID",
        f"{stack.project}:image-arm64": "REPLACE-WITH-AN-IMAGE-ID",
        f"{stack.project}:keyPair": "REPLACE-WITH-A-KEY-PAIR-NAME",
        f"{stack.project}:encryptedVolumeType": "encrypted",
    }
    for p in layout.placements_by_wave.get(wave, []):
        server = ledger.servers[p.server]
        system = ledger.systems[p.system]
        labels = server_tags(ledger, p, wave)
        devices = [{
            "source_type": "image", "uuid": config(f"image-{p.arch}"), "destination_type": "volume",
            "volume_size": 40, "volume_type": config("encryptedVolumeType"), "boot_index": 0, "delete_on_termination": True,
        }]
        if p.storage_gb > 0:
            devices.append({
                "source_type": "blank", "destination_type": "volume", "volume_size": max(20, int(p.storage_gb)),
                "volume_type": config("encryptedVolumeType"), "boot_index": -1, "delete_on_termination": False,
            })
        stack.add(f"vm-{slug(p.server)}", INSTANCE, {
            "name": slug(server.hostname)[:60],
            "flavor_name": p.instance_type or "REPLACE-NO-CATALOGUE-FLAVOR-FITS",
            "key_pair": config("keyPair"),
            "availability_zone": p.zone,
            "security_groups": [foundation("securityGroupNames", system.owner)],
            "networks": [{"uuid": foundation("networkId")}],
            "block_devices": devices,
            "metadata": labels,
            "tags": _tag_list(labels),
        })
    for i, rule in enumerate(layout.rules_by_wave.get(wave, [])):
        stack.add(f"rule-{i:03d}-{slug(rule.department)}-{rule.port}", SECGROUP_RULE, _rule_props(rule))
    stack.outputs = {"instanceIds": {p.server: ref(f"vm-{slug(p.server)}") for p in layout.placements_by_wave.get(wave, [])}}
    return stack


def _rule_props(rule: Rule) -> dict[str, object]:
    return {
        "security_group_id": foundation("securityGroupIds", rule.department),
        "direction": "ingress",
        "ethertype": "IPv4",
        "protocol": rule.protocol,
        "port_range_min": rule.port,
        "port_range_max": rule.port,
        "remote_ip_prefix": rule.source,
        "description": rule.why[:255],
    }
