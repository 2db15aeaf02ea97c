"""The same asset in two ledgers: blocking, a score from weighted evidence, clustering."""

from __future__ import annotations

import dataclasses

import pytest

from govcloud.analysis import Thresholds, analyse
from govcloud.analysis.findings import Finding
from govcloud.analysis.same_asset import MAX_BLOCK, WEIGHTS, hostname_key, mac_key, serial_key
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, server, site


def _same(led: model.Ledger, thresholds: Thresholds | None = None) -> list[tuple[str, ...]]:
    return [f.members for f in analyse(led, thresholds, kinds=["same-asset"]).findings]


def _one(led: model.Ledger, thresholds: Thresholds | None = None) -> Finding:
    [finding] = analyse(led, thresholds, kinds=["same-asset"]).findings
    return finding


def test_serial_matches_across_departments_despite_spelling() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("a-1", "a", "r", serial="SN-0001 ", hostname="HZ-EDU-DB01"),
        server("b-7", "b", "r", serial="sn 0001", hostname="other"),
        server("b-8", "b", "r", serial="SN-0002"),
    )
    finding = _one(led)
    assert finding.members == ("server:a-1", "server:b-7")
    assert finding.departments == ("a", "b")
    assert finding.reason == "same-asset"
    [pair] = finding.evidence["pairs"]
    assert pair["features"] == {"serial": 0.9, "hostname-differs": -0.1, "same-room": 0.15}
    assert pair["score"] == finding.evidence["score"] == 0.95
    assert finding.confidence == 0.95
    assert finding.evidence["matched_on"] == ["same-room", "serial"]
    assert finding.recommendation == "merge-records"
    assert "serial" in finding.reason_text("en") or "serial" in finding.params["keys"]


def test_twin_without_serial_in_one_ledger_matches_on_hostname_room_and_size() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="HZ-EDU-DB01", serial="2102 311 VKF", cpu_cores=16, memory_gb=64),
        server("x2", "b", "r", hostname="hz-edu-db01.hz.gov", cpu_cores=16, memory_gb=64, os="Kylin V10"),
    )
    finding = _one(led)
    assert finding.evidence["pairs"][0]["features"] == {"hostname": 0.45, "same-room": 0.15, "size": 0.1}
    assert finding.confidence == pytest.approx(0.7)


def test_generic_name_alone_never_merges() -> None:
    """web01 VMs of three departments in one shared room, same size: look-alikes."""
    entities: list[object] = [dept("a"), dept("b"), dept("c"), site("r", "a")]
    for i, owner in enumerate("abc"):
        entities.append(
            server(
                f"{owner}-web",
                owner,
                "r",
                hostname="web01",
                kind="vm",
                cpu_cores=4,
                memory_gb=8,
                mgmt_ip=f"10.0.0.{i + 1}",
            )
        )
    entities.append(server("d-db", "a", "r", hostname="localhost.localdomain", cpu_cores=4, memory_gb=8))
    entities.append(server("e-db", "b", "r", hostname="localhost", cpu_cores=4, memory_gb=8))
    assert _same(ledger(*entities)) == []  # type: ignore[arg-type]


def test_a_name_becomes_generic_when_many_departments_use_it() -> None:
    def led(owners: str) -> model.Ledger:
        return ledger(
            *(dept(o) for o in owners),
            site("r", owners[0]),
            *(server(f"{o}-1", o, "r", hostname="hy-sjzx-jk", cpu_cores=4, memory_gb=8) for o in owners),
        )

    assert _same(led("ab")) == [("server:a-1", "server:b-1")]
    assert _same(led("abc")) == []
    assert _same(led("abc"), Thresholds(same_asset_generic_owners=4)) == [
        ("server:a-1", "server:b-1", "server:c-1")
    ]


def test_generic_name_with_a_shared_ip_in_the_room_matches() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="web01", ips=("10.1.1.5",)),
        server("x2", "b", "r", hostname="WEB-001", mgmt_ip="10.1.1.5"),
    )
    finding = _one(led)
    assert finding.evidence["pairs"][0]["features"] == {
        "hostname-generic-two-in-room": 0.3,
        "ip-same-room": 0.5,
        "same-room": 0.15,
    }


def _web01s(*servers: model.Server) -> model.Ledger:
    return ledger(dept("a"), dept("b"), dept("c"), site("r", "a"), *servers)


def _web(ident: str, owner: str, **kw: object) -> model.Server:
    return server(ident, owner, "r", hostname="web01", cpu_cores=4, memory_gb=8, os="CentOS 7.9", **kw)


