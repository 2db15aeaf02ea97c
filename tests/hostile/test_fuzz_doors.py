"""Fuzzing every door, not only the ledger: a hypothesis strategy per input kind, and each
reader either accepts the input or refuses it with its own error type, never anything else."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcloud.analysis.config import load_thresholds
from govcloud.baseline import load_waivers
from govcloud.importers import azure_migrate, netbox
from govcloud.plan import diff as plan_diff
from govcloud.plan.scenario import load_scenario
from govcloud.report.html import inputs as report_inputs
from govcloud.settings import ConfigError, check_mapping
from govcloud.stacks import diff as stacks_diff
from govcloud.tabular import sheets
from govcloud.tabular.columns import SHEETS
from tests.hostile.doors import AZURE_HEADER, AZURE_ROW, _dump_doc, planned

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NASTY_TEXT = st.text(
    alphabet=st.sampled_from(
        [*list("az09-_./\\:中文 "), "\x00", "\x1b", "\u202e", "\u200b", "\ufeff", "\n", "="]
    ),
    max_size=12,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    NASTY_TEXT,
)


def _names(exc: Exception, name: str) -> None:
    """A refusal names the file it refused."""
    assert name in str(exc), str(exc)


def values(keys: list[str]) -> st.SearchStrategy[Any]:
    """Plain documents whose mapping keys are mostly the door's own (so the fuzzer reaches
    past the first check), with any scalar, list or mapping as values."""
    key = st.one_of(st.sampled_from(keys), NASTY_TEXT)
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(key, children, max_size=5)
        ),
        max_leaves=20,
    )


def _yaml_file(folder: Path, name: str, value: Any) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
    return path


SCENARIO_KEYS = [
    "scenario",
    "name",
    "keep_departments",
    "force",
    "rules",
    "analysis",
    "prices",
    "migration",
    "wave_max_servers",
    "duplicate_min_confidence",
    "idle_cpu_p95_pct",
    "extranet_mbps_month_cny",
    "per_server_cny",
    "targets",
    "calendar",
    "platforms",
    "common_functions",
    "freeze",
    "add",
    "remove",
    "resize",
]


@_SETTINGS
@given(values(SCENARIO_KEYS))
def test_scenario_door(value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _yaml_file(Path(tmp), "情景.yaml", {"scenario": value} if isinstance(value, dict) else value)
        try:
            scenario = load_scenario(path)
        except ConfigError as exc:
            _names(exc, "情景.yaml")
            return
        assert isinstance(scenario.rules, dict)


@_SETTINGS
@given(values(["analysis", "idle_cpu_p95_pct", "name_similarity", "room_small_racks", "default_pue"]))
def test_thresholds_door(value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _yaml_file(Path(tmp), "阈值.yaml", {"analysis": value} if isinstance(value, dict) else value)
        try:
            thresholds = load_thresholds(path)
        except ConfigError as exc:
            _names(exc, "阈值.yaml")
            return
        assert 0 <= thresholds.name_similarity <= 1


WAIVER = {
    "rule": "r",
    "target": "*",
    "reason": "因为",
    "approver": "张三",
    "ticket": "GC-1",
    "expires": "2030-01-01",
}


@_SETTINGS
@given(st.lists(st.one_of(values(list(WAIVER)), st.just(WAIVER)), max_size=3))
def test_waivers_door(items: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _yaml_file(Path(tmp), "豁免.yaml", {"waivers": items})
        try:
            waivers = load_waivers(path)
        except ConfigError as exc:
            _names(exc, "豁免.yaml")
            return
        assert all(2000 <= w.expires.year <= 2200 for w in waivers)


LISTS = [key for key, _ in SHEETS]


@_SETTINGS
@given(values(["sheets", "columns", *LISTS, "name", "id"]))
def test_mapping_door(value: Any) -> None:
    try:
        mapping = check_mapping(value, "映射.yaml", LISTS)
    except ConfigError as exc:
        _names(exc, "映射.yaml")
        return
    assert set(mapping) == {"sheets", "columns"}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(doc: Any, draw: st.DrawFn) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        if not path:
            continue
        node = doc
        for part in path[:-1]:
            node = node[part]
        if draw(st.booleans()) and isinstance(node, dict):
            del node[path[-1]]
        else:
            node[path[-1]] = draw(values(["id", "name", "system", "action", "wave", "zh", "en"]))
    return doc


@st.composite
def plan_documents(draw: st.DrawFn) -> str:
    doc = json.loads((planned() / "plan.json").read_text(encoding="utf-8"))
    return json.dumps(_mutate(doc, draw), ensure_ascii=False, allow_nan=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_documents())
def test_diff_and_report_doors(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        import shutil

        folder = Path(tmp) / "计划"
        shutil.copytree(planned(), folder)
        (folder / "plan.json").write_text(text, encoding="utf-8")
        try:
            changes = plan_diff.compare(
                plan_diff.read(planned() / "plan.json"), plan_diff.read(folder / "plan.json")
            )
        except plan_diff.PlanFileError as exc:
            _names(exc, "plan.json")
        else:
            assert plan_diff.text(changes, "zh")
        try:
            report_inputs.read(folder / "plan.json")
        except report_inputs.ReportInputError as exc:
            _names(exc, "plan.json")


@st.composite
def resource_documents(draw: st.DrawFn) -> str:
    spec = sorted((planned() / "stacks").glob("*/*/resources.json"))[0]
    doc = json.loads(spec.read_text(encoding="utf-8"))
    doc["resources"] = doc["resources"][:4]
    return json.dumps(_mutate(doc, draw), ensure_ascii=False, allow_nan=True)


@_SETTINGS
@given(resource_documents())
def test_stacks_diff_door(text: str) -> None:
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        plan_folder = sorted((planned() / "stacks").iterdir())[0]
        old, new = Path(tmp) / "old", Path(tmp) / "new"
        shutil.copytree(plan_folder, old)
        shutil.copytree(plan_folder, new)
        sorted(new.glob("*/resources.json"))[0].write_text(text, encoding="utf-8")
        try:
            changes = stacks_diff.compare(old, new)
        except stacks_diff.StacksFileError as exc:
            _names(exc, "resources.json")
        else:
            assert stacks_diff.text(changes)


CSV_TEXT = st.text(alphabet=st.sampled_from([*list(',;"\t\r\n ax1中.-='), "\x00", "\u202e"]), max_size=300)


@_SETTINGS
@given(CSV_TEXT, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_csv_door(text: str, encoding: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "机房.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        try:
            [sheet] = sheets.read(path)
        except sheets.SheetError as exc:
            _names(exc, "机房.csv")
            return
        assert all(isinstance(row, list) for _, row in sheet.rows)


MODELS = sorted({item["model"] for item in _dump_doc()})


@st.composite
def netbox_dumps(draw: st.DrawFn) -> str:
    doc = _dump_doc()
    for _ in range(draw(st.integers(1, 4))):
        item = draw(st.sampled_from(doc))
        choice = draw(st.sampled_from(["field", "pk", "drop", "model"]))
        if choice == "field":
            key = draw(st.one_of(st.sampled_from(sorted(item["fields"]) or ["name"]), NASTY_TEXT))
            item["fields"][key] = draw(values(["id", "name", "slug"]))
        elif choice == "pk":
            item["pk"] = draw(SCALARS)
        elif choice == "drop" and item["fields"]:
            del item["fields"][draw(st.sampled_from(sorted(item["fields"])))]
        else:
            item["model"] = draw(st.sampled_from(MODELS))
    return json.dumps(doc, ensure_ascii=False, allow_nan=True)


@_SETTINGS
@given(netbox_dumps())
def test_netbox_door(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "netbox.json"
        path.write_text(text, encoding="utf-8")
        try:
            document, problems = netbox.import_any([path])
        except netbox.NetboxError as exc:
            _names(exc, "netbox.json")
            return
        for item in document.get("servers", []):
            assert isinstance(item.get("cpu_cores", 1), int)
        assert all(p.file for p in problems)


@_SETTINGS
@given(
    st.lists(
        st.one_of(st.sampled_from(AZURE_ROW), NASTY_TEXT, st.sampled_from(["inf", "1e400", "nan", "-4"])),
        min_size=9,
        max_size=9,
    )
)
def test_azure_door(row: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "discovery.csv"
        cells = ['"' + cell.replace('"', '""') + '"' for cell in row]
        path.write_text(AZURE_HEADER + ",".join(cells) + "\n", encoding="utf-8")
        document, problems = azure_migrate.import_csv(path, "d", "room")
        for server in document.get("servers", []):
            assert 1 <= server.get("cpu_cores", 1) <= 100_000
            for key in ("cpu_p95_pct", "mem_p95_pct"):
                assert 0 <= server.get(key, 0) <= 100
        assert all(p.file for p in problems)
