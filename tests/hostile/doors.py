"""Hostile inputs for every door other than the ledger's YAML: settings (thresholds,
scenario, waivers, mapping), the JSON documents read back by ``diff``, ``report`` and
``stacks diff``, the importers (CSV, xlsx, NetBox dump/REST/CSV, Azure Migrate), and the
outputs that must not carry an attack (xlsx export, terminal).

Each case writes its files under a temporary folder and returns the command line to run;
every one must end with one of its exit codes, no exception but ``SystemExit``, no
traceback, within a few seconds, and (for refusals) name the file it refused.
"""

from __future__ import annotations

import atexit
import copy
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.hostile.corpus import base, department

Make = Callable[[Path], list[str]]


@dataclass(frozen=True)
class DoorCase:
    name: str
    door: str
    klass: str  # traceback | hang | injection | accepted | half-written
    make: Make
    exits: tuple[int, ...]
    #: text the output must contain (the refused file's name, or the field)
    names: str = ""
    #: further checks on the folder after the run
    after: Callable[[Path], None] | None = field(default=None, compare=False)


def _yaml(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _text(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _ledger(tmp: Path) -> Path:
    root = tmp / "台账"
    if not root.exists():
        base(root)
    return root


#: values that are not a sane number for any setting
HOSTILE_NUMBERS: list[tuple[str, Any]] = [
    ("inf", float("inf")),
    ("neg-inf", float("-inf")),
    ("nan", float("nan")),
    ("1e300", 1e300),
    ("neg", -1),
    ("huge-int", 10**40),
    ("text", "八"),
    ("numeric-text", "8"),
    ("bool", True),
    ("null", None),
    ("list", [1]),
    ("mapping", {"a": 1}),
]
#: per setting, values inside [0, ∞) that are still out of its own range
OUT_OF_RANGE = {
    "duplicate_min_confidence": [7, 1.01],
    "wave_max_servers": [0, 2.5, 10**7],
    "comfort_factor": [0.5, 11],
    "pilot_max_mlps_level": [0, 6],
    "transfer_bandwidth_share": [0, 2],
    "wave_weeks": [0, 100_000],
    "wave_max_data_tb": [0],
    "max_transfer_hours": [0.5],
}
THRESHOLD_OUT_OF_RANGE = {
    "room_low_utilisation_pct": [101, 1e6],
    "idle_cpu_p95_pct": [150],
    "name_similarity": [1.5, 7],
    "default_pue": [0, 0.5, 50],
    "room_saving_share": [2],
    "bandwidth_headroom": [0.1],
    "room_small_racks": [2.5],
}


def _yaml_dump(doc: Any) -> str:
    # YAML has .inf/.nan; safe_dump writes them so the reader sees real non-finite floats
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _settings_file(tmp: Path, name: str, doc: Any) -> Path:
    return _text(tmp / name, _yaml_dump(doc) if not isinstance(doc, str | bytes) else doc)


# ---- settings: scenario, thresholds, waivers, mapping


def _scenario(doc: Any, raw: bool = False) -> Make:
    def make(tmp: Path) -> list[str]:
        path = _text(tmp / "情景.yaml", doc) if raw else _settings_file(tmp, "情景.yaml", doc)
        return ["plan", str(_ledger(tmp)), "--scenario", str(path), "--out", str(tmp / "out"), "--no-cache"]

    return make


def _no_out(tmp: Path) -> None:
    assert not (tmp / "out").exists(), "a refused run wrote outputs"


def _config(doc: Any, raw: bool = False) -> Make:
    def make(tmp: Path) -> list[str]:
        path = _text(tmp / "阈值.yaml", doc) if raw else _settings_file(tmp, "阈值.yaml", doc)
        return ["analyze", str(_ledger(tmp)), "--config", str(path)]

    return make


def _waivers(doc: Any, raw: bool = False) -> Make:
    def make(tmp: Path) -> list[str]:
        path = _text(tmp / "豁免.yaml", doc) if raw else _settings_file(tmp, "豁免.yaml", doc)
        return ["check", str(_ledger(tmp)), "--state", "as-is", "--waivers", str(path)]

    return make


CSV_OK = "id,name,kind\nroom9,机房九,self_built\n"


def _mapping(doc: Any, raw: bool = False) -> Make:
    def make(tmp: Path) -> list[str]:
        path = _text(tmp / "映射.yaml", doc) if raw else _settings_file(tmp, "映射.yaml", doc)
        source = _text(tmp / "机房.csv", CSV_OK)
        return ["import", "csv", str(source), "--out", str(tmp / "out"), "--mapping", str(path)]

    return make


def _special_file(kind: str, make_args: Callable[[Path, Path], list[str]], name: str) -> Make:
    """A FIFO, a character device (through a link) or a folder where a file should be."""

    def make(tmp: Path) -> list[str]:
        path = tmp / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "device":
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()
        return make_args(tmp, path)

    return make


def _huge_file(make_args: Callable[[Path, Path], list[str]], name: str, size: int) -> Make:
    def make(tmp: Path) -> list[str]:
        path = tmp / name
        with open(path, "wb") as handle:
            handle.truncate(size)  # sparse: costs no disk
        return make_args(tmp, path)

    return make


def settings_cases() -> Iterator[DoorCase]:
    scenario = {"scenario": {"name": "x"}}
    for key in ("rules", "analysis"):
        sample = "wave_max_servers" if key == "rules" else "idle_cpu_p95_pct"
        for label, value in HOSTILE_NUMBERS:
            doc = copy.deepcopy(scenario)
            doc["scenario"][key] = {sample: value}
            yield DoorCase(
                f"scenario.{key}.{label}", "scenario", "accepted", _scenario(doc), (2,), "情景.yaml", _no_out
            )
    for field_name, values in OUT_OF_RANGE.items():
        for value in values:
            doc = {"scenario": {"rules": {field_name: value}}}
            yield DoorCase(
                f"scenario.rules.{field_name}={value}",
                "scenario",
                "accepted",
                _scenario(doc),
                (2,),
                field_name,
                _no_out,
            )
    for field_name, values in THRESHOLD_OUT_OF_RANGE.items():
        for value in values:
            doc = {"scenario": {"analysis": {field_name: value}}}
            yield DoorCase(
                f"scenario.analysis.{field_name}={value}",
                "scenario",
                "accepted",
                _scenario(doc),
                (2,),
                field_name,
            )
            yield DoorCase(
                f"config.{field_name}={value}",
                "config",
                "accepted",
                _config({"analysis": {field_name: value}}),
                (2,),
                field_name,
            )
    for label, value in HOSTILE_NUMBERS:
        yield DoorCase(
            f"config.idle_cpu.{label}",
            "config",
            "accepted",
            _config({"analysis": {"idle_cpu_p95_pct": value}}),
            (2,),
            "阈值.yaml",
        )
        for price in ("extranet_mbps_month_cny", "migration"):
            doc = {
                "scenario": {"prices": {price: value if price != "migration" else {"per_server_cny": value}}}
            }
            yield DoorCase(
                f"scenario.prices.{price}.{label}", "scenario", "accepted", _scenario(doc), (2,), "情景.yaml"
            )
    shapes: list[tuple[str, Any]] = [
        ("top-list", [1, 2]),
        ("top-scalar", "just text"),
        ("scenario-list", {"scenario": [1]}),
        ("scenario-null", {"scenario": None}),
        ("unknown-key", {"scenario": {"rulez": {}}}),
        ("keep-not-list", {"scenario": {"keep_departments": "hy-gat"}}),
        ("keep-list-of-maps", {"scenario": {"keep_departments": [{"a": 1}]}}),
        ("keep-invisible", {"scenario": {"keep_departments": ["d\u202e"]}}),
        ("keep-zero-width", {"scenario": {"keep_departments": ["\u200bd"]}}),
        ("force-list", {"scenario": {"force": ["x"]}}),
        ("force-bad-action", {"scenario": {"force": {"x": "teleport"}}}),
        ("force-action-list", {"scenario": {"force": {"x": ["retain"]}}}),
        ("force-action-map", {"scenario": {"force": {"x": {"a": 1}}}}),
        ("rules-list", {"scenario": {"rules": [1]}}),
        ("rules-unknown", {"scenario": {"rules": {"nope": 1}}}),
        ("analysis-unknown", {"scenario": {"analysis": {"nope": 1}}}),
        ("prices-unknown", {"scenario": {"prices": {"gold": 1}}}),
        ("prices-migration-list", {"scenario": {"prices": {"migration": [1]}}}),
        ("name-mapping", {"scenario": {"name": {"a": 1}}}),
        ("name-huge", {"scenario": {"name": "名" * 10_000}}),
        ("force-ghost-system", {"scenario": {"force": {"ghost": "retain"}}}),
        ("keep-ghost-department", {"scenario": {"keep_departments": ["ghost"]}}),
        ("targets-remove-mappings", {"scenario": {"targets": {"remove": [{"id": "c"}]}}}),
        ("targets-list", {"scenario": {"targets": ["c"]}}),
        ("platforms-scalar", {"scenario": {"platforms": 5}}),
        ("platforms-bidi", {"scenario": {"platforms": ["x\u202e"]}}),
        (
            "calendar-freeze-30-feb",
            {"scenario": {"calendar": {"freeze": [{"name": "n", "from": "02-30", "to": "03-01"}]}}},
        ),
    ]
    for label, doc in shapes:
        yield DoorCase(
            f"scenario.shape.{label}", "scenario", "traceback", _scenario(doc), (2,), "情景.yaml", _no_out
        )
    raw: list[tuple[str, str | bytes]] = [
        ("yaml-syntax", "scenario: [\n"),
        ("python-tag", "scenario: !!python/object/apply:os.system ['true']\n"),
        ("billion-laughs", _laughs()),
        ("deep", "scenario: " + "[" * 2000 + "]" * 2000 + "\n"),
        ("binary", b"\x00\x01\x02"),
        ("gbk", "scenario: {name: 测试}\n".encode("gbk")),
        ("duplicate-key", "scenario: {}\nscenario: {}\n"),
        ("empty", ""),
    ]
    for label, text in raw:
        yield DoorCase(
            f"scenario.raw.{label}",
            "scenario",
            "traceback",
            _scenario(text, raw=True),
            (2,),
            "情景.yaml",
            _no_out,
        )
        yield DoorCase(
            f"config.raw.{label}", "config", "traceback", _config(text, raw=True), (2,), "阈值.yaml"
        )
        yield DoorCase(
            f"waivers.raw.{label}", "waivers", "traceback", _waivers(text, raw=True), (2,), "豁免.yaml"
        )
        yield DoorCase(
            f"mapping.raw.{label}", "mapping", "traceback", _mapping(text, raw=True), (2,), "映射.yaml"
        )
    config_shapes: list[tuple[str, Any]] = [
        ("top-list", [1]),
        ("analysis-list", {"analysis": [1]}),
        ("analysis-scalar", {"analysis": 5}),
        ("unknown", {"analysis": {"nope": 1}}),
    ]
    for label, doc in config_shapes:
        yield DoorCase(f"config.shape.{label}", "config", "traceback", _config(doc), (2,), "阈值.yaml")
    good = {
        "rule": "r",
        "target": "*",
        "reason": "因为",
        "approver": "张三",
        "ticket": "GC-1",
        "expires": "2030-01-01",
    }
    waiver_shapes: list[tuple[str, Any]] = [
        ("top-list", [good]),
        ("waivers-map", {"waivers": good}),
        ("item-list", {"waivers": [[1, 2]]}),
        ("item-scalar", {"waivers": ["x"]}),
        ("missing-rule", {"waivers": [{k: v for k, v in good.items() if k != "rule"}]}),
        ("rule-list", {"waivers": [{**good, "rule": ["a"]}]}),
        ("rule-map", {"waivers": [{**good, "rule": {"a": 1}}]}),
        ("expires-30-feb", {"waivers": [{**good, "expires": "2030-02-30"}]}),
        ("expires-year-0", {"waivers": [{**good, "expires": "0001-01-01"}]}),
        ("expires-9999", {"waivers": [{**good, "expires": "9999-12-31"}]}),
        ("expires-words", {"waivers": [{**good, "expires": "明年"}]}),
        ("expires-int", {"waivers": [{**good, "expires": 2030}]}),
        ("target-bidi", {"waivers": [{**good, "target": "a\u202e*"}]}),
        ("rule-escape", {"waivers": [{**good, "rule": "r\x1b[31m"}]}),
        ("reason-huge", {"waivers": [{**good, "reason": "长" * 5000}]}),
        ("target-huge-glob", {"waivers": [{**good, "target": "*" * 5000}]}),
        ("empty-approver", {"waivers": [{**good, "approver": ""}]}),
        ("ticket-bidi", {"waivers": [{**good, "ticket": "GC\u202e-1"}]}),
        ("ticket-list", {"waivers": [{**good, "ticket": ["GC-1"]}]}),
    ]
    for label, doc in waiver_shapes:
        yield DoorCase(f"waivers.shape.{label}", "waivers", "accepted", _waivers(doc), (2,), "豁免.yaml")
    mapping_shapes: list[tuple[str, Any]] = [
        ("top-list", [1]),
        ("top-scalar", "x"),
        ("unknown-key", {"sheet": {}}),
        ("sheets-list", {"sheets": ["a"]}),
        ("sheets-target-unknown", {"sheets": {"机房": "rooms"}}),
        ("sheets-target-list", {"sheets": {"机房": ["sites"]}}),
        ("sheets-target-null", {"sheets": {"机房": None}}),
        ("columns-list", {"columns": ["a"]}),
        ("columns-unknown-list", {"columns": {"rooms": {"名称": "name"}}}),
        ("columns-headers-list", {"columns": {"sites": ["名称"]}}),
        ("columns-field-list", {"columns": {"sites": {"名称": ["name"]}}}),
        ("columns-field-map", {"columns": {"sites": {"名称": {"a": 1}}}}),
        ("columns-null", {"columns": {"sites": None, "servers": [1]}}),
    ]
    for label, doc in mapping_shapes:
        yield DoorCase(f"mapping.shape.{label}", "mapping", "traceback", _mapping(doc), (2,), "映射.yaml")

    def scenario_args(tmp: Path, path: Path) -> list[str]:
        return ["plan", str(_ledger(tmp)), "--scenario", str(path), "--out", str(tmp / "out"), "--no-cache"]

    def config_args(tmp: Path, path: Path) -> list[str]:
        return ["analyze", str(_ledger(tmp)), "--config", str(path)]

    def waiver_args(tmp: Path, path: Path) -> list[str]:
        return ["check", str(_ledger(tmp)), "--state", "as-is", "--waivers", str(path)]

    def mapping_args(tmp: Path, path: Path) -> list[str]:
        source = _text(tmp / "机房.csv", CSV_OK)
        return ["import", "csv", str(source), "--out", str(tmp / "out"), "--mapping", str(path)]

    for door, args in (
        ("scenario", scenario_args),
        ("config", config_args),
        ("waivers", waiver_args),
        ("mapping", mapping_args),
    ):
        for kind in ("fifo", "device"):
            yield DoorCase(
                f"{door}.{kind}",
                door,
                "hang",
                _special_file(kind, args, f"{door}.yaml"),
                (2,),
                f"{door}.yaml",
            )
        yield DoorCase(
            f"{door}.huge",
            door,
            "hang",
            _huge_file(args, f"{door}.yaml", 64 * 1024 * 1024),
            (2,),
            f"{door}.yaml",
        )


def _laughs() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, key in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{key}: &{key} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\nscenario: {}\n"


# ---- JSON read back: diff, report, stacks diff

_PLANNED = Path(tempfile.mkdtemp(prefix="govcloud-doors-"))
atexit.register(shutil.rmtree, _PLANNED, True)


def planned() -> Path:
    """The outputs of ``govcloud plan`` on the corpus's valid ledger, made once."""
    out = _PLANNED / "out"
    if not (out / "plan.json").exists():
        from click.testing import CliRunner

        from govcloud.cli import cli

        base(_PLANNED / "台账")
        result = CliRunner().invoke(
            cli, ["plan", str(_PLANNED / "台账"), "--out", str(out), "--no-cache", "--lang", "en"]
        )
        assert result.exit_code == 0, result.output
    return out


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


#: JSON texts no govcloud or NetBox document is: each must be refused, naming the file
HOSTILE_JSON: list[tuple[str, str | bytes]] = [
    ("empty", ""),
    ("not-json", "{not json"),
    ("truncated", '{"schema_version": 1, "decisions": ['),
    ("nan", '{"schema_version": NaN}'),
    ("infinity", '{"schema_version": 1, "x": Infinity}'),
    ("neg-infinity", '{"schema_version": 1, "x": -Infinity}'),
    ("1e400", '{"schema_version": 1, "x": 1e400}'),
    ("huge-int", '{"schema_version": 1, "x": ' + "9" * 5000 + "}"),
    ("long-int", '{"schema_version": 1, "x": ' + "9" * 100 + "}"),
    ("deep-arrays", '{"a": ' + _deep(100_000) + "}"),
    ("deep-objects", '{"a":' * 5000 + "1" + "}" * 5000),
    ("deep-100", '{"a": ' + _deep(100) + "}"),
    ("top-list", "[1, 2, 3]"),
    ("top-string", '"plan"'),
    ("top-null", "null"),
    ("binary", b"\x00\x01\x02\xff"),
    ("utf16", '{"a": 1}'.encode("utf-16")),
    ("gbk", '{"名": "值"}'.encode("gbk")),
    ("bom", b"\xef\xbb\xbf" + b'{"schema_version": 2}'),
    ("wrong-version", '{"schema_version": 2, "decisions": []}'),
    ("version-string", '{"schema_version": "1", "decisions": []}'),
]


def _plan_doc() -> dict[str, Any]:
    value: dict[str, Any] = json.loads((planned() / "plan.json").read_text(encoding="utf-8"))
    return value


def _mutations_of_plan() -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    def set_(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
        def apply(doc: dict[str, Any]) -> None:
            node: Any = doc
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value

        return apply

    def drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
        def apply(doc: dict[str, Any]) -> None:
            node: Any = doc
            for part in path[:-1]:
                node = node[part]
            del node[path[-1]]

        return apply

    out: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("decisions-null", set_(("decisions",), None)),
        ("decisions-map", set_(("decisions",), {"a": 1})),
        ("decisions-item-list", set_(("decisions",), [[1]])),
        ("decision-missing-system", drop(("decisions", 0, "system"))),
        ("decision-system-int", set_(("decisions", 0, "system"), 5)),
        ("decision-action-unknown", set_(("decisions", 0, "action"), "teleport")),
        ("decision-wave-string", set_(("decisions", 0, "wave"), "一")),
        ("decision-wave-negative", set_(("decisions", 0, "wave"), -1)),
        ("decision-reasons-string", set_(("decisions", 0, "reasons"), "x")),
        ("decision-reason-missing-lang", set_(("decisions", 0, "reasons"), [{"code": "x", "params": {}}])),
        ("costs-missing", drop(("costs",))),
        ("costs-total-null", set_(("costs", "total"), None)),
        ("costs-as-is-string", set_(("costs", "total", "as_is_cny"), "很多")),
        ("costs-as-is-null", set_(("costs", "total", "as_is_cny"), None)),
        ("waves-map", set_(("waves",), {"a": 1})),
        ("region-list", set_(("region",), [1])),
        ("region-missing", drop(("region",))),
        ("unknown-top-key", set_(("extra",), 1)),
        ("rules-string", set_(("rules",), "x")),
        ("placements-item-scalar", set_(("placements",), [1])),
    ]
    return out


def _diff(a: str | bytes | None, b: str | bytes | None) -> Make:
    def make(tmp: Path) -> list[str]:
        good = planned() / "plan.json"
        pa = _text(tmp / "旧" / "plan.json", a) if a is not None else good
        pb = _text(tmp / "新" / "plan.json", b) if b is not None else good
        return ["diff", str(pa), str(pb)]

    return make


def _report(name: str, text: str | bytes) -> Make:
    def make(tmp: Path) -> list[str]:
        folder = tmp / "计划"
        shutil.copytree(planned(), folder)
        (folder / "report.html").unlink()
        _text(folder / name, text)
        return ["report", str(folder / "plan.json")]

    return make


def _no_report(tmp: Path) -> None:
    assert not (tmp / "计划" / "report.html").exists(), "a refused report was written"


def _stacks(text: str | bytes, where: str = "new") -> Make:
    def make(tmp: Path) -> list[str]:
        old, new = tmp / "old", tmp / "new"
        shutil.copytree(planned() / "stacks", old)
        shutil.copytree(planned() / "stacks", new)
        target = old if where == "old" else new
        folders = sorted(p for p in target.glob("*/*") if (p / "resources.json").exists())
        _text(folders[0] / "resources.json", text)
        root_old = old / folders[0].parent.name
        root_new = new / folders[0].parent.name
        return ["stacks", "diff", str(root_old), str(root_new)]

    return make


def _resources_doc() -> dict[str, Any]:
    spec = sorted((planned() / "stacks").glob("*/*/resources.json"))[0]
    value: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))
    return value


