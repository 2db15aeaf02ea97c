"""The stacks of an OpenStack node (a city's government cloud): a foundation and one stack
per wave.  Disks are encrypted through an encrypted volume type that the cloud's operators
define (Cinder encryption with Barbican keys); its name is configuration.  Every server sits on
a port with a fixed address in its department's subnet, and groups start empty: each needed
flow, out as well as in, is one rule."""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from govcloud.plan import Plan
from govcloud.plan.placement import Placement
from govcloud.stacks import images
from govcloud.stacks.common import (
    bounded,
    group_key,
    group_name,
    project_name,
    server_tags,
    slug,
    tags,
    typed,
    untyped_note,
)
from govcloud.stacks.layout import NodeLayout, Rule, public_ports
from govcloud.stacks.ports import admin_ports
from govcloud.stacks.spec import Stack, config, foundation, ref, secret
from govcloud.text import md_escape

NETWORK = "openstack:networking/network:Network"
SUBNET = "openstack:networking/subnet:Subnet"
ROUTER = "openstack:networking/router:Router"
ROUTER_INTERFACE = "openstack:networking/routerInterface:RouterInterface"
SECGROUP = "openstack:networking/secGroup:SecGroup"
SECGROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule"
PORT = "openstack:networking/port:Port"
INSTANCE = "openstack:compute/instance:Instance"
KEY_ORDER = "openstack:keymanager/orderV1:OrderV1"
FLOATING_IP = "openstack:networking/floatingIp:FloatingIp"
FLOATING_IP_ASSOCIATE = "openstack:networking/floatingIpAssociate:FloatingIpAssociate"
LOAD_BALANCER = "openstack:loadbalancer/loadBalancer:LoadBalancer"
LISTENER = "openstack:loadbalancer/listener:Listener"
POOL = "openstack:loadbalancer/pool:Pool"
MEMBER = "openstack:loadbalancer/member:Member"
IKE_POLICY = "openstack:vpnaas/ikePolicy:IkePolicy"
IPSEC_POLICY = "openstack:vpnaas/ipSecPolicy:IpSecPolicy"
VPN_SERVICE = "openstack:vpnaas/service:Service"
ENDPOINT_GROUP = "openstack:vpnaas/endpointGroup:EndpointGroup"
SITE_CONNECTION = "openstack:vpnaas/siteConnection:SiteConnection"

#: what every server sends out besides the flows of the dependency graph: name resolution,
#: time and packages from the cloud's infrastructure services, and the metadata service
BASE_EGRESS = (
    ("udp", 53, "infraCidr", "DNS"),
    ("tcp", 53, "infraCidr", "DNS"),
    ("udp", 123, "infraCidr", "NTP"),
    ("tcp", 80, "infraCidr", "package mirror"),
    ("tcp", 443, "infraCidr", "package mirror"),
    ("tcp", 80, "169.254.169.254/32", "instance metadata"),
)
#: first host number handed out as a fixed address in a subnet (below: gateway, DHCP, spare)
FIRST_HOST = 10
#: volume size of a boot disk, GB
BOOT_GB = 40

NOTES = (
    "Audit: OpenStack has no tenant-level audit trail like ActionTrail; ask the cloud's operators for Keystone/Nova/Neutron "
    "CADF audit notifications of this project kept ≥ 180 days, and keep this stack's `pulumi` history as the change record.",
    "Keys: Barbican has no automatic key rotation; the `kms` order is protected, rotate by ordering a new key once a year "
    "and re-encrypting. Disks are encrypted by the operators' encrypted volume type (`encryptedVolumeType`).",
    "Ephemeral disks: every disk is a volume of the encrypted type (no local ephemeral disk); choose flavors without "
    "ephemeral or swap disks for level-3 systems.",
)


def _tag_list(values: dict[str, str]) -> list[str]:
    """OpenStack tags are plain strings: ``key=value``."""
    return [f"{k}={v}" for k, v in sorted(values.items())]


