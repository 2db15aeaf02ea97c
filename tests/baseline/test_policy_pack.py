"""The CrossGuard policy pack: generated from the same rules, its policies judge resources as
govcloud check does (called directly: a PolicyPack would start a server)."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest

pytest.importorskip("pulumi_policy")

from pulumi_policy import ResourceValidationArgs

from govcloud.baseline import load_rules
from govcloud.baseline.policy_pack import export_pack

#: rules on facts derived from the whole set of stacks stay with govcloud check
RULES = [r for r in load_rules() if r.state == "to-be" and not r.stack_facts]


def _camel(value: Any) -> Any:
    """Rule examples use snake_case; CrossGuard hands policies camelCase props."""
    if isinstance(value, list):
        return [_camel(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            head, *rest = key.split("_")
            out[head + "".join(p.title() for p in rest)] = v if key == "tags" else _camel(v)
        return out
    return value


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("pack")
    names = {p.name for p in export_pack(load_rules(), folder)}
    assert {
        "PulumiPolicy.yaml",
        "requirements.txt",
        "__main__.py",
        "policies.py",
        "conditions.py",
        "rules.json",
    } <= names
    sys.path.insert(0, str(folder))
    try:
        for module in ("policies", "conditions"):
            sys.modules.pop(module, None)
        yield importlib.import_module("policies")
    finally:
        sys.path.remove(str(folder))
        for module in ("policies", "conditions"):
            sys.modules.pop(module, None)


def _violations(policy: Any, rule_type: str, props: dict[str, Any]) -> list[str]:
    found: list[str] = []
    args = ResourceValidationArgs(rule_type, _camel(props), "urn:pulumi:prod::p::t::r", "r", None, None)  # type: ignore[arg-type]
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


def test_one_policy_per_to_be_rule(pack: Any) -> None:
    assert sorted(p.name for p in pack.policies()) == sorted(r.id for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_policy_passes_and_fails_like_the_rule(pack: Any, rule: Any) -> None:
    [policy] = [p for p in pack.policies() if p.name == rule.id]
    assert _violations(policy, rule.applies_to, rule.examples["pass"]) == []
    assert len(_violations(policy, rule.applies_to, rule.examples["fail"])) == 1
    assert _violations(policy, "some:other/type:Type", rule.examples["fail"]) == []


def test_security_group_rule_props_as_crossguard_sends_them(pack: Any) -> None:
    [policy] = [p for p in pack.policies() if p.name == "sg-no-world-admin"]
    world_ssh = {"securityGroupId": "sg", "portRange": "22/22", "cidrIp": "0.0.0.0/0", "ipProtocol": "tcp"}
    args = ResourceValidationArgs(
        "alicloud:ecs/securityGroupRule:SecurityGroupRule", world_ssh, "u", "r", None, None
    )  # type: ignore[arg-type]
    found: list[str] = []
    policy.validate(args, lambda message, urn=None: found.append(message))
    assert found


def test_rules_on_stack_wide_facts_stay_out_of_the_pack(pack: Any) -> None:
    names = {p.name for p in pack.policies()}
    wide = {r.id for r in load_rules() if r.stack_facts}
    assert wide
    assert not names & wide
    assert "vpn-sm-suites" in names  # a rule on one resource's own props is in the pack
