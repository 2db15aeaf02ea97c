"""Benchmark of loading a ledger: the happy path, and what exact positions would cost.

Writes a synthetic region of N servers (spread over 100 departments) to a temporary directory,
then times:

- ``load``: read, schema-check, assemble and validate the valid ledger (positions are never
  computed on this path);
- ``locate``: composing every file again with marks, which is what keeping positions for every
  node would add (the loader does this only for files that have problems);
- ``load with errors``: the same ledger with one bad reference per department, so 100 problems
  are positioned.

Usage: python scripts/bench_load.py [N ...]   (default: 10000 100000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from govcloud.ledger import load
from govcloud.ledger.yamlio import Locator

DEPARTMENTS = 100


def write_region(root: Path, servers: int, broken: bool = False) -> None:
    region = {"region": {"id": "bench", "name": "基准省", "region_code": "990000", "as_of": "2026-06-30"}}
    (root / "region.yaml").write_text(yaml.safe_dump(region, allow_unicode=True), encoding="utf-8")
    per_department = servers // DEPARTMENTS
    (root / "departments").mkdir()
    for d in range(DEPARTMENTS):
        dept = f"d{d:03d}"
        doc = {
            "department": {"id": dept, "name": f"部门{d}", "level": "province", "region_code": "990000"},
            "sites": [
                {
                    "id": f"{dept}-room",
                    "name": f"{dept} 机房",
                    "kind": "self_built",
                    "yearly_cost_cny": 100000,
                }
            ],
            "servers": [
                {
                    "id": f"{dept}-s{i:05d}",
                    "site": f"{dept}-room" if not (broken and i == 0) else f"{dept}-rooom",
                    "hostname": f"{dept}-host-{i}",
                    "serial": f"SN{d:03d}{i:06d}",
                    "ips": [f"10.{d % 256}.{i // 256 % 256}.{i % 256}"],
                    "kind": "vm" if i % 3 else "physical",
                    "cpu_cores": 8,
                    "memory_gb": 32,
                    "storage_gb": 500,
                    "os": "Kylin V10",
                    "cpu_p95_pct": 12.5,
                    "purchase_date": "2021-05-01",
                    "purchase_value_cny": 50000,
                }
                for i in range(per_department)
            ],
        }
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        (root / "departments" / f"{dept}.yaml").write_text(text, encoding="utf-8")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench(servers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_region(root, servers)
        result = load(root)
        if result.ledger is None:
            raise SystemExit("\n".join(p.render("en") for p in result.problems[:5]))
        t_load = timed(lambda: load(root))
        files = sorted(root.rglob("*.yaml"))

        def locate_all() -> None:
            for f in files:
                Locator(f.read_text(encoding="utf-8")).position(("servers", 0, "site"))

        t_locate = timed(locate_all)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_region(root, servers, broken=True)
        errors: list[int] = []
        t_broken = timed(lambda: errors.append(len(load(root).errors)))
    print(f"| {servers:,} | {t_load:.2f} s | {t_locate:.2f} s | {t_broken:.2f} s ({errors[0]} problems) |")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    print("| servers | load (valid) | composing all files with positions | load with errors |")
    print("|---:|---:|---:|---:|")
    for n in sizes:
        bench(n)


if __name__ == "__main__":
    main(sys.argv[1:])