def json_cases() -> Iterator[DoorCase]:
    for label, text in HOSTILE_JSON:
        yield DoorCase(f"diff.a.{label}", "diff", "traceback", _diff(text, None), (2,), "plan.json")
        yield DoorCase(f"diff.b.{label}", "diff", "traceback", _diff(None, text), (2,), "plan.json")
        for name in ("plan.json", "analysis.json", "baseline.json", "topology.json", "ledger-summary.json"):
            yield DoorCase(
                f"report.{name}.{label}", "report", "traceback", _report(name, text), (2,), name, _no_report
            )
        yield DoorCase(
            f"stacks-diff.{label}", "stacks-diff", "traceback", _stacks(text), (2,), "resources.json"
        )
    for label, mutate in _mutations_of_plan():

        def mutated(mutate: Callable[[dict[str, Any]], None] = mutate) -> str:
            doc = _plan_doc()
            mutate(doc)
            return json.dumps(doc, ensure_ascii=False)

        yield DoorCase(f"diff.shape.{label}", "diff", "traceback", _lazy_diff(mutated), (2,), "plan.json")
        yield DoorCase(
            f"report.shape.{label}",
            "report",
            "traceback",
            _lazy_report(mutated),
            (2,),
            "plan.json",
            _no_report,
        )
    summary_mutations: list[tuple[str, Any]] = [
        ("total-null", None),
        ("total-string", "x"),
        ("total-servers-string", {"servers": "很多"}),
        ("total-empty", {}),
    ]
    for label, value in summary_mutations:

        def summary(value: Any = value) -> str:
            doc = json.loads((planned() / "ledger-summary.json").read_text(encoding="utf-8"))
            doc["total"] = value if not isinstance(value, dict) or not value else {**doc["total"], **value}
            if value == {}:
                doc["total"] = {}
            return json.dumps(doc, ensure_ascii=False)

        yield DoorCase(
            f"report.summary.{label}",
            "report",
            "traceback",
            _lazy_report(summary, "ledger-summary.json"),
            (2,),
            "ledger-summary.json",
        )
    resource_mutations: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("project-missing", lambda d: {k: v for k, v in d.items() if k != "project"}),
        ("project-int", lambda d: {**d, "project": 5}),
        ("resources-map", lambda d: {**d, "resources": {"a": 1}}),
        ("resources-scalars", lambda d: {**d, "resources": [1, 2]}),
        ("resource-no-name", lambda d: {**d, "resources": [{"type": "t", "props": {}}]}),
        ("resource-props-list", lambda d: {**d, "resources": [{"name": "a", "type": "t", "props": [1]}]}),
        ("resource-name-twice", lambda d: {**d, "resources": [d["resources"][0], d["resources"][0]]}),
        (
            "resource-name-escape",
            lambda d: {**d, "resources": [{"name": "a\x1b[2J", "type": "t", "props": {}}]},
        ),
    ]
    for label, change in resource_mutations:

        def resources(change: Callable[[dict[str, Any]], Any] = change) -> str:
            return json.dumps(change(_resources_doc()), ensure_ascii=False)

        exits = (0,) if label == "resource-name-escape" else (2,)
        names = "" if label == "resource-name-escape" else "resources.json"
        yield DoorCase(
            f"stacks-diff.shape.{label}", "stacks-diff", "traceback", _lazy_stacks(resources), exits, names
        )
    for kind in ("fifo", "device"):
        yield DoorCase(
            f"diff.{kind}", "diff", "hang", _special_file(kind, _diff_args, "plan.json"), (2,), "plan.json"
        )


