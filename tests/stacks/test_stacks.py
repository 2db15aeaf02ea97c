"""Stacks as data and as projects: layout, determinism, diff, and what never goes into them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.analysis import analyse
from govcloud.cli import cli
from govcloud.ledger import model
from govcloud.plan import build
from govcloud.stacks import build_stacks, write_stacks
from govcloud.stacks.layout import layouts
from tests.analysis.builders import dept, ledger, server, site, system

PRICES = model.Prices(instance_types=(model.InstanceType("prov", "ecs.g7.large", 2, 8, 300),))


def _plan(name: str = "门户网站", port: int | None = 443):  # type: ignore[no-untyped-def]
    node = model.CloudNode(
        "prov", "省云", "alicloud", "cn-hangzhou", (model.Zone("h"), model.Zone("i")), 3, archs=("x86_64",)
    )
    led = ledger(
        dept("a"),
        dept("b"),
        node,
        site("r", "a"),
        site("rb", "b"),
        server("s1", "a", "r", cpu_cores=2, memory_gb=4),
        server("s2", "b", "rb", cpu_cores=2, memory_gb=4),
        system(
            "web",
            "a",
            name=name,
            servers=("s1",),
            internet_facing=True,
            exposed_ports=(22, 443, 3389),
            dependencies=(model.Dependency("db", "tcp", port),),
        ),
        system("db", "b", servers=("s2",)),
        prices=PRICES,
    )
    return build(led, analyse(led))


def test_rules_follow_the_dependency_graph() -> None:
    [layout] = layouts(_plan())
    rules = [(r.department, r.port, r.source) for rules in layout.rules_by_wave.values() for r in rules]
    a_subnets = layout.department_cidrs("a")
    assert {("b", 443, cidr) for cidr in a_subnets} <= set(rules)  # web's subnets may reach db on 443
    assert ("a", 443, "0.0.0.0/0") in rules  # the public port of the internet-facing system
    assert ("a", 22, "0.0.0.0/0") not in rules  # management ports are never public …
    assert ("a", 22, layout.mgmt_subnet) in rules  # … only reachable from the bastion's subnet
    assert not any(port == 443 and dept == "b" and src == "0.0.0.0/0" for dept, port, src in rules)


def test_a_dependency_without_a_port_opens_nothing() -> None:
    [layout] = layouts(_plan(port=None))
    assert not any(
        r.department == "b" and r.port not in (22, 3389) for rs in layout.rules_by_wave.values() for r in rs
    )


def test_inventory_text_stays_data(tmp_path: Path) -> None:
    hostile = '"); import os; os.system("x") # {{ 7*7 }} <script>'
    write_stacks(build_stacks(_plan(name=hostile)), tmp_path / "a")
    write_stacks(build_stacks(_plan()), tmp_path / "b")
    for folder in (tmp_path / "a").iterdir():
        if folder.is_dir():
            # the program is byte-identical whatever the inventory says
            assert (folder / "__main__.py").read_bytes() == (
                tmp_path / "b" / folder.name / "__main__.py"
            ).read_bytes()
            assert "os.system" not in (folder / "__main__.py").read_text(encoding="utf-8")


def test_same_plan_same_bytes_and_stale_stacks_removed(tmp_path: Path) -> None:
    stacks = build_stacks(_plan())
    write_stacks(stacks, tmp_path / "one")
    write_stacks(stacks, tmp_path / "two")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()
    stale = tmp_path / "one" / "govcloud-old-wave9"
    stale.mkdir()
    (stale / "resources.json").write_text("{}", encoding="utf-8")
    keep = tmp_path / "one" / "notes"
    keep.mkdir()
    write_stacks(stacks, tmp_path / "one")
    assert not stale.exists()
    assert keep.exists()


def test_stacks_diff(tmp_path: Path) -> None:
    write_stacks(build_stacks(_plan()), tmp_path / "old")
    write_stacks(build_stacks(_plan(port=8443)), tmp_path / "new")
    result = CliRunner().invoke(
        cli, ["stacks", "diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json"]
    )
    assert result.exit_code == 0
    changes = json.loads(result.stdout)["stacks"]
    [(project, entry)] = [(p, e) for p, e in changes.items() if "wave" in p]
    assert any("8443" in name for name in entry["added"])
    same = CliRunner().invoke(
        cli, ["stacks", "diff", str(tmp_path / "old"), str(tmp_path / "old"), "--lang", "en"]
    )
    assert same.stdout == "no changes\n"
    assert project.startswith("govcloud-r-prov-wave")
    for lang, state, none in (("en", "changed", "no changes"), ("zh", "变更", "没有变化")):
        listed = CliRunner().invoke(
            cli, ["stacks", "diff", str(tmp_path / "old"), str(tmp_path / "new"), "--lang", lang]
        )
        assert listed.exit_code == 0
        assert f"{project} ({state}): +" in listed.stdout
        assert any(line.startswith("  + ") and "8443" in line for line in listed.stdout.splitlines())
        same = CliRunner().invoke(
            cli, ["stacks", "diff", str(tmp_path / "old"), str(tmp_path / "old"), "--lang", lang]
        )
        assert same.stdout == none + "\n"


def test_a_server_no_type_fits_is_left_out_with_a_note(tmp_path: Path) -> None:
    """2 cores need 3 vCPU with headroom; the only type has 2: the verifier fails the plan, and
    the stack holds no placeholder instance but says what is missing."""
    stacks = build_stacks(_plan())
    waves = [s for s in stacks if s.kind == "wave"]
    assert waves
    assert not [r for s in waves for r in s.resources if r.type.endswith("instance:Instance")]
    write_stacks(stacks, tmp_path)
    readmes = "".join((tmp_path / s.project / "README.md").read_text(encoding="utf-8") for s in waves)
    assert "Not created here: s1" in readmes
    assert "no-instance-type" in readmes
    for s in waves:
        assert "REPLACE" not in (tmp_path / s.project / "resources.json").read_text(encoding="utf-8")


def test_readme_lists_every_configuration_key_of_the_sample() -> None:
    """README's "Applying the plan" names each key the sample's stacks need (per-room,
    per-system and per-image keys by their pattern)."""
    import re

    from tests.stacks.sample import stacks

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Applying the plan") : readme.index("## The ledger")]
    patterns = [
        (r"^(roomGatewayIp|vpnPsk)-.+$", r"\1-<room>"),
        (r"^(publicDomain|certId)-.+$", r"\1-<system>"),
        (r"^imageId-.+$", "imageId-<family>-<arch>"),
    ]
    for stack in stacks().values():
        for key in stack.settings:
            shown = key
            for pattern, repl in patterns:
                shown = re.sub(pattern, repl, shown)
            assert f"`{shown}`" in section, key
    assert "State backend" in section
    assert "Order." in section


def test_chinese_ids_make_distinct_names(tmp_path: Path) -> None:
    from govcloud.stacks.common import slug

    assert slug("公安厅") != slug("教育厅")
    assert slug("公安厅") == slug("公安厅")
    assert slug("hy-gat") == "hy-gat"  # ASCII ids keep their names
    node = model.CloudNode(
        "省云", "省云", "alicloud", "cn-hangzhou", (model.Zone("h"),), 3, archs=("x86_64",)
    )
    prices = model.Prices(instance_types=(model.InstanceType("省云", "ecs.g7.xlarge", 4, 16, 300),))
    led = ledger(
        dept("公安厅"),
        dept("教育厅"),
        node,
        site("机房甲", "公安厅"),
        site("机房乙", "教育厅"),
        server("服务器1", "公安厅", "机房甲", cpu_cores=2, memory_gb=4),
        server("服务器2", "教育厅", "机房乙", cpu_cores=2, memory_gb=4),
        system("警务", "公安厅", servers=("服务器1",), dependencies=(model.Dependency("教务", "tcp", 443),)),
        system("教务", "教育厅", servers=("服务器2",)),
        prices=prices,
    )
    stacks = build_stacks(build(led, analyse(led)))  # raises on two resources of one name
    names = [r.name for s in stacks for r in s.resources]
    assert len([n for n in names if n.startswith("sg-")]) == 2
    write_stacks(stacks, tmp_path)
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == len(stacks)


def test_ids_that_differ_only_by_case_or_are_chinese_get_distinct_names() -> None:
    from govcloud.stacks.common import slug

    assert slug("hy-gat") == "hy-gat"  # safe ids keep their names: emitted stacks do not change
    names = {slug(i) for i in ("hy-D", "hy-d", "甲局", "乙局", "a_b", "a.b", "a-b")}
    assert len(names) == 7
    assert all(n == n.lower() and n.replace("-", "").isalnum() for n in names)


def test_leaving_out_the_egress_rules_alicloud_never_uses_changes_no_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govcloud.stacks import build as stacks_build
    from govcloud.stacks.providers import PROVIDERS
    from tests.stacks.sample import plan

    assert not PROVIDERS["alicloud"].egress_rules
    assert PROVIDERS["openstack"].egress_rules
    lean = build_stacks(plan())
    monkeypatch.setattr(stacks_build, "_egress_rules", lambda node: True)  # every node's, as before
    whole = build_stacks(plan())
    assert [s.to_json() for s in lean] == [s.to_json() for s in whole]
    assert json.dumps([s.to_json() for s in lean]) == json.dumps(
        [s.to_json() for s in whole]
    )  # key order too
    assert any(r.name.startswith("rule-") for s in lean if s.provider == "alicloud" for r in s.resources)
