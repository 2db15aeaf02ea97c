"""The stacks of an alicloud node: a foundation and one stack per wave."""

from __future__ import annotations

from dataclasses import replace

from govcloud.ledger import model
from govcloud.plan import Plan
from govcloud.plan.placement import Placement
from govcloud.stacks import images
from govcloud.stacks.common import (
    BASTION_PORTS,
    bastion_assets,
    bounded,
    group_key,
    group_name,
    plan_id,
    project_name,
    server_tags,
    slug,
    tags,
    typed,
    untyped_note,
)
from govcloud.stacks.layout import NodeLayout, Rule, public_ports
from govcloud.stacks.spec import Stack, concat, config, foundation, ref, secret

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

EIP = "alicloud:ecs/eipAddress:EipAddress"
SLB = "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer"
SLB_LISTENER = "alicloud:slb/listener:Listener"
SLB_BACKENDS = "alicloud:slb/backendServer:BackendServer"
WAF_DOMAIN = "alicloud:wafv3/domain:Domain"

#: audit logs are kept at least this long (等保 2.0: ≥ 180 days)
LOG_RETENTION_DAYS = 180
#: days a KMS key waits before deletion once scheduled (the longest the service allows)
KEY_DELETION_WINDOW_DAYS = 30
#: how often the KMS key rotates
KEY_ROTATION_INTERVAL = "365d"


def foundation_stack(plan: Plan, layout: NodeLayout, rooms_kept: dict[str, list[str]]) -> Stack:
    """Network, subnets, a security group per department and MLPS level, KMS key, audit trail
    into its retained log store, bastion reachable from the operations network, and an SM (国密)
    VPN towards every room that stays in use.  Every resource is ``protect``ed."""
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, "foundation"), "prod", "alicloud", "foundation", node.id)
    stack.config = {"alicloud:region": node.region}
    stack.needs(
        "accountId",
        "1234567890123456",
        "the Alibaba Cloud account id (UID): the audit trail's log project address and its globally unique name",
    )
    stack.needs("opsCidr", "10.250.0.0/24", "the operations network administrators reach the bastion from")
    base = tags(ledger, stack="foundation", node=node.id)
    stack.add(
        "vpc", VPC, {"vpc_name": f"govcloud-{slug(node.id)}", "cidr_block": layout.vpc_cidr, "tags": base}
    )
    mgmt_zone = layout.zones[0]
    stack.add(
        "mgmt",
        VSWITCH,
        {
            "vpc_id": ref("vpc"),
            "cidr_block": layout.mgmt_subnet,
            "zone_id": mgmt_zone,
            "vswitch_name": "mgmt",
            "tags": base,
        },
    )
    stack.add(
        "mgmt-sg",
        SECURITY_GROUP,
        {"vpc_id": ref("vpc"), "security_group_name": "mgmt", "inner_access_policy": "Drop", "tags": base},
    )
    for port in BASTION_PORTS:
        stack.add(
            f"mgmt-in-{port}",
            SG_RULE,
            {
                "security_group_id": ref("mgmt-sg"),
                "type": "ingress",
                "ip_protocol": "tcp",
                "port_range": f"{port}/{port}",
                "cidr_ip": config("opsCidr"),
                "policy": "accept",
                "priority": 1,
                "nic_type": "intranet",
                "description": "administrators from the operations network to the bastion",
            },
        )
    vswitches: dict[str, object] = {}
    groups: dict[str, object] = {}
    for dept, level in layout.groups:
        name = group_name(dept, level)
        group_tags = tags(ledger, stack="foundation", department=dept, mlps_level=level)
        stack.add(
            name,
            SECURITY_GROUP,
            {
                "vpc_id": ref("vpc"),
                "security_group_name": bounded(f"{slug(dept)}-l{level}", 64),
                "description": f"department {dept}, MLPS level {level}",
                "inner_access_policy": "Drop",
                "tags": group_tags,
            },
        )
        groups[group_key(dept, level)] = ref(name)
    for dept in layout.departments:
        dept_tags = tags(ledger, stack="foundation", department=dept)
        for zone in layout.zones:
            vs = f"vsw-{slug(dept)}-{slug(zone)}"
            stack.add(
                vs,
                VSWITCH,
                {
                    "vpc_id": ref("vpc"),
                    "cidr_block": layout.subnets[(dept, zone)],
                    "zone_id": zone,
                    "vswitch_name": vs,
                    "tags": dept_tags,
                },
            )
            vswitches[f"{dept}|{zone}"] = ref(vs)
    # 等保 level 3 and above asks for keys in a hardware security module
    protection = "HSM" if layout.max_level >= 3 else "SOFTWARE"
    stack.add(
        "kms",
        KMS_KEY,
        {
            "description": "govcloud disk and bucket encryption",
            "pending_window_in_days": KEY_DELETION_WINDOW_DAYS,
            "automatic_rotation": "Enabled",
            "rotation_interval": KEY_ROTATION_INTERVAL,
            "deletion_protection": "Enabled",
            "deletion_protection_description": "encrypts every disk of the plan",
            "protection_level": protection,
            "tags": base,
        },
    )
    _audit(stack, ledger, node.id, base)
    stack.add(
        "snapshots",
        SNAPSHOT_POLICY,
        {
            "auto_snapshot_policy_name": "govcloud-daily",
            "repeat_weekdays": ["1", "2", "3", "4", "5", "6", "7"],
            "time_points": ["2"],
            "retention_days": 30,
            "tags": base,
        },
    )
    _extranet(stack, base)
    instances = sum(len(ps) for ps in layout.placements_by_wave.values())
    stack.add(
        "bastion",
        BASTION,
        {
            "description": "govcloud operations bastion",
            "license_code": f"bhah_ent_{bastion_assets(instances)}_asset",
            "plan_code": "cloudbastion",
            "storage": "5",
            "bandwidth": "10",
            "period": 1,
            "vswitch_id": ref("mgmt"),
            "security_group_ids": [ref("mgmt-sg")],
            "tags": base,
        },
    )
    if rooms_kept:
        _vpn(stack, layout, rooms_kept, base)
    stack.resources = [replace(r, protect=True) for r in stack.resources]
    stack.outputs = {
        "vpcId": ref("vpc"),
        "kmsKeyId": ref("kms"),
        "snapshotPolicyId": ref("snapshots"),
        "mgmtCidr": layout.mgmt_subnet,
        "securityGroupIds": groups,
        "vswitchIds": vswitches,
    }
    return stack


