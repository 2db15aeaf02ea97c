"""govcloud generate: deterministic synthetic regions that validate, at any size."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from govcloud.cli import cli
from govcloud.generate import generate
from govcloud.ledger import load


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_same_seed_same_bytes_other_seed_other_region(tmp_path: Path) -> None:
    runner = CliRunner()
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        result = runner.invoke(
            cli, ["generate", str(tmp_path / name), "--servers", "200", "--seed", seed, "--lang", "en"]
        )
        assert result.exit_code == 0, result.output
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert "departments/海岳省公安厅.yaml" in _files(tmp_path / "a")


def test_generated_regions_validate_at_several_sizes() -> None:
    for servers in (60, 1000):
        led = generate(servers, seed=servers)
        assert abs(len(led.servers) - servers) < servers * 0.2 + 40


def test_refuses_to_overwrite_without_being_asked(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "region"
    assert runner.invoke(cli, ["generate", str(out), "--servers", "100"]).exit_code == 0
    (out / "stale.yaml").write_text("version: 1\n", encoding="utf-8")
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = runner.invoke(cli, ["generate", str(out), "--servers", "100", "--lang", "en"])
    assert refused.exit_code == 2
    assert "--overwrite" in refused.stderr
    assert runner.invoke(cli, ["generate", str(out), "--servers", "100", "--overwrite"]).exit_code == 0
    assert not (out / "stale.yaml").exists()  # a stale ledger file would be loaded with the new ones
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert load(out).ledger is not None
