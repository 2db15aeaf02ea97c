"""The stacks of an alicloud node: a foundation and one stack per wave."""

from __future__ import annotations

from govcloud.ledger import model
from govcloud.plan import Plan
from govcloud.stacks.common import project_name, server_tags, slug, tags
from govcloud.stacks.layout import NodeLayout, Rule
from govcloud.stacks.spec import Stack, concat, config, foundation, ref

VPC = "alicloud:vpc/network:Network"
VSWITCH = "alicloud:vpc/switch:Switch"
SECURITY_GROUP = "alicloud:ecs/securityGroup:SecurityGroup"
SG_RULE = "alicloud:ecs/securityGroupRule:SecurityGroupRule"
KMS_KEY = "alicloud:kms/key:Key"
LOG_PROJECT = "alicloud:log/project:Project"
LOG_STORE = "alicloud:log/store:Store"
TRAIL = "alicloud:actiontrail/trail:Trail"
BASTION = "alicloud:bastionhost/instance:Instance"
VPN_GATEWAY = "alicloud:vpn/gateway:Gateway"
CUSTOMER_GATEWAY = "alicloud:vpn/customerGateway:CustomerGateway"
VPN_CONNECTION = "alicloud:vpn/connection:Connection"
INSTANCE = "alicloud:ecs/instance:Instance"
FLOW_LOG = "alicloud:vpc/flowLog:FlowLog"
SNAPSHOT_POLICY = "alicloud:ecs/autoSnapshotPolicy:AutoSnapshotPolicy"
CEN = "alicloud:cen/instance:Instance"
CEN_ATTACHMENT = "alicloud:cen/instanceAttachment:InstanceAttachment"
VBR = "alicloud:expressconnect/virtualBorderRouter:VirtualBorderRouter"

#: audit logs are kept at least this long (等保 2.0: ≥ 180 days)
LOG_RETENTION_DAYS = 180


def foundation_stack(plan: Plan, layout: NodeLayout, rooms_kept: dict[str, list[str]]) -> Stack:
    """Network, subnets, security groups, KMS key, audit trail and log store, bastion, and a
    VPN towards every room that stays in use."""
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, "foundation"), "prod", "alicloud", "foundation", node.id)
    stack.config = {"alicloud:region": node.region}
    base = tags(ledger, stack="foundation", node=node.id)
    stack.add("vpc", VPC, {"vpc_name": f"govcloud-{slug(node.id)}", "cidr_block": layout.vpc_cidr, "tags": base})
    mgmt_zone = layout.zones[0]
    stack.add("mgmt", VSWITCH, {"vpc_id": ref("vpc"), "cidr_block": layout.mgmt_subnet, "zone_id": mgmt_zone, "vswitch_name": "mgmt", "tags": base})
    stack.add("mgmt-sg", SECURITY_GROUP, {"vpc_id": ref("vpc"), "security_group_name": "mgmt", "tags": base})
    vswitches: dict[str, object] = {}
    groups: dict[str, object] = {}
    for dept in layout.departments:
        dept_tags = tags(ledger, stack="foundation", department=dept)
        name = f"sg-{slug(dept)}"
        stack.add(name, SECURITY_GROUP, {"vpc_id": ref("vpc"), "security_group_name": slug(dept), "tags": dept_tags})
        groups[dept] = ref(name)
        for zone in layout.zones:
            vs = f"vsw-{slug(dept)}-{slug(zone)}"
            stack.add(vs, VSWITCH, {"vpc_id": ref("vpc"), "cidr_block": layout.subnets[(dept, zone)], "zone_id": zone, "vswitch_name": vs, "tags": dept_tags})
            vswitches[f"{dept}|{zone}"] = ref(vs)
    # 等保 level 3 and above asks for keys in a hardware security module
    level = "HSM" if layout.max_level >= 3 else "SOFTWARE"
    stack.add("kms", KMS_KEY, {"description": "govcloud disk and bucket encryption", "pending_window_in_days": 7, "protection_level": level, "tags": base})
    stack.add("audit-log", LOG_PROJECT, {"project_name": f"govcloud-audit-{slug(node.id)}", "description": "audit logs", "tags": base})
    stack.add("audit-store", LOG_STORE, {"project_name": ref("audit-log", "project_name"), "logstore_name": "actiontrail", "retention_period": LOG_RETENTION_DAYS})
    stack.add("trail", TRAIL, {
        "trail_name": f"govcloud-{slug(node.id)}",
        "event_rw": "All",
        "sls_project_arn": concat("acs:log:", config("alicloud:region"), "::project/", ref("audit-log", "project_name")),
    })
    stack.add("flow-store", LOG_STORE, {"project_name": ref("audit-log", "project_name"), "logstore_name": "vpc-flow", "retention_period": LOG_RETENTION_DAYS})
    stack.add("vpc-flow", FLOW_LOG, {
        "flow_log_name": f"govcloud-{slug(node.id)}", "resource_type": "VPC", "resource_id": ref("vpc"), "traffic_type": "All",
        "project_name": ref("audit-log", "project_name"), "log_store_name": ref("flow-store", "logstore_name"), "tags": base,
    })
    stack.add("snapshots", SNAPSHOT_POLICY, {
        "auto_snapshot_policy_name": "govcloud-daily", "repeat_weekdays": ["1", "2", "3", "4", "5", "6", "7"],
        "time_points": ["2"], "retention_days": 30, "tags": base,
    })
    _extranet(stack, base)
    stack.add("bastion", BASTION, {
        "description": "govcloud operations bastion", "license_code": "bhah_ent_50_asset", "plan_code": "cloudbastion",
        "storage": "5", "bandwidth": "10", "period": 1, "vswitch_id": ref("mgmt"), "security_group_ids": [ref("mgmt-sg")], "tags": base,
    })
    if rooms_kept:
        _vpn(stack, layout, rooms_kept, base)
    stack.outputs = {
        "vpcId": ref("vpc"),
        "kmsKeyId": ref("kms"),
        "snapshotPolicyId": ref("snapshots"),
        "mgmtCidr": layout.mgmt_subnet,
        "securityGroupIds": groups,
        "vswitchIds": vswitches,
    }
    return stack


