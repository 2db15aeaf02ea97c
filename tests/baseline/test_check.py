"""The baseline on the sample: as-is finds the planted weaknesses, to-be (the emitted stacks)
is clean; waivers; SARIF validates against the 2.1.0 schema; JUnit parses; the CI gate."""

from __future__ import annotations

import datetime as dt
import functools
import json
import pickle
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.analysis import analyse
from govcloud.baseline import Result, Rule, Waiver, _in_part, check, ledger_part, load_rules
from govcloud.cli import cli
from govcloud.ledger import load, model
from govcloud.plan import Plan, build
from govcloud.report import baseline as report
from govcloud.samples import default_inventory
from govcloud.stacks import Stack, build_stacks
from tests.conftest import sample_planned
from tests.plan.test_plan_properties import ledgers

SARIF_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@functools.cache
def sample() -> tuple[list[Rule], Result]:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    plan = build(ledger, analyse(ledger))
    return check(ledger, plan, build_stacks(plan))


def _subjects(rule: str) -> set[str]:
    return {f.subject for f in sample()[1].findings if f.rule == rule}


def test_as_is_finds_the_planted_weaknesses() -> None:
    oa = "hd-wjj-sys01"  # the level-3 OA with password-only administration
    assert oa in _subjects("mfa-admin")
    assert oa in _subjects("backup-offsite")
    assert oa in _subjects("log-retention-6m")
    assert "hy-jyt-small1" in _subjects("eol-os")  # CentOS 6 under the idle exam system
    assert _subjects("no-mgmt-from-internet")  # a portal exposing 22 and 3389
    assert {"hy-jyt-private", "hy-wjw-private"} <= _subjects("cidr-no-conflict")
    assert _subjects("crypto-transport")


def test_to_be_is_clean() -> None:
    _, result = sample()
    assert [f for f in result.findings if f.state == "to-be"] == []
    rules = {r.id: r for r in sample()[0]}
    checked = {rid: n for rid, n in result.checked.items() if rules[rid].state == "to-be"}
    assert checked["disk-encrypted"] > 0  # the to-be rules really looked at resources
    assert checked["sg-no-world-admin"] > 0
    assert checked["os-volume-encrypted"] > 0


def test_waivers_mark_findings_and_expired_ones_are_findings() -> None:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    waivers = [
        Waiver(
            "eol-os", "hy-jyt-small*", "retired in wave 1", "张工", dt.date(2027, 1, 1), "w.yaml waivers[0]"
        ),
        Waiver("mfa-admin", "x", "old", "李工", dt.date(2020, 1, 1), "w.yaml waivers[1]"),
        Waiver("no-such-rule", "x", "typo", "王工", dt.date(2027, 1, 1), "w.yaml waivers[2]"),
    ]
    _, result = check(ledger, None, None, "as-is", waivers=waivers, today=dt.date(2026, 7, 1))
    waived = {f.subject for f in result.findings if f.waived}
    assert waived == {"hy-jyt-small1"}
    assert {f.rule for f in result.findings if f.state == "waivers"} == {
        "waiver-expired",
        "waiver-unknown-rule",
    }


def test_sarif_validates_and_junit_parses() -> None:
    rules, result = sample()
    document = report.sarif(rules, result, "zh")
    jsonschema.validate(document, SARIF_SCHEMA)
    results = document["runs"][0]["results"]
    counts = result.counts()
    kinds = Counter()
    for r in results:
        kinds[r["kind"]] += r["properties"]["subjects"] if r["kind"] in ("pass", "notApplicable") else 1
    assert kinds == {
        "pass": counts["pass"],
        "fail": counts["fail"] + counts["waived"],
        "review": counts["not-evaluated"],
        "notApplicable": counts["not-applicable"],
    }
    assert all(r["level"] == "none" for r in results if r["kind"] != "fail")
    assert document["runs"][0]["properties"]["states"] == counts
    root = ET.fromstring(report.junit(rules, result, "en"))  # noqa: S314 - our own output
    assert (
        int(root.get("tests", "0"))
        == counts["pass"] + counts["fail"] + counts["waived"] + counts["not-evaluated"]
    )
    assert int(root.get("failures", "0")) == counts["fail"]
    skipped = root.findall(".//skipped")
    assert len(skipped) == int(root.get("skipped", "0")) == counts["not-evaluated"] + counts["waived"]
    assert all("not recorded:" in (s.get("message") or "") for s in skipped)


