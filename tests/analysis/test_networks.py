"""Private networks the extranet can replace, and address conflicts with re-addressing."""

from __future__ import annotations

import ipaddress

import pytest

from govcloud.analysis import Thresholds, analyse
from govcloud.ledger import model
from govcloud.ledger.networks import Allocator, overlaps, ranges
from tests.analysis.builders import dept, ledger, line, site

PRICES = model.Prices(extranet_mbps_month_cny=10)


def _net(
    ident: str, owner: str, kind: str = "private", cidrs: tuple[str, ...] = (), sites: tuple[str, ...] = ()
) -> model.Network:
    return model.Network(ident, ident, owner, kind, cidrs=cidrs, sites=sites)


def _ap(
    ident: str, mbps: float, region_code: str | None = None, level: str | None = None
) -> model.AccessPoint:
    return model.AccessPoint(ident, ident, mbps, region_code=region_code, level=level)


def test_private_network_within_reach_of_an_access_point() -> None:
    led = ledger(
        dept("a"),
        site("s1", "a", region_code="990102"),
        site("s2", "a", region_code="990103"),
        _ap("ap-hz", 1000, "990100"),
        _net("pn", "a", sites=("s1", "s2")),
        line(
            "l1",
            "a",
            model.LineEnd(site="s1"),
            model.LineEnd(site="s2"),
            bandwidth_mbps=100,
            monthly_fee_cny=5000,
            network="pn",
        ),
        prices=PRICES,
    )
    # a city access point reaches the whole prefecture only when the reach rule says so
    [finding] = analyse(led, Thresholds(extranet_reach_digits=4), kinds=["private-network"]).findings
    assert finding.status == "candidate"
    assert finding.evidence["access_points"] == {"s1": "ap-hz", "s2": "ap-hz"}
    assert finding.saving_cny == pytest.approx(60_000 - 100 * 10 * 12)


def test_not_enough_headroom_means_no_candidate() -> None:
    led = ledger(
        dept("a"),
        site("s1", "a", region_code="990102"),
        _ap("ap", 120, "990100"),
        _net("pn", "a", sites=("s1",)),
        line(
            "l1", "a", model.LineEnd(site="s1"), model.LineEnd(address="x"), bandwidth_mbps=100, network="pn"
        ),
    )
    [finding] = analyse(led, Thresholds(extranet_reach_digits=4), kinds=["private-network"]).findings
    assert (finding.status, finding.reason) == ("kept", "network-ap-too-narrow")


def test_classified_and_national_vertical_networks_are_kept_and_say_why() -> None:
    led = ledger(
        dept("a"), _ap("ap", 10_000), _net("sm", "a", "classified"), _net("gaw", "a", "national_vertical")
    )
    findings = analyse(led, kinds=["private-network"]).findings
    assert sorted((f.status, f.reason) for f in findings) == [
        ("kept", "network-classified"),
        ("kept", "network-national-vertical"),
    ]


def test_overlapping_private_ranges_get_new_addresses_from_the_plan() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        dept("c"),
        _net("na", "a", cidrs=("192.168.1.0/24",), sites=("x", "y")),
        _net("nb", "b", cidrs=("192.168.1.128/25", "10.64.0.0/24")),
        _net("nc", "c", cidrs=("192.168.2.0/24",)),
        _net("secret", "c", "classified", cidrs=("192.168.1.0/24",)),  # never joined
        address_plan=("10.64.0.0/23",),
    )
    [finding] = analyse(led, kinds=["address-conflict"]).findings
    assert finding.members == ("network:na", "network:nb")
    assert finding.evidence["keeps_addresses"] == "na"
    # 10.64.0.0/24 is used by nb itself, so the first free /25 is 10.64.1.0/25
    assert finding.evidence["proposal"] == {"nb": ["10.64.1.0/25"]}


def test_no_space_left_is_said() -> None:
    led = ledger(
        dept("a"),
        dept("b"),
        _net("na", "a", cidrs=("10.1.0.0/16",)),
        _net("nb", "b", cidrs=("10.1.0.0/16",)),
        address_plan=("10.200.0.0/24",),
    )
    [finding] = analyse(led, kinds=["address-conflict"]).findings
    assert finding.recommendation == "readdress-no-space"
    assert finding.evidence["proposal"] == {"nb": [None]}


