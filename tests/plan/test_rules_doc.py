"""docs/plan.md documents every planning rule with its default."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from govcloud.plan.rules import PlanRules

DOC = Path(__file__).resolve().parents[2] / "docs" / "plan.md"


def test_every_rule_is_in_the_table_with_its_default() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE))
    for f in dataclasses.fields(PlanRules):
        assert f.name in rows, f"{f.name} is missing from docs/plan.md"
        assert float(rows[f.name].strip()) == float(getattr(PlanRules(), f.name)), f.name
