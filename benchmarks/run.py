"""Time every stage of the main job on generated regions, against the parse floor.

    python benchmarks/run.py 1000 10000        # sizes in servers (default: 1000 10000)

For each size: generate a region (``govcloud generate``), then in a fresh process time load
(read, schema, assemble, validate), graph, analyse, plan, emit (stacks as data), baseline,
and the parse floor: libyaml merely scanning the same files' events (``yaml.parse`` with the C
loader).  Peak memory is the process's maximum resident set size.  Prints a Markdown table
for docs/performance.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

STAGES = r"""
import json, resource, sys, time
from pathlib import Path
import yaml
from govcloud.analysis import analyse
from govcloud import baseline, graph
from govcloud.ledger import load
from govcloud.plan import build
from govcloud.stacks import build_stacks

root = Path(sys.argv[1])
times = {}
start = time.perf_counter()
for path in sorted(root.rglob("*.yaml")):
    for _ in yaml.parse(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
        pass
times["parse floor"] = time.perf_counter() - start

def stage(name, fn):
    start = time.perf_counter()
    value = fn()
    times[name] = time.perf_counter() - start
    return value

result = stage("load + validate", lambda: load(root))
ledger = result.ledger
stage("graph", lambda: graph.build(ledger))
analysis = stage("analyse", lambda: analyse(ledger))
plan = stage("plan", lambda: build(ledger, analysis))
stacks = stage("emit (stacks as data)", lambda: build_stacks(plan))
stage("baseline", lambda: baseline.check(ledger, plan, stacks))
times["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times["systems"] = len(ledger.systems)
print(json.dumps(times))
"""


def measure(servers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        region = Path(tmp) / "region"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "govcloud",
                "generate",
                str(region),
                "--servers",
                str(servers),
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
        done = subprocess.run(
            [sys.executable, "-c", STAGES, str(region)], check=True, capture_output=True, text=True
        )
        times: dict[str, float] = json.loads(done.stdout)
        return times


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 10_000]
    rows = {n: measure(n) for n in sizes}
    stages = [
        "parse floor",
        "load + validate",
        "graph",
        "analyse",
        "plan",
        "emit (stacks as data)",
        "baseline",
    ]
    print("| stage | " + " | ".join(f"{n:,} servers" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name in stages:
        print(f"| {name} | " + " | ".join(f"{rows[n][name]:.2f} s" for n in sizes) + " |")
    total = {n: sum(rows[n][s] for s in stages[1:]) for n in sizes}
    print("| **all stages** | " + " | ".join(f"{total[n]:.2f} s" for n in sizes) + " |")
    print(
        "| ratio to parse floor | "
        + " | ".join(f"{total[n] / rows[n]['parse floor']:.1f}×" for n in sizes)
        + " |"
    )
    print("| peak memory | " + " | ".join(f"{rows[n]['peak MB']:.0f} MB" for n in sizes) + " |")
    print("| systems | " + " | ".join(f"{rows[n]['systems']:.0f}" for n in sizes) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