def test_sweep_finds_exactly_the_overlapping_pairs() -> None:
    nets = [
        _net("a", "o", cidrs=("10.0.0.0/8",)),
        _net("b", "o", cidrs=("10.1.0.0/16",)),
        _net("c", "o", cidrs=("10.1.2.0/24",)),
        _net("d", "o", cidrs=("11.0.0.0/8",)),
        _net("e", "o", cidrs=("fd00::/64",)),
        _net("f", "o", cidrs=("fd00::/48",)),
    ]
    found = {tuple(sorted((x.network, y.network))) for x, y in overlaps(ranges(nets))}
    brute = set()
    parsed = [(n.id, ipaddress.ip_network(c)) for n in nets for c in n.cidrs]
    for i, (ni, a) in enumerate(parsed):
        for nj, b in parsed[i + 1 :]:
            if a.version == b.version and a.overlaps(b):  # type: ignore[arg-type]
                brute.add(tuple(sorted((ni, nj))))
    assert found == brute == {("a", "b"), ("a", "c"), ("b", "c"), ("e", "f")}


def test_allocator_hands_out_distinct_aligned_blocks() -> None:
    allocator = Allocator(["10.0.0.0/22"], [ipaddress.ip_network("10.0.1.0/24")])
    got = [allocator.take("192.168.0.0/24") for _ in range(4)]
    assert got == ["10.0.0.0/24", "10.0.2.0/24", "10.0.3.0/24", ""]


def test_overlap_counts_equal_counting_the_pairs() -> None:
    import random

    from govcloud.ledger.networks import Range, overlap_counts

    rng = random.Random(21)  # noqa: S311 - test data, not secrets
    found = []
    for i in range(300):
        first = rng.randrange(0, 1000)
        found.append(Range(first, first + rng.randrange(0, 50), 4, f"n{rng.randrange(40)}", f"c{i}"))
    found.sort(key=lambda r: (r.version, r.first, r.last, r.network))
    expected: dict[str, int] = {}
    for a, b in overlaps(found):
        expected[a.network] = expected.get(a.network, 0) + 1
        expected[b.network] = expected.get(b.network, 0) + 1
    assert overlap_counts(found) == expected


def test_an_address_plan_where_everything_overlaps_is_bounded() -> None:
    import time

    from govcloud.analysis import addresses

    networks = [_net(f"n{i:05d}", f"d{i % 7}", cidrs=("10.0.0.0/16",)) for i in range(5_000)]
    led = ledger(*(dept(f"d{i}") for i in range(7)), *networks, address_plan=("10.0.0.0/8",))
    start = time.perf_counter()
    [finding] = analyse(led, kinds=["address-conflict"]).findings
    assert time.perf_counter() - start < 10
    assert len(finding.members) == 5_000  # every network in one conflict …
    assert len(finding.evidence["overlaps"]) <= addresses.MAX_EVIDENCE_PAIRS  # … with bounded evidence
    assert finding.evidence["truncated"] == {
        "max_pairs": addresses.MAX_EVIDENCE_PAIRS,
        "max_proposals": addresses.MAX_PROPOSALS,
    }


def test_the_allocator_gives_what_repeated_address_exclude_gave() -> None:
    import random

    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    used = [
        ipaddress.ip_network(
            f"10.{rng.randrange(4)}.{rng.randrange(256)}.0/{rng.choice([20, 24, 28])}", strict=False
        )
        for _ in range(40)
    ]
    expected: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = [ipaddress.ip_network("10.0.0.0/14")]
    for taken in used:
        pieces = []
        for piece in expected:
            if piece.overlaps(taken):
                pieces += [] if taken.supernet_of(piece) else list(piece.address_exclude(taken))  # type: ignore[arg-type]
            else:
                pieces.append(piece)
        expected = pieces
    expected.sort(key=lambda n: int(n.network_address))
    assert Allocator(["10.0.0.0/14"], used).free == expected