def _audit(stack: Stack, ledger: model.Ledger, node: str, base: dict[str, str]) -> None:
    """ActionTrail delivers into the log store named ``actiontrail_<trail>`` of the project, so
    that store is created here with the retention the baseline asks for; the project's name
    carries the account id, unique across the provider by construction."""
    trail = bounded(f"govcloud-{slug(node)}", 36)
    project = concat(
        bounded(f"govcloud-{plan_id(ledger)[:12]}-{slug(node)[:16]}", 30), "-audit-", config("accountId")
    )
    stack.add("audit-log", LOG_PROJECT, {"project_name": project, "description": "audit logs", "tags": base})
    stack.add(
        "audit-store",
        LOG_STORE,
        {
            "project_name": ref("audit-log", "project_name"),
            "logstore_name": f"actiontrail_{trail}",
            "retention_period": LOG_RETENTION_DAYS,
        },
    )
    account = config("accountId")
    stack.add(
        "trail",
        TRAIL,
        {
            "trail_name": trail,
            "event_rw": "All",
            "trail_region": "All",
            "sls_project_arn": concat(
                "acs:log:",
                config("alicloud:region"),
                ":",
                account,
                ":project/",
                ref("audit-log", "project_name"),
            ),
            "sls_write_role_arn": concat("acs:ram::", account, ":role/aliyunactiontraildefaultrole"),
        },
    )
    stack.add(
        "flow-store",
        LOG_STORE,
        {
            "project_name": ref("audit-log", "project_name"),
            "logstore_name": "vpc-flow",
            "retention_period": LOG_RETENTION_DAYS,
        },
    )
    stack.add(
        "vpc-flow",
        FLOW_LOG,
        {
            "flow_log_name": f"govcloud-{slug(node)}",
            "resource_type": "VPC",
            "resource_id": ref("vpc"),
            "traffic_type": "All",
            "project_name": ref("audit-log", "project_name"),
            "log_store_name": ref("flow-store", "logstore_name"),
            "tags": base,
        },
    )


