"""Mutation test of the to-be baseline: the stacks emitted for the sample pass it, and taking
any one control out of an emitted stack's ``resources.json`` makes ``govcloud check --state
to-be --stacks`` fail with the rule of that control."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govcloud import baseline
from govcloud.cli import cli
from govcloud.samples import default_inventory
from govcloud.stacks.read import read_stacks
from tests.stacks.sample import ALICLOUD, OPENSTACK, emitted, plan

Props = dict[str, Any]
Resources = dict[str, dict[str, Any]]


def _props(key: str, value: Any = None, *, drop: bool = False) -> Callable[[Resources, str], None]:
    """Set (or drop) a property; a dotted key steps into maps by key and lists by index."""

    def mutate(resources: Resources, name: str) -> None:
        node: Any = resources[name]["props"]
        *path, last = key.split(".")
        for part in path:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if drop:
            del node[last]
        else:
            node[last] = value

    return mutate


def _unprotect(resources: Resources, name: str) -> None:
    resources[name].pop("options")


def _remove(prefix: str) -> Callable[[Resources, str], None]:
    def mutate(resources: Resources, name: str) -> None:
        for key in [k for k in resources if k.startswith(prefix)]:
            del resources[key]

    return mutate


def _first(project: str, predicate: Callable[[dict[str, Any]], bool]) -> str:
    spec = json.loads((emitted() / project / "resources.json").read_text(encoding="utf-8"))
    return next(r["name"] for r in spec["resources"] if predicate(r))


def _windows(r: dict[str, Any]) -> bool:
    return r["type"].endswith("ecs/instance:Instance") and r["props"]["tags"]["os-family"] == "windows"


def _linux_with_disk(r: dict[str, Any]) -> bool:
    return (
        r["type"].endswith("ecs/instance:Instance")
        and r["props"]["tags"]["os-family"] != "windows"
        and "data_disks" in r["props"]
    )


def _os_data(r: dict[str, Any]) -> bool:
    return r["type"].endswith("compute/instance:Instance") and len(r["props"].get("block_devices", [])) > 1


def _offsite_copied(r: dict[str, Any]) -> bool:
    """issue 23: an instance whose disks copy their snapshots off site, or whose metadata
    names its off-site bucket."""
    labels = r["props"].get("metadata") or r["props"].get("tags")
    return (
        r["type"].endswith("/instance:Instance")
        and isinstance(labels, dict)
        and str(labels.get("recovery-offsite", "none")) != "none"
        and labels.get("recovery-role") != "standby"
    )


def _with_standby(project: str) -> Callable[[dict[str, Any]], bool]:
    """issue 23: the first instance of ``project`` that has a standby."""

    def has(r: dict[str, Any]) -> bool:
        spec = json.loads((emitted() / project / "resources.json").read_text(encoding="utf-8"))
        return r["type"].endswith("/instance:Instance") and f"{r['name']}-standby" in {
            x["name"] for x in spec["resources"]
        }

    return has


def _drop_standby(resources: Resources, name: str) -> None:
    del resources[f"{name}-standby"]


F, W2, W3 = f"{ALICLOUD}-foundation", f"{ALICLOUD}-wave2", f"{ALICLOUD}-wave3"
OF, OW = f"{OPENSTACK}-foundation", f"{OPENSTACK}-wave1"

#: (stack, resource or a way to find one, mutation, rule that must fail, subject if not the resource)
MUTATIONS: list[tuple[str, Any, Callable[[Resources, str], None], str, str | None]] = [
    (F, "kms", _props("automatic_rotation", "Disabled"), "kms-rotation", None),
    (F, "kms", _props("pending_window_in_days", 7), "kms-deletion-protected", None),
    (F, "kms", _props("deletion_protection", drop=True), "kms-deletion-protected", None),
    (F, "kms", _unprotect, "kms-deletion-protected", None),
    (F, "vpc", _unprotect, "foundation-protected", None),
    (F, "sg-hy-gat-l3", _props("inner_access_policy", "Accept"), "sg-inner-access-drop", None),
    (
        F,
        "sg-hy-gat-l3",
        _props("tags", {"govcloud-plan": "haiyue", "managed-by": "govcloud"}),
        "sg-per-level",
        None,
    ),
    (F, "audit-store", _props("logstore_name", "actiontrail"), "audit-trail-retained", "trail"),
    (
        F,
        "trail",
        _props("sls_project_arn", "acs:log:cn-hangzhou::project/govcloud-audit"),
        "audit-trail-retained",
        None,
    ),
    (F, "audit-log", _props("project_name", "govcloud-audit-hy-cloud-prov"), "log-project-unique", None),
    (F, "bastion", _props("license_code", "bhah_ent_50_asset"), "bastion-licence-covers", None),
    (F, "mgmt-in-", _remove("mgmt-in-"), "bastion-reachable", "bastion"),
    (F, "vpn", _props("vpn_type", drop=True), "vpn-sm-gateway", None),
    (F, "vpn-hy-gat-room1", _props("ike_config.ike_enc_alg", "aes"), "vpn-sm-suites", None),
    (F, "vpn-hy-gat-room1", _props("ike_config.psk", "shared-in-plaintext"), "vpn-psk-secret", None),
    (W2, _linux_with_disk, _props("deletion_protection", drop=True), "ecs-deletion-protected", None),
    (
        W2,
        _linux_with_disk,
        _props(
            "data_disks", [{"size": 20, "encrypted": True, "kms_key_id": "k", "delete_with_instance": True}]
        ),
        "ecs-deletion-protected",
        None,
    ),
    (W2, _linux_with_disk, _props("image_id", "m-govcloud-windows-x8664"), "ecs-image-per-os", None),
    (W2, _windows, _props("password", "Passw0rd!"), "ecs-login-secret", None),
    (W2, _linux_with_disk, _props("key_name", drop=True), "ecs-login-secret", None),
    (W3, "slb-hy-jtt-sys02-servers", _props("backend_servers", []), "ecs-public-entry", "ecs-hy-jtt-srv010"),
    (W3, "waf-hy-jtt-sys02", _remove("waf-"), "slb-behind-waf", "slb-hy-jtt-sys02"),
    (W3, "slb-hy-jtt-sys02-443", _props("frontend_port", 22), "slb-listener-public-ports", None),
    (OF, "net", _unprotect, "os-foundation-protected", None),
    (OF, "mgmt-in-22", _remove("mgmt-in-"), "os-bastion-reachable", "mgmt-sg"),
    (OF, "kms", _unprotect, "os-key-protected", None),
    (OF, "sg-hz-wjw-l2-out-", _remove("sg-hz-wjw-l2-out-"), "os-sg-egress", "sg-hz-wjw-l2"),
    (OF, "sg-hz-wjw-l2", _props("tags", ["managed-by=govcloud"]), "os-sg-per-level", None),
    (OF, "vpn-hy-gat-room1", _props("psk", "shared-in-plaintext"), "os-vpn-psk-secret", None),
    (OW, "vm-hz-wjw-srv004", _props("networks", [{"uuid": "net"}]), "os-instance-port", None),
    # issue 23: disaster recovery
    (
        W2,
        _offsite_copied,
        _props("system_disk_auto_snapshot_policy_id", {"$foundation": "snapshotPolicyId"}),
        "dr-offsite-copy",
        None,
    ),
    (W2, _with_standby(W2), _drop_standby, "dr-standby", None),
    (
        f"{OPENSTACK}-wave3",
        _offsite_copied,
        _props("metadata.recovery-offsite", "none"),
        "os-dr-offsite-copy",
        None,
    ),
    (OW, _with_standby(OW), _drop_standby, "os-dr-standby", None),
    (OW, _os_data, _props("block_devices.1.destination_type", "local"), "os-no-ephemeral-l3", None),
    (OW, _os_data, _props("block_devices.1.delete_on_termination", True), "os-data-volume-kept", None),
    (OW, "vm-hz-wjw-srv004", _props("key_pair", drop=True), "os-login-secret", None),
    (
        OW,
        "vm-hz-wjw-srv004",
        _props("block_devices.0.uuid", {"$config": "imageId-windows-x86_64"}),
        "os-image-per-os",
        None,
    ),
]


def _name(project: str, which: Any) -> str:
    return which if isinstance(which, str) else _first(project, which)


def _mutated(
    root: Path, cases: list[tuple[str, Any, Callable[[Resources, str], None], str, str | None]]
) -> list[tuple[str, str]]:
    """Copy the emitted stacks to ``root`` with the mutations applied; the (rule, subject)
    findings each must cause."""
    shutil.copytree(emitted(), root)
    expected = []
    for project, which, mutate, rule, subject in cases:
        path = root / project / "resources.json"
        spec = json.loads(path.read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in spec["resources"]}
        name = _name(project, which)
        mutate(resources, name)
        spec["resources"] = list(resources.values())
        path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        expected.append((rule, f"{project}/{subject or name}"))
    return expected


@functools.cache
def _findings(root: str) -> frozenset[tuple[str, str]]:
    p = plan()
    _, result = baseline.check(p.ledger, p, read_stacks(Path(root)), "to-be")
    return frozenset((f.rule, f.subject) for f in result.open())


def test_the_emitted_stacks_pass() -> None:
    assert _findings(str(emitted())) == frozenset()


@pytest.mark.parametrize(
    "case", MUTATIONS, ids=lambda c: f"{c[3]}:{c[1] if isinstance(c[1], str) else c[1].__name__}"
)
def test_removing_a_control_fails_its_rule(
    case: tuple[str, Any, Callable[[Resources, str], None], str, str | None], tmp_path: Path
) -> None:
    [expected] = _mutated(tmp_path / "stacks", [case])
    found = _findings(str(tmp_path / "stacks"))
    assert expected in found, sorted(found)


#: to-be rules older than the stacks' controls (they have their own examples and tests)
EARLIER = {
    "audit-trail", "disk-encrypted", "ecs-disk-auto-snapshot", "instance-in-vpc", "kms-hsm-level3", "log-store-180d",
    "no-public-ip", "os-resources-tagged", "os-sg-no-world-admin", "os-volume-encrypted", "resources-tagged",
    "sg-intranet-only", "sg-no-world-admin", "vpc-flow-logs",
}  # fmt: skip


def test_every_control_rule_has_a_mutation() -> None:
    """Each to-be rule of a stack control is broken by a mutation above, or by a hand-built
    stack where the sample has nothing to break (no internet-facing system on OpenStack)."""
    hand_built = {"os-public-entry", "os-lb-listener-public-ports"}  # tests/stacks/test_openstack.py
    controls = {r.id for r in baseline.load_rules() if r.state == "to-be"} - EARLIER
    assert controls == {case[3] for case in MUTATIONS} | hand_built


def test_check_cli_fails_on_the_mutated_stacks(tmp_path: Path) -> None:
    """All mutations at once, through the command ops and CI run."""
    expected = _mutated(tmp_path / "stacks", MUTATIONS)
    args = [
        "check",
        str(default_inventory()),
        "--state",
        "to-be",
        "--stacks",
        str(tmp_path / "stacks"),
        "--format",
        "json",
        "--fail-on",
        "low",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    found = {(f["rule"], f["subject"]) for f in json.loads(result.stdout)["findings"]}
    assert set(expected) <= found
    clean = CliRunner().invoke(cli, [*args[:5], str(emitted()), "--fail-on", "low"])
    assert clean.exit_code == 0, clean.output


def test_unreadable_stacks_are_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "s" / "govcloud-x-wave1").mkdir(parents=True)
    (tmp_path / "s" / "govcloud-x-wave1" / "resources.json").write_text(
        '{"schema_version": 1,\n  "project": ', encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["check", str(default_inventory()), "--state", "to-be", "--stacks", str(tmp_path / "s")]
    )
    assert result.exit_code == 2
    assert "resources.json:2" in result.output
    assert "Traceback" not in result.output
