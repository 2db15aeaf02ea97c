"""``govcloud evidence``: the bundle, its SHA-256 manifest, and checking it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud import evidence
from govcloud.cli import cli
from govcloud.report.baseline import subjects_of

WAIVERS = (
    "waivers:\n"
    "  - {rule: eol-os, target: 'hy-jyt-small*', reason: 第一批退役, approver: 张工, ticket: OA-2026-0142, expires: 2099-12-31}\n"
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("evidence")
    waivers = folder / "豁免清单.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    out = folder / "证据包"
    result = CliRunner().invoke(
        cli, ["evidence", "--out", str(out), "--waivers", str(waivers), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_bundle_holds_every_format_the_rules_waivers_and_a_ledger_digest(bundle: Path) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {
        "baseline.json",
        "baseline.md",
        "baseline.sarif",
        "baseline.junit.xml",
        "coverage-matrix.json",
        "coverage-matrix.md",
        "ledger-digest.json",
        "waivers/豁免清单.yaml",
        "policies/coverage.yaml",
        "policies/rules/eol-os.yaml",
        evidence.MANIFEST,
    } <= names
    assert (bundle / "waivers/豁免清单.yaml").read_text(encoding="utf-8") == WAIVERS
    digest = json.loads((bundle / "ledger-digest.json").read_text(encoding="utf-8"))
    assert any(f["path"].endswith("省公安厅.yaml") for f in digest["files"])
    assert all(len(f["sha256"]) == 64 for f in digest["files"])
    baseline = json.loads((bundle / "baseline.json").read_text(encoding="utf-8"))
    waived = [f for f in baseline["findings"] if f["waived"]]
    assert waived
    assert waived[0]["waiver"]["ticket"] == "OA-2026-0142"
    # the evidence of every subject's state: each waived subject is one of its rule's waived ones
    assert baseline["schema_version"] == 2
    for f in waived:
        assert f["subject"] in subjects_of(baseline, f["rule"], "waived")


def test_the_matrix_lists_clauses_needing_manual_evidence(bundle: Path) -> None:
    matrix = json.loads((bundle / "coverage-matrix.json").read_text(encoding="utf-8"))
    manual = [c for c in matrix["clauses"] if c["needs_manual_evidence"]]
    automatic = [c for c in matrix["clauses"] if not c["needs_manual_evidence"]]
    assert manual
    assert automatic
    assert all(c["manual_evidence"] or not c["rules"] for c in manual)
    text = (bundle / "coverage-matrix.md").read_text(encoding="utf-8")
    assert "需人工取证" in text
    header = text.splitlines()[2]
    assert header.startswith("| 条款 | 要求 |"), header  # the Chinese matrix has no English columns
    several = next(line for line in text.splitlines() if line.count("` ") > 1)
    assert "；`" in several  # rules of a clause set apart in Chinese punctuation
    assert "; " not in several


def test_the_manifest_covers_every_other_file_in_sha256sum_format(bundle: Path) -> None:
    lines = (bundle / evidence.MANIFEST).read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert set(listed) == files - {evidence.MANIFEST}
    for name, digest in listed.items():
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest
    assert lines == sorted(lines, key=lambda x: x.split("  ", 1)[1])
    assert evidence.verify(bundle) == []


def test_verify_finds_a_changed_a_missing_and_an_added_file(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    for p in bundle.rglob("*"):
        if p.is_file():
            target = copy / p.relative_to(bundle)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())
    runner = CliRunner()
    assert runner.invoke(cli, ["evidence", "--verify", str(copy)]).exit_code == 0
    (copy / "baseline.md").write_text("edited", encoding="utf-8")
    (copy / "baseline.sarif").unlink()
    (copy / "extra.txt").write_text("x", encoding="utf-8")
    problems = evidence.verify(copy)
    assert any(p.startswith("baseline.md: changed") for p in problems)
    assert any(p.startswith("baseline.sarif: missing") for p in problems)
    assert any(p.startswith("extra.txt: not in the manifest") for p in problems)
    result = runner.invoke(cli, ["evidence", "--verify", str(copy), "--lang", "en"])
    assert result.exit_code == 1
    assert "changed after the run" in result.stdout


def test_same_input_same_bytes_and_a_folder_of_other_files_is_refused(bundle: Path, tmp_path: Path) -> None:
    waivers = tmp_path / "豁免清单.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    runner = CliRunner()
    again = tmp_path / "again"
    assert (
        runner.invoke(
            cli, ["evidence", "--out", str(again), "--waivers", str(waivers), "--lang", "zh"]
        ).exit_code
        == 0
    )
    assert (again / evidence.MANIFEST).read_bytes() == (bundle / evidence.MANIFEST).read_bytes()
    # writing over an earlier bundle is fine; over other files is not
    assert (
        runner.invoke(
            cli, ["evidence", "--out", str(again), "--waivers", str(waivers), "--lang", "zh"]
        ).exit_code
        == 0
    )
    (again / "notes.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(cli, ["evidence", "--out", str(again), "--lang", "en"])
    assert refused.exit_code == 2
    assert "notes.txt" in refused.stderr