def _extranet(stack: Stack, base: dict[str, str]) -> None:
    """The e-government extranet reaches the cloud over an Express Connect circuit: a virtual
    border router on it, and a cloud enterprise network joining that router and the VPC.  The
    circuit's id and addressing are the carrier's; they are configuration ops fill in."""
    for key in ("extranetCircuitId", "extranetLocalGatewayIp", "extranetPeerGatewayIp", "extranetPeeringMask"):
        stack.config[f"{stack.project}:{key}"] = "REPLACE-WITH-THE-EXTRANET-CIRCUIT-VALUE"
    stack.config[f"{stack.project}:extranetVlanId"] = 0  # REPLACE: the circuit's VLAN id
    stack.add("extranet-vbr", VBR, {
        "physical_connection_id": config("extranetCircuitId"), "vlan_id": config("extranetVlanId", "int"),
        "local_gateway_ip": config("extranetLocalGatewayIp"), "peer_gateway_ip": config("extranetPeerGatewayIp"),
        "peering_subnet_mask": config("extranetPeeringMask"), "virtual_border_router_name": "govcloud-extranet", "tags": base,
    })
    stack.add("cen", CEN, {"cen_instance_name": "govcloud-extranet", "description": "VPC and e-government extranet", "tags": base})
    region = config("alicloud:region")
    stack.add("cen-vpc", CEN_ATTACHMENT, {"instance_id": ref("cen"), "child_instance_id": ref("vpc"), "child_instance_type": "VPC", "child_instance_region_id": region})
    stack.add("cen-vbr", CEN_ATTACHMENT, {"instance_id": ref("cen"), "child_instance_id": ref("extranet-vbr"), "child_instance_type": "VBR", "child_instance_region_id": region})