def test_a_generic_name_carried_by_two_records_of_one_room_is_evidence_with_nothing_against() -> None:
    # the user department's record of the machine has no address: nothing says two machines
    found = _one(_web01s(_web("x1", "a", ips=("10.0.0.1",)), _web("x2", "b")))
    assert found.evidence["pairs"][0]["features"] == {
        "hostname-generic-two-in-room": 0.3,
        "same-room": 0.15,
        "size": 0.1,
        "os": 0.05,
    }
    # two addresses in one room: two machines
    assert _same(_web01s(_web("x1", "a", ips=("10.0.0.1",)), _web("x2", "b", ips=("10.0.0.2",)))) == []
    # three of that name in the room: the name tells nothing
    assert _same(_web01s(_web("x1", "a"), _web("x2", "b"), _web("x3", "c"))) == []


def test_an_unset_hostname_is_no_evidence() -> None:
    led = _web01s(
        server("x1", "a", "r", hostname="localhost.localdomain", cpu_cores=4, memory_gb=8, os="CentOS 7.9"),
        server("x2", "b", "r", hostname="localhost", cpu_cores=4, memory_gb=8, os="CentOS 7.9"),
    )
    assert _same(led) == []


def test_mac_and_asset_tag_are_evidence() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a"),
        site("r2", "b"),
        server("x1", "a", "r1", hostname="n1", mac="00:1A:2B:3C:4D:5E"),
        server("x2", "b", "r2", hostname="n2", mac="001a-2b3c-4d5e"),
        server("y1", "a", "r1", hostname="m1", asset_tag="ZC-2021-0007"),
        server("y2", "a", "r1", hostname="m2", asset_tag="zc20210007"),
    )
    found = {
        f.members: f.evidence["pairs"][0]["features"] for f in analyse(led, kinds=["same-asset"]).findings
    }
    assert found[("server:x1", "server:x2")]["mac"] == WEIGHTS["mac"]
    assert found[("server:y1", "server:y2")]["asset-tag"] == WEIGHTS["asset-tag"]


def test_different_serials_veto_a_hostname_match() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a"),
        server("x1", "a", "r1", hostname="hy-wjw-app012", serial="S-0001", cpu_cores=8, memory_gb=32),
        server("x2", "b", "r1", hostname="hy-wjw-app012", serial="S-0002", cpu_cores=8, memory_gb=32),
    )
    assert _same(led) == []


def test_a_veto_between_two_records_does_not_stop_the_others_matching() -> None:
    """x1 and x3 carry different serials; x2 (no serial) looks like both. x2 joins the better
    match, and the pair that would put two serials together is refused, not the whole block."""
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server(
            "x1",
            "a",
            "r",
            hostname="hy-edu-db01",
            serial="SN-AAAA1",
            cpu_cores=8,
            memory_gb=32,
            mgmt_ip="10.0.0.9",
        ),
        server("x2", "b", "r", hostname="hy-edu-db01", cpu_cores=8, memory_gb=32, mgmt_ip="10.0.0.9"),
        server("x3", "b", "r", hostname="hy-edu-db01", serial="SN-BBBB2", cpu_cores=8, memory_gb=32),
    )
    assert _same(led) == [("server:x1", "server:x2")]


def test_keep_apart_is_configuration_and_leaves_other_matches() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", serial="SN-12345"),
        server("x2", "b", "r", serial="SN-12345"),
        server("y1", "a", "r", serial="SN-67890"),
        server("y2", "b", "r", serial="SN 67890"),
    )
    assert len(_same(led)) == 2
    apart = Thresholds(keep_apart=(("x1", "x2"),))
    assert _same(led, apart) == [("server:y1", "server:y2")]


def test_threshold_is_configuration() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64),
        server("x2", "b", "r", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64),
    )
    assert _same(led)
    assert _same(led, Thresholds(same_asset_min_score=0.75)) == []


def test_size_and_kind_disagreement_counts_against() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64),
        server("x2", "b", "r", hostname="hz-edu-db01", cpu_cores=4, memory_gb=8, kind="vm"),
    )
    assert _same(led) == []


def test_one_typo_in_a_long_serial_is_not_a_veto() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="hz-edu-db01", serial="2102311VKF10M4000123"),
        server("x2", "b", "r", hostname="hz-edu-db01", serial="2102311VKF10M4000128"),
    )
    assert _one(led).evidence["pairs"][0]["features"]["serial-one-typo"] == WEIGHTS["serial-one-typo"]


def test_placeholder_serials_are_not_evidence() -> None:
    assert serial_key("N/A") == serial_key("无") == serial_key("000000") == serial_key("--") == ""
    assert serial_key(" sn-0001 ") == "sn0001"
    assert serial_key("SN: 2102 311VKF") == serial_key("S/N：2102311vkf") == serial_key("序列号:2102311VKF")
    assert serial_key("序列号:2102311VKF") == "2102311vkf"
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a"),
        site("r2", "b"),
        server("x1", "a", "r1", hostname="p1", serial="N/A"),
        server("x2", "b", "r2", hostname="p2", serial="n/a"),
    )
    assert _same(led) == []


