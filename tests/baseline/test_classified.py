"""分级保护 apart from 等保: no classified system's id or name in any ordinary output of
``govcloud plan`` or ``govcloud check``; the annex only on request, to a path of its own."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from govcloud.baseline import check
from govcloud.baseline.classified import _forms, placeholders, redact, redaction, redactor, subjects
from govcloud.cli import cli
from govcloud.ledger import load, model
from govcloud.samples import default_inventory

FORMATS = ("table", "json", "md", "sarif", "junit")


@functools.cache
def sample() -> model.Ledger:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    return ledger


def secrets() -> list[str]:
    """Every classified system's id and name (and English name) in the sample."""
    out = []
    for system in sample().systems.values():
        if system.classified:
            out += [system.id, system.name] + ([system.name_en] if system.name_en else [])
    assert len(out) >= 6  # the sample plants three
    return out


def _leaks(text: str) -> list[str]:
    return [s for s in secrets() if s in text]


def test_plan_writes_no_classified_system_in_any_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["plan", "--out", str(out), "--no-cache", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert _leaks(result.stdout) == []
    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    assert len(files) > 20  # the stacks too
    leaks = {str(p.relative_to(out)): _leaks(p.read_text(encoding="utf-8")) for p in files}
    assert {k: v for k, v in leaks.items() if v} == {}
    assert "3 classified systems assessed separately" in (out / "baseline.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("state", ["as-is", "both"])
def test_check_prints_no_classified_system_in_any_format(fmt: str, state: str, tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["check", "--state", state, "--format", fmt, "--lang", "zh"])
    assert printed.exit_code == 0, printed.output
    assert _leaks(printed.output) == []
    target = tmp_path / f"baseline.{fmt}"
    written = runner.invoke(cli, ["check", "--state", state, "--format", fmt, "-o", str(target)])
    assert written.exit_code == 0
    assert _leaks(target.read_text(encoding="utf-8")) == []


def test_the_annex_is_written_only_on_request_and_holds_them(tmp_path: Path) -> None:
    annex = tmp_path / "涉密" / "附件.md"
    annex.parent.mkdir()
    result = CliRunner().invoke(
        cli, ["check", "--state", "as-is", "--classified-annex", str(annex), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    text = annex.read_text(encoding="utf-8")
    for system in sample().systems.values():
        if system.classified:
            assert system.id in text
    assert "BMB17" in text
    assert _leaks(result.stdout) == []


def test_the_annex_cannot_go_among_the_ordinary_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["plan", "--out", str(out), "--classified-annex", str(out / "annex.md"), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert not out.exists()  # refused before anything was written


def test_classified_systems_and_their_servers_are_assessed_apart() -> None:
    ledger = sample()
    apart = subjects(ledger)
    _, result = check(ledger, None, None, "as-is")
    assert result.separately == {"systems": 3}
    assert result.annex is not None
    seen = {f.subject for f in result.findings + result.unevaluated}
    seen |= {s for ids in result.passed.values() for s in ids}
    seen |= {s for ids in result.not_applicable.values() for s in ids}
    assert not seen & {ident for _, ident in apart}
    annexed = {f.subject for f in result.annex.findings + result.annex.unevaluated}
    annexed |= {s for ids in result.annex.passed.values() for s in ids}
    assert annexed == {ident for kind, ident in apart if kind == "systems"}


def test_redaction_replaces_whole_ids_and_every_written_form_of_a_name() -> None:
    ledger = sample()
    table = placeholders(ledger)
    ident = next(k for k in table if k.isascii() and k.startswith("hy-"))
    name = next(s.name for s in ledger.systems.values() if s.id == ident)
    text = f'{ident} "{ident}" {ident}-db x{ident} {name} sys-{ident}'
    out = redact({"a": text.encode()}, ledger)["a"].decode()
    assert ident not in out.replace(f"{ident}-db", "").replace(f"x{ident}", "")
    assert f"{ident}-db" in out  # a longer id is left alone
    assert name not in out
    assert table[ident] in out


def test_a_waiver_of_a_classified_system_is_used_in_the_annex_only(tmp_path: Path) -> None:
    secret = next(s for s in sample().systems.values() if s.classified)
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n"
        f"  - {{rule: mfa-admin, target: {secret.id}, reason: r, approver: 张工, ticket: T-1, expires: 2099-01-01}}\n"
        f"  - {{rule: backup-local, target: {secret.id}, reason: r, approver: 张工, ticket: T-2, expires: 2020-01-01}}\n",
        encoding="utf-8",
    )
    annex = tmp_path / "annex.md"
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "--state",
            "as-is",
            "--format",
            "json",
            "--waivers",
            str(waivers),
            "--classified-annex",
            str(annex),
            "--allow-expired-waivers",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert _leaks(result.stdout) == []
    assert _leaks(result.stderr) == []
    assert "1 waivers of classified systems have expired" in result.stderr
    text = annex.read_text(encoding="utf-8")
    assert secret.id in text
    assert "T-1" in text  # the waiver used
    gated = CliRunner().invoke(cli, ["check", "--state", "as-is", "--waivers", str(waivers)])
    assert gated.exit_code == 1  # the expired one fails the run, unnamed
    assert _leaks(gated.stderr) == []


_PIECES = ["a", "-", ".", "_", " ", '"', "\\", "<", "&", "x1", "\n", "系统"]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_redaction_by_find_replaces_exactly_what_the_pattern_does(data: st.DataObject) -> None:
    ledger = sample()
    table = placeholders(ledger)
    pattern = redactor(ledger)
    assert pattern is not None
    lookup = {form: table[key] for key in table for form in _forms(key)}
    written = sorted(lookup)
    text = "".join(data.draw(st.lists(st.sampled_from(written) | st.sampled_from(_PIECES), max_size=30)))
    expected = pattern.sub(lambda m: lookup[m.group(0)], text)
    assert redact({"f": text.encode("utf-8")}, ledger)["f"].decode("utf-8") == expected


def _classified_text(data: st.DataObject, ledger: model.Ledger, pieces: int) -> str:
    """Up to ``pieces`` pieces: every written form of the ledger's classified names and ids,
    and the text around them."""
    forms = sorted({form for key in placeholders(ledger) for form in _forms(key)})
    return "".join(data.draw(st.lists(st.sampled_from(forms) | st.sampled_from(_PIECES), max_size=pieces)))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_redaction_of_bytes_replaces_exactly_what_redact_does(data: st.DataObject) -> None:
    ledger = sample()
    text = _classified_text(data, ledger, 30)
    expected = redact({"f": text.encode("utf-8")}, ledger)["f"]
    assert b"".join(redaction(ledger)(text.encode("utf-8"))) == expected


def test_redaction_of_a_ledger_without_classified_systems_changes_nothing() -> None:
    ledger = sample()
    plain = dataclasses.replace(
        ledger,
        systems={k: dataclasses.replace(s, classification="none") for k, s in ledger.systems.items()},
    )
    data = "".join(sorted({f for key in placeholders(ledger) for f in _forms(key)})).encode("utf-8")
    assert redaction(plain)(data) == [data]
    assert b"".join(redaction(ledger)(data)) != data


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_redaction_of_a_stream_of_blocks_replaces_exactly_what_redact_does(data: st.DataObject) -> None:
    ledger = sample()
    text = _classified_text(data, ledger, 40)
    raw = text.encode("utf-8")
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=8)))
    blocks = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]
    expected = redact({"f": raw}, ledger)["f"]
    assert b"".join(redaction(ledger).stream(iter(blocks))) == expected