def _vpn(stack: Stack, layout: NodeLayout, rooms_kept: dict[str, list[str]], base: dict[str, str]) -> None:
    """A hybrid link to every room still in use: the rooms' VPN devices' public addresses are
    configuration ops fill in (govcloud does not know them)."""
    stack.add("vpn", VPN_GATEWAY, {"vpc_id": ref("vpc"), "bandwidth": 100, "vpn_gateway_name": "govcloud-hybrid", "payment_type": "Subscription", "period": 1, "tags": base})
    local = sorted(layout.subnets.values())
    for room, remote in sorted(rooms_kept.items()):
        cgw = f"cgw-{slug(room)}"
        stack.add(cgw, CUSTOMER_GATEWAY, {"ip_address": config(f"roomGatewayIp-{slug(room)}"), "description": f"VPN device of room {room}", "tags": base})
        stack.config[f"{stack.project}:roomGatewayIp-{slug(room)}"] = "REPLACE-WITH-THE-ROOM-VPN-PUBLIC-IP"
        stack.add(f"vpn-{slug(room)}", VPN_CONNECTION, {"vpn_gateway_id": ref("vpn"), "customer_gateway_id": ref(cgw), "local_subnets": local, "remote_subnets": remote, "tags": base})


def wave_stack(plan: Plan, layout: NodeLayout, wave: int, foundation_stack_name: str) -> Stack:
    """The instances of one wave, with encrypted disks and the security-group rules they need."""
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, f"wave{wave}"), "prod", "alicloud", "wave", node.id, wave)
    stack.config = {
        "alicloud:region": node.region,
        f"{stack.project}:foundationStack": foundation_stack_name,
        f"{stack.project}:imageId-x86_64": "REPLACE-WITH-AN-IMAGE-ID",
        f"{stack.project}:imageId-arm64": "REPLACE-WITH-AN-IMAGE-ID",
        f"{stack.project}:keyName": "REPLACE-WITH-A-KEY-PAIR-NAME",
    }
    for p in layout.placements_by_wave.get(wave, []):
        server = ledger.servers[p.server]
        system = ledger.systems[p.system]
        props: dict[str, object] = {
            "instance_name": slug(p.server),
            "host_name": slug(server.hostname)[:60],
            "instance_type": p.instance_type or "REPLACE-NO-CATALOGUE-TYPE-FITS",
            "image_id": config(f"imageId-{p.arch}"),
            "key_name": config("keyName"),
            "availability_zone": p.zone,
            "vswitch_id": foundation("vswitchIds", f"{system.owner}|{p.zone}"),
            "security_groups": [foundation("securityGroupIds", system.owner)],
            "system_disk_category": "cloud_essd",
            "system_disk_size": 40,
            "system_disk_encrypted": True,
            "system_disk_kms_key_id": foundation("kmsKeyId"),
            "system_disk_auto_snapshot_policy_id": foundation("snapshotPolicyId"),
            "tags": server_tags(ledger, p, wave),
        }
        if p.storage_gb > 0:
            props["data_disks"] = [{
                "size": max(20, int(p.storage_gb)), "category": "cloud_essd", "encrypted": True,
                "kms_key_id": foundation("kmsKeyId"), "auto_snapshot_policy_id": foundation("snapshotPolicyId"),
            }]
        stack.add(f"ecs-{slug(p.server)}", INSTANCE, props)
    for i, rule in enumerate(layout.rules_by_wave.get(wave, [])):
        stack.add(f"rule-{i:03d}-{slug(rule.department)}-{rule.port}", SG_RULE, _rule_props(rule))
    stack.outputs = {"instanceIds": {p.server: ref(f"ecs-{slug(p.server)}") for p in layout.placements_by_wave.get(wave, [])}}
    return stack


def _rule_props(rule: Rule) -> dict[str, object]:
    return {
        "security_group_id": foundation("securityGroupIds", rule.department),
        "type": "ingress",
        "ip_protocol": rule.protocol,
        "port_range": f"{rule.port}/{rule.port}",
        "cidr_ip": rule.source,
        "policy": "accept",
        "priority": 1,
        "nic_type": "intranet",
        "description": rule.why[:256],
    }


def supports(node: model.CloudNode) -> bool:
    return node.provider == "alicloud"
