"""The report's compliance section shows the states, the waivers and the residual view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govcloud.cli import cli

WAIVERS = """waivers:
  - {rule: eol-os, target: 'hy-jyt-small*', reason: 第一批迁移时退役, approver: 张工, ticket: OA-2026-0142, expires: 2099-06-30}
  - {rule: mfa-admin, target: hd-wjj-sys01, reason: 等待堡垒机采购, approver: 李处长, ticket: OA-2025-0007, expires: 2025-12-31}
"""


@pytest.fixture(scope="module")
def waived_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("waived")
    waivers = folder / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(
        cli, ["plan", "--out", str(out), "--waivers", str(waivers), "--no-cache", "--lang", "en"]
    )
    return out, result.exit_code


def _section(out: Path) -> str:
    page = (out / "report.html").read_text(encoding="utf-8")
    start = page.index('<section id="compliance"')
    return page[start : page.index("</section>", start)]


def test_an_expired_waiver_fails_plan_by_default(waived_out: tuple[Path, int], tmp_path: Path) -> None:
    _, code = waived_out
    assert code == 1
    waivers = tmp_path / "w.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            "--out",
            str(tmp_path / "o"),
            "--waivers",
            str(waivers),
            "--allow-expired-waivers",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0
    assert "expired waiver: mfa-admin hd-wjj-sys01" in result.stderr


def test_the_section_shows_every_state_with_its_count(waived_out: tuple[Path, int]) -> None:
    section = _section(waived_out[0])
    text = re.sub(r"<[^>]+>", " ", section)
    for label in ("pass", "fail", "waived", "not evaluated", "not applicable"):
        assert label in text
    assert 'class="num status-not-evaluated"' in section
    assert "3 classified systems assessed separately" in text
    assert "not recorded" in text or "fields the ledger does not record" in text


def test_the_section_shows_each_waiver_with_approver_ticket_and_expiry(waived_out: tuple[Path, int]) -> None:
    section = _section(waived_out[0])
    for text in (
        "张工",
        "OA-2026-0142",
        "2099-06-30",
        "第一批迁移时退役",
        "李处长",
        "OA-2025-0007",
        "expired: waives nothing",
    ):
        assert text in section


def test_the_section_shows_the_residual_view_and_the_retests(waived_out: tuple[Path, int]) -> None:
    section = _section(waived_out[0])
    assert 'id="compliance-residual"' in section
    assert "remain after the last wave" in section
    assert 'id="compliance-retests"' in section