def _extranet(stack: Stack, base: dict[str, str]) -> None:
    """The e-government extranet reaches the cloud over an Express Connect circuit: a virtual
    border router on it, and a cloud enterprise network joining that router and the VPC.  The
    circuit's id and addressing are the carrier's; they are configuration ops fill in."""
    stack.needs(
        "extranetCircuitId",
        "pc-bp1example0000000",
        "the Express Connect physical connection of the e-government extranet",
    )
    stack.needs("extranetVlanId", "1024", "the circuit's VLAN id (a number, from the carrier)")
    stack.needs("extranetLocalGatewayIp", "10.254.0.1", "the cloud side address of the circuit")
    stack.needs("extranetPeerGatewayIp", "10.254.0.2", "the extranet side address of the circuit")
    stack.needs("extranetPeeringMask", "255.255.255.252", "the circuit's peering subnet mask")
    stack.add(
        "extranet-vbr",
        VBR,
        {
            "physical_connection_id": config("extranetCircuitId"),
            "vlan_id": config("extranetVlanId", "int"),
            "local_gateway_ip": config("extranetLocalGatewayIp"),
            "peer_gateway_ip": config("extranetPeerGatewayIp"),
            "peering_subnet_mask": config("extranetPeeringMask"),
            "virtual_border_router_name": "govcloud-extranet",
            "tags": base,
        },
    )
    stack.add(
        "cen",
        CEN,
        {
            "cen_instance_name": "govcloud-extranet",
            "description": "VPC and e-government extranet",
            "tags": base,
        },
    )
    region = config("alicloud:region")
    stack.add(
        "cen-vpc",
        CEN_ATTACHMENT,
        {
            "instance_id": ref("cen"),
            "child_instance_id": ref("vpc"),
            "child_instance_type": "VPC",
            "child_instance_region_id": region,
        },
    )
    stack.add(
        "cen-vbr",
        CEN_ATTACHMENT,
        {
            "instance_id": ref("cen"),
            "child_instance_id": ref("extranet-vbr"),
            "child_instance_type": "VBR",
            "child_instance_region_id": region,
        },
    )


#: the 国密 (SM) suite of a NationalStandard VPN gateway: SM4 encryption, SM3 integrity
SM_IKE = {"ike_enc_alg": "sm4", "ike_auth_alg": "sm3", "ike_version": "ikev2", "ike_mode": "main"}
SM_IPSEC = {"ipsec_enc_alg": "sm4", "ipsec_auth_alg": "sm3"}


def _vpn(stack: Stack, layout: NodeLayout, rooms_kept: dict[str, list[str]], base: dict[str, str]) -> None:
    """An IPsec link with SM (国密) algorithms to every room still in use, on a NationalStandard
    gateway; each room's VPN device address and pre-shared key are configuration (the key a
    secret, encrypted in Pulumi's state)."""
    stack.add(
        "vpn",
        VPN_GATEWAY,
        {
            "vpc_id": ref("vpc"),
            "bandwidth": 100,
            "vpn_gateway_name": "govcloud-hybrid",
            "vpn_type": "NationalStandard",
            "payment_type": "Subscription",
            "period": 1,
            "tags": base,
        },
    )
    local = sorted(layout.subnets.values())
    for room, remote in sorted(rooms_kept.items()):
        room_slug = slug(room)
        ip_key = stack.needs(
            f"roomGatewayIp-{room_slug}", "203.0.113.10", f"public address of the VPN device in room {room}"
        )
        psk_key = stack.needs(
            f"vpnPsk-{room_slug}",
            "<a long random key shared with the room's VPN device>",
            f"IPsec pre-shared key of room {room}",
            secret=True,
        )
        cgw = f"cgw-{room_slug}"
        stack.add(
            cgw,
            CUSTOMER_GATEWAY,
            {"ip_address": config(ip_key), "description": f"VPN device of room {room}", "tags": base},
        )
        stack.add(
            f"vpn-{room_slug}",
            VPN_CONNECTION,
            {
                "vpn_gateway_id": ref("vpn"),
                "customer_gateway_id": ref(cgw),
                "local_subnets": local,
                "remote_subnets": remote,
                "ike_config": {**SM_IKE, "psk": secret(psk_key)},
                "ipsec_config": dict(SM_IPSEC),
                "tags": base,
            },
        )


