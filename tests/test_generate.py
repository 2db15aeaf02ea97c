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


def test_the_default_density_is_a_provinces() -> None:
    """About one system per 8–10 servers, at least 5 dependencies each on average, a share of
    them across departments and across levels; tight groups stay small; the plan verifies."""
    from govcloud.analysis import analyse
    from govcloud.generate import measured_density
    from govcloud.plan import build, verify
    from govcloud.plan.groups import tight_groups

    ledger = generate(3000, seed=3)
    density = measured_density(ledger)
    assert 8 <= density["servers_per_system"] <= 10
    assert density["deps_per_system"] >= 5
    assert 25 <= density["cross_department_pct"] <= 50
    assert 5 <= density["cross_level_pct"] <= 20
    assert density["tight"] > 0
    assert max(len(g) for g in tight_groups(ledger)) <= 3
    assert verify(build(ledger, analyse(ledger))) == []


def test_density_follows_the_options(tmp_path: Path) -> None:
    from govcloud.generate import Density, measured_density

    thin = measured_density(generate(2000, 1, Density(servers_per_system=20, deps_per_system=2)))
    assert 15 <= thin["servers_per_system"] <= 23  # small departments keep their named systems
    assert 1.5 <= thin["deps_per_system"] <= 2.5
    inward = measured_density(generate(2000, 1, Density(cross_department_share=0, cross_level_share=0)))
    assert inward["cross_department_pct"] == 0
    runner = CliRunner()
    args = ["generate", str(tmp_path / "r"), "--servers", "2000", "--deps-per-system", "3", "--lang", "en"]
    result = runner.invoke(cli, [*args, "--servers-per-system", "12"])
    assert result.exit_code == 0, result.output
    assert "dependencies per system" in result.output
    led = load(tmp_path / "r").ledger
    assert led is not None
    assert 10 <= measured_density(led)["servers_per_system"] <= 14
    assert 2.5 <= measured_density(led)["deps_per_system"] <= 3.5
    refused = runner.invoke(
        cli, [*args, "--cross-department-share", "0.1", "--cross-level-share", "0.2", "--overwrite"]
    )
    assert refused.exit_code == 2
    assert "--cross-level-share" in refused.stderr


def test_the_sample_keeps_its_own_spec(tmp_path: Path) -> None:
    """``--sample-density`` writes the bundled sample's bytes (default size and seed)."""
    root = Path(__file__).resolve().parents[1] / "inventories" / "haiyue"
    result = CliRunner().invoke(cli, ["generate", str(tmp_path / "s"), "--sample-density"])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "s") == _files(root)
