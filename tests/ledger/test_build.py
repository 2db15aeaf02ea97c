"""Full-width digits, dots and signs are folded before the schema check, with a warning."""

from __future__ import annotations

from pathlib import Path

from govcloud.ledger import loader
from govcloud.ledger.build import fold_widths
from govcloud.ledger.validate import confusable_chars


def test_ips_cidrs_codes_and_numbers_are_folded_in_place() -> None:
    doc = {
        "region": {"address_plan": ["１０．６４．０．０／１０"], "region_code": "９９００００"},
        "servers": [
            {
                "id": "a",
                "ips": ["10．250．8．220"],
                "mgmt_ip": "10。250。8。1",
                "cpu_cores": "３２",
                "memory_gb": "１２８．５",
            },
        ],
        "networks": [{"id": "n", "vlans": ["１００"]}],
    }
    found = fold_widths("f.yaml", doc)
    assert doc["region"] == {"address_plan": ["10.64.0.0/10"], "region_code": "990000"}
    assert doc["servers"][0] == {
        "id": "a",
        "ips": ["10.250.8.220"],
        "mgmt_ip": "10.250.8.1",
        "cpu_cores": 32,
        "memory_gb": 128.5,
    }
    assert doc["networks"][0]["vlans"] == [100]
    assert {(f.path, f.severity) for f in found} == {
        (("region", "address_plan", 0), "warning"),
        (("region", "region_code"), "warning"),
        (("servers", 0, "ips", 0), "warning"),
        (("servers", 0, "mgmt_ip"), "warning"),
        (("servers", 0, "cpu_cores"), "warning"),
        (("servers", 0, "memory_gb"), "warning"),
        (("networks", 0, "vlans", 0), "warning"),
    }


def test_text_fields_and_things_that_are_not_numbers_stay_as_written() -> None:
    doc = {
        "servers": [
            {"id": "a", "hostname": "ＷＥＢ０１", "cpu_cores": "三十二", "notes": "１０．０．０．１"}
        ],
        "sites": [{"id": "s", "address": "府前路１号"}],
    }
    before = repr(doc)
    assert fold_widths("f.yaml", doc) == []
    assert repr(doc) == before


def test_confusable_characters() -> None:
    assert confusable_chars("hy-gаt") == {"а": "a"}  # Cyrillic а
    assert confusable_chars("ｈｙ１") == {"ｈ": "h", "ｙ": "y", "１": "1"}
    assert confusable_chars("海岳-机房1") == {}
    assert confusable_chars("hy-gat-机房") == {}


def test_a_folded_value_reaches_the_model(tmp_path: Path) -> None:
    """The warning is not a schema problem: the folded value is kept, not dropped."""
    (tmp_path / "l.yaml").write_text(
        "version: 1\n"
        'region: {id: r, name: 测试省, region_code: "990000", as_of: "2026-06-30"}\n'
        'department: {id: d, name: 测试局, level: province, region_code: "990000"}\n'
        "sites: [{id: s, name: 机房, kind: self_built}]\n"
        "servers:\n"
        "- {id: a, site: s, hostname: h, cpu_cores: ４, memory_gb: ６４．５, ips: [１０．０．０．１]}\n",
        encoding="utf-8",
    )
    result = loader.load(tmp_path)
    assert result.ledger is not None
    server = result.ledger.servers["a"]
    assert (server.cpu_cores, server.memory_gb, server.ips) == (4, 64.5, ("10.0.0.1",))
    assert sorted(p.path for p in result.warnings) == [
        "servers[0].cpu_cores",
        "servers[0].ips[0]",
        "servers[0].memory_gb",
    ]