def _diff_args(tmp: Path, path: Path) -> list[str]:
    return ["diff", str(planned() / "plan.json"), str(path)]


def _lazy_diff(text: Callable[[], str]) -> Make:
    def make(tmp: Path) -> list[str]:
        return _diff(None, text())(tmp)

    return make


def _lazy_report(text: Callable[[], str], name: str = "plan.json") -> Make:
    def make(tmp: Path) -> list[str]:
        return _report(name, text())(tmp)

    return make


def _lazy_stacks(text: Callable[[], str]) -> Make:
    def make(tmp: Path) -> list[str]:
        return _stacks(text())(tmp)

    return make


# ---- importers: CSV, xlsx, NetBox, Azure Migrate

CSV_HEADER = "id,name,kind,racks\n"


def _import(fmt: str, name: str, data: str | bytes, *extra: str) -> Make:
    def make(tmp: Path) -> list[str]:
        source = _text(tmp / name, data)
        return ["import", fmt, str(source), "--out", str(tmp / "out"), *extra]

    return make


def csv_cases() -> Iterator[DoorCase]:
    texts: list[tuple[str, str | bytes, tuple[int, ...]]] = [
        ("huge-cell", CSV_HEADER + 'r1,"' + "大" * 2_000_000 + '",self_built,1\n', (1,)),
        ("huge-unquoted-cell", CSV_HEADER + "r1," + "x" * 1_500_000 + ",self_built,1\n", (1,)),
        ("unclosed-quote", CSV_HEADER + 'r1,"机房,self_built,1\nr2,b,self_built,2\n', (0, 1)),
        ("unclosed-quote-at-end", CSV_HEADER + 'r1,"', (0, 1)),
        ("cr-only", CSV_HEADER.replace("\n", "\r") + "r1,机房,self_built,1\r", (0, 1)),
        (
            "mixed-line-ends",
            CSV_HEADER + "r1,a,self_built,1\rr2,b,self_built,2\r\nr3,c,self_built,3\n",
            (0, 1),
        ),
        ("nul", CSV_HEADER + "r1,a\x00b,self_built,1\n", (1,)),
        ("many-columns", CSV_HEADER + ",".join(["x"] * 20_000) + "\n", (1,)),
        ("only-header", CSV_HEADER, (0, 1)),
        ("empty", "", (1,)),
        ("binary", bytes(range(256)) * 64, (1,)),
        ("gbk", (CSV_HEADER + "r1,机房,自建,1\n").encode("gbk"), (0, 1)),
        ("utf16", (CSV_HEADER + "r1,机房,自建,1\n").encode("utf-16"), (0, 1)),
        ("racks-inf", CSV_HEADER + "r1,a,self_built,inf\n", (1,)),
        ("racks-1e400", CSV_HEADER + "r1,a,self_built,1e400\n", (1,)),
        ("racks-nan", CSV_HEADER + "r1,a,self_built,nan\n", (1,)),
        ("racks-huge", CSV_HEADER + "r1,a,self_built," + "9" * 400 + "\n", (1,)),
        ("racks-negative", CSV_HEADER + "r1,a,self_built,-4\n", (0, 1)),
        ("id-bidi", CSV_HEADER + "r1\u202e,a,self_built,1\n", (0, 1)),
        ("id-path", CSV_HEADER + "../../etc/passwd,a,self_built,1\n", (0, 1)),
        ("formula", CSV_HEADER + 'r1,"=HYPERLINK(""http://x"",""y"")",self_built,1\n', (0, 1)),
        ("escape", CSV_HEADER + "r1,\x1b[2Jname,self_built,1\n", (0, 1)),
        ("semicolons", CSV_HEADER.replace(",", ";") + "r1;a;self_built;1\n", (0, 1)),
        ("quotes-everywhere", '"""",""""\n' * 100, (1,)),
        ("sniffer-bait", "a\tb,c;d\n" * 500, (1,)),
    ]
    for label, text, exits in texts:
        yield DoorCase(f"csv.{label}", "csv", "traceback", _import("csv", "机房.csv", text), exits)

    def csv_args(tmp: Path, path: Path) -> list[str]:
        return ["import", "csv", str(path), "--out", str(tmp / "out")]

    for kind in ("fifo", "device"):
        yield DoorCase(
            f"csv.{kind}", "csv", "hang", _special_file(kind, csv_args, "机房.csv"), (1,), "机房.csv"
        )
    yield DoorCase(
        "csv.huge-file", "csv", "hang", _huge_file(csv_args, "机房.csv", 300 * 1024 * 1024), (1,), "机房.csv"
    )


