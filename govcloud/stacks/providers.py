"""The registry of cloud providers: what builds a node's stacks, the SDK its programs need, and
the resource types the security baseline looks at.

A provider must name its instance, network, security group and security group rule types: the
baseline's to-be views (:mod:`govcloud.baseline.views`) read them from here, and
``tests/stacks/test_providers.py`` fails until the ``cloud-to-be`` policy pack has rules that
check each of them — a new provider's stacks are never left unchecked.  A provider's name is
also a value of the ledger's ``cloud_provider`` enumeration (:mod:`govcloud.ledger.choices`;
a test keeps the two equal).  Adding a provider: CONTRIBUTING.md, "A new cloud provider".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govcloud.plan import Plan
from govcloud.registry import Registry
from govcloud.stacks import alicloud, openstack
from govcloud.stacks.layout import NodeLayout
from govcloud.stacks.spec import Stack

#: a node's foundation: (plan, the node's layout, rooms kept with their address ranges)
FoundationBuilder = Callable[[Plan, NodeLayout, dict[str, list[str]]], Stack]
#: a wave's stack on a node: (plan, the node's layout, wave, the foundation's stack reference)
WaveBuilder = Callable[[Plan, NodeLayout, int, str], Stack]


@dataclass(frozen=True)
class Provider:
    name: str
    foundation: FoundationBuilder
    wave: WaveBuilder
    #: the provider SDK the emitted programs are verified with (``requirements.txt``)
    sdk: str
    #: resource types the baseline's to-be rules must check (all required)
    instance: str
    network: str
    security_group: str
    security_group_rule: str
    #: whether its security groups deny traffic out, so the layout adds an egress rule per
    #: flow (:func:`govcloud.stacks.layout.layouts`); a provider whose groups let it out by
    #: default is spared making rules its wave stacks would leave out
    egress_rules: bool = True

    @property
    def checked_types(self) -> tuple[str, ...]:
        """The types the ``cloud-to-be`` pack must have rules for."""
        return (self.instance, self.network, self.security_group, self.security_group_rule)


#: every cloud provider a node can be on
PROVIDERS: Registry[Provider] = Registry("cloud provider")

for _provider in (
    Provider(
        "alicloud",
        alicloud.foundation_stack,
        alicloud.wave_stack,
        sdk="pulumi-alicloud==4.0.0",
        instance="alicloud:ecs/instance:Instance",
        network="alicloud:vpc/network:Network",
        security_group="alicloud:ecs/securityGroup:SecurityGroup",
        security_group_rule="alicloud:ecs/securityGroupRule:SecurityGroupRule",
        egress_rules=False,
    ),
    Provider(
        "openstack",
        openstack.foundation_stack,
        openstack.wave_stack,
        sdk="pulumi-openstack==5.5.3",
        instance="openstack:compute/instance:Instance",
        network="openstack:networking/network:Network",
        security_group="openstack:networking/secGroup:SecGroup",
        security_group_rule="openstack:networking/secGroupRule:SecGroupRule",
    ),
):
    PROVIDERS.add(_provider.name, _provider)


def types_of(role: str) -> tuple[str, ...]:
    """The resource type of ``role`` (``instance``, ``network``, ``security_group``,
    ``security_group_rule``) of every registered provider."""
    return tuple(getattr(p, role) for p in PROVIDERS.entries())
