"""The contract of NetBox objects: typed, bounded, usable ids; the rest left out and said."""

from __future__ import annotations

import pytest

from govcloud.importers.netbox.checks import clean


def test_good_objects_keep_the_fields_the_mapper_reads() -> None:
    objects = {
        "dcim.site": {1: {"slug": "jyj-room", "name": "机房", "tenant": 1, "status": "active", "extra": [1]}},
        "virtualization.virtualmachine": {2: {"name": "vm", "vcpus": "4", "memory": 8192.0}},
    }
    checked, problems = clean(objects, "netbox.json")
    assert problems == []
    assert checked["dcim.site"][1] == {"slug": "jyj-room", "name": "机房", "tenant": 1}
    assert checked["virtualization.virtualmachine"][2] == {"name": "vm", "vcpus": 4.0, "memory": 8192.0}


@pytest.mark.parametrize(
    ("model", "fields", "kept"),
    [
        ("virtualization.virtualmachine", {"name": "v", "vcpus": float("inf")}, {"name": "v"}),
        ("virtualization.virtualmachine", {"name": "v", "vcpus": -4}, {"name": "v"}),
        ("virtualization.virtualmachine", {"name": "v", "memory": "很多"}, {"name": "v"}),
        ("virtualization.virtualmachine", {"name": "v", "disk": 10**30}, {"name": "v"}),
        ("circuits.circuit", {"cid": "c", "termination_date": "2027-02-30"}, {"cid": "c"}),
        ("circuits.circuit", {"cid": "c", "provider": "ct"}, {"cid": "c"}),
        ("dcim.device", {"name": "d", "serial": ["SN"]}, {"name": "d"}),
        ("tenancy.tenant", {"slug": "t", "name": "\x1b]0;x\x07"}, {"slug": "t"}),
    ],
)
def test_a_bad_optional_field_is_dropped_with_a_warning(
    model: str, fields: dict[str, object], kept: dict[str, object]
) -> None:
    checked, problems = clean({model: {1: fields}}, "netbox.json")
    assert checked[model][1] == kept
    [problem] = problems
    assert problem.severity == "warning"
    assert problem.file == "netbox.json"
    assert problem.path.startswith(f"{model}[1].")


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("dcim.site", {"slug": "../../etc/passwd", "name": "x"}),
        ("dcim.site", {"slug": "room\u202e", "name": "x"}),
        ("dcim.site", {"slug": ".hidden", "name": "x"}),
        ("tenancy.tenant", {"name": "no slug"}),
        ("ipam.vlan", {"vid": 4095}),
        ("ipam.prefix", {"prefix": "10.0.0.0/33"}),
        ("ipam.ipaddress", {"address": "300.1.1.1/24"}),
        ("dcim.devicerole", {"name": None}),
    ],
)
def test_an_object_without_a_usable_required_field_is_left_out(model: str, fields: dict[str, object]) -> None:
    checked, problems = clean({model: {1: fields}}, "netbox.json")
    assert 1 not in checked.get(model, {})
    assert problems
    assert all(p.render("zh") for p in problems)


@pytest.mark.parametrize("pk", ["1", 1.5, True, -1, 2**64, None])
def test_primary_keys_must_be_integers(pk: object) -> None:
    checked, problems = clean({"dcim.rack": {pk: {"site": 1}}}, "netbox.json")  # type: ignore[dict-item]
    assert not checked.get("dcim.rack")
    assert problems[0].path.startswith("dcim.rack[")