def test_keys() -> None:
    assert hostname_key("ＷＥＢ－００１") == hostname_key("web1") == "web1"
    assert mac_key("00-1a-2b-3c-4d-5e") == mac_key("001A.2B3C.4D5E") == "001a2b3c4d5e"
    assert mac_key("00:00:00:00:00:00") == ""


def test_large_blocks_are_split_not_compared_pairwise() -> None:
    """A name on more than MAX_BLOCK records is compared only within one building."""
    n = MAX_BLOCK + 5
    entities: list[object] = [
        dept("a"),
        site("r1", "a", address="长江路1号"),
        site("r2", "a", address="长江路2号"),
    ]
    entities += [server(f"s{i}", "a", "r1" if i < n - 2 else "r2", hostname="hy-x-node") for i in range(n)]
    entities += [server("t1", "a", "r2", hostname="hy-x-node", ips=("10.9.9.9",))]
    entities += [server("t2", "a", "r2", hostname="hy-x-node", ips=("10.9.9.9",))]
    found = _same(ledger(*entities))  # type: ignore[arg-type]
    assert ("server:t1", "server:t2") in [tuple(m for m in f if m.startswith("server:t")) for f in found]


def test_room_recorded_twice_with_name_and_address_variants() -> None:
    led = ledger(
        dept("wjw"),
        site("r1", "wjw", name="省卫健委机房", address="海州市海东区健康路 8 号"),
        site("r2", "wjw", name="卫健委 数据中心 一楼", address="健康路八号"),
        site("r3", "wjw", name="卫健委机房", address="海州市海西区另一条路 1 号"),
    )
    finding = _one(led)
    assert finding.members == ("site:r1", "site:r2")
    assert finding.evidence["pairs"][0]["features"] == {"building": 0.4, "room-name": 0.4, "same-owner": 0.1}
    assert finding.evidence["buildings"] == ["健康路8号"]


def test_rooms_of_different_departments_in_one_building_are_not_one_room() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r1", "a", name="甲局机房", address="电信 IDC 3 楼"),
        site("r2", "b", name="乙局机房", address="电信 IDC 3 楼"),
    )
    assert _same(led) == []


def test_rooms_on_different_floors_are_not_one_room() -> None:
    led = ledger(
        dept("a"),
        site("r1", "a", name="机房", address="府前路1号 3楼"),
        site("r2", "a", name="机房", address="府前路一号 5楼"),
    )
    assert _same(led) == []


def test_findings_do_not_depend_on_record_order() -> None:
    servers = [
        server("x1", "a", "r", hostname="hy-edu-db01", serial="SN-AAAA1", mgmt_ip="10.0.0.9"),
        server("x2", "b", "r", hostname="hy-edu-db01", mgmt_ip="10.0.0.9"),
        server("x3", "b", "r", hostname="hy-edu-db01", serial="SN-BBBB2"),
    ]
    one = analyse(ledger(dept("a"), dept("b"), site("r", "a"), *servers), kinds=["same-asset"])
    other = analyse(ledger(dept("a"), dept("b"), site("r", "a"), *reversed(servers)), kinds=["same-asset"])
    assert [f.to_json() for f in one.findings] == [f.to_json() for f in other.findings]


def test_thresholds_keep_apart_round_trips_through_replace() -> None:
    th = dataclasses.replace(Thresholds(), keep_apart=(("a", "b"),))
    assert th.keep_apart == (("a", "b"),)


def test_rooms_without_an_address_are_not_evidence_of_two_places() -> None:
    """Two departments each record the machine in a room record of their own, without an
    address: the rooms may be one; a specific name, size and OS are enough."""
    led = ledger(
        dept("a"),
        dept("b"),
        site("ra", "a"),
        site("rb", "b"),
        server("x1", "a", "ra", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64, os="Kylin V10"),
        server("x2", "b", "rb", hostname="HZ-EDU-DB01", cpu_cores=16, memory_gb=64, os="Kylin V10"),
    )
    assert _one(led).evidence["pairs"][0]["features"] == {"hostname": 0.45, "size": 0.1, "os": 0.05}
    # in two known buildings they are two machines
    led = ledger(
        dept("a"),
        dept("b"),
        site("ra", "a", address="长江路1号"),
        site("rb", "b", address="黄河路9号"),
        server("x1", "a", "ra", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64, os="Kylin V10"),
        server("x2", "b", "rb", hostname="HZ-EDU-DB01", cpu_cores=16, memory_gb=64, os="Kylin V10"),
    )
    assert _same(led) == []
