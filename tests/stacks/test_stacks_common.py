"""Naming and tagging shared by the provider modules (govcloud/stacks/common.py; the name
tests/analysis/test_common.py has is taken)."""

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


def test_a_safe_id_is_its_own_slug_and_others_are_made_safe() -> None:
    from govcloud.stacks.common import slug

    for text in ("hy-czt-srv011", "a", "0", "a-b", "a--b", "x9"):
        assert slug(text) == text
    for text, start in (
        ("hy-D", "hy-d-"),
        ("-a", "a-"),
        ("a-", "a-"),
        ("a_b", "a-b-"),
        ("a.b", "a-b-"),
        ("教育厅", "id-"),
    ):
        assert slug(text).startswith(start), text
        assert len(slug(text)) == len(start) + 8, text  # a digest of the id
    assert slug("hy-D") != slug("hy-d")
    assert slug("") == "x"
