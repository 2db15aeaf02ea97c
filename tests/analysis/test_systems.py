"""Duplicate systems: the function of a system whose category column is empty."""

from __future__ import annotations

from govcloud.analysis.messy import HELD_OUT_JOBS, messy_ledger
from govcloud.analysis.systems import function_of, learned_names
from tests.analysis.builders import dept, ledger, system


def test_an_uncategorised_system_takes_the_function_the_ledger_names_it_by_elsewhere() -> None:
    """无纸化办公 is no function word; another department filled in its category for a system
    of that name, so a row left empty (read as business) with the name is OA too."""
    led = ledger(
        dept("a", "city", "990100", name="海州市教育局"),
        dept("b", "city", "990100", name="海州市民政局"),
        dept("c", "city", "990100", name="海州市财政局"),
        system("a-oa", "a", category="oa", name="教育局无纸化办公系统"),
        system("b-oa", "b", category="business", name="民政无纸化办公平台"),
        system("c-x", "c", category="business", name="财政无纸化报账系统"),
    )
    learned = learned_names(led)
    assert learned == {"无纸化办公": "oa"}
    assert function_of(led.systems["b-oa"], led, learned) == "oa"
    assert function_of(led.systems["c-x"], led, learned) == "business"
    assert function_of(led.systems["b-oa"], led) == "business"  # without what the ledger says


def test_a_messy_ledger_with_the_held_out_vocabulary_names_systems_otherwise() -> None:
    drawn, truth = messy_ledger(3, held_out=True)
    held_out = {n for _, names in HELD_OUT_JOBS.values() for n in names}
    assert truth.duplicate_systems
    assert any(any(n in s.name for n in held_out) for s in drawn.systems.values())
