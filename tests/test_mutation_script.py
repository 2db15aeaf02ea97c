"""scripts/mutation.py: which mutants it makes, that each changes exactly one thing, which tests
it picks.  (Its runs themselves take minutes and are not part of the suite; docs/testing.md.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

SOURCE = '''"""A module docstring is never mutated."""

from __future__ import annotations

LIMIT = 3


def over(values: list[int], limit: int = LIMIT) -> bool:
    """Nor is a function's."""
    total = sum(values)
    return total > limit and not values == []
'''


@pytest.fixture(scope="module")
def mutation() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "scripts" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_script"] = module
    spec.loader.exec_module(module)
    return module


def _run(code: Any) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - the test's own source, mutated
    return namespace


def test_the_mutants_of_a_small_module(mutation: ModuleType) -> None:
    found = mutation.mutants(SOURCE)
    assert [m.ident for m in found] == [
        "<module>: 3 → 4",
        "over: total = sum(values) → pass",
        "over: return total > limit and (not values == []) → return None",
        "over: total > limit → total >= limit",
        "over: values == [] → values != []",
        "over: not values == [] → values == []",
        "over: total > limit and (not values == []) → total > limit or not values == []",
    ]
    assert [m.line for m in found] == [5, 10, 11, 11, 11, 11, 11]
    assert all("Nor is" not in m.before and "docstring" not in m.before for m in found)
    assert all("list[int]" not in m.before for m in found)  # annotations are left alone


@pytest.mark.parametrize(
    ("index", "args", "expected"),
    [
        (None, ([1, 2, 3],), True),
        (0, ([1, 2, 1],), False),  # LIMIT 4: 4 > 4 is false
        (3, ([1, 2],), True),  # >=: 3 >= 3
        (6, ([1],), True),  # or: 1 > 3 is false, but [1] is not empty
    ],
)
def test_each_mutant_changes_exactly_its_one_site(
    mutation: ModuleType, index: int | None, args: tuple[Any, ...], expected: bool
) -> None:
    if index is None:
        namespace = _run(compile(SOURCE, "m.py", "exec"))
        assert namespace["over"](*args) is expected
        assert namespace["over"]([1, 2]) is False
        return
    namespace = _run(mutation.mutated_code(SOURCE, "m.py", index))
    assert namespace["over"](*args) is expected
    unchanged = _run(compile(SOURCE, "m.py", "exec"))
    assert unchanged["over"](*args) is not expected


def test_the_tests_that_reach_a_module_start_with_its_mirror(mutation: ModuleType) -> None:
    reaching = mutation.tests_reaching(ROOT / "govcloud" / "plan" / "verify.py")
    assert reaching[0] == "tests/plan/test_verify.py"
    assert "tests/plan/test_plan_properties.py" in reaching  # imports verify from govcloud.plan
    assert "tests/plan/test_cost.py" not in reaching
    validate = mutation.tests_reaching(ROOT / "govcloud" / "ledger" / "validate.py")
    assert validate[0] == "tests/ledger/test_validate.py"
    assert "tests/ledger/test_validation_errors.py" in validate  # named in ALSO_TESTS


def test_the_equivalent_list_parses(mutation: ModuleType) -> None:
    listed = mutation.known_equivalent()
    for module, mutants in listed.items():
        assert (ROOT / module).is_file(), module
        assert all(why for why in mutants.values())