def addresses(plan: Plan, layout: NodeLayout) -> dict[str, str]:
    """A fixed address per placed server in its department's subnet of its zone, stable
    (servers in id order); a server beyond the subnet's size gets none (DHCP picks one).
    Computed once per layout (every wave stack asks)."""
    if layout.addresses:
        return layout.addresses
    out = layout.addresses
    taken: dict[str, int] = {}
    placements = sorted((p for ps in layout.placements_by_wave.values() for p in ps), key=lambda p: p.server)
    owner = {p.server: plan.ledger.systems[p.system].owner for p in placements}
    networks: dict[str, ipaddress.IPv4Network | ipaddress.IPv6Network] = {}
    for p in placements:
        cidr = layout.subnets[(owner[p.server], p.zone)]
        network = networks.setdefault(cidr, ipaddress.ip_network(cidr))
        index = FIRST_HOST + taken.get(cidr, 0)
        taken[cidr] = taken.get(cidr, 0) + 1
        if index <= network.num_addresses - 2 - 5:
            out[p.server] = str(network[index])
    return out


def foundation_stack(plan: Plan, layout: NodeLayout, rooms_kept: dict[str, list[str]]) -> Stack:
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, "foundation"), "prod", "openstack", "foundation", node.id)
    stack.config = {"openstack:region": node.region}
    stack.needs(
        "externalNetworkId",
        "0b6c5e2f-0000-4000-8000-000000000001",
        "the external (e-government extranet) network the router joins",
    )
    stack.needs("opsCidr", "10.250.0.0/24", "the operations network administrators reach the bastion from")
    stack.needs("infraCidr", "10.251.0.0/24", "the range of the cloud's DNS, NTP and package mirror servers")
    stack.needs("bastionImage", "<image id of the bastion's OS>", "the image of the bastion host")
    stack.needs("bastionFlavor", "m1.large", "the flavor of the bastion host")
    stack.needs("keyPair", "govcloud-ops", "the SSH key pair of the bastion and Linux servers")
    stack.needs(
        "encryptedVolumeType", "encrypted", "the operators' encrypted (LUKS, Barbican-keyed) volume type"
    )
    base = _tag_list(tags(ledger, stack="foundation", node=node.id))
    stack.add("net", NETWORK, {"name": f"govcloud-{slug(node.id)}", "admin_state_up": True, "tags": base})
    stack.add(
        "router",
        ROUTER,
        {
            "name": f"govcloud-{slug(node.id)}",
            "external_network_id": config("externalNetworkId"),
            "tags": base,
        },
    )
    stack.add(
        "mgmt",
        SUBNET,
        {"name": "mgmt", "network_id": ref("net"), "cidr": layout.mgmt_subnet, "ip_version": 4, "tags": base},
    )
    stack.add("mgmt-if", ROUTER_INTERFACE, {"router_id": ref("router"), "subnet_id": ref("mgmt")})
    stack.add(
        "mgmt-sg",
        SECGROUP,
        {"name": "mgmt", "description": "bastion", "delete_default_rules": True, "tags": base},
    )
    stack.add(
        "mgmt-in-22",
        SECGROUP_RULE,
        _rule(
            "mgmt-sg", "ingress", "tcp", 22, config("opsCidr"), "administrators from the operations network"
        ),
    )
    for port in admin_ports().login:
        stack.add(
            f"mgmt-out-{port}",
            SECGROUP_RULE,
            _rule("mgmt-sg", "egress", "tcp", port, layout.vpc_cidr, "administration of the servers"),
        )
    _base_egress(stack, "mgmt-sg", "mgmt")
    group_ids: dict[str, object] = {}
    for dept, level in layout.groups:
        name = group_name(dept, level)
        group_tags = _tag_list(tags(ledger, stack="foundation", department=dept, mlps_level=level))
        # delete_default_rules: no "allow all egress" left behind; each flow out is a rule
        stack.add(
            name,
            SECGROUP,
            {
                "name": bounded(f"{slug(dept)}-l{level}", 255),
                "description": f"department {dept}, MLPS level {level}",
                "delete_default_rules": True,
                "tags": group_tags,
            },
        )
        group_ids[group_key(dept, level)] = ref(name)
        _base_egress(stack, name, f"{slug(dept)}-l{level}")
    subnets: dict[str, object] = {}
    for dept in layout.departments:
        dept_tags = _tag_list(tags(ledger, stack="foundation", department=dept))
        for zone in layout.zones:
            sn = f"subnet-{slug(dept)}-{slug(zone)}"
            stack.add(
                sn,
                SUBNET,
                {
                    "name": sn,
                    "network_id": ref("net"),
                    "cidr": layout.subnets[(dept, zone)],
                    "ip_version": 4,
                    "tags": dept_tags,
                },
            )
            stack.add(f"{sn}-if", ROUTER_INTERFACE, {"router_id": ref("router"), "subnet_id": ref(sn)})
            subnets[f"{dept}|{zone}"] = ref(sn)
    stack.add(
        "kms",
        KEY_ORDER,
        {
            "type": "key",
            "meta": {
                "algorithm": "aes",
                "bit_length": 256,
                "mode": "cbc",
                "name": f"govcloud-{slug(node.id)}",
            },
        },
    )
    bastion_ip = str(ipaddress.ip_network(layout.mgmt_subnet)[FIRST_HOST])
    stack.add(
        "bastion-port",
        PORT,
        {
            "name": "govcloud-bastion",
            "network_id": ref("net"),
            "fixed_ips": [{"subnet_id": ref("mgmt"), "ip_address": bastion_ip}],
            "security_group_ids": [ref("mgmt-sg")],
            "admin_state_up": True,
            "tags": base,
        },
    )
    stack.add(
        "bastion",
        INSTANCE,
        {
            "name": "govcloud-bastion",
            "flavor_name": config("bastionFlavor"),
            "key_pair": config("keyPair"),
            "networks": [{"port": ref("bastion-port")}],
            "block_devices": [_boot(config("bastionImage"), True)],
            "tags": base,
            "metadata": tags(ledger, department="operations", system="bastion", node=node.id),
        },
    )
    if rooms_kept:
        _vpn(stack, layout, rooms_kept)
    stack.notes.extend(NOTES)
    stack.resources = [replace(r, protect=True) for r in stack.resources]
    stack.outputs = {
        "networkId": ref("net"),
        "mgmtCidr": layout.mgmt_subnet,
        "securityGroupIds": group_ids,
        "subnetIds": subnets,
    }
    return stack


