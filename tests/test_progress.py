"""Every stage of the main job reports progress, each named in both languages, drawn on a
terminal and silent otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from govcloud import cache, cli, i18n
from govcloud.pipeline import STAGES, run_plan

Report = tuple[str, int, int]


def _record(mini: Path, out: Path, store: cache.Cache | None = None) -> list[Report]:
    reports: list[Report] = []
    run_plan(mini, out, "en", lambda stage, done, total: reports.append((stage, done, total)), cache=store)
    return reports


def _finished(reports: list[Report]) -> list[str]:
    """The stages in the order they finished (done == total)."""
    return [stage for stage, done, total in reports if done == total]


def test_every_stage_reports_in_order_and_finishes(mini: Path, tmp_path: Path) -> None:
    reports = _record(mini, tmp_path / "out")
    assert _finished(reports) == list(STAGES)
    started = list(dict.fromkeys(stage for stage, _, _ in reports))
    assert started == list(STAGES)
    for stage, done, total in reports:
        assert 0 <= done <= total, stage


def test_stages_with_many_steps_report_each(mini: Path, tmp_path: Path) -> None:
    reports = _record(mini, tmp_path / "out")
    steps = {stage: [done for s, done, _ in reports if s == stage] for stage in STAGES}
    assert steps["load"] == list(range(6))  # five files, then done
    assert steps["analyse"] == list(range(8))  # seven analysers
    written = sum(1 for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert steps["write"] == list(range(written + 1))


def test_a_warm_run_reports_the_cache_and_the_writing(mini: Path, tmp_path: Path) -> None:
    store = cache.Cache(tmp_path / "cache")
    _record(mini, tmp_path / "cold", store)
    assert _finished(_record(mini, tmp_path / "warm", store)) == ["cache", "write"]


def test_an_invalid_ledger_stops_after_validation(mini: Path, tmp_path: Path) -> None:
    (mini / "region.yaml").write_text("region: [\n", encoding="utf-8")
    assert _finished(_record(mini, tmp_path / "out")) == ["load", "validate"]


@pytest.mark.parametrize("stage", [*STAGES, "cache", "graph"])
def test_every_stage_has_a_name_in_both_languages(stage: str) -> None:
    zh, en = i18n.MESSAGES[f"progress.{stage}"]
    assert zh
    assert en
    assert zh != en


def _terminal(monkeypatch: pytest.MonkeyPatch, is_terminal: bool) -> io.StringIO:
    screen = io.StringIO()

    def console(stderr: bool = False) -> Console:
        del stderr
        return Console(file=screen, force_terminal=is_terminal, width=100)

    monkeypatch.setattr(cli, "_console", console)
    return screen


def test_the_bar_names_each_stage_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch, is_terminal=True)
    with cli._progress("zh") as step:
        for stage in STAGES:
            step(stage, 0, 3)
            step(stage, 3, 3)
    drawn = screen.getvalue()
    for stage in STAGES:
        assert i18n.t(f"progress.{stage}", "zh") in drawn


def test_the_bar_is_silent_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch, is_terminal=False)
    with cli._progress("en") as step:
        for stage in STAGES:
            step(stage, 0, 1)
            step(stage, 1, 1)
    assert screen.getvalue() == ""


def test_plan_prints_no_bar_into_a_pipe(mini: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["plan", str(mini), "--out", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 0
    for stage in STAGES:
        assert i18n.t(f"progress.{stage}", "en") not in result.output + result.stderr


def test_the_cyclic_collector_is_paused_while_stages_run_and_back_after(mini: Path, tmp_path: Path) -> None:
    import gc

    seen: dict[str, bool] = {}
    run_plan(mini, tmp_path / "out", "en", lambda stage, _d, _t: seen.setdefault(stage, gc.isenabled()))
    assert gc.isenabled()
    assert not any(seen[stage] for stage in STAGES)


@pytest.mark.parametrize(
    ("command", "stages"),
    [
        (["analyze"], ["load", "validate", "analyse"]),
        (["check", "--state", "both"], ["load", "validate", "analyse", "plan", "stacks", "baseline"]),
        (["graph", "-o", "GRAPH"], ["load", "validate", "graph"]),
    ],
)
def test_other_commands_draw_their_stages(
    monkeypatch: pytest.MonkeyPatch, mini: Path, tmp_path: Path, command: list[str], stages: list[str]
) -> None:
    screen = _terminal(monkeypatch, is_terminal=True)
    args = [a.replace("GRAPH", str(tmp_path / "g.graphml")) for a in command]
    result = CliRunner().invoke(cli.cli, [*args[:1], str(mini), *args[1:], "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    for stage in stages:
        assert i18n.t(f"progress.{stage}", "en") in screen.getvalue(), stage
