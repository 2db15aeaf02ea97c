"""Naming and tagging shared by the provider modules."""

from __future__ import annotations

from govcloud.stacks.common import server_tags, tags
from tests.stacks.sample import plan


def test_a_servers_tags_are_the_tags_of_its_department_system_level_wave_and_server() -> None:
    p = plan()
    ledger = p.ledger
    assert p.placements
    for placement in p.placements:
        system = ledger.systems[placement.system]
        wave = p.wave_of[placement.system]
        expected = tags(
            ledger,
            department=system.owner,
            system=system.id,
            mlps_level=system.mlps_level,
            wave=wave,
            source_server=placement.server,
        )
        got = server_tags(ledger, placement, wave)
        assert list(got.items()) == list(expected.items())  # the same keys in the same order