def _base_egress(stack: Stack, group: str, label: str) -> None:
    for protocol, port, where, why in BASE_EGRESS:
        remote = config(where) if where == "infraCidr" else where
        name = f"{group}-out-{protocol}-{port}" + ("-meta" if where != "infraCidr" else "")
        stack.add(name, SECGROUP_RULE, _rule(group, "egress", protocol, port, remote, f"{why} ({label})"))


def _rule(
    group: str, direction: str, protocol: str, port: int, remote: object, why: str
) -> dict[str, object]:
    return {
        "security_group_id": ref(group),
        "direction": direction,
        "ethertype": "IPv4",
        "protocol": protocol,
        "port_range_min": port,
        "port_range_max": port,
        "remote_ip_prefix": remote,
        "description": why[:255],
    }


def _vpn(stack: Stack, layout: NodeLayout, rooms_kept: dict[str, list[str]]) -> None:
    """An IPsec site connection (Neutron VPNaaS) to every room still in use.  VPNaaS offers no
    SM (国密) algorithms: AES-256 and SHA-256 are used and the exception is stated in the README;
    pre-shared keys are secrets from configuration."""
    stack.add(
        "ike",
        IKE_POLICY,
        {
            "name": "govcloud-ike",
            "auth_algorithm": "sha256",
            "encryption_algorithm": "aes-256",
            "ike_version": "v2",
            "pfs": "group14",
        },
    )
    stack.add(
        "ipsec",
        IPSEC_POLICY,
        {
            "name": "govcloud-ipsec",
            "auth_algorithm": "sha256",
            "encryption_algorithm": "aes-256",
            "pfs": "group14",
        },
    )
    stack.add(
        "vpn", VPN_SERVICE, {"name": "govcloud-hybrid", "router_id": ref("router"), "admin_state_up": True}
    )
    dept_subnets = [f"subnet-{slug(d)}-{slug(z)}" for d in layout.departments for z in layout.zones]
    stack.add(
        "vpn-local",
        ENDPOINT_GROUP,
        {"name": "govcloud-local", "type": "subnet", "endpoints": [ref(s) for s in dept_subnets]},
    )
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
        stack.add(
            f"vpn-peer-{room_slug}",
            ENDPOINT_GROUP,
            {"name": bounded(f"room-{room_slug}", 255), "type": "cidr", "endpoints": remote},
        )
        stack.add(
            f"vpn-{room_slug}",
            SITE_CONNECTION,
            {
                "name": bounded(f"govcloud-{room_slug}", 255),
                "vpnservice_id": ref("vpn"),
                "ikepolicy_id": ref("ike"),
                "ipsecpolicy_id": ref("ipsec"),
                "peer_address": config(ip_key),
                "peer_id": config(ip_key),
                "psk": secret(psk_key),
                "local_ep_group_id": ref("vpn-local"),
                "peer_ep_group_id": ref(f"vpn-peer-{room_slug}"),
                "admin_state_up": True,
            },
        )
    stack.notes.append(
        "Crypto exception: Neutron VPNaaS has no SM (国密) suites, so the links to the rooms still in use "
        f"({', '.join(md_escape(r) for r in sorted(rooms_kept))}) use IKEv2 with AES-256/SHA-256; record it in the commercial-crypto "
        "assessment (GB/T 39786) or terminate the links on SM-capable VPN devices."
    )


