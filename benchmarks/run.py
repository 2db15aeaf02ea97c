"""Time every stage of the main job and the architect's loops on generated regions, against
the parse floor and the targets of issue 24.

    python benchmarks/run.py                         # 10k, 50k and 100k servers
    python benchmarks/run.py 1000 10000              # other sizes (in servers)
    python benchmarks/run.py --regions /tmp/regions  # keep the generated regions for next time
    python benchmarks/run.py --json numbers.json     # the raw numbers too
    python benchmarks/run.py --repeat 2              # best of two rounds per size (less noise)

For each size: generate a region (``govcloud generate --servers N --seed 1``: a province's
density, about one system per 9 servers and 6 dependencies per system), then

- in a fresh process, the **parse floor** (libyaml merely scanning the files' events:
  ``yaml.parse`` with ``CSafeLoader``) and every stage of ``govcloud plan`` as the pipeline
  reports them through its progress callback (load, validate, summary, analyse, plan, stacks,
  baseline, render, report, write; no cache), plus building the ledger graph (``govcloud graph``);
- the whole ``govcloud plan`` command (it always writes the stacks and the report): with
  ``--no-cache``; **cold** (an empty cache folder, which it fills); **warm** (run again on the
  same cache and output folder); a **what-if** (``--scenario`` with a small scenario that
  changes a planning rule: the cached ledger and analysis are reused); and an **edit** (a few
  servers' utilisation and memory changed in one department's file, then planned again: the
  other files come from the per-file cache).  None verifies the emitted stacks (that is the
  tests' job, under Pulumi's mocks).

Peak memory is each process's maximum resident set size.  The doubling ratio of a stage is
time(N) / time(N/2), shown for each size whose half was measured too.  The targets (cold ≤ 30 s,
warm ≤ 2 s, edit ≤ 10 s, what-if ≤ 10 s, peak memory ≤ 2 GiB, at 100k servers) are judged at
the largest size measured.  Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from govcloud.generate import edit_servers
from govcloud.pipeline import STAGES

STAGE_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
import yaml
from govcloud import graph
from govcloud.pipeline import run_plan

root, out = Path(sys.argv[1]), Path(sys.argv[2])
times = {}
start = time.perf_counter()
for path in sorted(root.rglob("*.yaml")):
    for _ in yaml.parse(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
        pass
times["parse floor"] = time.perf_counter() - start

last = [time.perf_counter()]
def progress(stage, done, total):
    if done == total:
        now = time.perf_counter()
        times[stage] = times.get(stage, 0.0) + now - last[0]
        last[0] = now

start = time.perf_counter()
run = run_plan(root, out, "en", progress)
times["all stages"] = time.perf_counter() - start
ledger = run.load.ledger
start = time.perf_counter()
built = graph.build(ledger)
times["graph"] = time.perf_counter() - start
times["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times["servers"] = len(ledger.servers)
times["systems"] = len(ledger.systems)
times["dependencies"] = sum(len(s.dependencies) for s in ledger.systems.values())
times["files"] = len(run.load.files)
times["graph edges"] = built.number_of_edges()
print(json.dumps(times))
"""

#: the stages of govcloud plan, as the pipeline reports them
PLAN_STAGES = list(STAGES)
ROWS = ["parse floor", *PLAN_STAGES, "all stages", "graph"]
#: the whole command, and the architect's loops on it
LOOPS = ["plan --no-cache", "plan cold", "plan warm", "what-if", "edit"]
#: issue 24's targets at 100k servers: (what, the number, the limit, its unit)
TARGETS = [
    ("cold `govcloud plan` with stacks and report", "plan cold", 30.0, "s"),
    ("warm re-run", "plan warm", 2.0, "s"),
    ("one department file edited", "edit", 10.0, "s"),
    ("a what-if (`--scenario`)", "what-if", 10.0, "s"),
    ("peak memory of any plan command", "plan peak MB", 2048.0, "MB"),
]


class Measured(NamedTuple):
    wall: float  # seconds
    peak: float  # MB
    cpu: float  # user and system seconds
    stdout: str