def test_cli_gate_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["check", "--state", "to-be", "--fail-on", "low"])
    assert clean.exit_code == 0
    failing = runner.invoke(
        cli, ["check", "--state", "as-is", "--fail-on", "critical", "--format", "json", "--lang", "en"]
    )
    assert failing.exit_code == 1
    assert json.loads(failing.stdout)["summary"]["by_severity"]["critical"] >= 1
    target = tmp_path / "基线.sarif"
    assert (
        runner.invoke(cli, ["check", "--state", "as-is", "--format", "sarif", "-o", str(target)]).exit_code
        == 0
    )
    jsonschema.validate(json.loads(target.read_text(encoding="utf-8")), SARIF_SCHEMA)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - {rule: eol-os, target: '*', reason: r, approver: a, ticket: T-1}\n", encoding="utf-8"
    )
    bad = runner.invoke(cli, ["check", "--waivers", str(waivers), "--lang", "en"])
    assert bad.exit_code == 2
    assert "expires" in bad.stderr


def test_servers_of_no_system_and_isolated_lines() -> None:
    assert "hy-zrzyt-idle1" in _subjects("eol-os")  # Windows Server 2008, in no recorded system
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    isolated = {
        ln.id
        for ln in ledger.lines.values()
        if ln.network in ("hy-gat-gaw", "hy-rst-jinbao", "hy-gat-sm", "hy-czt-sm")
    }
    assert not isolated & _subjects("crypto-transport")


def test_json_validates_against_its_shipped_schema_and_findings_have_lines() -> None:
    rules, result = sample()
    schema = json.loads((Path(report.__file__).with_name("baseline.schema.json")).read_text(encoding="utf-8"))
    data = report.to_json(rules, result, "zh")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    as_is = [f for f in data["findings"] if f["state"] == "as-is"]
    assert as_is
    assert all(f["line"] for f in as_is)


def test_finding_lines_from_the_loader_are_where_the_entities_are_written() -> None:
    """The loader notes each entity's line; the baseline uses it instead of composing every
    file again, and it is the line the file's own composition gives."""
    from govcloud.ledger.yamlio import Locator

    located = 0
    locators: dict[str, Locator] = {}
    for f in sample()[1].findings:
        if f.state != "as-is" or not f.path:
            continue
        kind, index = f.path.rstrip("]").split("[")
        if f.file not in locators:
            # findings name files relative to the ledger's root, wherever it sits
            assert not Path(f.file).is_absolute(), f.file
            locators[f.file] = Locator((default_inventory() / f.file).read_text(encoding="utf-8"))
        position = locators[f.file].position((kind, int(index)))
        assert position is not None
        assert f.line == position[0], f
        located += 1
    assert located > 20


def test_findings_name_the_same_files_wherever_the_ledger_sits(tmp_path: Path) -> None:
    """Paths are made relative once, when the ledger is loaded: check() is given no root."""
    import shutil

    elsewhere = tmp_path / "别处" / "台账"
    shutil.copytree(default_inventory(), elsewhere)
    named = []
    for root in (default_inventory(), elsewhere):
        ledger = load(root).ledger
        assert ledger is not None
        named.append(
            sorted(
                {(f.rule, f.subject, f.file, f.line) for f in check(ledger, None, None, "as-is")[1].findings}
            )
        )
    assert named[0] == named[1]
    assert named[0]
    assert all(file.startswith("departments/") for _, _, file, _ in named[0])


def test_entities_built_without_a_line_are_still_located(tmp_path: Path) -> None:
    """An entity whose source has no line (built in code, not by the loader) is located by
    composing its file, as before."""
    import dataclasses

    ledger = load(default_inventory()).ledger
    assert ledger is not None
    stripped = dataclasses.replace(
        ledger,
        servers={
            k: dataclasses.replace(s, source=dataclasses.replace(s.source, line=None))
            for k, s in ledger.servers.items()
        },
    )
    plan = build(ledger, analyse(ledger))
    with_lines = {(f.rule, f.subject): f.line for f in check(ledger, plan, None, "as-is")[1].findings}
    without = {(f.rule, f.subject): f.line for f in check(stripped, plan, None, "as-is")[1].findings}
    assert without == with_lines
    assert any(f.kind == "servers" for f in check(stripped, plan, None, "as-is")[1].findings)