def _boot(image: object, keep: bool = False) -> dict[str, object]:
    return {
        "source_type": "image",
        "uuid": image,
        "destination_type": "volume",
        "volume_size": BOOT_GB,
        "volume_type": config("encryptedVolumeType"),
        "boot_index": 0,
        "delete_on_termination": not keep,
    }


def wave_stack(plan: Plan, layout: NodeLayout, wave: int, foundation_stack_name: str) -> Stack:
    ledger = plan.ledger
    node = layout.node
    stack = Stack(project_name(ledger, node.id, f"wave{wave}"), "prod", "openstack", "wave", node.id, wave)
    stack.config = {
        "openstack:region": node.region,
        f"{stack.project}:foundationStack": foundation_stack_name,
    }
    stack.needs(
        "encryptedVolumeType", "encrypted", "the operators' encrypted (LUKS, Barbican-keyed) volume type"
    )
    chosen = images.ForStack(stack, ledger, node.id, "admin_pass", "key_pair", "keyPair")
    fixed = addresses(plan, layout)
    placements = _typed(stack, layout.placements_by_wave.get(wave, []))
    instances: dict[str, str] = {}  # server → its instance resource
    for p in placements:
        server = ledger.servers[p.server]
        system = ledger.systems[p.system]
        family = images.os_family(server.os)
        labels = server_tags(ledger, p, wave)
        labels["os-family"] = family
        tag_list = _tag_list(labels)
        devices = [_boot(chosen.image(family, p.arch))]
        if p.storage_gb > 0:
            devices.append(
                {
                    "source_type": "blank",
                    "destination_type": "volume",
                    "volume_size": max(20, int(p.storage_gb)),
                    "volume_type": config("encryptedVolumeType"),
                    "boot_index": -1,
                    "delete_on_termination": False,
                }
            )
        address: dict[str, object] = {"subnet_id": foundation("subnetIds", f"{system.owner}|{p.zone}")}
        if p.server in fixed:
            address["ip_address"] = fixed[p.server]
        name = slug(p.server)
        port = f"port-{name}"
        stack.add(
            port,
            PORT,
            {
                "name": bounded(name, 255),
                "network_id": foundation("networkId"),
                "fixed_ips": [address],
                "security_group_ids": [
                    foundation("securityGroupIds", group_key(system.owner, system.mlps_level))
                ],
                "admin_state_up": True,
                "tags": tag_list,
            },
        )
        props: dict[str, object] = {
            "name": bounded(slug(server.hostname), 15 if images.is_windows(family) else 60),
            "flavor_name": p.instance_type,
            "availability_zone": p.zone,
            "networks": [{"port": ref(port)}],
            "block_devices": devices,
            "metadata": labels,
            "tags": list(tag_list),  # the port's and the instance's: two lists, as from two calls
        }
        login_prop, value = chosen.login(family)
        props[login_prop] = value
        instances[p.server] = stack.add(f"vm-{name}", INSTANCE, props)
    for i, rule in enumerate(layout.rules_by_wave.get(wave, [])):
        stack.add(
            f"rule-{i:03d}-{slug(rule.department)}-{rule.direction[:3]}-{rule.port}",
            SECGROUP_RULE,
            _rule_props(rule),
        )
    _public(stack, plan, placements, fixed, wave)
    stack.outputs = {"instanceIds": {server: ref(name) for server, name in instances.items()}}
    return stack