def wave_stack(plan: Plan, layout: NodeLayout, wave: int, foundation_stack_name: str) -> Stack:
    """The instances of one wave, with encrypted disks kept when an instance goes, deletion
    protection, the image of each server's OS family, the security-group rules they need, and
    for internet-facing systems a public load balancer behind WAF."""
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, f"wave{wave}"), "prod", "alicloud", "wave", node.id, wave)
    stack.config = {"alicloud:region": node.region, f"{stack.project}:foundationStack": foundation_stack_name}
    chosen = images.ForStack(stack, ledger, node.id, "password", "key_name", "keyName")
    placements = _typed(stack, layout.placements_by_wave.get(wave, []))
    instances: dict[str, str] = {}  # server → its instance resource
    for p in placements:
        server = ledger.servers[p.server]
        system = ledger.systems[p.system]
        family = images.os_family(server.os)
        image = chosen.image(family, p.arch)
        name = slug(p.server)
        labels = server_tags(ledger, p, wave)
        labels["os-family"] = family
        props: dict[str, object] = {
            "instance_name": name,
            "host_name": bounded(slug(server.hostname), 15 if images.is_windows(family) else 60),
            "instance_type": p.instance_type,
            "image_id": image,
            "availability_zone": p.zone,
            "vswitch_id": foundation("vswitchIds", f"{system.owner}|{p.zone}"),
            "security_groups": [foundation("securityGroupIds", group_key(system.owner, system.mlps_level))],
            "deletion_protection": True,
            "system_disk_category": "cloud_essd",
            "system_disk_size": 40,
            "system_disk_encrypted": True,
            "system_disk_kms_key_id": foundation("kmsKeyId"),
            "system_disk_auto_snapshot_policy_id": foundation("snapshotPolicyId"),
            "tags": labels,
        }
        login_prop, value = chosen.login(family)
        props[login_prop] = value
        if p.storage_gb > 0:
            props["data_disks"] = [
                {
                    "size": max(20, int(p.storage_gb)),
                    "category": "cloud_essd",
                    "encrypted": True,
                    "delete_with_instance": False,
                    "kms_key_id": foundation("kmsKeyId"),
                    "auto_snapshot_policy_id": foundation("snapshotPolicyId"),
                }
            ]
        instances[p.server] = stack.add(f"ecs-{name}", INSTANCE, props)
    for i, rule in enumerate(r for r in layout.rules_by_wave.get(wave, []) if r.direction == "ingress"):
        stack.add(f"rule-{i:03d}-{slug(rule.department)}-{rule.port}", SG_RULE, _rule_props(rule))
    _public(stack, plan, placements, wave)
    stack.outputs = {"instanceIds": {server: ref(name) for server, name in instances.items()}}
    return stack


def _typed(stack: Stack, placements: list[Placement]) -> list[Placement]:
    fits, missing = typed(placements)
    if missing:
        stack.notes.append(untyped_note(missing))
    return fits


def _public(stack: Stack, plan: Plan, placements: list[Placement], wave: int) -> None:
    """Internet-facing systems of the wave: a public load balancer (its address is the
    system's public address) listening on exactly the public ports, the system's servers
    behind it, and a WAF site in front of it."""
    ledger = plan.ledger
    by_system: dict[str, list[Placement]] = {}
    for p in placements:
        if ledger.systems[p.system].internet_facing:
            by_system.setdefault(p.system, []).append(p)
    for system_id, servers in sorted(by_system.items()):
        system = ledger.systems[system_id]
        name = slug(system_id)
        labels = tags(
            ledger, department=system.owner, system=system_id, mlps_level=system.mlps_level, wave=wave
        )
        lb = f"slb-{name}"
        stack.add(
            lb,
            SLB,
            {
                "load_balancer_name": bounded(f"govcloud-{name}", 80),
                "address_type": "internet",
                "internet_charge_type": "PayByTraffic",
                "load_balancer_spec": "slb.s2.small",
                "delete_protection": "on",
                "tags": labels,
            },
        )
        ports = public_ports(system)
        for port in ports:
            stack.add(
                f"{lb}-{port}",
                SLB_LISTENER,
                {
                    "load_balancer_id": ref(lb),
                    "frontend_port": port,
                    "backend_port": port,
                    "protocol": "tcp",
                    "bandwidth": -1,
                    "description": f"public service of {system_id}"[:80],
                },
            )
        stack.add(
            f"{lb}-servers",
            SLB_BACKENDS,
            {
                "load_balancer_id": ref(lb),
                "backend_servers": [
                    {"server_id": ref(f"ecs-{slug(p.server)}"), "weight": 100} for p in servers
                ],
            },
        )
        waf = stack.needs(
            "wafInstanceId",
            "waf_v3prepaid_public_cn-example",
            "the WAF 3.0 instance internet-facing systems are protected by",
        )
        domain = stack.needs(
            f"publicDomain-{name}", "portal.example.gov.cn", f"the public domain name of {system_id}"
        )
        listen: dict[str, object] = {
            "http_ports": [p for p in ports if p == 80],
            "https_ports": [p for p in ports if p != 80],
        }
        if listen["https_ports"]:
            listen["cert_id"] = config(
                stack.needs(
                    f"certId-{name}",
                    "123456-cn-hangzhou",
                    f"the TLS certificate of {system_id} in the certificate service",
                )
            )
        stack.add(
            f"waf-{name}",
            WAF_DOMAIN,
            {
                "instance_id": config(waf),
                "domain": config(domain),
                "access_type": "share",
                "listen": listen,
                "redirect": {"backends": [ref(lb, "address")], "loadbalance": "iphash"},
                "tags": labels,
            },
        )


def _rule_props(rule: Rule) -> dict[str, object]:
    return {
        "security_group_id": foundation("securityGroupIds", group_key(rule.department, rule.level)),
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
