"""Regenerate the bundled sample province and the record of what is planted in it.

    python scripts/make_sample.py

writes ``inventories/haiyue/`` (through ``govcloud generate``'s library call, default size and
seed) and ``tests/fixtures/sample_planted.yaml``.  Same code, same bytes.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from govcloud.generate import SAMPLE, generate, planted, write_region

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ledger = generate(density=SAMPLE)  # the sample keeps its own, thinner spec
    write_region(ledger, ROOT / "inventories" / "haiyue", overwrite=True)
    text = "# What scripts/make_sample.py plants in the sample province (ids), for the tests.\n"
    text += yaml.safe_dump(planted(ledger), allow_unicode=True, sort_keys=True)
    (ROOT / "tests" / "fixtures" / "sample_planted.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
