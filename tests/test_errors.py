"""One exception base: every error a command exits on derives from it, names its kind of file,
and takes its exit code from the one table in ``govcloud.errors``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govcloud import errors, evidence, generate, safeio, settings
from govcloud.cli import cli
from govcloud.i18n import FAMILIES, LANGS, t
from govcloud.importers.netbox import NetboxError
from govcloud.importers.rvtools import RvtoolsError
from govcloud.ledger import LedgerInvalid
from govcloud.plan.diff import PlanFileError
from govcloud.report.html.inputs import ReportInputError
from govcloud.stacks.diff import StacksFileError
from govcloud.tabular.sheets import SheetError
from govcloud.tabular.values import CellError

ALL = (
    settings.ConfigError,
    safeio.UnsafeInput,
    PlanFileError,
    StacksFileError,
    NetboxError,
    RvtoolsError,
    SheetError,
    CellError,
    ReportInputError,
    evidence.BundleError,
    generate.OutputNotEmpty,
    LedgerInvalid,
)


@pytest.mark.parametrize("error", ALL, ids=lambda e: e.__name__)
def test_every_error_derives_from_the_base_and_has_a_kind(error: type[errors.GovcloudError]) -> None:
    assert issubclass(error, errors.GovcloudError)
    assert error.kind in errors.EXIT_CODES


def test_exit_codes_follow_the_documented_rule() -> None:
    # docs/hostile-input.md: 1 for the inventory and what import reads, 2 for the rest
    ones = {kind for kind, code in errors.EXIT_CODES.items() if code == errors.EXIT_INPUT}
    assert ones == {"inventory", "import", "netbox", "rvtools"}
    assert set(errors.EXIT_CODES.values()) == {errors.EXIT_INPUT, errors.EXIT_USAGE}
    assert (errors.EXIT_OK, errors.EXIT_INPUT, errors.EXIT_USAGE) == (0, 1, 2)
    assert NetboxError("x").exit_code == 1
    assert settings.ConfigError("x").exit_code == 2
    assert settings.ConfigError("x").concerning("scenario").kind == "scenario"


def test_an_error_keeps_its_code_and_params() -> None:
    refusal = safeio.UnsafeInput("bad-shape", where="a.yaml", detail="d")
    assert (refusal.code, refusal.params["where"]) == ("bad-shape", "a.yaml")
    plain = errors.GovcloudError("text", kind="plan", code="invalid.plan", detail="d")
    assert (plain.kind, plain.code, plain.params, str(plain)) == (
        "plan",
        "invalid.plan",
        {"detail": "d"},
        "text",
    )


def test_each_kind_that_is_said_invalid_has_its_own_words() -> None:
    texts = {t(f"invalid.{kind}", "en", detail="") for kind in FAMILIES["invalid.{}"]}
    assert len(texts) == len(FAMILIES["invalid.{}"])
    for lang in LANGS:
        assert t("invalid.scenario", lang, detail="x") != t("invalid.thresholds", lang, detail="x")


def _yaml(path: Path, doc: object) -> Path:
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_a_broken_scenario_is_called_a_scenario(tmp_path: Path, mini: Path) -> None:
    scenario = _yaml(tmp_path / "s.yaml", {"scenario": {"rules": {"wave_max_servers": -1}}})
    args = ["plan", str(mini), "--scenario", str(scenario), "--out", str(tmp_path / "o"), "--no-cache"]
    result = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert result.exit_code == 2
    assert "invalid scenario: " in result.output
    assert "thresholds" not in result.output


def test_a_broken_mapping_is_called_a_mapping_file(tmp_path: Path) -> None:
    source = tmp_path / "rooms.csv"
    source.write_text("id,name,kind\nroom9,机房九,self_built\n", encoding="utf-8")
    mapping = _yaml(tmp_path / "m.yaml", ["not", "a", "mapping"])
    args = ["import", "csv", str(source), "--out", str(tmp_path / "o"), "--mapping", str(mapping)]
    result = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    assert result.exit_code == 2
    assert "映射文件有误：" in result.output


def test_a_broken_plan_json_is_called_a_plan_json(tmp_path: Path, mini: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"not": "a plan"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", str(mini), "--plan", str(plan), "--lang", "en"])
    assert result.exit_code == 2
    assert "invalid plan.json: " in result.output


def test_a_broken_settings_file_says_what_is_wrong_in_words_not_a_code(tmp_path: Path, mini: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("analysis: {a: 1}\nanalysis: {}\n", encoding="utf-8")
    for lang, words in (("en", "key 'analysis' appears twice"), ("zh", "同一映射中键 'analysis' 出现了两次")):
        result = CliRunner().invoke(cli, ["analyze", str(mini), "--config", str(config), "--lang", lang])
        assert result.exit_code == 2
        assert words in result.output
        assert "duplicate-key" not in result.output


def test_a_scenario_refusal_reads_in_the_chosen_language(tmp_path: Path, mini: Path) -> None:
    scenario = _yaml(tmp_path / "s.yaml", {"scenario": {"keep_departments": "all"}})
    args = ["plan", str(mini), "--scenario", str(scenario), "--out", str(tmp_path / "o"), "--no-cache"]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    en = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert "scenario.keep_departments: 应为部门标识的列表" in zh.output
    assert "scenario.keep_departments: expected a list of department ids" in en.output
    assert settings.refused("settings.no-system", "f.yaml", "scenario.force", id="'x'").render("zh") == (
        "f.yaml: scenario.force: 没有系统 'x'"
    )
