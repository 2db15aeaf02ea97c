"""The registry of finding kinds: every kind complete, and every list of kinds read from it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import jsonschema
import pytest
from click.testing import CliRunner

from govcloud.analysis import FINDING_KINDS, Finding, FindingKind, analyse, kind_names
from govcloud.analysis.common import Facts
from govcloud.analysis.config import Thresholds
from govcloud.cli import cli
from govcloud.i18n import t
from govcloud.ledger import load
from govcloud.report import analysis as report
from govcloud.samples import default_inventory

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", kind_names())
def test_every_kind_is_complete(name: str) -> None:
    kind = FINDING_KINDS[name]
    assert kind.name == name
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name)
    assert callable(kind.find)
    zh, en = t(kind.title_code, "zh"), t(kind.title_code, "en")
    assert zh != kind.title_code, f"{kind.title_code} has no message"
    assert CJK.search(zh), f"{kind.title_code} has no Chinese text"
    assert en != kind.title_code, f"{kind.title_code} has no message"
    assert not CJK.search(en), f"{kind.title_code} is not English"


def test_schema_cli_and_report_lists_are_the_registry() -> None:
    assert report.schema()["$defs"]["kind"]["enum"] == list(kind_names())
    help_text = CliRunner().invoke(cli, ["analyze", "--help"], terminal_width=400).output
    assert f"[{'|'.join(kind_names())}]" in help_text


def test_the_registry_refuses_a_name_twice() -> None:
    with pytest.raises(ValueError, match="finding kind 'same-asset' is registered twice"):
        FINDING_KINDS.add("same-asset", FINDING_KINDS["same-asset"])


def test_every_finding_on_the_sample_has_its_texts_in_both_languages() -> None:
    result = load(default_inventory())
    assert result.ledger is not None
    findings = analyse(result.ledger).findings
    assert {f.kind for f in findings} == set(kind_names())  # the sample shows every kind
    for finding in findings:
        for code in (f"finding.{finding.reason}", f"recommend.{finding.recommendation}"):
            assert t(code, "zh") != code, code
            assert t(code, "en") != code, code


_PARAMS = {"count": 1, "names": "x", "keys": "serial", "score": 1.0, "threshold": 0.8}


def _one_per_room(facts: Facts, thresholds: Thresholds) -> Iterator[Finding]:
    del thresholds
    site = sorted(facts.ledger.sites)[0]
    yield Finding("test-dummy", (f"site:{site}",), "same-asset", "merge-records", params=_PARAMS)


def test_a_kind_registered_at_run_time_appears_in_the_cli_and_every_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Registering is all it takes: the CLI offers it, analyse runs it, the JSON counts it (and
    validates against the schema), the Markdown gives it a section (titled by its code until
    its message is in the catalogues: the strict test setting would refuse that)."""
    monkeypatch.setenv("GOVCLOUD_STRICT_MESSAGES", "0")
    with FINDING_KINDS.extended("test-dummy", FindingKind("test-dummy", _one_per_room)):
        runner = CliRunner()
        assert "test-dummy" in runner.invoke(cli, ["analyze", "--help"], terminal_width=400).output
        out = runner.invoke(cli, ["analyze", "--kind", "test-dummy", "--format", "json", "--lang", "en"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        jsonschema.validate(data, report.schema())
        assert [f["kind"] for f in data["findings"]] == ["test-dummy"]
        assert data["totals"]["by_kind"]["test-dummy"]["candidates"] == 1
        md = runner.invoke(cli, ["analyze", "--kind", "test-dummy", "--format", "md", "--lang", "en"]).output
        assert "## analysis.kind.test-dummy" in md  # the title message is the one piece left to add
    assert "test-dummy" not in kind_names()
    refused = CliRunner().invoke(cli, ["analyze", "--kind", "test-dummy"])
    assert refused.exit_code == 2