def _typed(stack: Stack, placements: list[Placement]) -> list[Placement]:
    fits, missing = typed(placements)
    if missing:
        stack.notes.append(untyped_note(missing))
    return fits


def _public(stack: Stack, plan: Plan, placements: list[Placement], fixed: dict[str, str], wave: int) -> None:
    """Internet-facing systems of the wave: an Octavia load balancer in the system's subnet,
    a listener per public port, the system's servers as members, and a floating IP from the
    external network on the balancer's address."""
    ledger = plan.ledger
    by_system: dict[str, list[Placement]] = {}
    for p in placements:
        if ledger.systems[p.system].internet_facing:
            by_system.setdefault(p.system, []).append(p)
    for system_id, servers in sorted(by_system.items()):
        system = ledger.systems[system_id]
        name = slug(system_id)
        labels = _tag_list(
            tags(ledger, department=system.owner, system=system_id, mlps_level=system.mlps_level, wave=wave)
        )
        lb = f"lb-{name}"
        subnet = foundation("subnetIds", f"{system.owner}|{servers[0].zone}")
        stack.add(
            lb,
            LOAD_BALANCER,
            {"name": bounded(f"govcloud-{name}", 255), "vip_subnet_id": subnet, "tags": labels},
        )
        for port in public_ports(system):
            stack.add(
                f"{lb}-{port}",
                LISTENER,
                {"loadbalancer_id": ref(lb), "protocol": "TCP", "protocol_port": port, "tags": labels},
            )
            stack.add(
                f"{lb}-{port}-pool",
                POOL,
                {
                    "listener_id": ref(f"{lb}-{port}"),
                    "protocol": "TCP",
                    "lb_method": "ROUND_ROBIN",
                    "tags": labels,
                },
            )
            for p in servers:
                member: dict[str, object] = {
                    "pool_id": ref(f"{lb}-{port}-pool"),
                    "protocol_port": port,
                    "subnet_id": foundation("subnetIds", f"{system.owner}|{p.zone}"),
                    "tags": labels,
                }
                member["address"] = fixed.get(p.server) or ref(f"vm-{slug(p.server)}", "access_ip_v4")
                stack.add(f"{lb}-{port}-{slug(p.server)}", MEMBER, member)
        pool = stack.needs(
            "externalNetworkName", "extranet", "the external network floating IPs are taken from"
        )
        stack.add(
            f"fip-{name}",
            FLOATING_IP,
            {"pool": config(pool), "description": f"public address of {system_id}", "tags": labels},
        )
        stack.add(
            f"fip-{name}-lb",
            FLOATING_IP_ASSOCIATE,
            {"floating_ip": ref(f"fip-{name}", "address"), "port_id": ref(lb, "vip_port_id")},
        )


def _rule_props(rule: Rule) -> dict[str, object]:
    return {
        "security_group_id": foundation("securityGroupIds", group_key(rule.department, rule.level)),
        "direction": rule.direction,
        "ethertype": "IPv4",
        "protocol": rule.protocol,
        "port_range_min": rule.port,
        "port_range_max": rule.port,
        "remote_ip_prefix": rule.source,
        "description": rule.why[:255],
    }