def test_waived_findings_are_suppressed_in_sarif_and_skipped_in_junit() -> None:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    waiver = Waiver(
        "eol-os", "hy-jyt-small*", "退役", "张工", dt.date(2099, 1, 1), "w.yaml waivers[0]", "OA-1"
    )
    rules, result = check(ledger, None, None, "as-is", waivers=[waiver], today=dt.date(2026, 7, 1))
    document = report.sarif(rules, result, "en")
    jsonschema.validate(document, SARIF_SCHEMA)
    suppressed = [r for r in document["runs"][0]["results"] if r.get("suppressions")]
    assert len(suppressed) == result.counts()["waived"] >= 1
    assert suppressed[0]["suppressions"][0]["properties"]["ticket"] == "OA-1"
    root = ET.fromstring(report.junit(rules, result, "en"))  # noqa: S314 - our own output
    messages = [s.get("message") or "" for s in root.iter("skipped")]
    assert any("张工" in m and "OA-1" in m for m in messages)
    [suite] = [s for s in root if s.get("name", "").startswith("eol-os")]
    props = {p.get("name"): int(p.get("value") or 0) for p in suite.iter("property")}
    assert props == result.rule_counts("eol-os")


# ---- the ledger's part (ledger_part), made apart and merged by check


def _exact(result: Result) -> tuple[object, ...]:
    """Everything of a result, its tables' order included (dicts compare without it)."""
    tables = (result.checked, result.passed, result.not_applicable, result.separately)
    own = (result.findings, result.unevaluated, *(list(t.items()) for t in tables))
    return (*own, _exact(result.annex) if result.annex is not None else None)


def _same_either_way(ledger: model.Ledger, plan: Plan | None, stacks: list[Stack] | None, **kw: Any) -> None:
    alone = check(ledger, plan, stacks, **kw)
    level = kw.get("level")
    split = check(ledger, plan, stacks, ledger_part=ledger_part(ledger, level=level), **kw)
    assert split[0] == alone[0]
    assert _exact(split[1]) == _exact(alone[1])
    # sent to the parent or kept in the cache: pickled
    again = pickle.loads(pickle.dumps(ledger_part(ledger, level=level)))  # noqa: S301 - its own
    assert _exact(check(ledger, plan, stacks, ledger_part=again, **kw)[1]) == _exact(alone[1])


def test_the_check_with_the_ledgers_part_is_the_check_in_one_piece_on_the_sample() -> None:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    planned = sample_planned()
    waivers = [
        Waiver("eol-os", "hy-czt-srv00*", "moved", "张工", dt.date(2099, 1, 1), "w.yaml waivers[0]"),
        Waiver("mfa-admin", "*", "soon", "李工", dt.date(2099, 1, 1), "w.yaml waivers[1]"),
        # a classified system's (to the annex), an expired one, an unknown rule, an unused one
        Waiver("redundant-lines", "hy-czt-secret", "line", "王工", dt.date(2099, 1, 1), "w.yaml waivers[2]"),
        Waiver("warranty-valid", "hd-wjj-srv007", "old", "赵工", dt.date(2020, 1, 1), "w.yaml waivers[3]"),
        Waiver("no-such-rule", "x", "typo", "王工", dt.date(2099, 1, 1), "w.yaml waivers[4]"),
        Waiver("site-bastion", "nowhere", "none", "王工", dt.date(2099, 1, 1), "w.yaml waivers[5]"),
    ]
    today = dt.date(2026, 7, 1)
    for state in ("both", "as-is", "to-be"):
        _same_either_way(ledger, planned.plan, planned.stacks, state=state)
    _same_either_way(ledger, planned.plan, planned.stacks, waivers=waivers, today=today)
    _same_either_way(ledger, None, None, state="as-is", waivers=waivers, today=today)
    for level in (2, 3, 4):
        _same_either_way(ledger, planned.plan, planned.stacks, level=level)
    result = check(ledger, planned.plan, planned.stacks, ledger_part=ledger_part(ledger))[1]
    assert result.annex is not None
    assert result.annex.findings  # the annex is checked too
    assert result.separately["systems"] == 3  # counted once, by the part


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.sampled_from([None, 2, 3]))
def test_the_check_with_the_ledgers_part_is_the_check_in_one_piece_on_any_ledger(
    led: model.Ledger, level: int | None
) -> None:
    plan = build(led, analyse(led))
    _same_either_way(led, plan, build_stacks(plan), level=level)


def test_a_part_checked_by_other_rules_is_refused() -> None:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    with pytest.raises(ValueError, match="other rules"):
        check(ledger, None, None, "as-is", level=3, ledger_part=ledger_part(ledger, level=4))


def test_the_part_holds_every_rule_that_reads_nothing_of_the_plan() -> None:
    parted = {r.id for r in load_rules() if _in_part(r)}
    assert {"eol-os", "warranty-valid", "site-bastion", "mfa-admin"} <= parted
    # they say whether and where a system moves
    assert not parted & {"cloud-level-covers-system", "classified-isolated", "redundant-lines"}
    assert not any(r.state == "to-be" for r in load_rules() if r.id in parted)
