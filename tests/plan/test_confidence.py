"""How sure the plan is: measured data raises it, an import's defaults lower it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from govcloud.analysis import analyse
from govcloud.importers import plannable, run
from govcloud.ledger import dump, load
from govcloud.plan import build as build_plan
from govcloud.plan import confidence
from govcloud.report.plan import to_json
from govcloud.samples import default_inventory

REAL = Path(__file__).parents[1] / "fixtures" / "real"


@pytest.mark.parametrize(
    ("pct", "stars"), [(0, 1), (20, 1), (21, 2), (40, 2), (41, 3), (61, 4), (81, 5), (100, 5)]
)
def test_stars_like_azure_migrate(pct: int, stars: int) -> None:
    assert confidence.stars(pct) == stars


def _imported(tmp_path: Path, fmt: str, files: list[str], **options: str) -> object:
    sources = [REAL / f for f in files]
    outcome = run.run(fmt, sources, plannable.Options(sources[0].name, **options))
    assert outcome.document is not None
    folder = tmp_path / fmt
    folder.mkdir()
    (folder / "imported.yaml").write_text(dump.yaml_text(outcome.document), encoding="utf-8")
    ledger = load(folder).ledger
    assert ledger is not None
    return to_json(build_plan(ledger, analyse(ledger)))["confidence"]


def test_measured_sizes_and_utilisation_score_higher_than_defaults(tmp_path: Path) -> None:
    measured = _imported(tmp_path, "rvtools", ["rvtools/SizingWorkshop-RVTools-excerpt.xlsx"])
    assumed = _imported(tmp_path, "aws-cmf", ["aws-cmf/0-intake-form.csv"])
    assert isinstance(measured, dict)
    assert isinstance(assumed, dict)
    assert measured["pct"] > assumed["pct"]
    assert "size" in assumed["assumed"]
    assert "location" in assumed["assumed"]  # no --owner, no --site
    assert "size" not in measured["assumed"]
    system = next(iter(assumed["systems"].values()))
    assert set(system) == {"pct", "stars", "assumed"}


def test_the_sample_plan_has_a_confidence_and_the_ledger_keeps_assumptions_through_pickle() -> None:
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    found = to_json(build_plan(ledger, analyse(ledger)))["confidence"]
    assert 1 <= found["stars"] <= 5
    assert set(found["systems"]) == set(ledger.systems)
    back = pickle.loads(pickle.dumps(ledger))  # noqa: S301 - the warm cache, our own bytes
    assert back.assumed == ledger.assumed


def test_plan_md_lists_the_least_sure_systems_with_what_was_assumed(tmp_path: Path) -> None:
    from govcloud.report.plan import markdown

    sources = [REAL / "aws-cmf" / "0-intake-form.csv"]
    outcome = run.run("aws-cmf", sources, plannable.Options(sources[0].name))
    assert outcome.document is not None
    (tmp_path / "i.yaml").write_text(dump.yaml_text(outcome.document), encoding="utf-8")
    ledger = load(tmp_path).ledger
    assert ledger is not None
    text = markdown(build_plan(ledger, analyse(ledger)), "en")
    assert "plan confidence:" in text
    assert "## plan confidence" in text
    assert "| `app01-hr` app01-hr | ★" in text
    assert "sizes" in text.split("## plan confidence")[1]


def test_the_overall_score_from_factors_worked_out_once_is_the_same() -> None:
    """plan.json works the systems' factors out once for both the per-system and the overall
    score: the same scores as each worked out on its own."""
    ledger = load(default_inventory()).ledger
    assert ledger is not None
    systems = sorted(ledger.systems)
    per_system = confidence.of_systems(ledger, systems)
    factors = confidence.factors_of(ledger, systems)
    assert {s: confidence.rate(f) for s, f in factors.items()} == per_system
    assert confidence.overall(ledger, per_system, factors) == confidence.overall(ledger, per_system)
    # factors of other systems than those rated are not used
    assert confidence.overall(ledger, per_system, {}) == confidence.overall(ledger, per_system)
