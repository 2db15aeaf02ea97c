"""Scored entity resolution, piece by piece: the weight of each piece of evidence, the keys,
blocking limits, vetoes, ambiguity, and what a finding says (see test_same_asset.py for the
end-to-end stories)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from govcloud.analysis import Thresholds, analyse
from govcloud.analysis.findings import Finding
from govcloud.analysis.same_asset import (
    AMBIGUOUS_WITHIN,
    APART_AGAINST,
    MAIN_ROOM_WORDS,
    MAX_BLOCK,
    ROOM_NAME_SIMILAR,
    WEIGHTS,
    Context,
    Edge,
    ServerRecord,
    SiteRecord,
    _block_pairs,
    _server_pairs,
    generic_hostnames,
    ip_key,
    mac_key,
    score_servers,
    score_sites,
    serial_key,
)
from govcloud.ledger import model
from tests.analysis.builders import dept, ledger, server, site


def _findings(led: model.Ledger, thresholds: Thresholds | None = None) -> list[Finding]:
    return list(analyse(led, thresholds, kinds=["same-asset"]).findings)


def _same(led: model.Ledger, thresholds: Thresholds | None = None) -> list[tuple[str, ...]]:
    return [f.members for f in _findings(led, thresholds)]


# ---- the tables --------------------------------------------------------------------------


def test_weights_and_limits_are_the_documented_ones() -> None:
    assert WEIGHTS == {
        "serial": 0.9,
        "serial-one-typo": 0.3,
        "serial-differs": -1.0,
        "mac": 0.9,
        "mac-differs": -0.3,
        "asset-tag": 0.8,
        "asset-tag-differs": -0.5,
        "hostname": 0.45,
        "hostname-generic": 0.1,
        "hostname-generic-two-in-room": 0.3,
        "hostname-differs": -0.1,
        "domain-differs": -0.1,
        "ip-same-room": 0.5,
        "ip-elsewhere": 0.15,
        "mgmt-ip-differs": -0.2,
        "ips-differ": -0.2,
        "same-room": 0.15,
        "other-room": -0.15,
        "size": 0.1,
        "size-differs": -0.2,
        "os": 0.05,
        "os-differs": -0.05,
        "kind-differs": -0.3,
        "building": 0.4,
        "room-name": 0.4,
        "room-name-differs": -0.3,
        "floor": 0.1,
        "floor-differs": -0.5,
        "same-owner": 0.1,
        "racks": 0.1,
        "room-kind-differs": -0.3,
    }
    assert APART_AGAINST == -0.3
    assert AMBIGUOUS_WITHIN == 0.05
    assert MAX_BLOCK == 40
    assert frozenset({"主", "总", "本部", "主用"}) == MAIN_ROOM_WORDS
    assert ROOM_NAME_SIMILAR == 85.0
    assert Thresholds().same_asset_min_score == 0.6


@pytest.mark.parametrize(
    "value",
    [
        ServerRecord("x", "a", "p", "", "", "", "", "", frozenset(), "", "physical", 0, 0.0, ""),
        SiteRecord("s", "a", "p", "n", "n", "", "self_built", None),
        Context(),
        Edge(0.5, "a", "b", {}),
    ],
)
def test_records_are_immutable(value: object) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.id = "other"  # type: ignore[attr-defined]


# ---- keys --------------------------------------------------------------------------------


def test_short_serials_and_macs_of_two_digits_are_kept() -> None:
    assert serial_key("a1b") == "a1b"
    assert serial_key("ab") == ""
    assert mac_key("ab:ab:ab:ab:ab:ab") == "abababababab"
    assert mac_key("ff:ff:ff:ff:ff:ff") == ""
    assert mac_key(None) == ""


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("", ""),
        ("10.0.0.1", "10.0.0.1"),
        ("127.0.0.1", ""),
        ("0.0.0.0", ""),  # noqa: S104 - a string, never bound
        ("169.254.3.4", ""),
        ("::1", ""),
        ("::", ""),
        ("fe80::1", ""),
        ("2001:DB8::0001", "2001:db8::1"),
        ("not-an-address", ""),
    ],
)
def test_ip_key(ip: str, key: str) -> None:
    assert ip_key(ip) == key


def test_server_record_keys() -> None:
    def of(**kw: Any) -> ServerRecord:
        return ServerRecord.of(server("x", "a", "r", **kw), "b1")

    assert of(hostname="web01.localdomain").domain == ""
    assert of(hostname="web01.local").domain == ""
    assert of(hostname="web01").domain == ""
    assert of(hostname="Web01.HZ.gov").domain == "hzgov"
    assert of(hostname="Web01.HZ.gov").host == "web1"
    assert of(hostname=None).host == ""
    assert of(hostname="localhost").host == ""
    record = of(mgmt_ip="10.0.0.1", ips=("10.0.0.2", "127.0.0.1"))
    assert record.mgmt_ip == "10.0.0.1"
    assert record.ips == {"10.0.0.1", "10.0.0.2"}
    assert record.place == "b1"


@pytest.mark.parametrize(
    ("name", "department", "label"),
    [
        ("澜州教育局主机房", "教育局", ""),
        ("教育局总机房", "教育局", ""),
        ("教育局本部机房", "教育局", ""),
        ("教育局主用机房", "教育局", ""),
        ("教育局数据中心", "教育局", ""),
        ("主机房", "教育局", ""),
        ("教育局备份机房", "教育局", "备份"),
        ("市场监管局备份机房", "市场监管局", "备份"),  # 市 dropped from the name
        ("省教育厅备份机房", "省教育厅", "备份"),  # 省 dropped from the name
        ("机房", "", "机房"),
    ],
)
def test_a_room_label_is_its_name_without_its_department(name: str, department: str, label: str) -> None:
    record = SiteRecord.of(site("s", "o", name=name, address="府前路1号"), "p", department)
    assert record.label == label


def test_a_room_floor_is_the_last_one_written() -> None:
    def floor(address: str, name: str = "机房") -> str:
        return SiteRecord.of(site("s", "o", name=name, address=address), "p", "").floor

    assert floor("府前路1号 3楼") == "3"
    assert floor("府前路1号", "机房 305室") == "3"
    assert floor("府前路1号 2楼", "5F 机房") == "5"
    assert floor("府前路1号") == ""


def test_generic_hostnames_are_role_words_only_or_widely_used() -> None:
    def rec(host: str, owner: str) -> ServerRecord:
        return dataclasses.replace(_SERVER, id=f"{host}-{owner}", host=host, owner=owner)

    records = [rec("web1", "a"), rec("web1hzedu", "a"), rec("hzedu7", "a"), rec("hzedu7", "b"), rec("", "c")]
    assert generic_hostnames(records, 3) == {"web1"}
    assert generic_hostnames(records, 2) == {"web1", "hzedu7"}


# ---- scoring: servers --------------------------------------------------------------------

_SERVER = ServerRecord("x", "a", "site:1", "", "", "", "", "", frozenset(), "", "physical", 0, 0.0, "")


def _pair(a: dict[str, Any], b: dict[str, Any], ctx: Context | None = None) -> dict[str, float]:
    ra = dataclasses.replace(_SERVER, id="x", **a)
    rb = dataclasses.replace(_SERVER, id="y", **{"place": "site:2", **b})
    return score_servers(ra, rb, ctx or Context())


@pytest.mark.parametrize(
    ("a", "b", "features"),
    [
        ({"serial": "abcdefgh"}, {"serial": "abcdefgh"}, {"serial": 0.9}),
        ({"serial": "abcdefgh"}, {"serial": "abcdefgx"}, {"serial-one-typo": 0.3}),
        ({"serial": "abcdefg"}, {"serial": "abcdefx"}, {"serial-differs": -1.0}),  # short: no typo
        ({"serial": "abcdefg"}, {"serial": "abcdefgh"}, {"serial-differs": -1.0}),
        ({"serial": "abcdefgh"}, {"serial": "abcdefxy"}, {"serial-differs": -1.0}),
        ({"serial": "abcdefgh"}, {}, {}),
        ({"mac": "001a2b3c4d5e"}, {"mac": "001a2b3c4d5e"}, {"mac": 0.9}),
        ({"mac": "001a2b3c4d5e"}, {"mac": "001a2b3c4d5f"}, {"mac-differs": -0.3}),
        ({"mac": "001a2b3c4d5e"}, {}, {}),
        ({"asset_tag": "zc7"}, {"asset_tag": "zc7", "owner": "b"}, {"asset-tag": 0.8}),
        ({"asset_tag": "zc7"}, {"asset_tag": "zc8"}, {"asset-tag-differs": -0.5}),
        ({"asset_tag": "zc7"}, {"asset_tag": "zc8", "owner": "b"}, {}),  # two numberings
        ({"asset_tag": "zc7"}, {}, {}),
        ({"host": "hzedu1"}, {"host": "hzedu1"}, {"hostname": 0.45}),
        ({"host": "hzedu1"}, {"host": "hzedu2"}, {"hostname-differs": -0.1}),
        ({"host": "hzedu1"}, {}, {}),
        ({"host": "h1", "domain": "hz"}, {"host": "h1", "domain": "hz"}, {"hostname": 0.45}),
        ({"host": "h1", "domain": "hz"}, {"host": "h1"}, {"hostname": 0.45}),
        (
            {"host": "h1", "domain": "hz"},
            {"host": "h1", "domain": "lz"},
            {"hostname": 0.45, "domain-differs": -0.1},
        ),
        (
            {"host": "h1", "domain": "hz"},
            {"host": "h2", "domain": "lz"},
            {"hostname-differs": -0.1, "domain-differs": -0.1},
        ),
        ({"cpu_cores": 4, "memory_gb": 100}, {"cpu_cores": 4, "memory_gb": 105}, {"size": 0.1}),
        ({"cpu_cores": 4, "memory_gb": 100}, {"cpu_cores": 4, "memory_gb": 106}, {"size-differs": -0.2}),
        ({"cpu_cores": 4, "memory_gb": 100}, {"cpu_cores": 4, "memory_gb": 200}, {"size-differs": -0.2}),
        ({"cpu_cores": 4, "memory_gb": 100}, {"cpu_cores": 8, "memory_gb": 100}, {"size-differs": -0.2}),
        ({"cpu_cores": 4, "memory_gb": 100}, {"cpu_cores": 4}, {}),
        ({"cpu_cores": 4, "memory_gb": 100}, {"memory_gb": 100}, {}),
        ({"os": "abcdefghij"}, {"os": "abcdefghik"}, {"os": 0.05}),  # ratio exactly 90
        ({"os": "kylin"}, {"os": "windows"}, {"os-differs": -0.05}),
        ({"os": "kylin"}, {}, {}),
        ({"kind": "vm"}, {}, {"kind-differs": -0.3}),
    ],
)
def test_server_evidence_and_its_weight(
    a: dict[str, Any], b: dict[str, Any], features: dict[str, float]
) -> None:
    assert _pair(a, b) == features


@pytest.mark.parametrize(
    ("a", "b", "features"),
    [
        ({"place": "b1"}, {"place": "b1"}, {"same-room": 0.15}),
        ({"place": "b1"}, {"place": "b2"}, {"other-room": -0.15}),
        ({"place": "site:1"}, {"place": "b2"}, {}),  # a room without an address says nothing
        ({"place": "b1"}, {"place": "site:2"}, {}),
        (
            {"place": "b1", "ips": frozenset({"10.0.0.1"})},
            {"place": "b1", "ips": frozenset({"10.0.0.1", "10.0.0.2"})},
            {"ip-same-room": 0.5, "same-room": 0.15},
        ),
        (
            {"place": "b1", "ips": frozenset({"10.0.0.1"})},
            {"place": "b2", "ips": frozenset({"10.0.0.1"})},
            {"ip-elsewhere": 0.15, "other-room": -0.15},
        ),
        (
            {"place": "b1", "ips": frozenset({"10.0.0.1"}), "mgmt_ip": "10.0.0.1"},
            {"place": "b1", "ips": frozenset({"10.0.0.2"}), "mgmt_ip": "10.0.0.2"},
            {"mgmt-ip-differs": -0.2, "same-room": 0.15},
        ),
        (
            {"place": "b1", "ips": frozenset({"10.0.0.1"})},
            {"place": "b1", "ips": frozenset({"10.0.0.2"})},
            {"ips-differ": -0.2, "same-room": 0.15},
        ),
        (
            {"place": "b1", "ips": frozenset({"10.0.0.1"})},
            {"place": "b2", "ips": frozenset({"10.0.0.2"})},
            {"other-room": -0.15},
        ),
    ],
)
def test_room_and_address_evidence(a: dict[str, Any], b: dict[str, Any], features: dict[str, float]) -> None:
    assert _pair(a, b) == features


def test_a_generic_hostname_is_weak_evidence_unless_two_in_one_room() -> None:
    ctx = Context(frozenset({"web1"}), frozenset({("b1", "web1")}))
    in_room = _pair({"host": "web1", "place": "b1"}, {"host": "web1", "place": "b1"}, ctx)
    assert in_room == {"hostname-generic-two-in-room": 0.3, "same-room": 0.15}
    # the pair is counted in b1, the other record is elsewhere
    apart = _pair({"host": "web1", "place": "b1"}, {"host": "web1", "place": "b2"}, ctx)
    assert apart == {"hostname-generic": 0.1, "other-room": -0.15}
    many = Context(frozenset({"web1"}))
    assert _pair({"host": "web1", "place": "b1"}, {"host": "web1", "place": "b1"}, many) == {
        "hostname-generic": 0.1,
        "same-room": 0.15,
    }


# ---- scoring: rooms ----------------------------------------------------------------------

_SITE = SiteRecord("s", "a", "b1", "", "", "", "self_built", None)


def _rooms(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    return score_sites(
        dataclasses.replace(_SITE, id="s1", **a), dataclasses.replace(_SITE, id="s2", **b), Context()
    )


_LONG = "abcdefghijklmnopqrst"
_LONG_85 = "abcdefghijklmnopqXYZ"  # rapidfuzz ratio with _LONG: exactly 85


@pytest.mark.parametrize(
    ("a", "b", "features"),
    [
        # one department: the labels are compared, not the names
        (
            {"name": "甲局主", "label": ""},
            {"name": "数据中心", "label": ""},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1},
        ),
        (
            {"name": "x", "label": "abcdefghij"},
            {"name": "y", "label": "abcdefghik"},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1},
        ),
        (
            {"name": "x", "label": _LONG},
            {"name": "y", "label": _LONG_85},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1},
        ),
        (
            {"name": _LONG, "label": "备份"},
            {"name": _LONG, "label": "主"},
            {"building": 0.4, "room-name-differs": -0.3, "same-owner": 0.1},
        ),
        # two departments: the names
        (
            {"name": _LONG, "label": "x"},
            {"name": _LONG_85, "label": "y", "owner": "b"},
            {"building": 0.4, "room-name": 0.4},
        ),
        (
            {"name": "甲局机房", "label": ""},
            {"name": "乙局数据中心", "label": "", "owner": "b"},
            {"building": 0.4, "room-name-differs": -0.3},
        ),
        (
            {"name": "", "label": ""},
            {"name": "", "label": "", "owner": "b"},
            {"building": 0.4, "room-name-differs": -0.3},
        ),
        (
            {"label": "x", "floor": "3"},
            {"label": "x", "floor": "3"},
            {"building": 0.4, "room-name": 0.4, "floor": 0.1, "same-owner": 0.1},
        ),
        (
            {"label": "x", "floor": "3"},
            {"label": "x", "floor": "5"},
            {"building": 0.4, "room-name": 0.4, "floor-differs": -0.5, "same-owner": 0.1},
        ),
        (
            {"label": "x", "floor": "3"},
            {"label": "x"},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1},
        ),
        (
            {"label": "x", "racks": 10},
            {"label": "x", "racks": 10},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1, "racks": 0.1},
        ),
        (
            {"label": "x", "racks": 10},
            {"label": "x", "racks": 12},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1},
        ),
        (
            {"label": "x"},
            {"label": "x", "kind": "idc_colocation"},
            {"building": 0.4, "room-name": 0.4, "same-owner": 0.1, "room-kind-differs": -0.3},
        ),
    ],
)
def test_room_evidence_and_its_weight(
    a: dict[str, Any], b: dict[str, Any], features: dict[str, float]
) -> None:
    assert _rooms(a, b) == features


# ---- blocking ----------------------------------------------------------------------------


def test_blocks_by_each_key_and_by_address_only_within_a_building() -> None:
    def rec(ident: str, **kw: Any) -> ServerRecord:
        return dataclasses.replace(_SERVER, id=ident, **kw)

    records = [
        rec("s1", serial="abc123", place="b1"),
        rec("s2", serial="abc123", place="b2"),
        rec("m1", mac="001a2b3c4d5e", place="b1"),
        rec("m2", mac="001a2b3c4d5e", place="b2"),
        rec("t1", asset_tag="zc7", place="b1"),
        rec("t2", asset_tag="zc7", place="b2"),
        rec("h1", host="hzedu1", place="b1"),
        rec("h2", host="hzedu1", place="b2"),
        rec("i1", ips=frozenset({"10.0.0.1"}), place="b1"),
        rec("i2", ips=frozenset({"10.0.0.1"}), place="b1"),
        rec("i3", ips=frozenset({"10.0.0.1"}), place="b2"),
        rec("k1", serial="abc123x", host="abc123", place="b3"),  # one value, two keys: no block
    ]
    assert sorted(_server_pairs(records, Thresholds())) == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]


def test_block_pairs_each_pair_once() -> None:
    assert list(_block_pairs([[2, 1], [1, 2], [1, 3, 2]], str)) == [(1, 2), (1, 3), (2, 3)]


def test_a_block_of_max_block_records_is_compared_whole() -> None:
    block = list(range(MAX_BLOCK))
    pairs = list(_block_pairs([block], lambda i: str(i % 2)))
    assert len(pairs) == MAX_BLOCK * (MAX_BLOCK - 1) // 2


def test_a_larger_block_is_split_and_parts_still_too_large_are_dropped() -> None:
    block = list(range(MAX_BLOCK + 5))
    # 40 in one building, 5 in another: both compared within, not across
    pairs = set(_block_pairs([block], lambda i: "b1" if i < MAX_BLOCK else "b2"))
    assert len(pairs) == MAX_BLOCK * (MAX_BLOCK - 1) // 2 + 10
    assert (0, MAX_BLOCK) not in pairs
    assert (MAX_BLOCK, MAX_BLOCK + 4) in pairs
    # all in one building: too common to say anything
    assert list(_block_pairs([list(range(MAX_BLOCK + 1))], lambda i: "b1")) == []


# ---- clustering --------------------------------------------------------------------------


def _chain(serial_x1: str, serial_x3: str, mac_on: str = "x1") -> model.Ledger:
    """x2 (no serial) is one of x1/x3 by MAC (1.05) and the other by asset tag (0.95); x1 and
    x3 share nothing. The ledger keeps records in id order, so with the MAC on x3 the weaker
    pair (x1, x2) is the first candidate."""
    mac = "00:1a:2b:3c:4d:5e"
    x1, x3 = (
        ({"mac": mac}, {"asset_tag": "ZC-7"}) if mac_on == "x1" else ({"asset_tag": "ZC-7"}, {"mac": mac})
    )
    return ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="localhost", serial=serial_x1, **x1),
        server("x2", "b", "r", hostname="localhost", mac=mac, asset_tag="ZC-7"),
        server("x3", "b", "r", hostname="localhost", serial=serial_x3, **x3),
    )


@pytest.mark.parametrize(("mac_on", "a", "b"), [("x1", "x1", "x2"), ("x3", "x2", "x3")])
def test_two_serials_through_a_third_record_are_refused_best_join_first(mac_on: str, a: str, b: str) -> None:
    [finding] = _findings(_chain("SN-AAAA-1111", "SN-BBBB-2222", mac_on))
    assert finding.members == (f"server:{a}", f"server:{b}")
    assert finding.evidence["pairs"] == [
        {"a": a, "b": b, "score": 1.05, "features": {"mac": 0.9, "same-room": 0.15}}
    ]


@pytest.mark.parametrize(
    ("serial_x1", "serial_x3", "joined"),
    [
        ("abcdefgh", "abcdefgx", True),  # one typo in eight: one serial
        ("abcdefgh", "abcdefxy", False),
        ("abcdefg", "abcdefx", False),  # too short to forgive a typo
        ("abcdefg", "abcdefgh", False),
    ],
)
def test_serials_one_typo_apart_do_not_veto(serial_x1: str, serial_x3: str, joined: bool) -> None:
    members = ("server:x1", "server:x2", "server:x3") if joined else ("server:x1", "server:x2")
    assert _same(_chain(serial_x1, serial_x3)) == [members]


@pytest.mark.parametrize(("one", "two", "third"), [("x1", "x2", "x3"), ("p1", "p3", "p2")])
def test_a_pair_with_evidence_against_it_is_not_joined_through_a_third(
    one: str, two: str, third: str
) -> None:
    """one and two: same name and room, different MACs (0.45 + 0.15 - 0.3 = 0.3, against -0.3);
    the third is one by serial (1.05) and two by asset tag (0.95)."""
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server(one, "a", "r", hostname="hz-app7", serial="SN-0001", mac="00:1a:2b:3c:4d:5e"),
        server(two, "b", "r", hostname="hz-app7", mac="00:1a:2b:3c:4d:5f", asset_tag="ZC-7"),
        server(third, "b", "r", hostname="localhost", serial="SN-0001", asset_tag="ZC-7"),
    )
    assert _same(led) == [tuple(sorted((f"server:{one}", f"server:{third}")))]
    # without the MACs nothing is against the pair: all three are one machine
    led = dataclasses.replace(
        led, servers={k: dataclasses.replace(s, mac=None) for k, s in led.servers.items()}
    )
    assert _same(led) == [tuple(sorted(f"server:{i}" for i in (one, two, third)))]


def _app7(ident: str, owner: str) -> model.Server:
    return server(ident, owner, "r", hostname="hz-app7")  # 0.45 + 0.15 with any other


@pytest.mark.parametrize("lone", ["a0", "z9"])
def test_a_record_equally_like_two_kept_apart_joins_neither(lone: str) -> None:
    led = ledger(dept("a"), dept("b"), site("r", "a"), _app7("x1", "a"), _app7("x2", "b"), _app7(lone, "b"))
    assert len(_same(led)) == 1
    assert _same(led, Thresholds(keep_apart=(("x1", "x2"),))) == []


def test_ambiguity_with_a_third_close_partner_still_joins_nothing() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        *(_app7(i, o) for i, o in (("x1", "a"), ("x2", "b"), ("x3", "b"), ("x4", "a"))),
    )
    assert _same(led, Thresholds(keep_apart=(("x1", "x2"),))) == []


def test_keep_apart_refuses_the_join_but_not_the_others() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server("x1", "a", "r", hostname="localhost", serial="SN-0001"),
        server("x2", "b", "r", hostname="localhost", serial="SN-0001", asset_tag="ZC-7"),
        server("x3", "b", "r", hostname="localhost", asset_tag="ZC-7"),
    )
    # x2 is x1 by serial (1.05), x3 by asset tag (0.95): not equally alike, not ambiguous
    assert _same(led) == [("server:x1", "server:x2", "server:x3")]
    assert _same(led, Thresholds(keep_apart=(("x1", "x3"),))) == [("server:x1", "server:x2")]
    assert _same(led, Thresholds(keep_apart=(("x3", "x1"),))) == [("server:x1", "server:x2")]


def test_a_server_in_an_unknown_room_is_not_in_another_building() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a", address="长江路1号"),
        server("x1", "a", "r", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64, os="Kylin V10"),
        server("x2", "b", "ghost", hostname="hz-edu-db01", cpu_cores=16, memory_gb=64, os="Kylin V10"),
    )
    [finding] = _findings(led)
    assert finding.evidence["pairs"][0]["features"] == {"hostname": 0.45, "size": 0.1, "os": 0.05}
    assert finding.evidence["buildings"] == ["site:ghost", "长江路1号"]


# ---- the finding -------------------------------------------------------------------------


def test_a_finding_lists_its_pairs_weakest_score_keys_and_names() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        site("r", "a"),
        server(
            "x1",
            "a",
            "r",
            serial="SN-0001",
            mac="00:1a:2b:3c:4d:5e",
            os="Kylin V10",
            source=model.Source("a.yaml", ("servers", 0)),
        ),
        server("x2", "b", "r", serial="SN-0001", source=model.Source("b.yaml", ("servers", 3))),
        server(
            "x3",
            "b",
            "r",
            mac="00:1a:2b:3c:4d:5e",
            os="Kylin V10",
            source=model.Source("b.yaml", ("servers", 4)),
        ),
    )
    [finding] = _findings(led)
    assert finding.kind == "same-asset"
    assert finding.members == ("server:x1", "server:x2", "server:x3")
    assert finding.reason == "same-asset"
    assert finding.recommendation == "merge-records"
    assert finding.departments == ("a", "b")
    assert finding.confidence == 0.95
    assert finding.evidence == {
        "asset": "server",
        "matched_on": ["mac", "os", "same-room", "serial"],
        "score": 0.95,
        "threshold": 0.6,
        "pairs": [
            {
                "a": "x1",
                "b": "x2",
                "score": 0.95,
                "features": {"hostname-differs": -0.1, "same-room": 0.15, "serial": 0.9},
            },
            {
                "a": "x1",
                "b": "x3",
                "score": 1.0,
                "features": {"hostname-differs": -0.1, "mac": 0.9, "os": 0.05, "same-room": 0.15},
            },
        ],
        "records": [
            {"file": "a.yaml", "path": model.Source("a.yaml", ("servers", 0)).pointer()},
            {"file": "b.yaml", "path": model.Source("b.yaml", ("servers", 3)).pointer()},
            {"file": "b.yaml", "path": model.Source("b.yaml", ("servers", 4)).pointer()},
        ],
        "names": ["x1", "x2", "x3"],
        "buildings": ["site:r"],
    }
    assert finding.params == {
        "asset": "server",
        "count": 3,
        "keys": "mac, os, same-room, serial",
        "names": "x1 / x2 / x3",
        "score": "0.95",
        "threshold": "0.6",
    }


def test_one_department_recording_twice_and_confidence_at_most_one() -> None:
    led = ledger(
        dept("a"),
        site("r", "a"),
        server("x1", "a", "r", hostname="hz-db1", serial="SN-0001", mac="00:1a:2b:3c:4d:5e"),
        server("x2", "a", "r", hostname="hz-db1", serial="SN-0001", mac="00:1a:2b:3c:4d:5e"),
    )
    [finding] = _findings(led)
    assert finding.reason == "same-asset-one-ledger"
    assert finding.departments == ("a",)
    assert finding.evidence["score"] == 2.4
    assert finding.confidence == 1.0
    assert finding.evidence["names"] == ["hz-db1"]


def test_a_room_finding_names_the_rooms() -> None:
    led = ledger(
        dept("wjw"),
        site("r1", "wjw", name="省卫健委机房", address="海州市海东区健康路 8 号"),
        site("r2", "wjw", name="卫健委 数据中心 一楼", address="健康路八号"),
    )
    [finding] = _findings(led)
    assert finding.evidence["asset"] == finding.params["asset"] == "site"
    assert finding.evidence["names"] == ["卫健委 数据中心 一楼", "省卫健委机房"]
    assert finding.params["threshold"] == "0.6"
    assert finding.params["score"] == "0.90"