def _xlsx_with(
    sheet_xml: bytes | None = None, extra: dict[str, bytes] | None = None, compress: bool = True
) -> bytes:
    """A minimal workbook whose first sheet is ``sheet_xml`` (and any extra entries)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "机房"
    ws.append(["id", "name", "kind"])
    ws.append(["r1", "机房", "self_built"])
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    target_bytes = io.BytesIO()
    with zipfile.ZipFile(
        target_bytes, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    ) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if sheet_xml is not None and info.filename == "xl/worksheets/sheet1.xml":
                payload = sheet_xml
            if extra and info.filename in extra:
                payload = extra.pop(info.filename)
            target.writestr(info.filename, payload)
        for name, payload in (extra or {}).items():
            target.writestr(name, payload)
    return target_bytes.getvalue()


_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _sheet(body: bytes, dimension: bytes = b"A1:C2", tail: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + _NS
        + b'<dimension ref="'
        + dimension
        + b'"/><sheetData>'
        + body
        + b"</sheetData>"
        + tail
        + b"</worksheet>"
    )


_ROWS = b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'


def xlsx_cases() -> Iterator[DoorCase]:
    bomb_sheet = _sheet(_ROWS + b"<row r='2'>" + b" " * (24 * 1024 * 1024) + b"</row>")
    cases: list[tuple[str, Callable[[], bytes]]] = [
        ("zip-bomb", lambda: _xlsx_with(bomb_sheet)),
        ("declared-dimension", lambda: _xlsx_with(_sheet(_ROWS, b"A1:XFD1048576"))),
        (
            "far-cell",
            lambda: _xlsx_with(_sheet(_ROWS + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
        ),
        (
            "far-row",
            lambda: _xlsx_with(_sheet(_ROWS + b'<row r="1000000"><c r="KZ1000000"><v>1</v></c></row>')),
        ),
        (
            "merge-whole-sheet",
            lambda: _xlsx_with(
                _sheet(_ROWS, tail=b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
            ),
        ),
        (
            "many-merges",
            lambda: _xlsx_with(
                _sheet(
                    _ROWS,
                    tail=b'<mergeCells count="200000">'
                    + b"".join(f'<mergeCell ref="A{i}:B{i}"/>'.encode() for i in range(3, 200_003))
                    + b"</mergeCells>",
                )
            ),
        ),
        (
            "shared-strings-bomb",
            lambda: _xlsx_with(
                extra={
                    "xl/sharedStrings.xml": b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    + b"<si><t>"
                    + b"A" * (24 * 1024 * 1024)
                    + b"</t></si></sst>"
                }
            ),
        ),
        (
            "entity-expansion",
            lambda: _xlsx_with(
                b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                + _NS
                + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
            ),
        ),
        (
            "external-entity",
            lambda: _xlsx_with(
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                + _NS
                + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'
            ),
        ),
        ("many-entries", lambda: _xlsx_with(extra={f"junk/{i}.bin": b"x" for i in range(3000)})),
        ("not-a-zip", lambda: b"PK\x03\x04 not really a zip"),
        ("truncated", lambda: _xlsx_with()[:500]),
        ("empty", lambda: b""),
        ("csv-named-xlsx", lambda: CSV_OK.encode()),
        ("broken-xml", lambda: _xlsx_with(b"<worksheet><sheetData><row>")),
        (
            "nan-cell",
            lambda: _xlsx_with(
                _sheet(
                    _ROWS
                    + b'<row r="2"><c r="A2" t="inlineStr"><is><t>r1</t></is></c><c r="B2"><v>NaN</v></c></row>'
                )
            ),
        ),
        (
            "inf-cell",
            lambda: _xlsx_with(
                _sheet(
                    _ROWS
                    + b'<row r="2"><c r="A2" t="inlineStr"><is><t>r1</t></is></c><c r="B2"><v>1e400</v></c></row>'
                )
            ),
        ),
        ("bad-ref", lambda: _xlsx_with(_sheet(b'<row r="1"><c r="ZZZZ1"><v>1</v></c></row>'))),
        ("negative-row", lambda: _xlsx_with(_sheet(b'<row r="-5"><c r="A-5"><v>1</v></c></row>'))),
    ]
    for label, build in cases:

        def make(tmp: Path, build: Callable[[], bytes] = build) -> list[str]:
            return _import("xlsx", "台账.xlsx", build())(tmp)

        if label in ("nan-cell", "inf-cell"):  # a number in a text column is read as its text
            yield DoorCase(f"xlsx.{label}", "xlsx", "accepted", make, (0, 1))
        else:
            yield DoorCase(f"xlsx.{label}", "xlsx", "hang", make, (1,), "台账.xlsx")

    def xlsx_args(tmp: Path, path: Path) -> list[str]:
        return ["import", "xlsx", str(path), "--out", str(tmp / "out")]

    for kind in ("fifo", "device"):
        yield DoorCase(
            f"xlsx.{kind}", "xlsx", "hang", _special_file(kind, xlsx_args, "台账.xlsx"), (1,), "台账.xlsx"
        )


def _dump_doc() -> list[dict[str, Any]]:
    """A small NetBox dump: a tenant, a site, a server device with its role, a VM, a prefix
    with a VLAN, an IP address, a circuit with its provider and terminations."""
    return [
        {"model": "tenancy.tenant", "pk": 1, "fields": {"name": "海州市教育局", "slug": "hz-jyj"}},
        {"model": "dcim.site", "pk": 1, "fields": {"name": "教育局机房", "slug": "jyj-room", "tenant": 1}},
        {"model": "dcim.devicerole", "pk": 1, "fields": {"name": "Server", "slug": "server"}},
        {"model": "dcim.platform", "pk": 1, "fields": {"name": "Kylin V10", "slug": "kylin"}},
        {"model": "ipam.ipaddress", "pk": 1, "fields": {"address": "10.20.1.21/24"}},
        {
            "model": "dcim.device",
            "pk": 1,
            "fields": {
                "name": "hz-app01",
                "role": 1,
                "site": 1,
                "tenant": 1,
                "serial": "SN1",
                "primary_ip4": 1,
                "platform": 1,
            },
        },
        {"model": "virtualization.cluster", "pk": 1, "fields": {"name": "c1", "site": 1}},
        {
            "model": "virtualization.virtualmachine",
            "pk": 1,
            "fields": {"name": "hz-vm01", "cluster": 1, "tenant": 1, "vcpus": 4, "memory": 8192, "disk": 100},
        },
        {"model": "ipam.vlan", "pk": 1, "fields": {"vid": 100, "name": "v100"}},
        {
            "model": "ipam.prefix",
            "pk": 1,
            "fields": {"prefix": "10.20.1.0/24", "status": "active", "vlan": 1, "tenant": 1, "site": 1},
        },
        {"model": "circuits.provider", "pk": 1, "fields": {"name": "China Telecom", "slug": "ct"}},
        {"model": "circuits.circuittermination", "pk": 1, "fields": {"site": 1, "term_side": "A"}},
        {
            "model": "circuits.circuit",
            "pk": 1,
            "fields": {
                "cid": "HZ-1",
                "provider": 1,
                "commit_rate": 100000,
                "tenant": 1,
                "termination_a": 1,
                "termination_date": "2027-01-01",
            },
        },
    ]


#: (model, field) → hostile values for the NetBox importer
NETBOX_FIELDS: dict[tuple[str, str], list[Any]] = {
    ("virtualization.virtualmachine", "vcpus"): ["inf", "1e400", -4, "八", [4], {"a": 1}, 10**30, True],
    ("virtualization.virtualmachine", "memory"): ["NaN", -1, "很多", 1e300, [1]],
    ("virtualization.virtualmachine", "disk"): [-100, "1e999", {"gb": 1}],
    ("circuits.circuit", "commit_rate"): [-1, "fast", 1e300, [100]],
    ("circuits.circuit", "termination_date"): ["2027-02-30", "9999-12-31", "0001-01-01", "明年", 20270101],
    ("circuits.circuit", "provider"): ["ct", [1], 99, None],
    ("circuits.circuit", "cid"): [None, ["x"], "a\x1b[2J"],
    ("ipam.vlan", "vid"): [0, 4095, -1, "百", 1.5],
    ("ipam.prefix", "prefix"): ["not a prefix", "10.0.0.0/33", 5, None],
    ("ipam.ipaddress", "address"): ["300.1.1.1/24", "x", None, [1]],
    ("dcim.site", "slug"): [
        "../../etc/passwd",
        "/abs",
        ".hidden",
        "a b",
        "room\u202e",
        "\u200broom",
        "\ufeffroom",
        None,
        7,
    ],
    ("tenancy.tenant", "slug"): ["../x", "C:\\x", None, "t\x00", ["x"]],
    ("tenancy.tenant", "name"): [["x"], {"a": 1}, "\x1b]0;pwned\x07"],
    ("dcim.device", "role"): ["server", [1], 1.5],
    ("dcim.device", "site"): ["jyj-room", {"id": 1}],
    ("dcim.device", "primary_ip4"): [999, "10.0.0.1"],
    ("dcim.device", "serial"): [["SN"], "S" * 5000],
    ("dcim.device", "name"): [{"a": 1}, 12345],
    ("dcim.devicerole", "name"): [None, 5, ["Server"]],
    ("dcim.platform", "name"): [None, {"a": 1}],
}


def _netbox_dump(doc: Any) -> Make:
    def make(tmp: Path) -> list[str]:
        text = doc if isinstance(doc, str | bytes) else json.dumps(doc, ensure_ascii=False, allow_nan=True)
        return _import("netbox", "netbox.json", text)(tmp)

    return make


def netbox_cases() -> Iterator[DoorCase]:
    for (model, field_name), values in NETBOX_FIELDS.items():
        for i, value in enumerate(values):
            doc = _dump_doc()
            for item in doc:
                if item["model"] == model:
                    item["fields"][field_name] = value
            text = json.dumps(doc, ensure_ascii=False)
            if isinstance(value, str) and value in ("inf", "NaN", "1e400", "1e999"):
                text = text.replace(f'"{value}"', value if value != "inf" else "Infinity")
            yield DoorCase(
                f"netbox.{model}.{field_name}#{i}", "netbox", "accepted", _netbox_dump(text), (0, 1)
            )
    shapes: list[tuple[str, Any, tuple[int, ...]]] = [
        ("duplicate-pk", [*_dump_doc(), _dump_doc()[1]], (1,)),
        ("pk-string", [{**_dump_doc()[0], "pk": "1"}], (1,)),
        ("pk-list", [{**_dump_doc()[0], "pk": [1]}], (1,)),
        ("pk-huge", [{**_dump_doc()[0], "pk": 10**20}], (1,)),
        ("pk-negative", [{**_dump_doc()[0], "pk": -1}], (1,)),
        ("pk-bool", [{**_dump_doc()[0], "pk": True}], (1,)),
        ("model-list", [{**_dump_doc()[0], "model": ["tenancy.tenant"]}], (1,)),
        ("model-int", [{**_dump_doc()[0], "model": 5}], (1,)),
        ("fields-list", [{**_dump_doc()[0], "fields": [1]}], (0, 1)),
        ("missing-fields", [{"model": "dcim.site", "pk": 3}], (0, 1)),
        ("missing-slug-and-name", [{"model": "dcim.site", "pk": 3, "fields": {}}], (0, 1)),
        ("top-object", {"a": 1}, (1,)),
        ("top-number", 5, (1,)),
        ("list-of-numbers", [1, 2], (1,)),
        ("device-without-role", [{"model": "dcim.device", "pk": 1, "fields": {"name": "x"}}], (0, 1)),
        (
            "circuit-dangling",
            [
                {
                    "model": "circuits.circuit",
                    "pk": 1,
                    "fields": {"cid": "c", "provider": 42, "termination_a": 42},
                }
            ],
            (0, 1),
        ),
        (
            "vm-dangling-cluster",
            [{"model": "virtualization.virtualmachine", "pk": 1, "fields": {"name": "v", "cluster": 9}}],
            (0, 1),
        ),
    ]
    for label, doc, exits in shapes:
        yield DoorCase(
            f"netbox.shape.{label}",
            "netbox",
            "traceback",
            _netbox_dump(doc),
            exits,
            "netbox.json" if exits == (1,) else "",
        )
    for label, text in HOSTILE_JSON:
        yield DoorCase(f"netbox.json.{label}", "netbox", "traceback", _netbox_dump(text), (1,), "netbox.json")
    rest: list[tuple[str, Any, tuple[int, ...]]] = [
        ("no-results", {"count": 1}, (1,)),
        ("results-map", {"results": {"a": 1}}, (1,)),
        ("result-no-url", {"results": [{"id": 1}]}, (0, 1)),
        ("result-url-int", {"results": [{"id": 1, "url": 5}]}, (0, 1)),
        (
            "result-no-id",
            {"results": [{"url": "https://nb/api/dcim/sites/1/", "name": "s", "slug": "s"}]},
            (1,),
        ),
        (
            "result-id-string",
            {"results": [{"id": "1", "url": "https://nb/api/dcim/sites/1/", "slug": "s"}]},
            (1,),
        ),
        (
            "result-twice",
            {"results": [{"id": 1, "url": "https://nb/api/dcim/sites/1/", "slug": "s", "name": "s"}] * 2},
            (1,),
        ),
        (
            "nested-id-list",
            {
                "results": [
                    {
                        "id": 1,
                        "url": "https://nb/api/dcim/devices/1/",
                        "name": "d",
                        "site": {"id": [1], "slug": "s"},
                    }
                ]
            },
            (0, 1),
        ),
        (
            "nested-slug-path",
            {
                "results": [
                    {
                        "id": 1,
                        "url": "https://nb/api/dcim/devices/1/",
                        "name": "d",
                        "role": {"id": 1, "name": "Server"},
                        "tenant": {"id": 2, "slug": "../etc", "name": "t"},
                    }
                ]
            },
            (0, 1),
        ),
        (
            "vcpus-inf",
            {
                "results": [
                    {
                        "id": 1,
                        "url": "https://nb/api/virtualization/virtual-machines/1/",
                        "name": "v",
                        "vcpus": "Infinity",
                    }
                ]
            },
            (1,),
        ),
    ]
    for label, doc, exits in rest:
        text = json.dumps(doc, ensure_ascii=False)
        if label == "vcpus-inf":
            text = text.replace('"Infinity"', "Infinity")
        yield DoorCase(
            f"netbox.rest.{label}",
            "netbox",
            "traceback",
            _import("netbox", "devices.json", text),
            exits,
            "devices.json" if exits == (1,) else "",
        )
    csv_exports: list[tuple[str, str, tuple[int, ...]]] = [
        ("vcpus-inf", "Name,vCPUs,Memory (MB)\nvm1,inf,1024\n", (0, 1)),
        ("vcpus-1e400", "Name,vCPUs,Memory (MB)\nvm1,1.0e400,1024\n", (0, 1)),
        ("memory-text", "Name,vCPUs,Memory (MB)\nvm1,2,很多\n", (0, 1)),
        ("id-inf", "ID,Name,vCPUs\n1.0e999,vm1,2\n", (0, 1)),
        ("id-twice", "ID,Name,vCPUs\n1,vm1,2\n1,vm2,2\n", (1,)),
        ("id-negative", "ID,Name,vCPUs\n-1,vm1,2\n", (1,)),
        ("unclosed-quote", 'Name,vCPUs\n"vm1,2\n', (0, 1)),
        ("huge-cell", "Name,vCPUs\n" + "v" * 2_000_000 + ",2\n", (1,)),
    ]
    for label, text, exits in csv_exports:
        yield DoorCase(
            f"netbox.csv.{label}",
            "netbox",
            "traceback",
            _import("netbox", "netbox_virtual-machines.csv", text),
            exits,
        )

    def netbox_args(tmp: Path, path: Path) -> list[str]:
        return ["import", "netbox", str(path), "--out", str(tmp / "out")]

    for kind in ("fifo", "device"):
        yield DoorCase(
            f"netbox.{kind}",
            "netbox",
            "hang",
            _special_file(kind, netbox_args, "netbox.json"),
            (1,),
            "netbox.json",
        )


AZURE_HEADER = "Server name,IP addresses,Cores,Memory (In MB),OS name,Disk 1 size (In GB),CPU utilization percentage,Memory utilization percentage,BIOS GUID\n"
AZURE_ROW = [
    "hz-app01",
    "10.20.1.21",
    "8",
    "16384",
    "Kylin",
    "100",
    "12.5",
    "40",
    "4C4C4544-0031-3510-8052-B4C04F4E3332",
]
AZURE_COLUMNS = {"cores": 2, "memory": 3, "disk": 5, "cpu": 6, "mem": 7}


def azure_cases() -> Iterator[DoorCase]:
    values = [
        "inf",
        "-inf",
        "1e400",
        "nan",
        "-4",
        "0",
        "1e300",
        "八核",
        "1,0,0",
        "0x10",
        "１６",
        "  ",
        "9" * 400,
    ]
    for column, index in AZURE_COLUMNS.items():
        for value in values:
            row = list(AZURE_ROW)
            row[index] = value
            text = AZURE_HEADER + ",".join(f'"{v}"' for v in row) + "\n"
            yield DoorCase(
                f"azure.{column}={value[:12]}",
                "azure",
                "accepted",
                _import("azure-migrate", "discovery.csv", text, "--owner", "d", "--site", "room"),
                (0, 1),
            )
    row = ",".join(AZURE_ROW)
    duplicates = AZURE_HEADER + row + "\n" + row.replace("hz-app01", "hz-app02") + "\n"
    yield DoorCase(
        "azure.duplicate-guid",
        "azure",
        "accepted",
        _import("azure-migrate", "discovery.csv", duplicates, "--owner", "d", "--site", "room"),
        (1,),
        "line 2",
    )
    yield DoorCase(
        "azure.no-header",
        "azure",
        "traceback",
        _import("azure-migrate", "discovery.csv", "a,b\n1,2\n"),
        (1,),
        "discovery.csv",
    )
    yield DoorCase(
        "azure.huge-cell",
        "azure",
        "traceback",
        _import("azure-migrate", "discovery.csv", AZURE_HEADER + "x" * 2_000_000 + "\n"),
        (1,),
        "discovery.csv",
    )


RVTOOLS_HEADER = "VM,Powerstate,Template,CPUs,Memory,Provisioned MB,Datacenter,Primary IP Address\n"
RVTOOLS_ROW = ["hz-vm01", "poweredOn", "False", "4", "8192", "102400", "hz-dc", "10.20.1.31"]
RVTOOLS_COLUMNS = {"cpus": 3, "memory": 4}


def _rvtools_args(tmp: Path, path: Path) -> list[str]:
    return ["import", "rvtools", str(path), "--out", str(tmp / "out")]


def rvtools_cases() -> Iterator[DoorCase]:
    """RVTools exports (a per-tab CSV or the xlsx): the CSV and xlsx limits, finite numbers."""
    for column, index in RVTOOLS_COLUMNS.items():
        for value in ("inf", "-inf", "1e400", "nan", "-4", "1e300", "9" * 400):
            row = list(RVTOOLS_ROW)
            row[index] = value
            text = RVTOOLS_HEADER + ",".join(row) + "\n"
            yield DoorCase(
                f"rvtools.{column}={value[:12]}",
                "rvtools",
                "accepted",
                _import("rvtools", "RVTools_tabvInfo.csv", text),
                (1,),
                "RVTools_tabvInfo.csv",
            )
    yield DoorCase(
        "rvtools.huge-cell",
        "rvtools",
        "traceback",
        _import("rvtools", "RVTools_tabvInfo.csv", RVTOOLS_HEADER + "x" * 2_000_000 + "\n"),
        (1,),
        "RVTools_tabvInfo.csv",
    )
    bomb_sheet = _sheet(_ROWS + b"<row r='2'>" + b" " * (24 * 1024 * 1024) + b"</row>")
    yield DoorCase(
        "rvtools.zip-bomb",
        "rvtools",
        "hang",
        lambda tmp: _import("rvtools", "RVTools.xlsx", _xlsx_with(bomb_sheet))(tmp),
        (1,),
        "RVTools.xlsx",
    )
    for kind in ("fifo", "device"):
        yield DoorCase(
            f"rvtools.{kind}",
            "rvtools",
            "hang",
            _special_file(kind, _rvtools_args, "RVTools.xlsx"),
            (1,),
            "RVTools.xlsx",
        )


CMF_HEADER = "wave_id,app_name,server_name,server_os_family,server_fqdn\n"


def _cmf_args(tmp: Path, path: Path) -> list[str]:
    return ["import", "aws-cmf", str(path), "--out", str(tmp / "out"), "--owner", "d", "--site", "room"]


def _cmf_workbook() -> bytes:
    """An intake form saved as a workbook of two sheets."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["wave_id", "app_name", "server_name"])
    first.append(["1", "app", "hz-app01"])
    book.create_sheet("notes").append(["wave_id", "app_name", "server_name"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def aws_cmf_cases() -> Iterator[DoorCase]:
    """AWS Cloud Migration Factory intake forms: the CSV and xlsx limits."""
    texts: list[tuple[str, str | bytes, tuple[int, ...]]] = [
        ("huge-cell", CMF_HEADER + "1,app," + "x" * 2_000_000 + ",linux,x\n", (1,)),
        ("many-columns", CMF_HEADER + ",".join(["x"] * 20_000) + "\n", (1,)),
        ("nul", CMF_HEADER + "1,app,a\x00b,linux,x\n", (1,)),
        ("binary", bytes(range(256)) * 64, (1,)),
        ("empty", "", (1,)),
        ("only-header", CMF_HEADER, (1,)),
        ("name-escape", CMF_HEADER + "1,app,\x1b[2Jhz,linux,x\n", (0, 1)),
        ("name-bidi", CMF_HEADER + "1,app,hz\u202e01,linux,x\n", (0, 1)),
    ]
    for label, text, exits in texts:
        yield DoorCase(
            f"aws-cmf.{label}",
            "aws-cmf",
            "traceback",
            _import("aws-cmf", "0-intake-form.csv", text, "--owner", "d", "--site", "room"),
            exits,
        )
    yield DoorCase(
        "aws-cmf.two-sheets",
        "aws-cmf",
        "traceback",
        lambda tmp: _import("aws-cmf", "intake.xlsx", _cmf_workbook(), "--owner", "d", "--site", "room")(tmp),
        (0, 1),
    )
    for kind in ("fifo", "device"):
        yield DoorCase(
            f"aws-cmf.{kind}",
            "aws-cmf",
            "hang",
            _special_file(kind, _cmf_args, "0-intake-form.csv"),
            (1,),
            "0-intake-form.csv",
        )


def _xls_args(tmp: Path, path: Path) -> list[str]:
    return ["import", "xls", str(path), "--out", str(tmp / "out")]


def xls_cases() -> Iterator[DoorCase]:
    """Old-format .xls workbooks: a regular file within the xlsx size limit, xlrd's failures
    reported, never raised."""
    files: list[tuple[str, Callable[[], bytes]]] = [
        ("empty", lambda: b""),
        ("garbage", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        ("binary", lambda: bytes(range(256)) * 64),
        ("csv-named-xls", lambda: CSV_OK.encode()),
        ("html-named-xls", lambda: b"<html><body><table><tr><td>id</td></tr></table></body></html>"),
        ("xlsx-named-xls", lambda: _xlsx_with()),
        ("truncated-xlsx-named-xls", lambda: _xlsx_with()[:500]),
    ]
    for label, build in files:

        def make(tmp: Path, build: Callable[[], bytes] = build) -> list[str]:
            return _import("xls", "台账.xls", build())(tmp)

        yield DoorCase(f"xls.{label}", "xls", "traceback", make, (1,), "台账.xls")
    for kind in ("fifo", "device"):
        yield DoorCase(
            f"xls.{kind}", "xls", "hang", _special_file(kind, _xls_args, "台账.xls"), (1,), "台账.xls"
        )
    yield DoorCase(
        "xls.huge-file", "xls", "hang", _huge_file(_xls_args, "台账.xls", 70 * 1024 * 1024), (1,), "台账.xls"
    )


def cases() -> Iterator[DoorCase]:
    yield from settings_cases()
    yield from json_cases()
    yield from csv_cases()
    yield from xlsx_cases()
    yield from netbox_cases()
    yield from azure_cases()
    yield from rvtools_cases()
    yield from aws_cmf_cases()
    yield from xls_cases()


# ---- outputs: exported workbooks and the terminal

#: inventory text that is a live formula in a spreadsheet that re-reads it
FORMULAS = [
    '=HYPERLINK("http://evil.invalid","点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "＝1+1",
]
#: inventory text a terminal would act on
ESCAPES = [
    "\x1b[2J\x1b[H清屏",
    "\x1b]0;标题被改\x07",
    "名\u202e称",
    "回车\r覆盖",
    "响铃\x07",
    "\x9b31m红",
    "隐\u2066藏\u2069",
]
_TEXT_FIELDS: list[tuple[str, tuple[Any, ...]]] = [
    ("site-name", ("sites", 0, "name")),
    ("department-name", ("department", "name")),
    ("system-name", ("systems", 0, "name")),
    ("hostname", ("servers", 0, "hostname")),
]


def _hostile_ledger(tmp: Path, path: tuple[Any, ...], value: str) -> Path:
    doc = department()
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    root = tmp / "台账"
    base(root, doc)
    return root


def _export_is_inert(tmp: Path) -> None:
    """No cell of the exported workbook is a formula or holds a control character; text
    that looks like a formula is marked as text."""
    from openpyxl import load_workbook

    path = tmp / "导出.xlsx"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml, name
                assert b"<f " not in xml, name
    book = load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in cell.value), cell.value
                    if cell.value.startswith(("=", "+", "-", "@", "＝")):
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)


def output_cases() -> Iterator[DoorCase]:
    for label, path in _TEXT_FIELDS:
        for i, value in enumerate(FORMULAS + ESCAPES):

            def export(tmp: Path, path: tuple[Any, ...] = path, value: str = value) -> list[str]:
                return [
                    "export",
                    "xlsx",
                    str(_hostile_ledger(tmp, path, value)),
                    "-o",
                    str(tmp / "导出.xlsx"),
                ]

            yield DoorCase(
                f"export.{label}#{i}", "export", "injection", export, (0,), "导出.xlsx", _export_is_inert
            )
        for i, value in enumerate(ESCAPES):
            for command in ("ledger", "analyze", "validate", "check"):

                def show(
                    tmp: Path, path: tuple[Any, ...] = path, value: str = value, command: str = command
                ) -> list[str]:
                    extra = ["--state", "as-is"] if command == "check" else []
                    return [command, str(_hostile_ledger(tmp, path, value)), *extra]

                yield DoorCase(f"terminal.{command}.{label}#{i}", "terminal", "injection", show, (0, 1))
    for i, value in enumerate(ESCAPES):
        # an id is refused, and the message shows the escape instead of acting on it
        def bad_id(tmp: Path, value: str = value) -> list[str]:
            return ["validate", str(_hostile_ledger(tmp, ("sites", 0, "id"), f"room{value}"))]

        yield DoorCase(f"terminal.validate.id#{i}", "terminal", "injection", bad_id, (1,), "sites[0].id")


def all_cases() -> Iterator[DoorCase]:
    yield from cases()
    yield from output_cases()