def _run(cmd: list[str], env: dict[str, str] | None = None) -> Measured:
    """Wall time, peak memory, CPU time and standard output of one process, reaped with wait4
    to read that process's own usage (a child it forked and waited for counts too: its CPU
    seconds are added, its peak is the larger of the two)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode(errors='replace')}")
        cpu = usage.ru_utime + usage.ru_stime
        return Measured(wall, usage.ru_maxrss / 1024, cpu, out.read().decode())


def _loop(numbers: dict[str, float], name: str, cmd: list[str], env: dict[str, str]) -> None:
    """Run one of :data:`LOOPS` and record its wall time, peak memory and CPU time."""
    measured = _run(cmd, env)
    numbers[name], numbers[f"{name} MB"], numbers[f"{name} CPU"] = measured.wall, measured.peak, measured.cpu


def region(servers: int, regions: Path) -> Path:
    """The generated region of ``servers`` servers (seed 1), generated once per folder."""
    folder = regions / f"region-{servers}"
    if not (folder / "region.yaml").exists():
        cmd = [sys.executable, "-m", "govcloud", "generate", str(folder), "--servers", str(servers)]
        subprocess.run([*cmd, "--seed", "1", "--overwrite"], check=True, capture_output=True)
    return folder


#: the what-if: a planning rule changed (smaller waves), which the analysis does not depend on
SCENARIO = "scenario:\n  name: 小批次 / smaller waves\n  rules: {wave_max_servers: 40}\n"
#: the department whose file the edit loop changes (6 % of the region's servers)
EDITED = "departments/海岳省财政厅.yaml"


def measure_once(root: Path, work: Path) -> dict[str, float]:
    """One round for one region: the stages in a process, then the plan commands and loops."""
    for leftover in ("stages", "cache", "out"):
        shutil.rmtree(work / leftover, ignore_errors=True)
    stages = _run([sys.executable, "-c", STAGE_SCRIPT, str(root), str(work / "stages")])
    numbers: dict[str, float] = json.loads(stages.stdout)
    numbers["peak MB"] = stages.peak
    env = {**os.environ, "GOVCLOUD_CACHE_DIR": str(work / "cache")}
    plan = [sys.executable, "-m", "govcloud", "plan", str(root), "--out", str(work / "out"), "--lang", "en"]
    _loop(numbers, "plan --no-cache", [*plan, "--no-cache"], env)
    shutil.rmtree(work / "out")
    _loop(numbers, "plan cold", plan, env)
    _loop(numbers, "plan warm", plan, env)
    scenario = work / "what-if.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    _loop(numbers, "what-if", [*plan, "--scenario", str(scenario)], env)
    # the edit changes the region's file in place, and puts its bytes back afterwards
    edited = root / EDITED
    original = edited.read_bytes()
    try:
        edit_servers(edited, servers=5)
        _loop(numbers, "edit", plan, env)
    finally:
        edited.write_bytes(original)
    return numbers


def measure(servers: int, regions: Path, work: Path, repeat: int = 1) -> dict[str, float]:
    """The best of ``repeat`` rounds, number by number (times and peaks; on a shared machine
    the fastest round is the one least disturbed)."""
    root = region(servers, regions)
    rounds = [measure_once(root, work / f"n{servers}") for _ in range(repeat)]
    return {key: min(r[key] for r in rounds) for key in rounds[0]}


def table(rows: dict[int, dict[str, float]]) -> str:
    sizes = sorted(rows)
    lines = [
        "| stage | " + " | ".join(f"{n:,} servers" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]

    def row(name: str, cell: str) -> None:
        lines.append(
            f"| {name} | " + " | ".join(cell.format(**{"v": rows[n].get(name, 0.0)}) for n in sizes) + " |"
        )

    for name in ROWS:
        row(name, "{v:.2f} s")
    for name in LOOPS:
        row(name, "{v:.2f} s")
    for name in LOOPS:  # above its wall time: a child rendering beside the main process
        row(f"{name} CPU", "{v:.2f} s")
    for name in ("all stages", *LOOPS):
        ratios = [rows[n][name] / rows[n]["parse floor"] for n in sizes]
        lines.append(f"| {name} / parse floor | " + " | ".join(f"{r:.1f}×" for r in ratios) + " |")
    peaks = (("stages", "peak MB"), *((name, f"{name} MB") for name in LOOPS))
    for label, name in peaks:
        lines.append(
            f"| peak memory, {label} | " + " | ".join(f"{rows[n][name]:,.0f} MB" for n in sizes) + " |"
        )
    for name in ("servers", "systems", "dependencies", "graph edges", "files"):
        lines.append(f"| {name} | " + " | ".join(f"{rows[n][name]:,.0f}" for n in sizes) + " |")
    lines.append(
        "| dependencies per system | "
        + " | ".join(f"{rows[n]['dependencies'] / rows[n]['systems']:.1f}" for n in sizes)
        + " |"
    )
    return "\n".join(lines)


def doubling(rows: dict[int, dict[str, float]]) -> str:
    pairs = [(n // 2, n) for n in sorted(rows) if n // 2 in rows]
    if not pairs:
        return ""
    names = [*ROWS, *LOOPS]
    lines = [
        "| stage | " + " | ".join(f"{a:,} → {b:,}" for a, b in pairs) + " |",
        "|---|" + "---:|" * len(pairs),
    ]
    for name in names:
        cells = [rows[b][name] / rows[a][name] if rows[a][name] > 0 else float("nan") for a, b in pairs]
        lines.append(f"| {name} | " + " | ".join(f"{c:.2f}×" for c in cells) + " |")
    return "\n".join(lines)


def targets(rows: dict[int, dict[str, float]]) -> str:
    """The targets, judged at the largest size measured (they are set for 100k servers)."""
    size = max(rows)
    numbers = rows[size]
    numbers["plan peak MB"] = max(numbers[f"{name} MB"] for name in LOOPS)
    lines = [
        f"| target (at 100,000 servers) | limit | measured at {size:,} | × parse floor | |",
        "|---|---:|---:|---:|---|",
    ]
    for label, name, limit, unit in TARGETS:
        value = numbers[name]
        ratio = f"{value / numbers['parse floor']:.1f}×" if unit == "s" else ""
        shown = f"{value:.2f} s" if unit == "s" else f"{value:,.0f} MB"
        bound = f"≤ {limit:g} s" if unit == "s" else f"≤ {limit / 1024:g} GiB"
        verdict = "met" if value <= limit else "not met"
        if size < 100_000:
            verdict += " (indicative: measured below 100k)"
        lines.append(f"| {label} | {bound} | {shown} | {ratio} | {verdict} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000, 100_000])
    parser.add_argument("--regions", type=Path, help="keep generated regions here (reused when present)")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many rounds per size")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        regions = args.regions or work / "regions"
        regions.mkdir(parents=True, exist_ok=True)
        rows = {}
        for n in args.sizes:
            rows[n] = measure(n, regions, work, args.repeat)
            print(f"measured {n:,} servers", file=sys.stderr, flush=True)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}\n")
    print(table(rows))
    text = doubling(rows)
    if text:
        print("\nDoubling ratio, time(N) / time(N/2):\n")
        print(text)
    print("\nTargets (issue 24):\n")
    print(targets(rows))
    if args.json:
        args.json.write_text(
            json.dumps({str(n): v for n, v in rows.items()}, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
