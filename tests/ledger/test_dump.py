"""A ledger written back to YAML and loaded again is the same ledger."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.ledger import choices, dump, load, model
from tests.conftest import MINI

# Text people put in names and notes: Chinese, YAML-significant characters, look-alikes of
# other YAML types ("yes", "1.0", "2020-01-01", "null"), leading/trailing spaces, newlines.
_TRICKY = [
    "yes",
    "no",
    "on",
    "null",
    "~",
    "1.0",
    "0x1F",
    "2020-01-01",
    "- item",
    "a: b",
    "#x",
    "*ref",
    "&a",
    "!tag",
    "'q'",
    '"d"',
    " lead",
    "trail ",
    "多\n行",
]
text = st.one_of(
    st.sampled_from(_TRICKY),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
        | st.sampled_from("海岳省机房专线 \t:#-"),
        min_size=1,
        max_size=30,
    ),
)
ident = st.from_regex(r"\A[a-z][a-z0-9-]{0,12}\Z").filter(lambda s: not s.endswith("-"))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
pct = st.floats(min_value=0, max_value=100, allow_nan=False)


def choice(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(choices.ALL[name].values)


@st.composite
def ledgers(draw: st.DrawFn) -> model.Ledger:
    region = model.Region(
        id="r", name=draw(text), region_code="990000", as_of=draw(dates), name_en=draw(st.none() | text)
    )
    dept_ids = draw(st.lists(ident, min_size=1, max_size=3, unique=True))
    departments = {
        d: model.Department(
            d, draw(text), draw(choice("admin_level")), "990000", name_en=draw(st.none() | text)
        )
        for d in dept_ids
    }
    sites = {}
    for i in range(draw(st.integers(1, 3))):
        sid = f"site-{i}"
        sites[sid] = model.Site(
            sid,
            draw(text),
            draw(st.sampled_from(dept_ids)),
            draw(choice("site_kind")),
            address=draw(st.none() | text),
            racks=draw(st.none() | st.integers(0, 100)),
            pue=draw(st.none() | st.floats(1, 5, allow_nan=False)),
            yearly_cost_cny=draw(st.none() | money),  # None: not recorded, a recorded 0 stays
            contract_end=draw(st.none() | dates),
            power_redundancy=draw(st.none() | choice("power_redundancy")),
            closed_on=draw(st.none() | dates),
            equipment=tuple(
                draw(
                    st.lists(
                        st.builds(
                            model.Equipment,
                            choice("equipment_kind"),
                            st.integers(1, 50),
                            st.sampled_from([(), ("net-0",)]),
                            st.none() | text,
                        ),
                        max_size=2,
                    )
                )
            ),
        )
    servers = {}
    for i in range(draw(st.integers(0, 5))):
        sid = f"srv-{i}"
        servers[sid] = model.Server(
            sid,
            draw(st.sampled_from(dept_ids)),
            draw(st.sampled_from(sorted(sites))),
            draw(text),
            serial=draw(st.none() | text),
            ips=tuple(
                draw(st.lists(st.sampled_from(["10.0.0.1", "192.168.1.2", "172.16.0.9"]), unique=True))
            ),
            kind=draw(choice("server_kind")),
            cpu_cores=draw(st.integers(1, 128)),
            memory_gb=draw(st.floats(0, 4096, allow_nan=False)),
            os=draw(st.none() | text),
            arch=draw(choice("cpu_arch")),
            cpu_p95_pct=draw(st.none() | pct),
            purchase_date=draw(st.none() | dates),
            purchase_value_cny=draw(st.none() | money),
            mac=draw(st.none() | text),
            asset_tag=draw(st.none() | text),
            status=draw(choice("server_status")),
            role=draw(st.none() | choice("server_role")),
            net_p95_mbps=draw(st.none() | money),
            metrics_days=draw(st.none() | st.integers(1, 3660)),
        )
    networks = {
        "net-0": model.Network(
            "net-0",
            draw(text),
            dept_ids[0],
            draw(choice("network_kind")),
            cidrs=("10.1.0.0/16",),
            vlans=(10, 20),
            cut_over_on=draw(st.none() | dates),
        )
    }
    lines = {}
    for i in range(draw(st.integers(0, 3))):
        lid = f"line-{i}"
        lines[lid] = model.Line(
            lid,
            draw(st.sampled_from(dept_ids)),
            draw(choice("carrier")),
            draw(st.floats(0.064, 10000, allow_nan=False)),
            model.LineEnd(site=draw(st.sampled_from(sorted(sites)))),
            model.LineEnd(address=draw(text), region_code=draw(st.none() | st.just("990100"))),
            technology=draw(st.none() | choice("line_technology")),
            monthly_fee_cny=draw(money),
            network=draw(st.none() | st.just("net-0")),
            redundancy_group=draw(st.none() | text),
            encryption=draw(st.none() | choice("encryption")),
            cancelled_on=draw(st.none() | dates),
        )
    systems = {}
    sys_ids = [f"sys-{i}" for i in range(draw(st.integers(0, 4)))]
    for sid in sys_ids:
        others = [o for o in sys_ids if o != sid]
        deps = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
        systems[sid] = model.System(
            sid,
            draw(text),
            draw(st.sampled_from(dept_ids)),
            draw(st.integers(1, 4)),
            category=draw(choice("system_category")),
            classification=draw(choice("classification")),
            data_class=draw(choice("data_class")),
            servers=tuple(draw(st.lists(st.sampled_from(sorted(servers)), unique=True)) if servers else ()),
            dependencies=tuple(
                model.Dependency(
                    d, draw(choice("protocol")), draw(st.none() | st.integers(1, 65535)), draw(st.booleans())
                )
                for d in deps
            ),
            internet_facing=draw(st.booleans()),
            operator=draw(st.none() | choice("operator_kind")),
            operator_name=draw(st.none() | text),
            ops_staff_fte=draw(st.floats(0, 50, allow_nan=False)),
            ops_outsourcing_cny=draw(money),
            backup=draw(
                st.none()
                | st.builds(
                    model.Backup,
                    st.booleans(),
                    st.booleans(),
                    st.booleans(),
                    st.none() | st.sampled_from(sorted(sites)),
                )
            ),
            rto_hours=draw(st.none() | st.floats(0, 1000, allow_nan=False)),
            graded_on=draw(st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))),
            filing_no=draw(st.none() | text),
            assessed_on=draw(st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))),
            assessment_result=draw(st.none() | choice("assessment_result")),
            crypto_assessed_on=draw(st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))),
            crypto_assessment_result=draw(st.none() | choice("assessment_result")),
            xinchuang=draw(st.booleans()),
            migrated_on=draw(st.none() | dates),
            migrated_to=draw(st.none() | st.just("cloud")),
            retired_on=draw(st.none() | dates),
            wave=draw(st.none() | st.integers(1, 40)),
        )
    cloud_nodes = {
        "cloud": model.CloudNode(
            "cloud",
            draw(text),
            draw(choice("cloud_provider")),
            "cn-hangzhou",
            (
                model.Zone("z1", draw(st.none() | text), recovery_zone=draw(st.none() | st.just("z2"))),
                model.Zone("z2"),
            ),
            draw(st.integers(1, 4)),
            capacity=model.Capacity(vcpus=draw(st.none() | st.integers(0, 10**6))),
            archs=tuple(draw(st.lists(choice("cpu_arch"), min_size=1, unique=True))),
            recovery_region=draw(st.none() | st.just("cn-shanghai")),
        )
    }
    prices = draw(
        st.just(model.Prices())
        | st.builds(
            model.Prices,
            example=st.booleans(),
            instance_types=st.lists(
                st.builds(
                    model.InstanceType,
                    st.just("cloud"),
                    text,
                    st.integers(1, 64),
                    st.floats(0, 512, allow_nan=False),
                    money,
                ),
                max_size=2,
            ).map(tuple),
            migration=st.builds(model.MigrationPrices, money, money, money, money, money),
            ops_staff_fte_year_cny=money,
            as_is=st.builds(
                model.AsIsPrices,
                money,
                money,
                money,
                money,
                st.floats(0, 10, allow_nan=False),
                st.floats(0, 10, allow_nan=False),
                st.floats(1, 5, allow_nan=False),
                money,
            ),
            images=st.lists(
                st.builds(model.Image, st.just("cloud"), choice("os_family"), choice("cpu_arch"), text, text),
                max_size=2,
            ).map(tuple),
        )
    )
    return model.Ledger(
        region=region,
        departments=departments,
        sites=sites,
        servers=servers,
        networks=networks,
        lines=lines,
        systems=systems,
        cloud_nodes=cloud_nodes,
        access_points={},
        prices=prices,
    )


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(ledgers())
def test_layout_round_trip(ledger: model.Ledger) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dump.write_layout(ledger, Path(tmp))
        result = load(tmp)
        assert result.errors == [], [p.render("en") for p in result.errors]
        assert result.ledger == ledger


@_SETTINGS
@given(ledgers())
def test_single_file_round_trip(ledger: model.Ledger) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = dump.write_single(ledger, Path(tmp) / "全省一本账.yaml")
        result = load(path)
        assert result.errors == [], [p.render("en") for p in result.errors]
        assert result.ledger == ledger


def test_mini_round_trips_through_both_forms(tmp_path: Path) -> None:
    original = load(MINI).ledger
    assert original is not None
    dump.write_layout(original, tmp_path / "layout")
    dump.write_single(original, tmp_path / "single.yaml")
    assert load(tmp_path / "layout").ledger == original
    assert load(tmp_path / "single.yaml").ledger == original


def test_layout_omits_owner_and_defaults() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    docs = dump.layout_documents(ledger)
    assert sorted(docs) == [
        "departments/gat.yaml",
        "departments/wjw.yaml",
        "prices.yaml",
        "region.yaml",
        "targets.yaml",
    ]
    server = docs["departments/wjw.yaml"]["servers"][0]
    assert "owner" not in server
    assert "arch" not in server  # x86_64 is the default
    assert server["kind"] == "vm"


def test_yaml_text_is_deterministic_and_keeps_chinese() -> None:
    ledger = load(MINI).ledger
    assert ledger is not None
    first = dump.yaml_text(dump.single_document(ledger))
    assert first == dump.yaml_text(dump.single_document(load(MINI).ledger))  # type: ignore[arg-type]
    assert "测试省公安厅" in first
